// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-cipher: AES-128-CBC encryption throughput inside a guest, through
 * one of four paths, so they can be compared side by side in one boot:
 *
 *   cryptodev  the cryptodev ioctl API on a device node (our driver)
 *   afalg      the kernel crypto API through AF_ALG, bound to one driver
 *              (virtio_crypto_aes_cbc: QEMU's stock virtio-crypto device;
 *              cbc-aes-aesni: the guest kernel's AES-NI code)
 *   nettle     nettle in the guest, its AES-128-CBC entry point (the one
 *              that uses AES-NI, not the generic per-block cbc_encrypt)
 *   openssl    OpenSSL's EVP interface in the guest
 *
 * Software peers chain the IV from one request to the next, as `openssl
 * speed` does: that is their best case, with no per-request setup.
 *
 * For each request size it runs PROCS processes for SECONDS and prints one
 * line per size:  RESULT label size procs ops_per_s MB_per_s
 * (label: --label, by default the path's name).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_alg.h>
#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <openssl/evp.h>

#include <crypto/cryptodev.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

enum bench_path { PATH_CRYPTODEV, PATH_AFALG, PATH_NETTLE, PATH_OPENSSL };

static const char *const bench_path_names[] = {
	[PATH_CRYPTODEV] = "cryptodev", [PATH_AFALG] = "afalg",
	[PATH_NETTLE] = "nettle", [PATH_OPENSSL] = "openssl",
};

struct bench_opts {
	enum bench_path path;
	const char *device;
	const char *afalg_driver;
	const char *label;
	size_t afalg_chunk;	/* 0: each request in one piece */
	double seconds;
	int procs;
};

static const uint8_t bench_key[16] = "0123456789abcdef";

/* One worker's state: set up once, then encrypt(len) repeatedly. */
struct bench_worker {
	struct bench_opts *o;
	int fd;			/* cryptodev file or AF_ALG operation socket */
	uint32_t ses;
	struct aes128_ctx aes;
	EVP_CIPHER_CTX *evp;
	uint8_t *src, *dst;
	uint8_t iv[16];
};

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_setup(struct bench_worker *w, size_t maxlen)
{
	w->src = aligned_alloc(4096, maxlen);
	w->dst = aligned_alloc(4096, maxlen);
	if (!w->src || !w->dst)
		return -ENOMEM;
	memset(w->src, 0x5a, maxlen);
	memset(w->iv, 0, sizeof(w->iv));

	switch (w->o->path) {
	case PATH_CRYPTODEV: {
		struct session_op sess = {
			.cipher = CRYPTO_AES_CBC,
			.keylen = sizeof(bench_key),
			.key = (uint8_t *)bench_key,
		};

		w->fd = open(w->o->device, O_RDWR | O_CLOEXEC);
		if (w->fd < 0)
			return -errno;
		if (ioctl(w->fd, CIOCGSESSION, &sess))
			return -errno;
		w->ses = sess.ses;
		return 0;
	}
	case PATH_AFALG: {
		struct sockaddr_alg sa = { .salg_family = AF_ALG };
		int tfm, bufsize = 2 * (int)maxlen;

		strcpy((char *)sa.salg_type, "skcipher");
		snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s",
			 w->o->afalg_driver);
		tfm = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (tfm < 0)
			return -errno;
		if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
		    setsockopt(tfm, SOL_ALG, ALG_SET_KEY, bench_key,
			       sizeof(bench_key)))
			return -errno;
		w->fd = accept(tfm, NULL, 0);
		if (w->fd < 0)
			return -errno;
		/*
		 * AF_ALG takes no more data per request than the socket's send
		 * buffer (about 200 KiB by default) and blocks the sender
		 * beyond it, and returns no more than its receive buffer per
		 * read; room for the largest request keeps each one a single
		 * kernel crypto request.  Root may exceed [wr]mem_max.  The
		 * default is left alone when it is room enough: smaller
		 * buffers than a page slow every request down.
		 */
		if (bufsize > (256 << 10) &&
		    ((setsockopt(w->fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsize,
				sizeof(bufsize)) &&
		     setsockopt(w->fd, SOL_SOCKET, SO_SNDBUF, &bufsize,
				sizeof(bufsize))) ||
		    (setsockopt(w->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize,
				sizeof(bufsize)) &&
		     setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &bufsize,
				sizeof(bufsize)))))
			return -errno;
		return 0;
	}
	case PATH_NETTLE:
		aes128_set_encrypt_key(&w->aes, bench_key);
		return 0;
	case PATH_OPENSSL:
		w->evp = EVP_CIPHER_CTX_new();
		if (!w->evp ||
		    !EVP_EncryptInit_ex(w->evp, EVP_aes_128_cbc(), NULL,
					bench_key, w->iv) ||
		    !EVP_CIPHER_CTX_set_padding(w->evp, 0))
			return -EIO;
		return 0;
	}
	return -EINVAL;
}

/*
 * One AF_ALG request: the operation and IV with the first piece of data,
 * then the data in pieces of at most --afalg-chunk bytes, each read back
 * before the next is sent (MSG_MORE keeps them one CBC chain).  A driver
 * that cannot take a whole large request in one go gets it in pieces.
 */
static int bench_afalg_encrypt(struct bench_worker *w, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t)) +
		  CMSG_SPACE(sizeof(struct af_alg_iv) + 16)] = { 0 };
	size_t chunk = w->o->afalg_chunk ? w->o->afalg_chunk : len;
	struct iovec iov;
	struct msghdr msg = {
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	struct af_alg_iv *aiv;

	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(c) = ALG_OP_ENCRYPT;
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(sizeof(*aiv) + 16);
	aiv = (struct af_alg_iv *)CMSG_DATA(c);
	aiv->ivlen = 16;
	memcpy(aiv->iv, w->iv, 16);
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		iov.iov_base = w->src + off;
		iov.iov_len = n;
		if (sendmsg(w->fd, &msg, off + n < len ? MSG_MORE : 0) != (ssize_t)n)
			return errno ? -errno : -EIO;
		if (read(w->fd, w->dst + off, n) != (ssize_t)n)
			return errno ? -errno : -EIO;
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
	}
	return 0;
}

static int bench_encrypt(struct bench_worker *w, size_t len)
{
	switch (w->o->path) {
	case PATH_CRYPTODEV: {
		struct crypt_op op = {
			.ses = w->ses, .op = COP_ENCRYPT, .len = len,
			.src = w->src, .dst = w->dst, .iv = w->iv,
		};

		return ioctl(w->fd, CIOCCRYPT, &op) ? -errno : 0;
	}
	case PATH_AFALG:
		return bench_afalg_encrypt(w, len);
	case PATH_NETTLE:
		cbc_aes128_encrypt(&w->aes, w->iv, len, w->dst, w->src);
		return 0;
	case PATH_OPENSSL: {
		int outl;

		if (!EVP_EncryptUpdate(w->evp, w->dst, &outl, w->src, (int)len) ||
		    outl != (int)len)
			return -EIO;
		return 0;
	}
	}
	return -EINVAL;
}

/* Runs in each child: count operations until the deadline. */
static int bench_child(struct bench_opts *o, size_t len, int go_fd, int out_fd)
{
	struct bench_worker w = { .o = o, .fd = -1 };
	long ops = 0;
	double end;
	char c;
	int rc, batch;

	rc = bench_setup(&w, len);
	if (rc) {
		fprintf(stderr, "bench-cipher: setup: %s\n", strerror(-rc));
		return 1;
	}
	if (read(go_fd, &c, 1) != 1)
		return 1;
	end = bench_now() + o->seconds;
	/* Small requests in batches, so that reading the clock costs little;
	 * large ones one by one, so that a slow path does not overrun. */
	batch = len < 65536 ? 8 : 1;
	do {
		for (int i = 0; i < batch; i++) {
			rc = bench_encrypt(&w, len);
			if (rc) {
				fprintf(stderr, "bench-cipher: encrypt %zu: %s\n",
					len, strerror(-rc));
				return 1;
			}
			ops++;
		}
	} while (bench_now() < end);
	return write(out_fd, &ops, sizeof(ops)) == sizeof(ops) ? 0 : 1;
}

static int bench_size(struct bench_opts *o, size_t len)
{
	int go[2], res[2], failed = 0;
	long total = 0, ops;
	double t0, t1;

	if (pipe(go) || pipe(res))
		return -errno;
	for (int i = 0; i < o->procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -errno;
		if (pid == 0) {
			close(go[1]);
			close(res[0]);
			_exit(bench_child(o, len, go[0], res[1]));
		}
	}
	close(go[0]);
	close(res[1]);
	/* Let every child finish its setup before the clock starts. */
	usleep(200000);
	t0 = bench_now();
	for (int i = 0; i < o->procs; i++)
		if (write(go[1], "g", 1) != 1)
			failed = 1;
	close(go[1]);
	while (read(res[0], &ops, sizeof(ops)) == sizeof(ops))
		total += ops;
	t1 = bench_now();
	close(res[0]);
	for (int i = 0; i < o->procs; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed = 1;
	}
	if (failed)
		return -EIO;
	printf("RESULT %s %zu %d %.1f %.2f\n", o->label, len,
	       o->procs, total / (t1 - t0), total * (double)len / (t1 - t0) / 1e6);
	fflush(stdout);
	return 0;
}

static void bench_usage(FILE *f)
{
	fprintf(f, "usage: bench-cipher --path cryptodev|afalg|nettle|openssl\n"
		   "       [--device PATH] [--afalg-driver NAME] [--afalg-chunk BYTES]\n"
		   "       [--label NAME] [--seconds S] [--procs N] SIZE...\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "path", required_argument, NULL, 'p' },
		{ "device", required_argument, NULL, 'd' },
		{ "afalg-driver", required_argument, NULL, 'a' },
		{ "label", required_argument, NULL, 'l' },
		{ "afalg-chunk", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct bench_opts o = {
		.path = PATH_CRYPTODEV, .device = "/dev/cryptodev0",
		.afalg_driver = "virtio_crypto_aes_cbc", .seconds = 1, .procs = 1,
	};
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			size_t i = 0;

			while (i < ARRAY_SIZE(bench_path_names) &&
			       strcmp(optarg, bench_path_names[i]))
				i++;
			if (i == ARRAY_SIZE(bench_path_names)) {
				bench_usage(stderr);
				return 2;
			}
			o.path = (enum bench_path)i;
			break;
		}
		case 'd': o.device = optarg; break;
		case 'a': o.afalg_driver = optarg; break;
		case 'l': o.label = optarg; break;
		case 'c': o.afalg_chunk = strtoul(optarg, NULL, 0); break;
		case 's': o.seconds = atof(optarg); break;
		case 'n': o.procs = atoi(optarg); break;
		case 'h': bench_usage(stdout); return 0;
		default: bench_usage(stderr); return 2;
		}
	}
	if (optind == argc || o.procs < 1 || o.seconds <= 0) {
		bench_usage(stderr);
		return 2;
	}
	if (!o.label)
		o.label = bench_path_names[o.path];
	if (o.afalg_chunk % 16) {
		fprintf(stderr, "bench-cipher: --afalg-chunk must be a multiple of 16\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		size_t len = strtoul(argv[i], NULL, 0);

		if (!len || len % 16) {
			fprintf(stderr, "bench-cipher: size %s is not a multiple of 16\n", argv[i]);
			return 2;
		}
		if (bench_size(&o, len)) {
			fprintf(stderr, "bench-cipher: %s at %zu bytes failed\n",
				o.label, len);
			rc = 1;
		}
	}
	return rc;
}
