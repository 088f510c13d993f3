# SPDX-License-Identifier: GPL-2.0
# A hostile guest and a busy host: TUNGETIFF after a rename, what an
# unprivileged user namespace may configure, a
# memory cgroup limit on the VMM's writes, a SYN flood against a full flow
# table next to a legitimate flow, and poll() wakeups with both rings full
# on both vCPUs of a loaded VM.

H_E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
H_PIN="python3 $H_E2E/hostile/pin.py"
H_STRESS=$H_E2E/../vmm-emu/wakeup-stress
H_TMP=$(mktemp -d)
H_CG=/sys/fs/cgroup/vmgw-hostile
H_CTL=$(cd "$H_E2E/../../.." && pwd)/tools/vmgwctl/vmgwctl
# What the cases measured: printed after them (t_run keeps a passing
# case's output to itself).
H_BENCH=$H_TMP/bench

h_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	ip netns add hgw || return 1
	ip -n hgw link set lo up &&
	ip link add vmgw0 netns hgw address 02:00:00:00:00:02 type vmgw &&
	ip -n hgw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n hgw link set vmgw0 up
}

# TUNGETIFF names the device as it is called now, not at attach time.
h_getiff_rename() {
	local line1 line2
	coproc GIF { ip netns exec hgw $H_PIN getiff vmgw0; }
	local pid=$GIF_PID
	read -r -t 30 line1 <&"${GIF[0]}"
	ip -n hgw link set vmgw0 down &&
	ip -n hgw link set vmgw0 name vmgw7 || { kill "$pid"; return 1; }
	echo >&"${GIF[1]}"
	read -r -t 30 line2 <&"${GIF[0]}"
	echo >&"${GIF[1]}"
	wait "$pid"
	ip -n hgw link set vmgw7 name vmgw0 && ip -n hgw link set vmgw0 up ||
		{ fail "renaming back failed"; return 1; }
	[ "$line1" = vmgw0 ] || { fail "TUNGETIFF before: '$line1'"; return 1; }
	[ "$line2" = vmgw7 ] ||
		{ fail "TUNGETIFF after the rename: '$line2', want vmgw7"; return 1; }
}

# A user without host privileges, root only in a user namespace of its
# own: may create a device and attach to it, but rings stay within 1024
# frames and the flow cap within 65536.
h_userns_limits() {
	local out
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urn sh -c '
		ip link add vmgw0 type vmgw || exit 10
		ip link set vmgw0 up || exit 11
		if ethtool -G vmgw0 rx 2048 2> /dev/null; then exit 12; fi
		if ethtool -G vmgw0 tx 16384 2> /dev/null; then exit 13; fi
		ethtool -G vmgw0 rx 1024 tx 1024 || exit 14
		if '"$H_CTL"' dev set vmgw0 g2h-ring 4096 2> /dev/null; then
			exit 15
		fi
		if '"$H_CTL"' dev set vmgw0 flow-cap 100000 2> /dev/null; then
			exit 16
		fi
		'"$H_CTL"' dev set vmgw0 flow-cap 65536 || exit 17
		python3 -c "
import sys; sys.path.insert(0, \"'"$H_E2E"'\")
import chrdev; fd = chrdev.open_dev(); chrdev.attach(fd, \"vmgw0\")
print(\"attached\")" || exit 18
		ethtool -g vmgw0 | grep -c 1024' 2>&1)
	local rc=$?
	[ $rc -eq 0 ] || { fail "as an unprivileged user: exit $rc: $out"; return 1; }
	printf '%s\n' "$out" | grep -qx attached ||
		{ fail "no attach in the user namespace: $out"; return 1; }
	echo "unprivileged user namespace: ethtool -G above 1024 and" \
		"flow-cap above 65536 refused, attach works" >> "$H_BENCH"
}

h_cg_mount() {
	[ -f /sys/fs/cgroup/cgroup.controllers ] ||
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
		{ fail "no memory controller"; return 1; }
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2> /dev/null
	mkdir -p "$H_CG" && echo $((32 << 20)) > "$H_CG/memory.max" &&
		{ echo 0 > "$H_CG/memory.swap.max"; true; } 2> /dev/null
}

# The VMM's writes are charged to its memory cgroup: with a socket
# pinning every frame, the cgroup's limit stops the writes (ENOMEM or the
# cgroup's OOM killer), the pinned memory stays within it.
h_memcg() {
	local line out peak max oom=0 nomem0 nomem1 pinned
	h_cg_mount || return 1
	ip -n hgw link set vmgw0 mtu 9000 || return 1
	coproc HOLD { ip netns exec hgw $H_PIN hold vmgw0; }
	local hpid=$HOLD_PID
	read -r -t 30 line <&"${HOLD[0]}"
	[ "$line" = ready ] || { fail "hold: '$line'"; return 1; }
	nomem0=$(stat_of hgw vmgw0 write_err_nomem)
	out=$(sh -c "echo \$\$ > $H_CG/cgroup.procs &&
		exec ip netns exec hgw $H_PIN write vmgw0 6000 9000" 2>&1)
	nomem1=$(stat_of hgw vmgw0 write_err_nomem)
	peak=$(cat "$H_CG/memory.peak" 2> /dev/null ||
		cat "$H_CG/memory.current")
	max=$(cat "$H_CG/memory.max")
	oom=$(awk '$1 == "oom_kill" { print $2 }' "$H_CG/memory.events")
	exec {HOLD[1]}>&-
	pinned=$(cat <&"${HOLD[0]}")
	wait "$hpid"
	ip -n hgw link set vmgw0 mtu 1500
	echo "BENCH memcg: limit $((max >> 20)) MiB: writer '$out'," \
		"write_err_nomem +$((nomem1 - nomem0)), oom_kill ${oom:-0}," \
		"peak $((peak >> 10)) KiB; $pinned" | tee -a "$H_BENCH"
	[ "$peak" -le "$max" ] || { fail "peak $peak above the limit $max"; return 1; }
	[ "$peak" -ge $((max / 2)) ] ||
		{ fail "the writes were not charged: peak $peak of $max"; return 1; }
	[ $((nomem1 - nomem0)) -gt 0 ] || [ "${oom:-0}" -gt 0 ] ||
		{ fail "the limit never stopped a write"; return 1; }
}

# softirq time of all CPUs so far, in USER_HZ ticks
h_softirq_ticks() {
	awk '$1 == "cpu" { print $8 }' /proc/stat
}

# A flood of SYNs from distinct ports keeps the flow table full while
# echo requests, the legitimate flow, go on through the same queue. The
# VMM (pin.py flood) writes both on /dev/vmgw and reads the RSTs and the
# replies. The numbers are printed (and go in the report), not asserted:
# timings under TCG on a shared host.
h_syn_flood() {
	local out base during tail s0 s1 syn0 syn1 cap0 cap1 t0 t1 flows
	"$H_CTL" -n hgw dev set vmgw0 flow-cap 4096 || return 1
	ip -n hgw neigh replace 10.0.2.15 lladdr 02:00:00:00:00:15 \
		dev vmgw0 nud permanent || return 1
	syn0=$(stat_of hgw vmgw0 rx_class_tcp_syn)
	cap0=$(stat_of hgw vmgw0 rx_drop_flow_cap)
	s0=$(h_softirq_ticks) t0=$(date +%s%N)
	out=$(ip netns exec hgw $H_PIN flood vmgw0 5 20) ||
		{ fail "flood: $out"; return 1; }
	s1=$(h_softirq_ticks) t1=$(date +%s%N)
	syn1=$(stat_of hgw vmgw0 rx_class_tcp_syn)
	cap1=$(stat_of hgw vmgw0 rx_drop_flow_cap)
	flows=$(stat_of hgw vmgw0 flows)
	base=$(printf '%s\n' "$out" | sed -n 1p)
	during=$(printf '%s\n' "$out" | sed -n 2p)
	tail=$(printf '%s\n' "$out" | sed -n 3p)
	{
	echo "BENCH syn-flood: $(( (syn1 - syn0) / 20 )) SYN/s through the" \
		"gateway for 20 s ($((syn1 - syn0)) SYNs), refused for the" \
		"cap $((cap1 - cap0)), flows $flows/4096; softirq" \
		"$(( (s1 - s0) * 10000000 / ((syn1 - syn0) + 1) )) ns per SYN" \
		"(all softirq time of the VM over the 25 s, USER_HZ=100)"
	echo "BENCH syn-flood: echo RTT ms, sorted, 5 s alone: [$base]"
	echo "BENCH syn-flood: echo RTT ms, sorted, 20 s flood: [$during]"
	echo "BENCH syn-flood: $tail"
	} | tee -a "$H_BENCH"
	[ "$flows" -eq 4096 ] || { fail "flow table not full: $flows"; return 1; }
	[ $((cap1 - cap0)) -gt 0 ] || { fail "no SYN refused for the cap"; return 1; }
	local answered lost_base lost_flood
	answered=$(printf '%s\n' "$during" | wc -w)
	read -r _ _ _ lost_base lost_flood <<< "$tail"
	[ "$lost_base" = 0 ] || { fail "echo lost without a flood: $tail"; return 1; }
	[ "$answered" -ge 20 ] && [ $((lost_flood * 20)) -le "$answered" ] ||
		{ fail "the echo flow did not go on: $answered answered, $tail"; return 1; }
}

# Both rings near full for 20 s, poll()-driven, on both vCPUs while two
# busy loops load them: every frame arrives in order, no poll() sleeps
# through its wakeup, none waits longer than 5 s. A plain FIFO qdisc: the
# default fq_codel drops frames that wait in it (CoDel), which the stopped
# tx queue makes them do.
h_wakeup_stress() {
	local hogs=() i rc
	ip netns exec hgw ethtool -G vmgw0 rx 64 tx 64 || return 1
	ip netns exec hgw tc qdisc replace dev vmgw0 root pfifo limit 10000 ||
		return 1
	for i in 1 2; do
		sh -c 'while :; do :; done' &
		hogs+=($!)
	done
	"$H_STRESS" --gw-netns hgw --dev vmgw0 --secs 20 --window 128 \
		--stall-ms 5000 > "$H_TMP/stress" 2>&1
	rc=$?
	kill "${hogs[@]}" 2> /dev/null
	wait "${hogs[@]}" 2> /dev/null
	ip netns exec hgw tc -s qdisc show dev vmgw0 | grep -m1 dropped >> \
		"$H_TMP/stress"
	sed 's/^/BENCH wakeup-stress: /' "$H_TMP/stress" | tee -a "$H_BENCH"
	ip netns exec hgw tc qdisc del dev vmgw0 root
	ip netns exec hgw ethtool -G vmgw0 rx 1024 tx 1024
	[ $rc -eq 0 ] || { fail "wakeup-stress exit $rc"; return 1; }
}

h_cleanup() {
	local rc=0
	rmdir "$H_CG" 2> /dev/null
	ip netns del hgw 2> /dev/null
	no_kernel_reports || rc=1
	return $rc
}

t_run "hostile: setup" h_setup
t_run "hostile: TUNGETIFF names the device after a rename" h_getiff_rename
t_run "hostile: unprivileged user namespace: rings <= 1024, flow cap <= 65536" h_userns_limits
t_run "hostile: a memcg limit on the VMM bounds what its writes pin" h_memcg
t_run "hostile: SYN flood on a full flow table, a legitimate flow goes on" h_syn_flood
t_run "hostile: poll() wakeups with both rings full for 20 s on a loaded VM" h_wakeup_stress
t_run "hostile: cleanup, kernel log clean" h_cleanup
sed 's/^/#   /' "$H_BENCH" 2> /dev/null
rm -rf "$H_TMP"
