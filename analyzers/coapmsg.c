/*
 * coapmsg.c - CoAP-over-UDP messages decoded by libcoap-3, bounded and
 * freed within each call, and the Particle presence announcement
 * (particle-cloud.md 1.7).  See coapmsg.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <coap3/coap.h>

#include "coapmsg.h"
#include "cursor.h"

const uint8_t coapmsg_presence_group[4] = { 224, 0, 1, 187 };

/* NON POST, MID 0, no token, Uri-Path "h", payload marker. */
static const uint8_t presence_head[7] = {
	0x50, 0x02, 0x00, 0x00, 0xb1, 0x68, 0xff
};

static pthread_once_t coapmsg_once = PTHREAD_ONCE_INIT;

static void
coapmsg_quiet(coap_log_t level, const char *message)
{
	(void)level;
	(void)message;
}

/* libcoap keeps its log level and handler globally: set them once. */
static void
coapmsg_init(void)
{
	coap_startup();
	coap_set_log_handler(coapmsg_quiet);
	coap_set_log_level(LOG_EMERG);
}

void
coapmsg_libcoap_quiet(void)
{
	pthread_once(&coapmsg_once, coapmsg_init);
}

/* Append one Uri-Path segment as "/seg"; false when it did not fit. */
static bool
path_append(char *path, size_t *n, const uint8_t *seg, size_t len)
{
	if (len + 1 >= COAPMSG_PATH_MAX - *n)
		return false;
	path[(*n)++] = '/';
	memcpy(path + *n, seg, len);
	*n += len;
	path[*n] = '\0';
	return true;
}

int
coapmsg_parse(const uint8_t *buf, size_t len, struct coapmsg *out)
{
	coap_pdu_t *pdu;
	coap_opt_iterator_t oi;
	coap_opt_t *opt;
	coap_bin_const_t tok;
	const uint8_t *data;
	size_t n = 0, dlen;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (buf == NULL || len < 4 || len > COAPMSG_MAX)
		return -1;
	coapmsg_libcoap_quiet();
	if ((pdu = coap_pdu_init(0, 0, 0, len)) == NULL)
		return -1;
	if (!coap_pdu_parse(COAP_PROTO_UDP, buf, len, pdu)) {
		coap_delete_pdu(pdu);
		return -1;
	}
	out->type = (uint8_t)coap_pdu_get_type(pdu);
	out->code = (uint8_t)coap_pdu_get_code(pdu);
	out->mid = (uint16_t)coap_pdu_get_mid(pdu);
	tok = coap_pdu_get_token(pdu);
	out->token_len = tok.length <= sizeof(out->token) ? tok.length : 0;
	for (i = 0; i < out->token_len; i++)
		out->token[i] = tok.s[i];
	if (coap_option_iterator_init(pdu, &oi, COAP_OPT_ALL) != NULL) {
		while ((opt = coap_option_next(&oi)) != NULL) {
			out->n_options++;
			if (oi.number != COAP_OPTION_URI_PATH)
				continue;
			if (!out->path_truncated &&
			    !path_append(out->path, &n, coap_opt_value(opt),
			    coap_opt_length(opt)))
				out->path_truncated = true;
		}
	}
	if (coap_get_data(pdu, &dlen, &data))
		out->payload_len = dlen;
	coap_delete_pdu(pdu);
	return 0;
}

const char *
coapmsg_type_name(uint8_t type)
{
	static const char *const names[] = { "CON", "NON", "ACK", "RST" };

	return type < 4 ? names[type] : "?";
}

const char *
coapmsg_code_str(uint8_t code, char *buf, size_t size)
{
	/* RFC 7252 12.1.1 and RFC 8132 method codes. */
	static const char *const methods[] = {
		NULL, "GET", "POST", "PUT", "DELETE", "FETCH", "PATCH", "iPATCH"
	};

	if (code >= 1 && code <= 7)
		snprintf(buf, size, "%s", methods[code]);
	else
		snprintf(buf, size, "%u.%02u", code >> 5, code & 0x1f);
	return buf;
}

bool
coapmsg_presence(const uint8_t *buf, size_t len,
    char id_hex[2 * COAPMSG_DEVICE_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct cursor c = cur_init(buf, len);
	const uint8_t *head, *id;
	size_t i;

	if (!cur_take(&c, sizeof(presence_head), &head) ||
	    !cur_take(&c, COAPMSG_DEVICE_ID_LEN, &id) || cur_left(&c) != 0 ||
	    memcmp(head, presence_head, sizeof(presence_head)) != 0)
		return false;
	for (i = 0; i < COAPMSG_DEVICE_ID_LEN; i++) {
		id_hex[2 * i] = hex[id[i] >> 4];
		id_hex[2 * i + 1] = hex[id[i] & 15];
	}
	id_hex[2 * COAPMSG_DEVICE_ID_LEN] = '\0';
	return true;
}
