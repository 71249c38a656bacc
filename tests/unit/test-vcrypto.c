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
 * Vectors are typed in from the documents: NIST SP 800-38A appendix F,
 * McGrew & Viega "The Galois/Counter Mode of Operation" appendix B, FIPS 180-2
 * appendices (examples), RFC 4231 section 4, RFC 2202 section 3, RFC 7914
 * section 11.
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

#include "engine.h"
#include "vcrypto.h"

/* The engine the current group runs against. */
static struct vc_engine *engine;
static const char *cryptodev_path;

/* Helpers */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex, skipping spaces (vectors are typed as in the documents). */
static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (*s) {
		int hi, lo;

		if (*s == ' ') {
			s++;
			continue;
		}
		hi = hexval(s[0]);
		lo = hexval(s[1]);
		assert_true(hi >= 0 && lo >= 0);
		assert_true(n < max);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

static struct vc_session *new_cipher(uint32_t alg, const uint8_t *key,
				     size_t keylen)
{
	struct vc_session_params p = {
		.cipher = alg, .key = key, .keylen = keylen,
	};
	struct vc_session *s = NULL;

	assert_int_equal(vc_session_new(engine, &p, &s), 0);
	assert_non_null(s);
	return s;
}

static struct vc_session *new_hash(uint32_t alg, const uint8_t *key,
				   size_t keylen)
{
	struct vc_session_params p = {
		.mac = alg, .mackey = key, .mackeylen = keylen,
	};
	struct vc_session *s = NULL;

	assert_int_equal(vc_session_new(engine, &p, &s), 0);
	assert_non_null(s);
	return s;
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

#define SP800_38A_PT \
	"6bc1bee22e409f96e93d7e117393172a" \
	"ae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52ef" \
	"f69f2445df4f9b17ad2b417be66c3710"
#define SP800_38A_K128 "2b7e151628aed2a6abf7158809cf4f3c"
#define SP800_38A_K192 "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b"
#define SP800_38A_K256 \
	"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
#define SP800_38A_CBC_IV "000102030405060708090a0b0c0d0e0f"
#define SP800_38A_CTR_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

struct cipher_kat {
	const char *name;
	uint32_t alg;
	const char *key, *iv, *ct;
};

static const struct cipher_kat cipher_kats[] = {
	{ "F.1.1 ECB-AES128", CRYPTO_AES_ECB, SP800_38A_K128, NULL,
	  "3ad77bb40d7a3660a89ecaf32466ef97"
	  "f5d3d58503b9699de785895a96fdbaaf"
	  "43b1cd7f598ece23881b00e3ed030688"
	  "7b0c785e27e8ad3f8223207104725dd4" },
	{ "F.1.3 ECB-AES192", CRYPTO_AES_ECB, SP800_38A_K192, NULL,
	  "bd334f1d6e45f25ff712a214571fa5cc"
	  "974104846d0ad3ad7734ecb3ecee4eef"
	  "ef7afd2270e2e60adce0ba2face6444e"
	  "9a4b41ba738d6c72fb16691603c18e0e" },
	{ "F.1.5 ECB-AES256", CRYPTO_AES_ECB, SP800_38A_K256, NULL,
	  "f3eed1bdb5d2a03c064b5a7e3db181f8"
	  "591ccb10d410ed26dc5ba74a31362870"
	  "b6ed21b99ca6f4f9f153e7b1beafed1d"
	  "23304b7a39f9f3ff067d8d8f9e24ecc7" },
	{ "F.2.1 CBC-AES128", CRYPTO_AES_CBC, SP800_38A_K128, SP800_38A_CBC_IV,
	  "7649abac8119b246cee98e9b12e9197d"
	  "5086cb9b507219ee95db113a917678b2"
	  "73bed6b8e3c1743b7116e69e22229516"
	  "3ff1caa1681fac09120eca307586e1a7" },
	{ "F.2.3 CBC-AES192", CRYPTO_AES_CBC, SP800_38A_K192, SP800_38A_CBC_IV,
	  "4f021db243bc633d7178183a9fa071e8"
	  "b4d9ada9ad7dedf4e5e738763f69145a"
	  "571b242012fb7ae07fa9baac3df102e0"
	  "08b0e27988598881d920a9e64f5615cd" },
	{ "F.2.5 CBC-AES256", CRYPTO_AES_CBC, SP800_38A_K256, SP800_38A_CBC_IV,
	  "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
	  "9cfc4e967edb808d679f777bc6702c7d"
	  "39f23369a9d9bacfa530e26304231461"
	  "b2eb05e2c39be9fcda6c19078c6a9d1b" },
	{ "F.5.1 CTR-AES128", CRYPTO_AES_CTR, SP800_38A_K128, SP800_38A_CTR_IV,
	  "874d6191b620e3261bef6864990db6ce"
	  "9806f66b7970fdff8617187bb9fffdff"
	  "5ae4df3edbd5d35e5b4f09020db03eab"
	  "1e031dda2fbe03d1792170a0f3009cee" },
	{ "F.5.3 CTR-AES192", CRYPTO_AES_CTR, SP800_38A_K192, SP800_38A_CTR_IV,
	  "1abc932417521ca24f2b0459fe7e6e0b"
	  "090339ec0aa6faefd5ccc2c6f4ce8e94"
	  "1e36b26bd1ebc670d1bd1d665620abf7"
	  "4f78a7f6d29809585a97daec58c6b050" },
	{ "F.5.5 CTR-AES256", CRYPTO_AES_CTR, SP800_38A_K256, SP800_38A_CTR_IV,
	  "601ec313775789a5b7a7f504bbf3d228"
	  "f443e3ca4d62b59aca84e990cacaf5c5"
	  "2b0930daa23de94ce87017ba2d84988d"
	  "dfc9c58db67aada613c2dd08457941a6" },
};

static void run_cipher_kats(uint32_t alg)
{
	size_t i;

	for (i = 0; i < sizeof(cipher_kats) / sizeof(cipher_kats[0]); i++) {
		const struct cipher_kat *k = &cipher_kats[i];
		uint8_t key[32], iv[16], pt[64], ct[64], out[64];
		size_t keylen, ptlen, ctlen;
		struct vc_session *s;

		if (k->alg != alg)
			continue;
		keylen = unhex(k->key, key, sizeof(key));
		ptlen = unhex(SP800_38A_PT, pt, sizeof(pt));
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

static void ecb_matches_sp800_38a_f1(void **state)
{
	run_cipher_kats(CRYPTO_AES_ECB);
}

static void cbc_matches_sp800_38a_f2(void **state)
{
	run_cipher_kats(CRYPTO_AES_CBC);
}

static void ctr_matches_sp800_38a_f5(void **state)
{
	run_cipher_kats(CRYPTO_AES_CTR);
}

/* GCM: McGrew & Viega, "The Galois/Counter Mode of Operation", appendix B */

#define GCM_K3 "feffe9928665731c6d6a8f9467308308"
#define GCM_P3 \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_P4 \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_IV3 "cafebabefacedbaddecaf888"
#define GCM_A4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_Z96 "000000000000000000000000"
#define GCM_Z128 "00000000000000000000000000000000"

struct gcm_kat {
	const char *name;
	const char *key, *iv, *aad, *pt, *ct, *tag;
};

static const struct gcm_kat gcm_kats[] = {
	{ "test case 1", GCM_Z128, GCM_Z96, "", "", "",
	  "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "test case 2", GCM_Z128, GCM_Z96, "", GCM_Z128,
	  "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "test case 3", GCM_K3, GCM_IV3, "", GCM_P3,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "test case 4", GCM_K3, GCM_IV3, GCM_A4, GCM_P4,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "test case 7", GCM_Z128 "0000000000000000", GCM_Z96, "", "", "",
	  "cd33b28ac773f74ba00ed1f312572435" },
	{ "test case 8", GCM_Z128 "0000000000000000", GCM_Z96, "", GCM_Z128,
	  "98e7247c07f0fe411c267e4384b0f600",
	  "2ff58d80033927ab8ef4d4587514f0fb" },
	{ "test case 9", GCM_K3 "feffe9928665731c", GCM_IV3, "", GCM_P3,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
	  "9924a7c8587336bfb118024db8674a14" },
	{ "test case 10", GCM_K3 "feffe9928665731c", GCM_IV3, GCM_A4, GCM_P4,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
	  "2519498e80f1478f37ba55bd6d27618c" },
	{ "test case 13", GCM_Z128 GCM_Z128, GCM_Z96, "", "", "",
	  "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "test case 14", GCM_Z128 GCM_Z128, GCM_Z96, "", GCM_Z128,
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "test case 15", GCM_K3 GCM_K3, GCM_IV3, "", GCM_P3,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "test case 16", GCM_K3 GCM_K3, GCM_IV3, GCM_A4, GCM_P4,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

/* Test cases 5 and 6: nonces of 8 and 60 bytes go through GHASH. */
static const struct gcm_kat gcm_odd_nonce_kats[] = {
	{ "test case 5", GCM_K3, "cafebabefacedbad", GCM_A4, GCM_P4,
	  "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
	  "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
	  "3612d2e79e3b0785561be14aaca2fccb" },
	{ "test case 6", GCM_K3,
	  "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
	  "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
	  GCM_A4, GCM_P4,
	  "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
	  "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
	  "619cc5aefffe0bfa462af43c1699d050" },
};

static void run_gcm_kat(const struct gcm_kat *k)
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
		fail_msg("GCM %s ciphertext differs", k->name);
	if (memcmp(out + ctlen, tag, 16))
		fail_msg("GCM %s tag differs", k->name);

	/* Decrypt the document's ciphertext and tag, not our own output. */
	memcpy(out, ct, ctlen);
	memcpy(out + ctlen, tag, 16);
	assert_int_equal(vc_aead(s, COP_DECRYPT, iv, ivlen, aad, aadlen, out,
				 ctlen + 16, out, 0, &outlen), 0);
	assert_int_equal(outlen, ptlen);
	if (memcmp(out, pt, ptlen))
		fail_msg("GCM %s decrypt differs", k->name);
	vc_session_free(s);
}

static void gcm_matches_gcm_spec_vectors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(gcm_kats) / sizeof(gcm_kats[0]); i++)
		run_gcm_kat(&gcm_kats[i]);
}

static void gcm_nonce_not_96_bits_matches_spec_or_is_refused(void **state)
{
	size_t i;

	/*
	 * cryptodev-linux uses only 12 nonce bytes, so the cryptodev engine
	 * refuses other lengths rather than compute a different answer.
	 */
	if (vc_engine_kind(engine) != VC_ENGINE_SOFT) {
		const struct gcm_kat *k = &gcm_odd_nonce_kats[1];
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
	for (i = 0; i < sizeof(gcm_odd_nonce_kats) /
	     sizeof(gcm_odd_nonce_kats[0]); i++)
		run_gcm_kat(&gcm_odd_nonce_kats[i]);
}

/* FIPS 180-2 appendices A-D: the one-block and the multi-block example */

#define MSG_ABC "abc"
#define MSG_448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG_896 \
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn" \
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

struct hash_kat {
	uint32_t alg;
	const char *msg;
	const char *md;
};

static const struct hash_kat hash_kats[] = {
	{ CRYPTO_SHA1, MSG_ABC, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ CRYPTO_SHA1, MSG_448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ CRYPTO_SHA2_224, MSG_ABC,
	  "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7" },
	{ CRYPTO_SHA2_224, MSG_448,
	  "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525" },
	{ CRYPTO_SHA2_256, MSG_ABC,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ CRYPTO_SHA2_256, MSG_448,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ CRYPTO_SHA2_384, MSG_ABC,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	  "8086072ba1e7cc2358baeca134c825a7" },
	{ CRYPTO_SHA2_384, MSG_896,
	  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
	  "fcc7c71a557e2db966c3e9fa91746039" },
	{ CRYPTO_SHA2_512, MSG_ABC,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ CRYPTO_SHA2_512, MSG_896,
	  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
};

static void sha_matches_fips180_examples(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(hash_kats) / sizeof(hash_kats[0]); i++) {
		const struct hash_kat *k = &hash_kats[i];
		uint8_t want[64], got[64];
		size_t mdlen = unhex(k->md, want, sizeof(want));
		struct vc_session *s = new_hash(k->alg, NULL, 0);

		assert_int_equal(mdlen, vc_alg_digest_size(k->alg));
		memset(got, 0, sizeof(got));
		assert_int_equal(vc_hash(s, (const uint8_t *)k->msg,
					 strlen(k->msg), 0, got), 0);
		if (memcmp(got, want, mdlen))
			fail_msg("%s(\"%.8s...\") differs",
				 vc_alg_name(k->alg), k->msg);
		vc_session_free(s);
	}
}

/* RFC 4231 section 4 (HMAC-SHA2) and RFC 2202 section 3 (HMAC-SHA1) */

struct hmac_kat {
	const char *name;
	uint32_t alg;
	/* key: hex, or key_rep copies of key_byte */
	const char *key_hex;
	uint8_t key_byte;
	size_t key_rep;
	/* data: text, or data_rep copies of data_byte */
	const char *data;
	uint8_t data_byte;
	size_t data_rep;
	const char *mac;
};

#define RFC4231_TC6_DATA "Test Using Larger Than Block-Size Key - Hash Key First"
#define RFC4231_TC7_DATA \
	"This is a test using a larger than block-size key and a larger " \
	"than block-size data. The key needs to be hashed before being " \
	"used by the HMAC algorithm."
#define KEY_0102_19 "0102030405060708090a0b0c0d0e0f10111213141516171819"

#define HMAC_TC1(alg, mac) \
	{ "test case 1", alg, NULL, 0x0b, 20, "Hi There", 0, 0, mac }
#define HMAC_TC2(alg, mac) \
	{ "test case 2", alg, "4a656665", 0, 0, \
	  "what do ya want for nothing?", 0, 0, mac }
#define HMAC_TC3(alg, mac) \
	{ "test case 3", alg, NULL, 0xaa, 20, NULL, 0xdd, 50, mac }
#define HMAC_TC4(alg, mac) \
	{ "test case 4", alg, KEY_0102_19, 0, 0, NULL, 0xcd, 50, mac }
#define HMAC_TC6(alg, mac) \
	{ "test case 6", alg, NULL, 0xaa, 131, RFC4231_TC6_DATA, 0, 0, mac }
#define HMAC_TC7(alg, mac) \
	{ "test case 7", alg, NULL, 0xaa, 131, RFC4231_TC7_DATA, 0, 0, mac }

static const struct hmac_kat rfc4231_kats[] = {
	HMAC_TC1(CRYPTO_SHA2_224_HMAC,
		 "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"),
	HMAC_TC1(CRYPTO_SHA2_256_HMAC,
		 "b0344c61d8db38535ca8afceaf0bf12b"
		 "881dc200c9833da726e9376c2e32cff7"),
	HMAC_TC1(CRYPTO_SHA2_384_HMAC,
		 "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
		 "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
	HMAC_TC1(CRYPTO_SHA2_512_HMAC,
		 "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		 "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
	HMAC_TC2(CRYPTO_SHA2_224_HMAC,
		 "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"),
	HMAC_TC2(CRYPTO_SHA2_256_HMAC,
		 "5bdcc146bf60754e6a042426089575c7"
		 "5a003f089d2739839dec58b964ec3843"),
	HMAC_TC2(CRYPTO_SHA2_384_HMAC,
		 "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
		 "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
	HMAC_TC2(CRYPTO_SHA2_512_HMAC,
		 "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		 "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
	HMAC_TC3(CRYPTO_SHA2_224_HMAC,
		 "7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea"),
	HMAC_TC3(CRYPTO_SHA2_256_HMAC,
		 "773ea91e36800e46854db8ebd09181a7"
		 "2959098b3ef8c122d9635514ced565fe"),
	HMAC_TC3(CRYPTO_SHA2_384_HMAC,
		 "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9feb"
		 "e83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27"),
	HMAC_TC3(CRYPTO_SHA2_512_HMAC,
		 "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
		 "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
	HMAC_TC4(CRYPTO_SHA2_224_HMAC,
		 "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a"),
	HMAC_TC4(CRYPTO_SHA2_256_HMAC,
		 "82558a389a443c0ea4cc819899f2083a"
		 "85f0faa3e578f8077a2e3ff46729665b"),
	HMAC_TC4(CRYPTO_SHA2_384_HMAC,
		 "3e8a69b7783c25851933ab6290af6ca77a9981480850009c"
		 "c5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb"),
	HMAC_TC4(CRYPTO_SHA2_512_HMAC,
		 "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
		 "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
	HMAC_TC6(CRYPTO_SHA2_224_HMAC,
		 "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e"),
	HMAC_TC6(CRYPTO_SHA2_256_HMAC,
		 "60e431591ee0b67f0d8a26aacbf5b77f"
		 "8e0bc6213728c5140546040f0ee37f54"),
	HMAC_TC6(CRYPTO_SHA2_384_HMAC,
		 "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f"
		 "3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"),
	HMAC_TC6(CRYPTO_SHA2_512_HMAC,
		 "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		 "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
	HMAC_TC7(CRYPTO_SHA2_224_HMAC,
		 "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1"),
	HMAC_TC7(CRYPTO_SHA2_256_HMAC,
		 "9b09ffa71b942fcb27635fbcd5b0e944"
		 "bfdc63644f0713938a7f51535c3a35e2"),
	HMAC_TC7(CRYPTO_SHA2_384_HMAC,
		 "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9a"
		 "dccebb82461e99c5a678cc31e799176d3860e6110c46523e"),
	HMAC_TC7(CRYPTO_SHA2_512_HMAC,
		 "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
		 "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
};

static const struct hmac_kat rfc2202_kats[] = {
	HMAC_TC1(CRYPTO_SHA1_HMAC, "b617318655057264e28bc0b6fb378c8ef146be00"),
	HMAC_TC2(CRYPTO_SHA1_HMAC, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
	HMAC_TC3(CRYPTO_SHA1_HMAC, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
	HMAC_TC4(CRYPTO_SHA1_HMAC, "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
	{ "test case 5", CRYPTO_SHA1_HMAC, NULL, 0x0c, 20,
	  "Test With Truncation", 0, 0,
	  "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ "test case 6", CRYPTO_SHA1_HMAC, NULL, 0xaa, 80,
	  "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ "test case 7", CRYPTO_SHA1_HMAC, NULL, 0xaa, 80,
	  "Test Using Larger Than Block-Size Key and Larger Than One "
	  "Block-Size Data", 0, 0,
	  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
};

static void run_hmac_kats(const struct hmac_kat *kats, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hmac_kat *k = &kats[i];
		uint8_t key[131], data[160], want[64], got[64];
		size_t keylen, datalen, maclen;
		struct vc_session *s;

		if (k->key_hex) {
			keylen = unhex(k->key_hex, key, sizeof(key));
		} else {
			assert_true(k->key_rep <= sizeof(key));
			keylen = k->key_rep;
			memset(key, k->key_byte, keylen);
		}
		if (k->data) {
			datalen = strlen(k->data);
			assert_true(datalen <= sizeof(data));
			memcpy(data, k->data, datalen);
		} else {
			datalen = k->data_rep;
			memset(data, k->data_byte, datalen);
		}
		maclen = unhex(k->mac, want, sizeof(want));
		assert_int_equal(maclen, vc_alg_digest_size(k->alg));

		s = new_hash(k->alg, key, keylen);
		memset(got, 0, sizeof(got));
		assert_int_equal(vc_hash(s, data, datalen, 0, got), 0);
		if (memcmp(got, want, maclen))
			fail_msg("%s %s differs", vc_alg_name(k->alg), k->name);
		vc_session_free(s);
	}
}

static void hmac_sha2_matches_rfc4231(void **state)
{
	run_hmac_kats(rfc4231_kats, sizeof(rfc4231_kats) /
		      sizeof(rfc4231_kats[0]));
}

static void hmac_sha1_matches_rfc2202(void **state)
{
	run_hmac_kats(rfc2202_kats, sizeof(rfc2202_kats) /
		      sizeof(rfc2202_kats[0]));
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

static void gcm_rejects_tampered_tag(void **state)
{
	gcm_refuses(TAMPER_TAG);
}

static void gcm_rejects_tampered_aad(void **state)
{
	gcm_refuses(TAMPER_AAD);
}

static void gcm_rejects_tampered_ciphertext(void **state)
{
	gcm_refuses(TAMPER_CIPHERTEXT);
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
		CRYPTO_DES_CBC, CRYPTO_MD5, CRYPTO_AES_XTS, 9999,
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

static void rejects_cipher_plus_mac_combination(void **state)
{
	uint8_t key[16] = { 0 }, mackey[32] = { 0 };
	struct vc_session_params p = {
		.cipher = CRYPTO_AES_CBC, .key = key, .keylen = 16,
		.mac = CRYPTO_SHA2_256_HMAC, .mackey = mackey, .mackeylen = 32,
	};
	struct vc_session *s = NULL;

	assert_int_equal(vc_session_new(engine, &p, &s), -EINVAL);
	p.cipher = CRYPTO_AES_GCM;
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
		CRYPTO_SHA1, CRYPTO_SHA2_224, CRYPTO_SHA2_256, CRYPTO_SHA2_384,
		CRYPTO_SHA2_512, CRYPTO_SHA1_HMAC, CRYPTO_SHA2_256_HMAC,
		CRYPTO_SHA2_512_HMAC,
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
	assert_null(vc_alg_name(CRYPTO_DES_CBC));
	assert_int_equal(vc_alg_block_size(CRYPTO_AES_CBC), 16);
	assert_int_equal(vc_alg_block_size(CRYPTO_AES_CTR), 1);
	assert_int_equal(vc_alg_block_size(CRYPTO_AES_GCM), 1);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_CBC), 16);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_GCM), 12);
	assert_int_equal(vc_alg_iv_size(CRYPTO_AES_ECB), 0);
	assert_int_equal(vc_alg_digest_size(CRYPTO_SHA1_HMAC), 20);
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

static const struct CMUnitTest engine_tests[] = {
	cmocka_unit_test(ecb_matches_sp800_38a_f1),
	cmocka_unit_test(cbc_matches_sp800_38a_f2),
	cmocka_unit_test(ctr_matches_sp800_38a_f5),
	cmocka_unit_test(gcm_matches_gcm_spec_vectors),
	cmocka_unit_test(gcm_nonce_not_96_bits_matches_spec_or_is_refused),
	cmocka_unit_test(sha_matches_fips180_examples),
	cmocka_unit_test(hmac_sha2_matches_rfc4231),
	cmocka_unit_test(hmac_sha1_matches_rfc2202),
	cmocka_unit_test(cipher_chaining_with_null_iv_equals_one_shot),
	cmocka_unit_test(cbc_iv_out_is_last_ciphertext_block),
	cmocka_unit_test(ctr_iv_out_is_next_counter),
	cmocka_unit_test(ctr_partial_block_next_call_starts_fresh_block),
	cmocka_unit_test(zero_length_call_sets_the_iv),
	cmocka_unit_test(in_place_matches_separate_buffers),
	cmocka_unit_test(gcm_in_place_round_trip),
	cmocka_unit_test(gcm_short_tag_round_trip),
	cmocka_unit_test(gcm_rejects_tampered_tag),
	cmocka_unit_test(gcm_rejects_tampered_aad),
	cmocka_unit_test(gcm_rejects_tampered_ciphertext),
	cmocka_unit_test(gcm_rejects_bad_tag_and_nonce_sizes),
	cmocka_unit_test(gcm_refuses_tag_lengths_outside_sp800_38d),
	cmocka_unit_test(rejects_bad_key_length),
	cmocka_unit_test(rejects_unaligned_block_mode_length),
	cmocka_unit_test(rejects_unknown_algorithm),
	cmocka_unit_test(rejects_cipher_plus_mac_combination),
	cmocka_unit_test(rejects_operation_of_another_session_kind),
	cmocka_unit_test(hash_update_then_final_equals_one_shot),
	cmocka_unit_test(hash_reset_discards_earlier_updates),
	cmocka_unit_test(hash_final_without_digest_buffer_is_refused),
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
