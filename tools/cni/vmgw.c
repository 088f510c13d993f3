// SPDX-License-Identifier: GPL-2.0
/*
 * vmgw: a CNI plugin (specification 1.0.0), chained after a pod's primary
 * plugin, that puts a vmgw device for the pod's microVM next to the pod's
 * interface, with the policy of the network configuration (narrowed by
 * runtimeConfig), and passes the guest's frames by a tc redirect.
 *
 * The runtime calls it with CNI_COMMAND (ADD, DEL, CHECK or VERSION) and
 * the other CNI_* variables, the configuration on stdin; the result or
 * the spec's error object goes to stdout, exit status 1 with an error.
 * What the plugin and the tools it runs (ip, tc) say on stderr is kept:
 * an error carries it as "details", and it is passed on to our stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cni.h"

#define CONF_MAX	(1024 * 1024)

static char *read_all(int fd, size_t max, size_t *len)
{
	size_t got = 0, size = 4096;
	char *buf = malloc(size), *p;
	ssize_t n;

	while (buf) {
		if (got + 1 == size) {
			if (size > max) {
				free(buf);
				return NULL;
			}
			size *= 2;
			p = realloc(buf, size);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (!n)
			break;
		got += n;
	}
	if (buf)
		buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}

/*
 * stderr (ours and the children's) and the children's stdout go to a
 * memory file while the plugin works; @out keeps the real stdout.
 */
static int log_start(int *out, int *err)
{
	int fd = memfd_create("vmgw-cni-log", MFD_CLOEXEC);

	*out = dup(1);
	*err = dup(2);
	if (fd < 0 || *out < 0 || *err < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return -1;
	return fd;
}

/* Give the log back to the real stderr; the last of it into @e. */
static void log_end(int log, int err, struct cni_error *e)
{
	size_t len = 0, keep = sizeof(e->details) - 1;
	char *text;

	fflush(stderr);
	if (log < 0 || lseek(log, 0, SEEK_SET))
		return;
	text = read_all(log, 16 * 1024 * 1024, &len);
	if (!text)
		return;
	if (len && write(err, text, len) < 0)
		len = 0;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	if (e && len)
		snprintf(e->details, sizeof(e->details), "%s",
			 len > keep ? text + len - keep : text);
	free(text);
}

static int run(const struct cni_env *env, struct cni_conf *c, char **out,
	       struct cni_error *e)
{
	char mac[18], *conf;

	conf = read_all(0, CONF_MAX, NULL);
	if (!conf)
		return cni_error_set(e, CNI_ERR_IO,
				     "reading the network configuration failed (or it is over %d bytes)",
				     CONF_MAX);
	if (cni_conf_parse(conf, env, c, e)) {
		free(conf);
		return -1;
	}
	free(conf);
	switch (env->cmd) {
	case CNI_ADD:
		if (cni_add(c, env, mac, e))
			return -1;
		*out = cni_result_json(c, env->netns, mac);
		if (!*out) {
			cni_del(c, env, e);
			return cni_error_set(e, CNI_ERR_IO, "out of memory");
		}
		return 0;
	case CNI_DEL:
		return cni_del(c, env, e);
	default:
		return cni_check(c, env, e);
	}
}

int main(int argc, char **argv, char **envp)
{
	struct cni_error e = {};
	int log, out_fd, err_fd;
	struct cni_conf c = {};
	struct cni_env env;
	char *out = NULL;
	FILE *out_f;
	int ret;

	/* Runtimes may give a bare environment; ip and tc are in sbin. */
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
	log = log_start(&out_fd, &err_fd);
	if (log < 0) {
		printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"cannot set up output\"}\n",
		       CNI_VERSION, CNI_ERR_IO);
		return 1;
	}
	(void)argc;
	(void)argv;
	ret = cni_env_parse((const char *const *)envp, &env, &e);
	if (!ret && env.cmd == CNI_VERSION_CMD)
		out = cni_version_json();
	else if (!ret)
		ret = run(&env, &c, &out, &e);
	log_end(log, err_fd, ret ? &e : NULL);
	cni_conf_free(&c);
	if (ret)
		out = cni_error_json(&e);
	else if (!out && env.cmd != CNI_ADD && env.cmd != CNI_VERSION_CMD)
		return 0;	/* DEL and CHECK say nothing when they succeed */
	out_f = fdopen(out_fd, "w");
	if (!out_f || !out)
		return 1;
	fprintf(out_f, "%s\n", out);
	free(out);
	return fclose(out_f) || ret ? 1 : 0;
}
