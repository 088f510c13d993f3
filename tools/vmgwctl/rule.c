// SPDX-License-Identifier: GPL-2.0
/*
 * vmgwctl rule add|del|show and flow show. A rule is named by what it
 * matches; "rule del NAME all" deletes every rule of a device.
 */
#include <linux/genetlink.h>
#include <linux/vmgw.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "attrs.h"
#include "nl.h"
#include "print.h"
#include "vmgwctl.h"

/*
 * rule-get or flow-get: the dump has no filter, so the objects of device
 * NAME (if given) are picked here.
 */
static int obj_show(struct ctl *c, uint8_t cmd, const char *name,
		    const struct attr_set *set)
{
	struct print_ctx ctx = { c, set, name };

	return show(c, cmd, NULL, set->names, print_cb, &ctx);
}

/**
 * vmgw_rule_change() - rule add or del
 * @cmd: RULE_ADD or RULE_DEL
 * @o: the device and the rule, in the current namespace
 *
 * Return: an exit status.
 */
int vmgw_rule_change(enum rule_cmd cmd, const struct rule_opts *o)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	if (nl_open_vmgw(&nl))
		return EXIT_FAIL;
	nlh = nl_genl_req(&nl, cmd == RULE_ADD ? VMGW_CMD_RULE_ADD :
			  VMGW_CMD_RULE_DEL, 0);
	mnl_attr_put_strz(nlh, VMGW_A_RULE_IFNAME, o->name);
	if (o->all) {
		mnl_attr_put(nlh, VMGW_A_RULE_ALL, 0, NULL);
	} else {
		mnl_attr_put_u32(nlh, VMGW_A_RULE_ACTION, o->action);
		if (o->prefix.family == AF_INET)
			mnl_attr_put(nlh, VMGW_A_RULE_IPV4, 4, o->prefix.addr);
		else
			mnl_attr_put(nlh, VMGW_A_RULE_IPV6, 16, o->prefix.addr);
		mnl_attr_put_u8(nlh, VMGW_A_RULE_PREFIX_LEN, o->prefix.plen);
		if (o->has_proto)
			mnl_attr_put_u8(nlh, VMGW_A_RULE_PROTO, o->proto);
		if (o->has_ports) {
			mnl_attr_put_u16(nlh, VMGW_A_RULE_PORT_MIN, o->port_min);
			mnl_attr_put_u16(nlh, VMGW_A_RULE_PORT_MAX, o->port_max);
		}
	}
	err = nl_talk(&nl, nlh, NULL, NULL, &vmgw_rule_names);
	nl_close(&nl);
	return err ? EXIT_FAIL : 0;
}

/**
 * cmd_rule() - vmgwctl rule add|del|show
 * @c: output settings
 * @argc: arguments after "rule"
 * @argv: the arguments
 *
 * Return: an exit status.
 */
int cmd_rule(struct ctl *c, int argc, char **argv)
{
	static const char *const cmds[] = { "add", "del", "show" };
	struct rule_opts o;
	char err[256];
	int i;

	if (argc < 1)
		return usage_error("rule", "command must be add, del or show");
	for (i = 0; i < 3; i++)
		if (!strcmp(argv[0], cmds[i]))
			break;
	if (i == 3)
		return usage_error("rule", "command must be add, del or show");
	if (parse_rule_args(i, argc - 1, argv + 1, &o, err, sizeof(err))) {
		char what[16];

		snprintf(what, sizeof(what), "rule %s", cmds[i]);
		return usage_error(what, err);
	}
	if (i == RULE_SHOW)
		return obj_show(c, VMGW_CMD_RULE_GET, o.name, &print_rule_set);
	return vmgw_rule_change(i, &o);
}

/**
 * cmd_flow() - vmgwctl flow show [NAME]
 * @c: output settings
 * @argc: arguments after "flow"
 * @argv: the arguments
 *
 * Return: an exit status.
 */
int cmd_flow(struct ctl *c, int argc, char **argv)
{
	const char *name;
	char err[256];

	if (argc < 1 || strcmp(argv[0], "show"))
		return usage_error("flow", "command must be show");
	if (parse_show_args(argc - 1, argv + 1, &name, err, sizeof(err)))
		return usage_error("flow show", err);
	return obj_show(c, VMGW_CMD_FLOW_GET, name, &print_flow_set);
}
