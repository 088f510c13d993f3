/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vmgw.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_VMGW_NETLINK_H
#define _UAPI_LINUX_VMGW_NETLINK_H

#define VMGW_FAMILY_NAME	"vmgw"
#define VMGW_FAMILY_VERSION	1

#define VMGW_RING_SIZE_MIN	16
#define VMGW_RING_SIZE_MAX	16384
#define VMGW_FLOW_CAP_MAX	1048576
#define VMGW_FLOW_TIMEOUT_LIMIT	604800
#define VMGW_GUEST_IPV6_MAX	4
#define VMGW_RESOLVERS_MAX	16
#define VMGW_ALLOW_HOST_MAX	64
#define VMGW_HOSTNAME_LEN_MAX	253

/**
 * enum vmgw_policy_mode - What passes once the floor and the deny rules did
 *   not stop a frame.
 * @VMGW_POLICY_MODE_OPEN: Everything but UDP that is neither DNS, DHCP nor
 *   allowed by a rule. The mode of a new device.
 * @VMGW_POLICY_MODE_ALLOWLIST: Only what an allow rule or a DNS-learned
 *   address (of an allowed host) allows; a refused TCP SYN is answered with a
 *   RST.
 */
enum vmgw_policy_mode {
	VMGW_POLICY_MODE_OPEN,
	VMGW_POLICY_MODE_ALLOWLIST,
};

/**
 * enum vmgw_floor_mode - Destinations denied before any rule is looked at.
 * @VMGW_FLOOR_MODE_DEFAULT: 169.254.0.0/16 (link-local, cloud metadata) and
 *   fe80::/10. The floor of a new device.
 * @VMGW_FLOOR_MODE_STRICT: The default, plus RFC 1918, loopback, CGNAT
 *   (100.64.0.0/10), 0.0.0.0/8 and ULA (fc00::/7).
 * @VMGW_FLOOR_MODE_OFF: Nothing; the rules decide alone.
 */
enum vmgw_floor_mode {
	VMGW_FLOOR_MODE_DEFAULT,
	VMGW_FLOOR_MODE_STRICT,
	VMGW_FLOOR_MODE_OFF,
};

/**
 * enum vmgw_unset - Settings a dev-set request returns to their defaults.
 * @VMGW_UNSET_GUEST_MAC: Source MACs are no longer checked.
 * @VMGW_UNSET_GUEST_IPV4: IPv4 sources are no longer checked.
 * @VMGW_UNSET_GUEST_IPV6: IPv6 sources are no longer checked.
 * @VMGW_UNSET_RESOLVERS: DNS to any server passes.
 * @VMGW_UNSET_ALLOW_HOSTS: Nothing is learned from DNS answers; learned
 *   addresses go.
 */
enum vmgw_unset {
	VMGW_UNSET_GUEST_MAC = 1,
	VMGW_UNSET_GUEST_IPV4 = 2,
	VMGW_UNSET_GUEST_IPV6 = 4,
	VMGW_UNSET_RESOLVERS = 8,
	VMGW_UNSET_ALLOW_HOSTS = 16,
};

/**
 * enum vmgw_rule_action
 * @VMGW_RULE_ACTION_ALLOW: Frames matching the rule pass (in allowlist mode).
 * @VMGW_RULE_ACTION_DENY: Frames matching the rule are dropped (deny rules
 *   win).
 */
enum vmgw_rule_action {
	VMGW_RULE_ACTION_ALLOW,
	VMGW_RULE_ACTION_DENY,
};

/**
 * enum vmgw_flow_state
 * @VMGW_FLOW_STATE_SYN: Opened by a SYN, no ACK seen yet.
 * @VMGW_FLOW_STATE_ESTABLISHED: An ACK was seen.
 * @VMGW_FLOW_STATE_FIN: A FIN was seen (either way).
 * @VMGW_FLOW_STATE_CLOSED: A RST was seen (either way).
 */
enum vmgw_flow_state {
	VMGW_FLOW_STATE_SYN,
	VMGW_FLOW_STATE_ESTABLISHED,
	VMGW_FLOW_STATE_FIN,
	VMGW_FLOW_STATE_CLOSED,
};

enum {
	VMGW_A_DEV_IFINDEX = 1,
	VMGW_A_DEV_IFNAME,
	VMGW_A_DEV_NETNS_FD,
	VMGW_A_DEV_NETNS_ID,
	VMGW_A_DEV_ATTACHED,
	VMGW_A_DEV_MTU,
	VMGW_A_DEV_MIN_MTU,
	VMGW_A_DEV_MAX_MTU,
	VMGW_A_DEV_G2H_RING_SIZE,
	VMGW_A_DEV_H2G_RING_SIZE,
	VMGW_A_DEV_GUEST_MAC,
	VMGW_A_DEV_GUEST_IPV4,
	VMGW_A_DEV_GUEST_IPV6,
	VMGW_A_DEV_POLICY_MODE,
	VMGW_A_DEV_FLOOR,
	VMGW_A_DEV_FLOW_CAP,
	VMGW_A_DEV_FLOW_TIMEOUT_SYN,
	VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED,
	VMGW_A_DEV_FLOW_TIMEOUT_FIN,
	VMGW_A_DEV_FLOW_TIMEOUT_CLOSED,
	VMGW_A_DEV_RESOLVER_IPV4,
	VMGW_A_DEV_RESOLVER_IPV6,
	VMGW_A_DEV_ALLOW_HOST,
	VMGW_A_DEV_UNSET,
	VMGW_A_DEV_FLOW_COUNT,

	__VMGW_A_DEV_MAX,
	VMGW_A_DEV_MAX = (__VMGW_A_DEV_MAX - 1)
};

enum {
	VMGW_A_RULE_IFINDEX = 1,
	VMGW_A_RULE_IFNAME,
	VMGW_A_RULE_NETNS_FD,
	VMGW_A_RULE_NETNS_ID,
	VMGW_A_RULE_ACTION,
	VMGW_A_RULE_IPV4,
	VMGW_A_RULE_IPV6,
	VMGW_A_RULE_PREFIX_LEN,
	VMGW_A_RULE_PROTO,
	VMGW_A_RULE_PORT_MIN,
	VMGW_A_RULE_PORT_MAX,
	VMGW_A_RULE_ALL,

	__VMGW_A_RULE_MAX,
	VMGW_A_RULE_MAX = (__VMGW_A_RULE_MAX - 1)
};

enum {
	VMGW_A_FLOW_IFINDEX = 1,
	VMGW_A_FLOW_IFNAME,
	VMGW_A_FLOW_NETNS_FD,
	VMGW_A_FLOW_NETNS_ID,
	VMGW_A_FLOW_GUEST_IPV4,
	VMGW_A_FLOW_PEER_IPV4,
	VMGW_A_FLOW_GUEST_IPV6,
	VMGW_A_FLOW_PEER_IPV6,
	VMGW_A_FLOW_GUEST_PORT,
	VMGW_A_FLOW_PEER_PORT,
	VMGW_A_FLOW_STATE,
	VMGW_A_FLOW_EXPIRES_MS,

	__VMGW_A_FLOW_MAX,
	VMGW_A_FLOW_MAX = (__VMGW_A_FLOW_MAX - 1)
};

enum {
	VMGW_A_STATS_IFINDEX = 1,
	VMGW_A_STATS_IFNAME,
	VMGW_A_STATS_NETNS_FD,
	VMGW_A_STATS_NETNS_ID,
	VMGW_A_STATS_RX_PACKETS,
	VMGW_A_STATS_RX_BYTES,
	VMGW_A_STATS_TX_PACKETS,
	VMGW_A_STATS_TX_BYTES,
	VMGW_A_STATS_COUNTER,
	VMGW_A_STATS_PAD,

	__VMGW_A_STATS_MAX,
	VMGW_A_STATS_MAX = (__VMGW_A_STATS_MAX - 1)
};

enum {
	VMGW_A_COUNTER_NAME = 1,
	VMGW_A_COUNTER_VALUE,
	VMGW_A_COUNTER_PAD,

	__VMGW_A_COUNTER_MAX,
	VMGW_A_COUNTER_MAX = (__VMGW_A_COUNTER_MAX - 1)
};

enum {
	VMGW_A_EVENT_IFINDEX = 1,
	VMGW_A_EVENT_IFNAME,
	VMGW_A_EVENT_REASON,
	VMGW_A_EVENT_CLASS,
	VMGW_A_EVENT_PROTO,
	VMGW_A_EVENT_SRC_IPV4,
	VMGW_A_EVENT_DST_IPV4,
	VMGW_A_EVENT_SRC_IPV6,
	VMGW_A_EVENT_DST_IPV6,
	VMGW_A_EVENT_SRC_PORT,
	VMGW_A_EVENT_DST_PORT,
	VMGW_A_EVENT_SUPPRESSED,

	__VMGW_A_EVENT_MAX,
	VMGW_A_EVENT_MAX = (__VMGW_A_EVENT_MAX - 1)
};

enum {
	VMGW_CMD_DEV_GET = 1,
	VMGW_CMD_DEV_SET,
	VMGW_CMD_DEV_ATTACH_NTF,
	VMGW_CMD_DEV_DETACH_NTF,
	VMGW_CMD_RULE_ADD,
	VMGW_CMD_RULE_DEL,
	VMGW_CMD_RULE_GET,
	VMGW_CMD_FLOW_GET,
	VMGW_CMD_STATS_GET,
	VMGW_CMD_DENY_NTF,

	__VMGW_CMD_MAX,
	VMGW_CMD_MAX = (__VMGW_CMD_MAX - 1)
};

#define VMGW_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_VMGW_NETLINK_H */
