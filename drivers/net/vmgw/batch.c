// SPDX-License-Identifier: GPL-2.0
/*
 * The framing of a batch: a write() in VMGW_BATCH_WRITE mode is a run of
 * records, each a struct vmgw_batch_rec whose @len counts the bytes that
 * follow it (virtio-net header, if enabled, and one frame). This file only
 * cuts records out of the caller's buffer and checks the prefix against
 * what is left; what is inside a record is checked like a single write.
 */
#include <linux/errno.h>
#include <linux/uio.h>

#include "batch.h"

/**
 * vmgw_batch_next() - cut the next record out of a batched write
 * @from: what is left of the write; on success advanced past the record
 * @taken: records already taken from this write
 * @rec: on success, a view of @from limited to the record's bytes (its
 *	virtio-net header and frame), without the prefix
 *
 * A batch ends after VMGW_BATCH_MAX records or at the end of the write.
 * A prefix cut short by the end of the write, a zero length and a length
 * beyond the end of the write are errors, so are an empty write.
 *
 * Context: any; may fault in user memory, so not in atomic context when
 * @from is a user buffer.
 * Return: the record's length (> 0); 0 when the batch ends before it;
 * -EINVAL for bad framing; -EFAULT when the prefix could not be read.
 */
ssize_t vmgw_batch_next(struct iov_iter *from, unsigned int taken,
			struct iov_iter *rec)
{
	size_t left = iov_iter_count(from);
	struct vmgw_batch_rec pfx;

	if (taken >= VMGW_BATCH_MAX || (!left && taken))
		return 0;
	if (left < VMGW_BATCH_PREFIX)
		return -EINVAL;
	*rec = *from;
	if (!copy_from_iter_full(&pfx, sizeof(pfx), rec))
		return -EFAULT;
	left -= VMGW_BATCH_PREFIX;
	if (!pfx.len || pfx.len > left)
		return -EINVAL;
	*from = *rec;
	iov_iter_truncate(rec, pfx.len);
	iov_iter_advance(from, pfx.len);
	return pfx.len;
}

/**
 * vmgw_batch_put_prefix() - write the prefix of a record to a reader
 * @to: the reader's buffer
 * @len: bytes of the record that follow the prefix
 *
 * Return: true when the whole prefix was copied.
 */
bool vmgw_batch_put_prefix(struct iov_iter *to, size_t len)
{
	struct vmgw_batch_rec pfx = { .len = len };

	return copy_to_iter(&pfx, sizeof(pfx), to) == sizeof(pfx);
}
