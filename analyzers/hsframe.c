/*
 * hsframe.c - splitting and building the bytes of the Particle TCP cloud
 * handshake and its framed CoAP stream (particle-cloud.md 1.2-1.4).  All
 * reads of peer bytes go through cursor.h; CoAP goes through libcoap's PDU
 * parser and option encoder, whose allocations are bounded by HS_PLAIN_MAX.
 */
#include <string.h>

#include <coap3/coap.h>

#include "coapmsg.h"
#include "cursor.h"
#include "hsframe.h"

/* handshake.cpp extract_public_rsa_key: the fixed SPKI prefix. */
const uint8_t hs_device_pub_header[29] = {
	0x30, 0x81, 0x9f, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x81, 0x8d, 0x00,
	0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00,
};

int
hsreply_parse(const uint8_t *buf, size_t len, struct hsreply *out)
{
	struct cursor c = cur_init(buf, len);

	memset(out, 0, sizeof(*out));
	if (len != HS_REPLY_LEN)
		return -1;
	cur_take(&c, HS_REPLY_CIPHER, &out->cipher);
	cur_take(&c, HS_REPLY_SIG, &out->sig);
	return c.bad ? -1 : 0;
}

int
hsclient_parse(const uint8_t *plain, size_t len, struct hsclient *out)
{
	struct cursor c = cur_init(plain, len);
	size_t tail;

	memset(out, 0, sizeof(*out));
	cur_take(&c, HS_NONCE_LEN, &out->nonce);
	cur_take(&c, HS_DEVICE_ID_LEN, &out->device_id);
	if (c.bad)
		return -1;
	tail = cur_left(&c);
	if (tail > 0) {
		cur_take(&c, tail, &out->pubkey);
		out->pubkey_len = tail;
		out->pubkey_shaped = tail >= sizeof(hs_device_pub_header) &&
		    memcmp(out->pubkey, hs_device_pub_header,
		    sizeof(hs_device_pub_header)) == 0;
	}
	return 0;
}

void
hsclient_build(const uint8_t nonce[HS_NONCE_LEN],
    const uint8_t id[HS_DEVICE_ID_LEN], const uint8_t pub[HS_DEVICE_PUB_LEN],
    uint8_t out[HS_CLIENT_LEN])
{
	/* The nonce is echoed in the order received (Handshake.js). */
	memcpy(out, nonce, HS_NONCE_LEN);
	memcpy(out + HS_NONCE_LEN, id, HS_DEVICE_ID_LEN);
	memcpy(out + HS_CLIENT_MIN, pub, HS_DEVICE_PUB_LEN);
}

void
hssession_split(const uint8_t s[HS_SESSION_LEN], struct hssession *out)
{
	out->key = s;
	out->iv = s + 16;
	out->salt = s + 32;
}

enum hsframe_status
hsframe_next(const uint8_t *buf, size_t len, struct hsframe *out)
{
	struct cursor c = cur_init(buf, len);
	uint16_t n;

	memset(out, 0, sizeof(*out));
	if (cur_left(&c) < 2)
		return HSFRAME_MORE;
	n = cur_be16(&c);
	/* CBC with PKCS#7 never yields 0 bytes or a partial block. */
	if (n == 0 || n % HS_AES_BLOCK != 0 || n > HS_FRAME_MAX)
		return HSFRAME_BAD;
	if (cur_left(&c) < n)
		return HSFRAME_MORE;
	cur_take(&c, n, &out->data);
	out->len = n;
	out->consumed = 2 + (size_t)n;
	return c.bad ? HSFRAME_BAD : HSFRAME_READY;
}

enum hspad
hsframe_unpad(const uint8_t *plain, size_t n, size_t *len)
{
	struct cursor c = cur_init(plain, n);
	size_t i;
	uint8_t pad, b;
	bool same = true;

	*len = 0;
	if (n == 0 || !cur_skip(&c, n - 1))
		return HSPAD_OVER;
	pad = cur_u8(&c);
	if (pad > n) {
		/* receive(): the size_t length wraps; the bytes are read as
		 * a message from the start regardless. */
		*len = n;
		return HSPAD_OVER;
	}
	*len = n - pad;
	c = cur_init(plain, n);
	(void)cur_skip(&c, n - pad);
	for (i = 0; i < pad; i++) {
		b = cur_u8(&c);
		same = same && b == pad;
	}
	return pad >= 1 && pad <= HS_AES_BLOCK && same && !c.bad ? HSPAD_OK :
	    HSPAD_BAD;
}

size_t
hsframe_read_len(const uint8_t *plain, size_t n, enum hsread how,
    enum hspad *pad)
{
	size_t len;

	*pad = hsframe_unpad(plain, n, &len);
	return how == HSREAD_CORE2014 ? n : len;
}

const char *
hspad_name(enum hspad p)
{
	switch (p) {
	case HSPAD_OK:		return "valid PKCS#7 padding";
	case HSPAD_BAD:		return "padding that is not valid PKCS#7";
	case HSPAD_OVER:	return "a last byte larger than the record";
	}
	return "?";
}

size_t
hsframe_wire_len(size_t n)
{
	/* lightssl_message_channel.cpp: buflen = (msglen & ~15) + 16 */
	return 2 + (n & ~(size_t)15) + 16;
}

/* Append a Uri-Path segment, keeping the path printable and bounded. */
static void
path_append(struct hscoap *m, const uint8_t *v, size_t n)
{
	size_t at = strlen(m->path), i;

	if (at > 0) {
		if (at + 1 >= sizeof(m->path)) {
			m->path_truncated = true;
			return;
		}
		m->path[at++] = '/';
	}
	for (i = 0; i < n; i++) {
		if (at + 1 >= sizeof(m->path)) {
			m->path_truncated = true;
			break;
		}
		m->path[at++] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
	}
	m->path[at] = '\0';
}

int
hscoap_parse(const uint8_t *buf, size_t len, struct hscoap *out)
{
	struct cursor c = cur_init(buf, len);
	coap_opt_iterator_t oi;
	coap_opt_t *opt;
	coap_pdu_t *pdu;
	const uint8_t *data;
	size_t dlen;
	uint8_t b0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	/*
	 * Check the fixed header ourselves first, so libcoap only ever sees
	 * version-1 messages of sane length.  It still logs what it rejects
	 * (a garbled record's bad option length): silenced, or the warning
	 * lands on stdout inside `handshake --json`.
	 */
	coapmsg_libcoap_quiet();
	b0 = cur_u8(&c);
	if (c.bad || len < 4 || len > HS_PLAIN_MAX || b0 >> 6 != 1 ||
	    (b0 & 0x0f) > 8)
		return -1;
	if ((pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0,
	    len)) == NULL)
		return -1;
	if (!coap_pdu_parse(COAP_PROTO_UDP, buf, len, pdu))
		goto done;
	out->type = (uint8_t)coap_pdu_get_type(pdu);
	out->code = (uint8_t)coap_pdu_get_code(pdu);
	out->mid = (uint16_t)coap_pdu_get_mid(pdu);
	out->token_len = (uint8_t)coap_pdu_get_token(pdu).length;
	/* libcoap returns NULL for a message with no options at all. */
	if (coap_option_iterator_init(pdu, &oi, COAP_OPT_ALL) != NULL)
		while ((opt = coap_option_next(&oi)) != NULL) {
			if (oi.number == COAP_OPTION_URI_PATH)
				path_append(out, coap_opt_value(opt),
				    coap_opt_length(opt));
		}
	/* The payload runs to the end of a UDP-encoded message. */
	if (coap_get_data(pdu, &dlen, &data) && dlen > 0 && dlen <= len) {
		out->payload = buf + (len - dlen);
		out->payload_len = dlen;
	}
	rc = 0;
done:
	coap_delete_pdu(pdu);
	return rc;
}

int
hscoap_build(uint8_t type, uint8_t code, uint16_t mid, const char *path,
    const uint8_t *payload, size_t plen, uint8_t *out, size_t cap)
{
	return hscoap_build_token(type, code, mid, NULL, 0, path, payload,
	    plen, out, cap);
}

int
hscoap_build_token(uint8_t type, uint8_t code, uint16_t mid,
    const uint8_t *token, size_t tkl, const char *path,
    const uint8_t *payload, size_t plen, uint8_t *out, size_t cap)
{
	size_t at = 4 + tkl, n, seg;
	uint16_t delta = COAP_OPTION_URI_PATH;

	if (cap < at || type > 3 || tkl > 8 || (tkl > 0 && token == NULL))
		return -1;
	out[0] = (uint8_t)(0x40 | type << 4 | tkl);	/* version 1 */
	out[1] = code;
	out[2] = (uint8_t)(mid >> 8);
	out[3] = (uint8_t)mid;
	if (tkl > 0)
		memcpy(out + 4, token, tkl);
	while (path != NULL && *path != '\0') {
		seg = strcspn(path, "/");
		n = coap_opt_encode(out + at, cap - at, delta,
		    (const uint8_t *)path, seg);
		if (n == 0)
			return -1;
		at += n;
		delta = 0;	/* repeated Uri-Path options */
		path += seg;
		if (*path == '/')
			path++;
	}
	if (plen > 0) {
		if (cap - at < plen + 1)
			return -1;
		out[at++] = 0xff;
		memcpy(out + at, payload, plen);
		at += plen;
	}
	return (int)at;
}

int
hshello_build(const struct hshello *h, uint8_t *out, size_t cap)
{
	uint8_t p[8];
	size_t plen = 0;

	if (h->has_payload) {
		p[0] = (uint8_t)(h->product_id >> 8);
		p[1] = (uint8_t)h->product_id;
		p[2] = (uint8_t)(h->product_version >> 8);
		p[3] = (uint8_t)h->product_version;
		p[4] = 0;		/* reserved */
		p[5] = h->flags;
		plen = 6;
		if (h->has_platform) {
			p[6] = (uint8_t)(h->platform_id >> 8);
			p[7] = (uint8_t)h->platform_id;
			plen = 8;
		}
	}
	return hscoap_build(HS_COAP_NON, HS_COAP_POST, h->mid, "h", p, plen,
	    out, cap);
}

int
hshello_parse(const struct hscoap *m, struct hshello *out)
{
	struct cursor c = cur_init(m->payload, m->payload_len);

	memset(out, 0, sizeof(*out));
	if (m->code != HS_COAP_POST || strcmp(m->path, "h") != 0)
		return -1;
	out->mid = m->mid;
	if (m->payload_len == 0)
		return 0;
	out->has_payload = true;
	out->product_id = cur_be16(&c);
	out->product_version = cur_be16(&c);
	(void)cur_u8(&c);		/* reserved */
	out->flags = cur_u8(&c);
	if (c.bad)
		return -1;
	if (cur_left(&c) >= 2) {
		out->has_platform = true;
		out->platform_id = cur_be16(&c);
	}
	return 0;
}

bool
hscoap_is_ping(const struct hscoap *m)
{
	return m->type == HS_COAP_CON && m->code == HS_COAP_EMPTY;
}

bool
hscoap_is_ack_for(const struct hscoap *m, uint16_t mid)
{
	return m->type == HS_COAP_ACK && m->mid == mid;
}

/* Messages::decodeType: the code, then the byte at 5 + TKL. */
static enum hspeek_kind
peek_kind(uint8_t type, uint8_t code, int path)
{
	if (code == HS_COAP_EMPTY)
		return type == HS_COAP_CON ? HSPEEK_PING : HSPEEK_EMPTY_ACK;
	if (code == HS_COAP_POST && path == 'h')
		return HSPEEK_HELLO;
	return HSPEEK_OTHER;
}

int
hscoap_peek(const uint8_t *buf, size_t len, struct hspeek *out)
{
	struct cursor c = cur_init(buf, len);
	struct hscoap m;
	uint8_t b0;
	int path = -1;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return -1;
	b0 = cur_u8(&c);
	out->code = cur_u8(&c);
	out->mid = cur_be16(&c);
	if (c.bad) {
		out->kind = HSPEEK_SHORT;
		return 0;
	}
	/* No check of the version bits or of TKL <= 8: the firmware has none. */
	out->type = (uint8_t)(b0 >> 4 & 3);
	out->token_len = (uint8_t)(b0 & 0x0f);
	if (cur_skip(&c, (size_t)out->token_len + 1) && cur_left(&c) > 0)
		path = cur_u8(&c);
	out->kind = peek_kind(out->type, out->code, path);
	out->rfc7252 = hscoap_parse(buf, len, &m) == 0;
	return 0;
}

const char *
hspeek_kind_name(enum hspeek_kind k)
{
	static const char *const names[] = {
		"a message under 4 bytes", "a Hello", "a ping", "an empty ACK",
		"a message",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] :
	    "a message";
}
