// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chat fan-out over real sockets: socketpairs whose sending side has
 * the smallest buffer the kernel allows, so that writev and write stop
 * part way through a frame.  Each recipient is served as chat-server
 * serves a room member before it waits: the batch straight from there when
 * nothing older waits, the rest into its backlog, then the backlog.  What
 * every recipient must read back is exactly the frames meant for it, whole
 * and in the order they were added.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../chat/buf.h"
#include "../../chat/fanout.h"
#include "../../chat/frame.h"
#include "../../chat/net.h"

#define NDEST	3

struct dest {
	int fd;			/* the sending side, as the server's */
	int peer;		/* the reading side, the client's */
	struct fanout_dest d;
	struct cbuf want;	/* every frame meant for it, in order */
	struct cbuf got;	/* what it has read */
	bool copied;		/* its backlog held batch frames once */
	bool split;		/* a frame was cut by a short write */
};

struct fixture {
	struct fanout *f;
	struct dest r[NDEST];
	uint32_t seq;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int i;

	if (!fx)
		return -1;
	for (i = 0; i < NDEST; i++)
		fx->r[i].fd = fx->r[i].peer = -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	int i;

	for (i = 0; i < NDEST; i++) {
		struct dest *r = &fx->r[i];

		if (r->fd >= 0)
			close(r->fd);
		if (r->peer >= 0)
			close(r->peer);
		fanout_dest_free(&r->d);
		cbuf_free(&r->want);
		cbuf_free(&r->got);
	}
	fanout_free(fx->f);
	free(fx);
	return 0;
}

/* A batch for out_max bytes of backlog and NDEST connected recipients;
 * sndbuf 0 leaves the kernel's default buffer. */
static void open_fanout(struct fixture *fx, size_t out_max, int sndbuf)
{
	int i;

	fx->f = fanout_new(out_max);
	assert_non_null(fx->f);
	for (i = 0; i < NDEST; i++) {
		struct dest *r = &fx->r[i];
		int sv[2];

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC,
					    0, sv), 0);
		r->fd = sv[0];
		r->peer = sv[1];
		assert_int_equal(net_set_nonblock(r->fd, 1), 0);
		assert_int_equal(net_set_nonblock(r->peer, 1), 0);
		if (sndbuf)
			assert_int_equal(setsockopt(r->fd, SOL_SOCKET,
						    SO_SNDBUF, &sndbuf,
						    sizeof(sndbuf)), 0);
	}
}

/* A frame of len payload bytes that says which it is; the frame's bytes
 * stay in b. */
static void make_frame(struct fixture *fx, struct cbuf *b, size_t len)
{
	uint8_t p[CHAT_PAYLOAD_MAX];
	uint32_t seq = ++fx->seq;
	size_t i;

	assert_true(len >= 4 && len <= sizeof(p));
	memcpy(p, &seq, 4);
	for (i = 4; i < len; i++)
		p[i] = (uint8_t)(seq + i);
	b->start = b->len = 0;
	assert_int_equal(frame_append(b, FT_RELAY_MSG, p, len), 0);
}

/* A frame from recipient `from` (-1: from nobody of them) to the others. */
static void add(struct fixture *fx, int from, size_t len)
{
	struct cbuf b = { 0 };
	int i;

	make_frame(fx, &b, len);
	assert_int_equal(fanout_add(fx->f, cbuf_head(&b), cbuf_used(&b),
				    from >= 0 ? fx->r[from].fd : -1), 0);
	for (i = 0; i < NDEST; i++)
		if (i != from)
			assert_int_equal(cbuf_append(&fx->r[i].want,
						     cbuf_head(&b),
						     cbuf_used(&b)), 0);
	cbuf_free(&b);
}

/* A frame for recipient i alone, after what the batch has for it. */
static void queue(struct fixture *fx, int i, size_t len)
{
	struct dest *r = &fx->r[i];
	struct cbuf b = { 0 };

	make_frame(fx, &b, len);
	assert_int_equal(fanout_materialize(fx->f, &r->d, r->fd, 0), 0);
	assert_int_equal(fanout_queue(fx->f, &r->d, cbuf_head(&b),
				      cbuf_used(&b)), 0);
	assert_int_equal(cbuf_append(&r->want, cbuf_head(&b), cbuf_used(&b)),
			 0);
	cbuf_free(&b);
}

static void note_split(struct dest *r)
{
	if (cbuf_used(&r->d.buf) && r->d.frame_left)
		r->split = true;
}

/* Serve r as the server does; fanout_materialize()'s code. */
static int serve(struct fixture *fx, struct dest *r)
{
	if (fanout_start(fx->f, &r->d) < fanout_frames(fx->f)) {
		ssize_t n = 0;
		int rc;

		if (cbuf_used(&r->d.buf) == 0)
			n = fanout_write_batch(fx->f, &r->d, r->fd);
		assert_true(n >= 0);
		rc = fanout_materialize(fx->f, &r->d, r->fd, (size_t)n);
		if (cbuf_used(&r->d.buf))
			r->copied = true;
		note_split(r);
		if (rc < 0)
			return rc;
	}
	assert_int_equal(fanout_dest_write(&r->d, r->fd), 0);
	note_split(r);
	return 0;
}

/* Every recipient served, then the batch emptied. */
static void serve_all(struct fixture *fx)
{
	int i;

	for (i = 0; i < NDEST; i++)
		assert_int_equal(serve(fx, &fx->r[i]), 0);
	fanout_reset(fx->f);
}

/* Read up to max bytes of what is there for r. */
static void read_some(struct dest *r, size_t max)
{
	uint8_t p[65536];
	ssize_t n;

	if (max > sizeof(p))
		max = sizeof(p);
	n = read(r->peer, p, max);
	if (n < 0 && errno == EAGAIN)
		return;
	assert_true(n >= 0);
	assert_int_equal(cbuf_append(&r->got, p, (size_t)n), 0);
}

/* Read everything, serving the backlogs, until it all arrived (bounded). */
static void drain(struct fixture *fx)
{
	int round, i;

	for (round = 0; round < 100000; round++) {
		bool done = true;

		for (i = 0; i < NDEST; i++) {
			struct dest *r = &fx->r[i];

			assert_int_equal(serve(fx, r), 0);
			read_some(r, SIZE_MAX);
			if (cbuf_used(&r->got) < cbuf_used(&r->want))
				done = false;
		}
		if (done)
			return;
	}
	fail_msg("the frames did not all arrive");
}

/* What r read is exactly what was meant for it. */
static void assert_got_what_was_meant(const struct dest *r)
{
	assert_int_equal(cbuf_used(&r->got), cbuf_used(&r->want));
	assert_memory_equal(cbuf_head(&r->got), cbuf_head(&r->want),
			    cbuf_used(&r->want));
	assert_int_equal(cbuf_used(&r->d.buf), 0);
	assert_int_equal(r->d.frame_left, 0);
}

/*
 * Frames from all three and from nobody, long and short, batch after
 * batch, with frames for one alone in between; recipient 2 reads at most
 * 700 bytes a round.  Its backlog fills and frames are cut by short
 * writes, yet every recipient reads each frame meant for it whole and in
 * order, and none of its own.
 */
static void slow_reader_gets_every_frame_whole_and_in_order(void **state)
{
	struct fixture *fx = *state;
	int round, k;

	open_fanout(fx, 1 << 20, 1);
	for (round = 0; round < 40; round++) {
		for (k = 0; k < 12; k++)
			add(fx, k % 4 - 1, 4 + (size_t)(round * 37 + k * 811) %
					   3000);
		if (round % 5 == 0)
			queue(fx, 2, 50 + (size_t)round);
		serve_all(fx);
		read_some(&fx->r[0], SIZE_MAX);
		read_some(&fx->r[1], SIZE_MAX);
		read_some(&fx->r[2], 700);
	}
	drain(fx);
	for (k = 0; k < NDEST; k++)
		assert_got_what_was_meant(&fx->r[k]);
	/* The conditions this test is about did happen. */
	assert_true(fx->r[2].copied);
	assert_true(fx->r[2].split);
}

/* A recipient whose socket takes the whole batch gets it with no copy of
 * its own: its backlog never takes memory. */
static void reader_that_keeps_up_gets_the_batch_without_a_copy(void **state)
{
	struct fixture *fx = *state;
	int k;

	open_fanout(fx, 1 << 20, 0);
	for (k = 0; k < 20; k++)
		add(fx, k % 2, 100);
	serve_all(fx);
	assert_int_equal(fx->r[2].d.buf.cap, 0);
	assert_false(fx->r[2].copied);
	drain(fx);
	assert_got_what_was_meant(&fx->r[2]);
}

/*
 * Frames from others alternating with its own: more separate pieces than
 * one writev takes.  The rest is copied and follows in order.
 */
static void more_pieces_than_one_writev_arrive_in_order(void **state)
{
	struct fixture *fx = *state;
	int k;

	open_fanout(fx, 1 << 20, 0);
	for (k = 0; k < 300; k++)
		add(fx, k % 2 ? 0 : 1, 40);
	serve_all(fx);
	assert_true(fx->r[0].copied);
	drain(fx);
	assert_got_what_was_meant(&fx->r[0]);
	assert_got_what_was_meant(&fx->r[1]);
}

/*
 * A recipient that does not read is too slow once its backlog would pass
 * out_max.  It keeps only the tail of the frame its socket took part of;
 * cut, with an error frame after it, its stream still holds whole frames:
 * a prefix of those meant for it, then the error.
 */
static void too_slow_recipient_keeps_only_the_frame_begun(void **state)
{
	struct fixture *fx = *state;
	struct dest *r = &fx->r[2];
	static const uint8_t why[] = { CHAT_ERR_TOO_SLOW, 'x' };
	struct cbuf err = { 0 };
	size_t off = 0, want_off = 0;
	int k, rc;

	open_fanout(fx, 16384, 1);
	for (k = 0; k < 100; k++)
		add(fx, 0, 997);
	rc = serve(fx, r);
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(cbuf_used(&r->d.buf), r->d.frame_left);
	assert_true(r->d.frame_left > 0);
	fanout_dest_cut(&r->d);
	assert_int_equal(frame_append(&err, FT_ERROR, why, sizeof(why)), 0);
	assert_int_equal(fanout_queue(fx->f, &r->d, cbuf_head(&err),
				      cbuf_used(&err)), 0);
	fanout_reset(fx->f);
	while (cbuf_used(&r->d.buf)) {
		assert_int_equal(fanout_dest_write(&r->d, r->fd), 0);
		read_some(r, SIZE_MAX);
	}
	read_some(r, SIZE_MAX);
	for (;;) {
		struct frame f;

		assert_int_equal(frame_parse(cbuf_head(&r->got) + off,
					     cbuf_used(&r->got) - off, &f), 1);
		if (f.type == FT_ERROR) {
			assert_memory_equal(f.payload, why, sizeof(why));
			assert_int_equal(off + f.total, cbuf_used(&r->got));
			break;
		}
		assert_memory_equal(cbuf_head(&r->got) + off,
				    cbuf_head(&r->want) + want_off, f.total);
		off += f.total;
		want_off += f.total;
	}
	assert_true(off > 0);
	cbuf_free(&err);
}

/*
 * Served three frames of one batch, a recipient stands still while the
 * batch is emptied and refilled with two: both reach it.  (Its old place,
 * 3, would be past the end of the new batch but for the generation.)
 */
static void place_in_an_emptied_batch_counts_for_nothing(void **state)
{
	struct fixture *fx = *state;
	struct dest *r = &fx->r[2];

	open_fanout(fx, 1 << 20, 0);
	add(fx, 0, 10);
	add(fx, 1, 10);
	add(fx, -1, 10);
	serve_all(fx);
	assert_int_equal(fanout_start(fx->f, &r->d), 0);
	add(fx, 0, 20);
	add(fx, 1, 20);
	assert_int_equal(fanout_start(fx->f, &r->d), 0);
	serve_all(fx);
	drain(fx);
	assert_got_what_was_meant(r);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(slow_reader_gets_every_frame_whole_and_in_order),
		T(reader_that_keeps_up_gets_the_batch_without_a_copy),
		T(more_pieces_than_one_writev_arrive_in_order),
		T(too_slow_recipient_keeps_only_the_frame_begun),
		T(place_in_an_emptied_batch_counts_for_nothing),
	};

	return cmocka_run_group_tests_name("chat fan-out", tests, NULL, NULL);
}
