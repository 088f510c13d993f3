// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict order, top to bottom:
 *
 *   malformed                                  -> drop
 *   source MAC / IPv4 / IPv6 not the guest's   -> drop (anti-spoof)
 *   ARP, NDP (RS/NS/NA), MLD reports, DHCP client->server -> pass
 *   DNS to a configured resolver skips the floor and the deny rules
 *   destination in the floor                   -> deny
 *   a deny rule matches                        -> deny
 *   DNS to a server that is not a resolver     -> deny
 *   per class, with "allowed" = an allow rule matches, or DNS to an
 *   allowed resolver, or a learned address:
 *     TCP SYN      allowed or open mode -> create a flow, else RST
 *     TCP          needs its flow
 *     UDP DNS      pass
 *     other UDP    only if an allow rule matches (open mode too)
 *     the rest     allowed or open mode -> pass
 *
 * A TCP SYN that is denied is answered with a RST (the guest's connect()
 * fails at once); every other denial is a silent drop.
 */
#ifdef __KERNEL__
#include <linux/in.h>
#endif

#include "verdict.h"

#define ICMPV6_RS		133
#define ICMPV6_NS		135
#define ICMPV6_NA		136
#define ICMPV6_MLD_REPORT	131
#define ICMPV6_MLD_DONE		132
#define ICMPV6_MLD2_REPORT	143

const char * const vmgw_deny_names[VMGW_DENY_MAX] = {
	[VMGW_DENY_NONE]	= "none",
	[VMGW_DENY_MALFORMED]	= "malformed",
	[VMGW_DENY_SPOOF_MAC]	= "spoof_mac",
	[VMGW_DENY_SPOOF_IP]	= "spoof_ip",
	[VMGW_DENY_FLOOR]	= "floor",
	[VMGW_DENY_RULE]	= "deny_rule",
	[VMGW_DENY_NOT_ALLOWED]	= "not_allowed",
	[VMGW_DENY_UDP]		= "udp_unsupported",
	[VMGW_DENY_RESOLVER]	= "dns_resolver",
	[VMGW_DENY_NO_FLOW]	= "no_flow",
	[VMGW_DENY_FLOW_CAP]	= "flow_cap",
};

static struct vmgw_verdict vmgw_v(enum vmgw_act act, enum vmgw_deny why)
{
	return (struct vmgw_verdict){ .act = act, .why = why };
}

static bool vmgw_zero(const u8 *p, unsigned int n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static bool vmgw_dhcp_to_server(const struct vmgw_frame_info *fi)
{
	if (fi->class != VMGW_CLASS_DHCP)
		return false;
	if (fi->ip_version == 4)
		return fi->sport == VMGW_PORT_DHCP_CLIENT &&
		       fi->dport == VMGW_PORT_DHCP_SERVER;
	return fi->dport == VMGW_PORT_DHCPV6_SERVER;
}

/* Unspecified source of IPv6 DAD: a neighbour solicitation or MLD report. */
static bool vmgw_ip6_unspec_ok(const struct vmgw_frame_info *fi)
{
	if (fi->class == VMGW_CLASS_NDP)
		return fi->icmp_type == ICMPV6_NS;
	return fi->class == VMGW_CLASS_ICMPV6 &&
	       fi->icmp_type == ICMPV6_MLD2_REPORT;
}

static enum vmgw_deny vmgw_verdict_spoof(const struct vmgw_guest_id *g,
					 const struct vmgw_frame_info *fi,
					 const u8 *src_mac)
{
	unsigned int i;

	if (g->mac_set && memcmp(src_mac, g->mac, sizeof(g->mac)))
		return VMGW_DENY_SPOOF_MAC;
	if (fi->class == VMGW_CLASS_ARP || fi->ip_version == 4) {
		if (!g->ip4_set || !memcmp(fi->saddr, g->ip4, 4))
			return VMGW_DENY_NONE;
		/* ARP probes and DHCP before the guest has an address. */
		if (vmgw_zero(fi->saddr, 4) &&
		    (fi->class == VMGW_CLASS_ARP || vmgw_dhcp_to_server(fi)))
			return VMGW_DENY_NONE;
		return VMGW_DENY_SPOOF_IP;
	}
	if (fi->ip_version != 6 || !g->n_ip6)
		return VMGW_DENY_NONE;
	for (i = 0; i < g->n_ip6 && i < VMGW_GUEST_MAX_IP6; i++)
		if (!memcmp(fi->saddr, g->ip6[i], 16))
			return VMGW_DENY_NONE;
	if (vmgw_zero(fi->saddr, 16) && vmgw_ip6_unspec_ok(fi))
		return VMGW_DENY_NONE;
	return VMGW_DENY_SPOOF_IP;
}

/* Link-local control traffic the guest needs to reach the gateway. */
static bool vmgw_verdict_infra(const struct vmgw_frame_info *fi)
{
	switch (fi->class) {
	case VMGW_CLASS_ARP:
		return true;
	case VMGW_CLASS_NDP:
		return fi->icmp_type == ICMPV6_RS ||
		       fi->icmp_type == ICMPV6_NS || fi->icmp_type == ICMPV6_NA;
	case VMGW_CLASS_ICMPV6:
		return fi->icmp_type == ICMPV6_MLD_REPORT ||
		       fi->icmp_type == ICMPV6_MLD_DONE ||
		       fi->icmp_type == ICMPV6_MLD2_REPORT;
	case VMGW_CLASS_DHCP:
		return vmgw_dhcp_to_server(fi);
	default:
		return false;
	}
}

static bool vmgw_has_ports(const struct vmgw_frame_info *fi)
{
	return fi->class != VMGW_CLASS_FRAGMENT && fi->l4_off &&
	       (fi->l4_proto == IPPROTO_TCP || fi->l4_proto == IPPROTO_UDP);
}

/* A query: UDP or TCP to port 53 (DNS replies from the guest are not). */
static bool vmgw_is_dns_query(const struct vmgw_frame_info *fi)
{
	return vmgw_has_ports(fi) && fi->dport == VMGW_PORT_DNS;
}

/* Denied by floor or rule: a SYN is answered with a RST. */
static struct vmgw_verdict vmgw_refuse(const struct vmgw_frame_info *fi,
				       enum vmgw_deny why)
{
	return vmgw_v(fi->class == VMGW_CLASS_TCP_SYN ? VMGW_ACT_RST :
							VMGW_ACT_DROP, why);
}

/* What passes once the floor and deny rules did not stop it. */
static struct vmgw_verdict vmgw_verdict_class(const struct vmgw_verdict_cfg *cfg,
					      const struct vmgw_frame_info *fi,
					      const struct vmgw_rule_key *key,
					      bool dns, bool rule_ok,
					      vmgw_learned_fn learned,
					      const void *ctx)
{
	bool open = cfg->mode == VMGW_MODE_OPEN;
	bool allowed;

	if (fi->class == VMGW_CLASS_TCP ||
	    (fi->class == VMGW_CLASS_DNS && fi->l4_proto == IPPROTO_TCP))
		return vmgw_v(VMGW_ACT_FLOW_NEED, VMGW_DENY_NONE);
	if (fi->class == VMGW_CLASS_DNS && dns)
		return vmgw_v(VMGW_ACT_PASS, VMGW_DENY_NONE);

	/* UDP is unsupported unless a rule allows it, in either mode. */
	if (fi->class == VMGW_CLASS_UDP || fi->class == VMGW_CLASS_DNS)
		return rule_ok ? vmgw_v(VMGW_ACT_PASS, VMGW_DENY_NONE) :
				 vmgw_v(VMGW_ACT_DROP, VMGW_DENY_UDP);

	allowed = open || rule_ok || dns ||
		  (cfg->learning && learned && learned(ctx, key->family,
						       key->addr));
	if (fi->class == VMGW_CLASS_TCP_SYN)
		return allowed ? vmgw_v(VMGW_ACT_FLOW_NEW, VMGW_DENY_NONE) :
				 vmgw_v(VMGW_ACT_RST, VMGW_DENY_NOT_ALLOWED);
	return allowed ? vmgw_v(VMGW_ACT_PASS, VMGW_DENY_NONE) :
			 vmgw_v(VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED);
}

/**
 * vmgw_verdict() - the policy's verdict on one classified guest frame
 * @cfg: the configuration (immutable while in use)
 * @fi: what vmgw_classify() found
 * @src_mac: the frame's source MAC (its bytes 6 to 11)
 * @learned: lookup of DNS-learned addresses, asked only when @cfg has
 *	allowed hosts and nothing else allowed the frame; may be NULL
 * @ctx: passed to @learned
 *
 * The order is at the top of this file. Unconfigured parts do nothing:
 * no guest MAC or address means no anti-spoof check for it, no resolvers
 * means any DNS server, no rules means none match. So the default
 * configuration (open mode, default floor) drops malformed frames,
 * unsupported UDP, destinations in 169.254.0.0/16 and fe80::/10, and TCP
 * that is not part of a flow.
 *
 * Context: any; pure function, no locks, no allocation.
 * Return: the action and, for a refusal, its reason.
 */
struct vmgw_verdict vmgw_verdict(const struct vmgw_verdict_cfg *cfg,
				 const struct vmgw_frame_info *fi,
				 const u8 *src_mac, vmgw_learned_fn learned,
				 const void *ctx)
{
	struct vmgw_rule_key key;
	bool dns, resolver = false;
	unsigned int actions;
	enum vmgw_deny why;

	if (fi->class == VMGW_CLASS_MALFORMED)
		return vmgw_v(VMGW_ACT_DROP, VMGW_DENY_MALFORMED);
	why = vmgw_verdict_spoof(&cfg->guest, fi, src_mac);
	if (why)
		return vmgw_v(VMGW_ACT_DROP, why);
	if (vmgw_verdict_infra(fi))
		return vmgw_v(VMGW_ACT_PASS, VMGW_DENY_NONE);
	if (fi->ip_version != 4 && fi->ip_version != 6)
		return cfg->mode == VMGW_MODE_OPEN ?
		       vmgw_v(VMGW_ACT_PASS, VMGW_DENY_NONE) :
		       vmgw_v(VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED);

	key.addr = fi->daddr;
	key.family = fi->ip_version;
	key.proto = fi->l4_proto;
	key.port = vmgw_has_ports(fi) ? fi->dport : -1;
	dns = vmgw_is_dns_query(fi);
	if (dns && cfg->resolvers)
		resolver = vmgw_ruleset_match(cfg->resolvers, VMGW_RULE_ALLOW,
					      &key, NULL);
	if (!resolver &&
	    vmgw_floor_match(cfg->floor, key.family, key.addr))
		return vmgw_refuse(fi, VMGW_DENY_FLOOR);
	/* One walk of the rule trie answers for deny and allow rules. */
	actions = vmgw_ruleset_actions(cfg->rules, &key, NULL);
	if (!resolver) {
		if (actions & (1u << VMGW_RULE_DENY))
			return vmgw_refuse(fi, VMGW_DENY_RULE);
		if (dns && cfg->resolvers)
			return vmgw_refuse(fi, VMGW_DENY_RESOLVER);
	}
	return vmgw_verdict_class(cfg, fi, &key, dns,
				  actions & (1u << VMGW_RULE_ALLOW), learned,
				  ctx);
}
