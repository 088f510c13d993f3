/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Outstanding DNS queries of a device: what the guest asked, so that only
 * an answer to it teaches addresses. A query the guest sends to a resolver
 * is recorded as a tag, a keyed hash (SipHash, a random key per table) of
 * its flow (guest and resolver address and port, protocol), its ID and its
 * question; an answer to the guest computes the tag of the reversed flow
 * and its own ID and question, and is learned from only when a live entry
 * of that tag exists, which it then consumes. Without the key, nobody can
 * make two different queries share a tag.
 *
 * A fixed table allocated with the policy: %VMGW_DNSQ_BUCKETS buckets of
 * %VMGW_DNSQ_WAYS entries, each bucket with its own spinlock, taken only
 * for DNS queries and answers (never for other frames). An entry lives
 * %VMGW_DNSQ_TIMEOUT seconds; a query that finds its bucket full of live
 * entries is not recorded (and its answer not learned from). Time is a
 * parameter (jiffies) so that tests can move it.
 */
#ifndef _VMGW_DNSQ_H
#define _VMGW_DNSQ_H

#include <linux/bits.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "dns.h"

#define VMGW_DNSQ_BITS		6
#define VMGW_DNSQ_BUCKETS	BIT(VMGW_DNSQ_BITS)
#define VMGW_DNSQ_WAYS		4
/* Most outstanding queries of a device. */
#define VMGW_DNSQ_MAX		(VMGW_DNSQ_BUCKETS * VMGW_DNSQ_WAYS)
/* How long a query waits for its answer, seconds. */
#define VMGW_DNSQ_TIMEOUT	15

/**
 * struct vmgw_dnsq_flow - the flow of a query, seen from the guest
 * @guest: the guest's address (IPv4 in the first 4 bytes, rest zero)
 * @server: the resolver's address
 * @gport: the guest's port
 * @sport: the resolver's port
 * @family: 4 or 6
 * @proto: IPPROTO_UDP or IPPROTO_TCP
 */
struct vmgw_dnsq_flow {
	u8 guest[16];
	u8 server[16];
	u16 gport;
	u16 sport;
	u8 family;
	u8 proto;
};

/**
 * struct vmgw_dnsq_slot - one outstanding query
 * @tag: its tag
 * @expires: jiffies when it stops waiting
 * @used: holds a query (which may have expired)
 */
struct vmgw_dnsq_slot {
	u64 tag;
	unsigned long expires;
	bool used;
};

/**
 * struct vmgw_dnsq_bucket - the entries of one tag's bucket
 * @lock: serialises @slot
 * @slot: the entries
 */
struct vmgw_dnsq_bucket {
	spinlock_t		lock;	/* @slot */
	struct vmgw_dnsq_slot	slot[VMGW_DNSQ_WAYS];
};

/**
 * struct vmgw_dnsq - a device's outstanding queries
 * @key: SipHash key of the tags, random per table
 * @b: the buckets
 */
struct vmgw_dnsq {
	siphash_key_t		key;
	struct vmgw_dnsq_bucket	b[VMGW_DNSQ_BUCKETS];
};

/**
 * enum vmgw_dnsq_res - outcome of vmgw_dnsq_add()
 * @VMGW_DNSQ_ADDED: a new entry
 * @VMGW_DNSQ_REFRESHED: the same query was waiting (a retransmission):
 *	it waits anew
 * @VMGW_DNSQ_FULL: its bucket holds %VMGW_DNSQ_WAYS live queries: not
 *	recorded
 */
enum vmgw_dnsq_res {
	VMGW_DNSQ_ADDED,
	VMGW_DNSQ_REFRESHED,
	VMGW_DNSQ_FULL,
};

void vmgw_dnsq_init(struct vmgw_dnsq *q);
void vmgw_dnsq_flush(struct vmgw_dnsq *q);
u64 vmgw_dnsq_tag(const struct vmgw_dnsq *q, const struct vmgw_dnsq_flow *f,
		  const struct vmgw_dns_question *qu);
enum vmgw_dnsq_res vmgw_dnsq_add(struct vmgw_dnsq *q, u64 tag,
				 unsigned long now);
bool vmgw_dnsq_take(struct vmgw_dnsq *q, u64 tag, unsigned long now);
unsigned int vmgw_dnsq_count(struct vmgw_dnsq *q, unsigned long now);

#endif /* _VMGW_DNSQ_H */
