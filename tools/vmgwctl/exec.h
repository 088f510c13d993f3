/* SPDX-License-Identifier: GPL-2.0 */
/* Running the stock tools (ip, nft, tc, dnsmasq) vmgwctl up builds with. */
#ifndef VMGWCTL_EXEC_H
#define VMGWCTL_EXEC_H

#include <stddef.h>

int run_cmd(int nsfd, const char *input, const char *const *argv);
int run_cmd_out(int nsfd, const char *const *argv, char *out, size_t len);

/* RUN(nsfd, input, "ip", "link", ...): run_cmd() with an inline argv. */
#define RUN(nsfd, input, ...) \
	run_cmd(nsfd, input, (const char *const []){ __VA_ARGS__, NULL })

#endif /* VMGWCTL_EXEC_H */
