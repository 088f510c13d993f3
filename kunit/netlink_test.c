// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the messages of the generic netlink family (dev-get with and
 * without the policy, stats-get, rule-get, flow-get), the rule attribute
 * checks, the resumable flow walk of dumps and the ring size rules of
 * dev-set, on a registered vmgw device.
 */
#include <kunit/test.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <uapi/linux/vmgw.h>

#include "classify.h"
#include "netlink.h"
#include "policy.h"
#include "testdev.h"
#include "vmgw.h"

struct vmgw_nl_test {
	struct net_device *dev;
	struct vmgw_dev *vg;
	struct vmgw_queue *q;
	struct sk_buff *skb;
};

static int vmgw_nl_test_init(struct kunit *test)
{
	struct vmgw_nl_test *t;
	int err;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->dev = alloc_netdev(vmgw_link_ops.priv_size, "vmgwn%d",
			      NET_NAME_ENUM, vmgw_link_ops.setup);
	if (!t->dev)
		return -ENOMEM;
	t->dev->rtnl_link_ops = &vmgw_link_ops;
	t->vg = netdev_priv(t->dev);
	t->skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!t->skb) {
		free_netdev(t->dev);
		return -ENOMEM;
	}
	rtnl_lock();
	err = register_netdevice(t->dev);
	rtnl_unlock();
	if (err) {
		nlmsg_free(t->skb);
		free_netdev(t->dev);
		return err;
	}
	test->priv = t;
	return 0;
}

static void vmgw_nl_test_exit(struct kunit *test)
{
	struct vmgw_nl_test *t = test->priv;

	if (!t)
		return;
	if (t->q)
		vmgw_queue_free(t->q);
	nlmsg_free(t->skb);
	rtnl_lock();
	unregister_netdevice(t->dev);
	rtnl_unlock();
}

/* Attach a file (queue) to the test device, as TUNSETIFF does. */
static void vmgw_nl_test_attach(struct kunit *test)
{
	struct vmgw_nl_test *t = test->priv;
	int err;

	t->q = vmgw_queue_alloc();
	KUNIT_ASSERT_NOT_NULL(test, t->q);
	t->q->flags = IFF_TAP | IFF_NO_PI;
	rtnl_lock();
	err = vmgw_queue_attach(t->q, t->dev);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

static struct nlattr *vmgw_nl_test_find(struct sk_buff *skb, int type)
{
	return nlmsg_find_attr(nlmsg_hdr(skb), GENL_HDRLEN, type);
}

static u32 vmgw_nl_test_u32(struct kunit *test, struct sk_buff *skb, int type)
{
	struct nlattr *nla = vmgw_nl_test_find(skb, type);

	KUNIT_ASSERT_NOT_NULL_MSG(test, nla, "attribute %d missing", type);
	return nla_get_u32(nla);
}

static int vmgw_nl_test_dev_fill(struct vmgw_nl_test *t, bool policy)
{
	int err;

	skb_trim(t->skb, 0);
	rtnl_lock();
	err = vmgw_nl_dev_fill(t->skb, t->dev, 0, 0, 0, VMGW_CMD_DEV_GET,
			       policy);
	rtnl_unlock();
	return err;
}

static void vmgw_nl_test_dev_get(struct kunit *test)
{
	struct vmgw_nl_test *t = test->priv;
	struct genlmsghdr *gnlh;
	struct nlattr *nla;

	KUNIT_ASSERT_EQ(test, vmgw_nl_test_dev_fill(t, false), 0);
	gnlh = nlmsg_data(nlmsg_hdr(t->skb));
	KUNIT_EXPECT_EQ(test, gnlh->cmd, VMGW_CMD_DEV_GET);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_IFINDEX),
			t->dev->ifindex);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_DEV_IFNAME);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(nla), t->dev->name);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_DEV_ATTACHED);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u8(nla), 0);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_MTU),
			1500);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_MIN_MTU),
			t->dev->min_mtu);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_MAX_MTU),
			t->dev->max_mtu);
	KUNIT_EXPECT_EQ(test,
			vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_G2H_RING_SIZE),
			VMGW_RING_DEFAULT);
	KUNIT_EXPECT_EQ(test,
			vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_H2G_RING_SIZE),
			VMGW_RING_DEFAULT);
	/* Nothing of the policy for a receiver without CAP_NET_ADMIN. */
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb,
						  VMGW_A_DEV_POLICY_MODE));
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb,
						  VMGW_A_DEV_FLOW_CAP));

	vmgw_nl_test_attach(test);
	KUNIT_ASSERT_EQ(test, vmgw_nl_test_dev_fill(t, false), 0);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_DEV_ATTACHED);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u8(nla), 1);
}

/* A message that does not fit leaves nothing behind. */
static void vmgw_nl_test_dev_fill_full(struct kunit *test)
{
	struct sk_buff *small = alloc_skb(256, GFP_KERNEL);
	struct vmgw_nl_test *t = test->priv;
	unsigned int used;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, small);
	/* Room for the headers and a few attributes, not for all of them. */
	used = skb_tailroom(small) - 64;
	skb_put(small, used);
	rtnl_lock();
	err = vmgw_nl_dev_fill(small, t->dev, 0, 0, 0, VMGW_CMD_DEV_GET,
			       true);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, err, -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, small->len, used);
	kfree_skb(small);
}

static void vmgw_nl_test_stats(struct kunit *test)
{
	struct nlattr *nla, *tb[VMGW_A_COUNTER_MAX + 1];
	struct vmgw_nl_test *t = test->priv;
	char name[ETH_GSTRING_LEN];
	unsigned int n = 0;
	int rem, err;

	vmgw_stats_add(t->vg->stats, VMGW_STAT_RX_PACKETS, 3);
	vmgw_stats_add(t->vg->stats, VMGW_STAT_RX_BYTES, 300);
	vmgw_stats_add(t->vg->stats, VMGW_STAT_TX_BYTES, 77);
	vmgw_stats_add(t->vg->stats, VMGW_STAT_RX_DROP_UDP_UNSUPPORTED, 5);
	vmgw_stats_add(t->vg->stats, VMGW_STAT_MAX - 1, 9);
	KUNIT_ASSERT_EQ(test, vmgw_nl_stats_fill(t->skb, t->dev, 0, 0, 0,
						 VMGW_CMD_STATS_GET), 0);

	nla = vmgw_nl_test_find(t->skb, VMGW_A_STATS_RX_PACKETS);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u64(nla), 3);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_STATS_RX_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u64(nla), 300);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_STATS_TX_PACKETS);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u64(nla), 0);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_STATS_TX_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u64(nla), 77);

	/* Every counter, in ethtool -S order, with its name and value. */
	nlmsg_for_each_attr(nla, nlmsg_hdr(t->skb), GENL_HDRLEN, rem) {
		if (nla_type(nla) != VMGW_A_STATS_COUNTER)
			continue;
		err = nla_parse_nested_deprecated(tb, VMGW_A_COUNTER_MAX, nla,
						  NULL, NULL);
		KUNIT_ASSERT_EQ(test, err, 0);
		KUNIT_ASSERT_NOT_NULL(test, tb[VMGW_A_COUNTER_NAME]);
		KUNIT_ASSERT_NOT_NULL(test, tb[VMGW_A_COUNTER_VALUE]);
		KUNIT_ASSERT_LT(test, n, VMGW_STAT_MAX);
		vmgw_stat_name(n, name);
		KUNIT_EXPECT_STREQ(test,
				   (char *)nla_data(tb[VMGW_A_COUNTER_NAME]),
				   name);
		if (n == VMGW_STAT_RX_DROP_UDP_UNSUPPORTED)
			KUNIT_EXPECT_EQ(test,
					nla_get_u64(tb[VMGW_A_COUNTER_VALUE]), 5);
		if (n == VMGW_STAT_MAX - 1)
			KUNIT_EXPECT_EQ(test,
					nla_get_u64(tb[VMGW_A_COUNTER_VALUE]), 9);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, VMGW_STAT_MAX);
}

static struct nlattr *vmgw_nl_test_u32_attr(struct kunit *test, int type,
					    u32 val)
{
	struct nlattr *nla = kunit_kzalloc(test, nla_total_size(sizeof(val)),
					   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nla);
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(sizeof(val));
	memcpy(nla_data(nla), &val, sizeof(val));
	return nla;
}

static int vmgw_nl_test_set_rings(struct vmgw_nl_test *t, struct nlattr *g2h,
				  struct nlattr *h2g,
				  struct netlink_ext_ack *extack)
{
	int err;

	rtnl_lock();
	err = vmgw_nl_set_rings(t->vg, g2h, h2g, extack);
	rtnl_unlock();
	return err;
}

static void vmgw_nl_test_rings(struct kunit *test)
{
	struct nlattr *g2h = vmgw_nl_test_u32_attr(test,
						   VMGW_A_DEV_G2H_RING_SIZE, 64);
	struct nlattr *h2g = vmgw_nl_test_u32_attr(test,
						   VMGW_A_DEV_H2G_RING_SIZE, 128);
	struct vmgw_nl_test *t = test->priv;
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, vmgw_nl_test_set_rings(t, g2h, NULL, &extack), 0);
	KUNIT_EXPECT_EQ(test, t->vg->g2h_size, 64);
	KUNIT_EXPECT_EQ(test, t->vg->h2g_size, VMGW_RING_DEFAULT);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_set_rings(t, NULL, h2g, &extack), 0);
	KUNIT_EXPECT_EQ(test, t->vg->g2h_size, 64);
	KUNIT_EXPECT_EQ(test, t->vg->h2g_size, 128);
	KUNIT_EXPECT_NULL(test, extack._msg);

	/* The attached file's rings are in use: nothing changes. */
	vmgw_nl_test_attach(test);
	KUNIT_EXPECT_EQ(test, t->q->g2h.size, 64);
	KUNIT_EXPECT_EQ(test, t->q->h2g.size, 128);
	g2h = vmgw_nl_test_u32_attr(test, VMGW_A_DEV_G2H_RING_SIZE, 16);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_set_rings(t, g2h, h2g, &extack),
			-EBUSY);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "g2h-ring-size cannot change while a file is attached");
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, (const struct nlattr *)g2h);
	memset(&extack, 0, sizeof(extack));
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_set_rings(t, NULL, h2g, &extack),
			-EBUSY);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "h2g-ring-size cannot change while a file is attached");
	KUNIT_EXPECT_EQ(test, t->vg->g2h_size, 64);
	KUNIT_EXPECT_EQ(test, t->vg->h2g_size, 128);
	/* A request without ring sizes is no ring change. */
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_set_rings(t, NULL, NULL, &extack), 0);
}

static const char *vmgw_nl_test_str(struct kunit *test, struct sk_buff *skb,
				    int type)
{
	struct nlattr *nla = vmgw_nl_test_find(skb, type);

	KUNIT_ASSERT_NOT_NULL_MSG(test, nla, "attribute %d missing", type);
	return nla_data(nla);
}

static void vmgw_nl_test_deny_udp(struct kunit *test)
{
	struct vmgw_frame_info fi = {
		.class = VMGW_CLASS_UDP, .ip_version = 4, .l4_proto = 17,
		.saddr = { 10, 0, 2, 15 }, .daddr = { 10, 0, 2, 2 },
		.sport = 40000, .dport = 9999,
	};
	struct vmgw_nl_test *t = test->priv;
	struct nlattr *nla;

	KUNIT_ASSERT_EQ(test, vmgw_nl_deny_fill(t->skb, t->vg, &fi,
						VMGW_STAT_RX_DROP_UDP_UNSUPPORTED,
						7), 0);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_EVENT_IFINDEX),
			t->dev->ifindex);
	KUNIT_EXPECT_STREQ(test, vmgw_nl_test_str(test, t->skb,
						  VMGW_A_EVENT_REASON),
			   "rx_drop_udp_unsupported");
	KUNIT_EXPECT_STREQ(test, vmgw_nl_test_str(test, t->skb,
						  VMGW_A_EVENT_CLASS), "udp");
	nla = vmgw_nl_test_find(t->skb, VMGW_A_EVENT_SRC_IPV4);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_len(nla), 4);
	KUNIT_EXPECT_MEMEQ(test, nla_data(nla), fi.saddr, 4);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_EVENT_DST_IPV4);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_MEMEQ(test, nla_data(nla), fi.daddr, 4);
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb,
						  VMGW_A_EVENT_SRC_IPV6));
	nla = vmgw_nl_test_find(t->skb, VMGW_A_EVENT_DST_PORT);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u16(nla), 9999);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_EVENT_PROTO);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_EQ(test, nla_get_u8(nla), 17);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_EVENT_SUPPRESSED), 7);
}

/* What a malformed or non-IP frame has is not reported as addresses. */
static void vmgw_nl_test_deny_partial(struct kunit *test)
{
	struct vmgw_frame_info fi = {
		.class = VMGW_CLASS_MALFORMED, .why = VMGW_MAL_TRUNCATED_L4,
		.ip_version = 6, .l4_proto = 6,
	};
	struct vmgw_nl_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, vmgw_nl_deny_fill(t->skb, t->vg, &fi,
						VMGW_STAT_RX_DROP_MALFORMED,
						0), 0);
	KUNIT_EXPECT_STREQ(test, vmgw_nl_test_str(test, t->skb,
						  VMGW_A_EVENT_CLASS),
			   "malformed");
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb, VMGW_A_EVENT_PROTO));
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb,
						  VMGW_A_EVENT_SRC_IPV6));

	/* An IPv6 fragment: addresses, no ports. */
	skb_trim(t->skb, 0);
	fi.class = VMGW_CLASS_FRAGMENT;
	fi.saddr[15] = 1;
	KUNIT_ASSERT_EQ(test, vmgw_nl_deny_fill(t->skb, t->vg, &fi,
						VMGW_STAT_RX_DROP_MALFORMED,
						0), 0);
	KUNIT_EXPECT_NOT_NULL(test, vmgw_nl_test_find(t->skb,
						      VMGW_A_EVENT_SRC_IPV6));
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb,
						  VMGW_A_EVENT_SRC_PORT));
}

/* Nobody listens: nothing is sent and nothing counted as left out. */
static void vmgw_nl_test_deny_no_listener(struct kunit *test)
{
	struct vmgw_frame_info fi = { .class = VMGW_CLASS_UDP };
	struct vmgw_nl_test *t = test->priv;
	int i;

	for (i = 0; i < 3 * 10; i++) {
		local_bh_disable();
		vmgw_nl_notify_deny(t->vg, &fi,
				    VMGW_STAT_RX_DROP_UDP_UNSUPPORTED);
		local_bh_enable();
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&t->vg->deny_missed), 0);
}

/* Count the attributes of @type in the message in @skb. */
static unsigned int vmgw_nl_test_count(struct sk_buff *skb, int type)
{
	unsigned int n = 0;
	struct nlattr *nla;
	int rem;

	nlmsg_for_each_attr(nla, nlmsg_hdr(skb), GENL_HDRLEN, rem)
		n += nla_type(nla) == type;
	return n;
}

/* The policy as the engine keeps it, reported the way dev-set takes it. */
static void vmgw_nl_test_dev_policy(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x15 };
	static const char * const hosts[] = { "*.Example.COM.", "pypi.org" };
	struct vmgw_flow_limits lim = vmgw_flow_default_limits;
	struct vmgw_policy_addr res = { .family = 4, .addr = { 10, 0, 2, 3 } };
	struct vmgw_guest_id g = { .mac_set = true, .ip4_set = true,
				   .ip4 = { 10, 0, 2, 15 }, .n_ip6 = 2 };
	struct vmgw_nl_test *t = test->priv;
	struct vmgw_policy *pol = t->vg->policy;
	struct nlattr *nla;
	int rem;

	memcpy(g.mac, mac, ETH_ALEN);
	g.ip6[0][0] = 0xfd;
	g.ip6[1][0] = 0xfe;
	g.ip6[1][1] = 0x80;
	lim.max = 77;
	lim.timeout[VMGW_FLOW_FIN] = 5;

	/* Defaults first: open, default floor, default flow limits. */
	KUNIT_ASSERT_EQ(test, vmgw_nl_test_dev_fill(t, true), 0);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_POLICY_MODE),
			VMGW_POLICY_MODE_OPEN);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_FLOOR),
			VMGW_FLOOR_MODE_DEFAULT);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_FLOW_CAP),
			VMGW_FLOW_MAX_DEFAULT);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED),
			VMGW_FLOW_EST_TIMEOUT);
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb, VMGW_A_DEV_GUEST_MAC));
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb, VMGW_A_DEV_ALLOW_HOST));

	KUNIT_ASSERT_EQ(test, vmgw_policy_set_guest(pol, &g, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_mode(pol, VMGW_MODE_ALLOWLIST,
						   NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_floor(pol, VMGW_FLOOR_OFF, NULL),
			0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_flow_limits(pol, &lim, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_resolvers(pol, &res, 1, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmgw_policy_set_hosts(pol, hosts, 2, NULL), 0);

	KUNIT_ASSERT_EQ(test, vmgw_nl_test_dev_fill(t, true), 0);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_POLICY_MODE),
			VMGW_POLICY_MODE_ALLOWLIST);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb, VMGW_A_DEV_FLOOR),
			VMGW_FLOOR_MODE_OFF);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_FLOW_CAP), 77);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_FLOW_TIMEOUT_FIN), 5);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_DEV_FLOW_COUNT), 0);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_DEV_GUEST_MAC);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_MEMEQ(test, nla_data(nla), mac, ETH_ALEN);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_DEV_GUEST_IPV4);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_MEMEQ(test, nla_data(nla), g.ip4, 4);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_count(t->skb, VMGW_A_DEV_GUEST_IPV6),
			2);
	nla = vmgw_nl_test_find(t->skb, VMGW_A_DEV_RESOLVER_IPV4);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	KUNIT_EXPECT_MEMEQ(test, nla_data(nla), res.addr, 4);
	KUNIT_EXPECT_NULL(test, vmgw_nl_test_find(t->skb,
						  VMGW_A_DEV_RESOLVER_IPV6));
	/* Patterns come back normalised (lowercase, no trailing dot), sorted. */
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_count(t->skb, VMGW_A_DEV_ALLOW_HOST),
			2);
	nlmsg_for_each_attr(nla, nlmsg_hdr(t->skb), GENL_HDRLEN, rem) {
		if (nla_type(nla) != VMGW_A_DEV_ALLOW_HOST)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test,
				      !strcmp(nla_data(nla), "*.example.com") ||
				      !strcmp(nla_data(nla), "pypi.org"),
				      "host %s", (char *)nla_data(nla));
	}
	KUNIT_EXPECT_LE(test, t->skb->len, vmgw_nl_dev_size());
}

/* A table of rule attributes, as the op's policy leaves them. */
struct vmgw_nl_test_rule {
	struct nlattr *tb[VMGW_A_RULE_MAX + 1];
};

static void vmgw_nl_test_rule_set(struct kunit *test,
				  struct vmgw_nl_test_rule *tr, int type,
				  u32 val)
{
	u8 v8 = val;
	u16 v16 = val;

	switch (type) {
	case VMGW_A_RULE_ACTION:
		tr->tb[type] = vmgw_test_attr(test, type, &val, 4);
		break;
	case VMGW_A_RULE_PREFIX_LEN:
	case VMGW_A_RULE_PROTO:
		tr->tb[type] = vmgw_test_attr(test, type, &v8, 1);
		break;
	default:
		tr->tb[type] = vmgw_test_attr(test, type, &v16, 2);
		break;
	}
}

static void vmgw_nl_test_rule_parse(struct kunit *test)
{
	static const u8 a4[4] = { 192, 0, 2, 77 }, a6[16] = { 0xfd, 0, 0xab };
	struct netlink_ext_ack extack = {};
	struct vmgw_nl_test_rule tr = {};
	struct vmgw_rule r;

	/* Nothing: the action is missing, and said so. */
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_EQ(test, extack.miss_type, VMGW_A_RULE_ACTION);
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_ACTION,
			      VMGW_RULE_ACTION_DENY);
	memset(&extack, 0, sizeof(extack));
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_EQ(test, extack.miss_type, VMGW_A_RULE_IPV4);

	/* A host address: the full length, any protocol, all ports. */
	tr.tb[VMGW_A_RULE_IPV4] = vmgw_test_attr(test, VMGW_A_RULE_IPV4,
						 a4, 4);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), 0);
	KUNIT_EXPECT_EQ(test, r.family, 4);
	KUNIT_EXPECT_EQ(test, r.plen, 32);
	KUNIT_EXPECT_EQ(test, r.action, VMGW_RULE_DENY);
	KUNIT_EXPECT_EQ(test, r.proto, 0);
	KUNIT_EXPECT_EQ(test, r.port_lo, 0);
	KUNIT_EXPECT_EQ(test, r.port_hi, U16_MAX);
	KUNIT_EXPECT_MEMEQ(test, r.addr, a4, 4);
	KUNIT_EXPECT_EQ(test, vmgw_rule_check(&r), 0);

	/* A prefix: host bits cleared, so that rule-del finds it. */
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PREFIX_LEN, 20);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), 0);
	KUNIT_EXPECT_EQ(test, r.addr[2], 0);
	KUNIT_EXPECT_EQ(test, r.addr[3], 0);
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PREFIX_LEN, 23);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), 0);
	KUNIT_EXPECT_EQ(test, r.addr[2], 2);
	KUNIT_EXPECT_EQ(test, r.addr[3], 0);

	/* Too long for IPv4; fine for IPv6, with the bits past it cleared. */
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PREFIX_LEN, 33);
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    tr.tb[VMGW_A_RULE_PREFIX_LEN]);
	tr.tb[VMGW_A_RULE_IPV6] = vmgw_test_attr(test, VMGW_A_RULE_IPV6,
						 a6, 16);
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, tr.tb[VMGW_A_RULE_IPV6]);
	tr.tb[VMGW_A_RULE_IPV4] = NULL;
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PREFIX_LEN, 12);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), 0);
	KUNIT_EXPECT_EQ(test, r.family, 6);
	KUNIT_EXPECT_EQ(test, r.addr[0], 0xfd);
	KUNIT_EXPECT_EQ(test, r.addr[1], 0);
	KUNIT_EXPECT_EQ(test, r.addr[2], 0);

	/* Ports: only with TCP or UDP, port-max needs port-min, in order. */
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PORT_MIN, 443);
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    tr.tb[VMGW_A_RULE_PORT_MIN]);
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PROTO, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), 0);
	KUNIT_EXPECT_EQ(test, r.port_lo, 443);
	KUNIT_EXPECT_EQ(test, r.port_hi, 443);
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PORT_MAX, 442);
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    tr.tb[VMGW_A_RULE_PORT_MAX]);
	vmgw_nl_test_rule_set(test, &tr, VMGW_A_RULE_PORT_MAX, 8443);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), 0);
	KUNIT_EXPECT_EQ(test, r.port_hi, 8443);
	KUNIT_EXPECT_EQ(test, vmgw_rule_check(&r), 0);
	tr.tb[VMGW_A_RULE_PORT_MIN] = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_nl_rule_parse(tr.tb, &r, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    tr.tb[VMGW_A_RULE_PORT_MAX]);
}

/* A rule put by rule-get reads back as the same rule. */
static void vmgw_nl_test_rule_fill(struct kunit *test)
{
	struct vmgw_rule r = {
		.addr = { 198, 51, 100, 0 }, .family = 4, .plen = 24,
		.proto = IPPROTO_UDP, .action = VMGW_RULE_ALLOW,
		.port_lo = 53, .port_hi = 54,
	};
	struct nlattr *tb[VMGW_A_RULE_MAX + 1];
	struct vmgw_nl_test *t = test->priv;
	struct vmgw_rule back;

	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_fill(t->skb, t->dev, &r, 0, 0, 0),
			0);
	KUNIT_ASSERT_EQ(test, nlmsg_parse_deprecated(nlmsg_hdr(t->skb),
						     GENL_HDRLEN, tb,
						     VMGW_A_RULE_MAX, NULL,
						     NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[VMGW_A_RULE_IFINDEX]),
			t->dev->ifindex);
	KUNIT_ASSERT_EQ(test, vmgw_nl_rule_parse(tb, &back, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, &back, &r, sizeof(r));
}

struct vmgw_nl_test_walk {
	unsigned int seen[8];
	unsigned int calls;
	unsigned int stop_after;
};

static int vmgw_nl_test_walk_fn(void *arg, const struct vmgw_flow_info *fi)
{
	struct vmgw_nl_test_walk *w = arg;

	if (w->calls == w->stop_after)
		return -EMSGSIZE;
	w->calls++;
	w->seen[fi->key.gport - 1000]++;
	return 0;
}

/*
 * The flow walk of flow-get dumps: stopped after every flow (a full skb)
 * and resumed, it reports each live flow once, and no expired one.
 */
static void vmgw_nl_test_flow_walk(struct kunit *test)
{
	struct vmgw_nl_test *t = test->priv;
	struct vmgw_flows *flows = t->vg->policy->flows;
	struct vmgw_nl_test_walk w = { .stop_after = 1 };
	struct vmgw_flow_cursor cur = {};
	unsigned long now = jiffies;
	struct vmgw_flow_info fi;
	struct vmgw_flow_key k;
	unsigned int i, rounds = 0;
	int err;

	memset(&k, 0, sizeof(k));
	k.family = 4;
	k.guest[0] = 10;
	k.peer[0] = 192;
	k.pport = 443;
	for (i = 0; i < 8; i++) {
		k.gport = 1000 + i;
		/* Flow 7 is opened long ago: expired by now. */
		KUNIT_ASSERT_EQ(test, vmgw_flow_open(flows, &k, false,
						     i == 7 ? now - 100 * HZ :
						     now),
				VMGW_FLOW_OPENED);
	}
	do {
		w.calls = 0;
		err = vmgw_flows_walk(flows, &cur, now, vmgw_nl_test_walk_fn,
				      &w);
		KUNIT_ASSERT_TRUE(test, err == 0 || err == -EMSGSIZE);
		KUNIT_ASSERT_LT(test, ++rounds, 20);
	} while (err);
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ_MSG(test, w.seen[i], 1, "flow %u", i);
	KUNIT_EXPECT_EQ(test, w.seen[7], 0);

	k.gport = 1003;
	KUNIT_ASSERT_TRUE(test, vmgw_flow_get(flows, &k, now + HZ, &fi));
	KUNIT_EXPECT_EQ(test, fi.state, VMGW_FLOW_SYN);
	KUNIT_EXPECT_EQ(test, fi.expires, (VMGW_FLOW_SYN_TIMEOUT - 1) * HZ);
	KUNIT_EXPECT_EQ(test, vmgw_nl_flow_fill(t->skb, t->dev, &fi, 0, 0, 0),
			0);
	KUNIT_EXPECT_EQ(test, vmgw_nl_test_u32(test, t->skb,
					       VMGW_A_FLOW_EXPIRES_MS),
			(VMGW_FLOW_SYN_TIMEOUT - 1) * 1000);
	k.gport = 1007;
	KUNIT_EXPECT_FALSE(test, vmgw_flow_get(flows, &k, now, &fi));
}

static struct kunit_case vmgw_nl_test_cases[] = {
	KUNIT_CASE(vmgw_nl_test_dev_get),
	KUNIT_CASE(vmgw_nl_test_dev_fill_full),
	KUNIT_CASE(vmgw_nl_test_stats),
	KUNIT_CASE(vmgw_nl_test_rings),
	KUNIT_CASE(vmgw_nl_test_deny_udp),
	KUNIT_CASE(vmgw_nl_test_deny_partial),
	KUNIT_CASE(vmgw_nl_test_deny_no_listener),
	KUNIT_CASE(vmgw_nl_test_dev_policy),
	KUNIT_CASE(vmgw_nl_test_rule_parse),
	KUNIT_CASE(vmgw_nl_test_rule_fill),
	KUNIT_CASE(vmgw_nl_test_flow_walk),
	{}
};

static struct kunit_suite vmgw_nl_test_suite = {
	.name = "vmgw_netlink",
	.init = vmgw_nl_test_init,
	.exit = vmgw_nl_test_exit,
	.test_cases = vmgw_nl_test_cases,
};

kunit_test_suite(vmgw_nl_test_suite);
