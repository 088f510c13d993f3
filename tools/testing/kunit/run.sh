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

# One result line per case, from kunit.py's JSON (KernelCI format): pass,
# fail or skip (shown, counted apart). What to expect is derived from the
# sources: every kunit_suite in kunit/*.c with its KUNIT_CASE* entries; a
# suite that is missing or reports fewer cases is a failure. (A
# parameterised case counts once; its parameters are results of their own.)
python3 - "$json" "$VMGW_ROOT/kunit" <<'PY' >> "$VMGW_RESULTS/$stage.res"
import glob, json, re, sys

def expected(src):
    """{suite name: number of cases} from the kunit_case/kunit_suite tables."""
    want = {}
    for path in sorted(glob.glob(f"{src}/*.c")):
        text = open(path).read()
        tables = {m.group(1): len(re.findall(r"\bKUNIT_CASE\w*\s*\(", m.group(2)))
                  for m in re.finditer(r"struct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\};",
                                       text, re.S)}
        for m in re.finditer(r"struct\s+kunit_suite\s+\w+\s*=\s*\{(.*?)\};", text, re.S):
            name = re.search(r'\.name\s*=\s*"([^"]+)"', m.group(1))
            cases = re.search(r"\.test_cases\s*=\s*(\w+)", m.group(1))
            if name and cases:
                want[name.group(1)] = tables.get(cases.group(1), 0)
    return want

def word(status):
    return {"PASS": "pass", "SKIP": "skip"}.get(status, "fail")

def walk(group, prefix, suites):
    name = group.get("name", "")
    path = f"{prefix}.{name}" if prefix and name else (name or prefix)
    if not prefix:
        suites[name] = len(group.get("test_cases", [])) + len(group.get("sub_groups", []))
    for case in group.get("test_cases", []):
        print(f"{word(case.get('status'))} {path}.{case['name']}")
    for sub in group.get("sub_groups", []):
        walk(sub, path, suites)

root = json.load(open(sys.argv[1]))
suites = {}
for case in root.get("test_cases", []):
    print(f"{word(case.get('status'))} {case['name']}")
for sub in root.get("sub_groups", []):
    walk(sub, "", suites)
want = expected(sys.argv[2])
if not want:
    print("fail kunit/*.c declare suites")
for name, n in sorted(want.items()):
    got = suites.get(name, 0)
    ok = "pass" if got >= n else "fail"
    print(f"{ok} {name}: all {n} cases reported (got {got})")
PY
skipped=$(grep -c '^skip ' "$VMGW_RESULTS/$stage.res")
echo "kunit $variant: $(grep -c '^pass ' "$VMGW_RESULTS/$stage.res") passed," \
	"$(grep -c '^fail ' "$VMGW_RESULTS/$stage.res") failed, $skipped skipped"
[ "$skipped" -eq 0 ] || grep '^skip ' "$VMGW_RESULTS/$stage.res"
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
