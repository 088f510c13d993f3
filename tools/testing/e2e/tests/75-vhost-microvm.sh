# SPDX-License-Identifier: GPL-2.0
# Real, unmodified QEMU with vhost=on through vmgw: the microVM of
# 60-microvm.sh (Debian's kernel, busybox) boots with -netdev
# tap,fd={fd},vhost=on,vhostfd={vhostfd} launched by "vmgwctl run ...
# vhost", so the kernel's /dev/vhost-vmgw worker moves its frames straight
# between guest memory and the device. It gets a DHCP lease, resolves a
# name, fetches a page over the uplink; its unsupported UDP and its
# connection into the floor are refused, checked at the victim: listeners
# on the very addresses, beyond the gateway, that would get them. The
# counters prove the frames took the vhost path: once the guest's driver
# started the virtqueues (QEMU reads the file itself until then, and
# drops what it reads), vhost_tx and vhost_rx grow while write_frames and
# read_frames do not. Then QEMU is killed with SIGKILL while the guest
# keeps the network busy: its worker ends, the module's references come
# back, and the device carries vhost traffic again; the kernel log has no
# warning. With vhost=on the guest got through its steps in 3 minutes
# (TCG inside TCG, 6.12), so this runs on both series.

MV_TMP=$(mktemp -d)
. "$(dirname "${BASH_SOURCE[0]}")/../../microvm/lib.sh"
MV_VHOST=1
VM_VC=$(dirname "${BASH_SOURCE[0]}")/../../vhost-client/vhost-client
VM_FLOOR=${MV_REFUSED%:*}	# 169.254.169.254, also a victim in MV_WAN_NS
VM_MAC=52:54:00:12:34:56	# QEMU's default MAC for the guest

# vm_worker PID: the worker thread of the vhost device PID owns (named
# vhost-vmgw-PID, cut to the 15 characters of a task's name).
vm_worker() {
	local name=vhost-vmgw-$1
	pgrep -x "${name:0:15}"
}

# vm_stats NAME...: counters of the gateway device, in the order given.
vm_stats() {
	local n
	for n in "$@"; do mv_stat "$n" || return 1; done
}

vm_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	[ -c /dev/vhost-vmgw ] || fail "no /dev/vhost-vmgw" || return 1
	dmesg > "$MV_TMP/dmesg.before"
	mv_modules && mv_wan_up || return 1
	# The floor's address is real beyond the gateway: were the policy
	# to let the guest's SYN out, it would be routed there and accepted.
	ip -n "$MV_WAN_NS" addr add "$VM_FLOOR/32" dev eth0 &&
	ip route add "$VM_FLOOR/32" via "$MV_WAN" dev wan0
}

# The victims: what arrives at the UDP port the guest probes and at the
# floor's address, counted by listeners there, in MV_TMP/victim.
vm_victims() {
	local i
	ip netns exec "$MV_WAN_NS" python3 - "$MV_TMP/victim" "${MV_UDP%:*}" \
		"${MV_UDP#*:}" "$VM_FLOOR" "${MV_REFUSED#*:}" > "$MV_TMP/victim.err" 2>&1 <<'PY' &
import os, select, socket, sys
out, uaddr, uport, taddr, tport = sys.argv[1:]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind((uaddr, int(uport)))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind((taddr, int(tport)))
t.listen(16)
n = {"udp": 0, "tcp": 0}
def save():
    with open(out + ".tmp", "w") as f:
        f.write(f"udp {n['udp']} tcp {n['tcp']}\n")
    os.rename(out + ".tmp", out)
save()
while True:
    r, _, _ = select.select([u, t], [], [])
    if u in r:
        u.recv(65535)
        n["udp"] += 1
    if t in r:
        c, _ = t.accept()
        c.close()
        n["tcp"] += 1
    save()
PY
	echo $! > "$MV_TMP/victim.pid"
	for i in $(seq 1 100); do
		[ -s "$MV_TMP/victim" ] && return 0
		sleep 0.1
	done
	fail "the victims' listeners did not start: $(cat "$MV_TMP/victim.err")"
}

# The boot, in the background with microvm.hold=1: once the guest says it
# is holding (its steps done, fetching the page in a loop) the test goes
# on while QEMU runs. Its pid, that of "vmgwctl run" (which execs it), is
# in MV_TMP/qemu.pid.
vm_boot() {
	local pid t0 worker=
	vm_victims || return 1
	vm_stats write_frames read_frames vhost_tx vhost_rx > "$MV_TMP/stats.boot" ||
		return 1
	awk '$1 == "vmgw" { print $3 }' /proc/modules > "$MV_TMP/refs.boot"
	: > "$MV_TMP/console"
	mv_vmm microvm.hold=1
	# Nothing of it may hold the case's output open: t_run waits for that.
	"${MV_VMM[@]}" < /dev/null \
		> >(sed -u 's/\r$//' > "$MV_TMP/console" 2>&1) 2>&1 &
	pid=$!
	echo $pid > "$MV_TMP/qemu.pid"
	t0=$(date +%s)
	while ! grep -q '^MICROVM: holding' "$MV_TMP/console"; do
		if ! kill -0 $pid 2> /dev/null; then
			wait $pid
			fail "QEMU ended (status $?) before the guest's steps were done:" \
				"$(tail -n 25 "$MV_TMP/console")"
			return 1
		fi
		if [ $(($(date +%s) - t0)) -gt "$MV_TIMEOUT" ]; then
			fail "the guest did not get through its steps in $MV_TIMEOUT s:" \
				"$(tail -n 25 "$MV_TMP/console")"
			return 1
		fi
		# The worker of QEMU's vhost device, named after its owner.
		[ -n "$worker" ] || worker=$(vm_worker $pid)
		# The counters once the virtqueues carry the guest's frames.
		[ -s "$MV_TMP/stats.vhost" ] || [ "$(mv_stat vhost_tx)" = 0 ] ||
			vm_stats write_frames read_frames vhost_tx vhost_rx \
				> "$MV_TMP/stats.vhost"
		sleep 1
	done
	grep '^MICROVM:' "$MV_TMP/console"
	echo "guest holding after $(($(date +%s) - t0)) s; worker: ${worker:-none}" |
		tee -a "$MV_TMP/notes"
	[ "$(cat /proc/$pid/comm)" = qemu-system-x86 ] ||
		fail "pid $pid is '$(cat /proc/$pid/comm)', not QEMU" || return 1
	[ -n "$worker" ] || worker=$(vm_worker $pid)
	[ -n "$worker" ] || fail "no vhost-vmgw-$pid worker thread: QEMU did not use /dev/vhost-vmgw"
}

vm_step() {
	mv_step "$1" || fail "guest step $1" || return 1
	shift
	[ $# -eq 0 ] || mv_counted "$@" || fail "counters of the step"
}

# The TFTP request reached nobody beyond the gateway, and every one of the
# datagrams the guest says it sent was dropped as unsupported UDP.
vm_udp_step() {
	local sent got
	mv_step udp || fail "guest step udp" || return 1
	sent=$(sed -n 's/^MICROVM: ok udp: .*: \([0-9]*\) datagrams sent.*/\1/p' \
		"$MV_TMP/console")
	got=$(cat "$MV_TMP/victim")
	echo "UDP: guest sent $sent; the victim: $got" | tee -a "$MV_TMP/notes"
	[ "${got%% tcp*}" = "udp 0" ] || fail "UDP reached ${MV_UDP}: $got"
	[ -n "$sent" ] && [ "$sent" -ge 1 ] || fail "the guest sent '$sent' datagrams" ||
		return 1
	mv_counted "rx_drop_udp_unsupported=$sent" || fail "counter of the step"
}

# The connection into the floor was refused at once by the gateway (RST)
# and no connection reached the listener on that address.
vm_refused_step() {
	local got
	vm_step refused rx_drop_floor=1 rst_sent=1 || return 1
	got=$(cat "$MV_TMP/victim")
	echo "the victim: $got"
	[ "${got##*tcp }" = 0 ] || fail "connections reached $MV_REFUSED: $got"
}

# Once the virtqueues ran, every frame went through them: vhost_tx and
# vhost_rx grew, write() and read() on /dev/vmgw carried none.
vm_vhost_path() {
	local b v a
	b=($(cat "$MV_TMP/stats.boot"))
	v=($(cat "$MV_TMP/stats.vhost")) || fail "vhost_tx never grew" || return 1
	a=($(vm_stats write_frames read_frames vhost_tx vhost_rx)) || return 1
	echo "write_frames read_frames vhost_tx vhost_rx: before QEMU ${b[*]}," \
		"at the first vhost frame ${v[*]}, now ${a[*]}" | tee -a "$MV_TMP/notes"
	[ "${a[0]}" = "${v[0]}" ] && [ "${a[1]}" = "${v[1]}" ] ||
		fail "frames went through write() or read()" || return 1
	# DHCP, DNS, the page, TFTP, the SYN, the page again and again.
	[ $((a[2] - v[2])) -ge 10 ] && [ $((a[3] - v[3])) -ge 10 ] ||
		fail "too few frames through the virtqueues"
}

# SIGKILL to QEMU while the guest fetches in a loop: the worker ends, the
# module is back at the references it had, the vhost path carries again.
vm_kill() {
	local pid before now i refs
	pid=$(cat "$MV_TMP/qemu.pid") || return 1
	kill -0 "$pid" || fail "QEMU is not running" || return 1
	before=$(mv_stat vhost_tx) || return 1
	for i in $(seq 1 60); do
		now=$(mv_stat vhost_tx) || return 1
		[ "$now" -gt "$before" ] && break
		sleep 1
	done
	[ "$now" -gt "$before" ] || fail "no traffic while the guest holds" || return 1
	kill -9 "$pid"
	echo "killed QEMU (SIGKILL) with vhost_tx at $now" | tee -a "$MV_TMP/notes"
	for i in $(seq 1 100); do
		pid_gone "$pid" && ! vm_worker "$pid" > /dev/null && break
		sleep 0.1
	done
	pid_gone "$pid" || fail "QEMU still runs after SIGKILL" || return 1
	! vm_worker "$pid" > /dev/null || fail "the worker outlived QEMU" || return 1
	refs=$(awk '$1 == "vmgw" { print $3 }' /proc/modules)
	[ "$refs" = "$(cat "$MV_TMP/refs.boot")" ] ||
		fail "vmgw has $refs references, $(cat "$MV_TMP/refs.boot") before QEMU"
}

# The same device, a new VMM on it with vhost: 100 UDP datagrams from the
# guest's own addresses through the tx virtqueue, each one counted and
# dropped, none arriving at the victim.
vm_reuse() {
	local lease b a got dmac
	lease=$(sed -n 's/^MICROVM: ok dhcp: address \([0-9.]*\),.*/\1/p' "$MV_TMP/console")
	[ -n "$lease" ] || fail "no lease in the console" || return 1
	dmac=$(ip -n "$MV_NS" -o link show dev "$MV_DEV" | sed 's/.*link\/ether \([^ ]*\).*/\1/')
	b=($(vm_stats vhost_tx rx_drop_udp_unsupported write_frames)) || return 1
	"$MV_CTL" run "$MV_NS" "$MV_DEV" vhost -- "$VM_VC" --vhost-fd {vhostfd} \
		--backend-fd {fd} --src-mac "$VM_MAC" --src-ip "$lease" \
		--dst-mac "$dmac" --dst-ip "${MV_UDP%:*}" --udp "${MV_UDP#*:}" \
		--count 100 --timeout 30 > "$MV_TMP/reuse.json" || return 1
	a=($(vm_stats vhost_tx rx_drop_udp_unsupported write_frames)) || return 1
	echo "vhost_tx rx_drop_udp_unsupported write_frames: ${b[*]} -> ${a[*]}"
	[ $((a[0] - b[0])) = 100 ] && [ $((a[1] - b[1])) = 100 ] &&
		[ "${a[2]}" = "${b[2]}" ] || fail "the device did not carry them" || return 1
	sleep 0.5
	got=$(cat "$MV_TMP/victim")
	[ "${got%% tcp*}" = "udp 0" ] || fail "UDP reached ${MV_UDP}: $got"
}

# Nothing in the kernel log since the setup: no warning, bug, oops, lockup
# or splat; and kmemleak, where the kernel has it, finds nothing.
vm_splats() {
	local new
	dmesg > "$MV_TMP/dmesg.after"
	new=$(diff "$MV_TMP/dmesg.before" "$MV_TMP/dmesg.after" | sed -n 's/^> //p')
	if echo "$new" | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace|KASAN|UBSAN|lockdep|soft lockup|hung task'; then
		fail "the kernel log has a splat"
		return 1
	fi
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan > /sys/kernel/debug/kmemleak
		new=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
		[ "$new" = 0 ] || fail "kmemleak: $new unreferenced objects"
	else
		echo "no kmemleak in this kernel"
	fi
}

vm_down() {
	local pid
	pid=$(cat "$MV_TMP/victim.pid" 2> /dev/null) && kill "$pid" 2> /dev/null
	mv_down || fail "$MV_NS left behind"
}

vm_cleanup() {
	local pid
	pid=$(cat "$MV_TMP/qemu.pid" 2> /dev/null) && kill -9 "$pid" 2> /dev/null
	pid=$(cat "$MV_TMP/victim.pid" 2> /dev/null) && kill "$pid" 2> /dev/null
	"$MV_CTL" down "$MV_NS" "$MV_DEV" > /dev/null 2>&1
	ip route del "$VM_FLOOR/32" 2> /dev/null
	mv_wan_down
	rm -rf "$MV_TMP"
	return 0
}

t_run "vhost microVM: setup, uplink network, victims' addresses" vm_setup
t_run "vhost microVM: vmgwctl up --uplink" mv_up
t_run "vhost microVM: initramfs (busybox, virtio_net)" mv_initramfs
t_run "vhost microVM: QEMU vhost=on via vmgwctl run ... vhost, steps done" \
	vm_boot
t_run "vhost microVM: DHCP lease from dnsmasq" vm_step dhcp 'rx_class_dhcp>=2'
t_run "vhost microVM: DNS through the gateway" vm_step dns rx_class_dns
t_run "vhost microVM: HTTP over the uplink" vm_step http 'flow_opened>=1'
t_run "vhost microVM: unsupported UDP dropped, nothing at the victim" \
	vm_udp_step
t_run "vhost microVM: the floor refused (RST), nothing at the victim" \
	vm_refused_step
t_run "vhost microVM: frames through the virtqueues, none by read()/write()" \
	vm_vhost_path
t_run "vhost microVM: QEMU killed (SIGKILL) mid-traffic, worker and refs gone" \
	vm_kill
t_run "vhost microVM: the device carries vhost traffic again" vm_reuse
t_run "vhost microVM: no splat in the kernel log, no leak" vm_splats
t_run "vhost microVM: vmgwctl down leaves nothing behind" vm_down
# What the cases saw, printed whether they passed or not.
sed 's/^/# vhost microVM: /' "$MV_TMP/notes" 2> /dev/null
t_run "vhost microVM: cleanup" vm_cleanup
