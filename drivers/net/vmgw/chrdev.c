// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmgw: a tap-compatible character device. An open file is one queue
 * of a vmgw device: TUNSETIFF attaches it, write() hands one guest frame to
 * the g2h ring, read() takes one frame from the h2g ring.
 *
 * Errors a VMM sees (documented in Documentation/networking/vmgw.rst):
 * -EBADFD before TUNSETIFF, -ENODEV once the device is gone, -EINVAL for a
 * frame that is too short, too long or has a bad virtio-net header (and for
 * a read() buffer too small for the next frame, which is then dropped),
 * -EAGAIN on a non-blocking file when the ring is full (write) or empty
 * (read), -ENETDOWN for a write while the device is down.
 */
#include <linux/capability.h>
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

#include "vmgw.h"

#define VMGW_IFF_REQUIRED	(IFF_TAP | IFF_NO_PI)
#define VMGW_IFF_SUPPORTED	(VMGW_IFF_REQUIRED | IFF_VNET_HDR)
#define VMGW_TUN_F_SUPPORTED	(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | \
				 TUN_F_TSO_ECN)

/* Frames up to this size are copied into the linear area of the skb. */
#define VMGW_LINEAR_MAX		SKB_WITH_OVERHEAD(PAGE_SIZE - NET_IP_ALIGN)
/* Larger ones keep at least their headers linear. */
#define VMGW_LINEAR_MIN		256

/* Count an event on the device of @q, if it still has one. */
static void vmgw_chr_count(struct vmgw_queue *q, enum vmgw_stat idx)
{
	struct vmgw_dev *vg;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (vg)
		vmgw_stats_add(vg->stats, idx, 1);
	rcu_read_unlock();
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
 * Read and check the virtio-net header at the start of a write. Return the
 * frame length that follows it, or a negative errno (counted).
 */
static ssize_t vmgw_chr_get_vnet_hdr(struct vmgw_queue *q,
				     struct iov_iter *from,
				     struct virtio_net_hdr *hdr)
{
	size_t len = iov_iter_count(from);
	int sz = READ_ONCE(q->vnet_hdr_sz);

	if (!(READ_ONCE(q->flags) & IFF_VNET_HDR))
		return len;
	if (len < sz) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_SHORT);
		return -EINVAL;
	}
	if (!copy_from_iter_full(hdr, sizeof(*hdr), from)) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_FAULT);
		return -EFAULT;
	}
	iov_iter_advance(from, sz - sizeof(*hdr));
	if (__virtio16_to_cpu(true, hdr->hdr_len) > len - sz) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_VNET_HDR);
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

/* Copy one frame of @len bytes from @from into a new skb. */
static struct sk_buff *vmgw_chr_build_skb(struct vmgw_queue *q,
					  struct iov_iter *from, size_t len,
					  const struct virtio_net_hdr *hdr)
{
	size_t linear = len;
	struct sk_buff *skb;
	int err;

	if (len > VMGW_LINEAR_MAX)
		linear = max_t(size_t, VMGW_LINEAR_MIN,
			       __virtio16_to_cpu(true, hdr->hdr_len));
	skb = alloc_skb_with_frags(NET_IP_ALIGN + linear, len - linear,
				   PAGE_ALLOC_COSTLY_ORDER, &err, GFP_KERNEL);
	if (!skb) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_NOMEM);
		return ERR_PTR(err);
	}
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	if (skb_copy_datagram_from_iter(skb, 0, from, len)) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_FAULT);
		kfree_skb_reason(skb, SKB_DROP_REASON_SKB_UCOPY_FAULT);
		return ERR_PTR(-EFAULT);
	}

	/*
	 * Give virtio_net_hdr_to_skb() the ethertype so that it never has to
	 * ask a device for it; eth_type_trans() sets the real one in the poll.
	 */
	skb->protocol = ((struct ethhdr *)skb->data)->h_proto;
	if (virtio_net_hdr_to_skb(skb, hdr, true)) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_VNET_HDR);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return ERR_PTR(-EINVAL);
	}
	return skb;
}

static bool vmgw_chr_writable(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;
	bool ret;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	ret = !vg || !__ptr_ring_full(&q->g2h);
	rcu_read_unlock();
	return ret;
}

/*
 * Put @skb on the g2h ring and kick NAPI, waiting for room unless the file
 * is non-blocking. On error the skb is freed.
 */
static int vmgw_chr_enqueue(struct vmgw_queue *q, struct sk_buff *skb,
			    bool nonblock)
{
	struct vmgw_dev *vg;
	int err;

	for (;;) {
		rcu_read_lock_bh();
		vg = rcu_dereference_bh(q->vg);
		if (!vg) {
			err = vmgw_chr_no_dev(q);
			break;
		}
		if (!netif_running(vg->dev)) {
			vmgw_stats_add(vg->stats, VMGW_STAT_WRITE_ERR_DOWN, 1);
			err = -ENETDOWN;
			break;
		}
		if (!ptr_ring_produce(&q->g2h, skb)) {
			/* BH is off: the poll runs at rcu_read_unlock_bh(). */
			napi_schedule(&q->napi);
			rcu_read_unlock_bh();
			return 0;
		}
		rcu_read_unlock_bh();
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(q->wq, vmgw_chr_writable(q));
		if (err)
			return err;
	}
	rcu_read_unlock_bh();
	return err;
}

/**
 * vmgw_queue_write() - take one guest frame, all or nothing
 * @q: the file's queue
 * @from: optional virtio-net header, then one Ethernet frame
 * @nonblock: return -EAGAIN instead of waiting when the ring is full
 *
 * Context: process; may sleep.
 * Return: bytes taken (all of @from), or a negative errno; nothing is
 * queued on error.
 */
ssize_t vmgw_queue_write(struct vmgw_queue *q, struct iov_iter *from,
			 bool nonblock)
{
	size_t total = iov_iter_count(from);
	struct virtio_net_hdr hdr = {};
	struct sk_buff *skb;
	ssize_t len;
	int max, err;

	if (!rcu_access_pointer(q->vg))
		return vmgw_chr_no_dev(q);
	len = vmgw_chr_get_vnet_hdr(q, from, &hdr);
	if (len < 0)
		return len;
	if (len < ETH_HLEN) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_SHORT);
		return -EINVAL;
	}
	max = vmgw_chr_max_frame(q, hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE);
	if (max < 0)
		return max;
	if (len > max) {
		vmgw_chr_count(q, VMGW_STAT_WRITE_ERR_LONG);
		return -EINVAL;
	}

	skb = vmgw_chr_build_skb(q, from, len, &hdr);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	err = vmgw_chr_enqueue(q, skb, nonblock);
	if (err) {
		kfree_skb_reason(skb, SKB_DROP_REASON_FULL_RING);
		return err;
	}
	return total;
}

static ssize_t vmgw_chr_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return vmgw_queue_write(iocb->ki_filp->private_data, from,
				iocb->ki_filp->f_flags & O_NONBLOCK);
}

static bool vmgw_chr_readable(struct vmgw_queue *q)
{
	struct vmgw_dev *vg;
	bool ret;

	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	ret = !vg || !__ptr_ring_empty(&q->h2g);
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

/* Copy @skb, with its virtio-net header if enabled, to the reader. */
static ssize_t vmgw_chr_put_frame(struct vmgw_queue *q, struct sk_buff *skb,
				  struct iov_iter *to)
{
	struct virtio_net_hdr_mrg_rxbuf hdr = {};
	int sz = 0;

	if (READ_ONCE(q->flags) & IFF_VNET_HDR)
		sz = READ_ONCE(q->vnet_hdr_sz);
	if (iov_iter_count(to) < sz + skb->len) {
		vmgw_chr_count(q, VMGW_STAT_READ_DROP_SHORT_BUF);
		return -EINVAL;
	}
	if (sz && virtio_net_hdr_from_skb(skb, &hdr.hdr, true, false, 0)) {
		vmgw_chr_count(q, VMGW_STAT_READ_DROP_VNET_HDR);
		return -EINVAL;
	}
	if (copy_to_iter(&hdr, sz, to) != sz ||
	    skb_copy_datagram_iter(skb, 0, to, skb->len)) {
		vmgw_chr_count(q, VMGW_STAT_READ_DROP_FAULT);
		return -EFAULT;
	}
	return sz + skb->len;
}

/**
 * vmgw_queue_read() - give one host frame to the guest's reader
 * @q: the file's queue
 * @to: receives the virtio-net header (if enabled) and the frame
 * @nonblock: return -EAGAIN instead of waiting when the ring is empty
 *
 * A buffer too small for the next frame gets -EINVAL and that frame is
 * dropped (counted): a VMM reads into 64 KiB buffers, so this is a bug on
 * its side, and keeping the frame would wedge the queue.
 *
 * Context: process; may sleep.
 * Return: bytes written to @to, or a negative errno.
 */
ssize_t vmgw_queue_read(struct vmgw_queue *q, struct iov_iter *to,
			bool nonblock)
{
	struct sk_buff *skb;
	ssize_t ret;

	skb = vmgw_chr_dequeue(q, nonblock);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	ret = vmgw_chr_put_frame(q, skb, to);
	if (ret < 0)
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
	else
		consume_skb(skb);
	return ret;
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
	rcu_read_lock();
	vg = rcu_dereference(q->vg);
	if (!vg) {
		mask = vmgw_chr_no_dev(q) == -ENODEV ? EPOLLERR | EPOLLHUP :
						       EPOLLERR;
	} else {
		if (!__ptr_ring_empty(&q->h2g))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!__ptr_ring_full(&q->g2h))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	rcu_read_unlock();
	return mask;
}

static int vmgw_chr_setiff(struct vmgw_queue *q, void __user *argp)
{
	struct net_device *dev;
	struct ifreq ifr;
	int err;

	if (copy_from_user(&ifr, argp, sizeof(ifr)))
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
	return copy_to_user(argp, &ifr, sizeof(ifr)) ? -EFAULT : 0;
}

static int vmgw_chr_getiff(struct vmgw_queue *q, void __user *argp)
{
	struct ifreq ifr = {};
	int err = 0;

	rtnl_lock();
	if (rtnl_dereference(q->vg)) {
		strscpy(ifr.ifr_name, q->ifname, sizeof(ifr.ifr_name));
		ifr.ifr_flags = q->flags;
	} else {
		err = vmgw_chr_no_dev(q);
	}
	rtnl_unlock();
	if (err)
		return err;
	return copy_to_user(argp, &ifr, sizeof(ifr)) ? -EFAULT : 0;
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

static long vmgw_chr_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct vmgw_queue *q = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case TUNSETIFF:
		return vmgw_chr_setiff(q, argp);
	case TUNGETIFF:
		return vmgw_chr_getiff(q, argp);
	case TUNGETFEATURES:
		return put_user(VMGW_IFF_SUPPORTED, (unsigned int __user *)argp);
	case TUNSETVNETHDRSZ:
		return vmgw_chr_set_vnet_hdr_sz(q, argp);
	case TUNGETVNETHDRSZ:
		return put_user(READ_ONCE(q->vnet_hdr_sz), (int __user *)argp);
	case TUNSETOFFLOAD:
		return vmgw_chr_set_offload(q, arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vmgw_chr_fops = {
	.owner		= THIS_MODULE,
	.open		= vmgw_chr_open,
	.release	= vmgw_chr_release,
	.read_iter	= vmgw_chr_read_iter,
	.write_iter	= vmgw_chr_write_iter,
	.poll		= vmgw_chr_poll,
	.unlocked_ioctl	= vmgw_chr_ioctl,
};

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
