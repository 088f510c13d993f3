// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: batches of frames in one write() or read() (VMGWSETBATCH). First
 * the record parser alone over kernel buffers, then batches through the
 * queue of a registered device: a batch stops before its first bad record
 * and the write that starts with that record fails and counts it, once.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_tun.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/uio.h>

#include "batch.h"
#include "testdev.h"
#include "vmgw.h"

#define RING		16
#define BUF_LEN		8192

/* Append a record of @len bytes filled with @fill at @off; new offset. */
static size_t vmgw_bt_rec(u8 *buf, size_t off, u32 len, u8 fill)
{
	memcpy(buf + off, &len, sizeof(len));
	memset(buf + off + sizeof(len), fill, len);
	return off + sizeof(len) + len;
}

static void vmgw_bt_iter(struct iov_iter *it, struct kvec *kv, u8 *buf,
			 size_t len, unsigned int dir)
{
	kv->iov_base = buf;
	kv->iov_len = len;
	iov_iter_kvec(it, dir, kv, 1, len);
}

/* Records come out in order, each a view of exactly its bytes. */
static void vmgw_bt_parse_records(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	struct iov_iter it, rec;
	struct kvec kv;
	size_t len;
	u8 got[100];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = vmgw_bt_rec(buf, 0, 60, 0xa1);
	len = vmgw_bt_rec(buf, len, 1, 0xa2);
	len = vmgw_bt_rec(buf, len, 100, 0xa3);
	vmgw_bt_iter(&it, &kv, buf, len, ITER_SOURCE);

	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), 60);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&rec), 60);
	KUNIT_EXPECT_EQ(test, copy_from_iter(got, 60, &rec), 60);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(got, 0xa1, 60));
	KUNIT_EXPECT_EQ(test, iov_iter_count(&it), len - 64);

	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 1, &rec), 1);
	KUNIT_EXPECT_EQ(test, copy_from_iter(got, 1, &rec), 1);
	KUNIT_EXPECT_EQ(test, got[0], 0xa2);

	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 2, &rec), 100);
	KUNIT_EXPECT_EQ(test, copy_from_iter(got, 100, &rec), 100);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(got, 0xa3, 100));
	KUNIT_EXPECT_EQ(test, iov_iter_count(&it), 0);
	/* the end of the write ends the batch */
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 3, &rec), 0);
}

/* An empty write is no batch; one to three bytes are a cut prefix. */
static void vmgw_bt_parse_truncated_prefix(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	struct iov_iter it, rec;
	struct kvec kv;
	size_t len, cut;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	vmgw_bt_iter(&it, &kv, buf, 0, ITER_SOURCE);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), -EINVAL);
	for (cut = 1; cut < VMGW_BATCH_PREFIX; cut++) {
		vmgw_bt_iter(&it, &kv, buf, cut, ITER_SOURCE);
		KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), -EINVAL);
	}
	/* a good record followed by two bytes of the next prefix */
	len = vmgw_bt_rec(buf, 0, 60, 0);
	vmgw_bt_iter(&it, &kv, buf, len + 2, ITER_SOURCE);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), 60);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 1, &rec), -EINVAL);
}

static void vmgw_bt_parse_zero_len(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	struct iov_iter it, rec;
	struct kvec kv;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = vmgw_bt_rec(buf, 0, 0, 0);
	len = vmgw_bt_rec(buf, len, 60, 0);
	vmgw_bt_iter(&it, &kv, buf, len, ITER_SOURCE);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), -EINVAL);
}

/* A length one byte beyond the write is refused; the exact rest is not. */
static void vmgw_bt_parse_beyond(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	struct iov_iter it, rec;
	u32 huge = U32_MAX;
	struct kvec kv;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = vmgw_bt_rec(buf, 0, 60, 0);
	vmgw_bt_iter(&it, &kv, buf, len - 1, ITER_SOURCE);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), -EINVAL);
	vmgw_bt_iter(&it, &kv, buf, len, ITER_SOURCE);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), 60);

	memcpy(buf, &huge, sizeof(huge));
	vmgw_bt_iter(&it, &kv, buf, BUF_LEN, ITER_SOURCE);
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, 0, &rec), -EINVAL);
	/* nothing was consumed by the refused records */
	KUNIT_EXPECT_EQ(test, iov_iter_count(&it), BUF_LEN);
}

/* After VMGW_BATCH_MAX records the batch ends, whatever follows. */
static void vmgw_bt_parse_too_many(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	struct iov_iter it, rec;
	size_t len = 0, left;
	struct kvec kv;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < VMGW_BATCH_MAX + 3; i++)
		len = vmgw_bt_rec(buf, len, 20, i);
	KUNIT_ASSERT_LE(test, len, BUF_LEN);
	vmgw_bt_iter(&it, &kv, buf, len, ITER_SOURCE);
	for (i = 0; i < VMGW_BATCH_MAX; i++)
		KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, i, &rec), 20);
	left = iov_iter_count(&it);
	KUNIT_EXPECT_EQ(test, left, 3 * (VMGW_BATCH_PREFIX + 20));
	KUNIT_EXPECT_EQ(test, vmgw_batch_next(&it, VMGW_BATCH_MAX, &rec), 0);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&it), left);
}

static struct kunit_case vmgw_bt_parse_cases[] = {
	KUNIT_CASE(vmgw_bt_parse_records),
	KUNIT_CASE(vmgw_bt_parse_truncated_prefix),
	KUNIT_CASE(vmgw_bt_parse_zero_len),
	KUNIT_CASE(vmgw_bt_parse_beyond),
	KUNIT_CASE(vmgw_bt_parse_too_many),
	{}
};

static struct kunit_suite vmgw_bt_parse_suite = {
	.name = "vmgw_batch_parse",
	.test_cases = vmgw_bt_parse_cases,
};

/* A registered device with an attached queue in batch mode. */
struct vmgw_bt {
	struct vmgw_td td;
	u8 *buf;
};

static int vmgw_bt_init(struct kunit *test)
{
	struct vmgw_bt *bt;
	int err;

	bt = kunit_kzalloc(test, sizeof(*bt), GFP_KERNEL);
	if (!bt)
		return -ENOMEM;
	bt->buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	if (!bt->buf)
		return -ENOMEM;
	test->priv = bt;
	err = vmgw_td_init(&bt->td, "vmgwb%d", RING);
	if (err)
		return err;
	bt->td.q->batch = VMGW_BATCH_WRITE | VMGW_BATCH_READ;
	/* NAPI off: what the batches put on the ring stays there. */
	rtnl_lock();
	vmgw_queue_napi_stop(bt->td.q);
	rtnl_unlock();
	return 0;
}

static void vmgw_bt_exit(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;

	if (bt)
		vmgw_td_exit(&bt->td);
}

static u64 vmgw_bt_stat(struct vmgw_bt *bt, unsigned int idx)
{
	return vmgw_td_stat(&bt->td, idx);
}

/* A record holding an Ethernet frame of @len bytes, ethertype 0x88b5. */
static size_t vmgw_bt_frame(u8 *buf, size_t off, u32 len)
{
	u8 *f = buf + off + sizeof(len);

	memcpy(buf + off, &len, sizeof(len));
	memset(f, 0, len);
	if (len >= ETH_HLEN) {
		eth_random_addr(f);
		eth_random_addr(f + ETH_ALEN);
		f[12] = 0x88;
		f[13] = 0xb5;
	}
	return off + sizeof(len) + len;
}

static ssize_t vmgw_bt_write(struct vmgw_bt *bt, size_t off, size_t len)
{
	struct iov_iter it;
	struct kvec kv;

	vmgw_bt_iter(&it, &kv, bt->buf + off, len, ITER_SOURCE);
	return vmgw_queue_write(bt->td.q, &it, true);
}

static unsigned int vmgw_bt_g2h_frames(struct vmgw_bt *bt)
{
	unsigned int n = 0;

	while (__ptr_ring_peek(&bt->td.q->g2h)) {
		kfree_skb(__ptr_ring_consume(&bt->td.q->g2h));
		n++;
	}
	return n;
}

/*
 * Good, good, a frame shorter than Ethernet, good: the batch takes the two
 * good records; the write that starts at the bad one fails and counts it;
 * the next takes the rest.
 */
static void vmgw_bt_write_mixed(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;
	size_t a, b, c, d;

	a = vmgw_bt_frame(bt->buf, 0, 60);
	b = vmgw_bt_frame(bt->buf, a, 1514);
	c = vmgw_bt_frame(bt->buf, b, ETH_HLEN - 1);
	d = vmgw_bt_frame(bt->buf, c, 64);

	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, d), b);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_WRITE_ERR_SHORT), 0);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, b, d - b), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_WRITE_ERR_SHORT), 1);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, c, d - c), d - c);
	KUNIT_EXPECT_EQ(test, vmgw_bt_g2h_frames(bt), 3);

	/* beyond the MTU without GSO: counted as long, batch stops */
	a = vmgw_bt_frame(bt->buf, 0, 60);
	b = vmgw_bt_frame(bt->buf, a, bt->td.dev->mtu + ETH_HLEN + VLAN_HLEN + 1);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, b), a);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, a, b - a), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_WRITE_ERR_LONG), 1);
	KUNIT_EXPECT_EQ(test, vmgw_bt_g2h_frames(bt), 1);
}

/* Bad framing after good records: the good ones are taken, once. */
static void vmgw_bt_write_bad_framing(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;
	u32 zero = 0;
	size_t a;

	a = vmgw_bt_frame(bt->buf, 0, 60);
	/* a cut prefix, then a zero length, then a record cut short */
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, a + 3), a);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, a, 3), -EINVAL);
	memcpy(bt->buf + a, &zero, sizeof(zero));
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, a + sizeof(zero)), a);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, a, sizeof(zero)), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, a - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_WRITE_ERR_SHORT), 4);
	KUNIT_EXPECT_EQ(test, vmgw_bt_g2h_frames(bt), 2);
}

/* A full ring ends a batch; a batch that takes nothing gets -EAGAIN. */
static void vmgw_bt_write_ring_full(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;
	size_t off[RING + 5];
	unsigned int i;

	off[0] = 0;
	for (i = 0; i < RING + 4; i++)
		off[i + 1] = vmgw_bt_frame(bt->buf, off[i], 60);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, off[RING + 4]), off[RING]);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, off[RING],
					    off[RING + 4] - off[RING]),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, vmgw_bt_g2h_frames(bt), RING);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_WRITE_ERR_SHORT), 0);
}

/* The poll delivers a batch like single frames once NAPI runs. */
static void vmgw_bt_write_delivered(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < 10; i++)
		len = vmgw_bt_frame(bt->buf, len, 60 + i);
	KUNIT_EXPECT_EQ(test, vmgw_bt_write(bt, 0, len), len);
	rtnl_lock();
	vmgw_queue_napi_start(bt->td.q);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_RX_PACKETS), 10);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_RX_BYTES),
			10 * 60 + 45);
	/* Each record of the batch is one frame of write_frames. */
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_WRITE_FRAMES), 10);
}

static netdev_tx_t vmgw_bt_xmit(struct vmgw_bt *bt, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	if (!skb)
		return NETDEV_TX_BUSY;
	memset(skb_put(skb, len), len & 0xff, len);
	return vmgw_td_xmit(&bt->td, skb);
}

static ssize_t vmgw_bt_read(struct vmgw_bt *bt, size_t len)
{
	struct iov_iter it;
	struct kvec kv;

	vmgw_bt_iter(&it, &kv, bt->buf, len, ITER_DEST);
	return vmgw_queue_read(bt->td.q, &it, true);
}

/* Check the record at @off: length @len, every byte @len & 0xff. */
static size_t vmgw_bt_check_rec(struct kunit *test, struct vmgw_bt *bt,
				size_t off, u32 len)
{
	u32 got;

	memcpy(&got, bt->buf + off, sizeof(got));
	KUNIT_EXPECT_EQ(test, got, len);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(bt->buf + off + sizeof(got),
					    len & 0xff, len));
	return off + sizeof(got) + len;
}

/*
 * A batched read gives as many whole records as fit, and leaves the frame
 * that does not fit for the next read; a first frame that does not fit is
 * dropped and counted, as without batches.
 */
static void vmgw_bt_read_batch(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;
	size_t off;

	KUNIT_EXPECT_EQ(test, vmgw_bt_read(bt, BUF_LEN), -EAGAIN);
	KUNIT_EXPECT_EQ(test, vmgw_bt_xmit(bt, 60), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_bt_xmit(bt, 61), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_bt_xmit(bt, 300), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_bt_xmit(bt, 62), NETDEV_TX_OK);

	/* room for the first two records and part of the third */
	KUNIT_EXPECT_EQ(test, vmgw_bt_read(bt, 2 * 4 + 60 + 61 + 200),
			2 * 4 + 60 + 61);
	off = vmgw_bt_check_rec(test, bt, 0, 60);
	vmgw_bt_check_rec(test, bt, off, 61);

	/* the 300-byte frame alone does not fit: dropped, counted */
	KUNIT_EXPECT_EQ(test, vmgw_bt_read(bt, 4 + 299), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_READ_DROP_SHORT_BUF),
			1);
	KUNIT_EXPECT_EQ(test, vmgw_bt_read(bt, BUF_LEN), 4 + 62);
	vmgw_bt_check_rec(test, bt, 0, 62);
	KUNIT_EXPECT_EQ(test, vmgw_bt_read(bt, BUF_LEN), -EAGAIN);
}

/* A batched read takes the whole ring when it all fits. */
static void vmgw_bt_read_ring(struct kunit *test)
{
	struct vmgw_bt *bt = test->priv;
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < RING; i++)
		KUNIT_EXPECT_EQ(test, vmgw_bt_xmit(bt, 60 + i), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_bt_read(bt, BUF_LEN),
			RING * (4 + 60) + RING * (RING - 1) / 2);
	for (i = 0; i < RING; i++)
		off = vmgw_bt_check_rec(test, bt, off, 60 + i);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_TX_PACKETS), RING);
	KUNIT_EXPECT_EQ(test, vmgw_bt_stat(bt, VMGW_STAT_READ_FRAMES), RING);
}

static struct kunit_case vmgw_bt_queue_cases[] = {
	KUNIT_CASE(vmgw_bt_write_mixed),
	KUNIT_CASE(vmgw_bt_write_bad_framing),
	KUNIT_CASE(vmgw_bt_write_ring_full),
	KUNIT_CASE(vmgw_bt_write_delivered),
	KUNIT_CASE(vmgw_bt_read_batch),
	KUNIT_CASE(vmgw_bt_read_ring),
	{}
};

static struct kunit_suite vmgw_bt_queue_suite = {
	.name = "vmgw_batch_queue",
	.init = vmgw_bt_init,
	.exit = vmgw_bt_exit,
	.test_cases = vmgw_bt_queue_cases,
};

kunit_test_suites(&vmgw_bt_parse_suite, &vmgw_bt_queue_suite);
