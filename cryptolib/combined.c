/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Combined sessions: a cipher and a MAC under one session, with the three
 * uses cryptodev-linux gives them --
 *
 *   hash-n-crypt  CIOCCRYPT: MAC the plaintext, cipher it; the MAC runs on
 *                 across calls like a hash session's
 *   TLS record    MAC-then-encrypt with TLS 1.0-1.2 CBC padding
 *   SRTP          encrypt-then-MAC with a stream mode
 *
 * A combined session is composed of two sessions of the same engine, a
 * cipher and a hash/HMAC, and every step goes through the engines' ordinary
 * cipher and hash operations.  So both engines serve combined sessions with
 * no code of their own, and a host /dev/crypto is asked only for what
 * every cryptodev device does (never for its own combined modes, whose
 * corners differ between versions).
 */
#include <errno.h>
#include <string.h>

#include "engine.h"
#include "vcrypto.h"

/* Largest TLS CBC padding: the length byte says at most 255 more. */
#define VC_TLS_MAX_PAD		256

int vc_combined_new(struct vc_engine *e, const struct vc_session_params *p,
		    struct vc_session **out)
{
	const struct vc_alg_info *calg = vc_alg_find(p->cipher);
	struct vc_session_params cp = { 0 }, mp = { 0 };
	struct vc_session *cs, *ms;
	int ret;

	/* An AEAD has its own MAC: cryptodev-linux pairs plain modes only. */
	if (!calg || calg->kind != VIRTIO_CRYPTODEV_KIND_CIPHER ||
	    !vc_alg_is_hash(p->mac))
		return -EINVAL;
	if (!vc_alg_key_ok(p->cipher, p->keylen) || !p->key)
		return -EINVAL;
	if (!vc_alg_key_ok(p->mac, p->mackeylen) ||
	    (p->mackeylen && !p->mackey))
		return -EINVAL;

	cp.cipher = p->cipher;
	cp.key = p->key;
	cp.keylen = p->keylen;
	mp.mac = p->mac;
	mp.mackey = p->mackey;
	mp.mackeylen = p->mackeylen;
	ret = e->ops->session_new(e, &cp, calg, &cs);
	if (ret)
		return ret;
	ret = e->ops->session_new(e, &mp, vc_alg_find(p->mac), &ms);
	if (ret) {
		e->ops->session_free(cs);
		return ret;
	}
	cs->mac = ms;
	*out = cs;
	return 0;
}

static int vc_is_combined(const struct vc_session *s)
{
	return s && s->mac;
}

size_t vc_session_mac_size(const struct vc_session *s)
{
	return vc_is_combined(s) ? s->mac->alg->digest_size : 0;
}

/* The engines' operations, arguments already checked. */
static int vc_c_cipher(struct vc_session *s, int op, const uint8_t *src,
		       uint8_t *dst, size_t len, const uint8_t *iv,
		       uint8_t *iv_out)
{
	return s->engine->ops->cipher(s, op, src, dst, len, iv, iv_out);
}

static int vc_c_hash(struct vc_session *s, const uint8_t *src, size_t len,
		     unsigned flags, uint8_t *digest)
{
	return s->mac->engine->ops->hash(s->mac, src, len, flags, digest);
}

/* MAC of a || b || c as one message, started afresh. */
static int vc_c_mac3(struct vc_session *s, const uint8_t *a, size_t alen,
		     const uint8_t *b, size_t blen, const uint8_t *c,
		     size_t clen, uint8_t *md)
{
	int ret;

	ret = vc_c_hash(s, a, alen, COP_FLAG_RESET | COP_FLAG_UPDATE, NULL);
	if (!ret)
		ret = vc_c_hash(s, b, blen, COP_FLAG_UPDATE, NULL);
	if (!ret)
		ret = vc_c_hash(s, c, clen, COP_FLAG_UPDATE | COP_FLAG_FINAL,
				md);
	return ret;
}

int vc_hash_n_crypt(struct vc_session *s, int op, const uint8_t *src,
		    uint8_t *dst, size_t len, const uint8_t *iv,
		    uint8_t *iv_out, unsigned flags, uint8_t *digest)
{
	int finish, ret;

	if (!vc_is_combined(s) || (op != COP_ENCRYPT && op != COP_DECRYPT))
		return -EINVAL;
	if (!vc_len_is_blocks(len, s->alg->block_size) || (len && (!src || !dst)))
		return -EINVAL;
	flags &= COP_FLAG_UPDATE | COP_FLAG_FINAL | COP_FLAG_RESET;
	finish = !(flags & COP_FLAG_UPDATE) || (flags & COP_FLAG_FINAL);
	if (finish && !digest)
		return -EINVAL;
	/* cryptodev-linux MACs the plaintext: before encrypting... */
	if (op == COP_ENCRYPT) {
		ret = vc_c_hash(s, src, len, flags, digest);
		if (!ret)
			ret = vc_c_cipher(s, op, src, dst, len, iv, iv_out);
		return ret;
	}
	/* ...and after decrypting. */
	ret = vc_c_cipher(s, op, src, dst, len, iv, iv_out);
	if (!ret)
		ret = vc_c_hash(s, dst, len, flags, digest);
	return ret;
}

static int vc_tag_len(const struct vc_session *s, size_t *taglen)
{
	if (*taglen == 0)
		*taglen = s->mac->alg->digest_size;
	return *taglen <= s->mac->alg->digest_size ? 0 : -EINVAL;
}

size_t vc_tls_padding(const struct vc_session *s, size_t len, size_t taglen)
{
	size_t bs = s->alg->block_size;

	if (taglen == 0)
		taglen = vc_session_mac_size(s);
	return bs > 1 ? bs - (len + taglen) % bs : 0;
}

/* All ones when a < b, else 0; a and b below 2^(bits - 1). */
static size_t vc_ct_lt(size_t a, size_t b)
{
	return 0 - ((a - b) >> (sizeof(size_t) * 8 - 1));
}

static size_t vc_ct_is_zero(size_t a)
{
	return vc_ct_lt(a, 1);
}

/*
 * The TLS CBC padding at the end of rec[len] (1 + its length byte, each
 * byte that value) leaving at least room bytes before it: its length, or 0
 * when it is bad.  The bytes looked at and the work done do not depend on
 * the padding, so its timing says nothing about the plaintext.
 */
static size_t vc_tls_pad_len(const uint8_t *rec, size_t len, size_t room)
{
	size_t p = rec[len - 1], scan, i, bad = 0, good;

	scan = len < VC_TLS_MAX_PAD ? len : VC_TLS_MAX_PAD;
	for (i = 1; i < scan; i++)
		bad |= vc_ct_lt(i, p + 1) & (size_t)(rec[len - 1 - i] ^ p);
	good = vc_ct_lt(p + room, len) & vc_ct_is_zero(bad);
	return good & (p + 1);
}

int vc_tls_record(struct vc_session *s, int op, const uint8_t *iv,
		  uint8_t *iv_out, const uint8_t *aad, size_t aadlen,
		  const uint8_t *src, size_t len, uint8_t *dst, size_t taglen,
		  size_t *outlen)
{
	uint8_t md[VC_MAX_DIGEST], junk[VC_MAX_DIGEST];
	size_t bs, pad, total, padlen, maclen;
	int ret, diff;

	if (!vc_is_combined(s) || !outlen || !dst ||
	    (op != COP_ENCRYPT && op != COP_DECRYPT))
		return -EINVAL;
	if (vc_tag_len(s, &taglen) || (aadlen && !aad) || (len && !src))
		return -EINVAL;
	*outlen = 0;
	bs = s->alg->block_size;
	if (op == COP_ENCRYPT) {
		/* MAC(header || plaintext), then pad, then encrypt it all. */
		pad = vc_tls_padding(s, len, taglen);
		total = len + taglen + pad;
		ret = vc_c_mac3(s, aad, aadlen, src, len, NULL, 0, md);
		if (ret)
			return ret;
		if (len && src != dst)
			memmove(dst, src, len);
		memcpy(dst + len, md, taglen);
		memset(dst + len + taglen, (int)(pad - 1), pad);
		ret = vc_c_cipher(s, op, dst, dst, total, iv, iv_out);
		if (ret)
			return ret;
		*outlen = total;
		return 0;
	}

	/* A record too short for MAC and padding is refused before work. */
	if (len % bs || len < taglen + (bs > 1))
		return -EINVAL;
	ret = vc_c_cipher(s, op, src, dst, len, iv, iv_out);
	if (ret)
		return ret;
	/*
	 * Bad padding and a bad MAC look the same from outside (one EBADMSG),
	 * and bad padding still has the MAC computed, over the record as if
	 * unpadded; then the bytes the padding hid are hashed too, into a
	 * digest thrown away, so that the hashing work stays about the same
	 * whatever the padding (a lesser form of the Lucky Thirteen defence:
	 * block boundaries still show).
	 */
	padlen = bs > 1 ? vc_tls_pad_len(dst, len, taglen) : 0;
	maclen = len - taglen - padlen;
	ret = vc_c_mac3(s, aad, aadlen, dst, maclen, NULL, 0, md);
	if (!ret)
		ret = vc_c_hash(s, dst + maclen + taglen, padlen,
				COP_FLAG_RESET | COP_FLAG_FINAL, junk);
	if (ret)
		goto fail;
	diff = vc_memcmp_ct(md, dst + maclen, taglen);
	if (diff | (int)(vc_ct_is_zero(padlen) & (bs > 1))) {
		ret = -EBADMSG;
		goto fail;
	}
	*outlen = maclen;
	return 0;
fail:
	/* Never leave unauthenticated plaintext behind. */
	explicit_bzero(dst, len);
	return ret;
}

int vc_srtp(struct vc_session *s, int op, const uint8_t *iv,
	    uint8_t *iv_out, const uint8_t *auth, size_t authlen,
	    size_t data_off, size_t data_len, uint8_t *dst, uint8_t *tag,
	    size_t taglen)
{
	uint8_t md[VC_MAX_DIGEST];
	const uint8_t *data;
	int ret;

	if (!vc_is_combined(s) || (op != COP_ENCRYPT && op != COP_DECRYPT))
		return -EINVAL;
	/* SRTP needs a stream mode: the packet keeps its length. */
	if (s->alg->block_size != 1 || vc_tag_len(s, &taglen) || !tag)
		return -EINVAL;
	if (data_off > authlen || data_len > authlen - data_off ||
	    (authlen && !auth) || (data_len && !dst))
		return -EINVAL;
	data = auth + data_off;
	if (op == COP_ENCRYPT) {
		/* Encrypt, then MAC the region with the ciphertext in it. */
		ret = vc_c_cipher(s, op, data, dst, data_len, iv, iv_out);
		if (!ret)
			ret = vc_c_mac3(s, auth, data_off, dst, data_len,
					data + data_len,
					authlen - data_off - data_len, md);
		if (!ret)
			memcpy(tag, md, taglen);
		return ret;
	}
	/* Verify first: nothing is decrypted for a forged packet. */
	ret = vc_c_mac3(s, auth, authlen, NULL, 0, NULL, 0, md);
	if (ret)
		return ret;
	if (vc_memcmp_ct(md, tag, taglen))
		return -EBADMSG;
	return vc_c_cipher(s, op, data, dst, data_len, iv, iv_out);
}
