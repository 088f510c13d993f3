// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: a vmgw device's own settings and counters. dev-get and
 * dev-set (MTU and ring sizes here; the policy settings in
 * netlink-policy.c), and stats-get (the counters of ethtool -S).
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <uapi/linux/vmgw.h>

#include "netlink-gen.h"
#include "netlink-priv.h"
#include "netlink.h"
#include "policy.h"
#include "vmgw.h"

/* The spec's ring limits are the ones ethtool -G enforces. */
static_assert(VMGW_RING_MIN == VMGW_RING_SIZE_MIN);
static_assert(VMGW_RING_MAX == VMGW_RING_SIZE_MAX);

/**
 * vmgw_nl_dev_fill() - put one device message (dev-get and its notifications)
 * @skb: message buffer
 * @dev: a vmgw device
 * @portid: netlink port of the receiver, 0 for a notification
 * @seq: sequence number of the request, 0 for a notification
 * @flags: netlink message flags (NLM_F_MULTI in a dump)
 * @cmd: VMGW_CMD_DEV_GET, VMGW_CMD_DEV_ATTACH_NTF or VMGW_CMD_DEV_DETACH_NTF
 * @policy: put the policy too (the receiver has CAP_NET_ADMIN over the
 *	device's namespace); it needs up to vmgw_nl_dev_size() bytes
 *
 * Context: RTNL held; takes the policy mutex when @policy.
 * Return: 0, or -EMSGSIZE when @skb is full (nothing is left in it).
 */
int vmgw_nl_dev_fill(struct sk_buff *skb, struct net_device *dev,
		     u32 portid, u32 seq, int flags, u8 cmd, bool policy)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vmgw_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VMGW_A_DEV_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VMGW_A_DEV_IFNAME, dev->name) ||
	    nla_put_u8(skb, VMGW_A_DEV_ATTACHED, !!rtnl_dereference(vg->queue)) ||
	    nla_put_u32(skb, VMGW_A_DEV_MTU, dev->mtu) ||
	    nla_put_u32(skb, VMGW_A_DEV_MIN_MTU, dev->min_mtu) ||
	    nla_put_u32(skb, VMGW_A_DEV_MAX_MTU, dev->max_mtu) ||
	    nla_put_u32(skb, VMGW_A_DEV_G2H_RING_SIZE, vg->g2h_size) ||
	    nla_put_u32(skb, VMGW_A_DEV_H2G_RING_SIZE, vg->h2g_size) ||
	    (policy && vmgw_nl_put_policy(skb, vg->policy))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * vmgw_nl_dev_size() - room for the largest dev-get message
 *
 * Return: bytes, the policy (up to %VMGW_ALLOW_HOST_MAX host names)
 * included.
 */
size_t vmgw_nl_dev_size(void)
{
	return NLMSG_GOODSIZE +
	       VMGW_ALLOW_HOST_MAX * nla_total_size(VMGW_NL_HOST_LEN);
}

static int vmgw_nl_dev_get_reply(struct sk_buff *msg, struct net_device *dev,
				 struct sk_buff *skb, struct genl_info *info,
				 const void *arg)
{
	bool admin = netlink_ns_capable(skb, dev_net(dev)->user_ns,
					CAP_NET_ADMIN);

	return vmgw_nl_dev_fill(msg, dev, info->snd_portid, info->snd_seq, 0,
				info->genlhdr->cmd, admin);
}

/**
 * vmgw_nl_dev_get_doit() - dev-get: one device
 * @skb: the request
 * @info: the ifindex/ifname (and netns) of the device
 *
 * Return: 0 after the reply, or a negative errno with an extack message.
 */
int vmgw_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vmgw_nl_reply_dev(skb, info, vmgw_nl_dev_size(),
				 vmgw_nl_dev_get_reply, NULL);
}

/**
 * vmgw_nl_dev_get_dumpit() - dev-get: every vmgw device of the socket's namespace
 * @skb: the dump skb to fill
 * @cb: dump state; cb->args[0] counts the devices already dumped
 *
 * Return: the length of @skb (0 when the dump is complete), or a negative
 * errno.
 */
int vmgw_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vmgw_nl_dump_devs(skb, cb, vmgw_nl_dev_fill);
}

/* Rings are sized when a file attaches, never under a running poll. */
static int vmgw_nl_rings_busy(const struct vmgw_dev *vg,
			      const struct nlattr *g2h,
			      const struct nlattr *h2g,
			      struct netlink_ext_ack *extack)
{
	if (!rtnl_dereference(vg->queue))
		return 0;
	if (g2h)
		NL_SET_ERR_MSG_ATTR(extack, g2h,
				    "g2h-ring-size cannot change while a file is attached");
	else if (h2g)
		NL_SET_ERR_MSG_ATTR(extack, h2g,
				    "h2g-ring-size cannot change while a file is attached");
	return g2h || h2g ? -EBUSY : 0;
}

/**
 * vmgw_nl_set_rings() - change ring sizes, with the rules of ethtool -G
 * @vg: the device
 * @g2h: VMGW_A_DEV_G2H_RING_SIZE, or NULL to keep the size
 * @h2g: VMGW_A_DEV_H2G_RING_SIZE, or NULL to keep the size
 * @extack: names the attribute of a refusal
 *
 * The range (16 to 16384) is checked by the policy.
 *
 * Context: RTNL held.
 * Return: 0, -EBUSY while a file is attached, or -EPERM for a size above
 * vmgw_ring_max() (nothing changes).
 */
int vmgw_nl_set_rings(struct vmgw_dev *vg, const struct nlattr *g2h,
		      const struct nlattr *h2g, struct netlink_ext_ack *extack)
{
	int err = vmgw_nl_rings_busy(vg, g2h, h2g, extack);
	const struct nlattr *big = NULL;

	if (err)
		return err;
	if (g2h && nla_get_u32(g2h) > vmgw_ring_max())
		big = g2h;
	else if (h2g && nla_get_u32(h2g) > vmgw_ring_max())
		big = h2g;
	if (big) {
		NL_SET_ERR_MSG_ATTR(extack, big,
				    VMGW_RING_UNPRIV_MSG);
		return -EPERM;
	}
	if (g2h)
		vg->g2h_size = nla_get_u32(g2h);
	if (h2g)
		vg->h2g_size = nla_get_u32(h2g);
	return 0;
}

static int vmgw_nl_check_mtu(struct net_device *dev,
			     const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	u32 mtu = nla_get_u32(attr);

	if (mtu < dev->min_mtu || mtu > dev->max_mtu) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "mtu is outside the device's min-mtu..max-mtu");
		return -EINVAL;
	}
	return 0;
}

static int vmgw_nl_set_mtu(struct net_device *dev, const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	int err = dev_set_mtu(dev, nla_get_u32(attr));

	if (err)
		NL_SET_ERR_MSG_ATTR(extack, attr, "mtu change refused");
	return err;
}

/**
 * vmgw_nl_dev_set_doit() - dev-set: change the MTU, ring sizes or policy of a device
 * @skb: the request
 * @info: the device and the attributes to change
 *
 * Every attribute is checked before anything changes. Policy settings
 * are then applied one by one; only running out of memory can stop that
 * half-way.
 *
 * Return: 0, or a negative errno with an extack message.
 */
int vmgw_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *g2h = info->attrs[VMGW_A_DEV_G2H_RING_SIZE];
	struct nlattr *h2g = info->attrs[VMGW_A_DEV_H2G_RING_SIZE];
	struct nlattr *mtu = info->attrs[VMGW_A_DEV_MTU];
	struct vmgw_nl_policy_req *req;
	struct net_device *dev;
	struct vmgw_dev *vg;
	int err;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	dev = vmgw_nl_lock_dev(skb, info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto free_req;
	}
	vg = netdev_priv(dev);
	err = vmgw_nl_rings_busy(vg, g2h, h2g, info->extack);
	if (!err && mtu)
		err = vmgw_nl_check_mtu(dev, mtu, info->extack);
	if (!err)
		err = vmgw_nl_policy_parse(vg->policy, info, req);
	if (!err && mtu)
		err = vmgw_nl_set_mtu(dev, mtu, info->extack);
	if (!err)
		err = vmgw_nl_set_rings(vg, g2h, h2g, info->extack);
	if (!err)
		err = vmgw_nl_policy_apply(vg->policy, req, info->extack);
	rtnl_unlock();
free_req:
	kfree(req->host_text);
	kfree(req);
	return err;
}

/* One counter: a VMGW_A_STATS_COUNTER nest with its ethtool -S name. */
static int vmgw_nl_put_counter(struct sk_buff *skb, unsigned int idx, u64 val)
{
	char name[ETH_GSTRING_LEN];
	struct nlattr *nest;

	nest = nla_nest_start(skb, VMGW_A_STATS_COUNTER);
	if (!nest)
		return -EMSGSIZE;
	vmgw_stat_name(idx, name);
	if (nla_put_string(skb, VMGW_A_COUNTER_NAME, name) ||
	    nla_put_u64_64bit(skb, VMGW_A_COUNTER_VALUE, val,
			      VMGW_A_COUNTER_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * vmgw_nl_stats_fill() - put one stats-get message: every counter
 * @skb: message buffer
 * @dev: a vmgw device
 * @portid: netlink port of the receiver
 * @seq: sequence number of the request
 * @flags: netlink message flags (NLM_F_MULTI in a dump)
 * @cmd: VMGW_CMD_STATS_GET
 *
 * The counters are those of ethtool -S, in its order and with its names.
 *
 * Return: 0, or -EMSGSIZE when @skb is full (nothing is left in it).
 */
int vmgw_nl_stats_fill(struct sk_buff *skb, struct net_device *dev,
		       u32 portid, u32 seq, int flags, u8 cmd)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	u64 c[VMGW_STAT_MAX];
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vmgw_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	vmgw_stats_read(vg->stats, c);
	vmgw_policy_stats_fill(vg->policy, c);
	if (nla_put_u32(skb, VMGW_A_STATS_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VMGW_A_STATS_IFNAME, dev->name) ||
	    nla_put_u64_64bit(skb, VMGW_A_STATS_RX_PACKETS,
			      c[VMGW_STAT_RX_PACKETS], VMGW_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VMGW_A_STATS_RX_BYTES,
			      c[VMGW_STAT_RX_BYTES], VMGW_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VMGW_A_STATS_TX_PACKETS,
			      c[VMGW_STAT_TX_PACKETS], VMGW_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VMGW_A_STATS_TX_BYTES,
			      c[VMGW_STAT_TX_BYTES], VMGW_A_STATS_PAD))
		goto cancel;
	for (i = 0; i < VMGW_STAT_MAX; i++)
		if (vmgw_nl_put_counter(skb, i, c[i]))
			goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int vmgw_nl_stats_fill_any(struct sk_buff *skb, struct net_device *dev,
				  u32 portid, u32 seq, int flags, u8 cmd,
				  bool admin)
{
	return vmgw_nl_stats_fill(skb, dev, portid, seq, flags, cmd);
}

static int vmgw_nl_stats_get_reply(struct sk_buff *msg, struct net_device *dev,
				   struct sk_buff *skb, struct genl_info *info,
				   const void *arg)
{
	return vmgw_nl_stats_fill(msg, dev, info->snd_portid, info->snd_seq, 0,
				  info->genlhdr->cmd);
}

/**
 * vmgw_nl_stats_get_doit() - stats-get: the counters of one device
 * @skb: the request
 * @info: the ifindex/ifname (and netns) of the device
 *
 * Return: 0 after the reply, or a negative errno with an extack message.
 */
int vmgw_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vmgw_nl_reply_dev(skb, info, NLMSG_GOODSIZE,
				 vmgw_nl_stats_get_reply, NULL);
}

/**
 * vmgw_nl_stats_get_dumpit() - stats-get: the counters of every device of the socket's namespace
 * @skb: the dump skb to fill
 * @cb: dump state; cb->args[0] counts the devices already dumped
 *
 * Return: the length of @skb (0 when the dump is complete), or a negative
 * errno.
 */
int vmgw_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vmgw_nl_dump_devs(skb, cb, vmgw_nl_stats_fill_any);
}
