// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vmgw.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/vmgw_netlink.h>

/* VMGW_CMD_DEV_GET - do */
const struct nla_policy vmgw_dev_get_nl_policy[VMGW_A_DEV_NETNS_ID + 1] = {
	[VMGW_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_DEV_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_DEV_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
};

/* VMGW_CMD_DEV_SET - do */
const struct nla_policy vmgw_dev_set_nl_policy[VMGW_A_DEV_UNSET + 1] = {
	[VMGW_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_DEV_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_DEV_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
	[VMGW_A_DEV_MTU] = { .type = NLA_U32, },
	[VMGW_A_DEV_G2H_RING_SIZE] = NLA_POLICY_RANGE(NLA_U32, VMGW_RING_SIZE_MIN, VMGW_RING_SIZE_MAX),
	[VMGW_A_DEV_H2G_RING_SIZE] = NLA_POLICY_RANGE(NLA_U32, VMGW_RING_SIZE_MIN, VMGW_RING_SIZE_MAX),
	[VMGW_A_DEV_GUEST_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VMGW_A_DEV_GUEST_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_DEV_GUEST_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_DEV_POLICY_MODE] = NLA_POLICY_MAX(NLA_U32, 1),
	[VMGW_A_DEV_FLOOR] = NLA_POLICY_MAX(NLA_U32, 2),
	[VMGW_A_DEV_FLOW_CAP] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_FLOW_TIMEOUT_SYN] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_FLOW_TIMEOUT_FIN] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_FLOW_TIMEOUT_CLOSED] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_DEV_RESOLVER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_DEV_RESOLVER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_DEV_ALLOW_HOST] = { .type = NLA_STRING, .len = VMGW_HOSTNAME_LEN_MAX, },
	[VMGW_A_DEV_UNSET] = NLA_POLICY_MASK(NLA_U32, 0x1f),
};

/* VMGW_CMD_RULE_ADD - do */
const struct nla_policy vmgw_rule_add_nl_policy[VMGW_A_RULE_PORT_MAX + 1] = {
	[VMGW_A_RULE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_RULE_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_RULE_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_RULE_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
	[VMGW_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[VMGW_A_RULE_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_RULE_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_RULE_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VMGW_A_RULE_PROTO] = { .type = NLA_U8, },
	[VMGW_A_RULE_PORT_MIN] = { .type = NLA_U16, },
	[VMGW_A_RULE_PORT_MAX] = { .type = NLA_U16, },
};

/* VMGW_CMD_RULE_DEL - do */
const struct nla_policy vmgw_rule_del_nl_policy[VMGW_A_RULE_ALL + 1] = {
	[VMGW_A_RULE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_RULE_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_RULE_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_RULE_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
	[VMGW_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[VMGW_A_RULE_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_RULE_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_RULE_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VMGW_A_RULE_PROTO] = { .type = NLA_U8, },
	[VMGW_A_RULE_PORT_MIN] = { .type = NLA_U16, },
	[VMGW_A_RULE_PORT_MAX] = { .type = NLA_U16, },
	[VMGW_A_RULE_ALL] = { .type = NLA_FLAG, },
};

/* VMGW_CMD_RULE_GET - do */
const struct nla_policy vmgw_rule_get_nl_policy[VMGW_A_RULE_PORT_MAX + 1] = {
	[VMGW_A_RULE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_RULE_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_RULE_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_RULE_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
	[VMGW_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U32, 1),
	[VMGW_A_RULE_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_RULE_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_RULE_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VMGW_A_RULE_PROTO] = { .type = NLA_U8, },
	[VMGW_A_RULE_PORT_MIN] = { .type = NLA_U16, },
	[VMGW_A_RULE_PORT_MAX] = { .type = NLA_U16, },
};

/* VMGW_CMD_FLOW_GET - do */
const struct nla_policy vmgw_flow_get_nl_policy[VMGW_A_FLOW_PEER_PORT + 1] = {
	[VMGW_A_FLOW_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_FLOW_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_FLOW_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_FLOW_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
	[VMGW_A_FLOW_GUEST_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_FLOW_PEER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[VMGW_A_FLOW_GUEST_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_FLOW_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[VMGW_A_FLOW_GUEST_PORT] = { .type = NLA_U16, },
	[VMGW_A_FLOW_PEER_PORT] = { .type = NLA_U16, },
};

/* VMGW_CMD_STATS_GET - do */
const struct nla_policy vmgw_stats_get_nl_policy[VMGW_A_STATS_NETNS_ID + 1] = {
	[VMGW_A_STATS_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMGW_A_STATS_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMGW_A_STATS_NETNS_FD] = { .type = NLA_U32, },
	[VMGW_A_STATS_NETNS_ID] = NLA_POLICY_MIN(NLA_S32, 0),
};

/* Ops table for vmgw */
const struct genl_ops vmgw_nl_ops[7] = {
	{
		.cmd		= VMGW_CMD_DEV_GET,
		.doit		= vmgw_nl_dev_get_doit,
		.dumpit		= vmgw_nl_dev_get_dumpit,
		.policy		= vmgw_dev_get_nl_policy,
		.maxattr	= VMGW_A_DEV_NETNS_ID,
	},
	{
		.cmd		= VMGW_CMD_DEV_SET,
		.doit		= vmgw_nl_dev_set_doit,
		.policy		= vmgw_dev_set_nl_policy,
		.maxattr	= VMGW_A_DEV_UNSET,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= VMGW_CMD_RULE_ADD,
		.doit		= vmgw_nl_rule_add_doit,
		.policy		= vmgw_rule_add_nl_policy,
		.maxattr	= VMGW_A_RULE_PORT_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= VMGW_CMD_RULE_DEL,
		.doit		= vmgw_nl_rule_del_doit,
		.policy		= vmgw_rule_del_nl_policy,
		.maxattr	= VMGW_A_RULE_ALL,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= VMGW_CMD_RULE_GET,
		.doit		= vmgw_nl_rule_get_doit,
		.dumpit		= vmgw_nl_rule_get_dumpit,
		.policy		= vmgw_rule_get_nl_policy,
		.maxattr	= VMGW_A_RULE_PORT_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= VMGW_CMD_FLOW_GET,
		.doit		= vmgw_nl_flow_get_doit,
		.dumpit		= vmgw_nl_flow_get_dumpit,
		.policy		= vmgw_flow_get_nl_policy,
		.maxattr	= VMGW_A_FLOW_PEER_PORT,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= VMGW_CMD_STATS_GET,
		.doit		= vmgw_nl_stats_get_doit,
		.dumpit		= vmgw_nl_stats_get_dumpit,
		.policy		= vmgw_stats_get_nl_policy,
		.maxattr	= VMGW_A_STATS_NETNS_ID,
	},
};

static const struct genl_multicast_group vmgw_nl_mcgrps[] = {
	[VMGW_NLGRP_EVENTS] = { "events", },
};
