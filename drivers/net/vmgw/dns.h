/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS message parsing for address learning: a pure unit over a bounded
 * byte buffer (no skb, no allocation, no logging), built in the kernel and
 * in userspace. It finds the A and AAAA records of a response whose owner
 * is an allowed host name, following CNAME chains from allowed names, and
 * matches names against host patterns ("example.com", "*.example.com").
 */
#ifndef _VMGW_DNS_H
#define _VMGW_DNS_H

#include "pure.h"

/* Longest name on the wire (RFC 1035 2.3.4), root label included. */
#define VMGW_DNS_WIRE_MAX	255
/* Longest name as text: lowercase, dotted, no trailing dot. */
#define VMGW_DNS_TEXT_MAX	253
#define VMGW_DNS_LABEL_MAX	63
/* Compression pointers followed while reading one name. */
#define VMGW_DNS_MAX_PTRS	16
/* Answer records looked at in one response; the rest are ignored. */
#define VMGW_DNS_MAX_ANSWERS	64
/* Names (question and CNAME targets) an answer may chain from. */
#define VMGW_DNS_MAX_CHAIN	8
#define VMGW_DNS_HDR_LEN	12
/* Clamp of a learned address's lifetime, seconds. */
#define VMGW_DNS_TTL_MIN	60
#define VMGW_DNS_TTL_MAX	3600

/**
 * enum vmgw_dns_err - why a DNS message was ignored
 * @VMGW_DNS_OK: well formed (which does not mean anything was learned)
 * @VMGW_DNS_ERR_HEADER: shorter than the header, not a standard query
 *	response, or not exactly one question
 * @VMGW_DNS_ERR_TRUNCATED: a name or record runs past the message
 * @VMGW_DNS_ERR_LABEL: a label type other than length or pointer (0x40 and
 *	0x80 prefixes), or a pointer into the header
 * @VMGW_DNS_ERR_NAME_LEN: a name longer than 255 octets
 * @VMGW_DNS_ERR_PTR_LOOP: a compression pointer that does not point
 *	strictly backwards, or more than %VMGW_DNS_MAX_PTRS in one name
 * @VMGW_DNS_ERR_RDATA: an A record whose data is not 4 bytes, an AAAA not
 *	16, or a CNAME whose target does not fill its data exactly
 * @VMGW_DNS_ERR_MAX: number of values
 */
enum vmgw_dns_err {
	VMGW_DNS_OK,
	VMGW_DNS_ERR_HEADER,
	VMGW_DNS_ERR_TRUNCATED,
	VMGW_DNS_ERR_LABEL,
	VMGW_DNS_ERR_NAME_LEN,
	VMGW_DNS_ERR_PTR_LOOP,
	VMGW_DNS_ERR_RDATA,
	VMGW_DNS_ERR_MAX,
};

extern const char * const vmgw_dns_err_names[VMGW_DNS_ERR_MAX];

/**
 * struct vmgw_dns_host - one allowed host pattern
 * @name: lowercase name without a trailing dot (for "*.example.com":
 *	"example.com"); not NUL-terminated, @len bytes
 * @len: length of @name, 1 to %VMGW_DNS_TEXT_MAX
 * @wildcard: "*.@name": matches names strictly below @name, not @name
 */
struct vmgw_dns_host {
	const char *name;
	u8 len;
	bool wildcard;
};

/**
 * struct vmgw_dns_hosts - allowed host patterns, sorted
 * @v: @n patterns in vmgw_dns_host_cmp() order
 * @n: number of patterns
 */
struct vmgw_dns_hosts {
	const struct vmgw_dns_host *v;
	unsigned int n;
};

/**
 * struct vmgw_dns_addr - an address learned from a response
 * @addr: the address, IPv4 in the first 4 bytes
 * @family: 4 or 6
 * @ttl: the record's TTL, clamped with vmgw_dns_ttl_clamp()
 */
struct vmgw_dns_addr {
	u8 addr[16];
	u8 family;
	u32 ttl;
};

typedef void (*vmgw_dns_learn_fn)(void *arg, const struct vmgw_dns_addr *a);

bool vmgw_dns_tcp_msg(const u8 *p, unsigned int len, unsigned int *msg_len);
int vmgw_dns_host_parse(const char *text, unsigned int len, char *buf,
			struct vmgw_dns_host *h);
int vmgw_dns_host_cmp(const void *a, const void *b);
bool vmgw_dns_hosts_match(const struct vmgw_dns_hosts *hosts,
			  const char *name, unsigned int len);
enum vmgw_dns_err vmgw_dns_learn(const u8 *msg, unsigned int len,
				 const struct vmgw_dns_hosts *hosts,
				 vmgw_dns_learn_fn fn, void *arg,
				 unsigned int *learned);

/**
 * vmgw_dns_ttl_clamp() - lifetime of a learned address
 * @ttl: TTL of the record, seconds
 *
 * Return: @ttl clamped to [%VMGW_DNS_TTL_MIN, %VMGW_DNS_TTL_MAX].
 */
static inline u32 vmgw_dns_ttl_clamp(u32 ttl)
{
	if (ttl < VMGW_DNS_TTL_MIN)
		return VMGW_DNS_TTL_MIN;
	if (ttl > VMGW_DNS_TTL_MAX)
		return VMGW_DNS_TTL_MAX;
	return ttl;
}

#endif /* _VMGW_DNS_H */
