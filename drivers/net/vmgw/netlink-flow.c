// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: flow-get, the live TCP flows of a device's flow table
 * (flow.c) as they are at the time of the request.
 */
#include <linux/build_bug.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <uapi/linux/vmgw.h>

#include "flow.h"
#include "netlink-gen.h"
#include "netlink-priv.h"
#include "netlink.h"
#include "policy.h"
#include "vmgw.h"

/* The spec's flow states are the flow table's. */
static_assert((int)VMGW_FLOW_STATE_SYN == (int)VMGW_FLOW_SYN &&
	      (int)VMGW_FLOW_STATE_ESTABLISHED == (int)VMGW_FLOW_EST &&
	      (int)VMGW_FLOW_STATE_FIN == (int)VMGW_FLOW_FIN &&
	      (int)VMGW_FLOW_STATE_CLOSED == (int)VMGW_FLOW_CLOSED);

/**
 * vmgw_nl_flow_fill() - put one flow message (flow-get)
 * @skb: message buffer
 * @dev: the flow's device
 * @fi: the flow
 * @portid: netlink port of the receiver
 * @seq: sequence number of the request
 * @flags: netlink message flags (NLM_F_MULTI in a dump)
 *
 * Return: 0, or -EMSGSIZE when @skb is full (nothing is left in it).
 */
int vmgw_nl_flow_fill(struct sk_buff *skb, struct net_device *dev,
		      const struct vmgw_flow_info *fi, u32 portid, u32 seq,
		      int flags)
{
	bool v4 = fi->key.family == 4;
	int alen = v4 ? 4 : 16;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vmgw_nl_family, flags,
			  VMGW_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMGW_A_FLOW_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VMGW_A_FLOW_IFNAME, dev->name) ||
	    nla_put(skb, v4 ? VMGW_A_FLOW_GUEST_IPV4 : VMGW_A_FLOW_GUEST_IPV6,
		    alen, fi->key.guest) ||
	    nla_put(skb, v4 ? VMGW_A_FLOW_PEER_IPV4 : VMGW_A_FLOW_PEER_IPV6,
		    alen, fi->key.peer) ||
	    nla_put_u16(skb, VMGW_A_FLOW_GUEST_PORT, fi->key.gport) ||
	    nla_put_u16(skb, VMGW_A_FLOW_PEER_PORT, fi->key.pport) ||
	    nla_put_u32(skb, VMGW_A_FLOW_STATE, fi->state) ||
	    nla_put_u32(skb, VMGW_A_FLOW_EXPIRES_MS,
			jiffies_to_msecs(fi->expires))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The flow key of a flow-get request. */
static int vmgw_nl_flow_key(struct nlattr **tb, struct vmgw_flow_key *k,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *g4 = tb[VMGW_A_FLOW_GUEST_IPV4];
	struct nlattr *p4 = tb[VMGW_A_FLOW_PEER_IPV4];
	struct nlattr *g6 = tb[VMGW_A_FLOW_GUEST_IPV6];
	struct nlattr *p6 = tb[VMGW_A_FLOW_PEER_IPV6];
	static const u16 need[] = {
		VMGW_A_FLOW_GUEST_PORT, VMGW_A_FLOW_PEER_PORT,
	};
	unsigned int i;

	memset(k, 0, sizeof(*k));
	if ((g4 || p4) && (g6 || p6)) {
		NL_SET_ERR_MSG_ATTR(extack, g6 ?: p6,
				    "IPv4 and IPv6 addresses exclude each other");
		return -EINVAL;
	}
	if (!(g4 && p4) && !(g6 && p6)) {
		NL_SET_ERR_MSG(extack,
			       "guest-ipv4 and peer-ipv4, or guest-ipv6 and peer-ipv6, are required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, g4 || g6 ?
				     (g4 ? VMGW_A_FLOW_PEER_IPV4 :
				      VMGW_A_FLOW_PEER_IPV6) :
				     (p6 ? VMGW_A_FLOW_GUEST_IPV6 :
				      VMGW_A_FLOW_GUEST_IPV4));
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (!tb[need[i]]) {
			NL_SET_ERR_MSG(extack, "guest-port and peer-port are required");
			NL_SET_ERR_ATTR_MISS(extack, NULL, need[i]);
			return -EINVAL;
		}
	}
	k->family = g4 ? 4 : 6;
	memcpy(k->guest, nla_data(g4 ?: g6), nla_len(g4 ?: g6));
	memcpy(k->peer, nla_data(p4 ?: p6), nla_len(p4 ?: p6));
	k->gport = nla_get_u16(tb[VMGW_A_FLOW_GUEST_PORT]);
	k->pport = nla_get_u16(tb[VMGW_A_FLOW_PEER_PORT]);
	return 0;
}

static int vmgw_nl_flow_get_reply(struct sk_buff *msg, struct net_device *dev,
				  struct sk_buff *skb, struct genl_info *info,
				  const void *arg)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	struct vmgw_flow_info fi;

	if (!vmgw_flow_get(vg->policy->flows, arg, jiffies, &fi)) {
		NL_SET_ERR_MSG(info->extack, "no such flow");
		return -ENOENT;
	}
	return vmgw_nl_flow_fill(msg, dev, &fi, info->snd_portid,
				 info->snd_seq, 0);
}

/**
 * vmgw_nl_flow_get_doit() - flow-get: one live flow of a device
 * @skb: the request
 * @info: the device, guest and peer addresses and ports
 *
 * Return: 0 after the reply, -ENOENT when there is no such live flow, or
 * another negative errno, with an extack message.
 */
int vmgw_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmgw_flow_key k;
	int err;

	err = vmgw_nl_flow_key(info->attrs, &k, info->extack);
	if (err)
		return err;
	return vmgw_nl_reply_dev(skb, info, NLMSG_GOODSIZE,
				 vmgw_nl_flow_get_reply, &k);
}

struct vmgw_nl_flow_dump {
	struct sk_buff *skb;
	struct net_device *dev;
	u32 portid;
	u32 seq;
};

static int vmgw_nl_flow_visit(void *arg, const struct vmgw_flow_info *fi)
{
	struct vmgw_nl_flow_dump *d = arg;

	return vmgw_nl_flow_fill(d->skb, d->dev, fi, d->portid, d->seq,
				 NLM_F_MULTI);
}

/* Flows of @dev from the cursor in cb->args[1] (bucket), cb->args[2]. */
static int vmgw_nl_dump_dev_flows(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct net_device *dev)
{
	struct vmgw_nl_flow_dump d = {
		.skb = skb,
		.dev = dev,
		.portid = NETLINK_CB(cb->skb).portid,
		.seq = cb->nlh->nlmsg_seq,
	};
	struct vmgw_dev *vg = netdev_priv(dev);
	struct vmgw_flow_cursor cur = {
		.bucket = cb->args[1],
		.skip = cb->args[2],
	};
	int err;

	err = vmgw_flows_walk(vg->policy->flows, &cur, jiffies,
			      vmgw_nl_flow_visit, &d);
	cb->args[1] = cur.bucket;
	cb->args[2] = cur.skip;
	return err;
}

/**
 * vmgw_nl_flow_get_dumpit() - flow-get: the live flows of every device of the socket's namespace
 * @skb: the dump skb to fill
 * @cb: dump state: devices done, and the flow walk's cursor
 *
 * Return: the length of @skb (0 when the dump is complete), or a negative
 * errno.
 */
int vmgw_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vmgw_nl_dump_objs(skb, cb, vmgw_nl_dump_dev_flows);
}
