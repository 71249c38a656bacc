// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The batch and the backlogs of chat fan-out (see fanout.h).
 *
 * The batch is only ever appended to until it is emptied, so frame offsets
 * stay valid and recipients can be served from it in any order.  A
 * recipient's position in it is an index plus the batch generation it
 * belongs to; emptying a non-empty batch starts a new generation, which
 * makes every older position mean "nothing of this batch yet" without
 * visiting the recipients.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fanout.h"
#include "frame.h"

/* Frames one writev takes at most; the rest is copied. */
#define FANOUT_IOV		64
/* A batch buffer bigger than this is given back after use. */
#define FANOUT_BATCH_KEEP	(1024 * 1024)

/* A frame in the batch. */
struct fanout_frame {
	size_t off, len;
	int sender;		/* fd it is not for, or -1 */
};

struct fanout {
	struct cbuf batch;		/* the frames, back to back */
	struct fanout_frame *frames;	/* where they are, who sent them */
	size_t len, cap;
	/* Bumped when a non-empty batch is emptied; 64 bits, so a stale
	 * position never comes back into date by wrapping around. */
	uint64_t gen;
	size_t out_max;
	struct iovec iov[FANOUT_IOV];
};

struct fanout *fanout_new(size_t out_max)
{
	struct fanout *f = malloc(sizeof(*f));

	if (f)
		*f = (struct fanout){ .out_max = out_max };
	return f;
}

void fanout_free(struct fanout *f)
{
	if (f) {
		free(f->frames);
		cbuf_free(&f->batch);
	}
	free(f);
}

int fanout_add(struct fanout *f, const void *frame, size_t len, int sender)
{
	size_t off = f->batch.len;

	if (f->len == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct fanout_frame *fr = realloc(f->frames, cap * sizeof(*fr));

		if (!fr)
			return -ENOMEM;
		f->frames = fr;
		f->cap = cap;
	}
	if (cbuf_append(&f->batch, frame, len) < 0)
		return -ENOMEM;
	f->frames[f->len++] = (struct fanout_frame){
		.off = off, .len = len, .sender = sender,
	};
	return 0;
}

size_t fanout_bytes(const struct fanout *f)
{
	return f->batch.len;
}

size_t fanout_frames(const struct fanout *f)
{
	return f->len;
}

size_t fanout_start(const struct fanout *f, const struct fanout_dest *d)
{
	return d->bc_gen == f->gen ? d->bc_idx : 0;
}

void fanout_done(const struct fanout *f, struct fanout_dest *d)
{
	d->bc_idx = f->len;
	d->bc_gen = f->gen;
}

int fanout_materialize(struct fanout *f, struct fanout_dest *d, int fd,
		       size_t skip)
{
	size_t start = fanout_start(f, d), pending = 0, i;
	bool over;

	if (start >= f->len) {
		fanout_done(f, d);
		return 0;
	}
	for (i = start; i < f->len; i++)
		if (f->frames[i].sender != fd)
			pending += f->frames[i].len;
	fanout_done(f, d);
	if (pending <= skip)
		return 0;
	over = cbuf_used(&d->buf) + pending - skip > f->out_max;
	for (i = start; i < f->len; i++) {
		const struct fanout_frame *fr = &f->frames[i];

		if (fr->sender == fd)
			continue;
		if (skip >= fr->len) {
			skip -= fr->len;
			continue;
		}
		/* The tail of a frame partly written: remember its size, so
		 * that frame boundaries stay known. */
		if (skip && cbuf_used(&d->buf) == 0)
			d->frame_left = fr->len - skip;
		if (over && !skip)
			break;
		if (cbuf_append(&d->buf, f->batch.data + fr->off + skip,
				fr->len - skip) < 0)
			return -ENOMEM;
		skip = 0;
	}
	/* Too slow: only the tail of a frame already begun was kept. */
	return over ? -ENOBUFS : 0;
}

ssize_t fanout_write_batch(struct fanout *f, struct fanout_dest *d, int fd)
{
	size_t start = fanout_start(f, d), i;
	int n = 0;
	ssize_t w;

	for (i = start; i < f->len; i++) {
		const struct fanout_frame *fr = &f->frames[i];
		uint8_t *p = f->batch.data + fr->off;

		if (fr->sender == fd)
			continue;
		/* Frames back to back in the batch go out as one piece. */
		if (n && (uint8_t *)f->iov[n - 1].iov_base +
			 f->iov[n - 1].iov_len == p) {
			f->iov[n - 1].iov_len += fr->len;
			continue;
		}
		if (n == FANOUT_IOV)
			break;		/* the rest is copied */
		f->iov[n].iov_base = p;
		f->iov[n].iov_len = fr->len;
		n++;
	}
	if (n == 0)
		return 0;
	do {
		w = writev(fd, f->iov, n);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return w;
}

void fanout_reset(struct fanout *f)
{
	if (f->batch.cap > FANOUT_BATCH_KEEP)
		cbuf_free(&f->batch);
	f->batch.start = f->batch.len = 0;
	if (f->len)
		f->gen++;
	f->len = 0;
}

int fanout_queue(const struct fanout *f, struct fanout_dest *d,
		 const void *frame, size_t len)
{
	if (cbuf_used(&d->buf) + len > f->out_max)
		return -ENOBUFS;
	return cbuf_append(&d->buf, frame, len);
}

/* Account for n bytes written from the head of d's backlog, frame by
 * frame, so that we always know where the next whole frame starts. */
static void fanout_dest_advance(struct fanout_dest *d, size_t n)
{
	while (n > 0) {
		size_t step;

		if (d->frame_left == 0)
			d->frame_left = frame_total_len(cbuf_head(&d->buf));
		step = n < d->frame_left ? n : d->frame_left;
		d->frame_left -= step;
		n -= step;
		cbuf_consume(&d->buf, step);
	}
}

int fanout_dest_write(struct fanout_dest *d, int fd)
{
	while (cbuf_used(&d->buf) > 0) {
		ssize_t n = write(fd, cbuf_head(&d->buf), cbuf_used(&d->buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		fanout_dest_advance(d, (size_t)n);
	}
	return 0;
}

void fanout_dest_cut(struct fanout_dest *d)
{
	d->buf.len = d->buf.start + d->frame_left;
}

void fanout_dest_free(struct fanout_dest *d)
{
	cbuf_free(&d->buf);
}
