// SPDX-License-Identifier: GPL-2.0-or-later
/* nettle references for the in-guest tests; see cdev_ref.h. */
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/ctr.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include <crypto/cryptodev.h>

#include "cdev_ref.h"

static const struct nettle_cipher *ref_aes(size_t keylen)
{
	switch (keylen) {
	case 16: return &nettle_aes128;
	case 24: return &nettle_aes192;
	case 32: return &nettle_aes256;
	default: return NULL;
	}
}

int ref_cipher(uint32_t alg, int decrypt, const uint8_t *key, size_t keylen,
	       uint8_t *iv, const uint8_t *src, uint8_t *dst, size_t len)
{
	const struct nettle_cipher *c = ref_aes(keylen);
	union {
		struct aes128_ctx a128;
		struct aes192_ctx a192;
		struct aes256_ctx a256;
	} ctx;
	size_t i;

	if (!c)
		return -1;
	/* CTR and encryption use the encryption key schedule */
	if (decrypt && alg != CRYPTO_AES_CTR)
		c->set_decrypt_key(&ctx, key);
	else
		c->set_encrypt_key(&ctx, key);

	switch (alg) {
	case CRYPTO_AES_ECB:
		for (i = 0; i < len; i += 16)
			(decrypt ? c->decrypt : c->encrypt)(&ctx, 16, dst + i,
							    src + i);
		return 0;
	case CRYPTO_AES_CBC:
		if (decrypt)
			cbc_decrypt(&ctx, c->decrypt, 16, iv, len, dst, src);
		else
			cbc_encrypt(&ctx, c->encrypt, 16, iv, len, dst, src);
		return 0;
	case CRYPTO_AES_CTR:
		ctr_crypt(&ctx, c->encrypt, 16, iv, len, dst, src);
		return 0;
	default:
		return -1;
	}
}

static const struct nettle_hash *ref_hash_alg(uint32_t alg, int *hmac)
{
	*hmac = 1;
	switch (alg) {
	case CRYPTO_MD5_HMAC: return &nettle_md5;
	case CRYPTO_SHA1_HMAC: return &nettle_sha1;
	case CRYPTO_SHA2_224_HMAC: return &nettle_sha224;
	case CRYPTO_SHA2_256_HMAC: return &nettle_sha256;
	case CRYPTO_SHA2_384_HMAC: return &nettle_sha384;
	case CRYPTO_SHA2_512_HMAC: return &nettle_sha512;
	}
	*hmac = 0;
	switch (alg) {
	case CRYPTO_MD5: return &nettle_md5;
	case CRYPTO_SHA1: return &nettle_sha1;
	case CRYPTO_SHA2_224: return &nettle_sha224;
	case CRYPTO_SHA2_256: return &nettle_sha256;
	case CRYPTO_SHA2_384: return &nettle_sha384;
	case CRYPTO_SHA2_512: return &nettle_sha512;
	}
	return NULL;
}

int ref_hash(uint32_t alg, const uint8_t *key, size_t keylen,
	     const uint8_t *msg, size_t len, uint8_t *digest)
{
	/* big enough for any nettle hash context */
	union {
		struct sha512_ctx s512;
		struct sha256_ctx s256;
		struct sha1_ctx s1;
		struct md5_ctx m5;
	} outer, inner, state;
	const struct nettle_hash *h;
	int hmac;

	h = ref_hash_alg(alg, &hmac);
	if (!h)
		return -1;
	if (hmac) {
		hmac_set_key(&outer, &inner, &state, h, keylen, key);
		hmac_update(&state, h, len, msg);
		hmac_digest(&outer, &inner, &state, h, h->digest_size, digest);
	} else {
		h->init(&state);
		h->update(&state, len, msg);
		h->digest(&state, h->digest_size, digest);
	}
	return (int)h->digest_size;
}

void ref_gcm_encrypt(const uint8_t *key, size_t keylen, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len, const uint8_t *src,
		     size_t len, uint8_t *dst)
{
	struct gcm_key gkey;
	struct gcm_ctx gctx;
	union {
		struct aes128_ctx a128;
		struct aes192_ctx a192;
		struct aes256_ctx a256;
	} ctx;
	const struct nettle_cipher *c = ref_aes(keylen);

	c->set_encrypt_key(&ctx, key);
	gcm_set_key(&gkey, &ctx, c->encrypt);
	gcm_set_iv(&gctx, &gkey, GCM_IV_SIZE, iv);
	gcm_update(&gctx, &gkey, aad_len, aad);
	gcm_encrypt(&gctx, &gkey, &ctx, c->encrypt, len, dst, src);
	gcm_digest(&gctx, &gkey, &ctx, c->encrypt, GCM_DIGEST_SIZE, dst + len);
}

/* HMAC of a || b || c, the pieces of a record or packet. */
static int ref_hmac3(uint32_t alg, const uint8_t *key, size_t keylen,
		     const uint8_t *a, size_t alen, const uint8_t *b,
		     size_t blen, const uint8_t *c, size_t clen,
		     uint8_t *digest)
{
	uint8_t msg[4096];

	if (alen + blen + clen > sizeof(msg))
		return -1;
	if (alen)
		memcpy(msg, a, alen);
	if (blen)
		memcpy(msg + alen, b, blen);
	if (clen)
		memcpy(msg + alen + blen, c, clen);
	return ref_hash(alg, key, keylen, msg, alen + blen + clen, digest);
}

size_t ref_tls_record(const struct ref_tls *t, const uint8_t *pt, size_t len,
		      uint8_t *out)
{
	uint8_t md[64], iv[16];
	size_t pad, total, i;

	if (ref_hmac3(t->mac, t->mackey, t->mackeylen, t->hdr, t->hdrlen, pt,
		      len, NULL, 0, md) < 0)
		return 0;
	/* RFC 5246 6.2.3.2: padding_length + 1 bytes, each padding_length */
	pad = 16 - (len + t->taglen) % 16;
	total = len + t->taglen + pad;
	memcpy(out, pt, len);
	memcpy(out + len, md, t->taglen);
	if (t->fault == REF_TLS_BAD_MAC)
		out[len] ^= 0x01;
	for (i = 0; i < pad; i++)
		out[len + t->taglen + i] = (uint8_t)(pad - 1);
	if (t->fault == REF_TLS_BAD_PAD && pad > 1)
		out[total - 2] ^= 0x80;
	if (t->fault == REF_TLS_PAD_TOO_LONG)
		out[total - 1] = 0xff;
	memcpy(iv, t->iv, 16);
	if (ref_cipher(CRYPTO_AES_CBC, 0, t->key, t->keylen, iv, out, out,
		       total) < 0)
		return 0;
	return total;
}

int ref_srtp_tag(uint32_t mac, const uint8_t *mackey, size_t mackeylen,
		 const uint8_t *region, size_t len, uint8_t *tag,
		 size_t taglen)
{
	uint8_t md[64];

	if (ref_hash(mac, mackey, mackeylen, region, len, md) < 0)
		return -1;
	memcpy(tag, md, taglen);
	return 0;
}
