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
 * theirs, and DNS answers from a resolver to queries the guest sent (UDP,
 * or TCP messages whole in a segment and at a message boundary of the
 * stream) teach the addresses of allowed host names, before the guest can
 * use them. Only a SYN that finds the flow table
 * full is dropped (tx_drop_flow_cap).
 */
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "classify.h"
#include "pure.h"
#include "policy.h"
#include "vmgw.h"

#define UDP_HLEN	8

/**
 * vmgw_skb_l4_payload() - where the payload of a classified TCP or UDP
 *	frame lies
 * @skb: the frame
 * @fi: what vmgw_classify() found in it (not a fragment)
 * @start: receives the offset of the payload's first byte
 * @end: receives the offset after its last byte: where the UDP length or
 *	the IP datagram ends (the frame may be padded beyond)
 *
 * Context: any.
 * Return: false when the headers cannot be read or disagree with @skb.
 */
bool vmgw_skb_l4_payload(const struct sk_buff *skb,
			 const struct vmgw_frame_info *fi,
			 unsigned int *start, unsigned int *end)
{
	u8 b[2];

	if (fi->l4_proto == IPPROTO_UDP) {
		/* The classifier checked the UDP length against the frame. */
		if (skb_copy_bits(skb, fi->l4_off + 4, b, 2) ||
		    vmgw_get_be16(b) < UDP_HLEN)
			return false;
		*start = fi->l4_off + UDP_HLEN;
		*end = fi->l4_off + vmgw_get_be16(b);
	} else {
		if (fi->ip_version == 4) {
			if (skb_copy_bits(skb, fi->l3_off + 2, b, 2))
				return false;
			*end = fi->l3_off + vmgw_get_be16(b);
		} else {
			if (skb_copy_bits(skb, fi->l3_off + 4, b, 2))
				return false;
			*end = fi->l3_off + sizeof(struct ipv6hdr) +
			       vmgw_get_be16(b);
		}
		if (skb_copy_bits(skb, fi->l4_off + 12, b, 1))
			return false;
		*start = fi->l4_off + (b[0] >> 4) * 4;
	}
	return *start <= *end && *end <= skb->len;
}

/*
 * Learn from the DNS message in a UDP answer to the guest: in place when
 * linear, else copied into the device's buffer of %VMGW_TX_DNS_BUF bytes.
 * Nothing is allocated per frame: a non-linear payload longer than the
 * buffer is not learned from (dns_too_long). Real answers are far shorter
 * (UDP ones are bounded by the EDNS size the guest's resolver advertises).
 */
static void vmgw_tx_dns_udp(struct vmgw_dev *vg, const struct sk_buff *skb,
			    const struct vmgw_frame_info *fi)
{
	unsigned int start, end, len;
	const u8 *msg;

	if (!vmgw_skb_l4_payload(skb, fi, &start, &end))
		return;
	len = end - start;
	if (skb_headlen(skb) >= end) {
		msg = skb->data + start;
	} else if (len > VMGW_TX_DNS_BUF) {
		vmgw_stats_add(vg->stats, VMGW_STAT_DNS_TOO_LONG, 1);
		return;
	} else if (!skb_copy_bits(skb, start, vg->dns_buf, len)) {
		msg = vg->dns_buf;
	} else {
		return;
	}
	vmgw_policy_learn_dns(vg->policy, fi, msg, len, jiffies, vg->stats);
}

struct vmgw_tx_payload {
	const struct sk_buff *skb;
	unsigned int start;
};

static bool vmgw_tx_payload_read(void *arg, unsigned int off, u8 *to,
				 unsigned int len)
{
	const struct vmgw_tx_payload *p = arg;

	return !skb_copy_bits(p->skb, p->start + off, to, len);
}

/*
 * Learn from a TCP segment from a resolver (its SYN-ACK included, which
 * starts the stream): only messages at the stream's boundaries, each
 * copied into the device's buffer to be parsed.
 */
static void vmgw_tx_dns_tcp(struct vmgw_dev *vg, const struct sk_buff *skb,
			    const struct vmgw_frame_info *fi)
{
	struct vmgw_tx_payload p = { .skb = skb };
	struct vmgw_policy_tcp_seg seg = {
		.rd = vmgw_tx_payload_read,
		.arg = &p,
		.buf = vg->dns_buf,
		.buf_len = VMGW_TX_DNS_BUF,
	};
	unsigned int end;
	u8 b[4];

	if (!vmgw_skb_l4_payload(skb, fi, &p.start, &end) ||
	    skb_copy_bits(skb, fi->l4_off + 4, b, 4))
		return;
	seg.seq = vmgw_get_be32(b);
	seg.len = end - p.start;
	vmgw_policy_learn_dns_tcp(vg->policy, fi, &seg, jiffies, vg->stats);
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
		spin_lock(&vg->dns_lock);
		if (fi.l4_proto == IPPROTO_TCP)
			vmgw_tx_dns_tcp(vg, skb, &fi);
		else
			vmgw_tx_dns_udp(vg, skb, &fi);
		spin_unlock(&vg->dns_lock);
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
