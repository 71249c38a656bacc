# SPDX-License-Identifier: GPL-2.0-or-later
#
# The crypto client library.  Programs that use it add $(VCRYPTO_SRCS) to
# their sources and $(NETTLE_LIBS) to their libraries; its tests are in
# tests/unit/build.mk.

VCRYPTO_SRCS := cryptolib/vcrypto.c cryptolib/engine_soft.c \
		cryptolib/engine_cryptodev.c cryptolib/combined.c
