# SPDX-License-Identifier: GPL-2.0-or-later
# The backend core against nettle on the host (make bench-backend).
$(eval $(call program,bench-backend,bench/backend/bench-backend.c $(KAT_SRCS) $(VCB_SRCS) $(VCRYPTO_SRCS),$(NETTLE_LIBS) -lpthread,bin))
BENCH_BINS += bench-backend
$(BUILD)/obj/bench/backend/bench-backend.o $(BUILD)/asan/obj/bench/backend/bench-backend.o: \
	CPPFLAGS += -Idevice/backend
