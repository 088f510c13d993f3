/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the generic netlink family share: netlink.c (the
 * family, the device lookup, replies and dumps) and the handlers in
 * netlink-*.c. The rest of the module uses netlink.h.
 */
#ifndef _VMGW_NETLINK_PRIV_H
#define _VMGW_NETLINK_PRIV_H

#include <linux/types.h>

struct genl_family;
struct genl_info;
struct net_device;
struct netlink_callback;
struct sk_buff;

extern struct genl_family vmgw_nl_family;

/*
 * Put one device's message; @admin: the receiver has CAP_NET_ADMIN over the
 * device's namespace.
 */
typedef int (*vmgw_nl_fill_t)(struct sk_buff *skb, struct net_device *dev,
			      u32 portid, u32 seq, int flags, u8 cmd,
			      bool admin);

/*
 * Put into @msg the reply to the do request @skb, @info about @dev, from
 * what the handler parsed out of the request before (@arg, or NULL). A
 * negative errno, with its extack message, is the answer instead.
 */
typedef int (*vmgw_nl_reply_fill_t)(struct sk_buff *msg, struct net_device *dev,
				    struct sk_buff *skb, struct genl_info *info,
				    const void *arg);

/*
 * Dump the objects of one device from where cb->args[1] and cb->args[2] say,
 * and keep the place there; -EMSGSIZE when @skb is full.
 */
typedef int (*vmgw_nl_dump_dev_t)(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct net_device *dev);

struct net_device *vmgw_nl_lock_dev(struct sk_buff *skb,
				    struct genl_info *info);
int vmgw_nl_reply_dev(struct sk_buff *skb, struct genl_info *info,
		      size_t size, vmgw_nl_reply_fill_t fill, const void *arg);
int vmgw_nl_dump_devs(struct sk_buff *skb, struct netlink_callback *cb,
		      vmgw_nl_fill_t fill);
int vmgw_nl_dump_objs(struct sk_buff *skb, struct netlink_callback *cb,
		      vmgw_nl_dump_dev_t one);

#endif /* _VMGW_NETLINK_PRIV_H */
