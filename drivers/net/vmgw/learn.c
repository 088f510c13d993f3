// SPDX-License-Identifier: GPL-2.0
/*
 * Learned addresses: an RCU hash table with expiry. Readers (the NAPI poll)
 * only look; writers (the transmit path learning from DNS answers, and the
 * control path flushing) hold the lock with BH off. Expired entries are
 * dead to readers at once and removed: from a bucket whenever an insert
 * walks it, from the whole table when it is full (at most once a second),
 * so the table never holds more than @max entries, and by the policy's
 * periodic collection (vmgw_learn_gc(), see policy.c). Removed entries are
 * freed after an RCU grace period.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "expire.h"
#include "learn.h"

struct vmgw_learned {
	struct hlist_node	node;
	struct rcu_head		rcu;
	unsigned long		expires;
	u32			gen;
	u8			family;
	u8			addr[16];
};

static unsigned int vmgw_learn_alen(u8 family)
{
	return family == 4 ? 4 : 16;
}

static struct hlist_head *vmgw_learn_head(const struct vmgw_learn *l,
					  u8 family, const u8 *addr)
{
	u32 h = jhash(addr, vmgw_learn_alen(family), l->seed ^ family);

	return (struct hlist_head *)&l->heads[hash_32(h, VMGW_LEARN_BITS)];
}

static bool vmgw_learned_is(const struct vmgw_learned *e, u8 family,
			    const u8 *addr)
{
	return e->family == family &&
	       !memcmp(e->addr, addr, vmgw_learn_alen(family));
}

static void vmgw_learn_del(struct vmgw_learn *l, struct vmgw_learned *e)
{
	hlist_del_rcu(&e->node);
	kfree_rcu(e, rcu);
	l->count--;
}

static void vmgw_learn_unlink(void *table, struct hlist_node *node)
{
	vmgw_learn_del(table, hlist_entry(node, struct vmgw_learned, node));
}

static bool vmgw_learn_expired(const void *table,
			       const struct hlist_node *node, unsigned long now)
{
	const struct vmgw_learned *e;

	e = hlist_entry(node, struct vmgw_learned, node);
	return !time_before(now, e->expires);
}

static const struct vmgw_expire_ops vmgw_learn_expire_ops = {
	.expired	= vmgw_learn_expired,
	.unlink		= vmgw_learn_unlink,
};

static const struct vmgw_expire_ops vmgw_learn_flush_ops = {
	.unlink		= vmgw_learn_unlink,
};

/**
 * vmgw_learn_init() - initialise an empty table
 * @l: the table
 * @max: most entries it may hold
 */
void vmgw_learn_init(struct vmgw_learn *l, unsigned int max)
{
	unsigned int i;

	spin_lock_init(&l->lock);
	l->count = 0;
	l->max = max;
	l->last_gc = jiffies - HZ;
	l->seed = get_random_u32();
	for (i = 0; i < ARRAY_SIZE(l->heads); i++)
		INIT_HLIST_HEAD(&l->heads[i]);
}

/**
 * vmgw_learn_flush() - forget every learned address
 * @l: the table
 *
 * Entries are freed after an RCU grace period; readers may still see them
 * until their section ends.
 *
 * Context: any but hard IRQ; takes the table lock with BH off.
 */
void vmgw_learn_flush(struct vmgw_learn *l)
{
	vmgw_expire_all(l, &l->lock, l->heads, ARRAY_SIZE(l->heads),
			&vmgw_learn_flush_ops, 0);
}

/* Every expired entry, in one hold of the lock: when the table is full. */
static void vmgw_learn_gc_locked(struct vmgw_learn *l, unsigned long now)
{
	l->last_gc = now;
	vmgw_expire_locked(l, l->heads, ARRAY_SIZE(l->heads),
			   &vmgw_learn_expire_ops, now);
}

/**
 * vmgw_learn_gc() - remove every expired entry
 * @l: the table
 * @now: current time, jiffies
 *
 * Takes the lock for a chunk of buckets at a time (see expire.h).
 *
 * Context: any but hard IRQ; takes the table lock with BH off.
 * Return: the number of entries removed.
 */
unsigned int vmgw_learn_gc(struct vmgw_learn *l, unsigned long now)
{
	return vmgw_expire_all(l, &l->lock, l->heads, ARRAY_SIZE(l->heads),
			       &vmgw_learn_expire_ops, now);
}

/**
 * vmgw_learn_count() - entries in the table, live or not yet collected
 * @l: the table
 *
 * Return: the count at the time of the call.
 */
unsigned int vmgw_learn_count(const struct vmgw_learn *l)
{
	return READ_ONCE(l->count);
}

/*
 * Known already? Refresh it; learned under other patterns, it starts anew.
 * Expired entries met on the way go.
 */
static bool vmgw_learn_refresh(struct vmgw_learn *l, struct hlist_head *head,
			       const struct vmgw_dns_addr *a, u32 gen,
			       unsigned long now, unsigned long expires)
{
	struct vmgw_learned *e;
	struct hlist_node *tmp;
	bool found = false;

	hlist_for_each_entry_safe(e, tmp, head, node) {
		if (vmgw_learned_is(e, a->family, a->addr) &&
		    time_before(now, e->expires)) {
			if (e->gen != gen || time_after(expires, e->expires))
				WRITE_ONCE(e->expires, expires);
			WRITE_ONCE(e->gen, gen);
			found = true;
		} else if (!time_before(now, e->expires)) {
			vmgw_learn_del(l, e);
		}
	}
	return found;
}

/**
 * vmgw_learn_add() - learn an address until its TTL runs out
 * @l: the table
 * @a: the address and its TTL (seconds, already clamped)
 * @gen: generation of the host patterns it was learned under
 * @now: current time, jiffies
 *
 * A known address of the same generation keeps the later of its old and
 * its new expiry.
 *
 * Context: any but hard IRQ; takes the table lock with BH off and
 * allocates with GFP_ATOMIC.
 * Return: what happened.
 */
enum vmgw_learn_res vmgw_learn_add(struct vmgw_learn *l,
				   const struct vmgw_dns_addr *a, u32 gen,
				   unsigned long now)
{
	unsigned long expires = now + (unsigned long)a->ttl * HZ;
	struct hlist_head *head = vmgw_learn_head(l, a->family, a->addr);
	enum vmgw_learn_res res = VMGW_LEARN_NEW;
	struct vmgw_learned *e;

	spin_lock_bh(&l->lock);
	if (vmgw_learn_refresh(l, head, a, gen, now, expires)) {
		res = VMGW_LEARN_REFRESHED;
		goto unlock;
	}
	if (l->count >= l->max && time_after_eq(now, l->last_gc + HZ))
		vmgw_learn_gc_locked(l, now);
	if (l->count >= l->max) {
		res = VMGW_LEARN_FULL;
		goto unlock;
	}
	/* Charged to the memcg the caller made active (the VMM's). */
	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!e) {
		res = VMGW_LEARN_NOMEM;
		goto unlock;
	}
	e->family = a->family;
	memcpy(e->addr, a->addr, vmgw_learn_alen(a->family));
	e->expires = expires;
	e->gen = gen;
	hlist_add_head_rcu(&e->node, head);
	l->count++;
unlock:
	spin_unlock_bh(&l->lock);
	return res;
}

/**
 * vmgw_learn_lookup() - whether an address is learned and not expired
 * @l: the table
 * @family: 4 or 6
 * @addr: the address (4 or 16 bytes)
 * @gen: generation of the host patterns in force
 * @now: current time, jiffies
 *
 * Context: RCU read side (rcu_read_lock_bh in the NAPI poll).
 * Return: true when a live entry of generation @gen exists.
 */
bool vmgw_learn_lookup(const struct vmgw_learn *l, u8 family, const u8 *addr,
		       u32 gen, unsigned long now)
{
	struct vmgw_learned *e;

	hlist_for_each_entry_rcu(e, vmgw_learn_head(l, family, addr), node)
		if (vmgw_learned_is(e, family, addr))
			return READ_ONCE(e->gen) == gen &&
			       time_before(now, READ_ONCE(e->expires));
	return false;
}
