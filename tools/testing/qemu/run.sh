#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh SERIES TIMEOUT CMD [ARGS...]: boot the installed Debian kernel of
# SERIES (6.12 or 6.1) in qemu-system-x86_64 under TCG (never KVM), with the
# host's root shared read-only over 9p as the guest's root (qemu/init
# switches to it, qemu/stage2.sh runs there as PID 1), run CMD (an absolute
# path; no spaces or commas in the arguments) as root inside it and power
# off. The console goes to stdout. Exit status: CMD's, or 124 when the guest
# hung and was killed after TIMEOUT seconds, or 125 when it died without
# reporting.
#
# VMGW_KERNEL=bzImage VMGW_KERNEL_RELEASE=R [VMGW_KERNEL_MODDIR=DIR] boot
# that kernel instead (SERIES is then only a label): a kernel with
# everything the tests need built in; DIR, its /lib/modules/R (so that
# modprobe finds what is built in), is put in place in the guest.
# VMGW_APPEND adds to the kernel command line (vmgw.overlay=1: a writable
# root, the host's under an overlay in guest memory).
set -u
. "$(dirname "$0")/../lib.sh"

series=$1 tmo=$2
shift 2
if [ -n "${VMGW_KERNEL:-}" ]; then
	kv=$VMGW_KERNEL_RELEASE kernel=$VMGW_KERNEL
else
	kv=$(kver "$series") || exit 125
	kernel=/boot/vmlinuz-$kv
fi
initrd=$VMGW_CACHE/initrd-$kv.gz
script=$VMGW_ROOT/tools/testing/qemu/mkinitramfs.sh
if [ ! -s "$initrd" ] || [ "$script" -nt "$initrd" ] ||
		[ "$VMGW_ROOT/tools/testing/qemu/init" -nt "$initrd" ]; then
	"$script" "$kv" "$initrd" || exit 125
fi

cmd=$(IFS=,; echo "$*")
# The init in the initramfs switches to the host's root and runs this there.
stage=$VMGW_ROOT/tools/testing/qemu/stage2.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
boot() {
	timeout -k 5 "$tmo" qemu-system-x86_64 -accel tcg,thread=single \
		-cpu max -smp 2 \
		-m 1536 -nodefaults -no-reboot -display none -serial stdio \
		-kernel "$kernel" -initrd "$initrd" \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 ${VMGW_APPEND:+$VMGW_APPEND }vmgw.stage=$stage vmgw.cmd=$cmd${VMGW_KERNEL_MODDIR:+ vmgw.moddir=$VMGW_KERNEL_MODDIR}" \
		< /dev/null | tee "$log"
	return "${PIPESTATUS[0]}"
}

# Two vCPUs, but one TCG thread: multi-threaded TCG let a vCPU run code
# another vCPU was live-patching (static keys), and Debian's kernel died on
# a stray int3 (seen at boot and under traffic, in core code). A boot that
# still dies in the kernel's own initcalls, before the init script ran
# anything, is retried at most twice; once the command started, any crash
# counts.
for attempt in 1 2 3; do
	boot
	rc=$?
	grep -q '^vmgw-init: running' "$log" && break
	[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && break
	echo "qemu: the kernel died while booting (attempt $attempt), before the test started"
done
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "qemu: guest killed after ${tmo}s (hung)"
	exit 124
fi
status=$(sed -n 's/^VMGW-GUEST-EXIT \([0-9]*\).*/\1/p' "$log" | tail -n 1)
[ -n "$status" ] || { echo "qemu: guest ended without reporting (crash?)"; exit 125; }
exit "$status"
