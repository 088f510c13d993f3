// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink: the events group. A file attaching to or leaving a
 * device (process context, RTNL held), and the guest frames the data path
 * denies (NAPI poll), rate-limited per device. The group needs
 * CAP_NET_ADMIN (netlink.c): denials reveal the policy.
 */
#include <linux/atomic.h>
#include <linux/ethtool.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <uapi/linux/vmgw.h>

#include "classify.h"
#include "netlink-gen.h"
#include "netlink-priv.h"
#include "netlink.h"
#include "vmgw.h"

/* Deny events per second and device; the next one counts those left out. */
#define VMGW_NL_DENY_BURST	10
/* Room for one deny event: names, two IPv6 addresses, ports. */
#define VMGW_NL_DENY_SIZE	256

/**
 * vmgw_nl_notify_attach() - tell the events group a file attached or left
 * @vg: the device
 * @attached: true after attaching, false after detaching
 *
 * The message is a dev-get reply of the device as it is now. Nothing is
 * built when nobody listens in the device's namespace.
 *
 * Context: process, RTNL held (attach and detach run under it).
 */
void vmgw_nl_notify_attach(struct vmgw_dev *vg, bool attached)
{
	u8 cmd = attached ? VMGW_CMD_DEV_ATTACH_NTF : VMGW_CMD_DEV_DETACH_NTF;
	struct net *net = dev_net(vg->dev);
	struct sk_buff *skb;

	if (!genl_has_listeners(&vmgw_nl_family, net, VMGW_NLGRP_EVENTS))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (vmgw_nl_dev_fill(skb, vg->dev, 0, 0, 0, cmd, false)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&vmgw_nl_family, net, skb, 0,
				VMGW_NLGRP_EVENTS, GFP_KERNEL);
}

/**
 * vmgw_nl_dev_setup() - the family's state in a new device
 * @vg: the device, from its setup callback
 */
void vmgw_nl_dev_setup(struct vmgw_dev *vg)
{
	ratelimit_state_init(&vg->deny_rs, HZ, VMGW_NL_DENY_BURST);
	/* Left-out events are counted in the next one, not in the log. */
	ratelimit_set_flags(&vg->deny_rs, RATELIMIT_MSG_ON_RELEASE);
	atomic_set(&vg->deny_missed, 0);
}

/* Protocol, addresses and ports of a denied frame, as far as it has them. */
static int vmgw_nl_put_frame(struct sk_buff *skb,
			     const struct vmgw_frame_info *fi)
{
	bool v4 = fi->ip_version == 4;
	int alen = v4 ? 4 : 16;

	/* A malformed frame's fields are only partly parsed. */
	if (fi->class == VMGW_CLASS_MALFORMED || !fi->ip_version)
		return 0;
	if (nla_put_u8(skb, VMGW_A_EVENT_PROTO, fi->l4_proto) ||
	    nla_put(skb, v4 ? VMGW_A_EVENT_SRC_IPV4 : VMGW_A_EVENT_SRC_IPV6,
		    alen, fi->saddr) ||
	    nla_put(skb, v4 ? VMGW_A_EVENT_DST_IPV4 : VMGW_A_EVENT_DST_IPV6,
		    alen, fi->daddr))
		return -EMSGSIZE;
	if (fi->class == VMGW_CLASS_FRAGMENT ||
	    (fi->l4_proto != IPPROTO_TCP && fi->l4_proto != IPPROTO_UDP))
		return 0;
	if (nla_put_u16(skb, VMGW_A_EVENT_SRC_PORT, fi->sport) ||
	    nla_put_u16(skb, VMGW_A_EVENT_DST_PORT, fi->dport))
		return -EMSGSIZE;
	return 0;
}

/**
 * vmgw_nl_deny_fill() - put one deny event
 * @skb: message buffer
 * @vg: the device that dropped the frame
 * @fi: what the classifier found in the frame
 * @why: the drop counter the frame was counted in
 * @suppressed: denials left out by the rate limit since the last event
 *
 * Return: 0, or -EMSGSIZE when @skb is full (nothing is left in it).
 */
int vmgw_nl_deny_fill(struct sk_buff *skb, struct vmgw_dev *vg,
		      const struct vmgw_frame_info *fi, enum vmgw_stat why,
		      u32 suppressed)
{
	struct net_device *dev = vg->dev;
	char reason[ETH_GSTRING_LEN];
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &vmgw_nl_family, 0, VMGW_CMD_DENY_NTF);
	if (!hdr)
		return -EMSGSIZE;
	vmgw_stat_name(why, reason);
	if (nla_put_u32(skb, VMGW_A_EVENT_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VMGW_A_EVENT_IFNAME, dev->name) ||
	    nla_put_string(skb, VMGW_A_EVENT_REASON, reason) ||
	    nla_put_string(skb, VMGW_A_EVENT_CLASS,
			   vmgw_class_names[fi->class]) ||
	    vmgw_nl_put_frame(skb, fi) ||
	    nla_put_u32(skb, VMGW_A_EVENT_SUPPRESSED, suppressed)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * vmgw_nl_notify_deny() - report a denied guest frame on the events group
 * @vg: the device that dropped the frame
 * @fi: what the classifier found in the frame
 * @why: the drop counter the frame was counted in
 *
 * Costs one listener check while nobody listens. Otherwise at most
 * VMGW_NL_DENY_BURST events per second and device go out; the next event
 * after a gap says how many were left out.
 *
 * Context: NAPI poll (softirq).
 */
void vmgw_nl_notify_deny(struct vmgw_dev *vg, const struct vmgw_frame_info *fi,
			 enum vmgw_stat why)
{
	struct net *net = dev_net(vg->dev);
	struct sk_buff *skb;

	if (!genl_has_listeners(&vmgw_nl_family, net, VMGW_NLGRP_EVENTS))
		return;
	if (!__ratelimit(&vg->deny_rs))
		goto missed;
	skb = genlmsg_new(VMGW_NL_DENY_SIZE, GFP_ATOMIC);
	if (!skb)
		goto missed;
	if (vmgw_nl_deny_fill(skb, vg, fi, why,
			      atomic_xchg(&vg->deny_missed, 0))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&vmgw_nl_family, net, skb, 0,
				VMGW_NLGRP_EVENTS, GFP_ATOMIC);
	return;

missed:
	atomic_inc(&vg->deny_missed);
}
