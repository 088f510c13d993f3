#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# netlink-gen.sh [--check]: generate the kernel policy and op tables
# (drivers/net/vmgw/netlink-gen.[ch]) and the uAPI enums
# (include/uapi/linux/vmgw_netlink.h) from Documentation/netlink/specs/
# vmgw.yaml with ynl-gen-c.py of the Debian 6.12 kernel source.
#
# Without --check the files are rewritten; either way the exit status is
# non-zero when a committed file differed from the generator's output, so
# a spec change without regenerated files fails "make test". --check only
# compares and records one result per file.
set -u
. "$(dirname "$0")/lib.sh"

stage=netlink-gen
check_only=
[ "${1:-}" = --check ] && check_only=1
[ -n "$check_only" ] && rm -f "$VMGW_RESULTS/$stage.res"

spec=Documentation/netlink/specs/vmgw.yaml
schema=Documentation/netlink/genetlink-legacy.yaml
tree=$(ksource 6.12) || { result $stage "kernel source" fail; exit 1; }
gen=$tree/tools/net/ynl/ynl-gen-c.py

# ynl-gen-c.py names the spec by its path below the nearest directory with
# a MAINTAINERS file and validates it against the schema two levels up, so
# it runs on a copy laid out like a kernel tree, with the tree's schema.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/Documentation/netlink/specs" "$work/out"
touch "$work/root/MAINTAINERS"
cp "$tree/$schema" "$work/root/$schema"
cp "$VMGW_ROOT/$spec" "$work/root/$spec"

# Debian's python3 has the yaml and jsonschema modules "make deps" installs;
# a python3 earlier in PATH (pyenv, venv) may not.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

# OUTPUT MODE ARGS...: one generated file, named as in the repository.
outputs=()
generate() {
	local out=$1 mode=$2
	shift 2
	mkdir -p "$work/out/$(dirname "$out")"
	"$py" "$gen" --mode "$mode" "$@" --spec "$work/root/$spec" \
		-o "$work/out/$out" || return 1
	outputs+=("$out")
}
generate drivers/net/vmgw/netlink-gen.h kernel --header &&
generate drivers/net/vmgw/netlink-gen.c kernel --source &&
generate include/uapi/linux/vmgw_netlink.h uapi --header ||
	{ result $stage "ynl-gen-c.py runs on $spec" fail; exit 1; }

rc=0
for f in "${outputs[@]}"; do
	if cmp -s "$work/out/$f" "$VMGW_ROOT/$f"; then
		[ -n "$check_only" ] && result $stage "$f matches $spec" pass
		continue
	fi
	rc=1
	if [ -n "$check_only" ]; then
		diff -u "$VMGW_ROOT/$f" "$work/out/$f" 2> /dev/null | head -n 40
		result $stage "$f matches $spec" fail
	else
		cp "$work/out/$f" "$VMGW_ROOT/$f"
		echo "netlink-gen: regenerated $f (commit it)"
	fi
done
[ $rc -eq 0 ] && [ -z "$check_only" ] && echo "netlink-gen: generated files up to date"
exit $rc
