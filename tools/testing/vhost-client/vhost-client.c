// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-client: a userspace stand-in for a VMM with vhost=on. It owns a
 * "guest memory" mapping with the rx and tx split virtqueues in it, and
 * drives a vhost-net style device through the same ioctls QEMU uses:
 *
 *   vhost-client --vhost /dev/vhost-vmgw --vmgw vmgw0 [options]
 *   vhost-client --vhost /dev/vhost-net --tap tap0 [options]
 *
 * With --vmgw it opens /dev/vmgw and attaches it to that device
 * (TUNSETIFF), with --tap it creates a TAP device of that name; either
 * becomes the backend of both virtqueues (VHOST_NET_SET_BACKEND); with
 * --vhost-fd N --backend-fd M it uses descriptors it was handed instead,
 * as "vmgwctl run NS NAME vhost" hands them to a VMM. It then
 * sends --count ICMP echo requests from --src-mac/--src-ip to
 * --dst-mac/--dst-ip through the tx virtqueue, keeps the rx virtqueue
 * stocked, and counts the echo replies that come back, until all came or
 * --timeout seconds passed; --window N keeps at most N requests without
 * their reply (1: request/response). --hostile KIND first posts one malformed tx
 * chain of that kind (loop, outside, indirect-nested, indirect-next,
 * len-overflow, head, avail-jump). --udp PORT sends UDP datagrams to PORT
 * instead of echo requests (no reply expected), --raw ETHERTYPE --size LEN
 * frames of LEN bytes (60 to 2036) with only that ethertype and a fill
 * after the addresses (no reply expected). One JSON line on stdout
 * reports what happened.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE	(4u << 20)
#define QSZ		256u
#define BUF_SIZE	2048u
#define HDR_SIZE	12u		/* virtio_net_hdr_mrg_rxbuf */
#define RX		0
#define TX		1

struct vq {
	uint64_t desc, avail, used;	/* guest-physical = offset in mem */
	uint64_t bufs;
	uint16_t avail_idx, used_seen;
	int kick, call;
};

static uint8_t *mem;
static struct vq vqs[2];
static int vfd;

static void die(const char *what)
{
	fprintf(stderr, "vhost-client: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void xioctl(int fd, unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(fd, cmd, arg) < 0)
		die(what);
}

static struct vring_desc *desc_at(struct vq *q, unsigned int i)
{
	return (struct vring_desc *)(mem + q->desc) + i;
}

static volatile uint16_t *avail_idx(struct vq *q)
{
	return (volatile uint16_t *)(mem + q->avail + 2);
}

static volatile uint16_t *avail_ring(struct vq *q, unsigned int i)
{
	return (volatile uint16_t *)(mem + q->avail + 4 + 2 * (i % QSZ));
}

static volatile uint16_t *used_idx(struct vq *q)
{
	return (volatile uint16_t *)(mem + q->used + 2);
}

static struct vring_used_elem *used_elem(struct vq *q, unsigned int i)
{
	return (struct vring_used_elem *)(mem + q->used + 4) + (i % QSZ);
}

static void offer(struct vq *q, uint16_t head)
{
	*avail_ring(q, q->avail_idx) = head;
	q->avail_idx++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*avail_idx(q) = q->avail_idx;
}

static void kick(struct vq *q)
{
	uint64_t one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (write(q->kick, &one, sizeof(one)) != sizeof(one))
		die("kick");
}

static uint16_t csum(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;

	for (; len > 1; len -= 2, b += 2)
		sum += (uint32_t)b[0] << 8 | b[1];
	if (len)
		sum += (uint32_t)b[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

struct frame_cfg {
	uint8_t src_mac[6], dst_mac[6];
	struct in_addr src, dst;
	int udp_port;
	unsigned int raw_type, raw_len;	/* --raw: that ethertype, that length */
};

/* An ICMP echo request (or a UDP datagram) of 98 bytes, sequence @seq. */
static size_t build_frame(uint8_t *f, const struct frame_cfg *c, uint16_t seq)
{
	uint8_t *ip = f + 14, *l4 = ip + 20;
	size_t l4len = 64;

	memcpy(f, c->dst_mac, 6);
	memcpy(f + 6, c->src_mac, 6);
	if (c->raw_type) {
		put16(f + 12, c->raw_type);
		memset(f + 14, 0x5a, c->raw_len - 14);
		return c->raw_len;
	}
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + l4len);
	put16(ip + 4, seq);
	ip[8] = 64;
	ip[9] = c->udp_port ? 17 : 1;
	memcpy(ip + 12, &c->src, 4);
	memcpy(ip + 16, &c->dst, 4);
	put16(ip + 10, csum(ip, 20, 0));
	memset(l4, 0xa5, l4len);
	if (c->udp_port) {
		put16(l4, 40000);
		put16(l4 + 2, c->udp_port);
		put16(l4 + 4, l4len);
		put16(l4 + 6, 0);	/* no checksum */
	} else {
		l4[0] = 8;
		l4[1] = 0;
		put16(l4 + 2, 0);
		put16(l4 + 4, 0x7a6b);
		put16(l4 + 6, seq);
		put16(l4 + 2, csum(l4, l4len, 0));
	}
	return 14 + 20 + l4len;
}

static int is_echo_reply(const uint8_t *f, uint32_t len, const struct frame_cfg *c)
{
	if (len < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00)
		return 0;
	return f[14 + 9] == 1 && f[14 + 20] == 0 &&
	       !memcmp(f + 14 + 16, &c->src, 4);
}

static void setup_vq(int idx, uint64_t base)
{
	struct vq *q = &vqs[idx];
	struct vhost_vring_state s = { .index = idx };
	struct vhost_vring_addr a = { .index = idx };
	struct vhost_vring_file f = { .index = idx };

	q->desc = base;
	q->avail = base + 0x1000;
	q->used = base + 0x2000;
	q->bufs = base + 0x10000;
	q->kick = eventfd(0, EFD_NONBLOCK);
	q->call = eventfd(0, EFD_NONBLOCK);
	if (q->kick < 0 || q->call < 0)
		die("eventfd");
	s.num = QSZ;
	xioctl(vfd, VHOST_SET_VRING_NUM, &s, "VHOST_SET_VRING_NUM");
	s.num = 0;
	xioctl(vfd, VHOST_SET_VRING_BASE, &s, "VHOST_SET_VRING_BASE");
	a.desc_user_addr = (uint64_t)(uintptr_t)(mem + q->desc);
	a.avail_user_addr = (uint64_t)(uintptr_t)(mem + q->avail);
	a.used_user_addr = (uint64_t)(uintptr_t)(mem + q->used);
	xioctl(vfd, VHOST_SET_VRING_ADDR, &a, "VHOST_SET_VRING_ADDR");
	f.fd = q->kick;
	xioctl(vfd, VHOST_SET_VRING_KICK, &f, "VHOST_SET_VRING_KICK");
	f.fd = q->call;
	xioctl(vfd, VHOST_SET_VRING_CALL, &f, "VHOST_SET_VRING_CALL");
}

static void rx_post(unsigned int i)
{
	struct vq *q = &vqs[RX];
	struct vring_desc *d = desc_at(q, i);

	d->addr = q->bufs + (uint64_t)i * BUF_SIZE;
	d->len = BUF_SIZE;
	d->flags = VRING_DESC_F_WRITE;
	d->next = 0;
	offer(q, i);
}

/*
 * One malformed tx chain, at descriptors QSZ - 4 .. QSZ - 1. Return 1 when
 * the device gives it back through the used ring (a refused chain whose
 * head is valid), else 0.
 */
static int hostile(const char *kind)
{
	struct vq *q = &vqs[TX];
	uint16_t h = QSZ - 4;
	struct vring_desc *d = desc_at(q, h);
	struct vring_desc *t = (struct vring_desc *)(mem + q->bufs + (QSZ - 1) *
						     (uint64_t)BUF_SIZE);

	memset(d, 0, 4 * sizeof(*d));
	d[0].addr = q->bufs;
	d[0].len = 60;
	if (!strcmp(kind, "loop")) {
		d[0].flags = VRING_DESC_F_NEXT;
		d[0].next = h + 1;
		d[1] = d[0];
		d[1].next = h;
	} else if (!strcmp(kind, "outside")) {
		d[0].addr = MEM_SIZE + 0x1000;
	} else if (!strcmp(kind, "len-overflow")) {
		d[0].flags = VRING_DESC_F_NEXT;
		d[0].next = h + 1;
		d[1].addr = q->bufs;
		d[1].len = 0xfffffff0u;
	} else if (!strcmp(kind, "indirect-nested") ||
		   !strcmp(kind, "indirect-next")) {
		d[0].addr = (uint8_t *)t - mem;
		d[0].len = 2 * sizeof(*t);
		d[0].flags = VRING_DESC_F_INDIRECT;
		if (!strcmp(kind, "indirect-next")) {
			d[0].flags |= VRING_DESC_F_NEXT;
			d[0].next = h + 1;
		}
		t[0].addr = (uint8_t *)t - mem;
		t[0].len = 32;
		t[0].flags = VRING_DESC_F_INDIRECT;
	} else if (!strcmp(kind, "head")) {
		h = QSZ + 9;
		offer(q, h);
		kick(q);
		return 0;
	} else if (!strcmp(kind, "avail-jump")) {
		q->avail_idx += QSZ + 1;
		*avail_idx(q) = q->avail_idx;
		kick(q);
		return 0;
	} else {
		errno = EINVAL;
		die(kind);
	}
	offer(q, h);
	kick(q);
	return 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_backend(const char *vmgw, const char *tap)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int sz = HDR_SIZE, fd;

	fd = open(vmgw ? "/dev/vmgw" : "/dev/net/tun", O_RDWR | O_NONBLOCK);
	if (fd < 0)
		die("open backend");
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", vmgw ? vmgw : tap);
	xioctl(fd, TUNSETIFF, &ifr, "TUNSETIFF");
	xioctl(fd, TUNSETVNETHDRSZ, &sz, "TUNSETVNETHDRSZ");
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vhost", 1, 0, 'V' }, { "vmgw", 1, 0, 'g' },
		{ "tap", 1, 0, 't' }, { "count", 1, 0, 'n' },
		{ "src-mac", 1, 0, 'm' }, { "dst-mac", 1, 0, 'M' },
		{ "src-ip", 1, 0, 's' }, { "dst-ip", 1, 0, 'd' },
		{ "timeout", 1, 0, 'T' }, { "hostile", 1, 0, 'H' },
		{ "udp", 1, 0, 'u' }, { "wait-up", 1, 0, 'w' },
		{ "vhost-fd", 1, 0, 'v' }, { "backend-fd", 1, 0, 'b' },
		{ "window", 1, 0, 'W' }, { "raw", 1, 0, 'r' },
		{ "size", 1, 0, 'z' }, { 0 }
	};
	const char *vhost = NULL, *vmgw = NULL, *tap = NULL, *kind = NULL;
	struct frame_cfg c = { .src_mac = { 2, 0, 0, 0, 0, 0x15 }, .raw_len = 98 };
	unsigned int count = 1000, sent = 0, done_tx = 0, replies = 0;
	unsigned int other = 0, inflight = 0, wait_up = 0, window = QSZ;
	struct vhost_vring_file be = { 0 };
	struct vhost_memory *vm;
	double timeout = 10, t0, t1;
	uint64_t features, ack;
	struct pollfd pfd[2];
	int opt, bfd = -1, i;
	int hdr = HDR_SIZE;

	memset(c.dst_mac, 0xff, 6);
	inet_pton(AF_INET, "10.0.2.15", &c.src);
	inet_pton(AF_INET, "10.0.2.2", &c.dst);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'V': vhost = optarg; break;
		case 'g': vmgw = optarg; break;
		case 't': tap = optarg; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'T': timeout = strtod(optarg, NULL); break;
		case 'H': kind = optarg; break;
		case 'u': c.udp_port = atoi(optarg); break;
		case 'w': wait_up = strtoul(optarg, NULL, 0); break;
		case 'W': window = strtoul(optarg, NULL, 0); break;
		case 'r': c.raw_type = strtoul(optarg, NULL, 16); break;
		case 'z': c.raw_len = strtoul(optarg, NULL, 0); break;
		case 'v': vfd = atoi(optarg); vhost = "fd"; break;
		case 'b': bfd = atoi(optarg); break;
		case 'm': case 'M':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				   &(opt == 'm' ? c.src_mac : c.dst_mac)[0],
				   &(opt == 'm' ? c.src_mac : c.dst_mac)[1],
				   &(opt == 'm' ? c.src_mac : c.dst_mac)[2],
				   &(opt == 'm' ? c.src_mac : c.dst_mac)[3],
				   &(opt == 'm' ? c.src_mac : c.dst_mac)[4],
				   &(opt == 'm' ? c.src_mac : c.dst_mac)[5]) != 6)
				return 2;
			break;
		case 's': inet_pton(AF_INET, optarg, &c.src); break;
		case 'd': inet_pton(AF_INET, optarg, &c.dst); break;
		default: return 2;
		}
	}
	if (!vhost || (bfd < 0 && !!vmgw == !!tap) ||
	    c.raw_len < 60 || c.raw_len > BUF_SIZE - HDR_SIZE) {
		fprintf(stderr, "usage: vhost-client --vhost DEV (--vmgw IF | --tap IF) ...\n");
		return 2;
	}

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	if (bfd < 0)
		bfd = open_backend(vmgw, tap);
	else
		xioctl(bfd, TUNSETVNETHDRSZ, &hdr, "TUNSETVNETHDRSZ");
	if (strcmp(vhost, "fd"))
		vfd = open(vhost, O_RDWR);
	if (vfd < 0)
		die("open vhost");
	xioctl(vfd, VHOST_SET_OWNER, NULL, "VHOST_SET_OWNER");
	xioctl(vfd, VHOST_GET_FEATURES, &features, "VHOST_GET_FEATURES");
	ack = features & (1ULL << VIRTIO_F_VERSION_1 |
			  1ULL << VIRTIO_NET_F_MRG_RXBUF |
			  1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	xioctl(vfd, VHOST_SET_FEATURES, &ack, "VHOST_SET_FEATURES");
	vm = calloc(1, sizeof(*vm) + sizeof(vm->regions[0]));
	if (!vm)
		die("calloc");
	vm->nregions = 1;
	vm->regions[0].guest_phys_addr = 0;
	vm->regions[0].memory_size = MEM_SIZE;
	vm->regions[0].userspace_addr = (uint64_t)(uintptr_t)mem;
	xioctl(vfd, VHOST_SET_MEM_TABLE, vm, "VHOST_SET_MEM_TABLE");
	setup_vq(RX, 0);
	setup_vq(TX, 0x100000);
	for (i = 0; i < (int)QSZ; i++)
		rx_post(i);
	for (i = 0; i < 2; i++) {
		be.index = i;
		be.fd = bfd;
		xioctl(vfd, VHOST_NET_SET_BACKEND, &be, "VHOST_NET_SET_BACKEND");
	}
	if (wait_up)
		usleep(wait_up * 1000);
	if (kind)
		inflight += hostile(kind);

	t0 = now();
	t1 = t0;
	while (now() - t0 < timeout) {
		struct vq *q = &vqs[TX];
		uint16_t u;
		int posted = 0;

		/* tx: recycle used descriptors, post as many as fit */
		for (u = *used_idx(q); q->used_seen != u; q->used_seen++) {
			inflight--;
			done_tx++;
		}
		while (sent < count && inflight < QSZ - 4 &&
		       (c.udp_port || c.raw_type || sent - replies < window)) {
			unsigned int d = sent % (QSZ - 4);
			uint8_t *b = mem + q->bufs + (uint64_t)d * BUF_SIZE;
			struct vring_desc *dd = desc_at(q, d);

			memset(b, 0, HDR_SIZE);
			dd->addr = q->bufs + (uint64_t)d * BUF_SIZE;
			dd->len = HDR_SIZE + build_frame(b + HDR_SIZE, &c, sent);
			dd->flags = 0;
			offer(q, d);
			sent++;
			inflight++;
			posted = 1;
		}
		if (posted)
			kick(q);

		/* rx: count what came back, post the buffers again */
		q = &vqs[RX];
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		for (u = *used_idx(q); q->used_seen != u; q->used_seen++) {
			struct vring_used_elem *e = used_elem(q, q->used_seen);
			uint8_t *b = mem + q->bufs + (uint64_t)e->id * BUF_SIZE;

			if (e->len > HDR_SIZE &&
			    is_echo_reply(b + HDR_SIZE, e->len - HDR_SIZE, &c))
				replies++;
			else
				other++;
			rx_post(e->id % QSZ);
			posted = 2;
		}
		if (posted == 2)
			kick(q);
		if (replies >= count ||
		    ((c.udp_port || c.raw_type) && done_tx >= count) ||
		    (kind && !strcmp(kind, "avail-jump") && now() - t0 > 1))
			break;
		if (replies || done_tx)
			t1 = now();
		/* Frames came back: the window may have room, post first. */
		if (posted == 2 && sent < count)
			continue;
		pfd[0].fd = vqs[RX].call;
		pfd[1].fd = vqs[TX].call;
		pfd[0].events = pfd[1].events = POLLIN;
		if (poll(pfd, 2, 20) > 0)
			for (i = 0; i < 2; i++) {
				uint64_t v;

				if ((pfd[i].revents & POLLIN) &&
				    read(pfd[i].fd, &v, sizeof(v)) < 0)
					die("read call");
			}
	}
	t1 = now();
	for (i = 0; i < 2; i++) {
		struct vhost_vring_state s = { .index = i };

		be.index = i;
		be.fd = -1;
		xioctl(vfd, VHOST_NET_SET_BACKEND, &be, "VHOST_NET_SET_BACKEND -1");
		xioctl(vfd, VHOST_GET_VRING_BASE, &s, "VHOST_GET_VRING_BASE");
	}
	printf("{\"sent\": %u, \"tx_used\": %u, \"replies\": %u, \"other_rx\": %u, "
	       "\"seconds\": %.3f, \"replies_per_s\": %.0f, \"features\": %llu}\n",
	       sent, done_tx, replies, other, t1 - t0,
	       t1 > t0 ? replies / (t1 - t0) : 0.0,
	       (unsigned long long)ack);
	close(vfd);
	close(bfd);
	return 0;
}
