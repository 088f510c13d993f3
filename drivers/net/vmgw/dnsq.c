// SPDX-License-Identifier: GPL-2.0
/*
 * Outstanding DNS queries: a fixed, set-associative table of tags. A
 * query (NAPI poll) and an answer (ndo_start_xmit) each lock the one
 * bucket their tag falls in, with BH off; nothing is allocated and
 * nothing else is walked. An expired entry is free for the next query of
 * its bucket; the table never holds more than %VMGW_DNSQ_MAX entries.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/string.h>

#include "dnsq.h"

/* What a tag hashes: the flow, then the question, zero-padded. */
struct vmgw_dnsq_msg {
	struct vmgw_dnsq_flow	flow;
	u16			id;
	u16			qtype;
	u16			qclass;
	u8			name_len;
	u8			name[VMGW_DNS_WIRE_MAX];
};

static struct vmgw_dnsq_bucket *vmgw_dnsq_bucket(struct vmgw_dnsq *q,
						 u64 tag)
{
	return &q->b[tag & (VMGW_DNSQ_BUCKETS - 1)];
}

static bool vmgw_dnsq_live(const struct vmgw_dnsq_slot *e, unsigned long now)
{
	return e->used && time_before(now, e->expires);
}

/**
 * vmgw_dnsq_init() - an empty table with a new key
 * @q: the table
 */
void vmgw_dnsq_init(struct vmgw_dnsq *q)
{
	unsigned int i;

	get_random_bytes(&q->key, sizeof(q->key));
	for (i = 0; i < VMGW_DNSQ_BUCKETS; i++) {
		spin_lock_init(&q->b[i].lock);
		memset(q->b[i].slot, 0, sizeof(q->b[i].slot));
	}
}

/**
 * vmgw_dnsq_flush() - forget every outstanding query
 * @q: the table
 *
 * Context: any but hard IRQ; takes the bucket locks with BH off.
 */
void vmgw_dnsq_flush(struct vmgw_dnsq *q)
{
	unsigned int i;

	for (i = 0; i < VMGW_DNSQ_BUCKETS; i++) {
		spin_lock_bh(&q->b[i].lock);
		memset(q->b[i].slot, 0, sizeof(q->b[i].slot));
		spin_unlock_bh(&q->b[i].lock);
	}
}

/**
 * vmgw_dnsq_tag() - the tag of a query, or of the query an answer answers
 * @q: the table (its key)
 * @f: the flow, from the guest's side (for an answer: reversed)
 * @qu: the ID and question, from vmgw_dns_question()
 *
 * Context: any.
 * Return: the tag.
 */
u64 vmgw_dnsq_tag(const struct vmgw_dnsq *q, const struct vmgw_dnsq_flow *f,
		  const struct vmgw_dns_question *qu)
{
	struct vmgw_dnsq_msg m;

	memset(&m, 0, sizeof(m));
	m.flow = *f;
	m.id = qu->id;
	m.qtype = qu->qtype;
	m.qclass = qu->qclass;
	m.name_len = qu->name_len;
	memcpy(m.name, qu->name, min_t(unsigned int, qu->name_len,
				       sizeof(m.name)));
	return siphash(&m, offsetof(struct vmgw_dnsq_msg, name) + m.name_len,
		       &q->key);
}

/**
 * vmgw_dnsq_add() - record a query the guest sent
 * @q: the table
 * @tag: its tag
 * @now: current time, jiffies
 *
 * Context: any but hard IRQ; takes one bucket lock with BH off.
 * Return: what happened.
 */
enum vmgw_dnsq_res vmgw_dnsq_add(struct vmgw_dnsq *q, u64 tag,
				 unsigned long now)
{
	struct vmgw_dnsq_bucket *b = vmgw_dnsq_bucket(q, tag);
	enum vmgw_dnsq_res res = VMGW_DNSQ_FULL;
	struct vmgw_dnsq_slot *e, *free = NULL;
	unsigned int i;

	spin_lock_bh(&b->lock);
	for (i = 0; i < VMGW_DNSQ_WAYS; i++) {
		e = &b->slot[i];
		if (!vmgw_dnsq_live(e, now)) {
			free = free ?: e;
			continue;
		}
		if (e->tag == tag) {
			e->expires = now + VMGW_DNSQ_TIMEOUT * HZ;
			res = VMGW_DNSQ_REFRESHED;
			goto unlock;
		}
	}
	if (free) {
		free->tag = tag;
		free->expires = now + VMGW_DNSQ_TIMEOUT * HZ;
		free->used = true;
		res = VMGW_DNSQ_ADDED;
	}
unlock:
	spin_unlock_bh(&b->lock);
	return res;
}

/**
 * vmgw_dnsq_take() - consume the query an answer answers
 * @q: the table
 * @tag: the answer's tag (its reversed flow, ID and question)
 * @now: current time, jiffies
 *
 * Context: any but hard IRQ; takes one bucket lock with BH off.
 * Return: true when a live query of @tag was waiting; it waits no more,
 * so one query teaches through one answer.
 */
bool vmgw_dnsq_take(struct vmgw_dnsq *q, u64 tag, unsigned long now)
{
	struct vmgw_dnsq_bucket *b = vmgw_dnsq_bucket(q, tag);
	struct vmgw_dnsq_slot *e;
	bool found = false;
	unsigned int i;

	spin_lock_bh(&b->lock);
	for (i = 0; i < VMGW_DNSQ_WAYS; i++) {
		e = &b->slot[i];
		if (vmgw_dnsq_live(e, now) && e->tag == tag) {
			e->used = false;
			found = true;
			break;
		}
	}
	spin_unlock_bh(&b->lock);
	return found;
}

/**
 * vmgw_dnsq_count() - live outstanding queries
 * @q: the table
 * @now: current time, jiffies
 *
 * Context: any but hard IRQ; takes the bucket locks one at a time.
 * Return: the number of queries waiting at @now.
 */
unsigned int vmgw_dnsq_count(struct vmgw_dnsq *q, unsigned long now)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < VMGW_DNSQ_BUCKETS; i++) {
		spin_lock_bh(&q->b[i].lock);
		for (j = 0; j < VMGW_DNSQ_WAYS; j++)
			n += vmgw_dnsq_live(&q->b[i].slot[j], now);
		spin_unlock_bh(&q->b[i].lock);
	}
	return n;
}
