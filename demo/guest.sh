#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The guest half of `make demo` (demo/run boots the guest and runs this).
# A chat server and two encrypted clients in the guest, both on
# /dev/cryptodev0; the host's client joins through a forwarded port.
set -u
dir=$1			# shared folder: key file in, transcripts out
bin=/opt/virtio-cryptodev/bin
port=35001

echo "guest: $(uname -sr), $(grep -c ^processor /proc/cpuinfo) vCPUs, device nodes:" \
     $(ls /dev/cryptodev* /dev/crypto 2>/dev/null)
"$bin"/chat-server --port $port > "$dir/server.log" 2>&1 &
server=$!
i=0
# Listening sockets show in /proc/net as state 0A, the port in hex.
hexport=$(printf '%04X' $port)
while ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
	grep -q ":$hexport [0-9A-F:]* 0A" && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done

# Each client's lines are timed so the conversation interleaves.
client() {	# NAME SCRIPT...
	name=$1; shift
	for step in "$@"; do
		case $step in
		+*) sleep "${step#+}" ;;
		@*) while [ ! -e "$dir/${step#@}" ]; do sleep 0.1; done ;;
		*) echo "$step" ;;
		esac
	done | "$bin"/chat-client --nick "$name" --key-file "$dir/chat.key" \
		--crypto-device /dev/cryptodev0 127.0.0.1 $port \
		> "$dir/$name.log" 2>&1
}
# Nobody speaks before both are in: on a slow guest a client can take a
# few seconds to start.
client alice @go +2 "Hello from alice, inside the guest." +5 \
	"The server in here only ever sees ciphertext." +9 &
a=$!
client bob @go +3 "bob here, also in the guest, on /dev/cryptodev0." +3 \
	"/me waves at the host" +9 &
b=$!
i=0
while [ "$(cat "$dir/alice.log" "$dir/bob.log" 2>/dev/null | grep -c '^-- connected')" -lt 2 ] &&
	[ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
touch "$dir/go"
echo "DEMO-READY"
wait $a $b
sleep 1
kill $server 2>/dev/null
wait $server 2>/dev/null
echo "guest: done"
