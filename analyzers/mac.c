/*
 * mac.c - MAC addresses to and from text (see mac.h): the one formatter and
 * the one checked reader that the reports, the DHCP check, the judge, the
 * serial reader and the command-line options share.
 */
#include <stdio.h>

#include "hex.h"
#include "mac.h"

const char *
mac_format(const uint8_t m[MAC_LEN], char buf[MAC_TEXT_LEN])
{
	snprintf(buf, MAC_TEXT_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
	    m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

size_t
mac_scan(const char *s, uint8_t m[MAC_LEN])
{
	char sep = '\0';
	size_t i, at;
	int hi, lo;

	for (i = 0; i < MAC_LEN; i++) {
		at = 3 * i;
		/* A NUL fails hex_digit, so the reads stop at the end. */
		if ((hi = hex_digit((unsigned char)s[at])) < 0 ||
		    (lo = hex_digit((unsigned char)s[at + 1])) < 0)
			return 0;
		m[i] = (uint8_t)(hi << 4 | lo);
		if (i == MAC_LEN - 1)
			break;
		if (i == 0 && (s[at + 2] == ':' || s[at + 2] == '-'))
			sep = s[at + 2];
		if (s[at + 2] != sep || sep == '\0')
			return 0;
	}
	return 3 * MAC_LEN - 1;
}

bool
mac_parse(const char *s, uint8_t m[MAC_LEN])
{
	size_t n = mac_scan(s, m);

	return n > 0 && s[n] == '\0';
}
