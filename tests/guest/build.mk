# SPDX-License-Identifier: GPL-2.0-or-later
#
# Test programs that run inside the guest against our driver and device
# (tests/guest/run-all runs them all there).  Built for the guest's
# userspace, which is the host's: Debian 12, same libraries.  Not unit tests:
# they need /dev/crypto, so they are GUEST_TESTS, not UNIT_TESTS.

GUEST_TEST_UTIL := tests/guest/cdev_util.c $(KAT_SRCS)
GUEST_TEST_REF  := tests/guest/cdev_ref.c

$(eval $(call program,test-cryptodev-abi,tests/guest/test-cryptodev-abi.c $(GUEST_TEST_UTIL) $(GUEST_TEST_REF),$(CMOCKA_LIBS) $(NETTLE_LIBS),tests))

GUEST_TESTS += test-cryptodev-abi
$(eval $(call program,test-cryptodev-combined,tests/guest/test-cryptodev-combined.c $(GUEST_TEST_UTIL) $(GUEST_TEST_REF),$(CMOCKA_LIBS) $(NETTLE_LIBS),tests))
GUEST_TESTS += test-cryptodev-combined
$(eval $(call program,test-cryptodev-errors,tests/guest/test-cryptodev-errors.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS),tests))
GUEST_TESTS += test-cryptodev-errors
$(eval $(call program,test-cryptodev-concurrency,tests/guest/test-cryptodev-concurrency.c $(GUEST_TEST_UTIL) $(GUEST_TEST_REF),$(CMOCKA_LIBS) $(NETTLE_LIBS) -lpthread,tests))
GUEST_TESTS += test-cryptodev-concurrency
$(eval $(call program,test-cryptodev-kill,tests/guest/test-cryptodev-kill.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS) -lpthread,tests))
GUEST_TESTS += test-cryptodev-kill
$(eval $(call program,test-cryptodev-unload,tests/guest/test-cryptodev-unload.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS),tests))
$(eval $(call program,test-cryptodev-unplug,tests/guest/test-cryptodev-unplug.c $(GUEST_TEST_UTIL) $(GUEST_TEST_REF),$(NETTLE_LIBS) -lpthread,tests))
GUEST_TESTS += test-cryptodev-unload test-cryptodev-unplug
$(eval $(call program,test-cryptodev-suspend,tests/guest/test-cryptodev-suspend.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS),tests))
GUEST_TESTS += test-cryptodev-suspend
$(eval $(call program,test-cryptodev-hostile-user,tests/guest/test-cryptodev-hostile-user.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS) -lpthread,tests))
GUEST_TESTS += test-cryptodev-hostile-user
$(eval $(call program,test-cryptodev-broken,tests/guest/test-cryptodev-broken.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS) -lpthread,tests))
GUEST_TESTS += test-cryptodev-broken
$(eval $(call program,test-cryptodev-async,tests/guest/test-cryptodev-async.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS) -lpthread,tests))
GUEST_TESTS += test-cryptodev-async
# The vectors for the shell tests that drive openssl (openssl-devcrypto-engine).
$(eval $(call program,kat-print,tests/guest/kat-print.c $(KAT_SRCS),,tests))
GUEST_TESTS += kat-print
$(eval $(call program,test-cryptodev-stats,tests/guest/test-cryptodev-stats.c $(GUEST_TEST_UTIL),$(CMOCKA_LIBS),tests))
GUEST_TESTS += test-cryptodev-stats

# The ABI from a 32-bit program (compat_ioctl): static, as the guest has no
# 32-bit libraries; built where gcc can make one (gcc-multilib, installed by
# scripts/install-deps guest).
M32_CAN := $(shell echo 'int main(void){return 0;}' | \
	     $(CC) -m32 -static -x c - -o /dev/null 2>/dev/null && echo yes)
ifeq ($(M32_CAN),yes)
M32_SRCS := tests/guest/test-cryptodev-32bit.c tests/guest/cdev_util.c \
	    $(KAT_SRCS)
$(BUILD)/tests/test-cryptodev-32bit: $(M32_SRCS) tests/guest/cdev_util.h \
		tests/guest/kat_check.h tests/kat/kat_vectors.h \
		include/crypto/cryptodev.h
	@mkdir -p $(@D)
	$(CC) -m32 -static $(CPPFLAGS) $(CFLAGS) -O2 -Werror -o $@ $(M32_SRCS)
GUEST_TESTS += test-cryptodev-32bit
endif
