#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [SECONDS]: build the libFuzzer harnesses, write their seed corpora
# and fuzz each for SECONDS (default 30). The corpus grows across runs in
# .cache/fuzz/corpus; a crash is saved in .cache/fuzz/artifacts and fails
# the harness's case. Every seed must also run clean on its own first.
set -u
. "$(dirname "$0")/../lib.sh"

secs=${1:-30}
here=$VMGW_ROOT/tools/testing/fuzz
out=$VMGW_CACHE/fuzz
stage=fuzz
rm -f "$VMGW_RESULTS/$stage.res"
mkdir -p "$out/artifacts"

if ! make -s -C "$here" > "$out/build.log" 2>&1; then
	cat "$out/build.log"
	result "$stage" "harnesses build (clang, libFuzzer, ASan, UBSan)" fail
	exit 1
fi
rm -rf "$out/seeds"
if ! python3 "$here/seeds.py" "$out/seeds"; then
	result "$stage" "seed corpora generated" fail
	exit 1
fi

declare -A max_len=([classify]=1600 [dns]=4096 [vring]=16384)
rc=0
for h in classify dns vring; do
	bin=$here/fuzz-$h corpus=$out/corpus/$h log=$out/$h.log
	mkdir -p "$corpus"
	if "$bin" -runs=0 "$out/seeds/$h" > "$log" 2>&1; then
		result "$stage" "$h: every seed runs clean" pass
	else
		tail -n 20 "$log"
		result "$stage" "$h: every seed runs clean" fail
		rc=1
	fi
	if "$bin" -max_total_time="$secs" -max_len="${max_len[$h]}" \
			-timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
			-artifact_prefix="$out/artifacts/$h-" \
			"$corpus" "$out/seeds/$h" >> "$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		result "$stage" "$h: ${secs} s, ${execs:-?} inputs, no crash" pass
	else
		grep -E 'ERROR|SUMMARY|classify:|dns:|Test unit written' "$log" | head -n 20
		result "$stage" "$h: ${secs} s of fuzzing, no crash (log: $log)" fail
		rc=1
	fi
done
exit $rc
