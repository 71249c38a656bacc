/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-cryptodev device model: thin glue between QEMU's virtio core and the
 * backend core.  Requests are popped where the guest's notification lands
 * (with the BQL held): in the vCPU thread that wrote the notify register
 * (the device's default, ioeventfd=off), else in the main loop.  A small
 * one (inline-max bytes or fewer to read) is executed at once: its crypto
 * costs a few microseconds, less than handing it to another thread.  A
 * larger one popped by a vCPU runs in that vCPU too, with the BQL released
 * meanwhile, so that the main loop and the other vCPUs go on and two vCPUs
 * encrypt at once; the thread that asked for it is the one that waits for
 * it anyway, and no other thread has to wake up.  Elsewhere (the main
 * loop, run-in-vcpu=off) a large request goes to the thread pool and is
 * completed back in the main loop.
 *
 * The guest is not trusted, and it can point a request's buffers anywhere,
 * the device's own registers included.  So:
 *  - responses are pushed under the transport's memory re-entrancy guard,
 *    so that a response aimed at our registers is refused instead of, say,
 *    resetting the device inside its own completion;
 *  - a request stops counting as in flight before it is pushed, so that a
 *    reset which happens during a push never waits for the request doing it;
 *  - nothing under the BQL waits for a worker: an inline request on a session
 *    a worker holds goes to the pool, and a reset drops work not yet started
 *    instead of running it;
 *  - a vCPU running a request without the BQL counts it as in flight like
 *    a pool request, and stops counting it (its result queued for pushing)
 *    before it takes the BQL back: a reset or unplug, which waits under the
 *    BQL for what is in flight, never waits for a vCPU waiting for the BQL;
 *  - one notification pops a bounded batch, and the device has at most
 *    pool-max requests on the thread pool (shared with the block layer):
 *    the rest waits in the guest's ring, costing the host nothing.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/error-report.h"
#include "qemu/host-utils.h"
#include "qemu/iov.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "hw/core/cpu.h"
#include "block/aio.h"
#include "block/aio-wait.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-cryptodev.h"
#include "hw/virtio/virtio-cryptodev-compat.h"
#include "migration/vmstate.h"
#include "trace.h"

#include "vcb_backend.h"

/*
 * Descriptors per queue (property queue-size; the guest driver may use
 * fewer).  A chain may be no longer than its ring, indirect or not, so the
 * default is the most QEMU allows: a 1 MiB request pinned page by page,
 * with its key, IV and 64 KiB of AAD, then fits in one chain.
 */
#define VIRTIO_CRYPTODEV_QUEUE_SIZE VIRTQUEUE_MAX_SIZE
/* Requests popped per notification before the rest is left to a BH. */
#define VIRTIO_CRYPTODEV_BATCH 32

/* One request in flight; virtqueue_pop() allocates it around the element. */
struct VirtIOCryptodevReq {
    VirtQueueElement elem;      /* first: virtqueue_pop() requires it */
    VirtIOCryptodev *vcd;
    VirtIOCryptodevQueue *queue;
    unsigned int generation;    /* the queue's, when popped */
    ssize_t used;               /* vcb_backend_run()'s result */
    uint32_t status;
    QSIMPLEQ_ENTRY(VirtIOCryptodevReq) next;    /* on vcd->done */
};

/* Was the request's queue reset since it was popped?  Any thread. */
static bool virtio_cryptodev_stale(VirtIOCryptodevReq *req)
{
    return qatomic_read(&req->queue->generation) != req->generation;
}

static void virtio_cryptodev_bump(VirtIOCryptodevQueue *q)
{
    qatomic_set(&q->generation, q->generation + 1);
}

/*
 * Thread pool worker.  Work queued before a reset of its queue is dropped
 * (-ECANCELED) instead of run: the guest no longer wants it, and the reset
 * waits only for what has started.
 */
static int virtio_cryptodev_work(void *opaque)
{
    VirtIOCryptodevReq *req = opaque;
    const struct vcb_run_ctl ctl = {
        .generation = &req->queue->generation,
        .expected = req->generation,
    };

    req->used = vcb_backend_run(req->vcd->backend,
                                req->elem.out_sg, req->elem.out_num,
                                req->elem.in_sg, req->elem.in_num,
                                &ctl, &req->status);
    return 0;
}

/*
 * Let go of a request the guest reset away: unmap its buffers, writing
 * nothing back, and do not touch the ring, which the reset clears.
 */
static void virtio_cryptodev_discard(VirtIOCryptodevReq *req)
{
    AddressSpace *dma_as = VIRTIO_DEVICE(req->vcd)->dma_as;
    unsigned int i;

    trace_virtio_cryptodev_discard(req);
    for (i = 0; i < req->elem.in_num; i++) {
        dma_memory_unmap(dma_as, req->elem.in_sg[i].iov_base,
                         req->elem.in_sg[i].iov_len,
                         DMA_DIRECTION_FROM_DEVICE, 0);
    }
    for (i = 0; i < req->elem.out_num; i++) {
        dma_memory_unmap(dma_as, req->elem.out_sg[i].iov_base,
                         req->elem.out_sg[i].iov_len,
                         DMA_DIRECTION_TO_DEVICE, req->elem.out_sg[i].iov_len);
    }
    g_free(req);
}

/* The PCI proxy: it owns the device's memory and its re-entrancy guard. */
static DeviceState *virtio_cryptodev_transport(VirtIOCryptodev *vcd)
{
    return qdev_get_parent_bus(DEVICE(vcd))->parent;
}

/*
 * The one function that finishes a request, whatever happened, with the BQL
 * held: in complete_bh for thread-pool requests, in the notifying thread for
 * inline ones.  The request no longer counts as in flight here.
 *
 * virtqueue_push() writes the response into guest memory, which may be one
 * of our own registers; the transport's re-entrancy guard, engaged here
 * whoever called us (ioeventfd handlers run without it), makes such a
 * write fail instead of re-entering the device.
 */
static void virtio_cryptodev_finish(VirtIOCryptodevReq *req)
{
    VirtIOCryptodev *vcd = req->vcd;
    VirtIODevice *vdev = VIRTIO_DEVICE(vcd);
    VirtQueue *vq = req->queue->vq;
    MemReentrancyGuard *guard =
        &virtio_cryptodev_transport(vcd)->mem_reentrancy_guard;
    bool engaged = guard->engaged_in_io;

    if (virtio_cryptodev_stale(req) || req->used == -ECANCELED) {
        virtio_cryptodev_discard(req);
        return;
    }
    if (req->used < 0) {
        trace_virtio_cryptodev_ring_broken(req);
        virtqueue_detach_element(vq, &req->elem, 0);
        virtio_error(vdev, "virtio-cryptodev: request has no room for a "
                     "response, or 4 GiB or more of it (%u device-writable "
                     "descriptors)", req->elem.in_num);
        g_free(req);
        return;
    }
    trace_virtio_cryptodev_complete(req, vcb_status_name(req->status),
                                    req->used);
    guard->engaged_in_io = true;
    virtqueue_push(vq, &req->elem, req->used);
    virtio_notify(vdev, vq);
    guard->engaged_in_io = engaged;
    g_free(req);
}

/* Any queue stopped early: let pop_bh carry on with it. */
static void virtio_cryptodev_resume(VirtIOCryptodev *vcd)
{
    uint32_t i;

    for (i = 0; i < vcd->num_queues; i++) {
        if (vcd->queues[i].more && !vcd->queues[i].quiescing) {
            qemu_bh_schedule(vcd->pop_bh);
            return;
        }
    }
}

/*
 * A request starts running apart from the BQL (on the pool, or in a vCPU
 * that released it): from now on a reset or unplug waits for it.
 */
static void virtio_cryptodev_running(VirtIOCryptodevReq *req)
{
    qatomic_inc(&req->vcd->on_pool);
    qatomic_inc(&req->queue->on_pool);
}

/*
 * ... and is back, from any thread, with or without the BQL: its result
 * goes on the done list before it stops counting, so that a reset that
 * sees it gone finds it there to discard; after the queue's count drops,
 * the queue may be gone.  Then whoever waits for the counts looks again.
 */
static void virtio_cryptodev_back(VirtIOCryptodevReq *req)
{
    VirtIOCryptodev *vcd = req->vcd;

    qemu_mutex_lock(&vcd->done_lock);
    QSIMPLEQ_INSERT_TAIL(&vcd->done, req, next);
    qemu_mutex_unlock(&vcd->done_lock);
    qatomic_dec(&req->queue->on_pool);
    qatomic_dec(&vcd->on_pool);
    aio_wait_kick();
}

/* Back from the pool, in the pool's BH: hand over to our guarded BH. */
static void virtio_cryptodev_pool_done(void *opaque, int ret)
{
    VirtIOCryptodevReq *req = opaque;
    VirtIOCryptodev *vcd = req->vcd;

    virtio_cryptodev_back(req);
    qemu_bh_schedule(vcd->complete_bh);
    virtio_cryptodev_resume(vcd);
}

static void virtio_cryptodev_complete_bh(void *opaque)
{
    VirtIOCryptodev *vcd = opaque;
    VirtIOCryptodevReq *req;

    /* One at a time off the list: a push may reset the device under us. */
    for (;;) {
        qemu_mutex_lock(&vcd->done_lock);
        req = QSIMPLEQ_FIRST(&vcd->done);
        if (req) {
            QSIMPLEQ_REMOVE_HEAD(&vcd->done, next);
        }
        qemu_mutex_unlock(&vcd->done_lock);
        if (!req) {
            return;
        }
        virtio_cryptodev_finish(req);
    }
}

static void virtio_cryptodev_submit(VirtIOCryptodevReq *req)
{
    virtio_cryptodev_running(req);
    virtio_cryptodev_pool_submit(virtio_cryptodev_work, req,
                                 virtio_cryptodev_pool_done, req);
}

/*
 * Run a large request here, in the vCPU thread that popped it, with the BQL
 * released: the work a pool worker would do, without waking one, nor the
 * main loop to complete it.  Returns with the BQL held again and the
 * request pushed or discarded; false if the device was unrealized
 * meanwhile (then nothing of it but its memory may be touched).
 *
 * The caller holds a reference to the device's transport, which owns its
 * memory.  The request counts as in flight, so a reset or unplug waits for
 * its crypto; it stops counting, its result on the done list, before the
 * BQL is taken back, so that whoever waits under the BQL goes on (and
 * discards it, if its queue was reset) instead of deadlocking with us.
 */
static bool virtio_cryptodev_run_unlocked(VirtIOCryptodevReq *req)
{
    VirtIOCryptodev *vcd = req->vcd;
    VirtIOCryptodevQueue *q = req->queue;
    const struct vcb_run_ctl ctl = {
        .generation = &q->generation,
        .expected = req->generation,
    };
    MemReentrancyGuard *guard =
        &virtio_cryptodev_transport(vcd)->mem_reentrancy_guard;
    bool engaged = guard->engaged_in_io;

    virtio_cryptodev_running(req);
    trace_virtio_cryptodev_unlocked(req);
    /*
     * The guard, engaged by the notify write we are inside of, would make
     * QEMU drop every other vCPU's notification meanwhile.  It guards
     * against the device's own DMA reaching its registers, and there is
     * none until the BQL is back: the crypto only reads and writes host
     * memory mapped already (bounce buffers are written back at unmap).
     * The guard is only ever touched under the BQL.
     */
    guard->engaged_in_io = false;
    virtio_cryptodev_bql_unlock();
    req->used = vcb_backend_run(vcd->backend,
                                req->elem.out_sg, req->elem.out_num,
                                req->elem.in_sg, req->elem.in_num,
                                &ctl, &req->status);
    virtio_cryptodev_back(req);     /* req and q may go from here on */
    virtio_cryptodev_bql_lock();
    guard->engaged_in_io = engaged;
    if (!vcd->backend) {
        return false;   /* unrealized: the unplug discarded the request */
    }
    virtio_cryptodev_complete_bh(vcd);
    virtio_cryptodev_resume(vcd);   /* as a pool completion would */
    return true;
}

/*
 * Pop and start at most a batch of requests from one queue, and none while
 * the device has pool_max requests on the pool; what is left stays in the
 * ring and q->more says so.
 */
static void virtio_cryptodev_pop(VirtIOCryptodev *vcd, VirtIOCryptodevQueue *q)
{
    unsigned int budget = VIRTIO_CRYPTODEV_BATCH;
    unsigned int generation = q->generation;
    const struct vcb_run_ctl nowait = { .flags = VCB_RUN_NOWAIT };
    VirtIOCryptodevReq *req;

    q->more = false;
    if (q->quiescing) {
        return;     /* the queue is being reset */
    }
    for (;;) {
        if (qatomic_read(&vcd->on_pool) >= vcd->pool_max || budget-- == 0) {
            q->more = true;
            trace_virtio_cryptodev_pop_stop(virtio_get_queue_index(q->vq),
                                            qatomic_read(&vcd->on_pool));
            if (qatomic_read(&vcd->on_pool) < vcd->pool_max) {
                qemu_bh_schedule(vcd->pop_bh);
            }
            return;
        }
        req = virtqueue_pop(q->vq, sizeof(*req));
        if (!req) {
            return;
        }
        req->vcd = vcd;
        req->queue = q;
        req->generation = generation;
        req->used = -1;
        trace_virtio_cryptodev_submit(req, virtio_get_queue_index(q->vq),
                                      req->elem.out_num, req->elem.in_num);
        if (iov_size(req->elem.out_sg, req->elem.out_num) > vcd->inline_max) {
            if (!vcd->run_in_vcpu || !current_cpu) {
                virtio_cryptodev_submit(req);
                continue;
            }
            if (!virtio_cryptodev_run_unlocked(req)) {
                return;     /* the device is gone */
            }
            if (q->generation != generation || q->quiescing) {
                return;     /* reset while the BQL was released */
            }
            continue;
        }
        /* Never wait here for a session a worker holds: the BQL is held. */
        req->used = vcb_backend_run(vcd->backend,
                                    req->elem.out_sg, req->elem.out_num,
                                    req->elem.in_sg, req->elem.in_num,
                                    &nowait, &req->status);
        if (req->used == -EAGAIN) {
            trace_virtio_cryptodev_busy(req);
            req->used = -1;
            virtio_cryptodev_submit(req);
            continue;
        }
        virtio_cryptodev_finish(req);
        if (q->generation != generation || q->quiescing) {
            return;     /* that push reset the queue: its ring is gone */
        }
    }
}

static void virtio_cryptodev_handle_request(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);
    /* The pop may release the BQL, and an unplug may come meanwhile. */
    Object *transport = OBJECT(virtio_cryptodev_transport(vcd));

    object_ref(transport);
    virtio_cryptodev_pop(vcd, &vcd->queues[virtio_get_queue_index(vq)]);
    object_unref(transport);
}

static void virtio_cryptodev_pop_bh(void *opaque)
{
    VirtIOCryptodev *vcd = opaque;
    uint32_t i;

    for (i = 0; i < vcd->num_queues; i++) {
        if (vcd->queues[i].more) {
            virtio_cryptodev_pop(vcd, &vcd->queues[i]);
        }
    }
}

/*
 * After a reset of one queue (its generation bumped, so workers drop what
 * has not started): wait only for what runs now -- at most pool_max
 * requests of this queue -- and discard every answer, which has no ring to
 * go to.
 */
static void virtio_cryptodev_quiesce(VirtIOCryptodev *vcd,
                                     VirtIOCryptodevQueue *q)
{
    VirtIOCryptodevReq *req, *tmp;

    QSIMPLEQ_HEAD(, VirtIOCryptodevReq) stale = QSIMPLEQ_HEAD_INITIALIZER(stale);

    q->quiescing = true;
    AIO_WAIT_WHILE(qemu_get_aio_context(), qatomic_read(&q->on_pool) > 0);
    qemu_mutex_lock(&vcd->done_lock);
    QSIMPLEQ_FOREACH_SAFE(req, &vcd->done, next, tmp) {
        if (req->queue == q) {
            QSIMPLEQ_REMOVE(&vcd->done, req, VirtIOCryptodevReq, next);
            QSIMPLEQ_INSERT_TAIL(&stale, req, next);
        }
    }
    qemu_mutex_unlock(&vcd->done_lock);
    while ((req = QSIMPLEQ_FIRST(&stale)) != NULL) {
        QSIMPLEQ_REMOVE_HEAD(&stale, next);
        virtio_cryptodev_discard(req);
    }
    q->quiescing = false;
    q->more = false;
}

static void virtio_cryptodev_quiesce_all(VirtIOCryptodev *vcd)
{
    uint32_t i;

    /* Every queue's new generation first: no worker starts anything. */
    for (i = 0; i < vcd->num_queues; i++) {
        virtio_cryptodev_bump(&vcd->queues[i]);
    }
    for (i = 0; i < vcd->num_queues; i++) {
        virtio_cryptodev_quiesce(vcd, &vcd->queues[i]);
    }
}

static void virtio_cryptodev_reset(VirtIODevice *vdev)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);

    if (!vcd->backend) {
        return;
    }
    virtio_cryptodev_quiesce_all(vcd);
    trace_virtio_cryptodev_reset(vcb_backend_session_count(vcd->backend));
    vcb_backend_reset(vcd->backend);
}

/*
 * A guest that negotiated VIRTIO_F_RING_RESET may reset one queue while its
 * requests run on the host; their answers must not land on the reset ring.
 * Other queues carry on untouched.
 */
static void virtio_cryptodev_queue_reset(VirtIODevice *vdev,
                                         uint32_t queue_index)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);

    if (vcd->backend && queue_index < vcd->num_queues) {
        virtio_cryptodev_bump(&vcd->queues[queue_index]);
        virtio_cryptodev_quiesce(vcd, &vcd->queues[queue_index]);
    }
}

static void virtio_cryptodev_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);
    struct virtio_cryptodev_config cfg;

    vcb_backend_config(vcd->backend, &cfg);
    memcpy(config, &cfg, sizeof(cfg));
}

static uint64_t virtio_cryptodev_get_features(VirtIODevice *vdev,
                                              uint64_t features, Error **errp)
{
    return features;    /* no device-specific feature bits */
}

static bool virtio_cryptodev_parse_engine(const char *name,
                                          enum vcb_engine_kind *kind)
{
    if (!name || !strcmp(name, "auto")) {
        *kind = VCB_ENGINE_AUTO;
    } else if (!strcmp(name, "devcrypto")) {
        *kind = VCB_ENGINE_DEVCRYPTO;
    } else if (!strcmp(name, "soft")) {
        *kind = VCB_ENGINE_SOFT;
    } else {
        return false;
    }
    return true;
}

static void virtio_cryptodev_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(dev);
    struct vcb_limits limits;
    enum vcb_engine_kind kind;
    const char *path;
    char err[256] = "";
    uint32_t i;

    if (!virtio_cryptodev_parse_engine(vcd->engine, &kind)) {
        error_setg(errp, "virtio-cryptodev: engine must be auto, devcrypto "
                   "or soft, not '%s'", vcd->engine);
        return;
    }
    if (vcd->num_queues < 1 ||
        vcd->num_queues > VIRTIO_CRYPTODEV_MAX_QUEUES) {
        error_setg(errp, "virtio-cryptodev: queues must be 1..%u",
                   VIRTIO_CRYPTODEV_MAX_QUEUES);
        return;
    }
    if (vcd->queue_size < 2 || vcd->queue_size > VIRTQUEUE_MAX_SIZE ||
        !is_power_of_2(vcd->queue_size)) {
        error_setg(errp, "virtio-cryptodev: queue-size must be a power of 2 "
                   "in 2..%u", VIRTQUEUE_MAX_SIZE);
        return;
    }
    if (vcd->pool_max < 1) {
        error_setg(errp, "virtio-cryptodev: pool-max must be at least 1");
        return;
    }
    if (vcd->max_sessions < 1) {
        error_setg(errp, "virtio-cryptodev: max-sessions must be at least 1");
        return;
    }
    path = vcd->devcrypto_path ? vcd->devcrypto_path
                               : VCB_DEFAULT_DEVCRYPTO_PATH;
    limits.num_queues = vcd->num_queues;
    limits.max_sessions = vcd->max_sessions;
    limits.max_data_len = vcd->max_data_len;
    /* The backend's sentence names the engine and the device it failed on. */
    if (vcb_backend_new(&vcd->backend, kind, path, &limits,
                        err, sizeof(err)) < 0) {
        error_setg(errp, "virtio-cryptodev: %s", err);
        return;
    }

    error_setg(&vcd->migration_blocker, "virtio-cryptodev: sessions are "
               "host state; migration is not supported");
    if (virtio_cryptodev_block_migration(&vcd->migration_blocker, errp) < 0) {
        vcb_backend_free(vcd->backend);
        vcd->backend = NULL;
        return;
    }

    virtio_init(vdev, VIRTIO_ID_CRYPTODEV,
                sizeof(struct virtio_cryptodev_config));
    vcd->queues = g_new0(VirtIOCryptodevQueue, vcd->num_queues);
    for (i = 0; i < vcd->num_queues; i++) {
        vcd->queues[i].vq = virtio_add_queue(vdev, vcd->queue_size,
                                             virtio_cryptodev_handle_request);
    }
    vcd->complete_bh = virtio_bh_new_guarded(dev, virtio_cryptodev_complete_bh,
                                             vcd);
    vcd->pop_bh = virtio_bh_new_guarded(dev, virtio_cryptodev_pop_bh, vcd);
    trace_virtio_cryptodev_realize(vcb_backend_engine_name(vcd->backend),
                                   vcd->num_queues, vcd->max_sessions,
                                   vcd->max_data_len);
}

static void virtio_cryptodev_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(dev);
    uint32_t i;

    /* Workers use the backend and the elements: let them finish first. */
    virtio_cryptodev_quiesce_all(vcd);
    qemu_bh_delete(vcd->complete_bh);
    qemu_bh_delete(vcd->pop_bh);
    trace_virtio_cryptodev_unrealize(vcb_backend_session_count(vcd->backend));
    for (i = 0; i < vcd->num_queues; i++) {
        virtio_delete_queue(vcd->queues[i].vq);
    }
    g_free(vcd->queues);
    vcd->queues = NULL;
    virtio_cleanup(vdev);
    virtio_cryptodev_unblock_migration(&vcd->migration_blocker);
    vcb_backend_free(vcd->backend);
    vcd->backend = NULL;
}

static const VMStateDescription vmstate_virtio_cryptodev = {
    .name = "virtio-cryptodev",
    .minimum_version_id = 1,
    .version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_VIRTIO_DEVICE,
        VMSTATE_END_OF_LIST()
    },
};

static VirtIOCryptodevProperty virtio_cryptodev_properties[] = {
    DEFINE_PROP_STRING("engine", VirtIOCryptodev, engine),
    DEFINE_PROP_STRING("devcrypto-path", VirtIOCryptodev, devcrypto_path),
    DEFINE_PROP_UINT32("queues", VirtIOCryptodev, num_queues,
                       VCB_DEFAULT_QUEUES),
    DEFINE_PROP_UINT32("max-sessions", VirtIOCryptodev, max_sessions,
                       VCB_DEFAULT_MAX_SESSIONS),
    DEFINE_PROP_UINT32("max-data-len", VirtIOCryptodev, max_data_len,
                       VCB_DEFAULT_MAX_DATA_LEN),
    DEFINE_PROP_UINT32("inline-max", VirtIOCryptodev, inline_max, 8192),
    DEFINE_PROP_UINT32("pool-max", VirtIOCryptodev, pool_max, 16),
    DEFINE_PROP_UINT32("queue-size", VirtIOCryptodev, queue_size,
                       VIRTIO_CRYPTODEV_QUEUE_SIZE),
    DEFINE_PROP_BOOL("run-in-vcpu", VirtIOCryptodev, run_in_vcpu, true),
    VIRTIO_CRYPTODEV_PROPERTIES_END
};

static void virtio_cryptodev_instance_init(Object *obj)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(obj);

    /* String properties have no static default; `info qtree` shows these. */
    vcd->engine = g_strdup("auto");
    vcd->devcrypto_path = g_strdup(VCB_DEFAULT_DEVCRYPTO_PATH);
    /* Outlives unrealize: a vCPU may take it after an unplug. */
    qemu_mutex_init(&vcd->done_lock);
    QSIMPLEQ_INIT(&vcd->done);
}

static void virtio_cryptodev_instance_finalize(Object *obj)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(obj);

    qemu_mutex_destroy(&vcd->done_lock);
}

static void virtio_cryptodev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    device_class_set_props(dc, virtio_cryptodev_properties);
    dc->vmsd = &vmstate_virtio_cryptodev;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    vdc->realize = virtio_cryptodev_realize;
    vdc->unrealize = virtio_cryptodev_unrealize;
    vdc->get_config = virtio_cryptodev_get_config;
    vdc->get_features = virtio_cryptodev_get_features;
    vdc->reset = virtio_cryptodev_reset;
    vdc->queue_reset = virtio_cryptodev_queue_reset;
}

static const TypeInfo virtio_cryptodev_info = {
    .name = TYPE_VIRTIO_CRYPTODEV,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOCryptodev),
    .instance_init = virtio_cryptodev_instance_init,
    .instance_finalize = virtio_cryptodev_instance_finalize,
    .class_init = virtio_cryptodev_class_init,
};

static void virtio_cryptodev_register_types(void)
{
    type_register_static(&virtio_cryptodev_info);
}

type_init(virtio_cryptodev_register_types)
