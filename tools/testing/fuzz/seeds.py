#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""seeds.py OUTDIR: write the seed corpora of the fuzz harnesses,
OUTDIR/classify (one well-formed frame of each shape) and OUTDIR/dns (DNS
responses and host patterns). Generated, so no binary file is checked in."""

import os
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


if __name__ == "__main__":
    main()
