# SPDX-License-Identifier: GPL-2.0-or-later
#
# The device's backend core.  The QEMU build (device/qemu/build-qemu) compiles
# the same sources into QEMU; here they are built into the unit test (host,
# and inside the guest against the devcrypto engine) and the host benchmark.

VCB_SRCS := device/backend/vcb_backend.c device/backend/vcb_sessions.c \
		    device/backend/vcb_iov.c

$(eval $(call program,test-backend,tests/unit/test-backend.c $(KAT_SRCS) $(VCB_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS) -lpthread,tests))
UNIT_TESTS += test-backend
# Inside the guest it runs again with VC_TEST_DEVICE=/dev/cryptodev0.
GUEST_TESTS += test-backend

$(eval $(call program,bench-backend,bench/backend/bench-backend.c $(KAT_SRCS) $(VCB_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) -lpthread,bin))
BENCH_BINS += bench-backend

# The test and the benchmark include the backend's header by name.
$(foreach v,obj asan/obj,$(foreach f,tests/unit/test-backend bench/backend/bench-backend,$(BUILD)/$(v)/$(f).o)): \
	CPPFLAGS += -Idevice/backend
