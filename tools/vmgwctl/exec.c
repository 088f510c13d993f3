// SPDX-License-Identifier: GPL-2.0
/*
 * Commands vmgwctl up and the CNI plugin run (ip, nft, tc, dnsmasq), in a
 * chosen network namespace, with a report of their failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"

static int cmd_fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "Error: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/**
 * run_cmd() - run a command to completion
 * @nsfd: the network namespace it runs in, or negative for ours
 * @input: its standard input, or NULL for ours
 * @argv: the command and its arguments, NULL-terminated (PATH is searched)
 *
 * Its own messages go to our stderr, and so does a report when it cannot
 * be started or does not exit with status 0.
 *
 * Return: 0 when it exited with status 0, else -1.
 */
int run_cmd(int nsfd, const char *input, const char *const *argv)
{
	int status, pipefd[2] = { -1, -1 };
	char line[512] = "";
	size_t off = 0;
	pid_t pid;
	int i;

	for (i = 0; argv[i] && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, "%s%s",
				i ? " " : "", argv[i]);
	if (input && pipe2(pipefd, O_CLOEXEC))
		return cmd_fail(line, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cmd_fail(line, "fork: %s", strerror(errno));
		goto close_pipe;
	}
	if (!pid) {
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET))
			_exit(126);
		if (input && dup2(pipefd[0], 0) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "Error: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (input) {
		size_t len = strlen(input), done = 0;
		ssize_t n;

		close(pipefd[0]);
		pipefd[0] = -1;
		while (done < len) {
			n = write(pipefd[1], input + done, len - done);
			if (n <= 0 && errno != EINTR)
				break;
			if (n > 0)
				done += n;
		}
		close(pipefd[1]);
		pipefd[1] = -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cmd_fail(line, "wait: %s", strerror(errno));
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFEXITED(status))
		return cmd_fail(line, "exit status %d", WEXITSTATUS(status));
	return cmd_fail(line, "killed by signal %d", WTERMSIG(status));

close_pipe:
	if (input) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
	return -1;
}

/**
 * run_cmd_out() - run a command to completion and keep its output
 * @nsfd: the network namespace it runs in, or negative for ours
 * @argv: the command and its arguments, NULL-terminated (PATH is searched)
 * @out: its standard output, NUL-terminated, cut at @len - 1 bytes
 * @len: the size of @out, at least 1
 *
 * Its messages go to our stderr, as with run_cmd().
 *
 * Return: 0 when it exited with status 0, else -1.
 */
int run_cmd_out(int nsfd, const char *const *argv, char *out, size_t len)
{
	size_t got = 0;
	int status, pipefd[2];
	char drain[256];
	pid_t pid;
	ssize_t n;

	out[0] = '\0';
	if (pipe2(pipefd, O_CLOEXEC))
		return cmd_fail(argv[0], "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return cmd_fail(argv[0], "fork: %s", strerror(errno));
	}
	if (!pid) {
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET))
			_exit(126);
		if (dup2(pipefd[1], 1) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "Error: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		if (got < len - 1)
			n = read(pipefd[0], out + got, len - 1 - got);
		else
			n = read(pipefd[0], drain, sizeof(drain));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got < len - 1)
			got += n;
	}
	out[got] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cmd_fail(argv[0], "wait: %s", strerror(errno));
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFEXITED(status))
		return cmd_fail(argv[0], "exit status %d", WEXITSTATUS(status));
	return cmd_fail(argv[0], "killed by signal %d", WTERMSIG(status));
}
