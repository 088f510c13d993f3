// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the DNS response parser, host patterns, the question that ties
 * an answer to its query, and message boundaries of DNS over TCP. Messages are built
 * byte by byte here; every malformed form the parser must refuse (loops,
 * truncation at every length, oversized names, bad labels) has a case.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "dns.h"

#define MSG_MAX		1024

struct dns_buf {
	u8 p[MSG_MAX];
	unsigned int len;
};

static unsigned int dns_put16(struct dns_buf *b, u16 v)
{
	unsigned int at = b->len;

	vmgw_put_be16(b->p + b->len, v);
	b->len += 2;
	return at;
}

static void dns_put32(struct dns_buf *b, u32 v)
{
	vmgw_put_be32(b->p + b->len, v);
	b->len += 4;
}

/* A dotted name in wire form, uncompressed; returns its offset. */
static unsigned int dns_put_name(struct dns_buf *b, const char *name)
{
	unsigned int at = b->len;
	const char *dot;
	size_t n;

	while (*name) {
		dot = strchr(name, '.');
		n = dot ? dot - name : strlen(name);
		b->p[b->len++] = n;
		memcpy(b->p + b->len, name, n);
		b->len += n;
		name += n + (dot ? 1 : 0);
	}
	b->p[b->len++] = 0;
	return at;
}

static void dns_put_ptr(struct dns_buf *b, unsigned int target)
{
	dns_put16(b, 0xc000 | target);
}

/* Header of a response (flags 0x8180, RCODE 0) with one question. */
static void dns_start(struct dns_buf *b, const char *qname, u16 ancount)
{
	b->len = 0;
	dns_put16(b, 0x1234);
	dns_put16(b, 0x8180);
	dns_put16(b, 1);
	dns_put16(b, ancount);
	dns_put16(b, 0);
	dns_put16(b, 0);
	dns_put_name(b, qname);
	dns_put16(b, 1);	/* A */
	dns_put16(b, 1);	/* IN */
}

/* Fixed part and data of a record whose owner was just written. */
static void dns_put_rr(struct dns_buf *b, u16 type, u32 ttl, const void *rd,
		       u16 rdlen)
{
	dns_put16(b, type);
	dns_put16(b, 1);
	dns_put32(b, ttl);
	dns_put16(b, rdlen);
	memcpy(b->p + b->len, rd, rdlen);
	b->len += rdlen;
}

/* A CNAME record (owner just written) to @target; returns its offset. */
static unsigned int dns_put_cname(struct dns_buf *b, const char *target,
				  u32 ttl)
{
	unsigned int rdlen_at, at;

	dns_put16(b, 5);
	dns_put16(b, 1);
	dns_put32(b, ttl);
	rdlen_at = dns_put16(b, 0);
	at = dns_put_name(b, target);
	vmgw_put_be16(b->p + rdlen_at, b->len - at);
	return at;
}

static const u8 addr4[4] = { 93, 184, 216, 34 };
static const u8 addr6[16] = { 0x26, 0x06, 0x28, 0x00, [15] = 0x01 };

/* Patterns for a test: parsed, sorted, kept in test memory. */
static struct vmgw_dns_hosts dns_hosts(struct kunit *test,
				       const char * const *pat, unsigned int n)
{
	struct vmgw_dns_host *v;
	unsigned int i;
	char *buf;

	v = kunit_kcalloc(test, n ?: 1, sizeof(*v), GFP_KERNEL);
	buf = kunit_kcalloc(test, n ?: 1, VMGW_DNS_TEXT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ_MSG(test,
				    vmgw_dns_host_parse(pat[i], strlen(pat[i]),
							buf + i * VMGW_DNS_TEXT_MAX,
							&v[i]), 0,
				    "pattern %s", pat[i]);
	sort(v, n, sizeof(*v), vmgw_dns_host_cmp, NULL);
	return (struct vmgw_dns_hosts){ .v = v, .n = n };
}

struct dns_seen {
	struct vmgw_dns_addr a[8];
	unsigned int n;
};

static void dns_record(void *arg, const struct vmgw_dns_addr *a)
{
	struct dns_seen *s = arg;

	if (s->n < ARRAY_SIZE(s->a))
		s->a[s->n] = *a;
	s->n++;
}

static enum vmgw_dns_err dns_run(const struct dns_buf *b,
				 const struct vmgw_dns_hosts *h,
				 struct dns_seen *s)
{
	unsigned int learned;
	enum vmgw_dns_err err;

	memset(s, 0, sizeof(*s));
	err = vmgw_dns_learn(b->p, b->len, h, dns_record, s, &learned);
	if (!err && learned != s->n)
		return VMGW_DNS_ERR_MAX;	/* count and callbacks disagree */
	return err;
}

static const char * const one_host[] = { "www.example.com" };

static void vmgw_dns_test_a_exact(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_start(b, "www.example.com", 2);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 300, addr4, 4);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 28, 7200, addr6, 16);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_ASSERT_EQ(test, s.n, 2);
	KUNIT_EXPECT_EQ(test, s.a[0].family, 4);
	KUNIT_EXPECT_MEMEQ(test, s.a[0].addr, addr4, 4);
	KUNIT_EXPECT_EQ(test, s.a[0].ttl, 300);
	KUNIT_EXPECT_EQ(test, s.a[1].family, 6);
	KUNIT_EXPECT_MEMEQ(test, s.a[1].addr, addr6, 16);
	KUNIT_EXPECT_EQ(test, s.a[1].ttl, VMGW_DNS_TTL_MAX);
}

static void vmgw_dns_test_ttl_clamp(struct kunit *test)
{
	static const struct {
		u32 ttl, want;
	} t[] = {
		{ 0, 60 }, { 1, 60 }, { 59, 60 }, { 60, 60 }, { 61, 61 },
		{ 300, 300 }, { 3599, 3599 }, { 3600, 3600 }, { 3601, 3600 },
		{ 86400, 3600 }, { 0x7fffffff, 3600 }, { 0xffffffff, 3600 },
	};
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		KUNIT_EXPECT_EQ(test, vmgw_dns_ttl_clamp(t[i].ttl), t[i].want);
		dns_start(b, "www.example.com", 1);
		dns_put_ptr(b, VMGW_DNS_HDR_LEN);
		dns_put_rr(b, 1, t[i].ttl, addr4, 4);
		KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
		KUNIT_ASSERT_EQ(test, s.n, 1);
		KUNIT_EXPECT_EQ_MSG(test, s.a[0].ttl, t[i].want, "ttl %u",
				    t[i].ttl);
	}
}

/* Names in any case match patterns given in any case. */
static void vmgw_dns_test_case_insensitive(struct kunit *test)
{
	static const char * const pat[] = { "WWW.Example.COM.", "*.Api.Org" };
	struct vmgw_dns_hosts h = dns_hosts(test, pat, 2);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, vmgw_dns_hosts_match(&h, "www.example.com",
						     15));
	dns_start(b, "wWw.EXAMPLE.cOm", 1);
	dns_put_name(b, "WWW.example.COM");
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 1);

	dns_start(b, "X.API.ORG", 1);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 1);

	/* A CNAME target and the next owner differ only in case. */
	dns_start(b, "www.example.com", 2);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_cname(b, "Cdn.Net", 100);
	dns_put_name(b, "cDN.nET");
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 1);
}

static void vmgw_dns_test_patterns(struct kunit *test)
{
	static const char * const pat[] = {
		"example.com", "*.wild.org", "*.deep.a.b.c", "exact.net",
	};
	static const struct {
		const char *name;
		bool match;
	} t[] = {
		{ "example.com", true },
		{ "www.example.com", false },	/* exact only */
		{ "xample.com", false },
		{ "example.co", false },
		{ "example.comm", false },
		{ "wild.org", false },		/* wildcard: below only */
		{ "a.wild.org", true },
		{ "a.b.c.wild.org", true },
		{ "badwild.org", false },
		{ "wild.org.evil", false },
		{ "x.deep.a.b.c", true },
		{ "deep.a.b.c", false },
		{ "exact.net", true },
		{ "", false },
		{ ".", false },
	};
	struct vmgw_dns_hosts h = dns_hosts(test, pat, ARRAY_SIZE(pat));
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    vmgw_dns_hosts_match(&h, t[i].name,
							 strlen(t[i].name)),
				    t[i].match, "name \"%s\"", t[i].name);
}

static void vmgw_dns_test_host_parse(struct kunit *test)
{
	static const struct {
		const char *text;
		int ret;
		const char *name;
		bool wildcard;
	} t[] = {
		{ "example.com", 0, "example.com", false },
		{ "Example.COM.", 0, "example.com", false },
		{ "*.example.com", 0, "example.com", true },
		{ "*.COM", 0, "com", true },
		{ "a-b_c.d1", 0, "a-b_c.d1", false },
		{ "", -EINVAL },
		{ ".", -EINVAL },
		{ "*", -EINVAL },
		{ "*.", -EINVAL },
		{ "a..b", -EINVAL },
		{ ".a", -EINVAL },
		{ "a*.b", -EINVAL },
		{ "a.*.b", -EINVAL },
		{ "**.b", -EINVAL },
		{ "a b", -EINVAL },
		{ "a/b", -EINVAL },
	};
	struct vmgw_dns_host hh;
	char buf[VMGW_DNS_TEXT_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		memset(&hh, 0, sizeof(hh));
		KUNIT_EXPECT_EQ_MSG(test,
				    vmgw_dns_host_parse(t[i].text,
							strlen(t[i].text),
							buf, &hh),
				    t[i].ret, "\"%s\"", t[i].text);
		if (t[i].ret)
			continue;
		KUNIT_EXPECT_EQ(test, hh.len, strlen(t[i].name));
		KUNIT_EXPECT_MEMEQ(test, hh.name, t[i].name, hh.len);
		KUNIT_EXPECT_EQ(test, hh.wildcard, t[i].wildcard);
	}
}

/* Labels of 63 accepted, 64 refused; names up to 253 characters. */
static void vmgw_dns_test_host_parse_lengths(struct kunit *test)
{
	char *text = kunit_kzalloc(test, 300, GFP_KERNEL);
	char buf[VMGW_DNS_TEXT_MAX];
	struct vmgw_dns_host hh;

	KUNIT_ASSERT_NOT_NULL(test, text);
	memset(text, 'a', 64);
	KUNIT_EXPECT_EQ(test, vmgw_dns_host_parse(text, 63, buf, &hh), 0);
	KUNIT_EXPECT_EQ(test, vmgw_dns_host_parse(text, 64, buf, &hh),
			-EINVAL);
	/* 4 labels of 62 plus 3 dots = 251, then ".b" = 253, ".bc" = 254 */
	memset(text, 'a', 260);
	text[62] = '.';
	text[125] = '.';
	text[188] = '.';
	text[251] = '.';
	KUNIT_EXPECT_EQ(test, vmgw_dns_host_parse(text, 253, buf, &hh), 0);
	KUNIT_EXPECT_EQ(test, hh.len, 253);
	KUNIT_EXPECT_EQ(test, vmgw_dns_host_parse(text, 254, buf, &hh),
			-EINVAL);
}

/* A pointer to itself, a forward pointer, a cycle of two: all refused. */
static void vmgw_dns_test_ptr_loop(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	unsigned int at, p1;
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* answer owner points at itself */
	dns_start(b, "www.example.com", 1);
	at = b->len;
	dns_put_ptr(b, at);
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_PTR_LOOP);
	KUNIT_EXPECT_EQ(test, s.n, 0);

	/* question is a pointer to a label that points back to it */
	b->len = 0;
	dns_put16(b, 1);
	dns_put16(b, 0x8180);
	dns_put16(b, 1);
	dns_put16(b, 0);
	dns_put16(b, 0);
	dns_put16(b, 0);
	p1 = b->len;
	dns_put_ptr(b, p1 + 2);		/* forward */
	b->p[b->len++] = 1;
	b->p[b->len++] = 'a';
	dns_put_ptr(b, p1);
	dns_put16(b, 1);
	dns_put16(b, 1);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_PTR_LOOP);

	/* a label, then a pointer back to that same label: a cycle */
	dns_start(b, "www.example.com", 1);
	at = b->len;
	b->p[b->len++] = 1;
	b->p[b->len++] = 'x';
	dns_put_ptr(b, at);
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_PTR_LOOP);
	KUNIT_EXPECT_EQ(test, s.n, 0);
}

/*
 * A chain of @hops backward pointers, each to the previous, ending at a
 * name: 16 hops are followed, 17 are a loop.
 */
static void dns_ptr_chain(struct dns_buf *b, unsigned int hops)
{
	unsigned int prev, i, here;

	dns_start(b, "www.example.com", 1);
	prev = VMGW_DNS_HDR_LEN;
	/* Hide the chain inside the data of an ignored TXT answer. */
	b->p[b->len++] = 0;		/* root owner */
	dns_put16(b, 16);
	dns_put16(b, 1);
	dns_put32(b, 0);
	dns_put16(b, hops * 2);
	for (i = 0; i < hops; i++) {
		here = b->len;
		dns_put_ptr(b, prev);
		prev = here;
	}
	vmgw_put_be16(b->p + 6, 2);
	dns_put_ptr(b, prev);
	dns_put_rr(b, 1, 100, addr4, 4);
}

static void vmgw_dns_test_ptr_hops(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* the owner's own pointer is one hop: 15 more in the chain */
	dns_ptr_chain(b, VMGW_DNS_MAX_PTRS - 1);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 1);
	dns_ptr_chain(b, VMGW_DNS_MAX_PTRS);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_PTR_LOOP);
	KUNIT_EXPECT_EQ(test, s.n, 0);
}

/* Every prefix of a good response is refused, never half learned. */
static void vmgw_dns_test_truncated(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	unsigned int len, learned;
	enum vmgw_dns_err err;
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_start(b, "www.example.com", 2);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 300, addr4, 4);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 28, 300, addr6, 16);
	KUNIT_ASSERT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_ASSERT_EQ(test, s.n, 2);

	for (len = 0; len < b->len; len++) {
		/* A copy of exactly @len bytes: KASAN sees any overread. */
		u8 *p = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		memcpy(p, b->p, len);
		memset(&s, 0, sizeof(s));
		err = vmgw_dns_learn(p, len, &h, dns_record, &s, &learned);
		KUNIT_EXPECT_EQ_MSG(test, err,
				    len < VMGW_DNS_HDR_LEN ?
				    VMGW_DNS_ERR_HEADER :
				    VMGW_DNS_ERR_TRUNCATED,
				    "len %u: %s", len, vmgw_dns_err_names[err]);
		KUNIT_EXPECT_EQ_MSG(test, s.n, 0, "len %u", len);
		kunit_kfree(test, p);
	}
}

/* 255 octets on the wire are a name; 256 are not. */
static void dns_long_name(struct dns_buf *b, unsigned int last)
{
	unsigned int i;

	b->len = 0;
	dns_put16(b, 1);
	dns_put16(b, 0x8180);
	dns_put16(b, 1);
	dns_put16(b, 0);
	dns_put16(b, 0);
	dns_put16(b, 0);
	/* 3 labels of 63 (192 octets), one of @last, the root */
	for (i = 0; i < 4; i++) {
		unsigned int n = i < 3 ? 63 : last;

		b->p[b->len++] = n;
		memset(b->p + b->len, 'a', n);
		b->len += n;
	}
	b->p[b->len++] = 0;
	dns_put16(b, 1);
	dns_put16(b, 1);
}

/* DNS over TCP: a message is whole only when prefix and body are there. */
static void vmgw_dns_test_tcp_msg(struct kunit *test)
{
	u8 p[8] = { 0, 4, 1, 2, 3, 4, 0xff, 0xff };
	unsigned int n = 12345;
	u8 *big;

	KUNIT_EXPECT_FALSE(test, vmgw_dns_tcp_msg(p, 0, &n));
	KUNIT_EXPECT_FALSE(test, vmgw_dns_tcp_msg(p, 1, &n));
	KUNIT_EXPECT_FALSE(test, vmgw_dns_tcp_msg(p, 2, &n));
	KUNIT_EXPECT_FALSE(test, vmgw_dns_tcp_msg(p, 5, &n));
	KUNIT_EXPECT_EQ(test, n, 12345);
	KUNIT_EXPECT_TRUE(test, vmgw_dns_tcp_msg(p, 6, &n));
	KUNIT_EXPECT_EQ(test, n, 4);
	/* more than one message: the first */
	KUNIT_EXPECT_TRUE(test, vmgw_dns_tcp_msg(p, 8, &n));
	KUNIT_EXPECT_EQ(test, n, 4);
	/* the largest prefix: whole only with all of its 65535 bytes */
	KUNIT_EXPECT_FALSE(test, vmgw_dns_tcp_msg(p + 6, 2, &n));
	big = kunit_kzalloc(test, 2 + 65535, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	vmgw_put_be16(big, 65535);
	KUNIT_EXPECT_FALSE(test, vmgw_dns_tcp_msg(big, 2 + 65534, &n));
	KUNIT_EXPECT_TRUE(test, vmgw_dns_tcp_msg(big, 2 + 65535, &n));
	KUNIT_EXPECT_EQ(test, n, 65535);
	/* an empty message is whole (the parser refuses it) */
	p[1] = 0;
	KUNIT_EXPECT_TRUE(test, vmgw_dns_tcp_msg(p, 2, &n));
	KUNIT_EXPECT_EQ(test, n, 0);
}

static void vmgw_dns_test_name_len(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_long_name(b, 61);	/* 3 * 64 + 62 + 1 = 255 */
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	dns_long_name(b, 62);	/* 256 */
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_NAME_LEN);
	/* a label length of 64 (0x40) is an extended label type */
	dns_long_name(b, 61);
	b->p[VMGW_DNS_HDR_LEN] = 0x40;
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_LABEL);
	b->p[VMGW_DNS_HDR_LEN] = 0x80;
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_LABEL);
}

/*
 * Segments of one 63-byte label and a pointer to the previous segment,
 * the first pointing at the question (17 octets), hidden in a TXT answer;
 * a second answer's owner points at the last segment.
 */
static void dns_segments(struct dns_buf *b, unsigned int nseg)
{
	unsigned int prev = VMGW_DNS_HDR_LEN, here, i;

	dns_start(b, "www.example.com", 2);
	b->p[b->len++] = 0;
	dns_put16(b, 16);
	dns_put16(b, 1);
	dns_put32(b, 0);
	dns_put16(b, nseg * 66);
	for (i = 0; i < nseg; i++) {
		here = b->len;
		b->p[b->len++] = 63;
		memset(b->p + b->len, 'z', 63);
		b->len += 63;
		dns_put_ptr(b, prev);
		prev = here;
	}
	dns_put_ptr(b, prev);
	dns_put_rr(b, 1, 100, addr4, 4);
}

/* Built from pointers, a name can still not pass 255 octets. */
static void vmgw_dns_test_name_len_ptr(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_segments(b, 3);	/* 3 * 64 + 17 = 209 octets */
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 0);
	dns_segments(b, 4);	/* 273 octets */
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_NAME_LEN);
	KUNIT_EXPECT_EQ(test, s.n, 0);
}

static void vmgw_dns_test_ptr_into_header(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_start(b, "www.example.com", 1);
	dns_put_ptr(b, 4);
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_LABEL);
}

static void vmgw_dns_test_cname_chain(struct kunit *test)
{
	static const char * const pat[] = { "*.allowed.com" };
	struct vmgw_dns_hosts h = dns_hosts(test, pat, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	unsigned int target;
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* api.allowed.com CNAME edge.cdn.net; edge.cdn.net A; other.net A */
	dns_start(b, "api.allowed.com", 3);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	target = dns_put_cname(b, "edge.cdn.net", 30);
	dns_put_ptr(b, target);
	dns_put_rr(b, 1, 30, addr4, 4);
	dns_put_name(b, "other.net");
	dns_put_rr(b, 28, 30, addr6, 16);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_ASSERT_EQ(test, s.n, 1);
	KUNIT_EXPECT_MEMEQ(test, s.a[0].addr, addr4, 4);
	KUNIT_EXPECT_EQ(test, s.a[0].ttl, VMGW_DNS_TTL_MIN);

	/* the same chain from a question that is not allowed: nothing */
	dns_start(b, "api.other.com", 2);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	target = dns_put_cname(b, "edge.cdn.net", 30);
	dns_put_ptr(b, target);
	dns_put_rr(b, 1, 30, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 0);

	/* a CNAME whose target overruns its data */
	dns_start(b, "api.allowed.com", 1);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	target = dns_put_cname(b, "edge.cdn.net", 30);
	vmgw_put_be16(b->p + target - 2, 13);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_RDATA);
	/* one that ends before its data does */
	vmgw_put_be16(b->p + target - 2, 15);
	b->p[b->len++] = 0;
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_RDATA);
}

static void vmgw_dns_test_not_learned(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct dns_seen s;

	KUNIT_ASSERT_NOT_NULL(test, b);
	/* NXDOMAIN with an answer anyway */
	dns_start(b, "www.example.com", 1);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 100, addr4, 4);
	vmgw_put_be16(b->p + 2, 0x8183);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 0);
	/* a query, not a response */
	vmgw_put_be16(b->p + 2, 0x0100);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_HEADER);
	/* two questions */
	vmgw_put_be16(b->p + 2, 0x8180);
	vmgw_put_be16(b->p + 4, 2);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_HEADER);
	/* class CHAOS is ignored */
	vmgw_put_be16(b->p + 4, 1);
	vmgw_put_be16(b->p + b->len - 12, 3);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 0);
	/* an A record of 5 bytes */
	dns_start(b, "www.example.com", 1);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 100, addr6, 5);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_ERR_RDATA);
	/* a name with a dot inside a label never matches */
	dns_start(b, "example.com", 1);
	b->p[b->len++] = 11;
	memcpy(b->p + b->len, "www.example", 11);
	b->len += 11;
	b->p[b->len++] = 3;
	memcpy(b->p + b->len, "com", 3);
	b->len += 3;
	b->p[b->len++] = 0;
	dns_put_rr(b, 1, 100, addr4, 4);
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 0);
	/* no patterns: nothing is allowed */
	dns_start(b, "www.example.com", 1);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 100, addr4, 4);
	h.n = 0;
	KUNIT_EXPECT_EQ(test, dns_run(b, &h, &s), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, s.n, 0);
}

/* Random corruption of a good response: any verdict, no KASAN report. */
static void vmgw_dns_test_mutations(struct kunit *test)
{
	struct vmgw_dns_hosts h = dns_hosts(test, one_host, 1);
	struct dns_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	unsigned int i, j, learned, ok = 0;
	struct dns_seen s;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_start(b, "www.example.com", 3);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 1, 300, addr4, 4);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put16(b, 5);
	dns_put16(b, 1);
	dns_put32(b, 30);
	dns_put16(b, 2);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN + 4);
	dns_put_ptr(b, VMGW_DNS_HDR_LEN);
	dns_put_rr(b, 28, 300, addr6, 16);
	p = kunit_kmalloc(test, b->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < 2000; i++) {
		memcpy(p, b->p, b->len);
		for (j = 0; j < 1 + i % 4; j++)
			p[get_random_u32() % b->len] = get_random_u32();
		memset(&s, 0, sizeof(s));
		if (!vmgw_dns_learn(p, b->len, &h, dns_record, &s, &learned))
			ok++;
		KUNIT_EXPECT_LE(test, s.n, 3);
	}
	/* most single-byte changes hit data, not structure */
	KUNIT_EXPECT_GT(test, ok, 0);
}

/* A query and its answer give the same question, whatever the case. */
static void vmgw_dns_test_question(struct kunit *test)
{
	struct vmgw_dns_question qa, qb;
	struct dns_buf *b;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	dns_start(b, "WWW.Example.com", 0);
	KUNIT_ASSERT_EQ(test, vmgw_dns_question(b->p, b->len, true, &qa),
			VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, qa.id, 0x1234);
	KUNIT_EXPECT_EQ(test, qa.qtype, 1);
	KUNIT_EXPECT_EQ(test, qa.qclass, 1);
	KUNIT_EXPECT_EQ(test, qa.name_len, 17);
	KUNIT_EXPECT_EQ(test, memcmp(qa.name, "\3www\7example\3com", 17), 0);
	/* the direction must be the one asked for */
	KUNIT_EXPECT_EQ(test, vmgw_dns_question(b->p, b->len, false, &qb),
			VMGW_DNS_ERR_HEADER);
	/* the query: QR clear, other case */
	dns_start(b, "www.EXAMPLE.com", 0);
	vmgw_put_be16(b->p + 2, 0x0100);
	KUNIT_ASSERT_EQ(test, vmgw_dns_question(b->p, b->len, false, &qb),
			VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, memcmp(&qa.name, &qb.name, qa.name_len), 0);
	KUNIT_EXPECT_EQ(test, qa.name_len, qb.name_len);
	/* no type and class: truncated; two questions or opcode 1: header */
	KUNIT_EXPECT_EQ(test, vmgw_dns_question(b->p, b->len - 1, false, &qb),
			VMGW_DNS_ERR_TRUNCATED);
	vmgw_put_be16(b->p + 4, 2);
	KUNIT_EXPECT_EQ(test, vmgw_dns_question(b->p, b->len, false, &qb),
			VMGW_DNS_ERR_HEADER);
	vmgw_put_be16(b->p + 4, 1);
	vmgw_put_be16(b->p + 2, 0x0900);
	KUNIT_EXPECT_EQ(test, vmgw_dns_question(b->p, b->len, false, &qb),
			VMGW_DNS_ERR_HEADER);
	KUNIT_EXPECT_EQ(test, vmgw_dns_question(b->p, 11, false, &qb),
			VMGW_DNS_ERR_HEADER);
	/* a question name that points at itself */
	dns_start(b, "www.example.com", 0);
	vmgw_put_be16(b->p + 12, 0xc000 | 12);
	KUNIT_EXPECT_EQ(test, vmgw_dns_question(b->p, b->len, true, &qb),
			VMGW_DNS_ERR_PTR_LOOP);
}

/* A TCP stream seen segment by segment: its payload and what it found. */
struct dns_stream_env {
	const u8 *p;
	unsigned int len;
	unsigned int off[8];
	unsigned int mlen[8];
	unsigned int n;
};

static bool dns_stream_read(void *arg, unsigned int off, u8 *to,
			    unsigned int len)
{
	const struct dns_stream_env *e = arg;

	if (off > e->len || len > e->len - off)
		return false;
	memcpy(to, e->p + off, len);
	return true;
}

static void dns_stream_msg(void *arg, unsigned int off, unsigned int len)
{
	struct dns_stream_env *e = arg;

	if (e->n < ARRAY_SIZE(e->off)) {
		e->off[e->n] = off;
		e->mlen[e->n] = len;
	}
	e->n++;
}

static void dns_seg(struct vmgw_dns_stream *s, struct dns_stream_env *e,
		    u32 seq, bool syn, const u8 *p, unsigned int len,
		    struct vmgw_dns_seg *res)
{
	e->p = p;
	e->len = len;
	e->n = 0;
	vmgw_dns_stream_seg(s, seq, syn, len, dns_stream_read, dns_stream_msg,
			    e, res);
}

/*
 * Messages are found only at the boundaries the stream's prefixes point
 * at, from the SYN on: a segment that starts inside a message (the
 * retransmission after a partial ACK) is never read from its first byte.
 */
static void vmgw_dns_test_stream(struct kunit *test)
{
	struct vmgw_dns_stream s = {};
	struct dns_stream_env e = {};
	struct vmgw_dns_seg r;
	u8 *p;

	p = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/*
	 * Message A (30 bytes) whose bytes 10.. are shaped like a message
	 * of its own (a prefix of 18 and 18 bytes), then message B (4).
	 */
	vmgw_put_be16(p, 30);
	vmgw_put_be16(p + 2 + 10, 18);
	vmgw_put_be16(p + 32, 4);

	/* before the SYN nothing is known: never learned */
	dns_seg(&s, &e, 5000, false, p, 38, &r);
	KUNIT_EXPECT_EQ(test, e.n, 0);
	KUNIT_EXPECT_TRUE(test, r.unaligned);
	/* the SYN-ACK: the stream starts at ISN + 1, even across 2^32 */
	dns_seg(&s, &e, 0xfffffff0, true, p, 0, &r);
	KUNIT_EXPECT_EQ(test, s.next, 0xfffffff1);
	KUNIT_EXPECT_EQ(test, s.state, VMGW_DNS_STREAM_SYNC);
	KUNIT_EXPECT_FALSE(test, r.unaligned);
	/* a second SYN changes nothing */
	dns_seg(&s, &e, 7, true, p, 0, &r);
	KUNIT_EXPECT_EQ(test, s.next, 0xfffffff1);

	/* A and B in one segment at the boundary: both, nothing else */
	dns_seg(&s, &e, 0xfffffff1, false, p, 38, &r);
	KUNIT_EXPECT_EQ(test, e.n, 2);
	KUNIT_EXPECT_EQ(test, r.msgs, 2);
	KUNIT_EXPECT_EQ(test, e.off[0], 2);
	KUNIT_EXPECT_EQ(test, e.mlen[0], 30);
	KUNIT_EXPECT_EQ(test, e.off[1], 34);
	KUNIT_EXPECT_EQ(test, e.mlen[1], 4);
	KUNIT_EXPECT_EQ(test, s.next, 0xfffffff1 + 38);

	/*
	 * The partial-ACK attack: the guest acknowledged 12 bytes, the
	 * resolver sends again from there. Read from its first byte it
	 * would be a message of 18; it is not read at all.
	 */
	dns_seg(&s, &e, 0xfffffff1 + 12, false, p + 12, 26, &r);
	KUNIT_EXPECT_EQ(test, e.n, 0);
	KUNIT_EXPECT_TRUE(test, r.unaligned);
	KUNIT_EXPECT_EQ(test, s.next, 0xfffffff1 + 38);
	/* a segment beyond a gap, and old data again: not read either */
	dns_seg(&s, &e, 0xfffffff1 + 40, false, p, 38, &r);
	KUNIT_EXPECT_EQ(test, e.n, 0);
	KUNIT_EXPECT_TRUE(test, r.unaligned);
	dns_seg(&s, &e, 0xfffffff1, false, p, 38, &r);
	KUNIT_EXPECT_EQ(test, e.n, 0);
	KUNIT_EXPECT_TRUE(test, r.unaligned);

	/*
	 * A segment that starts 12 bytes before the boundary (the end of
	 * an earlier message) and goes past it: read from the boundary on,
	 * A and B.
	 */
	s.next = 0xfffffff1;
	memset(p + 128, 0xff, 12);
	memcpy(p + 128 + 12, p, 38);
	dns_seg(&s, &e, 0xfffffff1 - 12, false, p + 128, 50, &r);
	KUNIT_EXPECT_EQ(test, r.msgs, 2);
	KUNIT_EXPECT_EQ(test, e.off[0], 14);
	KUNIT_EXPECT_EQ(test, e.mlen[0], 30);
	KUNIT_EXPECT_EQ(test, e.off[1], 46);
	KUNIT_EXPECT_EQ(test, e.mlen[1], 4);
}

/* Messages split over segments: their ends are the next boundaries. */
static void vmgw_dns_test_stream_split(struct kunit *test)
{
	struct vmgw_dns_stream s = {};
	struct dns_stream_env e = {};
	struct vmgw_dns_seg r;
	u8 *p;

	p = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	vmgw_put_be16(p, 100);		/* A: 100 bytes at 1..102 */
	vmgw_put_be16(p + 102, 6);	/* B: 6 bytes at 103..110 */
	dns_seg(&s, &e, 0, true, p, 0, &r);

	/* A's first 50 bytes: split, not parsed */
	dns_seg(&s, &e, 1, false, p, 50, &r);
	KUNIT_EXPECT_EQ(test, e.n, 0);
	KUNIT_EXPECT_EQ(test, r.split, 1);
	KUNIT_EXPECT_FALSE(test, r.unaligned);
	KUNIT_EXPECT_EQ(test, s.next, 103);
	/* A's rest and B whole: B only */
	dns_seg(&s, &e, 51, false, p + 50, 60, &r);
	KUNIT_EXPECT_EQ(test, e.n, 1);
	KUNIT_EXPECT_EQ(test, e.off[0], 54);
	KUNIT_EXPECT_EQ(test, e.mlen[0], 6);
	KUNIT_EXPECT_EQ(test, s.next, 111);
	/* a zero-length message is a message (the parser refuses it) */
	vmgw_put_be16(p + 110, 0);
	dns_seg(&s, &e, 111, false, p + 110, 2, &r);
	KUNIT_EXPECT_EQ(test, e.n, 1);
	KUNIT_EXPECT_EQ(test, e.mlen[0], 0);
	KUNIT_EXPECT_EQ(test, s.next, 113);
	/* a prefix split in two: the position is lost for good */
	dns_seg(&s, &e, 113, false, p, 1, &r);
	KUNIT_EXPECT_TRUE(test, r.lost);
	KUNIT_EXPECT_EQ(test, s.state, VMGW_DNS_STREAM_LOST);
	dns_seg(&s, &e, 114, false, p + 102, 8, &r);
	KUNIT_EXPECT_EQ(test, e.n, 0);
	KUNIT_EXPECT_TRUE(test, r.unaligned);
	/* and a SYN does not bring it back */
	dns_seg(&s, &e, 0, true, p, 0, &r);
	KUNIT_EXPECT_EQ(test, s.state, VMGW_DNS_STREAM_LOST);
}

static struct kunit_case vmgw_dns_test_cases[] = {
	KUNIT_CASE(vmgw_dns_test_a_exact),
	KUNIT_CASE(vmgw_dns_test_ttl_clamp),
	KUNIT_CASE(vmgw_dns_test_case_insensitive),
	KUNIT_CASE(vmgw_dns_test_patterns),
	KUNIT_CASE(vmgw_dns_test_host_parse),
	KUNIT_CASE(vmgw_dns_test_host_parse_lengths),
	KUNIT_CASE(vmgw_dns_test_ptr_loop),
	KUNIT_CASE(vmgw_dns_test_ptr_hops),
	KUNIT_CASE(vmgw_dns_test_truncated),
	KUNIT_CASE(vmgw_dns_test_name_len),
	KUNIT_CASE(vmgw_dns_test_tcp_msg),
	KUNIT_CASE(vmgw_dns_test_name_len_ptr),
	KUNIT_CASE(vmgw_dns_test_ptr_into_header),
	KUNIT_CASE(vmgw_dns_test_cname_chain),
	KUNIT_CASE(vmgw_dns_test_not_learned),
	KUNIT_CASE(vmgw_dns_test_mutations),
	KUNIT_CASE(vmgw_dns_test_question),
	KUNIT_CASE(vmgw_dns_test_stream),
	KUNIT_CASE(vmgw_dns_test_stream_split),
	{}
};

static struct kunit_suite vmgw_dns_test_suite = {
	.name = "vmgw_dns",
	.test_cases = vmgw_dns_test_cases,
};

kunit_test_suite(vmgw_dns_test_suite);
