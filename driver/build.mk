# SPDX-License-Identifier: GPL-2.0-or-later
#
# The guest kernel module, built with Kbuild against the installed
# linux-headers-*-amd64 (the guest's kernel, not the host's: never uname -r).
#   make module   ->  build/driver/virtio_cryptodev.ko

MODULE_KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
MODULE_KO   := $(BUILD)/driver/virtio_cryptodev.ko

.PHONY: module module-clean
module: $(MODULE_KO)

# Kbuild tracks its own dependencies; always ask it, copy only on change.
$(MODULE_KO): FORCE
	@test -n "$(MODULE_KDIR)" || { echo "no /usr/src/linux-headers-*-amd64: run scripts/install-deps guest" >&2; exit 1; }
	$(MAKE) -C $(MODULE_KDIR) M=$(CURDIR)/driver W=1 modules
	@mkdir -p $(@D)
	@cmp -s driver/virtio_cryptodev.ko $@ || cp driver/virtio_cryptodev.ko $@

module-clean:
	$(if $(MODULE_KDIR),$(MAKE) -C $(MODULE_KDIR) M=$(CURDIR)/driver clean)
	rm -f $(MODULE_KO)

clean: module-clean

.PHONY: FORCE
FORCE:

