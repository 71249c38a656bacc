/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fan-out: frames for many recipients, written without a copy each.
 *
 * A frame for a group goes once into the batch.  Before the loop waits
 * again, every recipient writes the frames due to it straight from there
 * with one writev, its own frames left out.  Only what its socket cannot
 * take at once is copied into its own backlog (struct fanout_dest), which
 * is bounded: a backlog that would exceed out_max means the recipient is
 * too slow to read.  Frames reach a recipient whole and in order, the
 * batch's first and then its own, and the backlog always knows where the
 * next whole frame starts, so it can be cut without breaking the stream.
 *
 * Recipients and senders are named by their socket descriptor.
 */
#ifndef CHAT_FANOUT_H
#define CHAT_FANOUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

/* One recipient's place in the batch and its own backlog; zero is a
 * recipient with nothing due. */
struct fanout_dest {
	struct cbuf buf;	/* frames waiting to be written */
	size_t frame_left;	/* unsent bytes of the frame at buf's head */
	size_t bc_idx;		/* first batch frame not yet delivered... */
	uint64_t bc_gen;	/* ...if the batch is still this generation */
};

struct fanout;

/* An empty batch whose recipients may each hold out_max bytes of backlog;
 * NULL when out of memory. */
struct fanout *fanout_new(size_t out_max);
void fanout_free(struct fanout *f);

/* Add a whole frame for every recipient but sender (-1: everyone).  0, or
 * -ENOMEM: the frame is lost. */
int fanout_add(struct fanout *f, const void *frame, size_t len, int sender);
/* Bytes and frames in the batch. */
size_t fanout_bytes(const struct fanout *f);
size_t fanout_frames(const struct fanout *f);
/* Index of the first batch frame d has not been given yet. */
size_t fanout_start(const struct fanout *f, const struct fanout_dest *d);
/* d has everything in the batch, or nothing of it is for d. */
void fanout_done(const struct fanout *f, struct fanout_dest *d);
/*
 * Write the batch frames due to d straight from the batch, those from fd
 * itself left out.  Bytes written (0 when the socket is full), or -errno.
 * Call only when d's backlog is empty: the batch comes after it.
 */
ssize_t fanout_write_batch(struct fanout *f, struct fanout_dest *d, int fd);
/*
 * Copy the batch frames due to d into its backlog, less the first skip
 * bytes of them (written already), and mark d done.  0; -ENOMEM; or
 * -ENOBUFS: d is too slow, and only the tail of a frame begun was kept.
 */
int fanout_materialize(struct fanout *f, struct fanout_dest *d, int fd,
		       size_t skip);
/* Empty the batch, once every recipient has been served. */
void fanout_reset(struct fanout *f);

/* A whole frame for d alone, after its backlog (bring d up to date with
 * the batch first).  0, -ENOBUFS (beyond out_max) or -ENOMEM. */
int fanout_queue(const struct fanout *f, struct fanout_dest *d,
		 const void *frame, size_t len);
/* Write d's backlog to fd until it is empty or the socket is full.  0 or
 * -errno. */
int fanout_dest_write(struct fanout_dest *d, int fd);
/* Drop the backlog but the rest of a frame partly written: what follows
 * then still starts at a frame boundary. */
void fanout_dest_cut(struct fanout_dest *d);
/* Release the backlog's memory. */
void fanout_dest_free(struct fanout_dest *d);

#endif /* CHAT_FANOUT_H */
