#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# device/qemu/build-qemu --diff: the patch our device makes to QEMU, for
# review.  It must hold QEMU's files we edit and the files we add, and
# nothing of the build.
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
if ! "$top/device/qemu/build-qemu" --diff >"$out" 2>/dev/null; then
	echo "FAIL build-qemu --diff exits 0"
	exit 1
fi
has() {	# NAME PATTERN
	if grep -q -- "$2" "$out"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no line matching '$2'"; fail=1
	fi
}
has "QEMU's own files we edit are in the patch" '^+++ b/hw/virtio/meson.build'
has "the device model is in the patch" '^+++ b/hw/virtio/virtio-cryptodev.c'
has "the version shims are in the patch" \
	'^+++ b/include/hw/virtio/virtio-cryptodev-compat.h'
if grep -q '^+++ b/build/' "$out"; then
	echo "FAIL nothing of the build directory is in the patch"; fail=1
else
	echo "ok   nothing of the build directory is in the patch"
fi
if [ "$(head -c 5 "$out")" = "diff " ]; then
	echo "ok   standard output is the patch alone"
else
	echo "FAIL standard output is the patch alone"; fail=1
fi
exit $fail
