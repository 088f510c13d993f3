#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-deb.sh [OUTDIR]: build vmgw's Debian source and binary packages
# (vmgw-dkms, vmgwctl) with dpkg-buildpackage from a clean copy of the
# tree's files (tracked and new, nothing git ignores), check them with
# lintian where it is installed (any error fails; the test runs always
# have it) and leave them in OUTDIR (default $VMGW_CACHE/deb). Prints the
# paths of the two .deb files.
set -eu
. "$(dirname "$0")/../lib.sh"

out=${1:-$VMGW_CACHE/deb}
ver=$(dpkg-parsechangelog -l "$VMGW_ROOT/debian/changelog" -S Version)
dkms_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$VMGW_ROOT/dkms.conf")
if [ "$ver" != "$dkms_ver" ]; then
	echo "build-deb: debian/changelog says $ver, dkms.conf $dkms_ver" >&2
	exit 1
fi

rm -rf "$out" && mkdir -p "$out/src"
src=$out/src/vmgw-$ver
mkdir -p "$src"
(cd "$VMGW_ROOT" && git ls-files -co --exclude-standard -z |
	xargs -0 cp --parents -t "$src")
(cd "$src" && dpkg-buildpackage -us -uc -tc) > "$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.dsc "$out"/src/*.tar.* \
	"$out"/src/*.buildinfo "$out"/ 2> /dev/null || true
changes=$(ls "$out"/vmgw_"$ver"_*.changes)
if ! command -v lintian > /dev/null; then
	echo "build-deb: lintian is not installed, the packages are not checked" >&2
	ls "$out"/vmgw-dkms_"$ver"_all.deb "$out"/vmgwctl_"$ver"_*.deb
	exit 0
fi
# Errors fail; warnings are shown.
lintian --tag-display-limit 0 -i -I "$changes" > "$out/lintian.log" 2>&1 || true
sed 's/^/lintian: /' "$out/lintian.log" >&2
if grep -q '^E: ' "$out/lintian.log"; then
	echo "build-deb: lintian reports errors" >&2
	exit 1
fi
ls "$out"/vmgw-dkms_"$ver"_all.deb "$out"/vmgwctl_"$ver"_*.deb
