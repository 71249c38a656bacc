# SPDX-License-Identifier: GPL-2.0-or-later
#
# The hostile-guest module (tests/hostile/vcd_hostile.c), built like the
# driver against the guest kernel's headers, at W=1:
#   make hostile-module   ->  build/hostile/vcd_hostile.ko
# (GUEST_KERNEL=6.12: build/hostile/6.12/vcd_hostile.ko, as for the driver)

HOSTILE_KO := $(BUILD)/hostile/$(if $(filter-out $(GUEST_KERNEL_DEFAULT),$(GUEST_KERNEL)),$(GUEST_KERNEL)/)vcd_hostile.ko

.PHONY: hostile-module hostile-module-clean
hostile-module: $(HOSTILE_KO)

$(HOSTILE_KO): FORCE
	@test -n "$(MODULE_KDIR)" || { echo "no /usr/src/linux-headers-*-amd64: run scripts/install-deps guest" >&2; exit 1; }
	$(MAKE) -C $(MODULE_KDIR) M=$(CURDIR)/tests/hostile W=1 modules
	@mkdir -p $(@D)
	@cmp -s tests/hostile/vcd_hostile.ko $@ || cp tests/hostile/vcd_hostile.ko $@

hostile-module-clean:
	$(if $(MODULE_KDIR),$(MAKE) -C $(MODULE_KDIR) M=$(CURDIR)/tests/hostile clean)
	rm -f $(HOSTILE_KO)

clean: hostile-module-clean
