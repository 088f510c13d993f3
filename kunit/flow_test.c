// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the flow table. Time is passed in (jiffies), never slept: cap,
 * per-state timeouts, reuse, collection, and keys that are the same flow
 * seen from both directions.
 */
#include <kunit/test.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <net/tcp.h>

#include "flow.h"
#include "frames.h"

/* Any start works; well after the table's birth keeps its gc clock sane. */
#define T0_NOW	(jiffies + 1000 * HZ)
#define SEC(s)	((unsigned long)(s) * HZ)

static struct vmgw_flows *ft_alloc(struct kunit *test, u32 max)
{
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	struct vmgw_flows *t = vmgw_flows_alloc();

	KUNIT_ASSERT_NOT_NULL(test, t);
	lim.max = max;
	KUNIT_ASSERT_EQ(test, vmgw_flows_set_limits(t, &lim), 0);
	return t;
}

/* The key of a guest -> peer segment from guest port @gport. */
static struct vmgw_flow_key ft_key(struct kunit *test, u16 gport)
{
	struct tf t = { .src = "10.0.2.15", .dst = "93.184.216.34",
			.proto = IPPROTO_TCP, .sport = gport, .dport = 443,
			.flags = TCPHDR_SYN };
	struct vmgw_frame_info fi;
	struct vmgw_flow_key k;
	u8 f[TF_MAX];

	tf_classify(f, tf_build(f, &t), &fi);
	KUNIT_ASSERT_TRUE(test, vmgw_flow_key_from(&fi, true, &k));
	return k;
}

static bool ft_track(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		     u8 flags, unsigned long now)
{
	bool live;

	rcu_read_lock_bh();
	live = vmgw_flow_track(t, k, flags, now);
	rcu_read_unlock_bh();
	return live;
}

static void vmgw_flow_test_cap(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, 3);
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k;
	u16 p;

	for (p = 1; p <= 3; p++) {
		k = ft_key(test, p);
		KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0),
				VMGW_FLOW_OPENED);
	}
	k = ft_key(test, 4);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0), VMGW_FLOW_FULL);
	/* a retransmitted SYN of a known flow is fine when full */
	k = ft_key(test, 2);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(30)),
			VMGW_FLOW_REOPENED);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 3);

	/* still full just before the SYN timeout of flows 1 and 3 */
	k = ft_key(test, 4);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(59)),
			VMGW_FLOW_FULL);
	/* they expired, 2 was refreshed: room for two more, not three */
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(61)),
			VMGW_FLOW_OPENED);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 2);
	k = ft_key(test, 5);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(61)),
			VMGW_FLOW_OPENED);
	k = ft_key(test, 6);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(61)),
			VMGW_FLOW_FULL);
	vmgw_flows_free(t);
}

static void vmgw_flow_test_timeouts(struct kunit *test)
{
	static const struct {
		u8 flags;		/* segment after the SYN, 0: none */
		unsigned int timeout;
	} t[] = {
		{ 0, VMGW_FLOW_SYN_TIMEOUT },
		{ TCPHDR_ACK, VMGW_FLOW_EST_TIMEOUT },
		{ TCPHDR_ACK | TCPHDR_FIN, VMGW_FLOW_FIN_TIMEOUT },
		{ TCPHDR_ACK | TCPHDR_RST, VMGW_FLOW_RST_TIMEOUT },
		{ TCPHDR_RST, VMGW_FLOW_RST_TIMEOUT },
	};
	struct vmgw_flows *tab = ft_alloc(test, 16);
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k;
	unsigned long now;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		k = ft_key(test, 100 + i);
		now = t0 + SEC(10000 * i);
		KUNIT_ASSERT_EQ(test, vmgw_flow_open(tab, &k, false, now),
				VMGW_FLOW_OPENED);
		if (t[i].flags) {
			now += SEC(1);
			KUNIT_EXPECT_TRUE(test, ft_track(tab, &k, t[i].flags,
							 now));
		}
		/*
		 * Alive one jiffy before its state's timeout; seen then, dead
		 * one timeout later: too short or too long a timeout fails.
		 */
		KUNIT_EXPECT_TRUE_MSG(test,
				      ft_track(tab, &k, 0, now +
					       SEC(t[i].timeout) - 1) &&
				      !ft_track(tab, &k, 0, now +
						SEC(2 * t[i].timeout)),
				      "case %u", i);
	}
	vmgw_flows_free(tab);
}

/* Exact edge: a flow seen at t lives until t + timeout, exclusive. */
static void vmgw_flow_test_idle_edge(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, 16);
	struct vmgw_flow_key k = ft_key(test, 7);
	unsigned long now = T0_NOW;

	vmgw_flow_open(t, &k, false, now);
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK, now));
	now += SEC(VMGW_FLOW_EST_TIMEOUT) - 1;
	/* seen again one jiffy before expiry: a new idle period starts */
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK, now));
	now += SEC(VMGW_FLOW_EST_TIMEOUT) - 1;
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK, now));
	now += SEC(VMGW_FLOW_EST_TIMEOUT);
	KUNIT_EXPECT_FALSE(test, ft_track(t, &k, TCPHDR_ACK, now));
	/* an expired flow does not count as live, but is still there */
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 1);
	KUNIT_EXPECT_EQ(test, vmgw_flows_gc(t, now), 1);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 0);
	vmgw_flows_free(t);
}

static void vmgw_flow_test_reuse(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, 16);
	struct vmgw_flow_key k = ft_key(test, 9);
	unsigned long now = T0_NOW;

	KUNIT_EXPECT_FALSE(test, ft_track(t, &k, TCPHDR_ACK, now));
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, now), VMGW_FLOW_OPENED);
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK | TCPHDR_FIN, now));
	/* FIN state: a new SYN on the same ports restarts the flow */
	now += SEC(30);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, now), VMGW_FLOW_REOPENED);
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK, now));
	/* established again: the long timeout applies */
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, 0,
					 now + SEC(VMGW_FLOW_FIN_TIMEOUT) * 2));
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 1);
	vmgw_flows_flush(t);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 0);
	KUNIT_EXPECT_FALSE(test, ft_track(t, &k, TCPHDR_ACK, now));
	vmgw_flows_free(t);
}

/* A guest's segment and the peer's answer are one flow. */
static void vmgw_flow_test_key_directions(struct kunit *test)
{
	struct tf out = { .src = "fd00::15", .dst = "2001:db8::1",
			  .proto = IPPROTO_TCP, .sport = 40000, .dport = 22,
			  .flags = TCPHDR_SYN };
	struct tf back = { .src = "2001:db8::1", .dst = "fd00::15",
			   .proto = IPPROTO_TCP, .sport = 22, .dport = 40000,
			   .flags = TCPHDR_SYN | TCPHDR_ACK };
	struct vmgw_flow_key ko, kb, kx;
	struct vmgw_frame_info fi;
	u8 f[TF_MAX];

	tf_classify(f, tf_build(f, &out), &fi);
	KUNIT_ASSERT_TRUE(test, vmgw_flow_key_from(&fi, true, &ko));
	tf_classify(f, tf_build(f, &back), &fi);
	KUNIT_ASSERT_TRUE(test, vmgw_flow_key_from(&fi, false, &kb));
	KUNIT_EXPECT_EQ(test, memcmp(&ko, &kb, sizeof(ko)), 0);
	KUNIT_EXPECT_EQ(test, ko.gport, 40000);
	KUNIT_EXPECT_EQ(test, ko.pport, 22);
	/* read from the wrong side, it is another flow */
	KUNIT_ASSERT_TRUE(test, vmgw_flow_key_from(&fi, true, &kx));
	KUNIT_EXPECT_NE(test, memcmp(&ko, &kx, sizeof(ko)), 0);

	/* not TCP: no key */
	out.proto = IPPROTO_UDP;
	tf_classify(f, tf_build(f, &out), &fi);
	KUNIT_EXPECT_FALSE(test, vmgw_flow_key_from(&fi, true, &kx));
}

static void vmgw_flow_test_limits(struct kunit *test)
{
	struct vmgw_flows *t = vmgw_flows_alloc();
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->lim.max, VMGW_FLOW_MAX_DEFAULT);
	lim.max = 0;
	KUNIT_EXPECT_EQ(test, vmgw_flows_set_limits(t, &lim), -EINVAL);
	lim.max = VMGW_FLOW_MAX_LIMIT + 1;
	KUNIT_EXPECT_EQ(test, vmgw_flows_set_limits(t, &lim), -EINVAL);
	lim.max = 8;
	lim.timeout[VMGW_FLOW_FIN] = 0;
	KUNIT_EXPECT_EQ(test, vmgw_flows_set_limits(t, &lim), -EINVAL);
	lim.timeout[VMGW_FLOW_FIN] = VMGW_FLOW_TIMEOUT_MAX + 1;
	KUNIT_EXPECT_EQ(test, vmgw_flows_set_limits(t, &lim), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->lim.max, VMGW_FLOW_MAX_DEFAULT);

	/* a shorter SYN timeout applies to a flow already open */
	k = ft_key(test, 1);
	vmgw_flow_open(t, &k, false, t0);
	lim = vmgw_flow_default_limits;
	lim.timeout[VMGW_FLOW_SYN] = 5;
	KUNIT_EXPECT_EQ(test, vmgw_flows_set_limits(t, &lim), 0);
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, 0, t0 + SEC(5) - 1));
	KUNIT_EXPECT_FALSE(test, ft_track(t, &k, 0, t0 + SEC(5) * 2));
	vmgw_flows_free(t);
}

/* Many flows, most expired: one collection leaves exactly the live ones. */
static void vmgw_flow_test_gc(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, 4096);
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k;
	unsigned int i;

	/* half at t0, half 50 s later: all live while they are opened */
	for (i = 0; i < 1000; i++) {
		k = ft_key(test, 1000 + i);
		KUNIT_ASSERT_EQ(test,
				vmgw_flow_open(t, &k, false, t0 + i % 2 * SEC(50)),
				VMGW_FLOW_OPENED);
	}
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 1000);
	KUNIT_EXPECT_EQ(test, vmgw_flows_gc(t, t0 + SEC(100)), 500);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 500);
	KUNIT_EXPECT_EQ(test, vmgw_flows_gc(t, t0 + SEC(100)), 0);
	vmgw_flows_free(t);
}

/* Who opened a flow: the gateway side, or the guest; a reuse says anew. */
static void vmgw_flow_test_from_gw(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, 16);
	struct vmgw_flow_key k = ft_key(test, 8080);
	struct vmgw_flow_key other = ft_key(test, 8081);
	const unsigned long t0 = T0_NOW;
	bool gw;

	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, true, t0),
			VMGW_FLOW_OPENED);
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &other, false, t0),
			VMGW_FLOW_OPENED);
	rcu_read_lock_bh();
	KUNIT_EXPECT_TRUE(test, vmgw_flow_from_gw(t, &k, t0));
	KUNIT_EXPECT_FALSE(test, vmgw_flow_from_gw(t, &other, t0));
	/* dead once idle */
	KUNIT_EXPECT_FALSE(test, vmgw_flow_from_gw(t, &k, t0 + SEC(60)));
	rcu_read_unlock_bh();
	/* a retransmitted SYN from the other side does not take it over */
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(1)),
			VMGW_FLOW_REOPENED);
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_RST, t0 + SEC(1)));
	/* reused after a RST: opened by whoever sent the new SYN */
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(2)),
			VMGW_FLOW_REOPENED);
	rcu_read_lock_bh();
	gw = vmgw_flow_from_gw(t, &k, t0 + SEC(2));
	rcu_read_unlock_bh();
	KUNIT_EXPECT_FALSE(test, gw);
	vmgw_flows_flush(t);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 0);
	vmgw_flows_free(t);
}

/* Collection walks the table in chunks: every bucket is reached. */
static void vmgw_flow_test_gc_all_buckets(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, VMGW_FLOW_MAX_LIMIT);
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k;
	unsigned int i, n = 3 * 4096;

	k = ft_key(test, 1);
	for (i = 0; i < n; i++) {
		k.gport = i;
		KUNIT_ASSERT_EQ(test, vmgw_flow_open(t, &k, i & 1, t0),
				VMGW_FLOW_OPENED);
	}
	KUNIT_EXPECT_EQ(test, vmgw_flows_gc(t, t0 + SEC(59)), 0);
	KUNIT_EXPECT_EQ(test, vmgw_flows_gc(t, t0 + SEC(60)), n);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 0);
	vmgw_flows_free(t);
}

/* The bucket array follows the cap: a quarter of it, within bounds. */
static void vmgw_flow_test_buckets_scale(struct kunit *test)
{
	static const struct {
		u32 max;
		unsigned int bits;
	} c[] = {
		{ 1, VMGW_FLOW_BITS_MIN },
		{ 256, VMGW_FLOW_BITS_MIN },
		{ VMGW_FLOW_MAX_DEFAULT, 10 },
		{ 5000, 11 },
		{ VMGW_FLOW_MAX_LIMIT, VMGW_FLOW_BITS_MAX },
	};
	struct vmgw_flows *t;
	unsigned int i;

	t = vmgw_flows_alloc();
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, rcu_access_pointer(t->tbl)->bits, 10);
	vmgw_flows_free(t);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		t = ft_alloc(test, c[i].max);
		KUNIT_EXPECT_EQ_MSG(test, rcu_access_pointer(t->tbl)->bits,
				    c[i].bits, "cap %u", c[i].max);
		vmgw_flows_free(t);
	}
}

/* Flows survive a new cap that moves them to a new bucket array. */
static void vmgw_flow_test_rehash(struct kunit *test)
{
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	struct vmgw_flows *t = ft_alloc(test, 4096);
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k = ft_key(test, 1);
	unsigned int i, live = 0;

	for (i = 0; i < 3000; i++) {
		k.gport = i;
		KUNIT_ASSERT_EQ(test, vmgw_flow_open(t, &k, false, t0),
				VMGW_FLOW_OPENED);
	}
	lim.max = 1 << 16;
	KUNIT_ASSERT_EQ(test, vmgw_flows_set_limits(t, &lim), 0);
	KUNIT_EXPECT_EQ(test, rcu_access_pointer(t->tbl)->bits, 14);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 3000);
	for (i = 0; i < 3000; i++) {
		k.gport = i;
		live += ft_track(t, &k, TCPHDR_ACK, t0 + SEC(1));
	}
	KUNIT_EXPECT_EQ(test, live, 3000);
	lim.max = 64;
	KUNIT_ASSERT_EQ(test, vmgw_flows_set_limits(t, &lim), 0);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 3000);
	k.gport = 1234;
	KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK, t0 + SEC(2)));
	k.gport = 5000;
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &k, false, t0 + SEC(2)),
			VMGW_FLOW_FULL);
	vmgw_flows_free(t);
}

/* The bucket of @k, as the table computes it. */
static u32 ft_bucket(struct vmgw_flows *t, const struct vmgw_flow_key *k)
{
	return hash_32(jhash(k, sizeof(*k), t->seed),
		       rcu_access_pointer(t->tbl)->bits);
}

/*
 * An open into a full table collects a bounded number of buckets, not the
 * whole table. 4096 flows in 1024 buckets, all expired but those of the
 * new SYN's own bucket (refreshed): the open frees the expired flows of
 * VMGW_FLOW_OPEN_GC buckets (about four each) and no others. The periodic
 * collection takes the rest.
 */
static void vmgw_flow_test_open_bounded(struct kunit *test)
{
	struct vmgw_flows *t = ft_alloc(test, 4096);
	const unsigned long t0 = T0_NOW;
	struct vmgw_flow_key k = ft_key(test, 1), n;
	unsigned int i, left, live = 0;

	for (i = 0; i < 4096; i++) {
		k.gport = i;
		KUNIT_ASSERT_EQ(test, vmgw_flow_open(t, &k, false, t0),
				VMGW_FLOW_OPENED);
	}
	n = k;
	n.gport = 60000;
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &n, false, t0 + SEC(1)),
			VMGW_FLOW_FULL);
	for (i = 0; i < 4096; i++) {
		k.gport = i;
		if (ft_bucket(t, &k) != ft_bucket(t, &n))
			continue;
		KUNIT_EXPECT_TRUE(test, ft_track(t, &k, TCPHDR_ACK,
						 t0 + SEC(50)));
		live++;
	}
	KUNIT_EXPECT_EQ(test, vmgw_flow_open(t, &n, false, t0 + SEC(61)),
			VMGW_FLOW_OPENED);
	left = vmgw_flows_count(t);
	KUNIT_EXPECT_GT(test, left, 4096 - 4 * 4 * VMGW_FLOW_OPEN_GC);
	KUNIT_EXPECT_LT(test, left, 4096);
	KUNIT_EXPECT_EQ(test, vmgw_flows_gc(t, t0 + SEC(61)), left - 1 - live);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(t), 1 + live);
	vmgw_flows_free(t);
}

static struct kunit_case vmgw_flow_test_cases[] = {
	KUNIT_CASE(vmgw_flow_test_buckets_scale),
	KUNIT_CASE(vmgw_flow_test_rehash),
	KUNIT_CASE(vmgw_flow_test_open_bounded),
	KUNIT_CASE(vmgw_flow_test_cap),
	KUNIT_CASE(vmgw_flow_test_timeouts),
	KUNIT_CASE(vmgw_flow_test_idle_edge),
	KUNIT_CASE(vmgw_flow_test_reuse),
	KUNIT_CASE(vmgw_flow_test_key_directions),
	KUNIT_CASE(vmgw_flow_test_limits),
	KUNIT_CASE(vmgw_flow_test_gc),
	KUNIT_CASE(vmgw_flow_test_from_gw),
	KUNIT_CASE(vmgw_flow_test_gc_all_buckets),
	{}
};

static struct kunit_suite vmgw_flow_test_suite = {
	.name = "vmgw_flow",
	.test_cases = vmgw_flow_test_cases,
};

kunit_test_suite(vmgw_flow_test_suite);
