// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: what an unprivileged local user (/dev/crypto is 0666) can try
 * against the driver.  Each case runs in a child that drops to an
 * unprivileged uid before it opens the device, as an attacker would.
 *
 * Best run in a guest booted with "slub_debug=FZPU oops=panic"
 * (tests/system/hostile-guest-user.sh): a use-after-free or double free
 * then panics the guest instead of corrupting memory quietly.
 */
#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

#define HU_NOBODY	65534
#define HU_OTHER	65533
#define HU_RACE_ROUNDS	20000
#define HU_RACE_SECONDS	60

/* Become @uid for good (the group too), so no privilege is left. */
static void hu_become(uid_t uid)
{
	if (setgid(uid) || setuid(uid)) {
		perror("setuid");
		_exit(2);
	}
}

/* Run @fn in a child as @uid; its exit status (0 = pass). */
static int hu_run_as(uid_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (!pid) {
		hu_become(uid);
		_exit(fn(arg));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double hu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- CIOCGSESSION whose answer cannot be written back ------------------ */

struct hu_race {
	int fd;
	volatile uint32_t *ses;		/* the struct's ses field */
	volatile int stop;
	unsigned long freed;		/* CIOCFSESSION that succeeded */
	unsigned long tries;		/* ids the racer saw and tried */
};

/* The sibling thread: free every id it sees appear in the struct. */
static void *hu_racer(void *arg)
{
	struct hu_race *r = arg;
	uint32_t last = 0;

	while (!r->stop) {
		uint32_t id = *r->ses;

		if (!id || id == last)
			continue;
		last = id;
		r->tries++;
		if (!ioctl(r->fd, CIOCFSESSION, &id))
			r->freed++;
	}
	return NULL;
}

static int hu_session_race(void *arg)
{
	static const uint8_t key[16] = { 1 };
	long page = sysconf(_SC_PAGESIZE);
	unsigned long rounds = 0, efault = 0;
	struct session_op *sop;
	struct hu_race r = { 0 };
	pthread_t racer;
	double end;
	uint8_t *p;

	(void)arg;
	r.fd = cdev_open();
	if (r.fd < 0) {
		fprintf(stderr, "open %s: %s\n", cdev_path(), strerror(-r.fd));
		return 3;
	}
	p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 3;
	/*
	 * Everything up to and including ses on the writable page, the last
	 * bytes (padding) on a read-only one: the copy back writes ses and
	 * then faults.
	 */
	sop = (struct session_op *)(p + page - offsetof(struct session_op, ses) -
				    sizeof(sop->ses));
	sop->cipher = CRYPTO_AES_CBC;
	sop->key = (uint8_t *)key;
	sop->keylen = sizeof(key);
	if (mprotect(p + page, (size_t)page, PROT_READ))
		return 3;
	r.ses = &sop->ses;
	if (pthread_create(&racer, NULL, hu_racer, &r))
		return 3;

	end = hu_now() + HU_RACE_SECONDS;
	while (rounds < HU_RACE_ROUNDS && hu_now() < end) {
		sop->ses = 0;
		if (ioctl(r.fd, CIOCGSESSION, sop) < 0 && errno == EFAULT)
			efault++;
		rounds++;
	}
	r.stop = 1;
	pthread_join(racer, NULL);
	printf("session race: %lu rounds, %lu EFAULT, racer tried %lu ids, freed %lu\n",
	       rounds, efault, r.tries, r.freed);
	close(r.fd);
	/* every call failed, and none of the ids it leaked named a session */
	return efault == rounds && !r.freed ? 0 : 1;
}

static void session_whose_id_cannot_be_written_back_is_never_published(void **state)
{
	(void)state;
	assert_int_equal(hu_run_as(HU_NOBODY, hu_session_race, NULL), 0);
}

/* ---- sessions one file and one user may hold ---------------------------- */

#define HU_PARAMS "/sys/module/virtio_cryptodev/parameters/"

static unsigned long hu_param(const char *name)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), HU_PARAMS "%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%lu", &v), 1);
	fclose(f);
	return v;
}

static void hu_set_param(const char *name, unsigned long v)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), HU_PARAMS "%s", name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fprintf(f, "%lu\n", v) > 0);
	assert_int_equal(fclose(f), 0);
}

static int hu_new_session(int fd, uint32_t *ses)
{
	static const uint8_t key[16] = { 2 };

	return cdev_session(fd, CRYPTO_AES_CTR, key, sizeof(key), 0, NULL, 0,
			    ses);
}

/* Sessions on @fd until one fails; the count, the errno in *err. */
static unsigned int hu_fill(int fd, int *err)
{
	unsigned int n = 0;
	uint32_t ses;

	while ((*err = hu_new_session(fd, &ses)) == 0)
		n++;
	return n;
}

static int hu_one_file_limit(void *arg)
{
	unsigned int limit = *(unsigned int *)arg, n;
	int a = cdev_open(), b = cdev_open(), err;
	uint32_t ses;

	if (a < 0 || b < 0)
		return 3;
	n = hu_fill(a, &err);
	printf("one file: %u sessions, then %s\n", n, strerror(-err));
	if (n != limit || err != -EMFILE)
		return 1;
	/* the next file of the same user has its own share */
	if (hu_new_session(b, &ses))
		return 1;
	return 0;
}

static void sessions_beyond_max_sessions_per_file_are_emfile(void **state)
{
	unsigned long saved = hu_param("max_sessions_per_file");
	unsigned int limit = 8;
	int rc;

	(void)state;
	hu_set_param("max_sessions_per_file", limit);
	rc = hu_run_as(HU_NOBODY, hu_one_file_limit, &limit);
	hu_set_param("max_sessions_per_file", saved);
	assert_int_equal(rc, 0);
}

struct hu_hold {
	unsigned int limit;		/* max_sessions_per_user, effective */
	int ready[2], go[2];		/* pipes: holder -> test, test -> holder */
};

/* Take every session this user may have over several files, then hold. */
static int hu_hoard(void *arg)
{
	struct hu_hold *h = arg;
	unsigned int n = 0, i;
	int err = 0;
	char c;

	for (i = 0; i < 4 && n < h->limit + 1; i++) {
		int fd = cdev_open();

		if (fd < 0)
			return 3;
		n += hu_fill(fd, &err);
	}
	printf("one user: %u sessions, then %s\n", n, strerror(-err));
	c = n == h->limit && err == -EMFILE ? 'y' : 'n';
	if (write(h->ready[1], &c, 1) != 1 || read(h->go[0], &c, 1) < 0)
		return 3;
	return 0;
}

/*
 * Root takes what is left of the device while a user holds its share: @left
 * sessions, then ENOSPC - the device is full, which is neither the file's
 * nor the user's limit (EMFILE).
 */
static int hu_take_the_rest(unsigned int left)
{
	int fd = cdev_open(), err;
	unsigned int n;

	if (fd < 0)
		return 3;
	n = hu_fill(fd, &err);
	printf("root: the last %u sessions, then %s\n", n, strerror(-err));
	close(fd);
	return n == left && err == -ENOSPC ? 0 : 1;
}

static int hu_get_one(void *arg)
{
	uint32_t ses;
	int fd = cdev_open(), rc;

	(void)arg;
	if (fd < 0)
		return 3;
	rc = hu_new_session(fd, &ses) ? 1 : 0;
	close(fd);
	return rc;
}

/*
 * One user taking every session it can leaves some for the others, even
 * with max_sessions_per_user above the device's maximum; a full device
 * then says ENOSPC; and closing the files gives the sessions back.
 */
static void one_user_cannot_take_every_session(void **state)
{
	unsigned long saved_user = hu_param("max_sessions_per_user");
	unsigned long saved_file = hu_param("max_sessions_per_file");
	struct hu_hold h;
	uint32_t max_sessions;
	int fd = cdev_open(), status, i;
	pid_t holder;
	char c = 0;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(cdev_sysfs_u32(fd, "max_sessions", &max_sessions), 0);
	hu_set_param("max_sessions_per_user", 0xffffffffu);
	hu_set_param("max_sessions_per_file", 0xffffffffu);
	assert_int_equal(cdev_sysfs_u32(fd, "max_sessions_per_user", &h.limit),
			 0);
	assert_true(h.limit < max_sessions);

	for (i = 0; i < 2; i++) {
		assert_int_equal(pipe(h.ready), 0);
		assert_int_equal(pipe(h.go), 0);
		holder = fork();
		assert_true(holder >= 0);
		if (!holder) {
			hu_become(HU_NOBODY);
			_exit(hu_hoard(&h));
		}
		assert_int_equal(read(h.ready[0], &c, 1), 1);
		/* while it holds them: another user, and root, get one */
		if (c == 'y') {
			assert_int_equal(hu_run_as(HU_OTHER, hu_get_one, NULL),
					 0);
			assert_int_equal(hu_get_one(NULL), 0);
			assert_int_equal(hu_take_the_rest(max_sessions -
							  h.limit), 0);
		}
		assert_int_equal(write(h.go[1], "x", 1), 1);
		assert_int_equal(waitpid(holder, &status, 0), holder);
		close(h.ready[0]), close(h.ready[1]);
		close(h.go[0]), close(h.go[1]);
		/* the second round finds the first round's share given back */
		if (c != 'y')
			break;
	}
	hu_set_param("max_sessions_per_user", saved_user);
	hu_set_param("max_sessions_per_file", saved_file);
	close(fd);
	assert_int_equal(c, 'y');
	assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
}

/* ---- pinned memory ------------------------------------------------------- */

#define HU_PIN_THREADS	8
#define HU_PIN_SECONDS	3
#define HU_MEMLOCK	(1u << 20)

struct hu_pinner {
	int fd;
	uint32_t ses, len;
	volatile int *stop;
	unsigned long ops;
	uint8_t *src, *dst;
};

static void *hu_pinner_main(void *arg)
{
	struct hu_pinner *p = arg;
	uint8_t iv[16] = { 0 };

	while (!*p->stop &&
	       !cdev_crypt(p->fd, p->ses, COP_ENCRYPT, 0, p->src, p->dst,
			   p->len, iv, NULL))
		p->ops++;
	return NULL;
}

/* Threads keep requests of max_data_len in flight, each its own buffers. */
static int hu_pin_hard(void *arg)
{
	static const uint8_t key[16] = { 4 };
	static struct hu_pinner p[HU_PIN_THREADS];
	struct rlimit rl = { HU_MEMLOCK, HU_MEMLOCK };
	pthread_t t[HU_PIN_THREADS];
	volatile int stop = 0;
	uint32_t len = *(uint32_t *)arg;
	int fd = cdev_open(), i, bad = 0;

	if (fd < 0 || setrlimit(RLIMIT_MEMLOCK, &rl))
		return 3;
	for (i = 0; i < HU_PIN_THREADS; i++) {
		p[i] = (struct hu_pinner){ .fd = fd, .len = len, .stop = &stop,
					   .src = malloc(len),
					   .dst = malloc(len) };
		if (!p[i].src || !p[i].dst ||
		    cdev_session(fd, CRYPTO_AES_CTR, key, sizeof(key), 0,
				 NULL, 0, &p[i].ses))
			return 3;
		memset(p[i].src, i, len);
		memset(p[i].dst, i, len);	/* faulted in before pinning */
		if (pthread_create(&t[i], NULL, hu_pinner_main, &p[i]))
			return 3;
	}
	sleep(HU_PIN_SECONDS);
	stop = 1;
	for (i = 0; i < HU_PIN_THREADS; i++) {
		pthread_join(t[i], NULL);
		bad |= !p[i].ops;	/* everyone got its turn */
	}
	return bad;
}

/*
 * A user's requests pin at most its RLIMIT_MEMLOCK plus one request: with a
 * limit of 1 MiB, eight threads with 1 MiB requests in flight never have
 * more than one request's pages pinned at once.
 */
static void pinned_memory_stays_within_rlimit_memlock(void **state)
{
	unsigned long now, most = 0;
	uint32_t len;
	int fd = cdev_open(), status;
	pid_t pid;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(cdev_sysfs_u32(fd, "max_data_len", &len), 0);
	close(fd);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		hu_become(HU_NOBODY);
		_exit(hu_pin_hard(&len));
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		f = fopen(HU_PARAMS "pinned_bytes", "r");
		assert_non_null(f);
		if (fscanf(f, "%lu", &now) == 1 && now > most)
			most = now;
		fclose(f);
		usleep(1000);
	}
	printf("pinned at most %lu bytes (RLIMIT_MEMLOCK %u, requests of %u bytes)\n",
	       most, HU_MEMLOCK, len);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the limit, plus one request: source and destination, unaligned */
	assert_true(most <= HU_MEMLOCK + 2ul * (len + 4096));
	assert_true(most > 0);
}

/* ---- waits behind a sibling's long operation ------------------------------ */

#define HU_LONG_LEN	0xfffff000u	/* bytes in one CIOCCRYPT: ~4 GiB */
#define HU_CHUNK	(1u << 20)

/*
 * A range of HU_LONG_LEN bytes of address space that is one 1 MiB memfd
 * mapped over and over: a multi-GiB operation without the memory.
 */
static uint8_t *hu_long_buffer(void)
{
	size_t len = ((size_t)HU_LONG_LEN + HU_CHUNK - 1) & ~(size_t)(HU_CHUNK - 1);
	size_t off;
	int mfd = memfd_create("hu-long", 0);
	uint8_t *p;

	if (mfd < 0 || ftruncate(mfd, HU_CHUNK))
		return NULL;
	p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (off = 0; off < len; off += HU_CHUNK)
		if (mmap(p + off, HU_CHUNK, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, mfd, 0) == MAP_FAILED)
			return NULL;
	close(mfd);
	return p;
}

static int hu_kill_behind_long_op(void *arg)
{
	static const uint8_t key[16] = { 3 };
	uint8_t iv[16] = { 0 }, *buf = hu_long_buffer();
	int fd = cdev_open(), status, a_running, rc;
	pid_t a, b;
	uint32_t ses;
	double t0, dt;

	(void)arg;
	if (!buf || fd < 0 ||
	    cdev_session(fd, CRYPTO_AES_CTR, key, sizeof(key), 0, NULL, 0, &ses))
		return 3;
	a = fork();
	if (!a)		/* holds the session's lock for the whole call */
		_exit(cdev_crypt(fd, ses, COP_ENCRYPT, 0, buf, buf,
				 HU_LONG_LEN, iv, NULL) ? 1 : 0);
	usleep(300 * 1000);
	b = fork();
	if (!b)		/* waits for that lock */
		_exit(cdev_fsession(fd, ses) ? 1 : 0);
	usleep(300 * 1000);

	t0 = hu_now();
	kill(b, SIGKILL);
	waitpid(b, &status, 0);
	dt = hu_now() - t0;
	a_running = waitpid(a, NULL, WNOHANG) == 0;
	printf("CIOCFSESSION behind a %u-byte operation: killed in %.3f s, operation %s\n",
	       HU_LONG_LEN, dt, a_running ? "still running" : "over");
	rc = a_running && WIFSIGNALED(status) && dt < 2.0 ? 0 : 1;
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	return rc;
}

/*
 * A process waiting to free a session while a sibling process (same open
 * file) runs gigabytes through it dies at once when killed, not when the
 * sibling is done.
 */
static void freeing_a_session_behind_a_long_operation_is_killable(void **state)
{
	(void)state;
	assert_int_equal(hu_run_as(HU_NOBODY, hu_kill_behind_long_op, NULL), 0);
}

/* After all of the above, known answers still come back. */
static void device_still_answers_known_vectors(void **state)
{
	int fd = cdev_open();

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(kat_cipher_check_session(fd, &kat_ciphers[5]), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_whose_id_cannot_be_written_back_is_never_published),
		cmocka_unit_test(sessions_beyond_max_sessions_per_file_are_emfile),
		cmocka_unit_test(one_user_cannot_take_every_session),
		cmocka_unit_test(pinned_memory_stays_within_rlimit_memlock),
		cmocka_unit_test(freeing_a_session_behind_a_long_operation_is_killable),
		cmocka_unit_test(device_still_answers_known_vectors),
	};

	cdev_require_device("test-cryptodev-hostile-user");
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests_name("cryptodev hostile user", tests,
					   NULL, NULL);
}
