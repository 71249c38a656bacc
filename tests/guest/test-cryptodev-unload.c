// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: unloading virtio_cryptodev while files are open.  The module
 * stays (the kernel refuses, open files pin it) and the open file keeps
 * working; after the last close it unloads, and loading it again brings the
 * device nodes back.  Needs root and the module file: $VCD_MODULE, else
 * /lib/modules/virtio_cryptodev.ko or the kernel's extra/ directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

#define MODULE_NAME "virtio_cryptodev"

static char module_path[256];

static int unload_find_module(void)
{
	const char *env = getenv("VCD_MODULE");
	struct utsname u;

	if (env && *env) {
		snprintf(module_path, sizeof(module_path), "%s", env);
		return access(module_path, R_OK);
	}
	snprintf(module_path, sizeof(module_path),
		 "/lib/modules/" MODULE_NAME ".ko");
	if (access(module_path, R_OK) == 0)
		return 0;
	if (uname(&u) == 0) {
		snprintf(module_path, sizeof(module_path),
			 "/lib/modules/%s/extra/" MODULE_NAME ".ko", u.release);
		if (access(module_path, R_OK) == 0)
			return 0;
	}
	return -1;
}

static int unload_module(void)
{
	return syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) ? -errno : 0;
}

static int unload_load_module(void)
{
	int fd = open(module_path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return err;
}

static int unload_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/" MODULE_NAME, &st) == 0;
}

/* The driver probes and devtmpfs makes the node shortly after loading. */
static int unload_wait_for_device(void)
{
	struct timespec ts = { 0, 50 * 1000000L };
	int i, fd;

	for (i = 0; i < 200; i++) {
		fd = cdev_open();
		if (fd >= 0)
			return fd;
		nanosleep(&ts, NULL);
	}
	return -1;
}

static int unload_kat(int fd)
{
	return kat_cipher_check_session(fd, &kat_ciphers[0]);	/* ECB-AES128 */
}

static void rmmod_is_refused_while_a_file_is_open(void **state)
{
	int fd = cdev_open(), err;

	(void)state;
	assert_true(fd >= 0);
	err = unload_module();
	assert_true(err == -EWOULDBLOCK || err == -EBUSY);
	assert_true(unload_module_loaded());
	assert_int_equal(unload_kat(fd), 0);
	close(fd);
}

/* A CRIOGET descriptor alone pins the module just the same. */
static void a_crioget_descriptor_alone_keeps_the_module(void **state)
{
	int fd = cdev_open(), err;
	uint32_t cfd = 0;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ioctl(fd, CRIOGET, &cfd), 0);
	close(fd);
	err = unload_module();
	assert_true(err == -EWOULDBLOCK || err == -EBUSY);
	assert_int_equal(unload_kat((int)cfd), 0);
	close((int)cfd);
}

static void rmmod_succeeds_after_close_and_reload_restores_the_device(void **state)
{
	struct stat st;
	int fd, i, err = -1;

	(void)state;
	/* the last release may still be on its way out: retry briefly */
	for (i = 0; i < 50 && err; i++) {
		err = unload_module();
		if (err)
			usleep(100000);
	}
	assert_int_equal(err, 0);
	assert_false(unload_module_loaded());
	assert_int_not_equal(stat("/dev/cryptodev0", &st), 0);

	assert_int_equal(unload_load_module(), 0);
	fd = unload_wait_for_device();
	assert_true(fd >= 0);
	assert_int_equal(stat("/dev/cryptodev0", &st), 0);
	assert_int_equal(unload_kat(fd), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rmmod_is_refused_while_a_file_is_open),
		cmocka_unit_test(a_crioget_descriptor_alone_keeps_the_module),
		cmocka_unit_test(rmmod_succeeds_after_close_and_reload_restores_the_device),
	};

	cdev_require_device("test-cryptodev-unload");
	if (geteuid() != 0) {
		printf("test-cryptodev-unload: not root: module unloading not tested\n");
		return 77;
	}
	if (unload_find_module()) {
		printf("test-cryptodev-unload: no %s.ko found (set VCD_MODULE): module unloading not tested\n",
		       MODULE_NAME);
		return 77;
	}
	if (!unload_module_loaded()) {
		printf("test-cryptodev-unload: %s is built in, not a module: not tested\n",
		       MODULE_NAME);
		return 77;
	}
	return cmocka_run_group_tests_name("cryptodev module unload", tests,
					   NULL, NULL);
}
