#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""seeds.py OUTDIR: write the seed corpora of the fuzz harnesses,
OUTDIR/classify (one well-formed frame of each shape), OUTDIR/dns (DNS
responses and host patterns) and OUTDIR/vring (guest memories with
well-formed virtqueues). Generated, so no binary file is checked in."""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "e2e"))
import frames  # noqa: E402

PATTERNS = ["example.com", "*.example.org", "Sub.Example.COM.",
            "a-b_c.d", "x" * 63 + ".test"]


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1]
    for name, data in frames.valid_frames().items():
        write(os.path.join(out, "classify"), name, data)
    for name, data in frames.dns_responses().items():
        write(os.path.join(out, "dns"), "msg-" + name, data)
    for i, p in enumerate(PATTERNS):
        write(os.path.join(out, "dns"), f"pattern-{i}", p.encode())
    for name, data in vring_memories().items():
        write(os.path.join(out, "vring"), name, data)


# The layout fuzz-vring.c uses: 4 bytes of settings, then guest memory
# with the descriptor table at 0, the avail ring at 0x1000; buffers in the
# low region (gpa 0x3000 up) and the high one (gpa 0x100000 up).
def vring_memory(flags, descs, heads, exp=3):
    mem = bytearray(0x3000)
    for i, (addr, length, dflags, nxt) in enumerate(descs):
        struct.pack_into("<QIHH", mem, 16 * i, addr, length, dflags, nxt)
    struct.pack_into("<HH", mem, 0x1000, 0, len(heads))
    for i, h in enumerate(heads):
        struct.pack_into("<H", mem, 0x1004 + 2 * i, h)
    return bytes([exp, flags, 1, 0]) + bytes(mem)


def vring_memories():
    NEXT, WRITE, INDIRECT = 1, 2, 4
    tx = [(0x3000, 12, NEXT, 1), (0x100000, 1514, 0, 0)]
    rx = [(0x3000, 1526, WRITE, 0), (0x4000, 1526, WRITE, 0)]
    ind = [(0x2800, 32, INDIRECT, 0)]
    m = {
        "tx-two": vring_memory(1, tx, [0]),
        "rx-mergeable": vring_memory(2 | 4, rx, [0, 1]),
        "tx-indirect": vring_memory(1, ind, [0]),
    }
    # the indirect table itself, at gpa 0x2800 inside the seed
    t = bytearray(m["tx-indirect"])
    struct.pack_into("<QIHHQIHH", t, 4 + 0x2800, 0x3000, 12, NEXT, 1,
                     0x100000, 60, 0, 0)
    m["tx-indirect"] = bytes(t)
    return m


if __name__ == "__main__":
    main()
