// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a device's policy as the data path and the netlink handlers use
 * it: the configuration entry points (validation, all-or-nothing, RCU
 * replacement), flows opened and required by vmgw_policy_rx(), flows from
 * the gateway side, and addresses learned from DNS answers for their
 * clamped TTL. Time is passed in, never slept.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <net/tcp.h>

#include "frames.h"
#include "policy.h"
#include "stats.h"

#define SEC(s)	((unsigned long)(s) * HZ)

struct pt_env {
	struct vmgw_policy *pol;
	struct vmgw_pcpu_stats __percpu *stats;
	unsigned long t0;
};

static int pt_init(struct kunit *test)
{
	struct pt_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	if (!env)
		return -ENOMEM;
	test->priv = env;
	env->pol = vmgw_policy_alloc();
	env->stats = vmgw_stats_alloc();
	env->t0 = jiffies + SEC(1000);
	return env->pol && env->stats ? 0 : -ENOMEM;
}

static void pt_exit(struct kunit *test)
{
	struct pt_env *env = test->priv;

	if (!env)
		return;
	vmgw_policy_free(env->pol);
	vmgw_stats_free(env->stats);
	/* configurations replaced during the test are freed by RCU */
	rcu_barrier();
}

static u64 pt_stat(struct pt_env *env, unsigned int idx)
{
	u64 c[VMGW_STAT_MAX];

	vmgw_stats_read(env->stats, c);
	return c[idx];
}

static struct vmgw_verdict pt_rx(struct pt_env *env, const struct tf *t,
				 unsigned long now)
{
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	u8 f[TF_MAX];

	tf_classify(f, tf_build(f, t), &fi);
	local_bh_disable();
	v = vmgw_policy_rx(env->pol, &fi, f + 6, now);
	local_bh_enable();
	return v;
}

static struct vmgw_verdict pt_tx(struct pt_env *env, const struct tf *t,
				 bool local, unsigned long now)
{
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	u8 f[TF_MAX];

	tf_classify(f, tf_build(f, t), &fi);
	local_bh_disable();
	v = vmgw_policy_tx_tcp(env->pol, &fi, local, now);
	local_bh_enable();
	return v;
}

/* A segment a socket of the gateway namespace sent to the guest. */
static struct vmgw_verdict pt_tx_tcp(struct pt_env *env, const struct tf *t,
				     unsigned long now)
{
	return pt_tx(env, t, true, now);
}

static struct tf pt_tcp(const char *dst, u16 sport, u16 dport, u8 flags)
{
	return (struct tf){ .src = "10.0.2.15", .dst = dst,
			    .proto = IPPROTO_TCP, .sport = sport,
			    .dport = dport, .flags = flags };
}

static struct vmgw_rule pt_rule(struct kunit *test, u8 action,
				const char *net, u8 plen, u8 proto, u16 port)
{
	struct vmgw_rule r = {
		.family = 4,
		.plen = plen,
		.proto = proto,
		.action = action,
		.port_lo = proto ? port : 0,
		.port_hi = proto ? port : 65535,
	};

	KUNIT_EXPECT_TRUE(test, in4_pton(net, -1, r.addr, -1, NULL));
	return r;
}

static void pt_expect(struct kunit *test, struct vmgw_verdict v, u8 act,
		      u8 why)
{
	KUNIT_EXPECT_EQ_MSG(test, v.act, act, "reason %s",
			    vmgw_deny_names[v.why]);
	KUNIT_EXPECT_EQ_MSG(test, v.why, why, "reason %s, wanted %s",
			    vmgw_deny_names[v.why], vmgw_deny_names[why]);
}

/* Default: open mode; a SYN opens a flow, its segments need it. */
static void vmgw_policy_test_default_flows(struct kunit *test)
{
	struct pt_env *env = test->priv;
	unsigned long now = env->t0;
	const struct vmgw_policy_cfg *c;
	struct tf syn = pt_tcp("93.184.216.34", 40000, 443, TCPHDR_SYN);
	struct tf ack = pt_tcp("93.184.216.34", 40000, 443, TCPHDR_ACK);
	struct tf other = pt_tcp("93.184.216.34", 40001, 443, TCPHDR_ACK);

	vmgw_policy_lock(env->pol);
	c = vmgw_policy_cfg_locked(env->pol);
	KUNIT_EXPECT_EQ(test, c->v.mode, VMGW_MODE_OPEN);
	KUNIT_EXPECT_EQ(test, c->v.floor, VMGW_FLOOR_DEFAULT);
	KUNIT_EXPECT_EQ(test, c->n_rules, 0);
	KUNIT_EXPECT_NULL(test, c->resolvers);
	KUNIT_EXPECT_FALSE(test, c->v.learning);
	vmgw_policy_unlock(env->pol);

	pt_expect(test, pt_rx(env, &ack, now), VMGW_ACT_DROP,
		  VMGW_DENY_NO_FLOW);
	pt_expect(test, pt_rx(env, &syn, now), VMGW_ACT_FLOW_NEW,
		  VMGW_DENY_NONE);
	pt_expect(test, pt_rx(env, &syn, now + 1), VMGW_ACT_PASS,
		  VMGW_DENY_NONE);
	pt_expect(test, pt_rx(env, &ack, now + 2), VMGW_ACT_PASS,
		  VMGW_DENY_NONE);
	pt_expect(test, pt_rx(env, &other, now + 2), VMGW_ACT_DROP,
		  VMGW_DENY_NO_FLOW);
	/* established: idle for less than the timeout is fine */
	now += SEC(VMGW_FLOW_EST_TIMEOUT) - 1;
	pt_expect(test, pt_rx(env, &ack, now), VMGW_ACT_PASS,
		  VMGW_DENY_NONE);
	now += SEC(VMGW_FLOW_EST_TIMEOUT) + 1;
	pt_expect(test, pt_rx(env, &ack, now), VMGW_ACT_DROP,
		  VMGW_DENY_NO_FLOW);
}

/* A full flow table refuses a SYN with a RST. */
static void vmgw_policy_test_flow_cap(struct kunit *test)
{
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	struct netlink_ext_ack extack = {};
	struct pt_env *env = test->priv;
	struct tf syn;

	lim.max = 2;
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_flow_limits(env->pol, &lim,
							  &extack), 0);
	syn = pt_tcp("8.8.8.8", 1, 80, TCPHDR_SYN);
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_FLOW_NEW, 0);
	syn.sport = 2;
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_FLOW_NEW, 0);
	syn.sport = 3;
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_RST,
		  VMGW_DENY_FLOW_CAP);
	/* a refused SYN left nothing behind */
	syn.flags = TCPHDR_ACK;
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_NO_FLOW);
	lim.max = 0;
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_flow_limits(env->pol, &lim,
							  &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
}

/* The gateway side connects to the guest: the guest's answers pass. */
static void vmgw_policy_test_published_port(struct kunit *test)
{
	struct pt_env *env = test->priv;
	struct tf in = { .src = "10.0.2.2", .dst = "10.0.2.15",
			 .proto = IPPROTO_TCP, .sport = 50000, .dport = 8080,
			 .flags = TCPHDR_SYN };
	struct tf synack = pt_tcp("10.0.2.2", 8080, 50000,
				  TCPHDR_SYN | TCPHDR_ACK);
	struct tf rst;

	pt_expect(test, pt_rx(env, &synack, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_NO_FLOW);
	pt_tx_tcp(env, &in, env->t0);
	pt_expect(test, pt_rx(env, &synack, env->t0), VMGW_ACT_PASS, 0);
	/* the gateway resets it: the flow closes after the RST timeout */
	in.flags = TCPHDR_RST;
	pt_tx_tcp(env, &in, env->t0 + SEC(1));
	rst = pt_tcp("10.0.2.2", 8080, 50000, TCPHDR_ACK);
	pt_expect(test, pt_rx(env, &rst, env->t0 + SEC(2)), VMGW_ACT_PASS,
		  0);
	pt_expect(test,
		  pt_rx(env, &rst, env->t0 + SEC(2 + VMGW_FLOW_RST_TIMEOUT)),
		  VMGW_ACT_DROP, VMGW_DENY_NO_FLOW);
}

/* The floor and deny rules do not stop the guest's answers on a flow the
 * gateway side opened, in either mode; they still stop everything else.
 */
static void vmgw_policy_test_published_floor(struct kunit *test)
{
	struct tf in = { .src = "10.0.2.2", .dst = "10.0.2.15",
			 .proto = IPPROTO_TCP, .sport = 50000, .dport = 8080,
			 .flags = TCPHDR_SYN };
	struct tf synack = pt_tcp("10.0.2.2", 8080, 50000,
				  TCPHDR_SYN | TCPHDR_ACK);
	struct tf other = pt_tcp("10.0.2.2", 8081, 50000, TCPHDR_ACK);
	struct pt_env *env = test->priv;
	struct vmgw_rule deny;

	KUNIT_ASSERT_EQ(test, vmgw_policy_set_floor(env->pol,
						    VMGW_FLOOR_STRICT, NULL),
			0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(env->pol,
						   VMGW_MODE_ALLOWLIST, NULL),
			0);
	pt_expect(test, pt_rx(env, &synack, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_FLOOR);
	pt_expect(test, pt_tx_tcp(env, &in, env->t0), VMGW_ACT_FLOW_NEW, 0);
	pt_expect(test, pt_rx(env, &synack, env->t0), VMGW_ACT_PASS, 0);
	pt_expect(test, pt_rx(env, &other, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_FLOOR);
	/* a guest SYN to the gateway is still the floor's */
	other.flags = TCPHDR_SYN;
	pt_expect(test, pt_rx(env, &other, env->t0), VMGW_ACT_RST,
		  VMGW_DENY_FLOOR);

	KUNIT_ASSERT_EQ(test, vmgw_policy_set_floor(env->pol,
						    VMGW_FLOOR_OFF, NULL),
			0);
	deny = pt_rule(test, VMGW_RULE_DENY, "10.0.2.2", 32, 0, 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_add_rules(env->pol, &deny, 1, NULL),
			0);
	synack.flags = TCPHDR_ACK;
	pt_expect(test, pt_rx(env, &synack, env->t0 + SEC(1)), VMGW_ACT_PASS,
		  0);
	other.flags = TCPHDR_ACK;
	pt_expect(test, pt_rx(env, &other, env->t0 + SEC(1)), VMGW_ACT_DROP,
		  VMGW_DENY_RULE);
	/* once the flow is gone, the rule stops its segments too */
	pt_expect(test,
		  pt_rx(env, &synack,
			env->t0 + SEC(1 + VMGW_FLOW_EST_TIMEOUT)),
		  VMGW_ACT_DROP, VMGW_DENY_RULE);
}

/*
 * A SYN the gateway's stack only forwarded to the guest (the guest can
 * make it reflect one, "from" any address it writes) opens a flow that
 * does not pass the floor: the guest's segments to that address are
 * still refused. Only a SYN of a local socket publishes.
 */
static void vmgw_policy_test_published_reflected(struct kunit *test)
{
	struct tf in = { .src = "169.254.169.254", .dst = "10.0.2.15",
			 .proto = IPPROTO_TCP, .sport = 80, .dport = 40000,
			 .flags = TCPHDR_SYN };
	struct tf ack = pt_tcp("169.254.169.254", 40000, 80, TCPHDR_ACK);
	struct pt_env *env = test->priv;

	pt_expect(test, pt_tx(env, &in, false, env->t0), VMGW_ACT_FLOW_NEW,
		  0);
	pt_expect(test, pt_rx(env, &ack, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_FLOOR);
	/* the same SYN from a local socket publishes the port */
	in.dport = 40001;
	ack.sport = 40001;
	pt_expect(test, pt_tx(env, &in, true, env->t0), VMGW_ACT_FLOW_NEW, 0);
	pt_expect(test, pt_rx(env, &ack, env->t0), VMGW_ACT_PASS, 0);
}

/* The cap applies to flows from the gateway side: their SYN is dropped. */
static void vmgw_policy_test_published_cap(struct kunit *test)
{
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	struct tf in = { .src = "10.0.2.2", .dst = "10.0.2.15",
			 .proto = IPPROTO_TCP, .sport = 50000, .dport = 8080,
			 .flags = TCPHDR_SYN };
	struct tf syn = pt_tcp("8.8.8.8", 1, 80, TCPHDR_SYN);
	struct pt_env *env = test->priv;

	lim.max = 1;
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_flow_limits(env->pol, &lim,
							  NULL), 0);
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_FLOW_NEW, 0);
	pt_expect(test, pt_tx_tcp(env, &in, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_FLOW_CAP);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(env->pol->flows), 1);
	/* the guest's flow idles out: room for the gateway's */
	pt_expect(test, pt_tx_tcp(env, &in,
				  env->t0 + SEC(VMGW_FLOW_SYN_TIMEOUT) + HZ),
		  VMGW_ACT_FLOW_NEW, 0);
	/* a retransmitted SYN is the same flow */
	pt_expect(test, pt_tx_tcp(env, &in,
				  env->t0 + SEC(VMGW_FLOW_SYN_TIMEOUT) + HZ),
		  VMGW_ACT_PASS, 0);
	/* and now the guest's SYN finds the table full */
	syn.sport = 2;
	pt_expect(test, pt_rx(env, &syn,
			      env->t0 + SEC(VMGW_FLOW_SYN_TIMEOUT) + HZ),
		  VMGW_ACT_RST, VMGW_DENY_FLOW_CAP);
}

static void vmgw_policy_test_set_validation(struct kunit *test)
{
	struct pt_env *env = test->priv;
	struct vmgw_rule bad = { .family = 4, .plen = 40, .port_hi = 65535 };
	struct vmgw_policy_addr res = { .family = 5 };
	struct vmgw_guest_id g = { .mac_set = true };
	static const char * const hosts[] = { "ok.example", "bad..name" };
	const struct vmgw_policy_cfg *before, *after;
	struct netlink_ext_ack extack = {};

	vmgw_policy_lock(env->pol);
	before = vmgw_policy_cfg_locked(env->pol);
	vmgw_policy_unlock(env->pol);

	KUNIT_EXPECT_EQ(test, vmgw_policy_set_mode(env->pol, 7, &extack),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_floor(env->pol, 3, &extack),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_policy_add_rules(env->pol, &bad, 1,
						    &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_policy_del_rules(env->pol, &bad, 1,
						    &extack), -ENOENT);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_resolvers(env->pol, &res, 1,
							&extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	extack._msg = NULL;
	/* all-zero MAC */
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_guest(env->pol, &g, &extack),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	extack._msg = NULL;
	g.mac_set = false;
	g.n_ip6 = VMGW_GUEST_MAX_IP6 + 1;
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_guest(env->pol, &g, &extack),
			-EINVAL);
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 2,
						    &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);

	/* nothing was published */
	vmgw_policy_lock(env->pol);
	after = vmgw_policy_cfg_locked(env->pol);
	KUNIT_EXPECT_PTR_EQ(test, before, after);
	KUNIT_EXPECT_EQ(test, after->n_hosts, 0);
	vmgw_policy_unlock(env->pol);
}

static void vmgw_policy_test_rules_add_del(struct kunit *test)
{
	struct pt_env *env = test->priv;
	struct vmgw_rule r[] = {
		pt_rule(test, VMGW_RULE_DENY, "8.8.8.0", 24, 0, 0),
		pt_rule(test, VMGW_RULE_ALLOW, "1.1.1.1", 32, IPPROTO_TCP, 443),
	};
	struct vmgw_rule absent = pt_rule(test, VMGW_RULE_DENY, "9.9.9.9", 32,
					  0, 0);
	struct tf syn = pt_tcp("8.8.8.8", 1, 80, TCPHDR_SYN);
	struct tf syn1 = pt_tcp("1.1.1.1", 1, 443, TCPHDR_SYN);
	struct vmgw_rule both[] = { r[0], absent };
	const struct vmgw_policy_cfg *c;

	KUNIT_ASSERT_EQ(test, vmgw_policy_add_rules(env->pol, r, 2, NULL), 0);
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_RST,
		  VMGW_DENY_RULE);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(env->pol,
						   VMGW_MODE_ALLOWLIST, NULL),
			0);
	pt_expect(test, pt_rx(env, &syn1, env->t0), VMGW_ACT_FLOW_NEW, 0);
	syn1.dport = 80;
	pt_expect(test, pt_rx(env, &syn1, env->t0), VMGW_ACT_RST,
		  VMGW_DENY_NOT_ALLOWED);

	/* all or nothing: one absent rule keeps both */
	KUNIT_EXPECT_EQ(test, vmgw_policy_del_rules(env->pol, both, 2, NULL),
			-ENOENT);
	vmgw_policy_lock(env->pol);
	c = vmgw_policy_cfg_locked(env->pol);
	KUNIT_EXPECT_EQ(test, c->n_rules, 2);
	KUNIT_EXPECT_EQ(test, c->v.mode, VMGW_MODE_ALLOWLIST);
	vmgw_policy_unlock(env->pol);

	KUNIT_EXPECT_EQ(test, vmgw_policy_del_rules(env->pol, r, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(env->pol, VMGW_MODE_OPEN,
						   NULL), 0);
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_FLOW_NEW, 0);
	KUNIT_EXPECT_EQ(test, vmgw_policy_flush_rules(env->pol, NULL), 0);
	vmgw_policy_lock(env->pol);
	KUNIT_EXPECT_EQ(test, vmgw_policy_cfg_locked(env->pol)->n_rules, 0);
	vmgw_policy_unlock(env->pol);
}

/*
 * Every change publishes a new configuration and leaves the one it
 * replaced as it was (readers may still hold it until a grace period).
 */
static void vmgw_policy_test_replace(struct kunit *test)
{
	struct pt_env *env = test->priv;
	struct vmgw_rule r = pt_rule(test, VMGW_RULE_DENY, "0.0.0.0", 0, 0, 0);
	struct vmgw_rule_key key = { .family = 4, .port = -1 };
	const struct vmgw_policy_cfg *old, *cur;
	u8 a[16] = { 8, 8, 8, 8 };
	unsigned int old_rules;

	key.addr = a;
	vmgw_policy_lock(env->pol);
	old = vmgw_policy_cfg_locked(env->pol);
	old_rules = old->n_rules;
	vmgw_policy_unlock(env->pol);
	KUNIT_ASSERT_EQ(test, vmgw_policy_add_rules(env->pol, &r, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_floor(env->pol,
						    VMGW_FLOOR_STRICT, NULL),
			0);
	vmgw_policy_lock(env->pol);
	cur = vmgw_policy_cfg_locked(env->pol);
	KUNIT_EXPECT_PTR_NE(test, old, cur);
	KUNIT_EXPECT_EQ(test, cur->n_rules, old_rules + 1);
	KUNIT_EXPECT_EQ(test, cur->v.floor, VMGW_FLOOR_STRICT);
	KUNIT_EXPECT_PTR_EQ(test, cur->v.rules, cur->rules);
	KUNIT_EXPECT_TRUE(test, vmgw_ruleset_match(cur->v.rules,
						   VMGW_RULE_DENY, &key,
						   NULL));
	vmgw_policy_unlock(env->pol);
}

/* A response for a DNS name with A and AAAA answers, TTL @ttl. */
static unsigned int pt_dns(u8 *m, const char *name, u32 ttl)
{
	static const u8 a4[4] = { 151, 101, 1, 1 };
	static const u8 a6[16] = { 0x2a, 0x04, 0x4e, 0x42, [15] = 1 };
	unsigned int len = 12, i;
	const char *p = name;

	memset(m, 0, 512);
	vmgw_put_be16(m + 2, 0x8180);
	vmgw_put_be16(m + 4, 1);
	vmgw_put_be16(m + 6, 2);
	while (*p) {
		const char *dot = strchrnul(p, '.');

		m[len++] = dot - p;
		memcpy(m + len, p, dot - p);
		len += dot - p;
		p = *dot ? dot + 1 : dot;
	}
	m[len++] = 0;
	vmgw_put_be16(m + len, 1);
	vmgw_put_be16(m + len + 2, 1);
	len += 4;
	for (i = 0; i < 2; i++) {
		vmgw_put_be16(m + len, 0xc00c);
		vmgw_put_be16(m + len + 2, i ? 28 : 1);
		vmgw_put_be16(m + len + 4, 1);
		vmgw_put_be32(m + len + 6, ttl);
		vmgw_put_be16(m + len + 10, i ? 16 : 4);
		memcpy(m + len + 12, i ? a6 : a4, i ? 16 : 4);
		len += 12 + (i ? 16 : 4);
	}
	return len;
}

/*
 * A frame of the DNS flow between the guest (10.0.2.15, port @gport) and
 * its resolver (10.0.2.3, port 53): the query's way, or the answer's.
 */
static void pt_dns_fi(struct vmgw_frame_info *fi, u8 proto, bool query,
		      u16 gport, u8 flags)
{
	struct tf t = { .src = query ? "10.0.2.15" : "10.0.2.3",
			.dst = query ? "10.0.2.3" : "10.0.2.15",
			.proto = proto, .sport = query ? gport : 53,
			.dport = query ? 53 : gport, .flags = flags,
			.payload = 20 };
	u8 f[TF_MAX];

	tf_classify(f, tf_build(f, &t), fi);
}

/* The guest asks the question of answer @m (its ID and question). */
static void pt_ask_on(struct pt_env *env, const u8 *m, unsigned int len,
		      u8 proto, u16 gport, unsigned long now)
{
	u8 q[VMGW_DNS_QUESTION_MAX];
	struct vmgw_frame_info fi;
	unsigned int n = min_t(unsigned int, len, sizeof(q));

	memcpy(q, m, n);
	if (n >= 4)
		vmgw_put_be16(q + 2, 0x0100);
	pt_dns_fi(&fi, proto, true, gport, TCPHDR_ACK | TCPHDR_PSH);
	local_bh_disable();
	vmgw_policy_dns_query(env->pol, &fi, q, n, now, env->stats);
	local_bh_enable();
}

/* Answer @m reaches the guest over UDP, port @gport: what it taught. */
static enum vmgw_dns_err pt_answer(struct pt_env *env, const u8 *m,
				   unsigned int len, u16 gport,
				   unsigned long now)
{
	struct vmgw_frame_info fi;
	enum vmgw_dns_err err;

	pt_dns_fi(&fi, IPPROTO_UDP, false, gport, 0);
	local_bh_disable();
	err = vmgw_policy_learn_dns(env->pol, &fi, m, len, now, env->stats);
	local_bh_enable();
	return err;
}

/* The guest asks over UDP, and the answer @m comes. */
static enum vmgw_dns_err pt_learn(struct pt_env *env, const u8 *m,
				  unsigned int len, unsigned long now)
{
	pt_ask_on(env, m, len, IPPROTO_UDP, 40000, now);
	return pt_answer(env, m, len, 40000, now);
}

/* Allowlist + hosts: an answer teaches an address for its clamped TTL. */
static void vmgw_policy_test_learning(struct kunit *test)
{
	static const char * const hosts[] = { "*.Fastly.NET" };
	struct pt_env *env = test->priv;
	struct tf syn = pt_tcp("151.101.1.1", 1, 443, TCPHDR_SYN);
	struct tf ping6 = { .src = "fd00::15", .dst = "2a04:4e42::1",
			    .proto = IPPROTO_ICMPV6, .flags = 128 };
	unsigned long now = env->t0;
	unsigned int len;
	u8 *m;

	m = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(env->pol,
						   VMGW_MODE_ALLOWLIST, NULL),
			0);
	pt_expect(test, pt_rx(env, &syn, now), VMGW_ACT_RST,
		  VMGW_DENY_NOT_ALLOWED);

	/* without host patterns nothing is learned */
	len = pt_dns(m, "www.fastly.net", 5);
	KUNIT_ASSERT_EQ(test, pt_learn(env, m, len, now), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 0);
	pt_expect(test, pt_rx(env, &syn, now), VMGW_ACT_RST,
		  VMGW_DENY_NOT_ALLOWED);

	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	/* a name that does not match teaches nothing */
	len = pt_dns(m, "www.fastly.com", 5);
	KUNIT_ASSERT_EQ(test, pt_learn(env, m, len, now), VMGW_DNS_OK);
	pt_expect(test, pt_rx(env, &syn, now), VMGW_ACT_RST,
		  VMGW_DENY_NOT_ALLOWED);
	/* one that matches, in another case: TTL 5 s is kept for 60 s */
	len = pt_dns(m, "WWW.fastly.net", 5);
	KUNIT_ASSERT_EQ(test, pt_learn(env, m, len, now), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 2);
	pt_expect(test, pt_rx(env, &syn, now + SEC(59)), VMGW_ACT_FLOW_NEW,
		  0);
	pt_expect(test, pt_rx(env, &ping6, now + SEC(59)), VMGW_ACT_PASS, 0);
	syn.sport = 2;
	pt_expect(test, pt_rx(env, &syn, now + SEC(60)), VMGW_ACT_RST,
		  VMGW_DENY_NOT_ALLOWED);
	pt_expect(test, pt_rx(env, &ping6, now + SEC(60)), VMGW_ACT_DROP,
		  VMGW_DENY_NOT_ALLOWED);

	/* a day-long TTL is kept for an hour; a refresh extends it */
	len = pt_dns(m, "www.fastly.net", 86400);
	KUNIT_ASSERT_EQ(test, pt_learn(env, m, len, now), VMGW_DNS_OK);
	pt_expect(test, pt_rx(env, &ping6, now + SEC(3599)), VMGW_ACT_PASS,
		  0);
	pt_expect(test, pt_rx(env, &ping6, now + SEC(3600)), VMGW_ACT_DROP,
		  VMGW_DENY_NOT_ALLOWED);
	KUNIT_ASSERT_EQ(test, pt_learn(env, m, len, now + SEC(3000)),
			VMGW_DNS_OK);
	pt_expect(test, pt_rx(env, &ping6, now + SEC(6599)), VMGW_ACT_PASS,
		  0);

	/* new patterns forget what the old ones taught */
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	pt_expect(test, pt_rx(env, &ping6, now + SEC(3001)), VMGW_ACT_DROP,
		  VMGW_DENY_NOT_ALLOWED);
}

/* Malformed answers are counted by reason and teach nothing. */
static void vmgw_policy_test_learning_errors(struct kunit *test)
{
	static const char * const hosts[] = { "www.fastly.net" };
	struct pt_env *env = test->priv;
	unsigned int len;
	u8 *m;

	m = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	len = pt_dns(m, "www.fastly.net", 300);
	/* the first answer's owner points at itself */
	vmgw_put_be16(m + 32, 0xc000 | 32);
	KUNIT_EXPECT_EQ(test, pt_learn(env, m, len, env->t0),
			VMGW_DNS_ERR_PTR_LOOP);
	KUNIT_EXPECT_EQ(test, pt_learn(env, m, 11, env->t0),
			VMGW_DNS_ERR_HEADER);
	len = pt_dns(m, "www.fastly.net", 300);
	KUNIT_EXPECT_EQ(test, pt_learn(env, m, len - 1, env->t0),
			VMGW_DNS_ERR_TRUNCATED);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_PTR_LOOP), 1);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_HEADER), 1);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_TRUNCATED), 1);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 0);
}

static bool pt_wants(struct pt_env *env, const char *src, u16 sport)
{
	struct tf t = { .src = src, .dst = "10.0.2.15", .proto = IPPROTO_UDP,
			.sport = sport, .dport = 40000, .payload = 20 };
	struct vmgw_frame_info fi;
	u8 f[TF_MAX];
	bool wants;

	tf_classify(f, tf_build(f, &t), &fi);
	local_bh_disable();
	wants = vmgw_policy_wants_dns(env->pol, &fi);
	local_bh_enable();
	return wants;
}

static bool pt_wants_tcp(struct pt_env *env, const char *src, u16 sport)
{
	struct tf t = { .src = src, .dst = "10.0.2.15", .proto = IPPROTO_TCP,
			.sport = sport, .dport = 40000,
			.flags = TCPHDR_ACK | TCPHDR_PSH, .payload = 20 };
	struct vmgw_frame_info fi;
	u8 f[TF_MAX];
	bool wants;

	tf_classify(f, tf_build(f, &t), &fi);
	local_bh_disable();
	wants = vmgw_policy_wants_dns(env->pol, &fi);
	local_bh_enable();
	return wants;
}

static bool pt_wants_query(struct pt_env *env, const char *dst, u8 proto)
{
	struct tf t = { .src = "10.0.2.15", .dst = dst, .proto = proto,
			.sport = 40000, .dport = 53, .payload = 20,
			.flags = TCPHDR_ACK | TCPHDR_PSH };
	struct vmgw_frame_info fi;
	u8 f[TF_MAX];
	bool wants;

	tf_classify(f, tf_build(f, &t), &fi);
	local_bh_disable();
	wants = vmgw_policy_wants_query(env->pol, &fi);
	local_bh_enable();
	return wants;
}

static void vmgw_policy_test_wants_dns(struct kunit *test)
{
	static const char * const hosts[] = { "example.com" };
	struct vmgw_policy_addr res = { .family = 4 };
	struct pt_env *env = test->priv;

	KUNIT_EXPECT_FALSE(test, pt_wants(env, "8.8.8.8", 53));
	KUNIT_EXPECT_FALSE(test, pt_wants_query(env, "8.8.8.8", IPPROTO_UDP));
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	/*
	 * No resolver: only the gateway namespace's own addresses (this
	 * policy has no device, so none), never any host.
	 */
	KUNIT_EXPECT_FALSE(test, pt_wants(env, "8.8.8.8", 53));
	KUNIT_EXPECT_FALSE(test, pt_wants_query(env, "8.8.8.8", IPPROTO_UDP));
	KUNIT_ASSERT_TRUE(test, in4_pton("10.0.2.3", -1, res.addr, -1, NULL));
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_resolvers(env->pol, &res, 1,
							NULL), 0);
	KUNIT_EXPECT_FALSE(test, pt_wants(env, "8.8.8.8", 53));
	KUNIT_EXPECT_TRUE(test, pt_wants(env, "10.0.2.3", 53));
	KUNIT_EXPECT_FALSE(test, pt_wants(env, "10.0.2.3", 54));
	/* DNS over TCP from a resolver too, from anyone else not */
	KUNIT_EXPECT_TRUE(test, pt_wants_tcp(env, "10.0.2.3", 53));
	KUNIT_EXPECT_FALSE(test, pt_wants_tcp(env, "8.8.8.8", 53));
	KUNIT_EXPECT_FALSE(test, pt_wants_tcp(env, "10.0.2.3", 5353));
	/* queries are recorded only to a resolver */
	KUNIT_EXPECT_TRUE(test, pt_wants_query(env, "10.0.2.3", IPPROTO_UDP));
	KUNIT_EXPECT_TRUE(test, pt_wants_query(env, "10.0.2.3", IPPROTO_TCP));
	KUNIT_EXPECT_FALSE(test, pt_wants_query(env, "8.8.8.8", IPPROTO_UDP));
	/* no resolvers again: no host */
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_resolvers(env->pol, NULL, 0,
							NULL), 0);
	KUNIT_EXPECT_FALSE(test, pt_wants(env, "8.8.8.8", 53));
	KUNIT_EXPECT_FALSE(test, pt_wants(env, "10.0.2.3", 53));
}

/* Anti-spoof through the entry point that netlink uses. */
static void vmgw_policy_test_guest(struct kunit *test)
{
	struct vmgw_guest_id g = { .mac_set = true, .ip4_set = true };
	struct pt_env *env = test->priv;
	struct tf ping = { .src = "10.0.2.15", .dst = "8.8.8.8",
			   .proto = IPPROTO_ICMP, .flags = 8 };

	memcpy(g.mac, tf_guest_mac, ETH_ALEN);
	KUNIT_ASSERT_TRUE(test, in4_pton("10.0.2.15", -1, g.ip4, -1, NULL));
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_guest(env->pol, &g, NULL), 0);
	pt_expect(test, pt_rx(env, &ping, env->t0), VMGW_ACT_PASS, 0);
	ping.src = "10.0.2.16";
	pt_expect(test, pt_rx(env, &ping, env->t0), VMGW_ACT_DROP,
		  VMGW_DENY_SPOOF_IP);
	g.ip4[3] = 16;
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_guest(env->pol, &g, NULL), 0);
	pt_expect(test, pt_rx(env, &ping, env->t0), VMGW_ACT_PASS, 0);
}

static void vmgw_policy_test_learn_table(struct kunit *test)
{
	struct vmgw_dns_addr a = { .family = 4, .ttl = 60 };
	struct pt_env *env = test->priv;
	struct vmgw_learn *l;
	unsigned int i;
	bool live;

	l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	vmgw_learn_init(l, 4);
	for (i = 0; i < 4; i++) {
		a.addr[3] = i;
		KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 1, env->t0),
				VMGW_LEARN_NEW);
	}
	a.addr[3] = 9;
	KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 1, env->t0),
			VMGW_LEARN_FULL);
	a.addr[3] = 1;
	KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 1, env->t0 + SEC(30)),
			VMGW_LEARN_REFRESHED);
	/* a shorter TTL never shortens what is known */
	a.ttl = 1;
	KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 1, env->t0 + SEC(31)),
			VMGW_LEARN_REFRESHED);
	rcu_read_lock();
	live = vmgw_learn_lookup(l, 4, a.addr, 1, env->t0 + SEC(89));
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, live);
	/* the others expired: room again after a collection */
	a.addr[3] = 9;
	a.ttl = 60;
	KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 1, env->t0 + SEC(61)),
			VMGW_LEARN_NEW);
	vmgw_learn_gc(l, env->t0 + SEC(61));
	KUNIT_EXPECT_EQ(test, l->count, 2);
	KUNIT_EXPECT_EQ(test, vmgw_learn_gc(l, env->t0 + SEC(200)), 2);

	/* learned under other patterns: invisible, then learned anew */
	a.ttl = 600;
	KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 1, env->t0), VMGW_LEARN_NEW);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, vmgw_learn_lookup(l, 4, a.addr, 1, env->t0));
	KUNIT_EXPECT_FALSE(test, vmgw_learn_lookup(l, 4, a.addr, 2, env->t0));
	rcu_read_unlock();
	a.ttl = 60;
	KUNIT_EXPECT_EQ(test, vmgw_learn_add(l, &a, 2, env->t0),
			VMGW_LEARN_REFRESHED);
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, vmgw_learn_lookup(l, 4, a.addr, 1, env->t0));
	KUNIT_EXPECT_TRUE(test, vmgw_learn_lookup(l, 4, a.addr, 2,
						  env->t0 + SEC(59)));
	/* the new generation's TTL, not the longer old one */
	KUNIT_EXPECT_FALSE(test, vmgw_learn_lookup(l, 4, a.addr, 2,
						   env->t0 + SEC(60)));
	rcu_read_unlock();
	vmgw_learn_flush(l);
	rcu_barrier();
}

/* Collection with a fake clock: what expired goes, the gauges follow. */
static void vmgw_policy_test_gc(struct kunit *test)
{
	static const char * const hosts[] = { "www.fastly.net" };
	struct tf syn = pt_tcp("93.184.216.34", 1, 443, TCPHDR_SYN);
	struct tf ack = pt_tcp("93.184.216.34", 2, 443, TCPHDR_ACK);
	struct pt_env *env = test->priv;
	u64 c[VMGW_STAT_MAX] = {};
	unsigned int len;
	u8 *m;

	m = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	/* two flows: one stays in SYN (60 s), one establishes (3600 s) */
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_FLOW_NEW, 0);
	syn.sport = 2;
	pt_expect(test, pt_rx(env, &syn, env->t0), VMGW_ACT_FLOW_NEW, 0);
	pt_expect(test, pt_rx(env, &ack, env->t0), VMGW_ACT_PASS, 0);
	/* two addresses for 60 s (TTL 5 clamped) */
	len = pt_dns(m, "www.fastly.net", 5);
	KUNIT_ASSERT_EQ(test, pt_learn(env, m, len, env->t0), VMGW_DNS_OK);
	vmgw_policy_stats_fill(env->pol, c);
	KUNIT_EXPECT_EQ(test, c[VMGW_STAT_FLOWS], 2);
	KUNIT_EXPECT_EQ(test, c[VMGW_STAT_LEARNED], 2);

	KUNIT_EXPECT_EQ(test, vmgw_policy_gc(env->pol, env->t0 + SEC(59)), 0);
	KUNIT_EXPECT_EQ(test, vmgw_policy_gc(env->pol, env->t0 + SEC(60)), 3);
	vmgw_policy_stats_fill(env->pol, c);
	KUNIT_EXPECT_EQ(test, c[VMGW_STAT_FLOWS], 1);
	KUNIT_EXPECT_EQ(test, c[VMGW_STAT_LEARNED], 0);
	pt_expect(test, pt_rx(env, &ack, env->t0 + SEC(60)), VMGW_ACT_PASS, 0);
	KUNIT_EXPECT_EQ(test,
			vmgw_policy_gc(env->pol,
				       env->t0 + SEC(60 + VMGW_FLOW_EST_TIMEOUT)),
			1);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(env->pol->flows), 0);
}

/* The periodic work collects on the real clock, without any traffic. */
static void vmgw_policy_test_gc_work(struct kunit *test)
{
	struct tf syn = pt_tcp("93.184.216.34", 1, 443, TCPHDR_SYN);
	unsigned long past = jiffies - SEC(VMGW_FLOW_SYN_TIMEOUT + 10);
	struct pt_env *env = test->priv;

	pt_expect(test, pt_rx(env, &syn, past), VMGW_ACT_FLOW_NEW, 0);
	syn.sport = 2;
	pt_expect(test, pt_rx(env, &syn, jiffies), VMGW_ACT_FLOW_NEW, 0);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(env->pol->flows), 2);
	vmgw_policy_gc_start(env->pol);
	/* run the pending pass now rather than in 5 s */
	flush_delayed_work(&env->pol->gc_work);
	KUNIT_EXPECT_EQ(test, vmgw_flows_count(env->pol->flows), 1);
	/* it re-armed itself; stopping waits for it, twice is fine */
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&env->pol->gc_work));
	vmgw_policy_gc_stop(env->pol);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&env->pol->gc_work));
	vmgw_policy_gc_stop(env->pol);
}

struct pt_payload {
	const u8 *p;
	unsigned int len;
};

static bool pt_payload_read(void *arg, unsigned int off, u8 *to,
			    unsigned int len)
{
	const struct pt_payload *pl = arg;

	if (off > pl->len || len > pl->len - off)
		return false;
	memcpy(to, pl->p + off, len);
	return true;
}

/* A segment from the resolver to the guest's port 40000. */
static unsigned int pt_learn_tcp(struct pt_env *env, u32 seq, u8 flags,
				 const u8 *p, unsigned int len,
				 unsigned long now)
{
	static u8 buf[512];
	struct pt_payload pl = { .p = p, .len = len };
	struct vmgw_policy_tcp_seg seg = {
		.seq = seq, .len = len, .rd = pt_payload_read, .arg = &pl,
		.buf = buf, .buf_len = sizeof(buf),
	};
	struct vmgw_frame_info fi;
	unsigned int n;

	pt_dns_fi(&fi, IPPROTO_TCP, false, 40000, flags);
	local_bh_disable();
	n = vmgw_policy_learn_dns_tcp(env->pol, &fi, &seg, now, env->stats);
	local_bh_enable();
	return n;
}

static bool pt_learned(struct pt_env *env, unsigned long now)
{
	static const u8 a4[4] = { 151, 101, 1, 1 };
	bool known;

	rcu_read_lock_bh();
	known = vmgw_learn_lookup(&env->pol->learn, 4, a4,
				  rcu_dereference_bh(env->pol->cfg)->host_gen,
				  now);
	rcu_read_unlock_bh();
	return known;
}

/* Only the answer to a question the guest asked, on its flow, teaches. */
static void vmgw_policy_test_unsolicited(struct kunit *test)
{
	static const char * const hosts[] = { "*.fastly.net" };
	struct pt_env *env = test->priv;
	unsigned long now = env->t0;
	unsigned int len;
	u8 *m, *o;

	m = kunit_kzalloc(test, 512, GFP_KERNEL);
	o = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	len = pt_dns(m, "www.fastly.net", 300);

	/* asked nothing */
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000, now),
			VMGW_DNS_ERR_UNSOLICITED);
	/* asked with another ID */
	vmgw_put_be16(m, 7);
	pt_ask_on(env, m, len, IPPROTO_UDP, 40000, now);
	vmgw_put_be16(m, 0);
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000, now),
			VMGW_DNS_ERR_UNSOLICITED);
	/* asked another name, or another type */
	pt_ask_on(env, o, pt_dns(o, "ww.fastly.net", 300), IPPROTO_UDP,
		  40000, now);
	pt_dns(o, "www.fastly.net", 300);
	vmgw_put_be16(o + 12 + 16, 28);
	pt_ask_on(env, o, len, IPPROTO_UDP, 40000, now);
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000, now),
			VMGW_DNS_ERR_UNSOLICITED);
	/* asked from another port, or over TCP */
	pt_ask_on(env, m, len, IPPROTO_UDP, 40001, now);
	pt_ask_on(env, m, len, IPPROTO_TCP, 40000, now);
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000, now),
			VMGW_DNS_ERR_UNSOLICITED);
	/* asked too long ago */
	pt_ask_on(env, m, len, IPPROTO_UDP, 40000, now);
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000,
					now + SEC(VMGW_DNSQ_TIMEOUT)),
			VMGW_DNS_ERR_UNSOLICITED);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_UNSOLICITED), 5);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 0);
	KUNIT_EXPECT_FALSE(test, pt_learned(env, now));

	/* the question asked, in another case: learned, once */
	pt_dns(o, "WWW.Fastly.Net", 300);
	pt_ask_on(env, o, len, IPPROTO_UDP, 40000, now);
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000, now),
			VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 2);
	KUNIT_EXPECT_TRUE(test, pt_learned(env, now));
	KUNIT_EXPECT_EQ(test, pt_answer(env, m, len, 40000, now),
			VMGW_DNS_ERR_UNSOLICITED);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_UNSOLICITED), 6);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_QUERIES), 7);
}

/*
 * DNS over TCP: only whole messages at the stream's boundaries, from the
 * SYN-ACK on, that answer a query of the flow. The retransmission after a
 * partial ACK, which starts inside an answer whose bytes the guest chose,
 * teaches nothing.
 */
static void vmgw_policy_test_dns_tcp(struct kunit *test)
{
	static const char * const hosts[] = { "www.fastly.net" };
	struct tf syn = pt_tcp("10.0.2.3", 40000, 53, TCPHDR_SYN);
	const u8 ack = TCPHDR_ACK | TCPHDR_PSH;
	struct pt_env *env = test->priv;
	unsigned long now = env->t0;
	unsigned int len, alen;
	u8 *p, *a;
	u32 next;

	p = kunit_kzalloc(test, 1100, GFP_KERNEL);
	a = kunit_kzalloc(test, 1100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	/* p: the answer, length first */
	len = pt_dns(p + 2, "www.fastly.net", 300);
	vmgw_put_be16(p, len);
	pt_ask_on(env, p + 2, len, IPPROTO_TCP, 40000, now);

	/* no flow, then a flow whose SYN-ACK was not seen: not aligned */
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, 1, ack, p, len + 2, now), 0);
	pt_expect(test, pt_rx(env, &syn, now), VMGW_ACT_FLOW_NEW, 0);
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, 1, ack, p, len + 2, now), 0);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_TCP_UNALIGNED), 2);
	KUNIT_EXPECT_FALSE(test, pt_learned(env, now));

	/* the SYN-ACK: the stream starts at 9001 */
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, 9000, TCPHDR_SYN | TCPHDR_ACK,
					   p, 0, now), 0);
	/*
	 * a: an answer the guest shaped (as a TXT record through its own
	 * domain would be): 8 bytes of header-like junk, then p whole.
	 */
	alen = 8 + 2 + len;
	vmgw_put_be16(a, alen);
	memset(a + 2, 0xff, 8);
	memcpy(a + 10, p, len + 2);
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, 9001, ack, a, alen + 2, now),
			1);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_HEADER), 1);
	next = 9001 + 2 + alen;
	/* the guest acknowledged 10 bytes: the resolver sends from there */
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, 9011, ack, a + 10, alen - 8,
					   now), 0);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_TCP_UNALIGNED), 3);
	KUNIT_EXPECT_FALSE(test, pt_learned(env, now));
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 0);

	/* the same bytes at the boundary: learned (the query still waits) */
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, next, ack, p, len + 2, now), 1);
	KUNIT_EXPECT_TRUE(test, pt_learned(env, now));
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 2);
	next += 2 + len;
	/* again: the query was answered, a second answer is unsolicited */
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, next, ack, p, len + 2, now), 1);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_ERR_UNSOLICITED), 1);
	next += 2 + len;
	/* a message split over two segments: skipped, counted */
	pt_ask_on(env, p + 2, len, IPPROTO_TCP, 40000, now);
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, next, ack, p, len, now), 0);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_TCP_SPLIT), 1);
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, next + len, ack, p + len, 2,
					   now), 0);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_TCP_UNALIGNED), 4);
	/* the next message at its boundary is read again */
	next += 2 + len;
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, next, ack, p, len + 2, now), 1);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 4);
	/* a segment without payload counts nothing */
	KUNIT_EXPECT_EQ(test, pt_learn_tcp(env, next, ack, p, 0, now), 0);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_TCP_UNALIGNED), 4);
}

/* A full table of learned addresses: what does not fit is counted. */
static void vmgw_policy_test_learn_full(struct kunit *test)
{
	static const char * const hosts[] = { "www.fastly.net" };
	struct vmgw_dns_addr a = { .family = 6, .ttl = 600 };
	struct pt_env *env = test->priv;
	unsigned int i, len;
	u8 *m;

	m = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(env->pol, hosts, 1, NULL),
			0);
	for (i = 0; i < VMGW_LEARN_MAX_DEFAULT; i++) {
		a.addr[14] = i >> 8;
		a.addr[15] = i;
		KUNIT_ASSERT_EQ(test, vmgw_learn_add(&env->pol->learn, &a, 0,
						     env->t0),
				VMGW_LEARN_NEW);
	}
	len = pt_dns(m, "www.fastly.net", 300);
	KUNIT_EXPECT_EQ(test, pt_learn(env, m, len, env->t0), VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARN_FULL), 2);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 0);
	/* once those expired and were collected, there is room */
	KUNIT_EXPECT_EQ(test, vmgw_policy_gc(env->pol, env->t0 + SEC(600)),
			VMGW_LEARN_MAX_DEFAULT);
	KUNIT_EXPECT_EQ(test, pt_learn(env, m, len, env->t0 + SEC(600)),
			VMGW_DNS_OK);
	KUNIT_EXPECT_EQ(test, pt_stat(env, VMGW_STAT_DNS_LEARNED), 2);
	KUNIT_EXPECT_EQ(test, vmgw_learn_count(&env->pol->learn), 2);
}

static struct kunit_case vmgw_policy_test_cases[] = {
	KUNIT_CASE(vmgw_policy_test_default_flows),
	KUNIT_CASE(vmgw_policy_test_flow_cap),
	KUNIT_CASE(vmgw_policy_test_published_port),
	KUNIT_CASE(vmgw_policy_test_published_floor),
	KUNIT_CASE(vmgw_policy_test_published_reflected),
	KUNIT_CASE(vmgw_policy_test_published_cap),
	KUNIT_CASE(vmgw_policy_test_set_validation),
	KUNIT_CASE(vmgw_policy_test_rules_add_del),
	KUNIT_CASE(vmgw_policy_test_replace),
	KUNIT_CASE(vmgw_policy_test_learning),
	KUNIT_CASE(vmgw_policy_test_learning_errors),
	KUNIT_CASE(vmgw_policy_test_wants_dns),
	KUNIT_CASE(vmgw_policy_test_guest),
	KUNIT_CASE(vmgw_policy_test_learn_table),
	KUNIT_CASE(vmgw_policy_test_gc),
	KUNIT_CASE(vmgw_policy_test_gc_work),
	KUNIT_CASE(vmgw_policy_test_dns_tcp),
	KUNIT_CASE(vmgw_policy_test_unsolicited),
	KUNIT_CASE(vmgw_policy_test_learn_full),
	{}
};

static struct kunit_suite vmgw_policy_test_suite = {
	.name = "vmgw_policy",
	.init = pt_init,
	.exit = pt_exit,
	.test_cases = vmgw_policy_test_cases,
};

kunit_test_suite(vmgw_policy_test_suite);
