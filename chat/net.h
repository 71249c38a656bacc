/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP socket helpers.  Functions return 0 / an fd or -errno and describe
 * failures in the caller's err buffer; they never print.
 */
#ifndef CHAT_NET_H
#define CHAT_NET_H

#include <stddef.h>

#define NET_MAX_LISTEN 8

/*
 * Listen on port (0: any free port).  bind_addr NULL: every address, IPv4
 * and IPv6, through one dual-stack socket on :: (or 0.0.0.0 when the host
 * has no IPv6).  Otherwise every address bind_addr resolves to.  Sockets are
 * non-blocking and close-on-exec.  Returns the number of sockets in fds.
 */
int net_listen(const char *bind_addr, int port, int backlog, int *fds,
	       int maxfds, char *err, size_t errlen);

/* The local port of a bound socket, or -errno. */
int net_local_port(int fd);

/* "[::]:35001" / "127.0.0.1:35001" for the local address of fd. */
void net_local_name(int fd, char *out, size_t outlen);

/*
 * Connect to host:port (each address in turn), waiting at most timeout_ms
 * for each.  Returns a connected blocking socket or -errno.
 */
int net_connect(const char *host, const char *port, int timeout_ms,
		char *err, size_t errlen);

/* Accept one connection as a non-blocking, close-on-exec socket. */
int net_accept(int lfd);

int net_set_nonblock(int fd, int on);
int net_set_nodelay(int fd);

/* Parse a port number 0..65535; -EINVAL otherwise. */
int net_parse_port(const char *s);

#endif /* CHAT_NET_H */
