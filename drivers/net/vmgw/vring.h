/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueue walker of /dev/vhost-vmgw: a pure unit over a guest
 * that is assumed hostile. It translates guest-physical addresses through
 * a memory table, walks descriptor chains (direct and one level of
 * indirect) into segments of VMM-virtual memory, and returns used buffers.
 * It never touches memory itself: every access goes through the read and
 * write callbacks of &struct vmgw_vring_access (copy_from_user() on the
 * VMM's mm in the kernel, plain buffers in KUnit and the fuzzer), and only
 * fixed-width types are used, so the file builds in userspace unchanged.
 *
 * Layout (virtio 1.x, little endian, VIRTIO_F_VERSION_1 required):
 * descriptor table of @num 16-byte entries; avail ring {flags, idx,
 * ring[@num], used_event}; used ring {flags, idx, {id, len}[@num],
 * avail_event}.
 */
#ifndef _VMGW_VRING_H
#define _VMGW_VRING_H

#include "pure.h"

#ifdef __KERNEL__
#include <asm/barrier.h>
/* Ordering against the guest on another CPU, as virtio drivers pair. */
#define vmgw_vring_rmb()	virt_rmb()	/* index, then entries */
#define vmgw_vring_wmb()	virt_wmb()	/* entries, then index */
#define vmgw_vring_mb()		virt_mb()	/* index, then flags/event */
#else
#define vmgw_vring_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define vmgw_vring_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define vmgw_vring_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/* Largest queue the virtio spec allows for a split ring. */
#define VMGW_VRING_NUM_MAX	32768
/* Memory regions a table may hold (vhost's default max_mem_regions). */
#define VMGW_VRING_MEM_MAX	64
/* Segments one chain may translate to; a longer chain is refused. */
#define VMGW_VRING_SEG_MAX	128

/*
 * Feature bits the device offers (VHOST_GET_FEATURES): the virtio numbers,
 * checked against the uapi ones where the kernel builds this.
 */
#define VMGW_VRING_F_MRG_RXBUF		15	/* VIRTIO_NET_F_MRG_RXBUF */
#define VMGW_VRING_F_INDIRECT_DESC	28	/* VIRTIO_RING_F_INDIRECT_DESC */
#define VMGW_VRING_F_EVENT_IDX		29	/* VIRTIO_RING_F_EVENT_IDX */
#define VMGW_VRING_F_VERSION_1		32	/* VIRTIO_F_VERSION_1 */
#define VMGW_VRING_BIT(nr)		((u64)1 << (nr))
#define VMGW_VRING_FEATURES	(VMGW_VRING_BIT(VMGW_VRING_F_MRG_RXBUF) | \
				 VMGW_VRING_BIT(VMGW_VRING_F_INDIRECT_DESC) | \
				 VMGW_VRING_BIT(VMGW_VRING_F_EVENT_IDX) | \
				 VMGW_VRING_BIT(VMGW_VRING_F_VERSION_1))

#define VMGW_VRING_DESC_SIZE	16
#define VMGW_VRING_DESC_F_NEXT		1
#define VMGW_VRING_DESC_F_WRITE		2
#define VMGW_VRING_DESC_F_INDIRECT	4
#define VMGW_VRING_AVAIL_F_NO_INTERRUPT	1
#define VMGW_VRING_USED_F_NO_NOTIFY	1

/**
 * enum vmgw_vring_err - why the walker refused a chain or a ring
 * @VMGW_VRING_OK: nothing refused
 * @VMGW_VRING_ERR_FAULT: a ring or descriptor table could not be read, or
 *	the used ring not written (the ring is broken)
 * @VMGW_VRING_ERR_AVAIL_IDX: the avail index moved more than @num entries
 *	past the last one taken (the ring is broken)
 * @VMGW_VRING_ERR_HEAD: a head index in the avail ring is not below @num
 * @VMGW_VRING_ERR_NEXT: a next index is not below the table's size
 * @VMGW_VRING_ERR_CHAIN: a chain of more descriptors than @num (a loop)
 * @VMGW_VRING_ERR_INDIRECT: an indirect descriptor without the feature,
 *	with NEXT set as well, or inside an indirect table
 * @VMGW_VRING_ERR_INDIRECT_LEN: an indirect table of no entries, of a
 *	length not a multiple of 16, or of more entries than @num
 * @VMGW_VRING_ERR_ADDR: a buffer that is not inside the memory table or
 *	whose address plus length overflows
 * @VMGW_VRING_ERR_LEN: the chain's bytes exceed the caller's limit
 * @VMGW_VRING_ERR_SEGS: more than %VMGW_VRING_SEG_MAX segments
 * @VMGW_VRING_ERR_DIR: a device-readable buffer where only writable ones
 *	belong (rx) or the other way round (tx)
 * @VMGW_VRING_ERR_MAX: number of reasons
 */
enum vmgw_vring_err {
	VMGW_VRING_OK,
	VMGW_VRING_ERR_FAULT,
	VMGW_VRING_ERR_AVAIL_IDX,
	VMGW_VRING_ERR_HEAD,
	VMGW_VRING_ERR_NEXT,
	VMGW_VRING_ERR_CHAIN,
	VMGW_VRING_ERR_INDIRECT,
	VMGW_VRING_ERR_INDIRECT_LEN,
	VMGW_VRING_ERR_ADDR,
	VMGW_VRING_ERR_LEN,
	VMGW_VRING_ERR_SEGS,
	VMGW_VRING_ERR_DIR,
	VMGW_VRING_ERR_MAX,
};

/**
 * struct vmgw_vring_region - one guest memory region (VHOST_SET_MEM_TABLE)
 * @gpa: guest-physical start
 * @size: bytes, at least one
 * @uva: where the VMM maps @gpa
 */
struct vmgw_vring_region {
	u64 gpa;
	u64 size;
	u64 uva;
};

/**
 * struct vmgw_vring_mem - a checked memory table
 * @n: regions in use
 * @r: regions sorted by @gpa, none overlapping another in guest-physical
 *	space, none wrapping around in either address space
 */
struct vmgw_vring_mem {
	u32 n;
	struct vmgw_vring_region r[VMGW_VRING_MEM_MAX];
};

/**
 * struct vmgw_vring_seg - a piece of a buffer in VMM-virtual memory
 * @uva: start
 * @len: bytes, at least one
 */
struct vmgw_vring_seg {
	u64 uva;
	u32 len;
};

/**
 * struct vmgw_vring_chain - one descriptor chain, translated
 * @head: descriptor index to return in the used ring
 * @nseg: segments in @seg
 * @len: bytes of all segments
 * @seg: the buffer, in order
 */
struct vmgw_vring_chain {
	u16 head;
	u32 nseg;
	u32 len;
	struct vmgw_vring_seg seg[VMGW_VRING_SEG_MAX];
};

/**
 * struct vmgw_vring_access - how the walker reaches VMM memory
 * @read: copy @len bytes at @uva into @buf; 0 or a negative errno
 * @write: copy @len bytes from @buf to @uva; 0 or a negative errno
 * @ctx: first argument of both
 */
struct vmgw_vring_access {
	int (*read)(void *ctx, u64 uva, void *buf, u32 len);
	int (*write)(void *ctx, u64 uva, const void *buf, u32 len);
	void *ctx;
};

/**
 * struct vmgw_vring - the device side of one split virtqueue
 * @desc: VMM-virtual address of the descriptor table
 * @avail: VMM-virtual address of the avail ring
 * @used: VMM-virtual address of the used ring
 * @num: entries, a power of two up to %VMGW_VRING_NUM_MAX
 * @last_avail: next avail entry to take (VHOST_SET/GET_VRING_BASE)
 * @avail_idx: the guest's avail index as last read
 * @used_idx: next used entry to fill; published by vmgw_vring_publish()
 * @signalled: used index at the last call (EVENT_IDX)
 * @indirect: VIRTIO_RING_F_INDIRECT_DESC negotiated
 * @event_idx: VIRTIO_RING_F_EVENT_IDX negotiated
 * @broken: a ring-level error was seen; nothing is taken until the ring
 *	is set up again
 * @mem: the memory table descriptors are translated through
 * @acc: memory access callbacks
 * @err: refusals by reason, for the device's counters
 */
struct vmgw_vring {
	u64 desc;
	u64 avail;
	u64 used;
	u32 num;
	u16 last_avail;
	u16 avail_idx;
	u16 used_idx;
	u16 signalled;
	bool indirect;
	bool event_idx;
	bool broken;
	const struct vmgw_vring_mem *mem;
	const struct vmgw_vring_access *acc;
	u64 err[VMGW_VRING_ERR_MAX];
};

int vmgw_vring_mem_set(struct vmgw_vring_mem *m,
		       const struct vmgw_vring_region *r, u32 n);
int vmgw_vring_translate(const struct vmgw_vring_mem *m, u64 gpa, u32 len,
			 struct vmgw_vring_seg *seg, u32 room);
int vmgw_vring_set_features(struct vmgw_vring *vr, u64 features);
int vmgw_vring_check_layout(u32 num, u64 desc, u64 avail, u64 used);
int vmgw_vring_start(struct vmgw_vring *vr, u16 base);
int vmgw_vring_pop(struct vmgw_vring *vr, bool writable, u32 max_len,
		   struct vmgw_vring_chain *c);
void vmgw_vring_unpop(struct vmgw_vring *vr, u16 n);
int vmgw_vring_add_used(struct vmgw_vring *vr, u16 head, u32 len);
int vmgw_vring_publish(struct vmgw_vring *vr);
bool vmgw_vring_need_call(struct vmgw_vring *vr);
bool vmgw_vring_enable_notify(struct vmgw_vring *vr);
void vmgw_vring_disable_notify(struct vmgw_vring *vr);

#endif /* _VMGW_VRING_H */
