/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMGWCTL_ATTRS_H
#define VMGWCTL_ATTRS_H

#include <stddef.h>

#include "nl.h"

extern const struct nl_names vmgw_dev_names;
extern const struct nl_names vmgw_rule_names;
extern const struct nl_names vmgw_flow_names;
extern const struct nl_names vmgw_stats_names;
extern const struct nl_names vmgw_link_names;

void attr_json_key(const char *name, char *out, size_t len);

#endif /* VMGWCTL_ATTRS_H */
