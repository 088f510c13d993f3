// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the vmgw frame classifier (drivers/net/vmgw/
 * classify.c, compiled unchanged). The input is one Ethernet frame; the
 * classifier gets, as in the NAPI poll, a view of its first bytes at most
 * VMGW_CLASSIFY_VIEW long, in a heap block of exactly that size so that
 * ASan reports any read past the view. A broken invariant aborts, which
 * libFuzzer reports as a crash and saves the input.
 *
 * A frame classified as a TCP SYN also gets the RST that would refuse it
 * (rst.c, in an exact-size buffer): that RST must classify as a well-formed
 * TCP segment back to the SYN's sender, with valid checksums.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "classify.h"
#include "rst.h"

static void broken(const char *what, const struct vmgw_frame_info *fi,
		   size_t size)
{
	fprintf(stderr, "classify: %s (frame %zu bytes: class %d why %d l3 %u l4 %u)\n",
		what, size, fi->class, fi->why, fi->l3_off, fi->l4_off);
	abort();
}

/* Classes that have a parsed L4 header of at least 8 bytes in the view. */
static int has_l4(enum vmgw_class c)
{
	return c >= VMGW_CLASS_TCP_SYN;
}

static void check_rst(const u8 *view, unsigned int view_len,
		      const struct vmgw_frame_info *syn, size_t size)
{
	static const u8 pseudo[4] = { 0, 6, 0, 20 };	/* TCP, 20 bytes */
	struct vmgw_frame_info fi;
	unsigned int len, alen;
	u32 sum;
	u8 *out;

	out = malloc(VMGW_RST_MAX_LEN);
	if (!out)
		abort();
	len = vmgw_rst_build(view, view_len, syn, out, VMGW_RST_MAX_LEN);
	if (!len)
		goto out_free;
	if (len > VMGW_RST_MAX_LEN)
		broken("RST longer than its maximum", syn, size);
	vmgw_classify(out, len, len, &fi);
	alen = syn->ip_version == 4 ? 4 : 16;
	if ((fi.class != VMGW_CLASS_TCP && fi.class != VMGW_CLASS_DNS) ||
	    fi.ip_version != syn->ip_version || fi.tcp_flags != 0x14 ||
	    fi.vlan != syn->vlan || fi.sport != syn->dport ||
	    fi.dport != syn->sport || memcmp(fi.saddr, syn->daddr, alen) ||
	    memcmp(fi.daddr, syn->saddr, alen) ||
	    memcmp(out, view + 6, 6) || memcmp(out + 6, view, 6))
		broken("RST not a reply to its SYN", &fi, size);
	if (fi.ip_version == 4 &&
	    vmgw_csum_fold(vmgw_csum_add(0, out + fi.l3_off, 20)))
		broken("RST with a bad IPv4 header checksum", &fi, size);
	/* Pseudo header (the order of 16-bit words does not matter). */
	sum = vmgw_csum_add(0, fi.saddr, alen);
	sum = vmgw_csum_add(sum, fi.daddr, alen);
	sum = vmgw_csum_add(sum, pseudo, sizeof(pseudo));
	if (vmgw_csum_fold(vmgw_csum_add(sum, out + fi.l4_off, len - fi.l4_off)))
		broken("RST with a bad TCP checksum", &fi, size);
out_free:
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int view_len = vmgw_classify_view_len(size);
	struct vmgw_frame_info fi, again;
	enum vmgw_class c;
	bool malformed;
	u8 *view;

	if (size > 65535)
		return -1;	/* longer than any frame write() takes */
	view = malloc(view_len ? view_len : 1);
	if (!view)
		abort();
	memcpy(view, data, view_len);
	c = vmgw_classify(view, view_len, size, &fi);
	vmgw_classify(view, view_len, size, &again);

	if (c != fi.class)
		broken("return value is not info->class", &fi, size);
	if (memcmp(&fi, &again, sizeof(fi)))
		broken("two runs disagree", &fi, size);
	if (fi.class >= VMGW_CLASS_MAX || fi.why >= VMGW_MAL_MAX)
		broken("class or reason out of range", &fi, size);
	malformed = fi.class == VMGW_CLASS_MALFORMED;
	if (malformed == !fi.why)
		broken("class and reason disagree", &fi, size);
	if (fi.l3_off > size || fi.l4_off > size)
		broken("offset past the frame", &fi, size);
	if (has_l4(fi.class) && (fi.l4_off < fi.l3_off ||
				 fi.l4_off + 8u > view_len))
		broken("L4 header outside the view", &fi, size);
	if (fi.class != VMGW_CLASS_MALFORMED && fi.class != VMGW_CLASS_ARP &&
	    fi.class != VMGW_CLASS_OTHER_ETHERTYPE && fi.ip_version != 4 &&
	    fi.ip_version != 6)
		broken("IP class without an IP version", &fi, size);
	if (fi.class == VMGW_CLASS_ICMP && fi.ip_version != 4)
		broken("ICMP over IPv6", &fi, size);
	if ((fi.class == VMGW_CLASS_ICMPV6 || fi.class == VMGW_CLASS_NDP) &&
	    fi.ip_version != 6)
		broken("ICMPv6 over IPv4", &fi, size);
	if (fi.class == VMGW_CLASS_TCP_SYN)
		check_rst(view, view_len, &fi, size);
	free(view);
	return 0;
}
