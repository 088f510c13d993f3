// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the RST answering a refused guest SYN, byte for byte (checksums
 * worked out by hand), checked again with the kernel's own checksum
 * helpers, and read back by the classifier.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <net/tcp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "frames.h"
#include "rst.h"

static const u8 rst4_want[] = {
	/* Ethernet: to the guest, from the MAC it sent to */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00,
	/* IPv4: 40 bytes, DF, TTL 64, TCP, 93.184.216.34 -> 10.0.2.15 */
	0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xf8, 0xe6,
	0x5d, 0xb8, 0xd8, 0x22, 0x0a, 0x00, 0x02, 0x0f,
	/* TCP: 443 -> 40000, seq 0, ack 0x01020305, RST|ACK, window 0 */
	0x01, 0xbb, 0x9c, 0x40, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x05,
	0x50, 0x14, 0x00, 0x00, 0xcb, 0xe4, 0x00, 0x00,
};

static void vmgw_rst_test_ipv4_bytes(struct kunit *test)
{
	struct tf syn = { .src = "10.0.2.15", .dst = "93.184.216.34",
			  .proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
			  .flags = TCPHDR_SYN, .seq = 0x01020304 };
	u8 f[TF_MAX], out[VMGW_RST_MAX_LEN];
	struct vmgw_frame_info fi;
	__be32 saddr, daddr;
	unsigned int len;

	len = tf_build(f, &syn);
	KUNIT_ASSERT_EQ(test, tf_classify(f, len, &fi), VMGW_CLASS_TCP_SYN);
	memset(out, 0xee, sizeof(out));
	KUNIT_ASSERT_EQ(test, vmgw_rst_build(f, len, &fi, out, sizeof(out)),
			sizeof(rst4_want));
	KUNIT_EXPECT_MEMEQ(test, out, rst4_want, sizeof(rst4_want));

	/* the kernel agrees with both checksums */
	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(out + ETH_HLEN, 5), 0);
	memcpy(&saddr, out + ETH_HLEN + 12, 4);
	memcpy(&daddr, out + ETH_HLEN + 16, 4);
	KUNIT_EXPECT_EQ(test,
			(__force u16)csum_tcpudp_magic(saddr, daddr, 20,
						       IPPROTO_TCP,
						       csum_partial(out + ETH_HLEN + 20,
								    20, 0)),
			0);
}

static void vmgw_rst_test_ipv6_tagged(struct kunit *test)
{
	struct tf syn = { .src = "fd00::15", .dst = "2001:db8::1",
			  .proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
			  .flags = TCPHDR_SYN | 0x40 /* ECE */, .seq = 0xfffffffe,
			  .payload = 10, .vlan = 0x2007 };
	static const u8 tcp_want[] = {
		0x01, 0xbb, 0x9c, 0x40, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x09,	/* ack wraps: 0xfffffffe + 1 + 10 */
		0x50, 0x14, 0x00, 0x00, 0xe6, 0xfc, 0x00, 0x00,
	};
	u8 f[TF_MAX], out[VMGW_RST_MAX_LEN];
	struct vmgw_frame_info fi;
	unsigned int len, l3 = ETH_HLEN + 4;
	__wsum sum;

	len = tf_build(f, &syn);
	f[l3 + 1] = 0x0a;	/* traffic class and flow label */
	f[l3 + 2] = 0xbc;
	f[l3 + 3] = 0xde;
	KUNIT_ASSERT_EQ(test, tf_classify(f, len, &fi), VMGW_CLASS_TCP_SYN);
	KUNIT_ASSERT_EQ(test, vmgw_rst_build(f, len, &fi, out, sizeof(out)),
			l3 + 40 + 20);
	KUNIT_EXPECT_MEMEQ(test, out, f + 6, 6);
	KUNIT_EXPECT_MEMEQ(test, out + 6, f, 6);
	/* the tag is kept */
	KUNIT_EXPECT_MEMEQ(test, out + 12,
			   ((const u8[]){ 0x81, 0x00, 0x20, 0x07, 0x86, 0xdd }),
			   6);
	KUNIT_EXPECT_MEMEQ(test, out + l3,
			   ((const u8[]){ 0x60, 0x0a, 0xbc, 0xde, 0x00, 20,
					  IPPROTO_TCP, 64 }), 8);
	KUNIT_EXPECT_MEMEQ(test, out + l3 + 8, f + l3 + 24, 16);
	KUNIT_EXPECT_MEMEQ(test, out + l3 + 24, f + l3 + 8, 16);
	KUNIT_EXPECT_MEMEQ(test, out + l3 + 40, tcp_want, sizeof(tcp_want));

	sum = csum_partial(out + l3 + 40, 20, 0);
	KUNIT_EXPECT_EQ(test,
			(__force u16)csum_ipv6_magic((const struct in6_addr *)
						     (out + l3 + 8),
						     (const struct in6_addr *)
						     (out + l3 + 24), 20,
						     IPPROTO_TCP, sum), 0);
}

/* The classifier reads the RST as the peer's reset of that connection. */
static void vmgw_rst_test_classified(struct kunit *test)
{
	struct tf syn = { .src = "10.0.2.15", .dst = "1.2.3.4",
			  .proto = IPPROTO_TCP, .sport = 1234, .dport = 22,
			  .flags = TCPHDR_SYN };
	u8 f[TF_MAX], out[VMGW_RST_MAX_LEN];
	struct vmgw_frame_info fi, ri;
	unsigned int len;

	len = tf_build(f, &syn);
	tf_classify(f, len, &fi);
	len = vmgw_rst_build(f, len, &fi, out, sizeof(out));
	KUNIT_ASSERT_EQ(test, len, ETH_HLEN + 20 + 20);
	KUNIT_EXPECT_EQ(test, tf_classify(out, len, &ri), VMGW_CLASS_TCP);
	KUNIT_EXPECT_EQ(test, ri.tcp_flags, TCPHDR_RST | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, ri.sport, 22);
	KUNIT_EXPECT_EQ(test, ri.dport, 1234);
	KUNIT_EXPECT_MEMEQ(test, ri.saddr, fi.daddr, 4);
	KUNIT_EXPECT_MEMEQ(test, ri.daddr, fi.saddr, 4);
}

static void vmgw_rst_test_refused(struct kunit *test)
{
	struct tf t = { .src = "10.0.2.15", .dst = "1.2.3.4",
			.proto = IPPROTO_TCP, .sport = 1234, .dport = 22,
			.flags = TCPHDR_ACK };
	u8 f[TF_MAX], out[VMGW_RST_MAX_LEN];
	struct vmgw_frame_info fi;
	unsigned int len;

	/* not a SYN */
	len = tf_build(f, &t);
	tf_classify(f, len, &fi);
	KUNIT_EXPECT_EQ(test, vmgw_rst_build(f, len, &fi, out, sizeof(out)),
			0);
	/* no room */
	t.flags = TCPHDR_SYN;
	len = tf_build(f, &t);
	tf_classify(f, len, &fi);
	KUNIT_EXPECT_EQ(test, vmgw_rst_build(f, len, &fi, out, 53), 0);
	KUNIT_EXPECT_EQ(test, vmgw_rst_build(f, len, &fi, out, 54), 54);
	/* a view that ends inside the TCP header */
	KUNIT_EXPECT_EQ(test, vmgw_rst_build(f, len - 1, &fi, out, 54), 0);
	/* UDP */
	t.proto = IPPROTO_UDP;
	len = tf_build(f, &t);
	tf_classify(f, len, &fi);
	KUNIT_EXPECT_EQ(test, vmgw_rst_build(f, len, &fi, out, sizeof(out)),
			0);
}

static struct kunit_case vmgw_rst_test_cases[] = {
	KUNIT_CASE(vmgw_rst_test_ipv4_bytes),
	KUNIT_CASE(vmgw_rst_test_ipv6_tagged),
	KUNIT_CASE(vmgw_rst_test_classified),
	KUNIT_CASE(vmgw_rst_test_refused),
	{}
};

static struct kunit_suite vmgw_rst_test_suite = {
	.name = "vmgw_rst",
	.test_cases = vmgw_rst_test_cases,
};

kunit_test_suite(vmgw_rst_test_suite);
