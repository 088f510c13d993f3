// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: per-cpu counters and the names ethtool -S shows for them.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/ethtool.h>
#include <linux/string.h>

#include "stats.h"

/* Every counter has a distinct, terminated ethtool name. */
static void vmgw_stats_test_names(struct kunit *test)
{
	char (*names)[ETH_GSTRING_LEN];
	int i, j;

	names = kunit_kcalloc(test, VMGW_STAT_MAX, ETH_GSTRING_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, names);
	for (i = 0; i < VMGW_STAT_MAX; i++)
		vmgw_stat_name(i, names[i]);
	for (i = 0; i < VMGW_STAT_MAX; i++) {
		size_t len = strnlen(names[i], ETH_GSTRING_LEN);

		KUNIT_EXPECT_GT_MSG(test, len, 0, "counter %d has no name", i);
		KUNIT_EXPECT_LT_MSG(test, len, ETH_GSTRING_LEN,
				    "counter %d name not terminated", i);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, names[i], names[j]);
	}
	KUNIT_EXPECT_STREQ(test, names[VMGW_STAT_CLASS_FIRST + VMGW_CLASS_DNS],
			   "rx_class_dns");
	KUNIT_EXPECT_STREQ(test, names[VMGW_STAT_RX_DROP_UDP_UNSUPPORTED],
			   "rx_drop_udp_unsupported");
	KUNIT_EXPECT_STREQ(test, names[vmgw_stat_mal(VMGW_MAL_TRUNCATED_ETH)],
			   "rx_malformed_trunc_eth");
	KUNIT_EXPECT_EQ(test, vmgw_stat_mal(VMGW_MAL_MAX - 1), VMGW_STAT_MAX - 1);
	KUNIT_EXPECT_STREQ(test, names[VMGW_STAT_MAX - 1],
			   "rx_malformed_tcp_flags");
}

static void vmgw_stats_test_zeroed(struct kunit *test)
{
	struct vmgw_pcpu_stats __percpu *stats = vmgw_stats_alloc();
	u64 out[VMGW_STAT_MAX];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	memset(out, 0xff, sizeof(out));
	vmgw_stats_read(stats, out);
	for (i = 0; i < VMGW_STAT_MAX; i++)
		KUNIT_EXPECT_EQ(test, out[i], 0);
	vmgw_stats_free(stats);
}

static void vmgw_stats_test_sum_cpus(struct kunit *test)
{
	struct vmgw_pcpu_stats __percpu *stats = vmgw_stats_alloc();
	u64 out[VMGW_STAT_MAX];
	u64 expect = 0;
	int cpu, n = 0;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	/* Write each possible CPU's slot directly: the read must sum them. */
	for_each_possible_cpu(cpu) {
		struct vmgw_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		u64_stats_add(&s->cnt[VMGW_STAT_TX_BYTES], 1000 + cpu);
		expect += 1000 + cpu;
		n++;
	}
	vmgw_stats_add(stats, VMGW_STAT_TX_BYTES, 5);
	vmgw_stats_add(stats, VMGW_STAT_TX_DROP_NO_QUEUE, 1);
	vmgw_stats_add(stats, VMGW_STAT_TX_DROP_NO_QUEUE, 2);
	vmgw_stats_read(stats, out);

	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, out[VMGW_STAT_TX_BYTES], expect + 5);
	KUNIT_EXPECT_EQ(test, out[VMGW_STAT_TX_DROP_NO_QUEUE], 3);
	KUNIT_EXPECT_EQ(test, out[VMGW_STAT_RX_PACKETS], 0);
	vmgw_stats_free(stats);
}

static struct kunit_case vmgw_stats_test_cases[] = {
	KUNIT_CASE(vmgw_stats_test_names),
	KUNIT_CASE(vmgw_stats_test_zeroed),
	KUNIT_CASE(vmgw_stats_test_sum_cpus),
	{}
};

static struct kunit_suite vmgw_stats_test_suite = {
	.name = "vmgw_stats",
	.test_cases = vmgw_stats_test_cases,
};

kunit_test_suite(vmgw_stats_test_suite);
