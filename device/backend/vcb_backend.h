/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtio-cryptodev backend core: decodes one request (a descriptor chain
 * given as iovecs), validates every field against the wire contract in
 * <virtio_cryptodev.h>, executes it through a vcrypto engine and writes the
 * response.  Plain C, no QEMU types: the QEMU device is thin glue around it,
 * and the unit tests drive it directly.
 *
 * Thread safety: vcb_backend_process() may run on several threads at once
 * for the same backend.  The session table has its own lock, operations on
 * one session are serialized by a per-session lock, and a session destroyed
 * while an operation on it runs is freed only when that operation ends.
 * vcb_backend_new/free/reset are not concurrent with each other.
 *
 * Names here and in vcb_sessions.h / vcb_iov.h carry vcb_ ("virtio-cryptodev
 * backend"); vcd_ belongs to the guest driver, whose struct vcd_session and
 * struct vcd_req are different things.
 */
#ifndef VCB_BACKEND_H
#define VCB_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "virtio_cryptodev.h"

struct vcb_backend;

enum vcb_engine_kind {
	VCB_ENGINE_AUTO,	/* devcrypto when its path opens, else soft */
	VCB_ENGINE_SOFT,	/* nettle, in this process */
	VCB_ENGINE_DEVCRYPTO,	/* cryptodev-linux ioctls on a device path */
};

#define VCB_DEFAULT_DEVCRYPTO_PATH	"/dev/crypto"

/* Defaults and bounds of the tunable limits (0 in vcb_limits = default). */
#define VCB_DEFAULT_QUEUES		2
/* a server holds one per cipher context: thousands (docs/driver.md) */
#define VCB_DEFAULT_MAX_SESSIONS	16384
#define VCB_MAX_SESSIONS_LIMIT		65536
#define VCB_DEFAULT_MAX_DATA_LEN	(1u << 20)
#define VCB_MIN_DATA_LEN		4096
#define VCB_MAX_DATA_LEN_LIMIT		(64u << 20)

/* Fixed limits, advertised in the config space. */
#define VCB_MAX_KEY_LEN			64	/* cryptodev's cipher key limit */
#define VCB_MAX_MAC_KEY_LEN		512	/* cryptodev's HMAC key limit */
#define VCB_MAX_AAD_LEN			65536
#define VCB_MAX_IV_LEN			16
#define VCB_MAX_TAG_LEN			16	/* GCM: see vc_aead_tag_len_ok */
#define VCB_MAX_DIGEST_LEN		64

struct vcb_limits {
	uint32_t num_queues;	/* advertised; the device creates them */
	uint32_t max_sessions;
	uint32_t max_data_len;
};

/*
 * Create a backend.  kind AUTO tries the devcrypto path and falls back to
 * soft; DEVCRYPTO fails when the path does not open, with err "engine
 * devcrypto: PATH: reason".  devcrypto_path NULL means
 * VCB_DEFAULT_DEVCRYPTO_PATH; limits NULL or 0 fields mean defaults.
 * Returns 0 or -errno, with a sentence in err that a caller can show as it
 * is.
 */
int vcb_backend_new(struct vcb_backend **out, enum vcb_engine_kind kind,
		    const char *devcrypto_path, const struct vcb_limits *limits,
		    char *err, size_t errlen);
void vcb_backend_free(struct vcb_backend *b);

/* Fill the config space (little-endian, as the guest reads it). */
void vcb_backend_config(const struct vcb_backend *b,
			struct virtio_cryptodev_config *cfg);

/* The engine in use: VCB_ENGINE_SOFT or VCB_ENGINE_DEVCRYPTO. */
enum vcb_engine_kind vcb_backend_engine(const struct vcb_backend *b);
/* "soft (nettle ...)" or "cryptodev (/dev/crypto)", for messages. */
const char *vcb_backend_engine_name(const struct vcb_backend *b);

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
ssize_t vcb_backend_process(struct vcb_backend *b,
			    const struct iovec *out, unsigned out_num,
			    const struct iovec *in, unsigned in_num,
			    uint32_t *status);

/*
 * How a caller wants one request run (vcb_backend_run):
 *
 * VCB_RUN_NOWAIT: do not wait for a session lock another thread holds;
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
#define VCB_RUN_NOWAIT		(1u << 0)

struct vcb_run_ctl {
	unsigned flags;
	const unsigned *generation;	/* NULL: never dropped */
	unsigned expected;
};

/* vcb_backend_process with a vcb_run_ctl (NULL: wait, never drop). */
ssize_t vcb_backend_run(struct vcb_backend *b,
			const struct iovec *out, unsigned out_num,
			const struct iovec *in, unsigned in_num,
			const struct vcb_run_ctl *ctl, uint32_t *status);

/*
 * Requests that needed a host scratch buffer so far (split data, AEAD
 * decryption): for tests of the contiguous fast paths.
 */
unsigned long vcb_backend_scratch_uses(struct vcb_backend *b);

/* Destroy every session (device reset). */
void vcb_backend_reset(struct vcb_backend *b);

/* Sessions alive now (for tracing and tests). */
unsigned vcb_backend_session_count(struct vcb_backend *b);

/* "OK", "BADMSG", ... for a VIRTIO_CRYPTODEV_S_* code. */
const char *vcb_status_name(uint32_t status);

#endif /* VCB_BACKEND_H */
