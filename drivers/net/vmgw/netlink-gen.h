/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vmgw.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_VMGW_GEN_H
#define _LINUX_VMGW_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/vmgw_netlink.h>

extern const struct nla_policy vmgw_dev_get_nl_policy[VMGW_A_DEV_NETNS_ID + 1];

extern const struct nla_policy vmgw_dev_set_nl_policy[VMGW_A_DEV_UNSET + 1];

extern const struct nla_policy vmgw_rule_add_nl_policy[VMGW_A_RULE_PORT_MAX + 1];

extern const struct nla_policy vmgw_rule_del_nl_policy[VMGW_A_RULE_ALL + 1];

extern const struct nla_policy vmgw_rule_get_nl_policy[VMGW_A_RULE_PORT_MAX + 1];

extern const struct nla_policy vmgw_flow_get_nl_policy[VMGW_A_FLOW_PEER_PORT + 1];

extern const struct nla_policy vmgw_stats_get_nl_policy[VMGW_A_STATS_NETNS_ID + 1];

/* Ops table for vmgw */
extern const struct genl_ops vmgw_nl_ops[7];

int vmgw_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vmgw_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vmgw_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vmgw_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmgw_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

enum {
	VMGW_NLGRP_EVENTS,
};

#endif /* _LINUX_VMGW_GEN_H */
