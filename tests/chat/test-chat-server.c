// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-server over loopback, driven by raw clients that speak the frame
 * protocol directly: relaying, announcements, nicknames, a slow reader, many
 * clients, and hostile input (garbage, oversize and truncated frames,
 * abrupt disconnects).  Every test ends by stopping the server and requiring
 * a clean exit, so a crash or a sanitizer report fails it.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "../../chat/net.h"

struct fixture {
	struct th_server srv;
	struct th_frame f;
};

static int start_server(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx || th_server_start(&fx->srv, NULL) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int stop_server(void **state)
{
	struct fixture *fx = *state;

	if (fx->srv.proc.pid > 0)
		th_server_stop(&fx->srv);
	th_proc_free(&fx->srv.proc);
	free(fx);
	return 0;
}

/* The end of every test: the server is still healthy and stops cleanly. */
static void assert_server_stops_cleanly(struct fixture *fx)
{
	assert_int_equal(th_server_stop(&fx->srv), 0);
}

/* Replace the fixture's server by one started with extra options. */
static void restart_server(struct fixture *fx, const char *const extra[])
{
	assert_int_equal(th_server_stop(&fx->srv), 0);
	th_proc_free(&fx->srv.proc);
	assert_int_equal(th_server_start(&fx->srv, extra), 0);
}

static void join(struct fixture *fx, struct th_conn *c, const char *nick)
{
	assert_int_equal(th_conn_join(c, fx->srv.port, nick), 0);
}

static void send_text(struct th_conn *c, const char *text)
{
	assert_int_equal(th_conn_send(c, FT_MSG, text, strlen(text)), 0);
}

/* Wait for a relayed message and check who sent what. */
static void expect_relay(struct fixture *fx, struct th_conn *c, uint8_t type,
			 const char *from, const char *text)
{
	struct th_relay r;

	assert_int_equal(th_conn_expect(c, type, &fx->f, TH_TIMEOUT_MS), 1);
	assert_true(th_relay_parse(&fx->f, &r));
	assert_string_equal(r.from, from);
	assert_int_equal(r.len, strlen(text));
	assert_memory_equal(r.text, text, r.len);
}

/* A frame the server sends only in answer (WHO) proves nothing else was
 * queued for c before it. */
static void expect_nothing_relayed_before_who(struct fixture *fx,
					      struct th_conn *c)
{
	assert_int_equal(th_conn_send(c, FT_WHO, NULL, 0), 0);
	for (;;) {
		assert_int_equal(th_conn_recv(c, &fx->f, TH_TIMEOUT_MS), 1);
		if (fx->f.type == FT_WHO_REPLY)
			return;
		assert_int_not_equal(fx->f.type, FT_RELAY_MSG);
	}
}

static void message_from_one_client_reaches_all_others(void **state)
{
	struct fixture *fx = *state;
	struct th_conn c[5];
	char nick[16];
	struct th_relay r;
	time_t now = time(NULL);
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(nick, sizeof(nick), "user%d", i);
		join(fx, &c[i], nick);
	}
	send_text(&c[2], "hello, everyone");
	for (i = 0; i < 5; i++) {
		if (i == 2)
			continue;
		assert_int_equal(th_conn_expect(&c[i], FT_RELAY_MSG, &fx->f,
						TH_TIMEOUT_MS), 1);
		assert_true(th_relay_parse(&fx->f, &r));
		assert_string_equal(r.from, "user2");
		assert_int_equal(r.len, 15);
		assert_memory_equal(r.text, "hello, everyone", 15);
		/* Tagged with the time it was relayed (wall clock, ms). */
		assert_true(r.time_ms / 1000 + 60 >= (uint64_t)now);
		assert_true(r.time_ms / 1000 <= (uint64_t)now + 60);
	}
	/* The sender does not get its own message back. */
	expect_nothing_relayed_before_who(fx, &c[2]);
	for (i = 0; i < 5; i++)
		th_conn_close(&c[i]);
	assert_server_stops_cleanly(fx);
}

static void actions_and_sealed_messages_are_relayed_unchanged(void **state)
{
	struct fixture *fx = *state;
	struct th_conn a, b;
	uint8_t blob[3000];
	struct th_relay r;
	size_t i;

	join(fx, &a, "alice");
	join(fx, &b, "bob");
	assert_int_equal(th_conn_send(&a, FT_ACTION, "waves", 5), 0);
	expect_relay(fx, &b, FT_RELAY_ACTION, "alice", "waves");
	/* The server relays sealed bytes without looking into them. */
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(th_conn_send(&a, FT_SEALED, blob, sizeof(blob)), 0);
	assert_int_equal(th_conn_expect(&b, FT_RELAY_SEALED, &fx->f,
					TH_TIMEOUT_MS), 1);
	assert_true(th_relay_parse(&fx->f, &r));
	assert_string_equal(r.from, "alice");
	assert_int_equal(r.len, sizeof(blob));
	assert_memory_equal(r.text, blob, sizeof(blob));
	th_conn_close(&a);
	th_conn_close(&b);
	assert_server_stops_cleanly(fx);
}

static void join_nick_change_and_leave_are_announced(void **state)
{
	struct fixture *fx = *state;
	struct th_conn a, b;
	struct th_relay r;
	char old[CHAT_NICK_MAX + 1], new[CHAT_NICK_MAX + 1];
	struct frame fr;
	struct frame_rd rd;

	join(fx, &a, "alice");
	join(fx, &b, "bob");
	assert_int_equal(th_conn_expect(&a, FT_JOIN, &fx->f, TH_TIMEOUT_MS), 1);
	assert_true(th_relay_parse(&fx->f, &r));
	assert_string_equal(r.from, "bob");

	assert_int_equal(th_conn_send(&b, FT_NICK, "bee", 3), 0);
	/* Everyone hears it, bob too (his confirmation). */
	for (int i = 0; i < 2; i++) {
		struct th_conn *c = i ? &b : &a;

		assert_int_equal(th_conn_expect(c, FT_NICK_CHANGE, &fx->f,
						TH_TIMEOUT_MS), 1);
		fr = (struct frame){ .payload = fx->f.payload, .len = fx->f.len };
		frame_rd_init(&rd, &fr);
		frame_rd_u64(&rd);
		frame_rd_str8(&rd, old, sizeof(old));
		frame_rd_str8(&rd, new, sizeof(new));
		assert_int_equal(rd.err, 0);
		assert_string_equal(old, "bob");
		assert_string_equal(new, "bee");
	}
	send_text(&b, "renamed");
	expect_relay(fx, &a, FT_RELAY_MSG, "bee", "renamed");

	assert_int_equal(th_conn_send(&b, FT_QUIT, "bye now", 7), 0);
	expect_relay(fx, &a, FT_LEAVE, "bee", "quit: bye now");
	assert_true(th_conn_wait_eof(&b, TH_TIMEOUT_MS));

	/* Leaving by just closing is announced too. */
	join(fx, &b, "carol");
	th_conn_close(&b);
	expect_relay(fx, &a, FT_LEAVE, "carol", "connection closed");
	th_conn_close(&a);
	assert_server_stops_cleanly(fx);
}

static void taken_nickname_is_refused_with_a_clear_error(void **state)
{
	struct fixture *fx = *state;
	struct th_conn a, b;
	uint8_t hello[16] = { CHAT_PROTO_VERSION };

	join(fx, &a, "alice");
	assert_int_equal(th_conn_open(&b, "127.0.0.1", fx->srv.port), 0);
	/* Names are compared without regard to case. */
	memcpy(hello + 1, "ALICE", 5);
	assert_int_equal(th_conn_send(&b, FT_HELLO, hello, 6), 0);
	assert_int_equal(th_conn_expect(&b, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_NICK_TAKEN);
	fx->f.payload[fx->f.len] = 0;
	assert_non_null(strstr((char *)fx->f.payload + 1, "already taken"));

	/* The connection stays; another name works. */
	memcpy(hello + 1, "bob", 3);
	assert_int_equal(th_conn_send(&b, FT_HELLO, hello, 4), 0);
	assert_int_equal(th_conn_expect(&b, FT_WELCOME, &fx->f, TH_TIMEOUT_MS), 1);

	/* So for /nick. */
	assert_int_equal(th_conn_send(&b, FT_NICK, "Alice", 5), 0);
	assert_int_equal(th_conn_expect(&b, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_NICK_TAKEN);
	assert_int_equal(th_conn_send(&b, FT_NICK, "no spaces", 9), 0);
	assert_int_equal(th_conn_expect(&b, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_NICK_INVALID);

	/* Still bob, still chatting. */
	send_text(&b, "still here");
	expect_relay(fx, &a, FT_RELAY_MSG, "bob", "still here");
	th_conn_close(&a);
	th_conn_close(&b);
	assert_server_stops_cleanly(fx);
}

static void client_without_a_name_gets_a_guest_name(void **state)
{
	struct fixture *fx = *state;
	struct th_conn a, b;
	char nick[CHAT_NICK_MAX + 1];
	struct frame fr;
	struct frame_rd rd;

	join(fx, &a, "");
	join(fx, &b, "");
	fr = (struct frame){ .payload = fx->f.payload, .len = fx->f.len };
	assert_int_equal(th_conn_send(&b, FT_WHO, NULL, 0), 0);
	assert_int_equal(th_conn_expect(&b, FT_WHO_REPLY, &fx->f, TH_TIMEOUT_MS), 1);
	frame_rd_init(&rd, &fr);
	fr.len = fx->f.len;
	frame_rd_init(&rd, &fr);
	assert_int_equal(frame_rd_u8(&rd), 1);	/* last part */
	frame_rd_str8(&rd, nick, sizeof(nick));
	assert_int_equal(strncmp(nick, "guest", 5), 0);
	frame_rd_str8(&rd, nick, sizeof(nick));
	assert_int_equal(strncmp(nick, "guest", 5), 0);
	assert_int_equal(rd.err, 0);
	assert_int_equal(rd.left, 0);
	th_conn_close(&a);
	th_conn_close(&b);
	assert_server_stops_cleanly(fx);
}

static void who_lists_everyone_here(void **state)
{
	struct fixture *fx = *state;
	struct th_conn c[3];
	const char *names[3] = { "ann", "ben", "cat" };
	int seen = 0, i;
	struct frame fr;
	struct frame_rd rd;
	char nick[CHAT_NICK_MAX + 1];

	for (i = 0; i < 3; i++)
		join(fx, &c[i], names[i]);
	assert_int_equal(th_conn_send(&c[1], FT_WHO, NULL, 0), 0);
	assert_int_equal(th_conn_expect(&c[1], FT_WHO_REPLY, &fx->f,
					TH_TIMEOUT_MS), 1);
	fr = (struct frame){ .payload = fx->f.payload, .len = fx->f.len };
	frame_rd_init(&rd, &fr);
	assert_int_equal(frame_rd_u8(&rd), 1);
	while (rd.left > 0 && !rd.err) {
		frame_rd_str8(&rd, nick, sizeof(nick));
		for (i = 0; i < 3; i++)
			if (!strcmp(nick, names[i]))
				seen |= 1 << i;
	}
	assert_int_equal(rd.err, 0);
	assert_int_equal(seen, 7);
	for (i = 0; i < 3; i++)
		th_conn_close(&c[i]);
	assert_server_stops_cleanly(fx);
}

/* Drain whatever c has without waiting; count our numbered messages. */
static void drain_counting(struct fixture *fx, struct th_conn *c,
			   int *next_seq, bool *saw_leave, const char *who)
{
	struct th_relay r;

	while (th_conn_recv(c, &fx->f, 0) == 1) {
		if (fx->f.type == FT_RELAY_MSG) {
			assert_true(th_relay_parse(&fx->f, &r));
			/* In order, none missing. */
			assert_int_equal(atoi((const char *)r.text), *next_seq);
			(*next_seq)++;
		} else if (fx->f.type == FT_LEAVE) {
			assert_true(th_relay_parse(&fx->f, &r));
			if (!strcmp(r.from, who))
				*saw_leave = true;
		}
	}
}

static void slow_reader_is_dropped_others_keep_receiving(void **state)
{
	struct fixture *fx = *state;
	struct th_conn talker, fast, slow;
	static char msg[4000];
	int sent = 0, fast_next = 0, last_type = -1;
	bool dropped = false, dummy = false;
	uint64_t deadline;
	int rc;
	/* The talker is not the one under test: no flood limit. */
	const char *const unthrottled[] = { "--flood-rate", "0", NULL };

	restart_server(fx, unthrottled);
	join(fx, &slow, "slow");
	join(fx, &fast, "fast");
	join(fx, &talker, "talker");
	memset(msg, 'm', sizeof(msg) - 1);

	/* slow never reads; fast reads everything. At most 40 MB. */
	while (!dropped && sent < 10000) {
		snprintf(msg, 8, "%06d", sent % 1000000);
		msg[6] = ' ';
		send_text(&talker, msg);
		sent++;
		drain_counting(fx, &fast, &fast_next, &dropped, "slow");
		drain_counting(fx, &talker, &fast_next, &dummy, "-");
	}
	assert_true(dropped);
	assert_true(sent > 10);

	/* slow finds whole frames, then the reason, then the end. */
	deadline = th_now_ms() + TH_TIMEOUT_MS;
	while ((rc = th_conn_recv(&slow, &fx->f, TH_TIMEOUT_MS)) == 1 &&
	       th_now_ms() < deadline)
		last_type = fx->f.type == FT_RELAY_MSG ? last_type : fx->f.type;
	assert_int_equal(rc, -1);	/* EOF: not a timeout, no broken frame */
	assert_int_equal(last_type, FT_ERROR);
	assert_int_equal(fx->f.type, FT_ERROR);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_TOO_SLOW);

	/* fast got every message so far, and keeps receiving. */
	for (int i = 0; i < 5; i++) {
		snprintf(msg, 8, "%06d", sent++ % 1000000);
		msg[6] = ' ';
		send_text(&talker, msg);
	}
	deadline = th_now_ms() + TH_TIMEOUT_MS;
	while (fast_next < sent && th_now_ms() < deadline) {
		struct pollfd pfd = { .fd = fast.fd, .events = POLLIN };

		poll(&pfd, 1, 50);
		drain_counting(fx, &fast, &fast_next, &dummy, "-");
	}
	assert_int_equal(fast_next, sent);
	th_conn_close(&slow);
	th_conn_close(&fast);
	th_conn_close(&talker);
	assert_server_stops_cleanly(fx);
}

#define MANY 500

static void hundreds_of_clients_at_once(void **state)
{
	struct fixture *fx = *state;
	static struct th_conn c[MANY];
	static struct pollfd pfd[MANY];
	static int got[MANY];
	char text[32];
	int i, done = 0;
	uint64_t deadline;

	for (i = 0; i < MANY; i++) {
		snprintf(text, sizeof(text), "n%d", i);
		join(fx, &c[i], text);
	}
	/* Everyone talks at once. */
	for (i = 0; i < MANY; i++) {
		snprintf(text, sizeof(text), "from n%d", i);
		send_text(&c[i], text);
	}
	/* Everyone hears everyone else. */
	deadline = th_now_ms() + 4 * TH_TIMEOUT_MS;
	while (done < MANY && th_now_ms() < deadline) {
		for (i = 0; i < MANY; i++)
			pfd[i] = (struct pollfd){ .fd = c[i].fd, .events = POLLIN };
		if (poll(pfd, MANY, 1000) <= 0)
			continue;
		for (i = 0; i < MANY; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			while (th_conn_recv(&c[i], &fx->f, 0) == 1) {
				if (fx->f.type != FT_RELAY_MSG)
					continue;
				if (++got[i] == MANY - 1)
					done++;
			}
		}
	}
	for (i = 0; i < MANY; i++)
		assert_int_equal(got[i], MANY - 1);
	for (i = 0; i < MANY; i++)
		th_conn_close(&c[i]);
	assert_server_stops_cleanly(fx);
}

/* After abuse, ordinary clients still chat. */
static void assert_still_relaying(struct fixture *fx)
{
	struct th_conn a, b;

	join(fx, &a, "after1");
	join(fx, &b, "after2");
	send_text(&a, "still alive?");
	expect_relay(fx, &b, FT_RELAY_MSG, "after1", "still alive?");
	th_conn_close(&a);
	th_conn_close(&b);
}

static void expect_protocol_error_and_close(struct fixture *fx,
					    struct th_conn *c)
{
	assert_int_equal(th_conn_expect(c, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_PROTOCOL);
	assert_true(th_conn_wait_eof(c, TH_TIMEOUT_MS));
}

static void oversize_frame_closes_only_that_connection(void **state)
{
	struct fixture *fx = *state;
	struct th_conn bystander, bad;
	const uint8_t hdr[] = { 0, 0, 0x20, 0x01, FT_MSG };	/* 8193 */
	static uint8_t big[CHAT_PAYLOAD_MAX + 1];

	join(fx, &bystander, "bystander");
	join(fx, &bad, "bad");
	assert_int_equal(th_conn_send_raw(&bad, hdr, sizeof(hdr)), 0);
	expect_protocol_error_and_close(fx, &bad);
	expect_relay(fx, &bystander, FT_LEAVE, "bad",
		     "frame of 8193 bytes exceeds the maximum of 8192");

	/* A frame within the limit but a message above the relay limit. */
	join(fx, &bad, "bad2");
	assert_int_equal(th_conn_send(&bad, FT_MSG, big, sizeof(big)), 0);
	expect_protocol_error_and_close(fx, &bad);

	send_text(&bystander, "unaffected");
	assert_still_relaying(fx);
	th_conn_close(&bystander);
	assert_server_stops_cleanly(fx);
}

static void garbage_closes_only_that_connection(void **state)
{
	struct fixture *fx = *state;
	struct th_conn bystander, bad;
	const char http[] = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
	const uint8_t empty[] = { 0, 0, 0, 0 };
	const uint8_t unknown[] = { 0, 0, 0, 1, 0x7e };
	uint8_t noise[4096];
	size_t i;

	join(fx, &bystander, "bystander");

	assert_int_equal(th_conn_open(&bad, "127.0.0.1", fx->srv.port), 0);
	assert_int_equal(th_conn_send_raw(&bad, http, sizeof(http) - 1), 0);
	expect_protocol_error_and_close(fx, &bad);
	th_conn_close(&bad);

	assert_int_equal(th_conn_open(&bad, "127.0.0.1", fx->srv.port), 0);
	assert_int_equal(th_conn_send_raw(&bad, empty, sizeof(empty)), 0);
	expect_protocol_error_and_close(fx, &bad);
	th_conn_close(&bad);

	/* A message before saying HELLO. */
	assert_int_equal(th_conn_open(&bad, "127.0.0.1", fx->srv.port), 0);
	assert_int_equal(th_conn_send(&bad, FT_MSG, "hi", 2), 0);
	expect_protocol_error_and_close(fx, &bad);
	th_conn_close(&bad);

	join(fx, &bad, "bad");
	assert_int_equal(th_conn_send_raw(&bad, unknown, sizeof(unknown)), 0);
	expect_protocol_error_and_close(fx, &bad);
	th_conn_close(&bad);

	/* Random bytes, several times. */
	srand(42);
	for (int round = 0; round < 20; round++) {
		for (i = 0; i < sizeof(noise); i++)
			noise[i] = (uint8_t)rand();
		assert_int_equal(th_conn_open(&bad, "127.0.0.1", fx->srv.port), 0);
		th_conn_send_raw(&bad, noise, 1 + (size_t)rand() % sizeof(noise));
		th_conn_abort(&bad);
	}
	send_text(&bystander, "unaffected");
	assert_still_relaying(fx);
	th_conn_close(&bystander);
	assert_server_stops_cleanly(fx);
}

static void truncated_frames_and_abrupt_disconnects_are_survived(void **state)
{
	struct fixture *fx = *state;
	struct th_conn c[40];
	struct th_conn listener;
	uint8_t frame[64];
	struct cbuf b = { 0 };
	char nick[16];
	int i;

	join(fx, &listener, "listener");
	assert_int_equal(frame_append(&b, FT_MSG, "a message cut short", 19), 0);
	memcpy(frame, cbuf_head(&b), cbuf_used(&b));
	for (i = 0; i < 40; i++) {
		snprintf(nick, sizeof(nick), "x%d", i);
		join(fx, &c[i], nick);
		switch (i % 4) {
		case 0:		/* half a header */
			th_conn_send_raw(&c[i], frame, 2);
			break;
		case 1:		/* header, part of the body */
			th_conn_send_raw(&c[i], frame, 10);
			break;
		case 2:		/* a frame and a bit */
			th_conn_send_raw(&c[i], frame, cbuf_used(&b));
			th_conn_send_raw(&c[i], frame, 7);
			break;
		default:	/* nothing */
			break;
		}
	}
	/* Half vanish with a reset, half with an orderly close. */
	for (i = 0; i < 40; i++) {
		if (i % 2)
			th_conn_abort(&c[i]);
		else
			th_conn_close(&c[i]);
	}
	/* The listener hears all forty leave, and the whole frames. */
	for (i = 0; i < 40; i++)
		assert_int_equal(th_conn_expect(&listener, FT_LEAVE, &fx->f,
						TH_TIMEOUT_MS), 1);
	cbuf_free(&b);
	assert_still_relaying(fx);
	th_conn_close(&listener);
	assert_server_stops_cleanly(fx);
}

static void frames_split_in_bytes_or_coalesced_are_relayed(void **state)
{
	struct fixture *fx = *state;
	struct th_conn a, b;
	struct cbuf buf = { 0 };
	size_t i;

	join(fx, &a, "a");
	join(fx, &b, "b");
	/* One frame, one byte per write. */
	assert_int_equal(frame_append(&buf, FT_MSG, "byte by byte", 12), 0);
	for (i = 0; i < cbuf_used(&buf); i++) {
		assert_int_equal(th_conn_send_raw(&a, cbuf_head(&buf) + i, 1), 0);
		usleep(1000);
	}
	expect_relay(fx, &b, FT_RELAY_MSG, "a", "byte by byte");
	cbuf_free(&buf);

	/* Three frames in one write. */
	frame_append(&buf, FT_MSG, "one", 3);
	frame_append(&buf, FT_ACTION, "two", 3);
	frame_append(&buf, FT_MSG, "three", 5);
	assert_int_equal(th_conn_send_raw(&a, cbuf_head(&buf), cbuf_used(&buf)), 0);
	expect_relay(fx, &b, FT_RELAY_MSG, "a", "one");
	expect_relay(fx, &b, FT_RELAY_ACTION, "a", "two");
	expect_relay(fx, &b, FT_RELAY_MSG, "a", "three");
	cbuf_free(&buf);
	th_conn_close(&a);
	th_conn_close(&b);
	assert_server_stops_cleanly(fx);
}

static void listens_on_ipv4_and_ipv6(void **state)
{
	struct fixture *fx = *state;
	struct th_conn v4, v6;
	uint8_t hello[] = { CHAT_PROTO_VERSION, 's', 'i', 'x' };

	join(fx, &v4, "four");
	if (th_conn_open(&v6, "::1", fx->srv.port) < 0) {
		th_conn_close(&v4);
		assert_server_stops_cleanly(fx);
		skip();		/* no IPv6 on this host */
	}
	assert_int_equal(th_conn_send(&v6, FT_HELLO, hello, sizeof(hello)), 0);
	assert_int_equal(th_conn_expect(&v6, FT_WELCOME, &fx->f, TH_TIMEOUT_MS), 1);
	send_text(&v6, "over IPv6");
	expect_relay(fx, &v4, FT_RELAY_MSG, "six", "over IPv6");
	th_conn_close(&v4);
	th_conn_close(&v6);
	assert_server_stops_cleanly(fx);
}

static void port_in_use_is_reported(void **state)
{
	struct fixture *fx = *state;
	struct th_proc second;
	char port[16];
	const char *argv[] = { th_bin("chat-server"), "--port", port, NULL };

	snprintf(port, sizeof(port), "%d", fx->srv.port);
	assert_int_equal(th_spawn(&second, argv), 0);
	assert_int_equal(th_wait_exit(&second, TH_TIMEOUT_MS), 1);
	assert_non_null(strstr(th_stderr(&second), "in use"));
	th_proc_free(&second);
	assert_server_stops_cleanly(fx);
}

static void bad_arguments_are_reported(void **state)
{
	struct fixture *fx = *state;
	const char *const cases[][4] = {
		{ "--port", "70000", NULL },
		{ "--max-clients", "none", NULL },
		{ "--bogus", NULL },
		{ "extra", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[5] = { th_bin("chat-server"), cases[i][0],
					cases[i][1], cases[i][2], NULL };
		struct th_proc p;

		assert_int_equal(th_spawn(&p, argv), 0);
		assert_int_equal(th_wait_exit(&p, TH_TIMEOUT_MS), 2);
		assert_true(strlen(th_stderr(&p)) > 0);
		th_proc_free(&p);
	}
	assert_true(th_help_shows_usage("chat-server"));
	assert_server_stops_cleanly(fx);
}

static void full_server_refuses_with_an_error(void **state)
{
	struct fixture *fx = *state;
	const char *const extra[] = { "--max-clients", "2",
				      "--max-per-addr", "2", NULL };
	struct th_conn a, b, c;

	/* A server of our own with room for two. */
	restart_server(fx, extra);
	join(fx, &a, "a");
	join(fx, &b, "b");
	assert_int_equal(th_conn_open(&c, "127.0.0.1", fx->srv.port), 0);
	assert_int_equal(th_conn_expect(&c, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_SERVER_FULL);
	assert_true(th_conn_wait_eof(&c, TH_TIMEOUT_MS));
	th_conn_close(&c);
	/* A place frees up. */
	th_conn_close(&b);
	assert_int_equal(th_conn_expect(&a, FT_LEAVE, &fx->f, TH_TIMEOUT_MS), 1);
	join(fx, &c, "c");
	th_conn_close(&a);
	th_conn_close(&c);
	assert_server_stops_cleanly(fx);
}

static void clients_are_told_when_the_server_stops(void **state)
{
	struct fixture *fx = *state;
	struct th_conn a;

	join(fx, &a, "a");
	th_kill(&fx->srv.proc, SIGTERM);
	assert_int_equal(th_conn_expect(&a, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_SHUTDOWN);
	assert_true(th_conn_wait_eof(&a, TH_TIMEOUT_MS));
	th_conn_close(&a);
	assert_server_stops_cleanly(fx);
}


/* ---- what one hostile peer may take ---- */

static void connections_that_never_say_hello_are_closed_in_time(void **state)
{
	struct fixture *fx = *state;
	const char *const extra[] = { "--max-clients", "4",
				      "--max-per-addr", "4",
				      "--hello-timeout", "1", NULL };
	struct th_conn bare[4], late, user;
	int i;

	restart_server(fx, extra);
	for (i = 0; i < 4; i++)
		assert_int_equal(th_conn_open(&bare[i], "127.0.0.1",
					      fx->srv.port), 0);
	/* Every slot taken by connections that say nothing... */
	assert_int_equal(th_conn_open(&late, "127.0.0.1", fx->srv.port), 0);
	assert_int_equal(th_conn_expect(&late, FT_ERROR, &fx->f, TH_TIMEOUT_MS), 1);
	assert_int_equal(fx->f.payload[0], CHAT_ERR_SERVER_FULL);
	th_conn_close(&late);
	/* ...which are told why and closed... */
	for (i = 0; i < 4; i++) {
		assert_int_equal(th_conn_expect(&bare[i], FT_ERROR, &fx->f,
						TH_TIMEOUT_MS), 1);
		assert_int_equal(fx->f.payload[0], CHAT_ERR_PROTOCOL);
		assert_true(th_conn_wait_eof(&bare[i], TH_TIMEOUT_MS));
		th_conn_close(&bare[i]);
	}
	/* ...so a real user gets in, and may take its time to say HELLO
	 * as long as it is within the limit. */
	join(fx, &user, "user");
	send_text(&user, "in");
	th_conn_close(&user);
	assert_server_stops_cleanly(fx);
}

/* As in the report that found it: 100 bare connections, 100 slots. */
static void one_address_cannot_take_every_slot(void **state)
{
	struct fixture *fx = *state;
	const char *const extra[] = { "--max-clients", "100", NULL };
	static struct th_conn bare[100];
	struct th_conn user;
	int i, held = 0, refused = 0;

	restart_server(fx, extra);
	for (i = 0; i < 100; i++) {
		if (th_conn_open_from(&bare[i], "127.0.0.2", "127.0.0.1",
				      fx->srv.port) < 0) {
			th_server_stop(&fx->srv);
			skip();		/* no 127.0.0.2 on this host */
		}
	}
	/* Refused connections get ERROR 4 and EOF; the others stay open. */
	for (i = 0; i < 100; i++) {
		int rc = th_conn_recv(&bare[i], &fx->f, 200);

		if (rc == 1 && fx->f.type == FT_ERROR &&
		    fx->f.payload[0] == CHAT_ERR_SERVER_FULL)
			refused++;
		else if (rc == 0)
			held++;
	}
	assert_int_equal(held + refused, 100);
	assert_true(held <= 50);		/* a share, not the room */
	assert_true(held >= 1);
	/* Someone from elsewhere joins at once, not after any timeout. */
	join(fx, &user, "user");
	th_conn_close(&user);
	for (i = 0; i < 100; i++)
		th_conn_close(&bare[i]);
	assert_server_stops_cleanly(fx);
}

static long server_rss_kb(struct fixture *fx)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)fx->srv.proc.pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	assert_true(kb > 0);
	return kb;
}

#define STALLED 300

/*
 * Each connection starts a frame, waits, then sends 64 KiB more: the rest
 * of that frame, whole frames, and the start of one more, where it stalls.
 * The server must keep that last incomplete frame only, not a buffer the
 * size of everything that came in one read.
 */
static void stalled_partial_frames_hold_only_their_own_bytes(void **state)
{
	struct fixture *fx = *state;
	static struct th_conn c[STALLED];
	static uint8_t nick[8000];
	struct cbuf b = { 0 };
	char name[16];
	long before, after;
	int i;

	/* A sanitized server keeps freed memory in quarantine, which would
	 * count every buffer it ever had: measure what it holds. */
	const char *asan = getenv("ASAN_OPTIONS");
	char *saved = asan ? strdup(asan) : NULL;
	char opts[512];
	const char *const no_extra[] = { NULL };

	snprintf(opts, sizeof(opts), "%s%squarantine_size_mb=0",
		 asan ? asan : "", asan && *asan ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
	restart_server(fx, no_extra);
	if (saved)
		setenv("ASAN_OPTIONS", saved, 1);
	else
		unsetenv("ASAN_OPTIONS");
	free(saved);

	/* Invalid names: each is answered, nothing relayed, the connection
	 * stays. */
	memset(nick, '!', sizeof(nick));
	for (i = 0; i < 9; i++)
		assert_int_equal(frame_append(&b, FT_NICK, nick, sizeof(nick)), 0);
	assert_true(cbuf_used(&b) > 65536 + 10 + 100);
	for (i = 0; i < STALLED; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		join(fx, &c[i], name);
	}
	usleep(200 * 1000);
	before = server_rss_kb(fx);
	for (i = 0; i < STALLED; i++)
		assert_int_equal(th_conn_send_raw(&c[i], cbuf_head(&b), 10), 0);
	usleep(200 * 1000);
	/* The rest up to 100 bytes before the end of the ninth frame. */
	for (i = 0; i < STALLED; i++)
		assert_int_equal(th_conn_send_raw(&c[i], cbuf_head(&b) + 10,
						  cbuf_used(&b) - 10 - 100), 0);
	/* Every connection has had its eight answers: all was read. */
	for (i = 0; i < STALLED; i++) {
		int k;

		for (k = 0; k < 8; k++) {
			assert_int_equal(th_conn_expect(&c[i], FT_ERROR, &fx->f,
							TH_TIMEOUT_MS), 1);
			assert_int_equal(fx->f.payload[0], CHAT_ERR_NICK_INVALID);
		}
	}
	after = server_rss_kb(fx);
	cbuf_free(&b);
	fprintf(stderr, "server RSS grew by %ld kB for %d stalled connections\n",
		after - before, STALLED);
	/* At most one frame (8 KiB) each, with room for allocator and
	 * sanitizer overhead; a 64 KiB buffer each is far beyond. */
	assert_true(after - before < STALLED * 32);
	for (i = 0; i < STALLED; i++)
		th_conn_close(&c[i]);
	assert_still_relaying(fx);
	assert_server_stops_cleanly(fx);
}

/* Parse whole frames from what the reader has taken in: its own ERROR or
 * LEAVE means it was dropped. */
static void scan_frames(struct th_conn *c, const char *me, bool *dropped,
			bool *marker)
{
	struct frame fr;

	while (frame_parse(cbuf_head(&c->in), cbuf_used(&c->in), &fr) == 1) {
		if (fr.type == FT_ERROR)
			*dropped = true;
		/* u64 time, str8 "other", "marker" */
		if (fr.type == FT_RELAY_MSG && fr.len == 8 + 6 + 6 &&
		    !memcmp(fr.payload + 8, "\5othermarker", 12))
			*marker = true;
		if (fr.type == FT_LEAVE && fr.len > 9 &&
		    fr.payload[8] == strlen(me) &&
		    !memcmp(fr.payload + 9, me, strlen(me)))
			*dropped = true;
		cbuf_consume(&c->in, fr.total);
	}
}

/*
 * A member with the longest nick sends 1-byte lines as fast as it can:
 * every 6 bytes it sends become 47 for each reader.  A reader taking a
 * steady 512 KiB/s must not be dropped as too slow: the server reads the
 * flooder only as fast as its bucket allows.
 */
static void flooding_member_is_throttled_and_a_steady_reader_stays(void **state)
{
	struct fixture *fx = *state;
	const char *flooder_nick = "ffffffffffffffffffffffffffffffff";
	static uint8_t burst[6 * 8192];
	struct th_conn flooder, reader, other;
	uint64_t start, now, got = 0, sent = 0;
	bool dropped = false, marker = false;
	size_t off = sizeof(burst);
	int i;

	join(fx, &reader, "reader");
	join(fx, &flooder, flooder_nick);
	for (i = 0; i < 8192; i++)
		memcpy(burst + 6 * i, "\0\0\0\2\2x", 6);
	assert_int_equal(net_set_nonblock(flooder.fd, 1), 0);

	start = th_now_ms();
	while ((now = th_now_ms()) - start < 5000 && !dropped) {
		struct pollfd pfd[2] = {
			{ .fd = flooder.fd, .events = POLLOUT },
			{ .fd = reader.fd, .events = POLLIN },
		};
		uint64_t allowed = (now - start) * 512;	/* 512 KiB/s */
		uint8_t buf[16384];

		if (off == sizeof(burst))
			off = 0;
		ssize_t w = send(flooder.fd, burst + off, sizeof(burst) - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			off += (size_t)w;
			sent += (uint64_t)w;
		}
		if (got < allowed) {
			size_t want = allowed - got < sizeof(buf) ?
				      allowed - got : sizeof(buf);
			ssize_t n = recv(reader.fd, buf, want, MSG_DONTWAIT);

			if (n == 0)
				dropped = true;
			if (n > 0) {
				got += (uint64_t)n;
				cbuf_append(&reader.in, buf, (size_t)n);
				scan_frames(&reader, "reader", &dropped, &marker);
			}
		}
		poll(pfd, 2, 5);
	}
	assert_false(dropped);
	assert_true(sent > 0);
	/* Still a member: a line sent now reaches it after the backlog. */
	th_conn_abort(&flooder);
	join(fx, &other, "other");
	send_text(&other, "marker");
	start = th_now_ms();
	while (!marker && !dropped) {
		uint8_t buf[65536];
		struct pollfd pfd = { .fd = reader.fd, .events = POLLIN };
		ssize_t n;

		assert_true(th_now_ms() - start < TH_TIMEOUT_MS);
		assert_true(poll(&pfd, 1, TH_TIMEOUT_MS) == 1);
		n = read(reader.fd, buf, sizeof(buf));
		assert_true(n > 0);
		cbuf_append(&reader.in, buf, (size_t)n);
		scan_frames(&reader, "reader", &dropped, &marker);
	}
	assert_false(dropped);
	th_conn_close(&reader);
	th_conn_close(&other);
	assert_server_stops_cleanly(fx);
}

static void startup_errors_free_what_was_allocated(void **state)
{
	struct fixture *fx = *state;
	char port[16];
	const char *const cases[][5] = {
		{ "--port", port, NULL },			/* in use */
		{ "--bind", "192.0.2.1", "--port", "0", NULL },	/* not ours */
		{ "--bind", "no-such-host.invalid", NULL },
	};
	size_t i;

	snprintf(port, sizeof(port), "%d", fx->srv.port);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[6] = { th_bin("chat-server"), cases[i][0],
					cases[i][1], cases[i][2], cases[i][3],
					NULL };
		struct th_proc p;

		assert_int_equal(th_spawn(&p, argv), 0);
		assert_int_equal(th_wait_exit(&p, TH_TIMEOUT_MS), 1);
		/* The sanitized build reports anything left behind. */
		if (strstr(th_stderr(&p), "LeakSanitizer")) {
			fprintf(stderr, "case %zu: %s\n", i, th_stderr(&p));
			fail();
		}
		th_proc_free(&p);
	}
	assert_server_stops_cleanly(fx);
}

int main(int argc, char **argv)
{
#define T(name) cmocka_unit_test_setup_teardown(name, start_server, stop_server)
	const struct CMUnitTest tests[] = {
		T(message_from_one_client_reaches_all_others),
		T(actions_and_sealed_messages_are_relayed_unchanged),
		T(join_nick_change_and_leave_are_announced),
		T(taken_nickname_is_refused_with_a_clear_error),
		T(client_without_a_name_gets_a_guest_name),
		T(who_lists_everyone_here),
		T(slow_reader_is_dropped_others_keep_receiving),
		T(hundreds_of_clients_at_once),
		T(oversize_frame_closes_only_that_connection),
		T(garbage_closes_only_that_connection),
		T(truncated_frames_and_abrupt_disconnects_are_survived),
		T(frames_split_in_bytes_or_coalesced_are_relayed),
		T(listens_on_ipv4_and_ipv6),
		T(port_in_use_is_reported),
		T(bad_arguments_are_reported),
		T(full_server_refuses_with_an_error),
		T(clients_are_told_when_the_server_stops),
		T(connections_that_never_say_hello_are_closed_in_time),
		T(one_address_cannot_take_every_slot),
		T(stalled_partial_frames_hold_only_their_own_bytes),
		T(flooding_member_is_throttled_and_a_steady_reader_stays),
		T(startup_errors_free_what_was_allocated),
	};

	th_init(argv[0]);
	th_raise_nofile();
	/* CHAT_TEST=PATTERN runs only the matching tests. */
	if (getenv("CHAT_TEST"))
		cmocka_set_test_filter(getenv("CHAT_TEST"));
	if (access(th_bin("chat-server"), X_OK) != 0) {
		fprintf(stderr, "test-chat-server: %s not found: build it first\n",
			th_bin("chat-server"));
		return 1;
	}
	return cmocka_run_group_tests_name("chat-server over loopback", tests,
					   NULL, NULL);
}
