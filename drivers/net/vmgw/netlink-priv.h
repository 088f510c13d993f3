/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the generic netlink family share: netlink.c (the
 * family, the device lookup, replies and dumps) and the handlers in
 * netlink-*.c. The rest of the module uses netlink.h.
 */
#ifndef _VMGW_NETLINK_PRIV_H
#define _VMGW_NETLINK_PRIV_H

#include <linux/types.h>
#include <uapi/linux/vmgw.h>

#include "policy.h"

struct genl_family;
struct genl_info;
struct net_device;
struct netlink_callback;
struct netlink_ext_ack;
struct sk_buff;

/* An allowed host as text: "*." (wildcards), the name, a NUL. */
#define VMGW_NL_HOST_LEN	(VMGW_HOSTNAME_LEN_MAX + 3)

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

/**
 * struct vmgw_nl_policy_req - the policy part of a dev-set request, checked
 * @guest: the guest's addresses after the request (merged with the ones
 *	in force)
 * @lim: flow limits after the request
 * @res: resolvers, when @res_set
 * @hosts: pointers into @host_text, when @hosts_set
 * @host_text: NUL-terminated copies of the allow-host attributes
 * @mode: the new mode, or -1 to keep it
 * @floor: the new floor, or -1 to keep it
 * @n_res: number of @res
 * @n_hosts: number of @hosts
 * @guest_set: @guest changes
 * @lim_set: @lim changes
 * @res_set: the resolvers change
 * @hosts_set: the allowed hosts change
 */
struct vmgw_nl_policy_req {
	struct vmgw_guest_id		guest;
	struct vmgw_flow_limits		lim;
	struct vmgw_policy_addr		res[VMGW_RESOLVERS_MAX];
	const char			*hosts[VMGW_ALLOW_HOST_MAX];
	char				(*host_text)[VMGW_NL_HOST_LEN];
	int				mode;
	int				floor;
	unsigned int			n_res;
	unsigned int			n_hosts;
	bool				guest_set;
	bool				lim_set;
	bool				res_set;
	bool				hosts_set;
};

int vmgw_nl_put_policy(struct sk_buff *skb, struct vmgw_policy *pol);
int vmgw_nl_policy_parse(struct vmgw_policy *pol, struct genl_info *info,
			 struct vmgw_nl_policy_req *req);
int vmgw_nl_policy_apply(struct vmgw_policy *pol,
			 const struct vmgw_nl_policy_req *req,
			 struct netlink_ext_ack *extack);

#endif /* _VMGW_NETLINK_PRIV_H */
