#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [SERIES]: the vmgw benchmarks (make bench). Builds vmgw.ko for
# the Debian kernel of SERIES (default 6.12) and the bench tools, runs
# guest.sh in BENCH_BOOTS separate boots of the QEMU test VM (TCG), one
# after the other, counts classifier instructions per frame with callgrind
# on this host, and prints a markdown table (also kept in
# .cache/results/bench.md).
#
#   BENCH_BOOTS=3 BENCH_ROUNDS=5 BENCH_FRAMES=200000 BENCH_DEVICES=1000
#   BENCH_PROFILE=1: also sample B1 (TAP) and B2 (vmgw) with perf in each
#   boot and add where the guest's time went to the table
#
# Rates under TCG are not the hardware's: only the ratios measured side
# by side in the same boot mean something. Several boots, because a boot
# can differ from the next as a whole (where the guest's memory landed,
# what else the host was doing then); BENCH_BOOTS=1 for a quick look.
set -u
. "$(dirname "$0")/../lib.sh"

series=${1:-6.12}
boots=${BENCH_BOOTS:-3}
rounds=${BENCH_ROUNDS:-5}
frames=${BENCH_FRAMES:-200000}
ndev=${BENCH_DEVICES:-1000}
prof=${BENCH_PROFILE:-0}
here=$VMGW_ROOT/tools/testing/bench
bin=$VMGW_CACHE/bench
raw=$bin/raw.txt
out=$VMGW_RESULTS/bench.md
mkdir -p "$bin" "$VMGW_RESULTS"

ko=$("$VMGW_ROOT/tools/testing/build-module.sh" "$series") || exit 1
cc() { gcc -O2 -g -std=gnu11 -Wall -Wextra -Werror "$@"; }
make -s -C "$VMGW_ROOT/tools/testing/vmm-emu" > /dev/null &&
make -s -C "$VMGW_ROOT/tools/testing/vhost-client" > /dev/null &&
cp "$VMGW_ROOT/tools/testing/vhost-client/vhost-client" "$bin/" &&
cc -I"$VMGW_ROOT/include/uapi" -o "$bin/framegen" "$here/framegen.c" &&
cc -o "$bin/tcprr" "$here/tcprr.c" &&
cc -I"$VMGW_ROOT/drivers/net/vmgw" -o "$bin/classify-cost" \
	"$here/classify-cost.c" "$VMGW_ROOT/drivers/net/vmgw/classify.c" ||
	exit 1

# One QEMU at a time: boots side by side would measure each other. The
# guest prints "BENCH KEY ROUND VALUE"; raw.txt gets the boot after KEY.
case $boots in
''|*[!0-9]*|0) echo "bench: BENCH_BOOTS must be a number from 1" >&2; exit 1 ;;
esac
: > "$raw"
: > "$raw.prof"
loads=
begin=$(date +%s)
for boot in $(seq 1 "$boots"); do
	log=$bin/guest-$boot.log
	start=$(date +%s)
	load=$(cut -d' ' -f1 /proc/loadavg)
	"$VMGW_ROOT/tools/testing/qemu/run.sh" "$series" 3000 "$here/guest.sh" \
		"$ko" "$bin" "$VMGW_ROOT/tools/testing/vmm-emu/vmm-emu" "$rounds" \
		"$frames" "$ndev" "$prof" > "$log" 2>&1
	rc=$?
	echo "bench: boot $boot of $boots: guest exit $rc after" \
		"$(($(date +%s) - start)) s (log: $log)" >&2
	# Other work on the host moves TCG's rates: say how busy it was.
	loads="$loads${loads:+, }$load→$(cut -d' ' -f1 /proc/loadavg)"
	tr -d '\r' < "$log" | sed -n "s/^BENCH \([^ ]*\) /BENCH \1 $boot /p" >> "$raw"
	tr -d '\r' < "$log" | sed -n "s/^BENCH-PROFILE /$boot /p" >> "$raw.prof"
	[ $rc -eq 0 ] || { tr -d '\r' < "$log" | grep -E '^bench:' >&2; exit 1; }
done
took=$(($(date +%s) - begin))

# B6: instructions per frame, per class, in the userspace classifier.
n=10000
for c in $("$bin/classify-cost" list); do
	valgrind --tool=callgrind --toggle-collect=vmgw_classify \
		--callgrind-out-file="$bin/callgrind.out" \
		"$bin/classify-cost" "$c" "$n" > /dev/null 2>&1 ||
		{ echo "bench: callgrind on $c failed" >&2; exit 1; }
	ir=$(sed -n 's/^summary: //p' "$bin/callgrind.out")
	echo "BENCH b6-$c 1 1 $(awk -v a="$ir" -v n="$n" 'BEGIN { printf "%.1f", a / n }')" >> "$raw"
done

kv=$(kver "$series")
{
	echo "vmgw benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "guest kernel $kv under qemu-system-x86_64 -accel tcg -smp 2;" \
		"host $(nproc) CPUs, $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -n 1)"
	echo "command: make bench (BENCH_BOOTS=$boots BENCH_ROUNDS=$rounds BENCH_FRAMES=$frames BENCH_DEVICES=$ndev);" \
		"the guest part took $took s"
	echo "host load average (1 min) at the start and end of each boot: $loads"
	echo
	/usr/bin/python3 "$here/report.py" "$raw"
	if [ -s "$raw.prof" ]; then
		echo
		echo "Where the guest's busy time went (BENCH_PROFILE=1, perf cpu-clock" \
			"samples, % of the non-idle samples; parts overlap: write holds" \
			"alloc and, for vmgw, the poll; the poll holds the stack):"
		echo
		echo "| boot | run | busy (of 2 vCPUs) | sink | write | alloc | vmgw poll | IPv4 stack |"
		echo "|---|---|---|---|---|---|---|---|"
		awk '{ v[$1 " " $2, $3] = $4; k[$1 " " $2] = 1 }
			END { for (b in k) { split(b, f, " ");
				printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2],
					v[b, "busy"], v[b, "sink"], v[b, "write"], v[b, "alloc"], v[b, "vmgw"],
					v[b, "stack"] } }' "$raw.prof" | sort
	fi
} > "$out"
cat "$out"
