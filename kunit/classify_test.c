// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the frame classifier. Frames are described layer by layer in a
 * table, built into a buffer, then handed to vmgw_classify() from a copy of
 * exactly the view's size so that KASAN (kunit/debug.config) sees any read
 * past the view.
 */
#include <kunit/test.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "classify.h"

#define FB_SIZE		1600
#define FB_LAYERS	14

/* One layer of a test frame; what a, b and c mean depends on the kind. */
enum tl_kind {
	TL_END,
	TL_ETH,		/* a: ethertype */
	TL_VLAN,	/* a: TCI, b: inner ethertype */
	TL_ARP,		/* Ethernet/IPv4 request */
	TL_IPV4,	/* a: protocol, b: IHL (0: 5), c: flags and offset */
	TL_IPV6,	/* a: next header */
	TL_EXT,		/* a: own type, b: next header, c: length field */
	TL_FRAG6,	/* a: next header, b: offset | M */
	TL_UDP,		/* a: source port, b: destination port */
	TL_TCP,		/* a: source port, b: destination port, c: flags */
	TL_ICMP,	/* a: type */
	TL_DATA,	/* a: bytes of payload */
};

struct tl {
	u8 kind;
	u16 a, b, c;
};

/* Overwrite a 1- or 2-byte field after the lengths are filled in. */
enum { PK_NONE, PK_ABS, PK_L3, PK_L4 };

struct poke {
	u8 base, width;
	u16 off, val;
};

struct vmgw_cls_case {
	const char *name;
	struct tl l[FB_LAYERS];
	struct poke pk[2];
	unsigned int cut;	/* truncate to this length (0: no) */
	unsigned int pad;	/* then append Ethernet padding */
	enum vmgw_class class;
	enum vmgw_malformed why;
	u16 sport, dport;
	u16 l3_off, l4_off;	/* checked when non-zero */
};

struct fb {
	u8 buf[FB_SIZE];
	unsigned int len;
	unsigned int l3, l4, udp;	/* first IP, L4, UDP header; 0: none */
	u8 ipv;
};

#define ETH(t)			{ TL_ETH, t }
#define VLAN(tci, t)		{ TL_VLAN, tci, t }
#define ARP()			{ TL_ARP }
#define IPV4(p)			{ TL_IPV4, p }
#define IPV4X(p, ihl, frag)	{ TL_IPV4, p, ihl, frag }
#define IPV6(nh)		{ TL_IPV6, nh }
#define EXT(t, nh, len)		{ TL_EXT, t, nh, len }
#define DST(nh)			EXT(IPPROTO_DSTOPTS, nh, 0)
#define FRAG6(nh, fo)		{ TL_FRAG6, nh, fo }
#define UDP(s, d)		{ TL_UDP, s, d }
#define TCP(s, d, f)		{ TL_TCP, s, d, f }
#define ICMP(t)			{ TL_ICMP, t }
#define DATA(n)			{ TL_DATA, n }
#define PK1(base, off, v)	{ PK_##base, 1, off, v }
#define PK2(base, off, v)	{ PK_##base, 2, off, v }

#define E4	ETH(ETH_P_IP)
#define E6	ETH(ETH_P_IPV6)
#define MF4	0x2000
#define SYN	0x02
#define ACK	0x10
#define EPH	40000	/* an ephemeral port */

static const u8 fb_saddr6[16] = { 0xfd, [15] = 0x15 };
static const u8 fb_daddr6[16] = { 0xfd, [15] = 0x02 };
static const u8 fb_saddr4[4] = { 10, 0, 2, 15 };
static const u8 fb_daddr4[4] = { 10, 0, 2, 2 };

static u8 *fb_put(struct fb *fb, unsigned int n)
{
	u8 *p = fb->buf + fb->len;

	fb->len += n;
	return p;
}

static void fb_be16(u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void fb_l3(struct fb *fb, u8 ipv)
{
	if (!fb->l3) {
		fb->l3 = fb->len;
		fb->ipv = ipv;
	}
}

static void fb_l4(struct fb *fb, bool udp)
{
	if (!fb->l4)
		fb->l4 = fb->len;
	if (udp && !fb->udp)
		fb->udp = fb->len;
}

static void fb_arp(struct fb *fb)
{
	u8 *p;

	fb_l3(fb, 0);
	p = fb_put(fb, 28);

	fb_be16(p, 1);
	fb_be16(p + 2, ETH_P_IP);
	p[4] = 6;
	p[5] = 4;
	fb_be16(p + 6, 1);
	p[8] = 0x02;
	memcpy(p + 14, fb_saddr4, 4);
	memcpy(p + 24, fb_daddr4, 4);
}

static void fb_ipv4(struct fb *fb, const struct tl *t)
{
	unsigned int ihl = t->b ? t->b : 5;
	u8 *p;

	fb_l3(fb, 4);
	p = fb_put(fb, ihl < 5 ? 20 : ihl * 4);
	p[0] = 0x40 | ihl;
	fb_be16(p + 6, t->c);
	p[8] = 64;
	p[9] = t->a;
	memcpy(p + 12, fb_saddr4, 4);
	memcpy(p + 16, fb_daddr4, 4);
	if (ihl > 5)
		memset(p + 20, 1, ihl * 4 - 20);	/* NOP options */
}

static void fb_ipv6(struct fb *fb, const struct tl *t)
{
	u8 *p;

	fb_l3(fb, 6);
	p = fb_put(fb, 40);
	p[0] = 0x60;
	p[6] = t->a;
	p[7] = 64;
	memcpy(p + 8, fb_saddr6, 16);
	memcpy(p + 24, fb_daddr6, 16);
}

static void fb_ext(struct fb *fb, const struct tl *t)
{
	unsigned int n = t->a == IPPROTO_AH ? (t->c + 2) * 4 : (t->c + 1) * 8;
	u8 *p = fb_put(fb, n);

	p[0] = t->b;
	p[1] = t->c;
}

static void fb_l4_hdr(struct fb *fb, const struct tl *t)
{
	u8 *p;

	switch (t->kind) {
	case TL_UDP:
		fb_l4(fb, true);
		p = fb_put(fb, 8);
		break;
	case TL_TCP:
		fb_l4(fb, false);
		p = fb_put(fb, 20);
		p[12] = 5 << 4;
		p[13] = t->c;
		break;
	default:
		fb_l4(fb, false);
		p = fb_put(fb, 8);
		p[0] = t->a;
		return;
	}
	fb_be16(p, t->a);
	fb_be16(p + 2, t->b);
}

static void fb_layer(struct fb *fb, const struct tl *t)
{
	u8 *p;

	switch (t->kind) {
	case TL_ETH:
		p = fb_put(fb, ETH_HLEN);
		p[0] = 0x02;
		p[5] = 0x01;
		p[6] = 0x02;
		p[11] = 0x02;
		fb_be16(p + 12, t->a);
		break;
	case TL_VLAN:
		p = fb_put(fb, 4);
		fb_be16(p, t->a);
		fb_be16(p + 2, t->b);
		break;
	case TL_ARP:
		fb_arp(fb);
		break;
	case TL_IPV4:
		fb_ipv4(fb, t);
		break;
	case TL_IPV6:
		fb_ipv6(fb, t);
		break;
	case TL_EXT:
		fb_ext(fb, t);
		break;
	case TL_FRAG6:
		p = fb_put(fb, 8);
		p[0] = t->a;
		fb_be16(p + 2, t->b);
		p[7] = 0x42;		/* identification */
		break;
	case TL_DATA:
		memset(fb_put(fb, t->a), 0, t->a);
		break;
	default:
		fb_l4_hdr(fb, t);
	}
}

/* IP and UDP lengths as if the frame (without padding) were @len long. */
static void fb_fix_lengths(struct fb *fb, unsigned int len, bool udp)
{
	if (fb->ipv == 4 && len >= fb->l3 + 4)
		fb_be16(fb->buf + fb->l3 + 2, len - fb->l3);
	if (fb->ipv == 6 && len >= fb->l3 + 40)
		fb_be16(fb->buf + fb->l3 + 4, len - fb->l3 - 40);
	if (udp && fb->udp && len >= fb->udp + 8)
		fb_be16(fb->buf + fb->udp + 4, len - fb->udp);
}

static void fb_poke(struct fb *fb, const struct poke *pk)
{
	unsigned int off = pk->off;

	if (pk->base == PK_L3)
		off += fb->l3;
	else if (pk->base == PK_L4)
		off += fb->l4;
	if (pk->width == 1)
		fb->buf[off] = pk->val;
	else
		fb_be16(fb->buf + off, pk->val);
}

static void fb_build(struct fb *fb, const struct vmgw_cls_case *tc)
{
	const struct tl *t;
	unsigned int i;

	memset(fb, 0, sizeof(*fb));
	for (t = tc->l; t < tc->l + FB_LAYERS && t->kind != TL_END; t++)
		fb_layer(fb, t);
	fb_fix_lengths(fb, fb->len, true);
	for (i = 0; i < ARRAY_SIZE(tc->pk); i++)
		if (tc->pk[i].base != PK_NONE)
			fb_poke(fb, &tc->pk[i]);
	if (tc->cut)
		fb->len = tc->cut;
	memset(fb_put(fb, tc->pad), 0, tc->pad);
}

static const struct vmgw_cls_case vmgw_cls_cases[] = {
	/* Every class. */
	{ "arp", { ETH(ETH_P_ARP), ARP() }, .class = VMGW_CLASS_ARP,
	  .l3_off = 14 },
	{ "vlan_arp", { ETH(ETH_P_8021Q), VLAN(7, ETH_P_ARP), ARP() },
	  .class = VMGW_CLASS_ARP, .l3_off = 18 },
	{ "lldp", { ETH(0x88cc), DATA(30) },
	  .class = VMGW_CLASS_OTHER_ETHERTYPE, .l3_off = 14 },
	{ "ieee8023_length", { ETH(0x0040), DATA(64) },
	  .class = VMGW_CLASS_OTHER_ETHERTYPE },
	{ "ipv4_gre", { E4, IPV4(47), DATA(8) },
	  .class = VMGW_CLASS_IPV4_OTHER, .l4_off = 34 },
	{ "ipv4_carrying_icmpv6", { E4, IPV4(IPPROTO_ICMPV6), ICMP(128) },
	  .class = VMGW_CLASS_IPV4_OTHER },
	{ "ipv6_no_next_header", { E6, IPV6(IPPROTO_NONE) },
	  .class = VMGW_CLASS_IPV6_OTHER, .l4_off = 54 },
	{ "ipv6_esp", { E6, IPV6(IPPROTO_ESP), DATA(16) },
	  .class = VMGW_CLASS_IPV6_OTHER },
	{ "ipv6_carrying_icmp", { E6, IPV6(IPPROTO_ICMP), ICMP(8) },
	  .class = VMGW_CLASS_IPV6_OTHER },
	{ "ipv4_fragment", { E4, IPV4X(IPPROTO_UDP, 5, 185), DATA(16) },
	  .class = VMGW_CLASS_FRAGMENT, .l4_off = 34 },
	{ "ipv4_last_fragment_udp53_lookalike",
	  { E4, IPV4X(IPPROTO_UDP, 5, 1), UDP(EPH, 53), DATA(8) },
	  .class = VMGW_CLASS_FRAGMENT },
	{ "ipv4_first_fragment_udp",
	  { E4, IPV4X(IPPROTO_UDP, 5, MF4), UDP(EPH, 9999), DATA(16) },
	  { PK2(L4, 4, 3000) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999 },
	{ "ipv6_fragment_udp53_lookalike",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_UDP, 8 | 1),
	    UDP(EPH, 53), DATA(8) },
	  .class = VMGW_CLASS_FRAGMENT, .l4_off = 62 },
	{ "ipv6_last_fragment",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_UDP, 1480),
	    UDP(EPH, 53), DATA(3) },
	  .class = VMGW_CLASS_FRAGMENT },
	{ "ipv6_first_fragment_udp",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_UDP, 1),
	    UDP(EPH, 9999), DATA(8) },
	  { PK2(L4, 4, 3000) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999,
	  .l4_off = 62 },
	{ "ipv6_atomic_fragment",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_UDP, 0),
	    UDP(EPH, 53), DATA(5) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53 },
	{ "tcp_syn_v4", { E4, IPV4(IPPROTO_TCP), TCP(EPH, 443, SYN) },
	  .class = VMGW_CLASS_TCP_SYN, .sport = EPH, .dport = 443,
	  .l3_off = 14, .l4_off = 34 },
	{ "tcp_syn_v6", { E6, IPV6(IPPROTO_TCP), TCP(EPH, 443, SYN) },
	  .class = VMGW_CLASS_TCP_SYN, .sport = EPH, .dport = 443,
	  .l3_off = 14, .l4_off = 54 },
	{ "tcp_syn_to_53_is_syn", { E4, IPV4(IPPROTO_TCP), TCP(EPH, 53, SYN) },
	  .class = VMGW_CLASS_TCP_SYN, .sport = EPH, .dport = 53 },
	{ "tcp_syn_ack", { E4, IPV4(IPPROTO_TCP), TCP(443, EPH, SYN | ACK) },
	  .class = VMGW_CLASS_TCP, .sport = 443, .dport = EPH },
	{ "tcp_ack_data",
	  { E6, IPV6(IPPROTO_TCP), TCP(EPH, 22, ACK | 0x08), DATA(100) },
	  .class = VMGW_CLASS_TCP, .sport = EPH, .dport = 22 },
	{ "tcp_dns_query", { E4, IPV4(IPPROTO_TCP), TCP(EPH, 53, ACK) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53 },
	{ "tcp_dns_reply_v6", { E6, IPV6(IPPROTO_TCP), TCP(53, EPH, ACK) },
	  .class = VMGW_CLASS_DNS, .sport = 53, .dport = EPH },
	{ "udp53_v4", { E4, IPV4(IPPROTO_UDP), UDP(EPH, 53), DATA(30) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53,
	  .l3_off = 14, .l4_off = 34 },
	{ "udp53_v6", { E6, IPV6(IPPROTO_UDP), UDP(EPH, 53), DATA(30) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53,
	  .l3_off = 14, .l4_off = 54 },
	{ "udp53_reply", { E4, IPV4(IPPROTO_UDP), UDP(53, EPH), DATA(30) },
	  .class = VMGW_CLASS_DNS, .sport = 53, .dport = EPH },
	{ "udp9999_v4", { E4, IPV4(IPPROTO_UDP), UDP(EPH, 9999) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999 },
	{ "udp9999_v6", { E6, IPV6(IPPROTO_UDP), UDP(EPH, 9999), DATA(1) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999 },
	{ "dhcp_v4_discover", { E4, IPV4(IPPROTO_UDP), UDP(68, 67), DATA(240) },
	  .class = VMGW_CLASS_DHCP, .sport = 68, .dport = 67 },
	{ "dhcp_v4_to_client", { E4, IPV4(IPPROTO_UDP), UDP(67, 68) },
	  .class = VMGW_CLASS_DHCP, .sport = 67, .dport = 68 },
	{ "dhcp_v6_solicit", { E6, IPV6(IPPROTO_UDP), UDP(546, 547), DATA(4) },
	  .class = VMGW_CLASS_DHCP, .sport = 546, .dport = 547 },
	{ "dhcpv6_ports_over_v4", { E4, IPV4(IPPROTO_UDP), UDP(546, 547) },
	  .class = VMGW_CLASS_UDP, .sport = 546, .dport = 547 },
	{ "dhcpv4_ports_over_v6", { E6, IPV6(IPPROTO_UDP), UDP(68, 67) },
	  .class = VMGW_CLASS_UDP, .sport = 68, .dport = 67 },
	{ "dns_src_to_dhcp_dst", { E4, IPV4(IPPROTO_UDP), UDP(53, 67) },
	  .class = VMGW_CLASS_DHCP, .sport = 53, .dport = 67 },
	{ "icmp_echo", { E4, IPV4(IPPROTO_ICMP), ICMP(8), DATA(56) },
	  .class = VMGW_CLASS_ICMP },
	{ "icmpv6_echo", { E6, IPV6(IPPROTO_ICMPV6), ICMP(128) },
	  .class = VMGW_CLASS_ICMPV6 },
	{ "icmpv6_mld_132", { E6, IPV6(IPPROTO_ICMPV6), ICMP(132) },
	  .class = VMGW_CLASS_ICMPV6 },
	{ "icmpv6_138", { E6, IPV6(IPPROTO_ICMPV6), ICMP(138) },
	  .class = VMGW_CLASS_ICMPV6 },
	{ "ndp_rs_133", { E6, IPV6(IPPROTO_ICMPV6), ICMP(133) },
	  .class = VMGW_CLASS_NDP },
	{ "ndp_ns_135", { E6, IPV6(IPPROTO_ICMPV6), ICMP(135), DATA(16) },
	  .class = VMGW_CLASS_NDP },
	{ "ndp_redirect_137", { E6, IPV6(IPPROTO_ICMPV6), ICMP(137) },
	  .class = VMGW_CLASS_NDP },
	{ "ndp_behind_hbh", { E6, IPV6(0), EXT(0, IPPROTO_ICMPV6, 0),
	  ICMP(135), DATA(16) },
	  .class = VMGW_CLASS_NDP, .l4_off = 62 },
	{ "ndp_in_atomic_fragment_is_icmpv6",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_ICMPV6, 0), ICMP(135),
	    DATA(16) },
	  .class = VMGW_CLASS_ICMPV6 },
	{ "vlan_udp",
	  { ETH(ETH_P_8021Q), VLAN(100, ETH_P_IP), IPV4(IPPROTO_UDP),
	    UDP(EPH, 9999) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999,
	  .l3_off = 18, .l4_off = 38 },
	{ "vlan_udp53_v6",
	  { ETH(ETH_P_8021Q), VLAN(100, ETH_P_IPV6), IPV6(IPPROTO_UDP),
	    UDP(EPH, 53) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53,
	  .l3_off = 18, .l4_off = 58 },
	{ "ethernet_padding",
	  { E4, IPV4(IPPROTO_UDP), UDP(EPH, 9999), DATA(2) }, .pad = 16,
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999 },
	{ "ipv4_options",
	  { E4, IPV4X(IPPROTO_UDP, 15, 0), UDP(EPH, 53) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53, .l4_off = 74 },
	{ "ipv6_hbh_rt_dst_udp53",
	  { E6, IPV6(IPPROTO_HOPOPTS), EXT(IPPROTO_HOPOPTS, IPPROTO_ROUTING, 0),
	    EXT(IPPROTO_ROUTING, IPPROTO_DSTOPTS, 2), DST(IPPROTO_UDP),
	    UDP(EPH, 53) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53, .l4_off = 94 },
	{ "ipv6_8_exthdrs",
	  { E6, IPV6(IPPROTO_HOPOPTS), EXT(IPPROTO_HOPOPTS, 60, 0),
	    DST(60), DST(60), DST(60), DST(60), DST(60), DST(60),
	    DST(IPPROTO_UDP), UDP(EPH, 53) },
	  .class = VMGW_CLASS_DNS, .sport = EPH, .dport = 53, .l4_off = 118 },
	{ "ipv6_ah_tcp",
	  { E6, IPV6(IPPROTO_AH), EXT(IPPROTO_AH, IPPROTO_TCP, 4),
	    TCP(EPH, 443, SYN) },
	  .class = VMGW_CLASS_TCP_SYN, .sport = EPH, .dport = 443,
	  .l4_off = 78 },
	{ "ipv6_long_exthdr_in_view",
	  { E6, IPV6(60), EXT(60, IPPROTO_UDP, 15), UDP(EPH, 9999) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999,
	  .l4_off = 182 },
	{ "tcp_options",
	  { E4, IPV4(IPPROTO_TCP), TCP(EPH, 443, ACK), DATA(40) },
	  { PK1(L4, 12, 15 << 4) },
	  .class = VMGW_CLASS_TCP, .sport = EPH, .dport = 443 },
	{ "frame_longer_than_view",
	  { E4, IPV4(IPPROTO_UDP), UDP(EPH, 9999), DATA(1400) },
	  .class = VMGW_CLASS_UDP, .sport = EPH, .dport = 9999 },

	/* Every malformed reason. */
	{ "empty", { }, .why = VMGW_MAL_TRUNCATED_ETH },
	{ "eth_13_bytes", { E4 }, .cut = 13, .why = VMGW_MAL_TRUNCATED_ETH },
	{ "vlan_tag_cut", { ETH(ETH_P_8021Q), VLAN(1, ETH_P_IP) }, .cut = 17,
	  .why = VMGW_MAL_TRUNCATED_ETH },
	{ "qinq_8100_in_8100",
	  { ETH(ETH_P_8021Q), VLAN(1, ETH_P_8021Q), VLAN(2, ETH_P_IP),
	    IPV4(IPPROTO_UDP), UDP(EPH, 53) },
	  .why = VMGW_MAL_QINQ },
	{ "qinq_88a8_in_8100",
	  { ETH(ETH_P_8021Q), VLAN(1, ETH_P_8021AD), VLAN(2, ETH_P_IP),
	    IPV4(IPPROTO_UDP), UDP(EPH, 53) },
	  .why = VMGW_MAL_QINQ },
	{ "qinq_88a8_outer",
	  { ETH(ETH_P_8021AD), VLAN(1, ETH_P_8021Q), VLAN(2, ETH_P_IP),
	    IPV4(IPPROTO_UDP), UDP(EPH, 53) },
	  .why = VMGW_MAL_QINQ },
	{ "ipv4_19_bytes", { E4, DATA(19) }, .why = VMGW_MAL_TRUNCATED_L3 },
	{ "ipv6_39_bytes", { E6, DATA(39) }, .why = VMGW_MAL_TRUNCATED_L3 },
	{ "ipv4_ethertype_version_6",
	  { E4, IPV6(IPPROTO_UDP), UDP(EPH, 53) },
	  .why = VMGW_MAL_BAD_IP_VERSION },
	{ "ipv6_ethertype_version_4",
	  { E6, IPV4(IPPROTO_UDP), UDP(EPH, 53), DATA(20) },
	  .why = VMGW_MAL_BAD_IP_VERSION },
	{ "ihl_4", { E4, IPV4X(IPPROTO_UDP, 4, 0), UDP(EPH, 53) },
	  .why = VMGW_MAL_BAD_IHL },
	{ "ihl_0", { E4, IPV4X(IPPROTO_UDP, 0, 0), UDP(EPH, 53) },
	  { PK1(L3, 0, 0x40) },
	  .why = VMGW_MAL_BAD_IHL },
	{ "ipv4_options_overrun_frame",
	  { E4, IPV4(IPPROTO_UDP), UDP(EPH, 53), DATA(12) },
	  { PK1(L3, 0, 0x4f) },
	  .why = VMGW_MAL_BAD_IHL },
	{ "ipv4_total_length_beyond_frame",
	  { E4, IPV4(IPPROTO_UDP), UDP(EPH, 53), DATA(12) },
	  { PK2(L3, 2, 41) },
	  .why = VMGW_MAL_IP_LEN },
	{ "ipv4_total_length_below_header",
	  { E4, IPV4X(IPPROTO_UDP, 6, 0), UDP(EPH, 53) },
	  { PK2(L3, 2, 20) },
	  .why = VMGW_MAL_IP_LEN },
	{ "ipv6_payload_beyond_frame",
	  { E6, IPV6(IPPROTO_UDP), UDP(EPH, 53) },
	  { PK2(L3, 4, 9) },
	  .why = VMGW_MAL_IP_LEN },
	{ "ipv6_9_exthdrs",
	  { E6, IPV6(IPPROTO_HOPOPTS), EXT(IPPROTO_HOPOPTS, 60, 0),
	    DST(60), DST(60), DST(60), DST(60), DST(60), DST(60), DST(60),
	    DST(IPPROTO_UDP), UDP(EPH, 53) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "ipv6_hbh_not_first",
	  { E6, IPV6(60), DST(IPPROTO_HOPOPTS),
	    EXT(IPPROTO_HOPOPTS, IPPROTO_UDP, 0), UDP(EPH, 53) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "ipv6_exthdr_past_payload",
	  { E6, IPV6(60), DST(IPPROTO_UDP), DATA(8) },
	  { PK1(L3, 41, 5) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "ipv6_exthdr_missing",
	  { E6, IPV6(IPPROTO_ROUTING) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "ipv6_jumbo_hbh",
	  { E6, IPV6(IPPROTO_HOPOPTS), EXT(IPPROTO_HOPOPTS, IPPROTO_UDP, 0),
	    UDP(EPH, 53) },
	  { PK2(L3, 4, 0) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "ipv6_l4_beyond_view",
	  { E6, IPV6(60), EXT(60, IPPROTO_UDP, 31), UDP(EPH, 53) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "ipv6_exthdr_beyond_view",
	  { E6, IPV6(60), EXT(60, 60, 31), DST(IPPROTO_UDP), UDP(EPH, 53) },
	  .why = VMGW_MAL_EXTHDR_CHAIN },
	{ "udp_7_bytes_v4", { E4, IPV4(IPPROTO_UDP), DATA(7) },
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "udp_7_bytes_v6", { E6, IPV6(IPPROTO_UDP), DATA(7) },
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "udp_header_in_padding", { E4, IPV4(IPPROTO_UDP) }, .pad = 26,
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "tcp_19_bytes", { E4, IPV4(IPPROTO_TCP), DATA(19) },
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "icmp_7_bytes", { E4, IPV4(IPPROTO_ICMP), DATA(7) },
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "icmpv6_4_bytes", { E6, IPV6(IPPROTO_ICMPV6), DATA(4) },
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "ipv4_tiny_first_fragment",
	  { E4, IPV4X(IPPROTO_TCP, 5, MF4), DATA(8) },
	  .why = VMGW_MAL_TRUNCATED_L4 },
	{ "tcp_doff_4", { E4, IPV4(IPPROTO_TCP), TCP(EPH, 80, ACK) },
	  { PK1(L4, 12, 4 << 4) },
	  .why = VMGW_MAL_BAD_TCP_DOFF },
	{ "tcp_doff_past_payload",
	  { E6, IPV6(IPPROTO_TCP), TCP(EPH, 80, ACK), DATA(39) },
	  { PK1(L4, 12, 15 << 4) },
	  .why = VMGW_MAL_BAD_TCP_DOFF },
	{ "arp_27_bytes", { ETH(ETH_P_ARP), ARP() }, .cut = 41,
	  .why = VMGW_MAL_TRUNCATED_ARP },
	{ "arp_for_ipv6", { ETH(ETH_P_ARP), ARP() }, { PK2(L3, 2, 0x86dd) },
	  .why = VMGW_MAL_BAD_ARP },
	{ "arp_hlen_8", { ETH(ETH_P_ARP), ARP() }, { PK1(ABS, 18, 8) },
	  .why = VMGW_MAL_BAD_ARP },
	{ "udp_length_7", { E4, IPV4(IPPROTO_UDP), UDP(EPH, 53) },
	  { PK2(L4, 4, 7) },
	  .why = VMGW_MAL_UDP_LEN },
	{ "udp_length_beyond_payload",
	  { E6, IPV6(IPPROTO_UDP), UDP(EPH, 53), DATA(10) },
	  { PK2(L4, 4, 19) },
	  .why = VMGW_MAL_UDP_LEN },
	{ "ipv4_ping_of_death",
	  { E4, IPV4X(IPPROTO_ICMP, 5, 8189), DATA(64) },
	  .why = VMGW_MAL_BAD_FRAG },
	{ "ipv4_tcp_fragment_at_8",
	  { E4, IPV4X(IPPROTO_TCP, 5, 1), DATA(32) },
	  .why = VMGW_MAL_BAD_FRAG },
	{ "ipv6_two_fragment_headers",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_FRAGMENT, 0),
	    FRAG6(IPPROTO_UDP, 8), UDP(EPH, 53) },
	  .why = VMGW_MAL_BAD_FRAG },
	{ "ipv6_nonlast_fragment_odd_size",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_UDP, 1),
	    UDP(EPH, 53), DATA(3) },
	  .why = VMGW_MAL_BAD_FRAG },
	{ "ipv6_fragment_past_65535",
	  { E6, IPV6(IPPROTO_FRAGMENT), FRAG6(IPPROTO_UDP, 65528),
	    DATA(16) },
	  .why = VMGW_MAL_BAD_FRAG },
	{ "tcp_syn_fin", { E4, IPV4(IPPROTO_TCP), TCP(EPH, 80, SYN | 0x01) },
	  .why = VMGW_MAL_TCP_FLAGS },
	{ "tcp_syn_rst", { E6, IPV6(IPPROTO_TCP), TCP(EPH, 80, SYN | 0x04) },
	  .why = VMGW_MAL_TCP_FLAGS },
};

static void vmgw_cls_case_desc(const struct vmgw_cls_case *tc, char *desc)
{
	strscpy(desc, tc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vmgw_cls, vmgw_cls_cases, vmgw_cls_case_desc);

/* What must hold for any input, valid or not. */
static void vmgw_cls_invariants(struct kunit *test,
				const struct vmgw_frame_info *info,
				unsigned int view_len, unsigned int frame_len)
{
	KUNIT_ASSERT_LT(test, info->class, VMGW_CLASS_MAX);
	KUNIT_ASSERT_LT(test, info->why, VMGW_MAL_MAX);
	KUNIT_EXPECT_EQ(test, info->class == VMGW_CLASS_MALFORMED,
			info->why != VMGW_MAL_NONE);
	KUNIT_EXPECT_LE(test, info->l3_off, frame_len);
	KUNIT_EXPECT_LE(test, info->l4_off, frame_len);
	switch (info->class) {
	case VMGW_CLASS_TCP_SYN:
	case VMGW_CLASS_TCP:
	case VMGW_CLASS_DNS:
	case VMGW_CLASS_DHCP:
	case VMGW_CLASS_UDP:
	case VMGW_CLASS_ICMP:
	case VMGW_CLASS_ICMPV6:
	case VMGW_CLASS_NDP:
		KUNIT_EXPECT_LE(test, info->l4_off + 8, view_len);
		KUNIT_EXPECT_GE(test, info->l4_off, info->l3_off + 20);
		break;
	default:
		break;
	}
}

/*
 * Classify @len bytes of @frame (with @frame_len >= @len the frame's real
 * length) from an allocation of exactly the view's size.
 */
static enum vmgw_class vmgw_cls_run(struct kunit *test, const u8 *frame,
				    unsigned int len, unsigned int frame_len,
				    struct vmgw_frame_info *info)
{
	unsigned int view_len = vmgw_classify_view_len(len);
	enum vmgw_class class;
	u8 *view;

	view = kunit_kmalloc(test, view_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, view);
	memcpy(view, frame, view_len);
	class = vmgw_classify(view, view_len, frame_len, info);
	kunit_kfree(test, view);
	KUNIT_EXPECT_EQ(test, class, info->class);
	vmgw_cls_invariants(test, info, view_len, frame_len);
	return class;
}

static struct fb *vmgw_cls_fb(struct kunit *test)
{
	struct fb *fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fb);
	return fb;
}

static void vmgw_classify_test_table(struct kunit *test)
{
	const struct vmgw_cls_case *tc = test->param_value;
	struct fb *fb = vmgw_cls_fb(test);
	struct vmgw_frame_info info;

	fb_build(fb, tc);
	vmgw_cls_run(test, fb->buf, fb->len, fb->len, &info);
	KUNIT_EXPECT_STREQ(test, vmgw_class_names[info.class],
			   vmgw_class_names[tc->class]);
	KUNIT_EXPECT_STREQ(test, vmgw_malformed_names[info.why],
			   vmgw_malformed_names[tc->why]);
	if (tc->why)
		return;
	KUNIT_EXPECT_EQ(test, info.sport, tc->sport);
	KUNIT_EXPECT_EQ(test, info.dport, tc->dport);
	if (tc->l3_off)
		KUNIT_EXPECT_EQ(test, info.l3_off, tc->l3_off);
	if (tc->l4_off)
		KUNIT_EXPECT_EQ(test, info.l4_off, tc->l4_off);
}

/* The table exercises every class and every malformed reason. */
static void vmgw_classify_test_coverage(struct kunit *test)
{
	bool why_seen[VMGW_MAL_MAX] = { };
	bool seen[VMGW_CLASS_MAX] = { };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmgw_cls_cases); i++) {
		seen[vmgw_cls_cases[i].class] = true;
		why_seen[vmgw_cls_cases[i].why] = true;
	}
	for (i = 0; i < VMGW_CLASS_MAX; i++)
		KUNIT_EXPECT_TRUE_MSG(test, seen[i], "no case for class %s",
				      vmgw_class_names[i]);
	for (i = 0; i < VMGW_MAL_MAX; i++)
		KUNIT_EXPECT_TRUE_MSG(test, why_seen[i], "no case for %s",
				      vmgw_malformed_names[i]);
}

static const struct vmgw_cls_case *vmgw_cls_find(struct kunit *test,
						 const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmgw_cls_cases); i++)
		if (!strcmp(vmgw_cls_cases[i].name, name))
			return &vmgw_cls_cases[i];
	KUNIT_ASSERT_TRUE_MSG(test, false, "no case %s", name);
	return NULL;
}

/* Build case @name and classify it. */
static void vmgw_cls_named(struct kunit *test, const char *name,
			   struct vmgw_frame_info *info)
{
	struct fb *fb = vmgw_cls_fb(test);

	fb_build(fb, vmgw_cls_find(test, name));
	vmgw_cls_run(test, fb->buf, fb->len, fb->len, info);
}

static void vmgw_classify_test_fields(struct kunit *test)
{
	struct vmgw_frame_info info;

	vmgw_cls_named(test, "vlan_udp53_v6", &info);
	KUNIT_EXPECT_EQ(test, info.class, VMGW_CLASS_DNS);
	KUNIT_EXPECT_TRUE(test, info.vlan);
	KUNIT_EXPECT_EQ(test, info.vlan_tci, 100);
	KUNIT_EXPECT_EQ(test, info.ethertype, ETH_P_IPV6);
	KUNIT_EXPECT_EQ(test, info.ip_version, 6);
	KUNIT_EXPECT_EQ(test, info.l4_proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, memcmp(info.saddr, fb_saddr6, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(info.daddr, fb_daddr6, 16), 0);
	KUNIT_EXPECT_FALSE(test, info.frag_first);

	vmgw_cls_named(test, "tcp_syn_v4", &info);
	KUNIT_EXPECT_FALSE(test, info.vlan);
	KUNIT_EXPECT_EQ(test, info.ethertype, ETH_P_IP);
	KUNIT_EXPECT_EQ(test, info.ip_version, 4);
	KUNIT_EXPECT_EQ(test, info.l4_proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, info.tcp_flags, SYN);
	KUNIT_EXPECT_EQ(test, memcmp(info.saddr, fb_saddr4, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(info.daddr, fb_daddr4, 4), 0);

	vmgw_cls_named(test, "ndp_ns_135", &info);
	KUNIT_EXPECT_EQ(test, info.icmp_type, 135);
	KUNIT_EXPECT_EQ(test, info.l4_proto, IPPROTO_ICMPV6);

	vmgw_cls_named(test, "ipv4_first_fragment_udp", &info);
	KUNIT_EXPECT_TRUE(test, info.frag_first);
	vmgw_cls_named(test, "ipv6_first_fragment_udp", &info);
	KUNIT_EXPECT_TRUE(test, info.frag_first);
	vmgw_cls_named(test, "ipv6_atomic_fragment", &info);
	KUNIT_EXPECT_FALSE(test, info.frag_first);

	vmgw_cls_named(test, "ipv6_fragment_udp53_lookalike", &info);
	KUNIT_EXPECT_EQ(test, info.l4_proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, info.sport, 0);
	KUNIT_EXPECT_EQ(test, info.dport, 0);
	KUNIT_EXPECT_FALSE(test, info.frag_first);

	vmgw_cls_named(test, "arp", &info);
	KUNIT_EXPECT_EQ(test, info.ethertype, ETH_P_ARP);
	KUNIT_EXPECT_EQ(test, info.ip_version, 0);
	KUNIT_EXPECT_EQ(test, memcmp(info.saddr, fb_saddr4, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(info.daddr, fb_daddr4, 4), 0);

	vmgw_cls_named(test, "ipv6_esp", &info);
	KUNIT_EXPECT_EQ(test, info.l4_proto, IPPROTO_ESP);
}

/*
 * Cut a valid frame at every length. Lengths from the full frame: every
 * shorter frame is malformed. Lengths made to match the cut: every frame
 * shorter than its headers still is.
 */
static void vmgw_cls_cut_all(struct kunit *test, const char *name,
			     unsigned int hdr_end)
{
	const struct vmgw_cls_case *tc = vmgw_cls_find(test, name);
	struct fb *fb = vmgw_cls_fb(test);
	struct vmgw_frame_info info;
	unsigned int full, len;

	fb_build(fb, tc);
	full = fb->len;
	KUNIT_ASSERT_LE(test, hdr_end, full);
	for (len = 0; len < full; len++) {
		fb_fix_lengths(fb, full, true);
		vmgw_cls_run(test, fb->buf, len, len, &info);
		KUNIT_EXPECT_EQ_MSG(test, info.class, VMGW_CLASS_MALFORMED,
				    "%s cut to %u", name, len);
		fb_fix_lengths(fb, len, false);
		vmgw_cls_run(test, fb->buf, len, len, &info);
		if (len < hdr_end)
			KUNIT_EXPECT_EQ_MSG(test, info.class,
					    VMGW_CLASS_MALFORMED,
					    "%s cut to %u, lengths fixed",
					    name, len);
	}
	fb_fix_lengths(fb, full, true);
	KUNIT_EXPECT_EQ(test, vmgw_cls_run(test, fb->buf, full, full, &info),
			tc->class);
}

static void vmgw_classify_test_truncation(struct kunit *test)
{
	const struct vmgw_cls_case *tc = vmgw_cls_find(test, "udp53_v4");
	struct fb *fb = vmgw_cls_fb(test);
	struct vmgw_frame_info info;
	unsigned int len;

	vmgw_cls_cut_all(test, "udp53_v4", 42);
	vmgw_cls_cut_all(test, "udp53_v6", 62);
	vmgw_cls_cut_all(test, "vlan_udp", 46);
	vmgw_cls_cut_all(test, "tcp_syn_v4", 54);
	vmgw_cls_cut_all(test, "tcp_ack_data", 74);
	vmgw_cls_cut_all(test, "ipv6_8_exthdrs", 126);
	vmgw_cls_cut_all(test, "ipv6_first_fragment_udp", 70);
	vmgw_cls_cut_all(test, "ndp_ns_135", 62);
	vmgw_cls_cut_all(test, "arp", 42);

	/* IPv4 UDP with consistent IP lengths: each layer fails in turn. */
	fb_build(fb, tc);
	for (len = 0; len < fb->len; len++) {
		enum vmgw_malformed why = VMGW_MAL_UDP_LEN;

		if (len < 14)
			why = VMGW_MAL_TRUNCATED_ETH;
		else if (len < 34)
			why = VMGW_MAL_TRUNCATED_L3;
		else if (len < 42)
			why = VMGW_MAL_TRUNCATED_L4;
		fb_fix_lengths(fb, len, false);
		vmgw_cls_run(test, fb->buf, len, len, &info);
		KUNIT_EXPECT_EQ_MSG(test, info.why, why, "cut to %u", len);
	}
}

/* Bytes past the view, or past the frame, are never used. */
static void vmgw_classify_test_view(struct kunit *test)
{
	const struct vmgw_cls_case *tc = vmgw_cls_find(test, "udp53_v4");
	struct fb *fb = vmgw_cls_fb(test);
	struct vmgw_frame_info info;
	unsigned int len;

	fb_build(fb, tc);
	/* A view shorter than the headers, the frame being complete. */
	for (len = 0; len < 42; len++) {
		vmgw_cls_run(test, fb->buf, len, fb->len, &info);
		KUNIT_EXPECT_EQ_MSG(test, info.class, VMGW_CLASS_MALFORMED,
				    "view %u", len);
	}
	/* A view longer than the frame: the frame length wins. */
	KUNIT_EXPECT_EQ(test, vmgw_classify(fb->buf, fb->len, 40, &info),
			VMGW_CLASS_MALFORMED);
	KUNIT_EXPECT_EQ(test, vmgw_classify(fb->buf, FB_SIZE, fb->len, &info),
			VMGW_CLASS_DNS);
	/* More than VMGW_CLASSIFY_VIEW bytes are never looked at. */
	fb_build(fb, vmgw_cls_find(test, "ipv6_l4_beyond_view"));
	KUNIT_EXPECT_EQ(test, vmgw_classify(fb->buf, FB_SIZE, fb->len, &info),
			VMGW_CLASS_MALFORMED);
	KUNIT_EXPECT_EQ(test, info.why, VMGW_MAL_EXTHDR_CHAIN);
	KUNIT_EXPECT_EQ(test, vmgw_classify_view_len(60), 60);
	KUNIT_EXPECT_EQ(test, vmgw_classify_view_len(1514), VMGW_CLASSIFY_VIEW);
}

static u32 vmgw_cls_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Mutated table frames, cut and lengthened at random: invariants only. */
static void vmgw_classify_test_mutations(struct kunit *test)
{
	struct fb *fb = vmgw_cls_fb(test);
	struct vmgw_frame_info info;
	u32 seed = 0x766d6777;
	int i, j;

	for (i = 0; i < 20000; i++) {
		u32 r = vmgw_cls_rand(&seed);
		unsigned int len, frame_len;

		fb_build(fb, &vmgw_cls_cases[r % ARRAY_SIZE(vmgw_cls_cases)]);
		for (j = r >> 28; j >= 0 && fb->len; j--) {
			r = vmgw_cls_rand(&seed);
			fb->buf[(r >> 8) % fb->len] = r;
		}
		r = vmgw_cls_rand(&seed);
		len = (r & 1) ? fb->len : (r >> 1) % (fb->len + 1);
		frame_len = len + ((r & 2) ? (r >> 20) : 0);
		vmgw_cls_run(test, fb->buf, len, frame_len, &info);
	}
}

static void vmgw_cls_check_names(struct kunit *test, const char * const *names,
				 int n, const char *prefix)
{
	int i, j;

	for (i = 0; i < n; i++) {
		const char *s = names[i];
		size_t len;

		KUNIT_ASSERT_NOT_NULL_MSG(test, s, "%s%d has no name", prefix, i);
		len = strlen(s);
		KUNIT_EXPECT_GT(test, len, 0);
		KUNIT_EXPECT_LT(test, len, 20);
		KUNIT_EXPECT_LT_MSG(test, strlen(prefix) + len, ETH_GSTRING_LEN,
				    "%s%s too long for ethtool", prefix, s);
		for (j = 0; s[j]; j++)
			KUNIT_EXPECT_TRUE_MSG(test, (s[j] >= 'a' && s[j] <= 'z') ||
					      (s[j] >= '0' && s[j] <= '9') ||
					      s[j] == '_', "bad char in %s", s);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, s, names[j]);
	}
}

static void vmgw_classify_test_names(struct kunit *test)
{
	vmgw_cls_check_names(test, vmgw_class_names, VMGW_CLASS_MAX,
			     "rx_class_");
	vmgw_cls_check_names(test, vmgw_malformed_names, VMGW_MAL_MAX,
			     "rx_drop_malformed_");
}

static struct kunit_case vmgw_classify_test_cases[] = {
	KUNIT_CASE_PARAM(vmgw_classify_test_table, vmgw_cls_gen_params),
	KUNIT_CASE(vmgw_classify_test_coverage),
	KUNIT_CASE(vmgw_classify_test_fields),
	KUNIT_CASE(vmgw_classify_test_truncation),
	KUNIT_CASE(vmgw_classify_test_view),
	KUNIT_CASE(vmgw_classify_test_mutations),
	KUNIT_CASE(vmgw_classify_test_names),
	{}
};

static struct kunit_suite vmgw_classify_test_suite = {
	.name = "vmgw_classify",
	.test_cases = vmgw_classify_test_cases,
};

kunit_test_suite(vmgw_classify_test_suite);
