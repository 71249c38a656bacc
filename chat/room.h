/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chat room: who is in it, and which nicknames are taken.  Members are
 * embedded in the server's connections (struct room_member), so joining
 * allocates nothing per member beyond a slot in two tables.  Nicknames are
 * unique without regard to case, as people read them.
 */
#ifndef CHAT_ROOM_H
#define CHAT_ROOM_H

#include <stdbool.h>
#include <stddef.h>

#include "frame.h"

struct room_member {
	char nick[CHAT_NICK_MAX + 1];
	size_t idx;			/* its slot in the member list */
	struct room_member *nick_next;	/* chain in the nickname table */
};

struct room;

/* An empty room, or NULL when out of memory. */
struct room *room_new(void);
/* The tables only; members belong to their owners.  NULL is fine. */
void room_free(struct room *r);

/* 1 to CHAT_NICK_MAX letters, digits, '_' or '-', not starting with '-' (it
 * would read as an option on a command line). */
bool room_nick_valid(const char *s, size_t n);
/* The member called nick, in any case, or NULL. */
struct room_member *room_find(const struct room *r, const char *nick);

/* Add m under m->nick, which must be free.  0 or -ENOMEM (m is then not in
 * the room). */
int room_join(struct room *r, struct room_member *m);
void room_leave(struct room *r, struct room_member *m);
/* m, in the room, takes nick, which must be free or its own already. */
void room_rename(struct room *r, struct room_member *m, const char *nick);

size_t room_count(const struct room *r);
/* Member i of room_count(), in no particular order; a join or a leave
 * reorders them. */
struct room_member *room_at(const struct room *r, size_t i);

#endif /* CHAT_ROOM_H */
