/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session table; see vcb_sessions.h for the lifetime rules. */
#include <errno.h>
#include <stdlib.h>

#include "vcb_sessions.h"

/* More buckets than this buys nothing: handles are uniformly random. */
#define VCB_SESSIONS_MAX_BUCKETS	16384

int vcb_sessions_init(struct vcb_session_table *t, unsigned max)
{
	size_t n = 16;

	while (n < max && n < VCB_SESSIONS_MAX_BUCKETS)
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

struct vcb_session *vcb_session_alloc(struct vc_session *vs)
{
	struct vcb_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return NULL;
	}
	s->vs = vs;
	return s;
}

void vcb_session_free(struct vcb_session *s)
{
	if (!s)
		return;
	/*
	 * An operation may hold the lock without a reference (see
	 * vcb_sessions_trylock): wait for it to let go.  It touches nothing
	 * of the session after its unlock.
	 */
	pthread_mutex_lock(&s->lock);
	pthread_mutex_unlock(&s->lock);
	vc_session_free(s->vs);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static struct vcb_session **vcb_sessions_slot(struct vcb_session_table *t,
					      uint64_t handle)
{
	struct vcb_session **pp = &t->buckets[handle & t->mask];

	while (*pp && (*pp)->handle != handle)
		pp = &(*pp)->next;
	return pp;
}

int vcb_sessions_reserve(struct vcb_session_table *t, unsigned *generation)
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

void vcb_sessions_unreserve(struct vcb_session_table *t, unsigned generation)
{
	pthread_mutex_lock(&t->lock);
	if (generation == t->generation)
		t->pending--;
	pthread_mutex_unlock(&t->lock);
}

int vcb_sessions_commit(struct vcb_session_table *t, unsigned generation,
			struct vcb_session *s)
{
	for (;;) {
		uint64_t handle;
		struct vcb_session **pp;
		int ret;

		/* Draw outside the lock; 0 stays "no session" on the wire. */
		ret = vc_random(&handle, sizeof(handle));
		if (ret < 0) {
			vcb_sessions_unreserve(t, generation);
			return ret;
		}
		if (handle == 0)
			continue;

		pthread_mutex_lock(&t->lock);
		if (generation != t->generation) {
			pthread_mutex_unlock(&t->lock);
			return -ESTALE;
		}
		pp = vcb_sessions_slot(t, handle);
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

struct vcb_session *vcb_sessions_get(struct vcb_session_table *t,
				     uint64_t handle)
{
	struct vcb_session *s;

	if (handle == 0)
		return NULL;
	pthread_mutex_lock(&t->lock);
	s = *vcb_sessions_slot(t, handle);
	/* Listed sessions hold the table's reference: never up from 0. */
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&t->lock);
	return s;
}

struct vcb_session *vcb_sessions_trylock(struct vcb_session_table *t,
					 uint64_t handle, bool *busy)
{
	struct vcb_session *s;

	*busy = false;
	if (handle == 0)
		return NULL;
	pthread_mutex_lock(&t->lock);
	s = *vcb_sessions_slot(t, handle);
	/* Try only: waiting here would hold up every lookup. */
	if (s && pthread_mutex_trylock(&s->lock) != 0) {
		*busy = true;
		s = NULL;
	}
	pthread_mutex_unlock(&t->lock);
	return s;
}

void vcb_sessions_put(struct vcb_session_table *t, struct vcb_session *s)
{
	(void)t;
	/* The last reference: unlisted already, nobody can find it again. */
	if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
		vcb_session_free(s);
}

int vcb_sessions_remove(struct vcb_session_table *t, uint64_t handle)
{
	struct vcb_session **pp, *s;

	if (handle == 0)
		return -ENOENT;
	pthread_mutex_lock(&t->lock);
	pp = vcb_sessions_slot(t, handle);
	s = *pp;
	if (s) {
		*pp = s->next;
		s->next = NULL;
		t->count--;
	}
	pthread_mutex_unlock(&t->lock);
	if (!s)
		return -ENOENT;
	vcb_sessions_put(t, s);
	return 0;
}

void vcb_sessions_clear(struct vcb_session_table *t)
{
	struct vcb_session *doomed = NULL, *s;
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
		vcb_sessions_put(t, s);
	}
}

unsigned vcb_sessions_count(struct vcb_session_table *t)
{
	unsigned n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void vcb_sessions_destroy(struct vcb_session_table *t)
{
	vcb_sessions_clear(t);
	pthread_mutex_destroy(&t->lock);
	free(t->buckets);
	t->buckets = NULL;
}
