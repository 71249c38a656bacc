# SPDX-License-Identifier: GPL-2.0-or-later
#
# QEMU 7.2 with the virtio-cryptodev device, built from Debian's source
# package and cached outside the tree (device/qemu/build-qemu); the result is
# linked at build/qemu/qemu-system-x86_64.

.PHONY: qemu
qemu:
	device/qemu/build-qemu
