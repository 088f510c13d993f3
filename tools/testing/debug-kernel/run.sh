#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [TEST...]: "make test-debug". Build the debug kernel (build.sh:
# KASAN, kmemleak, lockdep, UBSAN, DEBUG_ATOMIC_SLEEP) and vmgw.ko against
# it, boot it in QEMU (TCG) and run the e2e suite (or the named tests)
# there, with a kmemleak scan at the end. Any KASAN, UBSAN, lockdep,
# might_sleep or kmemleak report fails the run. Results go to the
# e2e-debug stage.
set -u
. "$(dirname "$0")/../lib.sh"

stage=e2e-debug
out=$VMGW_CACHE/debug-kernel
log=$VMGW_CACHE/$stage.log
rm -f "$VMGW_RESULTS/$stage.res"
mkdir -p "$VMGW_RESULTS"

start=$(date +%s)
if ! kr=$(nice -n 19 "$VMGW_ROOT/tools/testing/debug-kernel/build.sh"); then
	result "$stage" "debug kernel builds" fail
	exit 1
fi
echo "debug kernel $kr built in $(($(date +%s) - start)) s"

ko=$out/ko
mkdir -p "$ko"
# By content, not by time, as in build-module.sh: no stale objects.
rsync -rlpc --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'Module.symvers' --exclude 'modules.order' \
	"$VMGW_ROOT"/Kbuild "$VMGW_ROOT"/Kconfig "$VMGW_ROOT"/drivers \
	"$VMGW_ROOT"/include "$VMGW_ROOT"/kunit "$ko"/
if ! make -C "$out/build" M="$ko" modules \
		> "$ko/build.log" 2>&1; then
	cat "$ko/build.log"
	result "$stage" "module builds against the debug kernel" fail
	exit 1
fi
# Warnings fail build-module.sh for Debian's kernels; here they are shown.
grep -E 'warning:' "$ko/build.log"
for tool in tools/testing/vmm-emu tools/vmgwctl; do
	make -s -C "$VMGW_ROOT/$tool" > /dev/null ||
		{ result "$stage" "$tool builds" fail; exit 1; }
done
ksource 6.12 > /dev/null || { result "$stage" "kernel source (ynl)" fail; exit 1; }

# Every suite but the microVM ones, unless tests are named:
# 60-microvm.sh and 75-vhost-microvm.sh boot a nested QEMU guest, which
# this kernel under TCG cannot run in any useful time, and need
# nf_tables, which debug.config leaves out.
if [ $# -eq 0 ]; then
	for t in "$VMGW_ROOT"/tools/testing/e2e/tests/*.sh; do
		case $(basename "$t") in
		60-microvm.sh | 75-vhost-microvm.sh) ;;
		*) set -- "$@" "$(basename "$t")" ;;
		esac
	done
fi

# pci=noacpi: under KASAN and lockdep in TCG, the ACPI interpreter runs
# the PCI routing method (_PRT) past ACPICA's 30 s loop limit, and the
# virtio device that carries the root file system is left without an
# interrupt; the BIOS routing table gives it one.
start=$(date +%s)
VMGW_APPEND=pci=noacpi VMGW_KERNEL=$out/build/arch/x86/boot/bzImage VMGW_KERNEL_RELEASE=$kr \
VMGW_KERNEL_MODDIR=$out/modules/lib/modules/$kr \
	"$VMGW_ROOT/tools/testing/qemu/run.sh" debug "${VMGW_E2E_TIMEOUT:-5400}" \
	"$VMGW_ROOT/tools/testing/debug-kernel/guest.sh" "$ko/vmgw.ko" "$@" \
	> "$log" 2>&1
rc=$?
grep -E '^(#|VMGW-E2E:)' "$log" | grep -v '^# e2e' | sed 's/^/  /'
echo "e2e debug: guest exit $rc after $(($(date +%s) - start)) s (log: $log)"

guest_results "$stage" "$log" "$rc"
# Every report of a debug option that the console shows (loglevel 4: up to
# KERN_ERR) is in the log; the suite's own lines ("VMGW-E2E:", "#") name
# these reports too and are left out.
if grep -vE '^(VMGW-E2E:|#)' "$log" | grep -E 'BUG: |WARNING: |KASAN|UBSAN|possible recursive locking|circular locking|inconsistent lock state|sleeping function called|suspicious RCU usage|unreferenced object'; then
	result "$stage" "console: no KASAN, UBSAN, lockdep or might_sleep report" fail
	rc=1
else
	result "$stage" "console: no KASAN, UBSAN, lockdep or might_sleep report" pass
fi
[ $rc -eq 0 ]
