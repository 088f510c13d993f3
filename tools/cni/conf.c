// SPDX-License-Identifier: GPL-2.0
/*
 * The plugin's input: the CNI_* environment and the network configuration
 * on stdin (CNI 1.0.0), with its policy, runtimeConfig and prevResult.
 * Pure functions: every refusal is a CNI error code and a message naming
 * the field, nothing is made before the whole input is accepted.
 *
 * runtimeConfig (capability "vmgw", so that a pod annotation can carry
 * it) may only narrow the network configuration's policy: a stricter
 * mode and floor, a smaller flow cap, more deny rules; allow rules and
 * hosts only when they turn an open network into an allowlist, and never
 * for UDP (open mode refuses UDP, an allow rule would open it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/vmgw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cni.h"

#define FLOW_CAP_DEFAULT	4096	/* the module's, when none is set */

/**
 * cni_error_set() - fill an error report
 * @e: the report
 * @code: its CNI error code
 * @fmt: the message
 *
 * Return: -1.
 */
int cni_error_set(struct cni_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *env_get(const char *const *envp, const char *key)
{
	size_t len = strlen(key);

	for (; *envp; envp++)
		if (!strncmp(*envp, key, len) && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

static bool ifname_ok(const char *s)
{
	size_t len = strlen(s);

	return len && len < IFNAMSIZ && !strpbrk(s, "/ \t\n:") &&
	       strcmp(s, ".") && strcmp(s, "..");
}

/* The spec's container ID: letters, digits, '_', '.', '-', not empty. */
static bool containerid_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		      *s == '-'))
			return false;
	return true;
}

/**
 * cni_env_parse() - the CNI_* variables of an environment
 * @envp: the environment
 * @env: filled in; its strings point into @envp
 * @e: the error, if any
 *
 * CNI_COMMAND is always required; CNI_CONTAINERID, CNI_IFNAME and
 * CNI_PATH for ADD, DEL and CHECK; CNI_NETNS for ADD and CHECK (a DEL
 * may come after the namespace is gone).
 *
 * Return: 0, or -1 with code 4.
 */
int cni_env_parse(const char *const *envp, struct cni_env *env, struct cni_error *e)
{
	static const char *const cmds[] = { "ADD", "DEL", "CHECK", "VERSION" };
	const char *cmd = env_get(envp, "CNI_COMMAND");
	unsigned int i;

	memset(env, 0, sizeof(*env));
	if (!cmd)
		return cni_error_set(e, CNI_ERR_ENV, "CNI_COMMAND is not set");
	for (i = 0; i < 4; i++)
		if (!strcmp(cmd, cmds[i]))
			break;
	if (i == 4)
		return cni_error_set(e, CNI_ERR_ENV,
				     "CNI_COMMAND '%s' is not ADD, DEL, CHECK or VERSION",
				     cmd);
	env->cmd = i;
	if (env->cmd == CNI_VERSION_CMD)
		return 0;
	env->containerid = env_get(envp, "CNI_CONTAINERID");
	env->netns = env_get(envp, "CNI_NETNS");
	env->ifname = env_get(envp, "CNI_IFNAME");
	env->path = env_get(envp, "CNI_PATH");
	if (env->netns && !*env->netns)
		env->netns = NULL;
	if (!env->containerid || !containerid_ok(env->containerid))
		return cni_error_set(e, CNI_ERR_ENV,
				     "CNI_CONTAINERID '%s' is not letters, digits, '_', '.' and '-'",
				     env->containerid ? env->containerid : "");
	if (!env->netns && env->cmd != CNI_DEL)
		return cni_error_set(e, CNI_ERR_ENV, "CNI_NETNS is not set");
	if (!env->ifname || !ifname_ok(env->ifname))
		return cni_error_set(e, CNI_ERR_ENV,
				     "CNI_IFNAME '%s' is not an interface name",
				     env->ifname ? env->ifname : "");
	if (!env->path || !*env->path)
		return cni_error_set(e, CNI_ERR_ENV, "CNI_PATH is not set");
	return 0;
}

/* Code 2: the spec wants the key and the value in the message. */
static int field_refused(struct cni_error *e, const char *where,
			 const char *key, json_object *val)
{
	return cni_error_set(e, CNI_ERR_FIELD, "unsupported field %s%s%s: %s",
			     where, *where ? "." : "", key,
			     json_object_to_json_string_ext(val,
							    JSON_C_TO_STRING_PLAIN));
}

static int want_type(json_object *v, json_type t, const char *where,
		     const char *key, struct cni_error *e)
{
	static const char *const names[] = {
		[json_type_boolean] = "a boolean", [json_type_int] = "an integer",
		[json_type_string] = "a string", [json_type_array] = "an array",
		[json_type_object] = "an object",
	};

	if (json_object_is_type(v, t))
		return 0;
	return cni_error_set(e, CNI_ERR_CONFIG, "%s.%s must be %s", where, key,
			     names[t] ? names[t] : "of another type");
}

/* {"dst": "PREFIX", "proto": "tcp", "ports": "80" | "1000-2000"} */
static int rule_parse(json_object *o, const char *where, uint32_t action,
		      struct rule_opts *r, struct cni_error *e)
{
	const char *dst = NULL, *ports = NULL;

	memset(r, 0, sizeof(*r));
	r->action = action;
	if (!json_object_is_type(o, json_type_object))
		return cni_error_set(e, CNI_ERR_CONFIG, "%s: a rule must be an object",
				     where);
	json_object_object_foreach(o, key, val) {
		if (strcmp(key, "dst") && strcmp(key, "proto") &&
		    strcmp(key, "ports"))
			return field_refused(e, where, key, val);
		if (want_type(val, json_type_string, where, key, e))
			return -1;
		if (!strcmp(key, "dst")) {
			dst = json_object_get_string(val);
		} else if (!strcmp(key, "ports")) {
			ports = json_object_get_string(val);
		} else {
			if (parse_proto(json_object_get_string(val), &r->proto))
				return cni_error_set(e, CNI_ERR_CONFIG,
						     "%s.proto: '%s' is not a protocol",
						     where, json_object_get_string(val));
			r->has_proto = true;
		}
	}
	if (!dst)
		return cni_error_set(e, CNI_ERR_CONFIG, "%s.dst is required", where);
	if (parse_prefix(dst, &r->prefix))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "%s.dst: '%s' is not an address prefix (ADDR[/LEN])",
				     where, dst);
	if (!ports)
		return 0;
	if (!r->has_proto || (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "%s.ports needs proto tcp or udp", where);
	if (parse_ports(ports, &r->port_min, &r->port_max))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "%s.ports: '%s' is not PORT or PORT-PORT",
				     where, ports);
	r->has_ports = true;
	return 0;
}

static int rules_parse(json_object *arr, const char *where, uint32_t action,
		       struct cni_policy *p, struct cni_error *e)
{
	char at[64];
	size_t i, n;

	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		if (p->n_rules == CNI_MAX_RULES)
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "%s: at most %d rules", where,
					     CNI_MAX_RULES);
		snprintf(at, sizeof(at), "%s[%zu]", where, i);
		if (rule_parse(json_object_array_get_idx(arr, i), at, action,
			       &p->rule[p->n_rules], e))
			return -1;
		p->n_rules++;
	}
	return 0;
}

static int strings_parse(json_object *arr, const char *where, bool addrs,
			 struct cni_policy *p, struct cni_error *e)
{
	size_t i, n = json_object_array_length(arr);
	int max = addrs ? CNI_MAX_RESOLVERS : ARGS_MAX_HOSTS;
	const char *s;

	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(v, json_type_string))
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "%s[%zu] must be a string", where, i);
		s = json_object_get_string(v);
		if ((int)i == max)
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "%s: at most %d entries", where, max);
		if (addrs) {
			if (parse_addr(s, &p->resolver[p->n_resolvers]))
				return cni_error_set(e, CNI_ERR_CONFIG,
						     "%s[%zu]: '%s' is not an address",
						     where, i, s);
			p->n_resolvers++;
		} else {
			if (!*s || strlen(s) > 253)
				return cni_error_set(e, CNI_ERR_CONFIG,
						     "%s[%zu]: '%s' is not a host name pattern",
						     where, i, s);
			p->allow_host[p->n_allow_hosts++] = s;
		}
	}
	return 0;
}

static int policy_value(json_object *val, const char *where, const char *key,
			struct cni_policy *p, struct cni_error *e)
{
	const char *s;
	int64_t cap;
	char at[64];

	snprintf(at, sizeof(at), "%s.%s", where, key);
	if (!strcmp(key, "mode") || !strcmp(key, "floor")) {
		if (want_type(val, json_type_string, where, key, e))
			return -1;
		s = json_object_get_string(val);
		if (!strcmp(key, "mode")) {
			if (parse_policy_mode(s, &p->mode))
				return cni_error_set(e, CNI_ERR_CONFIG,
						     "%s: '%s' is not open or allowlist",
						     at, s);
			p->has_mode = true;
		} else {
			if (parse_floor(s, &p->floor))
				return cni_error_set(e, CNI_ERR_CONFIG,
						     "%s: '%s' is not default, strict or off",
						     at, s);
			p->has_floor = true;
		}
		return 0;
	}
	if (!strcmp(key, "flowCap")) {
		if (want_type(val, json_type_int, where, key, e))
			return -1;
		cap = json_object_get_int64(val);
		if (cap < 1 || cap > UINT32_MAX)
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "%s: %lld is not 1 to %u", at,
					     (long long)cap, UINT32_MAX);
		p->flow_cap = cap;
		p->has_flow_cap = true;
		return 0;
	}
	if (want_type(val, json_type_array, where, key, e))
		return -1;
	if (!strcmp(key, "allow"))
		return rules_parse(val, at, VMGW_RULE_ACTION_ALLOW, p, e);
	if (!strcmp(key, "deny"))
		return rules_parse(val, at, VMGW_RULE_ACTION_DENY, p, e);
	return strings_parse(val, at, !strcmp(key, "resolvers"), p, e);
}

/**
 * cni_policy_parse() - a policy object
 * @o: {"mode", "floor", "flowCap", "allow", "deny", "allowHosts",
 *	"resolvers"}, every key optional
 * @where: its place, for messages ("policy", "runtimeConfig.vmgw")
 * @runtime: from runtimeConfig: resolvers are the network's to choose
 * @p: filled in; strings point into @o
 * @e: the error, if any
 *
 * Return: 0, or -1 with code 2 (an unknown key) or 7.
 */
int cni_policy_parse(json_object *o, const char *where, bool runtime,
		     struct cni_policy *p, struct cni_error *e)
{
	static const char *const keys[] = {
		"mode", "floor", "flowCap", "allow", "deny", "allowHosts",
		"resolvers",
	};
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (!json_object_is_type(o, json_type_object))
		return cni_error_set(e, CNI_ERR_CONFIG, "%s must be an object",
				     where);
	json_object_object_foreach(o, key, val) {
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strcmp(key, keys[i]))
				break;
		if (i == ARRAY_SIZE(keys) ||
		    (runtime && !strcmp(key, "resolvers")))
			return field_refused(e, where, key, val);
		if (policy_value(val, where, key, p, e))
			return -1;
	}
	return 0;
}

/* Floors from the most open to the strictest. */
static int floor_rank(uint32_t floor)
{
	switch (floor) {
	case VMGW_FLOOR_MODE_OFF:
		return 0;
	case VMGW_FLOOR_MODE_DEFAULT:
		return 1;
	default:
		return 2;
	}
}

static int narrow_allow(struct cni_policy *net, const struct cni_policy *rt,
			bool net_open, struct cni_error *e)
{
	int i;

	for (i = 0; i < rt->n_rules; i++) {
		const struct rule_opts *r = &rt->rule[i];

		if (r->action != VMGW_RULE_ACTION_ALLOW)
			continue;
		if (!net_open || !rt->has_mode ||
		    rt->mode != VMGW_POLICY_MODE_ALLOWLIST)
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "runtimeConfig.%s.allow: allow rules only narrow an open network to an allowlist (mode allowlist)",
					     CNI_CAPABILITY);
		if (!r->has_proto || r->proto == IPPROTO_UDP)
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "runtimeConfig.%s.allow[%d]: needs a protocol other than udp (the network refuses UDP)",
					     CNI_CAPABILITY, i);
	}
	if (rt->n_allow_hosts && (!net_open || !rt->has_mode ||
				  rt->mode != VMGW_POLICY_MODE_ALLOWLIST))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "runtimeConfig.%s.allowHosts: allowed hosts only narrow an open network to an allowlist (mode allowlist)",
				     CNI_CAPABILITY);
	if (net->n_allow_hosts + rt->n_allow_hosts > ARGS_MAX_HOSTS)
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "policy and runtimeConfig: at most %d allowed hosts",
				     ARGS_MAX_HOSTS);
	for (i = 0; i < rt->n_allow_hosts; i++)
		net->allow_host[net->n_allow_hosts++] = rt->allow_host[i];
	return 0;
}

/**
 * cni_policy_narrow() - apply runtimeConfig's policy to the network's
 * @net: the network configuration's policy; becomes the result
 * @rt: runtimeConfig's
 * @e: the error, if any
 *
 * runtimeConfig only narrows (see the top of this file); what would widen
 * is refused with code 7, rather than silently dropped.
 *
 * Return: 0, or -1.
 */
int cni_policy_narrow(struct cni_policy *net, const struct cni_policy *rt,
		      struct cni_error *e)
{
	bool net_open = !net->has_mode || net->mode == VMGW_POLICY_MODE_OPEN;
	uint32_t cap = net->has_flow_cap ? net->flow_cap : FLOW_CAP_DEFAULT;
	uint32_t floor = net->has_floor ? net->floor : VMGW_FLOOR_MODE_DEFAULT;
	int i;

	if (rt->has_mode && rt->mode == VMGW_POLICY_MODE_OPEN && !net_open)
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "runtimeConfig.%s.mode: open would widen the network's allowlist",
				     CNI_CAPABILITY);
	if (rt->has_floor && floor_rank(rt->floor) < floor_rank(floor))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "runtimeConfig.%s.floor: %s is below the network's %s",
				     CNI_CAPABILITY, floor_name(rt->floor),
				     floor_name(floor));
	if (rt->has_flow_cap && rt->flow_cap > cap)
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "runtimeConfig.%s.flowCap: %u is above the network's %u",
				     CNI_CAPABILITY, rt->flow_cap, cap);
	if (narrow_allow(net, rt, net_open, e))
		return -1;
	if (net->n_rules + rt->n_rules > CNI_MAX_RULES)
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "policy and runtimeConfig: at most %d rules",
				     CNI_MAX_RULES);
	for (i = 0; i < rt->n_rules; i++)
		net->rule[net->n_rules++] = rt->rule[i];
	if (rt->has_mode) {
		net->mode = rt->mode;
		net->has_mode = true;
	}
	if (rt->has_floor) {
		net->floor = rt->floor;
		net->has_floor = true;
	}
	if (rt->has_flow_cap) {
		net->flow_cap = rt->flow_cap;
		net->has_flow_cap = true;
	}
	return 0;
}

static int addr_parse(json_object *o, const char *where, bool plen,
		      struct vm_addr *a, struct cni_error *e)
{
	const char *s = json_object_get_string(o);

	if (!json_object_is_type(o, json_type_string) ||
	    (plen ? parse_prefix(s, a) || !strchr(s, '/') : parse_addr(s, a)))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "%s: '%s' is not an address%s", where,
				     s ? s : "", plen ? " with a prefix length" : "");
	return 0;
}

/* One of prevResult.ips: the pod interface's addresses and gateways. */
static int prev_ip(json_object *ip, size_t i, struct cni_pod *pod,
		   struct cni_error *e)
{
	json_object *v, *gw;
	struct vm_addr a;
	char at[64];

	snprintf(at, sizeof(at), "prevResult.ips[%zu].address", i);
	if (!json_object_is_type(ip, json_type_object))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "prevResult.ips[%zu] must be an object", i);
	/* Without an index, an address is taken to be the pod interface's. */
	if (json_object_object_get_ex(ip, "interface", &v) &&
	    json_object_get_int(v) != pod->if_index)
		return 0;
	if (!json_object_object_get_ex(ip, "address", &v))
		return cni_error_set(e, CNI_ERR_CONFIG, "%s is required", at);
	if (addr_parse(v, at, true, &a, e))
		return -1;
	if (a.family == AF_INET && pod->has_ip4)
		return 0;	/* the first IPv4 address is the guest's */
	if (a.family == AF_INET) {
		pod->ip4 = a;
		pod->has_ip4 = true;
		if (json_object_object_get_ex(ip, "gateway", &gw)) {
			snprintf(at, sizeof(at), "prevResult.ips[%zu].gateway", i);
			if (addr_parse(gw, at, false, &pod->gw4, e))
				return -1;
			pod->has_gw4 = pod->gw4.family == AF_INET;
		}
	} else if (pod->n_ip6 < CNI_MAX_IP6) {
		pod->ip6[pod->n_ip6++] = a;
	}
	return 0;
}

/* The pod's interface (CNI_IFNAME, in a sandbox) and its addresses. */
static int prev_parse(json_object *prev, const char *ifname,
		      struct cni_pod *pod, struct cni_error *e)
{
	json_object *ifs, *ips, *v;
	size_t i, n;

	memset(pod, 0, sizeof(*pod));
	pod->if_index = -1;
	if (!json_object_is_type(prev, json_type_object))
		return cni_error_set(e, CNI_ERR_CONFIG, "prevResult must be an object");
	if (json_object_object_get_ex(prev, "interfaces", &ifs) &&
	    json_object_is_type(ifs, json_type_array)) {
		n = json_object_array_length(ifs);
		for (i = 0; i < n && pod->if_index < 0; i++) {
			json_object *it = json_object_array_get_idx(ifs, i), *sb;

			if (json_object_object_get_ex(it, "name", &v) &&
			    !strcmp(json_object_get_string(v), ifname) &&
			    json_object_object_get_ex(it, "sandbox", &sb) &&
			    *json_object_get_string(sb))
				pod->if_index = i;
		}
	}
	if (pod->if_index < 0)
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "prevResult has no interface %s in a sandbox: chain vmgw after the plugin that makes the pod's interface",
				     ifname);
	pod->ifname = ifname;
	v = json_object_array_get_idx(ifs, pod->if_index);
	if (json_object_object_get_ex(v, "mac", &v))
		pod->mac = json_object_get_string(v);
	if (json_object_object_get_ex(prev, "ips", &ips) &&
	    json_object_is_type(ips, json_type_array)) {
		n = json_object_array_length(ips);
		for (i = 0; i < n; i++)
			if (prev_ip(json_object_array_get_idx(ips, i), i, pod, e))
				return -1;
	}
	if (!pod->has_ip4 && !pod->n_ip6)
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "prevResult gives %s no address", ifname);
	return 0;
}

/* Keys of the spec's network configuration, and the plugin's own. */
static const char *const top_keys[] = {
	"cniVersion", "name", "type", "args", "ipMasq", "ipam", "dns",
	"capabilities", "runtimeConfig", "prevResult", "device", "policy",
};

static int top_parse(json_object *root, struct cni_conf *c,
		     struct cni_error *e)
{
	json_object *v;
	unsigned int i;

	json_object_object_foreach(root, key, val) {
		for (i = 0; i < ARRAY_SIZE(top_keys); i++)
			if (!strcmp(key, top_keys[i]))
				break;
		if (i == ARRAY_SIZE(top_keys))
			return field_refused(e, "", key, val);
	}
	if (!json_object_object_get_ex(root, "cniVersion", &v) ||
	    !json_object_is_type(v, json_type_string))
		return cni_error_set(e, CNI_ERR_CONFIG, "cniVersion is required");
	if (strcmp(json_object_get_string(v), CNI_VERSION))
		return cni_error_set(e, CNI_ERR_VERSION,
				     "CNI version %s is not supported (vmgw speaks %s)",
				     json_object_get_string(v), CNI_VERSION);
	if (!json_object_object_get_ex(root, "name", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !*json_object_get_string(v))
		return cni_error_set(e, CNI_ERR_CONFIG, "name is required");
	c->name = json_object_get_string(v);
	if (!json_object_object_get_ex(root, "type", &v) ||
	    !json_object_is_type(v, json_type_string))
		return cni_error_set(e, CNI_ERR_CONFIG, "type is required");
	c->device = CNI_DEFAULT_DEV;
	if (json_object_object_get_ex(root, "device", &v)) {
		if (!json_object_is_type(v, json_type_string) ||
		    !ifname_ok(json_object_get_string(v)))
			return cni_error_set(e, CNI_ERR_CONFIG,
					     "device: %s is not an interface name",
					     json_object_to_json_string(v));
		c->device = json_object_get_string(v);
	}
	return 0;
}

static int policies_parse(json_object *root, struct cni_conf *c,
			  struct cni_error *e)
{
	static struct cni_policy rt;
	json_object *v, *p;

	memset(&c->policy, 0, sizeof(c->policy));
	if (json_object_object_get_ex(root, "policy", &v) &&
	    cni_policy_parse(v, "policy", false, &c->policy, e))
		return -1;
	if (!json_object_object_get_ex(root, "runtimeConfig", &v))
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "runtimeConfig must be an object");
	/* Other capabilities' keys are other plugins' business. */
	if (!json_object_object_get_ex(v, CNI_CAPABILITY, &p))
		return 0;
	if (cni_policy_parse(p, "runtimeConfig." CNI_CAPABILITY, true, &rt, e))
		return -1;
	return cni_policy_narrow(&c->policy, &rt, e);
}

/**
 * cni_conf_parse() - the network configuration on stdin
 * @text: the configuration, NUL-terminated
 * @env: the parsed environment (its command and CNI_IFNAME matter)
 * @c: filled in; cni_conf_free() it, also after a failure
 * @e: the error, if any
 *
 * ADD and CHECK need prevResult with the pod's interface (CNI_IFNAME, in
 * a sandbox) and an address of it; DEL does not look at prevResult.
 *
 * Return: 0, or -1 with the spec's code: 6 not JSON, 1 another
 * cniVersion, 2 an unknown key, 7 anything else wrong.
 */
int cni_conf_parse(const char *text, const struct cni_env *env,
		   struct cni_conf *c, struct cni_error *e)
{
	enum json_tokener_error jerr;
	json_object *v;

	memset(c, 0, sizeof(*c));
	c->root = json_tokener_parse_verbose(text, &jerr);
	if (!c->root)
		return cni_error_set(e, CNI_ERR_DECODE,
				     "the network configuration is not JSON: %s",
				     json_tokener_error_desc(jerr));
	if (!json_object_is_type(c->root, json_type_object))
		return cni_error_set(e, CNI_ERR_DECODE,
				     "the network configuration is not a JSON object");
	if (top_parse(c->root, c, e) || policies_parse(c->root, c, e))
		return -1;
	if (env->cmd == CNI_DEL)
		return 0;
	if (!json_object_object_get_ex(c->root, "prevResult", &v))
		return cni_error_set(e, CNI_ERR_CONFIG,
				     "prevResult is required: chain vmgw after the pod's primary plugin");
	c->prev = v;
	return prev_parse(v, env->ifname, &c->pod, e);
}

/**
 * cni_conf_free() - release what cni_conf_parse() took
 * @c: the configuration
 */
void cni_conf_free(struct cni_conf *c)
{
	json_object_put(c->root);
	c->root = NULL;
}
