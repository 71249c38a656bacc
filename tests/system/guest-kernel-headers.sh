# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2154 # top is the caller's
# Sourced by the tests that build the driver for each guest kernel; needs
# $top.  guest_kernel_headers prints "KERNEL KDIR" for each guest kernel
# (6.1, 6.12) whose headers are here (driver/kdir.mk finds them) and says
# on stderr which install-deps stage brings the others.
guest_kernel_headers() {
	for k in 6.1 6.12; do
		case $k in 6.1) stage=guest ;; *) stage=guest-$k ;; esac
		kdir=$(make -s --no-print-directory -C "$top/driver" GUEST_KERNEL="$k" kdir)
		if [ -z "$kdir" ]; then
			echo "guest kernel $k: no headers (scripts/install-deps $stage): not built" >&2
			continue
		fi
		echo "$k $kdir"
	done
}
