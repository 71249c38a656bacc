// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcd_hostile: a hostile guest for the virtio-cryptodev device.
 *
 * Bound to the device instead of the real driver, it puts malformed requests
 * straight onto the virtqueues (mutated headers, lying lengths, swapped and
 * empty parts, 1-byte fragments, 1024 descriptors, stale handles, destroy
 * racing use, resets with requests in flight, responses aimed at the
 * device's own registers) and checks what comes back: the status, the used
 * length, the guard bytes around every device-writable segment, and at the
 * end a known answer, proving the device still works.
 *
 * It runs the cases named by the `cases` parameter while insmod waits, and
 * reports one line per case on the kernel log ("vcd-hostile: ok NAME" or
 * "vcd-hostile: FAIL NAME: why"); the host script reads them from the
 * console, so a case that hangs the device shows as started, never ended.
 * Every wait is bounded, so a device that stops answering fails the case
 * instead of hanging it.  No MODULE_DEVICE_TABLE: it must never load on its
 * own in place of the real driver.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include "virtio_cryptodev.h"
#include "crypto/cryptodev.h"
#include "vcd_compat.h"		/* the driver's: kernel-version differences */

static char *cases = "all";
module_param(cases, charp, 0444);
MODULE_PARM_DESC(cases, "comma-separated case names to run, or all");
static ulong seed;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "fuzz seed (0: a random one, printed)");
static uint iterations;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "fuzz iterations (0: no fuzzing)");
static bool aim;
module_param(aim, bool, 0444);
MODULE_PARM_DESC(aim, "fuzz: aim some responses at the device's registers");
static uint race_rounds = 8;
module_param(race_rounds, uint, 0444);
MODULE_PARM_DESC(race_rounds, "rounds of the reset and queue reset races");
static uint timeout_ms = 10000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "longest wait for one answer");

#define HS_NQ		2	/* queues used: enough to race two of them */
#define HS_GUARD	32	/* guard bytes before and after each segment */
#define HS_GUARD_BYTE	0xa5
#define HS_RESP		sizeof(struct virtio_cryptodev_resp)
#define HS_HDR		sizeof(struct virtio_cryptodev_req)
#define HS_BIG		(256 * 1024)	/* far beyond inline-max: the thread pool */
#define HS_FUZZ_MAX	(64 * 1024)
#define HS_NOANSWER	0xffffffffu	/* status of a request that got none */

struct hs_queue {
	struct virtqueue *vq;
	spinlock_t lock;	/* serializes add and get_buf on vq */
};

struct hs_dev {
	struct virtio_device *vdev;
	struct hs_queue q[HS_NQ];
	unsigned int nq;
	struct virtio_cryptodev_config cfg;
	phys_addr_t common_cfg;	/* virtio-pci common config, or 0 */
	phys_addr_t status_reg;	/* its device_status, or 0 */
	phys_addr_t notify;	/* the notification area, or 0 */
	u32 notify_len;
	bool dead;		/* recovery failed: stop running cases */
	struct rnd_state rnd;
};

static struct hs_dev *hs;	/* the one device this module drives */

enum hs_outcome {
	HS_DONE,	/* answered */
	HS_BROKE,	/* the device asked for a reset (virtio_error) */
	HS_RESET,	/* the device reset itself */
	HS_BADRING,	/* a used entry the guest never gave: queue broken */
	HS_LOST,	/* no answer in time */
};

static const char *const hs_outcome_names[] = {
	"answered", "device needs reset", "device reset itself",
	"bad used-ring entry", "no answer",
};

/* How a request's bytes are laid out over descriptors. */
struct hs_layout {
	u32 rd_segs;		/* device-readable descriptors; 0: one */
	u32 wr_segs;		/* device-writable descriptors; 0: one */
	bool random_cuts;	/* segment sizes at random, else even */
	bool empty_desc;	/* a 0-byte descriptor inside each part */
	phys_addr_t tail_phys;	/* last tail_len writable bytes go here */
	u32 tail_len;
};

struct hs_req {
	struct completion done;
	bool detached;		/* taken back by a reset, never answered */
	enum hs_outcome outcome;
	u32 used;
	u8 *rd;
	u32 rd_len;
	u8 *wr_buf;		/* guard, segment, guard, segment, ... guard */
	u32 wr_len;		/* device-writable bytes, tail included */
	u32 *wr_lens;
	u32 wr_n;
	struct scatterlist *rd_sg, *wr_sg;
	u32 rd_n, wr_sg_n;
	u32 tail_len;		/* writable bytes aimed outside guest memory */
	u8 *flat;		/* the writable bytes gathered after the answer */
	struct virtio_cryptodev_resp resp;
};

/* ---- case bookkeeping ---------------------------------------------------- */

static const char *hs_case;
static unsigned int hs_case_failures;

#define HS_FAIL(fmt, ...) do {						\
	pr_err("vcd-hostile: FAIL %s: " fmt "\n", hs_case, ##__VA_ARGS__); \
	hs_case_failures++;						\
} while (0)

static u32 hs_rand(u32 n)
{
	return n ? prandom_u32_state(&hs->rnd) % n : 0;
}

/* ---- requests ------------------------------------------------------------ */

/* Cut total bytes into n segment lengths (n <= total unless total is 0). */
static void hs_cut(u32 *lens, u32 n, u32 total, bool random)
{
	u32 i, left = total;

	for (i = 0; i < n; i++) {
		u32 k = n - i, sz;

		if (!random || k == 1) {
			sz = left / k + (left % k ? 1 : 0);
		} else {
			u32 avg = left / k ? left / k : 1;

			sz = min(1 + hs_rand(2 * avg), left - (k - 1));
		}
		lens[i] = sz;
		left -= sz;
	}
}

/* n lengths for a part of total bytes; with empty_desc, a 0 in the middle. */
static void hs_cut_part(u32 *lens, u32 n, u32 total, const struct hs_layout *lay)
{
	u32 gap;

	if (!lay->empty_desc) {
		hs_cut(lens, n, total, lay->random_cuts);
		return;
	}
	gap = n / 2;
	hs_cut(lens, n - 1, total, lay->random_cuts);
	memmove(lens + gap + 1, lens + gap, (n - 1 - gap) * sizeof(*lens));
	lens[gap] = 0;
}

static u32 hs_nsegs(u32 want, u32 len)
{
	if (!len)
		return 0;
	return clamp_t(u32, want, 1, len);
}

static void hs_req_free(struct hs_req *req)
{
	if (!req)
		return;
	kfree(req->flat);
	kfree(req->rd_sg);
	kfree(req->wr_sg);
	kfree(req->wr_lens);
	kfree(req->wr_buf);
	kfree(req->rd);
	kfree(req);
}

/*
 * A request whose device-readable part is hdr (unless NULL) followed by
 * payload, and whose device-writable part is wr_len bytes, laid out as lay
 * says.
 */
static struct hs_req *hs_req_new(const struct virtio_cryptodev_req *hdr,
				 const void *payload, u32 payload_len,
				 u32 wr_len, const struct hs_layout *lay)
{
	static const struct hs_layout one = { };
	struct hs_req *req;
	u32 *rd_lens = NULL, rd_n, wr_n, wr_in, i, off;
	u8 *p;

	if (!lay)
		lay = &one;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return NULL;
	init_completion(&req->done);
	req->rd_len = (hdr ? HS_HDR : 0) + payload_len;
	req->wr_len = wr_len;
	if (lay->tail_len && lay->tail_len <= wr_len)
		req->tail_len = lay->tail_len;
	wr_in = wr_len - req->tail_len;

	req->rd = kmalloc(max(req->rd_len, 1u), GFP_KERNEL);
	rd_n = hs_nsegs(lay->rd_segs, req->rd_len);
	wr_n = hs_nsegs(lay->wr_segs, wr_in);
	if (lay->empty_desc) {
		rd_n += !!rd_n;
		wr_n += !!wr_n;
	}
	rd_lens = kcalloc(max(rd_n, 1u), sizeof(u32), GFP_KERNEL);
	req->wr_lens = kcalloc(max(wr_n, 1u), sizeof(u32), GFP_KERNEL);
	req->wr_buf = kmalloc(wr_in + (wr_n + 1) * HS_GUARD, GFP_KERNEL);
	req->rd_sg = kcalloc(max(rd_n, 1u), sizeof(*req->rd_sg), GFP_KERNEL);
	req->wr_sg = kcalloc(wr_n + 1, sizeof(*req->wr_sg), GFP_KERNEL);
	if (!req->rd || !rd_lens || !req->wr_lens || !req->wr_buf ||
	    !req->rd_sg || !req->wr_sg)
		goto fail;

	if (hdr)
		memcpy(req->rd, hdr, HS_HDR);
	if (payload_len)
		memcpy(req->rd + (hdr ? HS_HDR : 0), payload, payload_len);
	memset(req->wr_buf, HS_GUARD_BYTE, wr_in + (wr_n + 1) * HS_GUARD);

	if (rd_n)
		hs_cut_part(rd_lens, rd_n, req->rd_len, lay);
	if (wr_n)
		hs_cut_part(req->wr_lens, wr_n, wr_in, lay);

	req->rd_n = rd_n;
	if (rd_n)
		sg_init_table(req->rd_sg, rd_n);
	for (i = 0, off = 0; i < rd_n; off += rd_lens[i], i++)
		sg_set_buf(&req->rd_sg[i], req->rd + off, rd_lens[i]);

	req->wr_n = wr_n;
	req->wr_sg_n = wr_n + !!req->tail_len;
	if (req->wr_sg_n)
		sg_init_table(req->wr_sg, req->wr_sg_n);
	p = req->wr_buf + HS_GUARD;
	for (i = 0; i < wr_n; i++) {
		sg_set_buf(&req->wr_sg[i], p, req->wr_lens[i]);
		p += req->wr_lens[i] + HS_GUARD;
	}
	if (req->tail_len) {
		/*
		 * Guest memory or not, the device sees only an address: this
		 * one is the device's own register.  Nothing dereferences the
		 * page; the ring takes its physical address.
		 */
		sg_set_page(&req->wr_sg[wr_n], pfn_to_page(PHYS_PFN(lay->tail_phys)),
			    lay->tail_len, offset_in_page(lay->tail_phys));
	}
	kfree(rd_lens);
	return req;
fail:
	kfree(rd_lens);
	hs_req_free(req);
	return NULL;
}

static struct virtio_cryptodev_req *hs_hdr(struct hs_req *req)
{
	return (struct virtio_cryptodev_req *)req->rd;
}

/* Put a request on a ring; the device hears of it at the next kick. */
static int hs_add(unsigned int qi, struct hs_req *req, bool kick_now)
{
	struct hs_queue *q = &hs->q[qi % hs->nq];
	struct scatterlist *sgs[2];
	unsigned int n = 0, out = 0, in = 0;
	unsigned long flags;
	bool kick = false;
	int err;

	if (req->rd_n) {
		sgs[n++] = req->rd_sg;
		out = 1;
	}
	if (req->wr_sg_n) {
		sgs[n++] = req->wr_sg;
		in = 1;
	}
	if (!n)
		return -EINVAL;
	spin_lock_irqsave(&q->lock, flags);
	err = virtqueue_add_sgs(q->vq, sgs, out, in, req, GFP_ATOMIC);
	if (!err && kick_now)
		kick = virtqueue_kick_prepare(q->vq);
	spin_unlock_irqrestore(&q->lock, flags);
	if (kick)
		virtqueue_notify(q->vq);
	return err;
}

static int hs_submit(unsigned int qi, struct hs_req *req)
{
	return hs_add(qi, req, true);
}

static void hs_kick(unsigned int qi)
{
	struct hs_queue *q = &hs->q[qi % hs->nq];
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&q->lock, flags);
	kick = virtqueue_kick_prepare(q->vq);
	spin_unlock_irqrestore(&q->lock, flags);
	if (kick)
		virtqueue_notify(q->vq);
}

static void hs_vq_done(struct virtqueue *vq)
{
	struct hs_queue *q = &hs->q[vq->index];
	struct hs_req *req;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&q->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((req = virtqueue_get_buf(vq, &len))) {
			req->used = len;
			complete(&req->done);
		}
	} while (!virtqueue_enable_cb(vq));
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Hand every request still on the rings back to its waiter. */
static void hs_detach_all(void)
{
	struct hs_req *req;
	unsigned int i;

	for (i = 0; i < hs->nq; i++) {
		if (!hs->q[i].vq)
			continue;
		while ((req = virtqueue_detach_unused_buf(hs->q[i].vq))) {
			req->detached = true;
			complete(&req->done);
		}
	}
}

static void hs_recycle(struct virtqueue *vq, void *buf)
{
	struct hs_req *req = buf;

	req->detached = true;
	complete(&req->done);
}

/* A resize is a queue reset: requests on the ring come back recycled. */
static int hs_resize(struct virtqueue *vq, u32 num)
{
#ifdef HS_RESIZE_RECYCLE_DONE
	return virtqueue_resize(vq, num, hs_recycle, NULL);
#else
	return virtqueue_resize(vq, num, hs_recycle);
#endif
}

static int hs_find_vqs(void)
{
	static const char *const names[HS_NQ] = { "req.0", "req.1" };
	struct virtqueue *vqs[HS_NQ];
	unsigned int i;
	int err;

	err = vcd_find_vqs(hs->vdev, hs->nq, vqs, hs_vq_done, names);
	if (err)
		return err;
	for (i = 0; i < hs->nq; i++)
		hs->q[i].vq = vqs[i];
	return 0;
}

/* Set by a case that watches for used entries written after a reset. */
static bool hs_watch_resets;
static unsigned int hs_late_pushes;

/*
 * Once the reset has completed (the status reads 0) the device may not
 * touch the rings: the driver is about to free them.  Give a late
 * completion time to show on the old used rings.
 */
static void hs_watch_after_reset(void)
{
	__virtio16 before[HS_NQ];
	unsigned int i;

	for (i = 0; i < hs->nq; i++)
		before[i] = READ_ONCE(virtqueue_get_vring(hs->q[i].vq)->used->idx);
	msleep(20);
	for (i = 0; i < hs->nq; i++)
		if (READ_ONCE(virtqueue_get_vring(hs->q[i].vq)->used->idx) != before[i])
			hs_late_pushes++;
}

/*
 * Reset the device and set it up again, as a driver's restore does: every
 * request on the rings comes back detached.
 */
static int hs_reinit(void)
{
	struct virtio_device *vdev = hs->vdev;
	unsigned int i;
	int err;

	virtio_reset_device(vdev);
	if (hs_watch_resets)
		hs_watch_after_reset();
	hs_detach_all();
	vdev->config->del_vqs(vdev);
	for (i = 0; i < hs->nq; i++)
		hs->q[i].vq = NULL;
	virtio_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	err = vdev->config->finalize_features(vdev);
	if (err)
		goto fail;
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vdev->config->get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		err = -ENODEV;
		goto fail;
	}
	err = hs_find_vqs();
	if (err)
		goto fail;
	virtio_device_ready(vdev);
	return 0;
fail:
	pr_err("vcd-hostile: the device cannot be set up again (%d)\n", err);
	hs->dead = true;
	return err;
}

/* Has the guest's virtio core seen the device break a ring's rules? */
static bool hs_any_broken(void)
{
	unsigned int i;

	for (i = 0; i < hs->nq; i++)
		if (hs->q[i].vq && virtqueue_is_broken(hs->q[i].vq))
			return true;
	return false;
}

/* Wait for one request, watching the device status while it is pending. */
static enum hs_outcome hs_wait_one(struct hs_req *req, unsigned long deadline)
{
	for (;;) {
		u8 st;

		if (wait_for_completion_timeout(&req->done, HZ / 20))
			return HS_DONE;
		st = hs->vdev->config->get_status(hs->vdev);
		if (st & VIRTIO_CONFIG_S_NEEDS_RESET)
			return HS_BROKE;
		if (!(st & VIRTIO_CONFIG_S_DRIVER_OK))
			return HS_RESET;
		if (hs_any_broken())
			return HS_BADRING;
		if (time_after(jiffies, deadline))
			return HS_LOST;
	}
}

/*
 * Wait for n requests.  A device that asks for a reset, resets itself or
 * stops answering is set up again, which hands the rest back detached.
 * Returns the worst outcome seen.
 */
static enum hs_outcome hs_wait_all(struct hs_req **reqs, unsigned int n)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	enum hs_outcome worst = HS_DONE;
	unsigned int i;

	for (i = 0; i < n; i++) {
		enum hs_outcome o = hs_wait_one(reqs[i], deadline);

		if (o != HS_DONE) {
			worst = max(worst, o);
			hs_reinit();
			wait_for_completion(&reqs[i]->done);
		}
	}
	for (i = 0; i < n; i++)
		reqs[i]->outcome = !reqs[i]->detached ? HS_DONE :
				   worst == HS_DONE ? HS_RESET : worst;
	return worst;
}

static bool hs_guards_intact(const struct hs_req *req)
{
	const u8 *p = req->wr_buf;
	u32 i, j;

	for (i = 0; i <= req->wr_n; i++) {
		for (j = 0; j < HS_GUARD; j++)
			if (p[j] != HS_GUARD_BYTE)
				return false;
		if (i < req->wr_n)
			p += HS_GUARD + req->wr_lens[i];
	}
	return true;
}

/*
 * Check what the device may promise for any answered request, whatever was
 * in it: it wrote nothing outside the writable segments, the used length is
 * the writable part's size, and the response is coherent.  Gathers the
 * writable bytes into req->flat and the response into req->resp.
 */
static bool hs_check(struct hs_req *req)
{
	u32 in_buf = req->wr_len - req->tail_len;
	u32 i, status, len;
	u8 *p, *q;

	if (req->outcome != HS_DONE)
		return true;
	if (!hs_guards_intact(req)) {
		HS_FAIL("the device wrote outside a writable segment");
		return false;
	}
	if (req->used != req->wr_len) {
		HS_FAIL("used length %u, the writable part is %u bytes",
			req->used, req->wr_len);
		return false;
	}
	req->flat = kmalloc(max(in_buf, 1u), GFP_KERNEL);
	if (!req->flat)
		return false;
	for (i = 0, p = req->wr_buf + HS_GUARD, q = req->flat; i < req->wr_n; i++) {
		memcpy(q, p, req->wr_lens[i]);
		q += req->wr_lens[i];
		p += req->wr_lens[i] + HS_GUARD;
	}
	if (req->tail_len || req->wr_len < HS_RESP)
		return true;	/* the response is not in guest memory */
	memcpy(&req->resp, req->flat + req->wr_len - HS_RESP, HS_RESP);
	status = le32_to_cpu(req->resp.status);
	len = le32_to_cpu(req->resp.len);
	if (status > VIRTIO_CRYPTODEV_S_IOERR) {
		HS_FAIL("unknown status %u", status);
		return false;
	}
	if (status != VIRTIO_CRYPTODEV_S_OK && (len || req->resp.session)) {
		HS_FAIL("status %u with len %u and session %llx", status, len,
			le64_to_cpu(req->resp.session));
		return false;
	}
	if (status == VIRTIO_CRYPTODEV_S_OK && len != req->wr_len - HS_RESP) {
		HS_FAIL("S_OK with len %u, the output area is %u bytes", len,
			req->wr_len - (u32)HS_RESP);
		return false;
	}
	return true;
}

static u32 hs_status(const struct hs_req *req)
{
	return req->outcome == HS_DONE ? le32_to_cpu(req->resp.status) : HS_NOANSWER;
}

/*
 * Run one request to its end: submit, wait, check.  Returns its status, or
 * HS_NOANSWER (and req->outcome says why).  A device that breaks is set up
 * again before this returns.
 */
static u32 hs_run(unsigned int qi, struct hs_req *req)
{
	int err = hs_submit(qi, req);

	if (err) {
		HS_FAIL("the ring refused the request (%d)", err);
		req->outcome = HS_LOST;
		if (hs_any_broken())
			hs_reinit();	/* let the next cases start clean */
		return HS_NOANSWER;
	}
	hs_wait_all(&req, 1);
	if (!hs_check(req))
		return HS_NOANSWER;
	return hs_status(req);
}

/* ---- well-formed requests ------------------------------------------------ */

static void hs_hdr_init(struct virtio_cryptodev_req *h, u32 opcode, u64 session)
{
	memset(h, 0, sizeof(*h));
	h->opcode = cpu_to_le32(opcode);
	h->session = cpu_to_le64(session);
}

/* A CREATE_SESSION request; the key is the cipher's, else the HMAC's. */
static struct hs_req *hs_create_req(u32 cipher, u32 mac, const u8 *key,
				    u32 key_len, const struct hs_layout *lay)
{
	struct virtio_cryptodev_req h;

	hs_hdr_init(&h, VIRTIO_CRYPTODEV_OP_CREATE_SESSION, 0);
	h.cipher = cpu_to_le32(cipher);
	h.mac = cpu_to_le32(mac);
	if (cipher)
		h.key_len = cpu_to_le32(key_len);
	else
		h.mac_key_len = cpu_to_le32(key_len);
	return hs_req_new(&h, key, key_len, HS_RESP, lay);
}

static u32 hs_create(unsigned int qi, u32 cipher, u32 mac, const u8 *key,
		     u32 key_len, u64 *handle, const struct hs_layout *lay)
{
	struct hs_req *req = hs_create_req(cipher, mac, key, key_len, lay);
	u32 st;

	if (!req)
		return HS_NOANSWER;
	st = hs_run(qi, req);
	*handle = st == VIRTIO_CRYPTODEV_S_OK ? le64_to_cpu(req->resp.session) : 0;
	if (st == VIRTIO_CRYPTODEV_S_OK && !*handle)
		HS_FAIL("CREATE_SESSION gave handle 0");
	hs_req_free(req);
	return st;
}

static u32 hs_destroy(unsigned int qi, u64 handle)
{
	struct virtio_cryptodev_req h;
	struct hs_req *req;
	u32 st;

	hs_hdr_init(&h, VIRTIO_CRYPTODEV_OP_DESTROY_SESSION, handle);
	req = hs_req_new(&h, NULL, 0, HS_RESP, NULL);
	if (!req)
		return HS_NOANSWER;
	st = hs_run(qi, req);
	hs_req_free(req);
	return st;
}

/* A CIPHER request: iv (16 bytes, or none when iv is NULL) then src. */
static struct hs_req *hs_cipher_req(u64 handle, u32 flags, const u8 *iv,
				    const u8 *src, u32 len,
				    const struct hs_layout *lay)
{
	struct virtio_cryptodev_req h;
	struct hs_req *req;
	u32 ivl = iv ? 16 : 0;
	u8 *payload;

	payload = kmalloc(ivl + len, GFP_KERNEL);
	if (!payload)
		return NULL;
	if (iv)
		memcpy(payload, iv, ivl);
	memcpy(payload + ivl, src, len);
	hs_hdr_init(&h, VIRTIO_CRYPTODEV_OP_CIPHER, handle);
	h.flags = cpu_to_le32(flags);
	h.iv_len = cpu_to_le32(ivl);
	h.src_len = cpu_to_le32(len);
	req = hs_req_new(&h, payload, ivl + len, len + HS_RESP, lay);
	kfree(payload);
	return req;
}

static u32 hs_cipher(unsigned int qi, u64 handle, u32 flags, const u8 *iv,
		     const u8 *src, u32 len, u8 *dst, const struct hs_layout *lay)
{
	struct hs_req *req = hs_cipher_req(handle, flags, iv, src, len, lay);
	u32 st;

	if (!req)
		return HS_NOANSWER;
	st = hs_run(qi, req);
	if (st == VIRTIO_CRYPTODEV_S_OK && dst)
		memcpy(dst, req->flat, len);
	hs_req_free(req);
	return st;
}

/* ---- the known answer ---------------------------------------------------- */

/* NIST SP 800-38A F.2.1/F.2.2, CBC-AES128. */
static const char hs_kat_key[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char hs_kat_iv[] = "000102030405060708090a0b0c0d0e0f";
static const char hs_kat_plain[] =
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
static const char hs_kat_cipher[] =
	"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
	"73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7";

struct hs_kat {
	u8 key[16], iv[16], plain[64], cipher[64];
};
static struct hs_kat kat;

static void hs_kat_load(void)
{
	if (hex2bin(kat.key, hs_kat_key, 16) || hex2bin(kat.iv, hs_kat_iv, 16) ||
	    hex2bin(kat.plain, hs_kat_plain, 64) ||
	    hex2bin(kat.cipher, hs_kat_cipher, 64))
		pr_err("vcd-hostile: bad known-answer vector\n");
}

static u32 hs_kat_session(unsigned int qi, u64 *handle,
			  const struct hs_layout *lay)
{
	return hs_create(qi, CRYPTO_AES_CBC, 0, kat.key, 16, handle, lay);
}

/* Encrypt and decrypt the vector on queue qi with the given layout. */
static bool hs_kat_check(unsigned int qi, const struct hs_layout *lay)
{
	u8 out[64];
	u64 s;
	u32 st;
	bool ok = false;

	st = hs_kat_session(qi, &s, lay);
	if (st != VIRTIO_CRYPTODEV_S_OK) {
		HS_FAIL("known answer: CREATE_SESSION status %d on queue %u",
			(int)st, qi);
		return false;
	}
	st = hs_cipher(qi, s, 0, kat.iv, kat.plain, 64, out, lay);
	if (st != VIRTIO_CRYPTODEV_S_OK || memcmp(out, kat.cipher, 64)) {
		HS_FAIL("known answer: encryption status %d%s on queue %u",
			(int)st, st ? "" : ", wrong bytes", qi);
		goto out;
	}
	st = hs_cipher(qi, s, VIRTIO_CRYPTODEV_F_DECRYPT, kat.iv, kat.cipher, 64,
		       out, lay);
	if (st != VIRTIO_CRYPTODEV_S_OK || memcmp(out, kat.plain, 64)) {
		HS_FAIL("known answer: decryption status %d%s on queue %u",
			(int)st, st ? "" : ", wrong bytes", qi);
		goto out;
	}
	ok = true;
out:
	if (hs_destroy(qi, s) != VIRTIO_CRYPTODEV_S_OK) {
		HS_FAIL("known answer: DESTROY_SESSION failed");
		ok = false;
	}
	return ok;
}

static void hs_kat_all_queues(void)
{
	unsigned int i;

	for (i = 0; i < hs->nq; i++)
		hs_kat_check(i, NULL);
}

/* A session for the known-answer key, or 0 (and a failure). */
static u64 hs_kat_open(void)
{
	u64 s = 0;

	if (hs_kat_session(0, &s, NULL) != VIRTIO_CRYPTODEV_S_OK)
		HS_FAIL("cannot create a session");
	return s;
}

/* ---- cases --------------------------------------------------------------- */

/* Statuses a case accepts, as a bit mask. */
#define ST(x)		(1u << VIRTIO_CRYPTODEV_S_##x)

static void hs_expect(const char *what, u32 st, u32 mask)
{
	if (st == HS_NOANSWER || !(mask & (1u << st)))
		HS_FAIL("%s: status %d, expected mask %#x", what, (int)st, mask);
}

static void case_known_answer(void)
{
	hs_kat_all_queues();
}

struct hs_mutation {
	const char *what;
	unsigned int field;	/* u32 index in the header */
	u32 value;
	u32 expect;
};

static void case_mutated_header_gets_error_status(void)
{
	static const struct hs_mutation muts[] = {
		{ "opcode 0", 0, 0, ST(NOTSUPP) },
		{ "opcode 10", 0, 10, ST(NOTSUPP) },
		{ "opcode ~0", 0, ~0u, ST(NOTSUPP) },
		{ "unknown flag", 1, 0x10, ST(INVAL) },
		{ "HASH flag on CIPHER", 1, VIRTIO_CRYPTODEV_F_HASH_UPDATE, ST(INVAL) },
		{ "all flags", 1, ~0u, ST(INVAL) },
		{ "session low word", 2, 0x12345678, ST(NOSESSION) },
		{ "cipher set on CIPHER", 4, CRYPTO_AES_CBC, ST(INVAL) },
		{ "mac set on CIPHER", 5, CRYPTO_SHA2_256, ST(INVAL) },
		{ "key_len set on CIPHER", 6, 16, ST(INVAL) },
		{ "mac_key_len set on CIPHER", 7, 1, ST(INVAL) },
		{ "iv_len 8", 8, 8, ST(INVAL) },
		{ "aad_len on CIPHER", 9, 16, ST(INVAL) },
		{ "src_len ~0", 10, ~0u, ST(INVAL) },
		{ "tag_len on CIPHER", 11, 16, ST(INVAL) },
	};
	u8 src[64];
	unsigned int i;
	u64 s = hs_kat_open();

	if (!s)
		return;
	memset(src, 0x3c, sizeof(src));
	for (i = 0; i < ARRAY_SIZE(muts); i++) {
		struct hs_req *req = hs_cipher_req(s, 0, kat.iv, src, 64, NULL);
		__le32 *w;

		if (!req)
			break;
		w = (__le32 *)req->rd;
		if (muts[i].field == 2)	/* keep the high word: a near miss */
			w[2] = cpu_to_le32(le32_to_cpu(w[2]) ^ muts[i].value);
		else
			w[muts[i].field] = cpu_to_le32(muts[i].value);
		hs_expect(muts[i].what, hs_run(i, req), muts[i].expect);
		hs_req_free(req);
	}
	/* CREATE_SESSION mutations. */
	{
		u64 h;

		hs_expect("unknown algorithm", hs_create(0, 9999, 0, kat.key, 16, &h, NULL),
			  ST(NOTSUPP));
		hs_expect("AES key of 15 bytes",
			  hs_create(1, CRYPTO_AES_CBC, 0, kat.key, 15, &h, NULL),
			  ST(INVAL));
		/* a cipher mode pairs with a MAC; an AEAD never does */
		hs_expect("AEAD and mac together",
			  hs_create(0, CRYPTO_AES_GCM, CRYPTO_SHA2_256_HMAC, kat.key,
				    16, &h, NULL), ST(NOTSUPP) | ST(INVAL));
	}
	hs_expect("destroy", hs_destroy(0, s), ST(OK));
}

/* Lengths in the header that disagree with the bytes sent. */
static void case_lying_lengths_get_inval(void)
{
	static const struct {
		const char *what;
		s32 rd_delta;	/* bytes added to (removed from) the readable part */
		s32 wr_delta;	/* same, writable part */
		u32 src_len;	/* header's src_len; 0: the true one */
	} lies[] = {
		{ "src_len says 32, 64 sent", 0, 0, 32 },
		{ "src_len says 128, 64 sent", 0, 0, 128 },
		{ "readable part one byte long", 1, 0, 0 },
		{ "readable part one byte short", -1, 0, 0 },
		{ "writable part one byte long", 0, 1, 0 },
		{ "writable part one byte short", 0, -1, 0 },
		{ "src_len wraps a 32-bit sum", 0, 0, 0xffffffc0u },
		{ "src_len beyond max_data_len", 0, 0, 0x7ffffff0u },
	};
	u8 src[64 + 1];
	unsigned int i;
	u64 s = hs_kat_open();

	if (!s)
		return;
	memset(src, 0x11, sizeof(src));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		struct virtio_cryptodev_req h;
		u8 payload[16 + 65];
		struct hs_req *req;

		hs_hdr_init(&h, VIRTIO_CRYPTODEV_OP_CIPHER, s);
		h.iv_len = cpu_to_le32(16);
		h.src_len = cpu_to_le32(lies[i].src_len ? lies[i].src_len : 64);
		memcpy(payload, kat.iv, 16);
		memcpy(payload + 16, src, 65);
		req = hs_req_new(&h, payload, 16 + 64 + lies[i].rd_delta,
				 64 + HS_RESP + lies[i].wr_delta, NULL);
		if (!req)
			break;
		hs_expect(lies[i].what, hs_run(i, req), ST(INVAL));
		hs_req_free(req);
	}
	hs_expect("destroy", hs_destroy(0, s), ST(OK));
}

/*
 * A writable part too small to hold a response leaves the device nowhere to
 * answer: a broken ring (virtio_error), after which a reset must bring the
 * device back.
 */
static void case_writable_part_too_small_breaks_ring_reset_recovers(void)
{
	static const u32 sizes[] = { HS_RESP - 1, 1, 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct virtio_cryptodev_req h;
		struct hs_req *req;
		u32 st;

		hs_hdr_init(&h, VIRTIO_CRYPTODEV_OP_DESTROY_SESSION, 1);
		req = hs_req_new(&h, NULL, 0, sizes[i], NULL);
		if (!req)
			return;
		st = hs_run(i, req);
		if (req->outcome != HS_BROKE)
			HS_FAIL("%u writable bytes: %s, status %d", sizes[i],
				hs_outcome_names[req->outcome], (int)st);
		hs_req_free(req);
		if (hs->dead)
			return;
	}
	hs_kat_all_queues();
}

/* Parts in the wrong place: all of it writable, payload before header. */
static void case_swapped_parts_get_error_status(void)
{
	u8 buf[HS_HDR + 16 + 64];
	struct hs_req *req;
	u64 s = hs_kat_open();

	if (!s)
		return;
	/* Header, iv and src offered as device-writable: nothing to read. */
	req = hs_req_new(NULL, NULL, 0, sizeof(buf) + HS_RESP, NULL);
	if (req) {
		hs_expect("nothing device-readable", hs_run(0, req), ST(INVAL));
		hs_req_free(req);
	}
	/* Payload first, header last. */
	req = hs_cipher_req(s, 0, kat.iv, kat.plain, 64, NULL);
	if (req) {
		memcpy(buf, req->rd + HS_HDR, 16 + 64);
		memcpy(buf + 16 + 64, req->rd, HS_HDR);
		memcpy(req->rd, buf, sizeof(buf));
		hs_expect("payload before header", hs_run(1, req),
			  ~ST(OK) & 0xff);
		hs_req_free(req);
	}
	/* No src said, a full payload sent. */
	req = hs_cipher_req(s, 0, kat.iv, kat.plain, 64, NULL);
	if (req) {
		struct virtio_cryptodev_req *h = hs_hdr(req);

		h->src_len = cpu_to_le32(0);
		hs_expect("empty src, full payload", hs_run(0, req), ST(INVAL));
		hs_req_free(req);
	}
	hs_expect("destroy", hs_destroy(0, s), ST(OK));
}

/*
 * Zero-length descriptors inside a request: QEMU's core refuses empty
 * buffers before the device sees them, so the ring is declared broken
 * (docs/protocol.md says so), and a reset brings the device back.  Never an
 * answer from a half-read request, never a hang, never a stray write.
 */
static void case_empty_descriptor_breaks_ring_reset_recovers(void)
{
	struct hs_layout lay = { .rd_segs = 4, .wr_segs = 4, .empty_desc = true };
	struct hs_req *req;
	u64 s = hs_kat_open();
	u32 st;

	if (!s)
		return;
	req = hs_cipher_req(s, 0, kat.iv, kat.plain, 64, &lay);
	if (!req)
		return;
	st = hs_run(0, req);
	if (req->outcome != HS_BROKE)
		HS_FAIL("%s, status %d", hs_outcome_names[req->outcome], (int)st);
	hs_req_free(req);
	hs_kat_all_queues();
}

static void case_one_byte_fragments_give_known_answer(void)
{
	struct hs_layout lay = { .rd_segs = ~0u, .wr_segs = ~0u };

	hs_kat_check(0, &lay);
	hs_kat_check(1, &lay);
}

/*
 * max_segments descriptors in one request, and one more.  The CBC prefix
 * property checks the long one: its first four blocks are the vector's.
 */
static void case_max_segments_descriptors_work_one_more_is_refused(void)
{
	u32 maxseg = le32_to_cpu(hs->cfg.max_segments);
	u32 len = 960, i;
	struct hs_layout lay;
	u8 *src, *out;
	u64 s;
	u32 st;

	src = kmalloc(len, GFP_KERNEL);
	out = kmalloc(len, GFP_KERNEL);
	if (!src || !out)
		goto out;
	memcpy(src, kat.plain, 64);
	for (i = 64; i < len; i++)
		src[i] = i * 7;
	s = hs_kat_open();
	if (!s)
		goto out;
	/* readable 48 + 16 + 960 = 1024, writable 976: room for both. */
	lay = (struct hs_layout){ .rd_segs = maxseg / 2, .wr_segs = maxseg - maxseg / 2,
				  .random_cuts = true };
	st = hs_cipher(0, s, 0, kat.iv, src, len, out, &lay);
	if (st != VIRTIO_CRYPTODEV_S_OK || memcmp(out, kat.cipher, 64))
		HS_FAIL("%u descriptors: status %d%s", maxseg, (int)st,
			st ? "" : ", wrong bytes");
	lay.wr_segs++;
	st = hs_cipher(1, s, 0, kat.iv, src, len, out, &lay);
	if (st != VIRTIO_CRYPTODEV_S_INVAL && st != HS_NOANSWER)
		HS_FAIL("%u descriptors: status %d", maxseg + 1, (int)st);
	if (st != HS_NOANSWER)
		hs_expect("destroy", hs_destroy(0, s), ST(OK));
	hs_kat_all_queues();
out:
	kfree(src);
	kfree(out);
}

static void case_stale_session_handle_gets_nosession(void)
{
	u8 out[64];
	u64 s = hs_kat_open(), h;

	if (!s)
		return;
	hs_expect("destroy", hs_destroy(0, s), ST(OK));
	hs_expect("cipher on a destroyed session",
		  hs_cipher(1, s, 0, kat.iv, kat.plain, 64, out, NULL), ST(NOSESSION));
	hs_expect("destroy twice", hs_destroy(1, s), ST(NOSESSION));
	hs_expect("handle 0", hs_cipher(0, 0, 0, kat.iv, kat.plain, 64, out, NULL),
		  ST(NOSESSION));
	hs_expect("handle ~0", hs_destroy(0, ~0ull), ST(NOSESSION));
	if (hs_create(0, 0, CRYPTO_SHA2_256, NULL, 0, &h, NULL) == VIRTIO_CRYPTODEV_S_OK) {
		hs_expect("CIPHER on a hash session",
			  hs_cipher(0, h, 0, kat.iv, kat.plain, 64, out, NULL),
			  ST(NOSESSION));
		hs_expect("destroy hash session", hs_destroy(1, h), ST(OK));
	} else {
		HS_FAIL("cannot create a SHA-256 session");
	}
}

#define HS_RACE_N 16

/*
 * Thread-pool sized requests, all alike, so every S_OK must give one answer.
 * Without kick the device hears of them only at hs_kick(): then they all
 * reach it at once.
 */
static unsigned int hs_submit_big(unsigned int qi, u64 s, const u8 *src,
				  struct hs_req **reqs, unsigned int n, bool kick)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		reqs[i] = hs_cipher_req(s, 0, kat.iv, src, HS_BIG, NULL);
		if (!reqs[i])
			break;
		if (hs_add(qi, reqs[i], kick)) {
			HS_FAIL("the ring refused request %u", i);
			hs_req_free(reqs[i]);
			break;
		}
	}
	return i;
}

/* Check and free requests of hs_submit_big; returns how many gave S_OK. */
static unsigned int hs_reap_big(struct hs_req **reqs, unsigned int n,
				const u8 *expect, u32 mask)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++) {
		u32 st;

		if (!hs_check(reqs[i])) {
			hs_req_free(reqs[i]);
			continue;
		}
		st = hs_status(reqs[i]);
		if (st == VIRTIO_CRYPTODEV_S_OK) {
			ok++;
			if (memcmp(reqs[i]->flat, expect, HS_BIG))
				HS_FAIL("request %u: wrong output", i);
		} else if (st != HS_NOANSWER && !(mask & (1u << st))) {
			HS_FAIL("request %u: status %u", i, st);
		}
		hs_req_free(reqs[i]);
	}
	return ok;
}

static u8 *hs_big_expected(u64 s, u8 **src)
{
	u8 *exp;

	*src = kzalloc(HS_BIG, GFP_KERNEL);
	exp = kmalloc(HS_BIG, GFP_KERNEL);
	if (!*src || !exp ||
	    hs_cipher(0, s, 0, kat.iv, *src, HS_BIG, exp, NULL) != VIRTIO_CRYPTODEV_S_OK) {
		HS_FAIL("cannot encrypt %u bytes", HS_BIG);
		kfree(exp);
		return NULL;
	}
	return exp;
}

static void case_destroy_racing_use_on_two_queues(void)
{
	struct hs_req *reqs[HS_RACE_N], *destroy;
	struct virtio_cryptodev_req h;
	unsigned int round, n, ok_total = 0;
	u8 *src = NULL, *exp;
	u64 s;

	for (round = 0; round < 4 && !hs->dead; round++) {
		s = hs_kat_open();
		if (!s)
			break;
		exp = hs_big_expected(s, &src);
		if (!exp)
			break;
		n = hs_submit_big(0, s, src, reqs, HS_RACE_N, true);
		hs_hdr_init(&h, VIRTIO_CRYPTODEV_OP_DESTROY_SESSION, s);
		destroy = hs_req_new(&h, NULL, 0, HS_RESP, NULL);
		if (destroy && !hs_submit(1, destroy)) {
			hs_wait_all(&destroy, 1);
			if (hs_check(destroy))
				hs_expect("racing destroy", hs_status(destroy), ST(OK));
		}
		hs_req_free(destroy);
		hs_wait_all(reqs, n);
		ok_total += hs_reap_big(reqs, n, exp, ST(NOSESSION));
		hs_expect("cipher after the race",
			  hs_cipher(0, s, 0, kat.iv, src, 64, exp, NULL), ST(NOSESSION));
		kfree(exp);
		kfree(src);
		src = NULL;
	}
	kfree(src);
	pr_info("vcd-hostile: %s: %u of %u racing requests finished first\n",
		hs_case, ok_total, 4 * HS_RACE_N);
	hs_kat_all_queues();
}

/*
 * Requests in flight on both queues, then a device reset: every request is
 * answered before the reset returns or handed back by it, the sessions are
 * gone, and nothing from before the reset lands on the new rings later.
 */
static void case_reset_with_requests_in_flight(void)
{
	struct hs_req *reqs[2][HS_RACE_N];
	unsigned int n[2], q, round;
	u8 *src = NULL, *exp = NULL;
	s64 ms, worst_ms = 0;
	ktime_t t0;
	int err;
	u64 s;

	for (round = 0; round < race_rounds && !hs->dead; round++) {
		unsigned int late = hs_late_pushes;

		s = hs_kat_open();
		if (!s)
			break;
		if (!exp) {
			exp = hs_big_expected(s, &src);
			if (!exp)
				break;
		}
		for (q = 0; q < hs->nq; q++)
			n[q] = hs_submit_big(q, s, src, reqs[q], HS_RACE_N, false);
		for (q = 0; q < hs->nq; q++)
			hs_kick(q);
		t0 = ktime_get();
		hs_watch_resets = true;
		err = hs_reinit();
		hs_watch_resets = false;
		if (err)
			break;
		ms = ktime_ms_delta(ktime_get(), t0) - 20;	/* the watch */
		if (hs_late_pushes != late)
			HS_FAIL("round %u: the device wrote a used entry after the reset had completed",
				round);
		worst_ms = max(worst_ms, ms);
		for (q = 0; q < hs->nq; q++) {
			unsigned int i;

			/* Every one is answered or handed back: none pending. */
			for (i = 0; i < n[q]; i++) {
				if (!try_wait_for_completion(&reqs[q][i]->done)) {
					HS_FAIL("round %u: a request is pending after the reset",
						round);
					wait_for_completion(&reqs[q][i]->done);
				}
				reqs[q][i]->outcome = reqs[q][i]->detached ? HS_RESET : HS_DONE;
			}
			hs_reap_big(reqs[q], n[q], exp, 0);
		}
		hs_expect("the session after a reset", hs_destroy(0, s), ST(NOSESSION));
		hs_kat_all_queues();
		/* A late completion for the old rings shows by now. */
		msleep(20);
		if (hs_any_broken()) {
			HS_FAIL("round %u: a completion from before the reset landed on a new ring",
				round);
			hs_reinit();
		}
	}
	pr_info("vcd-hostile: %s: reset took up to %lld ms\n", hs_case, worst_ms);
	kfree(exp);
	kfree(src);
}

/*
 * Requests in flight on both queues, then a reset of queue 0 alone (a
 * resize): queue 1 must finish all of its requests, and nothing from before
 * the reset may land on queue 0's new ring, where the guest's virtio core
 * would take it for a bad entry and mark the queue broken.  A race, so
 * several rounds.
 */
static void case_queue_reset_with_requests_in_flight(void)
{
	struct hs_req *reqs[2][HS_RACE_N];
	unsigned int n[2], q, num0, num, round, guest_races = 0;
	u8 *src = NULL, *exp = NULL;
	bool wrote;
	int err;
	u64 s;

	if (!virtio_has_feature(hs->vdev, VIRTIO_F_RING_RESET) || hs->nq < 2) {
		pr_info("vcd-hostile: %s: no VIRTIO_F_RING_RESET, nothing to do\n",
			hs_case);
		return;
	}
	num0 = virtqueue_get_vring_size(hs->q[0].vq);
	for (round = 0; round < race_rounds && !hs->dead; round++) {
		s = hs_kat_open();
		if (!s)
			break;
		if (!exp) {
			exp = hs_big_expected(s, &src);
			if (!exp)
				break;
		}
		for (q = 0; q < 2; q++)
			n[q] = hs_submit_big(q, s, src, reqs[q], HS_RACE_N, false);
		for (q = 0; q < 2; q++)
			hs_kick(q);
		num = virtqueue_get_vring_size(hs->q[0].vq);
		err = hs_resize(hs->q[0].vq, num == num0 ? num0 / 2 : num0);
		if (err)
			HS_FAIL("round %u: queue reset failed (%d)", round, err);
		/*
		 * Nothing is on the new ring yet: a used entry there can only be
		 * a completion from before the reset.  A queue broken with the
		 * new ring untouched is the guest's own race instead (an
		 * interrupt for an entry pushed before the reset, taken after
		 * the old ring's requests were handed back).
		 */
		msleep(20);
		wrote = READ_ONCE(virtqueue_get_vring(hs->q[0].vq)->used->idx) != 0;
		if (wrote)
			HS_FAIL("round %u: a completion from before the queue reset landed on the new ring",
				round);
		else if (virtqueue_is_broken(hs->q[0].vq))
			guest_races++;
		if (wrote || virtqueue_is_broken(hs->q[0].vq)) {
			hs_reinit();
			for (q = 0; q < 2; q++) {
				hs_wait_all(reqs[q], n[q]);
				hs_reap_big(reqs[q], n[q], exp, ~0u);
			}
			continue;
		}
		for (q = 0; q < 2; q++)
			hs_wait_all(reqs[q], n[q]);
		hs_reap_big(reqs[0], n[0], exp, 0);
		/* The other queue is untouched: all of its requests done. */
		if (hs_reap_big(reqs[1], n[1], exp, 0) != n[1])
			HS_FAIL("round %u: the other queue lost requests", round);
		hs_kat_check(0, NULL);
		hs_expect("destroy", hs_destroy(1, s), ST(OK));
	}
	if (guest_races)
		pr_info("vcd-hostile: %s: %u rounds lost to the guest's late-interrupt race\n",
			hs_case, guest_races);
	hs_kat_all_queues();
	kfree(exp);
	kfree(src);
}

/*
 * The last bytes of the response land on the device's own device_status
 * register: writing 0 there resets the device inside its own completion.
 * Whatever the device does about it, the guest must go on: an answer, a
 * broken ring or a reset, then a working device after a reset of ours.
 */
static void hs_aim_at_status(u32 len)
{
	struct hs_layout lay = { .tail_phys = hs->status_reg, .tail_len = 4 };
	struct hs_req *req;
	u8 *src;
	u64 s;
	u32 st;

	if (!hs->status_reg) {
		HS_FAIL("no common config capability found");
		return;
	}
	s = hs_kat_open();
	if (!s)
		return;
	src = kzalloc(len, GFP_KERNEL);
	req = src ? hs_cipher_req(s, 0, kat.iv, src, len, &lay) : NULL;
	if (req) {
		st = hs_run(0, req);
		pr_info("vcd-hostile: %s: %s (status %d)\n", hs_case,
			hs_outcome_names[req->outcome], (int)st);
		hs_req_free(req);
	}
	kfree(src);
	if (hs->dead)
		return;
	/* Whatever happened, start from a clean device. */
	hs_reinit();
	hs_kat_all_queues();
}

/* 256 bytes out: the response's len has a low byte of 0, a reset. */
static void case_response_aimed_at_device_status_keeps_qemu_answering_inline(void)
{
	hs_aim_at_status(256);
}

static void case_response_aimed_at_device_status_keeps_qemu_answering_pool(void)
{
	hs_aim_at_status(HS_BIG);
}

/* ---- fuzzing ------------------------------------------------------------- */

enum hs_kind { HS_K_CBC, HS_K_GCM, HS_K_SHA, HS_K_HMAC, HS_K_NKINDS };

struct hs_sess {
	u64 handle;
	enum hs_kind kind;
};

#define HS_POOL 8
#define HS_BATCH 8

struct hs_fuzz {
	struct hs_sess pool[HS_POOL];
	unsigned int npool;
	u64 stale[4];
	u64 requests, statuses[8], noanswer, mutated, breaks, aimed;
};

static const u32 hs_interesting[] = {
	0, 1, 2, 12, 15, 16, 17, 32, 48, 64, 4096, 8192, 65536,
	0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff,
};

static u32 hs_fuzz_alg(enum hs_kind k, u32 *mac)
{
	*mac = 0;
	switch (k) {
	case HS_K_CBC: return CRYPTO_AES_CBC;
	case HS_K_GCM: return CRYPTO_AES_GCM;
	case HS_K_SHA: *mac = CRYPTO_SHA2_256; return 0;
	default: *mac = CRYPTO_SHA2_256_HMAC; return 0;
	}
}

/*
 * A well-formed request of a random kind (on a live session of the pool
 * when it needs one).  *expect gets the statuses it may have unmutated.
 */
static struct hs_req *hs_fuzz_valid(struct hs_fuzz *f, u32 *expect, int *creates,
				    const struct hs_layout *lay)
{
	struct virtio_cryptodev_req h;
	struct hs_req *req;
	struct hs_sess *ses = f->npool ? &f->pool[hs_rand(f->npool)] : NULL;
	u32 src_len, out_len, ivl = 0, aad = 0, tag = 0, flags = 0, mac;
	u8 *payload;

	*creates = -1;
	if (!ses || (f->npool < HS_POOL && !hs_rand(8))) {
		enum hs_kind k = hs_rand(HS_K_NKINDS);
		u32 cipher = hs_fuzz_alg(k, &mac), klen;

		klen = k == HS_K_CBC ? 16 + 8 * hs_rand(3) : k == HS_K_GCM ? 16 :
		       k == HS_K_HMAC ? hs_rand(100) : 0;
		payload = kmalloc(max(klen, 1u), GFP_KERNEL);
		if (!payload)
			return NULL;
		prandom_bytes_state(&hs->rnd, payload, klen);
		req = hs_create_req(cipher, mac, payload, klen, lay);
		kfree(payload);
		*expect = ST(OK);
		*creates = k;
		return req;
	}
	hs_hdr_init(&h, 0, ses->handle);
	/* At least a block: whether an empty request is valid is not the point. */
	src_len = 16 + (hs_rand(4) ? hs_rand(512) : hs_rand(HS_FUZZ_MAX));
	switch (ses->kind) {
	case HS_K_CBC:
		h.opcode = cpu_to_le32(VIRTIO_CRYPTODEV_OP_CIPHER);
		src_len &= ~15u;
		ivl = hs_rand(4) ? 16 : 0;
		flags = hs_rand(4) & (VIRTIO_CRYPTODEV_F_DECRYPT |
				      VIRTIO_CRYPTODEV_F_IV_OUT);
		out_len = src_len + (flags & VIRTIO_CRYPTODEV_F_IV_OUT ? 16 : 0);
		*expect = ST(OK);
		break;
	case HS_K_GCM:
		h.opcode = cpu_to_le32(VIRTIO_CRYPTODEV_OP_AEAD);
		ivl = 12;
		aad = hs_rand(64);
		tag = 16 - 4 * hs_rand(2);	/* 16 or 12 */
		if (hs_rand(2)) {
			flags = VIRTIO_CRYPTODEV_F_DECRYPT;
			src_len += tag;
			out_len = src_len - tag;
			*expect = ST(BADMSG);	/* random bytes: no valid tag */
		} else {
			out_len = src_len + tag;
			*expect = ST(OK);
		}
		break;
	default:
		h.opcode = cpu_to_le32(VIRTIO_CRYPTODEV_OP_HASH);
		flags = hs_rand(4) & (VIRTIO_CRYPTODEV_F_HASH_UPDATE |
				      VIRTIO_CRYPTODEV_F_HASH_RESET);
		out_len = flags & VIRTIO_CRYPTODEV_F_HASH_UPDATE ? 0 : 32;
		*expect = ST(OK);
		break;
	}
	h.flags = cpu_to_le32(flags);
	h.iv_len = cpu_to_le32(ivl);
	h.aad_len = cpu_to_le32(aad);
	h.src_len = cpu_to_le32(src_len);
	h.tag_len = cpu_to_le32(tag);
	payload = kmalloc(ivl + aad + src_len + 1, GFP_KERNEL);
	if (!payload)
		return NULL;
	prandom_bytes_state(&hs->rnd, payload, ivl + aad + src_len);
	req = hs_req_new(&h, payload, ivl + aad + src_len, out_len + HS_RESP, lay);
	kfree(payload);
	return req;
}

/* Mutate a request in place or rebuild it with lying lengths. */
static struct hs_req *hs_fuzz_mutate(struct hs_fuzz *f, struct hs_req *req,
				     const struct hs_layout *lay, bool *may_break)
{
	unsigned int n = 1 + hs_rand(3), i;
	s32 rd_delta = 0, wr_delta = 0;

	for (i = 0; i < n; i++) {
		__le32 *w = (__le32 *)req->rd;

		switch (hs_rand(6)) {
		case 0:		/* a bit of the header */
			req->rd[hs_rand(HS_HDR)] ^= 1u << hs_rand(8);
			break;
		case 1:		/* a field to an edge value */
			w[hs_rand(HS_HDR / 4)] =
				cpu_to_le32(hs_interesting[hs_rand(ARRAY_SIZE(hs_interesting))]);
			break;
		case 2:		/* a stale or invented handle */
			hs_hdr(req)->session = cpu_to_le64(hs_rand(2) ?
				f->stale[hs_rand(ARRAY_SIZE(f->stale))] :
				((u64)prandom_u32_state(&hs->rnd) << 32) |
				prandom_u32_state(&hs->rnd));
			break;
		case 3:		/* readable part shorter or longer than said */
			rd_delta = hs_rand(2) ? -(s32)min_t(u32, req->rd_len - HS_HDR,
							  1 + hs_rand(32))
					      : 1 + hs_rand(32);
			break;
		case 4:		/* writable part shorter or longer */
			wr_delta = hs_rand(2) ? 1 + hs_rand(32) :
				-(s32)min_t(u32, req->wr_len - HS_RESP, 1 + hs_rand(32));
			if (!hs_rand(20)) {	/* rarely: no room for a response */
				wr_delta = -(s32)req->wr_len + hs_rand(HS_RESP);
				*may_break = true;
			}
			break;
		default: {	/* a field off by one */
			unsigned int k = hs_rand(HS_HDR / 4);

			w[k] = cpu_to_le32(le32_to_cpu(w[k]) + (hs_rand(2) ? 1 : -1));
			break;
		}
		}
	}
	if (rd_delta || wr_delta) {
		struct hs_req *nreq;
		u8 *payload = kzalloc(req->rd_len + 32, GFP_KERNEL);

		if (!payload)
			return req;
		memcpy(payload, req->rd + HS_HDR, req->rd_len - HS_HDR);
		nreq = hs_req_new(hs_hdr(req), payload, req->rd_len - HS_HDR + rd_delta,
				  req->wr_len + wr_delta, lay);
		kfree(payload);
		if (nreq) {
			hs_req_free(req);
			req = nreq;
		}
	}
	return req;
}

static void hs_fuzz_layout(struct hs_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	switch (hs_rand(4)) {
	case 0:
		break;
	case 1:
		lay->rd_segs = 1 + hs_rand(8);
		lay->wr_segs = 1 + hs_rand(8);
		break;
	case 2:
		lay->rd_segs = 1 + hs_rand(300);
		lay->wr_segs = 1 + hs_rand(300);
		break;
	default:	/* now and then more than max_segments */
		lay->rd_segs = 1 + hs_rand(520);
		lay->wr_segs = 1 + hs_rand(520);
		break;
	}
	lay->random_cuts = hs_rand(2);
}

/*
 * Aim the last bytes of the response at the device's own registers: the
 * first 32 bytes of the common config (selectors, status, queue select,
 * size and enable; not the ring addresses, which would make the device
 * write anywhere in guest memory as the guest asked) or the notification
 * area.
 */
static bool hs_fuzz_aim(struct hs_layout *lay)
{
	lay->tail_len = 1 + hs_rand(8);
	if (hs->common_cfg && (hs_rand(2) || !hs->notify_len)) {
		lay->tail_phys = hs->common_cfg + hs_rand(32 - lay->tail_len + 1);
	} else if (hs->notify && hs->notify_len >= lay->tail_len) {
		lay->tail_phys = hs->notify + hs_rand(hs->notify_len - lay->tail_len + 1);
	} else {
		lay->tail_len = 0;
		return false;
	}
	return true;
}

static void hs_fuzz_forget(struct hs_fuzz *f, u64 handle)
{
	unsigned int i;

	for (i = 0; i < f->npool; i++) {
		if (f->pool[i].handle == handle) {
			f->stale[hs_rand(ARRAY_SIZE(f->stale))] = handle;
			f->pool[i] = f->pool[--f->npool];
			return;
		}
	}
}

static void hs_fuzz_batch(struct hs_fuzz *f)
{
	struct hs_req *reqs[HS_BATCH];
	u32 expect[HS_BATCH], got[HS_BATCH];
	int creates[HS_BATCH];
	bool mutated[HS_BATCH], may_break = false, lost_sessions = false;
	enum hs_outcome worst;
	unsigned int n = 1 + hs_rand(HS_BATCH), i, sub = 0;
	u32 maxseg = le32_to_cpu(hs->cfg.max_segments);

	for (i = 0; i < n; i++) {
		struct hs_layout lay;

		hs_fuzz_layout(&lay);
		if (aim && !hs_rand(16) && hs_fuzz_aim(&lay)) {
			may_break = true;	/* the guest itself may write there */
			f->aimed++;
		}
		reqs[sub] = hs_fuzz_valid(f, &expect[sub], &creates[sub], &lay);
		if (!reqs[sub])
			continue;
		mutated[sub] = hs_rand(10) < 7;
		if (mutated[sub]) {
			reqs[sub] = hs_fuzz_mutate(f, reqs[sub], &lay, &may_break);
			f->mutated++;
		}
		if (reqs[sub]->rd_n + reqs[sub]->wr_sg_n > maxseg)
			may_break = true;	/* QEMU's core refuses it */
		if (hs_submit(hs_rand(hs->nq), reqs[sub])) {
			hs_req_free(reqs[sub]);
			continue;
		}
		sub++;
	}
	worst = hs_wait_all(reqs, sub);
	if (worst == HS_DONE && hs_any_broken()) {
		worst = HS_BADRING;	/* seen after the last answer */
		hs_reinit();
	}
	if (worst != HS_DONE) {
		f->breaks++;
		lost_sessions = true;	/* the reset destroyed them */
		if (!may_break)
			HS_FAIL("%s on a batch that did not break the ring",
				hs_outcome_names[worst]);
	}
	for (i = 0; i < sub; i++) {
		struct hs_req *req = reqs[i];
		u32 st, op;

		got[i] = HS_NOANSWER;
		f->requests++;
		if (!hs_check(req) || req->outcome != HS_DONE || req->tail_len) {
			f->noanswer += req->outcome != HS_DONE;
			hs_req_free(req);
			continue;
		}
		if (req->wr_len < HS_RESP) {
			HS_FAIL("a request without room for a response was answered");
			hs_req_free(req);
			continue;
		}
		st = hs_status(req);
		f->statuses[st & 7]++;
		op = le32_to_cpu(hs_hdr(req)->opcode);
		if (st == VIRTIO_CRYPTODEV_S_OK && op == VIRTIO_CRYPTODEV_OP_CREATE_SESSION) {
			u64 handle = le64_to_cpu(req->resp.session);

			if (!mutated[i] && creates[i] >= 0 && f->npool < HS_POOL) {
				f->pool[f->npool].handle = handle;
				f->pool[f->npool++].kind = creates[i];
			} else {
				hs_destroy(0, handle);	/* keep the table small */
			}
		}
		if (st == VIRTIO_CRYPTODEV_S_OK && op == VIRTIO_CRYPTODEV_OP_DESTROY_SESSION) {
			hs_fuzz_forget(f, le64_to_cpu(hs_hdr(req)->session));
			lost_sessions = true;
		}
		hs_req_free(req);
		if (!mutated[i])
			got[i] = st;
	}
	/* A session destroyed in the batch may fail a sibling: not a bug. */
	for (i = 0; i < sub && !lost_sessions; i++)
		if (got[i] != HS_NOANSWER && !(expect[i] & (1u << got[i])))
			HS_FAIL("well-formed request got status %u (expected mask %#x)",
				got[i], expect[i]);
}

static void case_fuzz(void)
{
	struct hs_fuzz *f;
	u64 batches = 0, it;
	unsigned int i;

	if (!iterations) {
		pr_info("vcd-hostile: %s: iterations=0, nothing to do\n", hs_case);
		return;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	for (it = 0; it < iterations && !hs->dead; batches++) {
		u64 breaks = f->breaks;

		hs_fuzz_batch(f);
		if (f->breaks != breaks)
			f->npool = 0;	/* the reset destroyed every session */
		it = f->requests;
		if (batches % 256 == 255) {
			hs_kat_check(hs_rand(hs->nq), NULL);
			pr_info("vcd-hostile: fuzz progress: %llu requests\n", f->requests);
		}
		cond_resched();
	}
	for (i = 0; i < f->npool; i++)
		hs_destroy(0, f->pool[i].handle);
	pr_info("vcd-hostile: fuzz: seed %lu, %llu requests (%llu mutated, %llu aimed at registers) in %llu batches, %llu device resets, %llu unanswered\n",
		seed, f->requests, f->mutated, f->aimed, batches, f->breaks,
		f->noanswer);
	pr_info("vcd-hostile: fuzz: statuses OK %llu BADMSG %llu INVAL %llu NOTSUPP %llu NOSESSION %llu NOSPC %llu NOMEM %llu IOERR %llu\n",
		f->statuses[0], f->statuses[1], f->statuses[2], f->statuses[3],
		f->statuses[4], f->statuses[5], f->statuses[6], f->statuses[7]);
	kfree(f);
}

/* ---- running ------------------------------------------------------------- */

struct hs_case {
	const char *name;
	void (*run)(void);
};

#define HS_CASE(fn) { #fn, case_##fn }
static const struct hs_case hs_cases[] = {
	{ "known_answer_before", case_known_answer },
	HS_CASE(mutated_header_gets_error_status),
	HS_CASE(lying_lengths_get_inval),
	HS_CASE(swapped_parts_get_error_status),
	HS_CASE(one_byte_fragments_give_known_answer),
	HS_CASE(max_segments_descriptors_work_one_more_is_refused),
	HS_CASE(stale_session_handle_gets_nosession),
	HS_CASE(destroy_racing_use_on_two_queues),
	HS_CASE(writable_part_too_small_breaks_ring_reset_recovers),
	HS_CASE(empty_descriptor_breaks_ring_reset_recovers),
	HS_CASE(reset_with_requests_in_flight),
	HS_CASE(queue_reset_with_requests_in_flight),
	HS_CASE(response_aimed_at_device_status_keeps_qemu_answering_inline),
	HS_CASE(response_aimed_at_device_status_keeps_qemu_answering_pool),
	HS_CASE(fuzz),
	{ "known_answer_after_everything", case_known_answer },
};

static bool hs_selected(const char *name)
{
	const char *p = cases;
	size_t n = strlen(name);

	if (!strcmp(cases, "all"))
		return true;
	while ((p = strstr(p, name))) {
		if ((p == cases || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static void hs_run_cases(void)
{
	unsigned int i, failed = 0, passed = 0;

	hs_kat_load();
	if (!seed)
		seed = get_random_u64();
	prandom_seed_state(&hs->rnd, seed);
	pr_info("vcd-hostile: seed %lu, %u queues, max_segments %u\n", seed,
		hs->nq, le32_to_cpu(hs->cfg.max_segments));
	for (i = 0; i < ARRAY_SIZE(hs_cases); i++) {
		if (!hs_selected(hs_cases[i].name))
			continue;
		hs_case = hs_cases[i].name;
		hs_case_failures = 0;
		pr_info("vcd-hostile: start %s\n", hs_case);
		if (!hs->dead)
			hs_cases[i].run();
		else
			HS_FAIL("the device is gone");
		if (hs_case_failures) {
			failed++;
		} else {
			passed++;
			pr_info("vcd-hostile: ok %s\n", hs_case);
		}
	}
	pr_info("vcd-hostile: done: %u passed, %u failed\n", passed, failed);
}

/* Where a virtio-pci structure lives, from the vendor capabilities. */
static phys_addr_t hs_find_cap(struct virtio_device *vdev, u8 cfg_type, u32 *len)
{
	struct pci_dev *pdev;
	int pos;

	*len = 0;
	if (!dev_is_pci(vdev->dev.parent))
		return 0;
	pdev = to_pci_dev(vdev->dev.parent);
	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		u8 type, bar;
		u32 offset, length;

		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap, cfg_type),
				     &type);
		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap, bar), &bar);
		pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap, offset),
				      &offset);
		pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap, length),
				      &length);
		if (type == cfg_type && bar < PCI_STD_NUM_BARS) {
			*len = length;
			return pci_resource_start(pdev, bar) + offset;
		}
	}
	return 0;
}

static int hs_probe(struct virtio_device *vdev)
{
	unsigned int i;
	u32 len;
	int err;

	if (hs)
		return -EBUSY;	/* one device is enough */
	hs = kzalloc(sizeof(*hs), GFP_KERNEL);
	if (!hs)
		return -ENOMEM;
	hs->vdev = vdev;
	virtio_cread_bytes(vdev, 0, &hs->cfg, sizeof(hs->cfg));
	hs->nq = clamp_t(u32, le32_to_cpu(hs->cfg.num_queues), 1, HS_NQ);
	for (i = 0; i < HS_NQ; i++)
		spin_lock_init(&hs->q[i].lock);
	err = hs_find_vqs();
	if (err) {
		kfree(hs);
		hs = NULL;
		return err;
	}
	hs->common_cfg = hs_find_cap(vdev, VIRTIO_PCI_CAP_COMMON_CFG, &len);
	if (hs->common_cfg)
		hs->status_reg = hs->common_cfg +
				 offsetof(struct virtio_pci_common_cfg, device_status);
	hs->notify = hs_find_cap(vdev, VIRTIO_PCI_CAP_NOTIFY_CFG, &hs->notify_len);
	virtio_device_ready(vdev);
	return 0;
}

static void hs_remove(struct virtio_device *vdev)
{
	if (!hs || hs->vdev != vdev)
		return;
	virtio_reset_device(vdev);
	hs_detach_all();
	vdev->config->del_vqs(vdev);
	kfree(hs);
	hs = NULL;
}

static const struct virtio_device_id hs_id_table[] = {
	{ VIRTIO_ID_CRYPTODEV, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct virtio_driver hs_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = hs_id_table,
	.probe = hs_probe,
	.remove = hs_remove,
};

static int __init hs_init(void)
{
	int err;

	err = register_virtio_driver(&hs_driver);
	if (err)
		return err;
	if (!hs) {
		pr_err("vcd-hostile: no virtio-cryptodev device to bind "
		       "(is virtio_cryptodev loaded?)\n");
		unregister_virtio_driver(&hs_driver);
		return -ENODEV;
	}
	/*
	 * Success either way: the results are on the log, and busybox's
	 * insmod would load the module a second time after a failure.
	 */
	hs_run_cases();
	return 0;
}

static void __exit hs_exit(void)
{
	unregister_virtio_driver(&hs_driver);
}

module_init(hs_init);
module_exit(hs_exit);
MODULE_DESCRIPTION("hostile guest for testing the virtio-cryptodev device");
MODULE_LICENSE("GPL");
