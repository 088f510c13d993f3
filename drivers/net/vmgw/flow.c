// SPDX-License-Identifier: GPL-2.0
/*
 * Flow table: an RCU hash table. vmgw_flow_track() runs in the NAPI poll
 * and the transmit path under RCU and only updates a flow's state and
 * last-seen time (single-word stores; a race between the two directions
 * can only pick one of two close timestamps). Opening, expiry and removal
 * hold the lock with BH off. A flow is dead to readers as soon as it is
 * older than its state's timeout and is removed: from a bucket when an
 * open walks it, from at most %VMGW_FLOW_OPEN_GC more buckets (round
 * robin) when an open finds the table full, so the table never holds
 * more than its cap and no open in softirq walks the whole table, and by
 * the policy's periodic collection (vmgw_flows_gc(), see policy.c, in
 * process context and in chunks), so that idle flows go away without
 * traffic. Removed flows are freed after an RCU grace period: a reader
 * that still sees one only reads it.
 *
 * The bucket array is sized for the cap (a quarter of it, see flow.h), so
 * a lookup in a full table walks a handful of flows whatever the cap. A
 * new cap with another size moves every flow to a new array under the
 * lock, once; lookups that miss while it runs (a flow may be between two
 * chains) look again, and the old array is freed after a grace period.
 */
#include <linux/hash.h>
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/tcp.h>

#include "expire.h"
#include "flow.h"

struct vmgw_flow {
	struct hlist_node	node;
	struct rcu_head		rcu;
	struct vmgw_flow_key	key;
	unsigned long		last;
	u8			state;
	bool			from_gw;
	struct vmgw_dns_stream	dns;
};

const struct vmgw_flow_limits vmgw_flow_default_limits = {
	.max = VMGW_FLOW_MAX_DEFAULT,
	.timeout = {
		[VMGW_FLOW_SYN]		= VMGW_FLOW_SYN_TIMEOUT,
		[VMGW_FLOW_EST]		= VMGW_FLOW_EST_TIMEOUT,
		[VMGW_FLOW_FIN]		= VMGW_FLOW_FIN_TIMEOUT,
		[VMGW_FLOW_CLOSED]	= VMGW_FLOW_RST_TIMEOUT,
	},
};

static struct hlist_head *vmgw_flow_bucket(const struct vmgw_flows *t,
					   struct vmgw_flow_buckets *b,
					   const struct vmgw_flow_key *k)
{
	u32 h = jhash(k, sizeof(*k), t->seed);

	return &b->heads[hash_32(h, b->bits)];
}

/* The bucket array, for a writer holding the lock. */
static struct vmgw_flow_buckets *vmgw_flow_tbl(struct vmgw_flows *t)
{
	return rcu_dereference_protected(t->tbl, lockdep_is_held(&t->lock));
}

/* log2 of the bucket count for a cap of @max flows. */
static unsigned int vmgw_flow_bits(u32 max)
{
	unsigned int bits = order_base_2(max);

	bits = bits > 2 ? bits - 2 : 0;
	return clamp_t(unsigned int, bits, VMGW_FLOW_BITS_MIN,
		       VMGW_FLOW_BITS_MAX);
}

static struct vmgw_flow_buckets *vmgw_flow_buckets_alloc(unsigned int bits)
{
	struct vmgw_flow_buckets *b;
	unsigned int i;

	b = kvzalloc(struct_size(b, heads, 1U << bits), GFP_KERNEL_ACCOUNT);
	if (!b)
		return NULL;
	b->bits = bits;
	for (i = 0; i < (1U << bits); i++)
		INIT_HLIST_HEAD(&b->heads[i]);
	return b;
}

/* Alive at @now? Timeouts are read without the lock: any value is sane. */
static bool vmgw_flow_live(const struct vmgw_flows *t,
			   const struct vmgw_flow *f, unsigned long now)
{
	u8 state = READ_ONCE(f->state);
	unsigned long timeout;

	timeout = (unsigned long)READ_ONCE(t->lim.timeout[state]) * HZ;
	return time_before(now, READ_ONCE(f->last) + timeout);
}

static void vmgw_flow_unlink(void *table, struct hlist_node *node)
{
	struct vmgw_flow *f = hlist_entry(node, struct vmgw_flow, node);
	struct vmgw_flows *t = table;

	hlist_del_rcu(&f->node);
	kfree_rcu(f, rcu);
	t->count--;
}

static bool vmgw_flow_expired(const void *table,
			      const struct hlist_node *node, unsigned long now)
{
	return !vmgw_flow_live(table, hlist_entry(node, struct vmgw_flow,
						  node), now);
}

static const struct vmgw_expire_ops vmgw_flow_expire_ops = {
	.expired	= vmgw_flow_expired,
	.unlink		= vmgw_flow_unlink,
};

static const struct vmgw_expire_ops vmgw_flow_flush_ops = {
	.unlink		= vmgw_flow_unlink,
};

/**
 * vmgw_flows_alloc() - an empty flow table with the default limits
 *
 * Context: process.
 * Return: the table, or NULL when out of memory.
 */
struct vmgw_flows *vmgw_flows_alloc(void)
{
	struct vmgw_flow_buckets *b;
	struct vmgw_flows *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	b = vmgw_flow_buckets_alloc(vmgw_flow_bits(VMGW_FLOW_MAX_DEFAULT));
	if (!b) {
		kfree(t);
		return NULL;
	}
	spin_lock_init(&t->lock);
	seqcount_spinlock_init(&t->rehash, &t->lock);
	t->lim = vmgw_flow_default_limits;
	t->seed = get_random_u32();
	RCU_INIT_POINTER(t->tbl, b);
	return t;
}

/*
 * Expire (or, without @ops->expired, remove) the flows of every bucket,
 * @VMGW_EXPIRE_CHUNK buckets per hold of the lock. The array may be
 * replaced between two holds: the walk goes on in the new one.
 */
static unsigned int vmgw_flows_expire_all(struct vmgw_flows *t,
					  const struct vmgw_expire_ops *ops,
					  unsigned long now)
{
	unsigned int i, n, step, gone = 0;
	struct vmgw_flow_buckets *b;

	for (i = 0; ; i += step) {
		spin_lock_bh(&t->lock);
		b = vmgw_flow_tbl(t);
		n = 1U << b->bits;
		if (i >= n) {
			spin_unlock_bh(&t->lock);
			return gone;
		}
		step = min_t(unsigned int, n - i, VMGW_EXPIRE_CHUNK);
		gone += vmgw_expire_locked(t, b->heads + i, step, ops, now);
		spin_unlock_bh(&t->lock);
	}
}

/**
 * vmgw_flows_flush() - forget every flow
 * @t: the table
 *
 * Context: any but hard IRQ; takes the table lock with BH off.
 */
void vmgw_flows_flush(struct vmgw_flows *t)
{
	vmgw_flows_expire_all(t, &vmgw_flow_flush_ops, 0);
}

/**
 * vmgw_flows_free() - free a flow table and its flows
 * @t: the table, or NULL; no reader may still use it
 *
 * Context: process.
 */
void vmgw_flows_free(struct vmgw_flows *t)
{
	if (!t)
		return;
	vmgw_flows_flush(t);
	kvfree(rcu_dereference_protected(t->tbl, true));
	kfree(t);
}

/* Move every flow from the current array to @nb and publish it. */
static void vmgw_flows_rehash_locked(struct vmgw_flows *t,
				     struct vmgw_flow_buckets *nb)
{
	struct vmgw_flow_buckets *b = vmgw_flow_tbl(t);
	struct hlist_node *tmp;
	struct vmgw_flow *f;
	unsigned int i;

	write_seqcount_begin(&t->rehash);
	for (i = 0; i < (1U << b->bits); i++) {
		hlist_for_each_entry_safe(f, tmp, &b->heads[i], node) {
			hlist_del_rcu(&f->node);
			hlist_add_head_rcu(&f->node,
					   vmgw_flow_bucket(t, nb, &f->key));
		}
	}
	rcu_assign_pointer(t->tbl, nb);
	t->gc_next = 0;
	write_seqcount_end(&t->rehash);
}

/**
 * vmgw_flows_set_limits() - change the cap and timeouts
 * @t: the table
 * @lim: new limits
 *
 * Lowering the cap removes no flow: new ones are refused until enough have
 * expired. New timeouts apply at once to existing flows. When the cap
 * calls for another number of buckets, the flows move to a new array
 * (once, under the lock: work bounded by the old cap).
 *
 * Context: process; takes the table lock with BH off, may sleep.
 * Return: 0, -EINVAL for a value out of range, or -ENOMEM.
 */
int vmgw_flows_set_limits(struct vmgw_flows *t,
			  const struct vmgw_flow_limits *lim)
{
	struct vmgw_flow_buckets *nb = NULL, *old = NULL;
	unsigned int i, bits;

	if (!lim->max || lim->max > VMGW_FLOW_MAX_LIMIT)
		return -EINVAL;
	for (i = 0; i < VMGW_FLOW_STATES; i++)
		if (!lim->timeout[i] || lim->timeout[i] > VMGW_FLOW_TIMEOUT_MAX)
			return -EINVAL;
	bits = vmgw_flow_bits(lim->max);
	if (bits != rcu_access_pointer(t->tbl)->bits) {
		nb = vmgw_flow_buckets_alloc(bits);
		if (!nb)
			return -ENOMEM;
	}
	spin_lock_bh(&t->lock);
	WRITE_ONCE(t->lim.max, lim->max);
	for (i = 0; i < VMGW_FLOW_STATES; i++)
		WRITE_ONCE(t->lim.timeout[i], lim->timeout[i]);
	if (nb) {
		old = vmgw_flow_tbl(t);
		vmgw_flows_rehash_locked(t, nb);
	}
	spin_unlock_bh(&t->lock);
	if (old) {
		synchronize_rcu();
		kvfree(old);
	}
	return 0;
}

/*
 * The table is full: collect expired flows from the next
 * %VMGW_FLOW_OPEN_GC buckets, round robin. Bounded work per open,
 * whatever the cap; the periodic collection gets the rest.
 */
static void vmgw_flows_gc_some_locked(struct vmgw_flows *t,
				      unsigned long now)
{
	struct vmgw_flow_buckets *b = vmgw_flow_tbl(t);
	unsigned int mask = (1U << b->bits) - 1;
	unsigned int i;

	for (i = 0; i < VMGW_FLOW_OPEN_GC; i++) {
		vmgw_expire_locked(t, &b->heads[t->gc_next & mask], 1,
				   &vmgw_flow_expire_ops, now);
		t->gc_next = (t->gc_next + 1) & mask;
	}
}

/**
 * vmgw_flows_gc() - remove every expired flow
 * @t: the table
 * @now: current time, jiffies
 *
 * Takes the lock for a chunk of buckets at a time (see expire.h).
 *
 * Context: any but hard IRQ; takes the table lock with BH off.
 * Return: the number of flows removed.
 */
unsigned int vmgw_flows_gc(struct vmgw_flows *t, unsigned long now)
{
	return vmgw_flows_expire_all(t, &vmgw_flow_expire_ops, now);
}

/**
 * vmgw_flows_count() - flows in the table, live or not yet collected
 * @t: the table
 *
 * Return: the count at the time of the call.
 */
unsigned int vmgw_flows_count(struct vmgw_flows *t)
{
	return READ_ONCE(t->count);
}

/**
 * vmgw_flow_key_from() - the flow key of a classified TCP segment
 * @fi: a frame of class %VMGW_CLASS_TCP_SYN, %VMGW_CLASS_TCP, or
 *	%VMGW_CLASS_DNS over TCP
 * @from_guest: @fi was sent by the guest (else it goes to the guest)
 * @k: receives the key
 *
 * Return: false when @fi is not a TCP segment with ports.
 */
bool vmgw_flow_key_from(const struct vmgw_frame_info *fi, bool from_guest,
			struct vmgw_flow_key *k)
{
	unsigned int alen = fi->ip_version == 4 ? 4 : 16;

	memset(k, 0, sizeof(*k));
	if (fi->l4_proto != IPPROTO_TCP || !fi->l4_off ||
	    (fi->class != VMGW_CLASS_TCP_SYN && fi->class != VMGW_CLASS_TCP &&
	     fi->class != VMGW_CLASS_DNS))
		return false;
	k->family = fi->ip_version;
	memcpy(k->guest, from_guest ? fi->saddr : fi->daddr, alen);
	memcpy(k->peer, from_guest ? fi->daddr : fi->saddr, alen);
	k->gport = from_guest ? fi->sport : fi->dport;
	k->pport = from_guest ? fi->dport : fi->sport;
	return true;
}

/* The flow of @k in @head, expired or not. Under the lock or RCU. */
static struct vmgw_flow *vmgw_flow_find(struct vmgw_flows *t,
					struct hlist_head *head,
					const struct vmgw_flow_key *k)
{
	struct vmgw_flow *f;

	hlist_for_each_entry_rcu(f, head, node, lockdep_is_held(&t->lock))
		if (!memcmp(&f->key, k, sizeof(*k)))
			return f;
	return NULL;
}

/*
 * The flow of @k, expired or not, for a reader under RCU. A miss while a
 * rehash runs (or ran since the lookup began) may be a flow that moved
 * under the walk: look again, in the array then current.
 */
static struct vmgw_flow *vmgw_flow_lookup(struct vmgw_flows *t,
					  const struct vmgw_flow_key *k)
{
	struct vmgw_flow_buckets *b;
	struct vmgw_flow *f;
	unsigned int seq;

	for (;;) {
		seq = raw_read_seqcount(&t->rehash);
		b = rcu_dereference_check(t->tbl, rcu_read_lock_any_held() ||
					  lockdep_is_held(&t->lock));
		f = vmgw_flow_find(t, vmgw_flow_bucket(t, b, k), k);
		if (f || (!(seq & 1) && !read_seqcount_retry(&t->rehash, seq)))
			return f;
		cpu_relax();
	}
}

/**
 * vmgw_flow_open() - open (or reopen) the flow of a SYN
 * @t: the table
 * @k: the flow, from vmgw_flow_key_from()
 * @from_gw: the SYN came from the gateway namespace (a published port of
 *	the guest), not from the guest
 * @now: current time, jiffies
 *
 * A live flow of the same key is refreshed (retransmitted SYN) and one in
 * FIN or RST state restarts (port reuse), opened by the side of this SYN.
 * Dead flows of the SYN's bucket are freed on the way; when the table
 * holds its cap, so are those of %VMGW_FLOW_OPEN_GC more buckets (round
 * robin), and a new flow is refused if that freed none.
 *
 * Context: any but hard IRQ; takes the table lock with BH off and
 * allocates with GFP_ATOMIC.
 * Return: what happened.
 */
enum vmgw_flow_res vmgw_flow_open(struct vmgw_flows *t,
				  const struct vmgw_flow_key *k, bool from_gw,
				  unsigned long now)
{
	enum vmgw_flow_res res = VMGW_FLOW_OPENED;
	struct hlist_head *head;
	struct vmgw_flow *f;

	spin_lock_bh(&t->lock);
	head = vmgw_flow_bucket(t, vmgw_flow_tbl(t), k);
	vmgw_expire_locked(t, head, 1, &vmgw_flow_expire_ops, now);
	f = vmgw_flow_find(t, head, k);
	if (f) {
		if (f->state != VMGW_FLOW_SYN && f->state != VMGW_FLOW_EST) {
			WRITE_ONCE(f->state, VMGW_FLOW_SYN);
			WRITE_ONCE(f->from_gw, from_gw);
			/* a new connection: its stream starts anew */
			WRITE_ONCE(f->dns.state, VMGW_DNS_STREAM_NONE);
		}
		WRITE_ONCE(f->last, now);
		res = VMGW_FLOW_REOPENED;
		goto unlock;
	}
	if (t->count >= t->lim.max)
		vmgw_flows_gc_some_locked(t, now);
	if (t->count >= t->lim.max) {
		res = VMGW_FLOW_FULL;
		goto unlock;
	}
	/* Charged to the memcg the caller made active (the VMM's). */
	f = kzalloc(sizeof(*f), GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!f) {
		res = VMGW_FLOW_NOMEM;
		goto unlock;
	}
	f->key = *k;
	f->last = now;
	f->state = VMGW_FLOW_SYN;
	f->from_gw = from_gw;
	hlist_add_head_rcu(&f->node, head);
	t->count++;
unlock:
	spin_unlock_bh(&t->lock);
	return res;
}

/**
 * vmgw_flow_from_gw() - whether a live flow was opened by the gateway side
 * @t: the table
 * @k: the flow, from vmgw_flow_key_from()
 * @now: current time, jiffies
 *
 * Context: RCU read side.
 * Return: true when the flow of @k is live and its SYN came from the
 * gateway namespace.
 */
bool vmgw_flow_from_gw(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		       unsigned long now)
{
	struct vmgw_flow *f = vmgw_flow_lookup(t, k);

	return f && vmgw_flow_live(t, f, now) && READ_ONCE(f->from_gw);
}

/**
 * vmgw_flow_dns_stream() - where DNS messages start in a flow's segments
 *	to the guest
 * @t: the table
 * @k: the flow, from vmgw_flow_key_from()
 * @now: current time, jiffies
 *
 * Context: RCU read side; only ndo_start_xmit reads and writes the
 * stream, serialised by the tx queue lock of the device's one tx queue
 * (a reopen of the flow resets it, see vmgw_flow_open()).
 * Return: the stream position of the live flow of @k (valid until the
 * RCU read side section ends), or NULL.
 */
struct vmgw_dns_stream *vmgw_flow_dns_stream(struct vmgw_flows *t,
					     const struct vmgw_flow_key *k,
					     unsigned long now)
{
	struct vmgw_flow *f = vmgw_flow_lookup(t, k);

	return f && vmgw_flow_live(t, f, now) ? &f->dns : NULL;
}

/**
 * vmgw_flow_track() - account a non-SYN segment to its flow
 * @t: the table
 * @k: the flow, from vmgw_flow_key_from()
 * @tcp_flags: the segment's flags byte
 * @now: current time, jiffies
 *
 * RST moves the flow to %VMGW_FLOW_CLOSED, FIN to %VMGW_FLOW_FIN, an ACK
 * of a flow in %VMGW_FLOW_SYN to %VMGW_FLOW_EST; the flow is seen at @now.
 *
 * Context: RCU read side (NAPI poll, ndo_start_xmit).
 * Return: true when a live flow exists (the segment may pass).
 */
bool vmgw_flow_track(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		     u8 tcp_flags, unsigned long now)
{
	struct vmgw_flow *f = vmgw_flow_lookup(t, k);
	u8 state;

	if (!f || !vmgw_flow_live(t, f, now))
		return false;
	state = READ_ONCE(f->state);
	if (tcp_flags & TCPHDR_RST)
		state = VMGW_FLOW_CLOSED;
	else if ((tcp_flags & TCPHDR_FIN) && state != VMGW_FLOW_CLOSED)
		state = VMGW_FLOW_FIN;
	else if ((tcp_flags & TCPHDR_ACK) && state == VMGW_FLOW_SYN)
		state = VMGW_FLOW_EST;
	WRITE_ONCE(f->state, state);
	WRITE_ONCE(f->last, now);
	return true;
}

/* @f as reported; under the lock or RCU. */
static void vmgw_flow_info_of(const struct vmgw_flows *t,
			      const struct vmgw_flow *f, unsigned long now,
			      struct vmgw_flow_info *fi)
{
	u8 state = READ_ONCE(f->state);
	unsigned long end;

	end = READ_ONCE(f->last) +
	      (unsigned long)READ_ONCE(t->lim.timeout[state]) * HZ;
	fi->key = f->key;
	fi->state = state;
	fi->expires = time_after(end, now) ? end - now : 0;
}

/**
 * vmgw_flows_walk() - report the live flows of a table, resumably
 * @t: the table
 * @cur: where to start; on return, where to go on
 * @now: current time, jiffies
 * @fn: called for each live flow, under RCU (must not sleep)
 * @arg: passed to @fn
 *
 * Walks bucket by bucket, each under RCU, so the table can change while a
 * netlink dump is in progress. When @fn returns non-zero the walk stops
 * and @cur points at that flow, so that the next walk reports it first.
 *
 * Context: process (may reschedule between buckets).
 * Return: 0 when every flow was reported, or what @fn returned.
 */
int vmgw_flows_walk(struct vmgw_flows *t, struct vmgw_flow_cursor *cur,
		    unsigned long now, vmgw_flow_visit_fn fn, void *arg)
{
	struct vmgw_flow_buckets *b;
	struct vmgw_flow_info fi;
	struct vmgw_flow *f;
	unsigned int idx;
	int err = 0;

	for (;; cur->bucket++) {
		idx = 0;
		rcu_read_lock();
		b = rcu_dereference(t->tbl);
		if (cur->bucket >= (1U << b->bits)) {
			rcu_read_unlock();
			break;
		}
		hlist_for_each_entry_rcu(f, &b->heads[cur->bucket], node) {
			if (!vmgw_flow_live(t, f, now) || idx++ < cur->skip)
				continue;
			vmgw_flow_info_of(t, f, now, &fi);
			err = fn(arg, &fi);
			if (err) {
				cur->skip = idx - 1;
				break;
			}
		}
		rcu_read_unlock();
		if (err)
			return err;
		cur->skip = 0;
		cond_resched();
	}
	return 0;
}

/**
 * vmgw_flow_get() - the live flow of a key
 * @t: the table
 * @k: guest and peer (pad zero)
 * @now: current time, jiffies
 * @fi: receives the flow
 *
 * Context: any; takes RCU itself.
 * Return: true when a live flow of @k exists.
 */
bool vmgw_flow_get(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		   unsigned long now, struct vmgw_flow_info *fi)
{
	struct vmgw_flow *f;
	bool found = false;

	rcu_read_lock();
	f = vmgw_flow_lookup(t, k);
	if (f && vmgw_flow_live(t, f, now)) {
		vmgw_flow_info_of(t, f, now, fi);
		found = true;
	}
	rcu_read_unlock();
	return found;
}
