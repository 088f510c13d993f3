#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of 25-hostile.sh, run inside the test VM.

  pin.py hold DEV          an AF_PACKET socket on DEV (ethertype 0x88b5)
                           with a 1 GiB receive buffer that never reads:
                           it pins every frame the guest writes. Prints
                           "ready", then its receive queue size in bytes
                           when stdin closes.
  pin.py write DEV N SIZE  write N frames of SIZE bytes to DEV through
                           /dev/vmgw; prints "taken T enomem E other O"
  pin.py getiff DEV        attach to DEV, print TUNGETIFF's name, wait for
                           a line on stdin, print TUNGETIFF's name again
  pin.py echo ADDR PORT    TCP echo server, one client
  pin.py rtt ADDR PORT N   connect, then N round trips of 64 bytes, 50 ms
                           apart, after "go" on stdin; prints the round
                           trip times in ms, one line, and "failed K"
  pin.py flood DEV BASE SECS  be the VMM on DEV's /dev/vmgw: for BASE s
                           only an echo request to 10.0.2.2 every 50 ms,
                           then for SECS s the same next to batches of TCP
                           SYNs from 10.0.2.15 to 93.184.216.34:443, each
                           from another source port; the echo replies' round
                           trip times (ms, sorted) of both phases, the SYNs
                           written and the echoes lost
"""

import errno
import fcntl
import os
import socket
import struct
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
import chrdev  # noqa: E402
import frames  # noqa: E402


def hold(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B5))
    s.bind((dev, 0x88B5))
    s.setsockopt(socket.SOL_SOCKET, 33, 1 << 30)    # SO_RCVBUFFORCE
    print("ready", flush=True)
    sys.stdin.read()
    out = fcntl.ioctl(s, 0x541B, b"\0" * 4)          # SIOCINQ: next frame
    with open("/proc/net/packet") as f:
        rmem = [ln.split()[6] for ln in f.readlines()[1:]]
    print(f"pinned rmem {' '.join(rmem)} first {struct.unpack('i', out)[0]}")


def write(dev, n, size):
    fd = chrdev.open_dev(nonblock=False)
    chrdev.attach(fd, dev)
    frame = chrdev.eth_frame(int(size))
    taken = enomem = other = 0
    for _ in range(int(n)):
        try:
            os.write(fd, frame)
            taken += 1
        except OSError as e:
            if e.errno == errno.ENOMEM:
                enomem += 1
            else:
                other += 1
    print(f"taken {taken} enomem {enomem} other {other}", flush=True)


def getiff(dev):
    fd = chrdev.open_dev()
    chrdev.attach(fd, dev)
    for _ in range(2):
        out = fcntl.ioctl(fd, chrdev.TUNGETIFF, chrdev.ifreq(""))
        print(struct.unpack("16sH22x", out)[0].rstrip(b"\0").decode(),
              flush=True)
        sys.stdin.readline()


def echo(addr, port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, int(port)))
    srv.listen(1)
    print("ready", flush=True)
    c, _ = srv.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = c.recv(4096)
        if not d:
            return
        c.sendall(d)


def rtt(addr, port, n):
    c = socket.create_connection((addr, int(port)), timeout=10)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.settimeout(5)
    print("connected", flush=True)
    while True:
        line = sys.stdin.readline()
        if line.strip() != "go":
            return
        times, failed = [], 0
        for _ in range(int(n)):
            t0 = time.monotonic()
            try:
                c.sendall(b"x" * 64)
                got = 0
                while got < 64:
                    got += len(c.recv(64 - got))
                times.append((time.monotonic() - t0) * 1000)
            except OSError:
                failed += 1
            time.sleep(0.05)
        times.sort()
        print(" ".join(f"{t:.2f}" for t in times), flush=True)
        print(f"failed {failed}", flush=True)


VMGWSETBATCH = 0x4004E701
BATCH_WRITE, BATCH_READ = 1, 2


def records(fs):
    return b"".join(struct.pack("=I", len(f)) + f for f in fs)


def flood(dev, base, secs):
    fd = chrdev.open_dev()
    chrdev.attach(fd, dev)
    fcntl.ioctl(fd, VMGWSETBATCH, struct.pack("I", BATCH_WRITE | BATCH_READ))
    dst = "93.184.216.34"
    syns = [frames.eth(frames.ETH_P_IP,
                       frames.ipv4(frames.TCP,
                                   frames.tcp(1024 + i, 443,
                                              flags=frames.SYN, dst=dst),
                                   dst=dst))
            for i in range(64000)]
    rtts = {"base": [], "flood": []}
    lost = {"base": 0, "flood": 0}
    sent_syn = 0
    ident = 0
    pending = {}           # echo id -> (phase, send time)
    t0 = time.monotonic()
    next_ping = t0
    while True:
        now = time.monotonic()
        phase = "base" if now - t0 < float(base) else "flood"
        if now - t0 > float(base) + float(secs):
            break
        if now >= next_ping:
            ident = (ident + 1) & 0xFFFF
            ping = frames.eth(frames.ETH_P_IP, frames.ipv4(
                frames.ICMP, frames.icmp(data=struct.pack("!HH", ident, 0)
                                         + b"vmgw")))
            try:
                os.write(fd, records([ping]))
                pending[ident] = (phase, now)
            except BlockingIOError:
                pass
            next_ping = now + 0.05
        if phase == "flood":
            i = sent_syn % len(syns)
            try:
                n = os.write(fd, records(syns[i:i + 64]))
                sent_syn += n // (4 + len(syns[0]))
            except BlockingIOError:
                pass
        else:
            time.sleep(0.002)
        while True:
            try:
                buf = os.read(fd, 65536)
            except BlockingIOError:
                break
            off = 0
            while off + 4 <= len(buf):
                (ln,) = struct.unpack_from("=I", buf, off)
                f = buf[off + 4:off + 4 + ln]
                off += 4 + ln
                # IPv4 echo reply (type 0) with our identifier
                if len(f) >= 42 and f[12:14] == b"\x08\x00" and \
                        f[23] == 1 and f[34] == 0:
                    rid = struct.unpack_from("!H", f, 42)[0] \
                        if len(f) >= 44 else -1
                    if rid in pending:
                        ph, ts = pending.pop(rid)
                        rtts[ph].append((time.monotonic() - ts) * 1000)
    time.sleep(1)
    for ph, _ in pending.values():
        lost[ph] += 1
    for ph in ("base", "flood"):
        print(" ".join(f"{t:.1f}" for t in sorted(rtts[ph])), flush=True)
    print(f"syns {sent_syn} lost {lost['base']} {lost['flood']}", flush=True)


CMDS = {"hold": hold, "write": write, "getiff": getiff, "echo": echo,
        "rtt": rtt, "flood": flood}

if __name__ == "__main__":
    CMDS[sys.argv[1]](*sys.argv[2:])
