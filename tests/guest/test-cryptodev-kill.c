// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: processes killed in the middle of requests.  Victims with
 * large requests in flight (pinned buffers the device is writing) get
 * SIGKILL again and again; a witness process keeps checking known results
 * all the while, and the device answers correctly afterwards.  Whatever the
 * kernel makes of it shows in dmesg, which tests/guest/run-all checks.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

#define KILL_ROUNDS		40
#define KILL_VICTIMS		2
#define KILL_THREADS		3
#define KILL_BIG		(1u << 20)

/* CBC-AES128 of SP 800-38A; 0 if the device gave the known answer. */
static int kill_check_kat(int fd)
{
	return kat_cipher_check_session(fd, &kat_ciphers[3]);
}

/* Large operations of every kind, forever, until killed. */
static void *kill_victim_thread(void *arg)
{
	static const uint8_t key[32] = { 42 };
	uint8_t iv[16] = { 0 }, mac[64];
	int fd = *(int *)arg;
	uint32_t cbc, sha, gcm, len, tag_len;
	uint8_t *buf = malloc(KILL_BIG + 64);

	if (!buf ||
	    cdev_session(fd, CRYPTO_AES_CBC, key, 32, 0, NULL, 0, &cbc) ||
	    cdev_session(fd, 0, NULL, 0, CRYPTO_SHA2_512, NULL, 0, &sha) ||
	    cdev_session(fd, CRYPTO_AES_GCM, key, 16, 0, NULL, 0, &gcm))
		_exit(3);
	memset(buf, 0x3c, KILL_BIG + 64);
	for (;;) {
		/* in place: the device writes the pages being freed */
		cdev_crypt(fd, cbc, COP_ENCRYPT, COP_FLAG_WRITE_IV, buf, buf,
			   KILL_BIG, iv, NULL);
		cdev_crypt(fd, sha, COP_ENCRYPT, COP_FLAG_UPDATE, buf, NULL,
			   KILL_BIG, NULL, NULL);
		cdev_crypt(fd, cbc, COP_DECRYPT, 0, buf + 1, buf + 7, 65536,
			   NULL, NULL);
		len = 65536, tag_len = 0;
		cdev_aead(fd, gcm, COP_ENCRYPT, buf, 64, buf, buf, &len,
			  &tag_len, iv, 12);
		cdev_crypt(fd, sha, COP_ENCRYPT, 0, buf, NULL, 100, NULL, mac);
	}
	return NULL;
}

static void kill_victim(void)
{
	pthread_t t[KILL_THREADS];
	int fd = cdev_open(), i;

	if (fd < 0)
		_exit(2);
	for (i = 0; i < KILL_THREADS; i++)
		pthread_create(&t[i], NULL, kill_victim_thread, &fd);
	for (;;)
		pause();
}

/* Checks known answers until its stdin closes; exits 0 if all matched. */
static void kill_witness(int stop_fd)
{
	int fd = cdev_open(), n = 0;
	char c;

	if (fd < 0)
		_exit(2);
	for (;;) {
		fd_set set;
		struct timeval tv = { 0, 0 };

		FD_ZERO(&set);
		FD_SET(stop_fd, &set);
		if (select(stop_fd + 1, &set, NULL, NULL, &tv) > 0 &&
		    read(stop_fd, &c, 1) <= 0)
			break;
		if (kill_check_kat(fd)) {
			fprintf(stderr, "witness: wrong answer after %d checks\n",
				n);
			_exit(1);
		}
		n++;
	}
	printf("    witness: %d known answers checked while victims died\n", n);
	fflush(stdout);
	_exit(n > 0 ? 0 : 4);
}

static void kill_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void killed_processes_leave_the_device_working(void **state)
{
	int stop[2], status, round, i, fd;
	pid_t witness, victims[KILL_VICTIMS];
	unsigned int seed = 12345;

	(void)state;
	assert_int_equal(pipe(stop), 0);
	fflush(NULL);	/* children must not repeat buffered output */
	witness = fork();
	assert_true(witness >= 0);
	if (witness == 0) {
		close(stop[1]);
		kill_witness(stop[0]);
	}
	close(stop[0]);

	for (round = 0; round < KILL_ROUNDS; round++) {
		for (i = 0; i < KILL_VICTIMS; i++) {
			victims[i] = fork();
			assert_true(victims[i] >= 0);
			if (victims[i] == 0)
				kill_victim();
		}
		/* from "still opening" to "deep in large requests" */
		kill_sleep_ms(rand_r(&seed) % 60);
		for (i = 0; i < KILL_VICTIMS; i++) {
			assert_int_equal(kill(victims[i], SIGKILL), 0);
			assert_int_equal(waitpid(victims[i], &status, 0),
					 victims[i]);
			if (!WIFSIGNALED(status) ||
			    WTERMSIG(status) != SIGKILL)
				fail_msg("victim ended with status %#x", status);
		}
	}

	close(stop[1]);
	assert_int_equal(waitpid(witness, &status, 0), witness);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	fd = cdev_open();
	assert_true(fd >= 0);
	assert_int_equal(kill_check_kat(fd), 0);
	close(fd);
}

/* A victim killed while others share its file: the survivors go on. */
static void threads_of_a_killed_process_do_not_disturb_other_files(void **state)
{
	int fd = cdev_open(), status, i;
	pid_t victim;

	(void)state;
	assert_true(fd >= 0);
	fflush(NULL);
	for (i = 0; i < 10; i++) {
		victim = fork();
		assert_true(victim >= 0);
		if (victim == 0)
			kill_victim();
		kill_sleep_ms(20 + 10 * (unsigned int)i);
		assert_int_equal(kill_check_kat(fd), 0);
		kill(victim, SIGKILL);
		assert_int_equal(waitpid(victim, &status, 0), victim);
		assert_int_equal(kill_check_kat(fd), 0);
	}
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killed_processes_leave_the_device_working),
		cmocka_unit_test(threads_of_a_killed_process_do_not_disturb_other_files),
	};

	cdev_require_device("test-cryptodev-kill");
	return cmocka_run_group_tests_name("cryptodev kill mid-request", tests,
					   NULL, NULL);
}
