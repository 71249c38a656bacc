// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers for the in-guest cryptodev tests; see cdev_util.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cdev_util.h"

const char *cdev_path(void)
{
	const char *p = getenv("VC_TEST_DEVICE");

	return p && *p ? p : "/dev/crypto";
}

int cdev_open(void)
{
	int fd = open(cdev_path(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void cdev_require_device(const char *suite)
{
	int fd = cdev_open();

	if (fd < 0) {
		printf("%s: cannot open %s (%s): the cryptodev device is not tested\n",
		       suite, cdev_path(), strerror(-fd));
		exit(77);
	}
	close(fd);
}

int cdev_sysfs_u32(int fd, const char *attr, uint32_t *out)
{
	char path[128];
	struct stat st;
	unsigned long v;
	FILE *f;
	int n;

	if (fstat(fd, &st) < 0)
		return -errno;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/%s",
		 major(st.st_rdev), minor(st.st_rdev), attr);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fscanf(f, "%lu", &v);
	fclose(f);
	if (n != 1)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int cdev_session(int fd, uint32_t cipher, const void *key, uint32_t keylen,
		 uint32_t mac, const void *mackey, uint32_t mackeylen,
		 uint32_t *ses)
{
	struct session_op sop;

	memset(&sop, 0, sizeof(sop));
	sop.cipher = cipher;
	sop.key = (uint8_t *)key;
	sop.keylen = keylen;
	sop.mac = mac;
	sop.mackey = (uint8_t *)mackey;
	sop.mackeylen = mackeylen;
	if (ioctl(fd, CIOCGSESSION, &sop) < 0)
		return -errno;
	*ses = sop.ses;
	return 0;
}

int cdev_fsession(int fd, uint32_t ses)
{
	return ioctl(fd, CIOCFSESSION, &ses) < 0 ? -errno : 0;
}

int cdev_crypt(int fd, uint32_t ses, int op, int flags, const void *src,
	       void *dst, uint32_t len, void *iv, void *mac)
{
	struct crypt_op cop;

	memset(&cop, 0, sizeof(cop));
	cop.ses = ses;
	cop.op = (uint16_t)op;
	cop.flags = (uint16_t)flags;
	cop.len = len;
	cop.src = (uint8_t *)src;
	cop.dst = dst;
	cop.iv = iv;
	cop.mac = mac;
	return ioctl(fd, CIOCCRYPT, &cop) < 0 ? -errno : 0;
}

int cdev_authcrypt(int fd, struct crypt_auth_op *caop, uint32_t ses, int op,
		   const void *aad, uint32_t aad_len, const void *src,
		   void *dst, uint32_t len, uint32_t tag_len, const void *iv,
		   uint32_t iv_len)
{
	memset(caop, 0, sizeof(*caop));
	caop->ses = ses;
	caop->op = (uint16_t)op;
	caop->len = len;
	caop->auth_src = (uint8_t *)aad;
	caop->auth_len = aad_len;
	caop->src = (uint8_t *)src;
	caop->dst = dst;
	caop->tag_len = tag_len;
	caop->iv = (uint8_t *)iv;
	caop->iv_len = iv_len;
	return ioctl(fd, CIOCAUTHCRYPT, caop) < 0 ? -errno : 0;
}

int cdev_aead(int fd, uint32_t ses, int op, const void *aad,
	      uint32_t aad_len, const void *src, void *dst, uint32_t *len,
	      uint32_t *tag_len, const void *iv, uint32_t iv_len)
{
	struct crypt_auth_op caop;
	int err;

	err = cdev_authcrypt(fd, &caop, ses, op, aad, aad_len, src, dst, *len,
			     *tag_len, iv, iv_len);
	if (err)
		return err;
	*len = caop.len;
	*tag_len = caop.tag_len;
	return 0;
}

int cdev_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

#define CDEV_DRIVER "/sys/bus/virtio/drivers/virtio_cryptodev/"

int cdev_rebind0(void)
{
	char link[PATH_MAX], *dev;
	ssize_t n;
	int err, i;

	n = readlink("/sys/class/misc/cryptodev0/device", link,
		     sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = 0;
	dev = basename(link);
	err = cdev_write_file(CDEV_DRIVER "unbind", dev);
	if (!err)
		err = cdev_write_file(CDEV_DRIVER "bind", dev);
	for (i = 0; !err && i < 100 && access("/dev/cryptodev0", F_OK); i++)
		usleep(100 * 1000);
	return err;
}

const char *cdev_fault0(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/virtio_cryptodev/cryptodev0/%s", name);
	if (access(path, W_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	return access(path, W_OK) ? NULL : path;
}
