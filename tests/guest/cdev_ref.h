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

/*
 * A TLS 1.0-1.2 AES-CBC record built the way RFC 5246 6.2.3.2 says:
 * E(pt || HMAC(hdr || pt)[taglen] || padding), padding_length + 1 bytes
 * each holding padding_length.  fault spoils it on purpose, then encrypts
 * it as usual.  Returns the record's length (0 on error).
 */
enum ref_tls_fault {
	REF_TLS_GOOD,
	REF_TLS_BAD_MAC,	/* first MAC byte flipped */
	REF_TLS_BAD_PAD,	/* a padding byte differs from the length */
	REF_TLS_PAD_TOO_LONG,	/* length byte 255: more than the record */
};

struct ref_tls {
	const uint8_t *key;
	size_t keylen;
	uint32_t mac;		/* CRYPTO_SHA1_HMAC, CRYPTO_SHA2_256_HMAC */
	const uint8_t *mackey;
	size_t mackeylen;
	size_t taglen;
	const uint8_t *iv;	/* 16 bytes */
	const uint8_t *hdr;	/* the MAC's pseudo header */
	size_t hdrlen;
	enum ref_tls_fault fault;
};

size_t ref_tls_record(const struct ref_tls *t, const uint8_t *pt, size_t len,
		      uint8_t *out);

/* SRTP's tag (RFC 3711 4.2): the first taglen bytes of the HMAC of the
 * authenticated region (header, encrypted payload, ROC). */
int ref_srtp_tag(uint32_t mac, const uint8_t *mackey, size_t mackeylen,
		 const uint8_t *region, size_t len, uint8_t *tag,
		 size_t taglen);

#endif /* CDEV_REF_H */
