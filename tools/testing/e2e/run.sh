#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh SERIES [TEST...]: build vmgw.ko for the Debian kernel of SERIES,
# boot that kernel in QEMU (TCG) and run the e2e suite inside it. Each guest
# case becomes a result; a hung or crashed guest is a failed case.
# run.sh --build SERIES: only the builds (the module and the tools the
# guest runs), so that two runs can then go side by side without both
# building the same tools at once.
set -u
. "$(dirname "$0")/../lib.sh"

build_only=
[ "$1" = --build ] && { build_only=1; shift; }
series=$1
shift
stage=e2e-$series
rm -f "$VMGW_RESULTS/$stage.res"
log=$VMGW_CACHE/$stage.log
mkdir -p "$VMGW_RESULTS"

ko=$("$VMGW_ROOT/tools/testing/build-module.sh" "$series")
if [ -z "$ko" ]; then
	result "$stage" "module builds" fail
	exit 1
fi
if ! make -s -C "$VMGW_ROOT/tools/testing/vmm-emu" > /dev/null; then
	result "$stage" "vmm-emu builds" fail
	exit 1
fi
if ! make -s -C "$VMGW_ROOT/tools/testing/vhost-client" > /dev/null; then
	result "$stage" "vhost-client builds" fail
	exit 1
fi
# The guest has no compiler and runs cli.py from the 6.12 tree's ynl.
if ! make -s -C "$VMGW_ROOT/tools/vmgwctl" > /dev/null; then
	result "$stage" "vmgwctl builds" fail
	exit 1
fi
if ! make -s -C "$VMGW_ROOT/tools/cni" > /dev/null; then
	result "$stage" "the CNI plugin builds" fail
	exit 1
fi
ksource 6.12 > /dev/null || { result "$stage" "kernel source (ynl)" fail; exit 1; }
[ -n "$build_only" ] && exit 0
start=$(date +%s)
"$VMGW_ROOT/tools/testing/qemu/run.sh" "$series" "${VMGW_E2E_TIMEOUT:-3600}" \
	"$VMGW_ROOT/tools/testing/e2e/guest.sh" "$ko" "$@" > "$log" 2>&1
rc=$?
grep -E '^(#|VMGW-E2E:)' "$log" | grep -v '^# e2e' | sed 's/^/  /'
echo "e2e $series: guest exit $rc after $(($(date +%s) - start)) s (log: $log)"

guest_results "$stage" "$log" "$rc"
[ $rc -eq 0 ]
