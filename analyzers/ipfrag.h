/*
 * ipfrag.h - put an IPv4 datagram back together from its fragments (RFC 791
 * section 3.2), in fixed memory: IPFRAG_SLOTS datagrams at a time, each up
 * to IPFRAG_MAX payload bytes.  The DHCP check uses it for an OFFER larger
 * than one frame, whose DNS servers or router may sit in a later fragment.
 *
 * A datagram is keyed by source, destination, protocol and id.  Pieces may
 * come in any order and more than once; where they overlap, the later copy
 * wins.  A datagram that would not fit, a piece whose length is not a
 * multiple of 8 (other than the last), or one cut short by the capture is
 * not kept.  When every slot is busy the oldest datagram is dropped.
 */
#ifndef IPFRAG_H
#define IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ip.h"

#define IPFRAG_MAX	8192	/* payload bytes of one datagram */
#define IPFRAG_SLOTS	4

struct ipfrag_slot {
	bool		used;
	uint8_t		src[4], dst[4];
	uint16_t	id;
	uint8_t		proto;
	size_t		total;		/* payload length; 0 until the last piece */
	unsigned	age;		/* when it was started, for eviction */
	uint8_t		got[IPFRAG_MAX / 64];	/* bit per 8-byte block */
	uint8_t		buf[IPFRAG_MAX];
};

struct ipfrag {
	struct ipfrag_slot slot[IPFRAG_SLOTS];
	unsigned	clock;
	unsigned	dropped;	/* datagrams given up (full, too big) */
};

/* An empty reassembler. */
void	ipfrag_init(struct ipfrag *f);

/*
 * Add one packet decoded by ip_decode().  A packet that is not a fragment
 * is whole already: returns 1 with *out, *len its payload (a view into the
 * packet).  A fragment is copied in: returns 1 with *out, *len the whole
 * transport payload once every byte of it is in (a view into f, valid until
 * the next ipfrag_add), 0 while pieces are missing, and -1 when the packet
 * cannot be kept (see above; not IPv4; a capture cut short).
 */
int	ipfrag_add(struct ipfrag *f, const struct ip_packet *p,
	    const uint8_t **out, size_t *len);

/*
 * The datagram waiting in slot i (0 to IPFRAG_SLOTS - 1), for a caller
 * that gives up on the rest: the bytes from offset 0 up to the first gap
 * (*out, valid until the next ipfrag_add), and its source and protocol.
 * Returns that length; 0 when the slot is free or its first piece is
 * missing.
 */
size_t	ipfrag_partial(const struct ipfrag *f, size_t i, const uint8_t **out,
	    uint8_t src[4], uint8_t *proto);

#endif /* IPFRAG_H */
