// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmgw: a tap-compatible character device. An open file is one queue
 * of a vmgw device: TUNSETIFF attaches it, write() hands one guest frame to
 * the g2h ring, read() takes one frame from the h2g ring; after
 * VMGWSETBATCH, one call carries a batch of length-prefixed frames.
 *
 * Errors a VMM sees (documented in Documentation/networking/vmgw.rst):
 * -EBADFD before TUNSETIFF, -ENODEV once the device is gone, -EINVAL for a
 * frame that is too short, too long or has a bad virtio-net header (and for
 * a read() buffer too small for the next frame, which is then dropped),
 * -EAGAIN on a non-blocking file when the ring is full (write) or empty
 * (read), -ENETDOWN for a write while the device is down.
 */
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/etherdevice.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/if_vlan.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/virtio_net.h>
#include <net/net_namespace.h>
#include <uapi/linux/vmgw.h>

#include "batch.h"
#include "vmgw.h"

#define VMGW_IFF_REQUIRED	(IFF_TAP | IFF_NO_PI)
#define VMGW_IFF_SUPPORTED	(VMGW_IFF_REQUIRED | IFF_VNET_HDR)
#define VMGW_TUN_F_SUPPORTED	(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | \
				 TUN_F_TSO_ECN)

/*
 * Frames up to this size are copied into the linear area of the skb, and
 * no linear area is ever larger: an order-0 head whatever the guest says.
 */
#define VMGW_LINEAR_MAX		SKB_MAX_HEAD(NET_IP_ALIGN)
/* Larger ones keep at least their headers linear. */
#define VMGW_LINEAR_MIN		256

/* Count @n events on the device of @q, if it still has one. */
static void vmgw_chr_count_n(struct vmgw_queue *q, enum vmgw_stat idx, u64 n)
{
	struct vmgw_dev *vg;

	if (idx >= VMGW_STAT_MAX)	/* an error no counter stands for */
		return;
	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (vg)
		vmgw_stats_add(vg->stats, idx, n);
	rcu_read_unlock();
}

static void vmgw_chr_count(struct vmgw_queue *q, enum vmgw_stat idx)
{
	vmgw_chr_count_n(q, idx, 1);
}

/* The error for a file without a device: never attached, or device gone. */
static int vmgw_chr_no_dev(const struct vmgw_queue *q)
{
	/* Pairs with smp_wmb() in vmgw_queue_detach(): q->vg was NULL. */
	smp_rmb();
	return READ_ONCE(q->dead) ? -ENODEV : -EBADFD;
}

static int vmgw_chr_open(struct inode *inode, struct file *file)
{
	struct vmgw_queue *q = vmgw_queue_alloc();

	if (!q)
		return -ENOMEM;
	file->private_data = q;
	return stream_open(inode, file);
}

static int vmgw_chr_release(struct inode *inode, struct file *file)
{
	vmgw_queue_free(file->private_data);
	return 0;
}

/*
 * The write path refuses a frame by returning an errno and naming in *why
 * the counter of the refusal; its caller counts it once it really returns
 * that error (a batch stops before a bad record and leaves the count to
 * the write that starts with it).
 */

/*
 * Read and check the virtio-net header at the start of a frame. Return the
 * frame length that follows it, or a negative errno.
 */
static ssize_t vmgw_chr_get_vnet_hdr(struct vmgw_queue *q,
				     struct iov_iter *from,
				     struct virtio_net_hdr *hdr,
				     enum vmgw_stat *why)
{
	size_t len = iov_iter_count(from);
	int sz = READ_ONCE(q->vnet_hdr_sz);

	if (!(READ_ONCE(q->flags) & IFF_VNET_HDR))
		return len;
	if (len < sz) {
		*why = VMGW_STAT_WRITE_ERR_SHORT;
		return -EINVAL;
	}
	if (!copy_from_iter_full(hdr, sizeof(*hdr), from)) {
		*why = VMGW_STAT_WRITE_ERR_FAULT;
		return -EFAULT;
	}
	iov_iter_advance(from, sz - sizeof(*hdr));
	if (__virtio16_to_cpu(true, hdr->hdr_len) > len - sz) {
		*why = VMGW_STAT_WRITE_ERR_VNET_HDR;
		return -EINVAL;
	}
	return len - sz;
}

/* Largest frame the device takes now, or a negative errno. */
static int vmgw_chr_max_frame(struct vmgw_queue *q, bool gso)
{
	struct vmgw_dev *vg;
	int max;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (vg)
		max = gso ? VMGW_MAX_FRAME :
			    READ_ONCE(vg->dev->mtu) + ETH_HLEN + VLAN_HLEN;
	else
		max = vmgw_chr_no_dev(q);
	rcu_read_unlock();
	return max;
}

/*
 * Copy one frame of @len bytes from @from into a new skb. The header
 * length of the virtio-net header is a hint from the guest: the linear
 * part follows it only up to one page, the rest goes to page fragments,
 * so that no write asks for a high-order head. virtio_net_hdr_to_skb()
 * and the classifier read headers beyond the linear part as they need.
 * The memory is charged to the writer's memory cgroup until the frame is
 * freed, as a socket's would be.
 */
static struct sk_buff *vmgw_chr_build_skb(struct iov_iter *from, size_t len,
					  const struct virtio_net_hdr *hdr,
					  enum vmgw_stat *why)
{
	size_t linear = len;
	struct sk_buff *skb;
	int err;

	if (len > VMGW_LINEAR_MAX)
		linear = clamp_t(size_t, __virtio16_to_cpu(true, hdr->hdr_len),
				 VMGW_LINEAR_MIN, VMGW_LINEAR_MAX);
	skb = alloc_skb_with_frags(NET_IP_ALIGN + linear, len - linear,
				   PAGE_ALLOC_COSTLY_ORDER, &err,
				   GFP_KERNEL_ACCOUNT);
	if (!skb) {
		*why = VMGW_STAT_WRITE_ERR_NOMEM;
		return ERR_PTR(err);
	}
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	if (skb_copy_datagram_from_iter(skb, 0, from, len)) {
		*why = VMGW_STAT_WRITE_ERR_FAULT;
		kfree_skb_reason(skb, SKB_DROP_REASON_SKB_UCOPY_FAULT);
		return ERR_PTR(-EFAULT);
	}

	/*
	 * Give virtio_net_hdr_to_skb() the ethertype so that it never has to
	 * ask a device for it; eth_type_trans() sets the real one in the poll.
	 */
	skb->protocol = ((struct ethhdr *)skb->data)->h_proto;
	if (virtio_net_hdr_to_skb(skb, hdr, true)) {
		*why = VMGW_STAT_WRITE_ERR_VNET_HDR;
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return ERR_PTR(-EINVAL);
	}
	return skb;
}

/*
 * Check one frame, all of @from (virtio-net header if enabled, then the
 * Ethernet frame), and copy it into a new skb.
 */
static struct sk_buff *vmgw_chr_get_frame(struct vmgw_queue *q,
					  struct iov_iter *from,
					  enum vmgw_stat *why)
{
	struct virtio_net_hdr hdr = {};
	ssize_t len;
	int max;

	len = vmgw_chr_get_vnet_hdr(q, from, &hdr, why);
	if (len < 0)
		return ERR_PTR(len);
	if (len < ETH_HLEN) {
		*why = VMGW_STAT_WRITE_ERR_SHORT;
		return ERR_PTR(-EINVAL);
	}
	max = vmgw_chr_max_frame(q, hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE);
	if (max < 0)
		return ERR_PTR(max);
	if (len > max) {
		*why = VMGW_STAT_WRITE_ERR_LONG;
		return ERR_PTR(-EINVAL);
	}
	return vmgw_chr_build_skb(from, len, &hdr, why);
}

/*
 * Whether a writer waiting for room must try again: room in the ring, or
 * a write would fail at once (device down or gone). The g2h producer lock
 * is also taken with softirqs disabled (the enqueue path), so the check
 * takes it the same way.
 */
static bool vmgw_chr_writable(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;
	bool ret;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	ret = !vg || !netif_running(vg->dev) || !ptr_ring_full_bh(&q->g2h);
	rcu_read_unlock();
	return ret;
}

/*
 * Put @skb on the g2h ring; with @kick, schedule the poll, which runs at
 * rcu_read_unlock_bh() on this CPU. Return 0, -ENOSPC when the ring is
 * full, or the error of a file without a running device. The caller still
 * owns @skb on error.
 */
static int vmgw_chr_produce(struct vmgw_queue *q, struct sk_buff *skb,
			    bool kick, enum vmgw_stat *why)
{
	struct vmgw_dev *vg;
	int err;

	rcu_read_lock_bh();
	vg = rcu_dereference_bh(q->vg);
	if (!vg) {
		err = vmgw_chr_no_dev(q);
	} else if (!netif_running(vg->dev)) {
		*why = VMGW_STAT_WRITE_ERR_DOWN;
		err = -ENETDOWN;
	} else {
		err = ptr_ring_produce(&q->g2h, skb);
		if (kick && !err)
			napi_schedule(&q->napi);
	}
	rcu_read_unlock_bh();
	return err;
}

/* Schedule the poll of @q for the frames put on its ring without a kick. */
static void vmgw_chr_kick(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;

	rcu_read_lock_bh();
	vg = rcu_dereference_bh(q->vg);
	/* Once the device is gone, detach frees what is left on the ring. */
	if (vg)
		napi_schedule(&q->napi);
	rcu_read_unlock_bh();
}

/*
 * Put @skb on the g2h ring, waiting for room unless @nonblock; with @kick,
 * schedule the poll. The caller still owns @skb on error.
 */
static int vmgw_chr_enqueue(struct vmgw_queue *q, struct sk_buff *skb,
			    bool nonblock, bool kick, enum vmgw_stat *why)
{
	int err;

	for (;;) {
		err = vmgw_chr_produce(q, skb, kick, why);
		if (err != -ENOSPC)
			return err;
		/* A batch may have filled the ring without a kick. */
		if (!kick)
			vmgw_chr_kick(q);
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(q->wq, vmgw_chr_writable(q));
		if (err)
			return err;
	}
}

/* One frame per write(): all of @from is the frame. */
static ssize_t vmgw_chr_write_one(struct vmgw_queue *q, struct iov_iter *from,
				  bool nonblock, bool kick)
{
	enum vmgw_stat why = VMGW_STAT_MAX;
	size_t total = iov_iter_count(from);
	struct sk_buff *skb;
	int err;

	skb = vmgw_chr_get_frame(q, from, &why);
	if (IS_ERR(skb)) {
		err = PTR_ERR(skb);
		goto count;
	}
	err = vmgw_chr_enqueue(q, skb, nonblock, kick, &why);
	if (err) {
		kfree_skb_reason(skb, SKB_DROP_REASON_FULL_RING);
		goto count;
	}
	return total;

count:
	vmgw_chr_count(q, why);
	return err;
}

/*
 * A batch of records (VMGW_BATCH_WRITE). Each record is taken whole or not
 * at all; the write stops before the first record that cannot be taken.
 * Only the first record may wait for room in the ring, and the poll is
 * scheduled once for the whole batch.
 */
static ssize_t vmgw_chr_write_batch(struct vmgw_queue *q,
				    struct iov_iter *from, bool nonblock)
{
	enum vmgw_stat why = VMGW_STAT_MAX;
	unsigned int taken = 0;
	struct sk_buff *skb;
	struct iov_iter rec;
	size_t done = 0;
	ssize_t len;
	int err = 0;

	while ((len = vmgw_batch_next(from, taken, &rec)) > 0) {
		skb = vmgw_chr_get_frame(q, &rec, &why);
		if (IS_ERR(skb)) {
			err = PTR_ERR(skb);
			break;
		}
		err = vmgw_chr_enqueue(q, skb, nonblock || taken, false, &why);
		if (err) {
			kfree_skb_reason(skb, SKB_DROP_REASON_FULL_RING);
			break;
		}
		taken++;
		done += VMGW_BATCH_PREFIX + len;
	}
	if (len < 0) {
		err = len;
		why = err == -EFAULT ? VMGW_STAT_WRITE_ERR_FAULT :
				       VMGW_STAT_WRITE_ERR_SHORT;
	}
	if (taken) {
		vmgw_chr_kick(q);
		vmgw_chr_count_n(q, VMGW_STAT_WRITE_FRAMES, taken);
		return done;
	}
	vmgw_chr_count(q, why);
	return err;
}

/**
 * vmgw_queue_write() - take guest frames: one, or a batch of records
 * @q: the file's queue
 * @from: optional virtio-net header, then one Ethernet frame; or, with
 *	VMGW_BATCH_WRITE set on the file, records of a struct vmgw_batch_rec
 *	followed by such a header and frame
 * @nonblock: return -EAGAIN instead of waiting when the ring is full
 *
 * Every frame is taken whole or not at all. A batch stops before the first
 * record that cannot be taken (bad framing, bad frame, ring full) and
 * fails only when that is its first record.
 *
 * Context: process; may sleep.
 * Return: bytes taken (all of @from for one frame, the whole records taken
 * for a batch), or a negative errno; nothing is queued on error.
 */
ssize_t vmgw_queue_write(struct vmgw_queue *q, struct iov_iter *from,
			 bool nonblock)
{
	ssize_t ret;

	if (!rcu_access_pointer(q->vg))
		return vmgw_chr_no_dev(q);
	if (READ_ONCE(q->batch) & VMGW_BATCH_WRITE)
		return vmgw_chr_write_batch(q, from, nonblock);
	ret = vmgw_chr_write_one(q, from, nonblock, true);
	if (ret >= 0)
		vmgw_chr_count(q, VMGW_STAT_WRITE_FRAMES);
	return ret;
}

/**
 * vmgw_queue_write_frame() - take one guest frame, never waiting
 * @q: a queue
 * @from: optional virtio-net header, then one Ethernet frame
 * @kick: schedule the poll for it; without, vmgw_queue_kick() must follow
 *	(a full ring is kicked here in any case)
 *
 * The write path of /dev/vhost-vmgw: one frame whatever the file's batch
 * setting, with the checks and counters of write().
 *
 * Context: process; does not wait for room in the ring.
 * Return: bytes taken (all of @from), -EAGAIN when the ring is full, or
 * the errno write() would return.
 */
ssize_t vmgw_queue_write_frame(struct vmgw_queue *q, struct iov_iter *from,
			       bool kick)
{
	if (!rcu_access_pointer(q->vg))
		return vmgw_chr_no_dev(q);
	return vmgw_chr_write_one(q, from, true, kick);
}

/**
 * vmgw_queue_kick() - schedule the poll for frames taken without a kick
 * @q: a queue
 *
 * Context: process.
 */
void vmgw_queue_kick(struct vmgw_queue *q)
{
	vmgw_chr_kick(q);
}

static ssize_t vmgw_chr_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return vmgw_queue_write(iocb->ki_filp->private_data, from,
				iocb->ki_filp->f_flags & O_NONBLOCK);
}

/*
 * Other readers of the file consume h2g concurrently, so the empty test
 * takes the consumer lock (only ever taken in process context).
 */
static bool vmgw_chr_readable(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;
	bool ret;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	ret = !vg || !ptr_ring_empty(&q->h2g);
	rcu_read_unlock();
	return ret;
}

/* Take the next host -> guest frame, waiting for one unless non-blocking. */
static struct sk_buff *vmgw_chr_dequeue(struct vmgw_queue *q, bool nonblock)
{
	struct sk_buff *skb;
	struct vmgw_dev *vg;
	int err;

	for (;;) {
		rcu_read_lock();
		vg = rcu_dereference(q->vg);
		if (!vg) {
			rcu_read_unlock();
			return ERR_PTR(vmgw_chr_no_dev(q));
		}
		skb = ptr_ring_consume(&q->h2g);
		if (skb)
			vmgw_tx_wake(q, vg->dev);
		rcu_read_unlock();
		if (skb)
			return skb;
		if (nonblock)
			return ERR_PTR(-EAGAIN);
		err = wait_event_interruptible(q->wq, vmgw_chr_readable(q));
		if (err)
			return ERR_PTR(err);
	}
}

/* Bytes a frame takes in a read: prefix in a batch, header, frame. */
static size_t vmgw_chr_rec_len(const struct sk_buff *skb, int sz, bool batch)
{
	return (batch ? VMGW_BATCH_PREFIX : 0) + sz + skb->len;
}

/*
 * Take the next host -> guest frame only if it fits in @room bytes; never
 * waits. The consumer lock keeps other readers away between the peek and
 * the discard.
 */
static struct sk_buff *vmgw_chr_dequeue_fitting(struct vmgw_queue *q,
						size_t room, int sz)
{
	struct sk_buff *skb;
	struct vmgw_dev *vg;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (!vg) {
		rcu_read_unlock();
		return NULL;
	}
	spin_lock(&q->h2g.consumer_lock);
	skb = __ptr_ring_peek(&q->h2g);
	if (skb && vmgw_chr_rec_len(skb, sz, true) <= room)
		__ptr_ring_discard_one(&q->h2g);
	else
		skb = NULL;
	spin_unlock(&q->h2g.consumer_lock);
	if (skb)
		vmgw_tx_wake(q, vg->dev);
	rcu_read_unlock();
	return skb;
}

/*
 * Copy @skb, behind its record prefix if @batch and with its virtio-net
 * header if enabled (@sz bytes), to the reader.
 */
static ssize_t vmgw_chr_put_frame(struct vmgw_queue *q, struct sk_buff *skb,
				  struct iov_iter *to, int sz, bool batch)
{
	struct virtio_net_hdr_mrg_rxbuf hdr = {};
	size_t len = vmgw_chr_rec_len(skb, sz, batch);

	if (iov_iter_count(to) < len) {
		vmgw_chr_count(q, VMGW_STAT_READ_DROP_SHORT_BUF);
		return -EINVAL;
	}
	if (sz && virtio_net_hdr_from_skb(skb, &hdr.hdr, true, false, 0)) {
		vmgw_chr_count(q, VMGW_STAT_READ_DROP_VNET_HDR);
		return -EINVAL;
	}
	if ((batch && !vmgw_batch_put_prefix(to, sz + skb->len)) ||
	    copy_to_iter(&hdr, sz, to) != sz ||
	    skb_copy_datagram_iter(skb, 0, to, skb->len)) {
		vmgw_chr_count(q, VMGW_STAT_READ_DROP_FAULT);
		return -EFAULT;
	}
	return len;
}

/* Give @skb to the reader; the frame is consumed or dropped (counted). */
static ssize_t vmgw_chr_give(struct vmgw_queue *q, struct sk_buff *skb,
			     struct iov_iter *to, int sz, bool batch)
{
	ssize_t ret = vmgw_chr_put_frame(q, skb, to, sz, batch);

	if (ret < 0)
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
	else
		consume_skb(skb);
	return ret;
}

/**
 * vmgw_queue_read() - give host frames to the guest's reader
 * @q: the file's queue
 * @to: receives the virtio-net header (if enabled) and the frame; with
 *	VMGW_BATCH_READ set on the file, records of a struct vmgw_batch_rec,
 *	such a header and a frame, as many as fit (at most VMGW_BATCH_MAX)
 * @nonblock: return -EAGAIN instead of waiting when the ring is empty
 *
 * A buffer too small for the next frame gets -EINVAL and that frame is
 * dropped (counted): a VMM reads into 64 KiB buffers, so this is a bug on
 * its side, and keeping the frame would wedge the queue. A batch waits
 * only for its first frame and ends before a frame that does not fit.
 *
 * Context: process; may sleep.
 * Return: bytes written to @to, or a negative errno.
 */
ssize_t vmgw_queue_read(struct vmgw_queue *q, struct iov_iter *to,
			bool nonblock)
{
	bool batch = READ_ONCE(q->batch) & VMGW_BATCH_READ;
	unsigned int n;
	struct sk_buff *skb;
	ssize_t ret, done;
	int sz = 0;

	if (READ_ONCE(q->flags) & IFF_VNET_HDR)
		sz = READ_ONCE(q->vnet_hdr_sz);
	skb = vmgw_chr_dequeue(q, nonblock);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	done = vmgw_chr_give(q, skb, to, sz, batch);
	if (done < 0)
		return done;
	for (n = 1; batch && n < VMGW_BATCH_MAX; n++) {
		skb = vmgw_chr_dequeue_fitting(q, iov_iter_count(to), sz);
		if (!skb)
			break;
		ret = vmgw_chr_give(q, skb, to, sz, true);
		if (ret < 0)
			break;
		done += ret;
	}
	vmgw_chr_count_n(q, VMGW_STAT_READ_FRAMES, n);
	return done;
}

static ssize_t vmgw_chr_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return vmgw_queue_read(iocb->ki_filp->private_data, to,
			       iocb->ki_filp->f_flags & O_NONBLOCK);
}

static __poll_t vmgw_chr_poll(struct file *file, poll_table *wait)
{
	struct vmgw_queue *q = file->private_data;
	struct vmgw_dev *vg;
	__poll_t mask = 0;

	poll_wait(file, &q->wq, wait);
	/*
	 * Store-buffer pattern between this poller and the wakers:
	 *
	 *   poller: add to q->wq (poll_wait); smp_mb(); read ring state
	 *   waker:  change ring state; smp_mb() in wq_has_sleeper(); read q->wq
	 *
	 * The wakers are vmgw_tx_xmit() (produced to h2g: EPOLLIN) and
	 * vmgw_rx_poll() (consumed from g2h: EPOLLOUT). Without this barrier
	 * the read of the rings could be ordered before the poll_wait() store
	 * (a store-load reordering every SMP architecture does, x86 too): the
	 * poller would read "full/empty" and the waker "nobody waits", and the
	 * wakeup would be lost for good. With a full barrier on both sides at
	 * least one of them sees the other's store. The link-down and detach
	 * wakeups are unconditional and need no pairing. This is the barrier
	 * sock_poll_wait() has for the same reason.
	 */
	smp_mb();
	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (!vg) {
		mask = vmgw_chr_no_dev(q) == -ENODEV ? EPOLLERR | EPOLLHUP :
						       EPOLLERR;
	} else {
		if (!ptr_ring_empty(&q->h2g))
			mask |= EPOLLIN | EPOLLRDNORM;
		/* Down: a write fails at once, so it does not block. */
		if (!netif_running(vg->dev) || !ptr_ring_full_bh(&q->g2h))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	rcu_read_unlock();
	return mask;
}

/*
 * @ifreq_len: bytes of struct ifreq the caller passes, less for a 32-bit
 * process (struct compat_ifreq); only ifr_name and ifr_flags are used.
 */
static int vmgw_chr_setiff(struct vmgw_queue *q, void __user *argp,
			   size_t ifreq_len)
{
	struct ifreq ifr = {};
	struct net_device *dev;
	int err;

	if (copy_from_user(&ifr, argp, ifreq_len))
		return -EFAULT;
	ifr.ifr_name[IFNAMSIZ - 1] = '\0';
	if ((ifr.ifr_flags & ~VMGW_IFF_SUPPORTED) ||
	    (ifr.ifr_flags & VMGW_IFF_REQUIRED) != VMGW_IFF_REQUIRED)
		return -EINVAL;

	rtnl_lock();
	dev = __dev_get_by_name(current->nsproxy->net_ns, ifr.ifr_name);
	if (rtnl_dereference(q->vg))
		err = -EBUSY;		/* this file is attached already */
	else if (!dev)
		err = -ENODEV;
	else if (!vmgw_dev_is_vmgw(dev))
		err = -EINVAL;		/* as tun: a device of another kind */
	else if (!ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN))
		err = -EPERM;
	else
		err = 0;
	if (!err) {
		q->flags = ifr.ifr_flags;
		err = vmgw_queue_attach(q, dev);
	}
	rtnl_unlock();
	if (err)
		return err;
	return copy_to_user(argp, &ifr, ifreq_len) ? -EFAULT : 0;
}

/* The device's name now (it may have been renamed since the attach). */
static int vmgw_chr_getiff(struct vmgw_queue *q, void __user *argp,
			   size_t ifreq_len)
{
	struct vmgw_dev *vg;
	struct ifreq ifr = {};
	int err = 0;

	rtnl_lock();
	vg = rtnl_dereference(q->vg);
	if (vg) {
		strscpy(ifr.ifr_name, vg->dev->name, sizeof(ifr.ifr_name));
		ifr.ifr_flags = q->flags;
	} else {
		err = vmgw_chr_no_dev(q);
	}
	rtnl_unlock();
	if (err)
		return err;
	return copy_to_user(argp, &ifr, ifreq_len) ? -EFAULT : 0;
}

static int vmgw_chr_set_vnet_hdr_sz(struct vmgw_queue *q, int __user *argp)
{
	int sz;

	if (get_user(sz, argp))
		return -EFAULT;
	if (sz != sizeof(struct virtio_net_hdr) &&
	    sz != sizeof(struct virtio_net_hdr_mrg_rxbuf))
		return -EINVAL;
	WRITE_ONCE(q->vnet_hdr_sz, sz);
	return 0;
}

static int vmgw_chr_set_offload(struct vmgw_queue *q, unsigned long arg)
{
	if (arg & ~VMGW_TUN_F_SUPPORTED)
		return -EINVAL;
	rtnl_lock();
	q->offloads = arg;
	vmgw_queue_set_offloads(q);
	rtnl_unlock();
	return 0;
}

static int vmgw_chr_set_batch(struct vmgw_queue *q, unsigned int __user *argp)
{
	unsigned int batch;

	if (get_user(batch, argp))
		return -EFAULT;
	if (batch & ~(VMGW_BATCH_WRITE | VMGW_BATCH_READ))
		return -EINVAL;
	WRITE_ONCE(q->batch, batch);
	return 0;
}

static long vmgw_chr_do_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg, size_t ifreq_len)
{
	struct vmgw_queue *q = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case TUNSETIFF:
		return vmgw_chr_setiff(q, argp, ifreq_len);
	case TUNGETIFF:
		return vmgw_chr_getiff(q, argp, ifreq_len);
	case TUNGETFEATURES:
		return put_user(VMGW_IFF_SUPPORTED, (unsigned int __user *)argp);
	case TUNSETVNETHDRSZ:
		return vmgw_chr_set_vnet_hdr_sz(q, argp);
	case TUNGETVNETHDRSZ:
		return put_user(READ_ONCE(q->vnet_hdr_sz), (int __user *)argp);
	case TUNSETOFFLOAD:
		return vmgw_chr_set_offload(q, arg);
	case VMGWSETBATCH:
		return vmgw_chr_set_batch(q, argp);
	case VMGWGETBATCH:
		return put_user(READ_ONCE(q->batch), (unsigned int __user *)argp);
	default:
		return -ENOTTY;
	}
}

static long vmgw_chr_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	return vmgw_chr_do_ioctl(file, cmd, arg, sizeof(struct ifreq));
}

#ifdef CONFIG_COMPAT
/*
 * A 32-bit VMM: the same commands (all take a pointer, or a value that
 * fits 32 bits), with the smaller struct compat_ifreq for the two that
 * take an ifreq.
 */
static long vmgw_chr_compat_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	unsigned long uarg = (unsigned long)compat_ptr(arg);

	if (cmd == TUNSETOFFLOAD)
		uarg = (compat_ulong_t)arg;
	return vmgw_chr_do_ioctl(file, cmd, uarg, sizeof(struct compat_ifreq));
}
#endif

static const struct file_operations vmgw_chr_fops = {
	.owner		= THIS_MODULE,
	.open		= vmgw_chr_open,
	.release	= vmgw_chr_release,
	.read_iter	= vmgw_chr_read_iter,
	.write_iter	= vmgw_chr_write_iter,
	.poll		= vmgw_chr_poll,
	.unlocked_ioctl	= vmgw_chr_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl	= vmgw_chr_compat_ioctl,
#endif
};

/**
 * vmgw_chrdev_queue() - the queue of an open /dev/vmgw file
 * @file: any file
 *
 * Return: the file's queue, or NULL when @file is not a /dev/vmgw file.
 */
struct vmgw_queue *vmgw_chrdev_queue(struct file *file)
{
	return file->f_op == &vmgw_chr_fops ? file->private_data : NULL;
}

static struct miscdevice vmgw_miscdev = {
	.minor	= VMGW_MINOR,
	.name	= VMGW_DRV_NAME,
	.nodename = VMGW_DRV_NAME,
	.mode	= 0666,
	.fops	= &vmgw_chr_fops,
};

/**
 * vmgw_chrdev_register() - create /dev/vmgw
 *
 * Return: 0 or the error of misc_register().
 */
int vmgw_chrdev_register(void)
{
	return misc_register(&vmgw_miscdev);
}

/**
 * vmgw_chrdev_unregister() - remove /dev/vmgw
 *
 * Open files hold a reference on the module, so none is open here.
 */
void vmgw_chrdev_unregister(void)
{
	misc_deregister(&vmgw_miscdev);
}
