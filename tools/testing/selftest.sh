#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest.sh [NAME...]: "make test-selftest" (run-tests.sh --selftest),
# the proof that the suite can fail. Each selftest/NAME.patch breaks the
# module or vmgwctl on purpose; for each (or the named ones) the tree is
# copied as it is (uncommitted changes too; no .git, no .cache), the patch
# is applied to the copy -- the shipped tree is never changed -- and the
# e2e files the patch names ("tests: FILE...") run from the copy on the
# Debian kernel of SELFTEST_SERIES (default 6.1, which leaves out the
# nested microVM). The breakage is caught when that run fails and every
# case the patch names ("guard: CASE") failed in it. Results go to stage
# "selftest"; the last line says how many breakages were caught, and the
# exit status is non-zero unless all were.
set -u
. "$(dirname "$0")/lib.sh"

stage=selftest
series=${SELFTEST_SERIES:-6.1}
dir=$VMGW_ROOT/tools/testing/selftest
work=$VMGW_CACHE/selftest
mkdir -p "$VMGW_RESULTS" "$work/cache"
rm -f "$VMGW_RESULTS/$stage.res"
# The copy's runs share one cache, and the extracted kernel sources (ynl)
# of this one.
ln -sfn "$VMGW_CACHE/src" "$work/cache/src"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for p in "$dir"/*.patch; do
		names+=("$(basename "$p" .patch)")
	done
fi

caught=0
start=$(date +%s)
for name in "${names[@]}"; do
	p=$dir/$name.patch
	echo "=== selftest $name: $(sed -n '1,/^$/p' "$p" | grep -v -e '^tests:' -e '^guard:' | tr '\n' ' ')"
	tests=$(sed -n 's/^tests: //p' "$p")
	mapfile -t guards < <(sed -n 's/^guard: //p' "$p")
	if [ -z "$tests" ] || [ ${#guards[@]} -eq 0 ]; then
		result $stage "$name: the patch names its tests and guards" fail
		continue
	fi
	tree=$work/tree
	rm -rf "$tree" && mkdir -p "$tree" &&
	rsync -a --exclude /.cache --exclude /.git "$VMGW_ROOT"/ "$tree"/ || {
		result $stage "$name: the tree is copied" fail; continue; }
	# Inside the test VM the copy's scripts find the kernel source (the
	# microVM's extract-vmlinux) under their own .cache.
	mkdir -p "$tree/.cache" && ln -sfn "$VMGW_CACHE/src" "$tree/.cache/src"
	if ! patch -s -p1 -d "$tree" --no-backup-if-mismatch < "$p"; then
		result $stage "$name: the patch applies" fail
		continue
	fi
	res=$work/results-$name
	rm -rf "$res"
	# The copy's files keep their times (rsync -a), so objects of the
	# previous breakage would look newer than a file it patched and this
	# one does not: every breakage builds its module from scratch.
	rm -rf "$work/cache/build"
	s=$(date +%s)
	# shellcheck disable=SC2086 # tests: a list of file names
	VMGW_CACHE=$work/cache VMGW_RESULTS=$res VMGW_E2E_TIMEOUT=${SELFTEST_TIMEOUT:-900} \
		nice -n 10 "$tree/tools/testing/e2e/run.sh" "$series" $tests \
		> "$work/$name.out" 2>&1
	rc=$?
	echo "e2e $series $tests, broken by $name: exit $rc after $(($(date +%s) - s)) s (log: $work/$name.out)"
	echo "failed cases:"
	grep -h '^fail ' "$res"/*.res 2> /dev/null | sed 's/^fail /  /'
	ok=1
	if [ $rc -ne 0 ]; then
		result $stage "$name: the run fails" pass
	else
		result $stage "$name: the run fails" fail
		ok=0
	fi
	for g in "${guards[@]}"; do
		if grep -qxF "fail $g" "$res"/*.res 2> /dev/null; then
			result $stage "$name: guard fails: $g" pass
		else
			result $stage "$name: guard fails: $g" fail
			ok=0
		fi
	done
	caught=$((caught + ok))
done
rm -rf "$work/tree"
echo "selftest: $caught of ${#names[@]} breakages caught by their guards in $(($(date +%s) - start)) s"
[ "$caught" -eq ${#names[@]} ]
