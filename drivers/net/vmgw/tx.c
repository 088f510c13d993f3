// SPDX-License-Identifier: GPL-2.0
/*
 * Host -> guest: ndo_start_xmit puts frames on the h2g ring of the attached
 * queue, read() takes them off.
 *
 * Flow control instead of tail drop: when the ring fills, the tx queue is
 * stopped and the qdisc holds further frames; read() wakes the queue once
 * there is room again. Both sides re-check after a full barrier, so a wake
 * cannot be lost between "ring full" and "queue stopped".
 */
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "vmgw.h"

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
	struct vmgw_queue *q;

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
	skb_orphan(skb);
	nf_reset_ct(skb);

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
	if (netif_tx_queue_stopped(txq) && !__ptr_ring_full(&q->h2g)) {
		local_bh_disable();
		netif_tx_wake_queue(txq);
		local_bh_enable();
	}
}
