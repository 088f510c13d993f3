#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Builders of well-formed guest frames and DNS messages, with checksums.

Used by the malformed-frame generator (malformed.py, in the test VM) and by
the fuzz seed script (tools/testing/fuzz/seeds.py). Addresses are those of
the e2e setups: guest 10.0.2.15 / fd00::15, gateway 10.0.2.2 / fd00::2.
"""

import ipaddress
import struct

GUEST_MAC = bytes.fromhex("020000000015")
GW_MAC = bytes.fromhex("020000000002")
GUEST4, GW4 = "10.0.2.15", "10.0.2.2"
GUEST6, GW6 = "fd00::15", "fd00::2"

ETH_P_IP, ETH_P_ARP, ETH_P_IPV6, ETH_P_8021Q = 0x0800, 0x0806, 0x86DD, 0x8100
TCP, UDP, ICMP, ICMPV6 = 6, 17, 1, 58
HOPOPTS, ROUTING, FRAGMENT, DSTOPTS = 0, 43, 44, 60
SYN, ACK, PSH = 0x02, 0x10, 0x08


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def addr(a):
    return ipaddress.ip_address(a).packed


def eth(ethertype, payload, vlan=None, src=GUEST_MAC, dst=GW_MAC):
    tag = struct.pack("!HH", ETH_P_8021Q, vlan) if vlan is not None else b""
    return dst + src + tag + struct.pack("!H", ethertype) + payload


def ipv4(proto, payload, src=GUEST4, dst=GW4, ident=1, frag=0, mf=False,
         options=b"", total=None):
    ihl = 5 + len(options) // 4
    flags = (0x2000 if mf else 0) | (frag // 8)
    total = ihl * 4 + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, ident, flags,
                      64, proto, 0, addr(src), addr(dst)) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(nexthdr, payload, src=GUEST6, dst=GW6):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, 64,
                       addr(src), addr(dst)) + payload


def ext(nexthdr, body=b"\0" * 6):
    """An IPv6 hop-by-hop/destination/routing header: 2 + len(body) bytes,
    a multiple of 8."""
    n = 2 + len(body)
    assert n % 8 == 0
    return struct.pack("!BB", nexthdr, n // 8 - 1) + body


def frag6(nexthdr, offset=0, more=False, ident=7):
    return struct.pack("!BBHI", nexthdr, 0, offset | (1 if more else 0), ident)


def pseudo(src, dst, proto, length):
    s, d = addr(src), addr(dst)
    if len(s) == 4:
        return s + d + struct.pack("!BBH", 0, proto, length)
    return s + d + struct.pack("!IxxxB", length, proto)


def l4_csum(seg, off, src, dst, proto):
    c = csum(pseudo(src, dst, proto, len(seg)) + seg)
    if proto == UDP and c == 0:
        c = 0xFFFF
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]


def tcp(sport, dport, flags=ACK, data=b"", src=GUEST4, dst=GW4, seq=1000):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags,
                      65535, 0, 0) + data
    return l4_csum(seg, 16, src, dst, TCP)


def udp(sport, dport, data=b"", src=GUEST4, dst=GW4):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    return l4_csum(seg, 6, src, dst, UDP)


def icmp(typ=8, code=0, data=b"ping"):
    msg = struct.pack("!BBHHH", typ, code, 0, 1, 1) + data
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def icmp6(typ=128, code=0, data=b"\0\1\0\1ping", src=GUEST6, dst=GW6):
    msg = struct.pack("!BBH", typ, code, 0) + data
    return l4_csum(msg, 2, src, dst, ICMPV6)


def arp(op=1, sender=GUEST4, target=GW4):
    return struct.pack("!HHBBH6s4s6s4s", 1, ETH_P_IP, 6, 4, op, GUEST_MAC,
                       addr(sender), bytes(6), addr(target))


def dns_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_query(name, qtype=1, ident=0x1234):
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + \
        dns_name(name) + struct.pack("!HH", qtype, 1)


def dns_response(name, answers, ident=0x1234, qtype=1):
    """answers: (owner, type, rdata) with owner None for a pointer to the
    question name, type 1 (A), 28 (AAAA) or 5 (CNAME, rdata a name)."""
    msg = struct.pack("!HHHHHH", ident, 0x8180, 1, len(answers), 0, 0) + \
        dns_name(name) + struct.pack("!HH", qtype, 1)
    for owner, typ, rdata in answers:
        own = b"\xc0\x0c" if owner is None else dns_name(owner)
        if typ == 5:
            rdata = dns_name(rdata)
        else:
            rdata = addr(rdata)
        msg += own + struct.pack("!HHIH", typ, 1, 300, len(rdata)) + rdata
    return msg


def dns_responses():
    """Well-formed responses for the names the fuzz harness allows."""
    return {
        "a": dns_response("example.com", [(None, 1, "93.184.216.34")]),
        "aaaa": dns_response("www.example.org",
                             [(None, 28, "2606:2800:220:1::1")], qtype=28),
        "cname": dns_response("cdn.example.net",
                              [(None, 5, "edge.example.org"),
                               ("edge.example.org", 1, "192.0.2.7"),
                               ("edge.example.org", 1, "192.0.2.8")]),
        "chain": dns_response("a.b.c", [(None, 5, "x.a.b.c"),
                                        ("x.a.b.c", 5, "y.a.b.c"),
                                        ("y.a.b.c", 28, "2001:db8::1")]),
        "other": dns_response("not.allowed.test", [(None, 1, "198.51.100.1")]),
        "query": dns_query("example.com"),
    }


def valid_frames():
    """One well-formed frame of every shape the classifier tells apart."""
    u4 = lambda sp, dp, d=b"": udp(sp, dp, d)
    u6 = lambda sp, dp, d=b"": udp(sp, dp, d, GUEST6, GW6)
    t6 = lambda sp, dp, fl: tcp(sp, dp, fl, b"", GUEST6, GW6)
    big = bytes(range(256)) * 4
    return {
        "arp": eth(ETH_P_ARP, arp()),
        "v4-tcp-syn": eth(ETH_P_IP, ipv4(TCP, tcp(40000, 80, SYN))),
        "v4-tcp-data": eth(ETH_P_IP, ipv4(TCP, tcp(40000, 80, ACK | PSH,
                                                   b"GET / HTTP/1.0\r\n\r\n"))),
        "v4-udp": eth(ETH_P_IP, ipv4(UDP, u4(40000, 9999, b"hello"))),
        "v4-dns": eth(ETH_P_IP, ipv4(UDP, u4(40000, 53,
                                             dns_query("example.com")))),
        "v4-dhcp": eth(ETH_P_IP, ipv4(UDP, udp(68, 67, bytes(240), "0.0.0.0",
                                               "255.255.255.255"),
                                      "0.0.0.0", "255.255.255.255")),
        "v4-icmp": eth(ETH_P_IP, ipv4(ICMP, icmp())),
        "v4-options": eth(ETH_P_IP, ipv4(UDP, u4(40000, 53, b"x"),
                                         options=b"\x01\x01\x01\x00")),
        "v4-frag-first": eth(ETH_P_IP, ipv4(UDP, u4(40000, 9999, big)[:208],
                                            mf=True)),
        "v4-frag-next": eth(ETH_P_IP, ipv4(UDP, big[:200], frag=208)),
        "vlan-v4-tcp": eth(ETH_P_IP, ipv4(TCP, tcp(40000, 443, SYN)), vlan=5),
        "v6-tcp-syn": eth(ETH_P_IPV6, ipv6(TCP, t6(40000, 80, SYN))),
        "v6-udp": eth(ETH_P_IPV6, ipv6(UDP, u6(40000, 9999, b"hello"))),
        "v6-dns": eth(ETH_P_IPV6, ipv6(UDP, u6(40000, 53,
                                               dns_query("example.com")))),
        "v6-icmp": eth(ETH_P_IPV6, ipv6(ICMPV6, icmp6())),
        "v6-ns": eth(ETH_P_IPV6, ipv6(ICMPV6, icmp6(135, 0, bytes(4) +
                                                    addr(GW6)))),
        "v6-ext": eth(ETH_P_IPV6, ipv6(HOPOPTS, ext(DSTOPTS) + ext(ROUTING) +
                                       ext(UDP) + u6(40000, 53, b"q"))),
        "v6-frag-first": eth(ETH_P_IPV6, ipv6(FRAGMENT, frag6(UDP, 0, True) +
                                              u6(40000, 9999, big)[:200])),
        "v6-frag-next": eth(ETH_P_IPV6, ipv6(FRAGMENT, frag6(UDP, 200) +
                                             big[:100])),
        "vlan-v6-udp": eth(ETH_P_IPV6, ipv6(UDP, u6(40000, 53, b"q")),
                           vlan=7),
        "other-ethertype": eth(0x88B5, bytes(46)),
    }
