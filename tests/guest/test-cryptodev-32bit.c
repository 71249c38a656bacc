// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cryptodev ABI from a 32-bit program (built with gcc -m32 -static):
 * its structs hold 32-bit pointers, so the driver's compat_ioctl must
 * translate every one.  Sessions, CIOCCRYPT ciphers (NIST SP 800-38A) and
 * hashes (FIPS 180-2, RFC 4231), CIOCAUTHCRYPT GCM (the GCM
 * specification's test cases) with its written-back struct, CIOCGSESSINFO,
 * CRIOGET, CIOCASYMFEAT, and the errors.  No cmocka: the guest has no
 * 32-bit libraries, so a small harness of its own; exit 0 when all pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cdev_util.h"
#include "kat_check.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BAD_PTR ((void *)16)

static int fd = -1, failed;

/* Report a failed check and go on with the next. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("  not ok %s:%d: ", __func__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failed++;					\
		}							\
	} while (0)
#define CHECK_EQ(a, b) \
	CHECK((long long)(a) == (long long)(b), "%s is %lld, not %lld", #a, \
	      (long long)(a), (long long)(b))

static void the_structs_have_32_bit_pointers(void)
{
	CHECK_EQ(sizeof(void *), 4);
	CHECK_EQ(sizeof(struct session_op), 28);
	CHECK_EQ(sizeof(struct crypt_op), 28);
	CHECK_EQ(sizeof(struct crypt_auth_op), 44);
}

static void ciphers_match_sp800_38a(void)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(kat_ciphers); i++)
		CHECK_EQ(kat_cipher_check_session(fd, &kat_ciphers[i]), 0);
}

/* A NULL iv continues the chain; WRITE_IV gives the next IV back. */
static void cbc_chains_and_writes_the_iv_back(void)
{
	const struct kat_cipher *k = &kat_ciphers[KAT_CBC_AES128];
	uint8_t key[16], iv[16], plain[64], expect[64], out[64];
	uint32_t ses;

	kat_unhex(k->key, key, sizeof(key));
	kat_unhex(k->iv, iv, sizeof(iv));
	kat_unhex(KAT_SP800_38A_PT, plain, sizeof(plain));
	kat_unhex(k->ct, expect, sizeof(expect));
	CHECK_EQ(cdev_session(fd, k->alg, key, 16, 0, NULL, 0, &ses), 0);
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_WRITE_IV, plain, out,
			    32, iv, NULL), 0);
	CHECK(!memcmp(iv, expect + 16, 16), "IV written back");
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, 0, plain + 32, out + 32, 32,
			    NULL, NULL), 0);
	CHECK(!memcmp(out, expect, 64), "CBC chained over two calls");
	CHECK_EQ(cdev_fsession(fd, ses), 0);
}

static void hashes_match_fips180_and_rfc4231(void)
{
	const struct kat_digest *h;
	uint8_t key[200], msg[200], expect[64], digest[64];
	size_t i, n = ARRAY_LEN(kat_hashes) + ARRAY_LEN(kat_hmacs_rfc4231);
	uint32_t ses;

	for (i = 0; i < n; i++) {
		size_t kl = 0, ml, dl;
		int err;

		h = i < ARRAY_LEN(kat_hashes) ? &kat_hashes[i] :
			&kat_hmacs_rfc4231[i - ARRAY_LEN(kat_hashes)];
		if (h->key)
			kl = kat_unhex(h->key, key, sizeof(key));
		else
			memset(key, h->key_byte, kl = h->key_rep);
		ml = h->msg ? strlen(h->msg) : h->msg_rep;
		if (h->msg)
			memcpy(msg, h->msg, ml);
		else
			memset(msg, h->msg_byte, ml);
		dl = kat_unhex(h->digest, expect, sizeof(expect));
		err = cdev_session(fd, 0, NULL, 0, h->alg, kl ? key : NULL,
				   (uint32_t)kl, &ses);
		if (err == -EINVAL)	/* SHA-224/384 are optional */
			continue;
		CHECK_EQ(err, 0);
		CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, 0, msg, NULL,
				    (uint32_t)ml, NULL, digest), 0);
		CHECK(!memcmp(digest, expect, dl), "%s", h->name);
		cdev_fsession(fd, ses);
	}
}

/* GCM both ways, with the struct written back in the 32-bit layout. */
static void gcm_matches_the_specification(void)
{
	uint8_t key[32], iv[12], aad[64], pt[64], ct[64], tag[16];
	uint8_t out[96], back[96];
	struct crypt_auth_op caop;
	size_t i, kl, al, pl;
	uint32_t ses;

	for (i = 0; i < ARRAY_LEN(kat_gcms); i++) {
		const struct kat_gcm *g = &kat_gcms[i];

		kl = kat_unhex(g->key, key, sizeof(key));
		kat_unhex(g->iv, iv, sizeof(iv));
		al = kat_unhex(g->aad, aad, sizeof(aad));
		pl = kat_unhex(g->pt, pt, sizeof(pt));
		kat_unhex(g->ct, ct, sizeof(ct));
		kat_unhex(g->tag, tag, sizeof(tag));
		CHECK_EQ(cdev_session(fd, CRYPTO_AES_GCM, key, (uint32_t)kl, 0,
				      NULL, 0, &ses), 0);
		CHECK_EQ(cdev_authcrypt(fd, &caop, ses, COP_ENCRYPT, aad,
					(uint32_t)al, pt, out, (uint32_t)pl, 0,
					iv, 12), 0);
		CHECK_EQ(caop.len, pl + 16);
		CHECK_EQ(caop.tag_len, 16);
		CHECK(caop.tag == out + pl, "%s: tag written back", g->name);
		CHECK(!memcmp(out, ct, pl) && !memcmp(out + pl, tag, 16),
		      "%s: encrypt", g->name);

		CHECK_EQ(cdev_authcrypt(fd, &caop, ses, COP_DECRYPT, aad,
					(uint32_t)al, out, back,
					(uint32_t)pl + 16, 0, iv, 12), 0);
		CHECK_EQ(caop.len, pl);
		CHECK(!memcmp(back, pt, pl), "%s: decrypt", g->name);
		out[pl] ^= 1;	/* the tag */
		CHECK_EQ(cdev_authcrypt(fd, &caop, ses, COP_DECRYPT, aad,
					(uint32_t)al, out, back,
					(uint32_t)pl + 16, 0, iv, 12), -EBADMSG);
		cdev_fsession(fd, ses);
	}
}

/* Buffers large enough to be pinned, and the same copied (NO_ZC). */
static void large_buffers_take_both_data_paths(void)
{
	static uint8_t in[65536], zc[65536], copied[65536];
	uint8_t key[16] = { 1 }, iv[16] = { 2 };
	uint32_t ses;
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 13);
	CHECK_EQ(cdev_session(fd, CRYPTO_AES_CTR, key, 16, 0, NULL, 0, &ses), 0);
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, 0, in, zc, sizeof(in), iv,
			    NULL), 0);
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, COP_FLAG_NO_ZC, in, copied,
			    sizeof(in), iv, NULL), 0);
	CHECK(!memcmp(zc, copied, sizeof(zc)), "pinned and copied agree");
	/* CTR is its own inverse */
	CHECK_EQ(cdev_crypt(fd, ses, COP_DECRYPT, 0, zc, zc, sizeof(zc), iv,
			    NULL), 0);
	CHECK(!memcmp(zc, in, sizeof(in)), "in place round trip");
	cdev_fsession(fd, ses);
}

static void sessinfo_names_the_algorithm(void)
{
	struct session_info_op info;
	uint8_t key[16] = { 0 };
	uint32_t ses;

	CHECK_EQ(cdev_session(fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0, &ses),
		 0);
	memset(&info, 0, sizeof(info));
	info.ses = ses;
	CHECK_EQ(ioctl(fd, CIOCGSESSINFO, &info), 0);
	CHECK(!strcmp(info.cipher_info.cra_name, "cbc(aes)"), "%s",
	      info.cipher_info.cra_name);
	CHECK(info.flags & SIOP_FLAG_KERNEL_DRIVER_ONLY, "driver-only flag");
	cdev_fsession(fd, ses);
}

static void crioget_and_asymfeat_answer(void)
{
	uint8_t key[16] = { 0 };
	uint32_t cfd = 0, feat = 1, ses;

	CHECK_EQ(ioctl(fd, CRIOGET, &cfd), 0);
	CHECK_EQ(fcntl((int)cfd, F_GETFD), 0);
	CHECK_EQ(cdev_session((int)cfd, CRYPTO_AES_ECB, key, 16, 0, NULL, 0,
			      &ses), 0);
	CHECK_EQ(cdev_fsession(fd, ses), 0);	/* the same file */
	close((int)cfd);
	CHECK_EQ(ioctl(fd, CIOCASYMFEAT, &feat), 0);
	CHECK_EQ(feat, 0);
}

static void errors_are_cryptodev_linuxs(void)
{
	uint8_t key[16] = { 0 }, buf[32] = { 0 };
	uint32_t ses;

	CHECK_EQ(cdev_session(fd, CRYPTO_AES_CBC, key, 15, 0, NULL, 0, &ses),
		 -EINVAL);
	CHECK_EQ(cdev_session(fd, CRYPTO_AES_CBC, BAD_PTR, 16, 0, NULL, 0,
			      &ses), -EFAULT);
	CHECK_EQ(cdev_session(fd, 999, key, 16, 0, NULL, 0, &ses), -EINVAL);
	CHECK_EQ(cdev_crypt(fd, 0x12345678, COP_ENCRYPT, 0, buf, buf, 16, NULL,
			    NULL), -EINVAL);
	CHECK_EQ(cdev_fsession(fd, 0x12345678), -ENOENT);
	CHECK_EQ(cdev_session(fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0, &ses),
		 0);
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, 0, buf, buf, 15, NULL, NULL),
		 -EINVAL);
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, 0, BAD_PTR, buf, 16, NULL,
			    NULL), -EFAULT);
	CHECK_EQ(cdev_crypt(fd, ses, COP_ENCRYPT, 0, buf, BAD_PTR, 16, NULL,
			    NULL), -EFAULT);
	cdev_fsession(fd, ses);
	CHECK_EQ(ioctl(fd, CIOCGSESSION, BAD_PTR) < 0 ? errno : 0, EFAULT);
	CHECK_EQ(ioctl(fd, CIOCKEY, buf) < 0 ? errno : 0, EINVAL);
	CHECK_EQ(ioctl(fd, _IO('c', 200), buf) < 0 ? errno : 0, EINVAL);
}

int main(void)
{
	static void (*const tests[])(void) = {
		the_structs_have_32_bit_pointers,
		ciphers_match_sp800_38a,
		cbc_chains_and_writes_the_iv_back,
		hashes_match_fips180_and_rfc4231,
		gcm_matches_the_specification,
		large_buffers_take_both_data_paths,
		sessinfo_names_the_algorithm,
		crioget_and_asymfeat_answer,
		errors_are_cryptodev_linuxs,
	};
	size_t i;

	cdev_require_device("test-cryptodev-32bit");
	fd = cdev_open();
	for (i = 0; i < ARRAY_LEN(tests); i++) {
		int before = failed;

		tests[i]();
		printf("%s %zu\n", failed == before ? "ok" : "not ok", i + 1);
	}
	close(fd);
	printf("test-cryptodev-32bit: %d check(s) failed\n", failed);
	return failed ? 1 : 0;
}
