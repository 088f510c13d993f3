#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh: build the debug kernel for "make test-debug" from Debian's
# linux-source-6.12: allnoconfig plus debug.config (KASAN, kmemleak,
# lockdep, UBSAN, DEBUG_ATOMIC_SLEEP and what the e2e suite needs), in
# .cache/debug-kernel/build, through ccache. Installs the module metadata
# (modules.builtin, so "modprobe tun" finds tun built in) under
# .cache/debug-kernel/modules. Prints the kernel release; the image is
# .cache/debug-kernel/build/arch/x86/boot/bzImage.
set -eu
. "$(dirname "$0")/../lib.sh"

here=$VMGW_ROOT/tools/testing/debug-kernel
out=$VMGW_CACHE/debug-kernel
b=$out/build
tree=$(ksource 6.12)
mkdir -p "$b"
export CCACHE_BASEDIR=$tree
cc=gcc
command -v ccache > /dev/null && cc="ccache gcc"
mk() {
	make -C "$tree" O="$b" ARCH=x86_64 CC="$cc" -j"$(nproc)" "$@"
}

# Configure only when the fragment changed: a warm build then recompiles
# only what changed.
if [ ! -f "$b/.config" ] || [ "$here/debug.config" -nt "$b/.config" ]; then
	mk allnoconfig > /dev/null
	KCONFIG_CONFIG=$b/.config "$tree/scripts/kconfig/merge_config.sh" \
		-m -O "$b" "$b/.config" "$here/debug.config" > /dev/null
	mk olddefconfig > /dev/null
	# Every line of the fragment must have survived (a missing dependency
	# silently drops an option).
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) want="# ${line%=n} is not set" ;;
		CONFIG_*) want=$line ;;
		*) continue ;;
		esac
		grep -qxF "$want" "$b/.config" ||
			{ echo "debug-kernel: '$line' did not survive olddefconfig" >&2; bad=1; }
	done < "$here/debug.config"
	[ $bad -eq 0 ] || { rm -f "$b/.config"; exit 1; }
fi
mk bzImage modules > "$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; exit 1; }
rm -rf "$out/modules"
mk INSTALL_MOD_PATH="$out/modules" modules_install >> "$out/build.log" 2>&1 ||
	{ tail -n 20 "$out/build.log" >&2; exit 1; }
cat "$b/include/config/kernel.release"
