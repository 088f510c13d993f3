#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile guest frames against every refusal of the policy, each checked
from the victim's side, and the gateway protocols a real guest needs.

Usage: adversarial.py DEVNODE DEV VICTIM_NETNS GROUP
Run in the gateway namespace. DEVNODE is /dev/vmgw, or /dev/net/tun for
a plain TAP device DEV in vmgw's place (the validation run: every hostile
case must then fail). The frames are written with a virtio-net header, as
a VMM would. An AF_PACKET capture on the victim namespace's eth0 (routed
beyond the gateway as an uplink is) sees every frame the gateway forwards:
a hostile case passes only when none of its frames (each carries a marker
"ADVnnn") arrives there. Controls ("arrives") must arrive, so that the
silence of the others means something. Prints one line per case and
exits 1 when any case failed.
"""

import ctypes
import fcntl
import os
import select
import socket
import struct
import sys
import threading
import time

import frames as F

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x2, 0x1000, 0x4000
NEEDS_CSUM = 1
GSO_NONE, GSO_TCPV4, GSO_UDP, GSO_TCPV6 = 0, 1, 3, 4
ETH_P_ALL = 0x0003
RST = 0x04
CLONE_NEWNET = 0x40000000

GUEST_MAC = F.GUEST_MAC
OTHER_MAC = bytes.fromhex("020000000099")
G4, G6 = F.GUEST4, F.GUEST6
GW4, GW6 = F.GW4, F.GW6
BCAST_MAC = b"\xff" * 6
FAR4, DENIED4 = "203.0.113.10", "203.0.113.66"
FAR6, DENIED6 = "2001:db8:2::10", "2001:db8:2::66"
METADATA = "169.254.169.254"
NAT64_DENIED = "64:ff9b::cb00:7142"     # 203.0.113.66
MAPPED_DENIED = "::ffff:203.0.113.66"
# DNS poisoning: the resolver beyond the gateway (a dnsmasq in the victim
# namespace), the address the attacker wants learned, the allowed name
RESOLVER4 = "203.0.113.53"
POISON4 = DENIED4
ALLOWED_NAME = "allowed.adv.test"
TXT_NAME = "big.evil.test"

FAILED = []


def setns(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), f"setns {path}")
    finally:
        os.close(fd)


def report(ok, name, detail=""):
    print(f"{'ok' if ok else 'FAIL'}: {name}{': ' + detail if detail else ''}",
          flush=True)
    if not ok:
        FAILED.append(name)


# Frame builders with the hop limit, source MAC and marker a case needs.
def ip4(proto, payload, src=G4, dst=FAR4, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0,
                      ttl, proto, 0, F.addr(src), F.addr(dst))
    return hdr[:10] + struct.pack("!H", F.csum(hdr)) + hdr[12:] + payload


def ip6(nexthdr, payload, src=G6, dst=FAR6, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, hlim,
                       F.addr(src), F.addr(dst)) + payload


def eth4(pkt, smac=GUEST_MAC, dmac=F.GW_MAC, vlan=None):
    return F.eth(F.ETH_P_IP, pkt, vlan, smac, dmac)


def eth6(pkt, smac=GUEST_MAC, dmac=F.GW_MAC):
    return F.eth(F.ETH_P_IPV6, pkt, None, smac, dmac)


def tcp_seg(sport, dport, flags, data, src, dst, seq=1000, ack=0):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0) + data
    return F.l4_csum(seg, 16, src, dst, F.TCP)


def icmp6_msg(typ, body, src, dst):
    msg = struct.pack("!BBH", typ, 0, 0) + body
    return F.l4_csum(msg, 2, src, dst, F.ICMPV6)


class Dev:
    """The attached file of the gateway device: what a VMM writes."""

    def __init__(self, node, name):
        self.fd = os.open(node, os.O_RDWR | os.O_NONBLOCK)
        fcntl.ioctl(self.fd, TUNSETIFF,
                    struct.pack("16sH22x", name.encode(),
                                IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))

    def write(self, frame, flags=0, gso=GSO_NONE, hdr_len=0, gso_size=0,
              start=0, off=0):
        hdr = struct.pack("<BBHHHH", flags, gso, hdr_len, gso_size, start,
                          off)
        try:
            os.write(self.fd, hdr + frame)
            return True
        except OSError as e:
            print(f"#   write refused: {e}", flush=True)
            return False

    def frames(self, timeout):
        """Frames to the guest for @timeout seconds (vnet header cut)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                return
            try:
                buf = os.read(self.fd, 70000)
            except BlockingIOError:
                continue
            yield buf[10:]

    def drain(self):
        for _ in self.frames(0.05):
            pass


class Victim:
    """Everything that arrives at the victim namespace's eth0."""

    def __init__(self, netns):
        setns(f"/run/netns/{netns}")
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(ETH_P_ALL))
        self.s.bind(("eth0", 0))
        self.s.setblocking(False)

    def drain(self):
        try:
            while True:
                self.s.recv(70000)
        except BlockingIOError:
            pass

    def seen(self, marker, wait):
        """Frames carrying @marker that arrived within @wait seconds."""
        got = []
        end = time.monotonic() + wait
        while time.monotonic() < end:
            r, _, _ = select.select([self.s], [], [], end - time.monotonic())
            if not r:
                break
            try:
                f, info = self.s.recvfrom(70000)
            except BlockingIOError:
                continue
            if info[2] != socket.PACKET_OUTGOING and marker in f:
                got.append(f)
        return got


def describe(f):
    if len(f) >= 38 and f[12:14] == b"\x08\x00":
        sp, dp = struct.unpack("!HH", f[34:38])
        return (f"IPv4 {socket.inet_ntop(socket.AF_INET, f[26:30])} -> "
                f"{socket.inet_ntop(socket.AF_INET, f[30:34])} proto {f[23]} "
                f"ports {sp}->{dp}")
    if len(f) >= 54 and f[12:14] == b"\x86\xdd":
        return (f"IPv6 {socket.inet_ntop(socket.AF_INET6, f[22:38])} -> "
                f"{socket.inet_ntop(socket.AF_INET6, f[38:54])} next {f[20]} "
                f"hlim {f[21]}")
    return f[:34].hex()


class Suite:
    def __init__(self, node, name, victim):
        home = f"/proc/self/fd/{os.open('/proc/self/ns/net', os.O_RDONLY)}"
        self.victim = Victim(victim)
        setns(home)
        self.dev = Dev(node, name)
        self.n = 0

    def marker(self):
        self.n += 1
        return b"ADV%03d" % self.n

    def case(self, name, build, arrives=False, wait=0.6):
        """@build(marker) returns [(frame, vnet header fields)]."""
        m = self.marker()
        self.victim.drain()
        self.dev.drain()
        sent = all(self.dev.write(f, **h) for f, h in build(m))
        got = self.victim.seen(m, wait)
        self.dev.drain()
        what = "; ".join(describe(f) for f in got[:2])
        if arrives:
            report(sent and bool(got), f"arrives: {name}",
                   what or "nothing arrived")
        else:
            report(not got, f"refused: {name}",
                   f"{len(got)} arrived: {what}" if got else
                   ("write refused" if not sent else "nothing arrived"))


def plain(f):
    return [(f, {})]


def udp4(m, sport, dport, dst, src=G4, smac=GUEST_MAC, dmac=F.GW_MAC):
    return eth4(ip4(F.UDP, F.udp(sport, dport, m, src, dst), src, dst),
                smac, dmac)


def udp6(m, sport, dport, dst, src=G6):
    return eth6(ip6(F.UDP, F.udp(sport, dport, m, src, dst), src, dst))


def syn4(m, dport, dst, src=G4, sport=41000):
    return eth4(ip4(F.TCP, tcp_seg(sport, dport, F.SYN, m, src, dst), src,
                    dst))


def syn6(m, dport, dst, src=G6, sport=41000):
    return eth6(ip6(F.TCP, tcp_seg(sport, dport, F.SYN, m, src, dst), src,
                    dst))


def ns6(m, target, dst, hlim, src=G6):
    body = struct.pack("!I16s", 0, F.addr(target)) + \
        struct.pack("!BB6s", 1, 1, GUEST_MAC)
    if m:
        # the marker in an option of its own (type 250, 8 bytes)
        body += struct.pack("!BB", 250, 1) + m.ljust(6, b"\0")
    return eth6(ip6(F.ICMPV6, icmp6_msg(135, body, src, dst), src, dst, hlim))


def echo6(m, dst, src=G6):
    return eth6(ip6(F.ICMPV6, icmp6_msg(128, b"\0\1\0\1" + m, src, dst), src,
                    dst))


def offload_syn(m, v6, dport, start_delta, off):
    """A SYN to an allowed port whose checksum request writes elsewhere:
    at L4 + @start_delta, @off further on."""
    f = syn6(m, dport, FAR6) if v6 else syn4(m, dport, FAR4)
    l4 = 14 + (40 if v6 else 20)
    # the checksum field holds the pseudo-header sum, as a guest leaves it
    return [(f, {"flags": NEEDS_CSUM, "start": l4 + start_delta,
                 "off": off})]


# The groups: the shell sets the policy of each before it runs.
def group_open(s):
    """Open mode, default floor, deny rules for DENIED4 and DENIED6."""
    s.case("control: ICMPv6 echo beyond the gateway", lambda m: plain(
        echo6(m, FAR6)), arrives=True)
    s.case("DHCP 68->67 to the metadata address", lambda m: plain(
        udp4(m, 68, 67, METADATA)))
    s.case("DHCP 68->67 to a denied address", lambda m: plain(
        udp4(m, 68, 67, DENIED4)))
    s.case("DHCPv6 546->547 to a denied address", lambda m: plain(
        udp6(m, 546, 547, DENIED6)))
    s.case("DHCPv6 546->547 to a host beyond", lambda m: plain(
        udp6(m, 546, 547, FAR6)))
    s.case("UDP 40000->68 to a host beyond", lambda m: plain(
        udp4(m, 40000, 68, FAR4)))
    s.case("UDP 40000->67 to a host beyond", lambda m: plain(
        udp4(m, 40000, 67, FAR4)))
    s.case("UDP 67->68 to a host beyond", lambda m: plain(
        udp4(m, 67, 68, FAR4)))
    s.case("UDP 40000->546 (IPv6) to a host beyond", lambda m: plain(
        udp6(m, 40000, 546, FAR6)))
    s.case("UDP 547->546 (IPv6) to a host beyond", lambda m: plain(
        udp6(m, 547, 546, FAR6)))
    s.case("NDP NS, hop limit 64, to a denied address", lambda m: plain(
        ns6(m, DENIED6, DENIED6, 64)))
    s.case("NDP NS, hop limit 255, to a denied address", lambda m: plain(
        ns6(m, DENIED6, DENIED6, 255)))
    # (MLD aimed at a unicast host is not here: the stack does not forward
    # it even with no policy, so such a case could not fail; KUnit has it.)
    s.case("TCP SYN to the NAT64 form of a denied IPv4 host", lambda m:
           plain(syn6(m, 443, NAT64_DENIED)))
    s.case("ICMPv6 echo to the NAT64 form of a denied IPv4 host", lambda m:
           plain(echo6(m, NAT64_DENIED)))
    s.case("SYN to the metadata address, 802.1Q tag", lambda m: plain(
        eth4(ip4(F.TCP, tcp_seg(41000, 80, F.SYN, m, G4, METADATA), G4,
                 METADATA), vlan=5)))
    s.case("later IPv4 fragment to a denied address", lambda m: plain(
        eth4(F.ipv4(F.UDP, m + b"\0" * 9, G4, DENIED4, ident=9, frag=8))))
    s.case("IPv6 fragment behind a destination option, denied address",
           lambda m: plain(eth6(ip6(F.DSTOPTS, F.ext(F.FRAGMENT) +
                                    F.frag6(F.UDP, 8, False, 3) + m,
                                    G6, DENIED6))))


def group_reflect(s):
    """Open mode, default floor, no guest address: the gateway reflects a
    guest SYN "from" the metadata address back to the guest."""
    def build(m):
        syn = eth4(ip4(F.TCP, tcp_seg(80, 41001, F.SYN, b"", METADATA, G4,
                                      seq=5000), METADATA, G4))
        data = eth4(ip4(F.TCP, tcp_seg(41001, 80, F.ACK | F.PSH, m, G4,
                                       METADATA, seq=7000, ack=5001), G4,
                        METADATA))
        return [(syn, {}), (data, {})]

    def reflected(m):
        out = build(m)
        s.dev.write(*out[0][:1])
        # wait until the stack sent the SYN back to the guest
        for f in s.dev.frames(1.0):
            if len(f) > 47 and f[12:14] == b"\x08\x00" and \
                    f[23] == F.TCP and f[47] & F.SYN:
                break
        return out[1:]

    s.case("segment on a flow a reflected spoofed SYN opened", reflected)


def group_allow(s):
    """Allowlist, default floor, allow FAR4/FAR6 TCP 443, no resolver; the
    victim's uplink computes checksums in software."""
    s.case("control: allowed SYN, IPv4", lambda m: plain(
        syn4(m, 443, FAR4)), arrives=True)
    s.case("control: allowed SYN, IPv6", lambda m: plain(
        syn6(m, 443, FAR6)), arrives=True)
    s.case("control: allowed SYN with a true checksum request", lambda m:
           offload_syn(m, False, 443, 0, 16), arrives=True)
    s.case("checksum request onto the destination port, IPv4", lambda m:
           offload_syn(m, False, 443, 0, 2))
    s.case("checksum request onto the TCP flags, IPv4", lambda m:
           offload_syn(m, False, 443, 0, 12))
    s.case("checksum request onto the destination port, IPv6", lambda m:
           offload_syn(m, True, 443, 0, 2))
    s.case("checksum start inside the IPv6 destination", lambda m:
           offload_syn(m, True, 443, -8, 0))
    s.case("DHCP 68->67 to a host beyond (allowlist)", lambda m: plain(
        udp4(m, 68, 67, FAR4)))
    s.case("DNS, no resolver configured, to a host beyond", lambda m: plain(
        udp4(m, 40000, 53, FAR4)))
    s.case("DNS over IPv6, no resolver configured, to a host beyond",
           lambda m: plain(udp6(m, 40000, 53, FAR6)))
    s.case("SYN to an allowed host, other port", lambda m: plain(
        syn4(m, 80, FAR4)))
    s.case("NDP NS, hop limit 255, to a host beyond (allowlist)", lambda m:
           plain(ns6(m, FAR6, FAR6, 255)))
    s.case("frame from another MAC", lambda m: plain(
        eth4(ip4(F.TCP, tcp_seg(41000, 443, F.SYN, m, G4, FAR4), G4, FAR4),
             OTHER_MAC)))
    s.case("frame from another IPv4 address", lambda m: plain(
        syn4(m, 443, FAR4, "10.0.2.99")))
    s.case("frame from another IPv6 address", lambda m: plain(
        syn6(m, 443, FAR6, "fd00::99")))


def dhcp_discover(xid):
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0,
                        0x8000, bytes(4), bytes(4), bytes(4), bytes(4),
                        GUEST_MAC + bytes(10), bytes(64), bytes(128))
    opts = b"\x63\x82\x53\x63" + b"\x35\x01\x01" + b"\xff"
    return udp4(bootp + opts, 68, 67, "255.255.255.255", "0.0.0.0",
                dmac=BCAST_MAC)


def group_gateway(s):
    """Real gateway protocols through the device (dnsmasq in the gateway
    namespace answers DHCP and DNS, the stack NDP), and a published port,
    under allowlist mode and the strict floor, no resolver configured."""
    s.dev.drain()
    s.dev.write(dhcp_discover(0x5eed))
    offer = [f for f in s.dev.frames(5.0)
             if f[12:14] == b"\x08\x00" and f[23] == F.UDP and
             f[34:38] == struct.pack("!HH", 67, 68) and
             f[42 + 4:42 + 8] == struct.pack("!I", 0x5eed)]
    report(bool(offer), "works: DHCP discover answered by dnsmasq (offer)",
           f"offers {socket.inet_ntoa(offer[0][58:62])}" if offer else
           "no offer")

    sol = "ff02::1:ff00:2"
    s.dev.write(ns6(b"", GW6, sol, 255))
    na = [f for f in s.dev.frames(3.0)
          if len(f) > 54 and f[12:14] == b"\x86\xdd" and
          f[20] == F.ICMPV6 and f[54] == 136]
    report(bool(na), "works: NDP solicitation of the gateway answered")

    q = F.dns_query("adv.test", ident=0x4242)
    s.dev.write(udp4(q, 40053, 53, GW4))
    ans = [f for f in s.dev.frames(3.0)
           if f[12:14] == b"\x08\x00" and f[23] == F.UDP and
           f[34:36] == b"\x00\x35" and f[42:44] == b"\x42\x42"]
    report(bool(ans) and F.addr(FAR4) in ans[0],
           "works: DNS through the gateway (allowlist, no resolver)",
           "answered" if ans else "no answer")

    # published port: a socket of the gateway namespace connects to the
    # guest, which answers from raw frames; the floor does not stop it.
    res = {}

    def connect():
        c = socket.socket()
        c.settimeout(5)
        try:
            c.connect((G4, 8080))
            res["ok"] = True
        except OSError as e:
            res["err"] = e
        c.close()

    t = threading.Thread(target=connect)
    t.start()
    done = False
    for f in s.dev.frames(5.0):
        if len(f) > 47 and f[12:14] == b"\x08\x00" and f[23] == F.TCP and \
                f[36:38] == b"\x1f\x90" and f[47] & F.SYN and not done:
            sport, = struct.unpack("!H", f[34:36])
            seq, = struct.unpack("!I", f[38:42])
            peer = socket.inet_ntoa(f[26:30])
            sa = tcp_seg(8080, sport, F.SYN | F.ACK, b"", G4, peer, 9000,
                         seq + 1)
            s.dev.write(eth4(ip4(F.TCP, sa, G4, peer)))
            done = True
        if done and not t.is_alive():
            break
    t.join()
    report(res.get("ok", False),
           "works: published port (the gateway connects to the guest)",
           str(res.get("err", "")))


# DNS poisoning. The guest controls a domain (here: the TXT record of
# big.evil.test that the gateway's dnsmasq serves) and may ask the real
# resolvers anything; it wants POISON4 learned for ALLOWED_NAME.
def forged_answer(ident):
    """A whole DNS-over-TCP message: ALLOWED_NAME is POISON4."""
    msg = F.dns_response(ALLOWED_NAME, [(None, 1, POISON4)], ident=ident)
    return struct.pack("!H", len(msg)) + msg


def txt_rdata():
    """The TXT record's data: junk, then the forged message, each a
    character-string (the shell gives it to dnsmasq with --dns-rr)."""
    f = forged_answer(0x2222)
    return bytes([16]) + b"J" * 16 + bytes([len(f)]) + f


def tcp4(sport, dport, flags, data, seq, ack, win=65535, src=G4, dst=GW4):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      win, 0, 0) + data
    return eth4(ip4(F.TCP, F.l4_csum(seg, 16, src, dst, F.TCP), src, dst))


def tcp_of(f, sport, dport):
    """(seq, flags, payload) of an IPv4 TCP frame @sport -> @dport."""
    if len(f) < 34 or f[12:14] != b"\x08\x00" or f[23] != F.TCP:
        return None
    ihl = (f[14] & 15) * 4
    t = 14 + ihl
    if len(f) < t + 20 or struct.unpack("!HH", f[t:t + 4]) != (sport,
                                                              dport):
        return None
    seq, = struct.unpack("!I", f[t + 4:t + 8])
    end = 14 + struct.unpack("!H", f[16:18])[0]
    return seq, f[t + 13], f[t + (f[t + 12] >> 4) * 4:end]


def wait_tcp(s, sport, dport, pred, timeout):
    for f in s.dev.frames(timeout):
        t = tcp_of(f, sport, dport)
        if t and pred(*t):
            return t
    return None


def partial_ack_attack(s, gport=41053):
    """Over TCP to the gateway's dnsmasq: ask for the TXT record, then
    acknowledge it only up to the forged message inside it, with a window
    that ends where the answer ends, and ask ALLOWED_NAME (ID 0x2222, the
    forged message's) so that a query waits for it: the resolver's
    retransmission then starts exactly at the forged message. Returns why
    the attack could not be made, or None once the retransmission went
    to the guest (through the device's learning)."""
    iss = 100000
    s.dev.drain()
    s.dev.write(tcp4(gport, 53, F.SYN, b"", iss, 0))
    sa = wait_tcp(s, 53, gport, lambda q, fl, p: fl & F.SYN, 3.0)
    if not sa:
        return "no SYN-ACK from the resolver"
    isn = sa[0]
    q1 = F.dns_query(TXT_NAME, qtype=16, ident=0x7777)
    q1 = struct.pack("!H", len(q1)) + q1
    s.dev.write(tcp4(gport, 53, F.ACK | F.PSH, q1, iss + 1, isn + 1))
    ans = wait_tcp(s, 53, gport, lambda q, fl, p: q == isn + 1 and p, 3.0)
    if not ans:
        return "no TXT answer"
    k = ans[2].find(forged_answer(0x2222))
    if k <= 0:
        return "the TXT answer does not carry the forged message"
    print(f"#   answer of {len(ans[2])} bytes, forged message at {k}",
          flush=True)
    q2 = F.dns_query(ALLOWED_NAME, ident=0x2222)
    q2 = struct.pack("!H", len(q2)) + q2
    s.dev.write(tcp4(gport, 53, F.ACK | F.PSH, q2, iss + 1 + len(q1),
                     isn + 1 + k, win=len(ans[2]) - k))
    if not wait_tcp(s, 53, gport,
                    lambda q, fl, p: q == isn + 1 + k and p, 5.0):
        return "no retransmission from inside the answer"
    print("#   the resolver sent again from the forged message", flush=True)
    s.dev.write(tcp4(gport, 53, RST, b"", iss + 1 + len(q1) + len(q2),
                     0))
    return None


def ask_udp(s, server, name, ident, gport):
    s.dev.write(udp4(F.dns_query(name, ident=ident), gport, 53, server))


def answered(s, server, gport, timeout=3.0):
    srv = F.addr(server)
    return any(f[12:14] == b"\x08\x00" and f[23] == F.UDP and
               f[26:30] == srv and f[34:38] == struct.pack("!HH", 53, gport)
               for f in s.dev.frames(timeout))


def group_dnstcp(s):
    """Allowlist, hosts *.adv.test, no resolver (the gateway's dnsmasq
    teaches): the partial-ACK attack over TCP."""
    ask_udp(s, GW4, "ok.adv.test", 0x1111, 40100)
    report(answered(s, GW4, 40100), "works: DNS to the gateway answered")
    s.case("control: SYN to the address a real answer taught", lambda m:
           plain(syn4(m, 80, FAR4)), arrives=True)
    why = partial_ack_attack(s)
    report(why is None, "attack made: partial ACK into a TXT answer",
           why or "")
    s.case("SYN to the address the retransmission carried", lambda m:
           plain(syn4(m, 443, POISON4)))


class Attacker:
    """A host beyond the gateway that sends UDP "from" the resolver."""

    def __init__(self, netns):
        home = f"/proc/self/fd/{os.open('/proc/self/ns/net', os.O_RDONLY)}"
        setns(f"/run/netns/{netns}")
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, F.UDP)
        self.s.bind((RESOLVER4, 0))
        setns(home)

    def answer(self, ident, gport, name=ALLOWED_NAME):
        msg = F.dns_response(name, [(None, 1, POISON4)], ident=ident)
        self.s.sendto(F.udp(53, gport, msg, RESOLVER4, G4), (G4, 0))


def group_dnsudp(s, victim):
    """Allowlist, hosts *.adv.test, resolver RESOLVER4 (a dnsmasq beyond
    the gateway): answers from the resolver's address that answer no
    question the guest asked."""
    a = Attacker(victim)
    ask_udp(s, RESOLVER4, "ok.adv.test", 0x3000, 40200)
    report(answered(s, RESOLVER4, 40200),
           "works: DNS to the resolver beyond answered")
    s.case("control: SYN to the address a real answer taught", lambda m:
           plain(syn4(m, 80, FAR4)), arrives=True)

    def attack(ask, ident, gport):
        def build(m):
            if ask:
                ask_udp(s, RESOLVER4, ask[0], ask[1], ask[2])
            a.answer(ident, gport)
            time.sleep(0.3)
            return plain(syn4(m, 443, POISON4))
        return build

    s.case("SYN after an answer nothing asked for",
           attack(None, 0x3001, 40201))
    s.case("SYN after an answer with another ID",
           attack((ALLOWED_NAME, 0x3002, 40202), 0x3003, 40202))
    s.case("SYN after an answer to another question",
           attack(("other.adv.test", 0x3004, 40204), 0x3004, 40204))
    s.case("SYN after an answer to another port",
           attack((ALLOWED_NAME, 0x3005, 40205), 0x3005, 40206))


def main():
    node, dev, victim, group = sys.argv[1:5]
    s = Suite(node, dev, victim)
    {"open": group_open, "reflect": group_reflect, "allow": group_allow,
     "gateway": group_gateway, "dnstcp": group_dnstcp,
     "dnsudp": lambda s: group_dnsudp(s, victim)}[group](s)
    if FAILED:
        print(f"{len(FAILED)} case(s) failed: {', '.join(FAILED)}",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
