/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VMGW_H
#define _VMGW_H

#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/ratelimit_types.h>
#include <linux/wait.h>
#include <net/dropreason.h>
#include <net/rtnetlink.h>

#include "stats.h"
#include "verdict.h"

#define VMGW_DRV_NAME		"vmgw"

/*
 * Fixed misc minor of /dev/vmgw, so that devtmpfs can create the node from
 * modules.devname and the first open() loads the module. Not in the range
 * either 6.1 (0-127) or 6.12+ (256 and up) hands out dynamically.
 */
#define VMGW_MINOR		246

#define VMGW_RING_DEFAULT	1024
#define VMGW_RING_MIN		16
#define VMGW_RING_MAX		16384
/* Ring size limit for a caller without CAP_NET_ADMIN in the initial user ns. */
#define VMGW_RING_MAX_UNPRIV	1024
#define VMGW_RING_UNPRIV_MSG	\
	"ring sizes above 1024 need CAP_NET_ADMIN in the initial user namespace"

/* Offloads towards the guest, allowed by its reader with TUNSETOFFLOAD. */
#define VMGW_OFFLOAD_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_TSO | \
				 NETIF_F_TSO6 | NETIF_F_TSO_ECN)

/* Longest non-linear DNS payload to the guest that is learned from. */
#define VMGW_TX_DNS_BUF		4096

/* Largest frame a guest may write: a 64 KiB GSO frame plus its L2 header. */
#define VMGW_MAX_FRAME		(ETH_HLEN + VLAN_HLEN + 65535)

struct file;
struct vmgw_dev;
struct vmgw_policy;

/**
 * struct vmgw_queue - one open /dev/vmgw file: a queue of a vmgw device
 * @vg: device the file is attached to; NULL before TUNSETIFF and after the
 *	device is gone. Written under RTNL, read under RCU by the file ops.
 * @g2h: guest -> host frames: produced by write() (process context, only
 *	producer), consumed only by @napi (or by the detach path once @napi is
 *	disabled), so the poll uses the lockless peek/discard calls.
 * @h2g: host -> guest frames: produced by ndo_start_xmit (BH), consumed by
 *	read() and the detach path.
 * @napi: polls @g2h; registered on the device while attached.
 * @wq: readers, blocked writers and poll() wait here.
 * @flags: IFF_* flags given to TUNSETIFF (IFF_TAP|IFF_NO_PI[|IFF_VNET_HDR]).
 * @vnet_hdr_sz: virtio-net header size, 10 or 12 bytes.
 * @offloads: TUN_F_* bits the reader accepts (TUNSETOFFLOAD).
 * @batch: VMGW_BATCH_* bits (VMGWSETBATCH): records of several frames per
 *	write() and read().
 * @memcg: memory cgroup of the process that attached (the VMM), charged
 *	for what its guest makes the device allocate in softirq (flows,
 *	learned addresses); a reference from attach to detach, or NULL.
 * @napi_enabled: @napi is enabled (device up and attached); RTNL.
 * @dead: the device this file was attached to is gone: read/write fail
 *	with -ENODEV and poll reports EPOLLERR|EPOLLHUP.
 * @attached: from the attach to the very end of the detach (RTNL; read
 *	without it by release(), which takes RTNL only when it is set)
 *
 * Lifetime: allocated at open(), freed at release(). Attach and detach run
 * under RTNL; detach (device deletion or release) unpublishes the queue,
 * waits for RCU readers, disables and deletes @napi, then frees every frame
 * left in both rings. The rings' memory lives until release().
 */
struct vmgw_queue {
	struct vmgw_dev __rcu	*vg;
	struct ptr_ring		g2h;
	struct ptr_ring		h2g;
	struct napi_struct	napi;
	wait_queue_head_t	wq;
	unsigned int		flags;
	int			vnet_hdr_sz;
	unsigned int		offloads;
	unsigned int		batch;
	struct mem_cgroup	*memcg;
	bool			napi_enabled;
	bool			dead;
	bool			attached;
};

/**
 * struct vmgw_dev - private part of a vmgw net_device
 * @dev: the net_device this is the private area of
 * @stats: per-cpu counters; allocated in ndo_init, freed by the destructor
 * @queue: the attached file, or NULL; written under RTNL, read under
 *	RCU-bh by ndo_start_xmit.
 * @g2h_size: ring size for guest -> host frames (ethtool -G rx), RTNL
 * @h2g_size: ring size for host -> guest frames (ethtool -G tx), RTNL
 * @offload_features: netdev features the attached reader accepts, RTNL
 * @deny_rs: limits deny events on the netlink events group (netlink-event.c)
 * @deny_missed: denials the limit kept from the events group since the
 *	last deny event
 * @policy: policy and its state (flows, learned addresses); allocated in
 *	ndo_init, freed by the destructor
 * @dns_lock: serialises learning from DNS answers in ndo_start_xmit (the
 *	users of @dns_buf and the DNS stream positions of the flows) even
 *	with several tx queues; taken only for DNS answers from resolvers
 * @dns_buf: %VMGW_TX_DNS_BUF bytes where ndo_start_xmit copies a DNS
 *	answer that is not in the linear part of its skb, and each DNS over
 *	TCP message it parses; under @dns_lock. Allocated in ndo_init, freed
 *	by the destructor.
 */
struct vmgw_dev {
	struct net_device		*dev;
	struct vmgw_pcpu_stats __percpu	*stats;
	struct vmgw_queue __rcu		*queue;
	u32				g2h_size;
	u32				h2g_size;
	netdev_features_t		offload_features;
	struct ratelimit_state		deny_rs;
	atomic_t			deny_missed;
	struct vmgw_policy		*policy;
	spinlock_t			dns_lock;	/* @dns_buf, streams */
	u8				*dns_buf;
};

extern struct rtnl_link_ops vmgw_link_ops;

int vmgw_link_validate(struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack);
bool vmgw_dev_is_vmgw(const struct net_device *dev);
u32 vmgw_ring_max(void);

struct vmgw_queue *vmgw_queue_alloc(void);
void vmgw_queue_free(struct vmgw_queue *q);
ssize_t vmgw_queue_write(struct vmgw_queue *q, struct iov_iter *from,
			 bool nonblock);
ssize_t vmgw_queue_read(struct vmgw_queue *q, struct iov_iter *to,
			bool nonblock);
ssize_t vmgw_queue_write_frame(struct vmgw_queue *q, struct iov_iter *from,
			       bool kick);
void vmgw_queue_kick(struct vmgw_queue *q);
int vmgw_queue_attach(struct vmgw_queue *q, struct net_device *dev);
void vmgw_queue_detach(struct vmgw_queue *q);
void vmgw_queue_napi_start(struct vmgw_queue *q);
void vmgw_queue_napi_stop(struct vmgw_queue *q);
void vmgw_queue_stop(struct vmgw_queue *q);
netdev_features_t vmgw_offload_features(const struct vmgw_queue *q);
void vmgw_queue_set_offloads(struct vmgw_queue *q);

enum skb_drop_reason vmgw_rx_drop_reason(enum vmgw_deny deny,
					 enum vmgw_stat *why);
int vmgw_rx_poll(struct napi_struct *napi, int budget);
netdev_tx_t vmgw_tx_xmit(struct sk_buff *skb, struct net_device *dev);
bool vmgw_skb_l4_payload(const struct sk_buff *skb,
			 const struct vmgw_frame_info *fi,
			 unsigned int *start, unsigned int *end);
void vmgw_tx_wake(struct vmgw_queue *q, struct net_device *dev);

int vmgw_chrdev_register(void);
void vmgw_chrdev_unregister(void);
struct vmgw_queue *vmgw_chrdev_queue(struct file *file);

int vmgw_vhost_register(void);
void vmgw_vhost_unregister(void);
#if IS_ENABLED(CONFIG_VMGW_KUNIT_TEST)
struct file *vmgw_vhost_test_file(void);
#endif

#endif /* _VMGW_H */
