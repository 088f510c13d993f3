// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ioctl state machine of /dev/vhost-vmgw as a VMM can get it
 * wrong: calls before VHOST_SET_OWNER, a second owner, a caller that is
 * not the owner, queue indices out of range, bad queue sizes and ring
 * addresses, bad memory tables, bad descriptors; each refused with the
 * errno the VMM can act on, and the state left usable.
 *
 * The test thread gets an address space of its own (kunit_vm_mmap()) and
 * passes each ioctl's argument in it, as a VMM does.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/file.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>

#include "vmgw.h"
#include "vring.h"

/* How much user memory a test maps: the arguments and two rings. */
#define VT_MAP		(64 * 1024)
#define VT_NUM		256

struct vt {
	struct file *file;
	unsigned long arg;	/* user address of the ioctl argument */
	unsigned long ring;	/* user address of room for the rings */
};

static int vt_init(struct kunit *test)
{
	struct vt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned long m;

	if (!t)
		return -ENOMEM;
	m = kunit_vm_mmap(test, NULL, 0, VT_MAP, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(m) || !m)
		return -ENOMEM;
	t->arg = m;
	t->ring = m + 16 * 1024;
	t->file = vmgw_vhost_test_file();
	if (IS_ERR(t->file))
		return PTR_ERR(t->file);
	test->priv = t;
	return 0;
}

static void vt_exit(struct kunit *test)
{
	struct vt *t = test->priv;

	if (t && !IS_ERR_OR_NULL(t->file)) {
		fput(t->file);
		flush_delayed_fput();
	}
}

/* One ioctl with @len bytes of @arg in user memory (copied back after). */
static long vt_ioctl(struct vt *t, unsigned int cmd, void *arg, size_t len)
{
	void __user *u = (void __user *)t->arg;
	long ret;

	if (len && copy_to_user(u, arg, len))
		return -EFAULT;
	ret = t->file->f_op->unlocked_ioctl(t->file, cmd, t->arg);
	if (len && copy_from_user(arg, u, len))
		return -EFAULT;
	return ret;
}

static long vt_u64(struct vt *t, unsigned int cmd, u64 v)
{
	return vt_ioctl(t, cmd, &v, sizeof(v));
}

static long vt_state(struct vt *t, unsigned int cmd, u32 idx, u32 num)
{
	struct vhost_vring_state s = { .index = idx, .num = num };

	return vt_ioctl(t, cmd, &s, sizeof(s));
}

static long vt_file(struct vt *t, unsigned int cmd, u32 idx, int fd)
{
	struct vhost_vring_file f = { .index = idx, .fd = fd };

	return vt_ioctl(t, cmd, &f, sizeof(f));
}

static long vt_addr(struct vt *t, u32 idx, u32 flags, u64 desc, u64 avail,
		    u64 used)
{
	struct vhost_vring_addr a = {
		.index = idx, .flags = flags, .desc_user_addr = desc,
		.avail_user_addr = avail, .used_user_addr = used,
	};

	return vt_ioctl(t, VHOST_SET_VRING_ADDR, &a, sizeof(a));
}

/* A memory table of @n regions (gpa, size, uva triples in @r). */
static long vt_mem(struct vt *t, u32 n, const u64 (*r)[3], u32 pad)
{
	struct {
		struct vhost_memory h;
		struct vhost_memory_region r[4];
	} m = { .h = { .nregions = n, .padding = pad } };
	u32 i;

	for (i = 0; i < n && i < ARRAY_SIZE(m.r); i++) {
		m.r[i].guest_phys_addr = r[i][0];
		m.r[i].memory_size = r[i][1];
		m.r[i].userspace_addr = r[i][2];
	}
	return vt_ioctl(t, VHOST_SET_MEM_TABLE, &m, sizeof(m));
}

/* A descriptor number no process has open. */
#define VT_NO_FD	1000000

/* Before VHOST_SET_OWNER only the features can be read. */
static void vt_test_before_owner(struct kunit *test)
{
	static const u64 r[1][3] = { { 0, 4096, 0x10000 } };
	struct vt *t = test->priv;
	u64 f = 0;

	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_GET_FEATURES, &f, sizeof(f)), 0);
	KUNIT_EXPECT_EQ(test, f, VMGW_VRING_FEATURES);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_FEATURES, f), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 1, r, 0), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 0, VT_NUM), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_BASE, 0, 0), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_GET_VRING_BASE, 0, 0), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, t->ring, t->ring + 4096,
				      t->ring + 8192), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_KICK, 0, -1), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_CALL, 0, -1), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_NET_SET_BACKEND, 0, -1), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_RESET_OWNER, NULL, 0), -EPERM);
	/* and then all of them work */
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), -EBUSY);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_FEATURES, f), 0);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 1, r, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 0, VT_NUM), 0);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_BASE, 0, 7), 0);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, t->ring, t->ring + 4096,
				      t->ring + 8192), 0);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_NET_SET_BACKEND, 0, -1), 0);
	/* RESET_OWNER forgets it all: the base is 0 again */
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_RESET_OWNER, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_GET_VRING_BASE, 0, 0), -EPERM);
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	{
		struct vhost_vring_state s = { .index = 0 };

		KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_GET_VRING_BASE, &s,
					       sizeof(s)), 0);
		KUNIT_EXPECT_EQ(test, s.num, 0);
	}
}

struct vt_other {
	struct vt *t;
	long ret[3];
	struct completion done;
};

static int vt_other_fn(void *data)
{
	struct vt_other *o = data;
	struct file *file = o->t->file;

	/* A thread without the owner's address space (none at all). */
	o->ret[0] = file->f_op->unlocked_ioctl(file, VHOST_GET_VRING_BASE, 0);
	o->ret[1] = file->f_op->unlocked_ioctl(file, VHOST_RESET_OWNER, 0);
	o->ret[2] = file->f_op->unlocked_ioctl(file, VHOST_SET_OWNER, 0);
	complete(&o->done);
	return 0;
}

/* A caller other than the owner is refused, and cannot take it over. */
static void vt_test_not_owner(struct kunit *test)
{
	struct vt *t = test->priv;
	struct vt_other o = { .t = t };
	struct task_struct *k;

	init_completion(&o.done);
	KUNIT_ASSERT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	k = kthread_run(vt_other_fn, &o, "vt-other");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	wait_for_completion(&o.done);
	KUNIT_EXPECT_EQ(test, o.ret[0], -EPERM);
	KUNIT_EXPECT_EQ(test, o.ret[1], -EPERM);
	KUNIT_EXPECT_EQ(test, o.ret[2], -EBUSY);
	/* the owner still is */
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 1, VT_NUM), 0);
}

/* Queue indices beyond rx (0) and tx (1). */
static void vt_test_index(struct kunit *test)
{
	struct vt *t = test->priv;
	u32 bad[] = { 2, 3, 256, U32_MAX };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, bad[i],
					       VT_NUM), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_BASE, bad[i],
					       0), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_GET_VRING_BASE, bad[i],
					       0), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_addr(t, bad[i], 0, t->ring,
					      t->ring + 4096, t->ring + 8192),
				-ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_KICK, bad[i],
					      -1), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_CALL, bad[i],
					      -1), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_ERR, bad[i],
					      -1), -ENOBUFS);
		KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_NET_SET_BACKEND, bad[i],
					      -1), -ENOBUFS);
	}
}

/* Queue sizes: powers of two up to VMGW_VRING_NUM_MAX; bases to 0xffff. */
static void vt_test_num(struct kunit *test)
{
	struct vt *t = test->priv;
	u32 bad[] = { 0, 3, 100, 257, VMGW_VRING_NUM_MAX + 1,
		      2 * VMGW_VRING_NUM_MAX, U32_MAX };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 0, bad[i]),
				-EINVAL);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 0,
				       VMGW_VRING_NUM_MAX), 0);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_BASE, 0, 0x10000),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vt_state(t, VHOST_SET_VRING_BASE, 0, 0xffff), 0);
}

/* Ring addresses: aligned, not wrapping, inside user space. */
static void vt_test_addr(struct kunit *test)
{
	struct vt *t = test->priv;
	u64 d = t->ring, a = t->ring + 4096, u = t->ring + 8192;

	KUNIT_ASSERT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d + 8, a, u), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d, a + 1, u), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d, a, u + 2), -EINVAL);
	/* dirty logging is not supported */
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, BIT(VHOST_VRING_F_LOG), d, a, u),
			-EOPNOTSUPP);
	KUNIT_ASSERT_EQ(test, vt_state(t, VHOST_SET_VRING_NUM, 0, VT_NUM), 0);
	/* with the size known: wrapping around, or beyond user space */
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, U64_MAX & ~15ULL, a, u), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d, U64_MAX - 1, u), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d, a, U64_MAX & ~3ULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, TASK_SIZE, a, u), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d, a, TASK_SIZE - 8), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_addr(t, 0, 0, d, a, u), 0);
}

/* Memory tables: regions that overlap, wrap, are empty or too many. */
static void vt_test_mem(struct kunit *test)
{
	static const u64 overlap[2][3] = {
		{ 0, 0x10000, 0x100000 }, { 0xffff, 0x1000, 0x200000 },
	};
	static const u64 wrap_gpa[1][3] = { { U64_MAX - 0xfff, 0x2000, 0x100000 } };
	static const u64 wrap_uva[1][3] = { { 0, 0x2000, U64_MAX - 0xfff } };
	static const u64 empty[1][3] = { { 0, 0, 0x100000 } };
	static const u64 two[2][3] = {
		{ 0x10000, 0x10000, 0x100000 }, { 0, 0x10000, 0x200000 },
	};
	const u64 kernel[1][3] = { { 0, 0x1000, TASK_SIZE } };
	struct vt *t = test->priv;
	struct vhost_memory h = { .nregions = VMGW_VRING_MEM_MAX + 1 };

	KUNIT_ASSERT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 2, overlap, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 1, wrap_gpa, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 1, wrap_uva, 0), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 1, empty, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 1, kernel, 0), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 2, two, 1), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_SET_MEM_TABLE, &h, sizeof(h)),
			-E2BIG);
	/* adjacent regions in any order, and an empty table, are fine */
	KUNIT_EXPECT_EQ(test, vt_mem(t, 2, two, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_mem(t, 0, two, 0), 0);
}

/* Features, backend features and descriptors that are no files. */
static void vt_test_files(struct kunit *test)
{
	struct vt *t = test->priv;
	u64 f = 0;

	KUNIT_ASSERT_EQ(test, vt_ioctl(t, VHOST_SET_OWNER, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_FEATURES,
				     BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_FEATURES,
				     BIT_ULL(VIRTIO_F_RING_PACKED)), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_FEATURES,
				     BIT_ULL(VHOST_F_LOG_ALL)), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_GET_BACKEND_FEATURES, &f,
				       sizeof(f)), 0);
	KUNIT_EXPECT_EQ(test, f, 0);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_BACKEND_FEATURES,
				     BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2)),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, vt_u64(t, VHOST_SET_LOG_BASE, 0), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_KICK, 0, VT_NO_FD),
			-EBADF);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_CALL, 1, VT_NO_FD),
			-EBADF);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_ERR, 1, VT_NO_FD),
			-EBADF);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_NET_SET_BACKEND, 0, VT_NO_FD),
			-EBADF);
	/* unbinding what was never bound is fine */
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_KICK, 0, -1), 0);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_SET_VRING_CALL, 1, -1), 0);
	KUNIT_EXPECT_EQ(test, vt_file(t, VHOST_NET_SET_BACKEND, 1, -1), 0);
	KUNIT_EXPECT_EQ(test, vt_ioctl(t, VHOST_SET_VRING_ENDIAN, &f, sizeof(f)),
			-ENOIOCTLCMD);
}

static struct kunit_case vmgw_vhost_test_cases[] = {
	KUNIT_CASE(vt_test_before_owner),
	KUNIT_CASE(vt_test_not_owner),
	KUNIT_CASE(vt_test_index),
	KUNIT_CASE(vt_test_num),
	KUNIT_CASE(vt_test_addr),
	KUNIT_CASE(vt_test_mem),
	KUNIT_CASE(vt_test_files),
	{}
};

static struct kunit_suite vmgw_vhost_test_suite = {
	.name = "vmgw_vhost",
	.init = vt_init,
	.exit = vt_exit,
	.test_cases = vmgw_vhost_test_cases,
};

kunit_test_suite(vmgw_vhost_test_suite);
