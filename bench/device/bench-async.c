// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-async: one process, AES-128-CBC encryption on the cryptodev API,
 * synchronous (CIOCCRYPT, one request at a time) against asynchronous
 * (CIOCASYNCCRYPT with DEPTH requests kept in flight, CIOCASYNCFETCH,
 * poll() when none is ready), each request with its own IV as
 * cryptodev-linux's async_speed sends them.  Rounds interleave the two
 * modes, so a burst of host load hits both.  For each size it prints one
 * line per round and mode,
 *   RESULT mode size depth ops_per_s MB_per_s
 * and then, over the rounds,
 *   SUMMARY size sync min/median/max async min/median/max ratio R paired P
 * where R is the median async rate over the median sync rate, and P the
 * median over the rounds of each round's async rate over its sync rate:
 * the two ran a second apart, so a host busy with other work skews P
 * less than R.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <crypto/cryptodev.h>

#define BA_SLOTS	64	/* buffers, as many as a file may have outstanding */
#define BA_ROUNDS_MAX	64

struct ba_opts {
	const char *device;
	double seconds;
	int depth;
	int rounds;
};

static const uint8_t ba_key[16] = "0123456789abcdef";

static double ba_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void ba_cop(struct crypt_op *cop, uint32_t ses, uint8_t *buf,
		   size_t len, uint8_t *iv)
{
	memset(cop, 0, sizeof(*cop));
	cop->ses = ses;
	cop->op = COP_ENCRYPT;
	cop->len = len;
	cop->src = buf;
	cop->dst = buf;
	cop->iv = iv;
}

/* Synchronous requests for @secs: ops per second, or -errno. */
static double ba_sync(int fd, uint32_t ses, uint8_t **buf, size_t len,
		      double secs)
{
	uint8_t iv[16] = { 0 };
	struct crypt_op cop;
	double t0 = ba_now(), t;
	long ops = 0;

	do {
		ba_cop(&cop, ses, buf[ops % BA_SLOTS], len, iv);
		if (ioctl(fd, CIOCCRYPT, &cop))
			return -errno;
		ops++;
	} while ((t = ba_now()) - t0 < secs);
	return ops / (t - t0);
}

/*
 * @depth requests in flight for @secs, then the last ones drained: ops per
 * second, or -errno.  Each fetched request is replaced at once; poll()
 * sleeps only when none is ready.
 */
static double ba_async(int fd, uint32_t ses, uint8_t **buf, size_t len,
		       int depth, double secs)
{
	uint8_t iv[16] = { 0 };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct crypt_op cop;
	double t0 = ba_now(), t = t0;
	long ops = 0, next = 0;
	int inflight = 0;

	for (;;) {
		while (inflight < depth && t - t0 < secs) {
			ba_cop(&cop, ses, buf[next++ % BA_SLOTS], len, iv);
			if (ioctl(fd, CIOCASYNCCRYPT, &cop))
				return -errno;
			inflight++;
		}
		if (!inflight)
			break;
		if (ioctl(fd, CIOCASYNCFETCH, &cop) == 0) {
			inflight--;
			ops++;
		} else if (errno != EBUSY) {
			return -errno;
		} else if (poll(&p, 1, 10000) < 0) {
			return -errno;
		}
		t = ba_now();
	}
	return ops / (t - t0);
}

static int ba_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double ba_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), ba_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int ba_size(int fd, uint32_t ses, uint8_t **buf, size_t len,
		   const struct ba_opts *o)
{
	double s[BA_ROUNDS_MAX], a[BA_ROUNDS_MAX], p[BA_ROUNDS_MAX], ms, ma;
	int r;

	for (r = 0; r < o->rounds; r++) {
		s[r] = ba_sync(fd, ses, buf, len, o->seconds);
		a[r] = ba_async(fd, ses, buf, len, o->depth, o->seconds);
		if (s[r] < 0 || a[r] < 0) {
			fprintf(stderr, "bench-async: %s\n",
				strerror((int)-(s[r] < 0 ? s[r] : a[r])));
			return 1;
		}
		p[r] = a[r] / s[r];
		printf("RESULT sync %zu 1 %.0f %.2f\n", len, s[r],
		       s[r] * len / 1e6);
		printf("RESULT async %zu %d %.0f %.2f\n", len, o->depth, a[r],
		       a[r] * len / 1e6);
		fflush(stdout);
	}
	ms = ba_median(s, o->rounds);
	ma = ba_median(a, o->rounds);
	printf("SUMMARY %zu sync %.0f/%.0f/%.0f async %.0f/%.0f/%.0f ratio %.2f paired %.2f\n",
	       len, s[0], ms, s[o->rounds - 1], a[0], ma, a[o->rounds - 1],
	       ma / ms, ba_median(p, o->rounds));
	return 0;
}

static void ba_usage(FILE *f)
{
	fprintf(f, "usage: bench-async [--device PATH] [--seconds S] [--depth N] [--rounds R] [SIZE...]\n"
		   "  AES-128-CBC on one file, synchronous against N requests in flight\n"
		   "  (default /dev/crypto, 2 s, 32, 5 rounds, 64 bytes)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "seconds", required_argument, NULL, 's' },
		{ "depth", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ba_opts o = { "/dev/crypto", 2, 32, 5 };
	struct session_op sess = {
		.cipher = CRYPTO_AES_CBC,
		.keylen = sizeof(ba_key),
		.key = (uint8_t *)ba_key,
	};
	uint8_t *buf[BA_SLOTS];
	size_t maxlen = 64;
	int c, fd, i, rc = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.device = optarg; break;
		case 's': o.seconds = atof(optarg); break;
		case 'n': o.depth = atoi(optarg); break;
		case 'r': o.rounds = atoi(optarg); break;
		case 'h': ba_usage(stdout); return 0;
		default: ba_usage(stderr); return 2;
		}
	}
	if (o.depth < 1 || o.depth > BA_SLOTS || o.rounds < 1 ||
	    o.rounds > BA_ROUNDS_MAX || o.seconds <= 0) {
		ba_usage(stderr);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		size_t len = strtoul(argv[i], NULL, 0);

		if (!len || len % 16) {
			fprintf(stderr, "bench-async: size %s is not a multiple of 16\n",
				argv[i]);
			return 2;
		}
		if (len > maxlen)
			maxlen = len;
	}
	for (i = 0; i < BA_SLOTS; i++) {
		buf[i] = aligned_alloc(4096, (maxlen + 4095) & ~(size_t)4095);
		if (!buf[i]) {
			perror("bench-async");
			return 1;
		}
		memset(buf[i], 0x5a, maxlen);
	}
	fd = open(o.device, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, CIOCGSESSION, &sess)) {
		fprintf(stderr, "bench-async: %s: %s\n", o.device,
			strerror(errno));
		return 1;
	}
	if (optind == argc)
		rc = ba_size(fd, sess.ses, buf, 64, &o);
	for (i = optind; i < argc && !rc; i++)
		rc = ba_size(fd, sess.ses, buf, strtoul(argv[i], NULL, 0), &o);
	close(fd);
	return rc;
}
