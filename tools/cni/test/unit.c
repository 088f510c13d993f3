// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the vmgw CNI plugin's pure parts: the CNI_* environment,
 * the network configuration with its policy, runtimeConfig and
 * prevResult, and the JSON it prints (result, VERSION, error), with the
 * spec's field names and error codes. Built with ASan and UBSan; no
 * module, no privileges. Prints "ok NAME" or "not ok NAME: why" per case;
 * exit status 1 if any failed.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <linux/vmgw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cni.h"

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

#define PREV \
	"\"prevResult\": {\"cniVersion\": \"1.0.0\", \"interfaces\": [" \
	"{\"name\": \"cni0\", \"mac\": \"aa:00:00:00:00:01\"}," \
	"{\"name\": \"veth1\", \"mac\": \"aa:00:00:00:00:02\"}," \
	"{\"name\": \"eth0\", \"mac\": \"0a:58:0a:58:00:05\", \"sandbox\": \"/run/netns/p\"}]," \
	"\"ips\": [{\"address\": \"10.88.0.5/16\", \"gateway\": \"10.88.0.1\", \"interface\": 2}," \
	"{\"address\": \"fd00::5/64\", \"gateway\": \"fd00::1\", \"interface\": 2}]," \
	"\"routes\": [{\"dst\": \"0.0.0.0/0\"}], \"dns\": {}}"
#define HEAD "\"cniVersion\": \"1.0.0\", \"name\": \"podnet\", \"type\": \"vmgw\""

static const struct cni_env env_add = {
	CNI_ADD, "ctr1", "/run/netns/p", "eth0", "/usr/lib/cni",
};

static const struct cni_env env_del = {
	CNI_DEL, "ctr1", NULL, "eth0", "/usr/lib/cni",
};

static struct cni_conf conf;
static struct cni_error err;

/* Parse @text for @env: 0 or the error code; err.msg has the message. */
static int parse(const char *text, const struct cni_env *env)
{
	int ret;

	memset(&err, 0, sizeof(err));
	cni_conf_free(&conf);
	ret = cni_conf_parse(text, env, &conf, &err);
	return ret ? err.code : 0;
}

/* @text fails with @code and a message containing @msg. */
static bool refused(const char *text, int code, const char *msg)
{
	int got = parse(text, &env_add);

	CHECK(got == code, "code %d (\"%s\"), want %d", got, err.msg, code);
	CHECK(strstr(err.msg, msg), "message \"%s\" lacks \"%s\"", err.msg, msg);
	return true;
}

static bool t_env(void)
{
	static const char *const none[] = { NULL };
	static const char *const bad[] = { "CNI_COMMAND=GC", NULL };
	static const char *const version[] = { "CNI_COMMAND=VERSION", NULL };
	static const char *const add_no_ns[] = { "CNI_COMMAND=ADD", "CNI_CONTAINERID=c1",
			      "CNI_IFNAME=eth0", "CNI_PATH=/opt/cni/bin", NULL };
	static const char *const del_no_ns[] = { "CNI_COMMAND=DEL", "CNI_CONTAINERID=c1",
			      "CNI_IFNAME=eth0", "CNI_PATH=/opt/cni/bin", NULL };
	static const char *const bad_id[] = { "CNI_COMMAND=DEL", "CNI_CONTAINERID=a/b",
			   "CNI_IFNAME=eth0", "CNI_PATH=/opt/cni/bin", NULL };
	static const char *const bad_if[] = { "CNI_COMMAND=DEL", "CNI_CONTAINERID=c1",
			   "CNI_IFNAME=eth0/x", "CNI_PATH=/opt/cni/bin", NULL };
	struct cni_env env;

	CHECK(cni_env_parse(none, &env, &err) && err.code == CNI_ERR_ENV,
	      "no CNI_COMMAND: code %d", err.code);
	CHECK(cni_env_parse(bad, &env, &err) && err.code == 4 &&
	      strstr(err.msg, "'GC'"), "GC: %d %s", err.code, err.msg);
	CHECK(!cni_env_parse(version, &env, &err) && env.cmd == CNI_VERSION_CMD,
	      "VERSION needs nothing else: %s", err.msg);
	CHECK(cni_env_parse(add_no_ns, &env, &err) && err.code == 4 &&
	      strstr(err.msg, "CNI_NETNS"), "ADD without CNI_NETNS: %s", err.msg);
	CHECK(!cni_env_parse(del_no_ns, &env, &err) && !env.netns,
	      "DEL without CNI_NETNS: %s", err.msg);
	CHECK(cni_env_parse(bad_id, &env, &err) && err.code == 4,
	      "container id a/b accepted");
	CHECK(cni_env_parse(bad_if, &env, &err) && err.code == 4,
	      "interface eth0/x accepted");
	return true;
}

static bool t_decode(void)
{
	return refused("{\"cniVersion\": ", CNI_ERR_DECODE, "not JSON") &&
	       refused("[1, 2]", CNI_ERR_DECODE, "not a JSON object");
}

static bool t_version(void)
{
	return refused("{\"cniVersion\": \"0.4.0\", \"name\": \"n\", \"type\": \"vmgw\", " PREV "}",
		       CNI_ERR_VERSION, "0.4.0") &&
	       refused("{\"name\": \"n\", \"type\": \"vmgw\"}", CNI_ERR_CONFIG,
		       "cniVersion is required");
}

static bool t_required(void)
{
	return refused("{\"cniVersion\": \"1.0.0\", \"type\": \"vmgw\"}",
		       CNI_ERR_CONFIG, "name is required") &&
	       refused("{\"cniVersion\": \"1.0.0\", \"name\": \"n\"}",
		       CNI_ERR_CONFIG, "type is required") &&
	       refused("{" HEAD ", \"device\": \"a-name-far-too-long\", " PREV "}",
		       CNI_ERR_CONFIG, "device");
}

/* Code 2 names the key and its value. */
static bool t_unknown(void)
{
	return refused("{" HEAD ", \"polcy\": {\"mode\": \"open\"}, " PREV "}",
		       CNI_ERR_FIELD, "polcy: {\"mode\":\"open\"}") &&
	       refused("{" HEAD ", \"policy\": {\"flor\": \"strict\"}, " PREV "}",
		       CNI_ERR_FIELD, "policy.flor: \"strict\"") &&
	       refused("{" HEAD ", \"policy\": {\"deny\": [{\"dst\": \"10.0.0.0/8\", \"port\": \"80\"}]}, " PREV "}",
		       CNI_ERR_FIELD, "policy.deny[0].port: \"80\"");
}

static bool t_policy_values(void)
{
	return refused("{" HEAD ", \"policy\": {\"mode\": \"closed\"}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.mode: 'closed' is not open or allowlist") &&
	       refused("{" HEAD ", \"policy\": {\"floor\": 1}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.floor must be a string") &&
	       refused("{" HEAD ", \"policy\": {\"deny\": [{\"dst\": \"10.0.0.0/33\"}]}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.deny[0].dst: '10.0.0.0/33' is not an address prefix") &&
	       refused("{" HEAD ", \"policy\": {\"allow\": [{\"proto\": \"tcp\"}]}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.allow[0].dst is required") &&
	       refused("{" HEAD ", \"policy\": {\"allow\": [{\"dst\": \"::/0\", \"ports\": \"80\"}]}, " PREV "}",
		       CNI_ERR_CONFIG, "ports needs proto tcp or udp") &&
	       refused("{" HEAD ", \"policy\": {\"allow\": [{\"dst\": \"::/0\", \"proto\": \"tcp\", \"ports\": \"90-80\"}]}, " PREV "}",
		       CNI_ERR_CONFIG, "'90-80' is not PORT or PORT-PORT") &&
	       refused("{" HEAD ", \"policy\": {\"flowCap\": 0}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.flowCap: 0 is not 1 to") &&
	       refused("{" HEAD ", \"policy\": {\"flowCap\": \"9\"}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.flowCap must be an integer") &&
	       refused("{" HEAD ", \"policy\": {\"resolvers\": [\"dns.example\"]}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.resolvers[0]: 'dns.example' is not an address") &&
	       refused("{" HEAD ", \"policy\": {\"allowHosts\": [7]}, " PREV "}",
		       CNI_ERR_CONFIG, "policy.allowHosts[0] must be a string");
}

static bool t_prev(void)
{
	CHECK(parse("{" HEAD "}", &env_del) == 0, "DEL without prevResult: %s",
	      err.msg);
	return refused("{" HEAD "}", CNI_ERR_CONFIG, "prevResult is required") &&
	       refused("{" HEAD ", \"prevResult\": {\"interfaces\": [{\"name\": \"eth0\"}], \"ips\": [{\"address\": \"10.0.0.2/24\"}]}}",
		       CNI_ERR_CONFIG, "no interface eth0 in a sandbox") &&
	       refused("{" HEAD ", \"prevResult\": {\"interfaces\": [{\"name\": \"eth0\", \"sandbox\": \"/x\"}], \"ips\": [{\"address\": \"10.0.0.2\"}]}}",
		       CNI_ERR_CONFIG, "prevResult.ips[0].address: '10.0.0.2' is not an address with a prefix length") &&
	       refused("{" HEAD ", \"prevResult\": {\"interfaces\": [{\"name\": \"eth0\", \"sandbox\": \"/x\"}], \"ips\": []}}",
		       CNI_ERR_CONFIG, "prevResult gives eth0 no address");
}

static bool t_good(void)
{
	char ip[INET6_ADDRSTRLEN];
	const struct cni_policy *p = &conf.policy;

	CHECK(!parse("{" HEAD ", \"policy\": {\"mode\": \"allowlist\", \"floor\": \"strict\", "
		     "\"flowCap\": 512, \"allow\": [{\"dst\": \"10.88.0.10/32\", \"proto\": \"tcp\", \"ports\": \"80-81\"}], "
		     "\"deny\": [{\"dst\": \"10.88.0.1\"}], \"allowHosts\": [\"*.debian.org\"], "
		     "\"resolvers\": [\"10.88.0.1\"]}, \"capabilities\": {\"vmgw\": true}, "
		     "\"args\": {\"cni\": {}}, \"dns\": {}, " PREV "}", &env_add),
	      "refused: %s", err.msg);
	CHECK(!strcmp(conf.device, "vmgw0") && !strcmp(conf.name, "podnet"),
	      "device %s, name %s", conf.device, conf.name);
	CHECK(p->has_mode && p->mode == VMGW_POLICY_MODE_ALLOWLIST &&
	      p->has_floor && p->floor == VMGW_FLOOR_MODE_STRICT &&
	      p->has_flow_cap && p->flow_cap == 512, "mode, floor or flow cap");
	CHECK(p->n_rules == 2 && p->rule[0].action == VMGW_RULE_ACTION_ALLOW &&
	      p->rule[0].prefix.plen == 32 && p->rule[0].has_ports &&
	      p->rule[0].port_min == 80 && p->rule[0].port_max == 81 &&
	      p->rule[0].proto == IPPROTO_TCP &&
	      p->rule[1].action == VMGW_RULE_ACTION_DENY &&
	      !p->rule[1].has_proto && p->rule[1].prefix.plen == 32,
	      "rules: %d", p->n_rules);
	CHECK(p->n_allow_hosts == 1 && !strcmp(p->allow_host[0], "*.debian.org") &&
	      p->n_resolvers == 1, "hosts or resolvers");
	CHECK(conf.pod.if_index == 2 && !strcmp(conf.pod.mac, "0a:58:0a:58:00:05"),
	      "pod interface %d", conf.pod.if_index);
	inet_ntop(AF_INET, conf.pod.ip4.addr, ip, sizeof(ip));
	CHECK(conf.pod.has_ip4 && !strcmp(ip, "10.88.0.5") &&
	      conf.pod.ip4.plen == 16, "pod IPv4 %s/%u", ip, conf.pod.ip4.plen);
	inet_ntop(AF_INET, conf.pod.gw4.addr, ip, sizeof(ip));
	CHECK(conf.pod.has_gw4 && !strcmp(ip, "10.88.0.1"), "gateway %s", ip);
	CHECK(conf.pod.n_ip6 == 1, "IPv6 addresses: %d", conf.pod.n_ip6);
	return true;
}

static bool t_device(void)
{
	CHECK(!parse("{" HEAD ", \"device\": \"vm0\", " PREV "}", &env_add),
	      "refused: %s", err.msg);
	CHECK(!strcmp(conf.device, "vm0"), "device %s", conf.device);
	return true;
}

#define RT(net, rt) "{" HEAD ", \"policy\": " net ", \"runtimeConfig\": {\"vmgw\": " rt \
	", \"portMappings\": []}, " PREV "}"

/* runtimeConfig narrows: stricter floor and mode, lower cap, more denies. */
static bool t_narrow(void)
{
	const struct cni_policy *p = &conf.policy;

	CHECK(!parse(RT("{\"deny\": [{\"dst\": \"10.1.0.0/16\"}], \"flowCap\": 100}",
			"{\"floor\": \"strict\", \"mode\": \"allowlist\", \"flowCap\": 50, "
			"\"deny\": [{\"dst\": \"10.2.0.0/16\"}], "
			"\"allow\": [{\"dst\": \"10.88.0.9/32\", \"proto\": \"tcp\", \"ports\": \"443\"}], "
			"\"allowHosts\": [\"example.com\"]}"), &env_add),
	      "refused: %s", err.msg);
	CHECK(p->floor == VMGW_FLOOR_MODE_STRICT && p->mode == VMGW_POLICY_MODE_ALLOWLIST &&
	      p->flow_cap == 50, "floor %u mode %u cap %u", p->floor, p->mode,
	      p->flow_cap);
	CHECK(p->n_rules == 3 && p->n_allow_hosts == 1, "rules %d hosts %d",
	      p->n_rules, p->n_allow_hosts);
	return true;
}

/* What would widen the network's policy is refused, not dropped. */
static bool t_widen(void)
{
	return refused(RT("{\"floor\": \"strict\"}", "{\"floor\": \"default\"}"),
		       CNI_ERR_CONFIG, "floor: default is below the network's strict") &&
	       refused(RT("{}", "{\"floor\": \"off\"}"),
		       CNI_ERR_CONFIG, "floor: off is below the network's default") &&
	       refused(RT("{\"mode\": \"allowlist\"}", "{\"mode\": \"open\"}"),
		       CNI_ERR_CONFIG, "open would widen") &&
	       refused(RT("{\"flowCap\": 10}", "{\"flowCap\": 11}"),
		       CNI_ERR_CONFIG, "11 is above the network's 10") &&
	       refused(RT("{}", "{\"flowCap\": 5000}"),
		       CNI_ERR_CONFIG, "5000 is above the network's 4096") &&
	       refused(RT("{}", "{\"allow\": [{\"dst\": \"0.0.0.0/0\", \"proto\": \"tcp\"}]}"),
		       CNI_ERR_CONFIG, "allow rules only narrow") &&
	       refused(RT("{}", "{\"mode\": \"allowlist\", \"allow\": [{\"dst\": \"0.0.0.0/0\", \"proto\": \"udp\"}]}"),
		       CNI_ERR_CONFIG, "other than udp") &&
	       refused(RT("{}", "{\"mode\": \"allowlist\", \"allow\": [{\"dst\": \"0.0.0.0/0\"}]}"),
		       CNI_ERR_CONFIG, "other than udp") &&
	       refused(RT("{\"mode\": \"allowlist\"}", "{\"mode\": \"allowlist\", \"allow\": [{\"dst\": \"0.0.0.0/0\", \"proto\": \"tcp\"}]}"),
		       CNI_ERR_CONFIG, "allow rules only narrow") &&
	       refused(RT("{}", "{\"allowHosts\": [\"example.com\"]}"),
		       CNI_ERR_CONFIG, "allowed hosts only narrow") &&
	       refused(RT("{}", "{\"resolvers\": [\"192.0.2.53\"]}"),
		       CNI_ERR_FIELD, "runtimeConfig.vmgw.resolvers: [\"192.0.2.53\"]");
}

static bool t_error_json(void)
{
	struct cni_error e = { .code = 7 };
	char *s;
	bool ok;

	strcpy(e.msg, "policy.mode: \"x\"");
	s = cni_error_json(&e);
	ok = s && !strcmp(s, "{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"policy.mode: \\\"x\\\"\"}");
	CHECK(ok, "got %s", s ? s : "NULL");
	free(s);
	strcpy(e.details, "Error: tc: exit status 2");
	s = cni_error_json(&e);
	ok = s && strstr(s, ",\"details\":\"Error: tc: exit status 2\"}");
	CHECK(ok, "got %s", s ? s : "NULL");
	free(s);
	return true;
}

static bool t_version_json(void)
{
	char *s = cni_version_json();
	bool ok = s && !strcmp(s, "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"1.0.0\"]}");

	CHECK(ok, "got %s", s ? s : "NULL");
	free(s);
	return true;
}

static const char *str_at(json_object *o, const char *path)
{
	json_object *v = o;
	char key[64];
	const char *p = path;

	while (*p && v) {
		size_t n = strcspn(p, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (key[0] >= '0' && key[0] <= '9')
			v = json_object_array_get_idx(v, atoi(key));
		else if (!json_object_object_get_ex(v, key, &v))
			v = NULL;
		p += n + (p[n] == '.');
	}
	return v ? json_object_get_string(v) : NULL;
}

static bool t_result(void)
{
	json_object *r;
	const char *s;
	char *out;

	CHECK(!parse("{" HEAD ", \"policy\": {\"resolvers\": [\"10.88.0.53\"]}, " PREV "}",
		     &env_add), "refused: %s", err.msg);
	out = cni_result_json(&conf, "/run/netns/p", "0a:58:0a:58:00:05");
	CHECK(out, "no result");
	r = json_tokener_parse(out);
	free(out);
	CHECK(r, "result is not JSON");
#define WANT(path, val) do {						\
		s = str_at(r, path);					\
		if (!s || strcmp(s, val)) {				\
			snprintf(why, sizeof(why), "%s is %s, want %s",	\
				 path, s ? s : "missing", val);		\
			json_object_put(r);				\
			return false;					\
		}							\
	} while (0)
	WANT("cniVersion", "1.0.0");
	WANT("interfaces.2.name", "eth0");
	WANT("interfaces.3.name", "vmgw0");
	WANT("interfaces.3.mac", "0a:58:0a:58:00:05");
	WANT("interfaces.3.sandbox", "/run/netns/p");
	WANT("ips.0.interface", "2");
	WANT("ips.2.address", "10.88.0.5/16");
	WANT("ips.2.gateway", "10.88.0.1");
	WANT("ips.2.interface", "3");
	WANT("ips.3.address", "fd00::5/64");
	WANT("ips.3.interface", "3");
	WANT("routes.0.dst", "0.0.0.0/0");
	WANT("dns.nameservers.0", "10.88.0.53");
	CHECK(json_object_array_length(json_object_object_get(r, "ips")) == 4,
	      "ips: not 4 entries");
	json_object_put(r);
	return true;
}

int main(void)
{
	run("env: CNI_COMMAND and the variables each command needs", t_env);
	run("config: not JSON is code 6", t_decode);
	run("config: another cniVersion is code 1", t_version);
	run("config: name and type required, device an interface name", t_required);
	run("config: unknown keys are code 2 with key and value", t_unknown);
	run("config: policy values checked, code 7 naming the field", t_policy_values);
	run("config: prevResult required for ADD, with the pod's interface", t_prev);
	run("config: a full policy and prevResult parse", t_good);
	run("config: device name", t_device);
	run("runtimeConfig: narrows the network's policy", t_narrow);
	run("runtimeConfig: what would widen it is refused", t_widen);
	run("error JSON: cniVersion, code, msg, details", t_error_json);
	run("VERSION JSON", t_version_json);
	run("result: prevResult plus vmgw0, the guest's ips and dns", t_result);
	cni_conf_free(&conf);
	return failed ? 1 : 0;
}
