#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO [TEST...]: inside the test VM, run every e2e test script (or
# the named ones) against the module KO. Exit status 0 only if every case
# passed and the kernel log stayed clean.
#
# It first prints "VMGW-E2E: plan N", the number of cases the files
# declare (their lines that begin with t_run, see lib.sh) plus its own two:
# the host fails the run when fewer results arrive. A file that does not
# parse (bash -n), or that runs another number of cases than it declares,
# is a failed case of its own.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export VMGW_KO=$1
shift
. "$here/lib.sh"

# declared FILE: the cases FILE declares.
declared() {
	grep -c '^[[:space:]]*t_run[[:space:]]' "$1"
}

ip link set lo up
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$here"/tests/*.sh)
plan=2
for i in "${!tests[@]}"; do
	[ -f "${tests[$i]}" ] || tests[$i]=$here/tests/${tests[$i]}
	plan=$((plan + $(declared "${tests[$i]}")))
done
echo "VMGW-E2E: plan $plan"
for t in "${tests[@]}"; do
	f=$(basename "$t")
	echo "# e2e: $f"
	if [ ! -f "$t" ] || ! err=$(bash -n "$t" 2>&1); then
		E2E_FAILS=$((E2E_FAILS + 1))
		printf '%s\n' "${err:-no such file}" | sed 's/^/#   /'
		echo "VMGW-E2E: not ok $f loads (bash -n)"
		continue
	fi
	want=$(declared "$t")
	before=$E2E_CASES
	. "$t"
	t_outside "at the end of $f"
	ran=$((E2E_CASES - before))
	if [ "$ran" -ne "$want" ]; then
		E2E_FAILS=$((E2E_FAILS + 1))
		echo "VMGW-E2E: not ok $f ran $ran of its $want cases"
	fi
done
t_run "kernel log has no warnings or reports" no_kernel_reports
t_run "module unloads at the end" \
	eval '! lsmod | grep -q "^vmgw " || rmmod vmgw'
echo "# e2e: $E2E_FAILS failed"
[ "$E2E_FAILS" -eq 0 ]
