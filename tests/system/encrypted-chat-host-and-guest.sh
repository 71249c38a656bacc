#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The demo is a test too: guest clients on /dev/cryptodev0 and a host client
# on the soft engine all read every message, and the captured wire between
# host and guest holds no message in clear.
top=$(cd "$(dirname "$0")/../.." && pwd)
# A directory per QEMU and kernel pair: make check runs the pairs at once.
export DEMO_DIR=$top/build/demo${VCD_PAIR:+-$VCD_PAIR}
log=$DEMO_DIR.log
"$top"/demo/run > "$log" 2>&1
rc=$?
tail -n 3 "$log"
[ $rc = 0 ] || cat "$log"
exit $rc
