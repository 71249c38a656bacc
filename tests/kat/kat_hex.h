/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one hex decoder of the tests and benchmarks, for the vectors of
 * kat_vectors.h as the documents print them (groups separated by spaces).
 */
#ifndef KAT_HEX_H
#define KAT_HEX_H

#include <stddef.h>
#include <stdint.h>

/* What kat_unhex returns for input that is not whole hex bytes. */
#define KAT_HEX_BAD	((size_t)-1)

/*
 * Decode hex into out (at most max bytes), skipping spaces.  Returns the
 * number of bytes, or KAT_HEX_BAD for a character that is neither hex nor a
 * space, an odd digit at the end, or more than max bytes (out then holds the
 * first max).  A typing error in a vector thus fails loudly instead of
 * testing against the wrong answer.
 */
size_t kat_unhex(const char *hex, uint8_t *out, size_t max);

#endif /* KAT_HEX_H */
