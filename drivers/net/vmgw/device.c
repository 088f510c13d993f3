// SPDX-License-Identifier: GPL-2.0
/*
 * The vmgw net_device: rtnl link kind, netdev and ethtool operations.
 *
 * Lifetime: a device is created by "ip link add NAME netns NS type vmgw"
 * directly inside the private namespace. rtnl_link_ops is always set, so
 * when that namespace dies the core deletes the device instead of moving it
 * back to init_net, and rtnl_link_unregister() on module exit deletes every
 * device left in any namespace.
 */
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <uapi/linux/vmgw.h>

#include "netlink.h"
#include "policy.h"
#include "vmgw.h"

static int vmgw_dev_init(struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	spin_lock_init(&vg->dns_lock);
	vg->stats = vmgw_stats_alloc();
	if (!vg->stats)
		return -ENOMEM;
	vg->policy = vmgw_policy_alloc();
	if (!vg->policy)
		goto free_stats;
	vg->policy->dev = dev;
	vg->dns_buf = kmalloc(VMGW_TX_DNS_BUF, GFP_KERNEL_ACCOUNT);
	if (!vg->dns_buf)
		goto free_policy;
	/* Until ndo_uninit; see policy.c for the teardown order. */
	vmgw_policy_gc_start(vg->policy);
	return 0;

free_policy:
	vmgw_policy_free(vg->policy);
	vg->policy = NULL;
free_stats:
	vmgw_stats_free(vg->stats);
	vg->stats = NULL;
	return -ENOMEM;
}

/* Also after a failed ndo_init: the pointers may be NULL. */
static void vmgw_dev_free(struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	kfree(vg->dns_buf);
	vmgw_policy_free(vg->policy);
	vmgw_stats_free(vg->stats);
}

/*
 * Unregistering: the attached file, if any, loses its device, and the
 * policy's periodic collection stops (it takes no RTNL: waiting for it
 * here cannot deadlock).
 */
static void vmgw_dev_uninit(struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	struct vmgw_queue *q = rtnl_dereference(vg->queue);

	if (q)
		vmgw_queue_detach(q);
	vmgw_policy_gc_stop(vg->policy);
}

static int vmgw_open(struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	struct vmgw_queue *q = rtnl_dereference(vg->queue);

	if (q)
		vmgw_queue_napi_start(q);
	return 0;
}

static int vmgw_stop(struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	struct vmgw_queue *q = rtnl_dereference(vg->queue);

	if (q)
		vmgw_queue_stop(q);
	return 0;
}

/* Offloads towards the guest only as far as its reader accepts them. */
static netdev_features_t vmgw_fix_features(struct net_device *dev,
					   netdev_features_t features)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	return features & (~VMGW_OFFLOAD_FEATURES | vg->offload_features);
}

static void vmgw_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *tot)
{
	struct vmgw_dev *vg = netdev_priv(dev);
	u64 c[VMGW_STAT_MAX];
	int i;

	vmgw_stats_read(vg->stats, c);
	tot->rx_packets = c[VMGW_STAT_RX_PACKETS];
	tot->rx_bytes = c[VMGW_STAT_RX_BYTES];
	tot->tx_packets = c[VMGW_STAT_TX_PACKETS];
	tot->tx_bytes = c[VMGW_STAT_TX_BYTES];
	for (i = VMGW_STAT_RX_DROP_FIRST; i <= VMGW_STAT_RX_DROP_LAST; i++)
		tot->rx_dropped += c[i];
	for (i = VMGW_STAT_WRITE_ERR_FIRST; i <= VMGW_STAT_WRITE_ERR_LAST; i++)
		tot->rx_errors += c[i];
	tot->rx_length_errors = c[VMGW_STAT_WRITE_ERR_SHORT] +
				c[VMGW_STAT_WRITE_ERR_LONG];
	tot->rx_frame_errors = c[VMGW_STAT_WRITE_ERR_VNET_HDR];
	for (i = VMGW_STAT_TX_DROP_FIRST; i <= VMGW_STAT_TX_DROP_LAST; i++)
		tot->tx_dropped += c[i];
}

static const struct net_device_ops vmgw_netdev_ops = {
	.ndo_init		= vmgw_dev_init,
	.ndo_uninit		= vmgw_dev_uninit,
	.ndo_open		= vmgw_open,
	.ndo_stop		= vmgw_stop,
	.ndo_start_xmit		= vmgw_tx_xmit,
	.ndo_fix_features	= vmgw_fix_features,
	.ndo_get_stats64	= vmgw_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void vmgw_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, VMGW_DRV_NAME, sizeof(info->driver));
}

static int vmgw_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? VMGW_STAT_MAX : -EOPNOTSUPP;
}

static void vmgw_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < VMGW_STAT_MAX; i++)
		vmgw_stat_name(i, buf + i * ETH_GSTRING_LEN);
}

/**
 * vmgw_ring_max() - the largest ring the caller may configure
 *
 * Who holds CAP_NET_ADMIN in the initial user namespace may size a ring
 * up to %VMGW_RING_MAX frames; anyone else (an unprivileged user in a
 * user namespace of their own) up to %VMGW_RING_MAX_UNPRIV, which bounds
 * what such a user makes the host hold per device.
 *
 * Context: process (the configuring task).
 * Return: the limit, in frames.
 */
u32 vmgw_ring_max(void)
{
	return ns_capable_noaudit(&init_user_ns, CAP_NET_ADMIN) ?
	       VMGW_RING_MAX : VMGW_RING_MAX_UNPRIV;
}

/* rx is guest -> host (g2h), tx is host -> guest (h2g). */
static void vmgw_get_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	ring->rx_max_pending = VMGW_RING_MAX;
	ring->tx_max_pending = VMGW_RING_MAX;
	ring->rx_pending = vg->g2h_size;
	ring->tx_pending = vg->h2g_size;
}

/* Rings are sized at attach time and never resized while NAPI may run. */
static int vmgw_set_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	if (ring->rx_pending < VMGW_RING_MIN ||
	    ring->tx_pending < VMGW_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "ring size below the minimum of "
				   __stringify(VMGW_RING_MIN));
		return -EINVAL;
	}
	if (ring->rx_pending > vmgw_ring_max() ||
	    ring->tx_pending > vmgw_ring_max()) {
		NL_SET_ERR_MSG_MOD(extack,
				   VMGW_RING_UNPRIV_MSG);
		return -EPERM;
	}
	if (rtnl_dereference(vg->queue)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ring size cannot change while a file is attached");
		return -EBUSY;
	}
	vg->g2h_size = ring->rx_pending;
	vg->h2g_size = ring->tx_pending;
	return 0;
}

static void vmgw_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *estats, u64 *data)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	vmgw_stats_read(vg->stats, data);
	vmgw_policy_stats_fill(vg->policy, data);
}

static const struct ethtool_ops vmgw_ethtool_ops = {
	.get_drvinfo		= vmgw_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= vmgw_get_sset_count,
	.get_strings		= vmgw_get_strings,
	.get_ethtool_stats	= vmgw_get_ethtool_stats,
	.get_ringparam		= vmgw_get_ringparam,
	.set_ringparam		= vmgw_set_ringparam,
};

static void vmgw_setup(struct net_device *dev)
{
	struct vmgw_dev *vg = netdev_priv(dev);

	ether_setup(dev);
	vg->dev = dev;
	dev->netdev_ops = &vmgw_netdev_ops;
	dev->ethtool_ops = &vmgw_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vmgw_dev_free;
	/* A qdisc (no IFF_NO_QUEUE) holds frames while the h2g ring is full. */
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->hw_features = VMGW_OFFLOAD_FEATURES;
	dev->features = VMGW_OFFLOAD_FEATURES;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU - ETH_HLEN;
	vg->g2h_size = VMGW_RING_DEFAULT;
	vg->h2g_size = VMGW_RING_DEFAULT;
	vmgw_nl_dev_setup(vg);
	eth_hw_addr_random(dev);
}

/**
 * vmgw_link_validate() - check the attributes of a new or changed link
 * @tb: IFLA_* attributes of the request
 * @data: IFLA_INFO_DATA attributes, parsed (the kind has none)
 * @extack: receives the reason of a refusal
 *
 * The kind declares no IFLA_INFO_DATA attributes, so rtnetlink would drop
 * any silently; they are refused here instead, from the raw IFLA_LINKINFO.
 *
 * Return: 0, -EINVAL for a link address that is not 6 bytes or for any
 * IFLA_INFO_DATA, or -EADDRNOTAVAIL for a multicast or all-zero address.
 */
int vmgw_link_validate(struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct nlattr *addr = tb[IFLA_ADDRESS];
	struct nlattr *info_data;

	info_data = tb[IFLA_LINKINFO] ?
		nla_find_nested(tb[IFLA_LINKINFO], IFLA_INFO_DATA) : NULL;
	if (info_data) {
		NL_SET_ERR_MSG_ATTR(extack, info_data,
				    "vmgw: the link kind takes no attributes; use the vmgw generic netlink family");
		return -EINVAL;
	}

	if (!addr)
		return 0;
	if (nla_len(addr) != ETH_ALEN) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "vmgw: link address must be 6 bytes");
		return -EINVAL;
	}
	if (!is_valid_ether_addr(nla_data(addr))) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "vmgw: link address must be unicast and not zero");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* rtnetlink already placed the device in the target namespace. */
#ifdef VMGW_HAVE_RTNL_NEWLINK_PARAMS
static int vmgw_newlink(struct net_device *dev,
			struct rtnl_newlink_params *params,
			struct netlink_ext_ack *extack)
#else
static int vmgw_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
#endif
{
	/* No guest until a file attaches. */
	netif_carrier_off(dev);
	return register_netdevice(dev);
}

/**
 * vmgw_dev_is_vmgw() - whether a net_device is a vmgw device
 * @dev: any net_device
 *
 * Return: true for devices created by this module.
 */
bool vmgw_dev_is_vmgw(const struct net_device *dev)
{
	return dev->netdev_ops == &vmgw_netdev_ops;
}

struct rtnl_link_ops vmgw_link_ops __read_mostly = {
	.kind		= VMGW_LINK_KIND,
	.priv_size	= sizeof(struct vmgw_dev),
	.setup		= vmgw_setup,
	.validate	= vmgw_link_validate,
	.newlink	= vmgw_newlink,
};
