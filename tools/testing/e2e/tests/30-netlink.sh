# SPDX-License-Identifier: GPL-2.0
# The generic netlink family "vmgw" through vmgwctl and through the
# kernel's own ynl cli.py: every vmgwctl command, the exact errors of bad
# requests, permissions, events, and the VMM hand-over (run, stream).

NL_E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NL_ROOT=$(cd "$NL_E2E/../../.." && pwd)
VMGWCTL=$NL_ROOT/tools/vmgwctl/vmgwctl
NLPY="python3 $NL_E2E/netlink.py"
# The module is in $VMGW_CACHE/build/ko-KVER/ (build-module.sh) or in
# $VMGW_CACHE/debug-kernel/ko/ (make test-debug); the host's run.sh
# extracted the 6.12 source, with ynl, in $VMGW_CACHE/src.
case $VMGW_KO in
*/debug-kernel/ko/*) NL_KSRC=${VMGW_KO%/debug-kernel/ko/*} ;;
*) NL_KSRC=${VMGW_KO%/build/ko-*} ;;
esac
NL_KSRC=$NL_KSRC/src/linux-source-6.12
# cli.py checks the spec against the schema in the first case only: under
# TCG that costs seconds per run.
YNL="python3 -u $NL_KSRC/tools/net/ynl/cli.py
	--spec $NL_ROOT/Documentation/netlink/specs/vmgw.yaml"
YNL_SCHEMA="--schema $NL_KSRC/Documentation/netlink/genetlink-legacy.yaml"
NL_TMP=$(mktemp -d)
NL_NS=nl
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
# What dev show adds for a caller with CAP_NET_ADMIN: the default policy.
NL_POLICY="policy-mode open floor default flow-cap 4096 flow-count 0 flow-timeout-syn 60 flow-timeout-established 3600 flow-timeout-fin 60 flow-timeout-closed 10"

# ring_of NS DEV RX|TX: current ring size from ethtool -g.
ring_of() {
	ip netns exec "$1" ethtool -g "$2" |
		awk -v k="$3:" '/^Current/ { c = 1 } c && $1 == k { print $2; exit }'
}

nl_ifindex() {
	ip -n "$NL_NS" -o link show dev vmgw1 | cut -d: -f1
}

nl_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	ip netns add "$NL_NS" && ip -n "$NL_NS" link set lo up
}

nl_dev_add() {
	"$VMGWCTL" dev add vmgw1 netns "$NL_NS" g2h-ring 256 mtu 1400 ||
		return 1
	link_exists "$NL_NS" vmgw1 || fail "vmgw1 missing in $NL_NS" || return 1
	! link_exists vmgw1 || fail "vmgw1 in the initial namespace" || return 1
	ip -n "$NL_NS" -d link show dev vmgw1 > "$NL_TMP/link" &&
	grep -q ' mtu 1400 ' "$NL_TMP/link" && grep -q '^ *vmgw ' "$NL_TMP/link" ||
		fail "$(cat "$NL_TMP/link")" || return 1
	[ "$(ring_of "$NL_NS" vmgw1 RX)" = 256 ] ||
		fail "ethtool -g: $(ip netns exec "$NL_NS" ethtool -g vmgw1)"
}

nl_dev_add_rollback() {
	expect_out 1 "Error: guest-mac must be a unicast address, not zero" \
		"$VMGWCTL" dev add vmgw2 netns "$NL_NS" mode allowlist \
		guest-mac 01:00:5e:00:00:01 || return 1
	! link_exists "$NL_NS" vmgw2 || fail "vmgw2 left behind"
}

nl_dev_show() {
	local idx
	idx=$(nl_ifindex)
	expect_out 0 "vmgw1: ifindex $idx attached no mtu 1400 min-mtu 68 max-mtu 65521 g2h-ring-size 256 h2g-ring-size 1024 $NL_POLICY" \
		"$VMGWCTL" -n "$NL_NS" dev show vmgw1 || return 1
	# A dump lists every vmgw device of the namespace, and only those.
	expect_out 0 "vmgw1: ifindex $idx attached no mtu 1400 min-mtu 68 max-mtu 65521 g2h-ring-size 256 h2g-ring-size 1024 $NL_POLICY" \
		"$VMGWCTL" -n "$NL_NS" dev show || return 1
	"$VMGWCTL" -n "$NL_NS" -j dev show vmgw1 | $NLPY check-json dev
}

nl_dev_set() {
	"$VMGWCTL" -n "$NL_NS" dev set vmgw1 g2h-ring 64 h2g-ring 128 mtu 1500 ||
		return 1
	[ "$(ring_of "$NL_NS" vmgw1 RX) $(ring_of "$NL_NS" vmgw1 TX)" = "64 128" ] ||
		fail "ethtool -g: $(ip netns exec "$NL_NS" ethtool -g vmgw1)" || return 1
	ip -n "$NL_NS" link show dev vmgw1 | grep -q 'mtu 1500' || return 1
	ip -n "$NL_NS" addr add 10.99.0.1/24 dev vmgw1 &&
	ip -n "$NL_NS" link set vmgw1 up
}

nl_bad_input() {
	expect_out 1 "Error: integer out of range (attribute g2h-ring-size, valid range 16..16384)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 g2h-ring 99999 &&
	expect_out 1 "Error: integer out of range (attribute h2g-ring-size, valid range 16..16384)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 h2g-ring 8 &&
	expect_out 1 "Error: mtu is outside the device's min-mtu..max-mtu" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 mtu 20 &&
	expect_out 1 "Error: ifname: no such device" \
		"$VMGWCTL" -n "$NL_NS" dev show nosuch0 &&
	expect_out 1 "Error: ifname: no such device" \
		"$VMGWCTL" -n "$NL_NS" stats nosuch0 &&
	expect_out 1 "Error: ifindex/ifname: not a vmgw device" \
		"$VMGWCTL" -n "$NL_NS" dev set lo g2h-ring 64 &&
	expect_out 2 "vmgwctl: rule add: '10.0.0.0/33' is not an address prefix (ADDR[/LEN]) (see vmgwctl --help)" \
		"$VMGWCTL" -n "$NL_NS" rule add vmgw1 allow 10.0.0.0/33 &&
	expect_out 2 "vmgwctl: dev set: g2h-ring: 'lots' is not a number (see vmgwctl --help)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 g2h-ring lots &&
	expect_out 1 "Error: netns nosuchns: No such file or directory" \
		"$VMGWCTL" -n nosuchns dev show
}

# Policy settings the kernel refuses: the exact message and attribute,
# and a refused request changes nothing (not even its valid parts).
nl_bad_policy() {
	local idx
	idx=$(nl_ifindex)
	expect_out 1 "Error: guest-mac must be a unicast address, not zero" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 mode allowlist guest-mac 01:00:5e:00:00:01 &&
	expect_out 1 "Error: guest-ipv4 must be a unicast address" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 guest-ip 224.0.0.1 &&
	expect_out 1 "Error: too many guest-ipv6 (guest-ipv6-max is 4)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 guest-ip fd00::1 guest-ip fd00::2 \
		guest-ip fd00::3 guest-ip fd00::4 guest-ip fd00::5 &&
	expect_out 1 "Error: flow-cap is above flow-cap-max (1048576)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 flow-cap 2000000 &&
	expect_out 1 "Error: flow timeout is above flow-timeout-limit (604800 s) (attribute flow-timeout-fin)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 floor strict flow-timeout-fin 604801 &&
	expect_out 1 "Error: allow-host is not a host name or *.name pattern" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 allow-host example.com allow-host 'bad..name' &&
	expect_out 1 "Error: attribute both set and named in unset (attribute allow-host)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 allow-host example.com unset allow-hosts &&
	expect_out 1 "Error: ifname: no such device" \
		"$VMGWCTL" -n "$NL_NS" dev set nosuch0 mode allowlist &&
	expect_out 2 "vmgwctl: dev set: mode: 'enforce' is not open or allowlist (see vmgwctl --help)" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 mode enforce &&
	expect_out 0 "vmgw1: ifindex $idx attached no mtu 1500 min-mtu 68 max-mtu 65521 g2h-ring-size 64 h2g-ring-size 128 $NL_POLICY" \
		"$VMGWCTL" -n "$NL_NS" dev show vmgw1
}

# Rules the kernel refuses, with the attribute named; unknown device.
nl_bad_rules() {
	expect_out 1 "Error: port-min needs proto tcp (6) or udp (17)" \
		"$VMGWCTL" -n "$NL_NS" rule add vmgw1 allow 10.0.0.0/8 port 443 &&
	expect_out 1 "Error: port-min needs proto tcp (6) or udp (17)" \
		"$VMGWCTL" -n "$NL_NS" rule add vmgw1 allow 10.0.0.0/8 proto icmp port 1 &&
	expect_out 1 "Error: ifname: no such device" \
		"$VMGWCTL" -n "$NL_NS" rule add nosuch0 deny 192.0.2.0/24 &&
	expect_out 1 "Error: ifname: no such device" \
		"$VMGWCTL" -n "$NL_NS" rule del nosuch0 all &&
	expect_out 1 "Error: vmgw: no such rule" \
		"$VMGWCTL" -n "$NL_NS" rule del vmgw1 deny 192.0.2.0/24 &&
	expect_out 2 "vmgwctl: rule add: port: '9-8' is not PORT or PORT-PORT (see vmgwctl --help)" \
		"$VMGWCTL" -n "$NL_NS" rule add vmgw1 allow 10.0.0.0/8 proto tcp port 9-8 &&
	expect_out 2 "vmgwctl: rule add: 'fd00::/129' is not an address prefix (ADDR[/LEN]) (see vmgwctl --help)" \
		"$VMGWCTL" -n "$NL_NS" rule add vmgw1 deny fd00::/129 &&
	expect_out 0 "" "$VMGWCTL" -n "$NL_NS" rule show vmgw1
}

# coproc holding /dev/vmgw attached to vmgw1 (chrdev.py hold).
nl_hold() {
	coproc HOLD { ip netns exec "$NL_NS" python3 "$NL_E2E/chrdev.py" hold vmgw1; }
	local line
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = attached ] || fail "hold: '$line'"
}

nl_release() {
	local pid=$HOLD_PID
	exec {HOLD[1]}>&-
	wait "$pid"
}

nl_ring_busy() {
	nl_hold || return 1
	expect_out 1 "Error: g2h-ring-size cannot change while a file is attached" \
		"$VMGWCTL" -n "$NL_NS" dev set vmgw1 g2h-ring 32
	local rc=$?
	expect_out 0 "vmgw1: ifindex $(nl_ifindex) attached yes mtu 1500 min-mtu 68 max-mtu 65521 g2h-ring-size 64 h2g-ring-size 128 $NL_POLICY" \
		"$VMGWCTL" -n "$NL_NS" dev show vmgw1 || rc=1
	nl_release
	return $rc
}

# Changes need CAP_NET_ADMIN; reads that reveal no policy do not, and
# dev show leaves the policy out for others.
nl_unprivileged() {
	expect_out 1 "Error: Operation not permitted" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" dev set vmgw1 g2h-ring 32 &&
	expect_out 1 "Error: Operation not permitted" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" dev set vmgw1 mode allowlist &&
	expect_out 1 "Error: Operation not permitted" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" rule show &&
	expect_out 1 "Error: Operation not permitted" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" rule add vmgw1 deny 192.0.2.0/24 &&
	expect_out 1 "Error: Operation not permitted" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" flow show &&
	expect_out 0 "vmgw1: ifindex $(nl_ifindex) attached no mtu 1500 min-mtu 68 max-mtu 65521 g2h-ring-size 64 h2g-ring-size 128" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" dev show vmgw1 &&
	ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" -j dev show vmgw1 |
		$NLPY check-json dev-user > /dev/null &&
	expect_out 1 "Error: subscribing to vmgw events: Operation not permitted" \
		ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" monitor &&
	ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" dev show vmgw1 > /dev/null &&
	ip netns exec "$NL_NS" $NOBODY "$VMGWCTL" stats vmgw1 > /dev/null
}

# monitor [-j]: attach and detach of "vmgwctl run ... -- true".
nl_monitor() {
	local idx i
	idx=$(nl_ifindex)
	timeout 30 "$VMGWCTL" -n "$NL_NS" "$@" monitor count 2 \
		> "$NL_TMP/mon" 2> "$NL_TMP/mon.err" &
	local mon=$!
	for i in $(seq 1 100); do
		grep -q listening "$NL_TMP/mon.err" && break
		sleep 0.1
	done
	"$VMGWCTL" run "$NL_NS" vmgw1 -- true 2> /dev/null || return 1
	wait $mon || fail "monitor: $(cat "$NL_TMP/mon.err")" || return 1
	if [ "${1:-}" = -j ]; then
		python3 - "$NL_TMP/mon" "$idx" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
ev = [json.loads(l) for l in lines]
want = [("attach", True), ("detach", False)]
got = [(e["event"], e["attached"]) for e in ev]
assert got == want, got
for e in ev:
    assert e["ifname"] == "vmgw1" and e["ifindex"] == int(sys.argv[2]), e
    assert e["g2h_ring_size"] == 64 and e["h2g_ring_size"] == 128, e
PY
	else
		local want="attach vmgw1: ifindex $idx attached yes mtu 1500 min-mtu 68 max-mtu 65521 g2h-ring-size 64 h2g-ring-size 128
detach vmgw1: ifindex $idx attached no mtu 1500 min-mtu 68 max-mtu 65521 g2h-ring-size 64 h2g-ring-size 128"
		[ "$(cat "$NL_TMP/mon")" = "$want" ] ||
			fail "monitor said: $(cat "$NL_TMP/mon")"
	fi
}

# run: the VMM (here python) gets the attached file as fd 3, in the
# caller's namespace, and its frames reach the device.
nl_run() {
	local r0 r1 out
	r0=$(stat_of "$NL_NS" vmgw1 rx_packets) || return 1
	out=$("$VMGWCTL" run "$NL_NS" vmgw1 -- python3 "$NL_E2E/netlink.py" \
		use-fd '{fd}' 5 2> "$NL_TMP/run.err") || return 1
	r1=$(stat_of "$NL_NS" vmgw1 rx_packets)
	[ "$(cat "$NL_TMP/run.err")" = "vmgwctl: vmgw1 attached as fd 3" ] ||
		fail "run said: $(cat "$NL_TMP/run.err")" || return 1
	[ "$out" = "vmgw1 0x5002 $(readlink /proc/self/ns/net)" ] ||
		fail "the VMM saw: '$out'" || return 1
	[ $((r1 - r0)) -eq 5 ] || fail "rx_packets $r0 -> $r1"
	# Another descriptor number, without the virtio-net header.
	out=$("$VMGWCTL" run "$NL_NS" vmgw1 fd 7 no-vnet-hdr -- python3 \
		"$NL_E2E/netlink.py" use-fd '{fd}' 1 2> /dev/null) || return 1
	[ "${out% *}" = "vmgw1 0x1002" ] || fail "fd 7: '$out'" || return 1
	expect_out 1 "Error: attaching /dev/vmgw to nosuch0 in netns $NL_NS: No such device" \
		"$VMGWCTL" run "$NL_NS" nosuch0 -- true
}

nl_stats_match_ethtool() {
	local a b
	a=$(ip netns exec "$NL_NS" ethtool -S vmgw1 | tail -n +2 | sed 's/^ *//')
	b=$("$VMGWCTL" -n "$NL_NS" stats vmgw1 | tail -n +2 | sed 's/^ *//')
	[ -n "$a" ] && [ "$a" = "$b" ] ||
		fail "$(diff <(echo "$a") <(echo "$b"))" || return 1
	echo "$b" | grep -qx 'rx_packets: 6' || fail "rx_packets: $b" || return 1
	"$VMGWCTL" -n "$NL_NS" -j stats vmgw1 | $NLPY check-json stats |
		grep -q '"rx_packets": 6'
}

# Denials reach the events group, at most 10 per second; the first event
# after a gap counts the ones left out, so none is lost from the count.
nl_deny_events() {
	local d0 d1
	d0=$(stat_of "$NL_NS" vmgw1 rx_drop_udp_unsupported) || return 1
	timeout 120 "$VMGWCTL" -n "$NL_NS" -j monitor > "$NL_TMP/deny" \
		2> "$NL_TMP/deny.err" &
	local mon=$! i
	for i in $(seq 1 100); do
		grep -q listening "$NL_TMP/deny.err" && break
		sleep 0.1
	done
	"$VMGWCTL" run "$NL_NS" vmgw1 -- python3 "$NL_E2E/netlink.py" \
		send-udp '{fd}' 50 > /dev/null 2>&1 || return 1
	sleep 1.5
	"$VMGWCTL" run "$NL_NS" vmgw1 -- python3 "$NL_E2E/netlink.py" \
		send-udp '{fd}' 1 > /dev/null 2>&1 || return 1
	d1=$(stat_of "$NL_NS" vmgw1 rx_drop_udp_unsupported)
	[ $((d1 - d0)) -eq 51 ] || fail "rx_drop_udp_unsupported $d0 -> $d1" ||
		return 1
	python3 - "$NL_TMP/deny" "$(nl_ifindex)" <<'PY'
import json, sys, time
want = {"event": "deny", "ifname": "vmgw1", "ifindex": int(sys.argv[2]),
        "reason": "rx_drop_udp_unsupported", "class": "udp", "proto": "udp",
        "src_ipv4": "10.99.0.15", "dst_ipv4": "10.99.0.1",
        "src_port": 40000, "dst_port": 9999}
deadline = time.time() + 30
while True:
    ev = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()]
    deny = [e for e in ev if e["event"] == "deny"]
    total = sum(1 + e["suppressed"] for e in deny)
    if total >= 51 or time.time() > deadline:
        break
    time.sleep(0.2)
assert total == 51, f"{len(deny)} events count {total} denials"
assert 2 <= len(deny) <= 20, f"{len(deny)} events: not rate-limited"
assert deny[0]["suppressed"] == 0 and deny[-1]["suppressed"] > 0, deny
for e in deny:
    got = {k: v for k, v in e.items() if k != "suppressed"}
    assert got == want, got
print(len(deny), "events for 51 denials")
PY
	local rc=$?
	kill $mon 2> /dev/null
	wait $mon
	return $rc
}

nl_stream() {
	"$VMGWCTL" stream "$NL_NS" vmgw1 --listen "$NL_TMP/s.sock" \
		2> "$NL_TMP/stream.err" &
	local pid=$! i rc=0
	for i in $(seq 1 100); do
		grep -q listening "$NL_TMP/stream.err" && break
		sleep 0.1
	done
	$NLPY stream-arp "$NL_TMP/s.sock" 10.99.0.15 10.99.0.1 || rc=1
	# A client that breaks the framing is dropped; the next one is served.
	$NLPY stream-bad "$NL_TMP/s.sock" || rc=1
	$NLPY stream-arp "$NL_TMP/s.sock" 10.99.0.16 10.99.0.1 || rc=1
	kill -TERM $pid
	wait $pid || { fail "stream exit $?: $(cat "$NL_TMP/stream.err")"; rc=1; }
	[ ! -e "$NL_TMP/s.sock" ] || { fail "socket left behind"; rc=1; }
	return $rc
}

# The kernel's ynl cli.py: do, dump, the namespace-id selector, a policy
# refusal, and notifications.
nl_ynl_do_dump() {
	local out
	out=$(ip netns exec "$NL_NS" $YNL $YNL_SCHEMA --do dev-get \
		--json '{"ifname": "vmgw1"}' --output-json) || return 1
	echo "$out" | python3 -c 'import json,sys; d = json.load(sys.stdin)
assert d["ifname"] == "vmgw1" and d["g2h-ring-size"] == 64, d' || return 1
	out=$(ip netns exec "$NL_NS" $YNL --no-schema --dump stats-get \
		--output-json) ||
		return 1
	echo "$out" | python3 -c 'import json,sys; d = json.load(sys.stdin)
assert len(d) == 1 and d[0]["ifname"] == "vmgw1", d
names = [c["name"] for c in d[0]["counter"]]
assert names[0] == "rx_packets" and "rx_class_udp" in names, names' || return 1
	ip netns set "$NL_NS" 7 &&
	out=$($YNL --no-schema --do dev-get \
		--json '{"ifname": "vmgw1", "netns-id": 7}' --output-json) ||
		return 1
	echo "$out" | grep -q '"ifname": "vmgw1"' || fail "netns-id: $out" ||
		return 1
	out=$($YNL --no-schema --do dev-get \
		--json '{"ifname": "vmgw1", "netns-id": 99}')
	echo "$out" | grep -q 'netns-id names no namespace' ||
		fail "netns-id 99: $out" || return 1
	out=$(ip netns exec "$NL_NS" $YNL --no-schema --do dev-set \
		--json '{"ifname": "vmgw1", "g2h-ring-size": 8}')
	echo "$out" | grep -q "integer out of range" &&
		echo "$out" | grep -q "g2h-ring-size" || fail "range: $out" ||
		return 1
	# Enums by name, both ways; the handler's own checks name attributes.
	ip netns exec "$NL_NS" $YNL --no-schema --do dev-set --json \
		'{"ifname": "vmgw1", "policy-mode": "allowlist", "floor": "strict", "flow-cap": 9}' ||
		return 1
	out=$(ip netns exec "$NL_NS" $YNL --no-schema --do dev-get \
		--json '{"ifname": "vmgw1"}' --output-json) || return 1
	echo "$out" | python3 -c 'import json,sys; d = json.load(sys.stdin)
assert (d["policy-mode"], d["floor"], d["flow-cap"]) == ("allowlist", "strict", 9), d' ||
		return 1
	out=$(ip netns exec "$NL_NS" $YNL --no-schema --do rule-add --json \
		'{"ifname": "vmgw1", "action": "deny", "ipv4": "0a000000", "prefix-len": 33}' 2>&1)
	echo "$out" | grep -q "prefix-len is longer than the address" ||
		fail "prefix-len 33: $out" || return 1
	out=$(ip netns exec "$NL_NS" $YNL --no-schema --do rule-add --json \
		'{"ifname": "vmgw1", "action": "allow", "ipv4": "0a000000", "prefix-len": 8, "proto": 6, "port-min": 9, "port-max": 8}' 2>&1)
	echo "$out" | grep -q "port-max is below port-min" ||
		fail "port-min > port-max: $out"
}

# Notifications through cli.py: it subscribes, sleeps, then prints what
# arrived. Attach and detach repeat until it is done, so the first pair
# after its subscription is seen whatever the start-up time.
nl_ynl_ntf() {
	ip netns exec "$NL_NS" $YNL --no-schema --subscribe events --sleep 6 \
		--output-json > "$NL_TMP/ynl.ntf" 2>&1 &
	local ynl=$! i
	for i in $(seq 1 200); do
		kill -0 $ynl 2> /dev/null || break
		"$VMGWCTL" run "$NL_NS" vmgw1 -- true 2> /dev/null
		sleep 0.2
	done
	wait $ynl || fail "cli.py: $(cat "$NL_TMP/ynl.ntf")" || return 1
	python3 - "$NL_TMP/ynl.ntf" <<'PY'
import json, sys
msgs = json.load(open(sys.argv[1]))
names = [m["name"] for m in msgs]
assert "dev-attach-ntf" in names and "dev-detach-ntf" in names, names
for m in msgs:
    assert m["msg"]["ifname"] == "vmgw1", m
    assert m["msg"]["attached"] == (m["name"] == "dev-attach-ntf"), m
PY
}

nl_dev_del() {
	"$VMGWCTL" dev del vmgw1 netns "$NL_NS" || return 1
	! link_exists "$NL_NS" vmgw1 || fail "vmgw1 still there" || return 1
	expect_err 'No such device|not found' \
		"$VMGWCTL" dev del vmgw1 netns "$NL_NS"
}

nl_cleanup() {
	ip netns del "$NL_NS" 2> /dev/null
	rm -rf "$NL_TMP"
	return 0
}

t_run "netlink setup: namespace $NL_NS" nl_setup
t_run "vmgwctl dev add: created in the namespace with its settings" nl_dev_add
t_run "vmgwctl dev add: refused settings leave no device" nl_dev_add_rollback
t_run "vmgwctl dev show: one device, dump, JSON" nl_dev_show
t_run "vmgwctl dev set: rings and MTU, ethtool agrees" nl_dev_set
t_run "bad input: exact errors (range, device, CIDR, number, netns)" nl_bad_input
t_run "bad policy settings: exact errors, nothing changes" nl_bad_policy
t_run "bad rules: exact errors (ports, device, no such rule)" nl_bad_rules
t_run "ring size change refused while attached (EBUSY, extack)" nl_ring_busy
t_run "unprivileged user: EPERM for changes, events, rules, flows; no policy in reads" nl_unprivileged
t_run "vmgwctl monitor: attach and detach events" nl_monitor
t_run "vmgwctl -j monitor: attach and detach events as JSON" nl_monitor -j
t_run "vmgwctl run: the VMM gets the attached fd and uses it" nl_run
t_run "vmgwctl stats matches ethtool -S; JSON shape" nl_stats_match_ethtool
t_run "deny events: rate-limited, every denial counted" nl_deny_events
t_run "vmgwctl stream: length-prefixed client reaches the gateway" nl_stream
t_run "ynl cli.py: do, dump, netns-id, refusals, policy enums, rules" nl_ynl_do_dump
t_run "ynl cli.py: attach and detach notifications" nl_ynl_ntf
t_run "vmgwctl dev del: removed, a second del fails" nl_dev_del
t_run "netlink cleanup" nl_cleanup
