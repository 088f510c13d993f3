#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [--debug]: link vmgw into the extracted Debian linux-source-6.12
# tree and run its KUnit suites under UML with kunit.py. --debug adds KASAN,
# UBSAN, lockdep (PROVE_LOCKING) and DEBUG_ATOMIC_SLEEP in a build tree of
# its own. Every case is recorded for the summary; a build failure or a
# report from a debug option is a failed case.
set -u
. "$(dirname "$0")/../lib.sh"

variant=um configs=(--kunitconfig="$VMGW_ROOT/kunit/.kunitconfig")
if [ "${1:-}" = --debug ]; then
	variant=um-debug
	configs+=(--kunitconfig="$VMGW_ROOT/kunit/debug.config")
fi
stage=kunit-$variant
mkdir -p "$VMGW_RESULTS"
rm -f "$VMGW_RESULTS/$stage.res"

tree=$(ksource 6.12) || { result "$stage" "kernel source" fail; exit 1; }

# Link the project into the tree once: drivers/net/vmgw -> project root.
ln -sfn "$VMGW_ROOT" "$tree/drivers/net/vmgw"
grep -q 'CONFIG_VMGW' "$tree/drivers/net/Makefile" ||
	echo 'obj-$(CONFIG_VMGW) += vmgw/' >> "$tree/drivers/net/Makefile"
grep -q 'drivers/net/vmgw/Kconfig' "$tree/drivers/net/Kconfig" ||
	echo 'source "drivers/net/vmgw/Kconfig"' >> "$tree/drivers/net/Kconfig"

build=$VMGW_CACHE/kunit/$variant
json=$VMGW_CACHE/kunit/$variant.json
log=$VMGW_CACHE/kunit/$variant.log
mkdir -p "$build" && rm -f "$json"

cc=gcc
command -v ccache > /dev/null && cc="ccache gcc"
start=$(date +%s)
(cd "$tree" && python3 tools/testing/kunit/kunit.py run --arch=um \
	"${configs[@]}" --build_dir="$build" --jobs="$(nproc)" \
	--make_options="CC=$cc" --timeout=600 --json="$json") > "$log" 2>&1
rc=$?
echo "kunit $variant: kunit.py exit $rc after $(($(date +%s) - start)) s (log: $log)"

if [ ! -s "$json" ]; then
	tail -n 40 "$log"
	result "$stage" "build and boot" fail
	exit 1
fi

# One result line per case, from kunit.py's JSON (KernelCI format).
python3 - "$json" "$stage" <<'PY' >> "$VMGW_RESULTS/$stage.res"
import json, sys
def walk(group, prefix):
    name = group.get("name", "")
    path = f"{prefix}.{name}" if prefix and name else (name or prefix)
    for case in group.get("test_cases", []):
        status = case.get("status")
        if status == "SKIP":
            continue
        ok = "pass" if status == "PASS" else "fail"
        print(f"{ok} {path}.{case['name']}")
    for sub in group.get("sub_groups", []):
        walk(sub, path)
root = json.load(open(sys.argv[1]))
for case in root.get("test_cases", []):
    print(("pass " if case.get("status") == "PASS" else "fail ") + case["name"])
for sub in root.get("sub_groups", []):
    walk(sub, "")
PY
grep -q '^fail' "$VMGW_RESULTS/$stage.res" && grep '^fail' "$VMGW_RESULTS/$stage.res"

# Debug options report through the kernel log; any report fails the stage.
if [ "$variant" = um-debug ]; then
	# UML's virt-pci warns at every boot when no virtio-pci device exists;
	# that warning is not ours and is left out.
	if grep -E 'BUG: |WARNING: |KASAN|UBSAN|possible recursive locking|circular locking|sleeping function called|inconsistent lock state' \
			"$build/test.log" | grep -v 'arch/um/drivers/virt-pci.c'; then
		result "$stage" "no debug reports in the kernel log" fail
	else
		result "$stage" "no debug reports in the kernel log" pass
	fi
fi
[ $rc -eq 0 ] || result "$stage" "kunit.py exit status" fail
! grep -q '^fail' "$VMGW_RESULTS/$stage.res"
