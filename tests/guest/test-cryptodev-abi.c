// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest conformance of the cryptodev-linux ABI on our device: every
 * ioctl and algorithm against the standards' known answers (tests/kat/),
 * IV chaining, COP_FLAG_WRITE_IV, hash UPDATE/FINAL/RESET, CIOCCPHASH,
 * AES-GCM through CIOCAUTHCRYPT, CRIOGET, CIOCGSESSINFO, and buffers on both the copy and
 * the zero-copy path (checked against nettle where no vector is that long).
 * Opens /dev/crypto, like cryptodev-linux's own tests ($VC_TEST_DEVICE
 * overrides).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_ref.h"
#include "cdev_util.h"
#include "kat_check.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int fd = -1;

static int abi_setup(void **state)
{
	(void)state;
	fd = cdev_open();
	return fd < 0 ? -1 : 0;
}

static int abi_teardown(void **state)
{
	(void)state;
	close(fd);
	return 0;
}

/* Algorithms the project requires; others are tested when offered. */
static int abi_alg_required(uint32_t alg)
{
	return alg != CRYPTO_SHA2_224 && alg != CRYPTO_SHA2_384 &&
	       alg != CRYPTO_SHA2_224_HMAC && alg != CRYPTO_SHA2_384_HMAC;
}

static uint32_t abi_cipher_session(const struct kat_cipher *k, uint8_t *iv)
{
	uint8_t key[32];
	uint32_t ses;
	size_t kl = kat_unhex(k->key, key, sizeof(key));

	if (iv)
		kat_unhex(k->iv, iv, 16);
	assert_int_equal(cdev_session(fd, k->alg, key, (uint32_t)kl, 0, NULL, 0,
				      &ses), 0);
	return ses;
}

static void abi_check_cipher_mode(uint32_t alg)
{
	uint8_t plain[64], expect[64], out[64], iv[16];
	size_t i;

	kat_unhex(KAT_SP800_38A_PT, plain, sizeof(plain));
	for (i = 0; i < ARRAY_LEN(kat_ciphers); i++) {
		const struct kat_cipher *k = &kat_ciphers[i];
		uint32_t ses;

		if (k->alg != alg)
			continue;
		kat_unhex(k->ct, expect, sizeof(expect));
		ses = abi_cipher_session(k, k->iv ? iv : NULL);

		memset(out, 0, sizeof(out));
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, plain, out,
					    64, k->iv ? iv : NULL, NULL), 0);
		assert_memory_equal(out, expect, 64);

		/* decrypt in place */
		if (k->iv)
			kat_unhex(k->iv, iv, 16);
		assert_int_equal(cdev_crypt(fd, ses, COP_DECRYPT, 0, out, out,
					    64, k->iv ? iv : NULL, NULL), 0);
		assert_memory_equal(out, plain, 64);
		assert_int_equal(cdev_fsession(fd, ses), 0);
	}
}

static void aes_ecb_matches_sp800_38a(void **state)
{
	(void)state;
	abi_check_cipher_mode(CRYPTO_AES_ECB);
}

static void aes_cbc_matches_sp800_38a(void **state)
{
	(void)state;
	abi_check_cipher_mode(CRYPTO_AES_CBC);
}

static void aes_ctr_matches_sp800_38a(void **state)
{
	(void)state;
	abi_check_cipher_mode(CRYPTO_AES_CTR);
}

/* A NULL IV continues from where the session's previous call stopped. */
/*
 * The other ciphers cryptodev-linux offers, against their documents
 * (kat_cipher_docs): XTS (IEEE 1619, CAVP), Camellia (RFC 3713), DES
 * (FIPS 81, SP 800-20, weak key included), 3DES (SP 800-67), Blowfish.
 * Documents that give ECB answers are run a block a call under a zero IV.
 */
static void other_ciphers_match_their_standards(void **state)
{
	static const uint8_t zero_iv[16];
	size_t i, off;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_cipher_docs); i++) {
		const struct kat_cipher_doc *k = &kat_cipher_docs[i];
		uint8_t key[64], iv[16], pt[64], ct[64], out[64];
		size_t kl = kat_unhex(k->key, key, sizeof(key));
		size_t len = kat_unhex(k->pt, pt, sizeof(pt));
		size_t step = len;
		uint32_t ses;
		int op;

		assert_int_equal(kat_unhex(k->ct, ct, sizeof(ct)), len);
		if (k->ecb_blocks)
			step = k->alg == CRYPTO_CAMELLIA_CBC ? 16 : 8;
		assert_int_equal(cdev_session(fd, k->alg, key, (uint32_t)kl, 0,
					      NULL, 0, &ses), 0);
		for (op = COP_ENCRYPT; op <= COP_DECRYPT; op++) {
			const uint8_t *in = op == COP_ENCRYPT ? pt : ct;

			memset(out, 0, sizeof(out));
			for (off = 0; off < len; off += step) {
				if (k->ecb_blocks)
					memcpy(iv, zero_iv, sizeof(iv));
				else
					kat_unhex(k->iv, iv, sizeof(iv));
				assert_int_equal(cdev_crypt(fd, ses, op, 0,
							    in + off, out + off,
							    (uint32_t)step, iv,
							    NULL), 0);
			}
			if (memcmp(out, op == COP_ENCRYPT ? ct : pt, len))
				fail_msg("%s: wrong %s", k->name,
					 op == COP_ENCRYPT ? "ciphertext" :
							     "plaintext");
		}
		cdev_fsession(fd, ses);
	}
}

/* "ecb(cipher_null)": no key needed, any length, the input comes back. */
static void null_cipher_returns_its_input(void **state)
{
	uint8_t pt[37], out[37], key[64] = { 1 };
	uint32_t ses;

	(void)state;
	memset(pt, 0x3c, sizeof(pt));
	assert_int_equal(cdev_session(fd, CRYPTO_NULL, NULL, 0, 0, NULL, 0,
				      &ses), 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, pt, out,
				    sizeof(pt), NULL, NULL), 0);
	assert_memory_equal(out, pt, sizeof(pt));
	cdev_fsession(fd, ses);
	/* a key is taken and ignored, up to cryptodev-linux's 64 bytes */
	assert_int_equal(cdev_session(fd, CRYPTO_NULL, key, 64, 0, NULL, 0,
				      &ses), 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_DECRYPT, 0, pt, out,
				    sizeof(pt), NULL, NULL), 0);
	assert_memory_equal(out, pt, sizeof(pt));
	cdev_fsession(fd, ses);
}

/* Key lengths Linux's DES, 3DES, Blowfish, Camellia and XTS refuse. */
static void cipher_key_lengths_linux_refuses_are_einval(void **state)
{
	static const struct {
		uint32_t alg, keylen;
	} bad[] = {
		{ CRYPTO_DES_CBC, 16 }, { CRYPTO_3DES_CBC, 16 },
		{ CRYPTO_BLF_CBC, 3 }, { CRYPTO_BLF_CBC, 57 },
		{ CRYPTO_CAMELLIA_CBC, 20 }, { CRYPTO_AES_XTS, 16 },
		{ CRYPTO_AES_XTS, 40 }, { CRYPTO_NULL, 65 },
	};
	uint8_t key[80] = { 0 };
	uint32_t ses;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(cdev_session(fd, bad[i].alg, key,
					      bad[i].keylen, 0, NULL, 0, &ses),
				 -EINVAL);
}

static void null_iv_continues_the_chain(void **state)
{
	uint8_t plain[64], expect[64], out[64], iv[16];
	size_t i;
	int b;

	(void)state;
	kat_unhex(KAT_SP800_38A_PT, plain, sizeof(plain));
	for (i = 0; i < ARRAY_LEN(kat_ciphers); i++) {
		const struct kat_cipher *k = &kat_ciphers[i];
		uint32_t ses;

		if (!k->iv)
			continue;
		kat_unhex(k->ct, expect, sizeof(expect));
		ses = abi_cipher_session(k, iv);
		for (b = 0; b < 4; b++)
			assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0,
						    plain + 16 * b,
						    out + 16 * b, 16,
						    b ? NULL : iv, NULL), 0);
		assert_memory_equal(out, expect, 64);

		kat_unhex(k->iv, iv, 16);
		for (b = 0; b < 4; b++)
			assert_int_equal(cdev_crypt(fd, ses, COP_DECRYPT, 0,
						    expect + 16 * b,
						    out + 16 * b, 16,
						    b ? NULL : iv, NULL), 0);
		assert_memory_equal(out, plain, 64);
		cdev_fsession(fd, ses);
	}
}

/* One SP 800-38A vector, decoded, with a session on its key and its IV. */
struct abi_case {
	const struct kat_cipher *k;
	uint8_t plain[64], expect[64], iv[16];
	uint32_t ses;
};

static void abi_case(unsigned int which, struct abi_case *c)
{
	c->k = &kat_ciphers[which];
	kat_unhex(KAT_SP800_38A_PT, c->plain, sizeof(c->plain));
	kat_unhex(c->k->ct, c->expect, sizeof(c->expect));
	c->ses = abi_cipher_session(c->k, c->iv);
}

/* CBC: the IV after an operation is the last ciphertext block. */
static void write_iv_returns_the_last_ciphertext_block(void **state)
{
	struct abi_case c;
	uint8_t out[64];

	(void)state;
	abi_case(KAT_CBC_AES128, &c);
	assert_int_equal(c.k->alg, CRYPTO_AES_CBC);
	assert_int_equal(cdev_crypt(fd, c.ses, COP_ENCRYPT, COP_FLAG_WRITE_IV,
				    c.plain, out, 32, c.iv, NULL), 0);
	assert_memory_equal(out, c.expect, 32);
	assert_memory_equal(c.iv, c.expect + 16, 16);
	/* the returned IV carries the chain into a separate call */
	assert_int_equal(cdev_crypt(fd, c.ses, COP_ENCRYPT, COP_FLAG_WRITE_IV,
				    c.plain + 32, out + 32, 32, c.iv, NULL), 0);
	assert_memory_equal(out, c.expect, 64);
	assert_memory_equal(c.iv, c.expect + 48, 16);

	kat_unhex(c.k->iv, c.iv, 16);
	assert_int_equal(cdev_crypt(fd, c.ses, COP_DECRYPT, COP_FLAG_WRITE_IV,
				    c.expect, out, 64, c.iv, NULL), 0);
	assert_memory_equal(out, c.plain, 64);
	assert_memory_equal(c.iv, c.expect + 48, 16);
	cdev_fsession(fd, c.ses);
}

/* Without WRITE_IV the caller's IV buffer is left alone. */
static void iv_is_not_written_without_the_flag(void **state)
{
	struct abi_case c;
	uint8_t out[64], iv0[16];

	(void)state;
	abi_case(KAT_CBC_AES128, &c);
	memcpy(iv0, c.iv, 16);
	assert_int_equal(cdev_crypt(fd, c.ses, COP_ENCRYPT, 0, c.plain, out, 64,
				    c.iv, NULL), 0);
	assert_memory_equal(c.iv, iv0, 16);
	cdev_fsession(fd, c.ses);
}

/* A zero-length call with an IV sets the IV the next call continues from. */
static void zero_length_call_sets_the_iv(void **state)
{
	struct abi_case c;
	uint8_t out[64];

	(void)state;
	abi_case(KAT_CTR_AES128, &c);
	assert_int_equal(c.k->alg, CRYPTO_AES_CTR);
	assert_int_equal(cdev_crypt(fd, c.ses, COP_ENCRYPT, 0, c.plain, out, 0,
				    c.iv, NULL), 0);
	assert_int_equal(cdev_crypt(fd, c.ses, COP_ENCRYPT, 0, c.plain, out, 64,
				    NULL, NULL), 0);
	assert_memory_equal(out, c.expect, 64);
	cdev_fsession(fd, c.ses);
}

/* CTR is a stream mode: any length, and the keystream is a prefix. */
static void ctr_accepts_any_length(void **state)
{
	struct abi_case c;
	uint8_t out[64];

	(void)state;
	abi_case(KAT_CTR_AES128, &c);
	memset(out, 0xa5, sizeof(out));
	assert_int_equal(cdev_crypt(fd, c.ses, COP_ENCRYPT, 0, c.plain, out, 21,
				    c.iv, NULL), 0);
	assert_memory_equal(out, c.expect, 21);
	assert_int_equal(out[21], 0xa5);	/* nothing past len */
	cdev_fsession(fd, c.ses);
}

static void abi_gcm_case(const struct kat_gcm *g, uint8_t *key, size_t *kl,
			 uint8_t *iv, uint8_t *aad, size_t *al, uint8_t *pt,
			 size_t *pl, uint8_t *ct, uint8_t *tag)
{
	*kl = kat_unhex(g->key, key, 32);
	kat_unhex(g->iv, iv, 12);
	*al = kat_unhex(g->aad, aad, 64);
	*pl = kat_unhex(g->pt, pt, 64);
	kat_unhex(g->ct, ct, 64);
	kat_unhex(g->tag, tag, 16);
}

static void gcm_encrypt_matches_spec_and_writes_back_lengths(void **state)
{
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16], out[96];
	size_t kl, al, pl, i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_gcms); i++) {
		uint32_t ses, len, tag_len = 0;

		abi_gcm_case(&kat_gcms[i], key, &kl, iv, aad, &al, pt, &pl, ct,
			     tag);
		assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key,
					      (uint32_t)kl, 0, NULL, 0, &ses), 0);
		len = (uint32_t)pl;
		memset(out, 0, sizeof(out));
		assert_int_equal(cdev_aead(fd, ses, COP_ENCRYPT, aad,
					   (uint32_t)al, pt, out, &len,
					   &tag_len, iv, 12), 0);
		assert_int_equal(len, pl + 16);
		assert_int_equal(tag_len, 16);
		assert_memory_equal(out, ct, pl);
		/* cryptodev-linux's GCM test reads the tag here */
		assert_memory_equal(out + len - tag_len, tag, 16);
		cdev_fsession(fd, ses);
	}
}

static void gcm_decrypt_recovers_plaintext_and_len_excludes_tag(void **state)
{
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16];
	uint8_t in[96], out[96];
	size_t kl, al, pl, i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_gcms); i++) {
		uint32_t ses, len, tag_len = 0;

		abi_gcm_case(&kat_gcms[i], key, &kl, iv, aad, &al, pt, &pl, ct,
			     tag);
		assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key,
					      (uint32_t)kl, 0, NULL, 0, &ses), 0);
		memcpy(in, ct, pl);
		memcpy(in + pl, tag, 16);
		len = (uint32_t)pl + 16;
		memset(out, 0xee, sizeof(out));
		assert_int_equal(cdev_aead(fd, ses, COP_DECRYPT, aad,
					   (uint32_t)al, in, out, &len,
					   &tag_len, iv, 12), 0);
		assert_int_equal(len, pl);
		assert_int_equal(tag_len, 16);
		assert_memory_equal(out, pt, pl);
		cdev_fsession(fd, ses);
	}
}

static void gcm_tampering_is_ebadmsg(void **state)
{
	const struct kat_gcm *g = &kat_gcms[3];	/* case 4: has AAD */
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16];
	uint8_t in[96], out[96];
	size_t kl, al, pl;
	uint32_t ses, len, tag_len;
	int what;

	(void)state;
	abi_gcm_case(g, key, &kl, iv, aad, &al, pt, &pl, ct, tag);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, (uint32_t)kl, 0,
				      NULL, 0, &ses), 0);
	for (what = 0; what < 3; what++) {
		memcpy(in, ct, pl);
		memcpy(in + pl, tag, 16);
		if (what == 0)
			in[5] ^= 1;		/* ciphertext */
		else if (what == 1)
			in[pl + 15] ^= 0x80;	/* tag */
		else
			aad[0] ^= 1;		/* associated data */
		len = (uint32_t)pl + 16;
		tag_len = 0;
		assert_int_equal(cdev_aead(fd, ses, COP_DECRYPT, aad,
					   (uint32_t)al, in, out, &len,
					   &tag_len, iv, 12), -EBADMSG);
		if (what == 2)
			aad[0] ^= 1;
	}
	/* and the session still works */
	memcpy(in, ct, pl);
	memcpy(in + pl, tag, 16);
	len = (uint32_t)pl + 16;
	tag_len = 0;
	assert_int_equal(cdev_aead(fd, ses, COP_DECRYPT, aad, (uint32_t)al, in,
				   out, &len, &tag_len, iv, 12), 0);
	assert_memory_equal(out, pt, pl);
	cdev_fsession(fd, ses);
}

/* A shorter tag is the leading bytes of the full one (SP 800-38D 5.2.1.2). */
static void gcm_short_tag_is_a_prefix_of_the_full_tag(void **state)
{
	const struct kat_gcm *g = &kat_gcms[2];
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16], out[96];
	size_t kl, al, pl;
	uint32_t ses, len, tag_len = 12;

	(void)state;
	abi_gcm_case(g, key, &kl, iv, aad, &al, pt, &pl, ct, tag);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, (uint32_t)kl, 0,
				      NULL, 0, &ses), 0);
	len = (uint32_t)pl;
	assert_int_equal(cdev_aead(fd, ses, COP_ENCRYPT, aad, (uint32_t)al, pt,
				   out, &len, &tag_len, iv, 12), 0);
	assert_int_equal(len, pl + 12);
	assert_int_equal(tag_len, 12);
	assert_memory_equal(out, ct, pl);
	assert_memory_equal(out + pl, tag, 12);

	tag_len = 12;
	assert_int_equal(cdev_aead(fd, ses, COP_DECRYPT, aad, (uint32_t)al, out,
				   out, &len, &tag_len, iv, 12), 0);
	assert_int_equal(len, pl);
	assert_memory_equal(out, pt, pl);
	cdev_fsession(fd, ses);
}

/*
 * Every digest vector: FIPS 180, RFC 1321 and RIPEMD-160 hashes, then
 * RFC 2202, RFC 2286 and RFC 4231 HMACs.
 */
static const struct kat_digest *abi_digest(size_t i)
{
	static const struct {
		const struct kat_digest *kats;
		size_t n;
	} sets[] = {
		{ kat_hashes, ARRAY_LEN(kat_hashes) },
		{ kat_hashes_rfc1321, ARRAY_LEN(kat_hashes_rfc1321) },
		{ kat_hashes_ripemd160, ARRAY_LEN(kat_hashes_ripemd160) },
		{ kat_hmacs_rfc2202, ARRAY_LEN(kat_hmacs_rfc2202) },
		{ kat_hmacs_rfc2286, ARRAY_LEN(kat_hmacs_rfc2286) },
		{ kat_hmacs_rfc4231, ARRAY_LEN(kat_hmacs_rfc4231) },
	};
	size_t s;

	for (s = 0; s < ARRAY_LEN(sets); i -= sets[s++].n)
		if (i < sets[s].n)
			return &sets[s].kats[i];
	return NULL;
}

/* A digest vector's message into msg; returns its length. */
static size_t abi_digest_msg(const struct kat_digest *h, uint8_t *msg,
			     size_t max)
{
	size_t len = h->msg ? strlen(h->msg) : h->msg_rep;

	assert_true(len <= max);
	if (h->msg)
		memcpy(msg, h->msg, len);
	else
		memset(msg, h->msg_byte, len);
	return len;
}

/* Open a session for a digest vector; 0 if the device lacks an optional one. */
static int abi_hash_session(const struct kat_digest *h, uint32_t *ses)
{
	uint8_t key[200];
	size_t kl = 0;
	int err;

	if (h->key) {
		kl = kat_unhex(h->key, key, sizeof(key));
		assert_true(kl != KAT_HEX_BAD);
	} else {
		assert_true(h->key_rep <= sizeof(key));
		kl = h->key_rep;
		memset(key, h->key_byte, kl);
	}
	err = cdev_session(fd, 0, NULL, 0, h->alg, kl ? key : NULL,
			   (uint32_t)kl, ses);
	if (err == -EINVAL && !abi_alg_required(h->alg)) {
		printf("    (%s: not offered by the device)\n", h->name);
		return 0;
	}
	assert_int_equal(err, 0);
	return 1;
}

/*
 * After the operation the struct's tag points at the tag in dst, as
 * cryptodev-linux writes it: after the ciphertext when encrypting, after
 * the plaintext when decrypting.
 */
static void gcm_writes_back_where_the_tag_is(void **state)
{
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16];
	uint8_t out[96], back[96];
	struct crypt_auth_op caop;
	size_t kl, al, pl;
	uint32_t ses;

	(void)state;
	abi_gcm_case(&kat_gcms[ARRAY_LEN(kat_gcms) - 1], key, &kl, iv, aad,
		     &al, pt, &pl, ct, tag);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, (uint32_t)kl, 0,
				      NULL, 0, &ses), 0);
	assert_int_equal(cdev_authcrypt(fd, &caop, ses, COP_ENCRYPT, aad,
				       (uint32_t)al, pt, out, (uint32_t)pl, 0,
				       iv, 12), 0);
	assert_ptr_equal(caop.tag, out + pl);
	assert_memory_equal(caop.tag, tag, 16);

	assert_int_equal(cdev_authcrypt(fd, &caop, ses, COP_DECRYPT, aad,
				       (uint32_t)al, out, back, (uint32_t)pl + 16,
				       0, iv, 12), 0);
	assert_ptr_equal(caop.tag, back + pl);
	assert_memory_equal(back, pt, pl);
	cdev_fsession(fd, ses);
}

/*
 * A NULL iv continues with the session's IV, as cryptodev-linux keeps it:
 * for GCM the nonce of the session's last operation, all zeros before the
 * first (as GCM test cases 1 and 2 of the specification use).
 */
static void gcm_without_iv_uses_the_sessions_iv(void **state)
{
	static const uint8_t zero_iv[12];
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16], out[96];
	uint32_t ses, len, tag_len;
	size_t kl, al, pl, i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(kat_gcms); i++) {
		abi_gcm_case(&kat_gcms[i], key, &kl, iv, aad, &al, pt, &pl, ct,
			     tag);
		assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key,
					      (uint32_t)kl, 0, NULL, 0, &ses), 0);
		/* any other nonce is set by an operation, then left out */
		if (memcmp(iv, zero_iv, 12)) {
			len = (uint32_t)pl, tag_len = 0;
			assert_int_equal(cdev_aead(fd, ses, COP_ENCRYPT, aad,
						   (uint32_t)al, pt, out, &len,
						   &tag_len, iv, 12), 0);
		}
		memset(out, 0, sizeof(out));
		len = (uint32_t)pl, tag_len = 0;
		assert_int_equal(cdev_aead(fd, ses, COP_ENCRYPT, aad,
					   (uint32_t)al, pt, out, &len,
					   &tag_len, NULL, 0), 0);
		assert_memory_equal(out, ct, pl);
		assert_memory_equal(out + pl, tag, 16);
		cdev_fsession(fd, ses);
	}
}

static void hashes_and_hmacs_match_fips180_rfc1321_2202_2286_4231(void **state)
{
	uint8_t expect[64], digest[64], msg[200];
	const struct kat_digest *h;
	size_t i, dl, len;

	(void)state;
	for (i = 0; (h = abi_digest(i)); i++) {
		uint32_t ses;

		if (!abi_hash_session(h, &ses))
			continue;
		dl = kat_unhex(h->digest, expect, sizeof(expect));
		len = abi_digest_msg(h, msg, sizeof(msg));
		memset(digest, 0, sizeof(digest));
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, msg, NULL,
					    (uint32_t)len, NULL, digest), 0);
		if (memcmp(digest, expect, dl))
			fail_msg("%s: wrong digest", h->name);
		/* a second one-shot call starts over */
		memset(digest, 0, sizeof(digest));
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, msg, NULL,
					    (uint32_t)len, NULL, digest), 0);
		if (memcmp(digest, expect, dl))
			fail_msg("%s: wrong digest on reuse", h->name);
		cdev_fsession(fd, ses);
	}
}

/* UPDATE accumulates; FINAL (here with the last bytes) finishes. */
static void hash_updates_then_final_match_one_shot(void **state)
{
	uint8_t expect[64], digest[64], msg[200];
	const struct kat_digest *h;
	size_t i, dl, len, cut;

	(void)state;
	for (i = 0; (h = abi_digest(i)); i++) {
		uint32_t ses;

		if (!abi_hash_session(h, &ses))
			continue;
		dl = kat_unhex(h->digest, expect, sizeof(expect));
		len = abi_digest_msg(h, msg, sizeof(msg));
		cut = len / 3;
		if (cut == 0) {
			/* an empty UPDATE finishes: nothing here to split */
			cdev_fsession(fd, ses);
			continue;
		}
		memset(digest, 0, sizeof(digest));
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
					    COP_FLAG_UPDATE, msg, NULL,
					    (uint32_t)cut, NULL, NULL), 0);
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
					    COP_FLAG_UPDATE, msg + cut, NULL,
					    (uint32_t)cut, NULL, NULL), 0);
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
					    COP_FLAG_FINAL, msg + 2 * cut,
					    NULL, (uint32_t)(len - 2 * cut),
					    NULL, digest), 0);
		if (memcmp(digest, expect, dl))
			fail_msg("%s: wrong digest after updates", h->name);
		cdev_fsession(fd, ses);
	}
}

/* A SHA-256 session, and in expect the digest of "abc" (FIPS 180-2). */
static uint32_t abi_sha256_abc(uint8_t expect[32])
{
	const struct kat_digest *h = &kat_hashes[KAT_SHA256_ABC];
	uint32_t ses;

	assert_int_equal(h->alg, CRYPTO_SHA2_256);
	assert_true(abi_hash_session(h, &ses));
	kat_unhex(h->digest, expect, 32);
	return ses;
}

/* An empty FINAL call after updates produces the digest. */
static void empty_final_after_updates_gives_the_digest(void **state)
{
	uint8_t expect[32], digest[32];
	uint32_t ses = abi_sha256_abc(expect);

	(void)state;
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_UPDATE, "a",
				    NULL, 1, NULL, NULL), 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_UPDATE, "bc",
				    NULL, 2, NULL, NULL), 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_FINAL, NULL,
				    NULL, 0, NULL, digest), 0);
	assert_memory_equal(digest, expect, 32);
	cdev_fsession(fd, ses);
}

static void hash_reset_discards_earlier_updates(void **state)
{
	uint8_t expect[32], digest[32];
	uint32_t ses = abi_sha256_abc(expect);

	(void)state;
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_UPDATE,
				    "garbage", NULL, 7, NULL, NULL), 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
				    COP_FLAG_RESET | COP_FLAG_UPDATE, "ab",
				    NULL, 2, NULL, NULL), 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_FINAL, "c",
				    NULL, 1, NULL, digest), 0);
	assert_memory_equal(digest, expect, 32);
	cdev_fsession(fd, ses);
}

static int abi_cphash(uint32_t dst, uint32_t src)
{
	struct cphash_op cp = { .dst_ses = dst, .src_ses = src };

	return ioctl(fd, CIOCCPHASH, &cp) ? -errno : 0;
}

/*
 * CIOCCPHASH, as OpenSSL's devcrypto engine copies a digest context: "ab"
 * on one session, its state copied into another, "c" finished on both --
 * each gives FIPS 180's SHA-256("abc").
 */
static void cphash_copies_the_running_state_into_another_session(void **state)
{
	uint8_t expect[32], digest[32];
	uint32_t a = abi_sha256_abc(expect), b = abi_sha256_abc(expect);

	(void)state;
	assert_int_equal(cdev_crypt(fd, b, COP_ENCRYPT, COP_FLAG_UPDATE, "junk",
				    NULL, 4, NULL, NULL), 0);
	assert_int_equal(cdev_crypt(fd, a, COP_ENCRYPT, COP_FLAG_UPDATE, "ab",
				    NULL, 2, NULL, NULL), 0);
	assert_int_equal(abi_cphash(b, a), 0);
	memset(digest, 0, sizeof(digest));
	assert_int_equal(cdev_crypt(fd, a, COP_ENCRYPT, COP_FLAG_FINAL, "c",
				    NULL, 1, NULL, digest), 0);
	assert_memory_equal(digest, expect, 32);
	memset(digest, 0, sizeof(digest));
	assert_int_equal(cdev_crypt(fd, b, COP_ENCRYPT, COP_FLAG_FINAL, "c",
				    NULL, 1, NULL, digest), 0);
	assert_memory_equal(digest, expect, 32);
	cdev_fsession(fd, a);
	cdev_fsession(fd, b);
}

/*
 * cryptodev-linux's answers: one id for both is EDEADLK (even an unknown
 * one), an unknown id ENOENT; a cipher session or another algorithm is
 * EINVAL.  None of it disturbs the state.
 */
static void cphash_refuses_unknown_non_hash_and_mismatched_sessions(
	void **state)
{
	uint8_t expect[32], digest[32], key[16] = { 0 };
	uint32_t s256 = abi_sha256_abc(expect), s1, cbc;

	(void)state;
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA1, NULL, 0,
				      &s1), 0);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0,
				      &cbc), 0);
	assert_int_equal(cdev_crypt(fd, s256, COP_ENCRYPT, COP_FLAG_UPDATE,
				    "ab", NULL, 2, NULL, NULL), 0);
	assert_int_equal(abi_cphash(s256, s256 ^ 0x5a5a5a5a), -ENOENT);
	assert_int_equal(abi_cphash(s256 ^ 0x5a5a5a5a, s256), -ENOENT);
	assert_int_equal(abi_cphash(s256, cbc), -EINVAL);
	assert_int_equal(abi_cphash(cbc, s256), -EINVAL);
	assert_int_equal(abi_cphash(cbc, cbc), -EDEADLK);
	assert_int_equal(abi_cphash(s1, s256), -EINVAL);
	assert_int_equal(abi_cphash(s256, s256), -EDEADLK);
	assert_int_equal(abi_cphash(s256 ^ 0x5a5a5a5a, s256 ^ 0x5a5a5a5a),
			 -EDEADLK);
	assert_int_equal(cdev_crypt(fd, s256, COP_ENCRYPT, COP_FLAG_FINAL, "c",
				    NULL, 1, NULL, digest), 0);
	assert_memory_equal(digest, expect, 32);
	cdev_fsession(fd, s256);
	cdev_fsession(fd, s1);
	cdev_fsession(fd, cbc);
}

/* FIPS 180-2's million 'a': pinned buffers, many updates and one big call. */
static void million_a_matches_fips180(void **state)
{
	static const struct {
		uint32_t alg;
		const char *digest;
	} m[] = {
		{ CRYPTO_SHA1, KAT_FIPS180_MILLION_A_SHA1 },
		{ CRYPTO_SHA2_256, KAT_FIPS180_MILLION_A_SHA256 },
	};
	uint8_t expect[32], digest[32];
	size_t i, dl, off;
	uint8_t *buf;

	(void)state;
	buf = malloc(1000000);
	assert_non_null(buf);
	memset(buf, 'a', 1000000);
	for (i = 0; i < ARRAY_LEN(m); i++) {
		uint32_t ses;

		dl = kat_unhex(m[i].digest, expect, sizeof(expect));
		assert_int_equal(cdev_session(fd, 0, NULL, 0, m[i].alg, NULL, 0,
					      &ses), 0);
		memset(digest, 0, sizeof(digest));
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, buf, NULL,
					    1000000, NULL, digest), 0);
		assert_memory_equal(digest, expect, dl);

		/* 10000-byte updates from varying offsets in the buffer */
		for (off = 0; off < 1000000; off += 10000)
			assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
						    COP_FLAG_UPDATE,
						    buf + (off % 7919), NULL,
						    10000, NULL, NULL), 0);
		memset(digest, 0, sizeof(digest));
		assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
					    COP_FLAG_FINAL, NULL, NULL, 0, NULL,
					    digest), 0);
		assert_memory_equal(digest, expect, dl);
		cdev_fsession(fd, ses);
	}
	free(buf);
}

/* Buffers on both sides of the zero-copy threshold, aligned or not, in
 * place or not, agree with nettle. */
static void buffers_of_every_size_and_alignment_match_nettle(void **state)
{
	static const size_t lens[] = { 16, 1008, 1024, 2032, 2048, 4096, 4112, 65536,
				       65536 + 48, 262144 };
	static const size_t offs[] = { 0, 1, 4095 };
	uint8_t key[32], iv0[16], iv[16], riv[16], mac[64], expect_mac[64];
	uint8_t *src, *dst, *ref;
	size_t li, oi, i;
	uint32_t cbc, ctr, sha;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < 16; i++)
		iv0[i] = (uint8_t)(0xf0 + i);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, key, 32, 0, NULL, 0,
				      &cbc), 0);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CTR, key, 16, 0, NULL, 0,
				      &ctr), 0);
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA2_256_HMAC, key,
				      32, &sha), 0);
	src = malloc(262144 + 8192);
	dst = malloc(262144 + 8192);
	ref = malloc(262144 + 8192);
	assert_true(src && dst && ref);

	for (li = 0; li < ARRAY_LEN(lens); li++) {
		for (oi = 0; oi < ARRAY_LEN(offs); oi++) {
			size_t len = lens[li], off = offs[oi];
			uint8_t *s = src + off, *d = dst + off + 3;

			for (i = 0; i < len; i++)
				s[i] = (uint8_t)(i * 31 + len + off);
			/* CBC out of place, IV written back */
			memcpy(iv, iv0, 16);
			assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT,
						    COP_FLAG_WRITE_IV, s, d,
						    (uint32_t)len, iv, NULL), 0);
			memcpy(riv, iv0, 16);
			ref_cipher(CRYPTO_AES_CBC, 0, key, 32, riv, s,
				   ref, len);
			if (memcmp(d, ref, len))
				fail_msg("CBC %zu bytes at +%zu differs", len,
					 off);
			assert_memory_equal(iv, riv, 16);
			/* CBC decrypt in place */
			memcpy(iv, iv0, 16);
			assert_int_equal(cdev_crypt(fd, cbc, COP_DECRYPT, 0, d,
						    d, (uint32_t)len, iv, NULL),
					 0);
			if (memcmp(d, s, len))
				fail_msg("CBC decrypt %zu bytes at +%zu", len,
					 off);
			/* CTR in place */
			memcpy(d, s, len);
			memcpy(iv, iv0, 16);
			assert_int_equal(cdev_crypt(fd, ctr, COP_ENCRYPT, 0, d,
						    d, (uint32_t)len, iv, NULL),
					 0);
			memcpy(iv, iv0, 16);
			ref_cipher(CRYPTO_AES_CTR, 0, key, 16, iv, s, ref, len);
			if (memcmp(d, ref, len))
				fail_msg("CTR %zu bytes at +%zu differs", len,
					 off);
			/* HMAC */
			assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, s,
						    NULL, (uint32_t)len, NULL,
						    mac), 0);
			ref_hash(CRYPTO_SHA2_256_HMAC, key, 32, s, len,
				 expect_mac);
			if (memcmp(mac, expect_mac, 32))
				fail_msg("HMAC %zu bytes at +%zu differs", len,
					 off);
		}
	}
	free(src);
	free(dst);
	free(ref);
	cdev_fsession(fd, cbc);
	cdev_fsession(fd, ctr);
	cdev_fsession(fd, sha);
}

/* GCM with large data and AAD (pinned) matches nettle, both ways. */
static void gcm_large_buffers_match_nettle(void **state)
{
	static const size_t lens[] = { 0, 1, 1023, 1024, 2047, 2048, 65536 + 5 };
	uint8_t key[16], iv[12];
	uint8_t *pt, *aad, *out, *ref;
	uint32_t ses, max_aad = 0;
	size_t li, i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i + 100);
	memset(iv, 0x5c, sizeof(iv));
	assert_int_equal(cdev_sysfs_u32(fd, "max_aad_len", &max_aad), 0);
	if (max_aad > 8192)
		max_aad = 8192;
	pt = malloc(65536 + 5);
	aad = malloc(8192);
	out = malloc(65536 + 64);
	ref = malloc(65536 + 64);
	assert_true(pt && aad && out && ref);
	for (i = 0; i < 65536 + 5; i++)
		pt[i] = (uint8_t)(i ^ (i >> 8));
	for (i = 0; i < 8192; i++)
		aad[i] = (uint8_t)(i * 3);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, 16, 0, NULL, 0,
				      &ses), 0);
	for (li = 0; li < ARRAY_LEN(lens); li++) {
		size_t len = lens[li];
		uint32_t n = (uint32_t)len, tag_len = 0;

		ref_gcm_encrypt(key, 16, iv, aad, max_aad, pt, len, ref);
		assert_int_equal(cdev_aead(fd, ses, COP_ENCRYPT, aad, max_aad,
					   pt, out, &n, &tag_len, iv, 12), 0);
		assert_int_equal(n, len + 16);
		if (memcmp(out, ref, len + 16))
			fail_msg("GCM %zu bytes differs", len);
		tag_len = 0;
		assert_int_equal(cdev_aead(fd, ses, COP_DECRYPT, aad, max_aad,
					   out, out, &n, &tag_len, iv, 12), 0);
		assert_int_equal(n, len);
		assert_memory_equal(out, pt, len);
	}
	cdev_fsession(fd, ses);
	free(pt);
	free(aad);
	free(out);
	free(ref);
}

/* Operations longer than the device takes at once are split, chaining. */
static void operations_beyond_one_request_are_split(void **state)
{
	uint8_t key[16] = { 1, 2, 3 }, iv[16] = { 9 }, riv[16], mac[32],
		rmac[32];
	uint32_t max_len, cbc, sha;
	size_t len, i;
	uint8_t *src, *dst, *ref;

	(void)state;
	assert_int_equal(cdev_sysfs_u32(fd, "max_data_len", &max_len), 0);
	assert_true(max_len >= 16);
	len = 2 * (size_t)max_len + 48;
	if (len > 64u << 20)
		skip();
	src = malloc(len);
	dst = malloc(len);
	ref = malloc(len);
	assert_true(src && dst && ref);
	for (i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 13);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0,
				      &cbc), 0);
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA2_256, NULL, 0,
				      &sha), 0);
	memcpy(riv, iv, 16);
	ref_cipher(CRYPTO_AES_CBC, 0, key, 16, riv, src, ref, len);
	assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, COP_FLAG_WRITE_IV, src,
				    dst, (uint32_t)len, iv, NULL), 0);
	assert_true(memcmp(dst, ref, len) == 0);
	assert_memory_equal(iv, riv, 16);

	ref_hash(CRYPTO_SHA2_256, NULL, 0, src, len, rmac);
	assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, src, NULL,
				    (uint32_t)len, NULL, mac), 0);
	assert_memory_equal(mac, rmac, 32);
	cdev_fsession(fd, cbc);
	cdev_fsession(fd, sha);
	free(src);
	free(dst);
	free(ref);
}

static void sessinfo_names_the_algorithm_and_driver(void **state)
{
	static const struct {
		uint32_t cipher, mac;
		const char *name;
		uint32_t keylen;	/* cipher key; 0 means 16 */
	} a[] = {
		{ CRYPTO_AES_CBC, 0, "cbc(aes)", 0 },
		{ CRYPTO_AES_CTR, 0, "ctr(aes)", 0 },
		{ CRYPTO_AES_ECB, 0, "ecb(aes)", 0 },
		{ CRYPTO_AES_XTS, 0, "xts(aes)", 32 },
		{ CRYPTO_AES_GCM, 0, "gcm(aes)", 0 },
		{ CRYPTO_CAMELLIA_CBC, 0, "cbc(camellia)", 0 },
		{ CRYPTO_DES_CBC, 0, "cbc(des)", 8 },
		{ CRYPTO_3DES_CBC, 0, "cbc(des3_ede)", 24 },
		{ CRYPTO_BLF_CBC, 0, "cbc(blowfish)", 0 },
		{ CRYPTO_NULL, 0, "ecb(cipher_null)", 0 },
		{ 0, CRYPTO_MD5, "md5", 0 },
		{ 0, CRYPTO_RIPEMD160, "rmd160", 0 },
		{ 0, CRYPTO_SHA1, "sha1", 0 },
		{ 0, CRYPTO_SHA2_256, "sha256", 0 },
		{ 0, CRYPTO_SHA2_512, "sha512", 0 },
		{ 0, CRYPTO_MD5_HMAC, "hmac(md5)", 0 },
		{ 0, CRYPTO_RIPEMD160_HMAC, "hmac(rmd160)", 0 },
		{ 0, CRYPTO_SHA1_HMAC, "hmac(sha1)", 0 },
		{ 0, CRYPTO_SHA2_256_HMAC, "hmac(sha256)", 0 },
		{ 0, CRYPTO_SHA2_512_HMAC, "hmac(sha512)", 0 },
	};
	uint8_t key[32];
	size_t i;

	(void)state;
	/* all different bytes: not a weak DES key, nor equal XTS halves */
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i + 1);
	for (i = 0; i < ARRAY_LEN(a); i++) {
		struct session_info_op info;
		struct alg_info *ai;
		uint32_t ses;

		assert_int_equal(cdev_session(fd, a[i].cipher, key,
					      a[i].cipher ? (a[i].keylen ?
							     a[i].keylen : 16) :
							    0,
					      a[i].mac, key, a[i].mac ? 16 : 0,
					      &ses), 0);
		memset(&info, 0xff, sizeof(info));
		info.ses = ses;
		assert_int_equal(ioctl(fd, CIOCGSESSINFO, &info), 0);
		ai = a[i].cipher ? &info.cipher_info : &info.hash_info;
		assert_string_equal(ai->cra_name, a[i].name);
		assert_non_null(strstr(ai->cra_driver_name, "virtio"));
		assert_int_equal(info.alignmask, 0);
		assert_true(info.flags & SIOP_FLAG_KERNEL_DRIVER_ONLY);
		cdev_fsession(fd, ses);
	}
}

/*
 * CRIOGET gives another descriptor for the same open file, as
 * cryptodev-linux does: the sessions are shared, the descriptor is not
 * close-on-exec, and the file lives until the last descriptor closes.
 */
static void crioget_duplicates_the_file_with_its_sessions(void **state)
{
	const struct kat_cipher *k = &kat_ciphers[0];
	uint8_t plain[64], expect[64], out[64], key[16];
	uint32_t cfd = 0, ses, ses2;
	int fd2;

	(void)state;
	fd2 = cdev_open();	/* close-on-exec, as every test opens it */
	assert_true(fd2 >= 0);
	assert_int_equal(ioctl(fd2, CRIOGET, &cfd), 0);
	assert_true((int)cfd > 2 && (int)cfd != fd2);
	assert_int_equal(fcntl((int)cfd, F_GETFD), 0);

	kat_unhex(KAT_SP800_38A_PT, plain, sizeof(plain));
	kat_unhex(k->ct, expect, sizeof(expect));
	kat_unhex(k->key, key, sizeof(key));
	/* a session made on either descriptor is known on the other */
	assert_int_equal(cdev_session(fd2, k->alg, key, 16, 0, NULL, 0, &ses),
			 0);
	assert_int_equal(cdev_session((int)cfd, k->alg, key, 16, 0, NULL, 0,
				      &ses2), 0);
	assert_int_equal(cdev_fsession(fd2, ses2), 0);
	close(fd2);	/* the file lives on through the other descriptor */
	assert_int_equal(kat_cipher_check((int)cfd, ses, k), 0);
	/* but not on another open() of the device */
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, plain, out, 64,
				    NULL, NULL), -EINVAL);
	assert_int_equal(cdev_fsession(fd, ses), -ENOENT);
	assert_int_equal(cdev_fsession((int)cfd, ses), 0);
	assert_int_equal(close((int)cfd), 0);
}

/* No public-key operations: CIOCASYMFEAT answers no CRF_* bits. */
static void asymfeat_offers_no_public_key_operations(void **state)
{
	uint32_t feat = 0xffffffff;

	(void)state;
	assert_int_equal(ioctl(fd, CIOCASYMFEAT, &feat), 0);
	assert_int_equal(feat, 0);
}

static void freed_session_id_is_unknown(void **state)
{
	uint8_t key[16] = { 0 }, out[16];
	uint32_t ses;

	(void)state;
	assert_int_equal(cdev_session(fd, CRYPTO_AES_ECB, key, 16, 0, NULL, 0,
				      &ses), 0);
	assert_int_equal(cdev_fsession(fd, ses), 0);
	assert_int_equal(cdev_fsession(fd, ses), -ENOENT);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, key, out, 16, NULL,
				    NULL), -EINVAL);
}

/* Session ids are unpredictable: no two of many are equal or sequential. */
static void session_ids_are_unique_and_not_sequential(void **state)
{
	uint8_t key[16] = { 0 };
	uint32_t ids[64];
	int i, j, sequential = 0;

	(void)state;
	for (i = 0; i < 64; i++)
		assert_int_equal(cdev_session(fd, CRYPTO_AES_ECB, key, 16, 0,
					      NULL, 0, &ids[i]), 0);
	for (i = 0; i < 64; i++) {
		assert_int_not_equal(ids[i], 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(ids[i], ids[j]);
		if (i && ids[i] == ids[i - 1] + 1)
			sequential++;
	}
	assert_true(sequential < 4);
	for (i = 0; i < 64; i++)
		assert_int_equal(cdev_fsession(fd, ids[i]), 0);
}

/* Closing a file frees its sessions on the device: more sessions than the
 * device holds at once can be opened and left to close(). */
static void closing_the_file_frees_its_sessions(void **state)
{
	uint8_t key[16] = { 0 };
	uint32_t max_sessions, ses, i, per = 64, rounds;
	int f, n;

	(void)state;
	assert_int_equal(cdev_sysfs_u32(fd, "max_sessions", &max_sessions), 0);
	rounds = max_sessions / per + 3;
	for (i = 0; i < rounds; i++) {
		f = cdev_open();
		assert_true(f >= 0);
		for (n = 0; n < (int)per; n++)
			assert_int_equal(cdev_session(f, CRYPTO_AES_CBC, key, 16,
						      0, NULL, 0, &ses), 0);
		close(f);
	}
}

/* A process that exits with sessions open has them freed at exit, when it
 * no longer has an address space; the device (and the user's share of it)
 * then still has room.  Each round takes nearly all the user may hold, in
 * files of 128 sessions each (within max_sessions_per_file). */
static void sessions_of_an_exiting_process_are_freed(void **state)
{
	uint8_t key[16] = { 0 };
	uint32_t per_user, ses;
	int round, status;
	pid_t pid;

	(void)state;
	assert_int_equal(cdev_sysfs_u32(fd, "max_sessions_per_user", &per_user),
			 0);
	fflush(NULL);
	for (round = 0; round < 4; round++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			int f = -1, n, bad = 0;

			/* a few left for the sessions this process holds */
			for (n = 0; !bad && n < (int)per_user / 2 - 4; n++) {
				if (n % 64 == 0)
					bad = (f = cdev_open()) < 0;
				bad = bad ||
				      cdev_session(f, n % 2 ? CRYPTO_AES_GCM :
							      CRYPTO_AES_CBC,
						   key, 16, 0, NULL, 0, &ses) ||
				      cdev_session(f, 0, NULL, 0,
						   CRYPTO_SHA2_256_HMAC, key, 16,
						   &ses);
			}
			_exit(bad);	/* without closing the files */
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aes_ecb_matches_sp800_38a),
		cmocka_unit_test(aes_cbc_matches_sp800_38a),
		cmocka_unit_test(aes_ctr_matches_sp800_38a),
		cmocka_unit_test(other_ciphers_match_their_standards),
		cmocka_unit_test(null_cipher_returns_its_input),
		cmocka_unit_test(cipher_key_lengths_linux_refuses_are_einval),
		cmocka_unit_test(null_iv_continues_the_chain),
		cmocka_unit_test(write_iv_returns_the_last_ciphertext_block),
		cmocka_unit_test(iv_is_not_written_without_the_flag),
		cmocka_unit_test(zero_length_call_sets_the_iv),
		cmocka_unit_test(ctr_accepts_any_length),
		cmocka_unit_test(gcm_encrypt_matches_spec_and_writes_back_lengths),
		cmocka_unit_test(gcm_decrypt_recovers_plaintext_and_len_excludes_tag),
		cmocka_unit_test(gcm_tampering_is_ebadmsg),
		cmocka_unit_test(gcm_short_tag_is_a_prefix_of_the_full_tag),
		cmocka_unit_test(gcm_writes_back_where_the_tag_is),
		cmocka_unit_test(gcm_without_iv_uses_the_sessions_iv),
		cmocka_unit_test(hashes_and_hmacs_match_fips180_rfc1321_2202_2286_4231),
		cmocka_unit_test(hash_updates_then_final_match_one_shot),
		cmocka_unit_test(empty_final_after_updates_gives_the_digest),
		cmocka_unit_test(hash_reset_discards_earlier_updates),
		cmocka_unit_test(cphash_copies_the_running_state_into_another_session),
		cmocka_unit_test(cphash_refuses_unknown_non_hash_and_mismatched_sessions),
		cmocka_unit_test(million_a_matches_fips180),
		cmocka_unit_test(buffers_of_every_size_and_alignment_match_nettle),
		cmocka_unit_test(gcm_large_buffers_match_nettle),
		cmocka_unit_test(operations_beyond_one_request_are_split),
		cmocka_unit_test(sessinfo_names_the_algorithm_and_driver),
		cmocka_unit_test(crioget_duplicates_the_file_with_its_sessions),
		cmocka_unit_test(asymfeat_offers_no_public_key_operations),
		cmocka_unit_test(freed_session_id_is_unknown),
		cmocka_unit_test(session_ids_are_unique_and_not_sequential),
		cmocka_unit_test(closing_the_file_frees_its_sessions),
		cmocka_unit_test(sessions_of_an_exiting_process_are_freed),
	};

	cdev_require_device("test-cryptodev-abi");
	return cmocka_run_group_tests_name("cryptodev ABI", tests, abi_setup,
					   abi_teardown);
}
