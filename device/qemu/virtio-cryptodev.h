/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-cryptodev: a paravirtualized crypto device whose sessions and
 * operations are executed by the host (see docs/protocol.md).  The wire
 * contract is <virtio_cryptodev.h>; the request logic lives in the
 * QEMU-free backend core (vcd_backend.h); this is the QEMU side.
 */
#ifndef HW_VIRTIO_CRYPTODEV_H
#define HW_VIRTIO_CRYPTODEV_H

#include "hw/virtio/virtio.h"
#include "qom/object.h"

#define TYPE_VIRTIO_CRYPTODEV "virtio-cryptodev"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIOCryptodev, VIRTIO_CRYPTODEV)

struct vcd_backend;

struct VirtIOCryptodev {
    VirtIODevice parent_obj;

    /* Properties. */
    char *engine;               /* "auto", "devcrypto" or "soft" */
    char *devcrypto_path;
    uint32_t num_queues;
    uint32_t max_sessions;
    uint32_t max_data_len;
    uint32_t inline_max;        /* bytes: run smaller requests at once */

    VirtQueue **vqs;
    struct vcd_backend *backend;
    Error *migration_blocker;

    /*
     * Requests popped and not yet completed.  Touched only with the BQL
     * held: submission and completion both run under it.
     */
    unsigned int inflight;
    /* Set while reset/unrealize waits for inflight to drain. */
    bool quiescing;
};

#endif /* HW_VIRTIO_CRYPTODEV_H */
