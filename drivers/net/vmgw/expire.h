/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Collection of expired entries from an RCU hash table of hlists, shared
 * by the flow table and the learned addresses. The table says which entry
 * is expired and how one is unlinked (hlist_del_rcu(), kfree_rcu(), its
 * count); the walk is here, either over a range of buckets under the
 * caller's lock, or over the whole table in chunks of buckets, taking the
 * lock with BH off for one chunk at a time so that a large table never
 * keeps softirqs waiting for long.
 */
#ifndef _VMGW_EXPIRE_H
#define _VMGW_EXPIRE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Buckets walked per hold of the lock by vmgw_expire_all(). */
#define VMGW_EXPIRE_CHUNK	64

/**
 * struct vmgw_expire_ops - how a table's entries expire and go
 * @expired: whether the entry of @node is dead at @now; NULL means every
 *	entry is (a flush). Called with the table lock held.
 * @unlink: remove the entry of @node from its list, free it after a grace
 *	period and update the table's count. Called with the lock held.
 */
struct vmgw_expire_ops {
	bool (*expired)(const void *table, const struct hlist_node *node,
			unsigned long now);
	void (*unlink)(void *table, struct hlist_node *node);
};

unsigned int vmgw_expire_locked(void *table, struct hlist_head *heads,
				unsigned int n, const struct vmgw_expire_ops *ops,
				unsigned long now);
unsigned int vmgw_expire_all(void *table, spinlock_t *lock,
			     struct hlist_head *heads, unsigned int n,
			     const struct vmgw_expire_ops *ops,
			     unsigned long now);

#endif /* _VMGW_EXPIRE_H */
