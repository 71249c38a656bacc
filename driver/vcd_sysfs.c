// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs: a device's limits, algorithms and counters, for users and tests;
 * debugfs: faults tests inject.
 */

#include "vcd.h"

/* ---- sysfs: the limits, for users and tests -------------------------------- */

static struct vcd_device *vcd_from_dev(struct device *dev)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct vcd_node, misc)->vcd;
}

static ssize_t max_data_len_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->max_len);
}
static DEVICE_ATTR_RO(max_data_len);

static ssize_t max_aad_len_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->max_aad_len);
}
static DEVICE_ATTR_RO(max_aad_len);

static ssize_t max_sessions_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->max_sessions);
}
static DEVICE_ATTR_RO(max_sessions);

/* what one user may hold here: max_sessions_per_user, capped */
static ssize_t max_sessions_per_user_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vcd_user_session_limit(vcd_from_dev(dev)));
}
static DEVICE_ATTR_RO(max_sessions_per_user);

static ssize_t queues_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", vcd_from_dev(dev)->nqueues);
}
static DEVICE_ATTR_RO(queues);

static ssize_t algorithms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct vcd_device *vcd = vcd_from_dev(dev);
	unsigned int i;
	int len = 0;

	for (i = 0; i < ARRAY_SIZE(vcd_algs); i++)
		if (vcd_alg_offered(vcd, vcd_algs[i].id))
			len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
					     vcd_algs[i].name);
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(algorithms);

static struct attribute *vcd_attrs[] = {
	&dev_attr_max_data_len.attr,
	&dev_attr_max_aad_len.attr,
	&dev_attr_max_sessions.attr,
	&dev_attr_max_sessions_per_user.attr,
	&dev_attr_queues.attr,
	&dev_attr_algorithms.attr,
	NULL,
};

static const struct attribute_group vcd_group = {
	.attrs = vcd_attrs,
};

/* ---- sysfs: counters (stats/), so anyone can see the device at work ------- */

#define VCD_STAT_ATTR(name, counter)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",					\
			  atomic64_read(&vcd_from_dev(dev)->stats.counter)); \
}									\
static DEVICE_ATTR_RO(name)

VCD_STAT_ATTR(cipher_requests, requests[VCD_STAT_CIPHER]);
VCD_STAT_ATTR(cipher_bytes, bytes[VCD_STAT_CIPHER]);
VCD_STAT_ATTR(hash_requests, requests[VCD_STAT_HASH]);
VCD_STAT_ATTR(hash_bytes, bytes[VCD_STAT_HASH]);
VCD_STAT_ATTR(aead_requests, requests[VCD_STAT_AEAD]);
VCD_STAT_ATTR(aead_bytes, bytes[VCD_STAT_AEAD]);
VCD_STAT_ATTR(combined_requests, requests[VCD_STAT_COMBINED]);
VCD_STAT_ATTR(combined_bytes, bytes[VCD_STAT_COMBINED]);
VCD_STAT_ATTR(errors, errors);
VCD_STAT_ATTR(zerocopy_bytes, zerocopy_bytes);
VCD_STAT_ATTR(copied_bytes, copied_bytes);

static struct attribute *vcd_stat_attrs[] = {
	&dev_attr_cipher_requests.attr,
	&dev_attr_cipher_bytes.attr,
	&dev_attr_hash_requests.attr,
	&dev_attr_hash_bytes.attr,
	&dev_attr_aead_requests.attr,
	&dev_attr_aead_bytes.attr,
	&dev_attr_combined_requests.attr,
	&dev_attr_combined_bytes.attr,
	&dev_attr_errors.attr,
	&dev_attr_zerocopy_bytes.attr,
	&dev_attr_copied_bytes.attr,
	NULL,
};

static const struct attribute_group vcd_stat_group = {
	.name = "stats",
	.attrs = vcd_stat_attrs,
};

const struct attribute_group *vcd_groups[] = {
	&vcd_group,
	&vcd_stat_group,
	NULL,
};

/* ---- debugfs: faults for tests ---------------------------------------------------- */

/*
 * Writing 1 to virtio_cryptodev/cryptodevN/break marks the rings broken, as
 * the virtio core does when a device misbehaves: callers must get -EIO, not
 * wait for good.  Unbinding and binding the device again repairs it.
 * fail_restore (Y) makes the next restore() fail as if the queues could
 * not be set up again.  fail_pin (Y) makes every pinning of user memory
 * fail as it does for VM_IO and PFNMAP mappings: requests must then copy.
 */
static int vcd_debug_break_set(void *data, u64 val)
{
	struct vcd_device *vcd = data;

	if (val != 1)
		return -EINVAL;
	down_read(&vcd->vdev_sem);
	if (vcd->vdev && !vcd->suspended && !vcd->broken)
		virtio_break_device(vcd->vdev);
	up_read(&vcd->vdev_sem);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vcd_debug_break_fops, NULL, vcd_debug_break_set,
			 "%llu\n");

void vcd_debugfs_add(struct vcd_device *vcd)
{
	vcd->debugfs = debugfs_create_dir(vcd->name, vcd_drv.debugfs);
	debugfs_create_file_unsafe("break", 0200, vcd->debugfs, vcd,
				   &vcd_debug_break_fops);
	debugfs_create_bool("fail_restore", 0600, vcd->debugfs,
			    &vcd->fail_restore);
	debugfs_create_bool("fail_pin", 0600, vcd->debugfs, &vcd->fail_pin);
}

