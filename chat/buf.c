// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Growable byte buffer.  Consumed bytes at the front are reclaimed by moving
 * the rest down only when space runs out, so a stream of appends and
 * consumes costs amortised O(1) per byte.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int cbuf_append(struct cbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (b->cap - b->len < n && b->start > 0) {
		memmove(b->data, b->data + b->start, b->len - b->start);
		b->len -= b->start;
		b->start = 0;
	}
	if (b->cap - b->len < n) {
		size_t want = b->len + n;
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *d;

		while (cap < want) {
			if (cap > ((size_t)-1) / 2)
				return -ENOMEM;
			cap *= 2;
		}
		d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int cbuf_reserve(struct cbuf *b, size_t n)
{
	size_t used = cbuf_used(b);
	unsigned char *d;

	if (b->cap - b->len >= n)
		return 0;
	if (b->start > 0) {
		memmove(b->data, b->data + b->start, used);
		b->len = used;
		b->start = 0;
		if (b->cap - b->len >= n)
			return 0;
	}
	if (n > ((size_t)-1) - used)
		return -ENOMEM;
	d = realloc(b->data, used + n);
	if (!d)
		return -ENOMEM;
	b->data = d;
	b->cap = used + n;
	return 0;
}

void cbuf_consume(struct cbuf *b, size_t n)
{
	if (n >= b->len - b->start) {
		cbuf_free(b);
		return;
	}
	b->start += n;
}

void cbuf_free(struct cbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->start = b->len = b->cap = 0;
}
