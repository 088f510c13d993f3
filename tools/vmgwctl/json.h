/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: objects, arrays, strings, integers and
 * booleans, compact (one line) or pretty (two-space indent).
 */
#ifndef VMGWCTL_JSON_H
#define VMGWCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f, bool pretty);
/* KEY is NULL inside an array and at the top level. */
void json_obj_start(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_start(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* Ends a top-level value with a newline. */
void json_end(struct json *j);

#endif /* VMGWCTL_JSON_H */
