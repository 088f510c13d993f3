#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw rtnetlink requests iproute2 cannot make, for e2e tests.

Usage: rtnl.py newlink-info-data NAME
  RTM_NEWLINK for a vmgw device with an IFLA_INFO_DATA attribute; prints
  the errno name and the extack message the kernel answered with.
"""

import errno
import socket
import struct
import sys

RTM_NEWLINK = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR = 2
IFLA_IFNAME, IFLA_LINKINFO = 3, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
NETLINK_EXT_ACK = 11
NLMSGERR_ATTR_MSG = 1


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("HH", length, kind) + payload + bytes(-length % 4)


def attrs(buf):
    while len(buf) >= 4:
        length, kind = struct.unpack("HH", buf[:4])
        if length < 4:
            return
        yield kind & 0x3FFF, buf[4:length]
        buf = buf[(length + 3) & ~3:]


def newlink_info_data(name):
    info = attr(IFLA_INFO_KIND, b"vmgw\0") + \
        attr(IFLA_INFO_DATA, attr(1, struct.pack("I", 7)))
    body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0) + \
        attr(IFLA_IFNAME, name.encode() + b"\0") + attr(IFLA_LINKINFO, info)
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
    msg = struct.pack("IHHII", 16 + len(body), RTM_NEWLINK, flags, 1, 0) + body
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)  # SOL_NETLINK
    s.send(msg)
    reply = s.recv(65536)
    _, kind, flags, _, _ = struct.unpack("IHHII", reply[:16])
    if kind != NLMSG_ERROR:
        sys.exit(f"rtnl: unexpected reply type {kind}")
    err = -struct.unpack("i", reply[16:20])[0]
    text = ""
    if flags & 0x200:   # NLM_F_ACK_TLVS; the request is capped (0x100)
        off = 20 + (16 if flags & 0x100 else len(msg))
        for kind, val in attrs(reply[off:]):
            if kind == NLMSGERR_ATTR_MSG:
                text = val.rstrip(b"\0").decode()
    print(f"{errno.errorcode.get(err, err) if err else 'OK'}: {text}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "newlink-info-data":
        sys.exit(__doc__)
    newlink_info_data(sys.argv[2])
