// SPDX-License-Identifier: GPL-2.0
/*
 * classify-check [ITERATIONS [SEED]]: run the vmgw classifier in userspace.
 * A few known frames must get their class; then ITERATIONS mutated, cut and
 * random frames must keep the invariants, each classified from a heap copy
 * of exactly the view's size so that ASan reports any read past it.
 * Prints a class histogram; exits non-zero on the first failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "classify.h"

#define BUF_SIZE	2048

struct frame {
	u8 buf[BUF_SIZE];
	unsigned int len;
	unsigned int l3, l4;
};

static u32 rng_state;

static u32 rng(void)
{
	u32 x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng_state = x;
	return x;
}

static void put16(u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static u8 *put(struct frame *f, unsigned int n)
{
	u8 *p = f->buf + f->len;

	memset(p, 0, n);
	f->len += n;
	return p;
}

static void eth(struct frame *f, unsigned int type, int vlan)
{
	u8 *p = put(f, ETH_HLEN);

	p[0] = 0x02;
	p[6] = 0x02;
	if (vlan) {
		put16(p + 12, ETH_P_8021Q);
		p = put(f, 4);
		put16(p, vlan);
		p += 2;
	} else {
		p += 12;
	}
	put16(p, type);
}

static void ipv4(struct frame *f, u8 proto)
{
	u8 *p;

	f->l3 = f->len;
	p = put(f, 20);
	p[0] = 0x45;
	p[8] = 64;
	p[9] = proto;
	p[12] = 10;
	p[15] = 15;
	p[16] = 10;
	p[19] = 2;
}

static void ipv6(struct frame *f, u8 nexthdr)
{
	u8 *p;

	f->l3 = f->len;
	p = put(f, 40);
	p[0] = 0x60;
	p[6] = nexthdr;
	p[7] = 64;
	p[8] = 0xfd;
	p[24] = 0xfd;
}

static void l4(struct frame *f, unsigned int n, unsigned int a, unsigned int b)
{
	u8 *p;

	f->l4 = f->len;
	p = put(f, n);
	put16(p, a);
	put16(p + 2, b);
	if (n == 20)
		p[12] = 5 << 4;
}

/* Fill in IP and UDP lengths; @udp: the L4 header is UDP. */
static void finish(struct frame *f, int udp)
{
	u8 *ip = f->buf + f->l3;

	if ((ip[0] >> 4) == 4)
		put16(ip + 2, f->len - f->l3);
	else
		put16(ip + 4, f->len - f->l3 - 40);
	if (udp)
		put16(f->buf + f->l4 + 4, f->len - f->l4);
}

static int nseeds;
static struct frame seeds[16];
static enum vmgw_class seed_class[16];

static struct frame *seed(enum vmgw_class class)
{
	seed_class[nseeds] = class;
	return &seeds[nseeds++];
}

static void build_seeds(void)
{
	struct frame *f;
	u8 *p;

	f = seed(VMGW_CLASS_DNS);
	eth(f, ETH_P_IP, 0);
	ipv4(f, IPPROTO_UDP);
	l4(f, 8, 40000, 53);
	put(f, 29);
	finish(f, 1);

	f = seed(VMGW_CLASS_DHCP);
	eth(f, ETH_P_IPV6, 0);
	ipv6(f, IPPROTO_UDP);
	l4(f, 8, 546, 547);
	put(f, 12);
	finish(f, 1);

	f = seed(VMGW_CLASS_TCP_SYN);
	eth(f, ETH_P_IP, 100);
	ipv4(f, IPPROTO_TCP);
	l4(f, 20, 40000, 443);
	f->buf[f->l4 + 13] = 0x02;
	finish(f, 0);

	f = seed(VMGW_CLASS_ARP);
	eth(f, ETH_P_ARP, 0);
	p = put(f, 28);
	put16(p, 1);
	put16(p + 2, ETH_P_IP);
	p[4] = 6;
	p[5] = 4;
	p[7] = 1;

	/* Hop-by-hop, destination options, neighbour solicitation. */
	f = seed(VMGW_CLASS_NDP);
	eth(f, ETH_P_IPV6, 0);
	ipv6(f, IPPROTO_HOPOPTS);
	p = put(f, 16);
	p[0] = IPPROTO_DSTOPTS;
	p[8] = IPPROTO_ICMPV6;
	l4(f, 24, 135 << 8, 0);
	finish(f, 0);

	/* Hop-by-hop, first fragment, UDP to 53. */
	f = seed(VMGW_CLASS_DNS);
	eth(f, ETH_P_IPV6, 0);
	ipv6(f, IPPROTO_HOPOPTS);
	p = put(f, 16);
	p[0] = IPPROTO_FRAGMENT;
	p[8] = IPPROTO_UDP;
	p[11] = 1;
	l4(f, 8, 40000, 53);
	put(f, 8);
	finish(f, 0);
	put16(f->buf + f->l4 + 4, 1000);

	f = seed(VMGW_CLASS_FRAGMENT);
	eth(f, ETH_P_IP, 0);
	ipv4(f, IPPROTO_UDP);
	put16(f->buf + f->l3 + 6, 185);
	l4(f, 8, 40000, 53);
	put(f, 1400);
	finish(f, 0);

	f = seed(VMGW_CLASS_MALFORMED);
	eth(f, ETH_P_IP, 0);
	ipv4(f, IPPROTO_UDP);
	f->buf[f->l3] = 0x44;
	l4(f, 8, 40000, 53);
	finish(f, 1);
}

static int fail(const char *what, const struct frame *f, unsigned int len,
		unsigned int frame_len, const struct vmgw_frame_info *info)
{
	unsigned int i;

	fprintf(stderr, "FAIL: %s (len %u, frame_len %u, class %d, why %d):",
		what, len, frame_len, info->class, info->why);
	for (i = 0; i < len && i < 128; i++)
		fprintf(stderr, "%s%02x", i % 16 ? "" : "\n  ", f->buf[i]);
	fprintf(stderr, "\n");
	return 1;
}

/* Classify from an exact-size copy of the view; check the invariants. */
static int run(const struct frame *f, unsigned int len, unsigned int frame_len,
	       struct vmgw_frame_info *info)
{
	unsigned int view_len = vmgw_classify_view_len(len);
	struct vmgw_frame_info again;
	int l4_class, malformed;
	u8 *view;

	view = malloc(view_len);
	if (!view && view_len) {
		perror("malloc");
		exit(2);
	}
	if (view_len)
		memcpy(view, f->buf, view_len);
	if (vmgw_classify(view, view_len, frame_len, info) != info->class)
		return fail("return value differs from info->class", f, len,
			    frame_len, info);
	vmgw_classify(view, view_len, frame_len, &again);
	free(view);
	if (memcmp(info, &again, sizeof(again)))
		return fail("not deterministic", f, len, frame_len, info);
	if (info->class >= VMGW_CLASS_MAX || info->why >= VMGW_MAL_MAX)
		return fail("out of range", f, len, frame_len, info);
	malformed = info->class == VMGW_CLASS_MALFORMED;
	if (malformed == !info->why)
		return fail("class and reason disagree", f, len, frame_len, info);
	if (info->l3_off > frame_len || info->l4_off > frame_len)
		return fail("offset past the frame", f, len, frame_len, info);
	l4_class = info->class >= VMGW_CLASS_TCP_SYN;
	if (l4_class && info->l4_off + 8u > view_len)
		return fail("L4 header past the view", f, len, frame_len, info);
	return 0;
}

static int check_seeds(void)
{
	struct vmgw_frame_info info;
	int i;

	if (vmgw_classify(NULL, 0, 1514, &info) != VMGW_CLASS_MALFORMED ||
	    info.why != VMGW_MAL_TRUNCATED_ETH)
		return fail("empty view", &seeds[0], 0, 1514, &info);
	for (i = 0; i < nseeds; i++) {
		if (run(&seeds[i], seeds[i].len, seeds[i].len, &info))
			return 1;
		if (info.class != seed_class[i])
			return fail(vmgw_class_names[seed_class[i]], &seeds[i],
				    seeds[i].len, seeds[i].len, &info);
	}
	return 0;
}

/* One random input: a mutated, cut or lengthened seed, or random bytes. */
static void mutate(struct frame *f, unsigned int *frame_len)
{
	u32 r = rng();
	int n;

	if ((r & 15) == 0) {
		f->len = rng() % 320;
		for (n = 0; n < (int)f->len; n++)
			f->buf[n] = rng();
	} else {
		*f = seeds[rng() % nseeds];
		for (n = (r >> 4) & 7; n >= 0 && f->len; n--) {
			u32 m = rng();

			f->buf[(m >> 8) % f->len] = m;
		}
		if (r & 0x100)
			f->len = rng() % (f->len + 1);
	}
	*frame_len = f->len;
	if (r & 0x200)
		*frame_len += rng() % 4096;
}

int main(int argc, char **argv)
{
	unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	unsigned long hist[VMGW_CLASS_MAX] = { 0 };
	unsigned long why[VMGW_MAL_MAX] = { 0 };
	struct vmgw_frame_info info;
	static struct frame f;
	unsigned int frame_len;
	unsigned long i;

	rng_state = argc > 2 ? strtoul(argv[2], NULL, 0) : 0x766d6777;
	if (!rng_state)
		rng_state = 1;
	build_seeds();
	if (check_seeds())
		return 1;
	for (i = 0; i < iterations; i++) {
		mutate(&f, &frame_len);
		if (run(&f, f.len, frame_len, &info))
			return 1;
		hist[info.class]++;
		why[info.why]++;
	}
	for (i = 0; i < VMGW_CLASS_MAX; i++)
		printf("%-16s %lu\n", vmgw_class_names[i], hist[i]);
	for (i = 1; i < VMGW_MAL_MAX; i++)
		printf("  %-14s %lu\n", vmgw_malformed_names[i], why[i]);
	printf("classify-check: %d known frames and %lu random frames ok\n",
	       nseeds, iterations);
	return 0;
}
