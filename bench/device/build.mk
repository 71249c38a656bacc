# SPDX-License-Identifier: GPL-2.0-or-later
# The in-guest cipher benchmark (bench/device/run boots the guest).
LIBCRYPTO_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
$(eval $(call program,bench-cipher,bench/device/bench-cipher.c,$(NETTLE_LIBS) $(LIBCRYPTO_LIBS),bin))
BENCH_BINS += bench-cipher
# One process, synchronous against asynchronous (requests in flight).
$(eval $(call program,bench-async,bench/device/bench-async.c,,bin))
BENCH_BINS += bench-async
