// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * End-to-end message sealing (chat/seal.c): what opens, what is refused
 * (wrong key, tampering, truncation, replay, reflection, a sender name that
 * is not the relayed one), and the byte layout of docs/chat-protocol.md
 * checked with nettle directly, independently of the code under test.
 *
 * The engine is the soft one, or VC_TEST_DEVICE=PATH (a cryptodev device,
 * e.g. /dev/cryptodev0 in the guest) when set; it must then work.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/hmac.h>
#include <nettle/pbkdf2.h>

#include "../../chat/seal.h"
#include "vcrypto.h"

static struct vc_engine *engine;

static const uint8_t key_a[32] = "0123456789abcdef0123456789abcde";
static const uint8_t key_b[32] = "0123456789abcdef0123456789abcdX";

struct pair {
	struct seal_ctx *alice, *bob;
	uint8_t wire[SEAL_MAX_LEN];
	size_t len;
	struct seal_opened m;
};

static int pair_setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));

	if (!p || seal_ctx_new(&p->alice, engine, key_a, sizeof(key_a)) ||
	    seal_ctx_new(&p->bob, engine, key_a, sizeof(key_a)))
		return -1;
	*state = p;
	return 0;
}

static int pair_teardown(void **state)
{
	struct pair *p = *state;

	seal_ctx_free(p->alice);
	seal_ctx_free(p->bob);
	free(p);
	return 0;
}

static void seal_from_alice(struct pair *p, enum seal_kind kind,
			    const char *text)
{
	assert_int_equal(seal_message(p->alice, "alice", kind,
				      (const uint8_t *)text, strlen(text),
				      p->wire, sizeof(p->wire), &p->len), 0);
}

static bool contains(const uint8_t *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void message_opens_with_the_same_key(void **state)
{
	struct pair *p = *state;

	seal_from_alice(p, SEAL_KIND_TEXT, "meet me at noon");
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	assert_int_equal(p->m.kind, SEAL_KIND_TEXT);
	assert_string_equal(p->m.sender, "alice");
	assert_int_equal(p->m.len, strlen("meet me at noon"));
	assert_memory_equal(p->m.text, "meet me at noon", p->m.len);

	seal_from_alice(p, SEAL_KIND_ACTION, "waves");
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	assert_int_equal(p->m.kind, SEAL_KIND_ACTION);
	assert_memory_equal(p->m.text, "waves", 5);
}

static void sealed_bytes_do_not_contain_the_text(void **state)
{
	struct pair *p = *state;

	seal_from_alice(p, SEAL_KIND_TEXT, "attack at dawn attack at dawn");
	assert_false(contains(p->wire, p->len, "attack"));
	assert_false(contains(p->wire, p->len, "dawn"));
}

static void wrong_key_never_yields_plaintext(void **state)
{
	struct pair *p = *state;
	struct seal_ctx *eve;

	assert_int_equal(seal_ctx_new(&eve, engine, key_b, sizeof(key_b)), 0);
	seal_from_alice(p, SEAL_KIND_TEXT, "the password is swordfish");
	memset(&p->m, 0xa5, sizeof(p->m));
	assert_int_equal(seal_open(eve, "alice", p->wire, p->len, &p->m),
			 -EBADMSG);
	assert_false(contains(p->m.text, sizeof(p->m.text), "swordfish"));
	assert_int_equal(p->m.text[0], 0xa5);
	/* The rightful reader still can: eve's attempt changed nothing. */
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	seal_ctx_free(eve);
}

static void any_tampered_byte_is_refused(void **state)
{
	struct pair *p = *state;
	size_t i;
	int bit;

	seal_from_alice(p, SEAL_KIND_TEXT, "transfer 10 coins to bob");
	for (i = 0; i < p->len; i++) {
		for (bit = 0; bit < 8; bit += 7) {
			int rc;

			p->wire[i] ^= (uint8_t)(1u << bit);
			memset(&p->m.text, 0, sizeof(p->m.text));
			rc = seal_open(p->bob, "alice", p->wire, p->len, &p->m);
			p->wire[i] ^= (uint8_t)(1u << bit);
			assert_int_not_equal(rc, 0);
			assert_false(contains(p->m.text, sizeof(p->m.text),
					      "coins"));
		}
	}
	/* Untouched, it still opens. */
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
}

static void truncated_or_extended_message_is_refused(void **state)
{
	struct pair *p = *state;
	size_t n;

	seal_from_alice(p, SEAL_KIND_TEXT, "short");
	for (n = 0; n < p->len; n++)
		assert_int_not_equal(seal_open(p->bob, "alice", p->wire, n,
					       &p->m), 0);
	p->wire[p->len] = 0;
	assert_int_not_equal(seal_open(p->bob, "alice", p->wire, p->len + 1,
				       &p->m), 0);
	for (n = 16; n <= 32; n += 16)
		assert_int_not_equal(seal_open(p->bob, "alice", p->wire,
					       p->len + n, &p->m), 0);
}

static void replayed_message_is_refused(void **state)
{
	struct pair *p = *state;

	seal_from_alice(p, SEAL_KIND_TEXT, "pay 5");
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m),
			 -EALREADY);
}

static void older_message_after_a_newer_one_is_refused(void **state)
{
	struct pair *p = *state;
	uint8_t first[SEAL_MAX_LEN];
	size_t first_len;

	seal_from_alice(p, SEAL_KIND_TEXT, "one");
	memcpy(first, p->wire, p->len);
	first_len = p->len;
	seal_from_alice(p, SEAL_KIND_TEXT, "two");
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	assert_true(p->m.seq == 2);
	assert_int_equal(seal_open(p->bob, "alice", first, first_len, &p->m),
			 -EALREADY);
}

static void own_message_reflected_back_is_refused(void **state)
{
	struct pair *p = *state;

	seal_from_alice(p, SEAL_KIND_TEXT, "hello");
	assert_int_equal(seal_open(p->alice, "alice", p->wire, p->len, &p->m),
			 -EALREADY);
}

static void message_relayed_under_another_name_is_refused(void **state)
{
	struct pair *p = *state;

	seal_from_alice(p, SEAL_KIND_TEXT, "I owe carol 5");
	memset(p->m.text, 0, sizeof(p->m.text));
	assert_int_equal(seal_open(p->bob, "mallory", p->wire, p->len, &p->m),
			 -EPERM);
	assert_string_equal(p->m.sender, "alice");
	assert_false(contains(p->m.text, sizeof(p->m.text), "owe"));
	/* Refusing it did not burn the sequence number. */
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
}

static void senders_are_tracked_separately(void **state)
{
	struct pair *p = *state;
	struct seal_ctx *carol;
	uint8_t wire[SEAL_MAX_LEN];
	size_t len;

	assert_int_equal(seal_ctx_new(&carol, engine, key_a, sizeof(key_a)), 0);
	seal_from_alice(p, SEAL_KIND_TEXT, "from alice");
	assert_int_equal(seal_message(carol, "carol", SEAL_KIND_TEXT,
				      (const uint8_t *)"from carol", 10, wire,
				      sizeof(wire), &len), 0);
	/* Both carry sequence 1; both are new. */
	assert_int_equal(seal_open(p->bob, "carol", wire, len, &p->m), 0);
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	seal_ctx_free(carol);
}

static void every_message_gets_a_fresh_iv(void **state)
{
	struct pair *p = *state;
	uint8_t first[SEAL_MAX_LEN];
	size_t first_len, iv_off = SEAL_HDR_LEN + 5;

	seal_from_alice(p, SEAL_KIND_TEXT, "same words");
	memcpy(first, p->wire, p->len);
	first_len = p->len;
	seal_from_alice(p, SEAL_KIND_TEXT, "same words");
	assert_int_equal(first_len, p->len);
	assert_memory_not_equal(first + iv_off, p->wire + iv_off, SEAL_IV_LEN);
	assert_memory_not_equal(first + iv_off + SEAL_IV_LEN,
				p->wire + iv_off + SEAL_IV_LEN, 16);
}

static void longest_text_round_trips_and_longer_is_refused(void **state)
{
	struct pair *p = *state;
	static uint8_t text[SEAL_TEXT_MAX + 1];

	memset(text, 'x', sizeof(text));
	assert_int_equal(seal_message(p->alice, "alice", SEAL_KIND_TEXT, text,
				      SEAL_TEXT_MAX, p->wire, sizeof(p->wire),
				      &p->len), 0);
	assert_true(p->len <= SEAL_MAX_LEN);
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m), 0);
	assert_int_equal(p->m.len, SEAL_TEXT_MAX);
	assert_int_equal(seal_message(p->alice, "alice", SEAL_KIND_TEXT, text,
				      SEAL_TEXT_MAX + 1, p->wire,
				      sizeof(p->wire), &p->len), -EINVAL);
	assert_int_equal(seal_message(p->alice, "alice", SEAL_KIND_TEXT, text,
				      10, p->wire, 40, &p->len), -ENOSPC);
}

static void refuses_short_key_and_bad_sender(void **state)
{
	struct pair *p = *state;
	struct seal_ctx *c = NULL;
	char longname[SEAL_NAME_MAX + 2];

	assert_int_equal(seal_ctx_new(&c, engine, key_a, SEAL_SECRET_MIN - 1),
			 -EINVAL);
	assert_null(c);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(seal_message(p->alice, longname, SEAL_KIND_TEXT,
				      (const uint8_t *)"x", 1, p->wire,
				      sizeof(p->wire), &p->len), -EINVAL);
	assert_int_equal(seal_message(p->alice, "", SEAL_KIND_TEXT,
				      (const uint8_t *)"x", 1, p->wire,
				      sizeof(p->wire), &p->len), -EINVAL);
}

static void unknown_version_is_reported_as_such(void **state)
{
	struct pair *p = *state;

	seal_from_alice(p, SEAL_KIND_TEXT, "hi");
	p->wire[0] = 2;
	assert_int_equal(seal_open(p->bob, "alice", p->wire, p->len, &p->m),
			 -EPROTONOSUPPORT);
}

static void passphrase_stretching_depends_on_every_byte(void **state)
{
	uint8_t s1[SEAL_SECRET_LEN], s2[SEAL_SECRET_LEN], s3[SEAL_SECRET_LEN];

	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"correct horse", 13, "lobby", s1), 0);
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"correct horse", 13, "lobby", s2), 0);
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"correct horsf", 13, "lobby", s3), 0);
	assert_memory_equal(s1, s2, sizeof(s1));
	assert_memory_not_equal(s1, s3, sizeof(s1));
}

/*
 * As the protocol document says, recomputed with nettle alone: 600,000
 * iterations over the salt label || 0x00 || room.  The same passphrase in
 * another room is another key: no table serves every conversation.
 */
static void passphrase_key_is_pbkdf2_600000_salted_with_the_room(void **state)
{
	static const char label[] = "virtio-cryptodev chat v2 passphrase room";
	static const char pass[] = "correct horse battery staple";
	uint8_t salt[sizeof(label) + 5], want[SEAL_SECRET_LEN];
	uint8_t got[SEAL_SECRET_LEN], other[SEAL_SECRET_LEN];

	memcpy(salt, label, sizeof(label));		/* with its NUL */
	memcpy(salt + sizeof(label), "lobby", 5);
	pbkdf2_hmac_sha256(sizeof(pass) - 1, (const uint8_t *)pass, 600000,
			   sizeof(salt), salt, sizeof(want), want);
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)pass,
						     sizeof(pass) - 1, "lobby",
						     got), 0);
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)pass,
						     sizeof(pass) - 1, "lobby2",
						     other), 0);
	assert_memory_not_equal(got, other, sizeof(got));
}

static void passphrase_under_eight_characters_is_refused(void **state)
{
	uint8_t s[SEAL_SECRET_LEN];

	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"1234567", 7, "lobby", s), -EINVAL);
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"12345678", 8, "lobby", s), 0);
	/* Characters, not bytes: seven accented letters are seven. */
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 14, "lobby", s), -EINVAL);
	/* A room is needed. */
	assert_int_equal(seal_secret_from_passphrase((const uint8_t *)"12345678", 8, "", s), -EINVAL);
}

/*
 * The documented layout, recomputed with nettle alone: keys are
 * HMAC-SHA256(secret, label); the tag is HMAC-SHA256 over everything before
 * it; the ciphertext is AES-256-CBC of kind || text || PKCS#7 padding.
 */
static void layout_matches_the_protocol_document(void **state)
{
	struct pair *p = *state;
	struct hmac_sha256_ctx h;
	struct aes256_ctx aes;
	uint8_t kc[32], km[32], tag[32], iv[16], pt[64];
	const char *text = "layout check";
	size_t tl = strlen(text), ctlen, off;

	hmac_sha256_set_key(&h, sizeof(key_a), key_a);
	hmac_sha256_update(&h, strlen(SEAL_LABEL_CIPHER),
			   (const uint8_t *)SEAL_LABEL_CIPHER);
	hmac_sha256_digest(&h, sizeof(kc), kc);
	hmac_sha256_set_key(&h, sizeof(key_a), key_a);
	hmac_sha256_update(&h, strlen(SEAL_LABEL_MAC),
			   (const uint8_t *)SEAL_LABEL_MAC);
	hmac_sha256_digest(&h, sizeof(km), km);

	seal_from_alice(p, SEAL_KIND_TEXT, text);
	seal_from_alice(p, SEAL_KIND_TEXT, text);	/* sequence 2 */
	assert_int_equal(p->wire[0], 1);		/* version */
	assert_int_equal(p->wire[1], 1);		/* suite */
	/* bytes 2..9 sender id, 10..17 sequence, big-endian */
	assert_memory_equal(p->wire + 10, "\0\0\0\0\0\0\0\2", 8);
	assert_int_equal(p->wire[18], 5);		/* name length */
	assert_memory_equal(p->wire + 19, "alice", 5);
	off = 19 + 5;
	ctlen = p->len - off - 16 - 32;
	assert_int_equal(ctlen, 16);			/* 1 + 12 + 3 padding */

	hmac_sha256_set_key(&h, sizeof(km), km);
	hmac_sha256_update(&h, p->len - 32, p->wire);
	hmac_sha256_digest(&h, sizeof(tag), tag);
	assert_memory_equal(tag, p->wire + p->len - 32, 32);

	aes256_set_decrypt_key(&aes, kc);
	memcpy(iv, p->wire + off, 16);
	cbc_decrypt(&aes, (nettle_cipher_func *)aes256_decrypt, 16, iv, ctlen,
		    pt, p->wire + off + 16);
	assert_int_equal(pt[0], SEAL_KIND_TEXT);
	assert_memory_equal(pt + 1, text, tl);
	assert_memory_equal(pt + 1 + tl, "\3\3\3", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(message_opens_with_the_same_key, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(sealed_bytes_do_not_contain_the_text, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(wrong_key_never_yields_plaintext, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(any_tampered_byte_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(truncated_or_extended_message_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(replayed_message_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(older_message_after_a_newer_one_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(own_message_reflected_back_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(message_relayed_under_another_name_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(senders_are_tracked_separately, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(every_message_gets_a_fresh_iv, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(longest_text_round_trips_and_longer_is_refused, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(refuses_short_key_and_bad_sender, pair_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(unknown_version_is_reported_as_such, pair_setup, pair_teardown),
		cmocka_unit_test(passphrase_stretching_depends_on_every_byte),
		cmocka_unit_test(passphrase_key_is_pbkdf2_600000_salted_with_the_room),
		cmocka_unit_test(passphrase_under_eight_characters_is_refused),
		cmocka_unit_test_setup_teardown(layout_matches_the_protocol_document, pair_setup, pair_teardown),
	};
	const char *device = getenv("VC_TEST_DEVICE");
	char err[256] = "";
	int rc;

	if (device && !*device)
		device = NULL;
	rc = device ? vc_engine_open(&engine, device, err, sizeof(err)) :
		      vc_engine_open_soft(&engine);
	if (rc) {
		fprintf(stderr, "test-chat-seal: cannot open engine %s: %s\n",
			device ? device : "soft", err[0] ? err : strerror(-rc));
		return 1;
	}
	printf("test-chat-seal: crypto engine: %s\n", vc_engine_name(engine));
	rc = cmocka_run_group_tests_name("chat message sealing", tests, NULL,
					 NULL);
	vc_engine_close(engine);
	return rc;
}
