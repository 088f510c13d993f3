// SPDX-License-Identifier: GPL-2.0
/*
 * vmm-emu: a minimal "VMM" for tests.
 *
 * Bridges a TAP device in a guest network namespace to a tap-compatible
 * gateway file (/dev/vmgw, or /dev/net/tun as a baseline) attached in a
 * gateway network namespace, one frame per read()/write(), in both
 * directions; or, with --stream, to a unix stream socket carrying frames
 * behind 32-bit big-endian lengths (passt, QEMU -netdev stream). A real
 * Linux stack in the guest namespace plays the microVM guest.
 *
 * Link configuration (addresses, "ip link set ... up") is left to the
 * caller: wait for "vmm-emu: ready" on stdout, then configure both links.
 * Frames written to the guest TAP while its link is down are dropped (a
 * guest whose NIC is not up yet), like a real VMM would.
 *
 * Exit status: 0 SIGTERM/SIGINT or --max-frames reached, 1 setup failure,
 * 2 bad arguments, 3 gateway fd error, 4 guest TAP error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define __noreturn	__attribute__((noreturn))

#define EXIT_SETUP	1
#define EXIT_USAGE	2
#define EXIT_GW		3
#define EXIT_TAP	4

/* Largest frame: 64 KiB GSO payload plus Ethernet and VLAN headers. */
#define FRAME_MAX	(65536 + 18)
/* Frames moved per direction per wakeup, so one side cannot starve the other. */
#define BATCH		64

struct opts {
	const char *gw_netns;
	const char *dev;
	const char *dev_path;
	const char *guest_netns;
	const char *tap;
	const char *stream;
	bool vnet_hdr;
	int hdr_len;
	unsigned long long max_frames;
};

enum side { GW, TAP };

struct dir {
	const char *name;
	enum side in, out;
	unsigned char *buf;
	size_t len;		/* bytes of a frame waiting for POLLOUT, 0 if none */
	size_t sent;		/* --stream: bytes of prefix + frame written */
	unsigned long long frames;
	unsigned long long gso;		/* --vnet-hdr: frames with a GSO type */
	unsigned long long dropped;	/* h2g only: guest TAP link down */
};

/* volatile sig_atomic_t: what C requires for data a signal handler sets */
static volatile sig_atomic_t stop_sig;
static int fds[2] = { -1, -1 };
static struct dir g2h = { .name = "g2h", .in = TAP, .out = GW };
static struct dir h2g = { .name = "h2g", .in = GW, .out = TAP };
static unsigned long long total, max_frames;
static size_t buf_size;		/* virtio_net_hdr (if any) + FRAME_MAX */
static bool vnet_hdr;		/* every frame behind a virtio_net_hdr */

/* --stream: the gateway side is a socket; frames read but not taken yet. */
static bool stream;
static unsigned char *sbuf;
static size_t s_off, s_end;
#define SBUF_SIZE	(4 * (FRAME_MAX + 4))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vmm-emu --gw-netns NS --dev NAME [--dev-path PATH]\n"
		"               --guest-netns NS2 --tap TAPNAME [--vnet-hdr]\n"
		"               [--hdr-len 10|12] [--max-frames N]\n"
		"       vmm-emu --stream SOCKET --guest-netns NS2 --tap TAPNAME\n"
		"               [--max-frames N]\n"
		"\n"
		"Bridge frames between TAP device TAPNAME, created in netns NS2\n"
		"(the guest), and the tap-compatible file PATH (default /dev/vmgw)\n"
		"attached with TUNSETIFF to device NAME in netns NS (the gateway).\n"
		"With --dev-path /dev/net/tun a plain TAP NAME is created in NS.\n"
		"With --stream the gateway side is the unix stream socket SOCKET\n"
		"(e.g. passt -s SOCKET): each frame behind its length, a 32-bit\n"
		"big-endian number; no virtio-net header.\n"
		"A netns is a name in /run/netns or an absolute path.\n"
		"\n"
		"  --vnet-hdr       IFF_VNET_HDR on both sides, with TUNSETVNETHDRSZ\n"
		"                   and TUNSETOFFLOAD(CSUM|TSO4|TSO6)\n"
		"  --hdr-len N      virtio_net_hdr size with --vnet-hdr: 10 (default)\n"
		"                   or 12\n"
		"  --max-frames N   exit 0 after forwarding N frames in total\n"
		"\n"
		"Prints \"vmm-emu: ready\" on stdout once both sides are set up;\n"
		"link configuration (addresses, link up) is left to the caller.\n"
		"On exit prints \"vmm-emu: g2h N frames, h2g M frames\" on stderr\n"
		"(g2h: guest TAP -> gateway, h2g: gateway -> guest TAP), and with\n"
		"--vnet-hdr \"vmm-emu: GSO frames: g2h N, h2g M\": the frames whose\n"
		"virtio_net_hdr has a GSO type.\n"
		"Exit status: 0 signal or --max-frames, 1 setup failure,\n"
		"2 bad arguments, 3 gateway fd error, 4 guest TAP error.\n");
}

static void msg(const char *fmt, ...)
{
	va_list ap;

	fputs("vmm-emu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void print_counters(void)
{
	if (h2g.dropped)
		msg("h2g %llu frames dropped while the guest TAP was down",
		    h2g.dropped);
	msg("g2h %llu frames, h2g %llu frames", g2h.frames, h2g.frames);
	if (vnet_hdr)
		msg("GSO frames: g2h %llu, h2g %llu", g2h.gso, h2g.gso);
}

/* A runtime error on one side: report it, print the counters, exit. */
static void __noreturn side_fail(enum side s, const char *why)
{
	msg("%s fd: %s", s == GW ? "gateway" : "tap", why);
	print_counters();
	exit(s == GW ? EXIT_GW : EXIT_TAP);
}

static bool parse_ull(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "gw-netns",	 required_argument, NULL, 'g' },
		{ "dev",	 required_argument, NULL, 'd' },
		{ "dev-path",	 required_argument, NULL, 'p' },
		{ "guest-netns", required_argument, NULL, 'G' },
		{ "tap",	 required_argument, NULL, 't' },
		{ "vnet-hdr",	 no_argument,	    NULL, 'v' },
		{ "hdr-len",	 required_argument, NULL, 'l' },
		{ "max-frames",	 required_argument, NULL, 'm' },
		{ "stream",	 required_argument, NULL, 's' },
		{ "help",	 no_argument,	    NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long v;
	int c;

	o->dev_path = "/dev/vmgw";
	o->hdr_len = 10;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'g':
			o->gw_netns = optarg;
			break;
		case 'd':
			o->dev = optarg;
			break;
		case 'p':
			o->dev_path = optarg;
			break;
		case 'G':
			o->guest_netns = optarg;
			break;
		case 't':
			o->tap = optarg;
			break;
		case 'v':
			o->vnet_hdr = true;
			break;
		case 'l':
			if (!parse_ull(optarg, &v) || (v != 10 && v != 12)) {
				msg("--hdr-len must be 10 or 12, not '%s'",
				    optarg);
				exit(EXIT_USAGE);
			}
			o->hdr_len = v;
			break;
		case 'm':
			if (!parse_ull(optarg, &v) || !v) {
				msg("--max-frames needs a positive number, not '%s'",
				    optarg);
				exit(EXIT_USAGE);
			}
			o->max_frames = v;
			break;
		case 's':
			o->stream = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			msg("bad arguments (see --help)");
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc) {
		msg("unexpected argument '%s'", argv[optind]);
		exit(EXIT_USAGE);
	}
	if (o->stream && (o->gw_netns || o->dev || o->vnet_hdr)) {
		msg("--stream takes no --gw-netns, --dev or --vnet-hdr");
		exit(EXIT_USAGE);
	}
	if (o->stream)
		o->dev = "";
	if ((!o->stream && (!o->gw_netns || !o->dev)) || !o->guest_netns ||
	    !o->tap) {
		msg("--gw-netns, --dev, --guest-netns and --tap are required (see --help)");
		exit(EXIT_USAGE);
	}
	if (strlen(o->dev) >= IFNAMSIZ || strlen(o->tap) >= IFNAMSIZ) {
		msg("interface names must be shorter than %d bytes", IFNAMSIZ);
		exit(EXIT_USAGE);
	}
}

static void __noreturn setup_fail(const char *what, const char *arg)
{
	msg("%s %s: %s", what, arg, strerror(errno));
	exit(EXIT_SETUP);
}

/* Enter a netns given by name (/run/netns/NAME) or absolute path. */
static void enter_netns(const char *ns)
{
	char path[PATH_MAX];
	int fd;

	if (ns[0] == '/')
		snprintf(path, sizeof(path), "%s", ns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		setup_fail("cannot open netns", path);
	if (setns(fd, CLONE_NEWNET) < 0)
		setup_fail("cannot enter netns", path);
	close(fd);
}

/*
 * Open a tap-compatible file inside netns @ns and attach it to @name,
 * then return to the original netns (@orig_ns).
 */
static int open_tap(const struct opts *o, int orig_ns, const char *ns,
		    const char *path, const char *name)
{
	unsigned int offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	struct ifreq ifr;
	int fd, flags;

	enter_netns(ns);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		setup_fail("cannot open", path);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (o->vnet_hdr)
		ifr.ifr_flags |= IFF_VNET_HDR;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		setup_fail("TUNSETIFF failed for", name);

	if (o->vnet_hdr) {
		int len = o->hdr_len;

		if (ioctl(fd, TUNSETVNETHDRSZ, &len) < 0)
			setup_fail("TUNSETVNETHDRSZ failed for", name);
		if (ioctl(fd, TUNSETOFFLOAD, offload) < 0)
			msg("warning: TUNSETOFFLOAD(CSUM|TSO4|TSO6) refused for %s: %s; continuing",
			    name, strerror(errno));
	}

	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		setup_fail("cannot set O_NONBLOCK on", name);

	if (setns(orig_ns, CLONE_NEWNET) < 0)
		setup_fail("cannot return to the original netns from", ns);
	return fd;
}

/* Connect to the unix stream socket @path, non-blocking. */
static int open_stream(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, big = 4 << 20;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		setup_fail("cannot use socket", path);
	}
	strcpy(sa.sun_path, path);
	sbuf = malloc(SBUF_SIZE);
	if (!sbuf)
		setup_fail("out of memory for", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		setup_fail("cannot create a socket for", path);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		setup_fail("cannot connect to", path);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		setup_fail("cannot set O_NONBLOCK on", path);
	stream = true;
	return fd;
}

static void on_signal(int sig)
{
	stop_sig = sig;
}

/* d's pending frame has been written out: count it and free the slot. */
static void frame_done(struct dir *d)
{
	if (vnet_hdr &&
	    ((struct virtio_net_hdr *)d->buf)->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		d->gso++;
	d->len = 0;
	d->frames++;
	total++;
}

/*
 * Write d's pending frame. Returns true when it is gone (written, or
 * dropped because the guest TAP is down), false on EAGAIN.
 */
static bool flush_stream(struct dir *d)
{
	uint32_t be = htonl(d->len);
	struct iovec iov[2];
	size_t hdr_left;
	ssize_t n;
	int i = 0;

	hdr_left = d->sent < 4 ? 4 - d->sent : 0;
	if (hdr_left) {
		iov[i].iov_base = (char *)&be + d->sent;
		iov[i++].iov_len = hdr_left;
	}
	iov[i].iov_base = d->buf + (d->sent > 4 ? d->sent - 4 : 0);
	iov[i++].iov_len = d->len - (d->sent > 4 ? d->sent - 4 : 0);
	n = writev(fds[d->out], iov, i);
	if (n < 0) {
		if (errno == EAGAIN)
			return false;
		side_fail(d->out, strerror(errno));
	}
	d->sent += n;
	if (d->sent < d->len + 4)
		return false;
	d->sent = 0;
	frame_done(d);
	return true;
}

/*
 * --stream: the next whole frame from the socket into @buf. Returns its
 * length, or -1 with errno EAGAIN when no whole frame has arrived yet.
 */
static ssize_t read_stream(unsigned char *buf)
{
	uint32_t be, len;
	ssize_t n;

	for (;;) {
		if (s_end - s_off >= 4) {
			memcpy(&be, sbuf + s_off, 4);
			len = ntohl(be);
			if (len < 14 || len > FRAME_MAX)
				side_fail(GW, "bad frame length on the stream");
			if (s_end - s_off >= 4 + len) {
				memcpy(buf, sbuf + s_off + 4, len);
				s_off += 4 + len;
				return len;
			}
		}
		if (s_off) {
			memmove(sbuf, sbuf + s_off, s_end - s_off);
			s_end -= s_off;
			s_off = 0;
		}
		n = read(fds[GW], sbuf + s_end, SBUF_SIZE - s_end);
		if (n <= 0)
			return n;
		s_end += n;
	}
}

/* --stream: a whole frame is buffered already, poll() would not say so. */
static bool stream_ready(void)
{
	uint32_t be;

	if (!stream || s_end - s_off < 4)
		return false;
	memcpy(&be, sbuf + s_off, 4);
	return s_end - s_off >= 4 + (size_t)ntohl(be);
}

static bool flush(struct dir *d)
{
	ssize_t n;
	char why[80];

	if (stream && d->out == GW)
		return flush_stream(d);
	n = write(fds[d->out], d->buf, d->len);

	if (n < 0) {
		if (errno == EAGAIN)
			return false;
		if (errno == EIO && d->out == TAP) {
			/* tun refuses writes while its link is down */
			d->dropped++;
			d->len = 0;
			return true;
		}
		side_fail(d->out, strerror(errno));
	}
	if ((size_t)n != d->len) {
		snprintf(why, sizeof(why), "short write (%zd of %zu bytes)",
			 n, d->len);
		side_fail(d->out, why);
	}
	frame_done(d);
	return true;
}

/* Move up to BATCH frames from d->in to d->out; stop early on EAGAIN. */
static void pump(struct dir *d)
{
	ssize_t n;
	int i;

	for (i = 0; i < BATCH && !d->len; i++) {
		if (max_frames && total >= max_frames)
			return;
		if (stream && d->in == GW)
			n = read_stream(d->buf);
		else
			n = read(fds[d->in], d->buf, buf_size);
		if (n < 0) {
			if (errno == EAGAIN)
				return;
			side_fail(d->in, strerror(errno));
		}
		if (n == 0)
			side_fail(d->in, "unexpected end of file");
		d->len = n;
		flush(d);
	}
}

/* POLLERR/POLLHUP/POLLNVAL on a side: find out why, then fail. */
static void __noreturn poll_fail(enum side s, short revents)
{
	if (revents & POLLNVAL)
		side_fail(s, "poll: invalid file descriptor");
	/*
	 * read() reports the device's error (ENODEV for vmgw, EBADFD for
	 * tun). We are exiting anyway, so a frame it might return is lost.
	 */
	if (read(fds[s], h2g.buf, buf_size) < 0 && errno != EAGAIN)
		side_fail(s, strerror(errno));
	side_fail(s, revents & POLLHUP ? "poll: POLLHUP" : "poll: POLLERR");
}

int main(int argc, char **argv)
{
	struct pollfd pfd[2];
	struct sigaction sa;
	sigset_t block, orig;
	struct opts o = {};
	int orig_ns;

	parse_args(argc, argv, &o);
	max_frames = o.max_frames;

	vnet_hdr = o.vnet_hdr;
	buf_size = (o.vnet_hdr ? o.hdr_len : 0) + FRAME_MAX;
	g2h.buf = malloc(buf_size);
	h2g.buf = malloc(buf_size);
	if (!g2h.buf || !h2g.buf) {
		msg("out of memory");
		return EXIT_SETUP;
	}

	/* Signals are only delivered inside ppoll(): no lost wakeups. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigprocmask(SIG_BLOCK, &block, &orig) < 0) {
		msg("sigprocmask: %s", strerror(errno));
		return EXIT_SETUP;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0) {
		msg("sigaction: %s", strerror(errno));
		return EXIT_SETUP;
	}

	orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig_ns < 0)
		setup_fail("cannot open", "/proc/self/ns/net");
	if (o.stream)
		fds[GW] = open_stream(o.stream);
	else
		fds[GW] = open_tap(&o, orig_ns, o.gw_netns, o.dev_path, o.dev);
	fds[TAP] = open_tap(&o, orig_ns, o.guest_netns, "/dev/net/tun", o.tap);
	close(orig_ns);

	if (printf("vmm-emu: ready\n") < 0 || fflush(stdout) == EOF) {
		msg("cannot write to stdout: %s", strerror(errno));
		return EXIT_SETUP;
	}

	pfd[GW].fd = fds[GW];
	pfd[TAP].fd = fds[TAP];
	while (!stop_sig && !(max_frames && total >= max_frames)) {
		/* A side with a frame pending waits for POLLOUT, not POLLIN. */
		pfd[GW].events = (g2h.len ? POLLOUT : 0) | (h2g.len ? 0 : POLLIN);
		pfd[TAP].events = (h2g.len ? POLLOUT : 0) | (g2h.len ? 0 : POLLIN);
		struct timespec zero = { 0, 0 };

		if (ppoll(pfd, 2, !h2g.len && stream_ready() ? &zero : NULL,
			  &orig) < 0) {
			if (errno == EINTR)
				continue;
			msg("poll: %s", strerror(errno));
			print_counters();
			return EXIT_SETUP;
		}
		if (pfd[GW].revents & (POLLERR | POLLHUP | POLLNVAL))
			poll_fail(GW, pfd[GW].revents);
		if (pfd[TAP].revents & (POLLERR | POLLHUP | POLLNVAL))
			poll_fail(TAP, pfd[TAP].revents);

		if (g2h.len && (pfd[GW].revents & POLLOUT))
			flush(&g2h);
		if (h2g.len && (pfd[TAP].revents & POLLOUT))
			flush(&h2g);
		if (!g2h.len && (pfd[TAP].revents & POLLIN))
			pump(&g2h);
		if (!h2g.len && ((pfd[GW].revents & POLLIN) || stream_ready()))
			pump(&h2g);
	}

	if (stop_sig)
		msg("%s received, exiting", strsignal(stop_sig));
	print_counters();
	return 0;
}
