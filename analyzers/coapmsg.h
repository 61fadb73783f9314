/*
 * coapmsg.h - CoAP over UDP (RFC 7252) as seen on port 5683, decoded with
 * libcoap-3 (coap_pdu_parse): type, code, message ID, token and Uri-Path;
 * and the Particle presence announcement.
 *
 * libcoap allocates a PDU per parse; this module bounds the input to
 * COAPMSG_MAX bytes before handing it over and frees the PDU before
 * returning, so nothing outlives a call and memory stays bounded.  libcoap
 * prints warnings about malformed PDUs to stderr; analyzers never print, so
 * the first coapmsg_parse() calls coap_startup() and silences libcoap's log
 * (level and handler) for the whole process.  A probe module that wants
 * libcoap's log must set its own handler after that first call.
 *
 * The presence announcement (particle-cloud.md 1.7) is the 19-byte
 * datagram to 224.0.1.187:5683: `50 02 00 00 b1 68 ff` (NON POST, MID 0,
 * Uri-Path "h", payload marker) and the 12-byte device ID.
 */
#ifndef COAPMSG_H
#define COAPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COAPMSG_PORT		5683
#define COAPMSG_MAX		1152	/* RFC 7252 4.6 suggested upper bound */
#define COAPMSG_PATH_MAX	256	/* joined Uri-Path text, NUL included */
#define COAPMSG_DEVICE_ID_LEN	12

/* Message types (RFC 7252 3). */
#define COAPMSG_CON		0
#define COAPMSG_NON		1
#define COAPMSG_ACK		2
#define COAPMSG_RST		3

struct coapmsg {
	uint8_t		type;		/* COAPMSG_CON ... */
	uint8_t		code;		/* class << 5 | detail */
	uint16_t	mid;
	size_t		token_len;	/* 0..8 */
	uint8_t		token[8];
	/* Uri-Path options joined with "/", with a leading "/"; "" if none. */
	char		path[COAPMSG_PATH_MAX];
	bool		path_truncated;
	size_t		n_options;
	size_t		payload_len;
};

/*
 * Parse one CoAP-over-UDP message.  Fills *out (zeroed first).  Returns 0
 * on success, -1 when libcoap rejects it, it is larger than COAPMSG_MAX,
 * or libcoap could not allocate.
 */
/*
 * Start libcoap and silence its log for the whole process, once (see
 * above).  Every analyzer that hands bytes to libcoap calls it first.
 */
void		 coapmsg_libcoap_quiet(void);
int		 coapmsg_parse(const uint8_t *buf, size_t len, struct coapmsg *out);

/* "CON", "NON", "ACK", "RST". */
const char	*coapmsg_type_name(uint8_t type);

/*
 * Write a code as text: a method name for requests ("GET", "POST", "PUT",
 * "DELETE", "FETCH", "PATCH", "iPATCH"), else "c.dd" ("2.05", "4.04"),
 * "0.00" for an empty message.  Returns buf.
 */
const char	*coapmsg_code_str(uint8_t code, char *buf, size_t size);

/*
 * Whether the payload is a Particle presence announcement; when so, the
 * device ID is written as 24 lowercase hex digits + NUL to id_hex.
 */
bool		 coapmsg_presence(const uint8_t *buf, size_t len,
		    char id_hex[2 * COAPMSG_DEVICE_ID_LEN + 1]);

/* 224.0.1.187, the "All CoAP Nodes" IPv4 group, in network order. */
extern const uint8_t coapmsg_presence_group[4];

#endif /* COAPMSG_H */
