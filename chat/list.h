/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intrusive doubly linked lists.  The links live in the listed object, so
 * putting an object on a list allocates nothing (it cannot fail) and
 * taking it off is O(1) from the object alone.  All zero is an empty list
 * and a link on no list, so objects from calloc need no setup.
 */
#ifndef CHAT_LIST_H
#define CHAT_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_link {
	struct list_link *prev, *next;
};

struct list {
	struct list_link *head, *tail;
};

/* The object of type whose member the link k is. */
#define list_entry(k, type, member) \
	((type *)((char *)(k) - offsetof(type, member)))

static inline void list_push_back(struct list *l, struct list_link *k)
{
	k->next = NULL;
	k->prev = l->tail;
	if (l->tail)
		l->tail->next = k;
	else
		l->head = k;
	l->tail = k;
}

/* Take k off l; nothing happens when k is on no list. */
static inline void list_del(struct list *l, struct list_link *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else if (l->head == k)
		l->head = k->next;
	else
		return;
	if (k->next)
		k->next->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = NULL;
}

#endif /* CHAT_LIST_H */
