// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The known-answer vectors of tests/kat/kat_vectors.h for shell tests that
 * drive other programs (openssl enc/dgst in the guest), so those check
 * against the same one copy as every C suite.
 *
 *   kat-print            one line per cipher and hash vector:
 *                          cipher ALG KEY IV|- PLAINTEXT CIPHERTEXT NAME...
 *                          hash ALG MESSAGE|- DIGEST NAME...
 *                        ALG is the cryptodev-linux id, data in plain hex
 *                        ("-" for none)
 *   kat-print unhex HEX  the bytes HEX stands for, on standard output
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kat_hex.h"
#include "kat_vectors.h"
#include "virtio_cryptodev_algs.h"

#define KAT_PRINT_MAX 4096

static size_t decode(const char *hex, uint8_t *buf)
{
	size_t n = kat_unhex(hex ? hex : "", buf, KAT_PRINT_MAX);

	if (n == KAT_HEX_BAD) {
		fprintf(stderr, "kat-print: a vector is not hex: %s\n", hex);
		exit(1);
	}
	return n;
}

static void print_bytes(const uint8_t *buf, size_t n)
{
	fputs(n ? " " : " -", stdout);
	for (size_t i = 0; i < n; i++)
		printf("%02x", buf[i]);
}

/* A vector's hex without the spaces the documents group it with. */
static void print_hex(const char *hex)
{
	uint8_t buf[KAT_PRINT_MAX];

	print_bytes(buf, decode(hex, buf));
}

/* The cipher's block, from the one algorithm table. */
static size_t block_of(uint32_t alg)
{
#define KAT_PRINT_BLOCK(id, kind, name, stem, block, iv, digest, kmin, kmax, kstep) \
	if (alg == (id))						\
		return block;
	VIRTIO_CRYPTODEV_ALGS(KAT_PRINT_BLOCK)
#undef KAT_PRINT_BLOCK
	fprintf(stderr, "kat-print: no algorithm %u in the table\n", (unsigned int)alg);
	exit(1);
}

/*
 * The vectors with their own plaintext.  Those the document gives block by
 * block in ECB for a CBC-only algorithm become one line per block, each
 * CBC under an all-zero IV (which is that block's ECB).
 */
static void print_cipher_docs(void)
{
	static const uint8_t zero[KAT_PRINT_MAX];
	uint8_t pt[KAT_PRINT_MAX], ct[KAT_PRINT_MAX];

	for (size_t i = 0; i < sizeof(kat_cipher_docs) / sizeof(kat_cipher_docs[0]); i++) {
		const struct kat_cipher_doc *c = &kat_cipher_docs[i];
		size_t n = decode(c->pt, pt), b = c->ecb_blocks ? block_of(c->alg) : n;

		if (decode(c->ct, ct) != n) {
			fprintf(stderr, "kat-print: %s: ciphertext and plaintext differ in length\n", c->name);
			exit(1);
		}
		for (size_t off = 0; off < n; off += b) {
			printf("cipher %u", (unsigned int)c->alg);
			print_hex(c->key);
			if (c->ecb_blocks)
				print_bytes(zero, b);
			else
				print_hex(c->iv);
			print_bytes(pt + off, b);
			print_bytes(ct + off, b);
			if (c->ecb_blocks && n > b)
				printf(" %s, block %zu\n", c->name, off / b + 1);
			else
				printf(" %s\n", c->name);
		}
	}
}

static void print_hashes(const struct kat_digest *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		printf("hash %u", (unsigned int)v[i].alg);
		if (v[i].msg && !*v[i].msg) {
			fputs(" -", stdout);
		} else {
			putchar(' ');
			for (size_t j = 0; v[i].msg ? v[i].msg[j] != 0 : j < v[i].msg_rep; j++)
				printf("%02x", v[i].msg ? (uint8_t)v[i].msg[j] : v[i].msg_byte);
		}
		print_hex(v[i].digest);
		printf(" %s\n", v[i].name);
	}
}

static int unhex(const char *hex)
{
	static uint8_t buf[KAT_PRINT_MAX];
	size_t n = kat_unhex(hex, buf, sizeof(buf));

	if (n == KAT_HEX_BAD) {
		fprintf(stderr, "kat-print: not hex: %s\n", hex);
		return 1;
	}
	return fwrite(buf, 1, n, stdout) == n && fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "unhex") == 0)
		return unhex(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: kat-print [unhex HEX]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(kat_ciphers) / sizeof(kat_ciphers[0]); i++) {
		const struct kat_cipher *c = &kat_ciphers[i];

		printf("cipher %u", (unsigned int)c->alg);
		print_hex(c->key);
		print_hex(c->iv);
		print_hex(KAT_SP800_38A_PT);
		print_hex(c->ct);
		printf(" %s\n", c->name);
	}
	print_cipher_docs();
	print_hashes(kat_hashes, sizeof(kat_hashes) / sizeof(kat_hashes[0]));
	print_hashes(kat_hashes_rfc1321,
		     sizeof(kat_hashes_rfc1321) / sizeof(kat_hashes_rfc1321[0]));
	print_hashes(kat_hashes_ripemd160,
		     sizeof(kat_hashes_ripemd160) / sizeof(kat_hashes_ripemd160[0]));
	return fflush(stdout) == 0 ? 0 : 1;
}
