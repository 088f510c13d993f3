/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmgw: in-kernel network gateway for microVM guests.
 *
 * Userspace interface shared by the module, vmgwctl and the test tools.
 */
#ifndef _UAPI_LINUX_VMGW_H
#define _UAPI_LINUX_VMGW_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/vmgw_netlink.h>	/* generic netlink family, generated */

/* rtnetlink link kind: ip link add NAME netns NS type vmgw */
#define VMGW_LINK_KIND		"vmgw"

/*
 * /dev/vmgw ioctls of vmgw's own (the tun ones it shares are in if_tun.h).
 * Type 0xE7 is unused in Documentation/userspace-api/ioctl/ioctl-number.rst.
 */
#define VMGW_IOC_MAGIC		0xE7

/*
 * Batched frames: VMGWSETBATCH takes an unsigned int of VMGW_BATCH_* bits.
 * With VMGW_BATCH_WRITE a write() carries up to VMGW_BATCH_MAX records, with
 * VMGW_BATCH_READ a read() returns as many as fit. A record is a struct
 * vmgw_batch_rec, then the virtio-net header (with IFF_VNET_HDR), then one
 * Ethernet frame; @len counts header and frame. Records follow each other
 * without padding. Both calls return the bytes of the whole records they
 * took or gave. A write stops before the first record it refuses, and
 * fails with that record's error only when it is the first one. The
 * batch bits are per open file and may be changed at any time.
 */
#define VMGW_BATCH_WRITE	(1U << 0)
#define VMGW_BATCH_READ		(1U << 1)
#define VMGW_BATCH_MAX		64

/**
 * struct vmgw_batch_rec - the prefix of one record of a batch
 * @len: bytes that follow: virtio-net header (if enabled) and frame; in
 *	the host's byte order
 */
struct vmgw_batch_rec {
	__u32	len;
};

#define VMGWSETBATCH		_IOW(VMGW_IOC_MAGIC, 0x01, unsigned int)
#define VMGWGETBATCH		_IOR(VMGW_IOC_MAGIC, 0x02, unsigned int)

#endif /* _UAPI_LINUX_VMGW_H */
