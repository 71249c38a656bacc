// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chat room on its own: nicknames unique without regard to case,
 * every member findable however many joined and left, a rename that frees
 * the old name, and the rules for a valid name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../chat/room.h"

#define MANY	1000

static struct room_member members[MANY];

static int setup(void **state)
{
	memset(members, 0, sizeof(members));
	*state = room_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	room_free(*state);
	return 0;
}

static struct room_member *join(struct room *r, int i, const char *nick)
{
	struct room_member *m = &members[i];

	snprintf(m->nick, sizeof(m->nick), "%s", nick);
	assert_int_equal(room_join(r, m), 0);
	return m;
}

static void nicknames_are_found_in_any_case(void **state)
{
	struct room *r = *state;
	struct room_member *bob = join(r, 0, "Bob");

	assert_ptr_equal(room_find(r, "Bob"), bob);
	assert_ptr_equal(room_find(r, "bob"), bob);
	assert_ptr_equal(room_find(r, "BOB"), bob);
	assert_null(room_find(r, "bobby"));
}

/*
 * A thousand members (the name table grows several times), then every
 * other one leaves (each leaving member's slot is filled by the last):
 * those left are all found and listed once, those gone are not.
 */
static void every_member_stays_findable_through_growth_and_leaves(void **state)
{
	struct room *r = *state;
	static int seen[MANY];
	char nick[CHAT_NICK_MAX + 1];
	size_t i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < MANY; i++) {
		snprintf(nick, sizeof(nick), "user%zu", i);
		join(r, (int)i, nick);
	}
	assert_int_equal(room_count(r), MANY);
	for (i = 0; i < MANY; i += 2)
		room_leave(r, &members[i]);
	assert_int_equal(room_count(r), MANY / 2);
	for (i = 0; i < MANY; i++) {
		snprintf(nick, sizeof(nick), "USER%zu", i);
		if (i % 2)
			assert_ptr_equal(room_find(r, nick), &members[i]);
		else
			assert_null(room_find(r, nick));
	}
	for (i = 0; i < room_count(r); i++) {
		struct room_member *m = room_at(r, i);

		assert_int_equal(m->idx, i);
		seen[m - members]++;
	}
	for (i = 0; i < MANY; i++)
		assert_int_equal(seen[i], i % 2);
}

static void rename_frees_the_old_name(void **state)
{
	struct room *r = *state;
	struct room_member *a = join(r, 0, "alice");

	join(r, 1, "carol");
	room_rename(r, a, "Alicia");
	assert_null(room_find(r, "alice"));
	assert_ptr_equal(room_find(r, "alicia"), a);
	assert_string_equal(a->nick, "Alicia");
	/* Another may take the old name now; the new one is still hers. */
	join(r, 2, "alice");
	assert_ptr_equal(room_find(r, "ALICIA"), a);
	assert_int_equal(room_count(r), 3);
}

/* Of forty members sharing the first table's chains, every other one
 * renames: each is found by its one name, none is lost from a chain. */
static void renames_keep_every_chain_whole(void **state)
{
	struct room *r = *state;
	char nick[CHAT_NICK_MAX + 1];
	size_t i;

	for (i = 0; i < 40; i++) {
		snprintf(nick, sizeof(nick), "u%zu", i);
		join(r, (int)i, nick);
	}
	for (i = 0; i < 40; i += 2) {
		snprintf(nick, sizeof(nick), "v%zu", i);
		room_rename(r, &members[i], nick);
	}
	for (i = 0; i < 40; i++) {
		snprintf(nick, sizeof(nick), "%c%zu", i % 2 ? 'v' : 'u', i);
		assert_null(room_find(r, nick));
		snprintf(nick, sizeof(nick), "%c%zu", i % 2 ? 'u' : 'v', i);
		assert_ptr_equal(room_find(r, nick), &members[i]);
	}
}

static void valid_names_are_letters_digits_underscore_and_dash(void **state)
{
	static const char *const good[] = {
		"a", "Zed", "user_1", "x-y", "0", "abcdefghijklmnopqrstuvwxyz012345",
	};
	static const char *const bad[] = {
		"", "-dash", "sp ace", "dot.", "semi;", "\xc3\xa9t\xc3\xa9",
		"abcdefghijklmnopqrstuvwxyz0123456",	/* 33 */
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(room_nick_valid(good[i], strlen(good[i])));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(room_nick_valid(bad[i], strlen(bad[i])));
	/* The length counts, not a NUL: a name with one inside is bad. */
	assert_false(room_nick_valid("ab\0c", 4));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(nicknames_are_found_in_any_case),
		T(every_member_stays_findable_through_growth_and_leaves),
		T(rename_frees_the_old_name),
		T(renames_keep_every_chain_whole),
		T(valid_names_are_letters_digits_underscore_and_dash),
	};

	return cmocka_run_group_tests_name("chat room", tests, NULL, NULL);
}
