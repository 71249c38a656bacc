/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Known-answer vectors, typed in from the standards:
 *   NIST SP 800-38A appendix F (AES ECB, CBC, CTR),
 *   McGrew & Viega, "The Galois/Counter Mode of Operation", test cases
 *   1-4 and 16 (AES-GCM; SP 800-38D refers to them),
 *   FIPS 180-2 appendices (SHA-1, SHA-2),
 *   RFC 2202 (HMAC-SHA1) and RFC 4231 (HMAC-SHA2).
 * Hex strings may contain spaces between groups.
 */
#ifndef KAT_VECTORS_H
#define KAT_VECTORS_H

#include <stdint.h>
#include <string.h>

#include <crypto/cryptodev.h>

#include "cdev_util.h"

/* SP 800-38A: the same four plaintext blocks for every mode. */
#define SP800_38A_PLAIN \
	"6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710"
#define SP800_38A_CBC_IV	"000102030405060708090a0b0c0d0e0f"
#define SP800_38A_CTR_IV	"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

struct kat_cipher {
	const char *name;
	uint32_t alg;
	const char *key;
	const char *iv;		/* NULL for ECB */
	const char *cipher;	/* of SP800_38A_PLAIN */
};

static const struct kat_cipher kat_ciphers[] = {
	{ "ECB-AES128", CRYPTO_AES_ECB, "2b7e151628aed2a6abf7158809cf4f3c", NULL,
	  "3ad77bb40d7a3660a89ecaf32466ef97 f5d3d58503b9699de785895a96fdbaaf"
	  "43b1cd7f598ece23881b00e3ed030688 7b0c785e27e8ad3f8223207104725dd4" },
	{ "ECB-AES192", CRYPTO_AES_ECB,
	  "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", NULL,
	  "bd334f1d6e45f25ff712a214571fa5cc 974104846d0ad3ad7734ecb3ecee4eef"
	  "ef7afd2270e2e60adce0ba2face6444e 9a4b41ba738d6c72fb16691603c18e0e" },
	{ "ECB-AES256", CRYPTO_AES_ECB,
	  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  NULL,
	  "f3eed1bdb5d2a03c064b5a7e3db181f8 591ccb10d410ed26dc5ba74a31362870"
	  "b6ed21b99ca6f4f9f153e7b1beafed1d 23304b7a39f9f3ff067d8d8f9e24ecc7" },
	{ "CBC-AES128", CRYPTO_AES_CBC, "2b7e151628aed2a6abf7158809cf4f3c",
	  SP800_38A_CBC_IV,
	  "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2"
	  "73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7" },
	{ "CBC-AES192", CRYPTO_AES_CBC,
	  "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", SP800_38A_CBC_IV,
	  "4f021db243bc633d7178183a9fa071e8 b4d9ada9ad7dedf4e5e738763f69145a"
	  "571b242012fb7ae07fa9baac3df102e0 08b0e27988598881d920a9e64f5615cd" },
	{ "CBC-AES256", CRYPTO_AES_CBC,
	  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  SP800_38A_CBC_IV,
	  "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d"
	  "39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b" },
	{ "CTR-AES128", CRYPTO_AES_CTR, "2b7e151628aed2a6abf7158809cf4f3c",
	  SP800_38A_CTR_IV,
	  "874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff"
	  "5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee" },
	{ "CTR-AES192", CRYPTO_AES_CTR,
	  "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", SP800_38A_CTR_IV,
	  "1abc932417521ca24f2b0459fe7e6e0b 090339ec0aa6faefd5ccc2c6f4ce8e94"
	  "1e36b26bd1ebc670d1bd1d665620abf7 4f78a7f6d29809585a97daec58c6b050" },
	{ "CTR-AES256", CRYPTO_AES_CTR,
	  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  SP800_38A_CTR_IV,
	  "601ec313775789a5b7a7f504bbf3d228 f443e3ca4d62b59aca84e990cacaf5c5"
	  "2b0930daa23de94ce87017ba2d84988d dfc9c58db67aada613c2dd08457941a6" },
};

struct kat_gcm {
	const char *name;
	const char *key, *iv, *aad, *plain, *cipher, *tag;
};

#define GCM_SPEC_KEY	"feffe9928665731c6d6a8f9467308308"
#define GCM_SPEC_IV	"cafebabefacedbaddecaf888"
#define GCM_SPEC_AAD	"feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_SPEC_PLAIN60 \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"

static const struct kat_gcm kat_gcms[] = {
	{ "GCM test case 1", "00000000000000000000000000000000",
	  "000000000000000000000000", "", "", "",
	  "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "GCM test case 2", "00000000000000000000000000000000",
	  "000000000000000000000000", "", "00000000000000000000000000000000",
	  "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "GCM test case 3", GCM_SPEC_KEY, GCM_SPEC_IV, "",
	  GCM_SPEC_PLAIN60 "1aafd255",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "GCM test case 4", GCM_SPEC_KEY, GCM_SPEC_IV, GCM_SPEC_AAD,
	  GCM_SPEC_PLAIN60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "GCM test case 16", GCM_SPEC_KEY GCM_SPEC_KEY, GCM_SPEC_IV,
	  GCM_SPEC_AAD, GCM_SPEC_PLAIN60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

struct kat_hash {
	const char *name;
	uint32_t alg;
	const char *key;	/* hex, NULL for a plain hash */
	unsigned int key_repeat;/* key is this many copies of its first byte */
	const char *msg;
	const char *digest;
};

#define FIPS180_MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define FIPS180_MSG896 \
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn" \
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
#define RFC_LARGE_KEY_MSG \
	"Test Using Larger Than Block-Size Key - Hash Key First"

static const struct kat_hash kat_hashes[] = {
	{ "SHA-1 abc", CRYPTO_SHA1, NULL, 0, "abc",
	  "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "SHA-1 448 bits", CRYPTO_SHA1, NULL, 0, FIPS180_MSG448,
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ "SHA-224 abc", CRYPTO_SHA2_224, NULL, 0, "abc",
	  "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7" },
	{ "SHA-224 448 bits", CRYPTO_SHA2_224, NULL, 0, FIPS180_MSG448,
	  "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525" },
	{ "SHA-256 abc", CRYPTO_SHA2_256, NULL, 0, "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "SHA-256 448 bits", CRYPTO_SHA2_256, NULL, 0, FIPS180_MSG448,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "SHA-384 abc", CRYPTO_SHA2_384, NULL, 0, "abc",
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	  "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
	{ "SHA-384 896 bits", CRYPTO_SHA2_384, NULL, 0, FIPS180_MSG896,
	  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
	  "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
	{ "SHA-512 abc", CRYPTO_SHA2_512, NULL, 0, "abc",
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ "SHA-512 896 bits", CRYPTO_SHA2_512, NULL, 0, FIPS180_MSG896,
	  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },

	{ "RFC 2202 HMAC-SHA1 case 1", CRYPTO_SHA1_HMAC, "0b", 20, "Hi There",
	  "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "RFC 2202 HMAC-SHA1 case 2", CRYPTO_SHA1_HMAC, "4a656665", 0,
	  "what do ya want for nothing?",
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ "RFC 2202 HMAC-SHA1 case 6", CRYPTO_SHA1_HMAC, "aa", 80,
	  RFC_LARGE_KEY_MSG, "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ "RFC 4231 HMAC-SHA224 case 1", CRYPTO_SHA2_224_HMAC, "0b", 20,
	  "Hi There",
	  "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22" },
	{ "RFC 4231 HMAC-SHA224 case 2", CRYPTO_SHA2_224_HMAC, "4a656665", 0,
	  "what do ya want for nothing?",
	  "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44" },
	{ "RFC 4231 HMAC-SHA256 case 1", CRYPTO_SHA2_256_HMAC, "0b", 20,
	  "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "RFC 4231 HMAC-SHA256 case 2", CRYPTO_SHA2_256_HMAC, "4a656665", 0,
	  "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "RFC 4231 HMAC-SHA256 case 6", CRYPTO_SHA2_256_HMAC, "aa", 131,
	  RFC_LARGE_KEY_MSG,
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ "RFC 4231 HMAC-SHA384 case 1", CRYPTO_SHA2_384_HMAC, "0b", 20,
	  "Hi There",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
	  "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
	{ "RFC 4231 HMAC-SHA384 case 2", CRYPTO_SHA2_384_HMAC, "4a656665", 0,
	  "what do ya want for nothing?",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
	  "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
	{ "RFC 4231 HMAC-SHA512 case 1", CRYPTO_SHA2_512_HMAC, "0b", 20,
	  "Hi There",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "RFC 4231 HMAC-SHA512 case 2", CRYPTO_SHA2_512_HMAC, "4a656665", 0,
	  "what do ya want for nothing?",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "RFC 4231 HMAC-SHA512 case 6", CRYPTO_SHA2_512_HMAC, "aa", 131,
	  RFC_LARGE_KEY_MSG,
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
};

/* FIPS 180-2: one million repetitions of 'a'. */
#define FIPS180_MILLION_A_SHA1	"34aa973cd4c4daa4f61eeb2bdbad27316534016f"
#define FIPS180_MILLION_A_SHA256 \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

/*
 * Encrypt the SP 800-38A plaintext with vector k on session ses (made with
 * k's key): 0 when the device gives the known answer, 1 for a wrong answer,
 * -errno when the call fails.  The tests that watch the device survive a
 * kill, an unload, a suspend or an unplug all ask it this one question.
 */
static inline int kat_cipher_check(int fd, uint32_t ses,
				   const struct kat_cipher *k)
{
	uint8_t iv[16], plain[64], expect[64], out[64];
	int err;

	if (k->iv)
		cdev_unhex(k->iv, iv, sizeof(iv));
	cdev_unhex(SP800_38A_PLAIN, plain, sizeof(plain));
	cdev_unhex(k->cipher, expect, sizeof(expect));
	err = cdev_crypt(fd, ses, COP_ENCRYPT, 0, plain, out, sizeof(out),
			 k->iv ? iv : NULL, NULL);
	if (!err && memcmp(out, expect, sizeof(out)))
		err = 1;
	return err;
}

/* kat_cipher_check() on a session of its own, freed afterwards. */
static inline int kat_cipher_check_session(int fd, const struct kat_cipher *k)
{
	uint8_t key[32];
	uint32_t ses;
	size_t keylen = cdev_unhex(k->key, key, sizeof(key));
	int err;

	err = cdev_session(fd, k->alg, key, keylen, 0, NULL, 0, &ses);
	if (err)
		return err;
	err = kat_cipher_check(fd, ses, k);
	cdev_fsession(fd, ses);
	return err;
}

#endif /* KAT_VECTORS_H */
