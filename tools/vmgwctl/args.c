// SPDX-License-Identifier: GPL-2.0
/* vmgwctl command line parsing (see args.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/vmgw.h>

#include "args.h"

/* Indexed by the spec's enums: policy-mode, floor-mode. */
static const char *const policy_modes[] = { "open", "allowlist" };
static const char *const floors[] = { "default", "strict", "off" };

/* dev add/set keywords of the flow timeouts, in flow state order. */
const char *const timeout_keys[N_TIMEOUTS] = {
	"flow-timeout-syn", "flow-timeout-established", "flow-timeout-fin",
	"flow-timeout-closed",
};

/* unset WHAT: the spec's unset flags. */
static const struct {
	const char *name;
	uint32_t flag;
} unsets[] = {
	{ "guest-mac", VMGW_UNSET_GUEST_MAC },
	{ "guest-ipv4", VMGW_UNSET_GUEST_IPV4 },
	{ "guest-ipv6", VMGW_UNSET_GUEST_IPV6 },
	{ "resolvers", VMGW_UNSET_RESOLVERS },
	{ "allow-hosts", VMGW_UNSET_ALLOW_HOSTS },
};

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "icmpv6", 58 },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/**
 * parse_u32() - a decimal number from 0 to UINT32_MAX, nothing else
 * @s: the text
 * @out: receives the number
 *
 * Return: 0, or -1 for anything else (signs, spaces, hex, overflow).
 */
int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

/* aa:bb:cc:dd:ee:ff, hex digits in either case. */
int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	int i;

	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -1;
	}
	sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4],
	       &b[5]);
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

int parse_addr(const char *s, struct vm_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = AF_INET;
		a->plen = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = AF_INET6;
		a->plen = 128;
		return 0;
	}
	return -1;
}

/* ADDR or ADDR/LEN, LEN up to 32 (IPv4) or 128 (IPv6). */
int parse_prefix(const char *s, struct vm_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	uint32_t plen;

	if (!slash)
		return parse_addr(s, a);
	if ((size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	if (parse_addr(buf, a) || parse_u32(slash + 1, &plen) ||
	    plen > a->plen)
		return -1;
	a->plen = plen;
	return 0;
}

/* N or N-M, 0 to 65535, N <= M. */
int parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16];
	const char *dash = strchr(s, '-');
	uint32_t a, b;

	if (!dash) {
		if (parse_u32(s, &a) || a > 65535)
			return -1;
		*lo = *hi = a;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, dash - s);
	buf[dash - s] = '\0';
	if (parse_u32(buf, &a) || parse_u32(dash + 1, &b) || a > 65535 ||
	    b > 65535 || a > b)
		return -1;
	*lo = a;
	*hi = b;
	return 0;
}

int parse_proto(const char *s, uint8_t *proto)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	}
	if (parse_u32(s, &v) || v > 255)
		return -1;
	*proto = v;
	return 0;
}

const char *proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	return NULL;
}

int parse_policy_mode(const char *s, uint32_t *mode)
{
	uint32_t i;

	for (i = 0; i < sizeof(policy_modes) / sizeof(policy_modes[0]); i++) {
		if (!strcmp(s, policy_modes[i])) {
			*mode = i;
			return 0;
		}
	}
	return -1;
}

const char *policy_mode_name(uint32_t mode)
{
	if (mode < sizeof(policy_modes) / sizeof(policy_modes[0]))
		return policy_modes[mode];
	return "unknown";
}

int parse_floor(const char *s, uint32_t *floor)
{
	uint32_t i;

	for (i = 0; i < sizeof(floors) / sizeof(floors[0]); i++) {
		if (!strcmp(s, floors[i])) {
			*floor = i;
			return 0;
		}
	}
	return -1;
}

const char *floor_name(uint32_t floor)
{
	if (floor < sizeof(floors) / sizeof(floors[0]))
		return floors[floor];
	return "unknown";
}

bool dev_opts_has_settings(const struct dev_opts *o)
{
	int i;

	for (i = 0; i < N_TIMEOUTS; i++)
		if (o->has_timeout[i])
			return true;
	return o->has_mtu || o->has_g2h || o->has_h2g || o->has_guest_mac ||
	       o->has_guest_ip4 || o->has_mode || o->has_floor ||
	       o->has_flow_cap || o->n_guest_ip6 || o->n_resolver ||
	       o->n_allow_host || o->unset;
}

/* guest-ip: one IPv4 address, IPv6 addresses into the list. */
static int add_guest_ip(struct dev_opts *o, const char *s, char *err,
			size_t errlen)
{
	struct vm_addr a;

	if (parse_addr(s, &a))
		return fail(err, errlen, "guest-ip: '%s' is not an IPv4 or IPv6 address",
			    s);
	if (a.family == AF_INET6) {
		if (o->n_guest_ip6 >= ARGS_MAX_LIST)
			return fail(err, errlen, "guest-ip: at most %d IPv6",
				    ARGS_MAX_LIST);
		o->guest_ip6[o->n_guest_ip6++] = a;
		return 0;
	}
	if (o->has_guest_ip4)
		return fail(err, errlen, "guest-ip: one IPv4 address only");
	o->has_guest_ip4 = true;
	memcpy(o->guest_ip4, a.addr, 4);
	return 0;
}

static int add_unset(struct dev_opts *o, const char *s, char *err,
		     size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(unsets) / sizeof(unsets[0]); i++) {
		if (!strcmp(s, unsets[i].name)) {
			o->unset |= unsets[i].flag;
			return 0;
		}
	}
	return fail(err, errlen,
		    "unset: '%s' is not guest-mac, guest-ipv4, guest-ipv6, resolvers or allow-hosts",
		    s);
}

/* The flow-timeout-* keyword @kw: its index, or -1. */
static int timeout_index(const char *kw)
{
	int i;

	for (i = 0; i < N_TIMEOUTS; i++)
		if (!strcmp(kw, timeout_keys[i]))
			return i;
	return -1;
}

static int add_addr(struct vm_addr *list, int *n, const char *kw,
		    const char *s, char *err, size_t errlen)
{
	if (*n >= ARGS_MAX_LIST)
		return fail(err, errlen, "%s: at most %d", kw, ARGS_MAX_LIST);
	if (parse_addr(s, &list[*n]))
		return fail(err, errlen, "%s: '%s' is not an IPv4 or IPv6 address",
			    kw, s);
	(*n)++;
	return 0;
}

/* One "KEYWORD VALUE" setting of dev add or dev set at argv[0]. */
static int parse_dev_setting(enum dev_cmd cmd, char **argv, struct dev_opts *o,
			     char *err, size_t errlen)
{
	const char *kw = argv[0], *v = argv[1];

	if (!strcmp(kw, "mtu")) {
		o->has_mtu = true;
		if (parse_u32(v, &o->mtu))
			return fail(err, errlen, "mtu: '%s' is not a number", v);
	} else if (!strcmp(kw, "g2h-ring")) {
		o->has_g2h = true;
		if (parse_u32(v, &o->g2h))
			return fail(err, errlen, "g2h-ring: '%s' is not a number", v);
	} else if (!strcmp(kw, "h2g-ring")) {
		o->has_h2g = true;
		if (parse_u32(v, &o->h2g))
			return fail(err, errlen, "h2g-ring: '%s' is not a number", v);
	} else if (!strcmp(kw, "guest-mac")) {
		o->has_guest_mac = true;
		if (parse_mac(v, o->guest_mac))
			return fail(err, errlen, "guest-mac: '%s' is not a MAC address", v);
	} else if (!strcmp(kw, "guest-ip")) {
		return add_guest_ip(o, v, err, errlen);
	} else if (!strcmp(kw, "resolver")) {
		return add_addr(o->resolver, &o->n_resolver, kw, v, err, errlen);
	} else if (!strcmp(kw, "allow-host")) {
		if (o->n_allow_host >= ARGS_MAX_HOSTS)
			return fail(err, errlen, "allow-host: at most %d",
				    ARGS_MAX_HOSTS);
		o->allow_host[o->n_allow_host++] = v;
	} else if (!strcmp(kw, "unset")) {
		return add_unset(o, v, err, errlen);
	} else if (!strcmp(kw, "mode")) {
		o->has_mode = true;
		if (parse_policy_mode(v, &o->mode))
			return fail(err, errlen,
				    "mode: '%s' is not open or allowlist", v);
	} else if (!strcmp(kw, "floor")) {
		o->has_floor = true;
		if (parse_floor(v, &o->floor))
			return fail(err, errlen,
				    "floor: '%s' is not default, strict or off", v);
	} else if (!strcmp(kw, "flow-cap")) {
		o->has_flow_cap = true;
		if (parse_u32(v, &o->flow_cap))
			return fail(err, errlen, "flow-cap: '%s' is not a number", v);
	} else if (timeout_index(kw) >= 0) {
		int t = timeout_index(kw);

		o->has_timeout[t] = true;
		if (parse_u32(v, &o->timeout[t]))
			return fail(err, errlen, "%s: '%s' is not a number of seconds",
				    kw, v);
	} else if (cmd == DEV_ADD && !strcmp(kw, "address")) {
		o->has_address = true;
		if (parse_mac(v, o->address))
			return fail(err, errlen, "address: '%s' is not a MAC address", v);
	} else {
		return fail(err, errlen, "unknown setting '%s'", kw);
	}
	return 0;
}

/**
 * parse_dev_args() - arguments after "dev add|del|show|set"
 * @cmd: which command
 * @argc: number of arguments
 * @argv: the arguments
 * @o: receives the options (zeroed first)
 * @err: receives the message of a refusal
 * @errlen: size of @err
 *
 * add: NAME [netns NS] [address MAC] [SETTING VALUE]...
 * del: NAME [netns NS]
 * show: [NAME]
 * set: NAME SETTING VALUE [SETTING VALUE]...
 *
 * Return: 0, or -1 with a message in @err.
 */
int parse_dev_args(enum dev_cmd cmd, int argc, char **argv,
		   struct dev_opts *o, char *err, size_t errlen)
{
	int i;

	memset(o, 0, sizeof(*o));
	if (cmd == DEV_SHOW)
		return parse_show_args(argc, argv, &o->name, err, errlen);
	if (argc < 1)
		return fail(err, errlen, "a device name is required");
	o->name = argv[0];
	if (strlen(o->name) >= 16 || !*o->name)
		return fail(err, errlen, "'%s' is not a device name (1 to 15 characters)",
			    o->name);
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return fail(err, errlen, "%s: a value is required", argv[i]);
		if (cmd != DEV_SET && !strcmp(argv[i], "netns")) {
			o->netns = argv[i + 1];
			continue;
		}
		if (cmd == DEV_DEL)
			return fail(err, errlen, "unknown argument '%s'", argv[i]);
		if (parse_dev_setting(cmd, argv + i, o, err, errlen))
			return -1;
	}
	if (cmd == DEV_SET && !dev_opts_has_settings(o))
		return fail(err, errlen, "nothing to set");
	return 0;
}

/* [NAME]: show and stats. */
int parse_show_args(int argc, char **argv, const char **name,
		    char *err, size_t errlen)
{
	*name = NULL;
	if (argc > 1)
		return fail(err, errlen, "unknown argument '%s'", argv[1]);
	if (argc == 1)
		*name = argv[0];
	return 0;
}

static int parse_rule_match(int argc, char **argv, struct rule_opts *o,
			    char *err, size_t errlen)
{
	int i;

	if (argc < 2)
		return fail(err, errlen, "allow|deny and a prefix are required");
	if (!strcmp(argv[0], "allow"))
		o->action = 0;
	else if (!strcmp(argv[0], "deny"))
		o->action = 1;
	else
		return fail(err, errlen, "'%s' is not allow or deny", argv[0]);
	if (parse_prefix(argv[1], &o->prefix))
		return fail(err, errlen, "'%s' is not an address prefix (ADDR[/LEN])",
			    argv[1]);
	for (i = 2; i < argc; i += 2) {
		if (i + 1 >= argc)
			return fail(err, errlen, "%s: a value is required", argv[i]);
		if (!strcmp(argv[i], "proto")) {
			o->has_proto = true;
			if (parse_proto(argv[i + 1], &o->proto))
				return fail(err, errlen, "proto: '%s' is not tcp, udp, icmp, icmpv6 or 0-255",
					    argv[i + 1]);
		} else if (!strcmp(argv[i], "port")) {
			o->has_ports = true;
			if (parse_ports(argv[i + 1], &o->port_min, &o->port_max))
				return fail(err, errlen, "port: '%s' is not PORT or PORT-PORT",
					    argv[i + 1]);
		} else {
			return fail(err, errlen, "unknown argument '%s'", argv[i]);
		}
	}
	return 0;
}

/**
 * parse_rule_args() - arguments after "rule add|del|show"
 * @cmd: which command
 * @argc: number of arguments
 * @argv: the arguments
 * @o: receives the options (zeroed first)
 * @err: receives the message of a refusal
 * @errlen: size of @err
 *
 * add: NAME allow|deny PREFIX [proto PROTO] [port PORT[-PORT]]
 * del: NAME allow|deny PREFIX [proto PROTO] [port PORT[-PORT]] | NAME all
 * show: [NAME]
 *
 * Return: 0, or -1 with a message in @err.
 */
int parse_rule_args(enum rule_cmd cmd, int argc, char **argv,
		    struct rule_opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	if (cmd == RULE_SHOW)
		return parse_show_args(argc, argv, &o->name, err, errlen);
	if (argc < 1)
		return fail(err, errlen, "a device name is required");
	o->name = argv[0];
	if (cmd == RULE_DEL && argc == 2 && !strcmp(argv[1], "all")) {
		o->all = true;
		return 0;
	}
	return parse_rule_match(argc - 1, argv + 1, o, err, errlen);
}

/* NS NAME [fd N] [no-vnet-hdr] -- VMM [ARGS...] */
int parse_run_args(int argc, char **argv, struct run_opts *o,
		   char *err, size_t errlen)
{
	uint32_t fd;
	int i;

	bool vhost = false;

	memset(o, 0, sizeof(*o));
	o->fd = 3;
	o->vhost_fd = -1;
	o->vnet_hdr = true;
	if (argc < 2)
		return fail(err, errlen, "a namespace and a device name are required");
	o->netns = argv[0];
	o->name = argv[1];
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "no-vnet-hdr")) {
			o->vnet_hdr = false;
		} else if (!strcmp(argv[i], "vhost")) {
			vhost = true;
		} else if ((!strcmp(argv[i], "fd") ||
			    !strcmp(argv[i], "vhostfd")) && i + 1 < argc) {
			if (parse_u32(argv[i + 1], &fd) || fd < 3 || fd > 1023)
				return fail(err, errlen, "%s: '%s' is not a number from 3 to 1023",
					    argv[i], argv[i + 1]);
			if (!strcmp(argv[i], "fd"))
				o->fd = fd;
			else
				o->vhost_fd = fd;
			i++;
		} else {
			return fail(err, errlen, "unknown argument '%s'", argv[i]);
		}
	}
	if (i + 1 >= argc)
		return fail(err, errlen, "'-- VMM [ARGS...]' is required");
	if (o->vhost_fd >= 0 && !vhost)
		return fail(err, errlen, "vhostfd needs vhost");
	if (vhost && o->vhost_fd < 0)
		o->vhost_fd = o->fd + 1;
	if (o->vhost_fd == o->fd)
		return fail(err, errlen, "fd and vhostfd are both %d", o->fd);
	o->argv = argv + i + 1;
	return 0;
}

/* NS NAME --listen PATH */
int parse_stream_args(int argc, char **argv, struct run_opts *o,
		      char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	if (argc < 2)
		return fail(err, errlen, "a namespace and a device name are required");
	o->netns = argv[0];
	o->name = argv[1];
	if (argc != 4 || (strcmp(argv[2], "--listen") && strcmp(argv[2], "listen")))
		return fail(err, errlen, "--listen PATH is required");
	o->listen = argv[3];
	if (strlen(o->listen) >= 108)
		return fail(err, errlen, "--listen: path longer than 107 bytes");
	return 0;
}

/* [count N] */
int parse_monitor_args(int argc, char **argv, unsigned long *count,
		       char *err, size_t errlen)
{
	uint32_t n;

	*count = 0;
	if (argc == 0)
		return 0;
	if (argc != 2 || strcmp(argv[0], "count") || parse_u32(argv[1], &n) ||
	    !n)
		return fail(err, errlen, "usage: monitor [count N]");
	*count = n;
	return 0;
}

/* @s with every @key replaced by @num, in a new string. */
static char *subst_one(const char *s, const char *key, const char *num)
{
	size_t n = 0, len, klen = strlen(key);
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, key)); p += klen)
		n++;
	len = strlen(s) + n * strlen(num) + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	for (o = out; *s; ) {
		if (!strncmp(s, key, klen)) {
			o = stpcpy(o, num);
			s += klen;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

char **subst_fds(char **argv, int fd, int vhost_fd)
{
	char num[16], vnum[16], **out, *tmp;
	int n, i;

	for (n = 0; argv[n]; n++)
		;
	out = calloc(n + 1, sizeof(*out));
	if (!out)
		return NULL;
	snprintf(num, sizeof(num), "%d", fd);
	snprintf(vnum, sizeof(vnum), "%d", vhost_fd);
	for (i = 0; i < n; i++) {
		out[i] = subst_one(argv[i], "{fd}", num);
		if (!out[i])
			return NULL;
		if (vhost_fd < 0)
			continue;
		tmp = out[i];
		out[i] = subst_one(tmp, "{vhostfd}", vnum);
		free(tmp);
		if (!out[i])
			return NULL;
	}
	return out;
}

char **subst_fd(char **argv, int fd)
{
	return subst_fds(argv, fd, -1);
}
