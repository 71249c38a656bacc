/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The algorithms of virtio-cryptodev: the ONE list every part builds its own
 * table from -- the crypto library (cryptolib/vcrypto.c), the device's
 * offered-algorithm bitmap (device/backend/) and the guest driver.  An
 * algorithm is served end to end only if it is here, so a row is added here
 * and nowhere else; a part that cannot serve a row (an engine without it)
 * simply does not offer it.
 *
 * Included by the kernel module and by userspace alike: no libc, no kernel
 * headers beyond what <crypto/cryptodev.h> already needs, only macros and an
 * enum.
 *
 * VIRTIO_CRYPTODEV_ALGS(X) calls
 *
 *   X(id, kind, name, stem, block, iv, digest, key_min, key_max, key_step)
 *
 *   id       cryptodev-linux algorithm id (enum cryptodev_crypto_op_t), also
 *            the bit of virtio_cryptodev_config.algorithms
 *   kind     CIPHER, AEAD, HASH or HMAC: paste onto VIRTIO_CRYPTODEV_KIND_
 *   name     Linux crypto API name, as cryptodev-linux reports it
 *   stem     short form for driver names ("cbc-aes" -> "cbc-aes-<driver>")
 *   block    cipher: a length must be a multiple of it (1 for stream modes);
 *            hash, HMAC: the hash's input block
 *   iv       IV (nonce) of the mode, 0 if none
 *   digest   hash, HMAC: digest; AEAD: full tag; cipher: 0
 *   key_*    accepted key lengths: key_min, key_min + key_step, ... key_max
 *            (a cipher's key, an HMAC's MAC key; 0..0 for a plain hash)
 */
#ifndef _VIRTIO_CRYPTODEV_ALGS_H
#define _VIRTIO_CRYPTODEV_ALGS_H

#include "crypto/cryptodev.h"

enum virtio_cryptodev_alg_kind {
	VIRTIO_CRYPTODEV_KIND_CIPHER,	/* block or stream cipher mode */
	VIRTIO_CRYPTODEV_KIND_AEAD,
	VIRTIO_CRYPTODEV_KIND_HASH,
	VIRTIO_CRYPTODEV_KIND_HMAC,
};

/*
 * Key lengths are what Linux's implementations take, since cryptodev-linux
 * passes keys to them: AES and Camellia 128, 192 or 256 bits; AES-XTS two
 * AES keys of one size (data key, then tweak key; IV = the tweak, 16
 * bytes); DES 8 bytes and 3DES 24 (parity bits ignored, weak keys
 * accepted, as Linux does unless told otherwise); Blowfish 4 to 56 bytes;
 * the null cipher ("ecb(cipher_null)": block 1, no IV, output = input) any
 * key up to cryptodev-linux's CRYPTO_CIPHER_MAX_KEY_LEN, since it ignores
 * it.  XTS keeps the 16-byte block multiple, as cryptodev-linux checks it
 * (no ciphertext stealing through it).  An HMAC key any length up to
 * cryptodev-linux's limit.  MD5 and RIPEMD-160 are here because
 * cryptodev-linux offers them and programs written for it ask for them,
 * not as a recommendation.
 */
/*  id                    kind    name            stem         block  iv  dig  key: min, max, step */
#define VIRTIO_CRYPTODEV_ALGS(X) \
	X(CRYPTO_AES_CBC,       CIPHER, "cbc(aes)",     "cbc-aes",      16, 16,  0, 16, 32, 8) \
	X(CRYPTO_AES_CTR,       CIPHER, "ctr(aes)",     "ctr-aes",       1, 16,  0, 16, 32, 8) \
	X(CRYPTO_AES_ECB,       CIPHER, "ecb(aes)",     "ecb-aes",      16,  0,  0, 16, 32, 8) \
	X(CRYPTO_AES_XTS,       CIPHER, "xts(aes)",     "xts-aes",      16, 16,  0, 32, 64, 16) \
	X(CRYPTO_CAMELLIA_CBC,  CIPHER, "cbc(camellia)", "cbc-camellia", 16, 16, 0, 16, 32, 8) \
	X(CRYPTO_DES_CBC,       CIPHER, "cbc(des)",     "cbc-des",       8,  8,  0,  8,  8, 1) \
	X(CRYPTO_3DES_CBC,      CIPHER, "cbc(des3_ede)", "cbc-des3_ede",  8,  8, 0, 24, 24, 1) \
	X(CRYPTO_BLF_CBC,       CIPHER, "cbc(blowfish)", "cbc-blowfish",  8,  8, 0,  4, 56, 1) \
	X(CRYPTO_NULL,          CIPHER, "ecb(cipher_null)", "ecb-cipher_null", 1, 0, 0, 0, CRYPTO_CIPHER_MAX_KEY_LEN, 1) \
	X(CRYPTO_AES_GCM,       AEAD,   "gcm(aes)",     "gcm-aes",       1, 12, 16, 16, 32, 8) \
	X(CRYPTO_MD5,           HASH,   "md5",          "md5",          64,  0, 16,  0,  0, 1) \
	X(CRYPTO_RIPEMD160,     HASH,   "rmd160",       "rmd160",       64,  0, 20,  0,  0, 1) \
	X(CRYPTO_SHA1,          HASH,   "sha1",         "sha1",         64,  0, 20,  0,  0, 1) \
	X(CRYPTO_SHA2_224,      HASH,   "sha224",       "sha224",       64,  0, 28,  0,  0, 1) \
	X(CRYPTO_SHA2_256,      HASH,   "sha256",       "sha256",       64,  0, 32,  0,  0, 1) \
	X(CRYPTO_SHA2_384,      HASH,   "sha384",       "sha384",      128,  0, 48,  0,  0, 1) \
	X(CRYPTO_SHA2_512,      HASH,   "sha512",       "sha512",      128,  0, 64,  0,  0, 1) \
	X(CRYPTO_MD5_HMAC,      HMAC,   "hmac(md5)",    "hmac-md5",     64,  0, 16,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1) \
	X(CRYPTO_RIPEMD160_HMAC, HMAC,  "hmac(rmd160)", "hmac-rmd160",  64,  0, 20,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1) \
	X(CRYPTO_SHA1_HMAC,     HMAC,   "hmac(sha1)",   "hmac-sha1",    64,  0, 20,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1) \
	X(CRYPTO_SHA2_224_HMAC, HMAC,   "hmac(sha224)", "hmac-sha224",  64,  0, 28,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1) \
	X(CRYPTO_SHA2_256_HMAC, HMAC,   "hmac(sha256)", "hmac-sha256",  64,  0, 32,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1) \
	X(CRYPTO_SHA2_384_HMAC, HMAC,   "hmac(sha384)", "hmac-sha384", 128,  0, 48,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1) \
	X(CRYPTO_SHA2_512_HMAC, HMAC,   "hmac(sha512)", "hmac-sha512", 128,  0, 64,  0, CRYPTO_HMAC_MAX_KEY_LEN, 1)

/* Every id must have its bit in virtio_cryptodev_config.algorithms[16]. */
#define VIRTIO_CRYPTODEV_ALG_BIT_OK(id, kind, name, stem, block, iv,	\
				    digest, kmin, kmax, kstep)		\
	_Static_assert((id) > 0 && (id) < 128, name " has no config bit");
VIRTIO_CRYPTODEV_ALGS(VIRTIO_CRYPTODEV_ALG_BIT_OK)
#undef VIRTIO_CRYPTODEV_ALG_BIT_OK

#endif /* _VIRTIO_CRYPTODEV_ALGS_H */
