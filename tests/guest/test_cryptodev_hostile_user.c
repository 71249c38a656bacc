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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_vectors.h"

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
		cmocka_unit_test(device_still_answers_known_vectors),
	};

	cdev_require_device("test-cryptodev-hostile-user");
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests_name("cryptodev hostile user", tests,
					   NULL, NULL);
}
