// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-client: a terminal chat client.  Lines from standard input (a
 * terminal or a pipe) go to the server; what arrives is printed on standard
 * output, one line per event, with the sender and the time.  With a key file
 * or a passphrase every message is sealed end to end (chat/seal.c) through
 * the crypto library, so the server only ever relays ciphertext.
 *
 * Standard output is the transcript; standard error carries the program's
 * own diagnostics (crypto engine notice, connection errors).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "frame.h"
#include "net.h"
#include "seal.h"
#include "vcrypto.h"

#define CLI_CONNECT_TIMEOUT_MS	10000
/* After saying goodbye, how long to wait for the server to close. */
#define CLI_QUIT_WAIT_MS	3000
/* Stop reading standard input while this much is unsent. */
#define CLI_OUT_HIGH		(256 * 1024)
#define CLI_PASSPHRASE_MAX	1024

struct cli {
	int sock;
	const char *host, *port;
	char nick[CHAT_NICK_MAX + 1];
	bool registered;	/* WELCOME received */
	bool nick_pending;	/* /nick sent, answer not yet here */
	bool stdin_eof;
	bool discarding;	/* skipping the rest of an overlong line */
	bool quitting;		/* QUIT sent */
	bool fatal_error;	/* the server closes on us */
	uint64_t quit_deadline;
	struct cbuf in;		/* from the server */
	struct cbuf out;	/* to the server */
	struct cbuf line;	/* from standard input */
	struct vc_engine *engine;
	struct seal_ctx *seal;	/* NULL: no encryption */
	char who[FRAME_MAX_BODY * 2];	/* /who names gathered so far */
	size_t who_len, who_count;
};

static volatile sig_atomic_t cli_signalled;

static void cli_on_signal(int sig)
{
	cli_signalled = sig;
}

static uint64_t cli_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- printing ---- */

static void cli_stamp(uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[16];

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("[%s] ", buf);
}

/* Format characters that reorder or break what follows on the line: bidi
 * embeddings, overrides and isolates, marks, and line/paragraph breaks. */
static bool cli_is_format_char(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the valid UTF-8 sequence at p (0: invalid) and its code
 * point: shortest form only, no surrogates, nothing above U+10FFFF. */
static size_t cli_utf8(const uint8_t *p, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t min;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	if (p[0] < 0xe0) {
		len = 2;
		min = 0x80;
		*cp = p[0] & 0x1f;
	} else if (p[0] < 0xf0) {
		len = 3;
		min = 0x800;
		*cp = p[0] & 0x0f;
	} else {
		len = 4;
		min = 0x10000;
		*cp = p[0] & 0x07;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Print what a peer or the server sent so that it can never drive the
 * reader's terminal: C0 controls, DEL and bytes that are not UTF-8 (a raw
 * 0x9b is an 8-bit CSI to some terminals) show as \xNN, C1 controls and
 * bidi or line-breaking format characters as \u{NNNN}.  Printable UTF-8
 * stays as it is.
 */
static void cli_put_escaped(FILE *f, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len;

		if (p[i] >= 0x20 && p[i] < 0x7f) {
			fputc(p[i++], f);
			continue;
		}
		len = p[i] < 0x80 ? 0 : cli_utf8(p + i, n - i, &cp);
		if (len == 0) {
			fprintf(f, "\\x%02x", p[i++]);
			continue;
		}
		if (cp < 0xa0 || cli_is_format_char(cp))
			fprintf(f, "\\u{%04X}", (unsigned)cp);
		else
			fwrite(p + i, 1, len, f);
		i += len;
	}
}

static void cli_put_text(const uint8_t *p, size_t n)
{
	cli_put_escaped(stdout, p, n);
}

/* A name (NUL-terminated, as frame_rd_str8 leaves it). */
static void cli_put_name(const char *name)
{
	cli_put_escaped(stdout, (const uint8_t *)name, strlen(name));
}

/* A line "<before><name><after>", the name escaped. */
static void cli_say(const char *before, const char *name, const char *after)
{
	fputs(before, stdout);
	cli_put_name(name);
	fputs(after, stdout);
}

/* ---- talking to the server ---- */

static void cli_send(struct cli *c, uint8_t type, const void *p, size_t n)
{
	if (frame_append(&c->out, type, p, n) < 0) {
		fprintf(stderr, "chat-client: out of memory\n");
		exit(1);
	}
}

static void cli_send_hello(struct cli *c, const char *nick)
{
	uint8_t p[1 + CHAT_NICK_MAX];
	size_t n = strlen(nick);

	p[0] = CHAT_PROTO_VERSION;
	memcpy(p + 1, nick, n);
	cli_send(c, FT_HELLO, p, n + 1);
}

static void cli_send_text(struct cli *c, enum seal_kind kind,
			  const char *text, size_t n)
{
	uint8_t sealed[SEAL_MAX_LEN];
	size_t len;
	int rc;

	if (!c->seal) {
		cli_send(c, kind == SEAL_KIND_ACTION ? FT_ACTION : FT_MSG, text,
			 n);
		return;
	}
	rc = seal_message(c->seal, c->nick, kind, (const uint8_t *)text, n,
			  sealed, sizeof(sealed), &len);
	if (rc) {
		/* Never fall back to sending in clear. */
		printf("!! could not encrypt the message (%s): not sent\n",
		       strerror(-rc));
		return;
	}
	cli_send(c, FT_SEALED, sealed, len);
}

static void cli_quit(struct cli *c, const char *reason)
{
	if (c->quitting)
		return;
	cli_send(c, FT_QUIT, reason, strlen(reason));
	c->quitting = true;
	c->quit_deadline = cli_mono_ms() + CLI_QUIT_WAIT_MS;
}

/* ---- standard input ---- */

static void cli_help(void)
{
	printf("-- commands:\n"
	       "--   /nick NAME     change your nickname\n"
	       "--   /who           list who is here\n"
	       "--   /me ACTION     describe an action (\"* you ACTION\")\n"
	       "--   /quit [WHY]    leave (so do Ctrl-C and end of input)\n"
	       "--   /help          this list\n"
	       "--   //TEXT         send TEXT starting with '/'\n"
	       "-- anything else is a message to everyone.\n");
}

static void cli_line(struct cli *c, char *s, size_t n)
{
	if (n && s[n - 1] == '\r')
		s[--n] = '\0';
	if (n == 0)
		return;
	if (n > CHAT_TEXT_MAX) {
		printf("!! line too long (%zu bytes, at most %d): not sent\n",
		       n, CHAT_TEXT_MAX);
		return;
	}
	if (s[0] != '/' || (n > 1 && s[1] == '/')) {
		if (s[0] == '/') {
			s++;
			n--;
		}
		cli_send_text(c, SEAL_KIND_TEXT, s, n);
		return;
	}
	if (!strncmp(s, "/me ", 4) && n > 4) {
		cli_send_text(c, SEAL_KIND_ACTION, s + 4, n - 4);
	} else if (!strncmp(s, "/nick ", 6) && n > 6) {
		const char *name = s + 6;

		while (*name == ' ')
			name++;
		cli_send(c, FT_NICK, name, strlen(name));
		/* Hold further lines until the server answers, so that
		 * sealed messages carry the name they are relayed under. */
		c->nick_pending = true;
	} else if (!strcmp(s, "/who")) {
		cli_send(c, FT_WHO, NULL, 0);
	} else if (!strcmp(s, "/quit") || !strncmp(s, "/quit ", 6)) {
		cli_quit(c, n > 6 ? s + 6 : "");
	} else if (!strcmp(s, "/help")) {
		cli_help();
	} else if (!strcmp(s, "/me") || !strcmp(s, "/nick") ||
		   !strncmp(s, "/me ", 4) || !strncmp(s, "/nick ", 6)) {
		printf("!! usage: %s\n", s[1] == 'm' ? "/me ACTION" : "/nick NAME");
	} else {
		printf("!! unknown command %.*s; /help lists commands\n",
		       (int)strcspn(s, " "), s);
	}
}

/* Handle the complete lines buffered so far, as long as we may send. */
static void cli_lines(struct cli *c)
{
	while (cbuf_used(&c->line) && c->registered && !c->nick_pending &&
	       !c->quitting) {
		char *p = (char *)cbuf_head(&c->line);
		char *nl = memchr(p, '\n', cbuf_used(&c->line));
		size_t n;

		if (!nl) {
			if (!c->stdin_eof)
				return;
			/* The last line had no newline: still a line. */
			n = cbuf_used(&c->line);
			cbuf_append(&c->line, "", 1);
			p = (char *)cbuf_head(&c->line);
			cli_line(c, p, n);
			cbuf_consume(&c->line, n + 1);
			continue;
		}
		*nl = '\0';
		n = (size_t)(nl - p);
		if (c->discarding)
			c->discarding = false;
		else
			cli_line(c, p, n);
		cbuf_consume(&c->line, n + 1);
	}
	if (c->stdin_eof && !cbuf_used(&c->line) && c->registered &&
	    !c->nick_pending)
		cli_quit(c, "");
}

static void cli_read_stdin(struct cli *c)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		fprintf(stderr, "chat-client: reading standard input: %s\n",
			strerror(errno));
		n = 0;
	}
	if (n == 0) {
		c->stdin_eof = true;
		return;
	}
	if (cbuf_append(&c->line, buf, (size_t)n) < 0) {
		fprintf(stderr, "chat-client: out of memory\n");
		exit(1);
	}
	/* A line that will be refused anyway need not fill memory. */
	if (!memchr(cbuf_head(&c->line), '\n', cbuf_used(&c->line)) &&
	    cbuf_used(&c->line) > CHAT_TEXT_MAX + 1) {
		if (!c->discarding)
			printf("!! line too long (more than %d bytes): not sent\n",
			       CHAT_TEXT_MAX);
		c->discarding = true;
		cbuf_free(&c->line);
	}
}

/* ---- frames from the server ---- */

static void cli_on_sealed(struct cli *c, uint64_t t, const char *from,
			  const uint8_t *p, size_t n)
{
	static struct seal_opened m;
	int rc;

	cli_stamp(t);
	if (!c->seal) {
		cli_say("!! encrypted message from ", from,
			": this client has no key (see --key-file)\n");
		return;
	}
	rc = seal_open(c->seal, from, p, n, &m);
	switch (rc) {
	case 0:
		if (m.kind == SEAL_KIND_ACTION)
			cli_say("* ", from, " ");
		else
			cli_say("<", from, "> ");
		cli_put_text(m.text, m.len);
		putchar('\n');
		return;
	case -EBADMSG:
		cli_say("!! message from ", from,
			" could not be authenticated \u2014 wrong key?\n");
		return;
	case -EPERM:
		cli_say("!! message relayed as from ", from, " was sealed by ");
		cli_say("", m.sender, ": refused\n");
		return;
	case -EALREADY:
		cli_say("!! replayed message from ", from, " refused\n");
		return;
	case -EPROTONOSUPPORT:
		cli_say("!! message from ", from,
			" is in an unknown format: ignored\n");
		return;
	default:
		cli_say("!! message from ", from, " could not be opened (");
		printf("%s): ignored\n", strerror(-rc));
		return;
	}
}

/* Print the names gathered so far, escaped, separated by ", ". */
static void cli_who_print(struct cli *c)
{
	size_t off = 0;

	while (off < c->who_len) {
		const char *name = c->who + off;

		if (off)
			fputs(", ", stdout);
		cli_put_name(name);
		off += strlen(name) + 1;
	}
	c->who_len = 0;
}

static void cli_who_add(struct cli *c, const char *nick)
{
	size_t n = strlen(nick) + 1;

	if (c->who_len + n > sizeof(c->who)) {
		/* A long list goes out in parts. */
		printf("-- here: ");
		cli_who_print(c);
		printf(",\n");
	}
	memcpy(c->who + c->who_len, nick, n);
	c->who_len += n;
	c->who_count++;
}

/* Relayed messages and room events start alike: when, and who. */
static bool cli_frame_has_stamp(uint8_t type)
{
	switch (type) {
	case FT_RELAY_MSG:
	case FT_RELAY_ACTION:
	case FT_RELAY_SEALED:
	case FT_JOIN:
	case FT_LEAVE:
	case FT_NICK_CHANGE:
		return true;
	default:
		return false;
	}
}

static int cli_on_frame(struct cli *c, const struct frame *f)
{
	char a[CHAT_NICK_MAX + 1], b[CHAT_NICK_MAX + 1];
	const uint8_t *rest;
	struct frame_rd r;
	uint64_t t = 0;
	size_t n;
	uint8_t code;

	frame_rd_init(&r, f);
	if (cli_frame_has_stamp(f->type)) {
		t = frame_rd_u64(&r);
		frame_rd_str8(&r, a, sizeof(a));
	}
	switch (f->type) {
	case FT_WELCOME: {
		uint32_t users;

		frame_rd_str8(&r, a, sizeof(a));
		users = frame_rd_u32(&r);
		if (r.err)
			break;
		snprintf(c->nick, sizeof(c->nick), "%s", a);
		c->registered = true;
		printf("-- connected to %s port %s as ", c->host, c->port);
		cli_put_name(c->nick);
		printf("; %u other%s here; /help lists commands\n",
		       users > 0 ? users - 1 : 0, users == 2 ? " is" : "s are");
		break;
	}
	case FT_RELAY_MSG:
	case FT_RELAY_ACTION:
	case FT_RELAY_SEALED:
		rest = frame_rd_rest(&r, &n);
		if (r.err)
			break;
		if (f->type == FT_RELAY_SEALED) {
			cli_on_sealed(c, t, a, rest, n);
			break;
		}
		cli_stamp(t);
		if (f->type == FT_RELAY_ACTION)
			cli_say("* ", a, " ");
		else
			cli_say("<", a, "> ");
		if (c->seal)
			printf("(not encrypted) ");
		cli_put_text(rest, n);
		putchar('\n');
		break;
	case FT_JOIN:
		if (r.err)
			break;
		cli_stamp(t);
		cli_say("-- ", a, " joined\n");
		break;
	case FT_LEAVE:
		rest = frame_rd_rest(&r, &n);
		if (r.err)
			break;
		cli_stamp(t);
		cli_say("-- ", a, " left (");
		cli_put_text(rest, n);
		printf(")\n");
		break;
	case FT_NICK_CHANGE:
		frame_rd_str8(&r, b, sizeof(b));
		if (r.err)
			break;
		cli_stamp(t);
		if (!strcmp(a, c->nick) && c->nick_pending) {
			cli_say("-- you are now known as ", b, "\n");
			snprintf(c->nick, sizeof(c->nick), "%s", b);
			c->nick_pending = false;
		} else {
			cli_say("-- ", a, " is now known as ");
			cli_say("", b, "\n");
		}
		break;
	case FT_WHO_REPLY: {
		uint8_t last = frame_rd_u8(&r);

		while (!r.err && r.left > 0) {
			frame_rd_str8(&r, a, sizeof(a));
			if (!r.err)
				cli_who_add(c, a);
		}
		if (r.err)
			break;
		if (last) {
			printf("-- %zu here: ", c->who_count);
			cli_who_print(c);
			putchar('\n');
			c->who_count = 0;
		}
		break;
	}
	case FT_ERROR:
		code = frame_rd_u8(&r);
		rest = frame_rd_rest(&r, &n);
		if (r.err)
			break;
		if (!c->registered &&
		    (code == CHAT_ERR_NICK_TAKEN || code == CHAT_ERR_NICK_INVALID)) {
			fputs("chat-client: ", stderr);
			cli_put_escaped(stderr, rest, n);
			fputs("; choose another with --nick\n", stderr);
			return -1;
		}
		if (code == CHAT_ERR_NICK_TAKEN || code == CHAT_ERR_NICK_INVALID) {
			c->nick_pending = false;
			printf("!! ");
			cli_put_text(rest, n);
			putchar('\n');
			break;
		}
		/* The server closes after any other error. */
		c->fatal_error = true;
		fflush(stdout);
		fprintf(stderr, "chat-client: the server closes the connection: ");
		cli_put_escaped(stderr, rest, n);
		fputc('\n', stderr);
		break;
	case FT_NOTICE:
		rest = frame_rd_rest(&r, &n);
		printf("-- server: ");
		cli_put_text(rest, n);
		putchar('\n');
		break;
	default:
		/* A newer server may say more; what we do not know we skip. */
		break;
	}
	if (r.err) {
		fprintf(stderr, "chat-client: malformed frame (type 0x%02x) from the server\n",
			f->type);
		return -1;
	}
	return 0;
}

/* The socket failed with err: expected once we are leaving or were told
 * why the server closes (1), an error otherwise (-1). */
static int cli_sock_failed(const struct cli *c, int err)
{
	if (c->quitting || c->fatal_error)
		return 1;
	fprintf(stderr, "chat-client: connection to the server lost: %s\n",
		strerror(err));
	return -1;
}

/* Returns 0 to go on, 1 when the server closed, -1 on an error. */
static int cli_read_sock(struct cli *c)
{
	uint8_t buf[65536];
	ssize_t n = read(c->sock, buf, sizeof(buf));
	struct frame f;
	int rc;

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		return cli_sock_failed(c, errno);
	}
	if (n == 0) {
		if (!c->quitting && !c->fatal_error)
			fprintf(stderr, "chat-client: the server closed the connection\n");
		return 1;
	}
	if (cbuf_append(&c->in, buf, (size_t)n) < 0) {
		fprintf(stderr, "chat-client: out of memory\n");
		return -1;
	}
	while ((rc = frame_parse(cbuf_head(&c->in), cbuf_used(&c->in),
				 &f)) == 1) {
		if (cli_on_frame(c, &f) < 0)
			return -1;
		cbuf_consume(&c->in, f.total);
	}
	if (rc < 0) {
		fprintf(stderr, "chat-client: bad frame from the server (%s)\n",
			strerror(-rc));
		return -1;
	}
	return 0;
}

static int cli_write_sock(struct cli *c)
{
	while (cbuf_used(&c->out)) {
		ssize_t n = write(c->sock, cbuf_head(&c->out),
				  cbuf_used(&c->out));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return cli_sock_failed(c, errno);
		}
		cbuf_consume(&c->out, (size_t)n);
	}
	return 0;
}

static int cli_run(struct cli *c)
{
	sigset_t block, orig;
	struct sigaction sa = { .sa_handler = cli_on_signal };

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	/* Signals arrive only inside ppoll(), so none is lost between the
	 * check and the wait. */
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (;;) {
		struct pollfd pfd[2];
		struct timespec ts, *tsp = NULL;
		int nfds = 1, rc;

		if (cli_signalled) {
			if (c->quitting)
				return 0;	/* a second Ctrl-C: go now */
			cli_signalled = 0;
			cli_quit(c, "");
		}
		cli_lines(c);
		if (cli_write_sock(c) != 0)
			return c->quitting ? 0 : 1;
		fflush(stdout);

		pfd[0].fd = c->sock;
		pfd[0].events = POLLIN | (cbuf_used(&c->out) ? POLLOUT : 0);
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		if (!c->stdin_eof && !c->quitting && c->registered &&
		    !c->nick_pending && cbuf_used(&c->out) < CLI_OUT_HIGH)
			nfds = 2;
		if (c->quitting) {
			uint64_t now = cli_mono_ms();

			if (now >= c->quit_deadline)
				return 0;
			ts.tv_sec = (time_t)((c->quit_deadline - now) / 1000);
			ts.tv_nsec = (long)((c->quit_deadline - now) % 1000) *
				     1000000;
			tsp = &ts;
		}
		rc = ppoll(pfd, (nfds_t)nfds, tsp, &orig);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "chat-client: poll: %s\n",
				strerror(errno));
			return 1;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			rc = cli_read_sock(c);
			if (rc != 0) {
				fflush(stdout);
				if (rc > 0 && c->quitting && !c->fatal_error)
					return 0;
				return 1;
			}
		}
		if (nfds == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			cli_read_stdin(c);
	}
}

/* ---- set-up ---- */

static int cli_read_file(const char *path, uint8_t *buf, size_t cap,
			 size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			/* One byte more means the file is too long. */
			uint8_t extra;

			r = read(fd, &extra, 1);
			close(fd);
			return r > 0 ? -EFBIG : (*len = n, 0);
		}
	}
	close(fd);
	*len = n;
	return 0;
}

static void cli_free(struct cli *c)
{
	if (c->sock >= 0)
		close(c->sock);
	seal_ctx_free(c->seal);
	if (c->engine)
		vc_engine_close(c->engine);
	cbuf_free(&c->in);
	cbuf_free(&c->out);
	cbuf_free(&c->line);
}

static void cli_usage(FILE *f)
{
	fprintf(f,
		"usage: chat-client [--nick NAME] [--key-file F | --passphrase-file F --room R]\n"
		"                   [--crypto-device PATH] HOST PORT\n"
		"\n"
		"Chat through a chat-server: lines from standard input are sent, messages\n"
		"from the others are printed with their sender and time.  End of input or\n"
		"Ctrl-C leaves.  Type /help in the chat for commands.\n"
		"\n"
		"  -n, --nick NAME            nickname (1-32 letters, digits, '_', '-');\n"
		"                             default: the server picks guestN\n"
		"  -k, --key-file F           encrypt end to end with the key in F (16 to 512\n"
		"                             raw bytes, e.g. head -c 32 /dev/urandom > F)\n"
		"  -P, --passphrase-file F    encrypt end to end with a key stretched from the\n"
		"                             passphrase in F (at least 8 characters;\n"
		"                             PBKDF2-HMAC-SHA256, salted with the room name)\n"
		"  -r, --room R               the conversation's name, the same for everyone\n"
		"                             in it; needed with --passphrase-file\n"
		"  -d, --crypto-device PATH   do the crypto on this cryptodev device (default:\n"
		"                             /dev/crypto, then /dev/cryptodev0, else software)\n"
		"  -h, --help                 show this help\n"
		"\n"
		"Everyone in a conversation needs the same key, or the same passphrase and\n"
		"room; the server never needs them.\n");
}

/* Printable ASCII and line breaks only: a passphrase or a hex string,
 * not random bytes (32 random bytes look like this once in 10^13). */
static bool cli_looks_like_text(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' ||
		      p[i] == '\r' || p[i] == '\t'))
			return false;
	return true;
}

static int cli_setup_crypto(struct cli *c, const char *key_file,
			    const char *pass_file, const char *room,
			    const char *device)
{
	uint8_t secret[SEAL_SECRET_MAX + CLI_PASSPHRASE_MAX];
	char err[256] = "";
	size_t len;
	int rc;

	if (key_file) {
		rc = cli_read_file(key_file, secret, SEAL_SECRET_MAX, &len);
		if (rc) {
			fprintf(stderr, "chat-client: key file %s: %s\n",
				key_file, rc == -EFBIG ?
				"longer than 512 bytes" : strerror(-rc));
			return -1;
		}
		if (len < SEAL_SECRET_MIN) {
			fprintf(stderr, "chat-client: key file %s holds %zu bytes; at least %d are needed (make one with: head -c 32 /dev/urandom > FILE)\n",
				key_file, len, SEAL_SECRET_MIN);
			return -1;
		}
		if (cli_looks_like_text(secret, len))
			fprintf(stderr, "chat-client: warning: key file %s looks like text; its bytes are used raw as the key, not stretched like a passphrase (for a passphrase use --passphrase-file with --room; for a key: head -c 32 /dev/urandom > FILE)\n",
				key_file);
	} else {
		uint8_t pass[CLI_PASSPHRASE_MAX];

		rc = cli_read_file(pass_file, pass, sizeof(pass), &len);
		if (rc) {
			fprintf(stderr, "chat-client: passphrase file %s: %s\n",
				pass_file, rc == -EFBIG ?
				"longer than 1024 bytes" : strerror(-rc));
			return -1;
		}
		/* A file written by echo or an editor ends in a newline
		 * that is not part of the passphrase. */
		if (len && pass[len - 1] == '\n')
			len--;
		if (len && pass[len - 1] == '\r')
			len--;
		if (len == 0) {
			fprintf(stderr, "chat-client: passphrase file %s is empty\n",
				pass_file);
			return -1;
		}
		if (seal_passphrase_chars(pass, len) < SEAL_PASSPHRASE_MIN) {
			fprintf(stderr, "chat-client: the passphrase in %s is too short: at least %d characters are needed\n",
				pass_file, SEAL_PASSPHRASE_MIN);
			memset(pass, 0, sizeof(pass));
			return -1;
		}
		rc = seal_secret_from_passphrase(pass, len, room, secret);
		memset(pass, 0, sizeof(pass));
		if (rc) {
			fprintf(stderr, "chat-client: cannot stretch the passphrase: %s\n",
				strerror(-rc));
			return -1;
		}
		len = SEAL_SECRET_LEN;
	}

	rc = vc_engine_open(&c->engine, device, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "chat-client: crypto device %s: %s\n",
			device ? device : "(automatic)",
			err[0] ? err : strerror(-rc));
		memset(secret, 0, sizeof(secret));
		return -1;
	}
	fprintf(stderr, "chat-client: crypto engine: %s\n",
		vc_engine_name(c->engine));
	rc = seal_ctx_new(&c->seal, c->engine, secret, len);
	memset(secret, 0, sizeof(secret));
	if (rc) {
		fprintf(stderr, "chat-client: cannot set up encryption on %s: %s\n",
			vc_engine_name(c->engine), strerror(-rc));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nick", required_argument, NULL, 'n' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "room", required_argument, NULL, 'r' },
		{ "crypto-device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *nick = "", *key_file = NULL, *pass_file = NULL;
	const char *device = NULL, *room = NULL;
	struct cli c = { .sock = -1 };
	char err[256];
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "n:k:P:r:d:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			nick = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'P':
			pass_file = optarg;
			break;
		case 'r':
			room = optarg;
			break;
		case 'd':
			device = optarg;
			break;
		case 'h':
			cli_usage(stdout);
			return 0;
		default:
			cli_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "chat-client: %s\n", argc - optind < 2 ?
			"HOST and PORT are needed" : "too many arguments");
		cli_usage(stderr);
		return 2;
	}
	c.host = argv[optind];
	c.port = argv[optind + 1];
	if (net_parse_port(c.port) <= 0) {
		fprintf(stderr, "chat-client: invalid port '%s' (1-65535)\n",
			c.port);
		return 2;
	}
	if (strlen(nick) > CHAT_NICK_MAX) {
		fprintf(stderr, "chat-client: nickname longer than %d bytes\n",
			CHAT_NICK_MAX);
		return 2;
	}
	if (key_file && pass_file) {
		fprintf(stderr, "chat-client: give --key-file or --passphrase-file, not both\n");
		return 2;
	}
	if (pass_file && !room) {
		fprintf(stderr, "chat-client: --passphrase-file needs --room NAME, the same for everyone in the conversation (it salts the passphrase)\n");
		return 2;
	}
	if (room && (!pass_file || !*room || strlen(room) > SEAL_ROOM_MAX)) {
		fprintf(stderr, "chat-client: %s\n", !pass_file ?
			"--room goes with --passphrase-file" :
			"the room name must be 1 to 255 bytes");
		return 2;
	}
	if (device && !key_file && !pass_file) {
		fprintf(stderr, "chat-client: --crypto-device needs --key-file or --passphrase-file\n");
		return 2;
	}
	if ((key_file || pass_file) &&
	    cli_setup_crypto(&c, key_file, pass_file, room, device) < 0) {
		cli_free(&c);
		return 1;
	}

	c.sock = net_connect(c.host, c.port, CLI_CONNECT_TIMEOUT_MS, err,
			     sizeof(err));
	if (c.sock < 0) {
		fprintf(stderr, "chat-client: %s\n", err);
		cli_free(&c);
		return 1;
	}
	net_set_nonblock(c.sock, 1);
	net_set_nodelay(c.sock);
	setvbuf(stdout, NULL, _IOLBF, 0);
	cli_send_hello(&c, nick);

	rc = cli_run(&c);
	fflush(stdout);
	cli_free(&c);
	return rc;
}
