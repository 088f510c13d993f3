# SPDX-License-Identifier: GPL-2.0
# The default policy seen by a real guest stack (namespace "pguest" through
# vmm-emu to vmgw0 in "pgw"): a connect() to the metadata address fails at
# once with ECONNREFUSED (a RST from the module, not a timeout), and a TCP
# segment outside any flow never reaches the gateway.

E2E=$(dirname "${BASH_SOURCE[0]}")/..
POL_EMU=$E2E/../vmm-emu/vmm-emu
POL_TMP=$(mktemp -d)
POL_EMU_PID=

pol_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe tun || return 1
	ip netns add pgw && ip netns add pguest || return 1
	ip -n pgw link set lo up && ip -n pguest link set lo up &&
	ip link add vmgw0 netns pgw type vmgw &&
	ip -n pgw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n pgw link set vmgw0 up || return 1
	"$POL_EMU" --gw-netns pgw --dev vmgw0 --guest-netns pguest \
		--tap tap0 > "$POL_TMP/emu.out" 2> "$POL_TMP/emu.err" &
	POL_EMU_PID=$!
	local i
	for i in $(seq 1 50); do
		grep -q ready "$POL_TMP/emu.out" && break
		sleep 0.1
	done
	grep -q ready "$POL_TMP/emu.out" ||
		fail "vmm-emu: $(cat "$POL_TMP/emu.err")" || return 1
	ip -n pguest addr add 10.0.2.15/24 dev tap0 &&
	ip -n pguest link set tap0 up &&
	ip -n pguest route add default via 10.0.2.2 &&
	ip netns exec pguest ping -c 1 -W 2 10.0.2.2 > /dev/null
}

# connect() to 169.254.169.254:80 must fail with ECONNREFUSED in < 2 s.
pol_metadata_refused() {
	local f0 f1 r0 r1 out
	f0=$(stat_of pgw vmgw0 rx_drop_floor) || return 1
	r0=$(stat_of pgw vmgw0 rst_sent) || return 1
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
	f1=$(stat_of pgw vmgw0 rx_drop_floor)
	r1=$(stat_of pgw vmgw0 rst_sent)
	echo "connect: $out; rx_drop_floor $f0 -> $f1; rst_sent $r0 -> $r1"
	case $out in
	"ECONNREFUSED 0."* | "ECONNREFUSED 1."*) ;;
	*) fail "connect: '$out', expected ECONNREFUSED within 2 s" ;;
	esac || return 1
	[ $((f1 - f0)) -eq 1 ] && [ $((r1 - r0)) -eq 1 ] ||
		fail "counters: floor $f0 -> $f1, rst $r0 -> $r1"
}

# A bare ACK (raw socket: no flow) is dropped and counted.
pol_no_flow() {
	local d0 d1
	d0=$(stat_of pgw vmgw0 rx_drop_no_flow) || return 1
	ip netns exec pguest python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
tcp = struct.pack("!HHIIBBHHH", 40000, 5555, 1, 1, 5 << 4, 0x10, 1024, 0, 0)
for _ in range(3):
    s.sendto(tcp, ("10.0.2.2", 0))
' || return 1
	sleep 0.5
	d1=$(stat_of pgw vmgw0 rx_drop_no_flow)
	[ $((d1 - d0)) -eq 3 ] || fail "rx_drop_no_flow $d0 -> $d1"
}

pol_cleanup() {
	if [ -n "$POL_EMU_PID" ]; then
		kill -TERM "$POL_EMU_PID" 2> /dev/null
		wait "$POL_EMU_PID"
		POL_EMU_PID=
	fi
	ip netns del pguest 2> /dev/null
	ip netns del pgw 2> /dev/null
	rm -rf "$POL_TMP"
	return 0
}

t_run "policy setup: guest stack in pguest, vmgw0 in pgw" pol_setup
t_run "default floor: connect to 169.254.169.254 refused by a RST at once" \
	pol_metadata_refused
t_run "TCP outside any flow is dropped and counted" pol_no_flow
t_run "policy cleanup" pol_cleanup
