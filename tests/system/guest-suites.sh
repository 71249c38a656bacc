#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs inside the guest (in-guest.sh boots it).  Every suite reaches our
# device through the path a cryptodev-linux program would use.
top=$(cd "$(dirname "$0")/../.." && pwd)
t=$top/build/tests
cd /tmp || exit 1

# Programs that take the device from the environment get it here, so a
# missing device fails them instead of skipping them.
export VC_TEST_DEVICE=/dev/crypto

suites="$top/tests/system/guest-cpu-has-aes-ni.sh $top/tests/guest/run-all
	$top/tests/guest/openssl-devcrypto-engine"
for s in test-vcrypto test-backend test-chat-seal test-chat-client; do
	[ -x "$t/$s" ] && suites="$suites $t/$s"
done
"$top"/tests/run-suites $suites
rc=$?
if dmesg | grep -E 'BUG|WARNING|Oops|general protection|KASAN' ; then
	echo "guest-suites: the kernel log shows a problem"
	rc=1
fi
exit $rc
