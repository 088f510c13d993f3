/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers: guest frames built from readable parameters, for the
 * policy, flow and RST suites. Checksums are left zero: nothing on the
 * classify/verdict path reads them.
 */
#ifndef _VMGW_KUNIT_FRAMES_H
#define _VMGW_KUNIT_FRAMES_H

#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/string.h>

#include "classify.h"
#include "pure.h"

#define TF_MAX		256

static const u8 tf_guest_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 tf_gw_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/**
 * struct tf - a test frame
 * @smac: source MAC, the guest's when NULL
 * @src: source address, text ("10.0.2.15", "fd00::15")
 * @dst: destination address, text, same family
 * @proto: IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 or other
 * @sport: source port
 * @dport: destination port
 * @flags: TCP flags, or ICMP type
 * @payload: bytes after the L4 header
 * @vlan: 802.1Q tag to add, 0 for none
 * @seq: TCP sequence number
 * @hlim: IPv4 TTL or IPv6 hop limit, 64 when 0
 */
struct tf {
	const u8 *smac;
	const char *src;
	const char *dst;
	u8 proto;
	u16 sport;
	u16 dport;
	u8 flags;
	unsigned int payload;
	u16 vlan;
	u32 seq;
	u8 hlim;
};

static inline unsigned int tf_l2(u8 *f, const struct tf *t, u16 ethertype)
{
	unsigned int off = 12;

	memcpy(f, tf_gw_mac, ETH_ALEN);
	memcpy(f + 6, t->smac ?: tf_guest_mac, ETH_ALEN);
	if (t->vlan) {
		vmgw_put_be16(f + 12, ETH_P_8021Q);
		vmgw_put_be16(f + 14, t->vlan);
		off += 4;
	}
	vmgw_put_be16(f + off, ethertype);
	return off + 2;
}

static inline unsigned int tf_l4(u8 *l4, const struct tf *t)
{
	switch (t->proto) {
	case IPPROTO_TCP:
		vmgw_put_be16(l4, t->sport);
		vmgw_put_be16(l4 + 2, t->dport);
		vmgw_put_be32(l4 + 4, t->seq);
		l4[12] = 5 << 4;
		l4[13] = t->flags;
		vmgw_put_be16(l4 + 14, 65535);
		return 20;
	case IPPROTO_UDP:
		vmgw_put_be16(l4, t->sport);
		vmgw_put_be16(l4 + 2, t->dport);
		vmgw_put_be16(l4 + 4, 8 + t->payload);
		return 8;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		l4[0] = t->flags;
		return 8;
	default:
		return 0;
	}
}

/* Build @t into @f (TF_MAX bytes); returns the frame length, 0 on error. */
static inline unsigned int tf_build(u8 *f, const struct tf *t)
{
	bool v6 = strchr(t->src, ':');
	unsigned int l3, l4len, ip_len;
	u8 *ip;

	memset(f, 0, TF_MAX);
	l3 = tf_l2(f, t, v6 ? ETH_P_IPV6 : ETH_P_IP);
	ip = f + l3;
	if (v6) {
		if (!in6_pton(t->src, -1, ip + 8, -1, NULL) ||
		    !in6_pton(t->dst, -1, ip + 24, -1, NULL))
			return 0;
		ip[0] = 0x60;
		ip[6] = t->proto;
		ip[7] = t->hlim ?: 64;
		l4len = tf_l4(ip + 40, t);
		ip_len = 40 + l4len + t->payload;
		vmgw_put_be16(ip + 4, l4len + t->payload);
	} else {
		if (!in4_pton(t->src, -1, ip + 12, -1, NULL) ||
		    !in4_pton(t->dst, -1, ip + 16, -1, NULL))
			return 0;
		ip[0] = 0x45;
		ip[8] = t->hlim ?: 64;
		ip[9] = t->proto;
		l4len = tf_l4(ip + 20, t);
		ip_len = 20 + l4len + t->payload;
		vmgw_put_be16(ip + 2, ip_len);
	}
	if (l3 + ip_len > TF_MAX)
		return 0;
	return l3 + ip_len;
}

/* ARP request from @sender (text IPv4) for @target. */
static inline unsigned int tf_arp(u8 *f, const u8 *smac, const char *sender,
				  const char *target)
{
	struct tf t = { .smac = smac };
	unsigned int off;
	u8 *a;

	memset(f, 0, TF_MAX);
	off = tf_l2(f, &t, ETH_P_ARP);
	a = f + off;
	vmgw_put_be16(a, 1);
	vmgw_put_be16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	vmgw_put_be16(a + 6, 1);
	memcpy(a + 8, smac ?: tf_guest_mac, ETH_ALEN);
	if (!in4_pton(sender, -1, a + 14, -1, NULL) ||
	    !in4_pton(target, -1, a + 24, -1, NULL))
		return 0;
	return off + 28;
}

/* Classify @f of @len bytes into @fi; returns its class. */
static inline enum vmgw_class tf_classify(const u8 *f, unsigned int len,
					  struct vmgw_frame_info *fi)
{
	return vmgw_classify(f, vmgw_classify_view_len(len), len, fi);
}

#endif /* _VMGW_KUNIT_FRAMES_H */
