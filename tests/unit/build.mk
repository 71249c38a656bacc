# SPDX-License-Identifier: GPL-2.0-or-later
#
# Unit tests of the crypto library and of the device's backend core, run on
# the host by `make check`.  Like every unit test they go into the guest image
# too, where tests/system/guest-suites.sh runs test-vcrypto and test-backend
# again against our device (/dev/crypto there).

# Combined sessions are checked against records built with nettle directly,
# by the references the in-guest tests use too.
KAT_REF_SRCS := tests/guest/cdev_ref.c
$(BUILD)/obj/tests/unit/test-vcrypto.o $(BUILD)/asan/obj/tests/unit/test-vcrypto.o \
$(BUILD)/obj/tests/unit/test-backend.o $(BUILD)/asan/obj/tests/unit/test-backend.o: \
	CPPFLAGS += -Itests/guest

$(eval $(call program,test-vcrypto,tests/unit/test-vcrypto.c $(KAT_SRCS) $(KAT_REF_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS),tests))
UNIT_TESTS += test-vcrypto

# The cryptodev engine against an emulated device (ioctls on /dev/zero), so
# its marshalling is tested on hosts without /dev/crypto.
$(eval $(call program,test-vcrypto-fakedev,tests/unit/test-vcrypto.c tests/unit/test-vcrypto-fakedev.c $(KAT_SRCS) $(KAT_REF_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS) -Xlinker --wrap=ioctl,tests))
UNIT_TESTS += test-vcrypto-fakedev

$(eval $(call program,test-backend,tests/unit/test-backend.c $(KAT_SRCS) $(KAT_REF_SRCS) $(VCB_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS) -lpthread,tests))
UNIT_TESTS += test-backend
$(BUILD)/obj/tests/unit/test-backend.o $(BUILD)/asan/obj/tests/unit/test-backend.o: \
	CPPFLAGS += -Idevice/backend

# build-qemu's deb-src entries come from the machine's apt sources only.
HOST_TEST_SCRIPTS += tests/unit/test-apt-deb-src.sh

# include/crypto/cryptodev.h builds as C and C++ with cryptodev-linux's names.
HOST_TEST_SCRIPTS += tests/unit/test-cryptodev-header.sh
