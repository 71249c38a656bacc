// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connections by address: a chained hash whose entries live while the
 * address has connections.  The hash is seeded with a random value, so a
 * peer cannot choose addresses that all fall into one chain.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "addrs.h"

struct addrs_entry {
	uint8_t key[16];
	size_t count;
	struct addrs_entry *next;
};

struct addrs {
	struct addrs_entry **tab;
	size_t buckets;			/* a power of two */
	uint32_t seed;			/* unknown to peers */
	size_t max_per_addr;
};

struct addrs *addrs_new(size_t max_clients, size_t max_per_addr)
{
	struct addrs *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->max_per_addr = max_per_addr;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) < 0) {
		struct timespec ts;

		/* Early in boot: less secret, still not known in advance. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		t->seed = (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000) ^
			  (uint32_t)getpid();
	}
	for (t->buckets = 64; t->buckets < max_clients && t->buckets < 65536;
	     t->buckets *= 2)
		;
	t->tab = calloc(t->buckets, sizeof(*t->tab));
	if (!t->tab) {
		free(t);
		return NULL;
	}
	return t;
}

void addrs_free(struct addrs *t)
{
	size_t b;

	if (!t)
		return;
	for (b = 0; b < t->buckets; b++) {
		struct addrs_entry *e = t->tab[b], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(t->tab);
	free(t);
}

/* The key fd's peer is counted under; false for a peer without an IP
 * address. */
static bool addrs_key(int fd, uint8_t key[16])
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(key, 0, 16);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) < 0)
		return false;
	if (ss.ss_family == AF_INET) {
		memcpy(key + 12, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		return true;
	}
	if (ss.ss_family == AF_INET6) {
		const uint8_t *a = ((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)a))
			memcpy(key + 12, a + 12, 4);
		else
			memcpy(key, a, 8);
		return true;
	}
	return false;
}

static size_t addrs_hash(const struct addrs *t, const uint8_t key[16])
{
	uint32_t h = 2166136261u ^ t->seed;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ key[i]) * 16777619u;
	return (h ^ (h >> 15)) & (t->buckets - 1);
}

struct addrs_entry *addrs_get(struct addrs *t, int fd, bool *full)
{
	struct addrs_entry *e;
	uint8_t key[16];
	size_t b;

	*full = false;
	if (!addrs_key(fd, key))
		return NULL;
	b = addrs_hash(t, key);
	for (e = t->tab[b]; e; e = e->next)
		if (!memcmp(e->key, key, sizeof(e->key)))
			break;
	if (e && t->max_per_addr && e->count >= t->max_per_addr) {
		*full = true;
		return NULL;
	}
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		memcpy(e->key, key, sizeof(e->key));
		e->next = t->tab[b];
		t->tab[b] = e;
	}
	e->count++;
	return e;
}

void addrs_put(struct addrs *t, struct addrs_entry *e)
{
	struct addrs_entry **pp;

	if (!e || --e->count)
		return;
	for (pp = &t->tab[addrs_hash(t, e->key)]; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			free(e);
			return;
		}
	}
}
