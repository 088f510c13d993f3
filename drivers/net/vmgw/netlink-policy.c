// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: the policy settings of a device in dev-get and dev-set
 * (guest addresses, mode, floor, flow limits, resolvers, allowed hosts),
 * between their attributes and the policy engine (policy.h). dev-set's
 * attributes are all checked before any setting changes.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <uapi/linux/vmgw.h>

#include "netlink-gen.h"
#include "netlink-priv.h"
#include "policy.h"

/* The spec's enums and limits are the policy engine's. */
static_assert((int)VMGW_POLICY_MODE_OPEN == (int)VMGW_MODE_OPEN &&
	      (int)VMGW_POLICY_MODE_ALLOWLIST == (int)VMGW_MODE_ALLOWLIST);
static_assert((int)VMGW_FLOOR_MODE_DEFAULT == (int)VMGW_FLOOR_DEFAULT &&
	      (int)VMGW_FLOOR_MODE_STRICT == (int)VMGW_FLOOR_STRICT &&
	      (int)VMGW_FLOOR_MODE_OFF == (int)VMGW_FLOOR_OFF);
static_assert(VMGW_GUEST_IPV6_MAX == VMGW_GUEST_MAX_IP6);
static_assert(VMGW_RESOLVERS_MAX == VMGW_POLICY_MAX_RESOLVERS);
static_assert(VMGW_ALLOW_HOST_MAX <= VMGW_POLICY_MAX_HOSTS);
static_assert(VMGW_HOSTNAME_LEN_MAX == VMGW_DNS_TEXT_MAX);
static_assert(VMGW_FLOW_CAP_MAX == VMGW_FLOW_MAX_LIMIT);
static_assert(VMGW_FLOW_TIMEOUT_LIMIT == VMGW_FLOW_TIMEOUT_MAX);

static int vmgw_nl_put_guest(struct sk_buff *skb,
			     const struct vmgw_guest_id *g)
{
	unsigned int i;

	if ((g->mac_set && nla_put(skb, VMGW_A_DEV_GUEST_MAC, ETH_ALEN, g->mac)) ||
	    (g->ip4_set && nla_put(skb, VMGW_A_DEV_GUEST_IPV4, 4, g->ip4)))
		return -EMSGSIZE;
	for (i = 0; i < g->n_ip6; i++)
		if (nla_put(skb, VMGW_A_DEV_GUEST_IPV6, 16, g->ip6[i]))
			return -EMSGSIZE;
	return 0;
}

/* The flow timeout attribute of each state. */
static const u16 vmgw_nl_flow_timeout_attr[VMGW_FLOW_STATES] = {
	[VMGW_FLOW_SYN]		= VMGW_A_DEV_FLOW_TIMEOUT_SYN,
	[VMGW_FLOW_EST]		= VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED,
	[VMGW_FLOW_FIN]		= VMGW_A_DEV_FLOW_TIMEOUT_FIN,
	[VMGW_FLOW_CLOSED]	= VMGW_A_DEV_FLOW_TIMEOUT_CLOSED,
};

/* Limits are written under RTNL (dev-set) and read here under it too. */
static int vmgw_nl_put_flows(struct sk_buff *skb, struct vmgw_flows *t)
{
	unsigned int i;

	if (nla_put_u32(skb, VMGW_A_DEV_FLOW_CAP, READ_ONCE(t->lim.max)) ||
	    nla_put_u32(skb, VMGW_A_DEV_FLOW_COUNT, vmgw_flows_count(t)))
		return -EMSGSIZE;
	for (i = 0; i < VMGW_FLOW_STATES; i++)
		if (nla_put_u32(skb, vmgw_nl_flow_timeout_attr[i],
				READ_ONCE(t->lim.timeout[i])))
			return -EMSGSIZE;
	return 0;
}

static int vmgw_nl_put_host(struct sk_buff *skb, const struct vmgw_dns_host *h)
{
	char name[VMGW_NL_HOST_LEN];
	unsigned int off = 0;

	if (h->wildcard) {
		memcpy(name, "*.", 2);
		off = 2;
	}
	memcpy(name + off, h->name, h->len);
	name[off + h->len] = '\0';
	return nla_put_string(skb, VMGW_A_DEV_ALLOW_HOST, name);
}

/**
 * vmgw_nl_put_policy() - put the policy attributes of a device, as dev-set takes them
 * @skb: message buffer, with the header of a dev-get message
 * @pol: the device's policy
 *
 * Context: RTNL held (the flow limits' writer); takes the policy mutex.
 * Return: 0, or -EMSGSIZE when @skb is full (the caller cancels the
 * message).
 */
int vmgw_nl_put_policy(struct sk_buff *skb, struct vmgw_policy *pol)
{
	const struct vmgw_policy_cfg *c;
	const struct vmgw_policy_addr *a;
	int err = -EMSGSIZE;
	unsigned int i;

	vmgw_policy_lock(pol);
	c = vmgw_policy_cfg_locked(pol);
	if (vmgw_nl_put_guest(skb, &c->v.guest) ||
	    nla_put_u32(skb, VMGW_A_DEV_POLICY_MODE, c->v.mode) ||
	    nla_put_u32(skb, VMGW_A_DEV_FLOOR, c->v.floor) ||
	    vmgw_nl_put_flows(skb, pol->flows))
		goto unlock;
	for (i = 0; i < c->n_resolvers; i++) {
		a = &c->res_src[i];
		if (nla_put(skb, a->family == 4 ? VMGW_A_DEV_RESOLVER_IPV4 :
			    VMGW_A_DEV_RESOLVER_IPV6, a->family == 4 ? 4 : 16,
			    a->addr))
			goto unlock;
	}
	for (i = 0; i < c->n_hosts; i++)
		if (vmgw_nl_put_host(skb, &c->host_v[i]))
			goto unlock;
	err = 0;
unlock:
	vmgw_policy_unlock(pol);
	return err;
}

/* An attribute dev-set both sets and unsets. */
static struct nlattr *vmgw_nl_unset_clash(struct nlattr **tb, u32 unset)
{
	static const struct {
		u32 flag;
		u16 attr;
	} map[] = {
		{ VMGW_UNSET_GUEST_MAC, VMGW_A_DEV_GUEST_MAC },
		{ VMGW_UNSET_GUEST_IPV4, VMGW_A_DEV_GUEST_IPV4 },
		{ VMGW_UNSET_GUEST_IPV6, VMGW_A_DEV_GUEST_IPV6 },
		{ VMGW_UNSET_RESOLVERS, VMGW_A_DEV_RESOLVER_IPV4 },
		{ VMGW_UNSET_RESOLVERS, VMGW_A_DEV_RESOLVER_IPV6 },
		{ VMGW_UNSET_ALLOW_HOSTS, VMGW_A_DEV_ALLOW_HOST },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if ((unset & map[i].flag) && tb[map[i].attr])
			return tb[map[i].attr];
	return NULL;
}

/* guest-mac and guest-ipv4 (single) over @g. */
static int vmgw_nl_parse_guest4(struct nlattr **tb, u32 unset,
				struct vmgw_guest_id *g,
				struct netlink_ext_ack *extack)
{
	struct nlattr *mac = tb[VMGW_A_DEV_GUEST_MAC];
	struct nlattr *ip4 = tb[VMGW_A_DEV_GUEST_IPV4];
	__be32 a;

	if (unset & VMGW_UNSET_GUEST_MAC) {
		g->mac_set = false;
		eth_zero_addr(g->mac);
	}
	if (unset & VMGW_UNSET_GUEST_IPV4) {
		g->ip4_set = false;
		memset(g->ip4, 0, sizeof(g->ip4));
	}
	if (mac) {
		if (!is_valid_ether_addr(nla_data(mac))) {
			NL_SET_ERR_MSG_ATTR(extack, mac,
					    "guest-mac must be a unicast address, not zero");
			return -EINVAL;
		}
		ether_addr_copy(g->mac, nla_data(mac));
		g->mac_set = true;
	}
	if (ip4) {
		a = nla_get_in_addr(ip4);
		if (ipv4_is_zeronet(a) || ipv4_is_multicast(a) ||
		    ipv4_is_lbcast(a)) {
			NL_SET_ERR_MSG_ATTR(extack, ip4,
					    "guest-ipv4 must be a unicast address");
			return -EINVAL;
		}
		memcpy(g->ip4, &a, sizeof(g->ip4));
		g->ip4_set = true;
	}
	return 0;
}

/* One guest-ipv6 attribute into @req (the first one replaces the list). */
static int vmgw_nl_parse_guest6(struct vmgw_nl_policy_req *req,
				const struct nlattr *nla, bool first,
				struct netlink_ext_ack *extack)
{
	const struct in6_addr *a = nla_data(nla);
	struct vmgw_guest_id *g = &req->guest;

	if (first)
		g->n_ip6 = 0;
	if (g->n_ip6 == VMGW_GUEST_IPV6_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "too many guest-ipv6 (guest-ipv6-max is 4)");
		return -EINVAL;
	}
	if (ipv6_addr_any(a) || ipv6_addr_is_multicast(a)) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "guest-ipv6 must be a unicast address");
		return -EINVAL;
	}
	memcpy(g->ip6[g->n_ip6++], a, 16);
	return 0;
}

static int vmgw_nl_parse_resolver(struct vmgw_nl_policy_req *req,
				  const struct nlattr *nla,
				  struct netlink_ext_ack *extack)
{
	struct vmgw_policy_addr *r = &req->res[req->n_res];

	if (req->n_res == VMGW_RESOLVERS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "too many resolver-ipv4/resolver-ipv6 (resolvers-max is 16)");
		return -EINVAL;
	}
	memset(r, 0, sizeof(*r));
	r->family = nla_type(nla) == VMGW_A_DEV_RESOLVER_IPV4 ? 4 : 6;
	memcpy(r->addr, nla_data(nla), nla_len(nla));
	req->n_res++;
	return 0;
}

static int vmgw_nl_parse_host(struct vmgw_nl_policy_req *req,
			      const struct nlattr *nla,
			      struct netlink_ext_ack *extack)
{
	unsigned int len = strnlen(nla_data(nla), nla_len(nla));
	char buf[VMGW_DNS_TEXT_MAX];
	struct vmgw_dns_host h;
	char *text;

	if (req->n_hosts == VMGW_ALLOW_HOST_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "too many allow-host (allow-host-max is 64)");
		return -EINVAL;
	}
	if (vmgw_dns_host_parse(nla_data(nla), len, buf, &h)) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "allow-host is not a host name or *.name pattern");
		return -EINVAL;
	}
	if (!req->host_text) {
		req->host_text = kcalloc(VMGW_ALLOW_HOST_MAX, VMGW_NL_HOST_LEN,
					 GFP_KERNEL);
		if (!req->host_text)
			return -ENOMEM;
	}
	text = req->host_text[req->n_hosts];
	memcpy(text, nla_data(nla), len);
	text[len] = '\0';
	req->hosts[req->n_hosts++] = text;
	return 0;
}

/* The list attributes (guest-ipv6, resolvers, allow-host), in order. */
static int vmgw_nl_parse_lists(struct vmgw_nl_policy_req *req,
			       struct genl_info *info, u32 unset)
{
	struct netlink_ext_ack *extack = info->extack;
	bool ip6_seen = false;
	struct nlattr *nla;
	int rem, err = 0;

	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		switch (nla_type(nla)) {
		case VMGW_A_DEV_GUEST_IPV6:
			err = vmgw_nl_parse_guest6(req, nla, !ip6_seen, extack);
			ip6_seen = true;
			break;
		case VMGW_A_DEV_RESOLVER_IPV4:
		case VMGW_A_DEV_RESOLVER_IPV6:
			err = vmgw_nl_parse_resolver(req, nla, extack);
			req->res_set = true;
			break;
		case VMGW_A_DEV_ALLOW_HOST:
			err = vmgw_nl_parse_host(req, nla, extack);
			req->hosts_set = true;
			break;
		}
		if (err)
			return err;
	}
	if (unset & VMGW_UNSET_GUEST_IPV6)
		req->guest.n_ip6 = 0;
	req->guest_set |= ip6_seen;
	req->res_set |= !!(unset & VMGW_UNSET_RESOLVERS);
	req->hosts_set |= !!(unset & VMGW_UNSET_ALLOW_HOSTS);
	return 0;
}

/* flow-cap and the timeouts over @lim; the ranges beyond 32767 are ours. */
static int vmgw_nl_parse_limits(struct nlattr **tb,
				struct vmgw_nl_policy_req *req,
				struct netlink_ext_ack *extack)
{
	struct nlattr *cap = tb[VMGW_A_DEV_FLOW_CAP], *t;
	unsigned int i;

	if (cap) {
		if (nla_get_u32(cap) > VMGW_FLOW_CAP_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, cap,
					    "flow-cap is above flow-cap-max (1048576)");
			return -ERANGE;
		}
		req->lim.max = nla_get_u32(cap);
		req->lim_set = true;
	}
	for (i = 0; i < VMGW_FLOW_STATES; i++) {
		t = tb[vmgw_nl_flow_timeout_attr[i]];
		if (!t)
			continue;
		if (nla_get_u32(t) > VMGW_FLOW_TIMEOUT_LIMIT) {
			NL_SET_ERR_MSG_ATTR(extack, t,
					    "flow timeout is above flow-timeout-limit (604800 s)");
			return -ERANGE;
		}
		req->lim.timeout[i] = nla_get_u32(t);
		req->lim_set = true;
	}
	return 0;
}

/**
 * vmgw_nl_policy_parse() - check the policy attributes of a dev-set request
 * @pol: the device's policy (what is left out keeps its value)
 * @info: the request
 * @req: receives the checked settings (zeroed by the caller); free its
 *	@host_text after use
 *
 * Nothing changes here: every attribute is checked first, so that a
 * refused request leaves the policy as it was.
 *
 * Context: process, RTNL held (the only writer of the policy).
 * Return: 0, or a negative errno with an extack message naming the
 * attribute.
 */
int vmgw_nl_policy_parse(struct vmgw_policy *pol, struct genl_info *info,
			 struct vmgw_nl_policy_req *req)
{
	struct nlattr **tb = info->attrs;
	struct nlattr *clash;
	unsigned int i;
	u32 unset = 0;
	int err;

	if (tb[VMGW_A_DEV_UNSET])
		unset = nla_get_u32(tb[VMGW_A_DEV_UNSET]);
	clash = vmgw_nl_unset_clash(tb, unset);
	if (clash) {
		NL_SET_ERR_MSG_ATTR(info->extack, clash,
				    "attribute both set and named in unset");
		return -EINVAL;
	}
	vmgw_policy_lock(pol);
	req->guest = vmgw_policy_cfg_locked(pol)->v.guest;
	vmgw_policy_unlock(pol);
	req->lim.max = READ_ONCE(pol->flows->lim.max);
	for (i = 0; i < VMGW_FLOW_STATES; i++)
		req->lim.timeout[i] = READ_ONCE(pol->flows->lim.timeout[i]);
	req->mode = tb[VMGW_A_DEV_POLICY_MODE] ?
		    nla_get_u32(tb[VMGW_A_DEV_POLICY_MODE]) : -1;
	req->floor = tb[VMGW_A_DEV_FLOOR] ?
		     nla_get_u32(tb[VMGW_A_DEV_FLOOR]) : -1;
	req->guest_set = tb[VMGW_A_DEV_GUEST_MAC] || tb[VMGW_A_DEV_GUEST_IPV4] ||
			 (unset & (VMGW_UNSET_GUEST_MAC | VMGW_UNSET_GUEST_IPV4 |
				   VMGW_UNSET_GUEST_IPV6));
	err = vmgw_nl_parse_guest4(tb, unset, &req->guest, info->extack);
	if (err)
		return err;
	err = vmgw_nl_parse_limits(tb, req, info->extack);
	if (err)
		return err;
	return vmgw_nl_parse_lists(req, info, unset);
}

/**
 * vmgw_nl_policy_apply() - apply a dev-set request vmgw_nl_policy_parse() checked
 * @pol: the device's policy
 * @req: the checked settings
 * @extack: for the setters' messages
 *
 * Settings are applied one by one; only an allocation can fail now, and
 * stop that half-way.
 *
 * Context: process, RTNL held.
 * Return: 0, or the first setter's negative errno.
 */
int vmgw_nl_policy_apply(struct vmgw_policy *pol,
			 const struct vmgw_nl_policy_req *req,
			 struct netlink_ext_ack *extack)
{
	int err = 0;

	if (req->guest_set)
		err = vmgw_policy_set_guest(pol, &req->guest, extack);
	if (!err && req->mode >= 0)
		err = vmgw_policy_set_mode(pol, req->mode, extack);
	if (!err && req->floor >= 0)
		err = vmgw_policy_set_floor(pol, req->floor, extack);
	if (!err && req->lim_set && req->lim.max > VMGW_FLOW_MAX_UNPRIV &&
	    !ns_capable_noaudit(&init_user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "flow-cap above 65536 needs CAP_NET_ADMIN in the initial user namespace");
		err = -EPERM;
	}
	if (!err && req->lim_set)
		err = vmgw_policy_set_flow_limits(pol, &req->lim, extack);
	if (!err && req->res_set)
		err = vmgw_policy_set_resolvers(pol, req->res, req->n_res,
						extack);
	if (!err && req->hosts_set)
		err = vmgw_policy_set_hosts(pol, req->hosts, req->n_hosts,
					    extack);
	return err;
}
