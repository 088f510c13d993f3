// SPDX-License-Identifier: GPL-2.0
/* Printing of vmgw messages as text or JSON (see print.h). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/vmgw.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "attrs.h"
#include "print.h"

static const struct attr_fmt dev_fmt[] = {
	{ VMGW_A_DEV_IFINDEX, K_U32 },
	{ VMGW_A_DEV_ATTACHED, K_BOOL },
	{ VMGW_A_DEV_MTU, K_U32 },
	{ VMGW_A_DEV_MIN_MTU, K_U32 },
	{ VMGW_A_DEV_MAX_MTU, K_U32 },
	{ VMGW_A_DEV_G2H_RING_SIZE, K_U32 },
	{ VMGW_A_DEV_H2G_RING_SIZE, K_U32 },
	{ VMGW_A_DEV_POLICY_MODE, K_MODE },
	{ VMGW_A_DEV_FLOOR, K_FLOOR },
	{ VMGW_A_DEV_GUEST_MAC, K_MAC },
	{ VMGW_A_DEV_GUEST_IPV4, K_IP4 },
	{ VMGW_A_DEV_GUEST_IPV6, K_IP6, true },
	{ VMGW_A_DEV_RESOLVER_IPV4, K_IP4, true },
	{ VMGW_A_DEV_RESOLVER_IPV6, K_IP6, true },
	{ VMGW_A_DEV_ALLOW_HOST, K_STR, true },
	{ VMGW_A_DEV_FLOW_CAP, K_U32 },
	{ VMGW_A_DEV_FLOW_COUNT, K_U32 },
	{ VMGW_A_DEV_FLOW_TIMEOUT_SYN, K_U32 },
	{ VMGW_A_DEV_FLOW_TIMEOUT_ESTABLISHED, K_U32 },
	{ VMGW_A_DEV_FLOW_TIMEOUT_FIN, K_U32 },
	{ VMGW_A_DEV_FLOW_TIMEOUT_CLOSED, K_U32 },
};

static const struct attr_fmt rule_fmt[] = {
	{ VMGW_A_RULE_IFINDEX, K_U32 },
	{ VMGW_A_RULE_ACTION, K_ACTION },
	{ VMGW_A_RULE_IPV4, K_IP4 },
	{ VMGW_A_RULE_IPV6, K_IP6 },
	{ VMGW_A_RULE_PREFIX_LEN, K_U8 },
	{ VMGW_A_RULE_PROTO, K_PROTO },
	{ VMGW_A_RULE_PORT_MIN, K_U16 },
	{ VMGW_A_RULE_PORT_MAX, K_U16 },
};

static const struct attr_fmt flow_fmt[] = {
	{ VMGW_A_FLOW_IFINDEX, K_U32 },
	{ VMGW_A_FLOW_GUEST_IPV4, K_IP4 },
	{ VMGW_A_FLOW_GUEST_IPV6, K_IP6 },
	{ VMGW_A_FLOW_GUEST_PORT, K_U16 },
	{ VMGW_A_FLOW_PEER_IPV4, K_IP4 },
	{ VMGW_A_FLOW_PEER_IPV6, K_IP6 },
	{ VMGW_A_FLOW_PEER_PORT, K_U16 },
	{ VMGW_A_FLOW_STATE, K_FLOW_STATE },
	{ VMGW_A_FLOW_EXPIRES_MS, K_U32 },
};

static const char *const event_names[VMGW_A_EVENT_MAX + 1] = {
	[VMGW_A_EVENT_IFINDEX]		= "ifindex",
	[VMGW_A_EVENT_IFNAME]		= "ifname",
	[VMGW_A_EVENT_REASON]		= "reason",
	[VMGW_A_EVENT_CLASS]		= "class",
	[VMGW_A_EVENT_PROTO]		= "proto",
	[VMGW_A_EVENT_SRC_IPV4]		= "src-ipv4",
	[VMGW_A_EVENT_DST_IPV4]		= "dst-ipv4",
	[VMGW_A_EVENT_SRC_IPV6]		= "src-ipv6",
	[VMGW_A_EVENT_DST_IPV6]		= "dst-ipv6",
	[VMGW_A_EVENT_SRC_PORT]		= "src-port",
	[VMGW_A_EVENT_DST_PORT]		= "dst-port",
	[VMGW_A_EVENT_SUPPRESSED]	= "suppressed",
};

static const struct nl_names event_nl_names = {
	event_names, VMGW_A_EVENT_MAX, sizeof(struct genlmsghdr)
};

static const struct attr_fmt event_fmt[] = {
	{ VMGW_A_EVENT_IFINDEX, K_U32 },
	{ VMGW_A_EVENT_REASON, K_STR },
	{ VMGW_A_EVENT_CLASS, K_STR },
	{ VMGW_A_EVENT_PROTO, K_PROTO },
	{ VMGW_A_EVENT_SRC_IPV4, K_IP4 },
	{ VMGW_A_EVENT_DST_IPV4, K_IP4 },
	{ VMGW_A_EVENT_SRC_IPV6, K_IP6 },
	{ VMGW_A_EVENT_DST_IPV6, K_IP6 },
	{ VMGW_A_EVENT_SRC_PORT, K_U16 },
	{ VMGW_A_EVENT_DST_PORT, K_U16 },
	{ VMGW_A_EVENT_SUPPRESSED, K_U32 },
};

#define SET(f, names, ifname) { f, sizeof(f) / sizeof(f[0]), &names, ifname }
const struct attr_set print_dev_set =
	SET(dev_fmt, vmgw_dev_names, VMGW_A_DEV_IFNAME);
const struct attr_set print_rule_set =
	SET(rule_fmt, vmgw_rule_names, VMGW_A_RULE_IFNAME);
const struct attr_set print_flow_set =
	SET(flow_fmt, vmgw_flow_names, VMGW_A_FLOW_IFNAME);
const struct attr_set print_event_set =
	SET(event_fmt, event_nl_names, VMGW_A_EVENT_IFNAME);

static const char *const flow_states[] = {
	"syn", "established", "fin", "closed",
};

/*
 * The value of @a as text in @buf, or NULL when its payload does not fit
 * @kind (a kernel newer than this tool): such attributes are skipped. For
 * numbers, *num receives the value and the text is the JSON form too.
 */
static const char *attr_text(const struct nlattr *a, enum attr_kind kind,
			     char *buf, size_t len, uint64_t *num, bool *is_num)
{
	const uint8_t *p = mnl_attr_get_payload(a);
	uint16_t plen = mnl_attr_get_payload_len(a);
	uint32_t v;

	*is_num = false;
	switch (kind) {
	case K_U8:
	case K_BOOL:
	case K_PROTO:
		if (plen != 1)
			return NULL;
		*num = p[0];
		break;
	case K_U16:
		if (plen != 2)
			return NULL;
		*num = mnl_attr_get_u16(a);
		break;
	case K_U32:
	case K_MODE:
	case K_FLOOR:
	case K_ACTION:
	case K_FLOW_STATE:
		if (plen != 4)
			return NULL;
		*num = mnl_attr_get_u32(a);
		break;
	case K_U64:
		if (plen != 8)
			return NULL;
		*num = mnl_attr_get_u64(a);
		break;
	case K_STR:
		if (!plen || p[plen - 1])
			return NULL;
		return (const char *)p;
	case K_MAC:
		if (plen != 6)
			return NULL;
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1],
			 p[2], p[3], p[4], p[5]);
		return buf;
	case K_IP4:
	case K_IP6:
		if (plen != (kind == K_IP4 ? 4 : 16))
			return NULL;
		return inet_ntop(kind == K_IP4 ? AF_INET : AF_INET6, p, buf, len);
	}
	v = *num;
	switch (kind) {
	case K_BOOL:
		return v ? "yes" : "no";
	case K_MODE:
		return policy_mode_name(v);
	case K_FLOOR:
		return floor_name(v);
	case K_ACTION:
		return v == VMGW_RULE_ACTION_DENY ? "deny" : "allow";
	case K_FLOW_STATE:
		return v < 4 ? flow_states[v] : "unknown";
	case K_PROTO:
		if (proto_name(v))
			return proto_name(v);
		break;
	default:
		break;
	}
	*is_num = true;
	snprintf(buf, len, "%" PRIu64, *num);
	return buf;
}

static void json_value(struct ctl *c, const char *key, enum attr_kind kind,
		       const char *text, uint64_t num, bool is_num)
{
	if (kind == K_BOOL)
		json_bool(&c->j, key, num);
	else if (is_num)
		json_u64(&c->j, key, num);
	else
		json_str(&c->j, key, text);
}

static void print_attr(struct ctl *c, const struct nlmsghdr *nlh,
		       const struct attr_fmt *f, const char *name)
{
	const struct nlattr *a;
	char key[64], buf[64];
	bool open = false, is_num;
	const char *text;
	uint64_t num = 0;

	attr_json_key(name, key, sizeof(key));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != f->type)
			continue;
		text = attr_text(a, f->kind, buf, sizeof(buf), &num, &is_num);
		if (!text)
			continue;
		if (!c->json) {
			fprintf(c->j.f, " %s %s", name, text);
		} else if (f->multi) {
			if (!open)
				json_arr_start(&c->j, key);
			open = true;
			json_value(c, NULL, f->kind, text, num, is_num);
		} else {
			json_value(c, key, f->kind, text, num, is_num);
		}
		if (!f->multi)
			break;
	}
	if (open)
		json_arr_end(&c->j);
}

static const char *msg_ifname(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			return mnl_attr_get_str(a);
	return "?";
}

void print_msg(struct ctl *c, const struct nlmsghdr *nlh,
	       const struct attr_set *set, const char *event)
{
	const char *ifname = msg_ifname(nlh, set->ifname);
	size_t i;

	if (c->json) {
		json_obj_start(&c->j, NULL);
		if (event)
			json_str(&c->j, "event", event);
		json_str(&c->j, "ifname", ifname);
	} else {
		fprintf(c->j.f, "%s%s%s:", event ? event : "", event ? " " : "",
			ifname);
	}
	for (i = 0; i < set->n; i++)
		print_attr(c, nlh, &set->fmt[i],
			   set->names->name[set->fmt[i].type]);
	if (c->json)
		json_obj_end(&c->j);
	else
		fputc('\n', c->j.f);
}

int print_cb(const struct nlmsghdr *nlh, void *data)
{
	struct print_ctx *ctx = data;

	if (!ctx->only || !strcmp(msg_ifname(nlh, ctx->set->ifname), ctx->only))
		print_msg(ctx->c, nlh, ctx->set, NULL);
	return 0;
}

int show(struct ctl *c, uint8_t cmd, const char *name,
	 const struct nl_names *names, nl_msg_cb cb, void *data)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int err;

	if (nl_open_vmgw(&nl))
		return EXIT_FAIL;
	nlh = nl_genl_req(&nl, cmd, name ? 0 : NLM_F_DUMP);
	if (name)
		mnl_attr_put_strz(nlh, VMGW_A_DEV_IFNAME, name);
	if (c->json)
		json_arr_start(&c->j, NULL);
	err = nl_talk(&nl, nlh, cb, data, names);
	if (c->json) {
		json_arr_end(&c->j);
		json_end(&c->j);
	}
	nl_close(&nl);
	return err ? EXIT_FAIL : 0;
}
