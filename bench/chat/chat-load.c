// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-load: a load generator for chat fan-out, speaking our chat protocol
 * (plain or sealed) or IRC, so that chat-server and an IRC server are
 * measured by the same client doing the same work.
 *
 * N clients join one room (an IRC channel).  They take turns sending;
 * at most WINDOW messages are in flight at once (a message is in flight
 * until all N-1 others have received it), which keeps the load at the
 * servers' capacity without letting backlogs grow without bound.  For every
 * delivery the latency from send to receipt is recorded.  After a warm-up,
 * deliveries per second and the latency percentiles over the measured span
 * are printed as one RESULT line.
 *
 * Encrypted runs seal every message sent (a fresh sealing context per
 * client, soft engine) and authenticate and decrypt every delivery to one
 * receiver: all N receivers share this one process, where N real clients
 * would each open only their own copies on their own CPU.  --open-all opens
 * every copy, each receiver with its own context, to show what that costs
 * the one process.  The RESULT line gives the CPU time the server and the
 * load client used over the measured span, as a share of it: the busier of
 * the two is what limited the run.
 *
 * --idle connects N clients that only join, then reports the server's
 * resident memory growth per client (from /proc/PID/status).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../chat/buf.h"
#include "../../chat/frame.h"
#include "../../chat/seal.h"
#include "vcrypto.h"

enum proto { P_CHAT, P_IRC };
enum lstate { L_REGISTERING, L_JOINED };

struct lconn {
	int fd;
	int idx;
	enum lstate state;
	bool want_out;
	uint32_t next_seq;
	struct cbuf in, out;
	struct seal_ctx *seal;
	char nick[16];
};

struct rec {
	uint64_t ts;
	uint32_t seq;
	uint32_t remaining;
};

/* Latency histogram: exact below 256 us, then 64 steps per power of 2. */
#define H_LINEAR	256
#define H_SUB		64
#define H_BUCKETS	(H_LINEAR + 40 * H_SUB)

static struct {
	enum proto proto;
	const char *host;
	int port;
	int clients;
	int window;
	int size;
	double warmup, duration;
	bool encrypt, open_all, idle;
	long server_pid;
} opt = {
	.proto = P_CHAT, .host = "127.0.0.1", .clients = 100, .window = 0,
	.size = 100, .warmup = 1.0, .duration = 4.0,
};

static struct lconn *conns;
static struct rec *recs;
static int rec_slots;
static int epfd;
static int joined;
static uint64_t inflight, sent, delivered_total, delivered_measured;
static uint64_t verified, auth_failed, stale, bytes_in;
static uint64_t hist[H_BUCKETS];
static bool measuring;
static struct vc_engine *engine;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "chat-load: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int hist_bucket(uint64_t us)
{
	int lg, b;

	if (us < H_LINEAR)
		return (int)us;
	lg = 63 - __builtin_clzll(us);		/* >= 8 */
	b = H_LINEAR + (lg - 8) * H_SUB + (int)((us >> (lg - 6)) & (H_SUB - 1));
	return b < H_BUCKETS ? b : H_BUCKETS - 1;
}

static uint64_t hist_value(int b)
{
	int lg;

	if (b < H_LINEAR)
		return (uint64_t)b;
	lg = (b - H_LINEAR) / H_SUB + 8;
	/* The middle of the bucket. */
	return ((uint64_t)(H_SUB + (b - H_LINEAR) % H_SUB) << (lg - 6)) +
	       ((1ull << (lg - 6)) >> 1);
}

static uint64_t hist_percentile(double p)
{
	uint64_t total = 0, want, acc = 0;
	int b;

	for (b = 0; b < H_BUCKETS; b++)
		total += hist[b];
	if (!total)
		return 0;
	want = (uint64_t)(p * (double)total);
	if (want >= total)
		want = total - 1;
	for (b = 0; b < H_BUCKETS; b++) {
		acc += hist[b];
		if (acc > want)
			return hist_value(b);
	}
	return hist_value(H_BUCKETS - 1);
}

/* ---- sockets ---- */

static void conn_watch(struct lconn *c)
{
	struct epoll_event ev = {
		.events = EPOLLIN | (c->want_out ? EPOLLOUT : 0),
		.data.ptr = c,
	};

	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void conn_flush(struct lconn *c)
{
	while (cbuf_used(&c->out)) {
		ssize_t n = write(c->fd, cbuf_head(&c->out), cbuf_used(&c->out));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			die("write: %s", strerror(errno));
		}
		cbuf_consume(&c->out, (size_t)n);
	}
	if (!!cbuf_used(&c->out) != c->want_out) {
		c->want_out = !c->want_out;
		conn_watch(c);
	}
}

static void conn_send(struct lconn *c, const void *p, size_t n)
{
	if (cbuf_append(&c->out, p, n) < 0)
		die("%s", "out of memory");
	conn_flush(c);
}

static void conn_open(struct lconn *c, int idx)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(opt.port) };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	int one = 1;
	char buf[128];

	struct seal_ctx *seal = c->seal;	/* made before joining */

	memset(c, 0, sizeof(*c));
	c->seal = seal;
	c->idx = idx;
	/* The pid after the index (on_delivery() reads the index): the server
	 * may not yet have seen the previous run's connections close, and a
	 * nickname is taken until it has. */
	snprintf(c->nick, sizeof(c->nick), "l%u-%u", (unsigned)idx % 100000u,
		 (unsigned)getpid() % 100000u);
	if (inet_pton(AF_INET, opt.host, &sa.sin_addr) != 1)
		die("bad host %s (an IPv4 address)", opt.host);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		die("socket: %s", strerror(errno));
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect: %s", strerror(errno));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fcntl(c->fd, F_SETFL, O_NONBLOCK) < 0)
		die("fcntl: %s", strerror(errno));
	epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
	if (opt.proto == P_CHAT) {
		uint8_t hello[1 + 16];
		size_t n = strlen(c->nick);
		struct cbuf b = { 0 };

		hello[0] = CHAT_PROTO_VERSION;
		memcpy(hello + 1, c->nick, n);
		frame_append(&b, FT_HELLO, hello, n + 1);
		conn_send(c, cbuf_head(&b), cbuf_used(&b));
		cbuf_free(&b);
	} else {
		int n = snprintf(buf, sizeof(buf),
				 "NICK %s\r\nUSER %s 0 * :load\r\n", c->nick,
				 c->nick);

		conn_send(c, buf, (size_t)n);
	}
}

/* ---- deliveries ---- */

/* When the bytes being handled were read: one clock reading per read. */
static uint64_t read_time;

/* A delivery of message seq from the client named name (len bytes, not
 * NUL-terminated: "l<index>-<pid>"). */
static void on_delivery(const uint8_t *name, size_t len, uint32_t seq)
{
	struct rec *r;
	uint64_t t = read_time;
	size_t i;
	int idx = 0;

	if (len < 2 || name[0] != 'l')
		return;
	for (i = 1; i < len && name[i] >= '0' && name[i] <= '9'; i++)
		idx = idx * 10 + (name[i] - '0');
	if (idx >= opt.clients) {
		stale++;
		return;
	}
	r = &recs[(size_t)idx * (size_t)rec_slots + seq % (uint32_t)rec_slots];
	if (r->seq != seq || r->remaining == 0) {
		stale++;
		return;
	}
	delivered_total++;
	if (measuring) {
		delivered_measured++;
		hist[hist_bucket((t - r->ts) / 1000)]++;
	}
	if (--r->remaining == 0)
		inflight--;
}

static uint32_t text_seq(const uint8_t *p, size_t n)
{
	uint32_t v = 0;
	size_t i;

	/* "s<seq> xxxx..." */
	for (i = 1; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (uint32_t)(p[i] - '0');
	return v;
}

static void on_chat_frame(struct lconn *c, const struct frame *f)
{
	const uint8_t *name, *p;
	size_t namelen, n;

	switch (f->type) {
	case FT_WELCOME:
		if (c->state == L_REGISTERING) {
			c->state = L_JOINED;
			joined++;
		}
		return;
	case FT_RELAY_MSG:
	case FT_RELAY_SEALED:
		break;
	case FT_ERROR:
		fprintf(stderr, "chat-load: %s got an error from the server: %.*s\n",
			c->nick, (int)(f->len > 1 ? f->len - 1 : 0),
			(const char *)f->payload + 1);
		exit(1);
	default:
		return;
	}
	/* u64 time, str8 sender, the rest: read in place, as every copy of
	 * every message passes here. */
	if (f->len < 9 || f->len - 9 < f->payload[8])
		die("%s", "malformed relay frame");
	namelen = f->payload[8];
	name = f->payload + 9;
	p = name + namelen;
	n = f->len - 9 - namelen;
	if (f->type == FT_RELAY_MSG) {
		on_delivery(name, namelen, text_seq(p, n));
		return;
	}
	if (n < SEAL_HDR_LEN)
		die("%s", "short sealed message");
	if (c->idx == 0 || opt.open_all) {
		static struct seal_opened m;
		char from[CHAT_NICK_MAX + 1];

		if (namelen > CHAT_NICK_MAX)
			die("%s", "malformed relay frame");
		memcpy(from, name, namelen);
		from[namelen] = '\0';
		if (seal_open(c->seal, from, p, n, &m) == 0 && m.len > 0 &&
		    m.text[0] == 's')
			verified++;
		else
			auth_failed++;
	}
	/* The sequence number is in the clear, authenticated header. */
	on_delivery(name, namelen, (uint32_t)((uint32_t)p[14] << 24 |
					      (uint32_t)p[15] << 16 |
					      (uint32_t)p[16] << 8 | p[17]));
}

static void on_irc_line(struct lconn *c, char *line, size_t n)
{
	char *sp, *msg;

	if (n >= 4 && !strncmp(line, "PING", 4)) {
		line[1] = 'O';
		line[n] = '\0';
		conn_send(c, line, n);
		conn_send(c, "\r\n", 2);
		return;
	}
	if (line[0] != ':')
		return;
	sp = memchr(line, ' ', n);
	if (!sp)
		return;
	if (!strncmp(sp, " PRIVMSG ", 9)) {
		char *bang = memchr(line, '!', (size_t)(sp - line));

		msg = memchr(sp + 9, ':', n - (size_t)(sp + 9 - line));
		if (!bang || !msg)
			return;
		msg++;
		on_delivery((const uint8_t *)line + 1, (size_t)(bang - line - 1),
			    text_seq((const uint8_t *)msg,
				     n - (size_t)(msg - line)));
		return;
	}
	if (c->state == L_REGISTERING) {
		if (!strncmp(sp, " 001 ", 5)) {
			conn_send(c, "JOIN #bench\r\n", 13);
		} else if (!strncmp(sp, " 366 ", 5)) {
			c->state = L_JOINED;
			joined++;
		}
	}
	if (!strncmp(sp, " ERROR", 6) || !strncmp(sp, " 4", 2)) {
		line[n] = '\0';
		if (!strncmp(sp, " 4", 2) && strncmp(sp, " 42", 3))
			return;	/* 4xx other than 42x: harmless */
		fprintf(stderr, "chat-load: %s: %s\n", c->nick, line);
	}
}

static void conn_read(struct lconn *c)
{
	uint8_t buf[65536];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		fprintf(stderr, "chat-load: %s: the server closed the connection%s%s\n",
			c->nick, n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
		exit(1);
	}
	bytes_in += (uint64_t)n;
	read_time = now_ns();
	if (opt.proto == P_CHAT) {
		const uint8_t *p = buf;
		size_t left = (size_t)n;
		struct frame f;
		int rc;

		if (cbuf_used(&c->in)) {
			cbuf_append(&c->in, buf, (size_t)n);
			p = cbuf_head(&c->in);
			left = cbuf_used(&c->in);
		}
		while ((rc = frame_parse(p, left, &f)) == 1) {
			on_chat_frame(c, &f);
			p += f.total;
			left -= f.total;
		}
		if (rc < 0)
			die("%s", "bad frame from the server");
		if (cbuf_used(&c->in))
			cbuf_consume(&c->in, cbuf_used(&c->in) - left);
		else if (left)
			cbuf_append(&c->in, p, left);
		return;
	}
	cbuf_append(&c->in, buf, (size_t)n);
	for (;;) {
		char *s = (char *)cbuf_head(&c->in);
		char *nl = memchr(s, '\n', cbuf_used(&c->in));
		size_t len;

		if (!nl)
			break;
		len = (size_t)(nl - s);
		if (len && s[len - 1] == '\r')
			len--;
		on_irc_line(c, s, len);
		cbuf_consume(&c->in, (size_t)(nl - s) + 1);
	}
}

/* ---- sending ---- */

static void send_next(void)
{
	static int next;
	static uint8_t text[SEAL_TEXT_MAX], sealed[SEAL_MAX_LEN];
	static char line[SEAL_TEXT_MAX + 64];
	struct lconn *c = &conns[next];
	struct rec *r;
	uint32_t seq = c->next_seq + 1;
	int n;

	next = (next + 1) % opt.clients;
	r = &recs[(size_t)c->idx * (size_t)rec_slots + seq % (uint32_t)rec_slots];
	if (r->remaining)
		return;		/* cannot happen with rec_slots > window */
	c->next_seq = seq;
	n = snprintf((char *)text, sizeof(text), "s%u ", seq);
	memset(text + n, 'x', (size_t)(opt.size - n));
	r->seq = seq;
	r->remaining = (uint32_t)opt.clients - 1;
	r->ts = now_ns();
	inflight++;
	sent++;
	if (opt.proto == P_IRC) {
		n = snprintf(line, sizeof(line), "PRIVMSG #bench :%.*s\r\n",
			     opt.size, (const char *)text);
		conn_send(c, line, (size_t)n);
		return;
	}
	{
		struct cbuf b = { 0 };
		size_t len = (size_t)opt.size;
		uint8_t type = FT_MSG;
		const uint8_t *payload = text;

		if (opt.encrypt) {
			if (seal_message(c->seal, c->nick, SEAL_KIND_TEXT, text,
					 (size_t)opt.size, sealed,
					 sizeof(sealed), &len))
				die("%s", "sealing failed");
			type = FT_SEALED;
			payload = sealed;
		}
		frame_append(&b, type, payload, len);
		conn_send(c, cbuf_head(&b), cbuf_used(&b));
		cbuf_free(&b);
	}
}

/* ---- phases ---- */

static void poll_once(int timeout_ms)
{
	struct epoll_event ev[256];
	int n = epoll_wait(epfd, ev, 256, timeout_ms), i;

	for (i = 0; i < n; i++) {
		struct lconn *c = ev[i].data.ptr;

		if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			conn_read(c);
		if (ev[i].events & EPOLLOUT)
			conn_flush(c);
	}
}

/* Join everyone, a batch at a time (the listen backlog is finite). */
static void join_all(void)
{
	int opened = 0;
	uint64_t deadline = now_ns() + 60000000000ull;

	while (joined < opt.clients) {
		while (opened < opt.clients && opened - joined < 100)
			conn_open(&conns[opened], opened), opened++;
		poll_once(10);
		if (now_ns() > deadline)
			die("%s", "clients could not join within 60 s");
	}
}

/* Read until nothing has come for quiet_ms (join notices and the like). */
static void settle(int quiet_ms)
{
	uint64_t deadline = now_ns() + 20000000000ull;

	for (;;) {
		uint64_t before = bytes_in;

		poll_once(quiet_ms);
		if (bytes_in == before || now_ns() > deadline)
			return;
	}
}

static long rss_kb(long pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* CPU time the server has used, in clock ticks (utime + stime). */
static long long cpu_ticks(long pid)
{
	char path[64], buf[1024], *p;
	long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which is in parentheses. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld",
			 &ut, &st) != 2)
		return -1;
	return ut + st;
}

/* CPU time this process has used, in microseconds (user + system). */
static long long self_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: chat-load --port N [--host ADDR] [--irc] [--clients N]\n"
		"                 [--window W] [--size BYTES] [--encrypt [--open-all]]\n"
		"                 [--warmup S] [--duration S]\n"
		"                 [--server-pid PID]\n"
		"       chat-load --idle --server-pid PID --port N [--irc] [--clients N]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "irc", no_argument, NULL, 'i' },
		{ "clients", required_argument, NULL, 'n' },
		{ "window", required_argument, NULL, 'w' },
		{ "size", required_argument, NULL, 's' },
		{ "encrypt", no_argument, NULL, 'e' },
		{ "open-all", no_argument, NULL, 'a' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "duration", required_argument, NULL, 'd' },
		{ "idle", no_argument, NULL, 'I' },
		{ "server-pid", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rlimit rl;
	uint64_t t0, t1;
	long long cpu0 = -1, cpu1 = -1, self0 = 0, self1;
	int o, i;

	while ((o = getopt_long(argc, argv, "H:p:in:w:s:eaW:d:IP:h", opts,
				NULL)) != -1) {
		switch (o) {
		case 'H': opt.host = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 'i': opt.proto = P_IRC; break;
		case 'n': opt.clients = atoi(optarg); break;
		case 'w': opt.window = atoi(optarg); break;
		case 's': opt.size = atoi(optarg); break;
		case 'e': opt.encrypt = true; break;
		case 'a': opt.open_all = true; break;
		case 'W': opt.warmup = atof(optarg); break;
		case 'd': opt.duration = atof(optarg); break;
		case 'I': opt.idle = true; break;
		case 'P': opt.server_pid = atol(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (opt.port <= 0 || opt.clients < 2 || opt.size < 16 ||
	    opt.size > 400 || (opt.encrypt && opt.proto == P_IRC) ||
	    (opt.open_all && !opt.encrypt) ||
	    (opt.idle && opt.server_pid <= 0)) {
		usage(stderr);
		return 2;
	}
	if (opt.window <= 0)
		opt.window = opt.clients < 64 ? opt.clients : 64;
	rec_slots = opt.window + 1;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	conns = calloc((size_t)opt.clients, sizeof(*conns));
	recs = calloc((size_t)opt.clients * (size_t)rec_slots, sizeof(*recs));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || !recs || epfd < 0)
		die("%s", "out of memory");

	if (opt.idle) {
		long before = rss_kb(opt.server_pid), after;

		join_all();
		settle(300);
		after = rss_kb(opt.server_pid);
		printf("RESULT proto=%s idle_clients=%d rss_before_kb=%ld rss_after_kb=%ld per_client_bytes=%ld\n",
		       opt.proto == P_IRC ? "irc" : "chat", opt.clients,
		       before, after, (after - before) * 1024 / opt.clients);
		return 0;
	}

	if (opt.encrypt) {
		uint8_t key[32];

		if (vc_engine_open_soft(&engine) || vc_random(key, sizeof(key)))
			die("%s", "no crypto engine");
		/* Each client its own context: own sender id and sequence. */
		for (i = 0; i < opt.clients; i++)
			if (seal_ctx_new(&conns[i].seal, engine, key, sizeof(key)))
				die("%s", "cannot set up sealing");
	}
	join_all();
	settle(200);

	t0 = now_ns();
	t1 = t0 + (uint64_t)((opt.warmup + opt.duration) * 1e9);
	for (;;) {
		uint64_t t = now_ns();

		if (!measuring && t >= t0 + (uint64_t)(opt.warmup * 1e9)) {
			measuring = true;
			t0 = t;
			if (opt.server_pid > 0)
				cpu0 = cpu_ticks(opt.server_pid);
			self0 = self_cpu_us();
		}
		if (t >= t1)
			break;
		while (inflight < (uint64_t)opt.window)
			send_next();
		poll_once(5);
	}
	measuring = false;
	if (opt.server_pid > 0)
		cpu1 = cpu_ticks(opt.server_pid);
	self1 = self_cpu_us();
	{
		double secs = (double)(now_ns() - t0) / 1e9;
		double cpu_ms = cpu0 >= 0 && cpu1 >= 0 ?
			(double)(cpu1 - cpu0) * 1000.0 / (double)sysconf(_SC_CLK_TCK) : -1;
		double self_ms = (double)(self1 - self0) / 1000.0;

		printf("RESULT proto=%s enc=%d clients=%d window=%d size=%d seconds=%.2f sent=%llu delivered=%llu delivered_per_s=%.0f p50_us=%llu p99_us=%llu verified=%llu auth_failed=%llu stale=%llu server_cpu_ms=%.0f server_ns_per_delivery=%.0f server_busy_pct=%.0f load_busy_pct=%.0f\n",
		       opt.proto == P_IRC ? "irc" : "chat", opt.encrypt,
		       opt.clients, opt.window, opt.size, secs,
		       (unsigned long long)sent,
		       (unsigned long long)delivered_measured,
		       (double)delivered_measured / secs,
		       (unsigned long long)hist_percentile(0.50),
		       (unsigned long long)hist_percentile(0.99),
		       (unsigned long long)verified,
		       (unsigned long long)auth_failed,
		       (unsigned long long)stale, cpu_ms,
		       cpu_ms >= 0 && delivered_measured ?
		       cpu_ms * 1e6 / (double)delivered_measured : -1,
		       cpu_ms >= 0 ? cpu_ms / 10.0 / secs : -1,
		       self_ms / 10.0 / secs);
	}
	for (i = 0; i < opt.clients; i++) {
		close(conns[i].fd);
		seal_ctx_free(conns[i].seal);
		cbuf_free(&conns[i].in);
		cbuf_free(&conns[i].out);
	}
	if (engine)
		vc_engine_close(engine);
	free(conns);
	free(recs);
	return auth_failed || stale ? 1 : 0;
}
