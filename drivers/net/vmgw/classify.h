/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frame classifier: a pure function over a bounded byte view of an Ethernet
 * frame. It builds in the kernel and, through the compat section below, in
 * userspace (fuzzing, instruction counting): no skb, no allocation, no
 * logging, only fixed-width types and the byte helpers defined here.
 */
#ifndef _VMGW_CLASSIFY_H
#define _VMGW_CLASSIFY_H

#ifdef __KERNEL__
#include <linux/types.h>
#else /* userspace compat: the few kernel names classify.c uses */
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;

#ifndef ETH_HLEN
#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define ETH_P_IPV6	0x86DD
#define ETH_P_8021AD	0x88A8
#endif
#endif /* __KERNEL__ */

/* Bytes at the start of a frame the classifier may look at. */
#define VMGW_CLASSIFY_VIEW	256

/* Well-known ports the classifier and the verdict both act on. */
#define VMGW_PORT_DNS		53
#define VMGW_PORT_DHCP_SERVER	67
#define VMGW_PORT_DHCP_CLIENT	68
#define VMGW_PORT_DHCPV6_CLIENT	546
#define VMGW_PORT_DHCPV6_SERVER	547

/* Most IPv6 extension headers walked before a frame counts as malformed. */
#define VMGW_CLASSIFY_MAX_EXTHDRS	8

/**
 * enum vmgw_class - what a guest frame is, as far as the policy cares
 * @VMGW_CLASS_MALFORMED: fails a length or consistency check; see
 *	&struct vmgw_frame_info.why
 * @VMGW_CLASS_ARP: Ethernet/IPv4 ARP
 * @VMGW_CLASS_OTHER_ETHERTYPE: neither ARP, IPv4 nor IPv6
 * @VMGW_CLASS_IPV4_OTHER: IPv4 with an L4 protocol not classified further
 * @VMGW_CLASS_IPV6_OTHER: IPv6 with an L4 protocol not classified further
 *	(including ESP and "no next header")
 * @VMGW_CLASS_FRAGMENT: a non-first IPv4 or IPv6 fragment (no L4 header)
 * @VMGW_CLASS_TCP_SYN: TCP with SYN and without ACK, whatever the ports (a
 *	SYN to port 53 is TCP_SYN: the policy creates flow state for it)
 * @VMGW_CLASS_TCP: any other TCP segment not to or from port 53
 * @VMGW_CLASS_DNS: UDP or non-SYN TCP with port 53 on either side
 * @VMGW_CLASS_DHCP: UDP to port 67 or 68 (IPv4), 546 or 547 (IPv6)
 * @VMGW_CLASS_UDP: any other UDP datagram
 * @VMGW_CLASS_ICMP: ICMP over IPv4
 * @VMGW_CLASS_ICMPV6: ICMPv6 other than neighbour discovery
 * @VMGW_CLASS_NDP: ICMPv6 types 133-137 (RS, RA, NS, NA, redirect), not
 *	behind a fragment header (RFC 6980; Linux drops those)
 * @VMGW_CLASS_MAX: number of classes
 */
enum vmgw_class {
	VMGW_CLASS_MALFORMED,
	VMGW_CLASS_ARP,
	VMGW_CLASS_OTHER_ETHERTYPE,
	VMGW_CLASS_IPV4_OTHER,
	VMGW_CLASS_IPV6_OTHER,
	VMGW_CLASS_FRAGMENT,
	VMGW_CLASS_TCP_SYN,
	VMGW_CLASS_TCP,
	VMGW_CLASS_DNS,
	VMGW_CLASS_DHCP,
	VMGW_CLASS_UDP,
	VMGW_CLASS_ICMP,
	VMGW_CLASS_ICMPV6,
	VMGW_CLASS_NDP,
	VMGW_CLASS_MAX,
};

/**
 * enum vmgw_malformed - why a frame is %VMGW_CLASS_MALFORMED
 * @VMGW_MAL_NONE: not malformed
 * @VMGW_MAL_TRUNCATED_ETH: shorter than the Ethernet header (and its tag)
 * @VMGW_MAL_QINQ: a second VLAN tag, or an 802.1ad S-tag
 * @VMGW_MAL_TRUNCATED_L3: shorter than the fixed IPv4 (20) or IPv6 (40)
 *	header
 * @VMGW_MAL_BAD_IP_VERSION: IP version does not match the ethertype
 * @VMGW_MAL_BAD_IHL: IPv4 IHL below 5, or options past the frame or view
 * @VMGW_MAL_IP_LEN: IPv4 total length below the header or beyond the
 *	frame, or IPv6 payload length beyond the frame
 * @VMGW_MAL_EXTHDR_CHAIN: more than %VMGW_CLASSIFY_MAX_EXTHDRS IPv6
 *	extension headers, hop-by-hop not first, a header longer than the
 *	payload, or headers (or the L4 header after them) beyond the view
 * @VMGW_MAL_TRUNCATED_L4: the payload ends inside the fixed TCP (20), UDP
 *	(8), ICMP or ICMPv6 (8) header
 * @VMGW_MAL_BAD_TCP_DOFF: TCP data offset below 5 or past the payload
 * @VMGW_MAL_TRUNCATED_ARP: shorter than the 28-byte Ethernet/IPv4 ARP body
 * @VMGW_MAL_BAD_ARP: ARP for other than Ethernet/IPv4 (or wrong lengths)
 * @VMGW_MAL_UDP_LEN: UDP length below 8, or beyond the IP payload of an
 *	unfragmented datagram
 * @VMGW_MAL_BAD_FRAG: fragment reaching past 65535 bytes, IPv4 TCP
 *	fragment at offset 8 (RFC 1858), IPv6 non-last fragment not a
 *	multiple of 8, or a second IPv6 fragment header
 * @VMGW_MAL_TCP_FLAGS: SYN together with FIN or RST
 * @VMGW_MAL_MAX: number of reasons
 */
enum vmgw_malformed {
	VMGW_MAL_NONE,
	VMGW_MAL_TRUNCATED_ETH,
	VMGW_MAL_QINQ,
	VMGW_MAL_TRUNCATED_L3,
	VMGW_MAL_BAD_IP_VERSION,
	VMGW_MAL_BAD_IHL,
	VMGW_MAL_IP_LEN,
	VMGW_MAL_EXTHDR_CHAIN,
	VMGW_MAL_TRUNCATED_L4,
	VMGW_MAL_BAD_TCP_DOFF,
	VMGW_MAL_TRUNCATED_ARP,
	VMGW_MAL_BAD_ARP,
	VMGW_MAL_UDP_LEN,
	VMGW_MAL_BAD_FRAG,
	VMGW_MAL_TCP_FLAGS,
	VMGW_MAL_MAX,
};

/**
 * struct vmgw_frame_info - what vmgw_classify() found in a frame
 * @class: the class, also returned by vmgw_classify()
 * @why: reason when @class is %VMGW_CLASS_MALFORMED, else %VMGW_MAL_NONE
 * @ethertype: host order, after at most one 802.1Q tag
 * @vlan_tci: host order, valid when @vlan
 * @vlan: the frame carries one 802.1Q tag
 * @ip_version: 0, 4 or 6
 * @hop_limit: IPv4 TTL or IPv6 hop limit
 * @l4_proto: IPPROTO_* after the IPv6 extension headers (for a fragment:
 *	the protocol it belongs to)
 * @frag_first: first fragment of a fragmented datagram (its L4 header is
 *	parsed; the UDP length covers the whole datagram and is not checked)
 * @l3_off: offset of the ARP or IP header (the payload of other ethertypes)
 * @l4_off: offset of the L4 header (of the fragment data for a fragment),
 *	0 when there is none
 * @saddr: source IP address (IPv4 and ARP sender: first 4 bytes)
 * @daddr: destination IP address (IPv4 and ARP target: first 4 bytes)
 * @sport: TCP/UDP source port, host order
 * @dport: TCP/UDP destination port, host order
 * @tcp_flags: TCP flags byte (CWR ECE URG ACK PSH RST SYN FIN)
 * @icmp_type: ICMP or ICMPv6 type
 *
 * For a malformed frame, the fields parsed before the failing check are
 * filled in and the rest are zero.
 */
struct vmgw_frame_info {
	enum vmgw_class class;
	enum vmgw_malformed why;
	u16 ethertype;
	u16 vlan_tci;
	bool vlan;
	u8 ip_version;
	u8 hop_limit;
	u8 l4_proto;
	bool frag_first;
	u16 l3_off;
	u16 l4_off;
	u8 saddr[16];
	u8 daddr[16];
	u16 sport;
	u16 dport;
	u8 tcp_flags;
	u8 icmp_type;
};

extern const char * const vmgw_class_names[VMGW_CLASS_MAX];
extern const char * const vmgw_malformed_names[VMGW_MAL_MAX];

enum vmgw_class vmgw_classify(const u8 *view, unsigned int view_len,
			      unsigned int frame_len,
			      struct vmgw_frame_info *info);

/**
 * vmgw_classify_view_len() - bytes of a frame to hand to vmgw_classify()
 * @frame_len: length of the whole frame
 *
 * Return: min(@frame_len, %VMGW_CLASSIFY_VIEW).
 */
static inline unsigned int vmgw_classify_view_len(unsigned int frame_len)
{
	return frame_len < VMGW_CLASSIFY_VIEW ? frame_len : VMGW_CLASSIFY_VIEW;
}

/**
 * vmgw_get_be16() - read a big-endian 16-bit field at any alignment
 * @p: first byte of the field
 *
 * Return: the field in host order.
 */
static inline u16 vmgw_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

#endif /* _VMGW_CLASSIFY_H */
