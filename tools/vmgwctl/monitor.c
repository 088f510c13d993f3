// SPDX-License-Identifier: GPL-2.0
/*
 * vmgwctl monitor: the events group of the vmgw family, one line (text or
 * JSON object) per event, flushed at once.
 */
#include <linux/genetlink.h>
#include <linux/vmgw.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "nl.h"
#include "print.h"
#include "vmgwctl.h"

struct monitor_ctx {
	struct ctl *c;
	uint16_t family;
	unsigned long left;	/* events until exit, 0 for no limit */
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor_ctx *ctx = data;
	const struct genlmsghdr *g;

	if (nlh->nlmsg_type != ctx->family)
		return 0;
	g = mnl_nlmsg_get_payload(nlh);
	switch (g->cmd) {
	case VMGW_CMD_DEV_ATTACH_NTF:
		print_msg(ctx->c, nlh, &print_dev_set, "attach");
		break;
	case VMGW_CMD_DEV_DETACH_NTF:
		print_msg(ctx->c, nlh, &print_dev_set, "detach");
		break;
	case VMGW_CMD_DENY_NTF:
		print_msg(ctx->c, nlh, &print_event_set, "deny");
		break;
	default:
		return 0;
	}
	if (ctx->c->json)
		json_end(&ctx->c->j);
	fflush(ctx->c->j.f);
	return ctx->left && !--ctx->left ? 1 : 0;
}

/**
 * cmd_monitor() - vmgwctl monitor [count N]
 * @c: output settings
 * @argc: arguments after "monitor"
 * @argv: the arguments
 *
 * Subscribing needs CAP_NET_ADMIN in the namespace (denials reveal the
 * policy). "listening" goes to stderr once subscribed, so that scripts
 * know when events can no longer be missed.
 *
 * Return: an exit status.
 */
int cmd_monitor(struct ctl *c, int argc, char **argv)
{
	struct monitor_ctx ctx = { c, 0, 0 };
	char err[128];
	struct nl nl;
	int ret;

	if (parse_monitor_args(argc, argv, &ctx.left, err, sizeof(err)))
		return usage_error("monitor", err);
	if (nl_open_vmgw(&nl))
		return EXIT_FAIL;
	ctx.family = nl.family;
	ret = nl_subscribe(&nl, nl.events_grp);
	if (ret) {
		fprintf(stderr, "Error: subscribing to vmgw events: %s\n",
			strerror(-ret));
		nl_close(&nl);
		return EXIT_FAIL;
	}
	fprintf(stderr, "listening\n");
	ret = nl_listen(&nl, monitor_cb, &ctx);
	if (ret)
		fprintf(stderr, "Error: receiving events: %s\n", strerror(-ret));
	nl_close(&nl);
	return ret ? EXIT_FAIL : 0;
}
