#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package vmgw needs to build, test and demo.
# Idempotent and non-interactive: does nothing when all are present.
set -eu

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod cpio
	xz-utils zstd rsync python3 ccache sparse pkg-config libmnl-dev
	python3-yaml python3-jsonschema clang libclang-rt-dev
	linux-source-6.12 linux-headers-6.12-amd64 linux-image-6.12-amd64
	linux-source-6.1 linux-headers-amd64 linux-image-amd64
	qemu-system-x86 busybox-static iproute2 ethtool iputils-ping
	valgrind passt iperf3 dnsmasq-base nftables procps linux-perf
	dkms dh-dkms debhelper lintian udev systemd man-db
	libjson-c-dev containernetworking-plugins
)

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "deps: all ${#pkgs[@]} packages present"; exit 0; }

echo "deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q \
	--no-install-recommends "${missing[@]}"
