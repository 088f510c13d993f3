#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py RAW: the markdown table of a bench run.

RAW holds "BENCH KEY ROUND VALUE" lines (guest.sh, run.sh). A ratio is
computed per round, from the two runs of that round, then summarised by
its median and range over the rounds.
"""

import statistics
import sys
from collections import defaultdict


def load(path):
    runs = defaultdict(dict)
    for line in open(path):
        _, key, rnd, val = line.split()
        runs[key][int(rnd)] = float(val)
    return runs


def med(runs, key):
    return statistics.median(runs[key].values())


def ratio(runs, num, den):
    rounds = sorted(set(runs[num]) & set(runs[den]))
    r = [runs[num][i] / runs[den][i] for i in rounds]
    if not r:
        return "n/a"
    return f"**{statistics.median(r):.2f}×** ({min(r):.2f}–{max(r):.2f})"


def rate(v):
    return f"{v / 1000:.1f} k/s"


def main():
    runs = load(sys.argv[1])
    need = ["b1-vmgw", "b1-tap", "b2-vmgw", "b2-drop", "b3-vmgw", "b3-tap"]
    missing = [k for k in need if k not in runs]
    if missing:
        sys.exit(f"report: no runs of {', '.join(missing)}")
    n = len(runs["b1-vmgw"])
    print(f"Medians over {n} rounds; ratios per round, median (min–max).\n")
    print("| bench | what | vmgw | baseline | ratio |")
    print("|---|---|---|---|---|")
    rows = [
        ("B1", "64 B UDP into the stack, 1 frame per write()",
         "b1-vmgw", "TAP", "b1-tap"),
        ("B2", f"the same, batched (64 frames per write())",
         "b2-vmgw", "TAP, 1 per write()", "b1-tap"),
        ("B2", "batched vs one frame per write()",
         "b2-vmgw", "vmgw, 1 per write()", "b1-vmgw"),
        ("B3", "64 B unsupported UDP, dropped",
         "b3-vmgw", "TAP (stack drops: no socket)", "b3-tap"),
        ("B2+B3", "unsupported UDP, batched (64 per write())",
         "b2-drop", "TAP (stack drops)", "b3-tap"),
        ("B2+B3", "unsupported UDP, batched vs one per write()",
         "b2-drop", "vmgw, 1 per write()", "b3-vmgw"),
    ]
    for bench, what, key, base, bkey in rows:
        print(f"| {bench} | {what} | {rate(med(runs, key))} | "
              f"{base}: {rate(med(runs, bkey))} | {ratio(runs, key, bkey)} |")
    for base in ("tap", "passt"):
        if f"b4-{base}-mbit" not in runs:
            continue
        name = "TAP + routing" if base == "tap" else "passt"
        print(f"| B4 | TCP bulk from the guest stack, Gbit/s | "
              f"{med(runs, 'b4-vmgw-mbit') / 1000:.2f} | {name}: "
              f"{med(runs, f'b4-{base}-mbit') / 1000:.2f} | "
              f"{ratio(runs, 'b4-vmgw-mbit', f'b4-{base}-mbit')} |")
        print(f"| B4 | TCP 1-byte request/response, transactions/s "
              f"(mean round trip) | {med(runs, 'b4-vmgw-rr'):.0f} "
              f"({1e6 / med(runs, 'b4-vmgw-rr'):.0f} µs) | {name}: "
              f"{med(runs, f'b4-{base}-rr'):.0f} "
              f"({1e6 / med(runs, f'b4-{base}-rr'):.0f} µs) | "
              f"{ratio(runs, 'b4-vmgw-rr', f'b4-{base}-rr')} |")
    if "b5-one" in runs:
        print(f"| B5 | frames/s through all devices vs one (dropped "
              f"in the poll) | all: {rate(med(runs, 'b5-many'))} | "
              f"one: {rate(med(runs, 'b5-one'))} | "
              f"{ratio(runs, 'b5-many', 'b5-one')} |")
    bad = sorted(k[:-3] for k, v in runs.items()
                 if k.endswith("-ok") and min(v.values()) < 1)
    print()
    if bad:
        print(f"Frames NOT all accounted for in: {', '.join(bad)}.")
    else:
        print("Every frame of B1-B3 was accounted for (UDP InDatagrams, "
              "NoPorts, rx_drop_udp_unsupported).")
    if "b5-create-ms" in runs:
        print()
        print(f"B5: {int(med(runs, 'b5-create-ms'))} ms to create the "
              f"devices (one `ip -batch`), "
              f"{med(runs, 'b5-mem-bytes') / 1024:.1f} KiB of kernel memory "
              f"(Slab + VmallocUsed + Percpu) per idle device.")
    b6 = sorted((k[3:], v[1]) for k, v in runs.items() if k.startswith("b6-"))
    if b6:
        print()
        print("B6: classifier instructions per frame (callgrind, "
              "userspace build of classify.c, gcc -O2)\n")
        print("| frame | instructions |")
        print("|---|---|")
        for name, ir in b6:
            print(f"| {name} | {ir:.0f} |")


if __name__ == "__main__":
    main()
