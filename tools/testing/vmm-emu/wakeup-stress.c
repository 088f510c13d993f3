// SPDX-License-Identifier: GPL-2.0
/*
 * wakeup-stress: keep both rings of a vmgw device near full for a while,
 * driven by poll() as a VMM's main loop is, and check that every frame
 * arrives, in order, and that no poll() sleeps through a wakeup.
 *
 * Four threads, all in the gateway namespace:
 *  - writer: batched write()s of numbered frames on /dev/vmgw (g2h); on
 *    EAGAIN it waits for POLLOUT;
 *  - sink: an AF_PACKET socket on the device receives them from the stack;
 *  - source: an AF_PACKET socket sends numbered frames through the device
 *    (h2g: xmit, ring, stopped and woken tx queue);
 *  - reader: waits for POLLIN and reads them back in batches.
 * Each direction keeps at most --window frames in flight, twice a small
 * ring, so the rings stay full and the kernel's wakeups decide progress.
 *
 * A poll() that times out (--stall-ms) although the file is then ready
 * is a lost wakeup; one that times out while it is still not ready is a
 * stall of the other side. Either fails the run, as does a frame lost,
 * duplicated or out of order.
 *
 * Exit status: 0 every frame arrived and no wait exceeded the bound,
 * 1 a check failed, 2 bad arguments or setup failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_P_G2H	0x88b5
#define ETH_P_H2G	0x88b6
#define FRAME_LEN	256
#define BATCH		64
#define MAGIC		0x766d6777u

/* From include/uapi/linux/vmgw.h, so that this builds without it. */
#define VMGW_BATCH_WRITE	(1U << 0)
#define VMGW_BATCH_READ		(1U << 1)
#define VMGWSETBATCH		_IOW(0xE7, 0x01, unsigned int)

struct dir {
	atomic_ullong sent, recv;
	atomic_ullong waits, max_wait_us;
	atomic_ullong lost_wakeups, stalls, bad;
};

static struct dir g2h, h2g;
static atomic_int stop;
static int vfd, ifindex, window = 128, stall_ms = 5000;
static unsigned char dev_mac[ETH_ALEN];
static const unsigned char guest_mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 0x15 };

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void build(unsigned char *f, int type, unsigned long long seq)
{
	uint32_t magic = MAGIC;

	memset(f, 0, FRAME_LEN);
	memcpy(f, type == ETH_P_G2H ? dev_mac : guest_mac, ETH_ALEN);
	memcpy(f + ETH_ALEN, type == ETH_P_G2H ? guest_mac : dev_mac, ETH_ALEN);
	f[12] = type >> 8;
	f[13] = type & 0xff;
	memcpy(f + 14, &magic, 4);
	memcpy(f + 18, &seq, 8);
}

/* Check that @f is frame @d->recv of its direction, and count it. */
static void take(struct dir *d, const unsigned char *f, size_t len, int type)
{
	unsigned long long seq, want = atomic_load(&d->recv);
	uint32_t magic;

	if (len != FRAME_LEN || f[12] != type >> 8 || f[13] != (type & 0xff))
		return;		/* not ours (e.g. IPv6 from the stack) */
	memcpy(&magic, f + 14, 4);
	memcpy(&seq, f + 18, 8);
	if (magic != MAGIC || seq != want) {
		if (atomic_fetch_add(&d->bad, 1) < 5)
			fprintf(stderr, "%s: frame %llu where %llu was due\n",
				type == ETH_P_G2H ? "g2h" : "h2g", seq, want);
		if (seq < want)
			return;
	}
	atomic_store(&d->recv, seq + 1);
}

/*
 * Wait for @events on the file; a timeout with the file ready now is a
 * lost wakeup, without is a stall.
 */
static void wait_file(struct dir *d, short events)
{
	struct pollfd p = { .fd = vfd, .events = events };
	unsigned long long t0 = now_us(), dt, max;
	int n;

	n = poll(&p, 1, stall_ms);
	dt = now_us() - t0;
	atomic_fetch_add(&d->waits, 1);
	max = atomic_load(&d->max_wait_us);
	while (dt > max && !atomic_compare_exchange_weak(&d->max_wait_us,
							 &max, dt))
		;
	/* Ready, or the run ended meanwhile: nothing more is due. */
	if (n || atomic_load(&stop))
		return;
	p.revents = 0;
	if (poll(&p, 1, 0) > 0)
		atomic_fetch_add(&d->lost_wakeups, 1);
	else
		atomic_fetch_add(&d->stalls, 1);
}

static void *writer(void *arg)
{
	static unsigned char buf[BATCH * (4 + FRAME_LEN)];
	unsigned long long seq;
	uint32_t rec = FRAME_LEN;
	long room, n, i;
	ssize_t w;

	(void)arg;
	while (!atomic_load(&stop)) {
		seq = atomic_load(&g2h.sent);
		room = window - (long)(seq - atomic_load(&g2h.recv));
		if (room <= 0) {
			usleep(100);
			continue;
		}
		n = room < BATCH ? room : BATCH;
		for (i = 0; i < n; i++) {
			memcpy(buf + i * (4 + FRAME_LEN), &rec, 4);
			build(buf + i * (4 + FRAME_LEN) + 4, ETH_P_G2H, seq + i);
		}
		w = write(vfd, buf, n * (4 + FRAME_LEN));
		if (w > 0) {
			atomic_fetch_add(&g2h.sent, w / (4 + FRAME_LEN));
		} else if (errno == EAGAIN) {
			wait_file(&g2h, POLLOUT);
		} else {
			perror("write");
			atomic_fetch_add(&g2h.bad, 1);
			return NULL;
		}
	}
	return NULL;
}

static int packet_socket(int proto)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(proto),
				   .sll_ifindex = ifindex };
	int s = socket(AF_PACKET, SOCK_RAW, htons(proto));
	int sz = 32 << 20;

	if (s < 0)
		die("socket(AF_PACKET)");
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind(AF_PACKET)");
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		die("SO_RCVBUFFORCE");
	return s;
}

static void *sink(void *arg)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	unsigned char f[2048];
	int s = *(int *)arg;
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		n = recv(s, f, sizeof(f), 0);
		if (n > 0)
			take(&g2h, f, n, ETH_P_G2H);
		else if (atomic_load(&stop) > 1)
			return NULL;
	}
}

static void *source(void *arg)
{
	unsigned char f[FRAME_LEN];
	int s = *(int *)arg;
	unsigned long long seq;

	while (!atomic_load(&stop)) {
		seq = atomic_load(&h2g.sent);
		if ((long)(seq - atomic_load(&h2g.recv)) >= window) {
			usleep(100);
			continue;
		}
		build(f, ETH_P_H2G, seq);
		if (send(s, f, sizeof(f), 0) == sizeof(f))
			atomic_fetch_add(&h2g.sent, 1);
		else if (errno == ENOBUFS || errno == EAGAIN)
			usleep(100);	/* the qdisc is full: send it again */
		else
			die("send(AF_PACKET)");
	}
	return NULL;
}

static void *reader(void *arg)
{
	static unsigned char buf[BATCH * (4 + 2048)];
	uint32_t len;
	ssize_t n, off;

	(void)arg;
	while (atomic_load(&stop) < 2) {
		n = read(vfd, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN) {
			if (!atomic_load(&stop))
				wait_file(&h2g, POLLIN);
			else
				usleep(1000);
			continue;
		}
		if (n < 0) {
			perror("read");
			atomic_fetch_add(&h2g.bad, 1);
			return NULL;
		}
		for (off = 0; off + 4 <= n; off += 4 + len) {
			memcpy(&len, buf + off, 4);
			if (off + 4 + (ssize_t)len > n)
				break;
			take(&h2g, buf + off + 4, len, ETH_P_H2G);
		}
	}
	return NULL;
}

static void report(const char *name, struct dir *d)
{
	printf("%s: %llu frames sent, %llu received; %llu poll waits, longest "
	       "%llu ms; lost wakeups %llu, stalls %llu, bad frames %llu\n",
	       name, atomic_load(&d->sent), atomic_load(&d->recv),
	       atomic_load(&d->waits), atomic_load(&d->max_wait_us) / 1000,
	       atomic_load(&d->lost_wakeups), atomic_load(&d->stalls),
	       atomic_load(&d->bad));
}

static int ok(struct dir *d)
{
	return atomic_load(&d->sent) > 0 &&
	       atomic_load(&d->sent) == atomic_load(&d->recv) &&
	       !atomic_load(&d->lost_wakeups) && !atomic_load(&d->stalls) &&
	       !atomic_load(&d->bad);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "gw-netns", required_argument, NULL, 'g' },
		{ "dev", required_argument, NULL, 'd' },
		{ "secs", required_argument, NULL, 's' },
		{ "window", required_argument, NULL, 'w' },
		{ "stall-ms", required_argument, NULL, 'm' },
		{}
	};
	const char *ns = NULL, *dev = NULL;
	unsigned int batch = VMGW_BATCH_WRITE | VMGW_BATCH_READ;
	pthread_t th[4];
	int c, i, nsfd, rx, tx, secs = 20;
	char path[256];
	struct ifreq ifr;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'g': ns = optarg; break;
		case 'd': dev = optarg; break;
		case 's': secs = atoi(optarg); break;
		case 'w': window = atoi(optarg); break;
		case 'm': stall_ms = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!ns || !dev || secs <= 0 || window <= 0 || stall_ms <= 0) {
		fprintf(stderr, "usage: wakeup-stress --gw-netns NS --dev DEV "
			"[--secs S] [--window N] [--stall-ms MS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
		die(path);

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
	rx = socket(AF_PACKET, SOCK_RAW, 0);
	if (rx < 0 || ioctl(rx, SIOCGIFINDEX, &ifr))
		die("SIOCGIFINDEX");
	ifindex = ifr.ifr_ifindex;
	if (ioctl(rx, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");
	memcpy(dev_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(rx);

	vfd = open("/dev/vmgw", O_RDWR | O_NONBLOCK);
	if (vfd < 0)
		die("/dev/vmgw");
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(vfd, TUNSETIFF, &ifr) || ioctl(vfd, VMGWSETBATCH, &batch))
		die("TUNSETIFF/VMGWSETBATCH");
	rx = packet_socket(ETH_P_G2H);
	tx = packet_socket(ETH_P_H2G);

	pthread_create(&th[0], NULL, sink, &rx);
	pthread_create(&th[1], NULL, reader, NULL);
	pthread_create(&th[2], NULL, writer, NULL);
	pthread_create(&th[3], NULL, source, &tx);
	sleep(secs);
	atomic_store(&stop, 1);
	pthread_join(th[2], NULL);
	pthread_join(th[3], NULL);
	/* Let what is in flight arrive. */
	for (i = 0; i < 100; i++) {
		if (atomic_load(&g2h.recv) == atomic_load(&g2h.sent) &&
		    atomic_load(&h2g.recv) == atomic_load(&h2g.sent))
			break;
		usleep(50000);
	}
	atomic_store(&stop, 2);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	report("g2h", &g2h);
	report("h2g", &h2g);
	printf("stall bound: %d ms\n", stall_ms);
	return ok(&g2h) && ok(&h2g) ? 0 : 1;
}
