# SPDX-License-Identifier: GPL-2.0
# The policy configured with vmgwctl and seen by a real guest stack
# (namespace "pcguest" through vmm-emu to vmgw0 in "pcgw"): guest identity
# (anti-spoof), allowlist mode with one allowed host, deny rules, DNS
# learning of allowed host names from a resolver in the gateway namespace,
# the flow table (flow show, cap, timeouts), and the counters of ethtool -S
# and vmgwctl stats agreeing.

PC_E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PC_ROOT=$(cd "$PC_E2E/../../.." && pwd)
PC_CTL=$PC_ROOT/tools/vmgwctl/vmgwctl
PC_UTIL="python3 $PC_E2E/netutil.py"
PC_NLPY="python3 $PC_E2E/netlink.py"
PC_TMP=$(mktemp -d)
PC_MAC=02:00:00:00:00:15

pc_ctl() {
	"$PC_CTL" -n pcgw "$@"
}

# pc_connect ADDR: connect from the guest to ADDR:8080; prints "connected"
# or the errno name, the seconds it took and the TCP segments the guest
# retransmitted meanwhile.
pc_connect() {
	ip netns exec pcguest python3 -c '
import errno, socket, sys, time
def retrans():
    rows = [l.split() for l in open("/proc/net/snmp") if l.startswith("Tcp:")]
    return int(rows[1][rows[0].index("RetransSegs")])
s = socket.socket()
s.settimeout(10)
r = retrans()
t = time.monotonic()
try:
    s.connect((sys.argv[1], 8080))
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, e), round(time.monotonic() - t, 3),
          retrans() - r)
' "$1"
}

# pc_refused ADDR COUNTER: connect fails at once, and COUNTER and rst_sent
# move by one. "At once": the RST answers the first SYN, before the guest
# retransmits it (1 s): no retransmission, rather than a wall-clock bound
# that a loaded TCG guest cannot keep; the clock only has to stay < 2 s.
# A capture on vmgw0 proves that the SYN never reached the gateway
# namespace (a module that sent the RST and also let the SYN through
# would be caught there).
pc_refused() {
	local c0 c1 r0 r1 out got
	c0=$(stat_of pcgw vmgw0 "$2") && r0=$(stat_of pcgw vmgw0 rst_sent) ||
		return 1
	cap_start "$PC_TMP" pcgw vmgw0 --proto tcp --syn --dst "$1" || return 1
	out=$(pc_connect "$1")
	got=$(cap_stop "$PC_TMP")
	c1=$(stat_of pcgw vmgw0 "$2")
	r1=$(stat_of pcgw vmgw0 rst_sent)
	echo "connect $1: $out; $2 $c0 -> $c1; rst_sent $r0 -> $r1; capture: $got"
	case $out in
	"ECONNREFUSED 0."*" 0" | "ECONNREFUSED 1."*" 0") ;;
	*) fail "connect $1: '$out', expected ECONNREFUSED, no SYN retransmitted" ;;
	esac
	[ "$got" = "ipv4 0 ipv6 0" ] || fail "the SYN to $1 reached pcgw: $got"
	[ $((c1 - c0)) -eq 1 ] && [ $((r1 - r0)) -eq 1 ] ||
		fail "counters: $2 $c0 -> $c1, rst_sent $r0 -> $r1"
}

# pc_allowed ADDR: the connect succeeds, and its one SYN is what the
# capture on vmgw0 sees (which also shows that the capture of pc_refused
# would see a SYN that got through).
pc_allowed() {
	local out got
	cap_start "$PC_TMP" pcgw vmgw0 --proto tcp --syn --dst "$1" || return 1
	out=$(pc_connect "$1")
	got=$(cap_stop "$PC_TMP")
	[ "$out" = connected ] || fail "connect $1: $out" || return 1
	[ "$got" = "ipv4 1 ipv6 0" ] || fail "capture of the SYN to $1: '$got'"
}

pc_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe tun || return 1
	ip netns add pcgw && ip netns add pcguest || return 1
	ip -n pcgw link set lo up && ip -n pcguest link set lo up &&
	# No IPv6 chatter from the guest: the counters below move exactly.
	ip netns exec pcguest sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
	"$PC_CTL" dev add vmgw0 netns pcgw || return 1
	# The peers: addresses of the gateway namespace itself.
	ip -n pcgw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n pcgw link set vmgw0 up &&
	for a in 10.0.3.1 10.0.4.1 10.0.5.1 10.0.6.1; do
		ip -n pcgw addr add $a/32 dev lo || return 1
	done
	# A listener that keeps every connection open.
	ip netns exec pcgw python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080))
s.listen(64)
print("listening", flush=True)
held = []
while True:
    held.append(s.accept()[0])
' > "$PC_TMP/srv.out" 2>&1 &
	# t_run runs each case in a subshell: keep the pids in files.
	echo $! > "$PC_TMP/srv.pid"
	vmm_emu_start "$PC_TMP" pcgw vmgw0 pcguest || return 1
	local i
	for i in $(seq 1 50); do
		grep -q listening "$PC_TMP/srv.out" && break
		sleep 0.1
	done
	grep -q listening "$PC_TMP/srv.out" ||
		fail "listener: $(cat "$PC_TMP/srv.out")" || return 1
	ip -n pcguest link set tap0 address $PC_MAC &&
	ip -n pcguest addr add 10.0.2.15/24 dev tap0 &&
	ip -n pcguest link set tap0 up &&
	ip -n pcguest route add default via 10.0.2.2 &&
	ip netns exec pcguest ping -c 1 -W 2 10.0.2.2 > /dev/null
}

# The guest's identity, allowlist mode, one allow rule, a resolver and an
# allowed host name; dev show reports all of it.
pc_configure() {
	pc_ctl dev set vmgw0 guest-mac $PC_MAC guest-ip 10.0.2.15 \
		mode allowlist resolver 10.0.2.2 allow-host allowed.test &&
	pc_ctl rule add vmgw0 allow 10.0.3.1 proto tcp port 8080 || return 1
	expect_out 0 "vmgw0: ifindex $(ip -n pcgw -o link show dev vmgw0 | cut -d: -f1) action allow ipv4 10.0.3.1 prefix-len 32 proto tcp port-min 8080 port-max 8080" \
		pc_ctl rule show vmgw0 || return 1
	pc_ctl -j rule show vmgw0 | $PC_NLPY check-json rule > /dev/null &&
	pc_ctl -j dev show vmgw0 > "$PC_TMP/dev.json" &&
	$PC_NLPY check-json dev < "$PC_TMP/dev.json" > /dev/null &&
	python3 - "$PC_TMP/dev.json" "$PC_MAC" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))[0]
want = {"policy_mode": "allowlist", "floor": "default",
        "guest_mac": sys.argv[2], "guest_ipv4": "10.0.2.15",
        "resolver_ipv4": ["10.0.2.2"], "allow_host": ["allowed.test"],
        "attached": True, "flow_cap": 4096}
for k, v in want.items():
    assert d.get(k) == v, (k, d.get(k), v)
assert "guest_ipv6" not in d, d
PY
}

pc_allowlist() {
	pc_allowed 10.0.3.1 &&
	pc_refused 10.0.4.1 rx_drop_not_allowed
}

# A deny rule wins over the allow rule; deleting it (named by what it
# matches, host bits cleared) allows again.
pc_deny_rule() {
	pc_ctl rule add vmgw0 deny 10.0.3.77/24 || return 1
	pc_refused 10.0.3.1 rx_drop_deny_rule || return 1
	pc_ctl rule show vmgw0 | grep -q "action deny ipv4 10.0.3.0 prefix-len 24\$" ||
		fail "rule show: $(pc_ctl rule show vmgw0)" || return 1
	pc_ctl rule del vmgw0 deny 10.0.3.0/24 || return 1
	expect_out 1 "Error: vmgw: no such rule" pc_ctl rule del vmgw0 deny 10.0.3.0/24 &&
	pc_allowed 10.0.3.1
}

# Frames from another source address than the guest's are dropped, even
# those the policy would pass from the guest's own address: a SYN to the
# allowed 10.0.3.1:8080 and a DNS query to the resolver, 3 of each. The
# capture on vmgw0 sees nothing from the spoofed address.
pc_spoof() {
	local d0 d1 got
	d0=$(stat_of pcgw vmgw0 rx_drop_spoof_ip) || return 1
	cap_start "$PC_TMP" pcgw vmgw0 --src 10.0.2.99 || return 1
	ip netns exec pcguest python3 -c '
import socket, struct
def ip4(proto, dst, l4):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0, 64,
                       proto, 0, socket.inet_aton("10.0.2.99"),
                       socket.inet_aton(dst)) + l4
syn = struct.pack("!HHIIBBHHH", 40001, 8080, 1, 0, 5 << 4, 0x02, 1024, 0, 0)
q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + \
    b"\x07allowed\x04test\x00" + struct.pack("!HH", 1, 1)
udp = struct.pack("!HHHH", 40002, 53, 8 + len(q), 0) + q
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for _ in range(3):
    s.sendto(ip4(6, "10.0.3.1", syn), ("10.0.3.1", 0))
    s.sendto(ip4(17, "10.0.2.2", udp), ("10.0.2.2", 0))
' || return 1
	got=$(cap_stop "$PC_TMP")
	d1=$(stat_of pcgw vmgw0 rx_drop_spoof_ip)
	echo "capture: $got; rx_drop_spoof_ip $d0 -> $d1"
	[ "$got" = "ipv4 0 ipv6 0" ] || fail "spoofed frames reached pcgw: $got"
	[ $((d1 - d0)) -eq 6 ] || fail "rx_drop_spoof_ip $d0 -> $d1, want +6"
}

# pc_resolve NAME ADDR: the resolver in the gateway answers NAME with
# ADDR; the guest asks it and prints the answer.
pc_resolve() {
	ip netns exec pcgw $PC_UTIL dns-serve --bind 10.0.2.2 \
		--answer "$1=$2" --count 1 --timeout 20 > "$PC_TMP/dns.out" 2>&1 &
	local srv=$! out i
	for i in $(seq 1 50); do
		ip netns exec pcgw ss -uln | grep -q '10.0.2.2:53 ' && break
		sleep 0.1
	done
	out=$(ip netns exec pcguest $PC_UTIL dns-query --server 10.0.2.2 \
		--name "$1" --timeout 10) || { kill $srv; wait $srv; return 1; }
	wait $srv || fail "dns-serve: $(cat "$PC_TMP/dns.out")" || return 1
	[ "$out" = "$2" ] || fail "dns-query $1: '$out'"
}

# An answer for a name that is not allowed teaches nothing; one for the
# allowed name opens its address.
pc_dns_learning() {
	local l0 l1
	l0=$(stat_of pcgw vmgw0 dns_learned) || return 1
	pc_resolve other.test 10.0.6.1 || return 1
	pc_refused 10.0.6.1 rx_drop_not_allowed || return 1
	pc_refused 10.0.5.1 rx_drop_not_allowed || return 1
	pc_resolve allowed.test 10.0.5.1 || return 1
	l1=$(stat_of pcgw vmgw0 dns_learned)
	[ $((l1 - l0)) -eq 1 ] || fail "dns_learned $l0 -> $l1" || return 1
	pc_allowed 10.0.5.1 &&
	pc_refused 10.0.6.1 rx_drop_not_allowed
}

# A connection held open by the guest is listed by flow show.
pc_flow_show() {
	ip netns exec pcguest python3 -c '
import socket, time
s = socket.create_connection(("10.0.3.1", 8080), timeout=10)
print(s.getsockname()[1], flush=True)
time.sleep(120)
' > "$PC_TMP/hold.out" 2>&1 &
	local hold=$! port i out rc=0
	for i in $(seq 1 300); do
		[ -s "$PC_TMP/hold.out" ] && break
		sleep 0.1
	done
	port=$(cat "$PC_TMP/hold.out")
	sleep 0.3
	out=$(pc_ctl flow show vmgw0)
	echo "$out" | grep -q "guest-ipv4 10.0.2.15 guest-port $port peer-ipv4 10.0.3.1 peer-port 8080 state established expires-ms " ||
		{ fail "flow show (port '$port'): $out"; rc=1; }
	[ $rc -eq 0 ] && pc_ctl -j flow show vmgw0 | python3 -c '
import json, sys
flows = json.load(sys.stdin)
assert any(f["guest_port"] == int(sys.argv[1]) and f["peer_ipv4"] == "10.0.3.1"
           and f["state"] == "established" and 0 < f["expires_ms"] <= 3600000
           for f in flows), flows
' "$port" || rc=1
	[ $rc -eq 0 ] && pc_ctl -j flow show vmgw0 | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)[:1]))' | $PC_NLPY check-json flow > /dev/null || rc=1
	[ $rc -eq 0 ] && pc_ctl -j dev show vmgw0 | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
assert d["flow_count"] >= 1, d' || rc=1
	kill $hold
	wait $hold
	return $rc
}

# With short timeouts the closed flows expire; with a cap of one, a held
# connection leaves no room: the next SYN is refused by a RST.
pc_flow_cap() {
	pc_ctl dev set vmgw0 flow-timeout-syn 2 flow-timeout-fin 1 \
		flow-timeout-closed 1 flow-timeout-established 30 || return 1
	sleep 2.5
	pc_ctl dev set vmgw0 flow-cap 1 || return 1
	ip netns exec pcguest python3 -c '
import socket, time
s = socket.create_connection(("10.0.3.1", 8080), timeout=10)
print("held", flush=True)
time.sleep(120)
' > "$PC_TMP/hold2.out" 2>&1 &
	local hold=$! i rc=0
	for i in $(seq 1 300); do
		[ -s "$PC_TMP/hold2.out" ] && break
		sleep 0.1
	done
	grep -q held "$PC_TMP/hold2.out" ||
		{ fail "hold: $(cat "$PC_TMP/hold2.out")"; rc=1; }
	[ $rc -eq 0 ] && { pc_refused 10.0.3.1 rx_drop_flow_cap || rc=1; }
	kill $hold
	wait $hold
	pc_ctl dev set vmgw0 flow-cap 4096 flow-timeout-syn 60 \
		flow-timeout-fin 60 flow-timeout-closed 10 \
		flow-timeout-established 3600 || rc=1
	return $rc
}

# ethtool -S and vmgwctl stats report the same policy counters, and
# they are what the cases above did: 4 connects refused as not allowed
# (allowlist 1, DNS learning 3), one by the deny rule, one beyond the
# flow cap, each with its RST; 6 spoofed frames; one learned name; 5
# connections opened (allowlist, deny rule, DNS learning, flow show,
# flow cap).
pc_counters_match() {
	local c e v want
	pc_ctl -j stats vmgw0 > "$PC_TMP/stats.json" || return 1
	for c in rx_drop_not_allowed=4 rx_drop_deny_rule=1 rx_drop_spoof_ip=6 \
			rx_drop_flow_cap=1 rst_sent=6 dns_learned=1 flow_opened=5; do
		want=${c#*=} c=${c%=*}
		e=$(stat_of pcgw vmgw0 $c) || return 1
		v=$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))[0]["counters"][sys.argv[2]])' \
			"$PC_TMP/stats.json" "$c") || return 1
		echo "$c: ethtool $e, vmgwctl $v, want $want"
		[ "$e" = "$v" ] || fail "$c: ethtool $e, vmgwctl $v"
		[ "$e" = "$want" ] || fail "$c is $e, want $want"
	done
}

# unset and rule del all return the policy to its defaults.
pc_reset() {
	pc_ctl dev set vmgw0 unset allow-hosts unset resolvers unset guest-mac \
		unset guest-ipv4 mode open &&
	pc_ctl rule del vmgw0 all || return 1
	expect_out 0 "" pc_ctl rule show vmgw0 &&
	pc_ctl -j dev show vmgw0 | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
for k in ("guest_mac", "guest_ipv4", "resolver_ipv4", "allow_host"):
    assert k not in d, (k, d)
assert d["policy_mode"] == "open", d' &&
	pc_allowed 10.0.4.1
}

pc_cleanup() {
	local i pid
	vmm_emu_stop "$PC_TMP"
	if pid=$(cat "$PC_TMP/srv.pid" 2> /dev/null); then
		kill -TERM "$pid" 2> /dev/null
		# Not our child (started in a case's subshell): wait by polling.
		for i in $(seq 1 100); do
			pid_gone "$pid" && break
			sleep 0.1
		done
	fi
	ip netns del pcguest 2> /dev/null
	ip netns del pcgw 2> /dev/null
	rm -rf "$PC_TMP"
	# Namespaces are dismantled asynchronously: wait until nothing uses
	# the module any more (the suite unloads it at the end).
	for i in $(seq 1 200); do
		[ "$(awk '$1 == "vmgw" { print $3 }' /proc/modules)" = 0 ] && break
		sleep 0.1
	done
	[ "$(awk '$1 == "vmgw" { print $3 }' /proc/modules)" = 0 ] ||
		fail "vmgw still in use: $(grep '^vmgw ' /proc/modules);" \
			"$(ls -l /proc/[0-9]*/fd 2> /dev/null | grep -c /dev/vmgw) open files" ||
		return 1
	no_kernel_reports
}

t_run "policy-ctl setup: guest stack in pcguest, vmgw0 in pcgw" pc_setup
t_run "vmgwctl: guest identity, allowlist, rule, resolver, host; shown back" \
	pc_configure
t_run "allowlist: allowed host connects, another is refused by a RST at once" \
	pc_allowlist
t_run "deny rule wins, rule del by match restores" pc_deny_rule
t_run "spoofed source IP dropped and counted" pc_spoof
t_run "DNS learning: allowed name's address opens, another name's does not" \
	pc_dns_learning
t_run "vmgwctl flow show lists the live flow (text, JSON, flow-count)" \
	pc_flow_show
t_run "flow timeouts and cap: a SYN beyond the cap is refused by a RST" \
	pc_flow_cap
t_run "ethtool -S and vmgwctl stats agree on the policy counters" \
	pc_counters_match
t_run "unset and rule del all restore the defaults" pc_reset
t_run "policy-ctl cleanup, no kernel reports" pc_cleanup
