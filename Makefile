# SPDX-License-Identifier: GPL-2.0-or-later
#
# virtio-cryptodev top-level build.
#
#   make          userspace programs, libraries and tests into build/
#   make check    install missing dependencies, build, run every test
#   make bench    run the benchmarks (results under bench/results/)
#   make demo     the encrypted chat end to end (GUEST=debian: in Debian)
#   make deb      the guest driver as a Debian DKMS package, in build/
#   make fuzz     long hostile-guest runs, also against an ASan-built QEMU
#
# Userspace code is built twice: build/ (optimised, what users run) and
# build/asan/ (AddressSanitizer + UBSan, what `make check` tests).  Each part
# of the tree adds its programs through its own build.mk.

BUILD      := build
CC         ?= cc
PKG_CONFIG ?= pkg-config

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	    -Wmissing-prototypes -Wno-unused-parameter
CPPFLAGS := -Iinclude -Icryptolib -Itests/kat -D_GNU_SOURCE
CFLAGS   := -std=gnu11 -g $(WARN) $(EXTRA_CFLAGS)
REL_FLAGS  := -O2
ASAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all
NETTLE_LIBS := $(shell $(PKG_CONFIG) --libs nettle 2>/dev/null || echo -lnettle)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# The standards' known-answer vectors (data only) and their hex decoder, for
# every test suite and benchmark.
KAT_SRCS := tests/kat/kat_hex.c

# Filled by the build.mk files.
BINS       :=	# build/bin/NAME: programs for users
UNIT_TESTS :=	# build/asan/tests/NAME: run by `make check` on the host
BENCH_BINS :=	# build/bin/NAME: benchmark programs
GUEST_TESTS :=	# build/tests/NAME: test programs run inside the guest
HOST_TEST_SCRIPTS :=	# PATH: test scripts run by `make check` on the host

.PHONY: all check bench demo clean deps fuzz deb
all:

# $(call program,NAME,SOURCES,LIBS,DIR) defines build/DIR/NAME (optimised)
# and build/asan/DIR/NAME (sanitized) from the same sources.
define program
$(BUILD)/$(4)/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(2))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(REL_FLAGS) -o $$@ $$^ $(3)
$(BUILD)/asan/$(4)/$(1): $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(2))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(ASAN_FLAGS) -o $$@ $$^ $(3)
endef

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(REL_FLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(ASAN_FLAGS) -MMD -MP -c -o $@ $<

# The libraries first: the others link their sources (VCRYPTO_SRCS, VCB_SRCS).
LIB_MKS := cryptolib/build.mk device/backend/build.mk
include $(LIB_MKS)
include $(filter-out $(LIB_MKS),$(sort $(wildcard */build.mk */*/build.mk)))

all: $(addprefix $(BUILD)/bin/,$(BINS)) \
     $(addprefix $(BUILD)/asan/bin/,$(BINS)) \
     $(addprefix $(BUILD)/tests/,$(UNIT_TESTS)) \
     $(addprefix $(BUILD)/asan/tests/,$(UNIT_TESTS)) \
     $(addprefix $(BUILD)/bin/,$(BENCH_BINS)) \
     $(addprefix $(BUILD)/tests/,$(GUEST_TESTS))

deps:
	scripts/install-deps base

# The guest: Debian's kernel and a busybox initramfs with the virtio modules,
# our driver, our programs and the libraries they need (vm/build-image), and
# OpenSSL with the devcrypto engine as `openssl` (make openssl).
.PHONY: image openssl check-host check-system check-pairs-build bench-backend \
	bench-device
# GUEST_KERNEL=6.12 (driver/kdir.mk) builds build/vm-6.12 for
# vm/run-guest --kernel 6.12.
image_dir = $(BUILD)/vm$(if $(filter-out $(GUEST_KERNEL_DEFAULT),$(1)),-$(1))
IMAGE_DIR := $(call image_dir,$(GUEST_KERNEL))
# Every guest the targets below boot (vm/run-guest, tests/hostile/run) is
# GUEST_KERNEL's, and its install-deps stage is GUEST_STAGE.
export VCD_IMAGE ?= $(abspath $(IMAGE_DIR))
export VCD_GUEST_KERNEL := $(GUEST_KERNEL)
GUEST_STAGE := $(if $(filter-out $(GUEST_KERNEL_DEFAULT),$(GUEST_KERNEL)),guest-$(GUEST_KERNEL))
image: all module openssl
	vm/build-image --kernel $(GUEST_KERNEL) --out $(IMAGE_DIR) \
		--module $(MODULE_KO) --openssl $(BUILD)/openssl \
		$(addprefix $(BUILD)/bin/,$(BINS) $(BENCH_BINS)) \
		$(addprefix $(BUILD)/tests/,$(UNIT_TESTS) $(GUEST_TESTS))

# The guest driver as a Debian DKMS package (packaging/build-deb); its
# version is the one in VERSION.
DEB := $(BUILD)/virtio-cryptodev-dkms_$(shell cat VERSION)_all.deb
$(DEB): VERSION packaging/build-deb $(wildcard packaging/debian/* \
	packaging/debian/*/* driver/Kbuild driver/*.[ch] include/*.h include/*/*.h)
	packaging/build-deb $(BUILD)
deb:
	scripts/install-deps deb
	$(MAKE) $(DEB)

# A real Debian 12 guest for vm/run-guest --guest debian: debootstrap's
# rootfs with systemd and GUEST_KERNEL's Debian kernel, the DKMS package
# installed with apt, the chat and the ABI suite (vm/build-debian-image,
# cached in /var/cache/virtio-cryptodev; root only).
.PHONY: debian-image
debian-image: all $(DEB)
	vm/build-debian-image --kernel $(GUEST_KERNEL) --deb $(DEB) \
		$(addprefix $(BUILD)/bin/,$(BINS)) $(BUILD)/tests/test-cryptodev-abi

# Host-only tests: unit and loopback tests, sanitized.
check-host: all
	tests/run-suites $(addprefix $(BUILD)/asan/tests/,$(UNIT_TESTS)) \
		$(HOST_TEST_SCRIPTS)

# Everything: the host tests, then QEMU, the driver and the guest.  One
# run-suites call, so the last line totals every suite.  SYSTEM_TESTS run
# once; PAIR_TESTS, the QEMU and guest tests, on each pair of CHECK_PAIRS
# (QEMU/GUEST_KERNEL): Debian 12's QEMU and kernel, and Debian 13's.
# `make check QEMU=10.0 GUEST_KERNEL=6.12` (either or both given) runs them
# on that one pair.
SYSTEM_TESTS := tests/system/driver-builds-on-each-guest-kernel.sh \
		tests/system/dkms-package-builds-against-each-guest-kernel.sh \
		tests/system/build-qemu-diff.sh
# PAIR_QEMU_TESTS, QEMU without a guest, time how long QEMU's main loop
# stalls: they run alone.  Of the guest suites, the boots that mostly wait
# (hostile-guest, the demo) come early, beside the busy in-guest suites.
# The Debian guest boots on the default kernel's pair only (one boot of the
# budget); its test is skipped for the others.
PAIR_QEMU_TESTS := tests/system/qemu-device.sh tests/system/qtest-hostile.py
PAIR_TESTS := tests/system/in-guest.sh tests/system/hostile-guest.sh \
		tests/system/encrypted-chat-host-and-guest.sh \
		tests/system/debian-guest-loads-dkms-driver-by-modalias.sh \
		tests/system/two-devices-small-ring.sh \
		tests/system/hot-unplug.sh tests/system/suspend-resume.sh \
		tests/system/hostile-guest-user.sh
CHECK_PAIRS ?= $(if $(QEMU)$(filter command line,$(origin GUEST_KERNEL)),$(or $(QEMU),7.2)/$(GUEST_KERNEL),7.2/6.1 10.0/6.12)
pair_qemu = $(firstword $(subst /, ,$(1)))
pair_kernel = $(lastword $(subst /, ,$(1)))
# run-suites' arguments for the tests $(2) on pair $(1): the variables that
# vm/run-guest, tests/hostile/run and the QEMU tests read, then the tests.
pair_suites = VCD_PAIR=qemu-$(call pair_qemu,$(1))+linux-$(call pair_kernel,$(1)) \
	VCD_QEMU=$(CURDIR)/$(BUILD)/qemu-$(call pair_qemu,$(1))/qemu-system-x86_64 \
	VCD_GUEST_KERNEL=$(call pair_kernel,$(1)) \
	VCD_IMAGE=$(abspath $(call image_dir,$(call pair_kernel,$(1)))) \
	$(2)

# Each pair's QEMU, image and hostile module.  One after another: the
# driver's and the hostile module's Kbuild trees are shared by the kernels.
check-pairs-build: all $(DEB)
	$(foreach p,$(CHECK_PAIRS),$(MAKE) qemu QEMU=$(call pair_qemu,$(p)) && \
		$(MAKE) image hostile-module GUEST_KERNEL=$(call pair_kernel,$(p)) &&) true

# The host's tests and the QEMU tests one after another, some of them
# measure time; then the guest tests, CHECK_JOBS at once (one per core: a
# guest's tests keep about one vCPU busy, and more guests than cores would
# slow the tests that time their answers): under TCG much of their time is
# spent waiting (boots, sleeps, timeouts), and each pair's files are its own.
CHECK_JOBS ?= $(shell nproc)
check-system: check-pairs-build \
	      $(if $(filter %/$(GUEST_KERNEL_DEFAULT),$(CHECK_PAIRS)),debian-image)
	tests/run-suites $(addprefix $(BUILD)/asan/tests/,$(UNIT_TESTS)) \
		$(HOST_TEST_SCRIPTS) $(SYSTEM_TESTS) \
		$(foreach p,$(CHECK_PAIRS),$(call pair_suites,$(p),$(PAIR_QEMU_TESTS))) \
		-j$(CHECK_JOBS) \
		$(foreach p,$(CHECK_PAIRS),$(call pair_suites,$(p),$(PAIR_TESTS)))

# Debian's OpenSSL with the devcrypto engine, for the guest; cached like
# QEMU.
openssl:
	scripts/build-openssl

check:
	scripts/install-deps base qemu guest $(sort $(foreach p,$(CHECK_PAIRS),$(if \
		$(filter-out $(GUEST_KERNEL_DEFAULT),$(call pair_kernel,$(p))),guest-$(call pair_kernel,$(p))))) \
		openssl demo deb debian
	$(MAKE) check-system

# GUEST=debian: the demo in the Debian guest (debian-image) instead.
GUEST ?= busybox
DEMO_DEBIAN := $(filter debian,$(GUEST))
demo:
	scripts/install-deps base qemu guest $(GUEST_STAGE) demo $(if $(DEMO_DEBIAN),deb debian)
	$(MAKE) all qemu $(if $(DEMO_DEBIAN),debian-image,image)
	VCD_GUEST=$(GUEST) demo/run

# The hostile guest, many randomized requests, against QEMU and against the
# same QEMU under AddressSanitizer (cached like the normal build).
fuzz:
	scripts/install-deps base qemu guest
	$(MAKE) all qemu image hostile-module
	VCD_QEMU_ASAN=1 device/qemu/build-qemu
	tests/hostile/fuzz

bench-backend: all
	$(BUILD)/bin/bench-backend

# One guest pair, QEMU= and GUEST_KERNEL= as for make check.
bench-device: all qemu image
	bench/device/run $(if $(QEMU),--qemu $(QEMU)) --kernel $(GUEST_KERNEL)

# The device table for both pairs: each sub-make exports its own pair's
# VCD_QEMU and VCD_IMAGE, so none may come from this one's environment.
# (bench-chat, in chat/build.mk, is a prerequisite of bench.)
BENCH_PAIRS := 7.2:6.1 10.0:6.12
bench:
	scripts/install-deps base qemu qemu10 guest guest-6.12 openssl bench
	$(MAKE) bench-backend
	for p in $(BENCH_PAIRS); do \
		env -u VCD_QEMU -u VCD_IMAGE $(MAKE) bench-device \
			QEMU=$${p%%:*} GUEST_KERNEL=$${p##*:} || exit; \
	done

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
