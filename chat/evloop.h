/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small event loop over epoll (level-triggered): file descriptors with a
 * handler each, indexed by fd, and a hook that runs before every wait.  The
 * hook is where batched work happens (flushing output, closing connections)
 * and it chooses how long the next wait may last.
 */
#ifndef CHAT_EVLOOP_H
#define CHAT_EVLOOP_H

#define EL_READABLE	1
#define EL_WRITABLE	2

struct el_loop;

/* mask: what is ready (EL_READABLE | EL_WRITABLE; errors count as both). */
typedef void el_file_proc(struct el_loop *loop, int fd, void *data, int mask);
/* Returns the longest wait allowed in milliseconds, -1 for no limit. */
typedef int el_hook_proc(struct el_loop *loop, void *data);

/* setsize: fds must be below it.  NULL with errno set on failure. */
struct el_loop *el_new(int setsize);
void el_free(struct el_loop *loop);

/* Watch fd for mask, replacing an earlier registration.  0 or -errno. */
int el_watch(struct el_loop *loop, int fd, int mask, el_file_proc *proc,
	     void *data);
/* Change what fd is watched for; 0 or -errno. */
int el_set_mask(struct el_loop *loop, int fd, int mask);
int el_get_mask(const struct el_loop *loop, int fd);
/* Stop watching fd (before closing it). */
void el_unwatch(struct el_loop *loop, int fd);

void el_set_before_wait(struct el_loop *loop, el_hook_proc *proc, void *data);

/* Run until el_stop(); 0 or -errno from epoll_wait. */
int el_run(struct el_loop *loop);
void el_stop(struct el_loop *loop);

#endif /* CHAT_EVLOOP_H */
