#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO [TEST...]: inside the test VM, run every e2e test script (or
# the named ones) against the module KO. Exit status 0 only if every case
# passed and the kernel log stayed clean.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export VMGW_KO=$1
shift
. "$here/lib.sh"

ip link set lo up
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$here"/tests/*.sh)
for t in "${tests[@]}"; do
	[ -f "$t" ] || t=$here/tests/$t
	echo "# e2e: $(basename "$t")"
	. "$t"
done
t_run "kernel log has no warnings or reports" no_kernel_reports
if lsmod | grep -q '^vmgw '; then
	t_run "module unloads at the end" rmmod vmgw
fi
echo "# e2e: $E2E_FAILS failed"
[ "$E2E_FAILS" -eq 0 ]
