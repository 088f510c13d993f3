// SPDX-License-Identifier: GPL-2.0
/*
 * The gateway in the pod's namespace, the way Kata Containers' "TC
 * filter" and the tc-redirect-tap plugin connect a TAP: the guest owns
 * the pod's IP and MAC; a vmgw device sits next to the pod's interface
 * (the primary plugin's, e.g. bridge's veth), and two tc ingress filters
 * pass every frame between them (matchall, mirred egress redirect).
 * What the guest writes to /dev/vmgw is judged by the device's policy
 * (anti-spoof bound to the pod's addresses and MAC, floor, rules, flows)
 * before it reaches the redirect; nothing of either direction touches the
 * pod namespace's own stack.
 *
 * Nothing is kept on disk: DEL finds the device by its configured name
 * and the pod interface's filter by its priority (TC_PREF).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/vmgw.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../vmgwctl/attrs.h"
#include "../vmgwctl/exec.h"
#include "../vmgwctl/nl.h"
#include "../vmgwctl/vmgwctl.h"
#include "cni.h"

#define TC_PREF		"30317"		/* the filters this plugin adds */
#define TC_OUT_MAX	8192

struct link {
	bool exists, up;
	unsigned int mtu;
	unsigned char mac[6];
};

/* What ADD made so far, for its undo. */
struct made {
	bool dev, pod_qdisc;
};

/* The pod's namespace; a missing one is code 3, other failures 5. */
static int ns_open(const char *path, struct cni_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		cni_error_set(e, errno == ENOENT ? CNI_ERR_CONTAINER : CNI_ERR_IO,
			      "netns %s: %s", path, strerror(errno));
	return fd;
}

/* Name, flags, MTU and MAC of a link of the namespace of @nsfd. */
static int link_get(int nsfd, const char *name, struct link *l)
{
	struct ifreq ifr = {};
	int saved, sk, err = 0;

	memset(l, 0, sizeof(*l));
	saved = netns_enter(nsfd, "CNI_NETNS");
	if (saved < 0)
		return -1;
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (netns_leave(saved) || sk < 0) {
		if (sk >= 0)
			close(sk);
		return -1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(sk, SIOCGIFFLAGS, &ifr)) {
		err = errno == ENODEV ? 0 : -1;
		goto close_sk;
	}
	l->exists = true;
	l->up = ifr.ifr_flags & IFF_UP;
	/* ifr_mtu and ifr_hwaddr share a union: one at a time. */
	if (ioctl(sk, SIOCGIFMTU, &ifr)) {
		err = -1;
		goto close_sk;
	}
	l->mtu = ifr.ifr_mtu;
	if (ioctl(sk, SIOCGIFHWADDR, &ifr)) {
		err = -1;
		goto close_sk;
	}
	memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
close_sk:
	close(sk);
	return err;
}

static void mac_str(const unsigned char *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

/*
 * Whether @dev's ingress holds this plugin's filter (@ours) and whether
 * that redirects to @to (@to_dev). A filter whose target was deleted is
 * still ours.
 */
static int tc_filter_find(int nsfd, const char *dev, const char *to,
			  bool *ours, bool *to_dev)
{
	static char out[TC_OUT_MAX];
	char want[64];
	char *f;

	*ours = false;
	*to_dev = false;
	if (run_cmd_out(nsfd, (const char *const []){ "tc", "filter", "show",
			"dev", dev, "ingress", NULL }, out, sizeof(out)))
		return -1;
	f = strstr(out, "pref " TC_PREF " matchall");
	*ours = !!f;
	snprintf(want, sizeof(want), "Redirect to device %s)", to);
	*to_dev = f && strstr(f, want);
	return 0;
}

/* Whether @dev's ingress redirects everything to @to, as ADD made it. */
static int tc_redirects(int nsfd, const char *dev, const char *to, bool *yes)
{
	bool ours;

	return tc_filter_find(nsfd, dev, to, &ours, yes);
}

/* An ingress qdisc on @dev and the filter sending all to @to's egress. */
static int tc_redirect(int nsfd, const char *dev, const char *to, bool *qdisc)
{
	if (RUN(nsfd, NULL, "tc", "qdisc", "add", "dev", dev, "ingress"))
		return -1;
	if (qdisc)
		*qdisc = true;
	return RUN(nsfd, NULL, "tc", "filter", "add", "dev", dev, "ingress",
		   "pref", TC_PREF, "matchall", "action", "mirred", "egress",
		   "redirect", "dev", to);
}

/* Take the pod interface's filter (and the qdisc, if it is left empty). */
static int tc_unredirect(int nsfd, const char *dev, const char *to)
{
	static char out[TC_OUT_MAX];
	bool ours, to_dev;

	if (tc_filter_find(nsfd, dev, to, &ours, &to_dev))
		return -1;
	if (ours && RUN(nsfd, NULL, "tc", "filter", "del", "dev", dev,
			"ingress", "pref", TC_PREF))
		return -1;
	if (run_cmd_out(nsfd, (const char *const []){ "tc", "filter", "show",
			"dev", dev, "ingress", NULL }, out, sizeof(out)))
		return 0;	/* no ingress qdisc: nothing left */
	if (ours && !out[0] &&
	    RUN(nsfd, NULL, "tc", "qdisc", "del", "dev", dev, "ingress"))
		return -1;
	return 0;
}

/* The device and its policy: pod MAC and addresses, mode, floor, ... */
static void dev_opts_fill(const struct cni_conf *c, const char *netns,
			  const struct link *pod, struct dev_opts *o)
{
	const struct cni_policy *p = &c->policy;
	int i;

	memset(o, 0, sizeof(*o));
	o->name = c->device;
	o->netns = netns;
	o->has_mtu = true;
	o->mtu = pod->mtu;
	o->has_guest_mac = true;
	memcpy(o->guest_mac, pod->mac, 6);
	if (c->pod.has_ip4) {
		o->has_guest_ip4 = true;
		memcpy(o->guest_ip4, c->pod.ip4.addr, 4);
	}
	for (i = 0; i < c->pod.n_ip6; i++)
		o->guest_ip6[o->n_guest_ip6++] = c->pod.ip6[i];
	o->has_mode = p->has_mode;
	o->mode = p->mode;
	o->has_floor = p->has_floor;
	o->floor = p->floor;
	o->has_flow_cap = p->has_flow_cap;
	o->flow_cap = p->flow_cap;
	for (i = 0; i < p->n_resolvers; i++)
		o->resolver[o->n_resolver++] = p->resolver[i];
	for (i = 0; i < p->n_allow_hosts; i++)
		o->allow_host[o->n_allow_host++] = p->allow_host[i];
}

static int rules_add(int nsfd, const struct cni_conf *c)
{
	struct rule_opts r;
	int saved, i, err = 0;

	if (!c->policy.n_rules)
		return 0;
	saved = netns_enter(nsfd, "CNI_NETNS");
	if (saved < 0)
		return -1;
	for (i = 0; i < c->policy.n_rules && !err; i++) {
		r = c->policy.rule[i];
		r.name = c->device;
		err = vmgw_rule_change(RULE_ADD, &r);
	}
	if (netns_leave(saved))
		err = -1;
	return err ? -1 : 0;
}

static void add_undo(int nsfd, const struct cni_conf *c,
		     const struct cni_env *env, const struct made *m)
{
	struct dev_opts o = { .name = c->device, .netns = env->netns };

	if (m->pod_qdisc)
		RUN(nsfd, NULL, "tc", "qdisc", "del", "dev", env->ifname,
		    "ingress");
	if (m->dev)
		vmgw_dev_del(&o);
}

static int add_build(int nsfd, const struct cni_conf *c,
		     const struct cni_env *env, const struct link *pod,
		     struct made *m, struct cni_error *e)
{
	struct dev_opts o;

	dev_opts_fill(c, env->netns, pod, &o);
	if (vmgw_dev_add(&o))
		return cni_error_set(e, CNI_ERR_SETUP,
				     "creating %s with its policy in %s failed",
				     c->device, env->netns);
	m->dev = true;
	if (rules_add(nsfd, c))
		return cni_error_set(e, CNI_ERR_SETUP,
				     "adding the rules of %s failed", c->device);
	if (RUN(nsfd, NULL, "ip", "link", "set", c->device, "up") ||
	    tc_redirect(nsfd, c->device, env->ifname, NULL))
		return cni_error_set(e, CNI_ERR_SETUP,
				     "redirecting %s to %s failed", c->device,
				     env->ifname);
	/* Last: from here on the pod's traffic goes to the guest. */
	if (tc_redirect(nsfd, env->ifname, c->device, &m->pod_qdisc))
		return cni_error_set(e, CNI_ERR_SETUP,
				     "redirecting %s to %s failed (has it an ingress qdisc already?)",
				     env->ifname, c->device);
	return 0;
}

/**
 * cni_add() - ADD: the vmgw device next to the pod's interface
 * @c: the configuration, with the pod from prevResult
 * @env: the environment
 * @guest_mac: receives the MAC the guest must use (the pod's), 18 bytes
 * @e: the error, if any
 *
 * On a failure everything made is taken away again.
 *
 * Return: 0, or -1.
 */
int cni_add(const struct cni_conf *c, const struct cni_env *env,
	    char *guest_mac, struct cni_error *e)
{
	struct link pod, dev;
	struct made m = {};
	int nsfd, ret;

	nsfd = ns_open(env->netns, e);
	if (nsfd < 0)
		return -1;
	ret = -1;
	if (link_get(nsfd, env->ifname, &pod) || !pod.exists) {
		cni_error_set(e, CNI_ERR_SETUP, "%s is not in netns %s",
			      env->ifname, env->netns);
		goto close_ns;
	}
	if (link_get(nsfd, c->device, &dev) || dev.exists) {
		cni_error_set(e, CNI_ERR_SETUP, "netns %s has a device %s already",
			      env->netns, c->device);
		goto close_ns;
	}
	ret = add_build(nsfd, c, env, &pod, &m, e);
	if (ret)
		add_undo(nsfd, c, env, &m);
	else
		mac_str(pod.mac, guest_mac, 18);
close_ns:
	close(nsfd);
	return ret;
}

/**
 * cni_del() - DEL: take away what ADD made
 * @c: the configuration
 * @env: the environment
 * @e: the error, if any
 *
 * Idempotent: a namespace, device or filter that is gone already is not
 * an error, nor is a DEL without an ADD.
 *
 * Return: 0, or -1 when something that exists could not be removed.
 */
int cni_del(const struct cni_conf *c, const struct cni_env *env,
	    struct cni_error *e)
{
	struct dev_opts o = { .name = c->device, .netns = env->netns };
	struct link pod, dev;
	int nsfd, ret = 0;

	if (!env->netns)
		return 0;
	nsfd = ns_open(env->netns, e);
	if (nsfd < 0)
		return e->code == CNI_ERR_CONTAINER ? 0 : -1;
	if (link_get(nsfd, env->ifname, &pod) ||
	    link_get(nsfd, c->device, &dev)) {
		ret = cni_error_set(e, CNI_ERR_IO, "reading the links of %s failed",
				    env->netns);
		goto close_ns;
	}
	if (pod.exists && tc_unredirect(nsfd, env->ifname, c->device))
		ret = cni_error_set(e, CNI_ERR_IO, "removing the redirect of %s failed",
				    env->ifname);
	if (dev.exists && vmgw_dev_del(&o))
		ret = cni_error_set(e, CNI_ERR_IO, "deleting %s failed", c->device);
close_ns:
	close(nsfd);
	return ret;
}

/* What CHECK compares: the device's settings from dev-get. */
struct dev_got {
	bool has_mac, has_ip4;
	unsigned char mac[6];
	unsigned char ip4[4];
	unsigned char ip6[CNI_MAX_IP6][16];
	int n_ip6;
	uint32_t mode, floor, flow_cap;
	int rules;
	const char *name;
};

static int dev_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_got *g = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case VMGW_A_DEV_GUEST_MAC:
			if (mnl_attr_get_payload_len(a) == 6) {
				memcpy(g->mac, mnl_attr_get_payload(a), 6);
				g->has_mac = true;
			}
			break;
		case VMGW_A_DEV_GUEST_IPV4:
			if (mnl_attr_get_payload_len(a) == 4) {
				memcpy(g->ip4, mnl_attr_get_payload(a), 4);
				g->has_ip4 = true;
			}
			break;
		case VMGW_A_DEV_GUEST_IPV6:
			if (mnl_attr_get_payload_len(a) == 16 &&
			    g->n_ip6 < CNI_MAX_IP6)
				memcpy(g->ip6[g->n_ip6++],
				       mnl_attr_get_payload(a), 16);
			break;
		case VMGW_A_DEV_POLICY_MODE:
			g->mode = mnl_attr_get_u32(a);
			break;
		case VMGW_A_DEV_FLOOR:
			g->floor = mnl_attr_get_u32(a);
			break;
		case VMGW_A_DEV_FLOW_CAP:
			g->flow_cap = mnl_attr_get_u32(a);
			break;
		}
	}
	return 0;
}

static int rule_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_got *g = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == VMGW_A_RULE_IFNAME &&
		    !strcmp(mnl_attr_get_str(a), g->name))
			g->rules++;
	return 0;
}

/* dev-get of the device and a count of its rules, inside the namespace. */
static int dev_read(int nsfd, const char *name, struct dev_got *g)
{
	static struct nl nl;
	struct nlmsghdr *nlh;
	int saved, err;

	memset(g, 0, sizeof(*g));
	g->name = name;
	saved = netns_enter(nsfd, "CNI_NETNS");
	if (saved < 0)
		return -1;
	err = nl_open_vmgw(&nl);
	if (netns_leave(saved) && !err) {
		nl_close(&nl);
		err = -1;
	}
	if (err)
		return -1;
	nlh = nl_genl_req(&nl, VMGW_CMD_DEV_GET, 0);
	mnl_attr_put_strz(nlh, VMGW_A_DEV_IFNAME, name);
	err = nl_talk(&nl, nlh, dev_get_cb, g, &vmgw_dev_names);
	if (!err) {
		nlh = nl_genl_req(&nl, VMGW_CMD_RULE_GET, NLM_F_DUMP);
		err = nl_talk(&nl, nlh, rule_get_cb, g, &vmgw_rule_names);
	}
	nl_close(&nl);
	return err ? -1 : 0;
}

/* The device's guest IPv6 addresses are the pod's, in any order. */
static bool ip6_same(const struct cni_conf *c, const struct dev_got *g)
{
	int i, j;

	if (g->n_ip6 != c->pod.n_ip6)
		return false;
	for (i = 0; i < c->pod.n_ip6; i++) {
		for (j = 0; j < g->n_ip6; j++)
			if (!memcmp(g->ip6[j], c->pod.ip6[i].addr, 16))
				break;
		if (j == g->n_ip6)
			return false;
	}
	return true;
}

static int check_policy(const struct cni_conf *c, const struct link *pod,
			const struct dev_got *g, struct cni_error *e)
{
	const struct cni_policy *p = &c->policy;
	char want[18], got[18];

	mac_str(pod->mac, want, sizeof(want));
	mac_str(g->mac, got, sizeof(got));
	if (!g->has_mac || strcmp(want, got))
		return cni_error_set(e, CNI_ERR_CHECK, "%s: guest MAC is %s, not the pod's %s",
				     c->device, g->has_mac ? got : "unset", want);
	if (c->pod.has_ip4 &&
	    (!g->has_ip4 || memcmp(g->ip4, c->pod.ip4.addr, 4)))
		return cni_error_set(e, CNI_ERR_CHECK,
				     "%s: guest IPv4 address is not the pod's", c->device);
	if (!ip6_same(c, g))
		return cni_error_set(e, CNI_ERR_CHECK,
				     "%s: guest IPv6 addresses are not the pod's",
				     c->device);
	if (g->mode != (p->has_mode ? p->mode : VMGW_POLICY_MODE_OPEN))
		return cni_error_set(e, CNI_ERR_CHECK, "%s: policy mode is %s",
				     c->device, policy_mode_name(g->mode));
	if (g->floor != (p->has_floor ? p->floor : VMGW_FLOOR_MODE_DEFAULT))
		return cni_error_set(e, CNI_ERR_CHECK, "%s: floor is %s", c->device,
				     floor_name(g->floor));
	if (p->has_flow_cap && g->flow_cap != p->flow_cap)
		return cni_error_set(e, CNI_ERR_CHECK, "%s: flow cap is %u, not %u",
				     c->device, g->flow_cap, p->flow_cap);
	if (g->rules != p->n_rules)
		return cni_error_set(e, CNI_ERR_CHECK, "%s has %d rules, not %d",
				     c->device, g->rules, p->n_rules);
	return 0;
}

static int check_links(int nsfd, const struct cni_conf *c,
		       const struct cni_env *env, struct cni_error *e)
{
	struct link pod, dev;
	struct dev_got g;
	bool fwd, back;

	if (link_get(nsfd, env->ifname, &pod) || !pod.exists)
		return cni_error_set(e, CNI_ERR_CHECK, "%s is not in netns %s",
				     env->ifname, env->netns);
	if (link_get(nsfd, c->device, &dev) || !dev.exists)
		return cni_error_set(e, CNI_ERR_CHECK, "%s is not in netns %s",
				     c->device, env->netns);
	if (!dev.up)
		return cni_error_set(e, CNI_ERR_CHECK, "%s is down", c->device);
	if (dev_read(nsfd, c->device, &g))
		return cni_error_set(e, CNI_ERR_CHECK, "%s in netns %s is not a vmgw device",
				     c->device, env->netns);
	if (check_policy(c, &pod, &g, e))
		return -1;
	if (tc_redirects(nsfd, env->ifname, c->device, &fwd) ||
	    tc_redirects(nsfd, c->device, env->ifname, &back) || !fwd || !back)
		return cni_error_set(e, CNI_ERR_CHECK,
				     "the tc redirect between %s and %s is missing",
				     env->ifname, c->device);
	return 0;
}

/**
 * cni_check() - CHECK: the gateway is still as ADD made it
 * @c: the configuration, with the pod from prevResult
 * @env: the environment
 * @e: the error, if any (code 100 with what differs)
 *
 * Return: 0, or -1.
 */
int cni_check(const struct cni_conf *c, const struct cni_env *env,
	      struct cni_error *e)
{
	int nsfd, ret;

	nsfd = ns_open(env->netns, e);
	if (nsfd < 0)
		return -1;
	ret = check_links(nsfd, c, env, e);
	close(nsfd);
	return ret;
}
