/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rule sets: allow and deny rules over IPv4/IPv6 destination prefixes,
 * protocol and destination port range, compiled into an immutable
 * path-compressed binary trie (in the spirit of wireguard's allowedips)
 * whose nodes carry, per action and protocol, sorted disjoint port ranges.
 * A lookup walks one root-to-leaf path, so its cost is bounded by the
 * prefix length (33 nodes for IPv4, 129 for IPv6) and a binary search per
 * node, whatever the number of rules. Also the fixed floor prefixes.
 *
 * Pure unit: builds in the kernel and in userspace. A set is built once
 * (process context) and never changed; replacing it is the caller's job
 * (RCU in policy.c).
 */
#ifndef _VMGW_RULES_H
#define _VMGW_RULES_H

#include "pure.h"

/* Most IPv4 addresses one IPv6 address may carry (local-use NAT64). */
#define VMGW_V4_IN_V6_MAX	4

/* Most rules in one set. */
#define VMGW_RULES_MAX		65536

/**
 * enum vmgw_rule_act - what a matching rule does
 * @VMGW_RULE_ALLOW: the destination is allowed
 * @VMGW_RULE_DENY: the destination is denied, before any allow rule
 * @VMGW_RULE_ACTIONS: number of actions
 */
enum vmgw_rule_act {
	VMGW_RULE_ALLOW,
	VMGW_RULE_DENY,
	VMGW_RULE_ACTIONS,
};

/**
 * enum vmgw_floor - fixed destinations denied before any rule
 * @VMGW_FLOOR_DEFAULT: 169.254.0.0/16 (link-local, cloud metadata) and
 *	fe80::/10 (link-local)
 * @VMGW_FLOOR_STRICT: the default, plus RFC 1918 (10/8, 172.16/12,
 *	192.168/16), loopback (127/8, ::1), CGNAT (100.64/10), 0.0.0.0/8,
 *	ULA (fc00::/7) and local-use NAT64 (64:ff9b:1::/48)
 * @VMGW_FLOOR_OFF: nothing
 * @VMGW_FLOOR_MAX: number of modes
 */
enum vmgw_floor {
	VMGW_FLOOR_DEFAULT,
	VMGW_FLOOR_STRICT,
	VMGW_FLOOR_OFF,
	VMGW_FLOOR_MAX,
};

/**
 * struct vmgw_rule - one allow or deny rule
 * @addr: destination network, IPv4 in the first 4 bytes; bits past @plen
 *	are ignored
 * @family: 4 or 6
 * @plen: prefix length, 0 to 32 (IPv4) or 128 (IPv6)
 * @proto: IPPROTO_* of the L4 header, 0 for any
 * @action: &enum vmgw_rule_act
 * @port_lo: first destination port; only with TCP or UDP, else 0
 * @port_hi: last destination port, >= @port_lo; only with TCP or UDP,
 *	else 65535
 */
struct vmgw_rule {
	u8 addr[16];
	u8 family;
	u8 plen;
	u8 proto;
	u8 action;
	u16 port_lo;
	u16 port_hi;
};

/**
 * struct vmgw_rule_key - what a frame looks like to a rule set
 * @addr: destination address, IPv4 in the first 4 bytes
 * @family: 4 or 6
 * @proto: IPPROTO_* of the L4 header (of the datagram, for a fragment)
 * @port: destination port, or -1 when the frame has none (not TCP or UDP,
 *	or a non-first fragment): only rules for all ports match then
 */
struct vmgw_rule_key {
	const u8 *addr;
	u8 family;
	u8 proto;
	int port;
};

struct vmgw_ruleset;

int vmgw_rule_check(const struct vmgw_rule *r);
struct vmgw_ruleset *vmgw_ruleset_build(const struct vmgw_rule *rules,
					unsigned int n, int *err);
void vmgw_ruleset_free(struct vmgw_ruleset *rs);
unsigned int vmgw_ruleset_count(const struct vmgw_ruleset *rs);
unsigned int vmgw_ruleset_actions(const struct vmgw_ruleset *rs,
				  const struct vmgw_rule_key *key,
				  unsigned int *visited);
bool vmgw_ruleset_match(const struct vmgw_ruleset *rs, u8 action,
			const struct vmgw_rule_key *key,
			unsigned int *visited);
bool vmgw_prefix_match(const u8 *addr, const u8 *net, unsigned int plen);
bool vmgw_floor_match(enum vmgw_floor floor, u8 family, const u8 *addr);
unsigned int vmgw_addr_v4_in_v6(const u8 *addr6, u8 v4[][16], bool *exact);

#endif /* _VMGW_RULES_H */
