// SPDX-License-Identifier: GPL-2.0
/*
 * vmgwctl up: build a guest's private namespace out of stock parts: the
 * netns (ip netns), the vmgw device in it (dev add), the gateway's IPv4 and
 * IPv6 addresses, dnsmasq as DHCP server, router advertiser and DNS
 * forwarder, and with --uplink a veth pair to the calling namespace, NAT
 * on both sides of it (nftables, one table each) and IPv4 forwarding.
 * vmgwctl down takes all of it away again. A failed up undoes what it did.
 *
 * The guest is sandboxed by default: it reaches the internet through the
 * uplink and the gateway's dnsmasq (DHCP, DNS), nothing else of this
 * host. The device's policy has the strict floor (RFC 1918, CGNAT,
 * loopback, link-local and metadata, ULA), the gateway's addresses as the
 * only DNS resolvers, the guest bound to the one address DHCP hands out
 * (and to --guest-mac), and a deny rule for every address of this
 * namespace and of the gateway's; this namespace's end of the uplink
 * drops whatever comes in from it that is not an answer (its input
 * chain), so a host address added later is no nearer. --floor and
 * --open-host open what a user wants open; vmgwctl dev set and rule
 * change the policy later.
 *
 * The files of namespace NS live in /run/vmgw/NS/: dnsmasq's conf, pid,
 * leases and log, and "uplink" (the veth's name, its transfer subnet and
 * the forwarding setting found before up changed it).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>

#include "args.h"
#include "exec.h"
#include "vmgwctl.h"

#define RUN_DIR		"/run/vmgw"
#define NETNS_DIR	"/run/netns"
#define UPLINK_PEER	"uplink"	/* the veth end inside NS */
#define NS_NAME_MAX	10		/* "vmgw-" + NS fits IFNAMSIZ */
#define UPLINK_SLOTS	16384		/* /30s of 10.254.0.0/16 */
#define DNS_MAX		4
#define GUEST_IP6_MAX	4
#define HOST_ADDR_MAX	256	/* deny rules for host addresses */
#define SYSCTL_FWD	"/proc/sys/net/ipv4/ip_forward"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct up_opts {
	const char *netns;
	const char *name;
	bool uplink;
	struct vm_addr gw4, gw6;
	bool no_ipv6;
	struct vm_addr dns[DNS_MAX];
	int n_dns;
	struct vm_addr guest4;		/* the one address DHCP hands out */
	struct vm_addr guest6[GUEST_IP6_MAX];
	int n_guest6;
	bool has_guest4, has_guest_mac;
	const char *guest_mac;
	const char *floor;		/* the device's floor setting */
	bool open_host;			/* no host address denied */
};

/* What exists of a namespace: what up made so far, or what down finds. */
struct up_state {
	char dir[sizeof(RUN_DIR) + NS_NAME_MAX + 2];
	bool has_dir, has_netns, has_dev, has_dnsmasq, has_veth, has_host_nft;
	int n_denied;			/* host addresses denied */
	int slot;			/* uplink transfer subnet */
	int old_forward;		/* host ip_forward before up; -1 unknown */
};

static int up_fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "Error: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* The address of @a as text, with its prefix length when @plen. */
static const char *addr_str(const struct vm_addr *a, bool plen, char *buf,
			    size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->addr, ip, sizeof(ip));
	if (plen)
		snprintf(buf, len, "%s/%u", ip, a->plen);
	else
		snprintf(buf, len, "%s", ip);
	return buf;
}

/* Put a message for a bad command line into @err; return -1. */
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* --ipv4 ADDR/8..30 or --ipv6 ADDR/64 (SLAAC wants a /64). */
static int parse_gw(const char *opt, const char *s, int family,
		    struct vm_addr *a, char *err, size_t errlen)
{
	bool v4 = family == AF_INET;

	if (parse_prefix(s, a) || a->family != family || !strchr(s, '/'))
		return bad(err, errlen, "%s: '%s' is not an %s address with a prefix length",
				opt, s, v4 ? "IPv4" : "IPv6");
	if (v4 ? a->plen < 8 || a->plen > 30 : a->plen != 64)
		return bad(err, errlen, "%s: prefix length must be %s",
				opt, v4 ? "8 to 30" : "64");
	return 0;
}

/* --guest-ip ADDR (IPv4 once, IPv6 up to 4), --guest-mac MAC, --floor F. */
static int parse_up_policy(const char *opt, const char *val,
			   struct up_opts *o, char *err, size_t errlen)
{
	struct vm_addr a;
	uint32_t floor;
	uint8_t mac[6];

	if (!strcmp(opt, "floor")) {
		if (parse_floor(val, &floor))
			return bad(err, errlen, "floor: '%s' is not default, strict or off",
				   val);
		o->floor = val;
	} else if (!strcmp(opt, "guest-mac")) {
		if (parse_mac(val, mac))
			return bad(err, errlen, "guest-mac: '%s' is not a MAC address",
				   val);
		o->guest_mac = val;
		o->has_guest_mac = true;
	} else if (!strcmp(opt, "guest-ip")) {
		if (parse_addr(val, &a))
			return bad(err, errlen, "guest-ip: '%s' is not an address", val);
		if (a.family == AF_INET) {
			if (o->has_guest4)
				return bad(err, errlen, "guest-ip: one IPv4 address");
			o->guest4 = a;
			o->has_guest4 = true;
		} else {
			if (o->n_guest6 == GUEST_IP6_MAX)
				return bad(err, errlen, "guest-ip: at most %d IPv6 addresses",
					   GUEST_IP6_MAX);
			o->guest6[o->n_guest6++] = a;
		}
	}
	return 0;
}

/* The guest's IPv4 address must be a host address of the gateway's subnet. */
static int check_guest4(const struct up_opts *o, char *err, size_t errlen)
{
	uint32_t mask = ~0u << (32 - o->gw4.plen), g, gw;

	if (!o->has_guest4)
		return 0;
	memcpy(&g, o->guest4.addr, 4);
	memcpy(&gw, o->gw4.addr, 4);
	g = ntohl(g);
	gw = ntohl(gw);
	if ((g & mask) != (gw & mask) || g == gw || !(g & ~mask) ||
	    (g & ~mask) == ~mask)
		return bad(err, errlen,
			   "guest-ip: the IPv4 address must be in the gateway's subnet, not the gateway, network or broadcast address");
	return 0;
}

/*
 * The guest's IPv4 address, when not given: .15 of the subnet (.1 in
 * subnets too small for that), or .3 (.2) when that is the gateway's.
 */
static int guest4_default(struct up_opts *o, char *err, size_t errlen)
{
	uint32_t size = 1u << (32 - o->gw4.plen), mask, v, gw;

	mask = ~0u << (32 - o->gw4.plen);
	memcpy(&gw, o->gw4.addr, 4);
	v = (ntohl(gw) & mask) + (size > 32 ? 15 : 1);
	if (v == ntohl(gw))
		v = (ntohl(gw) & mask) + (size > 32 ? 3 : 2);
	v = htonl(v);
	o->guest4.family = AF_INET;
	memcpy(o->guest4.addr, &v, 4);
	o->guest4.plen = 32;
	o->has_guest4 = true;
	return check_guest4(o, err, errlen);
}

/*
 * NS NAME [--uplink] [--ipv4 A/L] [--ipv6 A/L|none] [--dns ADDR]...
 * [--guest-ip ADDR]... [--guest-mac MAC] [--floor F] [--open-host]
 */
static int parse_up_args(bool up, int argc, char **argv, struct up_opts *o,
			 char *err, size_t errlen)
{
	const char *ns;
	int i;

	memset(o, 0, sizeof(*o));
	parse_prefix("10.0.2.2/24", &o->gw4);
	parse_prefix("fd76:6d67:7700::2/64", &o->gw6);
	if (argc < 2)
		return bad(err, errlen, "a namespace and a device name are required");
	o->netns = argv[0];
	o->name = argv[1];
	if (!*o->netns || strlen(o->netns) > NS_NAME_MAX)
		return bad(err, errlen, "namespace name '%s' is not 1 to %d characters",
				o->netns, NS_NAME_MAX);
	for (ns = o->netns; *ns; ns++)
		if (!((*ns >= 'a' && *ns <= 'z') || (*ns >= 'A' && *ns <= 'Z') ||
		      (*ns >= '0' && *ns <= '9') || *ns == '_' || *ns == '-'))
			return bad(err, errlen,
				   "namespace name '%s': only letters, digits, '_' and '-'",
				   o->netns);
	if (!*o->name || strlen(o->name) >= 16 || strchr(o->name, '/'))
		return bad(err, errlen,
			   "device name '%s' is not 1 to 15 characters without '/'",
			   o->name);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i] + (strncmp(argv[i], "--", 2) ? 0 : 2);
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!up)
			return bad(err, errlen, "unknown argument '%s'", argv[i]);
		if (!strcmp(a, "uplink") || !strcmp(a, "open-host")) {
			o->uplink |= !strcmp(a, "uplink");
			o->open_host |= !strcmp(a, "open-host");
			continue;
		}
		if (strcmp(a, "ipv4") && strcmp(a, "ipv6") && strcmp(a, "dns") &&
		    strcmp(a, "guest-ip") && strcmp(a, "guest-mac") &&
		    strcmp(a, "floor"))
			return bad(err, errlen, "unknown argument '%s'", argv[i]);
		if (!val)
			return bad(err, errlen, "%s: a value is required", argv[i]);
		i++;
		if (parse_up_policy(a, val, o, err, errlen))
			return -1;
		if (!strcmp(a, "guest-ip") || !strcmp(a, "guest-mac") ||
		    !strcmp(a, "floor"))
			continue;
		if (!strcmp(a, "ipv4")) {
			if (parse_gw("ipv4", val, AF_INET, &o->gw4, err, errlen))
				return -1;
		} else if (!strcmp(a, "ipv6")) {
			o->no_ipv6 = !strcmp(val, "none");
			if (!o->no_ipv6 &&
			    parse_gw("ipv6", val, AF_INET6, &o->gw6, err, errlen))
				return -1;
		} else {
			if (o->n_dns == DNS_MAX)
				return bad(err, errlen, "dns: at most %d servers", DNS_MAX);
			if (parse_addr(val, &o->dns[o->n_dns]))
				return bad(err, errlen, "dns: '%s' is not an address", val);
			o->n_dns++;
		}
	}
	return up && !o->has_guest4 ? guest4_default(o, err, errlen) :
	       check_guest4(o, err, errlen);
}

/* Transfer subnet of uplink slot @slot: 10.254.X.Y/30, host end @end 1. */
static const char *slot_addr(int slot, int end, char *buf, size_t len)
{
	snprintf(buf, len, "10.254.%d.%d/30", slot >> 6, ((slot & 63) << 2) + end);
	return buf;
}

/* The smallest uplink slot no namespace under RUN_DIR has taken. */
static int uplink_slot_free(void)
{
	static bool used[UPLINK_SLOTS];
	struct dirent *de;
	char path[300];
	int slot;
	DIR *d;

	memset(used, 0, sizeof(used));
	d = opendir(RUN_DIR);
	while (d && (de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), RUN_DIR "/%s/uplink", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "slot %d", &slot) == 1 && slot >= 0 &&
		    slot < UPLINK_SLOTS)
			used[slot] = true;
		fclose(f);
	}
	if (d)
		closedir(d);
	for (slot = 0; slot < UPLINK_SLOTS; slot++)
		if (!used[slot])
			return slot;
	return -1;
}

/* Whether any namespace but @self still has an uplink. */
static bool other_uplinks(const char *self)
{
	struct dirent *de;
	char path[300];
	bool found = false;
	DIR *d;

	d = opendir(RUN_DIR);
	while (d && !found && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, self))
			continue;
		snprintf(path, sizeof(path), RUN_DIR "/%s/uplink", de->d_name);
		found = !access(path, F_OK);
	}
	if (d)
		closedir(d);
	return found;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		up_fail(path, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd) ? up_fail(path, "%s", strerror(errno)) : 0;
}

/* Read a small file into @buf; -1 (silently) if it cannot be read. */
static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* ip_forward of the namespace of @nsfd (or ours): set @val, return old. */
static int forward_set(int nsfd, const char *ns, int val)
{
	char buf[16];
	int saved = -1, old = -1;

	if (nsfd >= 0) {
		saved = netns_enter(nsfd, ns);
		if (saved < 0)
			return -1;
	}
	if (!read_file(SYSCTL_FWD, buf, sizeof(buf)))
		old = atoi(buf);
	snprintf(buf, sizeof(buf), "%d\n", val);
	if (old < 0 || (old != val && write_file(SYSCTL_FWD, buf)))
		old = up_fail(SYSCTL_FWD, "cannot set it to %d", val);
	if (saved >= 0 && netns_leave(saved))
		old = up_fail("netns", "cannot return from %s", ns);
	return old;
}

/* Stop the dnsmasq of pid file @path and wait (up to 5 s) until it is gone. */
static int dnsmasq_stop(const char *dir)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char path[300], buf[32];
	pid_t pid;
	int i;

	snprintf(path, sizeof(path), "%s/dnsmasq.pid", dir);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	pid = atoi(buf);
	if (pid <= 1)
		return up_fail(path, "no process id in it");
	if (kill(pid, SIGTERM))
		return errno == ESRCH ? 0 :
		       up_fail("dnsmasq", "pid %d: %s", pid, strerror(errno));
	for (i = 0; i < 250; i++) {
		if (kill(pid, 0) && errno == ESRCH)
			return 0;
		nanosleep(&ts, NULL);
	}
	return up_fail("dnsmasq", "pid %d did not end", pid);
}

/* The device, in NS: netns deletion would take it too, but say so if not. */
static int dev_del(const struct up_opts *o)
{
	char *argv[] = { "del", (char *)o->name, "netns", (char *)o->netns,
			 NULL };
	struct ctl c = {};

	return cmd_dev(&c, 4, argv) ? -1 : 0;
}

static const char *const run_files[] = {
	"dnsmasq.conf", "dnsmasq.pid", "dnsmasq.leases", "dnsmasq.log", "uplink",
};

/*
 * Take down what @st says exists, last made first. Every step is tried
 * even when one fails. Return 0 when every step succeeded.
 */
static int teardown(const struct up_opts *o, struct up_state *st)
{
	char veth[IFNAMSIZ], table[32], path[300];
	int ret = 0;
	size_t i;

	snprintf(veth, sizeof(veth), "vmgw-%s", o->netns);
	snprintf(table, sizeof(table), "vmgw-%s", o->netns);
	if (st->has_dnsmasq && dnsmasq_stop(st->dir))
		ret = -1;
	if (st->has_dev && dev_del(o))
		ret = -1;
	if (st->has_host_nft &&
	    RUN(-1, NULL, "nft", "delete", "table", "ip", table))
		ret = -1;
	if (st->has_veth && RUN(-1, NULL, "ip", "link", "del", veth))
		ret = -1;
	if (st->old_forward == 0 && !other_uplinks(o->netns) &&
	    forward_set(-1, NULL, 0) < 0)
		ret = -1;
	if (st->has_netns && RUN(-1, NULL, "ip", "netns", "del", o->netns))
		ret = -1;
	if (st->has_dir) {
		for (i = 0; i < ARRAY_SIZE(run_files); i++) {
			snprintf(path, sizeof(path), "%s/%s", st->dir,
				 run_files[i]);
			if (unlink(path) && errno != ENOENT)
				ret = up_fail(path, "%s", strerror(errno));
		}
		if (rmdir(st->dir))
			ret = up_fail(st->dir, "%s", strerror(errno));
	}
	return ret;
}

/* Write /run/vmgw/NS/uplink: what down needs to find the uplink's parts. */
static int uplink_record(const struct up_state *st, const char *veth,
			 const char *host, const char *peer)
{
	char path[300], buf[256];

	snprintf(path, sizeof(path), "%s/uplink", st->dir);
	snprintf(buf, sizeof(buf), "slot %d\nveth %s\nhost %s\nns %s\nforward %d\n",
		 st->slot, veth, host, peer, st->old_forward);
	return write_file(path, buf);
}

/* Read back the record of uplink_record(); false if there is none. */
static bool uplink_read(struct up_state *st)
{
	char path[300], buf[256];
	const char *fwd;

	snprintf(path, sizeof(path), "%s/uplink", st->dir);
	if (read_file(path, buf, sizeof(buf)) ||
	    sscanf(buf, "slot %d", &st->slot) != 1)
		return false;
	fwd = strstr(buf, "\nforward ");
	st->old_forward = fwd ? atoi(fwd + 9) : -1;
	return true;
}

static const char nft_ns[] =
	"table ip vmgw {\n"
	"\tchain postrouting {\n"
	"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	"\t\toifname \"" UPLINK_PEER "\" masquerade\n"
	"\t}\n"
	"}\n";

static const char nft_host[] =
	"table ip %s {\n"
	"\tchain postrouting {\n"
	"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	"\t\tiifname \"%s\" oifname != \"%s\" masquerade\n"
	"\t}\n"
	"\tchain forward {\n"
	"\t\ttype filter hook forward priority filter; policy accept;\n"
	"\t\tiifname \"%s\" accept\n"
	"\t\toifname \"%s\" ct state established,related accept\n"
	"\t}\n"
	"%s"
	"}\n";

/*
 * This namespace's services are not the guest's: only answers come in,
 * and DNS for the gateway's dnsmasq (the guest's DNS goes to the gateway
 * only, the device refuses it elsewhere).
 */
static const char nft_host_input[] =
	"\tchain input {\n"
	"\t\ttype filter hook input priority filter; policy accept;\n"
	"\t\tiifname \"%s\" ct state established,related accept\n"
	"\t\tiifname \"%s\" meta l4proto { tcp, udp } th dport 53 accept\n"
	"\t\tiifname \"%s\" drop\n"
	"\t}\n";

/*
 * The uplink: veth "vmgw-NS" here, "uplink" in NS, a /30 of 10.254.0.0/16
 * between them, the default route of NS through it. Guests of all
 * namespaces may use the same addresses, so NS masquerades behind its end
 * of the veth and this namespace masquerades what leaves by another
 * device. IPv4 forwarding is switched on in both.
 */
static int up_uplink(const struct up_opts *o, struct up_state *st, int nsfd)
{
	char rules[sizeof(nft_host) + sizeof(nft_host_input) + 7 * 32];
	char veth[IFNAMSIZ], table[32], host[24], peer[24], gw[24];
	char input[sizeof(nft_host_input) + 3 * 32] = "";

	snprintf(veth, sizeof(veth), "vmgw-%s", o->netns);
	snprintf(table, sizeof(table), "vmgw-%s", o->netns);
	st->slot = uplink_slot_free();
	if (st->slot < 0)
		return up_fail("uplink", "all %d transfer subnets are taken",
			       UPLINK_SLOTS);
	slot_addr(st->slot, 1, host, sizeof(host));
	slot_addr(st->slot, 2, peer, sizeof(peer));
	snprintf(gw, sizeof(gw), "%.*s", (int)(strchr(host, '/') - host), host);
	/* Recorded first, so that a second up cannot take the same slot. */
	if (uplink_record(st, veth, host, peer))
		return -1;
	if (RUN(-1, NULL, "ip", "link", "add", veth, "type", "veth", "peer",
		"name", UPLINK_PEER, "netns", o->netns))
		return -1;
	st->has_veth = true;
	if (RUN(-1, NULL, "ip", "addr", "add", host, "dev", veth) ||
	    RUN(-1, NULL, "ip", "link", "set", veth, "up") ||
	    RUN(-1, NULL, "ip", "-n", o->netns, "addr", "add", peer, "dev",
		UPLINK_PEER) ||
	    RUN(-1, NULL, "ip", "-n", o->netns, "link", "set", UPLINK_PEER,
		"up") ||
	    RUN(-1, NULL, "ip", "-n", o->netns, "route", "add", "default",
		"via", gw) ||
	    RUN(nsfd, nft_ns, "nft", "-f", "-"))
		return -1;
	if (!o->open_host)
		snprintf(input, sizeof(input), nft_host_input, veth, veth,
			 veth);
	snprintf(rules, sizeof(rules), nft_host, table, veth, veth, veth, veth,
		 input);
	if (RUN(-1, rules, "nft", "-f", "-"))
		return -1;
	st->has_host_nft = true;
	if (forward_set(nsfd, o->netns, 1) < 0)
		return -1;
	st->old_forward = forward_set(-1, NULL, 1);
	if (st->old_forward < 0)
		return -1;
	return uplink_record(st, veth, host, peer);
}

/*
 * dnsmasq in NS, bound to the device: DHCPv4 of the guest's one address
 * (the anti-spoof address of the device), router advertisements for the
 * IPv6 prefix (SLAAC), DNS forwarded to --dns or to the resolvers of
 * /etc/resolv.conf.
 */
static int up_dnsmasq(const struct up_opts *o, struct up_state *st, int nsfd)
{
	char conf[1024], path[300], a[INET6_ADDRSTRLEN + 8];
	char b[INET6_ADDRSTRLEN + 8];
	char mask[INET_ADDRSTRLEN];
	size_t off;
	uint32_t m;
	int i;

	m = htonl(~0u << (32 - o->gw4.plen));
	inet_ntop(AF_INET, &m, mask, sizeof(mask));
	off = snprintf(conf, sizeof(conf),
		       "# vmgwctl up %s %s: removed by vmgwctl down\n"
		       "interface=%s\nbind-interfaces\nno-hosts\n"
		       "pid-file=%s/dnsmasq.pid\n"
		       "dhcp-leasefile=%s/dnsmasq.leases\n"
		       "log-facility=%s/dnsmasq.log\n"
		       "dhcp-authoritative\n"
		       "dhcp-range=%s,%s,%s,1h\n",
		       o->netns, o->name, o->name, st->dir, st->dir, st->dir,
		       addr_str(&o->guest4, false, a, sizeof(a)),
		       addr_str(&o->guest4, false, b, sizeof(b)), mask);
	if (o->has_guest_mac)
		off += snprintf(conf + off, sizeof(conf) - off,
				"dhcp-host=%s,%s\n", o->guest_mac,
				addr_str(&o->guest4, false, a, sizeof(a)));
	if (!o->no_ipv6) {
		struct vm_addr p = o->gw6;

		memset(p.addr + 8, 0, 8);
		off += snprintf(conf + off, sizeof(conf) - off,
				"enable-ra\ndhcp-range=%s,ra-only,64\n",
				addr_str(&p, false, a, sizeof(a)));
	}
	if (o->n_dns)
		off += snprintf(conf + off, sizeof(conf) - off, "no-resolv\n");
	for (i = 0; i < o->n_dns; i++)
		off += snprintf(conf + off, sizeof(conf) - off, "server=%s\n",
				addr_str(&o->dns[i], false, a, sizeof(a)));
	snprintf(path, sizeof(path), "%s/dnsmasq.conf", st->dir);
	if (off >= sizeof(conf))
		return up_fail(path, "too long");
	if (write_file(path, conf))
		return -1;
	snprintf(conf, sizeof(conf), "--conf-file=%s", path);
	/* dnsmasq reports start-up errors, then the daemon is ready. */
	if (RUN(nsfd, NULL, "dnsmasq", conf))
		return -1;
	st->has_dnsmasq = true;
	return 0;
}

static void up_summary(const struct up_opts *o, const struct up_state *st)
{
	char a[INET6_ADDRSTRLEN + 8], b[INET6_ADDRSTRLEN + 8];

	printf("%s: %s, gateway %s", o->netns, o->name,
	       addr_str(&o->gw4, true, a, sizeof(a)));
	if (!o->no_ipv6)
		printf(" %s", addr_str(&o->gw6, true, b, sizeof(b)));
	printf(", dnsmasq (DHCP, %sDNS)", o->no_ipv6 ? "" : "RA, ");
	if (o->uplink)
		printf(", uplink vmgw-%s %s", o->netns,
		       slot_addr(st->slot, 1, a, sizeof(a)));
	printf("\n%s: guest %s%s%s, floor %s, DNS to the gateway only, ",
	       o->netns, addr_str(&o->guest4, false, a, sizeof(a)),
	       o->has_guest_mac ? " " : "",
	       o->has_guest_mac ? o->guest_mac : "",
	       o->floor ? o->floor : "strict");
	if (o->open_host)
		printf("host addresses open (--open-host)\n");
	else
		printf("%d host and gateway addresses denied\n", st->n_denied);
}

static bool netns_exists(const char *ns)
{
	char path[300];

	snprintf(path, sizeof(path), NETNS_DIR "/%s", ns);
	return !access(path, F_OK);
}

static void state_init(struct up_state *st, const char *ns)
{
	memset(st, 0, sizeof(*st));
	st->old_forward = -1;
	snprintf(st->dir, sizeof(st->dir), RUN_DIR "/%s", ns);
}

/*
 * The device and its policy: the floor, the guest's addresses, the
 * gateway's addresses as the only resolvers.
 */
static int up_dev(struct ctl *c, const struct up_opts *o)
{
	char g4[INET6_ADDRSTRLEN], g6[GUEST_IP6_MAX][INET6_ADDRSTRLEN];
	char r4[INET6_ADDRSTRLEN], r6[INET6_ADDRSTRLEN];
	char *argv[16 + 2 * GUEST_IP6_MAX];
	int n = 0, i;

	argv[n++] = "add";
	argv[n++] = (char *)o->name;
	argv[n++] = "netns";
	argv[n++] = (char *)o->netns;
	argv[n++] = "floor";
	argv[n++] = (char *)(o->floor ? o->floor : "strict");
	argv[n++] = "guest-ip";
	argv[n++] = (char *)addr_str(&o->guest4, false, g4, sizeof(g4));
	for (i = 0; i < o->n_guest6; i++) {
		argv[n++] = "guest-ip";
		argv[n++] = (char *)addr_str(&o->guest6[i], false, g6[i],
					     sizeof(g6[i]));
	}
	if (o->has_guest_mac) {
		argv[n++] = "guest-mac";
		argv[n++] = (char *)o->guest_mac;
	}
	argv[n++] = "resolver";
	argv[n++] = (char *)addr_str(&o->gw4, false, r4, sizeof(r4));
	if (!o->no_ipv6) {
		argv[n++] = "resolver";
		argv[n++] = (char *)addr_str(&o->gw6, false, r6, sizeof(r6));
	}
	argv[n] = NULL;
	return cmd_dev(c, n, argv);
}

/* Add @a (a whole address) to @list of @n unless it is there. */
static void addr_list_add(struct vm_addr *list, int *n, const struct vm_addr *a)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	int i;

	for (i = 0; i < *n; i++)
		if (list[i].family == a->family &&
		    !memcmp(list[i].addr, a->addr, len))
			return;
	if (*n == HOST_ADDR_MAX)
		return;
	list[*n] = *a;
	list[*n].plen = len * 8;
	(*n)++;
}

/* Every IPv4 and IPv6 address of the calling namespace, into @list. */
static int host_addrs(struct vm_addr *list, int *n)
{
	struct ifaddrs *ifa, *i;
	struct vm_addr a;

	if (getifaddrs(&ifa))
		return up_fail("getifaddrs", "%s", strerror(errno));
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		memset(&a, 0, sizeof(a));
		a.family = i->ifa_addr->sa_family;
		if (a.family == AF_INET)
			memcpy(a.addr, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		else if (a.family == AF_INET6)
			memcpy(a.addr, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		else
			continue;
		addr_list_add(list, n, &a);
	}
	freeifaddrs(ifa);
	return 0;
}

/*
 * A deny rule for each address of this namespace (the host's, taken when
 * up runs) and of the gateway namespace: no service of either is the
 * guest's. DHCP, NDP and DNS to the gateway pass before deny rules.
 */
static int up_deny_host(struct ctl *c, const struct up_opts *o,
			struct up_state *st, int nsfd)
{
	static struct vm_addr list[HOST_ADDR_MAX];
	char p[INET6_ADDRSTRLEN + 8], peer[24];
	int n = 0, i, saved, ret = 0;
	struct vm_addr a;

	if (host_addrs(list, &n))
		return -1;
	addr_list_add(list, &n, &o->gw4);
	if (!o->no_ipv6)
		addr_list_add(list, &n, &o->gw6);
	if (o->uplink) {
		slot_addr(st->slot, 2, peer, sizeof(peer));
		*strchr(peer, '/') = '\0';
		if (!parse_addr(peer, &a))
			addr_list_add(list, &n, &a);
	}
	saved = netns_enter(nsfd, o->netns);
	if (saved < 0)
		return -1;
	for (i = 0; i < n && !ret; i++) {
		char *argv[] = { "add", (char *)o->name, "deny",
				 (char *)addr_str(&list[i], true, p, sizeof(p)),
				 NULL };

		ret = cmd_rule(c, 4, argv) ? -1 : 0;
	}
	if (netns_leave(saved))
		ret = up_fail("netns", "cannot return from %s", o->netns);
	st->n_denied = n;
	return ret;
}

/* Everything up makes, in order; false at the first failure. */
static bool up_build(struct ctl *c, const struct up_opts *o,
		     struct up_state *st)
{
	char a[INET6_ADDRSTRLEN + 8];
	bool ok = false;
	int nsfd;

	if (RUN(-1, NULL, "ip", "netns", "add", o->netns))
		return false;
	st->has_netns = true;
	if (RUN(-1, NULL, "ip", "-n", o->netns, "link", "set", "lo", "up") ||
	    up_dev(c, o))
		return false;
	st->has_dev = true;
	if (RUN(-1, NULL, "ip", "-n", o->netns, "addr", "add",
		addr_str(&o->gw4, true, a, sizeof(a)), "dev", o->name) ||
	    (!o->no_ipv6 &&
	     RUN(-1, NULL, "ip", "-n", o->netns, "addr", "add",
		 addr_str(&o->gw6, true, a, sizeof(a)), "dev", o->name,
		 "nodad")) ||
	    RUN(-1, NULL, "ip", "-n", o->netns, "link", "set", o->name, "up"))
		return false;
	nsfd = netns_open(o->netns);
	if (nsfd < 0)
		return false;
	if ((!o->uplink || !up_uplink(o, st, nsfd)) &&
	    (o->open_host || !up_deny_host(c, o, st, nsfd)) &&
	    !up_dnsmasq(o, st, nsfd))
		ok = true;
	close(nsfd);
	return ok;
}

/**
 * cmd_up() - vmgwctl up NS NAME [--uplink] [--ipv4 A/L] [--ipv6 A/L|none]
 *	      [--dns ADDR]... [--guest-ip ADDR]... [--guest-mac MAC]
 *	      [--floor default|strict|off] [--open-host]
 * @c: output settings
 * @argc: arguments after "up"
 * @argv: the arguments
 *
 * NS must not exist yet: down deletes it, so up only takes down what it
 * made. On a failure everything made so far is taken down again.
 *
 * Return: an exit status.
 */
int cmd_up(struct ctl *c, int argc, char **argv)
{
	struct up_state st;
	struct up_opts o;
	char err[256];

	if (parse_up_args(true, argc, argv, &o, err, sizeof(err)))
		return usage_error("up", err);
	state_init(&st, o.netns);
	if (netns_exists(o.netns)) {
		up_fail("up", "netns %s already exists; up makes its own", o.netns);
		return EXIT_FAIL;
	}
	if (mkdir(RUN_DIR, 0755) && errno != EEXIST) {
		up_fail(RUN_DIR, "%s", strerror(errno));
		return EXIT_FAIL;
	}
	if (mkdir(st.dir, 0755)) {
		if (errno == EEXIST)
			up_fail("up", "%s exists: %s is up (or half down; vmgwctl down %s %s)",
				st.dir, o.netns, o.netns, o.name);
		else
			up_fail(st.dir, "%s", strerror(errno));
		return EXIT_FAIL;
	}
	st.has_dir = true;
	if (!up_build(c, &o, &st)) {
		if (teardown(&o, &st))
			up_fail("up", "%s was not completely undone; vmgwctl down %s %s",
				o.netns, o.netns, o.name);
		else
			up_fail("up", "%s failed and was undone", o.netns);
		return EXIT_FAIL;
	}
	up_summary(&o, &st);
	return 0;
}

/**
 * cmd_down() - vmgwctl down NS NAME
 * @c: output settings
 * @argc: arguments after "down"
 * @argv: the arguments
 *
 * Takes down whatever of an up is left, also after a crash or a failed
 * down; every part is tried even when one fails.
 *
 * Return: an exit status: 1 when NS was not up or a part failed.
 */
int cmd_down(struct ctl *c, int argc, char **argv)
{
	char veth[IFNAMSIZ];
	struct up_state st;
	struct up_opts o;
	char err[256];
	struct stat sb;

	(void)c;
	if (parse_up_args(false, argc, argv, &o, err, sizeof(err)))
		return usage_error("down", err);
	state_init(&st, o.netns);
	st.has_dir = !stat(st.dir, &sb) && S_ISDIR(sb.st_mode);
	st.has_netns = netns_exists(o.netns);
	if (!st.has_dir && !st.has_netns) {
		up_fail("down", "%s is not up (no %s, no netns)", o.netns, st.dir);
		return EXIT_FAIL;
	}
	st.has_dnsmasq = st.has_dir;
	st.has_dev = st.has_netns;
	if (st.has_dir && uplink_read(&st)) {
		snprintf(veth, sizeof(veth), "vmgw-%s", o.netns);
		st.has_veth = if_nametoindex(veth) != 0;
		st.has_host_nft = true;
	}
	return teardown(&o, &st) ? EXIT_FAIL : 0;
}
