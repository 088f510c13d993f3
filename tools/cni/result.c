// SPDX-License-Identifier: GPL-2.0
/*
 * The plugin's output (CNI 1.0.0): the result of ADD, the answer to
 * VERSION and the error object, each as one line of JSON.
 *
 * The result is prevResult with the vmgw device added to "interfaces"
 * (its "sandbox" the pod's namespace, its "mac" the one the guest must
 * use) and the guest's addresses added to "ips" once more with that
 * interface's index, with the gateway prevResult gives them: the VM
 * runtime opens /dev/vmgw (or /dev/vhost-vmgw) in that sandbox for that
 * device and configures the guest with those addresses, gateway and
 * "dns".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cni.h"

static char *json_dup(json_object *o)
{
	char *s = strdup(json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

/**
 * cni_error_json() - the spec's error object
 * @e: the error
 *
 * Return: {"cniVersion", "code", "msg"[, "details"]}, malloc'd, or NULL.
 */
char *cni_error_json(const struct cni_error *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "cniVersion", json_object_new_string(CNI_VERSION));
	json_object_object_add(o, "code", json_object_new_int(e->code));
	json_object_object_add(o, "msg", json_object_new_string(e->msg));
	if (e->details[0])
		json_object_object_add(o, "details",
				       json_object_new_string(e->details));
	return json_dup(o);
}

/**
 * cni_version_json() - the answer to VERSION
 *
 * Return: {"cniVersion", "supportedVersions"}, malloc'd, or NULL.
 */
char *cni_version_json(void)
{
	json_object *o = json_object_new_object(), *v = json_object_new_array();

	json_object_array_add(v, json_object_new_string(CNI_VERSION));
	json_object_object_add(o, "cniVersion", json_object_new_string(CNI_VERSION));
	json_object_object_add(o, "supportedVersions", v);
	return json_dup(o);
}

static json_object *array_of(json_object *o, const char *key)
{
	json_object *a;

	if (json_object_object_get_ex(o, key, &a) &&
	    json_object_is_type(a, json_type_array))
		return a;
	a = json_object_new_array();
	json_object_object_add(o, key, a);
	return a;
}

/* The pod interface's entries of "ips" again, for the vmgw interface. */
static void guest_ips(json_object *res, const struct cni_conf *c, int idx)
{
	json_object *ips = array_of(res, "ips"), *v;
	size_t i, n = json_object_array_length(ips);

	for (i = 0; i < n; i++) {
		json_object *ip = json_object_array_get_idx(ips, i), *copy = NULL;

		if (json_object_object_get_ex(ip, "interface", &v) &&
		    json_object_get_int(v) != c->pod.if_index)
			continue;
		if (json_object_deep_copy(ip, &copy, NULL) || !copy)
			continue;
		json_object_object_add(copy, "interface", json_object_new_int(idx));
		json_object_array_add(ips, copy);
	}
}

/* "dns": prevResult's, with the configured resolvers if it has none. */
static void guest_dns(json_object *res, const struct cni_conf *c)
{
	json_object *dns, *ns;
	char buf[INET6_ADDRSTRLEN];
	int i;

	if (!c->policy.n_resolvers)
		return;
	if (!json_object_object_get_ex(res, "dns", &dns) ||
	    !json_object_is_type(dns, json_type_object)) {
		dns = json_object_new_object();
		json_object_object_add(res, "dns", dns);
	}
	if (json_object_object_get_ex(dns, "nameservers", &ns) &&
	    json_object_is_type(ns, json_type_array) &&
	    json_object_array_length(ns))
		return;
	ns = json_object_new_array();
	for (i = 0; i < c->policy.n_resolvers; i++) {
		const struct vm_addr *a = &c->policy.resolver[i];

		inet_ntop(a->family, a->addr, buf, sizeof(buf));
		json_object_array_add(ns, json_object_new_string(buf));
	}
	json_object_object_add(dns, "nameservers", ns);
}

/**
 * cni_result_json() - the result of ADD
 * @c: the configuration, with prevResult
 * @netns: the pod's namespace (CNI_NETNS), the device's sandbox
 * @guest_mac: the MAC the guest must use
 *
 * Return: the result, malloc'd, or NULL.
 */
char *cni_result_json(const struct cni_conf *c, const char *netns,
		      const char *guest_mac)
{
	json_object *res = NULL, *ifs, *it;
	int idx;

	if (json_object_deep_copy(c->prev, &res, NULL) || !res)
		return NULL;
	json_object_object_add(res, "cniVersion", json_object_new_string(CNI_VERSION));
	ifs = array_of(res, "interfaces");
	it = json_object_new_object();
	json_object_object_add(it, "name", json_object_new_string(c->device));
	json_object_object_add(it, "mac", json_object_new_string(guest_mac));
	json_object_object_add(it, "sandbox", json_object_new_string(netns));
	idx = json_object_array_length(ifs);
	json_object_array_add(ifs, it);
	guest_ips(res, c, idx);
	guest_dns(res, c);
	return json_dup(res);
}
