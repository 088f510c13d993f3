#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh KVER OUT [INIT MODULE...]: a tiny initramfs for Debian's
# kernel KVER with busybox, INIT as /init and, decompressed (busybox insmod
# cannot read .ko.xz), the MODULEs with their dependencies, listed in load
# order in /lib/mods/order. By default the test VM's: its init and the
# modules needed to mount the host's root over virtio-9p and to put an
# overlay on it. A kernel without
# /lib/modules/KVER/modules.dep (everything built in) gets no modules.
set -eu
kv=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
init=${3:-$here/init}
wanted=(virtio virtio_ring virtio_pci 9pnet_virtio 9p overlay)
[ $# -le 3 ] || wanted=("${@:4}")
[ -f "/lib/modules/$kv/modules.dep" ] || wanted=()
mods=/lib/modules/$kv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work"/{bin,dev,proc,sys,host,lib/mods}
cp /bin/busybox "$work/bin/busybox"
cp "$init" "$work/init"
chmod 755 "$work/init"

# Dependency closure of the wanted modules, in load order.
declare -A seen=()
order=()
add() {
	local path=$1 dep
	[ -n "${seen[$path]:-}" ] && return
	seen[$path]=1
	for dep in $(awk -F: -v m="$path" '$1 == m { print $2 }' "$mods/modules.dep"); do
		add "$dep"
	done
	order+=("$path")
}
for m in "${wanted[@]}"; do
	path=$(grep -E "(^|/)${m}\.ko(\.xz|\.zst)?:" "$mods/modules.dep" | head -n 1 | cut -d: -f1)
	[ -n "$path" ] || continue	# built in
	add "$path"
done
for path in "${order[@]}"; do
	name=$(basename "$path")
	case $name in
	*.xz) xz -dc "$mods/$path" > "$work/lib/mods/${name%.xz}"; name=${name%.xz} ;;
	*.zst) zstd -qdc "$mods/$path" > "$work/lib/mods/${name%.zst}"; name=${name%.zst} ;;
	*) cp "$mods/$path" "$work/lib/mods/$name" ;;
	esac
	echo "$name" >> "$work/lib/mods/order"
done
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
