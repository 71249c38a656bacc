#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot the guest once and run every in-guest suite there (guest-suites.sh):
# cryptodev ABI conformance, errors, concurrency, kill and unload, the crypto
# library's cryptodev engine, the backend's devcrypto engine and the
# encrypted chat, all on our device.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$top"/vm/run-guest --smp 2 --share "$top" -- sh "$top/tests/system/guest-suites.sh"
