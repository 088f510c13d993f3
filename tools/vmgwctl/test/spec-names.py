#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare vmgwctl's attribute name tables ("unit --names" on stdin) with
the attribute sets of Documentation/netlink/specs/vmgw.yaml: same names,
same values (the uAPI enums number a set's attributes from 1, in order).
"""

import sys

import yaml


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    want = set()
    for aset in spec["attribute-sets"]:
        if aset["name"] not in ("dev", "rule", "flow", "stats"):
            continue
        for value, attr in enumerate(aset["attributes"], start=1):
            want.add((aset["name"], value, attr["name"]))
    got = set()
    for line in sys.stdin:
        s, v, n = line.split()
        got.add((s, int(v), n))
    if got != want:
        for x in sorted(want - got):
            print("missing in vmgwctl:", *x)
        for x in sorted(got - want):
            print("not in the spec:", *x)
        sys.exit(1)
    print(f"{len(got)} attribute names match the spec")


if __name__ == "__main__":
    main()
