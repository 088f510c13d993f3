// SPDX-License-Identifier: GPL-2.0
/*
 * vmgwctl dev add|del|show|set and stats. add and del speak rtnetlink (the
 * link kind); show, set and stats the vmgw generic netlink family.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/vmgw.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "args.h"
#include "attrs.h"
#include "nl.h"
#include "print.h"
#include "vmgwctl.h"

static void put_addrs(struct nlmsghdr *nlh, const struct vm_addr *a, int n,
		      uint16_t type4, uint16_t type6)
{
	int i;

	for (i = 0; i < n; i++) {
		if (a[i].family == AF_INET)
			mnl_attr_put(nlh, type4, 4, a[i].addr);
		else
			mnl_attr_put(nlh, type6, 16, a[i].addr);
	}
}

/* The dev-set attributes of @o (all but the device selector). */
static void put_dev_settings(struct nlmsghdr *nlh, const struct dev_opts *o)
{
	static const uint16_t timeout_attr[N_TIMEOUTS] = {
		VMGW_A_DEV_FLOW_TIMEOUT_SYN, VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED,
		VMGW_A_DEV_FLOW_TIMEOUT_FIN, VMGW_A_DEV_FLOW_TIMEOUT_CLOSED,
	};
	int i;

	if (o->has_mtu)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_MTU, o->mtu);
	if (o->has_g2h)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_G2H_RING_SIZE, o->g2h);
	if (o->has_h2g)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_H2G_RING_SIZE, o->h2g);
	if (o->has_guest_mac)
		mnl_attr_put(nlh, VMGW_A_DEV_GUEST_MAC, 6, o->guest_mac);
	if (o->has_guest_ip4)
		mnl_attr_put(nlh, VMGW_A_DEV_GUEST_IPV4, 4, o->guest_ip4);
	for (i = 0; i < o->n_guest_ip6; i++)
		mnl_attr_put(nlh, VMGW_A_DEV_GUEST_IPV6, 16,
			     o->guest_ip6[i].addr);
	if (o->has_mode)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_POLICY_MODE, o->mode);
	if (o->has_floor)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_FLOOR, o->floor);
	if (o->has_flow_cap)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_FLOW_CAP, o->flow_cap);
	for (i = 0; i < N_TIMEOUTS; i++)
		if (o->has_timeout[i])
			mnl_attr_put_u32(nlh, timeout_attr[i], o->timeout[i]);
	put_addrs(nlh, o->resolver, o->n_resolver, VMGW_A_DEV_RESOLVER_IPV4,
		  VMGW_A_DEV_RESOLVER_IPV6);
	for (i = 0; i < o->n_allow_host; i++)
		mnl_attr_put_strz(nlh, VMGW_A_DEV_ALLOW_HOST, o->allow_host[i]);
	if (o->unset)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_UNSET, o->unset);
}

/* dev-set on NAME, in the namespace of @nsfd if not negative. */
static int dev_set(const struct dev_opts *o, int nsfd)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	err = nl_open_vmgw(&nl);
	if (err)
		return err;
	nlh = nl_genl_req(&nl, VMGW_CMD_DEV_SET, 0);
	mnl_attr_put_strz(nlh, VMGW_A_DEV_IFNAME, o->name);
	if (nsfd >= 0)
		mnl_attr_put_u32(nlh, VMGW_A_DEV_NETNS_FD, nsfd);
	put_dev_settings(nlh, o);
	err = nl_talk(&nl, nlh, NULL, NULL, &vmgw_dev_names);
	nl_close(&nl);
	return err;
}

/* RTM_DELLINK of NAME in the current namespace. */
static int link_del(const char *name)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	err = nl_open(&nl, NETLINK_ROUTE);
	if (err)
		return err;
	nlh = nl_rt_req(&nl, RTM_DELLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	err = nl_talk(&nl, nlh, NULL, NULL, &vmgw_link_names);
	nl_close(&nl);
	return err;
}

/* RTM_NEWLINK of a vmgw link NAME, created in the namespace of @nsfd. */
static int link_add(const struct dev_opts *o, int nsfd)
{
	struct ifinfomsg *ifi;
	struct nlattr *info;
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	err = nl_open(&nl, NETLINK_ROUTE);
	if (err)
		return err;
	nlh = nl_rt_req(&nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, o->name);
	if (nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, nsfd);
	if (o->has_address)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, o->address);
	if (o->has_mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, o->mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, VMGW_LINK_KIND);
	mnl_attr_nest_end(nlh, info);
	err = nl_talk(&nl, nlh, NULL, NULL, &vmgw_link_names);
	nl_close(&nl);
	return err;
}

/* Run @fn(@name) inside namespace @netns (open as @nsfd), or here. */
static int in_netns(int nsfd, const char *netns, int (*fn)(const char *),
		    const char *name)
{
	int saved, err;

	if (nsfd < 0)
		return fn(name);
	saved = netns_enter(nsfd, netns);
	if (saved < 0)
		return saved;
	err = fn(name);
	if (netns_leave(saved) && !err)
		err = -EIO;
	return err;
}

/**
 * vmgw_dev_add() - dev add: create a vmgw device with its settings
 * @opts: the device, its namespace (NULL: ours) and settings
 *
 * The link is created in the namespace directly (IFLA_NET_NS_FD), then
 * the settings rtnetlink does not carry go through dev-set with netns-fd.
 * If they are refused, the new link is deleted again. Refusals are
 * reported on stderr.
 *
 * Return: an exit status.
 */
int vmgw_dev_add(const struct dev_opts *opts)
{
	struct dev_opts o = *opts;
	int nsfd = -1, err;

	if (o.netns) {
		nsfd = netns_open(o.netns);
		if (nsfd < 0)
			return EXIT_FAIL;
	}
	err = link_add(&o, nsfd);
	o.has_mtu = false;	/* went with the link */
	if (!err && dev_opts_has_settings(&o)) {
		err = dev_set(&o, nsfd);
		if (err)
			in_netns(nsfd, o.netns, link_del, o.name);
	}
	if (nsfd >= 0)
		close(nsfd);
	return err ? EXIT_FAIL : 0;
}

/**
 * vmgw_dev_del() - dev del: delete a device
 * @o: its name and namespace (NULL: ours)
 *
 * Return: an exit status.
 */
int vmgw_dev_del(const struct dev_opts *o)
{
	int nsfd = -1, err;

	if (o->netns) {
		nsfd = netns_open(o->netns);
		if (nsfd < 0)
			return EXIT_FAIL;
	}
	err = in_netns(nsfd, o->netns, link_del, o->name);
	if (nsfd >= 0)
		close(nsfd);
	return err ? EXIT_FAIL : 0;
}

static int dev_show(struct ctl *c, const char *name)
{
	struct print_ctx ctx = { c, &print_dev_set, NULL };

	return show(c, VMGW_CMD_DEV_GET, name, &vmgw_dev_names, print_cb, &ctx);
}

/**
 * cmd_dev() - vmgwctl dev add|del|show|set
 * @c: output settings
 * @argc: arguments after "dev"
 * @argv: the arguments
 *
 * Return: an exit status.
 */
int cmd_dev(struct ctl *c, int argc, char **argv)
{
	static const char *const cmds[] = { "add", "del", "show", "set" };
	struct dev_opts o;
	char err[256];
	int i;

	if (argc < 1)
		return dev_show(c, NULL);
	for (i = 0; i < 4; i++)
		if (!strcmp(argv[0], cmds[i]))
			break;
	if (i == 4)
		return usage_error("dev", "command must be add, del, show or set");
	if (parse_dev_args(i, argc - 1, argv + 1, &o, err, sizeof(err))) {
		char what[16];

		snprintf(what, sizeof(what), "dev %s", cmds[i]);
		return usage_error(what, err);
	}
	switch (i) {
	case DEV_ADD:
		return vmgw_dev_add(&o);
	case DEV_DEL:
		return vmgw_dev_del(&o);
	case DEV_SET:
		return dev_set(&o, -1) ? EXIT_FAIL : 0;
	default:
		return dev_show(c, o.name);
	}
}

/* One stats-get reply: ethtool -S style text, or a JSON object. */
static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct {
		uint16_t type;
		const char *key;
	} totals[] = {
		{ VMGW_A_STATS_RX_PACKETS, "rx_packets" },
		{ VMGW_A_STATS_RX_BYTES, "rx_bytes" },
		{ VMGW_A_STATS_TX_PACKETS, "tx_packets" },
		{ VMGW_A_STATS_TX_BYTES, "tx_bytes" },
	};
	struct ctl *c = data;
	const struct nlattr *a, *n;
	const char *ifname = "?";
	uint32_t ifindex = 0;
	size_t i;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == VMGW_A_STATS_IFNAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			ifname = mnl_attr_get_str(a);
		if (mnl_attr_get_type(a) == VMGW_A_STATS_IFINDEX &&
		    !mnl_attr_validate(a, MNL_TYPE_U32))
			ifindex = mnl_attr_get_u32(a);
	}
	if (c->json) {
		json_obj_start(&c->j, NULL);
		json_str(&c->j, "ifname", ifname);
		json_u64(&c->j, "ifindex", ifindex);
		for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
			mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
				if (mnl_attr_get_type(a) == totals[i].type &&
				    !mnl_attr_validate(a, MNL_TYPE_U64))
					json_u64(&c->j, totals[i].key,
						 mnl_attr_get_u64(a));
		json_obj_start(&c->j, "counters");
	} else {
		fprintf(c->j.f, "%s:\n", ifname);
	}
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		const char *name = NULL;
		uint64_t val = 0;
		bool has_val = false;

		if (mnl_attr_get_type(a) != VMGW_A_STATS_COUNTER)
			continue;
		mnl_attr_for_each_nested(n, a) {
			if (mnl_attr_get_type(n) == VMGW_A_COUNTER_NAME &&
			    !mnl_attr_validate(n, MNL_TYPE_NUL_STRING))
				name = mnl_attr_get_str(n);
			if (mnl_attr_get_type(n) == VMGW_A_COUNTER_VALUE &&
			    !mnl_attr_validate(n, MNL_TYPE_U64)) {
				val = mnl_attr_get_u64(n);
				has_val = true;
			}
		}
		if (!name || !has_val)
			continue;
		if (c->json)
			json_u64(&c->j, name, val);
		else
			fprintf(c->j.f, "     %s: %llu\n", name,
				(unsigned long long)val);
	}
	if (c->json) {
		json_obj_end(&c->j);
		json_obj_end(&c->j);
	}
	return 0;
}

/**
 * cmd_stats() - vmgwctl stats [NAME]
 * @c: output settings
 * @argc: arguments after "stats"
 * @argv: the arguments
 *
 * Return: an exit status.
 */
int cmd_stats(struct ctl *c, int argc, char **argv)
{
	const char *name;
	char err[256];

	if (parse_show_args(argc, argv, &name, err, sizeof(err)))
		return usage_error("stats", err);
	return show(c, VMGW_CMD_STATS_GET, name, &vmgw_stats_names, stats_cb,
		    c);
}
