// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: validation of "ip link add ... type vmgw" requests, and the device
 * a setup produces.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netdevice.h>
#include <net/netlink.h>
#include <net/pkt_sched.h>

#include "testdev.h"
#include "vmgw.h"

static int vmgw_test_validate_addr(struct kunit *test, const u8 *addr,
				   int len, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};

	tb[IFLA_ADDRESS] = vmgw_test_attr(test, IFLA_ADDRESS, addr, len);
	return vmgw_link_validate(tb, NULL, extack);
}

static void vmgw_device_test_validate_none(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, vmgw_link_validate(tb, NULL, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void vmgw_device_test_validate_unicast(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test,
			vmgw_test_validate_addr(test, mac, ETH_ALEN, &extack),
			0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void vmgw_device_test_validate_short(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct netlink_ext_ack extack = {};
	int len;

	for (len = 0; len <= ETH_ALEN + 2; len++) {
		u8 buf[ETH_ALEN + 2] = {};

		if (len == ETH_ALEN)
			continue;
		memcpy(buf, mac, min_t(int, len, ETH_ALEN));
		extack._msg = NULL;
		KUNIT_EXPECT_EQ(test,
				vmgw_test_validate_addr(test, buf, len, &extack),
				-EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	}
}

static void vmgw_device_test_validate_bad_addr(struct kunit *test)
{
	static const u8 mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 zero[ETH_ALEN] = {};
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test,
			vmgw_test_validate_addr(test, mcast, ETH_ALEN, &extack),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test,
			vmgw_test_validate_addr(test, bcast, ETH_ALEN, &extack),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test,
			vmgw_test_validate_addr(test, zero, ETH_ALEN, &extack),
			-EADDRNOTAVAIL);
}

/* IFLA_LINKINFO { KIND "vmgw", DATA { anything } } is refused. */
static void vmgw_device_test_validate_info_data(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};
	struct nlattr *kind, *data, *info;
	u32 unknown = 7;
	u8 *buf;
	int len;

	kind = vmgw_test_attr(test, IFLA_INFO_KIND, "vmgw", 5);
	data = vmgw_test_attr(test, IFLA_INFO_DATA, &unknown, sizeof(unknown));
	len = nla_total_size(5) + nla_total_size(sizeof(unknown));
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, kind, nla_total_size(5));
	memcpy(buf + nla_total_size(5), data, nla_total_size(sizeof(unknown)));
	info = vmgw_test_attr(test, IFLA_LINKINFO, buf, len);

	tb[IFLA_LINKINFO] = info;
	KUNIT_EXPECT_EQ(test, vmgw_link_validate(tb, NULL, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);

	/* The kind alone is fine. */
	tb[IFLA_LINKINFO] = vmgw_test_attr(test, IFLA_LINKINFO, kind,
					   nla_total_size(5));
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, vmgw_link_validate(tb, NULL, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void vmgw_device_test_setup(struct kunit *test)
{
	struct net_device *dev;

	dev = alloc_netdev(vmgw_link_ops.priv_size, "vmgwt%d",
			   NET_NAME_UNKNOWN, vmgw_link_ops.setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, dev->type, ARPHRD_ETHER);
	KUNIT_EXPECT_TRUE(test, is_valid_ether_addr(dev->dev_addr));
	KUNIT_EXPECT_EQ(test, dev->min_mtu, ETH_MIN_MTU);
	KUNIT_EXPECT_EQ(test, dev->max_mtu, ETH_MAX_MTU - ETH_HLEN);
	KUNIT_EXPECT_FALSE(test, dev->priv_flags & IFF_NO_QUEUE);
	KUNIT_EXPECT_EQ(test, dev->tx_queue_len, DEFAULT_TX_QUEUE_LEN);
	KUNIT_EXPECT_EQ(test, ((struct vmgw_dev *)netdev_priv(dev))->g2h_size,
			VMGW_RING_DEFAULT);
	KUNIT_EXPECT_PTR_EQ(test,
			    ((struct vmgw_dev *)netdev_priv(dev))->dev, dev);
	KUNIT_EXPECT_NOT_NULL(test, dev->ethtool_ops->get_ethtool_stats);
	free_netdev(dev);
}

static struct kunit_case vmgw_device_test_cases[] = {
	KUNIT_CASE(vmgw_device_test_validate_none),
	KUNIT_CASE(vmgw_device_test_validate_unicast),
	KUNIT_CASE(vmgw_device_test_validate_short),
	KUNIT_CASE(vmgw_device_test_validate_bad_addr),
	KUNIT_CASE(vmgw_device_test_validate_info_data),
	KUNIT_CASE(vmgw_device_test_setup),
	{}
};

static struct kunit_suite vmgw_device_test_suite = {
	.name = "vmgw_device",
	.test_cases = vmgw_device_test_cases,
};

kunit_test_suite(vmgw_device_test_suite);
