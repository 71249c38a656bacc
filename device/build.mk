# SPDX-License-Identifier: GPL-2.0-or-later
#
# QEMU with the virtio-cryptodev device, built from Debian's source package
# and cached outside the tree (device/qemu/build-qemu); the result is linked
# at build/qemu-$(QEMU)/qemu-system-x86_64, and for the host's own QEMU (the
# default: 7.2 on Debian 12, 10.0 on Debian 13) at build/qemu/ too.
#   make qemu QEMU=10.0
# With QEMU=V, the guest and QEMU tests (make check, demo, bench) run on that
# build too: they all take their QEMU from VCD_QEMU.
ifneq ($(QEMU),)
export VCD_QEMU := $(CURDIR)/build/qemu-$(QEMU)/qemu-system-x86_64
endif

.PHONY: qemu
qemu:
	device/qemu/build-qemu $(if $(QEMU),--qemu $(QEMU))
