// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: rule sets (CIDR trie with protocol and port ranges) and the
 * floor. Tables for the edges (/0, /32, /128, odd prefix lengths, port
 * range ends), a cross-check against a linear scan over random rules, and
 * the bound on the work of one lookup with 10,000 rules: trie nodes
 * visited, never more than the prefix length plus one.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/in.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "rules.h"

static void rt_addr(struct kunit *test, const char *text, u8 *addr,
		    u8 *family)
{
	memset(addr, 0, 16);
	if (strchr(text, ':')) {
		KUNIT_ASSERT_TRUE(test, in6_pton(text, -1, addr, -1, NULL));
		*family = 6;
	} else {
		KUNIT_ASSERT_TRUE(test, in4_pton(text, -1, addr, -1, NULL));
		*family = 4;
	}
}

static struct vmgw_rule rt_rule(struct kunit *test, u8 action,
				const char *net, u8 plen, u8 proto, u16 lo,
				u16 hi)
{
	struct vmgw_rule r = {
		.plen = plen,
		.proto = proto,
		.action = action,
		.port_lo = lo,
		.port_hi = hi,
	};

	rt_addr(test, net, r.addr, &r.family);
	return r;
}

static struct vmgw_ruleset *rt_build(struct kunit *test,
				     const struct vmgw_rule *r, unsigned int n)
{
	struct vmgw_ruleset *rs;
	int err = 1;

	rs = vmgw_ruleset_build(r, n, &err);
	KUNIT_ASSERT_NOT_NULL(test, rs);
	KUNIT_EXPECT_EQ(test, err, 0);
	return rs;
}

static bool rt_match(struct kunit *test, const struct vmgw_ruleset *rs,
		     u8 action, const char *addr, u8 proto, int port)
{
	struct vmgw_rule_key key = { .proto = proto, .port = port };
	u8 a[16];

	rt_addr(test, addr, a, &key.family);
	key.addr = a;
	return vmgw_ruleset_match(rs, action, &key, NULL);
}

static void vmgw_rules_test_prefix_match(struct kunit *test)
{
	static const struct {
		const char *addr, *net;
		u8 plen;
		bool match;
	} t[] = {
		{ "10.1.2.3", "0.0.0.0", 0, true },
		{ "255.255.255.255", "0.0.0.0", 0, true },
		{ "10.1.2.3", "10.0.0.0", 8, true },
		{ "11.1.2.3", "10.0.0.0", 8, false },
		{ "10.1.2.3", "10.1.2.3", 32, true },
		{ "10.1.2.2", "10.1.2.3", 32, false },
		{ "10.1.2.2", "10.1.2.2", 31, true },
		{ "10.1.2.3", "10.1.2.2", 31, true },
		{ "10.1.2.4", "10.1.2.2", 31, false },
		{ "172.31.255.255", "172.16.0.0", 12, true },
		{ "172.32.0.0", "172.16.0.0", 12, false },
		{ "2001:db8::1", "::", 0, true },
		{ "2001:db8::1", "2001:db8::", 32, true },
		{ "2001:db9::1", "2001:db8::", 32, false },
		{ "2001:db8::1", "2001:db8::1", 128, true },
		{ "2001:db8::2", "2001:db8::1", 128, false },
		{ "2001:db8::1", "2001:db8::", 127, true },
		{ "2001:db8::2", "2001:db8::", 127, false },
		{ "fe80::1", "fe80::", 10, true },
		{ "febf::1", "fe80::", 10, true },
		{ "fec0::1", "fe80::", 10, false },
	};
	u8 a[16], n[16], fa, fn;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		rt_addr(test, t[i].addr, a, &fa);
		rt_addr(test, t[i].net, n, &fn);
		KUNIT_EXPECT_EQ_MSG(test, vmgw_prefix_match(a, n, t[i].plen),
				    t[i].match, "%s in %s/%u", t[i].addr,
				    t[i].net, t[i].plen);
	}
}

/* /0, /32, /128 and neighbours, through the trie. */
static void vmgw_rules_test_cidr(struct kunit *test)
{
	struct vmgw_rule r[] = {
		rt_rule(test, VMGW_RULE_ALLOW, "10.0.0.0", 8, 0, 0, 65535),
		rt_rule(test, VMGW_RULE_ALLOW, "10.1.2.3", 32, 0, 0, 65535),
		rt_rule(test, VMGW_RULE_DENY, "0.0.0.0", 0, 0, 0, 65535),
		rt_rule(test, VMGW_RULE_ALLOW, "2001:db8::", 32, 0, 0, 65535),
		rt_rule(test, VMGW_RULE_ALLOW, "2001:db8:1::1", 128, 0, 0,
			65535),
		rt_rule(test, VMGW_RULE_DENY, "::1", 128, 0, 0, 65535),
		/* host bits past the prefix are ignored */
		rt_rule(test, VMGW_RULE_ALLOW, "192.168.7.99", 24, 0, 0, 65535),
	};
	static const struct {
		const char *addr;
		u8 action;
		bool match;
	} t[] = {
		{ "10.0.0.0", VMGW_RULE_ALLOW, true },
		{ "10.255.255.255", VMGW_RULE_ALLOW, true },
		{ "11.0.0.0", VMGW_RULE_ALLOW, false },
		{ "9.255.255.255", VMGW_RULE_ALLOW, false },
		{ "10.1.2.3", VMGW_RULE_ALLOW, true },
		{ "1.2.3.4", VMGW_RULE_DENY, true },	/* /0 */
		{ "255.255.255.255", VMGW_RULE_DENY, true },
		{ "192.168.7.1", VMGW_RULE_ALLOW, true },
		{ "192.168.8.1", VMGW_RULE_ALLOW, false },
		{ "2001:db8:ffff::", VMGW_RULE_ALLOW, true },
		{ "2001:db9::", VMGW_RULE_ALLOW, false },
		{ "2001:db8:1::1", VMGW_RULE_ALLOW, true },
		{ "::1", VMGW_RULE_DENY, true },
		{ "::2", VMGW_RULE_DENY, false },	/* no IPv6 /0 */
		{ "::", VMGW_RULE_DENY, false },
	};
	struct vmgw_ruleset *rs = rt_build(test, r, ARRAY_SIZE(r));
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    rt_match(test, rs, t[i].action, t[i].addr,
					     IPPROTO_TCP, 80),
				    t[i].match, "%s action %u", t[i].addr,
				    t[i].action);
	KUNIT_EXPECT_EQ(test, vmgw_ruleset_count(rs), ARRAY_SIZE(r));
	vmgw_ruleset_free(rs);
}

static void vmgw_rules_test_proto_ports(struct kunit *test)
{
	struct vmgw_rule r[] = {
		rt_rule(test, VMGW_RULE_ALLOW, "1.1.1.0", 24, IPPROTO_TCP,
			443, 443),
		rt_rule(test, VMGW_RULE_ALLOW, "1.1.1.0", 24, IPPROTO_TCP,
			8000, 8080),
		/* overlapping and adjacent ranges merge */
		rt_rule(test, VMGW_RULE_ALLOW, "1.1.1.0", 24, IPPROTO_TCP,
			8050, 8100),
		rt_rule(test, VMGW_RULE_ALLOW, "1.1.1.0", 24, IPPROTO_TCP,
			8101, 8101),
		rt_rule(test, VMGW_RULE_ALLOW, "1.1.1.0", 24, IPPROTO_UDP,
			0, 0),
		rt_rule(test, VMGW_RULE_ALLOW, "1.1.1.0", 24, IPPROTO_UDP,
			65535, 65535),
		rt_rule(test, VMGW_RULE_ALLOW, "2.2.2.2", 32, IPPROTO_ICMP,
			0, 65535),
		rt_rule(test, VMGW_RULE_ALLOW, "3.3.3.3", 32, 0, 0, 65535),
	};
	static const struct {
		const char *addr;
		u8 proto;
		int port;
		bool match;
	} t[] = {
		{ "1.1.1.1", IPPROTO_TCP, 443, true },
		{ "1.1.1.1", IPPROTO_TCP, 442, false },
		{ "1.1.1.1", IPPROTO_TCP, 444, false },
		{ "1.1.1.1", IPPROTO_UDP, 443, false },
		{ "1.1.1.1", IPPROTO_TCP, 7999, false },
		{ "1.1.1.1", IPPROTO_TCP, 8000, true },
		{ "1.1.1.1", IPPROTO_TCP, 8080, true },
		{ "1.1.1.1", IPPROTO_TCP, 8081, true },
		{ "1.1.1.1", IPPROTO_TCP, 8101, true },
		{ "1.1.1.1", IPPROTO_TCP, 8102, false },
		{ "1.1.1.1", IPPROTO_UDP, 0, true },
		{ "1.1.1.1", IPPROTO_UDP, 1, false },
		{ "1.1.1.1", IPPROTO_UDP, 65535, true },
		{ "1.1.1.1", IPPROTO_UDP, 65534, false },
		/* no port (a fragment): only all-port rules match */
		{ "1.1.1.1", IPPROTO_TCP, -1, false },
		{ "2.2.2.2", IPPROTO_ICMP, -1, true },
		{ "2.2.2.2", IPPROTO_TCP, 80, false },
		{ "3.3.3.3", IPPROTO_TCP, 1, true },
		{ "3.3.3.3", IPPROTO_UDP, 65535, true },
		{ "3.3.3.3", IPPROTO_GRE, -1, true },
		{ "3.3.3.3", IPPROTO_TCP, -1, true },
	};
	struct vmgw_ruleset *rs = rt_build(test, r, ARRAY_SIZE(r));
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    rt_match(test, rs, VMGW_RULE_ALLOW,
					     t[i].addr, t[i].proto, t[i].port),
				    t[i].match, "%s proto %u port %d",
				    t[i].addr, t[i].proto, t[i].port);
		KUNIT_EXPECT_FALSE(test, rt_match(test, rs, VMGW_RULE_DENY,
						  t[i].addr, t[i].proto,
						  t[i].port));
	}
	vmgw_ruleset_free(rs);
}

static void vmgw_rules_test_check(struct kunit *test)
{
	static const struct {
		struct vmgw_rule r;
		int ret;
	} t[] = {
		{ { .family = 4, .plen = 32, .port_hi = 65535 }, 0 },
		{ { .family = 4, .plen = 33, .port_hi = 65535 }, -EINVAL },
		{ { .family = 6, .plen = 128, .port_hi = 65535 }, 0 },
		{ { .family = 6, .plen = 129, .port_hi = 65535 }, -EINVAL },
		{ { .family = 5, .port_hi = 65535 }, -EINVAL },
		{ { .family = 4, .action = 2, .port_hi = 65535 }, -EINVAL },
		{ { .family = 4, .proto = IPPROTO_TCP, .port_lo = 80,
		    .port_hi = 79 }, -EINVAL },
		{ { .family = 4, .proto = IPPROTO_UDP, .port_lo = 80,
		    .port_hi = 80 }, 0 },
		/* ports only for TCP and UDP */
		{ { .family = 4, .proto = 0, .port_lo = 80, .port_hi = 80 },
		  -EINVAL },
		{ { .family = 4, .proto = IPPROTO_ICMP, .port_hi = 100 },
		  -EINVAL },
	};
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		KUNIT_EXPECT_EQ_MSG(test, vmgw_rule_check(&t[i].r), t[i].ret,
				    "case %u", i);
	KUNIT_EXPECT_NULL(test, vmgw_ruleset_build(&t[1].r, 1, &err));
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
}

static void vmgw_rules_test_empty(struct kunit *test)
{
	struct vmgw_ruleset *rs = rt_build(test, NULL, 0);

	KUNIT_EXPECT_FALSE(test, rt_match(test, rs, VMGW_RULE_ALLOW, "1.2.3.4",
					  IPPROTO_TCP, 80));
	KUNIT_EXPECT_FALSE(test, rt_match(test, NULL, VMGW_RULE_DENY, "::1",
					  IPPROTO_TCP, 80));
	vmgw_ruleset_free(rs);
	vmgw_ruleset_free(NULL);
}

/* Random rules clustered on few prefixes, so that they nest and share. */
static void rt_random_rule(struct vmgw_rule *r)
{
	u32 x = get_random_u32();
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->family = x & 1 ? 6 : 4;
	r->plen = get_random_u32() % (r->family == 4 ? 33 : 129);
	for (i = 0; i < 16; i++)
		r->addr[i] = i < 2 ? get_random_u32() % 4 : get_random_u32();
	r->action = (x >> 1) & 1;
	r->proto = ((const u8[]){ 0, IPPROTO_TCP, IPPROTO_UDP,
				  IPPROTO_ICMP })[(x >> 2) & 3];
	r->port_hi = 65535;
	if (r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP) {
		u16 a = get_random_u32(), b = get_random_u32();

		if (x & 0x100) {
			r->port_lo = min(a, b);
			r->port_hi = max(a, b);
		}
	}
}

static bool rt_linear(const struct vmgw_rule *r, unsigned int n, u8 action,
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
			return true;
	}
	return false;
}

/* The trie answers exactly what a scan of every rule answers. */
static void vmgw_rules_test_vs_linear(struct kunit *test)
{
	static const u8 protos[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
				     IPPROTO_ICMPV6 };
	/* no first stage, 8-bit and 16-bit stages (half the rules IPv4) */
	static const unsigned int sizes[] = { 40, 300, 2500, 4000 };
	unsigned int round, q, n, hits = 0;
	struct vmgw_rule_key k;
	struct vmgw_ruleset *rs;
	struct vmgw_rule *r;
	u8 a[16], act;

	for (round = 0; round < 8; round++) {
		n = sizes[round % ARRAY_SIZE(sizes)] + get_random_u32() % 64;
		r = kunit_kcalloc(test, n, sizeof(*r), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		for (q = 0; q < n; q++)
			rt_random_rule(&r[q]);
		rs = rt_build(test, r, n);
		for (q = 0; q < 4000; q++) {
			const struct vmgw_rule *src = &r[get_random_u32() % n];
			unsigned int i;

			for (i = 0; i < 16; i++)
				a[i] = i < 2 ? get_random_u32() % 4 :
					       get_random_u32();
			k.family = get_random_u32() & 1 ? 6 : 4;
			/* half the keys start inside a rule's prefix */
			if (q & 1) {
				memcpy(a, src->addr, src->plen / 8);
				k.family = src->family;
			}
			if (k.family == 4)
				memset(a + 4, 0, 12);
			k.addr = a;
			k.proto = protos[get_random_u32() % ARRAY_SIZE(protos)];
			k.port = k.proto == IPPROTO_TCP ||
				 k.proto == IPPROTO_UDP ?
				 (int)(get_random_u32() % 65536) : -1;
			for (act = 0; act < VMGW_RULE_ACTIONS; act++) {
				bool want = rt_linear(r, n, act, &k);

				hits += want;
				KUNIT_ASSERT_EQ_MSG(test,
						    vmgw_ruleset_match(rs, act,
								       &k, NULL),
						    want, "round %u query %u",
						    round, q);
			}
		}
		vmgw_ruleset_free(rs);
		kunit_kfree(test, r);
	}
	/* the queries exercised both answers */
	KUNIT_EXPECT_GT(test, hits, 0);
}

/*
 * 10,000 rules: every lookup walks at most prefix length + 1 trie nodes
 * less the 16 levels the first stage resolves, then searches one node's
 * rules: the work is bounded by the address length, not by the number of
 * rules.
 */
static void vmgw_rules_test_sublinear(struct kunit *test)
{
	static const u8 chain[4] = { 10, 1, 2, 3 };
	const unsigned int n = 10000;
	unsigned int i, v, max4 = 0, max6 = 0, one;
	struct vmgw_rule_key k = { .proto = IPPROTO_TCP, .port = 443 };
	struct vmgw_ruleset *rs;
	struct vmgw_rule *r;
	u8 a[16] = {};

	r = kunit_kcalloc(test, n, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < n; i++) {
		r[i].family = i & 1 ? 6 : 4;
		r[i].plen = i & 1 ? 48 + i % 81 : 8 + i % 25;
		get_random_bytes(r[i].addr, 16);
		r[i].addr[0] = 10;
		r[i].action = VMGW_RULE_DENY;
		r[i].proto = IPPROTO_TCP;
		r[i].port_lo = 1;
		r[i].port_hi = 1;	/* never matches port 443: full walks */
	}
	/* and one chain of nested prefixes, the deepest path there is */
	for (i = 0; i <= 32 && i < n; i++) {
		r[i * 2].plen = i;
		memcpy(r[i * 2].addr, chain, 4);
	}
	rs = rt_build(test, r, n);
	k.addr = a;
	for (i = 0; i < 20000; i++) {
		k.family = i & 1 ? 6 : 4;
		get_random_bytes(a, 16);
		a[0] = 10;
		if (i % 4 == 0)
			memcpy(a, r[get_random_u32() % n].addr, 16);
		if (i % 8 == 0)
			memcpy(a, chain, 4);
		if (k.family == 4)
			memset(a + 4, 0, 12);
		KUNIT_EXPECT_FALSE(test, vmgw_ruleset_match(rs, VMGW_RULE_DENY,
							    &k, &v));
		if (k.family == 4)
			max4 = max(max4, v);
		else
			max6 = max(max6, v);
	}
	/* 5000 prefixes per family: a 16-bit first stage */
	KUNIT_EXPECT_LE(test, max4, 32 - 16 + 1);
	KUNIT_EXPECT_LE(test, max6, 128 - 16 + 1);
	/* the nested chain from the stage's end is walked: /16 to /32 */
	k.family = 4;
	memset(a, 0, 16);
	memcpy(a, chain, 4);
	vmgw_ruleset_match(rs, VMGW_RULE_DENY, &k, &v);
	KUNIT_EXPECT_EQ(test, v, 17);
	/* and every one of the chain's 33 rules is still seen */
	for (i = 0; i <= 32; i++) {
		r[i * 2].action = VMGW_RULE_ALLOW;
		r[i * 2].port_lo = 1000 + i;
		r[i * 2].port_hi = 1000 + i;
	}
	vmgw_ruleset_free(rs);
	rs = rt_build(test, r, n);
	for (i = 0; i <= 32; i++) {
		k.port = 1000 + i;
		KUNIT_EXPECT_TRUE_MSG(test,
				      vmgw_ruleset_match(rs, VMGW_RULE_ALLOW,
							 &k, &v),
				      "/%u", i);
	}
	k.port = 1033;
	KUNIT_EXPECT_FALSE(test, vmgw_ruleset_match(rs, VMGW_RULE_ALLOW, &k,
						    &v));
	vmgw_ruleset_free(rs);

	/* one rule: one node */
	rs = rt_build(test, r, 1);
	k.family = r[0].family;
	memcpy(a, r[0].addr, 16);
	vmgw_ruleset_match(rs, VMGW_RULE_DENY, &k, &one);
	KUNIT_EXPECT_EQ(test, one, 1);
	vmgw_ruleset_free(rs);
}

/*
 * Host prefixes in pairs that part at a random bit: 512 pairs in 10/8
 * and 512 in 2001:db8::/32, so that nodes end at every depth, the one
 * where the first stage ends included (such a node picks its child by the
 * address's next bit, never by the block). Host prefixes do not nest, so
 * no rule can hide a wrong answer for another: each must be found from
 * its own address, and the other action only as a linear scan finds it
 * (two random addresses may, rarely, be equal).
 */
static void vmgw_rules_test_stage_edges(struct kunit *test)
{
	static const u8 net4[1] = { 10 }, net6[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const u8 out4[16] = { 11, 0, 0, 1 };
	const unsigned int n = 2048;
	struct vmgw_rule_key k = { .proto = IPPROTO_TCP, .port = 80 };
	unsigned int i, bit, v;
	struct vmgw_ruleset *rs;
	struct vmgw_rule *r;

	r = kunit_kcalloc(test, n, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < n; i += 2) {
		bool v4 = i < n / 2;

		r[i].family = v4 ? 4 : 6;
		r[i].plen = v4 ? 32 : 128;
		get_random_bytes(r[i].addr, v4 ? 4 : 16);
		if (v4)
			memcpy(r[i].addr, net4, sizeof(net4));
		else
			memcpy(r[i].addr, net6, sizeof(net6));
		r[i + 1] = r[i];
		bit = v4 ? 8 + get_random_u32() % 24 :
			   32 + get_random_u32() % 96;
		r[i + 1].addr[bit / 8] ^= 0x80 >> (bit % 8);
		r[i].port_hi = 65535;
		r[i + 1].port_hi = 65535;
		r[i].action = get_random_u32() & 1;
		r[i + 1].action = get_random_u32() & 1;
	}
	rs = rt_build(test, r, n);
	for (i = 0; i < n; i++) {
		k.family = r[i].family;
		k.addr = r[i].addr;
		KUNIT_EXPECT_TRUE_MSG(test, vmgw_ruleset_match(rs, r[i].action,
							       &k, &v),
				      "rule %u", i);
		KUNIT_EXPECT_LE(test, v, r[i].family == 4 ? 32 - 16 + 1 :
							 128 - 16 + 1);
		KUNIT_EXPECT_EQ_MSG(test,
				    vmgw_ruleset_match(rs, !r[i].action, &k,
						       &v),
				    rt_linear(r, n, !r[i].action, &k),
				    "rule %u, other action", i);
	}
	/* outside the root's prefix: nothing, without a walk */
	k.family = 4;
	k.addr = out4;
	KUNIT_EXPECT_FALSE(test, vmgw_ruleset_match(rs, VMGW_RULE_ALLOW, &k,
						    &v));
	KUNIT_EXPECT_EQ(test, v, 0);
	vmgw_ruleset_free(rs);
}

static void vmgw_rules_test_floor(struct kunit *test)
{
	static const struct {
		const char *addr;
		bool def, strict;
	} t[] = {
		{ "169.254.169.254", true, true },
		{ "169.254.0.0", true, true },
		{ "169.255.0.1", false, false },
		{ "169.253.255.255", false, false },
		{ "fe80::1", true, true },
		{ "febf:ffff::1", true, true },
		{ "fec0::1", false, false },
		{ "10.0.0.1", false, true },
		{ "10.255.255.255", false, true },
		{ "11.0.0.1", false, false },
		{ "172.16.0.1", false, true },
		{ "172.31.255.255", false, true },
		{ "172.32.0.1", false, false },
		{ "172.15.255.255", false, false },
		{ "192.168.1.1", false, true },
		{ "192.169.0.1", false, false },
		{ "127.0.0.1", false, true },
		{ "100.64.0.1", false, true },
		{ "100.127.255.255", false, true },
		{ "100.128.0.1", false, false },
		{ "0.0.0.0", false, true },
		{ "::1", false, true },
		{ "::2", false, false },
		{ "fd00::1", false, true },
		{ "fc00::1", false, true },
		{ "fe00::1", false, false },
		{ "8.8.8.8", false, false },
		{ "2001:db8::1", false, false },
		/* IPv4 carried in IPv6 is judged as IPv4 */
		{ "::ffff:169.254.169.254", true, true },
		{ "64:ff9b::169.254.169.254", true, true },
		{ "::ffff:10.0.0.1", false, true },
		{ "64:ff9b::8.8.8.8", false, false },
		/*
		 * local-use NAT64: each place a /48, /56, /64 or /96
		 * translator puts IPv4 at; strict denies all of it
		 */
		{ "64:ff9b:1::169.254.169.254", true, true },
		{ "64:ff9b:1:a9fe:a9:fe00::", true, true },
		{ "64:ff9b:1:a9:fe:a9fe::", true, true },
		{ "64:ff9b:1:0:a9:fea9:fe00:0", true, true },
		{ "64:ff9b:1::8.8.8.8", false, true },
		{ "64:ff9b:2::169.254.169.254", false, false },
	};
	unsigned int i;
	u8 a[16], fam;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		rt_addr(test, t[i].addr, a, &fam);
		KUNIT_EXPECT_EQ_MSG(test,
				    vmgw_floor_match(VMGW_FLOOR_DEFAULT, fam, a),
				    t[i].def, "default %s", t[i].addr);
		KUNIT_EXPECT_EQ_MSG(test,
				    vmgw_floor_match(VMGW_FLOOR_STRICT, fam, a),
				    t[i].strict, "strict %s", t[i].addr);
		KUNIT_EXPECT_FALSE_MSG(test,
				       vmgw_floor_match(VMGW_FLOOR_OFF, fam, a),
				       "off %s", t[i].addr);
	}
}

static struct kunit_case vmgw_rules_test_cases[] = {
	KUNIT_CASE(vmgw_rules_test_prefix_match),
	KUNIT_CASE(vmgw_rules_test_cidr),
	KUNIT_CASE(vmgw_rules_test_proto_ports),
	KUNIT_CASE(vmgw_rules_test_check),
	KUNIT_CASE(vmgw_rules_test_empty),
	KUNIT_CASE(vmgw_rules_test_vs_linear),
	KUNIT_CASE(vmgw_rules_test_sublinear),
	KUNIT_CASE(vmgw_rules_test_stage_edges),
	KUNIT_CASE(vmgw_rules_test_floor),
	{}
};

static struct kunit_suite vmgw_rules_test_suite = {
	.name = "vmgw_rules",
	.test_cases = vmgw_rules_test_cases,
};

kunit_test_suite(vmgw_rules_test_suite);
