#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh SERIES...: the install test of the Debian packages on the Debian
# kernel of each SERIES (6.12, 6.1). Builds them (build-deb.sh, lintian)
# unless they are already in $VMGW_CACHE/deb, checks the plain external
# build's modules_install, then boots each kernel in QEMU (TCG) with a
# writable root and runs pkg/guest.sh in it: apt-get install, DKMS build,
# autoload, modprobe, vmgwctl up with a guest, down, purge. The guests
# run side by side: each is one TCG thread, most of its time is the DKMS
# build and depmod, and the results of each go to stage pkg-SERIES.
set -u
. "$(dirname "$0")/../lib.sh"

[ $# -gt 0 ] || { echo "usage: run.sh SERIES..." >&2; exit 2; }
stage=pkg
t=$VMGW_ROOT/tools/testing
mkdir -p "$VMGW_RESULTS"
rm -f "$VMGW_RESULTS/$stage.res"
for series; do
	rm -f "$VMGW_RESULTS/$stage-$series.res"
done
debs=$VMGW_CACHE/deb

# The packages are rebuilt unless the ones in $debs were made from the
# same files (the hash of what build-deb.sh copies): the test never
# installs packages of an older tree.
tree=$(cd "$VMGW_ROOT" && git ls-files -co --exclude-standard -z |
	xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if ! ls "$debs"/vmgw-dkms_*_all.deb > /dev/null 2>&1 ||
		[ "$(cat "$debs/tree" 2> /dev/null)" != "$tree" ]; then
	s=$(date +%s)
	if ! command -v lintian > /dev/null ||
			! "$t/pkg/build-deb.sh" "$debs" > /dev/null; then
		result "$stage" "packages build, lintian reports no errors" fail
		exit 1
	fi
	echo "$tree" > "$debs/tree"
	result "$stage" "packages build, lintian reports no errors ($(($(date +%s) - s)) s)" pass
fi

# make -C KDIR M=DIR modules_install, as the kernel documents it.
for series; do
	kv=$(kver "$series") || exit 1
	ko=$("$t/build-module.sh" "$series") ||
		{ result "$stage-$series" "module builds" fail; exit 1; }
	inst=$(mktemp -d)
	if make -s -C "/lib/modules/$kv/build" M="$(dirname "$ko")" \
			INSTALL_MOD_PATH="$inst" modules_install > "$inst.log" 2>&1 &&
			find "$inst/lib/modules/$kv" -name 'vmgw.ko*' | grep -q .; then
		result "$stage-$series" "make M=... modules_install installs vmgw.ko" pass
	else
		cat "$inst.log"
		result "$stage-$series" "make M=... modules_install installs vmgw.ko" fail
	fi
	rm -rf "$inst" "$inst.log"
done

make -s -C "$t/vmm-emu" > /dev/null || { result "$stage" "vmm-emu builds" fail; exit 1; }

# Compiling the module in the TCG guest takes 10 to 25 minutes. So the
# host first runs the build DKMS will run, with the same files at the same
# paths (/var/lib/dkms/vmgw/VERSION/build, in a mount namespace of its
# own: the host's DKMS state is not touched), through ccache into
# pkg-ccache; guest.sh points the guest's DKMS build at that cache, read
# only. DKMS, make, modpost and the linker still run in the guest; only
# the compiler's output for identical input comes from the cache.
ver=$(dpkg-deb -f "$debs"/vmgw-dkms_*_all.deb Version)
export VMGW_PKG_CCACHE=$VMGW_CACHE/pkg-ccache
prime() {
	local k=$1
	env -u LC_CTYPE -u LC_MESSAGES LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		unshare -m --propagation private bash -c '
		set -e
		mount -t tmpfs tmpfs /var/lib/dkms
		b=/var/lib/dkms/vmgw/$1/build
		mkdir -p "$b"
		cp -r "$2"/Kbuild "$2"/Kconfig "$2"/drivers "$2"/include "$2"/dkms.conf "$b"/
		PATH=/usr/lib/ccache:$PATH CCACHE_DIR=$VMGW_PKG_CCACHE CCACHE_NOHASHDIR=1 \
			CCACHE_DEPEND=1 make -j"$(nproc)" KERNELRELEASE="$3" \
			-C "/lib/modules/$3/build" M="$b" modules' _ "$ver" "$VMGW_ROOT" "$k"
}
# The guests' DKMS builds are for the running kernel and the newest one.
newest=$(kver 6.12) || exit 1
for k in $({ for series; do kver "$series"; done; echo "$newest"; } | sort -u); do
	prime "$k" > "$VMGW_CACHE/pkg-prime.log" 2>&1 ||
		{ cat "$VMGW_CACHE/pkg-prime.log"; result "$stage" "host build for the compiler cache ($k)" fail; exit 1; }
done
start=$(date +%s)
pids=()
for series; do
	VMGW_APPEND=vmgw.overlay=1 "$t/qemu/run.sh" "$series" "${VMGW_PKG_TIMEOUT:-2400}" \
		"$t/pkg/guest.sh" "$debs" "$VMGW_PKG_CCACHE" > "$VMGW_CACHE/pkg-$series.log" 2>&1 &
	pids+=($!)
done
rc_all=0
i=0
for series; do
	wait "${pids[$i]}"
	rc=$?
	i=$((i + 1))
	log=$VMGW_CACHE/pkg-$series.log
	echo "pkg $series:"
	tr -d '\r' < "$log" | grep -E '^(#|VMGW-E2E:)' | sed 's/^/  /'
	echo "pkg $series: guest exit $rc, $(($(date +%s) - start)) s after the boots began (log: $log)"
	guest_results "$stage-$series" "$log" "$rc"
	[ $rc -eq 0 ] || rc_all=1
done
exit $rc_all
