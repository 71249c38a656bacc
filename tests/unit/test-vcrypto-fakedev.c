/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An emulated cryptodev device, so that the cryptodev engine's ioctl
 * marshalling runs on every host (this one has no /dev/crypto).
 *
 * Linked with -Wl,--wrap=ioctl into a second build of test-vcrypto: ioctls on
 * /dev/zero are answered here the way cryptodev-linux 1.14 answers them,
 * quirks included (docs/cryptodev-abi.md), computing with the library's soft
 * engine; all other ioctls go to the C library.  The known answers still come from the
 * standards, so a marshalling error (IV write-back, tag placement, digest
 * pointer, session ids) shows up as a wrong answer.  The real device is
 * tested by running test-vcrypto with --device in the guest.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vcrypto.h"

#define FAKEDEV_PATH	"/dev/zero"
#define FAKEDEV_MAX	64

int __wrap_ioctl(int fd, unsigned long request, ...);
int __real_ioctl(int fd, unsigned long request, ...);

static struct vc_engine *fakedev_soft;
static struct fakedev_session {
	uint32_t id;
	int is_hash;
	int finished;		/* hash state wiped by a final */
	struct vc_session *s;
} fakedev_sessions[FAKEDEV_MAX];
static uint32_t fakedev_next_id = 0x5eed0001;

__attribute__((constructor)) static void fakedev_init(void)
{
	/* test-vcrypto's main() then runs the cryptodev group on it. */
	setenv("VC_TEST_DEVICE", FAKEDEV_PATH, 1);
}

static int fakedev_is_ours(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       st.st_rdev == makedev(1, 5);
}

static struct fakedev_session *fakedev_find(uint32_t id)
{
	size_t i;

	for (i = 0; i < FAKEDEV_MAX; i++)
		if (fakedev_sessions[i].s && fakedev_sessions[i].id == id)
			return &fakedev_sessions[i];
	return NULL;
}

static int fakedev_gsession(struct session_op *sop)
{
	struct vc_session_params p = {
		.cipher = sop->cipher, .mac = sop->mac,
		.key = sop->key, .keylen = sop->keylen,
		.mackey = sop->mackey, .mackeylen = sop->mackeylen,
	};
	size_t i;
	int ret;

	if (!fakedev_soft && vc_engine_open_soft(&fakedev_soft))
		return -ENOMEM;
	for (i = 0; i < FAKEDEV_MAX; i++) {
		if (fakedev_sessions[i].s)
			continue;
		ret = vc_session_new(fakedev_soft, &p, &fakedev_sessions[i].s);
		if (ret)
			return ret;
		fakedev_sessions[i].id = fakedev_next_id;
		fakedev_sessions[i].is_hash = sop->mac != 0;
		fakedev_sessions[i].finished = 0;
		fakedev_next_id += 0x101;
		sop->ses = fakedev_sessions[i].id;
		return 0;
	}
	return -ENOMEM;
}

static int fakedev_fsession(const uint32_t *ses)
{
	struct fakedev_session *fs = fakedev_find(*ses);

	if (!fs)
		return -ENOENT;
	vc_session_free(fs->s);
	fs->s = NULL;
	return 0;
}

/*
 * cryptodev-linux's hash flags, corners included: no flags resets first,
 * UPDATE with len 0 finishes, and a finished state is wiped until a reset
 * (the kernel would hash on zeroed state; here that is an error).
 */
static int fakedev_hash(struct fakedev_session *fs, struct crypt_op *cop)
{
	int ret;

	if (cop->flags == 0 || (cop->flags & COP_FLAG_RESET)) {
		ret = vc_hash(fs->s, NULL, 0, COP_FLAG_RESET | COP_FLAG_UPDATE,
			      NULL);
		if (ret)
			return ret;
		fs->finished = 0;
	}
	if (fs->finished)
		return -EIO;
	if (cop->len) {
		ret = vc_hash(fs->s, cop->src, cop->len, COP_FLAG_UPDATE, NULL);
		if (ret)
			return ret;
	}
	if ((cop->flags & COP_FLAG_FINAL) || !(cop->flags & COP_FLAG_UPDATE) ||
	    cop->len == 0) {
		fs->finished = 1;
		return vc_hash(fs->s, NULL, 0, COP_FLAG_FINAL, cop->mac);
	}
	return 0;
}

static int fakedev_crypt(struct crypt_op *cop)
{
	struct fakedev_session *fs = fakedev_find(cop->ses);

	if (!fs)
		return -EINVAL;
	if (!cop->src)
		return -EFAULT;
	if (fs->is_hash)
		return fakedev_hash(fs, cop);
	/* A NULL iv continues; WRITE_IV writes the next IV over it. */
	return vc_cipher(fs->s, cop->op, cop->src, cop->dst, cop->len, cop->iv,
			 (cop->flags & COP_FLAG_WRITE_IV) ? cop->iv : NULL);
}

static int fakedev_authcrypt(struct crypt_auth_op *cao)
{
	struct fakedev_session *fs = fakedev_find(cao->ses);
	size_t outlen;
	int ret;

	if (!fs)
		return -EINVAL;
	ret = vc_aead(fs->s, cao->op, cao->iv, cao->iv_len, cao->auth_src,
		      cao->auth_len, cao->src, cao->len, cao->dst, cao->tag_len,
		      &outlen);
	if (ret)
		return ret;
	if (cao->tag_len == 0)
		cao->tag_len = 16;
	cao->len = (uint32_t)outlen;
	return 0;
}

/*
 * CIOCCPHASH: one id for both is EDEADLK and an unknown id ENOENT, as
 * cryptodev-linux answers.
 */
static int fakedev_cphash(const struct cphash_op *cp)
{
	struct fakedev_session *dst = fakedev_find(cp->dst_ses);
	struct fakedev_session *src = fakedev_find(cp->src_ses);
	int ret;

	if (cp->dst_ses == cp->src_ses)
		return -EDEADLK;
	if (!dst || !src)
		return -ENOENT;
	ret = vc_hash_copy(dst->s, src->s);
	if (ret == 0)
		dst->finished = src->finished;
	return ret;
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!fakedev_is_ours(fd))
		return __real_ioctl(fd, request, arg);
	switch (request) {
	case CIOCGSESSION:
		ret = fakedev_gsession(arg);
		break;
	case CIOCFSESSION:
		ret = fakedev_fsession(arg);
		break;
	case CIOCCRYPT:
		ret = fakedev_crypt(arg);
		break;
	case CIOCAUTHCRYPT:
		ret = fakedev_authcrypt(arg);
		break;
	case CIOCCPHASH:
		ret = fakedev_cphash(arg);
		break;
	default:
		ret = -ENOTTY;
	}
	if (ret) {
		errno = -ret;
		return -1;
	}
	return 0;
}
