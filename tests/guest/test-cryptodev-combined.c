// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: sessions with both a cipher and a MAC, through the three
 * cryptodev-linux uses of them -- CIOCCRYPT (hash then encrypt, decrypt
 * then hash), CIOCAUTHCRYPT with COP_FLAG_AEAD_TLS_TYPE (TLS 1.0-1.2
 * MAC-then-encrypt records) and with COP_FLAG_AEAD_SRTP_TYPE (SRTP
 * encrypt-then-MAC), and CIOCASYNCCRYPT on them too -- against NIST SP
 * 800-38A, RFC 4231, RFC 3711 B.2 and
 * records built here with nettle the way RFC 5246 and RFC 3711 say.
 * Opens /dev/crypto ($VC_TEST_DEVICE overrides).
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_ref.h"
#include "cdev_util.h"
#include "kat_vectors.h"
#include "kat_hex.h"

static int fd = -1;

static const uint8_t jefe[4] = { 'J', 'e', 'f', 'e' };	/* RFC 4231 TC2 */
static uint8_t key128[16];		/* SP 800-38A's AES-128 key */

static int comb_setup(void **state)
{
	(void)state;
	fd = cdev_open();
	kat_unhex(KAT_SP800_38A_K128, key128, sizeof(key128));
	return fd < 0 ? -1 : 0;
}

static int comb_teardown(void **state)
{
	(void)state;
	close(fd);
	return 0;
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 13);
}

static uint32_t combined(uint32_t cipher, const uint8_t *key, uint32_t mac,
			 const uint8_t *mackey, uint32_t mackeylen)
{
	uint32_t ses = 0;

	assert_int_equal(cdev_session(fd, cipher, key, 16, mac, mackey,
				      mackeylen, &ses), 0);
	return ses;
}

static int authcrypt(struct crypt_auth_op *cao)
{
	return ioctl(fd, CIOCAUTHCRYPT, cao) < 0 ? -errno : 0;
}

/* ---- CIOCCRYPT: hash_n_crypt ------------------------------------------ */

/*
 * AES-CBC with HMAC-SHA256: the ciphertext is SP 800-38A F.2.1's and the
 * MAC is HMAC-SHA256 of the plaintext (nettle), both directions, the MAC
 * accumulating from a COP_FLAG_UPDATE call to the COP_FLAG_FINAL one.
 */
static void crypt_cbc_gives_sp800_38a_and_hmac_of_plaintext(void **state)
{
	uint8_t iv[16], iv2[16], pt[64], ct[64], out[64], mac[64], want[32];
	uint32_t ses;

	(void)state;
	kat_unhex(KAT_SP800_38A_CBC_IV, iv, sizeof(iv));
	kat_unhex(KAT_SP800_38A_PT, pt, sizeof(pt));
	kat_unhex(kat_ciphers[KAT_CBC_AES128].ct, ct, sizeof(ct));
	assert_int_equal(ref_hash(CRYPTO_SHA2_256_HMAC, jefe, 4, pt, 64, want),
			 32);
	ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA2_256_HMAC, jefe, 4);

	memcpy(iv2, iv, 16);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT,
				    COP_FLAG_UPDATE | COP_FLAG_WRITE_IV, pt,
				    out, 32, iv2, mac), 0);
	assert_memory_equal(iv2, ct + 16, 16);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_FINAL,
				    pt + 32, out + 32, 32, NULL, mac), 0);
	assert_memory_equal(out, ct, 64);
	assert_memory_equal(mac, want, 32);

	/* no flags: start over, finish, as for a hash session */
	memset(mac, 0, sizeof(mac));
	assert_int_equal(cdev_crypt(fd, ses, COP_DECRYPT, 0, ct, out, 64, iv,
				    mac), 0);
	assert_memory_equal(out, pt, 64);
	assert_memory_equal(mac, want, 32);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/* AES-CTR with HMAC-SHA256 over RFC 4231 test case 2: its MAC, both ways. */
static void crypt_ctr_mac_matches_rfc4231(void **state)
{
	const struct kat_digest *k = &kat_hmacs_rfc4231[KAT_RFC4231_TC2_SHA256];
	size_t len = strlen(k->msg);
	uint8_t iv[16], ct[64], back[64], stream[64], mac[64], want[32];
	uint32_t ses;

	(void)state;
	kat_unhex(k->digest, want, sizeof(want));
	kat_unhex(KAT_SP800_38A_CTR_IV, iv, sizeof(iv));
	ses = combined(CRYPTO_AES_CTR, key128, CRYPTO_SHA2_256_HMAC, jefe, 4);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, k->msg, ct,
				    (uint32_t)len, iv, mac), 0);
	assert_memory_equal(mac, want, 32);
	assert_int_equal(ref_cipher(CRYPTO_AES_CTR, 0, key128, 16, iv,
				    (const uint8_t *)k->msg, stream, len), 0);
	assert_memory_equal(ct, stream, len);

	kat_unhex(KAT_SP800_38A_CTR_IV, iv, sizeof(iv));
	memset(mac, 0, sizeof(mac));
	assert_int_equal(cdev_crypt(fd, ses, COP_DECRYPT, COP_FLAG_FINAL, ct,
				    back, (uint32_t)len, iv, mac), 0);
	assert_memory_equal(back, k->msg, len);
	assert_memory_equal(mac, want, 32);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/* CIOCASYNCCRYPT, then poll and CIOCASYNCFETCH: that operation's result. */
static void async_crypt(struct crypt_op *cop)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct crypt_op done;

	assert_int_equal(ioctl(fd, CIOCASYNCCRYPT, cop), 0);
	assert_int_equal(poll(&p, 1, 10000), 1);
	memset(&done, 0, sizeof(done));
	assert_int_equal(ioctl(fd, CIOCASYNCFETCH, &done), 0);
	assert_int_equal(done.ses, cop->ses);
}

/*
 * Asynchronously, a combined session gives what CIOCCRYPT gives: SP
 * 800-38A's ciphertext, the next IV with COP_FLAG_WRITE_IV and HMAC-SHA256
 * of the plaintext, accumulated from an UPDATE operation to a FINAL one.
 */
static void async_crypt_on_combined_session_matches_sync(void **state)
{
	uint8_t iv[16], pt[64], ct[64], out[64], mac[64], want[32];
	struct crypt_op cop;
	uint32_t ses;

	(void)state;
	kat_unhex(KAT_SP800_38A_CBC_IV, iv, sizeof(iv));
	kat_unhex(KAT_SP800_38A_PT, pt, sizeof(pt));
	kat_unhex(kat_ciphers[KAT_CBC_AES128].ct, ct, sizeof(ct));
	assert_int_equal(ref_hash(CRYPTO_SHA2_256_HMAC, jefe, 4, pt, 64, want),
			 32);
	ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA2_256_HMAC, jefe, 4);

	memset(&cop, 0, sizeof(cop));
	cop.ses = ses;
	cop.op = COP_ENCRYPT;
	cop.flags = COP_FLAG_UPDATE | COP_FLAG_WRITE_IV;
	cop.len = 32;
	cop.src = pt;
	cop.dst = out;
	cop.iv = iv;
	async_crypt(&cop);
	assert_memory_equal(iv, ct + 16, 16);
	cop.flags = COP_FLAG_FINAL;
	cop.src = pt + 32;
	cop.dst = out + 32;
	cop.iv = NULL;
	cop.mac = mac;
	async_crypt(&cop);
	assert_memory_equal(out, ct, 64);
	assert_memory_equal(mac, want, 32);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/* A block mode still wants whole blocks. */
static void crypt_cbc_refuses_partial_blocks(void **state)
{
	uint8_t buf[32] = { 0 }, iv[16] = { 0 }, mac[64];
	uint32_t ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA1_HMAC,
				jefe, 4);

	(void)state;
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, buf, buf, 17, iv,
				    mac), -EINVAL);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/* ---- CIOCAUTHCRYPT, TLS ------------------------------------------------ */

/* A TLS 1.2 pseudo header: seq_num, type, version, length (RFC 5246). */
static const uint8_t tls_hdr[13] = {
	0, 0, 0, 0, 0, 0, 0, 3, 0x17, 0x03, 0x03, 0x0b, 0xb8,
};

#define TLS_BIG		3000	/* beyond zerocopy_min: the pinned path */

static void tls_ref(struct ref_tls *t, uint32_t mac, size_t taglen,
		    const uint8_t *mackey, const uint8_t *iv,
		    enum ref_tls_fault fault)
{
	memset(t, 0, sizeof(*t));
	t->key = key128;
	t->keylen = 16;
	t->mac = mac;
	t->mackey = mackey;
	t->mackeylen = 32;
	t->taglen = taglen;
	t->iv = iv;
	t->hdr = tls_hdr;
	t->hdrlen = sizeof(tls_hdr);
	t->fault = fault;
}

static void tls_op(struct crypt_auth_op *cao, uint32_t ses, int op,
		   uint8_t *buf, uint32_t len, uint8_t *iv)
{
	memset(cao, 0, sizeof(*cao));
	cao->ses = ses;
	cao->op = (uint16_t)op;
	cao->flags = COP_FLAG_AEAD_TLS_TYPE;
	cao->auth_src = (uint8_t *)tls_hdr;
	cao->auth_len = sizeof(tls_hdr);
	cao->src = buf;
	cao->dst = buf;
	cao->len = len;
	cao->iv = iv;
}

/*
 * TLS records of AES-128-CBC with HMAC-SHA1 and HMAC-SHA256, small (copied)
 * and large (pinned): encrypting in place gives byte for byte the record
 * built with nettle, len becomes the record's length and tag_len the MAC's;
 * decrypting it in place gives the plaintext back, len its length.
 */
static void tls_record_round_trip_matches_rfc5246(void **state)
{
	static const struct { uint32_t mac; uint32_t taglen; } macs[] = {
		{ CRYPTO_SHA1_HMAC, 20 }, { CRYPTO_SHA2_256_HMAC, 32 },
	};
	static const uint32_t sizes[] = { 0, 1, 45, 48, TLS_BIG };
	static uint8_t pt[TLS_BIG], buf[TLS_BIG + 64], want[TLS_BIG + 64];
	uint8_t mackey[32], iv[16];
	size_t m, z;

	(void)state;
	fill(mackey, sizeof(mackey), 0x61);
	fill(iv, sizeof(iv), 0x09);
	fill(pt, sizeof(pt), 0x33);
	for (m = 0; m < 2; m++) {
		uint32_t ses = combined(CRYPTO_AES_CBC, key128, macs[m].mac,
					mackey, 32);

		for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			struct crypt_auth_op cao;
			struct ref_tls t;
			size_t wantlen;

			tls_ref(&t, macs[m].mac, macs[m].taglen, mackey, iv,
				REF_TLS_GOOD);
			wantlen = ref_tls_record(&t, pt, sizes[z], want);
			assert_true(wantlen > 0);
			memcpy(buf, pt, sizes[z]);
			tls_op(&cao, ses, COP_ENCRYPT, buf, sizes[z], iv);
			assert_int_equal(authcrypt(&cao), 0);
			assert_int_equal(cao.len, wantlen);
			assert_int_equal(cao.tag_len, macs[m].taglen);
			assert_memory_equal(buf, want, wantlen);

			tls_op(&cao, ses, COP_DECRYPT, buf, (uint32_t)wantlen,
			       iv);
			assert_int_equal(authcrypt(&cao), 0);
			assert_int_equal(cao.len, sizes[z]);
			assert_memory_equal(buf, pt, sizes[z]);
		}
		assert_int_equal(cdev_fsession(fd, ses), 0);
	}
}

static void tls_refused(enum ref_tls_fault fault)
{
	uint8_t mackey[32], iv[16], pt[40], rec[128], sent[128];
	struct crypt_auth_op cao;
	struct ref_tls t;
	uint32_t ses;
	size_t len;

	fill(mackey, sizeof(mackey), 0x61);
	fill(iv, sizeof(iv), 0x09);
	fill(pt, sizeof(pt), 0x33);
	tls_ref(&t, CRYPTO_SHA1_HMAC, 20, mackey, iv, fault);
	len = ref_tls_record(&t, pt, sizeof(pt), rec);
	memcpy(sent, rec, len);
	ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA1_HMAC, mackey, 32);
	tls_op(&cao, ses, COP_DECRYPT, rec, (uint32_t)len, iv);
	assert_int_equal(authcrypt(&cao), -EBADMSG);
	/* no unauthenticated plaintext reaches the buffer */
	assert_memory_equal(rec, sent, len);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

static void tls_record_with_wrong_padding_is_ebadmsg(void **state)
{
	(void)state;
	tls_refused(REF_TLS_BAD_PAD);
	tls_refused(REF_TLS_PAD_TOO_LONG);
}

static void tls_record_with_wrong_mac_is_ebadmsg(void **state)
{
	(void)state;
	tls_refused(REF_TLS_BAD_MAC);
}

/*
 * TLS 1.0 chains the IV from record to record: a NULL iv continues from
 * the last ciphertext block, which COP_FLAG_WRITE_IV also hands back.
 */
static void tls_null_iv_continues_from_the_previous_record(void **state)
{
	uint8_t mackey[32], iv[16], next[16], pt[40], buf[128], want[128];
	struct crypt_auth_op cao;
	struct ref_tls t;
	uint32_t ses;
	size_t len;

	(void)state;
	fill(mackey, sizeof(mackey), 0x61);
	fill(iv, sizeof(iv), 0x09);
	fill(pt, sizeof(pt), 0x33);
	ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA1_HMAC, mackey, 32);
	memcpy(buf, pt, sizeof(pt));
	memcpy(next, iv, 16);
	tls_op(&cao, ses, COP_ENCRYPT, buf, sizeof(pt), next);
	cao.flags |= COP_FLAG_WRITE_IV;
	assert_int_equal(authcrypt(&cao), 0);
	assert_memory_equal(next, buf + cao.len - 16, 16);

	tls_ref(&t, CRYPTO_SHA1_HMAC, 20, mackey, next, REF_TLS_GOOD);
	len = ref_tls_record(&t, pt, sizeof(pt), want);
	memcpy(buf, pt, sizeof(pt));
	tls_op(&cao, ses, COP_ENCRYPT, buf, sizeof(pt), NULL);
	assert_int_equal(authcrypt(&cao), 0);
	assert_int_equal(cao.len, len);
	assert_memory_equal(buf, want, len);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

static void tls_refuses_out_of_place_short_and_unaligned_records(void **state)
{
	uint8_t buf[128] = { 0 }, other[128], iv[16] = { 0 };
	struct crypt_auth_op cao;
	uint32_t ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA1_HMAC,
				jefe, 4);

	(void)state;
	tls_op(&cao, ses, COP_ENCRYPT, buf, 16, iv);
	cao.dst = other;
	assert_int_equal(authcrypt(&cao), -EINVAL);
	tls_op(&cao, ses, COP_DECRYPT, buf, 33, iv);
	assert_int_equal(authcrypt(&cao), -EINVAL);
	tls_op(&cao, ses, COP_DECRYPT, buf, 16, iv);	/* < MAC + 1 */
	assert_int_equal(authcrypt(&cao), -EINVAL);
	tls_op(&cao, ses, COP_ENCRYPT, buf, 16, iv);
	cao.tag_len = 21;
	assert_int_equal(authcrypt(&cao), -EINVAL);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/* ---- CIOCAUTHCRYPT, SRTP ----------------------------------------------- */

#define RTP_HDR		12
#define SRTP_ROC	4

static void srtp_op(struct crypt_auth_op *cao, uint32_t ses, int op,
		    uint8_t *pkt, uint32_t payload, uint8_t *tag,
		    uint32_t tag_len, uint8_t *iv)
{
	memset(cao, 0, sizeof(*cao));
	cao->ses = ses;
	cao->op = (uint16_t)op;
	cao->flags = COP_FLAG_AEAD_SRTP_TYPE;
	cao->auth_src = pkt;
	cao->auth_len = RTP_HDR + payload + SRTP_ROC;
	cao->src = pkt + RTP_HDR;
	cao->dst = pkt + RTP_HDR;
	cao->len = payload;
	cao->tag = tag;
	cao->tag_len = tag_len;
	cao->iv = iv;
}

/* RFC 3711 B.2: SRTP encryption of zeros is the AES-CM keystream. */
static void srtp_keystream_matches_rfc3711_b2(void **state)
{
	uint8_t key[16], iv[16], stream[48], mackey[20], tag[10];
	uint8_t pkt[RTP_HDR + 48 + SRTP_ROC];
	struct crypt_auth_op cao;
	uint32_t ses;

	(void)state;
	kat_unhex(KAT_RFC3711_B2_KEY, key, sizeof(key));
	kat_unhex(KAT_RFC3711_B2_IV, iv, sizeof(iv));
	kat_unhex(KAT_RFC3711_B2_KEYSTREAM, stream, sizeof(stream));
	fill(mackey, sizeof(mackey), 0x21);
	ses = combined(CRYPTO_AES_CTR, key, CRYPTO_SHA1_HMAC, mackey, 20);
	memset(pkt, 0, sizeof(pkt));
	srtp_op(&cao, ses, COP_ENCRYPT, pkt, 48, tag, 10, iv);
	assert_int_equal(authcrypt(&cao), 0);
	assert_int_equal(cao.len, 48);
	assert_memory_equal(pkt + RTP_HDR, stream, 48);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/*
 * SRTP with HMAC-SHA1-80, small (copied) and large (pinned) packets: the
 * tag is the first 10 bytes of HMAC-SHA1 over header, ciphertext and ROC
 * (nettle); the packet decrypts back in place; a wrong tag or a changed
 * ROC is EBADMSG and the payload stays encrypted.
 */
static void srtp_hmac_sha1_80_round_trip(void **state)
{
	/* cryptodev-linux refuses to decrypt payloads shorter than the tag */
	static const uint32_t sizes[] = { 10, 160, 1200 };
	static uint8_t pkt[RTP_HDR + 1200 + SRTP_ROC], pt[1200], ct[1200];
	uint8_t mackey[20], iv[16], tag[10], want[10];
	struct crypt_auth_op cao;
	uint32_t ses;
	size_t z;

	(void)state;
	fill(mackey, sizeof(mackey), 0x21);
	fill(iv, sizeof(iv), 0x44);
	ses = combined(CRYPTO_AES_CTR, key128, CRYPTO_SHA1_HMAC, mackey, 20);
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		uint32_t n = sizes[z], region = RTP_HDR + n + SRTP_ROC;

		fill(pkt, region, (uint8_t)z);
		memcpy(pt, pkt + RTP_HDR, n);
		srtp_op(&cao, ses, COP_ENCRYPT, pkt, n, tag, 10, iv);
		assert_int_equal(authcrypt(&cao), 0);
		assert_int_equal(cao.len, n);
		assert_int_equal(ref_srtp_tag(CRYPTO_SHA1_HMAC, mackey, 20,
					      pkt, region, want, 10), 0);
		assert_memory_equal(tag, want, 10);
		memcpy(ct, pkt + RTP_HDR, n);

		tag[3] ^= 0x10;
		srtp_op(&cao, ses, COP_DECRYPT, pkt, n, tag, 10, iv);
		assert_int_equal(authcrypt(&cao), -EBADMSG);
		assert_memory_equal(pkt + RTP_HDR, ct, n);
		tag[3] ^= 0x10;
		pkt[region - 1] ^= 1;		/* the ROC is authenticated */
		assert_int_equal(authcrypt(&cao), -EBADMSG);
		assert_memory_equal(pkt + RTP_HDR, ct, n);
		pkt[region - 1] ^= 1;

		assert_int_equal(authcrypt(&cao), 0);
		assert_int_equal(cao.len, n);
		assert_memory_equal(pkt + RTP_HDR, pt, n);
	}
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

/*
 * The shape of cryptodev-linux's own SRTP test: a 193-byte header, 1021
 * bytes of payload and a 15-byte trailer all authenticated (both pinned),
 * the full 20-byte HMAC-SHA1 as tag; a changed header byte is EBADMSG.
 */
static void srtp_long_header_and_trailer_round_trip(void **state)
{
	enum { HDR = 193, PAYLOAD = 1021, TRAILER = 15 };
	static uint8_t pkt[HDR + PAYLOAD + TRAILER], pt[PAYLOAD];
	uint8_t mackey[16], iv[16], tag[20], want[20];
	struct crypt_auth_op cao;
	uint32_t ses;

	(void)state;
	memset(mackey, 0x0b, sizeof(mackey));
	memset(iv, 0x03, sizeof(iv));
	fill(pkt, sizeof(pkt), 0x15);
	memcpy(pt, pkt + HDR, PAYLOAD);
	ses = combined(CRYPTO_AES_CTR, key128, CRYPTO_SHA1_HMAC, mackey, 16);
	srtp_op(&cao, ses, COP_ENCRYPT, pkt, PAYLOAD, tag, 0, iv);
	cao.auth_len = sizeof(pkt);
	cao.src = cao.dst = pkt + HDR;
	assert_int_equal(authcrypt(&cao), 0);
	assert_int_equal(cao.tag_len, 20);
	assert_int_equal(ref_srtp_tag(CRYPTO_SHA1_HMAC, mackey, 16, pkt,
				      sizeof(pkt), want, 20), 0);
	assert_memory_equal(tag, want, 20);

	cao.op = COP_DECRYPT;
	pkt[1]++;
	assert_int_equal(authcrypt(&cao), -EBADMSG);
	pkt[1]--;
	assert_int_equal(authcrypt(&cao), 0);
	assert_memory_equal(pkt + HDR, pt, PAYLOAD);
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

static void srtp_refuses_block_modes_and_data_outside_auth(void **state)
{
	uint8_t pkt[600] = { 0 }, tag[20], iv[16] = { 0 };
	struct crypt_auth_op cao;
	uint32_t cbc = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA1_HMAC,
				jefe, 4);
	uint32_t ctr = combined(CRYPTO_AES_CTR, key128, CRYPTO_SHA1_HMAC,
				jefe, 4);

	(void)state;
	srtp_op(&cao, cbc, COP_ENCRYPT, pkt, 32, tag, 10, iv);
	assert_int_equal(authcrypt(&cao), -EINVAL);
	/* data more than 256 bytes after auth_src */
	srtp_op(&cao, ctr, COP_ENCRYPT, pkt, 32, tag, 10, iv);
	cao.src = cao.dst = pkt + 300;
	cao.auth_len = 400;
	assert_int_equal(authcrypt(&cao), -EINVAL);
	/* data before auth_src, or running past its end */
	srtp_op(&cao, ctr, COP_ENCRYPT, pkt + 16, 32, tag, 10, iv);
	cao.src = cao.dst = pkt;
	assert_int_equal(authcrypt(&cao), -EINVAL);
	srtp_op(&cao, ctr, COP_ENCRYPT, pkt, 32, tag, 10, iv);
	cao.auth_len = RTP_HDR + 31;
	assert_int_equal(authcrypt(&cao), -EINVAL);
	srtp_op(&cao, ctr, COP_ENCRYPT, pkt, 32, tag, 21, iv);
	assert_int_equal(authcrypt(&cao), -EINVAL);
	assert_int_equal(cdev_fsession(fd, cbc), 0);
	assert_int_equal(cdev_fsession(fd, ctr), 0);
}

/* ---- sessions ---------------------------------------------------------- */

static void combined_session_reports_both_algorithms(void **state)
{
	struct session_info_op info;
	uint32_t ses = combined(CRYPTO_AES_CBC, key128, CRYPTO_SHA2_256_HMAC,
				jefe, 4);

	(void)state;
	memset(&info, 0, sizeof(info));
	info.ses = ses;
	assert_int_equal(ioctl(fd, CIOCGSESSINFO, &info), 0);
	assert_string_equal(info.cipher_info.cra_name, "cbc(aes)");
	assert_string_equal(info.hash_info.cra_name, "hmac(sha256)");
	assert_int_equal(cdev_fsession(fd, ses), 0);
}

static void aead_with_a_mac_is_refused(void **state)
{
	uint32_t ses;

	(void)state;
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key128, 16,
				      CRYPTO_SHA1_HMAC, jefe, 4, &ses),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crypt_cbc_gives_sp800_38a_and_hmac_of_plaintext),
		cmocka_unit_test(crypt_ctr_mac_matches_rfc4231),
		cmocka_unit_test(crypt_cbc_refuses_partial_blocks),
		cmocka_unit_test(async_crypt_on_combined_session_matches_sync),
		cmocka_unit_test(tls_record_round_trip_matches_rfc5246),
		cmocka_unit_test(tls_record_with_wrong_padding_is_ebadmsg),
		cmocka_unit_test(tls_record_with_wrong_mac_is_ebadmsg),
		cmocka_unit_test(tls_null_iv_continues_from_the_previous_record),
		cmocka_unit_test(tls_refuses_out_of_place_short_and_unaligned_records),
		cmocka_unit_test(srtp_keystream_matches_rfc3711_b2),
		cmocka_unit_test(srtp_hmac_sha1_80_round_trip),
		cmocka_unit_test(srtp_long_header_and_trailer_round_trip),
		cmocka_unit_test(srtp_refuses_block_modes_and_data_outside_auth),
		cmocka_unit_test(combined_session_reports_both_algorithms),
		cmocka_unit_test(aead_with_a_mac_is_refused),
	};

	cdev_require_device("test-cryptodev-combined");
	return cmocka_run_group_tests_name("combined sessions", tests,
					   comb_setup, comb_teardown);
}
