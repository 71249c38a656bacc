/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crypto library against the standards' known answers, and its
 * behaviour (IV chaining, in place, hash update/final/reset, refusals).
 *
 * Every engine case runs against the soft engine, and against the cryptodev
 * engine on:
 *   --device PATH  or  VC_TEST_DEVICE=PATH   that device; it must work
 *   otherwise                                the first default device that
 *                                            opens, else skipped with a reason
 * No data files: this program also runs inside the guest against
 * /dev/cryptodev0.
 *
 * The standards' vectors are those of tests/kat/kat_vectors.h (NIST SP
 * 800-38A, the GCM specification, FIPS 180-2, RFC 1321, the RIPEMD-160
 * paper, RFC 4231, RFC 2202 and RFC 2286); the
 * PBKDF2 ones (RFC 7914 section 11) only this test uses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_ref.h"
#include "engine.h"
#include "kat_hex.h"
#include "kat_vectors.h"
#include "vcrypto.h"

/* The engine the current group runs against. */
static struct vc_engine *engine;
static const char *cryptodev_path;

/* Helpers */

/* Vectors are typed as in the documents; a typing error fails the test. */
static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = kat_unhex(s, out, max);

	assert_true(n != KAT_HEX_BAD);
	return n;
}

/* A session of the current engine; the test fails if there is none. */
static struct vc_session *must_session(const struct vc_session_params *p)
{
	struct vc_session *s = NULL;

	assert_int_equal(vc_session_new(engine, p, &s), 0);
	assert_non_null(s);
	return s;
}

static struct vc_session *new_cipher(uint32_t alg, const uint8_t *key,
				     size_t keylen)
{
	struct vc_session_params p = {
		.cipher = alg, .key = key, .keylen = keylen,
	};

	return must_session(&p);
}

static struct vc_session *new_hash(uint32_t alg, const uint8_t *key,
				   size_t keylen)
{
	struct vc_session_params p = {
		.mac = alg, .mackey = key, .mackeylen = keylen,
	};

	return must_session(&p);
}

static const uint8_t key128[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static void fill_pattern(uint8_t *buf, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

/* NIST SP 800-38A appendix F: ECB (F.1), CBC (F.2), CTR (F.5) */

static void run_cipher_kats(uint32_t alg)
{
	size_t i;

	for (i = 0; i < sizeof(kat_ciphers) / sizeof(kat_ciphers[0]); i++) {
		const struct kat_cipher *k = &kat_ciphers[i];
		uint8_t key[32], iv[16], pt[64], ct[64], out[64];
		size_t keylen, ptlen, ctlen;
		struct vc_session *s;

		if (k->alg != alg)
			continue;
		keylen = unhex(k->key, key, sizeof(key));
		ptlen = unhex(KAT_SP800_38A_PT, pt, sizeof(pt));
		ctlen = unhex(k->ct, ct, sizeof(ct));
		assert_int_equal(ptlen, ctlen);
		if (k->iv)
			assert_int_equal(unhex(k->iv, iv, sizeof(iv)), 16);
		s = new_cipher(alg, key, keylen);

		memset(out, 0, sizeof(out));
		assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, out, ptlen,
					   k->iv ? iv : NULL, NULL), 0);
		if (memcmp(out, ct, ctlen))
			fail_msg("%s encrypt differs", k->name);

		memset(out, 0, sizeof(out));
		assert_int_equal(vc_cipher(s, COP_DECRYPT, ct, out, ctlen,
					   k->iv ? iv : NULL, NULL), 0);
		if (memcmp(out, pt, ptlen))
			fail_msg("%s decrypt differs", k->name);
		vc_session_free(s);
	}
}

/* The list passes the algorithm (see TEST_WITH). */
static void cipher_matches_sp800_38a(void **state)
{
	run_cipher_kats((uint32_t)(uintptr_t)*state);
}

/*
 * The other ciphers against their documents (tests/kat/kat_vectors.h's
 * kat_cipher_docs): IEEE 1619 and CAVP (XTS), RFC 3713 (Camellia), FIPS 81
 * and SP 800-20 (DES), SP 800-67 (3DES), Schneier's vectors (Blowfish).
 */
static void cipher_doc_pass(struct vc_session *s, const struct kat_cipher_doc *k,
			    int op, const uint8_t *in, uint8_t *out, size_t len)
{
	static const uint8_t zero_iv[16];
	size_t block = vc_alg_block_size(k->alg), off;
	uint8_t iv[16];

	if (!k->ecb_blocks) {
		assert_int_equal(unhex(k->iv, iv, sizeof(iv)),
				 vc_alg_iv_size(k->alg));
		assert_int_equal(vc_cipher(s, op, in, out, len, iv, NULL), 0);
		return;
	}
	for (off = 0; off < len; off += block)
		assert_int_equal(vc_cipher(s, op, in + off, out + off, block,
					   zero_iv, NULL), 0);
}

static void run_cipher_docs(uint32_t alg)
{
	size_t i, ran = 0;

	for (i = 0; i < sizeof(kat_cipher_docs) / sizeof(kat_cipher_docs[0]);
	     i++) {
		const struct kat_cipher_doc *k = &kat_cipher_docs[i];
		uint8_t key[64], pt[64], ct[64], out[64];
		size_t keylen, len;
		struct vc_session *s;

		if (k->alg != alg)
			continue;
		keylen = unhex(k->key, key, sizeof(key));
		len = unhex(k->pt, pt, sizeof(pt));
		assert_int_equal(unhex(k->ct, ct, sizeof(ct)), len);
		s = new_cipher(alg, key, keylen);
		memset(out, 0, sizeof(out));
		cipher_doc_pass(s, k, COP_ENCRYPT, pt, out, len);
		if (memcmp(out, ct, len))
			fail_msg("%s encrypt differs", k->name);
		memset(out, 0, sizeof(out));
		cipher_doc_pass(s, k, COP_DECRYPT, ct, out, len);
		if (memcmp(out, pt, len))
			fail_msg("%s decrypt differs", k->name);
		vc_session_free(s);
		ran++;
	}
	assert_true(ran > 0);
}

/* The list passes the algorithm (see TEST_WITH). */
static void cipher_matches_its_standard(void **state)
{
	run_cipher_docs((uint32_t)(uintptr_t)*state);
}

/* GCM: McGrew & Viega, "The Galois/Counter Mode of Operation", appendix B */

static void run_gcm_kat(const struct kat_gcm *k)
{
	uint8_t key[32], iv[64], aad[32], pt[64], ct[64], tag[16];
	uint8_t out[80];
	size_t keylen, ivlen, aadlen, ptlen, ctlen, taglen, outlen;
	struct vc_session *s;

	keylen = unhex(k->key, key, sizeof(key));
	ivlen = unhex(k->iv, iv, sizeof(iv));
	aadlen = unhex(k->aad, aad, sizeof(aad));
	ptlen = unhex(k->pt, pt, sizeof(pt));
	ctlen = unhex(k->ct, ct, sizeof(ct));
	taglen = unhex(k->tag, tag, sizeof(tag));
	assert_int_equal(ptlen, ctlen);
	assert_int_equal(taglen, 16);
	s = new_cipher(CRYPTO_AES_GCM, key, keylen);

	memset(out, 0, sizeof(out));
	assert_int_equal(vc_aead(s, COP_ENCRYPT, iv, ivlen, aad, aadlen, pt,
				 ptlen, out, 0, &outlen), 0);
	assert_int_equal(outlen, ptlen + 16);
	if (memcmp(out, ct, ctlen))
		fail_msg("%s ciphertext differs", k->name);
	if (memcmp(out + ctlen, tag, 16))
		fail_msg("%s tag differs", k->name);

	/* Decrypt the document's ciphertext and tag, not our own output. */
	memcpy(out, ct, ctlen);
	memcpy(out + ctlen, tag, 16);
	assert_int_equal(vc_aead(s, COP_DECRYPT, iv, ivlen, aad, aadlen, out,
				 ctlen + 16, out, 0, &outlen), 0);
	assert_int_equal(outlen, ptlen);
	if (memcmp(out, pt, ptlen))
		fail_msg("%s decrypt differs", k->name);
	vc_session_free(s);
}

static void gcm_matches_gcm_spec_vectors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(kat_gcms) / sizeof(kat_gcms[0]); i++)
		run_gcm_kat(&kat_gcms[i]);
}

static void gcm_nonce_not_96_bits_matches_spec_or_is_refused(void **state)
{
	size_t i;

	/*
	 * cryptodev-linux uses only 12 nonce bytes, so the cryptodev engine
	 * refuses other lengths rather than compute a different answer.
	 */
	if (vc_engine_kind(engine) != VC_ENGINE_SOFT) {
		const struct kat_gcm *k = &kat_gcm_odd_nonces[1];
		uint8_t key[16], iv[64], pt[64], out[80];
		size_t ivlen, ptlen, outlen;
		struct vc_session *s;

		unhex(k->key, key, sizeof(key));
		ivlen = unhex(k->iv, iv, sizeof(iv));
		ptlen = unhex(k->pt, pt, sizeof(pt));
		s = new_cipher(CRYPTO_AES_GCM, key, sizeof(key));
		assert_int_equal(vc_aead(s, COP_ENCRYPT, iv, ivlen, NULL, 0,
					 pt, ptlen, out, 0, &outlen), -EINVAL);
		vc_session_free(s);
		return;
	}
	for (i = 0; i < sizeof(kat_gcm_odd_nonces) /
	     sizeof(kat_gcm_odd_nonces[0]); i++)
		run_gcm_kat(&kat_gcm_odd_nonces[i]);
}

/*
 * Plain hashes: FIPS 180-2 appendices A-D (the one-block and the
 * multi-block example), RFC 1321 A.5 (MD5), the RIPEMD-160 paper's values.
 */
static void run_hash_kats(const struct kat_digest *kats, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct kat_digest *k = &kats[i];
		uint8_t want[64], got[64];
		size_t mdlen = unhex(k->digest, want, sizeof(want));
		struct vc_session *s = new_hash(k->alg, NULL, 0);

		assert_int_equal(mdlen, vc_alg_digest_size(k->alg));
		memset(got, 0, sizeof(got));
		assert_int_equal(vc_hash(s, (const uint8_t *)k->msg,
					 strlen(k->msg), 0, got), 0);
		if (memcmp(got, want, mdlen))
			fail_msg("%s differs", k->name);
		vc_session_free(s);
	}
}

/* RFC 4231 section 4 (HMAC-SHA2), RFC 2202 (HMAC-MD5, -SHA1), RFC 2286 */

static void run_hmac_kats(const struct kat_digest *kats, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct kat_digest *k = &kats[i];
		uint8_t key[131], data[160], want[64], got[64];
		size_t keylen, datalen, maclen;
		struct vc_session *s;

		if (k->key) {
			keylen = unhex(k->key, key, sizeof(key));
		} else {
			assert_true(k->key_rep <= sizeof(key));
			keylen = k->key_rep;
			memset(key, k->key_byte, keylen);
		}
		if (k->msg) {
			datalen = strlen(k->msg);
			assert_true(datalen <= sizeof(data));
			memcpy(data, k->msg, datalen);
		} else {
			datalen = k->msg_rep;
			memset(data, k->msg_byte, datalen);
		}
		maclen = unhex(k->digest, want, sizeof(want));
		assert_int_equal(maclen, vc_alg_digest_size(k->alg));

		s = new_hash(k->alg, key, keylen);
		memset(got, 0, sizeof(got));
		assert_int_equal(vc_hash(s, data, datalen, 0, got), 0);
		if (memcmp(got, want, maclen))
			fail_msg("%s %s differs", vc_alg_name(k->alg), k->name);
		vc_session_free(s);
	}
}

static const struct digest_kat_set {
	const struct kat_digest *kats;
	size_t n;
} rfc4231_set = {
	kat_hmacs_rfc4231, sizeof(kat_hmacs_rfc4231) / sizeof(kat_hmacs_rfc4231[0])
}, rfc2202_set = {
	kat_hmacs_rfc2202, sizeof(kat_hmacs_rfc2202) / sizeof(kat_hmacs_rfc2202[0])
}, rfc2286_set = {
	kat_hmacs_rfc2286, sizeof(kat_hmacs_rfc2286) / sizeof(kat_hmacs_rfc2286[0])
}, fips180_set = {
	kat_hashes, sizeof(kat_hashes) / sizeof(kat_hashes[0])
}, rfc1321_set = {
	kat_hashes_rfc1321,
	sizeof(kat_hashes_rfc1321) / sizeof(kat_hashes_rfc1321[0])
}, ripemd160_set = {
	kat_hashes_ripemd160,
	sizeof(kat_hashes_ripemd160) / sizeof(kat_hashes_ripemd160[0])
};

/* The list passes the set of vectors (see TEST_WITH). */
static void hmac_matches_rfc(void **state)
{
	const struct digest_kat_set *set = *state;

	run_hmac_kats(set->kats, set->n);
}

static void hash_matches_published_values(void **state)
{
	const struct digest_kat_set *set = *state;

	run_hash_kats(set->kats, set->n);
}

/* Engine behaviour */

static void chained_halves_equal_one_shot(uint32_t alg, int op)
{
	uint8_t iv[16], pt[256], one[256], two[256];
	struct vc_session *s = new_cipher(alg, key128, sizeof(key128));

	fill_pattern(iv, sizeof(iv), 0x40);
	fill_pattern(pt, sizeof(pt), 0x11);
	assert_int_equal(vc_cipher(s, op, pt, one, sizeof(pt), iv, NULL), 0);
	assert_int_equal(vc_cipher(s, op, pt, two, 96, iv, NULL), 0);
	assert_int_equal(vc_cipher(s, op, pt + 96, two + 96, sizeof(pt) - 96,
				   NULL, NULL), 0);
	assert_memory_equal(one, two, sizeof(one));
	vc_session_free(s);
}

static void cipher_chaining_with_null_iv_equals_one_shot(void **state)
{
	chained_halves_equal_one_shot(CRYPTO_AES_CBC, COP_ENCRYPT);
	chained_halves_equal_one_shot(CRYPTO_AES_CBC, COP_DECRYPT);
	chained_halves_equal_one_shot(CRYPTO_AES_CTR, COP_ENCRYPT);
}

static void cbc_iv_out_is_last_ciphertext_block(void **state)
{
	uint8_t iv[16], pt[64], ct[64], out[64], next[16];
	struct vc_session *s = new_cipher(CRYPTO_AES_CBC, key128,
					  sizeof(key128));

	fill_pattern(iv, sizeof(iv), 0x40);
	fill_pattern(pt, sizeof(pt), 0x11);
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, ct, sizeof(pt), iv,
				   next), 0);
	assert_memory_equal(next, ct + 48, 16);
	/* Decrypt leaves the last input (ciphertext) block as the IV too. */
	memset(next, 0, sizeof(next));
	assert_int_equal(vc_cipher(s, COP_DECRYPT, ct, out, sizeof(ct), iv,
				   next), 0);
	assert_memory_equal(out, pt, sizeof(pt));
	assert_memory_equal(next, ct + 48, 16);
	vc_session_free(s);
}

static void ctr_iv_out_is_next_counter(void **state)
{
	uint8_t ctr[16], want[16], buf[64], next[16];
	struct vc_session *s = new_cipher(CRYPTO_AES_CTR, key128,
					  sizeof(key128));

	/* Four blocks from ...fffe carry into the upper bytes. */
	unhex("00000000000000000000fffffffffffe", ctr, sizeof(ctr));
	unhex("00000000000000000001000000000002", want, sizeof(want));
	memset(buf, 0, sizeof(buf));
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, buf, buf, sizeof(buf), ctr,
				   next), 0);
	assert_memory_equal(next, want, 16);
	vc_session_free(s);
}

static void ctr_partial_block_next_call_starts_fresh_block(void **state)
{
	uint8_t ctr[16], zero[64], stream[64], part[32];
	struct vc_session *s = new_cipher(CRYPTO_AES_CTR, key128,
					  sizeof(key128));

	fill_pattern(ctr, sizeof(ctr), 0x70);
	memset(zero, 0, sizeof(zero));
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, zero, stream, 64, ctr,
				   NULL), 0);
	/* 20 bytes use blocks 0 and 1; the next call begins at block 2. */
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, zero, part, 20, ctr,
				   NULL), 0);
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, zero, part + 20, 12, NULL,
				   NULL), 0);
	assert_memory_equal(part, stream, 20);
	assert_memory_equal(part + 20, stream + 32, 12);
	vc_session_free(s);
}

static void zero_length_call_sets_the_iv(void **state)
{
	static const uint32_t algs[] = { CRYPTO_AES_CBC, CRYPTO_AES_CTR };
	uint8_t iv[16], pt[48], one[48], two[48], next[16];
	size_t i;

	fill_pattern(iv, sizeof(iv), 0x5a);
	fill_pattern(pt, sizeof(pt), 0x01);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		struct vc_session *s = new_cipher(algs[i], key128, 16);

		assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, one, sizeof(pt),
					   iv, NULL), 0);
		memset(next, 0, sizeof(next));
		assert_int_equal(vc_cipher(s, COP_ENCRYPT, NULL, NULL, 0, iv,
					   next), 0);
		assert_memory_equal(next, iv, 16);
		assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, two, sizeof(pt),
					   NULL, NULL), 0);
		assert_memory_equal(one, two, sizeof(one));
		vc_session_free(s);
	}
}

static void in_place_matches_separate_buffers(void **state)
{
	static const uint32_t algs[] = {
		CRYPTO_AES_CBC, CRYPTO_AES_CTR, CRYPTO_AES_ECB,
	};
	uint8_t iv[16], pt[4096], sep[4096], buf[4096];
	size_t i;
	int op;

	fill_pattern(iv, sizeof(iv), 0x40);
	fill_pattern(pt, sizeof(pt), 0x23);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		struct vc_session *s = new_cipher(algs[i], key128,
						  sizeof(key128));

		for (op = COP_ENCRYPT; op <= COP_DECRYPT; op++) {
			memcpy(buf, pt, sizeof(pt));
			assert_int_equal(vc_cipher(s, op, pt, sep, sizeof(pt),
						   iv, NULL), 0);
			assert_int_equal(vc_cipher(s, op, buf, buf, sizeof(buf),
						   iv, NULL), 0);
			assert_memory_equal(sep, buf, sizeof(buf));
		}
		vc_session_free(s);
	}
}

static void gcm_in_place_round_trip(void **state)
{
	uint8_t nonce[12], aad[20], pt[1000], sep[1016], buf[1016];
	struct vc_session *s = new_cipher(CRYPTO_AES_GCM, key128,
					  sizeof(key128));
	size_t outlen;

	fill_pattern(nonce, sizeof(nonce), 1);
	fill_pattern(aad, sizeof(aad), 2);
	fill_pattern(pt, sizeof(pt), 3);
	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, aad, sizeof(aad),
				 pt, sizeof(pt), sep, 0, &outlen), 0);
	memcpy(buf, pt, sizeof(pt));
	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, aad, sizeof(aad),
				 buf, sizeof(pt), buf, 0, &outlen), 0);
	assert_int_equal(outlen, sizeof(sep));
	assert_memory_equal(sep, buf, sizeof(sep));
	assert_int_equal(vc_aead(s, COP_DECRYPT, nonce, 12, aad, sizeof(aad),
				 buf, sizeof(buf), buf, 0, &outlen), 0);
	assert_int_equal(outlen, sizeof(pt));
	assert_memory_equal(buf, pt, sizeof(pt));
	vc_session_free(s);
}

static void gcm_short_tag_round_trip(void **state)
{
	uint8_t nonce[12], pt[48], full[64], out[64];
	struct vc_session *s = new_cipher(CRYPTO_AES_GCM, key128,
					  sizeof(key128));
	size_t outlen;

	fill_pattern(nonce, sizeof(nonce), 1);
	fill_pattern(pt, sizeof(pt), 3);
	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, NULL, 0, pt,
				 sizeof(pt), full, 16, &outlen), 0);
	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, NULL, 0, pt,
				 sizeof(pt), out, 12, &outlen), 0);
	assert_int_equal(outlen, sizeof(pt) + 12);
	/* A shorter tag is the leading bytes of the full one. */
	assert_memory_equal(out, full, sizeof(pt) + 12);
	assert_int_equal(vc_aead(s, COP_DECRYPT, nonce, 12, NULL, 0, out,
				 sizeof(pt) + 12, out, 12, &outlen), 0);
	assert_int_equal(outlen, sizeof(pt));
	assert_memory_equal(out, pt, sizeof(pt));
	vc_session_free(s);
}

enum gcm_tamper { TAMPER_TAG, TAMPER_AAD, TAMPER_CIPHERTEXT };

static void gcm_refuses(enum gcm_tamper what)
{
	uint8_t nonce[12], aad[16], pt[64], ct[80], out[64];
	struct vc_session *s = new_cipher(CRYPTO_AES_GCM, key128,
					  sizeof(key128));
	size_t outlen, i;

	fill_pattern(nonce, sizeof(nonce), 1);
	fill_pattern(aad, sizeof(aad), 2);
	fill_pattern(pt, sizeof(pt), 3);
	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, aad, sizeof(aad),
				 pt, sizeof(pt), ct, 0, &outlen), 0);
	switch (what) {
	case TAMPER_TAG:
		ct[79] ^= 0x01;
		break;
	case TAMPER_AAD:
		aad[0] ^= 0x80;
		break;
	case TAMPER_CIPHERTEXT:
		ct[10] ^= 0x04;
		break;
	}
	memset(out, 0xa5, sizeof(out));
	assert_int_equal(vc_aead(s, COP_DECRYPT, nonce, 12, aad, sizeof(aad),
				 ct, sizeof(ct), out, 0, &outlen), -EBADMSG);
	/* Nothing of the forged plaintext may be left in the output. */
	for (i = 0; i < sizeof(out); i++)
		if (out[i] != 0)
			fail_msg("output byte %zu not cleared", i);
	vc_session_free(s);
}

/* The list passes what to tamper with (see TEST_WITH). */
static void gcm_rejects_tampering(void **state)
{
	gcm_refuses((enum gcm_tamper)(uintptr_t)*state);
}

static void gcm_rejects_bad_tag_and_nonce_sizes(void **state)
{
	uint8_t nonce[12] = { 0 }, buf[64] = { 0 }, out[96];
	struct vc_session *s = new_cipher(CRYPTO_AES_GCM, key128,
					  sizeof(key128));
	size_t outlen;

	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, NULL, 0, buf, 32,
				 out, 17, &outlen), -EINVAL);
	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 0, NULL, 0, buf, 32,
				 out, 0, &outlen), -EINVAL);
	assert_int_equal(vc_aead(s, COP_ENCRYPT, NULL, 12, NULL, 0, buf, 32,
				 out, 0, &outlen), -EINVAL);
	/* A decrypt input shorter than its tag cannot be a message. */
	assert_int_equal(vc_aead(s, COP_DECRYPT, nonce, 12, NULL, 0, buf, 15,
				 out, 0, &outlen), -EINVAL);
	vc_session_free(s);
}

/*
 * Only 4, 8 and 12..16 bytes (SP 800-38D): a kernel behind the cryptodev
 * engine must never see another length, and the soft engine refuses alike.
 */
static void gcm_refuses_tag_lengths_outside_sp800_38d(void **state)
{
	uint8_t nonce[12] = { 0 }, pt[32] = { 0 }, full[48], out[64];
	struct vc_session *s = new_cipher(CRYPTO_AES_GCM, key128,
					  sizeof(key128));
	size_t taglen, outlen;

	assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, NULL, 0, pt,
				 sizeof(pt), full, 16, &outlen), 0);
	for (taglen = 1; taglen <= 20; taglen++) {
		int allowed = taglen == 4 || taglen == 8 ||
			      (taglen >= 12 && taglen <= 16);
		int want = allowed ? 0 : -EINVAL;

		assert_int_equal(vc_aead_tag_len_ok(CRYPTO_AES_GCM, taglen),
				 allowed);
		assert_int_equal(vc_aead(s, COP_ENCRYPT, nonce, 12, NULL, 0,
					 pt, sizeof(pt), out, taglen, &outlen),
				 want);
		/* Decrypting with a refused length is refused before any work. */
		memcpy(out, full, sizeof(pt) + (taglen < 16 ? taglen : 16));
		assert_int_equal(vc_aead(s, COP_DECRYPT, nonce, 12, NULL, 0,
					 out, sizeof(pt) + (taglen < 16 ? taglen : 16),
					 out, taglen, &outlen),
				 taglen > 16 ? -EINVAL : want);
	}
	assert_false(vc_aead_tag_len_ok(CRYPTO_AES_CBC, 16));
	vc_session_free(s);
}

/*
 * "ecb(cipher_null)": block 1, no IV, any key up to cryptodev-linux's
 * 64 bytes (none at all too); the output is the input, in place or not.
 */
static void null_cipher_output_is_its_input(void **state)
{
	static const size_t keylens[] = { 0, 1, 16, CRYPTO_CIPHER_MAX_KEY_LEN };
	uint8_t key[CRYPTO_CIPHER_MAX_KEY_LEN + 1], pt[37], out[37];
	struct vc_session_params p = { .cipher = CRYPTO_NULL, .key = key };
	struct vc_session *s = NULL;
	size_t i;

	fill_pattern(key, sizeof(key), 3);
	fill_pattern(pt, sizeof(pt), 0x21);
	assert_int_equal(vc_alg_block_size(CRYPTO_NULL), 1);
	assert_int_equal(vc_alg_iv_size(CRYPTO_NULL), 0);
	for (i = 0; i < sizeof(keylens) / sizeof(keylens[0]); i++) {
		p.keylen = keylens[i];
		p.key = keylens[i] ? key : NULL;
		s = must_session(&p);
		memset(out, 0, sizeof(out));
		assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, out, sizeof(pt),
					   NULL, NULL), 0);
		assert_memory_equal(out, pt, sizeof(pt));
		assert_int_equal(vc_cipher(s, COP_DECRYPT, out, out, sizeof(out),
					   NULL, NULL), 0);
		assert_memory_equal(out, pt, sizeof(pt));
		vc_session_free(s);
	}
	p.key = key;
	p.keylen = CRYPTO_CIPHER_MAX_KEY_LEN + 1;
	s = NULL;
	assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
	assert_null(s);
}

/*
 * The key lengths Linux's implementations refuse are refused: DES 8 bytes
 * only, 3DES 24, Blowfish 4 to 56, Camellia 16/24/32, XTS two AES keys.
 */
static void rejects_key_lengths_linux_refuses(void **state)
{
	static const struct {
		uint32_t alg;
		size_t keylen;
	} bad[] = {
		{ CRYPTO_DES_CBC, 7 }, { CRYPTO_DES_CBC, 9 },
		{ CRYPTO_DES_CBC, 16 }, { CRYPTO_3DES_CBC, 8 },
		{ CRYPTO_3DES_CBC, 16 }, { CRYPTO_3DES_CBC, 23 },
		{ CRYPTO_BLF_CBC, 0 }, { CRYPTO_BLF_CBC, 3 },
		{ CRYPTO_BLF_CBC, 57 }, { CRYPTO_CAMELLIA_CBC, 8 },
		{ CRYPTO_CAMELLIA_CBC, 20 }, { CRYPTO_CAMELLIA_CBC, 40 },
		{ CRYPTO_AES_XTS, 0 }, { CRYPTO_AES_XTS, 16 },
		{ CRYPTO_AES_XTS, 24 }, { CRYPTO_AES_XTS, 40 },
		{ CRYPTO_AES_XTS, 65 },
	};
	uint8_t key[80];
	struct vc_session *s = NULL;
	size_t i;

	fill_pattern(key, sizeof(key), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vc_session_params p = {
			.cipher = bad[i].alg, .key = key,
			.keylen = bad[i].keylen,
		};

		if (vc_session_new(engine, &p, &s) != -EINVAL)
			fail_msg("%s with a %zu-byte key was not refused",
				 vc_alg_name(bad[i].alg), bad[i].keylen);
		assert_null(s);
	}
	/* and the edges that are right are taken */
	vc_session_free(new_cipher(CRYPTO_BLF_CBC, key, 56));
	vc_session_free(new_cipher(CRYPTO_AES_XTS, key, 48));
	vc_session_free(new_cipher(CRYPTO_CAMELLIA_CBC, key, 24));
}

/* An XTS IV is the tweak: a NULL iv reuses it, and it comes back as given. */
static void xts_null_iv_reuses_the_tweak(void **state)
{
	const struct kat_cipher_doc *k = &kat_cipher_docs[0];
	uint8_t key[32], iv[16], pt[32], ct[32], out[32], next[16];
	struct vc_session *s;

	assert_int_equal(k->alg, CRYPTO_AES_XTS);
	unhex(k->key, key, sizeof(key));
	unhex(k->iv, iv, sizeof(iv));
	unhex(k->pt, pt, sizeof(pt));
	unhex(k->ct, ct, sizeof(ct));
	s = new_cipher(CRYPTO_AES_XTS, key, sizeof(key));
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, out, 32, iv, next), 0);
	assert_memory_equal(out, ct, 32);
	assert_memory_equal(next, iv, 16);
	memset(out, 0, sizeof(out));
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, out, 32, NULL, NULL), 0);
	assert_memory_equal(out, ct, 32);
	assert_int_equal(vc_cipher(s, COP_DECRYPT, ct, out, 32, NULL, NULL), 0);
	assert_memory_equal(out, pt, 32);
	vc_session_free(s);
}

/* FIPS 81's DES-CBC example cut after one block chains like AES-CBC. */
static void des_cbc_chains_from_the_last_ciphertext_block(void **state)
{
	const struct kat_cipher_doc *k = NULL;
	uint8_t key[8], iv[8], pt[24], ct[24], out[24], next[8];
	struct vc_session *s;
	size_t i;

	for (i = 0; i < sizeof(kat_cipher_docs) / sizeof(kat_cipher_docs[0]);
	     i++)
		if (kat_cipher_docs[i].alg == CRYPTO_DES_CBC &&
		    !kat_cipher_docs[i].ecb_blocks)
			k = &kat_cipher_docs[i];
	assert_non_null(k);
	unhex(k->key, key, sizeof(key));
	unhex(k->iv, iv, sizeof(iv));
	unhex(k->pt, pt, sizeof(pt));
	unhex(k->ct, ct, sizeof(ct));
	s = new_cipher(CRYPTO_DES_CBC, key, sizeof(key));
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, out, 8, iv, next), 0);
	assert_memory_equal(next, ct, 8);
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt + 8, out + 8, 16, NULL,
				   next), 0);
	assert_memory_equal(out, ct, 24);
	assert_memory_equal(next, ct + 16, 8);
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, pt, out, 12, iv, NULL),
			 -EINVAL);
	vc_session_free(s);
}

static void rejects_bad_key_length(void **state)
{
	static const size_t bad[] = { 0, 8, 15, 17, 20, 31, 33, 64 };
	uint8_t key[64] = { 0 };
	struct vc_session *s = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vc_session_params p = {
			.cipher = CRYPTO_AES_CBC, .key = key, .keylen = bad[i],
		};

		assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
		assert_null(s);
		p.cipher = CRYPTO_AES_GCM;
		assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
	}
	{
		/* Plain hashes take no key; HMAC keys stop at 512 bytes. */
		static uint8_t big[CRYPTO_HMAC_MAX_KEY_LEN + 1];
		struct vc_session_params p = {
			.mac = CRYPTO_SHA2_256, .mackey = key, .mackeylen = 16,
		};

		assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
		p.mac = CRYPTO_SHA2_256_HMAC;
		p.mackey = big;
		p.mackeylen = sizeof(big);
		assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
	}
}

static void rejects_unaligned_block_mode_length(void **state)
{
	uint8_t iv[16] = { 0 }, buf[64] = { 0 };
	struct vc_session *cbc = new_cipher(CRYPTO_AES_CBC, key128, 16);
	struct vc_session *ecb = new_cipher(CRYPTO_AES_ECB, key128, 16);
	struct vc_session *ctr = new_cipher(CRYPTO_AES_CTR, key128, 16);

	assert_int_equal(vc_cipher(cbc, COP_ENCRYPT, buf, buf, 17, iv, NULL),
			 -EINVAL);
	assert_int_equal(vc_cipher(cbc, COP_DECRYPT, buf, buf, 15, iv, NULL),
			 -EINVAL);
	assert_int_equal(vc_cipher(ecb, COP_ENCRYPT, buf, buf, 33, NULL, NULL),
			 -EINVAL);
	/* CTR is a stream mode: any length. */
	assert_int_equal(vc_cipher(ctr, COP_ENCRYPT, buf, buf, 17, iv, NULL),
			 0);
	vc_session_free(cbc);
	vc_session_free(ecb);
	vc_session_free(ctr);
}

static void rejects_unknown_algorithm(void **state)
{
	static const uint32_t unknown[] = {
		CRYPTO_SKIPJACK_CBC, CRYPTO_MD5_KPDK, CRYPTO_ARC4, 9999,
	};
	uint8_t key[16] = { 0 };
	struct vc_session *s = NULL;
	size_t i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct vc_session_params c = {
			.cipher = unknown[i], .key = key, .keylen = 16,
		};
		struct vc_session_params m = { .mac = unknown[i] };

		assert_int_equal(vc_session_new(engine, &c, &s), -EINVAL);
		assert_int_equal(vc_session_new(engine, &m, &s), -EINVAL);
	}
	{
		/* A hash as cipher, a cipher as mac, and nothing at all. */
		struct vc_session_params c = {
			.cipher = CRYPTO_SHA2_256, .key = key, .keylen = 16,
		};
		struct vc_session_params m = { .mac = CRYPTO_AES_CBC };
		struct vc_session_params none = { 0 };

		assert_int_equal(vc_session_new(engine, &c, &s), -EINVAL);
		assert_int_equal(vc_session_new(engine, &m, &s), -EINVAL);
		assert_int_equal(vc_session_new(engine, &none, &s), -EINVAL);
	}
	assert_null(s);
}

static void rejects_aead_plus_mac_combination(void **state)
{
	uint8_t key[16] = { 0 }, mackey[32] = { 0 };
	struct vc_session_params p = {
		.cipher = CRYPTO_AES_GCM, .key = key, .keylen = 16,
		.mac = CRYPTO_SHA2_256_HMAC, .mackey = mackey, .mackeylen = 32,
	};
	struct vc_session *s = NULL;

	/* GCM has its own MAC; cryptodev-linux pairs only plain modes. */
	assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
	assert_null(s);
	p.cipher = CRYPTO_AES_CBC;
	p.keylen = 15;
	assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
	assert_null(s);
}

static void rejects_operation_of_another_session_kind(void **state)
{
	uint8_t buf[32] = { 0 }, md[64], nonce[12] = { 0 };
	struct vc_session *cbc = new_cipher(CRYPTO_AES_CBC, key128, 16);
	struct vc_session *gcm = new_cipher(CRYPTO_AES_GCM, key128, 16);
	struct vc_session *sha = new_hash(CRYPTO_SHA2_256, NULL, 0);
	size_t outlen;

	assert_int_equal(vc_hash(cbc, buf, 16, 0, md), -EINVAL);
	assert_int_equal(vc_cipher(sha, COP_ENCRYPT, buf, buf, 16, buf, NULL),
			 -EINVAL);
	assert_int_equal(vc_cipher(gcm, COP_ENCRYPT, buf, buf, 16, buf, NULL),
			 -EINVAL);
	assert_int_equal(vc_aead(cbc, COP_ENCRYPT, nonce, 12, NULL, 0, buf, 16,
				 buf, 0, &outlen), -EINVAL);
	assert_int_equal(vc_cipher(cbc, 7, buf, buf, 16, buf, NULL), -EINVAL);
	vc_session_free(cbc);
	vc_session_free(gcm);
	vc_session_free(sha);
}

static void hash_update_then_final_equals_one_shot(void **state)
{
	static const uint32_t algs[] = {
		CRYPTO_MD5, CRYPTO_RIPEMD160, CRYPTO_SHA1, CRYPTO_SHA2_224,
		CRYPTO_SHA2_256, CRYPTO_SHA2_384, CRYPTO_SHA2_512,
		CRYPTO_MD5_HMAC, CRYPTO_RIPEMD160_HMAC, CRYPTO_SHA1_HMAC,
		CRYPTO_SHA2_256_HMAC, CRYPTO_SHA2_512_HMAC,
	};
	uint8_t data[300], one[64], parts[64], mackey[40];
	size_t i;

	fill_pattern(data, sizeof(data), 9);
	fill_pattern(mackey, sizeof(mackey), 5);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		int hmac = vc_alg_is_hmac(algs[i]);
		struct vc_session *s = new_hash(algs[i], hmac ? mackey : NULL,
						hmac ? sizeof(mackey) : 0);
		size_t n = vc_alg_digest_size(algs[i]);

		assert_int_equal(vc_hash(s, data, sizeof(data), 0, one), 0);
		memset(parts, 0, sizeof(parts));
		assert_int_equal(vc_hash(s, data, 100, COP_FLAG_UPDATE, NULL),
				 0);
		assert_int_equal(vc_hash(s, data + 100, 1, COP_FLAG_UPDATE,
					 NULL), 0);
		assert_int_equal(vc_hash(s, data + 101, 0, COP_FLAG_UPDATE,
					 NULL), 0);
		assert_int_equal(vc_hash(s, data + 101, sizeof(data) - 101,
					 COP_FLAG_FINAL, parts), 0);
		assert_memory_equal(one, parts, n);
		/* After a final the next message starts from nothing. */
		memset(parts, 0, sizeof(parts));
		assert_int_equal(vc_hash(s, data, sizeof(data), 0, parts), 0);
		assert_memory_equal(one, parts, n);
		vc_session_free(s);
	}
}

/*
 * cryptodev-linux's CIOCCPHASH: "ab" hashed, the state copied, "c" finished
 * on both sessions -- each gives FIPS 180's SHA-256("abc"); and the same
 * with RFC 4231 test case 2 (HMAC-SHA256) cut after "what do ya".
 */
static void hash_copy_continues_the_message_on_both_sessions(void **state)
{
	const struct kat_digest *abc = &kat_hashes[KAT_SHA256_ABC];
	const struct kat_digest *tc2 = &kat_hmacs_rfc4231[KAT_RFC4231_TC2_SHA256];
	const uint8_t *msg = (const uint8_t *)tc2->msg;
	uint8_t want[32], got[32], key[4];
	struct vc_session *a, *b;

	unhex(abc->digest, want, sizeof(want));
	a = new_hash(CRYPTO_SHA2_256, NULL, 0);
	b = new_hash(CRYPTO_SHA2_256, NULL, 0);
	assert_int_equal(vc_hash(b, (const uint8_t *)"junk", 4,
				 COP_FLAG_UPDATE, NULL), 0);
	assert_int_equal(vc_hash(a, (const uint8_t *)"ab", 2, COP_FLAG_UPDATE,
				 NULL), 0);
	assert_int_equal(vc_hash_copy(b, a), 0);
	assert_int_equal(vc_hash(a, (const uint8_t *)"c", 1, COP_FLAG_FINAL,
				 got), 0);
	assert_memory_equal(got, want, 32);
	memset(got, 0, sizeof(got));
	assert_int_equal(vc_hash(b, (const uint8_t *)"c", 1, COP_FLAG_FINAL,
				 got), 0);
	assert_memory_equal(got, want, 32);
	vc_session_free(a);
	vc_session_free(b);

	assert_int_equal(unhex(tc2->key, key, sizeof(key)), 4);
	unhex(tc2->digest, want, sizeof(want));
	a = new_hash(CRYPTO_SHA2_256_HMAC, key, sizeof(key));
	b = new_hash(CRYPTO_SHA2_256_HMAC, key, sizeof(key));
	assert_int_equal(vc_hash(a, msg, 10, COP_FLAG_UPDATE, NULL), 0);
	assert_int_equal(vc_hash_copy(b, a), 0);
	assert_int_equal(vc_hash(b, msg + 10, strlen(tc2->msg) - 10,
				 COP_FLAG_FINAL, got), 0);
	assert_memory_equal(got, want, 32);
	memset(got, 0, sizeof(got));
	assert_int_equal(vc_hash(a, msg + 10, strlen(tc2->msg) - 10,
				 COP_FLAG_FINAL, got), 0);
	assert_memory_equal(got, want, 32);
	vc_session_free(a);
	vc_session_free(b);
}

/* A source between messages gives the destination a fresh start. */
static void hash_copy_of_a_finished_session_starts_a_new_message(void **state)
{
	const struct kat_digest *abc = &kat_hashes[KAT_SHA256_ABC];
	struct vc_session *a = new_hash(CRYPTO_SHA2_256, NULL, 0);
	struct vc_session *b = new_hash(CRYPTO_SHA2_256, NULL, 0);
	uint8_t want[32], got[32];

	unhex(abc->digest, want, sizeof(want));
	assert_int_equal(vc_hash(a, (const uint8_t *)"xyz", 3, 0, got), 0);
	assert_int_equal(vc_hash(b, (const uint8_t *)"junk", 4,
				 COP_FLAG_UPDATE, NULL), 0);
	assert_int_equal(vc_hash_copy(b, a), 0);
	assert_int_equal(vc_hash(b, (const uint8_t *)"abc", 3, COP_FLAG_FINAL,
				 got), 0);
	assert_memory_equal(got, want, 32);
	vc_session_free(a);
	vc_session_free(b);
}

static void hash_copy_refuses_other_kinds_and_algorithms(void **state)
{
	const struct kat_digest *abc = &kat_hashes[KAT_SHA256_ABC];
	struct vc_session *s256 = new_hash(CRYPTO_SHA2_256, NULL, 0);
	struct vc_session *s1 = new_hash(CRYPTO_SHA1, NULL, 0);
	struct vc_session *h256 = new_hash(CRYPTO_SHA2_256_HMAC, key128, 16);
	struct vc_session *cbc = new_cipher(CRYPTO_AES_CBC, key128, 16);
	uint8_t want[32], got[32];

	assert_int_equal(vc_hash_copy(s256, s1), -EINVAL);
	assert_int_equal(vc_hash_copy(s256, h256), -EINVAL);
	assert_int_equal(vc_hash_copy(s256, cbc), -EINVAL);
	assert_int_equal(vc_hash_copy(cbc, s256), -EINVAL);
	assert_int_equal(vc_hash_copy(cbc, cbc), -EINVAL);
	assert_int_equal(vc_hash_copy(NULL, s256), -EINVAL);
	/* Onto itself: nothing changes (a device must not deadlock on it). */
	unhex(abc->digest, want, sizeof(want));
	assert_int_equal(vc_hash(s256, (const uint8_t *)"ab", 2,
				 COP_FLAG_UPDATE, NULL), 0);
	assert_int_equal(vc_hash_copy(s256, s256), 0);
	assert_int_equal(vc_hash(s256, (const uint8_t *)"c", 1,
				 COP_FLAG_FINAL, got), 0);
	assert_memory_equal(got, want, 32);
	vc_session_free(s256);
	vc_session_free(s1);
	vc_session_free(h256);
	vc_session_free(cbc);
}

static void hash_reset_discards_earlier_updates(void **state)
{
	static const uint32_t algs[] = { CRYPTO_SHA2_256, CRYPTO_SHA2_384_HMAC };
	uint8_t junk[77], data[50], want[64], got[64], mackey[20];
	size_t i;

	fill_pattern(junk, sizeof(junk), 0x99);
	fill_pattern(data, sizeof(data), 0x12);
	fill_pattern(mackey, sizeof(mackey), 0x33);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		int hmac = vc_alg_is_hmac(algs[i]);
		struct vc_session *s = new_hash(algs[i], hmac ? mackey : NULL,
						hmac ? sizeof(mackey) : 0);
		size_t n = vc_alg_digest_size(algs[i]);

		assert_int_equal(vc_hash(s, data, sizeof(data), 0, want), 0);
		assert_int_equal(vc_hash(s, junk, sizeof(junk),
					 COP_FLAG_UPDATE, NULL), 0);
		assert_int_equal(vc_hash(s, data, sizeof(data),
					 COP_FLAG_RESET | COP_FLAG_FINAL, got),
				 0);
		assert_memory_equal(want, got, n);
		/* RESET with UPDATE restarts and keeps accumulating. */
		assert_int_equal(vc_hash(s, junk, sizeof(junk),
					 COP_FLAG_UPDATE, NULL), 0);
		assert_int_equal(vc_hash(s, data, 20,
					 COP_FLAG_RESET | COP_FLAG_UPDATE, NULL),
				 0);
		assert_int_equal(vc_hash(s, data + 20, sizeof(data) - 20,
					 COP_FLAG_FINAL, got), 0);
		assert_memory_equal(want, got, n);
		vc_session_free(s);
	}
}

static void hash_final_without_digest_buffer_is_refused(void **state)
{
	struct vc_session *s = new_hash(CRYPTO_SHA2_256, NULL, 0);

	assert_int_equal(vc_hash(s, (const uint8_t *)"abc", 3, 0, NULL),
			 -EINVAL);
	assert_int_equal(vc_hash(s, (const uint8_t *)"abc", 3,
				 COP_FLAG_UPDATE | COP_FLAG_FINAL, NULL),
			 -EINVAL);
	vc_session_free(s);
}

/* Library: engine choice and the helpers */

static void auto_choice_falls_back_to_soft_without_device(void **state)
{
	static const char *const devices[] = {
		"/nonexistent/crypto", "/dev/null",
	};
	struct vc_engine *e = NULL;
	char err[256] = "";

	assert_int_equal(vc_engine_open_first(&e, devices, 2, err,
					      sizeof(err)), 0);
	assert_non_null(e);
	assert_int_equal(vc_engine_kind(e), VC_ENGINE_SOFT);
	assert_non_null(strstr(vc_engine_name(e), "soft"));
	vc_engine_close(e);
}

static void auto_choice_on_this_machine(void **state)
{
	static const char *const defaults[] = VC_DEFAULT_DEVICES;
	struct vc_engine *e = NULL;
	char err[256] = "";
	size_t i;

	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (access(defaults[i], F_OK) == 0) {
			print_message("%s exists: the soft fallback is checked "
				      "with a synthetic device list only\n",
				      defaults[i]);
			skip();
		}
	}
	assert_int_equal(vc_engine_open(&e, NULL, err, sizeof(err)), 0);
	assert_int_equal(vc_engine_kind(e), VC_ENGINE_SOFT);
	vc_engine_close(e);
}

static void explicit_missing_device_is_error_naming_path(void **state)
{
	const char *path = "/nonexistent/cryptodev7";
	struct vc_engine *e = NULL;
	char err[256] = "";

	assert_int_equal(vc_engine_open(&e, path, err, sizeof(err)), -ENOENT);
	assert_null(e);
	assert_non_null(strstr(err, path));
}

static void explicit_non_cryptodev_file_is_refused(void **state)
{
	struct vc_engine *e = NULL;
	char err[256] = "";
	int ret;

	ret = vc_engine_open(&e, "/dev/null", err, sizeof(err));
	assert_true(ret < 0);
	assert_null(e);
	assert_non_null(strstr(err, "/dev/null"));
	assert_non_null(strstr(err, "cryptodev"));
}

static void soft_engine_names_nettle(void **state)
{
	struct vc_engine *e = NULL;

	assert_int_equal(vc_engine_open_soft(&e), 0);
	assert_int_equal(vc_engine_kind(e), VC_ENGINE_SOFT);
	assert_non_null(strstr(vc_engine_name(e), "soft (nettle "));
	vc_engine_close(e);
}

static void pbkdf2_sha256_matches_rfc7914(void **state)
{
	uint8_t want[64], got[64];

	unhex("55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05"
	      "f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc"
	      "49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31"
	      "7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83",
	      want, sizeof(want));
	assert_int_equal(vc_pbkdf2_sha256((const uint8_t *)"passwd", 6,
					  (const uint8_t *)"salt", 4, 1, got,
					  64), 0);
	assert_memory_equal(got, want, 64);

	unhex("4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9"
	      "64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56"
	      "a1 d4 25 a1 22 58 33 54 9a db 84 1b 51 c9 b3 17"
	      "6a 27 2b de bb a1 d0 78 47 8f 62 b3 97 f3 3c 8d",
	      want, sizeof(want));
	assert_int_equal(vc_pbkdf2_sha256((const uint8_t *)"Password", 8,
					  (const uint8_t *)"NaCl", 4, 80000,
					  got, 64), 0);
	assert_memory_equal(got, want, 64);
}

static void pbkdf2_rejects_zero_iterations_and_length(void **state)
{
	uint8_t out[32];

	assert_int_equal(vc_pbkdf2_sha256((const uint8_t *)"p", 1,
					  (const uint8_t *)"s", 1, 0, out, 32),
			 -EINVAL);
	assert_int_equal(vc_pbkdf2_sha256((const uint8_t *)"p", 1,
					  (const uint8_t *)"s", 1, 1, out, 0),
			 -EINVAL);
}

static void memcmp_ct_tells_equal_from_different(void **state)
{
	uint8_t a[33], b[33];

	fill_pattern(a, sizeof(a), 4);
	memcpy(b, a, sizeof(b));
	assert_int_equal(vc_memcmp_ct(a, b, sizeof(a)), 0);
	assert_int_equal(vc_memcmp_ct(a, b, 0), 0);
	b[32] ^= 0x80;
	assert_int_not_equal(vc_memcmp_ct(a, b, sizeof(a)), 0);
	b[32] ^= 0x80;
	b[0] ^= 0x01;
	assert_int_not_equal(vc_memcmp_ct(a, b, sizeof(a)), 0);
}

static void random_fills_distinct_buffers(void **state)
{
	uint8_t a[64], b[64], zero[64];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	assert_int_equal(vc_random(a, sizeof(a)), 0);
	assert_int_equal(vc_random(b, sizeof(b)), 0);
	/* Chance of either happening with a working generator: 2^-512. */
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(vc_random(a, 0), 0);
}

static void algorithm_table_facts(void **state)
{
	assert_string_equal(vc_alg_name(CRYPTO_AES_CBC), "cbc(aes)");
	assert_string_equal(vc_alg_name(CRYPTO_AES_CTR), "ctr(aes)");
	assert_string_equal(vc_alg_name(CRYPTO_AES_ECB), "ecb(aes)");
	assert_string_equal(vc_alg_name(CRYPTO_AES_GCM), "gcm(aes)");
	assert_string_equal(vc_alg_name(CRYPTO_SHA2_256), "sha256");
	assert_string_equal(vc_alg_name(CRYPTO_SHA2_256_HMAC), "hmac(sha256)");
	assert_string_equal(vc_alg_name(CRYPTO_MD5_HMAC), "hmac(md5)");
	assert_string_equal(vc_alg_name(CRYPTO_RIPEMD160), "rmd160");
	assert_string_equal(vc_alg_name(CRYPTO_3DES_CBC), "cbc(des3_ede)");
	assert_string_equal(vc_alg_name(CRYPTO_NULL), "ecb(cipher_null)");
	assert_null(vc_alg_name(CRYPTO_ARC4));
	assert_int_equal(vc_alg_block_size(CRYPTO_BLF_CBC), 8);
	assert_int_equal(vc_alg_iv_size(CRYPTO_DES_CBC), 8);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_XTS), 16);
	assert_int_equal(vc_alg_block_size(CRYPTO_AES_CBC), 16);
	assert_int_equal(vc_alg_block_size(CRYPTO_AES_CTR), 1);
	assert_int_equal(vc_alg_block_size(CRYPTO_AES_GCM), 1);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_CBC), 16);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_GCM), 12);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_ECB), 0);
	assert_int_equal(vc_alg_digest_size(CRYPTO_SHA1_HMAC), 20);
	assert_int_equal(vc_alg_digest_size(CRYPTO_MD5), 16);
	assert_int_equal(vc_alg_digest_size(CRYPTO_RIPEMD160_HMAC), 20);
	assert_int_equal(vc_alg_digest_size(CRYPTO_SHA2_224), 28);
	assert_int_equal(vc_alg_digest_size(CRYPTO_SHA2_384_HMAC), 48);
	assert_int_equal(vc_alg_digest_size(12345), 0);
	assert_true(vc_alg_is_aead(CRYPTO_AES_GCM));
	assert_true(vc_alg_is_cipher(CRYPTO_AES_GCM));
	assert_false(vc_alg_is_aead(CRYPTO_AES_CBC));
	assert_true(vc_alg_is_hash(CRYPTO_SHA1));
	assert_false(vc_alg_is_hmac(CRYPTO_SHA1));
	assert_true(vc_alg_is_hmac(CRYPTO_SHA2_512_HMAC));
	assert_true(vc_alg_key_ok(CRYPTO_AES_CTR, 24));
	assert_false(vc_alg_key_ok(CRYPTO_AES_CTR, 20));
	assert_true(vc_alg_key_ok(CRYPTO_SHA2_256_HMAC, 0));
	assert_false(vc_alg_key_ok(CRYPTO_SHA2_256, 1));
}

/* Groups */

static int soft_setup(void **state)
{
	return vc_engine_open_soft(&engine) ? -1 : 0;
}

static int cryptodev_setup(void **state)
{
	char err[256] = "";

	if (vc_engine_open_cryptodev(&engine, cryptodev_path, err,
				     sizeof(err))) {
		print_error("cannot open the cryptodev engine: %s\n", err);
		return -1;
	}
	return 0;
}

static int engine_teardown(void **state)
{
	vc_engine_close(engine);
	engine = NULL;
	return 0;
}

/*
 * A test named after its behaviour that runs fn with arg as its state: one
 * function serves the vectors of several modes or documents.
 */
#define TEST_WITH(name, fn, arg) \
	{ #name, fn, NULL, NULL, (void *)(uintptr_t)(arg) }


/* Combined sessions: cipher and MAC together, as cryptodev-linux has them */

static const uint8_t jefe[4] = { 'J', 'e', 'f', 'e' };	/* RFC 4231 TC2 */

static struct vc_session *new_combined(uint32_t cipher, const uint8_t *key,
				       size_t keylen, uint32_t mac,
				       const uint8_t *mackey, size_t mackeylen)
{
	struct vc_session_params p = {
		.cipher = cipher, .key = key, .keylen = keylen,
		.mac = mac, .mackey = mackey, .mackeylen = mackeylen,
	};

	return must_session(&p);
}

static void combined_session_refuses_lone_cipher_and_hash_calls(void **state)
{
	uint8_t buf[16] = { 0 }, md[64];
	struct vc_session *s = new_combined(CRYPTO_AES_CBC, key128, 16,
					    CRYPTO_SHA1_HMAC, jefe, 4);

	assert_int_equal(vc_session_mac_size(s), 20);
	assert_int_equal(vc_cipher(s, COP_ENCRYPT, buf, buf, 16, buf, NULL),
			 -EINVAL);
	assert_int_equal(vc_hash(s, buf, 16, 0, md), -EINVAL);
	vc_session_free(s);
}

/*
 * hash_n_crypt with AES-CBC: the ciphertext is SP 800-38A F.2.1's and the
 * MAC is HMAC-SHA256 of the plaintext, both ways, with the MAC running on
 * across an UPDATE call and finishing on FINAL.
 */
static void hash_n_crypt_cbc_gives_sp800_38a_and_hmac_of_plaintext(void **state)
{
	const struct kat_cipher *k = &kat_ciphers[KAT_CBC_AES128];
	uint8_t key[16], iv[16], pt[64], ct[64], out[64], mac[64], want[64];
	struct vc_session *s;

	unhex(k->key, key, sizeof(key));
	unhex(k->iv, iv, sizeof(iv));
	unhex(KAT_SP800_38A_PT, pt, sizeof(pt));
	unhex(k->ct, ct, sizeof(ct));
	assert_int_equal(ref_hash(CRYPTO_SHA2_256_HMAC, jefe, 4, pt, 64, want),
			 32);
	s = new_combined(CRYPTO_AES_CBC, key, 16, CRYPTO_SHA2_256_HMAC, jefe,
			 4);

	assert_int_equal(vc_hash_n_crypt(s, COP_ENCRYPT, pt, out, 32, iv, NULL,
					 COP_FLAG_UPDATE, NULL), 0);
	assert_int_equal(vc_hash_n_crypt(s, COP_ENCRYPT, pt + 32, out + 32, 32,
					 NULL, NULL, COP_FLAG_FINAL, mac), 0);
	assert_memory_equal(out, ct, 64);
	assert_memory_equal(mac, want, 32);

	memset(mac, 0, sizeof(mac));
	assert_int_equal(vc_hash_n_crypt(s, COP_DECRYPT, ct, out, 64, iv, NULL,
					 COP_FLAG_RESET | COP_FLAG_FINAL, mac),
			 0);
	assert_memory_equal(out, pt, 64);
	assert_memory_equal(mac, want, 32);
	vc_session_free(s);
}

/*
 * hash_n_crypt with AES-CTR: the MAC is test case 2's of RFC 4231
 * (HMAC-SHA256) and of RFC 2202 (HMAC-SHA1), both ways.
 */
static void hash_n_crypt_ctr_mac_matches_rfc4231_and_rfc2202(void **state)
{
	const struct kat_digest *kats[] = {
		&kat_hmacs_rfc4231[KAT_RFC4231_TC2_SHA256],
		&kat_hmacs_rfc2202[1],
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct kat_digest *k = kats[i];
		uint8_t iv[16], want[32], mac[64], ct[64], back[64], stream[64];
		size_t len = strlen(k->msg);
		size_t dlen = unhex(k->digest, want, sizeof(want));
		struct vc_session *s, *ctr;

		fill_pattern(iv, sizeof(iv), 0x20);
		s = new_combined(CRYPTO_AES_CTR, key128, 16, k->alg, jefe, 4);
		assert_int_equal(vc_hash_n_crypt(s, COP_ENCRYPT,
						 (const uint8_t *)k->msg, ct,
						 len, iv, NULL, 0, mac), 0);
		assert_memory_equal(mac, want, dlen);
		/* The cipher is plain AES-CTR. */
		ctr = new_cipher(CRYPTO_AES_CTR, key128, 16);
		assert_int_equal(vc_cipher(ctr, COP_ENCRYPT,
					   (const uint8_t *)k->msg, stream, len,
					   iv, NULL), 0);
		assert_memory_equal(ct, stream, len);
		/* Decrypting MACs the plaintext again. */
		memset(mac, 0, sizeof(mac));
		assert_int_equal(vc_hash_n_crypt(s, COP_DECRYPT, ct, back, len,
						 iv, NULL, COP_FLAG_FINAL, mac),
				 0);
		assert_memory_equal(back, k->msg, len);
		assert_memory_equal(mac, want, dlen);
		vc_session_free(ctr);
		vc_session_free(s);
	}
}

/* An SRTP packet: 12-byte RTP header, payload, 4-byte ROC after it. */
#define SRTP_HDR	12
#define SRTP_ROC	4

/* RFC 3711 B.2: SRTP encryption of zeros gives the AES-CM keystream. */
static void srtp_aes_cm_keystream_matches_rfc3711_b2(void **state)
{
	uint8_t key[16], iv[16], stream[48], region[SRTP_HDR + 48 + SRTP_ROC];
	uint8_t out[48], tag[10];
	struct vc_session *s;

	unhex(KAT_RFC3711_B2_KEY, key, sizeof(key));
	unhex(KAT_RFC3711_B2_IV, iv, sizeof(iv));
	unhex(KAT_RFC3711_B2_KEYSTREAM, stream, sizeof(stream));
	memset(region, 0, sizeof(region));
	s = new_combined(CRYPTO_AES_CTR, key, 16, CRYPTO_SHA1_HMAC, jefe, 4);
	assert_int_equal(vc_srtp(s, COP_ENCRYPT, iv, NULL, region,
				 sizeof(region), SRTP_HDR, 48, out, tag, 10),
			 0);
	assert_memory_equal(out, stream, 48);
	vc_session_free(s);
}

/*
 * SRTP with HMAC-SHA1-80 (RFC 3711 4.2, 5.2): the tag is the first 10 bytes
 * of HMAC-SHA1 over header, ciphertext and ROC, computed here with nettle;
 * the packet decrypts back, and a tampered tag or payload is refused with
 * nothing decrypted.
 */
static void srtp_hmac_sha1_80_round_trip(void **state)
{
	uint8_t mackey[20], iv[16], region[SRTP_HDR + 100 + SRTP_ROC];
	uint8_t pt[100], ct[100], back[100], tag[10], want[10];
	struct vc_session *s;

	fill_pattern(mackey, sizeof(mackey), 0x31);
	fill_pattern(iv, sizeof(iv), 0x50);
	fill_pattern(region, sizeof(region), 0x77);
	memcpy(pt, region + SRTP_HDR, sizeof(pt));
	s = new_combined(CRYPTO_AES_CTR, key128, 16, CRYPTO_SHA1_HMAC, mackey,
			 sizeof(mackey));
	assert_int_equal(vc_srtp(s, COP_ENCRYPT, iv, NULL, region,
				 sizeof(region), SRTP_HDR, 100, ct, tag, 10),
			 0);
	memcpy(region + SRTP_HDR, ct, sizeof(ct));
	assert_int_equal(ref_srtp_tag(CRYPTO_SHA1_HMAC, mackey, sizeof(mackey),
				      region, sizeof(region), want, 10), 0);
	assert_memory_equal(tag, want, 10);

	assert_int_equal(vc_srtp(s, COP_DECRYPT, iv, NULL, region,
				 sizeof(region), SRTP_HDR, 100, back, tag, 10),
			 0);
	assert_memory_equal(back, pt, sizeof(pt));

	memset(back, 0, sizeof(back));
	tag[9] ^= 1;
	assert_int_equal(vc_srtp(s, COP_DECRYPT, iv, NULL, region,
				 sizeof(region), SRTP_HDR, 100, back, tag, 10),
			 -EBADMSG);
	tag[9] ^= 1;
	region[sizeof(region) - 1] ^= 1;	/* the ROC is authenticated */
	assert_int_equal(vc_srtp(s, COP_DECRYPT, iv, NULL, region,
				 sizeof(region), SRTP_HDR, 100, back, tag, 10),
			 -EBADMSG);
	for (size_t i = 0; i < sizeof(back); i++)
		assert_int_equal(back[i], 0);
	vc_session_free(s);
}

static void srtp_needs_stream_mode_and_data_inside_region(void **state)
{
	uint8_t region[64] = { 0 }, out[64], tag[20], iv[16] = { 0 };
	struct vc_session *cbc = new_combined(CRYPTO_AES_CBC, key128, 16,
					      CRYPTO_SHA1_HMAC, jefe, 4);
	struct vc_session *ctr = new_combined(CRYPTO_AES_CTR, key128, 16,
					      CRYPTO_SHA1_HMAC, jefe, 4);

	assert_int_equal(vc_srtp(cbc, COP_ENCRYPT, iv, NULL, region, 64, 16,
				 32, out, tag, 10), -EINVAL);
	assert_int_equal(vc_srtp(ctr, COP_ENCRYPT, iv, NULL, region, 64, 48,
				 32, out, tag, 10), -EINVAL);
	assert_int_equal(vc_srtp(ctr, COP_ENCRYPT, iv, NULL, region, 64, 65,
				 0, out, tag, 10), -EINVAL);
	assert_int_equal(vc_srtp(ctr, COP_ENCRYPT, iv, NULL, region, 64, 16,
				 32, out, tag, 21), -EINVAL);
	vc_session_free(cbc);
	vc_session_free(ctr);
}

/* A TLS 1.2 pseudo header: seq_num, type, version, length (RFC 5246). */
static const uint8_t tls_hdr[13] = {
	0, 0, 0, 0, 0, 0, 0, 7, 0x17, 0x03, 0x03, 0x00, 0x2d,
};

struct tls_case {
	uint32_t mac;
	size_t taglen;
};

static void tls_setup(struct ref_tls *t, uint32_t mac, size_t taglen,
		      const uint8_t *mackey, const uint8_t *iv)
{
	memset(t, 0, sizeof(*t));
	t->key = key128;
	t->keylen = 16;
	t->mac = mac;
	t->mackey = mackey;
	t->mackeylen = 32;
	t->taglen = taglen;
	t->iv = iv;
	t->hdr = tls_hdr;
	t->hdrlen = sizeof(tls_hdr);
}

/*
 * TLS records with AES-128-CBC and HMAC-SHA1 / HMAC-SHA256: byte for byte
 * the record RFC 5246 6.2.3.2 describes, built here with nettle; and they
 * decrypt back to the plaintext.
 */
static void tls_record_matches_rfc5246_construction(void **state)
{
	static const struct tls_case cases[] = {
		{ CRYPTO_SHA1_HMAC, 20 }, { CRYPTO_SHA2_256_HMAC, 32 },
	};
	uint8_t mackey[32], iv[16], pt[45], rec[128], want[128], back[128];
	size_t c, len, wantlen, outlen;

	fill_pattern(mackey, sizeof(mackey), 0x61);
	fill_pattern(iv, sizeof(iv), 0x09);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct ref_tls t;
		struct vc_session *s;

		tls_setup(&t, cases[c].mac, cases[c].taglen, mackey, iv);
		/* every length of a block, so each padding length shows */
		for (len = 29; len <= sizeof(pt); len++) {
			fill_pattern(pt, len, (uint8_t)len);
			wantlen = ref_tls_record(&t, pt, len, want);
			assert_true(wantlen > 0);
			s = new_combined(CRYPTO_AES_CBC, key128, 16,
					 cases[c].mac, mackey, 32);
			assert_int_equal(vc_tls_record(s, COP_ENCRYPT, iv, NULL,
						       tls_hdr, 13, pt, len, rec,
						       0, &outlen), 0);
			assert_int_equal(outlen, wantlen);
			assert_int_equal(len + cases[c].taglen +
					 vc_tls_padding(s, len, 0), wantlen);
			assert_memory_equal(rec, want, wantlen);
			assert_int_equal(vc_tls_record(s, COP_DECRYPT, iv, NULL,
						       tls_hdr, 13, rec, outlen,
						       back, 0, &outlen), 0);
			assert_int_equal(outlen, len);
			assert_memory_equal(back, pt, len);
			/* in place */
			assert_int_equal(vc_tls_record(s, COP_DECRYPT, iv, NULL,
						       tls_hdr, 13, want,
						       wantlen, want, 0,
						       &outlen), 0);
			assert_memory_equal(want, pt, len);
			vc_session_free(s);
		}
	}
}

static void tls_refuses(enum ref_tls_fault fault)
{
	uint8_t mackey[32], iv[16], pt[40], rec[128], out[128];
	static const uint8_t zero[128];
	struct vc_session *s;
	struct ref_tls t;
	size_t len, outlen = 99;

	fill_pattern(mackey, sizeof(mackey), 0x61);
	fill_pattern(iv, sizeof(iv), 0x09);
	fill_pattern(pt, sizeof(pt), 0x33);
	tls_setup(&t, CRYPTO_SHA1_HMAC, 20, mackey, iv);
	t.fault = fault;
	len = ref_tls_record(&t, pt, sizeof(pt), rec);
	s = new_combined(CRYPTO_AES_CBC, key128, 16, CRYPTO_SHA1_HMAC, mackey,
			 32);
	assert_int_equal(vc_tls_record(s, COP_DECRYPT, iv, NULL, tls_hdr, 13,
				       rec, len, out, 20, &outlen), -EBADMSG);
	assert_int_equal(outlen, 0);
	/* no unauthenticated plaintext is left behind */
	assert_memory_equal(out, zero, len);
	vc_session_free(s);
}

static void tls_record_with_wrong_padding_is_refused_ebadmsg(void **state)
{
	tls_refuses(REF_TLS_BAD_PAD);
	tls_refuses(REF_TLS_PAD_TOO_LONG);
}

static void tls_record_with_wrong_mac_is_refused_ebadmsg(void **state)
{
	tls_refuses(REF_TLS_BAD_MAC);
}

static void tls_record_unaligned_or_too_short_is_einval(void **state)
{
	uint8_t rec[64] = { 0 }, out[64], iv[16] = { 0 };
	struct vc_session *s = new_combined(CRYPTO_AES_CBC, key128, 16,
					    CRYPTO_SHA1_HMAC, jefe, 4);
	size_t outlen;

	assert_int_equal(vc_tls_record(s, COP_DECRYPT, iv, NULL, tls_hdr, 13,
				       rec, 33, out, 0, &outlen), -EINVAL);
	/* 16 bytes cannot hold a 20-byte MAC and a padding byte */
	assert_int_equal(vc_tls_record(s, COP_DECRYPT, iv, NULL, tls_hdr, 13,
				       rec, 16, out, 0, &outlen), -EINVAL);
	assert_int_equal(vc_tls_record(s, COP_ENCRYPT, iv, NULL, tls_hdr, 13,
				       rec, 16, out, 21, &outlen), -EINVAL);
	vc_session_free(s);
}

static const struct CMUnitTest engine_tests[] = {
	TEST_WITH(ecb_matches_sp800_38a_f1, cipher_matches_sp800_38a,
		  CRYPTO_AES_ECB),
	TEST_WITH(cbc_matches_sp800_38a_f2, cipher_matches_sp800_38a,
		  CRYPTO_AES_CBC),
	TEST_WITH(ctr_matches_sp800_38a_f5, cipher_matches_sp800_38a,
		  CRYPTO_AES_CTR),
	TEST_WITH(xts_matches_ieee1619_and_cavp, cipher_matches_its_standard,
		  CRYPTO_AES_XTS),
	TEST_WITH(camellia_matches_rfc3713, cipher_matches_its_standard,
		  CRYPTO_CAMELLIA_CBC),
	TEST_WITH(des_matches_fips81_and_sp800_20, cipher_matches_its_standard,
		  CRYPTO_DES_CBC),
	TEST_WITH(triple_des_matches_sp800_67, cipher_matches_its_standard,
		  CRYPTO_3DES_CBC),
	TEST_WITH(blowfish_matches_schneiers_vectors,
		  cipher_matches_its_standard, CRYPTO_BLF_CBC),
	cmocka_unit_test(null_cipher_output_is_its_input),
	cmocka_unit_test(rejects_key_lengths_linux_refuses),
	cmocka_unit_test(xts_null_iv_reuses_the_tweak),
	cmocka_unit_test(des_cbc_chains_from_the_last_ciphertext_block),
	cmocka_unit_test(gcm_matches_gcm_spec_vectors),
	cmocka_unit_test(gcm_nonce_not_96_bits_matches_spec_or_is_refused),
	TEST_WITH(sha_matches_fips180_examples, hash_matches_published_values,
		  &fips180_set),
	TEST_WITH(md5_matches_rfc1321, hash_matches_published_values,
		  &rfc1321_set),
	TEST_WITH(ripemd160_matches_its_papers_values,
		  hash_matches_published_values, &ripemd160_set),
	TEST_WITH(hmac_sha2_matches_rfc4231, hmac_matches_rfc, &rfc4231_set),
	TEST_WITH(hmac_md5_and_sha1_match_rfc2202, hmac_matches_rfc,
		  &rfc2202_set),
	TEST_WITH(hmac_ripemd160_matches_rfc2286, hmac_matches_rfc,
		  &rfc2286_set),
	cmocka_unit_test(cipher_chaining_with_null_iv_equals_one_shot),
	cmocka_unit_test(cbc_iv_out_is_last_ciphertext_block),
	cmocka_unit_test(ctr_iv_out_is_next_counter),
	cmocka_unit_test(ctr_partial_block_next_call_starts_fresh_block),
	cmocka_unit_test(zero_length_call_sets_the_iv),
	cmocka_unit_test(in_place_matches_separate_buffers),
	cmocka_unit_test(gcm_in_place_round_trip),
	cmocka_unit_test(gcm_short_tag_round_trip),
	TEST_WITH(gcm_rejects_tampered_tag, gcm_rejects_tampering, TAMPER_TAG),
	TEST_WITH(gcm_rejects_tampered_aad, gcm_rejects_tampering, TAMPER_AAD),
	TEST_WITH(gcm_rejects_tampered_ciphertext, gcm_rejects_tampering,
		  TAMPER_CIPHERTEXT),
	cmocka_unit_test(gcm_rejects_bad_tag_and_nonce_sizes),
	cmocka_unit_test(gcm_refuses_tag_lengths_outside_sp800_38d),
	cmocka_unit_test(rejects_bad_key_length),
	cmocka_unit_test(rejects_unaligned_block_mode_length),
	cmocka_unit_test(rejects_unknown_algorithm),
	cmocka_unit_test(rejects_aead_plus_mac_combination),
	cmocka_unit_test(rejects_operation_of_another_session_kind),
	cmocka_unit_test(hash_update_then_final_equals_one_shot),
	cmocka_unit_test(hash_reset_discards_earlier_updates),
	cmocka_unit_test(hash_final_without_digest_buffer_is_refused),
	cmocka_unit_test(hash_copy_continues_the_message_on_both_sessions),
	cmocka_unit_test(hash_copy_of_a_finished_session_starts_a_new_message),
	cmocka_unit_test(hash_copy_refuses_other_kinds_and_algorithms),
	cmocka_unit_test(combined_session_refuses_lone_cipher_and_hash_calls),
	cmocka_unit_test(hash_n_crypt_cbc_gives_sp800_38a_and_hmac_of_plaintext),
	cmocka_unit_test(hash_n_crypt_ctr_mac_matches_rfc4231_and_rfc2202),
	cmocka_unit_test(srtp_aes_cm_keystream_matches_rfc3711_b2),
	cmocka_unit_test(srtp_hmac_sha1_80_round_trip),
	cmocka_unit_test(srtp_needs_stream_mode_and_data_inside_region),
	cmocka_unit_test(tls_record_matches_rfc5246_construction),
	cmocka_unit_test(tls_record_with_wrong_padding_is_refused_ebadmsg),
	cmocka_unit_test(tls_record_with_wrong_mac_is_refused_ebadmsg),
	cmocka_unit_test(tls_record_unaligned_or_too_short_is_einval),
};

static const struct CMUnitTest library_tests[] = {
	cmocka_unit_test(auto_choice_falls_back_to_soft_without_device),
	cmocka_unit_test(auto_choice_on_this_machine),
	cmocka_unit_test(explicit_missing_device_is_error_naming_path),
	cmocka_unit_test(explicit_non_cryptodev_file_is_refused),
	cmocka_unit_test(soft_engine_names_nettle),
	cmocka_unit_test(pbkdf2_sha256_matches_rfc7914),
	cmocka_unit_test(pbkdf2_rejects_zero_iterations_and_length),
	cmocka_unit_test(memcmp_ct_tells_equal_from_different),
	cmocka_unit_test(random_fills_distinct_buffers),
	cmocka_unit_test(algorithm_table_facts),
};

/* The device to test: named (must work), or the first default that opens. */
static int choose_cryptodev(int argc, char **argv, int *required)
{
	static const char *const defaults[] = VC_DEFAULT_DEVICES;
	const char *env = getenv("VC_TEST_DEVICE");
	size_t i;
	int a;

	*required = 0;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--device") == 0 && a + 1 < argc) {
			cryptodev_path = argv[++a];
			*required = 1;
		} else {
			fprintf(stderr, "usage: %s [--device PATH]\n", argv[0]);
			return -1;
		}
	}
	if (!cryptodev_path && env && *env) {
		cryptodev_path = env;
		*required = 1;
	}
	if (cryptodev_path)
		return 0;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		struct vc_engine *e;
		char err[256] = "";

		if (access(defaults[i], F_OK) != 0)
			continue;
		if (vc_engine_open_cryptodev(&e, defaults[i], err,
					     sizeof(err)) == 0) {
			vc_engine_close(e);
			cryptodev_path = defaults[i];
			return 0;
		}
		printf("%s\n", err);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, required;

	if (choose_cryptodev(argc, argv, &required))
		return 2;
	failed += cmocka_run_group_tests_name("library", library_tests, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("soft engine", engine_tests,
					      soft_setup, engine_teardown);
	if (cryptodev_path) {
		printf("cryptodev engine on %s%s\n", cryptodev_path,
		       required ? "" : " (found by default)");
		fflush(stdout);
		failed += cmocka_run_group_tests_name("cryptodev engine",
						      engine_tests,
						      cryptodev_setup,
						      engine_teardown);
	} else {
		printf("no cryptodev device (tried /dev/crypto, "
		       "/dev/cryptodev0; --device PATH names one): "
		       "cryptodev engine not tested\n");
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
