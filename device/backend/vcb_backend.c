/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The backend core: request decoding, validation, execution through a
 * vcrypto engine, response encoding.  Everything here treats the request as
 * hostile: it comes from the guest.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vcb_backend.h"
#include "vcb_iov.h"
#include "vcb_sessions.h"
#include "vcrypto.h"
#include "virtio_cryptodev_algs.h"

struct vcb_backend {
	struct vc_engine *engine;
	enum vcb_engine_kind kind;	/* SOFT or DEVCRYPTO, never AUTO */
	struct vcb_limits limits;
	uint8_t algorithms[16];		/* as advertised in the config */
	struct vcb_session_table sessions;
	unsigned long scratch_uses;	/* atomic; see vcb_backend_scratch_uses */
	struct vcb_scratch_cache *cache;
};

/* ---- scratch buffers ------------------------------------------------- */

/*
 * Requests whose data is split over descriptors are gathered into a scratch
 * buffer, and AEAD decryption always works in one (see vcb_op_aead).  Each
 * thread keeps one buffer, grown on demand up to VCB_SCRATCH_KEEP, so the
 * common sizes cost no allocation.  Larger requests map a buffer straight
 * from the kernel (no allocator arena keeps such pages, however many such
 * requests a guest sends), and give it back to a small per-backend cache
 * of at most VCB_SCRATCH_CACHE_BYTES, so that a stream of large requests
 * reuses buffers instead of faulting in fresh zeroed pages every time.
 */
#define VCB_SCRATCH_KEEP	(256u * 1024)
#define VCB_SCRATCH_CACHE_MAX	8
#define VCB_SCRATCH_CACHE_BYTES	(32u << 20)
#define VCB_SCRATCH_ROUND	(1u << 20)	/* mapped sizes: fewer misses */

struct vcb_scratch_cache {
	pthread_mutex_t lock;		/* protects every field below */
	struct {
		uint8_t *buf;
		size_t len;
	} slot[VCB_SCRATCH_CACHE_MAX];
	unsigned num;
	size_t bytes;
};

struct vcb_scratch {
	uint8_t *buf;
	size_t cap;
};

/* A scratch buffer lent to one request. */
struct vcb_scratch_ref {
	uint8_t *buf;
	size_t mapped;		/* bytes to unmap, 0 for the thread's buffer */
};

static pthread_key_t vcb_scratch_key;
static pthread_once_t vcb_scratch_once = PTHREAD_ONCE_INIT;
static bool vcb_scratch_key_ok;

static void vcb_scratch_release(void *p)
{
	struct vcb_scratch *s = p;

	free(s->buf);
	free(s);
}

static void vcb_scratch_key_init(void)
{
	vcb_scratch_key_ok =
		pthread_key_create(&vcb_scratch_key, vcb_scratch_release) == 0;
}

static uint8_t *vcb_scratch_map(struct vcb_backend *b,
				struct vcb_scratch_ref *ref, size_t len)
{
	struct vcb_scratch_cache *sc = b->cache;
	size_t want = (len + VCB_SCRATCH_ROUND - 1) & ~(size_t)(VCB_SCRATCH_ROUND - 1);
	unsigned i, best = VCB_SCRATCH_CACHE_MAX;
	void *p;

	pthread_mutex_lock(&sc->lock);
	for (i = 0; i < sc->num; i++)
		if (sc->slot[i].len >= len &&
		    (best == VCB_SCRATCH_CACHE_MAX ||
		     sc->slot[i].len < sc->slot[best].len))
			best = i;
	if (best != VCB_SCRATCH_CACHE_MAX) {
		ref->buf = sc->slot[best].buf;
		ref->mapped = sc->slot[best].len;
		sc->bytes -= ref->mapped;
		sc->slot[best] = sc->slot[--sc->num];
		pthread_mutex_unlock(&sc->lock);
		return ref->buf;
	}
	pthread_mutex_unlock(&sc->lock);

	p = mmap(NULL, want, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	ref->buf = p;
	ref->mapped = want;
	return p;
}

/* A buffer of len bytes, or NULL; give it back with vcb_scratch_put. */
static uint8_t *vcb_scratch_get(struct vcb_backend *b,
				struct vcb_scratch_ref *ref, size_t len)
{
	struct vcb_scratch *s;

	ref->buf = NULL;
	ref->mapped = 0;
	__atomic_add_fetch(&b->scratch_uses, 1, __ATOMIC_RELAXED);
	if (len == 0)
		len = 1;
	pthread_once(&vcb_scratch_once, vcb_scratch_key_init);
	if (len > VCB_SCRATCH_KEEP || !vcb_scratch_key_ok)
		return vcb_scratch_map(b, ref, len);
	s = pthread_getspecific(vcb_scratch_key);
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		if (pthread_setspecific(vcb_scratch_key, s) != 0) {
			free(s);
			return vcb_scratch_map(b, ref, len);
		}
	}
	if (s->cap < len) {
		/* Grow to the next power of two: few reallocations per thread. */
		size_t cap = 4096;
		uint8_t *p;

		while (cap < len)
			cap <<= 1;
		p = malloc(cap);
		if (!p)
			return NULL;
		free(s->buf);
		s->buf = p;
		s->cap = cap;
	}
	ref->buf = s->buf;
	return s->buf;
}

static void vcb_scratch_put(struct vcb_backend *b,
			    struct vcb_scratch_ref *ref)
{
	struct vcb_scratch_cache *sc = b->cache;
	bool kept = false;

	if (ref->mapped) {
		pthread_mutex_lock(&sc->lock);
		if (sc->num < VCB_SCRATCH_CACHE_MAX &&
		    sc->bytes + ref->mapped <= VCB_SCRATCH_CACHE_BYTES) {
			sc->slot[sc->num].buf = ref->buf;
			sc->slot[sc->num].len = ref->mapped;
			sc->num++;
			sc->bytes += ref->mapped;
			kept = true;
		}
		pthread_mutex_unlock(&sc->lock);
		if (!kept)
			munmap(ref->buf, ref->mapped);
	}
	ref->buf = NULL;
	ref->mapped = 0;
}

static struct vcb_scratch_cache *vcb_scratch_cache_new(void)
{
	struct vcb_scratch_cache *sc = calloc(1, sizeof(*sc));

	if (sc && pthread_mutex_init(&sc->lock, NULL) != 0) {
		free(sc);
		sc = NULL;
	}
	return sc;
}

static void vcb_scratch_cache_free(struct vcb_scratch_cache *sc)
{
	unsigned i;

	if (!sc)
		return;
	for (i = 0; i < sc->num; i++)
		munmap(sc->slot[i].buf, sc->slot[i].len);
	pthread_mutex_destroy(&sc->lock);
	free(sc);
}

/* ---- small helpers ---------------------------------------------------- */

static uint32_t vcb_status_from_errno(int err)
{
	switch (err) {
	case 0:
		return VIRTIO_CRYPTODEV_S_OK;
	case -EBADMSG:
		return VIRTIO_CRYPTODEV_S_BADMSG;
	case -EINVAL:
	case -ERANGE:
		return VIRTIO_CRYPTODEV_S_INVAL;
	case -EOPNOTSUPP:
	case -ENOSYS:
	case -ENOENT:
		return VIRTIO_CRYPTODEV_S_NOTSUPP;
	case -ENOSPC:
		return VIRTIO_CRYPTODEV_S_NOSPC;
	case -ENOMEM:
		return VIRTIO_CRYPTODEV_S_NOMEM;
	default:
		return VIRTIO_CRYPTODEV_S_IOERR;
	}
}

const char *vcb_status_name(uint32_t status)
{
	static const char *const names[] = {
		[VIRTIO_CRYPTODEV_S_OK] = "OK",
		[VIRTIO_CRYPTODEV_S_BADMSG] = "BADMSG",
		[VIRTIO_CRYPTODEV_S_INVAL] = "INVAL",
		[VIRTIO_CRYPTODEV_S_NOTSUPP] = "NOTSUPP",
		[VIRTIO_CRYPTODEV_S_NOSESSION] = "NOSESSION",
		[VIRTIO_CRYPTODEV_S_NOSPC] = "NOSPC",
		[VIRTIO_CRYPTODEV_S_NOMEM] = "NOMEM",
		[VIRTIO_CRYPTODEV_S_IOERR] = "IOERR",
	};

	if (status < sizeof(names) / sizeof(names[0]) && names[status])
		return names[status];
	return "?";
}

static bool vcb_alg_offered(const struct vcb_backend *b, uint32_t alg)
{
	return alg < 8 * sizeof(b->algorithms) &&
	       (b->algorithms[alg / 8] & (1u << (alg % 8)));
}

/* Every algorithm a device could offer, from the one shared list. */
#define VCB_ALG_ID(id, ...)	id,
static const uint32_t vcb_algs_known[] = { VIRTIO_CRYPTODEV_ALGS(VCB_ALG_ID) };
#undef VCB_ALG_ID
#define VCB_NUM_ALGS_KNOWN	(sizeof(vcb_algs_known) / sizeof(vcb_algs_known[0]))

/*
 * Does the engine really offer alg?  Asking it (a session with a dummy key
 * of the first acceptable length) is the only answer that holds for a host
 * /dev/crypto whose drivers we do not know.  The key is all different
 * bytes: a host in FIPS mode refuses XTS keys with equal halves and 3DES
 * keys with equal parts, which would hide algorithms it has.
 */
static bool vcb_engine_offers(struct vc_engine *e, uint32_t alg)
{
	uint8_t probe_key[VCB_MAX_KEY_LEN];
	struct vc_session_params p = { 0 };
	struct vc_session *s;
	size_t klen;

	for (klen = 0; klen < sizeof(probe_key); klen++)
		probe_key[klen] = (uint8_t)(klen + 1);

	if (vc_alg_is_aead(alg) || vc_alg_is_cipher(alg)) {
		for (klen = 1; klen <= VCB_MAX_KEY_LEN; klen++)
			if (vc_alg_key_ok(alg, klen))
				break;
		if (klen > VCB_MAX_KEY_LEN)
			return false;
		p.cipher = alg;
		p.key = probe_key;
		p.keylen = klen;
	} else if (vc_alg_is_hash(alg)) {
		p.mac = alg;
		if (vc_alg_is_hmac(alg)) {
			p.mackey = probe_key;
			p.mackeylen = 16;
		}
	} else {
		return false;
	}
	if (vc_session_new(e, &p, &s) < 0)
		return false;
	vc_session_free(s);
	return true;
}

/* ---- lifetime --------------------------------------------------------- */

int vcb_backend_new(struct vcb_backend **out, enum vcb_engine_kind kind,
		    const char *devcrypto_path, const struct vcb_limits *limits,
		    char *err, size_t errlen)
{
	char engine_err[256];
	struct vcb_backend *b;
	struct vcb_limits lim = { 0 };
	uint32_t alg;
	size_t i;
	int ret;

	*out = NULL;
	if (limits)
		lim = *limits;
	if (!lim.num_queues)
		lim.num_queues = VCB_DEFAULT_QUEUES;
	if (!lim.max_sessions)
		lim.max_sessions = VCB_DEFAULT_MAX_SESSIONS;
	if (!lim.max_data_len)
		lim.max_data_len = VCB_DEFAULT_MAX_DATA_LEN;
	if (lim.num_queues > VIRTIO_CRYPTODEV_MAX_QUEUES) {
		snprintf(err, errlen, "queues must be 1..%u",
			 VIRTIO_CRYPTODEV_MAX_QUEUES);
		return -EINVAL;
	}
	if (lim.max_sessions > VCB_MAX_SESSIONS_LIMIT) {
		snprintf(err, errlen, "max-sessions must be 1..%u",
			 VCB_MAX_SESSIONS_LIMIT);
		return -EINVAL;
	}
	if (lim.max_data_len < VCB_MIN_DATA_LEN ||
	    lim.max_data_len > VCB_MAX_DATA_LEN_LIMIT) {
		snprintf(err, errlen, "max-data-len must be %u..%u",
			 VCB_MIN_DATA_LEN, VCB_MAX_DATA_LEN_LIMIT);
		return -EINVAL;
	}
	if (!devcrypto_path)
		devcrypto_path = VCB_DEFAULT_DEVCRYPTO_PATH;

	b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	b->limits = lim;
	b->cache = vcb_scratch_cache_new();
	if (!b->cache) {
		snprintf(err, errlen, "out of memory");
		free(b);
		return -ENOMEM;
	}

	switch (kind) {
	case VCB_ENGINE_SOFT:
		ret = vc_engine_open_soft(&b->engine);
		if (ret < 0)
			snprintf(err, errlen, "cannot start the soft engine: %s",
				 strerror(-ret));
		break;
	case VCB_ENGINE_DEVCRYPTO:
		/* The library's message names the device; say which engine. */
		ret = vc_engine_open_cryptodev(&b->engine, devcrypto_path,
					       engine_err, sizeof(engine_err));
		if (ret < 0)
			snprintf(err, errlen, "engine devcrypto: %s",
				 engine_err);
		break;
	case VCB_ENGINE_AUTO:
		ret = vc_engine_open_cryptodev(&b->engine, devcrypto_path,
					       err, errlen);
		if (ret < 0) {
			ret = vc_engine_open_soft(&b->engine);
			if (ret < 0)
				snprintf(err, errlen,
					 "cannot start the soft engine: %s",
					 strerror(-ret));
		}
		break;
	default:
		snprintf(err, errlen, "unknown engine kind %d", (int)kind);
		ret = -EINVAL;
		break;
	}
	if (ret < 0)
		goto err_free;
	b->kind = vc_engine_kind(b->engine) == VC_ENGINE_CRYPTODEV ?
		  VCB_ENGINE_DEVCRYPTO : VCB_ENGINE_SOFT;

	for (i = 0; i < VCB_NUM_ALGS_KNOWN; i++) {
		alg = vcb_algs_known[i];
		if (vcb_engine_offers(b->engine, alg))
			b->algorithms[alg / 8] |= 1u << (alg % 8);
	}

	ret = vcb_sessions_init(&b->sessions, lim.max_sessions);
	if (ret < 0) {
		snprintf(err, errlen, "out of memory");
		goto err_engine;
	}
	*out = b;
	return 0;

err_engine:
	vc_engine_close(b->engine);
err_free:
	vcb_scratch_cache_free(b->cache);
	free(b);
	return ret;
}

void vcb_backend_free(struct vcb_backend *b)
{
	if (!b)
		return;
	vcb_sessions_destroy(&b->sessions);
	vc_engine_close(b->engine);
	vcb_scratch_cache_free(b->cache);
	free(b);
}

void vcb_backend_reset(struct vcb_backend *b)
{
	vcb_sessions_clear(&b->sessions);
}

unsigned vcb_backend_session_count(struct vcb_backend *b)
{
	return vcb_sessions_count(&b->sessions);
}

enum vcb_engine_kind vcb_backend_engine(const struct vcb_backend *b)
{
	return b->kind;
}

const char *vcb_backend_engine_name(const struct vcb_backend *b)
{
	return vc_engine_name(b->engine);
}

void vcb_backend_config(const struct vcb_backend *b,
			struct virtio_cryptodev_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->num_queues = htole32(b->limits.num_queues);
	cfg->max_sessions = htole32(b->limits.max_sessions);
	cfg->max_data_len = htole32(b->limits.max_data_len);
	cfg->max_key_len = htole32(VCB_MAX_KEY_LEN);
	cfg->max_mac_key_len = htole32(VCB_MAX_MAC_KEY_LEN);
	cfg->max_aad_len = htole32(VCB_MAX_AAD_LEN);
	cfg->max_segments = htole32(VIRTIO_CRYPTODEV_MAX_SEGMENTS);
	memcpy(cfg->algorithms, b->algorithms, sizeof(cfg->algorithms));
}

/* ---- request decoding ------------------------------------------------- */

/* The request header in host order. */
struct vcb_req {
	uint32_t opcode;
	uint32_t flags;
	uint64_t session;
	uint32_t cipher;
	uint32_t mac;
	uint32_t key_len;
	uint32_t mac_key_len;
	uint32_t iv_len;
	uint32_t aad_len;
	uint32_t src_len;
	uint32_t tag_len;
};

/* Which header fields an opcode uses; the others must be zero. */
enum {
	VCB_USES_SESSION = 1u << 0,
	VCB_USES_CIPHER = 1u << 1,
	VCB_USES_MAC = 1u << 2,
	VCB_USES_KEY = 1u << 3,
	VCB_USES_MAC_KEY = 1u << 4,
	VCB_USES_IV = 1u << 5,
	VCB_USES_AAD = 1u << 6,
	VCB_USES_SRC = 1u << 7,
	VCB_USES_TAG = 1u << 8,
};

struct vcb_op_rule {
	uint32_t uses;
	uint32_t flags;		/* flags the opcode accepts */
};

static const struct vcb_op_rule vcb_op_rules[] = {
	[VIRTIO_CRYPTODEV_OP_CREATE_SESSION] = {
		VCB_USES_CIPHER | VCB_USES_MAC | VCB_USES_KEY |
		VCB_USES_MAC_KEY, 0 },
	[VIRTIO_CRYPTODEV_OP_DESTROY_SESSION] = { VCB_USES_SESSION, 0 },
	[VIRTIO_CRYPTODEV_OP_CIPHER] = {
		VCB_USES_SESSION | VCB_USES_IV | VCB_USES_SRC,
		VIRTIO_CRYPTODEV_F_DECRYPT | VIRTIO_CRYPTODEV_F_IV_OUT },
	[VIRTIO_CRYPTODEV_OP_HASH] = {
		VCB_USES_SESSION | VCB_USES_SRC,
		VIRTIO_CRYPTODEV_F_HASH_UPDATE | VIRTIO_CRYPTODEV_F_HASH_RESET },
	[VIRTIO_CRYPTODEV_OP_AEAD] = {
		VCB_USES_SESSION | VCB_USES_IV | VCB_USES_AAD | VCB_USES_SRC |
		VCB_USES_TAG, VIRTIO_CRYPTODEV_F_DECRYPT },
	[VIRTIO_CRYPTODEV_OP_CLONE_HASH] = {
		VCB_USES_SESSION | VCB_USES_SRC, 0 },
	[VIRTIO_CRYPTODEV_OP_HASH_CIPHER] = {
		VCB_USES_SESSION | VCB_USES_IV | VCB_USES_SRC,
		VIRTIO_CRYPTODEV_F_DECRYPT | VIRTIO_CRYPTODEV_F_IV_OUT |
		VIRTIO_CRYPTODEV_F_HASH_UPDATE | VIRTIO_CRYPTODEV_F_HASH_RESET },
	[VIRTIO_CRYPTODEV_OP_TLS] = {
		VCB_USES_SESSION | VCB_USES_IV | VCB_USES_AAD | VCB_USES_SRC |
		VCB_USES_TAG,
		VIRTIO_CRYPTODEV_F_DECRYPT | VIRTIO_CRYPTODEV_F_IV_OUT },
	/* The cipher and mac slots carry data_off and data_len. */
	[VIRTIO_CRYPTODEV_OP_SRTP] = {
		VCB_USES_SESSION | VCB_USES_CIPHER | VCB_USES_MAC |
		VCB_USES_IV | VCB_USES_AAD | VCB_USES_SRC | VCB_USES_TAG,
		VIRTIO_CRYPTODEV_F_DECRYPT | VIRTIO_CRYPTODEV_F_IV_OUT },
};

static bool vcb_unused_fields_zero(const struct vcb_req *r, uint32_t uses)
{
	return ((uses & VCB_USES_SESSION) || r->session == 0) &&
	       ((uses & VCB_USES_CIPHER) || r->cipher == 0) &&
	       ((uses & VCB_USES_MAC) || r->mac == 0) &&
	       ((uses & VCB_USES_KEY) || r->key_len == 0) &&
	       ((uses & VCB_USES_MAC_KEY) || r->mac_key_len == 0) &&
	       ((uses & VCB_USES_IV) || r->iv_len == 0) &&
	       ((uses & VCB_USES_AAD) || r->aad_len == 0) &&
	       ((uses & VCB_USES_SRC) || r->src_len == 0) &&
	       ((uses & VCB_USES_TAG) || r->tag_len == 0);
}

/* Everything one request needs while it executes. */
struct vcb_ctx {
	struct vcb_backend *b;
	struct vcb_req r;
	const struct iovec *in;
	unsigned in_num;
	uint64_t in_total;
	uint64_t resp_session;
	uint32_t out_len;		/* output bytes written before resp */
	const struct vcb_run_ctl *ctl;
};

/*
 * Not wire statuses: nothing has been written to the in part.  The request
 * needs a session lock another thread holds and the caller asked not to
 * wait; or the caller's generation moved on (a reset) before it ran.
 */
#define VCB_WOULD_BLOCK		UINT32_MAX
#define VCB_CANCELED		(UINT32_MAX - 1)

static bool vcb_ctl_stale(const struct vcb_run_ctl *ctl)
{
	return ctl && ctl->generation &&
	       __atomic_load_n(ctl->generation, __ATOMIC_ACQUIRE) !=
	       ctl->expected;
}

/*
 * Take the session's lock: VCB_S_LOCKED, or VCB_WOULD_BLOCK when the caller
 * does not wait and another thread holds it, or VCB_CANCELED when a reset
 * came while we waited (the wait may have been long: a request of
 * max_data_len on the same session).
 */
#define VCB_S_LOCKED		VIRTIO_CRYPTODEV_S_OK

static uint32_t vcb_session_lock(const struct vcb_ctx *c, struct vcb_session *s)
{
	if (c->ctl && (c->ctl->flags & VCB_RUN_NOWAIT)) {
		if (pthread_mutex_trylock(&s->lock) != 0)
			return VCB_WOULD_BLOCK;
	} else {
		pthread_mutex_lock(&s->lock);
	}
	if (vcb_ctl_stale(c->ctl)) {
		pthread_mutex_unlock(&s->lock);
		return VCB_CANCELED;
	}
	return VCB_S_LOCKED;
}

/* The in part must hold exactly the output and the response. */
static bool vcb_in_fits(const struct vcb_ctx *c, uint64_t out_len)
{
	return c->in_total == out_len + sizeof(struct virtio_cryptodev_resp);
}

/*
 * Source bytes: straight from the request when they lie in one segment,
 * otherwise gathered into buf (which must hold len bytes).
 */
static const uint8_t *vcb_take_src(struct vcb_iov_cursor *cur, size_t len,
				   uint8_t *buf)
{
	const uint8_t *p = vcb_iov_contig(cur, len);

	if (p)
		return p;
	vcb_iov_read(cur, buf, len);
	return buf;
}

/* Output area: straight into the in part when it is one segment, or NULL. */
static uint8_t *vcb_direct_dst(const struct vcb_ctx *c, size_t len)
{
	struct vcb_iov_cursor cur;

	vcb_iov_cursor_init(&cur, c->in, c->in_num);
	return vcb_iov_contig(&cur, len);
}

static void vcb_put_output(const struct vcb_ctx *c, size_t off,
			   const uint8_t *p, size_t len)
{
	struct vcb_iov_cursor cur;

	vcb_iov_cursor_init(&cur, c->in, c->in_num);
	vcb_iov_skip(&cur, off);
	vcb_iov_write(&cur, p, len);
}

/* A referenced session of the wanted kind, or NULL. */
static struct vcb_session *vcb_get_session(struct vcb_ctx *c,
					   enum vcb_session_kind kind)
{
	struct vcb_session *s = vcb_sessions_get(&c->b->sessions, c->r.session);

	if (s && s->kind != kind) {
		vcb_sessions_put(&c->b->sessions, s);
		return NULL;
	}
	return s;
}

/*
 * A session of the wanted kind with its lock held: VCB_S_LOCKED, with
 * *held_ref saying whether a reference was taken too (vcb_session_unlock
 * drops what was taken); or S_NOSESSION, VCB_WOULD_BLOCK or VCB_CANCELED
 * with nothing held.  An idle session costs no reference (see
 * vcb_sessions_trylock); a busy one is waited for as vcb_session_lock does.
 */
static uint32_t vcb_get_locked(struct vcb_ctx *c, enum vcb_session_kind kind,
			       struct vcb_session **out, bool *held_ref)
{
	struct vcb_session *s;
	uint32_t status;
	bool busy;

	*held_ref = false;
	s = vcb_sessions_trylock(&c->b->sessions, c->r.session, &busy);
	if (s) {
		status = VCB_S_LOCKED;
		if (s->kind != kind)
			status = VIRTIO_CRYPTODEV_S_NOSESSION;
		else if (vcb_ctl_stale(c->ctl))
			status = VCB_CANCELED;
		if (status == VCB_S_LOCKED)
			*out = s;
		else
			pthread_mutex_unlock(&s->lock);
		return status;
	}
	if (!busy)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	s = vcb_get_session(c, kind);
	if (!s)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	status = vcb_session_lock(c, s);
	if (status != VCB_S_LOCKED) {
		vcb_sessions_put(&c->b->sessions, s);
		return status;
	}
	*held_ref = true;
	*out = s;
	return VCB_S_LOCKED;
}

static void vcb_session_unlock(struct vcb_ctx *c, struct vcb_session *s,
			       bool held_ref)
{
	pthread_mutex_unlock(&s->lock);
	if (held_ref)
		vcb_sessions_put(&c->b->sessions, s);
}

/* ---- opcodes ---------------------------------------------------------- */

static uint32_t vcb_op_create(struct vcb_ctx *c, struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	uint8_t key[VCB_MAX_KEY_LEN], mac_key[VCB_MAX_MAC_KEY_LEN];
	struct vc_session_params p = { 0 };
	struct vc_session *vs;
	struct vcb_session *s;
	enum vcb_session_kind kind;
	unsigned gen;
	uint32_t alg;
	int ret;

	if (!r->cipher && !r->mac)
		return VIRTIO_CRYPTODEV_S_INVAL;
	if ((r->cipher && !vcb_alg_offered(c->b, r->cipher)) ||
	    (r->mac && !vcb_alg_offered(c->b, r->mac)))
		return VIRTIO_CRYPTODEV_S_NOTSUPP;
	alg = r->cipher ? r->cipher : r->mac;
	if (r->cipher && r->mac) {
		/* A cipher mode and a hash/HMAC; an AEAD has its own MAC. */
		if (!vc_alg_is_cipher(r->cipher) || vc_alg_is_aead(r->cipher) ||
		    !vc_alg_is_hash(r->mac))
			return VIRTIO_CRYPTODEV_S_NOTSUPP;
		if (!vc_alg_key_ok(r->cipher, r->key_len) ||
		    !vc_alg_key_ok(r->mac, r->mac_key_len))
			return VIRTIO_CRYPTODEV_S_INVAL;
		kind = VCB_SESSION_COMBINED;
	} else if (r->cipher) {
		if (r->mac_key_len || !vc_alg_key_ok(alg, r->key_len))
			return VIRTIO_CRYPTODEV_S_INVAL;
		kind = vc_alg_is_aead(alg) ? VCB_SESSION_AEAD :
					     VCB_SESSION_CIPHER;
	} else {
		if (r->key_len || (!vc_alg_is_hmac(alg) && r->mac_key_len))
			return VIRTIO_CRYPTODEV_S_INVAL;
		kind = VCB_SESSION_HASH;
	}
	if (!vcb_in_fits(c, 0))
		return VIRTIO_CRYPTODEV_S_INVAL;

	vcb_iov_read(cur, key, r->key_len);
	vcb_iov_read(cur, mac_key, r->mac_key_len);

	ret = vcb_sessions_reserve(&c->b->sessions, &gen);
	if (ret < 0) {
		ret = VIRTIO_CRYPTODEV_S_NOSPC;
		goto out_wipe;
	}
	p.cipher = r->cipher;
	p.mac = r->mac;
	p.key = key;
	p.keylen = r->key_len;
	p.mackey = mac_key;
	p.mackeylen = r->mac_key_len;
	ret = vc_session_new(c->b->engine, &p, &vs);
	if (ret < 0) {
		vcb_sessions_unreserve(&c->b->sessions, gen);
		ret = vcb_status_from_errno(ret);
		goto out_wipe;
	}
	s = vcb_session_alloc(vs);
	if (!s) {
		vc_session_free(vs);
		vcb_sessions_unreserve(&c->b->sessions, gen);
		ret = VIRTIO_CRYPTODEV_S_NOMEM;
		goto out_wipe;
	}
	s->kind = kind;
	s->alg = alg;
	s->iv_size = vc_alg_iv_size(alg);
	s->block_size = vc_alg_block_size(alg);
	s->digest_size = vc_alg_digest_size(r->mac ? r->mac : alg);
	if (s->block_size == 0)
		s->block_size = 1;
	ret = vcb_sessions_commit(&c->b->sessions, gen, s);
	if (ret < 0) {
		vcb_session_free(s);
		ret = vcb_status_from_errno(ret);
		goto out_wipe;
	}
	c->resp_session = s->handle;
	ret = VIRTIO_CRYPTODEV_S_OK;
out_wipe:
	/* Keys do not linger on worker stacks. */
	explicit_bzero(key, sizeof(key));
	explicit_bzero(mac_key, sizeof(mac_key));
	return ret;
}

static uint32_t vcb_op_destroy(struct vcb_ctx *c)
{
	if (!vcb_in_fits(c, 0))
		return VIRTIO_CRYPTODEV_S_INVAL;
	if (vcb_sessions_remove(&c->b->sessions, c->r.session) < 0)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	return VIRTIO_CRYPTODEV_S_OK;
}

static uint32_t vcb_op_cipher(struct vcb_ctx *c, struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	bool decrypt = r->flags & VIRTIO_CRYPTODEV_F_DECRYPT;
	bool iv_out = r->flags & VIRTIO_CRYPTODEV_F_IV_OUT;
	uint8_t iv[VCB_MAX_IV_LEN], next_iv[VCB_MAX_IV_LEN];
	struct vcb_scratch_ref ref = { 0 };
	uint8_t *scratch = NULL, *dst;
	const uint8_t *src;
	struct vcb_session *s;
	uint32_t status;
	size_t len = r->src_len, iv_size;
	bool held_ref;
	int ret;

	status = vcb_get_locked(c, VCB_SESSION_CIPHER, &s, &held_ref);
	if (status != VCB_S_LOCKED)
		return status;
	/* Nothing of s after vcb_session_unlock: copy what is needed. */
	iv_size = s->iv_size;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	if (r->iv_len != 0 && r->iv_len != iv_size)
		goto out_unlock;
	if (!vc_len_is_blocks(len, s->block_size))
		goto out_unlock;
	if (!vcb_in_fits(c, (uint64_t)len + (iv_out ? iv_size : 0)))
		goto out_unlock;

	vcb_iov_read(cur, iv, r->iv_len);
	dst = vcb_direct_dst(c, len);
	src = vcb_iov_contig(cur, len);
	if (len && (!src || !dst)) {
		/* src == dst is allowed: one buffer serves both. */
		scratch = vcb_scratch_get(c->b, &ref, len);
		if (!scratch) {
			status = VIRTIO_CRYPTODEV_S_NOMEM;
			goto out_unlock;
		}
		if (!src) {
			vcb_iov_read(cur, scratch, len);
			src = scratch;
		}
	}

	ret = vc_cipher(s->vs, decrypt ? COP_DECRYPT : COP_ENCRYPT, src,
			dst ? dst : scratch, len, r->iv_len ? iv : NULL,
			iv_out && iv_size ? next_iv : NULL);
	vcb_session_unlock(c, s, held_ref);
	status = vcb_status_from_errno(ret);
	if (status != VIRTIO_CRYPTODEV_S_OK) {
		if (dst)
			memset(dst, 0, len);
		goto out_free;
	}
	if (!dst)
		vcb_put_output(c, 0, scratch, len);
	if (iv_out)
		vcb_put_output(c, len, next_iv, iv_size);
	c->out_len = len + (iv_out ? iv_size : 0);
out_free:
	vcb_scratch_put(c->b, &ref);
	return status;
out_unlock:
	vcb_session_unlock(c, s, held_ref);
	vcb_scratch_put(c->b, &ref);
	return status;
}

static uint32_t vcb_op_hash(struct vcb_ctx *c, struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	bool update = r->flags & VIRTIO_CRYPTODEV_F_HASH_UPDATE;
	uint8_t digest[VCB_MAX_DIGEST_LEN];
	struct vcb_scratch_ref ref = { 0 };
	uint8_t *scratch;
	const uint8_t *src = NULL;
	struct vcb_session *s;
	uint32_t status;
	unsigned flags;
	int ret;

	s = vcb_get_session(c, VCB_SESSION_HASH);
	if (!s)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	if (s->digest_size > sizeof(digest))
		goto out_put;
	if (!vcb_in_fits(c, update ? 0 : s->digest_size))
		goto out_put;

	if (r->src_len) {
		src = vcb_iov_contig(cur, r->src_len);
		if (!src) {
			scratch = vcb_scratch_get(c->b, &ref, r->src_len);
			if (!scratch) {
				status = VIRTIO_CRYPTODEV_S_NOMEM;
				goto out_put;
			}
			vcb_iov_read(cur, scratch, r->src_len);
			src = scratch;
		}
	}
	flags = update ? COP_FLAG_UPDATE : COP_FLAG_FINAL;
	if (r->flags & VIRTIO_CRYPTODEV_F_HASH_RESET)
		flags |= COP_FLAG_RESET;

	status = vcb_session_lock(c, s);
	if (status != VCB_S_LOCKED)
		goto out_free;
	ret = vc_hash(s->vs, src, r->src_len, flags, update ? NULL : digest);
	pthread_mutex_unlock(&s->lock);
	status = vcb_status_from_errno(ret);
	if (status == VIRTIO_CRYPTODEV_S_OK && !update) {
		vcb_put_output(c, 0, digest, s->digest_size);
		c->out_len = s->digest_size;
	}
out_free:
	vcb_scratch_put(c->b, &ref);
out_put:
	vcb_sessions_put(&c->b->sessions, s);
	return status;
}

static uint32_t vcb_op_aead(struct vcb_ctx *c, struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	bool decrypt = r->flags & VIRTIO_CRYPTODEV_F_DECRYPT;
	uint8_t iv[VCB_MAX_IV_LEN];
	struct vcb_scratch_ref ref = { 0 };
	uint8_t *scratch, *dst, *dst_buf;
	const uint8_t *aad = NULL, *src = NULL;
	struct vcb_iov_cursor probe;
	struct vcb_session *s;
	size_t out_len, aad_gather, src_gather, got = 0;
	uint32_t status;
	int ret;

	s = vcb_get_session(c, VCB_SESSION_AEAD);
	if (!s)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	if (r->iv_len != s->iv_size || r->iv_len == 0)
		goto out_put;
	if (!vc_aead_tag_len_ok(s->alg, r->tag_len))
		goto out_put;
	if (decrypt && r->src_len < r->tag_len)
		goto out_put;
	out_len = decrypt ? (size_t)r->src_len - r->tag_len :
			    (size_t)r->src_len + r->tag_len;
	if (!vcb_in_fits(c, out_len))
		goto out_put;

	vcb_iov_read(cur, iv, r->iv_len);
	/*
	 * Host scratch holds only what needs it: aad or src when the guest split
	 * them, [aad | src | out].  The output goes straight into the guest's
	 * buffer when that is one segment -- except on decryption, which always
	 * decrypts into scratch and copies out only once the tag has been
	 * verified: guest memory is visible to the guest's vCPUs while the
	 * engine writes, so unverified plaintext must never be there, not even
	 * for a moment.  On encryption the source and the output may be the
	 * same guest memory: the driver maps one user buffer for both when the
	 * caller encrypts in place.  Every engine allows src == dst; a guest
	 * that makes them overlap only in part garbles nothing but its own
	 * output.
	 */
	probe = *cur;
	aad_gather = vcb_iov_is_contig(&probe, r->aad_len) ? 0 : r->aad_len;
	vcb_iov_skip(&probe, r->aad_len);
	src_gather = vcb_iov_is_contig(&probe, r->src_len) ? 0 : r->src_len;
	dst = decrypt ? NULL : vcb_direct_dst(c, out_len);
	scratch = NULL;
	if (aad_gather || src_gather || !dst) {
		scratch = vcb_scratch_get(c->b, &ref, aad_gather + src_gather +
					  (dst ? 0 : out_len));
		if (!scratch) {
			status = VIRTIO_CRYPTODEV_S_NOMEM;
			goto out_put;
		}
	}
	if (r->aad_len)
		aad = vcb_take_src(cur, r->aad_len, scratch);
	if (r->src_len)
		src = vcb_take_src(cur, r->src_len, scratch + aad_gather);
	dst_buf = dst ? dst : scratch + aad_gather + src_gather;

	status = vcb_session_lock(c, s);
	if (status != VCB_S_LOCKED)
		goto out_free;
	ret = vc_aead(s->vs, decrypt ? COP_DECRYPT : COP_ENCRYPT, iv,
		      r->iv_len, aad, r->aad_len, src, r->src_len, dst_buf,
		      r->tag_len, &got);
	pthread_mutex_unlock(&s->lock);
	status = vcb_status_from_errno(ret);
	if (status == VIRTIO_CRYPTODEV_S_OK && got != out_len)
		status = VIRTIO_CRYPTODEV_S_IOERR;
	if (status != VIRTIO_CRYPTODEV_S_OK) {
		/* An engine failure may have left partial ciphertext. */
		if (dst)
			memset(dst, 0, out_len);
		goto out_free;
	}
	if (!dst)
		vcb_put_output(c, 0, dst_buf, out_len);
	c->out_len = out_len;
out_free:
	vcb_scratch_put(c->b, &ref);
out_put:
	vcb_sessions_put(&c->b->sessions, s);
	return status;
}

/*
 * Both sessions' locks, always the lower address first so that two clones
 * in opposite directions cannot deadlock; one lock when they are the same
 * session.  VCB_S_LOCKED, or as vcb_session_lock with nothing held.
 */
static uint32_t vcb_session_lock_pair(const struct vcb_ctx *c,
				      struct vcb_session *a,
				      struct vcb_session *b)
{
	struct vcb_session *first = a < b ? a : b, *second = a < b ? b : a;
	uint32_t status;

	status = vcb_session_lock(c, first);
	if (status != VCB_S_LOCKED || first == second)
		return status;
	status = vcb_session_lock(c, second);
	if (status != VCB_S_LOCKED)
		pthread_mutex_unlock(&first->lock);
	return status;
}

static uint32_t vcb_op_clone_hash(struct vcb_ctx *c,
				  struct vcb_iov_cursor *cur)
{
	struct vcb_session *dst, *src;
	uint64_t src_handle;
	uint32_t status;
	int ret;

	if (c->r.src_len != VIRTIO_CRYPTODEV_CLONE_SRC_LEN)
		return VIRTIO_CRYPTODEV_S_INVAL;
	vcb_iov_read(cur, &src_handle, sizeof(src_handle));
	dst = vcb_get_session(c, VCB_SESSION_HASH);
	if (!dst)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	src = vcb_sessions_get(&c->b->sessions, le64toh(src_handle));
	status = VIRTIO_CRYPTODEV_S_NOSESSION;
	if (!src)
		goto out_dst;
	if (src->kind != VCB_SESSION_HASH)
		goto out_src;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	if (src->alg != dst->alg || !vcb_in_fits(c, 0))
		goto out_src;

	status = vcb_session_lock_pair(c, dst, src);
	if (status != VCB_S_LOCKED)
		goto out_src;
	ret = vc_hash_copy(dst->vs, src->vs);
	if (src != dst)
		pthread_mutex_unlock(&src->lock);
	pthread_mutex_unlock(&dst->lock);
	status = vcb_status_from_errno(ret);
out_src:
	vcb_sessions_put(&c->b->sessions, src);
out_dst:
	vcb_sessions_put(&c->b->sessions, dst);
	return status;
}

/* ---- combined sessions ------------------------------------------------- */

/*
 * The source of a combined operation and where its output goes: straight
 * from and into the request's segments when each is one piece, through
 * one scratch buffer [aad | src | out] for whatever is not.  out_direct
 * false forces the output into scratch (decryption that must be verified
 * before the guest sees it).
 */
struct vcb_combined_io {
	const uint8_t *aad;
	const uint8_t *src;
	uint8_t *dst;
	bool dst_direct;
	struct vcb_scratch_ref ref;
};

static uint32_t vcb_combined_io_get(struct vcb_ctx *c,
				    struct vcb_iov_cursor *cur, size_t aad_len,
				    size_t src_len, size_t out_len,
				    bool out_direct, struct vcb_combined_io *io)
{
	struct vcb_iov_cursor probe = *cur;
	size_t aad_gather, src_gather;
	uint8_t *scratch = NULL;

	memset(io, 0, sizeof(*io));
	aad_gather = vcb_iov_is_contig(&probe, aad_len) ? 0 : aad_len;
	vcb_iov_skip(&probe, aad_len);
	src_gather = vcb_iov_is_contig(&probe, src_len) ? 0 : src_len;
	io->dst = out_direct && out_len ? vcb_direct_dst(c, out_len) : NULL;
	io->dst_direct = io->dst != NULL;
	if (aad_gather || src_gather || (out_len && !io->dst_direct)) {
		scratch = vcb_scratch_get(c->b, &io->ref, aad_gather +
					  src_gather +
					  (io->dst_direct ? 0 : out_len));
		if (!scratch)
			return VIRTIO_CRYPTODEV_S_NOMEM;
	}
	if (aad_len)
		io->aad = vcb_take_src(cur, aad_len, scratch);
	if (src_len)
		io->src = vcb_take_src(cur, src_len, scratch + aad_gather);
	if (!io->dst_direct && out_len)
		io->dst = scratch + aad_gather + src_gather;
	return VIRTIO_CRYPTODEV_S_OK;
}

/*
 * Finish a combined operation: on success the output (if it went through
 * scratch) and the trailer -- next IV, digest, tag or length -- after it;
 * on failure nothing, and a direct output area that an engine failure may
 * have left partial results in is zeroed.
 */
static void vcb_combined_io_put(struct vcb_ctx *c, struct vcb_combined_io *io,
				uint32_t status, size_t out_len,
				const uint8_t *trailer, size_t trailer_len)
{
	if (status != VIRTIO_CRYPTODEV_S_OK) {
		/*
		 * S_BADMSG comes before anything is written to a direct
		 * area (SRTP verifies first; TLS decrypts into scratch): the
		 * guest's packet stays as it was, as with cryptodev-linux.
		 */
		if (io->dst_direct && status != VIRTIO_CRYPTODEV_S_BADMSG)
			memset(io->dst, 0, out_len);
	} else {
		if (!io->dst_direct && out_len)
			vcb_put_output(c, 0, io->dst, out_len);
		if (trailer_len)
			vcb_put_output(c, out_len, trailer, trailer_len);
		c->out_len = out_len + trailer_len;
	}
	vcb_scratch_put(c->b, &io->ref);
}

/* Combined requests' IV: none (continue), or the mode's. */
static bool vcb_combined_iv_ok(const struct vcb_req *r,
			       const struct vcb_session *s)
{
	return r->iv_len == 0 || r->iv_len == s->iv_size;
}

static uint32_t vcb_op_hash_cipher(struct vcb_ctx *c,
				   struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	bool decrypt = r->flags & VIRTIO_CRYPTODEV_F_DECRYPT;
	bool update = r->flags & VIRTIO_CRYPTODEV_F_HASH_UPDATE;
	uint8_t iv[VCB_MAX_IV_LEN];
	uint8_t trailer[VCB_MAX_IV_LEN + VCB_MAX_DIGEST_LEN];
	struct vcb_combined_io io;
	struct vcb_session *s;
	size_t len = r->src_len, iv_out, dig;
	unsigned flags;
	uint32_t status;
	int ret;

	s = vcb_get_session(c, VCB_SESSION_COMBINED);
	if (!s)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	iv_out = r->flags & VIRTIO_CRYPTODEV_F_IV_OUT ? s->iv_size : 0;
	dig = update ? 0 : s->digest_size;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	if (!vcb_combined_iv_ok(r, s) ||
	    !vc_len_is_blocks(len, s->block_size) ||
	    dig > VCB_MAX_DIGEST_LEN)
		goto out_put;
	if (!vcb_in_fits(c, (uint64_t)len + iv_out + dig))
		goto out_put;

	vcb_iov_read(cur, iv, r->iv_len);
	status = vcb_combined_io_get(c, cur, 0, len, len, true, &io);
	if (status != VIRTIO_CRYPTODEV_S_OK)
		goto out_put;
	flags = update ? COP_FLAG_UPDATE : COP_FLAG_FINAL;
	if (r->flags & VIRTIO_CRYPTODEV_F_HASH_RESET)
		flags |= COP_FLAG_RESET;

	status = vcb_session_lock(c, s);
	if (status != VCB_S_LOCKED) {
		vcb_scratch_put(c->b, &io.ref);
		goto out_put;
	}
	ret = vc_hash_n_crypt(s->vs, decrypt ? COP_DECRYPT : COP_ENCRYPT,
			      io.src, io.dst, len, r->iv_len ? iv : NULL,
			      iv_out ? trailer : NULL, flags,
			      dig ? trailer + iv_out : NULL);
	pthread_mutex_unlock(&s->lock);
	status = vcb_status_from_errno(ret);
	vcb_combined_io_put(c, &io, status, len, trailer, iv_out + dig);
out_put:
	vcb_sessions_put(&c->b->sessions, s);
	return status;
}

static uint32_t vcb_op_tls(struct vcb_ctx *c, struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	bool decrypt = r->flags & VIRTIO_CRYPTODEV_F_DECRYPT;
	uint8_t iv[VCB_MAX_IV_LEN], trailer[VCB_MAX_IV_LEN + 4];
	struct vcb_combined_io io;
	struct vcb_session *s;
	size_t len = r->src_len, out_len, iv_out, got = 0;
	uint32_t status, got_le;
	int ret;

	s = vcb_get_session(c, VCB_SESSION_COMBINED);
	if (!s)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	iv_out = r->flags & VIRTIO_CRYPTODEV_F_IV_OUT ? s->iv_size : 0;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	if (!vcb_combined_iv_ok(r, s) || r->tag_len == 0 ||
	    r->tag_len > s->digest_size)
		goto out_put;
	if (decrypt) {
		/* Public facts only: a whole number of blocks, room for
		 * the MAC and (block modes) the padding length byte. */
		if (!vc_len_is_blocks(len, s->block_size) ||
		    len < r->tag_len + (s->block_size > 1))
			goto out_put;
		out_len = len;
	} else {
		out_len = len + r->tag_len +
			  vc_tls_padding(s->vs, len, r->tag_len);
	}
	if (!vcb_in_fits(c, (uint64_t)out_len + iv_out + (decrypt ? 4 : 0)))
		goto out_put;

	vcb_iov_read(cur, iv, r->iv_len);
	/* Plaintext reaches the guest only once padding and MAC are good. */
	status = vcb_combined_io_get(c, cur, r->aad_len, len, out_len,
				     !decrypt, &io);
	if (status != VIRTIO_CRYPTODEV_S_OK)
		goto out_put;

	status = vcb_session_lock(c, s);
	if (status != VCB_S_LOCKED) {
		vcb_scratch_put(c->b, &io.ref);
		goto out_put;
	}
	ret = vc_tls_record(s->vs, decrypt ? COP_DECRYPT : COP_ENCRYPT,
			    r->iv_len ? iv : NULL, iv_out ? trailer : NULL,
			    io.aad, r->aad_len, io.src, len, io.dst,
			    r->tag_len, &got);
	pthread_mutex_unlock(&s->lock);
	status = vcb_status_from_errno(ret);
	if (status == VIRTIO_CRYPTODEV_S_OK && !decrypt && got != out_len)
		status = VIRTIO_CRYPTODEV_S_IOERR;
	if (decrypt) {
		got_le = htole32((uint32_t)got);
		memcpy(trailer + iv_out, &got_le, sizeof(got_le));
	}
	vcb_combined_io_put(c, &io, status, out_len, trailer,
			    iv_out + (decrypt ? 4 : 0));
out_put:
	vcb_sessions_put(&c->b->sessions, s);
	return status;
}

static uint32_t vcb_op_srtp(struct vcb_ctx *c, struct vcb_iov_cursor *cur)
{
	const struct vcb_req *r = &c->r;
	bool decrypt = r->flags & VIRTIO_CRYPTODEV_F_DECRYPT;
	/* the cipher and mac slots of the header */
	uint32_t data_off = r->cipher, data_len = r->mac;
	uint8_t iv[VCB_MAX_IV_LEN];
	uint8_t trailer[VCB_MAX_IV_LEN + VCB_MAX_DIGEST_LEN];
	uint8_t tag[VCB_MAX_DIGEST_LEN];
	struct vcb_combined_io io;
	struct vcb_session *s;
	size_t iv_out, tag_out;
	uint32_t status;
	int ret;

	s = vcb_get_session(c, VCB_SESSION_COMBINED);
	if (!s)
		return VIRTIO_CRYPTODEV_S_NOSESSION;
	iv_out = r->flags & VIRTIO_CRYPTODEV_F_IV_OUT ? s->iv_size : 0;
	tag_out = decrypt ? 0 : r->tag_len;
	status = VIRTIO_CRYPTODEV_S_INVAL;
	/* A stream mode keeps the packet's length; the data lie inside
	 * the authenticated region; the tag comes in only to be checked. */
	if (!vcb_combined_iv_ok(r, s) || s->block_size != 1 ||
	    r->tag_len == 0 || r->tag_len > s->digest_size ||
	    data_off > r->aad_len || data_len > r->aad_len - data_off ||
	    r->src_len != (decrypt ? r->tag_len : 0))
		goto out_put;
	if (!vcb_in_fits(c, (uint64_t)data_len + iv_out + tag_out))
		goto out_put;

	vcb_iov_read(cur, iv, r->iv_len);
	status = vcb_combined_io_get(c, cur, r->aad_len, 0, data_len, true,
				     &io);
	if (status != VIRTIO_CRYPTODEV_S_OK)
		goto out_put;
	vcb_iov_read(cur, tag, r->src_len);

	status = vcb_session_lock(c, s);
	if (status != VCB_S_LOCKED) {
		vcb_scratch_put(c->b, &io.ref);
		goto out_put;
	}
	ret = vc_srtp(s->vs, decrypt ? COP_DECRYPT : COP_ENCRYPT,
		      r->iv_len ? iv : NULL, iv_out ? trailer : NULL, io.aad,
		      r->aad_len, data_off, data_len, io.dst, tag, r->tag_len);
	pthread_mutex_unlock(&s->lock);
	status = vcb_status_from_errno(ret);
	memcpy(trailer + iv_out, tag, tag_out);
	vcb_combined_io_put(c, &io, status, data_len, trailer,
			    iv_out + tag_out);
out_put:
	vcb_sessions_put(&c->b->sessions, s);
	return status;
}

/* Validate the header and the out part's layout, then run the opcode. */
static uint32_t vcb_execute(struct vcb_ctx *c, const struct iovec *out,
			    unsigned out_num)
{
	const struct vcb_backend *b = c->b;
	struct virtio_cryptodev_req wire;
	struct vcb_req *r = &c->r;
	struct vcb_iov_cursor cur;
	const struct vcb_op_rule *rule;
	uint64_t out_total, want;

	if ((uint64_t)out_num + c->in_num > VIRTIO_CRYPTODEV_MAX_SEGMENTS)
		return VIRTIO_CRYPTODEV_S_INVAL;
	if (!vcb_iov_total(out, out_num, &out_total))
		return VIRTIO_CRYPTODEV_S_INVAL;
	vcb_iov_cursor_init(&cur, out, out_num);
	if (vcb_iov_read(&cur, &wire, sizeof(wire)) != sizeof(wire))
		return VIRTIO_CRYPTODEV_S_INVAL;

	r->opcode = le32toh(wire.opcode);
	r->flags = le32toh(wire.flags);
	r->session = le64toh(wire.session);
	r->cipher = le32toh(wire.cipher);
	r->mac = le32toh(wire.mac);
	r->key_len = le32toh(wire.key_len);
	r->mac_key_len = le32toh(wire.mac_key_len);
	r->iv_len = le32toh(wire.iv_len);
	r->aad_len = le32toh(wire.aad_len);
	r->src_len = le32toh(wire.src_len);
	r->tag_len = le32toh(wire.tag_len);

	if (r->opcode == 0 ||
	    r->opcode >= sizeof(vcb_op_rules) / sizeof(vcb_op_rules[0]))
		return VIRTIO_CRYPTODEV_S_NOTSUPP;
	rule = &vcb_op_rules[r->opcode];
	if (r->flags & ~rule->flags)
		return VIRTIO_CRYPTODEV_S_INVAL;
	if (!vcb_unused_fields_zero(r, rule->uses))
		return VIRTIO_CRYPTODEV_S_INVAL;
	if (r->key_len > VCB_MAX_KEY_LEN ||
	    r->mac_key_len > VCB_MAX_MAC_KEY_LEN ||
	    r->iv_len > VCB_MAX_IV_LEN || r->aad_len > VCB_MAX_AAD_LEN ||
	    r->src_len > b->limits.max_data_len ||
	    r->tag_len > VCB_MAX_DIGEST_LEN)
		return VIRTIO_CRYPTODEV_S_INVAL;
	/* Each term is below 2^32, so the 64-bit sum cannot wrap. */
	want = (uint64_t)sizeof(wire) + r->key_len + r->mac_key_len +
	       r->iv_len + r->aad_len + r->src_len;
	if (out_total != want)
		return VIRTIO_CRYPTODEV_S_INVAL;

	switch (r->opcode) {
	case VIRTIO_CRYPTODEV_OP_CREATE_SESSION:
		return vcb_op_create(c, &cur);
	case VIRTIO_CRYPTODEV_OP_DESTROY_SESSION:
		return vcb_op_destroy(c);
	case VIRTIO_CRYPTODEV_OP_CIPHER:
		return vcb_op_cipher(c, &cur);
	case VIRTIO_CRYPTODEV_OP_HASH:
		return vcb_op_hash(c, &cur);
	case VIRTIO_CRYPTODEV_OP_AEAD:
		return vcb_op_aead(c, &cur);
	case VIRTIO_CRYPTODEV_OP_CLONE_HASH:
		return vcb_op_clone_hash(c, &cur);
	case VIRTIO_CRYPTODEV_OP_HASH_CIPHER:
		return vcb_op_hash_cipher(c, &cur);
	case VIRTIO_CRYPTODEV_OP_TLS:
		return vcb_op_tls(c, &cur);
	case VIRTIO_CRYPTODEV_OP_SRTP:
		return vcb_op_srtp(c, &cur);
	}
	return VIRTIO_CRYPTODEV_S_NOTSUPP;
}

ssize_t vcb_backend_run(struct vcb_backend *b,
			const struct iovec *out, unsigned out_num,
			const struct iovec *in, unsigned in_num,
			const struct vcb_run_ctl *ctl, uint32_t *status_out)
{
	struct virtio_cryptodev_resp resp;
	struct vcb_iov_cursor cur;
	struct vcb_ctx c;
	uint32_t status;

	/* Field by field: r is filled by vcb_execute, and clearing the whole
	 * context was a fair share of a small request's cost. */
	c.b = b;
	c.resp_session = 0;
	c.out_len = 0;
	c.in = in;
	c.in_num = in_num;
	c.ctl = ctl;
	/*
	 * The used length the device reports is 32 bits wide: an in part it
	 * cannot describe is as broken as one too short for a response.
	 */
	if (!vcb_iov_total(in, in_num, &c.in_total) ||
	    c.in_total < sizeof(resp) || c.in_total > UINT32_MAX)
		return -EPROTO;

	if (vcb_ctl_stale(ctl))
		return -ECANCELED;
	status = vcb_execute(&c, out, out_num);
	if (status == VCB_WOULD_BLOCK)
		return -EAGAIN;
	if (status == VCB_CANCELED)
		return -ECANCELED;
	if (status != VIRTIO_CRYPTODEV_S_OK) {
		c.out_len = 0;
		c.resp_session = 0;
	}

	resp.session = htole64(c.resp_session);
	resp.status = htole32(status);
	resp.len = htole32(c.out_len);
	/*
	 * The response is the tail of the in part, nearly always the whole
	 * of its last segment (in_total >= sizeof(resp) means in_num > 0).
	 * Field by field there: copying the struct just built would load it
	 * whole from three narrower stores, which the CPU cannot forward.
	 */
	if (in[in_num - 1].iov_len >= sizeof(resp)) {
		uint8_t *tail = (uint8_t *)in[in_num - 1].iov_base +
				in[in_num - 1].iov_len - sizeof(resp);

		memcpy(tail + offsetof(struct virtio_cryptodev_resp, session),
		       &resp.session, sizeof(resp.session));
		memcpy(tail + offsetof(struct virtio_cryptodev_resp, status),
		       &resp.status, sizeof(resp.status));
		memcpy(tail + offsetof(struct virtio_cryptodev_resp, len),
		       &resp.len, sizeof(resp.len));
	} else {
		vcb_iov_cursor_init(&cur, in, in_num);
		vcb_iov_skip(&cur, c.in_total - sizeof(resp));
		vcb_iov_write(&cur, &resp, sizeof(resp));
	}
	if (status_out)
		*status_out = status;
	return (ssize_t)c.in_total;
}

ssize_t vcb_backend_process(struct vcb_backend *b,
			    const struct iovec *out, unsigned out_num,
			    const struct iovec *in, unsigned in_num,
			    uint32_t *status_out)
{
	return vcb_backend_run(b, out, out_num, in, in_num, NULL, status_out);
}

unsigned long vcb_backend_scratch_uses(struct vcb_backend *b)
{
	return __atomic_load_n(&b->scratch_uses, __ATOMIC_RELAXED);
}
