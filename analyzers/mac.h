/*
 * mac.h - MAC addresses as text, one way everywhere: written as six
 * two-digit lower-case hex groups joined by ':' ("02:c7:00:1a:2b:3c";
 * glibc's ether_ntoa drops leading zeros, "2:c7:0:1a:..."), and read with
 * a checked reader instead of sscanf: exactly six groups of two hex digits
 * (either case) joined all by ':' or all by '-'.
 */
#ifndef MAC_H
#define MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_LEN		6
#define MAC_TEXT_LEN	18	/* "aa:bb:cc:dd:ee:ff" and its NUL */

/* Write m into buf as "aa:bb:cc:dd:ee:ff"; returns buf. */
const char	*mac_format(const uint8_t m[MAC_LEN], char buf[MAC_TEXT_LEN]);

/*
 * Read a MAC address at the start of s into m.  Returns the number of
 * characters read (17), or 0 when s does not start with one; what follows
 * is the caller's to judge.  Never reads past the string's NUL.
 */
size_t		 mac_scan(const char *s, uint8_t m[MAC_LEN]);

/* The whole of s is a MAC address (mac_scan and nothing after): into m. */
bool		 mac_parse(const char *s, uint8_t m[MAC_LEN]);

#endif /* MAC_H */
