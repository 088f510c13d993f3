/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VMGW_STATS_H
#define _VMGW_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "classify.h"

/*
 * Every counter a device keeps. "rx" is guest -> host (write(), NAPI,
 * stack), "tx" is host -> guest (ndo_start_xmit, read()). Every frame that
 * is not delivered is counted under exactly one reason. Names (ethtool -S)
 * come from vmgw_stat_name(), in this order.
 */
enum vmgw_stat {
	VMGW_STAT_RX_PACKETS,		/* delivered to the stack */
	VMGW_STAT_RX_BYTES,
	VMGW_STAT_TX_PACKETS,		/* queued for the guest */
	VMGW_STAT_TX_BYTES,

	/* rtnl rx_dropped: classified and refused, or never polled */
	VMGW_STAT_RX_DROP_MALFORMED,	/* split further by malformed reason */
	VMGW_STAT_RX_DROP_UDP_UNSUPPORTED,
	VMGW_STAT_RX_DROP_SPOOF_MAC,	/* policy: source MAC not the guest's */
	VMGW_STAT_RX_DROP_SPOOF_IP,	/* policy: source IP not the guest's */
	VMGW_STAT_RX_DROP_FLOOR,	/* policy: destination in the floor */
	VMGW_STAT_RX_DROP_DENY_RULE,	/* policy: a deny rule */
	VMGW_STAT_RX_DROP_NOT_ALLOWED,	/* policy: allowlist, nothing allows */
	VMGW_STAT_RX_DROP_DNS_RESOLVER,	/* policy: DNS to a non-resolver */
	VMGW_STAT_RX_DROP_NO_FLOW,	/* policy: TCP of no known flow */
	VMGW_STAT_RX_DROP_FLOW_CAP,	/* policy: SYN, flow table full */
	VMGW_STAT_RX_DROP_CSUM,		/* checksum request off the L4 field */
	VMGW_STAT_RX_DROP_GSO,		/* GSO metadata against the headers */
	VMGW_STAT_RX_DROP_DETACH,	/* still queued when the file detached */
	VMGW_STAT_RX_DROP_DOWN,		/* still queued when the device went down */

	/* rtnl rx_errors: write() refused the frame, the VMM got an error */
	VMGW_STAT_WRITE_ERR_SHORT,	/* shorter than vnet header + Ethernet */
	VMGW_STAT_WRITE_ERR_LONG,	/* beyond the MTU (or 64 KiB with GSO) */
	VMGW_STAT_WRITE_ERR_VNET_HDR,	/* virtio_net_hdr refused */
	VMGW_STAT_WRITE_ERR_NOMEM,
	VMGW_STAT_WRITE_ERR_FAULT,
	VMGW_STAT_WRITE_ERR_DOWN,	/* device administratively down */

	/* rtnl tx_dropped */
	VMGW_STAT_TX_DROP_NO_QUEUE,	/* xmit while no file is attached */
	VMGW_STAT_TX_DROP_ORPHAN,	/* zero-copy frags could not be copied */
	VMGW_STAT_TX_DROP_DETACH,	/* still queued when the file detached */
	VMGW_STAT_TX_DROP_DOWN,		/* still queued when the device went down */
	VMGW_STAT_TX_DROP_RST,		/* a RST for the guest found no room */
	VMGW_STAT_TX_DROP_FLOW_CAP,	/* SYN to the guest, flow table full */
	VMGW_STAT_READ_DROP_SHORT_BUF,	/* read() buffer too small: frame lost */
	VMGW_STAT_READ_DROP_VNET_HDR,	/* no virtio_net_hdr for its GSO type */
	VMGW_STAT_READ_DROP_FAULT,	/* copy to the reader faulted */

	/* policy events that are not drops */
	VMGW_STAT_RST_SENT,		/* refused SYN answered with a RST */
	VMGW_STAT_FLOW_OPENED,		/* TCP flows opened, both ways */
	VMGW_STAT_DNS_LEARNED,		/* addresses learned or refreshed */
	VMGW_STAT_DNS_LEARN_FULL,	/* not learned: table full or no memory */
	VMGW_STAT_DNS_QUERIES,		/* guest queries to resolvers recorded */
	VMGW_STAT_DNS_QUERY_FULL,	/* not recorded: its bucket was full */
	VMGW_STAT_DNS_TCP_SPLIT,	/* DNS over TCP not whole in a segment */
	VMGW_STAT_DNS_TCP_UNALIGNED,	/* segment where no message provably starts */
	VMGW_STAT_DNS_TOO_LONG,		/* non-linear answer beyond the buffer */
	VMGW_STAT_DNS_ERR_HEADER,	/* DNS answers ignored, by reason */
	VMGW_STAT_DNS_ERR_TRUNCATED,
	VMGW_STAT_DNS_ERR_LABEL,
	VMGW_STAT_DNS_ERR_NAME_LEN,
	VMGW_STAT_DNS_ERR_PTR_LOOP,
	VMGW_STAT_DNS_ERR_RDATA,
	VMGW_STAT_DNS_ERR_UNSOLICITED,	/* answers no outstanding query */

	/* /dev/vmgw (chrdev.c): frames taken by write(), given by read() */
	VMGW_STAT_WRITE_FRAMES,
	VMGW_STAT_READ_FRAMES,

	/*
	 * /dev/vhost-vmgw (vhost.c): frames through the guest's virtqueues,
	 * then the chains and rings the walker refused, by enum
	 * vmgw_vring_err (VMGW_VRING_OK has none): see vmgw_stat_vring().
	 * Refused frames count where write() and read() count theirs.
	 */
	VMGW_STAT_VHOST_TX,		/* taken from the tx virtqueue */
	VMGW_STAT_VHOST_RX,		/* put in the rx virtqueue */
	VMGW_STAT_VRING_ERR_FAULT,
	VMGW_STAT_VRING_ERR_AVAIL_IDX,
	VMGW_STAT_VRING_ERR_HEAD,
	VMGW_STAT_VRING_ERR_NEXT,
	VMGW_STAT_VRING_ERR_CHAIN,
	VMGW_STAT_VRING_ERR_INDIRECT,
	VMGW_STAT_VRING_ERR_INDIRECT_LEN,
	VMGW_STAT_VRING_ERR_ADDR,
	VMGW_STAT_VRING_ERR_LEN,
	VMGW_STAT_VRING_ERR_SEGS,
	VMGW_STAT_VRING_ERR_DIR,

	/*
	 * Gauges, not counters: what the policy holds at the time of the
	 * read (vmgw_policy_stats_fill()); the per-cpu slots stay 0.
	 */
	VMGW_STAT_FLOWS,		/* flows in the table */
	VMGW_STAT_LEARNED,		/* learned addresses in the table */

	/*
	 * Per-class counters of classified guest frames, then one per
	 * malformed reason (VMGW_MAL_NONE has none): see vmgw_stat_mal().
	 */
	VMGW_STAT_CLASS_FIRST,
	VMGW_STAT_MAL_FIRST = VMGW_STAT_CLASS_FIRST + VMGW_CLASS_MAX,
	VMGW_STAT_MAX = VMGW_STAT_MAL_FIRST + VMGW_MAL_MAX - 1,
};

/* The counter of a malformed reason other than VMGW_MAL_NONE. */
static inline unsigned int vmgw_stat_mal(enum vmgw_malformed why)
{
	return VMGW_STAT_MAL_FIRST + why - 1;
}

#define VMGW_STAT_RX_DROP_FIRST		VMGW_STAT_RX_DROP_MALFORMED
#define VMGW_STAT_RX_DROP_LAST		VMGW_STAT_RX_DROP_DOWN
#define VMGW_STAT_WRITE_ERR_FIRST	VMGW_STAT_WRITE_ERR_SHORT
#define VMGW_STAT_WRITE_ERR_LAST	VMGW_STAT_WRITE_ERR_DOWN
#define VMGW_STAT_TX_DROP_FIRST		VMGW_STAT_TX_DROP_NO_QUEUE
#define VMGW_STAT_TX_DROP_LAST		VMGW_STAT_READ_DROP_FAULT

struct vmgw_pcpu_stats {
	u64_stats_t		cnt[VMGW_STAT_MAX];
	struct u64_stats_sync	syncp;
};

struct vmgw_pcpu_stats __percpu *vmgw_stats_alloc(void);
void vmgw_stats_free(struct vmgw_pcpu_stats __percpu *stats);
void vmgw_stats_read(struct vmgw_pcpu_stats __percpu *stats,
		     u64 out[VMGW_STAT_MAX]);
void vmgw_stat_name(unsigned int idx, char *buf);

/**
 * vmgw_stats_begin() - start updating several counters of the current CPU
 * @stats: per-cpu counters of a device
 * @flags: receives the interrupt state to restore in vmgw_stats_end()
 *
 * Context: any; the u64_stats section is entered with interrupts off, so
 * process context, BH and NAPI may all count on the same CPU. Pair with
 * vmgw_stats_end(); nothing in between may sleep.
 *
 * Return: this CPU's counters, to update with u64_stats_add().
 */
static inline struct vmgw_pcpu_stats *
vmgw_stats_begin(struct vmgw_pcpu_stats __percpu *stats, unsigned long *flags)
{
	struct vmgw_pcpu_stats *s = get_cpu_ptr(stats);

	*flags = u64_stats_update_begin_irqsave(&s->syncp);
	return s;
}

/**
 * vmgw_stats_end() - end the update started by vmgw_stats_begin()
 * @stats: per-cpu counters of a device
 * @s: what vmgw_stats_begin() returned
 * @flags: what vmgw_stats_begin() stored
 */
static inline void vmgw_stats_end(struct vmgw_pcpu_stats __percpu *stats,
				  struct vmgw_pcpu_stats *s,
				  unsigned long flags)
{
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

/**
 * vmgw_stats_add() - add to one counter of the current CPU
 * @stats: per-cpu counters of a device
 * @idx: counter to bump
 * @val: amount to add
 *
 * Context: any (see vmgw_stats_begin()).
 */
static inline void vmgw_stats_add(struct vmgw_pcpu_stats __percpu *stats,
				  unsigned int idx, u64 val)
{
	struct vmgw_pcpu_stats *s;
	unsigned long flags;

	s = vmgw_stats_begin(stats, &flags);
	u64_stats_add(&s->cnt[idx], val);
	vmgw_stats_end(stats, s, flags);
}

#endif /* _VMGW_STATS_H */
