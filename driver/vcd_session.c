// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sessions: the algorithms the driver knows, the device's session handles
 * behind each open file's ids, and the limits on how many one file and one
 * user may hold.
 */

#include "vcd.h"

/*
 * The device's sessions are shared by every user of the guest: one user
 * must not be able to take them all.  A server holds one session per cipher
 * context, all on one open file (OpenSSL's devcrypto engine opens
 * /dev/crypto once per process), so by default a file may hold all its
 * user's share, and a user three quarters of the device's sessions.
 */
#define VCD_SESSIONS_UNCAPPED	65536	/* the most a device may have */

static unsigned int max_sessions_per_file = VCD_SESSIONS_UNCAPPED;
module_param(max_sessions_per_file, uint, 0644);
MODULE_PARM_DESC(max_sessions_per_file,
		 "Sessions one open file may hold (default 65536: its user's share)");

static unsigned int max_sessions_per_user = VCD_SESSIONS_UNCAPPED;
module_param(max_sessions_per_user, uint, 0644);
MODULE_PARM_DESC(max_sessions_per_user,
		 "Sessions one user (uid) may hold on a device, never more than three quarters of the device's max_sessions (default 65536: three quarters)");

/* From the one list of include/virtio_cryptodev_algs.h. */
#define VCD_ALG_ROW(id, kind, name, stem, block, iv, digest, kmin, kmax, \
		    kstep)						  \
	{ id, VIRTIO_CRYPTODEV_KIND_##kind, iv, block, digest, kmin, kmax,  \
	  kstep, name, stem "-virtio-cryptodev" },
const struct vcd_alg vcd_algs[VCD_NALGS] = {
	VIRTIO_CRYPTODEV_ALGS(VCD_ALG_ROW)
};
#undef VCD_ALG_ROW

/* The algorithm @id if the driver knows it and the device offers it. */
const struct vcd_alg *vcd_alg_find(const struct vcd_device *vcd, u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcd_algs); i++)
		if (vcd_algs[i].id == id)
			return vcd_alg_offered(vcd, id) ? &vcd_algs[i] : NULL;
	return NULL;
}

bool vcd_alg_is_cipher(const struct vcd_alg *alg)
{
	return alg->kind == VIRTIO_CRYPTODEV_KIND_CIPHER ||
	       alg->kind == VIRTIO_CRYPTODEV_KIND_AEAD;
}

/* A cipher key, or an HMAC key, of a length @alg takes. */
bool vcd_alg_key_len_ok(const struct vcd_alg *alg, u32 len)
{
	return len >= alg->key_min && len <= alg->key_max &&
	       (len - alg->key_min) % alg->key_step == 0;
}

/*
 * Wait until the device is done with a request a killed caller left on the
 * session, and with its asynchronous operations (with @overlap, only with
 * those that continue the session's state).  Callers must hold sess->lock.
 */
static int vcd_session_wait_idle(struct vcd_device *vcd,
				 struct vcd_session *sess, bool killable,
				 bool overlap)
{
	int err;

	if (sess->busy) {
		err = vcd_req_wait(vcd, sess->busy, killable);
		if (err)
			return err;
		vcd_req_put(sess->busy);
		sess->busy = NULL;
	}
	return vcd_async_session_wait(vcd, sess, overlap, killable);
}

static void vcd_session_release(struct kref *ref)
{
	struct vcd_session *sess = container_of(ref, struct vcd_session, ref);

	/* only a broken device leaves one: it is freed when the rings are */
	if (sess->busy)
		vcd_req_put(sess->busy);
	kfree(sess);
}

void vcd_session_put(struct vcd_session *sess)
{
	kref_put(&sess->ref, vcd_session_release);
}

struct vcd_session *vcd_session_get(struct vcd_file *vf, u32 id)
{
	struct vcd_session *sess;

	xa_lock(&vf->sessions);
	sess = xa_load(&vf->sessions, id);
	if (sess)
		kref_get(&sess->ref);
	xa_unlock(&vf->sessions);
	return sess;
}

static bool vcd_session_stale(struct vcd_device *vcd,
			      struct vcd_session *sess)
{
	return sess->generation != READ_ONCE(vcd->generation);
}

static int vcd_session_lock_nested(struct vcd_device *vcd,
				   struct vcd_session *sess,
				   unsigned int subclass, bool overlap)
{
	int err;

	if (mutex_lock_killable_nested(&sess->lock, subclass))
		return -EINTR;
	err = sess->dead || vcd_session_stale(vcd, sess) ? -EINVAL :
	      vcd_session_wait_idle(vcd, sess, true, overlap);
	if (err)
		mutex_unlock(&sess->lock);
	return err;
}

/*
 * Lock a session for an operation; fails if it was destroyed meanwhile or
 * the device has forgotten it.
 */
int vcd_session_lock(struct vcd_device *vcd, struct vcd_session *sess)
{
	return vcd_session_lock_nested(vcd, sess, 0, false);
}

/*
 * vcd_session_lock() for an operation that neither reads nor leaves state
 * the next one needs: it may overlap the session's asynchronous operations
 * alike, and waits only for those that continue the session's state.
 */
int vcd_session_lock_overlap(struct vcd_device *vcd, struct vcd_session *sess)
{
	return vcd_session_lock_nested(vcd, sess, 0, true);
}

/*
 * Lock two sessions for one operation (a hash state copy), the lower
 * address first so that two copies in opposite directions cannot
 * deadlock; one lock when @a and @b are the same session (two ids of a
 * file never are, but a caller need not know that).
 */
int vcd_session_lock_pair(struct vcd_device *vcd, struct vcd_session *a,
			  struct vcd_session *b)
{
	struct vcd_session *first = a < b ? a : b, *second = a < b ? b : a;
	int err;

	err = vcd_session_lock(vcd, first);
	if (err || first == second)
		return err;
	err = vcd_session_lock_nested(vcd, second, SINGLE_DEPTH_NESTING,
				      false);
	if (err)
		mutex_unlock(&first->lock);
	return err;
}

void vcd_session_unlock_pair(struct vcd_session *a, struct vcd_session *b)
{
	if (a != b)
		mutex_unlock(&b->lock);
	mutex_unlock(&a->lock);
}

/*
 * Free @sess on the device; the caller has unlinked it from its file.
 * Callers must hold sess->lock.
 */
void vcd_session_destroy_locked(struct vcd_device *vcd,
				struct vcd_session *sess)
{
	struct vcd_op op = {
		.opcode = VIRTIO_CRYPTODEV_OP_DESTROY_SESSION,
	};

	/* the device must not see the handle go under its operations */
	vcd_session_wait_idle(vcd, sess, false, false);
	/* a stale handle may name another file's session now */
	if (!sess->dead && !vcd_session_stale(vcd, sess)) {
		op.session = sess->handle;
		/* A device that is gone has forgotten the session anyway. */
		vcd_exec(vcd, NULL, &op, 0, NULL, NULL);
		sess->dead = true;
	}
}

void vcd_session_destroy(struct vcd_device *vcd, struct vcd_session *sess)
{
	mutex_lock(&sess->lock);
	vcd_session_destroy_locked(vcd, sess);
	mutex_unlock(&sess->lock);
}

/* The most sessions one user may hold on @vcd. */
unsigned int vcd_user_session_limit(const struct vcd_device *vcd)
{
	unsigned int limit = READ_ONCE(max_sessions_per_user);

	/* whatever the parameter says, a quarter is left to other users */
	if (vcd->max_sessions)
		limit = min(limit, max(vcd->max_sessions -
				       vcd->max_sessions / 4, 1u));
	return limit;
}

/* Sessions @uid holds on @vcd.  Callers must hold vcd->user_lock. */
static unsigned long vcd_user_sessions(struct vcd_device *vcd,
				       unsigned long uid)
{
	void *entry = xa_load(&vcd->user_sessions, uid);

	return entry ? xa_to_value(entry) : 0;
}

/*
 * Count a new session against its file and the file's user, or -EMFILE
 * when either already holds its share.
 */
int vcd_session_charge(struct vcd_file *vf)
{
	struct vcd_device *vcd = vf->vcd;
	unsigned long uid = __kuid_val(vf->uid);
	unsigned long held;
	int err;

	mutex_lock(&vcd->user_lock);
	held = vcd_user_sessions(vcd, uid);
	if (vf->nsessions >= READ_ONCE(max_sessions_per_file) ||
	    held >= vcd_user_session_limit(vcd))
		err = -EMFILE;
	else
		err = xa_err(xa_store(&vcd->user_sessions, uid,
				      xa_mk_value(held + 1),
				      GFP_KERNEL_ACCOUNT));
	if (!err)
		vf->nsessions++;
	mutex_unlock(&vcd->user_lock);
	return err;
}

void vcd_session_uncharge(struct vcd_file *vf)
{
	struct vcd_device *vcd = vf->vcd;
	unsigned long uid = __kuid_val(vf->uid);
	unsigned long held;

	mutex_lock(&vcd->user_lock);
	held = vcd_user_sessions(vcd, uid);
	if (!WARN_ON_ONCE(!held || !vf->nsessions)) {
		vf->nsessions--;
		/* replacing a present entry allocates nothing */
		if (held == 1)
			xa_erase(&vcd->user_sessions, uid);
		else
			xa_store(&vcd->user_sessions, uid,
				 xa_mk_value(held - 1), GFP_KERNEL);
	}
	mutex_unlock(&vcd->user_lock);
}

