/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vmgw CNI plugin: CNI 1.0.0 configuration, errors and results
 * (conf.c, result.c), and the gateway it builds in a pod's namespace
 * (redirect.c). The parsing is pure, so test/unit.c runs it without
 * privileges. Only conf.c and result.c see json-c (its json_bool would
 * clash with vmgwctl's JSON writer).
 */
#ifndef VMGW_CNI_H
#define VMGW_CNI_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "../vmgwctl/args.h"

struct json_object;

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define CNI_VERSION		"1.0.0"
#define CNI_DEFAULT_DEV		"vmgw0"
#define CNI_MAX_RULES		256
#define CNI_MAX_IP6		4
#define CNI_MAX_RESOLVERS	4
#define CNI_CAPABILITY		"vmgw"	/* runtimeConfig key */

/* The spec's error codes (1 to 99 are the spec's, 100 on the plugin's). */
enum cni_code {
	CNI_ERR_VERSION = 1,	/* incompatible CNI version */
	CNI_ERR_FIELD = 2,	/* unsupported field in network configuration */
	CNI_ERR_CONTAINER = 3,	/* container unknown or does not exist */
	CNI_ERR_ENV = 4,	/* invalid necessary environment variables */
	CNI_ERR_IO = 5,		/* I/O failure */
	CNI_ERR_DECODE = 6,	/* failed to decode content */
	CNI_ERR_CONFIG = 7,	/* invalid network config */
	CNI_ERR_AGAIN = 11,	/* try again later */
	CNI_ERR_CHECK = 100,	/* CHECK: the gateway is not as configured */
	CNI_ERR_SETUP = 101,	/* ADD: building the gateway failed */
};

struct cni_error {
	int code;
	char msg[256];
	char details[4096];
};

enum cni_cmd { CNI_ADD, CNI_DEL, CNI_CHECK, CNI_VERSION_CMD };

/* The CNI_* environment variables. */
struct cni_env {
	enum cni_cmd cmd;
	const char *containerid;
	const char *netns;
	const char *ifname;
	const char *path;
};

/* A policy as the network configuration or runtimeConfig gives it. */
struct cni_policy {
	bool has_mode, has_floor, has_flow_cap;
	uint32_t mode;			/* VMGW_POLICY_MODE_* */
	uint32_t floor;			/* VMGW_FLOOR_MODE_* */
	uint32_t flow_cap;
	struct rule_opts rule[CNI_MAX_RULES];
	int n_rules;
	const char *allow_host[ARGS_MAX_HOSTS];
	int n_allow_hosts;
	struct vm_addr resolver[CNI_MAX_RESOLVERS];
	int n_resolvers;
};

/* The pod's interface and addresses, from prevResult. */
struct cni_pod {
	const char *ifname;
	int if_index;			/* in prevResult.interfaces */
	const char *mac;		/* as prevResult gives it, or NULL */
	bool has_ip4, has_gw4;
	struct vm_addr ip4, gw4;	/* ip4 with its prefix length */
	struct vm_addr ip6[CNI_MAX_IP6];
	int n_ip6;
};

struct cni_conf {
	struct json_object *root;		/* owns every string below */
	const char *name;
	const char *device;		/* the vmgw device in the pod */
	struct cni_policy policy;	/* network config narrowed by runtimeConfig */
	struct json_object *prev;		/* prevResult, or NULL */
	struct cni_pod pod;
};

__printf(3, 4)
int cni_error_set(struct cni_error *e, int code, const char *fmt, ...);
int cni_env_parse(const char *const *envp, struct cni_env *env,
		  struct cni_error *e);
int cni_conf_parse(const char *text, const struct cni_env *env,
		   struct cni_conf *c, struct cni_error *e);
void cni_conf_free(struct cni_conf *c);
int cni_policy_parse(struct json_object *o, const char *where, bool runtime,
		     struct cni_policy *p, struct cni_error *e);
int cni_policy_narrow(struct cni_policy *net, const struct cni_policy *rt,
		      struct cni_error *e);

char *cni_error_json(const struct cni_error *e);
char *cni_version_json(void);
char *cni_result_json(const struct cni_conf *c, const char *netns,
		      const char *dev_mac);

int cni_add(const struct cni_conf *c, const struct cni_env *env,
	    char *dev_mac, struct cni_error *e);
int cni_del(const struct cni_conf *c, const struct cni_env *env,
	    struct cni_error *e);
int cni_check(const struct cni_conf *c, const struct cni_env *env,
	      struct cni_error *e);

#endif /* VMGW_CNI_H */
