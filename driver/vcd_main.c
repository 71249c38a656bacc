// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module and the device: probe and remove, the config space and its
 * limits, the virtqueues, suspend and resume, /dev/cryptodevN and the
 * /dev/crypto alias.
 */

#include "vcd.h"

struct vcd_driver vcd_drv = {
	.ids = IDA_INIT(vcd_drv.ids),
	.lock = __MUTEX_INITIALIZER(vcd_drv.lock),
	.devices = LIST_HEAD_INIT(vcd_drv.devices),
	.pin_lock = __MUTEX_INITIALIZER(vcd_drv.pin_lock),
	.pinned_by_uid = XARRAY_INIT(vcd_drv.pinned_by_uid, 0),
	.pinned = ATOMIC_LONG_INIT(0),
	.pin_gen = ATOMIC_INIT(0),
	.pin_wait = __WAIT_QUEUE_HEAD_INITIALIZER(vcd_drv.pin_wait),
};

static void vcd_device_release(struct kref *ref)
{
	struct vcd_device *vcd = container_of(ref, struct vcd_device, ref);

	/* every file, and with it every session, is gone by now */
	WARN_ON_ONCE(!xa_empty(&vcd->user_sessions));
	xa_destroy(&vcd->user_sessions);
	kfree(vcd->queues);
	kfree(vcd);
}

void vcd_device_put(struct vcd_device *vcd)
{
	kref_put(&vcd->ref, vcd_device_release);
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
	names = kcalloc(vcd->nqueues, sizeof(*names), GFP_KERNEL);
	if (!vqs || !names)
		goto out;

	for (i = 0; i < vcd->nqueues; i++)
		names[i] = vcd->queues[i].name;
	err = vcd_find_vqs(vdev, vcd->nqueues, vqs, vcd_vq_done, names);
	if (err)
		goto out;
	for (i = 0; i < vcd->nqueues; i++)
		vcd->queues[i].vq = vqs[i];
out:
	kfree(names);
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
	INIT_DELAYED_WORK(&vcd->kick_work, vcd_kick_work);
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
	/* none is queued from now on; open files keep vcd beyond us */
	cancel_delayed_work_sync(&vcd->kick_work);
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
