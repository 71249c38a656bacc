// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names every identifier of cryptodev-linux's <crypto/cryptodev.h> and
 * compares each value with the one cryptodev-linux's header gives it (typed
 * here from that header and docs/cryptodev-abi.md, not taken from ours).
 * Built as C and as C++ by test-cryptodev-header.sh: a program written for
 * cryptodev-linux must build against our header in either language.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <crypto/cryptodev.h>

struct expect {
	const char *name;
	unsigned long long got, want;
};

#define E(name, want) { #name, (unsigned long long)(name), (want) }
#define SIZE(type, want) { "sizeof(" #type ")", sizeof(type), (want) }
#define OFF(type, field, want) \
	{ "offsetof(" #type ", " #field ")", offsetof(type, field), (want) }

static const struct expect names[] = {
	/* algorithm ids */
	E(CRYPTO_DES_CBC, 1), E(CRYPTO_3DES_CBC, 2), E(CRYPTO_BLF_CBC, 3),
	E(CRYPTO_CAST_CBC, 4), E(CRYPTO_SKIPJACK_CBC, 5),
	E(CRYPTO_MD5_HMAC, 6), E(CRYPTO_SHA1_HMAC, 7),
	E(CRYPTO_RIPEMD160_HMAC, 8), E(CRYPTO_MD5_KPDK, 9),
	E(CRYPTO_SHA1_KPDK, 10), E(CRYPTO_RIJNDAEL128_CBC, 11),
	E(CRYPTO_AES_CBC, 11), E(CRYPTO_ARC4, 12), E(CRYPTO_MD5, 13),
	E(CRYPTO_SHA1, 14), E(CRYPTO_DEFLATE_COMP, 15), E(CRYPTO_NULL, 16),
	E(CRYPTO_LZS_COMP, 17), E(CRYPTO_SHA2_256_HMAC, 18),
	E(CRYPTO_SHA2_384_HMAC, 19), E(CRYPTO_SHA2_512_HMAC, 20),
	E(CRYPTO_AES_CTR, 21), E(CRYPTO_AES_XTS, 22), E(CRYPTO_AES_ECB, 23),
	E(CRYPTO_AES_GCM, 50), E(CRYPTO_AES_CCM, 51), E(CRYPTO_AES_CFB, 52),
	E(CRYPTO_AES_OFB, 53),
	E(CRYPTO_CAMELLIA_CBC, 101), E(CRYPTO_RIPEMD160, 102),
	E(CRYPTO_SHA2_224, 103), E(CRYPTO_SHA2_256, 104),
	E(CRYPTO_SHA2_384, 105), E(CRYPTO_SHA2_512, 106),
	E(CRYPTO_SHA2_224_HMAC, 107), E(CRYPTO_TLS11_AES_CBC_HMAC_SHA1, 108),
	E(CRYPTO_TLS12_AES_CBC_HMAC_SHA256, 109),
	E(CRYPTO_ALGORITHM_ALL, 110), E(CRYPTO_ALGORITHM_MAX, 109),
	/* sizes and limits */
	E(CRYPTO_HMAC_MAX_KEY_LEN, 512), E(CRYPTO_CIPHER_MAX_KEY_LEN, 64),
	E(DES_BLOCK_LEN, 8), E(DES3_BLOCK_LEN, 8),
	E(RIJNDAEL128_BLOCK_LEN, 16), E(AES_BLOCK_LEN, 16),
	E(CAMELLIA_BLOCK_LEN, 16), E(BLOWFISH_BLOCK_LEN, 8),
	E(SKIPJACK_BLOCK_LEN, 8), E(CAST128_BLOCK_LEN, 8),
	E(EALG_MAX_BLOCK_LEN, 16), E(AALG_MAX_RESULT_LEN, 64),
	E(CRYPTODEV_MAX_ALG_NAME, 64), E(HASH_MAX_LEN, 64),
	/* operations and flags */
	E(SIOP_FLAG_KERNEL_DRIVER_ONLY, 1), E(COP_ENCRYPT, 0),
	E(COP_DECRYPT, 1), E(COP_FLAG_NONE, 0), E(COP_FLAG_UPDATE, 1),
	E(COP_FLAG_FINAL, 2), E(COP_FLAG_WRITE_IV, 4), E(COP_FLAG_NO_ZC, 8),
	E(COP_FLAG_AEAD_TLS_TYPE, 16), E(COP_FLAG_AEAD_SRTP_TYPE, 32),
	E(COP_FLAG_RESET, 64),
	/* public-key names */
	E(CRYPTO_ALG_FLAG_SUPPORTED, 1), E(CRYPTO_ALG_FLAG_RNG_ENABLE, 2),
	E(CRYPTO_ALG_FLAG_DSA_SHA, 4), E(CRK_MAXPARAM, 8),
	E(CRK_MOD_EXP, 0), E(CRK_MOD_EXP_CRT, 1), E(CRK_DSA_SIGN, 2),
	E(CRK_DSA_VERIFY, 3), E(CRK_DH_COMPUTE_KEY, 4),
	E(CRK_ALGORITHM_ALL, 5), E(CRK_ALGORITHM_MAX, 4),
	E(CRF_MOD_EXP, 1), E(CRF_MOD_EXP_CRT, 2), E(CRF_DSA_SIGN, 4),
	E(CRF_DSA_VERIFY, 8), E(CRF_DH_COMPUTE_KEY, 16),
	E(CRIOGET_NOT_NEEDED, 1),
#if defined(__x86_64__)
	/* ioctl numbers and layouts on x86-64 */
	E(CRIOGET, 0xc0046365), E(CIOCGSESSION, 0xc0306366),
	E(CIOCFSESSION, 0x40046367), E(CIOCCRYPT, 0xc0306368),
	E(CIOCKEY, 0xc0906369), E(CIOCASYMFEAT, 0x8004636a),
	E(CIOCGSESSINFO, 0xc10c636b), E(CIOCAUTHCRYPT, 0xc048636d),
	E(CIOCASYNCCRYPT, 0x4030636e), E(CIOCASYNCFETCH, 0x8030636f),
	E(CIOCCPHASH, 0x40086370),
	SIZE(struct session_op, 48), OFF(struct session_op, key, 16),
	OFF(struct session_op, mackeylen, 24),
	OFF(struct session_op, mackey, 32), OFF(struct session_op, ses, 40),
	SIZE(struct crypt_op, 48), OFF(struct crypt_op, len, 8),
	OFF(struct crypt_op, src, 16), OFF(struct crypt_op, dst, 24),
	OFF(struct crypt_op, mac, 32), OFF(struct crypt_op, iv, 40),
	SIZE(struct crypt_auth_op, 72), OFF(struct crypt_auth_op, auth_src, 16),
	OFF(struct crypt_auth_op, tag, 40), OFF(struct crypt_auth_op, tag_len, 48),
	OFF(struct crypt_auth_op, iv, 56), OFF(struct crypt_auth_op, iv_len, 64),
	SIZE(struct session_info_op, 268),
	OFF(struct session_info_op, alignmask, 260),
	OFF(struct session_info_op, flags, 264),
	SIZE(struct cphash_op, 8), SIZE(struct crparam, 16),
	SIZE(struct crypt_kop, 144), OFF(struct crypt_kop, crk_param, 16),
#elif defined(__i386__)
	/* what a 32-bit program passes (the driver's compat_ioctl) */
	E(CIOCGSESSION, 0xc01c6366), E(CIOCCRYPT, 0xc01c6368),
	E(CIOCAUTHCRYPT, 0xc02c636d), E(CIOCGSESSINFO, 0xc10c636b),
	E(CIOCKEY, 0xc0506369),
	SIZE(struct session_op, 28), SIZE(struct crypt_op, 28),
	SIZE(struct crypt_auth_op, 44), SIZE(struct session_info_op, 268),
	SIZE(struct crypt_kop, 80),
#endif
};

int main(void)
{
	size_t i, bad = 0;
	/* the structs and the nested name programs use are declared */
	struct session_op sop;
	struct crypt_op cop;
	struct crypt_auth_op caop;
	struct session_info_op siop;
	struct cphash_op cph;
	struct crypt_kop kop;
	enum cryptodev_crypto_op_t alg = CRYPTO_AES_CBC;
	enum cryptodev_crk_op_t crk = CRK_MOD_EXP;

	memset(&sop, 0, sizeof(sop));
	memset(&cop, 0, sizeof(cop));
	memset(&caop, 0, sizeof(caop));
	memset(&siop, 0, sizeof(siop));
	memset(&cph, 0, sizeof(cph));
	memset(&kop, 0, sizeof(kop));
	sop.cipher = alg;
	kop.crk_op = crk;
	if (sop.cipher + kop.crk_op + cop.len + caop.len + siop.ses +
	    cph.src_ses + sizeof(siop.cipher_info.cra_name) != 11 + 64)
		bad++;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].got == names[i].want)
			continue;
		printf("%s is %#llx, cryptodev-linux has %#llx\n",
		       names[i].name, names[i].got, names[i].want);
		bad++;
	}
	printf("%zu names checked, %zu wrong\n", i, bad);
	return bad != 0;
}
