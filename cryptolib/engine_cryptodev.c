/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cryptodev engine: the cryptodev-linux ioctl API on a device node,
 * /dev/crypto on a host with cryptodev-linux or /dev/cryptodevN in a guest
 * with virtio_cryptodev.ko.
 *
 * The current IV of a cipher session lives here, in userspace, and goes to
 * the device with every operation under COP_FLAG_WRITE_IV.  That makes
 * iv == NULL chaining and iv_out behave the same on every device, whether or
 * not it keeps an IV per session itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "engine.h"

struct cdev_engine {
	struct vc_engine base;
	int fd;
};

struct cdev_session {
	struct vc_session base;
	int fd;
	uint32_t ses;
	uint8_t iv[VC_MAX_IV];
	int hash_restart;	/* the next hash op starts a new message */
};

static const struct vc_engine_ops cdev_ops;

static void cdev_set_err(char *err, size_t errlen, const char *device,
			 int errnum)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", device, strerror(errnum));
}

/*
 * Prove that the file speaks the cryptodev ABI by making and dropping an
 * AES-128-CBC session, the one algorithm every cryptodev device has.  Any
 * other character device (or a regular file) fails here with a clear message
 * instead of at the first real operation.
 */
static int cdev_probe(int fd)
{
	static const uint8_t key[16];
	struct session_op sop;

	memset(&sop, 0, sizeof(sop));
	sop.cipher = CRYPTO_AES_CBC;
	sop.keylen = sizeof(key);
	sop.key = (uint8_t *)key;
	if (ioctl(fd, CIOCGSESSION, &sop) < 0)
		return -errno;
	ioctl(fd, CIOCFSESSION, &sop.ses);
	return 0;
}

int vc_cryptodev_engine_new(struct vc_engine **out, const char *device,
			    char *err, size_t errlen)
{
	struct cdev_engine *ce;
	int fd, ret;

	fd = open(device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		cdev_set_err(err, errlen, device, -ret);
		return ret;
	}
	ret = cdev_probe(fd);
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen,
				 "%s: not a usable cryptodev device "
				 "(CIOCGSESSION: %s)", device, strerror(-ret));
		close(fd);
		return ret;
	}
	ce = calloc(1, sizeof(*ce));
	if (!ce) {
		close(fd);
		cdev_set_err(err, errlen, device, ENOMEM);
		return -ENOMEM;
	}
	ce->base.ops = &cdev_ops;
	ce->fd = fd;
	snprintf(ce->base.name, sizeof(ce->base.name), "cryptodev (%s)",
		 device);
	*out = &ce->base;
	return 0;
}

static void cdev_close(struct vc_engine *e)
{
	struct cdev_engine *ce = (struct cdev_engine *)e;

	/* Closing the file frees every session the device still holds. */
	close(ce->fd);
	free(ce);
}

static int cdev_session_new(struct vc_engine *e,
			    const struct vc_session_params *p,
			    const struct vc_alg_info *alg,
			    struct vc_session **out)
{
	struct cdev_engine *ce = (struct cdev_engine *)e;
	struct cdev_session *cs;
	struct session_op sop;

	memset(&sop, 0, sizeof(sop));
	sop.cipher = p->cipher;
	sop.mac = p->mac;
	sop.keylen = (uint32_t)p->keylen;
	sop.key = (uint8_t *)p->key;
	sop.mackeylen = (uint32_t)p->mackeylen;
	sop.mackey = (uint8_t *)p->mackey;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	if (ioctl(ce->fd, CIOCGSESSION, &sop) < 0) {
		int ret = -errno;

		free(cs);
		return ret;
	}
	cs->base.engine = e;
	cs->base.alg = alg;
	cs->fd = ce->fd;
	cs->ses = sop.ses;
	cs->hash_restart = 1;
	*out = &cs->base;
	return 0;
}

static void cdev_session_free(struct vc_session *s)
{
	struct cdev_session *cs = (struct cdev_session *)s;

	ioctl(cs->fd, CIOCFSESSION, &cs->ses);
	free(cs);
}

static int cdev_cipher(struct vc_session *s, int op, const uint8_t *src,
		       uint8_t *dst, size_t len, const uint8_t *iv,
		       uint8_t *iv_out)
{
	struct cdev_session *cs = (struct cdev_session *)s;
	size_t ivsize = s->alg->iv_size;
	uint8_t cur[VC_MAX_IV];
	struct crypt_op cop;

	if (len > UINT32_MAX)
		return -EINVAL;
	/* Work on a copy so a failed operation leaves the session's IV. */
	if (ivsize)
		memcpy(cur, iv ? iv : cs->iv, ivsize);
	if (len) {
		memset(&cop, 0, sizeof(cop));
		cop.ses = cs->ses;
		cop.op = (uint16_t)op;
		cop.len = (uint32_t)len;
		cop.src = (uint8_t *)src;
		cop.dst = dst;
		if (ivsize) {
			cop.iv = cur;
			/*
			 * An XTS tweak stays as given (the soft engine's and
			 * Linux's generic xts rule); some host drivers leave
			 * their working tweak in the IV, which must not leak
			 * into the next call.
			 */
			if (s->alg->id != CRYPTO_AES_XTS)
				cop.flags = COP_FLAG_WRITE_IV;
		}
		if (ioctl(cs->fd, CIOCCRYPT, &cop) < 0)
			return -errno;
	}
	if (ivsize) {
		memcpy(cs->iv, cur, ivsize);
		if (iv_out)
			memcpy(iv_out, cur, ivsize);
	}
	return 0;
}

/*
 * cryptodev-linux's hash flags have corners our API does not: no flags at all
 * resets before hashing, UPDATE with len 0 finishes, and after a finish the
 * kernel's state is wiped, so the next message needs an explicit RESET.  We
 * therefore send only UPDATE (len > 0) or FINAL, each with RESET when a new
 * message starts, which means the same on every cryptodev device.
 */
static int cdev_hash(struct vc_session *s, const uint8_t *src, size_t len,
		     unsigned flags, uint8_t *digest)
{
	struct cdev_session *cs = (struct cdev_session *)s;
	int finish = !(flags & COP_FLAG_UPDATE) || (flags & COP_FLAG_FINAL);
	uint8_t md[VC_MAX_DIGEST];
	uint8_t none = 0;
	struct crypt_op cop;

	if (len > UINT32_MAX)
		return -EINVAL;
	if (flags & COP_FLAG_RESET)
		cs->hash_restart = 1;
	if (!finish && len == 0)
		return 0;
	memset(&cop, 0, sizeof(cop));
	cop.ses = cs->ses;
	cop.op = COP_ENCRYPT;
	cop.flags = finish ? COP_FLAG_FINAL : COP_FLAG_UPDATE;
	if (cs->hash_restart)
		cop.flags |= COP_FLAG_RESET;
	cop.len = (uint32_t)len;
	/* Some devices refuse a NULL src even for zero bytes. */
	cop.src = len ? (uint8_t *)src : &none;
	/* The device writes the digest here; the caller's buffer may be NULL. */
	cop.mac = md;
	if (ioctl(cs->fd, CIOCCRYPT, &cop) < 0)
		return -errno;
	cs->hash_restart = finish;
	if (finish)
		memcpy(digest, md, s->alg->digest_size);
	return 0;
}

/*
 * Through the device's CIOCCPHASH.  A source between messages (fresh, or
 * just finished) has no state worth copying -- after a finish the kernel's
 * is wiped -- so the destination simply starts a new message, which needs
 * no device support at all.
 */
static int cdev_hash_copy(struct vc_session *dst, struct vc_session *src)
{
	struct cdev_session *d = (struct cdev_session *)dst;
	const struct cdev_session *s = (struct cdev_session *)src;
	struct cphash_op cp;

	if (s->hash_restart) {
		d->hash_restart = 1;
		return 0;
	}
	memset(&cp, 0, sizeof(cp));
	cp.dst_ses = d->ses;
	cp.src_ses = s->ses;
	if (ioctl(d->fd, CIOCCPHASH, &cp) < 0)
		return errno == ENOTTY ? -EOPNOTSUPP : -errno;
	d->hash_restart = 0;
	return 0;
}

static int cdev_aead(struct vc_session *s, int op, const uint8_t *iv,
		     size_t ivlen, const uint8_t *aad, size_t aadlen,
		     const uint8_t *src, size_t len, uint8_t *dst,
		     size_t taglen, size_t *outlen)
{
	struct cdev_session *cs = (struct cdev_session *)s;
	struct crypt_auth_op cao;
	uint8_t none = 0;

	if (len > UINT32_MAX - VC_AEAD_MAX_TAG || aadlen > UINT32_MAX)
		return -EINVAL;
	/*
	 * cryptodev-linux copies min(12, iv_len) nonce bytes and keeps stale
	 * bytes for the rest: refuse rather than compute something else.
	 */
	if (ivlen != 12)
		return -EINVAL;
	memset(&cao, 0, sizeof(cao));
	cao.ses = cs->ses;
	cao.op = (uint16_t)op;
	cao.len = (uint32_t)len;
	cao.auth_len = (uint32_t)aadlen;
	cao.auth_src = aadlen ? (uint8_t *)aad : NULL;
	cao.src = len ? (uint8_t *)src : &none;
	cao.dst = dst ? dst : &none;
	cao.tag_len = (uint32_t)taglen;
	cao.iv = (uint8_t *)iv;
	cao.iv_len = (uint32_t)ivlen;
	if (ioctl(cs->fd, CIOCAUTHCRYPT, &cao) < 0) {
		int ret = -errno;

		/* As the soft engine: no unauthenticated plaintext escapes. */
		if (op == COP_DECRYPT && dst && len > taglen)
			memset(dst, 0, len - taglen);
		*outlen = 0;
		return ret;
	}
	*outlen = op == COP_ENCRYPT ? len + taglen : len - taglen;
	return 0;
}

static const struct vc_engine_ops cdev_ops = {
	.kind = VC_ENGINE_CRYPTODEV,
	.close = cdev_close,
	.session_new = cdev_session_new,
	.session_free = cdev_session_free,
	.cipher = cdev_cipher,
	.hash = cdev_hash,
	.hash_copy = cdev_hash_copy,
	.aead = cdev_aead,
};
