/*
 * hostport.h - the one reader of the "HOST[:PORT]" arguments every command
 * takes (--cloud, --ntp, --internet-test, --dns, --listen, --collector):
 * "name", "1.2.3.4:5683", "[::1]:5683", and with a flag ":5683" or a bare
 * "::1".  It only splits the text; resolving, and refusing IPv6 where the
 * device has none, stay with the caller, which also words its own error.
 */
#ifndef HOSTPORT_H
#define HOSTPORT_H

#include <stddef.h>
#include <stdint.h>

/* What a caller lets through; 0 is the strict form diagnose wants. */
#define HOSTPORT_NEED_PORT	0x01	/* "HOST" alone is an error */
#define HOSTPORT_PORT_ZERO	0x02	/* ":0" (listen on any free port) */
#define HOSTPORT_ANY_HOST	0x04	/* ":PORT" or "" (listen on all) */
#define HOSTPORT_BARE_V6	0x08	/* "::1" is a host, not "host:port" */

enum hostport_error {
	HOSTPORT_OK = 0,
	HOSTPORT_BRACKET,	/* "[v6" unclosed, or junk after ']' */
	HOSTPORT_BARE,		/* "::1" without HOSTPORT_BARE_V6 */
	HOSTPORT_NO_HOST,	/* empty host without HOSTPORT_ANY_HOST */
	HOSTPORT_TOO_LONG,	/* the host does not fit the buffer */
	HOSTPORT_NO_PORT,	/* no port with HOSTPORT_NEED_PORT */
	HOSTPORT_BAD_PORT	/* not 1..65535 (0.. with HOSTPORT_PORT_ZERO) */
};

/*
 * Split s into host (a C string of at most hostlen - 1 bytes, brackets
 * removed) and *port, which keeps its value when s names no port: set the
 * default first.  The port is decimal digits only.  Returns HOSTPORT_OK, or
 * the first thing wrong (checked in the order of the enum), with host and
 * *port unspecified.  s may be anything, including NULL.
 */
enum hostport_error	hostport_split(const char *s, unsigned flags,
			    char *host, size_t hostlen, uint16_t *port);

/* A few words for an error message: "bad port", "no host", ... */
const char	*hostport_strerror(enum hostport_error e);

#endif
