/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the in-guest tests of the cryptodev ABI: opening the
 * device, thin ioctl wrappers that return 0 or -errno, hex vectors and the
 * driver's limits from sysfs.
 */
#ifndef CDEV_UTIL_H
#define CDEV_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <crypto/cryptodev.h>

/* The device every test opens: /dev/crypto, or $VC_TEST_DEVICE. */
const char *cdev_path(void);

/* Open the device read-write; -errno on failure. */
int cdev_open(void);

/* Exit 77 with a reason when the device cannot be opened. */
void cdev_require_device(const char *suite);

/* Read an unsigned attribute of the device's sysfs node; -errno. */
int cdev_sysfs_u32(int fd, const char *attr, uint32_t *out);

int cdev_session(int fd, uint32_t cipher, const void *key, uint32_t keylen,
		 uint32_t mac, const void *mackey, uint32_t mackeylen,
		 uint32_t *ses);
int cdev_fsession(int fd, uint32_t ses);
int cdev_crypt(int fd, uint32_t ses, int op, int flags, const void *src,
	       void *dst, uint32_t len, void *iv, void *mac);
/*
 * One CIOCAUTHCRYPT with @caop filled from the arguments; @caop holds the
 * struct as the driver wrote it back (len, tag_len, tag).
 */
int cdev_authcrypt(int fd, struct crypt_auth_op *caop, uint32_t ses, int op,
		   const void *aad, uint32_t aad_len, const void *src,
		   void *dst, uint32_t len, uint32_t tag_len, const void *iv,
		   uint32_t iv_len);
/* len in: input bytes; out: output bytes.  tag_len in: 0 = full; out: used */
int cdev_aead(int fd, uint32_t ses, int op, const void *aad,
	      uint32_t aad_len, const void *src, void *dst, uint32_t *len,
	      uint32_t *tag_len, const void *iv, uint32_t iv_len);

/* Write @text to the file at @path (sysfs, debugfs); 0 or -errno. */
int cdev_write_file(const char *path, const char *text);

/*
 * Unbind /dev/cryptodev0's virtio device from the driver and bind it again
 * (remove() and probe()), then wait for the node; 0 or -errno.
 */
int cdev_rebind0(void);

/*
 * The debugfs fault file @name of cryptodev0, debugfs mounted if need be;
 * NULL when there is none.
 */
const char *cdev_fault0(const char *name);

#endif /* CDEV_UTIL_H */
