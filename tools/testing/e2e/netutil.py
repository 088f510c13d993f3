#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Small network helpers for the vmgw e2e tests (python3 standard library).

Every subcommand exits 0 on success and non-zero with a message on stderr
on failure; every wait is bounded by a timeout.
"""

import argparse
import hashlib
import ipaddress
import os
import socket
import struct
import sys
import time

CHUNK = 65536
RCVBUF = 16 << 20
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)  # Linux value


def die(msg):
    print(f"netutil: {msg}", file=sys.stderr)
    sys.exit(1)


def family_of(addr):
    """AF_INET or AF_INET6 for a numeric address."""
    try:
        ip = ipaddress.ip_address(addr.split("%")[0])
    except ValueError:
        die(f"not a numeric IP address: {addr}")
    return socket.AF_INET6 if ip.version == 6 else socket.AF_INET


def sockaddr(addr, port):
    fam = family_of(addr)
    info = socket.getaddrinfo(addr, port, fam, 0, 0, socket.AI_NUMERICHOST)
    return fam, info[0][4]


def stream(nbytes, seed):
    """Deterministic pseudo-random bytes: SHAKE-256 in counter mode."""
    i = 0
    while nbytes > 0:
        n = min(CHUNK, nbytes)
        yield hashlib.shake_256(b"netutil:%d:%d" % (seed, i)).digest(n)
        nbytes -= n
        i += 1


def remaining(deadline, what):
    left = deadline - time.monotonic()
    if left <= 0:
        die(f"timeout {what}")
    return left


# ---- TCP ----

def tcp_sink(a):
    deadline = time.monotonic() + a.timeout
    fam, sa = sockaddr(a.bind, a.port)
    with socket.socket(fam, socket.SOCK_STREAM) as ls:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(sa)
        ls.listen(1)
        ls.settimeout(remaining(deadline, "before listening"))
        try:
            conn, peer = ls.accept()
        except socket.timeout:
            die(f"no connection within {a.timeout} s")
    h, count = hashlib.sha256(), 0
    with conn:
        while True:
            conn.settimeout(remaining(deadline, f"after {count} bytes"))
            try:
                data = conn.recv(CHUNK)
            except socket.timeout:
                die(f"timeout after {count} of {a.expect_bytes} bytes")
            if not data:
                break
            h.update(data)
            count += len(data)
    print(h.hexdigest(), count)
    if count != a.expect_bytes:
        die(f"received {count} bytes, expected {a.expect_bytes}")


def tcp_source(a):
    deadline = time.monotonic() + a.timeout
    fam, sa = sockaddr(a.to, a.port)
    while True:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(remaining(deadline, "connecting"))
        try:
            s.connect(sa)
            break
        except OSError as e:
            s.close()
            if time.monotonic() + 0.2 >= deadline:
                die(f"cannot connect to {a.to} port {a.port}: {e}")
            time.sleep(0.2)
    h = hashlib.sha256()
    with s:
        try:
            for data in stream(a.bytes, a.seed):
                s.settimeout(remaining(deadline, "sending"))
                s.sendall(data)
                h.update(data)
            s.shutdown(socket.SHUT_WR)
            # Wait for the sink to close: it has read everything by then.
            while True:
                s.settimeout(remaining(deadline, "waiting for the sink"))
                if not s.recv(CHUNK):
                    break
        except (OSError, socket.timeout) as e:
            die(f"sending to {a.to} port {a.port}: {e}")
    print(h.hexdigest())


def sha256_of(a):
    h = hashlib.sha256()
    for data in stream(a.bytes, a.seed):
        h.update(data)
    print(h.hexdigest())


# ---- DNS ----

def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode()
        if not 0 < len(raw) < 64:
            die(f"bad DNS name: {name}")
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def skip_name(msg, off):
    """Offset just past a (possibly compressed) name at off."""
    while True:
        if off >= len(msg):
            raise ValueError("name runs past the end")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            return off + 2
        if n & 0xC0:
            raise ValueError("bad label type")
        off += 1 + n
        if n == 0:
            return off


def read_name(msg, off):
    """Uncompressed name at off (questions are never compressed)."""
    labels = []
    while True:
        if off >= len(msg):
            raise ValueError("name runs past the end")
        n = msg[off]
        if n & 0xC0:
            raise ValueError("compressed name in question")
        off += 1
        if n == 0:
            return ".".join(labels), off
        labels.append(msg[off:off + n].decode(errors="replace"))
        off += n


def dns_serve(a):
    name, _, addr = a.answer.partition("=")
    try:
        rdata = ipaddress.IPv4Address(addr).packed
    except ValueError:
        die(f"--answer must be NAME=IPv4, not {a.answer}")
    name = name.rstrip(".").lower()
    deadline = time.monotonic() + a.timeout
    fam, sa = sockaddr(a.bind, a.port)
    answered = 0
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.bind(sa)
        while answered < a.count:
            s.settimeout(remaining(deadline,
                                   f"after {answered} of {a.count} answers"))
            try:
                msg, peer = s.recvfrom(4096)
            except socket.timeout:
                die(f"timeout after {answered} of {a.count} answers")
            try:
                qid, flags, qd = struct.unpack("!HHH", msg[:6])
                if flags & 0x8000 or qd != 1:
                    continue
                qname, end = read_name(msg, 12)
                qtype, qclass = struct.unpack("!HH", msg[end:end + 4])
            except (ValueError, struct.error):
                continue
            question = msg[12:end + 4]
            ours = qname.lower() == name
            hit = ours and qtype == 1 and qclass == 1
            rcode = 0 if ours else 3  # NXDOMAIN for other names
            # QR, AA, RD copied from the query, RA
            rflags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode
            reply = struct.pack("!HHHHHH", qid, rflags, 1, int(hit), 0, 0)
            reply += question
            if hit:
                reply += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + rdata
                answered += 1
            s.sendto(reply, peer)
    print(f"answered {answered}")


def dns_query(a):
    qid = int.from_bytes(os.urandom(2), "big")
    query = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    query += encode_name(a.name) + struct.pack("!HH", 1, 1)
    deadline = time.monotonic() + a.timeout
    fam, sa = sockaddr(a.server, a.port)
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.connect(sa)
        s.send(query)
        while True:
            s.settimeout(remaining(deadline, f"waiting for {a.server}"))
            try:
                msg = s.recv(4096)
            except socket.timeout:
                die(f"no answer from {a.server} within {a.timeout} s")
            except OSError as e:
                die(f"querying {a.server}: {e}")
            if len(msg) >= 2 and struct.unpack("!H", msg[:2])[0] == qid:
                break
    try:
        _, flags, qd, an = struct.unpack("!HHHH", msg[:8])
        if not flags & 0x8000:
            die("bad reply: QR not set")
        if flags & 0xF:
            die(f"bad reply: rcode {flags & 0xF}")
        off = 12
        for _ in range(qd):
            off = skip_name(msg, off) + 4
        for _ in range(an):
            off = skip_name(msg, off)
            rtype, rclass, _, rdlen = struct.unpack("!HHIH",
                                                    msg[off:off + 10])
            off += 10
            rdata = msg[off:off + rdlen]
            if len(rdata) != rdlen:
                raise ValueError("record runs past the end")
            off += rdlen
            if rtype == 1 and rclass == 1 and rdlen == 4:
                print(ipaddress.IPv4Address(rdata))
                return
    except (ValueError, struct.error) as e:
        die(f"bad reply: {e}")
    die(f"no A record for {a.name} in the reply")


# ---- UDP ----

def udp_send(a):
    fam, sa = sockaddr(a.to, a.port)
    payload = bytes(a.size)
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        for i in range(a.count):
            try:
                s.sendto(payload, sa)
            except OSError as e:
                die(f"datagram {i} to {a.to} port {a.port}: {e}")
    print(f"sent {a.count}")


def udp_recv(a):
    deadline = time.monotonic() + a.timeout
    fam, sa = sockaddr(a.bind, a.port)
    count = 0
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        # A big buffer, so that only the network loses datagrams, not us.
        try:
            s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
        s.bind(sa)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                s.recv(65536)
            except socket.timeout:
                break
            count += 1
    print(count)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    def cmd(name, fn, help):
        c = sub.add_parser(name, help=help, description=help)
        c.set_defaults(fn=fn)
        return c

    metavars = {"--bind": "ADDR", "--to": "ADDR", "--server": "ADDR",
                "--port": "P", "--expect-bytes": "N", "--bytes": "N",
                "--seed": "K", "--timeout": "S", "--count": "C",
                "--answer": "NAME=IPv4", "--name": "NAME", "--size": "B"}

    def req(c, *names, **kw):
        for n in names:
            c.add_argument(n, required=True, metavar=metavars[n], **kw)

    c = cmd("tcp-sink", tcp_sink, "accept one TCP connection, read to EOF, "
            "print sha256 and byte count; fail if the count is not N")
    req(c, "--bind")
    req(c, "--port", "--expect-bytes", type=int)
    req(c, "--timeout", type=float)

    c = cmd("tcp-source", tcp_source, "connect (retrying until the timeout), "
            "send N pseudo-random bytes from seed K, print their sha256")
    req(c, "--to")
    req(c, "--port", "--bytes", "--seed", type=int)
    req(c, "--timeout", type=float)

    c = cmd("sha256-of", sha256_of,
            "print the sha256 of the stream tcp-source sends")
    req(c, "--bytes", "--seed", type=int)

    c = cmd("dns-serve", dns_serve, "answer C UDP A queries for NAME with "
            "the IPv4 address, then exit")
    req(c, "--bind", "--answer")
    c.add_argument("--port", type=int, default=53, metavar="P")
    req(c, "--count", type=int)
    req(c, "--timeout", type=float)

    c = cmd("dns-query", dns_query,
            "send a UDP A query, print the first A address of the answer")
    req(c, "--server", "--name")
    c.add_argument("--port", type=int, default=53, metavar="P")
    req(c, "--timeout", type=float)

    c = cmd("udp-send", udp_send, "send C UDP datagrams of B bytes "
            "(default 64)")
    req(c, "--to")
    req(c, "--port", "--count", type=int)
    c.add_argument("--size", type=int, default=64, metavar="B")

    c = cmd("udp-recv", udp_recv, "count UDP datagrams until the timeout "
            "and print the count")
    req(c, "--bind")
    req(c, "--port", type=int)
    req(c, "--timeout", type=float)

    a = p.parse_args()
    try:
        a.fn(a)
    except OSError as e:
        die(f"{a.cmd}: {e}")
    except KeyboardInterrupt:
        die("interrupted")


if __name__ == "__main__":
    main()
