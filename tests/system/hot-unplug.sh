#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Hot-unplug with requests in flight, then hot-plug again: the host removes
# the device with device_del in the QEMU monitor while a guest program keeps
# it busy; the program must see clean ENODEV/ENXIO failures (no hang, no
# oops), and a device plugged in afterwards must work.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# A directory per QEMU and kernel pair: make check runs the pairs at once.
dir=$top/build/hot-unplug${VCD_PAIR:+-$VCD_PAIR}
rm -rf "$dir"; mkdir -p "$dir"
port=$((40000 + RANDOM % 5000))

cat > "$dir/guest.sh" <<GUEST
t=$top/build/tests
\$t/test-cryptodev-unplug --ready $dir/ready --timeout 120; rc=\$?
echo "guest: busy program ended with status \$rc"
[ \$rc = 0 ] || exit \$rc
touch $dir/unplugged
i=0
while [ ! -e /dev/cryptodev0 ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done
\$t/test-cryptodev-unplug --check || { echo "guest: the new device does not work"; exit 1; }
echo "guest: the re-plugged device answers correctly"
if dmesg | grep -E 'BUG|WARNING|Oops|general protection|Call Trace'; then exit 1; fi
GUEST

monitor() {	# send one HMP command
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf '%s\n' "$1" >&3
	sleep 1
	exec 3>&-
}
wait_file() {	# FILE SECONDS
	for _ in $(seq $(($2 * 10))); do
		[ -e "$1" ] && return 0
		kill -0 "$guest" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

"$top"/vm/run-guest --share "$top" --monitor "$port" -- sh "$dir/guest.sh" &
guest=$!
if ! wait_file "$dir/ready" 120; then
	echo "hot-unplug: the guest program never got going"; kill $guest 2>/dev/null; wait $guest; exit 1
fi
echo "host: device_del vcd0 while requests are in flight"
monitor "device_del vcd0"
if ! wait_file "$dir/unplugged" 120; then
	echo "hot-unplug: the guest did not see the device go"; kill $guest 2>/dev/null; wait $guest; exit 1
fi
echo "host: device_add virtio-cryptodev-pci,id=vcd1"
monitor "device_add virtio-cryptodev-pci,id=vcd1"
wait $guest
