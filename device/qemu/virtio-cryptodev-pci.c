/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-cryptodev-pci: the PCI proxy.  Modern (virtio 1.x) only, so the PCI
 * device id is 0x1040 + VIRTIO_ID_CRYPTODEV; there is no legacy id to take.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/module.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-bus.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-cryptodev.h"
#include "hw/virtio/virtio-cryptodev-compat.h"
#include "qom/object.h"

typedef struct VirtIOCryptodevPCI VirtIOCryptodevPCI;

#define TYPE_VIRTIO_CRYPTODEV_PCI "virtio-cryptodev-pci"
DECLARE_INSTANCE_CHECKER(VirtIOCryptodevPCI, VIRTIO_CRYPTODEV_PCI,
                         TYPE_VIRTIO_CRYPTODEV_PCI)

struct VirtIOCryptodevPCI {
    VirtIOPCIProxy parent_obj;
    VirtIOCryptodev vdev;
};

/*
 * ioeventfd is off by default, unlike QEMU's I/O devices.  With it, the
 * vCPU's notification only signals an eventfd, and the main loop thread
 * wakes up to run the request and then wakes the vCPU, which went idle
 * meanwhile, with the interrupt: two host thread wake-ups per request.
 * Without it the request runs in the vCPU thread that notified and its
 * interrupt is taken as that write returns.  Under TCG (which honours
 * ioeventfds too) a 64-byte AES-CBC request took 107 us with it and 14 us
 * without (docs/performance.md).  Our work is CPU-bound and short, so the
 * same holds under KVM; ioeventfd=on is still there for whoever prefers
 * the vCPU never to run device code.
 */
static VirtIOCryptodevProperty virtio_cryptodev_pci_properties[] = {
    DEFINE_PROP_BIT("ioeventfd", VirtIOPCIProxy, flags,
                    VIRTIO_PCI_FLAG_USE_IOEVENTFD_BIT, false),
    DEFINE_PROP_UINT32("vectors", VirtIOPCIProxy, nvectors,
                       DEV_NVECTORS_UNSPECIFIED),
    VIRTIO_CRYPTODEV_PROPERTIES_END
};

static void virtio_cryptodev_pci_realize(VirtIOPCIProxy *vpci_dev,
                                         Error **errp)
{
    VirtIOCryptodevPCI *dev = VIRTIO_CRYPTODEV_PCI(vpci_dev);
    DeviceState *vdev = DEVICE(&dev->vdev);

    /* One vector per request queue plus one for config changes. */
    if (vpci_dev->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        vpci_dev->nvectors = dev->vdev.num_queues + 1;
    }
    virtio_pci_force_virtio_1(vpci_dev);
    qdev_realize(vdev, BUS(&vpci_dev->bus), errp);
}

static void virtio_cryptodev_pci_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioPCIClass *k = VIRTIO_PCI_CLASS(klass);
    PCIDeviceClass *pcidev_k = PCI_DEVICE_CLASS(klass);

    k->realize = virtio_cryptodev_pci_realize;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    device_class_set_props(dc, virtio_cryptodev_pci_properties);
    pcidev_k->class_id = PCI_CLASS_OTHERS;
}

static void virtio_cryptodev_pci_instance_init(Object *obj)
{
    VirtIOCryptodevPCI *dev = VIRTIO_CRYPTODEV_PCI(obj);

    virtio_instance_init_common(obj, &dev->vdev, sizeof(dev->vdev),
                                TYPE_VIRTIO_CRYPTODEV);
}

static const VirtioPCIDeviceTypeInfo virtio_cryptodev_pci_info = {
    .generic_name  = TYPE_VIRTIO_CRYPTODEV_PCI,
    .instance_size = sizeof(VirtIOCryptodevPCI),
    .instance_init = virtio_cryptodev_pci_instance_init,
    .class_init    = virtio_cryptodev_pci_class_init,
};

static void virtio_cryptodev_pci_register_types(void)
{
    virtio_pci_types_register(&virtio_cryptodev_pci_info);
}

type_init(virtio_cryptodev_pci_register_types)
