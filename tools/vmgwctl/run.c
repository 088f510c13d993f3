// SPDX-License-Identifier: GPL-2.0
/*
 * vmgwctl run: hand an attached /dev/vmgw descriptor to a VMM.
 * vmgwctl stream: serve VMMs that speak QEMU's -netdev stream framing
 * (libkrun, passt clients) on a unix socket, bridged to /dev/vmgw.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "args.h"
#include "vmgwctl.h"

/* Open /dev/vhost-vmgw as descriptor @num, kept across exec. */
static int open_vhost(int num)
{
	int fd = open("/dev/vhost-vmgw", O_RDWR);

	if (fd < 0) {
		fprintf(stderr, "Error: /dev/vhost-vmgw: %s\n", strerror(errno));
		return -1;
	}
	if (fd != num) {
		if (dup2(fd, num) < 0) {
			fprintf(stderr, "Error: vhostfd %d: %s\n", num,
				strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	} else if (fcntl(fd, F_SETFD, 0)) {
		fprintf(stderr, "Error: vhostfd %d: %s\n", fd, strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * cmd_run() - vmgwctl run NS NAME [fd N] [vhost [vhostfd M]] [no-vnet-hdr]
 *	-- VMM [ARGS...]
 * @c: output settings (unused)
 * @argc: arguments after "run"
 * @argv: the arguments
 *
 * Return: an exit status when the VMM could not be started (127 when
 * execvp() failed); otherwise the VMM replaced this process.
 */
int cmd_run(struct ctl *c, int argc, char **argv)
{
	struct run_opts o;
	char err[256], **args;
	int fd;

	(void)c;
	if (parse_run_args(argc, argv, &o, err, sizeof(err)))
		return usage_error("run", err);
	fd = vmgw_attach(o.netns, o.name, o.vnet_hdr);
	if (fd < 0)
		return EXIT_FAIL;
	if (fd != o.fd) {
		/* dup2() leaves the new descriptor without close-on-exec. */
		if (dup2(fd, o.fd) < 0) {
			fprintf(stderr, "Error: fd %d: %s\n", o.fd, strerror(errno));
			return EXIT_FAIL;
		}
		close(fd);
	} else if (fcntl(fd, F_SETFD, 0)) {
		fprintf(stderr, "Error: fd %d: %s\n", fd, strerror(errno));
		return EXIT_FAIL;
	}
	if (o.vhost_fd >= 0 && open_vhost(o.vhost_fd))
		return EXIT_FAIL;
	args = subst_fds(o.argv, o.fd, o.vhost_fd);
	if (!args) {
		fprintf(stderr, "Error: out of memory\n");
		return EXIT_FAIL;
	}
	if (o.vhost_fd >= 0)
		fprintf(stderr, "vmgwctl: %s attached as fd %d, /dev/vhost-vmgw as fd %d\n",
			o.name, o.fd, o.vhost_fd);
	else
		fprintf(stderr, "vmgwctl: %s attached as fd %d\n", o.name, o.fd);
	execvp(args[0], args);
	fprintf(stderr, "Error: %s: %s\n", args[0], strerror(errno));
	return 127;
}

/* Largest frame of the stream framing; a vmgw frame is at most that too. */
#define STREAM_FRAME_MAX	65535
#define STREAM_BUF		(4 + STREAM_FRAME_MAX)

static volatile sig_atomic_t stream_stop;

static void stream_signal(int sig)
{
	(void)sig;
	stream_stop = 1;
}

struct bridge {
	int client, gw;
	uint8_t in[STREAM_BUF];		/* from the client, partial frames */
	size_t in_len;
	uint8_t out[STREAM_BUF];	/* to the client: one framed frame */
	size_t out_len, out_off;
	bool gw_full;			/* the head frame of in waits for room */
};

/*
 * Write the complete frames from the client to the device. Return 0, 1
 * (the client broke the framing: drop it) or -1 (the device failed).
 */
static int bridge_to_gw(struct bridge *b)
{
	size_t off = 0;

	b->gw_full = false;
	while (b->in_len - off >= 4) {
		uint32_t len;

		memcpy(&len, b->in + off, 4);
		len = ntohl(len);
		if (len < 14 || len > STREAM_FRAME_MAX) {
			fprintf(stderr, "vmgwctl: stream: frame length %u, dropping the client\n",
				len);
			return 1;
		}
		if (b->in_len - off - 4 < len)
			break;
		if (write(b->gw, b->in + off + 4, len) < 0) {
			if (errno == EAGAIN) {
				b->gw_full = true;
				break;
			}
			if (errno != EINVAL) {
				fprintf(stderr, "Error: stream: device: %s\n",
					strerror(errno));
				return -1;
			}
			/* Refused (e.g. longer than the MTU) and counted. */
		}
		off += 4 + len;
	}
	memmove(b->in, b->in + off, b->in_len - off);
	b->in_len -= off;
	return 0;
}

/* Take one frame from the device into the output buffer. */
static int bridge_from_gw(struct bridge *b)
{
	ssize_t n = read(b->gw, b->out + 4, STREAM_FRAME_MAX);
	uint32_t len;

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fprintf(stderr, "Error: stream: device: %s\n", strerror(errno));
		return -1;
	}
	len = htonl(n);
	memcpy(b->out, &len, 4);
	b->out_len = 4 + n;
	b->out_off = 0;
	return 0;
}

/* Move frames both ways until the client leaves (0) or the device fails. */
static int bridge_run(struct bridge *b)
{
	struct pollfd p[2];
	ssize_t n;
	int ret;

	b->in_len = b->out_len = b->out_off = 0;
	b->gw_full = false;
	while (!stream_stop) {
		p[0].fd = b->client;
		p[0].events = (b->gw_full ? 0 : POLLIN) |
			      (b->out_len ? POLLOUT : 0);
		p[1].fd = b->gw;
		p[1].events = (b->out_len ? 0 : POLLIN) |
			      (b->gw_full ? POLLOUT : 0);
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents & (POLLERR | POLLHUP)) {
			fprintf(stderr, "Error: stream: the device is gone\n");
			return -1;
		}
		if ((p[1].revents & POLLIN) && bridge_from_gw(b))
			return -1;
		if (b->out_len) {
			n = send(b->client, b->out + b->out_off,
				 b->out_len - b->out_off, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN)
				return 0;
			if (n > 0 && (b->out_off += n) == b->out_len)
				b->out_len = 0;
		}
		if ((p[0].revents & POLLIN) && b->in_len < sizeof(b->in)) {
			n = recv(b->client, b->in + b->in_len,
				 sizeof(b->in) - b->in_len, 0);
			if (n == 0 || (n < 0 && errno != EAGAIN))
				return 0;
			if (n > 0)
				b->in_len += n;
		}
		if ((p[0].revents & POLLIN) || (p[1].revents & POLLOUT)) {
			ret = bridge_to_gw(b);
			if (ret)
				return ret < 0 ? -1 : 0;
		}
	}
	return 0;
}

static int stream_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	/* A stale socket of an earlier run is replaced, nothing else. */
	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(fd, 1)) {
		fprintf(stderr, "Error: --listen %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/**
 * cmd_stream() - vmgwctl stream NS NAME --listen PATH
 * @c: output settings (unused)
 * @argc: arguments after "stream"
 * @argv: the arguments
 *
 * One client at a time; when it leaves the next one may connect, on the
 * same attachment. "listening" on stderr says the socket is ready. Ends
 * at SIGINT or SIGTERM (status 0) or when the device fails (1).
 *
 * Return: an exit status.
 */
int cmd_stream(struct ctl *c, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = stream_signal };
	struct run_opts o;
	struct bridge *b;
	char err[256];
	int lfd, ret = 0;

	(void)c;
	if (parse_stream_args(argc, argv, &o, err, sizeof(err)))
		return usage_error("stream", err);
	b = calloc(1, sizeof(*b));
	if (!b)
		return EXIT_FAIL;
	b->gw = vmgw_attach(o.netns, o.name, false);
	if (b->gw < 0)
		goto free_bridge;
	fcntl(b->gw, F_SETFL, O_NONBLOCK);
	lfd = stream_listen(o.listen);
	if (lfd < 0)
		goto close_gw;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "listening\n");
	while (!stream_stop && !ret) {
		b->client = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (b->client < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: accept: %s\n", strerror(errno));
			ret = -1;
			break;
		}
		ret = bridge_run(b);
		close(b->client);
	}
	unlink(o.listen);
	close(lfd);
	close(b->gw);
	free(b);
	return ret ? EXIT_FAIL : 0;

close_gw:
	close(b->gw);
free_bridge:
	free(b);
	return EXIT_FAIL;
}
