/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-cryptodev backend core: decodes one request (a descriptor chain
 * given as iovecs), validates every field against the wire contract in
 * <virtio_cryptodev.h>, executes it through a vcrypto engine and writes the
 * response.  Plain C, no QEMU types: the QEMU device is thin glue around it,
 * and the unit tests drive it directly.
 *
 * Thread safety: vcd_backend_process() may run on several threads at once
 * for the same backend.  The session table has its own lock, operations on
 * one session are serialized by a per-session lock, and a session destroyed
 * while an operation on it runs is freed only when that operation ends.
 * vcd_backend_new/free/reset are not concurrent with each other.
 */
#ifndef VCD_BACKEND_H
#define VCD_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "virtio_cryptodev.h"

struct vcd_backend;

enum vcd_engine_kind {
	VCD_ENGINE_AUTO,	/* devcrypto when its path opens, else soft */
	VCD_ENGINE_SOFT,	/* nettle, in this process */
	VCD_ENGINE_DEVCRYPTO,	/* cryptodev-linux ioctls on a device path */
};

#define VCD_DEFAULT_DEVCRYPTO_PATH	"/dev/crypto"

/* Defaults and bounds of the tunable limits (0 in vcd_limits = default). */
#define VCD_DEFAULT_QUEUES		2
#define VCD_DEFAULT_MAX_SESSIONS	1024
#define VCD_MAX_SESSIONS_LIMIT		65536
#define VCD_DEFAULT_MAX_DATA_LEN	(1u << 20)
#define VCD_MIN_DATA_LEN		4096
#define VCD_MAX_DATA_LEN_LIMIT		(64u << 20)

/* Fixed limits, advertised in the config space. */
#define VCD_MAX_KEY_LEN			64	/* cryptodev's cipher key limit */
#define VCD_MAX_MAC_KEY_LEN		512	/* cryptodev's HMAC key limit */
#define VCD_MAX_AAD_LEN			65536
#define VCD_MAX_IV_LEN			16
#define VCD_MAX_TAG_LEN			16	/* GCM: see vc_aead_tag_len_ok */
#define VCD_MAX_DIGEST_LEN		64

struct vcd_limits {
	uint32_t num_queues;	/* advertised; the device creates them */
	uint32_t max_sessions;
	uint32_t max_data_len;
};

/*
 * Create a backend.  kind AUTO tries the devcrypto path and falls back to
 * soft; DEVCRYPTO fails when the path does not open.  devcrypto_path NULL
 * means VCD_DEFAULT_DEVCRYPTO_PATH; limits NULL or 0 fields mean defaults.
 * Returns 0 or -errno, with a sentence in err.
 */
int vcd_backend_new(struct vcd_backend **out, enum vcd_engine_kind kind,
		    const char *devcrypto_path, const struct vcd_limits *limits,
		    char *err, size_t errlen);
void vcd_backend_free(struct vcd_backend *b);

/* Fill the config space (little-endian, as the guest reads it). */
void vcd_backend_config(const struct vcd_backend *b,
			struct virtio_cryptodev_config *cfg);

/* The engine in use: VCD_ENGINE_SOFT or VCD_ENGINE_DEVCRYPTO. */
enum vcd_engine_kind vcd_backend_engine(const struct vcd_backend *b);
/* "soft (nettle ...)" or "cryptodev (/dev/crypto)", for messages. */
const char *vcd_backend_engine_name(const struct vcd_backend *b);

/*
 * Execute one request.  out/out_num is the device-readable part of the
 * chain, in/in_num the device-writable part.  Writes the output bytes and
 * the struct virtio_cryptodev_resp at the tail of the in part, and returns
 * the number of bytes of the in part (the length to push as used).  A
 * malformed but answerable request gets a status code, never a failure.
 *
 * Returns -EPROTO when no response can be written (the in part is shorter
 * than a response, or 4 GiB or longer, so that a 32-bit used length cannot
 * describe it): the ring is broken, and the device must report it
 * (virtio_error) instead of answering.
 *
 * status, if not NULL, receives the status written (for tracing).
 */
ssize_t vcd_backend_process(struct vcd_backend *b,
			    const struct iovec *out, unsigned out_num,
			    const struct iovec *in, unsigned in_num,
			    uint32_t *status);

/*
 * How a caller wants one request run (vcd_backend_run):
 *
 * VCD_RUN_NOWAIT: do not wait for a session lock another thread holds;
 * return -EAGAIN instead, having written nothing to the in part, so that
 * the caller can run the request again elsewhere.  For callers that must
 * never block (QEMU's vCPU threads and main loop, with the BQL held).
 *
 * generation/expected: when *generation (read atomically) is no longer
 * expected -- the device or the queue was reset since the request was
 * taken -- the request is dropped with -ECANCELED, having written nothing.
 * Checked before any work and again once the session lock is held, since a
 * request may wait there behind a long one.
 */
#define VCD_RUN_NOWAIT		(1u << 0)

struct vcd_run_ctl {
	unsigned flags;
	const unsigned *generation;	/* NULL: never dropped */
	unsigned expected;
};

/* vcd_backend_process with a vcd_run_ctl (NULL: wait, never drop). */
ssize_t vcd_backend_run(struct vcd_backend *b,
			const struct iovec *out, unsigned out_num,
			const struct iovec *in, unsigned in_num,
			const struct vcd_run_ctl *ctl, uint32_t *status);

/*
 * Requests that needed a host scratch buffer so far (split data, AEAD
 * decryption): for tests of the contiguous fast paths.
 */
unsigned long vcd_backend_scratch_uses(struct vcd_backend *b);

/* Destroy every session (device reset). */
void vcd_backend_reset(struct vcd_backend *b);

/* Sessions alive now (for tracing and tests). */
unsigned vcd_backend_session_count(struct vcd_backend *b);

/* "OK", "BADMSG", ... for a VIRTIO_CRYPTODEV_S_* code. */
const char *vcd_status_name(uint32_t status);

#endif /* VCD_BACKEND_H */
