// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the data path against a hostile guest and a busy host: the
 * linear part of a written frame stays within a page whatever the
 * virtio-net header claims, a writer asleep on a full ring wakes with
 * -ENETDOWN when the link goes down and nothing queued before is
 * delivered once it is up again, closing a file that never attached
 * takes no RTNL, and a DNS answer to the guest outside the linear part
 * of its skb costs no allocation: copied when short, skipped when long.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/etherdevice.h>
#include <linux/if_tun.h>
#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/uio.h>
#include <linux/virtio_net.h>

#include "frames.h"
#include "policy.h"
#include "testdev.h"
#include "vmgw.h"

#define RING	16

/* A frame with an experimental ethertype: passes the minimum verdict. */
static void vmgw_ho_raw(u8 *f, unsigned int len)
{
	memset(f, 0, len);
	eth_random_addr(f);
	eth_random_addr(f + ETH_ALEN);
	f[12] = 0x88;
	f[13] = 0xb5;
}

static int vmgw_ho_init(struct kunit *test)
{
	struct vmgw_td *td;

	td = kunit_kzalloc(test, sizeof(*td), GFP_KERNEL);
	if (!td)
		return -ENOMEM;
	test->priv = td;
	return vmgw_td_init(td, "vmgwh%d", RING);
}

static void vmgw_ho_exit(struct kunit *test)
{
	vmgw_td_exit(test->priv);
}

/* Stop the poll: nothing drains g2h until it is started again. */
static void vmgw_ho_napi_stop(struct vmgw_td *td)
{
	rtnl_lock();
	vmgw_queue_napi_stop(td->q);
	rtnl_unlock();
}

/*
 * A virtio-net header whose hdr_len claims the whole of an 8000-byte
 * frame gets a linear part of one page at most, the rest in fragments.
 */
static void vmgw_ho_test_linear_clamp(struct kunit *test)
{
	struct vmgw_td *td = test->priv;
	const unsigned int len = 8000;
	struct virtio_net_hdr *h;
	struct sk_buff *skb;
	u8 *buf;

	buf = kunit_kzalloc(test, sizeof(*h) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	h = (struct virtio_net_hdr *)buf;
	rtnl_lock();
	KUNIT_ASSERT_EQ(test, dev_set_mtu(td->dev, 9000), 0);
	rtnl_unlock();
	vmgw_ho_napi_stop(td);
	td->q->flags |= IFF_VNET_HDR;
	td->q->vnet_hdr_sz = sizeof(*h);

	vmgw_ho_raw(buf + sizeof(*h), len);
	h->hdr_len = __cpu_to_virtio16(true, len);
	KUNIT_ASSERT_EQ(test, vmgw_td_write(td, buf, sizeof(*h) + len),
			sizeof(*h) + len);
	skb = __ptr_ring_peek(&td->q->g2h);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	KUNIT_EXPECT_LE(test, skb_headlen(skb), SKB_MAX_HEAD(NET_IP_ALIGN));
	KUNIT_EXPECT_GE(test, skb_headlen(skb), 256);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, buf + sizeof(*h), ETH_HLEN), 0);

	/* A small hdr_len still leaves the headers linear. */
	h->hdr_len = __cpu_to_virtio16(true, 14);
	KUNIT_ASSERT_EQ(test, vmgw_td_write(td, buf, sizeof(*h) + len),
			sizeof(*h) + len);
	KUNIT_EXPECT_PTR_EQ(test, ptr_ring_consume(&td->q->g2h), (void *)skb);
	kfree_skb(skb);
	skb = __ptr_ring_peek(&td->q->g2h);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), 256);
}

struct vmgw_ho_writer {
	struct vmgw_queue *q;
	u8 frame[64];
	ssize_t ret;
	struct completion done;
};

/* One blocking write() of @w->frame; its result in @w->ret. */
static int vmgw_ho_writer_fn(void *arg)
{
	struct vmgw_ho_writer *w = arg;
	struct kvec kv = { .iov_base = w->frame, .iov_len = sizeof(w->frame) };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, sizeof(w->frame));
	w->ret = vmgw_queue_write(w->q, &it, false);
	complete(&w->done);
	return 0;
}

/*
 * A writer asleep on a full g2h ring wakes with -ENETDOWN when the link
 * goes down; what both rings held is freed and counted, and none of it
 * reaches the stack when the link is up again.
 */
static void vmgw_ho_test_down_wakes_writer(struct kunit *test)
{
	struct vmgw_td *td = test->priv;
	struct vmgw_ho_writer *w;
	struct task_struct *t;
	unsigned long left;
	struct sk_buff *skb;
	int i;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->q = td->q;
	init_completion(&w->done);
	vmgw_ho_raw(w->frame, sizeof(w->frame));
	vmgw_ho_napi_stop(td);
	for (i = 0; i < RING; i++)
		KUNIT_ASSERT_EQ(test, vmgw_td_write(td, w->frame,
						    sizeof(w->frame)),
				sizeof(w->frame));
	for (i = 0; i < 3; i++) {
		skb = alloc_skb(60, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		vmgw_ho_raw(skb_put(skb, 60), 60);
		KUNIT_EXPECT_EQ(test, vmgw_td_xmit(td, skb), NETDEV_TX_OK);
	}

	t = kthread_run(vmgw_ho_writer_fn, w, "vmgw-ho-writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	/* The ring is full and nothing drains it: the writer sleeps. */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&w->done, HZ / 5),
			0);

	rtnl_lock();
	dev_close(td->dev);
	rtnl_unlock();
	left = wait_for_completion_timeout(&w->done, 2 * HZ);
	KUNIT_EXPECT_NE_MSG(test, left, 0,
			    "writer still asleep 2 s after the link went down");
	if (!left) {
		/* Free it for the teardown: a detach wakes it with -ENODEV. */
		rtnl_lock();
		vmgw_queue_detach(td->q);
		rtnl_unlock();
		wait_for_completion(&w->done);
		return;
	}
	KUNIT_EXPECT_EQ(test, w->ret, -ENETDOWN);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_RX_DROP_DOWN), RING);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_TX_DROP_DOWN), 3);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_WRITE_ERR_DOWN), 1);

	/* Up again: nothing stale reaches the stack, new frames do. */
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, dev_open(td->dev, NULL), 0);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_RX_PACKETS), 0);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(td, w->frame, sizeof(w->frame)),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(td, w->frame, sizeof(w->frame)),
			sizeof(w->frame));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_RX_PACKETS), 1);
}

struct vmgw_ho_closer {
	struct vmgw_queue *q;
	struct completion done;
};

static int vmgw_ho_closer_fn(void *arg)
{
	struct vmgw_ho_closer *c = arg;

	vmgw_queue_free(c->q);
	complete(&c->done);
	return 0;
}

/* release() of a file that never attached does not wait for RTNL. */
static void vmgw_ho_test_close_no_rtnl(struct kunit *test)
{
	struct vmgw_ho_closer *c;
	struct task_struct *t;
	unsigned long left;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->done);
	c->q = vmgw_queue_alloc();
	KUNIT_ASSERT_NOT_NULL(test, c->q);

	rtnl_lock();
	t = kthread_run(vmgw_ho_closer_fn, c, "vmgw-ho-closer");
	if (IS_ERR(t)) {
		rtnl_unlock();
		vmgw_queue_free(c->q);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		return;
	}
	left = wait_for_completion_timeout(&c->done, HZ);
	rtnl_unlock();
	if (!left)
		wait_for_completion(&c->done);
	KUNIT_EXPECT_NE_MSG(test, left, 0,
			    "closing an unattached file waited for RTNL");
}

/*
 * A UDP answer from port 53 whose @plen-byte DNS message lies in page
 * fragments, not in the linear part: a response header, one question and
 * one answer whose RDATA length runs past the message (a parse error).
 */
static struct sk_buff *vmgw_ho_dns_skb(struct kunit *test, unsigned int plen)
{
	struct tf t = { .smac = tf_gw_mac, .src = "10.0.2.3",
			.dst = "10.0.2.15", .proto = IPPROTO_UDP, .sport = 53,
			.dport = 33333 };
	unsigned int hlen, off, n;
	struct sk_buff *skb;
	struct page *page;
	u8 f[TF_MAX], *m;

	hlen = tf_build(f, &t);
	KUNIT_ASSERT_GT(test, hlen, 0);
	vmgw_put_be16(f + ETH_HLEN + 2, 20 + 8 + plen);
	vmgw_put_be16(f + ETH_HLEN + 20 + 4, 8 + plen);
	skb = alloc_skb(hlen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, f, hlen);
	for (off = 0; off < plen; off += n) {
		n = min_t(unsigned int, plen - off, PAGE_SIZE);
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, page);
		if (!off) {
			m = page_address(page);
			vmgw_put_be16(m + 2, 0x8180);	/* response, no error */
			vmgw_put_be16(m + 4, 1);	/* one question */
			vmgw_put_be16(m + 6, 1);	/* one answer */
			vmgw_put_be16(m + 26, 0xffff);	/* its RDATA length */
		}
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, 0, n,
				PAGE_SIZE);
	}
	return skb;
}

static u64 vmgw_ho_dns_errs(struct vmgw_td *td)
{
	u64 n = 0;
	int i;

	for (i = VMGW_STAT_DNS_ERR_HEADER; i <= VMGW_STAT_DNS_ERR_UNSOLICITED;
	     i++)
		n += vmgw_td_stat(td, i);
	return n;
}

/*
 * Learning reads a non-linear answer through a buffer of the device: one
 * that fits is read (here: it answers no query the guest sent, which is
 * counted), a longer one is
 * not looked at (dns_too_long) instead of being copied into an atomic
 * allocation of its size. Both reach the guest.
 */
static void vmgw_ho_test_dns_nonlinear(struct kunit *test)
{
	static const char * const hosts[] = { "api.example.com" };
	struct vmgw_policy_addr res = { .family = 4,
					.addr = { 10, 0, 2, 3 } };
	struct vmgw_td *td = test->priv;
	u8 *buf;

	buf = kunit_kzalloc(test, 16384, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(td->vg->policy,
						   VMGW_MODE_ALLOWLIST, NULL),
			0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(td->vg->policy, hosts, 1,
						    NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_resolvers(td->vg->policy, &res,
							1, NULL), 0);

	KUNIT_EXPECT_EQ(test, vmgw_td_xmit(td, vmgw_ho_dns_skb(test, 1000)),
			NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_ho_dns_errs(td), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_DNS_TOO_LONG), 0);

	KUNIT_EXPECT_EQ(test,
			vmgw_td_xmit(td, vmgw_ho_dns_skb(test,
							 VMGW_TX_DNS_BUF + 1)),
			NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_ho_dns_errs(td), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_DNS_TOO_LONG), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(td, VMGW_STAT_TX_PACKETS), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(td, buf, 16384),
			ETH_HLEN + 28 + 1000);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(td, buf, 16384),
			ETH_HLEN + 28 + VMGW_TX_DNS_BUF + 1);
}

static struct kunit_case vmgw_ho_test_cases[] = {
	KUNIT_CASE(vmgw_ho_test_dns_nonlinear),
	KUNIT_CASE(vmgw_ho_test_linear_clamp),
	KUNIT_CASE(vmgw_ho_test_down_wakes_writer),
	KUNIT_CASE(vmgw_ho_test_close_no_rtnl),
	{}
};

static struct kunit_suite vmgw_ho_test_suite = {
	.name = "vmgw_hostile",
	.init = vmgw_ho_init,
	.exit = vmgw_ho_exit,
	.test_cases = vmgw_ho_test_cases,
};

kunit_test_suite(vmgw_ho_test_suite);
