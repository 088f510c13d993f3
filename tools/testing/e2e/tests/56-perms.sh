# SPDX-License-Identifier: GPL-2.0
# Permissions: a real non-root user (uid and gid 4242, no passwd entry: the
# guest root is the host's, read-only) may open /dev/vmgw (mode 0666, as
# tun) and read counters, but cannot attach the file, change the device
# over rtnetlink, ethtool or generic netlink, or read the policy.

E2E=$(dirname "${BASH_SOURCE[0]}")/..
VMGWCTL=$E2E/../../vmgwctl/vmgwctl
P_USER="setpriv --reuid=4242 --regid=4242 --clear-groups --inh-caps=-all --bounding-set=-all"
P_NS=perm

# p_as CMD...: CMD as the user, inside the namespace of the device.
p_as() { ip netns exec "$P_NS" $P_USER "$@"; }

p_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	ip netns add "$P_NS" &&
	ip link add vmgw0 netns "$P_NS" type vmgw &&
	ip -n "$P_NS" link set vmgw0 up || return 1
	# A rule the user must neither see nor change.
	ip netns exec "$P_NS" "$VMGWCTL" rule add vmgw0 allow 192.0.2.0/24 \
		proto tcp port 443 || return 1
	[ "$(p_as id -u)" = 4242 ] || fail "setpriv: uid $(p_as id -u)" || return 1
	p_as grep -q '^CapEff:[[:space:]]*0*$' /proc/self/status ||
		fail "the user kept capabilities: $(p_as grep Cap /proc/self/status)"
}

p_chrdev() {
	p_as python3 -c "
import errno, sys
sys.path.insert(0, '$E2E')
import chrdev
fd = chrdev.open_dev()
chrdev.expect_errno(errno.EPERM, lambda: chrdev.attach(fd, 'vmgw0'),
                    'TUNSETIFF as uid 4242')
chrdev.expect_errno(errno.EBADFD, lambda: __import__('os').write(fd, chrdev.eth_frame(60)),
                    'write on the unattached file')
" || return 1
	[ "$(cat /sys/class/net/vmgw0/carrier 2> /dev/null ||
		ip netns exec "$P_NS" cat /sys/class/net/vmgw0/carrier)" = 0 ] ||
		fail "the device has a carrier: something attached"
}

p_rtnl() {
	expect_err 'Operation not permitted' p_as ip link add vmgw1 type vmgw &&
	expect_err 'Operation not permitted' p_as ip link set vmgw0 mtu 1400 &&
	expect_err 'Operation not permitted' p_as ip link set vmgw0 down &&
	expect_err 'Operation not permitted' p_as ip link del vmgw0 &&
	expect_err 'Operation not permitted' p_as ethtool -G vmgw0 rx 64 &&
	link_exists "$P_NS" vmgw0 &&
	[ "$(ip -n "$P_NS" -o link show vmgw0 | grep -o 'mtu [0-9]*')" = "mtu 1500" ] ||
		fail "the device changed"
}

p_genl() {
	local out
	expect_err 'Operation not permitted' p_as "$VMGWCTL" dev add vmgw2 &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" dev set vmgw0 mtu 1400 &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" dev set vmgw0 mode allowlist &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" rule add vmgw0 allow 0.0.0.0/0 &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" rule del vmgw0 allow 192.0.2.0/24 proto tcp port 443 &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" rule del vmgw0 all &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" dev del vmgw0 || return 1
	link_exists "$P_NS" vmgw0 || fail "the device is gone" || return 1
	out=$(ip netns exec "$P_NS" "$VMGWCTL" rule show vmgw0 2>&1) ||
		fail "rule show as root: $out" || return 1
	[ "$(printf '%s\n' "$out" | grep -c 'ipv4 192.0.2.0 prefix-len 24 proto tcp port-min 443 port-max 443')" = 1 ] ||
		fail "rules changed: $out"
}

p_read_policy() {
	local out
	expect_err 'Operation not permitted' p_as "$VMGWCTL" rule show &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" rule show vmgw0 &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" flow show vmgw0 &&
	expect_err 'Operation not permitted' p_as "$VMGWCTL" monitor count 1 ||
		return 1
	# What the user may read reveals no policy.
	out=$(p_as "$VMGWCTL" -j dev show vmgw0) || return 1
	! printf '%s\n' "$out" | grep -Eq '192\.0\.2|443|allow|rule' ||
		fail "dev show tells the user about the policy: $out"
}

p_cleanup() {
	ip netns del "$P_NS"
}

t_run "perms: setup, uid 4242 without capabilities" p_setup
t_run "perms: /dev/vmgw opens, TUNSETIFF is EPERM for the user" p_chrdev
t_run "perms: rtnetlink and ethtool changes are EPERM for the user" p_rtnl
t_run "perms: generic netlink changes are EPERM for the user" p_genl
t_run "perms: rules, flows and events are EPERM for the user" p_read_policy
t_run "perms: cleanup" p_cleanup
