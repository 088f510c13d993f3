#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module.sh SERIES: build vmgw.ko for the installed Debian kernel of
# SERIES (6.12 or 6.1) with W=1, sparse (C=1) and -Werror, in a build
# directory of its own under the cache. Any compiler or sparse warning fails.
# Prints the path of the module on success.
set -eu
. "$(dirname "$0")/lib.sh"

series=$1
kv=$(kver "$series")
kdir=/lib/modules/$kv/build
out=$VMGW_CACHE/build/ko-$kv
mkdir -p "$out"
# By content, not by time (-c, no -t): a source that changed is written
# with the time of the copy, so make rebuilds its objects even when the
# source's own time is older than theirs (a revert, a checkout, a
# selftest copy); an unchanged one keeps its time and is not rebuilt.
rsync -rlpc --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'Module.symvers' --exclude 'modules.order' \
	"$VMGW_ROOT"/Kbuild "$VMGW_ROOT"/Kconfig "$VMGW_ROOT"/drivers \
	"$VMGW_ROOT"/include "$VMGW_ROOT"/kunit "$out"/ >&2
log=$out/build.log
if ! make -C "$kdir" M="$out" VMGW_WERROR=1 W=1 C=1 \
		CHECK="sparse -Wsparse-error" modules > "$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-module: warnings in the $kv build (see above)" >&2
	exit 1
fi
echo "$out/vmgw.ko"
