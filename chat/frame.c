// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Frame parsing and building.  The parser never trusts the peer: a length is
 * checked against FRAME_MAX_BODY before anything is buffered for it, and the
 * field readers stop at the end of the payload.
 */
#include <errno.h>
#include <string.h>

#include "frame.h"

static uint32_t frame_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void frame_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

size_t frame_total_len(const uint8_t *p)
{
	return FRAME_HDR_LEN + (size_t)frame_get_be32(p);
}

int frame_parse(const uint8_t *buf, size_t len, struct frame *f)
{
	uint32_t body;

	if (len < FRAME_HDR_LEN)
		return 0;
	body = frame_get_be32(buf);
	if (body > FRAME_MAX_BODY)
		return -EMSGSIZE;
	if (body == 0)
		return -EPROTO;
	if (len - FRAME_HDR_LEN < body)
		return 0;
	f->type = buf[FRAME_HDR_LEN];
	f->payload = buf + FRAME_HDR_LEN + 1;
	f->len = body - 1;
	f->total = FRAME_HDR_LEN + body;
	return 1;
}

void frame_wr_begin(struct frame_wr *w, uint8_t type)
{
	w->len = FRAME_HDR_LEN;
	w->err = 0;
	w->buf[w->len++] = type;
}

void frame_wr_bytes(struct frame_wr *w, const void *p, size_t n)
{
	if (w->err)
		return;
	if (n > sizeof(w->buf) - w->len) {
		w->err = -EMSGSIZE;
		return;
	}
	if (n)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void frame_wr_u8(struct frame_wr *w, uint8_t v)
{
	frame_wr_bytes(w, &v, 1);
}

void frame_wr_u16(struct frame_wr *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v };

	frame_wr_bytes(w, b, sizeof(b));
}

void frame_wr_u32(struct frame_wr *w, uint32_t v)
{
	uint8_t b[4];

	frame_put_be32(b, v);
	frame_wr_bytes(w, b, sizeof(b));
}

void frame_wr_u64(struct frame_wr *w, uint64_t v)
{
	frame_wr_u32(w, v >> 32);
	frame_wr_u32(w, (uint32_t)v);
}

void frame_wr_str8(struct frame_wr *w, const char *s, size_t n)
{
	if (n > 255) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	frame_wr_u8(w, (uint8_t)n);
	frame_wr_bytes(w, s, n);
}

int frame_wr_end(struct frame_wr *w)
{
	if (w->err)
		return w->err;
	frame_put_be32(w->buf, (uint32_t)(w->len - FRAME_HDR_LEN));
	return (int)w->len;
}

void frame_rd_init(struct frame_rd *r, const struct frame *f)
{
	r->p = f->payload;
	r->left = f->len;
	r->err = 0;
}

static const uint8_t *frame_rd_take(struct frame_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->err || r->left < n) {
		r->err = -EPROTO;
		return NULL;
	}
	p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

uint8_t frame_rd_u8(struct frame_rd *r)
{
	const uint8_t *p = frame_rd_take(r, 1);

	return p ? p[0] : 0;
}

uint16_t frame_rd_u16(struct frame_rd *r)
{
	const uint8_t *p = frame_rd_take(r, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t frame_rd_u32(struct frame_rd *r)
{
	const uint8_t *p = frame_rd_take(r, 4);

	return p ? frame_get_be32(p) : 0;
}

uint64_t frame_rd_u64(struct frame_rd *r)
{
	uint64_t hi = frame_rd_u32(r);

	return hi << 32 | frame_rd_u32(r);
}

size_t frame_rd_str8(struct frame_rd *r, char *out, size_t cap)
{
	size_t n = frame_rd_u8(r);
	const uint8_t *p;

	if (cap)
		out[0] = '\0';
	if (r->err)
		return 0;
	if (n >= cap) {
		r->err = -EPROTO;
		return 0;
	}
	p = frame_rd_take(r, n);
	if (!p)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

const uint8_t *frame_rd_rest(struct frame_rd *r, size_t *n)
{
	const uint8_t *p = r->p;

	*n = r->err ? 0 : r->left;
	r->p += *n;
	r->left = 0;
	return p;
}

int frame_append(struct cbuf *b, uint8_t type, const void *payload, size_t n)
{
	uint8_t hdr[FRAME_HDR_LEN + 1];
	size_t used = cbuf_used(b);
	int rc;

	if (n > FRAME_MAX_BODY - 1)
		return -EMSGSIZE;
	frame_put_be32(hdr, (uint32_t)(n + 1));
	hdr[FRAME_HDR_LEN] = type;
	rc = cbuf_append(b, hdr, sizeof(hdr));
	if (rc)
		return rc;
	rc = cbuf_append(b, payload, n);
	if (rc) {
		/* Never leave half a frame behind (the first append may
		 * have moved the bytes down, so count from start). */
		b->len = b->start + used;
	}
	return rc;
}
