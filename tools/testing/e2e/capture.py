#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""capture.py DEV OUT [filter]: count the frames DEV hands to the stack.

The receiving side of the e2e security and delivery checks: a packet
socket on DEV (run it in DEV's namespace) sees every frame the device
delivered to the network stack, and none that the module dropped before.
Outgoing frames are ignored. Frames matching the filter are counted per
address family; OUT is rewritten as "ipv4 N ipv6 M" after every match,
and written once ("ipv4 0 ipv6 0") as soon as the socket is bound: a
non-empty OUT means the capture is running. It runs until SIGTERM or
SIGINT (or --timeout) and exits 0.

Filter: --proto tcp|udp|icmp (icmp means ICMP or ICMPv6), --dport P,
--src ADDR, --dst ADDR, --syn (TCP SYN without ACK).
"""

import argparse
import ipaddress
import os
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
PROTOS = {"tcp": (6, 6), "udp": (17, 17), "icmp": (1, 58)}


def parse(frame):
    """(family, proto, src, dst, l4 bytes) of an IPv4/IPv6 frame, or None."""
    if len(frame) < 14:
        return None
    etype = struct.unpack_from("!H", frame, 12)[0]
    ip = frame[14:]
    if etype == 0x0800 and len(ip) >= 20 and ip[0] >> 4 == 4:
        ihl = (ip[0] & 0xF) * 4
        frag = struct.unpack_from("!H", ip, 6)[0] & 0x1FFF
        l4 = ip[ihl:] if frag == 0 else b""
        return (4, ip[9], ipaddress.ip_address(ip[12:16]),
                ipaddress.ip_address(ip[16:20]), l4)
    if etype == 0x86DD and len(ip) >= 40 and ip[0] >> 4 == 6:
        return (6, ip[6], ipaddress.ip_address(ip[8:24]),
                ipaddress.ip_address(ip[24:40]), ip[40:])
    return None


def matches(a, pkt):
    fam, proto, src, dst, l4 = pkt
    if a.proto and proto != PROTOS[a.proto][0 if fam == 4 else 1]:
        return False
    if a.src and src != ipaddress.ip_address(a.src):
        return False
    if a.dst and dst != ipaddress.ip_address(a.dst):
        return False
    if a.dport is not None:
        if len(l4) < 4 or struct.unpack_from("!H", l4, 2)[0] != a.dport:
            return False
    if a.syn:
        if proto != 6 or len(l4) < 14 or (l4[13] & 0x12) != 0x02:
            return False
    return True


def write(path, counts):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"ipv4 {counts[4]} ipv6 {counts[6]}\n")
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dev")
    p.add_argument("out")
    p.add_argument("--proto", choices=sorted(PROTOS))
    p.add_argument("--dport", type=int)
    p.add_argument("--src")
    p.add_argument("--dst")
    p.add_argument("--syn", action="store_true")
    p.add_argument("--timeout", type=float, default=600)
    a = p.parse_args()

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(1))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((a.dev, ETH_P_ALL))
    s.settimeout(0.1)
    counts = {4: 0, 6: 0}
    write(a.out, counts)
    deadline = time.monotonic() + a.timeout
    while not stop and time.monotonic() < deadline:
        try:
            frame, addr = s.recvfrom(65536)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if addr[2] == PACKET_OUTGOING:
            continue
        pkt = parse(frame)
        if pkt and matches(a, pkt):
            counts[pkt[0]] += 1
            write(a.out, counts)
    # Frames already queued on the socket when the stop came count too.
    s.setblocking(False)
    while True:
        try:
            frame, addr = s.recvfrom(65536)
        except (BlockingIOError, InterruptedError):
            break
        if addr[2] != PACKET_OUTGOING:
            pkt = parse(frame)
            if pkt and matches(a, pkt):
                counts[pkt[0]] += 1
    write(a.out, counts)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print(f"capture: {e}", file=sys.stderr)
        sys.exit(1)
