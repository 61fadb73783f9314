/*
 * ieee80211.c - decode the 802.11 MAC header, the fixed fields of
 * management frames and the LLC/SNAP header of data frames (IEEE Std
 * 802.11-2020, 9.2-9.4), and name reason and status codes (Tables 9-49 and
 * 9-50).  Every read goes through one cursor over the frame; the header is
 * read straight down the spec and `bad` is checked once per part (header,
 * fixed fields, SNAP), so a cut-off frame keeps the parts before the cut.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "ieee80211.h"

/* Frame control bits (9.2.4.1). */
#define FC_VERSION(fc)		((fc) & 0x0003)
#define FC_TYPE(fc)		(((fc) >> 2) & 0x3)
#define FC_SUBTYPE(fc)		(((fc) >> 4) & 0xf)
#define FC_TO_DS		0x0100
#define FC_FROM_DS		0x0200
#define FC_MORE_FRAG		0x0400
#define FC_RETRY		0x0800
#define FC_PROTECTED		0x4000
#define FC_ORDER		0x8000

/* QoS Control: A-MSDU Present (9.2.4.5.9). */
#define QOS_AMSDU		0x0080

/*
 * Read a 6-byte address: cur_copy() with one fixed-size copy instead of
 * its byte loop (three to four per frame, on every frame).  Zero-filled
 * on a short read, as cur_copy() leaves it.
 */
static bool
get_mac(struct cursor *c, uint8_t *mac)
{
	const uint8_t *q;

	if (!cur_take(c, 6, &q)) {
		memset(mac, 0, 6);
		return false;
	}
	memcpy(mac, q, 6);
	return true;
}

/* Control frame subtypes that carry a transmitter address (9.3.1). */
#define CTRL_BF_REPORT_POLL	4
#define CTRL_NDP_ANNOUNCE	5
#define CTRL_WRAPPER		7
#define CTRL_BAR		8
#define CTRL_BA			9
#define CTRL_PS_POLL		10
#define CTRL_RTS		11
#define CTRL_CF_END		14
#define CTRL_CF_END_ACK		15

/* A value-to-name table, tcpdump's `struct tok`, ending in { 0, NULL }. */
struct ieee80211_tok {
	unsigned	 v;
	const char	*s;
};

static const char *
tok_lookup(const struct ieee80211_tok *t, unsigned v)
{
	for (; t->s != NULL; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

/*
 * Reason codes, Table 9-49.  Names as the standard words them (tcpdump's
 * print-802_11.c and Wireshark use the same text).  Codes 0 and 40-44 are
 * reserved and therefore absent.
 */
static const struct ieee80211_tok reason_names[] = {
	{ 1, "Unspecified reason" },
	{ 2, "Previous authentication no longer valid" },
	{ 3, "Deauthenticated because sending STA is leaving (or has left) "
	    "IBSS or ESS" },
	{ 4, "Disassociated due to inactivity" },
	{ 5, "Disassociated because AP is unable to handle all currently "
	    "associated STAs" },
	{ 6, "Class 2 frame received from nonauthenticated STA" },
	{ 7, "Class 3 frame received from nonassociated STA" },
	{ 8, "Disassociated because sending STA is leaving (or has left) "
	    "BSS" },
	{ 9, "STA requesting (re)association is not authenticated with "
	    "responding STA" },
	{ 10, "Disassociated because the information in the Power "
	    "Capability element is unacceptable" },
	{ 11, "Disassociated because the information in the Supported "
	    "Channels element is unacceptable" },
	{ 12, "Disassociated due to BSS transition management" },
	{ 13, "Invalid element, i.e., an element defined in this standard "
	    "for which the content does not meet the specifications in "
	    "Clause 9" },
	{ 14, "Message integrity code (MIC) failure" },
	{ 15, "4-Way Handshake timeout" },
	{ 16, "Group key handshake timeout" },
	{ 17, "Element in 4-Way Handshake different from (Re)Association "
	    "Request/Probe Response/Beacon frame" },
	{ 18, "Invalid group cipher" },
	{ 19, "Invalid pairwise cipher" },
	{ 20, "Invalid AKMP" },
	{ 21, "Unsupported RSNE version" },
	{ 22, "Invalid RSNE capabilities" },
	{ 23, "IEEE 802.1X authentication failed" },
	{ 24, "Cipher suite rejected because of the security policy" },
	{ 25, "TDLS direct-link teardown due to TDLS peer STA unreachable "
	    "via the TDLS direct link" },
	{ 26, "TDLS direct-link teardown for unspecified reason" },
	{ 27, "Disassociated because session terminated by SSP request" },
	{ 28, "Disassociated because of lack of SSP roaming agreement" },
	{ 29, "Requested service rejected because of SSP cipher suite or "
	    "AKM requirement" },
	{ 30, "Requested service not authorized in this location" },
	{ 31, "TS deleted because QoS AP lacks sufficient bandwidth for "
	    "this QoS STA due to a change in BSS service characteristics "
	    "or operational mode" },
	{ 32, "Disassociated for unspecified, QoS-related reason" },
	{ 33, "Disassociated because QoS AP lacks sufficient bandwidth for "
	    "this QoS STA" },
	{ 34, "Disassociated because of excessive number of frames that "
	    "need to be acknowledged, but are not acknowledged due to AP "
	    "transmissions and/or poor channel conditions" },
	{ 35, "Disassociated because STA is transmitting outside the limits "
	    "of its TXOPs" },
	{ 36, "Requested from peer STA as the STA is leaving the BSS (or "
	    "resetting)" },
	{ 37, "Requested from peer STA as it does not want to use the "
	    "mechanism" },
	{ 38, "Requested from peer STA as the STA received frames using the "
	    "mechanism for which a setup is required" },
	{ 39, "Requested from peer STA due to timeout" },
	{ 45, "Peer STA does not support the requested cipher suite" },
	{ 46, "Disassociated because authorized access limit reached" },
	{ 47, "Disassociated due to external service requirements" },
	{ 48, "Invalid FT Action frame count" },
	{ 49, "Invalid pairwise master key identifier (PMKID)" },
	{ 50, "Invalid MDE" },
	{ 51, "Invalid FTE" },
	{ 52, "Mesh peering canceled for unknown reasons" },
	{ 53, "The mesh STA has reached the supported maximum number of "
	    "peer mesh STAs" },
	{ 54, "The received information violates the Mesh Configuration "
	    "policy configured in the mesh STA profile" },
	{ 55, "The mesh STA has received a Mesh Peering Close frame "
	    "requesting to close the mesh peering" },
	{ 56, "The mesh STA has resent dot11MeshMaxRetries Mesh Peering "
	    "Open frames, without receiving a Mesh Peering Confirm frame" },
	{ 57, "The confirmTimer for the mesh peering instance times out" },
	{ 58, "The mesh STA fails to unwrap the GTK or the values in the "
	    "wrapped contents do not match" },
	{ 59, "The mesh STA receives inconsistent information about the "
	    "mesh parameters between mesh peering Management frames" },
	{ 60, "The mesh STA fails the authenticated mesh peering exchange "
	    "because of failure in selecting either the pairwise or group "
	    "ciphersuite" },
	{ 61, "The mesh STA does not have proxy information for this "
	    "external destination" },
	{ 62, "The mesh STA does not have forwarding information for this "
	    "destination" },
	{ 63, "The mesh STA determines that the link to the next hop of an "
	    "active path in its forwarding information is no longer "
	    "usable" },
	{ 64, "The Deauthentication frame was sent because the MAC address "
	    "of the STA already exists in the mesh BSS" },
	{ 65, "The mesh STA performs channel switch to meet regulatory "
	    "requirements" },
	{ 66, "The mesh STA performs channel switching with unspecified "
	    "reason" },
	{ 0, NULL }
};

/* Status codes, Table 9-50; reserved codes are absent. */
static const struct ieee80211_tok status_names[] = {
	{ 0, "Successful" },
	{ 1, "Unspecified failure" },
	{ 2, "TDLS wakeup schedule rejected but alternative schedule "
	    "provided" },
	{ 3, "TDLS wakeup schedule rejected" },
	{ 5, "Security disabled" },
	{ 6, "Unacceptable lifetime" },
	{ 7, "Not in same BSS" },
	{ 10, "Cannot support all requested capabilities in the Capability "
	    "Information field" },
	{ 11, "Reassociation denied due to inability to confirm that "
	    "association exists" },
	{ 12, "Association denied due to reason outside the scope of this "
	    "standard" },
	{ 13, "Responding STA does not support the specified authentication "
	    "algorithm" },
	{ 14, "Received an Authentication frame with authentication "
	    "transaction sequence number out of expected sequence" },
	{ 15, "Authentication rejected because of challenge failure" },
	{ 16, "Authentication rejected due to timeout waiting for next "
	    "frame in sequence" },
	{ 17, "Association denied because AP is unable to handle additional "
	    "associated STAs" },
	{ 18, "Association denied due to requesting STA not supporting all "
	    "of the data rates in the BSSBasicRateSet parameter" },
	{ 19, "Association denied due to requesting STA not supporting the "
	    "short preamble option" },
	{ 22, "Association request rejected because Spectrum Management "
	    "capability is required" },
	{ 23, "Association request rejected because the information in the "
	    "Power Capability element is unacceptable" },
	{ 24, "Association request rejected because the information in the "
	    "Supported Channels element is unacceptable" },
	{ 25, "Association denied due to requesting STA not supporting the "
	    "Short Slot Time option" },
	{ 27, "Association denied because the requesting STA does not "
	    "support HT features" },
	{ 28, "R0KH unreachable" },
	{ 29, "Association denied because the requesting STA does not "
	    "support the phased coexistence operation (PCO) transition "
	    "time required by the AP" },
	{ 30, "Association request rejected temporarily; try again later" },
	{ 31, "Robust management frame policy violation" },
	{ 32, "Unspecified, QoS-related failure" },
	{ 33, "Association denied because QoS AP or PCP has insufficient "
	    "bandwidth to handle another QoS STA" },
	{ 34, "Association denied due to excessive frame loss rates and/or "
	    "poor conditions on current operating channel" },
	{ 35, "Association (with QoS BSS) denied because the requesting STA "
	    "does not support the QoS facility" },
	{ 37, "The request has been declined" },
	{ 38, "The request has not been successful as one or more "
	    "parameters have invalid values" },
	{ 39, "The allocation or TS has not been created because the "
	    "request cannot be honored; a suggested TSPEC is provided" },
	{ 40, "Invalid element, i.e., an element defined in this standard "
	    "for which the content does not meet the specifications in "
	    "Clause 9" },
	{ 41, "Invalid group cipher" },
	{ 42, "Invalid pairwise cipher" },
	{ 43, "Invalid AKMP" },
	{ 44, "Unsupported RSNE version" },
	{ 45, "Invalid RSNE capabilities" },
	{ 46, "Cipher suite rejected because of security policy" },
	{ 47, "The TS or allocation has not been created; the HC or PCP "
	    "might be capable of creating it after the time in the TS "
	    "Delay element" },
	{ 48, "Direct Link is not allowed in the BSS by policy" },
	{ 49, "The Destination STA is not present within this BSS" },
	{ 50, "The Destination STA is not a QoS STA" },
	{ 51, "Association denied because the listen interval is too large" },
	{ 52, "Invalid FT Action frame count" },
	{ 53, "Invalid pairwise master key identifier (PMKID)" },
	{ 54, "Invalid MDE" },
	{ 55, "Invalid FTE" },
	{ 56, "Requested TCLAS processing is not supported by the AP or PCP" },
	{ 57, "The AP or PCP has insufficient TCLAS processing resources to "
	    "satisfy the request" },
	{ 58, "The TS has not been created; the HC or PCP suggests that the "
	    "STA transition to a different BSS to set up the TS" },
	{ 59, "GAS Advertisement Protocol not supported" },
	{ 60, "No outstanding GAS request" },
	{ 61, "GAS Response not received from the Advertisement Server" },
	{ 62, "STA timed out waiting for GAS Query Response" },
	{ 63, "LARGE GAS Response is larger than query response length "
	    "limit" },
	{ 64, "Request refused because home network does not support "
	    "request" },
	{ 65, "Advertisement Server in the network is not currently "
	    "reachable" },
	{ 67, "Request refused due to permissions received via SSPN "
	    "interface" },
	{ 68, "Request refused because the AP or PCP does not support "
	    "unauthenticated access" },
	{ 72, "Invalid contents of RSNE" },
	{ 73, "U-APSD coexistence is not supported" },
	{ 74, "Requested U-APSD coexistence mode is not supported" },
	{ 75, "Requested Interval/Duration value cannot be supported with "
	    "U-APSD coexistence" },
	{ 76, "Authentication is rejected because an Anti-Clogging Token is "
	    "required" },
	{ 77, "Authentication is rejected because the offered finite cyclic "
	    "group is not supported" },
	{ 78, "The TBTT adjustment request has not been successful because "
	    "the STA could not find an alternative TBTT" },
	{ 79, "Transmission failure" },
	{ 80, "Requested TCLAS not supported" },
	{ 81, "TCLAS resources exhausted" },
	{ 82, "Rejected with suggested BSS transition" },
	{ 83, "Reject with recommended schedule" },
	{ 84, "Reject because no wakeup schedule specified" },
	{ 85, "Success, the destination STA is in power save mode" },
	{ 86, "FST pending, in process of admitting FST session" },
	{ 87, "Performing FST now" },
	{ 88, "FST pending, gap(s) in block ack window" },
	{ 89, "Reject because of U-PID setting" },
	{ 92, "(Re)Association refused for some external reason" },
	{ 93, "(Re)Association refused because of memory limits at the AP" },
	{ 94, "(Re)Association refused because emergency services are not "
	    "supported at the AP" },
	{ 95, "GAS query response not yet received" },
	{ 96, "Reject since the request is for transition to a frequency "
	    "band subject to DSE procedures and FST Initiator is a "
	    "dependent STA" },
	{ 97, "Requested TCLAS processing has been terminated by the AP" },
	{ 98, "The TS schedule conflicts with an existing schedule; an "
	    "alternative schedule is provided" },
	{ 99, "The association has been denied; however, one or more "
	    "Multi-band elements are included that can be used by the "
	    "receiving STA to join the BSS" },
	{ 100, "The request failed due to a reservation conflict" },
	{ 101, "The request failed due to exceeded MAF limit" },
	{ 102, "The request failed due to exceeded MCCA track limit" },
	{ 103, "Association denied because the information in the Spectrum "
	    "Management field is unacceptable" },
	{ 104, "Association denied because the requesting STA does not "
	    "support VHT features" },
	{ 105, "Enablement denied" },
	{ 106, "Enablement denied due to restriction from an authorized GDB" },
	{ 107, "Authorization deenabled" },
	{ 0, NULL }
};

#define REASON_MAX	66	/* the last code the standard defines here */
#define STATUS_MAX	107

static const struct ieee80211_tok mgmt_names[] = {
	{ WLAN_MGMT_ASSOC_REQ,		"Association Request" },
	{ WLAN_MGMT_ASSOC_RESP,		"Association Response" },
	{ WLAN_MGMT_REASSOC_REQ,	"Reassociation Request" },
	{ WLAN_MGMT_REASSOC_RESP,	"Reassociation Response" },
	{ WLAN_MGMT_PROBE_REQ,		"Probe Request" },
	{ WLAN_MGMT_PROBE_RESP,		"Probe Response" },
	{ WLAN_MGMT_TIMING_ADV,		"Timing Advertisement" },
	{ WLAN_MGMT_BEACON,		"Beacon" },
	{ WLAN_MGMT_ATIM,		"ATIM" },
	{ WLAN_MGMT_DISASSOC,		"Disassociation" },
	{ WLAN_MGMT_AUTH,		"Authentication" },
	{ WLAN_MGMT_DEAUTH,		"Deauthentication" },
	{ WLAN_MGMT_ACTION,		"Action" },
	{ WLAN_MGMT_ACTION_NOACK,	"Action No Ack" },
	{ 0, NULL }
};

static const struct ieee80211_tok ctrl_names[] = {
	{ 2,			"Trigger" },
	{ 3,			"TACK" },
	{ CTRL_BF_REPORT_POLL,	"Beamforming Report Poll" },
	{ CTRL_NDP_ANNOUNCE,	"NDP Announcement" },
	{ 6,			"Control Frame Extension" },
	{ CTRL_WRAPPER,		"Control Wrapper" },
	{ CTRL_BAR,		"Block Ack Request" },
	{ CTRL_BA,		"Block Ack" },
	{ CTRL_PS_POLL,		"PS-Poll" },
	{ CTRL_RTS,		"RTS" },
	{ 12,			"CTS" },
	{ 13,			"ACK" },
	{ CTRL_CF_END,		"CF-End" },
	{ CTRL_CF_END_ACK,	"CF-End+CF-Ack" },
	{ 0, NULL }
};

static const struct ieee80211_tok data_names[] = {
	{ 0,	"Data" },
	{ 1,	"Data+CF-Ack" },
	{ 2,	"Data+CF-Poll" },
	{ 3,	"Data+CF-Ack+CF-Poll" },
	{ 4,	"Null" },
	{ 5,	"CF-Ack" },
	{ 6,	"CF-Poll" },
	{ 7,	"CF-Ack+CF-Poll" },
	{ 8,	"QoS Data" },
	{ 9,	"QoS Data+CF-Ack" },
	{ 10,	"QoS Data+CF-Poll" },
	{ 11,	"QoS Data+CF-Ack+CF-Poll" },
	{ 12,	"QoS Null" },
	{ 14,	"QoS CF-Poll" },
	{ 15,	"QoS CF-Ack+CF-Poll" },
	{ 0, NULL }
};

static const struct ieee80211_tok auth_alg_names[] = {
	{ WLAN_AUTH_OPEN,	"Open System" },
	{ WLAN_AUTH_SHARED_KEY,	"Shared Key" },
	{ WLAN_AUTH_FT,		"Fast BSS Transition" },
	{ WLAN_AUTH_SAE,	"SAE" },
	{ WLAN_AUTH_FILS_SK,	"FILS Shared Key" },
	{ WLAN_AUTH_FILS_SK_PFS, "FILS Shared Key with PFS" },
	{ WLAN_AUTH_FILS_PK,	"FILS Public Key" },
	{ 7,			"PASN" },
	{ 0xffff,		"Vendor specific" },
	{ 0, NULL }
};

const char *
ieee80211_reason_name(uint16_t code)
{
	const char *s = tok_lookup(reason_names, code);

	if (s != NULL)
		return s;
	return code <= REASON_MAX ? "reserved" : "unknown";
}

const char *
ieee80211_status_name(uint16_t code)
{
	const char *s = tok_lookup(status_names, code);

	if (s != NULL)
		return s;
	return code <= STATUS_MAX ? "reserved" : "unknown";
}

bool
ieee80211_reason_defined(uint16_t code)
{
	return tok_lookup(reason_names, code) != NULL;
}

bool
ieee80211_status_defined(uint16_t code)
{
	return tok_lookup(status_names, code) != NULL;
}

const char *
ieee80211_subtype_name(uint8_t type, uint8_t subtype)
{
	const char *s = NULL;

	switch (type) {
	case WLAN_TYPE_MGMT:
		s = tok_lookup(mgmt_names, subtype);
		break;
	case WLAN_TYPE_CTRL:
		s = tok_lookup(ctrl_names, subtype);
		break;
	case WLAN_TYPE_DATA:
		s = tok_lookup(data_names, subtype);
		break;
	case WLAN_TYPE_EXT:
		if (subtype == 0)
			s = "DMG Beacon";
		else if (subtype == 1)
			s = "S1G Beacon";
		break;
	}
	return s != NULL ? s : "unknown";
}

const char *
ieee80211_auth_alg_name(uint16_t alg)
{
	const char *s = tok_lookup(auth_alg_names, alg);

	return s != NULL ? s : "unknown";
}

/*
 * The fixed fields of a management frame body (9.3.3), then the elements.
 * Returns false when the fixed fields were cut short.
 */
static bool
decode_mgmt_fixed(struct cursor *c, struct ieee80211_frame *wf)
{
	struct ieee80211_fixed *fx = &wf->fixed;
	bool elements = true;

	switch (wf->subtype) {
	case WLAN_MGMT_BEACON:
	case WLAN_MGMT_PROBE_RESP:
		fx->timestamp = cur_le64(c);
		fx->beacon_interval = cur_le16(c);
		fx->capability = cur_le16(c);
		break;
	case WLAN_MGMT_ASSOC_REQ:
		fx->capability = cur_le16(c);
		fx->listen_interval = cur_le16(c);
		break;
	case WLAN_MGMT_REASSOC_REQ:
		fx->capability = cur_le16(c);
		fx->listen_interval = cur_le16(c);
		get_mac(c, fx->current_ap);
		break;
	case WLAN_MGMT_ASSOC_RESP:
	case WLAN_MGMT_REASSOC_RESP:
		fx->capability = cur_le16(c);
		fx->status = cur_le16(c);
		fx->aid = cur_le16(c) & 0x3fff;
		break;
	case WLAN_MGMT_AUTH:
		fx->auth_alg = cur_le16(c);
		fx->auth_seq = cur_le16(c);
		fx->status = cur_le16(c);
		break;
	case WLAN_MGMT_DEAUTH:
	case WLAN_MGMT_DISASSOC:
		fx->reason = cur_le16(c);
		break;
	case WLAN_MGMT_ACTION:
	case WLAN_MGMT_ACTION_NOACK:
		fx->action_category = cur_u8(c);
		fx->action_code = cur_u8(c);
		/* Action bodies are category-specific, not elements. */
		elements = false;
		break;
	case WLAN_MGMT_TIMING_ADV:
		fx->timestamp = cur_le64(c);
		fx->capability = cur_le16(c);
		break;
	default:
		/* Probe request, ATIM: no fixed fields. */
		break;
	}
	if (c->bad)
		return false;
	if (elements) {
		wf->ies = c->p;
		wf->ies_len = c->left;
	}
	return true;
}

/*
 * LLC/SNAP (RFC 1042; 802.1H uses OUI 00-00-F8) at the start of a data
 * body, giving the ethertype and the payload after it.  For an A-MSDU the
 * first subframe's header (DA, SA, length) comes first (9.3.2.2.2).
 */
static void
decode_snap(struct ieee80211_frame *wf)
{
	struct cursor c = cur_init(wf->body, wf->body_len);
	struct cursor msdu;
	const uint8_t *llc;
	uint16_t sublen;

	if (wf->amsdu) {
		cur_skip(&c, 12);
		sublen = cur_be16(&c);
		msdu = cur_sub(&c, sublen <= cur_left(&c) ? sublen :
		    cur_left(&c));
	} else
		msdu = c;
	if (msdu.bad || !cur_take(&msdu, 8, &llc))
		return;
	if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03)
		return;
	if (!(llc[3] == 0 && llc[4] == 0 && (llc[5] == 0 || llc[5] == 0xf8)))
		return;
	wf->ethertype = (uint16_t)(llc[6] << 8 | llc[7]);
	wf->payload = msdu.p;
	wf->payload_len = msdu.left;
	wf->have |= WLAN_HAVE_SNAP;
}

/* Addresses by the DS bits (9.3.2.1, Table 9-26). */
static void
data_addresses(struct ieee80211_frame *wf)
{
	if (!wf->to_ds && !wf->from_ds) {
		memcpy(wf->da, wf->addr1, 6);
		memcpy(wf->sa, wf->addr2, 6);
		memcpy(wf->bssid, wf->addr3, 6);
	} else if (!wf->to_ds && wf->from_ds) {
		memcpy(wf->da, wf->addr1, 6);
		memcpy(wf->bssid, wf->addr2, 6);
		memcpy(wf->sa, wf->addr3, 6);
	} else if (wf->to_ds && !wf->from_ds) {
		memcpy(wf->bssid, wf->addr1, 6);
		memcpy(wf->sa, wf->addr2, 6);
		memcpy(wf->da, wf->addr3, 6);
	} else {
		/* WDS / mesh: no BSSID in the header. */
		memcpy(wf->da, wf->addr3, 6);
		memcpy(wf->sa, wf->addr4, 6);
		return;
	}
	wf->have |= WLAN_HAVE_BSSID;
}

static int
decode_ctrl(struct cursor *c, struct ieee80211_frame *wf)
{
	switch (wf->subtype) {
	case CTRL_BF_REPORT_POLL:
	case CTRL_NDP_ANNOUNCE:
	case CTRL_BAR:
	case CTRL_BA:
	case CTRL_PS_POLL:
	case CTRL_RTS:
	case CTRL_CF_END:
	case CTRL_CF_END_ACK:
		if (!get_mac(c, wf->addr2)) {
			wf->truncated = true;
			return 0;
		}
		wf->have |= WLAN_HAVE_ADDR2;
		break;
	default:
		break;
	}
	if (wf->subtype == CTRL_PS_POLL) {
		memcpy(wf->bssid, wf->addr1, 6);
		wf->have |= WLAN_HAVE_BSSID;
	} else if (wf->subtype == CTRL_CF_END ||
	    wf->subtype == CTRL_CF_END_ACK) {
		memcpy(wf->bssid, wf->addr2, 6);
		wf->have |= WLAN_HAVE_BSSID;
	}
	wf->body = c->p;
	wf->body_len = c->left;
	return 0;
}

int
ieee80211_decode(const uint8_t *buf, size_t len, struct ieee80211_frame *wf)
{
	/* Copied rather than memset: no rep stos start-up on every frame. */
	static const struct ieee80211_frame wf_zero;
	struct cursor c = cur_init(buf, len);

	*wf = wf_zero;
	wf->fc = cur_le16(&c);
	wf->duration = cur_le16(&c);
	get_mac(&c, wf->addr1);
	if (c.bad || FC_VERSION(wf->fc) != 0) {
		wf->truncated = c.bad;
		return -1;
	}
	wf->type = (uint8_t)FC_TYPE(wf->fc);
	wf->subtype = (uint8_t)FC_SUBTYPE(wf->fc);
	wf->to_ds = (wf->fc & FC_TO_DS) != 0;
	wf->from_ds = (wf->fc & FC_FROM_DS) != 0;
	wf->more_frag = (wf->fc & FC_MORE_FRAG) != 0;
	wf->retry = (wf->fc & FC_RETRY) != 0;
	wf->protected_frame = (wf->fc & FC_PROTECTED) != 0;
	wf->order = (wf->fc & FC_ORDER) != 0;

	if (wf->type == WLAN_TYPE_CTRL)
		return decode_ctrl(&c, wf);
	if (wf->type == WLAN_TYPE_EXT) {
		wf->body = c.p;
		wf->body_len = c.left;
		return 0;
	}

	/* Management and data share addr2, addr3 and sequence control. */
	get_mac(&c, wf->addr2);
	get_mac(&c, wf->addr3);
	wf->seq_ctl = cur_le16(&c);
	if (c.bad) {
		wf->truncated = true;
		return 0;
	}
	wf->have |= WLAN_HAVE_ADDR2 | WLAN_HAVE_ADDR3 | WLAN_HAVE_SEQ;

	if (wf->type == WLAN_TYPE_MGMT) {
		memcpy(wf->da, wf->addr1, 6);
		memcpy(wf->sa, wf->addr2, 6);
		memcpy(wf->bssid, wf->addr3, 6);
		wf->have |= WLAN_HAVE_BSSID;
		/* Order set in a management frame means +HTC (9.2.4.1.10). */
		if (wf->order) {
			wf->htc = cur_le32(&c);
			if (c.bad) {
				wf->truncated = true;
				return 0;
			}
			wf->have |= WLAN_HAVE_HTC;
		}
		wf->body = c.p;
		wf->body_len = c.left;
		/* A protected body (MFP, shared-key auth) is ciphertext. */
		if (wf->protected_frame)
			return 0;
		if (decode_mgmt_fixed(&c, wf))
			wf->have |= WLAN_HAVE_FIXED;
		else
			wf->truncated = true;
		return 0;
	}

	/* Data. */
	if (wf->to_ds && wf->from_ds) {
		if (!get_mac(&c, wf->addr4)) {
			wf->truncated = true;
			return 0;
		}
		wf->have |= WLAN_HAVE_ADDR4;
	}
	data_addresses(wf);
	if (wf->subtype & WLAN_DATA_QOS) {
		wf->qos_ctl = cur_le16(&c);
		if (c.bad) {
			wf->truncated = true;
			return 0;
		}
		wf->have |= WLAN_HAVE_QOS;
		wf->amsdu = (wf->qos_ctl & QOS_AMSDU) != 0;
		/* +HTC is only in QoS data frames (9.2.4.7). */
		if (wf->order) {
			wf->htc = cur_le32(&c);
			if (c.bad) {
				wf->truncated = true;
				return 0;
			}
			wf->have |= WLAN_HAVE_HTC;
		}
	}
	wf->body = c.p;
	wf->body_len = c.left;
	if (!wf->protected_frame && !(wf->subtype & WLAN_DATA_NODATA))
		decode_snap(wf);
	return 0;
}
