// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the outstanding DNS queries of a device. A tag stands for one
 * query on one flow: another flow, ID, type, class or name is another tag;
 * an entry teaches once, waits %VMGW_DNSQ_TIMEOUT seconds at most, and a
 * full bucket records nothing more. Time is passed in, never slept.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dnsq.h"

#define SEC(s)	((unsigned long)(s) * HZ)

static void dq_flow(struct vmgw_dnsq_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->family = 4;
	f->proto = 17;
	memcpy(f->guest, "\x0a\x00\x02\x0f", 4);
	memcpy(f->server, "\x0a\x00\x02\x02", 4);
	f->gport = 40000;
	f->sport = 53;
}

static void dq_question(struct vmgw_dns_question *q)
{
	memset(q, 0, sizeof(*q));
	q->id = 0x4242;
	q->qtype = 1;
	q->qclass = 1;
	q->name_len = 10;
	memcpy(q->name, "\3adv\4test\0", 10);
}

static struct vmgw_dnsq *dq_alloc(struct kunit *test)
{
	struct vmgw_dnsq *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	vmgw_dnsq_init(q);
	return q;
}

/* Every part of the flow and the question is in the tag. */
static void vmgw_dnsq_test_tag(struct kunit *test)
{
	struct vmgw_dnsq *q = dq_alloc(test);
	struct vmgw_dns_question qu, qv;
	struct vmgw_dnsq_flow f, g;
	u64 tag;

	dq_flow(&f);
	dq_question(&qu);
	tag = vmgw_dnsq_tag(q, &f, &qu);
	g = f;
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_tag(q, &g, &qu), tag);
	g.gport++;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &g, &qu), tag);
	g = f;
	g.sport = 5353;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &g, &qu), tag);
	g = f;
	g.server[3] = 3;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &g, &qu), tag);
	g = f;
	g.guest[3] = 16;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &g, &qu), tag);
	g = f;
	g.proto = 6;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &g, &qu), tag);
	qv = qu;
	qv.id++;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &f, &qv), tag);
	qv = qu;
	qv.qtype = 28;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &f, &qv), tag);
	qv = qu;
	qv.qclass = 3;
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &f, &qv), tag);
	qv = qu;
	qv.name[1] = 'b';
	KUNIT_EXPECT_NE(test, vmgw_dnsq_tag(q, &f, &qv), tag);
	/* bytes past the name do not count */
	qv = qu;
	qv.name[200] = 1;
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_tag(q, &f, &qv), tag);
}

/* A query teaches once, within its time. */
static void vmgw_dnsq_test_take(struct kunit *test)
{
	struct vmgw_dnsq *q = dq_alloc(test);
	unsigned long now = jiffies + SEC(1000);
	struct vmgw_dns_question qu;
	struct vmgw_dnsq_flow f;
	u64 tag;

	dq_flow(&f);
	dq_question(&qu);
	tag = vmgw_dnsq_tag(q, &f, &qu);
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag, now));
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag, now), VMGW_DNSQ_ADDED);
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_count(q, now), 1);
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag ^ 1, now));
	KUNIT_EXPECT_TRUE(test, vmgw_dnsq_take(q, tag, now + SEC(1)));
	/* consumed: a second answer is unsolicited */
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag, now + SEC(1)));
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_count(q, now), 0);

	/* a retransmitted query waits anew, and still teaches once */
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag, now), VMGW_DNSQ_ADDED);
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag, now + SEC(10)),
			VMGW_DNSQ_REFRESHED);
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_count(q, now + SEC(10)), 1);
	KUNIT_EXPECT_TRUE(test, vmgw_dnsq_take(q, tag,
					       now + SEC(10 + VMGW_DNSQ_TIMEOUT) - 1));
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag, now + SEC(11)));

	/* an answer after the timeout teaches nothing */
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag, now), VMGW_DNSQ_ADDED);
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag,
						now + SEC(VMGW_DNSQ_TIMEOUT)));
	/* a flush forgets (the query above still waits at @now) */
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag, now), VMGW_DNSQ_REFRESHED);
	vmgw_dnsq_flush(q);
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag, now));
}

/* A full bucket records nothing more until an entry expires or goes. */
static void vmgw_dnsq_test_full(struct kunit *test)
{
	struct vmgw_dnsq *q = dq_alloc(test);
	unsigned long now = jiffies + SEC(1000);
	u64 tag[VMGW_DNSQ_WAYS + 1];
	unsigned int i;

	/* tags of one bucket: the same low bits */
	for (i = 0; i <= VMGW_DNSQ_WAYS; i++)
		tag[i] = ((u64)(i + 1) << 32) | 5;
	for (i = 0; i < VMGW_DNSQ_WAYS; i++)
		KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag[i], now + i),
				VMGW_DNSQ_ADDED);
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag[VMGW_DNSQ_WAYS], now),
			VMGW_DNSQ_FULL);
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag[VMGW_DNSQ_WAYS], now));
	/* another bucket has room */
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, 6, now), VMGW_DNSQ_ADDED);
	/* an answered query frees its entry */
	KUNIT_EXPECT_TRUE(test, vmgw_dnsq_take(q, tag[1], now));
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag[VMGW_DNSQ_WAYS], now),
			VMGW_DNSQ_ADDED);
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag[1], now), VMGW_DNSQ_FULL);
	/* so does one that expired: the oldest, tag[0] */
	KUNIT_EXPECT_EQ(test, vmgw_dnsq_add(q, tag[1],
					    now + SEC(VMGW_DNSQ_TIMEOUT)),
			VMGW_DNSQ_ADDED);
	KUNIT_EXPECT_FALSE(test, vmgw_dnsq_take(q, tag[0],
						now + SEC(VMGW_DNSQ_TIMEOUT)));
	KUNIT_EXPECT_TRUE(test, vmgw_dnsq_take(q, tag[2],
					       now + SEC(VMGW_DNSQ_TIMEOUT)));
	KUNIT_EXPECT_LE(test, vmgw_dnsq_count(q, now), VMGW_DNSQ_MAX);
}

static struct kunit_case vmgw_dnsq_test_cases[] = {
	KUNIT_CASE(vmgw_dnsq_test_tag),
	KUNIT_CASE(vmgw_dnsq_test_take),
	KUNIT_CASE(vmgw_dnsq_test_full),
	{}
};

static struct kunit_suite vmgw_dnsq_test_suite = {
	.name = "vmgw_dnsq",
	.test_cases = vmgw_dnsq_test_cases,
};

kunit_test_suite(vmgw_dnsq_test_suite);
