// SPDX-License-Identifier: GPL-2.0
/*
 * Per-cpu device counters: written lock-free on the CPU that sees the event,
 * summed on read (rtnl stats64, ethtool -S).
 */
#include <linux/build_bug.h>
#include <linux/ethtool.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "stats.h"

static const char * const vmgw_stat_names[VMGW_STAT_CLASS_FIRST] = {
	[VMGW_STAT_RX_PACKETS]		= "rx_packets",
	[VMGW_STAT_RX_BYTES]		= "rx_bytes",
	[VMGW_STAT_TX_PACKETS]		= "tx_packets",
	[VMGW_STAT_TX_BYTES]		= "tx_bytes",
	[VMGW_STAT_RX_DROP_MALFORMED]	= "rx_drop_malformed",
	[VMGW_STAT_RX_DROP_UDP_UNSUPPORTED] = "rx_drop_udp_unsupported",
	[VMGW_STAT_RX_DROP_SPOOF_MAC]	= "rx_drop_spoof_mac",
	[VMGW_STAT_RX_DROP_SPOOF_IP]	= "rx_drop_spoof_ip",
	[VMGW_STAT_RX_DROP_FLOOR]	= "rx_drop_floor",
	[VMGW_STAT_RX_DROP_DENY_RULE]	= "rx_drop_deny_rule",
	[VMGW_STAT_RX_DROP_NOT_ALLOWED]	= "rx_drop_not_allowed",
	[VMGW_STAT_RX_DROP_DNS_RESOLVER] = "rx_drop_dns_resolver",
	[VMGW_STAT_RX_DROP_NO_FLOW]	= "rx_drop_no_flow",
	[VMGW_STAT_RX_DROP_FLOW_CAP]	= "rx_drop_flow_cap",
	[VMGW_STAT_RX_DROP_CSUM]	= "rx_drop_csum",
	[VMGW_STAT_RX_DROP_GSO]		= "rx_drop_gso",
	[VMGW_STAT_RX_DROP_DETACH]	= "rx_drop_detach",
	[VMGW_STAT_RX_DROP_DOWN]	= "rx_drop_down",
	[VMGW_STAT_WRITE_ERR_SHORT]	= "write_err_short",
	[VMGW_STAT_WRITE_ERR_LONG]	= "write_err_long",
	[VMGW_STAT_WRITE_ERR_VNET_HDR]	= "write_err_vnet_hdr",
	[VMGW_STAT_WRITE_ERR_NOMEM]	= "write_err_nomem",
	[VMGW_STAT_WRITE_ERR_FAULT]	= "write_err_fault",
	[VMGW_STAT_WRITE_ERR_DOWN]	= "write_err_down",
	[VMGW_STAT_TX_DROP_NO_QUEUE]	= "tx_drop_no_queue",
	[VMGW_STAT_TX_DROP_ORPHAN]	= "tx_drop_orphan",
	[VMGW_STAT_TX_DROP_DETACH]	= "tx_drop_detach",
	[VMGW_STAT_TX_DROP_DOWN]	= "tx_drop_down",
	[VMGW_STAT_TX_DROP_RST]		= "tx_drop_rst",
	[VMGW_STAT_TX_DROP_FLOW_CAP]	= "tx_drop_flow_cap",
	[VMGW_STAT_READ_DROP_SHORT_BUF]	= "read_drop_short_buf",
	[VMGW_STAT_READ_DROP_VNET_HDR]	= "read_drop_vnet_hdr",
	[VMGW_STAT_READ_DROP_FAULT]	= "read_drop_fault",
	[VMGW_STAT_RST_SENT]		= "rst_sent",
	[VMGW_STAT_FLOW_OPENED]		= "flow_opened",
	[VMGW_STAT_DNS_LEARNED]		= "dns_learned",
	[VMGW_STAT_DNS_LEARN_FULL]	= "dns_learn_full",
	[VMGW_STAT_DNS_QUERIES]		= "dns_queries",
	[VMGW_STAT_DNS_QUERY_FULL]	= "dns_query_full",
	[VMGW_STAT_DNS_TCP_SPLIT]	= "dns_tcp_split",
	[VMGW_STAT_DNS_TCP_UNALIGNED]	= "dns_tcp_unaligned",
	[VMGW_STAT_DNS_TOO_LONG]	= "dns_too_long",
	[VMGW_STAT_DNS_ERR_HEADER]	= "dns_err_header",
	[VMGW_STAT_DNS_ERR_TRUNCATED]	= "dns_err_truncated",
	[VMGW_STAT_DNS_ERR_LABEL]	= "dns_err_label",
	[VMGW_STAT_DNS_ERR_NAME_LEN]	= "dns_err_name_len",
	[VMGW_STAT_DNS_ERR_PTR_LOOP]	= "dns_err_ptr_loop",
	[VMGW_STAT_DNS_ERR_RDATA]	= "dns_err_rdata",
	[VMGW_STAT_DNS_ERR_UNSOLICITED]	= "dns_err_unsolicited",
	[VMGW_STAT_WRITE_FRAMES]	= "write_frames",
	[VMGW_STAT_READ_FRAMES]		= "read_frames",
	[VMGW_STAT_VHOST_TX]		= "vhost_tx",
	[VMGW_STAT_VHOST_RX]		= "vhost_rx",
	[VMGW_STAT_VRING_ERR_FAULT]	= "vring_err_fault",
	[VMGW_STAT_VRING_ERR_AVAIL_IDX]	= "vring_err_avail_idx",
	[VMGW_STAT_VRING_ERR_HEAD]	= "vring_err_head",
	[VMGW_STAT_VRING_ERR_NEXT]	= "vring_err_next",
	[VMGW_STAT_VRING_ERR_CHAIN]	= "vring_err_chain",
	[VMGW_STAT_VRING_ERR_INDIRECT]	= "vring_err_indirect",
	[VMGW_STAT_VRING_ERR_INDIRECT_LEN] = "vring_err_indirect_len",
	[VMGW_STAT_VRING_ERR_ADDR]	= "vring_err_addr",
	[VMGW_STAT_VRING_ERR_LEN]	= "vring_err_len",
	[VMGW_STAT_VRING_ERR_SEGS]	= "vring_err_segs",
	[VMGW_STAT_VRING_ERR_DIR]	= "vring_err_dir",
	[VMGW_STAT_FLOWS]		= "flows",
	[VMGW_STAT_LEARNED]		= "learned",
};

/**
 * vmgw_stat_name() - the ethtool -S name of a counter
 * @idx: counter, below VMGW_STAT_MAX
 * @buf: receives the NUL-terminated name, ETH_GSTRING_LEN bytes
 *
 * Class counters are "rx_class_<class>", malformed reasons
 * "rx_malformed_<reason>".
 */
void vmgw_stat_name(unsigned int idx, char *buf)
{
	memset(buf, 0, ETH_GSTRING_LEN);
	if (idx < VMGW_STAT_CLASS_FIRST)
		strscpy(buf, vmgw_stat_names[idx], ETH_GSTRING_LEN);
	else if (idx < VMGW_STAT_MAL_FIRST)
		snprintf(buf, ETH_GSTRING_LEN, "rx_class_%s",
			 vmgw_class_names[idx - VMGW_STAT_CLASS_FIRST]);
	else if (idx < VMGW_STAT_MAX)
		snprintf(buf, ETH_GSTRING_LEN, "rx_malformed_%s",
			 vmgw_malformed_names[idx - VMGW_STAT_MAL_FIRST + 1]);
}

/**
 * vmgw_stats_alloc() - allocate zeroed per-cpu counters
 *
 * Return: the counters, or NULL when out of memory.
 */
struct vmgw_pcpu_stats __percpu *vmgw_stats_alloc(void)
{
	struct vmgw_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu_gfp(struct vmgw_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

/**
 * vmgw_stats_free() - free counters from vmgw_stats_alloc()
 * @stats: counters, may be NULL
 */
void vmgw_stats_free(struct vmgw_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

/**
 * vmgw_stats_read() - sum every counter over all possible CPUs
 * @stats: per-cpu counters of a device
 * @out: receives VMGW_STAT_MAX sums, in enum vmgw_stat order
 *
 * Each CPU's snapshot is consistent (retried while a writer is inside its
 * u64_stats sequence); the sum across CPUs is not atomic, as for any
 * per-cpu statistic.
 */
void vmgw_stats_read(struct vmgw_pcpu_stats __percpu *stats,
		     u64 out[VMGW_STAT_MAX])
{
	unsigned int start;
	int cpu, i;

	memset(out, 0, sizeof(u64) * VMGW_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct vmgw_pcpu_stats *s = per_cpu_ptr(stats, cpu);
		u64 snap[VMGW_STAT_MAX];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < VMGW_STAT_MAX; i++)
				snap[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < VMGW_STAT_MAX; i++)
			out[i] += snap[i];
	}
}
