# SPDX-License-Identifier: GPL-2.0
# vmgwctl up's default profile seen by a real guest stack (namespace
# "uguest" through vmm-emu to vmgw0 in "usafe", made by "vmgwctl up
# --uplink"): the guest gets its one DHCP address from dnsmasq, resolves
# through the gateway and reaches a server beyond the uplink (namespace
# "uwan", routed through this host), but no service of this host: not
# on the uplink's host address, not on another host address, not on one
# added after up, not the metadata address, not another DNS server, not
# from a spoofed source. Checked at the listeners: they accept nothing.

US_E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
US_CTL=$US_E2E/../../vmgwctl/vmgwctl
US_TMP=$(mktemp -d)

us_setup() {
	local m
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	for m in tun veth dummy nf_tables nft_chain_nat nft_masq nft_ct; do
		modprobe "$m" || { fail "modprobe $m"; return 1; }
	done
	sysctl -n net.ipv4.ip_forward > "$US_TMP/forward" || return 1
	# "the internet": 203.0.113.1 in uwan, beyond this host
	ip netns add uwan && ip -n uwan link set lo up &&
	ip link add uwan0 type veth peer name eth0 netns uwan &&
	ip addr add 203.0.113.254/24 dev uwan0 && ip link set uwan0 up &&
	ip -n uwan addr add 203.0.113.1/24 dev eth0 &&
	ip -n uwan link set eth0 up &&
	ip -n uwan route add default via 203.0.113.254 || return 1
	ip netns exec uwan dnsmasq --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address=203.0.113.1 \
		--address=/www.up.test/203.0.113.1 --user=root \
		--pid-file="$US_TMP/wan-dns.pid" || return 1
	# another address of this host, public-looking, with a listener on
	# every host address
	ip link add hst0 type dummy && ip addr add 198.51.100.77/32 dev hst0 &&
	ip link set hst0 up || return 1
	us_listen "" 7777 host || return 1
	us_listen uwan 80 wan || return 1
	"$US_CTL" up usafe vmgw0 --uplink --dns 203.0.113.1 > "$US_TMP/up.out" ||
		return 1
	cat "$US_TMP/up.out"
	grep -q "floor strict, DNS to the gateway only" "$US_TMP/up.out" ||
		fail "up did not report its sandbox" || return 1
	ip netns add uguest && ip -n uguest link set lo up || return 1
	vmm_emu_start "$US_TMP" usafe vmgw0 uguest &&
	ip -n uguest link set tap0 up
}

# us_listen NS PORT NAME: a TCP listener on every address (in NS, or here
# for ""), counting what it accepts into US_TMP/NAME.accepted.
us_listen() {
	local ns=$1 port=$2 name=$3 run=()
	[ -n "$ns" ] && run=(ip netns exec "$ns")
	: > "$US_TMP/$name.accepted"
	"${run[@]}" python3 -c '
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
' "$port" "$US_TMP/$name.accepted" "$name" > "$US_TMP/$name.out" 2>&1 &
	echo $! >> "$US_TMP/pids"
	for _ in $(seq 1 50); do
		grep -q listening "$US_TMP/$name.out" && return 0
		sleep 0.1
	done
	fail "listener $name did not start: $(cat "$US_TMP/$name.out")"
}

# us_connect ADDR PORT [SRC]: connect from the guest; prints connected,
# refused or timeout (and what the server said).
us_connect() {
	ip netns exec uguest python3 -c '
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
' "$@"
}

us_dhcp() {
	local out
	out=$(ip netns exec uguest timeout 30 busybox udhcpc -i tap0 -n -q \
		-t 5 -T 2 -s /bin/true 2>&1)
	echo "$out"
	printf '%s\n' "$out" | grep -q "lease of 10.0.2.15 obtained" ||
		{ fail "no lease of 10.0.2.15 from the gateway's dnsmasq"; return 1; }
	ip -n uguest addr add 10.0.2.15/24 dev tap0 &&
	ip -n uguest route add default via 10.0.2.2
}

us_dns() {
	local out
	out=$(ip netns exec uguest python3 "$US_E2E/netutil.py" dns-query \
		--server 10.0.2.2 --name www.up.test --timeout 5 2>&1)
	echo "gateway: $out"
	[ "$out" = 203.0.113.1 ] ||
		{ fail "www.up.test not resolved through the gateway"; return 1; }
	# another DNS server: the query never gets there
	out=$(ip netns exec uguest python3 "$US_E2E/netutil.py" dns-query \
		--server 203.0.113.1 --name www.up.test --timeout 3 2>&1)
	echo "203.0.113.1: $out"
	[ "$out" != 203.0.113.1 ] ||
		{ fail "another DNS server answered"; return 1; }
}

us_reaches_wan() {
	local out
	out=$(us_connect 203.0.113.1 80)
	echo "203.0.113.1:80: $out"
	[ "$out" = "connected hello from wan" ] ||
		{ fail "the server beyond the uplink was not reached"; return 1; }
}

# us_refused WHAT ADDR [SRC]: the guest's connect fails and the host's
# listener accepted nothing.
us_refused() {
	local what=$1 out
	shift
	out=$(us_connect "$1" 7777 "${@:2}")
	echo "$what $1:7777: $out"
	case $out in
	connected*) fail "$what: the guest connected"; return 1 ;;
	esac
	[ ! -s "$US_TMP/host.accepted" ] ||
		{ fail "host listener accepted: $(cat "$US_TMP/host.accepted")"; return 1; }
}

us_host_uplink() {
	local a
	a=$(ip -br addr show dev vmgw-usafe | awk '{ print $3 }') || return 1
	us_refused "host's uplink address" "${a%/*}"
}

us_host_other() {
	us_refused "another host address" 198.51.100.77
}

us_host_later() {
	ip addr add 198.51.100.78/32 dev hst0 || return 1
	us_refused "a host address added after up" 198.51.100.78
}

us_metadata() {
	local out
	out=$(us_connect 169.254.169.254 80)
	echo "169.254.169.254:80: $out"
	[ "$out" = refused ] || { fail "metadata: $out"; return 1; }
}

us_spoofed() {
	local before after
	ip -n uguest addr add 10.0.2.16/24 dev tap0 || return 1
	before=$(wc -l < "$US_TMP/wan.accepted")
	echo "from 10.0.2.16: $(us_connect 203.0.113.1 80 10.0.2.16)"
	after=$(wc -l < "$US_TMP/wan.accepted")
	ip -n uguest addr del 10.0.2.16/24 dev tap0
	[ "$before" = "$after" ] ||
		{ fail "the server accepted a connection from a spoofed source"; return 1; }
}

us_cleanup() {
	local p
	vmm_emu_stop "$US_TMP"
	"$US_CTL" down usafe vmgw0 > /dev/null 2>&1
	while read -r p; do
		kill "$p" 2> /dev/null
	done < "$US_TMP/pids"
	[ -s "$US_TMP/wan-dns.pid" ] && kill "$(cat "$US_TMP/wan-dns.pid")"
	ip netns del uguest 2> /dev/null
	ip netns del uwan 2> /dev/null
	ip link del hst0 2> /dev/null
	sysctl -qw net.ipv4.ip_forward="$(cat "$US_TMP/forward")"
	rm -rf "$US_TMP"
	return 0
}

t_run "up sandbox: setup (uplink network, host listener, vmgwctl up, guest)" us_setup
t_run "up sandbox: the guest's DHCP lease is its one address" us_dhcp
t_run "up sandbox: DNS through the gateway only" us_dns
t_run "up sandbox: a server beyond the uplink is reached" us_reaches_wan
t_run "up sandbox: no listener on the host's uplink address" us_host_uplink
t_run "up sandbox: no listener on another host address" us_host_other
t_run "up sandbox: no listener on a host address added after up" us_host_later
t_run "up sandbox: the metadata address is refused" us_metadata
t_run "up sandbox: a spoofed source reaches nothing" us_spoofed
t_run "up sandbox: cleanup" us_cleanup
