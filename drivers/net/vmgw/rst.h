/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP RST that answers a guest SYN the policy refuses, built as a
 * whole Ethernet frame from the SYN's bytes: a pure unit (no skb), built
 * in the kernel and in userspace.
 */
#ifndef _VMGW_RST_H
#define _VMGW_RST_H

#include "pure.h"

/* Longest RST frame: Ethernet, one VLAN tag, IPv6, TCP without options. */
#define VMGW_RST_MAX_LEN	(ETH_HLEN + 4 + 40 + 20)

unsigned int vmgw_rst_build(const u8 *syn, unsigned int view_len,
			    const struct vmgw_frame_info *fi, u8 *out,
			    unsigned int out_len);
u16 vmgw_csum_fold(u32 sum);
u32 vmgw_csum_add(u32 sum, const u8 *p, unsigned int len);

#endif /* _VMGW_RST_H */
