/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vcrypto: the crypto client library.  One API, two engines:
 *
 *   cryptodev  the cryptodev-linux ioctl API on a device node (/dev/crypto on
 *              a host with cryptodev-linux, /dev/cryptodevN in a guest with
 *              virtio_cryptodev.ko)
 *   soft       nettle, in this process
 *
 * Both produce the same bytes.  Algorithms are named by the cryptodev-linux
 * ids of <crypto/cryptodev.h> (CRYPTO_AES_CBC, CRYPTO_SHA2_256_HMAC, ...) and
 * the semantics are cryptodev-linux's, so the QEMU backend core can execute
 * guest requests through either engine without translating.
 *
 * Functions return 0 or a negative errno and never print; errors that need
 * words fill the caller's buffer.
 */
#ifndef VCRYPTO_H
#define VCRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <crypto/cryptodev.h>

struct vc_engine;
struct vc_session;

enum vc_engine_kind {
	VC_ENGINE_SOFT,
	VC_ENGINE_CRYPTODEV,
};

/* Paths the automatic choice tries, in order, before falling back to soft. */
#define VC_DEFAULT_DEVICES { "/dev/crypto", "/dev/cryptodev0" }

/*
 * Open an engine.  device == NULL: the first usable device of
 * VC_DEFAULT_DEVICES, else soft.  device != NULL: that device or an error
 * (never a silent fallback).  On error returns -errno and fills err.
 */
int vc_engine_open(struct vc_engine **out, const char *device,
		   char *err, size_t errlen);
int vc_engine_open_soft(struct vc_engine **out);
int vc_engine_open_cryptodev(struct vc_engine **out, const char *device,
			     char *err, size_t errlen);
void vc_engine_close(struct vc_engine *e);
enum vc_engine_kind vc_engine_kind(const struct vc_engine *e);
/* "soft (nettle 3.8)" or "cryptodev (/dev/cryptodev0)": for one-line notices. */
const char *vc_engine_name(const struct vc_engine *e);

/* Algorithm facts; 0 for an unknown id. */
size_t vc_alg_block_size(uint32_t alg);	/* 1 for stream modes (CTR, GCM) */

/*
 * Is len a whole number of blocks?  Every block size is a power of two, and
 * a mask spares a 64-bit division on each request (tens of cycles, a
 * fair part of a small request's cost); block must not be 0.
 */
static inline bool vc_len_is_blocks(size_t len, size_t block)
{
	if ((block & (block - 1)) == 0)
		return (len & (block - 1)) == 0;
	return len % block == 0;
}
size_t vc_alg_iv_size(uint32_t alg);	/* 16 for CBC/CTR, 12 for GCM, 0 ECB */
size_t vc_alg_digest_size(uint32_t alg);
int vc_alg_is_cipher(uint32_t alg);	/* usable as session cipher */
int vc_alg_is_aead(uint32_t alg);	/* CRYPTO_AES_GCM */
int vc_alg_is_hash(uint32_t alg);	/* usable as session mac (hash or HMAC) */
int vc_alg_is_hmac(uint32_t alg);	/* needs a MAC key */
int vc_alg_key_ok(uint32_t alg, size_t keylen);	/* AES: 16, 24, 32 */
/*
 * GCM tags of 4, 8 and 12..16 bytes only (NIST SP 800-38D, 5.2.1.2; what
 * Linux's crypto_gcm_setauthsize accepts).  Other lengths are refused by
 * both engines alike: cryptodev-linux ignores a failed setauthsize, so they
 * must never reach a host kernel.
 */
int vc_aead_tag_len_ok(uint32_t alg, size_t taglen);
const char *vc_alg_name(uint32_t alg);	/* kernel-style "cbc(aes)", "hmac(sha256)" */

struct vc_session_params {
	uint32_t cipher;		/* 0 or a cipher/AEAD id */
	uint32_t mac;			/* 0 or a hash/HMAC id */
	const uint8_t *key;
	size_t keylen;
	const uint8_t *mackey;
	size_t mackeylen;
};

/*
 * A session has one of: a cipher, an AEAD, a hash/HMAC -- or both a cipher
 * (not an AEAD) and a hash/HMAC, a combined session for vc_hash_n_crypt,
 * vc_tls_record and vc_srtp.  -EINVAL for an unknown algorithm, a bad key
 * length or another combination.
 */
int vc_session_new(struct vc_engine *e, const struct vc_session_params *p,
		   struct vc_session **out);
void vc_session_free(struct vc_session *s);

/*
 * Cipher session.  op is COP_ENCRYPT or COP_DECRYPT.  len must be a multiple
 * of the block size for block modes (-EINVAL).  src == dst is allowed.
 * iv == NULL continues from the IV the previous call left; iv_out, if not
 * NULL, receives the IV after the operation (vc_alg_iv_size bytes).
 */
int vc_cipher(struct vc_session *s, int op, const uint8_t *src, uint8_t *dst,
	      size_t len, const uint8_t *iv, uint8_t *iv_out);

/*
 * Hash/HMAC session.  flags are COP_FLAG_UPDATE, COP_FLAG_FINAL,
 * COP_FLAG_RESET with cryptodev-linux meaning: RESET starts over first;
 * UPDATE without FINAL accumulates and writes nothing; otherwise the digest
 * of everything since the last finish goes to digest and the state restarts.
 */
int vc_hash(struct vc_session *s, const uint8_t *src, size_t len,
	    unsigned flags, uint8_t *digest);

/*
 * Copy the running state of hash/HMAC session src into dst, as
 * cryptodev-linux's CIOCCPHASH does: dst then continues src's message (an
 * HMAC dst finishes with its own key's outer hash, as Linux's
 * export/import does).  -EINVAL unless both are hash/HMAC sessions of the
 * same algorithm on the same engine; -EOPNOTSUPP when the engine cannot
 * (a device without CIOCCPHASH).  src == dst does nothing (without
 * asking the device, which may answer EDEADLK as cryptodev-linux does).
 */
int vc_hash_copy(struct vc_session *dst, struct vc_session *src);

/*
 * AEAD session (AES-GCM).  iv/ivlen is the nonce (12 bytes), aad/aadlen the
 * associated data.  Encrypt: dst receives len + taglen bytes (ciphertext,
 * then tag).  Decrypt: len includes the tag; dst receives len - taglen bytes;
 * -EBADMSG on a tag mismatch (dst then holds nothing useful).  taglen 0 means
 * 16; otherwise vc_aead_tag_len_ok() must hold (-EINVAL).  *outlen gets the
 * output length.
 */
int vc_aead(struct vc_session *s, int op, const uint8_t *iv, size_t ivlen,
	    const uint8_t *aad, size_t aadlen, const uint8_t *src, size_t len,
	    uint8_t *dst, size_t taglen, size_t *outlen);

/*
 * Combined sessions, with cryptodev-linux's semantics.  Each takes iv ==
 * NULL to continue from the IV the session's previous operation left, and
 * fills iv_out (if not NULL) with the IV after it.  taglen 0 means the MAC's
 * digest size; more than that is -EINVAL.
 */

/* The MAC's digest size of a combined session, 0 for another session. */
size_t vc_session_mac_size(const struct vc_session *s);

/*
 * CIOCCRYPT on a combined session: the MAC runs over the plaintext (src
 * when encrypting, dst when decrypting) and flags say when it finishes, as
 * for vc_hash; the cipher as for vc_cipher.
 */
int vc_hash_n_crypt(struct vc_session *s, int op, const uint8_t *src,
		    uint8_t *dst, size_t len, const uint8_t *iv,
		    uint8_t *iv_out, unsigned flags, uint8_t *digest);

/* Padding bytes a TLS record of len plaintext bytes gets (CBC: 1..16). */
size_t vc_tls_padding(const struct vc_session *s, size_t len, size_t taglen);

/*
 * A TLS 1.0-1.2 record, MAC-then-encrypt (RFC 5246 6.2.3.2).  Encrypt: dst
 * receives E(src || MAC(aad || src)[taglen] || padding), *outlen bytes:
 * len + taglen + vc_tls_padding.  Decrypt: src is the record (len a
 * multiple of the block, room for MAC and padding, else -EINVAL); dst
 * receives the whole decrypted record and *outlen the plaintext's length;
 * bad padding or a bad MAC is -EBADMSG, alike, and dst is then wiped.
 * src == dst is allowed.
 */
int vc_tls_record(struct vc_session *s, int op, const uint8_t *iv,
		  uint8_t *iv_out, const uint8_t *aad, size_t aadlen,
		  const uint8_t *src, size_t len, uint8_t *dst, size_t taglen,
		  size_t *outlen);

/*
 * SRTP, encrypt-then-MAC with a stream mode (else -EINVAL).  auth[authlen]
 * is the authenticated region; the data are its data_len bytes at
 * data_off.  Encrypt: dst receives the ciphertext, tag the first taglen
 * bytes of MAC(region with the ciphertext in place of the data).  Decrypt:
 * MAC(region) must match tag (else -EBADMSG, nothing decrypted); dst
 * receives the plaintext.
 */
int vc_srtp(struct vc_session *s, int op, const uint8_t *iv,
	    uint8_t *iv_out, const uint8_t *auth, size_t authlen,
	    size_t data_off, size_t data_len, uint8_t *dst, uint8_t *tag,
	    size_t taglen);

/* Cryptographically strong random bytes (getrandom). */
int vc_random(void *buf, size_t len);

/* PBKDF2-HMAC-SHA256 (RFC 8018), in software. */
int vc_pbkdf2_sha256(const uint8_t *pass, size_t passlen, const uint8_t *salt,
		     size_t saltlen, unsigned iterations, uint8_t *out,
		     size_t outlen);

/* Constant-time comparison: 0 when equal. */
int vc_memcmp_ct(const void *a, const void *b, size_t len);

#endif /* VCRYPTO_H */
