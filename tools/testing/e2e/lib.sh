# SPDX-License-Identifier: GPL-2.0
# Helpers for e2e test scripts that run as root inside the QEMU test VM.
# Each case prints "VMGW-E2E: ok NAME", "VMGW-E2E: not ok NAME" or
# "VMGW-E2E: skip NAME"; the host side counts those lines.
#
# A test file (tests/*.sh) is sourced by guest.sh and calls t_run once
# per case, one call per line at the top level of the file (not in a loop
# or a function): guest.sh counts the lines that begin with t_run, and a
# file that runs fewer cases (it stopped half way) or more is a failure.
# A case that does not apply here calls t_skip and returns 0.

E2E_FAILS=0
E2E_CASES=0
# A case fails when its function returns non-zero OR when anything in it
# called fail, whatever ran after that: fail appends its message to
# $E2E_FAILED (a file, so that subshells, pipelines, background jobs and
# coprocesses of the case report too), and t_run reads it after the case.
E2E_STATE=${E2E_STATE:-$(mktemp -d /tmp/vmgw-e2e.XXXXXX)}
E2E_FAILED=$E2E_STATE/failed
E2E_SKIPPED=$E2E_STATE/skipped
: > "$E2E_FAILED"
: > "$E2E_SKIPPED"

# t_run NAME CMD...: one test case, run in a subshell. It passes only if
# CMD exits 0 and nothing in it called fail.
t_run() {
	local name=$1 out rc t0 failed skipped
	shift
	t_outside "before \"$name\""
	E2E_CASES=$((E2E_CASES + 1))
	: > "$E2E_SKIPPED"
	t0=$(date +%s%N)
	out=$("$@" 2>&1)
	rc=$?
	failed=$(cat "$E2E_FAILED")
	skipped=$(cat "$E2E_SKIPPED")
	: > "$E2E_FAILED"
	: > "$E2E_SKIPPED"
	echo "# $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	if [ $rc -eq 0 ] && [ -z "$failed" ] && [ -n "$skipped" ]; then
		printf '%s\n' "$skipped" | sed 's/^/#   skipped: /'
		echo "VMGW-E2E: skip $name"
	elif [ $rc -eq 0 ] && [ -z "$failed" ]; then
		echo "VMGW-E2E: ok $name"
	else
		E2E_FAILS=$((E2E_FAILS + 1))
		printf '%s\n' "$out" | sed 's/^/#   /'
		[ $rc -eq 0 ] && echo "#   (returned 0, but fail was called)"
		echo "VMGW-E2E: not ok $name"
	fi
}

# t_outside WHERE: a fail reported outside any case (in a test file's
# top-level code) is a failed case of its own, not lost.
t_outside() {
	local failed
	failed=$(cat "$E2E_FAILED")
	: > "$E2E_FAILED"
	[ -n "$failed" ] || return 0
	E2E_FAILS=$((E2E_FAILS + 1))
	printf '%s\n' "$failed" | sed 's/^/#   /'
	echo "VMGW-E2E: not ok failure reported outside a case, $1"
}

# t_skip REASON: the running case does not apply here (it must still
# return 0); it is reported as skipped, with REASON, and counted as such.
t_skip() {
	echo "${*:-skipped}" >> "$E2E_SKIPPED"
}

# fail MSG: explain a failed check and fail the case it runs in, even if
# the case goes on and returns 0. Helpers that poll or probe (a check
# that may fail and be retried, or whose failure is tolerated) must not
# call fail: they return a status and leave the decision to the case.
fail() {
	echo "${*:-failed}" >&2
	echo "${*:-failed}" >> "$E2E_FAILED"
	return 1
}

# expect_err PATTERN CMD...: CMD must fail and print PATTERN (extended regex).
expect_err() {
	local pat=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "'$*' succeeded, expected an error matching '$pat'"
		return 1
	fi
	printf '%s\n' "$out" | grep -Eq -- "$pat" ||
		fail "'$*' said '$out', expected '$pat'"
}

# expect_out STATUS EXPECTED CMD...: CMD exits STATUS and prints exactly
# EXPECTED (stdout and stderr together).
expect_out() {
	local want_rc=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	[ "$rc" = "$want_rc" ] && [ "$out" = "$want" ] ||
		fail "'$*': exit $rc, said '$out'; want exit $want_rc, '$want'"
}

# stat_of NS DEV NAME: one counter from ethtool -S.
stat_of() {
	ip netns exec "$1" ethtool -S "$2" |
		awk -v n="$3:" '$1 == n { print $2; found = 1 } END { exit !found }'
}

# link_exists [NS] DEV
link_exists() {
	if [ $# -eq 2 ]; then
		ip -n "$1" link show dev "$2" > /dev/null 2>&1
	else
		ip link show dev "$1" > /dev/null 2>&1
	fi
}

# vmgw_links [NS]: names of the vmgw devices in a namespace.
vmgw_links() {
	ip ${1:+-n "$1"} -o link show type vmgw | awk -F': ' '{ print $2 }' |
		cut -d@ -f1
}

# no_kernel_reports: the kernel log holds no warning, bug or sanitizer report.
no_kernel_reports() {
	! dmesg | grep -E 'WARNING:|BUG:|Oops|KASAN|UBSAN|refcount_t|kmemleak: [0-9]+ new suspected|general protection|list_(add|del) corruption'
}

VMM_EMU=$(dirname "${BASH_SOURCE[0]}")/../vmm-emu/vmm-emu

# vmm_emu_start DIR GWNS DEV GUESTNS [vmm-emu options]: bridge a new TAP
# device tap0 in GUESTNS to DEV in GWNS through vmm-emu and wait until it
# is ready. Its pid is left in $EMU_PID and in DIR/emu.pid (t_run runs
# each case in a subshell: a later case finds it only in the file), its
# output in DIR/emu.out and DIR/emu.err.
vmm_emu_start() {
	local dir=$1 gw=$2 dev=$3 guest=$4 i
	shift 4
	: > "$dir/emu.out"
	"$VMM_EMU" --gw-netns "$gw" --dev "$dev" --guest-netns "$guest" \
		--tap tap0 "$@" > "$dir/emu.out" 2> "$dir/emu.err" &
	EMU_PID=$!
	echo "$EMU_PID" > "$dir/emu.pid"
	for i in $(seq 1 50); do
		grep -q ready "$dir/emu.out" && return 0
		sleep 0.1
	done
	fail "vmm-emu: $(cat "$dir/emu.err")"
}

# pid_gone PID: PID has exited (a zombie counts as gone).
pid_gone() {
	local st
	read -r _ _ st _ 2> /dev/null < "/proc/$1/stat" || return 0
	[ "$st" = Z ]
}

# vmm_emu_stop DIR [SIGNAL]: stop the vmm-emu started with DIR, if it still
# runs (SIGTERM by default), and wait until it has exited: 5 s, then SIGKILL.
vmm_emu_stop() {
	local pid i
	pid=$(cat "$1/emu.pid" 2> /dev/null) || return 0
	rm -f "$1/emu.pid"
	kill "-${2:-TERM}" "$pid" 2> /dev/null
	for i in $(seq 1 50); do
		pid_gone "$pid" && break
		sleep 0.1
	done
	pid_gone "$pid" || kill -KILL "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	return 0
}

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# cap_start DIR NS DEV [capture.py filter]: count, in the background, the
# frames DEV in NS hands to the stack that match the filter (the receiving
# side of a check: what the module let through). Returns once the capture
# runs; cap_stop DIR ends it.
cap_start() {
	local dir=$1 ns=$2 dev=$3 i
	shift 3
	rm -f "$dir/cap"
	ip netns exec "$ns" python3 "$E2E_LIB_DIR/capture.py" "$dev" "$dir/cap" \
		"$@" > "$dir/cap.err" 2>&1 < /dev/null &
	echo $! > "$dir/cap.pid"
	for i in $(seq 1 100); do
		[ -s "$dir/cap" ] && return 0
		sleep 0.1
	done
	fail "capture on $dev in $ns did not start: $(cat "$dir/cap.err")"
}

# cap_stop DIR: stop the capture of cap_start DIR (after a short grace for
# frames still in flight) and print what it counted: "ipv4 N ipv6 M".
cap_stop() {
	local pid i
	pid=$(cat "$1/cap.pid" 2> /dev/null) || { echo "no capture"; return 1; }
	rm -f "$1/cap.pid"
	sleep 0.3
	kill -TERM "$pid" 2> /dev/null
	for i in $(seq 1 50); do
		pid_gone "$pid" && break
		sleep 0.1
	done
	wait "$pid" 2> /dev/null
	cat "$1/cap"
}
