/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line parsing of vmgwctl: pure functions from argv to option
 * structs, with a message for the first bad argument. Only syntax is
 * checked here; limits (ring sizes, MTU, ...) are the kernel's to check,
 * and its extack message is what the user sees.
 */
#ifndef VMGWCTL_ARGS_H
#define VMGWCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARGS_MAX_LIST	16
#define ARGS_MAX_HOSTS	64

struct vm_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;		/* prefix length; the full length if none */
};

enum dev_cmd { DEV_ADD, DEV_DEL, DEV_SHOW, DEV_SET };

/* Flow timeouts, in the order of the flow states. */
enum { TIMEOUT_SYN, TIMEOUT_ESTABLISHED, TIMEOUT_FIN, TIMEOUT_CLOSED,
       N_TIMEOUTS };

struct dev_opts {
	const char *name;
	const char *netns;
	bool has_address, has_mtu, has_g2h, has_h2g, has_guest_mac;
	bool has_guest_ip4, has_mode, has_floor, has_flow_cap;
	bool has_timeout[N_TIMEOUTS];
	uint8_t address[6];
	uint32_t mtu, g2h, h2g;
	uint8_t guest_mac[6];
	uint8_t guest_ip4[4];
	uint32_t mode;
	uint32_t floor;
	uint32_t flow_cap;
	uint32_t timeout[N_TIMEOUTS];
	uint32_t unset;		/* VMGW_UNSET_* */
	struct vm_addr guest_ip6[ARGS_MAX_LIST];
	int n_guest_ip6;
	struct vm_addr resolver[ARGS_MAX_LIST];
	int n_resolver;
	const char *allow_host[ARGS_MAX_HOSTS];
	int n_allow_host;
};

enum rule_cmd { RULE_ADD, RULE_DEL, RULE_SHOW };

struct rule_opts {
	const char *name;
	bool all;		/* rule del NAME all */
	uint32_t action;
	struct vm_addr prefix;
	bool has_proto, has_ports;
	uint8_t proto;
	uint16_t port_min, port_max;
};

struct run_opts {
	const char *netns;
	const char *name;
	int fd;			/* descriptor number the VMM gets */
	int vhost_fd;		/* same for /dev/vhost-vmgw, or -1 */
	bool vnet_hdr;
	char **argv;		/* VMM and its arguments, "{fd}" substituted */
	const char *listen;	/* stream: unix socket path */
};

int parse_u32(const char *s, uint32_t *out);
int parse_mac(const char *s, uint8_t mac[6]);
int parse_addr(const char *s, struct vm_addr *a);
int parse_prefix(const char *s, struct vm_addr *a);
int parse_ports(const char *s, uint16_t *lo, uint16_t *hi);
int parse_proto(const char *s, uint8_t *proto);
int parse_policy_mode(const char *s, uint32_t *mode);
const char *policy_mode_name(uint32_t mode);
int parse_floor(const char *s, uint32_t *floor);
const char *floor_name(uint32_t floor);
extern const char *const timeout_keys[N_TIMEOUTS];
const char *proto_name(uint8_t proto);
bool dev_opts_has_settings(const struct dev_opts *o);

/* Each returns 0, or -1 with a message in err (no trailing newline). */
int parse_dev_args(enum dev_cmd cmd, int argc, char **argv,
		   struct dev_opts *o, char *err, size_t errlen);
int parse_rule_args(enum rule_cmd cmd, int argc, char **argv,
		    struct rule_opts *o, char *err, size_t errlen);
int parse_show_args(int argc, char **argv, const char **name,
		    char *err, size_t errlen);
int parse_run_args(int argc, char **argv, struct run_opts *o,
		   char *err, size_t errlen);
int parse_stream_args(int argc, char **argv, struct run_opts *o,
		      char *err, size_t errlen);
int parse_monitor_args(int argc, char **argv, unsigned long *count,
		       char *err, size_t errlen);
/* A copy of argv with each "{fd}" replaced by fd; NULL if out of memory. */
char **subst_fd(char **argv, int fd);
/* Same, and each "{vhostfd}" by vhost_fd unless that is -1. */
char **subst_fds(char **argv, int fd, int vhost_fd);

#endif /* VMGWCTL_ARGS_H */
