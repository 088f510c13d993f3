// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "vmgw" (Documentation/netlink/specs/vmgw.yaml):
 * the family itself, and what its handlers share: the lookup of the device
 * a request addresses, the reply to a do request about one device, and the
 * dumps over every vmgw device of a namespace. The handlers are in
 * netlink-dev.c (dev-get, dev-set, stats-get), netlink-policy.c (the policy
 * settings of dev-get and dev-set), netlink-rule.c (rule-add, rule-del,
 * rule-get) and netlink-flow.c (flow-get); netlink-event.c puts the
 * messages of the events group.
 *
 * The policies and the op table are generated from the spec
 * (netlink-gen.[ch], "make netlink-gen"). The family struct is written
 * here: ynl-gen-c.py leaves it to the code for genetlink-legacy specs
 * (needed for GENL_UNS_ADMIN_PERM), and the events group needs a
 * permission flag the spec cannot express.
 *
 * Locking: a handler that addresses a device looks it up and uses it under
 * RTNL, so neither the device nor its settings change under it. Dumps take
 * RTNL once per filled skb.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/vmgw.h>

#include "netlink-gen.h"
#include "netlink-priv.h"
#include "netlink.h"
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
