// SPDX-License-Identifier: GPL-2.0
/*
 * Guest -> host: the NAPI poll of a queue stages each frame of the g2h ring
 * (peek, classify, decide) before it either hands it to the stack of the
 * device's namespace or drops it with a counted reason.
 *
 * Only one poll of a NAPI instance runs at a time and the ring has no other
 * consumer while NAPI is enabled, so the poll uses the lockless
 * __ptr_ring_peek()/__ptr_ring_discard_one() pair.
 *
 * The verdict is the device's policy (policy.c). A SYN it refuses is
 * answered with a RST sent to the guest through the device, like any
 * frame from the gateway namespace: qdisc, h2g ring, read().
 */
#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/sched/mm.h>
#include <linux/poll.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "classify.h"
#include "netlink.h"
#include "policy.h"
#include "rst.h"
#include "vmgw.h"

/**
 * vmgw_rx_drop_reason() - how a policy refusal is counted and reported
 * @deny: the reason of the refusal
 * @why: receives the device counter to bump
 *
 * Malformed frames are HDR_TRUNC and unsupported UDP UNHANDLED_PROTO, as
 * before the policy; a spoofed source address is IP_RPFILTER (source
 * validation); every other refusal is the device's filter, TAP_FILTER.
 *
 * Return: the skb drop reason for kfree_skb_reason().
 */
enum skb_drop_reason vmgw_rx_drop_reason(enum vmgw_deny deny,
					 enum vmgw_stat *why)
{
	static const u8 stat[VMGW_DENY_MAX] = {
		[VMGW_DENY_NONE]	= VMGW_STAT_RX_DROP_NOT_ALLOWED,
		[VMGW_DENY_MALFORMED]	= VMGW_STAT_RX_DROP_MALFORMED,
		[VMGW_DENY_SPOOF_MAC]	= VMGW_STAT_RX_DROP_SPOOF_MAC,
		[VMGW_DENY_SPOOF_IP]	= VMGW_STAT_RX_DROP_SPOOF_IP,
		[VMGW_DENY_FLOOR]	= VMGW_STAT_RX_DROP_FLOOR,
		[VMGW_DENY_RULE]	= VMGW_STAT_RX_DROP_DENY_RULE,
		[VMGW_DENY_NOT_ALLOWED]	= VMGW_STAT_RX_DROP_NOT_ALLOWED,
		[VMGW_DENY_UDP]		= VMGW_STAT_RX_DROP_UDP_UNSUPPORTED,
		[VMGW_DENY_RESOLVER]	= VMGW_STAT_RX_DROP_DNS_RESOLVER,
		[VMGW_DENY_NO_FLOW]	= VMGW_STAT_RX_DROP_NO_FLOW,
		[VMGW_DENY_FLOW_CAP]	= VMGW_STAT_RX_DROP_FLOW_CAP,
		[VMGW_DENY_CSUM]	= VMGW_STAT_RX_DROP_CSUM,
		[VMGW_DENY_GSO]		= VMGW_STAT_RX_DROP_GSO,
	};

	*why = deny < VMGW_DENY_MAX ? stat[deny] :
				      VMGW_STAT_RX_DROP_NOT_ALLOWED;
	switch (deny) {
	case VMGW_DENY_MALFORMED:
		return SKB_DROP_REASON_HDR_TRUNC;
	case VMGW_DENY_UDP:
		return SKB_DROP_REASON_UNHANDLED_PROTO;
	case VMGW_DENY_SPOOF_IP:
		return SKB_DROP_REASON_IP_RPFILTER;
	default:
		return SKB_DROP_REASON_TAP_FILTER;
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

/*
 * Answer a refused SYN with a RST, sent through the device to the guest.
 * Context: NAPI poll (BH); dev_queue_xmit() may be called from there.
 */
static void vmgw_rx_rst(struct vmgw_dev *vg, const struct sk_buff *syn,
			const struct vmgw_frame_info *fi)
{
	unsigned int view_len = min_t(unsigned int, syn->len,
				      VMGW_CLASSIFY_VIEW);
	u8 buf[VMGW_CLASSIFY_VIEW];
	struct sk_buff *skb;
	const u8 *view;
	unsigned int len;

	view = skb_header_pointer(syn, 0, view_len, buf);
	if (unlikely(!view))
		goto drop;
	skb = netdev_alloc_skb(vg->dev, VMGW_RST_MAX_LEN);
	if (unlikely(!skb))
		goto drop;
	len = vmgw_rst_build(view, view_len, fi, skb->data,
			     skb_tailroom(skb));
	if (unlikely(!len)) {
		kfree_skb(skb);
		goto drop;
	}
	skb_put(skb, len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, fi->l3_off);
	skb->protocol = eth_hdr(skb)->h_proto;
	skb->ip_summed = CHECKSUM_NONE;
	if (dev_queue_xmit(skb) != NET_XMIT_SUCCESS)
		goto drop;
	vmgw_stats_add(vg->stats, VMGW_STAT_RST_SENT, 1);
	return;

drop:
	vmgw_stats_add(vg->stats, VMGW_STAT_TX_DROP_RST, 1);
}

/* The checksum and segmentation virtio_net_hdr_to_skb() set up. */
static enum vmgw_deny vmgw_rx_offload(const struct sk_buff *skb,
				      const struct vmgw_frame_info *fi)
{
	struct vmgw_offload o = {};
	unsigned int type;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		o.csum = true;
		o.csum_start = skb_checksum_start_offset(skb);
		o.csum_offset = skb->csum_offset;
	}
	if (skb_is_gso(skb)) {
		type = skb_shinfo(skb)->gso_type &
		       ~(SKB_GSO_DODGY | SKB_GSO_TCP_ECN);
		if (type == SKB_GSO_TCPV4)
			o.gso = VMGW_GSO_TCPV4;
		else if (type == SKB_GSO_TCPV6)
			o.gso = VMGW_GSO_TCPV6;
		else if (type == SKB_GSO_UDP || type == SKB_GSO_UDP_L4)
			o.gso = VMGW_GSO_UDP;
		else
			o.gso = VMGW_GSO_OTHER;
	}
	return vmgw_verdict_offload(fi, &o);
}

/*
 * The policy's verdict; the source MAC is in every frame write() took.
 * What the stack will still write into the frame (a checksum, segment
 * headers) must leave the judged bytes alone, or the frame is refused.
 */
static struct vmgw_verdict vmgw_rx_policy(struct vmgw_dev *vg,
					  const struct sk_buff *skb,
					  const struct vmgw_frame_info *fi)
{
	enum vmgw_deny why;
	const u8 *mac;
	u8 buf[ETH_ALEN];

	if (fi->class != VMGW_CLASS_MALFORMED) {
		why = vmgw_rx_offload(skb, fi);
		if (unlikely(why))
			return (struct vmgw_verdict){ VMGW_ACT_DROP, why };
	}
	mac = skb_header_pointer(skb, ETH_ALEN, ETH_ALEN, buf);
	if (unlikely(!mac))
		return (struct vmgw_verdict){ VMGW_ACT_DROP,
					      VMGW_DENY_MALFORMED };
	return vmgw_policy_rx(vg->policy, fi, mac, jiffies);
}

/*
 * What one poll delivers, counted and handed to the stack once at its end:
 * one u64_stats section per poll instead of three per frame, and one list
 * through the stack for the frames GRO has nothing to merge with.
 */
struct vmgw_rx_tally {
	struct list_head	list;
	u64			bytes;
	u32			packets;
	u32			class[VMGW_CLASS_MAX];
};

static void vmgw_rx_tally_init(struct vmgw_rx_tally *t)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->list);
}

/* Hand the listed frames to the stack and add up the poll's counters. */
static void vmgw_rx_tally_flush(struct vmgw_dev *vg, struct vmgw_rx_tally *t)
{
	struct vmgw_pcpu_stats *s;
	unsigned long flags;
	unsigned int c;

	if (!list_empty(&t->list))
		netif_receive_skb_list(&t->list);

	s = vmgw_stats_begin(vg->stats, &flags);
	u64_stats_add(&s->cnt[VMGW_STAT_RX_PACKETS], t->packets);
	u64_stats_add(&s->cnt[VMGW_STAT_RX_BYTES], t->bytes);
	for (c = 0; c < VMGW_CLASS_MAX; c++)
		if (t->class[c])
			u64_stats_add(&s->cnt[VMGW_STAT_CLASS_FIRST + c],
				      t->class[c]);
	vmgw_stats_end(vg->stats, s, flags);
}

/*
 * Only whole TCP segments can be merged by GRO among what the policy lets
 * in (UDP is DNS and DHCP only), so only they pay for the GRO lookup. All
 * fragments of a datagram, the first too, take the list: GRO would only
 * flush them.
 */
static bool vmgw_rx_mergeable(const struct vmgw_frame_info *fi)
{
	return fi->l4_proto == IPPROTO_TCP &&
	       fi->class != VMGW_CLASS_FRAGMENT && !fi->frag_first;
}

/* Most DNS-over-TCP queries of one guest segment that are recorded. */
#define VMGW_RX_DNS_TCP_MSGS	8

/* Record one query (or its start, enough for its question). */
static void vmgw_rx_dns_msg(struct vmgw_dev *vg, const struct sk_buff *skb,
			    const struct vmgw_frame_info *fi,
			    unsigned int off, unsigned int len)
{
	u8 buf[VMGW_DNS_QUESTION_MAX];

	len = min_t(unsigned int, len, sizeof(buf));
	if (!skb_copy_bits(skb, off, buf, len))
		vmgw_policy_dns_query(vg->policy, fi, buf, len, jiffies,
				      vg->stats);
}

/*
 * A DNS query the guest sends to a resolver: record it, so that its
 * answer may teach. Over TCP, the segment is read as whole queries from
 * its start: a guest that frames its stream otherwise only records what
 * the resolver will not answer.
 */
static void vmgw_rx_dns_query(struct vmgw_dev *vg, const struct sk_buff *skb,
			      const struct vmgw_frame_info *fi)
{
	unsigned int off, end, n, i;
	u8 b[2];

	if (!vmgw_skb_l4_payload(skb, fi, &off, &end))
		return;
	if (fi->l4_proto == IPPROTO_UDP) {
		vmgw_rx_dns_msg(vg, skb, fi, off, end - off);
		return;
	}
	for (i = 0; i < VMGW_RX_DNS_TCP_MSGS && end - off >= 2; i++) {
		if (skb_copy_bits(skb, off, b, 2))
			return;
		n = vmgw_get_be16(b);
		if (n > end - off - 2)
			return;
		vmgw_rx_dns_msg(vg, skb, fi, off + 2, n);
		off += 2 + n;
	}
}

/* Hand a frame that left the ring to the stack, or drop it. */
static void vmgw_rx_deliver(struct vmgw_queue *q, struct vmgw_dev *vg,
			    struct sk_buff *skb,
			    const struct vmgw_frame_info *fi,
			    struct vmgw_rx_tally *t)
{
	enum skb_drop_reason reason;
	struct mem_cgroup *memcg;
	struct vmgw_verdict v;
	enum vmgw_stat why;

	t->class[fi->class]++;
	/* A flow the guest opens is charged to its VMM's memcg. */
	memcg = set_active_memcg(q->memcg);
	v = vmgw_rx_policy(vg, skb, fi);
	set_active_memcg(memcg);
	if (v.act == VMGW_ACT_FLOW_NEW)
		vmgw_stats_add(vg->stats, VMGW_STAT_FLOW_OPENED, 1);
	else if (v.act == VMGW_ACT_RST)
		vmgw_rx_rst(vg, skb, fi);
	if (v.act == VMGW_ACT_DROP || v.act == VMGW_ACT_RST) {
		reason = vmgw_rx_drop_reason(v.why, &why);
		vmgw_stats_add(vg->stats, why, 1);
		if (fi->class == VMGW_CLASS_MALFORMED && fi->why)
			vmgw_stats_add(vg->stats, vmgw_stat_mal(fi->why), 1);
		vmgw_nl_notify_deny(vg, fi, why);
		kfree_skb_reason(skb, reason);
		return;
	}

	if (fi->class == VMGW_CLASS_DNS &&
	    vmgw_policy_wants_query(vg->policy, fi))
		vmgw_rx_dns_query(vg, skb, fi);
	t->packets++;
	t->bytes += skb->len;
	skb->protocol = eth_type_trans(skb, vg->dev);
	if (vmgw_rx_mergeable(fi))
		napi_gro_receive(&q->napi, skb);
	else
		list_add_tail(&skb->list, &t->list);
}

/**
 * vmgw_rx_poll() - NAPI poll: stage, classify and deliver guest frames
 * @napi: the queue's NAPI instance
 * @budget: most frames to process
 *
 * Context: softirq. Accepted TCP goes through GRO, every other accepted
 * frame through one netif_receive_skb_list() at the end of the poll, before
 * napi_complete_done() flushes GRO. Writers blocked on a full ring are
 * woken once frames have left it. After napi_complete_done() the ring is
 * checked once more: a writer that produced after the last peek but saw
 * NAPI still scheduled did not schedule it again, so the poll must
 * (lost-wakeup guard).
 *
 * Return: frames processed.
 */
int vmgw_rx_poll(struct napi_struct *napi, int budget)
{
	struct vmgw_queue *q = container_of(napi, struct vmgw_queue, napi);
	struct vmgw_dev *vg = netdev_priv(napi->dev);
	struct vmgw_frame_info fi;
	struct vmgw_rx_tally t;
	struct sk_buff *skb;
	int done = 0;

	vmgw_rx_tally_init(&t);
	while (done < budget) {
		/* Stage: the frame stays on the ring while it is classified. */
		skb = __ptr_ring_peek(&q->g2h);
		if (!skb)
			break;
		vmgw_rx_classify(skb, &fi);
		__ptr_ring_discard_one(&q->g2h);
		vmgw_rx_deliver(q, vg, skb, &fi, &t);
		done++;
	}
	if (done)
		vmgw_rx_tally_flush(vg, &t);

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
