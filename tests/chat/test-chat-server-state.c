// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-server's bookkeeping seen from inside: the server's own source and
 * its fan-out's are compiled into this test, so that what the loopback
 * tests can only infer (how big a connection's input buffer is, where a
 * member stands in the broadcast batch) is asserted directly.  Clients are
 * socketpairs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

/* The server's main() is not ours to run. */
int chat_server_main(int argc, char **argv);
#define main chat_server_main
#include "../../chat/server.c"
#undef main
/* The batch's generation is set below. */
#include "../../chat/fanout.c"

struct fixture {
	struct srv *s;
	int peer[4];		/* our ends of the clients' socketpairs */
	struct srv_client *c[4];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->s = calloc(1, sizeof(*fx->s));
	if (!fx->s)
		return -1;
	fx->s->sigfd = -1;
	fx->s->setsize = 1024;
	fx->s->max_clients = 1000;
	fx->s->hello_ms = 600000;
	fx->s->addrs = addrs_new(fx->s->max_clients, 0);
	fx->s->clients = calloc(1024, sizeof(*fx->s->clients));
	fx->s->room = room_new();
	fx->s->fan = fanout_new(SRV_OUT_MAX);
	fx->s->loop = el_new(1024);
	if (!fx->s->addrs || !fx->s->clients || !fx->s->room ||
	    !fx->s->fan || !fx->s->loop)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	int fd, i;

	for (fd = 0; fd < fx->s->setsize; fd++)
		if (fx->s->clients[fd])
			srv_client_free(fx->s, fx->s->clients[fd]);
	for (i = 0; i < 4; i++)
		if (fx->peer[i] > 0)
			close(fx->peer[i]);
	srv_free(fx->s);
	free(fx);
	return 0;
}

/* Client i, joined as nick, its server end non-blocking. */
static struct srv_client *add_member(struct fixture *fx, int i,
				     const char *nick)
{
	struct srv_client *c = calloc(1, sizeof(*c));
	int sv[2];

	assert_non_null(c);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(net_set_nonblock(sv[0], 1), 0);
	fx->peer[i] = sv[1];
	c->fd = sv[0];
	c->state = CL_ROOM;
	snprintf(c->member.nick, sizeof(c->member.nick), "%s", nick);
	assert_int_equal(el_watch(fx->s->loop, c->fd, EL_READABLE,
				  srv_client_event, fx->s), 0);
	fx->s->clients[c->fd] = c;
	fx->s->nclients++;
	assert_int_equal(room_join(fx->s->room, &c->member), 0);
	fanout_done(fx->s->fan, &c->out);
	fx->c[i] = c;
	return c;
}

static void say(struct fixture *fx, struct srv_client *from, const char *text)
{
	struct frame_wr w;

	frame_wr_begin(&w, FT_RELAY_MSG);
	frame_wr_u64(&w, 0);
	frame_wr_str8(&w, from->member.nick, strlen(from->member.nick));
	frame_wr_bytes(&w, text, strlen(text));
	srv_broadcast(fx->s, from, &w);
}

/*
 * 64 KiB in one go (the end of a frame begun earlier, whole frames, the
 * start of one more) leaves in the input buffer that last frame's start,
 * in a buffer no bigger than that frame.
 */
static void stalled_partial_frame_keeps_a_buffer_of_its_own_size(void **state)
{
	struct fixture *fx = *state;
	struct srv_client *c = add_member(fx, 0, "staller");
	static uint8_t name[8000];
	struct cbuf b = { 0 };
	size_t frame_len;
	int i;

	memset(name, '!', sizeof(name));	/* invalid: answered, not relayed */
	for (i = 0; i < 9; i++)
		assert_int_equal(frame_append(&b, FT_NICK, name, sizeof(name)), 0);
	frame_len = cbuf_used(&b) / 9;
	assert_int_equal(write(fx->peer[0], cbuf_head(&b), 10), 10);
	srv_client_read(fx->s, c);
	assert_int_equal(cbuf_used(&c->in), 10);
	assert_true(c->in.cap <= frame_len);
	/* Everything else but the last 100 bytes. */
	assert_int_equal(write(fx->peer[0], cbuf_head(&b) + 10,
			       cbuf_used(&b) - 110),
			 (ssize_t)(cbuf_used(&b) - 110));
	while (cbuf_used(&c->in) != frame_len - 100 && !c->doomed)
		srv_client_read(fx->s, c);
	assert_false(c->doomed);
	assert_int_equal(cbuf_used(&c->in), frame_len - 100);
	assert_true(c->in.cap <= frame_len);
	/* The rest completes it, and the buffer goes. */
	assert_int_equal(write(fx->peer[0], cbuf_head(&b) + cbuf_used(&b) - 100,
			       100), 100);
	srv_client_read(fx->s, c);
	assert_int_equal(cbuf_used(&c->in), 0);
	assert_int_equal(c->in.cap, 0);
	cbuf_free(&b);
}

/*
 * A member's place in the broadcast batch is remembered with the batch's
 * generation.  However many batches went by while it stood still (2^32
 * here), a frame relayed now is never taken for one it already has.
 */
static void member_still_for_2_pow_32_batches_gets_the_next_frame(void **state)
{
	struct fixture *fx = *state;
	struct srv_client *a = add_member(fx, 0, "a");
	struct srv_client *b = add_member(fx, 1, "b");
	struct srv_client *idle = add_member(fx, 2, "idle");

	/* idle is served three frames of a batch, then stands still. */
	say(fx, a, "one");
	say(fx, a, "two");
	say(fx, b, "three");
	fanout_done(fx->s->fan, &idle->out);
	assert_int_equal(fanout_start(fx->s->fan, &idle->out), 3);
	fanout_reset(fx->s->fan);
	/* 2^32 batch generations after the one it was served in (one
	 * reset above, the rest here): */
	fx->s->fan->gen += ((uint64_t)1 << 32) - 1;
	say(fx, a, "four");
	say(fx, a, "five");
	say(fx, b, "six");
	say(fx, b, "seven");
	assert_int_equal(fanout_start(fx->s->fan, &idle->out), 0);
}

/* A batch that stays empty does not move the generation at all. */
static void empty_rounds_leave_the_batch_generation_alone(void **state)
{
	struct fixture *fx = *state;
	struct srv_client *a = add_member(fx, 0, "a");
	uint64_t gen = fx->s->fan->gen;
	int i;

	add_member(fx, 1, "b");		/* someone to hear a */

	for (i = 0; i < 1000; i++)
		fanout_reset(fx->s->fan);
	assert_true(fx->s->fan->gen == gen);
	say(fx, a, "x");
	fanout_reset(fx->s->fan);
	assert_true(fx->s->fan->gen == gen + 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(stalled_partial_frame_keeps_a_buffer_of_its_own_size),
		T(member_still_for_2_pow_32_batches_gets_the_next_frame),
		T(empty_rounds_leave_the_batch_generation_alone),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("chat-server bookkeeping", tests,
					   NULL, NULL);
}
