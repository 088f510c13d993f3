// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the vmgw frame classifier (drivers/net/vmgw/
 * classify.c, compiled unchanged). The input is one Ethernet frame; the
 * classifier gets, as in the NAPI poll, a view of its first bytes at most
 * VMGW_CLASSIFY_VIEW long, in a heap block of exactly that size so that
 * ASan reports any read past the view. A broken invariant aborts, which
 * libFuzzer reports as a crash and saves the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "classify.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int view_len = vmgw_classify_view_len(size);
	struct vmgw_frame_info fi, again;
	enum vmgw_class c;
	u8 *view;

	if (size > 65535)
		return -1;	/* longer than any frame write() takes */
	view = malloc(view_len ? view_len : 1);
	if (!view)
		abort();
	memcpy(view, data, view_len);
	c = vmgw_classify(view, view_len, size, &fi);
	vmgw_classify(view, view_len, size, &again);
	free(view);

	if (c != fi.class)
		broken("return value is not info->class", &fi, size);
	if (memcmp(&fi, &again, sizeof(fi)))
		broken("two runs disagree", &fi, size);
	if (fi.class >= VMGW_CLASS_MAX || fi.why >= VMGW_MAL_MAX)
		broken("class or reason out of range", &fi, size);
	if ((fi.class == VMGW_CLASS_MALFORMED) != (fi.why != VMGW_MAL_NONE))
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
	return 0;
}
