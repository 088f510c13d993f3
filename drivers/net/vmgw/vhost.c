// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vhost-vmgw: the vhost-net ioctl ABI (include/uapi/linux/vhost.h)
 * over a /dev/vmgw queue, so that a VMM runs the guest's virtio-net queues
 * in the kernel (QEMU: -netdev tap,fd=N,vhost=on,vhostfd=M).
 *
 * An open file is one vhost device with two virtqueues, rx (0) and tx (1)
 * as in vhost-net. The owner (VHOST_SET_OWNER) gets a worker kthread that
 * works in the owner's mm and reaches guest memory with copy_from_user()
 * and copy_to_user() through the walker of vring.c. Each virtqueue's
 * backend (VHOST_NET_SET_BACKEND) is an open /dev/vmgw file attached to a
 * device: the tx worker hands each chain to vmgw_queue_write_frame(),
 * exactly what write() does, so the frame takes the same checks, the same
 * g2h ring and the same NAPI stage -> classify -> verdict poll; the rx
 * worker takes frames from the h2g ring as read() does.
 *
 * Memory: the worker's allocations (the skbs of the tx frames) are
 * charged to the owner's memory cgroup, taken at VHOST_SET_OWNER and made
 * the worker's active memcg, as write() charges the writer's.
 *
 * Wakeups: the kick eventfd and the backend queue's wait queue each get a
 * wait entry whose callback marks the virtqueue's work pending and wakes
 * the worker (the scheme of vhost_poll). The worker's rounds, the ioctls
 * and the backend's lifetime are serialised by @mutex; the callbacks only
 * set bits and wake the worker.
 *
 * Not supported, and not advertised: IOTLB and VIRTIO_F_ACCESS_PLATFORM,
 * dirty logging (VHOST_F_LOG_ALL, VHOST_SET_LOG_BASE), packed rings,
 * VHOST_NET_F_VIRTIO_NET_HDR (the backend must have IFF_VNET_HDR: the
 * virtio-net header is the /dev/vmgw file's, TUNSETVNETHDRSZ 10 or 12),
 * cross-endian legacy rings and busy polling.
 */
#include <linux/anon_inodes.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>

#include "vmgw.h"
#include "vring.h"

#define VMGW_VHOST_RX		0
#define VMGW_VHOST_TX		1
#define VMGW_VHOST_NVQ		2

static_assert(VMGW_VRING_F_MRG_RXBUF == VIRTIO_NET_F_MRG_RXBUF);
static_assert(VMGW_VRING_F_INDIRECT_DESC == VIRTIO_RING_F_INDIRECT_DESC);
static_assert(VMGW_VRING_F_EVENT_IDX == VIRTIO_RING_F_EVENT_IDX);
static_assert(VMGW_VRING_F_VERSION_1 == VIRTIO_F_VERSION_1);

/* Work per round before the worker lets others run (as vhost-net). */
#define VMGW_VHOST_WEIGHT	0x80000
#define VMGW_VHOST_PKT_WEIGHT	256
/* Receive buffers one frame may take (mergeable rx buffers). */
#define VMGW_VHOST_RX_HEADS	64
#define VMGW_VHOST_IOV_MAX	256

/**
 * struct vmgw_vhost_vq - one virtqueue and its backend
 * @vr: the walker's state
 * @num: size from VHOST_SET_VRING_NUM
 * @base: VHOST_SET_VRING_BASE, and the last avail index once stopped
 * @desc: descriptor table address (VHOST_SET_VRING_ADDR)
 * @avail: avail ring address
 * @used: used ring address
 * @addr_set: the addresses were given
 * @kick: kick eventfd file, or NULL
 * @kick_wqh: the wait queue @kick_wait is on, or NULL
 * @kick_wait: on the kick eventfd's wait queue
 * @kick_pt: registers @kick_wait through vfs_poll()
 * @call: call eventfd, or NULL
 * @err: error eventfd, signalled when the ring broke; or NULL
 * @backend: the /dev/vmgw file, or NULL
 * @q: queue of @backend
 * @q_wait: on @q's wait queue
 * @blocked: tx stopped on a full g2h ring; the poll's EPOLLOUT resumes it
 * @counted: @vr.err already added to the device's counters
 * @v: the device
 * @idx: VMGW_VHOST_RX or VMGW_VHOST_TX
 */
struct vmgw_vhost_vq {
	struct vmgw_vring	vr;
	struct vmgw_vhost	*v;
	int			idx;
	u32			num;
	u16			base;
	u64			desc;
	u64			avail;
	u64			used;
	bool			addr_set;
	struct file		*kick;
	wait_queue_head_t	*kick_wqh;
	wait_queue_entry_t	kick_wait;
	poll_table		kick_pt;
	struct eventfd_ctx	*call;
	struct eventfd_ctx	*err;
	struct file		*backend;
	struct vmgw_queue	*q;
	wait_queue_entry_t	q_wait;
	bool			blocked;
	u64			counted[VMGW_VRING_ERR_MAX];
};

/**
 * struct vmgw_vhost - an open /dev/vhost-vmgw file
 * @mutex: serialises the ioctls, the worker's rounds and backend changes
 * @mm: the owner's address space (VHOST_SET_OWNER), or NULL
 * @memcg: the owner's memory cgroup, charged for the worker's allocations
 * @worker: the owner's worker thread, or NULL
 * @pending: BIT(vq index) for each virtqueue with work
 * @features: acknowledged features (VHOST_SET_FEATURES)
 * @mem: the memory table (VHOST_SET_MEM_TABLE)
 * @acc: how the walker reaches guest memory
 * @vq: rx and tx virtqueues
 * @chain: the chain being handled (worker only)
 * @iov: its segments as iovecs (worker only)
 * @heads: heads and lengths of the rx chains one frame takes
 */
struct vmgw_vhost {
	struct mutex		mutex;	/* ioctls, rounds, backends */
	struct mm_struct	*mm;
	struct mem_cgroup	*memcg;
	struct task_struct	*worker;
	unsigned long		pending;
	u64			features;
	struct vmgw_vring_mem	mem;
	struct vmgw_vring_access acc;
	struct vmgw_vhost_vq	vq[VMGW_VHOST_NVQ];
	struct vmgw_vring_chain	chain;
	struct iovec		iov[VMGW_VHOST_IOV_MAX];
	struct {
		u16 head;
		u32 len;
	} heads[VMGW_VHOST_RX_HEADS];
};

static int vmgw_vhost_read(void *ctx, u64 uva, void *buf, u32 len)
{
	return copy_from_user(buf, u64_to_user_ptr(uva), len) ? -EFAULT : 0;
}

static int vmgw_vhost_write(void *ctx, u64 uva, const void *buf, u32 len)
{
	return copy_to_user(u64_to_user_ptr(uva), buf, len) ? -EFAULT : 0;
}

static void vmgw_vhost_signal(struct eventfd_ctx *ctx)
{
#ifdef VMGW_HAVE_EVENTFD_SIGNAL_NOARG
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* Mark the work of virtqueue @idx pending; any context. */
static void vmgw_vhost_queue(struct vmgw_vhost *v, int idx)
{
	set_bit(idx, &v->pending);
	wake_up_process(v->worker);
}

static int vmgw_vhost_kick_wake(wait_queue_entry_t *wait, unsigned int mode,
				int sync, void *key)
{
	struct vmgw_vhost_vq *vq = container_of(wait, struct vmgw_vhost_vq,
						kick_wait);

	if (key_to_poll(key) & EPOLLIN)
		vmgw_vhost_queue(vq->v, vq->idx);
	return 0;
}

static void vmgw_vhost_kick_proc(struct file *file, wait_queue_head_t *wqh,
				 poll_table *pt)
{
	struct vmgw_vhost_vq *vq = container_of(pt, struct vmgw_vhost_vq,
						kick_pt);

	vq->kick_wqh = wqh;
	add_wait_queue(wqh, &vq->kick_wait);
}

/*
 * The backend queue's wakeups: a frame for the guest (EPOLLIN) is rx work,
 * room in the g2h ring (EPOLLOUT) is tx work when tx waits for it, and the
 * device's end (EPOLLERR) is work for both, which then find it gone.
 */
static int vmgw_vhost_q_wake(wait_queue_entry_t *wait, unsigned int mode,
			     int sync, void *key)
{
	struct vmgw_vhost_vq *vq = container_of(wait, struct vmgw_vhost_vq,
						q_wait);
	__poll_t mask = key_to_poll(key);
	__poll_t want;

	if (vq->idx == VMGW_VHOST_RX)
		want = EPOLLIN;
	else
		want = READ_ONCE(vq->blocked) ? EPOLLOUT : 0;
	if (mask & (want | EPOLLERR))
		vmgw_vhost_queue(vq->v, vq->idx);
	return 0;
}

/* Is @vq ready for work? Called with @mutex held. */
static bool vmgw_vhost_vq_ready(struct vmgw_vhost_vq *vq)
{
	return vq->backend && !vq->vr.broken;
}

/* Add what the walker refused since the last time to the device. */
static void vmgw_vhost_count(struct vmgw_vhost_vq *vq, struct vmgw_dev *vg,
			     u64 frames)
{
	int i;

	if (frames)
		vmgw_stats_add(vg->stats, vq->idx == VMGW_VHOST_TX ?
			       VMGW_STAT_VHOST_TX : VMGW_STAT_VHOST_RX, frames);
	for (i = VMGW_VRING_ERR_FAULT; i < VMGW_VRING_ERR_MAX; i++) {
		if (vq->vr.err[i] == vq->counted[i])
			continue;
		vmgw_stats_add(vg->stats, VMGW_STAT_VRING_ERR_FAULT + i - 1,
			       vq->vr.err[i] - vq->counted[i]);
		vq->counted[i] = vq->vr.err[i];
	}
}

/* End of a round: publish used entries, count, call and report. */
static void vmgw_vhost_round_end(struct vmgw_vhost_vq *vq, u64 frames,
				 bool used)
{
	struct vmgw_dev *vg;

	if (used && !vmgw_vring_publish(&vq->vr) &&
	    vmgw_vring_need_call(&vq->vr) && vq->call)
		vmgw_vhost_signal(vq->call);
	if (vq->vr.broken && vq->err)
		vmgw_vhost_signal(vq->err);
	rcu_read_lock();
	vg = rcu_dereference(vq->q->vg);
	if (vg)
		vmgw_vhost_count(vq, vg, frames);
	rcu_read_unlock();
}

/* Is the g2h ring of @q full (or its device gone)? */
static bool vmgw_vhost_g2h_full(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;
	bool full;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	full = !vg || __ptr_ring_full(&q->g2h);
	rcu_read_unlock();
	return full;
}

/* The iovecs of the current chain, appended at @at; their number. */
static int vmgw_vhost_chain_iov(struct vmgw_vhost *v, int at)
{
	const struct vmgw_vring_chain *c = &v->chain;
	u32 i;

	if (c->nseg > VMGW_VHOST_IOV_MAX - at)
		return -ENOSPC;
	for (i = 0; i < c->nseg; i++) {
		v->iov[at + i].iov_base = u64_to_user_ptr(c->seg[i].uva);
		v->iov[at + i].iov_len = c->seg[i].len;
	}
	return c->nseg;
}

/*
 * Guest -> host: each tx chain is one frame for vmgw_queue_write_frame(),
 * the poll scheduled once for the round. A full g2h ring leaves the chain
 * in the virtqueue; the poll's EPOLLOUT resumes. Return true when the round stopped at its weight.
 */
static bool vmgw_vhost_handle_tx(struct vmgw_vhost *v)
{
	struct vmgw_vhost_vq *vq = &v->vq[VMGW_VHOST_TX];
	u32 max = READ_ONCE(vq->q->vnet_hdr_sz) + VMGW_MAX_FRAME;
	unsigned long bytes = 0;
	struct iov_iter from;
	bool used = false;
	u64 frames = 0;
	ssize_t ret;
	int n;

	vmgw_vring_disable_notify(&vq->vr);
	for (;;) {
		if (frames >= VMGW_VHOST_PKT_WEIGHT ||
		    bytes >= VMGW_VHOST_WEIGHT)
			break;
		n = vmgw_vring_pop(&vq->vr, false, max, &v->chain);
		if (n == -EINVAL) {
			used = true;
			continue;
		}
		if (n < 0)
			break;
		if (!n) {
			if (vmgw_vring_enable_notify(&vq->vr)) {
				vmgw_vring_disable_notify(&vq->vr);
				continue;
			}
			break;
		}
		n = vmgw_vhost_chain_iov(v, 0);
		iov_iter_init(&from, ITER_SOURCE, v->iov, n, v->chain.len);
		ret = vmgw_queue_write_frame(vq->q, &from, false);
		if (ret == -EAGAIN) {
			WRITE_ONCE(vq->blocked, true);
			/* Pairs with the barrier of wq_has_sleeper() in the poll. */
			smp_mb();
			if (!vmgw_vhost_g2h_full(vq->q))
				vmgw_vhost_queue(v, VMGW_VHOST_TX);
		}
		if (ret == -EAGAIN || ret == -ENODEV || ret == -EBADFD) {
			/* No room, or no device: the chain stays queued. */
			vmgw_vring_unpop(&vq->vr, 1);
			break;
		}
		WRITE_ONCE(vq->blocked, false);
		/* Taken, or refused and counted as write() counts it. */
		if (vmgw_vring_add_used(&vq->vr, v->chain.head, 0))
			break;
		used = true;
		if (ret > 0)
			frames++;
		bytes += v->chain.len;
	}
	/* One poll for the round's frames, as a batched write() does. */
	if (frames)
		vmgw_queue_kick(vq->q);
	vmgw_vhost_round_end(vq, frames, used);
	return frames >= VMGW_VHOST_PKT_WEIGHT || bytes >= VMGW_VHOST_WEIGHT;
}

static int vmgw_vhost_skb_len(void *ptr)
{
	return ptr ? ((struct sk_buff *)ptr)->len : 0;
}

/* Length of the next frame for the guest; 0 when none or no device. */
static u32 vmgw_vhost_h2g_peek(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;
	u32 len = 0;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (vg)
		len = PTR_RING_PEEK_CALL(&q->h2g, vmgw_vhost_skb_len);
	rcu_read_unlock();
	return len;
}

/* Take the next frame for the guest, as read() does; NULL if none. */
static struct sk_buff *vmgw_vhost_h2g_take(struct vmgw_queue *q)
{
	struct sk_buff *skb = NULL;
	struct vmgw_dev *vg;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (vg) {
		skb = ptr_ring_consume(&q->h2g);
		if (skb)
			vmgw_tx_wake(q, vg->dev);
	}
	rcu_read_unlock();
	return skb;
}

static void vmgw_vhost_q_count(struct vmgw_queue *q, enum vmgw_stat idx)
{
	struct vmgw_dev *vg;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (vg)
		vmgw_stats_add(vg->stats, idx, 1);
	rcu_read_unlock();
}

/* Return the rx chains collected so far to the guest, empty. */
static int vmgw_vhost_rx_return(struct vmgw_vhost *v, int nheads)
{
	struct vmgw_vhost_vq *vq = &v->vq[VMGW_VHOST_RX];
	int i;

	for (i = 0; i < nheads; i++)
		if (vmgw_vring_add_used(&vq->vr, v->heads[i].head, 0))
			return -EIO;
	return 0;
}

/*
 * Collect rx chains until they hold @need bytes: one chain, or up to
 * VMGW_VHOST_RX_HEADS with mergeable rx buffers. Return the number of
 * chains (their iovecs in @iov, @*niov of them, @*have bytes), 0 when the
 * guest has not posted enough yet (nothing kept), or -EIO (ring broken).
 * Chains too small for @need are given back unused.
 */
static int vmgw_vhost_rx_collect(struct vmgw_vhost *v, u32 need, bool mrg,
				 int *niov, u32 *have, bool *used)
{
	struct vmgw_vhost_vq *vq = &v->vq[VMGW_VHOST_RX];
	int nheads = 0, max = mrg ? VMGW_VHOST_RX_HEADS : 1;
	int n = 0, k;

	*niov = 0;
	*have = 0;
	while (*have < need && nheads < max) {
		n = vmgw_vring_pop(&vq->vr, true, U32_MAX, &v->chain);
		if (n == -EINVAL) {
			/* Refused and consumed: what we hold goes back empty. */
			*used = true;
			if (vmgw_vhost_rx_return(v, nheads))
				return -EIO;
			nheads = 0;
			*niov = 0;
			*have = 0;
			continue;
		}
		if (n < 0)
			return n;
		if (!n)
			break;
		k = vmgw_vhost_chain_iov(v, *niov);
		if (k < 0) {
			vmgw_vring_unpop(&vq->vr, 1);
			break;
		}
		v->heads[nheads].head = v->chain.head;
		v->heads[nheads].len = v->chain.len;
		nheads++;
		*niov += k;
		*have += v->chain.len;
	}
	if (*have >= need)
		return nheads;
	vmgw_vring_unpop(&vq->vr, nheads);
	return n ? -ENOSPC : 0;
}

/* Copy @skb into the collected chains and return them used. */
static int vmgw_vhost_rx_put(struct vmgw_vhost *v, struct sk_buff *skb,
			     int sz, int nheads, int niov, u32 have)
{
	struct vmgw_vhost_vq *vq = &v->vq[VMGW_VHOST_RX];
	struct virtio_net_hdr_mrg_rxbuf hdr = {};
	u32 left = sz + skb->len, l;
	struct iov_iter to;
	int i, n = 0;

	/* The chains the frame needs; the others go back unused. */
	for (l = 0; n < nheads && l < left; n++)
		l += v->heads[n].len;
	vmgw_vring_unpop(&vq->vr, nheads - n);

	if (virtio_net_hdr_from_skb(skb, &hdr.hdr, true, false, 0)) {
		vmgw_vhost_q_count(vq->q, VMGW_STAT_READ_DROP_VNET_HDR);
		return vmgw_vhost_rx_return(v, n);
	}
	if (sz == sizeof(hdr))
		hdr.num_buffers = __cpu_to_virtio16(true, n);
	iov_iter_init(&to, ITER_DEST, v->iov, niov, have);
	if (copy_to_iter(&hdr, sz, &to) != sz ||
	    skb_copy_datagram_iter(skb, 0, &to, skb->len)) {
		vmgw_vhost_q_count(vq->q, VMGW_STAT_READ_DROP_FAULT);
		return vmgw_vhost_rx_return(v, n);
	}
	for (i = 0; i < n; i++) {
		l = min(left, v->heads[i].len);
		if (vmgw_vring_add_used(&vq->vr, v->heads[i].head, l))
			return -EIO;
		left -= l;
	}
	return 1;
}

/*
 * Host -> guest: frames from the h2g ring into the guest's rx buffers. A
 * frame waits in the ring until the guest posted room for it (the tx
 * queue stops when the ring fills, as with read()); one too large for
 * what the guest can ever offer is dropped and counted. Return true when
 * the round stopped at its weight.
 */
static bool vmgw_vhost_handle_rx(struct vmgw_vhost *v)
{
	struct vmgw_vhost_vq *vq = &v->vq[VMGW_VHOST_RX];
	int sz = READ_ONCE(vq->q->vnet_hdr_sz);
	bool mrg = (v->features & BIT_ULL(VIRTIO_NET_F_MRG_RXBUF)) &&
		   sz == sizeof(struct virtio_net_hdr_mrg_rxbuf);
	unsigned long bytes = 0;
	struct sk_buff *skb;
	int nheads, niov, ret;
	bool used = false;
	u64 frames = 0;
	u32 len, have;

	vmgw_vring_disable_notify(&vq->vr);
	while (frames < VMGW_VHOST_PKT_WEIGHT && bytes < VMGW_VHOST_WEIGHT) {
		len = vmgw_vhost_h2g_peek(vq->q);
		if (!len)
			break;
		nheads = vmgw_vhost_rx_collect(v, sz + len, mrg, &niov, &have,
					       &used);
		if (nheads == -EIO)
			break;
		if (!nheads) {
			if (vmgw_vring_enable_notify(&vq->vr)) {
				vmgw_vring_disable_notify(&vq->vr);
				continue;
			}
			break;
		}
		skb = vmgw_vhost_h2g_take(vq->q);
		if (!skb) {
			if (nheads > 0)
				vmgw_vring_unpop(&vq->vr, nheads);
			break;
		}
		if (nheads < 0 || sz + skb->len > have) {
			/* More than the guest's buffers can hold. */
			if (nheads > 0)
				vmgw_vring_unpop(&vq->vr, nheads);
			vmgw_vhost_q_count(vq->q, VMGW_STAT_READ_DROP_SHORT_BUF);
			kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
			continue;
		}
		ret = vmgw_vhost_rx_put(v, skb, sz, nheads, niov, have);
		used = true;
		if (ret > 0) {
			frames++;
			bytes += skb->len;
			consume_skb(skb);
		} else {
			kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
			if (ret < 0)
				break;
		}
	}
	vmgw_vhost_round_end(vq, frames, used);
	return frames >= VMGW_VHOST_PKT_WEIGHT || bytes >= VMGW_VHOST_WEIGHT;
}

static int vmgw_vhost_worker(void *data)
{
	struct vmgw_vhost *v = data;
	struct mem_cgroup *memcg;
	unsigned long work;
	bool more;

	kthread_use_mm(v->mm);
	memcg = set_active_memcg(v->memcg);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		work = xchg(&v->pending, 0);
		if (!work) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		mutex_lock(&v->mutex);
		if ((work & BIT(VMGW_VHOST_RX)) &&
		    vmgw_vhost_vq_ready(&v->vq[VMGW_VHOST_RX])) {
			more = vmgw_vhost_handle_rx(v);
			if (more)
				set_bit(VMGW_VHOST_RX, &v->pending);
		}
		if ((work & BIT(VMGW_VHOST_TX)) &&
		    vmgw_vhost_vq_ready(&v->vq[VMGW_VHOST_TX])) {
			more = vmgw_vhost_handle_tx(v);
			if (more)
				set_bit(VMGW_VHOST_TX, &v->pending);
		}
		mutex_unlock(&v->mutex);
		cond_resched();
	}
	set_active_memcg(memcg);
	kthread_unuse_mm(v->mm);
	return 0;
}

/* Stop @vq's kick wakeups and drop the kick file. */
static void vmgw_vhost_kick_clear(struct vmgw_vhost_vq *vq)
{
	if (vq->kick_wqh)
		remove_wait_queue(vq->kick_wqh, &vq->kick_wait);
	vq->kick_wqh = NULL;
	if (vq->kick)
		fput(vq->kick);
	vq->kick = NULL;
}

/*
 * Stop @vq's backend: no wakeup from its queue reaches us after this, and
 * the avail index reached is kept for VHOST_GET_VRING_BASE.
 */
static void vmgw_vhost_backend_clear(struct vmgw_vhost_vq *vq)
{
	if (!vq->backend)
		return;
	remove_wait_queue(&vq->q->wq, &vq->q_wait);
	vq->base = vq->vr.last_avail;
	fput(vq->backend);
	vq->backend = NULL;
	vq->q = NULL;
	WRITE_ONCE(vq->blocked, false);
}

static void vmgw_vhost_eventfd_put(struct eventfd_ctx **ctx)
{
	if (*ctx)
		eventfd_ctx_put(*ctx);
	*ctx = NULL;
}

/*
 * Undo VHOST_SET_OWNER and everything set up since: the state of a new
 * open file. Called with @mutex not held, as the worker may wait for it.
 */
static void vmgw_vhost_reset(struct vmgw_vhost *v)
{
	struct task_struct *worker;
	struct mem_cgroup *memcg;
	struct mm_struct *mm;
	int i;

	mutex_lock(&v->mutex);
	for (i = 0; i < VMGW_VHOST_NVQ; i++) {
		vmgw_vhost_backend_clear(&v->vq[i]);
		vmgw_vhost_kick_clear(&v->vq[i]);
	}
	worker = v->worker;
	mm = v->mm;
	memcg = v->memcg;
	mutex_unlock(&v->mutex);

	/* No wakeup can reach the worker now: stop it, then free the rest. */
	if (worker)
		kthread_stop(worker);
	if (mm)
		mmput(mm);
	mem_cgroup_put(memcg);

	mutex_lock(&v->mutex);
	v->worker = NULL;
	v->mm = NULL;
	v->memcg = NULL;
	v->pending = 0;
	v->features = 0;
	v->mem.n = 0;
	for (i = 0; i < VMGW_VHOST_NVQ; i++) {
		struct vmgw_vhost_vq *vq = &v->vq[i];

		vmgw_vhost_eventfd_put(&vq->call);
		vmgw_vhost_eventfd_put(&vq->err);
		vq->num = 0;
		vq->base = 0;
		vq->addr_set = false;
	}
	mutex_unlock(&v->mutex);
}

static int vmgw_vhost_set_owner(struct vmgw_vhost *v)
{
	struct task_struct *worker;
	struct mm_struct *mm;

	if (v->mm)
		return -EBUSY;
	/* The caller's address space (current->mm cannot change under it). */
	mm = current->mm;
	if (!mm || !mmget_not_zero(mm))
		return -EINVAL;
	worker = kthread_create(vmgw_vhost_worker, v, "vhost-vmgw-%d",
				current->pid);
	if (IS_ERR(worker)) {
		mmput(mm);
		return PTR_ERR(worker);
	}
	v->mm = mm;
	v->memcg = get_mem_cgroup_from_mm(mm);
	v->worker = worker;
	wake_up_process(worker);
	return 0;
}

static int vmgw_vhost_set_features(struct vmgw_vhost *v, u64 __user *argp)
{
	u64 f;
	int i;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	for (i = 0; i < VMGW_VHOST_NVQ; i++)
		if (vmgw_vring_set_features(&v->vq[i].vr, f))
			return -EOPNOTSUPP;
	v->features = f;
	return 0;
}

static int vmgw_vhost_set_mem_table(struct vmgw_vhost *v, void __user *argp)
{
	struct vhost_memory_region __user *ur;
	struct vmgw_vring_region *r;
	struct vhost_memory_region m;
	struct vhost_memory hdr;
	int err = 0;
	u32 i;

	if (copy_from_user(&hdr, argp, sizeof(hdr)))
		return -EFAULT;
	if (hdr.padding)
		return -EOPNOTSUPP;
	if (hdr.nregions > VMGW_VRING_MEM_MAX)
		return -E2BIG;
	r = kcalloc(max(hdr.nregions, 1U), sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	ur = (struct vhost_memory_region __user *)
		((u8 __user *)argp + sizeof(hdr));
	for (i = 0; i < hdr.nregions; i++) {
		if (copy_from_user(&m, ur + i, sizeof(m))) {
			err = -EFAULT;
			goto free_r;
		}
		if (m.flags_padding || !access_ok(u64_to_user_ptr(m.userspace_addr),
						  m.memory_size)) {
			err = -EFAULT;
			goto free_r;
		}
		r[i].gpa = m.guest_phys_addr;
		r[i].size = m.memory_size;
		r[i].uva = m.userspace_addr;
	}
	err = vmgw_vring_mem_set(&v->mem, r, hdr.nregions);
free_r:
	kfree(r);
	return err;
}

static struct vmgw_vhost_vq *vmgw_vhost_vq_get(struct vmgw_vhost *v,
					       unsigned int idx)
{
	if (idx >= VMGW_VHOST_NVQ)
		return NULL;
	return &v->vq[array_index_nospec(idx, VMGW_VHOST_NVQ)];
}

static int vmgw_vhost_set_vring_addr(struct vmgw_vhost *v, void __user *argp)
{
	struct vhost_vring_addr a;
	struct vmgw_vhost_vq *vq;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	vq = vmgw_vhost_vq_get(v, a.index);
	if (!vq)
		return -ENOBUFS;
	if (a.flags & BIT(VHOST_VRING_F_LOG))
		return -EOPNOTSUPP;
	if ((a.desc_user_addr & 15) || (a.avail_user_addr & 1) ||
	    (a.used_user_addr & 3))
		return -EINVAL;
	/* With the size known, rings that wrap or leave user space. */
	if (vq->num &&
	    (vmgw_vring_check_layout(vq->num, a.desc_user_addr,
				     a.avail_user_addr, a.used_user_addr) ||
	     !access_ok(u64_to_user_ptr(a.desc_user_addr),
			(size_t)vq->num * VMGW_VRING_DESC_SIZE) ||
	     !access_ok(u64_to_user_ptr(a.avail_user_addr),
			6 + 2 * (size_t)vq->num) ||
	     !access_ok(u64_to_user_ptr(a.used_user_addr),
			6 + 8 * (size_t)vq->num)))
		return -EFAULT;
	if (vq->backend) {
		/* Running: only the same addresses again. */
		if (a.desc_user_addr != vq->desc ||
		    a.avail_user_addr != vq->avail ||
		    a.used_user_addr != vq->used)
			return -EBUSY;
		return 0;
	}
	vq->desc = a.desc_user_addr;
	vq->avail = a.avail_user_addr;
	vq->used = a.used_user_addr;
	vq->addr_set = true;
	return 0;
}

static int vmgw_vhost_set_vring_state(struct vmgw_vhost *v, unsigned int cmd,
				      void __user *argp)
{
	struct vhost_vring_state s;
	struct vmgw_vhost_vq *vq;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	vq = vmgw_vhost_vq_get(v, s.index);
	if (!vq)
		return -ENOBUFS;
	if (vq->backend)
		return -EBUSY;
	if (cmd == VHOST_SET_VRING_NUM) {
		if (!s.num || s.num > VMGW_VRING_NUM_MAX ||
		    (s.num & (s.num - 1)))
			return -EINVAL;
		vq->num = s.num;
	} else {
		if (s.num > 0xffff)
			return -EINVAL;
		vq->base = s.num;
	}
	return 0;
}

static int vmgw_vhost_get_vring_base(struct vmgw_vhost *v, void __user *argp)
{
	struct vhost_vring_state s;
	struct vmgw_vhost_vq *vq;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	vq = vmgw_vhost_vq_get(v, s.index);
	if (!vq)
		return -ENOBUFS;
	s.num = vq->backend ? vq->vr.last_avail : vq->base;
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static int vmgw_vhost_eventfd_get(int fd, struct eventfd_ctx **ctx)
{
	struct eventfd_ctx *e = NULL;

	if (fd != VHOST_FILE_UNBIND) {
		e = eventfd_ctx_fdget(fd);
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	vmgw_vhost_eventfd_put(ctx);
	*ctx = e;
	return 0;
}

static int vmgw_vhost_set_kick(struct vmgw_vhost_vq *vq, int fd)
{
	struct eventfd_ctx *e;
	struct file *file;
	__poll_t mask;

	vmgw_vhost_kick_clear(vq);
	if (fd == VHOST_FILE_UNBIND)
		return 0;
	file = fget(fd);
	if (!file)
		return -EBADF;
	e = eventfd_ctx_fileget(file);
	if (IS_ERR(e)) {
		fput(file);
		return PTR_ERR(e);
	}
	eventfd_ctx_put(e);	/* the file keeps the eventfd */
	vq->kick = file;
	init_waitqueue_func_entry(&vq->kick_wait, vmgw_vhost_kick_wake);
	init_poll_funcptr(&vq->kick_pt, vmgw_vhost_kick_proc);
	mask = vfs_poll(file, &vq->kick_pt);
	if (mask & EPOLLIN)
		vmgw_vhost_queue(vq->v, vq->idx);
	return 0;
}

static int vmgw_vhost_set_vring_file(struct vmgw_vhost *v, unsigned int cmd,
				     void __user *argp)
{
	struct vhost_vring_file f;
	struct vmgw_vhost_vq *vq;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	vq = vmgw_vhost_vq_get(v, f.index);
	if (!vq)
		return -ENOBUFS;
	switch (cmd) {
	case VHOST_SET_VRING_KICK:
		return vmgw_vhost_set_kick(vq, f.fd);
	case VHOST_SET_VRING_CALL:
		return vmgw_vhost_eventfd_get(f.fd, &vq->call);
	default:
		return vmgw_vhost_eventfd_get(f.fd, &vq->err);
	}
}

/* Set up the walker of @vq for @q and start it at the base. */
static int vmgw_vhost_vq_start(struct vmgw_vhost *v, struct vmgw_vhost_vq *vq)
{
	struct vmgw_vring *vr = &vq->vr;

	if (!vq->num || !vq->addr_set)
		return -EINVAL;
	if (vmgw_vring_check_layout(vq->num, vq->desc, vq->avail, vq->used) ||
	    !access_ok(u64_to_user_ptr(vq->desc),
		       (size_t)vq->num * VMGW_VRING_DESC_SIZE) ||
	    !access_ok(u64_to_user_ptr(vq->avail), 6 + 2 * (size_t)vq->num) ||
	    !access_ok(u64_to_user_ptr(vq->used), 6 + 8 * (size_t)vq->num))
		return -EFAULT;
	vr->desc = vq->desc;
	vr->avail = vq->avail;
	vr->used = vq->used;
	vr->num = vq->num;
	vmgw_vring_set_features(vr, v->features);
	vr->mem = &v->mem;
	vr->acc = &v->acc;
	return vmgw_vring_start(vr, vq->base) ? -EFAULT : 0;
}

/*
 * VHOST_NET_SET_BACKEND: @fd is an open /dev/vmgw file, read-write,
 * attached to a device with IFF_VNET_HDR, or -1 to stop the virtqueue.
 * Holding the file is the permission: attaching it required
 * CAP_NET_ADMIN over the device's namespace, as using it with write()
 * and read() does not.
 */
static int vmgw_vhost_set_backend(struct vmgw_vhost *v, void __user *argp)
{
	struct vhost_vring_file f;
	struct vmgw_vhost_vq *vq;
	struct vmgw_queue *q;
	struct file *file;
	int err;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	vq = vmgw_vhost_vq_get(v, f.index);
	if (!vq)
		return -ENOBUFS;
	vmgw_vhost_backend_clear(vq);
	if (f.fd == VHOST_FILE_UNBIND)
		return 0;

	file = fget(f.fd);
	if (!file)
		return -EBADF;
	q = vmgw_chrdev_queue(file);
	if (!q) {
		err = -ENOTSOCK;	/* as vhost-net for a non-socket */
		goto put_file;
	}
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE)) {
		err = -EBADF;
		goto put_file;
	}
	if (!rcu_access_pointer(q->vg)) {
		err = READ_ONCE(q->dead) ? -ENODEV : -EBADFD;
		goto put_file;
	}
	if (!(READ_ONCE(q->flags) & IFF_VNET_HDR)) {
		err = -EINVAL;
		goto put_file;
	}
	vq->q = q;
	err = vmgw_vhost_vq_start(v, vq);
	if (err)
		goto clear_q;
	vq->backend = file;
	init_waitqueue_func_entry(&vq->q_wait, vmgw_vhost_q_wake);
	add_wait_queue(&q->wq, &vq->q_wait);
	vmgw_vhost_queue(v, vq->idx);
	return 0;

clear_q:
	vq->q = NULL;
put_file:
	fput(file);
	return err;
}

static long vmgw_vhost_ioctl_owned(struct vmgw_vhost *v, unsigned int cmd,
				   void __user *argp)
{
	u64 f;

	switch (cmd) {
	case VHOST_SET_FEATURES:
		return vmgw_vhost_set_features(v, argp);
	case VHOST_GET_BACKEND_FEATURES:
		f = 0;
		return copy_to_user(argp, &f, sizeof(f)) ? -EFAULT : 0;
	case VHOST_SET_BACKEND_FEATURES:
		if (copy_from_user(&f, argp, sizeof(f)))
			return -EFAULT;
		return f ? -EOPNOTSUPP : 0;
	case VHOST_SET_MEM_TABLE:
		return vmgw_vhost_set_mem_table(v, argp);
	case VHOST_SET_VRING_NUM:
	case VHOST_SET_VRING_BASE:
		return vmgw_vhost_set_vring_state(v, cmd, argp);
	case VHOST_GET_VRING_BASE:
		return vmgw_vhost_get_vring_base(v, argp);
	case VHOST_SET_VRING_ADDR:
		return vmgw_vhost_set_vring_addr(v, argp);
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
		return vmgw_vhost_set_vring_file(v, cmd, argp);
	case VHOST_NET_SET_BACKEND:
		return vmgw_vhost_set_backend(v, argp);
	case VHOST_SET_LOG_BASE:
	case VHOST_SET_LOG_FD:
		return -EOPNOTSUPP;
	default:
		return -ENOIOCTLCMD;
	}
}

static long vmgw_vhost_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct vmgw_vhost *v = file->private_data;
	void __user *argp = (void __user *)arg;
	u64 f = VMGW_VRING_FEATURES;
	long ret;

	if (cmd == VHOST_GET_FEATURES)
		return copy_to_user(argp, &f, sizeof(f)) ? -EFAULT : 0;
	if (cmd == VHOST_RESET_OWNER) {
		if (!v->mm || v->mm != current->mm)
			return -EPERM;
		vmgw_vhost_reset(v);
		return 0;
	}
	mutex_lock(&v->mutex);
	if (cmd == VHOST_SET_OWNER)
		ret = vmgw_vhost_set_owner(v);
	else if (!v->mm || v->mm != current->mm)
		ret = -EPERM;
	else
		ret = vmgw_vhost_ioctl_owned(v, cmd, argp);
	mutex_unlock(&v->mutex);
	return ret;
}

static struct vmgw_vhost *vmgw_vhost_alloc(void)
{
	struct vmgw_vhost *v = kvzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	int i;

	if (!v)
		return NULL;
	mutex_init(&v->mutex);
	v->acc.read = vmgw_vhost_read;
	v->acc.write = vmgw_vhost_write;
	v->acc.ctx = v;
	for (i = 0; i < VMGW_VHOST_NVQ; i++) {
		v->vq[i].v = v;
		v->vq[i].idx = i;
	}
	return v;
}

static int vmgw_vhost_open(struct inode *inode, struct file *file)
{
	struct vmgw_vhost *v = vmgw_vhost_alloc();

	if (!v)
		return -ENOMEM;
	file->private_data = v;
	return stream_open(inode, file);
}

static int vmgw_vhost_release(struct inode *inode, struct file *file)
{
	struct vmgw_vhost *v = file->private_data;

	vmgw_vhost_reset(v);
	mutex_destroy(&v->mutex);
	kvfree(v);
	return 0;
}

static const struct file_operations vmgw_vhost_fops = {
	.owner		= THIS_MODULE,
	.open		= vmgw_vhost_open,
	.release	= vmgw_vhost_release,
	.unlocked_ioctl	= vmgw_vhost_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmgw_vhost_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vhost-vmgw",
	.nodename = "vhost-vmgw",
	.mode	= 0666,
	.fops	= &vmgw_vhost_fops,
};

#if IS_ENABLED(CONFIG_VMGW_KUNIT_TEST)
/**
 * vmgw_vhost_test_file() - an open /dev/vhost-vmgw file, without the node
 *
 * For KUnit, which has no /dev: the file's ioctls and release are the
 * device's. fput() releases it.
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *vmgw_vhost_test_file(void)
{
	struct vmgw_vhost *v = vmgw_vhost_alloc();
	struct file *file;

	if (!v)
		return ERR_PTR(-ENOMEM);
	file = anon_inode_getfile("[vhost-vmgw]", &vmgw_vhost_fops, v, O_RDWR);
	if (IS_ERR(file)) {
		mutex_destroy(&v->mutex);
		kvfree(v);
	}
	return file;
}
#endif

/**
 * vmgw_vhost_register() - create /dev/vhost-vmgw
 *
 * Return: 0 or the error of misc_register().
 */
int vmgw_vhost_register(void)
{
	return misc_register(&vmgw_vhost_miscdev);
}

/**
 * vmgw_vhost_unregister() - remove /dev/vhost-vmgw
 *
 * Open files hold a reference on the module, so none is open here.
 */
void vmgw_vhost_unregister(void)
{
	misc_deregister(&vmgw_vhost_miscdev);
}
