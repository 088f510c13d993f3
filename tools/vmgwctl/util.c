// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers every vmgwctl command and the CNI plugin share: network
 * namespaces by name or path, and the report of a bad command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmgwctl.h"

/**
 * usage_error() - report a bad command line
 * @cmd: the command, e.g. "dev set"
 * @msg: what is wrong
 *
 * Return: EXIT_USAGE.
 */
int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "vmgwctl: %s: %s (see vmgwctl --help)\n", cmd, msg);
	return EXIT_USAGE;
}

/**
 * netns_open() - open a network namespace
 * @name: a name in /run/netns, or a path (one with a '/')
 *
 * Return: the descriptor (close-on-exec), or -errno after a message.
 */
int netns_open(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		fprintf(stderr, "Error: netns %s: %s\n", name, strerror(-fd));
	}
	return fd;
}

/**
 * netns_enter() - enter a network namespace
 * @nsfd: the namespace
 * @name: its name, for the error report
 *
 * Return: a descriptor of the previous one for netns_leave(), or -errno
 * after a message.
 */
int netns_enter(int nsfd, const char *name)
{
	int saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), err;

	if (saved < 0 || setns(nsfd, CLONE_NEWNET)) {
		err = -errno;
		fprintf(stderr, "Error: entering netns %s: %s\n", name,
			strerror(-err));
		if (saved >= 0)
			close(saved);
		return err;
	}
	return saved;
}

/**
 * netns_leave() - return to the namespace netns_enter() left
 * @saved: what netns_enter() returned; closed
 *
 * Return: 0, or -errno.
 */
int netns_leave(int saved)
{
	int err = setns(saved, CLONE_NEWNET) ? -errno : 0;

	close(saved);
	return err;
}
