#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh: checkpatch.pl --strict (from the Debian 6.12 source tree)
# over every C source and header of the module, its KUnit suites and uapi,
# except those ynl-gen-c.py generates (as the kernel's own checks skip them).
set -u
. "$(dirname "$0")/lib.sh"
stage=checkpatch
rm -f "$VMGW_RESULTS/$stage.res"
tree=$(ksource 6.12) || { result $stage "kernel source" fail; exit 1; }
rc=0
cd "$VMGW_ROOT" || exit 1
for f in drivers/net/vmgw/*.[ch] kunit/*.[ch] include/uapi/linux/*.h; do
	grep -q '^/\* YNL-GEN ' "$f" && continue
	if out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --quiet \
			--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$f" 2>&1); then
		result $stage "$f" pass
	else
		printf '%s\n' "$out"
		result $stage "$f" fail
		rc=1
	fi
done
exit $rc
