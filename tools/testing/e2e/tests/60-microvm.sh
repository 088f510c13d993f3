# SPDX-License-Identifier: GPL-2.0
# vmgwctl up/down and a real microVM: "vmgwctl up" builds a gateway
# namespace with an uplink to an "internet" in the root namespace, a QEMU
# guest (Debian's kernel, busybox) boots on /dev/vmgw through "vmgwctl run"
# and goes through DHCP, DNS, HTTP over the uplink, an unsupported UDP port
# and the floor; the counters must prove each step, and "vmgwctl down" must
# leave nothing behind. A half-done up must undo itself. The guest runs
# under TCG inside TCG, which took 15 minutes from start to end on two
# heavily loaded cores, so it runs on the 6.12 series only; up, down and
# the rollback run on every series.

MV_TMP=$(mktemp -d)
. "$(dirname "${BASH_SOURCE[0]}")/../../microvm/lib.sh"

mv_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	mv_modules && mv_wan_up
}

# up made each part: device and addresses, dnsmasq, veth, both nft tables,
# forwarding on both sides.
mv_up_parts() {
	local pid
	ip -n "$MV_NS" -br addr show dev "$MV_DEV" | grep -q '10\.0\.2\.2/24' ||
		fail "no 10.0.2.2/24 on $MV_DEV" || return 1
	ip -n "$MV_NS" -br addr show dev "$MV_DEV" | grep -q 'fd76:6d67:7700::2/64' ||
		fail "no IPv6 gateway address" || return 1
	pid=$(cat "/run/vmgw/$MV_NS/dnsmasq.pid") && kill -0 "$pid" ||
		fail "dnsmasq is not running" || return 1
	ip netns exec "$MV_NS" ss -Hlun 'sport = :67' | grep -q . ||
		fail "nothing listens on DHCP in $MV_NS" || return 1
	ip -n "$MV_NS" route show default | grep -q 'via 10\.254\.0\.1 dev uplink' ||
		fail "no default route over the uplink" || return 1
	nft list table ip "vmgw-$MV_NS" | grep -q masquerade &&
		ip netns exec "$MV_NS" nft list table ip vmgw | grep -q masquerade ||
		fail "a masquerade table is missing" || return 1
	[ "$(sysctl -n net.ipv4.ip_forward)" = 1 ] &&
		[ "$(ip netns exec "$MV_NS" sysctl -n net.ipv4.ip_forward)" = 1 ] ||
		fail "forwarding is off"
}

# The gateway namespace reaches the uplink (NAT and routes), before any
# guest. (busybox wget -T crashes in Debian's busybox 1.35: timeout instead.)
mv_gw_reaches_wan() {
	local page
	page=$(ip netns exec "$MV_NS" timeout 20 busybox wget -q -O - "http://$MV_WAN/") ||
		fail "wget http://$MV_WAN/ from $MV_NS failed" || return 1
	[ "$page" = "$MV_PAGE" ] || fail "got '$page'"
}

mv_second_up_refused() {
	expect_err "netns $MV_NS already exists" "$MV_CTL" up "$MV_NS" vmgw1 &&
		mv_up_parts
}

# An up that fails half way (its veth name is taken) undoes itself and
# leaves the device that was in the way alone.
mv_rollback() {
	ip link add vmgw-rb type dummy || return 1
	expect_err 'rb failed and was undone' "$MV_CTL" up rb vmgw0 --uplink
	local rc=$?
	ip link show vmgw-rb > /dev/null 2>&1 || fail "the dummy in the way is gone" || rc=1
	ip link del vmgw-rb
	[ -e /run/netns/rb ] && fail "netns rb left" && rc=1
	[ -e /run/vmgw/rb ] && fail "/run/vmgw/rb left" && rc=1
	pgrep -f /run/vmgw/rb/ > /dev/null && fail "dnsmasq of rb left" && rc=1
	return $rc
}

mv_guest_step() {
	mv_step "$1" || return 1
	shift
	mv_counted "$@"
}

mv_down_twice() {
	expect_err "$MV_NS is not up" "$MV_CTL" down "$MV_NS" "$MV_DEV"
}

mv_cleanup() {
	"$MV_CTL" down "$MV_NS" "$MV_DEV" > /dev/null 2>&1
	mv_wan_down
	rm -rf "$MV_TMP"
	return 0
}

t_run "microvm setup: modules, uplink network, web server, resolver" mv_setup
t_run "vmgwctl up --uplink: namespace, device, addresses, dnsmasq" mv_up
t_run "up made every part (dnsmasq, veth, nft tables, forwarding)" mv_up_parts
t_run "the gateway namespace reaches the uplink through NAT" mv_gw_reaches_wan
t_run "a second up of the namespace is refused, the first untouched" mv_second_up_refused
t_run "a half-done up (veth name taken) is undone" mv_rollback
case $(uname -r) in
6.12.*)
	t_run "microVM initramfs (busybox, virtio_net)" mv_initramfs
	t_run "microVM boots on /dev/vmgw via vmgwctl run, runs to its end" mv_boot
	t_run "microVM: DHCP lease from dnsmasq" mv_guest_step dhcp rx_class_dhcp
	t_run "microVM: DNS through the gateway" mv_guest_step dns rx_class_dns
	t_run "microVM: HTTP over the uplink opens a flow" mv_guest_step http flow_opened
	t_run "microVM: unsupported UDP dropped and counted" \
		mv_guest_step udp rx_drop_udp_unsupported
	t_run "microVM: 169.254.169.254 refused at once (floor, RST)" \
		mv_guest_step refused rx_drop_floor rst_sent
	;;
esac
t_run "vmgwctl down leaves nothing behind" mv_down
t_run "down of a namespace that is not up fails" mv_down_twice
t_run "microvm cleanup" mv_cleanup
