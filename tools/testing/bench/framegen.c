// SPDX-License-Identifier: GPL-2.0
/*
 * framegen: write synthetic guest frames into /dev/vmgw or a TAP device as
 * fast as the file takes them, and report frames per second; or count the
 * UDP datagrams that reach a listener.
 *
 *   framegen send --path /dev/vmgw|/dev/net/tun --dev NAME [--devs N]
 *                 [--frames N] [--size BYTES] [--batch N] [--port P]
 *                 [--src IP] [--dst IP]
 *   framegen sink --port P [--bind IP] --seconds S
 *
 * send attaches to NAME with TUNSETIFF (IFF_TAP|IFF_NO_PI; /dev/net/tun
 * creates the TAP device), in the caller's network namespace, and writes
 * --frames Ethernet/IPv4/UDP frames of --size bytes to --dst:--port, to
 * the device's own MAC address. With --batch N (vmgw only) each write()
 * carries N frames (VMGWSETBATCH). With --devs N it attaches to NAME0 ..
 * NAME<N-1> and writes to them in turn. Writes block: the rate is what the
 * file sustains. Prints "frames N seconds S rate R" on stdout.
 *
 * sink counts the datagrams that reach UDP --port during --seconds, or
 * until SIGTERM, and prints "received N". It takes up to 64 per
 * recvmmsg(), so that the listener costs the stack as little as it can.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/vmgw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define FRAME_MIN	42	/* Ethernet + IPv4 + UDP headers */
#define FRAME_MAX	1514
#define SINK_BATCH	64	/* datagrams per recvmmsg() of the sink */

struct opts {
	const char *path, *dev, *src, *dst, *bind;
	unsigned long frames, devs, size, batch, port, seconds;
};

static void die(const char *what)
{
	fprintf(stderr, "framegen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: framegen send --path PATH --dev NAME [--devs N] [--frames N]\n"
		"                     [--size B] [--batch N] [--port P] [--src IP] [--dst IP]\n"
		"       framegen sink --port P [--bind IP] --seconds S\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v < min || v > max) {
		fprintf(stderr, "framegen: '%s' is not a number in %lu..%lu\n",
			s, min, max);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Ethernet, IPv4 and UDP (checksum 0: none) of @len bytes to @dmac. */
static void build(uint8_t *f, size_t len, const uint8_t *dmac,
		  const struct opts *o)
{
	static const uint8_t smac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x15 };
	uint8_t *ip = f + 14, *udp = ip + 20;
	struct in_addr a;
	uint16_t c;

	memset(f, 0, len);
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (len - 14) >> 8;
	ip[3] = len - 14;
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	if (!inet_aton(o->src, &a))
		usage();
	memcpy(ip + 12, &a, 4);
	if (!inet_aton(o->dst, &a))
		usage();
	memcpy(ip + 16, &a, 4);
	c = csum(ip, 20);
	ip[10] = c >> 8;
	ip[11] = c;
	udp[0] = 40000 >> 8;
	udp[1] = 40000 & 0xff;
	udp[2] = o->port >> 8;
	udp[3] = o->port;
	udp[4] = (len - 34) >> 8;
	udp[5] = len - 34;
}

/* Attach a file to @name; return it and the device's MAC in @mac. */
static int attach(const struct opts *o, const char *name, uint8_t *mac)
{
	struct ifreq ifr = {};
	int fd, s;

	fd = open(o->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(o->path);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die("TUNSETIFF");
	if (o->batch > 1) {
		unsigned int b = VMGW_BATCH_WRITE;

		if (ioctl(fd, VMGWSETBATCH, &b) < 0)
			die("VMGWSETBATCH");
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket");
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	close(s);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return fd;
}

static void write_all(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		die("write");
	if ((size_t)n != len) {
		fprintf(stderr, "framegen: write took %zd of %zu bytes\n",
			n, len);
		exit(1);
	}
}

static int send_frames(const struct opts *o)
{
	size_t rec = sizeof(struct vmgw_batch_rec) + o->size;
	unsigned long sent = 0, i, d = 0;
	uint8_t mac[6], *buf;
	char name[IFNAMSIZ];
	double t0, t;
	int *fds;

	fds = calloc(o->devs, sizeof(*fds));
	buf = calloc(o->batch, rec);
	if (!fds || !buf)
		die("calloc");
	for (i = 0; i < o->devs; i++) {
		int n;

		if (o->devs == 1)
			n = snprintf(name, sizeof(name), "%s", o->dev);
		else
			n = snprintf(name, sizeof(name), "%.8s%lu", o->dev, i);
		if (n < 0 || n >= (int)sizeof(name))
			usage();
		fds[i] = attach(o, name, mac);
	}
	/*
	 * With --devs every device gets the frames built for the last one's
	 * MAC: meant for frames vmgw drops in its poll (--port 9999), which
	 * never reach the stack.
	 */
	if (o->batch > 1) {
		for (i = 0; i < o->batch; i++) {
			uint32_t len = o->size;

			memcpy(buf + i * rec, &len, sizeof(len));
			build(buf + i * rec + sizeof(len), o->size, mac, o);
		}
	} else {
		build(buf, o->size, mac, o);
	}

	t0 = now();
	while (sent < o->frames) {
		if (o->batch > 1) {
			write_all(fds[d], buf, rec * o->batch);
			sent += o->batch;
		} else {
			write_all(fds[d], buf, o->size);
			sent++;
		}
		if (++d == o->devs)
			d = 0;
	}
	t = now() - t0;
	printf("frames %lu seconds %.3f rate %.0f\n", sent, t, sent / t);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int sink(const struct opts *o)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int s, big = 8 << 20;
	unsigned long n = 0;
	struct sigaction act = {};
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	static char buf[SINK_BATCH][2048];
	struct mmsghdr msg[SINK_BATCH];
	struct iovec iov[SINK_BATCH];
	double end;
	int i, got;

	act.sa_handler = on_term;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sa.sin_port = htons(o->port);
	if (o->bind && !inet_aton(o->bind, &sa.sin_addr))
		usage();
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	printf("listening\n");
	fflush(stdout);
	end = now() + o->seconds;
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < SINK_BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop && now() < end) {
		got = recvmmsg(s, msg, SINK_BATCH, MSG_WAITFORONE, NULL);
		if (got > 0)
			n += got;
		else if (got < 0 && errno != EAGAIN && errno != EINTR)
			die("recvmmsg");
	}
	printf("received %lu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "path", required_argument, NULL, 'p' },
		{ "dev", required_argument, NULL, 'd' },
		{ "devs", required_argument, NULL, 'D' },
		{ "frames", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'P' },
		{ "src", required_argument, NULL, 'S' },
		{ "dst", required_argument, NULL, 'T' },
		{ "bind", required_argument, NULL, 'B' },
		{ "seconds", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.path = "/dev/vmgw", .frames = 100000, .devs = 1, .size = 64,
		.batch = 1, .port = 53, .src = "10.0.2.15", .dst = "10.0.2.2",
		.seconds = 60,
	};
	int c;

	if (argc < 2)
		usage();
	while ((c = getopt_long(argc - 1, argv + 1, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p': o.path = optarg; break;
		case 'd': o.dev = optarg; break;
		case 'D': o.devs = num(optarg, 1, 100000); break;
		case 'n': o.frames = num(optarg, 1, 1UL << 40); break;
		case 's': o.size = num(optarg, FRAME_MIN, FRAME_MAX); break;
		case 'b': o.batch = num(optarg, 1, VMGW_BATCH_MAX); break;
		case 'P': o.port = num(optarg, 1, 65535); break;
		case 'S': o.src = optarg; break;
		case 'T': o.dst = optarg; break;
		case 'B': o.bind = optarg; break;
		case 't': o.seconds = num(optarg, 1, 3600); break;
		default: usage();
		}
	}
	if (!strcmp(argv[1], "send") && o.dev)
		return send_frames(&o);
	if (!strcmp(argv[1], "sink"))
		return sink(&o);
	usage();
}
