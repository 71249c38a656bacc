/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cryptodev-linux userspace ABI, written from its published facts
 * (docs/cryptodev-abi.md).  Binaries built against cryptodev-linux's own
 * <crypto/cryptodev.h> must work with our driver unchanged, so every layout,
 * number and name here matches it; sizes are asserted below for x86-64.
 *
 * Included by the guest driver (kernel), by the crypto library's cryptodev
 * engine and by the tests.  Installing include/ on a compiler's include path
 * lets cryptodev-linux programs build with #include <crypto/cryptodev.h>,
 * as C or as C++: every name of cryptodev-linux's header is here, with its
 * value, including the ones the driver does not serve (the asymmetric
 * CIOCKEY, the composite TLS ids), so that code naming them builds.
 */
#ifndef _UAPI_CRYPTO_CRYPTODEV_H
#define _UAPI_CRYPTO_CRYPTODEV_H

#include <linux/types.h>
#include <linux/ioctl.h>

#ifndef __KERNEL__
#define __user
#endif

/* Algorithm ids, as session_op.cipher and session_op.mac. */
enum cryptodev_crypto_op_t {
	CRYPTO_DES_CBC = 1,
	CRYPTO_3DES_CBC = 2,
	CRYPTO_BLF_CBC = 3,
	CRYPTO_CAST_CBC = 4,
	CRYPTO_SKIPJACK_CBC = 5,
	CRYPTO_MD5_HMAC = 6,
	CRYPTO_SHA1_HMAC = 7,
	CRYPTO_RIPEMD160_HMAC = 8,
	CRYPTO_MD5_KPDK = 9,
	CRYPTO_SHA1_KPDK = 10,
	CRYPTO_RIJNDAEL128_CBC = 11,
	CRYPTO_AES_CBC = CRYPTO_RIJNDAEL128_CBC,
	CRYPTO_ARC4 = 12,
	CRYPTO_MD5 = 13,
	CRYPTO_SHA1 = 14,
	CRYPTO_DEFLATE_COMP = 15,
	CRYPTO_NULL = 16,
	CRYPTO_LZS_COMP = 17,
	CRYPTO_SHA2_256_HMAC = 18,
	CRYPTO_SHA2_384_HMAC = 19,
	CRYPTO_SHA2_512_HMAC = 20,
	CRYPTO_AES_CTR = 21,
	CRYPTO_AES_XTS = 22,
	CRYPTO_AES_ECB = 23,
	CRYPTO_AES_GCM = 50,
	/*
	 * Not in cryptodev-linux's mainline header: the extended header some
	 * vendors ship with it numbers these after GCM, and programs written
	 * against it use them.  No driver here offers them.
	 */
	CRYPTO_AES_CCM = 51,
	CRYPTO_AES_CFB = 52,
	CRYPTO_AES_OFB = 53,
	CRYPTO_CAMELLIA_CBC = 101,
	CRYPTO_RIPEMD160 = 102,
	CRYPTO_SHA2_224 = 103,
	CRYPTO_SHA2_256 = 104,
	CRYPTO_SHA2_384 = 105,
	CRYPTO_SHA2_512 = 106,
	CRYPTO_SHA2_224_HMAC = 107,
	/* composite TLS 1.1/1.2 record ciphers (cipher and MAC in one id) */
	CRYPTO_TLS11_AES_CBC_HMAC_SHA1 = 108,
	CRYPTO_TLS12_AES_CBC_HMAC_SHA256 = 109,
	CRYPTO_ALGORITHM_ALL = 110	/* one past the last id */
};

#define CRYPTO_ALGORITHM_MAX	(CRYPTO_ALGORITHM_ALL - 1)

/* Block sizes of the ciphers, in bytes. */
#define DES_BLOCK_LEN		8
#define DES3_BLOCK_LEN		8
#define RIJNDAEL128_BLOCK_LEN	16
#define AES_BLOCK_LEN		RIJNDAEL128_BLOCK_LEN
#define CAMELLIA_BLOCK_LEN	16
#define BLOWFISH_BLOCK_LEN	8
#define SKIPJACK_BLOCK_LEN	8
#define CAST128_BLOCK_LEN	8

#define CRYPTO_ALG_FLAG_SUPPORTED	1
#define CRYPTO_ALG_FLAG_RNG_ENABLE	2
#define CRYPTO_ALG_FLAG_DSA_SHA		4

#define CRYPTO_HMAC_MAX_KEY_LEN		512
#define CRYPTO_CIPHER_MAX_KEY_LEN	64
#define CRYPTODEV_MAX_ALG_NAME		64
#define HASH_MAX_LEN			64
#define AALG_MAX_RESULT_LEN		64
#define EALG_MAX_BLOCK_LEN		16
#define DEFAULT_PREV_ALGO_ALIGN		15

/* CIOCGSESSION: create a session.  ses is written back. */
struct session_op {
	__u32 cipher;		/* enum cryptodev_crypto_op_t, or 0 */
	__u32 mac;		/* enum cryptodev_crypto_op_t, or 0 */
	__u32 keylen;
	__u8 __user *key;
	__u32 mackeylen;
	__u8 __user *mackey;
	__u32 ses;		/* out: session id */
};

struct session_info_op {
	__u32 ses;		/* in: session id */
	struct alg_info {
		char cra_name[CRYPTODEV_MAX_ALG_NAME];
		char cra_driver_name[CRYPTODEV_MAX_ALG_NAME];
	} cipher_info, hash_info;
	__u16 alignmask;	/* out: required alignment of buffers, minus one */
	__u32 flags;		/* out: SIOP_FLAG_* */
};

/* The session is served by something other than plain kernel software. */
#define SIOP_FLAG_KERNEL_DRIVER_ONLY	1

#define COP_ENCRYPT	0
#define COP_DECRYPT	1

/* CIOCCRYPT: one cipher, hash or HMAC operation on a session. */
struct crypt_op {
	__u32 ses;
	__u16 op;		/* COP_ENCRYPT or COP_DECRYPT */
	__u16 flags;		/* COP_FLAG_* */
	__u32 len;		/* bytes of src (and of dst) */
	__u8 __user *src;
	__u8 __user *dst;
	__u8 __user *mac;	/* hash sessions: the digest goes here */
	__u8 __user *iv;	/* NULL: continue from the session's IV */
};

/* CIOCAUTHCRYPT: one AEAD operation (AES-GCM). */
struct crypt_auth_op {
	__u32 ses;
	__u16 op;
	__u16 flags;
	__u32 len;		/* in: input bytes; out: output bytes */
	__u32 auth_len;		/* bytes of associated data */
	__u8 __user *auth_src;
	__u8 __user *src;
	__u8 __user *dst;
	__u8 __user *tag;
	__u32 tag_len;		/* 0: the full tag of the algorithm */
	__u8 __user *iv;
	__u32 iv_len;
};

#define COP_FLAG_NONE		(0 << 0)
#define COP_FLAG_UPDATE		(1 << 0)	/* hash: accumulate, no digest */
#define COP_FLAG_FINAL		(1 << 1)	/* hash: finish, write digest */
#define COP_FLAG_WRITE_IV	(1 << 2)	/* write the resulting IV back */
#define COP_FLAG_NO_ZC		(1 << 3)
#define COP_FLAG_AEAD_TLS_TYPE	(1 << 4)
#define COP_FLAG_AEAD_SRTP_TYPE	(1 << 5)
#define COP_FLAG_RESET		(1 << 6)	/* hash: start over first */

/* CIOCCPHASH: copy the hash state of src_ses into dst_ses. */
struct cphash_op {
	__u32 dst_ses;
	__u32 src_ses;
};

/*
 * Public-key operations (CIOCKEY), named for the BSD API's sake:
 * cryptodev-linux serves none, and CIOCASYMFEAT answers no CRF_* features,
 * which is how programs learn not to call CIOCKEY.
 */
struct crparam {
	__u8 __user *crp_p;
	__u32 crp_nbits;
};

#define CRK_MAXPARAM	8

struct crypt_kop {
	__u32 crk_op;		/* enum cryptodev_crk_op_t */
	__u32 crk_status;
	__u16 crk_iparams;
	__u16 crk_oparams;
	__u32 crk_pad1;
	struct crparam crk_param[CRK_MAXPARAM];
};

enum cryptodev_crk_op_t {
	CRK_MOD_EXP = 0,
	CRK_MOD_EXP_CRT = 1,
	CRK_DSA_SIGN = 2,
	CRK_DSA_VERIFY = 3,
	CRK_DH_COMPUTE_KEY = 4,
	CRK_ALGORITHM_ALL
};

#define CRK_ALGORITHM_MAX	(CRK_ALGORITHM_ALL - 1)

/* CIOCASYMFEAT's answer: a bit per CRK_* operation offered. */
#define CRF_MOD_EXP		(1 << CRK_MOD_EXP)
#define CRF_MOD_EXP_CRT		(1 << CRK_MOD_EXP_CRT)
#define CRF_DSA_SIGN		(1 << CRK_DSA_SIGN)
#define CRF_DSA_VERIFY		(1 << CRK_DSA_VERIFY)
#define CRF_DH_COMPUTE_KEY	(1 << CRK_DH_COMPUTE_KEY)

#define CRIOGET		_IOWR('c', 101, __u32)
#define CIOCGSESSION	_IOWR('c', 102, struct session_op)
#define CIOCFSESSION	_IOW('c', 103, __u32)
#define CIOCCRYPT	_IOWR('c', 104, struct crypt_op)
#define CIOCKEY		_IOWR('c', 105, struct crypt_kop)
#define CIOCASYMFEAT	_IOR('c', 106, __u32)
#define CIOCGSESSINFO	_IOWR('c', 107, struct session_info_op)
#define CIOCAUTHCRYPT	_IOWR('c', 109, struct crypt_auth_op)
#define CIOCASYNCCRYPT	_IOW('c', 110, struct crypt_op)
#define CIOCASYNCFETCH	_IOR('c', 111, struct crypt_op)
#define CIOCCPHASH	_IOW('c', 112, struct cphash_op)

/* Linux needs no CRIOGET before the other ioctls (BSD does). */
#define CRIOGET_NOT_NEEDED	1

/*
 * The layouts programs were built against (x86-64).  C11 spells the
 * assertion _Static_assert, C++11 static_assert.
 */
#if defined(__cplusplus)
#define CRYPTODEV_ABI_ASSERT(e, m)	static_assert(e, m)
#else
#define CRYPTODEV_ABI_ASSERT(e, m)	_Static_assert(e, m)
#endif

#if defined(__x86_64__)
CRYPTODEV_ABI_ASSERT(sizeof(struct session_op) == 48, "session_op ABI");
CRYPTODEV_ABI_ASSERT(sizeof(struct crypt_op) == 48, "crypt_op ABI");
CRYPTODEV_ABI_ASSERT(sizeof(struct crypt_auth_op) == 72, "crypt_auth_op ABI");
CRYPTODEV_ABI_ASSERT(sizeof(struct session_info_op) == 268,
		     "session_info_op ABI");
CRYPTODEV_ABI_ASSERT(sizeof(struct cphash_op) == 8, "cphash_op ABI");
CRYPTODEV_ABI_ASSERT(sizeof(struct crypt_kop) == 144, "crypt_kop ABI");
#endif

#endif /* _UAPI_CRYPTO_CRYPTODEV_H */
