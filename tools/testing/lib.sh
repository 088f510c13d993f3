# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the vmgw test scripts (sourced, not run).

VMGW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMGW_CACHE=${VMGW_CACHE:-$VMGW_ROOT/.cache}
VMGW_RESULTS=${VMGW_RESULTS:-$VMGW_CACHE/results}
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vmgw-ccache}
export CCACHE_DEPEND=1 CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

# kver SERIES: release of the installed Debian kernel of a series
# (6.12 -> 6.12.117+deb12-amd64, 6.1 -> 6.1.0-56-amd64). Package versions
# move with security updates, so this is looked up, never hard-coded.
kver() {
	local d best=
	for d in /usr/src/linux-headers-"$1".*-amd64; do
		[ -d "$d" ] || continue
		d=${d#/usr/src/linux-headers-}
		case $1 in
		6.1) case $d in 6.1.0-*) ;; *) continue ;; esac ;;
		esac
		best=$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -n "$best" ] || { echo "no Debian $1 headers installed (make deps)" >&2; return 1; }
	echo "$best"
}

# result STAGE NAME pass|fail: record one test case for the summary.
result() {
	mkdir -p "$VMGW_RESULTS"
	echo "$3 $2" >> "$VMGW_RESULTS/$1.res"
	if [ "$3" = pass ]; then
		echo "PASS: $1: $2"
	else
		echo "FAIL: $1: $2"
	fi
}

# guest_results STAGE LOG RC: the "VMGW-E2E: ok|not ok|skip NAME" lines a
# test VM printed in LOG become results of STAGE; a guest that hung (RC
# 124), crashed (125) or failed without a failing case is one more
# failure, and so is a guest that reported fewer cases than the plan it
# announced ("VMGW-E2E: plan N", see e2e/guest.sh) or announced none.
guest_results() {
	local stage=$1 log=$2 rc=$3 plan got

	tr -d '\r' < "$log" | sed -n 's/^VMGW-E2E: ok \(.*\)/pass \1/p
		s/^VMGW-E2E: not ok \(.*\)/fail \1/p
		s/^VMGW-E2E: skip \(.*\)/skip \1/p' >> "$VMGW_RESULTS/$stage.res"
	plan=$(tr -d '\r' < "$log" | sed -n 's/^VMGW-E2E: plan \([0-9][0-9]*\)$/\1/p' | tail -n 1)
	got=$(tr -d '\r' < "$log" | grep -cE '^VMGW-E2E: (ok|not ok|skip) ')
	if [ -z "$plan" ]; then
		result "$stage" "guest announced its plan of cases" fail
	elif [ "$got" -lt "$plan" ]; then
		result "$stage" "guest reported all $plan planned cases (got $got)" fail
	fi
	case $rc in
	0) ;;
	124) result "$stage" "guest finished before the timeout" fail ;;
	125) result "$stage" "guest ran to the end (no crash)" fail ;;
	*) grep -q '^fail' "$VMGW_RESULTS/$stage.res" ||
		result "$stage" "guest suite exit status" fail ;;
	esac
}

# check STAGE NAME CMD...: run CMD, record pass or fail, keep going.
check() {
	local stage=$1 name=$2
	shift 2
	if "$@"; then
		result "$stage" "$name" pass
	else
		result "$stage" "$name" fail
		return 1
	fi
}

# ksource SERIES: extracted Debian linux-source tree of a series, made once.
ksource() {
	local tar=/usr/src/linux-source-$1.tar.xz dir=$VMGW_CACHE/src/linux-source-$1
	[ -f "$tar" ] || { echo "$tar missing (make deps)" >&2; return 1; }
	if [ ! -f "$dir/.vmgw-extracted" ] || [ "$tar" -nt "$dir/.vmgw-extracted" ]; then
		echo "extracting $tar (once) ..." >&2
		rm -rf "$dir" && mkdir -p "$VMGW_CACHE/src"
		tar -C "$VMGW_CACHE/src" -xf "$tar" || return 1
		touch "$dir/.vmgw-extracted"
	fi
	echo "$dir"
}
