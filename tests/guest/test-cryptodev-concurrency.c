// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest concurrency on our device: several processes and threads with
 * many requests in flight, every result checked against nettle.  Buffers
 * vary in size (both sides of the zero-copy threshold), alignment and
 * placement (in place or not).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_ref.h"
#include "cdev_util.h"

#define CONC_PROCS	4
#define CONC_OPS	2000
#define CONC_THREADS	4
#define CONC_MAX_LEN	65536

static uint64_t conc_next(uint64_t *s)
{
	/* xorshift64*: reproducible streams per worker */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

struct conc_worker {
	int fd;
	uint64_t seed;
	int ops;
	char error[160];
	uint8_t key[32], mackey[20];
	uint32_t cbc, ctr, ecb, sha, hmac, gcm;
	uint8_t *src, *dst, *ref, *plain;
};

static int conc_open_sessions(struct conc_worker *w)
{
	int err = 0;

	err |= cdev_session(w->fd, CRYPTO_AES_CBC, w->key, 16, 0, NULL, 0,
			    &w->cbc);
	err |= cdev_session(w->fd, CRYPTO_AES_CTR, w->key, 32, 0, NULL, 0,
			    &w->ctr);
	err |= cdev_session(w->fd, CRYPTO_AES_ECB, w->key, 24, 0, NULL, 0,
			    &w->ecb);
	err |= cdev_session(w->fd, 0, NULL, 0, CRYPTO_SHA2_256, NULL, 0,
			    &w->sha);
	err |= cdev_session(w->fd, 0, NULL, 0, CRYPTO_SHA1_HMAC, w->mackey, 20,
			    &w->hmac);
	err |= cdev_session(w->fd, CRYPTO_AES_GCM, w->key, 32, 0, NULL, 0,
			    &w->gcm);
	return err ? -1 : 0;
}

/* One random operation, checked; 0 or -1 with w->error set. */
static int conc_one(struct conc_worker *w)
{
	uint64_t r = conc_next(&w->seed);
	size_t len = (r >> 8) % 8 == 0 ? 2048 + (r >> 16) % (CONC_MAX_LEN - 2048)
				       : 1 + (r >> 16) % 2047;
	size_t soff = (r >> 40) % 16, doff = (r >> 44) % 16;
	int in_place = (r >> 48) & 1, kind = (int)(r % 6), err;
	uint8_t *s = w->src + soff, *d = in_place ? s : w->dst + doff;
	uint8_t iv[16], riv[16], mac[64], rmac[64];
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t v = conc_next(&w->seed);

		memcpy(s + i, &v, len - i < 8 ? len - i : 8);
	}
	memcpy(iv, &r, 8);
	memcpy(iv + 8, &w->seed, 8);
	memcpy(riv, iv, 16);

	switch (kind) {
	case 0: /* CBC encrypt, IV written back */
	case 1: /* CBC decrypt */
	case 2: /* ECB, either way */
		len &= ~(size_t)15;
		if (!len)
			len = 16;
		ref_cipher(kind == 2 ? CRYPTO_AES_ECB : CRYPTO_AES_CBC,
			   kind == 1 || (kind == 2 && (r & 64)), w->key,
			   kind == 2 ? 24 : 16, riv, s, w->ref, len);
		err = cdev_crypt(w->fd, kind == 2 ? w->ecb : w->cbc,
				 kind == 1 || (kind == 2 && (r & 64)) ?
				 COP_DECRYPT : COP_ENCRYPT,
				 kind == 0 ? COP_FLAG_WRITE_IV : 0, s, d,
				 (uint32_t)len, kind == 2 ? NULL : iv, NULL);
		if (!err && memcmp(d, w->ref, len))
			err = 1;
		if (!err && kind == 0 && memcmp(iv, riv, 16))
			err = 2;
		break;
	case 3: /* CTR */
		ref_cipher(CRYPTO_AES_CTR, 0, w->key, 32, riv, s, w->ref, len);
		err = cdev_crypt(w->fd, w->ctr, COP_ENCRYPT, 0, s, d,
				 (uint32_t)len, iv, NULL);
		if (!err && memcmp(d, w->ref, len))
			err = 1;
		break;
	case 4: /* SHA-256 or HMAC-SHA1 */
		if (r & 128) {
			ref_hash(CRYPTO_SHA2_256, NULL, 0, s, len, rmac);
			err = cdev_crypt(w->fd, w->sha, COP_ENCRYPT, 0, s, NULL,
					 (uint32_t)len, NULL, mac);
			if (!err && memcmp(mac, rmac, 32))
				err = 1;
		} else {
			ref_hash(CRYPTO_SHA1_HMAC, w->mackey, 20, s, len, rmac);
			err = cdev_crypt(w->fd, w->hmac, COP_ENCRYPT, 0, s, NULL,
					 (uint32_t)len, NULL, mac);
			if (!err && memcmp(mac, rmac, 20))
				err = 1;
		}
		break;
	default: { /* GCM encrypt, then decrypt back */
		uint32_t n = (uint32_t)len, tag_len = 0;
		size_t aad = (r >> 52) % (sizeof(w->key) + 1);

		memcpy(w->plain, s, len);
		ref_gcm_encrypt(w->key, 32, iv, w->key, aad, s, len, w->ref);
		err = cdev_aead(w->fd, w->gcm, COP_ENCRYPT, w->key, (uint32_t)aad,
				s, d, &n, &tag_len, iv, 12);
		if (!err && (n != len + 16 || memcmp(d, w->ref, len + 16)))
			err = 1;
		if (!err) {
			tag_len = 0;
			err = cdev_aead(w->fd, w->gcm, COP_DECRYPT, w->key,
					(uint32_t)aad, d, d, &n, &tag_len, iv, 12);
			if (!err && (n != len || memcmp(d, w->plain, len)))
				err = 1;
		}
		break;
	}
	}
	if (err) {
		snprintf(w->error, sizeof(w->error),
			 "op %d kind %d len %zu soff %zu doff %zu inplace %d: %s",
			 w->ops, kind, len, soff, doff, in_place,
			 err < 0 ? strerror(-err) : "result differs from nettle");
		return -1;
	}
	w->ops++;
	return 0;
}

static int conc_worker_init(struct conc_worker *w, int fd, uint64_t seed)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->seed = seed ? seed : 1;
	for (i = 0; i < sizeof(w->key); i++)
		w->key[i] = (uint8_t)conc_next(&w->seed);
	for (i = 0; i < sizeof(w->mackey); i++)
		w->mackey[i] = (uint8_t)conc_next(&w->seed);
	w->src = malloc(CONC_MAX_LEN + 64);
	w->dst = malloc(CONC_MAX_LEN + 64);
	w->ref = malloc(CONC_MAX_LEN + 64);
	w->plain = malloc(CONC_MAX_LEN + 64);
	if (!w->src || !w->dst || !w->ref || !w->plain)
		return -1;
	return conc_open_sessions(w);
}

static void conc_worker_free(struct conc_worker *w)
{
	free(w->src);
	free(w->dst);
	free(w->ref);
	free(w->plain);
}

static void four_processes_2000_operations_each_match_nettle(void **state)
{
	pid_t pids[CONC_PROCS];
	int i, status, failed = 0;

	(void)state;
	fflush(NULL);	/* children must not repeat buffered output */
	for (i = 0; i < CONC_PROCS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct conc_worker w;
			int fd = cdev_open(), n;

			if (fd < 0 || conc_worker_init(&w, fd, 0x1234u + i)) {
				fprintf(stderr, "worker %d: setup failed\n", i);
				_exit(2);
			}
			for (n = 0; n < CONC_OPS; n++) {
				if (conc_one(&w)) {
					fprintf(stderr, "worker %d: %s\n", i,
						w.error);
					_exit(1);
				}
			}
			conc_worker_free(&w);
			close(fd);
			_exit(0);
		}
	}
	for (i = 0; i < CONC_PROCS; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	assert_int_equal(failed, 0);
}

/*
 * One process pinned to each of two vCPUs, alternating a 64 KiB request
 * (above the device's inline-max: run in the notifying vCPU with QEMU's big
 * lock released) with a 16-byte one.  While one vCPU runs its large
 * request, the other notifies the device; a notification QEMU dropped
 * then would leave that process waiting for ever (nobody else uses its
 * queue; killing it would not help, as closing its session waits for the
 * device too), so the parent waits with a deadline.
 */
#define PIN_OPS		500
#define PIN_LARGE	65536

static int pinned_worker(int cpu)
{
	static const uint8_t key[16] = "pinned-worker-k";
	uint8_t *src = malloc(PIN_LARGE), *dst = malloc(PIN_LARGE);
	uint8_t *ref = malloc(PIN_LARGE), iv[16], riv[16];
	cpu_set_t set;
	uint32_t ses;
	int fd, n, err;
	size_t i, len;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (!src || !dst || !ref || sched_setaffinity(0, sizeof(set), &set))
		return 2;
	fd = cdev_open();
	if (fd < 0 || cdev_session(fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0, &ses))
		return 2;
	for (n = 0; n < PIN_OPS * 2; n++) {
		len = n % 2 ? 16 : PIN_LARGE;
		for (i = 0; i < len; i++)
			src[i] = (uint8_t)(i * 7 + n + cpu);
		memset(iv, n + cpu, sizeof(iv));
		memcpy(riv, iv, sizeof(iv));
		ref_cipher(CRYPTO_AES_CBC, 0, key, 16, riv, src, ref, len);
		err = cdev_crypt(fd, ses, COP_ENCRYPT, 0, src, dst,
				 (uint32_t)len, iv, NULL);
		if (err || memcmp(dst, ref, len)) {
			fprintf(stderr, "cpu %d, request %d (%zu bytes): %s\n",
				cpu, n, len, err ? strerror(-err) : "wrong bytes");
			return 1;
		}
	}
	close(fd);
	return 0;
}

static void large_requests_on_one_vcpu_leave_the_other_answered(void **state)
{
	pid_t pids[2];
	int i, status, failed = 0;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	fflush(NULL);
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(pinned_worker(i));
	}
	for (i = 0; i < 2; i++) {
		int ms = 0;
		pid_t got;

		/* 1000 requests take a few seconds even under TCG */
		while ((got = waitpid(pids[i], &status, WNOHANG)) == 0 &&
		       ms < 180000) {
			usleep(100000);
			ms += 100;
		}
		if (got != pids[i]) {
			fprintf(stderr, "cpu %d: no answer after 180 s: a "
				"request was never answered\n", i);
			fail();
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	assert_int_equal(failed, 0);
}

static void *conc_thread(void *arg)
{
	struct conc_worker *w = arg;
	int n;

	for (n = 0; n < CONC_OPS / 4; n++)
		if (conc_one(w))
			break;
	return NULL;
}

/* Threads share one open file, each with its own sessions. */
static void threads_on_one_file_keep_their_sessions_apart(void **state)
{
	struct conc_worker w[CONC_THREADS];
	pthread_t t[CONC_THREADS];
	int fd = cdev_open(), i;

	(void)state;
	assert_true(fd >= 0);
	for (i = 0; i < CONC_THREADS; i++)
		assert_int_equal(conc_worker_init(&w[i], fd, 0x9876u + i), 0);
	for (i = 0; i < CONC_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, conc_thread, &w[i]),
				 0);
	for (i = 0; i < CONC_THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < CONC_THREADS; i++) {
		if (w[i].error[0])
			fail_msg("thread %d: %s", i, w[i].error);
		assert_int_equal(w[i].ops, CONC_OPS / 4);
		conc_worker_free(&w[i]);
	}
	close(fd);
}

struct conc_shared {
	int fd;
	uint32_t ses;
	const uint8_t *key;
	int bad;
	uint64_t seed;
};

static void *conc_shared_thread(void *arg)
{
	struct conc_shared *c = arg;
	uint8_t buf[4096], out[4096], ref[4096], iv[16], riv[16];
	int n;
	size_t i;

	for (n = 0; n < 300; n++) {
		size_t len = 16 * (1 + conc_next(&c->seed) % 256);

		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)conc_next(&c->seed);
		for (i = 0; i < 16; i++)
			iv[i] = riv[i] = (uint8_t)conc_next(&c->seed);
		ref_cipher(CRYPTO_AES_CBC, 0, c->key, 16, riv, buf, ref, len);
		if (cdev_crypt(c->fd, c->ses, COP_ENCRYPT, COP_FLAG_WRITE_IV,
			       buf, out, (uint32_t)len, iv, NULL) ||
		    memcmp(out, ref, len) || memcmp(iv, riv, 16)) {
			c->bad++;
			break;
		}
	}
	return NULL;
}

/* One session used by several threads at once, each call with its own
 * IV: calls on a session are serialised, so every result is exact. */
static void threads_sharing_one_session_get_exact_results(void **state)
{
	static const uint8_t key[16] = { 7, 7, 7 };
	struct conc_shared c[CONC_THREADS];
	pthread_t t[CONC_THREADS];
	uint32_t ses;
	int fd = cdev_open(), i;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0,
				      &ses), 0);
	for (i = 0; i < CONC_THREADS; i++) {
		c[i] = (struct conc_shared){ fd, ses, key, 0, 0x5555u + i };
		assert_int_equal(pthread_create(&t[i], NULL, conc_shared_thread,
						&c[i]), 0);
	}
	for (i = 0; i < CONC_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].bad, 0);
	}
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: a lost notification hangs the others, without a deadline */
		cmocka_unit_test(large_requests_on_one_vcpu_leave_the_other_answered),
		cmocka_unit_test(four_processes_2000_operations_each_match_nettle),
		cmocka_unit_test(threads_on_one_file_keep_their_sessions_apart),
		cmocka_unit_test(threads_sharing_one_session_get_exact_results),
	};

	cdev_require_device("test-cryptodev-concurrency");
	return cmocka_run_group_tests_name("cryptodev concurrency", tests, NULL,
					   NULL);
}
