#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The DKMS package (make deb) builds the driver against every guest
# kernel (6.1, 6.12) whose headers are here, as dkms does on a user's
# machine after `apt install ./virtio-cryptodev-dkms_*.deb`, and the module
# it makes is for that kernel (its vermagic names the kernel's release).
# The package is unpacked and dkms runs on a private tree, so the host's
# own dkms state is neither read nor changed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
deb=$top/build/virtio-cryptodev-dkms_${version}_all.deb
command -v dkms >/dev/null || { echo "no dkms (scripts/install-deps deb): not run"; exit 77; }
[ -f "$deb" ] || { echo "no $deb (make deb): not run"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/system/guest-kernel-headers.sh"
dpkg-deb -x "$deb" "$tmp/root"
built=0 rc=0
guest_kernel_headers > "$tmp/kernels"
while read -r k kdir; do
	# the release modules must name, as the kernel itself reports it
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
	dkms_private="--dkmstree $tmp/dkms-$k --sourcetree $tmp/root/usr/src --installtree $tmp/install-$k"
	log=$tmp/$k.log
	mkdir -p "$tmp/dkms-$k" "$tmp/install-$k"
	# shellcheck disable=SC2086 # the options are words
	if ! { dkms $dkms_private add -m virtio-cryptodev -v "$version" &&
	       dkms $dkms_private build -m virtio-cryptodev -v "$version" \
			-k "$kver" --kernelsourcedir "$kdir"; } </dev/null >"$log" 2>&1; then
		cat "$log"
		cat "$tmp/dkms-$k/virtio-cryptodev/$version/build/make.log" 2>/dev/null
		echo "guest kernel $k: dkms build of the package failed ($kdir)"
		rc=1
		continue
	fi
	ko=$(find "$tmp/dkms-$k/virtio-cryptodev/$version/$kver" -name 'virtio_cryptodev.ko*' | head -n 1)
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	case "$vermagic" in
	"$kver "*)
		echo "guest kernel $k: dkms built ${ko##*/} for $kver"
		built=$((built + 1)) ;;
	*)
		echo "guest kernel $k: dkms made '${ko:-no module}' with vermagic '$vermagic', not $kver"
		rc=1 ;;
	esac
done < "$tmp/kernels"
[ "$rc" -eq 0 ] && [ "$built" -eq 0 ] && exit 77
exit "$rc"
