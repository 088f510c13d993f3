// SPDX-License-Identifier: GPL-2.0
/* vmgwctl netlink sockets and error reports (see nl.h). */
#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmgw.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif

int nl_open(struct nl *nl, int bus)
{
	int one = 1;

	nl->family = 0;
	nl->events_grp = 0;
	nl->quiet = false;
	nl->seq = time(NULL);
	nl->sk = mnl_socket_open(bus);
	if (!nl->sk)
		return -errno;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sk);
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	/* Extack messages, and no copy of the request in error replies. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

static struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->req);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

struct nlmsghdr *nl_genl_req(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_req(nl, nl->family, flags);
	struct genlmsghdr *g;

	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VMGW_FAMILY_VERSION;
	return nlh;
}

struct nlmsghdr *nl_rt_req(struct nl *nl, uint16_t type, uint16_t flags)
{
	return nl_req(nl, type, flags);
}

/* The top-level attribute of @req that starts @off bytes into it. */
static const struct nlattr *nl_attr_at(const struct nlmsghdr *req,
				       unsigned int hdrlen, uint32_t off)
{
	const struct nlattr *a;

	if (!req)
		return NULL;
	mnl_attr_for_each(a, req, hdrlen)
		if ((const char *)a - (const char *)req == off)
			return a;
	return NULL;
}

static const char *nl_name(const struct nl_names *names, unsigned int type)
{
	if (!names || type > names->max || !names->name[type])
		return NULL;
	return names->name[type];
}

/* ", valid range MIN..MAX" (or length) from an NLMSGERR_ATTR_POLICY nest. */
static void nl_policy_range(char *out, size_t len, const struct nlattr *pol)
{
	const struct nlattr *a;
	bool umin = false, umax = false, lmin = false, lmax = false;
	int64_t smin = 0, smax = 0;
	bool has_s = false;
	uint64_t mn = 0, mx = 0;
	uint32_t lo = 0, hi = 0;

	mnl_attr_for_each_nested(a, pol) {
		switch (mnl_attr_get_type(a)) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			mn = mnl_attr_get_u64(a);
			umin = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			mx = mnl_attr_get_u64(a);
			umax = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			smin = (int64_t)mnl_attr_get_u64(a);
			has_s = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			smax = (int64_t)mnl_attr_get_u64(a);
			has_s = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			lo = mnl_attr_get_u32(a);
			lmin = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			hi = mnl_attr_get_u32(a);
			lmax = true;
			break;
		}
	}
	*out = '\0';
	if (umin && umax)
		snprintf(out, len, ", valid range %" PRIu64 "..%" PRIu64, mn, mx);
	else if (has_s)
		snprintf(out, len, ", valid range %" PRId64 "..%" PRId64, smin,
			 smax);
	else if (lmin && lmax)
		snprintf(out, len, ", length %u..%u bytes", lo, hi);
	else if (lmax)
		snprintf(out, len, ", at most %u bytes", hi);
}

/**
 * nl_format_error() - the message for a refused request
 * @out: receives "Error: ..." without a newline
 * @len: size of @out
 * @err: the NLMSG_ERROR or NLMSG_DONE message with a negative error
 * @req: the request, to name the attribute an extack offset points at
 * @names: attribute names of the request's set, or NULL
 *
 * The extack message (else strerror) comes first; the attribute it refers
 * to follows unless the message names it already, then the valid range
 * from the policy when the kernel sent one.
 *
 * Return: the error, a negative errno (0 for an ACK).
 */
int nl_format_error(char *out, size_t len, const struct nlmsghdr *err,
		    const struct nlmsghdr *req, const struct nl_names *names)
{
	const struct nlattr *a, *tlv[NLMSGERR_ATTR_MAX + 1] = {};
	const char *msg = NULL, *attr = NULL;
	char range[80] = "", what[128] = "";
	unsigned int off;
	int error;

	if (err->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(err);

		error = e->error;
		off = sizeof(*e);
		if (!(err->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	} else {
		error = *(const int *)mnl_nlmsg_get_payload(err);
		off = sizeof(int);
	}
	if (!error)
		return 0;
	if (err->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(a, err, off)
			if (mnl_attr_get_type(a) <= NLMSGERR_ATTR_MAX)
				tlv[mnl_attr_get_type(a)] = a;
	}
	if (tlv[NLMSGERR_ATTR_MSG])
		msg = mnl_attr_get_str(tlv[NLMSGERR_ATTR_MSG]);
	if (tlv[NLMSGERR_ATTR_OFFS] && names) {
		const struct nlattr *bad;

		bad = nl_attr_at(req, names->hdrlen,
				 mnl_attr_get_u32(tlv[NLMSGERR_ATTR_OFFS]));
		if (bad)
			attr = nl_name(names, mnl_attr_get_type(bad));
	}
	if (tlv[NLMSGERR_ATTR_POLICY])
		nl_policy_range(range, sizeof(range), tlv[NLMSGERR_ATTR_POLICY]);
	if (tlv[NLMSGERR_ATTR_MISS_TYPE]) {
		const char *miss;

		miss = nl_name(names, mnl_attr_get_u32(tlv[NLMSGERR_ATTR_MISS_TYPE]));
		snprintf(what, sizeof(what), " (missing attribute %s)",
			 miss ? miss : "?");
	} else if (attr && (!msg || !strstr(msg, attr))) {
		snprintf(what, sizeof(what), " (attribute %s%s)", attr, range);
	} else if (*range) {
		snprintf(what, sizeof(what), " (%s)", range + 2);
	}
	snprintf(out, len, "Error: %s%s", msg ? msg : strerror(-error), what);
	return error;
}

struct nl_talk_ctx {
	bool quiet;
	const struct nlmsghdr *req;
	const struct nl_names *names;
	nl_msg_cb cb;
	void *data;
	int error;
};

static int nl_talk_ctl(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk_ctx *ctx = data;
	char msg[512];

	if (nlh->nlmsg_type != NLMSG_ERROR && nlh->nlmsg_type != NLMSG_DONE)
		return MNL_CB_OK;
	ctx->error = nl_format_error(msg, sizeof(msg), nlh, ctx->req,
				     ctx->names);
	if (ctx->error && !ctx->quiet)
		fprintf(stderr, "%s\n", msg);
	return MNL_CB_STOP;
}

static int nl_talk_data(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk_ctx *ctx = data;
	int err;

	if (!ctx->cb)
		return MNL_CB_OK;
	err = ctx->cb(nlh, ctx->data);
	if (err < 0) {
		ctx->error = err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/**
 * nl_talk() - send a request and take its replies
 * @nl: the socket
 * @req: the request, in nl->req; NLM_F_ACK is set, so the exchange ends
 *	with an ACK, an error or (dumps) NLMSG_DONE
 * @cb: called for each reply message, or NULL; a negative return stops
 * @data: for @cb
 * @names: attribute names of the request's set, for error messages
 *
 * A refusal is reported on stderr (see nl_format_error()).
 *
 * Return: 0, or a negative errno.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *req, nl_msg_cb cb, void *data,
	    const struct nl_names *names)
{
	struct nl_talk_ctx ctx = { nl->quiet, req, names, cb, data, 0 };
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = nl_talk_ctl,
		[NLMSG_DONE] = nl_talk_ctl,
	};
	int n, ret;

	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sk, nl->rx, sizeof(nl->rx));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(nl->rx, n, req->nlmsg_seq, nl->portid,
				  nl_talk_data, &ctx, ctl, NLMSG_MIN_TYPE);
	} while (ret == MNL_CB_OK);
	if (ctx.error)
		return ctx.error;
	return ret < 0 ? -errno : 0;
}

struct nl_family_ctx {
	struct nl *nl;
	bool found;
};

static int nl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_family_ctx *ctx = data;
	const struct nlattr *a, *grp, *g;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID) {
			ctx->nl->family = mnl_attr_get_u16(a);
			ctx->found = true;
		}
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(g, grp) {
				if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(g);
				if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(g);
			}
			if (name && !strcmp(name, VMGW_MCGRP_EVENTS))
				ctx->nl->events_grp = id;
		}
	}
	return 0;
}

/**
 * nl_open_vmgw() - a generic netlink socket for the "vmgw" family
 * @nl: receives the socket, the family id and the events group
 *
 * Return: 0, or a negative errno (reported on stderr).
 */
int nl_open_vmgw(struct nl *nl)
{
	struct nl_family_ctx ctx = { nl, false };
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int err;

	err = nl_open(nl, NETLINK_GENERIC);
	if (err) {
		fprintf(stderr, "Error: generic netlink socket: %s\n",
			strerror(-err));
		return err;
	}
	nlh = nl_req(nl, GENL_ID_CTRL, 0);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VMGW_FAMILY_NAME);
	/* Without the module the kernel answers ENOENT: say so plainly. */
	nl->quiet = true;
	err = nl_talk(nl, nlh, nl_family_cb, &ctx, NULL);
	nl->quiet = false;
	if (!err && !ctx.found)
		err = -ENOENT;
	if (err == -ENOENT)
		fprintf(stderr, "Error: no generic netlink family \"%s\" (is the vmgw module loaded?)\n",
			VMGW_FAMILY_NAME);
	else if (err)
		fprintf(stderr, "Error: looking up the \"%s\" family: %s\n",
			VMGW_FAMILY_NAME, strerror(-err));
	if (err)
		nl_close(nl);
	return err;
}

int nl_subscribe(struct nl *nl, uint32_t group)
{
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

/**
 * nl_listen() - pass every multicast message to @cb until it stops
 * @nl: a subscribed socket
 * @cb: called per message; a return above 0 ends the loop, below 0 fails
 * @data: for @cb
 *
 * Return: 0 when @cb ended the loop, or a negative errno.
 */
int nl_listen(struct nl *nl, nl_msg_cb cb, void *data)
{
	struct nl_talk_ctx ctx = { true, NULL, NULL, cb, data, 0 };
	const struct nlmsghdr *nlh;
	int n, len;

	for (;;) {
		n = mnl_socket_recvfrom(nl->sk, nl->rx, sizeof(nl->rx));
		if (n < 0)
			return -errno;
		len = n;
		for (nlh = (const struct nlmsghdr *)nl->rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			int ret = ctx.cb(nlh, ctx.data);

			if (ret)
				return ret < 0 ? ret : 0;
		}
	}
}
