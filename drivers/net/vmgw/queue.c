// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching an open /dev/vmgw file (a queue) to a vmgw device and detaching
 * it again.
 *
 * Ordering is what makes this safe without reference counts between the
 * file and the device: both directions of the pointer pair are published
 * and cleared under RTNL, every file operation and ndo_start_xmit touches
 * the rings only inside an RCU (or RCU-bh) read section that first checks
 * the pointer, and detach waits for those sections (synchronize_net) before
 * it stops NAPI and frees the rings. The device therefore never outlives
 * its queue's view of it, and a queue may outlive its device (the file stays
 * open, its operations fail with -ENODEV).
 */
#include <linux/if_tun.h>
#include <linux/memcontrol.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/skb_array.h>
#include <linux/slab.h>
#include <linux/virtio_net.h>

#include "netlink.h"
#include "vmgw.h"

/**
 * vmgw_queue_alloc() - a new, unattached queue (at open())
 *
 * Return: the queue, or NULL when out of memory.
 */
struct vmgw_queue *vmgw_queue_alloc(void)
{
	struct vmgw_queue *q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);

	if (!q)
		return NULL;
	init_waitqueue_head(&q->wq);
	q->vnet_hdr_sz = sizeof(struct virtio_net_hdr);
	return q;
}

/**
 * vmgw_queue_free() - detach and free a queue (at release())
 * @q: the queue; no file operation runs on it any more
 *
 * A file that was never attached, or whose device is gone and detached
 * it already, is freed without RTNL: closing such files costs no global
 * lock. Only the attach (a file operation, none runs now) sets
 * @q->attached; the detach clears it last, with release semantics, so a
 * false read here means no detach still uses @q.
 *
 * Context: process; takes RTNL if the queue is attached.
 */
void vmgw_queue_free(struct vmgw_queue *q)
{
	/* Pairs with smp_store_release() at the end of vmgw_queue_detach(). */
	if (smp_load_acquire(&q->attached)) {
		rtnl_lock();
		vmgw_queue_detach(q);
		rtnl_unlock();
	}
	kfree(q);
}

/**
 * vmgw_offload_features() - netdev features a reader's offloads allow
 * @q: the queue, with @flags and @offloads set
 *
 * Without a virtio-net header the reader cannot receive checksum or GSO
 * metadata, so nothing is offloaded to it whatever TUNSETOFFLOAD said.
 *
 * Return: NETIF_F_* bits for the host -> guest direction.
 */
netdev_features_t vmgw_offload_features(const struct vmgw_queue *q)
{
	netdev_features_t f = 0;

	if (!(q->flags & IFF_VNET_HDR) || !(q->offloads & TUN_F_CSUM))
		return 0;
	f |= NETIF_F_HW_CSUM | NETIF_F_SG;
	if (q->offloads & TUN_F_TSO4)
		f |= NETIF_F_TSO;
	if (q->offloads & TUN_F_TSO6)
		f |= NETIF_F_TSO6;
	if ((q->offloads & TUN_F_TSO_ECN) && (f & (NETIF_F_TSO | NETIF_F_TSO6)))
		f |= NETIF_F_TSO_ECN;
	return f;
}

/**
 * vmgw_queue_set_offloads() - apply a queue's offloads to its device
 * @q: an attached queue
 *
 * Context: RTNL held.
 */
void vmgw_queue_set_offloads(struct vmgw_queue *q)
{
	struct vmgw_dev *vg = rtnl_dereference(q->vg);

	if (!vg)
		return;
	vg->offload_features = vmgw_offload_features(q);
	netdev_update_features(vg->dev);
}

/**
 * vmgw_queue_napi_start() - enable the queue's NAPI and drain its ring
 * @q: an attached queue of a running device
 *
 * Frames may have been written while NAPI was off; schedule one poll for
 * them. NAPI is scheduled with BH disabled so the softirq runs right after.
 *
 * Context: RTNL held.
 */
void vmgw_queue_napi_start(struct vmgw_queue *q)
{
	if (q->napi_enabled)
		return;
	napi_enable(&q->napi);
	q->napi_enabled = true;
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
}

/**
 * vmgw_queue_napi_stop() - disable the queue's NAPI, waiting for its poll
 * @q: an attached queue
 *
 * Context: RTNL held; sleeps.
 */
void vmgw_queue_napi_stop(struct vmgw_queue *q)
{
	if (!q->napi_enabled)
		return;
	napi_disable(&q->napi);
	q->napi_enabled = false;
}

/**
 * vmgw_queue_attach() - make an open file the queue of a device
 * @q: a file's queue, not attached
 * @dev: a registered vmgw device
 *
 * Context: RTNL held; sleeps.
 * Return: 0, -EBUSY if the device already has a queue, or -ENOMEM.
 */
int vmgw_queue_attach(struct vmgw_queue *q, struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	int err;

	ASSERT_RTNL();
	if (rtnl_dereference(vg->queue))
		return -EBUSY;

	err = ptr_ring_init(&q->g2h, vg->g2h_size, GFP_KERNEL_ACCOUNT);
	if (err)
		return err;
	err = ptr_ring_init(&q->h2g, vg->h2g_size, GFP_KERNEL_ACCOUNT);
	if (err)
		goto free_g2h;

	netif_napi_add(dev, &q->napi, vmgw_rx_poll);
	q->memcg = get_mem_cgroup_from_mm(current->mm);
	q->attached = true;
	WRITE_ONCE(q->dead, false);
	rcu_assign_pointer(q->vg, vg);
	rcu_assign_pointer(vg->queue, q);

	vmgw_queue_set_offloads(q);
	if (netif_running(dev))
		vmgw_queue_napi_start(q);
	netif_carrier_on(dev);
	vmgw_nl_notify_attach(vg, true);
	return 0;

free_g2h:
	ptr_ring_cleanup(&q->g2h, NULL);
	return err;
}

/* Free and count every frame on @ring; its consumers are stopped. */
static void vmgw_queue_purge(struct ptr_ring *ring, struct vmgw_dev *vg,
			     enum vmgw_stat why)
{
	struct sk_buff *skb;
	u64 n = 0;

	while ((skb = ptr_ring_consume(ring))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		n++;
	}
	if (n)
		vmgw_stats_add(vg->stats, why, n);
}

/**
 * vmgw_queue_stop() - the device of an attached queue went down
 * @q: an attached queue
 *
 * Called from ndo_stop, after the core cleared netif_running() and stopped
 * the tx queue. The poll is stopped; once the RCU readers that may still
 * have seen the device running are done (synchronize_net()), no write can
 * put a frame on g2h and no xmit on h2g any more. What is left on either
 * ring is stale when the link comes back up: it is freed and counted
 * (rx_drop_down, tx_drop_down). Writers asleep on a full ring and pollers
 * are woken: a write now fails with -ENETDOWN.
 *
 * Context: RTNL held; sleeps.
 */
void vmgw_queue_stop(struct vmgw_queue *q)
{
	struct vmgw_dev *vg = rtnl_dereference(q->vg);

	vmgw_queue_napi_stop(q);
	synchronize_net();
	vmgw_queue_purge(&q->g2h, vg, VMGW_STAT_RX_DROP_DOWN);
	vmgw_queue_purge(&q->h2g, vg, VMGW_STAT_TX_DROP_DOWN);
	wake_up_interruptible_poll(&q->wq, EPOLLOUT | EPOLLWRNORM);
}

/**
 * vmgw_queue_detach() - separate a queue from its device
 * @q: a queue, attached or not
 *
 * Called when the file is released and when the device is unregistered
 * (ndo_uninit). Frames still queued in either direction are freed and
 * counted as dropped; sleepers on the file are woken and see -ENODEV.
 *
 * Context: RTNL held; sleeps.
 */
void vmgw_queue_detach(struct vmgw_queue *q)
{
	struct vmgw_dev *vg = rtnl_dereference(q->vg);
	struct net_device *dev;

	if (!vg)
		return;
	dev = vg->dev;

	netif_carrier_off(dev);
	/* Whoever finds q->vg NULL from here on must also see q->dead. */
	WRITE_ONCE(q->dead, true);
	/* Pairs with smp_rmb() in vmgw_chr_no_dev(). */
	smp_wmb();
	RCU_INIT_POINTER(vg->queue, NULL);
	RCU_INIT_POINTER(q->vg, NULL);
	/* No file op or xmit can still be inside the rings after this. */
	synchronize_net();

	vmgw_queue_napi_stop(q);
	netif_napi_del(&q->napi);
	vmgw_queue_purge(&q->g2h, vg, VMGW_STAT_RX_DROP_DETACH);
	vmgw_queue_purge(&q->h2g, vg, VMGW_STAT_TX_DROP_DETACH);
	ptr_ring_cleanup(&q->g2h, NULL);
	ptr_ring_cleanup(&q->h2g, NULL);
	/* Neither the poll nor an xmit can still charge it. */
	mem_cgroup_put(q->memcg);
	q->memcg = NULL;

	vg->offload_features = 0;
	if (dev->reg_state == NETREG_REGISTERED)
		netdev_update_features(dev);
	/* Let a stopped qdisc drain into the no-queue drop. */
	netif_tx_wake_all_queues(dev);

	wake_up_interruptible_poll(&q->wq, EPOLLERR | EPOLLHUP | EPOLLIN |
				   EPOLLOUT);
	vmgw_nl_notify_attach(vg, false);
	/* Last use of @q: pairs with smp_load_acquire() in vmgw_queue_free(). */
	smp_store_release(&q->attached, false);
}
