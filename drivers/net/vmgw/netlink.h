/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family as the rest of vmgw (and KUnit) uses it. The
 * netlink files share more among themselves in netlink-priv.h.
 */
#ifndef _VMGW_NETLINK_H
#define _VMGW_NETLINK_H

#include <linux/netlink.h>
#include <linux/types.h>

#include "stats.h"

struct net_device;
struct sk_buff;
struct vmgw_dev;
struct vmgw_flow_info;
struct vmgw_frame_info;
struct vmgw_rule;

int vmgw_nl_register(void);
void vmgw_nl_unregister(void);

int vmgw_nl_dev_fill(struct sk_buff *skb, struct net_device *dev,
		     u32 portid, u32 seq, int flags, u8 cmd, bool policy);
size_t vmgw_nl_dev_size(void);
int vmgw_nl_stats_fill(struct sk_buff *skb, struct net_device *dev,
		       u32 portid, u32 seq, int flags, u8 cmd);
int vmgw_nl_set_rings(struct vmgw_dev *vg, const struct nlattr *g2h,
		      const struct nlattr *h2g, struct netlink_ext_ack *extack);
int vmgw_nl_rule_parse(struct nlattr **tb, struct vmgw_rule *r,
		       struct netlink_ext_ack *extack);
int vmgw_nl_rule_fill(struct sk_buff *skb, struct net_device *dev,
		      const struct vmgw_rule *r, u32 portid, u32 seq,
		      int flags);
int vmgw_nl_flow_fill(struct sk_buff *skb, struct net_device *dev,
		      const struct vmgw_flow_info *fi, u32 portid, u32 seq,
		      int flags);
void vmgw_nl_notify_attach(struct vmgw_dev *vg, bool attached);
void vmgw_nl_dev_setup(struct vmgw_dev *vg);
int vmgw_nl_deny_fill(struct sk_buff *skb, struct vmgw_dev *vg,
		      const struct vmgw_frame_info *fi, enum vmgw_stat why,
		      u32 suppressed);
void vmgw_nl_notify_deny(struct vmgw_dev *vg, const struct vmgw_frame_info *fi,
			 enum vmgw_stat why);

#endif /* _VMGW_NETLINK_H */
