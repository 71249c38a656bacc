/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The backend's session table.  Sessions are named on the wire by random
 * 64-bit handles that say nothing about host memory or file descriptors and
 * cannot be guessed; the table maps them to engine sessions.
 *
 * Lifetime: the table holds one reference to each session it lists; every
 * operation holds another while it runs.  Removing a session unlists it at
 * once (new lookups fail) and frees it when the last operation drops its
 * reference, so a destroy racing an operation never frees under it.
 */
#ifndef VCB_SESSIONS_H
#define VCB_SESSIONS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcrypto.h"

enum vcb_session_kind {
	VCB_SESSION_CIPHER,
	VCB_SESSION_AEAD,
	VCB_SESSION_HASH,
	VCB_SESSION_COMBINED,	/* cipher + MAC: alg is the cipher */
};

struct vcb_session {
	uint64_t handle;
	struct vcb_session *next;	/* bucket chain; table lock */
	unsigned refs;			/* atomic; +1 only under table lock */
	/* Serializes operations: the engine session's IV and hash state. */
	pthread_mutex_t lock;
	struct vc_session *vs;
	enum vcb_session_kind kind;
	uint32_t alg;
	size_t iv_size;
	size_t block_size;
	size_t digest_size;		/* combined: the MAC's */
};

struct vcb_session_table {
	pthread_mutex_t lock;		/* protects every field below */
	struct vcb_session **buckets;
	size_t mask;			/* buckets - 1, a power of two minus 1 */
	unsigned count;			/* listed sessions */
	unsigned pending;		/* reserved slots being created */
	unsigned max;
	unsigned generation;		/* bumped by clear: stale reservations */
};

int vcb_sessions_init(struct vcb_session_table *t, unsigned max);
/* Free everything.  No operation may be running. */
void vcb_sessions_destroy(struct vcb_session_table *t);

/*
 * Creating a session: reserve a slot first (-ENOSPC at the limit) so that a
 * full table refuses before any engine work, then commit the new session
 * (which gets its handle and a reference held by the table) or unreserve.
 * commit returns -ESTALE when the table was cleared since the reservation;
 * the caller then frees the session itself.
 */
int vcb_sessions_reserve(struct vcb_session_table *t, unsigned *generation);
void vcb_sessions_unreserve(struct vcb_session_table *t, unsigned generation);
int vcb_sessions_commit(struct vcb_session_table *t, unsigned generation,
			struct vcb_session *s);

/* A referenced session, or NULL for an unknown handle. */
struct vcb_session *vcb_sessions_get(struct vcb_session_table *t,
				     uint64_t handle);
void vcb_sessions_put(struct vcb_session_table *t, struct vcb_session *s);
/*
 * The fast path: a listed session whose lock was free, returned with its
 * lock held and no reference taken -- two atomic updates fewer per
 * request.  The lock keeps it alive: it was listed when locked (both under
 * the table lock), and freeing a session takes its lock first.  The caller
 * must not touch the session after unlocking it.  NULL with *busy set when
 * the session exists but another operation holds it: take a reference with
 * vcb_sessions_get and wait for the lock then.
 */
struct vcb_session *vcb_sessions_trylock(struct vcb_session_table *t,
					 uint64_t handle, bool *busy);
/* Unlist a session: 0, or -ENOENT for an unknown handle. */
int vcb_sessions_remove(struct vcb_session_table *t, uint64_t handle);
/* Unlist every session (reset). */
void vcb_sessions_clear(struct vcb_session_table *t);
unsigned vcb_sessions_count(struct vcb_session_table *t);

/* A new unlisted session owning vs (refs 0 until committed). */
struct vcb_session *vcb_session_alloc(struct vc_session *vs);
/* Free an uncommitted session and its engine session. */
void vcb_session_free(struct vcb_session *s);

#endif /* VCB_SESSIONS_H */
