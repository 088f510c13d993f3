// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the vmgw DNS parser (drivers/net/vmgw/dns.c,
 * compiled unchanged). Each input is parsed twice:
 *  - as a DNS response, by vmgw_dns_learn() against fixed host patterns:
 *    every learned address must be well formed and counted once, nothing
 *    may be learned from a message with an error, and there must be no
 *    more than VMGW_DNS_MAX_ANSWERS addresses;
 *  - as a host pattern, by vmgw_dns_host_parse(): a pattern it accepts
 *    must be a valid lowercase name that matches what it should.
 * A broken invariant aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dns.h"

static const char * const patterns[] = {
	"example.com", "*.example.org", "cdn.example.net", "a.b.c",
};

static struct vmgw_dns_host hosts[ARRAY_SIZE(patterns)];
static char names[ARRAY_SIZE(patterns)][VMGW_DNS_TEXT_MAX];
static struct vmgw_dns_hosts host_set = { .v = hosts };

struct learned {
	unsigned int n;
};

static void broken(const char *what)
{
	fprintf(stderr, "dns: %s\n", what);
	abort();
}

static void learn_one(void *arg, const struct vmgw_dns_addr *a)
{
	struct learned *l = arg;

	if (a->family != 4 && a->family != 6)
		broken("learned address of no family");
	if (a->ttl < VMGW_DNS_TTL_MIN || a->ttl > VMGW_DNS_TTL_MAX)
		broken("learned TTL not clamped");
	l->n++;
}

static void setup(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(patterns); i++)
		if (vmgw_dns_host_parse(patterns[i], strlen(patterns[i]),
					names[i], &hosts[i]))
			broken("a fixed pattern does not parse");
	qsort(hosts, ARRAY_SIZE(hosts), sizeof(hosts[0]), vmgw_dns_host_cmp);
	host_set.n = ARRAY_SIZE(hosts);
}

static void check_learn(const uint8_t *data, size_t size)
{
	struct learned l = { 0 };
	unsigned int learned = 0;
	enum vmgw_dns_err err;

	err = vmgw_dns_learn(data, size, &host_set, learn_one, &l, &learned);
	if (err >= VMGW_DNS_ERR_MAX)
		broken("error out of range");
	/* Nothing is learned from a message that is not well formed. */
	if (err != VMGW_DNS_OK && l.n)
		broken("learned from a message with an error");
	if (err == VMGW_DNS_OK && learned != l.n)
		broken("learned count differs from the callbacks");
	if (learned > VMGW_DNS_MAX_ANSWERS)
		broken("more addresses than answers looked at");
}

static void check_pattern(const uint8_t *data, size_t size)
{
	struct vmgw_dns_hosts one = { .n = 1 };
	struct vmgw_dns_host h;
	char probe[VMGW_DNS_TEXT_MAX + 3];
	unsigned int i;
	char *buf;

	/* Exactly the room the contract promises, so ASan sees overruns. */
	buf = malloc(VMGW_DNS_TEXT_MAX);
	if (!buf)
		abort();
	if (vmgw_dns_host_parse((const char *)data, size, buf, &h))
		goto out_free;
	if (!h.len || h.len > VMGW_DNS_TEXT_MAX || h.name != buf)
		broken("accepted pattern of a bad length");
	for (i = 0; i < h.len; i++)
		if (h.name[i] >= 'A' && h.name[i] <= 'Z')
			broken("accepted pattern not lowercase");
	if (h.name[0] == '.' || h.name[h.len - 1] == '.')
		broken("accepted pattern with an empty label");
	one.v = &h;
	if (vmgw_dns_hosts_match(&one, h.name, h.len) == h.wildcard)
		broken("a pattern and its own name");
	if (h.len + 2u <= VMGW_DNS_TEXT_MAX) {
		probe[0] = 'x';
		probe[1] = '.';
		memcpy(probe + 2, h.name, h.len);
		if (vmgw_dns_hosts_match(&one, probe, h.len + 2) != h.wildcard)
			broken("a pattern and a name one label below it");
	}
out_free:
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!host_set.n)
		setup();
	if (size > 65535)
		return -1;	/* larger than any DNS message over UDP or TCP */
	check_learn(data, size);
	check_pattern(data, size);
	return 0;
}
