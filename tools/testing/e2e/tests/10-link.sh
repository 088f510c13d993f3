# SPDX-License-Identifier: GPL-2.0
# Link lifecycle: create in a private namespace, delete, namespace death,
# rmmod with devices present, and hostile "ip link add" requests.

link_insmod() {
	insmod "$VMGW_KO" && lsmod | grep -q '^vmgw '
}

link_add_in_netns() {
	ip netns add sb1 || return 1
	ip link add vmgw0 netns sb1 type vmgw || return 1
	link_exists sb1 vmgw0 || fail "vmgw0 missing in sb1"
	! link_exists vmgw0 || fail "vmgw0 appeared in the initial namespace"
}

# link_kind NS DEV: the kind ip -d -j link reports for DEV.
link_kind() {
	ip -n "$1" -d -j link show dev "$2" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_kind"])'
}

link_shows_kind() {
	[ "$(link_kind sb1 vmgw0)" = vmgw ] ||
		fail "ip -d link names the kind '$(link_kind sb1 vmgw0)', not vmgw"
	[ "$(vmgw_links sb1)" = vmgw0 ] || fail "type filter: '$(vmgw_links sb1)'"
}

link_ethtool_driver() {
	ip netns exec sb1 ethtool -i vmgw0 | grep -qx 'driver: vmgw' ||
		fail "ethtool -i: $(ip netns exec sb1 ethtool -i vmgw0)"
	[ "$(stat_of sb1 vmgw0 tx_drop_no_queue)" = 0 ] ||
		fail "ethtool -S: tx_drop_no_queue '$(stat_of sb1 vmgw0 tx_drop_no_queue)', want 0"
	[ "$(stat_of sb1 vmgw0 rx_class_dns)" = 0 ] ||
		fail "ethtool -S: rx_class_dns '$(stat_of sb1 vmgw0 rx_class_dns)', want 0"
	# Maximum and current, RX and TX: 16384 and the default 1024.
	[ "$(ip netns exec sb1 ethtool -g vmgw0 |
		awk '$1 == "RX:" || $1 == "TX:" { printf "%s%s", sep, $2; sep = " " }')" = \
		"16384 16384 1024 1024" ] ||
		fail "ethtool -g: $(ip netns exec sb1 ethtool -g vmgw0)"
}

# With no file attached there is no guest: carrier is off, so the stack
# queues nothing to the device (KUnit covers the no-queue drop counter).
link_no_carrier_without_file() {
	ip -n sb1 link set vmgw0 up &&
	ip -n sb1 addr add 10.200.0.1/24 dev vmgw0 || return 1
	ip -n sb1 link show dev vmgw0 | grep -q '<NO-CARRIER,' ||
		fail "carrier on without a file: $(ip -n sb1 link show dev vmgw0)"
	! ip netns exec sb1 ping -c 1 -W 1 10.200.0.2 > /dev/null 2>&1 ||
		fail "ping answered with no guest"
	[ "$(stat_of sb1 vmgw0 tx_packets)" = 0 ] || fail "frames queued"
}

link_dup_name_refused() {
	expect_err 'File exists' ip link add vmgw0 netns sb1 type vmgw &&
	[ "$(vmgw_links sb1)" = vmgw0 ] || fail "sb1 holds '$(vmgw_links sb1)'"
}

link_bad_netns_refused() {
	expect_err 'Invalid "netns" value' ip link add vmgw9 netns nosuchns type vmgw &&
	expect_err 'No such process' ip link add vmgw9 netns 999999 type vmgw &&
	! link_exists vmgw9 || fail "vmgw9 created anyway"
}

link_bad_address_refused() {
	expect_err 'vmgw: link address must be unicast and not zero' \
		ip link add vmgw9 netns sb1 address 01:00:5e:00:00:01 type vmgw &&
	expect_err 'vmgw: link address must be unicast and not zero' \
		ip link add vmgw9 netns sb1 address 00:00:00:00:00:00 type vmgw &&
	! link_exists sb1 vmgw9 || fail "vmgw9 created anyway"
}

link_bad_mtu_refused() {
	expect_err 'mtu less than device minimum' ip link add vmgw9 netns sb1 mtu 20 type vmgw &&
	! link_exists sb1 vmgw9 &&
	ip link add vmgw9 netns sb1 mtu 9000 type vmgw &&
	[ "$(ip -n sb1 -j link show dev vmgw9 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')" = 9000 ] &&
	ip -n sb1 link del vmgw9
}

link_unknown_args_refused() {
	expect_err 'Garbage instead of arguments "frobnicate' \
		ip link add vmgw9 netns sb1 type vmgw frobnicate 1 &&
	! link_exists sb1 vmgw9 || fail "vmgw9 created anyway"
}

# IFLA_INFO_DATA the kind does not define is refused, not ignored.
link_info_data_refused() {
	local out
	out=$(ip netns exec sb1 python3 "$(dirname "${BASH_SOURCE[0]}")/../rtnl.py" \
		newlink-info-data vmgw9) || return 1
	echo "$out"
	[ "$out" = "EINVAL: vmgw: the link kind takes no attributes; use the vmgw generic netlink family" ] ||
		fail "kernel said '$out'"
	! link_exists sb1 vmgw9 || fail "vmgw9 created anyway"
}

link_del() {
	ip -n sb1 link del vmgw0 || return 1
	! link_exists sb1 vmgw0 || fail "vmgw0 still in sb1"
	[ -z "$(vmgw_links sb1)" ]
}

# Deleting the namespace destroys the device: it must not come back to the
# initial namespace (rtnl_link_ops is set, so the core deletes it).
link_netns_death_destroys() {
	local i
	ip link add vmgw1 netns sb1 type vmgw || return 1
	grep -q '^ *vmgw1:' /proc/net/dev && fail "vmgw1 in init_net before"
	ip netns del sb1 || return 1
	for i in $(seq 1 50); do
		[ -z "$(vmgw_links)" ] || fail "vmgw device in init_net: $(vmgw_links)"
		grep -q '^ *vmgw1:' /proc/net/dev && fail "vmgw1 in init_net's /proc/net/dev"
		sleep 0.1
	done
	[ -z "$(vmgw_links)" ] && ! link_exists vmgw1
}

# The device may be created in init_net and moved into a namespace.
link_move_netns() {
	ip netns add sb2 || return 1
	ip link add vmgw2 type vmgw || return 1
	ip link set vmgw2 netns sb2 || return 1
	link_exists sb2 vmgw2 && ! link_exists vmgw2
}

# rmmod with devices present in several namespaces removes all of them and
# leaves the namespaces alive.
link_rmmod_with_devices() {
	ip netns add sb3 || return 1
	ip link add vmgw3 netns sb3 type vmgw || return 1
	ip link add vmgw4 netns sb3 type vmgw || return 1
	link_exists sb2 vmgw2 && link_exists sb3 vmgw3 && link_exists sb3 vmgw4 ||
		fail "a device is missing before rmmod" || return 1
	rmmod vmgw || fail "rmmod refused"
	! lsmod | grep -q '^vmgw ' || fail "module still loaded"
	! link_exists sb2 vmgw2 || fail "vmgw2 survived rmmod"
	! link_exists sb3 vmgw3 || fail "vmgw3 survived rmmod"
	! link_exists sb3 vmgw4 || fail "vmgw4 survived rmmod"
	! ip -o link show | grep -q ': vmgw[0-9]' ||
		fail "a vmgw device in init_net after rmmod"
	ip -n sb3 link show lo > /dev/null || fail "namespace sb3 gone"
	ip -n sb2 link show lo > /dev/null || fail "namespace sb2 gone"
}

link_reload() {
	insmod "$VMGW_KO" && ip link add vmgw5 netns sb3 type vmgw || return 1
	[ "$(link_kind sb3 vmgw5)" = vmgw ] || fail "vmgw5 is not a vmgw device"
	[ "$(vmgw_links sb3)" = vmgw5 ] || fail "sb3 holds '$(vmgw_links sb3)'"
	ip netns del sb3 && ip netns del sb2
}

t_run "insmod vmgw.ko" link_insmod
t_run "ip link add vmgw0 netns sb1 type vmgw creates it there only" link_add_in_netns
t_run "ip -d link shows the vmgw kind" link_shows_kind
t_run "ethtool -i and -S work" link_ethtool_driver
t_run "no carrier and nothing queued without an attached file" link_no_carrier_without_file
t_run "duplicate name refused (EEXIST)" link_dup_name_refused
t_run "bad netns refused" link_bad_netns_refused
t_run "multicast/zero link address refused with extack" link_bad_address_refused
t_run "MTU below minimum refused, 9000 accepted" link_bad_mtu_refused
t_run "unknown kind arguments refused" link_unknown_args_refused
t_run "IFLA_INFO_DATA refused with extack" link_info_data_refused
t_run "ip link del removes the device" link_del
t_run "namespace deletion destroys the device, not moved to init_net" link_netns_death_destroys
t_run "device moves from init_net into a namespace" link_move_netns
t_run "rmmod with devices in namespaces removes them all" link_rmmod_with_devices
t_run "module reloads and works again" link_reload
