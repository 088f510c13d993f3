// SPDX-License-Identifier: GPL-2.0
/*
 * Guest -> host: the NAPI poll of a queue stages each frame of the g2h ring
 * (peek, classify, decide) before it either hands it to the stack of the
 * device's namespace or drops it with a counted reason.
 *
 * Only one poll of a NAPI instance runs at a time and the ring has no other
 * consumer while NAPI is enabled, so the poll uses the lockless
 * __ptr_ring_peek()/__ptr_ring_discard_one() pair.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/skbuff.h>

#include "classify.h"
#include "netlink.h"
#include "vmgw.h"

/**
 * vmgw_rx_verdict() - decide the fate of a classified guest frame
 * @fi: what the classifier found
 * @why: receives the drop counter when the frame is dropped
 *
 * The minimum policy: malformed frames and UDP that is neither DNS nor
 * DHCP are dropped; everything else passes.
 *
 * Return: SKB_NOT_DROPPED_YET to deliver, else the skb drop reason.
 */
enum skb_drop_reason vmgw_rx_verdict(const struct vmgw_frame_info *fi,
				     enum vmgw_stat *why)
{
	switch (fi->class) {
	case VMGW_CLASS_MALFORMED:
		*why = VMGW_STAT_RX_DROP_MALFORMED;
		return SKB_DROP_REASON_HDR_TRUNC;
	case VMGW_CLASS_UDP:
		*why = VMGW_STAT_RX_DROP_UDP_UNSUPPORTED;
		return SKB_DROP_REASON_UNHANDLED_PROTO;
	default:
		return SKB_NOT_DROPPED_YET;
	}
}

/* Classify @skb without touching it: a copy of its first bytes at most. */
static void vmgw_rx_classify(const struct sk_buff *skb,
			     struct vmgw_frame_info *fi)
{
	unsigned int view_len = min_t(unsigned int, skb->len,
				      VMGW_CLASSIFY_VIEW);
	u8 buf[VMGW_CLASSIFY_VIEW];
	const u8 *view;

	view = skb_header_pointer(skb, 0, view_len, buf);
	vmgw_classify(view, view_len, skb->len, fi);
}

/* Hand a frame that left the ring to the stack, or drop it. */
static void vmgw_rx_deliver(struct vmgw_queue *q, struct vmgw_dev *vg,
			    struct sk_buff *skb,
			    const struct vmgw_frame_info *fi)
{
	enum skb_drop_reason reason;
	enum vmgw_stat why;
	unsigned int len;

	vmgw_stats_add(vg->stats, VMGW_STAT_CLASS_FIRST + fi->class, 1);
	reason = vmgw_rx_verdict(fi, &why);
	if (reason != SKB_NOT_DROPPED_YET) {
		vmgw_stats_add(vg->stats, why, 1);
		if (fi->class == VMGW_CLASS_MALFORMED && fi->why)
			vmgw_stats_add(vg->stats, vmgw_stat_mal(fi->why), 1);
		vmgw_nl_notify_deny(vg, fi, why);
		kfree_skb_reason(skb, reason);
		return;
	}

	len = skb->len;
	skb->protocol = eth_type_trans(skb, vg->dev);
	vmgw_stats_add(vg->stats, VMGW_STAT_RX_PACKETS, 1);
	vmgw_stats_add(vg->stats, VMGW_STAT_RX_BYTES, len);
	napi_gro_receive(&q->napi, skb);
}

/**
 * vmgw_rx_poll() - NAPI poll: stage, classify and deliver guest frames
 * @napi: the queue's NAPI instance
 * @budget: most frames to process
 *
 * Context: softirq. Writers blocked on a full ring are woken once frames
 * have left it. After napi_complete_done() the ring is checked once more:
 * a writer that produced after the last peek but saw NAPI still scheduled
 * did not schedule it again, so the poll must (lost-wakeup guard).
 *
 * Return: frames processed.
 */
int vmgw_rx_poll(struct napi_struct *napi, int budget)
{
	struct vmgw_queue *q = container_of(napi, struct vmgw_queue, napi);
	struct vmgw_dev *vg = netdev_priv(napi->dev);
	struct vmgw_frame_info fi;
	struct sk_buff *skb;
	int done = 0;

	while (done < budget) {
		/* Stage: the frame stays on the ring while it is classified. */
		skb = __ptr_ring_peek(&q->g2h);
		if (!skb)
			break;
		vmgw_rx_classify(skb, &fi);
		__ptr_ring_discard_one(&q->g2h);
		vmgw_rx_deliver(q, vg, skb, &fi);
		done++;
	}

	if (done && wq_has_sleeper(&q->wq))
		wake_up_interruptible_poll(&q->wq, EPOLLOUT | EPOLLWRNORM);

	if (done < budget && napi_complete_done(napi, done)) {
		/* Order the complete before the re-check of the ring. */
		smp_mb();
		if (unlikely(!__ptr_ring_empty(&q->g2h)))
			napi_schedule(napi);
	}
	return done;
}
