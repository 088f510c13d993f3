// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the policy in the data path of a registered device with an
 * attached queue. Frames go in through write() and the NAPI poll, the
 * gateway side sends through ndo_start_xmit, the guest reads through
 * read(): a refused SYN comes back as a RST, TCP needs its flow, flows
 * opened from the gateway side let the guest answer, DNS answers sent to
 * the guest teach addresses the allowlist then lets through.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_tun.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/uio.h>
#include <linux/virtio_net.h>
#include <net/tcp.h>

#include "frames.h"
#include "policy.h"
#include "testdev.h"
#include "vmgw.h"

#define RING	16

/* One guest frame through write() and, NAPI being on, the poll. */
static void pdp_write(struct kunit *test, struct vmgw_td *p, const struct tf *t)
{
	u8 f[TF_MAX];
	size_t len;

	len = tf_build(f, t);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(p, f, len), len);
}

/* A frame from the gateway namespace to the guest, via ndo_start_xmit. */
static void pdp_xmit(struct kunit *test, struct vmgw_td *p, const u8 *f,
		     unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, f, len);
	KUNIT_EXPECT_EQ(test, vmgw_td_xmit(p, skb), NETDEV_TX_OK);
}

static int pdp_init(struct kunit *test)
{
	struct vmgw_td *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	test->priv = p;
	return vmgw_td_init(p, "vmgwp%d", RING);
}

static void pdp_exit(struct kunit *test)
{
	vmgw_td_exit(test->priv);
}

static struct tf pdp_syn(const char *dst, u16 sport, u16 dport)
{
	return (struct tf){ .src = "10.0.2.15", .dst = dst,
			    .proto = IPPROTO_TCP, .sport = sport,
			    .dport = dport, .flags = TCPHDR_SYN,
			    .seq = 1000 };
}

/* A SYN to the metadata address: dropped, and a RST reaches the guest. */
static void vmgw_pdp_test_rst(struct kunit *test)
{
	struct tf syn = pdp_syn("169.254.169.254", 40000, 80);
	struct vmgw_td *p = test->priv;
	struct vmgw_frame_info fi;
	u8 buf[256];
	ssize_t n;

	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_FLOOR), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RST_SENT), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_PACKETS), 0);

	n = vmgw_td_read(p, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, n, ETH_HLEN + 20 + 20);
	KUNIT_EXPECT_MEMEQ(test, buf, tf_guest_mac, ETH_ALEN);
	KUNIT_EXPECT_MEMEQ(test, buf + ETH_ALEN, tf_gw_mac, ETH_ALEN);
	KUNIT_ASSERT_EQ(test, tf_classify(buf, n, &fi), VMGW_CLASS_TCP);
	KUNIT_EXPECT_EQ(test, fi.tcp_flags, TCPHDR_RST | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, fi.sport, 80);
	KUNIT_EXPECT_EQ(test, fi.dport, 40000);
	KUNIT_EXPECT_EQ(test, vmgw_get_be32(buf + ETH_HLEN + 20 + 8), 1001);
	/* nothing else for the guest */
	KUNIT_EXPECT_EQ(test, vmgw_td_read(p, buf, sizeof(buf)), -EAGAIN);
}

/* A frame for the gateway side's qdisc, as the stack sends it. */
static int pdp_queue(struct kunit *test, struct vmgw_td *p)
{
	struct sk_buff *skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb_put(skb, ETH_ZLEN), 0, ETH_ZLEN);
	memcpy(skb->data, tf_guest_mac, ETH_ALEN);
	skb_reset_mac_header(skb);
	skb->dev = p->dev;
	skb->protocol = htons(ETH_P_IP);
	return dev_queue_xmit(skb);
}

/*
 * A RST that finds no room (h2g ring full, the tx queue stopped, the
 * qdisc full) is lost and counted; the SYN is still refused.
 */
static void vmgw_pdp_test_rst_dropped(struct kunit *test)
{
	struct tf syn = pdp_syn("169.254.169.254", 40000, 80);
	struct vmgw_td *p = test->priv;
	struct sk_buff *skb;
	unsigned int i;
	int ret;

	/* RING frames fill the h2g ring, the next one stops the tx queue. */
	for (i = 0; i <= RING; i++) {
		skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		memset(skb_put(skb, ETH_ZLEN), 0, ETH_ZLEN);
		KUNIT_EXPECT_EQ(test, vmgw_td_xmit(p, skb),
				i < RING ? NETDEV_TX_OK : NETDEV_TX_BUSY);
	}
	KUNIT_ASSERT_TRUE(test,
			  netif_tx_queue_stopped(netdev_get_tx_queue(p->dev, 0)));
	/* The qdisc takes tx_queue_len frames (and one to requeue), no more. */
	for (i = 0; i <= p->dev->tx_queue_len + 1; i++) {
		ret = pdp_queue(test, p);
		if (ret != NET_XMIT_SUCCESS)
			break;
	}
	KUNIT_ASSERT_EQ(test, ret, NET_XMIT_DROP);

	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_FLOOR), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_TX_DROP_RST), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RST_SENT), 0);
}

/* TCP without a flow is dropped; a SYN opens the flow it needs. */
static void vmgw_pdp_test_flows(struct kunit *test)
{
	struct tf syn = pdp_syn("93.184.216.34", 40000, 443);
	struct tf ack = syn;
	struct vmgw_td *p = test->priv;

	ack.flags = TCPHDR_ACK;
	pdp_write(test, p, &ack);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NO_FLOW), 1);
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	pdp_write(test, p, &ack);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_PACKETS), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NO_FLOW), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RST_SENT), 0);
}

/* A connection from the gateway side: the guest's answers pass. */
static void vmgw_pdp_test_published(struct kunit *test)
{
	struct tf in = { .smac = tf_gw_mac, .src = "10.0.2.2",
			 .dst = "10.0.2.15", .proto = IPPROTO_TCP,
			 .sport = 50000, .dport = 8080, .flags = TCPHDR_SYN };
	struct tf synack = { .src = "10.0.2.15", .dst = "10.0.2.2",
			     .proto = IPPROTO_TCP, .sport = 8080,
			     .dport = 50000,
			     .flags = TCPHDR_SYN | TCPHDR_ACK };
	struct vmgw_td *p = test->priv;
	u8 f[TF_MAX];

	pdp_write(test, p, &synack);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NO_FLOW), 1);
	pdp_xmit(test, p, f, tf_build(f, &in));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	pdp_write(test, p, &synack);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_PACKETS), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NO_FLOW), 1);
}

/* A full table: the gateway's SYN never reaches the guest, and is counted. */
static void vmgw_pdp_test_published_cap(struct kunit *test)
{
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	struct tf in = { .smac = tf_gw_mac, .src = "10.0.2.2",
			 .dst = "10.0.2.15", .proto = IPPROTO_TCP,
			 .sport = 50000, .dport = 8080, .flags = TCPHDR_SYN };
	struct tf syn = pdp_syn("203.0.113.7", 40000, 443);
	struct rtnl_link_stats64 st;
	struct vmgw_td *p = test->priv;
	u8 f[TF_MAX];
	u64 tx0;

	lim.max = 1;
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_flow_limits(p->vg->policy,
							  &lim, NULL), 0);
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	tx0 = vmgw_td_stat(p, VMGW_STAT_TX_PACKETS);
	pdp_xmit(test, p, f, tf_build(f, &in));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_TX_DROP_FLOW_CAP), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_TX_PACKETS), tx0);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(p->vg->policy->flows), 1);
	/* part of the device's tx_dropped */
	dev_get_stats(p->dev, &st);
	KUNIT_EXPECT_EQ(test, st.tx_dropped, 1);
}

/* A query for @name (A, IN), or with @a4 its answer, one A record. */
static unsigned int pdp_dns_msg(u8 *m, const char *name, const u8 *a4)
{
	unsigned int n = 12;
	const char *s = name;

	memset(m, 0, 128);
	vmgw_put_be16(m, 0x5151);
	vmgw_put_be16(m + 2, a4 ? 0x8180 : 0x0100);
	vmgw_put_be16(m + 4, 1);
	vmgw_put_be16(m + 6, a4 ? 1 : 0);
	while (*s) {
		const char *dot = strchrnul(s, '.');

		m[n++] = dot - s;
		memcpy(m + n, s, dot - s);
		n += dot - s;
		s = *dot ? dot + 1 : dot;
	}
	m[n++] = 0;
	vmgw_put_be16(m + n, 1);
	vmgw_put_be16(m + n + 2, 1);
	n += 4;
	if (!a4)
		return n;
	vmgw_put_be16(m + n, 0xc00c);
	vmgw_put_be16(m + n + 2, 1);
	vmgw_put_be16(m + n + 4, 1);
	vmgw_put_be32(m + n + 6, 300);
	vmgw_put_be16(m + n + 10, 4);
	memcpy(m + n + 12, a4, 4);
	return n + 16;
}

/*
 * A DNS message over UDP between the guest's port @gport and the
 * resolver (10.0.2.3): with @a4 the answer to the guest, else the query.
 */
static unsigned int pdp_dns_udp(u8 *f, const char *name, const u8 *a4,
				u16 gport)
{
	struct tf t = { .src = "10.0.2.15", .dst = "10.0.2.3",
			.proto = IPPROTO_UDP, .sport = gport, .dport = 53 };
	unsigned int len, n;
	u8 m[128];

	if (a4) {
		t = (struct tf){ .smac = tf_gw_mac, .src = "10.0.2.3",
				 .dst = "10.0.2.15", .proto = IPPROTO_UDP,
				 .sport = 53, .dport = gport };
	}
	n = pdp_dns_msg(m, name, a4);
	t.payload = n;
	len = tf_build(f, &t);
	memcpy(f + ETH_HLEN + 20 + 8, m, n);
	return len;
}

/* The query of the guest, through write() and the poll. */
static void pdp_dns_ask(struct kunit *test, struct vmgw_td *p,
			const char *name, u16 gport)
{
	u8 f[TF_MAX];
	unsigned int len = pdp_dns_udp(f, name, NULL, gport);

	KUNIT_EXPECT_EQ(test, vmgw_td_write(p, f, len), len);
}

/*
 * Answers from the resolver teach, in allowlist mode, an address the
 * guest may then connect to, but only the answer to a question the guest
 * asked: not one it did not ask, not one for another name or port, not a
 * second one.
 */
static void vmgw_pdp_test_learned(struct kunit *test)
{
	static const char * const hosts[] = { "api.example.com" };
	static const u8 a4[4] = { 203, 0, 113, 7 };
	struct tf syn = pdp_syn("203.0.113.7", 40000, 443);
	struct vmgw_policy_addr res = { .family = 4,
					.addr = { 10, 0, 2, 3 } };
	struct vmgw_td *p = test->priv;
	unsigned int len;
	u8 f[TF_MAX];
	ssize_t n;

	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(p->vg->policy,
						   VMGW_MODE_ALLOWLIST, NULL),
			0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(p->vg->policy, hosts, 1,
						    NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_resolvers(p->vg->policy, &res,
							1, NULL), 0);
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NOT_ALLOWED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RST_SENT), 1);
	/* the RST: Ethernet, IPv4 and TCP headers, no options */
	KUNIT_EXPECT_EQ(test, vmgw_td_read(p, f, sizeof(f)), ETH_HLEN + 20 + 20);

	/* unasked, asked for another name, asked from another port */
	len = pdp_dns_udp(f, "api.example.com", a4, 33333);
	pdp_xmit(test, p, f, len);
	pdp_dns_ask(test, p, "www.example.com", 33333);
	pdp_dns_ask(test, p, "api.example.com", 33334);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_QUERIES), 2);
	pdp_xmit(test, p, f, len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_ERR_UNSOLICITED),
			2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_LEARNED), 0);
	/* delivered all the same */
	KUNIT_EXPECT_EQ(test, vmgw_td_read(p, f, sizeof(f)), len);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(p, f, sizeof(f)), len);
	syn.sport = 40001;
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NOT_ALLOWED), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_read(p, f, sizeof(f)), ETH_HLEN + 20 + 20);

	/* asked: the answer teaches, in another case too */
	pdp_dns_ask(test, p, "API.example.com", 33333);
	len = pdp_dns_udp(f, "api.example.com", a4, 33333);
	pdp_xmit(test, p, f, len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_LEARNED), 1);
	/* the answer itself reaches the guest, whole */
	n = vmgw_td_read(p, f, sizeof(f));
	KUNIT_EXPECT_EQ(test, n, len);
	syn.sport = 40002;
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_PACKETS), 4);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NOT_ALLOWED), 2);
	/* a second answer to the same query: unsolicited */
	len = pdp_dns_udp(f, "api.example.com", a4, 33333);
	pdp_xmit(test, p, f, len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_ERR_UNSOLICITED),
			3);
}

/* A TCP segment of the guest's DNS connection (port 33333) to 10.0.2.3. */
static unsigned int pdp_dns_tcp(u8 *f, bool to_guest, u8 flags, u32 seq,
				const u8 *pl, unsigned int n)
{
	struct tf t = { .src = "10.0.2.15", .dst = "10.0.2.3",
			.proto = IPPROTO_TCP, .sport = 33333, .dport = 53,
			.flags = flags, .seq = seq, .payload = n };
	unsigned int len;

	if (to_guest) {
		t.smac = tf_gw_mac;
		t.src = "10.0.2.3";
		t.dst = "10.0.2.15";
		t.sport = 53;
		t.dport = 33333;
	}
	len = tf_build(f, &t);
	memcpy(f + ETH_HLEN + 20 + 20, pl, n);
	return len;
}

/*
 * DNS over TCP through the device: the guest connects to its resolver
 * and asks; the answer teaches when it is whole in its segment and at the
 * stream's message boundary.
 */
static void vmgw_pdp_test_dns_tcp(struct kunit *test)
{
	static const char * const hosts[] = { "api.example.com" };
	static const u8 a4[4] = { 203, 0, 113, 7 };
	const u8 psh = TCPHDR_ACK | TCPHDR_PSH;
	struct tf syn = pdp_syn("203.0.113.7", 40000, 443);
	struct tf dsyn = pdp_syn("10.0.2.3", 33333, 53);
	struct vmgw_policy_addr res = { .family = 4,
					.addr = { 10, 0, 2, 3 } };
	struct vmgw_td *p = test->priv;
	unsigned int n, len;
	u8 f[TF_MAX], m[130];

	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(p->vg->policy,
						   VMGW_MODE_ALLOWLIST, NULL),
			0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(p->vg->policy, hosts, 1,
						    NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_resolvers(p->vg->policy, &res,
							1, NULL), 0);
	dsyn.seq = 100;
	pdp_write(test, p, &dsyn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	pdp_xmit(test, p, f, pdp_dns_tcp(f, true, TCPHDR_SYN | TCPHDR_ACK,
					 7000, m, 0));
	n = pdp_dns_msg(m + 2, "api.example.com", NULL);
	vmgw_put_be16(m, n);
	len = pdp_dns_tcp(f, false, psh, 101, m, n + 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(p, f, len), len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_QUERIES), 1);

	n = pdp_dns_msg(m + 2, "api.example.com", a4);
	vmgw_put_be16(m, n);
	/* the message's last byte is in the next segment: not learned */
	pdp_xmit(test, p, f, pdp_dns_tcp(f, true, psh, 7001, m, n + 1));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_TCP_SPLIT), 1);
	/* the whole message again, from the same place: not a boundary now */
	pdp_xmit(test, p, f, pdp_dns_tcp(f, true, psh, 7001, m, n + 2));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_TCP_UNALIGNED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_LEARNED), 0);
	KUNIT_EXPECT_EQ(test, vmgw_learn_count(&p->vg->policy->learn), 0);
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NOT_ALLOWED), 1);

	/* the next message, at the boundary the split one announced */
	pdp_xmit(test, p, f, pdp_dns_tcp(f, true, psh, 7001 + 2 + n, m,
					 n + 2));
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_LEARNED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_DNS_TCP_SPLIT), 1);
	syn.sport = 40001;
	pdp_write(test, p, &syn);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_NOT_ALLOWED), 1);
}

/*
 * A guest checksum request is carried out after the verdict: one that
 * would store over the judged ports (or anywhere but the L4 checksum
 * field) is refused in the poll and counted; a true one passes.
 */
static void vmgw_pdp_test_csum_request(struct kunit *test)
{
	struct tf syn = pdp_syn("203.0.113.7", 40000, 443);
	struct virtio_net_hdr_mrg_rxbuf *h;
	struct vmgw_td *p = test->priv;
	u8 buf[sizeof(*h) + TF_MAX];
	unsigned int len, l4;

	h = (struct virtio_net_hdr_mrg_rxbuf *)buf;
	memset(buf, 0, sizeof(buf));
	p->q->flags |= IFF_VNET_HDR;
	p->q->vnet_hdr_sz = sizeof(*h);
	len = tf_build(buf + sizeof(*h), &syn);
	KUNIT_ASSERT_GT(test, len, 0);
	l4 = ETH_HLEN + sizeof(struct iphdr);
	h->hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->hdr.csum_start = cpu_to_le16(l4);
	/* onto the destination port */
	h->hdr.csum_offset = cpu_to_le16(2);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(p, buf, sizeof(*h) + len),
			sizeof(*h) + len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_CSUM), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 0);
	/* from inside the IP header, onto the destination address */
	h->hdr.csum_start = cpu_to_le16(ETH_HLEN + 16);
	h->hdr.csum_offset = cpu_to_le16(0);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(p, buf, sizeof(*h) + len),
			sizeof(*h) + len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_CSUM), 2);
	/* the TCP checksum field itself */
	h->hdr.csum_start = cpu_to_le16(l4);
	h->hdr.csum_offset = cpu_to_le16(16);
	KUNIT_EXPECT_EQ(test, vmgw_td_write(p, buf, sizeof(*h) + len),
			sizeof(*h) + len);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_DROP_CSUM), 2);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_FLOW_OPENED), 1);
	KUNIT_EXPECT_EQ(test, vmgw_td_stat(p, VMGW_STAT_RX_PACKETS), 1);
}

/* Every refusal reason has its own counter and a drop reason perf sees. */
static void vmgw_pdp_test_drop_reasons(struct kunit *test)
{
	static const struct {
		u8 deny;
		u8 stat;
		u32 reason;
	} map[] = {
		{ VMGW_DENY_MALFORMED, VMGW_STAT_RX_DROP_MALFORMED,
		  SKB_DROP_REASON_HDR_TRUNC },
		{ VMGW_DENY_SPOOF_MAC, VMGW_STAT_RX_DROP_SPOOF_MAC,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_SPOOF_IP, VMGW_STAT_RX_DROP_SPOOF_IP,
		  SKB_DROP_REASON_IP_RPFILTER },
		{ VMGW_DENY_FLOOR, VMGW_STAT_RX_DROP_FLOOR,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_RULE, VMGW_STAT_RX_DROP_DENY_RULE,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_NOT_ALLOWED, VMGW_STAT_RX_DROP_NOT_ALLOWED,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_UDP, VMGW_STAT_RX_DROP_UDP_UNSUPPORTED,
		  SKB_DROP_REASON_UNHANDLED_PROTO },
		{ VMGW_DENY_RESOLVER, VMGW_STAT_RX_DROP_DNS_RESOLVER,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_NO_FLOW, VMGW_STAT_RX_DROP_NO_FLOW,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_FLOW_CAP, VMGW_STAT_RX_DROP_FLOW_CAP,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_CSUM, VMGW_STAT_RX_DROP_CSUM,
		  SKB_DROP_REASON_TAP_FILTER },
		{ VMGW_DENY_GSO, VMGW_STAT_RX_DROP_GSO,
		  SKB_DROP_REASON_TAP_FILTER },
	};
	unsigned long seen = 0;
	enum vmgw_stat why;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(map), VMGW_DENY_MAX - 1);
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		KUNIT_EXPECT_EQ_MSG(test, (u32)vmgw_rx_drop_reason(map[i].deny,
								   &why),
				    map[i].reason, "%s",
				    vmgw_deny_names[map[i].deny]);
		KUNIT_EXPECT_EQ_MSG(test, why, map[i].stat, "%s",
				    vmgw_deny_names[map[i].deny]);
		KUNIT_EXPECT_GE(test, why, VMGW_STAT_RX_DROP_FIRST);
		KUNIT_EXPECT_LE(test, why, VMGW_STAT_RX_DROP_LAST);
		seen |= BIT(why - VMGW_STAT_RX_DROP_FIRST);
	}
	/* no two reasons share a counter */
	KUNIT_EXPECT_EQ(test, hweight_long(seen), ARRAY_SIZE(map));
}

static struct kunit_case vmgw_pdp_test_cases[] = {
	KUNIT_CASE(vmgw_pdp_test_rst),
	KUNIT_CASE(vmgw_pdp_test_rst_dropped),
	KUNIT_CASE(vmgw_pdp_test_flows),
	KUNIT_CASE(vmgw_pdp_test_published),
	KUNIT_CASE(vmgw_pdp_test_learned),
	KUNIT_CASE(vmgw_pdp_test_published_cap),
	KUNIT_CASE(vmgw_pdp_test_dns_tcp),
	KUNIT_CASE(vmgw_pdp_test_drop_reasons),
	KUNIT_CASE(vmgw_pdp_test_csum_request),
	{}
};

static struct kunit_suite vmgw_pdp_test_suite = {
	.name = "vmgw_policy_datapath",
	.init = pdp_init,
	.exit = pdp_exit,
	.test_cases = vmgw_pdp_test_cases,
};

kunit_test_suite(vmgw_pdp_test_suite);
