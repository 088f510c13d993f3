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
 * @VMGW_DNS_ERR_UNSOLICITED: well formed, but the answer to no question
 *	the guest asked: no outstanding query of the same flow, ID and
 *	question (the policy's check, see dnsq.h; the parser never says so)
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
	VMGW_DNS_ERR_UNSOLICITED,
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

/**
 * struct vmgw_dns_question - what a message asks, to tie an answer to its
 *	query
 * @id: the message ID
 * @qtype: QTYPE of its one question
 * @qclass: QCLASS
 * @name_len: bytes of @name, 1 to %VMGW_DNS_WIRE_MAX
 * @name: QNAME in wire form (length-prefixed labels, root label
 *	included), ASCII letters lowercased; compression pointers followed
 */
struct vmgw_dns_question {
	u16 id;
	u16 qtype;
	u16 qclass;
	u8 name_len;
	u8 name[VMGW_DNS_WIRE_MAX];
};

/* Bytes of a message that hold its header and any question. */
#define VMGW_DNS_QUESTION_MAX	(VMGW_DNS_HDR_LEN + VMGW_DNS_WIRE_MAX + 4)

/**
 * enum vmgw_dns_stream_state - what is known of a DNS-over-TCP stream
 * @VMGW_DNS_STREAM_NONE: its start (the SYN) was not seen: no position
 * @VMGW_DNS_STREAM_SYNC: &struct vmgw_dns_stream.next is where the next
 *	message starts
 * @VMGW_DNS_STREAM_LOST: a length prefix was split over two segments:
 *	no position any more, for good
 */
enum vmgw_dns_stream_state {
	VMGW_DNS_STREAM_NONE,
	VMGW_DNS_STREAM_SYNC,
	VMGW_DNS_STREAM_LOST,
};

/**
 * struct vmgw_dns_stream - message boundaries of one direction of a TCP
 *	connection carrying DNS (RFC 7766: each message after a 2-byte length)
 * @next: sequence number of the next message's length prefix
 * @state: &enum vmgw_dns_stream_state
 *
 * Only bytes from the SYN on, in order, tell where a message starts: a
 * segment is read from @next, never from its own first byte.
 */
struct vmgw_dns_stream {
	u32 next;
	u8 state;
};

/**
 * struct vmgw_dns_seg - what vmgw_dns_stream_seg() found in a segment
 * @msgs: whole messages it reported
 * @split: messages that start in the segment but end past it
 * @unaligned: the segment had payload and no message starts in it (a
 *	continuation, a retransmission from inside a message, a segment
 *	beyond a gap, or a stream of unknown position)
 * @lost: the position was lost in this segment
 */
struct vmgw_dns_seg {
	unsigned int msgs;
	unsigned int split;
	bool unaligned;
	bool lost;
};

/*
 * Copy @len bytes of a segment's payload at @off to @to; false when they
 * are not there.
 */
typedef bool (*vmgw_dns_read_fn)(void *arg, unsigned int off, u8 *to,
				 unsigned int len);
/* A whole message of @len bytes at payload offset @off (after its prefix). */
typedef void (*vmgw_dns_msg_fn)(void *arg, unsigned int off,
				unsigned int len);

bool vmgw_dns_tcp_msg(const u8 *p, unsigned int len, unsigned int *msg_len);
int vmgw_dns_host_parse(const char *text, unsigned int len, char *buf,
			struct vmgw_dns_host *h);
int vmgw_dns_host_cmp(const void *a, const void *b);
bool vmgw_dns_hosts_match(const struct vmgw_dns_hosts *hosts,
			  const char *name, unsigned int len);
enum vmgw_dns_err vmgw_dns_question(const u8 *msg, unsigned int len,
				    bool response,
				    struct vmgw_dns_question *q);
void vmgw_dns_stream_seg(struct vmgw_dns_stream *s, u32 seq, bool syn,
			 unsigned int len, vmgw_dns_read_fn rd,
			 vmgw_dns_msg_fn fn, void *arg,
			 struct vmgw_dns_seg *res);
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
