/*
 * qaline.h - the line protocol between `cyanprobe qa test` and
 * `cyanprobe qa responder` (docs/qa-tests.md), decoded here and built in
 * the probe.  One message is one line of printable ASCII ending in '\n',
 * the same over TCP and UDP (one datagram, one line):
 *
 *   HOLD MS TAG      client: after MS milliseconds of silence, send PROBE
 *   OK TAG IP PORT   responder: HOLD taken; IP:PORT is where it came from
 *   PROBE TAG        responder: the held time is over (TCP: on the same
 *                    connection; UDP: to the address the HOLD came from)
 *   ECHO TAG         client: answer at once
 *   ECHO TAG IP PORT responder: the answer, with the source it saw
 *
 * The IP and PORT the responder reports are the client's address after the
 * router's NAT, which is how a test sees its external port change.
 */
#ifndef QALINE_H
#define QALINE_H

#include <stddef.h>
#include <stdint.h>

#define QALINE_MAX	128	/* bytes of one line, '\n' included */
#define QALINE_TAG_MAX	24	/* tag text, NUL included */
#define QALINE_HOLD_MAX	86400000u	/* one day, in ms */

enum qaline_verb {
	QALINE_HOLD,
	QALINE_OK,
	QALINE_PROBE,
	QALINE_ECHO,		/* a request: no address */
	QALINE_ECHO_REPLY	/* ECHO with an address */
};

struct qaline {
	enum qaline_verb verb;
	char		 tag[QALINE_TAG_MAX];	/* [A-Za-z0-9._-], not empty */
	uint32_t	 hold_ms;		/* HOLD */
	uint8_t		 addr[4];		/* OK, ECHO reply */
	uint16_t	 port;			/* OK, ECHO reply */
};

/*
 * Decode one line (len bytes, with or without its '\n').  Fills *out and
 * returns 0, or -1 when the line is not a well-formed message.
 */
int	qaline_parse(const uint8_t *buf, size_t len, struct qaline *out);

#endif /* QALINE_H */
