#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO: the demo, inside the QEMU test VM: "vmgwctl up" builds a
# gateway namespace with an uplink, a real microVM (QEMU, Debian's kernel,
# busybox) boots on /dev/vmgw through "vmgwctl run ... vhost", its
# virtio-net queues processed by /dev/vhost-vmgw (QEMU's vhost=on), and
# goes through DHCP,
# DNS, HTTP over the uplink, an unsupported UDP port and the floor, the
# counters prove each step, "vmgwctl down" leaves nothing behind. One
# progress line per step; a failure names the step and ends the demo with
# a non-zero status.
set -u
ko=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../microvm/lib.sh"
MV_VHOST=1
t0=$(date +%s)
n=0

cleanup() {
	"$MV_CTL" down "$MV_NS" "$MV_DEV" > /dev/null 2>&1
	mv_wan_down
}

step() {
	local what=$1
	shift
	n=$((n + 1))
	echo
	echo "[$n] $what  (+$(($(date +%s) - t0)) s)"
	"$@" 2>&1 | sed -u 's/^/    /'
	if [ "${PIPESTATUS[0]}" -ne 0 ]; then
		echo "demo: FAILED at step $n: $what"
		cleanup
		exit 1
	fi
}

# show CMD...: the command, then what it printed.
show() {
	echo "\$ $*"
	"$@"
}

insmods() {
	insmod "$ko" && mv_modules && echo "vmgw, veth, dummy and nftables loaded"
}
wan() {
	mv_wan_up && echo "$MV_WAN in namespace $MV_WAN_NS beyond wan0: httpd on port 80, dnsmasq answering $MV_NAME"
}
up() {
	echo "\$ vmgwctl up $MV_NS $MV_DEV --uplink --dns $MV_WAN"
	mv_up && show ip -n "$MV_NS" -br addr &&
	show ip -n "$MV_NS" route
}
initramfs() {
	mv_initramfs &&
	echo "$MV_TMP/initrd.gz: $(($(stat -c %s "$MV_TMP/initrd.gz") / 1024)) KiB (busybox, init, virtio_net)"
}
boot() {
	local s=$(date +%s)
	echo "\$ vmgwctl run $MV_NS $MV_DEV vhost -- qemu-system-x86_64 -accel tcg ... -netdev tap,id=n0,fd={fd},vhost=on,vhostfd={vhostfd} -device virtio-net-pci,netdev=n0"
	mv_boot && echo "the microVM ended after $(($(date +%s) - s)) s (wall clock)" &&
	echo "frames through its virtqueues: vhost_tx $(mv_stat vhost_tx), vhost_rx $(mv_stat vhost_rx);" \
		"through write()/read() on /dev/vmgw (QEMU, before the guest's driver started them): $(mv_stat write_frames)/$(mv_stat read_frames)"
}
# proves STEP COUNTER...: the guest's step passed and the counters moved.
proves() {
	local step=$1 c
	shift
	mv_step "$step" && mv_counted "$@" || return 1
	sed -n "s/^MICROVM: ok $step: //p" "$MV_TMP/console"
	for c in "$@"; do
		echo "$c: $(mv_stat "$c")"
	done
}
down() {
	echo "\$ vmgwctl down $MV_NS $MV_DEV"
	mv_down && echo "no netns, device, veth, nft table, dnsmasq or /run/vmgw/$MV_NS left"
}

step "load the module and what the uplink uses" insmods
step "the internet: $MV_WAN beyond this host, a web server, a resolver" wan
step "the gateway namespace: vmgwctl up (device, addresses, dnsmasq, NAT uplink)" up
step "the microVM's initramfs" initramfs
step "boot the microVM on /dev/vmgw + /dev/vhost-vmgw, vhost=on (TCG inside TCG: minutes)" boot
step "DHCP from dnsmasq passed" proves dhcp rx_class_dhcp
step "DNS through the gateway's dnsmasq passed" proves dns rx_class_dns
step "HTTP over the uplink: a flow was opened" proves http flow_opened
step "UDP to an unsupported port was dropped in the kernel" proves udp rx_drop_udp_unsupported
step "169.254.169.254 is behind the floor: refused with a RST" \
	proves refused rx_drop_floor rst_sent
stats() {
	echo "\$ vmgwctl -n $MV_NS stats $MV_DEV"
	"$MV_CTL" -n "$MV_NS" stats "$MV_DEV"
}
step "all counters" stats
step "vmgwctl down: nothing left behind" down
mv_wan_down
step "unload the module" show rmmod vmgw
echo
echo "demo: all $n steps passed in $(($(date +%s) - t0)) s"
