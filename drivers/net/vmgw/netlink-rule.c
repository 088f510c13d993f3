// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: rule-add, rule-del and rule-get. A rule has no id: it is
 * named by what it matches, so the attributes that add a rule also find it
 * again. The rules themselves are the policy's (policy.c, rules.c).
 */
#include <linux/build_bug.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <uapi/linux/vmgw.h>

#include "netlink-gen.h"
#include "netlink-priv.h"
#include "netlink.h"
#include "policy.h"
#include "vmgw.h"

/* The spec's rule actions are the policy engine's. */
static_assert((int)VMGW_RULE_ACTION_ALLOW == (int)VMGW_RULE_ALLOW &&
	      (int)VMGW_RULE_ACTION_DENY == (int)VMGW_RULE_DENY);

/* Clear the bits of @addr (@alen bytes) past @plen. */
static void vmgw_nl_mask(u8 *addr, unsigned int alen, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < alen; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		addr[i] &= plen > 8 * i ? (u8)(0xff << (8 - (plen - 8 * i))) : 0;
	}
}

static int vmgw_nl_rule_ports(struct nlattr **tb, struct vmgw_rule *r,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *pmin = tb[VMGW_A_RULE_PORT_MIN];
	struct nlattr *pmax = tb[VMGW_A_RULE_PORT_MAX];

	r->port_lo = 0;
	r->port_hi = U16_MAX;
	if (pmax && !pmin) {
		NL_SET_ERR_MSG_ATTR(extack, pmax, "port-max needs port-min");
		return -EINVAL;
	}
	if (!pmin)
		return 0;
	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, pmin,
				    "port-min needs proto tcp (6) or udp (17)");
		return -EINVAL;
	}
	r->port_lo = nla_get_u16(pmin);
	r->port_hi = pmax ? nla_get_u16(pmax) : r->port_lo;
	if (r->port_hi < r->port_lo) {
		NL_SET_ERR_MSG_ATTR(extack, pmax, "port-max is below port-min");
		return -EINVAL;
	}
	return 0;
}

/**
 * vmgw_nl_rule_parse() - a rule from rule-add/rule-del/rule-get attributes
 * @tb: the request's attributes, validated by the op's policy
 * @r: receives the rule, host bits past the prefix cleared
 * @extack: names the attribute of a refusal
 *
 * Pure: no device, no lock.
 *
 * Return: 0, or -EINVAL with an extack message.
 */
int vmgw_nl_rule_parse(struct nlattr **tb, struct vmgw_rule *r,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = tb[VMGW_A_RULE_IPV4], *a6 = tb[VMGW_A_RULE_IPV6];
	struct nlattr *plen = tb[VMGW_A_RULE_PREFIX_LEN];
	unsigned int alen;

	memset(r, 0, sizeof(*r));
	if (!tb[VMGW_A_RULE_ACTION]) {
		NL_SET_ERR_MSG(extack, "action is required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, VMGW_A_RULE_ACTION);
		return -EINVAL;
	}
	if (a4 && a6) {
		NL_SET_ERR_MSG_ATTR(extack, a6, "ipv4 and ipv6 exclude each other");
		return -EINVAL;
	}
	if (!a4 && !a6) {
		NL_SET_ERR_MSG(extack, "ipv4 or ipv6 is required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, VMGW_A_RULE_IPV4);
		return -EINVAL;
	}
	r->family = a4 ? 4 : 6;
	alen = a4 ? 4 : 16;
	memcpy(r->addr, nla_data(a4 ?: a6), alen);
	r->plen = alen * 8;
	if (plen) {
		if (nla_get_u8(plen) > alen * 8) {
			NL_SET_ERR_MSG_ATTR(extack, plen,
					    "prefix-len is longer than the address");
			return -EINVAL;
		}
		r->plen = nla_get_u8(plen);
	}
	vmgw_nl_mask(r->addr, alen, r->plen);
	r->action = nla_get_u32(tb[VMGW_A_RULE_ACTION]);
	if (tb[VMGW_A_RULE_PROTO])
		r->proto = nla_get_u8(tb[VMGW_A_RULE_PROTO]);
	return vmgw_nl_rule_ports(tb, r, extack);
}

static bool vmgw_nl_rule_eq(const struct vmgw_rule *a,
			    const struct vmgw_rule *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       a->proto == b->proto && a->action == b->action &&
	       a->port_lo == b->port_lo && a->port_hi == b->port_hi &&
	       !memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
}

/**
 * vmgw_nl_rule_fill() - put one rule message (rule-get)
 * @skb: message buffer
 * @dev: the rule's device
 * @r: the rule
 * @portid: netlink port of the receiver
 * @seq: sequence number of the request
 * @flags: netlink message flags (NLM_F_MULTI in a dump)
 *
 * Ports are put for TCP and UDP rules only.
 *
 * Return: 0, or -EMSGSIZE when @skb is full (nothing is left in it).
 */
int vmgw_nl_rule_fill(struct sk_buff *skb, struct net_device *dev,
		      const struct vmgw_rule *r, u32 portid, u32 seq,
		      int flags)
{
	bool ports = r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP;
	bool v4 = r->family == 4;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vmgw_nl_family, flags,
			  VMGW_CMD_RULE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMGW_A_RULE_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VMGW_A_RULE_IFNAME, dev->name) ||
	    nla_put_u32(skb, VMGW_A_RULE_ACTION, r->action) ||
	    nla_put(skb, v4 ? VMGW_A_RULE_IPV4 : VMGW_A_RULE_IPV6,
		    v4 ? 4 : 16, r->addr) ||
	    nla_put_u8(skb, VMGW_A_RULE_PREFIX_LEN, r->plen) ||
	    (r->proto && nla_put_u8(skb, VMGW_A_RULE_PROTO, r->proto)) ||
	    (ports && (nla_put_u16(skb, VMGW_A_RULE_PORT_MIN, r->port_lo) ||
		       nla_put_u16(skb, VMGW_A_RULE_PORT_MAX, r->port_hi)))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * vmgw_nl_rule_add_doit() - rule-add: add one rule to a device
 * @skb: the request
 * @info: the device and the rule
 *
 * Return: 0, or a negative errno with an extack message.
 */
int vmgw_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct vmgw_rule r;
	int err;

	err = vmgw_nl_rule_parse(info->attrs, &r, info->extack);
	if (err)
		return err;
	dev = vmgw_nl_lock_dev(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	err = vmgw_policy_add_rules(((struct vmgw_dev *)netdev_priv(dev))->policy,
				    &r, 1, info->extack);
	rtnl_unlock();
	return err;
}

/* rule-del with "all": no match attribute may come with it. */
static int vmgw_nl_rule_flush(struct sk_buff *skb, struct genl_info *info)
{
	static const u16 match[] = {
		VMGW_A_RULE_ACTION, VMGW_A_RULE_IPV4, VMGW_A_RULE_IPV6,
		VMGW_A_RULE_PREFIX_LEN, VMGW_A_RULE_PROTO,
		VMGW_A_RULE_PORT_MIN, VMGW_A_RULE_PORT_MAX,
	};
	struct net_device *dev;
	struct vmgw_dev *vg;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(match); i++) {
		if (info->attrs[match[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[match[i]],
					    "all excludes the attributes of a rule");
			return -EINVAL;
		}
	}
	dev = vmgw_nl_lock_dev(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	vg = netdev_priv(dev);
	err = vmgw_policy_flush_rules(vg->policy, info->extack);
	rtnl_unlock();
	return err;
}

/**
 * vmgw_nl_rule_del_doit() - rule-del: delete one rule, or all of a device
 * @skb: the request
 * @info: the device and the rule (equal to one added), or the all flag
 *
 * Return: 0, -ENOENT when no rule is equal, or another negative errno,
 * with an extack message.
 */
int vmgw_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct vmgw_dev *vg;
	struct vmgw_rule r;
	int err;

	if (info->attrs[VMGW_A_RULE_ALL])
		return vmgw_nl_rule_flush(skb, info);
	err = vmgw_nl_rule_parse(info->attrs, &r, info->extack);
	if (err)
		return err;
	dev = vmgw_nl_lock_dev(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	vg = netdev_priv(dev);
	err = vmgw_policy_del_rules(vg->policy, &r, 1, info->extack);
	rtnl_unlock();
	return err;
}

static int vmgw_nl_rule_get_reply(struct sk_buff *msg, struct net_device *dev,
				  struct sk_buff *skb, struct genl_info *info,
				  const void *arg)
{
	struct vmgw_policy *pol = ((struct vmgw_dev *)netdev_priv(dev))->policy;
	const struct vmgw_policy_cfg *c;
	unsigned int i;
	int err;

	vmgw_policy_lock(pol);
	c = vmgw_policy_cfg_locked(pol);
	for (i = 0; i < c->n_rules; i++)
		if (vmgw_nl_rule_eq(&c->rule_src[i], arg))
			break;
	err = -ENOENT;
	if (i < c->n_rules)
		err = vmgw_nl_rule_fill(msg, dev, &c->rule_src[i],
					info->snd_portid, info->snd_seq, 0);
	vmgw_policy_unlock(pol);
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such rule");
	return err;
}

/**
 * vmgw_nl_rule_get_doit() - rule-get: whether a device has a rule
 * @skb: the request
 * @info: the device and the rule
 *
 * Return: 0 after a reply with the rule, -ENOENT when the device has no
 * rule equal to it, or another negative errno, with an extack message.
 */
int vmgw_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmgw_rule r;
	int err;

	err = vmgw_nl_rule_parse(info->attrs, &r, info->extack);
	if (err)
		return err;
	return vmgw_nl_reply_dev(skb, info, NLMSG_GOODSIZE,
				 vmgw_nl_rule_get_reply, &r);
}

/* Rules of @dev from cb->args[1] on; cb->args[1] is where to go on. */
static int vmgw_nl_dump_dev_rules(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct net_device *dev)
{
	struct vmgw_policy *pol = ((struct vmgw_dev *)netdev_priv(dev))->policy;
	const struct vmgw_policy_cfg *c;
	unsigned long i;
	int err = 0;

	vmgw_policy_lock(pol);
	c = vmgw_policy_cfg_locked(pol);
	for (i = cb->args[1]; i < c->n_rules; i++) {
		err = vmgw_nl_rule_fill(skb, dev, &c->rule_src[i],
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
	}
	vmgw_policy_unlock(pol);
	cb->args[1] = i;
	return err;
}

/**
 * vmgw_nl_rule_get_dumpit() - rule-get: the rules of every device of the socket's namespace
 * @skb: the dump skb to fill
 * @cb: dump state: devices done, rules of the current device done
 *
 * Return: the length of @skb (0 when the dump is complete), or a negative
 * errno.
 */
int vmgw_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vmgw_nl_dump_objs(skb, cb, vmgw_nl_dump_dev_rules);
}
