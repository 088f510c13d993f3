# SPDX-License-Identifier: GPL-2.0
# Malformed guest frames through /dev/vmgw (malformed.py): thousands of cut,
# random, mutated frames and lying virtio-net headers, with and without a
# vnet header. Every write is refused with EINVAL or accounted for, and the
# kernel log stays clean.

E2E=$(dirname "${BASH_SOURCE[0]}")/..
MF_OUT=$(mktemp)

mf_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	ip netns add mgw && ip -n mgw link set lo up &&
	ip link add vmgw0 netns mgw address 02:00:00:00:00:02 type vmgw &&
	ip -n mgw addr add 10.0.2.2/24 dev vmgw0 &&
	ip -n mgw addr add fd00::2/64 dev vmgw0 nodad &&
	ip -n mgw link set vmgw0 up
}

# The seed is printed, so that a failure can be replayed.
mf_frames() {
	local seed=$(( $(date +%s) % 100000 ))
	echo "seed $seed" > "$MF_OUT"
	ip netns exec mgw python3 "$E2E/malformed.py" vmgw0 "$seed" >> "$MF_OUT"
}

mf_cleanup() {
	ip netns del mgw
	# The device goes with its namespace; then the module must unload.
	local i
	for i in $(seq 1 50); do
		rmmod vmgw 2> /dev/null && break
		sleep 0.1
	done
	! lsmod | grep -q '^vmgw ' || fail "vmgw did not unload"
}

t_run "malformed: setup vmgw0 in mgw" mf_setup
t_run "malformed: cut/random/mutated frames, lying vnet headers: refused or accounted" mf_frames
sed 's/^/#   /' "$MF_OUT"
rm -f "$MF_OUT"
t_run "malformed: no kernel warning, bug or sanitizer report" no_kernel_reports
t_run "malformed: namespace deleted, module unloads" mf_cleanup
