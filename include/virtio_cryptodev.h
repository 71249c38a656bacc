/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-cryptodev wire contract: the ONE header shared by the guest driver
 * (driver/), the QEMU device (device/qemu/), the backend core
 * (device/backend/) and the tests.  docs/protocol.md explains it in prose;
 * the two must agree.
 *
 * Every multi-byte field is little-endian and fixed-width.  Algorithm numbers
 * are those of the cryptodev-linux ABI (enum cryptodev_crypto_op_t), so the
 * guest driver passes them through unchanged and the device validates them.
 */
#ifndef _VIRTIO_CRYPTODEV_H
#define _VIRTIO_CRYPTODEV_H

#include <linux/types.h>

/*
 * Device id 63 (PCI device id 0x1040 + 63 = 0x107f).  The VIRTIO spec and
 * Linux's virtio_ids.h assign ids upward from 1 and have reached the mid
 * forties; 63 is the last id a modern virtio-pci device can have (0x1040..
 * 0x107f), the one least likely ever to be assigned.  (Id 30, used by the
 * designs this project replaces, is the assigned video encoder.)
 */
#define VIRTIO_ID_CRYPTODEV		63
#define VIRTIO_CRYPTODEV_PCI_DEVICE_ID	(0x1040 + VIRTIO_ID_CRYPTODEV)

/* Limits the device never exceeds in its config space. */
#define VIRTIO_CRYPTODEV_MAX_QUEUES	16
#define VIRTIO_CRYPTODEV_MAX_SEGMENTS	1024	/* descriptors per request */

/*
 * Config space, read-only to the driver.  A request beyond max_data_len,
 * max_key_len, max_mac_key_len or max_aad_len gets VIRTIO_CRYPTODEV_S_INVAL.
 * A chain of more than max_segments descriptors, an empty (zero-length)
 * descriptor, or a device-writable part shorter than a response or of
 * 4 GiB or more is a broken ring: the device (QEMU's virtio core for the
 * first two) answers with virtio_error -- DEVICE_NEEDS_RESET -- and no
 * response.
 */
struct virtio_cryptodev_config {
	__le32 num_queues;	/* request queues "req.0".."req.N-1", >= 1 */
	__le32 max_sessions;	/* sessions alive at once on this device */
	__le32 max_data_len;	/* largest src_len of one request */
	__le32 max_key_len;	/* largest cipher key */
	__le32 max_mac_key_len;	/* largest HMAC key */
	__le32 max_aad_len;	/* largest AEAD associated data */
	__le32 max_segments;	/* most descriptors (out + in) in one request */
	__le32 reserved;
	__u8 algorithms[16];	/* bit n (byte n/8, bit n%8): algorithm n offered */
};

/* Opcodes. */
#define VIRTIO_CRYPTODEV_OP_CREATE_SESSION	1
#define VIRTIO_CRYPTODEV_OP_DESTROY_SESSION	2
#define VIRTIO_CRYPTODEV_OP_CIPHER		3	/* on a cipher session */
#define VIRTIO_CRYPTODEV_OP_HASH		4	/* on a hash/HMAC session */
#define VIRTIO_CRYPTODEV_OP_AEAD		5	/* on an AEAD session */
#define VIRTIO_CRYPTODEV_OP_CLONE_HASH		6	/* hash state into session */
#define VIRTIO_CRYPTODEV_OP_HASH_CIPHER		7	/* on a combined session */
#define VIRTIO_CRYPTODEV_OP_TLS			8	/* on a combined session */
#define VIRTIO_CRYPTODEV_OP_SRTP		9	/* on a combined session */

/* Request flags. */
#define VIRTIO_CRYPTODEV_F_DECRYPT	(1u << 0)	/* all but HASH */
#define VIRTIO_CRYPTODEV_F_IV_OUT	(1u << 1)	/* CIPHER, HASH_CIPHER,
							   TLS, SRTP: next IV */
#define VIRTIO_CRYPTODEV_F_HASH_UPDATE	(1u << 2)	/* HASH, HASH_CIPHER:
							   no digest yet */
#define VIRTIO_CRYPTODEV_F_HASH_RESET	(1u << 3)	/* HASH, HASH_CIPHER:
							   start over first */
#define VIRTIO_CRYPTODEV_F_ALL		0xfu

/*
 * A request is one descriptor chain:
 *
 *   device-readable:  struct virtio_cryptodev_req
 *                     key[key_len] mac_key[mac_key_len] iv[iv_len]
 *                     aad[aad_len] src[src_len]
 *   device-writable:  output bytes (see below)
 *                     struct virtio_cryptodev_resp
 *
 * The bytes may be split over non-empty descriptors anywhere; only the
 * order and the totals count.  Fields an opcode does not use must be zero.  Output bytes:
 *
 *   CREATE_SESSION   none (the handle is in resp.session)
 *   DESTROY_SESSION  none
 *   CIPHER           dst[src_len], then iv[iv size] if F_IV_OUT
 *   HASH             digest[digest size] unless F_HASH_UPDATE, else none
 *   AEAD             encrypt: dst[src_len + tag_len] (ciphertext, tag)
 *                    decrypt: dst[src_len - tag_len] (src_len includes tag)
 *   CLONE_HASH       none
 *   HASH_CIPHER      dst[src_len], iv[iv size] if F_IV_OUT, then
 *                    digest[MAC's digest size] unless F_HASH_UPDATE
 *   TLS              encrypt: record[src_len + tag_len + pad], then
 *                             iv[iv size] if F_IV_OUT
 *                    decrypt: record[src_len] (decrypted: plaintext, MAC,
 *                             padding), iv[iv size] if F_IV_OUT, then
 *                             __le32 plaintext length
 *   SRTP             dst[data_len], iv[iv size] if F_IV_OUT, then on
 *                    encrypt tag[tag_len]
 *
 * The device-writable part must be exactly output + sizeof(resp) long.
 * CIPHER with iv_len == 0 continues from the IV the session's previous
 * operation left (cryptodev-linux chaining); iv_len != 0 must be the mode's
 * IV size.
 *
 * CLONE_HASH (cryptodev-linux's CIOCCPHASH) copies the running hash state of
 * another session into `session`: src is 8 bytes, the source's handle
 * (__le64).  Both must be hash/HMAC sessions of the same algorithm; an HMAC
 * destination keeps its own key for the outer hash.
 *
 * Combined sessions (CREATE_SESSION with a cipher mode and a hash/HMAC)
 * take the three opcodes of cryptodev-linux's combined uses; iv_len 0
 * continues the session's IV there too, and tag_len is 1..the MAC's digest
 * size.  docs/protocol.md has the rules:
 *   HASH_CIPHER  MAC the plaintext and cipher it; the MAC runs on across
 *                requests as HASH's does (F_HASH_UPDATE, F_HASH_RESET)
 *   TLS          aad is the MAC's pseudo header; encrypt pads with
 *                pad = B - (src_len + tag_len) % B bytes for a block size B
 *                above 1 (none for B = 1); decrypt takes a record of a
 *                multiple of B and at least tag_len + (B > 1) bytes and
 *                writes nothing on S_BADMSG (bad padding or MAC, alike)
 *   SRTP         a stream mode only; aad is the authenticated region and
 *                its data_len bytes at data_off the data; encrypt:
 *                src_len 0; decrypt: src is the received tag (src_len ==
 *                tag_len), checked before anything is decrypted
 */
#define VIRTIO_CRYPTODEV_CLONE_SRC_LEN	8
struct virtio_cryptodev_req {
	__le32 opcode;
	__le32 flags;
	__le64 session;		/* handle from CREATE_SESSION; 0 there */
	union {
		__le32 cipher;	/* CREATE_SESSION: algorithm, or 0 */
		__le32 data_off;	/* SRTP: where the data start in aad */
	};
	union {
		__le32 mac;	/* CREATE_SESSION: algorithm, or 0 */
		__le32 data_len;	/* SRTP: how many bytes of aad are data */
	};
	__le32 key_len;
	__le32 mac_key_len;
	__le32 iv_len;
	__le32 aad_len;
	__le32 src_len;
	__le32 tag_len;		/* AEAD: VIRTIO_CRYPTODEV_TAG_LEN_OK */
};

/*
 * GCM tag lengths: 4, 8 or 12..16 bytes (NIST SP 800-38D; what Linux's
 * crypto_gcm_setauthsize accepts).  Others get S_INVAL: a host whose engine
 * is cryptodev-linux must never see them.
 */
#define VIRTIO_CRYPTODEV_TAG_LEN_OK(n) \
	((n) == 4 || (n) == 8 || ((n) >= 12 && (n) <= 16))

/* Status codes, in resp.status. */
#define VIRTIO_CRYPTODEV_S_OK		0
#define VIRTIO_CRYPTODEV_S_BADMSG	1	/* AEAD tag mismatch; no output */
#define VIRTIO_CRYPTODEV_S_INVAL	2	/* a field out of range */
#define VIRTIO_CRYPTODEV_S_NOTSUPP	3	/* algorithm or opcode not offered */
#define VIRTIO_CRYPTODEV_S_NOSESSION	4	/* unknown handle, or wrong kind */
#define VIRTIO_CRYPTODEV_S_NOSPC	5	/* session limit reached */
#define VIRTIO_CRYPTODEV_S_NOMEM	6	/* host out of memory */
#define VIRTIO_CRYPTODEV_S_IOERR	7	/* the host engine failed */

struct virtio_cryptodev_resp {
	__le64 session;		/* CREATE_SESSION: the new handle */
	__le32 status;		/* VIRTIO_CRYPTODEV_S_* */
	__le32 len;		/* output bytes written before resp */
};

_Static_assert(sizeof(struct virtio_cryptodev_config) == 48, "config layout");
_Static_assert(sizeof(struct virtio_cryptodev_req) == 48, "req layout");
_Static_assert(sizeof(struct virtio_cryptodev_resp) == 16, "resp layout");

#endif /* _VIRTIO_CRYPTODEV_H */
