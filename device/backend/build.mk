# SPDX-License-Identifier: GPL-2.0-or-later
#
# The device's backend core.  The QEMU build (device/qemu/build-qemu) compiles
# these sources into QEMU; tests/unit/build.mk builds them into the unit test
# and bench/backend/build.mk into the host benchmark.  Both include the
# backend's header by name: their objects add -Idevice/backend.

VCB_SRCS := device/backend/vcb_backend.c device/backend/vcb_sessions.c \
	    device/backend/vcb_iov.c
