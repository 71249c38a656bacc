#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The QEMU side of the device, without a guest: bad properties are refused
# with a clear error, and live migration is blocked with a reason.
top=$(cd "$(dirname "$0")/../.." && pwd)
qemu=${VCD_QEMU:-$top/build/qemu/qemu-system-x86_64}
base="-accel tcg -display none -nodefaults -L /usr/share/seabios -L /usr/lib/ipxe/qemu -L /usr/share/qemu"
fail=0
check() {	# NAME EXPECTED-STATUS(0|fail) PATTERN OUTPUT-FILE
	if [ "$2" = fail ] && [ "$rc" = 0 ]; then
		echo "FAIL $1: QEMU accepted it"; fail=1; return
	fi
	if ! grep -qi -- "$3" "$4"; then
		echo "FAIL $1: no message matching '$3' in:"; cat "$4"; fail=1; return
	fi
	echo "ok   $1"
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# shellcheck disable=SC2086
echo quit | $qemu $base -S -monitor stdio -device virtio-cryptodev-pci,engine=bogus >"$out" 2>&1; rc=$?
check "unknown engine is refused" fail "engine" "$out"

# shellcheck disable=SC2086
echo quit | $qemu $base -S -monitor stdio \
	-device virtio-cryptodev-pci,engine=devcrypto,devcrypto-path=/nonexistent/crypto >"$out" 2>&1; rc=$?
check "devcrypto engine without a device is refused" fail "/nonexistent/crypto" "$out"

# shellcheck disable=SC2086
echo quit | $qemu $base -S -monitor stdio -device virtio-cryptodev-pci,queue-size=100 >"$out" 2>&1; rc=$?
check "a queue size that is not a power of 2 is refused" fail "queue-size" "$out"

# shellcheck disable=SC2086
printf 'info qtree\nmigrate "exec:cat >/dev/null"\nquit\n' |
	$qemu $base -S -monitor stdio -device virtio-cryptodev-pci,id=vcd0 >"$out" 2>&1; rc=$?
check "the device appears on the PCI bus" ok "virtio-cryptodev" "$out"
check "live migration is blocked with a reason" ok "migration is not supported" "$out"
check "rings hold 1024 descriptors by default" ok "queue-size = 1024" "$out"

exit $fail
