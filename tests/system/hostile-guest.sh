#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile guest kernel against the device: malformed requests straight on
# the virtqueues, responses aimed at the device's own registers, a short
# randomized run (its seed printed), then the known answer.  `make fuzz`
# runs the same much longer, also under AddressSanitizer.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$top/tests/hostile/run" --iterations "${HOSTILE_ITERATIONS:-1000}" \
	--aim --timeout 300 "$@"
