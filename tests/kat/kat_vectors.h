/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The known-answer vectors, data only: the ONE copy that the crypto
 * library's test, the backend's test, the in-guest tests and the benchmarks
 * check against.  Typed in from the documents:
 *
 *   NIST SP 800-38A appendix F (AES ECB F.1, CBC F.2, CTR F.5),
 *   IEEE Std 1619-2007 annex B (XTS-AES) and NIST CAVP's XTSGenAES256,
 *   RFC 3713 appendix A (Camellia), FIPS 81 appendix C (DES-CBC),
 *   NIST SP 800-20 table 1 (DES), SP 800-67 (Triple DES example),
 *   Schneier's Blowfish test vectors (ECB, variable key, CBC),
 *   McGrew & Viega, "The Galois/Counter Mode of Operation", appendix B
 *     (AES-GCM test cases; SP 800-38D refers to them),
 *   FIPS 180-2 appendices (the SHA-1 and SHA-2 examples),
 *   RFC 4231 section 4 (HMAC-SHA2), RFC 2202 sections 2 and 3 (HMAC-MD5,
 *     HMAC-SHA1), RFC 2286 section 2 (HMAC-RIPEMD160),
 *   RFC 1321 appendix A.5 (the MD5 test suite),
 *   Dobbertin, Bosselaers & Preneel, "RIPEMD-160: A Strengthened Version of
 *     RIPEMD", the test values of its appendix / the authors' page.
 *
 * Hex strings may have spaces between groups; tests/kat/kat_hex.h decodes
 * them.  tests/guest/cdev_ref.c keeps its own arithmetic on purpose: a
 * reference must not share a bug with what it checks, so it takes nothing
 * from here.
 */
#ifndef KAT_VECTORS_H
#define KAT_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include <crypto/cryptodev.h>

/* ---- NIST SP 800-38A: the same four plaintext blocks for every mode ---- */

#define KAT_SP800_38A_PT \
	"6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710"
#define KAT_SP800_38A_K128 "2b7e151628aed2a6abf7158809cf4f3c"
#define KAT_SP800_38A_K192 "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b"
#define KAT_SP800_38A_K256 \
	"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
#define KAT_SP800_38A_CBC_IV "000102030405060708090a0b0c0d0e0f"
#define KAT_SP800_38A_CTR_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

struct kat_cipher {
	const char *name;
	uint32_t alg;
	const char *key;
	const char *iv;		/* NULL for ECB */
	const char *ct;		/* of KAT_SP800_38A_PT */
};

/* Rows in this order, so tests may name one by its index. */
enum {
	KAT_ECB_AES128, KAT_ECB_AES192, KAT_ECB_AES256,
	KAT_CBC_AES128, KAT_CBC_AES192, KAT_CBC_AES256,
	KAT_CTR_AES128, KAT_CTR_AES192, KAT_CTR_AES256,
};

static const struct kat_cipher kat_ciphers[] = {
	{ "F.1.1 ECB-AES128", CRYPTO_AES_ECB, KAT_SP800_38A_K128, NULL,
	  "3ad77bb40d7a3660a89ecaf32466ef97"
	  "f5d3d58503b9699de785895a96fdbaaf"
	  "43b1cd7f598ece23881b00e3ed030688"
	  "7b0c785e27e8ad3f8223207104725dd4" },
	{ "F.1.3 ECB-AES192", CRYPTO_AES_ECB, KAT_SP800_38A_K192, NULL,
	  "bd334f1d6e45f25ff712a214571fa5cc"
	  "974104846d0ad3ad7734ecb3ecee4eef"
	  "ef7afd2270e2e60adce0ba2face6444e"
	  "9a4b41ba738d6c72fb16691603c18e0e" },
	{ "F.1.5 ECB-AES256", CRYPTO_AES_ECB, KAT_SP800_38A_K256, NULL,
	  "f3eed1bdb5d2a03c064b5a7e3db181f8"
	  "591ccb10d410ed26dc5ba74a31362870"
	  "b6ed21b99ca6f4f9f153e7b1beafed1d"
	  "23304b7a39f9f3ff067d8d8f9e24ecc7" },
	{ "F.2.1 CBC-AES128", CRYPTO_AES_CBC, KAT_SP800_38A_K128,
	  KAT_SP800_38A_CBC_IV,
	  "7649abac8119b246cee98e9b12e9197d"
	  "5086cb9b507219ee95db113a917678b2"
	  "73bed6b8e3c1743b7116e69e22229516"
	  "3ff1caa1681fac09120eca307586e1a7" },
	{ "F.2.3 CBC-AES192", CRYPTO_AES_CBC, KAT_SP800_38A_K192,
	  KAT_SP800_38A_CBC_IV,
	  "4f021db243bc633d7178183a9fa071e8"
	  "b4d9ada9ad7dedf4e5e738763f69145a"
	  "571b242012fb7ae07fa9baac3df102e0"
	  "08b0e27988598881d920a9e64f5615cd" },
	{ "F.2.5 CBC-AES256", CRYPTO_AES_CBC, KAT_SP800_38A_K256,
	  KAT_SP800_38A_CBC_IV,
	  "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
	  "9cfc4e967edb808d679f777bc6702c7d"
	  "39f23369a9d9bacfa530e26304231461"
	  "b2eb05e2c39be9fcda6c19078c6a9d1b" },
	{ "F.5.1 CTR-AES128", CRYPTO_AES_CTR, KAT_SP800_38A_K128,
	  KAT_SP800_38A_CTR_IV,
	  "874d6191b620e3261bef6864990db6ce"
	  "9806f66b7970fdff8617187bb9fffdff"
	  "5ae4df3edbd5d35e5b4f09020db03eab"
	  "1e031dda2fbe03d1792170a0f3009cee" },
	{ "F.5.3 CTR-AES192", CRYPTO_AES_CTR, KAT_SP800_38A_K192,
	  KAT_SP800_38A_CTR_IV,
	  "1abc932417521ca24f2b0459fe7e6e0b"
	  "090339ec0aa6faefd5ccc2c6f4ce8e94"
	  "1e36b26bd1ebc670d1bd1d665620abf7"
	  "4f78a7f6d29809585a97daec58c6b050" },
	{ "F.5.5 CTR-AES256", CRYPTO_AES_CTR, KAT_SP800_38A_K256,
	  KAT_SP800_38A_CTR_IV,
	  "601ec313775789a5b7a7f504bbf3d228"
	  "f443e3ca4d62b59aca84e990cacaf5c5"
	  "2b0930daa23de94ce87017ba2d84988d"
	  "dfc9c58db67aada613c2dd08457941a6" },
};

/*
 * Vectors with their own plaintext.  ecb_blocks: the document gives
 * ECB answers for an algorithm offered only in CBC, so each block is
 * encrypted on its own under an all-zero IV -- one CBC block under a zero
 * IV is the ECB block.  XTS IVs are the data unit number, little-endian
 * (IEEE 1619 5.1).  Vectors whose XTS key halves are equal are left out:
 * a host in FIPS mode refuses such keys.
 */
struct kat_cipher_doc {
	const char *name;
	uint32_t alg;
	const char *key;
	const char *iv;		/* NULL with ecb_blocks */
	int ecb_blocks;
	const char *pt;
	const char *ct;
};

#define KAT_XTS_IV_3333333333 "33333333330000000000000000000000"
#define KAT_XTS_PT_44 \
	"4444444444444444444444444444444444444444444444444444444444444444"
#define KAT_RFC3713_PT "0123456789abcdeffedcba9876543210"

static const struct kat_cipher_doc kat_cipher_docs[] = {
	{ "IEEE 1619 XTS-AES-128 vector 2", CRYPTO_AES_XTS,
	  "11111111111111111111111111111111 22222222222222222222222222222222",
	  KAT_XTS_IV_3333333333, 0, KAT_XTS_PT_44,
	  "c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0" },
	{ "IEEE 1619 XTS-AES-128 vector 3", CRYPTO_AES_XTS,
	  "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0 22222222222222222222222222222222",
	  KAT_XTS_IV_3333333333, 0, KAT_XTS_PT_44,
	  "af85336b597afc1a900b2eb21ec949d292df4c047e0b21532186a5971a227a89" },
	/* XTS blocks are independent: the first 32 bytes of the 512-byte unit */
	{ "IEEE 1619 XTS-AES-256 vector 10, first two blocks", CRYPTO_AES_XTS,
	  "2718281828459045235360287471352662497757247093699959574966967627"
	  "3141592653589793238462643383279502884197169399375105820974944592",
	  "ff000000000000000000000000000000", 0,
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "1c3b3a102f770386e4836c99e370cf9bea00803f5e482357a4ae12d414a3e63b" },
	{ "NIST CAVP XTSGenAES256 count 1", CRYPTO_AES_XTS,
	  "1ea661c58d943a0e4801e42f4b0947149e7f9f8e3e68d0c7505210bd311a0e7c"
	  "d6e13ffdf2418d8d1911c004cda58da3d619b7e2b9141e58318eea392cf41b08",
	  "adf8d92627464ad2f0428e84a9f87564", 0,
	  "2eedea52cd8215e1acc647e810bbc3642e87287f8d2e57e36c0a24fbc12a202e",
	  "cbaad0e2f6cea3f50b37f934d46a9b130b9d54f07e34f36af793e86f73c6d7db" },
	{ "RFC 3713 Camellia-128", CRYPTO_CAMELLIA_CBC,
	  "0123456789abcdeffedcba9876543210", NULL, 1, KAT_RFC3713_PT,
	  "67673138549669730857065648eabe43" },
	{ "RFC 3713 Camellia-192", CRYPTO_CAMELLIA_CBC,
	  "0123456789abcdeffedcba98765432100011223344556677", NULL, 1,
	  KAT_RFC3713_PT, "b4993401b3e996f84ee5cee7d79b09b9" },
	{ "RFC 3713 Camellia-256", CRYPTO_CAMELLIA_CBC,
	  "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff",
	  NULL, 1, KAT_RFC3713_PT, "9acc237dff16d76c20ef7c919e3a7509" },
	/* "Now is the time for all " */
	{ "FIPS 81 DES-CBC", CRYPTO_DES_CBC, "0123456789abcdef",
	  "1234567890abcdef", 0,
	  "4e6f772069732074 68652074696d6520 666f7220616c6c20",
	  "e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6" },
	/* Table 1 rounds 1-3, under the weak key 01..01 Linux accepts */
	{ "SP 800-20 DES variable plaintext", CRYPTO_DES_CBC,
	  "0101010101010101", NULL, 1,
	  "8000000000000000 4000000000000000 2000000000000000",
	  "95f8a5e5dd31d900 dd7f121ca5015619 2e8653104f3834ea" },
	/* "The qufck brown fox jump" */
	{ "SP 800-67 Triple DES example", CRYPTO_3DES_CBC,
	  "0123456789abcdef 23456789abcdef01 456789abcdef0123", NULL, 1,
	  "5468652071756663 6b2062726f776e20 666f78206a756d70",
	  "a826fd8ce53b855f cce21c8112256fe6 68d5c05dd9b6b900" },
	{ "Blowfish zero key", CRYPTO_BLF_CBC, "0000000000000000", NULL, 1,
	  "0000000000000000", "4ef997456198dd78" },
	{ "Blowfish all-ones key", CRYPTO_BLF_CBC, "ffffffffffffffff", NULL, 1,
	  "ffffffffffffffff", "51866fd5b85ecb8a" },
	/* the variable-key-length set's shortest key Linux takes: 32 bits */
	{ "Blowfish 32-bit key", CRYPTO_BLF_CBC, "f0e1d2c3", NULL, 1,
	  "fedcba9876543210", "be1e639408640f05" },
	/* "7654321 Now is the time for " and its NUL, zero-padded */
	{ "Blowfish CBC", CRYPTO_BLF_CBC, "0123456789abcdeff0e1d2c3b4a59687",
	  "fedcba9876543210", 0,
	  "37363534333231204e6f77206973207468652074696d6520666f722000000000",
	  "6b77b4d63006dee605b156e27403979358deb9e7154616d959f1652bd5ff92cc" },
};

/* ---- AES-GCM: McGrew & Viega appendix B -------------------------------- */

#define KAT_GCM_K3 "feffe9928665731c6d6a8f9467308308"
#define KAT_GCM_P3 \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define KAT_GCM_P4 \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define KAT_GCM_IV3 "cafebabefacedbaddecaf888"
#define KAT_GCM_A4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define KAT_GCM_Z96 "000000000000000000000000"
#define KAT_GCM_Z128 "00000000000000000000000000000000"

struct kat_gcm {
	const char *name;
	const char *key, *iv, *aad, *pt, *ct, *tag;
};

/* Indexes into kat_gcms[] of the cases tests pick by name. */
enum { KAT_GCM_TC3 = 2, KAT_GCM_TC4 = 3 };

static const struct kat_gcm kat_gcms[] = {
	{ "GCM test case 1", KAT_GCM_Z128, KAT_GCM_Z96, "", "", "",
	  "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "GCM test case 2", KAT_GCM_Z128, KAT_GCM_Z96, "", KAT_GCM_Z128,
	  "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "GCM test case 3", KAT_GCM_K3, KAT_GCM_IV3, "", KAT_GCM_P3,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "GCM test case 4", KAT_GCM_K3, KAT_GCM_IV3, KAT_GCM_A4, KAT_GCM_P4,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "GCM test case 7", KAT_GCM_Z128 "0000000000000000", KAT_GCM_Z96, "",
	  "", "", "cd33b28ac773f74ba00ed1f312572435" },
	{ "GCM test case 8", KAT_GCM_Z128 "0000000000000000", KAT_GCM_Z96, "",
	  KAT_GCM_Z128,
	  "98e7247c07f0fe411c267e4384b0f600",
	  "2ff58d80033927ab8ef4d4587514f0fb" },
	{ "GCM test case 9", KAT_GCM_K3 "feffe9928665731c", KAT_GCM_IV3, "",
	  KAT_GCM_P3,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
	  "9924a7c8587336bfb118024db8674a14" },
	{ "GCM test case 10", KAT_GCM_K3 "feffe9928665731c", KAT_GCM_IV3,
	  KAT_GCM_A4, KAT_GCM_P4,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
	  "2519498e80f1478f37ba55bd6d27618c" },
	{ "GCM test case 13", KAT_GCM_Z128 KAT_GCM_Z128, KAT_GCM_Z96, "", "",
	  "", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "GCM test case 14", KAT_GCM_Z128 KAT_GCM_Z128, KAT_GCM_Z96, "",
	  KAT_GCM_Z128,
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "GCM test case 15", KAT_GCM_K3 KAT_GCM_K3, KAT_GCM_IV3, "",
	  KAT_GCM_P3,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "GCM test case 16", KAT_GCM_K3 KAT_GCM_K3, KAT_GCM_IV3, KAT_GCM_A4,
	  KAT_GCM_P4,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

/* Test cases 5 and 6: nonces of 8 and 60 bytes go through GHASH. */
static const struct kat_gcm kat_gcm_odd_nonces[] = {
	{ "GCM test case 5", KAT_GCM_K3, "cafebabefacedbad", KAT_GCM_A4,
	  KAT_GCM_P4,
	  "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
	  "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
	  "3612d2e79e3b0785561be14aaca2fccb" },
	{ "GCM test case 6", KAT_GCM_K3,
	  "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
	  "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
	  KAT_GCM_A4, KAT_GCM_P4,
	  "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
	  "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
	  "619cc5aefffe0bfa462af43c1699d050" },
};

/* ---- digests: FIPS 180-2, RFC 4231, RFC 2202 --------------------------- */

/*
 * A hash or HMAC vector.  key: hex, or (key == NULL) key_rep copies of
 * key_byte, no key at all for a plain hash; msg: text, or (msg == NULL)
 * msg_rep copies of msg_byte.
 */
struct kat_digest {
	const char *name;
	uint32_t alg;
	const char *key;
	uint8_t key_byte;
	size_t key_rep;
	const char *msg;
	uint8_t msg_byte;
	size_t msg_rep;
	const char *digest;
};

#define KAT_FIPS180_MSG_ABC "abc"
#define KAT_FIPS180_MSG_448 \
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define KAT_FIPS180_MSG_896 \
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn" \
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

#define KAT_HASH(name, alg, msg, digest) \
	{ name, alg, NULL, 0, 0, msg, 0, 0, digest }

/* Indexes into kat_hashes[] of the ones tests use alone. */
enum { KAT_SHA1_ABC = 0, KAT_SHA256_ABC = 4, KAT_SHA256_448 = 5 };

static const struct kat_digest kat_hashes[] = {
	KAT_HASH("SHA-1 abc", CRYPTO_SHA1, KAT_FIPS180_MSG_ABC,
	  "a9993e364706816aba3e25717850c26c9cd0d89d"),
	KAT_HASH("SHA-1 448 bits", CRYPTO_SHA1, KAT_FIPS180_MSG_448,
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
	KAT_HASH("SHA-224 abc", CRYPTO_SHA2_224, KAT_FIPS180_MSG_ABC,
	  "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
	KAT_HASH("SHA-224 448 bits", CRYPTO_SHA2_224, KAT_FIPS180_MSG_448,
	  "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"),
	KAT_HASH("SHA-256 abc", CRYPTO_SHA2_256, KAT_FIPS180_MSG_ABC,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	KAT_HASH("SHA-256 448 bits", CRYPTO_SHA2_256, KAT_FIPS180_MSG_448,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
	KAT_HASH("SHA-384 abc", CRYPTO_SHA2_384, KAT_FIPS180_MSG_ABC,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	  "8086072ba1e7cc2358baeca134c825a7"),
	KAT_HASH("SHA-384 896 bits", CRYPTO_SHA2_384, KAT_FIPS180_MSG_896,
	  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
	  "fcc7c71a557e2db966c3e9fa91746039"),
	KAT_HASH("SHA-512 abc", CRYPTO_SHA2_512, KAT_FIPS180_MSG_ABC,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
	KAT_HASH("SHA-512 896 bits", CRYPTO_SHA2_512, KAT_FIPS180_MSG_896,
	  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
};

/* RFC 1321 A.5 and the RIPEMD-160 paper share most of their messages. */
#define KAT_MSG_ALPHA "abcdefghijklmnopqrstuvwxyz"
#define KAT_MSG_ALNUM \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define KAT_MSG_DIGITS_80 \
	"1234567890123456789012345678901234567890" \
	"1234567890123456789012345678901234567890"

static const struct kat_digest kat_hashes_rfc1321[] = {
	KAT_HASH("MD5 empty", CRYPTO_MD5, "",
	  "d41d8cd98f00b204e9800998ecf8427e"),
	KAT_HASH("MD5 a", CRYPTO_MD5, "a", "0cc175b9c0f1b6a831c399e269772661"),
	KAT_HASH("MD5 abc", CRYPTO_MD5, "abc",
	  "900150983cd24fb0d6963f7d28e17f72"),
	KAT_HASH("MD5 message digest", CRYPTO_MD5, "message digest",
	  "f96b697d7cb7938d525a2f31aaf161d0"),
	KAT_HASH("MD5 a..z", CRYPTO_MD5, KAT_MSG_ALPHA,
	  "c3fcd3d76192e4007dfb496cca67e13b"),
	KAT_HASH("MD5 A..Za..z0..9", CRYPTO_MD5, KAT_MSG_ALNUM,
	  "d174ab98d277d9f5a5611c2c9f419d9f"),
	KAT_HASH("MD5 8 x 1234567890", CRYPTO_MD5, KAT_MSG_DIGITS_80,
	  "57edf4a22be3c955ac49da2e2107b67a"),
};

static const struct kat_digest kat_hashes_ripemd160[] = {
	KAT_HASH("RIPEMD-160 empty", CRYPTO_RIPEMD160, "",
	  "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
	KAT_HASH("RIPEMD-160 a", CRYPTO_RIPEMD160, "a",
	  "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
	KAT_HASH("RIPEMD-160 abc", CRYPTO_RIPEMD160, "abc",
	  "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
	KAT_HASH("RIPEMD-160 message digest", CRYPTO_RIPEMD160,
	  "message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
	KAT_HASH("RIPEMD-160 a..z", CRYPTO_RIPEMD160, KAT_MSG_ALPHA,
	  "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
	KAT_HASH("RIPEMD-160 448 bits", CRYPTO_RIPEMD160, KAT_FIPS180_MSG_448,
	  "12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
	KAT_HASH("RIPEMD-160 A..Za..z0..9", CRYPTO_RIPEMD160, KAT_MSG_ALNUM,
	  "b0e20b6e3116640286ed3a87a5713079b21f5189"),
	KAT_HASH("RIPEMD-160 8 x 1234567890", CRYPTO_RIPEMD160,
	  KAT_MSG_DIGITS_80, "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
};

/* FIPS 180-2: one million repetitions of 'a'. */
#define KAT_FIPS180_MILLION_A_SHA1 "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
#define KAT_FIPS180_MILLION_A_SHA256 \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

#define KAT_LARGE_KEY_DATA \
	"Test Using Larger Than Block-Size Key - Hash Key First"
#define KAT_LARGE_KEY_AND_DATA \
	"This is a test using a larger than block-size key and a larger " \
	"than block-size data. The key needs to be hashed before being " \
	"used by the HMAC algorithm."
/* RFC 2202 and RFC 2286 test case 7. */
#define KAT_LARGE_KEY_AND_ONE_BLOCK_DATA \
	"Test Using Larger Than Block-Size Key and Larger Than One " \
	"Block-Size Data"
#define KAT_KEY_0102_19 "0102030405060708090a0b0c0d0e0f10111213141516171819"

#define KAT_HMAC_TC1(rfc, alg, mac) \
	{ rfc " test case 1", alg, NULL, 0x0b, 20, "Hi There", 0, 0, mac }
#define KAT_HMAC_TC2(rfc, alg, mac) \
	{ rfc " test case 2", alg, "4a656665", 0, 0, \
	  "what do ya want for nothing?", 0, 0, mac }
#define KAT_HMAC_TC3(rfc, alg, mac) \
	{ rfc " test case 3", alg, NULL, 0xaa, 20, NULL, 0xdd, 50, mac }
#define KAT_HMAC_TC4(rfc, alg, mac) \
	{ rfc " test case 4", alg, KAT_KEY_0102_19, 0, 0, NULL, 0xcd, 50, mac }
#define KAT_HMAC_TC6(rfc, alg, mac) \
	{ rfc " test case 6", alg, NULL, 0xaa, 131, \
	  KAT_LARGE_KEY_DATA, 0, 0, mac }
#define KAT_HMAC_TC7(rfc, alg, mac) \
	{ rfc " test case 7", alg, NULL, 0xaa, 131, \
	  KAT_LARGE_KEY_AND_DATA, 0, 0, mac }

/* Indexes into kat_hmacs_rfc4231[] of the ones tests use alone. */
enum {
	KAT_RFC4231_TC1_SHA256 = 1, KAT_RFC4231_TC1_SHA512 = 3,
	KAT_RFC4231_TC2_SHA256 = 5,
};

static const struct kat_digest kat_hmacs_rfc4231[] = {
	KAT_HMAC_TC1("RFC 4231", CRYPTO_SHA2_224_HMAC,
	  "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"),
	KAT_HMAC_TC1("RFC 4231", CRYPTO_SHA2_256_HMAC,
	  "b0344c61d8db38535ca8afceaf0bf12b"
	  "881dc200c9833da726e9376c2e32cff7"),
	KAT_HMAC_TC1("RFC 4231", CRYPTO_SHA2_384_HMAC,
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
	  "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
	KAT_HMAC_TC1("RFC 4231", CRYPTO_SHA2_512_HMAC,
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
	KAT_HMAC_TC2("RFC 4231", CRYPTO_SHA2_224_HMAC,
	  "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"),
	KAT_HMAC_TC2("RFC 4231", CRYPTO_SHA2_256_HMAC,
	  "5bdcc146bf60754e6a042426089575c7"
	  "5a003f089d2739839dec58b964ec3843"),
	KAT_HMAC_TC2("RFC 4231", CRYPTO_SHA2_384_HMAC,
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
	  "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
	KAT_HMAC_TC2("RFC 4231", CRYPTO_SHA2_512_HMAC,
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
	KAT_HMAC_TC3("RFC 4231", CRYPTO_SHA2_224_HMAC,
	  "7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea"),
	KAT_HMAC_TC3("RFC 4231", CRYPTO_SHA2_256_HMAC,
	  "773ea91e36800e46854db8ebd09181a7"
	  "2959098b3ef8c122d9635514ced565fe"),
	KAT_HMAC_TC3("RFC 4231", CRYPTO_SHA2_384_HMAC,
	  "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9feb"
	  "e83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27"),
	KAT_HMAC_TC3("RFC 4231", CRYPTO_SHA2_512_HMAC,
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
	KAT_HMAC_TC4("RFC 4231", CRYPTO_SHA2_224_HMAC,
	  "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a"),
	KAT_HMAC_TC4("RFC 4231", CRYPTO_SHA2_256_HMAC,
	  "82558a389a443c0ea4cc819899f2083a"
	  "85f0faa3e578f8077a2e3ff46729665b"),
	KAT_HMAC_TC4("RFC 4231", CRYPTO_SHA2_384_HMAC,
	  "3e8a69b7783c25851933ab6290af6ca77a9981480850009c"
	  "c5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb"),
	KAT_HMAC_TC4("RFC 4231", CRYPTO_SHA2_512_HMAC,
	  "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
	KAT_HMAC_TC6("RFC 4231", CRYPTO_SHA2_224_HMAC,
	  "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e"),
	KAT_HMAC_TC6("RFC 4231", CRYPTO_SHA2_256_HMAC,
	  "60e431591ee0b67f0d8a26aacbf5b77f"
	  "8e0bc6213728c5140546040f0ee37f54"),
	KAT_HMAC_TC6("RFC 4231", CRYPTO_SHA2_384_HMAC,
	  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f"
	  "3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"),
	KAT_HMAC_TC6("RFC 4231", CRYPTO_SHA2_512_HMAC,
	  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
	KAT_HMAC_TC7("RFC 4231", CRYPTO_SHA2_224_HMAC,
	  "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1"),
	KAT_HMAC_TC7("RFC 4231", CRYPTO_SHA2_256_HMAC,
	  "9b09ffa71b942fcb27635fbcd5b0e944"
	  "bfdc63644f0713938a7f51535c3a35e2"),
	KAT_HMAC_TC7("RFC 4231", CRYPTO_SHA2_384_HMAC,
	  "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9a"
	  "dccebb82461e99c5a678cc31e799176d3860e6110c46523e"),
	KAT_HMAC_TC7("RFC 4231", CRYPTO_SHA2_512_HMAC,
	  "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	  "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
};

static const struct kat_digest kat_hmacs_rfc2202[] = {
	KAT_HMAC_TC1("RFC 2202", CRYPTO_SHA1_HMAC,
	  "b617318655057264e28bc0b6fb378c8ef146be00"),
	KAT_HMAC_TC2("RFC 2202", CRYPTO_SHA1_HMAC,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
	KAT_HMAC_TC3("RFC 2202", CRYPTO_SHA1_HMAC,
	  "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
	KAT_HMAC_TC4("RFC 2202", CRYPTO_SHA1_HMAC,
	  "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
	{ "RFC 2202 test case 5", CRYPTO_SHA1_HMAC, NULL, 0x0c, 20,
	  "Test With Truncation", 0, 0,
	  "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ "RFC 2202 test case 6", CRYPTO_SHA1_HMAC, NULL, 0xaa, 80,
	  KAT_LARGE_KEY_DATA, 0, 0,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ "RFC 2202 test case 7", CRYPTO_SHA1_HMAC, NULL, 0xaa, 80,
	  KAT_LARGE_KEY_AND_ONE_BLOCK_DATA, 0, 0,
	  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	/* Section 2: HMAC-MD5, whose keys are 16 bytes where SHA-1's are 20. */
	{ "RFC 2202 test case 1", CRYPTO_MD5_HMAC, NULL, 0x0b, 16,
	  "Hi There", 0, 0, "9294727a3638bb1c13f48ef8158bfc9d" },
	KAT_HMAC_TC2("RFC 2202", CRYPTO_MD5_HMAC,
	  "750c783e6ab0b503eaa86e310a5db738"),
	{ "RFC 2202 test case 3", CRYPTO_MD5_HMAC, NULL, 0xaa, 16,
	  NULL, 0xdd, 50, "56be34521d144c88dbb8c733f0e8b3f6" },
	KAT_HMAC_TC4("RFC 2202", CRYPTO_MD5_HMAC,
	  "697eaf0aca3a3aea3a75164746ffaa79"),
	{ "RFC 2202 test case 5", CRYPTO_MD5_HMAC, NULL, 0x0c, 16,
	  "Test With Truncation", 0, 0, "56461ef2342edc00f9bab995690efd4c" },
	{ "RFC 2202 test case 6", CRYPTO_MD5_HMAC, NULL, 0xaa, 80,
	  KAT_LARGE_KEY_DATA, 0, 0, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
	{ "RFC 2202 test case 7", CRYPTO_MD5_HMAC, NULL, 0xaa, 80,
	  KAT_LARGE_KEY_AND_ONE_BLOCK_DATA, 0, 0,
	  "6f630fad67cda0ee1fb1f562db3aa53e" },
};

static const struct kat_digest kat_hmacs_rfc2286[] = {
	KAT_HMAC_TC1("RFC 2286", CRYPTO_RIPEMD160_HMAC,
	  "24cb4bd67d20fc1a5d2ed7732dcc39377f0a5668"),
	KAT_HMAC_TC2("RFC 2286", CRYPTO_RIPEMD160_HMAC,
	  "dda6c0213a485a9e24f4742064a7f033b43c4069"),
	KAT_HMAC_TC3("RFC 2286", CRYPTO_RIPEMD160_HMAC,
	  "b0b105360de759960ab4f35298e116e295d8e7c1"),
	KAT_HMAC_TC4("RFC 2286", CRYPTO_RIPEMD160_HMAC,
	  "d5ca862f4d21d5e610e18b4cf1beb97a4365ecf4"),
	{ "RFC 2286 test case 5", CRYPTO_RIPEMD160_HMAC, NULL, 0x0c, 20,
	  "Test With Truncation", 0, 0,
	  "7619693978f91d90539ae786500ff3d8e0518e39" },
	{ "RFC 2286 test case 6", CRYPTO_RIPEMD160_HMAC, NULL, 0xaa, 80,
	  KAT_LARGE_KEY_DATA, 0, 0,
	  "6466ca07ac5eac29e1bd523e5ada7605b791fd8b" },
	{ "RFC 2286 test case 7", CRYPTO_RIPEMD160_HMAC, NULL, 0xaa, 80,
	  KAT_LARGE_KEY_AND_ONE_BLOCK_DATA, 0, 0,
	  "69ea60798d71616cce5fd0871e23754cd75d5a0a" },
};

/*
 * RFC 3711 appendix B.2: the AES counter mode keystream of SRTP, session
 * key and the first three keystream blocks from counter block
 * F0F1...FD0000 (session salt shifted, SSRC, ROC and index 0).
 */
#define KAT_RFC3711_B2_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define KAT_RFC3711_B2_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfd0000"
#define KAT_RFC3711_B2_KEYSTREAM \
	"e03ead0935c95e80e166b16dd92b4eb4" \
	"d23513162b02d0f72a43a2fe4a5f97ab" \
	"41e95b3bb0a2e8dd477901e4fca894c0"

#endif /* KAT_VECTORS_H */
