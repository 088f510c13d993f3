// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute names of the request sets of the vmgw family, as in
 * Documentation/netlink/specs/vmgw.yaml: error messages name the attribute
 * the kernel's extack points at. test/spec-names.py checks them against
 * the spec.
 */
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/vmgw.h>

#include "attrs.h"

static const char *const dev_names[VMGW_A_DEV_MAX + 1] = {
	[VMGW_A_DEV_IFINDEX]		= "ifindex",
	[VMGW_A_DEV_IFNAME]		= "ifname",
	[VMGW_A_DEV_NETNS_FD]		= "netns-fd",
	[VMGW_A_DEV_NETNS_ID]		= "netns-id",
	[VMGW_A_DEV_ATTACHED]		= "attached",
	[VMGW_A_DEV_MTU]		= "mtu",
	[VMGW_A_DEV_MIN_MTU]		= "min-mtu",
	[VMGW_A_DEV_MAX_MTU]		= "max-mtu",
	[VMGW_A_DEV_G2H_RING_SIZE]	= "g2h-ring-size",
	[VMGW_A_DEV_H2G_RING_SIZE]	= "h2g-ring-size",
	[VMGW_A_DEV_GUEST_MAC]		= "guest-mac",
	[VMGW_A_DEV_GUEST_IPV4]		= "guest-ipv4",
	[VMGW_A_DEV_GUEST_IPV6]		= "guest-ipv6",
	[VMGW_A_DEV_POLICY_MODE]	= "policy-mode",
	[VMGW_A_DEV_FLOOR]		= "floor",
	[VMGW_A_DEV_FLOW_CAP]		= "flow-cap",
	[VMGW_A_DEV_FLOW_TIMEOUT_SYN]	= "flow-timeout-syn",
	[VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED] = "flow-timeout-established",
	[VMGW_A_DEV_FLOW_TIMEOUT_FIN]	= "flow-timeout-fin",
	[VMGW_A_DEV_FLOW_TIMEOUT_CLOSED] = "flow-timeout-closed",
	[VMGW_A_DEV_RESOLVER_IPV4]	= "resolver-ipv4",
	[VMGW_A_DEV_RESOLVER_IPV6]	= "resolver-ipv6",
	[VMGW_A_DEV_ALLOW_HOST]		= "allow-host",
	[VMGW_A_DEV_UNSET]		= "unset",
	[VMGW_A_DEV_FLOW_COUNT]		= "flow-count",
};

static const char *const rule_names[VMGW_A_RULE_MAX + 1] = {
	[VMGW_A_RULE_IFINDEX]		= "ifindex",
	[VMGW_A_RULE_IFNAME]		= "ifname",
	[VMGW_A_RULE_NETNS_FD]		= "netns-fd",
	[VMGW_A_RULE_NETNS_ID]		= "netns-id",
	[VMGW_A_RULE_ACTION]		= "action",
	[VMGW_A_RULE_IPV4]		= "ipv4",
	[VMGW_A_RULE_IPV6]		= "ipv6",
	[VMGW_A_RULE_PREFIX_LEN]	= "prefix-len",
	[VMGW_A_RULE_PROTO]		= "proto",
	[VMGW_A_RULE_PORT_MIN]		= "port-min",
	[VMGW_A_RULE_PORT_MAX]		= "port-max",
	[VMGW_A_RULE_ALL]		= "all",
};

static const char *const flow_names[VMGW_A_FLOW_MAX + 1] = {
	[VMGW_A_FLOW_IFINDEX]		= "ifindex",
	[VMGW_A_FLOW_IFNAME]		= "ifname",
	[VMGW_A_FLOW_NETNS_FD]		= "netns-fd",
	[VMGW_A_FLOW_NETNS_ID]		= "netns-id",
	[VMGW_A_FLOW_GUEST_IPV4]	= "guest-ipv4",
	[VMGW_A_FLOW_PEER_IPV4]		= "peer-ipv4",
	[VMGW_A_FLOW_GUEST_IPV6]	= "guest-ipv6",
	[VMGW_A_FLOW_PEER_IPV6]		= "peer-ipv6",
	[VMGW_A_FLOW_GUEST_PORT]	= "guest-port",
	[VMGW_A_FLOW_PEER_PORT]		= "peer-port",
	[VMGW_A_FLOW_STATE]		= "state",
	[VMGW_A_FLOW_EXPIRES_MS]	= "expires-ms",
};

static const char *const stats_names[VMGW_A_STATS_MAX + 1] = {
	[VMGW_A_STATS_IFINDEX]		= "ifindex",
	[VMGW_A_STATS_IFNAME]		= "ifname",
	[VMGW_A_STATS_NETNS_FD]		= "netns-fd",
	[VMGW_A_STATS_NETNS_ID]		= "netns-id",
	[VMGW_A_STATS_RX_PACKETS]	= "rx-packets",
	[VMGW_A_STATS_RX_BYTES]		= "rx-bytes",
	[VMGW_A_STATS_TX_PACKETS]	= "tx-packets",
	[VMGW_A_STATS_TX_BYTES]		= "tx-bytes",
	[VMGW_A_STATS_COUNTER]		= "counter",
	[VMGW_A_STATS_PAD]		= "pad",
};

#define GENL_HDR	sizeof(struct genlmsghdr)
const struct nl_names vmgw_dev_names = { dev_names, VMGW_A_DEV_MAX, GENL_HDR };
const struct nl_names vmgw_rule_names = { rule_names, VMGW_A_RULE_MAX, GENL_HDR };
const struct nl_names vmgw_flow_names = { flow_names, VMGW_A_FLOW_MAX, GENL_HDR };
const struct nl_names vmgw_stats_names = { stats_names, VMGW_A_STATS_MAX, GENL_HDR };

/* The few rtnetlink attributes vmgwctl sends (dev add, dev del). */
static const char *const link_names[IFLA_MAX + 1] = {
	[IFLA_IFNAME]		= "name",
	[IFLA_ADDRESS]		= "address",
	[IFLA_MTU]		= "mtu",
	[IFLA_NET_NS_FD]	= "netns",
	[IFLA_LINKINFO]		= "type",
};

const struct nl_names vmgw_link_names = {
	link_names, IFLA_MAX, sizeof(struct ifinfomsg)
};

/* "g2h-ring-size" -> "g2h_ring_size", for JSON keys. */
void attr_json_key(const char *name, char *out, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && name[i]; i++)
		out[i] = name[i] == '-' ? '_' : name[i];
	out[i] = '\0';
}
