// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the data path of a registered vmgw device with an attached queue:
 * write() checks, the g2h ring when NAPI is off, staging and the UDP
 * verdict in the poll, delivery to the stack, the h2g ring and its flow
 * control, read(), and detach with frames still queued.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_tun.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/udp.h>
#include <linux/uio.h>
#include <linux/virtio_net.h>

#include "classify.h"
#include "frames.h"
#include "policy.h"
#include "testdev.h"
#include "vmgw.h"

#define RING	16

/* Ethernet + IPv4 or IPv6 + UDP to @dport, @len bytes in all. */
static unsigned int vmgw_dp_udp(u8 *f, bool v6, u16 dport, unsigned int len)
{
	unsigned int l3 = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	struct ethhdr *eth = (struct ethhdr *)f;
	struct udphdr *uh = (struct udphdr *)(f + ETH_HLEN + l3);

	memset(f, 0, len);
	eth_random_addr(eth->h_dest);
	eth_random_addr(eth->h_source);
	if (v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(f + ETH_HLEN);

		eth->h_proto = htons(ETH_P_IPV6);
		ip6->version = 6;
		ip6->payload_len = htons(len - ETH_HLEN - l3);
		ip6->nexthdr = IPPROTO_UDP;
		ip6->hop_limit = 64;
	} else {
		struct iphdr *ip = (struct iphdr *)(f + ETH_HLEN);

		eth->h_proto = htons(ETH_P_IP);
		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(len - ETH_HLEN);
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
	}
	uh->source = htons(40000);
	uh->dest = htons(dport);
	uh->len = htons(len - ETH_HLEN - l3);
	return len;
}

/* A frame with an experimental ethertype: passes the minimum verdict. */
static unsigned int vmgw_dp_raw(u8 *f, unsigned int len)
{
	memset(f, 0, len);
	eth_random_addr(f);
	eth_random_addr(f + ETH_ALEN);
	f[12] = 0x88;
	f[13] = 0xb5;
	return len;
}

static int vmgw_dp_init(struct kunit *test)
{
	struct vmgw_td *dp;

	dp = kunit_kzalloc(test, sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return -ENOMEM;
	test->priv = dp;
	return vmgw_td_init(dp, "vmgwk%d", RING);
}

static void vmgw_dp_exit(struct kunit *test)
{
	vmgw_td_exit(test->priv);
}

static void vmgw_dp_test_write_lengths(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	unsigned int mtu = dp->dev->mtu;
	u8 *f = kunit_kzalloc(test, mtu + 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, ETH_HLEN - 1), -EINVAL);
	vmgw_dp_raw(f, mtu + ETH_HLEN + VLAN_HLEN + 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, mtu + ETH_HLEN + VLAN_HLEN + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, mtu + ETH_HLEN + VLAN_HLEN),
			mtu + ETH_HLEN + VLAN_HLEN);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, ETH_HLEN), ETH_HLEN);

	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_WRITE_ERR_SHORT), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_WRITE_ERR_LONG), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), 2);
	/* Only the frames write() took; nothing was read. */
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_WRITE_FRAMES), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_READ_FRAMES), 0);
}

static void vmgw_dp_test_vnet_hdr(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	struct virtio_net_hdr_mrg_rxbuf *h;
	u8 *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);
	u8 *f = buf + sizeof(*h);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	h = (struct virtio_net_hdr_mrg_rxbuf *)buf;
	dp->q->flags |= IFF_VNET_HDR;
	dp->q->vnet_hdr_sz = sizeof(*h);

	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, buf, sizeof(*h) - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_WRITE_ERR_SHORT), 1);

	/* hdr_len claims more than the frame holds */
	vmgw_dp_udp(f, false, 53, 100);
	h->hdr.hdr_len = cpu_to_le16(101);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, buf, sizeof(*h) + 100), -EINVAL);

	/* checksum start beyond the frame */
	h->hdr.hdr_len = 0;
	h->hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->hdr.csum_start = cpu_to_le16(1000);
	h->hdr.csum_offset = cpu_to_le16(6);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, buf, sizeof(*h) + 100), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_WRITE_ERR_VNET_HDR), 2);

	/* a correct partial checksum on the UDP header is accepted */
	h->hdr.csum_start = cpu_to_le16(ETH_HLEN + sizeof(struct iphdr));
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, buf, sizeof(*h) + 100),
			sizeof(*h) + 100);

	/* a frame beyond the MTU is fine as GSO, not without */
	memset(h, 0, sizeof(*h));
	vmgw_dp_raw(f, 1600);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, buf, sizeof(*h) + 1600),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_WRITE_ERR_LONG), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), 1);
}

/* With NAPI off nothing drains the ring: it fills, then -EAGAIN. */
static void vmgw_dp_test_g2h_full(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	u8 f[64];
	int i;

	vmgw_dp_raw(f, sizeof(f));
	rtnl_lock();
	vmgw_queue_napi_stop(dp->q);
	rtnl_unlock();
	for (i = 0; i < RING; i++)
		KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, sizeof(f)), sizeof(f));
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, sizeof(f)), -EAGAIN);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), 0);

	/* Enabling NAPI drains what was accepted: nothing was lost. */
	rtnl_lock();
	vmgw_queue_napi_start(dp->q);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), RING);
	KUNIT_EXPECT_TRUE(test, __ptr_ring_empty(&dp->q->g2h));
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, sizeof(f)), sizeof(f));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), RING + 1);
}

/*
 * The poll classifies every frame and applies the minimum UDP verdict:
 * DNS and the DHCP client's requests to the link pass, other UDP (to
 * DHCP ports too) is dropped.
 */
static void vmgw_dp_test_udp_verdict(struct kunit *test)
{
	static const u8 dhcp6[16] = { 0xff, 0x02, [13] = 1, [15] = 2 };
	static const struct {
		bool v6;
		u16 sport;
		u16 dport;
		bool pass;
	} cases[] = {
		{ false, 40000, 53, true }, { true, 40000, 53, true },
		{ false, 68, 67, true }, { true, 546, 547, true },
		{ false, 40000, 68, false }, { true, 40000, 546, false },
		{ false, 40000, 9999, false }, { true, 40000, 9999, false },
	};
	struct vmgw_td *dp = test->priv;
	unsigned int l3;
	u8 f[128];
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		vmgw_dp_udp(f, cases[i].v6, cases[i].dport, 100);
		l3 = sizeof(struct iphdr);
		if (cases[i].v6)
			l3 = sizeof(struct ipv6hdr);
		((struct udphdr *)(f + ETH_HLEN + l3))->source =
			htons(cases[i].sport);
		/* DHCP requests go to the link: broadcast, ff02::1:2 */
		if (cases[i].v6)
			memcpy(&((struct ipv6hdr *)(f + ETH_HLEN))->daddr,
			       dhcp6, 16);
		else
			((struct iphdr *)(f + ETH_HLEN))->daddr =
				htonl(INADDR_BROADCAST);
		KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, 100), 100);
	}
	/* IPv4 says UDP, but the frame ends 4 bytes into the UDP header */
	vmgw_dp_udp(f, false, 53, 100);
	((struct iphdr *)(f + ETH_HLEN))->tot_len = htons(24);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, ETH_HLEN + 24), ETH_HLEN + 24);

	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), 4);
	KUNIT_EXPECT_EQ(test,
			vmgw_td_stat(dp, VMGW_STAT_RX_DROP_UDP_UNSUPPORTED), 4);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_DROP_MALFORMED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_DNS), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_DHCP), 4);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_UDP), 2);
	KUNIT_EXPECT_EQ(test,
			vmgw_td_stat(dp, vmgw_stat_mal(VMGW_MAL_TRUNCATED_L4)), 1);
	KUNIT_EXPECT_TRUE(test, __ptr_ring_empty(&dp->q->g2h));
}

/* A tap on the device: what the stack receives, in order. */
struct vmgw_dp_tap {
	struct packet_type pt;
	unsigned int n;
	u16 proto[8];
	unsigned int len[8];
};

static int vmgw_dp_tap_rcv(struct sk_buff *skb, struct net_device *dev,
			   struct packet_type *pt, struct net_device *orig)
{
	struct vmgw_dp_tap *tap = container_of(pt, struct vmgw_dp_tap, pt);

	if (tap->n < ARRAY_SIZE(tap->len)) {
		tap->proto[tap->n] = ntohs(skb->protocol);
		tap->len[tap->n] = skb->len;
	}
	tap->n++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/*
 * One poll delivers every accepted frame, TCP through GRO and the rest as
 * a list; frames of one flow keep their order, and the counters add up.
 */
static void vmgw_dp_test_deliver(struct kunit *test)
{
	struct tf syn = { .src = "10.0.2.15", .dst = "10.0.2.2",
			  .proto = IPPROTO_TCP, .sport = 40000, .dport = 80,
			  .flags = 0x02 };
	struct vmgw_td *dp = test->priv;
	struct vmgw_dp_tap *tap;
	unsigned int i, len;
	u8 f[TF_MAX];

	tap = kunit_kzalloc(test, sizeof(*tap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tap);
	tap->pt.type = htons(ETH_P_ALL);
	tap->pt.dev = dp->dev;
	tap->pt.func = vmgw_dp_tap_rcv;
	dev_add_pack(&tap->pt);

	/* NAPI off: the frames wait on the ring for one poll. */
	rtnl_lock();
	vmgw_queue_napi_stop(dp->q);
	rtnl_unlock();
	for (i = 0; i < 3; i++) {
		vmgw_dp_udp(f, false, 53, 100 + i);
		KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, 100 + i), 100 + i);
	}
	len = tf_build(f, &syn);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, len), len);
	vmgw_dp_raw(f, 64);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, 64), 64);
	vmgw_dp_udp(f, false, 9999, 100);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, 100), 100);
	rtnl_lock();
	vmgw_queue_napi_start(dp->q);
	rtnl_unlock();
	dev_remove_pack(&tap->pt);

	/* Everything but the unsupported UDP, the DNS frames in order. */
	KUNIT_EXPECT_EQ(test, tap->n, 5);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, tap->proto[i], ETH_P_IP);
		KUNIT_EXPECT_EQ(test, tap->len[i], 100 + i - ETH_HLEN);
	}
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_PACKETS), 5);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_BYTES),
			100 + 101 + 102 + len + 64);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_DNS), 3);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_TCP_SYN), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_OTHER_ETHERTYPE), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_CLASS_FIRST +
					    VMGW_CLASS_UDP), 1);
	KUNIT_EXPECT_EQ(test,
			vmgw_td_stat(dp, VMGW_STAT_RX_DROP_UDP_UNSUPPORTED), 1);
}

/* The device's default policy alone, on classified frames. */
static enum skb_drop_reason vmgw_dp_verdict(struct vmgw_td *dp, const u8 *f,
					    unsigned int len,
					    enum vmgw_stat *why)
{
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;

	vmgw_classify(f, len, len, &fi);
	local_bh_disable();
	v = vmgw_policy_rx(dp->vg->policy, &fi, f + ETH_ALEN, jiffies);
	local_bh_enable();
	if (v.act == VMGW_ACT_PASS)
		return SKB_NOT_DROPPED_YET;
	return vmgw_rx_drop_reason(v.why, why);
}

static void vmgw_dp_test_verdict_table(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	enum vmgw_stat why;
	u8 f[128];

	vmgw_dp_udp(f, false, 53, 100);
	KUNIT_EXPECT_EQ(test, vmgw_dp_verdict(dp, f, 100, &why),
			SKB_NOT_DROPPED_YET);
	vmgw_dp_udp(f, true, 9999, 100);
	KUNIT_EXPECT_EQ(test, vmgw_dp_verdict(dp, f, 100, &why),
			SKB_DROP_REASON_UNHANDLED_PROTO);
	KUNIT_EXPECT_EQ(test, why, VMGW_STAT_RX_DROP_UDP_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, vmgw_dp_verdict(dp, f, ETH_HLEN + 2, &why),
			SKB_DROP_REASON_HDR_TRUNC);
	KUNIT_EXPECT_EQ(test, why, VMGW_STAT_RX_DROP_MALFORMED);
}

static netdev_tx_t vmgw_dp_xmit(struct vmgw_td *dp, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	if (!skb)
		return NETDEV_TX_BUSY;
	vmgw_dp_raw(skb_put(skb, len), len);
	return vmgw_td_xmit(dp, skb);
}

/* A full h2g ring stops the tx queue; a read restarts it. */
static void vmgw_dp_test_h2g(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	struct netdev_queue *txq = netdev_get_tx_queue(dp->dev, 0);
	u8 *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, buf, 2048), -EAGAIN);
	for (i = 0; i < RING; i++)
		KUNIT_EXPECT_EQ(test, vmgw_dp_xmit(dp, 60 + i), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_dp_xmit(dp, 60), NETDEV_TX_BUSY);
	KUNIT_EXPECT_TRUE(test, netif_tx_queue_stopped(txq));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_TX_PACKETS), RING);

	/* One frame at a time, in order, whole. */
	KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, buf, 2048), 60);
	KUNIT_EXPECT_FALSE(test, netif_tx_queue_stopped(txq));
	KUNIT_EXPECT_EQ(test, buf[12], 0x88);

	/* A buffer too small: -EINVAL, that frame is dropped and counted. */
	KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, buf, 60), -EINVAL);
	KUNIT_EXPECT_EQ(test,
			vmgw_td_stat(dp, VMGW_STAT_READ_DROP_SHORT_BUF), 1);
	for (i = 2; i < RING; i++)
		KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, buf, 2048), 60 + i);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, buf, 2048), -EAGAIN);
	/* All but the dropped one were read. */
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_READ_FRAMES), RING - 1);
}

/* With a vnet header, read() prefixes each frame with one. */
static void vmgw_dp_test_h2g_vnet_hdr(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	u8 *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	dp->q->flags |= IFF_VNET_HDR;
	dp->q->vnet_hdr_sz = sizeof(struct virtio_net_hdr_mrg_rxbuf);
	memset(buf, 0xee, 2048);
	KUNIT_EXPECT_EQ(test, vmgw_dp_xmit(dp, 70), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, buf, 2048),
			sizeof(struct virtio_net_hdr_mrg_rxbuf) + 70);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(buf, 0, 12));
	KUNIT_EXPECT_EQ(test, buf[12 + 12], 0x88);
}

/* Detaching frees what is still queued both ways and counts it. */
static void vmgw_dp_test_detach_pending(struct kunit *test)
{
	struct vmgw_td *dp = test->priv;
	u8 f[64];
	int i;

	vmgw_dp_raw(f, sizeof(f));
	rtnl_lock();
	vmgw_queue_napi_stop(dp->q);
	rtnl_unlock();
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, sizeof(f)), sizeof(f));
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vmgw_dp_xmit(dp, 60), NETDEV_TX_OK);

	rtnl_lock();
	vmgw_queue_detach(dp->q);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_RX_DROP_DETACH), 5);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_TX_DROP_DETACH), 3);
	KUNIT_EXPECT_FALSE(test, netif_carrier_ok(dp->dev));
	KUNIT_EXPECT_EQ(test, vmgw_td_write(dp, f, sizeof(f)), -ENODEV);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(dp, f, sizeof(f)), -ENODEV);

	/* With no queue, the stack's frames are dropped and counted. */
	KUNIT_EXPECT_EQ(test, vmgw_dp_xmit(dp, 60), NETDEV_TX_OK);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(dp, VMGW_STAT_TX_DROP_NO_QUEUE), 1);
}

static void vmgw_dp_test_never_attached(struct kunit *test)
{
	struct vmgw_queue *q = vmgw_queue_alloc();
	struct iov_iter it;
	u8 f[64] = {};
	struct kvec kv;

	KUNIT_ASSERT_NOT_NULL(test, q);
	kv.iov_base = f;
	kv.iov_len = sizeof(f);
	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, sizeof(f));
	KUNIT_EXPECT_EQ(test, vmgw_queue_write(q, &it, true), -EBADFD);
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(f));
	KUNIT_EXPECT_EQ(test, vmgw_queue_read(q, &it, true), -EBADFD);
	vmgw_queue_free(q);
}

static struct kunit_case vmgw_dp_test_cases[] = {
	KUNIT_CASE(vmgw_dp_test_write_lengths),
	KUNIT_CASE(vmgw_dp_test_vnet_hdr),
	KUNIT_CASE(vmgw_dp_test_g2h_full),
	KUNIT_CASE(vmgw_dp_test_udp_verdict),
	KUNIT_CASE(vmgw_dp_test_deliver),
	KUNIT_CASE(vmgw_dp_test_verdict_table),
	KUNIT_CASE(vmgw_dp_test_h2g),
	KUNIT_CASE(vmgw_dp_test_h2g_vnet_hdr),
	KUNIT_CASE(vmgw_dp_test_detach_pending),
	KUNIT_CASE(vmgw_dp_test_never_attached),
	{}
};

static struct kunit_suite vmgw_dp_test_suite = {
	.name = "vmgw_datapath",
	.init = vmgw_dp_init,
	.exit = vmgw_dp_exit,
	.test_cases = vmgw_dp_test_cases,
};

kunit_test_suite(vmgw_dp_test_suite);
