#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A real Debian 12 guest (vm/build-debian-image: systemd, Debian's kernel,
# our DKMS package installed with apt) boots with the device, and udev
# loads the module DKMS built, through the device's modalias: nothing of
# ours loads it.  /dev/crypto and /dev/cryptodev0 appear, and the
# cryptodev ABI suite installed in the image passes on them.
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${VCD_GUEST_KERNEL:-6.1}
image=$top/build/vm-debian$([ "$kernel" = 6.1 ] || echo "-$kernel")
[ -f "$image/disk.img" ] ||
	{ echo "no Debian guest in $image (make debian-image): not run"; exit 77; }
# shellcheck disable=SC2016 # expanded in the guest
exec "$top"/vm/run-guest --guest debian --kernel "$kernel" --timeout 600 -- sh -c '
set -e
echo "guest: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
# the device modalias udev saw, and what it resolves to
for d in /sys/bus/virtio/devices/*; do
	alias=$(cat "$d/modalias")
	mod=$(modprobe --resolve-alias "$alias" 2>/dev/null || true)
	[ "$mod" = virtio_cryptodev ] && echo "guest: $alias -> $mod" && found=1
done
[ -n "${found:-}" ] || { echo "guest: no device resolves to virtio_cryptodev"; exit 1; }
grep -q "^virtio_cryptodev " /proc/modules ||
	{ echo "guest: virtio_cryptodev was not loaded"; exit 1; }
file=$(modinfo -F filename virtio_cryptodev)
case "$file" in */updates/dkms/*) ;; *) echo "guest: $file is not the DKMS module"; exit 1 ;; esac
echo "guest: loaded $file"
[ -c /dev/crypto ] && [ -c /dev/cryptodev0 ]
echo "guest: $(ls /dev/crypto /dev/cryptodev*)"
test-cryptodev-abi
echo "guest: the DKMS driver, loaded by udev, passes the ABI suite"
'
