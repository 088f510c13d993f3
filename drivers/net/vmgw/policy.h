/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy of a device: its configuration (mode, floor, anti-spoof
 * addresses, rules, resolvers, allowed hosts), published under RCU and
 * replaced as a whole under a mutex, plus the state the data path keeps
 * (learned addresses, flows).
 *
 * Configuration entry points (the generic netlink handlers call these):
 * each takes the policy mutex, builds a new configuration from the
 * current one with one change, compiles it and publishes it; readers in
 * the NAPI poll see the old or the new one, never a mix. All return 0 or
 * a negative errno and, when @extack is not NULL, set a message on error.
 */
#ifndef _VMGW_POLICY_H
#define _VMGW_POLICY_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "dns.h"
#include "dnsq.h"
#include "flow.h"
#include "learn.h"
#include "verdict.h"

#define VMGW_POLICY_MAX_RESOLVERS	16
#define VMGW_POLICY_MAX_HOSTS		4096
/* Period of the collection of expired flows and learned addresses. */
#define VMGW_POLICY_GC_INTERVAL		(5 * HZ)

/**
 * struct vmgw_policy_addr - one address (a DNS resolver)
 * @family: 4 or 6
 * @addr: the address, IPv4 in the first 4 bytes
 */
struct vmgw_policy_addr {
	u8 family;
	u8 addr[16];
};

/**
 * struct vmgw_policy_cfg - one immutable configuration
 * @rcu: freed after a grace period once replaced
 * @v: what the verdict reads; its pointers point into this object
 * @rules: compiled @rule_src
 * @resolvers: compiled @res_src, NULL when there is none (any server)
 * @hosts: @host_v as the DNS parser takes it
 * @rule_src: the rules as given, @n_rules of them (for dumps)
 * @n_rules: number of rules
 * @res_src: the resolvers as given, @n_resolvers of them
 * @n_resolvers: number of resolvers
 * @host_v: the allowed host patterns, sorted, @n_hosts of them, their
 *	names in @host_buf
 * @host_buf: %VMGW_DNS_TEXT_MAX bytes per host
 * @n_hosts: number of allowed host patterns
 * @host_gen: generation of the patterns, tags what is learned under them
 *
 * Readers: rcu_dereference_bh() of &vmgw_policy.cfg in the data path, or
 * vmgw_policy_cfg_locked() under the policy mutex (dumps). Nothing in it
 * changes after publication.
 */
struct vmgw_policy_cfg {
	struct rcu_head			rcu;
	struct vmgw_verdict_cfg		v;
	struct vmgw_ruleset		*rules;
	struct vmgw_ruleset		*resolvers;
	struct vmgw_dns_hosts		hosts;
	struct vmgw_rule		*rule_src;
	unsigned int			n_rules;
	struct vmgw_policy_addr		*res_src;
	unsigned int			n_resolvers;
	struct vmgw_dns_host		*host_v;
	char				*host_buf;
	unsigned int			n_hosts;
	u32				host_gen;
};

/**
 * struct vmgw_policy - policy and policy state of one device
 * @lock: serialises writers of @cfg
 * @cfg: the configuration in force, never NULL after vmgw_policy_alloc()
 * @flows: TCP flows
 * @learn: addresses learned from DNS answers
 * @dnsq: the guest's DNS queries waiting for their answer
 * @dev: the device, whose namespace's addresses are the gateway's; set
 *	once by its ndo_init, NULL for a policy without a device (tests)
 * @host_gen: last host pattern generation handed out, under @lock
 * @gc_work: periodic collection of expired @flows and @learn entries,
 *	between vmgw_policy_gc_start() and vmgw_policy_gc_stop()
 */
struct vmgw_policy {
	struct mutex			lock;	/* writers of @cfg */
	struct vmgw_policy_cfg __rcu	*cfg;
	struct vmgw_flows		*flows;
	struct vmgw_learn		learn;
	struct vmgw_dnsq		dnsq;
	struct net_device		*dev;
	u32				host_gen;
	struct delayed_work		gc_work;
};

struct vmgw_pcpu_stats;

struct vmgw_policy *vmgw_policy_alloc(void);
void vmgw_policy_free(struct vmgw_policy *pol);
void vmgw_policy_gc_start(struct vmgw_policy *pol);
void vmgw_policy_gc_stop(struct vmgw_policy *pol);
unsigned int vmgw_policy_gc(struct vmgw_policy *pol, unsigned long now);
void vmgw_policy_stats_fill(struct vmgw_policy *pol, u64 *c);

int vmgw_policy_set_mode(struct vmgw_policy *pol, enum vmgw_mode mode,
			 struct netlink_ext_ack *extack);
int vmgw_policy_set_floor(struct vmgw_policy *pol, enum vmgw_floor floor,
			  struct netlink_ext_ack *extack);
int vmgw_policy_set_guest(struct vmgw_policy *pol,
			  const struct vmgw_guest_id *guest,
			  struct netlink_ext_ack *extack);
int vmgw_policy_add_rules(struct vmgw_policy *pol,
			  const struct vmgw_rule *rules, unsigned int n,
			  struct netlink_ext_ack *extack);
int vmgw_policy_del_rules(struct vmgw_policy *pol,
			  const struct vmgw_rule *rules, unsigned int n,
			  struct netlink_ext_ack *extack);
int vmgw_policy_flush_rules(struct vmgw_policy *pol,
			    struct netlink_ext_ack *extack);
int vmgw_policy_set_resolvers(struct vmgw_policy *pol,
			      const struct vmgw_policy_addr *addrs,
			      unsigned int n, struct netlink_ext_ack *extack);
int vmgw_policy_set_hosts(struct vmgw_policy *pol, const char * const *names,
			  unsigned int n, struct netlink_ext_ack *extack);
int vmgw_policy_set_flow_limits(struct vmgw_policy *pol,
				const struct vmgw_flow_limits *lim,
				struct netlink_ext_ack *extack);

void vmgw_policy_lock(struct vmgw_policy *pol);
void vmgw_policy_unlock(struct vmgw_policy *pol);
const struct vmgw_policy_cfg *vmgw_policy_cfg_locked(struct vmgw_policy *pol);

struct vmgw_verdict vmgw_policy_rx(struct vmgw_policy *pol,
				   const struct vmgw_frame_info *fi,
				   const u8 *src_mac, unsigned long now);
struct vmgw_verdict vmgw_policy_tx_tcp(struct vmgw_policy *pol,
				       const struct vmgw_frame_info *fi,
				       bool local, unsigned long now);
bool vmgw_policy_wants_dns(struct vmgw_policy *pol,
			   const struct vmgw_frame_info *fi);
bool vmgw_policy_wants_query(struct vmgw_policy *pol,
			     const struct vmgw_frame_info *fi);
void vmgw_policy_dns_query(struct vmgw_policy *pol,
			   const struct vmgw_frame_info *fi, const u8 *msg,
			   unsigned int len, unsigned long now,
			   struct vmgw_pcpu_stats __percpu *stats);
enum vmgw_dns_err vmgw_policy_learn_dns(struct vmgw_policy *pol,
					const struct vmgw_frame_info *fi,
					const u8 *msg, unsigned int len,
					unsigned long now,
					struct vmgw_pcpu_stats __percpu *stats);

/**
 * struct vmgw_policy_tcp_seg - a TCP segment from a resolver to the guest
 * @seq: its sequence number
 * @len: bytes of payload
 * @rd: reads the payload
 * @arg: passed to @rd
 * @buf: where a message is copied to be parsed
 * @buf_len: bytes at @buf; a longer message is not learned from
 *	(%VMGW_STAT_DNS_TOO_LONG)
 */
struct vmgw_policy_tcp_seg {
	u32 seq;
	unsigned int len;
	vmgw_dns_read_fn rd;
	void *arg;
	u8 *buf;
	unsigned int buf_len;
};

unsigned int vmgw_policy_learn_dns_tcp(struct vmgw_policy *pol,
				       const struct vmgw_frame_info *fi,
				       const struct vmgw_policy_tcp_seg *seg,
				       unsigned long now,
				       struct vmgw_pcpu_stats __percpu *stats);

#endif /* _VMGW_POLICY_H */
