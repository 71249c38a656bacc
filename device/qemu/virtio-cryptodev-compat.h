/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every difference between the QEMU versions the device builds against, and
 * nothing else: the device model (virtio-cryptodev.c, virtio-cryptodev-pci.c)
 * calls only what is the same in all of them, or what this file defines.  A
 * new QEMU version is a new branch here (and, where its tree differs, new
 * anchors in patch-qemu-tree), never a fork of the device model.
 *
 * Built today: QEMU 7.2 (Debian 12's) and 10.0 (Debian 13's, and Debian 12's
 * from bookworm-backports).  What changed between them in the calls below:
 *   - thread_pool_submit_aio() lost its ThreadPool argument (8.0) and
 *     submits to the calling thread's AioContext -- ours is the main loop's;
 *   - migrate_add_blocker()/migrate_del_blocker() take Error ** and free the
 *     reason themselves (8.2);
 *   - include/sysemu/ became include/system/, and property arrays became
 *     const Property[] counted by device_class_set_props(), without
 *     DEFINE_PROP_END_OF_LIST() (10.0).
 * Unchanged up to 10.0, so not here: class_init's void *data (const from
 * 10.1), virtio_bh_new_guarded() and DeviceState's mem_reentrancy_guard
 * (7.2 has them from Debian's stable updates).
 *   - qemu_mutex_lock_iothread() became bql_lock() (8.2), and likewise the
 *     unlock.
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

/* Release and retake QEMU's big lock around a request run in a vCPU. */
static inline void virtio_cryptodev_bql_unlock(void)
{
    qemu_mutex_unlock_iothread();
}

static inline void virtio_cryptodev_bql_lock(void)
{
    qemu_mutex_lock_iothread();
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

#elif QEMU_VERSION_MAJOR == 10 && QEMU_VERSION_MINOR == 0

#include "system/dma.h"

/* Counted by device_class_set_props(); no terminator. */
typedef const Property VirtIOCryptodevProperty;
#define VIRTIO_CRYPTODEV_PROPERTIES_END

/* Run func(arg) on the calling thread's pool -- the main loop's, for us. */
static inline void virtio_cryptodev_pool_submit(ThreadPoolFunc *func,
                                                void *arg,
                                                BlockCompletionFunc *cb,
                                                void *opaque)
{
    thread_pool_submit_aio(func, arg, cb, opaque);
}

static inline void virtio_cryptodev_bql_unlock(void)
{
    bql_unlock();
}

static inline void virtio_cryptodev_bql_lock(void)
{
    bql_lock();
}

/* On failure migrate_add_blocker() frees *reason and sets it NULL. */
static inline int virtio_cryptodev_block_migration(Error **reason,
                                                   Error **errp)
{
    return migrate_add_blocker(reason, errp);
}

static inline void virtio_cryptodev_unblock_migration(Error **reason)
{
    migrate_del_blocker(reason);
}

#else
#error "virtio-cryptodev: add this QEMU version to virtio-cryptodev-compat.h"
#endif

#endif /* HW_VIRTIO_CRYPTODEV_COMPAT_H */
