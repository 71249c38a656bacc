#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Suspend and resume the guest's devices under an open file (pm_test
# "devices"): old sessions are refused, new ones work, the file stays
# usable.  No shared folder: virtio-9p itself does not survive a resume, so
# the test runs from the image.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$top"/vm/run-guest -- /opt/virtio-cryptodev/tests/test-cryptodev-suspend
