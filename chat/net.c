// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP socket helpers for the chat server and client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

int net_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return -errno;
	return 0;
}

int net_set_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

int net_parse_port(const char *s)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535 || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	return (int)v;
}

static void net_format(const struct sockaddr *sa, char *out, size_t outlen)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
		snprintf(out, outlen, "[%s]:%d", host, port);
	} else if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
		snprintf(out, outlen, "%s:%d", host, port);
	} else {
		snprintf(out, outlen, "?");
	}
}

void net_local_name(int fd, char *out, size_t outlen)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		snprintf(out, outlen, "?");
		return;
	}
	net_format((struct sockaddr *)&ss, out, outlen);
}

int net_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return -errno;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return -EAFNOSUPPORT;
}

static void net_set_port(struct sockaddr *sa, int port)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

/* One listening socket on sa; v6only: -1 leave the default, 0/1 set. */
static int net_listen_one(const struct sockaddr *sa, socklen_t salen,
			  int v6only, int backlog, char *err, size_t errlen)
{
	char name[80];
	int one = 1;
	int fd, e;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa->sa_family == AF_INET6 && v6only >= 0)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			   sizeof(v6only));
	if (bind(fd, sa, salen) < 0 || listen(fd, backlog) < 0) {
		e = errno;
		net_format(sa, name, sizeof(name));
		snprintf(err, errlen, "cannot listen on %s: %s%s", name,
			 strerror(e),
			 e == EADDRINUSE ?
			 " (another server is using that port; choose one with --port)" : "");
		close(fd);
		return -e;
	}
	return fd;
}

int net_listen(const char *bind_addr, int port, int backlog, int *fds,
	       int maxfds, char *err, size_t errlen)
{
	struct addrinfo hints = { 0 }, *res, *ai;
	char portstr[16];
	int n = 0, rc, fd;

	if (maxfds < 1)
		return -EINVAL;
	if (!bind_addr) {
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
					   .sin6_port = htons(port),
					   .sin6_addr = IN6ADDR_ANY_INIT };
		struct sockaddr_in s4 = { .sin_family = AF_INET,
					  .sin_port = htons(port),
					  .sin_addr.s_addr = htonl(INADDR_ANY) };

		fd = net_listen_one((struct sockaddr *)&s6, sizeof(s6), 0,
				    backlog, err, errlen);
		/* A host without IPv6 still gets an IPv4 server. */
		if (fd == -EAFNOSUPPORT || fd == -EADDRNOTAVAIL)
			fd = net_listen_one((struct sockaddr *)&s4, sizeof(s4),
					    -1, backlog, err, errlen);
		if (fd < 0)
			return fd;
		fds[0] = fd;
		return 1;
	}

	snprintf(portstr, sizeof(portstr), "%d", port);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(bind_addr, portstr, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "cannot resolve bind address '%s': %s",
			 bind_addr, gai_strerror(rc));
		return -EINVAL;
	}
	for (ai = res; ai && n < maxfds; ai = ai->ai_next) {
		/* With port 0, later sockets take the port the first got. */
		if (n > 0 && port == 0)
			net_set_port(ai->ai_addr, net_local_port(fds[0]));
		fd = net_listen_one(ai->ai_addr, ai->ai_addrlen, 1, backlog,
				    err, errlen);
		if (fd < 0) {
			while (n > 0)
				close(fds[--n]);
			freeaddrinfo(res);
			return fd;
		}
		fds[n++] = fd;
	}
	freeaddrinfo(res);
	if (n == 0) {
		snprintf(err, errlen, "no address to listen on for '%s'",
			 bind_addr);
		return -EADDRNOTAVAIL;
	}
	return n;
}

int net_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Connect with a bounded wait, so an unreachable host fails in time. */
static int net_connect_one(const struct addrinfo *ai, int timeout_ms)
{
	struct pollfd pfd;
	socklen_t sl;
	int fd, e, rc;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			e = errno;
			close(fd);
			return -e;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do {
			rc = poll(&pfd, 1, timeout_ms);
		} while (rc < 0 && errno == EINTR);
		if (rc == 0) {
			close(fd);
			return -ETIMEDOUT;
		}
		sl = sizeof(e);
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) < 0)
			e = errno;
		if (e) {
			close(fd);
			return -e;
		}
	}
	net_set_nonblock(fd, 0);
	return fd;
}

int net_connect(const char *host, const char *port, int timeout_ms,
		char *err, size_t errlen)
{
	struct addrinfo hints = { 0 }, *res, *ai;
	int rc, fd = -EHOSTUNREACH;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc == EAI_ADDRFAMILY || rc == EAI_NONAME || rc == EAI_NODATA) {
		/* AI_ADDRCONFIG hides ::1 and 127.0.0.1 on a host with only
		 * loopback configured; ask again without it. */
		hints.ai_flags = 0;
		rc = getaddrinfo(host, port, &hints, &res);
	}
	if (rc) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host,
			 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -EHOSTUNREACH;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = net_connect_one(ai, timeout_ms);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(err, errlen, "cannot connect to %s port %s: %s%s",
			 host, port, strerror(-fd),
			 fd == -ECONNREFUSED ? " (is chat-server running there?)" : "");
	return fd;
}
