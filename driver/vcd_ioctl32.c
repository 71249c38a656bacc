// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 32-bit callers on a 64-bit kernel (compat_ioctl).  Their structs hold
 * 32-bit pointers, so session_op, crypt_op and crypt_auth_op have other
 * sizes - and the ioctl numbers, which encode the size, other values.
 * Each is translated to the 64-bit struct and served by the same core as
 * a 64-bit caller's (CIOCASYNCCRYPT and CIOCASYNCFETCH included); written
 * back the same way.  The ioctls whose
 * argument holds no pointer (CRIOGET, CIOCFSESSION, CIOCGSESSINFO,
 * CIOCASYMFEAT, CIOCCPHASH) have one layout and one number in both
 * worlds and go to vcd_ioctl() as they are.
 */

#include "vcd.h"

struct vcd_session_op32 {
	u32 cipher;
	u32 mac;
	u32 keylen;
	compat_uptr_t key;
	u32 mackeylen;
	compat_uptr_t mackey;
	u32 ses;
};

struct vcd_crypt_op32 {
	u32 ses;
	u16 op;
	u16 flags;
	u32 len;
	compat_uptr_t src;
	compat_uptr_t dst;
	compat_uptr_t mac;
	compat_uptr_t iv;
};

struct vcd_crypt_auth_op32 {
	u32 ses;
	u16 op;
	u16 flags;
	u32 len;
	u32 auth_len;
	compat_uptr_t auth_src;
	compat_uptr_t src;
	compat_uptr_t dst;
	compat_uptr_t tag;
	u32 tag_len;
	compat_uptr_t iv;
	u32 iv_len;
};

/* What an i386 program's <crypto/cryptodev.h> makes of them. */
static_assert(sizeof(struct vcd_session_op32) == 28);
static_assert(sizeof(struct vcd_crypt_op32) == 28);
static_assert(sizeof(struct vcd_crypt_auth_op32) == 44);

#define VCD_CIOCGSESSION32	_IOWR('c', 102, struct vcd_session_op32)
#define VCD_CIOCCRYPT32		_IOWR('c', 104, struct vcd_crypt_op32)
#define VCD_CIOCAUTHCRYPT32	_IOWR('c', 109, struct vcd_crypt_auth_op32)
#define VCD_CIOCASYNCCRYPT32	_IOW('c', 110, struct vcd_crypt_op32)
#define VCD_CIOCASYNCFETCH32	_IOR('c', 111, struct vcd_crypt_op32)

static int vcd_compat_gsession(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_session_op32 sop32;
	struct vcd_session *sess;
	struct session_op sop;
	int err;

	if (copy_from_user(&sop32, uarg, sizeof(sop32)))
		return -EFAULT;
	sop = (struct session_op) {
		.cipher = sop32.cipher,
		.mac = sop32.mac,
		.keylen = sop32.keylen,
		.key = compat_ptr(sop32.key),
		.mackeylen = sop32.mackeylen,
		.mackey = compat_ptr(sop32.mackey),
	};
	err = vcd_session_new(vf, &sop, &sess);
	if (err)
		return err;
	sop32.ses = sop.ses;
	return vcd_session_publish(vf, sess, copy_to_user(uarg, &sop32,
							  sizeof(sop32)) ?
					     -EFAULT : 0);
}

/* For CIOCCRYPT and the asynchronous calls, which take a crypt_op too. */
static int vcd_crypt_op_from_compat(struct crypt_op *cop,
				    const void __user *uarg)
{
	struct vcd_crypt_op32 cop32;

	if (copy_from_user(&cop32, uarg, sizeof(cop32)))
		return -EFAULT;
	*cop = (struct crypt_op) {
		.ses = cop32.ses,
		.op = cop32.op,
		.flags = cop32.flags,
		.len = cop32.len,
		.src = compat_ptr(cop32.src),
		.dst = compat_ptr(cop32.dst),
		.mac = compat_ptr(cop32.mac),
		.iv = compat_ptr(cop32.iv),
	};
	return 0;
}

static int vcd_compat_crypt(struct vcd_file *vf, void __user *uarg)
{
	struct crypt_op cop;
	int err;

	err = vcd_crypt_op_from_compat(&cop, uarg);
	return err ? err : vcd_crypt(vf, &cop);
}

static int vcd_compat_asynccrypt(struct vcd_file *vf, void __user *uarg)
{
	struct crypt_op cop;
	int err;

	err = vcd_crypt_op_from_compat(&cop, uarg);
	return err ? err : vcd_async_crypt(vf, &cop);
}

/* The crypt_op comes back as it was submitted: its pointers were 32-bit. */
static int vcd_compat_asyncfetch(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_crypt_op32 cop32;
	struct crypt_op cop;
	int err;

	err = vcd_async_fetch(vf, &cop);
	if (err)
		return err;
	cop32 = (struct vcd_crypt_op32) {
		.ses = cop.ses,
		.op = cop.op,
		.flags = cop.flags,
		.len = cop.len,
		.src = ptr_to_compat(cop.src),
		.dst = ptr_to_compat(cop.dst),
		.mac = ptr_to_compat(cop.mac),
		.iv = ptr_to_compat(cop.iv),
	};
	return copy_to_user(uarg, &cop32, sizeof(cop32)) ? -EFAULT : 0;
}

static int vcd_compat_authcrypt(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_crypt_auth_op32 caop32;
	struct crypt_auth_op caop;
	int err;

	if (copy_from_user(&caop32, uarg, sizeof(caop32)))
		return -EFAULT;
	caop = (struct crypt_auth_op) {
		.ses = caop32.ses,
		.op = caop32.op,
		.flags = caop32.flags,
		.len = caop32.len,
		.auth_len = caop32.auth_len,
		.auth_src = compat_ptr(caop32.auth_src),
		.src = compat_ptr(caop32.src),
		.dst = compat_ptr(caop32.dst),
		.tag = compat_ptr(caop32.tag),
		.tag_len = caop32.tag_len,
		.iv = compat_ptr(caop32.iv),
		.iv_len = caop32.iv_len,
	};
	err = vcd_authcrypt(vf, &caop);
	if (err)
		return err;
	caop32.len = caop.len;
	caop32.tag_len = caop.tag_len;
	caop32.tag = ptr_to_compat(caop.tag);
	return copy_to_user(uarg, &caop32, sizeof(caop32)) ? -EFAULT : 0;
}

long vcd_compat_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vcd_file *vf = filp->private_data;
	void __user *uarg = compat_ptr(arg);

	switch (cmd) {
	case VCD_CIOCGSESSION32:
		return vcd_compat_gsession(vf, uarg);
	case VCD_CIOCCRYPT32:
		return vcd_compat_crypt(vf, uarg);
	case VCD_CIOCAUTHCRYPT32:
		return vcd_compat_authcrypt(vf, uarg);
	case VCD_CIOCASYNCCRYPT32:
		return vcd_compat_asynccrypt(vf, uarg);
	case VCD_CIOCASYNCFETCH32:
		return vcd_compat_asyncfetch(vf, uarg);
	case CIOCGSESSION:
	case CIOCCRYPT:
	case CIOCAUTHCRYPT:
	case CIOCASYNCCRYPT:
	case CIOCASYNCFETCH:
	case CIOCKEY:
		/* 64-bit layouts from a 32-bit caller: no such program */
		return -EINVAL;
	default:
		return vcd_ioctl(filp, cmd, (unsigned long)uarg);
	}
}
