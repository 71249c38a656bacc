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
#include <string.h>
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
/* The general walks over any number of segments; use the wrappers below. */
size_t vcb_iov_read_walk(struct vcb_iov_cursor *c, void *dst, size_t len);
size_t vcb_iov_write_walk(struct vcb_iov_cursor *c, const void *src,
			  size_t len);
size_t vcb_iov_skip_walk(struct vcb_iov_cursor *c, size_t len);

/*
 * Do the next len bytes lie in the current segment?  A request's header,
 * IV and response nearly always do, and a 64-byte request costs little
 * more than its walk: the wrappers copy such pieces without it.  off never
 * exceeds the segment's length, so the subtraction cannot wrap.
 */
static inline bool vcb_iov_in_segment(const struct vcb_iov_cursor *c,
				      size_t len)
{
	return c->idx < c->num && c->iov[c->idx].iov_len - c->off >= len;
}

static inline uint8_t *vcb_iov_here(const struct vcb_iov_cursor *c)
{
	return (uint8_t *)c->iov[c->idx].iov_base + c->off;
}

/* Copy up to len bytes out of the iovecs; returns bytes copied. */
static inline size_t vcb_iov_read(struct vcb_iov_cursor *c, void *dst,
				  size_t len)
{
	if (len == 0)	/* nothing to copy: iov_base may be NULL */
		return 0;
	if (!vcb_iov_in_segment(c, len))
		return vcb_iov_read_walk(c, dst, len);
	memcpy(dst, vcb_iov_here(c), len);
	c->off += len;
	return len;
}

/* Copy up to len bytes into the iovecs; returns bytes copied. */
static inline size_t vcb_iov_write(struct vcb_iov_cursor *c, const void *src,
				   size_t len)
{
	if (len == 0)
		return 0;
	if (!vcb_iov_in_segment(c, len))
		return vcb_iov_write_walk(c, src, len);
	memcpy(vcb_iov_here(c), src, len);
	c->off += len;
	return len;
}

/* Advance by up to len bytes; returns bytes skipped. */
static inline size_t vcb_iov_skip(struct vcb_iov_cursor *c, size_t len)
{
	if (!vcb_iov_in_segment(c, len))
		return vcb_iov_skip_walk(c, len);
	c->off += len;
	return len;
}

/* Fill up to len bytes of the iovecs with zeros; returns bytes filled. */
size_t vcb_iov_zero(struct vcb_iov_cursor *c, size_t len);
/*
 * When the next len (> 0) bytes lie in one segment, return a pointer to
 * them and advance; otherwise return NULL and do not move.
 */
void *vcb_iov_contig(struct vcb_iov_cursor *c, size_t len);
/* Do the next len bytes lie in one segment (len 0: yes)?  Does not move. */
bool vcb_iov_is_contig(const struct vcb_iov_cursor *c, size_t len);

#endif /* VCB_IOV_H */
