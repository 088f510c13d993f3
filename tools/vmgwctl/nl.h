/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink sockets of vmgwctl (libmnl): requests, replies, dumps, and the
 * error report of a refused request, with the kernel's extack message and
 * the name of the attribute it points at.
 */
#ifndef VMGWCTL_NL_H
#define VMGWCTL_NL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#define NL_REQ_SIZE	8192
#define NL_RX_SIZE	(64 * 1024)

struct nl {
	struct mnl_socket *sk;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;	/* genetlink id of "vmgw" */
	uint32_t events_grp;	/* its "events" multicast group */
	bool quiet;		/* nl_talk() leaves errors to the caller */
	char req[NL_REQ_SIZE];
	char rx[NL_RX_SIZE];
};

/*
 * Names of the attributes of a request's set, indexed by type, and the
 * length of the family header before them (genlmsghdr, ifinfomsg).
 */
struct nl_names {
	const char *const *name;
	unsigned int max;
	unsigned int hdrlen;
};

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

int nl_open(struct nl *nl, int bus);
int nl_open_vmgw(struct nl *nl);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_genl_req(struct nl *nl, uint8_t cmd, uint16_t flags);
struct nlmsghdr *nl_rt_req(struct nl *nl, uint16_t type, uint16_t flags);
int nl_talk(struct nl *nl, struct nlmsghdr *req, nl_msg_cb cb, void *data,
	    const struct nl_names *names);
int nl_subscribe(struct nl *nl, uint32_t group);
int nl_listen(struct nl *nl, nl_msg_cb cb, void *data);
int nl_format_error(char *out, size_t len, const struct nlmsghdr *err,
		    const struct nlmsghdr *req, const struct nl_names *names);

#endif /* VMGWCTL_NL_H */
