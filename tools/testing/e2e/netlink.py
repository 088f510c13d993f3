#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of the netlink e2e tests (30-netlink.sh), run in the test VM.

Usage:
  netlink.py use-fd FD N        write N frames to the attached vmgw file FD
                                (as a VMM started by "vmgwctl run" would),
                                print "NAME FLAGS NETNS"
  netlink.py send-udp FD N      write N UDP datagrams 10.99.0.15:40000 ->
                                10.99.0.1:9999 (denied: unsupported UDP)
  netlink.py stream-arp PATH SRC_IP DST_IP
                                speak QEMU's -netdev stream framing on the
                                unix socket PATH: ARP for DST_IP, wait for
                                the framed reply, print "DST_IP is at MAC"
  netlink.py stream-bad PATH    send a frame length of 3: the server must
                                hang up
  netlink.py check-json KIND    check vmgwctl -j output on stdin (dev,
                                dev-user, rule, flow, stats)
"""

import fcntl
import json
import os
import socket
import struct
import sys
import time

TUNGETIFF = 0x800454D2
IFF_VNET_HDR = 0x4000
MAC = bytes.fromhex("020000000015")


def fail(msg):
    print(f"netlink.py: {msg}", file=sys.stderr)
    sys.exit(1)


def use_fd(fd, n):
    ifr = fcntl.ioctl(fd, TUNGETIFF, bytes(40))
    name = ifr[:16].rstrip(b"\0").decode()
    flags = struct.unpack("H", ifr[16:18])[0]
    # Experimental ethertype: passes the verdict, counted as rx_packets.
    frame = b"\xff" * 6 + MAC + b"\x88\xb5" + bytes(46)
    hdr = bytes(10) if flags & IFF_VNET_HDR else b""
    for _ in range(n):
        if os.write(fd, hdr + frame) != len(hdr) + len(frame):
            fail("short write")
    print(name, hex(flags), os.readlink("/proc/self/ns/net"))


def ip_csum(hdr):
    s = sum(struct.unpack(f"!{len(hdr) // 2}H", hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def send_udp(fd, n):
    ifr = fcntl.ioctl(fd, TUNGETIFF, bytes(40))
    flags = struct.unpack("H", ifr[16:18])[0]
    hdr = bytes(10) if flags & IFF_VNET_HDR else b""
    payload = b"denied!!"
    udp = struct.pack("!HHHH", 40000, 9999, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17,
                     0, socket.inet_aton("10.99.0.15"),
                     socket.inet_aton("10.99.0.1"))
    ip = ip[:10] + struct.pack("!H", ip_csum(ip)) + ip[12:]
    frame = b"\xff" * 6 + MAC + b"\x08\x00" + ip + udp
    for _ in range(n):
        os.write(fd, hdr + frame)
    print("sent", n)


def arp_request(src, dst):
    sip, tip = socket.inet_aton(src), socket.inet_aton(dst)
    arp = (b"\xff" * 6 + MAC + b"\x08\x06" +
           struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + MAC + sip +
           bytes(6) + tip)
    return arp + bytes(60 - len(arp))


def stream_arp(path, src, dst):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(2)
    tip = socket.inet_aton(dst)
    buf = b""
    deadline = time.time() + 30
    req = arp_request(src, dst)
    while time.time() < deadline:
        s.sendall(struct.pack("!I", len(req)) + req)
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            fail("the server hung up")
        buf += data
        while len(buf) >= 4 and len(buf) >= 4 + struct.unpack("!I", buf[:4])[0]:
            n = struct.unpack("!I", buf[:4])[0]
            f, buf = buf[4:4 + n], buf[4 + n:]
            if (f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x02" and
                    f[28:32] == tip and f[32:38] == MAC):
                print(dst, "is at", f[22:28].hex(":"))
                return
    fail(f"no ARP reply from {dst}")


def stream_bad(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(20)
    s.sendall(struct.pack("!I", 3) + b"abc")
    # Frames the gateway sent before may still arrive; then the end.
    try:
        while s.recv(65536):
            pass
    except socket.timeout:
        fail("the server kept a client that broke the framing")
    print("hung up")


def check_json(kind):
    doc = json.load(sys.stdin)
    if not isinstance(doc, list) or len(doc) != 1:
        fail(f"want a list of one object, got {doc!r}")
    obj = doc[0]
    if kind in ("dev", "dev-user"):
        want = {"ifname", "ifindex", "attached", "mtu", "min_mtu",
                "max_mtu", "g2h_ring_size", "h2g_ring_size"}
        types = {"ifname": str, "attached": bool}
        if kind == "dev":
            # The policy, for a caller with CAP_NET_ADMIN; the lists and
            # guest addresses only when set.
            want |= {"policy_mode", "floor", "flow_cap", "flow_count",
                     "flow_timeout_syn", "flow_timeout_established",
                     "flow_timeout_fin", "flow_timeout_closed"}
            want |= set(obj) & {"guest_mac", "guest_ipv4", "guest_ipv6",
                                "resolver_ipv4", "resolver_ipv6",
                                "allow_host"}
            types.update(policy_mode=str, floor=str, guest_mac=str,
                         guest_ipv4=str, guest_ipv6=list,
                         resolver_ipv4=list, resolver_ipv6=list,
                         allow_host=list)
    elif kind == "rule":
        want = {"ifname", "ifindex", "action", "prefix_len"}
        want |= set(obj) & {"ipv4", "ipv6", "proto", "port_min", "port_max"}
        types = {"ifname": str, "action": str, "ipv4": str, "ipv6": str,
                 "proto": str}
    elif kind == "flow":
        want = {"ifname", "ifindex", "guest_port", "peer_port", "state",
                "expires_ms"}
        want |= set(obj) & {"guest_ipv4", "peer_ipv4", "guest_ipv6",
                            "peer_ipv6"}
        types = {"ifname": str, "state": str, "guest_ipv4": str,
                 "peer_ipv4": str, "guest_ipv6": str, "peer_ipv6": str}
    else:
        want = {"ifname", "ifindex", "rx_packets", "rx_bytes",
                "tx_packets", "tx_bytes", "counters"}
        types = {"ifname": str, "counters": dict}
    if set(obj) != want:
        fail(f"keys {sorted(obj)}, want {sorted(want)}")
    for k, v in obj.items():
        if not isinstance(v, types.get(k, int)) or isinstance(v, bool) != (
                types.get(k) is bool):
            fail(f"{k}: {v!r} has the wrong type")
    if kind == "stats":
        for k, v in obj["counters"].items():
            if not isinstance(v, int) or isinstance(v, bool):
                fail(f"counter {k}: {v!r}")
        if obj["counters"]["rx_packets"] != obj["rx_packets"]:
            fail("rx_packets differs between the totals and the counters")
    print(json.dumps(obj, sort_keys=True))


def main():
    cmd = sys.argv[1]
    if cmd == "use-fd":
        use_fd(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "send-udp":
        send_udp(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "stream-arp":
        stream_arp(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "stream-bad":
        stream_bad(sys.argv[2])
    elif cmd == "check-json":
        check_json(sys.argv[2])
    else:
        fail(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
