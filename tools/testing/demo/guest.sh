#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO: the demo, inside the QEMU test VM. One progress line per
# step; a failure names the step and ends the demo with a non-zero status.
set -u
ko=$1
here=$(cd "$(dirname "$0")" && pwd)
emu=$here/../vmm-emu/vmm-emu
netutil="python3 $here/../e2e/netutil.py"
t0=$(date +%s)
n=0
emu_pid=

step() {
	local what=$1
	shift
	n=$((n + 1))
	echo
	echo "[$n] $what  (+$(($(date +%s) - t0)) s)"
	if ! "$@"; then
		echo "demo: FAILED at step $n: $what"
		[ -n "$emu_pid" ] && kill "$emu_pid" 2> /dev/null
		exit 1
	fi
}
show() {
	echo "    \$ $*"
	"$@" 2>&1 | sed 's/^/    /'
	return "${PIPESTATUS[0]}"
}

start_guest() {
	"$emu" --gw-netns sandbox --dev vmgw0 --guest-netns guest --tap eth0 \
		--vnet-hdr --hdr-len 12 > /tmp/emu.out 2> /tmp/emu.err &
	emu_pid=$!
	for _ in $(seq 1 50); do
		grep -q ready /tmp/emu.out && break
		sleep 0.1
	done
	grep -q ready /tmp/emu.out || { cat /tmp/emu.err; return 1; }
	echo "    vmm-emu (pid $emu_pid): TAP eth0 in 'guest' <-> /dev/vmgw attached to vmgw0"
	ip -n guest addr add 10.0.2.15/24 dev eth0 &&
	ip -n guest link set eth0 up && ip -n guest link set lo up &&
	ip -n guest route add default via 10.0.2.2
}

dns() {
	ip netns exec sandbox $netutil dns-serve --bind 10.0.2.2 --port 53 \
		--answer example.vmgw.test=10.0.2.2 --count 1 --timeout 30 &
	local srv=$!
	for _ in $(seq 1 100); do
		ip netns exec sandbox ss -Hlun 'sport = :53' | grep -q . && break
		sleep 0.1
	done
	echo "    \$ (guest) resolve example.vmgw.test via 10.0.2.2"
	echo "    answer: $(ip netns exec guest $netutil dns-query \
		--server 10.0.2.2 --name example.vmgw.test --timeout 10)" &&
	wait $srv
}

udp_dropped() {
	local before after
	before=$(ip netns exec sandbox ethtool -S vmgw0 | awk '/rx_drop_udp_unsupported:/ { print $2 }')
	echo "    \$ (guest) send 5 datagrams to 10.0.2.2 port 9999"
	ip netns exec guest $netutil udp-send --to 10.0.2.2 --port 9999 --count 5 &&
	sleep 0.5 &&
	after=$(ip netns exec sandbox ethtool -S vmgw0 | awk '/rx_drop_udp_unsupported:/ { print $2 }') &&
	echo "    rx_drop_udp_unsupported: $before -> $after" &&
	[ $((after - before)) -eq 5 ]
}

tcp() {
	local want got
	want=$($netutil sha256-of --bytes 4194304 --seed 1)
	ip netns exec sandbox $netutil tcp-sink --bind 10.0.2.2 --port 8080 \
		--expect-bytes 4194304 --timeout 60 > /tmp/sink &
	local sink=$!
	echo "    \$ (guest) send 4 MiB over TCP to 10.0.2.2:8080"
	ip netns exec guest $netutil tcp-source --to 10.0.2.2 --port 8080 \
		--bytes 4194304 --seed 1 --timeout 60 > /dev/null && wait $sink &&
	got=$(cut -d' ' -f1 /tmp/sink) &&
	echo "    sha256 sent $want, received $got" && [ "$got" = "$want" ]
}

step "load the module (and tun, for the guest's TAP)" bash -c "insmod $ko && modprobe tun && echo \"    vmgw loaded\""
step "create the private namespace 'sandbox' and the guest's namespace" \
	bash -c 'ip netns add sandbox && ip netns add guest && ip -n sandbox link set lo up'
step "create vmgw0 directly inside 'sandbox'" \
	show ip link add vmgw0 netns sandbox type vmgw
step "gateway address, link up (no guest yet: NO-CARRIER)" \
	bash -c 'ip -n sandbox addr add 10.0.2.2/24 dev vmgw0 && ip -n sandbox link set vmgw0 up && ip -n sandbox -d link show dev vmgw0 | sed "s/^/    /"'
step "start the guest: a Linux stack behind a TAP, bridged to /dev/vmgw" \
	start_guest
step "the guest pings its gateway" \
	show ip netns exec guest ping -c 3 -i 0.2 10.0.2.2
step "the guest resolves a name (UDP 53 passes)" dns
step "UDP to an unsupported port is dropped in the kernel, counted" \
	udp_dropped
step "a TCP transfer with GSO offloads, checksum verified" tcp
step "all counters" show ip netns exec sandbox ethtool -S vmgw0
step "rtnl counters" show ip -n sandbox -s link show dev vmgw0
end_sandbox() {
	local watchdog rc
	echo "    \$ ip netns del sandbox"
	ip netns del sandbox || return 1
	(sleep 10; kill "$emu_pid") 2> /dev/null &
	watchdog=$!
	wait "$emu_pid"
	rc=$?
	kill "$watchdog" 2> /dev/null
	emu_pid=
	sed 's/^/    /' /tmp/emu.err
	echo "    vmm-emu exit status $rc"
	! ip link show type vmgw | grep -q vmgw &&
		echo "    no vmgw device left anywhere" && [ $rc -eq 3 ]
}

step "delete the namespace: the device goes, the VMM sees the error" \
	end_sandbox
step "unload the module" show rmmod vmgw
echo
echo "demo: all $n steps passed in $(($(date +%s) - t0)) s"
