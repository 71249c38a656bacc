// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chat frame format (docs/chat-protocol.md): parsing complete, partial,
 * coalesced and oversize frames, building and reading payload fields, and
 * the byte buffer under both.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../chat/buf.h"
#include "../../chat/frame.h"

static void parses_complete_frame(void **state)
{
	const uint8_t wire[] = { 0, 0, 0, 4, FT_MSG, 'h', 'e', 'y' };
	struct frame f;

	assert_int_equal(frame_parse(wire, sizeof(wire), &f), 1);
	assert_int_equal(f.type, FT_MSG);
	assert_int_equal(f.len, 3);
	assert_memory_equal(f.payload, "hey", 3);
	assert_int_equal(f.total, sizeof(wire));
}

static void waits_for_every_missing_byte(void **state)
{
	const uint8_t wire[] = { 0, 0, 0, 6, FT_MSG, 'h', 'e', 'l', 'l', 'o' };
	struct frame f;
	size_t n;

	/* Every strict prefix, header or body, asks for more. */
	for (n = 0; n < sizeof(wire); n++)
		assert_int_equal(frame_parse(wire, n, &f), 0);
	assert_int_equal(frame_parse(wire, sizeof(wire), &f), 1);
	assert_memory_equal(f.payload, "hello", 5);
}

static void coalesced_frames_come_out_one_by_one_in_order(void **state)
{
	struct cbuf b = { 0 };
	const char *texts[] = { "one", "", "three", "4" };
	struct frame f;
	size_t off = 0, i;

	for (i = 0; i < 4; i++)
		assert_int_equal(frame_append(&b, FT_MSG, texts[i],
					      strlen(texts[i])), 0);
	/* Plus half of a fifth frame: stays pending. */
	assert_int_equal(frame_append(&b, FT_ACTION, "fifth", 5), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(frame_parse(cbuf_head(&b) + off,
					     cbuf_used(&b) - off - 4, &f), 1);
		assert_int_equal(f.len, strlen(texts[i]));
		assert_memory_equal(f.payload, texts[i], f.len);
		off += f.total;
	}
	assert_int_equal(frame_parse(cbuf_head(&b) + off,
				     cbuf_used(&b) - off - 4, &f), 0);
	assert_int_equal(frame_parse(cbuf_head(&b) + off,
				     cbuf_used(&b) - off, &f), 1);
	assert_int_equal(f.type, FT_ACTION);
	cbuf_free(&b);
}

static void refuses_oversize_length_from_header_alone(void **state)
{
	uint8_t hdr[4];
	uint32_t body = FRAME_MAX_BODY + 1;
	struct frame f;

	hdr[0] = body >> 24;
	hdr[1] = body >> 16;
	hdr[2] = body >> 8;
	hdr[3] = body;
	/* No body needed to know it is too big. */
	assert_int_equal(frame_parse(hdr, sizeof(hdr), &f), -EMSGSIZE);
	memset(hdr, 0xff, sizeof(hdr));
	assert_int_equal(frame_parse(hdr, sizeof(hdr), &f), -EMSGSIZE);
}

static void accepts_frame_of_exactly_the_maximum(void **state)
{
	static uint8_t wire[FRAME_MAX_LEN];
	struct frame f;

	wire[2] = FRAME_MAX_BODY >> 8;
	wire[3] = FRAME_MAX_BODY & 0xff;
	wire[4] = FT_SEALED;
	assert_int_equal(frame_parse(wire, sizeof(wire), &f), 1);
	assert_int_equal(f.len, FRAME_MAX_BODY - 1);
	assert_int_equal(frame_parse(wire, sizeof(wire) - 1, &f), 0);
}

static void refuses_zero_length_frame(void **state)
{
	const uint8_t wire[] = { 0, 0, 0, 0, FT_MSG };
	struct frame f;

	assert_int_equal(frame_parse(wire, sizeof(wire), &f), -EPROTO);
}

static void refuses_to_build_oversize_frame(void **state)
{
	static uint8_t big[FRAME_MAX_BODY];
	struct cbuf b = { 0 };
	struct frame_wr w;

	assert_int_equal(frame_append(&b, FT_MSG, big, FRAME_MAX_BODY), -EMSGSIZE);
	assert_int_equal(cbuf_used(&b), 0);
	assert_int_equal(frame_append(&b, FT_MSG, big, FRAME_MAX_BODY - 1), 0);
	assert_int_equal(cbuf_used(&b), FRAME_MAX_LEN);

	frame_wr_begin(&w, FT_MSG);
	frame_wr_bytes(&w, big, FRAME_MAX_BODY - 1);
	frame_wr_u8(&w, 0);
	assert_int_equal(frame_wr_end(&w), -EMSGSIZE);
	cbuf_free(&b);
}

static void fields_read_back_as_written(void **state)
{
	struct frame_wr w;
	struct frame_rd r;
	struct frame f;
	char name[CHAT_NICK_MAX + 1];
	const uint8_t *rest;
	size_t n;
	int len;

	frame_wr_begin(&w, FT_RELAY_MSG);
	frame_wr_u64(&w, 0x0102030405060708ull);
	frame_wr_str8(&w, "alice", 5);
	frame_wr_u16(&w, 0xbeef);
	frame_wr_u32(&w, 0xdeadbeef);
	frame_wr_bytes(&w, "text", 4);
	len = frame_wr_end(&w);
	assert_int_equal(len, 4 + 1 + 8 + 6 + 2 + 4 + 4);
	/* Big-endian on the wire, as documented. */
	assert_int_equal(w.buf[3], len - 4);
	assert_int_equal(w.buf[5], 0x01);
	assert_int_equal(w.buf[12], 0x08);
	assert_int_equal(w.buf[13], 5);

	assert_int_equal(frame_parse(w.buf, (size_t)len, &f), 1);
	frame_rd_init(&r, &f);
	assert_true(frame_rd_u64(&r) == 0x0102030405060708ull);
	assert_int_equal(frame_rd_str8(&r, name, sizeof(name)), 5);
	assert_string_equal(name, "alice");
	assert_int_equal(frame_rd_u16(&r), 0xbeef);
	assert_int_equal(frame_rd_u32(&r), 0xdeadbeef);
	rest = frame_rd_rest(&r, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(rest, "text", 4);
	assert_int_equal(r.err, 0);
}

static void reading_past_the_payload_is_an_error(void **state)
{
	const uint8_t wire[] = { 0, 0, 0, 4, FT_JOIN, 0, 0, 7 };
	struct frame_rd r;
	struct frame f;

	assert_int_equal(frame_parse(wire, sizeof(wire), &f), 1);
	frame_rd_init(&r, &f);
	assert_true(frame_rd_u64(&r) == 0);
	assert_int_equal(r.err, -EPROTO);
	/* Errors stick. */
	assert_int_equal(frame_rd_u8(&r), 0);
	assert_int_equal(r.err, -EPROTO);
}

static void name_longer_than_its_buffer_is_an_error(void **state)
{
	const uint8_t wire[] = { 0, 0, 0, 6, FT_NICK_CHANGE, 4, 'a', 'b',
				 'c', 'd' };
	const uint8_t lying[] = { 0, 0, 0, 4, FT_NICK_CHANGE, 9, 'a', 'b' };
	char small[4];
	struct frame_rd r;
	struct frame f;

	assert_int_equal(frame_parse(wire, sizeof(wire), &f), 1);
	frame_rd_init(&r, &f);
	frame_rd_str8(&r, small, sizeof(small));
	assert_int_equal(r.err, -EPROTO);
	assert_string_equal(small, "");

	/* A length beyond the payload. */
	assert_int_equal(frame_parse(lying, sizeof(lying), &f), 1);
	frame_rd_init(&r, &f);
	frame_rd_str8(&r, small, sizeof(small));
	assert_int_equal(r.err, -EPROTO);
}

static void buffer_keeps_bytes_in_order_across_growth(void **state)
{
	struct cbuf b = { 0 };
	uint8_t chunk[1000];
	unsigned next_in = 0, next_out = 0;
	int round, i;

	for (round = 0; round < 200; round++) {
		for (i = 0; i < (int)sizeof(chunk); i++)
			chunk[i] = (uint8_t)(next_in++);
		assert_int_equal(cbuf_append(&b, chunk, sizeof(chunk)), 0);
		/* Consume a varying share, so the data shifts around. */
		size_t take = cbuf_used(&b) * (size_t)(round % 3) / 3;

		for (i = 0; i < (int)take; i++)
			assert_int_equal(cbuf_head(&b)[i], (uint8_t)(next_out + i));
		next_out += (unsigned)take;
		cbuf_consume(&b, take);
	}
	for (i = 0; i < (int)cbuf_used(&b); i++)
		assert_int_equal(cbuf_head(&b)[i], (uint8_t)(next_out + i));
	cbuf_consume(&b, cbuf_used(&b));
	/* Empty means no memory held. */
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_complete_frame),
		cmocka_unit_test(waits_for_every_missing_byte),
		cmocka_unit_test(coalesced_frames_come_out_one_by_one_in_order),
		cmocka_unit_test(refuses_oversize_length_from_header_alone),
		cmocka_unit_test(accepts_frame_of_exactly_the_maximum),
		cmocka_unit_test(refuses_zero_length_frame),
		cmocka_unit_test(refuses_to_build_oversize_frame),
		cmocka_unit_test(fields_read_back_as_written),
		cmocka_unit_test(reading_past_the_payload_is_an_error),
		cmocka_unit_test(name_longer_than_its_buffer_is_an_error),
		cmocka_unit_test(buffer_keeps_bytes_in_order_across_growth),
	};

	return cmocka_run_group_tests_name("chat frames", tests, NULL, NULL);
}
