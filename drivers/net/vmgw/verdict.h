/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy's verdict order over a classified guest frame, as a pure
 * function of the frame, an immutable configuration and a lookup of
 * DNS-learned addresses. Flow state is the caller's: the verdict says
 * "create a flow" or "needs a flow", policy.c asks flow.c.
 */
#ifndef _VMGW_VERDICT_H
#define _VMGW_VERDICT_H

#include "rules.h"

/* IPv6 addresses a guest may be configured with. */
#define VMGW_GUEST_MAX_IP6	4

/**
 * enum vmgw_mode - what passes once floor and deny rules did not stop it
 * @VMGW_MODE_OPEN: everything but unsupported UDP (the default)
 * @VMGW_MODE_ALLOWLIST: only what allow rules or learned addresses allow
 * @VMGW_MODE_MAX: number of modes
 */
enum vmgw_mode {
	VMGW_MODE_OPEN,
	VMGW_MODE_ALLOWLIST,
	VMGW_MODE_MAX,
};

/**
 * enum vmgw_deny - why the policy refused a frame
 * @VMGW_DENY_NONE: not refused
 * @VMGW_DENY_MALFORMED: the classifier found it malformed
 * @VMGW_DENY_SPOOF_MAC: source MAC is not the guest's
 * @VMGW_DENY_SPOOF_IP: source IPv4/IPv6 (or ARP sender) is not the guest's
 * @VMGW_DENY_FLOOR: destination in the floor
 * @VMGW_DENY_RULE: a deny rule matched
 * @VMGW_DENY_NOT_ALLOWED: allowlist mode and nothing allows it
 * @VMGW_DENY_UDP: UDP that is neither DNS, DHCP nor allowed by a rule
 * @VMGW_DENY_RESOLVER: DNS to a server that is not a configured resolver
 * @VMGW_DENY_NO_FLOW: TCP segment of no known flow
 * @VMGW_DENY_FLOW_CAP: TCP SYN refused because the flow table is full
 * @VMGW_DENY_CSUM: a checksum request (virtio-net %NEEDS_CSUM) that would
 *	write elsewhere than the checksum field of the L4 header judged
 * @VMGW_DENY_GSO: segmentation metadata that disagrees with the headers
 *	judged (GSO type against IP version and L4 protocol, a fragment)
 * @VMGW_DENY_MAX: number of reasons
 */
enum vmgw_deny {
	VMGW_DENY_NONE,
	VMGW_DENY_MALFORMED,
	VMGW_DENY_SPOOF_MAC,
	VMGW_DENY_SPOOF_IP,
	VMGW_DENY_FLOOR,
	VMGW_DENY_RULE,
	VMGW_DENY_NOT_ALLOWED,
	VMGW_DENY_UDP,
	VMGW_DENY_RESOLVER,
	VMGW_DENY_NO_FLOW,
	VMGW_DENY_FLOW_CAP,
	VMGW_DENY_CSUM,
	VMGW_DENY_GSO,
	VMGW_DENY_MAX,
};

/**
 * enum vmgw_act - what to do with a frame
 * @VMGW_ACT_PASS: deliver it
 * @VMGW_ACT_DROP: drop it, counted under the verdict's reason
 * @VMGW_ACT_RST: drop a TCP SYN and answer the guest with a RST
 * @VMGW_ACT_FLOW_NEW: a TCP SYN the policy allows: deliver it if a flow
 *	can be created (or exists), else %VMGW_ACT_RST with
 *	%VMGW_DENY_FLOW_CAP
 * @VMGW_ACT_FLOW_NEED: a TCP segment: deliver it if its flow exists, else
 *	drop it with %VMGW_DENY_NO_FLOW
 */
enum vmgw_act {
	VMGW_ACT_PASS,
	VMGW_ACT_DROP,
	VMGW_ACT_RST,
	VMGW_ACT_FLOW_NEW,
	VMGW_ACT_FLOW_NEED,
};

/**
 * struct vmgw_verdict - the policy's answer for one frame
 * @act: &enum vmgw_act
 * @why: &enum vmgw_deny for %VMGW_ACT_DROP and %VMGW_ACT_RST
 */
struct vmgw_verdict {
	u8 act;
	u8 why;
};

/**
 * struct vmgw_guest_id - the addresses a guest may send from (anti-spoof)
 * @mac: its MAC address, when @mac_set
 * @ip4: its IPv4 address, when @ip4_set
 * @ip6: its IPv6 addresses (link-local ones included, if it is to use
 *	them), @n_ip6 of them
 * @mac_set: the source MAC is checked
 * @ip4_set: IPv4 sources (and ARP senders) are checked
 * @n_ip6: IPv6 sources are checked when not 0
 */
struct vmgw_guest_id {
	u8 mac[6];
	u8 ip4[4];
	u8 ip6[VMGW_GUEST_MAX_IP6][16];
	bool mac_set;
	bool ip4_set;
	u8 n_ip6;
};

/*
 * Is @addr (IPv4 in 4 bytes, or 16) a learned address, or an address of
 * the gateway namespace?
 */
typedef bool (*vmgw_learned_fn)(const void *ctx, u8 family, const u8 *addr);

/**
 * struct vmgw_verdict_cfg - the configuration a verdict is taken under
 * @mode: &enum vmgw_mode
 * @floor: &enum vmgw_floor
 * @guest: anti-spoof addresses
 * @rules: allow and deny rules, or NULL
 * @resolvers: DNS servers (as allow rules) the guest may query, or NULL
 *	for any
 * @learning: allowed hosts are configured: learned addresses count as
 *	allowed
 * @gw_addr: whether an address is one of the gateway namespace's own
 *	(asked with the verdict's context), or NULL for none: bounds DHCP,
 *	DHCPv6, NDP and allowlist DNS without resolvers
 */
struct vmgw_verdict_cfg {
	u8 mode;
	u8 floor;
	struct vmgw_guest_id guest;
	const struct vmgw_ruleset *rules;
	const struct vmgw_ruleset *resolvers;
	bool learning;
	vmgw_learned_fn gw_addr;
};

/**
 * enum vmgw_gso - the segmentation a guest frame asks for
 * @VMGW_GSO_NONE: none
 * @VMGW_GSO_TCPV4: TCP over IPv4 (TSO4)
 * @VMGW_GSO_TCPV6: TCP over IPv6 (TSO6)
 * @VMGW_GSO_UDP: UDP (UFO or UDP segmentation), either family
 * @VMGW_GSO_OTHER: anything else
 */
enum vmgw_gso {
	VMGW_GSO_NONE,
	VMGW_GSO_TCPV4,
	VMGW_GSO_TCPV6,
	VMGW_GSO_UDP,
	VMGW_GSO_OTHER,
};

/**
 * struct vmgw_offload - what the stack will still write into a guest frame
 * @csum: a checksum is to be computed and stored (CHECKSUM_PARTIAL)
 * @csum_start: where the checksummed data starts, from the frame's start
 * @csum_offset: where the checksum is stored, from @csum_start
 * @gso: &enum vmgw_gso
 */
struct vmgw_offload {
	bool csum;
	int csum_start;
	unsigned int csum_offset;
	u8 gso;
};

extern const char * const vmgw_deny_names[VMGW_DENY_MAX];

struct vmgw_verdict vmgw_verdict(const struct vmgw_verdict_cfg *cfg,
				 const struct vmgw_frame_info *fi,
				 const u8 *src_mac, vmgw_learned_fn learned,
				 const void *ctx);
enum vmgw_deny vmgw_verdict_offload(const struct vmgw_frame_info *fi,
				    const struct vmgw_offload *o);

#endif /* _VMGW_VERDICT_H */
