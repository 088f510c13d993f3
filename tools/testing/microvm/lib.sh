# SPDX-License-Identifier: GPL-2.0
# The microVM scenario, shared by the demo and the e2e test (sourced, run
# as root inside the QEMU test VM): an uplink network in the root
# namespace, a gateway namespace made by "vmgwctl up", and a real QEMU
# guest (Debian's kernel, a busybox initramfs, init from this directory)
# whose virtio-net is /dev/vmgw, started by "vmgwctl run". Each function
# returns non-zero on failure with the reason on stderr.

MV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MV_ROOT=$(cd "$MV_DIR/../../.." && pwd)
MV_CTL=$MV_ROOT/tools/vmgwctl/vmgwctl
MV_TMP=${MV_TMP:-/tmp/microvm}
MV_NS=demo
MV_DEV=vmgw0
MV_WAN=192.0.2.1		# "the internet": namespace MV_WAN_NS, TEST-NET-1
MV_WAN_NS=mvwan			# beyond this host, routed through it
MV_WAN_HOST=192.0.2.254		# this host's end of the link to it
MV_NAME=www.demo.test		# known to the upstream resolver at MV_WAN
MV_PAGE="hello from the uplink"
MV_UDP=$MV_WAN:9999		# TFTP over the uplink: unsupported UDP
MV_REFUSED=169.254.169.254:80	# behind the floor: refused with a RST
MV_TIMEOUT=${MV_TIMEOUT:-1500}	# the guest, boot to its end (887 s seen)
# Under TCG inside TCG every boot-time cycle counts: the kernel starts
# uncompressed (PVH entry, no decompressor) from qboot (no SeaBIOS), with
# no ACPI (no AML to interpret; virtio-net uses MSI-X), no console
# chatter, no CPU bug mitigations to patch in, no PS/2 probing. Its CPU
# has no CMPXCHG16B: in TCG inside TCG the guest kernel crashed right after
# one (SLUB's per-CPU fast path, at boot) with garbage in RFLAGS.
MV_APPEND="console=ttyS0 quiet panic=-1 acpi=off mitigations=off nokaslr i8042.noaux i8042.nokbd i8042.nopnp"

# mv_modules: what "vmgwctl up" and the uplink need, loaded up front so
# that a missing module fails here, by name, and not later in nft or ip.
mv_modules() {
	local m
	for m in veth dummy nf_tables nft_chain_nat nft_masq nft_ct; do
		modprobe "$m" || { echo "modprobe $m failed" >&2; return 1; }
	done
}

# mv_initramfs: the guest's initramfs and uncompressed kernel (the running
# kernel's, unpacked with the kernel tree's extract-vmlinux), in MV_TMP.
mv_initramfs() {
	local src
	src=$(. "$MV_ROOT/tools/testing/lib.sh" && ksource 6.12) || return 1
	mkdir -p "$MV_TMP" &&
	sh "$src/scripts/extract-vmlinux" "/boot/vmlinuz-$(uname -r)" > "$MV_TMP/vmlinux" &&
	"$MV_ROOT/tools/testing/qemu/mkinitramfs.sh" "$(uname -r)" \
		"$MV_TMP/initrd.gz" "$MV_DIR/init" virtio_pci virtio_net
}

# mv_wan_up: "the internet" beyond this host: MV_WAN in namespace
# MV_WAN_NS behind a veth (wan0 here), a web server (busybox httpd) and a
# resolver (dnsmasq) that knows MV_NAME there.
mv_wan_up() {
	mkdir -p "$MV_TMP/www" && echo "$MV_PAGE" > "$MV_TMP/www/index.html" &&
	ip netns add "$MV_WAN_NS" && ip -n "$MV_WAN_NS" link set lo up &&
	ip link add wan0 type veth peer name eth0 netns "$MV_WAN_NS" &&
	ip addr add "$MV_WAN_HOST/24" dev wan0 && ip link set wan0 up &&
	ip -n "$MV_WAN_NS" addr add "$MV_WAN/24" dev eth0 &&
	ip -n "$MV_WAN_NS" link set eth0 up &&
	ip -n "$MV_WAN_NS" route add default via "$MV_WAN_HOST" &&
	ip netns exec "$MV_WAN_NS" busybox httpd -p "$MV_WAN:80" -h "$MV_TMP/www" &&
	ip netns exec "$MV_WAN_NS" dnsmasq --conf-file=/dev/null --no-resolv \
		--no-hosts --bind-interfaces --listen-address="$MV_WAN" \
		--address="/$MV_NAME/$MV_WAN" \
		--pid-file="$MV_TMP/upstream.pid" --user=root
}

mv_wan_down() {
	[ -s "$MV_TMP/upstream.pid" ] && kill "$(cat "$MV_TMP/upstream.pid")"
	mv_httpd_stop
	ip netns del "$MV_WAN_NS" 2> /dev/null
	ip link del wan0 2> /dev/null
	return 0
}

# The httpd of mv_wan_up, by its listening socket's owner.
mv_httpd_stop() {
	local pid
	pid=$(ip netns exec "$MV_WAN_NS" ss -Hltnp "src $MV_WAN:80" 2> /dev/null |
		sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
	[ -n "$pid" ] && kill "$pid"
}

mv_up() {
	# For mv_nothing_left (callers may run this in a subshell).
	mkdir -p "$MV_TMP" && sysctl -n net.ipv4.ip_forward > "$MV_TMP/forward" &&
	"$MV_CTL" up "$MV_NS" "$MV_DEV" --uplink --dns "$MV_WAN"
}

# mv_vmm [APPEND...]: the guest's VMM command line, in the array MV_VMM:
# "vmgwctl run" and QEMU, with the kernel parameters APPEND added. With
# MV_VHOST=1 QEMU runs its virtio-net with vhost=on over /dev/vhost-vmgw
# (vmgwctl run ... vhost, {vhostfd}), otherwise through read() and write().
mv_vmm() {
	local run=(run "$MV_NS" "$MV_DEV") tap="tap,id=n0,fd={fd}"
	if [ "${MV_VHOST:-0}" = 1 ]; then
		run+=(vhost)
		tap="$tap,vhost=on,vhostfd={vhostfd}"
	fi
	MV_VMM=("$MV_CTL" "${run[@]}" -- \
		qemu-system-x86_64 -name microvm -accel tcg -cpu qemu64,-cx16 \
		-m 256 -smp 1 -nodefaults -no-reboot -display none -serial stdio \
		-bios /usr/share/qemu/qboot.rom \
		-kernel "$MV_TMP/vmlinux" -initrd "$MV_TMP/initrd.gz" \
		-append "$MV_APPEND microvm.name=$MV_NAME microvm.udp=$MV_UDP microvm.refused=$MV_REFUSED $*" \
		-netdev "$tap" -device virtio-net-pci,netdev=n0,romfile=)
}

# mv_boot: run the guest to its end; its "MICROVM:" lines go to
# stdout as they come, its whole console to MV_TMP/console.
mv_boot() {
	local rc
	: > "$MV_TMP/console"
	mv_vmm
	timeout -k 5 "$MV_TIMEOUT" "${MV_VMM[@]}" < /dev/null 2>&1 |
		sed -u 's/\r$//' | tee "$MV_TMP/console" | grep --line-buffered '^MICROVM:'
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] || ! grep -q '^MICROVM: done' "$MV_TMP/console"; then
		echo "the guest did not finish (QEMU status $rc); its console ended with:" >&2
		tail -n 25 "$MV_TMP/console" >&2
		return 1
	fi
}

# mv_step STEP: the guest reported STEP ok.
mv_step() {
	grep -q "^MICROVM: ok $1:" "$MV_TMP/console" ||
		{ grep "^MICROVM: fail $1:" "$MV_TMP/console" >&2; echo "guest step $1 failed" >&2; return 1; }
}

# mv_stat NAME: one counter of the device.
mv_stat() {
	"$MV_CTL" -n "$MV_NS" stats "$MV_DEV" |
		awk -v n="$1:" '$1 == n { print $2; found = 1 } END { exit !found }'
}

# mv_counted NAME[=N|>=N]...: each counter is exactly N, or at least N
# (a bare NAME: at least 1).
mv_counted() {
	local n v want
	for n in "$@"; do
		case $n in
		*'>='*) want=${n#*>=} n=${n%%>=*} ;;
		*=*) want==${n#*=} n=${n%%=*} ;;
		*) want=1 ;;
		esac
		v=$(mv_stat "$n") || { echo "no counter $n" >&2; return 1; }
		case $want in
		=*) [ "$v" -eq "${want#=}" ] ||
			{ echo "$n is $v, want ${want#=}" >&2; return 1; } ;;
		*) [ "$v" -ge "$want" ] ||
			{ echo "$n is $v, want at least $want" >&2; return 1; } ;;
		esac
	done
}

# mv_down: vmgwctl down, then prove that nothing of the namespace is left.
mv_down() {
	"$MV_CTL" down "$MV_NS" "$MV_DEV" || return 1
	mv_nothing_left
}

mv_nothing_left() {
	local left=
	[ -e "/run/netns/$MV_NS" ] && left="$left netns"
	[ -e "/run/vmgw/$MV_NS" ] && left="$left /run/vmgw/$MV_NS"
	ip link show "vmgw-$MV_NS" > /dev/null 2>&1 && left="$left veth"
	nft list table ip "vmgw-$MV_NS" > /dev/null 2>&1 && left="$left nft-table"
	pgrep -f "/run/vmgw/$MV_NS/dnsmasq.conf" > /dev/null && left="$left dnsmasq"
	ip -o link show type vmgw | grep -q . && left="$left vmgw-device"
	[ "$(sysctl -n net.ipv4.ip_forward)" = "$(cat "$MV_TMP/forward" 2> /dev/null)" ] ||
		left="$left ip_forward=1"
	[ -z "$left" ] || { echo "left behind:$left" >&2; return 1; }
}
