/*
 * eapol.h - EAPOL frames (IEEE 802.1X-2010 clause 11) as 802.11 carries
 * them in data frames with ethertype 0x888E, and the EAPOL-Key frames of
 * the 4-way and group key handshakes (IEEE Std 802.11-2020, 12.7.2 and
 * 12.7.6-12.7.7): which message of which handshake a frame is, read from
 * the Key Information bits.  Keys, nonces and MICs are not kept: the
 * analyzers judge how a join went, not its secrets.
 * Pure: no I/O, no allocation.
 */
#ifndef EAPOL_H
#define EAPOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* EAPOL packet types (802.1X-2010 Table 11-3). */
#define EAPOL_TYPE_EAP		0
#define EAPOL_TYPE_START	1
#define EAPOL_TYPE_LOGOFF	2
#define EAPOL_TYPE_KEY		3

/* Key Descriptor Types. */
#define EAPOL_DESC_RSN		2	/* IEEE 802.11 */
#define EAPOL_DESC_WPA		254	/* pre-RSN WPA */

/* Key Information bits (802.11-2020 Figure 12-33). */
#define EAPOL_KI_VERSION	0x0007
#define EAPOL_KI_PAIRWISE	0x0008
#define EAPOL_KI_INSTALL	0x0040
#define EAPOL_KI_ACK		0x0080
#define EAPOL_KI_MIC		0x0100
#define EAPOL_KI_SECURE		0x0200
#define EAPOL_KI_ERROR		0x0400
#define EAPOL_KI_REQUEST	0x0800
#define EAPOL_KI_ENCRYPTED	0x1000

/* What an EAPOL frame is in the join. */
enum eapol_msg {
	EAPOL_MSG_OTHER = 0,	/* EAP, Start, Logoff, an unknown key frame */
	EAPOL_MSG_4WAY_1,	/* AP -> STA: ANonce */
	EAPOL_MSG_4WAY_2,	/* STA -> AP: SNonce, MIC */
	EAPOL_MSG_4WAY_3,	/* AP -> STA: install, GTK */
	EAPOL_MSG_4WAY_4,	/* STA -> AP: done */
	EAPOL_MSG_GROUP_1,	/* AP -> STA: a new group key */
	EAPOL_MSG_GROUP_2,	/* STA -> AP: acknowledged */
	EAPOL_MSG_REQUEST	/* STA -> AP: Request bit (e.g. MIC failure) */
};

struct eapol_frame {
	uint8_t		version;
	uint8_t		type;		/* EAPOL_TYPE_* */
	uint16_t	body_len;	/* as claimed */
	bool		is_key;		/* a key descriptor was read */
	uint8_t		desc_type;	/* EAPOL_DESC_* */
	uint16_t	key_info;	/* EAPOL_KI_* */
	uint64_t	replay;		/* Key Replay Counter */
	bool		nonce_zero;	/* the Key Nonce is all zero */
	bool		has_data_len;	/* Key Data Length was read */
	uint16_t	data_len;	/* Key Data Length (16-byte MIC) */
	enum eapol_msg	msg;
	bool		truncated;	/* cut before the fields named */
};

/*
 * Decode an EAPOL frame (the payload after the LLC/SNAP header) of `len`
 * bytes into *out (zeroed first).  Returns 0 when the 4-byte EAPOL header
 * was read (a key frame cut short sets `truncated`; `msg` is then what the
 * Key Information says, or EAPOL_MSG_OTHER when that was cut too), -1 when
 * not even the header fits.
 */
int		 eapol_decode(const uint8_t *buf, size_t len,
		    struct eapol_frame *out);

/* "M1" .. "M4", "G1", "G2", "request", "other". */
const char	*eapol_msg_name(enum eapol_msg m);

#endif /* EAPOL_H */
