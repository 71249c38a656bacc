/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chat wire format (docs/chat-protocol.md): every message is a frame
 *
 *	u32 length (big-endian) | u8 type | payload (length - 1 bytes)
 *
 * where length counts the type byte and the payload and never exceeds
 * FRAME_MAX_BODY.  Multi-byte integers inside payloads are big-endian;
 * names are a u8 length followed by that many bytes.
 */
#ifndef CHAT_FRAME_H
#define CHAT_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define FRAME_HDR_LEN		4
#define FRAME_MAX_BODY		8192	/* type + payload */
#define FRAME_MAX_LEN		(FRAME_HDR_LEN + FRAME_MAX_BODY)

#define CHAT_PROTO_VERSION	1
#define CHAT_NICK_MAX		32
/* Longest text line a client sends (bytes, before any encryption). */
#define CHAT_TEXT_MAX		4096
/*
 * Longest MSG/ACTION/SEALED payload a client may send: the relayed frame
 * adds a time stamp and the sender's name and must still fit FRAME_MAX_BODY.
 */
#define CHAT_PAYLOAD_MAX	8000

enum frame_type {
	/* client -> server */
	FT_HELLO	= 0x01,	/* u8 version, nick (may be empty) */
	FT_MSG		= 0x02,	/* text */
	FT_ACTION	= 0x03,	/* text (/me) */
	FT_SEALED	= 0x04,	/* opaque sealed message, relayed as is */
	FT_NICK		= 0x05,	/* new nick */
	FT_WHO		= 0x06,	/* empty */
	FT_QUIT		= 0x07,	/* reason (may be empty) */

	/* server -> client */
	FT_WELCOME	= 0x81,	/* str8 nick, u32 users, text */
	FT_RELAY_MSG	= 0x82,	/* u64 time_ms, str8 sender, text */
	FT_RELAY_ACTION	= 0x83,	/* u64 time_ms, str8 sender, text */
	FT_RELAY_SEALED	= 0x84,	/* u64 time_ms, str8 sender, sealed bytes */
	FT_JOIN		= 0x85,	/* u64 time_ms, str8 nick */
	FT_LEAVE	= 0x86,	/* u64 time_ms, str8 nick, reason */
	FT_NICK_CHANGE	= 0x87,	/* u64 time_ms, str8 old, str8 new */
	FT_WHO_REPLY	= 0x88,	/* u8 last, str8 nick... */
	FT_ERROR	= 0x89,	/* u8 code, text */
	FT_NOTICE	= 0x8a,	/* text */
};

enum chat_error {
	CHAT_ERR_NICK_TAKEN	= 1,
	CHAT_ERR_NICK_INVALID	= 2,
	CHAT_ERR_PROTOCOL	= 3,	/* connection is closed after it */
	CHAT_ERR_SERVER_FULL	= 4,	/* connection is closed after it */
	CHAT_ERR_TOO_SLOW	= 5,	/* connection is closed after it */
	CHAT_ERR_SHUTDOWN	= 6,	/* connection is closed after it */
};

struct frame {
	uint8_t type;
	const uint8_t *payload;
	size_t len;		/* payload bytes */
	size_t total;		/* bytes the whole frame occupies */
};

/*
 * Look at the start of a byte stream.  Returns 1 and fills *f when a
 * complete frame is there, 0 when more bytes are needed, -EMSGSIZE when the
 * announced length exceeds FRAME_MAX_BODY (known from the header alone, so
 * an oversize frame is refused before it is buffered) and -EPROTO for a
 * zero length (no type byte).
 */
int frame_parse(const uint8_t *buf, size_t len, struct frame *f);

/* Total size of the frame whose header starts at p (p has >= 4 bytes). */
size_t frame_total_len(const uint8_t *p);

/* Building a frame in place; errors stick and show at frame_wr_end(). */
struct frame_wr {
	uint8_t buf[FRAME_MAX_LEN];
	size_t len;
	int err;
};

void frame_wr_begin(struct frame_wr *w, uint8_t type);
void frame_wr_u8(struct frame_wr *w, uint8_t v);
void frame_wr_u16(struct frame_wr *w, uint16_t v);
void frame_wr_u32(struct frame_wr *w, uint32_t v);
void frame_wr_u64(struct frame_wr *w, uint64_t v);
void frame_wr_bytes(struct frame_wr *w, const void *p, size_t n);
/* A u8 length and the bytes; -EINVAL sticks when n > 255. */
void frame_wr_str8(struct frame_wr *w, const char *s, size_t n);
/* Patch the length; returns the frame size or -EMSGSIZE. */
int frame_wr_end(struct frame_wr *w);

/* Reading fields of a payload; a short read sets err and yields zeros. */
struct frame_rd {
	const uint8_t *p;
	size_t left;
	int err;
};

void frame_rd_init(struct frame_rd *r, const struct frame *f);
uint8_t frame_rd_u8(struct frame_rd *r);
uint16_t frame_rd_u16(struct frame_rd *r);
uint32_t frame_rd_u32(struct frame_rd *r);
uint64_t frame_rd_u64(struct frame_rd *r);
/* A u8-length-prefixed string copied NUL-terminated into out (cap > 255 is
 * never needed; a longer string than cap-1 is an error). */
size_t frame_rd_str8(struct frame_rd *r, char *out, size_t cap);
/* The rest of the payload. */
const uint8_t *frame_rd_rest(struct frame_rd *r, size_t *n);

/* Append a complete frame of the given type and payload to a buffer. */
int frame_append(struct cbuf *b, uint8_t type, const void *payload, size_t n);

#endif /* CHAT_FRAME_H */
