// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest tests of the device's counters (sysfs stats/) and of the data
 * paths they reveal: every counter rises by exactly what a known workload
 * did; COP_FLAG_NO_ZC copies instead of pinning; memory that cannot be
 * pinned (a PFNMAP mapping, or pinning failing by a debugfs fault) is
 * copied instead of failing with EFAULT.  Root (debugfs); one process.
 */
#include <errno.h>
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

#include "cdev_util.h"
#include "kat_check.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BIG (64 * 1024)		/* pinned by default (zerocopy_min <= 64 KiB) */

static int fd = -1;

enum {
	ST_CIPHER_REQ, ST_CIPHER_BYTES, ST_HASH_REQ, ST_HASH_BYTES,
	ST_AEAD_REQ, ST_AEAD_BYTES, ST_COMBINED_REQ, ST_COMBINED_BYTES,
	ST_ERRORS, ST_ZEROCOPY, ST_COPIED, ST_N
};

static const char *const st_names[ST_N] = {
	"cipher_requests", "cipher_bytes", "hash_requests", "hash_bytes",
	"aead_requests", "aead_bytes", "combined_requests", "combined_bytes",
	"errors", "zerocopy_bytes", "copied_bytes",
};

struct stats {
	uint32_t v[ST_N];
};

static void st_read(struct stats *s)
{
	char attr[64];
	int i;

	for (i = 0; i < ST_N; i++) {
		snprintf(attr, sizeof(attr), "stats/%s", st_names[i]);
		assert_int_equal(cdev_sysfs_u32(fd, attr, &s->v[i]), 0);
	}
}

/* Each counter rose from @before by exactly @want (mod 2^32). */
static void st_expect(const struct stats *before, const uint32_t want[ST_N])
{
	struct stats now;
	int i, bad = 0;

	st_read(&now);
	for (i = 0; i < ST_N; i++) {
		uint32_t got = now.v[i] - before->v[i];

		if (got != want[i]) {
			printf("stats/%s rose by %u, the work did %u\n",
			       st_names[i], got, want[i]);
			bad = 1;
		}
	}
	assert_int_equal(bad, 0);
}

static int st_setup(void **state)
{
	(void)state;
	fd = cdev_open();
	return fd < 0 ? -1 : 0;
}

static int st_teardown(void **state)
{
	const char *knob = cdev_fault0("fail_pin");

	(void)state;
	if (knob)
		cdev_write_file(knob, "N");
	close(fd);
	return 0;
}

static void st_aead(uint32_t ses, int op, const uint8_t *aad, size_t al,
		    const uint8_t *src, uint8_t *dst, uint32_t len,
		    const uint8_t *iv, int expect)
{
	uint32_t tag_len = 0;

	assert_int_equal(cdev_aead(fd, ses, op, aad, (uint32_t)al, src, dst,
				   &len, &tag_len, iv, 12), expect);
}

/*
 * Three AES-CBC encryptions of 64 bytes, two SHA-256 of "abc", one GCM
 * encryption of 64 bytes and one GCM decryption with a bad tag: the
 * counters say exactly that, and that the small buffers were copied.
 */
static void counters_rise_by_exactly_what_the_work_did(void **state)
{
	const struct kat_cipher *k = &kat_ciphers[KAT_CBC_AES128];
	const struct kat_digest *h = &kat_hashes[KAT_SHA256_ABC];
	const struct kat_gcm *g = &kat_gcms[KAT_GCM_TC3];
	uint8_t key[32], iv[12], pt[64], ct[80], digest[32], expect[32];
	uint32_t cbc, sha, gcm;
	struct stats before;
	size_t kl, pl;
	int i;
	uint32_t want[ST_N] = {
		[ST_CIPHER_REQ] = 3, [ST_CIPHER_BYTES] = 3 * 64,
		[ST_HASH_REQ] = 2, [ST_HASH_BYTES] = 2 * 3,
		[ST_AEAD_REQ] = 1, [ST_AEAD_BYTES] = 64, [ST_ERRORS] = 1,
		/* in and out of CBC, the hashed bytes, GCM's in and out */
		[ST_COPIED] = 3 * 128 + 2 * 3 + 64 + 80,
	};

	(void)state;
	kl = kat_unhex(k->key, key, sizeof(key));
	assert_int_equal(cdev_session(fd, k->alg, key, (uint32_t)kl, 0, NULL,
				      0, &cbc), 0);
	assert_int_equal(cdev_session(fd, 0, NULL, 0, h->alg, NULL, 0, &sha),
			 0);
	kl = kat_unhex(g->key, key, sizeof(key));
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, (uint32_t)kl, 0,
				      NULL, 0, &gcm), 0);
	kat_unhex(h->digest, expect, sizeof(expect));
	kat_unhex(g->iv, iv, sizeof(iv));
	pl = kat_unhex(g->pt, pt, sizeof(pt));
	assert_int_equal(pl, 64);

	st_read(&before);
	for (i = 0; i < 3; i++)
		assert_int_equal(kat_cipher_check(fd, cbc, k), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, h->msg,
					    NULL, 3, NULL, digest), 0);
		assert_memory_equal(digest, expect, 32);
	}
	st_aead(gcm, COP_ENCRYPT, NULL, 0, pt, ct, 64, iv, 0);
	ct[70] ^= 1;	/* in the tag */
	st_aead(gcm, COP_DECRYPT, NULL, 0, ct, pt, 80, iv, -EBADMSG);
	/* refused by the driver: the device never sees it */
	assert_int_equal(cdev_crypt(fd, cbc, COP_ENCRYPT, 0, pt, pt, 15, NULL,
				    NULL), -EINVAL);
	st_expect(&before, want);

	cdev_fsession(fd, cbc);
	cdev_fsession(fd, sha);
	cdev_fsession(fd, gcm);
}

/*
 * Encrypt BIG bytes starting with SP 800-38A's plaintext under CBC-AES128
 * into @out (in place when @in_place) with @flags: the first 64 bytes of
 * the answer are the standard's.
 */
static void st_big_cbc(uint8_t *in, uint8_t *out, int flags)
{
	const struct kat_cipher *k = &kat_ciphers[KAT_CBC_AES128];
	uint8_t key[16], iv[16], expect[64];
	uint32_t ses;
	size_t i;

	for (i = 0; i < BIG; i++)
		in[i] = (uint8_t)(i * 7);
	kat_unhex(KAT_SP800_38A_PT, in, 64);
	kat_unhex(k->key, key, sizeof(key));
	kat_unhex(k->iv, iv, sizeof(iv));
	kat_unhex(k->ct, expect, sizeof(expect));
	assert_int_equal(cdev_session(fd, k->alg, key, 16, 0, NULL, 0, &ses),
			 0);
	assert_int_equal(cdev_crypt(fd, ses, COP_ENCRYPT, flags, in, out, BIG,
				    iv, NULL), 0);
	assert_memory_equal(out, expect, 64);
	cdev_fsession(fd, ses);
}

/* COP_FLAG_NO_ZC: the same answer, with nothing pinned. */
static void no_zc_flag_copies_instead_of_pinning(void **state)
{
	static uint8_t in[BIG], pinned[BIG], copied[BIG];
	struct stats before;
	uint32_t zc[ST_N] = { [ST_CIPHER_REQ] = 1, [ST_CIPHER_BYTES] = BIG,
			      [ST_ZEROCOPY] = 2 * BIG };
	uint32_t cp[ST_N] = { [ST_CIPHER_REQ] = 1, [ST_CIPHER_BYTES] = BIG,
			      [ST_COPIED] = 2 * BIG };

	(void)state;
	st_read(&before);
	st_big_cbc(in, pinned, 0);
	st_expect(&before, zc);
	st_read(&before);
	st_big_cbc(in, copied, COP_FLAG_NO_ZC);
	st_expect(&before, cp);
	assert_memory_equal(pinned, copied, BIG);
}

/*
 * Pinning that fails as it does for VM_IO and PFNMAP mappings (the
 * debugfs fault): the buffers are copied and every call still gives the
 * right answer - a cipher out of place and in place, a hash, and GCM.
 */
static void unpinnable_buffers_are_copied_not_efault(void **state)
{
	static uint8_t in[BIG], pinned[BIG], out[BIG + 16], inplace[BIG];
	static uint8_t back[BIG];
	const char *knob = cdev_fault0("fail_pin");
	uint8_t key[16] = { 7 }, iv[12] = { 9 }, d1[32], d2[32];
	struct stats before;
	uint32_t sha, gcm;
	uint32_t cp[ST_N] = { [ST_CIPHER_REQ] = 2, [ST_CIPHER_BYTES] = 2 * BIG,
			      [ST_HASH_REQ] = 1, [ST_HASH_BYTES] = BIG,
			      [ST_AEAD_REQ] = 2, [ST_AEAD_BYTES] = 2 * BIG + 16,
			      [ST_COPIED] = 4 * BIG + BIG + 4 * BIG + 32 };

	(void)state;
	if (!knob)
		skip();
	st_big_cbc(in, pinned, 0);
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA2_256, NULL, 0,
				      &sha), 0);
	assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, in, NULL, BIG,
				    NULL, d1), 0);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_GCM, key, 16, 0, NULL, 0,
				      &gcm), 0);

	assert_int_equal(cdev_write_file(knob, "Y"), 0);
	st_read(&before);
	st_big_cbc(in, out, 0);
	assert_memory_equal(out, pinned, BIG);
	memcpy(inplace, in, BIG);
	st_big_cbc(inplace, inplace, 0);
	assert_memory_equal(inplace, pinned, BIG);
	assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, in, NULL, BIG,
				    NULL, d2), 0);
	assert_memory_equal(d1, d2, 32);
	st_aead(gcm, COP_ENCRYPT, NULL, 0, in, out, BIG, iv, 0);
	st_aead(gcm, COP_DECRYPT, NULL, 0, out, back, BIG + 16, iv, 0);
	st_expect(&before, cp);
	assert_int_equal(cdev_write_file(knob, "N"), 0);
	assert_memory_equal(back, in, BIG);
	cdev_fsession(fd, sha);
	cdev_fsession(fd, gcm);
}

/* The first page of the vDSO's data ([vvar]): PFNMAP, readable, unpinnable. */
#define ST_VVAR_LEN 1024
static const uint8_t *st_vvar(void)
{
	unsigned long start = 0;
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vvar]") &&
		    sscanf(line, "%lx-", &start) == 1)
			break;
	fclose(f);
	return (const uint8_t *)start;
}

/*
 * A hash of memory no one can pin - the kernel's own PFNMAP [vvar] page -
 * is served by copying, and equals the hash of a copy taken meanwhile.
 * The kernel updates the clock data at the start of the page as time
 * passes, so the last KiB is hashed (large enough to be pinned were it
 * pinnable), and tried again until a copy before and one after agree.
 */
static void pfnmap_source_is_copied_not_efault(void **state)
{
	const uint8_t *vvar = st_vvar();
	static uint8_t snap[2][ST_VVAR_LEN];
	uint8_t d_vvar[32], d_snap[32];
	struct stats before;
	uint32_t sha, i;
	uint32_t cp[ST_N] = { [ST_HASH_REQ] = 1, [ST_HASH_BYTES] = ST_VVAR_LEN,
			      [ST_COPIED] = ST_VVAR_LEN };

	(void)state;
	if (!vvar || sysconf(_SC_PAGESIZE) != 4096)
		skip();
	vvar += 4096 - ST_VVAR_LEN;
	assert_int_equal(cdev_session(fd, 0, NULL, 0, CRYPTO_SHA2_256, NULL, 0,
				      &sha), 0);
	for (i = 0; i < 100; i++) {
		memcpy(snap[0], vvar, ST_VVAR_LEN);
		st_read(&before);
		assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, vvar, NULL,
					    ST_VVAR_LEN, NULL, d_vvar), 0);
		st_expect(&before, cp);
		memcpy(snap[1], vvar, ST_VVAR_LEN);
		assert_int_equal(cdev_crypt(fd, sha, COP_ENCRYPT, 0, snap[0],
					    NULL, ST_VVAR_LEN, NULL, d_snap), 0);
		if (!memcmp(snap[0], snap[1], ST_VVAR_LEN))
			break;
	}
	assert_true(i < 100);
	assert_memory_equal(d_vvar, d_snap, 32);
	cdev_fsession(fd, sha);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counters_rise_by_exactly_what_the_work_did),
		cmocka_unit_test(no_zc_flag_copies_instead_of_pinning),
		cmocka_unit_test(unpinnable_buffers_are_copied_not_efault),
		cmocka_unit_test(pfnmap_source_is_copied_not_efault),
	};

	cdev_require_device("test-cryptodev-stats");
	return cmocka_run_group_tests_name("cryptodev counters and copies",
					   tests, st_setup, st_teardown);
}
