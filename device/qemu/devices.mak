# SPDX-License-Identifier: GPL-2.0-or-later
#
# The devices our QEMU build has (build-qemu configures with
# --without-default-devices and this list as x86_64's): what vm/run-guest,
# the tests, the demo and the benchmarks put in a guest, and the usual
# virtio devices of a disk-booted guest.  Leaving out the rest (sound, USB,
# graphics, emulated NICs and disk controllers...) makes a cold build much
# shorter.  Each line's dependencies (the PC's chipset, PCI, virtio's core)
# follow from QEMU's Kconfig.

# Machines: -machine pc (what run-guest and the qtests use), and q35.
CONFIG_I440FX=y
CONFIG_Q35=y

# Virtio over PCI and the devices on it.
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_CRYPTODEV=y
# QEMU's own virtio-crypto device, beside ours in the benchmarks.
CONFIG_VIRTIO_CRYPTO=y
# run-guest --share (virtio-9p) and guest networking (virtio-net + slirp).
CONFIG_VIRTIO_9P=y
CONFIG_VIRTIO_NET=y
# A guest booted from a disk image: its disk, entropy, console.
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_SCSI=y
CONFIG_VIRTIO_RNG=y
CONFIG_VIRTIO_SERIAL=y
