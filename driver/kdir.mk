# SPDX-License-Identifier: GPL-2.0-or-later
#
# Where the guest kernel's headers are: the one lookup, included by the
# driver's own Makefile (make -C driver) and by the top-level build
# (driver/build.mk, and through MODULE_KDIR the hostile-guest module).
# The build host may run another kernel, so the version comes from the
# headers installed for the guest, never from uname -r.
#
# GUEST_KERNEL picks the guest kernel: 6.1 (Debian 12's, the default, from
# /usr/src/linux-headers-6.1.*-amd64) or 6.12 (bookworm-backports', which
# scripts/install-deps guest-6.12 unpacks under $VCD_CACHE).  KDIR
# overrides both.

GUEST_KERNEL_DEFAULT := 6.1
GUEST_KERNEL ?= $(GUEST_KERNEL_DEFAULT)
VCD_CACHE ?= /var/cache/virtio-cryptodev

kdir_in = $(lastword $(sort $(wildcard $(1)/linux-headers-$(GUEST_KERNEL).*-amd64)))
KDIR ?= $(or $(call kdir_in,/usr/src),$(call kdir_in,$(VCD_CACHE)/guest-$(GUEST_KERNEL)/root/usr/src))

# The first command of a rule that needs them.
KDIR_CHECK = @test -n "$(KDIR)" || { echo "no headers for guest kernel $(GUEST_KERNEL): run scripts/install-deps guest (6.1) or guest-6.12" >&2; exit 1; }
