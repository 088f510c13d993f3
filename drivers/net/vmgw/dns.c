// SPDX-License-Identifier: GPL-2.0
/*
 * DNS responses, read defensively: every offset is checked against the
 * message length before the byte is read, names are bounded by their wire
 * length (255) and by the number of compression pointers followed (16),
 * and a pointer must point strictly backwards, so a loop ends at its first
 * hop. A message that fails any check teaches nothing: it is walked once to
 * validate it and only then a second time to report what it taught.
 *
 * Also what ties an answer to its query (the ID and the question, read
 * the same way from both) and where the messages of a DNS-over-TCP stream
 * start: from the SYN on, each length prefix tells where the next one is;
 * a segment is never read as if a message started at its first byte.
 */
#include "dns.h"

#define DNS_FLAG_QR		0x8000
#define DNS_OPCODE(f)		(((f) >> 11) & 0xf)
#define DNS_RCODE(f)		((f) & 0xf)
#define DNS_TYPE_A		1
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_AAAA		28
#define DNS_CLASS_IN		1
#define DNS_RR_FIXED		10	/* type, class, TTL, rdlength */
#define DNS_LABEL_PTR		0xc0

const char * const vmgw_dns_err_names[VMGW_DNS_ERR_MAX] = {
	[VMGW_DNS_OK]		= "ok",
	[VMGW_DNS_ERR_HEADER]	= "header",
	[VMGW_DNS_ERR_TRUNCATED] = "truncated",
	[VMGW_DNS_ERR_LABEL]	= "label",
	[VMGW_DNS_ERR_NAME_LEN]	= "name_len",
	[VMGW_DNS_ERR_PTR_LOOP]	= "ptr_loop",
	[VMGW_DNS_ERR_RDATA]	= "rdata",
	[VMGW_DNS_ERR_UNSOLICITED] = "unsolicited",
};

struct vmgw_dns_msg {
	const u8 *p;
	unsigned int len;
};

/*
 * Where a name is being read: @pos is the next byte, @end the first byte
 * after the name where it sits in the record (known at its first pointer
 * or at its root label; names never start before the header ends, so 0
 * means "not yet"), @wire its length so far, @hops the pointers followed.
 */
struct vmgw_dns_cur {
	unsigned int pos;
	unsigned int end;
	unsigned int wire;
	unsigned int hops;
};

static u8 vmgw_dns_lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Next label of a name, following pointers; length 0 is the root. */
static enum vmgw_dns_err vmgw_dns_label(const struct vmgw_dns_msg *m,
					struct vmgw_dns_cur *c,
					const u8 **label, unsigned int *llen)
{
	unsigned int target;
	u8 b;

	for (;;) {
		if (c->pos >= m->len)
			return VMGW_DNS_ERR_TRUNCATED;
		b = m->p[c->pos];
		if ((b & DNS_LABEL_PTR) != DNS_LABEL_PTR)
			break;
		if (m->len - c->pos < 2)
			return VMGW_DNS_ERR_TRUNCATED;
		target = (b & ~DNS_LABEL_PTR) << 8 | m->p[c->pos + 1];
		if (!c->end)
			c->end = c->pos + 2;
		if (target >= c->pos || ++c->hops > VMGW_DNS_MAX_PTRS)
			return VMGW_DNS_ERR_PTR_LOOP;
		if (target < VMGW_DNS_HDR_LEN)
			return VMGW_DNS_ERR_LABEL;
		c->pos = target;
	}
	if (b & DNS_LABEL_PTR)
		return VMGW_DNS_ERR_LABEL;
	/* Room must stay for the root label after any other. */
	c->wire += b + 1;
	if (c->wire + (b ? 1 : 0) > VMGW_DNS_WIRE_MAX)
		return VMGW_DNS_ERR_NAME_LEN;
	if (b > m->len - c->pos - 1)
		return VMGW_DNS_ERR_TRUNCATED;
	*label = m->p + c->pos + 1;
	*llen = b;
	c->pos += 1 + b;
	if (!b && !c->end)
		c->end = c->pos;
	return VMGW_DNS_OK;
}

/*
 * Read the name at @off and find where it ends in place (@next). With
 * @text (VMGW_DNS_TEXT_MAX bytes), also write it lowercase and dotted,
 * without a trailing dot; *@plain is then false when a label holds a dot
 * or a NUL, such a name never matches a pattern.
 */
static enum vmgw_dns_err vmgw_dns_name(const struct vmgw_dns_msg *m,
				       unsigned int off, unsigned int *next,
				       char *text, unsigned int *tlen,
				       bool *plain)
{
	struct vmgw_dns_cur c = { .pos = off };
	enum vmgw_dns_err err;
	unsigned int n, i, t = 0;
	const u8 *label;

	if (text)
		*plain = true;
	do {
		err = vmgw_dns_label(m, &c, &label, &n);
		if (err)
			return err;
		if (!text || !n)
			continue;
		/* The wire check bounds t + 1 + n by VMGW_DNS_TEXT_MAX. */
		if (t)
			text[t++] = '.';
		for (i = 0; i < n; i++) {
			if (label[i] == '.' || !label[i])
				*plain = false;
			text[t++] = vmgw_dns_lower(label[i]);
		}
	} while (n);
	*next = c.end;
	if (tlen)
		*tlen = t;
	return VMGW_DNS_OK;
}

/* Two names of a message, already validated, compared case-insensitively. */
static bool vmgw_dns_name_eq(const struct vmgw_dns_msg *m, unsigned int a,
			     unsigned int b)
{
	struct vmgw_dns_cur ca = { .pos = a }, cb = { .pos = b };
	const u8 *la, *lb;
	unsigned int na, nb, i;

	do {
		if (vmgw_dns_label(m, &ca, &la, &na) ||
		    vmgw_dns_label(m, &cb, &lb, &nb) || na != nb)
			return false;
		for (i = 0; i < na; i++)
			if (vmgw_dns_lower(la[i]) != vmgw_dns_lower(lb[i]))
				return false;
	} while (na);
	return true;
}

static bool vmgw_dns_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_';
}

/**
 * vmgw_dns_host_parse() - check and normalise one allowed host pattern
 * @text: "name" or "*.name", with or without a trailing dot, any case
 * @len: bytes at @text (no NUL needed)
 * @buf: receives the lowercase name, %VMGW_DNS_TEXT_MAX bytes
 * @h: filled in, its @name pointing into @buf
 *
 * Labels are 1 to 63 letters, digits, '-' or '_'; the name is at most 253
 * characters.
 *
 * Context: any.
 * Return: 0, or -EINVAL for anything else (an empty name, a bare "*", an
 * empty label, "*" anywhere but as the whole first label).
 */
int vmgw_dns_host_parse(const char *text, unsigned int len, char *buf,
			struct vmgw_dns_host *h)
{
	unsigned int i, label = 0;
	bool wildcard = false;

	if (len >= 2 && text[0] == '*' && text[1] == '.') {
		wildcard = true;
		text += 2;
		len -= 2;
	}
	if (len && text[len - 1] == '.')
		len--;
	if (!len || len > VMGW_DNS_TEXT_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = vmgw_dns_lower(text[i]);

		if (c == '.') {
			if (!label)
				return -EINVAL;
			label = 0;
		} else if (!vmgw_dns_host_char(c) ||
			   ++label > VMGW_DNS_LABEL_MAX) {
			return -EINVAL;
		}
		buf[i] = c;
	}
	if (!label)
		return -EINVAL;
	h->name = buf;
	h->len = len;
	h->wildcard = wildcard;
	return 0;
}

/**
 * vmgw_dns_host_cmp() - order of host patterns, for sort() and bsearch()
 * @a: a &struct vmgw_dns_host
 * @b: another
 *
 * Exact names first, then wildcards, each by name bytes, then length.
 *
 * Return: <0, 0 or >0 as @a sorts before, with or after @b.
 */
int vmgw_dns_host_cmp(const void *a, const void *b)
{
	const struct vmgw_dns_host *x = a, *y = b;
	int d;

	if (x->wildcard != y->wildcard)
		return x->wildcard ? 1 : -1;
	d = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
	if (d)
		return d;
	return (int)x->len - (int)y->len;
}

static bool vmgw_dns_hosts_find(const struct vmgw_dns_hosts *hosts,
				const char *name, unsigned int len,
				bool wildcard)
{
	struct vmgw_dns_host key = {
		.name = name,
		.len = len,
		.wildcard = wildcard,
	};

	return bsearch(&key, hosts->v, hosts->n, sizeof(key),
		       vmgw_dns_host_cmp);
}

/**
 * vmgw_dns_hosts_match() - whether a name is an allowed host
 * @hosts: sorted patterns
 * @name: lowercase name without a trailing dot
 * @len: its length
 *
 * One binary search for the name itself, one per parent domain for the
 * wildcards: the cost grows with the labels of @name, not with @hosts.
 *
 * Context: any.
 * Return: true when a pattern matches @name.
 */
bool vmgw_dns_hosts_match(const struct vmgw_dns_hosts *hosts,
			  const char *name, unsigned int len)
{
	unsigned int i;

	if (!hosts->n || !len || len > VMGW_DNS_TEXT_MAX)
		return false;
	if (vmgw_dns_hosts_find(hosts, name, len, false))
		return true;
	for (i = 0; i < len - 1; i++)
		if (name[i] == '.' &&
		    vmgw_dns_hosts_find(hosts, name + i + 1, len - i - 1,
					true))
			return true;
	return false;
}

/* Names an answer may chain from: the question, then CNAME targets. */
struct vmgw_dns_chain {
	unsigned int off[VMGW_DNS_MAX_CHAIN];
	unsigned int n;
};

static bool vmgw_dns_chained(const struct vmgw_dns_msg *m,
			     const struct vmgw_dns_chain *ch, unsigned int owner)
{
	unsigned int i;

	for (i = 0; i < ch->n; i++)
		if (vmgw_dns_name_eq(m, ch->off[i], owner))
			return true;
	return false;
}

static void vmgw_dns_chain_add(struct vmgw_dns_chain *ch, unsigned int off)
{
	if (ch->n < VMGW_DNS_MAX_CHAIN)
		ch->off[ch->n++] = off;
}

/* Decode the name at @off; is it allowed by pattern or by the chain? */
static enum vmgw_dns_err
vmgw_dns_allowed(const struct vmgw_dns_msg *m,
		 const struct vmgw_dns_hosts *hosts,
		 const struct vmgw_dns_chain *ch, unsigned int off,
		 unsigned int *next, bool *allowed)
{
	char text[VMGW_DNS_TEXT_MAX];
	enum vmgw_dns_err err;
	unsigned int tlen;
	bool plain;

	err = vmgw_dns_name(m, off, next, text, &tlen, &plain);
	if (err)
		return err;
	*allowed = (plain && vmgw_dns_hosts_match(hosts, text, tlen)) ||
		   vmgw_dns_chained(m, ch, off);
	return VMGW_DNS_OK;
}

struct vmgw_dns_rr {
	unsigned int owner;
	u16 type;
	u16 class;
	u32 ttl;
	unsigned int rd;
	unsigned int rdlen;
};

/* One answer's owner and fixed fields; *@off moves past the record. */
static enum vmgw_dns_err vmgw_dns_rr(const struct vmgw_dns_msg *m,
				     const struct vmgw_dns_hosts *hosts,
				     const struct vmgw_dns_chain *ch,
				     unsigned int *off, struct vmgw_dns_rr *rr,
				     bool *allowed)
{
	enum vmgw_dns_err err;
	unsigned int next;
	const u8 *f;

	rr->owner = *off;
	err = vmgw_dns_allowed(m, hosts, ch, *off, &next, allowed);
	if (err)
		return err;
	if (m->len - next < DNS_RR_FIXED)
		return VMGW_DNS_ERR_TRUNCATED;
	f = m->p + next;
	rr->type = vmgw_get_be16(f);
	rr->class = vmgw_get_be16(f + 2);
	rr->ttl = vmgw_get_be32(f + 4);
	rr->rdlen = vmgw_get_be16(f + 8);
	rr->rd = next + DNS_RR_FIXED;
	if (rr->rdlen > m->len - rr->rd)
		return VMGW_DNS_ERR_TRUNCATED;
	*off = rr->rd + rr->rdlen;
	return VMGW_DNS_OK;
}

/* An IN answer: follow a CNAME, or report an allowed A/AAAA through @fn. */
static enum vmgw_dns_err vmgw_dns_answer(const struct vmgw_dns_msg *m,
					 const struct vmgw_dns_rr *rr,
					 bool allowed,
					 struct vmgw_dns_chain *ch,
					 vmgw_dns_learn_fn fn, void *arg,
					 unsigned int *learned)
{
	struct vmgw_dns_addr a = {};
	enum vmgw_dns_err err;
	unsigned int next;

	switch (rr->type) {
	case DNS_TYPE_CNAME:
		err = vmgw_dns_name(m, rr->rd, &next, NULL, NULL, NULL);
		if (err)
			return err;
		if (next != rr->rd + rr->rdlen)
			return VMGW_DNS_ERR_RDATA;
		if (allowed)
			vmgw_dns_chain_add(ch, rr->rd);
		return VMGW_DNS_OK;
	case DNS_TYPE_A:
		if (rr->rdlen != 4)
			return VMGW_DNS_ERR_RDATA;
		a.family = 4;
		break;
	case DNS_TYPE_AAAA:
		if (rr->rdlen != 16)
			return VMGW_DNS_ERR_RDATA;
		a.family = 6;
		break;
	default:
		return VMGW_DNS_OK;
	}
	if (!allowed)
		return VMGW_DNS_OK;
	memcpy(a.addr, m->p + rr->rd, rr->rdlen);
	a.ttl = vmgw_dns_ttl_clamp(rr->ttl);
	(*learned)++;
	if (fn)
		fn(arg, &a);
	return VMGW_DNS_OK;
}

static enum vmgw_dns_err vmgw_dns_walk(const struct vmgw_dns_msg *m,
				       const struct vmgw_dns_hosts *hosts,
				       vmgw_dns_learn_fn fn, void *arg,
				       unsigned int *learned)
{
	struct vmgw_dns_chain ch = { .n = 0 };
	unsigned int off, i, ancount;
	struct vmgw_dns_rr rr;
	enum vmgw_dns_err err;
	bool allowed;
	u16 flags;

	*learned = 0;
	if (m->len < VMGW_DNS_HDR_LEN)
		return VMGW_DNS_ERR_HEADER;
	flags = vmgw_get_be16(m->p + 2);
	if (!(flags & DNS_FLAG_QR) || DNS_OPCODE(flags) ||
	    vmgw_get_be16(m->p + 4) != 1)
		return VMGW_DNS_ERR_HEADER;
	ancount = vmgw_get_be16(m->p + 6);

	err = vmgw_dns_allowed(m, hosts, &ch, VMGW_DNS_HDR_LEN, &off,
			       &allowed);
	if (err)
		return err;
	if (m->len - off < 4)	/* QTYPE, QCLASS */
		return VMGW_DNS_ERR_TRUNCATED;
	if (allowed)
		vmgw_dns_chain_add(&ch, VMGW_DNS_HDR_LEN);
	off += 4;
	/* Only a successful answer teaches anything. */
	if (DNS_RCODE(flags))
		return VMGW_DNS_OK;

	for (i = 0; i < ancount && i < VMGW_DNS_MAX_ANSWERS; i++) {
		err = vmgw_dns_rr(m, hosts, &ch, &off, &rr, &allowed);
		if (err)
			return err;
		if (rr.class != DNS_CLASS_IN)
			continue;
		err = vmgw_dns_answer(m, &rr, allowed, &ch, fn, arg, learned);
		if (err)
			return err;
	}
	return VMGW_DNS_OK;
}

/**
 * vmgw_dns_learn() - addresses of allowed hosts in a DNS response
 * @msg: the DNS message (UDP payload, or a TCP message without its length)
 * @len: its length
 * @hosts: allowed host patterns, sorted
 * @fn: called once per learned address, only if the whole message is well
 *	formed; may be NULL to validate and count only
 * @arg: passed to @fn
 * @learned: receives the number of addresses learned (or, when an error is
 *	returned, found before it)
 *
 * Learns from the answer section of a standard query response with one
 * question and RCODE 0: an A or AAAA record of class IN is learned when its
 * owner matches @hosts, or is the question or the target of a CNAME whose
 * owner was allowed (chains followed in message order, at most
 * %VMGW_DNS_MAX_CHAIN names). At most %VMGW_DNS_MAX_ANSWERS answers are
 * read; authority and additional sections are never trusted. TTLs are
 * clamped with vmgw_dns_ttl_clamp().
 *
 * Context: any; pure function, no locks, no allocation, bounded work.
 * Return: %VMGW_DNS_OK, or why the message was ignored.
 */
enum vmgw_dns_err vmgw_dns_learn(const u8 *msg, unsigned int len,
				 const struct vmgw_dns_hosts *hosts,
				 vmgw_dns_learn_fn fn, void *arg,
				 unsigned int *learned)
{
	const struct vmgw_dns_msg m = { .p = msg, .len = len };
	enum vmgw_dns_err err;

	err = vmgw_dns_walk(&m, hosts, NULL, NULL, learned);
	if (err || !*learned || !fn)
		return err;
	return vmgw_dns_walk(&m, hosts, fn, arg, learned);
}

/**
 * vmgw_dns_tcp_msg() - the DNS message at a message boundary of a TCP stream
 * @p: the bytes from the boundary on: a 2-byte big-endian length, then
 *	the message
 * @len: how many bytes there are at @p (the rest of a segment's payload)
 * @msg_len: receives the length the prefix announces, when it is whole
 *
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766) frames each message with its
 * length. A message is only parsed when all of it is at hand: a prefix or
 * a message that runs past @len (split over segments, or a lying prefix)
 * is not.
 *
 * Context: any; pure function.
 * Return: true when the prefix and the whole message of *@msg_len bytes
 * (at @p + 2) lie within @len.
 */
bool vmgw_dns_tcp_msg(const u8 *p, unsigned int len, unsigned int *msg_len)
{
	unsigned int n;

	if (len < 2)
		return false;
	n = vmgw_get_be16(p);
	if (n > len - 2)
		return false;
	*msg_len = n;
	return true;
}

/**
 * vmgw_dns_question() - the ID and question of a query or of an answer
 * @msg: the DNS message (UDP payload, or a TCP message without its
 *	length); only its first %VMGW_DNS_QUESTION_MAX bytes are read
 * @len: its length (or of its start)
 * @response: the message must be a response (QR set), else a query
 * @q: receives the ID, the question's type and class and its name in
 *	lowercase wire form
 *
 * The same message with names in another case, or compressed otherwise,
 * gives the same @q, so that a query and its answer compare equal.
 *
 * Context: any; pure function.
 * Return: %VMGW_DNS_OK; %VMGW_DNS_ERR_HEADER when the message is shorter
 * than the header, of the other direction, not a standard query (opcode
 * 0) or not of exactly one question; or the error of its name.
 */
enum vmgw_dns_err vmgw_dns_question(const u8 *msg, unsigned int len,
				    bool response,
				    struct vmgw_dns_question *q)
{
	const struct vmgw_dns_msg m = { .p = msg, .len = len };
	struct vmgw_dns_cur c = { .pos = VMGW_DNS_HDR_LEN };
	unsigned int n, i, w = 0;
	enum vmgw_dns_err err;
	const u8 *label;
	u16 flags;

	if (len < VMGW_DNS_HDR_LEN)
		return VMGW_DNS_ERR_HEADER;
	flags = vmgw_get_be16(msg + 2);
	if (!!(flags & DNS_FLAG_QR) != response || DNS_OPCODE(flags) ||
	    vmgw_get_be16(msg + 4) != 1)
		return VMGW_DNS_ERR_HEADER;
	do {
		err = vmgw_dns_label(&m, &c, &label, &n);
		if (err)
			return err;
		/* vmgw_dns_label() bounds the wire length by 255 */
		q->name[w++] = n;
		for (i = 0; i < n; i++)
			q->name[w++] = vmgw_dns_lower(label[i]);
	} while (n);
	if (len - c.end < 4)
		return VMGW_DNS_ERR_TRUNCATED;
	q->id = vmgw_get_be16(msg);
	q->qtype = vmgw_get_be16(msg + c.end);
	q->qclass = vmgw_get_be16(msg + c.end + 2);
	q->name_len = w;
	return VMGW_DNS_OK;
}

/**
 * vmgw_dns_stream_seg() - the whole messages of one TCP segment, found
 *	from the stream's known message boundaries
 * @s: the direction's position, zeroed before its SYN
 * @seq: the segment's sequence number
 * @syn: the segment carries SYN: the stream starts at @seq + 1 (a SYN
 *	seen once the stream started changes nothing)
 * @len: bytes of payload
 * @rd: reads the payload
 * @fn: called for each whole message that starts at a boundary
 * @arg: passed to @rd and @fn
 * @res: receives what was found
 *
 * A message is reported only when its length prefix sits exactly at the
 * sequence number the stream's previous prefixes (from the SYN on) point
 * at, and all of it lies in this segment. A message that starts here and
 * ends later is skipped (counted in @res->split); its end is the next
 * boundary. Bytes before the next boundary (a retransmission that starts
 * inside a message, as the guest can provoke by acknowledging part of
 * one) are never read as a message, nor is a segment past a gap. A length
 * prefix split over two segments loses the position for good.
 *
 * Context: any; pure function. The caller serialises calls for one @s.
 */
void vmgw_dns_stream_seg(struct vmgw_dns_stream *s, u32 seq, bool syn,
			 unsigned int len, vmgw_dns_read_fn rd,
			 vmgw_dns_msg_fn fn, void *arg,
			 struct vmgw_dns_seg *res)
{
	unsigned int off, n;
	u8 pfx[2];

	memset(res, 0, sizeof(*res));
	if (syn) {
		if (s->state == VMGW_DNS_STREAM_NONE) {
			s->next = seq + 1;
			s->state = VMGW_DNS_STREAM_SYNC;
		}
		seq++;
	}
	while (len && s->state == VMGW_DNS_STREAM_SYNC) {
		/* Modulo 2^32: below @len only when the boundary is here. */
		off = s->next - seq;
		if (off >= len)
			break;
		if (len - off < 2 || !rd(arg, off, pfx, 2)) {
			s->state = VMGW_DNS_STREAM_LOST;
			res->lost = true;
			break;
		}
		n = vmgw_get_be16(pfx);
		if (n > len - off - 2) {
			res->split++;
		} else {
			fn(arg, off + 2, n);
			res->msgs++;
		}
		s->next += 2 + n;
	}
	res->unaligned = len && !res->msgs && !res->split && !res->lost;
}
