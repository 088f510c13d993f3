# SPDX-License-Identifier: GPL-2.0
# The vmgw CNI plugin chained after Debian's reference plugins (bridge and
# host-local, containernetworking-plugins), run as a runtime runs them
# (cni.py: CNI_* variables, the configuration on stdin, prevResult passed
# along, the result cached for CHECK and DEL). Pods are namespaces
# cpp (a plain pod: the server and the other pod), cpa and cpb (vmgw
# pods, each with its own policy: A's in the network configuration, B's
# in runtimeConfig); their guests are the namespaces cga and cgb behind
# vmm-emu, owning the pod's IP and MAC. Refusals are checked at the
# listeners in cpp: they accept nothing from the refused guest.

CN_E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CN_BIN=$CN_E2E/../../cni
CN_CTL=$CN_E2E/../../vmgwctl/vmgwctl
CN_TMP=$(mktemp -d)
CN_SUBNET=10.88.0.0/16

# cn_conflist NAME [VMGW-PLUGIN-JSON]: bridge + host-local (+ vmgw).
cn_conflist() {
	cat > "$CN_TMP/$1.conflist" <<-EOF
	{"cniVersion": "1.0.0", "name": "podnet", "plugins": [
	 {"type": "bridge", "bridge": "cni-vmgw", "isGateway": true,
	  "ipam": {"type": "host-local", "dataDir": "$CN_TMP/ipam",
	           "ranges": [[{"subnet": "$CN_SUBNET", "gateway": "10.88.0.1"}]]}}${2:+,
	 $2}]}
	EOF
}

# cn_cni add|check|del CONFLIST POD [cni.py options]: the chain for pod
# namespace POD (container id ctr-POD, interface eth0).
cn_cni() {
	local cmd=$1 list=$2 pod=$3
	shift 3
	python3 "$CN_E2E/cni.py" "$cmd" "$CN_TMP/$list.conflist" "ctr-$pod" \
		"/run/netns/$pod" eth0 --cache "$CN_TMP/cache" \
		--path "$CN_BIN:/usr/lib/cni" "$@"
}

# cn_plugin CMD NETNS: the vmgw plugin alone (no CNI_COMMAND if CMD is
# ""), the configuration on stdin; prints its stdout, returns its status.
cn_plugin() {
	env -u CNI_COMMAND ${1:+CNI_COMMAND="$1"} CNI_CONTAINERID=ctr-x \
		CNI_NETNS="$2" CNI_IFNAME=eth0 CNI_PATH="$CN_BIN:/usr/lib/cni" \
		"$CN_BIN/vmgw"
}

# cn_get FILE EXPR: a value of the JSON in FILE (python expression on r).
cn_get() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# The pod's own address (eth0's, without the prefix length).
cn_pod_ip() {
	cn_get "$CN_TMP/$1.json" \
		'[i["address"].split("/")[0] for i in r["ips"] if r["interfaces"][i["interface"]]["name"] == "eth0"][0]'
}

# cn_listen NS PORT NAME: a TCP listener counting peers into NAME.accepted.
cn_listen() {
	: > "$CN_TMP/$3.accepted"
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(16)
print("listening", flush=True)
while True:
    c, peer = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write(f"{peer[0]}\n")
    c.sendall(b"hello from " + sys.argv[3].encode() + b"\n")
    c.close()
' "$2" "$CN_TMP/$3.accepted" "$3" > "$CN_TMP/$3.out" 2>&1 &
	echo $! >> "$CN_TMP/pids"
	for _ in $(seq 1 50); do
		grep -q listening "$CN_TMP/$3.out" && return 0
		sleep 0.1
	done
	fail "listener $3 did not start: $(cat "$CN_TMP/$3.out")"
}

# cn_connect NS ADDR PORT [SRC]: connected (and what the server said),
# refused or timeout.
cn_connect() {
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket()
s.settimeout(4)
if len(sys.argv) > 3:
    s.bind((sys.argv[3], 0))
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("connected", s.recv(100).decode().strip())
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("timeout", e)
' "${@:2}"
}

# cn_accepted NAME ADDR: whether listener NAME accepted a peer ADDR.
cn_accepted() {
	grep -qx "$2" "$CN_TMP/$1.accepted"
}

# cn_guest X: vmm-emu from pod cpX's vmgw0 to guest namespace cgX, whose
# tap0 takes the pod's MAC and IP (from the vmgw interface of the result).
cn_guest() {
	local x=$1 ip mac
	ip=$(cn_pod_ip "$x") || return 1
	mac=$(cn_get "$CN_TMP/$x.json" \
		'[i["mac"] for i in r["interfaces"] if i["name"] == "vmgw0"][0]') ||
		return 1
	mkdir -p "$CN_TMP/emu-$x"
	vmm_emu_start "$CN_TMP/emu-$x" "cp$x" vmgw0 "cg$x" || return 1
	ip -n "cg$x" link set tap0 address "$mac" &&
	ip -n "cg$x" addr add "$ip/16" dev tap0 &&
	ip -n "cg$x" link set tap0 up &&
	ip -n "cg$x" route add default via 10.88.0.1
}

# cn_left POD: what the vmgw plugin could have left in pod namespace POD:
# a vmgw device, an ingress qdisc on eth0, an nft table, a process.
cn_left() {
	local what
	what=$(ip -n "$1" -o link show type vmgw)
	[ -z "$what" ] || echo "device: $what"
	what=$(tc -n "$1" qdisc show dev eth0 ingress 2> /dev/null)
	[ -z "$what" ] || echo "qdisc: $what"
	what=$(ip netns exec "$1" nft list tables 2> /dev/null)
	[ -z "$what" ] || echo "nft: $what"
	what=$(ip netns pids "$1")
	[ -z "$what" ] || echo "processes: $what"
}

cn_setup() {
	local m
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	for m in tun veth bridge sch_ingress cls_matchall act_mirred nf_tables; do
		modprobe "$m" || { fail "modprobe $m"; return 1; }
	done
	[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] ||
		{ fail "no reference plugins in /usr/lib/cni (containernetworking-plugins)"; return 1; }
	sysctl -n net.ipv4.ip_forward > "$CN_TMP/forward" || return 1
	for m in cpp cpa cpb cpc cga cgb; do
		ip netns add "$m" && ip -n "$m" link set lo up || return 1
	done
	cn_conflist plain
	cn_cni add plain cpp > "$CN_TMP/p.json" ||
		{ fail "ADD of the plain pod: $(cat "$CN_TMP/p.json")"; return 1; }
	cn_pod_ip p > "$CN_TMP/p.ip" || return 1
	echo "plain pod: $(cat "$CN_TMP/p.ip")"
	cn_listen cpp 80 web && cn_listen cpp 7777 victim
}

# Pod A: its policy in the network configuration denies the plain pod's
# port 7777.
cn_add_a() {
	local p idx
	p=$(cat "$CN_TMP/p.ip")
	cn_conflist a '{"type": "vmgw", "policy": {"deny": [{"dst": "'"$p"'/32", "proto": "tcp", "ports": "7777"}]}}'
	cn_cni add a cpa > "$CN_TMP/a.json" ||
		{ fail "ADD of pod A: $(cat "$CN_TMP/a.json")"; return 1; }
	cat "$CN_TMP/a.json"
	idx=$(cn_get "$CN_TMP/a.json" \
		'[n for n, i in enumerate(r["interfaces"]) if i["name"] == "vmgw0" and i["sandbox"] == "/run/netns/cpa"][0]') ||
		{ fail "no vmgw0 in the result with the pod's sandbox"; return 1; }
	[ "$(cn_get "$CN_TMP/a.json" '[i["gateway"] for i in r["ips"] if i["interface"] == '"$idx"'][0]')" = 10.88.0.1 ] ||
		fail "the result gives the guest no address with gateway 10.88.0.1"
	[ "$(cn_get "$CN_TMP/a.json" '[i["mac"] for i in r["interfaces"] if i["name"] == "vmgw0"][0]')" = \
	  "$(ip netns exec cpa cat /sys/class/net/eth0/address)" ] ||
		fail "the guest's MAC in the result is not the pod's"
	link_exists cpa vmgw0 || fail "no vmgw0 in cpa"
	tc -n cpa filter show dev eth0 ingress | grep -q "Redirect to device vmgw0" ||
		fail "eth0's ingress does not redirect to vmgw0"
	cn_guest a
}

cn_a_reaches() {
	local out
	out=$(cn_connect cga "$(cat "$CN_TMP/p.ip")" 80)
	echo "guest A -> plain pod:80: $out"
	[ "$out" = "connected hello from web" ] ||
		{ fail "guest A did not reach the server on the bridge"; return 1; }
	cn_accepted web "$(cn_pod_ip a)" ||
		fail "the server did not see guest A's pod IP"
	[ "$(stat_of cpa vmgw0 flow_opened)" -ge 1 ] ||
		fail "vmgw0 opened no flow: the connection did not pass through vmgw"
}

cn_a_reached() {
	local out a
	a=$(cn_pod_ip a)
	cn_listen cga 8080 guest-a || return 1
	out=$(cn_connect cpp "$a" 8080)
	echo "plain pod -> $a:8080: $out"
	[ "$out" = "connected hello from guest-a" ] ||
		{ fail "the other pod did not reach guest A at the pod IP"; return 1; }
	cn_accepted guest-a "$(cat "$CN_TMP/p.ip")" ||
		fail "guest A's listener did not see the other pod"
}

cn_a_refused() {
	local out before
	before=$(stat_of cpa vmgw0 rx_drop_deny_rule)
	out=$(cn_connect cga "$(cat "$CN_TMP/p.ip")" 7777)
	echo "guest A -> plain pod:7777: $out"
	[ "$out" = refused ] || fail "guest A's connect was not refused: $out"
	! cn_accepted victim "$(cn_pod_ip a)" ||
		fail "the listener behind A's deny rule accepted guest A"
	[ "$(stat_of cpa vmgw0 rx_drop_deny_rule)" -gt "$before" ] ||
		fail "rx_drop_deny_rule did not count"
}

cn_a_spoofed() {
	local out before
	before=$(stat_of cpa vmgw0 rx_drop_spoof_ip)
	ip -n cga addr add 10.88.0.250/16 dev tap0 || return 1
	out=$(cn_connect cga "$(cat "$CN_TMP/p.ip")" 80 10.88.0.250)
	ip -n cga addr del 10.88.0.250/16 dev tap0
	echo "guest A from 10.88.0.250 -> plain pod:80: $out"
	! cn_accepted web 10.88.0.250 ||
		fail "the server accepted a connection from a spoofed source"
	[ "$(stat_of cpa vmgw0 rx_drop_spoof_ip)" -gt "$before" ] ||
		fail "rx_drop_spoof_ip did not count"
}

# Pod B at the same time: an allowlist from runtimeConfig (the capability
# "vmgw") with the plain pod's port 7777 only.
cn_add_b() {
	local p out b
	p=$(cat "$CN_TMP/p.ip")
	cn_conflist b '{"type": "vmgw", "capabilities": {"vmgw": true}}'
	cn_cni add b cpb --cap 'vmgw={"mode": "allowlist", "allow": [{"dst": "'"$p"'/32", "proto": "tcp", "ports": "7777"}]}' \
		> "$CN_TMP/b.json" ||
		{ fail "ADD of pod B: $(cat "$CN_TMP/b.json")"; return 1; }
	cn_guest b || return 1
	b=$(cn_pod_ip b)
	out=$(cn_connect cgb "$p" 7777)
	echo "guest B -> plain pod:7777: $out"
	[ "$out" = "connected hello from victim" ] ||
		fail "guest B did not reach what its allowlist allows"
	out=$(cn_connect cgb "$p" 80)
	echo "guest B -> plain pod:80: $out"
	[ "$out" = refused ] || fail "guest B's connect to :80 was not refused: $out"
	! cn_accepted web "$b" || fail "the server accepted guest B, outside its allowlist"
	out=$(cn_connect cga "$p" 80)
	echo "guest A -> plain pod:80 (B up too): $out"
	[ "$out" = "connected hello from web" ] || fail "guest A lost its way with B up"
}

cn_check_ok() {
	cn_cni check a cpa || fail "CHECK of pod A failed"
	cn_cni check b cpb --cap 'vmgw={"mode": "allowlist", "allow": [{"dst": "'"$(cat "$CN_TMP/p.ip")"'/32", "proto": "tcp", "ports": "7777"}]}' ||
		fail "CHECK of pod B failed"
}

# cn_bad NAME CODE CONF [NETNS [COMMAND]]: ADD (or COMMAND) in pod C (or
# NETNS) fails with CODE and leaves nothing.
cn_bad() {
	local name=$1 code=$2 conf=$3 out rc
	out=$(printf '%s' "$conf" | cn_plugin "${5-ADD}" "${4:-/run/netns/cpc}")
	rc=$?
	echo "$name: exit $rc: $out"
	[ $rc -eq 1 ] || fail "$name: exit status $rc, not 1"
	[ "$(printf '%s' "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])')" = "$code" ] ||
		fail "$name: not error code $code"
	[ -z "$(ip -n cpc -o link show type vmgw)" ] || fail "$name: a vmgw device was left"
}

cn_bad_config() {
	local prev head
	cn_cni add plain cpc > "$CN_TMP/c.json" ||
		{ fail "ADD of pod C: $(cat "$CN_TMP/c.json")"; return 1; }
	prev=$(cat "$CN_TMP/c.json")
	head='"cniVersion": "1.0.0", "name": "podnet", "type": "vmgw"'
	cn_bad "not JSON" 6 '{"cniVersion": '
	cn_bad "another CNI version" 1 '{"cniVersion": "0.4.0", "name": "podnet", "type": "vmgw", "prevResult": '"$prev"'}'
	cn_bad "unknown key" 2 "{$head, \"polcy\": {}, \"prevResult\": $prev}"
	cn_bad "unknown policy key" 2 "{$head, \"policy\": {\"flor\": \"strict\"}, \"prevResult\": $prev}"
	cn_bad "bad CIDR" 7 "{$head, \"policy\": {\"deny\": [{\"dst\": \"10.0.0.0/33\"}]}, \"prevResult\": $prev}"
	cn_bad "no prevResult" 7 "{$head}"
	cn_bad "runtimeConfig widens the floor" 7 "{$head, \"policy\": {\"floor\": \"strict\"}, \"runtimeConfig\": {\"vmgw\": {\"floor\": \"off\"}}, \"prevResult\": $prev}"
	cn_bad "no namespace" 3 "{$head, \"prevResult\": $prev}" /run/netns/nosuch
	cn_bad "no CNI_COMMAND" 4 "{$head, \"prevResult\": $prev}" /run/netns/cpc ""
	# Half way: the device is made, the pod's redirect fails; all undone.
	tc -n cpc qdisc add dev eth0 ingress || return 1
	cn_bad "ADD failing half way" 101 "{$head, \"prevResult\": $prev}"
	tc -n cpc qdisc del dev eth0 ingress
	[ -z "$(cn_left cpc)" ] || fail "pod C: $(cn_left cpc)"
	cn_cni del plain cpc || fail "DEL of plain pod C failed"
}

cn_del_b() {
	local conf left
	vmm_emu_stop "$CN_TMP/emu-b"
	touch "$CN_TMP/stamp"
	# The plugin alone first: eth0 is still there to show its qdisc gone.
	conf='{"cniVersion": "1.0.0", "name": "podnet", "type": "vmgw", "prevResult": '"$(cat "$CN_TMP/b.json")"'}'
	printf '%s' "$conf" | cn_plugin DEL /run/netns/cpb || fail "DEL of vmgw in pod B failed"
	left=$(cn_left cpb)
	[ -z "$left" ] || fail "left in pod B: $left"
	left=$(find /run -path /run/netns -prune -o -newer "$CN_TMP/stamp" -print)
	[ -z "$left" ] || fail "files left: $left"
	printf '%s' "$conf" | cn_plugin DEL /run/netns/cpb || fail "a second DEL failed"
	cn_cni del b cpb || fail "the chain's DEL of pod B failed"
	cn_cni del b cpb || fail "a second chain DEL of pod B failed"
}

cn_check_fails() {
	local out
	vmm_emu_stop "$CN_TMP/emu-a"
	ip -n cpa link del vmgw0 || return 1
	if out=$(cn_cni check a cpa); then
		fail "CHECK passed without the device"
	fi
	echo "CHECK: $out"
	printf '%s' "$out" | grep -q '"code":100' && printf '%s' "$out" |
		grep -q 'vmgw0 is not in netns /run/netns/cpa' ||
		fail "CHECK did not say what is missing"
	# The plugin alone: the pod interface's filter, whose target is
	# gone, and its qdisc go too.
	printf '%s' '{"cniVersion": "1.0.0", "name": "podnet", "type": "vmgw"}' |
		cn_plugin DEL /run/netns/cpa || fail "DEL without the device failed"
	link_exists cpa eth0 || fail "eth0 is gone from pod A"
	[ -z "$(cn_left cpa)" ] || fail "left in pod A: $(cn_left cpa)"
	cn_cni del a cpa || fail "the chain's DEL after the device was deleted failed"
}

cn_del_gone() {
	local conf
	ip netns del cpa || return 1
	cn_cni del a cpa || fail "DEL after the namespace is gone failed"
	ip netns add cpx || return 1
	conf='{"cniVersion": "1.0.0", "name": "podnet", "type": "vmgw"}'
	printf '%s' "$conf" | cn_plugin DEL /run/netns/cpx ||
		fail "DEL without ADD failed"
	ip netns del cpx
}

cn_cleanup() {
	local p
	vmm_emu_stop "$CN_TMP/emu-a"
	vmm_emu_stop "$CN_TMP/emu-b"
	while read -r p; do
		kill "$p" 2> /dev/null
	done < "$CN_TMP/pids"
	for p in a b; do
		[ -f "$CN_TMP/$p.conflist" ] && ip netns pids "cp$p" > /dev/null 2>&1 &&
			cn_cni del "$p" "cp$p" > /dev/null 2>&1
	done
	[ -f "$CN_TMP/plain.conflist" ] && cn_cni del plain cpp > /dev/null 2>&1
	for p in cpp cpa cpb cpc cga cgb cpx; do
		ip netns del "$p" 2> /dev/null
	done
	ip link del cni-vmgw 2> /dev/null
	[ -s "$CN_TMP/forward" ] &&
		sysctl -qw net.ipv4.ip_forward="$(cat "$CN_TMP/forward")"
	rm -rf "$CN_TMP"
	return 0
}

t_run "cni: setup (bridge network, a plain pod with a server and a listener)" cn_setup
t_run "cni: ADD of pod A (bridge, host-local, vmgw): vmgw0 in the result and the pod" cn_add_a
t_run "cni: guest A with the pod's IP reaches a server on the bridge through vmgw" cn_a_reaches
t_run "cni: guest A is reached at the pod IP by another pod" cn_a_reached
t_run "cni: a destination A's policy denies is refused, nothing arrives" cn_a_refused
t_run "cni: a frame of guest A from another source address reaches nothing" cn_a_spoofed
t_run "cni: pod B at once, its allowlist from runtimeConfig" cn_add_b
t_run "cni: CHECK of both pods passes" cn_check_ok
t_run "cni: bad configurations get the spec's error codes, leave nothing" cn_bad_config
t_run "cni: DEL of pod B leaves nothing and is idempotent" cn_del_b
t_run "cni: CHECK fails once the device is deleted; DEL still succeeds" cn_check_fails
t_run "cni: DEL after the namespace is gone, DEL without ADD" cn_del_gone
t_run "cni: cleanup" cn_cleanup
