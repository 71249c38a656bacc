/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-cryptodev device model: thin glue between QEMU's virtio core and the
 * backend core.  Requests are popped where the guest's notification lands
 * (with the BQL held).  A large request is executed on the thread pool, so
 * it never stalls the vCPU or the main loop, and completed back in the main
 * loop.  A small one (inline-max bytes or fewer to read) is executed at
 * once: its crypto costs a few microseconds, less than handing it to another
 * thread and waking the main loop to complete it.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/iov.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "block/aio.h"
#include "block/aio-wait.h"
#include "block/thread-pool.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-cryptodev.h"
#include "migration/blocker.h"
#include "migration/vmstate.h"
#include "trace.h"

#include "vcd_backend.h"

/* Descriptors per queue; the guest driver may use fewer. */
#define VIRTIO_CRYPTODEV_QUEUE_SIZE 256

/* One request in flight; virtqueue_pop() allocates it around the element. */
typedef struct VirtIOCryptodevReq {
    VirtQueueElement elem;      /* first: virtqueue_pop() requires it */
    VirtIOCryptodev *vcd;
    VirtQueue *vq;
    ssize_t used;               /* vcd_backend_process()'s result */
    uint32_t status;
} VirtIOCryptodevReq;

/* Thread pool worker: the only place a request's buffers are touched. */
static int virtio_cryptodev_work(void *opaque)
{
    VirtIOCryptodevReq *req = opaque;

    req->used = vcd_backend_process(req->vcd->backend,
                                    req->elem.out_sg, req->elem.out_num,
                                    req->elem.in_sg, req->elem.in_num,
                                    &req->status);
    return 0;
}

/*
 * The one function that finishes a request, whatever happened: in the main
 * loop for thread-pool requests, in the notifying thread for inline ones,
 * with the BQL held either way.
 */
static void virtio_cryptodev_complete(void *opaque, int ret)
{
    VirtIOCryptodevReq *req = opaque;
    VirtIOCryptodev *vcd = req->vcd;
    VirtIODevice *vdev = VIRTIO_DEVICE(vcd);

    if (req->used < 0) {
        trace_virtio_cryptodev_ring_broken(req);
        virtqueue_detach_element(req->vq, &req->elem, 0);
        virtio_error(vdev, "virtio-cryptodev: request has no room for a "
                     "response (%u device-writable descriptors)",
                     req->elem.in_num);
    } else {
        trace_virtio_cryptodev_complete(req, vcd_status_name(req->status),
                                        req->used);
        virtqueue_push(req->vq, &req->elem, req->used);
        virtio_notify(vdev, req->vq);
    }
    g_free(req);
    vcd->inflight--;
    aio_wait_kick();
}

static void virtio_cryptodev_handle_request(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);
    ThreadPool *pool = aio_get_thread_pool(qemu_get_aio_context());
    VirtIOCryptodevReq *req;

    if (vcd->quiescing) {
        return;     /* the queues are about to be reset */
    }
    while ((req = virtqueue_pop(vq, sizeof(*req))) != NULL) {
        req->vcd = vcd;
        req->vq = vq;
        req->used = -1;
        vcd->inflight++;
        trace_virtio_cryptodev_submit(req, virtio_get_queue_index(vq),
                                      req->elem.out_num, req->elem.in_num);
        if (iov_size(req->elem.out_sg, req->elem.out_num) <= vcd->inline_max) {
            virtio_cryptodev_work(req);
            virtio_cryptodev_complete(req, 0);
            continue;
        }
        thread_pool_submit_aio(pool, virtio_cryptodev_work, req,
                               virtio_cryptodev_complete, req);
    }
}

/* Wait until every request handed to the thread pool has completed. */
static void virtio_cryptodev_drain(VirtIOCryptodev *vcd)
{
    vcd->quiescing = true;
    AIO_WAIT_WHILE(qemu_get_aio_context(), vcd->inflight > 0);
    vcd->quiescing = false;
}

static void virtio_cryptodev_reset(VirtIODevice *vdev)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);

    if (!vcd->backend) {
        return;
    }
    virtio_cryptodev_drain(vcd);
    trace_virtio_cryptodev_reset(vcd_backend_session_count(vcd->backend));
    vcd_backend_reset(vcd->backend);
}

/*
 * A guest that negotiated VIRTIO_F_RING_RESET may reset one queue while its
 * requests run on the host; their completions must not land on the reset
 * ring.  Draining all queues is simpler than tracking one and just as safe.
 */
static void virtio_cryptodev_queue_reset(VirtIODevice *vdev,
                                         uint32_t queue_index)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);

    if (vcd->backend) {
        virtio_cryptodev_drain(vcd);
    }
}

static void virtio_cryptodev_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(vdev);
    struct virtio_cryptodev_config cfg;

    vcd_backend_config(vcd->backend, &cfg);
    memcpy(config, &cfg, sizeof(cfg));
}

static uint64_t virtio_cryptodev_get_features(VirtIODevice *vdev,
                                              uint64_t features, Error **errp)
{
    return features;    /* no device-specific feature bits */
}

static bool virtio_cryptodev_parse_engine(const char *name,
                                          enum vcd_engine_kind *kind)
{
    if (!name || !strcmp(name, "auto")) {
        *kind = VCD_ENGINE_AUTO;
    } else if (!strcmp(name, "devcrypto")) {
        *kind = VCD_ENGINE_DEVCRYPTO;
    } else if (!strcmp(name, "soft")) {
        *kind = VCD_ENGINE_SOFT;
    } else {
        return false;
    }
    return true;
}

static void virtio_cryptodev_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(dev);
    struct vcd_limits limits;
    enum vcd_engine_kind kind;
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
    if (vcd->max_sessions < 1) {
        error_setg(errp, "virtio-cryptodev: max-sessions must be at least 1");
        return;
    }
    path = vcd->devcrypto_path ? vcd->devcrypto_path
                               : VCD_DEFAULT_DEVCRYPTO_PATH;
    limits.num_queues = vcd->num_queues;
    limits.max_sessions = vcd->max_sessions;
    limits.max_data_len = vcd->max_data_len;
    if (vcd_backend_new(&vcd->backend, kind, path, &limits,
                        err, sizeof(err)) < 0) {
        if (kind == VCD_ENGINE_DEVCRYPTO && !strstr(err, path)) {
            error_setg(errp, "virtio-cryptodev: engine devcrypto on %s: %s",
                       path, err);
        } else if (kind == VCD_ENGINE_DEVCRYPTO) {
            error_setg(errp, "virtio-cryptodev: engine devcrypto: %s", err);
        } else {
            error_setg(errp, "virtio-cryptodev: %s", err);
        }
        return;
    }

    error_setg(&vcd->migration_blocker, "virtio-cryptodev: sessions are "
               "host state; migration is not supported");
    if (migrate_add_blocker(vcd->migration_blocker, errp) < 0) {
        error_free(vcd->migration_blocker);
        vcd->migration_blocker = NULL;
        vcd_backend_free(vcd->backend);
        vcd->backend = NULL;
        return;
    }

    virtio_init(vdev, VIRTIO_ID_CRYPTODEV,
                sizeof(struct virtio_cryptodev_config));
    vcd->vqs = g_new0(VirtQueue *, vcd->num_queues);
    for (i = 0; i < vcd->num_queues; i++) {
        vcd->vqs[i] = virtio_add_queue(vdev, VIRTIO_CRYPTODEV_QUEUE_SIZE,
                                       virtio_cryptodev_handle_request);
    }
    trace_virtio_cryptodev_realize(vcd_backend_engine_name(vcd->backend),
                                   vcd->num_queues, vcd->max_sessions,
                                   vcd->max_data_len);
}

static void virtio_cryptodev_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(dev);
    uint32_t i;

    /* Workers use the backend and the elements: let them finish first. */
    virtio_cryptodev_drain(vcd);
    trace_virtio_cryptodev_unrealize(vcd_backend_session_count(vcd->backend));
    for (i = 0; i < vcd->num_queues; i++) {
        virtio_delete_queue(vcd->vqs[i]);
    }
    g_free(vcd->vqs);
    vcd->vqs = NULL;
    virtio_cleanup(vdev);
    migrate_del_blocker(vcd->migration_blocker);
    error_free(vcd->migration_blocker);
    vcd->migration_blocker = NULL;
    vcd_backend_free(vcd->backend);
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

static Property virtio_cryptodev_properties[] = {
    DEFINE_PROP_STRING("engine", VirtIOCryptodev, engine),
    DEFINE_PROP_STRING("devcrypto-path", VirtIOCryptodev, devcrypto_path),
    DEFINE_PROP_UINT32("queues", VirtIOCryptodev, num_queues,
                       VCD_DEFAULT_QUEUES),
    DEFINE_PROP_UINT32("max-sessions", VirtIOCryptodev, max_sessions,
                       VCD_DEFAULT_MAX_SESSIONS),
    DEFINE_PROP_UINT32("max-data-len", VirtIOCryptodev, max_data_len,
                       VCD_DEFAULT_MAX_DATA_LEN),
    DEFINE_PROP_UINT32("inline-max", VirtIOCryptodev, inline_max, 8192),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_cryptodev_instance_init(Object *obj)
{
    VirtIOCryptodev *vcd = VIRTIO_CRYPTODEV(obj);

    /* String properties have no static default; `info qtree` shows these. */
    vcd->engine = g_strdup("auto");
    vcd->devcrypto_path = g_strdup(VCD_DEFAULT_DEVCRYPTO_PATH);
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
    .class_init = virtio_cryptodev_class_init,
};

static void virtio_cryptodev_register_types(void)
{
    type_register_static(&virtio_cryptodev_info);
}

type_init(virtio_cryptodev_register_types)
