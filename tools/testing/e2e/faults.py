#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fault checks of /dev/vmgw, run as root in the test VM.

Usage: faults.py CHECK DEV [ARGS]   (inside the device's namespace)
  blocked-read DEV      a blocking read() waits in the kernel; prints
                        "blocked", then the caller deletes the device: the
                        reader must wake with ENODEV within 5 s
  down-write DEV        blocking writers keep the g2h ring full; prints
                        "flooding", then the caller sets the device down:
                        every writer must return ENETDOWN within 5 s, none
                        may stay blocked waiting for room
  pressure DEV SECS     both rings full for SECS seconds: writer processes
                        keep the g2h ring full (EAGAIN); nobody reads the
                        gateway's replies, which fill the h2g ring and stop
                        the queue; prints
                        Slab/SUnreclaim and skbuff slabs while it lasts and
                        checks that they stay bounded
"""

import errno
import fcntl
import multiprocessing
import os
import subprocess
import sys
import threading
import time

import chrdev
import frames


def fail(msg):
    print(f"faults: {msg}", file=sys.stderr)
    sys.exit(1)


def check_blocked_read(dev):
    fd = chrdev.open_dev()
    chrdev.attach(fd, dev)
    chrdev.drain(fd)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) &
                ~os.O_NONBLOCK)
    got = {"frames": 0, "err": None}

    def reader():
        while True:
            try:
                os.read(fd, 70000)  # the stack's own ND/MLD may come first
                got["frames"] += 1
            except OSError as e:
                got["err"] = e.errno
                return

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    time.sleep(1.0)
    if not t.is_alive():
        fail(f"read() did not block: {got}")
    print("blocked", flush=True)
    sys.stdin.readline()            # the caller deletes the device now
    t.join(5.0)
    if t.is_alive():
        fail("blocked read() still waiting 5 s after the device died")
    if got["err"] != errno.ENODEV:
        fail(f"blocked read() woke with {errno.errorcode.get(got['err'])}, "
             "want ENODEV")
    os.close(fd)
    print(f"ok: blocked read() woke with ENODEV ({got['frames']} frames "
          "read before)")


def blocking_writer(fd, frame, out):
    """Write @frame on the inherited blocking file until an error."""
    n = 0
    while True:
        try:
            os.write(fd, frame)
            n += 1
        except OSError as e:
            out.put((n, e.errno))
            return


def check_down_write(dev):
    fd = chrdev.open_dev(nonblock=False)
    chrdev.attach(fd, dev)
    frame = frames.eth(frames.ETH_P_IP, frames.ipv4(frames.UDP,
                                                    frames.udp(4000, 9999)))
    multiprocessing.set_start_method("fork")
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=blocking_writer,
                                     args=(fd, frame, q)) for _ in range(3)]
    for p in procs:
        p.start()
    time.sleep(3)
    print("flooding", flush=True)
    sys.stdin.readline()            # the caller sets the device down now
    deadline = time.time() + 5
    for p in procs:
        p.join(max(0.1, deadline - time.time()))
    hung = [p for p in procs if p.is_alive()]
    for p in hung:
        p.kill()
        p.join()
    results = [q.get() for _ in range(len(procs) - len(hung))]
    os.close(fd)
    if hung:
        fail(f"{len(hung)} of {len(procs)} blocked writers still waiting 5 s "
             f"after the device went down (others: {results})")
    bad = [r for r in results if r[1] != errno.ENETDOWN]
    if bad:
        fail(f"writers ended with {bad}, want ENETDOWN")
    print(f"ok: {len(procs)} blocking writers ({sum(r[0] for r in results)} "
          "frames) returned ENETDOWN when the device went down")


def meminfo():
    m = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":")
            m[k] = int(v.split()[0])
    return m["Slab"], m["SUnreclaim"]


def memtotal():
    with open("/proc/meminfo") as f:
        return int(f.readline().split()[1])


def kasan():
    with open("/proc/kallsyms") as f:
        return any(line.endswith(" kasan_report\n") for line in f)


def slabs():
    """Active objects of the skb caches and the kmalloc caches skbs use."""
    out = {}
    try:
        with open("/proc/slabinfo") as f:
            for line in f.readlines()[2:]:
                w = line.split()
                if w[0].startswith(("skbuff_", "kmalloc-")) and \
                        "cg" not in w[0] and "rcl" not in w[0] and \
                        "dma" not in w[0]:
                    out[w[0]] = int(w[1]) * int(w[3]) // 1024   # KiB
    except OSError:
        pass
    return out


def writer(fd, frame, secs, out):
    """Write @frame on the inherited attached file without pause for @secs;
    count EAGAINs (ring full)."""
    n = full = 0
    end = time.time() + secs
    while time.time() < end:
        try:
            os.write(fd, frame)
            n += 1
        except BlockingIOError:
            full += 1
    out.put((n, full))


def qdisc(dev):
    return chrdev.qdisc_stats(dev)


def check_pressure(dev, secs):
    secs = int(secs)
    fd = chrdev.open_dev()
    chrdev.attach(fd, dev)
    # Echo requests the gateway answers: their replies fill the h2g ring
    # (never read) and then the qdisc.
    ping = frames.eth(frames.ETH_P_IP, frames.ipv4(frames.ICMP,
                                                   frames.icmp(data=bytes(1000))))
    slab0, sunr0 = meminfo()
    slabs0 = slabs()
    print(f"before: Slab {slab0} KiB, SUnreclaim {sunr0} KiB", flush=True)
    multiprocessing.set_start_method("fork")
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=writer,
                                     args=(fd, ping, secs, q))
             for _ in range(3)]
    for p in procs:
        p.start()
    peak = 0
    samples = []
    t0 = time.time()
    while time.time() - t0 < secs:
        time.sleep(min(5, max(0.1, secs - (time.time() - t0))))
        slab, sunr = meminfo()
        samples.append(sunr)
        peak = max(peak, sunr)
        print(f"{time.time() - t0:4.0f} s: Slab {slab} KiB, SUnreclaim "
              f"{sunr} KiB, qdisc (dropped, backlog) {qdisc(dev)}",
              flush=True)
    writes = fulls = 0
    for p in procs:
        p.join()
        n, full = q.get()
        writes += n
        fulls += full
    dropped, backlog = qdisc(dev)
    tx_full = chrdev.stat(dev, "tx_packets")
    print(f"writers: {writes} frames taken, g2h ring full {fulls} times; "
          f"h2g: {tx_full} frames queued, qdisc backlog {backlog}, "
          f"dropped {dropped}", flush=True)
    if not fulls:
        fail("the g2h ring never filled (no EAGAIN)")
    # The ring is full when it took its 16 frames and the stopped queue
    # left the rest to the qdisc (whose replies are bounded by the ICMP
    # socket's send buffer).
    if tx_full < 16 or not backlog:
        fail("the h2g ring never filled")
    grow = peak - sunr0
    # Bounded: the rings (16 frames each here), the qdisc, a socket's
    # worth of replies: far below what a flood of 30 s would take if
    # anything were kept per frame. KASAN's quarantine holds freed objects
    # (up to 1/32 of RAM), which counts as slab.
    bound, steady = 16 * 1024, 4 * 1024
    if kasan():
        bound += memtotal() // 32
        steady += memtotal() // 32
    if grow > bound:
        fail(f"SUnreclaim grew by {grow} KiB under pressure (> {bound})")
    late = samples[len(samples) // 2:]
    if len(late) > 1 and max(late) - min(late) > steady:
        fail(f"SUnreclaim still growing at steady state: {late}")
    os.close(fd)
    time.sleep(1)
    slab1, sunr1 = meminfo()
    slabs1 = slabs()
    diff = {k: slabs1.get(k, 0) - v for k, v in slabs0.items()
            if abs(slabs1.get(k, 0) - v) >= 64}
    print(f"after: Slab {slab1} KiB, SUnreclaim {sunr1} KiB "
          f"(peak +{grow} KiB); slab caches changed by >= 64 KiB: {diff}")
    print(f"ok: both rings full for {secs} s, unreclaimable slab grew "
          f"{grow} KiB at most")


CHECKS = {"blocked-read": check_blocked_read, "down-write": check_down_write,
          "pressure": check_pressure}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in CHECKS:
        fail(f"usage: faults.py {{{'|'.join(CHECKS)}}} DEV [ARGS]")
    CHECKS[sys.argv[1]](*sys.argv[2:])
