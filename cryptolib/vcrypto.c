/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front of the crypto library: the algorithm table, argument checks and
 * dispatch to an engine, engine selection, and the helpers that are the same
 * whatever the engine (random bytes, PBKDF2, constant-time comparison).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/pbkdf2.h>

#include "engine.h"
#include "vcrypto.h"

#define VC_ALG_ROW(id, kind, name, stem, block, iv, digest, kmin, kmax,	\
		   kstep)						\
	{ id, name, VIRTIO_CRYPTODEV_KIND_##kind, block, iv, digest,	\
	  kmin, kmax, kstep },
static const struct vc_alg_info vc_algs[] = {
	VIRTIO_CRYPTODEV_ALGS(VC_ALG_ROW)
};
#undef VC_ALG_ROW

/* GCM's limit on the plaintext of one nonce: 2^39 - 256 bits. */
#define VC_GCM_MAX_LEN	((UINT64_C(1) << 36) - 32)

const struct vc_alg_info *vc_alg_find(uint32_t alg)
{
	size_t i;

	if (alg == 0)
		return NULL;
	for (i = 0; i < sizeof(vc_algs) / sizeof(vc_algs[0]); i++)
		if (vc_algs[i].id == alg)
			return &vc_algs[i];
	return NULL;
}

size_t vc_alg_block_size(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a ? a->block_size : 0;
}

size_t vc_alg_iv_size(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a ? a->iv_size : 0;
}

size_t vc_alg_digest_size(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a ? a->digest_size : 0;
}

int vc_alg_is_cipher(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a && (a->kind == VIRTIO_CRYPTODEV_KIND_CIPHER ||
		     a->kind == VIRTIO_CRYPTODEV_KIND_AEAD);
}

int vc_aead_tag_len_ok(uint32_t alg, size_t taglen)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	if (!a || a->kind != VIRTIO_CRYPTODEV_KIND_AEAD)
		return 0;
	return taglen == 4 || taglen == 8 || (taglen >= 12 && taglen <= 16);
}

int vc_alg_is_aead(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a && a->kind == VIRTIO_CRYPTODEV_KIND_AEAD;
}

int vc_alg_is_hash(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a && (a->kind == VIRTIO_CRYPTODEV_KIND_HASH ||
		     a->kind == VIRTIO_CRYPTODEV_KIND_HMAC);
}

int vc_alg_is_hmac(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a && a->kind == VIRTIO_CRYPTODEV_KIND_HMAC;
}

int vc_alg_key_ok(uint32_t alg, size_t keylen)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a && keylen >= a->key_min && keylen <= a->key_max &&
	       (keylen - a->key_min) % a->key_step == 0;
}

const char *vc_alg_name(uint32_t alg)
{
	const struct vc_alg_info *a = vc_alg_find(alg);

	return a ? a->name : NULL;
}

/* Engines */

static void vc_set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

int vc_engine_open_soft(struct vc_engine **out)
{
	if (!out)
		return -EINVAL;
	return vc_soft_engine_new(out);
}

int vc_engine_open_cryptodev(struct vc_engine **out, const char *device,
			     char *err, size_t errlen)
{
	if (!out || !device || !*device) {
		vc_set_err(err, errlen, "no cryptodev device path given");
		return -EINVAL;
	}
	return vc_cryptodev_engine_new(out, device, err, errlen);
}

int vc_engine_open_first(struct vc_engine **out, const char *const *devices,
			 size_t ndevices, char *err, size_t errlen)
{
	size_t i;
	int ret;

	for (i = 0; i < ndevices; i++) {
		/*
		 * A missing or unusable device is the normal case on a host
		 * without cryptodev-linux; its error text is not kept.
		 */
		if (vc_cryptodev_engine_new(out, devices[i], NULL, 0) == 0)
			return 0;
	}
	ret = vc_soft_engine_new(out);
	if (ret)
		vc_set_err(err, errlen, "cannot create the soft engine");
	return ret;
}

int vc_engine_open(struct vc_engine **out, const char *device, char *err,
		   size_t errlen)
{
	static const char *const defaults[] = VC_DEFAULT_DEVICES;

	if (!out) {
		vc_set_err(err, errlen, "no engine pointer");
		return -EINVAL;
	}
	if (device)
		return vc_engine_open_cryptodev(out, device, err, errlen);
	return vc_engine_open_first(out, defaults,
				    sizeof(defaults) / sizeof(defaults[0]),
				    err, errlen);
}

void vc_engine_close(struct vc_engine *e)
{
	if (e)
		e->ops->close(e);
}

enum vc_engine_kind vc_engine_kind(const struct vc_engine *e)
{
	return e->ops->kind;
}

const char *vc_engine_name(const struct vc_engine *e)
{
	return e->name;
}

/* Sessions */

int vc_session_new(struct vc_engine *e, const struct vc_session_params *p,
		   struct vc_session **out)
{
	const struct vc_alg_info *alg;

	if (!e || !p || !out)
		return -EINVAL;
	*out = NULL;
	if (p->cipher && p->mac)
		return vc_combined_new(e, p, out);
	if (!p->cipher && !p->mac)
		return -EINVAL;
	if (p->cipher) {
		if (!vc_alg_is_cipher(p->cipher))
			return -EINVAL;
		alg = vc_alg_find(p->cipher);
		/* The null cipher takes an empty key. */
		if (!vc_alg_key_ok(p->cipher, p->keylen) ||
		    (p->keylen && !p->key))
			return -EINVAL;
		if (p->mackeylen)
			return -EINVAL;
	} else {
		if (!vc_alg_is_hash(p->mac))
			return -EINVAL;
		alg = vc_alg_find(p->mac);
		if (!vc_alg_key_ok(p->mac, p->mackeylen))
			return -EINVAL;
		if (p->mackeylen && !p->mackey)
			return -EINVAL;
		if (p->keylen)
			return -EINVAL;
	}
	return e->ops->session_new(e, p, alg, out);
}

void vc_session_free(struct vc_session *s)
{
	if (!s)
		return;
	if (s->mac)
		s->mac->engine->ops->session_free(s->mac);
	s->engine->ops->session_free(s);
}

int vc_cipher(struct vc_session *s, int op, const uint8_t *src, uint8_t *dst,
	      size_t len, const uint8_t *iv, uint8_t *iv_out)
{
	/* A combined session's cipher never runs without its MAC. */
	if (!s || s->alg->kind != VIRTIO_CRYPTODEV_KIND_CIPHER || s->mac)
		return -EINVAL;
	if (op != COP_ENCRYPT && op != COP_DECRYPT)
		return -EINVAL;
	if (!vc_len_is_blocks(len, s->alg->block_size))
		return -EINVAL;
	if (len && (!src || !dst))
		return -EINVAL;
	return s->engine->ops->cipher(s, op, src, dst, len, iv, iv_out);
}

int vc_hash(struct vc_session *s, const uint8_t *src, size_t len,
	    unsigned flags, uint8_t *digest)
{
	if (!s || (s->alg->kind != VIRTIO_CRYPTODEV_KIND_HASH &&
		   s->alg->kind != VIRTIO_CRYPTODEV_KIND_HMAC))
		return -EINVAL;
	if (len && !src)
		return -EINVAL;
	/* Other cryptodev flags (NO_ZC, WRITE_IV) mean nothing for a hash. */
	flags &= COP_FLAG_UPDATE | COP_FLAG_FINAL | COP_FLAG_RESET;
	if ((!(flags & COP_FLAG_UPDATE) || (flags & COP_FLAG_FINAL)) && !digest)
		return -EINVAL;
	return s->engine->ops->hash(s, src, len, flags, digest);
}

int vc_hash_copy(struct vc_session *dst, struct vc_session *src)
{
	if (!dst || !src || dst->engine != src->engine ||
	    dst->alg != src->alg)
		return -EINVAL;
	if (src->alg->kind != VIRTIO_CRYPTODEV_KIND_HASH &&
	    src->alg->kind != VIRTIO_CRYPTODEV_KIND_HMAC)
		return -EINVAL;
	if (dst == src)
		return 0;
	return src->engine->ops->hash_copy(dst, src);
}

int vc_aead(struct vc_session *s, int op, const uint8_t *iv, size_t ivlen,
	    const uint8_t *aad, size_t aadlen, const uint8_t *src, size_t len,
	    uint8_t *dst, size_t taglen, size_t *outlen)
{
	size_t textlen;

	if (!s || s->alg->kind != VIRTIO_CRYPTODEV_KIND_AEAD || !outlen)
		return -EINVAL;
	if (op != COP_ENCRYPT && op != COP_DECRYPT)
		return -EINVAL;
	if (taglen == 0)
		taglen = s->alg->digest_size;
	if (!vc_aead_tag_len_ok(s->alg->id, taglen))
		return -EINVAL;
	if (!iv || ivlen == 0 || ivlen > VC_AEAD_MAX_IV)
		return -EINVAL;
	if (aadlen && !aad)
		return -EINVAL;
	if (op == COP_DECRYPT && len < taglen)
		return -EINVAL;
	textlen = op == COP_ENCRYPT ? len : len - taglen;
	if ((uint64_t)textlen > VC_GCM_MAX_LEN)
		return -EINVAL;
	if (len && !src)
		return -EINVAL;
	if (!dst && (op == COP_ENCRYPT || textlen))
		return -EINVAL;
	return s->engine->ops->aead(s, op, iv, ivlen, aad, aadlen, src, len,
				    dst, taglen, outlen);
}

/* Helpers that need no engine */

int vc_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int vc_pbkdf2_sha256(const uint8_t *pass, size_t passlen, const uint8_t *salt,
		     size_t saltlen, unsigned iterations, uint8_t *out,
		     size_t outlen)
{
	/* nettle asserts on these; a library must not abort on bad input. */
	if (iterations == 0 || outlen == 0 || !out)
		return -EINVAL;
	if ((passlen && !pass) || (saltlen && !salt))
		return -EINVAL;
	pbkdf2_hmac_sha256(passlen, pass, iterations, saltlen, salt, outlen,
			   out);
	return 0;
}

int vc_memcmp_ct(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff != 0;
}
