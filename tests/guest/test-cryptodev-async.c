// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: asynchronous operations as cryptodev-linux's programs use them.
 * CIOCASYNCCRYPT queues a crypt_op, CIOCASYNCFETCH returns the first one
 * done with its results in the caller's buffers (EBUSY when none is),
 * poll() gives POLLIN when a result waits and POLLOUT while another may be
 * queued; 64 outstanding per file, the 65th EBUSY.  Answers against NIST
 * SP 800-38A and RFC 2202; a file closed or a process gone with requests
 * in flight leaves nothing behind; another process is not held up.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

#define ASYNC_MAX	64	/* outstanding per file, as cryptodev-linux */
#define BLK		16

static uint8_t pt[64];		/* SP 800-38A's four blocks */
static const struct kat_cipher *cbc = &kat_ciphers[KAT_CBC_AES128];
static uint8_t cbc_ct[64], cbc_iv[BLK];	/* its answer (F.2.1) and IV */

static int as_setup(void **state)
{
	(void)state;
	kat_unhex(KAT_SP800_38A_PT, pt, sizeof(pt));
	kat_unhex(cbc->ct, cbc_ct, sizeof(cbc_ct));
	kat_unhex(cbc->iv, cbc_iv, sizeof(cbc_iv));
	return 0;
}

static int as_submit(int fd, struct crypt_op *cop)
{
	return ioctl(fd, CIOCASYNCCRYPT, cop) < 0 ? -errno : 0;
}

static int as_fetch(int fd, struct crypt_op *cop)
{
	return ioctl(fd, CIOCASYNCFETCH, cop) < 0 ? -errno : 0;
}

/* poll() for @events with @ms; the revents, or -errno. */
static int as_poll(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };	/* revents: of these */
	int n = poll(&p, 1, ms);

	return n < 0 ? -errno : n ? p.revents : 0;
}

/* Wait (poll) for a result and fetch it: 0 or -errno. */
static int as_wait_fetch(int fd, struct crypt_op *cop)
{
	int ev = as_poll(fd, POLLIN, 30000);

	if (ev < 0)
		return ev;
	if (!(ev & POLLIN))
		return -ETIMEDOUT;
	return as_fetch(fd, cop);
}

static uint32_t as_session(int fd, const struct kat_cipher *k)
{
	uint8_t key[32];
	size_t keylen = kat_unhex(k->key, key, sizeof(key));
	uint32_t ses = 0;

	assert_int_equal(cdev_session(fd, k->alg, key, keylen, 0, NULL, 0,
				      &ses), 0);
	return ses;
}

/* A new descriptor with a CBC-AES128 session (F.2.1's key) in *ses. */
static int as_cbc_open(uint32_t *ses)
{
	int fd = cdev_open();

	assert_true(fd >= 0);
	*ses = as_session(fd, cbc);
	return fd;
}

static void as_cop(struct crypt_op *cop, uint32_t ses, int op, int flags,
		   const void *src, void *dst, uint32_t len, void *iv,
		   void *mac)
{
	memset(cop, 0, sizeof(*cop));
	cop->ses = ses;
	cop->op = op;
	cop->flags = flags;
	cop->src = (void *)src;
	cop->dst = dst;
	cop->len = len;
	cop->iv = iv;
	cop->mac = mac;
}

/*
 * 32 requests in flight on one CBC session, each one block of SP 800-38A
 * with its own IV (the previous ciphertext block): every fetch names one
 * request (its crypt_op as submitted), each exactly once, with its answer.
 */
static void cbc_requests_in_flight_give_sp800_38a_answers(void **state)
{
	enum { N = 32 };
	uint8_t ivs[N][BLK], out[N][BLK];
	int seen[N] = { 0 };
	struct crypt_op cop;
	uint32_t ses;
	int fd = as_cbc_open(&ses), i;

	(void)state;
	memset(out, 0, sizeof(out));
	for (i = 0; i < N; i++) {
		int b = i % 4;

		if (b)
			memcpy(ivs[i], cbc_ct + (b - 1) * BLK, BLK);
		else
			memcpy(ivs[i], cbc_iv, BLK);
		as_cop(&cop, ses, COP_ENCRYPT, 0, pt + b * BLK, out[i], BLK,
		       ivs[i], NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
	for (i = 0; i < N; i++) {
		int j;

		memset(&cop, 0, sizeof(cop));
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
		j = (int)(((uint8_t (*)[BLK])cop.dst) - out);
		assert_true(j >= 0 && j < N);
		assert_int_equal(seen[j]++, 0);
		assert_int_equal(cop.ses, ses);
		assert_int_equal(cop.len, BLK);
		assert_ptr_equal(cop.iv, ivs[j]);
		assert_memory_equal(out[j], cbc_ct + (j % 4) * BLK, BLK);
	}
	assert_int_equal(as_fetch(fd, &cop), -EBUSY);
	cdev_fsession(fd, ses);
	close(fd);
}

/*
 * Without an IV each request continues from the one before: queued
 * together, they still reach the device in order (SP 800-38A F.2.1 block
 * by block), and COP_FLAG_WRITE_IV brings the next IV back at fetch.
 */
static void chained_requests_continue_in_submission_order(void **state)
{
	uint8_t iv[BLK], out[4][BLK];
	struct crypt_op cop;
	uint32_t ses;
	int fd = as_cbc_open(&ses), i;

	(void)state;
	memcpy(iv, cbc_iv, BLK);
	for (i = 0; i < 4; i++) {
		as_cop(&cop, ses, COP_ENCRYPT, i ? 0 : COP_FLAG_WRITE_IV,
		       pt + i * BLK, out[i], BLK, i ? NULL : iv, NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
	assert_memory_equal(out, cbc_ct, sizeof(cbc_ct));
	assert_memory_equal(iv, cbc_ct, BLK);	/* F.2.1's first block */
	cdev_fsession(fd, ses);
	close(fd);
}

/*
 * Larger requests (the driver's pages, not the bounce buffer), in place and
 * not: ECB-AES128 of SP 800-38A's plaintext repeated, 16 in flight.
 */
static void large_requests_in_place_and_apart_give_known_answers(void **state)
{
	const struct kat_cipher *k = &kat_ciphers[KAT_ECB_AES128];
	enum { N = 16, LEN = 8192 };
	uint8_t ct[64], *in = malloc(N * LEN), *out = malloc(N * LEN);
	uint8_t *expect = malloc(LEN);
	struct crypt_op cop;
	int fd = cdev_open(), i, off;
	uint32_t ses;

	(void)state;
	assert_true(fd >= 0 && in && out && expect);
	ses = as_session(fd, k);
	kat_unhex(k->ct, ct, sizeof(ct));
	for (off = 0; off < LEN; off += 64)
		memcpy(expect + off, ct, 64);
	memset(out, 0, N * LEN);
	for (i = 0; i < N; i++) {
		uint8_t *src = in + i * LEN;
		uint8_t *dst = i % 2 ? src : out + i * LEN;

		for (off = 0; off < LEN; off += 64)
			memcpy(src + off, pt, 64);
		as_cop(&cop, ses, COP_ENCRYPT, 0, src, dst, LEN, NULL, NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
	for (i = 0; i < N; i++) {
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
		assert_memory_equal(cop.dst, expect, LEN);
	}
	cdev_fsession(fd, ses);
	close(fd);
	free(in);
	free(out);
	free(expect);
}

/* The HMAC key of an RFC 2202 vector, in @key; its length. */
static size_t as_digest_key(const struct kat_digest *d, uint8_t *key)
{
	if (d->key)
		return kat_unhex(d->key, key, 128);
	memset(key, d->key_byte, d->key_rep);
	return d->key_rep;
}

static size_t as_digest_msg(const struct kat_digest *d, uint8_t *msg)
{
	if (d->msg) {
		memcpy(msg, d->msg, strlen(d->msg));
		return strlen(d->msg);
	}
	memset(msg, d->msg_byte, d->msg_rep);
	return d->msg_rep;
}

/*
 * RFC 2202's HMAC-SHA1 cases, each on its own session, all in flight at
 * once; then 32 of case 2 on one session; then case 2 in two parts
 * (UPDATE, FINAL), which must reach the device in order.
 */
static void hmac_sha1_gives_rfc2202_answers(void **state)
{
	enum { NV = 7, N = 32 };	/* RFC 2202's SHA-1 cases: the first rows */
	static uint8_t msg[NV][128], mac[N][20];
	uint8_t key[128], expect[20];
	uint32_t ses[NV];
	struct crypt_op cop;
	int fd = cdev_open(), i;
	const struct kat_digest *tc2 = &kat_hmacs_rfc2202[1];

	(void)state;
	assert_true(fd >= 0);
	for (i = 0; i < NV; i++) {
		const struct kat_digest *d = &kat_hmacs_rfc2202[i];
		size_t keylen = as_digest_key(d, key);
		size_t len = as_digest_msg(d, msg[i]);

		assert_int_equal(d->alg, CRYPTO_SHA1_HMAC);
		assert_int_equal(cdev_session(fd, 0, NULL, 0, d->alg, key,
					      keylen, &ses[i]), 0);
		as_cop(&cop, ses[i], COP_ENCRYPT, 0, msg[i], NULL, len, NULL,
		       mac[i]);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
	for (i = 0; i < NV; i++) {
		int j;

		assert_int_equal(as_wait_fetch(fd, &cop), 0);
		j = (int)(((uint8_t (*)[20])cop.mac) - mac);
		assert_true(j >= 0 && j < NV);
		kat_unhex(kat_hmacs_rfc2202[j].digest, expect, 20);
		assert_memory_equal(mac[j], expect, 20);
	}

	kat_unhex(tc2->digest, expect, 20);
	memset(mac, 0, sizeof(mac));
	for (i = 0; i < N; i++) {
		as_cop(&cop, ses[1], COP_ENCRYPT, 0, tc2->msg, NULL,
		       strlen(tc2->msg), NULL, mac[i]);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
	for (i = 0; i < N; i++)
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
	for (i = 0; i < N; i++)
		assert_memory_equal(mac[i], expect, 20);

	memset(mac[0], 0, 20);
	as_cop(&cop, ses[1], COP_ENCRYPT, COP_FLAG_UPDATE, tc2->msg, NULL, 10,
	       NULL, mac[0]);
	assert_int_equal(as_submit(fd, &cop), 0);
	as_cop(&cop, ses[1], COP_ENCRYPT, COP_FLAG_FINAL, tc2->msg + 10, NULL,
	       strlen(tc2->msg) - 10, NULL, mac[0]);
	assert_int_equal(as_submit(fd, &cop), 0);
	assert_int_equal(as_wait_fetch(fd, &cop), 0);
	assert_int_equal(as_wait_fetch(fd, &cop), 0);
	assert_memory_equal(mac[0], expect, 20);

	for (i = 0; i < NV; i++)
		cdev_fsession(fd, ses[i]);
	close(fd);
}

static void fetch_with_nothing_done_is_ebusy(void **state)
{
	struct crypt_op cop;
	int fd = cdev_open();

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(as_fetch(fd, &cop), -EBUSY);
	close(fd);
}

/*
 * The results reach the caller's buffers when it fetches, not before: it
 * may reuse them meanwhile, and they land in the fetching task's memory.
 */
static void results_are_copied_out_at_fetch(void **state)
{
	uint8_t iv[BLK], src[64], out[64] = { 0 }, zero[64] = { 0 };
	struct crypt_op cop;
	uint32_t ses;
	int fd = as_cbc_open(&ses);

	(void)state;
	memcpy(iv, cbc_iv, BLK);
	memcpy(src, pt, sizeof(src));
	as_cop(&cop, ses, COP_ENCRYPT, 0, src, out, 64, iv, NULL);
	assert_int_equal(as_submit(fd, &cop), 0);
	memset(src, 0xee, sizeof(src));		/* taken at submission */
	memset(iv, 0xee, sizeof(iv));
	assert_true(as_poll(fd, POLLIN, 30000) & POLLIN);
	assert_memory_equal(out, zero, sizeof(out));
	assert_int_equal(as_fetch(fd, &cop), 0);
	assert_memory_equal(out, cbc_ct, sizeof(cbc_ct));
	cdev_fsession(fd, ses);
	close(fd);
}

static int poll_fd;

static void *as_poller(void *arg)
{
	long ev = as_poll(poll_fd, POLLIN | POLLRDNORM, 30000);

	(void)arg;
	return (void *)ev;
}

static double as_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * No POLLIN before anything is submitted (POLLOUT: there is room); a
 * blocking poll() and select() wake when a result arrives; no POLLIN once
 * it is fetched.
 */
static void poll_says_pollin_only_when_a_result_waits(void **state)
{
	uint8_t iv[BLK], out[64];
	struct crypt_op cop;
	struct timeval tv = { .tv_sec = 30 };
	pthread_t t;
	fd_set rd;
	void *ev;
	double t0;
	uint32_t ses;

	(void)state;
	poll_fd = as_cbc_open(&ses);
	memcpy(iv, cbc_iv, BLK);
	assert_int_equal(as_poll(poll_fd, POLLIN | POLLRDNORM | POLLOUT, 0),
			 POLLOUT);

	/* a poller asleep before the submission is woken by the result */
	assert_int_equal(pthread_create(&t, NULL, as_poller, NULL), 0);
	t0 = as_now();
	usleep(200000);
	as_cop(&cop, ses, COP_ENCRYPT, 0, pt, out, 64, iv, NULL);
	assert_int_equal(as_submit(poll_fd, &cop), 0);
	assert_int_equal(pthread_join(t, &ev), 0);
	assert_true((long)ev & POLLIN);
	assert_true((long)ev & POLLRDNORM);
	assert_true(as_now() - t0 >= 0.2);
	assert_int_equal(as_poll(poll_fd, POLLIN | POLLRDNORM | POLLOUT, 0),
			 POLLIN | POLLRDNORM | POLLOUT);
	assert_int_equal(as_fetch(poll_fd, &cop), 0);
	assert_int_equal(as_poll(poll_fd, POLLIN, 0), 0);

	as_cop(&cop, ses, COP_ENCRYPT, 0, pt, out, 64, iv, NULL);
	assert_int_equal(as_submit(poll_fd, &cop), 0);
	FD_ZERO(&rd);
	FD_SET(poll_fd, &rd);
	assert_int_equal(select(poll_fd + 1, &rd, NULL, NULL, &tv), 1);
	assert_true(FD_ISSET(poll_fd, &rd));
	assert_int_equal(as_fetch(poll_fd, &cop), 0);
	cdev_fsession(poll_fd, ses);
	close(poll_fd);
}

/* Submit F.2.1's encryption @n times on @ses, into out[0..n-1]. */
static void as_submit_f21(int fd, uint32_t ses, int n, uint8_t (*out)[64])
{
	struct crypt_op cop;
	int i;

	for (i = 0; i < n; i++) {
		as_cop(&cop, ses, COP_ENCRYPT, 0, pt, out[i], 64, cbc_iv, NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
}

/*
 * 64 outstanding (submitted, not fetched) per file: the 65th is EBUSY and
 * POLLOUT is gone until one is fetched.
 */
static void sixty_fifth_outstanding_request_is_ebusy(void **state)
{
	static uint8_t out[ASYNC_MAX + 1][64];
	struct crypt_op cop;
	uint32_t ses;
	int fd = as_cbc_open(&ses), i;

	(void)state;
	as_submit_f21(fd, ses, ASYNC_MAX, out);
	as_cop(&cop, ses, COP_ENCRYPT, 0, pt, out[ASYNC_MAX], 64, cbc_iv, NULL);
	assert_int_equal(as_submit(fd, &cop), -EBUSY);
	assert_int_equal(as_poll(fd, POLLOUT, 0) & POLLOUT, 0);
	assert_int_equal(as_wait_fetch(fd, &cop), 0);
	assert_true(as_poll(fd, POLLOUT, 0) & POLLOUT);
	as_submit_f21(fd, ses, 1, out + ASYNC_MAX);
	for (i = 0; i < ASYNC_MAX; i++)
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
	assert_int_equal(as_fetch(fd, &cop), -EBUSY);
	cdev_fsession(fd, ses);
	close(fd);
}

/*
 * CIOCFSESSION with operations pending waits for the device to finish
 * them (it never sees the handle go under them); their results are still
 * fetched, right.
 */
static void session_freed_with_requests_pending_keeps_their_results(void **state)
{
	enum { N = 32 };
	static uint8_t out[N][64];
	struct crypt_op cop;
	uint32_t ses;
	int fd = as_cbc_open(&ses), i;

	(void)state;
	as_submit_f21(fd, ses, N, out);
	assert_int_equal(cdev_fsession(fd, ses), 0);
	as_cop(&cop, ses, COP_ENCRYPT, 0, pt, out[0], 64, cbc_iv, NULL);
	assert_int_equal(as_submit(fd, &cop), -EINVAL);
	for (i = 0; i < N; i++) {
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
		assert_memory_equal(cop.dst, cbc_ct, sizeof(cbc_ct));
	}
	close(fd);
}

/* Submit @n requests of 64 B or 4 KiB on a new session of @fd, no fetch. */
static void as_fill(int fd, int n, uint8_t *buf)
{
	uint8_t iv[BLK] = { 0 };
	struct crypt_op cop;
	uint32_t ses = as_session(fd, cbc);
	int i;

	for (i = 0; i < n; i++) {
		uint32_t len = i % 2 ? 4096 : 64;

		as_cop(&cop, ses, COP_ENCRYPT, 0, buf + i * 4096,
		       buf + i * 4096, len, iv, NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
}

/* MemFree + the pages the driver holds for users, in KiB, caches dropped. */
static long as_mem_free_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f;

	sync();
	cdev_write_file("/proc/sys/vm/drop_caches", "3");
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static long as_pinned_bytes(void)
{
	FILE *f = fopen("/sys/module/virtio_cryptodev/parameters/pinned_bytes",
			"r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * 400 rounds of a file closed, or a process exiting, with 64 requests in
 * flight and unfetched (half of them 4 KiB, in the driver's pages): a
 * leak of them all would be over 100 MiB; allow 16 MiB of noise.
 */
static void close_or_exit_with_64_in_flight_leaks_nothing(void **state)
{
	enum { ROUNDS = 400 };
	uint8_t *buf = malloc(ASYNC_MAX * 4096);
	long before, after;
	int r;

	(void)state;
	assert_non_null(buf);
	memset(buf, 0x5a, ASYNC_MAX * 4096);
	before = as_mem_free_kib();
	for (r = 0; r < ROUNDS; r++) {
		int fd = cdev_open();

		assert_true(fd >= 0);
		if (r % 2) {
			as_fill(fd, ASYNC_MAX, buf);
			close(fd);
		} else {
			pid_t pid = fork();
			int status;

			assert_true(pid >= 0);
			if (!pid) {
				as_fill(fd, ASYNC_MAX, buf);
				_exit(0);
			}
			close(fd);
			assert_int_equal(waitpid(pid, &status, 0), pid);
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
		}
	}
	usleep(200000);		/* requests freed late, on the workqueue */
	after = as_mem_free_kib();
	printf("MemFree before %ld KiB, after %ld KiB\n", before, after);
	assert_true(before > 0 && after > 0);
	assert_true(before - after < 16 * 1024);
	assert_int_equal(as_pinned_bytes(), 0);
	free(buf);
}

/*
 * While a second process keeps its own queue full (and retries on EBUSY
 * without fetching), this one's asynchronous and synchronous calls still
 * get their answers, promptly.
 */
static void second_process_is_not_held_up_by_a_full_queue(void **state)
{
	static uint8_t hog[ASYNC_MAX * 4096], out[ASYNC_MAX][64];
	struct crypt_op cop;
	int go[2], fd, i, status;
	double t0;
	uint32_t ses;
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		uint32_t hses;
		int hfd = as_cbc_open(&hses);

		as_fill(hfd, ASYNC_MAX, hog);
		if (write(go[1], "x", 1) != 1)
			_exit(1);
		for (;;) {	/* knock on a full queue until killed */
			as_cop(&cop, hses, COP_ENCRYPT, 0, hog, hog, 4096,
			       cbc_iv, NULL);
			if (as_submit(hfd, &cop) != -EBUSY)
				_exit(2);
		}
	}
	assert_int_equal(read(go[0], &c, 1), 1);

	fd = as_cbc_open(&ses);
	t0 = as_now();
	as_submit_f21(fd, ses, ASYNC_MAX, out);
	for (i = 0; i < ASYNC_MAX; i++) {
		assert_int_equal(as_wait_fetch(fd, &cop), 0);
		assert_memory_equal(cop.dst, cbc_ct, sizeof(cbc_ct));
	}
	assert_int_equal(kat_cipher_check(fd, ses, cbc), 0);
	printf("64 requests and a synchronous one beside a full queue: %.3f s\n",
	       as_now() - t0);
	assert_true(as_now() - t0 < 20);

	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	cdev_fsession(fd, ses);
	close(fd);
	close(go[0]);
	close(go[1]);
}

/*
 * The device unbound (remove()) with requests queued: every one is still
 * fetched, done before or failed with ENODEV, and later submissions get
 * ENODEV.
 */
static void requests_of_an_unbound_device_are_fetched_with_enodev(void **state)
{
	enum { N = 48 };
	static uint8_t buf[N][4096];
	struct crypt_op cop;
	int done = 0, gone = 0, i, err;
	uint32_t ses;
	int fd = open("/dev/cryptodev0", O_RDWR | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	ses = as_session(fd, cbc);
	for (i = 0; i < N; i++) {
		as_cop(&cop, ses, COP_ENCRYPT, 0, buf[i], buf[i],
		       i % 3 ? 64 : 4096, cbc_iv, NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
	assert_int_equal(cdev_rebind0(), 0);
	for (i = 0; i < N; i++) {
		err = as_wait_fetch(fd, &cop);
		assert_true(err == 0 || err == -ENODEV);
		err ? gone++ : done++;
	}
	printf("%d done before the unbind, %d failed with ENODEV\n", done, gone);
	assert_int_equal(as_fetch(fd, &cop), -EBUSY);
	assert_int_equal(as_submit(fd, &cop), -ENODEV);
	close(fd);
}

#define AS_BIG	(256 * 1024)

/* Queue @n requests of AS_BIG on @ses: the device runs them on its pool. */
static void as_queue_big(int fd, uint32_t ses, uint8_t *buf, int n)
{
	struct crypt_op cop;
	int i;

	for (i = 0; i < n; i++) {
		as_cop(&cop, ses, COP_ENCRYPT, 0, buf + i * AS_BIG,
		       buf + i * AS_BIG, AS_BIG, cbc_iv, NULL);
		assert_int_equal(as_submit(fd, &cop), 0);
	}
}

/*
 * Requests stranded on a broken ring (the device will never answer):
 * close() returns within seconds; repairing the device (unbind, bind)
 * frees them, and a file still open fetches each, done before the break
 * or failed with ENODEV.  Nothing stays pinned or charged.
 */
static void requests_on_a_broken_ring_go_when_it_is_repaired(void **state)
{
	const char *brk = cdev_fault0("break");
	static uint8_t buf[2][8 * AS_BIG];
	struct crypt_op cop;
	uint32_t ses, kept_ses;
	int stranded = 0;
	double t0;
	int fd = open("/dev/cryptodev0", O_RDWR | O_CLOEXEC);
	int kept = open("/dev/cryptodev0", O_RDWR | O_CLOEXEC), i;

	(void)state;
	if (!brk)
		skip();
	assert_true(fd >= 0 && kept >= 0);
	ses = as_session(fd, cbc);
	kept_ses = as_session(kept, cbc);
	/* large: some still run when the ring breaks */
	as_queue_big(kept, kept_ses, buf[1], 4);
	as_queue_big(fd, ses, buf[0], 8);
	as_queue_big(kept, kept_ses, buf[1] + 4 * AS_BIG, 4);
	assert_int_equal(cdev_write_file(brk, "1"), 0);
	t0 = as_now();
	close(fd);
	printf("close with requests on the broken ring: %.2f s\n",
	       as_now() - t0);
	assert_true(as_now() - t0 < 10);

	assert_int_equal(cdev_rebind0(), 0);
	for (i = 0; i < 8; i++) {
		int err = as_wait_fetch(kept, &cop);

		assert_true(err == 0 || err == -ENODEV);
		stranded += err == -ENODEV;
	}
	printf("%d of 8 were stranded on the broken ring\n", stranded);
	assert_int_equal(as_fetch(kept, &cop), -EBUSY);
	close(kept);
	usleep(200000);		/* the workqueue frees the closed file's */
	assert_int_equal(as_pinned_bytes(), 0);
	fd = cdev_open();
	assert_true(fd >= 0);
	assert_int_equal(kat_cipher_check_session(fd, cbc), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cbc_requests_in_flight_give_sp800_38a_answers),
		cmocka_unit_test(chained_requests_continue_in_submission_order),
		cmocka_unit_test(large_requests_in_place_and_apart_give_known_answers),
		cmocka_unit_test(hmac_sha1_gives_rfc2202_answers),
		cmocka_unit_test(fetch_with_nothing_done_is_ebusy),
		cmocka_unit_test(results_are_copied_out_at_fetch),
		cmocka_unit_test(poll_says_pollin_only_when_a_result_waits),
		cmocka_unit_test(sixty_fifth_outstanding_request_is_ebusy),
		cmocka_unit_test(session_freed_with_requests_pending_keeps_their_results),
		cmocka_unit_test(close_or_exit_with_64_in_flight_leaks_nothing),
		cmocka_unit_test(second_process_is_not_held_up_by_a_full_queue),
		/* these two unbind the device: last */
		cmocka_unit_test(requests_of_an_unbound_device_are_fetched_with_enodev),
		cmocka_unit_test(requests_on_a_broken_ring_go_when_it_is_repaired),
	};

	cdev_require_device("test-cryptodev-async");
	return cmocka_run_group_tests(tests, as_setup, NULL);
}
