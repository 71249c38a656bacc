// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest companion of hot-unplug: keeps the device open with requests in
 * flight while something outside takes the device away (device_del in the
 * QEMU monitor, or an unbind in sysfs), and checks that every call then
 * fails with ENODEV (or ENXIO) instead of hanging or crashing.
 *
 *   test-cryptodev-unplug [--ready FILE] [--timeout SEC]
 *       run until the device disappears; FILE is created once requests
 *       are flowing.  Exit 0: results were right, then the device was
 *       cleanly gone; 1: a wrong result or errno; 2: setup; 3: timeout.
 *   test-cryptodev-unplug --check
 *       one known-answer operation (is the device back?).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cdev_ref.h"
#include "cdev_util.h"
#include "kat_check.h"

#define UNPLUG_BIG	(256 * 1024)

struct unplug_worker {
	int fd;
	int big;		/* large requests, else known-answer ones */
	unsigned long ops;
	int err;		/* first failure: -errno, or 1 for a bad result */
};

static volatile int unplug_stop;

static int unplug_gone_errno(int err)
{
	return err == -ENODEV || err == -ENXIO;
}

static int unplug_kat(int fd, uint32_t ses)
{
	return kat_cipher_check(fd, ses, &kat_ciphers[4]);	/* CBC-AES192 */
}

static int unplug_kat_session(int fd, uint32_t *ses)
{
	const struct kat_cipher *k = &kat_ciphers[4];
	uint8_t key[24];

	kat_unhex(k->key, key, sizeof(key));
	return cdev_session(fd, k->alg, key, 24, 0, NULL, 0, ses);
}

static void *unplug_run(void *arg)
{
	static const uint8_t key[16] = { 0x11 };
	struct unplug_worker *w = arg;
	uint8_t *buf = NULL, *ref = NULL, iv[16], riv[16];
	uint32_t ses;
	int err;

	err = w->big ? cdev_session(w->fd, CRYPTO_AES_CBC, key, 16, 0, NULL, 0,
				    &ses) :
		       unplug_kat_session(w->fd, &ses);
	if (err) {
		w->err = err;
		return NULL;
	}
	if (w->big) {
		buf = malloc(UNPLUG_BIG);
		ref = malloc(UNPLUG_BIG);
		if (!buf || !ref) {
			w->err = -ENOMEM;
			return NULL;
		}
	}
	while (!unplug_stop) {
		if (w->big) {
			memset(buf, (int)w->ops, UNPLUG_BIG);
			memset(iv, (int)w->ops * 3, 16);
			memcpy(riv, iv, 16);
			ref_cipher(CRYPTO_AES_CBC, 0, key, 16, riv, buf, ref,
				   UNPLUG_BIG);
			err = cdev_crypt(w->fd, ses, COP_ENCRYPT, 0, buf, buf,
					 UNPLUG_BIG, iv, NULL);
			if (!err && memcmp(buf, ref, UNPLUG_BIG))
				err = 1;
		} else {
			err = unplug_kat(w->fd, ses);
		}
		if (err) {
			w->err = err;
			break;
		}
		w->ops++;
	}
	free(buf);
	free(ref);
	return NULL;
}

static int unplug_check(void)
{
	uint32_t ses;
	int fd = cdev_open(), err;

	if (fd < 0) {
		printf("unplug: cannot open %s: %s\n", cdev_path(),
		       strerror(-fd));
		return 1;
	}
	err = unplug_kat_session(fd, &ses);
	if (!err)
		err = unplug_kat(fd, ses);
	close(fd);
	if (err) {
		printf("unplug: the device does not answer: %s\n",
		       err < 0 ? strerror(-err) : "wrong result");
		return 1;
	}
	printf("unplug: the device answers known vectors\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	int timeout = 120, fd, i, bad = 0, err;
	struct unplug_worker w[2];
	pthread_t t[2];
	uint32_t cfd = 0, ses;
	time_t start;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			return unplug_check();
		if (!strcmp(argv[i], "--ready") && i + 1 < argc)
			ready = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--ready FILE] [--timeout SEC] | --check\n",
				argv[0]);
			return 2;
		}
	}

	fd = cdev_open();
	if (fd < 0) {
		printf("unplug: cannot open %s: %s\n", cdev_path(),
		       strerror(-fd));
		return 2;
	}
	/* a CRIOGET clone outlives the device the same way */
	if (ioctl(fd, CRIOGET, &cfd) < 0) {
		perror("unplug: CRIOGET");
		return 2;
	}
	w[0] = (struct unplug_worker){ .fd = fd, .big = 0 };
	w[1] = (struct unplug_worker){ .fd = (int)cfd, .big = 1 };
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, unplug_run, &w[i]);

	start = time(NULL);
	while (!w[0].ops || !w[1].ops) {
		if (w[0].err || w[1].err || time(NULL) - start > timeout)
			break;
		usleep(10000);
	}
	if (ready && w[0].ops && w[1].ops) {
		int rfd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (rfd >= 0)
			close(rfd);
		printf("unplug: requests flowing, waiting for the device to go\n");
		fflush(stdout);
	}
	/* the first failure is the device going away; then all must fail */
	while (!w[0].err && !w[1].err && time(NULL) - start <= timeout)
		usleep(10000);
	if (!w[0].err && !w[1].err) {
		unplug_stop = 1;
		for (i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		printf("unplug: the device was still there after %d s\n",
		       timeout);
		return 3;
	}
	for (i = 0; i < 2; i++) {
		/* the other worker fails on its next request */
		pthread_join(t[i], NULL);
		printf("unplug: %s requests: %lu right, then %s\n",
		       w[i].big ? "large" : "known-answer", w[i].ops,
		       w[i].err < 0 ? strerror(-w[i].err) : "a WRONG result");
		if (!unplug_gone_errno(w[i].err))
			bad++;
	}

	/* every later call on the open files says the device is gone */
	err = unplug_kat_session(fd, &ses);
	if (!unplug_gone_errno(err)) {
		printf("unplug: CIOCGSESSION after removal: %s\n",
		       err ? strerror(-err) : "succeeded");
		bad++;
	}
	if (ioctl(fd, CRIOGET, &cfd) == 0 || !unplug_gone_errno(-errno)) {
		printf("unplug: CRIOGET after removal did not fail with ENODEV\n");
		bad++;
	}
	if (close(fd) || close((int)w[1].fd)) {
		perror("unplug: close");
		bad++;
	}
	if (!bad)
		printf("unplug: device removal seen cleanly (ENODEV)\n");
	return bad ? 1 : 0;
}
