/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-backend: the device's backend core against raw nettle on the host.
 *
 *   bench-backend [-s SECONDS-PER-CELL] [-o FILE]
 *
 * AES-128-CBC encryption at 64 B, 1 KiB, 4 KiB and 64 KiB, side by side in
 * one run: raw nettle (cbc_aes128_encrypt on a buffer, the best nettle can
 * do) and whole virtio-cryptodev requests through vcb_backend_process() with
 * the soft engine (header decoding, validation, session lookup and locking,
 * then the same nettle call); and nettle once more with each call chained
 * to the last (its latency, see bench_nettle_serial).  Requests are laid out as a driver does: the
 * header and IV in one descriptor, the data in another, the output and the
 * response in two more.  A last row splits the data over 4 KiB pages at an
 * odd offset (the gather/scatter path).  The Markdown table goes to FILE
 * (default bench/results/backend.md) and to standard output.
 */
#include <endian.h>
#include <err.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/version.h>

#include <crypto/cryptodev.h>

#include "kat_hex.h"
#include "kat_vectors.h"
#include "vcb_backend.h"

#define RESP_LEN sizeof(struct virtio_cryptodev_resp)
#define BENCH_RUNS 20	/* alternating runs per cell and side */

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What the figures were measured on: the first "model name" of
 * /proc/cpuinfo, or "unknown CPU". */
static void bench_cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon += strspn(colon + 1, " \t") + 1;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		break;
	}
	if (f)
		fclose(f);
}

/* The 1, 5 and 15 minute load averages, or "unknown". */
static void bench_loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double l1, l5, l15;

	if (f && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3)
		snprintf(buf, len, "%.2f %.2f %.2f", l1, l5, l15);
	else
		snprintf(buf, len, "unknown");
	if (f)
		fclose(f);
}

/* Any AES-128 key does; main takes SP 800-38A's from the shared vectors. */
static uint8_t bench_key[16];

typedef void (*bench_fn)(void *ctx, unsigned n);

/*
 * Operations per second of fn: its fastest batch over a run of about
 * `seconds`.  Batches are short (about 50 us) so that many run whole
 * between preemptions on a loaded machine, where a whole-run rate
 * measured the other load as much as the code; other load only ever
 * slows a batch down.
 */
static double bench_rate(bench_fn fn, void *ctx, double seconds)
{
	double start = bench_now(), t0, t, best = 0;
	unsigned batch = 1;

	for (;;) {
		t0 = bench_now();
		fn(ctx, batch);
		t = bench_now() - t0;
		if (t >= 50e-6 || batch >= (1u << 20))
			break;
		batch *= 2;
	}
	do {
		t0 = bench_now();
		fn(ctx, batch);
		t = bench_now() - t0;
		if (t > 0 && batch / t > best)
			best = batch / t;
	} while (bench_now() - start < seconds);
	return best;
}

struct nettle_ctx {
	struct aes128_ctx aes;
	uint8_t *src, *dst;
	size_t len;
	uint8_t chain[16];	/* bench_nettle_serial's running IV */
};

static void bench_nettle(void *p, unsigned n)
{
	struct nettle_ctx *c = p;
	uint8_t iv[16];

	while (n--) {
		memset(iv, 0x42, sizeof(iv));
		cbc_aes128_encrypt(&c->aes, iv, c->len, c->dst, c->src);
	}
}

/*
 * The same calls, each starting from the IV the previous one left: one
 * call's latency.  bench_nettle's calls are independent, so the CPU runs
 * several small ones at once out of order; a request between them (a few
 * hundred instructions of bookkeeping) leaves little room for that, so a
 * backend request's crypto costs nearer this figure than that one.
 */
static void bench_nettle_serial(void *p, unsigned n)
{
	struct nettle_ctx *c = p;

	while (n--)
		cbc_aes128_encrypt(&c->aes, c->chain, c->len, c->dst, c->src);
}

struct backend_ctx {
	struct vcb_backend *b;
	struct iovec out[1 + 64];
	unsigned out_num;
	struct iovec in[1 + 64];
	unsigned in_num;
	size_t in_len;
};

static void bench_backend(void *p, unsigned n)
{
	struct backend_ctx *c = p;
	uint32_t st;

	while (n--) {
		if (vcb_backend_process(c->b, c->out, c->out_num, c->in,
					c->in_num, &st) != (ssize_t)c->in_len ||
		    st != VIRTIO_CRYPTODEV_S_OK)
			errx(1, "request failed (status %u)", st);
	}
}

/* One request through the backend; returns the status. */
static uint32_t bench_request(struct vcb_backend *b, const void *req,
			      size_t req_len, size_t out_len, uint64_t *session)
{
	uint8_t in[64 + RESP_LEN];
	struct iovec o = { (void *)req, req_len }, i = { in, out_len + RESP_LEN };
	struct virtio_cryptodev_resp resp;
	uint32_t st;

	if (vcb_backend_process(b, &o, 1, &i, 1, &st) < 0)
		errx(1, "protocol violation");
	memcpy(&resp, in + out_len, RESP_LEN);
	*session = le64toh(resp.session);
	return st;
}

static uint64_t bench_session(struct vcb_backend *b)
{
	uint8_t buf[sizeof(struct virtio_cryptodev_req) + 16];
	struct virtio_cryptodev_req *h = (void *)buf;
	uint64_t session;

	memset(buf, 0, sizeof(buf));
	h->opcode = htole32(VIRTIO_CRYPTODEV_OP_CREATE_SESSION);
	h->cipher = htole32(CRYPTO_AES_CBC);
	h->key_len = htole32(16);
	memcpy(buf + sizeof(*h), bench_key, 16);
	if (bench_request(b, buf, sizeof(buf), 0, &session) != 0)
		errx(1, "cannot create an AES-128-CBC session");
	return session;
}

struct row {
	const char *label;
	size_t len;
	double nettle_ops, serial_ops, backend_ops;
};

/*
 * Lay out one CIPHER request over `data` (src) and `dst`.  pages != 0 splits
 * both over pages-sized pieces starting at an odd offset.
 */
static void bench_layout(struct backend_ctx *c, uint8_t *hdr, uint8_t *src,
			 uint8_t *dst, uint8_t *resp, size_t len, size_t pages)
{
	size_t off = 0;

	c->out[0] = (struct iovec){ hdr, sizeof(struct virtio_cryptodev_req) + 16 };
	c->out_num = 1;
	c->in_num = 0;
	while (off < len) {
		size_t n = pages ? pages - (off == 0 ? 100 : 0) : len;

		if (n > len - off)
			n = len - off;
		c->out[c->out_num++] = (struct iovec){ src + off, n };
		c->in[c->in_num++] = (struct iovec){ dst + off, n };
		off += n;
	}
	c->in[c->in_num++] = (struct iovec){ resp, RESP_LEN };
	c->in_len = len + RESP_LEN;
}

int main(int argc, char **argv)
{
	static const struct { const char *label; size_t len, pages; } sizes[] = {
		{ "64 B", 64, 0 },
		{ "1 KiB", 1024, 0 },
		{ "4 KiB", 4096, 0 },
		{ "64 KiB", 65536, 0 },
		{ "64 KiB in 4 KiB pages", 65536, 4096 },
	};
	const char *out_path = "bench/results/backend.md";
	double seconds = 2.0;
	struct row rows[sizeof(sizes) / sizeof(sizes[0])];
	struct vcb_backend *b;
	struct utsname un;
	char err[256], cpu[160], load_before[64], load_after[64], date[64];
	time_t now;
	uint64_t session;
	uint8_t *src, *dst, hdr[sizeof(struct virtio_cryptodev_req) + 16];
	uint8_t resp[RESP_LEN];
	FILE *f;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "s:o:h")) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 'o':
			out_path = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SECONDS] [-o FILE]\n",
				argv[0]);
			return 2;
		}
	}
	if (seconds <= 0)
		errx(2, "seconds must be positive");
	if (kat_unhex(KAT_SP800_38A_K128, bench_key, sizeof(bench_key)) !=
	    sizeof(bench_key))
		errx(1, "bad AES-128 key in kat_vectors.h");

	if (vcb_backend_new(&b, VCB_ENGINE_SOFT, NULL, NULL, err,
			    sizeof(err)) < 0)
		errx(1, "backend: %s", err);
	session = bench_session(b);
	bench_loadavg(load_before, sizeof(load_before));
	src = aligned_alloc(4096, 65536 + 4096);
	dst = aligned_alloc(4096, 65536 + 4096);
	if (!src || !dst)
		errx(1, "out of memory");
	memset(src, 0x5a, 65536 + 4096);
	{
		/* Let the CPU reach its steady clock before the first cell. */
		struct nettle_ctx warm = { .src = src, .dst = dst, .len = 65536 };

		aes128_set_encrypt_key(&warm.aes, bench_key);
		bench_rate(bench_nettle, &warm, 0.3);
	}

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct nettle_ctx nc;
		struct backend_ctx bc;
		struct virtio_cryptodev_req *h = (void *)hdr;
		size_t len = sizes[i].len;

		memset(hdr, 0, sizeof(hdr));
		h->opcode = htole32(VIRTIO_CRYPTODEV_OP_CIPHER);
		h->session = htole64(session);
		h->iv_len = htole32(16);
		h->src_len = htole32(len);
		memset(hdr + sizeof(*h), 0x42, 16);

		aes128_set_encrypt_key(&nc.aes, bench_key);
		nc.src = src;
		nc.dst = dst;
		nc.len = len;
		bc.b = b;
		bench_layout(&bc, hdr, src, dst, resp, len, sizes[i].pages);

		/* Same bytes out of both: the comparison is like for like. */
		bench_backend(&bc, 1);
		{
			uint8_t *check = malloc(len);

			if (!check)
				errx(1, "out of memory");
			memcpy(check, dst, len);
			bench_nettle(&nc, 1);
			if (memcmp(check, dst, len) != 0)
				errx(1, "backend and nettle disagree at %zu bytes",
				     len);
			free(check);
		}

		rows[i].label = sizes[i].label;
		rows[i].len = len;
		/*
		 * Short runs, alternating, best of each: other load on the
		 * machine only ever slows a run down, and alternation makes
		 * frequency drift hit both sides alike.
		 */
		rows[i].nettle_ops = rows[i].serial_ops = 0;
		rows[i].backend_ops = 0;
		memset(nc.chain, 0x42, sizeof(nc.chain));
		for (int run = 0; run < BENCH_RUNS; run++) {
			double n = bench_rate(bench_nettle, &nc,
					      seconds / (3 * BENCH_RUNS));
			double sr = bench_rate(bench_nettle_serial, &nc,
					       seconds / (3 * BENCH_RUNS));
			double bk = bench_rate(bench_backend, &bc,
					       seconds / (3 * BENCH_RUNS));

			if (n > rows[i].nettle_ops)
				rows[i].nettle_ops = n;
			if (sr > rows[i].serial_ops)
				rows[i].serial_ops = sr;
			if (bk > rows[i].backend_ops)
				rows[i].backend_ops = bk;
		}
	}

	bench_loadavg(load_after, sizeof(load_after));
	bench_cpu_model(cpu, sizeof(cpu));
	now = time(NULL);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	f = fopen(out_path, "w");
	if (!f)
		warn("cannot write %s; table on standard output only", out_path);
	uname(&un);
	for (int pass = 0; pass < 2; pass++) {
		FILE *o = pass ? f : stdout;

		if (!o)
			continue;
		fprintf(o, "# Backend core vs raw nettle (host)\n\n");
		fprintf(o, "Measured %s by `make bench`: %s, %s %s %s, nettle %d.%d; "
			"load average (1, 5, 15 min) %s before, %s after.\n\n",
			date, cpu, un.sysname, un.release, un.machine,
			NETTLE_VERSION_MAJOR, NETTLE_VERSION_MINOR,
			load_before, load_after);
		fprintf(o, "AES-128-CBC encryption on %s %s, one thread; "
			"`build/bin/bench-backend` (the fastest batch of about 50 us "
			"over %d alternating runs of %.2g s per cell and side).  *nettle*: `cbc_aes128_encrypt` on a "
			"buffer.  *backend*: a whole virtio-cryptodev CIPHER "
			"request through `vcb_backend_process()` with the soft "
			"engine (decode, validate, session lookup and lock, "
			"the same nettle call, response).\n\n",
			un.sysname, un.machine, BENCH_RUNS,
			seconds / (3 * BENCH_RUNS));
		fprintf(o, "*nettle serial*: the same calls, each starting "
			"from the IV the previous one left, so that none "
			"overlaps the next: one call's latency.  The plain "
			"column's calls are independent and the CPU overlaps "
			"small ones out of order; a request's bookkeeping "
			"between calls leaves little room for that, so at 64 B "
			"a backend request's crypto costs nearer the serial "
			"figure.  The target is set against the plain one.\n\n");
		fprintf(o, "| size | nettle ops/s | nettle MB/s | nettle serial "
			"ops/s | backend ops/s | backend MB/s | backend ns/op "
			"| backend / nettle | backend / nettle serial |\n");
		fprintf(o, "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			fprintf(o, "| %s | %.0f | %.1f | %.0f | %.0f | %.1f "
				"| %.1f | %.1f %% | %.1f %% |\n",
				rows[i].label, rows[i].nettle_ops,
				rows[i].nettle_ops * rows[i].len / 1e6,
				rows[i].serial_ops, rows[i].backend_ops,
				rows[i].backend_ops * rows[i].len / 1e6,
				1e9 / rows[i].backend_ops,
				100.0 * rows[i].backend_ops / rows[i].nettle_ops,
				100.0 * rows[i].backend_ops / rows[i].serial_ops);
		fprintf(o, "\nTargets: backend at least 50 %% of nettle at 64 B, "
			"at least 90 %% at 4 KiB.\n");
	}
	if (f)
		fclose(f);
	free(src);
	free(dst);
	vcb_backend_free(b);
	return 0;
}
