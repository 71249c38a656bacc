# SPDX-License-Identifier: GPL-2.0-or-later
#
# The guest kernel module, built with Kbuild against the guest kernel's
# headers (driver/kdir.mk):
#   make module                   ->  build/driver/virtio_cryptodev.ko
#   make module GUEST_KERNEL=6.12 ->  build/driver/6.12/virtio_cryptodev.ko

include driver/kdir.mk
MODULE_KDIR := $(KDIR)
MODULE_KO   := $(BUILD)/driver/$(if $(filter-out $(GUEST_KERNEL_DEFAULT),$(GUEST_KERNEL)),$(GUEST_KERNEL)/)virtio_cryptodev.ko

.PHONY: module module-clean
module: $(MODULE_KO)

# Kbuild tracks its own dependencies; always ask it, copy only on change.
$(MODULE_KO): FORCE
	$(KDIR_CHECK)
	$(MAKE) -C $(MODULE_KDIR) M=$(CURDIR)/driver W=1 modules
	@mkdir -p $(@D)
	@cmp -s driver/virtio_cryptodev.ko $@ || cp driver/virtio_cryptodev.ko $@

module-clean:
	$(if $(MODULE_KDIR),$(MAKE) -C $(MODULE_KDIR) M=$(CURDIR)/driver clean)
	rm -f $(MODULE_KO)

clean: module-clean

.PHONY: FORCE
FORCE:

