#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO [TEST...]: inside the debug kernel's test VM, run the e2e
# suite (e2e/guest.sh) between two kmemleak scans: what kmemleak already
# suspected after boot is cleared first, so only objects leaked during the
# suite are reported. Exit status 0 only if the suite passed and no leak
# was reported.
set -u
here=$(cd "$(dirname "$0")" && pwd)
kml=/sys/kernel/debug/kmemleak

mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
if [ ! -w "$kml" ]; then
	echo "VMGW-E2E: not ok kmemleak is enabled"
	exit 1
fi
echo scan > "$kml"
echo clear > "$kml"

bash "$here/../e2e/guest.sh" "$@"
rc=$?

# Unreferenced objects are reported once they are old enough (5 s) and
# were seen by two scans.
sleep 6
echo scan > "$kml"
sleep 1
echo scan > "$kml"
leaks=$(cat "$kml")
if [ -n "$leaks" ]; then
	printf '%s\n' "$leaks" | head -n 60 | sed 's/^/# /'
	echo "VMGW-E2E: not ok kmemleak: no object leaked during the suite"
	rc=1
else
	echo "VMGW-E2E: ok kmemleak: no object leaked during the suite"
fi
# The whole log, once more, for the debug options' reports (lockdep's and
# might_sleep's are warnings, which the console's log level hides).
if dmesg | grep -E 'BUG: |WARNING: |KASAN|UBSAN|circular locking|recursive locking|inconsistent lock state|sleeping function called|suspicious RCU usage'; then
	echo "VMGW-E2E: not ok debug kernel log: no KASAN, UBSAN, lockdep or might_sleep report"
	rc=1
else
	echo "VMGW-E2E: ok debug kernel log: no KASAN, UBSAN, lockdep or might_sleep report"
fi
exit $rc
