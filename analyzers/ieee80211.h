/*
 * ieee80211.h - the 802.11 MAC frame: frame control, addresses, the fixed
 * fields of management frames, data and QoS data headers (+HTC, A-MSDU) and
 * the LLC/SNAP header that hands IPv4/IPv6 payloads to the IP decoders.
 * Also the names of the reason and status codes.  Decoded fields are copies
 * or views into the caller's buffer; the information elements of a
 * management frame are left as a view for ie_parse() (ie.h).
 * Spec: IEEE Std 802.11-2020, clause 9.2-9.4 (frame formats, fixed fields),
 * Table 9-49 (reason codes), Table 9-50 (status codes).
 * Pure: no I/O, no allocation.
 */
#ifndef IEEE80211_H
#define IEEE80211_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frame types (9.2.4.1.3). */
#define WLAN_TYPE_MGMT		0
#define WLAN_TYPE_CTRL		1
#define WLAN_TYPE_DATA		2
#define WLAN_TYPE_EXT		3

/* Management subtypes. */
#define WLAN_MGMT_ASSOC_REQ	0
#define WLAN_MGMT_ASSOC_RESP	1
#define WLAN_MGMT_REASSOC_REQ	2
#define WLAN_MGMT_REASSOC_RESP	3
#define WLAN_MGMT_PROBE_REQ	4
#define WLAN_MGMT_PROBE_RESP	5
#define WLAN_MGMT_TIMING_ADV	6
#define WLAN_MGMT_BEACON	8
#define WLAN_MGMT_ATIM		9
#define WLAN_MGMT_DISASSOC	10
#define WLAN_MGMT_AUTH		11
#define WLAN_MGMT_DEAUTH	12
#define WLAN_MGMT_ACTION	13
#define WLAN_MGMT_ACTION_NOACK	14

/* Data subtypes: bit 3 marks QoS, bit 2 "no data" (9.2.4.1.3). */
#define WLAN_DATA_QOS		0x08
#define WLAN_DATA_NODATA	0x04

/* Capability Information bits (9.4.1.4). */
#define WLAN_CAP_ESS		0x0001
#define WLAN_CAP_IBSS		0x0002
#define WLAN_CAP_PRIVACY	0x0010
#define WLAN_CAP_SHORT_PREAMBLE	0x0020
#define WLAN_CAP_SPECTRUM_MGMT	0x0100
#define WLAN_CAP_SHORT_SLOT	0x0400
#define WLAN_CAP_RADIO_MEAS	0x1000

/* Authentication algorithms (9.4.1.1). */
#define WLAN_AUTH_OPEN		0
#define WLAN_AUTH_SHARED_KEY	1
#define WLAN_AUTH_FT		2
#define WLAN_AUTH_SAE		3
#define WLAN_AUTH_FILS_SK	4
#define WLAN_AUTH_FILS_SK_PFS	5
#define WLAN_AUTH_FILS_PK	6

/* Which parts of struct ieee80211_frame were decoded. */
#define WLAN_HAVE_ADDR2		0x0001
#define WLAN_HAVE_ADDR3		0x0002
#define WLAN_HAVE_ADDR4		0x0004
#define WLAN_HAVE_SEQ		0x0008
#define WLAN_HAVE_BSSID		0x0010
#define WLAN_HAVE_FIXED		0x0020	/* the subtype's fixed fields */
#define WLAN_HAVE_QOS		0x0040
#define WLAN_HAVE_HTC		0x0080
#define WLAN_HAVE_SNAP		0x0100	/* ethertype + payload */

/*
 * The fixed fields of management frames (9.3.3).  Which are set depends on
 * the subtype:
 *   beacon, probe response: timestamp, beacon_interval, capability;
 *   assoc request: capability, listen_interval;
 *   reassoc request: the same plus current_ap;
 *   (re)assoc response: capability, status, aid;
 *   authentication: auth_alg, auth_seq, status;
 *   deauthentication, disassociation: reason;
 *   action, action no-ack: action_category, action_code.
 */
struct ieee80211_fixed {
	uint64_t	 timestamp;
	uint16_t	 beacon_interval;	/* TUs */
	uint16_t	 capability;		/* WLAN_CAP_* */
	uint16_t	 listen_interval;
	uint8_t		 current_ap[6];
	uint16_t	 status;
	uint16_t	 aid;			/* the 14 low bits */
	uint16_t	 auth_alg;		/* WLAN_AUTH_* */
	uint16_t	 auth_seq;
	uint16_t	 reason;
	uint8_t		 action_category;
	uint8_t		 action_code;
};

/*
 * One decoded 802.11 frame.  Pointers are views into the buffer passed to
 * ieee80211_decode() and are valid while that buffer is.
 */
struct ieee80211_frame {
	unsigned	 have;		/* WLAN_HAVE_* */
	uint16_t	 fc;		/* frame control, host order */
	uint8_t		 type;		/* WLAN_TYPE_* */
	uint8_t		 subtype;
	bool		 to_ds;
	bool		 from_ds;
	bool		 more_frag;
	bool		 retry;
	bool		 protected_frame;	/* body is encrypted */
	bool		 order;			/* +HTC on QoS data / mgmt */
	uint16_t	 duration;
	uint8_t		 addr1[6];	/* receiver; always present */
	uint8_t		 addr2[6];	/* transmitter */
	uint8_t		 addr3[6];
	uint8_t		 addr4[6];
	uint16_t	 seq_ctl;
	/* Derived from the DS bits (9.3.2.1 Table 9-26), when known. */
	uint8_t		 bssid[6];
	uint8_t		 da[6];
	uint8_t		 sa[6];
	/* Management. */
	struct ieee80211_fixed fixed;
	const uint8_t	*ies;		/* the elements, for ie_parse() */
	size_t		 ies_len;
	/* Data. */
	uint16_t	 qos_ctl;
	bool		 amsdu;		/* QoS A-MSDU Present */
	uint32_t	 htc;		/* HT Control field */
	const uint8_t	*body;		/* frame body after the MAC header */
	size_t		 body_len;
	/* LLC/SNAP (RFC 1042 or 802.1H) in an unprotected data frame. */
	uint16_t	 ethertype;
	const uint8_t	*payload;	/* what follows the SNAP header */
	size_t		 payload_len;
	bool		 truncated;	/* header or fixed fields cut */
};

/*
 * Decode one 802.11 frame from `buf`/`len` (without FCS: see
 * radiotap_info.frame_len) into `wf`.  Returns 0 when at least the frame
 * control and addr1 were read; fields that were cut short are left out of
 * `have` and wf->truncated is set.  Returns -1 when not even that fits.
 * For an A-MSDU, the SNAP header of the first subframe is decoded.
 * Mesh Control headers are not decoded: the SNAP fields stay unset.
 */
int		 ieee80211_decode(const uint8_t *buf, size_t len,
		    struct ieee80211_frame *wf);

/*
 * Names.  Reason and status names are the standard's (as tcpdump and
 * Wireshark spell them); codes the standard reserves give "reserved" and
 * codes beyond the table "unknown".  The strings are static.
 */
const char	*ieee80211_reason_name(uint16_t code);
const char	*ieee80211_status_name(uint16_t code);
/* "Beacon", "Probe Response", "QoS Data", "ACK", ... or "unknown". */
const char	*ieee80211_subtype_name(uint8_t type, uint8_t subtype);
/* "Open System", "Shared Key", "SAE", ... or "unknown". */
const char	*ieee80211_auth_alg_name(uint16_t alg);

/* True when a reason/status code has a defined (not reserved) meaning. */
bool		 ieee80211_reason_defined(uint16_t code);
bool		 ieee80211_status_defined(uint16_t code);

#endif /* IEEE80211_H */
