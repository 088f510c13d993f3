/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pure units of vmgw (classify, dns, rules, verdict, rst) share:
 * fixed-width types and byte-order helpers that work at any alignment.
 * Built in the kernel and, through the compat section, in userspace, where
 * the same files are compiled for fuzzing and instruction counting.
 */
#ifndef _VMGW_PURE_H
#define _VMGW_PURE_H

#include "classify.h"

#ifdef __KERNEL__
#include <linux/bsearch.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>

/* Control path allocations of the pure units (process context). */
#define vmgw_pure_calloc(n, size) \
	kvcalloc(n, size, GFP_KERNEL_ACCOUNT)
#define vmgw_pure_free(p)	kvfree(p)
#define vmgw_pure_sort(base, n, size, cmp) \
	sort(base, n, size, cmp, NULL)
#else /* userspace compat: the kernel names the pure units use */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define vmgw_pure_calloc(n, size)	calloc(n, size)
#define vmgw_pure_free(p)		free(p)
#define vmgw_pure_sort(base, n, size, cmp)	qsort(base, n, size, cmp)
#endif /* __KERNEL__ */

/**
 * vmgw_get_be32() - read a big-endian 32-bit field at any alignment
 * @p: first byte of the field
 *
 * Return: the field in host order.
 */
static inline u32 vmgw_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/**
 * vmgw_put_be16() - write a big-endian 16-bit field at any alignment
 * @p: first byte of the field
 * @v: value in host order
 */
static inline void vmgw_put_be16(u8 *p, u16 v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

/**
 * vmgw_put_be32() - write a big-endian 32-bit field at any alignment
 * @p: first byte of the field
 * @v: value in host order
 */
static inline void vmgw_put_be32(u8 *p, u32 v)
{
	p[0] = (v >> 24) & 0xff;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

#endif /* _VMGW_PURE_H */
