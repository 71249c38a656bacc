# SPDX-License-Identifier: GPL-2.0-or-later
# The in-guest cipher benchmark (bench/device/run boots the guest).
$(eval $(call program,bench-cipher,bench/device/bench-cipher.c,$(NETTLE_LIBS),bin))
BENCH_BINS += bench-cipher
