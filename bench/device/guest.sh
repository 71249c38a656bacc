#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs inside the guest (bench/device/run boots it): every path, size and
# process count of the cipher benchmark, as RESULT lines.
set -u
bin=${BENCH_BIN:-/opt/virtio-cryptodev/bin}
secs=${BENCH_SECONDS:-1}
sizes="64 1024 4096 65536"

# The upstream path: QEMU's virtio-crypto device through AF_ALG.
for m in crypto_engine virtio_crypto af_alg algif_skcipher; do
	insmod /lib/modules/$m.ko 2>/dev/null
done
grep -q virtio_crypto_aes_cbc /proc/crypto ||
	echo "NOTE upstream virtio-crypto driver not registered"

# Rounds interleave the paths, so a burst of host load hits all of them;
# the report takes each figure's median over the rounds.
for round in $(seq "${BENCH_ROUNDS:-3}"); do
	for procs in 1 2; do
		"$bin"/bench-cipher --path cryptodev --device /dev/cryptodev0 \
			--procs $procs --seconds "$secs" $sizes
		"$bin"/bench-cipher --path afalg --afalg-driver virtio_crypto_aes_cbc \
			--procs $procs --seconds "$secs" $sizes
		"$bin"/bench-cipher --path nettle --procs $procs --seconds "$secs" $sizes
	done
done
