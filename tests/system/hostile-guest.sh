#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile guest kernel against the device: malformed requests straight on
# the virtqueues, a short randomized run (its seed printed), then the known
# answer.  The cases still waiting for device fixes run in `make fuzz`.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$top/tests/hostile/run" --iterations "${HOSTILE_ITERATIONS:-1000}" \
	--timeout 300 "$@"
