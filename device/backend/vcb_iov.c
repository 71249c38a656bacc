/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Byte-stream access to iovecs; see vcb_iov.h. */
#include <string.h>

#include "vcb_iov.h"

bool vcb_iov_total(const struct iovec *iov, unsigned num, uint64_t *total)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < num; i++)
		if (__builtin_add_overflow(sum, (uint64_t)iov[i].iov_len, &sum))
			return false;
	*total = sum;
	return true;
}

void vcb_iov_cursor_init(struct vcb_iov_cursor *c, const struct iovec *iov,
			 unsigned num)
{
	c->iov = iov;
	c->num = num;
	c->idx = 0;
	c->off = 0;
}

/* Step over exhausted (and empty) segments. */
static void vcb_iov_settle(struct vcb_iov_cursor *c)
{
	while (c->idx < c->num && c->off >= c->iov[c->idx].iov_len) {
		c->idx++;
		c->off = 0;
	}
}

/*
 * The one walker behind read, write, zero and skip: mode selects what is
 * done with each piece.
 */
enum vcb_iov_mode { VCB_IOV_READ, VCB_IOV_WRITE, VCB_IOV_ZERO, VCB_IOV_SKIP };

static size_t vcb_iov_walk(struct vcb_iov_cursor *c, void *buf, size_t len,
			   enum vcb_iov_mode mode)
{
	uint8_t *p = buf;
	size_t done = 0;

	while (done < len) {
		size_t n;
		uint8_t *seg;

		vcb_iov_settle(c);
		if (c->idx >= c->num)
			break;
		n = c->iov[c->idx].iov_len - c->off;
		if (n > len - done)
			n = len - done;
		seg = (uint8_t *)c->iov[c->idx].iov_base + c->off;
		switch (mode) {
		case VCB_IOV_READ:
			memcpy(p + done, seg, n);
			break;
		case VCB_IOV_WRITE:
			memcpy(seg, p + done, n);
			break;
		case VCB_IOV_ZERO:
			memset(seg, 0, n);
			break;
		case VCB_IOV_SKIP:
			break;
		}
		c->off += n;
		done += n;
	}
	return done;
}

size_t vcb_iov_read_walk(struct vcb_iov_cursor *c, void *dst, size_t len)
{
	return vcb_iov_walk(c, dst, len, VCB_IOV_READ);
}

size_t vcb_iov_write_walk(struct vcb_iov_cursor *c, const void *src,
			  size_t len)
{
	return vcb_iov_walk(c, (void *)src, len, VCB_IOV_WRITE);
}

size_t vcb_iov_zero(struct vcb_iov_cursor *c, size_t len)
{
	return vcb_iov_walk(c, NULL, len, VCB_IOV_ZERO);
}

size_t vcb_iov_skip_walk(struct vcb_iov_cursor *c, size_t len)
{
	return vcb_iov_walk(c, NULL, len, VCB_IOV_SKIP);
}

void *vcb_iov_contig(struct vcb_iov_cursor *c, size_t len)
{
	uint8_t *p;

	if (len == 0)
		return NULL;
	vcb_iov_settle(c);
	if (c->idx >= c->num || c->iov[c->idx].iov_len - c->off < len)
		return NULL;
	p = (uint8_t *)c->iov[c->idx].iov_base + c->off;
	c->off += len;
	return p;
}

bool vcb_iov_is_contig(const struct vcb_iov_cursor *c, size_t len)
{
	struct vcb_iov_cursor probe = *c;

	return len == 0 || vcb_iov_contig(&probe, len) != NULL;
}
