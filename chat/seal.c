// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Chat message sealing: AES-256-CBC, then HMAC-SHA256 over the header, IV
 * and ciphertext.  The MAC is checked before anything is decrypted, in
 * constant time, so a forgery learns nothing and wrong keys never produce
 * text.  Replay state is updated only for messages that pass every check.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"

/* Senders remembered for replay protection, at most. */
#define SEAL_MAX_PEERS		65536
/*
 * IVs come from the system's generator, fetched 4 KiB at a time: one
 * getrandom() per 256 messages instead of one per message, which was most
 * of the cost of sealing a line.
 */
#define SEAL_RANDOM_POOL	4096

struct seal_peer {
	uint8_t id[SEAL_ID_LEN];
	bool used;
	uint64_t seq;		/* highest sequence accepted */
};

struct seal_ctx {
	struct vc_session *cipher;
	struct vc_session *mac;
	uint8_t id[SEAL_ID_LEN];
	uint64_t seq;
	struct seal_peer *peers;	/* open addressing, power-of-2 size */
	size_t npeers, peer_cap;
	uint8_t scratch[SEAL_MAX_LEN];
	size_t random_left;
	uint8_t random[SEAL_RANDOM_POOL];
};

static void seal_put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t seal_get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int seal_fresh_iv(struct seal_ctx *c, uint8_t *iv)
{
	uint8_t *p;
	int rc;

	if (c->random_left < SEAL_IV_LEN) {
		rc = vc_random(c->random, sizeof(c->random));
		if (rc)
			return rc;
		c->random_left = sizeof(c->random);
	}
	p = c->random + sizeof(c->random) - c->random_left;
	memcpy(iv, p, SEAL_IV_LEN);
	memset(p, 0, SEAL_IV_LEN);	/* each IV is used once */
	c->random_left -= SEAL_IV_LEN;
	return 0;
}

size_t seal_passphrase_chars(const uint8_t *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)	/* not a continuation byte */
			n++;
	return n;
}

int seal_secret_from_passphrase(const uint8_t *pass, size_t len,
				const char *room,
				uint8_t secret[SEAL_SECRET_LEN])
{
	uint8_t salt[sizeof(SEAL_PBKDF2_LABEL) + SEAL_ROOM_MAX];
	size_t roomlen = room ? strlen(room) : 0;

	if (seal_passphrase_chars(pass, len) < SEAL_PASSPHRASE_MIN ||
	    roomlen < 1 || roomlen > SEAL_ROOM_MAX)
		return -EINVAL;
	/* The label's terminating NUL separates it from the room. */
	memcpy(salt, SEAL_PBKDF2_LABEL, sizeof(SEAL_PBKDF2_LABEL));
	memcpy(salt + sizeof(SEAL_PBKDF2_LABEL), room, roomlen);
	return vc_pbkdf2_sha256(pass, len, salt,
				sizeof(SEAL_PBKDF2_LABEL) + roomlen,
				SEAL_PBKDF2_ITERATIONS, secret,
				SEAL_SECRET_LEN);
}

/* HMAC-SHA256(secret, label) through the engine. */
static int seal_derive(struct vc_engine *e, const uint8_t *secret, size_t len,
		       const char *label, uint8_t out[32])
{
	struct vc_session_params p = {
		.mac = CRYPTO_SHA2_256_HMAC,
		.mackey = secret,
		.mackeylen = len,
	};
	struct vc_session *s;
	int rc;

	rc = vc_session_new(e, &p, &s);
	if (rc)
		return rc;
	rc = vc_hash(s, (const uint8_t *)label, strlen(label), 0, out);
	vc_session_free(s);
	return rc;
}

int seal_ctx_new(struct seal_ctx **out, struct vc_engine *engine,
		 const uint8_t *secret, size_t len)
{
	uint8_t kc[32], km[32];
	struct vc_session_params cp = {
		.cipher = CRYPTO_AES_CBC, .key = kc, .keylen = sizeof(kc),
	};
	struct vc_session_params mp = {
		.mac = CRYPTO_SHA2_256_HMAC, .mackey = km,
		.mackeylen = sizeof(km),
	};
	struct seal_ctx *c;
	int rc;

	if (!engine || !secret || len < SEAL_SECRET_MIN ||
	    len > SEAL_SECRET_MAX)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = seal_derive(engine, secret, len, SEAL_LABEL_CIPHER, kc);
	if (!rc)
		rc = seal_derive(engine, secret, len, SEAL_LABEL_MAC, km);
	if (!rc)
		rc = vc_session_new(engine, &cp, &c->cipher);
	if (!rc)
		rc = vc_session_new(engine, &mp, &c->mac);
	if (!rc)
		rc = vc_random(c->id, sizeof(c->id));
	/* The keys live on in the sessions only. */
	memset(kc, 0, sizeof(kc));
	memset(km, 0, sizeof(km));
	__asm__ __volatile__("" : : "r"(kc), "r"(km) : "memory");
	if (rc) {
		seal_ctx_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void seal_ctx_free(struct seal_ctx *c)
{
	if (!c)
		return;
	if (c->cipher)
		vc_session_free(c->cipher);
	if (c->mac)
		vc_session_free(c->mac);
	free(c->peers);
	free(c);
}

int seal_message(struct seal_ctx *c, const char *sender, enum seal_kind kind,
		 const uint8_t *text, size_t len, uint8_t *out, size_t cap,
		 size_t *outlen)
{
	size_t namelen = sender ? strlen(sender) : 0;
	size_t plain, pad, ctlen, total, off;
	uint8_t *iv, *ct;
	int rc;

	if (namelen < 1 || namelen > SEAL_NAME_MAX || len > SEAL_TEXT_MAX ||
	    (len && !text) ||
	    (kind != SEAL_KIND_TEXT && kind != SEAL_KIND_ACTION))
		return -EINVAL;
	plain = 1 + len;
	pad = 16 - plain % 16;		/* PKCS#7: 1..16 bytes */
	ctlen = plain + pad;
	total = SEAL_HDR_LEN + namelen + SEAL_IV_LEN + ctlen + SEAL_TAG_LEN;
	if (total > cap)
		return -ENOSPC;
	if (c->seq == UINT64_MAX)
		return -EOVERFLOW;

	out[0] = SEAL_VERSION;
	out[1] = SEAL_SUITE_CBC_HMAC;
	memcpy(out + 2, c->id, SEAL_ID_LEN);
	seal_put_be64(out + 2 + SEAL_ID_LEN, c->seq + 1);
	out[SEAL_HDR_LEN - 1] = (uint8_t)namelen;
	memcpy(out + SEAL_HDR_LEN, sender, namelen);
	off = SEAL_HDR_LEN + namelen;
	iv = out + off;
	ct = iv + SEAL_IV_LEN;

	rc = seal_fresh_iv(c, iv);
	if (rc)
		return rc;
	/* The plaintext block is built in the output and encrypted in place. */
	ct[0] = (uint8_t)kind;
	if (len)
		memcpy(ct + 1, text, len);
	memset(ct + plain, (int)pad, pad);
	rc = vc_cipher(c->cipher, COP_ENCRYPT, ct, ct, ctlen, iv, NULL);
	if (rc)
		goto wipe;
	rc = vc_hash(c->mac, out, total - SEAL_TAG_LEN, 0,
		     out + total - SEAL_TAG_LEN);
	if (rc)
		goto wipe;
	c->seq++;
	*outlen = total;
	return 0;
wipe:
	memset(out, 0, total);
	return rc;
}

/* The slot for id: where it is, or the empty slot where it would go. */
static struct seal_peer *seal_peer_slot(struct seal_peer *tab, size_t cap,
					const uint8_t *id)
{
	size_t mask = cap - 1;
	size_t i = (size_t)seal_get_be64(id) & mask;

	while (tab[i].used && memcmp(tab[i].id, id, SEAL_ID_LEN))
		i = (i + 1) & mask;
	return &tab[i];
}

static int seal_peer_grow(struct seal_ctx *c)
{
	size_t cap = c->peer_cap ? c->peer_cap * 2 : 64;
	struct seal_peer *tab = calloc(cap, sizeof(*tab));
	size_t i;

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < c->peer_cap; i++)
		if (c->peers[i].used)
			*seal_peer_slot(tab, cap, c->peers[i].id) = c->peers[i];
	free(c->peers);
	c->peers = tab;
	c->peer_cap = cap;
	return 0;
}

int seal_open(struct seal_ctx *c, const char *relayed_sender,
	      const uint8_t *in, size_t len, struct seal_opened *out)
{
	uint8_t tag[SEAL_TAG_LEN];
	struct seal_peer *peer = NULL;
	const uint8_t *id, *iv, *ct;
	size_t namelen, ctlen, pad, i;
	uint64_t seq;
	uint8_t *pt = c->scratch;
	int rc;

	if (len < SEAL_HDR_LEN)
		return -EPROTO;
	if (in[0] != SEAL_VERSION || in[1] != SEAL_SUITE_CBC_HMAC)
		return -EPROTONOSUPPORT;
	namelen = in[SEAL_HDR_LEN - 1];
	if (namelen < 1 || namelen > SEAL_NAME_MAX ||
	    len < SEAL_HDR_LEN + namelen + SEAL_IV_LEN + 16 + SEAL_TAG_LEN ||
	    len > SEAL_MAX_LEN)
		return -EPROTO;
	ctlen = len - (SEAL_HDR_LEN + namelen + SEAL_IV_LEN + SEAL_TAG_LEN);
	if (ctlen % 16)
		return -EPROTO;

	rc = vc_hash(c->mac, in, len - SEAL_TAG_LEN, 0, tag);
	if (rc)
		return rc;
	if (vc_memcmp_ct(tag, in + len - SEAL_TAG_LEN, SEAL_TAG_LEN))
		return -EBADMSG;

	/* Authentic from here on: the fields are what a key holder wrote. */
	id = in + 2;
	seq = seal_get_be64(in + 2 + SEAL_ID_LEN);
	memcpy(out->sender, in + SEAL_HDR_LEN, namelen);
	out->sender[namelen] = '\0';
	if (!relayed_sender || strcmp(out->sender, relayed_sender))
		return -EPERM;
	if (!memcmp(id, c->id, SEAL_ID_LEN))
		return -EALREADY;
	if (c->peer_cap) {
		peer = seal_peer_slot(c->peers, c->peer_cap, id);
		if (peer->used && seq <= peer->seq)
			return -EALREADY;
	}

	iv = in + SEAL_HDR_LEN + namelen;
	ct = iv + SEAL_IV_LEN;
	rc = vc_cipher(c->cipher, COP_DECRYPT, ct, pt, ctlen, iv, NULL);
	if (rc)
		return rc;
	pad = pt[ctlen - 1];
	rc = -EPROTO;
	if (pad < 1 || pad > 16 || pad + 1 > ctlen)
		goto wipe;
	for (i = ctlen - pad; i < ctlen; i++)
		if (pt[i] != pad)
			goto wipe;
	if (pt[0] != SEAL_KIND_TEXT && pt[0] != SEAL_KIND_ACTION)
		goto wipe;
	if (ctlen - pad - 1 > SEAL_TEXT_MAX)
		goto wipe;

	/* Remember the sender before accepting the message. */
	if (!peer || !peer->used) {
		if (c->npeers >= SEAL_MAX_PEERS) {
			rc = -ENOSPC;
			goto wipe;
		}
		if ((c->npeers + 1) * 2 > c->peer_cap) {
			rc = seal_peer_grow(c);
			if (rc)
				goto wipe;
		}
		peer = seal_peer_slot(c->peers, c->peer_cap, id);
		memcpy(peer->id, id, SEAL_ID_LEN);
		peer->used = true;
		c->npeers++;
	}
	peer->seq = seq;

	out->kind = (enum seal_kind)pt[0];
	out->seq = seq;
	out->len = ctlen - pad - 1;
	memcpy(out->text, pt + 1, out->len);
	rc = 0;
wipe:
	memset(pt, 0, ctlen);
	return rc;
}
