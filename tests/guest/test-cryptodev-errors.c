// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest error cases of the cryptodev ABI on our driver: every bad
 * argument gets cryptodev-linux's errno (EINVAL, EFAULT, ENOENT, EBADMSG)
 * and never an oops; the device keeps working afterwards.
 */
#include <errno.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BAD_PTR ((void *)16)	/* never mapped */

static int fd = -1;
static long page;
static uint8_t *ro_pages;	/* 64 KiB mapped read-only */
static uint8_t *edge;		/* one mapped page followed by a hole */

static int err_setup(void **state)
{
	(void)state;
	fd = cdev_open();
	page = sysconf(_SC_PAGESIZE);
	ro_pages = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	edge = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || ro_pages == MAP_FAILED || edge == MAP_FAILED)
		return -1;
	munmap(edge + page, page);
	return 0;
}

static int err_teardown(void **state)
{
	(void)state;
	munmap(ro_pages, 65536);
	munmap(edge, page);
	close(fd);
	return 0;
}

/* A raw ioctl on the suite's descriptor: 0, or -errno when it fails. */
static int err_ioctl(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* One AEAD call with a 12-byte nonce, lengths by value: 0 or -errno. */
static int err_aead(uint32_t ses, int op, const void *aad, uint32_t aad_len,
		    const void *src, void *dst, uint32_t len, uint32_t tag_len,
		    const uint8_t *iv)
{
	return cdev_aead(fd, ses, op, aad, aad_len, src, dst, &len, &tag_len,
			 iv, 12);
}

static uint32_t err_session(uint32_t cipher, uint32_t keylen, uint32_t mac)
{
	static const uint8_t key[64] = { 1, 2, 3, 4 };
	uint32_t ses;

	assert_int_equal(cdev_session(fd, cipher, key, keylen, mac, key,
				      mac ? 20 : 0, &ses), 0);
	return ses;
}

static void unknown_algorithm_is_einval(void **state)
{
	static const uint32_t ciphers[] = { 999, CRYPTO_CAST_CBC,
					    CRYPTO_SKIPJACK_CBC, CRYPTO_ARC4,
					    CRYPTO_SHA1, CRYPTO_SHA2_256_HMAC,
					    CRYPTO_ALGORITHM_ALL, 0xffffffff };
	static const uint32_t macs[] = { 999, CRYPTO_AES_CBC, CRYPTO_AES_GCM,
					 CRYPTO_MD5_KPDK, 0x80000000 };
	uint8_t key[32] = { 0 };
	uint32_t ses;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(ciphers); i++)
		assert_int_equal(cdev_session(fd, ciphers[i], key, 16, 0, NULL,
					      0, &ses), -EINVAL);
	for (i = 0; i < ARRAY_LEN(macs); i++)
		assert_int_equal(cdev_session(fd, 0, NULL, 0, macs[i], key, 16,
					      &ses), -EINVAL);
}

static void session_without_algorithm_is_einval(void **state)
{
	uint32_t ses;

	(void)state;
	assert_int_equal(cdev_session(fd, 0, NULL, 0, 0, NULL, 0, &ses),
			 -EINVAL);
}

/*
 * A cipher mode pairs with a MAC (test-cryptodev-combined); an AEAD has
 * its own tag and a MAC cannot be a cipher: refused, not half-made.
 */
static void aead_or_cipher_as_mac_in_a_pair_is_einval(void **state)
{
	uint8_t key[32] = { 0 };
	uint32_t ses;

	(void)state;
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, 16,
				      CRYPTO_SHA2_256_HMAC, key, 32, &ses),
			 -EINVAL);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, key, 16,
				      CRYPTO_AES_CTR, key, 16, &ses),
			 -EINVAL);
}

static void bad_aes_key_length_is_einval(void **state)
{
	static const uint32_t lens[] = { 0, 1, 8, 15, 17, 20, 31, 33, 48, 64,
					 65, 4096, 0x80000000 };
	static const uint32_t algs[] = { CRYPTO_AES_CBC, CRYPTO_AES_CTR,
					 CRYPTO_AES_ECB, CRYPTO_AES_GCM };
	uint8_t key[80] = { 0 };
	uint32_t ses;
	size_t a, i;

	(void)state;
	for (a = 0; a < ARRAY_LEN(algs); a++)
		for (i = 0; i < ARRAY_LEN(lens); i++)
			assert_int_equal(cdev_session(fd, algs[a], key, lens[i],
						      0, NULL, 0, &ses),
					 -EINVAL);
}

static void oversize_hmac_key_is_einval(void **state)
{
	static uint8_t key[1024];
	uint32_t ses;

	(void)state;
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA2_256_HMAC, key,
				      513, &ses), -EINVAL);
	/* the length is refused before the (too short) buffer is read */
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA1_HMAC, key,
				      0x7fffffff, &ses), -EINVAL);
}

static void bad_key_pointer_is_efault(void **state)
{
	uint32_t ses;

	(void)state;
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, BAD_PTR, 16, 0, NULL,
				      0, &ses), -EFAULT);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, NULL, 16, 0, NULL, 0,
				      &ses), -EFAULT);
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA1_HMAC, BAD_PTR,
				      20, &ses), -EFAULT);
	/* a key running off the end of the mapping */
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, edge + page - 8, 16,
				      0, NULL, 0, &ses), -EFAULT);
}

static void bad_argument_pointer_is_efault(void **state)
{
	static const unsigned long cmds[] = { CRIOGET, CIOCGSESSION,
					      CIOCFSESSION, CIOCCRYPT,
					      CIOCGSESSINFO, CIOCAUTHCRYPT };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		assert_int_equal(err_ioctl(cmds[i], BAD_PTR), -EFAULT);
		assert_int_equal(err_ioctl(cmds[i], edge + page - 2), -EFAULT);
	}
}

/* A valid request whose session id cannot be written back fails. */
static void session_op_that_cannot_be_written_back_is_efault(void **state)
{
	static const uint8_t key[16];
	struct session_op *sop;
	uint8_t *p;

	(void)state;
	p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	sop = (struct session_op *)p;
	sop->cipher = CRYPTO_AES_CBC;
	sop->key = (uint8_t *)key;
	sop->keylen = sizeof(key);
	assert_int_equal(mprotect(p, (size_t)page, PROT_READ), 0);
	assert_int_equal(err_ioctl(CIOCGSESSION, sop), -EFAULT);
	munmap(p, (size_t)page);
}

static int err_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void crioget_to_read_only_memory_leaks_no_fd(void **state)
{
	int before, i;

	(void)state;
	before = err_count_fds();
	for (i = 0; i < 16; i++) {
		assert_int_equal(err_ioctl(CRIOGET, ro_pages), -EFAULT);
	}
	assert_int_equal(err_count_fds(), before);
}

static void unknown_session_is_einval_or_enoent(void **state)
{
	struct session_info_op info;
	uint8_t buf[64] = { 0 }, iv[12] = { 0 };
	uint32_t len = 16, tag_len = 0;

	(void)state;
	assert_int_equal(cdev_crypt(fd, 0x12345678, COP_ENCRYPT, 0, buf, buf,
				    16, NULL, NULL), -EINVAL);
	assert_int_equal(cdev_crypt(fd, 0, COP_ENCRYPT, 0, buf, buf, 16, NULL,
				    NULL), -EINVAL);
	assert_int_equal(cdev_aead(fd, 0x12345678, COP_ENCRYPT, NULL, 0, buf,
				   buf, &len, &tag_len, iv, 12), -EINVAL);
	assert_int_equal(cdev_fsession(fd, 0x12345678), -ENOENT);
	memset(&info, 0, sizeof(info));
	info.ses = 0x12345678;
	assert_int_equal(err_ioctl(CIOCGSESSINFO, &info), -EINVAL);
}

static void bad_operation_is_einval(void **state)
{
	uint8_t buf[16] = { 0 };
	uint32_t ses = err_session(CRYPTO_AES_ECB, 16, 0);

	(void)state;
	assert_int_equal(cdev_crypt(fd, ses, 2, 0, buf, buf, 16, NULL, NULL),
			 -EINVAL);
	assert_int_equal(cdev_crypt(fd, ses, 0xffff, 0, buf, buf, 16, NULL,
				    NULL), -EINVAL);
	cdev_fsession(fd, ses);
}

static void block_mode_length_not_multiple_of_block_is_einval(void **state)
{
	static const uint32_t lens[] = { 1, 15, 17, 31, 4097 };
	uint8_t buf[8192] = { 0 }, iv[16] = { 0 };
	uint32_t cbc = err_session(CRYPTO_AES_CBC, 16, 0);
	uint32_t ecb = err_session(CRYPTO_AES_ECB, 32, 0);
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(lens); i++) {
		assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, buf, buf,
					    lens[i], iv, NULL), -EINVAL);
		assert_int_equal(cdev_crypt(fd, ecb, COP_DECRYPT, 0, buf, buf,
					    lens[i], NULL, NULL), -EINVAL);
	}
	cdev_fsession(fd, cbc);
	cdev_fsession(fd, ecb);
}

/* Bad src, dst, iv and mac pointers, on the copy and the zero-copy path. */
static void bad_data_pointers_are_efault(void **state)
{
	static uint8_t buf[65536];
	uint8_t iv[16] = { 0 }, mac[64];
	uint32_t cbc = err_session(CRYPTO_AES_CBC, 16, 0);
	uint32_t sha = err_session(0, 0, CRYPTO_SHA2_256);
	static const uint32_t lens[] = { 16, 4096, 65536 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(lens); i++) {
		uint32_t n = lens[i];

		assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, NULL, buf,
					    n, iv, NULL), -EFAULT);
		assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, buf, NULL,
					    n, iv, NULL), -EFAULT);
		assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, BAD_PTR,
					    buf, n, iv, NULL), -EFAULT);
		/* the output cannot be written */
		assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, buf,
					    ro_pages, n, iv, NULL), -EFAULT);
		/* input running into a hole */
		assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0,
					    edge + page - (n > 16 ? 16 : 8),
					    buf, n, iv, NULL), -EFAULT);
		assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, BAD_PTR,
					    NULL, n, NULL, mac), -EFAULT);
		assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, buf, NULL,
					    n, NULL, NULL), -EFAULT);
		assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, buf, NULL,
					    n, NULL, ro_pages), -EFAULT);
	}
	assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, buf, buf, 16,
				    BAD_PTR, NULL), -EFAULT);
	/* WRITE_IV into read-only memory */
	assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, COP_FLAG_WRITE_IV,
				    buf, buf, 16, ro_pages, NULL), -EFAULT);
	cdev_fsession(fd, cbc);
	cdev_fsession(fd, sha);
}

/* Lengths near 4 GiB are neither allocated nor trusted. */
static void huge_lengths_fail_cleanly(void **state)
{
	static uint8_t buf[4096];
	uint8_t iv[16] = { 0 }, tagiv[12] = { 0 };
	uint32_t cbc = err_session(CRYPTO_AES_CBC, 16, 0);
	uint32_t gcm = err_session(CRYPTO_AES_GCM, 16, 0);
	uint32_t len, tag_len;

	(void)state;
	assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, buf, buf,
				    0xfffffff0u, iv, NULL), -EFAULT);
	len = 0xfffffff0u;
	tag_len = 0;
	assert_int_equal(cdev_aead(fd, gcm, COP_ENCRYPT, NULL, 0, buf, buf,
				   &len, &tag_len, tagiv, 12), -EINVAL);
	len = 16;
	tag_len = 0;
	assert_int_equal(cdev_aead(fd, gcm, COP_ENCRYPT, buf, 0xffffffffu, buf,
				   buf, &len, &tag_len, tagiv, 12), -EINVAL);
	cdev_fsession(fd, cbc);
	cdev_fsession(fd, gcm);
}

static void gcm_bad_parameters_are_einval(void **state)
{
	static uint8_t buf[1 << 16];
	uint8_t iv[12] = { 0 };
	uint32_t gcm = err_session(CRYPTO_AES_GCM, 16, 0);
	uint32_t max_len, max_aad;
	struct crypt_auth_op caop;

	(void)state;
	assert_int_equal(cdev_sysfs_u32(fd, "max_data_len", &max_len), 0);
	assert_int_equal(cdev_sysfs_u32(fd, "max_aad_len", &max_aad), 0);

	assert_int_equal(err_aead(gcm, COP_ENCRYPT, NULL, 0, buf, buf, 16, 17,
				  iv), -EINVAL);
	/* decrypt input shorter than the tag */
	assert_int_equal(err_aead(gcm, COP_DECRYPT, NULL, 0, buf, buf, 15, 16,
				  iv), -EINVAL);
	assert_int_equal(err_aead(gcm, COP_ENCRYPT, NULL, 0, buf, buf,
				  max_len + 1, 0, iv), -EINVAL);
	assert_int_equal(err_aead(gcm, COP_ENCRYPT, buf, max_aad + 1, buf, buf,
				  16, 0, iv), -EINVAL);
	assert_int_equal(err_aead(gcm, 7, NULL, 0, buf, buf, 16, 0, iv),
			 -EINVAL);

	memset(&caop, 0, sizeof(caop));
	caop.ses = gcm;
	caop.flags = COP_FLAG_AEAD_TLS_TYPE;
	caop.len = 16;
	caop.src = caop.dst = buf;
	caop.iv = iv;
	assert_int_equal(err_ioctl(CIOCAUTHCRYPT, &caop), -EINVAL);
	/* bad AAD and output pointers */
	assert_int_equal(err_aead(gcm, COP_ENCRYPT, BAD_PTR, 16, buf, buf, 16,
				  0, iv), -EFAULT);
	assert_int_equal(err_aead(gcm, COP_ENCRYPT, NULL, 0, buf, ro_pages,
				  4096, 0, iv), -EFAULT);
	cdev_fsession(fd, gcm);
}

/*
 * Tags of 4, 8 and 12-16 bytes only (NIST SP 800-38D, section 5.2.1.2):
 * every other length is refused before it reaches the device, both ways,
 * and the allowed ones round-trip.
 */
static void gcm_tag_length_outside_sp800_38d_is_einval(void **state)
{
	static const uint32_t bad[] = { 1, 2, 3, 5, 6, 7, 9, 10, 11, 17, 32,
					255, 0x80000000u };
	static const uint32_t good[] = { 4, 8, 12, 13, 14, 15, 16 };
	uint8_t plain[32] = { 7 }, sealed[48], opened[48], iv[12] = { 0 };
	uint32_t gcm = err_session(CRYPTO_AES_GCM, 16, 0);
	uint32_t len, tag_len;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(err_aead(gcm, COP_ENCRYPT, NULL, 0, plain,
					  sealed, sizeof(plain), bad[i], iv),
				 -EINVAL);
		assert_int_equal(err_aead(gcm, COP_DECRYPT, NULL, 0, sealed,
					  opened, sizeof(sealed), bad[i], iv),
				 -EINVAL);
	}
	for (i = 0; i < ARRAY_LEN(good); i++) {
		len = sizeof(plain), tag_len = good[i];
		assert_int_equal(cdev_aead(fd, gcm, COP_ENCRYPT, NULL, 0, plain,
					   sealed, &len, &tag_len, iv, 12), 0);
		assert_int_equal(len, sizeof(plain) + good[i]);
		tag_len = good[i];
		assert_int_equal(cdev_aead(fd, gcm, COP_DECRYPT, NULL, 0, sealed,
					   opened, &len, &tag_len, iv, 12), 0);
		assert_int_equal(len, sizeof(plain));
		assert_memory_equal(opened, plain, sizeof(plain));
	}
	cdev_fsession(fd, gcm);
}

static void wrong_session_kind_is_einval(void **state)
{
	uint8_t buf[64] = { 0 }, iv[16] = { 0 }, mac[64];
	uint32_t gcm = err_session(CRYPTO_AES_GCM, 16, 0);
	uint32_t cbc = err_session(CRYPTO_AES_CBC, 16, 0);
	uint32_t sha = err_session(0, 0, CRYPTO_SHA1);

	(void)state;
	assert_int_equal(cdev_crypt(fd, gcm, COP_ENCRYPT, 0, buf, buf, 16, iv,
				    mac), -EINVAL);
	assert_int_equal(err_aead(cbc, COP_ENCRYPT, NULL, 0, buf, buf, 16, 0, iv),
			 -EINVAL);
	assert_int_equal(err_aead(sha, COP_ENCRYPT, NULL, 0, buf, buf, 16, 0, iv),
			 -EINVAL);
	cdev_fsession(fd, gcm);
	cdev_fsession(fd, cbc);
	cdev_fsession(fd, sha);
}

/* cryptodev-linux answers EINVAL to what it does not know, CIOCKEY too. */
static void unknown_ioctl_is_einval(void **state)
{
	static const unsigned long cmds[] = {
		_IO('c', 200), _IOWR('c', 104, int), _IOWR('c', 102, int),
		0x1234, 0, CIOCKEY, _IOWR('C', 104, struct crypt_op),
	};
	uint8_t buf[512] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		assert_int_equal(err_ioctl(cmds[i], buf), -EINVAL);
	}
}

/* After all of the above, known answers still come back. */
static void device_still_answers_known_vectors(void **state)
{
	const struct kat_cipher *k = &kat_ciphers[5];	/* CBC-AES256 */
	uint8_t key[32], iv[16], plain[64], expect[64], out[64];
	uint32_t ses;

	(void)state;
	kat_unhex(k->key, key, sizeof(key));
	kat_unhex(k->iv, iv, sizeof(iv));
	kat_unhex(KAT_SP800_38A_PT, plain, sizeof(plain));
	kat_unhex(k->ct, expect, sizeof(expect));
	assert_int_equal(cdev_session(fd, k->alg, key, 32, 0, NULL, 0, &ses),
			 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, 0, plain, out, 64, iv,
				    NULL), 0);
	assert_memory_equal(out, expect, 64);
	cdev_fsession(fd, ses);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_algorithm_is_einval),
		cmocka_unit_test(session_without_algorithm_is_einval),
		cmocka_unit_test(aead_or_cipher_as_mac_in_a_pair_is_einval),
		cmocka_unit_test(bad_aes_key_length_is_einval),
		cmocka_unit_test(oversize_hmac_key_is_einval),
		cmocka_unit_test(bad_key_pointer_is_efault),
		cmocka_unit_test(bad_argument_pointer_is_efault),
		cmocka_unit_test(session_op_that_cannot_be_written_back_is_efault),
		cmocka_unit_test(crioget_to_read_only_memory_leaks_no_fd),
		cmocka_unit_test(unknown_session_is_einval_or_enoent),
		cmocka_unit_test(bad_operation_is_einval),
		cmocka_unit_test(block_mode_length_not_multiple_of_block_is_einval),
		cmocka_unit_test(bad_data_pointers_are_efault),
		cmocka_unit_test(huge_lengths_fail_cleanly),
		cmocka_unit_test(gcm_bad_parameters_are_einval),
		cmocka_unit_test(gcm_tag_length_outside_sp800_38d_is_einval),
		cmocka_unit_test(wrong_session_kind_is_einval),
		cmocka_unit_test(unknown_ioctl_is_einval),
		cmocka_unit_test(device_still_answers_known_vectors),
	};

	cdev_require_device("test-cryptodev-errors");
	return cmocka_run_group_tests_name("cryptodev errors", tests, err_setup,
					   err_teardown);
}
