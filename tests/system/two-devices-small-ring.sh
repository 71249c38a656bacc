#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A second boot of the in-guest driver suites with two devices and no
# indirect descriptors: every request takes several ring slots, so callers
# wait for ring space and large requests are split; /dev/crypto passes from
# one device to the other when the first goes away.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$top"/vm/run-guest --smp 2 --share "$top" --device indirect_desc=off,queue-size=256 \
	--qemu-arg -device --qemu-arg virtio-cryptodev-pci,id=vcd1 \
	-- sh "$top/tests/guest/run-all"
