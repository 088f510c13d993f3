// SPDX-License-Identifier: GPL-2.0
/*
 * classify-cost CLASS N: classify one typical frame of CLASS N times with
 * the userspace build of drivers/net/vmgw/classify.c, for
 * "valgrind --tool=callgrind --toggle-collect=vmgw_classify": the
 * instructions collected, divided by N, are the cost of one frame.
 * "classify-cost list" prints the class names it has frames for.
 * Exits 1 when the classifier does not give the frame its class.
 */
#include <stdio.h>
#include <stdlib.h>

#include "classify.h"

struct frame {
	u8 b[256];
	unsigned int len, l3, l4;
};

static u8 *put(struct frame *f, unsigned int n)
{
	u8 *p = f->b + f->len;

	memset(p, 0, n);
	f->len += n;
	return p;
}

static void be16(u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void eth(struct frame *f, unsigned int type, bool vlan)
{
	u8 *p = put(f, ETH_HLEN);

	p[0] = 0x02;
	p[6] = 0x02;
	p[11] = 0x15;
	if (vlan) {
		be16(p + 12, ETH_P_8021Q);
		p = put(f, 4);
		be16(p, 10);
		be16(p + 2, type);
	} else {
		be16(p + 12, type);
	}
	f->l3 = f->len;
}

static void ip4(struct frame *f, u8 proto)
{
	u8 *p = put(f, 20);

	p[0] = 0x45;
	p[8] = 64;
	p[9] = proto;
	p[12] = 10;
	p[15] = 15;
	p[16] = 93;
	p[19] = 1;
	f->l4 = f->len;
}

static void ip6(struct frame *f, u8 next)
{
	u8 *p = put(f, 40);

	p[0] = 0x60;
	p[6] = next;
	p[7] = 64;
	p[8] = 0xfd;
	p[23] = 0x15;
	p[24] = 0x20;
	p[25] = 0x01;
	p[39] = 1;
	f->l4 = f->len;
}

/* An L4 header of @hlen bytes with two 16-bit fields, then @payload. */
static void l4(struct frame *f, unsigned int hlen, unsigned int a,
	       unsigned int b, unsigned int payload)
{
	u8 *p = put(f, hlen);

	be16(p, a);
	be16(p + 2, b);
	put(f, payload);
}

/* Fix up the lengths of the IP and UDP headers once the frame is built. */
static void finish(struct frame *f, bool udp)
{
	u8 *ip = f->b + f->l3;

	if ((ip[0] >> 4) == 4)
		be16(ip + 2, f->len - f->l3);
	else
		be16(ip + 4, f->len - f->l3 - 40);
	if (udp)
		be16(f->b + f->l4 + 4, f->len - f->l4);
}

static void tcp(struct frame *f, bool v6, u8 flags)
{
	if (v6)
		ip6(f, IPPROTO_TCP);
	else
		ip4(f, IPPROTO_TCP);
	l4(f, 20, 40000, 443, 0);
	f->b[f->l4 + 12] = 5 << 4;
	f->b[f->l4 + 13] = flags;
	finish(f, false);
}

static void udp(struct frame *f, bool v6, unsigned int sport,
		unsigned int dport)
{
	if (v6)
		ip6(f, IPPROTO_UDP);
	else
		ip4(f, IPPROTO_UDP);
	l4(f, 8, sport, dport, 22);
	finish(f, true);
}

static bool build(const char *name, struct frame *f)
{
	u8 *p;

	memset(f, 0, sizeof(*f));
	if (!strcmp(name, "arp")) {
		eth(f, ETH_P_ARP, false);
		p = put(f, 28);
		be16(p, 1);
		be16(p + 2, ETH_P_IP);
		p[4] = 6;
		p[5] = 4;
		p[7] = 1;
	} else if (!strcmp(name, "tcp_syn")) {
		eth(f, ETH_P_IP, false);
		tcp(f, false, 0x02);
	} else if (!strcmp(name, "tcp")) {
		eth(f, ETH_P_IP, false);
		tcp(f, false, 0x10);
	} else if (!strcmp(name, "tcp6")) {
		eth(f, ETH_P_IPV6, false);
		tcp(f, true, 0x10);
	} else if (!strcmp(name, "dns")) {
		eth(f, ETH_P_IP, false);
		udp(f, false, 40000, VMGW_PORT_DNS);
	} else if (!strcmp(name, "dhcp")) {
		eth(f, ETH_P_IP, false);
		udp(f, false, VMGW_PORT_DHCP_CLIENT, VMGW_PORT_DHCP_SERVER);
	} else if (!strcmp(name, "udp")) {
		eth(f, ETH_P_IP, false);
		udp(f, false, 40000, 9999);
	} else if (!strcmp(name, "udp_vlan")) {
		eth(f, ETH_P_IP, true);
		udp(f, false, 40000, 9999);
	} else if (!strcmp(name, "udp6_exthdrs")) {
		/* hop-by-hop and destination options before UDP */
		eth(f, ETH_P_IPV6, false);
		ip6(f, IPPROTO_HOPOPTS);
		p = put(f, 16);
		p[0] = IPPROTO_DSTOPTS;
		p[8] = IPPROTO_UDP;
		f->l4 = f->len;
		l4(f, 8, 40000, 9999, 22);
		finish(f, true);
	} else if (!strcmp(name, "icmp")) {
		eth(f, ETH_P_IP, false);
		ip4(f, IPPROTO_ICMP);
		l4(f, 8, 8 << 8, 0, 56);
		finish(f, false);
	} else if (!strcmp(name, "ndp")) {
		eth(f, ETH_P_IPV6, false);
		ip6(f, IPPROTO_ICMPV6);
		f->b[f->l3 + 7] = 255;
		l4(f, 24, 135 << 8, 0, 0);
		finish(f, false);
	} else if (!strcmp(name, "fragment")) {
		eth(f, ETH_P_IP, false);
		ip4(f, IPPROTO_UDP);
		be16(f->b + f->l3 + 6, 185);
		put(f, 100);
		finish(f, false);
	} else if (!strcmp(name, "other_ethertype")) {
		eth(f, 0x88b5, false);
		put(f, 46);
	} else if (!strcmp(name, "malformed")) {
		/* IPv4 with an IHL below 5 */
		eth(f, ETH_P_IP, false);
		ip4(f, IPPROTO_UDP);
		f->b[f->l3] = 0x44;
		l4(f, 8, 40000, 53, 22);
		finish(f, true);
	} else {
		return false;
	}
	return true;
}

static const struct {
	const char *name;
	enum vmgw_class class;
} cases[] = {
	{ "arp", VMGW_CLASS_ARP },
	{ "tcp_syn", VMGW_CLASS_TCP_SYN },
	{ "tcp", VMGW_CLASS_TCP },
	{ "tcp6", VMGW_CLASS_TCP },
	{ "dns", VMGW_CLASS_DNS },
	{ "dhcp", VMGW_CLASS_DHCP },
	{ "udp", VMGW_CLASS_UDP },
	{ "udp_vlan", VMGW_CLASS_UDP },
	{ "udp6_exthdrs", VMGW_CLASS_UDP },
	{ "icmp", VMGW_CLASS_ICMP },
	{ "ndp", VMGW_CLASS_NDP },
	{ "fragment", VMGW_CLASS_FRAGMENT },
	{ "other_ethertype", VMGW_CLASS_OTHER_ETHERTYPE },
	{ "malformed", VMGW_CLASS_MALFORMED },
};

int main(int argc, char **argv)
{
	struct vmgw_frame_info fi;
	unsigned long i, n;
	struct frame f;
	unsigned int c;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			printf("%s\n", cases[c].name);
		return 0;
	}
	if (argc != 3 || !build(argv[1], &f)) {
		fprintf(stderr, "usage: classify-cost list | CLASS N\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	for (c = 0; strcmp(cases[c].name, argv[1]); c++)
		;
	for (i = 0; i < n; i++) {
		if (vmgw_classify(f.b, vmgw_classify_view_len(f.len), f.len,
				  &fi) != cases[c].class) {
			fprintf(stderr, "classify-cost: %s classified as %s (%s)\n",
				argv[1], vmgw_class_names[fi.class],
				vmgw_malformed_names[fi.why]);
			return 1;
		}
	}
	return 0;
}
