// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event loop over epoll.  Registrations live in an array indexed by fd, so
 * an event is dispatched by looking up what is registered *now*: an event
 * left over for an fd that was closed and reused in the same batch reaches
 * the new owner, whose handler sees EAGAIN and returns.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "evloop.h"

#define EL_MAX_EVENTS 1024

struct el_file {
	int mask;		/* 0: not registered */
	el_file_proc *proc;
	void *data;
};

struct el_loop {
	int epfd;
	int setsize;
	int stop;
	struct el_file *files;
	struct epoll_event events[EL_MAX_EVENTS];
	el_hook_proc *before_wait;
	void *before_wait_data;
};

struct el_loop *el_new(int setsize)
{
	struct el_loop *loop;

	if (setsize <= 0) {
		errno = EINVAL;
		return NULL;
	}
	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return NULL;
	loop->files = calloc((size_t)setsize, sizeof(*loop->files));
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!loop->files || loop->epfd < 0) {
		int saved = errno;

		el_free(loop);
		errno = saved;
		return NULL;
	}
	loop->setsize = setsize;
	return loop;
}

void el_free(struct el_loop *loop)
{
	if (!loop)
		return;
	if (loop->epfd >= 0)
		close(loop->epfd);
	free(loop->files);
	free(loop);
}

static uint32_t el_epoll_events(int mask)
{
	uint32_t ev = 0;

	if (mask & EL_READABLE)
		ev |= EPOLLIN;
	if (mask & EL_WRITABLE)
		ev |= EPOLLOUT;
	return ev;
}

int el_watch(struct el_loop *loop, int fd, int mask, el_file_proc *proc,
	     void *data)
{
	struct epoll_event ev = { .events = el_epoll_events(mask) };
	struct el_file *f;
	int op;

	if (fd < 0 || fd >= loop->setsize)
		return -ERANGE;
	f = &loop->files[fd];
	op = f->proc ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	ev.data.fd = fd;
	if (epoll_ctl(loop->epfd, op, fd, &ev) < 0)
		return -errno;
	f->mask = mask;
	f->proc = proc;
	f->data = data;
	return 0;
}

int el_set_mask(struct el_loop *loop, int fd, int mask)
{
	struct epoll_event ev = { .events = el_epoll_events(mask) };
	struct el_file *f;

	if (fd < 0 || fd >= loop->setsize || !loop->files[fd].proc)
		return -EBADF;
	f = &loop->files[fd];
	if (f->mask == mask)
		return 0;
	ev.data.fd = fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	f->mask = mask;
	return 0;
}

int el_get_mask(const struct el_loop *loop, int fd)
{
	if (fd < 0 || fd >= loop->setsize)
		return 0;
	return loop->files[fd].mask;
}

void el_unwatch(struct el_loop *loop, int fd)
{
	if (fd < 0 || fd >= loop->setsize || !loop->files[fd].proc)
		return;
	/* The fd may already be gone; closing removes it from epoll anyway. */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	loop->files[fd].mask = 0;
	loop->files[fd].proc = NULL;
	loop->files[fd].data = NULL;
}

void el_set_before_wait(struct el_loop *loop, el_hook_proc *proc, void *data)
{
	loop->before_wait = proc;
	loop->before_wait_data = data;
}

void el_stop(struct el_loop *loop)
{
	loop->stop = 1;
}

int el_run(struct el_loop *loop)
{
	loop->stop = 0;
	while (!loop->stop) {
		int timeout = -1;
		int n, i;

		if (loop->before_wait)
			timeout = loop->before_wait(loop,
						    loop->before_wait_data);
		if (loop->stop)
			break;
		n = epoll_wait(loop->epfd, loop->events, EL_MAX_EVENTS,
			       timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < n && !loop->stop; i++) {
			int fd = loop->events[i].data.fd;
			uint32_t ev = loop->events[i].events;
			struct el_file *f = &loop->files[fd];
			int mask = 0;

			if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
				mask |= EL_READABLE;
			if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
				mask |= EL_WRITABLE;
			mask &= f->mask;
			if (mask && f->proc)
				f->proc(loop, fd, f->data, mask);
		}
	}
	return 0;
}
