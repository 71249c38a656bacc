#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `openssl speed -engine devcrypto -evp aes-128-cbc` in the guest, as an
# OpenSSL user measures a crypto device, beside the same openssl without
# the engine (guest software): a Markdown section on lines starting "ROW ",
# and the figures as RESULT lines (RESULT label size procs ops/s MB/s, as
# bench-cipher prints them).  Runs inside the guest, from guest.sh, once
# after the rounds; bench/device/run appends the section to its report.
# BENCH_SECONDS: seconds per size (default 1).
set -u
secs=${BENCH_SECONDS:-1}
secs=${secs%%.*}
[ "${secs:-0}" -ge 1 ] 2>/dev/null || secs=1
stats=/sys/class/misc/crypto/stats

# openssl speed -mr: "+F:N:name:B1:B2:..." gives bytes per second at each
# of the sizes the "+DT:name:secs:SIZE" lines (on standard error) announce.
# -elapsed: by wall-clock time, not the process's user time, which is next
# to nothing while the device works.
speed() {	# LABEL openssl-speed-args...
	label=$1
	shift
	openssl speed "$@" -elapsed -seconds "$secs" -mr -evp aes-128-cbc 2>&1 |
	awk -F: -v label="$label" '
	$1 == "+DT" { sizes[++n] = $4 }
	$1 == "+F" { for (i = 1; i <= n; i++) printf "RESULT %s %d 1 %.1f %.2f\n", label, sizes[i], $(i + 3) / sizes[i], $(i + 3) / 1e6 }'
}

before=$(cat "$stats/cipher_requests" 2>/dev/null || echo 0)
speed openssl-devcrypto -engine devcrypto >/tmp/speed.engine
after=$(cat "$stats/cipher_requests" 2>/dev/null || echo 0)
speed openssl-soft >/tmp/speed.soft
cat /tmp/speed.engine /tmp/speed.soft
[ -s /tmp/speed.engine ] || echo "NOTE openssl speed -engine devcrypto printed no figures"
if [ -r "$stats/cipher_requests" ] && [ "$after" -le "$before" ]; then
	echo "NOTE the device's cipher_requests did not rise: the engine did not offload"
fi

cat /tmp/speed.engine /tmp/speed.soft | awk -v secs="$secs" '
$1 == "RESULT" { if (!($3 in seen)) { seen[$3] = 1; order[++n] = $3 } mb[$2, $3] = $6 }
function size(s) { return (s >= 1024) ? s / 1024 " KiB" : s " B" }
function row(label, title,   i, line) {
	line = "| " title
	for (i = 1; i <= n; i++) line = line " | " mb[label, order[i]]
	print "ROW " line " |"
}
END {
	if (!n) exit
	print "ROW "
	print "ROW ## OpenSSL with its devcrypto engine, in the guest"
	print "ROW "
	print "ROW `openssl speed -engine devcrypto -elapsed -evp aes-128-cbc` (" secs " s per size, one"
	print "ROW process): Debian 12'"'"'s OpenSSL built with `enable-devcryptoeng`"
	print "ROW (scripts/build-openssl), through /dev/crypto to our device, beside the"
	print "ROW same openssl without the engine (software in the guest). MB/s:"
	print "ROW "
	line = "| path"
	for (i = 1; i <= n; i++) line = line " | " size(order[i])
	print "ROW " line " |"
	line = "|---"
	for (i = 1; i <= n; i++) line = line "|---:"
	print "ROW " line "|"
	row("openssl-devcrypto", "openssl -engine devcrypto (ours)")
	row("openssl-soft", "openssl, software")
	print "ROW "
}'
