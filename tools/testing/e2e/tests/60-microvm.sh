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
	local kind
	ip link add vmgw-rb type dummy || return 1
	expect_err 'rb failed and was undone' "$MV_CTL" up rb vmgw0 --uplink
	kind=$(ip -d -j link show vmgw-rb 2> /dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_kind"])')
	[ "$kind" = dummy ] || fail "the dummy in the way is gone or replaced ('$kind')"
	ip link del vmgw-rb
	[ ! -e /run/netns/rb ] || fail "netns rb left"
	! ip netns list | grep -qw rb || fail "netns rb listed"
	[ ! -e /run/vmgw/rb ] || fail "/run/vmgw/rb left"
	! pgrep -f /run/vmgw/rb/ > /dev/null || fail "dnsmasq of rb left"
	! nft list table ip vmgw-rb > /dev/null 2>&1 || fail "nft table vmgw-rb left"
	# Only the gateway of mv_up is up: its device is the only vmgw device.
	[ "$(ip -n "$MV_NS" -o link show type vmgw | wc -l)" = 1 ] &&
		[ -z "$(vmgw_links)" ] ||
		fail "vmgw devices: $MV_NS: '$(vmgw_links "$MV_NS")', init_net: '$(vmgw_links)'"
}

# mv_612 CMD...: the guest parts run on the 6.12 series only (see above).
mv_612() {
	case $(uname -r) in
	6.12.*) "$@" ;;
	*) t_skip "the microVM runs on the 6.12 series only" ;;
	esac
}

mv_guest_step() {
	mv_step "$1" || fail "guest step $1" || return 1
	shift
	mv_counted "$@" || fail "counters of the step"
}

# The boot, with a capture on the device counting UDP to the port the
# guest's unsupported-UDP step uses (cap_stop in mv_udp_step).
mv_boot_captured() {
	cap_start "$MV_TMP" "$MV_NS" "$MV_DEV" --proto udp \
		--dport "${MV_UDP#*:}" --timeout 3600 || return 1
	mv_boot
}

# The TFTP request never reached the gateway namespace, and every one of
# the datagrams the guest says it sent was dropped as unsupported UDP.
mv_udp_step() {
	local sent got
	got=$(cap_stop "$MV_TMP")
	mv_step udp || fail "guest step udp" || return 1
	sent=$(sed -n 's/^MICROVM: ok udp: .*: \([0-9]*\) datagrams sent.*/\1/p' \
		"$MV_TMP/console")
	echo "guest sent $sent; capture: $got"
	[ "$got" = "ipv4 0 ipv6 0" ] || fail "UDP to $MV_UDP reached $MV_NS: $got"
	[ -n "$sent" ] && [ "$sent" -ge 1 ] || fail "the guest sent '$sent' datagrams" ||
		return 1
	mv_counted "rx_drop_udp_unsupported=$sent" || fail "counter of the step"
}

# vmgwctl down removed everything (mv_down), and the capture of a boot
# that failed half way is not left running.
mv_down_all() {
	[ ! -s "$MV_TMP/cap.pid" ] || cap_stop "$MV_TMP" > /dev/null
	mv_down || fail "$MV_NS left behind"
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
t_run "microVM initramfs (busybox, virtio_net)" mv_612 mv_initramfs
t_run "microVM boots on /dev/vmgw via vmgwctl run, runs to its end" \
	mv_612 mv_boot_captured
t_run "microVM: DHCP lease from dnsmasq" \
	mv_612 mv_guest_step dhcp 'rx_class_dhcp>=2'
t_run "microVM: DNS through the gateway" mv_612 mv_guest_step dns rx_class_dns
t_run "microVM: HTTP over the uplink opens one flow" \
	mv_612 mv_guest_step http flow_opened=1
t_run "microVM: unsupported UDP dropped and counted, none reached the gateway" \
	mv_612 mv_udp_step
t_run "microVM: 169.254.169.254 refused at once (floor, RST)" \
	mv_612 mv_guest_step refused rx_drop_floor=1 rst_sent=1
t_run "vmgwctl down leaves nothing behind" mv_down_all
t_run "down of a namespace that is not up fails" mv_down_twice
t_run "microvm cleanup" mv_cleanup
