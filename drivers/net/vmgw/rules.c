// SPDX-License-Identifier: GPL-2.0
/*
 * Rule sets compiled into a path-compressed binary trie. Building sorts the
 * rules by prefix, inserts each distinct prefix once, and hangs off its node
 * one bucket per (action, protocol) holding the union of the rules' port
 * ranges as sorted disjoint intervals. Deny and allow rules only ask "does
 * any rule match", so merging overlapping ranges loses nothing.
 *
 * Nodes, buckets and ranges live in arrays sized before the build, linked
 * by index: the set is one immutable object, freed as a whole.
 *
 * Two things keep a lookup's cost flat as rule sets grow:
 *  - flattening: once built, every node with rules carries the union of
 *    its own rules and those of every shorter prefix that contains it, so a
 *    lookup only walks down to the deepest matching node with rules and
 *    checks that one node's buckets, once;
 *  - a first stage: with 64 or more prefixes in a family, a table indexed
 *    by the 8 (or, from 1024 prefixes, 16) bits of the address that follow
 *    the prefix all of the family's rules share (the root's) gives the
 *    deepest node with rules covering that whole block and the node to go
 *    on from, so the walk starts 8 or 16 levels below the root. Rules
 *    clustered in one network (say 2001:db8::/32) spread over the table
 *    as well as rules spread over the whole address space.
 */
#ifdef __KERNEL__
#include <linux/in.h>
#endif

#include "rules.h"

#define NO_NODE		0	/* node links are index + 1 */
#define PORT_ANY_LO	0
#define PORT_ANY_HI	65535
#define STAGE_MIN_8	64	/* prefixes of a family for an 8-bit stage */
#define STAGE_MIN_16	1024	/* ... and for a 16-bit one */

/*
 * @bucket_first, @bucket_n: the node's buckets; its own rules while the
 * set is built, its flattened rules (its own and its ancestors') after.
 */
struct vmgw_trie_node {
	u8 key[16];
	u8 cidr;
	u8 family;
	u32 child[2];
	u32 bucket_first;
	u32 bucket_n;
};

struct vmgw_rule_bucket {
	u8 action;
	u8 proto;
	u32 range_first;
	u32 range_n;
};

struct vmgw_port_range {
	u16 lo;
	u16 hi;
};

/* First stage: where a walk for addresses of one block starts. */
struct vmgw_stage_entry {
	u32 next;	/* node to go on from, or NO_NODE */
	u32 best;	/* deepest node with rules covering the block */
};

/* A rule's (action, protocol, port range) while rules are flattened. */
struct vmgw_rtuple {
	u8 action;
	u8 proto;
	u16 lo;
	u16 hi;
};

struct vmgw_ruleset {
	struct vmgw_trie_node *nodes;
	struct vmgw_rule_bucket *buckets;
	struct vmgw_port_range *ranges;
	struct vmgw_stage_entry *stage[2];
	u32 n_nodes;
	u32 n_buckets;
	u32 n_ranges;
	u32 root[2];		/* IPv4, IPv6 */
	u8 stage_bits[2];
	u8 stage_skip[2];	/* bits before the stage: the root's prefix */
	unsigned int n_rules;
};

static unsigned int vmgw_family_bits(u8 family)
{
	return family == 4 ? 32 : 128;
}

static unsigned int vmgw_bit(const u8 *key, unsigned int pos)
{
	return (key[pos / 8] >> (7 - pos % 8)) & 1;
}

/**
 * vmgw_prefix_match() - whether an address lies in a network
 * @addr: the address (16 bytes readable; IPv4 uses the first 4)
 * @net: the network
 * @plen: prefix length, at most 128
 *
 * Return: true when the first @plen bits of @addr and @net are equal.
 */
bool vmgw_prefix_match(const u8 *addr, const u8 *net, unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8, i;

	/* A few bytes at most: a loop beats a call to memcmp(). */
	for (i = 0; i < bytes; i++)
		if (addr[i] != net[i])
			return false;
	if (!bits)
		return true;
	return !((addr[bytes] ^ net[bytes]) & (0xff00 >> bits));
}

/* Leading bits @a and @b share, at most @limit. */
static unsigned int vmgw_common_bits(const u8 *a, const u8 *b,
				     unsigned int limit)
{
	unsigned int n = 0, i;
	u8 x;

	for (i = 0; n < limit && i < 16; i++, n += 8) {
		x = a[i] ^ b[i];
		if (!x)
			continue;
		while (!(x & 0x80)) {
			n++;
			x <<= 1;
		}
		break;
	}
	return n < limit ? n : limit;
}

static void vmgw_mask(u8 *addr, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		addr[i] &= 0xff00 >> plen;
		plen = 0;
	}
}

/**
 * vmgw_rule_check() - validate one rule
 * @r: the rule
 *
 * Context: any.
 * Return: 0, or -EINVAL for an unknown family or action, a prefix longer
 * than the family's addresses, a port range that is empty, or ports on a
 * protocol other than TCP or UDP.
 */
int vmgw_rule_check(const struct vmgw_rule *r)
{
	if (r->family != 4 && r->family != 6)
		return -EINVAL;
	if (r->plen > vmgw_family_bits(r->family) ||
	    r->action >= VMGW_RULE_ACTIONS)
		return -EINVAL;
	if (r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP)
		return r->port_lo <= r->port_hi ? 0 : -EINVAL;
	if (r->port_lo != PORT_ANY_LO || r->port_hi != PORT_ANY_HI)
		return -EINVAL;
	return 0;
}

/* Prefix order (family, network, length), then action, protocol, ports. */
static int vmgw_rule_cmp(const void *a, const void *b)
{
	const struct vmgw_rule *x = a, *y = b;
	int d;

	if (x->family != y->family)
		return x->family - y->family;
	d = memcmp(x->addr, y->addr, 16);
	if (d)
		return d;
	if (x->plen != y->plen)
		return x->plen - y->plen;
	if (x->action != y->action)
		return x->action - y->action;
	if (x->proto != y->proto)
		return x->proto - y->proto;
	if (x->port_lo != y->port_lo)
		return x->port_lo - y->port_lo;
	return x->port_hi - y->port_hi;
}

static bool vmgw_same_prefix(const struct vmgw_rule *x,
			     const struct vmgw_rule *y)
{
	return x->family == y->family && x->plen == y->plen &&
	       !memcmp(x->addr, y->addr, 16);
}

static bool vmgw_same_bucket(const struct vmgw_rule *x,
			     const struct vmgw_rule *y)
{
	return vmgw_same_prefix(x, y) && x->action == y->action &&
	       x->proto == y->proto;
}

static u32 vmgw_trie_new(struct vmgw_ruleset *rs, u8 family, const u8 *key,
			 unsigned int cidr)
{
	struct vmgw_trie_node *node = &rs->nodes[rs->n_nodes++];

	node->family = family;
	memcpy(node->key, key, 16);
	vmgw_mask(node->key, cidr);
	node->cidr = cidr;
	return rs->n_nodes;
}

/*
 * Find or add the node of @key/@cidr below *@link. At most two nodes are
 * added (the prefix's own and a branching one), so 2 * prefixes nodes are
 * always enough. The arrays never move during a build: links stay valid.
 */
static struct vmgw_trie_node *vmgw_trie_insert(struct vmgw_ruleset *rs,
					       u8 family, const u8 *key,
					       unsigned int cidr)
{
	u32 *link = &rs->root[family == 6];
	struct vmgw_trie_node *node, *mid;
	unsigned int common;
	u32 idx, new;

	while (*link != NO_NODE) {
		idx = *link;
		node = &rs->nodes[idx - 1];
		common = vmgw_common_bits(node->key, key,
					  node->cidr < cidr ? node->cidr : cidr);
		if (common == node->cidr && node->cidr == cidr)
			return node;
		if (common == node->cidr) {
			link = &node->child[vmgw_bit(key, node->cidr)];
			continue;
		}
		new = vmgw_trie_new(rs, family, key, cidr);
		if (common == cidr) {
			/* The new prefix covers the node: it goes above. */
			rs->nodes[new - 1].child[vmgw_bit(node->key, cidr)] = idx;
			*link = new;
			return &rs->nodes[new - 1];
		}
		/* They part at bit @common: a branching node without rules. */
		*link = vmgw_trie_new(rs, family, key, common);
		mid = &rs->nodes[*link - 1];
		mid->child[vmgw_bit(node->key, common)] = idx;
		mid->child[vmgw_bit(key, common)] = new;
		return &rs->nodes[new - 1];
	}
	*link = vmgw_trie_new(rs, family, key, cidr);
	return &rs->nodes[*link - 1];
}

/* The port ranges of one bucket's rules (sorted by port_lo), merged. */
static void vmgw_bucket_fill(struct vmgw_ruleset *rs,
			     struct vmgw_rule_bucket *b,
			     const struct vmgw_rule *r, unsigned int n)
{
	struct vmgw_port_range *cur = NULL;
	unsigned int i;

	b->action = r->action;
	b->proto = r->proto;
	b->range_first = rs->n_ranges;
	for (i = 0; i < n; i++) {
		if (cur && (u32)r[i].port_lo <= (u32)cur->hi + 1) {
			if (r[i].port_hi > cur->hi)
				cur->hi = r[i].port_hi;
			continue;
		}
		cur = &rs->ranges[rs->n_ranges++];
		cur->lo = r[i].port_lo;
		cur->hi = r[i].port_hi;
	}
	b->range_n = rs->n_ranges - b->range_first;
}

/* One node per distinct prefix, one bucket per (action, protocol). */
static void vmgw_ruleset_fill(struct vmgw_ruleset *rs,
			      const struct vmgw_rule *r, unsigned int n)
{
	struct vmgw_trie_node *node;
	unsigned int i, j;

	for (i = 0; i < n; i = j) {
		node = vmgw_trie_insert(rs, r[i].family, r[i].addr,
					r[i].plen);
		node->bucket_first = rs->n_buckets;
		for (j = i; j < n && vmgw_same_prefix(&r[i], &r[j]);) {
			unsigned int k = j;

			while (k < n && vmgw_same_bucket(&r[j], &r[k]))
				k++;
			vmgw_bucket_fill(rs, &rs->buckets[rs->n_buckets++],
					 &r[j], k - j);
			j = k;
		}
		node->bucket_n = rs->n_buckets - node->bucket_first;
	}
}

static int vmgw_rtuple_cmp(const void *a, const void *b)
{
	const struct vmgw_rtuple *x = a, *y = b;

	if (x->action != y->action)
		return x->action - y->action;
	if (x->proto != y->proto)
		return x->proto - y->proto;
	if (x->lo != y->lo)
		return x->lo - y->lo;
	return x->hi - y->hi;
}

/* The own rules of every node with rules from the root down to @x. */
static unsigned int vmgw_flat_gather(const struct vmgw_ruleset *rs,
				     const struct vmgw_trie_node *x,
				     struct vmgw_rtuple *t)
{
	const struct vmgw_trie_node *node;
	u32 idx = rs->root[x->family == 6];
	unsigned int n = 0, b, r;

	while (idx != NO_NODE) {
		node = &rs->nodes[idx - 1];
		if (node->cidr > x->cidr ||
		    !vmgw_prefix_match(x->key, node->key, node->cidr))
			break;
		for (b = node->bucket_first;
		     b < node->bucket_first + node->bucket_n; b++) {
			const struct vmgw_rule_bucket *bk = &rs->buckets[b];

			for (r = bk->range_first;
			     r < bk->range_first + bk->range_n; r++) {
				t[n].action = bk->action;
				t[n].proto = bk->proto;
				t[n].lo = rs->ranges[r].lo;
				t[n].hi = rs->ranges[r].hi;
				n++;
			}
		}
		if (node == x)
			break;
		idx = node->child[vmgw_bit(x->key, node->cidr)];
	}
	return n;
}

/*
 * Sorted tuples into buckets and merged ranges from *@nb and *@nr on; only
 * counted when @b and @r are NULL. Returns the number of buckets.
 */
static u32 vmgw_flat_merge(const struct vmgw_rtuple *t, unsigned int n,
			   struct vmgw_rule_bucket *b,
			   struct vmgw_port_range *r, u32 *nb, u32 *nr)
{
	u32 first = *nb, hi = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!i || t[i].action != t[i - 1].action ||
		    t[i].proto != t[i - 1].proto) {
			if (b) {
				b[*nb].action = t[i].action;
				b[*nb].proto = t[i].proto;
				b[*nb].range_first = *nr;
				b[*nb].range_n = 0;
			}
			(*nb)++;
		} else if (t[i].lo <= hi + 1) {
			if (t[i].hi > hi)
				hi = t[i].hi;
			if (r)
				r[*nr - 1].hi = hi;
			continue;
		}
		if (r) {
			r[*nr].lo = t[i].lo;
			r[*nr].hi = t[i].hi;
			b[*nb - 1].range_n++;
		}
		(*nr)++;
		hi = t[i].hi;
	}
	return *nb - first;
}

/* Each node's flattened buckets into @b and @r (counted when NULL). */
static void vmgw_flat_pass(const struct vmgw_ruleset *rs,
			   struct vmgw_rtuple *t, struct vmgw_rule_bucket *b,
			   struct vmgw_port_range *r, u32 *first, u32 *cnt,
			   u32 *nb, u32 *nr)
{
	unsigned int i, n;

	*nb = 0;
	*nr = 0;
	for (i = 0; i < rs->n_nodes; i++) {
		if (!rs->nodes[i].bucket_n)
			continue;
		n = vmgw_flat_gather(rs, &rs->nodes[i], t);
		vmgw_pure_sort(t, n, sizeof(*t), vmgw_rtuple_cmp);
		first[i] = *nb;
		cnt[i] = vmgw_flat_merge(t, n, b, r, nb, nr);
	}
}

/*
 * Replace every node's own buckets with the union of its and its
 * ancestors' rules. A path holds each rule at most once, so @n_rules
 * tuples are enough to gather one.
 */
static int vmgw_ruleset_flatten(struct vmgw_ruleset *rs, unsigned int n_rules)
{
	struct vmgw_port_range *r = NULL;
	struct vmgw_rule_bucket *b = NULL;
	u32 *first, *cnt, nb, nr, i;
	struct vmgw_rtuple *t;
	int err = -ENOMEM;

	t = vmgw_pure_calloc(n_rules, sizeof(*t));
	first = vmgw_pure_calloc(rs->n_nodes, sizeof(*first));
	cnt = vmgw_pure_calloc(rs->n_nodes, sizeof(*cnt));
	if (!t || !first || !cnt)
		goto free_tmp;
	vmgw_flat_pass(rs, t, NULL, NULL, first, cnt, &nb, &nr);
	b = vmgw_pure_calloc(nb, sizeof(*b));
	r = vmgw_pure_calloc(nr, sizeof(*r));
	if (!b || !r)
		goto free_tmp;
	vmgw_flat_pass(rs, t, b, r, first, cnt, &nb, &nr);
	for (i = 0; i < rs->n_nodes; i++) {
		rs->nodes[i].bucket_first = first[i];
		rs->nodes[i].bucket_n = cnt[i];
	}
	vmgw_pure_free(rs->buckets);
	vmgw_pure_free(rs->ranges);
	rs->buckets = b;
	rs->ranges = r;
	rs->n_buckets = nb;
	rs->n_ranges = nr;
	b = NULL;
	r = NULL;
	err = 0;
free_tmp:
	vmgw_pure_free(b);
	vmgw_pure_free(r);
	vmgw_pure_free(t);
	vmgw_pure_free(first);
	vmgw_pure_free(cnt);
	return err;
}

/* The @n (at most 16) bits of @a that start at bit @off. */
static unsigned int vmgw_bits_at(const u8 *a, unsigned int off,
				 unsigned int n)
{
	unsigned int i = off / 8;
	u32 w = (u32)a[i] << 16;

	if (i + 1 < 16)
		w |= (u32)a[i + 1] << 8;
	if (i + 2 < 16)
		w |= a[i + 2];
	return (w >> (24 - off % 8 - n)) & ((1u << n) - 1);
}

/* Walk the levels above the stage for one block of addresses. */
static void vmgw_stage_fill(const struct vmgw_ruleset *rs, unsigned int fam,
			    unsigned int block, struct vmgw_stage_entry *e)
{
	unsigned int skip = rs->stage_skip[fam], bits = rs->stage_bits[fam];
	const struct vmgw_trie_node *node;
	u32 idx = rs->root[fam];
	u8 key[16];
	unsigned int i;

	memcpy(key, rs->nodes[idx - 1].key, 16);
	for (i = 0; i < bits; i++)
		if (block & (1u << (bits - 1 - i)))
			key[(skip + i) / 8] |= 0x80 >> ((skip + i) % 8);
	e->best = NO_NODE;
	while (idx != NO_NODE) {
		node = &rs->nodes[idx - 1];
		if (node->cidr > skip + bits)
			break;
		/* not longer than the block: covers all of it or none */
		if (!vmgw_prefix_match(key, node->key, node->cidr)) {
			idx = NO_NODE;
			break;
		}
		if (node->bucket_n)
			e->best = idx;
		/*
		 * A node ending where the block ends: its child is chosen by
		 * the first bit after the block, which only the address
		 * knows. The lookup goes on from the node itself.
		 */
		if (node->cidr == skip + bits)
			break;
		idx = node->child[vmgw_bit(key, node->cidr)];
	}
	e->next = idx;
}

/* The first stage of a family with @prefixes prefixes, if it has enough. */
static int vmgw_ruleset_stage(struct vmgw_ruleset *rs, unsigned int fam,
			      unsigned int prefixes)
{
	unsigned int bits, skip, room, i;

	if (prefixes < STAGE_MIN_8)
		return 0;
	skip = rs->nodes[rs->root[fam] - 1].cidr;
	room = (fam ? 128 : 32) - skip;
	bits = prefixes < STAGE_MIN_16 ? 8 : 16;
	if (bits > room)
		bits = room >= 8 ? 8 : 0;
	if (!bits)
		return 0;
	rs->stage[fam] = vmgw_pure_calloc(1u << bits, sizeof(*rs->stage[fam]));
	if (!rs->stage[fam])
		return -ENOMEM;
	rs->stage_bits[fam] = bits;
	rs->stage_skip[fam] = skip;
	for (i = 0; i < 1u << bits; i++)
		vmgw_stage_fill(rs, fam, i, &rs->stage[fam][i]);
	return 0;
}

/* Checked, masked, sorted copy of @rules; counts prefixes and buckets. */
static struct vmgw_rule *vmgw_rules_prepare(const struct vmgw_rule *rules,
					    unsigned int n,
					    unsigned int prefixes[2],
					    unsigned int *buckets, int *err)
{
	struct vmgw_rule *r;
	unsigned int i;

	for (i = 0; i < n; i++) {
		*err = vmgw_rule_check(&rules[i]);
		if (*err)
			return NULL;
	}
	*err = -ENOMEM;
	r = vmgw_pure_calloc(n, sizeof(*r));
	if (!r)
		return NULL;
	memcpy(r, rules, n * sizeof(*r));
	for (i = 0; i < n; i++) {
		if (r[i].family == 4)
			memset(r[i].addr + 4, 0, 12);
		vmgw_mask(r[i].addr, r[i].plen);
	}
	vmgw_pure_sort(r, n, sizeof(*r), vmgw_rule_cmp);
	prefixes[0] = 0;
	prefixes[1] = 0;
	*buckets = 0;
	for (i = 0; i < n; i++) {
		prefixes[r[i].family == 6] += !i ||
					      !vmgw_same_prefix(&r[i - 1], &r[i]);
		*buckets += !i || !vmgw_same_bucket(&r[i - 1], &r[i]);
	}
	*err = 0;
	return r;
}

/* Trie, flattened buckets, first stages, from prepared rules. */
static int vmgw_ruleset_compile(struct vmgw_ruleset *rs,
				const struct vmgw_rule *r, unsigned int n,
				const unsigned int prefixes[2],
				unsigned int buckets)
{
	int err;

	rs->nodes = vmgw_pure_calloc(2 * (prefixes[0] + prefixes[1]),
				     sizeof(*rs->nodes));
	rs->buckets = vmgw_pure_calloc(buckets, sizeof(*rs->buckets));
	rs->ranges = vmgw_pure_calloc(n, sizeof(*rs->ranges));
	if (!rs->nodes || !rs->buckets || !rs->ranges)
		return -ENOMEM;
	vmgw_ruleset_fill(rs, r, n);
	err = vmgw_ruleset_flatten(rs, n);
	if (!err)
		err = vmgw_ruleset_stage(rs, 0, prefixes[0]);
	if (!err)
		err = vmgw_ruleset_stage(rs, 1, prefixes[1]);
	return err;
}

/**
 * vmgw_ruleset_build() - compile rules into a rule set
 * @rules: the rules, any order, duplicates and overlaps allowed
 * @n: number of rules, at most %VMGW_RULES_MAX (0 gives an empty set)
 * @err: receives 0, -EINVAL (a rule fails vmgw_rule_check(), or too many)
 *	or -ENOMEM
 *
 * Context: process (allocates with GFP_KERNEL).
 * Return: the set, or NULL with *@err set. Free with vmgw_ruleset_free().
 */
struct vmgw_ruleset *vmgw_ruleset_build(const struct vmgw_rule *rules,
					unsigned int n, int *err)
{
	unsigned int prefixes[2] = { 0, 0 }, buckets = 0;
	struct vmgw_ruleset *rs;
	struct vmgw_rule *r = NULL;

	if (n > VMGW_RULES_MAX) {
		*err = -EINVAL;
		return NULL;
	}
	if (n) {
		r = vmgw_rules_prepare(rules, n, prefixes, &buckets, err);
		if (!r)
			return NULL;
	}
	*err = -ENOMEM;
	rs = vmgw_pure_calloc(1, sizeof(*rs));
	if (!rs)
		goto free_rules;
	rs->n_rules = n;
	if (n) {
		*err = vmgw_ruleset_compile(rs, r, n, prefixes, buckets);
		if (*err)
			goto free_set;
	}
	vmgw_pure_free(r);
	*err = 0;
	return rs;

free_set:
	vmgw_ruleset_free(rs);
free_rules:
	vmgw_pure_free(r);
	return NULL;
}

/**
 * vmgw_ruleset_free() - free a rule set
 * @rs: from vmgw_ruleset_build(), or NULL; no lookup may still use it
 *
 * Context: process.
 */
void vmgw_ruleset_free(struct vmgw_ruleset *rs)
{
	if (!rs)
		return;
	vmgw_pure_free(rs->nodes);
	vmgw_pure_free(rs->buckets);
	vmgw_pure_free(rs->ranges);
	vmgw_pure_free(rs->stage[0]);
	vmgw_pure_free(rs->stage[1]);
	vmgw_pure_free(rs);
}

/**
 * vmgw_ruleset_count() - rules a set was built from
 * @rs: a rule set, or NULL
 *
 * Return: the number of rules given to vmgw_ruleset_build().
 */
unsigned int vmgw_ruleset_count(const struct vmgw_ruleset *rs)
{
	return rs ? rs->n_rules : 0;
}

/* Does a bucket's union of port ranges hold @port (-1: all ports)? */
static bool vmgw_bucket_port(const struct vmgw_ruleset *rs,
			     const struct vmgw_rule_bucket *b, int port)
{
	const struct vmgw_port_range *r = rs->ranges + b->range_first;
	unsigned int lo = 0, hi = b->range_n, mid;

	if (port < 0)
		return b->range_n == 1 && r[0].lo == PORT_ANY_LO &&
		       r[0].hi == PORT_ANY_HI;
	/* Last range starting at or below @port. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (r[mid].lo <= port)
			lo = mid;
		else
			hi = mid;
	}
	return r[lo].lo <= port && port <= r[lo].hi;
}

static const struct vmgw_rule_bucket *
vmgw_node_bucket(const struct vmgw_ruleset *rs,
		 const struct vmgw_trie_node *node, u8 action, u8 proto)
{
	const struct vmgw_rule_bucket *b = rs->buckets + node->bucket_first;
	unsigned int lo = 0, hi = node->bucket_n, mid;
	int d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		d = b[mid].action != action ? b[mid].action - action :
					      b[mid].proto - proto;
		if (!d)
			return &b[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool vmgw_node_match(const struct vmgw_ruleset *rs,
			    const struct vmgw_trie_node *node, u8 action,
			    const struct vmgw_rule_key *key)
{
	const struct vmgw_rule_bucket *b;

	b = vmgw_node_bucket(rs, node, action, 0);
	if (b && vmgw_bucket_port(rs, b, key->port))
		return true;
	if (!key->proto)
		return false;
	b = vmgw_node_bucket(rs, node, action, key->proto);
	return b && vmgw_bucket_port(rs, b, key->port);
}

/*
 * The actions of a node's buckets that match @key. A node has a bucket per
 * (action, protocol) of its rules: usually a few, scanned in one pass;
 * many, searched by binary search, both ways bounded by 2 * 256 buckets.
 */
static unsigned int vmgw_node_actions(const struct vmgw_ruleset *rs,
				      const struct vmgw_trie_node *node,
				      const struct vmgw_rule_key *key)
{
	const struct vmgw_rule_bucket *b = rs->buckets + node->bucket_first;
	unsigned int i, a, mask = 0;

	if (node->bucket_n > 8) {
		for (a = 0; a < VMGW_RULE_ACTIONS; a++)
			if (vmgw_node_match(rs, node, a, key))
				mask |= 1u << a;
		return mask;
	}
	for (i = 0; i < node->bucket_n; i++)
		if ((!b[i].proto || b[i].proto == key->proto) &&
		    !(mask & (1u << b[i].action)) &&
		    vmgw_bucket_port(rs, &b[i], key->port))
			mask |= 1u << b[i].action;
	return mask;
}

/*
 * The deepest node with rules on the path of @key->addr (its flattened
 * buckets hold every rule whose prefix contains the address), from the
 * first stage's entry for its block if there is one.
 */
static u32 vmgw_ruleset_walk(const struct vmgw_ruleset *rs,
			     const struct vmgw_rule_key *key,
			     unsigned int *visited)
{
	unsigned int fam = key->family == 6, maxbits, n = 0;
	const struct vmgw_stage_entry *e;
	const struct vmgw_trie_node *node;
	u32 idx = rs->root[fam], best = NO_NODE;

	maxbits = vmgw_family_bits(key->family);
	if (rs->stage[fam]) {
		/* Outside the root's prefix, no rule of the family matches. */
		idx = NO_NODE;
		if (vmgw_prefix_match(key->addr, rs->nodes[rs->root[fam] - 1].key,
				      rs->stage_skip[fam])) {
			e = &rs->stage[fam][vmgw_bits_at(key->addr,
							 rs->stage_skip[fam],
							 rs->stage_bits[fam])];
			idx = e->next;
			best = e->best;
		}
	}
	while (idx != NO_NODE) {
		node = &rs->nodes[idx - 1];
		if (!vmgw_prefix_match(key->addr, node->key, node->cidr))
			break;
		n++;
		if (node->bucket_n)
			best = idx;
		if (node->cidr >= maxbits)
			break;
		idx = node->child[vmgw_bit(key->addr, node->cidr)];
	}
	*visited = n;
	return best;
}

/**
 * vmgw_ruleset_actions() - which actions have a rule matching a frame
 * @rs: a rule set, or NULL (matches nothing)
 * @key: destination, protocol and port of the frame
 * @visited: if not NULL, receives the number of trie nodes walked: at most
 *	33 (IPv4) or 129 (IPv6) whatever the size of the set, and with a
 *	first stage at most one more than the levels below it
 *
 * One walk down the path of prefixes that contain @key->addr, from the
 * first stage's entry for its block if there is one, to the deepest node
 * with rules; that node's flattened buckets (its rules and those of every
 * containing prefix) are then searched: its buckets for the frame's
 * protocol and for any protocol, and their port ranges, by binary search.
 *
 * Context: any; reads only. The set must stay alive (RCU in policy.c).
 * Return: a mask of the matching actions, BIT(%VMGW_RULE_ALLOW) and
 * BIT(%VMGW_RULE_DENY).
 */
unsigned int vmgw_ruleset_actions(const struct vmgw_ruleset *rs,
				  const struct vmgw_rule_key *key,
				  unsigned int *visited)
{
	unsigned int n = 0;
	u32 best = NO_NODE;

	if (rs && (key->family == 4 || key->family == 6))
		best = vmgw_ruleset_walk(rs, key, &n);
	if (visited)
		*visited = n;
	if (best == NO_NODE)
		return 0;
	return vmgw_node_actions(rs, &rs->nodes[best - 1], key);
}

/**
 * vmgw_ruleset_match() - whether any rule of an action matches a frame
 * @rs: a rule set, or NULL (matches nothing)
 * @action: &enum vmgw_rule_act
 * @key: destination, protocol and port of the frame
 * @visited: as for vmgw_ruleset_actions()
 *
 * Context: any; reads only. The set must stay alive (RCU in policy.c).
 * Return: true when a rule of @action matches.
 */
bool vmgw_ruleset_match(const struct vmgw_ruleset *rs, u8 action,
			const struct vmgw_rule_key *key,
			unsigned int *visited)
{
	return vmgw_ruleset_actions(rs, key, visited) & (1u << action);
}

struct vmgw_floor_net {
	u8 family;
	u8 plen;
	u8 addr[16];
};

static const struct vmgw_floor_net vmgw_floor_default[] = {
	{ 4, 16, { 169, 254 } },
	{ 6, 10, { 0xfe, 0x80 } },
};

static const struct vmgw_floor_net vmgw_floor_strict[] = {
	{ 4, 8, { 0 } },
	{ 4, 8, { 10 } },
	{ 4, 10, { 100, 64 } },
	{ 4, 8, { 127 } },
	{ 4, 12, { 172, 16 } },
	{ 4, 16, { 192, 168 } },
	{ 6, 128, { [15] = 1 } },
	{ 6, 7, { 0xfc } },
	/* local-use NAT64 (RFC 8215): a local translator's network */
	{ 6, 48, { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 } },
};

/* IPv6 prefixes that embed one IPv4 address, in their last 4 bytes. */
static const struct vmgw_floor_net vmgw_floor_v4_in_v6[] = {
	{ 6, 96, { [10] = 0xff, [11] = 0xff } },	/* ::ffff:0:0/96 */
	{ 6, 96, { 0x00, 0x64, 0xff, 0x9b } },		/* 64:ff9b::/96 */
};

/* The local-use NAT64 prefix, 64:ff9b:1::/48 (RFC 8215). */
static const struct vmgw_floor_net vmgw_nat64_local[] = {
	{ 6, 48, { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 } },
};

/*
 * Where a translator whose prefix lies inside 64:ff9b:1::/48 puts the
 * IPv4 address (RFC 6052 2.2): byte offsets of its 4 bytes for a /48,
 * /56, /64 and /96 prefix (byte 8, the "u" octet, is never used). Which
 * one a translator uses is its configuration, unknown here.
 */
static const u8 vmgw_nat64_local_pos[VMGW_V4_IN_V6_MAX][4] = {
	{ 6, 7, 9, 10 },
	{ 7, 9, 10, 11 },
	{ 9, 10, 11, 12 },
	{ 12, 13, 14, 15 },
};

static bool vmgw_floor_in(const struct vmgw_floor_net *t, unsigned int n,
			  u8 family, const u8 *addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i].family == family &&
		    vmgw_prefix_match(addr, t[i].addr, t[i].plen))
			return true;
	return false;
}

static bool vmgw_floor_direct(enum vmgw_floor floor, u8 family,
			      const u8 *addr)
{
	if (vmgw_floor_in(vmgw_floor_default, ARRAY_SIZE(vmgw_floor_default),
			  family, addr))
		return true;
	return floor == VMGW_FLOOR_STRICT &&
	       vmgw_floor_in(vmgw_floor_strict, ARRAY_SIZE(vmgw_floor_strict),
			     family, addr);
}

/**
 * vmgw_floor_match() - whether the floor denies a destination
 * @floor: the floor mode
 * @family: 4 or 6
 * @addr: destination (16 bytes readable; IPv4 uses the first 4)
 *
 * An IPv6 address that carries an IPv4 address (see vmgw_addr_v4_in_v6())
 * is also checked as each IPv4 address it may carry, so the floor cannot
 * be walked around through a translator.
 *
 * Context: any; a fixed handful of prefix comparisons.
 * Return: true when @addr is in the floor.
 */
bool vmgw_floor_match(enum vmgw_floor floor, u8 family, const u8 *addr)
{
	u8 v4[VMGW_V4_IN_V6_MAX][16];
	unsigned int i, n;
	bool exact;

	if (floor == VMGW_FLOOR_OFF || floor >= VMGW_FLOOR_MAX)
		return false;
	if (vmgw_floor_direct(floor, family, addr))
		return true;
	n = family == 6 ? vmgw_addr_v4_in_v6(addr, v4, &exact) : 0;
	for (i = 0; i < n; i++)
		if (vmgw_floor_direct(floor, 4, v4[i]))
			return true;
	return false;
}

/**
 * vmgw_addr_v4_in_v6() - the IPv4 addresses an IPv6 address may carry
 * @addr6: an IPv6 address (16 bytes)
 * @v4: receives the IPv4 addresses, each in the first 4 bytes of its 16
 *	(the other 12 zeroed: the shape of a rule key's address)
 * @exact: receives true when the address carries exactly one IPv4
 *	address whose place is fixed by its prefix
 *
 * IPv4-mapped (::ffff:0:0/96) and well-known NAT64 (64:ff9b::/96, always
 * a /96, RFC 6052) addresses carry one, in their last 4 bytes. A local-use
 * NAT64 address (64:ff9b:1::/48, RFC 8215) carries one at a place that
 * depends on the translator's prefix length (/48, /56, /64 or /96), so
 * all four are reported and *@exact is false. The floor and deny rules
 * judge each of them; IPv4 allow rules apply only to an exact one.
 *
 * Context: any.
 * Return: the number of addresses in @v4: 0, 1 or %VMGW_V4_IN_V6_MAX.
 */
unsigned int vmgw_addr_v4_in_v6(const u8 *addr6, u8 v4[][16], bool *exact)
{
	unsigned int i, j;

	*exact = false;
	if (vmgw_floor_in(vmgw_floor_v4_in_v6,
			  ARRAY_SIZE(vmgw_floor_v4_in_v6), 6, addr6)) {
		memset(v4[0], 0, 16);
		memcpy(v4[0], addr6 + 12, 4);
		*exact = true;
		return 1;
	}
	if (!vmgw_floor_in(vmgw_nat64_local, ARRAY_SIZE(vmgw_nat64_local), 6,
			   addr6))
		return 0;
	for (i = 0; i < VMGW_V4_IN_V6_MAX; i++) {
		memset(v4[i], 0, 16);
		for (j = 0; j < 4; j++)
			v4[i][j] = addr6[vmgw_nat64_local_pos[i][j]];
	}
	return VMGW_V4_IN_V6_MAX;
}
