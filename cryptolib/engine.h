/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the crypto library: what vcrypto.c shares with the engines.
 *
 * vcrypto.c owns the algorithm table and checks every argument (algorithm,
 * key length, block alignment, tag and nonce sizes, pointers) before it calls
 * an engine, so both engines refuse exactly the same requests and an engine
 * only has to do the work.  Engines embed struct vc_engine / struct
 * vc_session as their first member and reach their own state by a cast.
 */
#ifndef VCRYPTO_ENGINE_H
#define VCRYPTO_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_cryptodev_algs.h"
#include "vcrypto.h"

/* One row of include/virtio_cryptodev_algs.h (which says what each means). */
struct vc_alg_info {
	uint32_t id;
	const char *name;	/* kernel-style: "cbc(aes)", "hmac(sha256)" */
	enum virtio_cryptodev_alg_kind kind;
	uint8_t block_size;	/* cipher: 16 or 1 (stream); hash: input block */
	uint8_t iv_size;
	uint8_t digest_size;	/* hash/HMAC digest, AEAD full tag */
	uint16_t key_min, key_max, key_step;
};

/* Largest nonce vc_aead accepts; GCM hashes nonces other than 12 bytes. */
#define VC_AEAD_MAX_IV		64
#define VC_AEAD_MAX_TAG		16
#define VC_MAX_DIGEST		64
#define VC_MAX_IV		16
#define VC_ENGINE_NAME_MAX	160

const struct vc_alg_info *vc_alg_find(uint32_t alg);

struct vc_engine_ops {
	enum vc_engine_kind kind;
	void (*close)(struct vc_engine *e);
	/* p is checked; alg is the session's one algorithm (cipher or mac). */
	int (*session_new)(struct vc_engine *e, const struct vc_session_params *p,
			   const struct vc_alg_info *alg, struct vc_session **out);
	void (*session_free)(struct vc_session *s);
	/* Arguments as for vc_cipher, checked. */
	int (*cipher)(struct vc_session *s, int op, const uint8_t *src,
		      uint8_t *dst, size_t len, const uint8_t *iv,
		      uint8_t *iv_out);
	/* flags only UPDATE/FINAL/RESET; digest != NULL when finishing. */
	int (*hash)(struct vc_session *s, const uint8_t *src, size_t len,
		    unsigned flags, uint8_t *digest);
	/* Same engine, both hash/HMAC of one algorithm, dst != src. */
	int (*hash_copy)(struct vc_session *dst, struct vc_session *src);
	/* taglen already vc_aead_tag_len_ok; on decrypt len >= taglen. */
	int (*aead)(struct vc_session *s, int op, const uint8_t *iv,
		    size_t ivlen, const uint8_t *aad, size_t aadlen,
		    const uint8_t *src, size_t len, uint8_t *dst, size_t taglen,
		    size_t *outlen);
};

struct vc_engine {
	const struct vc_engine_ops *ops;
	char name[VC_ENGINE_NAME_MAX];
};

struct vc_session {
	struct vc_engine *engine;
	const struct vc_alg_info *alg;
	/* Combined sessions (combined.c): alg is the cipher, mac the MAC. */
	struct vc_session *mac;
};

/* A combined session of cipher and MAC sessions of e (combined.c). */
int vc_combined_new(struct vc_engine *e, const struct vc_session_params *p,
		    struct vc_session **out);

/* Engine constructors, called by vcrypto.c. */
int vc_soft_engine_new(struct vc_engine **out);
int vc_cryptodev_engine_new(struct vc_engine **out, const char *device,
			    char *err, size_t errlen);

/*
 * The automatic choice over an explicit list of devices: the first that opens
 * as a cryptodev engine, else soft.  vc_engine_open(NULL) uses
 * VC_DEFAULT_DEVICES; tests pass their own list.
 */
int vc_engine_open_first(struct vc_engine **out, const char *const *devices,
			 size_t ndevices, char *err, size_t errlen);

#endif /* VCRYPTO_ENGINE_H */
