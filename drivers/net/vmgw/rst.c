// SPDX-License-Identifier: GPL-2.0
/*
 * RST for a refused SYN (RFC 9293 3.10.7.1: the SYN carries no ACK, so the
 * reset has sequence number 0 and acknowledges SEG.SEQ + SEG.LEN, with RST
 * and ACK set). It comes from the address and port the guest tried to
 * reach, to the guest's MAC from the MAC the guest sent to, with the SYN's
 * VLAN tag if it had one, so the guest's stack takes it for the peer's
 * answer and connect() fails with ECONNREFUSED at once.
 */
#ifdef __KERNEL__
#include <linux/if_ether.h>
#include <linux/in.h>
#endif

#include "rst.h"

#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define TCP_HLEN	20
#define TCP_FLAG_RST	0x04
#define TCP_FLAG_ACK	0x10
#define RST_TTL		64
#define IPV4_DF		0x4000

/**
 * vmgw_csum_add() - add bytes to a ones' complement sum (RFC 1071)
 * @sum: running sum
 * @p: bytes, taken as big-endian 16-bit words (an odd last byte is padded)
 * @len: how many
 *
 * Return: the new sum, not folded.
 */
u32 vmgw_csum_add(u32 sum, const u8 *p, unsigned int len)
{
	while (len > 1) {
		sum += vmgw_get_be16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (u32)p[0] << 8;
	return sum;
}

/**
 * vmgw_csum_fold() - fold a sum and complement it
 * @sum: running sum from vmgw_csum_add()
 *
 * Return: the checksum field value, host order.
 */
u16 vmgw_csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The SYN's data length (a SYN may carry data, e.g. TCP Fast Open). */
static bool vmgw_rst_seg_len(const u8 *syn, const struct vmgw_frame_info *fi,
			     unsigned int *seg_len)
{
	const u8 *ip = syn + fi->l3_off;
	unsigned int ip_end, doff;

	if (fi->ip_version == 4)
		ip_end = fi->l3_off + vmgw_get_be16(ip + 2);
	else
		ip_end = fi->l3_off + IPV6_HLEN + vmgw_get_be16(ip + 4);
	doff = (syn[fi->l4_off + 12] >> 4) * 4;
	if (ip_end < fi->l4_off + doff)
		return false;
	*seg_len = ip_end - fi->l4_off - doff;
	return true;
}

static unsigned int vmgw_rst_ip(const u8 *sip, const struct vmgw_frame_info *fi,
				u8 *ip, u32 *pseudo)
{
	unsigned int alen = fi->ip_version == 4 ? 4 : 16;

	if (fi->ip_version == 4) {
		ip[0] = 0x45;
		vmgw_put_be16(ip + 2, IPV4_HLEN + TCP_HLEN);
		vmgw_put_be16(ip + 6, IPV4_DF);
		ip[8] = RST_TTL;
		ip[9] = IPPROTO_TCP;
		memcpy(ip + 12, fi->daddr, 4);
		memcpy(ip + 16, fi->saddr, 4);
		vmgw_put_be16(ip + 10,
			      vmgw_csum_fold(vmgw_csum_add(0, ip, IPV4_HLEN)));
	} else {
		/* Traffic class and flow label: those of the SYN. */
		memcpy(ip, sip, 4);
		vmgw_put_be16(ip + 4, TCP_HLEN);
		ip[6] = IPPROTO_TCP;
		ip[7] = RST_TTL;
		memcpy(ip + 8, fi->daddr, 16);
		memcpy(ip + 24, fi->saddr, 16);
	}
	/* Pseudo header: addresses, protocol, TCP length. */
	*pseudo = vmgw_csum_add(0, fi->daddr, alen);
	*pseudo = vmgw_csum_add(*pseudo, fi->saddr, alen);
	*pseudo += IPPROTO_TCP + TCP_HLEN;
	return fi->ip_version == 4 ? IPV4_HLEN : IPV6_HLEN;
}

/**
 * vmgw_rst_build() - the RST frame answering a guest's TCP SYN
 * @syn: the SYN frame, from its Ethernet header on
 * @view_len: bytes readable at @syn; must cover its L4 header
 * @fi: what vmgw_classify() found in @syn (%VMGW_CLASS_TCP_SYN)
 * @out: receives the frame
 * @out_len: room at @out, %VMGW_RST_MAX_LEN is always enough
 *
 * The frame is Ethernet (with the SYN's 802.1Q tag, if any), IPv4 (TTL
 * 64, DF, ID 0) or IPv6 (hop limit 64, the SYN's traffic class and flow
 * label), and a 20-byte TCP header with RST and ACK, sequence number 0 and
 * window 0; both checksums are complete.
 *
 * Context: any; pure function.
 * Return: the length of the frame, or 0 when @fi is not a TCP SYN whose
 * headers lie in the view, or @out is too small.
 */
unsigned int vmgw_rst_build(const u8 *syn, unsigned int view_len,
			    const struct vmgw_frame_info *fi, u8 *out,
			    unsigned int out_len)
{
	unsigned int l2 = fi->l3_off, l3, len, seg_len;
	u32 sum;
	u8 *th;

	if (fi->class != VMGW_CLASS_TCP_SYN ||
	    (fi->ip_version != 4 && fi->ip_version != 6) ||
	    fi->l4_off < l2 || view_len < fi->l4_off + (unsigned int)TCP_HLEN ||
	    l2 > ETH_HLEN + 4 || !vmgw_rst_seg_len(syn, fi, &seg_len))
		return 0;
	l3 = fi->ip_version == 4 ? IPV4_HLEN : IPV6_HLEN;
	len = l2 + l3 + TCP_HLEN;
	if (out_len < len)
		return 0;
	memset(out, 0, len);

	/* Ethernet: back to the sender, from whom it addressed. */
	memcpy(out, syn + 6, 6);
	memcpy(out + 6, syn, 6);
	memcpy(out + 12, syn + 12, l2 - 12);

	vmgw_rst_ip(syn + l2, fi, out + l2, &sum);

	th = out + l2 + l3;
	vmgw_put_be16(th, fi->dport);
	vmgw_put_be16(th + 2, fi->sport);
	/* seq 0; ack = SYN's seq + 1 (the SYN) + its data */
	vmgw_put_be32(th + 8, vmgw_get_be32(syn + fi->l4_off + 4) + 1 +
			      seg_len);
	th[12] = (TCP_HLEN / 4) << 4;
	th[13] = TCP_FLAG_RST | TCP_FLAG_ACK;
	sum = vmgw_csum_add(sum, th, TCP_HLEN);
	vmgw_put_be16(th + 16, vmgw_csum_fold(sum));
	return len;
}
