/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the chat's loopback tests: start chat-server and chat-client
 * as child processes with pipes, and talk to the server as a raw client
 * frame by frame.  Every wait is bounded, so a bug fails a test instead of
 * hanging it.
 */
#ifndef TESTS_CHAT_HARNESS_H
#define TESTS_CHAT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../chat/buf.h"
#include "../../chat/frame.h"

/* Generous: the programs under test run with sanitizers, or inside a
 * guest under TCG beside other guests (make check), where a passphrase
 * client's 600,000 PBKDF2 rounds alone have taken over 15 s.  Only a
 * failure waits this long. */
#define TH_TIMEOUT_MS	60000

/* Where chat-server and chat-client are: $CHAT_BIN_DIR, else
 * <directory of argv0>/../bin.  Call once from main. */
void th_init(const char *argv0);
/* Full path of a program in that directory (static storage, per call). */
const char *th_bin(const char *name);

/* ---- child processes ---- */

struct th_proc {
	pid_t pid;
	int in, out, err;	/* pipe ends, -1 when closed */
	struct cbuf obuf, ebuf;	/* everything read so far, NUL-terminated */
};

/* argv[0] is the program path; NULL-terminated. 0 or -errno. */
int th_spawn(struct th_proc *p, const char *const argv[]);
void th_write(struct th_proc *p, const char *text);
void th_close_stdin(struct th_proc *p);
/* Read what is there for up to timeout_ms. */
void th_pump(struct th_proc *p, int timeout_ms);
/* Wait until needle shows in stdout (or stderr), up to timeout_ms. */
bool th_wait_stdout(struct th_proc *p, const char *needle, int timeout_ms);
bool th_wait_stderr(struct th_proc *p, const char *needle, int timeout_ms);
const char *th_stdout(struct th_proc *p);
const char *th_stderr(struct th_proc *p);
/*
 * Wait for the process to end: its exit status, 128 + signal when killed,
 * or -1 on timeout (it is then killed).  Output is collected meanwhile.
 */
int th_wait_exit(struct th_proc *p, int timeout_ms);
void th_kill(struct th_proc *p, int sig);
void th_proc_free(struct th_proc *p);
/* Whether `name --help` exits 0 and prints "usage: name" on stdout. */
bool th_help_shows_usage(const char *name);

/* ---- the server ---- */

struct th_server {
	struct th_proc proc;
	int port;
};

/* Start chat-server on a free port, plus extra arguments (NULL-ended). */
int th_server_start(struct th_server *s, const char *const extra[]);
/* SIGTERM, then its exit status (0 when it stopped cleanly). */
int th_server_stop(struct th_server *s);

/* ---- raw connections ---- */

struct th_conn {
	int fd;
	struct cbuf in;
};

struct th_frame {
	uint8_t type;
	size_t len;
	uint8_t payload[FRAME_MAX_BODY];
};

/* A decoded RELAY_MSG / RELAY_ACTION / RELAY_SEALED / JOIN / LEAVE. */
struct th_relay {
	uint64_t time_ms;
	char from[CHAT_NICK_MAX + 1];
	const uint8_t *text;
	size_t len;
};

int th_conn_open(struct th_conn *c, const char *host, int port);
/* The same from the IPv4 source address src (any of 127/8 on loopback). */
int th_conn_open_from(struct th_conn *c, const char *src, const char *host,
		      int port);
void th_conn_close(struct th_conn *c);
/* Close with a reset (SO_LINGER 0), as a crashed peer would. */
void th_conn_abort(struct th_conn *c);
int th_conn_send_raw(struct th_conn *c, const void *p, size_t n);
int th_conn_send(struct th_conn *c, uint8_t type, const void *p, size_t n);
/* 1: a frame, 0: timeout, -1: EOF or error, -2: a malformed frame. */
int th_conn_recv(struct th_conn *c, struct th_frame *f, int timeout_ms);
/* Skip frames until one of the given type: 1, 0 timeout, < 0 as above. */
int th_conn_expect(struct th_conn *c, uint8_t type, struct th_frame *f,
		   int timeout_ms);
/* Read and discard until EOF: true when it came in time. */
bool th_conn_wait_eof(struct th_conn *c, int timeout_ms);
/* Connect to 127.0.0.1:port, say HELLO as nick, wait for WELCOME. 0/-1. */
int th_conn_join(struct th_conn *c, int port, const char *nick);
bool th_relay_parse(const struct th_frame *f, struct th_relay *r);

uint64_t th_now_ms(void);
/* Raise the open-file limit to its maximum. */
void th_raise_nofile(void);

#endif /* TESTS_CHAT_HARNESS_H */
