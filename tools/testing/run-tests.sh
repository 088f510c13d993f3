#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-tests.sh: every vmgw test suite, in order; a failing stage does not
# stop the later ones. The last line is "N passed, N failed"; the exit
# status is non-zero when anything failed.
set -u
. "$(dirname "$0")/lib.sh"
t=$VMGW_ROOT/tools/testing

rm -rf "$VMGW_RESULTS"
mkdir -p "$VMGW_RESULTS"
start=$(date +%s)
stage() {
	local s=$(date +%s)
	echo "=== $* ==="
	"$@"
	echo "=== $1 ${2:-}: $(($(date +%s) - s)) s ==="
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
stage check policy "userspace DNS parser, rule trie, verdict, RST under ASan/UBSan" \
	make -s -C "$t/policy" check
stage "$t/fuzz/run.sh" 30
stage "$t/kunit/run.sh"
stage "$t/kunit/run.sh" --debug
stage "$t/e2e/run.sh" 6.12
stage "$t/e2e/run.sh" 6.1

echo "total: $(($(date +%s) - start)) s"
passed=$(cat "$VMGW_RESULTS"/*.res | grep -c '^pass ')
failed=$(cat "$VMGW_RESULTS"/*.res | grep -c '^fail ')
if [ "$failed" -gt 0 ]; then
	echo "failed cases:"
	grep -H '^fail ' "$VMGW_RESULTS"/*.res | sed "s|^$VMGW_RESULTS/||; s|\.res:fail | |; s/^/  /"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
