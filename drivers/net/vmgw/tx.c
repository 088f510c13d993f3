// SPDX-License-Identifier: GPL-2.0
/*
 * Host -> guest: ndo_start_xmit puts frames on the h2g ring of the attached
 * queue, read() takes them off.
 *
 * Flow control instead of tail drop: when the ring fills, the tx queue is
 * stopped and the qdisc holds further frames; read() wakes the queue once
 * there is room again. Both sides re-check after a full barrier, so a wake
 * cannot be lost between "ring full" and "queue stopped".
 *
 * Before a frame is queued, the policy sees it: a TCP SYN opens a flow (a
 * connection to a port the guest publishes), other TCP segments refresh
 * theirs, and DNS answers from a resolver (UDP, or TCP with whole
 * messages in the segment) teach the addresses of allowed host names,
 * before the guest can use them. Only a SYN that finds the flow table
 * full is dropped (tx_drop_flow_cap).
 */
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "classify.h"
#include "policy.h"
#include "vmgw.h"

#define UDP_HLEN	8

/*
 * The DNS message(s) of an answer to the guest, at @off for @len bytes:
 * in place when linear, else copied into the device's buffer of
 * %VMGW_TX_DNS_BUF bytes, which the tx queue lock serialises. Nothing is
 * allocated per frame: a non-linear payload longer than the buffer is
 * not learned from (dns_too_long). Real answers are far shorter (UDP
 * ones are bounded by the EDNS size the guest's resolver advertises).
 */
static void vmgw_tx_dns_msg(struct vmgw_dev *vg, const struct sk_buff *skb,
			    unsigned int off, unsigned int len, bool tcp)
{
	const u8 *msg;

	if (off > skb->len || len > skb->len - off)
		return;
	if (skb_headlen(skb) >= off + len) {
		msg = skb->data + off;
	} else if (len > VMGW_TX_DNS_BUF) {
		vmgw_stats_add(vg->stats, VMGW_STAT_DNS_TOO_LONG, 1);
		return;
	} else if (!skb_copy_bits(skb, off, vg->dns_buf, len)) {
		msg = vg->dns_buf;
	} else {
		return;
	}
	if (tcp)
		vmgw_policy_learn_dns_tcp(vg->policy, msg, len, jiffies,
					  vg->stats);
	else
		vmgw_policy_learn_dns(vg->policy, msg, len, jiffies,
				      vg->stats);
}

/* Learn from the DNS message in a UDP answer to the guest. */
static void vmgw_tx_dns_udp(struct vmgw_dev *vg, const struct sk_buff *skb,
			    const struct vmgw_frame_info *fi)
{
	u8 ulen[2];

	/* The classifier checked the UDP length against the frame. */
	if (skb_copy_bits(skb, fi->l4_off + 4, ulen, 2) ||
	    vmgw_get_be16(ulen) < UDP_HLEN)
		return;
	vmgw_tx_dns_msg(vg, skb, fi->l4_off + UDP_HLEN,
			vmgw_get_be16(ulen) - UDP_HLEN, false);
}

/*
 * Learn from the payload of a TCP segment from a resolver: it ends where
 * the IP datagram does (the frame may be padded), it starts after the TCP
 * header and its options.
 */
static void vmgw_tx_dns_tcp(struct vmgw_dev *vg, const struct sk_buff *skb,
			    const struct vmgw_frame_info *fi)
{
	unsigned int start, end;
	u8 b[2];

	if (fi->ip_version == 4) {
		if (skb_copy_bits(skb, fi->l3_off + 2, b, 2))
			return;
		end = fi->l3_off + vmgw_get_be16(b);
	} else {
		if (skb_copy_bits(skb, fi->l3_off + 4, b, 2))
			return;
		end = fi->l3_off + sizeof(struct ipv6hdr) + vmgw_get_be16(b);
	}
	if (skb_copy_bits(skb, fi->l4_off + 12, b, 1))
		return;
	start = fi->l4_off + (b[0] >> 4) * 4;
	if (start < end)
		vmgw_tx_dns_msg(vg, skb, start, end - start, true);
}

/*
 * What the policy learns from a frame to the guest; @local: it comes from
 * a socket of the gateway namespace. Return: false when the frame must be
 * dropped (a SYN for which the flow table has no room), counted here.
 */
static bool vmgw_tx_policy(struct vmgw_dev *vg, const struct sk_buff *skb,
			   bool local)
{
	unsigned int view_len = min_t(unsigned int, skb->len,
				      VMGW_CLASSIFY_VIEW);
	struct vmgw_verdict v = { VMGW_ACT_PASS };
	u8 buf[VMGW_CLASSIFY_VIEW];
	struct vmgw_frame_info fi;
	const u8 *view;

	view = skb_header_pointer(skb, 0, view_len, buf);
	if (unlikely(!view))
		return true;
	switch (vmgw_classify(view, view_len, skb->len, &fi)) {
	case VMGW_CLASS_TCP_SYN:
	case VMGW_CLASS_TCP:
		v = vmgw_policy_tx_tcp(vg->policy, &fi, local, jiffies);
		break;
	case VMGW_CLASS_DNS:
		if (fi.l4_proto == IPPROTO_TCP)
			v = vmgw_policy_tx_tcp(vg->policy, &fi, local,
					       jiffies);
		if (!vmgw_policy_wants_dns(vg->policy, &fi))
			break;
		if (fi.l4_proto == IPPROTO_TCP)
			vmgw_tx_dns_tcp(vg, skb, &fi);
		else
			vmgw_tx_dns_udp(vg, skb, &fi);
		break;
	default:
		break;
	}
	if (v.act == VMGW_ACT_FLOW_NEW)
		vmgw_stats_add(vg->stats, VMGW_STAT_FLOW_OPENED, 1);
	if (v.act != VMGW_ACT_DROP)
		return true;
	vmgw_stats_add(vg->stats, VMGW_STAT_TX_DROP_FLOW_CAP, 1);
	return false;
}

/**
 * vmgw_tx_xmit() - ndo_start_xmit: queue one frame for the guest
 * @skb: frame from the stack
 * @dev: vmgw device
 *
 * Context: BH disabled (RCU-bh read side), tx queue lock held.
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY when the ring is full (the queue
 * is then stopped and the qdisc requeues @skb).
 */
netdev_tx_t vmgw_tx_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	struct vmgw_dev *vg = netdev_priv(dev);
	unsigned int len = skb->len;
	struct mem_cgroup *memcg;
	struct vmgw_queue *q;
	bool local;
	bool pass;

	q = rcu_dereference_bh(vg->queue);
	if (unlikely(!q)) {
		vmgw_stats_add(vg->stats, VMGW_STAT_TX_DROP_NO_QUEUE, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NETDEV_TX_OK;
	}

	if (unlikely(ptr_ring_full(&q->h2g))) {
		netif_tx_stop_queue(txq);
		/* Pairs with the barrier in vmgw_tx_wake(). */
		smp_mb__after_atomic();
		if (ptr_ring_full(&q->h2g))
			return NETDEV_TX_BUSY;
		netif_tx_start_queue(txq);
	}

	/* The frame leaves this host's stack: drop socket and conntrack refs. */
	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC))) {
		vmgw_stats_add(vg->stats, VMGW_STAT_TX_DROP_ORPHAN, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return NETDEV_TX_OK;
	}
	skb_tx_timestamp(skb);
	/* A socket of this namespace sent it; a forwarded frame has none. */
	local = !!skb->sk;
	skb_orphan(skb);
	nf_reset_ct(skb);
	/* Flows and learned addresses are charged to the VMM's memcg. */
	memcg = set_active_memcg(q->memcg);
	pass = vmgw_tx_policy(vg, skb, local);
	set_active_memcg(memcg);
	if (unlikely(!pass)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_TAP_FILTER);
		return NETDEV_TX_OK;
	}

	/* Only this function produces, under the tx queue lock: cannot fail. */
	if (WARN_ON_ONCE(ptr_ring_produce(&q->h2g, skb))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_FULL_RING);
		return NETDEV_TX_OK;
	}
	vmgw_stats_add(vg->stats, VMGW_STAT_TX_PACKETS, 1);
	vmgw_stats_add(vg->stats, VMGW_STAT_TX_BYTES, len);
	if (wq_has_sleeper(&q->wq))
		wake_up_interruptible_poll(&q->wq, EPOLLIN | EPOLLRDNORM);
	return NETDEV_TX_OK;
}

/**
 * vmgw_tx_wake() - restart a stopped tx queue once the reader made room
 * @q: queue a frame was just consumed from
 * @dev: its device
 *
 * Context: process, RCU read side held by the caller (keeps @dev and the
 * ring). The wake raises the tx softirq, so it runs with BH off to let
 * that softirq run at once.
 */
void vmgw_tx_wake(struct vmgw_queue *q, struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);

	/* Pairs with the barrier in vmgw_tx_xmit(). */
	smp_mb();
	/* The h2g producer lock is taken in BH (xmit): the _bh variant. */
	if (netif_tx_queue_stopped(txq) && !ptr_ring_full_bh(&q->h2g)) {
		local_bh_disable();
		netif_tx_wake_queue(txq);
		local_bh_enable();
	}
}
