/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session table; see vcd_sessions.h for the lifetime rules. */
#include <errno.h>
#include <stdlib.h>

#include "vcd_sessions.h"

/* More buckets than this buys nothing: handles are uniformly random. */
#define VCD_SESSIONS_MAX_BUCKETS	16384

int vcd_sessions_init(struct vcd_session_table *t, unsigned max)
{
	size_t n = 16;

	while (n < max && n < VCD_SESSIONS_MAX_BUCKETS)
		n <<= 1;
	t->buckets = calloc(n, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	if (pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t->buckets);
		return -ENOMEM;
	}
	t->mask = n - 1;
	t->count = 0;
	t->pending = 0;
	t->max = max;
	t->generation = 0;
	return 0;
}

struct vcd_session *vcd_session_alloc(struct vc_session *vs)
{
	struct vcd_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return NULL;
	}
	s->vs = vs;
	return s;
}

void vcd_session_free(struct vcd_session *s)
{
	if (!s)
		return;
	vc_session_free(s->vs);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static struct vcd_session **vcd_sessions_slot(struct vcd_session_table *t,
					      uint64_t handle)
{
	struct vcd_session **pp = &t->buckets[handle & t->mask];

	while (*pp && (*pp)->handle != handle)
		pp = &(*pp)->next;
	return pp;
}

int vcd_sessions_reserve(struct vcd_session_table *t, unsigned *generation)
{
	int ret = 0;

	pthread_mutex_lock(&t->lock);
	if (t->count + t->pending >= t->max) {
		ret = -ENOSPC;
	} else {
		t->pending++;
		*generation = t->generation;
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}

void vcd_sessions_unreserve(struct vcd_session_table *t, unsigned generation)
{
	pthread_mutex_lock(&t->lock);
	if (generation == t->generation)
		t->pending--;
	pthread_mutex_unlock(&t->lock);
}

int vcd_sessions_commit(struct vcd_session_table *t, unsigned generation,
			struct vcd_session *s)
{
	for (;;) {
		uint64_t handle;
		struct vcd_session **pp;
		int ret;

		/* Draw outside the lock; 0 stays "no session" on the wire. */
		ret = vc_random(&handle, sizeof(handle));
		if (ret < 0) {
			vcd_sessions_unreserve(t, generation);
			return ret;
		}
		if (handle == 0)
			continue;

		pthread_mutex_lock(&t->lock);
		if (generation != t->generation) {
			pthread_mutex_unlock(&t->lock);
			return -ESTALE;
		}
		pp = vcd_sessions_slot(t, handle);
		if (*pp) {
			pthread_mutex_unlock(&t->lock);
			continue;
		}
		s->handle = handle;
		s->refs = 1;
		s->next = NULL;
		*pp = s;
		t->pending--;
		t->count++;
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
}

struct vcd_session *vcd_sessions_get(struct vcd_session_table *t,
				     uint64_t handle)
{
	struct vcd_session *s;

	if (handle == 0)
		return NULL;
	pthread_mutex_lock(&t->lock);
	s = *vcd_sessions_slot(t, handle);
	/* Listed sessions hold the table's reference: never up from 0. */
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&t->lock);
	return s;
}

void vcd_sessions_put(struct vcd_session_table *t, struct vcd_session *s)
{
	(void)t;
	/* The last reference: unlisted already, nobody can find it again. */
	if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
		vcd_session_free(s);
}

int vcd_sessions_remove(struct vcd_session_table *t, uint64_t handle)
{
	struct vcd_session **pp, *s;

	if (handle == 0)
		return -ENOENT;
	pthread_mutex_lock(&t->lock);
	pp = vcd_sessions_slot(t, handle);
	s = *pp;
	if (s) {
		*pp = s->next;
		s->next = NULL;
		t->count--;
	}
	pthread_mutex_unlock(&t->lock);
	if (!s)
		return -ENOENT;
	vcd_sessions_put(t, s);
	return 0;
}

void vcd_sessions_clear(struct vcd_session_table *t)
{
	struct vcd_session *doomed = NULL, *s;
	size_t i;

	/* Unlist under the lock, drop the references outside it. */
	pthread_mutex_lock(&t->lock);
	for (i = 0; i <= t->mask; i++) {
		while ((s = t->buckets[i]) != NULL) {
			t->buckets[i] = s->next;
			s->next = doomed;
			doomed = s;
		}
	}
	t->count = 0;
	t->pending = 0;
	t->generation++;
	pthread_mutex_unlock(&t->lock);

	while (doomed) {
		s = doomed;
		doomed = s->next;
		s->next = NULL;
		vcd_sessions_put(t, s);
	}
}

unsigned vcd_sessions_count(struct vcd_session_table *t)
{
	unsigned n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void vcd_sessions_destroy(struct vcd_session_table *t)
{
	vcd_sessions_clear(t);
	pthread_mutex_destroy(&t->lock);
	free(t->buckets);
	t->buckets = NULL;
}
