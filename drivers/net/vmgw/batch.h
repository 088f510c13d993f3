/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Batches of frames in one write() or read() of /dev/vmgw (VMGWSETBATCH):
 * records of a length prefix, the optional virtio-net header and a frame.
 */
#ifndef _VMGW_BATCH_H
#define _VMGW_BATCH_H

#include <linux/uio.h>
#include <uapi/linux/vmgw.h>

#define VMGW_BATCH_PREFIX	sizeof(struct vmgw_batch_rec)

ssize_t vmgw_batch_next(struct iov_iter *from, unsigned int taken,
			struct iov_iter *rec);
bool vmgw_batch_put_prefix(struct iov_iter *to, size_t len);

#endif /* _VMGW_BATCH_H */
