#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test for vmm-emu, with a plain TAP (/dev/net/tun) as the gateway side,
# so it runs on any host with network namespaces (root; loads no modules).
#
#   gw netns:    TAP "vgw0"  10.77.0.1/24 fd77::1/64  <- vmm-emu gateway fd
#   guest netns: TAP "vtap0" 10.77.0.2/24 fd77::2/64  <- vmm-emu guest fd
#
# For each mode (no vnet header, --vnet-hdr with 10 and 12 bytes): ping,
# 4 MiB TCP both ways with sha256 compared, DNS over IPv4 and IPv6, UDP
# counts, then the end of vmm-emu (gateway device deleted -> status 3, or
# SIGTERM -> status 0). Prints "ok"/"not ok" per check; exits 1 on any
# failure.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
EMU=$HERE/vmm-emu
NETUTIL=$HERE/../e2e/netutil.py
GW=vmmemu-gw-$$
GUEST=vmmemu-guest-$$
TMP=$(mktemp -d /tmp/vmm-emu-selftest.XXXXXX)
BYTES=$((4 * 1024 * 1024))
FAILS=0
EMU_PID=

cleanup() {
	if [ -n "$EMU_PID" ] && kill -0 "$EMU_PID" 2>/dev/null; then
		kill "$EMU_PID"
		wait "$EMU_PID" 2>/dev/null
	fi
	ip netns del "$GW" 2>/dev/null
	ip netns del "$GUEST" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# check NAME CMD...: one check; CMD's exit status decides it.
# Runs in this shell (not a subshell) so it can start and reap vmm-emu.
check() {
	local name=$1
	shift
	if "$@" > "$TMP/check" 2>&1; then
		echo "ok - $name"
	else
		FAILS=$((FAILS + 1))
		echo "not ok - $name"
	fi
	sed 's/^/#   /' "$TMP/check"
	return 0
}

fail() {
	echo "$*"
	return 1
}

in_gw() { ip netns exec "$GW" "$@"; }
in_guest() { ip netns exec "$GUEST" "$@"; }
nu() { timeout 60 python3 "$NETUTIL" "$@"; }

fresh_netns() {
	ip netns del "$GW" 2>/dev/null
	ip netns del "$GUEST" 2>/dev/null
	ip netns add "$GW" && ip netns add "$GUEST"
}

# start_emu ARGS...: run vmm-emu, wait for "ready", configure both links.
start_emu() {
	fresh_netns || return 1
	if [ -n "${NO_IPV6:-}" ]; then
		in_gw sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
		in_guest sysctl -qw net.ipv6.conf.default.disable_ipv6=1 ||
			return 1
	fi
	"$EMU" --gw-netns "$GW" --dev vgw0 --dev-path /dev/net/tun \
		--guest-netns "$GUEST" --tap vtap0 "$@" \
		> "$TMP/out" 2> "$TMP/err" &
	EMU_PID=$!
	for _ in $(seq 50); do
		grep -qx 'vmm-emu: ready' "$TMP/out" && break
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.1
	done
	grep -qx 'vmm-emu: ready' "$TMP/out" ||
		fail "vmm-emu not ready: $(cat "$TMP/err")" || return 1
	# The gateway link first: frames to a guest TAP that is down are dropped.
	in_gw ip addr add 10.77.0.1/24 dev vgw0 &&
	in_gw ip link set vgw0 up &&
	in_guest ip addr add 10.77.0.2/24 dev vtap0 &&
	in_guest ip link set vtap0 up || return 1
	[ -n "${NO_IPV6:-}" ] && return 0
	in_gw ip addr add fd77::1/64 dev vgw0 nodad &&
	in_guest ip addr add fd77::2/64 dev vtap0 nodad
}

# wait_emu SECONDS: wait for vmm-emu to exit; its status goes to EMU_RC.
wait_emu() {
	for _ in $(seq $(($1 * 10))); do
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$EMU_PID" 2>/dev/null; then
		kill -KILL "$EMU_PID"
		wait "$EMU_PID"
		EMU_PID=
		fail "vmm-emu still running after $1 s"
		return 1
	fi
	wait "$EMU_PID"
	EMU_RC=$?
	EMU_PID=
}

# Every echo answered: ping's status, and its summary says so.
t_ping() {
	in_guest ping -c 3 -i 0.2 -W 2 -q 10.77.0.1 > "$TMP/ping"
	local rc=$?
	grep 'packet loss' "$TMP/ping"
	[ $rc -eq 0 ] || fail "ping exit $rc" || return 1
	grep -q '3 packets transmitted, 3 received, 0% packet loss' "$TMP/ping" ||
		fail "not every echo answered"
}

# t_tcp SINK_NS SINK_ADDR SOURCE_NS SEED
t_tcp() {
	local want got_sink got_src

	want=$(nu sha256-of --bytes $BYTES --seed "$4") || return 1
	ip netns exec "$1" timeout 60 python3 "$NETUTIL" tcp-sink \
		--bind "$2" --port 5001 --expect-bytes $BYTES --timeout 30 \
		> "$TMP/sink" 2>&1 &
	local sink=$!
	got_src=$(ip netns exec "$3" timeout 60 python3 "$NETUTIL" \
		tcp-source --to "$2" --port 5001 --bytes $BYTES --seed "$4" \
		--timeout 30) || { wait $sink; cat "$TMP/sink"; return 1; }
	wait $sink || { cat "$TMP/sink"; return 1; }
	got_sink=$(cut -d' ' -f1 "$TMP/sink")
	echo "sha256 $want, $(cut -d' ' -f2 "$TMP/sink") bytes"
	[ "$got_src" = "$want" ] || fail "source sent $got_src, want $want" || return 1
	[ "$got_sink" = "$want" ] || fail "sink got $got_sink, want $want"
}

# t_dns SERVER_ADDR
t_dns() {
	local got

	in_gw timeout 30 python3 "$NETUTIL" dns-serve --bind "$1" --port 53 \
		--answer vm.example=192.0.2.7 --count 1 --timeout 10 \
		> "$TMP/dns" 2>&1 &
	local srv=$!
	sleep 0.3
	got=$(in_guest timeout 30 python3 "$NETUTIL" dns-query --server "$1" \
		--name vm.example --timeout 5)
	wait $srv || { cat "$TMP/dns"; return 1; }
	[ "$got" = 192.0.2.7 ] || fail "answer '$got', want 192.0.2.7"
}

t_udp() {
	local got

	in_gw timeout 30 python3 "$NETUTIL" udp-recv --bind 10.77.0.1 \
		--port 5002 --timeout 3 > "$TMP/udp" 2>&1 &
	local rcv=$!
	sleep 0.3
	in_guest timeout 30 python3 "$NETUTIL" udp-send --to 10.77.0.1 \
		--port 5002 --count 200 --size 1200 || return 1
	wait $rcv || { cat "$TMP/udp"; return 1; }
	got=$(cat "$TMP/udp")
	echo "received $got of 200"
	[ "$got" = 200 ] && return 0
	in_guest ip -s link show vtap0
	in_guest nstat -a | grep -Ei 'udp|drop|err'
	in_gw ip -s link show vgw0
	in_gw nstat -a | grep -Ei 'udp|drop|err'
	return 1
}

t_delete() {
	in_gw ip link del vgw0 || return 1
	wait_emu 5 || return 1
	cat "$TMP/err"
	[ "$EMU_RC" = 3 ] || fail "exit status $EMU_RC, want 3" || return 1
	grep -q '^vmm-emu: gateway fd: ' "$TMP/err" || fail "no error message"
}

t_sigterm() {
	kill -TERM "$EMU_PID" || return 1
	wait_emu 5 || return 1
	cat "$TMP/err"
	[ "$EMU_RC" = 0 ] || fail "exit status $EMU_RC, want 0" || return 1
	grep -Eq '^vmm-emu: g2h [0-9]+ frames, h2g [0-9]+ frames$' "$TMP/err" ||
		fail "no counters line"
}

t_max_frames() {
	# IPv4 only, so that ARP and ICMP are the only frames
	NO_IPV6=1 start_emu --max-frames 5 || return 1
	in_guest ping -c 10 -i 0.2 -W 1 -q 10.77.0.1 > /dev/null
	wait_emu 5 || return 1
	cat "$TMP/err"
	[ "$EMU_RC" = 0 ] || fail "exit status $EMU_RC, want 0" || return 1
	grep -Eq '^vmm-emu: g2h 3 frames, h2g 2 frames$' "$TMP/err" ||
		fail "want g2h 3 (ARP, 2 echo requests), h2g 2 frames"
}

t_usage() {
	"$EMU" --help | grep -q '^Usage: vmm-emu' || fail "--help" || return 1
	"$EMU" --gw-netns x > /dev/null 2>&1
	[ $? = 2 ] || fail "missing options: not status 2" || return 1
	"$EMU" --gw-netns a --dev b --guest-netns c --tap d --hdr-len 11 \
		> /dev/null 2>&1
	[ $? = 2 ] || fail "--hdr-len 11: not status 2" || return 1
	"$EMU" --gw-netns vmmemu-none-$$ --dev b --guest-netns c --tap d \
		> /dev/null 2>&1
	[ $? = 1 ] || fail "missing netns: not status 1"
}

[ "$(id -u)" = 0 ] || { echo "selftest.sh: needs root" >&2; exit 1; }
if [ ! -x "$EMU" ]; then
	make -C "$HERE" > /dev/null || exit 1
fi

check "usage and bad arguments" t_usage

for mode in plain vnet10 vnet12; do
	case $mode in
	plain)	args=() ;;
	vnet10)	args=(--vnet-hdr) ;;
	vnet12)	args=(--vnet-hdr --hdr-len 12) ;;
	esac
	check "$mode: start" start_emu "${args[@]}"
	if [ -z "$EMU_PID" ]; then
		continue
	fi
	check "$mode: ping" t_ping
	check "$mode: tcp 4 MiB guest->gw" t_tcp "$GW" 10.77.0.1 "$GUEST" 1
	check "$mode: tcp 4 MiB gw->guest" t_tcp "$GUEST" 10.77.0.2 "$GW" 2
	check "$mode: dns over IPv4" t_dns 10.77.0.1
	check "$mode: dns over IPv6" t_dns fd77::1
	check "$mode: udp 200 datagrams" t_udp
	if [ $mode = vnet10 ]; then
		check "$mode: SIGTERM -> status 0 and counters" t_sigterm
	else
		check "$mode: gateway device deleted -> status 3" t_delete
	fi
done

check "--max-frames 5 -> status 0 after 5 frames" t_max_frames

if [ $FAILS -ne 0 ]; then
	echo "selftest: $FAILS failed"
	exit 1
fi
echo "selftest: all passed"
