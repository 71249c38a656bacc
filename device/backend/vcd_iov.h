/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking a request's iovecs as one byte stream.  A guest may split any
 * field over descriptors anywhere, so every access goes through a cursor
 * that knows only totals and order, and that never reads or writes past the
 * iovecs it was given.
 */
#ifndef VCD_IOV_H
#define VCD_IOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct vcd_iov_cursor {
	const struct iovec *iov;
	unsigned num;
	unsigned idx;		/* current segment */
	size_t off;		/* offset inside it */
};

/* Total length of iov[0..num-1]; false when the sum overflows 64 bits. */
bool vcd_iov_total(const struct iovec *iov, unsigned num, uint64_t *total);

void vcd_iov_cursor_init(struct vcd_iov_cursor *c, const struct iovec *iov,
			 unsigned num);
/* Copy up to len bytes out of the iovecs; returns bytes copied. */
size_t vcd_iov_read(struct vcd_iov_cursor *c, void *dst, size_t len);
/* Copy up to len bytes into the iovecs; returns bytes copied. */
size_t vcd_iov_write(struct vcd_iov_cursor *c, const void *src, size_t len);
/* Fill up to len bytes of the iovecs with zeros; returns bytes filled. */
size_t vcd_iov_zero(struct vcd_iov_cursor *c, size_t len);
/* Advance by up to len bytes; returns bytes skipped. */
size_t vcd_iov_skip(struct vcd_iov_cursor *c, size_t len);
/*
 * When the next len (> 0) bytes lie in one segment, return a pointer to
 * them and advance; otherwise return NULL and do not move.
 */
void *vcd_iov_contig(struct vcd_iov_cursor *c, size_t len);
/* Do the next len bytes lie in one segment (len 0: yes)?  Does not move. */
bool vcd_iov_is_contig(const struct vcd_iov_cursor *c, size_t len);

#endif /* VCD_IOV_H */
