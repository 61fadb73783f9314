/*
 * eapol.c - EAPOL and EAPOL-Key decoding: which handshake message a frame
 * is.  See eapol.h.
 */
#include <string.h>

#include "cursor.h"
#include "eapol.h"

/*
 * Which message, from the Key Information bits (802.11-2020 12.7.6.2-5,
 * 12.7.7.2-3).  Message 2 and 4 differ only in what they carry: message 4
 * sets Secure in RSN (not in WPA) and has no Key Data, while message 2
 * carries the station's RSN element; a message 4 without Secure and with
 * Key Data does not exist.
 */
static enum eapol_msg
eapol_classify(const struct eapol_frame *f)
{
	uint16_t ki = f->key_info;

	if (ki & EAPOL_KI_REQUEST)
		return EAPOL_MSG_REQUEST;
	if (!(ki & EAPOL_KI_PAIRWISE)) {
		if (!(ki & EAPOL_KI_MIC))
			return EAPOL_MSG_OTHER;
		return (ki & EAPOL_KI_ACK) ? EAPOL_MSG_GROUP_1 :
		    EAPOL_MSG_GROUP_2;
	}
	if (ki & EAPOL_KI_ACK)
		return (ki & EAPOL_KI_MIC) ? EAPOL_MSG_4WAY_3 :
		    EAPOL_MSG_4WAY_1;
	if (!(ki & EAPOL_KI_MIC))
		return EAPOL_MSG_OTHER;
	if (ki & EAPOL_KI_SECURE)
		return EAPOL_MSG_4WAY_4;
	/* Without Secure (WPA, or RSN message 2): Key Data decides. */
	if (f->has_data_len)
		return f->data_len == 0 ? EAPOL_MSG_4WAY_4 : EAPOL_MSG_4WAY_2;
	return EAPOL_MSG_OTHER;
}

int
eapol_decode(const uint8_t *buf, size_t len, struct eapol_frame *out)
{
	struct cursor c = cur_init(buf, len);
	const uint8_t *nonce;
	static const uint8_t zero[32];

	memset(out, 0, sizeof(*out));
	out->version = cur_u8(&c);
	out->type = cur_u8(&c);
	out->body_len = cur_be16(&c);
	if (c.bad) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (out->type != EAPOL_TYPE_KEY)
		return 0;
	/* The body is what the header claims, within what was captured. */
	if (out->body_len < cur_left(&c))
		c = cur_sub(&c, out->body_len);
	out->desc_type = cur_u8(&c);
	out->key_info = cur_be16(&c);
	if (c.bad || (out->desc_type != EAPOL_DESC_RSN &&
	    out->desc_type != EAPOL_DESC_WPA)) {
		out->truncated = c.bad;
		return 0;
	}
	out->is_key = true;
	(void)cur_be16(&c);			/* Key Length */
	out->replay = (uint64_t)cur_be32(&c) << 32;
	out->replay |= cur_be32(&c);
	if (cur_take(&c, 32, &nonce))
		out->nonce_zero = memcmp(nonce, zero, 32) == 0;
	/* IV 16, RSC 8, reserved 8, then a MIC whose length the AKM sets:
	 * 16 bytes for every PSK and 802.1X AKM a device here uses. */
	(void)cur_skip(&c, 16 + 8 + 8 + 16);
	out->data_len = cur_be16(&c);
	out->has_data_len = !c.bad;
	if (c.bad)
		out->data_len = 0;
	out->truncated = c.bad;
	out->msg = eapol_classify(out);
	return 0;
}

const char *
eapol_msg_name(enum eapol_msg m)
{
	static const char *const names[] = {
		"other", "M1", "M2", "M3", "M4", "G1", "G2", "request"
	};

	if ((unsigned)m >= sizeof(names) / sizeof(names[0]))
		return "other";
	return names[m];
}
