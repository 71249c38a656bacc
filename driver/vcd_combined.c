// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Combined sessions (a cipher mode and a hash/HMAC in one session) and
 * two of cryptodev-linux's three uses of them: CIOCAUTHCRYPT with
 * COP_FLAG_AEAD_TLS_TYPE and with COP_FLAG_AEAD_SRTP_TYPE (the third,
 * CIOCCRYPT, is vcd_crypt_cipher's).  The device does the work (its TLS
 * and SRTP opcodes); here the user's structs are checked the way
 * cryptodev-linux checks them and mapped onto requests.
 */

#include "vcd.h"

/* cryptodev-linux copies TLS associated data into one page. */
#define VCD_TLS_AAD_MAX		PAGE_SIZE
/* How far before the data cryptodev-linux lets SRTP's auth_src start. */
#define VCD_SRTP_MAX_DIFF	256

/*
 * Check @sop's cipher and MAC for a combined session: a cipher mode (never
 * an AEAD, which has its own tag) and a hash or HMAC the device offers.
 */
int vcd_combined_check(struct vcd_device *vcd, const struct session_op *sop,
		       const struct vcd_alg **mac_alg)
{
	const struct vcd_alg *alg = vcd_alg_find(vcd, sop->cipher);
	const struct vcd_alg *mac = vcd_alg_find(vcd, sop->mac);

	if (!alg || alg->kind != VIRTIO_CRYPTODEV_KIND_CIPHER || !mac ||
	    vcd_alg_is_cipher(mac))
		return -EINVAL;
	*mac_alg = mac;
	return 0;
}

/*
 * A TLS record in place in caop->dst: encryption MACs the plaintext (with
 * auth_src, the pseudo header, in front), appends MAC and padding and
 * encrypts; decryption checks padding and MAC (EBADMSG for either) and
 * leaves the plaintext's length in caop->len.
 */
static int vcd_combined_tls(struct vcd_device *vcd, struct vcd_session *sess,
			    struct crypt_auth_op *caop, struct vcd_op *op,
			    u8 *extra)
{
	u32 bs = sess->alg->block_len, len = caop->len, ptlen, iv_out;
	bool decrypt = caop->op == COP_DECRYPT;
	int err;

	if (caop->auth_len > VCD_TLS_AAD_MAX)
		return -EINVAL;
	iv_out = op->extra_len;
	op->opcode = VIRTIO_CRYPTODEV_OP_TLS;
	op->src = caop->src;
	op->src_len = len;
	op->dst = caop->dst;
	if (decrypt) {
		if (!len || len % bs || len < caop->tag_len + (bs > 1))
			return -EINVAL;
		op->dst_len = len;
		op->extra_len += sizeof(__le32);
	} else {
		op->dst_len = len + caop->tag_len +
			      (bs > 1 ? bs - (len + caop->tag_len) % bs : 0);
	}
	err = vcd_exec(vcd, sess, op, op->dst_len + op->extra_len, extra,
		       NULL);
	if (err)
		return err;
	if (!decrypt) {
		caop->len = op->dst_len;
		return 0;
	}
	ptlen = get_unaligned_le32(extra + iv_out);
	/* the device's answer cannot claim more than the record held */
	if (ptlen > len - caop->tag_len - (bs > 1))
		return -EIO;
	caop->len = ptlen;
	return 0;
}

/*
 * An SRTP packet in place: caop->dst (== src) holds the payload, inside the
 * authenticated region auth_src[auth_len] at most 256 bytes from its start.
 * Encryption encrypts the payload, then writes the MAC of the region to
 * caop->tag; decryption checks caop->tag first and decrypts only a packet
 * whose tag matches.
 */
static int vcd_combined_srtp(struct vcd_device *vcd, struct vcd_session *sess,
			     struct crypt_auth_op *caop, struct vcd_op *op,
			     u8 *extra)
{
	bool decrypt = caop->op == COP_DECRYPT;
	u32 iv_out = op->extra_len;
	unsigned long diff;
	int err;

	/* stream modes only: the packet keeps its length */
	if (sess->alg->block_len != 1)
		return -EINVAL;
	if (!caop->auth_src || !caop->dst || !caop->auth_len || !caop->len)
		return -EINVAL;
	diff = (unsigned long)caop->dst - (unsigned long)caop->auth_src;
	if ((unsigned long)caop->dst < (unsigned long)caop->auth_src ||
	    diff > VCD_SRTP_MAX_DIFF || diff > caop->auth_len ||
	    caop->len > caop->auth_len - diff)
		return -EINVAL;
	if (decrypt && caop->tag_len > caop->len)
		return -EINVAL;

	op->opcode = VIRTIO_CRYPTODEV_OP_SRTP;
	op->aad = caop->auth_src;
	op->aad_len = caop->auth_len;
	/* the header's cipher and mac slots carry data_off and data_len */
	op->cipher = diff;
	op->mac = caop->len;
	op->dst = caop->dst;
	op->dst_len = caop->len;
	if (decrypt) {
		op->src = caop->tag;
		op->src_len = caop->tag_len;
	} else {
		op->extra_len += caop->tag_len;
	}
	err = vcd_exec(vcd, sess, op, op->dst_len + op->extra_len, extra,
		       NULL);
	if (err)
		return err;
	if (!decrypt &&
	    copy_to_user(caop->tag, extra + iv_out, caop->tag_len))
		return -EFAULT;
	return 0;
}

/*
 * CIOCAUTHCRYPT with COP_FLAG_AEAD_TLS_TYPE or COP_FLAG_AEAD_SRTP_TYPE.
 * As in cryptodev-linux both work in place (src == dst), tag_len 0 means
 * the MAC's digest size, a NULL iv continues the session's IV, and
 * COP_FLAG_WRITE_IV gives the IV after the operation back.  @caop is
 * updated (len, tag_len) for the caller to write back.
 */
int vcd_combined_authcrypt(struct vcd_file *vf, struct crypt_auth_op *caop)
{
	struct vcd_device *vcd = vf->vcd;
	u8 extra[EALG_MAX_BLOCK_LEN + AALG_MAX_RESULT_LEN];
	struct vcd_op op = { 0 };
	struct vcd_session *sess;
	bool srtp = caop->flags & COP_FLAG_AEAD_SRTP_TYPE;
	int err;

	sess = vcd_session_get(vf, caop->ses);
	if (!sess)
		return -EINVAL;
	err = -EINVAL;
	if (!sess->mac_alg || caop->src != caop->dst)
		goto out_put;
	if (!caop->tag_len)
		caop->tag_len = sess->mac_alg->digest_len;
	if (caop->tag_len > sess->mac_alg->digest_len ||
	    caop->len > vcd->max_len || caop->auth_len > vcd->max_aad_len)
		goto out_put;

	op.session = sess->handle;
	op.tag_len = caop->tag_len;
	if (caop->op == COP_DECRYPT)
		op.flags |= VIRTIO_CRYPTODEV_F_DECRYPT;
	if (caop->iv) {
		op.iv = caop->iv;
		op.iv_len = sess->alg->iv_len;
		if ((caop->flags & COP_FLAG_WRITE_IV) && op.iv_len) {
			op.flags |= VIRTIO_CRYPTODEV_F_IV_OUT;
			op.extra_len = op.iv_len;
		}
	}
	if (!srtp) {
		op.aad = caop->auth_src;
		op.aad_len = caop->auth_len;
	}

	err = vcd_session_lock(vcd, sess);
	if (err)
		goto out_put;
	err = srtp ? vcd_combined_srtp(vcd, sess, caop, &op, extra) :
		     vcd_combined_tls(vcd, sess, caop, &op, extra);
	mutex_unlock(&sess->lock);
	if (err)
		goto out_put;

	if ((op.flags & VIRTIO_CRYPTODEV_F_IV_OUT) &&
	    copy_to_user(caop->iv, extra, op.iv_len))
		err = -EFAULT;
out_put:
	vcd_session_put(sess);
	return err;
}
