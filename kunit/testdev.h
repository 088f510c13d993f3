/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers: a registered vmgw device with an attached queue, as the
 * data path suites (datapath, policy_datapath, batch) drive it: frames in
 * through write(), out through read() and ndo_start_xmit, counters read
 * back. The device is up, NAPI is on, IPv6 is off so that no address
 * autoconfiguration frame lands on the h2g ring. And the netlink
 * attributes the device and netlink suites hand to the ops.
 */
#ifndef _VMGW_KUNIT_TESTDEV_H
#define _VMGW_KUNIT_TESTDEV_H

#include <kunit/test.h>
#include <linux/if_tun.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/uio.h>
#include <net/addrconf.h>
#include <net/netlink.h>

#include "vmgw.h"

struct vmgw_td {
	struct net_device *dev;
	struct vmgw_dev *vg;
	struct vmgw_queue *q;
};

/*
 * Create device @name (a "%d" pattern) with rings of @ring frames and
 * attach a queue to it. On an error after registration @td stays filled
 * in, for vmgw_td_exit() to take down.
 */
static inline int vmgw_td_init(struct vmgw_td *td, const char *name,
			       unsigned int ring)
{
	struct inet6_dev *idev;
	int err;

	td->dev = alloc_netdev(vmgw_link_ops.priv_size, name, NET_NAME_ENUM,
			       vmgw_link_ops.setup);
	if (!td->dev)
		return -ENOMEM;
	td->dev->rtnl_link_ops = &vmgw_link_ops;
	td->vg = netdev_priv(td->dev);
	td->vg->g2h_size = ring;
	td->vg->h2g_size = ring;
	td->q = vmgw_queue_alloc();
	if (!td->q) {
		err = -ENOMEM;
		goto free_netdev;
	}
	td->q->flags = IFF_TAP | IFF_NO_PI;

	rtnl_lock();
	err = register_netdevice(td->dev);
	if (err) {
		rtnl_unlock();
		goto free_queue;
	}
	idev = __in6_dev_get(td->dev);
	if (idev)
		WRITE_ONCE(idev->cnf.disable_ipv6, 1);
	err = vmgw_queue_attach(td->q, td->dev);
	if (!err)
		err = dev_open(td->dev, NULL);
	rtnl_unlock();
	return err;

free_queue:
	vmgw_queue_free(td->q);
free_netdev:
	free_netdev(td->dev);
	td->dev = NULL;
	return err;
}

/* Take down what vmgw_td_init() made; RCU callbacks have run on return. */
static inline void vmgw_td_exit(struct vmgw_td *td)
{
	if (!td || !td->dev)
		return;
	vmgw_queue_free(td->q);
	rtnl_lock();
	unregister_netdevice(td->dev);
	rtnl_unlock();
	rcu_barrier();
}

static inline u64 vmgw_td_stat(const struct vmgw_td *td, unsigned int idx)
{
	u64 c[VMGW_STAT_MAX];

	vmgw_stats_read(td->vg->stats, c);
	return c[idx];
}

/* write() of @len bytes at @buf, never waiting. */
static inline ssize_t vmgw_td_write(struct vmgw_td *td, const void *buf,
				    size_t len)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, len);
	return vmgw_queue_write(td->q, &it, true);
}

/* read() into @len bytes at @buf, never waiting. */
static inline ssize_t vmgw_td_read(struct vmgw_td *td, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_DEST, &kv, 1, len);
	return vmgw_queue_read(td->q, &it, true);
}

/* ndo_start_xmit of @skb, in BH as from the stack; frees it if refused. */
static inline netdev_tx_t vmgw_td_xmit(struct vmgw_td *td, struct sk_buff *skb)
{
	netdev_tx_t ret;

	skb->dev = td->dev;
	local_bh_disable();
	ret = vmgw_tx_xmit(skb, td->dev);
	local_bh_enable();
	if (ret != NETDEV_TX_OK)
		kfree_skb(skb);
	return ret;
}

/* One netlink attribute of @len payload bytes, in test memory. */
static inline struct nlattr *vmgw_test_attr(struct kunit *test, int type,
					    const void *payload, int len)
{
	struct nlattr *nla = kunit_kzalloc(test, nla_total_size(len),
					   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nla);
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), payload, len);
	return nla;
}

#endif /* _VMGW_KUNIT_TESTDEV_H */
