// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-server: relays chat frames between many clients through one epoll
 * event loop.
 *
 * Relayed frames are not copied once per recipient.  Each goes once into
 * the current batch; before the loop waits again, every member of the room
 * writes the batch straight from there, less its own frames: a burst of
 * messages costs one writev per recipient and no copying.  Only what a
 * client's socket cannot take at once is copied into its own output buffer,
 * which is bounded: a client whose backlog would exceed SRV_OUT_MAX is too
 * slow to read.  It is taken out of the room (the others are told), sent an
 * error frame in place of its backlog, and closed; nobody else waits for it.
 * A peer that breaks the protocol loses only its own connection.
 *
 * Connections are never freed in the middle of handling events: they are
 * "doomed" and released in the before-wait hook, so that a broadcast loop
 * never sees a client vanish under it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "evloop.h"
#include "frame.h"
#include "net.h"

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
/* A batch buffer bigger than this is given back after use. */
#define SRV_BATCH_KEEP		(1024 * 1024)
#define SRV_IOV			64

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
	char nick[CHAT_NICK_MAX + 1];
	struct cbuf in;		/* bytes of an incomplete frame */
	struct cbuf out;	/* frames waiting to be written */
	size_t out_frame_left;	/* unsent bytes of the frame at out's head */
	size_t room_idx;
	size_t bc_idx;		/* first batch frame not yet delivered... */
	unsigned bc_gen;	/* ...if the batch is still this generation */
	unsigned flush_gen;	/* written in this flush round already */
	char *reason;		/* why it leaves */
	uint64_t drain_deadline;
	struct srv_client *doom_next;
	struct srv_client *nick_next;
	struct srv_client *drain_prev, *drain_next;
};

/* A frame in the batch. */
struct srv_bcast {
	size_t off, len;
	int sender;		/* fd it is not for, or -1 */
};

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
	size_t max_clients;

	struct srv_client **room;	/* joined clients, in no order */
	size_t room_len, room_cap;

	struct srv_client **nick_tab;	/* chained hash, case-insensitive */
	size_t nick_buckets, nick_count;

	int *flush;			/* fds with output to write */
	size_t flush_len, flush_cap;
	unsigned flush_gen;

	struct cbuf batch;		/* frames relayed to the room */
	struct srv_bcast *bc;		/* where they are and who sent them */
	size_t bc_len, bc_cap;
	unsigned bc_gen;		/* bumped when the batch is emptied */
	struct iovec iov[SRV_IOV];
	struct srv_client *doom_head;
	struct srv_client *drain_head;

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

/* ---- nicknames ---- */

static bool srv_nick_valid(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > CHAT_NICK_MAX || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static size_t srv_nick_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		h = (h ^ ch) * 16777619u;
	}
	return h;
}

static struct srv_client *srv_nick_find(struct srv *s, const char *nick)
{
	struct srv_client *c;

	if (!s->nick_buckets)
		return NULL;
	c = s->nick_tab[srv_nick_hash(nick) & (s->nick_buckets - 1)];
	for (; c; c = c->nick_next)
		if (!strcasecmp(c->nick, nick))
			return c;
	return NULL;
}

static int srv_nick_grow(struct srv *s)
{
	size_t nb = s->nick_buckets ? s->nick_buckets * 2 : 64;
	struct srv_client **tab = calloc(nb, sizeof(*tab));
	size_t i;

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < s->nick_buckets; i++) {
		struct srv_client *c = s->nick_tab[i], *next;

		for (; c; c = next) {
			size_t b = srv_nick_hash(c->nick) & (nb - 1);

			next = c->nick_next;
			c->nick_next = tab[b];
			tab[b] = c;
		}
	}
	free(s->nick_tab);
	s->nick_tab = tab;
	s->nick_buckets = nb;
	return 0;
}

static int srv_nick_add(struct srv *s, struct srv_client *c)
{
	size_t b;

	if (s->nick_count >= s->nick_buckets && srv_nick_grow(s) < 0 &&
	    !s->nick_buckets)
		return -ENOMEM;
	b = srv_nick_hash(c->nick) & (s->nick_buckets - 1);
	c->nick_next = s->nick_tab[b];
	s->nick_tab[b] = c;
	s->nick_count++;
	return 0;
}

static void srv_nick_del(struct srv *s, struct srv_client *c)
{
	struct srv_client **pp;

	if (!s->nick_buckets)
		return;
	pp = &s->nick_tab[srv_nick_hash(c->nick) & (s->nick_buckets - 1)];
	for (; *pp; pp = &(*pp)->nick_next) {
		if (*pp == c) {
			*pp = c->nick_next;
			c->nick_next = NULL;
			s->nick_count--;
			return;
		}
	}
}

/* ---- the room ---- */

static int srv_room_add(struct srv *s, struct srv_client *c)
{
	if (s->room_len == s->room_cap) {
		size_t cap = s->room_cap ? s->room_cap * 2 : 64;
		struct srv_client **r = realloc(s->room, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		s->room = r;
		s->room_cap = cap;
	}
	c->room_idx = s->room_len;
	s->room[s->room_len++] = c;
	return 0;
}

static void srv_room_del(struct srv *s, struct srv_client *c)
{
	struct srv_client *last = s->room[--s->room_len];

	s->room[c->room_idx] = last;
	last->room_idx = c->room_idx;
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

/* Index of the first batch frame c has not been given yet. */
static size_t srv_bc_start(const struct srv *s, const struct srv_client *c)
{
	return c->bc_gen == s->bc_gen ? c->bc_idx : 0;
}

static void srv_bc_done(struct srv *s, struct srv_client *c)
{
	c->bc_idx = s->bc_len;
	c->bc_gen = s->bc_gen;
}

/*
 * Copy the batch frames c still has to get into its own output buffer,
 * less the first skip bytes of them (already written).  A backlog beyond
 * SRV_OUT_MAX means c is too slow.
 */
static void srv_materialize(struct srv *s, struct srv_client *c, size_t skip)
{
	size_t start = srv_bc_start(s, c), pending = 0, i;
	bool over;

	if (c->state != CL_ROOM || start >= s->bc_len) {
		srv_bc_done(s, c);
		return;
	}
	for (i = start; i < s->bc_len; i++)
		if (s->bc[i].sender != c->fd)
			pending += s->bc[i].len;
	srv_bc_done(s, c);
	if (pending <= skip)
		return;
	over = cbuf_used(&c->out) + pending - skip > SRV_OUT_MAX;
	for (i = start; i < s->bc_len; i++) {
		const struct srv_bcast *b = &s->bc[i];

		if (b->sender == c->fd)
			continue;
		if (skip >= b->len) {
			skip -= b->len;
			continue;
		}
		/* The tail of a frame partly written: remember its size, so
		 * that frame boundaries stay known. */
		if (skip && cbuf_used(&c->out) == 0)
			c->out_frame_left = b->len - skip;
		if (over && !skip)
			break;
		if (cbuf_append(&c->out, s->batch.data + b->off + skip,
				b->len - skip) < 0) {
			srv_doom(s, c, "server out of memory", 0);
			return;
		}
		skip = 0;
	}
	/* Too slow: only the tail of a frame already begun was kept. */
	if (over)
		srv_doom(s, c, "too slow: output buffer full",
			 CHAT_ERR_TOO_SLOW);
}

/* Queue a whole frame for c alone, after whatever it still has coming. */
static void srv_send(struct srv *s, struct srv_client *c, const void *frame,
		     size_t len)
{
	if (c->doomed || c->state == CL_DRAINING)
		return;
	srv_materialize(s, c, 0);
	if (c->doomed)
		return;
	if (cbuf_used(&c->out) + len > SRV_OUT_MAX) {
		srv_doom(s, c, "too slow: output buffer full",
			 CHAT_ERR_TOO_SLOW);
		return;
	}
	if (cbuf_append(&c->out, frame, len) < 0) {
		srv_doom(s, c, "server out of memory", 0);
		return;
	}
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
	size_t off = s->batch.len;

	if (n <= 0 || s->room_len == 0 ||
	    (s->room_len == 1 && s->room[0] == except))
		return;
	if (s->bc_len == s->bc_cap) {
		size_t cap = s->bc_cap ? s->bc_cap * 2 : 256;
		struct srv_bcast *bc = realloc(s->bc, cap * sizeof(*bc));

		if (!bc)
			return;		/* out of memory: the frame is lost */
		s->bc = bc;
		s->bc_cap = cap;
	}
	/* The batch is only ever appended to until it is emptied, so its
	 * start stays 0 and offsets stay valid. */
	if (cbuf_append(&s->batch, w->buf, (size_t)n) < 0)
		return;
	s->bc[s->bc_len++] = (struct srv_bcast){
		.off = off, .len = (size_t)n,
		.sender = except ? except->fd : -1,
	};
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

/*
 * Write the batch frames due to c straight from the batch, its own frames
 * left out.  Returns the bytes written, or -errno.
 */
static ssize_t srv_write_batch(struct srv *s, struct srv_client *c)
{
	size_t start = srv_bc_start(s, c), i;
	int n = 0;
	ssize_t w;

	for (i = start; i < s->bc_len; i++) {
		const struct srv_bcast *b = &s->bc[i];
		uint8_t *p = s->batch.data + b->off;

		if (b->sender == c->fd)
			continue;
		if (n && (uint8_t *)s->iov[n - 1].iov_base +
			 s->iov[n - 1].iov_len == p) {
			s->iov[n - 1].iov_len += b->len;
			continue;
		}
		if (n == SRV_IOV)
			break;		/* the rest is copied */
		s->iov[n].iov_base = p;
		s->iov[n].iov_len = b->len;
		n++;
	}
	if (n == 0)
		return 0;
	do {
		w = writev(c->fd, s->iov, n);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return w;
}

/* Empty the batch once everyone has been served. */
static void srv_batch_reset(struct srv *s)
{
	if (s->batch.cap > SRV_BATCH_KEEP)
		cbuf_free(&s->batch);
	s->batch.start = s->batch.len = 0;
	s->bc_len = 0;
	s->bc_gen++;
}

/* Account for n bytes written from the head of c's output, frame by frame,
 * so that we always know where the next whole frame starts. */
static void srv_out_advance(struct srv_client *c, size_t n)
{
	while (n > 0) {
		size_t step;

		if (c->out_frame_left == 0)
			c->out_frame_left = frame_total_len(cbuf_head(&c->out));
		step = n < c->out_frame_left ? n : c->out_frame_left;
		c->out_frame_left -= step;
		n -= step;
		cbuf_consume(&c->out, step);
	}
}

static void srv_client_free(struct srv *s, struct srv_client *c);

/*
 * Write what c has pending.  A write error dooms c, or frees it at once
 * when it was already leaving; returns -1 when c is gone.
 */
static int srv_write(struct srv *s, struct srv_client *c)
{
	if (c->state == CL_ROOM && !c->doomed &&
	    srv_bc_start(s, c) < s->bc_len) {
		/* Straight from the batch when nothing older waits. */
		ssize_t n = 0;

		if (cbuf_used(&c->out) == 0)
			n = srv_write_batch(s, c);
		if (n < 0) {
			srv_bc_done(s, c);
			srv_doom(s, c, "connection lost", 0);
			return 0;
		}
		srv_materialize(s, c, (size_t)n);
		if (c->doomed)
			return 0;
	}
	while (cbuf_used(&c->out) > 0) {
		ssize_t n = write(c->fd, cbuf_head(&c->out),
				  cbuf_used(&c->out));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (c->state == CL_DRAINING) {
				srv_client_free(s, c);
				return -1;
			}
			srv_doom(s, c, "connection lost", 0);
			return 0;
		}
		srv_out_advance(c, (size_t)n);
	}
	if (cbuf_used(&c->out) > 0) {
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

/* ---- client lifecycle ---- */

static void srv_drain_unlink(struct srv *s, struct srv_client *c)
{
	if (c->drain_prev)
		c->drain_prev->drain_next = c->drain_next;
	else if (s->drain_head == c)
		s->drain_head = c->drain_next;
	if (c->drain_next)
		c->drain_next->drain_prev = c->drain_prev;
	c->drain_prev = c->drain_next = NULL;
}

static void srv_client_free(struct srv *s, struct srv_client *c)
{
	if (c->state == CL_DRAINING)
		srv_drain_unlink(s, c);
	el_unwatch(s->loop, c->fd);
	close(c->fd);
	s->clients[c->fd] = NULL;
	s->nclients--;
	cbuf_free(&c->in);
	cbuf_free(&c->out);
	free(c->reason);
	free(c);
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

	srv_room_del(s, c);
	srv_nick_del(s, c);
	frame_wr_begin(&w, FT_LEAVE);
	frame_wr_u64(&w, srv_now_ms());
	frame_wr_str8(&w, c->nick, strlen(c->nick));
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
		srv_bc_done(s, c);	/* the rest of the batch is not for it */
	}
	if (!c->notify && !c->quit) {
		srv_client_free(s, c);
		return;
	}
	c->doomed = false;
	if (c->notify) {
		/*
		 * The backlog gives way to the error frame, except the frame
		 * partly written: its tail must follow or the stream breaks.
		 */
		c->out.len = c->out.start + c->out_frame_left;
		srv_send_error(s, c, c->err_code,
			       c->reason ? c->reason : "closing");
	}
	c->state = CL_DRAINING;
	c->drain_deadline = srv_mono_ms() + SRV_DRAIN_MS;
	c->drain_prev = NULL;
	c->drain_next = s->drain_head;
	if (s->drain_head)
		s->drain_head->drain_prev = c;
	s->drain_head = c;
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
	frame_wr_str8(&w, c->nick, strlen(c->nick));
	frame_wr_u32(&w, (uint32_t)s->room_len);
	frame_wr_bytes(&w, banner, sizeof(banner) - 1);
	srv_send_wr(s, c, &w);

	frame_wr_begin(&w, FT_JOIN);
	frame_wr_u64(&w, srv_now_ms());
	frame_wr_str8(&w, c->nick, strlen(c->nick));
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
			snprintf(c->nick, sizeof(c->nick), "guest%lu",
				 ++s->guest_seq);
		} while (srv_nick_find(s, c->nick));
	} else if (!srv_nick_valid((const char *)nick, n)) {
		srv_send_error(s, c, CHAT_ERR_NICK_INVALID,
			       "invalid nickname: use 1-32 letters, digits, '_' or '-', not starting with '-'");
		return;
	} else {
		memcpy(c->nick, nick, n);
		c->nick[n] = '\0';
		if (srv_nick_find(s, c->nick)) {
			snprintf(msg, sizeof(msg),
				 "nickname '%s' is already taken", c->nick);
			c->nick[0] = '\0';
			srv_send_error(s, c, CHAT_ERR_NICK_TAKEN, msg);
			return;
		}
	}
	if (srv_room_add(s, c) < 0) {
		srv_doom(s, c, "server out of memory", CHAT_ERR_PROTOCOL);
		return;
	}
	/* Frames relayed before it joined are not for it. */
	srv_bc_done(s, c);
	if (srv_nick_add(s, c) < 0) {
		srv_room_del(s, c);
		srv_doom(s, c, "server out of memory", CHAT_ERR_PROTOCOL);
		return;
	}
	c->state = CL_ROOM;
	srv_welcome(s, c);
}

static void srv_on_nick(struct srv *s, struct srv_client *c,
			const uint8_t *nick, size_t n)
{
	char want[CHAT_NICK_MAX + 1], old[CHAT_NICK_MAX + 1], msg[128];
	struct srv_client *other;
	struct frame_wr w;

	if (!srv_nick_valid((const char *)nick, n)) {
		srv_send_error(s, c, CHAT_ERR_NICK_INVALID,
			       "invalid nickname: use 1-32 letters, digits, '_' or '-', not starting with '-'");
		return;
	}
	memcpy(want, nick, n);
	want[n] = '\0';
	other = srv_nick_find(s, want);
	if (other && other != c) {
		snprintf(msg, sizeof(msg), "nickname '%s' is already taken",
			 want);
		srv_send_error(s, c, CHAT_ERR_NICK_TAKEN, msg);
		return;
	}
	strcpy(old, c->nick);
	srv_nick_del(s, c);
	strcpy(c->nick, want);
	srv_nick_add(s, c);	/* cannot fail: a slot was just freed */

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
		while (i < s->room_len) {
			const char *nick = s->room[i]->nick;
			size_t n = strlen(nick);

			if (w.len + 1 + n > FRAME_MAX_LEN)
				break;
			frame_wr_str8(&w, nick, n);
			i++;
		}
		if (i == s->room_len)
			w.buf[FRAME_HDR_LEN + 1] = 1;
		srv_send_wr(s, c, &w);
	} while (i < s->room_len && !c->doomed);
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
	frame_wr_str8(&w, c->nick, strlen(c->nick));
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
		srv_on_frame(s, c, &f);
		off += f.total;
	}
	return len;
}

static void srv_client_read(struct srv *s, struct srv_client *c)
{
	ssize_t n;
	size_t used;

	/* Enough waits to go out: the rest is read after the flush (the
	 * descriptor stays ready). */
	if (s->batch.len > SRV_BATCH_SOFT_MAX && c->state != CL_DRAINING)
		return;
	n = read(c->fd, s->rbuf, sizeof(s->rbuf));

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
	if (cbuf_used(&c->in) == 0) {
		/* The common case: parse straight from the read buffer and
		 * keep only an incomplete tail. */
		used = srv_parse(s, c, s->rbuf, (size_t)n);
		if (used < (size_t)n && !c->doomed &&
		    cbuf_append(&c->in, s->rbuf + used, (size_t)n - used) < 0)
			srv_doom(s, c, "server out of memory", 0);
		return;
	}
	if (cbuf_append(&c->in, s->rbuf, (size_t)n) < 0) {
		srv_doom(s, c, "server out of memory", 0);
		return;
	}
	used = srv_parse(s, c, cbuf_head(&c->in), cbuf_used(&c->in));
	cbuf_consume(&c->in, used);
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
		c->fd = fd;
		c->state = CL_NEW;
		net_set_nodelay(fd);
		if (el_watch(loop, fd, EL_READABLE, srv_client_event, s) < 0) {
			free(c);
			close(fd);
			continue;
		}
		s->clients[fd] = c;
		s->nclients++;
	}
}

/* ---- the loop's hook ---- */

static int srv_before_wait(struct el_loop *loop, void *data)
{
	struct srv *s = data;
	struct srv_client *c, *next;
	uint64_t now;
	int timeout = -1;

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
		if (s->bc_len) {
			/* Everyone in the room has the batch to write. */
			for (i = 0; i < s->room_len; i++) {
				c = s->room[i];
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
		srv_batch_reset(s);
	} while (s->doom_head);

	now = srv_mono_ms();
	for (c = s->drain_head; c; c = next) {
		next = c->drain_next;
		if (now >= c->drain_deadline) {
			srv_client_free(s, c);
			continue;
		}
		if (timeout < 0 || c->drain_deadline - now < (uint64_t)timeout)
			timeout = (int)(c->drain_deadline - now);
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
		c->out.len = c->out.start + c->out_frame_left;
		if (frame_append(&c->out, FT_ERROR, p, sizeof(p)) == 0) {
			ssize_t n = write(fd, cbuf_head(&c->out),
					  cbuf_used(&c->out));
			(void)n;
		}
		srv_client_free(s, c);
	}
}

/* ---- main ---- */

static void srv_usage(FILE *f)
{
	fprintf(f,
		"usage: chat-server [--port N] [--bind ADDR] [--max-clients N]\n"
		"\n"
		"Relay chat messages between clients (see docs/chat-protocol.md).\n"
		"\n"
		"  -p, --port N          TCP port to listen on (default %d; 0 picks a free one)\n"
		"  -b, --bind ADDR       listen only on ADDR (default: every IPv4 and IPv6 address)\n"
		"  -m, --max-clients N   refuse connections beyond N (default: as many as the\n"
		"                        open-file limit allows)\n"
		"  -h, --help            show this help\n"
		"\n"
		"Encrypted chat needs no server option: the server relays sealed messages\n"
		"without holding any key.  Stop with Ctrl-C or SIGTERM.\n",
		SRV_DEFAULT_PORT);
}

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

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "max-clients", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bind_addr = NULL;
	long max_clients = -1;
	int port = SRV_DEFAULT_PORT;
	char err[256], name[80];
	struct srv *s;
	sigset_t sigs;
	int opt, i, rc;

	while ((opt = getopt_long(argc, argv, "p:b:m:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			port = net_parse_port(optarg);
			if (port < 0) {
				fprintf(stderr, "chat-server: invalid port '%s' (0-65535)\n",
					optarg);
				return 2;
			}
			break;
		case 'b':
			bind_addr = optarg;
			break;
		case 'm': {
			char *end;

			errno = 0;
			max_clients = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || max_clients < 1) {
				fprintf(stderr, "chat-server: invalid --max-clients '%s' (a positive number)\n",
					optarg);
				return 2;
			}
			break;
		}
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

	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "chat-server: out of memory\n");
		return 1;
	}
	s->setsize = srv_raise_nofile();
	s->max_clients = (size_t)(s->setsize - SRV_RESERVED_FDS);
	if (max_clients > 0) {
		if ((size_t)max_clients > s->max_clients)
			fprintf(stderr, "chat-server: --max-clients %ld exceeds the open-file limit; using %zu\n",
				max_clients, s->max_clients);
		else
			s->max_clients = (size_t)max_clients;
	}
	s->clients = calloc((size_t)s->setsize, sizeof(*s->clients));
	s->loop = el_new(s->setsize);
	if (!s->clients || !s->loop) {
		fprintf(stderr, "chat-server: cannot set up the event loop: %s\n",
			strerror(errno));
		return 1;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	s->sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0 ||
	    el_watch(s->loop, s->sigfd, EL_READABLE, srv_signal_event, s) < 0) {
		fprintf(stderr, "chat-server: signalfd: %s\n", strerror(errno));
		return 1;
	}

	rc = net_listen(bind_addr, port, 511, s->lfds, NET_MAX_LISTEN, err,
			sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "chat-server: %s\n", err);
		return 1;
	}
	s->nlfds = rc;
	for (i = 0; i < s->nlfds; i++) {
		if (el_watch(s->loop, s->lfds[i], EL_READABLE,
			     srv_accept_event, s) < 0) {
			fprintf(stderr, "chat-server: cannot watch listener\n");
			return 1;
		}
		net_local_name(s->lfds[i], name, sizeof(name));
		printf("chat-server: listening on %s%s\n", name,
		       !bind_addr && name[0] == '[' ? " (IPv4 and IPv6)" : "");
	}
	printf("chat-server: up to %zu clients; Ctrl-C stops\n",
	       s->max_clients);
	fflush(stdout);

	el_set_before_wait(s->loop, srv_before_wait, s);
	rc = el_run(s->loop);
	if (rc < 0)
		fprintf(stderr, "chat-server: epoll_wait: %s\n", strerror(-rc));
	srv_shutdown(s);
	for (i = 0; i < s->nlfds; i++)
		close(s->lfds[i]);
	close(s->sigfd);
	el_free(s->loop);
	free(s->clients);
	free(s->room);
	free(s->nick_tab);
	free(s->flush);
	free(s->bc);
	cbuf_free(&s->batch);
	free(s);
	fprintf(stderr, "chat-server: stopped\n");
	return rc < 0 ? 1 : 0;
}
