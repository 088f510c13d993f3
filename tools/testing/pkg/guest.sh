#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh DEBDIR CCACHE: inside the test VM booted with a writable root
# (vmgw.overlay=1), install vmgw the way a user of a Debian host does:
# apt-get install the vmgw-dkms and vmgwctl packages from DEBDIR, let DKMS
# build the module for the running kernel, load it by opening /dev/vmgw
# and by modprobe, run "vmgwctl up" with a guest behind it, "vmgwctl down",
# and "apt-get purge", which must leave nothing behind.
set -u
debdir=$1
VMGW_PKG_CCACHE=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/lib.sh"
. "$here/../microvm/lib.sh"
MV_CTL=/usr/sbin/vmgwctl	# the packaged one, not the tree's
PK_TMP=$(mktemp -d)
# What the cases measured: printed after them (t_run keeps a passing
# case's output to itself).
PK_BENCH=$PK_TMP/bench
MV_TMP=$PK_TMP/mv
kv=$(uname -r)
ver=$(dpkg-deb -f "$debdir"/vmgw-dkms_*_all.deb Version)
ip link set lo up
# man-db's trigger re-indexes every manual page after each install and
# purge: minutes in a TCG guest, and nothing the test looks at (man -w
# finds the page without the index). Debian's own switch turns it off.
rm -f /var/lib/man-db/auto-update
# The cases this file runs: its lines that begin with t_run (e2e/guest.sh).
echo "VMGW-E2E: plan $(grep -c '^t_run ' "$0")"

pk_install() {
	local t0=$(date +%s)
	# The DKMS build runs in this TCG guest; its compiler's output comes
	# from the cache run.sh filled (read only), when the input is the same.
	# The locale is part of ccache's key: the same as run.sh's build.
	# apt runs dpkg (and so DKMS) with the PATH of its DPkg::Path option,
	# not the caller's: the ccache directory goes there too.
	env -u LC_CTYPE -u LC_MESSAGES LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		PATH=/usr/lib/ccache:$PATH CCACHE_DIR=$VMGW_PKG_CCACHE CCACHE_READONLY=1 \
		CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1 CCACHE_TEMPDIR=/tmp/ccache \
		CCACHE_LOGFILE=$PK_TMP/ccache.log \
		DEBIAN_FRONTEND=noninteractive timeout 1500 apt-get install -y -q \
		-o DPkg::Path=/usr/lib/ccache:/usr/sbin:/usr/bin:/sbin:/bin \
		"$debdir"/vmgw-dkms_"$ver"_all.deb "$debdir"/vmgwctl_"$ver"_amd64.deb \
		> "$PK_TMP/apt.log" 2>&1 ||
		{ tail -n 30 "$PK_TMP/apt.log"; fail "apt-get install failed"; return 1; }
	echo "apt-get install with the DKMS build: $(($(date +%s) - t0)) s," \
		"$(grep -c 'Result: direct_cache_hit' "$PK_TMP/ccache.log" 2> /dev/null)" \
		"compiler runs from the cache," \
		"$(grep -c 'Result: cache_miss' "$PK_TMP/ccache.log" 2> /dev/null) compiled" >> "$PK_BENCH"
	dkms status -m vmgw -v "$ver" -k "$kv" | grep -q ': installed' ||
		{ dkms status; fail "dkms status: vmgw $ver not installed for $kv"; return 1; }
}

# The module DKMS installed is the one modprobe finds, built for this kernel.
pk_module_found() {
	local path magic
	path=$(modinfo -n vmgw) || { fail "modinfo finds no vmgw"; return 1; }
	case $path in
	/lib/modules/"$kv"/updates/dkms/vmgw.ko*) ;;
	*) fail "modinfo found $path, not the DKMS module"; return 1 ;;
	esac
	magic=$(modinfo -F vermagic vmgw)
	[ "${magic%% *}" = "$kv" ] || { fail "vermagic '$magic', running $kv"; return 1; }
	[ -x /usr/sbin/vmgwctl ] && man -w vmgwctl > /dev/null ||
		{ fail "vmgwctl or its man page is missing"; return 1; }
}

# DKMS refuses a kernel older than 6.1 by its BUILD_EXCLUSIVE_KERNEL.
pk_old_kernel_refused() {
	local out
	if out=$(dkms build -m vmgw -v "$ver" -k 5.10.0-30-amd64 2>&1); then
		fail "dkms built vmgw for 5.10: $out"
		return 1
	fi
	printf '%s\n' "$out" | grep -q 'BUILD_EXCLUSIVE' ||
		{ fail "dkms said '$out'"; return 1; }
}

# The node kmod lists from modules.devname, created as systemd-tmpfiles
# does at boot; the first open loads the module through its alias.
pk_autoload() {
	lsmod | grep -q '^vmgw ' && { fail "vmgw is loaded before the open"; return 1; }
	kmod static-nodes -f tmpfiles -o "$PK_TMP/static-nodes.conf" &&
		grep -Eq '^c! /dev/vmgw .* 10:246$' "$PK_TMP/static-nodes.conf" ||
		{ fail "kmod lists no static node for vmgw: $(cat "$PK_TMP/static-nodes.conf")"; return 1; }
	# The lines are boot-only ("c!"), as at boot.
	systemd-tmpfiles --create --boot "$PK_TMP/static-nodes.conf" &&
		[ -c /dev/vmgw ] || { fail "systemd-tmpfiles made no /dev/vmgw"; return 1; }
	python3 -c 'import os; os.close(os.open("/dev/vmgw", os.O_RDWR))' ||
		{ fail "open(/dev/vmgw) failed"; return 1; }
	lsmod | grep -q '^vmgw ' || { fail "the open did not load vmgw"; return 1; }
}

# The package's udev rule gives the node to the kvm group, mode 0660.
pk_udev_rule() {
	local out
	getent group kvm > /dev/null || { fail "no kvm group"; return 1; }
	out=$(udevadm test /sys/class/misc/vmgw 2>&1)
	printf '%s\n' "$out" | grep -q '60-vmgw-dkms.rules' &&
		printf '%s\n' "$out" | grep -Eq 'MODE.*0660' &&
		printf '%s\n' "$out" | grep -Eq "GROUP.*$(getent group kvm | cut -d: -f3)" ||
		{ printf '%s\n' "$out" | grep -i -E 'vmgw|mode|group' | tail -n 20; fail "the udev rule did not apply"; return 1; }
}

pk_modprobe() {
	rmmod vmgw || { fail "rmmod vmgw failed"; return 1; }
	modprobe vmgw && lsmod | grep -q '^vmgw ' || { fail "modprobe vmgw failed"; return 1; }
}

# vmgwctl up from the package; a guest (a TAP in its own namespace, bridged
# to /dev/vmgw by vmm-emu) gets a lease from the gateway's dnsmasq,
# resolves through it and fetches a page over the uplink.
pk_up_traffic() {
	local lease page addr
	modprobe tun && mv_modules && mv_wan_up && mv_up ||
		{ fail "vmgwctl up failed"; return 1; }
	ip netns add pkguest || return 1
	vmm_emu_start "$PK_TMP" "$MV_NS" "$MV_DEV" pkguest || return 1
	cat > "$PK_TMP/dhcp.sh" <<'SH'
#!/bin/sh
case $1 in
bound) ip addr add "$ip/${mask:-24}" dev "$interface" &&
	ip route add default via "$router" && echo "$ip $router $dns" > "$LEASE" ;;
esac
exit 0
SH
	chmod +x "$PK_TMP/dhcp.sh"
	ip -n pkguest link set tap0 up
	LEASE=$PK_TMP/lease ip netns exec pkguest busybox udhcpc -i tap0 -f -q -n \
		-t 10 -T 2 -s "$PK_TMP/dhcp.sh" > "$PK_TMP/udhcpc.log" 2>&1 ||
		{ cat "$PK_TMP/udhcpc.log"; fail "no DHCP lease"; return 1; }
	lease=$(cat "$PK_TMP/lease")
	case $lease in
	"10.0.2."*" 10.0.2.2 10.0.2.2") ;;
	*) fail "lease '$lease'"; return 1 ;;
	esac
	addr=$(ip netns exec pkguest busybox nslookup "$MV_NAME" 10.0.2.2 |
		awk '/^Name:/ { n = 1 } n && /^Address/ { print $NF; exit }')
	[ "$addr" = "$MV_WAN" ] || { fail "$MV_NAME resolved to '$addr'"; return 1; }
	page=$(ip netns exec pkguest timeout 30 busybox wget -q -O - "http://$MV_WAN/") ||
		{ fail "wget over the uplink failed"; return 1; }
	[ "$page" = "$MV_PAGE" ] || { fail "got '$page'"; return 1; }
}

pk_down() {
	vmm_emu_stop "$PK_TMP"
	ip netns del pkguest
	"$MV_CTL" down "$MV_NS" "$MV_DEV" || { fail "vmgwctl down failed"; return 1; }
	mv_nothing_left || { fail "vmgwctl down left something"; return 1; }
	mv_wan_down
}

# purge: no module, DKMS tree, source, rule, tool or static node is left.
pk_purge() {
	local left=
	rmmod vmgw || { fail "rmmod vmgw failed"; return 1; }
	local t0=$(date +%s)
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q vmgw-dkms vmgwctl \
		> "$PK_TMP/purge.log" 2>&1 ||
		{ tail -n 20 "$PK_TMP/purge.log"; fail "apt-get purge failed"; return 1; }
	echo "apt-get purge: $(($(date +%s) - t0)) s" >> "$PK_BENCH"
	ls /lib/modules/*/updates/dkms/vmgw.ko* > /dev/null 2>&1 && left="$left module"
	modinfo vmgw > /dev/null 2>&1 && left="$left modinfo"
	[ -e /var/lib/dkms/vmgw ] && left="$left /var/lib/dkms/vmgw"
	ls -d /usr/src/vmgw-* > /dev/null 2>&1 && left="$left /usr/src/vmgw"
	ls /lib/udev/rules.d/*vmgw* /etc/udev/rules.d/*vmgw* > /dev/null 2>&1 &&
		left="$left udev-rule"
	[ -e /usr/sbin/vmgwctl ] && left="$left vmgwctl"
	dpkg-query -W -f='${db:Status-Abbrev}\n' vmgw-dkms vmgwctl 2> /dev/null |
		grep -q '^[a-z][a-z]' && left="$left dpkg-state"
	kmod static-nodes -f tmpfiles 2> /dev/null | grep -q vmgw && left="$left static-node"
	[ -z "$left" ] || { fail "left behind:$left"; return 1; }
}

t_run "apt-get install vmgw-dkms and vmgwctl, DKMS builds for $kv" pk_install
t_run "modprobe finds the DKMS module, built for the running kernel" pk_module_found
t_run "DKMS refuses a kernel older than 6.1" pk_old_kernel_refused
t_run "opening /dev/vmgw (static node) loads the module" pk_autoload
t_run "the udev rule gives /dev/vmgw to kvm, mode 0660" pk_udev_rule
t_run "rmmod, then modprobe vmgw loads it again" pk_modprobe
t_run "vmgwctl up; a guest gets DHCP, DNS and HTTP over the uplink" pk_up_traffic
t_run "vmgwctl down leaves nothing behind" pk_down
t_run "apt-get purge leaves no module, DKMS state, rule or tool" pk_purge
t_run "kernel log has no warnings or reports" no_kernel_reports
sed 's/^/#   /' "$PK_BENCH" 2> /dev/null
rm -rf "$PK_TMP"
echo "# pkg: $E2E_FAILS failed"
[ "$E2E_FAILS" -eq 0 ]
