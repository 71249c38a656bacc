# SPDX-License-Identifier: GPL-2.0-or-later
#
# The crypto client library.  Programs that use it add $(VCRYPTO_SRCS) to
# their sources and $(NETTLE_LIBS) to their libraries.

VCRYPTO_SRCS := cryptolib/vcrypto.c cryptolib/engine_soft.c \
		cryptolib/engine_cryptodev.c

$(eval $(call program,test-vcrypto,tests/unit/test-vcrypto.c $(KAT_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS),tests))
UNIT_TESTS += test-vcrypto
# The same test runs inside the guest against /dev/cryptodev0.
GUEST_BINS += test-vcrypto

# The cryptodev engine against an emulated device (ioctls on /dev/zero), so
# its marshalling is tested on hosts without /dev/crypto.
$(eval $(call program,test-vcrypto-fakedev,tests/unit/test-vcrypto.c tests/unit/test-vcrypto-fakedev.c $(KAT_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) $(CMOCKA_LIBS) -Xlinker --wrap=ioctl,tests))
UNIT_TESTS += test-vcrypto-fakedev
