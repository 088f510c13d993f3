# SPDX-License-Identifier: GPL-2.0
# Data path through /dev/vmgw: the file interface, then a real Linux stack
# in namespace "guest" playing the microVM guest through vmm-emu (TAP in
# "guest" <-> /dev/vmgw attached to vmgw0 in "gw").

E2E=$(dirname "${BASH_SOURCE[0]}")/..
CHRDEV="python3 $E2E/chrdev.py"
NETUTIL="python3 $E2E/netutil.py"
DP_TMP=$(mktemp -d)
BYTES=$((4 * 1024 * 1024))
EMU_PID=

dp_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe tun || return 1
	ip netns add gw && ip netns add guest || return 1
	ip -n gw link set lo up && ip -n guest link set lo up &&
	ip link add vmgw0 netns gw type vmgw &&
	ip -n gw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n gw addr add fd00::2/64 dev vmgw0 nodad &&
	ip -n gw link set vmgw0 up
}

# emu_start [vmm-emu options]: bridge TAP tap0 in "guest" to vmgw0.
emu_start() {
	vmm_emu_start "$DP_TMP" gw vmgw0 guest "$@" || return 1
	ip -n guest addr add 10.0.2.15/24 dev tap0 &&
	ip -n guest addr add fd00::15/64 dev tap0 nodad &&
	ip -n guest link set tap0 up
}

emu_stop() {
	vmm_emu_stop "$DP_TMP"
	EMU_PID=
	cat "$DP_TMP/emu.err" >&2
}

dp_ioctls() { ip netns exec gw $CHRDEV ioctls vmgw0; }
dp_lengths() { ip netns exec gw $CHRDEV lengths vmgw0; }

dp_ping() {
	ip netns exec guest ping -c 3 -i 0.2 -W 2 10.0.2.2 &&
	ip netns exec guest ping -6 -c 3 -i 0.2 -W 2 fd00::2
}

# dp_tcp FROM TO ADDR PORT: BYTES over TCP, sha256 equal on both ends.
dp_tcp() {
	local from=$1 to=$2 addr=$3 port=$4 want got sent
	want=$($NETUTIL sha256-of --bytes $BYTES --seed 7)
	ip netns exec "$to" $NETUTIL tcp-sink --bind "$addr" --port "$port" \
		--expect-bytes $BYTES --timeout 120 > "$DP_TMP/sink" &
	local sink=$!
	sent=$(ip netns exec "$from" $NETUTIL tcp-source --to "$addr" \
		--port "$port" --bytes $BYTES --seed 7 --timeout 120) || return 1
	wait $sink || return 1
	got=$(cut -d' ' -f1 < "$DP_TMP/sink")
	[ "$sent" = "$want" ] && [ "$got" = "$want" ] ||
		fail "sha256: want $want sent $sent got $got"
}

# wait_udp NS PORT: until something listens on UDP PORT in NS.
wait_udp() {
	local i
	for i in $(seq 1 100); do
		ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	fail "nothing listens on UDP $2 in $1"
}

# DNS both ways, one query per family; the capture on vmgw0 proves that
# capture.py sees what the device delivers (the other cases rely on it
# to see nothing).
dp_dns() {
	local a got
	cap_start "$DP_TMP" gw vmgw0 --proto udp --dport 53 || return 1
	ip netns exec gw $NETUTIL dns-serve --bind 10.0.2.2 --port 53 \
		--answer gw.vmgw.test=192.0.2.7 --count 1 --timeout 20 &
	local srv=$!
	wait_udp gw 53 || return 1
	a=$(ip netns exec guest $NETUTIL dns-query --server 10.0.2.2 \
		--name gw.vmgw.test --timeout 10) || return 1
	wait $srv || fail "IPv4 dns-serve failed" || return 1
	[ "$a" = 192.0.2.7 ] || fail "answer '$a'" || return 1
	ip netns exec gw $NETUTIL dns-serve --bind fd00::2 --port 53 \
		--answer six.vmgw.test=192.0.2.8 --count 1 --timeout 20 &
	srv=$!
	wait_udp gw 53 || return 1
	a=$(ip netns exec guest $NETUTIL dns-query --server fd00::2 \
		--name six.vmgw.test --timeout 10) || return 1
	wait $srv || fail "IPv6 dns-serve failed" || return 1
	[ "$a" = 192.0.2.8 ] || fail "IPv6 answer '$a'" || return 1
	got=$(cap_stop "$DP_TMP")
	[ "$got" = "ipv4 1 ipv6 1" ] || fail "capture of the queries: '$got'"
}

# UDP that is not DNS or DHCP never reaches the namespace; every datagram
# is counted as an unsupported-UDP drop.
# Checked from the gateway's side: a listener on [::]:9999 (IPv4 too:
# dual-stack) gets nothing, and a capture on vmgw0 sees no datagram of
# either family.
dp_udp_dropped() {
	local d0 d1 n got
	d0=$(stat_of gw vmgw0 rx_drop_udp_unsupported) || return 1
	cap_start "$DP_TMP" gw vmgw0 --proto udp --dport 9999 || return 1
	ip netns exec gw $NETUTIL udp-recv --bind :: --port 9999 \
		--timeout 6 > "$DP_TMP/udp" &
	local rcv=$!
	wait_udp gw 9999 || return 1
	ip netns exec guest $NETUTIL udp-send --to 10.0.2.2 --port 9999 \
		--count 50 || return 1
	ip netns exec guest $NETUTIL udp-send --to fd00::2 --port 9999 \
		--count 10 || return 1
	wait $rcv || fail "udp-recv failed" || return 1
	n=$(cat "$DP_TMP/udp")
	got=$(cap_stop "$DP_TMP")
	d1=$(stat_of gw vmgw0 rx_drop_udp_unsupported)
	echo "listener: '$n'; capture: $got; rx_drop_udp_unsupported $d0 -> $d1"
	[ "$n" = 0 ] || fail "$n datagrams reached the listener"
	[ "$got" = "ipv4 0 ipv6 0" ] || fail "vmgw0 delivered UDP/9999: $got"
	[ $((d1 - d0)) -eq 60 ] || fail "rx_drop_udp_unsupported $d0 -> $d1"
}

dp_plain_session() {
	emu_start || return 1
	dp_ping && dp_tcp guest gw 10.0.2.2 5001 && dp_tcp gw guest 10.0.2.15 5002
	local rc=$?
	emu_stop
	return $rc
}

# With a 12-byte virtio-net header and offloads, the 4 MiB cross both ways
# as GSO frames (vmm-emu counts the frames whose header has a GSO type;
# how many depends on TCP's segment sizing, which a slow kernel keeps
# small, so only their presence is checked).
dp_vnet_session() {
	local gso
	emu_start --vnet-hdr --hdr-len 12 || return 1
	dp_ping && dp_tcp guest gw 10.0.2.2 5003 &&
		dp_tcp gw guest 10.0.2.15 5004 && dp_dns && dp_udp_dropped
	local rc=$?
	emu_stop 2> "$DP_TMP/emu.last"
	cat "$DP_TMP/emu.last" >&2
	[ $rc -eq 0 ] || return $rc
	gso=$(sed -n 's/.*GSO frames: g2h \([0-9]*\), h2g \([0-9]*\)$/\1 \2/p' \
		"$DP_TMP/emu.last")
	set -- $gso
	[ $# -eq 2 ] && [ "$1" -gt 0 ] && [ "$2" -gt 0 ] ||
		fail "GSO frames (g2h h2g) '$gso': GSO was not used both ways"
}

# chrdev.py checks that an attached file with nothing queued polls idle:
# IPv6 is off on vmgw0 meanwhile, or the carrier coming on with the
# attach makes the gateway send router solicitations and MLD reports,
# which on a loaded machine can arrive before that first poll.
dp_read() {
	local rc
	ip -n gw neigh replace 10.0.2.99 lladdr 02:00:00:00:00:99 dev vmgw0 \
		nud permanent &&
	ip netns exec gw sysctl -qw net.ipv6.conf.vmgw0.disable_ipv6=1 || return 1
	ip netns exec gw $CHRDEV read vmgw0 10.0.2.98
	rc=$?
	ip netns exec gw sysctl -qw net.ipv6.conf.vmgw0.disable_ipv6=0 &&
	ip -n gw addr add fd00::2/64 dev vmgw0 nodad || rc=1
	return $rc
}

dp_h2g_full() {
	ip -n gw link set vmgw0 down &&
	ip netns exec gw ethtool -G vmgw0 rx 16 tx 16 &&
	ip -n gw link set vmgw0 up &&
	ip -n gw neigh replace 10.0.2.99 lladdr 02:00:00:00:00:99 dev vmgw0 \
		nud permanent || return 1
	# A plain FIFO: fq_codel would rightly drop frames that waited while
	# the test was not reading, which is not what this case measures.
	tc -n gw qdisc replace dev vmgw0 root pfifo limit 1000 || return 1
	ip netns exec gw $CHRDEV h2g-full vmgw0 10.0.2.99
	local rc=$?
	ip netns exec gw ethtool -G vmgw0 rx 1024 tx 1024
	return $rc
}

dp_ring_busy_refused() {
	coproc HOLD { ip netns exec gw $CHRDEV hold vmgw0; }
	local line pid=$HOLD_PID
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = attached ] || fail "hold: '$line'" || return 1
	expect_err 'attached' ip netns exec gw ethtool -G vmgw0 rx 64
	local rc=$?
	exec {HOLD[1]}>&-
	wait "$pid"
	return $rc
}

# rmmod is refused while a file is open; the module stays usable.
dp_rmmod_refused() {
	coproc HOLD { ip netns exec gw $CHRDEV hold vmgw0; }
	local line rc=0 pid=$HOLD_PID
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = attached ] || fail "hold: '$line'" || rc=1
	expect_err 'in use' rmmod vmgw || rc=1
	lsmod | grep -q '^vmgw ' || { rc=1; insmod "$VMGW_KO"; }
	exec {HOLD[1]}>&-
	wait "$pid"
	return $rc
}

# The file keeps working after its device moved to another namespace.
dp_move_netns() {
	local line r0 r1
	ip netns add moved || return 1
	coproc HOLD { ip netns exec gw $CHRDEV hold vmgw0; }
	local pid=$HOLD_PID
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = attached ] || fail "hold: '$line'" || return 1
	ip -n gw link set vmgw0 netns moved || return 1
	ip -n moved link set vmgw0 up
	r0=$(stat_of moved vmgw0 rx_packets)
	echo write >&"${HOLD[1]}"
	read -r -t 60 line <&"${HOLD[0]}"
	sleep 0.2
	r1=$(stat_of moved vmgw0 rx_packets)
	exec {HOLD[1]}>&-
	wait "$pid"
	ip -n moved link set vmgw0 netns gw && ip -n gw link set vmgw0 up &&
	ip netns del moved || return 1
	[ "$line" = written ] && [ $((r1 - r0)) -eq 1 ] ||
		fail "after the move: '$line', rx_packets $r0 -> $r1"
}

# dp_dead MODE: the device dies under an open file.
dp_dead() {
	local line rc
	coproc DEAD { ip netns exec gw $CHRDEV dead vmgw0 "$1"; }
	local pid=$DEAD_PID
	read -r -t 60 line <&"${DEAD[0]}"
	[ "$line" = attached ] || fail "dead: '$line'" || return 1
	ip -n gw link del vmgw0 || return 1
	echo go >&"${DEAD[1]}"
	cat <&"${DEAD[0]}"
	wait "$pid"
	rc=$?
	ip link add vmgw0 netns gw type vmgw &&
	ip -n gw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n gw addr add fd00::2/64 dev vmgw0 nodad &&
	ip -n gw link set vmgw0 up
	return $rc
}

# Deleting the device under a running emulator: it sees the error and
# exits 3, nothing else breaks.
dp_del_under_emu() {
	local rc
	emu_start || return 1
	ip netns exec guest ping -c 1 -W 2 10.0.2.2 > /dev/null ||
		fail "no ping before the delete" || return 1
	ip -n gw link del vmgw0 || return 1
	(sleep 20; kill "$EMU_PID") > /dev/null 2>&1 &
	local watchdog=$!
	wait "$EMU_PID"
	rc=$?
	kill "$watchdog" 2> /dev/null
	rm -f "$DP_TMP/emu.pid"
	EMU_PID=
	ip -n guest link del tap0 2> /dev/null
	grep -q 'gateway fd: No such device' "$DP_TMP/emu.err" ||
		fail "vmm-emu said: $(cat "$DP_TMP/emu.err")"
	[ $rc -eq 3 ] || fail "vmm-emu exit $rc, want 3 (143: killed by the watchdog)"
	! link_exists gw vmgw0 || fail "vmgw0 still in gw"
	[ -z "$(vmgw_links)" ] || fail "a vmgw device in init_net: $(vmgw_links)"
}

# The namespace dies while the emulator (which left it) is attached.
dp_netns_death_under_emu() {
	local rc i
	ip link add vmgw0 netns gw type vmgw && ip -n gw link set vmgw0 up ||
		return 1
	emu_start || return 1
	ip netns del gw || return 1
	(sleep 20; kill "$EMU_PID") > /dev/null 2>&1 &
	local watchdog=$!
	wait "$EMU_PID"
	rc=$?
	kill "$watchdog" 2> /dev/null
	rm -f "$DP_TMP/emu.pid"
	EMU_PID=
	[ $rc -eq 3 ] || fail "vmm-emu exit $rc, want 3: $(cat "$DP_TMP/emu.err")"
	grep -q 'gateway fd: No such device' "$DP_TMP/emu.err" ||
		fail "vmm-emu said: $(cat "$DP_TMP/emu.err")"
	# The namespace is dismantled asynchronously: the device must never
	# show up in init_net meanwhile, and be gone at the end.
	for i in $(seq 1 20); do
		[ -z "$(vmgw_links)" ] || fail "device came back to init_net: $(vmgw_links)"
		grep -q '^ *vmgw0:' /proc/net/dev && fail "vmgw0 in init_net's /proc/net/dev"
		sleep 0.1
	done
	! ip netns list | grep -qw gw || fail "namespace gw still listed"
}

dp_cleanup() {
	emu_stop 2> /dev/null
	ip netns del guest 2> /dev/null
	ip netns del gw 2> /dev/null
	rm -rf "$DP_TMP"
	return 0
}

t_run "datapath setup: vmgw0 in gw" dp_setup
t_run "ioctls: TUNSETIFF/TUNGETIFF/vnet hdr size/offloads/unknown" dp_ioctls
t_run "write: length and vnet header checks, counted" dp_lengths
t_run "guest stack via vmm-emu: ping, 4 MiB TCP both ways" dp_plain_session
t_run "vnet hdr 12 + offloads: ping, TCP (GSO), DNS v4/v6, UDP/9999 dropped" dp_vnet_session
t_run "read: EAGAIN, poll, short buffer dropped and counted" dp_read
t_run "h2g ring full stops the queue, read wakes it" dp_h2g_full
t_run "ring size change refused while attached" dp_ring_busy_refused
t_run "rmmod refused while a file is open" dp_rmmod_refused
t_run "file keeps working after the device changes namespace" dp_move_netns
t_run "device deleted under an open file: ENODEV, EPOLLERR|EPOLLHUP" dp_dead delete
t_run "device deleted under vmm-emu: it exits with the error" dp_del_under_emu
t_run "namespace deleted under vmm-emu: device gone, emulator exits" dp_netns_death_under_emu
t_run "datapath cleanup" dp_cleanup
