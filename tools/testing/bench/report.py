#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py RAW: the markdown table of a bench run.

RAW holds "BENCH KEY BOOT ROUND VALUE" lines (run.sh adds BOOT to what
guest.sh prints in each boot of the test VM). A ratio is computed per
round, from the two runs of that round in the same boot, then summarised
by its median and range over every round of every boot; each boot's own
median ratio is shown too, so that a boot unlike the others stands out.
"""

import statistics
import sys
from collections import defaultdict


def load(path):
    runs = defaultdict(dict)
    for line in open(path):
        _, key, boot, rnd, val = line.split()
        runs[key][(int(boot), int(rnd))] = float(val)
    return runs


def med(runs, key):
    return statistics.median(runs[key].values())


def spread(values):
    return f"**{statistics.median(values):.2f}×** " \
        f"({min(values):.2f}–{max(values):.2f})"


def ratios(runs, num, den):
    """The ratios of the rounds both keys ran in, by boot."""
    by_boot = defaultdict(list)
    for br in sorted(set(runs[num]) & set(runs[den])):
        by_boot[br[0]].append(runs[num][br] / runs[den][br])
    return by_boot


def ratio(runs, num, den):
    """Median (min-max) over all rounds, then each boot's median."""
    by_boot = ratios(runs, num, den)
    if not by_boot:
        return "n/a | n/a"
    every = [r for rs in by_boot.values() for r in rs]
    boots = ", ".join(f"{statistics.median(rs):.2f}"
                      for _, rs in sorted(by_boot.items()))
    return f"{spread(every)} | {boots}"


def rate(v):
    return f"{v / 1000:.1f} k/s"


def main():
    runs = load(sys.argv[1])
    need = ["b1-vmgw", "b1-tap", "b2-vmgw", "b2-drop", "b3-vmgw", "b3-tap"]
    missing = [k for k in need if k not in runs]
    if missing:
        sys.exit(f"report: no runs of {', '.join(missing)}")
    boots = sorted({b for b, _ in runs["b1-vmgw"]})
    rounds = len(runs["b1-vmgw"]) // len(boots)
    nb = f"{len(boots)} boot{'s' if len(boots) > 1 else ''}"
    print(f"{nb} × {rounds} rounds. Rates: medians over all "
          f"{len(runs['b1-vmgw'])} rounds. Ratio: one per round, of the two "
          f"sides measured one after the other in the same boot; median "
          f"(min–max) over all rounds of all boots, then the median of each "
          f"boot.\n")
    print("| bench | what | vmgw | baseline | ratio | per boot |")
    print("|---|---|---|---|---|---|")
    rows = [
        ("B1", "64 B UDP into the stack, 1 frame per write()",
         "b1-vmgw", "TAP", "b1-tap"),
        ("B2", "the same, batched (64 frames per write())",
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
    if "b7-vmgw-udp" in runs and "b7-tap-udp" in runs:
        print(f"| B7 | vhost: 98 B UDP from the tx virtqueue into the "
              f"stack | {rate(med(runs, 'b7-vmgw-udp'))} | TAP + vhost-net: "
              f"{rate(med(runs, 'b7-tap-udp'))} | "
              f"{ratio(runs, 'b7-vmgw-udp', 'b7-tap-udp')} |")
        print(f"| B7 | vhost: busy CPU time of the VM per frame, µs "
              f"(lower is better) | {med(runs, 'b7-vmgw-cpu'):.1f} | "
              f"TAP + vhost-net: {med(runs, 'b7-tap-cpu'):.1f} | "
              f"{ratio(runs, 'b7-vmgw-cpu', 'b7-tap-cpu')} |")
        print(f"| B7 | vhost vs write(): UDP into the stack, vmgw | "
              f"{rate(med(runs, 'b7-vmgw-udp'))} | vmgw, 1 per write(): "
              f"{rate(med(runs, 'b1-vmgw'))} | "
              f"{ratio(runs, 'b7-vmgw-udp', 'b1-vmgw')} |")
        print(f"| B7 | vhost: ICMP echo request/response, round trips/s | "
              f"{med(runs, 'b7-vmgw-rr'):.0f} | TAP + vhost-net: "
              f"{med(runs, 'b7-tap-rr'):.0f} | "
              f"{ratio(runs, 'b7-vmgw-rr', 'b7-tap-rr')} |")
    if "b5-one" in runs:
        print(f"| B5 | frames/s through all devices vs one (dropped "
              f"in the poll) | all: {rate(med(runs, 'b5-many'))} | "
              f"one: {rate(med(runs, 'b5-one'))} | "
              f"{ratio(runs, 'b5-many', 'b5-one')} |")
    if "b4-passt-mbit" in runs and "b4-tap-mbit" in runs:
        print()
        print("B4, passt against TAP + routing (the same rounds): "
              + "; ".join(f"{what} {ratio(runs, f'b4-passt-{k}', f'b4-tap-{k}').replace(' | ', ', per boot ')}"
                          for what, k in (("bulk", "mbit"),
                                          ("request/response", "rr")))
              + ".")
    elif "b4-tap-mbit" in runs:
        print()
        print("B4: passt was not measured.")
    bad = sorted(k[:-3] for k, v in runs.items()
                 if k.endswith("-ok") and min(v.values()) < 1)
    print()
    if bad:
        print(f"Frames NOT all accounted for in: {', '.join(bad)}.")
    else:
        print("Every frame of B1-B3 and B7 was accounted for (UDP "
              "InDatagrams, NoPorts, rx_drop_udp_unsupported).")
    if "b5-create-ms" in runs:
        ms = list(runs["b5-create-ms"].values())
        kib = [v / 1024 for v in runs["b5-mem-bytes"].values()]
        print()
        print(f"B5, median (min–max) over the boots: "
              f"{statistics.median(ms):.0f} ms ({min(ms):.0f}–{max(ms):.0f}) "
              f"to create the devices (one `ip -batch`), "
              f"{statistics.median(kib):.1f} KiB ({min(kib):.1f}–"
              f"{max(kib):.1f}) of kernel memory (Slab + VmallocUsed + "
              f"Percpu) per idle device.")
    b6 = sorted((k[3:], statistics.median(v.values()))
                for k, v in runs.items() if k.startswith("b6-"))
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
