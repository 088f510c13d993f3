# SPDX-License-Identifier: GPL-2.0
# /dev/vhost-vmgw: the guest's virtqueues processed in the kernel. One
# userspace vhost client (tools/testing/vhost-client) owns the "guest
# memory" and vrings and drives /dev/vhost-net + TAP (the reference) and
# /dev/vhost-vmgw + vmgw through the same code: echo requests out through
# the tx virtqueue, replies back through the rx virtqueue. Then the ioctl
# ABI's refusals, hostile chains, the policy on this path, and the ends of
# a running vhost (VMM killed, device and namespace deleted, rmmod).

VC=$(dirname "${BASH_SOURCE[0]}")/../../vhost-client/vhost-client
VH_CTL=$(dirname "${BASH_SOURCE[0]}")/../../../vmgwctl/vmgwctl
VH_TMP=$(mktemp -d)
VH_PIN="python3 $(dirname "${BASH_SOURCE[0]}")/../hostile/pin.py"
VH_CG=/sys/fs/cgroup/vmgw-vhost-vmm
VH_N=2000

VH_PY=$VH_TMP/abi.py
cat > "$VH_PY" <<'PY'
import errno, fcntl, os, struct, sys

GET_FEATURES, SET_FEATURES, SET_OWNER = 0x8008AF00, 0x4008AF00, 0xAF01
SET_LOG_BASE, SET_VRING_NUM, SET_VRING_ADDR = 0x4008AF04, 0x4008AF10, 0x4028AF11
GET_VRING_BASE, GET_BACKEND_FEATURES = 0xC008AF12, 0x8008AF26
SET_BACKEND_FEATURES, NET_SET_BACKEND = 0x4008AF25, 0x4008AF30
RESET_OWNER = 0xAF02
F_VERSION_1, F_ACCESS_PLATFORM, F_RING_PACKED, F_LOG_ALL = 32, 33, 34, 26
F_INDIRECT, F_EVENT_IDX, F_MRG_RXBUF = 28, 29, 15
TUNSETIFF, IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x400454CA, 2, 0x1000, 0x4000

def fail(msg):
    sys.exit(f"vhost abi: {msg}")

def expect_errno(want, fn, what):
    try:
        fn()
    except OSError as e:
        if e.errno != want:
            fail(f"{what}: {errno.errorcode[e.errno]}, want {errno.errorcode[want]}")
        return
    fail(f"{what}: succeeded, want {errno.errorcode[want]}")

def u64(v):
    return struct.pack("Q", v)

def vfile(idx, fd):
    return struct.pack("Ii", idx, fd)

dev = sys.argv[1]
v = os.open("/dev/vhost-vmgw", os.O_RDWR)
f = struct.unpack("Q", fcntl.ioctl(v, GET_FEATURES, u64(0)))[0]
want = 1 << F_VERSION_1 | 1 << F_INDIRECT | 1 << F_EVENT_IDX | 1 << F_MRG_RXBUF
if f != want:
    fail(f"features {f:#x}, want {want:#x}")
# Before VHOST_SET_OWNER nothing but the features is allowed.
expect_errno(errno.EPERM, lambda: fcntl.ioctl(v, SET_FEATURES, u64(0)),
             "SET_FEATURES before SET_OWNER")
fcntl.ioctl(v, SET_OWNER)
expect_errno(errno.EBUSY, lambda: fcntl.ioctl(v, SET_OWNER), "second SET_OWNER")
for bit in (F_ACCESS_PLATFORM, F_RING_PACKED, F_LOG_ALL):
    expect_errno(errno.EOPNOTSUPP,
                 lambda: fcntl.ioctl(v, SET_FEATURES, u64(1 << bit)),
                 f"SET_FEATURES bit {bit}")
fcntl.ioctl(v, SET_FEATURES, u64(want))
if struct.unpack("Q", fcntl.ioctl(v, GET_BACKEND_FEATURES, u64(~0 & (2**64 - 1))))[0]:
    fail("backend features advertised")
fcntl.ioctl(v, SET_BACKEND_FEATURES, u64(0))
expect_errno(errno.EOPNOTSUPP, lambda: fcntl.ioctl(v, SET_BACKEND_FEATURES, u64(1)),
             "SET_BACKEND_FEATURES IOTLB_MSG_V2")
expect_errno(errno.EOPNOTSUPP, lambda: fcntl.ioctl(v, SET_LOG_BASE, u64(0)),
             "SET_LOG_BASE")
expect_errno(errno.EOPNOTSUPP, lambda: fcntl.ioctl(
    v, SET_VRING_ADDR, struct.pack("IIQQQQ", 0, 1, 0, 0, 0, 0)),
    "SET_VRING_ADDR with logging")
expect_errno(errno.EINVAL, lambda: fcntl.ioctl(
    v, SET_VRING_NUM, struct.pack("II", 0, 100)), "SET_VRING_NUM 100")
expect_errno(errno.ENOBUFS, lambda: fcntl.ioctl(
    v, SET_VRING_NUM, struct.pack("II", 2, 256)), "SET_VRING_NUM of queue 2")
# Backends: only an attached /dev/vmgw file, read-write, with IFF_VNET_HDR.
null = os.open("/dev/null", os.O_RDWR)
expect_errno(errno.ENOTSOCK, lambda: fcntl.ioctl(v, NET_SET_BACKEND, vfile(0, null)),
             "backend /dev/null")
q = os.open("/dev/vmgw", os.O_RDWR)
expect_errno(errno.EBADFD, lambda: fcntl.ioctl(v, NET_SET_BACKEND, vfile(0, q)),
             "backend not attached")
fcntl.ioctl(q, TUNSETIFF, struct.pack("16sH22x", dev.encode(), IFF_TAP | IFF_NO_PI))
expect_errno(errno.EINVAL, lambda: fcntl.ioctl(v, NET_SET_BACKEND, vfile(0, q)),
             "backend without IFF_VNET_HDR")
os.close(q)
q = os.open("/dev/vmgw", os.O_RDONLY)
fcntl.ioctl(q, TUNSETIFF, struct.pack("16sH22x", dev.encode(),
                                      IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
expect_errno(errno.EBADF, lambda: fcntl.ioctl(v, NET_SET_BACKEND, vfile(0, q)),
             "backend opened read-only")
os.close(q)
expect_errno(errno.EBADF, lambda: fcntl.ioctl(v, NET_SET_BACKEND, vfile(0, 999)),
             "backend fd not open")
fcntl.ioctl(v, NET_SET_BACKEND, vfile(0, -1))      # detach what is not there
# Another process is not the owner.
pid = os.fork()
if pid == 0:
    try:
        fcntl.ioctl(v, GET_VRING_BASE, struct.pack("II", 0, 0))
    except OSError as e:
        os._exit(0 if e.errno == errno.EPERM else 1)
    os._exit(1)
_, st = os.waitpid(pid, 0)
if os.waitstatus_to_exitcode(st):
    fail("a process other than the owner was not refused")
fcntl.ioctl(v, RESET_OWNER)
fcntl.ioctl(v, SET_OWNER)
os.close(v)
PY

vh_mac() { ip -n "$1" -o link show dev "$2" | sed 's/.*link\/ether \([^ ]*\).*/\1/'; }

vh_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	modprobe vhost_net || return 1
	[ -c /dev/vhost-vmgw ] || fail "no /dev/vhost-vmgw"
	local ns dev
	ip netns add vgw && ip netns add vtap || return 1
	ip -n vgw link add vmgwv type vmgw &&
	ip -n vtap tuntap add dev tapv mode tap vnet_hdr || return 1
	for ns in vgw vtap; do
		dev=vmgwv
		[ $ns = vtap ] && dev=tapv
		ip -n $ns link set lo up &&
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
		ip -n $ns addr add 10.0.2.2/24 dev $dev &&
		ip -n $ns link set $dev up &&
		ip -n $ns neigh replace 10.0.2.15 lladdr 02:00:00:00:00:15 \
			dev $dev nud permanent || return 1
	done
}

# vh_client NS (--vmgw vmgwv | --tap tapv) [client options]: run the
# client with the device's MAC as destination; its JSON in $VH_TMP/out.
vh_client() {
	local ns=$1 dev=$3 vhost=/dev/vhost-vmgw
	[ "$2" = --tap ] && vhost=/dev/vhost-net
	shift
	ip netns exec "$ns" "$VC" --vhost $vhost --dst-mac "$(vh_mac "$ns" "$dev")" \
		"$@" > "$VH_TMP/out" || return 1
	cat "$VH_TMP/out"
}

vh_json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$VH_TMP/out" "$1"; }

# vh_stats NAME...: the counters of vmgwv, in the order given.
vh_stats() {
	local n
	for n in "$@"; do stat_of vgw vmgwv "$n" || return 1; done
}

# vh_counters: every counter of vmgwv that is not 0, for a failure's report.
vh_counters() {
	ip netns exec vgw ethtool -S vmgwv | awk '$2 != 0' | tr -s ' \n' ' ' >&2
	echo >&2
}

vh_tap() {
	vh_client vtap --tap tapv --count $VH_N --timeout 60 || return 1
	cp "$VH_TMP/out" "$VH_TMP/tap.json"
	[ "$(vh_json replies)" = $VH_N ] || fail "TAP: $(vh_json replies) of $VH_N replies"
}

vh_vmgw() {
	local before after
	before=($(vh_stats vhost_tx vhost_rx rx_packets tx_packets)) || return 1
	vh_client vgw --vmgw vmgwv --count $VH_N --timeout 60 || return 1
	cp "$VH_TMP/out" "$VH_TMP/vmgw.json"
	after=($(vh_stats vhost_tx vhost_rx rx_packets tx_packets)) || return 1
	[ "$(vh_json replies)" = $VH_N ] || {
		vh_counters
		fail "vmgw: $(vh_json replies) of $VH_N replies"
	}
	# Every frame the stack got came through the tx virtqueue, and every
	# reply went out through the rx virtqueue: no read() or write().
	[ $((after[0] - before[0])) = $VH_N ] &&
	[ $((after[2] - before[2])) = $VH_N ] &&
	[ $((after[1] - before[1])) -le $((after[3] - before[3])) ] &&
	[ $((after[1] - before[1])) -ge $VH_N ] ||
		fail "counters before ${before[*]} after ${after[*]}"
}

# UDP to no supported service: dropped by the policy, counted, and the
# listener in the gateway's namespace gets nothing.
vh_udp() {
	local before after got
	ip netns exec vgw python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.2.2", 9999)); s.settimeout(4); n = 0
try:
    while True:
        s.recv(2048); n += 1
except socket.timeout:
    pass
print(n)' > "$VH_TMP/udp" &
	local l=$!
	sleep 0.5
	before=($(vh_stats vhost_tx rx_drop_udp_unsupported)) || return 1
	vh_client vgw --vmgw vmgwv --udp 9999 --count 100 --timeout 20 || return 1
	after=($(vh_stats vhost_tx rx_drop_udp_unsupported)) || return 1
	wait $l
	got=$(cat "$VH_TMP/udp")
	[ "$got" = 0 ] || fail "the listener got $got datagrams"
	[ $((after[0] - before[0])) = 100 ] &&
	[ $((after[1] - before[1])) = 100 ] ||
		fail "counters before ${before[*]} after ${after[*]}"
}

# vh_hostile KIND COUNTER: one malformed chain, refused and counted; the
# good frames after it still go through.
vh_hostile() {
	local before after
	before=$(vh_stats "$2") || return 1
	vh_client vgw --vmgw vmgwv --hostile "$1" --count 50 --timeout 30 || return 1
	after=$(vh_stats "$2") || return 1
	[ $((after - before)) = 1 ] || fail "$2: $before -> $after"
	[ "$(vh_json replies)" = 50 ] || {
		vh_counters
		fail "$(vh_json replies) of 50 replies after it"
	}
}

# An avail index that jumps breaks the ring; a new owner starts clean.
vh_avail_jump() {
	local before after
	before=$(vh_stats vring_err_avail_idx) || return 1
	vh_client vgw --vmgw vmgwv --hostile avail-jump --count 10 --timeout 3 || return 1
	after=$(vh_stats vring_err_avail_idx) || return 1
	[ $((after - before)) = 1 ] || fail "vring_err_avail_idx: $before -> $after"
	[ "$(vh_json replies)" = 0 ] || fail "a broken ring still carried frames"
	vh_client vgw --vmgw vmgwv --count 50 --timeout 30 || return 1
	[ "$(vh_json replies)" = 50 ] || fail "after it: $(vh_json replies) of 50"
}

# vmgwctl run ... vhost hands the VMM both descriptors: {fd}, {vhostfd}.
vh_ctl_run() {
	"$VH_CTL" run vgw vmgwv vhost -- "$VC" --vhost-fd {vhostfd} \
		--backend-fd {fd} --dst-mac "$(vh_mac vgw vmgwv)" --count 200 \
		--timeout 30 > "$VH_TMP/out" || return 1
	[ "$(vh_json replies)" = 200 ] || fail "$(vh_json replies) of 200 replies"
}

# The VMM dies with SIGKILL in the middle of traffic.
vh_kill() {
	ip netns exec vgw "$VC" --vhost /dev/vhost-vmgw --vmgw vmgwv \
		--dst-mac "$(vh_mac vgw vmgwv)" --count 100000000 --timeout 60 \
		> /dev/null &
	local c=$!
	sleep 3
	kill -9 $c
	wait $c 2> /dev/null
	vh_client vgw --vmgw vmgwv --count 50 --timeout 30 || return 1
	[ "$(vh_json replies)" = 50 ] || fail "after the kill: $(vh_json replies) of 50"
}

# Until the client in the background carries traffic (10 s at most).
vh_running() {
	local i before now
	before=$(vh_stats vhost_tx) || return 1
	for i in $(seq 1 100); do
		now=$(vh_stats vhost_tx) || return 1
		[ "$now" -gt "$before" ] && return 0
		sleep 0.1
	done
	fail "the client carries no traffic"
}

# The device, then its namespace, deleted under a running vhost: the
# client sees no more replies and tears down without errors.
vh_del() {
	local c
	ip netns exec vgw "$VC" --vhost /dev/vhost-vmgw --vmgw vmgwv \
		--dst-mac "$(vh_mac vgw vmgwv)" --count 100000000 --timeout 20 \
		> "$VH_TMP/del" &
	c=$!
	vh_running || return 1
	kill -0 $c || fail "the client ended before the test" || return 1
	# rmmod must refuse while the files are open.
	if rmmod vmgw 2> /dev/null; then
		fail "rmmod succeeded under a running vhost"
		return 1
	fi
	ip -n vgw link del vmgwv || return 1
	wait $c || fail "client failed after the device went: $(cat "$VH_TMP/del")"
	ip -n vgw link add vmgwv type vmgw &&
	ip -n vgw addr add 10.0.2.2/24 dev vmgwv &&
	ip -n vgw link set vmgwv up &&
	ip -n vgw neigh replace 10.0.2.15 lladdr 02:00:00:00:00:15 \
		dev vmgwv nud permanent || return 1
	ip netns exec vgw "$VC" --vhost /dev/vhost-vmgw --vmgw vmgwv \
		--dst-mac "$(vh_mac vgw vmgwv)" --count 100000000 --timeout 20 \
		> "$VH_TMP/del" &
	c=$!
	vh_running || return 1
	kill -0 $c || fail "the client ended before the test" || return 1
	ip netns del vgw || return 1
	wait $c || fail "client failed after the netns went: $(cat "$VH_TMP/del")"
	! ip netns exec vgw true 2> /dev/null
}

# The worker's allocations are charged to the owner's memory cgroup: the
# client in a cgroup of 16 MiB sends 1514-byte frames that a socket pins
# (pin.py hold, never reading); the cgroup's limit stops them (ENOMEM
# counted as write_err_nomem, or its OOM killer), and what was pinned
# was charged to it. Charged nowhere, the cgroup would stay at the
# client's own few MiB and no frame would be refused.
vh_memcg() {
	local line hpid out peak max oom nomem0 nomem1 pinned
	[ -f /sys/fs/cgroup/cgroup.controllers ] ||
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
		{ fail "no memory controller"; return 1; }
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2> /dev/null
	mkdir -p "$VH_CG" && echo $((16 << 20)) > "$VH_CG/memory.max" || return 1
	echo 0 > "$VH_CG/memory.swap.max" 2> /dev/null
	coproc HOLD { ip netns exec vgw $VH_PIN hold vmgwv; }
	hpid=$HOLD_PID
	read -r -t 30 line <&"${HOLD[0]}"
	[ "$line" = ready ] || { fail "hold: '$line'"; return 1; }
	nomem0=$(vh_stats write_err_nomem) || return 1
	out=$(sh -c "echo \$\$ > $VH_CG/cgroup.procs &&
		exec ip netns exec vgw $VC --vhost /dev/vhost-vmgw --vmgw vmgwv \
		--dst-mac $(vh_mac vgw vmgwv) --raw 88b5 --size 1514 \
		--count 20000 --timeout 60" 2>&1)
	nomem1=$(vh_stats write_err_nomem) || return 1
	peak=$(cat "$VH_CG/memory.peak" 2> /dev/null || cat "$VH_CG/memory.current")
	max=$(cat "$VH_CG/memory.max")
	oom=$(awk '$1 == "oom_kill" { print $2 }' "$VH_CG/memory.events")
	exec {HOLD[1]}>&-
	pinned=$(cat <&"${HOLD[0]}")
	wait "$hpid"
	echo "limit $((max >> 20)) MiB: client '$out', write_err_nomem" \
		"+$((nomem1 - nomem0)), oom_kill ${oom:-0}, peak $((peak >> 10)) KiB; $pinned" |
		tee "$VH_TMP/memcg"
	rmdir "$VH_CG" 2> /dev/null
	[ "$peak" -le "$max" ] || { fail "peak $peak above the limit $max"; return 1; }
	[ "$peak" -ge $((max / 2)) ] ||
		{ fail "the worker's frames were not charged: peak $peak of $max"; return 1; }
	[ $((nomem1 - nomem0)) -gt 0 ] || [ "${oom:-0}" -gt 0 ] ||
		fail "the limit never stopped a frame"
}

vh_cleanup() {
	ip netns del vtap
	ip netns del vgw 2> /dev/null
	rmdir "$VH_CG" 2> /dev/null
	rm -rf "$VH_TMP"
	true
}

t_run "vhost: setup vmgwv in vgw, tapv in vtap, vhost_net" vh_setup
t_run "vhost: ioctl ABI: features, owner, refusals, backends" \
	ip netns exec vgw python3 "$VH_PY" vmgwv
t_run "vhost: the client through /dev/vhost-net + TAP ($VH_N echo requests)" vh_tap
t_run "vhost: the client through /dev/vhost-vmgw + vmgw, no read()/write()" vh_vmgw
# Round trips per second of the same client on both (printed, not judged:
# one TCG boot is no benchmark).
python3 - "$VH_TMP" <<'PY' 2> /dev/null
import json, sys
r = {k: json.load(open(f"{sys.argv[1]}/{k}.json"))["replies_per_s"]
     for k in ("tap", "vmgw")}
print(f"# vhost client echo round trips/s: vhost-net+TAP {r['tap']:.0f}, "
      f"vhost-vmgw {r['vmgw']:.0f} ({r['vmgw'] / r['tap']:.2f}x)")
PY
# Guest -> host only: UDP datagrams through the tx virtqueue, frames/s
# the device took (vmgw drops them as unsupported UDP, the TAP's stack
# answers port unreachable): printed, not judged.
for vh_kind in tap vmgw; do
	if [ $vh_kind = tap ]; then
		vh_client vtap --tap tapv --udp 9999 --count 20000 --timeout 60
	else
		vh_client vgw --vmgw vmgwv --udp 9999 --count 20000 --timeout 60
	fi > /dev/null 2>&1 && cp "$VH_TMP/out" "$VH_TMP/udp-$vh_kind.json"
done
python3 - "$VH_TMP" <<'PY' 2> /dev/null
import json, sys
r = {}
for k in ("tap", "vmgw"):
    j = json.load(open(f"{sys.argv[1]}/udp-{k}.json"))
    r[k] = j["tx_used"] / j["seconds"]
print(f"# vhost client tx frames/s (UDP): vhost-net+TAP {r['tap']:.0f}, "
      f"vhost-vmgw {r['vmgw']:.0f} ({r['vmgw'] / r['tap']:.2f}x)")
PY
t_run "vhost: unsupported UDP dropped by the policy, nothing arrives" vh_udp
# A loop of two 60-byte descriptors hits the 128-piece bound of a chain
# before the queue-size bound (256): it is refused as vring_err_segs.
t_run "vhost: a looping chain" vh_hostile loop vring_err_segs
t_run "vhost: a buffer outside guest memory" vh_hostile outside vring_err_addr
t_run "vhost: lengths overflowing" vh_hostile len-overflow vring_err_len
t_run "vhost: indirect in indirect" vh_hostile indirect-nested vring_err_indirect
t_run "vhost: indirect with next" vh_hostile indirect-next vring_err_indirect
t_run "vhost: a head beyond the queue" vh_hostile head vring_err_head
t_run "vhost: an avail index jumping more than the queue size" vh_avail_jump
t_run "vhost: vmgwctl run vgw vmgwv vhost -- VMM {fd} {vhostfd}" vh_ctl_run
t_run "vhost: VMM killed mid-traffic" vh_kill
t_run "vhost: the worker's frames are charged to the owner's memcg" vh_memcg
sed 's/^/# vhost memcg: /' "$VH_TMP/memcg" 2> /dev/null
t_run "vhost: device, then netns deleted under a running vhost; rmmod refused" vh_del
t_run "vhost: cleanup" vh_cleanup
