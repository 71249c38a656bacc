// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loopback test helpers (see harness.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static char th_dir[PATH_MAX];

void th_init(const char *argv0)
{
	const char *env = getenv("CHAT_BIN_DIR");
	const char *slash;

	signal(SIGPIPE, SIG_IGN);
	if (env && *env) {
		snprintf(th_dir, sizeof(th_dir), "%s", env);
		return;
	}
	slash = strrchr(argv0, '/');
	if (slash)
		snprintf(th_dir, sizeof(th_dir), "%.*s/../bin",
			 (int)(slash - argv0), argv0);
	else
		snprintf(th_dir, sizeof(th_dir), "../bin");
}

const char *th_bin(const char *name)
{
	static char path[4][PATH_MAX + 64];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, PATH_MAX + 64, "%s/%s", th_dir, name);
	return p;
}

uint64_t th_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void th_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int th_remaining(uint64_t deadline)
{
	uint64_t now = th_now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* ---- child processes ---- */

int th_spawn(struct th_proc *p, const char *const argv[])
{
	int in[2], out[2], err[2];

	memset(p, 0, sizeof(*p));
	p->in = p->out = p->err = -1;
	if (pipe2(in, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		return -errno;
	fflush(stdout);
	fflush(stderr);
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->in = in[1];
	p->out = out[0];
	p->err = err[0];
	fcntl(p->out, F_SETFL, O_NONBLOCK);
	fcntl(p->err, F_SETFL, O_NONBLOCK);
	cbuf_append(&p->obuf, "", 1);
	cbuf_append(&p->ebuf, "", 1);
	return 0;
}

void th_write(struct th_proc *p, const char *text)
{
	size_t n = strlen(text);

	while (n > 0 && p->in >= 0) {
		ssize_t w = write(p->in, text, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		text += w;
		n -= (size_t)w;
	}
}

void th_close_stdin(struct th_proc *p)
{
	if (p->in >= 0)
		close(p->in);
	p->in = -1;
}

/* Append to a NUL-terminated buffer, keeping the terminator. */
static void th_collect(int *fd, struct cbuf *b)
{
	char buf[8192];
	ssize_t n;

	while (*fd >= 0) {
		n = read(*fd, buf, sizeof(buf));
		if (n > 0) {
			b->len--;	/* drop the NUL */
			cbuf_append(b, buf, (size_t)n);
			cbuf_append(b, "", 1);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(*fd);
		*fd = -1;
	}
}

void th_pump(struct th_proc *p, int timeout_ms)
{
	struct pollfd pfd[2];
	int n = 0;

	if (p->out >= 0)
		pfd[n++] = (struct pollfd){ .fd = p->out, .events = POLLIN };
	if (p->err >= 0)
		pfd[n++] = (struct pollfd){ .fd = p->err, .events = POLLIN };
	if (n == 0) {
		if (timeout_ms > 0)
			poll(NULL, 0, timeout_ms);
		return;
	}
	if (poll(pfd, (nfds_t)n, timeout_ms) > 0) {
		th_collect(&p->out, &p->obuf);
		th_collect(&p->err, &p->ebuf);
	}
}

const char *th_stdout(struct th_proc *p)
{
	return (const char *)cbuf_head(&p->obuf);
}

const char *th_stderr(struct th_proc *p)
{
	return (const char *)cbuf_head(&p->ebuf);
}

static bool th_wait_in(struct th_proc *p, struct cbuf *b, const char *needle,
		       int timeout_ms)
{
	uint64_t deadline = th_now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		if (strstr((const char *)cbuf_head(b), needle))
			return true;
		if (th_remaining(deadline) == 0 || (p->out < 0 && p->err < 0))
			return false;
		th_pump(p, th_remaining(deadline) < 50 ?
			th_remaining(deadline) : 50);
	}
}

bool th_wait_stdout(struct th_proc *p, const char *needle, int timeout_ms)
{
	return th_wait_in(p, &p->obuf, needle, timeout_ms);
}

bool th_wait_stderr(struct th_proc *p, const char *needle, int timeout_ms)
{
	return th_wait_in(p, &p->ebuf, needle, timeout_ms);
}

void th_kill(struct th_proc *p, int sig)
{
	if (p->pid > 0)
		kill(p->pid, sig);
}

int th_wait_exit(struct th_proc *p, int timeout_ms)
{
	uint64_t deadline = th_now_ms() + (uint64_t)timeout_ms;
	int status;

	if (p->pid <= 0)
		return -1;
	for (;;) {
		pid_t r = waitpid(p->pid, &status, WNOHANG);

		if (r == p->pid) {
			p->pid = 0;
			th_pump(p, 0);
			th_pump(p, 0);
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return 128 + WTERMSIG(status);
		}
		if (th_remaining(deadline) == 0) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			p->pid = 0;
			return -1;
		}
		th_pump(p, 20);
	}
}

bool th_help_shows_usage(const char *name)
{
	const char *argv[] = { th_bin(name), "--help", NULL };
	char usage[64];
	struct th_proc p;
	bool ok;

	if (th_spawn(&p, argv) < 0)
		return false;
	snprintf(usage, sizeof(usage), "usage: %s", name);
	ok = th_wait_exit(&p, TH_TIMEOUT_MS) == 0 &&
	     strstr(th_stdout(&p), usage);
	th_proc_free(&p);
	return ok;
}

void th_proc_free(struct th_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
	}
	th_close_stdin(p);
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
	p->out = p->err = -1;
	cbuf_free(&p->obuf);
	cbuf_free(&p->ebuf);
}

/* ---- the server ---- */

int th_server_start(struct th_server *s, const char *const extra[])
{
	const char *argv[16] = { th_bin("chat-server"), "--port", "0" };
	const char *line;
	int n = 3, i;

	for (i = 0; extra && extra[i] && n < 15; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	s->port = -1;
	if (th_spawn(&s->proc, argv) < 0)
		return -1;
	th_close_stdin(&s->proc);
	if (!th_wait_stdout(&s->proc, "clients;", TH_TIMEOUT_MS)) {
		fprintf(stderr, "chat-server did not start: %s%s\n",
			th_stdout(&s->proc), th_stderr(&s->proc));
		return -1;
	}
	/* "chat-server: listening on [::]:PORT ..." */
	line = strstr(th_stdout(&s->proc), "listening on ");
	if (line) {
		const char *sp = strchr(line + 13, ' ');
		const char *nl = strchr(line + 13, '\n');
		const char *end = sp && sp < nl ? sp : nl;
		const char *colon = end;

		while (colon > line && *colon != ':')
			colon--;
		s->port = atoi(colon + 1);
	}
	return s->port > 0 ? 0 : -1;
}

int th_server_stop(struct th_server *s)
{
	int rc;

	th_kill(&s->proc, SIGTERM);
	rc = th_wait_exit(&s->proc, TH_TIMEOUT_MS);
	if (rc != 0)
		fprintf(stderr, "chat-server exit %d; its output:\n%s%s\n", rc,
			th_stdout(&s->proc), th_stderr(&s->proc));
	th_proc_free(&s->proc);
	return rc;
}

/* ---- raw connections ---- */

int th_conn_open(struct th_conn *c, const char *host, int port)
{
	return th_conn_open_from(c, NULL, host, port);
}

int th_conn_open_from(struct th_conn *c, const char *src, const char *host,
		      int port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int one = 1;

	memset(c, 0, sizeof(*c));
	if (strchr(host, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -1;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return -1;
		sl = sizeof(*s4);
	}
	c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src && ss.ss_family == AF_INET) {
		struct sockaddr_in from = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, src, &from.sin_addr) != 1 ||
		    bind(c->fd, (struct sockaddr *)&from, sizeof(from)) < 0) {
			close(c->fd);
			c->fd = -1;
			return -1;
		}
	}
	if (connect(c->fd, (struct sockaddr *)&ss, sl) < 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

void th_conn_close(struct th_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	cbuf_free(&c->in);
}

void th_conn_abort(struct th_conn *c)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (c->fd >= 0)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	th_conn_close(c);
}

int th_conn_send_raw(struct th_conn *c, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int th_conn_send(struct th_conn *c, uint8_t type, const void *p, size_t n)
{
	struct cbuf b = { 0 };
	int rc;

	if (frame_append(&b, type, p, n) < 0)
		return -1;
	rc = th_conn_send_raw(c, cbuf_head(&b), cbuf_used(&b));
	cbuf_free(&b);
	return rc;
}

int th_conn_recv(struct th_conn *c, struct th_frame *f, int timeout_ms)
{
	uint64_t deadline = th_now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		struct frame fr;
		uint8_t buf[65536];
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		int rc = frame_parse(cbuf_head(&c->in), cbuf_used(&c->in), &fr);
		ssize_t n;

		if (rc < 0)
			return -2;
		if (rc == 1) {
			f->type = fr.type;
			f->len = fr.len;
			memcpy(f->payload, fr.payload, fr.len);
			cbuf_consume(&c->in, fr.total);
			return 1;
		}
		rc = poll(&pfd, 1, th_remaining(deadline));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return rc == 0 ? 0 : -1;
		n = read(c->fd, buf, sizeof(buf));
		if (n <= 0)
			return -1;
		cbuf_append(&c->in, buf, (size_t)n);
	}
}

int th_conn_expect(struct th_conn *c, uint8_t type, struct th_frame *f,
		   int timeout_ms)
{
	uint64_t deadline = th_now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		int rc = th_conn_recv(c, f, th_remaining(deadline));

		if (rc != 1 || f->type == type)
			return rc;
	}
}

bool th_conn_wait_eof(struct th_conn *c, int timeout_ms)
{
	uint64_t deadline = th_now_ms() + (uint64_t)timeout_ms;

	while (th_remaining(deadline) > 0) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		uint8_t buf[65536];
		ssize_t n;

		if (poll(&pfd, 1, th_remaining(deadline)) <= 0)
			continue;
		n = read(c->fd, buf, sizeof(buf));
		if (n <= 0)
			return true;
	}
	return false;
}

int th_conn_join(struct th_conn *c, int port, const char *nick)
{
	uint8_t hello[1 + CHAT_NICK_MAX];
	struct th_frame *f = malloc(sizeof(*f));
	size_t n = strlen(nick);
	int rc = -1;

	if (!f || n > CHAT_NICK_MAX)
		goto out;
	if (th_conn_open(c, "127.0.0.1", port) < 0)
		goto out;
	hello[0] = CHAT_PROTO_VERSION;
	memcpy(hello + 1, nick, n);
	if (th_conn_send(c, FT_HELLO, hello, n + 1) < 0)
		goto out;
	if (th_conn_expect(c, FT_WELCOME, f, TH_TIMEOUT_MS) == 1)
		rc = 0;
out:
	free(f);
	return rc;
}

bool th_relay_parse(const struct th_frame *f, struct th_relay *r)
{
	struct frame fr = { .type = f->type, .payload = f->payload,
			    .len = f->len };
	struct frame_rd rd;

	frame_rd_init(&rd, &fr);
	r->time_ms = frame_rd_u64(&rd);
	frame_rd_str8(&rd, r->from, sizeof(r->from));
	r->text = frame_rd_rest(&rd, &r->len);
	return rd.err == 0;
}
