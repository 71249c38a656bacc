/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Byte-stream access to iovecs; see vcd_iov.h. */
#include <string.h>

#include "vcd_iov.h"

bool vcd_iov_total(const struct iovec *iov, unsigned num, uint64_t *total)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < num; i++)
		if (__builtin_add_overflow(sum, (uint64_t)iov[i].iov_len, &sum))
			return false;
	*total = sum;
	return true;
}

void vcd_iov_cursor_init(struct vcd_iov_cursor *c, const struct iovec *iov,
			 unsigned num)
{
	c->iov = iov;
	c->num = num;
	c->idx = 0;
	c->off = 0;
}

/* Step over exhausted (and empty) segments. */
static void vcd_iov_settle(struct vcd_iov_cursor *c)
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
enum vcd_iov_mode { VCD_IOV_READ, VCD_IOV_WRITE, VCD_IOV_ZERO, VCD_IOV_SKIP };

static size_t vcd_iov_walk(struct vcd_iov_cursor *c, void *buf, size_t len,
			   enum vcd_iov_mode mode)
{
	uint8_t *p = buf;
	size_t done = 0;

	while (done < len) {
		size_t n;
		uint8_t *seg;

		vcd_iov_settle(c);
		if (c->idx >= c->num)
			break;
		n = c->iov[c->idx].iov_len - c->off;
		if (n > len - done)
			n = len - done;
		seg = (uint8_t *)c->iov[c->idx].iov_base + c->off;
		switch (mode) {
		case VCD_IOV_READ:
			memcpy(p + done, seg, n);
			break;
		case VCD_IOV_WRITE:
			memcpy(seg, p + done, n);
			break;
		case VCD_IOV_ZERO:
			memset(seg, 0, n);
			break;
		case VCD_IOV_SKIP:
			break;
		}
		c->off += n;
		done += n;
	}
	return done;
}

size_t vcd_iov_read(struct vcd_iov_cursor *c, void *dst, size_t len)
{
	return vcd_iov_walk(c, dst, len, VCD_IOV_READ);
}

size_t vcd_iov_write(struct vcd_iov_cursor *c, const void *src, size_t len)
{
	return vcd_iov_walk(c, (void *)src, len, VCD_IOV_WRITE);
}

size_t vcd_iov_zero(struct vcd_iov_cursor *c, size_t len)
{
	return vcd_iov_walk(c, NULL, len, VCD_IOV_ZERO);
}

size_t vcd_iov_skip(struct vcd_iov_cursor *c, size_t len)
{
	return vcd_iov_walk(c, NULL, len, VCD_IOV_SKIP);
}

void *vcd_iov_contig(struct vcd_iov_cursor *c, size_t len)
{
	uint8_t *p;

	if (len == 0)
		return NULL;
	vcd_iov_settle(c);
	if (c->idx >= c->num || c->iov[c->idx].iov_len - c->off < len)
		return NULL;
	p = (uint8_t *)c->iov[c->idx].iov_base + c->off;
	c->off += len;
	return p;
}

bool vcd_iov_is_contig(const struct vcd_iov_cursor *c, size_t len)
{
	struct vcd_iov_cursor probe = *c;

	return len == 0 || vcd_iov_contig(&probe, len) != NULL;
}
