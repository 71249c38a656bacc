// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cryptodev-linux ABI: the ioctls of an open file.  Each ioctl is a
 * core working on the kernel's copy of its struct, called by
 * vcd_ioctl() for 64-bit callers and by vcd_compat_ioctl()
 * (vcd_ioctl32.c) for 32-bit ones, which only translate the layout.
 */

#include "vcd.h"

/*
 * GCM tags of 4, 8 and 12 to 16 bytes: what NIST SP 800-38D allows and
 * Linux's crypto_gcm_setauthsize() accepts.  A host engine may not check
 * (cryptodev-linux ignores a failed setauthsize), so no other length may
 * ever reach the device.
 */
static bool vcd_gcm_tag_len_valid(u32 tag_len)
{
	return tag_len == 4 || tag_len == 8 ||
	       (tag_len >= 12 && tag_len <= VCD_TAG_MAX);
}

/* ---- ioctls ------------------------------------------------------------------ */

/*
 * CIOCGSESSION's core: make the session @sop_in asks for.  Its id is in
 * sop_in->ses but only reserved: the caller writes the struct back, then
 * calls vcd_session_publish() with @err 0 - or, when the write-back
 * faulted, with -EFAULT, which undoes everything.
 */
int vcd_session_new(struct vcd_file *vf, struct session_op *sop_in,
		    struct vcd_session **out)
{
	struct vcd_device *vcd = vf->vcd;
	struct vcd_op op = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION };
	const struct vcd_alg *alg = NULL, *mac_alg = NULL;
	struct vcd_session *sess;
	struct session_op sop = *sop_in;
	u32 id;
	int err;

	if (!sop.cipher && !sop.mac)
		return -EINVAL;
	/* both: a combined session, checked here and set up below */
	if (sop.cipher && sop.mac) {
		err = vcd_combined_check(vcd, &sop, &mac_alg);
		if (err)
			return err;
	}

	if (sop.cipher) {
		alg = vcd_alg_find(vcd, sop.cipher);
		if (!alg || !vcd_alg_is_cipher(alg))
			return -EINVAL;
		/* the one table's lengths, all within CRYPTO_CIPHER_MAX_KEY_LEN */
		if (!vcd_alg_key_len_ok(alg, sop.keylen))
			return -EINVAL;
		if (sop.keylen > vcd->max_key_len)
			return -EINVAL;
		op.cipher = sop.cipher;
		op.key = sop.key;
		op.key_len = sop.keylen;
	}
	if (sop.mac) {
		const struct vcd_alg *mac = vcd_alg_find(vcd, sop.mac);

		if (!mac || vcd_alg_is_cipher(mac))
			return -EINVAL;
		if (!sop.cipher)
			alg = mac;
		op.mac = sop.mac;
		if (mac->kind == VIRTIO_CRYPTODEV_KIND_HMAC) {
			if (!vcd_alg_key_len_ok(mac, sop.mackeylen) ||
			    sop.mackeylen > vcd->max_mac_key_len)
				return -EINVAL;
			op.mac_key = sop.mackey;
			op.mac_key_len = sop.mackeylen;
		}
	}

	err = vcd_session_charge(vf);
	if (err)
		return err;
	sess = kzalloc(sizeof(*sess), GFP_KERNEL_ACCOUNT);
	if (!sess) {
		err = -ENOMEM;
		goto err_uncharge;
	}
	kref_init(&sess->ref);
	mutex_init(&sess->lock);
	init_waitqueue_head(&sess->async_idle);
	sess->alg = alg;
	sess->mac_alg = mac_alg;
	sess->generation = READ_ONCE(vcd->generation);

	err = vcd_exec(vcd, NULL, &op, 0, NULL, &sess->handle);
	if (err)
		goto err_free;

	/*
	 * Unpredictable ids, unique within the file; 0 is never used.  The id
	 * is only reserved until the caller has it: a copy that faults may
	 * still have written it where a sibling thread can read it, so the
	 * session must not be reachable before the copy succeeded.
	 */
	do {
		id = get_random_u32();
		err = id ? xa_insert(&vf->sessions, id, NULL, GFP_KERNEL) :
			   -EBUSY;
	} while (err == -EBUSY);
	if (err)
		goto err_destroy;
	sess->id = id;
	sop_in->ses = id;
	*out = sess;
	return 0;

err_destroy:
	vcd_session_destroy(vcd, sess);
err_free:
	vcd_session_put(sess);
err_uncharge:
	vcd_session_uncharge(vf);
	return err;
}

/* Make @sess reachable by its id, or (@err) undo vcd_session_new(). */
int vcd_session_publish(struct vcd_file *vf, struct vcd_session *sess,
			int err)
{
	if (err) {
		xa_release(&vf->sessions, sess->id);
		vcd_session_destroy(vf->vcd, sess);
		vcd_session_put(sess);
		vcd_session_uncharge(vf);
		return err;
	}
	/* the slot is reserved: storing needs no memory and cannot fail */
	WARN_ON_ONCE(xa_is_err(xa_store(&vf->sessions, sess->id, sess,
					GFP_KERNEL)));
	return 0;
}

static int vcd_ioctl_gsession(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_session *sess;
	struct session_op sop;
	int err;

	if (copy_from_user(&sop, uarg, sizeof(sop)))
		return -EFAULT;
	err = vcd_session_new(vf, &sop, &sess);
	if (err)
		return err;
	return vcd_session_publish(vf, sess, copy_to_user(uarg, &sop,
							  sizeof(sop)) ?
					     -EFAULT : 0);
}

static int vcd_ioctl_fsession(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_session *sess;
	u32 id;

	if (get_user(id, (u32 __user *)uarg))
		return -EFAULT;
	/* an id still being created (reserved, loads as NULL) stays its own */
	sess = vcd_session_get(vf, id);
	if (!sess)
		return -ENOENT;
	/*
	 * A sibling's operation may hold the lock for as long as gigabytes
	 * take: wait killably, before the session leaves the table.
	 */
	if (mutex_lock_killable(&sess->lock)) {
		vcd_session_put(sess);
		return -EINTR;
	}
	/* unless a sibling's CIOCFSESSION was first */
	if (xa_cmpxchg(&vf->sessions, id, sess, NULL, GFP_KERNEL) != sess) {
		mutex_unlock(&sess->lock);
		vcd_session_put(sess);
		return -ENOENT;
	}
	vcd_session_destroy_locked(vf->vcd, sess);
	mutex_unlock(&sess->lock);
	vcd_session_put(sess);		/* the table's reference */
	vcd_session_put(sess);
	vcd_session_uncharge(vf);
	return 0;
}

/*
 * A cipher operation, split into requests the device accepts; the device
 * chains them through the session's IV (iv_len 0 continues).  A combined
 * session MACs the plaintext too (cryptodev-linux's hash_n_crypt: before
 * encrypting, after decrypting), its MAC running on across the requests
 * with the hash session's flag rules (see vcd_crypt_hash).
 */
static int vcd_crypt_cipher(struct vcd_device *vcd, struct vcd_session *sess,
			    const struct crypt_op *cop)
{
	const struct vcd_alg *alg = sess->alg, *mac = sess->mac_alg;
	bool write_iv = (cop->flags & COP_FLAG_WRITE_IV) && cop->iv &&
			alg->iv_len;
	bool reset = !cop->flags || (cop->flags & COP_FLAG_RESET);
	bool final = mac && ((cop->flags & COP_FLAG_FINAL) ||
			     !(cop->flags & COP_FLAG_UPDATE) || !cop->len);
	u8 extra[EALG_MAX_BLOCK_LEN + AALG_MAX_RESULT_LEN];
	u32 iv_out = write_iv ? alg->iv_len : 0;
	u32 done = 0;
	int err;

	if (cop->len % alg->block_len)
		return -EINVAL;

	do {
		u32 n = min(cop->len - done, vcd->max_len);
		bool last = done + n == cop->len;
		struct vcd_op op = {
			.opcode = mac ? VIRTIO_CRYPTODEV_OP_HASH_CIPHER :
					VIRTIO_CRYPTODEV_OP_CIPHER,
			.session = sess->handle,
			.src = cop->src + done,
			.src_len = n,
			.dst = cop->dst + done,
			.dst_len = n,
			.copy = cop->flags & COP_FLAG_NO_ZC,
		};

		if (cop->op == COP_DECRYPT)
			op.flags |= VIRTIO_CRYPTODEV_F_DECRYPT;
		if (!done && cop->iv) {
			op.iv = cop->iv;
			op.iv_len = alg->iv_len;
		}
		if (last && iv_out) {
			op.flags |= VIRTIO_CRYPTODEV_F_IV_OUT;
			op.extra_len = iv_out;
		}
		if (mac && !done && reset)
			op.flags |= VIRTIO_CRYPTODEV_F_HASH_RESET;
		if (last && final)
			op.extra_len += mac->digest_len;
		else if (mac)
			op.flags |= VIRTIO_CRYPTODEV_F_HASH_UPDATE;
		err = vcd_exec(vcd, sess, &op, n + op.extra_len, extra, NULL);
		if (err)
			return err;
		done += n;
	} while (done < cop->len);

	if (iv_out && copy_to_user(cop->iv, extra, iv_out))
		return -EFAULT;
	if (final && copy_to_user(cop->mac, extra + iv_out, mac->digest_len))
		return -EFAULT;
	return 0;
}

/*
 * A hash or HMAC operation with cryptodev-linux's flag rules: no flags or
 * COP_FLAG_RESET start over; the digest is produced unless UPDATE is set
 * (FINAL, or an empty update, finishes).
 */
static int vcd_crypt_hash(struct vcd_device *vcd, struct vcd_session *sess,
			  const struct crypt_op *cop)
{
	const struct vcd_alg *alg = sess->alg;
	bool reset = !cop->flags || (cop->flags & COP_FLAG_RESET);
	bool final = (cop->flags & COP_FLAG_FINAL) ||
		     !(cop->flags & COP_FLAG_UPDATE) || !cop->len;
	u8 digest[AALG_MAX_RESULT_LEN];
	u32 done = 0;
	int err;

	do {
		u32 n = min(cop->len - done, vcd->max_len);
		bool last = done + n == cop->len;
		struct vcd_op op = {
			.opcode = VIRTIO_CRYPTODEV_OP_HASH,
			.session = sess->handle,
			.src = cop->src + done,
			.src_len = n,
			.copy = cop->flags & COP_FLAG_NO_ZC,
		};

		if (!done && reset)
			op.flags |= VIRTIO_CRYPTODEV_F_HASH_RESET;
		if (last && final)
			op.extra_len = alg->digest_len;
		else
			op.flags |= VIRTIO_CRYPTODEV_F_HASH_UPDATE;
		err = vcd_exec(vcd, sess, &op, op.extra_len, digest, NULL);
		if (err)
			return err;
		done += n;
	} while (done < cop->len);

	if (final && copy_to_user(cop->mac, digest, alg->digest_len))
		return -EFAULT;
	return 0;
}

/* CIOCCRYPT's core. */
int vcd_crypt(struct vcd_file *vf, const struct crypt_op *cop)
{
	struct vcd_session *sess;
	int err;

	if (cop->op != COP_ENCRYPT && cop->op != COP_DECRYPT)
		return -EINVAL;
	sess = vcd_session_get(vf, cop->ses);
	if (!sess)
		return -EINVAL;
	err = vcd_session_lock(vf->vcd, sess);
	if (err)
		goto out_put;

	switch (sess->alg->kind) {
	case VIRTIO_CRYPTODEV_KIND_CIPHER:
		/* a combined session's too: its alg is the cipher */
		err = vcd_crypt_cipher(vf->vcd, sess, cop);
		break;
	case VIRTIO_CRYPTODEV_KIND_HASH:
	case VIRTIO_CRYPTODEV_KIND_HMAC:
		err = vcd_crypt_hash(vf->vcd, sess, cop);
		break;
	default:
		err = -EINVAL;	/* AEAD sessions take CIOCAUTHCRYPT */
		break;
	}
	mutex_unlock(&sess->lock);
out_put:
	vcd_session_put(sess);
	return err;
}

static int vcd_ioctl_crypt(struct vcd_file *vf, void __user *uarg)
{
	struct crypt_op cop;

	if (copy_from_user(&cop, uarg, sizeof(cop)))
		return -EFAULT;
	return vcd_crypt(vf, &cop);
}

/*
 * CIOCAUTHCRYPT's core; @caop is updated as cryptodev-linux writes it
 * back.  AEAD: len is the output length, tag_len the tag used, and tag
 * points at the tag in dst (after the ciphertext; after decrypting, where
 * the tag would follow the plaintext).  A NULL iv uses the session's IV
 * again, the nonce of its last operation (zero before the first), as
 * cryptodev-linux keeps it.
 */
int vcd_authcrypt(struct vcd_file *vf, struct crypt_auth_op *caop)
{
	struct vcd_device *vcd = vf->vcd;
	struct vcd_session *sess;
	struct vcd_op op = { .opcode = VIRTIO_CRYPTODEV_OP_AEAD };
	u32 tag_len, iv_len;
	int err;

	if (caop->op != COP_ENCRYPT && caop->op != COP_DECRYPT)
		return -EINVAL;
	/* TLS and SRTP records, on combined sessions */
	if (caop->flags & (COP_FLAG_AEAD_TLS_TYPE | COP_FLAG_AEAD_SRTP_TYPE))
		return vcd_combined_authcrypt(vf, caop);
	sess = vcd_session_get(vf, caop->ses);
	if (!sess)
		return -EINVAL;

	err = -EINVAL;
	if (sess->alg->kind != VIRTIO_CRYPTODEV_KIND_AEAD)
		goto out_put;
	iv_len = sess->alg->iv_len;
	tag_len = caop->tag_len ? caop->tag_len : sess->alg->digest_len;
	if (!vcd_gcm_tag_len_valid(tag_len) || caop->len > vcd->max_len ||
	    caop->auth_len > vcd->max_aad_len ||
	    WARN_ON_ONCE(iv_len > sizeof(sess->aead_iv)))
		goto out_put;
	if (caop->op == COP_DECRYPT && caop->len < tag_len)
		goto out_put;

	op.session = sess->handle;
	op.iv_len = iv_len;
	op.iv_kernel = sess->aead_iv;
	op.aad = caop->auth_src;
	op.aad_len = caop->auth_len;
	op.src = caop->src;
	op.src_len = caop->len;
	op.dst = caop->dst;
	op.tag_len = tag_len;
	op.copy = caop->flags & COP_FLAG_NO_ZC;
	if (caop->op == COP_DECRYPT) {
		op.flags = VIRTIO_CRYPTODEV_F_DECRYPT;
		op.dst_len = caop->len - tag_len;
	} else {
		op.dst_len = caop->len + tag_len;
	}

	err = vcd_session_lock(vcd, sess);
	if (err)
		goto out_put;
	/* the device takes the nonce from the request: send the session's */
	if (caop->iv && copy_from_user(sess->aead_iv, caop->iv, iv_len))
		err = -EFAULT;
	if (!err)
		err = vcd_exec(vcd, sess, &op, op.dst_len, NULL, NULL);
	mutex_unlock(&sess->lock);
	if (err)
		goto out_put;

	caop->tag = caop->dst + (caop->op == COP_DECRYPT ?
				 op.dst_len : caop->len);
	caop->len = op.dst_len;
	caop->tag_len = tag_len;
out_put:
	vcd_session_put(sess);
	return err;
}

static int vcd_ioctl_authcrypt(struct vcd_file *vf, void __user *uarg)
{
	struct crypt_auth_op caop;
	int err;

	if (copy_from_user(&caop, uarg, sizeof(caop)))
		return -EFAULT;
	err = vcd_authcrypt(vf, &caop);
	if (!err && copy_to_user(uarg, &caop, sizeof(caop)))
		err = -EFAULT;
	return err;
}

static bool vcd_alg_is_hash(const struct vcd_alg *alg)
{
	return alg->kind == VIRTIO_CRYPTODEV_KIND_HASH ||
	       alg->kind == VIRTIO_CRYPTODEV_KIND_HMAC;
}

/*
 * CIOCCPHASH: the device copies the running hash state of src_ses into
 * dst_ses.  As in cryptodev-linux, one id for both is EDEADLK (checked
 * first) and an unknown id ENOENT; sessions that are not hashes of one
 * algorithm are EINVAL (cryptodev-linux does not check, and imports
 * whatever the source's state was into the destination).
 */
static int vcd_ioctl_cphash(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_device *vcd = vf->vcd;
	struct vcd_session *dst, *src;
	struct vcd_op op = { .opcode = VIRTIO_CRYPTODEV_OP_CLONE_HASH };
	struct cphash_op cp;
	__le64 src_handle;
	int err;

	if (copy_from_user(&cp, uarg, sizeof(cp)))
		return -EFAULT;
	if (cp.dst_ses == cp.src_ses)
		return -EDEADLK;
	dst = vcd_session_get(vf, cp.dst_ses);
	if (!dst)
		return -ENOENT;
	src = vcd_session_get(vf, cp.src_ses);
	err = -ENOENT;
	if (!src)
		goto out_dst;
	err = -EINVAL;
	if (!vcd_alg_is_hash(dst->alg) || dst->alg != src->alg)
		goto out_src;
	err = vcd_session_lock_pair(vcd, dst, src);
	if (err)
		goto out_src;
	src_handle = cpu_to_le64(src->handle);
	op.session = dst->handle;
	op.ksrc = &src_handle;
	op.src_len = sizeof(src_handle);
	err = vcd_exec(vcd, dst, &op, 0, NULL, NULL);
	vcd_session_unlock_pair(dst, src);
out_src:
	vcd_session_put(src);
out_dst:
	vcd_session_put(dst);
	return err;
}

static int vcd_ioctl_gsessinfo(struct vcd_file *vf, void __user *uarg)
{
	struct session_info_op *info;
	struct vcd_session *sess;
	struct alg_info *ai;
	u32 id;
	int err = 0;

	if (get_user(id, (u32 __user *)uarg))
		return -EFAULT;
	sess = vcd_session_get(vf, id);
	if (!sess)
		return -EINVAL;
	info = kzalloc(sizeof(*info), GFP_KERNEL_ACCOUNT);
	if (!info) {
		err = -ENOMEM;
		goto out_put;
	}
	info->ses = id;
	ai = vcd_alg_is_cipher(sess->alg) ? &info->cipher_info :
					     &info->hash_info;
	strscpy(ai->cra_name, sess->alg->name, sizeof(ai->cra_name));
	strscpy(ai->cra_driver_name, sess->alg->driver_name,
		sizeof(ai->cra_driver_name));
	if (sess->mac_alg) {
		strscpy(info->hash_info.cra_name, sess->mac_alg->name,
			sizeof(info->hash_info.cra_name));
		strscpy(info->hash_info.cra_driver_name,
			sess->mac_alg->driver_name,
			sizeof(info->hash_info.cra_driver_name));
	}
	info->alignmask = 0;
	info->flags = SIOP_FLAG_KERNEL_DRIVER_ONLY;
	if (copy_to_user(uarg, info, sizeof(*info)))
		err = -EFAULT;
	kfree(info);
out_put:
	vcd_session_put(sess);
	return err;
}

static int vcd_ioctl_asynccrypt(struct vcd_file *vf, void __user *uarg)
{
	struct crypt_op cop;

	if (copy_from_user(&cop, uarg, sizeof(cop)))
		return -EFAULT;
	return vcd_async_crypt(vf, &cop);
}

/* The first completed operation, its crypt_op written back as submitted. */
static int vcd_ioctl_asyncfetch(struct vcd_file *vf, void __user *uarg)
{
	struct crypt_op cop;
	int err;

	err = vcd_async_fetch(vf, &cop);
	if (err)
		return err;
	return copy_to_user(uarg, &cop, sizeof(cop)) ? -EFAULT : 0;
}

/* ---- file operations -------------------------------------------------------------- */

static struct vcd_file *vcd_file_alloc(struct vcd_device *vcd)
{
	struct vcd_file *vf = kzalloc(sizeof(*vf), GFP_KERNEL_ACCOUNT);

	if (!vf)
		return NULL;
	kref_get(&vcd->ref);
	vf->vcd = vcd;
	vf->uid = current_uid();
	xa_init_flags(&vf->sessions, XA_FLAGS_ACCOUNT);
	if (vcd_async_open(vf)) {
		vcd_device_put(vcd);
		kfree(vf);
		return NULL;
	}
	return vf;
}

static void vcd_file_free(struct vcd_file *vf)
{
	struct vcd_session *sess;
	unsigned long id;

	/* results nobody fetched go; operations in flight free themselves */
	vcd_async_release(vf);
	xa_for_each(&vf->sessions, id, sess) {
		xa_erase(&vf->sessions, id);
		vcd_session_destroy(vf->vcd, sess);
		vcd_session_put(sess);
		vcd_session_uncharge(vf);
	}
	xa_destroy(&vf->sessions);
	vcd_device_put(vf->vcd);
	kfree(vf);
}

/*
 * CRIOGET: another descriptor for the same open file, sessions and all,
 * without close-on-exec - cryptodev-linux's answer (BSD's gave a new
 * file; programs written for it only ever use the descriptor it returns).
 */
static int vcd_ioctl_crioget(struct file *filp, void __user *uarg)
{
	struct vcd_file *vf = filp->private_data;
	int fd, err;

	/* like every other call on a device that is gone */
	if (READ_ONCE(vf->vcd->gone))
		return -ENODEV;
	fd = get_unused_fd_flags(0);
	if (fd < 0)
		return fd;
	err = put_user(fd, (u32 __user *)uarg);
	if (err) {
		put_unused_fd(fd);
		return err;
	}
	fd_install(fd, get_file(filp));
	return 0;
}

long vcd_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vcd_file *vf = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case CRIOGET:
		return vcd_ioctl_crioget(filp, uarg);
	case CIOCASYMFEAT:
		/* no public-key operations (CRF_*): programs skip CIOCKEY */
		return put_user(0, (u32 __user *)uarg);
	case CIOCGSESSION:
		return vcd_ioctl_gsession(vf, uarg);
	case CIOCFSESSION:
		return vcd_ioctl_fsession(vf, uarg);
	case CIOCCRYPT:
		return vcd_ioctl_crypt(vf, uarg);
	case CIOCAUTHCRYPT:
		return vcd_ioctl_authcrypt(vf, uarg);
	case CIOCGSESSINFO:
		return vcd_ioctl_gsessinfo(vf, uarg);
	case CIOCCPHASH:
		return vcd_ioctl_cphash(vf, uarg);
	case CIOCASYNCCRYPT:
		return vcd_ioctl_asynccrypt(vf, uarg);
	case CIOCASYNCFETCH:
		return vcd_ioctl_asyncfetch(vf, uarg);
	default:
		/* what cryptodev-linux answers, CIOCKEY included */
		return -EINVAL;
	}
}

/*
 * misc_open() calls us with misc_mtx held, so the node (and the device it
 * is embedded in) cannot be unregistered and freed under us.
 */
static int vcd_open(struct inode *inode, struct file *filp)
{
	struct miscdevice *misc = filp->private_data;
	struct vcd_node *node = container_of(misc, struct vcd_node, misc);
	struct vcd_file *vf;

	if (READ_ONCE(node->vcd->gone))
		return -ENODEV;
	vf = vcd_file_alloc(node->vcd);
	if (!vf)
		return -ENOMEM;
	filp->private_data = vf;
	return nonseekable_open(inode, filp);
}

static int vcd_release(struct inode *inode, struct file *filp)
{
	vcd_file_free(filp->private_data);
	return 0;
}

const struct file_operations vcd_fops = {
	.owner = THIS_MODULE,
	.open = vcd_open,
	.release = vcd_release,
	.unlocked_ioctl = vcd_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = vcd_compat_ioctl,
#endif
	.poll = vcd_async_poll,
	.llseek = vcd_no_llseek,
};

