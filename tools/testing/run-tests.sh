#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-tests.sh: every vmgw test suite, in order; a failing stage does not
# stop the later ones. The last line is "N passed, N failed" (skipped
# cases are listed and counted on the line before); the exit status is
# non-zero when anything failed.
#
# run-tests.sh --selftest: break the module and vmgwctl on purpose in a
# copy of the tree (selftest.sh) and show that the cases guarding each
# breakage fail; not part of "make test".
set -u
. "$(dirname "$0")/lib.sh"
t=$VMGW_ROOT/tools/testing

if [ "${1:-}" = --selftest ]; then
	shift
	exec "$t/selftest.sh" "$@"
fi

rm -rf "$VMGW_RESULTS"
mkdir -p "$VMGW_RESULTS"
start=$(date +%s)

# count_results pass|fail: lines of that kind recorded so far.
count_results() {
	cat "$VMGW_RESULTS"/*.res 2> /dev/null | grep -c "^$1 "
}

# stage CMD...: run one suite. Its results are what it records; a suite
# that exits non-zero without recording a failure (it crashed, or died
# before writing one), or that records nothing at all, fails here.
stage() {
	local s=$(date +%s) rc p0 f0 p1 f1 name
	name=$(basename "$1")
	[ "$name" = check ] && name="$2 (check)"
	[ "$name" = run.sh ] && name="$(basename "$(dirname "$1")")/run.sh ${2:-}"
	[ "$name" = side_by_side ] && name="$2 and $3"
	echo "=== $* ==="
	p0=$(count_results pass) f0=$(count_results fail)
	"$@"
	rc=$?
	p1=$(count_results pass) f1=$(count_results fail)
	if [ "$rc" -ne 0 ] && [ "$f1" -eq "$f0" ]; then
		result stages "$name exits 0 or records a failure (exit $rc, none recorded)" fail
	elif [ "$((p1 + f1))" -eq "$((p0 + f0))" ]; then
		result stages "$name records at least one result" fail
	fi
	echo "=== $1 ${2:-}: exit $rc, $(($(date +%s) - s)) s ==="
}

# side_by_side "CMD ARGS" "CMD ARGS": two suites that each keep one core
# busy (a single-threaded TCG guest) run at once, as one stage; each one's
# output is shown after both ended, in order. The stage's checks are
# stage()'s, over what both recorded.
side_by_side() {
	local c d rc=0 i pids=()
	d=$(mktemp -d)
	i=0
	for c in "$@"; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # the words are the command and its arguments
		$c > "$d/$i.log" 2>&1 &
		pids+=($!)
	done
	i=0
	for c in "$@"; do
		wait "${pids[$i]}" || rc=1
		i=$((i + 1))
		echo "--- $c ---"
		cat "$d/$i.log"
	done
	rm -rf "$d"
	return $rc
}

for series in 6.12 6.1; do
	stage check build "module builds for $series, W=1 C=1 -Werror, no warnings" \
		"$t/build-module.sh" "$series" > /dev/null
done
stage "$t/netlink-gen.sh" --check
stage "$t/checkpatch.sh"
stage check classify "userspace classifier under ASan/UBSan, 200000 random frames" \
	make -s -C "$t/classify" check
stage "$VMGW_ROOT/tools/vmgwctl/test/run.sh"
stage "$VMGW_ROOT/tools/cni/test/run.sh"
stage check policy "userspace DNS parser, rule trie, verdict, RST under ASan/UBSan" \
	make -s -C "$t/policy" check
stage "$t/fuzz/run.sh" 30
stage "$t/kunit/run.sh"
stage "$t/kunit/run.sh" --debug
"$t/e2e/run.sh" --build 6.12 && "$t/e2e/run.sh" --build 6.1
stage side_by_side "$t/e2e/run.sh 6.12" "$t/e2e/run.sh 6.1"
stage "$t/pkg/run.sh" 6.12 6.1

echo "total: $(($(date +%s) - start)) s"
passed=$(count_results pass)
failed=$(count_results fail)
skipped=$(count_results skip)
if [ "$skipped" -gt 0 ]; then
	echo "skipped cases:"
	grep -H '^skip ' "$VMGW_RESULTS"/*.res | sed "s|^$VMGW_RESULTS/||; s|\.res:skip | |; s/^/  /"
fi
if [ "$failed" -gt 0 ]; then
	echo "failed cases:"
	grep -H '^fail ' "$VMGW_RESULTS"/*.res | sed "s|^$VMGW_RESULTS/||; s|\.res:fail | |; s/^/  /"
fi
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
