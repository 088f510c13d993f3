#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh KO BIN EMU ROUNDS FRAMES DEVICES [PROFILE]: inside the test VM,
# measure vmgw against TAP and passt in one boot and print one "BENCH KEY
# ROUND VALUE" line per measurement (the host side turns them into a
# table). BIN holds framegen and tcprr, EMU is vmm-emu. With PROFILE 1,
# B1's TAP run and B2's batched run are also sampled with perf, and
# "BENCH-PROFILE KEY PART SHARE" lines say where the guest's busy time
# went (see profile()).
#
#   b1-vmgw  b1-tap      64-byte UDP to port 53, one write() per frame,
#                        delivered to the same listener (frames/s)
#   b2-vmgw              the same frames, VMGW_BATCH_MAX per write()
#   b2-drop              b3's frames, VMGW_BATCH_MAX per write()
#   b3-vmgw  b3-tap      64-byte UDP to port 9999: vmgw drops it in its
#                        poll, the stack behind TAP drops it (no socket)
#   b5-create-ms, b5-mem-bytes, b5-one, b5-many
#                        DEVICES devices: creation time, kernel memory per
#                        idle device, frames/s through one and through all
#   b4-{vmgw,tap,passt}-mbit, b4-*-rr
#                        a guest stack (TAP in a guest namespace, bridged
#                        by vmm-emu) sending TCP bulk (iperf3, Mbit/s) and
#                        1-byte TCP request/response (transactions/s) to a
#                        server behind vmgw (virtio-net header, offloads),
#                        plain TAP (the same), or passt (its stream socket,
#                        MTU 65520)
#   b7-{vmgw,tap}-udp, b7-*-cpu, b7-*-rr
#                        vhost: BIN/vhost-client (a VMM with vhost=on,
#                        guest memory and virtqueues of its own) sends
#                        98-byte UDP to port 53 through the tx virtqueue
#                        of /dev/vhost-vmgw + vmgw0 or /dev/vhost-net +
#                        tap0, to the same listener (frames/s; -cpu: busy
#                        CPU time of the whole VM per frame, in µs), and
#                        ICMP echo request/response, one at a time
#                        (round trips/s)
#   *-ok                 1 when every frame of the run was accounted for
set -u
ko=$1 bin=$2 EMU=$3 rounds=$4 frames=$5 ndev=$6 prof=${7:-0}
FG=$bin/framegen
RR=$bin/tcprr
B4_SECONDS=4
B4_TRANSACTIONS=2000

die() { echo "bench: $*"; exit 1; }
# snmp NS FIELD: a Udp counter of a namespace's /proc/net/snmp.
snmp() {
	ip netns exec "$1" awk -v f="$2" '$1 == "Udp:" && !n { for (i = 2; i <= NF; i++) h[i] = $i; n = 1; next }
		$1 == "Udp:" { for (i = 2; i <= NF; i++) if (h[i] == f) print $i }' /proc/net/snmp
}
stat_of() {
	ip netns exec "$1" ethtool -S "$2" | awk -v n="$3:" '$1 == n { print $2 }'
}
# run KEY ROUND NS CMD...: one framegen run; prints its rate and leaves
# the number of frames it sent (a multiple of the batch) in $sent.
run() {
	local key=$1 round=$2 ns=$3 out
	shift 3
	out=$(ip netns exec "$ns" "$FG" send "$@") || die "$key: framegen failed"
	sent=$(echo "$out" | awk '{ print $2 }')
	echo "BENCH $key $round $(echo "$out" | awk '{ print $6 }')"
}
# accounted KEY ROUND BEFORE AFTER: 1 when AFTER - BEFORE is every frame.
accounted() {
	echo "BENCH $1-ok $2 $(( $4 - $3 == sent ? 1 : 0 ))"
}
# busy_us: CPU time the VM spent not idle since boot, all CPUs, in µs.
busy_us() {
	awk '$1 == "cpu" { printf "%.0f\n", ($2 + $3 + $4 + $7 + $8 + $9) * 1000000 / '"$(getconf CLK_TCK)"'; exit }' /proc/stat
}
meminfo_kib() {
	awk '$1 == "Slab:" || $1 == "VmallocUsed:" || $1 == "Percpu:" { s += $2 } END { print s }' /proc/meminfo
}

insmod "$ko" || die "insmod"
modprobe tun || die "modprobe tun"
modprobe dummy || die "modprobe dummy"
ip link set lo up
sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
ulimit -n $((ndev + 64))

# vmgw0 in gw and TAP tap0 in tb: the same address, the same listener.
for ns in gw tb; do
	ip netns add $ns
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n $ns link set lo up
done
ip -n gw link add vmgw0 type vmgw || die "vmgw0"
ip -n tb tuntap add tap0 mode tap || die "tap0"
for p in "gw vmgw0" "tb tap0"; do
	set -- $p
	ip -n "$1" addr add 10.0.2.2/24 dev "$2" && ip -n "$1" link set "$2" up ||
		die "$2 setup"
	ip netns exec "$1" "$FG" sink --port 53 --seconds 3000 > /dev/null &
done
sleep 1

echo "# bench: B1-B3, $rounds rounds of $frames frames"
for r in $(seq 1 "$rounds"); do
	for p in "gw vmgw0 /dev/vmgw vmgw" "tb tap0 /dev/net/tun tap"; do
		set -- $p
		a=$(snmp "$1" InDatagrams)
		run "b1-$4" "$r" "$1" --path "$3" --dev "$2" --frames "$frames"
		sleep 0.5
		accounted "b1-$4" "$r" "$a" "$(snmp "$1" InDatagrams)"
	done
	a=$(snmp gw InDatagrams)
	run b2-vmgw "$r" gw --path /dev/vmgw --dev vmgw0 --frames "$frames" \
		--batch 64
	sleep 0.5
	accounted b2-vmgw "$r" "$a" "$(snmp gw InDatagrams)"

	a=$(stat_of gw vmgw0 rx_drop_udp_unsupported)
	run b3-vmgw "$r" gw --path /dev/vmgw --dev vmgw0 --frames "$frames" \
		--port 9999
	sleep 0.5
	accounted b3-vmgw "$r" "$a" "$(stat_of gw vmgw0 rx_drop_udp_unsupported)"
	a=$(stat_of gw vmgw0 rx_drop_udp_unsupported)
	run b2-drop "$r" gw --path /dev/vmgw --dev vmgw0 --frames "$frames" \
		--port 9999 --batch 64
	sleep 0.5
	accounted b2-drop "$r" "$a" "$(stat_of gw vmgw0 rx_drop_udp_unsupported)"
	a=$(snmp tb NoPorts)
	run b3-tap "$r" tb --path /dev/net/tun --dev tap0 --frames "$frames" \
		--port 9999
	sleep 0.5
	accounted b3-tap "$r" "$a" "$(snmp tb NoPorts)"
done

# profile KEY NS FRAMEGEN-ARGS...: one framegen run with perf sampling
# both vCPUs (cpu-clock: TCG has no hardware counters). Prints how busy
# the vCPUs were and, as shares of the busy (not idle) samples, including
# what each part calls:
#   busy   the busy samples, as a share of all (two vCPUs)
#   sink   the listener's recvmmsg()
#   write  the writer's write(), which includes the poll and the stack
#          when they run in its softirq (vmgw) or inline (tun)
#   alloc  the skb allocation in write()
#   vmgw   vmgw's NAPI poll, with the stack it hands frames to
#   stack  IPv4 receive up to the socket (ip_rcv or ip_list_rcv)
profile() {
	local key=$1 ns=$2 data=/tmp/$1.perf
	shift 2
	perf record -q -e cpu-clock -F 2000 -a -g -o "$data" -- \
		ip netns exec "$ns" "$FG" send "$@" > /dev/null 2>&1 ||
		{ echo "bench: perf record failed ($key)"; return 1; }
	perf report -i "$data" --children --sort sym --stdio -g none 2> /dev/null |
	awk -v key="$key" '
		$3 == "[k]" { v = $1; sub(/%/, "", v); c[$4] = v + 0 }
		END {
			idle = c["pv_native_safe_halt"] + c["native_safe_halt"]
			busy = 100 - idle
			if (busy <= 0)
				exit 1
			p["sink"] = c["__x64_sys_recvmmsg"]
			p["write"] = c["vfs_write"]
			p["alloc"] = c["alloc_skb_with_frags"]
			p["vmgw"] = c["vmgw_rx_poll"]
			p["stack"] = c["ip_rcv"] + c["ip_list_rcv"]
			printf "BENCH-PROFILE %s busy %.1f\n", key, busy
			for (k in p)
				printf "BENCH-PROFILE %s %s %.1f\n", key, k, 100 * p[k] / busy
		}' || { echo "bench: perf report gave nothing ($key)"; return 1; }
}

# B7: vhost. The client's frames come from the guest's tx virtqueue; the
# echo replies go back through its rx virtqueue.
echo "# bench: B7, vhost: $rounds rounds of $frames frames"
VC=$bin/vhost-client
modprobe vhost_net || die "modprobe vhost_net"
for p in "gw vmgw0" "tb tap0"; do
	set -- $p
	ip -n "$1" neigh replace 10.0.2.15 lladdr 02:00:00:00:00:15 dev "$2" \
		nud permanent || die "B7 neighbour on $2"
done
# b7 KEY ROUND NS DEV CLIENT-ARGS...: one client run; its JSON in /tmp/b7.
b7() {
	local key=$1 round=$2 ns=$3 dev=$4 mac
	shift 4
	mac=$(ip -n "$ns" -o link show dev "$dev" | sed 's/.*link\/ether \([^ ]*\).*/\1/')
	ip netns exec "$ns" "$VC" --dst-mac "$mac" "$@" > /tmp/b7 ||
		die "$key: vhost-client failed"
}
b7_json() { python3 -c "import json,sys; print(json.load(open('/tmp/b7'))[sys.argv[1]])" "$1"; }
for r in $(seq 1 "$rounds"); do
	for p in "gw vmgw0 /dev/vhost-vmgw --vmgw vmgw" \
		 "tb tap0 /dev/vhost-net --tap tap"; do
		set -- $p
		a=$(snmp "$1" InDatagrams)
		c0=$(busy_us)
		b7 "b7-$5" "$r" "$1" "$2" --vhost "$3" "$4" "$2" --udp 53 \
			--count "$frames" --timeout 600
		c1=$(busy_us)
		sleep 0.5
		sent=$(b7_json tx_used)
		[ "$sent" = "$frames" ] || die "b7-$5: $sent of $frames frames taken"
		echo "BENCH b7-$5-udp $r $(python3 -c "import json; j = json.load(open('/tmp/b7')); print(round(j['tx_used'] / j['seconds']))")"
		echo "BENCH b7-$5-cpu $r $(awk -v a="$c0" -v b="$c1" -v n="$frames" 'BEGIN { printf "%.2f", (b - a) / n }')"
		accounted "b7-$5" "$r" "$a" "$(snmp "$1" InDatagrams)"
		b7 "b7-$5" "$r" "$1" "$2" --vhost "$3" "$4" "$2" --window 1 \
			--count "$B4_TRANSACTIONS" --timeout 600
		[ "$(b7_json replies)" = "$B4_TRANSACTIONS" ] ||
			die "b7-$5: $(b7_json replies) of $B4_TRANSACTIONS replies"
		echo "BENCH b7-$5-rr $r $(b7_json replies_per_s)"
	done
done

if [ "$prof" = 1 ]; then
	echo "# bench: profiles of B1 (TAP) and B2 (vmgw, batched)"
	profile b1-tap tb --path /dev/net/tun --dev tap0 --frames "$frames" ||
		die "profile"
	profile b2-vmgw gw --path /dev/vmgw --dev vmgw0 --frames "$frames" \
		--batch 64 || die "profile"
fi

# b4_pair NAME: guest namespace g-NAME (TAP t0, 10.0.4.15/24) bridged by
# vmm-emu to a server namespace s-NAME reached at 10.0.4.2.
b4_pair() {
	local name=$1 i
	shift
	ip netns add "g-$name" && ip netns add "s-$name" || return 1
	for ns in "g-$name" "s-$name"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	case $name in
	vmgw)
		ip -n s-vmgw link add vmgw4 type vmgw &&
		ip -n s-vmgw addr add 10.0.4.2/24 dev vmgw4 &&
		ip -n s-vmgw link set vmgw4 up || return 1
		set -- --gw-netns s-vmgw --dev vmgw4 --vnet-hdr --hdr-len 12 ;;
	tap)
		set -- --gw-netns s-tap --dev tap4 --dev-path /dev/net/tun \
			--vnet-hdr --hdr-len 12 ;;
	passt)
		# passt needs a routable interface in its namespace.
		ip -n s-passt link add d0 type dummy &&
		ip -n s-passt addr add 192.0.2.1/24 dev d0 &&
		ip -n s-passt link set d0 up &&
		ip -n s-passt route add default via 192.0.2.254 || return 1
		# passt sandboxes itself (user namespace, tmpfs, pivot_root):
		# the test VM runs this in a real root (switch_root), not a
		# chroot, so the kernel lets it.
		ip netns exec s-passt passt -f -e --runas 65534:65534 \
			-s /tmp/passt.sock -a 10.0.4.15 -n 24 \
			-g 10.0.4.2 -m 65520 > /tmp/passt.log 2>&1 &
		for i in $(seq 1 300); do
			[ -S /tmp/passt.sock ] && break
			sleep 0.1
		done
		[ -S /tmp/passt.sock ] || { cat /tmp/passt.log; return 1; }
		set -- --stream /tmp/passt.sock ;;
	esac
	"$EMU" --guest-netns "g-$name" --tap t0 "$@" > "/tmp/emu-$name.out" \
		2> "/tmp/emu-$name.err" &
	for i in $(seq 1 50); do
		grep -q ready "/tmp/emu-$name.out" && break
		sleep 0.1
	done
	grep -q ready "/tmp/emu-$name.out" || { cat "/tmp/emu-$name.err"; return 1; }
	if [ "$name" = tap ]; then
		ip -n s-tap addr add 10.0.4.2/24 dev tap4 &&
		ip -n s-tap link set tap4 up || return 1
	fi
	[ "$name" = passt ] && ip -n g-passt link set t0 mtu 65520
	ip -n "g-$name" addr add 10.0.4.15/24 dev t0 &&
	ip -n "g-$name" link set t0 up || return 1
	ip netns exec "s-$name" iperf3 -s -D -p 5201 &&
	ip netns exec "s-$name" "$RR" server 5300 &
	sleep 1
	ip netns exec "g-$name" ping -c 1 -W 5 10.0.4.2 > /dev/null ||
		ip netns exec "g-$name" "$RR" client 10.0.4.2 5300 1 > /dev/null
}

echo "# bench: B4, TCP through vmgw, TAP and passt"
b4=
for b in vmgw tap passt; do
	b4_pair $b || die "B4 $b setup"
	b4="$b4 $b"
done
for r in $(seq 1 "$rounds"); do
	for b in $b4; do
		m=$(ip netns exec "g-$b" iperf3 -c 10.0.4.2 -p 5201 \
			-t "$B4_SECONDS" -f m | awk '/sender/ { print $7 }')
		[ -n "$m" ] || die "B4 $b: iperf3 failed"
		echo "BENCH b4-$b-mbit $r $m"
		m=$(ip netns exec "g-$b" "$RR" client 10.0.4.2 5300 \
			"$B4_TRANSACTIONS" | awk '{ print $6 }')
		[ -n "$m" ] || die "B4 $b: tcprr failed"
		echo "BENCH b4-$b-rr $r $m"
	done
done

echo "# bench: B5, $ndev devices"
ip netns add many
ip netns exec many sysctl -qw net.ipv6.conf.default.disable_ipv6=1
seq 0 $((ndev - 1)) | sed 's/^/link add vmgwm/; s/$/ type vmgw/' > /tmp/add
seq 0 $((ndev - 1)) | sed 's/^/link set vmgwm/; s/$/ up/' > /tmp/up
sync
sleep 1
m0=$(meminfo_kib)
t0=$(date +%s%N)
ip -n many -batch /tmp/add || die "creating $ndev devices"
t1=$(date +%s%N)
sleep 2
m1=$(meminfo_kib)
echo "BENCH b5-create-ms 1 $(( (t1 - t0) / 1000000 ))"
echo "BENCH b5-mem-bytes 1 $(( (m1 - m0) * 1024 / ndev ))"
ip -n many -batch /tmp/up || die "setting $ndev devices up"
for r in $(seq 1 "$rounds"); do
	run b5-one "$r" many --dev vmgwm0 --frames "$frames" --port 9999
	run b5-many "$r" many --dev vmgwm --devs "$ndev" --frames "$frames" \
		--port 9999
done
echo "# bench: done"
