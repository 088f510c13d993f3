// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the virtqueue walker of /dev/vhost-vmgw. Guest memory is a
 * buffer here, reached only through the walker's access callbacks, with
 * two regions and a hole between them. Each hostile form of a chain or a
 * ring has a case that checks it is refused, counted by its reason, and
 * what happens to the queue afterwards.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "vring.h"

#define MEM_SIZE	0x20000u
#define REGION_SIZE	0x10000u
#define GPA_HIGH	0x100000u
#define DESC		0x0000u
#define AVAIL		0x2000u
#define USED		0x3000u
#define NUM		16
#define BUF		0x8000u		/* gpa of buffers in the low region */

#define F_NEXT		VMGW_VRING_DESC_F_NEXT
#define F_WRITE		VMGW_VRING_DESC_F_WRITE
#define F_INDIRECT	VMGW_VRING_DESC_F_INDIRECT

struct vt {
	u8 *mem;
	struct vmgw_vring_mem table;
	struct vmgw_vring_access acc;
	struct vmgw_vring vr;
	struct vmgw_vring_chain c;
	u16 avail_idx;
};

static int vt_read(void *ctx, u64 uva, void *buf, u32 len)
{
	struct vt *t = ctx;

	if (uva > MEM_SIZE || len > MEM_SIZE - uva)
		return -EFAULT;
	memcpy(buf, t->mem + uva, len);
	return 0;
}

static int vt_write(void *ctx, u64 uva, const void *buf, u32 len)
{
	struct vt *t = ctx;

	if (uva > MEM_SIZE || len > MEM_SIZE - uva)
		return -EFAULT;
	memcpy(t->mem + uva, buf, len);
	return 0;
}

static struct vt *vt_new(struct kunit *test, bool indirect, bool event_idx)
{
	static const struct vmgw_vring_region r[] = {
		{ .gpa = GPA_HIGH, .size = REGION_SIZE, .uva = REGION_SIZE },
		{ .gpa = 0, .size = REGION_SIZE, .uva = 0 },
	};
	struct vt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mem = kunit_kzalloc(test, MEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->mem);
	KUNIT_ASSERT_EQ(test, vmgw_vring_mem_set(&t->table, r, 2), 0);
	t->acc.read = vt_read;
	t->acc.write = vt_write;
	t->acc.ctx = t;
	t->vr.desc = DESC;
	t->vr.avail = AVAIL;
	t->vr.used = USED;
	t->vr.num = NUM;
	t->vr.indirect = indirect;
	t->vr.event_idx = event_idx;
	t->vr.mem = &t->table;
	t->vr.acc = &t->acc;
	KUNIT_ASSERT_EQ(test, vmgw_vring_check_layout(NUM, DESC, AVAIL, USED), 0);
	KUNIT_ASSERT_EQ(test, vmgw_vring_start(&t->vr, 0), 0);
	return t;
}

/* Descriptor @i of the table at uva @table. */
static void vt_desc(struct vt *t, u64 table, u16 i, u64 addr, u32 len,
		    u16 flags, u16 next)
{
	u8 *d = t->mem + table + 16 * i;

	put_unaligned_le64(addr, d);
	put_unaligned_le32(len, d + 8);
	put_unaligned_le16(flags, d + 12);
	put_unaligned_le16(next, d + 14);
}

/* Offer the chain at @head to the device. */
static void vt_offer(struct vt *t, u16 head)
{
	put_unaligned_le16(head, t->mem + AVAIL + 4 + 2 * (t->avail_idx % NUM));
	t->avail_idx++;
	put_unaligned_le16(t->avail_idx, t->mem + AVAIL + 2);
}

static u16 vt_used_idx(struct vt *t)
{
	return get_unaligned_le16(t->mem + USED + 2);
}

static void vring_test_mem_table(struct kunit *test)
{
	struct vmgw_vring_region r[3] = {
		{ .gpa = 0x1000, .size = 0x1000, .uva = 0x10000 },
		{ .gpa = 0x2000, .size = 0x1000, .uva = 0x50000 },
		{ .gpa = 0, .size = 0x1000, .uva = 0x90000 },
	};
	struct vmgw_vring_mem m = {};
	struct vmgw_vring_seg s[4];

	KUNIT_ASSERT_EQ(test, vmgw_vring_mem_set(&m, r, 3), 0);
	KUNIT_EXPECT_EQ(test, m.r[0].gpa, 0ULL);
	/* a buffer across two adjacent regions is two segments */
	KUNIT_ASSERT_EQ(test, vmgw_vring_translate(&m, 0x1ff0, 0x20, s, 4), 2);
	KUNIT_EXPECT_EQ(test, s[0].uva, 0x10ff0ULL);
	KUNIT_EXPECT_EQ(test, s[0].len, 0x10U);
	KUNIT_EXPECT_EQ(test, s[1].uva, 0x50000ULL);
	KUNIT_EXPECT_EQ(test, s[1].len, 0x10U);
	KUNIT_EXPECT_EQ(test, vmgw_vring_translate(&m, 0x1ff0, 0x20, s, 1),
			-ENOSPC);
	/* one byte past the last region */
	KUNIT_EXPECT_EQ(test, vmgw_vring_translate(&m, 0x2ff0, 0x11, s, 4),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, vmgw_vring_translate(&m, ~0ULL - 4, 0x10, s, 4),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, vmgw_vring_translate(&m, 0x5000, 0, s, 4), 0);

	/* overlap, empty, wrapping regions and too many are refused */
	r[1].gpa = 0x1800;
	KUNIT_EXPECT_EQ(test, vmgw_vring_mem_set(&m, r, 3), -EINVAL);
	r[1].gpa = 0x2000;
	r[1].size = 0;
	KUNIT_EXPECT_EQ(test, vmgw_vring_mem_set(&m, r, 3), -EINVAL);
	r[1].size = 0x1000;
	r[1].gpa = ~0ULL - 0x10;
	KUNIT_EXPECT_EQ(test, vmgw_vring_mem_set(&m, r, 3), -EINVAL);
	r[1].gpa = 0x2000;
	r[1].uva = ~0ULL - 0x10;
	KUNIT_EXPECT_EQ(test, vmgw_vring_mem_set(&m, r, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_mem_set(&m, r, VMGW_VRING_MEM_MAX + 1),
			-E2BIG);
	/* the table installed last is still the one in use */
	KUNIT_EXPECT_EQ(test, m.n, 3U);
	KUNIT_EXPECT_EQ(test, m.r[1].uva, 0x10000ULL);
}

static void vring_test_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(256, 0, 4096, 8192), 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(0, 0, 4096, 8192), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(100, 0, 4096, 8192),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(65536, 0, 4096, 8192),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(256, 8, 4096, 8192),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(256, 0, 4097, 8192),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(256, 0, 4096, 8194),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_check_layout(256, ~0ULL - 15, 0, 0),
			-EINVAL);
}

/* A transmit chain across both regions, returned through the used ring. */
static void vring_test_tx_chain(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);

	vt_desc(t, DESC, 3, BUF, 12, F_NEXT, 5);
	vt_desc(t, DESC, 5, GPA_HIGH + 0x100, 1500, 0, 0);
	vt_offer(t, 3);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.head, 3);
	KUNIT_EXPECT_EQ(test, t->c.len, 1512U);
	KUNIT_ASSERT_EQ(test, t->c.nseg, 2U);
	KUNIT_EXPECT_EQ(test, t->c.seg[0].uva, (u64)BUF);
	KUNIT_EXPECT_EQ(test, t->c.seg[1].uva, (u64)REGION_SIZE + 0x100);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 0);

	KUNIT_EXPECT_EQ(test, vmgw_vring_add_used(&t->vr, 3, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_used_idx(t), 0);	/* not yet published */
	KUNIT_EXPECT_EQ(test, vmgw_vring_publish(&t->vr), 0);
	KUNIT_EXPECT_EQ(test, vt_used_idx(t), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->mem + USED + 4), 3U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->mem + USED + 8), 0U);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_ADDR], 0ULL);
}

/* Receive wants writable buffers only, transmit readable ones only. */
static void vring_test_direction(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);

	vt_desc(t, DESC, 0, BUF, 1526, F_WRITE, 0);
	vt_desc(t, DESC, 1, BUF, 12, F_NEXT, 2);
	vt_desc(t, DESC, 2, BUF + 12, 100, F_WRITE, 0);
	vt_offer(t, 0);
	vt_offer(t, 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, true, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.len, 1526U);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, true, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_DIR], 1ULL);
	/* the refused chain went back to the guest with length 0 */
	KUNIT_EXPECT_EQ(test, vmgw_vring_publish(&t->vr), 0);
	KUNIT_EXPECT_EQ(test, vt_used_idx(t), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->mem + USED + 4), 1U);
}

/* A chain that loops back on itself ends as a refused chain. */
static void vring_test_loop(struct kunit *test)
{
	struct vt *t = vt_new(test, true, false);

	vt_desc(t, DESC, 0, BUF, 1, F_NEXT, 1);
	vt_desc(t, DESC, 1, BUF, 1, F_NEXT, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_CHAIN], 1ULL);
	/* a loop inside an indirect table too */
	vt_desc(t, DESC, 2, BUF, 64, F_INDIRECT, 0);
	vt_desc(t, BUF, 0, BUF + 0x100, 1, F_NEXT, 3);
	vt_desc(t, BUF, 3, BUF + 0x100, 1, F_NEXT, 0);
	vt_offer(t, 2);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_CHAIN], 2ULL);
	/* and the queue goes on with the next chain */
	vt_desc(t, DESC, 4, BUF, 60, 0, 0);
	vt_offer(t, 4);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.head, 4);
}

/* Exactly @num descriptors is a chain; more is refused. */
static void vring_test_chain_len(struct kunit *test)
{
	struct vt *t = vt_new(test, true, false);
	u16 i;

	for (i = 0; i < NUM; i++)
		vt_desc(t, DESC, i, BUF + i, 1, i < NUM - 1 ? F_NEXT : 0, i + 1);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.len, (u32)NUM);
	/* an indirect table of more than num entries */
	vt_desc(t, DESC, 0, BUF, 16 * (NUM + 1), F_INDIRECT, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_INDIRECT_LEN], 1ULL);
	/* a next index beyond the table */
	vt_desc(t, DESC, 0, BUF, 1, F_NEXT, NUM);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_NEXT], 1ULL);
	/* a head beyond the table is not returned: it names no chain */
	vt_offer(t, NUM + 7);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_HEAD], 1ULL);
	KUNIT_EXPECT_EQ(test, t->vr.used_idx, 2);
}

static void vring_test_indirect(struct kunit *test)
{
	struct vt *t = vt_new(test, true, false);

	/* a good one: header and frame in a table in the high region */
	vt_desc(t, REGION_SIZE, 0, BUF, 12, F_NEXT, 1);
	vt_desc(t, REGION_SIZE, 1, GPA_HIGH + 0x1000, 1000, 0, 0);
	vt_desc(t, DESC, 0, GPA_HIGH, 32, F_INDIRECT, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.len, 1012U);
	KUNIT_EXPECT_EQ(test, t->c.nseg, 2U);

	/* indirect in indirect */
	vt_desc(t, REGION_SIZE, 1, GPA_HIGH, 32, F_INDIRECT, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_INDIRECT], 1ULL);
	/* indirect and next together */
	vt_desc(t, DESC, 1, GPA_HIGH, 32, F_INDIRECT | F_NEXT, 2);
	vt_offer(t, 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_INDIRECT], 2ULL);
	/* a table length that is not whole descriptors, or none */
	vt_desc(t, DESC, 1, GPA_HIGH, 24, F_INDIRECT, 0);
	vt_offer(t, 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	vt_desc(t, DESC, 1, GPA_HIGH, 0, F_INDIRECT, 0);
	vt_offer(t, 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_INDIRECT_LEN], 2ULL);
	/* a table across the hole of the memory table */
	vt_desc(t, DESC, 1, REGION_SIZE - 16, 32, F_INDIRECT, 0);
	vt_offer(t, 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_ADDR], 1ULL);

	/* without the feature an indirect descriptor is refused */
	t->vr.indirect = false;
	vt_desc(t, REGION_SIZE, 1, GPA_HIGH + 0x1000, 1000, 0, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_INDIRECT], 3ULL);
}

static void vring_test_bad_buffers(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);
	u16 i;

	/* in the hole between the regions */
	vt_desc(t, DESC, 0, REGION_SIZE + 0x10, 64, 0, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	/* address plus length wraps around */
	vt_desc(t, DESC, 0, ~0ULL - 8, 64, 0, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_ADDR], 2ULL);
	/* lengths whose sum overflows 32 bits */
	vt_desc(t, DESC, 0, BUF, 0x8000, F_NEXT, 1);
	vt_desc(t, DESC, 1, BUF, 0xfffffff0, 0, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 0xffffffff, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_LEN], 1ULL);
	/* more than the caller's limit */
	vt_desc(t, DESC, 0, BUF, 1000, F_NEXT, 1);
	vt_desc(t, DESC, 1, BUF, 1000, 0, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 1999, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_LEN], 2ULL);
	/* num one-byte buffers, the last byte of the table each */
	for (i = 0; i < NUM; i++)
		vt_desc(t, DESC, i, GPA_HIGH + REGION_SIZE - 1, 1,
			i < NUM - 1 ? F_NEXT : 0, i + 1);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.nseg, (u32)NUM);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_SEGS], 0ULL);
	KUNIT_EXPECT_FALSE(test, t->vr.broken);
}

/* Chains translating to more segments than a chain holds are refused. */
static void vring_test_segments(struct kunit *test)
{
	static const struct vmgw_vring_region adjacent[] = {
		{ .gpa = 0, .size = REGION_SIZE, .uva = 0 },
		{ .gpa = REGION_SIZE, .size = REGION_SIZE, .uva = REGION_SIZE },
	};
	struct vt *t = vt_new(test, true, false);
	u16 i, n = VMGW_VRING_SEG_MAX / 2 + 1;

	/* two segments for each buffer across the regions' boundary */
	KUNIT_ASSERT_EQ(test, vmgw_vring_mem_set(&t->table, adjacent, 2), 0);
	/* an indirect table needs a queue as large as its entries */
	t->vr.num = 256;
	for (i = 0; i < n; i++)
		vt_desc(t, BUF, i, REGION_SIZE - 1, 2, i < n - 1 ? F_NEXT : 0,
			i + 1);
	vt_desc(t, DESC, 0, BUF, 16 * n, F_INDIRECT, 0);
	put_unaligned_le16(0, t->mem + AVAIL + 4);
	put_unaligned_le16(1, t->mem + AVAIL + 2);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_SEGS], 1ULL);
}

/* An avail index more than num ahead breaks the ring until it restarts. */
static void vring_test_avail_jump(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);

	vt_desc(t, DESC, 0, BUF, 60, 0, 0);
	put_unaligned_le16(NUM + 1, t->mem + AVAIL + 2);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), -EIO);
	KUNIT_EXPECT_TRUE(test, t->vr.broken);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_AVAIL_IDX], 1ULL);
	/* still broken, counted once, even once the index looks sane */
	put_unaligned_le16(1, t->mem + AVAIL + 2);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), -EIO);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_AVAIL_IDX], 1ULL);
	KUNIT_EXPECT_FALSE(test, vmgw_vring_enable_notify(&t->vr));
	/* a backwards index is a jump too */
	KUNIT_EXPECT_EQ(test, vmgw_vring_start(&t->vr, 5), 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), -EIO);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_AVAIL_IDX], 2ULL);
	/* exactly num ahead is a full ring, not a jump */
	KUNIT_EXPECT_EQ(test, vmgw_vring_start(&t->vr, 0), 0);
	put_unaligned_le16(NUM, t->mem + AVAIL + 2);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
}

/* The ring is out of the VMM's memory: broken, not a crash. */
static void vring_test_fault(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);

	t->vr.avail = MEM_SIZE - 2;
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), -EIO);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_FAULT], 1ULL);
	t->vr.avail = AVAIL;
	t->vr.used = MEM_SIZE;
	KUNIT_EXPECT_EQ(test, vmgw_vring_start(&t->vr, 0), -EIO);
	KUNIT_EXPECT_EQ(test, t->vr.err[VMGW_VRING_ERR_FAULT], 2ULL);
}

/* Give back chains that were not used; they come again in order. */
static void vring_test_unpop(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);

	vt_desc(t, DESC, 0, BUF, 100, F_WRITE, 0);
	vt_desc(t, DESC, 1, BUF + 100, 100, F_WRITE, 0);
	vt_offer(t, 0);
	vt_offer(t, 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, true, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, true, 65536, &t->c), 1);
	vmgw_vring_unpop(&t->vr, 2);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, true, 65536, &t->c), 1);
	KUNIT_EXPECT_EQ(test, t->c.head, 0);
	KUNIT_EXPECT_EQ(test, t->vr.last_avail, 1);
}

static void vring_test_notify(struct kunit *test)
{
	struct vt *t = vt_new(test, false, false);

	/* without EVENT_IDX: the guest's NO_INTERRUPT flag */
	KUNIT_EXPECT_TRUE(test, vmgw_vring_need_call(&t->vr));
	put_unaligned_le16(VMGW_VRING_AVAIL_F_NO_INTERRUPT, t->mem + AVAIL);
	KUNIT_EXPECT_FALSE(test, vmgw_vring_need_call(&t->vr));
	vmgw_vring_disable_notify(&t->vr);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->mem + USED),
			VMGW_VRING_USED_F_NO_NOTIFY);
	KUNIT_EXPECT_FALSE(test, vmgw_vring_enable_notify(&t->vr));
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->mem + USED), 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_TRUE(test, vmgw_vring_enable_notify(&t->vr));

	/* with EVENT_IDX: used_event says after which entry to call */
	t = vt_new(test, false, true);
	vt_desc(t, DESC, 0, BUF, 60, 0, 0);
	put_unaligned_le16(1, t->mem + AVAIL + 4 + 2 * NUM);	/* used_event */
	vmgw_vring_add_used(&t->vr, 0, 0);
	vmgw_vring_publish(&t->vr);
	KUNIT_EXPECT_FALSE(test, vmgw_vring_need_call(&t->vr));	/* 1 used */
	vmgw_vring_add_used(&t->vr, 0, 0);
	vmgw_vring_publish(&t->vr);
	KUNIT_EXPECT_TRUE(test, vmgw_vring_need_call(&t->vr));	/* passed 1 */
	vmgw_vring_add_used(&t->vr, 0, 0);
	vmgw_vring_publish(&t->vr);
	KUNIT_EXPECT_FALSE(test, vmgw_vring_need_call(&t->vr));
	/* avail_event tells the guest where to kick */
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
	KUNIT_EXPECT_FALSE(test, vmgw_vring_enable_notify(&t->vr));
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->mem + USED + 4 + 8 * NUM), 1);
}

/* Feature negotiation: what is offered is accepted, nothing else is. */
static void vring_test_features(struct kunit *test)
{
	static const unsigned int refused[] = {
		24,	/* VIRTIO_F_NOTIFY_ON_EMPTY */
		26,	/* VHOST_F_LOG_ALL: dirty logging */
		27,	/* VHOST_NET_F_VIRTIO_NET_HDR */
		33,	/* VIRTIO_F_ACCESS_PLATFORM: IOTLB */
		34,	/* VIRTIO_F_RING_PACKED */
		40,	/* VIRTIO_F_RING_RESET */
		63,
	};
	const u64 indirect = VMGW_VRING_BIT(VMGW_VRING_F_INDIRECT_DESC);
	const u64 v1 = VMGW_VRING_BIT(VMGW_VRING_F_VERSION_1);
	struct vt *t = vt_new(test, false, false);
	u64 f = VMGW_VRING_FEATURES;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, vmgw_vring_set_features(&t->vr, f), 0);
	KUNIT_EXPECT_TRUE(test, t->vr.indirect);
	KUNIT_EXPECT_TRUE(test, t->vr.event_idx);
	KUNIT_EXPECT_EQ(test, vmgw_vring_set_features(&t->vr, v1), 0);
	KUNIT_EXPECT_FALSE(test, t->vr.indirect);
	KUNIT_EXPECT_FALSE(test, t->vr.event_idx);
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		f = VMGW_VRING_FEATURES | VMGW_VRING_BIT(refused[i]);
		KUNIT_EXPECT_EQ_MSG(test, vmgw_vring_set_features(&t->vr, f),
				    -EOPNOTSUPP, "bit %u", refused[i]);
		/* a refused set leaves the queue as it was */
		KUNIT_EXPECT_FALSE(test, t->vr.indirect);
	}
	/* the indirect flag follows the negotiation */
	vt_desc(t, DESC, 0, GPA_HIGH, 16, F_INDIRECT, 0);
	vt_desc(t, REGION_SIZE, 0, BUF, 60, 0, 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmgw_vring_set_features(&t->vr, indirect), 0);
	vt_offer(t, 0);
	KUNIT_EXPECT_EQ(test, vmgw_vring_pop(&t->vr, false, 65536, &t->c), 1);
}

static struct kunit_case vmgw_vring_test_cases[] = {
	KUNIT_CASE(vring_test_mem_table),
	KUNIT_CASE(vring_test_layout),
	KUNIT_CASE(vring_test_tx_chain),
	KUNIT_CASE(vring_test_direction),
	KUNIT_CASE(vring_test_loop),
	KUNIT_CASE(vring_test_chain_len),
	KUNIT_CASE(vring_test_indirect),
	KUNIT_CASE(vring_test_bad_buffers),
	KUNIT_CASE(vring_test_segments),
	KUNIT_CASE(vring_test_avail_jump),
	KUNIT_CASE(vring_test_fault),
	KUNIT_CASE(vring_test_unpop),
	KUNIT_CASE(vring_test_notify),
	KUNIT_CASE(vring_test_features),
	{}
};

static struct kunit_suite vmgw_vring_test_suite = {
	.name = "vmgw_vring",
	.test_cases = vmgw_vring_test_cases,
};

kunit_test_suite(vmgw_vring_test_suite);
