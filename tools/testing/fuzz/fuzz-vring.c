// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the virtqueue walker (drivers/net/vmgw/vring.c,
 * compiled unchanged). The input is a guest's memory: its first bytes
 * choose the queue size, the features and the direction, the rest is
 * copied over the descriptor table, the avail ring and the buffers. The
 * guest memory is two regions of a buffer with a hole between them in
 * guest-physical space. Every pop must terminate, and every chain it
 * returns must be of the direction asked for, within the length limit,
 * made of segments inside the memory table that add up to its length; a
 * broken ring must stay broken. The access callbacks refuse anything
 * outside the buffer, so a walker that asked for such an access would be
 * caught too. A broken invariant aborts, which libFuzzer reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vring.h"

#define MEM_SIZE	0x10000u
#define REGION_SIZE	0x8000u
#define GPA_HIGH	0x100000u	/* second region, after a hole */
#define RING_DESC	0x0000u
#define RING_AVAIL	0x1000u
#define RING_USED	0x2000u
#define MAX_LEN		0x11000u

static uint8_t mem[MEM_SIZE];

static void broken(const char *what)
{
	fprintf(stderr, "vring: %s\n", what);
	abort();
}

static int mem_read(void *ctx, u64 uva, void *buf, u32 len)
{
	(void)ctx;
	if (uva > MEM_SIZE || len > MEM_SIZE - uva)
		return -EFAULT;
	memcpy(buf, mem + uva, len);
	return 0;
}

static int mem_write(void *ctx, u64 uva, const void *buf, u32 len)
{
	(void)ctx;
	if (uva > MEM_SIZE || len > MEM_SIZE - uva)
		return -EFAULT;
	memcpy(mem + uva, buf, len);
	return 0;
}

static const struct vmgw_vring_access acc = {
	.read = mem_read,
	.write = mem_write,
};

static bool seg_in_table(const struct vmgw_vring_mem *m,
			 const struct vmgw_vring_seg *s)
{
	u32 i;

	for (i = 0; i < m->n; i++)
		if (s->uva >= m->r[i].uva &&
		    s->uva - m->r[i].uva < m->r[i].size &&
		    s->len <= m->r[i].size - (s->uva - m->r[i].uva))
			return true;
	return false;
}

static void check_chain(const struct vmgw_vring *vr,
			const struct vmgw_vring_chain *c, u32 max_len)
{
	u64 sum = 0;
	u32 i;

	if (c->head >= vr->num)
		broken("chain head out of range");
	if (c->nseg > VMGW_VRING_SEG_MAX)
		broken("too many segments");
	if (c->len > max_len)
		broken("chain longer than the limit");
	for (i = 0; i < c->nseg; i++) {
		if (!c->seg[i].len)
			broken("empty segment");
		if (!seg_in_table(vr->mem, &c->seg[i]))
			broken("segment outside the memory table");
		sum += c->seg[i].len;
	}
	if (sum != c->len)
		broken("segments do not add up to the chain's length");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vmgw_vring_region regions[] = {
		{ .gpa = 0, .size = REGION_SIZE, .uva = 0 },
		{ .gpa = GPA_HIGH, .size = REGION_SIZE, .uva = REGION_SIZE },
	};
	static struct vmgw_vring_chain c;
	static struct vmgw_vring_mem m;
	struct vmgw_vring vr = { 0 };
	unsigned int pops, taken = 0;
	bool writable;
	u32 max_len;
	int ret;

	if (size < 4)
		return -1;
	if (vmgw_vring_mem_set(&m, regions, ARRAY_SIZE(regions)))
		broken("a fixed memory table refused");
	memset(mem, 0, sizeof(mem));
	memcpy(mem, data + 4, size - 4 < MEM_SIZE ? size - 4 : MEM_SIZE);

	vr.num = 1u << (data[0] % 9);		/* 1 .. 256 */
	vr.indirect = data[1] & 1;
	vr.event_idx = data[1] & 2;
	writable = data[1] & 4;
	max_len = data[2] & 1 ? MAX_LEN : 0xffffffffu;
	vr.desc = RING_DESC;
	vr.avail = RING_AVAIL;
	vr.used = RING_USED;
	vr.mem = &m;
	vr.acc = &acc;
	if (vmgw_vring_check_layout(vr.num, vr.desc, vr.avail, vr.used))
		broken("a fixed layout refused");
	if (vmgw_vring_start(&vr, data[3]))
		broken("start failed on readable memory");

	/* Each pop consumes an entry, so 2 * num + 2 pops see them all. */
	for (pops = 0; pops < 2 * vr.num + 2; pops++) {
		ret = vmgw_vring_pop(&vr, writable, max_len, &c);
		if (ret == 1) {
			check_chain(&vr, &c, max_len);
			if (vmgw_vring_add_used(&vr, c.head, writable ? c.len : 0))
				broken("used ring not writable");
			if (++taken % 3 == 0)
				vmgw_vring_unpop(&vr, 1);
		} else if (ret == 0) {
			if (!vmgw_vring_enable_notify(&vr))
				break;
			vmgw_vring_disable_notify(&vr);
		} else if (ret == -EIO) {
			if (!vr.broken ||
			    vmgw_vring_pop(&vr, writable, max_len, &c) != -EIO)
				broken("a broken ring gave more");
			break;
		} else if (ret != -EINVAL) {
			broken("unexpected return");
		}
	}
	if (!vr.broken) {
		if (vmgw_vring_publish(&vr))
			broken("used index not writable");
		vmgw_vring_need_call(&vr);
	}
	return 0;
}
