#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# An unprivileged guest user against the driver (test-cryptodev-hostile-user),
# in a guest whose allocator poisons and checks every object and which
# panics on the first oops or soft lockup: a use-after-free or double free ends the boot
# instead of passing unnoticed.  The kernel log is checked as in run-all.
top=$(cd "$(dirname "$0")/../.." && pwd)
# 1024 sessions, not the default 16384: the user that takes its whole share
# (three quarters) then takes 768, quickly.
exec "$top"/vm/run-guest --smp 2 --share "$top" --device max-sessions=1024 \
	--append "slub_debug=FZPU oops=panic softlockup_panic=1" --timeout 300 \
	-- sh -c '
		before=$(dmesg | wc -l)
		"$1"/build/tests/test-cryptodev-hostile-user
		rc=$?
		if dmesg | tail -n +"$((before + 1))" |
			grep -E "BUG|WARNING|Oops|general protection|Call Trace"; then
			echo "hostile-guest-user: the kernel log shows a problem"
			rc=1
		fi
		exit $rc' sh "$top"
