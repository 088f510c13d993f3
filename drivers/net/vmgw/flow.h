/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP flow table of a device: a guest SYN the policy lets through, or a
 * SYN from the gateway namespace to the guest (a published port), opens a
 * flow; every other TCP segment from the guest needs a live flow. Flows
 * expire after an idle time that depends on their state and are collected
 * periodically. The table has a cap; a SYN that finds it full of live
 * flows is refused (from the guest: a RST; from the gateway side: the SYN
 * is dropped before the guest sees it). Time is a parameter (jiffies) so
 * that tests can move it.
 */
#ifndef _VMGW_FLOW_H
#define _VMGW_FLOW_H

#include <linux/bits.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "classify.h"
#include "dns.h"

/*
 * Buckets: a quarter of the cap (rounded up to a power of two), within
 * these bounds, so that a full table has chains of about four flows.
 */
#define VMGW_FLOW_BITS_MIN	6
#define VMGW_FLOW_BITS_MAX	18
/* Buckets an open into a full table may collect on its way. */
#define VMGW_FLOW_OPEN_GC	64
#define VMGW_FLOW_MAX_DEFAULT	4096
#define VMGW_FLOW_MAX_LIMIT	BIT(20)
/* Cap limit for a caller without CAP_NET_ADMIN in the initial user ns. */
#define VMGW_FLOW_MAX_UNPRIV	65536
/* Default timeouts, seconds. */
#define VMGW_FLOW_SYN_TIMEOUT	60
#define VMGW_FLOW_EST_TIMEOUT	3600
#define VMGW_FLOW_FIN_TIMEOUT	60
#define VMGW_FLOW_RST_TIMEOUT	10
#define VMGW_FLOW_TIMEOUT_MAX	(7 * 24 * 3600)

/**
 * enum vmgw_flow_phase - where a flow is, which sets its idle timeout
 * @VMGW_FLOW_SYN: opened by a SYN, no ACK seen yet
 * @VMGW_FLOW_EST: an ACK was seen
 * @VMGW_FLOW_FIN: a FIN was seen (either way)
 * @VMGW_FLOW_CLOSED: a RST was seen (either way)
 * @VMGW_FLOW_STATES: number of states
 */
enum vmgw_flow_phase {
	VMGW_FLOW_SYN,
	VMGW_FLOW_EST,
	VMGW_FLOW_FIN,
	VMGW_FLOW_CLOSED,
	VMGW_FLOW_STATES,
};

/**
 * struct vmgw_flow_limits - cap and timeouts of a flow table
 * @max: most flows, 1 to %VMGW_FLOW_MAX_LIMIT
 * @timeout: idle timeout per &enum vmgw_flow_phase, seconds, 1 to
 *	%VMGW_FLOW_TIMEOUT_MAX
 */
struct vmgw_flow_limits {
	u32 max;
	u32 timeout[VMGW_FLOW_STATES];
};

/**
 * struct vmgw_flow_key - a TCP flow, seen from the guest
 * @guest: the guest's address (IPv4 in the first 4 bytes, rest zero)
 * @peer: the other end's address
 * @gport: the guest's port
 * @pport: the other end's port
 * @family: 4 or 6
 * @pad: zero, so that keys compare and hash as bytes
 */
struct vmgw_flow_key {
	u8 guest[16];
	u8 peer[16];
	u16 gport;
	u16 pport;
	u8 family;
	u8 pad[3];
};

/**
 * struct vmgw_flow_buckets - the bucket array of a flow table
 * @bits: log2 of the number of buckets
 * @heads: buckets of RCU hlists
 */
struct vmgw_flow_buckets {
	unsigned int		bits;
	struct hlist_head	heads[];
};

/**
 * struct vmgw_flows - a device's flow table
 * @lock: serialises inserts, removals, @count, @lim, @gc_next and the
 *	replacement of @tbl
 * @rehash: odd while flows move to a new bucket array; a lookup that
 *	misses meanwhile looks again
 * @count: flows in the table
 * @lim: cap and timeouts
 * @gc_next: the next bucket an open into a full table collects
 * @seed: hash seed, random per table
 * @tbl: the buckets, sized for @lim.max; RCU
 */
struct vmgw_flows {
	spinlock_t			lock;	/* see above */
	seqcount_spinlock_t		rehash;
	unsigned int			count;
	struct vmgw_flow_limits		lim;
	unsigned int			gc_next;
	u32				seed;
	struct vmgw_flow_buckets __rcu	*tbl;
};

/**
 * enum vmgw_flow_res - outcome of vmgw_flow_open()
 * @VMGW_FLOW_OPENED: a new flow
 * @VMGW_FLOW_REOPENED: a live flow of that key exists (a retransmitted
 *	SYN) or a closing one was reused
 * @VMGW_FLOW_FULL: the cap is reached by live flows
 * @VMGW_FLOW_NOMEM: no memory
 */
enum vmgw_flow_res {
	VMGW_FLOW_OPENED,
	VMGW_FLOW_REOPENED,
	VMGW_FLOW_FULL,
	VMGW_FLOW_NOMEM,
};

extern const struct vmgw_flow_limits vmgw_flow_default_limits;

struct vmgw_flows *vmgw_flows_alloc(void);
void vmgw_flows_free(struct vmgw_flows *t);
int vmgw_flows_set_limits(struct vmgw_flows *t,
			  const struct vmgw_flow_limits *lim);
void vmgw_flows_flush(struct vmgw_flows *t);
unsigned int vmgw_flows_gc(struct vmgw_flows *t, unsigned long now);
unsigned int vmgw_flows_count(struct vmgw_flows *t);

bool vmgw_flow_key_from(const struct vmgw_frame_info *fi, bool from_guest,
			struct vmgw_flow_key *k);
enum vmgw_flow_res vmgw_flow_open(struct vmgw_flows *t,
				  const struct vmgw_flow_key *k, bool from_gw,
				  unsigned long now);
bool vmgw_flow_from_gw(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		       unsigned long now);
bool vmgw_flow_track(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		     u8 tcp_flags, unsigned long now);
struct vmgw_dns_stream *vmgw_flow_dns_stream(struct vmgw_flows *t,
					     const struct vmgw_flow_key *k,
					     unsigned long now);

/**
 * struct vmgw_flow_info - a flow as reported to userspace
 * @key: guest and peer addresses and ports
 * @state: &enum vmgw_flow_phase
 * @expires: jiffies until the flow times out if it stays idle
 */
struct vmgw_flow_info {
	struct vmgw_flow_key	key;
	u8			state;
	unsigned long		expires;
};

/**
 * struct vmgw_flow_cursor - where vmgw_flows_walk() goes on
 * @bucket: the next bucket to walk
 * @skip: live flows of @bucket reported already
 *
 * Zeroed, it starts at the beginning. Flows opened or removed between two
 * walks may be missed or reported twice, as in other netlink dumps.
 */
struct vmgw_flow_cursor {
	unsigned int bucket;
	unsigned int skip;
};

/* Report one flow; non-zero stops the walk at this flow (e.g. skb full). */
typedef int (*vmgw_flow_visit_fn)(void *arg, const struct vmgw_flow_info *fi);

int vmgw_flows_walk(struct vmgw_flows *t, struct vmgw_flow_cursor *cur,
		    unsigned long now, vmgw_flow_visit_fn fn, void *arg);
bool vmgw_flow_get(struct vmgw_flows *t, const struct vmgw_flow_key *k,
		   unsigned long now, struct vmgw_flow_info *fi);

#endif /* _VMGW_FLOW_H */
