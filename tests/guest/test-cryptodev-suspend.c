// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-guest: a suspend and resume of the device under an open file (the
 * kernel's pm_test "devices" level suspends every device, waits a few
 * seconds and resumes).  The device is reset across it and forgets its
 * sessions, so sessions from before are refused (EINVAL), never confused
 * with new ones; new sessions work; the open file stays usable.  Needs root
 * and CONFIG_PM_DEBUG.
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
#include <unistd.h>

#include <cmocka.h>

#include "cdev_util.h"
#include "kat_check.h"

static int suspend_kat_session(int fd, uint32_t *ses)
{
	const struct kat_cipher *k = &kat_ciphers[5];	/* CBC-AES256 */
	uint8_t key[32];

	kat_unhex(k->key, key, sizeof(key));
	return cdev_session(fd, k->alg, key, 32, 0, NULL, 0, ses);
}

static int suspend_kat(int fd, uint32_t ses)
{
	return kat_cipher_check(fd, ses, &kat_ciphers[5]);
}

/* pm_test "devices": every device suspended, then resumed. */
static int suspend_and_resume(void)
{
	int err;

	err = cdev_write_file("/sys/power/pm_test", "devices");
	if (!err)
		err = cdev_write_file("/sys/power/state", "freeze");
	cdev_write_file("/sys/power/pm_test", "none");
	return err;
}

static void sessions_from_before_a_suspend_are_refused_new_ones_work(void **state)
{
	uint32_t before[8], after[8];
	int fd = cdev_open(), i;

	(void)state;
	assert_true(fd >= 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(suspend_kat_session(fd, &before[i]), 0);
		assert_int_equal(suspend_kat(fd, before[i]), 0);
	}

	assert_int_equal(suspend_and_resume(), 0);

	/* the device was reset: new sessions, perhaps with reused handles */
	for (i = 0; i < 8; i++) {
		assert_int_equal(suspend_kat_session(fd, &after[i]), 0);
		assert_int_equal(suspend_kat(fd, after[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(suspend_kat(fd, before[i]), -EINVAL);
		/* freed locally, without touching a new session's handle */
		assert_int_equal(cdev_fsession(fd, before[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(suspend_kat(fd, after[i]), 0);
		assert_int_equal(cdev_fsession(fd, after[i]), 0);
	}
	close(fd);
}

/*
 * A resume that cannot set the queues up again (the debugfs fault
 * fail_restore) leaves none behind: calls fail with EIO instead of touching
 * freed queues, and remove() (an unbind) finds nothing to drain; binding
 * again repairs the device.
 */
static void failed_restore_leaves_no_queues_behind(void **state)
{
	const char *fault = cdev_fault0("fail_restore");
	uint32_t ses;
	int fd;

	(void)state;
	if (!fault)
		skip();
	fd = open("/dev/cryptodev0", O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(suspend_kat_session(fd, &ses), 0);
	assert_int_equal(cdev_write_file(fault, "Y"), 0);
	suspend_and_resume();	/* the device's failure is the kernel's log */

	assert_int_equal(suspend_kat(fd, ses), -EIO);
	assert_int_equal(suspend_kat_session(fd, &ses), -EIO);
	close(fd);
	assert_int_equal(cdev_rebind0(), 0);
	fd = cdev_open();
	assert_true(fd >= 0);
	assert_int_equal(suspend_kat_session(fd, &ses), 0);
	assert_int_equal(suspend_kat(fd, ses), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sessions_from_before_a_suspend_are_refused_new_ones_work),
		cmocka_unit_test(failed_restore_leaves_no_queues_behind),
	};

	cdev_require_device("test-cryptodev-suspend");
	if (geteuid() != 0 || access("/sys/power/pm_test", W_OK)) {
		printf("test-cryptodev-suspend: needs root and /sys/power/pm_test: suspend not tested\n");
		return 77;
	}
	return cmocka_run_group_tests_name("cryptodev suspend and resume", tests,
					   NULL, NULL);
}
