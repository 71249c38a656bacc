// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chat-client end to end: real chat-client processes fed through pipes,
 * talking through a real chat-server on loopback, plain and encrypted.
 * What each client prints is checked, and so is what crosses the wire: a
 * relay in the middle records every byte, and a raw client in the room sees
 * what the server relays.  With keys, neither may ever show the text.
 *
 * VC_TEST_DEVICE=PATH makes the encrypting clients use that cryptodev
 * device (--crypto-device PATH), e.g. /dev/cryptodev0 in the guest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "../../chat/seal.h"

static const char *test_device;

struct fixture {
	struct th_server srv;
	char dir[256];
	char key1[300], key2[300], pass1[300], pass2[300];
	struct th_frame f;
};

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");
	uint8_t key[32];
	int fd;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/chat-test-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->key1, sizeof(fx->key1), "%s/key1", fx->dir);
	snprintf(fx->key2, sizeof(fx->key2), "%s/key2", fx->dir);
	snprintf(fx->pass1, sizeof(fx->pass1), "%s/pass1", fx->dir);
	snprintf(fx->pass2, sizeof(fx->pass2), "%s/pass2", fx->dir);
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, key, sizeof(key)) != sizeof(key))
		return -1;
	write_file(fx->key1, key, sizeof(key));
	if (read(fd, key, sizeof(key)) != sizeof(key))
		return -1;
	close(fd);
	write_file(fx->key2, key, sizeof(key));
	write_file(fx->pass1, "correct horse battery staple\n", 29);
	write_file(fx->pass2, "correct horse battery stapler\n", 30);
	if (th_server_start(&fx->srv, NULL) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	const char *const files[] = { fx->key1, fx->key2, fx->pass1,
				      fx->pass2 };
	size_t i;

	if (fx->srv.proc.pid > 0)
		th_server_stop(&fx->srv);
	th_proc_free(&fx->srv.proc);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/*
 * Start chat-client as nick on port; secret_opt is NULL, "--key-file" or
 * "--passphrase-file" (then in room).  Waits until it is in the room.
 */
static void start_client_in(struct th_proc *p, int port, const char *nick,
			    const char *secret_opt, const char *secret_file,
			    const char *room)
{
	const char *argv[14];
	char portstr[16];
	int n = 0;

	snprintf(portstr, sizeof(portstr), "%d", port);
	argv[n++] = th_bin("chat-client");
	argv[n++] = "--nick";
	argv[n++] = nick;
	if (secret_opt) {
		argv[n++] = secret_opt;
		argv[n++] = secret_file;
		if (!strcmp(secret_opt, "--passphrase-file")) {
			argv[n++] = "--room";
			argv[n++] = room;
		}
		if (test_device) {
			argv[n++] = "--crypto-device";
			argv[n++] = test_device;
		}
	}
	argv[n++] = "127.0.0.1";
	argv[n++] = portstr;
	argv[n] = NULL;
	assert_int_equal(th_spawn(p, argv), 0);
	if (!th_wait_stdout(p, "-- connected to", TH_TIMEOUT_MS)) {
		fprintf(stderr, "%s did not connect:\n%s%s\n", nick,
			th_stdout(p), th_stderr(p));
		fail();
	}
}

static void start_client(struct th_proc *p, int port, const char *nick,
			 const char *secret_opt, const char *secret_file)
{
	start_client_in(p, port, nick, secret_opt, secret_file, "lobby");
}

/* End a client by closing its input: it must leave cleanly. */
static void finish_client(struct th_proc *p)
{
	int rc;

	th_close_stdin(p);
	rc = th_wait_exit(p, TH_TIMEOUT_MS);
	if (rc != 0)
		fprintf(stderr, "client exit %d:\n%s%s\n", rc, th_stdout(p),
			th_stderr(p));
	assert_int_equal(rc, 0);
	th_proc_free(p);
}

static void expect_line(struct th_proc *p, const char *text)
{
	if (!th_wait_stdout(p, text, TH_TIMEOUT_MS)) {
		fprintf(stderr, "expected \"%s\" in:\n%s\nstderr:\n%s\n", text,
			th_stdout(p), th_stderr(p));
		fail();
	}
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

static void assert_server_stops_cleanly(struct fixture *fx)
{
	assert_int_equal(th_server_stop(&fx->srv), 0);
}

static void plain_clients_over_pipes_see_each_others_messages(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b, c;

	start_client(&a, fx->srv.port, "alice", NULL, NULL);
	start_client(&b, fx->srv.port, "bob", NULL, NULL);
	start_client(&c, fx->srv.port, "carol", NULL, NULL);
	expect_line(&a, "-- bob joined");
	expect_line(&a, "-- carol joined");

	th_write(&a, "hello from alice\n");
	expect_line(&b, "<alice> hello from alice");
	expect_line(&c, "<alice> hello from alice");
	th_write(&b, "/me waves\n");
	expect_line(&a, "* bob waves");
	expect_line(&c, "* bob waves");
	/* Messages carry the time: "[HH:MM:SS] <alice> ..." */
	assert_non_null(strstr(th_stdout(&b), "] <alice> hello from alice"));
	assert_int_equal(th_stdout(&b)[strstr(th_stdout(&b), "] <alice>") -
				       th_stdout(&b) - 9], '[');
	/* Nobody is shown their own words. */
	assert_null(strstr(th_stdout(&a), "<alice>"));

	finish_client(&c);
	expect_line(&a, "-- carol left (quit)");
	finish_client(&b);
	finish_client(&a);
	assert_server_stops_cleanly(fx);
}

static void commands_nick_who_and_help_work(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b;

	start_client(&a, fx->srv.port, "alice", NULL, NULL);
	start_client(&b, fx->srv.port, "bob", NULL, NULL);
	th_write(&b, "/nick robert\n");
	expect_line(&b, "-- you are now known as robert");
	expect_line(&a, "-- bob is now known as robert");
	th_write(&b, "/nick alice\n");
	expect_line(&b, "!! nickname 'alice' is already taken");
	th_write(&b, "after the refusal\n");
	expect_line(&a, "<robert> after the refusal");
	th_write(&a, "/who\n");
	expect_line(&a, "-- 2 here: ");
	assert_non_null(strstr(th_stdout(&a), "robert"));
	th_write(&a, "/help\n");
	expect_line(&a, "/nick NAME");
	th_write(&a, "/frobnicate\n");
	expect_line(&a, "!! unknown command /frobnicate");
	th_write(&a, "//slash at the start\n");
	expect_line(&b, "<alice> /slash at the start");
	th_write(&a, "/quit see you\n");
	assert_int_equal(th_wait_exit(&a, TH_TIMEOUT_MS), 0);
	expect_line(&b, "-- alice left (quit: see you)");
	th_proc_free(&a);
	finish_client(&b);
	assert_server_stops_cleanly(fx);
}

static void encrypted_clients_exchange_messages_end_to_end(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b;

	start_client(&a, fx->srv.port, "alice", "--key-file", fx->key1);
	start_client(&b, fx->srv.port, "bob", "--key-file", fx->key1);
	/* The engine in use is named, once. */
	assert_non_null(strstr(th_stderr(&a), "chat-client: crypto engine: "));
	th_write(&a, "a secret only bob may read\n");
	expect_line(&b, "<alice> a secret only bob may read");
	th_write(&b, "/me nods silently\n");
	expect_line(&a, "* bob nods silently");
	finish_client(&a);
	finish_client(&b);
	assert_server_stops_cleanly(fx);
}

static void passphrase_clients_understand_each_other_only(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b, c, d;

	start_client(&a, fx->srv.port, "alice", "--passphrase-file", fx->pass1);
	start_client(&b, fx->srv.port, "bob", "--passphrase-file", fx->pass1);
	start_client(&c, fx->srv.port, "eve", "--passphrase-file", fx->pass2);
	/* The same passphrase for another room is another key. */
	start_client_in(&d, fx->srv.port, "dan", "--passphrase-file",
			fx->pass1, "lobby2");
	th_write(&a, "stretched, not stirred\n");
	expect_line(&b, "<alice> stretched, not stirred");
	expect_line(&c, "!! message from alice could not be authenticated");
	expect_line(&d, "!! message from alice could not be authenticated");
	assert_null(strstr(th_stdout(&c), "stirred"));
	assert_null(strstr(th_stdout(&d), "stirred"));
	finish_client(&a);
	finish_client(&b);
	finish_client(&c);
	finish_client(&d);
	assert_server_stops_cleanly(fx);
}

static void wrong_key_is_reported_and_never_prints_the_text(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b, eve, plain;

	start_client(&a, fx->srv.port, "alice", "--key-file", fx->key1);
	start_client(&b, fx->srv.port, "bob", "--key-file", fx->key1);
	start_client(&eve, fx->srv.port, "eve", "--key-file", fx->key2);
	start_client(&plain, fx->srv.port, "pat", NULL, NULL);
	th_write(&a, "the vault code is 1234\n");
	expect_line(&b, "<alice> the vault code is 1234");
	expect_line(&eve, "!! message from alice could not be authenticated \u2014 wrong key?");
	expect_line(&plain, "!! encrypted message from alice");
	/* A message in clear is marked as such to those who encrypt. */
	th_write(&plain, "I have no key\n");
	expect_line(&a, "<pat> (not encrypted) I have no key");
	assert_null(strstr(th_stdout(&eve), "vault"));
	assert_null(strstr(th_stdout(&plain), "vault"));
	finish_client(&a);
	finish_client(&b);
	finish_client(&eve);
	finish_client(&plain);
	assert_server_stops_cleanly(fx);
}

/*
 * A relay between the clients and the server records every byte both ways.
 * It runs in a child process until killed.
 */
static pid_t start_recording_relay(int server_port, const char *capture,
				   int *relay_port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int lfd, out;
	pid_t pid;

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	*relay_port = ntohs(sa.sin_port);
	out = open(capture, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		   0600);
	assert_true(out >= 0);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid > 0) {
		close(lfd);
		close(out);
		return pid;
	}

	/* The relay: pairs of (client, server) sockets, up to 8. */
	{
		struct pollfd pfd[17];
		int peer[17];
		int n = 1, i;

		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (;;) {
			if (poll(pfd, (nfds_t)n, -1) <= 0)
				continue;
			if ((pfd[0].revents & POLLIN) && n + 2 <= 17) {
				struct th_conn up;
				int cfd = accept(lfd, NULL, NULL);

				if (cfd >= 0 && th_conn_open(&up, "127.0.0.1",
							     server_port) == 0) {
					pfd[n] = (struct pollfd){ .fd = cfd, .events = POLLIN };
					peer[n] = n + 1;
					pfd[n + 1] = (struct pollfd){ .fd = up.fd, .events = POLLIN };
					peer[n + 1] = n;
					n += 2;
				}
			}
			for (i = 1; i < n; i++) {
				char buf[65536];
				ssize_t r;

				if (pfd[i].fd < 0 ||
				    !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				r = read(pfd[i].fd, buf, sizeof(buf));
				if (r <= 0) {
					shutdown(pfd[peer[i]].fd, SHUT_WR);
					pfd[i].fd = -pfd[i].fd - 1;
					continue;
				}
				if (write(out, buf, (size_t)r) != r ||
				    write(pfd[peer[i]].fd, buf, (size_t)r) != r)
					_exit(1);
			}
		}
	}
}

static char *read_capture(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void wire_and_server_carry_only_ciphertext(void **state)
{
	struct fixture *fx = *state;
	static const char *const secrets[] = {
		"the eagle lands at midnight",
		"bring the blue folder",
		"nods knowingly",
	};
	char capture[320];
	struct th_proc a, b;
	struct th_conn observer;
	struct th_relay r;
	int relay_port, sealed = 0, status;
	pid_t relay;
	size_t len, i;
	char *wire;

	snprintf(capture, sizeof(capture), "%s/wire", fx->dir);
	relay = start_recording_relay(fx->srv.port, capture, &relay_port);
	/* In the room without a key, as the server or an eavesdropper. */
	assert_int_equal(th_conn_join(&observer, fx->srv.port, "observer"), 0);
	start_client(&a, relay_port, "alice", "--key-file", fx->key1);
	start_client(&b, relay_port, "bob", "--key-file", fx->key1);
	th_write(&a, "the eagle lands at midnight\n");
	expect_line(&b, "<alice> the eagle lands at midnight");
	th_write(&b, "bring the blue folder\n");
	expect_line(&a, "<bob> bring the blue folder");
	th_write(&b, "/me nods knowingly\n");
	expect_line(&a, "* bob nods knowingly");
	finish_client(&a);
	finish_client(&b);

	/* What the server relayed: sealed frames only, none readable. */
	while (th_conn_recv(&observer, &fx->f, 500) == 1) {
		assert_int_not_equal(fx->f.type, FT_RELAY_MSG);
		assert_int_not_equal(fx->f.type, FT_RELAY_ACTION);
		if (fx->f.type != FT_RELAY_SEALED)
			continue;
		sealed++;
		assert_true(th_relay_parse(&fx->f, &r));
		for (i = 0; i < 3; i++)
			assert_null(memmem(r.text, r.len, secrets[i],
					   strlen(secrets[i])));
		assert_null(memmem(r.text, r.len, "eagle", 5));
	}
	assert_int_equal(sealed, 3);
	th_conn_close(&observer);

	kill(relay, SIGTERM);
	waitpid(relay, &status, 0);
	wire = read_capture(capture, &len);
	unlink(capture);
	/* Both directions went through: joins, sealed frames, leaves. */
	assert_true(len > 3 * (19 + 16 + 32));	/* header, IV, tag */
	assert_non_null(memmem(wire, len, "alice", 5));	/* names are not secret */
	for (i = 0; i < 3; i++)
		assert_null(memmem(wire, len, secrets[i], strlen(secrets[i])));
	assert_null(memmem(wire, len, "eagle", 5));
	assert_null(memmem(wire, len, "folder", 6));
	assert_null(memmem(wire, len, "knowingly", 9));
	free(wire);
	assert_server_stops_cleanly(fx);
}

/* alice's sealed line to bob, caught and played back by an attacker. */
struct replay {
	const char *text;
	struct th_proc bob;
	struct th_conn observer;	/* in the room without the key */
	struct th_conn attacker;
	uint8_t sealed[FRAME_MAX_BODY];	/* as the observer saw it relayed */
	size_t len;
};

/* alice says text to bob, both with key1, and leaves. */
static void replay_begin(struct fixture *fx, struct replay *rp,
			 const char *text)
{
	char line[128];
	struct th_proc a;
	struct th_relay r;

	rp->text = text;
	assert_int_equal(th_conn_join(&rp->observer, fx->srv.port, "observer"),
			 0);
	start_client(&a, fx->srv.port, "alice", "--key-file", fx->key1);
	start_client(&rp->bob, fx->srv.port, "bob", "--key-file", fx->key1);
	snprintf(line, sizeof(line), "%s\n", text);
	th_write(&a, line);
	snprintf(line, sizeof(line), "<alice> %s", text);
	expect_line(&rp->bob, line);
	assert_int_equal(th_conn_expect(&rp->observer, FT_RELAY_SEALED, &fx->f,
					TH_TIMEOUT_MS), 1);
	assert_true(th_relay_parse(&fx->f, &r));
	memcpy(rp->sealed, r.text, r.len);
	rp->len = r.len;
	finish_client(&a);
	expect_line(&rp->bob, "-- alice left");
}

/* Taking alice's name, the attacker sends her message again. */
static void replay_as_alice(struct fixture *fx, struct replay *rp)
{
	assert_int_equal(th_conn_join(&rp->attacker, fx->srv.port, "alice"), 0);
	assert_int_equal(th_conn_send(&rp->attacker, FT_SEALED, rp->sealed,
				      rp->len), 0);
	expect_line(&rp->bob, "!! replayed message from alice refused");
}

/* bob showed the text once, when it was genuine. */
static void replay_end(struct fixture *fx, struct replay *rp)
{
	th_conn_close(&rp->attacker);
	th_conn_close(&rp->observer);
	assert_int_equal(count(th_stdout(&rp->bob), rp->text), 1);
	finish_client(&rp->bob);
	assert_server_stops_cleanly(fx);
}

static void replayed_tampered_and_misattributed_messages_are_refused(void **state)
{
	struct fixture *fx = *state;
	struct replay rp;

	replay_begin(fx, &rp, "pay carol 10 coins");

	/* Someone else sends alice's sealed message as their own. */
	assert_int_equal(th_conn_join(&rp.attacker, fx->srv.port, "mallory"), 0);
	assert_int_equal(th_conn_send(&rp.attacker, FT_SEALED, rp.sealed,
				      rp.len), 0);
	expect_line(&rp.bob, "!! message relayed as from mallory was sealed by alice: refused");
	th_conn_close(&rp.attacker);

	/* Taking alice's name, the same message is a replay. */
	replay_as_alice(fx, &rp);

	/* And changed in one bit, it is not authentic. */
	rp.sealed[rp.len - 40] ^= 1;
	assert_int_equal(th_conn_send(&rp.attacker, FT_SEALED, rp.sealed,
				      rp.len), 0);
	expect_line(&rp.bob, "!! message from alice could not be authenticated");
	replay_end(fx, &rp);
}

static void replay_shows_text_only_once(void **state)
{
	struct fixture *fx = *state;
	struct replay rp;

	replay_begin(fx, &rp, "only once please");
	replay_as_alice(fx, &rp);
	replay_end(fx, &rp);
}

static void client_leaves_cleanly_on_ctrl_c(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b;

	start_client(&a, fx->srv.port, "alice", NULL, NULL);
	start_client(&b, fx->srv.port, "bob", NULL, NULL);
	th_kill(&b, SIGINT);
	assert_int_equal(th_wait_exit(&b, TH_TIMEOUT_MS), 0);
	expect_line(&a, "-- bob left (quit)");
	th_proc_free(&b);
	finish_client(&a);
	assert_server_stops_cleanly(fx);
}

static void taken_nickname_is_a_clear_error(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a, b;
	char port[16];
	const char *argv[] = { th_bin("chat-client"), "--nick", "alice",
			       "127.0.0.1", port, NULL };

	start_client(&a, fx->srv.port, "alice", NULL, NULL);
	snprintf(port, sizeof(port), "%d", fx->srv.port);
	assert_int_equal(th_spawn(&b, argv), 0);
	assert_int_equal(th_wait_exit(&b, TH_TIMEOUT_MS), 1);
	assert_non_null(strstr(th_stderr(&b), "nickname 'alice' is already taken"));
	th_proc_free(&b);
	finish_client(&a);
	assert_server_stops_cleanly(fx);
}

static void refused_connection_is_a_clear_error(void **state)
{
	struct fixture *fx = *state;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	char port[16];
	const char *argv[] = { th_bin("chat-client"), "127.0.0.1", port, NULL };
	struct th_proc p;
	int fd;

	/* A port that is bound but not listening refuses connections. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(port, sizeof(port), "%d", ntohs(sa.sin_port));
	assert_int_equal(th_spawn(&p, argv), 0);
	assert_int_equal(th_wait_exit(&p, TH_TIMEOUT_MS), 1);
	assert_non_null(strstr(th_stderr(&p), "refused"));
	th_proc_free(&p);
	close(fd);
	assert_server_stops_cleanly(fx);
}

static void bad_arguments_are_reported(void **state)
{
	struct fixture *fx = *state;
	char shortkey[320], shortpass[320];
	struct {
		const char *args[8];
		int status;
		const char *says;
	} cases[] = {
		{ { NULL }, 2, "HOST and PORT" },
		{ { "localhost", NULL }, 2, "HOST and PORT" },
		{ { "localhost", "0", NULL }, 2, "invalid port" },
		{ { "localhost", "http", NULL }, 2, "invalid port" },
		{ { "--key-file", fx->key1, "--passphrase-file", fx->pass1,
		    "h", "1" }, 2, "not both" },
		{ { "--crypto-device", "/dev/null", "h", "1", NULL }, 2,
		  "needs --key-file" },
		{ { "--key-file", "/nonexistent/key", "h", "1", NULL }, 1,
		  "key file /nonexistent/key" },
		{ { "--key-file", shortkey, "h", "1", NULL }, 1,
		  "at least 16" },
		{ { "--passphrase-file", fx->pass1, "h", "1", NULL }, 2,
		  "needs --room" },
		{ { "--room", "lobby", "h", "1", NULL }, 2,
		  "--room goes with --passphrase-file" },
		{ { "--passphrase-file", shortpass, "--room", "lobby", "h", "1",
		    NULL }, 1, "at least 8 characters" },
		{ { "--frobnicate", NULL }, 2, "usage" },
	};
	size_t i;

	snprintf(shortkey, sizeof(shortkey), "%s/short", fx->dir);
	write_file(shortkey, "too short", 9);
	snprintf(shortpass, sizeof(shortpass), "%s/shortpass", fx->dir);
	write_file(shortpass, "seven c\n", 8);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[10] = { th_bin("chat-client") };
		struct th_proc p;
		int j;

		for (j = 0; j < 8 && cases[i].args[j]; j++)
			argv[j + 1] = cases[i].args[j];
		argv[j + 1] = NULL;
		assert_int_equal(th_spawn(&p, argv), 0);
		assert_int_equal(th_wait_exit(&p, TH_TIMEOUT_MS), cases[i].status);
		if (!strstr(th_stderr(&p), cases[i].says)) {
			fprintf(stderr, "case %zu: expected \"%s\" in: %s\n", i,
				cases[i].says, th_stderr(&p));
			fail();
		}
		th_proc_free(&p);
	}
	unlink(shortkey);
	unlink(shortpass);
	assert_true(th_help_shows_usage("chat-client"));
	assert_server_stops_cleanly(fx);
}

static void client_reports_the_server_going_away(void **state)
{
	struct fixture *fx = *state;
	struct th_proc a;

	start_client(&a, fx->srv.port, "alice", NULL, NULL);
	assert_server_stops_cleanly(fx);
	assert_int_equal(th_wait_exit(&a, TH_TIMEOUT_MS), 1);
	assert_non_null(strstr(th_stderr(&a), "server is shutting down"));
	th_proc_free(&a);
}


static void key_file_that_looks_like_text_gets_a_warning(void **state)
{
	struct fixture *fx = *state;
	char textkey[320];
	struct th_proc a, b;

	snprintf(textkey, sizeof(textkey), "%s/textkey", fx->dir);
	write_file(textkey, "my secret passphrase, not a key\n", 32);
	start_client(&a, fx->srv.port, "alice", "--key-file", textkey);
	assert_non_null(strstr(th_stderr(&a), "looks like text"));
	assert_non_null(strstr(th_stderr(&a), "used raw"));
	/* It still works as a key, and random bytes raise no warning. */
	start_client(&b, fx->srv.port, "bob", "--key-file", fx->key1);
	assert_null(strstr(th_stderr(&b), "looks like text"));
	finish_client(&a);
	finish_client(&b);
	unlink(textkey);
	assert_server_stops_cleanly(fx);
}

/* ---- a hostile server ---- */

/* A listening socket on 127.0.0.1; its port in *port. */
static int fake_server_listen(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(lfd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return lfd;
}

static void fake_send(int fd, struct frame_wr *w)
{
	int n = frame_wr_end(w);

	assert_true(n > 0);
	assert_int_equal(write(fd, w->buf, (size_t)n), n);
}

/* A relayed frame: u64 time, str8 name, then the bytes. */
static void fake_relay(int fd, uint8_t type, const char *from,
		       const void *p, size_t n)
{
	struct frame_wr w;

	frame_wr_begin(&w, type);
	frame_wr_u64(&w, 0);
	frame_wr_str8(&w, from, strlen(from));
	frame_wr_bytes(&w, p, n);
	fake_send(fd, &w);
}

static void assert_no_terminal_controls(const char *out, const char *what)
{
	static const char *const raw[] = {
		"\x1b", "\x9b", "\x07", "\x7f", "\x08", "\r",
		"\xc2\x9b",		/* U+009B, CSI as UTF-8 */
		"\xe2\x80\xae",		/* U+202E RIGHT-TO-LEFT OVERRIDE */
		"\xe2\x81\xa6",		/* U+2066 LEFT-TO-RIGHT ISOLATE */
	};
	size_t i;

	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		if (strstr(out, raw[i])) {
			fprintf(stderr, "raw control %zu on %s:\n%s\n", i, what,
				out);
			fail();
		}
	}
}

/*
 * Everything a server relays reaches the terminal escaped: names (the
 * relayed ones and the one inside a sealed message), text, reasons,
 * notices and errors, with C0 and C1 controls, DEL, a raw 0x9b and bidi
 * overrides; printable UTF-8 shows as it is.
 */
static void control_sequences_from_the_network_are_shown_escaped(void **state)
{
	struct fixture *fx = *state;
	static const char text[] =
		"red\x1b[31m csi\x9b" "2J c1\xc2\x9b" "bell\x07 del\x7f "
		"rlo\xe2\x80\xae" "cba lri\xe2\x81\xa6 cr\r "
		"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac end";
	static const char evil_sealer[] = "m\x1b[2Jallory\xe2\x80\xae";
	uint8_t key[64], sealed[SEAL_MAX_LEN], buf[4096];
	struct seal_ctx *seal;
	struct vc_engine *engine;
	struct frame_wr w;
	struct th_proc p;
	char port[16], err[256];
	size_t keylen, len;
	int lfd, fd, portn, fdk;
	const char *argv[] = { th_bin("chat-client"), "--key-file", fx->key1,
			       "127.0.0.1", port, NULL };

	/* Messages sealed with the key the client has, under evil names. */
	fdk = open(fx->key1, O_RDONLY | O_CLOEXEC);
	assert_true(fdk >= 0);
	keylen = (size_t)read(fdk, key, sizeof(key));
	close(fdk);
	assert_int_equal(vc_engine_open(&engine, test_device, err, sizeof(err)), 0);
	assert_int_equal(seal_ctx_new(&seal, engine, key, keylen), 0);

	lfd = fake_server_listen(&portn);
	snprintf(port, sizeof(port), "%d", portn);
	assert_int_equal(th_spawn(&p, argv), 0);
	{
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };

		assert_int_equal(poll(&pfd, 1, TH_TIMEOUT_MS), 1);
	}
	fd = accept(lfd, NULL, NULL);
	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf)) > 0);	/* its HELLO */

	frame_wr_begin(&w, FT_WELCOME);
	frame_wr_str8(&w, "me\x1b[31m", 7);
	frame_wr_u32(&w, 3);
	frame_wr_bytes(&w, "banner", 6);
	fake_send(fd, &w);
	fake_relay(fd, FT_RELAY_MSG, "ev\x9bil\x1b]0;t\x07", text,
		   sizeof(text) - 1);
	fake_relay(fd, FT_RELAY_ACTION, "a\xe2\x80\xae" "b", "acts\x1b[1m", 8);
	fake_relay(fd, FT_JOIN, "j\x07", NULL, 0);
	fake_relay(fd, FT_LEAVE, "l\x1b", "r\x9b", 2);
	frame_wr_begin(&w, FT_NICK_CHANGE);
	frame_wr_u64(&w, 0);
	frame_wr_str8(&w, "x\x1b", 2);
	frame_wr_str8(&w, "y\xe2\x81\xa6", 4);
	fake_send(fd, &w);
	frame_wr_begin(&w, FT_WHO_REPLY);
	frame_wr_u8(&w, 1);
	frame_wr_str8(&w, "w\x1b[H", 4);
	frame_wr_str8(&w, "ok", 2);
	fake_send(fd, &w);
	frame_wr_begin(&w, FT_NOTICE);
	frame_wr_bytes(&w, "n\x1b]0;title\x07", 11);
	fake_send(fd, &w);
	/* Sealed by an evil name and relayed under it: opened, printed. */
	assert_int_equal(seal_message(seal, evil_sealer, SEAL_KIND_TEXT,
				      (const uint8_t *)text, sizeof(text) - 1,
				      sealed, sizeof(sealed), &len), 0);
	fake_relay(fd, FT_RELAY_SEALED, evil_sealer, sealed, len);
	/* Sealed by it, relayed as bob: refused, naming the sealer. */
	assert_int_equal(seal_message(seal, evil_sealer, SEAL_KIND_TEXT,
				      (const uint8_t *)"x", 1, sealed,
				      sizeof(sealed), &len), 0);
	fake_relay(fd, FT_RELAY_SEALED, "bob", sealed, len);
	/* Not even a sealed message, from a name with controls. */
	fake_relay(fd, FT_RELAY_SEALED, "z\x1b", "garbage", 7);
	fake_relay(fd, FT_RELAY_MSG, "fin", "the end", 7);
	expect_line(&p, "<fin> (not encrypted) the end");
	frame_wr_begin(&w, FT_ERROR);
	frame_wr_u8(&w, CHAT_ERR_SHUTDOWN);
	frame_wr_bytes(&w, "bye\x1b[2J\x9b", 8);
	fake_send(fd, &w);
	close(fd);
	close(lfd);
	assert_int_equal(th_wait_exit(&p, TH_TIMEOUT_MS), 1);

	assert_no_terminal_controls(th_stdout(&p), "standard output");
	assert_no_terminal_controls(th_stderr(&p), "standard error");
	/* Shown, escaped. */
	expect_line(&p, "as me\\x1b[31m;");
	expect_line(&p, "<ev\\x9bil\\x1b]0;t\\x07> (not encrypted) red\\x1b[31m csi\\x9b2J "
		    "c1\\u{009B}bell\\x07 del\\x7f rlo\\u{202E}cba "
		    "lri\\u{2066} cr\\x0d caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac end");
	expect_line(&p, "* a\\u{202E}b (not encrypted) acts\\x1b[1m\n");
	expect_line(&p, "-- j\\x07 joined");
	expect_line(&p, "-- l\\x1b left (r\\x9b)");
	expect_line(&p, "-- x\\x1b is now known as y\\u{2066}");
	expect_line(&p, "here: w\\x1b[H, ok");
	expect_line(&p, "-- server: n\\x1b]0;title\\x07");
	expect_line(&p, "<m\\x1b[2Jallory\\u{202E}> red\\x1b[31m");
	expect_line(&p, "as from bob was sealed by m\\x1b[2Jallory\\u{202E}: refused");
	expect_line(&p, "from z\\x1b could not be opened");
	assert_non_null(strstr(th_stderr(&p), "bye\\x1b[2J\\x9b"));
	th_proc_free(&p);
	seal_ctx_free(seal);
	vc_engine_close(engine);
	assert_server_stops_cleanly(fx);
}

int main(int argc, char **argv)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(plain_clients_over_pipes_see_each_others_messages),
		T(commands_nick_who_and_help_work),
		T(encrypted_clients_exchange_messages_end_to_end),
		T(passphrase_clients_understand_each_other_only),
		T(wrong_key_is_reported_and_never_prints_the_text),
		T(wire_and_server_carry_only_ciphertext),
		T(replayed_tampered_and_misattributed_messages_are_refused),
		T(replay_shows_text_only_once),
		T(client_leaves_cleanly_on_ctrl_c),
		T(taken_nickname_is_a_clear_error),
		T(refused_connection_is_a_clear_error),
		T(bad_arguments_are_reported),
		T(client_reports_the_server_going_away),
		T(control_sequences_from_the_network_are_shown_escaped),
		T(key_file_that_looks_like_text_gets_a_warning),
	};

	th_init(argv[0]);
	/* CHAT_TEST=PATTERN runs only the matching tests. */
	if (getenv("CHAT_TEST"))
		cmocka_set_test_filter(getenv("CHAT_TEST"));
	test_device = getenv("VC_TEST_DEVICE");
	if (test_device && !*test_device)
		test_device = NULL;
	if (access(th_bin("chat-server"), X_OK) != 0 ||
	    access(th_bin("chat-client"), X_OK) != 0) {
		fprintf(stderr, "test-chat-client: %s and chat-client not found: build them first\n",
			th_bin("chat-server"));
		return 1;
	}
	printf("test-chat-client: encrypting clients use %s\n",
	       test_device ? test_device : "the default engine choice");
	return cmocka_run_group_tests_name("chat-client end to end", tests,
					   NULL, NULL);
}
