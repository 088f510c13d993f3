// SPDX-License-Identifier: GPL-2.0
/*
 * tcprr: TCP request/response latency, one byte each way.
 *
 *   tcprr server PORT             answer every byte of every connection
 *   tcprr client ADDR PORT N      N transactions on one connection;
 *                                 prints "transactions N seconds S rate R
 *                                 latency_us L" (L: mean round trip)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __attribute__((noreturn)) server(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int s, c, one = 1;
	char b;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = htons(port);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 8) < 0)
		die("bind/listen");
	for (;;) {
		c = accept(s, NULL, NULL);
		if (c < 0)
			die("accept");
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		while (read(c, &b, 1) == 1)
			if (write(c, &b, 1) != 1)
				break;
		close(c);
	}
}

static int client(const char *addr, int port, long n)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	double t0, t;
	int s, one = 1;
	char b = 'x';
	long i;

	sa.sin_port = htons(port);
	if (!inet_aton(addr, &sa.sin_addr))
		die("address");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t0 = now();
	for (i = 0; i < n; i++)
		if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1)
			die("transaction");
	t = now() - t0;
	printf("transactions %ld seconds %.3f rate %.0f latency_us %.1f\n",
	       n, t, n / t, t / n * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		server(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "client"))
		return client(argv[2], atoi(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: tcprr server PORT | client ADDR PORT N\n");
	return 2;
}
