#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO: the demo, inside the QEMU guest. One progress line per step;
# a failure names the step and ends the demo with a non-zero status.
set -u
ko=$1
t0=$(date +%s)
n=0

step() {
	local what=$1
	shift
	n=$((n + 1))
	echo
	echo "[$n] $what"
	if ! "$@"; then
		echo "demo: FAILED at step $n: $what"
		exit 1
	fi
}
show() {
	echo "    \$ $*"
	"$@" 2>&1 | sed 's/^/    /'
	return "${PIPESTATUS[0]}"
}

step "load the module" show insmod "$ko"
step "create the private namespace 'sandbox'" show ip netns add sandbox
step "create vmgw0 directly inside it" \
	show ip link add vmgw0 netns sandbox type vmgw
step "vmgw0 is in 'sandbox', not in the initial namespace" \
	show ip -n sandbox -d link show dev vmgw0
step "give it the gateway address" \
	show ip -n sandbox addr add 10.0.2.2/24 dev vmgw0
step "bring it up" show ip -n sandbox link set vmgw0 up
step "driver and counters (no guest attached yet)" \
	show ip netns exec sandbox ethtool -i vmgw0
step "traffic to the (absent) guest is dropped and counted" \
	bash -c '! ip netns exec sandbox ping -c 2 -i 0.2 -W 1 10.0.2.15 | sed "s/^/    /"' 
step "per-reason counters" show ip netns exec sandbox ethtool -S vmgw0
step "rtnl counters" show ip -n sandbox -s link show dev vmgw0
step "deleting the namespace destroys the device" \
	bash -c 'ip netns del sandbox && sleep 0.5 && ! ip link show type vmgw | grep -q vmgw && echo "    no vmgw device left anywhere"'
step "unload the module" show rmmod vmgw
echo
echo "demo: all $n steps passed in $(($(date +%s) - t0)) s"
