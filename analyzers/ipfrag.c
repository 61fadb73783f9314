/*
 * ipfrag.c - IPv4 reassembly in fixed memory (see ipfrag.h).  Only the
 * packet's own length fields, already checked by ip_decode() against what
 * was captured, decide where bytes go; nothing is written outside a slot.
 */
#include <string.h>

#include "ipfrag.h"

void
ipfrag_init(struct ipfrag *f)
{
	memset(f, 0, sizeof(*f));
}

static bool
block_got(const struct ipfrag_slot *s, size_t b)
{
	return (s->got[b / 8] >> (b % 8)) & 1;
}

/* The slot for p's datagram: the one it belongs to, else a fresh one. */
static struct ipfrag_slot *
ipfrag_slot(struct ipfrag *f, const struct ip_packet *p)
{
	struct ipfrag_slot *s, *old = &f->slot[0];
	size_t i;

	for (i = 0; i < IPFRAG_SLOTS; i++) {
		s = &f->slot[i];
		if (s->used && s->id == p->id && s->proto == p->proto &&
		    memcmp(s->src, p->src.a, 4) == 0 &&
		    memcmp(s->dst, p->dst.a, 4) == 0)
			return s;
	}
	for (i = 0; i < IPFRAG_SLOTS; i++) {
		s = &f->slot[i];
		if (!s->used)
			break;
		if (s->age < old->age)
			old = s;
	}
	if (i == IPFRAG_SLOTS) {
		s = old;	/* every slot busy: drop the oldest */
		f->dropped++;
	}
	memset(s->got, 0, sizeof(s->got));
	s->used = true;
	s->id = p->id;
	s->proto = p->proto;
	memcpy(s->src, p->src.a, 4);
	memcpy(s->dst, p->dst.a, 4);
	s->total = 0;
	s->age = f->clock++;
	return s;
}

/* Bytes from 0 up to the first missing block (or the end). */
static size_t
ipfrag_prefix(const struct ipfrag_slot *s)
{
	size_t b, end = s->total > 0 ? s->total : IPFRAG_MAX;

	for (b = 0; b * 8 < end && block_got(s, b); b++)
		;
	return b * 8 < end ? b * 8 : end;
}

int
ipfrag_add(struct ipfrag *f, const struct ip_packet *p, const uint8_t **out,
    size_t *len)
{
	struct ipfrag_slot *s;
	size_t b, end;

	if (p->version != 4 || p->truncated || p->payload == NULL)
		return -1;
	if (!p->fragment) {
		*out = p->payload;
		*len = p->len;
		return 1;
	}
	end = p->frag_offset + p->len;
	if (end > IPFRAG_MAX || (p->more_fragments && p->len % 8 != 0) ||
	    p->len == 0) {
		f->dropped++;
		return -1;
	}
	s = ipfrag_slot(f, p);
	memcpy(s->buf + p->frag_offset, p->payload, p->len);
	for (b = p->frag_offset / 8; b * 8 < end; b++)
		s->got[b / 8] = (uint8_t)(s->got[b / 8] | 1u << (b % 8));
	if (!p->more_fragments)
		s->total = end;
	if (s->total == 0 || ipfrag_prefix(s) < s->total)
		return 0;
	s->used = false;	/* done; the bytes stay until the slot is reused */
	*out = s->buf;
	*len = s->total;
	return 1;
}

size_t
ipfrag_partial(const struct ipfrag *f, size_t i, const uint8_t **out,
    uint8_t src[4], uint8_t *proto)
{
	const struct ipfrag_slot *s;

	if (i >= IPFRAG_SLOTS || !f->slot[i].used)
		return 0;
	s = &f->slot[i];
	*out = s->buf;
	memcpy(src, s->src, 4);
	*proto = s->proto;
	return ipfrag_prefix(s);
}
