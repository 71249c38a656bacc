/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The soft engine: nettle, in this process.
 *
 * The QEMU backend runs guest requests through this engine, so the hot path
 * is nettle and little else: the key schedule (and GCM's hash key) is done
 * once when the session is made, an operation allocates nothing and copies
 * nothing beyond the IV, and nettle works in place when src == dst.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/blowfish.h>
#include <nettle/camellia.h>
#include <nettle/cbc.h>
#include <nettle/ctr.h>
#include <nettle/des.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/memops.h>
#include <nettle/nettle-meta.h>
#include <nettle/ripemd160.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <nettle/version.h>
#include <nettle/xts.h>

#include "engine.h"

/*
 * A cipher session: the block cipher's functions and its key schedules,
 * which follow the struct in the same allocation (one for DES, 3DES and
 * Blowfish, whose schedule serves both directions; an encrypt and a
 * decrypt one for AES and Camellia; a third, the tweak key, for XTS; none
 * for the null cipher), so a Blowfish session does not carry three 4 KiB
 * schedules, nor an AES one a Blowfish-sized union.
 */
struct soft_cipher_session {
	struct vc_session base;
	size_t size;			/* of the allocation, wiped on free */
	const struct nettle_cipher *aes;	/* AES modes: its fast CBC */
	nettle_cipher_func *encrypt;	/* NULL: the null cipher */
	nettle_cipher_func *decrypt;
	void *enc, *dec, *tweak;	/* in ctx[] */
	/* CBC: the chaining block; CTR: the next counter; XTS: the tweak. */
	uint8_t iv[VC_MAX_IV];
	uint64_t ctx[];
};

union soft_gcm_ctx {
	struct gcm_aes128_ctx g128;
	struct gcm_aes192_ctx g192;
	struct gcm_aes256_ctx g256;
};

struct soft_aead_session {
	struct vc_session base;
	size_t keylen;
	union soft_gcm_ctx gcm;
};

union soft_hash_ctx {
	struct md5_ctx md5;
	struct ripemd160_ctx ripemd160;
	struct sha1_ctx sha1;
	struct sha256_ctx sha256;
	struct sha512_ctx sha512;
};

struct soft_hash_session {
	struct vc_session base;
	const struct nettle_hash *hash;
	int hmac;
	union soft_hash_ctx state;
	/* HMAC only: the keyed inner and outer starting points. */
	union soft_hash_ctx inner;
	union soft_hash_ctx outer;
};

static const struct vc_engine_ops soft_ops;

static const struct nettle_cipher *soft_aes_for_key(size_t keylen)
{
	switch (keylen) {
	case 16:
		return &nettle_aes128;
	case 24:
		return &nettle_aes192;
	case 32:
		return &nettle_aes256;
	}
	return NULL;
}

static const struct nettle_hash *soft_hash_for_alg(uint32_t alg)
{
	switch (alg) {
	case CRYPTO_MD5:
	case CRYPTO_MD5_HMAC:
		return &nettle_md5;
	case CRYPTO_RIPEMD160:
	case CRYPTO_RIPEMD160_HMAC:
		return &nettle_ripemd160;
	case CRYPTO_SHA1:
	case CRYPTO_SHA1_HMAC:
		return &nettle_sha1;
	case CRYPTO_SHA2_224:
	case CRYPTO_SHA2_224_HMAC:
		return &nettle_sha224;
	case CRYPTO_SHA2_256:
	case CRYPTO_SHA2_256_HMAC:
		return &nettle_sha256;
	case CRYPTO_SHA2_384:
	case CRYPTO_SHA2_384_HMAC:
		return &nettle_sha384;
	case CRYPTO_SHA2_512:
	case CRYPTO_SHA2_512_HMAC:
		return &nettle_sha512;
	}
	return NULL;
}

static const struct nettle_cipher *soft_camellia_for_key(size_t keylen)
{
	switch (keylen) {
	case 16:
		return &nettle_camellia128;
	case 24:
		return &nettle_camellia192;
	case 32:
		return &nettle_camellia256;
	}
	return NULL;
}

static struct soft_cipher_session *soft_cipher_alloc(size_t nctx,
						     size_t ctx_size)
{
	struct soft_cipher_session *cs;
	size_t each = (ctx_size + 15) & ~(size_t)15;
	size_t size = sizeof(*cs) + nctx * each;

	cs = calloc(1, size);
	if (!cs)
		return NULL;
	cs->size = size;
	cs->enc = nctx > 0 ? (uint8_t *)cs->ctx : NULL;
	cs->dec = nctx > 1 ? (uint8_t *)cs->ctx + each : cs->enc;
	cs->tweak = nctx > 2 ? (uint8_t *)cs->ctx + 2 * each : NULL;
	return cs;
}

/* DES, 3DES, Blowfish: one schedule serves both directions. */
static struct soft_cipher_session *
soft_cipher_one_schedule(size_t ctx_size, nettle_cipher_func *encrypt,
			 nettle_cipher_func *decrypt)
{
	struct soft_cipher_session *cs = soft_cipher_alloc(1, ctx_size);

	if (cs) {
		cs->encrypt = encrypt;
		cs->decrypt = decrypt;
	}
	return cs;
}

/* AES, Camellia: separate encrypt and decrypt schedules from nettle_cipher. */
static struct soft_cipher_session *
soft_cipher_from_meta(const struct nettle_cipher *c, const uint8_t *key,
		      const uint8_t *tweak_key)
{
	struct soft_cipher_session *cs;

	if (!c)
		return NULL;
	cs = soft_cipher_alloc(tweak_key ? 3 : 2, c->context_size);
	if (!cs)
		return NULL;
	c->set_encrypt_key(cs->enc, key);
	c->set_decrypt_key(cs->dec, key);
	if (tweak_key)
		c->set_encrypt_key(cs->tweak, tweak_key);
	cs->encrypt = c->encrypt;
	cs->decrypt = c->decrypt;
	return cs;
}

/*
 * Key lengths are checked against the table already.  Weak and semi-weak
 * DES keys, 3DES keys with repeated parts and Blowfish keys nettle calls
 * weak are all accepted, as Linux does unless told to forbid them
 * (CRYPTO_TFM_REQ_FORBID_WEAK_KEYS, which cryptodev-linux never sets):
 * nettle computes the schedule whatever it answers.  Likewise XTS keys
 * with equal halves, which only Linux's FIPS mode refuses.
 */
static int soft_cipher_new(const struct vc_session_params *p,
			   const struct vc_alg_info *alg,
			   struct vc_session **out)
{
	struct soft_cipher_session *cs = NULL;
	size_t half = p->keylen / 2;

	switch (alg->id) {
	case CRYPTO_NULL:
		cs = soft_cipher_alloc(0, 0);
		break;
	case CRYPTO_AES_CBC:
	case CRYPTO_AES_CTR:
	case CRYPTO_AES_ECB:
		cs = soft_cipher_from_meta(soft_aes_for_key(p->keylen), p->key,
					   NULL);
		if (cs)
			cs->aes = soft_aes_for_key(p->keylen);
		break;
	case CRYPTO_AES_XTS:
		/* Two AES keys of one size: data, then tweak (IEEE 1619). */
		cs = soft_cipher_from_meta(soft_aes_for_key(half), p->key,
					   p->key + half);
		break;
	case CRYPTO_CAMELLIA_CBC:
		cs = soft_cipher_from_meta(soft_camellia_for_key(p->keylen),
					   p->key, NULL);
		break;
	case CRYPTO_DES_CBC:
		cs = soft_cipher_one_schedule(sizeof(struct des_ctx),
			(nettle_cipher_func *)des_encrypt,
			(nettle_cipher_func *)des_decrypt);
		if (cs)
			des_set_key(cs->enc, p->key);
		break;
	case CRYPTO_3DES_CBC:
		cs = soft_cipher_one_schedule(sizeof(struct des3_ctx),
			(nettle_cipher_func *)des3_encrypt,
			(nettle_cipher_func *)des3_decrypt);
		if (cs)
			des3_set_key(cs->enc, p->key);
		break;
	case CRYPTO_BLF_CBC:
		cs = soft_cipher_one_schedule(sizeof(struct blowfish_ctx),
			(nettle_cipher_func *)blowfish_encrypt,
			(nettle_cipher_func *)blowfish_decrypt);
		if (cs)
			blowfish_set_key(cs->enc, p->keylen, p->key);
		break;
	default:
		return -EINVAL;
	}
	if (!cs)
		return -ENOMEM;
	*out = &cs->base;
	return 0;
}

static int soft_aead_new(const struct vc_session_params *p,
			 struct vc_session **out)
{
	struct soft_aead_session *as = calloc(1, sizeof(*as));

	if (!as)
		return -ENOMEM;
	as->keylen = p->keylen;
	switch (p->keylen) {
	case 16:
		gcm_aes128_set_key(&as->gcm.g128, p->key);
		break;
	case 24:
		gcm_aes192_set_key(&as->gcm.g192, p->key);
		break;
	case 32:
		gcm_aes256_set_key(&as->gcm.g256, p->key);
		break;
	default:
		free(as);
		return -EINVAL;
	}
	*out = &as->base;
	return 0;
}

static int soft_hash_new(const struct vc_session_params *p,
			 const struct vc_alg_info *alg, struct vc_session **out)
{
	const struct nettle_hash *hash = soft_hash_for_alg(alg->id);
	struct soft_hash_session *hs;

	if (!hash)
		return -EINVAL;
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	hs->hash = hash;
	hs->hmac = alg->kind == VIRTIO_CRYPTODEV_KIND_HMAC;
	if (hs->hmac)
		/* nettle hashes a key longer than the block, as HMAC says. */
		hmac_set_key(&hs->outer, &hs->inner, &hs->state, hash,
			     p->mackeylen, p->mackeylen ? p->mackey :
			     (const uint8_t *)"");
	else
		hash->init(&hs->state);
	*out = &hs->base;
	return 0;
}

static int soft_session_new(struct vc_engine *e,
			    const struct vc_session_params *p,
			    const struct vc_alg_info *alg,
			    struct vc_session **out)
{
	int ret;

	switch (alg->kind) {
	case VIRTIO_CRYPTODEV_KIND_CIPHER:
		ret = soft_cipher_new(p, alg, out);
		break;
	case VIRTIO_CRYPTODEV_KIND_AEAD:
		ret = soft_aead_new(p, out);
		break;
	case VIRTIO_CRYPTODEV_KIND_HASH:
	case VIRTIO_CRYPTODEV_KIND_HMAC:
		ret = soft_hash_new(p, alg, out);
		break;
	default:
		ret = -EINVAL;
	}
	if (ret == 0) {
		(*out)->engine = e;
		(*out)->alg = alg;
	}
	return ret;
}

static void soft_session_free(struct vc_session *s)
{
	/* Sessions hold key schedules: wipe them before giving memory back. */
	size_t size;

	switch (s->alg->kind) {
	case VIRTIO_CRYPTODEV_KIND_CIPHER:
		size = ((struct soft_cipher_session *)s)->size;
		break;
	case VIRTIO_CRYPTODEV_KIND_AEAD:
		size = sizeof(struct soft_aead_session);
		break;
	default:
		size = sizeof(struct soft_hash_session);
	}
	explicit_bzero(s, size);
	free(s);
}

/*
 * nettle's cbc_aes*_encrypt have their own assembly (AES-NI keeps the state
 * in registers across blocks): about twice the generic cbc_encrypt.
 */
static void soft_cbc_encrypt(struct soft_cipher_session *cs, size_t block,
			     size_t len, uint8_t *dst, const uint8_t *src)
{
	if (cs->aes == &nettle_aes128)
		cbc_aes128_encrypt(cs->enc, cs->iv, len, dst, src);
	else if (cs->aes == &nettle_aes192)
		cbc_aes192_encrypt(cs->enc, cs->iv, len, dst, src);
	else if (cs->aes == &nettle_aes256)
		cbc_aes256_encrypt(cs->enc, cs->iv, len, dst, src);
	else
		cbc_encrypt(cs->enc, cs->encrypt, block, cs->iv, len, dst, src);
}

static int soft_cipher(struct vc_session *s, int op, const uint8_t *src,
		       uint8_t *dst, size_t len, const uint8_t *iv,
		       uint8_t *iv_out)
{
	struct soft_cipher_session *cs = (struct soft_cipher_session *)s;
	size_t block = s->alg->block_size, ivsize = s->alg->iv_size;

	/* A constant 16 for the usual IV: a variable length made the
	 * compiler emit rep movsq, slow to start, twice per request. */
	if (iv && ivsize == AES_BLOCK_SIZE)
		memcpy(cs->iv, iv, AES_BLOCK_SIZE);
	else if (iv && ivsize)
		memcpy(cs->iv, iv, ivsize);
	switch (s->alg->id) {
	case CRYPTO_NULL:
		if (len && dst != src)
			memmove(dst, src, len);
		break;
	case CRYPTO_AES_CTR:
		/*
		 * nettle moves the counter past a final partial block, so the
		 * next call starts on a fresh counter block: the unused rest
		 * of that keystream block is dropped, as in cryptodev-linux.
		 */
		ctr_crypt(cs->enc, cs->encrypt, AES_BLOCK_SIZE, cs->iv, len,
			  dst, src);
		break;
	case CRYPTO_AES_ECB:
		if (len)
			(op == COP_ENCRYPT ? cs->encrypt : cs->decrypt)(
				op == COP_ENCRYPT ? cs->enc : cs->dec, len,
				dst, src);
		break;
	case CRYPTO_AES_XTS:
		/*
		 * The IV is the tweak of the request's first block and stays
		 * as given: Linux's generic xts leaves the request's IV alone,
		 * so a NULL iv reuses it.  The table's 16-byte block keeps
		 * ciphertext stealing out, as cryptodev-linux does (and
		 * nettle asserts at least one block).
		 */
		if (!len)
			break;
		if (op == COP_ENCRYPT)
			xts_encrypt_message(cs->enc, cs->tweak, cs->encrypt,
					    cs->iv, len, dst, src);
		else
			xts_decrypt_message(cs->dec, cs->tweak, cs->decrypt,
					    cs->encrypt, cs->iv, len, dst, src);
		break;
	default:
		/* The CBC modes: AES, Camellia, DES, 3DES, Blowfish. */
		if (op == COP_ENCRYPT)
			soft_cbc_encrypt(cs, block, len, dst, src);
		else
			cbc_decrypt(cs->dec, cs->decrypt, block, cs->iv, len,
				    dst, src);
		break;
	}
	if (iv_out && ivsize == AES_BLOCK_SIZE)
		memcpy(iv_out, cs->iv, AES_BLOCK_SIZE);
	else if (iv_out && ivsize)
		memcpy(iv_out, cs->iv, ivsize);
	return 0;
}

static int soft_hash(struct vc_session *s, const uint8_t *src, size_t len,
		     unsigned flags, uint8_t *digest)
{
	struct soft_hash_session *hs = (struct soft_hash_session *)s;
	const struct nettle_hash *hash = hs->hash;

	if (flags & COP_FLAG_RESET) {
		if (hs->hmac)
			memcpy(&hs->state, &hs->inner, hash->context_size);
		else
			hash->init(&hs->state);
	}
	if (len)
		hash->update(&hs->state, len, src);
	if ((flags & COP_FLAG_UPDATE) && !(flags & COP_FLAG_FINAL))
		return 0;
	/* Both digest functions leave the state ready for a new message. */
	if (hs->hmac)
		hmac_digest(&hs->outer, &hs->inner, &hs->state, hash,
			    hash->digest_size, digest);
	else
		hash->digest(&hs->state, hash->digest_size, digest);
	return 0;
}

/*
 * Only the running state moves: an HMAC destination keeps its own keyed
 * starting points, so it finishes with its own outer key -- what Linux's
 * hmac export/import (and so cryptodev-linux's CIOCCPHASH) gives.
 */
static int soft_hash_copy(struct vc_session *dst, struct vc_session *src)
{
	struct soft_hash_session *d = (struct soft_hash_session *)dst;
	const struct soft_hash_session *s = (struct soft_hash_session *)src;

	memcpy(&d->state, &s->state, s->hash->context_size);
	return 0;
}

static void soft_gcm_start(struct soft_aead_session *as, const uint8_t *iv,
			   size_t ivlen, const uint8_t *aad, size_t aadlen)
{
	switch (as->keylen) {
	case 16:
		gcm_aes128_set_iv(&as->gcm.g128, ivlen, iv);
		if (aadlen)
			gcm_aes128_update(&as->gcm.g128, aadlen, aad);
		break;
	case 24:
		gcm_aes192_set_iv(&as->gcm.g192, ivlen, iv);
		if (aadlen)
			gcm_aes192_update(&as->gcm.g192, aadlen, aad);
		break;
	default:
		gcm_aes256_set_iv(&as->gcm.g256, ivlen, iv);
		if (aadlen)
			gcm_aes256_update(&as->gcm.g256, aadlen, aad);
		break;
	}
}

static void soft_gcm_crypt(struct soft_aead_session *as, int op,
			   const uint8_t *src, size_t len, uint8_t *dst)
{
	if (!len)
		return;
	switch (as->keylen) {
	case 16:
		if (op == COP_ENCRYPT)
			gcm_aes128_encrypt(&as->gcm.g128, len, dst, src);
		else
			gcm_aes128_decrypt(&as->gcm.g128, len, dst, src);
		break;
	case 24:
		if (op == COP_ENCRYPT)
			gcm_aes192_encrypt(&as->gcm.g192, len, dst, src);
		else
			gcm_aes192_decrypt(&as->gcm.g192, len, dst, src);
		break;
	default:
		if (op == COP_ENCRYPT)
			gcm_aes256_encrypt(&as->gcm.g256, len, dst, src);
		else
			gcm_aes256_decrypt(&as->gcm.g256, len, dst, src);
		break;
	}
}

static void soft_gcm_tag(struct soft_aead_session *as, size_t taglen,
			 uint8_t *tag)
{
	switch (as->keylen) {
	case 16:
		gcm_aes128_digest(&as->gcm.g128, taglen, tag);
		break;
	case 24:
		gcm_aes192_digest(&as->gcm.g192, taglen, tag);
		break;
	default:
		gcm_aes256_digest(&as->gcm.g256, taglen, tag);
		break;
	}
}

static int soft_aead(struct vc_session *s, int op, const uint8_t *iv,
		     size_t ivlen, const uint8_t *aad, size_t aadlen,
		     const uint8_t *src, size_t len, uint8_t *dst,
		     size_t taglen, size_t *outlen)
{
	struct soft_aead_session *as = (struct soft_aead_session *)s;
	uint8_t tag[VC_AEAD_MAX_TAG];
	size_t textlen;

	soft_gcm_start(as, iv, ivlen, aad, aadlen);
	if (op == COP_ENCRYPT) {
		soft_gcm_crypt(as, op, src, len, dst);
		soft_gcm_tag(as, taglen, dst + len);
		*outlen = len + taglen;
		return 0;
	}
	/*
	 * GHASH runs over the ciphertext as it is decrypted, so in place works;
	 * the received tag sits after the ciphertext and is never overwritten.
	 */
	textlen = len - taglen;
	soft_gcm_crypt(as, op, src, textlen, dst);
	soft_gcm_tag(as, taglen, tag);
	if (!memeql_sec(tag, src + textlen, taglen)) {
		/* Never hand out plaintext that failed authentication. */
		if (textlen)
			explicit_bzero(dst, textlen);
		*outlen = 0;
		return -EBADMSG;
	}
	*outlen = textlen;
	return 0;
}

static void soft_close(struct vc_engine *e)
{
	free(e);
}

static const struct vc_engine_ops soft_ops = {
	.kind = VC_ENGINE_SOFT,
	.close = soft_close,
	.session_new = soft_session_new,
	.session_free = soft_session_free,
	.cipher = soft_cipher,
	.hash = soft_hash,
	.hash_copy = soft_hash_copy,
	.aead = soft_aead,
};

int vc_soft_engine_new(struct vc_engine **out)
{
	struct vc_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->ops = &soft_ops;
	snprintf(e->name, sizeof(e->name), "soft (nettle %d.%d)",
		 nettle_version_major(), nettle_version_minor());
	*out = e;
	return 0;
}
