/*
 * agent_coap.c - the agent's CoAP POST /e, encoded by hand (RFC 7252 3):
 * libcoap is far too big for a Core.  The payload is the agent's own
 * compact binary format, big-endian throughout:
 *
 *   version(1)=1  device_id(12)  epoch(4)  count(1)
 *   count x { seq(4) ms(4) code(4, signed) kind(1) stage(1) fail(1)
 *             dlen(1) detail(dlen) }
 *
 * docs/firmware-agent.md has it byte by byte, with the header and options.
 */
#include "agent.h"

#define COAP_VERSION		1
#define COAP_TYPE_CON		0
#define COAP_TYPE_NON		1
#define COAP_TYPE_ACK		2
#define COAP_TYPE_RST		3
#define COAP_POST		0x02	/* 0.02 */
#define COAP_OPT_URI_PATH	11
#define COAP_OPT_CONTENT_FORMAT	12
#define COAP_FMT_OCTET_STREAM	42	/* application/octet-stream */
#define AGENT_PAYLOAD_VERSION	1

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t
agent_coap_encode(uint8_t *buf, size_t cap, bool con, uint16_t mid,
    const uint8_t id[12], uint32_t epoch,
    const struct agent_event *const *ev, size_t n)
{
	size_t need = 4 + 2 + 2 + 1 + 18, len, i, j;
	uint8_t *p = buf;

	if (n > 255)
		return 0;
	for (i = 0; i < n; i++)
		need += 16u + (ev[i]->dlen <= AGENT_DETAIL_MAX ?
		    ev[i]->dlen : AGENT_DETAIL_MAX);
	if (need > cap)
		return 0;
	/* Header: Ver | T | TKL=0, code, message id; no token. */
	*p++ = (uint8_t)(COAP_VERSION << 6 |
	    (con ? COAP_TYPE_CON : COAP_TYPE_NON) << 4);
	*p++ = COAP_POST;
	*p++ = (uint8_t)(mid >> 8);
	*p++ = (uint8_t)mid;
	/* Uri-Path "e" (delta 11, length 1), Content-Format 42 (delta 1). */
	*p++ = COAP_OPT_URI_PATH << 4 | 1;
	*p++ = 'e';
	*p++ = (COAP_OPT_CONTENT_FORMAT - COAP_OPT_URI_PATH) << 4 | 1;
	*p++ = COAP_FMT_OCTET_STREAM;
	*p++ = 0xff;
	*p++ = AGENT_PAYLOAD_VERSION;
	for (i = 0; i < 12; i++)
		*p++ = id[i];
	be32(p, epoch);
	p += 4;
	*p++ = (uint8_t)n;
	for (i = 0; i < n; i++) {
		const struct agent_event *e = ev[i];

		len = e->dlen <= AGENT_DETAIL_MAX ? e->dlen : AGENT_DETAIL_MAX;
		be32(p, e->seq);
		be32(p + 4, e->ms);
		be32(p + 8, (uint32_t)e->code);
		p[12] = e->kind;
		p[13] = e->stage;
		p[14] = e->fail;
		p[15] = (uint8_t)len;
		p += 16;
		for (j = 0; j < len; j++)
			*p++ = (uint8_t)e->detail[j];
	}
	return (size_t)(p - buf);
}

int
agent_coap_ack_code(const void *buf, size_t len, uint16_t mid)
{
	const uint8_t *p = buf;
	unsigned type;

	if (len < 4 || p[0] >> 6 != COAP_VERSION ||
	    (uint16_t)(p[2] << 8 | p[3]) != mid)
		return -1;
	type = (p[0] >> 4) & 3;
	if (type == COAP_TYPE_RST)
		return 0;
	return type == COAP_TYPE_ACK ? p[1] : -1;
}
