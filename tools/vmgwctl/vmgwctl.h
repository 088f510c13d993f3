/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMGWCTL_H
#define VMGWCTL_H

#include <stdbool.h>

#include "args.h"
#include "json.h"

/* Exit status: 0 done, 1 refused by the kernel or failed, 2 bad usage. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Output settings; j.f is where text output goes too. */
struct ctl {
	bool json;
	struct json j;
};

int cmd_dev(struct ctl *c, int argc, char **argv);
int cmd_stats(struct ctl *c, int argc, char **argv);
int cmd_rule(struct ctl *c, int argc, char **argv);
int cmd_flow(struct ctl *c, int argc, char **argv);
int cmd_monitor(struct ctl *c, int argc, char **argv);
int cmd_run(struct ctl *c, int argc, char **argv);
int cmd_stream(struct ctl *c, int argc, char **argv);
int cmd_up(struct ctl *c, int argc, char **argv);
int cmd_down(struct ctl *c, int argc, char **argv);

int usage_error(const char *cmd, const char *msg);
int netns_open(const char *name);
int netns_enter(int nsfd, const char *name);
int netns_leave(int saved);
int vmgw_dev_add(const struct dev_opts *opts);
int vmgw_dev_del(const struct dev_opts *o);
int vmgw_rule_change(enum rule_cmd cmd, const struct rule_opts *o);
int vmgw_attach(const char *netns, const char *name, bool vnet_hdr);

#endif /* VMGWCTL_H */
