# SPDX-License-Identifier: GPL-2.0
# Hostile guest frames (adversarial.py) against every refusal of the
# policy, checked from the victim's side: namespace "avic" is beyond the
# gateway namespace "agw", routed through it as an uplink is (forwarding
# on in both families, no NAT, software checksums on the link), and holds
# every address the frames aim at (a host beyond, denied hosts, the
# metadata address, a NAT64 prefix). A capture on its link must see
# nothing of what the policy refuses, while real DHCP (dnsmasq), NDP, DNS
# through the gateway and a published port keep working. Every hostile
# case fails with a plain TAP device in vmgw's place (ADV_TAP=1: the
# validation run, no policy).
#
# DNS poisoning: the gateway's dnsmasq serves a TXT record whose bytes the
# attacker chose (as its own domain would) and "avic" runs a second
# dnsmasq, a resolver beyond the gateway at 203.0.113.53, and an attacker
# that sends UDP from that address. The guest tries to get 203.0.113.66
# learned for allowed.adv.test: by acknowledging part of the TCP answer so
# that the retransmission starts at a forged message inside it, and by
# answers from the resolver's address to no question it asked. A SYN to
# 203.0.113.66 afterwards must not arrive at avic.

ADV_E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADV_CTL=$ADV_E2E/../../vmgwctl/vmgwctl
ADV_TMP=$(mktemp -d)
ADV_NODE=/dev/vmgw
[ -n "${ADV_TAP:-}" ] && ADV_NODE=/dev/net/tun

adv_gw_dev() {
	if [ -n "${ADV_TAP:-}" ]; then
		modprobe tun &&
		ip -n agw tuntap add dev vmgw0 mode tap vnet_hdr &&
		ip -n agw link set vmgw0 address 02:00:00:00:00:02
	else
		ip link add vmgw0 netns agw address 02:00:00:00:00:02 type vmgw
	fi
}

adv_setup() {
	local a txt
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe veth && modprobe 8021q || return 1
	ip netns add agw && ip netns add avic || return 1
	ip -n agw link set lo up && ip -n avic link set lo up && adv_gw_dev ||
		return 1
	ip -n agw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n agw addr add fd00::2/64 dev vmgw0 nodad &&
	ip -n agw link set vmgw0 up &&
	ip -n agw link add link vmgw0 name vmgw0.5 type vlan id 5 &&
	ip -n agw addr add 10.0.5.2/24 dev vmgw0.5 &&
	ip -n agw link set vmgw0.5 up || return 1
	# the uplink: up0 in agw, eth0 in avic
	ip -n agw link add up0 type veth peer name eth0 netns avic &&
	ip -n agw addr add 198.51.100.1/24 dev up0 &&
	ip -n agw addr add 2001:db8:1::1/64 dev up0 nodad &&
	ip -n agw link set up0 up &&
	ip netns exec agw ethtool -K up0 tx off > /dev/null &&
	ip -n avic addr add 198.51.100.2/24 dev eth0 &&
	ip -n avic addr add 2001:db8:1::2/64 dev eth0 nodad &&
	ip -n avic link set eth0 up &&
	ip -n avic route add default via 198.51.100.1 &&
	ip -n avic -6 route add default via 2001:db8:1::1 || return 1
	for a in 203.0.113.10/32 203.0.113.53/32 203.0.113.66/32 \
		169.254.169.254/32; do
		ip -n avic addr add "$a" dev lo || return 1
	done
	for a in 2001:db8:2::10/128 2001:db8:2::66/128 64:ff9b::cb00:7142/128; do
		ip -n avic addr add "$a" dev lo nodad || return 1
	done
	ip -n agw route add 203.0.113.0/24 via 198.51.100.2 &&
	ip -n agw route add 169.254.169.254/32 via 198.51.100.2 &&
	ip -n agw -6 route add 2001:db8:2::/64 via 2001:db8:1::2 &&
	ip -n agw -6 route add 64:ff9b::/96 via 2001:db8:1::2 || return 1
	ip netns exec agw sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.vmgw0.rp_filter=0 net.ipv4.conf.vmgw0/5.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0 || return 1
	# the TXT record the attacker's domain would serve (adversarial.py)
	txt=$(cd "$ADV_E2E" && python3 -c \
		'import adversarial as A; print(A.txt_rdata().hex())') || return 1
	# the guest's neighbour entries: the frames come from no real stack
	ip -n agw neigh replace 10.0.2.15 lladdr 02:00:00:00:00:15 dev vmgw0 nud permanent &&
	ip -n agw neigh replace fd00::15 lladdr 02:00:00:00:00:15 dev vmgw0 nud permanent ||
		return 1
	ip netns exec agw dnsmasq --conf-file=/dev/null --interface=vmgw0 \
		--bind-interfaces --except-interface=lo --no-resolv --no-hosts \
		--no-ping --dhcp-range=10.0.2.15,10.0.2.15,1h \
		--dhcp-leasefile="$ADV_TMP/leases" --address=/adv.test/203.0.113.10 \
		--dns-rr=big.evil.test,16,"$txt" \
		--pid-file="$ADV_TMP/dnsmasq.pid" --user=root || return 1
	ip netns exec avic dnsmasq --conf-file=/dev/null \
		--listen-address=203.0.113.53 --bind-interfaces --no-resolv \
		--no-hosts --address=/adv.test/203.0.113.10 \
		--pid-file="$ADV_TMP/dnsmasq-avic.pid" --user=root || return 1
	ip netns exec agw ping -c 1 -W 2 198.51.100.2 > /dev/null &&
		ip netns exec agw ping -6 -c 1 -W 2 2001:db8:1::2 > /dev/null ||
		fail "the victim namespace is not reachable from agw"
}

# adv_policy SETTING... -- RULE...: the device's policy for one group
# (nothing with a plain TAP device: it has none).
adv_policy() {
	local r set=()
	[ -n "${ADV_TAP:-}" ] && return 0
	"$ADV_CTL" -n agw rule del vmgw0 all || return 1
	"$ADV_CTL" -n agw dev set vmgw0 unset guest-mac unset guest-ipv4 \
		unset guest-ipv6 unset resolvers unset allow-hosts || return 1
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		set+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	"$ADV_CTL" -n agw dev set vmgw0 "${set[@]}" || return 1
	for r in "$@"; do
		# shellcheck disable=SC2086
		"$ADV_CTL" -n agw rule add vmgw0 $r || return 1
	done
}

# adv_group GROUP: its cases; a failed case fails the group, every case
# is printed.
adv_group() {
	local out rc
	out=$(cd "$ADV_E2E" && ip netns exec agw python3 adversarial.py \
		"$ADV_NODE" vmgw0 avic "$1" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] || { fail "group $1: a case failed"; return 1; }
}

adv_open() {
	adv_policy mode open floor default -- \
		"deny 203.0.113.66/32" "deny 2001:db8:2::66/128" &&
		adv_group open
}

adv_reflect() {
	adv_policy mode open floor default && adv_group reflect
}

adv_allow() {
	adv_policy mode allowlist floor default guest-mac 02:00:00:00:00:15 \
		guest-ip 10.0.2.15 guest-ip fd00::15 guest-ip fe80::15 -- \
		"allow 203.0.113.10/32 proto tcp port 443" \
		"allow 2001:db8:2::10/128 proto tcp port 443" &&
		adv_group allow
}

adv_gateway() {
	adv_policy mode allowlist floor strict && adv_group gateway
}

adv_dnstcp() {
	adv_policy mode allowlist floor default guest-mac 02:00:00:00:00:15 \
		guest-ip 10.0.2.15 allow-host '*.adv.test' && adv_group dnstcp
}

adv_dnsudp() {
	adv_policy mode allowlist floor default guest-mac 02:00:00:00:00:15 \
		guest-ip 10.0.2.15 allow-host '*.adv.test' \
		resolver 203.0.113.53 && adv_group dnsudp
}

# Every refusal was counted under its reason (not with a plain TAP).
adv_counted() {
	local c v
	[ -n "${ADV_TAP:-}" ] && return 0
	for c in rx_drop_csum rx_drop_floor rx_drop_deny_rule \
		rx_drop_udp_unsupported rx_drop_dns_resolver rx_drop_not_allowed \
		rx_drop_spoof_mac rx_drop_spoof_ip dns_err_unsolicited \
		dns_tcp_unaligned; do
		v=$(stat_of agw vmgw0 "$c") || { fail "no counter $c"; return 1; }
		echo "$c: $v"
		[ "$v" -ge 1 ] || { fail "$c is $v"; return 1; }
	done
}

adv_cleanup() {
	[ -s "$ADV_TMP/dnsmasq.pid" ] && kill "$(cat "$ADV_TMP/dnsmasq.pid")"
	[ -s "$ADV_TMP/dnsmasq-avic.pid" ] &&
		kill "$(cat "$ADV_TMP/dnsmasq-avic.pid")"
	ip netns del agw 2> /dev/null
	ip netns del avic 2> /dev/null
	rm -rf "$ADV_TMP"
	return 0
}

t_run "adversarial: setup (gateway agw, victim avic beyond it)" adv_setup
t_run "adversarial, open mode: DHCP/NDP exemptions, DHCP ports, NAT64, tags, fragments" \
	adv_open
t_run "adversarial: a reflected spoofed SYN publishes nothing" adv_reflect
t_run "adversarial, allowlist: checksum requests, DHCP, DNS, NDP, spoofed sources" \
	adv_allow
t_run "adversarial: real DHCP, NDP, DNS and a published port still work" \
	adv_gateway
t_run "adversarial: DNS over TCP, a partial ACK into a shaped answer teaches nothing" \
	adv_dnstcp
t_run "adversarial: DNS over UDP, answers to no question asked teach nothing" \
	adv_dnsudp
t_run "adversarial: every refusal counted under its reason" adv_counted
t_run "adversarial: cleanup" adv_cleanup
