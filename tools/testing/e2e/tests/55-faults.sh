# SPDX-License-Identifier: GPL-2.0
# Faults: the VMM killed under a flood, the namespace deleted under
# traffic, the device deleted under a blocked read(), set down under
# blocked writers, rmmod with files
# open, both rings full for 30 s. After each, the module must unload and
# the kernel log must stay clean; then it is loaded again for the next.

E2E=$(dirname "${BASH_SOURCE[0]}")/..
FAULTS="python3 $E2E/faults.py"
CHRDEV="python3 $E2E/chrdev.py"
F_TMP=$(mktemp -d)
F_EMU=
F_FLOOD=

f_dev() {
	ip link add vmgw0 netns fgw address 02:00:00:00:00:02 type vmgw &&
	ip -n fgw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n fgw addr add fd00::2/64 dev vmgw0 nodad &&
	ip -n fgw link set vmgw0 up
}

f_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe tun || return 1
	ip netns add fgw && ip netns add fguest || return 1
	ip -n fgw link set lo up && ip -n fguest link set lo up && f_dev
}

f_emu_start() {
	vmm_emu_start "$F_TMP" fgw vmgw0 fguest --vnet-hdr --hdr-len 12 || return 1
	F_EMU=$EMU_PID
	ip -n fguest addr add 10.0.2.15/24 dev tap0 &&
	ip -n fguest link set tap0 up &&
	ip netns exec fguest ping -c 1 -W 5 10.0.2.2 > /dev/null ||
		fail "no ping through vmm-emu"
}

# A flood of echo requests from the guest; ping -f stops on its own.
f_flood_start() {
	ip netns exec fguest ping -q -f -s 1000 -w 30 10.0.2.2 > /dev/null 2>&1 &
	F_FLOOD=$!
}

f_flood_stop() {
	[ -n "$F_FLOOD" ] || return 0
	kill "$F_FLOOD" 2> /dev/null
	wait "$F_FLOOD" 2> /dev/null
	F_FLOOD=
}

# The emulator killed with SIGKILL mid-flood: the file is closed by the
# kernel, the device loses carrier and takes a new emulator.
f_emu_killed() {
	local rx0 rx1
	f_emu_start || return 1
	f_flood_start
	sleep 3
	rx0=$(stat_of fgw vmgw0 rx_packets)
	expect_err 'in use' rmmod vmgw || return 1
	kill -KILL "$F_EMU"
	wait "$F_EMU" 2> /dev/null
	F_EMU=
	f_flood_stop
	rx1=$(stat_of fgw vmgw0 rx_packets)
	[ "$(cat /sys/class/net/vmgw0/carrier 2> /dev/null ||
		ip netns exec fgw cat /sys/class/net/vmgw0/carrier)" = 0 ] ||
		fail "carrier still on after the emulator died" || return 1
	echo "flood: rx_packets $rx0 after 3 s, $rx1 at the kill;" \
		"rx_drop_detach $(stat_of fgw vmgw0 rx_drop_detach)" \
		"tx_drop_detach $(stat_of fgw vmgw0 tx_drop_detach)"
	[ "$rx0" -gt 100 ] || fail "no flood went through ($rx0 frames)" || return 1
	f_emu_start || return 1
	kill -TERM "$F_EMU" && wait "$F_EMU"
	F_EMU=
}

# The gateway namespace deleted while the emulator floods it: the device
# dies with it (never returns to init_net) and the emulator sees the error.
f_netns_del() {
	local rc watchdog
	f_emu_start || return 1
	f_flood_start
	sleep 2
	ip netns del fgw || return 1
	(sleep 20; kill "$F_EMU") 2> /dev/null &
	watchdog=$!
	wait "$F_EMU"
	rc=$?
	kill "$watchdog" 2> /dev/null
	F_EMU=
	f_flood_stop
	[ $rc -eq 3 ] || fail "vmm-emu exit $rc: $(cat "$F_TMP/emu.err")" || return 1
	[ -z "$(vmgw_links)" ] || fail "device came back to init_net"
}

# A read() blocked in the kernel when the device is deleted wakes with
# ENODEV.
f_blocked_read() {
	local line rc
	coproc BLK { ip netns exec fgw $FAULTS blocked-read vmgw0; }
	local pid=$BLK_PID
	read -r -t 60 line <&"${BLK[0]}"
	[ "$line" = blocked ] || fail "blocked-read: '$line'" || return 1
	ip -n fgw link del vmgw0 || return 1
	echo go >&"${BLK[1]}"
	cat <&"${BLK[0]}"
	wait "$pid"
}

# Writers blocked on a full g2h ring when the device goes down return
# ENETDOWN (the poll that would make room no longer runs).
f_down_write() {
	local line
	ip netns exec fgw ethtool -G vmgw0 rx 16 || return 1
	coproc DWR { ip netns exec fgw $FAULTS down-write vmgw0; }
	local pid=$DWR_PID
	read -r -t 60 line <&"${DWR[0]}"
	[ "$line" = flooding ] || fail "down-write: '$line'" || return 1
	ip -n fgw link set vmgw0 down || return 1
	echo go >&"${DWR[1]}"
	cat <&"${DWR[0]}"
	wait "$pid"
}

# rmmod is refused while any file is open: unattached, attached, attached
# to a device that was deleted since.
f_rmmod_open() {
	local line fd rc=0
	exec {fd}<> /dev/vmgw || return 1
	expect_err 'in use' rmmod vmgw || rc=1
	exec {fd}>&-
	coproc HOLD { ip netns exec fgw $CHRDEV hold vmgw0; }
	local pid=$HOLD_PID
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = attached ] || fail "hold: '$line'" || rc=1
	expect_err 'in use' rmmod vmgw || rc=1
	ip -n fgw link del vmgw0 || rc=1
	expect_err 'in use' rmmod vmgw || rc=1
	exec {HOLD[1]}>&-
	wait "$pid"
	return $rc
}

# Both rings full for 30 s (16 frames each), memory bounded.
f_pressure() {
	ethtool -G vmgw0 rx 16 tx 16 2> /dev/null ||
		ip netns exec fgw ethtool -G vmgw0 rx 16 tx 16 || return 1
	ip -n fgw neigh replace 10.0.2.15 lladdr 02:00:00:00:00:15 \
		dev vmgw0 nud permanent || return 1
	ip netns exec fgw $FAULTS pressure vmgw0 30 > "$F_TMP/pressure"
}

# After each fault: tear everything down; the module unloads, the log is
# clean; load it again and set up for the next.
f_unload() {
	local i rc=0
	f_flood_stop
	[ -z "$F_EMU" ] || { kill -KILL "$F_EMU"; wait "$F_EMU"; F_EMU=; }
	ip netns del fguest 2> /dev/null
	ip netns del fgw 2> /dev/null
	for i in $(seq 1 100); do
		rmmod vmgw 2> /dev/null && break
		sleep 0.1
	done
	! lsmod | grep -q '^vmgw ' || fail "vmgw did not unload" || rc=1
	no_kernel_reports || rc=1
	[ "${1:-}" = last ] && return $rc
	f_setup || rc=1
	return $rc
}

t_run "faults: setup" f_setup
t_run "faults: vmm-emu killed mid-flood; rmmod refused under traffic" f_emu_killed
t_run "faults: after the killed emulator, module unloads, log clean" f_unload
t_run "faults: namespace deleted under traffic" f_netns_del
t_run "faults: after the namespace death, module unloads, log clean" f_unload
t_run "faults: device deleted under a blocked read(): ENODEV" f_blocked_read
t_run "faults: after the blocked read, module unloads, log clean" f_unload
t_run "faults: device down under blocked writers: ENETDOWN" f_down_write
t_run "faults: after the blocked writers, module unloads, log clean" f_unload
t_run "faults: rmmod refused with files open, attached or not" f_rmmod_open
t_run "faults: after rmmod attempts, module unloads, log clean" f_unload
t_run "faults: both rings full for 30 s, memory bounded" f_pressure
sed 's/^/#   /' "$F_TMP/pressure"
t_run "faults: after ring pressure, module unloads, log clean" f_unload last
rm -rf "$F_TMP"
