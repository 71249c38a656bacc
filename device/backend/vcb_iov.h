/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking a request's iovecs as one byte stream.  A guest may split any
 * field over descriptors anywhere, so every access goes through a cursor
 * that knows only totals and order, and that never reads or writes past the
 * iovecs it was given.
 */
#ifndef VCB_IOV_H
#define VCB_IOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct vcb_iov_cursor {
	const struct iovec *iov;
	unsigned num;
	unsigned idx;		/* current segment */
	size_t off;		/* offset inside it */
};

/* Total length of iov[0..num-1]; false when the sum overflows 64 bits. */
bool vcb_iov_total(const struct iovec *iov, unsigned num, uint64_t *total);

void vcb_iov_cursor_init(struct vcb_iov_cursor *c, const struct iovec *iov,
			 unsigned num);
/* Copy up to len bytes out of the iovecs; returns bytes copied. */
size_t vcb_iov_read(struct vcb_iov_cursor *c, void *dst, size_t len);
/* Copy up to len bytes into the iovecs; returns bytes copied. */
size_t vcb_iov_write(struct vcb_iov_cursor *c, const void *src, size_t len);
/* Fill up to len bytes of the iovecs with zeros; returns bytes filled. */
size_t vcb_iov_zero(struct vcb_iov_cursor *c, size_t len);
/* Advance by up to len bytes; returns bytes skipped. */
size_t vcb_iov_skip(struct vcb_iov_cursor *c, size_t len);
/*
 * When the next len (> 0) bytes lie in one segment, return a pointer to
 * them and advance; otherwise return NULL and do not move.
 */
void *vcb_iov_contig(struct vcb_iov_cursor *c, size_t len);
/* Do the next len bytes lie in one segment (len 0: yes)?  Does not move. */
bool vcb_iov_is_contig(const struct vcb_iov_cursor *c, size_t len);

#endif /* VCB_IOV_H */
