// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The request path: one request per operation, built with its header,
 * small buffers and sg table in one allocation (user buffers of at least
 * zerocopy_min bytes pinned instead of copied), put on a virtqueue, and
 * completed by the virtqueue callback; the caller sleeps on its completion.
 */

#include "vcd.h"

static unsigned int zerocopy_min = 1024;
module_param(zerocopy_min, uint, 0644);
MODULE_PARM_DESC(zerocopy_min,
		 "Data buffers of at least this many bytes are pinned and given to the device in place instead of copied (default 1024)");

/* What all users have pinned for requests now, for tests and the curious. */
static int vcd_pinned_bytes_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n",
			  atomic_long_read(&vcd_drv.pinned) << PAGE_SHIFT);
}

static const struct kernel_param_ops vcd_pinned_bytes_ops = {
	.get = vcd_pinned_bytes_get,
};
module_param_cb(pinned_bytes, &vcd_pinned_bytes_ops, NULL, 0444);
MODULE_PARM_DESC(pinned_bytes,
		 "Bytes of user memory pinned for requests now (read-only)");

static int vcd_status_to_errno(u32 status)
{
	switch (status) {
	case VIRTIO_CRYPTODEV_S_OK:
		return 0;
	case VIRTIO_CRYPTODEV_S_BADMSG:
		return -EBADMSG;
	case VIRTIO_CRYPTODEV_S_INVAL:
	case VIRTIO_CRYPTODEV_S_NOTSUPP:
	case VIRTIO_CRYPTODEV_S_NOSESSION:
		/* cryptodev-linux answers all of these with EINVAL */
		return -EINVAL;
	case VIRTIO_CRYPTODEV_S_NOSPC:
		/* every session the device holds is taken (docs/driver.md) */
		return -ENOSPC;
	case VIRTIO_CRYPTODEV_S_NOMEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* ---- user memory ---------------------------------------------------------- */

/* Pages a pin of @len bytes at @uaddr takes. */
static unsigned long vcd_pin_pages(const void __user *uaddr, size_t len)
{
	return DIV_ROUND_UP(offset_in_page(uaddr) + len, PAGE_SIZE);
}

static int vcd_pin_user(struct vcd_pin *pin, unsigned long uaddr, size_t len,
			bool write)
{
	unsigned int npages = vcd_pin_pages((const void __user *)uaddr, len);
	int got;

	if (WARN_ON_ONCE(!len) || !current->mm)
		return -EFAULT;
	if (!access_ok((void __user *)uaddr, len))
		return -EFAULT;
	pin->pages = kvmalloc_array(npages, sizeof(*pin->pages),
				    GFP_KERNEL_ACCOUNT);
	if (!pin->pages)
		return -ENOMEM;
	pin->offset = offset_in_page(uaddr);
	pin->write = write;
	got = pin_user_pages_fast(uaddr & PAGE_MASK, npages,
				  write ? FOLL_WRITE : 0, pin->pages);
	if (got != npages) {
		if (got > 0)
			unpin_user_pages(pin->pages, got);
		kvfree(pin->pages);
		pin->pages = NULL;
		return got < 0 ? got : -EFAULT;
	}
	pin->npages = npages;
	return 0;
}

/*
 * Instead of pinning: @len bytes of the driver's own pages, zeroed, with
 * the user's bytes at @uaddr copied in if @copy_in.  The pages outlive the
 * caller's mm, and the user's buffer may change or go meanwhile.
 */
static int vcd_pin_copy(struct vcd_pin *pin, const u8 __user *uaddr,
			size_t len, bool copy_in)
{
	unsigned int i, npages = DIV_ROUND_UP(len, PAGE_SIZE);

	pin->pages = kvcalloc(npages, sizeof(*pin->pages), GFP_KERNEL_ACCOUNT);
	if (!pin->pages)
		return -ENOMEM;
	pin->kernel = true;
	pin->write = true;
	pin->offset = 0;
	pin->npages = npages;
	for (i = 0; i < npages; i++) {
		size_t chunk = min_t(size_t, len - i * PAGE_SIZE, PAGE_SIZE);

		pin->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!pin->pages[i])
			return -ENOMEM;		/* the caller releases */
		if (copy_in && copy_from_user(page_address(pin->pages[i]),
					      uaddr + i * PAGE_SIZE, chunk))
			return -EFAULT;
	}
	return 0;
}

/* Copy the first @len bytes of a vcd_pin_copy() range to @uaddr. */
static int vcd_pin_copy_out(const struct vcd_pin *pin, u8 __user *uaddr,
			    size_t len)
{
	unsigned int i;

	for (i = 0; i < pin->npages && len; i++) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE);

		if (copy_to_user(uaddr, page_address(pin->pages[i]), chunk))
			return -EFAULT;
		uaddr += chunk;
		len -= chunk;
	}
	return 0;
}

static void vcd_pin_release(struct vcd_pin *pin)
{
	unsigned int i;

	if (pin->kernel) {
		for (i = 0; i < pin->npages && pin->pages[i]; i++)
			__free_page(pin->pages[i]);
	} else if (pin->write) {
		unpin_user_pages_dirty_lock(pin->pages, pin->npages, true);
	} else {
		unpin_user_pages(pin->pages, pin->npages);
	}
	kvfree(pin->pages);
}

/*
 * Charge @npages, about to be pinned for @req, to the calling user, against
 * its RLIMIT_MEMLOCK (CAP_IPC_LOCK lifts it): over the limit, wait until the
 * user's other requests let go of theirs.  A request larger than the limit
 * still goes when the user has nothing else pinned, so a user holds at most
 * the limit plus one request.  Pins are counted apart from mlock().
 * Without @wait, over the limit is -EAGAIN at once: the driver's pages
 * held for results not yet fetched count too, and only their owner's
 * fetching lets them go.
 */
static int vcd_pin_charge(struct vcd_req *req, unsigned long npages,
			  bool wait)
{
	unsigned long limit = capable(CAP_IPC_LOCK) ? ULONG_MAX :
			      rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	kuid_t uid = current_uid();
	unsigned long held;
	void *entry;
	int gen, err;

	if (!npages)
		return 0;
	for (;;) {
		gen = atomic_read(&vcd_drv.pin_gen);
		mutex_lock(&vcd_drv.pin_lock);
		entry = xa_load(&vcd_drv.pinned_by_uid, __kuid_val(uid));
		held = entry ? xa_to_value(entry) : 0;
		err = held && held + npages > limit ? -EAGAIN :
		      xa_err(xa_store(&vcd_drv.pinned_by_uid, __kuid_val(uid),
				      xa_mk_value(held + npages),
				      GFP_KERNEL_ACCOUNT));
		mutex_unlock(&vcd_drv.pin_lock);
		if (err != -EAGAIN || !wait)
			break;
		if (wait_event_killable(vcd_drv.pin_wait,
					atomic_read(&vcd_drv.pin_gen) != gen))
			return -EINTR;
	}
	if (err)
		return err;
	req->pins_uid = uid;
	req->pins_charged = npages;
	atomic_long_add(npages, &vcd_drv.pinned);
	return 0;
}

static void vcd_pin_uncharge(struct vcd_req *req)
{
	unsigned long uid = __kuid_val(req->pins_uid), held;
	void *entry;

	mutex_lock(&vcd_drv.pin_lock);
	entry = xa_load(&vcd_drv.pinned_by_uid, uid);
	held = entry ? xa_to_value(entry) : 0;
	if (!WARN_ON_ONCE(held < req->pins_charged)) {
		/* replacing a present entry allocates nothing */
		if (held == req->pins_charged)
			xa_erase(&vcd_drv.pinned_by_uid, uid);
		else
			xa_store(&vcd_drv.pinned_by_uid, uid,
				 xa_mk_value(held - req->pins_charged),
				 GFP_KERNEL);
	}
	mutex_unlock(&vcd_drv.pin_lock);
	atomic_long_sub(req->pins_charged, &vcd_drv.pinned);
	atomic_inc(&vcd_drv.pin_gen);
	wake_up_all(&vcd_drv.pin_wait);
}

/*
 * Append @len bytes at @page + @offset to the sg list being built, merging
 * with the previous entry when the memory is physically contiguous: fewer
 * descriptors for the device to walk.
 */
static void vcd_sg_append(struct vcd_req *req, unsigned int *n,
			  struct page *page, unsigned int offset,
			  unsigned int len)
{
	struct scatterlist *sg;

	if (*n > req->chain_start) {
		sg = &req->sg[*n - 1];
		if (page_to_phys(sg_page(sg)) + sg->offset + sg->length ==
		    page_to_phys(page) + offset &&
		    sg->length + len <= req->max_seg) {
			sg->length += len;
			return;
		}
	}
	if (WARN_ON_ONCE(*n >= req->nsg))
		return;
	sg = &req->sg[(*n)++];
	sg_set_page(sg, page, len, offset);
}

static void vcd_sg_append_buf(struct vcd_req *req, unsigned int *n,
			      const void *buf, size_t len)
{
	if (len)
		vcd_sg_append(req, n, virt_to_page(buf), offset_in_page(buf),
			      len);
}

/* Append the first @len bytes of a pinned range. */
static void vcd_sg_append_pin(struct vcd_req *req, unsigned int *n,
			      const struct vcd_pin *pin, size_t len)
{
	unsigned int i, offset = pin->offset;

	for (i = 0; i < pin->npages && len; i++) {
		unsigned int chunk = min_t(size_t, len, PAGE_SIZE - offset);

		vcd_sg_append(req, n, pin->pages[i], offset, chunk);
		len -= chunk;
		offset = 0;
	}
}

/* ---- requests ---------------------------------------------------------- */

static void vcd_req_free(struct vcd_req *req)
{
	unsigned int i;

	for (i = 0; i < req->npins; i++)
		vcd_pin_release(&req->pins[i]);
	if (req->pins_charged)
		vcd_pin_uncharge(req);
	if (!req->sg_inline)
		kvfree(req->sg);
	if (req->sensitive)
		kfree_sensitive(req);
	else
		kfree(req);
}

static void vcd_req_release_work(struct work_struct *work)
{
	vcd_req_free(container_of(work, struct vcd_req, release_work));
}

static void vcd_req_release(struct kref *ref)
{
	vcd_req_free(container_of(ref, struct vcd_req, ref));
}

/*
 * Unpinning dirty pages may sleep, so a last reference dropped from the
 * virtqueue callback frees on the workqueue instead.
 */
static void vcd_req_release_later(struct kref *ref)
{
	struct vcd_req *req = container_of(ref, struct vcd_req, ref);

	INIT_WORK(&req->release_work, vcd_req_release_work);
	queue_work(vcd_drv.wq, &req->release_work);
}

void vcd_req_put(struct vcd_req *req)
{
	kref_put(&req->ref, vcd_req_release);
}

/* The device is done with @req (or will never see it again). */
void vcd_req_complete(struct vcd_req *req, int err)
{
	req->err = err;
	complete(&req->done);
	if (req->done_fn)
		req->done_fn(req);
	kref_put(&req->ref, vcd_req_release_later);
}

/* How a request is laid out, decided from the operation alone. */
struct vcd_req_layout {
	bool zc;		/* src and dst pinned, not copied */
	bool aad_zc;		/* AAD pinned, not copied */
	bool in_place;		/* src == dst: one pin, writable */
	unsigned int nsg;	/* sg entries at most */
	size_t sg_len;		/* bytes of an inline sg table, or 0 */
	size_t rd_off;		/* what the device reads, from the struct */
	size_t wr_off;		/* what it writes */
	size_t total;		/* the allocation */
};

static void vcd_req_plan(const struct vcd_op *op, struct vcd_req_layout *l)
{
	/*
	 * A copy up to a page goes in the request's own allocation: cheaper
	 * than a list of the driver's pages and their charge.
	 */
	unsigned int zc_min = op->copy ? PAGE_SIZE + 1 :
			      min(READ_ONCE(zerocopy_min), VCD_BOUNCE_MAX);
	u32 data_len = max(op->src_len, op->dst_len);
	size_t rd_len, wr_len;

	/* never pin an empty buffer: there may be no mm (release at exit) */
	l->zc = data_len && data_len >= zc_min && !op->ksrc;
	l->aad_zc = op->aad_len && op->aad_len >= zc_min;
	l->in_place = l->zc && op->src_len && op->dst_len &&
		      op->src == op->dst;

	rd_len = sizeof(struct virtio_cryptodev_req) + op->key_len +
		 op->mac_key_len + op->iv_len +
		 (l->aad_zc ? 0 : op->aad_len) + (l->zc ? 0 : op->src_len);
	wr_len = (l->zc ? 0 : op->dst_len) + op->extra_len +
		 sizeof(struct virtio_cryptodev_resp);
	l->nsg = 3 + (l->aad_zc ? vcd_pages_spanned(op->aad_len) : 0) +
		 (l->zc ? vcd_pages_spanned(op->src_len) : 0) +
		 (l->zc ? vcd_pages_spanned(op->dst_len) : 0);

	/* A small sg table shares the allocation; a large one need not be
	 * physically contiguous, unlike the bounce buffers. */
	l->sg_len = l->nsg <= VCD_SG_INLINE ?
		    l->nsg * sizeof(struct scatterlist) : 0;
	l->rd_off = ALIGN(sizeof(struct vcd_req), 8) + l->sg_len;
	/* Keep what the device writes off the cache lines it reads. */
	l->wr_off = ALIGN(l->rd_off + rd_len, L1_CACHE_BYTES);
	l->total = l->wr_off + wr_len;
}

/*
 * Allocate @req as @l lays it out, with its sg table, and charge the pages
 * it will pin: one charge for all of them, so it never waits on itself.
 */
static struct vcd_req *vcd_req_alloc(struct vcd_device *vcd,
				     const struct vcd_op *op,
				     const struct vcd_req_layout *l)
{
	unsigned long pin_pages;
	struct vcd_req *req;
	int err;

	if (WARN_ON_ONCE(l->total > 4 * VCD_BOUNCE_MAX))
		return ERR_PTR(-EINVAL);
	req = kzalloc(l->total, GFP_KERNEL_ACCOUNT);
	if (!req)
		return ERR_PTR(-ENOMEM);
	kref_init(&req->ref);
	init_completion(&req->done);
	req->sensitive = op->key_len || op->mac_key_len;
	req->vcd = vcd;
	req->fail_pin = READ_ONCE(vcd->fail_pin);
	req->nsg = l->nsg;
	req->max_seg = vcd->max_seg_size;
	if (l->sg_len) {
		req->sg = (struct scatterlist *)((u8 *)req +
						 ALIGN(sizeof(*req), 8));
		req->sg_inline = true;
	} else {
		req->sg = kvmalloc_array(l->nsg, sizeof(*req->sg),
					 GFP_KERNEL_ACCOUNT);
		if (!req->sg) {
			req->sg_inline = true;	/* nothing to free */
			err = -ENOMEM;
			goto fail;
		}
	}
	sg_init_table(req->sg, l->nsg);

	pin_pages = l->aad_zc ? vcd_pin_pages(op->aad, op->aad_len) : 0;
	if (l->zc && op->src_len)
		pin_pages += vcd_pin_pages(op->src, l->in_place ?
					   max(op->src_len, op->dst_len) :
					   op->src_len);
	if (l->zc && op->dst_len && !l->in_place)
		pin_pages += vcd_pin_pages(op->dst, op->dst_len);
	err = vcd_pin_charge(req, pin_pages, !op->copy);
	if (err)
		goto fail;
	return req;

fail:
	vcd_req_put(req);
	return ERR_PTR(err);
}

/* Count @len bytes of user data as used in place or copied (@pin NULL). */
static void vcd_req_count(struct vcd_req *req, const struct vcd_pin *pin,
			  u32 len)
{
	if (pin && !pin->kernel)
		req->zerocopy_bytes += len;
	else
		req->copied_bytes += len;
}

/*
 * Pin @pin_len bytes of user memory at @uaddr for @req (for an op->copy,
 * take pages of the driver's, with the user's bytes if the device @read
 * them) and append the first @sg_len of them to its sg list.
 * pin_user_pages() refuses VM_IO and PFNMAP mappings (device memory, the
 * vDSO's data) though the program may read and write them: those are
 * copied the same way, as cryptodev-linux copies them; so is everything
 * while the debugfs fault fail_pin is set.  A bad pointer still fails,
 * when the copy does.
 */
static int vcd_req_pin(struct vcd_req *req, const struct vcd_op *op,
		       unsigned int *n, const void __user *uaddr,
		       size_t pin_len, size_t sg_len, bool write, bool read)
{
	struct vcd_pin *pin = &req->pins[req->npins];
	int err = -EFAULT;

	if (!op->copy && !req->fail_pin)
		err = vcd_pin_user(pin, (unsigned long)uaddr, pin_len, write);
	/* a copy takes the user's bytes only where the device reads them */
	if (err == -EFAULT)
		err = vcd_pin_copy(pin, uaddr, pin_len, read);
	if (err && !pin->kernel)
		return err;
	req->npins++;		/* a partial copy is released with the request */
	if (err)
		return err;
	vcd_sg_append_pin(req, n, pin, sg_len);
	vcd_req_count(req, pin, sg_len);
	return 0;
}

/*
 * What the device reads: the header, key, MAC key and IV copied, then the
 * AAD and the source, each copied or pinned.
 */
static int vcd_req_add_readable(struct vcd_req *req, const struct vcd_op *op,
				const struct vcd_req_layout *l)
{
	struct virtio_cryptodev_req *hdr;
	unsigned int n = 0;
	u8 *p;
	int err;

	p = (u8 *)req + l->rd_off;
	hdr = req->hdr = (struct virtio_cryptodev_req *)p;
	hdr->opcode = cpu_to_le32(op->opcode);
	hdr->flags = cpu_to_le32(op->flags);
	hdr->session = cpu_to_le64(op->session);
	hdr->cipher = cpu_to_le32(op->cipher);
	hdr->mac = cpu_to_le32(op->mac);
	hdr->key_len = cpu_to_le32(op->key_len);
	hdr->mac_key_len = cpu_to_le32(op->mac_key_len);
	hdr->iv_len = cpu_to_le32(op->iv_len);
	hdr->aad_len = cpu_to_le32(op->aad_len);
	hdr->src_len = cpu_to_le32(op->src_len);
	hdr->tag_len = cpu_to_le32(op->tag_len);
	p += sizeof(*hdr);

	if (copy_from_user(p, op->key, op->key_len))
		return -EFAULT;
	p += op->key_len;
	if (copy_from_user(p, op->mac_key, op->mac_key_len))
		return -EFAULT;
	p += op->mac_key_len;
	if (op->iv_kernel)
		memcpy(p, op->iv_kernel, op->iv_len);
	else if (copy_from_user(p, op->iv, op->iv_len))
		return -EFAULT;
	p += op->iv_len;
	vcd_sg_append_buf(req, &n, req->hdr, p - (u8 *)req->hdr);

	if (l->aad_zc) {
		err = vcd_req_pin(req, op, &n, op->aad, op->aad_len,
				  op->aad_len, false, true);
		if (err)
			return err;
	} else {
		if (copy_from_user(p, op->aad, op->aad_len))
			return -EFAULT;
		vcd_sg_append_buf(req, &n, p, op->aad_len);
		vcd_req_count(req, NULL, op->aad_len);
		p += op->aad_len;
	}
	if (l->zc && op->src_len) {
		/* in place, the whole range is pinned once, writable */
		err = vcd_req_pin(req, op, &n, op->src,
				  l->in_place ? max(op->src_len, op->dst_len) :
						op->src_len,
				  op->src_len, l->in_place, true);
		if (err)
			return err;
	} else if (op->ksrc) {
		memcpy(p, op->ksrc, op->src_len);
		vcd_sg_append_buf(req, &n, p, op->src_len);
	} else if (!l->zc) {
		if (copy_from_user(p, op->src, op->src_len))
			return -EFAULT;
		vcd_sg_append_buf(req, &n, p, op->src_len);
		vcd_req_count(req, NULL, op->src_len);
	}
	req->nout = n;
	sg_mark_end(&req->sg[n - 1]);
	req->chain_start = n;
	return 0;
}

/*
 * What the device writes: the destination, pinned or a bounce buffer, then
 * the IV out or digest and the response, which follow the bounce buffer
 * and go in one entry with it.
 */
static int vcd_req_add_writable(struct vcd_req *req, const struct vcd_op *op,
				const struct vcd_req_layout *l)
{
	unsigned int n = req->nout;
	u8 *p = (u8 *)req + l->wr_off;
	int err;

	if (l->zc && op->dst_len && l->in_place) {
		/* the source's pin, the last one taken */
		vcd_sg_append_pin(req, &n, &req->pins[req->npins - 1],
				  op->dst_len);
		vcd_req_count(req, &req->pins[req->npins - 1], op->dst_len);
	} else if (l->zc && op->dst_len) {
		err = vcd_req_pin(req, op, &n, op->dst, op->dst_len,
				  op->dst_len, true, false);
		if (err)
			return err;
	} else if (!l->zc) {
		req->dst = p;
		p += op->dst_len;
		vcd_req_count(req, NULL, op->dst_len);
	}
	req->extra = p;
	req->resp = p + op->extra_len;
	put_unaligned_le32(VCD_STATUS_UNSET, req->resp +
			   offsetof(struct virtio_cryptodev_resp, status));
	vcd_sg_append_buf(req, &n, req->dst ? req->dst : req->extra,
			  (req->dst ? op->dst_len : 0) + op->extra_len +
			  sizeof(struct virtio_cryptodev_resp));
	req->nin = n - req->nout;
	sg_mark_end(&req->sg[n - 1]);
	return 0;
}

/*
 * Build a request: one allocation for the struct, the sg table and the
 * bounce buffers; user buffers of at least zerocopy_min bytes are pinned
 * instead of copied.  src == dst (in place) pins the range once, writable.
 */
struct vcd_req *vcd_req_build(struct vcd_device *vcd, const struct vcd_op *op)
{
	struct vcd_req_layout l;
	struct vcd_req *req;
	int err;

	vcd_req_plan(op, &l);
	req = vcd_req_alloc(vcd, op, &l);
	if (IS_ERR(req))
		return req;
	err = vcd_req_add_readable(req, op, &l);
	if (!err)
		err = vcd_req_add_writable(req, op, &l);
	if (!err && req->nout + req->nin > vcd->max_segs)
		err = -EINVAL;
	if (err) {
		vcd_req_put(req);
		return ERR_PTR(err);
	}
	return req;
}

/*
 * The device's answer to @req: its status as an errno, with the output
 * length checked against what the operation must produce.
 */
static int vcd_req_result(struct vcd_req *req, u32 expect_len, u64 *session)
{
	u32 status, len;

	if (req->err)
		return req->err;
	status = get_unaligned_le32(req->resp +
			offsetof(struct virtio_cryptodev_resp, status));
	len = get_unaligned_le32(req->resp +
			offsetof(struct virtio_cryptodev_resp, len));
	if (status == VCD_STATUS_UNSET)
		return -EIO;
	if (status == VIRTIO_CRYPTODEV_S_OK && len != expect_len)
		return -EIO;
	if (session)
		*session = get_unaligned_le64(req->resp +
			offsetof(struct virtio_cryptodev_resp, session));
	return vcd_status_to_errno(status);
}

/* ---- transport ---------------------------------------------------------- */

/*
 * May the submitter queued as @me try again: first in line with room
 * freed since it failed, or the device going away?
 */
static bool vcd_queue_my_turn(struct vcd_device *vcd, struct vcd_queue *q,
			      struct list_head *me)
{
	unsigned long flags;
	bool turn;

	if (READ_ONCE(vcd->gone) || READ_ONCE(vcd->suspended))
		return true;
	spin_lock_irqsave(&q->lock, flags);
	turn = q->waiters.next == me && !q->full;
	spin_unlock_irqrestore(&q->lock, flags);
	return turn;
}

/* Leave @q's line of waiters; the next one may have its turn now. */
static void vcd_queue_leave(struct vcd_queue *q, struct list_head *me)
{
	unsigned long flags;
	bool was_first;

	spin_lock_irqsave(&q->lock, flags);
	was_first = q->waiters.next == me;
	list_del_init(me);
	spin_unlock_irqrestore(&q->lock, flags);
	if (was_first)
		wake_up_all(&q->room);
}

/*
 * True if the device broke the ring @req is on: it will never answer.
 * Requests still on the ring when the queues go (remove, freeze) are
 * completed first, so a ring that is gone lost nothing.
 */
static bool vcd_req_lost(struct vcd_device *vcd, struct vcd_req *req)
{
	bool lost;

	down_read(&vcd->vdev_sem);
	lost = vcd->vdev && !vcd->suspended && !vcd->broken &&
	       virtqueue_is_broken(req->q->vq);
	up_read(&vcd->vdev_sem);
	return lost;
}

/* True if the device broke one of its rings: what is on it stays there. */
bool vcd_rings_broken(struct vcd_device *vcd)
{
	bool broken = false;
	unsigned int i;

	down_read(&vcd->vdev_sem);
	if (vcd->vdev && !vcd->suspended && !vcd->broken)
		for (i = 0; i < vcd->nqueues && !broken; i++)
			broken = virtqueue_is_broken(vcd->queues[i].vq);
	up_read(&vcd->vdev_sem);
	return broken;
}

/*
 * Wait until the device is done with @req: 0, -EINTR on a fatal signal if
 * @killable, -EIO if the device broke the ring (then it still owns the
 * request, until the queues are reset).
 */
int vcd_req_wait(struct vcd_device *vcd, struct vcd_req *req, bool killable)
{
	long left;

	for (;;) {
		if (killable)
			left = wait_for_completion_killable_timeout(&req->done,
								    VCD_BROKEN_POLL);
		else
			left = wait_for_completion_timeout(&req->done,
							   VCD_BROKEN_POLL);
		if (left > 0)
			return 0;
		if (left < 0)
			return -EINTR;
		if (vcd_req_lost(vcd, req))
			return try_wait_for_completion(&req->done) ? 0 : -EIO;
	}
}

/*
 * Notify the device of what the queues hold unannounced.  Callers must
 * hold vcd->vdev_sem, with the queues there.
 */
static void vcd_kick_deferred_locked(struct vcd_device *vcd)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < vcd->nqueues; i++) {
		struct vcd_queue *q = &vcd->queues[i];
		bool notify = false;

		if (!READ_ONCE(q->deferred))
			continue;
		spin_lock_irqsave(&q->lock, flags);
		if (q->deferred) {
			q->deferred = 0;
			notify = virtqueue_kick_prepare(q->vq);
		}
		spin_unlock_irqrestore(&q->lock, flags);
		if (notify)
			virtqueue_notify(q->vq);
	}
}

/*
 * Notify the device of requests submitted with @defer: before anyone
 * waits for one of them.
 */
void vcd_kick_deferred(struct vcd_device *vcd)
{
	down_read(&vcd->vdev_sem);
	if (vcd->vdev && !vcd->suspended && !vcd->broken)
		vcd_kick_deferred_locked(vcd);
	up_read(&vcd->vdev_sem);
}

/* The longest a deferred request waits for its notification. */
void vcd_kick_work(struct work_struct *work)
{
	vcd_kick_deferred(container_of(to_delayed_work(work),
				       struct vcd_device, kick_work));
}

/*
 * Put @req on a request queue and notify the device.  The queue lock is
 * held only to add the buffers; a full ring puts the caller to sleep until
 * completions make room, served in arrival order.
 *
 * With @defer the notification waits until VCD_KICK_BATCH requests are
 * queued unannounced, someone waits for one (vcd_kick_deferred()), or a
 * jiffy passes: one notification then carries a batch, which the device
 * takes off the ring in one go, answering with one interrupt.
 */
int vcd_req_submit(struct vcd_device *vcd, struct vcd_req *req, bool defer)
{
	struct scatterlist *sgs[2] = { &req->sg[0], &req->sg[req->nout] };
	struct list_head me = LIST_HEAD_INIT(me);	/* in q->waiters */
	struct vcd_queue *q = NULL;
	unsigned long flags;
	bool notify, tried, later;
	int err;

	for (;;) {
		notify = false;
		later = false;
		down_read(&vcd->vdev_sem);
		if (!vcd->vdev || vcd->suspended || vcd->broken) {
			up_read(&vcd->vdev_sem);
			err = !vcd->vdev ? -ENODEV : vcd->broken ? -EIO : -EAGAIN;
			break;
		}
		/* once in a queue's line, stay in it */
		if (!q)
			q = &vcd->queues[raw_smp_processor_id() % vcd->nqueues];
		spin_lock_irqsave(&q->lock, flags);
		/* others were first: queue behind them without trying */
		tried = !list_empty(&me) || list_empty(&q->waiters);
		/* a broken ring gives -EIO */
		err = tried ? virtqueue_add_sgs(q->vq, sgs, 1, 1, req,
						GFP_ATOMIC) : -ENOSPC;
		if (!err) {
			kref_get(&req->ref);	/* the device's reference */
			req->q = q;
			later = defer && ++q->deferred < VCD_KICK_BATCH;
			if (!later) {
				q->deferred = 0;
				notify = virtqueue_kick_prepare(q->vq);
			}
		} else if (err == -ENOSPC && tried &&
			   q->vq->num_free == virtqueue_get_vring_size(q->vq)) {
			/* nothing in flight will make room: no memory */
			err = -ENOMEM;
		} else if (err == -ENOSPC) {
			if (tried)
				q->full = true;
			if (list_empty(&me))
				list_add_tail(&me, &q->waiters);
		}
		spin_unlock_irqrestore(&q->lock, flags);
		if (notify)
			virtqueue_notify(q->vq);
		if (later)
			queue_delayed_work(system_wq, &vcd->kick_work, 1);
		/* room comes only from requests the device was told of */
		if (err == -ENOSPC)
			vcd_kick_deferred_locked(vcd);
		up_read(&vcd->vdev_sem);

		if (err != -ENOSPC)
			break;
		/* nothing wakes us if the device breaks: look again now and then */
		if (wait_event_killable_timeout(q->room,
						vcd_queue_my_turn(vcd, q, &me),
						VCD_BROKEN_POLL) < 0) {
			err = -EINTR;
			break;
		}
	}
	if (!list_empty(&me))
		vcd_queue_leave(q, &me);
	return err;
}

/* ---- virtqueue callback --------------------------------------------------- */

void vcd_vq_done(struct virtqueue *vq)
{
	struct vcd_device *vcd = vq->vdev->priv;
	struct vcd_queue *q = &vcd->queues[vq->index];
	struct vcd_req *req;
	unsigned long flags;
	unsigned int len;
	bool wake;

	spin_lock_irqsave(&q->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((req = virtqueue_get_buf(vq, &len)))
			vcd_req_complete(req, 0);
	} while (!virtqueue_enable_cb(vq));
	wake = q->full;
	q->full = false;
	spin_unlock_irqrestore(&q->lock, flags);
	if (wake)
		wake_up_all(&q->room);
}

/* ---- one operation ------------------------------------------------------- */

/* The counters (stats/) @opcode's requests go to, or -1: not a data kind. */
static int vcd_stat_kind(u32 opcode)
{
	switch (opcode) {
	case VIRTIO_CRYPTODEV_OP_CIPHER:
		return VCD_STAT_CIPHER;
	case VIRTIO_CRYPTODEV_OP_HASH:
		return VCD_STAT_HASH;
	case VIRTIO_CRYPTODEV_OP_AEAD:
		return VCD_STAT_AEAD;
	case VIRTIO_CRYPTODEV_OP_HASH_CIPHER:
	case VIRTIO_CRYPTODEV_OP_TLS:
	case VIRTIO_CRYPTODEV_OP_SRTP:
		return VCD_STAT_COMBINED;
	default:
		return -1;	/* sessions come and go uncounted */
	}
}

/* Count a data request the device has answered (or lost) in the stats. */
static void vcd_stats_add(const struct vcd_req *req, const struct vcd_op *op,
			  int err)
{
	struct vcd_stats *st = &req->vcd->stats;
	int kind = vcd_stat_kind(op->opcode);

	if (kind < 0)
		return;
	if (err) {
		atomic64_inc(&st->errors);
		return;
	}
	atomic64_inc(&st->requests[kind]);
	atomic64_add(op->src_len, &st->bytes[kind]);
	atomic64_add(req->zerocopy_bytes, &st->zerocopy_bytes);
	atomic64_add(req->copied_bytes, &st->copied_bytes);
}

/*
 * The answer to a completed @req: its status, then the IV out or digest
 * to @extra and the destination to user space, from the bounce buffer or
 * the driver's pages of an op->copy.
 */
int vcd_req_finish(struct vcd_req *req, const struct vcd_op *op,
		   u32 expect_len, void *extra, u64 *session)
{
	int err;

	err = vcd_req_result(req, expect_len, session);
	vcd_stats_add(req, op, err);
	if (err)
		return err;
	if (extra)
		memcpy(extra, req->extra, op->extra_len);
	if (req->dst)
		return copy_to_user(op->dst, req->dst, op->dst_len) ?
		       -EFAULT : 0;
	/* a copy of dst (op->copy, or pages that would not pin): the last */
	if (op->dst_len && req->npins && req->pins[req->npins - 1].kernel)
		return vcd_pin_copy_out(&req->pins[req->npins - 1], op->dst,
					op->dst_len);
	return 0;
}

/*
 * Run @op and wait for it.  With a session (Callers must hold sess->lock)
 * the wait ends on a fatal signal: the request is then parked on the
 * session, so that the next user waits for the device to finish with it.
 * Session creation and destruction wait uninterruptibly: abandoning them
 * would leak or double-free a handle on the device.
 */
int vcd_exec(struct vcd_device *vcd, struct vcd_session *sess,
	     const struct vcd_op *op, u32 expect_len, void *extra,
	     u64 *session)
{
	struct vcd_req *req;
	int err;

	req = vcd_req_build(vcd, op);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = vcd_req_submit(vcd, req, false);
	if (err)
		goto out;
	err = vcd_req_wait(vcd, req, sess != NULL);
	/* a broken ring lost it; a caller killed is no fault of the device */
	if (err && err != -EINTR)
		vcd_stats_add(req, op, err);
	if (err && sess) {
		sess->busy = req;	/* our reference goes with it */
		return err;
	}
	if (err)
		goto out;
	err = vcd_req_finish(req, op, expect_len, extra, session);
out:
	vcd_req_put(req);
	return err;
}

