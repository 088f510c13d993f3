#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks of the /dev/vmgw file interface, run as root in the test VM.

Usage: chrdev.py CHECK DEV [ARGS]   (run inside the device's namespace)
Each check prints what it verified and exits non-zero at the first
difference from the documented behaviour.
"""

import errno
import fcntl
import os
import select
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
TUNGETIFF = 0x800454D2
TUNGETFEATURES = 0x800454CF
TUNSETOFFLOAD = 0x400454D0
TUNSETVNETHDRSZ = 0x400454D8
TUNGETVNETHDRSZ = 0x800454D7
TUNSETSNDBUF = 0x400454D4
IFF_TUN, IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x1, 0x2, 0x1000, 0x4000
TAP = IFF_TAP | IFF_NO_PI
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, TUN_F_TSO_ECN, TUN_F_UFO = 1, 2, 4, 8, 16
VIRTIO_NET_HDR_GSO_TCPV4 = 1


def fail(msg):
    print(f"chrdev: {msg}", file=sys.stderr)
    sys.exit(1)


def expect_errno(want, fn, what):
    try:
        fn()
    except OSError as e:
        if e.errno != want:
            fail(f"{what}: got {errno.errorcode.get(e.errno)}, "
                 f"want {errno.errorcode[want]}")
        print(f"ok: {what} -> {errno.errorcode[want]}")
        return
    fail(f"{what}: succeeded, want {errno.errorcode[want]}")


def ifreq(name, flags=0):
    return struct.pack("16sH22x", name.encode(), flags)


def open_dev(nonblock=True):
    return os.open("/dev/vmgw", os.O_RDWR | (os.O_NONBLOCK if nonblock else 0))


def attach(fd, dev, flags=TAP):
    out = fcntl.ioctl(fd, TUNSETIFF, ifreq(dev, flags))
    return struct.unpack("16sH22x", out)


def stat(dev, name):
    out = subprocess.run(["ethtool", "-S", dev], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        key, _, val = line.strip().partition(": ")
        if key == name:
            return int(val)
    fail(f"ethtool -S {dev} has no {name}")


def eth_frame(size, ethertype=0x88B5):
    """A frame of @size bytes with an experimental ethertype (passes)."""
    hdr = bytes.fromhex("020000000001") + bytes.fromhex("020000000002")
    return hdr + struct.pack("!H", ethertype) + bytes(size - 14)


def wait_carrier(dev, on):
    """Operstate follows carrier through linkwatch, which may lag."""
    for _ in range(50):
        with open(f"/sys/class/net/{dev}/carrier") as f:
            if (f.read().strip() == "1") == on:
                return True
        time.sleep(0.1)
    return False


def drain(fd):
    """Read what the stack sent since attach (IPv6 ND/MLD and such)."""
    n = 0
    while True:
        try:
            os.read(fd, 65536)
            n += 1
        except BlockingIOError:
            return n


def check_ioctls(dev):
    fd = open_dev()
    expect_errno(errno.EBADFD, lambda: fcntl.ioctl(fd, TUNGETIFF, ifreq("")),
                 "TUNGETIFF before TUNSETIFF")
    expect_errno(errno.EBADFD, lambda: os.write(fd, eth_frame(60)),
                 "write before TUNSETIFF")
    expect_errno(errno.EBADFD, lambda: os.read(fd, 2048),
                 "read before TUNSETIFF")
    expect_errno(errno.EINVAL, lambda: attach(fd, dev, IFF_TUN | IFF_NO_PI),
                 "TUNSETIFF IFF_TUN")
    expect_errno(errno.EINVAL, lambda: attach(fd, dev, IFF_TAP),
                 "TUNSETIFF without IFF_NO_PI")
    expect_errno(errno.EINVAL, lambda: attach(fd, dev, TAP | 0x0100),
                 "TUNSETIFF IFF_MULTI_QUEUE")
    expect_errno(errno.ENODEV, lambda: attach(fd, "nosuchdev0"),
                 "TUNSETIFF unknown name")
    expect_errno(errno.EINVAL, lambda: attach(fd, "lo"),
                 "TUNSETIFF on a non-vmgw device")
    expect_errno(errno.EINVAL,
                 lambda: fcntl.ioctl(fd, TUNSETVNETHDRSZ, struct.pack("i", 11)),
                 "TUNSETVNETHDRSZ 11")
    for sz in (12, 10):
        fcntl.ioctl(fd, TUNSETVNETHDRSZ, struct.pack("i", sz))
        got = struct.unpack("i", fcntl.ioctl(fd, TUNGETVNETHDRSZ,
                                             struct.pack("i", 0)))[0]
        if got != sz:
            fail(f"TUNGETVNETHDRSZ {got}, want {sz}")
    print("ok: TUNSETVNETHDRSZ/TUNGETVNETHDRSZ 12 and 10")
    feats = struct.unpack("I", fcntl.ioctl(fd, TUNGETFEATURES,
                                           struct.pack("I", 0)))[0]
    if feats != TAP | IFF_VNET_HDR:
        fail(f"TUNGETFEATURES {feats:#x}")
    print("ok: TUNGETFEATURES")
    name, flags = attach(fd, dev, TAP | IFF_VNET_HDR)
    if name.rstrip(b"\0").decode() != dev or flags != TAP | IFF_VNET_HDR:
        fail(f"TUNSETIFF returned {name} {flags:#x}")
    name, flags = struct.unpack("16sH22x",
                                fcntl.ioctl(fd, TUNGETIFF, ifreq("")))
    if name.rstrip(b"\0").decode() != dev or flags != TAP | IFF_VNET_HDR:
        fail(f"TUNGETIFF returned {name} {flags:#x}")
    print("ok: TUNSETIFF and TUNGETIFF report name and flags")
    expect_errno(errno.EBUSY, lambda: attach(fd, dev), "second TUNSETIFF")
    fd2 = open_dev()
    expect_errno(errno.EBUSY, lambda: attach(fd2, dev),
                 "a second file on the same device")
    os.close(fd2)
    expect_errno(errno.EINVAL,
                 lambda: fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_UFO),
                 "TUNSETOFFLOAD with UFO (QEMU's probe)")
    fcntl.ioctl(fd, TUNSETOFFLOAD, 0)
    fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 |
                TUN_F_TSO_ECN)
    print("ok: TUNSETOFFLOAD 0 and CSUM|TSO4|TSO6|ECN")
    expect_errno(errno.ENOTTY,
                 lambda: fcntl.ioctl(fd, TUNSETSNDBUF, struct.pack("i", 1)),
                 "an ioctl vmgw does not implement")
    if not wait_carrier(dev, True):
        fail("carrier off while attached")
    os.close(fd)
    if not wait_carrier(dev, False):
        fail("carrier on after close")
    print("ok: carrier follows the attached file")


def check_lengths(dev):
    fd = open_dev()
    attach(fd, dev)
    mtu = int(open(f"/sys/class/net/{dev}/mtu").read())
    before = {k: stat(dev, k) for k in ("write_err_short", "write_err_long",
                                        "rx_packets")}
    for n in (0, 1, 13):
        expect_errno(errno.EINVAL, lambda: os.write(fd, bytes(n)),
                     f"write of {n} bytes")
    expect_errno(errno.EINVAL, lambda: os.write(fd, eth_frame(mtu + 19)),
                 f"write of MTU+19 ({mtu + 19}) bytes")
    n = os.write(fd, eth_frame(mtu + 18))
    if n != mtu + 18:
        fail(f"write of MTU+18 returned {n}")
    n = os.writev(fd, [eth_frame(60)[:20], eth_frame(60)[20:]])
    if n != 60:
        fail(f"writev of 60 bytes in two iovecs returned {n}")
    print("ok: MTU+18 and a two-iovec writev accepted whole")
    time.sleep(0.3)
    after = {k: stat(dev, k) for k in before}
    if after["write_err_short"] - before["write_err_short"] != 3:
        fail(f"write_err_short {before} -> {after}")
    if after["write_err_long"] - before["write_err_long"] != 1:
        fail(f"write_err_long {before} -> {after}")
    if after["rx_packets"] - before["rx_packets"] != 2:
        fail(f"rx_packets {before} -> {after}")
    print("ok: each refusal counted, accepted frames delivered")
    os.close(fd)

    fd = open_dev()
    fcntl.ioctl(fd, TUNSETVNETHDRSZ, struct.pack("i", 12))
    attach(fd, dev, TAP | IFF_VNET_HDR)
    bad0 = stat(dev, "write_err_vnet_hdr")
    short0 = stat(dev, "write_err_short")
    expect_errno(errno.EINVAL, lambda: os.write(fd, bytes(11)),
                 "write shorter than the 12-byte vnet header")
    # GSO header that claims 200 bytes of headers in a 60-byte frame.
    hdr = struct.pack("<BBHHHHH", 0, VIRTIO_NET_HDR_GSO_TCPV4, 200, 1400,
                      0, 0, 0)
    expect_errno(errno.EINVAL, lambda: os.write(fd, hdr + eth_frame(60)),
                 "vnet header with hdr_len beyond the frame")
    # NEEDS_CSUM with a checksum start beyond the end of the frame.
    hdr = struct.pack("<BBHHHHH", 1, 0, 0, 0, 2000, 16, 0)
    expect_errno(errno.EINVAL, lambda: os.write(fd, hdr + eth_frame(1500)),
                 "checksum start beyond the frame")
    if stat(dev, "write_err_vnet_hdr") - bad0 != 2:
        fail("write_err_vnet_hdr not counted twice")
    if stat(dev, "write_err_short") - short0 != 1:
        fail("write_err_short not counted")
    n = os.write(fd, bytes(12) + eth_frame(60))
    if n != 72:
        fail(f"write with a plain vnet header returned {n}")
    print("ok: vnet header checks counted; plain header accepted")
    os.close(fd)


def check_read(dev, peer):
    """Frames the stack sends to the guest: h2g ring, poll, short buffer."""
    fd = open_dev()
    attach(fd, dev)
    drain(fd)
    expect_errno(errno.EAGAIN, lambda: os.read(fd, 2048), "read when empty")
    p = select.poll()
    p.register(fd, select.POLLIN | select.POLLOUT)
    ev = dict(p.poll(0)).get(fd, 0)
    if ev & select.POLLIN or not ev & select.POLLOUT:
        fail(f"poll on an idle file: {ev:#x}")
    subprocess.run(["ping", "-c", "1", "-W", "1", peer], capture_output=True)
    ev = dict(p.poll(2000)).get(fd, 0)
    if not ev & select.POLLIN:
        fail(f"poll after ping: {ev:#x}")
    print("ok: poll reports POLLOUT when idle, POLLIN with a frame queued")
    short0 = stat(dev, "read_drop_short_buf")
    expect_errno(errno.EINVAL, lambda: os.read(fd, 10),
                 "read into a 10-byte buffer")
    if stat(dev, "read_drop_short_buf") != short0 + 1:
        fail("read_drop_short_buf not counted")
    frames = 0
    while True:
        try:
            f = os.read(fd, 65536)
        except BlockingIOError:
            break
        if len(f) < 42 or f[12:14] not in (b"\x08\x06", b"\x86\xdd"):
            fail(f"unexpected frame {f[:20].hex()}")
        frames += 1
    print(f"ok: {frames} more frame(s) read whole, then EAGAIN")
    os.close(fd)


def qdisc_stats(dev):
    """(dropped, backlog packets) of the device's root qdisc."""
    out = subprocess.run(["tc", "-s", "qdisc", "show", "dev", dev],
                         capture_output=True, text=True).stdout
    words = out.replace("(", " ").replace(")", " ").replace(",", " ").split()
    dropped = int(words[words.index("dropped") + 1])
    backlog = int(words[words.index("backlog") + 2].rstrip("p"))
    return dropped, backlog


def check_h2g_full(dev, peer):
    """A 16-slot h2g ring without a reader stops the queue: the qdisc holds
    the rest, nothing is dropped, and reads restart the queue."""
    fd = open_dev()
    attach(fd, dev)
    time.sleep(0.5)
    drain(fd)
    tx0 = stat(dev, "tx_packets")
    noq0 = stat(dev, "tx_drop_no_queue")
    subprocess.run(["ping", "-c", "40", "-i", "0.01", "-W", "1", peer],
                   capture_output=True)
    queued = stat(dev, "tx_packets") - tx0
    dropped, backlog = qdisc_stats(dev)
    if queued > 16 or backlog == 0 or dropped:
        fail(f"ring took {queued}, qdisc backlog {backlog} dropped {dropped}")
    print(f"ok: ring full after {queued} frames, qdisc holds {backlog}")
    got = 0
    idle_since = time.time()
    while time.time() - idle_since < 1.0:
        try:
            os.read(fd, 65536)
            got += 1
            idle_since = time.time()
        except BlockingIOError:
            time.sleep(0.05)
    if got < 16 + backlog:
        fail(f"read {got} frames, ring and qdisc held {16 + backlog}")
    if qdisc_stats(dev)[0] or stat(dev, "tx_drop_no_queue") != noq0:
        fail("frames dropped")
    print(f"ok: reads woke the queue, all {got} frames arrived, none dropped")
    os.close(fd)


def check_dead(dev, mode):
    """The device dies while the file is open (deleted or namespace gone)."""
    fd = open_dev()
    attach(fd, dev)
    os.write(fd, eth_frame(60))
    print("attached", flush=True)
    sys.stdin.readline()            # the caller deletes the device now
    p = select.poll()
    p.register(fd, select.POLLIN | select.POLLOUT)
    ev = dict(p.poll(1000)).get(fd, 0)
    if ev & (select.POLLERR | select.POLLHUP) != select.POLLERR | select.POLLHUP:
        fail(f"poll after device death: {ev:#x}")
    expect_errno(errno.ENODEV, lambda: os.write(fd, eth_frame(60)),
                 f"write after {mode}")
    expect_errno(errno.ENODEV, lambda: os.read(fd, 2048),
                 f"read after {mode}")
    expect_errno(errno.ENODEV, lambda: fcntl.ioctl(fd, TUNGETIFF, ifreq("")),
                 f"TUNGETIFF after {mode}")
    os.close(fd)
    print("ok: poll EPOLLERR|EPOLLHUP, read/write ENODEV, close is safe")


def check_hold(dev):
    """Attach and keep the file open until stdin closes (for rmmod, move)."""
    fd = open_dev(nonblock=False)
    attach(fd, dev)
    print("attached", flush=True)
    for line in sys.stdin:
        if line.strip() == "write":
            os.write(fd, eth_frame(60))
            print("written", flush=True)
    os.close(fd)


CHECKS = {"ioctls": check_ioctls, "lengths": check_lengths,
          "read": check_read, "h2g-full": check_h2g_full,
          "dead": check_dead, "hold": check_hold}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in CHECKS:
        fail(f"usage: chrdev.py {{{'|'.join(CHECKS)}}} DEV [ARGS]")
    CHECKS[sys.argv[1]](*sys.argv[2:])
