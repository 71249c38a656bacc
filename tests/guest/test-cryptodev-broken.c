// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: a device that breaks its rings (the virtio core marks them
 * broken; here the driver's debugfs fault "break" does it) never leaves a
 * caller waiting for good.  The request in flight, later requests and new
 * sessions fail with EIO; unbinding and binding the device repairs it.
 * Needs root, debugfs and /dev/cryptodev0.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

#define BR_NODE		"/sys/class/misc/cryptodev0"
#define BR_LEN		(1u << 20)

static double br_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct br_worker {
	int fd;
	uint32_t ses;
	uint8_t *buf;
	unsigned long ops;
	int err;
	volatile int done;
	double when;		/* of the failure */
};

/* Large requests, one after another, until one fails. */
static void *br_worker_main(void *arg)
{
	struct br_worker *w = arg;
	uint8_t iv[16] = { 0 };

	while (!(w->err = cdev_crypt(w->fd, w->ses, COP_ENCRYPT, 0, w->buf,
				     w->buf, BR_LEN, iv, NULL)))
		w->ops++;
	w->when = br_now();
	w->done = 1;
	return NULL;
}

static const char *br_break;	/* the debugfs fault */

static void broken_ring_gives_eio_instead_of_a_wait_forever(void **state)
{
	static const uint8_t key[16] = { 5 };
	struct br_worker w = { 0 };
	struct timespec deadline;
	uint32_t ses;
	pthread_t t;
	double broke;
	int fd;

	(void)state;
	w.fd = fd = open("/dev/cryptodev0", O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	w.buf = calloc(1, BR_LEN);
	assert_non_null(w.buf);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CTR, key, sizeof(key), 0,
				      NULL, 0, &w.ses), 0);
	assert_int_equal(pthread_create(&t, NULL, br_worker_main, &w), 0);
	usleep(500 * 1000);

	broke = br_now();
	assert_int_equal(cdev_write_file(br_break, "1"), 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 20;
	if (pthread_timedjoin_np(t, NULL, &deadline)) {
		/* still waiting: the bug; leave the thread to the exit */
		fail_msg("a request on the broken ring still waits after 20 s\n");
	}
	printf("worker: %lu requests, then %s after %.2f s\n", w.ops,
	       strerror(-w.err), w.when - broke);
	assert_int_equal(w.err, -EIO);

	/* later calls fail at once or after a look at the ring, never hang */
	assert_int_equal(cdev_crypt(fd, w.ses, COP_ENCRYPT, 0, w.buf, w.buf,
				    16, NULL, NULL), -EIO);
	assert_int_equal(cdev_session(fd, CRYPTO_AES_CBC, key, sizeof(key), 0,
				      NULL, 0, &ses), -EIO);
	close(fd);

	assert_int_equal(cdev_rebind0(), 0);
	fd = cdev_open();
	assert_true(fd >= 0);
	assert_int_equal(kat_cipher_check_session(fd, &kat_ciphers[5]), 0);
	close(fd);
	free(w.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(broken_ring_gives_eio_instead_of_a_wait_forever),
	};
	struct stat st;

	if (getuid() != 0 || stat(BR_NODE, &st)) {
		printf("test-cryptodev-broken: needs root and /dev/cryptodev0: not tested\n");
		return 77;
	}
	br_break = cdev_fault0("break");
	if (!br_break) {
		printf("test-cryptodev-broken: no debugfs fault \"break\": not tested\n");
		return 77;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests_name("cryptodev broken ring", tests, NULL,
					   NULL);
}
