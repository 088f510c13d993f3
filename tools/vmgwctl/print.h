/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing of vmgw messages: one table per attribute set says how each
 * attribute reads; text is "key value" pairs, JSON an object whose keys
 * are the spec's attribute names with '_' for '-'.
 */
#ifndef VMGWCTL_PRINT_H
#define VMGWCTL_PRINT_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"
#include "vmgwctl.h"

enum attr_kind {
	K_U8, K_U16, K_U32, K_U64, K_BOOL, K_STR, K_MAC, K_IP4, K_IP6,
	K_MODE, K_FLOOR, K_ACTION, K_PROTO, K_FLOW_STATE,
};

struct attr_fmt {
	uint16_t type;
	enum attr_kind kind;
	bool multi;		/* may repeat: a JSON array */
};

struct attr_set {
	const struct attr_fmt *fmt;
	size_t n;
	const struct nl_names *names;
	uint16_t ifname;	/* printed first, as "NAME:" in text */
};

extern const struct attr_set print_dev_set;
extern const struct attr_set print_rule_set;
extern const struct attr_set print_flow_set;
extern const struct attr_set print_event_set;

/*
 * One message as a JSON object (members after @event, if given) or a text
 * line: "[EVENT ]NAME: key value ...".
 */
void print_msg(struct ctl *c, const struct nlmsghdr *nlh,
	       const struct attr_set *set, const char *event);

/* nl_talk() callback printing each reply, of device @only if set. */
struct print_ctx {
	struct ctl *c;
	const struct attr_set *set;
	const char *only;
};

int print_cb(const struct nlmsghdr *nlh, void *data);

/*
 * Get one device's object (@name, a do request) or dump them all, and
 * print them with @cb (as a JSON array with -j). Return: an exit status.
 */
int show(struct ctl *c, uint8_t cmd, const char *name,
	 const struct nl_names *names, nl_msg_cb cb, void *data);

#endif /* VMGWCTL_PRINT_H */
