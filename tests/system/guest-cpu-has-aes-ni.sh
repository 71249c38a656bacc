#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs inside the guest (guest-suites.sh).  The guest's CPU model offers
# AES-NI and PCLMULQDQ (vm/run-guest's -cpu max): software AES in the guest,
# what the device is measured against, then uses them as on real hardware,
# and under QEMU 10.0's TCG they run on the host's own AES instructions.
rc=0
for flag in aes pclmulqdq; do
	if grep -qw "$flag" /proc/cpuinfo; then
		echo "ok   the guest CPU has $flag"
	else
		echo "FAIL the guest CPU has no $flag ($(grep -m1 'model name' /proc/cpuinfo))"
		rc=1
	fi
done
exit $rc
