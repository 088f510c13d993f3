# SPDX-License-Identifier: GPL-2.0
# The default policy seen by a real guest stack (namespace "pguest" through
# vmm-emu to vmgw0 in "pgw"): a connect() to the metadata address fails at
# once with ECONNREFUSED (a RST from the module, not a timeout), and a TCP
# segment outside any flow never reaches the gateway. A port the guest
# publishes is reached from the gateway namespace (the flow is opened by the
# gateway's SYN, the guest's answers pass on it), and the flow goes away
# after its close timeout without further traffic (periodic collection).

E2E=$(dirname "${BASH_SOURCE[0]}")/..
POL_TMP=$(mktemp -d)

pol_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe tun || return 1
	ip netns add pgw && ip netns add pguest || return 1
	ip -n pgw link set lo up && ip -n pguest link set lo up &&
	ip link add vmgw0 netns pgw type vmgw &&
	ip -n pgw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n pgw addr add fd00::2/64 dev vmgw0 nodad &&
	ip -n pgw link set vmgw0 up || return 1
	vmm_emu_start "$POL_TMP" pgw vmgw0 pguest || return 1
	ip -n pguest addr add 10.0.2.15/24 dev tap0 &&
	ip -n pguest addr add fd00::15/64 dev tap0 nodad &&
	ip -n pguest link set tap0 up &&
	ip -n pguest route add default via 10.0.2.2 &&
	ip netns exec pguest ping -c 1 -W 2 10.0.2.2 > /dev/null
}

# connect() to 169.254.169.254:80 must fail with ECONNREFUSED in < 2 s.
pol_metadata_refused() {
	local f0 f1 r0 r1 out got
	f0=$(stat_of pgw vmgw0 rx_drop_floor) || return 1
	r0=$(stat_of pgw vmgw0 rst_sent) || return 1
	cap_start "$POL_TMP" pgw vmgw0 --proto tcp --syn --dst 169.254.169.254 ||
		return 1
	out=$(ip netns exec pguest python3 -c '
import errno, socket, sys, time
s = socket.socket()
s.settimeout(10)
t = time.monotonic()
try:
    s.connect(("169.254.169.254", 80))
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, e), round(time.monotonic() - t, 3))
') || return 1
	got=$(cap_stop "$POL_TMP")
	f1=$(stat_of pgw vmgw0 rx_drop_floor)
	r1=$(stat_of pgw vmgw0 rst_sent)
	echo "connect: $out; rx_drop_floor $f0 -> $f1; rst_sent $r0 -> $r1; capture: $got"
	case $out in
	"ECONNREFUSED 0."* | "ECONNREFUSED 1."*) ;;
	*) fail "connect: '$out', expected ECONNREFUSED within 2 s" ;;
	esac
	[ "$got" = "ipv4 0 ipv6 0" ] || fail "the SYN reached pgw: $got"
	[ $((f1 - f0)) -eq 1 ] && [ $((r1 - r0)) -eq 1 ] ||
		fail "counters: floor $f0 -> $f1, rst $r0 -> $r1"
}

# Bare ACKs (raw sockets: no flow), 3 over IPv4 and 3 over IPv6, are
# dropped and counted; a capture on vmgw0 in the gateway namespace sees
# none of them.
pol_no_flow() {
	local d0 d1 got
	d0=$(stat_of pgw vmgw0 rx_drop_no_flow) || return 1
	cap_start "$POL_TMP" pgw vmgw0 --proto tcp --dport 5555 || return 1
	ip netns exec pguest python3 -c '
import socket, struct
tcp = struct.pack("!HHIIBBHHH", 40000, 5555, 1, 1, 5 << 4, 0x10, 1024, 0, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
for _ in range(3):
    s.sendto(tcp, ("10.0.2.2", 0))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_TCP)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 16)
for _ in range(3):
    s6.sendto(tcp, ("fd00::2", 0))
' || return 1
	got=$(cap_stop "$POL_TMP")
	d1=$(stat_of pgw vmgw0 rx_drop_no_flow)
	echo "capture: $got; rx_drop_no_flow $d0 -> $d1"
	[ "$got" = "ipv4 0 ipv6 0" ] || fail "bare ACKs reached pgw: $got"
	[ $((d1 - d0)) -eq 6 ] || fail "rx_drop_no_flow $d0 -> $d1, want +6"
}

# The guest listens on 10.0.2.15:8080; the gateway namespace connects,
# sends "ping", gets "pong"; the guest then closes with a RST (SO_LINGER 0).
pol_published_port() {
	local o0 o1 n0 n1 out
	o0=$(stat_of pgw vmgw0 flow_opened) || return 1
	n0=$(stat_of pgw vmgw0 rx_drop_no_flow) || return 1
	ip netns exec pguest python3 -c '
import socket, struct, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.2.15", 8080))
s.listen(1)
s.settimeout(20)
open(sys.argv[1], "w").close()
c, _ = s.accept()
c.settimeout(10)
data = c.recv(16)
c.sendall(b"pong" if data == b"ping" else b"what")
c.recv(16)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
' "$POL_TMP/listening" > "$POL_TMP/server.out" 2>&1 &
	local srv=$! i
	for i in $(seq 1 50); do
		[ -e "$POL_TMP/listening" ] && break
		sleep 0.1
	done
	out=$(ip netns exec pgw python3 -c '
import socket
c = socket.create_connection(("10.0.2.15", 8080), timeout=10)
c.sendall(b"ping")
print(c.recv(16).decode())
c.sendall(b"bye")
c.settimeout(10)
try:
    print("eof" if c.recv(16) == b"" else "data")
except ConnectionResetError:
    print("reset")
')
	wait "$srv" || fail "guest listener: $(cat "$POL_TMP/server.out")" ||
		return 1
	o1=$(stat_of pgw vmgw0 flow_opened)
	n1=$(stat_of pgw vmgw0 rx_drop_no_flow)
	echo "client: $(echo $out); flow_opened $o0 -> $o1;" \
		"rx_drop_no_flow $n0 -> $n1"
	[ "$(echo $out)" = "pong reset" ] ||
		fail "client saw '$out', wanted 'pong reset'" || return 1
	[ $((o1 - o0)) -eq 1 ] && [ "$n1" = "$n0" ] ||
		fail "flow_opened $o0 -> $o1, rx_drop_no_flow $n0 -> $n1"
}

# No traffic since the RST: the flow's close timeout (10 s) and the
# collection period (5 s) later, the table is empty.
pol_flows_collected() {
	local i n
	# the published port's flow, closed by a RST a moment ago
	n=$(stat_of pgw vmgw0 flows) || return 1
	[ "$n" -eq 1 ] || fail "flows is $n right after the connection, want 1" ||
		return 1
	for i in $(seq 1 40); do
		n=$(stat_of pgw vmgw0 flows) || return 1
		[ "$n" -eq 0 ] && break
		sleep 1
	done
	echo "flows: $n after ${i} s"
	[ "$n" -eq 0 ] || fail "flows still $n after 40 s"
}

pol_cleanup() {
	vmm_emu_stop "$POL_TMP"
	ip netns del pguest 2> /dev/null
	ip netns del pgw 2> /dev/null
	rm -rf "$POL_TMP"
	return 0
}

t_run "policy setup: guest stack in pguest, vmgw0 in pgw" pol_setup
t_run "default floor: connect to 169.254.169.254 refused by a RST at once" \
	pol_metadata_refused
t_run "TCP outside any flow is dropped and counted" pol_no_flow
t_run "published port: the gateway namespace connects to a guest listener" \
	pol_published_port
t_run "flows: collected after their close timeout without traffic" \
	pol_flows_collected
t_run "policy cleanup" pol_cleanup
