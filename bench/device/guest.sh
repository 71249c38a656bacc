#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs inside the guest (bench/device/run boots it): every path, size and
# process count of the cipher benchmark, as RESULT lines, after INFO lines
# saying what this guest is.
set -u
bin=${BENCH_BIN:-/opt/virtio-cryptodev/bin}
secs=${BENCH_SECONDS:-1}
sizes=${BENCH_SIZES:-64 1024 4096 65536 1048576}

# The upstream path (QEMU's virtio-crypto device) and the guest kernel's
# AES-NI, both through AF_ALG; dependencies first.
for m in crypto_engine virtio_crypto af_alg algif_skcipher \
	 cryptd crypto_simd gf128mul aesni-intel; do
	insmod /lib/modules/$m.ko 2>/dev/null
done
# AF_ALG keeps a request's scatterlists in socket option memory: 6.1's
# default (20 KiB) refuses a 1 MiB request (ENOMEM), 6.12's 128 KiB does not.
[ "$(cat /proc/sys/net/core/optmem_max)" -ge 131072 ] ||
	echo 131072 > /proc/sys/net/core/optmem_max
echo "INFO kernel $(uname -r)"
if grep -qw aes /proc/cpuinfo; then
	echo "INFO cpu-aes yes"
else
	echo "INFO cpu-aes no"
fi
for drv in virtio_crypto_aes_cbc cbc-aes-aesni; do
	grep -q "^driver *: $drv\$" /proc/crypto || echo "NOTE $drv not registered"
done

# One path at every size.  A path that fails prints a NOTE and no RESULT;
# the report shows it as missing rather than stopping the other paths.
path() {	# LABEL PROCS bench-cipher ARGS...
	label=$1 procs=$2
	shift 2
	"$bin"/bench-cipher --label "$label" --procs "$procs" --seconds "$secs" \
		"$@" $sizes || echo "NOTE $label with $procs processes failed"
}

# Rounds interleave the paths, so a burst of host load hits all of them;
# the report gives each figure's median, minimum and maximum.
for round in $(seq "${BENCH_ROUNDS:-5}"); do
	echo "INFO round $round"
	for procs in 1 2; do
		path ours $procs --path cryptodev --device /dev/cryptodev0
		# In pieces of 64 KiB: one request of 256 KiB or 1 MiB takes
		# more descriptors than QEMU's virtqueue_pop() accepts, and the
		# device stops ("too many write descriptors in indirect table").
		path upstream $procs --path afalg --afalg-driver virtio_crypto_aes_cbc \
			--afalg-chunk 65536
		path aesni $procs --path afalg --afalg-driver cbc-aes-aesni
		path openssl $procs --path openssl
		path nettle $procs --path nettle
		# Our asynchronous interface, one process with 32 requests in
		# flight, when this build has its benchmark (its sync figures
		# repeat ours; its async ones become async32).
		if [ -x "$bin"/bench-async ] && [ "$procs" = 1 ]; then
			{ "$bin"/bench-async --device /dev/cryptodev0 --depth 32 \
				--rounds 1 --seconds "$secs" $sizes ||
				echo "NOTE async32 failed"; } |
				sed -n -e 's/^RESULT async \([0-9]*\) 32 /RESULT async32 \1 1 /p' \
				       -e '/^NOTE/p'
		fi
	done
done

# OpenSSL's devcrypto engine as `openssl speed` measures it: a section of
# its own in the report (bench/device/openssl-speed.sh).
sh "$(dirname "$0")/openssl-speed.sh"
