# SPDX-License-Identifier: GPL-2.0
# Batches through /dev/vmgw (VMGWSETBATCH): several length-prefixed frames
# per write() and read(), through the real module, with a bad record in
# the middle, more than VMGW_BATCH_MAX records, vnet headers and records
# split across iovecs.

BATCH_PY=$(mktemp)
cat > "$BATCH_PY" <<'PY'
import errno, fcntl, os, select, struct, subprocess, sys, time

TUNSETIFF, TUNSETVNETHDRSZ = 0x400454CA, 0x400454D8
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x2, 0x1000, 0x4000
VMGWSETBATCH, VMGWGETBATCH = 0x4004E701, 0x8004E702
WRITE, READ, MAX = 1, 2, 64

def fail(msg):
    sys.exit(f"batch: {msg}")

def stat(name):
    out = subprocess.run(["ethtool", "-S", DEV], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        k, _, v = line.strip().partition(": ")
        if k == name:
            return int(v)
    fail(f"no counter {name}")

def frame(n):
    """@n bytes: an experimental ethertype (passes), or too short."""
    if n < 14:
        return bytes(n)
    macs = bytes.fromhex("020000000001") + bytes.fromhex("020000000002")
    return macs + b"\x88\xb5" + bytes(n - 14)

def rec(payload):
    return struct.pack("=I", len(payload)) + payload

def open_batch(flags, bits, hdr=0):
    fd = os.open("/dev/vmgw", os.O_RDWR | os.O_NONBLOCK)
    if hdr:
        fcntl.ioctl(fd, TUNSETVNETHDRSZ, struct.pack("i", hdr))
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", DEV.encode(),
                                           IFF_TAP | IFF_NO_PI | flags))
    fcntl.ioctl(fd, VMGWSETBATCH, struct.pack("I", bits))
    return fd

def expect_errno(want, fn, what):
    try:
        fn()
    except OSError as e:
        if e.errno != want:
            fail(f"{what}: {errno.errorcode[e.errno]}, want {errno.errorcode[want]}")
        return
    fail(f"{what}: succeeded")

def delta(names, fn):
    before = {k: stat(k) for k in names}
    ret = fn()
    time.sleep(0.3)
    return ret, {k: stat(k) - before[k] for k in names}

def check_ioctl():
    fd = os.open("/dev/vmgw", os.O_RDWR)
    got = struct.unpack("I", fcntl.ioctl(fd, VMGWGETBATCH, bytes(4)))[0]
    if got != 0:
        fail(f"batch bits {got} on a new file")
    fcntl.ioctl(fd, VMGWSETBATCH, struct.pack("I", WRITE | READ))
    got = struct.unpack("I", fcntl.ioctl(fd, VMGWGETBATCH, bytes(4)))[0]
    if got != WRITE | READ:
        fail(f"VMGWGETBATCH {got}")
    expect_errno(errno.EINVAL,
                 lambda: fcntl.ioctl(fd, VMGWSETBATCH, struct.pack("I", 4)),
                 "VMGWSETBATCH with an unknown bit")
    os.close(fd)
    print("ok: VMGWSETBATCH/VMGWGETBATCH, unknown bits refused")

def check_write():
    fd = open_batch(0, WRITE)
    names = ("rx_packets", "write_err_short", "write_err_long")
    good = b"".join(rec(frame(60 + i)) for i in range(10))
    n, d = delta(names, lambda: os.write(fd, good))
    if n != len(good) or d != {"rx_packets": 10, "write_err_short": 0,
                               "write_err_long": 0}:
        fail(f"10 records: wrote {n} of {len(good)}, {d}")
    print("ok: 10 records in one write, all delivered")

    a, b, c, e = rec(frame(60)), rec(frame(1514)), rec(frame(13)), rec(frame(64))
    buf = a + b + c + e
    n, d = delta(names, lambda: os.write(fd, buf))
    if n != len(a + b) or d["rx_packets"] != 2 or d["write_err_short"]:
        fail(f"mixed batch: {n} bytes, {d}")
    rest = buf[n:]
    _, d = delta(names, lambda: expect_errno(
        errno.EINVAL, lambda: os.write(fd, rest), "batch starting bad"))
    if d["write_err_short"] != 1 or d["rx_packets"]:
        fail(f"bad first record: {d}")
    n, d = delta(names, lambda: os.write(fd, rest[len(c):]))
    if n != len(e) or d["rx_packets"] != 1:
        fail(f"after the bad record: {n}, {d}")
    print("ok: a batch stops before a bad record; that record fails "
          "the next write and is counted once")

    many = b"".join(rec(frame(60)) for _ in range(MAX + 6))
    n, d = delta(names, lambda: os.write(fd, many))
    if n != MAX * len(rec(frame(60))) or d["rx_packets"] != MAX:
        fail(f"{MAX + 6} records: {n} bytes, {d}")
    print(f"ok: at most {MAX} records per write")

    for what, bad in (("truncated prefix", a + b"\x10\x00"),
                      ("zero length", a + struct.pack("=I", 0)),
                      ("length beyond the write", a + rec(frame(60))[:-1]),
                      ("too long a frame", a + rec(frame(1600)))):
        n, d = delta(names, lambda: os.write(fd, bad))
        if n != len(a):
            fail(f"{what}: wrote {n}")
        _, d = delta(names, lambda: expect_errno(
            errno.EINVAL, lambda: os.write(fd, bad[n:]), what))
        if d["write_err_short"] + d["write_err_long"] != 1:
            fail(f"{what}: {d}")
    print("ok: truncated prefix, zero length, length beyond the write, "
          "too long: refused and counted")

    # records split across iovecs, anywhere
    recs = b"".join(rec(frame(70)) for _ in range(5))
    iov = [recs[i:i + 7] for i in range(0, len(recs), 7)]
    n, d = delta(names, lambda: os.writev(fd, iov))
    if n != len(recs) or d["rx_packets"] != 5:
        fail(f"writev of 5 records in {len(iov)} iovecs: {n}, {d}")
    print("ok: records split across iovecs")
    os.close(fd)

    fd = open_batch(IFF_VNET_HDR, WRITE, 12)
    recs = b"".join(rec(bytes(12) + frame(60)) for _ in range(4))
    n, d = delta(names, lambda: os.write(fd, recs))
    if n != len(recs) or d["rx_packets"] != 4:
        fail(f"4 records with vnet headers: {n}, {d}")
    print("ok: records with a 12-byte virtio-net header")
    os.close(fd)

def check_read(peer):
    fd = open_batch(0, READ)
    try:
        while os.read(fd, 65536):
            pass
    except BlockingIOError:
        pass
    subprocess.run(["ping", "-c", "5", "-i", "0.01", "-W", "1", peer],
                   capture_output=True)
    p = select.poll()
    p.register(fd, select.POLLIN)
    p.poll(2000)
    time.sleep(0.3)
    buf = os.read(fd, 65536)
    off, frames = 0, 0
    while off < len(buf):
        if off + 4 > len(buf):
            fail(f"cut prefix at {off} of {len(buf)}")
        (n,) = struct.unpack_from("=I", buf, off)
        f = buf[off + 4:off + 4 + n]
        if len(f) != n or f[12:14] != b"\x08\x00" or f[23] != 1:
            fail(f"record {frames}: {n} bytes, {f[:24].hex()}")
        off += 4 + n
        frames += 1
    if frames != 5:
        fail(f"one read gave {frames} records, want 5")
    # room for one record only: one record, the rest stays queued
    subprocess.run(["ping", "-c", "2", "-i", "0.01", "-W", "1", peer],
                   capture_output=True)
    time.sleep(0.3)
    one = os.read(fd, 4 + 98 + 50)
    two = os.read(fd, 65536)
    if len(one) != 4 + 98 or len(two) != 4 + 98:
        fail(f"small buffer: {len(one)} then {len(two)} bytes")
    print("ok: a batched read gives whole records, as many as fit")
    os.close(fd)

DEV = sys.argv[2]
{"ioctl": check_ioctl, "write": check_write,
 "read": lambda: check_read(sys.argv[3])}[sys.argv[1]]()
PY

bt_setup() {
	lsmod | grep -q '^vmgw ' || insmod "$VMGW_KO" || return 1
	ip netns add bgw && ip -n bgw link set lo up &&
	# No IPv6 autoconfiguration frames among the ones the reads count.
	ip netns exec bgw sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
	ip -n bgw link add vmgwb type vmgw &&
	ip -n bgw addr add 10.0.9.2/24 dev vmgwb &&
	ip -n bgw link set vmgwb up &&
	ip -n bgw neigh replace 10.0.9.99 lladdr 02:00:00:00:00:99 dev vmgwb \
		nud permanent
}

bt_py() { ip netns exec bgw python3 "$BATCH_PY" "$@"; }

bt_cleanup() {
	ip netns del bgw
	rm -f "$BATCH_PY"
}

t_run "batch: setup vmgwb in bgw" bt_setup
t_run "batch: VMGWSETBATCH/VMGWGETBATCH" bt_py ioctl vmgwb
t_run "batch: writes (good, bad in the middle, too many, framing, iovecs, vnet hdr)" bt_py write vmgwb
t_run "batch: reads (records, as many as fit)" bt_py read vmgwb 10.0.9.99
t_run "batch: cleanup" bt_cleanup
