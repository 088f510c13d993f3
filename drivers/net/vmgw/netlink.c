// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "vmgw": the handlers of the operations of
 * Documentation/netlink/specs/vmgw.yaml, except those in netlink-rule.c
 * (rule-add, rule-del, rule-get), netlink-flow.c (flow-get),
 * netlink-event.c (the events group) and netlink-policy.c (the policy
 * settings of dev-get and dev-set). The policies and the op table are
 * generated from the spec (netlink-gen.[ch], "make netlink-gen"). The
 * family struct is written here: ynl-gen-c.py leaves it to the code for
 * genetlink-legacy specs (needed for GENL_UNS_ADMIN_PERM), and the events
 * group needs a permission flag the spec cannot express.
 *
 * Locking: a handler that addresses a device looks it up and uses it under
 * RTNL, so neither the device nor its settings change under it. Dumps take
 * RTNL once per filled skb.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/vmgw.h>

#include "classify.h"
#include "netlink-gen.h"
#include "netlink-priv.h"
#include "netlink.h"
#include "policy.h"
#include "vmgw.h"

/*
 * Every attribute set of a command that addresses a device starts with the
 * same selectors, so one lookup serves all of them.
 */
#define VMGW_NL_SAME_SEL(a)						\
	static_assert((int)VMGW_A_RULE_##a == (int)VMGW_A_DEV_##a &&	\
		      (int)VMGW_A_FLOW_##a == (int)VMGW_A_DEV_##a &&	\
		      (int)VMGW_A_STATS_##a == (int)VMGW_A_DEV_##a)
VMGW_NL_SAME_SEL(IFINDEX);
VMGW_NL_SAME_SEL(IFNAME);
VMGW_NL_SAME_SEL(NETNS_FD);
VMGW_NL_SAME_SEL(NETNS_ID);
/* The spec's ring limits are the ones ethtool -G enforces. */
static_assert(VMGW_RING_MIN == VMGW_RING_SIZE_MIN);
static_assert(VMGW_RING_MAX == VMGW_RING_SIZE_MAX);

/* The events group reports denials, which reveal the policy. */
static const struct genl_multicast_group vmgw_nl_mcgrps[] = {
	[VMGW_NLGRP_EVENTS] = {
		.name	= VMGW_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family vmgw_nl_family __ro_after_init = {
	.name		= VMGW_FAMILY_NAME,
	.version	= VMGW_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= vmgw_nl_ops,
	.n_ops		= ARRAY_SIZE(vmgw_nl_ops),
	.mcgrps		= vmgw_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vmgw_nl_mcgrps),
};

/*
 * The namespace a request addresses: the one of netns-fd or netns-id, which
 * needs CAP_NET_ADMIN there, or else the socket's. Return: a reference for
 * the caller to put, or an ERR_PTR.
 */
static struct net *vmgw_nl_get_net(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *fd = info->attrs[VMGW_A_DEV_NETNS_FD];
	struct nlattr *id = info->attrs[VMGW_A_DEV_NETNS_ID];
	struct netlink_ext_ack *extack = info->extack;
	struct net *net;

	if (fd && id) {
		NL_SET_ERR_MSG_ATTR(extack, id, "netns-id and netns-fd exclude each other");
		return ERR_PTR(-EINVAL);
	}
	if (fd) {
		net = get_net_ns_by_fd(nla_get_u32(fd));
		if (IS_ERR(net)) {
			NL_SET_ERR_MSG_ATTR(extack, fd, "netns-fd is not a network namespace");
			return net;
		}
	} else if (id) {
		net = get_net_ns_by_id(genl_info_net(info), nla_get_s32(id));
		if (!net) {
			NL_SET_ERR_MSG_ATTR(extack, id, "netns-id names no namespace");
			return ERR_PTR(-EINVAL);
		}
	} else {
		return get_net(genl_info_net(info));
	}
	if (!netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN)) {
		put_net(net);
		NL_SET_ERR_MSG_ATTR(extack, fd ?: id,
				    "CAP_NET_ADMIN is needed in the namespace of netns-fd or netns-id");
		return ERR_PTR(-EPERM);
	}
	return net;
}

/* The vmgw device named by ifindex or ifname (both: they must agree). */
static struct net_device *vmgw_nl_find_dev(struct net *net,
					   struct genl_info *info)
{
	struct nlattr *ifindex = info->attrs[VMGW_A_DEV_IFINDEX];
	struct nlattr *ifname = info->attrs[VMGW_A_DEV_IFNAME];
	struct netlink_ext_ack *extack = info->extack;
	char name[IFNAMSIZ] = "";
	struct net_device *dev;

	if (ifname)
		nla_strscpy(name, ifname, sizeof(name));
	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ifindex, "ifindex: no such device");
			return ERR_PTR(-ENODEV);
		}
		if (ifname && strcmp(dev->name, name)) {
			NL_SET_ERR_MSG_ATTR(extack, ifname, "ifname does not match ifindex");
			return ERR_PTR(-EINVAL);
		}
	} else if (ifname) {
		dev = __dev_get_by_name(net, name);
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ifname, "ifname: no such device");
			return ERR_PTR(-ENODEV);
		}
	} else {
		NL_SET_ERR_MSG(extack, "ifindex or ifname is required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, VMGW_A_DEV_IFINDEX);
		return ERR_PTR(-EINVAL);
	}
	if (!vmgw_dev_is_vmgw(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "ifindex/ifname: not a vmgw device");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/**
 * vmgw_nl_lock_dev() - take RTNL and look up the device a request addresses
 * @skb: the request
 * @info: its netns-fd or netns-id, and ifindex or ifname
 *
 * Context: process; takes RTNL.
 * Return: the device, with RTNL held until the caller releases it, or an
 * ERR_PTR (with an extack message) without RTNL.
 */
struct net_device *vmgw_nl_lock_dev(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct net_device *dev;
	struct net *net;

	net = vmgw_nl_get_net(skb, info);
	if (IS_ERR(net))
		return ERR_CAST(net);
	rtnl_lock();
	dev = vmgw_nl_find_dev(net, info);
	if (IS_ERR(dev))
		rtnl_unlock();
	/* Under RTNL a namespace cannot dismantle its devices. */
	put_net(net);
	return dev;
}

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

/**
 * vmgw_nl_reply_dev() - answer a do request about one device
 * @skb: the request
 * @info: the device (as vmgw_nl_lock_dev() takes it), port and sequence
 * @size: room for the reply
 * @fill: puts the reply, under RTNL
 * @arg: for @fill: what the handler parsed from the request, or NULL
 *
 * Allocates the reply, looks up and locks the device, lets @fill put the
 * reply, unlocks and sends it.
 *
 * Context: process; takes RTNL.
 * Return: 0 after the reply, or a negative errno (-ENOMEM, the lookup's or
 * @fill's) and no reply.
 */
int vmgw_nl_reply_dev(struct sk_buff *skb, struct genl_info *info,
		      size_t size, vmgw_nl_reply_fill_t fill, const void *arg)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	dev = vmgw_nl_lock_dev(skb, info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto free_msg;
	}
	err = fill(msg, dev, skb, info, arg);
	rtnl_unlock();
	if (err)
		goto free_msg;
	return genlmsg_reply(msg, info);

free_msg:
	nlmsg_free(msg);
	return err;
}

/**
 * vmgw_nl_dump_devs() - dump one message per vmgw device of the socket's namespace
 * @skb: the dump skb to fill
 * @cb: dump state; cb->args[0] counts the devices already dumped
 * @fill: puts the message of one device
 *
 * A device that comes or goes between two calls may shift the count in
 * cb->args[0], as in other netdev dumps.
 *
 * Context: process; takes RTNL.
 * Return: the length of @skb (0 when the dump is complete), or a negative
 * errno.
 */
int vmgw_nl_dump_devs(struct sk_buff *skb, struct netlink_callback *cb,
		      vmgw_nl_fill_t fill)
{
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	bool admin;
	int err = 0;

	admin = netlink_ns_capable(cb->skb, net->user_ns, CAP_NET_ADMIN);
	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!vmgw_dev_is_vmgw(dev))
			continue;
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		err = fill(skb, dev, NETLINK_CB(cb->skb).portid,
			   cb->nlh->nlmsg_seq, NLM_F_MULTI, ghdr->cmd, admin);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	/* A full skb goes out and the next call resumes at the same device. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
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
 * Return: 0, or -EBUSY while a file is attached (nothing changes).
 */
int vmgw_nl_set_rings(struct vmgw_dev *vg, const struct nlattr *g2h,
		      const struct nlattr *h2g, struct netlink_ext_ack *extack)
{
	int err = vmgw_nl_rings_busy(vg, g2h, h2g, extack);

	if (err)
		return err;
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

/**
 * vmgw_nl_dump_objs() - dump the rules or flows of every vmgw device of the socket's namespace
 * @skb: the dump skb to fill
 * @cb: dump state; cb->args[0] counts the devices done
 * @one: dumps the objects of one device, keeping its place in that device
 *	in cb->args[1] and cb->args[2]
 *
 * Context: process; takes RTNL.
 * Return: the length of @skb (0 when the dump is complete), or a negative
 * errno.
 */
int vmgw_nl_dump_objs(struct sk_buff *skb, struct netlink_callback *cb,
		      vmgw_nl_dump_dev_t one)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!vmgw_dev_is_vmgw(dev) || idx++ < cb->args[0])
			continue;
		err = one(skb, cb, dev);
		if (err)
			break;
		cb->args[0] = idx;
		cb->args[1] = 0;
		cb->args[2] = 0;
	}
	rtnl_unlock();
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/**
 * vmgw_nl_register() - register the generic netlink family "vmgw"
 *
 * Return: 0 or the error of genl_register_family().
 */
int vmgw_nl_register(void)
{
	return genl_register_family(&vmgw_nl_family);
}

/**
 * vmgw_nl_unregister() - unregister the family
 */
void vmgw_nl_unregister(void)
{
	genl_unregister_family(&vmgw_nl_family);
}
