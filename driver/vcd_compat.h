/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every difference between the kernel versions the driver builds against
 * (Debian 12's 6.1, 6.12 from bookworm-backports and Debian 13) lives
 * here, so that the rest of the driver is written once, against the
 * names below.  No other file tests LINUX_VERSION_CODE.
 */
#ifndef _VCD_COMPAT_H
#define _VCD_COMPAT_H

#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>

/* 6.12 moved the unaligned accessors out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.12 removed no_llseek: a file without .llseek that was opened
 * nonseekable (or made by anon_inode_getfile) refuses lseek() with
 * -ESPIPE, as no_llseek did.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define vcd_no_llseek	NULL
#else
#define vcd_no_llseek	no_llseek
#endif

/*
 * Find @nvqs virtqueues, all completed by @callback, named @names.  Since
 * 6.11 virtio_find_vqs() takes one struct virtqueue_info per queue instead
 * of parallel arrays of callbacks and names.
 */
static inline int vcd_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			       struct virtqueue *vqs[],
			       vq_callback_t *callback,
			       const char *const names[])
{
	unsigned int i;
	int err;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	struct virtqueue_info *info;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = callback;
	}
	err = virtio_find_vqs(vdev, nvqs, vqs, info, NULL);
	kfree(info);
#else
	vq_callback_t **callbacks;

	callbacks = kcalloc(nvqs, sizeof(*callbacks), GFP_KERNEL);
	if (!callbacks)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++)
		callbacks[i] = callback;
	err = virtio_find_vqs(vdev, nvqs, vqs, callbacks, names, NULL);
	kfree(callbacks);
#endif
	return err;
}

#endif /* _VCD_COMPAT_H */
