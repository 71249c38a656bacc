/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The known-answer check the in-guest suites share, over the vectors of
 * tests/kat/kat_vectors.h.
 */
#ifndef KAT_CHECK_H
#define KAT_CHECK_H

#include <stdint.h>
#include <string.h>

#include <crypto/cryptodev.h>

#include "cdev_util.h"
#include "kat_hex.h"
#include "kat_vectors.h"

/*
 * Encrypt the SP 800-38A plaintext with vector k on session ses (made with
 * k's key): 0 when the device gives the known answer, 1 for a wrong answer,
 * -errno when the call fails.  The tests that watch the device survive a
 * kill, an unload, a suspend or an unplug all ask it this one question.
 */
static inline int kat_cipher_check(int fd, uint32_t ses,
				   const struct kat_cipher *k)
{
	uint8_t iv[16], plain[64], expect[64], out[64];
	int err;

	if (k->iv)
		kat_unhex(k->iv, iv, sizeof(iv));
	kat_unhex(KAT_SP800_38A_PT, plain, sizeof(plain));
	kat_unhex(k->ct, expect, sizeof(expect));
	err = cdev_crypt(fd, ses, COP_ENCRYPT, 0, plain, out, sizeof(out),
			 k->iv ? iv : NULL, NULL);
	if (!err && memcmp(out, expect, sizeof(out)))
		err = 1;
	return err;
}

/* kat_cipher_check() on a session of its own, freed afterwards. */
static inline int kat_cipher_check_session(int fd, const struct kat_cipher *k)
{
	uint8_t key[32];
	uint32_t ses;
	size_t keylen = kat_unhex(k->key, key, sizeof(key));
	int err;

	err = cdev_session(fd, k->alg, key, keylen, 0, NULL, 0, &ses);
	if (err)
		return err;
	err = kat_cipher_check(fd, ses, k);
	cdev_fsession(fd, ses);
	return err;
}

#endif /* KAT_CHECK_H */
