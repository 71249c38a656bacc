/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growable byte buffer with a read position, for socket input and output.
 * Memory is taken only while bytes are waiting, so an idle connection costs
 * nothing beyond the struct itself.
 */
#ifndef CHAT_BUF_H
#define CHAT_BUF_H

#include <stddef.h>

struct cbuf {
	unsigned char *data;
	size_t start;		/* first byte not yet consumed */
	size_t len;		/* end of valid bytes */
	size_t cap;
};

static inline size_t cbuf_used(const struct cbuf *b)
{
	return b->len - b->start;
}

static inline unsigned char *cbuf_head(const struct cbuf *b)
{
	return b->data + b->start;
}

/* Append n bytes; 0 or -ENOMEM (the buffer is unchanged on failure). */
int cbuf_append(struct cbuf *b, const void *p, size_t n);
/* Make room for n more bytes, growing to exactly that (no doubling): for a
 * buffer whose final size is known.  0 or -ENOMEM. */
int cbuf_reserve(struct cbuf *b, size_t n);
/* Drop n bytes from the front; releases the memory once empty. */
void cbuf_consume(struct cbuf *b, size_t n);
/* Forget everything and release the memory. */
void cbuf_free(struct cbuf *b);

#endif /* CHAT_BUF_H */
