/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every difference between the QEMU versions the device builds against, and
 * nothing else: the device model (virtio-cryptodev.c, virtio-cryptodev-pci.c)
 * calls only what is the same in all of them, or what this file defines.  A
 * new QEMU version is a new branch here (and, where its tree differs, new
 * anchors in patch-qemu-tree), never a fork of the device model.
 *
 * Built today: QEMU 7.2 (Debian 12's).  What a later version changes in the
 * calls below, as a checklist for its branch:
 *   - thread_pool_submit_aio() loses its ThreadPool argument (8.0) and
 *     submits to the calling thread's AioContext;
 *   - migrate_add_blocker()/migrate_del_blocker() take Error ** and free the
 *     reason themselves (8.2);
 *   - property arrays become const Property[] without
 *     DEFINE_PROP_END_OF_LIST(), and include/sysemu/ becomes include/system/
 *     (10.0);
 *   - class_init takes const void *data (10.1).
 */
#ifndef HW_VIRTIO_CRYPTODEV_COMPAT_H
#define HW_VIRTIO_CRYPTODEV_COMPAT_H

#include "qapi/error.h"
#include "block/aio.h"
#include "block/thread-pool.h"
#include "qemu/main-loop.h"
#include "hw/qdev-properties.h"
#include "migration/blocker.h"

#if QEMU_VERSION_MAJOR == 7 && QEMU_VERSION_MINOR == 2

#include "sysemu/dma.h"

/* A property array: the type of its elements, and its terminator. */
typedef Property VirtIOCryptodevProperty;
#define VIRTIO_CRYPTODEV_PROPERTIES_END DEFINE_PROP_END_OF_LIST(),

/* Run func(arg) on the main loop's thread pool; cb(opaque) there after. */
static inline void virtio_cryptodev_pool_submit(ThreadPoolFunc *func,
                                                void *arg,
                                                BlockCompletionFunc *cb,
                                                void *opaque)
{
    thread_pool_submit_aio(aio_get_thread_pool(qemu_get_aio_context()),
                           func, arg, cb, opaque);
}

/*
 * Block migration for *reason.  On failure *reason is freed and NULL, as
 * later versions do it themselves.
 */
static inline int virtio_cryptodev_block_migration(Error **reason,
                                                   Error **errp)
{
    int ret = migrate_add_blocker(*reason, errp);

    if (ret < 0) {
        error_free(*reason);
        *reason = NULL;
    }
    return ret;
}

/* Lift the block; *reason is freed and NULL afterwards. */
static inline void virtio_cryptodev_unblock_migration(Error **reason)
{
    migrate_del_blocker(*reason);
    error_free(*reason);
    *reason = NULL;
}

#else
#error "virtio-cryptodev: add this QEMU version to virtio-cryptodev-compat.h"
#endif

#endif /* HW_VIRTIO_CRYPTODEV_COMPAT_H */
