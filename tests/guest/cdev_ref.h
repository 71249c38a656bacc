/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reference results from nettle for buffers too large or too random for
 * typed-in vectors: what the device must produce, computed in the guest.
 */
#ifndef CDEV_REF_H
#define CDEV_REF_H

#include <stddef.h>
#include <stdint.h>

/* AES-CBC/CTR/ECB; iv (16 bytes, unused for ECB) is advanced as the
 * cryptodev session's IV would be.  0, or -1 for an unknown algorithm. */
int ref_cipher(uint32_t alg, int decrypt, const uint8_t *key, size_t keylen,
	       uint8_t *iv, const uint8_t *src, uint8_t *dst, size_t len);

/* Hash or HMAC (key ignored for plain hashes); returns the digest size,
 * or -1 for an unknown algorithm. */
int ref_hash(uint32_t alg, const uint8_t *key, size_t keylen,
	     const uint8_t *msg, size_t len, uint8_t *digest);

/* AES-GCM with a 12-byte nonce: dst gets len bytes then the 16-byte tag. */
void ref_gcm_encrypt(const uint8_t *key, size_t keylen, const uint8_t *iv,
		     const uint8_t *aad, size_t aad_len, const uint8_t *src,
		     size_t len, uint8_t *dst);

#endif /* CDEV_REF_H */
