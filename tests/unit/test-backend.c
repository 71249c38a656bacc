/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device's backend core, driven as the guest would drive it: requests
 * laid out per <virtio_cryptodev.h>, split over separately allocated
 * segments (so AddressSanitizer catches any access past a descriptor),
 * answered with a response at the tail of the device-writable part.
 *
 * Engines: the soft engine always; the devcrypto engine too when
 * VC_TEST_DEVICE names a cryptodev device (in the guest: /dev/cryptodev0),
 * or when /dev/crypto exists.  Known answers are typed in from NIST SP
 * 800-38A (AES modes), the GCM specification's test cases (as in SP 800-38D's
 * validation examples), FIPS 180 examples and RFC 4231.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_ref.h"
#include "kat_hex.h"
#include "kat_vectors.h"
#include "vcb_backend.h"
#include "vcrypto.h"

#define RESP_LEN sizeof(struct virtio_cryptodev_resp)

/* The engine under test, chosen by main() for each group. */
static enum vcb_engine_kind g_kind = VCB_ENGINE_SOFT;
static const char *g_device;
static unsigned g_fuzz_rounds = 20000;

/* Where requests are split: 0 = one segment per part. */
static size_t g_split;

/* ---- vectors ---------------------------------------------------------- */

/*
 * The vectors are tests/kat/kat_vectors.h's.  out is an array: its size
 * bounds the decoding, and a typing error fails the test.
 */
#define unhex(hex, out)	unhex_into(hex, out, sizeof(out))

static size_t unhex_into(const char *hex, uint8_t *out, size_t max)
{
	size_t n = kat_unhex(hex, out, max);

	assert_true(n != KAT_HEX_BAD);
	return n;
}

/* ---- requests as the guest lays them out ------------------------------ */

struct vreq {
	uint32_t opcode, flags;
	uint64_t session;
	uint32_t cipher, mac;
	const void *key;
	uint32_t key_len;
	const void *mac_key;
	uint32_t mac_key_len;
	const void *iv;
	uint32_t iv_len;
	const void *aad;
	uint32_t aad_len;
	const void *src;
	uint32_t src_len;
	uint32_t tag_len;
};

/* Segments each in their own allocation, so a stray access is caught. */
struct segs {
	struct iovec iov[4352];
	unsigned num;
};

static void segs_from(struct segs *s, const uint8_t *buf, size_t len,
		      size_t split)
{
	size_t off = 0;

	s->num = 0;
	while (off < len || (len == 0 && s->num == 0)) {
		size_t n = split ? split : len;

		assert_true(s->num < sizeof(s->iov) / sizeof(s->iov[0]));
		if (n > len - off)
			n = len - off;
		s->iov[s->num].iov_base = malloc(n ? n : 1);
		assert_non_null(s->iov[s->num].iov_base);
		if (n)
			memcpy(s->iov[s->num].iov_base, buf + off, n);
		s->iov[s->num].iov_len = n;
		s->num++;
		off += n;
		if (len == 0)
			break;
	}
}

static void segs_to(const struct segs *s, uint8_t *buf)
{
	size_t off = 0;
	unsigned i;

	for (i = 0; i < s->num; i++) {
		memcpy(buf + off, s->iov[i].iov_base, s->iov[i].iov_len);
		off += s->iov[i].iov_len;
	}
}

static void segs_free(struct segs *s)
{
	unsigned i;

	for (i = 0; i < s->num; i++)
		free(s->iov[i].iov_base);
	s->num = 0;
}

/* Serialize the device-readable part; returns its length. */
static size_t vreq_out(const struct vreq *r, uint8_t **buf)
{
	struct virtio_cryptodev_req h = {
		.opcode = htole32(r->opcode),
		.flags = htole32(r->flags),
		.session = htole64(r->session),
		.cipher = htole32(r->cipher),
		.mac = htole32(r->mac),
		.key_len = htole32(r->key_len),
		.mac_key_len = htole32(r->mac_key_len),
		.iv_len = htole32(r->iv_len),
		.aad_len = htole32(r->aad_len),
		.src_len = htole32(r->src_len),
		.tag_len = htole32(r->tag_len),
	};
	size_t len = sizeof(h) + (r->key ? r->key_len : 0) +
		     (r->mac_key ? r->mac_key_len : 0) +
		     (r->iv ? r->iv_len : 0) + (r->aad ? r->aad_len : 0) +
		     (r->src ? r->src_len : 0);
	uint8_t *p = malloc(len);

	assert_non_null(p);
	*buf = p;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
#define PUT(ptr, n) do { if (ptr) { memcpy(p, ptr, n); p += n; } } while (0)
	PUT(r->key, r->key_len);
	PUT(r->mac_key, r->mac_key_len);
	PUT(r->iv, r->iv_len);
	PUT(r->aad, r->aad_len);
	PUT(r->src, r->src_len);
#undef PUT
	return len;
}

struct result {
	ssize_t ret;
	uint32_t status;
	uint32_t len;
	uint64_t session;
	uint8_t *out;		/* the output bytes (in part minus resp) */
};

static struct vcb_backend *g_b;

/*
 * Run one request with an in part of out_len + RESP_LEN bytes (plus extra,
 * which may be negative), out and in split every g_split bytes.
 */
static struct result run_ex(const struct vreq *r, size_t out_len,
			    long extra_in)
{
	struct segs outs, ins;
	struct result res = { 0 };
	uint8_t *outbuf, *inbuf;
	size_t olen, ilen = out_len + RESP_LEN + extra_in;
	struct virtio_cryptodev_resp resp;
	uint32_t st = 0xdead;

	olen = vreq_out(r, &outbuf);
	inbuf = malloc(ilen ? ilen : 1);
	assert_non_null(inbuf);
	memset(inbuf, 0xa5, ilen);
	segs_from(&outs, outbuf, olen, g_split);
	segs_from(&ins, inbuf, ilen, g_split);

	res.ret = vcb_backend_process(g_b, outs.iov, outs.num, ins.iov,
				      ins.num, &st);
	segs_to(&ins, inbuf);
	if (res.ret >= 0) {
		assert_int_equal(res.ret, ilen);
		memcpy(&resp, inbuf + ilen - RESP_LEN, RESP_LEN);
		res.status = le32toh(resp.status);
		res.len = le32toh(resp.len);
		res.session = le64toh(resp.session);
		assert_int_equal(res.status, st);
		res.out = inbuf;
	} else {
		free(inbuf);
	}
	segs_free(&outs);
	segs_free(&ins);
	free(outbuf);
	return res;
}

static struct result run(const struct vreq *r, size_t out_len)
{
	return run_ex(r, out_len, 0);
}

static uint32_t run_status(const struct vreq *r, size_t out_len)
{
	struct result res = run(r, out_len);

	assert_true(res.ret >= 0);
	free(res.out);
	return res.status;
}

static uint32_t create(uint32_t cipher, uint32_t mac, const uint8_t *key,
		       size_t keylen, uint64_t *handle)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION };
	struct result res;

	r.cipher = cipher;
	r.mac = mac;
	if (cipher) {
		r.key = key;
		r.key_len = keylen;
	} else {
		r.mac_key = key;
		r.mac_key_len = keylen;
	}
	res = run(&r, 0);
	assert_true(res.ret >= 0);
	free(res.out);
	if (res.status == VIRTIO_CRYPTODEV_S_OK)
		assert_int_equal(res.len, 0);
	*handle = res.session;
	return res.status;
}

static uint64_t must_create(uint32_t cipher, uint32_t mac, const char *hexkey)
{
	uint8_t key[600];
	size_t n = hexkey ? unhex(hexkey, key) : 0;
	uint64_t h = 0;

	assert_int_equal(create(cipher, mac, key, n, &h), VIRTIO_CRYPTODEV_S_OK);
	assert_true(h != 0);
	return h;
}

static uint32_t destroy(uint64_t h)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_DESTROY_SESSION,
			  .session = h };

	return run_status(&r, 0);
}

/*
 * Run r and take its out_len bytes of output into dst.  A request that
 * fails reports no output and leaves the area as it was or zeroed, never
 * with (partial) results in it.
 */
static uint32_t run_into(const struct vreq *r, uint8_t *dst, size_t out_len)
{
	struct result res = run(r, out_len);
	uint32_t st = res.status;
	size_t i;

	assert_true(res.ret >= 0);
	if (st == VIRTIO_CRYPTODEV_S_OK) {
		assert_int_equal(res.len, out_len);
		if (out_len)
			memcpy(dst, res.out, out_len);
	} else {
		assert_int_equal(res.len, 0);
		for (i = 0; i < out_len; i++)
			assert_true(res.out[i] == 0 || res.out[i] == 0xa5);
	}
	free(res.out);
	return st;
}

/* CIPHER; dst receives len (+ iv size with IV_OUT) bytes. */
static uint32_t cipher(uint64_t h, uint32_t flags, const uint8_t *iv,
		       size_t ivlen, const uint8_t *src, size_t len,
		       uint8_t *dst, size_t out_len)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER, .session = h,
			  .flags = flags, .iv = iv, .iv_len = ivlen,
			  .src = src, .src_len = len };

	return run_into(&r, dst, out_len);
}

static uint32_t hash(uint64_t h, uint32_t flags, const void *src, size_t len,
		     uint8_t *digest, size_t dlen)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_HASH, .session = h,
			  .flags = flags, .src = src, .src_len = len };

	return run_into(&r, digest, dlen);
}

/* HASH that finishes and gives the digest hex says (as long as that). */
static void assert_hash_gives(uint64_t h, uint32_t flags, const void *src,
			      size_t len, const char *hex)
{
	uint8_t want[64], d[64];
	size_t n = unhex(hex, want);

	assert_int_equal(hash(h, flags, src, len, d, n), 0);
	assert_memory_equal(d, want, n);
}

static uint32_t aead(uint64_t h, uint32_t flags, const uint8_t *iv,
		     size_t ivlen, const uint8_t *aad, size_t aadlen,
		     const uint8_t *src, size_t len, size_t taglen,
		     uint8_t *dst, size_t out_len)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_AEAD, .session = h,
			  .flags = flags, .iv = iv, .iv_len = ivlen,
			  .aad = aad, .aad_len = aadlen, .src = src,
			  .src_len = len, .tag_len = taglen };

	/* run_into: a failed AEAD leaves zeros or our fill, never plaintext. */
	return run_into(&r, dst, out_len);
}

/* ---- fixtures --------------------------------------------------------- */

static int backend_with(unsigned max_sessions)
{
	struct vcb_limits lim = { .max_sessions = max_sessions };
	char err[256] = "";
	int ret;

	ret = vcb_backend_new(&g_b, g_kind, g_device, &lim, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "backend: %s\n", err);
		return -1;
	}
	g_split = 0;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return backend_with(0);
}

static int setup_small(void **state)
{
	(void)state;
	return backend_with(4);
}

static int teardown(void **state)
{
	(void)state;
	vcb_backend_free(g_b);
	g_b = NULL;
	return 0;
}

/* ---- tests: known answers --------------------------------------------- */

static bool offered(const struct virtio_cryptodev_config *c, uint32_t alg)
{
	return c->algorithms[alg / 8] & (1u << (alg % 8));
}

static void config_advertises_limits_and_algorithms(void **state)
{
	struct virtio_cryptodev_config c;

	(void)state;
	vcb_backend_config(g_b, &c);
	assert_int_equal(le32toh(c.num_queues), VCB_DEFAULT_QUEUES);
	assert_int_equal(le32toh(c.max_sessions), VCB_DEFAULT_MAX_SESSIONS);
	assert_int_equal(le32toh(c.max_data_len), VCB_DEFAULT_MAX_DATA_LEN);
	assert_int_equal(le32toh(c.max_key_len), 64);
	assert_int_equal(le32toh(c.max_mac_key_len), 512);
	assert_true(le32toh(c.max_aad_len) >= 20);
	assert_int_equal(le32toh(c.max_segments), VIRTIO_CRYPTODEV_MAX_SEGMENTS);
	assert_int_equal(c.reserved, 0);
	assert_true(offered(&c, CRYPTO_AES_CBC));
	assert_true(offered(&c, CRYPTO_AES_CTR));
	assert_true(offered(&c, CRYPTO_AES_ECB));
	assert_true(offered(&c, CRYPTO_AES_GCM));
	assert_true(offered(&c, CRYPTO_SHA1));
	assert_true(offered(&c, CRYPTO_SHA2_256));
	assert_true(offered(&c, CRYPTO_SHA2_512));
	assert_true(offered(&c, CRYPTO_SHA2_256_HMAC));
	assert_false(offered(&c, 0));
	assert_false(offered(&c, CRYPTO_ARC4));
}

/*
 * The soft engine serves every algorithm of the shared list, so the soft
 * backend offers exactly these (typed out here, not taken from the list)
 * and no other bit.
 */
static void soft_backend_offers_exactly_the_listed_algorithms(void **state)
{
	static const uint32_t want[] = {
		CRYPTO_AES_CBC, CRYPTO_AES_CTR, CRYPTO_AES_ECB, CRYPTO_AES_GCM,
		CRYPTO_AES_XTS, CRYPTO_CAMELLIA_CBC, CRYPTO_DES_CBC,
		CRYPTO_3DES_CBC, CRYPTO_BLF_CBC, CRYPTO_NULL,
		CRYPTO_MD5, CRYPTO_RIPEMD160, CRYPTO_SHA1, CRYPTO_SHA2_224,
		CRYPTO_SHA2_256, CRYPTO_SHA2_384, CRYPTO_SHA2_512,
		CRYPTO_MD5_HMAC, CRYPTO_RIPEMD160_HMAC, CRYPTO_SHA1_HMAC,
		CRYPTO_SHA2_224_HMAC, CRYPTO_SHA2_256_HMAC,
		CRYPTO_SHA2_384_HMAC, CRYPTO_SHA2_512_HMAC,
	};
	struct virtio_cryptodev_config c;
	uint32_t alg;
	size_t i;
	bool listed;

	(void)state;
	if (vcb_backend_engine(g_b) != VCB_ENGINE_SOFT)
		skip();
	vcb_backend_config(g_b, &c);
	for (alg = 0; alg < 8 * sizeof(c.algorithms); alg++) {
		listed = false;
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			listed |= want[i] == alg;
		assert_int_equal(offered(&c, alg), listed);
	}
}

/* One SP 800-38A vector, decoded, with a session made from its key. */
struct sp38a_case {
	uint64_t h;
	uint8_t iv[16], pt[64], ct[64];
};

static void sp38a_case(unsigned int which, struct sp38a_case *c)
{
	const struct kat_cipher *k = &kat_ciphers[which];

	c->h = must_create(k->alg, 0, k->key);
	memset(c->iv, 0, sizeof(c->iv));
	if (k->iv)
		unhex(k->iv, c->iv);
	unhex(KAT_SP800_38A_PT, c->pt);
	unhex(k->ct, c->ct);
}

/*
 * The GCM specification's test case 4 (AES-128, 60-byte plaintext, 20-byte
 * AAD), decoded; ct and tag may be NULL.  Returns a session on its key.
 */
static uint64_t gcm4_case(uint8_t iv[12], uint8_t pt[60], uint8_t aad[20],
			  uint8_t *ct, uint8_t *tag)
{
	const struct kat_gcm *k = &kat_gcms[KAT_GCM_TC4];

	unhex_into(k->iv, iv, 12);
	unhex_into(k->pt, pt, 60);
	unhex_into(k->aad, aad, 20);
	if (ct)
		unhex_into(k->ct, ct, 60);
	if (tag)
		unhex_into(k->tag, tag, 16);
	return must_create(CRYPTO_AES_GCM, 0, k->key);
}

/* The vector's ciphertext from its plaintext, and back, in one request each. */
static void sp38a_round_trip(unsigned int which)
{
	const uint8_t *iv;
	struct sp38a_case c;
	uint8_t out[64];
	size_t ivlen;

	sp38a_case(which, &c);
	iv = kat_ciphers[which].iv ? c.iv : NULL;
	ivlen = iv ? 16 : 0;
	assert_int_equal(cipher(c.h, 0, iv, ivlen, c.pt, 64, out, 64), 0);
	assert_memory_equal(out, c.ct, 64);
	assert_int_equal(cipher(c.h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, ivlen,
				c.ct, 64, out, 64), 0);
	assert_memory_equal(out, c.pt, 64);
	assert_int_equal(destroy(c.h), 0);
}

static void ciphers_match_sp800_38a(void **state)
{
	static const unsigned int which[] = {
		KAT_CBC_AES128, KAT_CBC_AES256, KAT_CTR_AES128, KAT_ECB_AES128,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		sp38a_round_trip(which[i]);
}

/*
 * kat_cipher_docs through the device: XTS (IEEE 1619, CAVP), Camellia
 * (RFC 3713), DES (FIPS 81, SP 800-20), 3DES (SP 800-67), Blowfish.
 */
static void other_ciphers_match_their_standards(void **state)
{
	static const uint8_t zero_iv[16];
	size_t i, off;

	(void)state;
	for (i = 0; i < sizeof(kat_cipher_docs) / sizeof(kat_cipher_docs[0]);
	     i++) {
		const struct kat_cipher_doc *k = &kat_cipher_docs[i];
		uint8_t pt[64], ct[64], out[64], iv[16];
		size_t len = unhex(k->pt, pt), ivlen = vc_alg_iv_size(k->alg);
		size_t step = k->ecb_blocks ? vc_alg_block_size(k->alg) : len;
		uint64_t h = must_create(k->alg, 0, k->key);

		assert_int_equal(unhex(k->ct, ct), len);
		if (!k->ecb_blocks)
			assert_int_equal(unhex(k->iv, iv), ivlen);
		for (off = 0; off < len; off += step)
			assert_int_equal(cipher(h, 0, k->ecb_blocks ? zero_iv : iv,
						ivlen, pt + off, step, out + off,
						step), 0);
		if (memcmp(out, ct, len))
			fail_msg("%s encrypt differs", k->name);
		for (off = 0; off < len; off += step)
			assert_int_equal(cipher(h, VIRTIO_CRYPTODEV_F_DECRYPT,
						k->ecb_blocks ? zero_iv : iv,
						ivlen, ct + off, step, out + off,
						step), 0);
		if (memcmp(out, pt, len))
			fail_msg("%s decrypt differs", k->name);
		assert_int_equal(destroy(h), 0);
	}
}

/* The null cipher: no key, no IV, any length, the input comes back. */
static void null_cipher_returns_its_input(void **state)
{
	uint8_t pt[37], out[37];
	uint64_t h;

	(void)state;
	memset(pt, 0x5c, sizeof(pt));
	assert_int_equal(create(CRYPTO_NULL, 0, NULL, 0, &h),
			 VIRTIO_CRYPTODEV_S_OK);
	assert_int_equal(cipher(h, 0, NULL, 0, pt, sizeof(pt), out,
				sizeof(out)), 0);
	assert_memory_equal(out, pt, sizeof(pt));
	/* It has no IV to take. */
	assert_int_equal(cipher(h, 0, pt, 16, pt, 16, out, 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
}

static void cbc_chaining_continues_from_previous_request(void **state)
{
	struct sp38a_case c;
	uint8_t out[64];

	(void)state;
	sp38a_case(KAT_CBC_AES128, &c);
	/* First two blocks with the IV, the rest with iv_len 0. */
	assert_int_equal(cipher(c.h, 0, c.iv, 16, c.pt, 32, out, 32), 0);
	assert_int_equal(cipher(c.h, 0, NULL, 0, c.pt + 32, 16, out + 32, 16),
			 0);
	assert_int_equal(cipher(c.h, 0, NULL, 0, c.pt + 48, 16, out + 48, 16),
			 0);
	assert_memory_equal(out, c.ct, 64);
	/* Decryption chains the same way. */
	assert_int_equal(cipher(c.h, VIRTIO_CRYPTODEV_F_DECRYPT, c.iv, 16, c.ct,
				16, out, 16), 0);
	assert_int_equal(cipher(c.h, VIRTIO_CRYPTODEV_F_DECRYPT, NULL, 0,
				c.ct + 16, 48, out + 16, 48), 0);
	assert_memory_equal(out, c.pt, 64);
}

static void iv_out_returns_the_next_iv(void **state)
{
	struct sp38a_case c;
	uint8_t out[64 + 16];

	(void)state;
	sp38a_case(KAT_CBC_AES128, &c);
	assert_int_equal(cipher(c.h, VIRTIO_CRYPTODEV_F_IV_OUT, c.iv, 16, c.pt,
				64, out, 80), 0);
	assert_memory_equal(out, c.ct, 64);
	/* CBC encrypt: the next IV is the last ciphertext block. */
	assert_memory_equal(out + 64, c.ct + 48, 16);
}

static void sha_digests_match_fips180_examples(void **state)
{
	uint64_t s256 = must_create(0, CRYPTO_SHA2_256, NULL);
	uint64_t s1 = must_create(0, CRYPTO_SHA1, NULL);
	const char *msg = KAT_FIPS180_MSG_448;

	(void)state;
	assert_hash_gives(s256, 0, "abc", 3, kat_hashes[KAT_SHA256_ABC].digest);
	assert_hash_gives(s256, 0, msg, strlen(msg),
			  kat_hashes[KAT_SHA256_448].digest);
	assert_hash_gives(s1, 0, "abc", 3, kat_hashes[KAT_SHA1_ABC].digest);
}

static void hash_update_then_final_equals_one_shot(void **state)
{
	uint64_t h = must_create(0, CRYPTO_SHA2_256, NULL);
	const char *msg = KAT_FIPS180_MSG_448;

	(void)state;
	assert_int_equal(hash(h, VIRTIO_CRYPTODEV_F_HASH_UPDATE, msg, 10,
			      NULL, 0), 0);
	assert_int_equal(hash(h, VIRTIO_CRYPTODEV_F_HASH_UPDATE, msg + 10,
			      30, NULL, 0), 0);
	assert_hash_gives(h, 0, msg + 40, strlen(msg) - 40,
			  kat_hashes[KAT_SHA256_448].digest);
	/* After the final the state starts over. */
	assert_hash_gives(h, 0, "abc", 3, kat_hashes[KAT_SHA256_ABC].digest);
}

static void hash_reset_discards_accumulated_data(void **state)
{
	uint64_t h = must_create(0, CRYPTO_SHA2_256, NULL);

	(void)state;
	assert_int_equal(hash(h, VIRTIO_CRYPTODEV_F_HASH_UPDATE, "junk", 4,
			      NULL, 0), 0);
	assert_hash_gives(h, VIRTIO_CRYPTODEV_F_HASH_RESET, "abc", 3,
			  kat_hashes[KAT_SHA256_ABC].digest);
}

static void hmac_matches_rfc4231(void **state)
{
	uint64_t h256 = must_create(0, CRYPTO_SHA2_256_HMAC,
				    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
	uint64_t h512 = must_create(0, CRYPTO_SHA2_512_HMAC,
				    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
	uint64_t jefe = must_create(0, CRYPTO_SHA2_256_HMAC, "4a656665");
	const char *tc2 = "what do ya want for nothing?";

	(void)state;
	assert_hash_gives(h256, 0, "Hi There", 8,
			  kat_hmacs_rfc4231[KAT_RFC4231_TC1_SHA256].digest);
	assert_hash_gives(h512, 0, "Hi There", 8,
			  kat_hmacs_rfc4231[KAT_RFC4231_TC1_SHA512].digest);
	assert_hash_gives(jefe, 0, tc2, strlen(tc2),
			  kat_hmacs_rfc4231[KAT_RFC4231_TC2_SHA256].digest);
}

/* CLONE_HASH of src's state into dst; the source handle is src[8]. */
static uint32_t clone_hash_ex(uint64_t dst, uint64_t src, uint32_t src_len,
			      uint32_t flags, size_t out_len)
{
	uint8_t payload[16] = { 0 };
	uint64_t le = htole64(src);
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CLONE_HASH,
			  .session = dst, .flags = flags, .src = payload,
			  .src_len = src_len };

	assert_true(src_len <= sizeof(payload));
	memcpy(payload, &le, sizeof(le));
	return run_into(&r, NULL, out_len);
}

static uint32_t clone_hash(uint64_t dst, uint64_t src)
{
	return clone_hash_ex(dst, src, VIRTIO_CRYPTODEV_CLONE_SRC_LEN, 0, 0);
}

/* "ab", CLONE_HASH, "c" on both: FIPS 180's SHA-256("abc") twice. */
static void clone_hash_continues_the_message_on_both_sessions(void **state)
{
	uint64_t a = must_create(0, CRYPTO_SHA2_256, NULL);
	uint64_t b = must_create(0, CRYPTO_SHA2_256, NULL);
	const char *abc = kat_hashes[KAT_SHA256_ABC].digest;

	(void)state;
	assert_int_equal(hash(b, VIRTIO_CRYPTODEV_F_HASH_UPDATE, "junk", 4,
			      NULL, 0), 0);
	assert_int_equal(hash(a, VIRTIO_CRYPTODEV_F_HASH_UPDATE, "ab", 2,
			      NULL, 0), 0);
	assert_int_equal(clone_hash(b, a), VIRTIO_CRYPTODEV_S_OK);
	assert_hash_gives(a, 0, "c", 1, abc);
	assert_hash_gives(b, 0, "c", 1, abc);
}

/*
 * The guest names both sessions: a cipher or AEAD session on either side,
 * an unknown or zero handle, another algorithm, a short or long source
 * field, flags or an output area are all refused without touching either
 * state, and a session cloned onto itself neither deadlocks nor changes.
 */
static void clone_hash_refuses_wrong_kind_unknown_and_mismatched_sessions(
	void **state)
{
	uint64_t s256 = must_create(0, CRYPTO_SHA2_256, NULL);
	uint64_t s1 = must_create(0, CRYPTO_SHA1, NULL);
	uint64_t h256 = must_create(0, CRYPTO_SHA2_256_HMAC, "0b0b0b0b");
	uint64_t cbc = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	uint64_t gcm = must_create(CRYPTO_AES_GCM, 0, kat_gcms[KAT_GCM_TC4].key);
	uint64_t gone = must_create(0, CRYPTO_SHA2_256, NULL);
	const char *abc = kat_hashes[KAT_SHA256_ABC].digest;

	(void)state;
	assert_int_equal(destroy(gone), 0);
	assert_int_equal(hash(s256, VIRTIO_CRYPTODEV_F_HASH_UPDATE, "ab", 2,
			      NULL, 0), 0);
	assert_int_equal(clone_hash(cbc, s256), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(s256, cbc), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(s256, gcm), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(cbc, cbc), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(s256, gone), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(gone, s256), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(s256, 0), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(0, s256), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(clone_hash(s256, s1), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash(s256, h256), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash(h256, s256), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash_ex(s1, s256, 7, 0, 0),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash_ex(s1, s256, 9, 0, 0),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash_ex(s1, s256, 8,
				       VIRTIO_CRYPTODEV_F_HASH_RESET, 0),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash_ex(s1, s256, 8, 0, 32),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(clone_hash(s256, s256), VIRTIO_CRYPTODEV_S_OK);
	/* None of it disturbed the source's "ab". */
	assert_hash_gives(s256, 0, "c", 1, abc);
	assert_int_equal(vcb_backend_session_count(g_b), 5);
}

/* Every vector of a set, each on a session of its own, key or not. */
static void digests_match(const struct kat_digest *kats, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct kat_digest *k = &kats[i];
		uint8_t key[200], msg[200];
		size_t keylen = 0, msglen;
		uint64_t h;

		if (k->key) {
			keylen = unhex(k->key, key);
		} else if (k->key_rep) {
			assert_true(k->key_rep <= sizeof(key));
			keylen = k->key_rep;
			memset(key, k->key_byte, keylen);
		}
		msglen = k->msg ? strlen(k->msg) : k->msg_rep;
		assert_true(msglen <= sizeof(msg));
		if (k->msg)
			memcpy(msg, k->msg, msglen);
		else
			memset(msg, k->msg_byte, msglen);
		assert_int_equal(create(0, k->alg, key, keylen, &h),
				 VIRTIO_CRYPTODEV_S_OK);
		assert_hash_gives(h, 0, msg, msglen, k->digest);
		assert_int_equal(destroy(h), 0);
	}
}

#define DIGESTS_MATCH(kats) digests_match(kats, sizeof(kats) / sizeof(kats[0]))

static void md5_ripemd160_and_hmacs_match_rfc1321_2202_2286_and_paper(
	void **state)
{
	(void)state;
	DIGESTS_MATCH(kat_hashes_rfc1321);
	DIGESTS_MATCH(kat_hashes_ripemd160);
	DIGESTS_MATCH(kat_hmacs_rfc2202);
	DIGESTS_MATCH(kat_hmacs_rfc2286);
}

static void gcm_encrypts_and_decrypts_test_case_4(void **state)
{
	uint8_t iv[12], pt[60], aad[20], ct[60], tag[16], out[76], back[60];
	uint64_t h;

	(void)state;
	h = gcm4_case(iv, pt, aad, ct, tag);
	assert_int_equal(aead(h, 0, iv, 12, aad, 20, pt, 60, 16, out, 76), 0);
	assert_memory_equal(out, ct, 60);
	assert_memory_equal(out + 60, tag, 16);
	assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, aad, 20,
			      out, 76, 16, back, 60), 0);
	assert_memory_equal(back, pt, 60);
}

static void gcm_tampering_gives_badmsg(void **state)
{
	uint8_t iv[12], pt[60], aad[20], out[76], back[60];
	uint64_t h;

	(void)state;
	h = gcm4_case(iv, pt, aad, NULL, NULL);
	assert_int_equal(aead(h, 0, iv, 12, aad, 20, pt, 60, 16, out, 76), 0);
	out[5] ^= 1;	/* ciphertext */
	assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, aad, 20,
			      out, 76, 16, back, 60),
			 VIRTIO_CRYPTODEV_S_BADMSG);
	out[5] ^= 1;
	out[70] ^= 0x80;	/* tag */
	assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, aad, 20,
			      out, 76, 16, back, 60),
			 VIRTIO_CRYPTODEV_S_BADMSG);
	out[70] ^= 0x80;
	aad[0] ^= 1;		/* associated data */
	assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, aad, 20,
			      out, 76, 16, back, 60),
			 VIRTIO_CRYPTODEV_S_BADMSG);
}

static void gcm_truncated_tag_is_a_prefix(void **state)
{
	uint8_t iv[12], pt[60], aad[20], tag[16], out[72], back[60];
	uint64_t h;

	(void)state;
	h = gcm4_case(iv, pt, aad, NULL, tag);
	assert_int_equal(aead(h, 0, iv, 12, aad, 20, pt, 60, 12, out, 72), 0);
	assert_memory_equal(out + 60, tag, 12);
	assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, aad, 20,
			      out, 72, 12, back, 60), 0);
	assert_memory_equal(back, pt, 60);
}

/* ---- tests: sessions -------------------------------------------------- */

static void session_limit_gives_nospc(void **state)
{
	uint64_t h[4], extra = 0;
	unsigned i;

	(void)state;
	for (i = 0; i < 4; i++)
		h[i] = must_create(0, CRYPTO_SHA2_256, NULL);
	assert_int_equal(vcb_backend_session_count(g_b), 4);
	assert_int_equal(create(0, CRYPTO_SHA2_256, NULL, 0, &extra),
			 VIRTIO_CRYPTODEV_S_NOSPC);
	assert_int_equal(extra, 0);
	/* Destroying one makes room again. */
	assert_int_equal(destroy(h[2]), 0);
	h[2] = must_create(0, CRYPTO_SHA2_256, NULL);
	assert_int_equal(vcb_backend_session_count(g_b), 4);
}

static void unknown_handle_gives_nosession(void **state)
{
	uint8_t d[32], buf[16] = { 0 }, iv[16] = { 0 };
	uint64_t h = must_create(0, CRYPTO_SHA2_256, NULL);

	(void)state;
	assert_int_equal(hash(h ^ 1, 0, "abc", 3, d, 32),
			 VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(hash(0, 0, "abc", 3, d, 32),
			 VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(destroy(h + 12345), VIRTIO_CRYPTODEV_S_NOSESSION);
	/* A session of another kind is not a cipher session. */
	assert_int_equal(cipher(h, 0, iv, 16, buf, 16, buf, 16),
			 VIRTIO_CRYPTODEV_S_NOSESSION);
}

static void destroyed_session_is_gone(void **state)
{
	uint8_t d[32];
	uint64_t h = must_create(0, CRYPTO_SHA2_256, NULL);

	(void)state;
	assert_int_equal(destroy(h), 0);
	assert_int_equal(hash(h, 0, "abc", 3, d, 32),
			 VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(destroy(h), VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(vcb_backend_session_count(g_b), 0);
}

static void reset_frees_every_session(void **state)
{
	uint8_t d[32];
	uint64_t h[3];
	unsigned i;

	(void)state;
	for (i = 0; i < 3; i++)
		h[i] = must_create(0, CRYPTO_SHA2_256, NULL);
	vcb_backend_reset(g_b);
	assert_int_equal(vcb_backend_session_count(g_b), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(hash(h[i], 0, "abc", 3, d, 32),
				 VIRTIO_CRYPTODEV_S_NOSESSION);
	/* And the device works after the reset. */
	h[0] = must_create(0, CRYPTO_SHA2_256, NULL);
	assert_int_equal(hash(h[0], 0, "abc", 3, d, 32), 0);
}

static void handles_are_random_64_bit(void **state)
{
	uint64_t h[32], hi_bits = 0;
	unsigned i, j;

	(void)state;
	for (i = 0; i < 32; i++) {
		h[i] = must_create(0, CRYPTO_SHA2_256, NULL);
		hi_bits |= h[i] >> 32;
		for (j = 0; j < i; j++)
			assert_true(h[i] != h[j]);
	}
	/* Not small integers or counters: the high halves carry bits too. */
	assert_true(hi_bits != 0);
	assert_true(h[1] != h[0] + 1);
}

static void rejects_unoffered_algorithms(void **state)
{
	uint8_t key[16] = { 0 };
	uint64_t h = 7;

	(void)state;
	assert_int_equal(create(CRYPTO_ARC4, 0, key, 16, &h),
			 VIRTIO_CRYPTODEV_S_NOTSUPP);
	assert_int_equal(h, 0);
	assert_int_equal(create(127, 0, key, 16, &h), VIRTIO_CRYPTODEV_S_NOTSUPP);
	assert_int_equal(create(0xffffffffu, 0, key, 16, &h),
			 VIRTIO_CRYPTODEV_S_NOTSUPP);
	assert_int_equal(create(0, 0, key, 0, &h), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(vcb_backend_session_count(g_b), 0);
}

static void rejects_bad_key_sizes(void **state)
{
	uint8_t key[600] = { 0 };
	uint64_t h;

	(void)state;
	assert_int_equal(create(CRYPTO_AES_CBC, 0, key, 15, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(create(CRYPTO_AES_CBC, 0, key, 0, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* Over the advertised maximum. */
	assert_int_equal(create(CRYPTO_AES_CBC, 0, key, 65, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(create(0, CRYPTO_SHA2_256_HMAC, key, 513, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* A plain hash takes no key. */
	assert_int_equal(create(0, CRYPTO_SHA2_256, key, 16, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* What Linux's DES, 3DES, Blowfish and XTS refuse. */
	assert_int_equal(create(CRYPTO_DES_CBC, 0, key, 16, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(create(CRYPTO_3DES_CBC, 0, key, 16, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(create(CRYPTO_BLF_CBC, 0, key, 3, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(create(CRYPTO_AES_XTS, 0, key, 16, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(create(CRYPTO_NULL, 0, key, 65, &h),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(vcb_backend_session_count(g_b), 0);
}

/* ---- tests: malformed requests ---------------------------------------- */

static void rejects_short_header(void **state)
{
	struct virtio_cryptodev_req h = { .opcode = htole32(4) };
	uint8_t in[RESP_LEN];
	struct iovec out = { &h, sizeof(h) - 1 }, iin = { in, sizeof(in) };
	uint32_t st;

	(void)state;
	assert_int_equal(vcb_backend_process(g_b, &out, 1, &iin, 1, &st),
			 RESP_LEN);
	assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
	out.iov_len = 0;
	assert_int_equal(vcb_backend_process(g_b, &out, 1, &iin, 1, &st),
			 RESP_LEN);
	assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
}

static void zero_iovecs_are_handled(void **state)
{
	struct virtio_cryptodev_req h = { 0 };
	uint8_t in[RESP_LEN];
	struct iovec out = { &h, sizeof(h) }, iin = { in, sizeof(in) };
	uint32_t st;

	(void)state;
	/* No device-readable part: a status. */
	assert_int_equal(vcb_backend_process(g_b, NULL, 0, &iin, 1, &st),
			 RESP_LEN);
	assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
	/* No device-writable part: nowhere to answer, the ring is broken. */
	assert_true(vcb_backend_process(g_b, &out, 1, NULL, 0, &st) < 0);
	assert_true(vcb_backend_process(g_b, NULL, 0, NULL, 0, &st) < 0);
}

static void in_part_shorter_than_response_is_a_protocol_violation(void **state)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
			  .mac = CRYPTO_SHA2_256 };
	struct result res;
	long extra;

	(void)state;
	for (extra = -1; extra >= -(long)RESP_LEN; extra--) {
		res = run_ex(&r, 0, extra);
		assert_true(res.ret < 0);
	}
	assert_int_equal(vcb_backend_session_count(g_b), 0);
}

static void in_part_of_4_gib_or_more_is_a_protocol_violation(void **state)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
			  .mac = CRYPTO_SHA2_256 };
	uint8_t *ob, tail[RESP_LEN];
	struct iovec o, in[3];
	uint32_t st;

	(void)state;
	o.iov_len = vreq_out(&r, &ob);
	o.iov_base = ob;
	/*
	 * Descriptors may repeat an address, so a guest can describe 4 GiB
	 * without having it.  Only the tail is real: nothing else is touched.
	 */
	in[0] = (struct iovec){ tail, 1ul << 31 };
	in[1] = (struct iovec){ tail, 1ul << 31 };
	in[2] = (struct iovec){ tail, RESP_LEN };
	assert_int_equal(vcb_backend_process(g_b, &o, 1, in, 3, &st), -EPROTO);
	/* One byte less fits a 32-bit used length: answered (wrong size). */
	in[1].iov_len = (1ul << 31) - RESP_LEN - 1;
	assert_int_equal(vcb_backend_process(g_b, &o, 1, in, 3, &st),
			 (ssize_t)UINT32_MAX);
	assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(vcb_backend_session_count(g_b), 0);
	free(ob);
}

static void in_part_of_wrong_size_gives_inval(void **state)
{
	uint8_t iv[16] = { 0 }, pt[64] = { 0 };
	uint64_t h = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER, .session = h,
			  .iv = iv, .iv_len = 16, .src = pt, .src_len = 64 };
	struct vreq c = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
			  .mac = CRYPTO_SHA2_256 };
	long extras[] = { -1, -16, -64, 1, 15, 16, 4096 };
	struct result res;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		res = run_ex(&r, 64, extras[i]);
		assert_true(res.ret >= 0);
		assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_INVAL);
		assert_int_equal(res.len, 0);
		free(res.out);
	}
	/* A create whose in part has room for output it does not have. */
	res = run_ex(&c, 0, 1);
	assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_INVAL);
	free(res.out);
	assert_int_equal(vcb_backend_session_count(g_b), 1);
}

static void rejects_oversize_data(void **state)
{
	uint32_t max = VCB_DEFAULT_MAX_DATA_LEN;
	uint8_t *buf = calloc(1, (size_t)max + 16);
	uint64_t h = must_create(CRYPTO_AES_CTR, 0, KAT_SP800_38A_K128);
	uint8_t iv[16] = { 0 };

	(void)state;
	assert_non_null(buf);
	/* At the limit it works, one block over it is refused. */
	assert_int_equal(cipher(h, 0, iv, 16, buf, max, buf, max), 0);
	assert_int_equal(cipher(h, 0, iv, 16, buf, max + 16, buf, max + 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
	free(buf);
}

static void rejects_lengths_near_2_pow_32(void **state)
{
	struct virtio_cryptodev_req h;
	uint8_t in[64 + RESP_LEN];
	struct iovec out = { &h, sizeof(h) }, iin = { in, sizeof(in) };
	uint32_t st;
	unsigned i;

	(void)state;
	/* Fields whose 32-bit sum would wrap to a small number. */
	for (i = 0; i < 6; i++) {
		memset(&h, 0, sizeof(h));
		h.opcode = htole32(VIRTIO_CRYPTODEV_OP_AEAD);
		h.session = htole64(1);
		h.iv_len = htole32(12);
		h.tag_len = htole32(16);
		switch (i) {
		case 0:
			h.src_len = htole32(0xffffffffu);
			h.aad_len = htole32(1);
			break;
		case 1:
			h.aad_len = htole32(0xfffffff4u);
			h.src_len = htole32(64);
			break;
		case 2:
			h.iv_len = htole32(0xfffffff0u);
			h.src_len = htole32(16);
			break;
		case 3:
			h.opcode = htole32(VIRTIO_CRYPTODEV_OP_CREATE_SESSION);
			h.session = 0;
			h.iv_len = h.tag_len = 0;
			h.cipher = htole32(CRYPTO_AES_CBC);
			h.key_len = htole32(0x80000000u);
			h.mac_key_len = htole32(0x80000010u);
			break;
		case 4:
			h.tag_len = htole32(0xffffffffu);
			h.src_len = htole32(17);
			break;
		case 5:
			h.opcode = htole32(VIRTIO_CRYPTODEV_OP_CIPHER);
			h.iv_len = htole32(16);
			h.tag_len = 0;
			h.src_len = htole32(0xfffffff0u);
			break;
		}
		assert_int_equal(vcb_backend_process(g_b, &out, 1, &iin, 1, &st),
				 sizeof(in));
		assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
	}
}

static void rejects_out_part_longer_or_shorter_than_declared(void **state)
{
	uint8_t iv[16] = { 0 }, pt[64] = { 0 };
	uint64_t h = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER, .session = h,
			  .iv = iv, .iv_len = 16, .src = pt, .src_len = 48 };

	(void)state;
	/* The header says 64 bytes of source; 48 follow. */
	r.src_len = 64;
	r.src = NULL;
	{
		uint8_t *ob;
		size_t olen = vreq_out(&r, &ob);
		uint8_t *full = malloc(olen + 48);
		uint8_t in[64 + RESP_LEN];
		struct iovec o = { full, olen + 48 }, i = { in, sizeof(in) };
		uint32_t st;

		memcpy(full, ob, olen);
		memset(full + olen, 0, 48);
		/* olen covers header + iv, the iv is missing too: shorter. */
		assert_int_equal(vcb_backend_process(g_b, &o, 1, &i, 1, &st),
				 sizeof(in));
		assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
		free(full);
		free(ob);
	}
	/* Source longer than declared. */
	{
		struct vreq r2 = r;
		uint8_t *ob;
		size_t olen;
		uint8_t in[48 + RESP_LEN];
		struct iovec o, i = { in, sizeof(in) };
		uint32_t st;

		r2.src = pt;
		r2.src_len = 64;
		olen = vreq_out(&r2, &ob);
		/* Rewrite the header to claim 48 bytes. */
		((struct virtio_cryptodev_req *)ob)->src_len = htole32(48);
		o.iov_base = ob;
		o.iov_len = olen;
		assert_int_equal(vcb_backend_process(g_b, &o, 1, &i, 1, &st),
				 sizeof(in));
		assert_int_equal(st, VIRTIO_CRYPTODEV_S_INVAL);
		free(ob);
	}
}

static void rejects_garbage_opcodes_flags_and_fields(void **state)
{
	uint8_t iv[16] = { 0 }, pt[16] = { 0 }, out[16];
	uint64_t h = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	uint64_t hh = must_create(0, CRYPTO_SHA2_256, NULL);
	uint32_t op;

	(void)state;
	for (op = 0; op < 40; op++) {
		struct vreq r = { .opcode = op };

		if (op >= 1 && op <= VIRTIO_CRYPTODEV_OP_CLONE_HASH)
			continue;
		/* the combined opcodes: there is no session 0 */
		if (op >= VIRTIO_CRYPTODEV_OP_HASH_CIPHER &&
		    op <= VIRTIO_CRYPTODEV_OP_SRTP) {
			assert_int_equal(run_status(&r, 0),
					 VIRTIO_CRYPTODEV_S_NOSESSION);
			continue;
		}
		assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_NOTSUPP);
	}
	{
		struct vreq r = { .opcode = 0xffffffffu };

		assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_NOTSUPP);
	}
	/* Flags outside F_ALL, and flags of another opcode. */
	assert_int_equal(cipher(h, 1u << 4, iv, 16, pt, 16, out, 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(cipher(h, 0x80000000u, iv, 16, pt, 16, out, 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(cipher(h, VIRTIO_CRYPTODEV_F_HASH_UPDATE, iv, 16, pt,
				16, out, 16), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(hash(hh, VIRTIO_CRYPTODEV_F_DECRYPT, "abc", 3, out, 32),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* Fields an opcode does not use must be zero. */
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER,
				  .session = h, .iv = iv, .iv_len = 16,
				  .src = pt, .src_len = 16, .tag_len = 16 };

		assert_int_equal(run_status(&r, 16), VIRTIO_CRYPTODEV_S_INVAL);
		r.tag_len = 0;
		r.cipher = CRYPTO_AES_CBC;
		assert_int_equal(run_status(&r, 16), VIRTIO_CRYPTODEV_S_INVAL);
		r.cipher = 0;
		assert_int_equal(run_status(&r, 16), VIRTIO_CRYPTODEV_S_OK);
	}
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_DESTROY_SESSION,
				  .session = hh, .src = pt, .src_len = 16 };

		assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_INVAL);
	}
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
				  .session = hh, .mac = CRYPTO_SHA2_256 };

		assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_INVAL);
	}
	assert_int_equal(vcb_backend_session_count(g_b), 2);
}

static void rejects_bad_cipher_and_aead_parameters(void **state)
{
	uint8_t iv[32] = { 0 }, buf[64] = { 0 }, out[96];
	uint64_t cbc = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	uint64_t gcm = must_create(CRYPTO_AES_GCM, 0, kat_gcms[KAT_GCM_TC4].key);

	(void)state;
	/* Not a whole number of blocks. */
	assert_int_equal(cipher(cbc, 0, iv, 16, buf, 15, out, 15),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* IV of the wrong size. */
	assert_int_equal(cipher(cbc, 0, iv, 12, buf, 16, out, 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(cipher(cbc, 0, iv, 17, buf, 16, out, 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* GCM: nonce must be 12 bytes, tag 1..16, decrypt input >= tag. */
	assert_int_equal(aead(gcm, 0, iv, 0, NULL, 0, buf, 16, 16, out, 32),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(aead(gcm, 0, iv, 16, NULL, 0, buf, 16, 16, out, 32),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(aead(gcm, 0, iv, 12, NULL, 0, buf, 16, 0, out, 16),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(aead(gcm, 0, iv, 12, NULL, 0, buf, 16, 17, out, 33),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(aead(gcm, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, NULL, 0,
			      buf, 8, 16, out, 0), VIRTIO_CRYPTODEV_S_INVAL);
	/* AEAD on a cipher session and vice versa. */
	assert_int_equal(aead(cbc, 0, iv, 12, NULL, 0, buf, 16, 16, out, 32),
			 VIRTIO_CRYPTODEV_S_NOSESSION);
	assert_int_equal(cipher(gcm, 0, iv, 12, buf, 16, out, 16),
			 VIRTIO_CRYPTODEV_S_NOSESSION);
}

static void too_many_segments_gives_inval(void **state)
{
	uint8_t *pt = calloc(1, 2048);
	uint64_t h = must_create(CRYPTO_AES_CTR, 0, KAT_SP800_38A_K128);
	uint8_t iv[16] = { 0 };
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER, .session = h,
			  .iv = iv, .iv_len = 16, .src = pt, .src_len = 2048 };
	struct result res;

	(void)state;
	/* 64 + 2048 bytes of out in 1-byte pieces: far over the limit. */
	g_split = 1;
	res = run(&r, 2048);
	assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_INVAL);
	free(res.out);
	/* Within the limit the same request works. */
	g_split = 8;
	res = run(&r, 2048);
	assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_OK);
	free(res.out);
	free(pt);
}

static void gcm_tag_lengths_outside_sp800_38d_give_inval(void **state)
{
	uint8_t iv[12] = { 0 }, pt[32] = { 0 }, out[64], back[32];
	uint64_t h = must_create(CRYPTO_AES_GCM, 0, kat_gcms[KAT_GCM_TC4].key);
	uint32_t t;

	(void)state;
	for (t = 0; t <= 17; t++) {
		bool allowed = t == 4 || t == 8 || (t >= 12 && t <= 16);

		/* The wire header says the same to drivers. */
		assert_int_equal(VIRTIO_CRYPTODEV_TAG_LEN_OK(t), allowed);

		assert_int_equal(aead(h, 0, iv, 12, NULL, 0, pt, 32, t, out,
				      32 + t),
				 allowed ? VIRTIO_CRYPTODEV_S_OK :
					   VIRTIO_CRYPTODEV_S_INVAL);
		if (t <= 16)
			assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv,
					      12, NULL, 0, out, 32 + t, t,
					      back, 32),
					 allowed ? VIRTIO_CRYPTODEV_S_OK :
						   VIRTIO_CRYPTODEV_S_INVAL);
	}
}

static void aead_on_contiguous_buffers_needs_no_scratch(void **state)
{
	uint8_t iv[12], pt[60], aad[20], out[76], back[60];
	uint64_t h;
	unsigned long before;

	(void)state;
	h = gcm4_case(iv, pt, aad, NULL, NULL);
	before = vcb_backend_scratch_uses(g_b);
	assert_int_equal(aead(h, 0, iv, 12, aad, 20, pt, 60, 16, out, 76), 0);
	assert_int_equal(vcb_backend_scratch_uses(g_b), before);
	/* Decryption always verifies in host memory first. */
	assert_int_equal(aead(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, 12, aad, 20,
			      out, 76, 16, back, 60), 0);
	assert_int_equal(vcb_backend_scratch_uses(g_b), before + 1);
	assert_memory_equal(back, pt, 60);
}

/* A backend that takes requests of up to 16 MiB, for the slow ones. */
#define BIG_LEN (64u << 20)

static struct vcb_backend *big_backend(void)
{
	struct vcb_limits lim = { .max_data_len = BIG_LEN };
	struct vcb_backend *b = NULL;
	char err[256] = "";

	assert_int_equal(vcb_backend_new(&b, g_kind, g_device, &lim, err,
					 sizeof(err)), 0);
	return b;
}

struct watcher {
	const volatile uint8_t *buf;
	size_t len;
	uint8_t forbidden;
	int stop;		/* atomic */
	int seen;
};

/* Look at the output area the whole time, as another vCPU could. */
static void *watcher_main(void *arg)
{
	struct watcher *w = arg;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		size_t off;

		for (off = 4096; off < w->len; off += 65536)
			if (w->buf[off] == w->forbidden)
				w->seen = 1;
	}
	return NULL;
}

static void aead_decrypt_never_exposes_unverified_plaintext(void **state)
{
	struct vcb_backend *b = big_backend(), *saved = g_b;
	uint8_t iv[12] = { 1 }, *pt, *ct, *in;
	struct watcher w = { 0 };
	/*
	 * src_len counts the tag.  Through a guest's device (devcrypto engine
	 * in the guest) it may not exceed that device's max_data_len.
	 */
	size_t pt_len = (g_kind == VCB_ENGINE_SOFT ? 16u << 20 : 1u << 20) - 16;
	pthread_t t;
	uint64_t h;
	unsigned round;
	size_t i;

	(void)state;
	g_b = b;
	h = must_create(CRYPTO_AES_GCM, 0, kat_gcms[KAT_GCM_TC4].key);
	pt = malloc(pt_len);
	ct = malloc(pt_len + 16);
	in = malloc(pt_len + RESP_LEN);
	assert_non_null(pt);
	assert_non_null(ct);
	assert_non_null(in);
	memset(pt, 0x5a, pt_len);
	assert_int_equal(aead(h, 0, iv, 12, NULL, 0, pt, pt_len, 16, ct,
			      pt_len + 16), 0);
	ct[pt_len] ^= 1;	/* a forged tag */
	memset(in, 0xa5, pt_len + RESP_LEN);
	w.buf = in;
	w.len = pt_len;
	w.forbidden = 0x5a;
	assert_int_equal(pthread_create(&t, NULL, watcher_main, &w), 0);
	for (round = 0; round < 3; round++) {
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_AEAD,
				  .session = h,
				  .flags = VIRTIO_CRYPTODEV_F_DECRYPT,
				  .iv = iv, .iv_len = 12, .src = ct,
				  .src_len = pt_len + 16, .tag_len = 16 };
		struct iovec o, io = { in, pt_len + RESP_LEN };
		uint8_t *ob;
		uint32_t st;

		o.iov_len = vreq_out(&r, &ob);
		o.iov_base = ob;
		assert_int_equal(vcb_backend_process(b, &o, 1, &io, 1, &st),
				 pt_len + RESP_LEN);
		assert_int_equal(st, VIRTIO_CRYPTODEV_S_BADMSG);
		free(ob);
	}
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	assert_int_equal(w.seen, 0);
	for (i = 0; i < pt_len; i++)
		if (in[i] == 0x5a)
			fail_msg("plaintext byte at %zu", i);
	free(pt);
	free(ct);
	free(in);
	g_b = saved;
	vcb_backend_free(b);
}

struct hasher {
	struct vcb_backend *b;
	uint64_t handle;
	const uint8_t *data;
	size_t len;		/* of each hash request */
	unsigned rounds;	/* 0: 2 */
	int started, done;	/* atomic */
};

/* Long hashes on one session: its lock is held most of the time. */
static void *hasher_main(void *arg)
{
	struct hasher *hs = arg;
	unsigned i;

	for (i = 0; i < (hs->rounds ? hs->rounds : 2); i++) {
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_HASH,
				  .session = hs->handle,
				  .flags = VIRTIO_CRYPTODEV_F_HASH_UPDATE,
				  .src = hs->data, .src_len = hs->len };
		uint8_t *ob, in[RESP_LEN];
		struct iovec o, io = { in, sizeof(in) };
		uint32_t st;

		o.iov_len = vreq_out(&r, &ob);
		o.iov_base = ob;
		__atomic_store_n(&hs->started, 1, __ATOMIC_RELEASE);
		vcb_backend_process(hs->b, &o, 1, &io, 1, &st);
		free(ob);
	}
	__atomic_store_n(&hs->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* A hasher on a new session of b, started and holding its lock. */
static void start_hasher(struct hasher *hs, pthread_t *t,
			 struct vcb_backend *b, const uint8_t *data,
			 size_t len, unsigned rounds)
{
	memset(hs, 0, sizeof(*hs));
	g_b = b;
	hs->b = b;
	hs->handle = must_create(0, CRYPTO_SHA2_256, NULL);
	hs->data = data;
	hs->len = len;
	hs->rounds = rounds;
	assert_int_equal(pthread_create(t, NULL, hasher_main, hs), 0);
	while (!__atomic_load_n(&hs->started, __ATOMIC_ACQUIRE))
		usleep(100);
}

static void nowait_request_on_a_busy_session_returns_at_once(void **state)
{
	struct vcb_backend *b = big_backend(), *saved = g_b;
	struct hasher hs = { 0 };
	const struct vcb_run_ctl nowait = { .flags = VCB_RUN_NOWAIT };
	uint8_t *data = calloc(1, BIG_LEN);
	unsigned again = 0, done = 0;
	pthread_t t;

	(void)state;
	assert_non_null(data);
	start_hasher(&hs, &t, b, data, BIG_LEN, 0);
	while (!__atomic_load_n(&hs.done, __ATOMIC_ACQUIRE)) {
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_HASH,
				  .session = hs.handle,
				  .flags = VIRTIO_CRYPTODEV_F_HASH_UPDATE,
				  .src = "abc", .src_len = 3 };
		uint8_t *ob, in[RESP_LEN];
		struct iovec o, io = { in, sizeof(in) };
		ssize_t ret;
		size_t i;

		o.iov_len = vreq_out(&r, &ob);
		o.iov_base = ob;
		memset(in, 0xa5, sizeof(in));
		ret = vcb_backend_run(b, &o, 1, &io, 1, &nowait, NULL);
		free(ob);
		if (ret == -EAGAIN) {
			/* Nothing was answered: the caller runs it again. */
			for (i = 0; i < sizeof(in); i++)
				assert_int_equal(in[i], 0xa5);
			again++;
		} else {
			assert_int_equal(ret, sizeof(in));
			done++;
		}
		usleep(1000);
	}
	pthread_join(t, NULL);
	print_message("nowait: %u refused while busy, %u run\n", again, done);
	assert_true(again > 0);
	g_b = saved;
	vcb_backend_free(b);
	free(data);
}

struct cloner {
	struct vcb_backend *b;
	uint64_t dst, src;
	uint32_t status;
};

static void *cloner_main(void *arg)
{
	struct cloner *c = arg;
	uint64_t src = htole64(c->src);
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CLONE_HASH,
			  .session = c->dst, .src = &src,
			  .src_len = sizeof(src) };
	uint8_t *ob, in[RESP_LEN];
	struct iovec o, io = { in, sizeof(in) };

	o.iov_len = vreq_out(&r, &ob);
	o.iov_base = ob;
	vcb_backend_process(c->b, &o, 1, &io, 1, &c->status);
	free(ob);
	return NULL;
}

static void join_within(pthread_t t, int seconds, const char *what)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += seconds;
	if (pthread_timedjoin_np(t, NULL, &deadline) != 0)
		fail_msg("%s: still running after %d s (deadlock)", what,
			 seconds);
}

#define HOLD_LEN (16u << 20)

/*
 * A clone holds two sessions' locks.  While a long hash holds A, one
 * thread clones A into B and another B into A, both waiting for A: if each
 * took its destination's lock first, whichever got A next would wait for
 * the other's B for ever -- a one-in-two chance each round.
 */
static void clones_in_opposite_directions_do_not_deadlock(void **state)
{
	struct vcb_backend *b = big_backend(), *saved = g_b;
	uint8_t *data = calloc(1, HOLD_LEN);
	unsigned round;

	(void)state;
	assert_non_null(data);
	for (round = 0; round < 8; round++) {
		struct hasher hs;
		struct cloner ab, ba;
		pthread_t th, t1, t2;

		start_hasher(&hs, &th, b, data, HOLD_LEN, 1);
		ab = (struct cloner){ b, must_create(0, CRYPTO_SHA2_256, NULL),
				      hs.handle, 0xdead };
		ba = (struct cloner){ b, hs.handle, ab.dst, 0xdead };
		assert_int_equal(pthread_create(&t1, NULL, cloner_main, &ab),
				 0);
		usleep(2000);
		assert_int_equal(pthread_create(&t2, NULL, cloner_main, &ba),
				 0);
		join_within(t1, 30, "clone A into B");
		join_within(t2, 30, "clone B into A");
		pthread_join(th, NULL);
		assert_int_equal(ab.status, VIRTIO_CRYPTODEV_S_OK);
		assert_int_equal(ba.status, VIRTIO_CRYPTODEV_S_OK);
	}
	g_b = saved;
	vcb_backend_free(b);
	free(data);
}

struct waiter {
	struct vcb_backend *b;
	uint64_t handle;
	const unsigned *generation;
	ssize_t ret;
	uint8_t in[32 + RESP_LEN];
};

/* A small request that waits for the session behind a long one. */
static void *waiter_main(void *arg)
{
	struct waiter *wt = arg;
	struct vcb_run_ctl ctl = { .generation = wt->generation,
				   .expected = 0 };
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_HASH,
			  .session = wt->handle, .src = "abc", .src_len = 3 };
	struct iovec o, io = { wt->in, sizeof(wt->in) };
	uint8_t *ob;

	o.iov_len = vreq_out(&r, &ob);
	o.iov_base = ob;
	wt->ret = vcb_backend_run(wt->b, &o, 1, &io, 1, &ctl, NULL);
	free(ob);
	return NULL;
}

static void request_is_dropped_once_its_generation_moves_on(void **state)
{
	struct vcb_backend *b = big_backend(), *saved = g_b;
	struct hasher hs = { 0 };
	struct waiter wt = { 0 };
	unsigned generation = 1;
	uint8_t *data = calloc(1, BIG_LEN);
	pthread_t th, tw;
	size_t i;

	(void)state;
	assert_non_null(data);
	g_b = b;
	/* Already stale: dropped before any work. */
	wt.b = b;
	wt.handle = must_create(0, CRYPTO_SHA2_256, NULL);
	wt.generation = &generation;
	memset(wt.in, 0xa5, sizeof(wt.in));
	waiter_main(&wt);
	assert_int_equal(wt.ret, -ECANCELED);
	/* Stale while it waits for the session: dropped when it gets it. */
	generation = 0;
	start_hasher(&hs, &th, b, data, BIG_LEN, 1);
	wt.handle = hs.handle;
	usleep(10000);
	assert_int_equal(pthread_create(&tw, NULL, waiter_main, &wt), 0);
	usleep(10000);
	__atomic_store_n(&generation, 1, __ATOMIC_RELEASE);
	pthread_join(tw, NULL);
	pthread_join(th, NULL);
	assert_int_equal(wt.ret, -ECANCELED);
	for (i = 0; i < sizeof(wt.in); i++)
		assert_int_equal(wt.in[i], 0xa5);
	g_b = saved;
	vcb_backend_free(b);
	free(data);
}

/* ---- tests: split descriptors ----------------------------------------- */

static void splits_at_odd_places_give_the_same_answers(void **state)
{
	uint8_t out[80];
	uint8_t giv[12], gpt[60], gaad[20], gct[60], gtag[16], gout[76];
	struct sp38a_case cbc;
	uint64_t gcm;
	uint64_t hm = must_create(0, CRYPTO_SHA2_256_HMAC,
				  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
	const char *hm_digest =
		kat_hmacs_rfc4231[KAT_RFC4231_TC1_SHA256].digest;
	static const size_t splits[] = { 1, 2, 3, 5, 7, 13, 15, 16, 17, 31,
					 47, 48, 49, 63, 67, 100 };
	unsigned i;

	(void)state;
	sp38a_case(KAT_CBC_AES128, &cbc);
	gcm = gcm4_case(giv, gpt, gaad, gct, gtag);
	for (i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
		g_split = splits[i];
		assert_int_equal(cipher(cbc.h, VIRTIO_CRYPTODEV_F_IV_OUT, cbc.iv,
					16, cbc.pt, 64, out, 80), 0);
		assert_memory_equal(out, cbc.ct, 64);
		assert_memory_equal(out + 64, cbc.ct + 48, 16);
		assert_int_equal(aead(gcm, 0, giv, 12, gaad, 20, gpt, 60, 16,
				      gout, 76), 0);
		assert_memory_equal(gout, gct, 60);
		assert_memory_equal(gout + 60, gtag, 16);
		assert_int_equal(aead(gcm, VIRTIO_CRYPTODEV_F_DECRYPT, giv, 12,
				      gaad, 20, gout, 76, 16, out, 60), 0);
		assert_memory_equal(out, gpt, 60);
		assert_hash_gives(hm, 0, "Hi There", 8, hm_digest);
	}
	/* Sessions made through split requests work too. */
	g_split = 3;
	sp38a_case(KAT_CBC_AES128, &cbc);
	assert_int_equal(cipher(cbc.h, 0, cbc.iv, 16, cbc.pt, 64, out, 64), 0);
	assert_memory_equal(out, cbc.ct, 64);
}

static void empty_segments_are_skipped(void **state)
{
	uint8_t iv[16], pt[64], ct[64], in[64 + RESP_LEN];
	uint64_t h = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER, .session = h,
			  .iv = iv, .iv_len = 16, .src = pt, .src_len = 64 };
	struct iovec o[6], i[5];
	uint8_t *ob;
	size_t olen;
	uint32_t st;

	(void)state;
	unhex(KAT_SP800_38A_CBC_IV, iv);
	unhex(KAT_SP800_38A_PT, pt);
	unhex(kat_ciphers[KAT_CBC_AES128].ct, ct);
	olen = vreq_out(&r, &ob);
	o[0] = (struct iovec){ ob, 0 };
	o[1] = (struct iovec){ ob, 20 };
	o[2] = (struct iovec){ NULL, 0 };
	o[3] = (struct iovec){ ob + 20, olen - 20 - 30 };
	o[4] = (struct iovec){ ob + olen - 30, 30 };
	o[5] = (struct iovec){ NULL, 0 };
	i[0] = (struct iovec){ NULL, 0 };
	i[1] = (struct iovec){ in, 33 };
	i[2] = (struct iovec){ NULL, 0 };
	i[3] = (struct iovec){ in + 33, sizeof(in) - 33 };
	i[4] = (struct iovec){ NULL, 0 };
	assert_int_equal(vcb_backend_process(g_b, o, 6, i, 5, &st), sizeof(in));
	assert_int_equal(st, 0);
	assert_memory_equal(in, ct, 64);
	free(ob);
}

/* ---- tests: fuzzing --------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible, so a failure can be replayed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

/* Combined sessions: a cipher mode and a MAC (also fuzzed). */

static const uint8_t jefe[4] = { 'J', 'e', 'f', 'e' };	/* RFC 4231 TC2 */
/* SP 800-38A's AES-128 key */
static const uint8_t kat_key16[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

static uint64_t must_create_combined(uint32_t cipher, const uint8_t *key,
				     uint32_t mac, const uint8_t *mackey,
				     size_t mackeylen)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
			  .cipher = cipher, .mac = mac,
			  .key = key, .key_len = 16,
			  .mac_key = mackey, .mac_key_len = mackeylen };
	struct result res = run(&r, 0);

	assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_OK);
	assert_true(res.session != 0);
	free(res.out);
	return res.session;
}

static void fuzz_sessions(uint64_t *handles)
{
	handles[0] = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	handles[1] = must_create(CRYPTO_AES_GCM, 0, kat_gcms[KAT_GCM_TC4].key);
	handles[2] = must_create(0, CRYPTO_SHA2_256_HMAC, "0b0b0b0b");
	handles[3] = must_create(0, CRYPTO_SHA1, NULL);
	handles[4] = must_create_combined(CRYPTO_AES_CBC, kat_key16,
					  CRYPTO_SHA1_HMAC, jefe, 4);
	handles[5] = must_create_combined(CRYPTO_AES_CTR, kat_key16,
					  CRYPTO_SHA1_HMAC, jefe, 4);
}

static void mutated_requests_never_crash(void **state)
{
	static const uint32_t opcodes[] = {
		VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
		VIRTIO_CRYPTODEV_OP_DESTROY_SESSION, VIRTIO_CRYPTODEV_OP_CIPHER,
		VIRTIO_CRYPTODEV_OP_HASH, VIRTIO_CRYPTODEV_OP_AEAD,
		VIRTIO_CRYPTODEV_OP_CLONE_HASH, VIRTIO_CRYPTODEV_OP_HASH_CIPHER,
		VIRTIO_CRYPTODEV_OP_TLS, VIRTIO_CRYPTODEV_OP_SRTP,
	};
	uint8_t key[32], iv[16], pt[200], aad[24];
	uint64_t handles[6];
	unsigned round, ok = 0;

	(void)state;
	memset(key, 7, sizeof(key));
	memset(iv, 1, sizeof(iv));
	memset(pt, 2, sizeof(pt));
	memset(aad, 3, sizeof(aad));
	fuzz_sessions(handles);

	for (round = 0; round < g_fuzz_rounds; round++) {
		struct vreq r = { 0 };
		struct segs outs, ins;
		uint8_t *ob, *ib;
		size_t olen, ilen, split;
		unsigned k, nmut;
		ssize_t ret;
		uint32_t st;

		/* Start from a well-formed request ... */
		size_t want = 0;

		uint64_t clone_src;

		r.opcode = opcodes[rnd() % (sizeof(opcodes) / sizeof(opcodes[0]))];
		switch (r.opcode) {
		case VIRTIO_CRYPTODEV_OP_CREATE_SESSION:
			if (rnd() & 1) {
				r.cipher = (rnd() & 1) ? CRYPTO_AES_CBC : CRYPTO_AES_GCM;
				r.key = key;
				r.key_len = 16;
			} else {
				r.mac = CRYPTO_SHA2_256_HMAC;
				r.mac_key = key;
				r.mac_key_len = rnd() % 32;
			}
			break;
		case VIRTIO_CRYPTODEV_OP_DESTROY_SESSION:
			r.session = rnd();
			break;
		case VIRTIO_CRYPTODEV_OP_CIPHER:
			r.session = handles[0];
			r.iv = iv;
			r.iv_len = (rnd() & 1) ? 16 : 0;
			r.src = pt;
			r.src_len = 16 * (rnd() % 12);
			r.flags = rnd() & 3;
			want = r.src_len +
			       (r.flags & VIRTIO_CRYPTODEV_F_IV_OUT ? 16 : 0);
			break;
		case VIRTIO_CRYPTODEV_OP_HASH:
			k = 2 + rnd() % 2;
			r.session = handles[k];
			r.src = pt;
			r.src_len = rnd() % 200;
			r.flags = (rnd() & 3) << 2;
			if (!(r.flags & VIRTIO_CRYPTODEV_F_HASH_UPDATE))
				want = k == 2 ? 32 : 20;
			break;
		case VIRTIO_CRYPTODEV_OP_AEAD:
			r.session = handles[1];
			r.iv = iv;
			r.iv_len = 12;
			r.aad = aad;
			r.aad_len = rnd() % 24;
			r.src = pt;
			r.src_len = 16 + rnd() % 150;
			r.tag_len = 1 + rnd() % 16;
			r.flags = rnd() & 1;
			want = r.flags ? r.src_len - r.tag_len :
					 r.src_len + r.tag_len;
			break;
		case VIRTIO_CRYPTODEV_OP_CLONE_HASH:
			/* any of the sessions, itself and other kinds too */
			r.session = handles[2 + rnd() % 2];
			clone_src = htole64(handles[rnd() % 6]);
			r.src = &clone_src;
			r.src_len = sizeof(clone_src);
			break;
		case VIRTIO_CRYPTODEV_OP_HASH_CIPHER:
			r.session = handles[4 + rnd() % 2];
			r.iv = iv;
			r.iv_len = (rnd() & 1) ? 16 : 0;
			r.src = pt;
			r.src_len = 16 * (rnd() % 12);
			r.flags = rnd() & 0xf;
			want = r.src_len +
			       (r.flags & VIRTIO_CRYPTODEV_F_IV_OUT ? 16 : 0) +
			       (r.flags & VIRTIO_CRYPTODEV_F_HASH_UPDATE ? 0 : 20);
			break;
		case VIRTIO_CRYPTODEV_OP_TLS:
			r.session = handles[4];
			r.iv = iv;
			r.iv_len = (rnd() & 1) ? 16 : 0;
			r.aad = aad;
			r.aad_len = rnd() % 24;
			r.src = pt;
			r.tag_len = 1 + rnd() % 20;
			r.flags = rnd() & 3;
			want = r.flags & VIRTIO_CRYPTODEV_F_IV_OUT ? 16 : 0;
			if (r.flags & VIRTIO_CRYPTODEV_F_DECRYPT) {
				r.src_len = 16 * (2 + rnd() % 10);
				want += r.src_len + 4;
			} else {
				r.src_len = rnd() % 150;
				want += r.src_len + r.tag_len + 16 -
					(r.src_len + r.tag_len) % 16;
			}
			break;
		case VIRTIO_CRYPTODEV_OP_SRTP:
			r.session = handles[5];
			r.iv = iv;
			r.iv_len = 16;
			r.aad = pt;
			r.aad_len = 12 + rnd() % 150;
			r.cipher = rnd() % 13;			/* data_off */
			r.mac = rnd() % (r.aad_len - r.cipher + 1);	/* data_len */
			r.tag_len = 1 + rnd() % 20;
			r.flags = rnd() & 3;
			want = r.mac + (r.flags & VIRTIO_CRYPTODEV_F_IV_OUT ? 16 : 0);
			if (r.flags & VIRTIO_CRYPTODEV_F_DECRYPT) {
				r.src = aad;
				r.src_len = r.tag_len;
			} else {
				want += r.tag_len;
			}
			break;
		}
		olen = vreq_out(&r, &ob);
		/* ... then break it: flip bytes, anywhere, often the header. */
		nmut = rnd() % 4;
		for (k = 0; k < nmut; k++) {
			size_t at = (rnd() & 1) ? rnd() % 48 : rnd() % olen;

			ob[at] ^= (uint8_t)(1u << (rnd() % 8));
			if (rnd() % 4 == 0)
				ob[at] = (uint8_t)rnd();
		}
		if (rnd() % 8 == 0)
			olen = rnd() % (olen + 1);	/* truncated */
		ilen = want + RESP_LEN;
		if (rnd() % 4 == 0)
			ilen = rnd() % 300;
		ib = malloc(ilen ? ilen : 1);
		assert_non_null(ib);
		split = (rnd() % 3 == 0) ? 1 + rnd() % 40 : 0;
		segs_from(&outs, ob, olen, split);
		segs_from(&ins, ib, ilen, split);

		ret = vcb_backend_process(g_b, outs.iov, outs.num, ins.iov,
					  ins.num, &st);
		if (ilen < RESP_LEN) {
			assert_true(ret < 0);
		} else {
			assert_int_equal(ret, ilen);
			assert_true(st <= VIRTIO_CRYPTODEV_S_IOERR);
			ok += st == VIRTIO_CRYPTODEV_S_OK;
		}
		segs_free(&outs);
		segs_free(&ins);
		free(ob);
		free(ib);
		/* Keep room for creates. */
		if (vcb_backend_session_count(g_b) > 200) {
			vcb_backend_reset(g_b);
			fuzz_sessions(handles);
		}
	}
	print_message("fuzz: %u rounds, %u answered OK\n", g_fuzz_rounds, ok);
	/* The fuzzer reached the engines, not only the validation. */
	assert_true(ok > 0);
}

/* ---- tests: threads --------------------------------------------------- */

struct worker {
	uint64_t handle;
	unsigned rounds;
	int failures;
	bool destroyer;
	uint64_t victims[8];
};

/* Each worker runs requests through the same backend at the same time. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t iv[16], pt[64], ct[64];
	unsigned i;

	unhex(KAT_SP800_38A_CBC_IV, iv);
	unhex(KAT_SP800_38A_PT, pt);
	unhex(kat_ciphers[KAT_CBC_AES128].ct, ct);
	for (i = 0; i < w->rounds; i++) {
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER,
				  .session = w->handle, .iv = iv, .iv_len = 16,
				  .src = pt, .src_len = 64 };
		uint8_t *ob, in[64 + RESP_LEN];
		struct iovec o, io = { in, sizeof(in) };
		uint32_t st;

		if (w->destroyer) {
			struct vreq d = {
				.opcode = VIRTIO_CRYPTODEV_OP_DESTROY_SESSION,
				.session = w->victims[i % 8] };
			uint8_t din[RESP_LEN];
			struct iovec dio = { din, sizeof(din) };

			vreq_out(&d, &ob);
			o.iov_base = ob;
			o.iov_len = sizeof(struct virtio_cryptodev_req);
			vcb_backend_process(g_b, &o, 1, &dio, 1, &st);
			free(ob);
			continue;
		}
		o.iov_len = vreq_out(&r, &ob);
		o.iov_base = ob;
		if (vcb_backend_process(g_b, &o, 1, &io, 1, &st) !=
		    (ssize_t)sizeof(in))
			w->failures++;
		else if (st == VIRTIO_CRYPTODEV_S_OK &&
			 memcmp(in, ct, 64) != 0)
			w->failures++;
		else if (st != VIRTIO_CRYPTODEV_S_OK &&
			 st != VIRTIO_CRYPTODEV_S_NOSESSION)
			w->failures++;
		free(ob);
	}
	return NULL;
}

struct encrypter {
	struct vcb_backend *b;
	const uint8_t *req;
	size_t req_len;
	uint8_t *in;
	size_t in_len;
	ssize_t ret;
	uint32_t st;
	int started;		/* atomic */
};

static void *encrypter_main(void *arg)
{
	struct encrypter *e = arg;
	struct iovec o = { (void *)e->req, e->req_len }, io = { e->in, e->in_len };

	__atomic_store_n(&e->started, 1, __ATOMIC_RELEASE);
	e->ret = vcb_backend_process(e->b, &o, 1, &io, 1, &e->st);
	return NULL;
}

/*
 * An idle session's operation holds its lock but no reference: a destroy
 * in the middle must not free (and wipe) the key schedule under it.
 */
static void destroy_waits_for_the_cipher_operation_running_on_it(void **state)
{
	const size_t len = 16u << 20;
	struct vcb_backend *b = big_backend(), *saved = g_b;
	uint8_t *pt = calloc(1, len), *out = malloc(len + 16 + RESP_LEN);
	uint8_t *ref = malloc(len + 16), iv[16], *ob, *db;
	struct encrypter e;
	unsigned tries;
	uint32_t st;

	(void)state;
	assert_non_null(pt);
	assert_non_null(out);
	assert_non_null(ref);
	g_b = b;
	unhex(KAT_SP800_38A_CBC_IV, iv);
	for (tries = 0; tries < 5; tries++) {
		uint64_t h = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER,
				  .session = h, .iv = iv, .iv_len = 16,
				  .flags = VIRTIO_CRYPTODEV_F_IV_OUT,
				  .src = pt, .src_len = len };
		struct vreq d = { .opcode = VIRTIO_CRYPTODEV_OP_DESTROY_SESSION,
				  .session = h };
		uint8_t din[RESP_LEN];
		struct iovec o, io = { din, sizeof(din) };
		pthread_t t;

		memset(&e, 0, sizeof(e));
		e.b = b;
		e.req_len = vreq_out(&r, &ob);
		e.req = ob;
		e.in = out;
		e.in_len = len + 16 + RESP_LEN;
		assert_int_equal(pthread_create(&t, NULL, encrypter_main, &e), 0);
		while (!__atomic_load_n(&e.started, __ATOMIC_ACQUIRE))
			usleep(100);
		usleep(5000);
		o.iov_len = vreq_out(&d, &db);
		o.iov_base = db;
		assert_int_equal(vcb_backend_process(b, &o, 1, &io, 1, &st),
				 sizeof(din));
		assert_int_equal(st, VIRTIO_CRYPTODEV_S_OK);
		pthread_join(t, NULL);
		free(db);
		free(ob);
		assert_int_equal(e.ret, len + 16 + RESP_LEN);
		/* The destroy came first: the race was lost, try again. */
		if (e.st != VIRTIO_CRYPTODEV_S_NOSESSION)
			break;
	}
	assert_int_equal(e.st, VIRTIO_CRYPTODEV_S_OK);
	/* The whole output under the real key, as on a session left alone. */
	assert_int_equal(cipher(must_create(CRYPTO_AES_CBC, 0,
					    KAT_SP800_38A_K128),
				VIRTIO_CRYPTODEV_F_IV_OUT, iv, 16, pt, len,
				ref, len + 16), 0);
	assert_memory_equal(out, ref, len + 16);
	g_b = saved;
	vcb_backend_free(b);
	free(pt);
	free(out);
	free(ref);
}

static void concurrent_requests_and_destroys_are_safe(void **state)
{
	struct worker w[6];
	pthread_t t[6];
	uint64_t shared = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	uint64_t victims[8];
	unsigned i;

	(void)state;
	for (i = 0; i < 8; i++)
		victims[i] = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);
	memset(w, 0, sizeof(w));
	for (i = 0; i < 6; i++) {
		w[i].rounds = 300;
		/* Two share one session, two use sessions being destroyed. */
		w[i].handle = i < 2 ? shared : victims[i];
		if (i == 5) {
			w[i].destroyer = true;
			w[i].rounds = 8;
			memcpy(w[i].victims, victims, sizeof(victims));
		}
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]),
				 0);
	}
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(vcb_backend_session_count(g_b), 1);
}

/* ---- main ------------------------------------------------------------- */

static void engine_refuses_a_missing_device(void **state)
{
	struct vcb_backend *b = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(vcb_backend_new(&b, VCB_ENGINE_DEVCRYPTO,
					 "/nonexistent/crypto", NULL, err,
					 sizeof(err)), -ENOENT);
	assert_null(b);
	/* QEMU shows this as it is: it names the engine and the device. */
	assert_string_equal(err, "engine devcrypto: /nonexistent/crypto: "
			    "No such file or directory");
	/* auto falls back to soft. */
	assert_int_equal(vcb_backend_new(&b, VCB_ENGINE_AUTO,
					 "/nonexistent/crypto", NULL, err,
					 sizeof(err)), 0);
	assert_int_equal(vcb_backend_engine(b), VCB_ENGINE_SOFT);
	vcb_backend_free(b);
	/* Limits out of range are refused. */
	{
		struct vcb_limits lim = { .num_queues = 17 };

		assert_true(vcb_backend_new(&b, VCB_ENGINE_SOFT, NULL, &lim,
					    err, sizeof(err)) < 0);
		lim.num_queues = 0;
		lim.max_data_len = 100;
		assert_true(vcb_backend_new(&b, VCB_ENGINE_SOFT, NULL, &lim,
					    err, sizeof(err)) < 0);
	}
}

/* ---- tests: combined sessions ----------------------------------------- */

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 13);
}

/*
 * HASH_CIPHER (cryptodev-linux's hash_n_crypt): AES-CBC gives SP 800-38A
 * F.2.1's ciphertext, the MAC is HMAC-SHA256 of the plaintext both ways,
 * running on from an F_HASH_UPDATE request to the one that finishes.
 */
static void hash_cipher_gives_sp800_38a_and_hmac_of_plaintext(void **state)
{
	const struct kat_cipher *k = &kat_ciphers[KAT_CBC_AES128];
	uint8_t key[16], iv[16], pt[64], ct[64], want[32], out[64 + 16 + 32];
	uint64_t h;
	size_t sp;

	(void)state;
	unhex(k->key, key);
	unhex(k->iv, iv);
	unhex(KAT_SP800_38A_PT, pt);
	unhex(k->ct, ct);
	assert_int_equal(ref_hash(CRYPTO_SHA2_256_HMAC, jefe, 4, pt, 64, want),
			 32);
	h = must_create_combined(CRYPTO_AES_CBC, key, CRYPTO_SHA2_256_HMAC,
				 jefe, 4);
	for (sp = 0; sp < 2; sp++) {
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_HASH_CIPHER,
				  .session = h, .iv = iv, .iv_len = 16,
				  .src = pt, .src_len = 32,
				  .flags = VIRTIO_CRYPTODEV_F_HASH_UPDATE };

		g_split = sp ? 5 : 0;
		assert_int_equal(run_into(&r, out, 32), 0);
		r.iv = NULL;
		r.iv_len = 0;
		r.src = pt + 32;
		r.flags = VIRTIO_CRYPTODEV_F_IV_OUT;
		assert_int_equal(run_into(&r, out + 32, 32 + 16 + 32), 0);
		assert_memory_equal(out, ct, 64);
		assert_memory_equal(out + 64, ct + 48, 16);	/* next IV */
		assert_memory_equal(out + 80, want, 32);

		r.flags = VIRTIO_CRYPTODEV_F_DECRYPT |
			  VIRTIO_CRYPTODEV_F_HASH_RESET;
		r.iv = iv;
		r.iv_len = 16;
		r.src = ct;
		r.src_len = 64;
		assert_int_equal(run_into(&r, out, 64 + 32), 0);
		assert_memory_equal(out, pt, 64);
		assert_memory_equal(out + 64, want, 32);
	}
	g_split = 0;
	assert_int_equal(destroy(h), 0);
}

/* A TLS 1.2 pseudo header: seq_num, type, version, length. */
static const uint8_t tls_hdr[13] = {
	0, 0, 0, 0, 0, 0, 0, 1, 0x17, 0x03, 0x03, 0x00, 0x28,
};

static struct result tls_run(uint64_t h, uint32_t flags, const uint8_t *iv,
			     const uint8_t *src, size_t len, size_t taglen,
			     size_t out_len)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_TLS, .session = h,
			  .flags = flags, .iv = iv, .iv_len = iv ? 16 : 0,
			  .aad = tls_hdr, .aad_len = sizeof(tls_hdr),
			  .src = src, .src_len = len, .tag_len = taglen };

	return run(&r, out_len);
}

/*
 * TLS records of AES-128-CBC with HMAC-SHA1 and HMAC-SHA256: the record is
 * byte for byte RFC 5246's construction (built with nettle in the test),
 * and decrypting it gives the plaintext and its length.
 */
static void tls_record_matches_independent_construction(void **state)
{
	static const uint32_t macs[] = { CRYPTO_SHA1_HMAC,
					 CRYPTO_SHA2_256_HMAC };
	uint8_t mackey[32], iv[16], pt[40], want[128];
	size_t m, sp;

	(void)state;
	fill(mackey, sizeof(mackey), 1);
	fill(iv, sizeof(iv), 2);
	fill(pt, sizeof(pt), 3);
	for (m = 0; m < 2; m++)
	for (sp = 0; sp < 2; sp++) {
		size_t taglen = m ? 32 : 20, len;
		struct ref_tls t = {
			.key = kat_key16, .keylen = 16, .mac = macs[m],
			.mackey = mackey, .mackeylen = 32, .taglen = taglen,
			.iv = iv, .hdr = tls_hdr, .hdrlen = sizeof(tls_hdr),
		};
		uint64_t h = must_create_combined(CRYPTO_AES_CBC, kat_key16,
						  macs[m], mackey, 32);
		struct result res;
		uint32_t ptlen;

		g_split = sp ? 7 : 0;
		len = ref_tls_record(&t, pt, sizeof(pt), want);
		res = tls_run(h, 0, iv, pt, sizeof(pt), taglen, len);
		assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_OK);
		assert_int_equal(res.len, len);
		assert_memory_equal(res.out, want, len);
		free(res.out);

		res = tls_run(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, want, len,
			      taglen, len + 4);
		assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_OK);
		assert_int_equal(res.len, len + 4);
		memcpy(&ptlen, res.out + len, 4);
		assert_int_equal(le32toh(ptlen), sizeof(pt));
		assert_memory_equal(res.out, pt, sizeof(pt));
		free(res.out);
		assert_int_equal(destroy(h), 0);
	}
	g_split = 0;
}

/* Bad padding and bad MAC answer alike, and nothing reaches the guest. */
static void tls_bad_padding_or_mac_gives_badmsg_and_writes_nothing(void **state)
{
	static const enum ref_tls_fault faults[] = {
		REF_TLS_BAD_PAD, REF_TLS_PAD_TOO_LONG, REF_TLS_BAD_MAC,
	};
	uint8_t mackey[32], iv[16], pt[40], rec[128];
	uint64_t h;
	size_t f;

	(void)state;
	fill(mackey, sizeof(mackey), 1);
	fill(iv, sizeof(iv), 2);
	fill(pt, sizeof(pt), 3);
	h = must_create_combined(CRYPTO_AES_CBC, kat_key16, CRYPTO_SHA1_HMAC,
				 mackey, 32);
	for (f = 0; f < sizeof(faults) / sizeof(faults[0]); f++) {
		struct ref_tls t = {
			.key = kat_key16, .keylen = 16, .mac = CRYPTO_SHA1_HMAC,
			.mackey = mackey, .mackeylen = 32, .taglen = 20,
			.iv = iv, .hdr = tls_hdr, .hdrlen = sizeof(tls_hdr),
			.fault = faults[f],
		};
		size_t len = ref_tls_record(&t, pt, sizeof(pt), rec);
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_TLS,
				  .session = h,
				  .flags = VIRTIO_CRYPTODEV_F_DECRYPT,
				  .iv = iv, .iv_len = 16, .aad = tls_hdr,
				  .aad_len = sizeof(tls_hdr), .src = rec,
				  .src_len = len, .tag_len = 20 };
		uint8_t out[132];

		assert_int_equal(run_into(&r, out, len + 4),
				 VIRTIO_CRYPTODEV_S_BADMSG);
	}
	assert_int_equal(destroy(h), 0);
}

/* An SRTP packet: 12-byte header, payload, 4-byte ROC after it. */
static struct result srtp_run(uint64_t h, uint32_t flags,
			      const uint8_t *iv, const uint8_t *region,
			      size_t region_len, uint32_t off, uint32_t len,
			      const uint8_t *tag, size_t taglen,
			      size_t out_len)
{
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_SRTP, .session = h,
			  .flags = flags, .iv = iv, .iv_len = 16,
			  .aad = region, .aad_len = region_len,
			  .cipher = off, .mac = len,
			  .src = tag, .src_len = tag ? taglen : 0,
			  .tag_len = taglen };

	return run(&r, out_len);
}

/*
 * SRTP: encrypting zeros gives RFC 3711 B.2's AES-CM keystream, the tag is
 * HMAC-SHA1-80 of header, ciphertext and ROC (nettle, in the test), the
 * packet decrypts back, and a packet with a wrong tag is refused with
 * nothing decrypted.
 */
static void srtp_matches_rfc3711_and_round_trips(void **state)
{
	uint8_t key[16], iv[16], stream[48], mackey[20];
	uint8_t region[12 + 48 + 4], tag[10];
	struct result res;
	uint64_t h;
	size_t sp;

	(void)state;
	unhex(KAT_RFC3711_B2_KEY, key);
	unhex(KAT_RFC3711_B2_IV, iv);
	unhex(KAT_RFC3711_B2_KEYSTREAM, stream);
	fill(mackey, sizeof(mackey), 9);
	h = must_create_combined(CRYPTO_AES_CTR, key, CRYPTO_SHA1_HMAC, mackey,
				 sizeof(mackey));
	for (sp = 0; sp < 2; sp++) {
		g_split = sp ? 5 : 0;
		fill(region, 12, 0x80);
		memset(region + 12, 0, 48);
		fill(region + 60, 4, 0);
		res = srtp_run(h, 0, iv, region, sizeof(region), 12, 48, NULL,
			       10, 48 + 10);
		assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_OK);
		assert_memory_equal(res.out, stream, 48);
		memcpy(region + 12, res.out, 48);
		assert_int_equal(ref_srtp_tag(CRYPTO_SHA1_HMAC, mackey,
					      sizeof(mackey), region,
					      sizeof(region), tag, 10), 0);
		assert_memory_equal(res.out + 48, tag, 10);
		free(res.out);

		res = srtp_run(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, region,
			       sizeof(region), 12, 48, tag, 10, 48);
		assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_OK);
		assert_true(res.out[0] == 0 && !memcmp(res.out, res.out + 1, 47));
		free(res.out);

		tag[0] ^= 1;
		res = srtp_run(h, VIRTIO_CRYPTODEV_F_DECRYPT, iv, region,
			       sizeof(region), 12, 48, tag, 10, 48);
		assert_int_equal(res.status, VIRTIO_CRYPTODEV_S_BADMSG);
		assert_int_equal(res.len, 0);
		/* the guest's packet is left as it was: not even zeroed */
		for (size_t i = 0; i < 48; i++)
			assert_int_equal(res.out[i], 0xa5);
		free(res.out);
	}
	g_split = 0;
	assert_int_equal(destroy(h), 0);
}

/* Hostile combined requests: lengths that lie, that wrap, that do not fit. */
static void combined_requests_with_lying_lengths_give_inval(void **state)
{
	uint8_t buf[256] = { 0 }, iv[16] = { 0 };
	uint64_t cbc, ctr, plain;

	(void)state;
	cbc = must_create_combined(CRYPTO_AES_CBC, kat_key16, CRYPTO_SHA1_HMAC,
				   jefe, 4);
	ctr = must_create_combined(CRYPTO_AES_CTR, kat_key16, CRYPTO_SHA1_HMAC,
				   jefe, 4);
	plain = must_create(CRYPTO_AES_CBC, 0, KAT_SP800_38A_K128);

#define ST(res) ({ struct result _r = (res); free(_r.out); _r.status; })
	/* TLS: tag of 0 or longer than the digest */
	assert_int_equal(ST(tls_run(cbc, 0, iv, buf, 16, 0, 48)),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(tls_run(cbc, 0, iv, buf, 16, 21, 48)),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* TLS encrypt: in part one byte short or long of 16 + 20 + 12 */
	assert_int_equal(ST(tls_run(cbc, 0, iv, buf, 16, 20, 47)),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(tls_run(cbc, 0, iv, buf, 16, 20, 49)),
			 VIRTIO_CRYPTODEV_S_INVAL);
	/* TLS decrypt: not whole blocks; too short for MAC and padding;
	 * in part without room for the length */
	assert_int_equal(ST(tls_run(cbc, VIRTIO_CRYPTODEV_F_DECRYPT, iv, buf,
				    33, 20, 37)), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(tls_run(cbc, VIRTIO_CRYPTODEV_F_DECRYPT, iv, buf,
				    16, 20, 20)), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(tls_run(cbc, VIRTIO_CRYPTODEV_F_DECRYPT, iv, buf,
				    48, 20, 48)), VIRTIO_CRYPTODEV_S_INVAL);
	/* TLS with an IV of another size */
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_TLS,
				  .session = cbc, .iv = iv, .iv_len = 8,
				  .src = buf, .src_len = 16, .tag_len = 20 };

		assert_int_equal(run_status(&r, 48), VIRTIO_CRYPTODEV_S_INVAL);
	}
	/* SRTP: data beyond the region, wrapping, tag in or out wrongly */
	assert_int_equal(ST(srtp_run(ctr, 0, iv, buf, 64, 65, 0, NULL, 10,
				     10)), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(srtp_run(ctr, 0, iv, buf, 64, 12, 53, NULL, 10,
				     63)), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(srtp_run(ctr, 0, iv, buf, 64, 12, 0xffffffffu,
				     NULL, 10, 10)), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(srtp_run(ctr, 0, iv, buf, 64, 12, 40, buf, 10,
				     50)), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(srtp_run(ctr, VIRTIO_CRYPTODEV_F_DECRYPT, iv, buf,
				     64, 12, 40, NULL, 10, 40)),
			 VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(ST(srtp_run(ctr, 0, iv, buf, 64, 12, 40, NULL, 21,
				     61)), VIRTIO_CRYPTODEV_S_INVAL);
	/* SRTP needs a stream mode */
	assert_int_equal(ST(srtp_run(cbc, 0, iv, buf, 64, 16, 32, NULL, 10,
				     42)), VIRTIO_CRYPTODEV_S_INVAL);
	/* HASH_CIPHER: CBC data not whole blocks; digest missing */
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_HASH_CIPHER,
				  .session = cbc, .src = buf, .src_len = 17 };

		assert_int_equal(run_status(&r, 17 + 20),
				 VIRTIO_CRYPTODEV_S_INVAL);
		r.src_len = 16;
		assert_int_equal(run_status(&r, 16), VIRTIO_CRYPTODEV_S_INVAL);
		/* flags HASH_CIPHER does not take */
		r.flags = 1u << 7;
		assert_int_equal(run_status(&r, 36), VIRTIO_CRYPTODEV_S_INVAL);
		/* a plain cipher session is not a combined one, nor back */
		r.flags = 0;
		r.session = plain;
		assert_int_equal(run_status(&r, 36),
				 VIRTIO_CRYPTODEV_S_NOSESSION);
	}
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CIPHER,
				  .session = cbc, .src = buf, .src_len = 16 };

		assert_int_equal(run_status(&r, 16),
				 VIRTIO_CRYPTODEV_S_NOSESSION);
	}
	/* data_off/data_len slots must be zero for every other opcode */
	{
		struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_TLS,
				  .session = cbc, .cipher = 1, .src = buf,
				  .src_len = 16, .tag_len = 20,
				  .aad = tls_hdr, .aad_len = 13 };

		assert_int_equal(run_status(&r, 48), VIRTIO_CRYPTODEV_S_INVAL);
	}
#undef ST
	assert_int_equal(destroy(cbc), 0);
	assert_int_equal(destroy(ctr), 0);
	assert_int_equal(destroy(plain), 0);
}

static void combined_session_needs_a_plain_mode_and_a_hash(void **state)
{
	uint8_t key[16] = { 0 };
	struct vreq r = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION,
			  .cipher = CRYPTO_AES_GCM, .mac = CRYPTO_SHA1_HMAC,
			  .key = key, .key_len = 16,
			  .mac_key = key, .mac_key_len = 16 };

	(void)state;
	assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_NOTSUPP);
	r.cipher = CRYPTO_AES_CBC;
	r.mac = CRYPTO_AES_CTR;
	assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_NOTSUPP);
	/* a plain hash takes no key */
	r.mac = CRYPTO_SHA1;
	assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_INVAL);
	r.key_len = 15;
	r.mac = CRYPTO_SHA1_HMAC;
	assert_int_equal(run_status(&r, 0), VIRTIO_CRYPTODEV_S_INVAL);
	assert_int_equal(vcb_backend_session_count(g_b), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TS(f) cmocka_unit_test_setup_teardown(f, setup_small, teardown)

static const struct CMUnitTest backend_tests[] = {
	T(config_advertises_limits_and_algorithms),
	T(soft_backend_offers_exactly_the_listed_algorithms),
	T(ciphers_match_sp800_38a),
	T(other_ciphers_match_their_standards),
	T(null_cipher_returns_its_input),
	T(cbc_chaining_continues_from_previous_request),
	T(iv_out_returns_the_next_iv),
	T(sha_digests_match_fips180_examples),
	T(hash_update_then_final_equals_one_shot),
	T(hash_reset_discards_accumulated_data),
	T(hmac_matches_rfc4231),
	T(md5_ripemd160_and_hmacs_match_rfc1321_2202_2286_and_paper),
	T(clone_hash_continues_the_message_on_both_sessions),
	T(clone_hash_refuses_wrong_kind_unknown_and_mismatched_sessions),
	T(gcm_encrypts_and_decrypts_test_case_4),
	T(gcm_tampering_gives_badmsg),
	T(gcm_truncated_tag_is_a_prefix),
	T(gcm_tag_lengths_outside_sp800_38d_give_inval),
	T(aead_on_contiguous_buffers_needs_no_scratch),
	T(aead_decrypt_never_exposes_unverified_plaintext),
	T(nowait_request_on_a_busy_session_returns_at_once),
	T(clones_in_opposite_directions_do_not_deadlock),
	T(request_is_dropped_once_its_generation_moves_on),
	TS(session_limit_gives_nospc),
	T(unknown_handle_gives_nosession),
	T(destroyed_session_is_gone),
	T(reset_frees_every_session),
	T(handles_are_random_64_bit),
	T(rejects_unoffered_algorithms),
	T(rejects_bad_key_sizes),
	T(rejects_short_header),
	T(zero_iovecs_are_handled),
	T(in_part_shorter_than_response_is_a_protocol_violation),
	T(in_part_of_4_gib_or_more_is_a_protocol_violation),
	T(in_part_of_wrong_size_gives_inval),
	T(rejects_oversize_data),
	T(rejects_lengths_near_2_pow_32),
	T(rejects_out_part_longer_or_shorter_than_declared),
	T(rejects_garbage_opcodes_flags_and_fields),
	T(rejects_bad_cipher_and_aead_parameters),
	T(too_many_segments_gives_inval),
	T(splits_at_odd_places_give_the_same_answers),
	T(empty_segments_are_skipped),
	T(mutated_requests_never_crash),
	T(destroy_waits_for_the_cipher_operation_running_on_it),
	T(concurrent_requests_and_destroys_are_safe),
	T(hash_cipher_gives_sp800_38a_and_hmac_of_plaintext),
	T(tls_record_matches_independent_construction),
	T(tls_bad_padding_or_mac_gives_badmsg_and_writes_nothing),
	T(srtp_matches_rfc3711_and_round_trips),
	T(combined_requests_with_lying_lengths_give_inval),
	T(combined_session_needs_a_plain_mode_and_a_hash),
};

static const struct CMUnitTest engine_tests[] = {
	cmocka_unit_test(engine_refuses_a_missing_device),
};

int main(void)
{
	const char *dev = getenv("VC_TEST_DEVICE");
	int failed;

	g_kind = VCB_ENGINE_SOFT;
	g_device = NULL;
	failed = cmocka_run_group_tests_name("backend, soft engine",
					     backend_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("backend, engine choice",
					      engine_tests, NULL, NULL);

	if ((!dev || !*dev) && access("/dev/crypto", R_OK | W_OK) == 0)
		dev = "/dev/crypto";
	if (!dev || !*dev) {
		printf("devcrypto engine not tested: no /dev/crypto and "
		       "VC_TEST_DEVICE is not set\n");
		return failed ? 1 : 0;
	}
	g_kind = VCB_ENGINE_DEVCRYPTO;
	g_device = dev;
	/* Every request is a round trip to the device there: fewer. */
	g_fuzz_rounds = 3000;
	printf("devcrypto engine on %s\n", dev);
	failed += cmocka_run_group_tests_name("backend, devcrypto engine",
					      backend_tests, NULL, NULL);
	return failed ? 1 : 0;
}
