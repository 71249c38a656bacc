// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio_cryptodev: the guest half of virtio-cryptodev.
 *
 * Binds to our virtio device (include/virtio_cryptodev.h is the wire
 * contract) and offers the cryptodev-linux ioctl ABI (include/crypto/
 * cryptodev.h) on /dev/cryptodevN, one node per device, and on /dev/crypto
 * when no other driver owns that name.  Every operation is a request on a
 * virtqueue, executed by the host; the caller sleeps on the request's own
 * completion.  Sessions live on the device: the driver maps each open
 * file's random 32-bit session ids to the device's 64-bit handles.
 *
 * Lifetimes: an open file holds a reference on its vcd_device, which
 * outlives the virtio device after hot-unplug (later calls get -ENODEV).  A
 * request is referenced by its caller and, while on the ring, by the device;
 * whoever drops the last reference frees its buffers and unpins its pages,
 * so a caller killed mid-request never lets the device write freed memory.
 */

#include <linux/anon_inodes.h>
#include <linux/completion.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rwsem.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <asm/unaligned.h>

#include "virtio_cryptodev.h"
#include "crypto/cryptodev.h"
#include "virtio_cryptodev_algs.h"

/* ---- module parameters ------------------------------------------------ */

static unsigned int zerocopy_min = 1024;
module_param(zerocopy_min, uint, 0644);
MODULE_PARM_DESC(zerocopy_min,
		 "Data buffers of at least this many bytes are pinned and given to the device in place instead of copied (default 1024)");

/*
 * The device's sessions are shared by every user of the guest: one user
 * must not be able to take them all.
 */
static unsigned int max_sessions_per_file = 256;
module_param(max_sessions_per_file, uint, 0644);
MODULE_PARM_DESC(max_sessions_per_file,
		 "Sessions one open file may hold (default 256)");

static unsigned int max_sessions_per_user = 256;
module_param(max_sessions_per_user, uint, 0644);
MODULE_PARM_DESC(max_sessions_per_user,
		 "Sessions one user (uid) may hold on a device, never more than three quarters of the device's max_sessions (default 256)");

/* ---- constants and state ---------------------------------------------- */

#define VCD_ALIAS_NAME		"crypto"
/* Buffers larger than this are always pinned, whatever zerocopy_min says. */
#define VCD_BOUNCE_MAX		(64 * 1024)
/* Sanity caps on what the device advertises. */
#define VCD_AAD_MAX		(64 * 1024)
#define VCD_DATA_MAX		(64 * 1024 * 1024)
#define VCD_TAG_MAX		16
#define VCD_STATUS_UNSET	0xffffffffu
/* sg tables up to this many entries live in the request's allocation */
#define VCD_SG_INLINE		64
/*
 * A request's bounce buffers are each one sg entry: the DMA layer must
 * take segments this large (swiotlb takes 256 KiB).
 */
#define VCD_SEG_MIN		(2 * VCD_BOUNCE_MAX + PAGE_SIZE)
/* how often a wait looks whether the device broke its ring */
#define VCD_BROKEN_POLL		HZ

/* What the driver knows about each algorithm it can pass to the device. */
struct vcd_alg {
	u32 id;			/* enum cryptodev_crypto_op_t */
	u8 kind;		/* enum virtio_cryptodev_alg_kind */
	u8 iv_len;		/* IV of the mode, 0 if none */
	u8 block_len;		/* cipher: len must be a multiple of this */
	u8 digest_len;		/* hash, HMAC: digest; AEAD: full tag */
	const char *name;	/* crypto API name, as cryptodev-linux reports */
	const char *driver_name;
};

/* From the one list of include/virtio_cryptodev_algs.h. */
#define VCD_ALG_ROW(id, kind, name, stem, block, iv, digest, kmin, kmax, \
		    kstep)						  \
	{ id, VIRTIO_CRYPTODEV_KIND_##kind, iv, block, digest, name,	  \
	  stem "-virtio-cryptodev" },
static const struct vcd_alg vcd_algs[] = { VIRTIO_CRYPTODEV_ALGS(VCD_ALG_ROW) };
#undef VCD_ALG_ROW

#define VCD_ALG_BITS	(8 * sizeof_field(struct virtio_cryptodev_config, algorithms))

struct vcd_device;

/* One request virtqueue. */
struct vcd_queue {
	spinlock_t lock;		/* protects vq, full and waiters */
	struct virtqueue *vq;
	bool full;			/* a submitter found the ring full */
	/*
	 * Submitters waiting for room, in arrival order: only the first may
	 * take it, and newcomers queue behind them, so one user keeping the
	 * ring full cannot starve another.
	 */
	struct list_head waiters;
	wait_queue_head_t room;		/* woken when completions free room */
	char name[16];			/* "req.N", lives as long as vq */
};

/* A device node: /dev/cryptodevN or the /dev/crypto alias. */
struct vcd_node {
	struct miscdevice misc;
	struct vcd_device *vcd;
};

/* One virtio-cryptodev device; vdev->priv.  Open files hold references. */
struct vcd_device {
	struct kref ref;
	/*
	 * vdev_sem protects vdev: submitters hold it for reading while they
	 * add buffers and notify; remove() takes it for writing to clear vdev,
	 * after which every new request fails with -ENODEV.
	 */
	struct rw_semaphore vdev_sem;
	struct virtio_device *vdev;
	bool gone;			/* set with vdev cleared; read locklessly */
	bool suspended;			/* between freeze and restore */
	bool broken;			/* restore failed: no queues, -EIO */
	/*
	 * A reset (suspend) makes the device forget every session, and it may
	 * hand out the same handles again: sessions made in an earlier
	 * generation are refused here and never reach the device.
	 */
	u32 generation;

	int id;				/* N of /dev/cryptodevN */
	char name[24];
	struct vcd_node node;
	struct vcd_node alias;
	bool alias_registered;		/* protected by vcd_drv.lock */
	struct list_head list;		/* in vcd_drv.devices, under its lock */

	/* Limits from the config space, fixed after probe. */
	u32 max_len;			/* data bytes in one request */
	u32 max_key_len;
	u32 max_mac_key_len;
	u32 max_aad_len;
	u32 max_segs;			/* sg entries in one request */
	u32 max_seg_size;		/* bytes in one sg entry */
	u32 max_sessions;		/* as the device reports it */
	u8 algorithms[16];		/* config bitmap */

	/*
	 * user_lock protects user_sessions (uid -> xa_mk_value(sessions the
	 * user holds on this device)) and every file's nsessions.
	 */
	struct mutex user_lock;
	struct xarray user_sessions;

	unsigned int nqueues;
	struct vcd_queue *queues;
	struct dentry *debugfs;		/* virtio_cryptodev/cryptodevN/ */
	bool fail_restore;		/* debugfs fault: the next restore fails */
};

/* A session: the device's handle, and what the driver checks locally. */
struct vcd_session {
	struct kref ref;
	/*
	 * lock serialises operations on the session: the device keeps its
	 * IV and hash state, so their order must be the callers' order.
	 * It protects dead and busy.
	 */
	struct mutex lock;
	u64 handle;
	u32 id;
	u32 generation;			/* of the device when created */
	const struct vcd_alg *alg;
	bool dead;			/* destroyed on the device */
	struct vcd_req *busy;		/* abandoned by a killed caller */
};

/* An open file (from open() or CRIOGET): its own set of sessions. */
struct vcd_file {
	struct vcd_device *vcd;		/* holds a reference */
	struct xarray sessions;		/* id -> vcd_session; xa_lock for lookup */
	kuid_t uid;			/* the opener's: charged for sessions */
	unsigned int nsessions;		/* under vcd->user_lock */
};

/* A pinned range of user memory. */
struct vcd_pin {
	struct page **pages;
	unsigned int npages;
	unsigned int offset;		/* of the start in pages[0] */
	bool write;
};

/*
 * One request in flight.  The header, the small buffers and the sg table
 * follow the struct in the same allocation.
 */
struct vcd_req {
	struct kref ref;
	struct completion done;
	struct work_struct release_work;
	int err;			/* -ENODEV if failed without the device */
	bool sensitive;			/* holds key material: zero on free */

	struct virtio_cryptodev_req *hdr;
	u8 *resp;			/* struct virtio_cryptodev_resp, unaligned */
	u8 *extra;			/* IV out or digest */
	u8 *dst;			/* bounce for dst, or NULL if pinned */

	unsigned int npins;
	struct vcd_pin pins[3];
	unsigned long pins_charged;	/* pages, to pins_uid */
	kuid_t pins_uid;

	struct vcd_queue *q;		/* the queue it was submitted on */
	unsigned int nsg;		/* entries allocated */
	unsigned int max_seg;		/* bytes in one entry */
	unsigned int nout, nin;		/* entries used per direction */
	unsigned int chain_start;	/* first entry of the chain being built */
	struct scatterlist *sg;		/* inline, or kvmalloc'ed if large */
	bool sg_inline;
};

/*
 * What an operation sends and expects.  User pointers are copied or pinned
 * when the request is built; lengths are checked by the callers.
 */
struct vcd_op {
	u32 opcode;
	u32 flags;
	u64 session;
	u32 cipher, mac;
	const u8 __user *key;
	u32 key_len;
	const u8 __user *mac_key;
	u32 mac_key_len;
	const u8 __user *iv;
	u32 iv_len;
	const u8 __user *aad;
	u32 aad_len;
	const u8 __user *src;
	u32 src_len;
	u8 __user *dst;
	u32 dst_len;
	u32 extra_len;			/* IV out or digest, after dst */
	u32 tag_len;
};

/* The driver: what all devices share. */
struct vcd_driver {
	struct ida ids;			/* N of /dev/cryptodevN */
	struct mutex lock;		/* protects devices, alias ownership */
	struct list_head devices;
	/* Frees requests whose last reference went in interrupt context. */
	struct workqueue_struct *wq;
	struct dentry *debugfs;		/* virtio_cryptodev/, one dir a device */

	/*
	 * Pages pinned for requests, per user (uid -> xa_mk_value(pages)),
	 * under pin_lock; pin_gen moves and pin_wait wakes when some go.
	 */
	struct mutex pin_lock;
	struct xarray pinned_by_uid;
	atomic_long_t pinned;		/* pages, all users */
	atomic_t pin_gen;
	wait_queue_head_t pin_wait;
};

static struct vcd_driver vcd_drv = {
	.ids = IDA_INIT(vcd_drv.ids),
	.lock = __MUTEX_INITIALIZER(vcd_drv.lock),
	.devices = LIST_HEAD_INIT(vcd_drv.devices),
	.pin_lock = __MUTEX_INITIALIZER(vcd_drv.pin_lock),
	.pinned_by_uid = XARRAY_INIT(vcd_drv.pinned_by_uid, 0),
	.pinned = ATOMIC_LONG_INIT(0),
	.pin_gen = ATOMIC_INIT(0),
	.pin_wait = __WAIT_QUEUE_HEAD_INITIALIZER(vcd_drv.pin_wait),
};

static const struct file_operations vcd_fops;

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

/* ---- helpers ------------------------------------------------------------ */

static bool vcd_alg_offered(const struct vcd_device *vcd, u32 id)
{
	return id < VCD_ALG_BITS &&
	       (vcd->algorithms[id / 8] & (1u << (id % 8)));
}

/* The algorithm @id if the driver knows it and the device offers it. */
static const struct vcd_alg *vcd_alg_find(const struct vcd_device *vcd,
					  u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcd_algs); i++)
		if (vcd_algs[i].id == id)
			return vcd_alg_offered(vcd, id) ? &vcd_algs[i] : NULL;
	return NULL;
}

static bool vcd_alg_is_cipher(const struct vcd_alg *alg)
{
	return alg->kind == VIRTIO_CRYPTODEV_KIND_CIPHER ||
	       alg->kind == VIRTIO_CRYPTODEV_KIND_AEAD;
}

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
	case VIRTIO_CRYPTODEV_S_NOMEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* Most pages a user range of @len bytes can span, whatever its alignment. */
static unsigned int vcd_pages_spanned(size_t len)
{
	return len ? DIV_ROUND_UP(len, PAGE_SIZE) + 1 : 0;
}

static void vcd_device_release(struct kref *ref)
{
	struct vcd_device *vcd = container_of(ref, struct vcd_device, ref);

	/* every file, and with it every session, is gone by now */
	WARN_ON_ONCE(!xa_empty(&vcd->user_sessions));
	xa_destroy(&vcd->user_sessions);
	kfree(vcd->queues);
	kfree(vcd);
}

static void vcd_device_put(struct vcd_device *vcd)
{
	kref_put(&vcd->ref, vcd_device_release);
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

static void vcd_pin_release(struct vcd_pin *pin)
{
	if (pin->write)
		unpin_user_pages_dirty_lock(pin->pages, pin->npages, true);
	else
		unpin_user_pages(pin->pages, pin->npages);
	kvfree(pin->pages);
}

/*
 * Charge @npages, about to be pinned for @req, to the calling user, against
 * its RLIMIT_MEMLOCK (CAP_IPC_LOCK lifts it): over the limit, wait until the
 * user's other requests let go of theirs.  A request larger than the limit
 * still goes when the user has nothing else pinned, so a user holds at most
 * the limit plus one request.  Pins are counted apart from mlock().
 */
static int vcd_pin_charge(struct vcd_req *req, unsigned long npages)
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
		if (err != -EAGAIN)
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

static void vcd_req_put(struct vcd_req *req)
{
	kref_put(&req->ref, vcd_req_release);
}

/* The device is done with @req (or will never see it again). */
static void vcd_req_complete(struct vcd_req *req, int err)
{
	req->err = err;
	complete(&req->done);
	kref_put(&req->ref, vcd_req_release_later);
}

/*
 * Build a request: one allocation for the struct, the sg table and the
 * bounce buffers; user buffers of at least zerocopy_min bytes are pinned
 * instead of copied.  src == dst (in place) pins the range once, writable.
 */
static struct vcd_req *vcd_req_build(struct vcd_device *vcd,
				     const struct vcd_op *op)
{
	unsigned int zc_min = min(READ_ONCE(zerocopy_min), VCD_BOUNCE_MAX);
	/* never pin an empty buffer: there may be no mm (release at exit) */
	bool zc = max(op->src_len, op->dst_len) &&
		  max(op->src_len, op->dst_len) >= zc_min;
	bool aad_zc = op->aad_len && op->aad_len >= zc_min;
	bool in_place = zc && op->src_len && op->dst_len && op->src == op->dst;
	size_t rd_len, wr_len, sg_len, rd_off, wr_off, total;
	struct vcd_pin *src_pin = NULL, *dst_pin = NULL, *aad_pin = NULL;
	struct virtio_cryptodev_req *hdr;
	unsigned long pin_pages;
	struct vcd_req *req;
	unsigned int nsg, n;
	u8 *p;
	int err;

	rd_len = sizeof(*hdr) + op->key_len + op->mac_key_len + op->iv_len +
		 (aad_zc ? 0 : op->aad_len) + (zc ? 0 : op->src_len);
	wr_len = (zc ? 0 : op->dst_len) + op->extra_len +
		 sizeof(struct virtio_cryptodev_resp);
	nsg = 3 + (aad_zc ? vcd_pages_spanned(op->aad_len) : 0) +
	      (zc ? vcd_pages_spanned(op->src_len) : 0) +
	      (zc ? vcd_pages_spanned(op->dst_len) : 0);

	/* A small sg table shares the allocation; a large one need not be
	 * physically contiguous, unlike the bounce buffers. */
	sg_len = nsg <= VCD_SG_INLINE ? nsg * sizeof(struct scatterlist) : 0;
	rd_off = ALIGN(sizeof(*req), 8) + sg_len;
	/* Keep what the device writes off the cache lines it reads. */
	wr_off = ALIGN(rd_off + rd_len, L1_CACHE_BYTES);
	total = wr_off + wr_len;
	if (WARN_ON_ONCE(total > 4 * VCD_BOUNCE_MAX))
		return ERR_PTR(-EINVAL);

	req = kzalloc(total, GFP_KERNEL_ACCOUNT);
	if (!req)
		return ERR_PTR(-ENOMEM);
	kref_init(&req->ref);
	init_completion(&req->done);
	req->sensitive = op->key_len || op->mac_key_len;
	req->nsg = nsg;
	req->max_seg = vcd->max_seg_size;
	if (sg_len) {
		req->sg = (struct scatterlist *)((u8 *)req + ALIGN(sizeof(*req), 8));
		req->sg_inline = true;
	} else {
		req->sg = kvmalloc_array(nsg, sizeof(*req->sg),
					 GFP_KERNEL_ACCOUNT);
		if (!req->sg) {
			req->sg_inline = true;	/* nothing to free */
			err = -ENOMEM;
			goto fail;
		}
	}
	sg_init_table(req->sg, nsg);

	/* one charge for all the request pins: it never waits on itself */
	pin_pages = aad_zc ? vcd_pin_pages(op->aad, op->aad_len) : 0;
	if (zc && op->src_len)
		pin_pages += vcd_pin_pages(op->src, in_place ?
					   max(op->src_len, op->dst_len) :
					   op->src_len);
	if (zc && op->dst_len && !in_place)
		pin_pages += vcd_pin_pages(op->dst, op->dst_len);
	err = vcd_pin_charge(req, pin_pages);
	if (err)
		goto fail;

	p = (u8 *)req + rd_off;
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

	err = -EFAULT;
	if (copy_from_user(p, op->key, op->key_len))
		goto fail;
	p += op->key_len;
	if (copy_from_user(p, op->mac_key, op->mac_key_len))
		goto fail;
	p += op->mac_key_len;
	if (copy_from_user(p, op->iv, op->iv_len))
		goto fail;
	p += op->iv_len;

	n = 0;
	vcd_sg_append_buf(req, &n, req->hdr, p - (u8 *)req->hdr);
	if (aad_zc) {
		aad_pin = &req->pins[req->npins];
		err = vcd_pin_user(aad_pin, (unsigned long)op->aad,
				   op->aad_len, false);
		if (err)
			goto fail;
		req->npins++;
		vcd_sg_append_pin(req, &n, aad_pin, op->aad_len);
	} else {
		err = -EFAULT;
		if (copy_from_user(p, op->aad, op->aad_len))
			goto fail;
		vcd_sg_append_buf(req, &n, p, op->aad_len);
		p += op->aad_len;
	}
	if (zc && op->src_len) {
		src_pin = &req->pins[req->npins];
		err = vcd_pin_user(src_pin, (unsigned long)op->src,
				   in_place ? max(op->src_len, op->dst_len) :
					      op->src_len,
				   in_place);
		if (err)
			goto fail;
		req->npins++;
		vcd_sg_append_pin(req, &n, src_pin, op->src_len);
	} else if (!zc) {
		err = -EFAULT;
		if (copy_from_user(p, op->src, op->src_len))
			goto fail;
		vcd_sg_append_buf(req, &n, p, op->src_len);
		p += op->src_len;
	}
	req->nout = n;
	sg_mark_end(&req->sg[n - 1]);
	req->chain_start = n;

	p = (u8 *)req + wr_off;
	if (zc && op->dst_len) {
		if (in_place) {
			dst_pin = src_pin;
		} else {
			dst_pin = &req->pins[req->npins];
			err = vcd_pin_user(dst_pin, (unsigned long)op->dst,
					   op->dst_len, true);
			if (err)
				goto fail;
			req->npins++;
		}
		vcd_sg_append_pin(req, &n, dst_pin, op->dst_len);
	} else if (!zc) {
		req->dst = p;
		p += op->dst_len;
	}
	req->extra = p;
	req->resp = p + op->extra_len;
	put_unaligned_le32(VCD_STATUS_UNSET, req->resp +
			   offsetof(struct virtio_cryptodev_resp, status));
	/* dst bounce (if any), extra and resp are contiguous: one entry */
	vcd_sg_append_buf(req, &n, req->dst ? req->dst : req->extra,
			  (req->dst ? op->dst_len : 0) + op->extra_len +
			  sizeof(struct virtio_cryptodev_resp));
	req->nin = n - req->nout;
	sg_mark_end(&req->sg[n - 1]);

	if (n > vcd->max_segs) {
		err = -EINVAL;
		goto fail;
	}
	return req;

fail:
	vcd_req_put(req);
	return ERR_PTR(err);
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

/*
 * Wait until the device is done with @req: 0, -EINTR on a fatal signal if
 * @killable, -EIO if the device broke the ring (then it still owns the
 * request, until the queues are reset).
 */
static int vcd_req_wait(struct vcd_device *vcd, struct vcd_req *req,
			bool killable)
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
 * Put @req on a request queue and notify the device.  The queue lock is
 * held only to add the buffers; a full ring puts the caller to sleep until
 * completions make room, served in arrival order.
 */
static int vcd_req_submit(struct vcd_device *vcd, struct vcd_req *req)
{
	struct scatterlist *sgs[2] = { &req->sg[0], &req->sg[req->nout] };
	struct list_head me = LIST_HEAD_INIT(me);	/* in q->waiters */
	struct vcd_queue *q = NULL;
	unsigned long flags;
	bool notify, tried;
	int err;

	for (;;) {
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
			notify = virtqueue_kick_prepare(q->vq);
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
		if (!err && notify)
			virtqueue_notify(q->vq);
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

static void vcd_vq_done(struct virtqueue *vq)
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

/* ---- sessions ---------------------------------------------------------------- */

/*
 * Run @op and wait for it.  With a session (Callers must hold sess->lock)
 * the wait ends on a fatal signal: the request is then parked on the
 * session, so that the next user waits for the device to finish with it.
 * Session creation and destruction wait uninterruptibly: abandoning them
 * would leak or double-free a handle on the device.
 */
static int vcd_exec(struct vcd_device *vcd, struct vcd_session *sess,
		    const struct vcd_op *op, u32 expect_len, void *extra,
		    u64 *session)
{
	struct vcd_req *req;
	int err;

	req = vcd_req_build(vcd, op);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = vcd_req_submit(vcd, req);
	if (err)
		goto out;
	err = vcd_req_wait(vcd, req, sess != NULL);
	if (err && sess) {
		sess->busy = req;	/* our reference goes with it */
		return err;
	}
	if (err)
		goto out;
	err = vcd_req_result(req, expect_len, session);
	if (err)
		goto out;
	if (extra)
		memcpy(extra, req->extra, op->extra_len);
	if (req->dst && copy_to_user(op->dst, req->dst, op->dst_len))
		err = -EFAULT;
out:
	vcd_req_put(req);
	return err;
}

/*
 * Wait until the device is done with a request a killed caller left on the
 * session.  Callers must hold sess->lock.
 */
static int vcd_session_wait_idle(struct vcd_device *vcd,
				 struct vcd_session *sess, bool killable)
{
	int err;

	if (!sess->busy)
		return 0;
	err = vcd_req_wait(vcd, sess->busy, killable);
	if (err)
		return err;
	vcd_req_put(sess->busy);
	sess->busy = NULL;
	return 0;
}

static void vcd_session_release(struct kref *ref)
{
	struct vcd_session *sess = container_of(ref, struct vcd_session, ref);

	/* only a broken device leaves one: it is freed when the rings are */
	if (sess->busy)
		vcd_req_put(sess->busy);
	kfree(sess);
}

static void vcd_session_put(struct vcd_session *sess)
{
	kref_put(&sess->ref, vcd_session_release);
}

static struct vcd_session *vcd_session_get(struct vcd_file *vf, u32 id)
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

/*
 * Lock a session for an operation; fails if it was destroyed meanwhile or
 * the device has forgotten it.
 */
static int vcd_session_lock(struct vcd_device *vcd, struct vcd_session *sess)
{
	int err;

	if (mutex_lock_killable(&sess->lock))
		return -EINTR;
	err = sess->dead || vcd_session_stale(vcd, sess) ? -EINVAL :
	      vcd_session_wait_idle(vcd, sess, true);
	if (err)
		mutex_unlock(&sess->lock);
	return err;
}

/*
 * Free @sess on the device; the caller has unlinked it from its file.
 * Callers must hold sess->lock.
 */
static void vcd_session_destroy_locked(struct vcd_device *vcd,
				       struct vcd_session *sess)
{
	struct vcd_op op = {
		.opcode = VIRTIO_CRYPTODEV_OP_DESTROY_SESSION,
	};

	vcd_session_wait_idle(vcd, sess, false);
	/* a stale handle may name another file's session now */
	if (!sess->dead && !vcd_session_stale(vcd, sess)) {
		op.session = sess->handle;
		/* A device that is gone has forgotten the session anyway. */
		vcd_exec(vcd, NULL, &op, 0, NULL, NULL);
		sess->dead = true;
	}
}

static void vcd_session_destroy(struct vcd_device *vcd,
			       struct vcd_session *sess)
{
	mutex_lock(&sess->lock);
	vcd_session_destroy_locked(vcd, sess);
	mutex_unlock(&sess->lock);
}

/* The most sessions one user may hold on @vcd. */
static unsigned int vcd_user_session_limit(const struct vcd_device *vcd)
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
static int vcd_session_charge(struct vcd_file *vf)
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

static void vcd_session_uncharge(struct vcd_file *vf)
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

/* ---- ioctls ------------------------------------------------------------------ */

static int vcd_ioctl_gsession(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_device *vcd = vf->vcd;
	struct vcd_op op = { .opcode = VIRTIO_CRYPTODEV_OP_CREATE_SESSION };
	const struct vcd_alg *alg;
	struct vcd_session *sess;
	struct session_op sop;
	u32 id;
	int err;

	if (copy_from_user(&sop, uarg, sizeof(sop)))
		return -EFAULT;
	/* One algorithm per session: the device has no combined modes. */
	if (!sop.cipher == !sop.mac)
		return -EINVAL;

	if (sop.cipher) {
		alg = vcd_alg_find(vcd, sop.cipher);
		if (!alg || !vcd_alg_is_cipher(alg))
			return -EINVAL;
		/* every cipher offered is AES (within CRYPTO_CIPHER_MAX_KEY_LEN) */
		if (sop.keylen != 16 && sop.keylen != 24 && sop.keylen != 32)
			return -EINVAL;
		if (sop.keylen > vcd->max_key_len)
			return -EINVAL;
		op.cipher = sop.cipher;
		op.key = sop.key;
		op.key_len = sop.keylen;
	} else {
		alg = vcd_alg_find(vcd, sop.mac);
		if (!alg || vcd_alg_is_cipher(alg))
			return -EINVAL;
		op.mac = sop.mac;
		if (alg->kind == VIRTIO_CRYPTODEV_KIND_HMAC) {
			if (sop.mackeylen > CRYPTO_HMAC_MAX_KEY_LEN ||
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
	sess->alg = alg;
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

	sop.ses = id;
	if (copy_to_user(uarg, &sop, sizeof(sop))) {
		err = -EFAULT;
		goto err_release;
	}
	/* the slot is reserved: storing needs no memory and cannot fail */
	WARN_ON_ONCE(xa_is_err(xa_store(&vf->sessions, id, sess, GFP_KERNEL)));
	return 0;

err_release:
	xa_release(&vf->sessions, id);
err_destroy:
	vcd_session_destroy(vcd, sess);
err_free:
	vcd_session_put(sess);
err_uncharge:
	vcd_session_uncharge(vf);
	return err;
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
 * chains them through the session's IV (iv_len 0 continues).
 */
static int vcd_crypt_cipher(struct vcd_device *vcd, struct vcd_session *sess,
			    const struct crypt_op *cop)
{
	const struct vcd_alg *alg = sess->alg;
	bool write_iv = (cop->flags & COP_FLAG_WRITE_IV) && cop->iv &&
			alg->iv_len;
	u8 iv_out[EALG_MAX_BLOCK_LEN];
	u32 done = 0;
	int err;

	if (cop->len % alg->block_len)
		return -EINVAL;

	do {
		u32 n = min(cop->len - done, vcd->max_len);
		bool last = done + n == cop->len;
		struct vcd_op op = {
			.opcode = VIRTIO_CRYPTODEV_OP_CIPHER,
			.session = sess->handle,
			.src = cop->src + done,
			.src_len = n,
			.dst = cop->dst + done,
			.dst_len = n,
		};

		if (cop->op == COP_DECRYPT)
			op.flags |= VIRTIO_CRYPTODEV_F_DECRYPT;
		if (!done && cop->iv) {
			op.iv = cop->iv;
			op.iv_len = alg->iv_len;
		}
		if (last && write_iv) {
			op.flags |= VIRTIO_CRYPTODEV_F_IV_OUT;
			op.extra_len = alg->iv_len;
		}
		err = vcd_exec(vcd, sess, &op, n + op.extra_len, iv_out, NULL);
		if (err)
			return err;
		done += n;
	} while (done < cop->len);

	if (write_iv && copy_to_user(cop->iv, iv_out, alg->iv_len))
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

static int vcd_ioctl_crypt(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_session *sess;
	struct crypt_op cop;
	int err;

	if (copy_from_user(&cop, uarg, sizeof(cop)))
		return -EFAULT;
	if (cop.op != COP_ENCRYPT && cop.op != COP_DECRYPT)
		return -EINVAL;
	sess = vcd_session_get(vf, cop.ses);
	if (!sess)
		return -EINVAL;
	err = vcd_session_lock(vf->vcd, sess);
	if (err)
		goto out_put;

	switch (sess->alg->kind) {
	case VIRTIO_CRYPTODEV_KIND_CIPHER:
		err = vcd_crypt_cipher(vf->vcd, sess, &cop);
		break;
	case VIRTIO_CRYPTODEV_KIND_HASH:
	case VIRTIO_CRYPTODEV_KIND_HMAC:
		err = vcd_crypt_hash(vf->vcd, sess, &cop);
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

static int vcd_ioctl_authcrypt(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_device *vcd = vf->vcd;
	struct vcd_session *sess;
	struct crypt_auth_op caop;
	struct vcd_op op = { .opcode = VIRTIO_CRYPTODEV_OP_AEAD };
	u32 tag_len;
	int err;

	if (copy_from_user(&caop, uarg, sizeof(caop)))
		return -EFAULT;
	if (caop.op != COP_ENCRYPT && caop.op != COP_DECRYPT)
		return -EINVAL;
	/* TLS and SRTP record modes need combined sessions: not offered */
	if (caop.flags & (COP_FLAG_AEAD_TLS_TYPE | COP_FLAG_AEAD_SRTP_TYPE))
		return -EINVAL;
	sess = vcd_session_get(vf, caop.ses);
	if (!sess)
		return -EINVAL;

	err = -EINVAL;
	if (sess->alg->kind != VIRTIO_CRYPTODEV_KIND_AEAD)
		goto out_put;
	tag_len = caop.tag_len ? caop.tag_len : sess->alg->digest_len;
	if (!vcd_gcm_tag_len_valid(tag_len) || caop.len > vcd->max_len ||
	    caop.auth_len > vcd->max_aad_len)
		goto out_put;
	if (caop.op == COP_DECRYPT && caop.len < tag_len)
		goto out_put;
	if (!caop.iv)
		goto out_put;	/* GCM needs a nonce every time */

	op.session = sess->handle;
	op.iv = caop.iv;
	op.iv_len = sess->alg->iv_len;
	op.aad = caop.auth_src;
	op.aad_len = caop.auth_len;
	op.src = caop.src;
	op.src_len = caop.len;
	op.dst = caop.dst;
	op.tag_len = tag_len;
	if (caop.op == COP_DECRYPT) {
		op.flags = VIRTIO_CRYPTODEV_F_DECRYPT;
		op.dst_len = caop.len - tag_len;
	} else {
		op.dst_len = caop.len + tag_len;
	}

	err = vcd_session_lock(vcd, sess);
	if (err)
		goto out_put;
	err = vcd_exec(vcd, sess, &op, op.dst_len, NULL, NULL);
	mutex_unlock(&sess->lock);
	if (err)
		goto out_put;

	caop.len = op.dst_len;
	caop.tag_len = tag_len;
	if (copy_to_user(uarg, &caop, sizeof(caop)))
		err = -EFAULT;
out_put:
	vcd_session_put(sess);
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
	info->alignmask = 0;
	info->flags = SIOP_FLAG_KERNEL_DRIVER_ONLY;
	if (copy_to_user(uarg, info, sizeof(*info)))
		err = -EFAULT;
	kfree(info);
out_put:
	vcd_session_put(sess);
	return err;
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
	return vf;
}

static void vcd_file_free(struct vcd_file *vf)
{
	struct vcd_session *sess;
	unsigned long id;

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
 * CRIOGET: a new file descriptor on the same device, with its own
 * sessions (the BSD semantics programs written for it expect).
 */
static int vcd_ioctl_crioget(struct vcd_file *vf, void __user *uarg)
{
	struct vcd_file *nvf;
	struct file *file;
	int fd, err;

	if (READ_ONCE(vf->vcd->gone))
		return -ENODEV;
	nvf = vcd_file_alloc(vf->vcd);
	if (!nvf)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		vcd_file_free(nvf);
		return fd;
	}
	file = anon_inode_getfile("[cryptodev]", &vcd_fops, nvf, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		vcd_file_free(nvf);
		return PTR_ERR(file);
	}
	err = put_user(fd, (u32 __user *)uarg);
	if (err) {
		fput(file);	/* releases nvf */
		put_unused_fd(fd);
		return err;
	}
	fd_install(fd, file);
	return 0;
}

static long vcd_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vcd_file *vf = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case CRIOGET:
		return vcd_ioctl_crioget(vf, uarg);
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
	default:
		return -ENOTTY;
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

static const struct file_operations vcd_fops = {
	.owner = THIS_MODULE,
	.open = vcd_open,
	.release = vcd_release,
	.unlocked_ioctl = vcd_ioctl,
	.llseek = no_llseek,
};

/* ---- sysfs: the limits, for users and tests -------------------------------- */

static struct vcd_device *vcd_from_dev(struct device *dev)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct vcd_node, misc)->vcd;
}

static ssize_t max_data_len_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->max_len);
}
static DEVICE_ATTR_RO(max_data_len);

static ssize_t max_aad_len_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->max_aad_len);
}
static DEVICE_ATTR_RO(max_aad_len);

static ssize_t max_sessions_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->max_sessions);
}
static DEVICE_ATTR_RO(max_sessions);

/* what one user may hold here: max_sessions_per_user, capped */
static ssize_t max_sessions_per_user_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vcd_user_session_limit(vcd_from_dev(dev)));
}
static DEVICE_ATTR_RO(max_sessions_per_user);

static ssize_t queues_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->nqueues);
}
static DEVICE_ATTR_RO(queues);

static ssize_t algorithms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct vcd_device *vcd = vcd_from_dev(dev);
	unsigned int i;
	int len = 0;

	for (i = 0; i < ARRAY_SIZE(vcd_algs); i++)
		if (vcd_alg_offered(vcd, vcd_algs[i].id))
			len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
					     vcd_algs[i].name);
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(algorithms);

static struct attribute *vcd_attrs[] = {
	&dev_attr_max_data_len.attr,
	&dev_attr_max_aad_len.attr,
	&dev_attr_max_sessions.attr,
	&dev_attr_max_sessions_per_user.attr,
	&dev_attr_queues.attr,
	&dev_attr_algorithms.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vcd);

/* ---- debugfs: faults for tests ---------------------------------------------------- */

/*
 * Writing 1 to virtio_cryptodev/cryptodevN/break marks the rings broken, as
 * the virtio core does when a device misbehaves: callers must get -EIO, not
 * wait for good.  Unbinding and binding the device again repairs it.
 * fail_restore (Y) makes the next restore() fail as if the queues could
 * not be set up again.
 */
static int vcd_debug_break_set(void *data, u64 val)
{
	struct vcd_device *vcd = data;

	if (val != 1)
		return -EINVAL;
	down_read(&vcd->vdev_sem);
	if (vcd->vdev && !vcd->suspended && !vcd->broken)
		virtio_break_device(vcd->vdev);
	up_read(&vcd->vdev_sem);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vcd_debug_break_fops, NULL, vcd_debug_break_set,
			 "%llu\n");

static void vcd_debugfs_add(struct vcd_device *vcd)
{
	vcd->debugfs = debugfs_create_dir(vcd->name, vcd_drv.debugfs);
	debugfs_create_file_unsafe("break", 0200, vcd->debugfs, vcd,
				   &vcd_debug_break_fops);
	debugfs_create_bool("fail_restore", 0600, vcd->debugfs,
			    &vcd->fail_restore);
}

/* ---- probe and remove ------------------------------------------------------------ */

static void vcd_node_init(struct vcd_node *node, struct vcd_device *vcd,
			  const char *name)
{
	memset(&node->misc, 0, sizeof(node->misc));
	node->misc.minor = MISC_DYNAMIC_MINOR;
	node->misc.name = name;
	node->misc.fops = &vcd_fops;
	node->misc.parent = &vcd->vdev->dev;
	node->misc.groups = vcd_groups;
	node->misc.mode = 0666;
	node->vcd = vcd;
}

/*
 * Give /dev/crypto to the first device while nobody else owns the name.
 * Callers must hold vcd_drv.lock.
 */
static void vcd_alias_claim(void)
{
	struct vcd_device *vcd;
	struct device *other;

	list_for_each_entry(vcd, &vcd_drv.devices, list)
		if (vcd->alias_registered)
			return;
	vcd = list_first_entry_or_null(&vcd_drv.devices, struct vcd_device,
				       list);
	if (!vcd)
		return;
	/* Another driver (cryptodev-linux) may have it: then leave it be. */
	other = class_find_device_by_name(vcd->node.misc.this_device->class,
					  VCD_ALIAS_NAME);
	if (other) {
		put_device(other);
		return;
	}
	vcd_node_init(&vcd->alias, vcd, VCD_ALIAS_NAME);
	if (!misc_register(&vcd->alias.misc))
		vcd->alias_registered = true;
}

static int vcd_read_config(struct vcd_device *vcd)
{
	struct virtio_device *vdev = vcd->vdev;
	u32 num_queues, max_data, max_segs;
	unsigned int i;

	virtio_cread_le(vdev, struct virtio_cryptodev_config, num_queues,
			&num_queues);
	virtio_cread_le(vdev, struct virtio_cryptodev_config, max_sessions,
			&vcd->max_sessions);
	virtio_cread_le(vdev, struct virtio_cryptodev_config, max_data_len,
			&max_data);
	virtio_cread_le(vdev, struct virtio_cryptodev_config, max_key_len,
			&vcd->max_key_len);
	virtio_cread_le(vdev, struct virtio_cryptodev_config, max_mac_key_len,
			&vcd->max_mac_key_len);
	virtio_cread_le(vdev, struct virtio_cryptodev_config, max_aad_len,
			&vcd->max_aad_len);
	virtio_cread_le(vdev, struct virtio_cryptodev_config, max_segments,
			&max_segs);
	virtio_cread_bytes(vdev,
			   offsetof(struct virtio_cryptodev_config, algorithms),
			   vcd->algorithms, sizeof(vcd->algorithms));

	if (!num_queues) {
		dev_err(&vdev->dev, "device offers no request queue\n");
		return -EINVAL;
	}
	vcd->nqueues = min3(num_queues, num_online_cpus(),
			    (u32)VIRTIO_CRYPTODEV_MAX_QUEUES);
	vcd->max_key_len = min_t(u32, vcd->max_key_len,
				 CRYPTO_CIPHER_MAX_KEY_LEN);
	vcd->max_mac_key_len = min_t(u32, vcd->max_mac_key_len,
				     CRYPTO_HMAC_MAX_KEY_LEN);
	vcd->max_aad_len = min_t(u32, vcd->max_aad_len, VCD_AAD_MAX);
	vcd->max_segs = min_t(u32, max_segs, VIRTIO_CRYPTODEV_MAX_SEGMENTS);
	vcd->max_len = min_t(u32, max_data, VCD_DATA_MAX);
	/* remaining checks need the rings: see vcd_fit_limits() */
	for (i = 0; i < ARRAY_SIZE(vcd_algs); i++)
		if (vcd_alg_offered(vcd, vcd_algs[i].id))
			break;
	if (i == ARRAY_SIZE(vcd_algs))
		dev_warn(&vdev->dev, "device offers no algorithm we know\n");
	return 0;
}

/*
 * Make every request the driver builds fit in one descriptor chain, each
 * entry within what the DMA layer maps in one segment.  A request of
 * the largest size, its buffers pinned and unaligned, then AAD at its
 * largest, must stay within max_segs; longer cipher and hash operations are
 * split into requests of max_len bytes.
 */
static int vcd_fit_limits(struct vcd_device *vcd)
{
	struct virtio_device *vdev = vcd->vdev;
	unsigned int i, per_buf;
	u32 limit = vcd->max_segs;

	/*
	 * Indirect descriptors or not, a chain may not be longer than the
	 * ring (virtio 1.2, 2.7.5.3.1).
	 */
	for (i = 0; i < vcd->nqueues; i++)
		limit = min(limit, virtqueue_get_vring_size(vcd->queues[i].vq));
	vcd->max_segs = limit;

	vcd->max_seg_size = min_t(size_t, virtio_max_dma_size(vdev),
				  UINT_MAX & PAGE_MASK);
	if (vcd->max_seg_size < VCD_SEG_MIN) {
		dev_err(&vdev->dev, "DMA segments of %u bytes are too small\n",
			vcd->max_seg_size);
		return -EINVAL;
	}

	/* header 1, AAD, src, dst, trailer 1, one spare */
	if (limit < 3 + vcd_pages_spanned(vcd->max_aad_len))
		goto too_small;
	per_buf = (limit - 3 - vcd_pages_spanned(vcd->max_aad_len)) / 2;
	/* an unaligned buffer spans one page more; dst adds the tag */
	if (per_buf < 3)
		goto too_small;
	vcd->max_len = min_t(u32, vcd->max_len, (per_buf - 2) * PAGE_SIZE);
	vcd->max_len = round_down(vcd->max_len, EALG_MAX_BLOCK_LEN);
	if (!vcd->max_len)
		goto too_small;
	return 0;

too_small:
	dev_err(&vdev->dev, "device limits too small (%u segments, %u bytes)\n",
		limit, vcd->max_len);
	return -EINVAL;
}

static int vcd_init_vqs(struct vcd_device *vcd)
{
	struct virtio_device *vdev = vcd->vdev;
	vq_callback_t **callbacks;
	struct virtqueue **vqs;
	const char **names;
	unsigned int i;
	int err = -ENOMEM;

	/* restore() comes back here with the queues already set up */
	if (!vcd->queues) {
		vcd->queues = kcalloc(vcd->nqueues, sizeof(*vcd->queues),
				      GFP_KERNEL);
		if (!vcd->queues)
			return -ENOMEM;
		for (i = 0; i < vcd->nqueues; i++) {
			struct vcd_queue *q = &vcd->queues[i];

			spin_lock_init(&q->lock);
			INIT_LIST_HEAD(&q->waiters);
			init_waitqueue_head(&q->room);
			snprintf(q->name, sizeof(q->name), "req.%u", i);
		}
	}
	vqs = kcalloc(vcd->nqueues, sizeof(*vqs), GFP_KERNEL);
	callbacks = kcalloc(vcd->nqueues, sizeof(*callbacks), GFP_KERNEL);
	names = kcalloc(vcd->nqueues, sizeof(*names), GFP_KERNEL);
	if (!vqs || !callbacks || !names)
		goto out;

	for (i = 0; i < vcd->nqueues; i++) {
		callbacks[i] = vcd_vq_done;
		names[i] = vcd->queues[i].name;
	}
	err = virtio_find_vqs(vdev, vcd->nqueues, vqs, callbacks, names, NULL);
	if (err)
		goto out;
	for (i = 0; i < vcd->nqueues; i++)
		vcd->queues[i].vq = vqs[i];
out:
	kfree(names);
	kfree(callbacks);
	kfree(vqs);
	return err;
}

/*
 * Completions go to the CPUs that submit on the queue (CPU n uses queue
 * n % nqueues): the waiter wakes where the interrupt lands, without an IPI
 * to another vCPU, which costs dearly under TCG.
 */
static void vcd_set_affinity(struct vcd_device *vcd)
{
	cpumask_var_t mask;
	unsigned int i, cpu;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;		/* only a hint */
	for (i = 0; i < vcd->nqueues; i++) {
		cpumask_clear(mask);
		for_each_online_cpu(cpu)
			if (cpu % vcd->nqueues == i)
				cpumask_set_cpu(cpu, mask);
		virtqueue_set_affinity(vcd->queues[i].vq, mask);
	}
	free_cpumask_var(mask);
}

/* Fail every request the device still holds; it has been reset. */
static void vcd_drain_queues(struct vcd_device *vcd, int err)
{
	struct vcd_req *req;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < vcd->nqueues; i++) {
		struct vcd_queue *q = &vcd->queues[i];

		if (!q->vq)
			continue;	/* a failed restore left none */
		spin_lock_irqsave(&q->lock, flags);
		while ((req = virtqueue_detach_unused_buf(q->vq)))
			vcd_req_complete(req, err);
		spin_unlock_irqrestore(&q->lock, flags);
	}
}

/* Delete the virtqueues and forget them: nothing may use them again. */
static void vcd_del_vqs(struct vcd_device *vcd, struct virtio_device *vdev)
{
	unsigned int i;

	vdev->config->del_vqs(vdev);
	for (i = 0; i < vcd->nqueues; i++)
		vcd->queues[i].vq = NULL;
}

static int vcd_probe(struct virtio_device *vdev)
{
	struct vcd_device *vcd;
	int err;

	if (!vdev->config->get) {
		dev_err(&vdev->dev, "config access disabled\n");
		return -EINVAL;
	}
	vcd = kzalloc(sizeof(*vcd), GFP_KERNEL);
	if (!vcd)
		return -ENOMEM;
	kref_init(&vcd->ref);
	init_rwsem(&vcd->vdev_sem);
	mutex_init(&vcd->user_lock);
	xa_init(&vcd->user_sessions);
	INIT_LIST_HEAD(&vcd->list);
	vcd->vdev = vdev;
	vdev->priv = vcd;

	err = ida_alloc(&vcd_drv.ids, GFP_KERNEL);
	if (err < 0)
		goto err_put;
	vcd->id = err;
	snprintf(vcd->name, sizeof(vcd->name), "cryptodev%d", vcd->id);

	err = vcd_read_config(vcd);
	if (err)
		goto err_ida;
	err = vcd_init_vqs(vcd);
	if (err)
		goto err_ida;
	err = vcd_fit_limits(vcd);
	if (err)
		goto err_del_vqs;
	vcd_set_affinity(vcd);

	virtio_device_ready(vdev);

	vcd_node_init(&vcd->node, vcd, vcd->name);
	err = misc_register(&vcd->node.misc);
	if (err)
		goto err_reset;

	mutex_lock(&vcd_drv.lock);
	list_add_tail(&vcd->list, &vcd_drv.devices);
	vcd_alias_claim();
	mutex_unlock(&vcd_drv.lock);

	vcd_debugfs_add(vcd);
	dev_info(&vdev->dev, "/dev/%s: %u queues, %u bytes per request%s\n",
		 vcd->name, vcd->nqueues, vcd->max_len,
		 vcd->alias_registered ? ", also /dev/" VCD_ALIAS_NAME : "");
	return 0;

err_reset:
	virtio_reset_device(vdev);
err_del_vqs:
	vdev->config->del_vqs(vdev);
err_ida:
	ida_free(&vcd_drv.ids, vcd->id);
err_put:
	vdev->priv = NULL;
	vcd_device_put(vcd);
	return err;
}

static void vcd_remove(struct virtio_device *vdev)
{
	struct vcd_device *vcd = vdev->priv;
	unsigned int i;

	/* waits for writers in progress */
	debugfs_remove(vcd->debugfs);
	/* No new opens; misc_deregister waits for opens in progress. */
	mutex_lock(&vcd_drv.lock);
	list_del(&vcd->list);
	if (vcd->alias_registered) {
		misc_deregister(&vcd->alias.misc);
		vcd->alias_registered = false;
		vcd_alias_claim();	/* hand /dev/crypto to another device */
	}
	mutex_unlock(&vcd_drv.lock);
	misc_deregister(&vcd->node.misc);

	/* No new requests; files still open get -ENODEV from now on. */
	down_write(&vcd->vdev_sem);
	vcd->vdev = NULL;
	WRITE_ONCE(vcd->gone, true);
	up_write(&vcd->vdev_sem);
	for (i = 0; i < vcd->nqueues; i++)
		wake_up_all(&vcd->queues[i].room);

	/* Stop the device, then fail what it still held. */
	virtio_reset_device(vdev);
	vcd_drain_queues(vcd, -ENODEV);
	vcd_del_vqs(vcd, vdev);

	ida_free(&vcd_drv.ids, vcd->id);
	vdev->priv = NULL;
	vcd_device_put(vcd);
}

#ifdef CONFIG_PM_SLEEP
/*
 * Suspend: userspace is frozen, so nothing new arrives; stop the device and
 * its queues as remove() does, but keep the nodes and the open files.
 */
static int vcd_freeze(struct virtio_device *vdev)
{
	struct vcd_device *vcd = vdev->priv;
	unsigned int i;

	down_write(&vcd->vdev_sem);
	WRITE_ONCE(vcd->suspended, true);
	up_write(&vcd->vdev_sem);
	for (i = 0; i < vcd->nqueues; i++)
		wake_up_all(&vcd->queues[i].room);

	virtio_reset_device(vdev);
	vcd_drain_queues(vcd, -EIO);
	vcd_del_vqs(vcd, vdev);
	return 0;
}

static int vcd_restore(struct virtio_device *vdev)
{
	struct vcd_device *vcd = vdev->priv;
	int err;

	err = vcd->fail_restore ? -ENOMEM : vcd_init_vqs(vcd);
	vcd->fail_restore = false;
	if (err) {
		/*
		 * No queues: requests get -EIO from now on (and waiters wake
		 * to find that out); remove() finds nothing to drain.
		 */
		dev_err(&vdev->dev, "cannot set up the queues again: %d\n", err);
		down_write(&vcd->vdev_sem);
		vcd->broken = true;
		WRITE_ONCE(vcd->suspended, false);
		up_write(&vcd->vdev_sem);
		return err;
	}
	vcd_set_affinity(vcd);
	virtio_device_ready(vdev);

	down_write(&vcd->vdev_sem);
	vcd->generation++;	/* the reset forgot every session */
	WRITE_ONCE(vcd->suspended, false);
	up_write(&vcd->vdev_sem);
	return 0;
}
#endif

/* ---- driver table ---------------------------------------------------------------- */

static const struct virtio_device_id vcd_id_table[] = {
	{ VIRTIO_ID_CRYPTODEV, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vcd_id_table);

static struct virtio_driver vcd_virtio_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = vcd_id_table,
	.probe = vcd_probe,
	.remove = vcd_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vcd_freeze,
	.restore = vcd_restore,
#endif
};

static int __init vcd_init(void)
{
	int err;

	vcd_drv.wq = alloc_workqueue("virtio_cryptodev", 0, 0);
	if (!vcd_drv.wq)
		return -ENOMEM;
	vcd_drv.debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	err = register_virtio_driver(&vcd_virtio_driver);
	if (err) {
		debugfs_remove(vcd_drv.debugfs);
		destroy_workqueue(vcd_drv.wq);
	}
	return err;
}

static void __exit vcd_exit(void)
{
	unregister_virtio_driver(&vcd_virtio_driver);
	debugfs_remove(vcd_drv.debugfs);
	/* requests freed late by the callback are released by now */
	destroy_workqueue(vcd_drv.wq);
	WARN_ON_ONCE(!xa_empty(&vcd_drv.pinned_by_uid));
	xa_destroy(&vcd_drv.pinned_by_uid);
	ida_destroy(&vcd_drv.ids);
}

module_init(vcd_init);
module_exit(vcd_exit);

MODULE_DESCRIPTION("virtio-cryptodev: the cryptodev-linux ABI on a virtio crypto device");
MODULE_LICENSE("GPL");
