#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# stage2.sh CMD [ARGS...]: PID 1 of the vmgw test VM once the initramfs's
# init has made the host's root (9p, read-only, with fresh /proc, /sys,
# /dev, /tmp, /run) the real root with switch_root. Runs CMD as root in a
# clean environment, prints "VMGW-GUEST-EXIT <status>" (tools/testing/qemu/
# run.sh reads it from the console) and powers off.
#
# PID 1 must never exit (the kernel panics), so no "set -e" here, and the
# power-off falls back to sysrq and then to waiting for it.
echo "vmgw-init: running: $*"
/usr/bin/env -i HOME=/root TERM=dumb \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
echo "VMGW-GUEST-EXIT $?"
# The host's poweroff is systemd's; busybox's -f powers off at once.
/bin/busybox poweroff -f
echo o > /proc/sysrq-trigger
while :; do
	sleep 60
done
