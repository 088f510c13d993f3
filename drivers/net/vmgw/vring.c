// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue walker (see vring.h). Everything the guest wrote is read
 * once into a local copy and checked there: indices are masked or bounded
 * by the queue size before use, every chain is bounded by the queue size,
 * every address is translated through the memory table with its length,
 * and a refusal is counted by reason in &struct vmgw_vring.err.
 */
#include "vring.h"

static u16 vring_le16(const u8 *p)
{
	return (u16)p[0] | (u16)p[1] << 8;
}

static u32 vring_le32(const u8 *p)
{
	return (u32)vring_le16(p) | (u32)vring_le16(p + 2) << 16;
}

static u64 vring_le64(const u8 *p)
{
	return (u64)vring_le32(p) | (u64)vring_le32(p + 4) << 32;
}

static void vring_put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void vring_put_le32(u8 *p, u32 v)
{
	vring_put_le16(p, v & 0xffff);
	vring_put_le16(p + 2, v >> 16);
}

/* Does [start, start + len) wrap around the address space? */
static bool vring_wraps(u64 start, u64 len)
{
	return len && start + (len - 1) < start;
}

/**
 * vmgw_vring_mem_set() - check and install a memory table
 * @m: the table to fill
 * @r: regions in any order
 * @n: number of regions
 *
 * Context: any; does not allocate.
 * Return: 0; -E2BIG for more than %VMGW_VRING_MEM_MAX regions; -EINVAL
 * for an empty region, one wrapping around either address space or two
 * overlapping in guest-physical space. @m is unchanged on error.
 */
int vmgw_vring_mem_set(struct vmgw_vring_mem *m,
		       const struct vmgw_vring_region *r, u32 n)
{
	struct vmgw_vring_region sorted[VMGW_VRING_MEM_MAX];
	struct vmgw_vring_region tmp;
	u32 i, j;

	if (n > VMGW_VRING_MEM_MAX)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		if (!r[i].size || vring_wraps(r[i].gpa, r[i].size) ||
		    vring_wraps(r[i].uva, r[i].size))
			return -EINVAL;
		/* insertion sort by gpa: n is small */
		tmp = r[i];
		for (j = i; j > 0 && sorted[j - 1].gpa > tmp.gpa; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = tmp;
	}
	for (i = 1; i < n; i++)
		if (sorted[i].gpa <= sorted[i - 1].gpa + (sorted[i - 1].size - 1))
			return -EINVAL;
	memcpy(m->r, sorted, n * sizeof(sorted[0]));
	m->n = n;
	return 0;
}

/* The region holding @gpa, or NULL. */
static const struct vmgw_vring_region *
vring_mem_find(const struct vmgw_vring_mem *m, u64 gpa)
{
	u32 lo = 0, hi = m->n, mid;

	/* last region starting at or below gpa */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->r[mid].gpa <= gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || gpa - m->r[lo - 1].gpa >= m->r[lo - 1].size)
		return NULL;
	return &m->r[lo - 1];
}

/**
 * vmgw_vring_translate() - guest-physical buffer to VMM-virtual segments
 * @m: a table installed by vmgw_vring_mem_set()
 * @gpa: guest-physical start of the buffer
 * @len: its length; 0 gives no segment
 * @seg: receives one segment per region the buffer touches
 * @room: entries available in @seg
 *
 * Return: number of segments; -ERANGE when a byte of the buffer is outside
 * the table or the buffer wraps; -ENOSPC when it needs more than @room.
 */
int vmgw_vring_translate(const struct vmgw_vring_mem *m, u64 gpa, u32 len,
			 struct vmgw_vring_seg *seg, u32 room)
{
	const struct vmgw_vring_region *r;
	u32 n = 0, chunk;
	u64 off;

	if (vring_wraps(gpa, len))
		return -ERANGE;
	while (len) {
		r = vring_mem_find(m, gpa);
		if (!r)
			return -ERANGE;
		if (n == room)
			return -ENOSPC;
		off = gpa - r->gpa;
		chunk = r->size - off < len ? (u32)(r->size - off) : len;
		seg[n].uva = r->uva + off;
		seg[n].len = chunk;
		n++;
		gpa += chunk;
		len -= chunk;
	}
	return n;
}

/**
 * vmgw_vring_set_features() - apply negotiated features to a queue
 * @vr: the queue
 * @features: what the VMM acknowledged (VHOST_SET_FEATURES)
 *
 * Everything outside %VMGW_VRING_FEATURES is refused: IOTLB and
 * VIRTIO_F_ACCESS_PLATFORM, dirty logging, packed rings and the rest are
 * neither offered nor accepted.
 *
 * Return: 0, or -EOPNOTSUPP with @vr unchanged.
 */
int vmgw_vring_set_features(struct vmgw_vring *vr, u64 features)
{
	if (features & ~VMGW_VRING_FEATURES)
		return -EOPNOTSUPP;
	vr->indirect = features & VMGW_VRING_BIT(VMGW_VRING_F_INDIRECT_DESC);
	vr->event_idx = features & VMGW_VRING_BIT(VMGW_VRING_F_EVENT_IDX);
	return 0;
}

/**
 * vmgw_vring_check_layout() - check a queue's size and ring addresses
 * @num: entries (VHOST_SET_VRING_NUM)
 * @desc: descriptor table address
 * @avail: avail ring address
 * @used: used ring address
 *
 * Return: 0, or -EINVAL when @num is not a power of two up to
 * %VMGW_VRING_NUM_MAX, a ring is misaligned, or a ring wraps around.
 */
int vmgw_vring_check_layout(u32 num, u64 desc, u64 avail, u64 used)
{
	if (!num || num > VMGW_VRING_NUM_MAX || (num & (num - 1)))
		return -EINVAL;
	if ((desc & 15) || (avail & 1) || (used & 3))
		return -EINVAL;
	if (vring_wraps(desc, (u64)num * VMGW_VRING_DESC_SIZE) ||
	    vring_wraps(avail, 6 + 2 * (u64)num) ||
	    vring_wraps(used, 6 + 8 * (u64)num))
		return -EINVAL;
	return 0;
}

/* A ring-level error: count it and take nothing more from this ring. */
static int vring_break(struct vmgw_vring *vr, enum vmgw_vring_err why)
{
	vr->err[why]++;
	vr->broken = true;
	return -EIO;
}

static int vring_read16(struct vmgw_vring *vr, u64 uva, u16 *v)
{
	u8 b[2];

	if (vr->acc->read(vr->acc->ctx, uva, b, sizeof(b)))
		return -EFAULT;
	*v = vring_le16(b);
	return 0;
}

static int vring_write16(struct vmgw_vring *vr, u64 uva, u16 v)
{
	u8 b[2];

	vring_put_le16(b, v);
	if (vr->acc->write(vr->acc->ctx, uva, b, sizeof(b)))
		return vring_break(vr, VMGW_VRING_ERR_FAULT);
	return 0;
}

/**
 * vmgw_vring_start() - begin using a queue set up by the VMM
 * @vr: queue with @desc, @avail, @used, @num, @mem, @acc and the feature
 *	flags set, its layout checked by vmgw_vring_check_layout()
 * @base: first avail entry to take (VHOST_SET_VRING_BASE)
 *
 * The used index continues from what the used ring holds.
 *
 * Return: 0, or -EIO when the used ring cannot be read (counted).
 */
int vmgw_vring_start(struct vmgw_vring *vr, u16 base)
{
	u16 used;

	vr->broken = false;
	vr->last_avail = base;
	vr->avail_idx = base;
	if (vring_read16(vr, vr->used + 2, &used))
		return vring_break(vr, VMGW_VRING_ERR_FAULT);
	vr->used_idx = used;
	vr->signalled = used;
	return 0;
}

/* Add the buffer of one descriptor to @c. */
static enum vmgw_vring_err vring_add_buf(struct vmgw_vring *vr,
					 struct vmgw_vring_chain *c,
					 u64 addr, u32 len, u32 max_len)
{
	int n;

	if (len > max_len - c->len)
		return VMGW_VRING_ERR_LEN;
	n = vmgw_vring_translate(vr->mem, addr, len, c->seg + c->nseg,
				 VMGW_VRING_SEG_MAX - c->nseg);
	if (n == -ENOSPC)
		return VMGW_VRING_ERR_SEGS;
	if (n < 0)
		return VMGW_VRING_ERR_ADDR;
	c->nseg += n;
	c->len += len;
	return VMGW_VRING_OK;
}

/* Switch the walk of a chain to the indirect table @addr, @len. */
static enum vmgw_vring_err vring_enter_indirect(struct vmgw_vring *vr,
						u16 flags, u64 addr, u32 len,
						u64 *table, u32 *size)
{
	struct vmgw_vring_seg seg;

	if (!vr->indirect || (flags & VMGW_VRING_DESC_F_NEXT))
		return VMGW_VRING_ERR_INDIRECT;
	if (!len || len % VMGW_VRING_DESC_SIZE ||
	    len / VMGW_VRING_DESC_SIZE > vr->num)
		return VMGW_VRING_ERR_INDIRECT_LEN;
	/* The table must be contiguous in VMM memory. */
	if (vmgw_vring_translate(vr->mem, addr, len, &seg, 1) != 1)
		return VMGW_VRING_ERR_ADDR;
	*table = seg.uva;
	*size = len / VMGW_VRING_DESC_SIZE;
	return VMGW_VRING_OK;
}

/*
 * Walk the chain starting at descriptor @head into @c. Every descriptor
 * read counts, the one that points to an indirect table too: at most
 * @num buffers and that one, so a loop of any kind ends as a refused
 * chain even without the check that refuses a table in a table.
 */
static enum vmgw_vring_err vring_walk(struct vmgw_vring *vr, u16 head,
				      bool writable, u32 max_len,
				      struct vmgw_vring_chain *c)
{
	u32 size = vr->num, i = head, seen = 0;
	bool indirect = false;
	enum vmgw_vring_err err;
	u8 d[VMGW_VRING_DESC_SIZE];
	u64 table = vr->desc;
	u16 flags;
	u32 len;
	u64 addr;

	c->head = head;
	c->nseg = 0;
	c->len = 0;
	for (;;) {
		if (vr->acc->read(vr->acc->ctx,
				  table + (u64)i * VMGW_VRING_DESC_SIZE,
				  d, sizeof(d)))
			return VMGW_VRING_ERR_FAULT;
		addr = vring_le64(d);
		len = vring_le32(d + 8);
		flags = vring_le16(d + 12);
		if (++seen > vr->num + 1)
			return VMGW_VRING_ERR_CHAIN;
		if (flags & VMGW_VRING_DESC_F_INDIRECT) {
			if (indirect)
				return VMGW_VRING_ERR_INDIRECT;
			err = vring_enter_indirect(vr, flags, addr, len,
						   &table, &size);
			if (err)
				return err;
			indirect = true;
			i = 0;
			continue;
		}
		if (!!(flags & VMGW_VRING_DESC_F_WRITE) != writable)
			return VMGW_VRING_ERR_DIR;
		err = vring_add_buf(vr, c, addr, len, max_len);
		if (err)
			return err;
		if (!(flags & VMGW_VRING_DESC_F_NEXT))
			return VMGW_VRING_OK;
		i = vring_le16(d + 14);
		if (i >= size)
			return VMGW_VRING_ERR_NEXT;
	}
}

/* Refresh @avail_idx from the guest; 0 or -EIO (ring broken). */
static int vring_read_avail_idx(struct vmgw_vring *vr)
{
	u16 idx;

	if (vring_read16(vr, vr->avail + 2, &idx))
		return vring_break(vr, VMGW_VRING_ERR_FAULT);
	if ((u16)(idx - vr->last_avail) > vr->num)
		return vring_break(vr, VMGW_VRING_ERR_AVAIL_IDX);
	vr->avail_idx = idx;
	return 0;
}

/**
 * vmgw_vring_pop() - take the next available chain
 * @vr: a started queue
 * @writable: the chain must be device-writable only (rx), else
 *	device-readable only (tx)
 * @max_len: most bytes the chain may hold
 * @c: receives the chain
 *
 * A refused chain is consumed and, when its head is a valid index,
 * returned to the guest as used with length 0; the caller publishes it
 * with the next vmgw_vring_publish().
 *
 * Return: 1 with a chain in @c, 0 when none is available, -EINVAL for a
 * refused chain (counted; go on with the next), -EIO when the ring is
 * broken (counted once; nothing more is taken until vmgw_vring_start()).
 */
int vmgw_vring_pop(struct vmgw_vring *vr, bool writable, u32 max_len,
		   struct vmgw_vring_chain *c)
{
	enum vmgw_vring_err err;
	u16 head;

	if (vr->broken)
		return -EIO;
	if (vr->last_avail == vr->avail_idx) {
		if (vring_read_avail_idx(vr))
			return -EIO;
		if (vr->last_avail == vr->avail_idx)
			return 0;
		/* Read the entries only after the index that covers them. */
		vmgw_vring_rmb();
	}
	if (vring_read16(vr, vr->avail + 4 +
			 2 * (u64)(vr->last_avail & (vr->num - 1)), &head))
		return vring_break(vr, VMGW_VRING_ERR_FAULT);
	vr->last_avail++;
	if (head >= vr->num) {
		vr->err[VMGW_VRING_ERR_HEAD]++;
		return -EINVAL;
	}
	err = vring_walk(vr, head, writable, max_len, c);
	if (err == VMGW_VRING_ERR_FAULT)
		return vring_break(vr, err);
	if (err) {
		vr->err[err]++;
		if (vmgw_vring_add_used(vr, head, 0))
			return -EIO;
		return -EINVAL;
	}
	return 1;
}

/**
 * vmgw_vring_unpop() - give back the last chains taken, unused
 * @vr: the queue
 * @n: how many of the chains vmgw_vring_pop() returned last to give back
 *
 * For a receive that found too little room: the chains are taken again
 * by the next pops.
 */
void vmgw_vring_unpop(struct vmgw_vring *vr, u16 n)
{
	vr->last_avail -= n;
}

/**
 * vmgw_vring_add_used() - return a chain to the guest
 * @vr: the queue
 * @head: the chain's head index
 * @len: bytes the device wrote into it (0 for transmit)
 *
 * The guest sees the entry only after vmgw_vring_publish().
 *
 * Return: 0, or -EIO when the used ring cannot be written (ring broken).
 */
int vmgw_vring_add_used(struct vmgw_vring *vr, u16 head, u32 len)
{
	u8 e[8];

	vring_put_le32(e, head);
	vring_put_le32(e + 4, len);
	if (vr->acc->write(vr->acc->ctx, vr->used + 4 +
			   8 * (u64)(vr->used_idx & (vr->num - 1)),
			   e, sizeof(e)))
		return vring_break(vr, VMGW_VRING_ERR_FAULT);
	vr->used_idx++;
	return 0;
}

/**
 * vmgw_vring_publish() - make the used entries added so far visible
 * @vr: the queue
 *
 * Return: 0, or -EIO when the used ring cannot be written (ring broken).
 */
int vmgw_vring_publish(struct vmgw_vring *vr)
{
	/* The entries before the index that covers them. */
	vmgw_vring_wmb();
	return vring_write16(vr, vr->used + 2, vr->used_idx);
}

/**
 * vmgw_vring_need_call() - does the guest want an interrupt now?
 * @vr: the queue, after vmgw_vring_publish()
 *
 * With EVENT_IDX: whether the used index passed the guest's used_event
 * since the last call; otherwise unless the guest set NO_INTERRUPT. When
 * the guest's word cannot be read the answer is yes.
 *
 * Return: true to signal the call eventfd.
 */
bool vmgw_vring_need_call(struct vmgw_vring *vr)
{
	u16 old = vr->signalled, new = vr->used_idx, v;

	/* The guest's flag or event is read after the used index is out. */
	vmgw_vring_mb();
	if (vr->event_idx) {
		vr->signalled = new;
		if (vring_read16(vr, vr->avail + 4 + 2 * (u64)vr->num, &v))
			return true;
		return (u16)(new - v - 1) < (u16)(new - old);
	}
	if (vring_read16(vr, vr->avail, &v))
		return true;
	return !(v & VMGW_VRING_AVAIL_F_NO_INTERRUPT);
}

/**
 * vmgw_vring_enable_notify() - ask the guest to kick for new buffers
 * @vr: the queue
 *
 * Return: true when buffers arrived meanwhile: take them before waiting
 * for a kick.
 */
bool vmgw_vring_enable_notify(struct vmgw_vring *vr)
{
	int err;

	if (vr->broken)
		return false;
	if (vr->event_idx)
		err = vring_write16(vr, vr->used + 4 + 8 * (u64)vr->num,
				    vr->avail_idx);
	else
		err = vring_write16(vr, vr->used, 0);
	if (err)
		return false;
	/* Our request is out before we look at the index again. */
	vmgw_vring_mb();
	if (vring_read_avail_idx(vr))
		return false;
	return vr->avail_idx != vr->last_avail;
}

/**
 * vmgw_vring_disable_notify() - tell the guest that kicks are not needed
 * @vr: the queue, being processed
 *
 * Only a hint, and without EVENT_IDX only: the guest may kick anyway.
 */
void vmgw_vring_disable_notify(struct vmgw_vring *vr)
{
	if (!vr->event_idx && !vr->broken)
		vring_write16(vr, vr->used, VMGW_VRING_USED_F_NO_NOTIFY);
}
