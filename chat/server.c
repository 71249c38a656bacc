// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-server: relays chat frames between many clients through one epoll
 * event loop.
 *
 * Relayed frames are not copied once per recipient: each goes once into
 * the batch (chat/fanout.c), and before the loop waits again every member
 * of the room writes it straight from there, less its own frames.  Only
 * what a client's socket cannot take at once is copied into its own
 * backlog, which is bounded: a client whose backlog would exceed
 * SRV_OUT_MAX is too slow to read.  It is taken out of the room (the others
 * are told), sent an error frame in place of its backlog, and closed;
 * nobody else waits for it.
 * A peer that breaks the protocol loses only its own connection.
 *
 * Connections are never freed in the middle of handling events: they are
 * "doomed" and released in the before-wait hook, so that a broadcast loop
 * never sees a client vanish under it.
 *
 * What one peer can take is bounded: a connection that has not said HELLO
 * in time is closed, one address holds at most a share of the slots, an
 * incomplete frame is kept in a buffer of that frame's size and no more,
 * and a client that makes the server relay faster than its token bucket
 * allows is simply not read until the bucket refills, so its flood is paid
 * for by its own socket, never by the others' output buffers.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addrs.h"
#include "buf.h"
#include "evloop.h"
#include "fanout.h"
#include "frame.h"
#include "list.h"
#include "net.h"
#include "room.h"

#define SRV_DEFAULT_PORT	35001
/* Pending output allowed per client (about 30 full frames, thousands of
 * ordinary lines) before it counts as too slow to read. */
#define SRV_OUT_MAX		(256 * 1024)
/* How long a closing connection may take to read its last frames. */
#define SRV_DRAIN_MS		5000
#define SRV_READ_CHUNK		65536
#define SRV_RESERVED_FDS	16
#define SRV_REASON_MAX		200
/* Stop reading new messages while this much waits in the batch. */
#define SRV_BATCH_SOFT_MAX	(1024 * 1024)
/* Time a new connection has to say HELLO. */
#define SRV_DEFAULT_HELLO_S	10
/* Bytes per second of relayed frames a client may cause, on average. */
#define SRV_DEFAULT_FLOOD_RATE	(128 * 1024)
/* The bucket holds at least this much: a burst of a few long lines. */
#define SRV_FLOOD_BURST_MIN	(64 * 1024)
/*
 * The most a byte read can cost: a 1-byte line from a 32-byte nick is
 * relayed as 47 bytes for 6 read.  Reads are sized by the tokens left
 * divided by it, so one read cannot overdraw the bucket by much.
 */
#define SRV_FLOOD_AMP		8
#define SRV_FLOOD_MIN_READ	1024

enum srv_state {
	CL_NEW,			/* connected, no nick yet */
	CL_ROOM,		/* joined: receives and sends messages */
	CL_DRAINING,		/* left: flushing its last frames, then closed */
};

struct srv_client {
	int fd;
	uint8_t state;
	bool pending;		/* fd is on the flush list */
	bool doomed;		/* on the doom list, to be finished */
	bool notify;		/* finish by sending err_code/reason first */
	bool quit;		/* asked to leave: deliver its backlog first */
	bool wr_shut;		/* output done, waiting for the peer's EOF */
	uint8_t err_code;
	struct room_member member;	/* its nick, while CL_ROOM */
	struct cbuf in;		/* bytes of an incomplete frame */
	struct fanout_dest out;	/* its place in the batch, its backlog */
	uint64_t flush_gen;	/* written in this flush round already */
	char *reason;		/* why it leaves */
	uint64_t drain_deadline;
	uint64_t hello_deadline;	/* CL_NEW: closed if still new then */
	struct addrs_entry *addr;	/* where it connects from */
	int64_t tokens;		/* bytes it may still have relayed */
	uint64_t tokens_ms;	/* when the bucket was last refilled */
	uint64_t resume_ms;	/* throttled: read again from then */
	bool throttled;
	struct srv_client *doom_next;
	struct list_link drain_link;	/* on drain_list while CL_DRAINING */
	struct list_link new_link;	/* on new_list while CL_NEW */
	struct list_link thr_link;	/* on thr_list while throttled */
};

/* The client whose link (named member) k is, or NULL for none. */
#define srv_client_at(k, member) \
	((k) ? list_entry((k), struct srv_client, member) : NULL)

/* The connection a room member is part of. */
static struct srv_client *srv_client_of(struct room_member *m)
{
	return (struct srv_client *)((char *)m -
				     offsetof(struct srv_client, member));
}

struct srv {
	struct el_loop *loop;
	struct srv_client **clients;	/* by fd */
	int setsize;
	int lfds[NET_MAX_LISTEN];
	int nlfds;
	bool accept_paused;
	uint64_t accept_resume;
	int sigfd;
	size_t nclients;
	size_t nclients_peak;		/* since memory was last given back */
	size_t max_clients;
	uint64_t hello_ms;
	int64_t flood_rate;		/* bytes/s; 0: no limit */
	int64_t flood_burst;

	struct addrs *addrs;		/* connections by address */
	struct room *room;		/* the clients that joined */
	struct fanout *fan;		/* frames relayed to the room */

	int *flush;			/* fds with output to write */
	size_t flush_len, flush_cap;
	uint64_t flush_gen;

	struct srv_client *doom_head;
	/* Oldest first: the first on new_list is the next to time out. */
	struct list drain_list;
	struct list new_list;
	struct list thr_list;
	size_t sent_bytes;		/* sent to the sender of this frame */

	unsigned long guest_seq;
	uint8_t rbuf[SRV_READ_CHUNK];
};

static uint64_t srv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t srv_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- output ---- */

static void srv_doom(struct srv *s, struct srv_client *c, const char *reason,
		     uint8_t err_code);

static void srv_flush_add(struct srv *s, struct srv_client *c)
{
	if (c->pending)
		return;
	if (s->flush_len == s->flush_cap) {
		size_t cap = s->flush_cap ? s->flush_cap * 2 : 256;
		int *f = realloc(s->flush, cap * sizeof(*f));

		if (!f) {
			srv_doom(s, c, "server out of memory", 0);
			return;
		}
		s->flush = f;
		s->flush_cap = cap;
	}
	s->flush[s->flush_len++] = c->fd;
	c->pending = true;
}

/* What a fan-out call returned for c: out of memory, or c too slow to
 * read, dooms it. */
static void srv_fanout_result(struct srv *s, struct srv_client *c, int rc)
{
	if (rc == -ENOBUFS)
		srv_doom(s, c, "too slow: output buffer full",
			 CHAT_ERR_TOO_SLOW);
	else if (rc < 0)
		srv_doom(s, c, "server out of memory", 0);
}

/*
 * Copy the batch frames c still has to get into its own backlog, less the
 * first skip bytes of them (already written).  Only members get them.
 */
static void srv_materialize(struct srv *s, struct srv_client *c, size_t skip)
{
	if (c->state != CL_ROOM) {
		fanout_done(s->fan, &c->out);
		return;
	}
	srv_fanout_result(s, c, fanout_materialize(s->fan, &c->out, c->fd,
						   skip));
}

/* Queue a whole frame for c alone, after whatever it still has coming. */
static void srv_send(struct srv *s, struct srv_client *c, const void *frame,
		     size_t len)
{
	int rc;

	if (c->doomed || c->state == CL_DRAINING)
		return;
	srv_materialize(s, c, 0);
	if (c->doomed)
		return;
	rc = fanout_queue(s->fan, &c->out, frame, len);
	if (rc < 0) {
		srv_fanout_result(s, c, rc);
		return;
	}
	s->sent_bytes += len;
	srv_flush_add(s, c);
}

static void srv_send_wr(struct srv *s, struct srv_client *c,
			struct frame_wr *w)
{
	int n = frame_wr_end(w);

	if (n > 0)
		srv_send(s, c, w->buf, (size_t)n);
}

/* A frame for everyone in the room but except (NULL: everyone). */
static void srv_broadcast(struct srv *s, struct srv_client *except,
			  struct frame_wr *w)
{
	int n = frame_wr_end(w);

	if (n <= 0 || room_count(s->room) == 0 ||
	    (room_count(s->room) == 1 && except &&
	     room_at(s->room, 0) == &except->member))
		return;
	/* Out of memory: the frame is lost. */
	fanout_add(s->fan, w->buf, (size_t)n, except ? except->fd : -1);
}

static void srv_send_error(struct srv *s, struct srv_client *c, uint8_t code,
			   const char *text)
{
	struct frame_wr w;

	frame_wr_begin(&w, FT_ERROR);
	frame_wr_u8(&w, code);
	frame_wr_bytes(&w, text, strlen(text));
	srv_send_wr(s, c, &w);
}

static void srv_client_free(struct srv *s, struct srv_client *c);

/*
 * Write what c has pending.  A write error dooms c, or frees it at once
 * when it was already leaving; returns -1 when c is gone.
 */
static int srv_write(struct srv *s, struct srv_client *c)
{
	int rc;

	if (c->state == CL_ROOM && !c->doomed &&
	    fanout_start(s->fan, &c->out) < fanout_frames(s->fan)) {
		/* Straight from the batch when nothing older waits. */
		ssize_t n = 0;

		if (cbuf_used(&c->out.buf) == 0)
			n = fanout_write_batch(s->fan, &c->out, c->fd);
		if (n < 0) {
			fanout_done(s->fan, &c->out);
			srv_doom(s, c, "connection lost", 0);
			return 0;
		}
		srv_materialize(s, c, (size_t)n);
		if (c->doomed)
			return 0;
	}
	rc = fanout_dest_write(&c->out, c->fd);
	if (rc < 0) {
		if (c->state == CL_DRAINING) {
			srv_client_free(s, c);
			return -1;
		}
		srv_doom(s, c, "connection lost", 0);
		return 0;
	}
	if (cbuf_used(&c->out.buf) > 0) {
		el_set_mask(s->loop, c->fd, el_get_mask(s->loop, c->fd) |
			    EL_WRITABLE);
		return 0;
	}
	if (c->state == CL_DRAINING && !c->wr_shut) {
		/* Everything said: half-close and wait for the peer to close
		 * its side, so our last frames are not lost to a reset. */
		shutdown(c->fd, SHUT_WR);
		c->wr_shut = true;
		el_set_mask(s->loop, c->fd, EL_READABLE);
		return 0;
	}
	el_set_mask(s->loop, c->fd, el_get_mask(s->loop, c->fd) &
		    ~EL_WRITABLE);
	return 0;
}

/* ---- limits on one peer ---- */

/* Connections that have not joined yet, oldest (first to expire) first. */
static void srv_new_link(struct srv *s, struct srv_client *c)
{
	c->hello_deadline = srv_mono_ms() + s->hello_ms;
	list_push_back(&s->new_list, &c->new_link);
}

static void srv_new_unlink(struct srv *s, struct srv_client *c)
{
	list_del(&s->new_list, &c->new_link);
}

static void srv_tokens_refill(struct srv *s, struct srv_client *c,
			      uint64_t now)
{
	uint64_t dt = now - c->tokens_ms;

	c->tokens_ms = now;
	if (dt > 60000)
		dt = 60000;
	c->tokens += (int64_t)dt * s->flood_rate / 1000;
	if (c->tokens > s->flood_burst)
		c->tokens = s->flood_burst;
}

/* Stop reading c until its bucket holds enough for a full frame again. */
static void srv_throttle(struct srv *s, struct srv_client *c)
{
	int64_t need = FRAME_MAX_LEN - c->tokens;

	c->resume_ms = srv_mono_ms() +
		       (uint64_t)((need * 1000 + s->flood_rate - 1) /
				  s->flood_rate);
	c->throttled = true;
	el_set_mask(s->loop, c->fd, el_get_mask(s->loop, c->fd) &
		    ~EL_READABLE);
	list_push_back(&s->thr_list, &c->thr_link);
}

static void srv_thr_unlink(struct srv *s, struct srv_client *c)
{
	if (!c->throttled)
		return;
	list_del(&s->thr_list, &c->thr_link);
	c->throttled = false;
}

/* ---- client lifecycle ---- */

static void srv_client_free(struct srv *s, struct srv_client *c)
{
	if (c->state == CL_DRAINING)
		list_del(&s->drain_list, &c->drain_link);
	srv_new_unlink(s, c);
	srv_thr_unlink(s, c);
	addrs_put(s->addrs, c->addr);
	el_unwatch(s->loop, c->fd);
	close(c->fd);
	s->clients[c->fd] = NULL;
	s->nclients--;
	cbuf_free(&c->in);
	fanout_dest_free(&c->out);
	free(c->reason);
	free(c);
	/* Many connections gone (a crowd left, a flood of connections was
	 * cut): hand their memory back instead of keeping it for ever as
	 * holes in the heap. */
	if (s->nclients_peak >= 256 && s->nclients < s->nclients_peak / 2) {
#ifdef __GLIBC__
		malloc_trim(0);
#endif
		s->nclients_peak = s->nclients;
	}
}

/*
 * Mark c to be finished in the before-wait hook.  err_code != 0: tell the
 * client why (an ERROR frame with reason) before closing.
 */
static void srv_doom(struct srv *s, struct srv_client *c, const char *reason,
		     uint8_t err_code)
{
	if (c->doomed || c->state == CL_DRAINING)
		return;
	c->doomed = true;
	c->notify = err_code != 0;
	c->err_code = err_code;
	c->reason = strdup(reason);	/* callers bound it to SRV_REASON_MAX */
	c->doom_next = s->doom_head;
	s->doom_head = c;
}

static void srv_leave_room(struct srv *s, struct srv_client *c)
{
	const char *reason = c->reason ? c->reason : "left";
	struct frame_wr w;

	room_leave(s->room, &c->member);
	frame_wr_begin(&w, FT_LEAVE);
	frame_wr_u64(&w, srv_now_ms());
	frame_wr_str8(&w, c->member.nick, strlen(c->member.nick));
	frame_wr_bytes(&w, reason, strlen(reason));
	srv_broadcast(s, c, &w);
}

static void srv_finish(struct srv *s, struct srv_client *c)
{
	/* One who asked to leave still gets what was relayed before. */
	if (c->quit && c->state == CL_ROOM)
		srv_materialize(s, c, 0);
	if (c->state == CL_ROOM) {
		srv_leave_room(s, c);
		/* The rest of the batch is not for it. */
		fanout_done(s->fan, &c->out);
	}
	if (!c->notify && !c->quit) {
		srv_client_free(s, c);
		return;
	}
	srv_new_unlink(s, c);
	srv_thr_unlink(s, c);
	c->doomed = false;
	if (c->notify) {
		/*
		 * The backlog gives way to the error frame, except the frame
		 * partly written: its tail must follow or the stream breaks.
		 */
		fanout_dest_cut(&c->out);
		srv_send_error(s, c, c->err_code,
			       c->reason ? c->reason : "closing");
	}
	c->state = CL_DRAINING;
	c->drain_deadline = srv_mono_ms() + SRV_DRAIN_MS;
	list_push_back(&s->drain_list, &c->drain_link);
	/* Stop reading until the output is out; then only wait for EOF. */
	el_set_mask(s->loop, c->fd, EL_WRITABLE);
	srv_flush_add(s, c);
}

/* ---- frames from clients ---- */

static void srv_protocol_error(struct srv *s, struct srv_client *c,
			       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void srv_protocol_error(struct srv *s, struct srv_client *c,
			       const char *fmt, ...)
{
	char msg[SRV_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	srv_doom(s, c, msg, CHAT_ERR_PROTOCOL);
}

static void srv_welcome(struct srv *s, struct srv_client *c)
{
	static const char banner[] =
		"welcome to chat-server (virtio-cryptodev); /help lists commands";
	struct frame_wr w;

	frame_wr_begin(&w, FT_WELCOME);
	frame_wr_str8(&w, c->member.nick, strlen(c->member.nick));
	frame_wr_u32(&w, (uint32_t)room_count(s->room));
	frame_wr_bytes(&w, banner, sizeof(banner) - 1);
	srv_send_wr(s, c, &w);

	frame_wr_begin(&w, FT_JOIN);
	frame_wr_u64(&w, srv_now_ms());
	frame_wr_str8(&w, c->member.nick, strlen(c->member.nick));
	srv_broadcast(s, c, &w);
}

static void srv_on_hello(struct srv *s, struct srv_client *c,
			 struct frame_rd *r)
{
	uint8_t version = frame_rd_u8(r);
	const uint8_t *nick;
	size_t n;
	char msg[128];

	nick = frame_rd_rest(r, &n);
	if (r->err) {
		srv_protocol_error(s, c, "HELLO without a version");
		return;
	}
	if (version != CHAT_PROTO_VERSION) {
		srv_protocol_error(s, c, "unsupported protocol version %u",
				   version);
		return;
	}
	if (n == 0) {
		/* No name asked for: pick a free guestN. */
		do {
			snprintf(c->member.nick, sizeof(c->member.nick),
				 "guest%lu", ++s->guest_seq);
		} while (room_find(s->room, c->member.nick));
	} else if (!room_nick_valid((const char *)nick, n)) {
		srv_send_error(s, c, CHAT_ERR_NICK_INVALID,
			       "invalid nickname: use 1-32 letters, digits, '_' or '-', not starting with '-'");
		return;
	} else {
		memcpy(c->member.nick, nick, n);
		c->member.nick[n] = '\0';
		if (room_find(s->room, c->member.nick)) {
			snprintf(msg, sizeof(msg),
				 "nickname '%s' is already taken", c->member.nick);
			c->member.nick[0] = '\0';
			srv_send_error(s, c, CHAT_ERR_NICK_TAKEN, msg);
			return;
		}
	}
	if (room_join(s->room, &c->member) < 0) {
		srv_doom(s, c, "server out of memory", CHAT_ERR_PROTOCOL);
		return;
	}
	/* Frames relayed before it joined are not for it. */
	fanout_done(s->fan, &c->out);
	c->state = CL_ROOM;
	srv_new_unlink(s, c);
	srv_welcome(s, c);
}

static void srv_on_nick(struct srv *s, struct srv_client *c,
			const uint8_t *nick, size_t n)
{
	char want[CHAT_NICK_MAX + 1], old[CHAT_NICK_MAX + 1], msg[128];
	struct room_member *other;
	struct frame_wr w;

	if (!room_nick_valid((const char *)nick, n)) {
		srv_send_error(s, c, CHAT_ERR_NICK_INVALID,
			       "invalid nickname: use 1-32 letters, digits, '_' or '-', not starting with '-'");
		return;
	}
	memcpy(want, nick, n);
	want[n] = '\0';
	other = room_find(s->room, want);
	if (other && other != &c->member) {
		snprintf(msg, sizeof(msg), "nickname '%s' is already taken",
			 want);
		srv_send_error(s, c, CHAT_ERR_NICK_TAKEN, msg);
		return;
	}
	strcpy(old, c->member.nick);
	room_rename(s->room, &c->member, want);

	/* Everyone, the client included: its confirmation. */
	frame_wr_begin(&w, FT_NICK_CHANGE);
	frame_wr_u64(&w, srv_now_ms());
	frame_wr_str8(&w, old, strlen(old));
	frame_wr_str8(&w, want, n);
	srv_broadcast(s, NULL, &w);
}

static void srv_on_who(struct srv *s, struct srv_client *c)
{
	struct frame_wr w;
	size_t i = 0;

	/* As many names per frame as fit; the last frame says so. */
	do {
		frame_wr_begin(&w, FT_WHO_REPLY);
		frame_wr_u8(&w, 0);
		while (i < room_count(s->room)) {
			const char *nick = room_at(s->room, i)->nick;
			size_t n = strlen(nick);

			if (w.len + 1 + n > FRAME_MAX_LEN)
				break;
			frame_wr_str8(&w, nick, n);
			i++;
		}
		if (i == room_count(s->room))
			w.buf[FRAME_HDR_LEN + 1] = 1;
		srv_send_wr(s, c, &w);
	} while (i < room_count(s->room) && !c->doomed);
}

static void srv_relay(struct srv *s, struct srv_client *c, uint8_t type,
		      const uint8_t *p, size_t n)
{
	struct frame_wr w;

	if (n > CHAT_PAYLOAD_MAX) {
		srv_protocol_error(s, c, "message of %zu bytes exceeds the maximum of %d",
				   n, CHAT_PAYLOAD_MAX);
		return;
	}
	if (n == 0)
		return;
	frame_wr_begin(&w, type);
	frame_wr_u64(&w, srv_now_ms());
	frame_wr_str8(&w, c->member.nick, strlen(c->member.nick));
	frame_wr_bytes(&w, p, n);
	srv_broadcast(s, c, &w);
}

static void srv_on_frame(struct srv *s, struct srv_client *c,
			 const struct frame *f)
{
	struct frame_rd r;
	char reason[SRV_REASON_MAX];

	frame_rd_init(&r, f);
	if (f->type == FT_QUIT) {
		size_t n = f->len < sizeof(reason) - 8 ? f->len : sizeof(reason) - 8;

		if (n)
			snprintf(reason, sizeof(reason), "quit: %.*s", (int)n,
				 (const char *)f->payload);
		else
			snprintf(reason, sizeof(reason), "quit");
		/* Whatever was queued for it still reaches it. */
		c->quit = true;
		srv_doom(s, c, reason, 0);
		return;
	}
	if (c->state == CL_NEW) {
		if (f->type == FT_HELLO)
			srv_on_hello(s, c, &r);
		else
			srv_protocol_error(s, c, "expected HELLO, got frame type 0x%02x",
					   f->type);
		return;
	}
	switch (f->type) {
	case FT_MSG:
		srv_relay(s, c, FT_RELAY_MSG, f->payload, f->len);
		break;
	case FT_ACTION:
		srv_relay(s, c, FT_RELAY_ACTION, f->payload, f->len);
		break;
	case FT_SEALED:
		srv_relay(s, c, FT_RELAY_SEALED, f->payload, f->len);
		break;
	case FT_NICK:
		srv_on_nick(s, c, f->payload, f->len);
		break;
	case FT_WHO:
		srv_on_who(s, c);
		break;
	case FT_HELLO:
		srv_protocol_error(s, c, "HELLO after joining");
		break;
	default:
		srv_protocol_error(s, c, "unknown frame type 0x%02x", f->type);
		break;
	}
}

/*
 * Handle a frame and take from c's bucket what it cost: the bytes it made
 * the server send (each recipient gets the relayed frame once), at least
 * its own size.
 */
static void srv_on_frame_charged(struct srv *s, struct srv_client *c,
				 const struct frame *f)
{
	size_t before = fanout_bytes(s->fan), cost;

	s->sent_bytes = 0;
	srv_on_frame(s, c, f);
	cost = fanout_bytes(s->fan) - before + s->sent_bytes;
	c->tokens -= (int64_t)(cost > f->total ? cost : f->total);
}

/* Handle the complete frames at p; returns the bytes used. */
static size_t srv_parse(struct srv *s, struct srv_client *c, const uint8_t *p,
			size_t len)
{
	size_t off = 0;

	while (!c->doomed) {
		struct frame f;
		int rc = frame_parse(p + off, len - off, &f);

		if (rc == 0)
			return off;
		if (rc == -EMSGSIZE) {
			srv_protocol_error(s, c, "frame of %zu bytes exceeds the maximum of %d",
					   frame_total_len(p + off) - FRAME_HDR_LEN,
					   FRAME_MAX_BODY);
			break;
		}
		if (rc < 0) {
			srv_protocol_error(s, c, "empty frame");
			break;
		}
		srv_on_frame_charged(s, c, &f);
		off += f.total;
	}
	return len;
}

/* Bytes the frame begun in `in` still lacks: the header first, then the
 * rest (a header announcing a bad length is refused by srv_parse). */
static size_t srv_in_lacks(const struct cbuf *in)
{
	size_t have = cbuf_used(in), total;

	if (have < FRAME_HDR_LEN)
		return FRAME_HDR_LEN - have;
	total = frame_total_len(cbuf_head(in));
	return total > have && total <= FRAME_MAX_LEN ? total - have : 0;
}

/* How much to read: all there is, or for a throttled peer no more than its
 * tokens can pay for however the bytes are amplified. */
static size_t srv_read_budget(struct srv *s, struct srv_client *c)
{
	int64_t n;

	if (!s->flood_rate || c->state == CL_DRAINING)
		return sizeof(s->rbuf);
	n = c->tokens / SRV_FLOOD_AMP;
	if (n < SRV_FLOOD_MIN_READ)
		return SRV_FLOOD_MIN_READ;
	return n < (int64_t)sizeof(s->rbuf) ? (size_t)n : sizeof(s->rbuf);
}

/*
 * Whole frames are handled straight from the read buffer.  Only a frame
 * cut by the end of a read is kept, in c->in, and c->in then takes from
 * the next reads only what completes that one frame, in a buffer of its
 * size: a peer that stalls mid-frame holds at most FRAME_MAX_LEN bytes,
 * however much it sent before.
 */
static void srv_client_read(struct srv *s, struct srv_client *c)
{
	const uint8_t *p = s->rbuf;
	size_t left, used;
	ssize_t n;

	/* Enough waits to go out: the rest is read after the flush (the
	 * descriptor stays ready). */
	if (fanout_bytes(s->fan) > SRV_BATCH_SOFT_MAX &&
	    c->state != CL_DRAINING)
		return;
	if (c->throttled) {
		/* Called though not asked to read: the connection failed or
		 * hung up, and reading is how we find out. */
		srv_thr_unlink(s, c);
	} else if (s->flood_rate && c->state != CL_DRAINING) {
		srv_tokens_refill(s, c, srv_mono_ms());
		if (c->tokens <= 0) {
			srv_throttle(s, c);
			return;
		}
	}
	n = read(c->fd, s->rbuf, srv_read_budget(s, c));

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (c->state == CL_DRAINING) {
		/* Only waiting for the peer to close; its words are moot.
		 * Nothing refers to a draining client, so it goes now. */
		if (n <= 0)
			srv_client_free(s, c);
		return;
	}
	if (c->doomed)
		return;
	if (n == 0) {
		srv_doom(s, c, "connection closed", 0);
		return;
	}
	if (n < 0) {
		srv_doom(s, c, "connection lost", 0);
		return;
	}
	left = (size_t)n;
	while (left && !c->doomed) {
		size_t take;

		if (cbuf_used(&c->in) == 0) {
			used = srv_parse(s, c, p, left);
			p += used;
			left -= used;
			if (!left || c->doomed)
				break;
		}
		/* Room for the whole frame (or header) at once. */
		take = srv_in_lacks(&c->in);
		if (cbuf_reserve(&c->in, take) < 0) {
			srv_doom(s, c, "server out of memory", 0);
			return;
		}
		if (take > left)
			take = left;
		if (cbuf_append(&c->in, p, take) < 0) {
			srv_doom(s, c, "server out of memory", 0);
			return;
		}
		p += take;
		left -= take;
		used = srv_parse(s, c, cbuf_head(&c->in), cbuf_used(&c->in));
		cbuf_consume(&c->in, used);
	}
	if (s->flood_rate && !c->doomed && c->tokens <= 0)
		srv_throttle(s, c);
}

static void srv_client_event(struct el_loop *loop, int fd, void *data,
			     int mask)
{
	struct srv *s = data;
	struct srv_client *c = s->clients[fd];

	if (!c)
		return;
	if (mask & EL_READABLE) {
		srv_client_read(s, c);
		c = s->clients[fd];	/* a draining client may be gone */
		if (!c)
			return;
	}
	if ((mask & EL_WRITABLE) && !c->doomed)
		srv_write(s, c);
}

/* ---- accepting ---- */

static void srv_refuse(int fd, uint8_t code, const char *text)
{
	struct cbuf b = { 0 };
	uint8_t p[128];
	size_t n = strlen(text);

	if (n > sizeof(p) - 1)
		n = sizeof(p) - 1;
	p[0] = code;
	memcpy(p + 1, text, n);
	if (frame_append(&b, FT_ERROR, p, n + 1) == 0) {
		/* Best effort: a fresh socket has room for a few bytes. */
		ssize_t w = write(fd, cbuf_head(&b), cbuf_used(&b));

		(void)w;
	}
	cbuf_free(&b);
	close(fd);
}

static void srv_accept_event(struct el_loop *loop, int lfd, void *data,
			     int mask)
{
	struct srv *s = data;
	bool full;
	int i;

	for (i = 0; i < 256; i++) {
		struct srv_client *c;
		int fd = net_accept(lfd);

		if (fd == -EAGAIN || fd == -EWOULDBLOCK || fd == -EINTR ||
		    fd == -ECONNABORTED)
			return;
		if (fd == -EMFILE || fd == -ENFILE || fd == -ENOBUFS ||
		    fd == -ENOMEM) {
			/* Out of descriptors: stop accepting for a moment
			 * rather than spin on a listener that stays ready. */
			int j;

			for (j = 0; j < s->nlfds; j++)
				el_set_mask(loop, s->lfds[j], 0);
			s->accept_paused = true;
			s->accept_resume = srv_mono_ms() + 100;
			fprintf(stderr, "chat-server: accept: %s; pausing\n",
				strerror(-fd));
			return;
		}
		if (fd < 0)
			return;
		if (fd >= s->setsize || s->nclients >= s->max_clients) {
			srv_refuse(fd, CHAT_ERR_SERVER_FULL,
				   "server full: too many clients");
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->addr = addrs_get(s->addrs, fd, &full);
		if (!c->addr) {
			free(c);
			if (full)
				srv_refuse(fd, CHAT_ERR_SERVER_FULL,
					   "server full: too many connections from your address");
			else
				close(fd);
			continue;
		}
		c->fd = fd;
		c->state = CL_NEW;
		c->tokens = s->flood_burst;
		c->tokens_ms = srv_mono_ms();
		net_set_nodelay(fd);
		if (el_watch(loop, fd, EL_READABLE, srv_client_event, s) < 0) {
			addrs_put(s->addrs, c->addr);
			free(c);
			close(fd);
			continue;
		}
		s->clients[fd] = c;
		if (++s->nclients > s->nclients_peak)
			s->nclients_peak = s->nclients;
		srv_new_link(s, c);
	}
}

/* ---- the loop's hook ---- */

/* The earlier of *timeout (-1: none) and the time until deadline. */
static void srv_wake_by(int *timeout, uint64_t now, uint64_t deadline)
{
	uint64_t ms = deadline > now ? deadline - now : 0;

	if (ms > INT_MAX)
		ms = INT_MAX;
	if (*timeout < 0 || ms < (uint64_t)*timeout)
		*timeout = (int)ms;
}

/* Close the connections that did not say HELLO in time; read again from
 * the throttled ones whose bucket has refilled. */
static void srv_timers(struct srv *s, uint64_t now, int *timeout)
{
	struct srv_client *c, *next;

	while ((c = srv_client_at(s->new_list.head, new_link)) &&
	       now >= c->hello_deadline) {
		srv_new_unlink(s, c);
		if (c->doomed)
			continue;
		/* A best-effort word on why, then the slot is free at once:
		 * a peer that never spoke gets no draining time. */
		if (!cbuf_used(&c->out.buf)) {
			static const char why[] = "no HELLO in time";
			struct frame_wr w;

			frame_wr_begin(&w, FT_ERROR);
			frame_wr_u8(&w, CHAT_ERR_PROTOCOL);
			frame_wr_bytes(&w, why, sizeof(why) - 1);
			if (frame_wr_end(&w) > 0) {
				ssize_t n = write(c->fd, w.buf, w.len);

				(void)n;
			}
		}
		srv_doom(s, c, "no HELLO in time", 0);
	}
	if ((c = srv_client_at(s->new_list.head, new_link)))
		srv_wake_by(timeout, now, c->hello_deadline);

	for (c = srv_client_at(s->thr_list.head, thr_link); c; c = next) {
		next = srv_client_at(c->thr_link.next, thr_link);
		if (now < c->resume_ms) {
			srv_wake_by(timeout, now, c->resume_ms);
			continue;
		}
		srv_thr_unlink(s, c);
		srv_tokens_refill(s, c, now);
		if (!c->doomed)
			el_set_mask(s->loop, c->fd, el_get_mask(s->loop, c->fd) |
				    EL_READABLE);
	}
}

static int srv_before_wait(struct el_loop *loop, void *data)
{
	struct srv *s = data;
	struct srv_client *c, *next;
	uint64_t now;
	int timeout = -1;

	srv_timers(s, srv_mono_ms(), &timeout);
	do {
		size_t i;

		while (s->doom_head) {
			c = s->doom_head;
			s->doom_head = c->doom_next;
			c->doom_next = NULL;
			srv_finish(s, c);
		}
		/* Writing may doom more clients (write errors). */
		s->flush_gen++;
		if (fanout_frames(s->fan)) {
			/* Everyone in the room has the batch to write. */
			for (i = 0; i < room_count(s->room); i++) {
				c = srv_client_of(room_at(s->room, i));
				c->flush_gen = s->flush_gen;
				if (!c->doomed)
					srv_write(s, c);
			}
		}
		for (i = 0; i < s->flush_len; i++) {
			c = s->clients[s->flush[i]];
			if (!c || !c->pending)
				continue;
			c->pending = false;
			if (!c->doomed && c->flush_gen != s->flush_gen)
				srv_write(s, c);
		}
		s->flush_len = 0;
		fanout_reset(s->fan);
	} while (s->doom_head);

	now = srv_mono_ms();
	for (c = srv_client_at(s->drain_list.head, drain_link); c; c = next) {
		next = srv_client_at(c->drain_link.next, drain_link);
		if (now >= c->drain_deadline) {
			srv_client_free(s, c);
			continue;
		}
		srv_wake_by(&timeout, now, c->drain_deadline);
	}
	if (s->accept_paused) {
		if (now >= s->accept_resume) {
			int j;

			for (j = 0; j < s->nlfds; j++)
				el_set_mask(loop, s->lfds[j], EL_READABLE);
			s->accept_paused = false;
		} else if (timeout < 0 ||
			   s->accept_resume - now < (uint64_t)timeout) {
			timeout = (int)(s->accept_resume - now);
		}
	}
	return timeout;
}

static void srv_signal_event(struct el_loop *loop, int fd, void *data,
			     int mask)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		el_stop(loop);
}

/* Tell everyone we stop, give the words one chance to leave, close all. */
static void srv_shutdown(struct srv *s)
{
	static const char text[] = "server is shutting down";
	uint8_t p[sizeof(text)];
	int fd;

	p[0] = CHAT_ERR_SHUTDOWN;
	memcpy(p + 1, text, sizeof(text) - 1);
	for (fd = 0; fd < s->setsize; fd++) {
		struct srv_client *c = s->clients[fd];

		if (!c)
			continue;
		fanout_dest_cut(&c->out);
		if (frame_append(&c->out.buf, FT_ERROR, p, sizeof(p)) == 0) {
			ssize_t n = write(fd, cbuf_head(&c->out.buf),
					  cbuf_used(&c->out.buf));
			(void)n;
		}
		srv_client_free(s, c);
	}
}

/* ---- main ---- */

struct srv_opts {
	const char *bind_addr;
	int port;
	long max_clients;		/* -1: as many as descriptors allow */
	long max_per_addr;		/* -1: a quarter of max_clients */
	long hello_s;
	long flood_rate;
};

static int srv_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	/* Thousands of clients need thousands of descriptors. */
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1 << 20))
		return 1 << 20;
	return (int)rl.rlim_cur;
}

/* Everything srv_new() set up, whatever it got to; NULL is fine. */
static void srv_free(struct srv *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->nlfds; i++)
		close(s->lfds[i]);
	if (s->sigfd >= 0)
		close(s->sigfd);
	el_free(s->loop);
	addrs_free(s->addrs);
	free(s->clients);
	room_free(s->room);
	free(s->flush);
	fanout_free(s->fan);
	free(s);
}

/* A listening server, or NULL with the reason in err. */
static struct srv *srv_new(const struct srv_opts *o, char *err, size_t errlen)
{
	struct srv *s = calloc(1, sizeof(*s));
	size_t max_per_addr;
	char name[80];
	sigset_t sigs;
	int i, rc;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->sigfd = -1;
	s->setsize = srv_raise_nofile();
	s->max_clients = (size_t)(s->setsize - SRV_RESERVED_FDS);
	if (o->max_clients > 0) {
		if ((size_t)o->max_clients > s->max_clients)
			fprintf(stderr, "chat-server: --max-clients %ld exceeds the open-file limit; using %zu\n",
				o->max_clients, s->max_clients);
		else
			s->max_clients = (size_t)o->max_clients;
	}
	/* One address may not take the whole room: a quarter by default. */
	if (o->max_per_addr >= 0)
		max_per_addr = (size_t)o->max_per_addr;
	else
		max_per_addr = s->max_clients / 4 ? s->max_clients / 4 : 1;
	s->hello_ms = (uint64_t)o->hello_s * 1000;
	s->flood_rate = o->flood_rate;
	s->flood_burst = o->flood_rate > SRV_FLOOD_BURST_MIN ?
			 o->flood_rate : SRV_FLOOD_BURST_MIN;
	s->addrs = addrs_new(s->max_clients, max_per_addr);
	s->clients = calloc((size_t)s->setsize, sizeof(*s->clients));
	s->room = room_new();
	s->fan = fanout_new(SRV_OUT_MAX);
	s->loop = el_new(s->setsize);
	if (!s->addrs || !s->clients || !s->room || !s->fan || !s->loop) {
		snprintf(err, errlen, "cannot set up the event loop: %s",
			 strerror(errno));
		goto fail;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	s->sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0 ||
	    el_watch(s->loop, s->sigfd, EL_READABLE, srv_signal_event, s) < 0) {
		snprintf(err, errlen, "signalfd: %s", strerror(errno));
		goto fail;
	}

	rc = net_listen(o->bind_addr, o->port, 511, s->lfds, NET_MAX_LISTEN,
			err, errlen);
	if (rc < 0)
		goto fail;
	s->nlfds = rc;
	for (i = 0; i < s->nlfds; i++) {
		if (el_watch(s->loop, s->lfds[i], EL_READABLE,
			     srv_accept_event, s) < 0) {
			snprintf(err, errlen, "cannot watch listener");
			goto fail;
		}
		net_local_name(s->lfds[i], name, sizeof(name));
		printf("chat-server: listening on %s%s\n", name,
		       !o->bind_addr && name[0] == '[' ? " (IPv4 and IPv6)" : "");
	}
	el_set_before_wait(s->loop, srv_before_wait, s);
	return s;
fail:
	srv_free(s);
	return NULL;
}

static void srv_usage(FILE *f)
{
	fprintf(f,
		"usage: chat-server [--port N] [--bind ADDR] [--max-clients N]\n"
		"                   [--max-per-addr N] [--hello-timeout S] [--flood-rate B]\n"
		"\n"
		"Relay chat messages between clients (see docs/chat-protocol.md).\n"
		"\n"
		"  -p, --port N           TCP port to listen on (default %d; 0 picks a free one)\n"
		"  -b, --bind ADDR        listen only on ADDR (default: every IPv4 and IPv6 address)\n"
		"  -m, --max-clients N    refuse connections beyond N (default: as many as the\n"
		"                         open-file limit allows)\n"
		"  -a, --max-per-addr N   connections one IPv4 address or IPv6 /64 may hold\n"
		"                         (default: a quarter of --max-clients; 0: no limit)\n"
		"  -t, --hello-timeout S  close connections that have not joined after S\n"
		"                         seconds (default %d)\n"
		"  -r, --flood-rate B     bytes per second of relayed frames one client may\n"
		"                         cause; beyond it the server stops reading from it\n"
		"                         for a while (default %d; 0: no limit)\n"
		"  -h, --help             show this help\n"
		"\n"
		"Encrypted chat needs no server option: the server relays sealed messages\n"
		"without holding any key.  Stop with Ctrl-C or SIGTERM.\n",
		SRV_DEFAULT_PORT, SRV_DEFAULT_HELLO_S, SRV_DEFAULT_FLOOD_RATE);
}

/* A number in [min, max] for option name, or -1 after saying why. */
static long srv_parse_num(const char *name, const char *arg, long min,
			  long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < min || v > max) {
		fprintf(stderr, "chat-server: invalid --%s '%s' (a number from %ld to %ld)\n",
			name, arg, min, max);
		return -1;
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "max-clients", required_argument, NULL, 'm' },
		{ "max-per-addr", required_argument, NULL, 'a' },
		{ "hello-timeout", required_argument, NULL, 't' },
		{ "flood-rate", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct srv_opts o = {
		.port = SRV_DEFAULT_PORT,
		.max_clients = -1,
		.max_per_addr = -1,
		.hello_s = SRV_DEFAULT_HELLO_S,
		.flood_rate = SRV_DEFAULT_FLOOD_RATE,
	};
	char err[256];
	struct srv *s;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "p:b:m:a:t:r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			o.port = net_parse_port(optarg);
			if (o.port < 0) {
				fprintf(stderr, "chat-server: invalid port '%s' (0-65535)\n",
					optarg);
				return 2;
			}
			break;
		case 'b':
			o.bind_addr = optarg;
			break;
		case 'm':
			o.max_clients = srv_parse_num("max-clients", optarg, 1,
						      1 << 30);
			if (o.max_clients < 0)
				return 2;
			break;
		case 'a':
			o.max_per_addr = srv_parse_num("max-per-addr", optarg,
						       0, 1 << 30);
			if (o.max_per_addr < 0)
				return 2;
			break;
		case 't':
			o.hello_s = srv_parse_num("hello-timeout", optarg, 1,
						  3600);
			if (o.hello_s < 0)
				return 2;
			break;
		case 'r':
			o.flood_rate = srv_parse_num("flood-rate", optarg, 0,
						     1L << 30);
			if (o.flood_rate < 0)
				return 2;
			break;
		case 'h':
			srv_usage(stdout);
			return 0;
		default:
			srv_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "chat-server: unexpected argument '%s'\n",
			argv[optind]);
		srv_usage(stderr);
		return 2;
	}

	signal(SIGPIPE, SIG_IGN);
	s = srv_new(&o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "chat-server: %s\n", err);
		return 1;
	}
	printf("chat-server: up to %zu clients; Ctrl-C stops\n",
	       s->max_clients);
	fflush(stdout);

	rc = el_run(s->loop);
	if (rc < 0)
		fprintf(stderr, "chat-server: epoll_wait: %s\n", strerror(-rc));
	srv_shutdown(s);
	srv_free(s);
	fprintf(stderr, "chat-server: stopped\n");
	return rc < 0 ? 1 : 0;
}
