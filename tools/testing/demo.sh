#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh: build vmgw.ko and vmgwctl for Debian's 6.12 kernel, boot that
# kernel in QEMU (TCG) and, inside it, a microVM whose network is vmgw
# (demo/guest.sh), step by step.
set -u
. "$(dirname "$0")/lib.sh"
start=$(date +%s)
echo "demo: building vmgw.ko for Debian's 6.12 kernel"
ko=$("$VMGW_ROOT/tools/testing/build-module.sh" 6.12) || exit 1
make -s -C "$VMGW_ROOT/tools/vmgwctl" > /dev/null || exit 1
echo "demo: booting the test VM (QEMU TCG), then a microVM inside it (TCG in TCG: several minutes)"
"$VMGW_ROOT/tools/testing/qemu/run.sh" 6.12 2400 \
	"$VMGW_ROOT/tools/testing/demo/guest.sh" "$ko" |
	sed -un '/^vmgw-init: running/,/^VMGW-GUEST-EXIT/p' |
	grep --line-buffered -v '^vmgw-init\|^VMGW-GUEST-EXIT'
rc=${PIPESTATUS[0]}
echo "demo: total $(($(date +%s) - start)) s, $([ "$rc" -eq 0 ] && echo ok || echo "FAILED (status $rc)")"
exit "$rc"
