/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses learned from DNS answers for allowed host names, each kept
 * until its (clamped) TTL runs out. A hash table: lookups from the NAPI
 * poll under RCU cost the same whatever the number of entries; inserts
 * come from the transmit path (BH) under a spinlock; expired entries are
 * collected periodically and whenever the table is full. Time is a
 * parameter (jiffies) so that tests can move it. Each entry carries the
 * generation of the host patterns it was learned under; a lookup sees only
 * entries of the generation in force, so an answer parsed under patterns
 * that were being replaced teaches the new ones nothing.
 */
#ifndef _VMGW_LEARN_H
#define _VMGW_LEARN_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "dns.h"

#define VMGW_LEARN_BITS		10
#define VMGW_LEARN_MAX_DEFAULT	4096

/**
 * struct vmgw_learn - a device's learned addresses
 * @lock: serialises inserts, removals and @count
 * @count: entries in the table
 * @max: most entries; an insert beyond it fails (after a collection)
 * @last_gc: jiffies of the last full collection of expired entries
 * @seed: hash seed, random per table
 * @heads: buckets of RCU hlists
 */
struct vmgw_learn {
	spinlock_t		lock;	/* writers, @count, @last_gc */
	unsigned int		count;
	unsigned int		max;
	unsigned long		last_gc;
	u32			seed;
	struct hlist_head	heads[1 << VMGW_LEARN_BITS];
};

/**
 * enum vmgw_learn_res - outcome of vmgw_learn_add()
 * @VMGW_LEARN_NEW: a new entry
 * @VMGW_LEARN_REFRESHED: the address was known; its expiry moved later
 * @VMGW_LEARN_FULL: the table is full of live entries: not learned
 * @VMGW_LEARN_NOMEM: no memory: not learned
 */
enum vmgw_learn_res {
	VMGW_LEARN_NEW,
	VMGW_LEARN_REFRESHED,
	VMGW_LEARN_FULL,
	VMGW_LEARN_NOMEM,
};

void vmgw_learn_init(struct vmgw_learn *l, unsigned int max);
void vmgw_learn_flush(struct vmgw_learn *l);
enum vmgw_learn_res vmgw_learn_add(struct vmgw_learn *l,
				   const struct vmgw_dns_addr *a, u32 gen,
				   unsigned long now);
bool vmgw_learn_lookup(const struct vmgw_learn *l, u8 family, const u8 *addr,
		       u32 gen, unsigned long now);
unsigned int vmgw_learn_gc(struct vmgw_learn *l, unsigned long now);
unsigned int vmgw_learn_count(const struct vmgw_learn *l);

#endif /* _VMGW_LEARN_H */
