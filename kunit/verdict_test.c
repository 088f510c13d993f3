// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the verdict order, one table. Each row is a real frame (built,
 * then classified) under one of a few configurations, and the action and
 * reason the policy must give it. Rows come in pairs that differ in one
 * step of the order, so each step is shown to be where it is.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/inet.h>

#include "frames.h"
#include "verdict.h"

enum vt_cfg {
	VT_DEFAULT,	/* open, default floor, nothing configured */
	VT_GUARD,	/* open, anti-spoof addresses set */
	VT_ALLOW,	/* allowlist with rules and learned addresses */
	VT_RESOLV,	/* allowlist, strict floor, resolvers, deny 10/8 */
	VT_OFF,		/* open, floor off */
	VT_STRICT,	/* open, strict floor */
	VT_OPEN_RULES,	/* open with the rules of VT_ALLOW */
	VT_NCFG,
};

enum vt_kind { VT_IP, VT_ARP, VT_ETHER, VT_MALFORMED };

struct vt_case {
	const char *name;
	enum vt_cfg cfg;
	enum vt_kind kind;
	struct tf f;
	u8 act;
	u8 why;
};

#define G4	"10.0.2.15"
#define G6	"fd00::15"
#define SYN	0x02
#define ACK	0x10

static const u8 vt_other_mac[ETH_ALEN] = { 0x02, 0xaa, 0, 0, 0, 1 };

static const struct vt_case vt_cases[] = {
	/* malformed first, whatever else is true */
	{ "malformed", VT_OFF, VT_MALFORMED, {}, VMGW_ACT_DROP,
	  VMGW_DENY_MALFORMED },
	{ "malformed, foreign MAC", VT_GUARD, VT_MALFORMED,
	  { .smac = vt_other_mac }, VMGW_ACT_DROP, VMGW_DENY_MALFORMED },

	/* anti-spoof, before the gateway's own protocols */
	{ "guest MAC", VT_GUARD, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_PASS },
	{ "foreign MAC", VT_GUARD, VT_IP,
	  { .smac = vt_other_mac, .src = G4, .dst = "8.8.8.8",
	    .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_MAC },
	{ "foreign MAC, ARP", VT_GUARD, VT_ARP,
	  { .smac = vt_other_mac, .src = G4, .dst = "10.0.2.2" },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_MAC },
	{ "foreign MAC, not checked unset", VT_DEFAULT, VT_IP,
	  { .smac = vt_other_mac, .src = G4, .dst = "8.8.8.8",
	    .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_PASS },
	{ "foreign IPv4", VT_GUARD, VT_IP,
	  { .src = "10.0.2.16", .dst = "8.8.8.8", .proto = IPPROTO_ICMP,
	    .flags = 8 },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_IP },
	{ "foreign ARP sender", VT_GUARD, VT_ARP,
	  { .src = "10.0.2.16", .dst = "10.0.2.2" },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_IP },
	{ "ARP probe from 0.0.0.0", VT_GUARD, VT_ARP,
	  { .src = "0.0.0.0", .dst = G4 }, VMGW_ACT_PASS },
	{ "DHCP discover from 0.0.0.0", VT_GUARD, VT_IP,
	  { .src = "0.0.0.0", .dst = "255.255.255.255", .proto = IPPROTO_UDP,
	    .sport = 68, .dport = 67 },
	  VMGW_ACT_PASS },
	{ "other UDP from 0.0.0.0", VT_GUARD, VT_IP,
	  { .src = "0.0.0.0", .dst = "255.255.255.255", .proto = IPPROTO_UDP,
	    .sport = 68, .dport = 69 },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_IP },
	{ "foreign IPv6", VT_GUARD, VT_IP,
	  { .src = "fd00::16", .dst = "2001:db8::1",
	    .proto = IPPROTO_ICMPV6, .flags = 128 },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_IP },
	{ "guest link-local IPv6", VT_GUARD, VT_IP,
	  { .src = "fe80::5054:ff:fe12:3456", .dst = "2001:db8::1",
	    .proto = IPPROTO_ICMPV6, .flags = 128 },
	  VMGW_ACT_PASS },
	{ "DAD solicitation from ::", VT_GUARD, VT_IP,
	  { .src = "::", .dst = "ff02::1:ff00:15", .proto = IPPROTO_ICMPV6,
	    .flags = 135, .hlim = 255 },
	  VMGW_ACT_PASS },
	{ "echo from ::", VT_GUARD, VT_IP,
	  { .src = "::", .dst = "2001:db8::1", .proto = IPPROTO_ICMPV6,
	    .flags = 128 },
	  VMGW_ACT_DROP, VMGW_DENY_SPOOF_IP },

	/* the gateway's own protocols pass before floor and rules */
	{ "ARP, allowlist", VT_ALLOW, VT_ARP, { .src = G4, .dst = "10.0.2.2" },
	  VMGW_ACT_PASS },
	{ "NDP NS to link-local, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "fe80::2", .proto = IPPROTO_ICMPV6,
	    .flags = 135, .hlim = 255 },
	  VMGW_ACT_PASS },
	{ "NDP NS to solicited-node multicast, allowlist", VT_ALLOW, VT_IP,
	  { .src = G6, .dst = "ff02::1:ff00:2", .proto = IPPROTO_ICMPV6,
	    .flags = 135, .hlim = 255 },
	  VMGW_ACT_PASS },
	{ "NDP RS to all routers, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "ff02::2", .proto = IPPROTO_ICMPV6,
	    .flags = 133, .hlim = 255 },
	  VMGW_ACT_PASS },
	{ "NDP NS to the gateway's global address, allowlist", VT_ALLOW,
	  VT_IP,
	  { .src = G6, .dst = "fd00::2", .proto = IPPROTO_ICMPV6,
	    .flags = 135, .hlim = 255 },
	  VMGW_ACT_PASS },
	{ "NDP NA to the gateway's link-local, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "fe80::2", .proto = IPPROTO_ICMPV6,
	    .flags = 136, .hlim = 255 },
	  VMGW_ACT_PASS },
	{ "NDP NS, hop limit 64, to a global address, allowlist", VT_ALLOW,
	  VT_IP,
	  { .src = G6, .dst = "2001:db8::1", .proto = IPPROTO_ICMPV6,
	    .flags = 135 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "NDP NS, hop limit 255, to a global address, allowlist", VT_ALLOW,
	  VT_IP,
	  { .src = G6, .dst = "2001:db8::1", .proto = IPPROTO_ICMPV6,
	    .flags = 135, .hlim = 255 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "NDP NS to a site-scope group, allowlist", VT_ALLOW, VT_IP,
	  { .src = G6, .dst = "ff05::1:ff00:2", .proto = IPPROTO_ICMPV6,
	    .flags = 135, .hlim = 255 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "NDP NS, hop limit 64, to a denied address", VT_OPEN_RULES, VT_IP,
	  { .src = G6, .dst = "::ffff:93.184.216.66",
	    .proto = IPPROTO_ICMPV6, .flags = 135 },
	  VMGW_ACT_DROP, VMGW_DENY_RULE },
	{ "NDP NS, hop limit 64, to link-local: the floor's", VT_DEFAULT,
	  VT_IP,
	  { .src = "fe80::15", .dst = "fe80::2", .proto = IPPROTO_ICMPV6,
	    .flags = 135 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "NDP RA from the guest is not the gateway's", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "ff02::1", .proto = IPPROTO_ICMPV6,
	    .flags = 134 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "MLDv2 report, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "ff02::16", .proto = IPPROTO_ICMPV6,
	    .flags = 143, .hlim = 1 },
	  VMGW_ACT_PASS },
	{ "MLDv2 report from ::, allowlist", VT_ALLOW, VT_IP,
	  { .src = "::", .dst = "ff02::16", .proto = IPPROTO_ICMPV6,
	    .flags = 143, .hlim = 1 },
	  VMGW_ACT_PASS },
	{ "MLD report, hop limit 64, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "ff02::16", .proto = IPPROTO_ICMPV6,
	    .flags = 143 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "MLD report from a global source, allowlist", VT_ALLOW, VT_IP,
	  { .src = G6, .dst = "ff02::16", .proto = IPPROTO_ICMPV6,
	    .flags = 131, .hlim = 1 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "MLD report to a unicast address, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "2001:db8::1", .proto = IPPROTO_ICMPV6,
	    .flags = 131, .hlim = 1 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "DHCP to the server, allowlist", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "10.0.2.2", .proto = IPPROTO_UDP, .sport = 68,
	    .dport = 67 },
	  VMGW_ACT_PASS },
	{ "DHCPv6 to the server, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "ff02::1:2", .proto = IPPROTO_UDP,
	    .sport = 546, .dport = 547 },
	  VMGW_ACT_PASS },
	{ "DHCP broadcast, allowlist", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "255.255.255.255", .proto = IPPROTO_UDP,
	    .sport = 68, .dport = 67 },
	  VMGW_ACT_PASS },
	{ "DHCPv6 to the gateway's link-local, allowlist", VT_ALLOW, VT_IP,
	  { .src = "fe80::15", .dst = "fe80::2", .proto = IPPROTO_UDP,
	    .sport = 546, .dport = 547 },
	  VMGW_ACT_PASS },
	{ "DHCP to a client port, allowlist", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "10.0.2.2", .proto = IPPROTO_UDP, .sport = 67,
	    .dport = 68 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	/* the DHCP exemptions reach the gateway only */
	{ "DHCP to the metadata address", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "169.254.169.254", .proto = IPPROTO_UDP,
	    .sport = 68, .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "DHCP to a denied address", VT_OPEN_RULES, VT_IP,
	  { .src = G4, .dst = "93.184.216.66", .proto = IPPROTO_UDP,
	    .sport = 68, .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_RULE },
	{ "DHCP to a host beyond the gateway, allowlist", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 68,
	    .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "DHCP to a host beyond the gateway, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 68,
	    .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "DHCP to a subnet broadcast", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "10.0.2.255", .proto = IPPROTO_UDP, .sport = 68,
	    .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "DHCP from 0.0.0.0 to a host beyond", VT_GUARD, VT_IP,
	  { .src = "0.0.0.0", .dst = "8.8.8.8", .proto = IPPROTO_UDP,
	    .sport = 68, .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "DHCPv6 to a global host, open", VT_DEFAULT, VT_IP,
	  { .src = G6, .dst = "2001:db8::1", .proto = IPPROTO_UDP,
	    .sport = 546, .dport = 547 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "DHCPv6 to another link-local", VT_DEFAULT, VT_IP,
	  { .src = "fe80::15", .dst = "fe80::99", .proto = IPPROTO_UDP,
	    .sport = 546, .dport = 547 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "DHCPv6 from another port", VT_DEFAULT, VT_IP,
	  { .src = G6, .dst = "ff02::1:2", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 547 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	/* DHCP-port UDP that is no client request is UDP */
	{ "UDP to port 68, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 68 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "UDP to port 67 from another port, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 67 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "UDP to port 546, open", VT_DEFAULT, VT_IP,
	  { .src = G6, .dst = "2001:db8::1", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 546 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },

	/* floor: before rules, even an allow rule */
	{ "metadata", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "169.254.169.254", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = ACK },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "metadata SYN is answered", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "169.254.169.254", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_FLOOR },
	{ "metadata despite an allow rule", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "169.254.169.254", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_FLOOR },
	{ "metadata, floor off", VT_OFF, VT_IP,
	  { .src = G4, .dst = "169.254.169.254", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "link-local IPv6 ping", VT_DEFAULT, VT_IP,
	  { .src = "fe80::15", .dst = "fe80::2", .proto = IPPROTO_ICMPV6,
	    .flags = 128 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "link-local IPv6 ping, floor off", VT_OFF, VT_IP,
	  { .src = "fe80::15", .dst = "fe80::2", .proto = IPPROTO_ICMPV6,
	    .flags = 128 },
	  VMGW_ACT_PASS },
	{ "RFC 1918, default floor", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "192.168.1.1", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 22, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "RFC 1918, strict floor", VT_STRICT, VT_IP,
	  { .src = G4, .dst = "192.168.1.1", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 22, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_FLOOR },
	{ "ULA, strict floor", VT_STRICT, VT_IP,
	  { .src = G6, .dst = "fd00::2", .proto = IPPROTO_ICMPV6,
	    .flags = 128 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "CGNAT, strict floor", VT_STRICT, VT_IP,
	  { .src = G4, .dst = "100.64.1.1", .proto = IPPROTO_ICMP,
	    .flags = 8 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "loopback, strict floor", VT_STRICT, VT_IP,
	  { .src = G4, .dst = "127.0.0.1", .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },

	/* deny rules before allow rules */
	{ "deny inside an allowed /24", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "93.184.216.66", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 443, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_RULE },
	{ "deny rule, open mode", VT_OPEN_RULES, VT_IP,
	  { .src = G4, .dst = "93.184.216.66", .proto = IPPROTO_ICMP,
	    .flags = 8 },
	  VMGW_ACT_DROP, VMGW_DENY_RULE },
	{ "deny rule cuts a flow", VT_OPEN_RULES, VT_IP,
	  { .src = G4, .dst = "93.184.216.66", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 443, .flags = ACK },
	  VMGW_ACT_DROP, VMGW_DENY_RULE },

	/* allow rules and learned addresses, allowlist mode */
	{ "allowed port", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "93.184.216.34", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 443, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "other port", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "93.184.216.34", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_NOT_ALLOWED },
	{ "other host", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "93.184.217.34", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 443, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_NOT_ALLOWED },
	{ "learned IPv4", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "151.101.1.1", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 8443, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "learned IPv6", VT_ALLOW, VT_IP,
	  { .src = G6, .dst = "2a04:4e42::1", .proto = IPPROTO_ICMPV6,
	    .flags = 128 },
	  VMGW_ACT_PASS },
	{ "learned, but UDP", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "151.101.1.1", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 443 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "ICMP allowed", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "1.1.1.1", .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_PASS },
	{ "ICMP not allowed", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "1.0.0.1", .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "other ethertype, allowlist", VT_ALLOW, VT_ETHER, {},
	  VMGW_ACT_DROP, VMGW_DENY_NOT_ALLOWED },
	{ "other ethertype, open", VT_DEFAULT, VT_ETHER, {}, VMGW_ACT_PASS },

	/* per-class defaults */
	{ "SYN, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 80, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "TCP needs its flow", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 80, .flags = ACK },
	  VMGW_ACT_FLOW_NEED },
	{ "TCP needs its flow, allowlist", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 80, .flags = ACK },
	  VMGW_ACT_FLOW_NEED },
	{ "UDP, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 9999 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "UDP allowed by a rule", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "9.9.9.9", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 123 },
	  VMGW_ACT_PASS },
	{ "UDP allowed by a rule, open", VT_OPEN_RULES, VT_IP,
	  { .src = G4, .dst = "9.9.9.9", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 123 },
	  VMGW_ACT_PASS },
	{ "UDP, other port of the rule's host", VT_OPEN_RULES, VT_IP,
	  { .src = G4, .dst = "9.9.9.9", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 124 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "UDP from port 53 is plain UDP", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 53,
	    .dport = 40000 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },
	{ "ICMP, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_ICMP, .flags = 8 },
	  VMGW_ACT_PASS },
	{ "DHCPv6 to a client port, open", VT_DEFAULT, VT_IP,
	  { .src = G6, .dst = "fd00::2", .proto = IPPROTO_UDP, .sport = 547,
	    .dport = 546 },
	  VMGW_ACT_DROP, VMGW_DENY_UDP },

	/* DNS */
	{ "DNS, no resolver, allowlist: to the gateway", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "10.0.2.2", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 53 },
	  VMGW_ACT_PASS },
	{ "DNS over IPv6, no resolver, allowlist: to the gateway", VT_ALLOW,
	  VT_IP,
	  { .src = G6, .dst = "fd00::2", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 53 },
	  VMGW_ACT_PASS },
	{ "DNS, no resolver, allowlist: not elsewhere", VT_ALLOW, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 53 },
	  VMGW_ACT_DROP, VMGW_DENY_RESOLVER },
	{ "DNS over TCP, no resolver, allowlist: not elsewhere", VT_ALLOW,
	  VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 53, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_RESOLVER },
	{ "DNS over TCP, no resolver, allowlist: to the gateway", VT_ALLOW,
	  VT_IP,
	  { .src = G4, .dst = "10.0.2.2", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 53, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "DNS, no resolver, open: anywhere", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 53 },
	  VMGW_ACT_PASS },
	{ "DNS to the resolver, past floor and deny", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "10.0.2.3", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 53 },
	  VMGW_ACT_PASS },
	{ "DNS to the IPv6 resolver", VT_RESOLV, VT_IP,
	  { .src = G6, .dst = "fd00::3", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 53 },
	  VMGW_ACT_PASS },
	{ "DNS over TCP to the resolver", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "10.0.2.3", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 53, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "DNS over TCP to the resolver, later segment", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "10.0.2.3", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 53, .flags = ACK },
	  VMGW_ACT_FLOW_NEED },
	{ "other port of the resolver", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "10.0.2.3", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 54 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
	{ "DNS elsewhere", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 53 },
	  VMGW_ACT_DROP, VMGW_DENY_RESOLVER },
	{ "DNS over TCP elsewhere", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 53, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_RESOLVER },
	{ "DNS elsewhere, into the floor", VT_RESOLV, VT_IP,
	  { .src = G4, .dst = "10.0.2.4", .proto = IPPROTO_UDP, .sport = 40000,
	    .dport = 53 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },

	/* IPv4 rules judge IPv4 carried in IPv6 */
	{ "NAT64 to a denied IPv4 host", VT_OPEN_RULES, VT_IP,
	  { .src = G6, .dst = "64:ff9b::5db8:d842", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 443, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_RULE },
	{ "IPv4-mapped denied IPv4 host", VT_OPEN_RULES, VT_IP,
	  { .src = G6, .dst = "::ffff:93.184.216.66", .proto = IPPROTO_ICMPV6,
	    .flags = 128 },
	  VMGW_ACT_DROP, VMGW_DENY_RULE },
	{ "NAT64 to an allowed IPv4 host, allowlist", VT_ALLOW, VT_IP,
	  { .src = G6, .dst = "64:ff9b::5db8:d822", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 443, .flags = SYN },
	  VMGW_ACT_FLOW_NEW },
	{ "NAT64 to an allowed host, other port, allowlist", VT_ALLOW, VT_IP,
	  { .src = G6, .dst = "64:ff9b::5db8:d822", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_NOT_ALLOWED },
	/* local-use NAT64: deny rules judge every place IPv4 may sit */
	{ "local-use NAT64 /64 form of a denied IPv4 host", VT_OPEN_RULES,
	  VT_IP, { .src = G6, .dst = "64:ff9b:1:0:5d:b8d8:4200:0",
		   .proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
		   .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_RULE },
	{ "local-use NAT64 /48 form of a denied IPv4 host", VT_OPEN_RULES,
	  VT_IP, { .src = G6, .dst = "64:ff9b:1:5db8:d8:4200::",
		   .proto = IPPROTO_ICMPV6, .flags = 128 },
	  VMGW_ACT_DROP, VMGW_DENY_RULE },
	/* ... but no IPv4 allow rule: where it sits is not certain */
	{ "local-use NAT64 to an allowed IPv4 host, allowlist", VT_ALLOW,
	  VT_IP, { .src = G6, .dst = "64:ff9b:1::5db8:d822",
		   .proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
		   .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_NOT_ALLOWED },
	{ "local-use NAT64 metadata, /56 form, open", VT_DEFAULT, VT_IP,
	  { .src = G6, .dst = "64:ff9b:1:a9:fe:a9fe::", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_FLOOR },
	{ "local-use NAT64, strict floor", VT_STRICT, VT_IP,
	  { .src = G6, .dst = "64:ff9b:1::808:808", .proto = IPPROTO_TCP,
	    .sport = 40000, .dport = 80, .flags = SYN },
	  VMGW_ACT_RST, VMGW_DENY_FLOOR },
	{ "NAT64 to the denied /8 of the resolver config", VT_RESOLV, VT_IP,
	  { .src = G6, .dst = "64:ff9b::a00:263", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 53 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },

	/* VLAN-tagged frames are judged like untagged ones */
	{ "tagged SYN, open", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "8.8.8.8", .proto = IPPROTO_TCP, .sport = 40000,
	    .dport = 80, .flags = SYN, .vlan = 7 },
	  VMGW_ACT_FLOW_NEW },
	{ "tagged metadata", VT_DEFAULT, VT_IP,
	  { .src = G4, .dst = "169.254.169.254", .proto = IPPROTO_UDP,
	    .sport = 40000, .dport = 53, .vlan = 7 },
	  VMGW_ACT_DROP, VMGW_DENY_FLOOR },
};

struct vt_env {
	struct vmgw_verdict_cfg cfg[VT_NCFG];
	struct vmgw_ruleset *rules;
	struct vmgw_ruleset *resolvers;
	struct vmgw_ruleset *deny10;
	unsigned int learned_calls;
};

static void vt_addr(struct kunit *test, const char *text, u8 *a)
{
	memset(a, 0, 16);
	if (strchr(text, ':'))
		KUNIT_ASSERT_TRUE(test, in6_pton(text, -1, a, -1, NULL));
	else
		KUNIT_ASSERT_TRUE(test, in4_pton(text, -1, a, -1, NULL));
}

static struct vmgw_rule vt_rule(struct kunit *test, u8 action,
				const char *net, u8 plen, u8 proto, u16 lo,
				u16 hi)
{
	struct vmgw_rule r = {
		.family = strchr(net, ':') ? 6 : 4,
		.plen = plen,
		.proto = proto,
		.action = action,
		.port_lo = lo,
		.port_hi = hi,
	};

	vt_addr(test, net, r.addr);
	return r;
}

/* The gateway: 10.0.2.2, fd00::2 and fe80::2. */
static bool vt_gw(const void *ctx, u8 family, const u8 *addr)
{
	static const u8 g4[4] = { 10, 0, 2, 2 };
	static const u8 g6[16] = { 0xfd, [15] = 2 };
	static const u8 ll[16] = { 0xfe, 0x80, [15] = 2 };

	if (family == 4)
		return !memcmp(addr, g4, 4);
	return !memcmp(addr, g6, 16) || !memcmp(addr, ll, 16);
}

static bool vt_learned(const void *ctx, u8 family, const u8 *addr)
{
	static const u8 l4[4] = { 151, 101, 1, 1 };
	static const u8 l6[16] = { 0x2a, 0x04, 0x4e, 0x42, [15] = 1 };
	struct vt_env *env = (struct vt_env *)ctx;

	env->learned_calls++;
	return family == 4 ? !memcmp(addr, l4, 4) : !memcmp(addr, l6, 16);
}

static int vt_init(struct kunit *test)
{
	struct vmgw_rule rules[] = {
		vt_rule(test, VMGW_RULE_ALLOW, "93.184.216.0", 24, IPPROTO_TCP,
			443, 443),
		vt_rule(test, VMGW_RULE_ALLOW, "9.9.9.9", 32, IPPROTO_UDP,
			123, 123),
		vt_rule(test, VMGW_RULE_ALLOW, "169.254.169.254", 32, 0, 0,
			65535),
		vt_rule(test, VMGW_RULE_DENY, "93.184.216.66", 32, 0, 0, 65535),
		vt_rule(test, VMGW_RULE_ALLOW, "1.1.1.1", 32, IPPROTO_ICMP, 0,
			65535),
	};
	struct vmgw_rule res[] = {
		vt_rule(test, VMGW_RULE_ALLOW, "10.0.2.3", 32, 0, 0, 65535),
		vt_rule(test, VMGW_RULE_ALLOW, "fd00::3", 128, 0, 0, 65535),
	};
	struct vmgw_rule deny10 =
		vt_rule(test, VMGW_RULE_DENY, "10.0.0.0", 8, 0, 0, 65535);
	struct vmgw_guest_id *g;
	struct vt_env *env;
	unsigned int i;
	int err;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	test->priv = env;
	env->rules = vmgw_ruleset_build(rules, ARRAY_SIZE(rules), &err);
	env->resolvers = vmgw_ruleset_build(res, ARRAY_SIZE(res), &err);
	env->deny10 = vmgw_ruleset_build(&deny10, 1, &err);
	if (!env->rules || !env->resolvers || !env->deny10)
		return -ENOMEM;

	g = &env->cfg[VT_GUARD].guest;
	memcpy(g->mac, tf_guest_mac, ETH_ALEN);
	g->mac_set = true;
	vt_addr(test, G4, g->ip4);
	g->ip4_set = true;
	vt_addr(test, G6, g->ip6[0]);
	vt_addr(test, "fe80::5054:ff:fe12:3456", g->ip6[1]);
	g->n_ip6 = 2;

	for (i = 0; i < VT_NCFG; i++)
		env->cfg[i].gw_addr = vt_gw;
	env->cfg[VT_ALLOW].mode = VMGW_MODE_ALLOWLIST;
	env->cfg[VT_ALLOW].rules = env->rules;
	env->cfg[VT_ALLOW].learning = true;
	env->cfg[VT_OPEN_RULES].rules = env->rules;
	env->cfg[VT_RESOLV].mode = VMGW_MODE_ALLOWLIST;
	env->cfg[VT_RESOLV].floor = VMGW_FLOOR_STRICT;
	env->cfg[VT_RESOLV].rules = env->deny10;
	env->cfg[VT_RESOLV].resolvers = env->resolvers;
	env->cfg[VT_OFF].floor = VMGW_FLOOR_OFF;
	env->cfg[VT_STRICT].floor = VMGW_FLOOR_STRICT;
	return 0;
}

static void vt_exit(struct kunit *test)
{
	struct vt_env *env = test->priv;

	if (!env)
		return;
	vmgw_ruleset_free(env->rules);
	vmgw_ruleset_free(env->resolvers);
	vmgw_ruleset_free(env->deny10);
}

static unsigned int vt_frame(struct kunit *test, const struct vt_case *c,
			     u8 *f)
{
	unsigned int len;

	switch (c->kind) {
	case VT_ARP:
		len = tf_arp(f, c->f.smac, c->f.src, c->f.dst);
		break;
	case VT_ETHER:
		memset(f, 0, TF_MAX);
		memcpy(f + 6, tf_guest_mac, ETH_ALEN);
		vmgw_put_be16(f + 12, 0x88b5);
		len = 60;
		break;
	case VT_MALFORMED:
		/* IPv4 that ends inside its header */
		memset(f, 0, TF_MAX);
		memcpy(f + 6, c->f.smac ?: tf_guest_mac, ETH_ALEN);
		vmgw_put_be16(f + 12, ETH_P_IP);
		f[14] = 0x45;
		len = ETH_HLEN + 10;
		break;
	default:
		len = tf_build(f, &c->f);
	}
	KUNIT_ASSERT_GT_MSG(test, len, 0, "%s: frame", c->name);
	return len;
}

static void vmgw_verdict_test_order(struct kunit *test)
{
	struct vt_env *env = test->priv;
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	unsigned int i, len;
	u8 f[TF_MAX];

	for (i = 0; i < ARRAY_SIZE(vt_cases); i++) {
		const struct vt_case *c = &vt_cases[i];

		len = vt_frame(test, c, f);
		tf_classify(f, len, &fi);
		v = vmgw_verdict(&env->cfg[c->cfg], &fi, f + 6, vt_learned,
				 env);
		KUNIT_EXPECT_EQ_MSG(test, v.act, c->act,
				    "%s: action (class %s, why %s)", c->name,
				    vmgw_class_names[fi.class],
				    vmgw_deny_names[v.why]);
		KUNIT_EXPECT_EQ_MSG(test, v.why, c->why, "%s: reason %s",
				    c->name, vmgw_deny_names[v.why]);
	}
}

/* Learned addresses are asked for only when they can matter. */
static void vmgw_verdict_test_learned_lazily(struct kunit *test)
{
	struct vt_env *env = test->priv;
	struct tf t = { .src = G4, .dst = "93.184.216.34",
			.proto = IPPROTO_TCP, .sport = 1, .dport = 443,
			.flags = SYN };
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	u8 f[TF_MAX];

	tf_classify(f, tf_build(f, &t), &fi);
	v = vmgw_verdict(&env->cfg[VT_ALLOW], &fi, f + 6, vt_learned, env);
	KUNIT_EXPECT_EQ(test, v.act, VMGW_ACT_FLOW_NEW);
	KUNIT_EXPECT_EQ(test, env->learned_calls, 0);
	/* a NULL lookup is allowed */
	t.dport = 80;
	tf_classify(f, tf_build(f, &t), &fi);
	v = vmgw_verdict(&env->cfg[VT_ALLOW], &fi, f + 6, NULL, NULL);
	KUNIT_EXPECT_EQ(test, v.act, VMGW_ACT_RST);
	v = vmgw_verdict(&env->cfg[VT_ALLOW], &fi, f + 6, vt_learned, env);
	KUNIT_EXPECT_EQ(test, env->learned_calls, 1);
	/* without learning configured, never asked */
	env->cfg[VT_ALLOW].learning = false;
	t.dst = "151.101.1.1";
	tf_classify(f, tf_build(f, &t), &fi);
	v = vmgw_verdict(&env->cfg[VT_ALLOW], &fi, f + 6, vt_learned, env);
	KUNIT_EXPECT_EQ(test, v.act, VMGW_ACT_RST);
	KUNIT_EXPECT_EQ(test, env->learned_calls, 1);
}

/*
 * The default configuration lets through what the minimum verdict did,
 * for every class: only malformed frames, unsupported UDP (DHCP ports
 * too, but for the client's requests), the default floor and TCP without
 * a flow are stopped.
 */
static void vmgw_verdict_test_default_is_minimum(struct kunit *test)
{
	static const struct tf pass[] = {
		{ .src = "0.0.0.0", .dst = "0.0.0.0", .proto = IPPROTO_UDP,
		  .sport = 40000, .dport = 53 },
		{ .src = "::", .dst = "::", .proto = IPPROTO_UDP,
		  .sport = 40000, .dport = 53 },
		{ .src = "0.0.0.0", .dst = "255.255.255.255",
		  .proto = IPPROTO_UDP, .sport = 68, .dport = 67 },
		{ .src = "::", .dst = "ff02::1:2", .proto = IPPROTO_UDP,
		  .sport = 546, .dport = 547 },
		{ .src = G4, .dst = "10.0.2.2", .proto = IPPROTO_ICMP,
		  .flags = 8 },
		{ .src = G6, .dst = "fd00::2", .proto = IPPROTO_ICMPV6,
		  .flags = 128 },
		{ .src = G4, .dst = "10.0.2.2", .proto = IPPROTO_GRE },
	};
	struct vt_env *env = test->priv;
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	unsigned int i;
	u8 f[TF_MAX];

	for (i = 0; i < ARRAY_SIZE(pass); i++) {
		tf_classify(f, tf_build(f, &pass[i]), &fi);
		v = vmgw_verdict(&env->cfg[VT_DEFAULT], &fi, f + 6, NULL,
				 NULL);
		KUNIT_EXPECT_EQ_MSG(test, v.act, VMGW_ACT_PASS, "case %u (%s)",
				    i, vmgw_deny_names[v.why]);
	}
}

/*
 * The classes the table does not build: a non-first fragment (no ports),
 * IPv4 and IPv6 with a protocol not classified further. The default
 * lets them through, the allowlist needs a rule for their destination.
 */
static void vmgw_verdict_test_other_classes(struct kunit *test)
{
	static const struct {
		struct tf f;
		bool frag;
		u8 class;
	} cases[] = {
		{ { .src = G4, .dst = "93.184.216.34", .proto = IPPROTO_UDP,
		    .sport = 1, .dport = 9 }, true, VMGW_CLASS_FRAGMENT },
		{ { .src = G4, .dst = "93.184.216.34", .proto = IPPROTO_GRE },
		  false, VMGW_CLASS_IPV4_OTHER },
		{ { .src = G6, .dst = "2001:db8::1", .proto = 59 },
		  false, VMGW_CLASS_IPV6_OTHER },
	};
	struct vt_env *env = test->priv;
	struct vmgw_frame_info fi;
	struct vmgw_verdict v;
	unsigned int i, len;
	u8 f[TF_MAX];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = tf_build(f, &cases[i].f);
		KUNIT_ASSERT_GT(test, len, 0);
		/* fragment offset 8 bytes: a later fragment */
		if (cases[i].frag)
			f[ETH_HLEN + 7] = 1;
		KUNIT_ASSERT_EQ_MSG(test, vmgw_classify(f, len, len, &fi),
				    cases[i].class, "case %u", i);
		v = vmgw_verdict(&env->cfg[VT_DEFAULT], &fi, f + 6, NULL,
				 NULL);
		KUNIT_EXPECT_EQ_MSG(test, v.act, VMGW_ACT_PASS, "case %u", i);
		v = vmgw_verdict(&env->cfg[VT_ALLOW], &fi, f + 6, NULL, NULL);
		KUNIT_EXPECT_EQ_MSG(test, v.act, VMGW_ACT_DROP, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v.why, VMGW_DENY_NOT_ALLOWED,
				    "case %u", i);
		/* the floor judges them by destination like any frame */
		if (fi.ip_version == 4)
			fi.daddr[0] = 169, fi.daddr[1] = 254;
		else
			fi.daddr[0] = 0xfe, fi.daddr[1] = 0x80;
		v = vmgw_verdict(&env->cfg[VT_DEFAULT], &fi, f + 6, NULL,
				 NULL);
		KUNIT_EXPECT_EQ_MSG(test, v.why, VMGW_DENY_FLOOR, "case %u", i);
	}
}

/*
 * What the stack writes after the verdict must miss what it judged: a
 * checksum request stores into the L4 checksum field only, segmentation
 * matches the judged family and protocol.
 */
static void vmgw_verdict_test_offload(struct kunit *test)
{
	static const struct tf syn4 = { .src = G4, .dst = "8.8.8.8",
		.proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
		.flags = SYN };
	static const struct tf syn6 = { .src = G6, .dst = "2001:db8::1",
		.proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
		.flags = SYN };
	static const struct tf dns4 = { .src = G4, .dst = "8.8.8.8",
		.proto = IPPROTO_UDP, .sport = 40000, .dport = 53,
		.payload = 20 };
	static const struct tf tag4 = { .src = G4, .dst = "8.8.8.8",
		.proto = IPPROTO_TCP, .sport = 40000, .dport = 443,
		.flags = SYN, .vlan = 7 };
	static const struct tf ping6 = { .src = G6, .dst = "2001:db8::1",
		.proto = IPPROTO_ICMPV6, .flags = 128 };
	static const struct {
		const struct tf *f;
		bool frag;
		struct vmgw_offload o;
		u8 why;
	} cases[] = {
		{ &syn4, false, {}, VMGW_DENY_NONE },
		{ &syn4, false, { true, 34, 16 }, VMGW_DENY_NONE },
		/* onto the destination port, the flags, the IP destination */
		{ &syn4, false, { true, 34, 2 }, VMGW_DENY_CSUM },
		{ &syn4, false, { true, 34, 12 }, VMGW_DENY_CSUM },
		{ &syn4, false, { true, 30, 0 }, VMGW_DENY_CSUM },
		{ &syn4, false, { true, 36, 14 }, VMGW_DENY_CSUM },
		{ &syn6, false, { true, 54, 16 }, VMGW_DENY_NONE },
		{ &syn6, false, { true, 38, 0 }, VMGW_DENY_CSUM },
		{ &syn6, false, { true, 54, 6 }, VMGW_DENY_CSUM },
		{ &dns4, false, { true, 34, 6 }, VMGW_DENY_NONE },
		{ &dns4, false, { true, 34, 16 }, VMGW_DENY_CSUM },
		{ &dns4, false, { true, 34, 2 }, VMGW_DENY_CSUM },
		{ &tag4, false, { true, 38, 16 }, VMGW_DENY_NONE },
		{ &tag4, false, { true, 34, 16 }, VMGW_DENY_CSUM },
		{ &ping6, false, { true, 54, 2 }, VMGW_DENY_NONE },
		{ &ping6, false, { true, 54, 4 }, VMGW_DENY_CSUM },
		/* a later fragment has no checksum field of its own */
		{ &dns4, true, { true, 34, 6 }, VMGW_DENY_CSUM },
		{ &syn4, false, { true, 34, 16, VMGW_GSO_TCPV4 },
		  VMGW_DENY_NONE },
		{ &syn6, false, { true, 54, 16, VMGW_GSO_TCPV6 },
		  VMGW_DENY_NONE },
		{ &dns4, false, { true, 34, 6, VMGW_GSO_UDP }, VMGW_DENY_NONE },
		{ &syn4, false, { true, 34, 16, VMGW_GSO_TCPV6 },
		  VMGW_DENY_GSO },
		{ &syn6, false, { true, 54, 16, VMGW_GSO_TCPV4 },
		  VMGW_DENY_GSO },
		{ &syn4, false, { true, 34, 16, VMGW_GSO_UDP }, VMGW_DENY_GSO },
		{ &dns4, false, { true, 34, 6, VMGW_GSO_TCPV4 }, VMGW_DENY_GSO },
		{ &syn4, false, { false, 0, 0, VMGW_GSO_TCPV4 },
		  VMGW_DENY_GSO },
		{ &syn4, false, { true, 34, 16, VMGW_GSO_OTHER },
		  VMGW_DENY_GSO },
		{ &ping6, false, { true, 54, 2, VMGW_GSO_TCPV6 },
		  VMGW_DENY_GSO },
		{ &dns4, true, { true, 34, 6, VMGW_GSO_UDP }, VMGW_DENY_GSO },
	};
	struct vmgw_frame_info fi;
	unsigned int i, len;
	u8 f[TF_MAX];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = tf_build(f, cases[i].f);
		KUNIT_ASSERT_GT(test, len, 0);
		/* offset 8 bytes: a later fragment of the datagram */
		if (cases[i].frag)
			f[ETH_HLEN + 7] = 1;
		tf_classify(f, len, &fi);
		KUNIT_ASSERT_NE(test, fi.class, VMGW_CLASS_MALFORMED);
		KUNIT_EXPECT_EQ_MSG(test,
				    vmgw_verdict_offload(&fi, &cases[i].o),
				    cases[i].why, "case %u (class %s)", i,
				    vmgw_class_names[fi.class]);
	}
}

static struct kunit_case vmgw_verdict_test_cases[] = {
	KUNIT_CASE(vmgw_verdict_test_order),
	KUNIT_CASE(vmgw_verdict_test_learned_lazily),
	KUNIT_CASE(vmgw_verdict_test_default_is_minimum),
	KUNIT_CASE(vmgw_verdict_test_other_classes),
	KUNIT_CASE(vmgw_verdict_test_offload),
	{}
};

static struct kunit_suite vmgw_verdict_test_suite = {
	.name = "vmgw_verdict",
	.init = vt_init,
	.exit = vt_exit,
	.test_cases = vmgw_verdict_test_cases,
};

kunit_test_suite(vmgw_verdict_test_suite);
