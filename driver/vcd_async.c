// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Asynchronous operations, as cryptodev-linux offers them: CIOCASYNCCRYPT
 * puts a crypt_op on the device and returns, CIOCASYNCFETCH hands back the
 * first one completed (its results copied to the caller's buffers then),
 * and poll() says when one is ready (POLLIN) and when another may be
 * queued (POLLOUT).  One file keeps up to VCD_ASYNC_MAX operations
 * outstanding, from submission until fetched; one more is -EBUSY.
 *
 * The user's buffers are copied, never pinned: the source when the request
 * is built, the destination, IV and digest when the result is fetched, into
 * the memory of the task that fetches.  Between the two the caller may
 * reuse, unmap or free its buffers, exit, or pass the file on, and pages
 * of its are never held for as long as it cares not to fetch.  Memory the
 * driver holds for a result waiting to be fetched counts against the
 * user's RLIMIT_MEMLOCK as pinned pages do; over it the submission is
 * -EBUSY too.
 *
 * Operations on one session overlap on the device when none depends on
 * another: a cipher operation with its own IV, a hash or HMAC computed in
 * one call.  One that continues the session's state (no IV: chained from
 * the previous operation; a hash update or final) waits, in
 * CIOCASYNCCRYPT, for the session's earlier operations to finish, and the
 * next waits for it, so the device sees them in the caller's order.
 */

#include "vcd.h"

/* Outstanding operations per file, cryptodev-linux's own bound. */
#define VCD_ASYNC_MAX	64

/* A file's asynchronous operations. */
struct vcd_async {
	struct kref ref;		/* the file's, and one per job in flight */
	spinlock_t lock;		/* protects done, outstanding and closed */
	struct list_head done;		/* completed jobs, in completion order */
	unsigned int outstanding;	/* submitted and not yet fetched */
	bool closed;			/* the file is gone: jobs free themselves */
	wait_queue_head_t wait;		/* poll(): a job done, or one fetched */
};

/* One operation from CIOCASYNCCRYPT until it is fetched. */
struct vcd_async_job {
	struct list_head node;		/* in as->done */
	struct vcd_async *as;		/* holds a reference */
	struct vcd_session *sess;	/* holds a reference */
	struct vcd_req *req;		/* the submitter's reference */
	struct vcd_op op;		/* where the results go */
	struct crypt_op cop;		/* as submitted, written back by FETCH */
	u8 __user *iv_to;		/* where the IV out goes, iv_out bytes */
	u8 __user *mac_to;		/* where the digest goes, mac_len bytes */
	u32 iv_out, mac_len;		/* the request's extra: IV, then digest */
	u32 expect_len;
	bool dependent;			/* continues the session's state */
	struct work_struct free_work;
};

static void vcd_async_free(struct kref *ref)
{
	kfree(container_of(ref, struct vcd_async, ref));
}

static void vcd_async_put(struct vcd_async *as)
{
	kref_put(&as->ref, vcd_async_free);
}

static void vcd_async_job_free(struct vcd_async_job *job)
{
	if (job->req)
		vcd_req_put(job->req);
	vcd_session_put(job->sess);
	vcd_async_put(job->as);
	kfree(job);
}

static void vcd_async_job_free_work(struct work_struct *work)
{
	vcd_async_job_free(container_of(work, struct vcd_async_job,
					free_work));
}

/* Let the operations of @sess waiting behind this one go. */
static void vcd_async_session_leave(struct vcd_async_job *job)
{
	if (job->dependent)
		atomic_dec(&job->sess->async_dep);
	atomic_dec(&job->sess->async_busy);
	wake_up_all(&job->sess->async_idle);
}

/*
 * The device is done with a job's request (or failed it): queue the job
 * for CIOCASYNCFETCH.  Runs where requests complete, perhaps in interrupt
 * context, so a job whose file is closed is freed on the workqueue.
 */
static void vcd_async_done(struct vcd_req *req)
{
	struct vcd_async_job *job = req->owner;
	struct vcd_async *as = job->as;
	unsigned long flags;
	bool closed;

	vcd_async_session_leave(job);
	spin_lock_irqsave(&as->lock, flags);
	closed = as->closed;
	if (!closed) {
		list_add_tail(&job->node, &as->done);
		/* under the lock: once unlocked, a closing file may free as */
		wake_up_interruptible_poll(&as->wait, EPOLLIN | EPOLLRDNORM);
	}
	spin_unlock_irqrestore(&as->lock, flags);
	if (closed) {
		INIT_WORK(&job->free_work, vcd_async_job_free_work);
		queue_work(vcd_drv.wq, &job->free_work);
	}
}

/*
 * Wait until @sess has no asynchronous operation on the device (with
 * @overlap: none that continues its state); -EINTR on a fatal signal if
 * @killable, -EIO if the device broke a ring, which it keeps them on.
 */
int vcd_async_session_wait(struct vcd_device *vcd, struct vcd_session *sess,
			   bool overlap, bool killable)
{
	atomic_t *count = overlap ? &sess->async_dep : &sess->async_busy;
	long left;

	if (atomic_read(count))
		vcd_kick_deferred(vcd);
	for (;;) {
		if (killable)
			left = wait_event_killable_timeout(sess->async_idle,
							   !atomic_read(count),
							   VCD_BROKEN_POLL);
		else
			left = wait_event_timeout(sess->async_idle,
						  !atomic_read(count),
						  VCD_BROKEN_POLL);
		if (left > 0)
			return 0;
		if (left < 0)
			return -EINTR;
		/* nothing wakes us if the device breaks: look now and then */
		if (vcd_rings_broken(vcd))
			return atomic_read(count) ? -EIO : 0;
	}
}

/*
 * The MAC part of an operation on a hash or combined session, with
 * CIOCCRYPT's flag rules: its digest follows any IV out in the extra bytes.
 */
static void vcd_async_plan_mac(const struct vcd_alg *mac,
			       const struct crypt_op *cop,
			       struct vcd_async_job *job)
{
	struct vcd_op *op = &job->op;
	bool reset = !cop->flags || (cop->flags & COP_FLAG_RESET);
	bool final = (cop->flags & COP_FLAG_FINAL) ||
		     !(cop->flags & COP_FLAG_UPDATE) || !cop->len;

	if (reset)
		op->flags |= VIRTIO_CRYPTODEV_F_HASH_RESET;
	if (final) {
		job->mac_to = cop->mac;
		job->mac_len = mac->digest_len;
		op->extra_len += mac->digest_len;
	} else {
		op->flags |= VIRTIO_CRYPTODEV_F_HASH_UPDATE;
	}
	if (!(reset && final))
		job->dependent = true;
}

/*
 * What @cop asks of the device, checked as CIOCCRYPT checks it, in one
 * request: an asynchronous operation is never split, so len is at most the
 * device's max_data_len.  A combined session's operation ciphers and MACs
 * (HASH_CIPHER), as CIOCCRYPT's does.
 */
static int vcd_async_plan(struct vcd_device *vcd, struct vcd_session *sess,
			  const struct crypt_op *cop, struct vcd_async_job *job)
{
	const struct vcd_alg *alg = sess->alg;
	struct vcd_op *op = &job->op;

	if (cop->len > vcd->max_len)
		return -EINVAL;
	op->session = sess->handle;
	op->copy = true;
	op->src = cop->src;
	op->src_len = cop->len;

	switch (alg->kind) {
	case VIRTIO_CRYPTODEV_KIND_CIPHER:
		if (cop->len % alg->block_len)
			return -EINVAL;
		op->opcode = sess->mac_alg ? VIRTIO_CRYPTODEV_OP_HASH_CIPHER :
					     VIRTIO_CRYPTODEV_OP_CIPHER;
		op->dst = cop->dst;
		op->dst_len = cop->len;
		if (cop->op == COP_DECRYPT)
			op->flags |= VIRTIO_CRYPTODEV_F_DECRYPT;
		if (cop->iv && alg->iv_len) {
			op->iv = cop->iv;	/* copied now, as cryptodev-linux does */
			op->iv_len = alg->iv_len;
			if (cop->flags & COP_FLAG_WRITE_IV) {
				op->flags |= VIRTIO_CRYPTODEV_F_IV_OUT;
				op->extra_len = alg->iv_len;
				job->iv_to = cop->iv;
				job->iv_out = alg->iv_len;
			}
		}
		job->dependent = alg->iv_len && !cop->iv;
		if (sess->mac_alg)
			vcd_async_plan_mac(sess->mac_alg, cop, job);
		job->expect_len = cop->len + op->extra_len;
		return 0;
	case VIRTIO_CRYPTODEV_KIND_HASH:
	case VIRTIO_CRYPTODEV_KIND_HMAC:
		op->opcode = VIRTIO_CRYPTODEV_OP_HASH;
		vcd_async_plan_mac(alg, cop, job);
		job->expect_len = op->extra_len;
		return 0;
	default:
		return -EINVAL;	/* AEAD sessions take CIOCAUTHCRYPT */
	}
}

/*
 * Take one of the file's VCD_ASYNC_MAX places, or -EBUSY.  The file's
 * ioctls hold it open, so it cannot be closed meanwhile.
 */
static int vcd_async_reserve(struct vcd_async *as)
{
	int err = 0;

	spin_lock_irq(&as->lock);
	if (as->outstanding >= VCD_ASYNC_MAX)
		err = -EBUSY;
	else
		as->outstanding++;
	spin_unlock_irq(&as->lock);
	return err;
}

static void vcd_async_unreserve(struct vcd_async *as)
{
	spin_lock_irq(&as->lock);
	as->outstanding--;
	wake_up_interruptible_poll(&as->wait, EPOLLOUT | EPOLLWRNORM);
	spin_unlock_irq(&as->lock);
}

/* Build and submit @job's request; callers must hold sess->lock. */
static int vcd_async_submit(struct vcd_device *vcd, struct vcd_async_job *job)
{
	struct vcd_req *req;
	int err;

	req = vcd_req_build(vcd, &job->op);
	if (IS_ERR(req))
		/* over RLIMIT_MEMLOCK: wait for results, then try again */
		return PTR_ERR(req) == -EAGAIN ? -EBUSY : PTR_ERR(req);
	req->done_fn = vcd_async_done;
	req->owner = job;
	job->req = req;
	/* the completion may come before vcd_req_submit() returns */
	atomic_inc(&job->sess->async_busy);
	if (job->dependent)
		atomic_inc(&job->sess->async_dep);
	kref_get(&job->as->ref);
	/* a batch of them shares one notification of the device */
	err = vcd_req_submit(vcd, req, true);
	if (err) {
		vcd_async_session_leave(job);
		vcd_async_put(job->as);
	}
	return err;
}

int vcd_async_crypt(struct vcd_file *vf, const struct crypt_op *cop)
{
	struct vcd_device *vcd = vf->vcd;
	struct vcd_async *as = vf->async;
	struct vcd_async_job *job;
	struct vcd_session *sess;
	int err;

	if (cop->op != COP_ENCRYPT && cop->op != COP_DECRYPT)
		return -EINVAL;
	/* cryptodev-linux refuses it here too: its async path is zero-copy */
	if (cop->flags & COP_FLAG_NO_ZC)
		return -EINVAL;
	sess = vcd_session_get(vf, cop->ses);
	if (!sess)
		return -EINVAL;
	job = kzalloc(sizeof(*job), GFP_KERNEL_ACCOUNT);
	if (!job) {
		err = -ENOMEM;
		goto out_put;
	}
	/* the job's own: once submitted, a fetch may free it any time */
	kref_get(&sess->ref);
	job->sess = sess;
	job->cop = *cop;
	kref_get(&as->ref);
	job->as = as;

	err = vcd_async_plan(vcd, sess, cop, job);
	if (err)
		goto err_free;
	err = vcd_async_reserve(as);
	if (err)
		goto err_free;
	err = job->dependent ? vcd_session_lock(vcd, sess) :
			       vcd_session_lock_overlap(vcd, sess);
	if (err)
		goto err_unreserve;
	err = vcd_async_submit(vcd, job);
	mutex_unlock(&sess->lock);
	if (!err)
		goto out_put;

err_unreserve:
	vcd_async_unreserve(as);
err_free:
	vcd_async_job_free(job);
out_put:
	vcd_session_put(sess);
	return err;
}

/* The first completed job, off the list, or NULL. */
static struct vcd_async_job *vcd_async_take(struct vcd_async *as)
{
	struct vcd_async_job *job;

	spin_lock_irq(&as->lock);
	job = list_first_entry_or_null(&as->done, struct vcd_async_job, node);
	if (job) {
		list_del(&job->node);
		as->outstanding--;
		wake_up_interruptible_poll(&as->wait, EPOLLOUT | EPOLLWRNORM);
	}
	spin_unlock_irq(&as->lock);
	return job;
}

int vcd_async_fetch(struct vcd_file *vf, struct crypt_op *cop)
{
	struct vcd_async *as = vf->async;
	u8 extra[EALG_MAX_BLOCK_LEN + AALG_MAX_RESULT_LEN];
	struct vcd_async_job *job;
	int err;

	job = vcd_async_take(as);
	if (!job) {
		/* the answer may only wait for the device to hear of it */
		vcd_kick_deferred(vf->vcd);
		job = vcd_async_take(as);
	}
	if (!job)
		return -EBUSY;	/* cryptodev-linux's answer for none done */

	/* a failed operation is fetched too, its error the ioctl's */
	err = vcd_req_finish(job->req, &job->op, job->expect_len, extra, NULL);
	if (!err && job->iv_out &&
	    copy_to_user(job->iv_to, extra, job->iv_out))
		err = -EFAULT;
	if (!err && job->mac_len &&
	    copy_to_user(job->mac_to, extra + job->iv_out, job->mac_len))
		err = -EFAULT;
	*cop = job->cop;
	vcd_async_job_free(job);
	return err;
}

__poll_t vcd_async_poll(struct file *filp, poll_table *pt)
{
	struct vcd_file *vf = filp->private_data;
	struct vcd_async *as = vf->async;
	__poll_t mask = 0;

	/* a poller may be about to sleep for what the device never heard of */
	vcd_kick_deferred(vf->vcd);
	poll_wait(filp, &as->wait, pt);
	spin_lock_irq(&as->lock);
	if (!list_empty(&as->done))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (as->outstanding < VCD_ASYNC_MAX)
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_irq(&as->lock);
	return mask;
}

int vcd_async_open(struct vcd_file *vf)
{
	struct vcd_async *as = kzalloc(sizeof(*as), GFP_KERNEL_ACCOUNT);

	if (!as)
		return -ENOMEM;
	kref_init(&as->ref);
	spin_lock_init(&as->lock);
	INIT_LIST_HEAD(&as->done);
	init_waitqueue_head(&as->wait);
	vf->async = as;
	return 0;
}

/*
 * The file is closing: free the results nobody fetched.  Jobs still on the
 * device free themselves when it is done with them; closing the sessions
 * waits for that, unless the device broke its rings.
 */
void vcd_async_release(struct vcd_file *vf)
{
	struct vcd_async *as = vf->async;
	struct vcd_async_job *job, *tmp;
	LIST_HEAD(done);

	spin_lock_irq(&as->lock);
	as->closed = true;
	list_splice_init(&as->done, &done);
	spin_unlock_irq(&as->lock);
	list_for_each_entry_safe(job, tmp, &done, node)
		vcd_async_job_free(job);
	vcd_async_put(as);
}
