// SPDX-License-Identifier: GPL-2.0
/*
 * Policy configuration and the policy's data path entry points.
 *
 * A configuration is immutable once published. A change copies the
 * sources of the current one (rules, resolvers, host patterns and the
 * scalars), applies itself, compiles the copy (rule tries, sorted hosts)
 * and swaps the RCU pointer under the policy mutex; the old one is freed
 * after a grace period. Readers (NAPI poll, ndo_start_xmit) run with BH
 * off and never block a writer, nor a writer them.
 *
 * Lifetime of the state (flows, learned addresses). Entries die when their
 * timeout or TTL runs out: lookups ignore them at once, and they are freed
 * (after an RCU grace period) by whichever comes first of an insert into
 * their bucket, a full table, and the periodic collection below, which
 * runs every %VMGW_POLICY_GC_INTERVAL from vmgw_policy_gc_start() to
 * vmgw_policy_gc_stop(). The device starts it in ndo_init and stops it in
 * ndo_uninit, and vmgw_policy_free() stops it again (a no-op then, needed
 * for a policy whose device never registered). Teardown of a device thus
 * runs: ndo_stop (NAPI disabled), ndo_uninit (queue detached, collection
 * stopped: cancel_delayed_work_sync() waits for a pass in progress),
 * synchronize_net() in the core (no reader left in ndo_start_xmit), then
 * the destructor calls vmgw_policy_free(), which frees what is left with
 * kfree_rcu() and call_rcu(); rcu_barrier() at module exit waits for
 * those callbacks.
 */
#include <linux/build_bug.h>
#include <linux/etherdevice.h>
#include <linux/in.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/route.h>
#include <net/tcp.h>
#include <linux/workqueue.h>

#include "policy.h"
#include "stats.h"

struct vmgw_policy_learn_ctx {
	const struct vmgw_learn *learn;
	const struct net_device *dev;
	u32 gen;
	unsigned long now;
};

/* Learning from one DNS answer: what was added, what found no room. */
struct vmgw_policy_dns_ctx {
	struct vmgw_learn *learn;
	u32 gen;
	unsigned long now;
	unsigned int failed;
};

static void vmgw_policy_cfg_free(struct vmgw_policy_cfg *c)
{
	if (!c)
		return;
	vmgw_ruleset_free(c->rules);
	vmgw_ruleset_free(c->resolvers);
	kvfree(c->rule_src);
	kvfree(c->res_src);
	kvfree(c->host_v);
	kvfree(c->host_buf);
	kfree(c);
}

static void vmgw_policy_cfg_free_rcu(struct rcu_head *head)
{
	vmgw_policy_cfg_free(container_of(head, struct vmgw_policy_cfg, rcu));
}

/* kvmalloc'ed copy of @n elements of @size, or of nothing. */
static int vmgw_policy_dup(void **dst, const void *src, unsigned int n,
			   size_t size)
{
	*dst = NULL;
	if (!n)
		return 0;
	*dst = kvmalloc_array(n, size, GFP_KERNEL_ACCOUNT);
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, src, n * size);
	return 0;
}

/* The sources and scalars of @old (or the defaults), not compiled. */
static struct vmgw_policy_cfg *
vmgw_policy_cfg_copy(const struct vmgw_policy_cfg *old)
{
	struct vmgw_policy_cfg *c;
	unsigned int i;

	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c || !old)
		return c;
	c->v.mode = old->v.mode;
	c->v.floor = old->v.floor;
	c->v.guest = old->v.guest;
	c->n_rules = old->n_rules;
	c->n_resolvers = old->n_resolvers;
	c->n_hosts = old->n_hosts;
	c->host_gen = old->host_gen;
	if (vmgw_policy_dup((void **)&c->rule_src, old->rule_src,
			    old->n_rules, sizeof(*c->rule_src)) ||
	    vmgw_policy_dup((void **)&c->res_src, old->res_src,
			    old->n_resolvers, sizeof(*c->res_src)) ||
	    vmgw_policy_dup((void **)&c->host_v, old->host_v, old->n_hosts,
			    sizeof(*c->host_v)) ||
	    vmgw_policy_dup((void **)&c->host_buf, old->host_buf,
			    old->n_hosts, VMGW_DNS_TEXT_MAX))
		goto free_cfg;
	for (i = 0; i < c->n_hosts; i++)
		c->host_v[i].name = c->host_buf +
				    (old->host_v[i].name - old->host_buf);
	return c;

free_cfg:
	vmgw_policy_cfg_free(c);
	return NULL;
}

static struct vmgw_ruleset *vmgw_policy_resolvers(struct vmgw_policy_cfg *c,
						  int *err)
{
	struct vmgw_ruleset *rs;
	struct vmgw_rule *r;
	unsigned int i;

	*err = 0;
	if (!c->n_resolvers)
		return NULL;
	r = kcalloc(c->n_resolvers, sizeof(*r), GFP_KERNEL);
	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < c->n_resolvers; i++) {
		r[i].family = c->res_src[i].family;
		memcpy(r[i].addr, c->res_src[i].addr, 16);
		r[i].plen = r[i].family == 4 ? 32 : 128;
		r[i].action = VMGW_RULE_ALLOW;
		r[i].port_hi = U16_MAX;
	}
	rs = vmgw_ruleset_build(r, c->n_resolvers, err);
	kfree(r);
	return rs;
}

/*
 * Is @addr an address of the gateway namespace (of the device's namespace
 * now: the device may move)? Loopback addresses are not: the stack never
 * takes them from a device. Link-local IPv6 ones count on the device only.
 */
static bool vmgw_policy_gw_addr(const void *ctx, u8 family, const u8 *addr)
{
	const struct vmgw_policy_learn_ctx *lc = ctx;
	struct in6_addr a6;
	struct net *net;
	__be32 a4;

	if (!lc || !lc->dev)
		return false;
	net = dev_net(lc->dev);
	if (family == 4) {
		memcpy(&a4, addr, sizeof(a4));
		return !ipv4_is_loopback(a4) &&
		       inet_addr_type(net, a4) == RTN_LOCAL;
	}
	if (!IS_REACHABLE(CONFIG_IPV6))
		return false;
	memcpy(&a6, addr, sizeof(a6));
	return !ipv6_addr_loopback(&a6) && ipv6_chk_addr(net, &a6, lc->dev, 0);
}

/* Build what the data path reads from the sources. */
static int vmgw_policy_cfg_compile(struct vmgw_policy_cfg *c)
{
	int err;

	c->rules = vmgw_ruleset_build(c->rule_src, c->n_rules, &err);
	if (!c->rules)
		return err;
	c->resolvers = vmgw_policy_resolvers(c, &err);
	if (err)
		return err;
	c->hosts.v = c->host_v;
	c->hosts.n = c->n_hosts;
	c->v.rules = c->rules;
	c->v.resolvers = c->resolvers;
	c->v.learning = c->n_hosts > 0;
	c->v.gw_addr = vmgw_policy_gw_addr;
	return 0;
}

/*
 * Compile @c and make it the configuration in force, or free it. Learned
 * addresses belong to the host patterns they were learned for: when those
 * change, they are forgotten.
 */
static int vmgw_policy_publish(struct vmgw_policy *pol,
			       struct vmgw_policy_cfg *c, bool hosts_changed,
			       struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *old;
	int err;

	lockdep_assert_held(&pol->lock);
	err = vmgw_policy_cfg_compile(c);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot build the policy");
		vmgw_policy_cfg_free(c);
		return err;
	}
	old = rcu_replace_pointer(pol->cfg, c, lockdep_is_held(&pol->lock));
	if (hosts_changed)
		vmgw_learn_flush(&pol->learn);
	if (old)
		call_rcu(&old->rcu, vmgw_policy_cfg_free_rcu);
	return 0;
}

/* Start a change: a copy of the configuration in force, mutex held. */
static struct vmgw_policy_cfg *vmgw_policy_begin(struct vmgw_policy *pol,
						 struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;

	mutex_lock(&pol->lock);
	c = vmgw_policy_cfg_copy(vmgw_policy_cfg_locked(pol));
	if (!c) {
		NL_SET_ERR_MSG_MOD(extack, "out of memory");
		mutex_unlock(&pol->lock);
	}
	return c;
}

static int vmgw_policy_commit(struct vmgw_policy *pol,
			      struct vmgw_policy_cfg *c, bool hosts_changed,
			      struct netlink_ext_ack *extack)
{
	int err = vmgw_policy_publish(pol, c, hosts_changed, extack);

	mutex_unlock(&pol->lock);
	return err;
}

static void vmgw_policy_abort(struct vmgw_policy *pol,
			      struct vmgw_policy_cfg *c)
{
	vmgw_policy_cfg_free(c);
	mutex_unlock(&pol->lock);
}

static void vmgw_policy_gc_work(struct work_struct *work)
{
	struct vmgw_policy *pol = container_of(to_delayed_work(work),
					       struct vmgw_policy, gc_work);

	vmgw_policy_gc(pol, jiffies);
	queue_delayed_work(system_power_efficient_wq, &pol->gc_work,
			   round_jiffies_relative(VMGW_POLICY_GC_INTERVAL));
}

/**
 * vmgw_policy_alloc() - a policy with the default configuration
 *
 * Default: open mode, default floor, no anti-spoof addresses, no rules,
 * any resolver, no allowed hosts, default flow limits.
 *
 * Context: process.
 * Return: the policy, or NULL when out of memory.
 */
struct vmgw_policy *vmgw_policy_alloc(void)
{
	struct vmgw_policy_cfg *cfg;
	struct vmgw_policy *pol;
	int err;

	pol = kvzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);
	if (!pol)
		return NULL;
	mutex_init(&pol->lock);
	INIT_DELAYED_WORK(&pol->gc_work, vmgw_policy_gc_work);
	vmgw_learn_init(&pol->learn, VMGW_LEARN_MAX_DEFAULT);
	vmgw_dnsq_init(&pol->dnsq);
	pol->flows = vmgw_flows_alloc();
	if (!pol->flows)
		goto free_pol;
	cfg = vmgw_policy_cfg_copy(NULL);
	if (!cfg)
		goto free_flows;
	mutex_lock(&pol->lock);
	err = vmgw_policy_publish(pol, cfg, false, NULL);
	mutex_unlock(&pol->lock);
	if (err)
		goto free_flows;
	return pol;

free_flows:
	vmgw_flows_free(pol->flows);
free_pol:
	mutex_destroy(&pol->lock);
	kvfree(pol);
	return NULL;
}

/**
 * vmgw_policy_free() - free a policy, its configuration and state
 * @pol: the policy, or NULL; no reader may still use it (the device is
 *	unregistered, its queue detached)
 *
 * Context: process.
 */
void vmgw_policy_free(struct vmgw_policy *pol)
{
	if (!pol)
		return;
	vmgw_policy_gc_stop(pol);
	vmgw_policy_cfg_free(rcu_dereference_protected(pol->cfg, true));
	vmgw_learn_flush(&pol->learn);
	vmgw_flows_free(pol->flows);
	mutex_destroy(&pol->lock);
	kvfree(pol);
}

/**
 * vmgw_policy_gc_start() - start the periodic collection of expired state
 * @pol: the policy
 *
 * Every %VMGW_POLICY_GC_INTERVAL, expired flows and learned addresses are
 * freed, so that idle ones go away (and the "flows" and "learned" gauges
 * drop) without any traffic. Stop it with vmgw_policy_gc_stop() before
 * @pol is freed.
 *
 * Context: any.
 */
void vmgw_policy_gc_start(struct vmgw_policy *pol)
{
	queue_delayed_work(system_power_efficient_wq, &pol->gc_work,
			   round_jiffies_relative(VMGW_POLICY_GC_INTERVAL));
}

/**
 * vmgw_policy_gc_stop() - stop the periodic collection
 * @pol: the policy
 *
 * Returns once no pass runs and none is queued; the work re-arms itself,
 * which cancel_delayed_work_sync() handles. Stopping a collection that
 * never started, or twice, is allowed.
 *
 * Context: process; sleeps. The work takes no lock a caller may hold
 * (RTNL, the policy mutex): only the tables' spinlocks.
 */
void vmgw_policy_gc_stop(struct vmgw_policy *pol)
{
	cancel_delayed_work_sync(&pol->gc_work);
}

/**
 * vmgw_policy_gc() - one collection of expired flows and learned addresses
 * @pol: the policy
 * @now: current time, jiffies
 *
 * Context: any but hard IRQ; takes the tables' locks with BH off, a chunk
 * of buckets at a time.
 * Return: the number of flows and addresses freed.
 */
unsigned int vmgw_policy_gc(struct vmgw_policy *pol, unsigned long now)
{
	return vmgw_flows_gc(pol->flows, now) + vmgw_learn_gc(&pol->learn, now);
}

/**
 * vmgw_policy_stats_fill() - fill the gauges of a counter snapshot
 * @pol: the policy
 * @c: counters read with vmgw_stats_read(), %VMGW_STAT_MAX of them
 *
 * Sets %VMGW_STAT_FLOWS and %VMGW_STAT_LEARNED to what the tables hold
 * now (expired entries not yet collected included).
 */
void vmgw_policy_stats_fill(struct vmgw_policy *pol, u64 *c)
{
	c[VMGW_STAT_FLOWS] = vmgw_flows_count(pol->flows);
	c[VMGW_STAT_LEARNED] = vmgw_learn_count(&pol->learn);
}

/**
 * vmgw_policy_set_mode() - open or allowlist
 * @pol: the policy
 * @mode: &enum vmgw_mode
 * @extack: error message, or NULL
 *
 * Existing flows keep passing after a switch to allowlist mode.
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -EINVAL for an unknown mode, or -ENOMEM.
 */
int vmgw_policy_set_mode(struct vmgw_policy *pol, enum vmgw_mode mode,
			 struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;

	if ((unsigned int)mode >= VMGW_MODE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "unknown policy mode");
		return -EINVAL;
	}
	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	c->v.mode = mode;
	return vmgw_policy_commit(pol, c, false, extack);
}

/**
 * vmgw_policy_set_floor() - default, strict or off
 * @pol: the policy
 * @floor: &enum vmgw_floor
 * @extack: error message, or NULL
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -EINVAL for an unknown floor, or -ENOMEM.
 */
int vmgw_policy_set_floor(struct vmgw_policy *pol, enum vmgw_floor floor,
			  struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;

	if ((unsigned int)floor >= VMGW_FLOOR_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "unknown floor");
		return -EINVAL;
	}
	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	c->v.floor = floor;
	return vmgw_policy_commit(pol, c, false, extack);
}

/**
 * vmgw_policy_set_guest() - the guest's own addresses (anti-spoof)
 * @pol: the policy
 * @guest: MAC, IPv4 and IPv6 addresses; what is not set is not checked
 * @extack: error message, or NULL
 *
 * Replaces all of them: pass every address the guest may use, link-local
 * IPv6 ones included.
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -EINVAL for a MAC that is not unicast or too many IPv6
 * addresses, or -ENOMEM.
 */
int vmgw_policy_set_guest(struct vmgw_policy *pol,
			  const struct vmgw_guest_id *guest,
			  struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;

	if (guest->mac_set && !is_valid_ether_addr(guest->mac)) {
		NL_SET_ERR_MSG_MOD(extack, "guest MAC must be unicast, not zero");
		return -EINVAL;
	}
	if (guest->n_ip6 > VMGW_GUEST_MAX_IP6) {
		NL_SET_ERR_MSG_MOD(extack, "too many guest IPv6 addresses");
		return -EINVAL;
	}
	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	c->v.guest = *guest;
	return vmgw_policy_commit(pol, c, false, extack);
}

/**
 * vmgw_policy_add_rules() - add allow and deny rules
 * @pol: the policy
 * @rules: rules to add (see vmgw_rule_check()); duplicates are kept
 * @n: how many
 * @extack: error message, or NULL
 *
 * All or nothing: on error the rules in force do not change. Add many
 * rules in one call: each call rebuilds the rule trie.
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -EINVAL for an invalid rule, -E2BIG beyond %VMGW_RULES_MAX
 * rules in all, or -ENOMEM.
 */
int vmgw_policy_add_rules(struct vmgw_policy *pol,
			  const struct vmgw_rule *rules, unsigned int n,
			  struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;
	struct vmgw_rule *r;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (vmgw_rule_check(&rules[i])) {
			NL_SET_ERR_MSG_MOD(extack, "invalid rule");
			return -EINVAL;
		}
	}
	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	if (n > VMGW_RULES_MAX - c->n_rules) {
		NL_SET_ERR_MSG_MOD(extack, "too many rules");
		vmgw_policy_abort(pol, c);
		return -E2BIG;
	}
	r = kvmalloc_array(c->n_rules + n, sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		vmgw_policy_abort(pol, c);
		return -ENOMEM;
	}
	if (c->n_rules)
		memcpy(r, c->rule_src, c->n_rules * sizeof(*r));
	memcpy(r + c->n_rules, rules, n * sizeof(*r));
	kvfree(c->rule_src);
	c->rule_src = r;
	c->n_rules += n;
	return vmgw_policy_commit(pol, c, false, extack);
}

static bool vmgw_rule_eq(const struct vmgw_rule *a, const struct vmgw_rule *b)
{
	unsigned int alen = a->family == 4 ? 4 : 16;

	return a->family == b->family && a->plen == b->plen &&
	       a->proto == b->proto && a->action == b->action &&
	       a->port_lo == b->port_lo && a->port_hi == b->port_hi &&
	       !memcmp(a->addr, b->addr, alen);
}

/**
 * vmgw_policy_del_rules() - remove rules
 * @pol: the policy
 * @rules: rules equal (family, address, prefix, protocol, action, ports)
 *	to ones added; one instance is removed per entry
 * @n: how many
 * @extack: error message, or NULL
 *
 * All or nothing. Linear in the number of rules: a control path cost.
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -ENOENT when a rule is not in force, or -ENOMEM.
 */
int vmgw_policy_del_rules(struct vmgw_policy *pol,
			  const struct vmgw_rule *rules, unsigned int n,
			  struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;
	unsigned int i, j;

	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = 0; j < c->n_rules; j++)
			if (vmgw_rule_eq(&c->rule_src[j], &rules[i]))
				break;
		if (j == c->n_rules) {
			NL_SET_ERR_MSG_MOD(extack, "no such rule");
			vmgw_policy_abort(pol, c);
			return -ENOENT;
		}
		c->rule_src[j] = c->rule_src[--c->n_rules];
	}
	return vmgw_policy_commit(pol, c, false, extack);
}

/**
 * vmgw_policy_flush_rules() - remove every rule
 * @pol: the policy
 * @extack: error message, or NULL
 *
 * Context: process; takes the policy mutex.
 * Return: 0 or -ENOMEM.
 */
int vmgw_policy_flush_rules(struct vmgw_policy *pol,
			    struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;

	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	kvfree(c->rule_src);
	c->rule_src = NULL;
	c->n_rules = 0;
	return vmgw_policy_commit(pol, c, false, extack);
}

/**
 * vmgw_policy_set_resolvers() - the DNS servers the guest may query
 * @pol: the policy
 * @addrs: their addresses; none means any server
 * @n: how many, at most %VMGW_POLICY_MAX_RESOLVERS
 * @extack: error message, or NULL
 *
 * DNS (UDP or TCP to port 53) to a configured resolver passes even where
 * the floor or a deny rule would stop it (a resolver in the gateway
 * namespace is usually at a private address); DNS to any other server is
 * dropped. Answers are learned from only when they come from a resolver
 * (or, when none is configured, from an address of the gateway
 * namespace) and answer a query the guest sent.
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -EINVAL for a bad family or too many, or -ENOMEM.
 */
int vmgw_policy_set_resolvers(struct vmgw_policy *pol,
			      const struct vmgw_policy_addr *addrs,
			      unsigned int n, struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;
	unsigned int i;
	void *copy;

	if (n > VMGW_POLICY_MAX_RESOLVERS) {
		NL_SET_ERR_MSG_MOD(extack, "too many resolvers");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (addrs[i].family != 4 && addrs[i].family != 6) {
			NL_SET_ERR_MSG_MOD(extack, "resolver family must be 4 or 6");
			return -EINVAL;
		}
	}
	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	if (vmgw_policy_dup(&copy, addrs, n, sizeof(*addrs))) {
		vmgw_policy_abort(pol, c);
		return -ENOMEM;
	}
	kvfree(c->res_src);
	c->res_src = copy;
	c->n_resolvers = n;
	return vmgw_policy_commit(pol, c, false, extack);
}

/* Parsed and sorted patterns of @names into @c. */
static int vmgw_policy_hosts(struct vmgw_policy_cfg *c,
			     const char * const *names, unsigned int n,
			     struct netlink_ext_ack *extack)
{
	struct vmgw_dns_host *v = NULL;
	char *buf = NULL;
	unsigned int i;

	if (n) {
		v = kvcalloc(n, sizeof(*v), GFP_KERNEL_ACCOUNT);
		buf = kvcalloc(n, VMGW_DNS_TEXT_MAX, GFP_KERNEL_ACCOUNT);
		if (!v || !buf)
			goto free;
	}
	for (i = 0; i < n; i++) {
		if (vmgw_dns_host_parse(names[i],
					strnlen(names[i], VMGW_DNS_WIRE_MAX),
					buf + i * VMGW_DNS_TEXT_MAX, &v[i])) {
			NL_SET_ERR_MSG_MOD(extack, "invalid host pattern");
			kvfree(v);
			kvfree(buf);
			return -EINVAL;
		}
	}
	sort(v, n, sizeof(*v), vmgw_dns_host_cmp, NULL);
	kvfree(c->host_v);
	kvfree(c->host_buf);
	c->host_v = v;
	c->host_buf = buf;
	c->n_hosts = n;
	return 0;

free:
	kvfree(v);
	kvfree(buf);
	return -ENOMEM;
}

/**
 * vmgw_policy_set_hosts() - the host names whose addresses are learned
 * @pol: the policy
 * @names: NUL-terminated patterns, "name" (that name only) or "*.name"
 *	(names below it), any case, optional trailing dot
 * @n: how many, at most %VMGW_POLICY_MAX_HOSTS; none turns learning off
 * @extack: error message, or NULL
 *
 * With patterns, A and AAAA answers sent to the guest for matching names,
 * by a resolver, in answer to a query the guest sent, are learned for
 * their TTL (clamped to 60..3600 s), and a learned address
 * is allowed like an allow rule for every protocol but UDP. Changing the
 * patterns forgets every learned address (even one an answer parsed under
 * the old patterns adds a moment later: it is of the old generation).
 *
 * Context: process; takes the policy mutex.
 * Return: 0, -EINVAL for an invalid pattern or too many, or -ENOMEM.
 */
int vmgw_policy_set_hosts(struct vmgw_policy *pol, const char * const *names,
			  unsigned int n, struct netlink_ext_ack *extack)
{
	struct vmgw_policy_cfg *c;
	int err;

	if (n > VMGW_POLICY_MAX_HOSTS) {
		NL_SET_ERR_MSG_MOD(extack, "too many host patterns");
		return -EINVAL;
	}
	c = vmgw_policy_begin(pol, extack);
	if (!c)
		return -ENOMEM;
	err = vmgw_policy_hosts(c, names, n, extack);
	if (err) {
		vmgw_policy_abort(pol, c);
		return err;
	}
	c->host_gen = ++pol->host_gen;
	return vmgw_policy_commit(pol, c, true, extack);
}

/**
 * vmgw_policy_set_flow_limits() - flow table cap and timeouts
 * @pol: the policy
 * @lim: see &struct vmgw_flow_limits
 * @extack: error message, or NULL
 *
 * Context: process.
 * Return: 0 or -EINVAL for a value out of range.
 */
int vmgw_policy_set_flow_limits(struct vmgw_policy *pol,
				const struct vmgw_flow_limits *lim,
				struct netlink_ext_ack *extack)
{
	int err = vmgw_flows_set_limits(pol->flows, lim);

	if (err)
		NL_SET_ERR_MSG_MOD(extack, "flow limit out of range");
	return err;
}

/**
 * vmgw_policy_lock() - hold the configuration still (for a dump)
 * @pol: the policy
 *
 * Context: process; sleeps.
 */
void vmgw_policy_lock(struct vmgw_policy *pol)
{
	mutex_lock(&pol->lock);
}

/**
 * vmgw_policy_unlock() - end vmgw_policy_lock()
 * @pol: the policy
 */
void vmgw_policy_unlock(struct vmgw_policy *pol)
{
	mutex_unlock(&pol->lock);
}

/**
 * vmgw_policy_cfg_locked() - the configuration in force
 * @pol: the policy, locked with vmgw_policy_lock()
 *
 * Its @v (mode, floor, guest), @rule_src, @res_src and @host_v describe
 * the configuration as it was given.
 *
 * Return: the configuration, valid until vmgw_policy_unlock().
 */
const struct vmgw_policy_cfg *vmgw_policy_cfg_locked(struct vmgw_policy *pol)
{
	return rcu_dereference_protected(pol->cfg, lockdep_is_held(&pol->lock));
}

static bool vmgw_policy_learned(const void *ctx, u8 family, const u8 *addr)
{
	const struct vmgw_policy_learn_ctx *lc = ctx;

	return vmgw_learn_lookup(lc->learn, family, addr, lc->gen, lc->now);
}

/* Settle what the verdict left to the flow table. */
static struct vmgw_verdict vmgw_policy_flow(struct vmgw_policy *pol,
					    const struct vmgw_frame_info *fi,
					    struct vmgw_verdict v,
					    unsigned long now)
{
	struct vmgw_flow_key k;

	if (!vmgw_flow_key_from(fi, true, &k))
		return (struct vmgw_verdict){ VMGW_ACT_DROP, VMGW_DENY_NO_FLOW };
	if (v.act == VMGW_ACT_FLOW_NEED) {
		if (vmgw_flow_track(pol->flows, &k, fi->tcp_flags, now))
			return (struct vmgw_verdict){ VMGW_ACT_PASS };
		return (struct vmgw_verdict){ VMGW_ACT_DROP, VMGW_DENY_NO_FLOW };
	}
	switch (vmgw_flow_open(pol->flows, &k, false, now)) {
	case VMGW_FLOW_OPENED:
		return (struct vmgw_verdict){ VMGW_ACT_FLOW_NEW };
	case VMGW_FLOW_REOPENED:
		return (struct vmgw_verdict){ VMGW_ACT_PASS };
	default:
		return (struct vmgw_verdict){ VMGW_ACT_RST, VMGW_DENY_FLOW_CAP };
	}
}

/*
 * A segment the floor or a deny rule refused may still be the guest's
 * answer on a connection the gateway namespace opened to it (a published
 * port): the gateway chose that peer, so it passes.
 */
static struct vmgw_verdict vmgw_policy_published(struct vmgw_policy *pol,
						 const struct vmgw_frame_info *fi,
						 struct vmgw_verdict v,
						 unsigned long now)
{
	struct vmgw_flow_key k;

	if (fi->class == VMGW_CLASS_TCP_SYN ||
	    !vmgw_flow_key_from(fi, true, &k) ||
	    !vmgw_flow_from_gw(pol->flows, &k, now) ||
	    !vmgw_flow_track(pol->flows, &k, fi->tcp_flags, now))
		return v;
	return (struct vmgw_verdict){ VMGW_ACT_PASS };
}

/**
 * vmgw_policy_rx() - the verdict on a guest frame, flows settled
 * @pol: the device's policy
 * @fi: the classified frame
 * @src_mac: its source MAC
 * @now: current time, jiffies
 *
 * Runs vmgw_verdict() under the configuration in force, then resolves its
 * flow actions: a SYN it allows opens a flow (%VMGW_ACT_FLOW_NEW is
 * returned for a new flow, so that the caller can count it; deliver it as
 * %VMGW_ACT_PASS) or, when the table is full, becomes %VMGW_ACT_RST with
 * %VMGW_DENY_FLOW_CAP; a segment that needs a flow passes only with one.
 * A segment of a flow the gateway side opened (a published port) passes
 * even where the floor or a deny rule would refuse it.
 *
 * Context: BH disabled (NAPI poll); takes RCU-bh itself.
 * Return: %VMGW_ACT_PASS, %VMGW_ACT_FLOW_NEW, %VMGW_ACT_DROP or
 * %VMGW_ACT_RST, with the reason of a refusal.
 */
struct vmgw_verdict vmgw_policy_rx(struct vmgw_policy *pol,
				   const struct vmgw_frame_info *fi,
				   const u8 *src_mac, unsigned long now)
{
	struct vmgw_policy_learn_ctx lc = {
		.learn = &pol->learn,
		.dev = pol->dev,
		.now = now,
	};
	const struct vmgw_policy_cfg *c;
	struct vmgw_verdict v;

	rcu_read_lock_bh();
	c = rcu_dereference_bh(pol->cfg);
	lc.gen = c->host_gen;
	v = vmgw_verdict(&c->v, fi, src_mac, vmgw_policy_learned, &lc);
	if (v.act == VMGW_ACT_FLOW_NEW || v.act == VMGW_ACT_FLOW_NEED)
		v = vmgw_policy_flow(pol, fi, v, now);
	else if (v.act == VMGW_ACT_DROP &&
		 (v.why == VMGW_DENY_FLOOR || v.why == VMGW_DENY_RULE))
		v = vmgw_policy_published(pol, fi, v, now);
	rcu_read_unlock_bh();
	return v;
}

/**
 * vmgw_policy_tx_tcp() - track a TCP segment sent to the guest
 * @pol: the device's policy
 * @fi: the classified frame (from the gateway namespace to the guest)
 * @local: the frame comes from a socket of the gateway namespace (not
 *	forwarded by its stack)
 * @now: current time, jiffies
 *
 * A SYN opens a flow. Only a SYN of a local socket marks it as opened by
 * the gateway side (a connection to a port the guest publishes): the
 * guest's answers then pass in either mode, floor and deny rules
 * notwithstanding. A forwarded SYN chose nothing (the guest itself can
 * make the stack reflect one, from any source it writes): its flow holds
 * the guest's answers to the floor and the rules. Any other segment
 * refreshes its flow if there is one. The cap applies: a SYN that finds
 * the table full of live flows is to be dropped, so that the guest does
 * not answer a connection its answers could not pass on.
 *
 * Context: BH disabled (ndo_start_xmit).
 * Return: %VMGW_ACT_FLOW_NEW for a SYN that opened a new flow,
 * %VMGW_ACT_DROP with %VMGW_DENY_FLOW_CAP for one that found no room,
 * else %VMGW_ACT_PASS.
 */
struct vmgw_verdict vmgw_policy_tx_tcp(struct vmgw_policy *pol,
				       const struct vmgw_frame_info *fi,
				       bool local, unsigned long now)
{
	struct vmgw_verdict v = { VMGW_ACT_PASS };
	struct vmgw_flow_key k;

	if (!vmgw_flow_key_from(fi, false, &k))
		return v;
	rcu_read_lock_bh();
	if (fi->class != VMGW_CLASS_TCP_SYN) {
		vmgw_flow_track(pol->flows, &k, fi->tcp_flags, now);
		goto unlock;
	}
	switch (vmgw_flow_open(pol->flows, &k, local, now)) {
	case VMGW_FLOW_OPENED:
		v.act = VMGW_ACT_FLOW_NEW;
		break;
	case VMGW_FLOW_REOPENED:
		break;
	default:
		v = (struct vmgw_verdict){ VMGW_ACT_DROP, VMGW_DENY_FLOW_CAP };
		break;
	}
unlock:
	rcu_read_unlock_bh();
	return v;
}

/*
 * May DNS answers from @addr teach? Those of a configured resolver, or,
 * with none configured, of an address of the gateway namespace (where
 * its own resolver answers): never those of any other host.
 */
static bool vmgw_policy_dns_source(const struct vmgw_policy *pol,
				   const struct vmgw_policy_cfg *c, u8 family,
				   const u8 *addr, u8 proto)
{
	struct vmgw_policy_learn_ctx lc = { .dev = pol->dev };
	struct vmgw_rule_key key = {
		.addr = addr,
		.family = family,
		.proto = proto,
		.port = VMGW_PORT_DNS,
	};

	if (c->resolvers)
		return vmgw_ruleset_match(c->resolvers, VMGW_RULE_ALLOW, &key,
					  NULL);
	return vmgw_policy_gw_addr(&lc, family, addr);
}

/* UDP or TCP with ports, from or to port 53 as @port says, not a fragment. */
static bool vmgw_policy_dns_frame(const struct vmgw_frame_info *fi, u16 port)
{
	return (fi->l4_proto == IPPROTO_UDP || fi->l4_proto == IPPROTO_TCP) &&
	       fi->class == VMGW_CLASS_DNS && port == VMGW_PORT_DNS &&
	       !fi->frag_first;
}

/**
 * vmgw_policy_wants_dns() - whether a frame to the guest is a DNS answer
 *	to learn from
 * @pol: the device's policy
 * @fi: the classified frame
 *
 * Yes for UDP or TCP from port 53 when host patterns are configured and
 * the sender is a configured resolver or, when there is none, an address
 * of the gateway namespace. What it teaches still depends on the query it
 * answers (vmgw_policy_learn_dns()).
 *
 * Context: BH disabled (ndo_start_xmit).
 * Return: true when the caller should pass the DNS message to
 * vmgw_policy_learn_dns() or the segment to vmgw_policy_learn_dns_tcp().
 */
bool vmgw_policy_wants_dns(struct vmgw_policy *pol,
			   const struct vmgw_frame_info *fi)
{
	const struct vmgw_policy_cfg *c;
	bool wants;

	if (!vmgw_policy_dns_frame(fi, fi->sport))
		return false;
	rcu_read_lock_bh();
	c = rcu_dereference_bh(pol->cfg);
	wants = c->v.learning &&
		vmgw_policy_dns_source(pol, c, fi->ip_version, fi->saddr,
				       fi->l4_proto);
	rcu_read_unlock_bh();
	return wants;
}

/**
 * vmgw_policy_wants_query() - whether a guest frame is a DNS query whose
 *	answer may teach
 * @pol: the device's policy
 * @fi: the classified frame, which the policy let through
 *
 * Yes for UDP or TCP to port 53 of a resolver vmgw_policy_wants_dns()
 * would learn from, when host patterns are configured.
 *
 * Context: BH disabled (NAPI poll).
 * Return: true when the caller should pass the DNS message(s) to
 * vmgw_policy_dns_query().
 */
bool vmgw_policy_wants_query(struct vmgw_policy *pol,
			     const struct vmgw_frame_info *fi)
{
	const struct vmgw_policy_cfg *c;
	bool wants;

	if (!vmgw_policy_dns_frame(fi, fi->dport))
		return false;
	rcu_read_lock_bh();
	c = rcu_dereference_bh(pol->cfg);
	wants = c->v.learning &&
		vmgw_policy_dns_source(pol, c, fi->ip_version, fi->daddr,
				       fi->l4_proto);
	rcu_read_unlock_bh();
	return wants;
}

/* The flow of a query (@from_guest) or of an answer, seen from the guest. */
static void vmgw_policy_dnsq_flow(const struct vmgw_frame_info *fi,
				  bool from_guest, struct vmgw_dnsq_flow *f)
{
	unsigned int alen = fi->ip_version == 4 ? 4 : 16;

	memset(f, 0, sizeof(*f));
	memcpy(f->guest, from_guest ? fi->saddr : fi->daddr, alen);
	memcpy(f->server, from_guest ? fi->daddr : fi->saddr, alen);
	f->gport = from_guest ? fi->sport : fi->dport;
	f->sport = from_guest ? fi->dport : fi->sport;
	f->family = fi->ip_version;
	f->proto = fi->l4_proto;
}

/**
 * vmgw_policy_dns_query() - record a query the guest sent to a resolver
 * @pol: the device's policy
 * @fi: the classified frame (vmgw_policy_wants_query() said yes)
 * @msg: the DNS message, or its first bytes (%VMGW_DNS_QUESTION_MAX are
 *	enough): the UDP payload, or one TCP message without its length
 * @len: bytes at @msg
 * @now: current time, jiffies
 * @stats: counters: %VMGW_STAT_DNS_QUERIES, %VMGW_STAT_DNS_QUERY_FULL
 *
 * Its answer, on the same flow, with the same ID and question, within
 * %VMGW_DNSQ_TIMEOUT seconds, may then teach once. What is not a query
 * of one question is ignored (the resolver will not answer it either).
 *
 * Context: BH disabled (NAPI poll).
 */
void vmgw_policy_dns_query(struct vmgw_policy *pol,
			   const struct vmgw_frame_info *fi, const u8 *msg,
			   unsigned int len, unsigned long now,
			   struct vmgw_pcpu_stats __percpu *stats)
{
	struct vmgw_dns_question q;
	struct vmgw_dnsq_flow f;

	if (vmgw_dns_question(msg, len, false, &q))
		return;
	vmgw_policy_dnsq_flow(fi, true, &f);
	if (vmgw_dnsq_add(&pol->dnsq, vmgw_dnsq_tag(&pol->dnsq, &f, &q),
			  now) == VMGW_DNSQ_FULL)
		vmgw_stats_add(stats, VMGW_STAT_DNS_QUERY_FULL, 1);
	else
		vmgw_stats_add(stats, VMGW_STAT_DNS_QUERIES, 1);
}

static void vmgw_policy_learn_one(void *arg, const struct vmgw_dns_addr *a)
{
	struct vmgw_policy_dns_ctx *dc = arg;
	enum vmgw_learn_res res;

	res = vmgw_learn_add(dc->learn, a, dc->gen, dc->now);
	if (res == VMGW_LEARN_FULL || res == VMGW_LEARN_NOMEM)
		dc->failed++;
}

/* Does @msg answer a query the guest sent on @fi's flow? It is consumed. */
static enum vmgw_dns_err vmgw_policy_solicited(struct vmgw_policy *pol,
					       const struct vmgw_frame_info *fi,
					       const u8 *msg, unsigned int len,
					       unsigned long now)
{
	struct vmgw_dns_question q;
	struct vmgw_dnsq_flow f;
	enum vmgw_dns_err err;

	err = vmgw_dns_question(msg, len, true, &q);
	if (err)
		return err;
	vmgw_policy_dnsq_flow(fi, false, &f);
	if (!vmgw_dnsq_take(&pol->dnsq, vmgw_dnsq_tag(&pol->dnsq, &f, &q),
			    now))
		return VMGW_DNS_ERR_UNSOLICITED;
	return VMGW_DNS_OK;
}

/**
 * vmgw_policy_learn_dns() - learn from one DNS answer sent to the guest
 * @pol: the device's policy
 * @fi: the classified frame that carries it (vmgw_policy_wants_dns()
 *	said yes)
 * @msg: the DNS message (UDP payload, or a whole TCP message)
 * @len: its length
 * @now: current time, jiffies
 * @stats: counters: learned addresses, full table, parse errors and
 *	unsolicited answers
 *
 * Only an answer to a query the guest sent (vmgw_policy_dns_query()) on
 * the same flow, with the same ID and question, teaches, and only once:
 * any other is %VMGW_DNS_ERR_UNSOLICITED. The frame is delivered either
 * way.
 *
 * Context: BH disabled (ndo_start_xmit); takes RCU-bh itself.
 * Return: %VMGW_DNS_OK or why the message was ignored.
 */
enum vmgw_dns_err vmgw_policy_learn_dns(struct vmgw_policy *pol,
					const struct vmgw_frame_info *fi,
					const u8 *msg, unsigned int len,
					unsigned long now,
					struct vmgw_pcpu_stats __percpu *stats)
{
	struct vmgw_policy_dns_ctx dc = { .learn = &pol->learn, .now = now };
	const struct vmgw_policy_cfg *c;
	unsigned int learned = 0;
	enum vmgw_dns_err err;

	BUILD_BUG_ON(VMGW_STAT_DNS_ERR_UNSOLICITED - VMGW_STAT_DNS_ERR_HEADER !=
		     VMGW_DNS_ERR_UNSOLICITED - VMGW_DNS_ERR_HEADER);
	err = vmgw_policy_solicited(pol, fi, msg, len, now);
	if (!err) {
		rcu_read_lock_bh();
		c = rcu_dereference_bh(pol->cfg);
		dc.gen = c->host_gen;
		err = vmgw_dns_learn(msg, len, &c->hosts,
				     vmgw_policy_learn_one, &dc, &learned);
		rcu_read_unlock_bh();
	}
	if (err) {
		vmgw_stats_add(stats, VMGW_STAT_DNS_ERR_HEADER + err -
				      VMGW_DNS_ERR_HEADER, 1);
		return err;
	}
	if (learned > dc.failed)
		vmgw_stats_add(stats, VMGW_STAT_DNS_LEARNED,
			       learned - dc.failed);
	if (dc.failed)
		vmgw_stats_add(stats, VMGW_STAT_DNS_LEARN_FULL, dc.failed);
	return err;
}

struct vmgw_policy_tcp_ctx {
	struct vmgw_policy *pol;
	const struct vmgw_frame_info *fi;
	const struct vmgw_policy_tcp_seg *seg;
	unsigned long now;
	struct vmgw_pcpu_stats __percpu *stats;
};

static bool vmgw_policy_tcp_read(void *arg, unsigned int off, u8 *to,
				 unsigned int len)
{
	const struct vmgw_policy_tcp_ctx *tc = arg;

	return tc->seg->rd(tc->seg->arg, off, to, len);
}

static void vmgw_policy_tcp_msg(void *arg, unsigned int off,
				unsigned int len)
{
	const struct vmgw_policy_tcp_ctx *tc = arg;
	const struct vmgw_policy_tcp_seg *seg = tc->seg;

	if (len > seg->buf_len) {
		vmgw_stats_add(tc->stats, VMGW_STAT_DNS_TOO_LONG, 1);
		return;
	}
	if (!seg->rd(seg->arg, off, seg->buf, len))
		return;
	vmgw_policy_learn_dns(tc->pol, tc->fi, seg->buf, len, tc->now,
			      tc->stats);
}

/**
 * vmgw_policy_learn_dns_tcp() - learn from DNS over TCP sent to the guest
 * @pol: the device's policy
 * @fi: the classified segment (vmgw_policy_wants_dns() said yes), after
 *	vmgw_policy_tx_tcp() tracked it
 * @seg: its sequence number and payload
 * @now: current time, jiffies
 * @stats: counters, as for vmgw_policy_learn_dns(), and
 *	%VMGW_STAT_DNS_TCP_SPLIT, %VMGW_STAT_DNS_TCP_UNALIGNED
 *
 * The flow keeps where the resolver's messages start, from its SYN-ACK
 * on (vmgw_dns_stream_seg()): only a message whose length prefix is at
 * such a boundary and that lies whole in the segment is parsed, and
 * learned from like a UDP answer (so it too must answer a query the
 * guest sent on this flow). A segment in which no message provably starts
 * (a flow whose SYN-ACK was not seen, a continuation, a retransmission
 * that starts inside a message, a segment past a gap, a lost position)
 * is counted under %VMGW_STAT_DNS_TCP_UNALIGNED; a message that ends past
 * its segment under %VMGW_STAT_DNS_TCP_SPLIT. A segment without payload
 * counts nothing.
 *
 * Context: BH disabled (ndo_start_xmit); calls for one device must be
 * serialised (they share the stream positions and @seg's buffer).
 * Return: the number of whole messages handed to the parser.
 */
unsigned int vmgw_policy_learn_dns_tcp(struct vmgw_policy *pol,
				       const struct vmgw_frame_info *fi,
				       const struct vmgw_policy_tcp_seg *seg,
				       unsigned long now,
				       struct vmgw_pcpu_stats __percpu *stats)
{
	struct vmgw_policy_tcp_ctx tc = {
		.pol = pol, .fi = fi, .seg = seg, .now = now, .stats = stats,
	};
	struct vmgw_dns_stream *st;
	struct vmgw_flow_key k;
	struct vmgw_dns_seg res;

	if (!vmgw_flow_key_from(fi, false, &k))
		return 0;
	rcu_read_lock_bh();
	st = vmgw_flow_dns_stream(pol->flows, &k, now);
	if (!st) {
		rcu_read_unlock_bh();
		if (seg->len)
			vmgw_stats_add(stats, VMGW_STAT_DNS_TCP_UNALIGNED, 1);
		return 0;
	}
	vmgw_dns_stream_seg(st, seg->seq, fi->tcp_flags & TCPHDR_SYN,
			    seg->len, vmgw_policy_tcp_read,
			    vmgw_policy_tcp_msg, &tc, &res);
	rcu_read_unlock_bh();
	if (res.split)
		vmgw_stats_add(stats, VMGW_STAT_DNS_TCP_SPLIT, res.split);
	if (res.unaligned || res.lost)
		vmgw_stats_add(stats, VMGW_STAT_DNS_TCP_UNALIGNED, 1);
	return res.msgs;
}
