#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""to-rst.py BENCH_MD RST: put a run's table (bench.md) into the "Latest
results" section of vmgw-bench.rst, as a literal block, replacing the one
there. Everything before that section's title is kept."""

import sys

md, rst = sys.argv[1], sys.argv[2]
text = open(rst).read()
title = "Latest results\n==============\n"
head = text[:text.index(title) + len(title)]
body = "".join(f"    {line}" if line.strip() else "\n"
               for line in open(md))
open(rst, "w").write(head + "\n::\n\n" + body)
