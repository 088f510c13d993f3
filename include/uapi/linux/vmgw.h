/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmgw: in-kernel network gateway for microVM guests.
 *
 * Userspace interface shared by the module, vmgwctl and the test tools.
 */
#ifndef _UAPI_LINUX_VMGW_H
#define _UAPI_LINUX_VMGW_H

#include <linux/vmgw_netlink.h>	/* generic netlink family, generated */

/* rtnetlink link kind: ip link add NAME netns NS type vmgw */
#define VMGW_LINK_KIND		"vmgw"

#endif /* _UAPI_LINUX_VMGW_H */
