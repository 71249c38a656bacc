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
. "$top/tests/system/guest-kernel-headers.sh"
built=0 rc=0
guest_kernel_headers > "$tmp/kernels"
while read -r k kdir; do
	mkdir -p "$tmp/$k/driver"
	cp "$top"/driver/Kbuild "$top"/driver/*.[ch] "$tmp/$k/driver/"
	ln -s "$top/include" "$tmp/$k/include"
	log=$tmp/$k.log
	if ! make -C "$kdir" M="$tmp/$k/driver" W=1 modules </dev/null >"$log" 2>&1; then
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
done < "$tmp/kernels"
[ "$rc" -eq 0 ] && [ "$built" -eq 0 ] && exit 77
exit "$rc"
