/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connections counted by the address they come from, so that one address
 * cannot take every slot of the server.  An IPv4 address (also mapped into
 * IPv6) counts as itself, an IPv6 address by its /64, which one subscriber
 * usually has whole.
 */
#ifndef CHAT_ADDRS_H
#define CHAT_ADDRS_H

#include <stdbool.h>
#include <stddef.h>

struct addrs;
struct addrs_entry;

/* A table sized for about max_clients connections, each address allowed
 * max_per_addr of them (0: no limit).  NULL when out of memory. */
struct addrs *addrs_new(size_t max_clients, size_t max_per_addr);
void addrs_free(struct addrs *t);

/*
 * Count one more connection from the peer of socket fd.  Its entry, or
 * NULL: *full when that address holds its share already, else out of
 * memory or a peer without an IP address.
 */
struct addrs_entry *addrs_get(struct addrs *t, int fd, bool *full);
/* The connection counted in e is gone; NULL is fine. */
void addrs_put(struct addrs *t, struct addrs_entry *e);

#endif /* CHAT_ADDRS_H */
