#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot the guest once and run every in-guest suite there (guest-suites.sh):
# cryptodev ABI conformance, errors, concurrency, kill and unload, the crypto
# library's cryptodev engine, the backend's devcrypto engine and the
# encrypted chat, all on our device.
top=$(cd "$(dirname "$0")/../.." && pwd)
# A device of 1024 sessions (not the default 16384): the suites that fill
# the device, or a user's share of it, several times then stay quick.
exec "$top"/vm/run-guest --smp 2 --share "$top" --device max-sessions=1024 \
	-- sh "$top/tests/system/guest-suites.sh"
