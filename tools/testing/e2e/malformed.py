#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed guest frames through /dev/vmgw, run as root in the test VM.

Usage: malformed.py DEV SEED   (inside the device's namespace)

Writes some thousands of generated frames, without a virtio-net header and
with 10- and 12-byte ones: every truncation of well-formed frames of each
shape (frames.py), random lengths and bytes, mutated frames, and virtio-net
headers that lie (unknown GSO types, hdr_len, csum_start/csum_offset and
gso_size out of range, GSO on frames too small or of the wrong protocol).
Every write must return its full length or EINVAL; then the counters must
account for every frame: accepted == delivered + counted drops, refused ==
counted write errors, the same in ethtool -S and /sys statistics (whose
rx_dropped also has the stack's own drops of delivered frames), and each
truncated IP or ARP frame is dropped as malformed.
"""

import errno
import fcntl
import os
import random
import select
import struct
import subprocess
import sys
import time

import chrdev
import frames

VNET_F_NEEDS_CSUM, VNET_F_DATA_VALID = 1, 2
GSO_NONE, GSO_TCPV4, GSO_UDP, GSO_TCPV6, GSO_UDP_L4, GSO_ECN = \
    0, 1, 3, 4, 5, 0x80


def fail(msg):
    print(f"malformed: {msg}", file=sys.stderr)
    sys.exit(1)


def counters(dev):
    out = subprocess.run(["ethtool", "-S", dev], capture_output=True,
                         text=True, check=True).stdout
    c = {}
    for line in out.splitlines()[1:]:
        key, _, val = line.strip().partition(": ")
        c[key] = int(val)
    for name in ("rx_packets", "rx_dropped", "rx_errors"):
        with open(f"/sys/class/net/{dev}/statistics/{name}") as f:
            c["sys_" + name] = int(f.read())
    return c


def delta(a, b):
    return {k: b[k] - a.get(k, 0) for k in b}


def vnet_hdr(sz, flags=0, gso=GSO_NONE, hdr_len=0, gso_size=0, start=0,
             off=0):
    h = struct.pack("<BBHHHH", flags, gso, hdr_len, gso_size, start, off)
    return h + (struct.pack("<H", 1) if sz == 12 else b"")


class Writer:
    """One attached file; counts what write() took and refused."""

    def __init__(self, dev, sz):
        self.fd = chrdev.open_dev()
        self.sz = sz
        if sz:
            fcntl.ioctl(self.fd, chrdev.TUNSETVNETHDRSZ, struct.pack("i", sz))
            chrdev.attach(self.fd, dev, chrdev.TAP | chrdev.IFF_VNET_HDR)
        else:
            chrdev.attach(self.fd, dev)
        self.accepted = self.refused = self.full = 0
        self.malformed = 0      # accepted frames that must count malformed

    def drain(self):
        while True:
            try:
                os.read(self.fd, 70000)
            except BlockingIOError:
                return

    def write(self, buf, malformed=False):
        while True:
            try:
                n = os.write(self.fd, buf)
            except BlockingIOError:
                # g2h ring full: the poll will make room; not a verdict.
                self.full += 1
                self.drain()
                select.select([], [self.fd], [], 1.0)
                continue
            except OSError as e:
                if e.errno != errno.EINVAL:
                    fail(f"write of {len(buf)} bytes ({buf[:24].hex()}): "
                         f"{errno.errorcode.get(e.errno, e.errno)}, "
                         "want EINVAL or success")
                self.refused += 1
                return False
            if n != len(buf):
                fail(f"write of {len(buf)} bytes returned {n}")
            self.accepted += 1
            self.malformed += malformed
            return True

    def frame(self, f, malformed=False, **hdr):
        pre = vnet_hdr(self.sz, **hdr) if self.sz else b""
        return self.write(pre + f, malformed)

    def close(self):
        self.drain()
        os.close(self.fd)


def truncations(w, valid):
    """Every prefix of every well-formed frame. Below 14 bytes write()
    refuses it; from 14 on, any cut IP or ARP frame is malformed (its
    length fields reach past the end); other ethertypes have no lengths."""
    for name, f in valid.items():
        for n in range(len(f)):
            w.frame(f[:n], malformed=n >= 14)


def random_frames(w, rnd, valid, count):
    pool = list(valid.values())
    for _ in range(count):
        kind = rnd.randrange(4)
        if kind == 0:       # random bytes of random length
            f = rnd.randbytes(rnd.randrange(0, 1600))
        elif kind == 1:     # a valid frame with some bytes changed
            f = bytearray(rnd.choice(pool))
            for _ in range(rnd.randrange(1, 6)):
                f[rnd.randrange(len(f))] = rnd.randrange(256)
            f = bytes(f)
        elif kind == 2:     # a valid frame with random bytes appended
            f = rnd.choice(pool) + rnd.randbytes(rnd.randrange(1, 300))
        else:               # valid headers, random rest
            f = rnd.choice(pool)
            cut = rnd.randrange(14, len(f) + 1)
            f = f[:cut] + rnd.randbytes(rnd.randrange(0, 200))
        w.frame(f)


def gso_frame(rnd, v6, size):
    data = rnd.randbytes(size)
    if v6:
        seg = frames.tcp(40000, 80, frames.ACK, data, frames.GUEST6,
                         frames.GW6)
        return frames.eth(frames.ETH_P_IPV6, frames.ipv6(frames.TCP, seg))
    seg = frames.tcp(40000, 80, frames.ACK, data)
    return frames.eth(frames.ETH_P_IP, frames.ipv4(frames.TCP, seg))


def bad_headers(w, rnd, valid, count):
    """virtio-net headers that lie, on small frames and on big GSO ones."""
    pool = list(valid.values())
    gsos = [GSO_NONE, GSO_TCPV4, GSO_UDP, GSO_TCPV6, GSO_UDP_L4,
            GSO_TCPV4 | GSO_ECN, GSO_TCPV6 | GSO_ECN, 2, 6, 0x7F, 0xFF]
    flagss = [0, VNET_F_NEEDS_CSUM, VNET_F_DATA_VALID, 3, 0xFF]
    for i in range(count):
        if i % 8 == 0:
            f = gso_frame(rnd, rnd.randrange(2), rnd.choice([1, 1448, 3000,
                                                             30000]))
        else:
            f = rnd.choice(pool)
        n = len(f)
        pick = lambda *v: rnd.choice(v)
        w.frame(f, flags=rnd.choice(flagss), gso=rnd.choice(gsos),
                hdr_len=pick(0, 14, 34, 54, 74, n - 1, n, n + 1, 0xFFFF),
                gso_size=pick(0, 1, 8, 536, 1448, 9000, 0xFFFF),
                start=pick(0, 13, 14, 34, 54, n - 2, n - 1, n, 0xFFFF),
                off=pick(0, 6, 16, 17, 0xFFFE, 0xFFFF))
    # Consistent offload headers must still be taken.
    for v6 in (0, 1):
        for size in (100, 1448, 3000, 30000):
            f = gso_frame(rnd, v6, size)
            l3 = 14 + (40 if v6 else 20)
            ok = w.frame(f, flags=VNET_F_NEEDS_CSUM,
                         gso=GSO_TCPV6 if v6 else GSO_TCPV4,
                         hdr_len=l3 + 20, gso_size=1448, start=l3, off=16)
            if not ok:
                fail(f"consistent GSO header refused (v6 {v6}, {size} B)")


def settle(dev, before, accepted):
    """Wait for the poll to have classified every accepted frame."""
    classes = None
    for _ in range(100):
        d = delta(before, counters(dev))
        classes = sum(v for k, v in d.items() if k.startswith("rx_class_"))
        if classes >= accepted:
            return d
        time.sleep(0.1)
    fail(f"{accepted} frames accepted, {classes} classified after 10 s")


def reconcile(dev, w, d, what):
    drops = sum(v for k, v in d.items() if k.startswith("rx_drop_"))
    errs = sum(v for k, v in d.items() if k.startswith("write_err_"))
    classes = sum(v for k, v in d.items() if k.startswith("rx_class_"))
    mal = sum(v for k, v in d.items() if k.startswith("rx_malformed_"))
    checks = [
        ("classified == accepted", classes, w.accepted),
        ("delivered + dropped == accepted", d["rx_packets"] + drops,
         w.accepted),
        ("write errors == refused", errs, w.refused),
        ("/sys rx_packets", d["sys_rx_packets"], d["rx_packets"]),
        ("/sys rx_errors", d["sys_rx_errors"], errs),
        ("malformed reasons == malformed drops", mal,
         d["rx_drop_malformed"]),
    ]
    for name, got, want in checks:
        if got != want:
            fail(f"{what}: {name}: {got} != {want}; deltas "
                 f"{ {k: v for k, v in d.items() if v} }")
    # The stack adds its own drops of delivered frames (an ethertype
    # nobody handles) to the same rtnl counter.
    if not drops <= d["sys_rx_dropped"] <= drops + d["rx_packets"]:
        fail(f"{what}: /sys rx_dropped {d['sys_rx_dropped']}, vmgw dropped "
             f"{drops} and delivered {d['rx_packets']}")
    if d["rx_drop_malformed"] < w.malformed:
        fail(f"{what}: {w.malformed} cut frames, only "
             f"{d['rx_drop_malformed']} dropped as malformed")
    print(f"ok: {what}: {w.accepted + w.refused} writes, {w.accepted} "
          f"accepted = {d['rx_packets']} delivered + {drops} dropped "
          f"({d['rx_drop_malformed']} malformed, {w.malformed} of them cut "
          f"frames); {w.refused} refused = {errs} write errors; "
          f"ring full {w.full} times", flush=True)
    return w.accepted + w.refused


def main():
    dev, seed = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(seed)
    valid = {k: v for k, v in frames.valid_frames().items()
             if k != "other-ethertype"}
    total = 0
    for sz in (0, 10, 12):
        what = f"vnet header {sz}" if sz else "no vnet header"
        for phase in ("cuts", "random", "headers"):
            if phase == "headers" and not sz:
                continue
            before = counters(dev)
            w = Writer(dev, sz)
            if phase == "cuts":
                truncations(w, valid)
            elif phase == "random":
                random_frames(w, rnd, frames.valid_frames(), 1500)
            else:
                bad_headers(w, rnd, valid, 2500)
            d = settle(dev, before, w.accepted)
            w.close()
            total += reconcile(dev, w, d, f"{what}, {phase}")
    print(f"ok: {total} frames written, every one refused or accounted")


if __name__ == "__main__":
    main()
