// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict order, top to bottom:
 *
 *   malformed                                  -> drop
 *   source MAC / IPv4 / IPv6 not the guest's   -> drop (anti-spoof)
 *   the gateway's own protocols, each bounded by destination and scope:
 *     ARP                                      -> pass (never routed)
 *     NDP RS/NS/NA, hop limit 255, to a link-local or link-scope
 *       multicast address or one of the gateway's -> pass
 *     MLD reports/done, hop limit 1, from link-local (or ::), to
 *       multicast                              -> pass
 *     DHCP 68->67 to 255.255.255.255 or the gateway, DHCPv6 546->547 to
 *       ff02::1:2 or the gateway               -> pass
 *   DNS to a resolver skips the floor and the deny rules: a configured
 *   resolver, or in allowlist mode without any, the gateway itself
 *   destination in the floor                   -> deny
 *   a deny rule matches                        -> deny
 *   DNS to a server that is not a resolver     -> deny
 *   per class, with "allowed" = an allow rule matches, or DNS to an
 *   allowed resolver, or a learned address:
 *     TCP SYN      allowed or open mode -> create a flow, else RST
 *     TCP          needs its flow
 *     UDP DNS      pass
 *     other UDP    only if an allow rule matches (open mode too); DHCP
 *                  that is not an exempt client request is other UDP
 *     the rest     allowed or open mode -> pass
 *
 * IPv6 destinations that carry an IPv4 address are judged by the IPv4
 * floor and the IPv4 rules too: IPv4-mapped and well-known NAT64
 * (64:ff9b::/96) ones as the one they carry, local-use NAT64
 * (64:ff9b:1::/48) ones as each of the four they may carry (the place
 * depends on the translator's prefix length) by the floor and the deny
 * rules, and by no IPv4 allow rule.
 *
 * A TCP SYN that is denied is answered with a RST (the guest's connect()
 * fails at once); every other denial is a silent drop.
 */
#ifdef __KERNEL__
#include <linux/in.h>
#include <linux/in6.h>
#endif

#include "verdict.h"

#define ICMPV6_RS		133
#define ICMPV6_NS		135
#define ICMPV6_NA		136
#define ICMPV6_MLD_REPORT	131
#define ICMPV6_MLD_DONE		132
#define ICMPV6_MLD2_REPORT	143
#define NDP_HOP_LIMIT		255
#define MLD_HOP_LIMIT		1
#define TCP_CSUM_OFF		16
#define UDP_CSUM_OFF		6
#define ICMP_CSUM_OFF		2

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
	[VMGW_DENY_CSUM]	= "csum",
	[VMGW_DENY_GSO]		= "gso",
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

/* The shape of a DHCP (68 -> 67) or DHCPv6 (546 -> 547) client request. */
static bool vmgw_dhcp_to_server(const struct vmgw_frame_info *fi)
{
	if (fi->class != VMGW_CLASS_DHCP)
		return false;
	if (fi->ip_version == 4)
		return fi->sport == VMGW_PORT_DHCP_CLIENT &&
		       fi->dport == VMGW_PORT_DHCP_SERVER;
	return fi->sport == VMGW_PORT_DHCPV6_CLIENT &&
	       fi->dport == VMGW_PORT_DHCPV6_SERVER;
}

static bool vmgw_ip6_link_local(const u8 *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static bool vmgw_ip6_multicast(const u8 *a)
{
	return a[0] == 0xff;
}

/* ff02::/16 and the other link-scope multicast groups (scope 2). */
static bool vmgw_ip6_mc_link(const u8 *a)
{
	return a[0] == 0xff && (a[1] & 0x0f) == 0x02;
}

static bool vmgw_to_gw(const struct vmgw_verdict_cfg *cfg,
		       const struct vmgw_frame_info *fi, const void *ctx)
{
	return cfg->gw_addr && cfg->gw_addr(ctx, fi->ip_version, fi->daddr);
}

/* DHCP to the limited broadcast, DHCPv6 to All_DHCP_Relay_Agents_and_Servers. */
static bool vmgw_dhcp_dest(const struct vmgw_verdict_cfg *cfg,
			   const struct vmgw_frame_info *fi, const void *ctx)
{
	static const u8 bcast[4] = { 255, 255, 255, 255 };
	static const u8 dhcp6[16] = { 0xff, 0x02, [13] = 1, [15] = 2 };

	if (fi->ip_version == 4 ? !memcmp(fi->daddr, bcast, 4) :
				  !memcmp(fi->daddr, dhcp6, 16))
		return true;
	return vmgw_to_gw(cfg, fi, ctx);
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

/*
 * NDP the guest needs: RS, NS and NA with the hop limit no router
 * forwards (RFC 4861 requires 255), to what cannot leave the link.
 */
static bool vmgw_ndp_ok(const struct vmgw_verdict_cfg *cfg,
			const struct vmgw_frame_info *fi, const void *ctx)
{
	if (fi->icmp_type != ICMPV6_RS && fi->icmp_type != ICMPV6_NS &&
	    fi->icmp_type != ICMPV6_NA)
		return false;
	if (fi->hop_limit != NDP_HOP_LIMIT)
		return false;
	return vmgw_ip6_link_local(fi->daddr) || vmgw_ip6_mc_link(fi->daddr) ||
	       vmgw_to_gw(cfg, fi, ctx);
}

/* MLD (RFC 2710, 3810): hop limit 1, link-local (or ::) source, multicast. */
static bool vmgw_mld_ok(const struct vmgw_frame_info *fi)
{
	static const u8 unspec[16];

	if (fi->icmp_type != ICMPV6_MLD_REPORT &&
	    fi->icmp_type != ICMPV6_MLD_DONE &&
	    fi->icmp_type != ICMPV6_MLD2_REPORT)
		return false;
	return fi->hop_limit == MLD_HOP_LIMIT &&
	       (vmgw_ip6_link_local(fi->saddr) ||
		!memcmp(fi->saddr, unspec, 16)) &&
	       vmgw_ip6_multicast(fi->daddr);
}

/* Link-local control traffic the guest needs to reach the gateway. */
static bool vmgw_verdict_infra(const struct vmgw_verdict_cfg *cfg,
			       const struct vmgw_frame_info *fi,
			       const void *ctx)
{
	switch (fi->class) {
	case VMGW_CLASS_ARP:
		return true;
	case VMGW_CLASS_NDP:
		return vmgw_ndp_ok(cfg, fi, ctx);
	case VMGW_CLASS_ICMPV6:
		return vmgw_mld_ok(fi);
	case VMGW_CLASS_DHCP:
		return vmgw_dhcp_to_server(fi) && vmgw_dhcp_dest(cfg, fi, ctx);
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

	/*
	 * UDP is unsupported unless a rule allows it, in either mode; DHCP
	 * that was not the exempt client request is UDP like any other.
	 */
	if (fi->class == VMGW_CLASS_UDP || fi->class == VMGW_CLASS_DNS ||
	    fi->class == VMGW_CLASS_DHCP)
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

/*
 * Allow and deny rules for @key, and for the IPv4 hosts an IPv6 one may
 * carry: every one of them is judged by the deny rules, only one whose
 * place in the address is certain by the allow rules.
 */
static unsigned int vmgw_verdict_rules(const struct vmgw_verdict_cfg *cfg,
				       const struct vmgw_rule_key *key)
{
	unsigned int actions = vmgw_ruleset_actions(cfg->rules, key, NULL);
	u8 v4[VMGW_V4_IN_V6_MAX][16];
	struct vmgw_rule_key k4 = *key;
	unsigned int i, n, a;
	bool exact;

	if (key->family != 6 || !cfg->rules)
		return actions;
	n = vmgw_addr_v4_in_v6(key->addr, v4, &exact);
	k4.family = 4;
	for (i = 0; i < n; i++) {
		k4.addr = v4[i];
		a = vmgw_ruleset_actions(cfg->rules, &k4, NULL);
		actions |= exact ? a : a & (1u << VMGW_RULE_DENY);
	}
	return actions;
}

/*
 * Whether a DNS query goes to a resolver: a configured one or, in
 * allowlist mode without any, the gateway. Sets *@bound when only
 * resolvers may be asked.
 */
static bool vmgw_verdict_resolver(const struct vmgw_verdict_cfg *cfg,
				  const struct vmgw_frame_info *fi,
				  const struct vmgw_rule_key *key,
				  const void *ctx, bool *bound)
{
	*bound = cfg->resolvers || cfg->mode == VMGW_MODE_ALLOWLIST;
	if (cfg->resolvers)
		return vmgw_ruleset_match(cfg->resolvers, VMGW_RULE_ALLOW, key,
					  NULL);
	return *bound && vmgw_to_gw(cfg, fi, ctx);
}

/**
 * vmgw_verdict() - the policy's verdict on one classified guest frame
 * @cfg: the configuration (immutable while in use)
 * @fi: what vmgw_classify() found
 * @src_mac: the frame's source MAC (its bytes 6 to 11)
 * @learned: lookup of DNS-learned addresses, asked only when @cfg has
 *	allowed hosts and nothing else allowed the frame; may be NULL
 * @ctx: passed to @learned and to @cfg's gw_addr
 *
 * The order is at the top of this file. Unconfigured parts do nothing:
 * no guest MAC or address means no anti-spoof check for it, no resolvers
 * means any DNS server in open mode (the gateway's own addresses in
 * allowlist mode), no rules means none match. So the default
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
	bool dns, bound = false, resolver = false;
	struct vmgw_rule_key key;
	unsigned int actions;
	enum vmgw_deny why;

	if (fi->class == VMGW_CLASS_MALFORMED)
		return vmgw_v(VMGW_ACT_DROP, VMGW_DENY_MALFORMED);
	why = vmgw_verdict_spoof(&cfg->guest, fi, src_mac);
	if (why)
		return vmgw_v(VMGW_ACT_DROP, why);
	if (vmgw_verdict_infra(cfg, fi, ctx))
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
	if (dns)
		resolver = vmgw_verdict_resolver(cfg, fi, &key, ctx, &bound);
	if (!resolver &&
	    vmgw_floor_match(cfg->floor, key.family, key.addr))
		return vmgw_refuse(fi, VMGW_DENY_FLOOR);
	/* One walk of the rule trie answers for deny and allow rules. */
	actions = vmgw_verdict_rules(cfg, &key);
	if (!resolver) {
		if (actions & (1u << VMGW_RULE_DENY))
			return vmgw_refuse(fi, VMGW_DENY_RULE);
		if (dns && bound)
			return vmgw_refuse(fi, VMGW_DENY_RESOLVER);
	}
	return vmgw_verdict_class(cfg, fi, &key, dns,
				  actions & (1u << VMGW_RULE_ALLOW), learned,
				  ctx);
}

/* The checksum field of the L4 header the classifier found, or 0. */
static unsigned int vmgw_csum_field(const struct vmgw_frame_info *fi)
{
	if (fi->class == VMGW_CLASS_FRAGMENT || !fi->l4_off)
		return 0;
	switch (fi->l4_proto) {
	case IPPROTO_TCP:
		return TCP_CSUM_OFF;
	case IPPROTO_UDP:
		return UDP_CSUM_OFF;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return fi->class == VMGW_CLASS_ICMP ||
		       fi->class == VMGW_CLASS_ICMPV6 ||
		       fi->class == VMGW_CLASS_NDP ? ICMP_CSUM_OFF : 0;
	default:
		return 0;
	}
}

/**
 * vmgw_verdict_offload() - whether what the stack will still write into a
 *	guest frame leaves the judged headers as they were judged
 * @fi: what vmgw_classify() found (not malformed)
 * @o: the frame's checksum request and segmentation
 *
 * The verdict judges the bytes the guest wrote, but a checksum request is
 * carried out later (in software or by a NIC) at csum_start + csum_offset,
 * and segmentation copies the headers into every segment. So a checksum
 * request must start at the L4 header the classifier found and store
 * into its checksum field (16 for TCP, 6 for UDP, 2 for ICMP/ICMPv6), and
 * segmentation must be of the judged family and protocol, of a datagram
 * that is not a fragment, and come with its checksum request.
 *
 * Context: any; pure function.
 * Return: %VMGW_DENY_NONE, %VMGW_DENY_CSUM or %VMGW_DENY_GSO.
 */
enum vmgw_deny vmgw_verdict_offload(const struct vmgw_frame_info *fi,
				    const struct vmgw_offload *o)
{
	unsigned int field = vmgw_csum_field(fi);
	bool ok;

	if (o->gso != VMGW_GSO_NONE) {
		switch (o->gso) {
		case VMGW_GSO_TCPV4:
			ok = fi->ip_version == 4 && fi->l4_proto == IPPROTO_TCP;
			break;
		case VMGW_GSO_TCPV6:
			ok = fi->ip_version == 6 && fi->l4_proto == IPPROTO_TCP;
			break;
		case VMGW_GSO_UDP:
			ok = fi->l4_proto == IPPROTO_UDP;
			break;
		default:
			ok = false;
		}
		if (!ok || !field || fi->frag_first || !o->csum)
			return VMGW_DENY_GSO;
	}
	if (!o->csum)
		return VMGW_DENY_NONE;
	if (!field || o->csum_start != fi->l4_off || o->csum_offset != field)
		return VMGW_DENY_CSUM;
	return VMGW_DENY_NONE;
}
