// SPDX-License-Identifier: GPL-2.0
/*
 * The one loop that collects expired entries of the flow table and of the
 * learned addresses (see expire.h).
 */
#include <linux/kernel.h>

#include "expire.h"

/**
 * vmgw_expire_locked() - unlink the expired entries of some buckets
 * @table: the table, passed to @ops
 * @heads: first bucket
 * @n: number of buckets from @heads
 * @ops: expiry test and unlink of the table's entries
 * @now: current time, jiffies
 *
 * Context: the table lock held, BH off.
 * Return: the number of entries unlinked.
 */
unsigned int vmgw_expire_locked(void *table, struct hlist_head *heads,
				unsigned int n, const struct vmgw_expire_ops *ops,
				unsigned long now)
{
	struct hlist_node *node, *tmp;
	unsigned int i, gone = 0;

	for (i = 0; i < n; i++) {
		hlist_for_each_safe(node, tmp, &heads[i]) {
			if (ops->expired && !ops->expired(table, node, now))
				continue;
			ops->unlink(table, node);
			gone++;
		}
	}
	return gone;
}

/**
 * vmgw_expire_all() - unlink the expired entries of a whole table
 * @table: the table, passed to @ops
 * @lock: its lock, taken with BH off for %VMGW_EXPIRE_CHUNK buckets at a
 *	time (entries added meanwhile to buckets already walked stay)
 * @heads: its buckets
 * @n: their number
 * @ops: expiry test and unlink of the table's entries
 * @now: current time, jiffies
 *
 * Context: any but hard IRQ, @lock not held.
 * Return: the number of entries unlinked.
 */
unsigned int vmgw_expire_all(void *table, spinlock_t *lock,
			     struct hlist_head *heads, unsigned int n,
			     const struct vmgw_expire_ops *ops,
			     unsigned long now)
{
	unsigned int i, step, gone = 0;

	for (i = 0; i < n; i += step) {
		step = min_t(unsigned int, n - i, VMGW_EXPIRE_CHUNK);
		spin_lock_bh(lock);
		gone += vmgw_expire_locked(table, heads + i, step, ops, now);
		spin_unlock_bh(lock);
	}
	return gone;
}
