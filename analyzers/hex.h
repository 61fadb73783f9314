/*
 * hex.h - hexadecimal text to values, for the places that read device IDs,
 * OUI registries and agent lines.  Header-only and freestanding.
 */
#ifndef HEX_H
#define HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of one hex digit (either case), or -1. */
static inline int
hex_digit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Decode a string of exactly 2 * n hex digits into out[0..n-1].  Returns
 * false for anything else (shorter, longer, a non-digit); out may then be
 * partly written.  Never reads past the string's NUL.
 */
static inline bool
hex_decode(const char *s, size_t n, uint8_t *out)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hex_digit((unsigned char)s[2 * i])) < 0 ||
		    (lo = hex_digit((unsigned char)s[2 * i + 1])) < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return s[2 * n] == '\0';
}

#endif /* HEX_H */
