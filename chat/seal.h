/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sealing chat messages end to end (docs/chat-protocol.md, "Encrypted
 * messages"): AES-256-CBC then HMAC-SHA256 over everything (encrypt-then-
 * MAC), a fresh random IV per message, the sender's name, a random sender id
 * and a sequence number authenticated, replays refused.  Every primitive goes
 * through the vcrypto engine given at creation, so the same code runs on the
 * soft engine and on a cryptodev device.
 */
#ifndef CHAT_SEAL_H
#define CHAT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "vcrypto.h"

#define SEAL_VERSION		1
#define SEAL_SUITE_CBC_HMAC	1	/* AES-256-CBC + HMAC-SHA256 */
#define SEAL_ID_LEN		8
#define SEAL_IV_LEN		16
#define SEAL_TAG_LEN		32
#define SEAL_NAME_MAX		32
#define SEAL_TEXT_MAX		4096
/* version, suite, id, seq, name length */
#define SEAL_HDR_LEN		(1 + 1 + SEAL_ID_LEN + 8 + 1)
/* Largest sealed message: header, longest name, IV, padded text, tag. */
#define SEAL_MAX_LEN		(SEAL_HDR_LEN + SEAL_NAME_MAX + SEAL_IV_LEN + \
				 ((1 + SEAL_TEXT_MAX) / 16 + 1) * 16 + \
				 SEAL_TAG_LEN)

/* Accepted lengths of a key file. */
#define SEAL_SECRET_MIN		16
#define SEAL_SECRET_MAX		512
#define SEAL_SECRET_LEN		32	/* what a passphrase is stretched to */

/*
 * Passphrase stretching: PBKDF2-HMAC-SHA256, 600,000 iterations (OWASP's
 * figure for it), salt = label || 0x00 || room.  The room name, which every
 * participant gives, makes the salt differ between conversations, so no
 * table computed once serves every deployment; the label keeps the salt
 * apart from any other use of the same words.
 */
#define SEAL_PBKDF2_LABEL	"virtio-cryptodev chat v2 passphrase room"
#define SEAL_PBKDF2_ITERATIONS	600000
#define SEAL_PASSPHRASE_MIN	8	/* characters (UTF-8 code points) */
#define SEAL_ROOM_MAX		255	/* bytes */

/* Key derivation labels: HMAC-SHA256(secret, label). */
#define SEAL_LABEL_CIPHER	"virtio-cryptodev chat v1 cipher key"
#define SEAL_LABEL_MAC		"virtio-cryptodev chat v1 mac key"

enum seal_kind {
	SEAL_KIND_TEXT = 1,	/* an ordinary line */
	SEAL_KIND_ACTION = 2,	/* /me ACTION */
};

struct seal_ctx;

/* Characters (UTF-8 code points; other bytes count one each) in p. */
size_t seal_passphrase_chars(const uint8_t *p, size_t len);

/*
 * Stretch a passphrase into a SEAL_SECRET_LEN-byte secret (software), for
 * the conversation named room (1..SEAL_ROOM_MAX bytes).  -EINVAL for a
 * passphrase under SEAL_PASSPHRASE_MIN characters or a bad room name.
 */
int seal_secret_from_passphrase(const uint8_t *pass, size_t len,
				const char *room,
				uint8_t secret[SEAL_SECRET_LEN]);

/*
 * A sealing context for one participant: cipher and MAC keys derived from
 * the shared secret, a fresh random sender id, its own sequence counter and
 * the highest sequence seen from every other sender.  -EINVAL for a secret
 * outside SEAL_SECRET_MIN..MAX, or an engine error.
 */
int seal_ctx_new(struct seal_ctx **out, struct vc_engine *engine,
		 const uint8_t *secret, size_t len);
void seal_ctx_free(struct seal_ctx *c);

/*
 * Seal one message from sender (1..SEAL_NAME_MAX bytes).  out needs
 * SEAL_MAX_LEN bytes (or cap -ENOSPC); *outlen gets the length.
 */
int seal_message(struct seal_ctx *c, const char *sender, enum seal_kind kind,
		 const uint8_t *text, size_t len, uint8_t *out, size_t cap,
		 size_t *outlen);

/* What an opened message holds. */
struct seal_opened {
	enum seal_kind kind;
	char sender[SEAL_NAME_MAX + 1];	/* the name it was sealed by */
	uint64_t seq;
	size_t len;
	uint8_t text[SEAL_TEXT_MAX];
};

/*
 * Open a message the server relayed as coming from relayed_sender.  The
 * text is written to *out only when every check passes.  Returns 0, or:
 *   -EBADMSG          authentication failed (wrong key or tampered)
 *   -EPERM            authentic, but sealed by another name than relayed
 *                     (out->sender says which)
 *   -EALREADY         authentic, but replayed (or our own message reflected)
 *   -EPROTONOSUPPORT  an unknown version or suite
 *   -EPROTO           too short or malformed
 */
int seal_open(struct seal_ctx *c, const char *relayed_sender,
	      const uint8_t *in, size_t len, struct seal_opened *out);

#endif /* CHAT_SEAL_H */
