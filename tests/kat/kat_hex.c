// SPDX-License-Identifier: GPL-2.0-or-later
/* The hex decoder of the known-answer vectors (kat_hex.h). */
#include "kat_hex.h"

static int kat_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t kat_unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi, lo;

	while (*hex) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		hi = kat_hexval(hex[0]);
		lo = hi < 0 ? -1 : kat_hexval(hex[1]);
		if (lo < 0 || n == max)
			return KAT_HEX_BAD;
		out[n++] = (uint8_t)(hi << 4 | lo);
		hex += 2;
	}
	return n;
}
