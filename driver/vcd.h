/* SPDX-License-Identifier: GPL-2.0-or-later */
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
 * The driver's files: vcd_main.c (module, probe and remove, config,
 * virtqueues, suspend and resume, the /dev/crypto alias), vcd_req.c (the
 * request path: build, submit, complete, pinned user memory), vcd_session.c
 * (the algorithms, sessions and their limits per file and user),
 * vcd_ioctl.c (the cryptodev-linux ioctls and file operations),
 * vcd_combined.c (combined cipher+MAC sessions' TLS and SRTP records) and
 * vcd_sysfs.c (sysfs limits, debugfs faults).  Every difference between
 * kernel versions lives in vcd_compat.h.
 *
 * Lifetimes: an open file holds a reference on its vcd_device, which
 * outlives the virtio device after hot-unplug (later calls get -ENODEV).  A
 * request is referenced by its caller and, while on the ring, by the device;
 * whoever drops the last reference frees its buffers and unpins its pages,
 * so a caller killed mid-request never lets the device write freed memory.
 */
#ifndef _VCD_H
#define _VCD_H

#include <linux/compat.h>
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
#include <linux/poll.h>
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

#include "vcd_compat.h"
#include "virtio_cryptodev.h"
#include "crypto/cryptodev.h"
#include "virtio_cryptodev_algs.h"

#define VCD_ALIAS_NAME		"crypto"
/* Buffers larger than this are always pinned, whatever zerocopy_min says. */
#define VCD_BOUNCE_MAX		(64 * 1024)
/* Sanity caps on what the device advertises. */
#define VCD_AAD_MAX		(64 * 1024)
#define VCD_DATA_MAX		(64 * 1024 * 1024)
#define VCD_TAG_MAX		16
#define VCD_IV_MAX		16
#define VCD_STATUS_UNSET	0xffffffffu
/* sg tables up to this many entries live in the request's allocation */
#define VCD_SG_INLINE		64
/*
 * A request's bounce buffers are each one sg entry: the DMA layer must
 * take segments this large (swiotlb takes 256 KiB).
 */
#define VCD_SEG_MIN		(2 * VCD_BOUNCE_MAX + PAGE_SIZE)
/* deferred requests (vcd_req_submit()) that make one notification */
#define VCD_KICK_BATCH		16
/* how often a wait looks whether the device broke its ring */
#define VCD_BROKEN_POLL		HZ

/* What the driver knows about each algorithm it can pass to the device. */
struct vcd_alg {
	u32 id;			/* enum cryptodev_crypto_op_t */
	u8 kind;		/* enum virtio_cryptodev_alg_kind */
	u8 iv_len;		/* IV of the mode, 0 if none */
	u8 block_len;		/* cipher: len must be a multiple of this */
	u8 digest_len;		/* hash, HMAC: digest; AEAD: full tag */
	u16 key_min, key_max, key_step;	/* key lengths the algorithm takes */
	const char *name;	/* crypto API name, as cryptodev-linux reports */
	const char *driver_name;
};

/* The table's length, counted from the one list. */
#define VCD_ALG_ONE(...) + 1
enum { VCD_NALGS = 0 VIRTIO_CRYPTODEV_ALGS(VCD_ALG_ONE) };
#undef VCD_ALG_ONE

#define VCD_ALG_BITS	(8 * sizeof_field(struct virtio_cryptodev_config, algorithms))

struct vcd_device;
struct vcd_async;

/*
 * The kinds of data operation the counters in sysfs (stats/) tell apart;
 * a new kind of operation adds a row here and its attributes there.
 */
enum vcd_stat_kind {
	VCD_STAT_CIPHER,
	VCD_STAT_HASH,
	VCD_STAT_AEAD,
	VCD_STAT_COMBINED,	/* cipher and MAC: hash-n-crypt, TLS, SRTP */
	VCD_NSTAT_KINDS
};

/* What a device has done since probe, for users to read in sysfs. */
struct vcd_stats {
	atomic64_t requests[VCD_NSTAT_KINDS];	/* completed with success */
	atomic64_t bytes[VCD_NSTAT_KINDS];	/* their input data */
	atomic64_t errors;		/* data requests the device failed */
	/* user buffer bytes (src, dst, AAD) the device used in place / copied */
	atomic64_t zerocopy_bytes;
	atomic64_t copied_bytes;
};

/* One request virtqueue. */
struct vcd_queue {
	spinlock_t lock;		/* protects vq, full and waiters */
	struct virtqueue *vq;
	bool full;			/* a submitter found the ring full */
	unsigned int deferred;		/* added without notifying the device */
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
	struct delayed_work kick_work;	/* notifies of deferred requests */
	bool fail_pin;			/* debugfs fault: user pages never pin */
	struct vcd_stats stats;
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
	const struct vcd_alg *alg;	/* a combined session's cipher */
	const struct vcd_alg *mac_alg;	/* combined sessions only */
	bool dead;			/* destroyed on the device */
	struct vcd_req *busy;		/* abandoned by a killed caller */
	/*
	 * Asynchronous operations on the device now, and those of them that
	 * continue the session's state (chained IV, hash update); changed
	 * where they complete, so atomic.  async_idle is woken as they go.
	 */
	atomic_t async_busy;
	atomic_t async_dep;
	wait_queue_head_t async_idle;
	/*
	 * AEAD: the nonce of the last operation, which one without an IV
	 * uses again (cryptodev-linux keeps the IV in the session; the
	 * device takes one with every request).  Zero before the first.
	 */
	u8 aead_iv[VCD_IV_MAX];
};

/*
 * An open file and its set of sessions; CRIOGET's descriptors and dup()s
 * share it.
 */
struct vcd_file {
	struct vcd_device *vcd;		/* holds a reference */
	struct xarray sessions;		/* id -> vcd_session; xa_lock for lookup */
	kuid_t uid;			/* the opener's: charged for sessions */
	unsigned int nsessions;		/* under vcd->user_lock */
	struct vcd_async *async;	/* CIOCASYNCCRYPT's queue (vcd_async.c) */
};

/*
 * A range of user memory the device uses in place: the user's pages,
 * pinned, or - when they cannot be pinned (VM_IO and PFNMAP mappings) or
 * the caller asked for COP_FLAG_NO_ZC - kernel pages holding a copy, which
 * go back to the user when the request is done.
 */
struct vcd_pin {
	struct page **pages;
	unsigned int npages;
	unsigned int offset;		/* of the start in pages[0] */
	bool write;
	bool kernel;			/* the driver's own pages, a copy */
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
	/* called where the request completes (maybe in interrupt context) */
	void (*done_fn)(struct vcd_req *req);
	void *owner;			/* done_fn's */
	struct vcd_device *vcd;		/* whose stats it counts in */
	bool fail_pin;			/* the device's debugfs fault, when built */

	struct virtio_cryptodev_req *hdr;
	u8 *resp;			/* struct virtio_cryptodev_resp, unaligned */
	u8 *extra;			/* IV out or digest */
	u8 *dst;			/* bounce for dst, or NULL if pinned */

	unsigned int npins;
	struct vcd_pin pins[3];
	u32 zerocopy_bytes, copied_bytes;	/* for vcd_stats */
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
	const u8 *iv_kernel;		/* instead of iv: the driver's copy */
	u32 iv_len;
	const u8 __user *aad;
	u32 aad_len;
	const u8 __user *src;
	const void *ksrc;		/* kernel bytes sent instead of src */
	u32 src_len;
	u8 __user *dst;
	u32 dst_len;
	u32 extra_len;			/* IV out or digest, after dst */
	u32 tag_len;
	/*
	 * Never pin: copy the user's buffers into the driver's memory when the
	 * request is built and back when vcd_req_finish() is called.
	 */
	bool copy;
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

/* vcd_main.c */
extern struct vcd_driver vcd_drv;
void vcd_device_put(struct vcd_device *vcd);

/* vcd_req.c */
void vcd_req_put(struct vcd_req *req);
void vcd_req_complete(struct vcd_req *req, int err);
int vcd_req_wait(struct vcd_device *vcd, struct vcd_req *req, bool killable);
struct vcd_req *vcd_req_build(struct vcd_device *vcd, const struct vcd_op *op);
int vcd_req_submit(struct vcd_device *vcd, struct vcd_req *req, bool defer);
void vcd_kick_deferred(struct vcd_device *vcd);
void vcd_kick_work(struct work_struct *work);
int vcd_req_finish(struct vcd_req *req, const struct vcd_op *op,
		   u32 expect_len, void *extra, u64 *session);
bool vcd_rings_broken(struct vcd_device *vcd);
void vcd_vq_done(struct virtqueue *vq);
int vcd_exec(struct vcd_device *vcd, struct vcd_session *sess,
	     const struct vcd_op *op, u32 expect_len, void *extra,
	     u64 *session);

/* vcd_session.c */
extern const struct vcd_alg vcd_algs[VCD_NALGS];
const struct vcd_alg *vcd_alg_find(const struct vcd_device *vcd, u32 id);
bool vcd_alg_is_cipher(const struct vcd_alg *alg);
bool vcd_alg_key_len_ok(const struct vcd_alg *alg, u32 len);
void vcd_session_put(struct vcd_session *sess);
struct vcd_session *vcd_session_get(struct vcd_file *vf, u32 id);
int vcd_session_lock(struct vcd_device *vcd, struct vcd_session *sess);
int vcd_session_lock_overlap(struct vcd_device *vcd, struct vcd_session *sess);
int vcd_session_lock_pair(struct vcd_device *vcd, struct vcd_session *a,
			  struct vcd_session *b);
void vcd_session_unlock_pair(struct vcd_session *a, struct vcd_session *b);
void vcd_session_destroy_locked(struct vcd_device *vcd,
				struct vcd_session *sess);
void vcd_session_destroy(struct vcd_device *vcd, struct vcd_session *sess);
unsigned int vcd_user_session_limit(const struct vcd_device *vcd);
int vcd_session_charge(struct vcd_file *vf);
void vcd_session_uncharge(struct vcd_file *vf);

/* vcd_ioctl.c */
extern const struct file_operations vcd_fops;
long vcd_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
int vcd_session_new(struct vcd_file *vf, struct session_op *sop,
		    struct vcd_session **out);
int vcd_session_publish(struct vcd_file *vf, struct vcd_session *sess,
			int err);
int vcd_crypt(struct vcd_file *vf, const struct crypt_op *cop);
int vcd_authcrypt(struct vcd_file *vf, struct crypt_auth_op *caop);

/* vcd_ioctl32.c */
long vcd_compat_ioctl(struct file *filp, unsigned int cmd,
		      unsigned long arg);

/* vcd_async.c */
int vcd_async_open(struct vcd_file *vf);
void vcd_async_release(struct vcd_file *vf);
int vcd_async_crypt(struct vcd_file *vf, const struct crypt_op *cop);
int vcd_async_fetch(struct vcd_file *vf, struct crypt_op *cop);
__poll_t vcd_async_poll(struct file *filp, poll_table *pt);
int vcd_async_session_wait(struct vcd_device *vcd, struct vcd_session *sess,
			   bool overlap, bool killable);

/* vcd_combined.c */
int vcd_combined_check(struct vcd_device *vcd, const struct session_op *sop,
		       const struct vcd_alg **mac_alg);
int vcd_combined_authcrypt(struct vcd_file *vf, struct crypt_auth_op *caop);

/* vcd_sysfs.c */
extern const struct attribute_group *vcd_groups[];
void vcd_debugfs_add(struct vcd_device *vcd);

/* Does the device offer algorithm @id (its config bitmap)? */
static inline bool vcd_alg_offered(const struct vcd_device *vcd, u32 id)
{
	return id < VCD_ALG_BITS &&
	       (vcd->algorithms[id / 8] & (1u << (id % 8)));
}

/* Most pages a user range of @len bytes can span, whatever its alignment. */
static inline unsigned int vcd_pages_spanned(size_t len)
{
	return len ? DIV_ROUND_UP(len, PAGE_SIZE) + 1 : 0;
}

#endif /* _VCD_H */
