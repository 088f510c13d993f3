// SPDX-License-Identifier: GPL-2.0
/*
 * policy-check [ITERATIONS [SEED]]: the pure policy units of vmgw (dns.c,
 * rules.c, verdict.c, rst.c, with classify.c) built unchanged in userspace
 * under ASan and UBSan. Each input is a heap copy of exactly its length, so
 * that any read past it is reported.
 *
 *  - DNS: mutated, cut and random responses never teach more addresses than
 *    they have answers, never a TTL outside [60, 3600];
 *  - rules: random rule sets answer as a linear scan of the rules does, and
 *    no lookup visits more than prefix length + 1 trie nodes;
 *  - verdict and RST: random and mutated frames under random
 *    configurations give a defined action; a malformed frame is always
 *    dropped as malformed; only a TCP SYN is answered with a RST, and that
 *    RST classifies as TCP RST|ACK with both checksums valid.
 *
 * Exits non-zero on the first failure.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#include "dns.h"
#include "rst.h"
#include "rules.h"
#include "verdict.h"

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

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "policy-check: " __VA_ARGS__);		\
		fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__);	\
		exit(1);						\
	}								\
} while (0)

static u8 *dup_exact(const u8 *p, unsigned int len)
{
	u8 *q = malloc(len ? len : 1);

	CHECK(q, "out of memory");
	memcpy(q, p, len);
	return q;
}

/* DNS ---------------------------------------------------------------- */

static unsigned int dns_seen;

static void dns_learn(void *arg, const struct vmgw_dns_addr *a)
{
	(void)arg;
	CHECK(a->ttl >= VMGW_DNS_TTL_MIN && a->ttl <= VMGW_DNS_TTL_MAX,
	      "learned TTL %u", a->ttl);
	CHECK(a->family == 4 || a->family == 6, "family %u", a->family);
	dns_seen++;
}

static unsigned int dns_name(u8 *p, const char *name)
{
	unsigned int n = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		unsigned int l = dot ? (unsigned int)(dot - name) : strlen(name);

		p[n++] = l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

/* www.example.com CNAME cdn.example.net, then A and AAAA for the target. */
static unsigned int dns_response(u8 *m)
{
	unsigned int n = 12, target;

	memset(m, 0, 512);
	vmgw_put_be16(m + 2, 0x8180);
	vmgw_put_be16(m + 4, 1);
	vmgw_put_be16(m + 6, 3);
	n += dns_name(m + n, "www.example.com");
	vmgw_put_be32(m + n, 0x00010001);
	n += 4;
	vmgw_put_be16(m + n, 0xc00c);
	vmgw_put_be32(m + n + 2, 0x00050001);
	vmgw_put_be32(m + n + 6, 30);
	target = n + 12;
	vmgw_put_be16(m + n + 10, dns_name(m + target, "cdn.example.net"));
	n = target + vmgw_get_be16(m + n + 10);
	vmgw_put_be16(m + n, 0xc000 | target);
	vmgw_put_be32(m + n + 2, 0x00010001);
	vmgw_put_be32(m + n + 6, 5);
	vmgw_put_be16(m + n + 10, 4);
	n += 16;
	vmgw_put_be16(m + n, 0xc000 | target);
	vmgw_put_be32(m + n + 2, 0x001c0001);
	vmgw_put_be32(m + n + 6, 99999);
	vmgw_put_be16(m + n + 10, 16);
	return n + 28;
}

static void check_dns(unsigned int iterations)
{
	static const char * const pat[] = { "www.example.com", "*.example.org" };
	struct vmgw_dns_host hosts[2];
	struct vmgw_dns_hosts hs = { .v = hosts, .n = 2 };
	char buf[2][VMGW_DNS_TEXT_MAX];
	unsigned int i, j, len, learned, ok = 0;
	u8 good[512], m[512], *p;
	enum vmgw_dns_err err;

	for (i = 0; i < 2; i++)
		CHECK(!vmgw_dns_host_parse(pat[i], strlen(pat[i]), buf[i],
					   &hosts[i]), "pattern %s", pat[i]);
	qsort(hosts, 2, sizeof(hosts[0]), vmgw_dns_host_cmp);
	len = dns_response(good);
	dns_seen = 0;
	p = dup_exact(good, len);
	err = vmgw_dns_learn(p, len, &hs, dns_learn, NULL, &learned);
	free(p);
	CHECK(!err && learned == 2 && dns_seen == 2,
	      "known response: err %d, learned %u", err, learned);

	for (i = 0; i < iterations; i++) {
		unsigned int n = len;

		memcpy(m, good, len);
		switch (i % 3) {
		case 0:
			for (j = 0; j < 1 + rng() % 4; j++)
				m[rng() % len] = rng();
			break;
		case 1:
			n = rng() % (len + 1);
			break;
		default:
			n = rng() % sizeof(m);
			for (j = 0; j < n; j++)
				m[j] = rng();
			if (n > 3)
				m[2] |= 0x80;	/* a response, to get further */
		}
		dns_seen = 0;
		p = dup_exact(m, n);
		err = vmgw_dns_learn(p, n, &hs, dns_learn, NULL, &learned);
		free(p);
		CHECK(err < VMGW_DNS_ERR_MAX, "error %d", err);
		CHECK(err || learned == dns_seen, "learned %u, told %u",
		      learned, dns_seen);
		CHECK(!err || !dns_seen, "told %u despite error %s", dns_seen,
		      vmgw_dns_err_names[err]);
		CHECK(dns_seen <= VMGW_DNS_MAX_ANSWERS, "%u answers", dns_seen);
		ok += !err;
	}
	printf("dns: %u messages, %u well formed\n", iterations, ok);
}

/*
 * DNS over TCP: random segments walked message by message the way the
 * transmit path does, each message parsed from an exact-size copy, so that
 * a framing that reads past a prefix or a segment is caught by ASan; the
 * framing must agree with a direct reading of the prefixes.
 */
static void check_dns_tcp(unsigned int iterations)
{
	unsigned int i, j, n, off, mlen, learned, whole = 0, split = 0;
	struct vmgw_dns_hosts hs = { 0 };
	u8 seg[600], good[512], *p;
	enum vmgw_dns_err err;

	n = dns_response(good);
	for (i = 0; i < iterations; i++) {
		unsigned int len = 0;

		/* whole messages, then maybe a cut one, or random bytes */
		while (len + 2 + n <= sizeof(seg) && rng() % 3) {
			seg[len] = n >> 8;
			seg[len + 1] = n & 0xff;
			memcpy(seg + len + 2, good, n);
			len += 2 + n;
		}
		if (i % 2) {
			j = rng() % (sizeof(seg) - len + 1);
			for (; j; j--)
				seg[len++] = rng();
		}
		p = dup_exact(seg, len);
		for (off = 0; off < len; off += 2 + mlen) {
			bool ok = vmgw_dns_tcp_msg(p + off, len - off, &mlen);
			bool want = len - off >= 2 &&
				    (unsigned int)(seg[off] << 8 |
						   seg[off + 1]) <= len - off - 2;

			CHECK(ok == want, "framing at %u of %u: %d", off, len,
			      ok);
			if (!ok) {
				split++;
				break;
			}
			err = vmgw_dns_learn(p + off + 2, mlen, &hs, NULL,
					     NULL, &learned);
			CHECK(err < VMGW_DNS_ERR_MAX, "error %d", err);
			whole++;
		}
		free(p);
	}
	printf("dns over tcp: %u segments, %u whole messages, %u split\n",
	       iterations, whole, split);
}

/* Rules --------------------------------------------------------------- */

/*
 * Rule set shapes: spread (any length, so short prefixes match much and
 * can hide a wrong answer for a long one), clustered (every rule inside
 * 10.0.0.0/8 or 2001:db8::/32), long (no prefix under /16 or /48) and
 * hosts (clustered /32 and /128 in pairs parting at a random bit: trie
 * nodes end at every depth, and nothing nests to hide a miss).
 */
enum { SPREAD, CLUSTERED, LONG, HOSTS, SHAPES };

static const u8 cluster4[1] = { 10 };
static const u8 cluster6[4] = { 0x20, 0x01, 0x0d, 0xb8 };

static void random_addr(u8 *a, u8 family, bool clustered)
{
	unsigned int i;

	memset(a, 0, 16);
	for (i = 0; i < (family == 4 ? 4u : 16u); i++)
		a[i] = i < 2 ? rng() % 4 : rng();
	if (clustered && family == 4)
		memcpy(a, cluster4, sizeof(cluster4));
	else if (clustered)
		memcpy(a, cluster6, sizeof(cluster6));
}

static void random_rule(struct vmgw_rule *r, unsigned int shape)
{
	static const u8 protos[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	static const u8 min[SHAPES][2] = {
		[CLUSTERED] = { 8, 32 }, [LONG] = { 16, 48 }, [HOSTS] = { 32, 128 },
	};
	unsigned int lo;

	memset(r, 0, sizeof(*r));
	r->family = rng() & 1 ? 6 : 4;
	lo = min[shape][r->family == 6];
	r->plen = lo + rng() % ((r->family == 4 ? 33 : 129) - lo);
	random_addr(r->addr, r->family, shape == CLUSTERED || shape == HOSTS);
	r->action = rng() & 1;
	r->proto = protos[rng() % 4];
	r->port_hi = 65535;
	if ((r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP) && rng() & 1) {
		u16 a = rng(), b = rng();

		r->port_lo = a < b ? a : b;
		r->port_hi = a < b ? b : a;
	}
}

static int linear(const struct vmgw_rule *r, unsigned int n, u8 action,
		  const struct vmgw_rule_key *k)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (r[i].action != action || r[i].family != k->family ||
		    !vmgw_prefix_match(k->addr, r[i].addr, r[i].plen) ||
		    (r[i].proto && r[i].proto != k->proto))
			continue;
		if (k->port < 0 ? r[i].port_lo == 0 && r[i].port_hi == 65535 :
				  k->port >= r[i].port_lo &&
				  k->port <= r[i].port_hi)
			return 1;
	}
	return 0;
}

static void check_rules(unsigned int rounds)
{
	static const u8 protos[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	unsigned int round, q, i, n, v, hits = 0;
	struct vmgw_rule_key k;
	struct vmgw_ruleset *rs;
	unsigned int shape;
	struct vmgw_rule *r;
	u8 a[16];
	int err;

	for (round = 0; round < rounds; round++) {
		n = 1 + rng() % 3000;
		shape = round % SHAPES;
		r = calloc(n, sizeof(*r));
		CHECK(r, "out of memory");
		for (i = 0; i < n; i++) {
			random_rule(&r[i], shape);
			if (shape == HOSTS && i & 1) {
				unsigned int bit = (r[i].family == 4 ? 8 : 32) +
						   rng() % (r[i].family == 4 ? 24 : 96);

				memcpy(r[i].addr, r[i - 1].addr, 16);
				r[i].family = r[i - 1].family;
				r[i].plen = r[i - 1].plen;
				r[i].addr[bit / 8] ^= 0x80 >> (bit % 8);
			}
		}
		rs = vmgw_ruleset_build(r, n, &err);
		CHECK(rs && !err, "build: %d", err);
		for (q = 0; q < 5000; q++) {
			const struct vmgw_rule *src = &r[rng() % n];
			u8 act;

			k.family = rng() & 1 ? 6 : 4;
			random_addr(a, k.family, shape >= CLUSTERED && q % 3);
			if (q & 1) {
				memcpy(a, src->addr, 16);
				k.family = src->family;
			}
			if (k.family == 4)
				memset(a + 4, 0, 12);
			k.addr = a;
			k.proto = protos[rng() % 4];
			k.port = k.proto == IPPROTO_TCP ||
				 k.proto == IPPROTO_UDP ? (int)(rng() % 65536) :
							  -1;
			for (act = 0; act < VMGW_RULE_ACTIONS; act++) {
				int want = linear(r, n, act, &k);

				hits += want;
				CHECK(vmgw_ruleset_match(rs, act, &k, &v) == want,
				      "round %u query %u action %u", round, q,
				      act);
				CHECK(v <= (k.family == 4 ? 33u : 129u),
				      "%u nodes visited", v);
			}
		}
		vmgw_ruleset_free(rs);
		free(r);
	}
	printf("rules: %u rule sets (spread, clustered, long, hosts), %u matches, all as a linear scan\n",
	       rounds, hits);
}

/* Verdict and RST ----------------------------------------------------- */

static u16 csum_ip6_tcp(const u8 *ip6, const u8 *tcp, unsigned int len)
{
	u32 sum = vmgw_csum_add(0, ip6 + 8, 32);

	sum += len + IPPROTO_TCP;
	return vmgw_csum_fold(vmgw_csum_add(sum, tcp, len));
}

static void check_rst(const u8 *rst, unsigned int len)
{
	struct vmgw_frame_info ri;
	const u8 *ip;
	u32 sum;

	/* A RST from port 53 is DNS over TCP to the classifier. */
	vmgw_classify(rst, len, len, &ri);
	CHECK(ri.l4_proto == IPPROTO_TCP &&
	      (ri.class == VMGW_CLASS_TCP || ri.class == VMGW_CLASS_DNS),
	      "RST classifies as %s", vmgw_class_names[ri.class]);
	CHECK(ri.tcp_flags == 0x14, "RST flags %#x", ri.tcp_flags);
	ip = rst + ri.l3_off;
	if (ri.ip_version == 4) {
		CHECK(!vmgw_csum_fold(vmgw_csum_add(0, ip, 20)),
		      "IPv4 checksum");
		sum = vmgw_csum_add(0, ip + 12, 8) + IPPROTO_TCP + 20;
		CHECK(!vmgw_csum_fold(vmgw_csum_add(sum, rst + ri.l4_off, 20)),
		      "TCP checksum");
	} else {
		CHECK(!csum_ip6_tcp(ip, rst + ri.l4_off, 20), "TCP checksum");
	}
}

static const u8 guest_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 l4_protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
static const u8 dst6_first[] = { 0xfe, 0x20, 0xfd };
static const u8 dst4_first[] = { 169, 10, 93, 8 };
static const u8 dst4_second[] = { 254, 0, 184 };
static const u16 dports[] = { 53, 80, 443, 9999, 67 };
static const u8 tcp_flags[] = { 0x02, 0x10, 0x12, 0x42 };

#define PICK(a)	((a)[rng() % ARRAY_SIZE(a)])

/* A plausible guest frame: IPv4/IPv6, TCP/UDP/ICMP, random addresses. */
static unsigned int random_frame(u8 *f)
{
	bool v6 = rng() & 1;
	unsigned int l3 = 14, l4, len;
	u8 proto = PICK(l4_protos);

	memset(f, 0, 256);
	memcpy(f + 6, guest_mac, 6);
	if (rng() % 8 == 0) {
		vmgw_put_be16(f + 12, 0x8100);
		vmgw_put_be16(f + 14, rng() & 0xfff);
		l3 = 18;
	}
	vmgw_put_be16(f + l3 - 2, v6 ? 0x86dd : 0x0800);
	l4 = l3 + (v6 ? 40 : 20);
	len = l4 + (proto == IPPROTO_TCP ? 20 : 8) + rng() % 32;
	if (v6) {
		f[l3] = 0x60;
		vmgw_put_be16(f + l3 + 4, len - l4);
		f[l3 + 6] = proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : proto;
		f[l3 + 7] = 64;
		f[l3 + 8] = rng() & 1 ? 0xfe : 0xfd;
		f[l3 + 24] = PICK(dst6_first);
		f[l3 + 25] = rng();
		f[l3 + 39] = rng();
	} else {
		f[l3] = 0x45;
		vmgw_put_be16(f + l3 + 2, len - l3);
		f[l3 + 8] = 64;
		f[l3 + 9] = proto;
		f[l3 + 12] = 10;
		f[l3 + 15] = 15;
		f[l3 + 16] = PICK(dst4_first);
		f[l3 + 17] = PICK(dst4_second);
		f[l3 + 19] = rng();
	}
	vmgw_put_be16(f + l4, rng());
	vmgw_put_be16(f + l4 + 2, PICK(dports));
	if (proto == IPPROTO_TCP) {
		vmgw_put_be32(f + l4 + 4, rng());
		f[l4 + 12] = 5 << 4;
		f[l4 + 13] = PICK(tcp_flags);
	} else if (proto == IPPROTO_UDP) {
		vmgw_put_be16(f + l4 + 4, len - l4);
	} else {
		f[l4] = rng();
	}
	return len;
}

static bool learned_odd(const void *ctx, u8 family, const u8 *addr)
{
	(void)ctx;
	return (addr[family == 4 ? 3 : 15] & 1) != 0;
}

/* The gateway of the random frames: 10.0.2.2 and any fe80::/64 address. */
static bool gw_addr(const void *ctx, u8 family, const u8 *addr)
{
	static const u8 g4[4] = { 10, 0, 2, 2 };

	(void)ctx;
	if (family == 4)
		return !memcmp(addr, g4, 4);
	return addr[0] == 0xfe && addr[1] == 0x80;
}

static bool dhcp_dest_ok(const struct vmgw_verdict_cfg *c,
			 const struct vmgw_frame_info *fi)
{
	static const u8 bcast[4] = { 255, 255, 255, 255 };
	static const u8 dhcp6[16] = { 0xff, 0x02, [13] = 1, [15] = 2 };

	if (fi->ip_version == 4 ? !memcmp(fi->daddr, bcast, 4) :
				  !memcmp(fi->daddr, dhcp6, 16))
		return true;
	return c->gw_addr && c->gw_addr(NULL, fi->ip_version, fi->daddr);
}

/* A random checksum request passes only onto the L4 checksum field. */
static void check_offload(const struct vmgw_frame_info *fi)
{
	struct vmgw_offload o = {
		.csum = true,
		.csum_start = rng() % 2 ? fi->l4_off : rng() % 128,
		.csum_offset = rng() % 2 ? 16 : rng() % 20,
		.gso = rng() % (VMGW_GSO_OTHER + 1),
	};
	enum vmgw_deny why;

	if (fi->class == VMGW_CLASS_MALFORMED)
		return;
	why = vmgw_verdict_offload(fi, &o);
	CHECK(why == VMGW_DENY_NONE || why == VMGW_DENY_CSUM ||
	      why == VMGW_DENY_GSO, "offload reason %u", why);
	if (why)
		return;
	CHECK(fi->class != VMGW_CLASS_FRAGMENT &&
	      o.csum_start == fi->l4_off &&
	      (fi->l4_proto != IPPROTO_TCP || o.csum_offset == 16) &&
	      (fi->l4_proto != IPPROTO_UDP || o.csum_offset == 6) &&
	      (o.gso == VMGW_GSO_NONE || !fi->frag_first),
	      "checksum at %d+%u taken for L4 at %u, proto %u", o.csum_start,
	      o.csum_offset, fi->l4_off, fi->l4_proto);
}

static void random_cfg(struct vmgw_verdict_cfg *c, struct vmgw_ruleset *rules,
		       struct vmgw_ruleset *resolvers)
{
	memset(c, 0, sizeof(*c));
	c->mode = rng() % VMGW_MODE_MAX;
	c->floor = rng() % VMGW_FLOOR_MAX;
	c->rules = rng() & 1 ? rules : NULL;
	c->resolvers = rng() & 1 ? resolvers : NULL;
	c->learning = rng() & 1;
	c->gw_addr = rng() & 1 ? gw_addr : NULL;
	if (rng() & 1) {
		memcpy(c->guest.mac, guest_mac, 6);
		c->guest.mac_set = true;
	}
	if (rng() & 1) {
		c->guest.ip4[0] = 10;
		c->guest.ip4[3] = 15;
		c->guest.ip4_set = true;
	}
}

static void check_verdicts(unsigned int iterations)
{
	unsigned int i, j, len, n_rules = 200, acts[5] = { 0 };
	struct vmgw_ruleset *rules, *resolvers;
	struct vmgw_rule r[200], res = {
		.family = 4, .plen = 32, .addr = { 10, 0, 2, 3 },
		.port_hi = 65535,
	};
	u8 f[256], out[VMGW_RST_MAX_LEN], *p;
	struct vmgw_verdict_cfg cfg;
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	int err;

	for (i = 0; i < n_rules; i++)
		random_rule(&r[i], i % SHAPES);
	rules = vmgw_ruleset_build(r, n_rules, &err);
	resolvers = vmgw_ruleset_build(&res, 1, &err);
	CHECK(rules && resolvers, "build");
	for (i = 0; i < iterations; i++) {
		len = random_frame(f);
		if (i % 4 == 1) {
			for (j = 0; j < 1 + rng() % 3; j++)
				f[rng() % len] = rng();
		} else if (i % 4 == 2) {
			len = rng() % (len + 1);
		}
		p = dup_exact(f, len);
		vmgw_classify(p, len, len, &fi);
		random_cfg(&cfg, rules, resolvers);
		v = vmgw_verdict(&cfg, &fi, len >= 12 ? p + 6 : guest_mac,
				 learned_odd, NULL);
		CHECK(v.act <= VMGW_ACT_FLOW_NEED && v.why < VMGW_DENY_MAX,
		      "verdict %u/%u", v.act, v.why);
		CHECK(fi.class != VMGW_CLASS_MALFORMED ||
		      (v.act == VMGW_ACT_DROP && v.why == VMGW_DENY_MALFORMED),
		      "malformed frame got %u/%u", v.act, v.why);
		CHECK((v.act == VMGW_ACT_PASS || v.act >= VMGW_ACT_FLOW_NEW) ==
		      (v.why == VMGW_DENY_NONE), "reason %u with action %u",
		      v.why, v.act);
		CHECK(v.act != VMGW_ACT_RST && v.act != VMGW_ACT_FLOW_NEW ?
		      1 : fi.class == VMGW_CLASS_TCP_SYN,
		      "action %u for class %s", v.act,
		      vmgw_class_names[fi.class]);
		/* DHCP passes only to the gateway, unless a rule allows it */
		CHECK(fi.class != VMGW_CLASS_DHCP || v.act != VMGW_ACT_PASS ||
		      cfg.rules || dhcp_dest_ok(&cfg, &fi),
		      "DHCP passed to an address not the gateway's");
		check_offload(&fi);
		if (v.act == VMGW_ACT_RST) {
			unsigned int n = vmgw_rst_build(p, len, &fi, out,
							sizeof(out));

			CHECK(n, "no RST for a SYN");
			check_rst(out, n);
		}
		acts[v.act]++;
		free(p);
	}
	vmgw_ruleset_free(rules);
	vmgw_ruleset_free(resolvers);
	printf("verdict: %u frames: pass %u, drop %u, rst %u, new flow %u, needs flow %u\n",
	       iterations, acts[0], acts[1], acts[2], acts[3], acts[4]);
}

int main(int argc, char **argv)
{
	unsigned int iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;

	rng_state = argc > 2 ? strtoul(argv[2], NULL, 0) : 0x2545f491;
	if (!rng_state)
		rng_state = 1;
	check_dns(iterations);
	check_dns_tcp(iterations / 10);
	check_rules(iterations / 10000 + 3);
	check_verdicts(iterations);
	return 0;
}
