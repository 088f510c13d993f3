// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of vmgwctl: argument parsing, the JSON writer, message
 * printing (JSON shape and text) and error reports. No kernel module and
 * no privileges needed. Prints "ok NAME" or "not ok NAME: why" per case;
 * exit status 1 if any failed.
 *
 * "unit --names" prints the attribute tables instead ("SET VALUE NAME"),
 * for test/spec-names.py to compare with the spec.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmgw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../args.h"
#include "../attrs.h"
#include "../json.h"
#include "../nl.h"
#include "../print.h"

static int failed;
static char why[1024];

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			snprintf(why, sizeof(why), __VA_ARGS__);	\
			return false;					\
		}							\
	} while (0)

static void run(const char *name, bool (*fn)(void))
{
	why[0] = '\0';
	if (fn()) {
		printf("ok %s\n", name);
	} else {
		printf("not ok %s: %s\n", name, why);
		failed++;
	}
}

/* argv from a space-separated string (no quoting), for parse_*_args(). */
static int split(char *s, char **argv, int max)
{
	int n = 0;
	char *tok;

	for (tok = strtok(s, " "); tok && n < max - 1; tok = strtok(NULL, " "))
		argv[n++] = tok;
	argv[n] = NULL;
	return n;
}

static bool test_parse_u32(void)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1x", "0x10", "4294967296", "99999999999999999999",
	};
	uint32_t v;
	size_t i;

	CHECK(!parse_u32("0", &v) && v == 0, "0");
	CHECK(!parse_u32("16384", &v) && v == 16384, "16384");
	CHECK(!parse_u32("4294967295", &v) && v == 4294967295u, "max");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_u32(bad[i], &v), "'%s' accepted", bad[i]);
	return true;
}

static bool test_parse_mac(void)
{
	static const char *const bad[] = {
		"", "02:00:00:00:00", "02:00:00:00:00:0g", "02-00-00-00-00-01",
		"02:00:00:00:00:001", " 2:00:00:00:00:01", "0200.0000.0001",
	};
	uint8_t m[6];
	size_t i;

	CHECK(!parse_mac("02:00:5e:0A:ff:01", m) &&
	      !memcmp(m, "\x02\x00\x5e\x0a\xff\x01", 6), "valid MAC");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_mac(bad[i], m), "'%s' accepted", bad[i]);
	return true;
}

static bool test_parse_prefix(void)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "/8", "300.0.0.0/8",
		"10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/ 8", "host.example",
	};
	struct vm_addr a;
	size_t i;

	CHECK(!parse_prefix("10.0.0.0/8", &a) && a.family == AF_INET &&
	      a.plen == 8 && !memcmp(a.addr, "\x0a\0\0\0", 4), "10.0.0.0/8");
	CHECK(!parse_prefix("192.0.2.7", &a) && a.plen == 32, "host v4");
	CHECK(!parse_prefix("fd00::/64", &a) && a.family == AF_INET6 &&
	      a.plen == 64 && a.addr[0] == 0xfd, "fd00::/64");
	CHECK(!parse_prefix("::1", &a) && a.plen == 128, "host v6");
	CHECK(!parse_prefix("0.0.0.0/0", &a) && a.plen == 0, "default");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_prefix(bad[i], &a), "'%s' accepted", bad[i]);
	return true;
}

static bool test_parse_ports_proto(void)
{
	uint16_t lo, hi;
	uint8_t p;

	CHECK(!parse_ports("443", &lo, &hi) && lo == 443 && hi == 443, "443");
	CHECK(!parse_ports("1000-2000", &lo, &hi) && lo == 1000 && hi == 2000,
	      "range");
	CHECK(!parse_ports("0-65535", &lo, &hi) && hi == 65535, "full range");
	CHECK(parse_ports("2000-1000", &lo, &hi), "reversed range");
	CHECK(parse_ports("65536", &lo, &hi), "65536");
	CHECK(parse_ports("1-", &lo, &hi) && parse_ports("-1", &lo, &hi),
	      "open range");
	CHECK(!parse_proto("tcp", &p) && p == 6, "tcp");
	CHECK(!parse_proto("udp", &p) && p == 17, "udp");
	CHECK(!parse_proto("icmpv6", &p) && p == 58, "icmpv6");
	CHECK(!parse_proto("47", &p) && p == 47, "47");
	CHECK(parse_proto("256", &p) && parse_proto("sctpx", &p), "bad proto");
	return true;
}

/* parse_dev_args() on @line: 0 and no message, or -1 and exactly @err. */
static bool dev_args(enum dev_cmd cmd, const char *line, struct dev_opts *o,
		     const char *want_err)
{
	char buf[512], *argv[64], err[256] = "";
	int argc, ret;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split(buf, argv, 64);
	ret = parse_dev_args(cmd, argc, argv, o, err, sizeof(err));
	if (!want_err)
		CHECK(ret == 0, "'%s': %s", line, err);
	else
		CHECK(ret == -1 && !strcmp(err, want_err),
		      "'%s': got '%s', want '%s'", line, err, want_err);
	return true;
}

static bool test_dev_set_args(void)
{
	struct dev_opts o;

	if (!dev_args(DEV_SET, "vmgw0 mtu 9000 g2h-ring 64 h2g-ring 99999 guest-mac 02:00:00:00:00:15 guest-ip 10.0.2.15 guest-ip fd00::15 guest-ip fe80::15 mode allowlist floor off flow-cap 4096 flow-timeout-syn 5 flow-timeout-closed 1 resolver 10.0.2.3 resolver fd00::3 allow-host example.com allow-host *.pypi.org unset guest-ipv6 unset allow-hosts",
		      &o, NULL))
		return false;
	CHECK(!strcmp(o.name, "vmgw0"), "name");
	CHECK(o.has_mtu && o.mtu == 9000, "mtu");
	CHECK(o.has_g2h && o.g2h == 64 && o.has_h2g && o.h2g == 99999,
	      "rings: limits are the kernel's to check");
	CHECK(o.has_guest_mac && o.guest_mac[5] == 0x15, "guest-mac");
	CHECK(o.has_guest_ip4 && !memcmp(o.guest_ip4, "\x0a\x00\x02\x0f", 4),
	      "guest-ip IPv4");
	CHECK(o.n_guest_ip6 == 2 && o.guest_ip6[0].family == AF_INET6 &&
	      o.guest_ip6[1].addr[0] == 0xfe, "guest-ip IPv6 list");
	CHECK(o.n_resolver == 2 && o.resolver[1].family == AF_INET6,
	      "resolver");
	CHECK(o.has_mode && o.mode == VMGW_POLICY_MODE_ALLOWLIST, "mode");
	CHECK(o.has_floor && o.floor == VMGW_FLOOR_MODE_OFF, "floor");
	CHECK(o.has_flow_cap && o.flow_cap == 4096, "flow-cap");
	CHECK(o.has_timeout[TIMEOUT_SYN] && o.timeout[TIMEOUT_SYN] == 5 &&
	      o.has_timeout[TIMEOUT_CLOSED] && o.timeout[TIMEOUT_CLOSED] == 1 &&
	      !o.has_timeout[TIMEOUT_ESTABLISHED] &&
	      !o.has_timeout[TIMEOUT_FIN], "flow timeouts");
	CHECK(o.n_allow_host == 2 && !strcmp(o.allow_host[1], "*.pypi.org"),
	      "allow-host");
	CHECK(o.unset == (VMGW_UNSET_GUEST_IPV6 | VMGW_UNSET_ALLOW_HOSTS),
	      "unset");
	CHECK(!o.netns && !o.has_address, "add-only options");
	if (!dev_args(DEV_SET, "vmgw0 unset resolvers", &o, NULL))
		return false;
	CHECK(dev_opts_has_settings(&o) && o.unset == VMGW_UNSET_RESOLVERS,
	      "unset alone is a setting");
	if (!dev_args(DEV_SET, "vmgw0 floor strict mode open", &o, NULL))
		return false;
	CHECK(o.floor == VMGW_FLOOR_MODE_STRICT &&
	      o.mode == VMGW_POLICY_MODE_OPEN, "floor strict, mode open");
	return dev_args(DEV_SET, "vmgw0", &o, "nothing to set") &&
	       dev_args(DEV_SET, "", &o, "a device name is required") &&
	       dev_args(DEV_SET, "vmgw0 g2h-ring", &o,
			"g2h-ring: a value is required") &&
	       dev_args(DEV_SET, "vmgw0 g2h-ring 1e3", &o,
			"g2h-ring: '1e3' is not a number") &&
	       dev_args(DEV_SET, "vmgw0 frobnicate 1", &o,
			"unknown setting 'frobnicate'") &&
	       dev_args(DEV_SET, "vmgw0 netns sb", &o,
			"unknown setting 'netns'") &&
	       dev_args(DEV_SET, "vmgw0 address 02:00:00:00:00:01", &o,
			"unknown setting 'address'") &&
	       dev_args(DEV_SET, "vmgw0 mode enforce", &o,
			"mode: 'enforce' is not open or allowlist") &&
	       dev_args(DEV_SET, "vmgw0 floor on", &o,
			"floor: 'on' is not default, strict or off") &&
	       dev_args(DEV_SET, "vmgw0 guest-ip 10.0.2.300", &o,
			"guest-ip: '10.0.2.300' is not an IPv4 or IPv6 address") &&
	       dev_args(DEV_SET, "vmgw0 guest-ip 10.0.2.15 guest-ip 10.0.2.16", &o,
			"guest-ip: one IPv4 address only") &&
	       dev_args(DEV_SET, "vmgw0 gw-ip 10.0.2.2", &o,
			"unknown setting 'gw-ip'") &&
	       dev_args(DEV_SET, "vmgw0 flow-timeout-fin 1m", &o,
			"flow-timeout-fin: '1m' is not a number of seconds") &&
	       dev_args(DEV_SET, "vmgw0 unset rules", &o,
			"unset: 'rules' is not guest-mac, guest-ipv4, guest-ipv6, resolvers or allow-hosts") &&
	       dev_args(DEV_SET, "vmgw0 guest-mac 02:00:00:00:00", &o,
			"guest-mac: '02:00:00:00:00' is not a MAC address") &&
	       dev_args(DEV_SET, "averyveryverylongname g2h-ring 64", &o,
			"'averyveryverylongname' is not a device name (1 to 15 characters)");
}

static bool test_dev_add_del_args(void)
{
	char list[1024] = "vmgw0";
	struct dev_opts o;
	int i;

	if (!dev_args(DEV_ADD, "vmgw0 netns sb address 02:00:00:00:00:01 mtu 1400 g2h-ring 64",
		      &o, NULL))
		return false;
	CHECK(!strcmp(o.netns, "sb") && o.has_address && o.address[5] == 1,
	      "netns, address");
	CHECK(o.has_mtu && o.mtu == 1400 && o.has_g2h && o.g2h == 64,
	      "settings");
	if (!dev_args(DEV_ADD, "vmgw0", &o, NULL))
		return false;
	CHECK(!o.netns && !dev_opts_has_settings(&o), "bare add");
	if (!dev_args(DEV_DEL, "vmgw0 netns sb", &o, NULL))
		return false;
	CHECK(!strcmp(o.netns, "sb"), "del netns");
	for (i = 0; i < ARGS_MAX_LIST + 1; i++)
		strcat(list, " resolver 10.0.0.1");
	return dev_args(DEV_DEL, "vmgw0 mtu 1400", &o,
			"unknown argument 'mtu'") &&
	       dev_args(DEV_ADD, list, &o, "resolver: at most 16") &&
	       dev_args(DEV_SHOW, "vmgw0", &o, NULL) &&
	       dev_args(DEV_SHOW, "", &o, NULL) &&
	       dev_args(DEV_SHOW, "vmgw0 extra", &o, "unknown argument 'extra'");
}

static bool rule_args(enum rule_cmd cmd, const char *line,
		      struct rule_opts *o, const char *want_err)
{
	char buf[512], *argv[32], err[256] = "";
	int argc, ret;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split(buf, argv, 32);
	ret = parse_rule_args(cmd, argc, argv, o, err, sizeof(err));
	if (!want_err)
		CHECK(ret == 0, "'%s': %s", line, err);
	else
		CHECK(ret == -1 && !strcmp(err, want_err),
		      "'%s': got '%s', want '%s'", line, err, want_err);
	return true;
}

static bool test_rule_args(void)
{
	struct rule_opts o;

	if (!rule_args(RULE_ADD, "vmgw0 deny 169.254.0.0/16 proto tcp port 80-443",
		       &o, NULL))
		return false;
	CHECK(o.action == VMGW_RULE_ACTION_DENY && o.prefix.plen == 16 &&
	      o.has_proto && o.proto == 6 && o.has_ports &&
	      o.port_min == 80 && o.port_max == 443 && !o.all,
	      "rule add fields");
	if (!rule_args(RULE_DEL, "vmgw0 allow fd00::/8 proto udp port 53", &o,
		       NULL))
		return false;
	CHECK(o.action == VMGW_RULE_ACTION_ALLOW &&
	      o.prefix.family == AF_INET6 && o.prefix.plen == 8 &&
	      o.proto == 17 && o.port_min == 53 && o.port_max == 53 && !o.all,
	      "rule del by match");
	if (!rule_args(RULE_DEL, "vmgw0 all", &o, NULL))
		return false;
	CHECK(o.all && !strcmp(o.name, "vmgw0"), "rule del all");
	return rule_args(RULE_ADD, "vmgw0 allow 10.0.0.0/33", &o,
			 "'10.0.0.0/33' is not an address prefix (ADDR[/LEN])") &&
	       rule_args(RULE_ADD, "vmgw0 permit 10.0.0.0/8", &o,
			 "'permit' is not allow or deny") &&
	       rule_args(RULE_ADD, "vmgw0 allow", &o,
			 "allow|deny and a prefix are required") &&
	       rule_args(RULE_ADD, "vmgw0 all", &o,
			 "allow|deny and a prefix are required") &&
	       rule_args(RULE_ADD, "vmgw0 allow ::/0 port 9-8", &o,
			 "port: '9-8' is not PORT or PORT-PORT") &&
	       rule_args(RULE_ADD, "vmgw0 allow ::/0 proto gre", &o,
			 "proto: 'gre' is not tcp, udp, icmp, icmpv6 or 0-255") &&
	       rule_args(RULE_DEL, "vmgw0 7", &o,
			 "allow|deny and a prefix are required") &&
	       rule_args(RULE_DEL, "vmgw0 all extra", &o,
			 "'all' is not allow or deny") &&
	       rule_args(RULE_SHOW, "", &o, NULL);
}

static bool test_run_args(void)
{
	char buf[256], *argv[32], err[256] = "", **sub;
	struct run_opts o;
	int argc;

	snprintf(buf, sizeof(buf), "sb vmgw0 -- qemu -netdev tap,id=n0,fd={fd} -name {fd}{fd}");
	argc = split(buf, argv, 32);
	CHECK(!parse_run_args(argc, argv, &o, err, sizeof(err)), "%s", err);
	CHECK(!strcmp(o.netns, "sb") && !strcmp(o.name, "vmgw0") &&
	      o.fd == 3 && o.vnet_hdr && !strcmp(o.argv[0], "qemu"), "defaults");
	sub = subst_fd(o.argv, 3);
	CHECK(sub && !strcmp(sub[0], "qemu") &&
	      !strcmp(sub[2], "tap,id=n0,fd=3") && !strcmp(sub[4], "33") &&
	      !sub[5], "substitution");
	snprintf(buf, sizeof(buf), "sb vmgw0 fd 7 no-vnet-hdr -- vmm");
	argc = split(buf, argv, 32);
	CHECK(!parse_run_args(argc, argv, &o, err, sizeof(err)) && o.fd == 7 &&
	      !o.vnet_hdr, "fd 7 no-vnet-hdr");
	snprintf(buf, sizeof(buf), "sb vmgw0 vmm");
	argc = split(buf, argv, 32);
	CHECK(parse_run_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(err, "unknown argument 'vmm'"), "no --: %s", err);
	snprintf(buf, sizeof(buf), "sb vmgw0 --");
	argc = split(buf, argv, 32);
	CHECK(parse_run_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(err, "'-- VMM [ARGS...]' is required"), "no VMM: %s", err);
	snprintf(buf, sizeof(buf), "sb vmgw0 fd 2 -- vmm");
	argc = split(buf, argv, 32);
	CHECK(parse_run_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(err, "fd: '2' is not a number from 3 to 1023"), "fd 2: %s",
	      err);
	snprintf(buf, sizeof(buf), "sb vmgw0 vhost -- qemu fd={fd},vhostfd={vhostfd}");
	argc = split(buf, argv, 32);
	CHECK(!parse_run_args(argc, argv, &o, err, sizeof(err)) && o.fd == 3 &&
	      o.vhost_fd == 4, "vhost: %s", err);
	sub = subst_fds(o.argv, o.fd, o.vhost_fd);
	CHECK(sub && !strcmp(sub[1], "fd=3,vhostfd=4"), "vhost substitution");
	snprintf(buf, sizeof(buf), "sb vmgw0 fd 9 vhost vhostfd 5 -- vmm");
	argc = split(buf, argv, 32);
	CHECK(!parse_run_args(argc, argv, &o, err, sizeof(err)) && o.fd == 9 &&
	      o.vhost_fd == 5, "vhostfd 5: %s", err);
	snprintf(buf, sizeof(buf), "sb vmgw0 vhostfd 5 -- vmm");
	argc = split(buf, argv, 32);
	CHECK(parse_run_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(err, "vhostfd needs vhost"), "vhostfd alone: %s", err);
	snprintf(buf, sizeof(buf), "sb vmgw0 fd 4 vhost vhostfd 4 -- vmm");
	argc = split(buf, argv, 32);
	CHECK(parse_run_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(err, "fd and vhostfd are both 4"), "same fds: %s", err);
	o.vhost_fd = -1;
	sub = subst_fds((char *[]){ "{vhostfd}", NULL }, 3, -1);
	CHECK(sub && !strcmp(sub[0], "{vhostfd}"), "no vhost, no substitution");
	snprintf(buf, sizeof(buf), "sb vmgw0 --listen /run/vmgw.sock");
	argc = split(buf, argv, 32);
	CHECK(!parse_stream_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(o.listen, "/run/vmgw.sock"), "stream: %s", err);
	snprintf(buf, sizeof(buf), "sb vmgw0");
	argc = split(buf, argv, 32);
	CHECK(parse_stream_args(argc, argv, &o, err, sizeof(err)) &&
	      !strcmp(err, "--listen PATH is required"), "stream: %s", err);
	return true;
}

static bool test_monitor_args(void)
{
	char *ok[] = { "count", "2" }, *bad[] = { "count", "0" };
	unsigned long n;
	char err[64];

	CHECK(!parse_monitor_args(0, NULL, &n, err, sizeof(err)) && n == 0,
	      "no limit");
	CHECK(!parse_monitor_args(2, ok, &n, err, sizeof(err)) && n == 2,
	      "count 2");
	CHECK(parse_monitor_args(2, bad, &n, err, sizeof(err)) &&
	      !strcmp(err, "usage: monitor [count N]"), "count 0");
	return true;
}

/* Run @fn with a JSON writer into a buffer, compare with @want. */
static bool json_out(void (*fn)(struct ctl *c), bool json, bool pretty,
		     const char *want)
{
	struct ctl c = { .json = json };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool same;

	json_init(&c.j, f, pretty);
	fn(&c);
	fclose(f);
	same = !strcmp(buf, want);
	if (!same)
		snprintf(why, sizeof(why), "got '%s', want '%s'", buf, want);
	free(buf);
	return same;
}

static void json_sample(struct ctl *c)
{
	struct json *j = &c->j;

	json_arr_start(j, NULL);
	json_obj_start(j, NULL);
	json_str(j, "s", "a\"b\\c\nd\te\x01");
	json_u64(j, "n", UINT64_MAX);
	json_bool(j, "t", true);
	json_arr_start(j, "empty");
	json_arr_end(j);
	json_obj_start(j, "o");
	json_obj_end(j);
	json_obj_end(j);
	json_u64(j, NULL, 0);
	json_arr_end(j);
	json_end(j);
}

static bool test_json(void)
{
	return json_out(json_sample, true, false,
			"[{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001\",\"n\":18446744073709551615,\"t\":true,\"empty\":[],\"o\":{}},0]\n") &&
	       json_out(json_sample, true, true,
			"[\n  {\n    \"s\": \"a\\\"b\\\\c\\nd\\te\\u0001\",\n    \"n\": 18446744073709551615,\n    \"t\": true,\n    \"empty\": [],\n    \"o\": {}\n  },\n  0\n]\n");
}

static char msgbuf[4096];

/* A dev-get reply as the kernel sends it, with policy attributes too. */
static const struct nlmsghdr *fake_dev_msg(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	uint8_t a1[4] = { 10, 0, 2, 15 }, r[4] = { 10, 0, 2, 3 };
	uint8_t a6[16] = { 0xfd, [15] = 0x15 };

	g->cmd = VMGW_CMD_DEV_GET;
	mnl_attr_put_u32(nlh, VMGW_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, VMGW_A_DEV_IFNAME, "vmgw0");
	mnl_attr_put_u8(nlh, VMGW_A_DEV_ATTACHED, 0);
	mnl_attr_put_u32(nlh, VMGW_A_DEV_MTU, 1500);
	mnl_attr_put_u32(nlh, VMGW_A_DEV_G2H_RING_SIZE, 1024);
	mnl_attr_put(nlh, VMGW_A_DEV_GUEST_IPV4, 4, a1);
	mnl_attr_put(nlh, VMGW_A_DEV_GUEST_IPV6, 16, a6);
	mnl_attr_put_u32(nlh, VMGW_A_DEV_POLICY_MODE,
			 VMGW_POLICY_MODE_ALLOWLIST);
	mnl_attr_put_u32(nlh, VMGW_A_DEV_FLOOR, VMGW_FLOOR_MODE_STRICT);
	mnl_attr_put(nlh, VMGW_A_DEV_RESOLVER_IPV4, 4, r);
	mnl_attr_put_strz(nlh, VMGW_A_DEV_ALLOW_HOST, "*.example.com");
	mnl_attr_put_strz(nlh, VMGW_A_DEV_ALLOW_HOST, "pypi.org");
	mnl_attr_put_u32(nlh, VMGW_A_DEV_FLOW_COUNT, 2);
	mnl_attr_put_u32(nlh, VMGW_A_DEV_FLOW_TIMEOUT_FIN, 60);
	/* A wrong length (a newer kernel's type) is left out, not misread. */
	mnl_attr_put_u16(nlh, VMGW_A_DEV_FLOW_CAP, 7);
	return nlh;
}

static void print_dev(struct ctl *c)
{
	print_msg(c, fake_dev_msg(), &print_dev_set, NULL);
}

static void print_attach(struct ctl *c)
{
	print_msg(c, fake_dev_msg(), &print_dev_set, "attach");
}

static bool test_print_dev(void)
{
	return json_out(print_dev, true, false,
			"{\"ifname\":\"vmgw0\",\"ifindex\":5,\"attached\":false,\"mtu\":1500,\"g2h_ring_size\":1024,\"policy_mode\":\"allowlist\",\"floor\":\"strict\",\"guest_ipv4\":\"10.0.2.15\",\"guest_ipv6\":[\"fd00::15\"],\"resolver_ipv4\":[\"10.0.2.3\"],\"allow_host\":[\"*.example.com\",\"pypi.org\"],\"flow_count\":2,\"flow_timeout_fin\":60}") &&
	       json_out(print_dev, false, false,
			"vmgw0: ifindex 5 attached no mtu 1500 g2h-ring-size 1024 policy-mode allowlist floor strict guest-ipv4 10.0.2.15 guest-ipv6 fd00::15 resolver-ipv4 10.0.2.3 allow-host *.example.com allow-host pypi.org flow-count 2 flow-timeout-fin 60\n") &&
	       json_out(print_attach, true, false,
			"{\"event\":\"attach\",\"ifname\":\"vmgw0\",\"ifindex\":5,\"attached\":false,\"mtu\":1500,\"g2h_ring_size\":1024,\"policy_mode\":\"allowlist\",\"floor\":\"strict\",\"guest_ipv4\":\"10.0.2.15\",\"guest_ipv6\":[\"fd00::15\"],\"resolver_ipv4\":[\"10.0.2.3\"],\"allow_host\":[\"*.example.com\",\"pypi.org\"],\"flow_count\":2,\"flow_timeout_fin\":60}");
}

/* A rule-get reply: ports only with TCP or UDP. */
static void print_rule(struct ctl *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	uint8_t a[4] = { 192, 0, 2, 0 };

	g->cmd = VMGW_CMD_RULE_GET;
	mnl_attr_put_u32(nlh, VMGW_A_RULE_IFINDEX, 5);
	mnl_attr_put_strz(nlh, VMGW_A_RULE_IFNAME, "vmgw0");
	mnl_attr_put_u32(nlh, VMGW_A_RULE_ACTION, VMGW_RULE_ACTION_ALLOW);
	mnl_attr_put(nlh, VMGW_A_RULE_IPV4, 4, a);
	mnl_attr_put_u8(nlh, VMGW_A_RULE_PREFIX_LEN, 24);
	mnl_attr_put_u8(nlh, VMGW_A_RULE_PROTO, 6);
	mnl_attr_put_u16(nlh, VMGW_A_RULE_PORT_MIN, 80);
	mnl_attr_put_u16(nlh, VMGW_A_RULE_PORT_MAX, 443);
	print_msg(c, nlh, &print_rule_set, NULL);
}

/* A flow-get reply. */
static void print_flow(struct ctl *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	uint8_t gu[16] = { 0xfd, [15] = 0x15 }, pe[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	g->cmd = VMGW_CMD_FLOW_GET;
	mnl_attr_put_u32(nlh, VMGW_A_FLOW_IFINDEX, 5);
	mnl_attr_put_strz(nlh, VMGW_A_FLOW_IFNAME, "vmgw0");
	mnl_attr_put(nlh, VMGW_A_FLOW_GUEST_IPV6, 16, gu);
	mnl_attr_put(nlh, VMGW_A_FLOW_PEER_IPV6, 16, pe);
	mnl_attr_put_u16(nlh, VMGW_A_FLOW_GUEST_PORT, 40000);
	mnl_attr_put_u16(nlh, VMGW_A_FLOW_PEER_PORT, 443);
	mnl_attr_put_u32(nlh, VMGW_A_FLOW_STATE, VMGW_FLOW_STATE_ESTABLISHED);
	mnl_attr_put_u32(nlh, VMGW_A_FLOW_EXPIRES_MS, 3599000);
	print_msg(c, nlh, &print_flow_set, NULL);
}

static bool test_print_rule_flow(void)
{
	return json_out(print_rule, true, false,
			"{\"ifname\":\"vmgw0\",\"ifindex\":5,\"action\":\"allow\",\"ipv4\":\"192.0.2.0\",\"prefix_len\":24,\"proto\":\"tcp\",\"port_min\":80,\"port_max\":443}") &&
	       json_out(print_rule, false, false,
			"vmgw0: ifindex 5 action allow ipv4 192.0.2.0 prefix-len 24 proto tcp port-min 80 port-max 443\n") &&
	       json_out(print_flow, true, false,
			"{\"ifname\":\"vmgw0\",\"ifindex\":5,\"guest_ipv6\":\"fd00::15\",\"guest_port\":40000,\"peer_ipv6\":\"2001:db8::1\",\"peer_port\":443,\"state\":\"established\",\"expires_ms\":3599000}") &&
	       json_out(print_flow, false, false,
			"vmgw0: ifindex 5 guest-ipv6 fd00::15 guest-port 40000 peer-ipv6 2001:db8::1 peer-port 443 state established expires-ms 3599000\n");
}

static void print_deny(struct ctl *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	uint8_t s[4] = { 10, 0, 2, 15 }, d[4] = { 169, 254, 169, 254 };

	g->cmd = VMGW_CMD_DENY_NTF;
	mnl_attr_put_u32(nlh, VMGW_A_EVENT_IFINDEX, 5);
	mnl_attr_put_strz(nlh, VMGW_A_EVENT_IFNAME, "vmgw0");
	mnl_attr_put_strz(nlh, VMGW_A_EVENT_REASON, "rx_drop_floor");
	mnl_attr_put_u8(nlh, VMGW_A_EVENT_PROTO, 6);
	mnl_attr_put(nlh, VMGW_A_EVENT_SRC_IPV4, 4, s);
	mnl_attr_put(nlh, VMGW_A_EVENT_DST_IPV4, 4, d);
	mnl_attr_put_u16(nlh, VMGW_A_EVENT_DST_PORT, 80);
	print_msg(c, nlh, &print_event_set, "deny");
}

static bool test_print_deny(void)
{
	return json_out(print_deny, true, false,
			"{\"event\":\"deny\",\"ifname\":\"vmgw0\",\"ifindex\":5,\"reason\":\"rx_drop_floor\",\"proto\":\"tcp\",\"src_ipv4\":\"10.0.2.15\",\"dst_ipv4\":\"169.254.169.254\",\"dst_port\":80}") &&
	       json_out(print_deny, false, false,
			"deny vmgw0: ifindex 5 reason rx_drop_floor proto tcp src-ipv4 10.0.2.15 dst-ipv4 169.254.169.254 dst-port 80\n");
}

static char reqbuf[1024], errbuf[1024];

/*
 * A dev-set request (ifname, g2h-ring-size) and the NLMSG_ERROR the
 * kernel would answer with NETLINK_CAP_ACK: TLVs after the capped header.
 */
static bool error_text(int error, const char *msg, bool point_at_ring,
		       bool policy, int miss, bool done, const char *want)
{
	struct nlmsghdr *req = mnl_nlmsg_put_header(reqbuf), *err;
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(req, sizeof(*g));
	struct nlattr *ring, *pol;
	char out[512];
	int ret;

	g->cmd = VMGW_CMD_DEV_SET;
	mnl_attr_put_strz(req, VMGW_A_DEV_IFNAME, "vmgw0");
	ring = mnl_nlmsg_get_payload_tail(req);
	mnl_attr_put_u32(req, VMGW_A_DEV_G2H_RING_SIZE, 99999);

	err = mnl_nlmsg_put_header(errbuf);
	if (done) {
		err->nlmsg_type = NLMSG_DONE;
		*(int *)mnl_nlmsg_put_extra_header(err, sizeof(int)) = error;
	} else {
		struct nlmsgerr *e = mnl_nlmsg_put_extra_header(err, sizeof(*e));

		err->nlmsg_type = NLMSG_ERROR;
		err->nlmsg_flags = NLM_F_CAPPED;
		e->error = error;
		e->msg = *req;
	}
	if (msg || point_at_ring || policy || miss)
		err->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(err, NLMSGERR_ATTR_MSG, msg);
	if (point_at_ring)
		mnl_attr_put_u32(err, NLMSGERR_ATTR_OFFS,
				 (char *)ring - (char *)req);
	if (policy) {
		pol = mnl_attr_nest_start(err, NLMSGERR_ATTR_POLICY);
		mnl_attr_put_u32(err, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32);
		mnl_attr_put_u64(err, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 16);
		mnl_attr_put_u64(err, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 16384);
		mnl_attr_nest_end(err, pol);
	}
	if (miss)
		mnl_attr_put_u32(err, NLMSGERR_ATTR_MISS_TYPE, miss);
	ret = nl_format_error(out, sizeof(out), err, req, &vmgw_dev_names);
	CHECK(ret == error, "returned %d, want %d", ret, error);
	if (error)
		CHECK(!strcmp(out, want), "got '%s', want '%s'", out, want);
	return true;
}

static bool test_errors(void)
{
	return error_text(-ERANGE, "integer out of range", true, true, 0, false,
			  "Error: integer out of range (attribute g2h-ring-size, valid range 16..16384)") &&
	       error_text(-EBUSY, "g2h-ring-size cannot change while a file is attached",
			  true, false, 0, false,
			  "Error: g2h-ring-size cannot change while a file is attached") &&
	       error_text(-EINVAL, "attribute both set and named in unset",
			  true, false, 0, false,
			  "Error: attribute both set and named in unset (attribute g2h-ring-size)") &&
	       error_text(-EPERM, NULL, false, false, 0, false,
			  "Error: Operation not permitted") &&
	       error_text(-EINVAL, "ifindex or ifname is required", false,
			  false, VMGW_A_DEV_IFINDEX, false,
			  "Error: ifindex or ifname is required (missing attribute ifindex)") &&
	       error_text(-ENOENT, "no such flow", false, false, 0, true,
			  "Error: no such flow") &&
	       error_text(0, NULL, false, false, 0, false, "");
}

/* "SET VALUE NAME" for every named attribute, for spec-names.py. */
static void print_names(void)
{
	static const struct {
		const char *set;
		const struct nl_names *names;
	} sets[] = {
		{ "dev", &vmgw_dev_names }, { "rule", &vmgw_rule_names },
		{ "flow", &vmgw_flow_names }, { "stats", &vmgw_stats_names },
	};
	unsigned int i, t;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		for (t = 0; t <= sets[i].names->max; t++)
			if (sets[i].names->name[t])
				printf("%s %u %s\n", sets[i].set, t,
				       sets[i].names->name[t]);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--names")) {
		print_names();
		return 0;
	}
	run("parse_u32: decimal numbers only", test_parse_u32);
	run("parse_mac: aa:bb:cc:dd:ee:ff only", test_parse_mac);
	run("parse_prefix: IPv4/IPv6 with length bounds", test_parse_prefix);
	run("parse_ports, parse_proto", test_parse_ports_proto);
	run("dev set: every setting, exact errors", test_dev_set_args);
	run("dev add/del/show arguments", test_dev_add_del_args);
	run("rule add/del/show arguments", test_rule_args);
	run("run and stream arguments, {fd} substitution", test_run_args);
	run("monitor arguments", test_monitor_args);
	run("JSON writer: escapes, numbers, nesting, pretty", test_json);
	run("dev message: JSON shape and text", test_print_dev);
	run("rule and flow messages: JSON shape and text", test_print_rule_flow);
	run("deny event: JSON shape and text", test_print_deny);
	run("error reports: extack, attribute, range, missing", test_errors);
	return failed ? 1 : 0;
}
