// SPDX-License-Identifier: GPL-2.0
/*
 * Frame classifier. Reads only the bytes it is given (the view) and checks
 * every length before it reads: a header must lie inside the view to be
 * read, and inside the frame (then the IP packet) to be valid. Headers are
 * parsed by byte offset, never through structs, so that the view may be at
 * any alignment and the file builds unchanged in userspace.
 */
#ifdef __KERNEL__
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/string.h>
#endif

#include "classify.h"

#define VLAN_TAG_LEN		4
#define ARP_BODY_LEN		28	/* Ethernet/IPv4 ARP */
#define ARP_HRD_ETHER		1
#define IPV4_MIN_HLEN		20
#define IPV4_MF			0x2000
#define IPV4_OFFSET		0x1fff
#define IPV6_HLEN		40
#define IPV6_EXT_MIN_LEN	8	/* every extension header has 8 or more */
#define IPV6_FRAG_OFFSET	0xfff8
#define IPV6_FRAG_MF		0x0001
#define IP_MAX_DATAGRAM		65535
#define TCP_MIN_HLEN		20
#define TCP_FIN			0x01
#define TCP_SYN			0x02
#define TCP_RST			0x04
#define TCP_ACK			0x10
#define UDP_HLEN		8
#define ICMP_MIN_LEN		8
#define ICMPV6_NDP_FIRST	133	/* router solicitation */
#define ICMPV6_NDP_LAST		137	/* redirect */

const char * const vmgw_class_names[VMGW_CLASS_MAX] = {
	[VMGW_CLASS_MALFORMED]		= "malformed",
	[VMGW_CLASS_ARP]		= "arp",
	[VMGW_CLASS_OTHER_ETHERTYPE]	= "other_ethertype",
	[VMGW_CLASS_IPV4_OTHER]		= "ipv4_other",
	[VMGW_CLASS_IPV6_OTHER]		= "ipv6_other",
	[VMGW_CLASS_FRAGMENT]		= "fragment",
	[VMGW_CLASS_TCP_SYN]		= "tcp_syn",
	[VMGW_CLASS_TCP]		= "tcp",
	[VMGW_CLASS_DNS]		= "dns",
	[VMGW_CLASS_DHCP]		= "dhcp",
	[VMGW_CLASS_UDP]		= "udp",
	[VMGW_CLASS_ICMP]		= "icmp",
	[VMGW_CLASS_ICMPV6]		= "icmpv6",
	[VMGW_CLASS_NDP]		= "ndp",
};

/* Short: they follow "rx_drop_malformed_" in a 32-byte ethtool string. */
const char * const vmgw_malformed_names[VMGW_MAL_MAX] = {
	[VMGW_MAL_NONE]			= "none",
	[VMGW_MAL_TRUNCATED_ETH]	= "trunc_eth",
	[VMGW_MAL_QINQ]			= "qinq",
	[VMGW_MAL_TRUNCATED_L3]		= "trunc_l3",
	[VMGW_MAL_BAD_IP_VERSION]	= "ip_version",
	[VMGW_MAL_BAD_IHL]		= "ip_ihl",
	[VMGW_MAL_IP_LEN]		= "ip_len",
	[VMGW_MAL_EXTHDR_CHAIN]		= "ipv6_exthdr",
	[VMGW_MAL_TRUNCATED_L4]		= "trunc_l4",
	[VMGW_MAL_BAD_TCP_DOFF]		= "tcp_doff",
	[VMGW_MAL_TRUNCATED_ARP]	= "trunc_arp",
	[VMGW_MAL_BAD_ARP]		= "arp_format",
	[VMGW_MAL_UDP_LEN]		= "udp_len",
	[VMGW_MAL_BAD_FRAG]		= "ip_frag",
	[VMGW_MAL_TCP_FLAGS]		= "tcp_flags",
};

/* Parser state: @view bytes of @p are readable, @end ends the packet. */
struct vmgw_cls {
	const u8 *p;
	unsigned int view;
	unsigned int end;
	bool ipv6_frag;
	struct vmgw_frame_info *info;
};

/* Do @n bytes at @off lie below @lim? Written so that nothing can wrap. */
static bool vmgw_cls_fits(unsigned int lim, unsigned int off, unsigned int n)
{
	return n <= lim && off <= lim - n;
}

/* Fixed L4 header of @n bytes at @off: in the packet, then in the view. */
static enum vmgw_malformed vmgw_cls_l4_hdr(const struct vmgw_cls *c,
					   unsigned int off, unsigned int n)
{
	if (!vmgw_cls_fits(c->end, off, n))
		return VMGW_MAL_TRUNCATED_L4;
	if (!vmgw_cls_fits(c->view, off, n))
		/* Only IPv6 extension headers push L4 past a full view. */
		return c->info->ip_version == 6 ? VMGW_MAL_EXTHDR_CHAIN :
						  VMGW_MAL_TRUNCATED_L4;
	return VMGW_MAL_NONE;
}

static void vmgw_cls_ports(struct vmgw_frame_info *info, const u8 *l4)
{
	info->sport = vmgw_get_be16(l4);
	info->dport = vmgw_get_be16(l4 + 2);
}

static enum vmgw_malformed vmgw_cls_tcp(struct vmgw_cls *c, unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	enum vmgw_malformed why;
	unsigned int doff;
	const u8 *th;
	u8 flags;

	why = vmgw_cls_l4_hdr(c, off, TCP_MIN_HLEN);
	if (why)
		return why;
	th = c->p + off;
	doff = (th[12] >> 4) * 4;
	if (doff < TCP_MIN_HLEN || !vmgw_cls_fits(c->end, off, doff))
		return VMGW_MAL_BAD_TCP_DOFF;
	flags = th[13];
	info->tcp_flags = flags;
	if ((flags & TCP_SYN) && (flags & (TCP_FIN | TCP_RST)))
		return VMGW_MAL_TCP_FLAGS;
	vmgw_cls_ports(info, th);
	if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		info->class = VMGW_CLASS_TCP_SYN;
	else if (info->sport == VMGW_PORT_DNS || info->dport == VMGW_PORT_DNS)
		info->class = VMGW_CLASS_DNS;
	else
		info->class = VMGW_CLASS_TCP;
	return VMGW_MAL_NONE;
}

/* The destination port names the service: DNS, then DHCP, then DNS replies. */
static enum vmgw_class vmgw_cls_udp_class(const struct vmgw_frame_info *info)
{
	u16 dport = info->dport;

	if (dport == VMGW_PORT_DNS)
		return VMGW_CLASS_DNS;
	if (info->ip_version == 4 &&
	    (dport == VMGW_PORT_DHCP_SERVER || dport == VMGW_PORT_DHCP_CLIENT))
		return VMGW_CLASS_DHCP;
	if (info->ip_version == 6 &&
	    (dport == VMGW_PORT_DHCPV6_CLIENT || dport == VMGW_PORT_DHCPV6_SERVER))
		return VMGW_CLASS_DHCP;
	if (info->sport == VMGW_PORT_DNS)
		return VMGW_CLASS_DNS;
	return VMGW_CLASS_UDP;
}

static enum vmgw_malformed vmgw_cls_udp(struct vmgw_cls *c, unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	enum vmgw_malformed why;
	unsigned int ulen;
	const u8 *uh;

	why = vmgw_cls_l4_hdr(c, off, UDP_HLEN);
	if (why)
		return why;
	uh = c->p + off;
	/* A first fragment holds only part of what the length covers. */
	ulen = vmgw_get_be16(uh + 4);
	if (ulen < UDP_HLEN ||
	    (!info->frag_first && ulen > c->end - off))
		return VMGW_MAL_UDP_LEN;
	vmgw_cls_ports(info, uh);
	info->class = vmgw_cls_udp_class(info);
	return VMGW_MAL_NONE;
}

static enum vmgw_malformed vmgw_cls_icmp(struct vmgw_cls *c, unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	enum vmgw_malformed why;
	u8 type;

	why = vmgw_cls_l4_hdr(c, off, ICMP_MIN_LEN);
	if (why)
		return why;
	type = c->p[off];
	info->icmp_type = type;
	if (info->ip_version == 4)
		info->class = VMGW_CLASS_ICMP;
	else if (type >= ICMPV6_NDP_FIRST && type <= ICMPV6_NDP_LAST &&
		 !c->ipv6_frag)	/* RFC 6980: NDP is never fragmented */
		info->class = VMGW_CLASS_NDP;
	else
		info->class = VMGW_CLASS_ICMPV6;
	return VMGW_MAL_NONE;
}

static enum vmgw_malformed vmgw_cls_l4(struct vmgw_cls *c, unsigned int off,
				       u8 proto)
{
	struct vmgw_frame_info *info = c->info;
	bool v4 = info->ip_version == 4;

	info->l4_proto = proto;
	info->l4_off = off;
	switch (proto) {
	case IPPROTO_TCP:
		return vmgw_cls_tcp(c, off);
	case IPPROTO_UDP:
		return vmgw_cls_udp(c, off);
	case IPPROTO_ICMP:
		if (v4)
			return vmgw_cls_icmp(c, off);
		break;
	case IPPROTO_ICMPV6:
		if (!v4)
			return vmgw_cls_icmp(c, off);
		break;
	}
	info->class = v4 ? VMGW_CLASS_IPV4_OTHER : VMGW_CLASS_IPV6_OTHER;
	return VMGW_MAL_NONE;
}

static enum vmgw_malformed vmgw_cls_ipv4(struct vmgw_cls *c, unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	unsigned int hlen, tot, frag_off;
	const u8 *ip = c->p + off;
	u16 frag;

	if (!vmgw_cls_fits(c->view, off, IPV4_MIN_HLEN))
		return VMGW_MAL_TRUNCATED_L3;
	if (ip[0] >> 4 != 4)
		return VMGW_MAL_BAD_IP_VERSION;
	info->ip_version = 4;
	hlen = (ip[0] & 0x0f) * 4;
	if (hlen < IPV4_MIN_HLEN || !vmgw_cls_fits(c->view, off, hlen))
		return VMGW_MAL_BAD_IHL;
	tot = vmgw_get_be16(ip + 2);
	if (tot < hlen || tot > c->end - off)
		return VMGW_MAL_IP_LEN;
	c->end = off + tot;
	info->hop_limit = ip[8];
	info->l4_proto = ip[9];
	memcpy(info->saddr, ip + 12, 4);
	memcpy(info->daddr, ip + 16, 4);

	frag = vmgw_get_be16(ip + 6);
	frag_off = (frag & IPV4_OFFSET) * 8;
	if (!(frag & (IPV4_MF | IPV4_OFFSET)))
		return vmgw_cls_l4(c, off + hlen, ip[9]);
	if (frag_off + tot - hlen > IP_MAX_DATAGRAM ||
	    (frag_off == 8 && ip[9] == IPPROTO_TCP))
		return VMGW_MAL_BAD_FRAG;
	if (!frag_off) {
		info->frag_first = true;
		return vmgw_cls_l4(c, off + hlen, ip[9]);
	}
	info->l4_off = off + hlen;
	info->class = VMGW_CLASS_FRAGMENT;
	return VMGW_MAL_NONE;
}

/*
 * Fragment header at @off. Offset 0 (first or atomic fragment): the walk
 * goes on to the L4 header. Any other offset: the data that follows belongs
 * to the middle of a datagram and is not looked at.
 */
static enum vmgw_malformed vmgw_cls_ipv6_frag(struct vmgw_cls *c,
					      unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	const u8 *fh = c->p + off;
	unsigned int frag_off, data;
	bool more;
	u16 fo;

	if (c->ipv6_frag)
		return VMGW_MAL_BAD_FRAG;
	c->ipv6_frag = true;
	fo = vmgw_get_be16(fh + 2);
	frag_off = fo & IPV6_FRAG_OFFSET;
	more = fo & IPV6_FRAG_MF;
	data = c->end - off - IPV6_EXT_MIN_LEN;
	if (frag_off + data > IP_MAX_DATAGRAM || (more && (data & 7)))
		return VMGW_MAL_BAD_FRAG;
	if (frag_off) {
		info->l4_proto = fh[0];
		info->l4_off = off + IPV6_EXT_MIN_LEN;
		info->class = VMGW_CLASS_FRAGMENT;
	}
	info->frag_first = more && !frag_off;
	return VMGW_MAL_NONE;
}

/* The extension headers Linux's ipv6_ext_hdr() walks (minus "none"). */
static bool vmgw_cls_ipv6_is_exthdr(u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	       nexthdr == IPPROTO_FRAGMENT || nexthdr == IPPROTO_DSTOPTS ||
	       nexthdr == IPPROTO_AH;
}

static unsigned int vmgw_cls_ipv6_exthdr_len(u8 nexthdr, const u8 *eh)
{
	if (nexthdr == IPPROTO_FRAGMENT)
		return IPV6_EXT_MIN_LEN;
	if (nexthdr == IPPROTO_AH)
		return (eh[1] + 2) * 4;
	return (eh[1] + 1) * 8;
}

/*
 * Walk the extension headers from @off, where a header of type @nexthdr
 * starts, to the L4 header. Each header's first 8 bytes must be in the view
 * and the whole header in the packet.
 */
static enum vmgw_malformed vmgw_cls_ipv6_exthdrs(struct vmgw_cls *c,
						 unsigned int off, u8 nexthdr)
{
	enum vmgw_malformed why;
	unsigned int n, hlen;

	for (n = 0; vmgw_cls_ipv6_is_exthdr(nexthdr); n++) {
		if (n == VMGW_CLASSIFY_MAX_EXTHDRS ||
		    (n && nexthdr == IPPROTO_HOPOPTS) ||
		    !vmgw_cls_fits(c->view, off, IPV6_EXT_MIN_LEN))
			return VMGW_MAL_EXTHDR_CHAIN;
		hlen = vmgw_cls_ipv6_exthdr_len(nexthdr, c->p + off);
		if (!vmgw_cls_fits(c->end, off, hlen))
			return VMGW_MAL_EXTHDR_CHAIN;
		if (nexthdr == IPPROTO_FRAGMENT) {
			why = vmgw_cls_ipv6_frag(c, off);
			if (why || c->info->class == VMGW_CLASS_FRAGMENT)
				return why;
		}
		nexthdr = c->p[off];
		off += hlen;
	}
	return vmgw_cls_l4(c, off, nexthdr);
}

static enum vmgw_malformed vmgw_cls_ipv6(struct vmgw_cls *c, unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	const u8 *ip6 = c->p + off;
	unsigned int plen;

	if (!vmgw_cls_fits(c->view, off, IPV6_HLEN))
		return VMGW_MAL_TRUNCATED_L3;
	if (ip6[0] >> 4 != 6)
		return VMGW_MAL_BAD_IP_VERSION;
	info->ip_version = 6;
	/* No jumbograms: a payload length of 0 means an empty payload. */
	plen = vmgw_get_be16(ip6 + 4);
	if (plen > c->end - off - IPV6_HLEN)
		return VMGW_MAL_IP_LEN;
	c->end = off + IPV6_HLEN + plen;
	info->hop_limit = ip6[7];
	memcpy(info->saddr, ip6 + 8, 16);
	memcpy(info->daddr, ip6 + 24, 16);
	return vmgw_cls_ipv6_exthdrs(c, off + IPV6_HLEN, ip6[6]);
}

static enum vmgw_malformed vmgw_cls_arp(struct vmgw_cls *c, unsigned int off)
{
	struct vmgw_frame_info *info = c->info;
	const u8 *arp = c->p + off;

	if (!vmgw_cls_fits(c->view, off, ARP_BODY_LEN))
		return VMGW_MAL_TRUNCATED_ARP;
	if (vmgw_get_be16(arp) != ARP_HRD_ETHER ||
	    vmgw_get_be16(arp + 2) != ETH_P_IP || arp[4] != 6 || arp[5] != 4)
		return VMGW_MAL_BAD_ARP;
	memcpy(info->saddr, arp + 14, 4);
	memcpy(info->daddr, arp + 24, 4);
	info->class = VMGW_CLASS_ARP;
	return VMGW_MAL_NONE;
}

static enum vmgw_malformed vmgw_cls_eth(struct vmgw_cls *c)
{
	struct vmgw_frame_info *info = c->info;
	unsigned int off = ETH_HLEN;
	u16 proto;

	if (!vmgw_cls_fits(c->view, 0, ETH_HLEN))
		return VMGW_MAL_TRUNCATED_ETH;
	proto = vmgw_get_be16(c->p + ETH_HLEN - 2);
	if (proto == ETH_P_8021Q) {
		if (!vmgw_cls_fits(c->view, off, VLAN_TAG_LEN))
			return VMGW_MAL_TRUNCATED_ETH;
		info->vlan = true;
		info->vlan_tci = vmgw_get_be16(c->p + off);
		proto = vmgw_get_be16(c->p + off + 2);
		off += VLAN_TAG_LEN;
	}
	info->ethertype = proto;
	if (proto == ETH_P_8021Q || proto == ETH_P_8021AD)
		return VMGW_MAL_QINQ;
	info->l3_off = off;
	switch (proto) {
	case ETH_P_ARP:
		return vmgw_cls_arp(c, off);
	case ETH_P_IP:
		return vmgw_cls_ipv4(c, off);
	case ETH_P_IPV6:
		return vmgw_cls_ipv6(c, off);
	}
	info->class = VMGW_CLASS_OTHER_ETHERTYPE;
	return VMGW_MAL_NONE;
}

/**
 * vmgw_classify() - classify one Ethernet frame from a view of its start
 * @view: the first bytes of the frame (any alignment)
 * @view_len: bytes readable at @view, normally vmgw_classify_view_len() of
 *	@frame_len; no more than that many are read, whatever @view_len says
 * @frame_len: length of the whole frame, for IP and UDP length checks
 * @info: filled in completely (zeroed first)
 *
 * The result depends only on the first vmgw_classify_view_len(@frame_len)
 * bytes and on @frame_len. A header that must be read to classify the frame
 * has to lie within the view: with a full view only IPv6 extension headers
 * can push one past it, which is %VMGW_MAL_EXTHDR_CHAIN. A shorter view
 * (never given by the datapath) makes the frame malformed. Ethernet padding
 * after the IP packet is allowed; the FCS is not part of @frame_len.
 *
 * Context: any; pure function, no locks, no allocation.
 * Return: @info->class.
 */
enum vmgw_class vmgw_classify(const u8 *view, unsigned int view_len,
			      unsigned int frame_len,
			      struct vmgw_frame_info *info)
{
	struct vmgw_cls c = {
		.p = view,
		.view = vmgw_classify_view_len(frame_len),
		.end = frame_len,
		.info = info,
	};
	enum vmgw_malformed why;

	if (view_len < c.view)
		c.view = view_len;
	memset(info, 0, sizeof(*info));
	why = vmgw_cls_eth(&c);
	if (why) {
		info->class = VMGW_CLASS_MALFORMED;
		info->why = why;
	}
	return info->class;
}
