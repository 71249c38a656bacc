# SPDX-License-Identifier: GPL-2.0-or-later
#
# Where the guest kernel's headers are: the one lookup, included by the
# driver's own Makefile (make -C driver) and by the top-level build
# (driver/build.mk, and through MODULE_KDIR the hostile-guest module).
# The build host may run another kernel, so the version comes from the
# installed linux-headers-*-amd64, never from uname -r.  KDIR overrides.

KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))

# The first command of a rule that needs them.
KDIR_CHECK = @test -n "$(KDIR)" || { echo "no /usr/src/linux-headers-*-amd64: run scripts/install-deps guest" >&2; exit 1; }
