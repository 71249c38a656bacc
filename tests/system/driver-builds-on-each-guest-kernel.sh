#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The driver builds at W=1 without a warning against every guest kernel
# (6.1, 6.12) whose headers are here: what differs between kernels lives
# in driver/vcd_compat.h, and a kernel that breaks the build or adds a
# warning must show here rather than on a user's machine.  Each build is
# made in a copy of driver/, so the tree's own objects stay as they are.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
built=0 rc=0
for k in 6.1 6.12; do
	case $k in 6.1) stage=guest ;; *) stage=guest-$k ;; esac
	kdir=$(make -s --no-print-directory -C "$top/driver" GUEST_KERNEL="$k" kdir)
	if [ -z "$kdir" ]; then
		echo "guest kernel $k: no headers (scripts/install-deps $stage): not built"
		continue
	fi
	mkdir -p "$tmp/$k/driver"
	cp "$top"/driver/Kbuild "$top"/driver/*.[ch] "$tmp/$k/driver/"
	ln -s "$top/include" "$tmp/$k/include"
	log=$tmp/$k.log
	if ! make -C "$kdir" M="$tmp/$k/driver" W=1 modules >"$log" 2>&1; then
		cat "$log"
		echo "guest kernel $k: the driver does not build ($kdir)"
		rc=1
	elif grep -E "warning:|error:" "$log"; then
		echo "guest kernel $k: the driver builds with warnings ($kdir)"
		rc=1
	else
		echo "guest kernel $k: built warning-free at W=1 ($kdir)"
		built=$((built + 1))
	fi
done
[ "$rc" -eq 0 ] && [ "$built" -eq 0 ] && exit 77
exit "$rc"
