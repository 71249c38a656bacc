/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-cryptodev: a paravirtualized crypto device whose sessions and
 * operations are executed by the host (see docs/protocol.md).  The wire
 * contract is <virtio_cryptodev.h>; the request logic lives in the
 * QEMU-free backend core (vcb_backend.h); this is the QEMU side.
 */
#ifndef HW_VIRTIO_CRYPTODEV_H
#define HW_VIRTIO_CRYPTODEV_H

#include "hw/virtio/virtio.h"
#include "qemu/queue.h"
#include "qemu/thread.h"
#include "qom/object.h"

#define TYPE_VIRTIO_CRYPTODEV "virtio-cryptodev"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIOCryptodev, VIRTIO_CRYPTODEV)

struct vcb_backend;
typedef struct VirtIOCryptodevReq VirtIOCryptodevReq;

/* One request queue.  Every field is touched with the BQL held. */
typedef struct VirtIOCryptodevQueue {
    VirtQueue *vq;
    /*
     * Bumped by a reset of this queue (or of the device); thread pool
     * workers read it to drop work that has not started yet.
     */
    unsigned int generation;
    /*
     * Running apart from the BQL, on the pool or in a vCPU, not yet back.
     * Written with atomics: a vCPU lowers it without the BQL.
     */
    unsigned int on_pool;
    bool more;                  /* the pop loop stopped with work left */
    bool quiescing;             /* a reset waits for on_pool to drain */
} VirtIOCryptodevQueue;

struct VirtIOCryptodev {
    VirtIODevice parent_obj;

    /* Properties. */
    char *engine;               /* "auto", "devcrypto" or "soft" */
    char *devcrypto_path;
    uint32_t num_queues;
    uint32_t max_sessions;
    uint32_t max_data_len;
    uint32_t inline_max;        /* bytes: run smaller requests at once */
    uint32_t pool_max;          /* requests on the thread pool at once */
    uint32_t queue_size;        /* descriptors per queue */
    bool run_in_vcpu;           /* larger requests: in the vCPU, no BQL */

    VirtIOCryptodevQueue *queues;
    struct vcb_backend *backend;
    Error *migration_blocker;

    /*
     * Requests running apart from the BQL (on the thread pool, or in a
     * vCPU that released it) and not yet back, over all queues: never
     * more than pool_max plus one per vCPU.  Atomics, as in the queues.
     */
    unsigned int on_pool;
    /*
     * Back from running apart, waiting to be pushed (by complete_bh, or
     * by the vCPU that ran them).  done_lock, and the BQL to take any
     * off: a vCPU adds to it before it has the BQL back.
     */
    QemuMutex done_lock;
    QSIMPLEQ_HEAD(, VirtIOCryptodevReq) done;
    /* Both run under the transport's memory re-entrancy guard. */
    QEMUBH *complete_bh;
    QEMUBH *pop_bh;             /* resumes pop loops that stopped early */
};

#endif /* HW_VIRTIO_CRYPTODEV_H */
