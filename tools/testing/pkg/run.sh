#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh SERIES: the install test of the Debian packages on the Debian
# kernel of SERIES. Builds them (build-deb.sh, lintian) unless they are
# already in $VMGW_CACHE/deb, checks the plain external build's
# modules_install, then boots that kernel in QEMU (TCG) with a writable
# root and runs pkg/guest.sh in it: apt-get install, DKMS build, autoload,
# modprobe, vmgwctl up with a guest, down, purge.
set -u
. "$(dirname "$0")/../lib.sh"

series=$1
stage=pkg-$series
t=$VMGW_ROOT/tools/testing
rm -f "$VMGW_RESULTS/$stage.res"
mkdir -p "$VMGW_RESULTS"
debs=$VMGW_CACHE/deb

if ! ls "$debs"/vmgw-dkms_*_all.deb > /dev/null 2>&1; then
	s=$(date +%s)
	if ! command -v lintian > /dev/null ||
			! "$t/pkg/build-deb.sh" "$debs" > /dev/null; then
		result "$stage" "packages build, lintian reports no errors" fail
		exit 1
	fi
	result "$stage" "packages build, lintian reports no errors ($(($(date +%s) - s)) s)" pass
fi

# make -C KDIR M=DIR modules_install, as the kernel documents it.
kv=$(kver "$series") || exit 1
ko=$("$t/build-module.sh" "$series") || { result "$stage" "module builds" fail; exit 1; }
inst=$(mktemp -d)
if make -s -C "/lib/modules/$kv/build" M="$(dirname "$ko")" \
		INSTALL_MOD_PATH="$inst" modules_install > "$inst.log" 2>&1 &&
		find "$inst/lib/modules/$kv" -name 'vmgw.ko*' | grep -q .; then
	result "$stage" "make M=... modules_install installs vmgw.ko" pass
else
	cat "$inst.log"
	result "$stage" "make M=... modules_install installs vmgw.ko" fail
fi
rm -rf "$inst" "$inst.log"

make -s -C "$t/vmm-emu" > /dev/null || { result "$stage" "vmm-emu builds" fail; exit 1; }
log=$VMGW_CACHE/$stage.log
start=$(date +%s)
VMGW_APPEND=vmgw.overlay=1 "$t/qemu/run.sh" "$series" "${VMGW_PKG_TIMEOUT:-2400}" \
	"$t/pkg/guest.sh" "$debs" > "$log" 2>&1
rc=$?
grep -E '^(#|VMGW-E2E:)' "$log" | sed 's/^/  /'
echo "pkg $series: guest exit $rc after $(($(date +%s) - start)) s (log: $log)"
guest_results "$stage" "$log" "$rc"
[ $rc -eq 0 ]
