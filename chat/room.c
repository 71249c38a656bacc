// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chat room: an unordered member list (a leave moves the last member
 * into the gap, so both join and leave are O(1)) and a chained hash of
 * nicknames, folded to lower case, that doubles as members come.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "room.h"

struct room {
	struct room_member **members;
	size_t len, cap;
	struct room_member **nick_tab;	/* a power of two of chains */
	size_t nick_buckets, nick_count;
};

struct room *room_new(void)
{
	return calloc(1, sizeof(struct room));
}

void room_free(struct room *r)
{
	if (!r)
		return;
	free(r->members);
	free(r->nick_tab);
	free(r);
}

bool room_nick_valid(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > CHAT_NICK_MAX || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

/* FNV-1a of the name in lower case: "Bob" and "bob" share a chain. */
static size_t room_nick_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		h = (h ^ ch) * 16777619u;
	}
	return h;
}

struct room_member *room_find(const struct room *r, const char *nick)
{
	struct room_member *m;

	if (!r->nick_buckets)
		return NULL;
	m = r->nick_tab[room_nick_hash(nick) & (r->nick_buckets - 1)];
	for (; m; m = m->nick_next)
		if (!strcasecmp(m->nick, nick))
			return m;
	return NULL;
}

static int room_nick_grow(struct room *r)
{
	size_t nb = r->nick_buckets ? r->nick_buckets * 2 : 64;
	struct room_member **tab = calloc(nb, sizeof(*tab));
	size_t i;

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < r->nick_buckets; i++) {
		struct room_member *m = r->nick_tab[i], *next;

		for (; m; m = next) {
			size_t b = room_nick_hash(m->nick) & (nb - 1);

			next = m->nick_next;
			m->nick_next = tab[b];
			tab[b] = m;
		}
	}
	free(r->nick_tab);
	r->nick_tab = tab;
	r->nick_buckets = nb;
	return 0;
}

static int room_nick_add(struct room *r, struct room_member *m)
{
	size_t b;

	/* A table that cannot grow still takes longer chains. */
	if (r->nick_count >= r->nick_buckets && room_nick_grow(r) < 0 &&
	    !r->nick_buckets)
		return -ENOMEM;
	b = room_nick_hash(m->nick) & (r->nick_buckets - 1);
	m->nick_next = r->nick_tab[b];
	r->nick_tab[b] = m;
	r->nick_count++;
	return 0;
}

static void room_nick_del(struct room *r, struct room_member *m)
{
	struct room_member **pp;

	if (!r->nick_buckets)
		return;
	pp = &r->nick_tab[room_nick_hash(m->nick) & (r->nick_buckets - 1)];
	for (; *pp; pp = &(*pp)->nick_next) {
		if (*pp == m) {
			*pp = m->nick_next;
			m->nick_next = NULL;
			r->nick_count--;
			return;
		}
	}
}

int room_join(struct room *r, struct room_member *m)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct room_member **mm = realloc(r->members, cap * sizeof(*mm));

		if (!mm)
			return -ENOMEM;
		r->members = mm;
		r->cap = cap;
	}
	m->idx = r->len;
	r->members[r->len++] = m;
	if (room_nick_add(r, m) < 0) {
		r->len--;
		return -ENOMEM;
	}
	return 0;
}

void room_leave(struct room *r, struct room_member *m)
{
	struct room_member *last = r->members[--r->len];

	r->members[m->idx] = last;
	last->idx = m->idx;
	room_nick_del(r, m);
}

void room_rename(struct room *r, struct room_member *m, const char *nick)
{
	room_nick_del(r, m);
	snprintf(m->nick, sizeof(m->nick), "%s", nick);
	room_nick_add(r, m);	/* cannot fail: a slot was just freed */
}

size_t room_count(const struct room *r)
{
	return r->len;
}

struct room_member *room_at(const struct room *r, size_t i)
{
	return r->members[i];
}
