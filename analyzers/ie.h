/*
 * ie.h - 802.11 information elements: a checked element walker (hostap's
 * for_each_element, over a cursor) and a decoder that fills struct ie_info
 * with views of the elements that matter for joining a network: SSID,
 * rates, DS, Country, ERP, HT/VHT/HE/EHT, RSN, WPA, WPS and Mesh ID.
 * It takes a plain element buffer, so the same code serves beacon and probe
 * response bodies and nl80211 scan results (NL80211_BSS_INFORMATION_ELEMENTS).
 * Spec: IEEE Std 802.11-2020, 9.4.2 (elements), 9.4.2.24 (RSNE);
 * Wi-Fi Alliance WPA (00:50:f2 type 1) and WPS 2.0 (00:50:f2 type 4) TLVs.
 * Pure: no I/O, no allocation.  All views are valid while the buffer is.
 */
#ifndef IE_H
#define IE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Element ids (9.4.2.1 Table 9-92). */
#define EID_SSID		0
#define EID_SUPP_RATES		1
#define EID_DS_PARAMS		3
#define EID_CF_PARAMS		4
#define EID_TIM			5
#define EID_IBSS_PARAMS		6
#define EID_COUNTRY		7
#define EID_ERP			42
#define EID_HT_CAP		45
#define EID_RSN			48
#define EID_EXT_SUPP_RATES	50
#define EID_MOBILITY_DOMAIN	54
#define EID_HT_OPERATION	61
#define EID_RM_ENABLED_CAP	70
#define EID_EXT_CAP		127
#define EID_MESH_CONFIG		113
#define EID_MESH_ID		114
#define EID_VHT_CAP		191
#define EID_VHT_OPERATION	192
#define EID_VENDOR		221
#define EID_EXTENSION		255

/* Element id extensions (Table 9-92, id 255). */
#define EID_EXT_HE_CAP		35
#define EID_EXT_HE_OPERATION	36
#define EID_EXT_EHT_OPERATION	106
#define EID_EXT_EHT_CAP		108

/* BSS membership selectors, seen as a basic rate (Table 9-94). */
#define IE_SEL_HT_PHY		127
#define IE_SEL_VHT_PHY		126
#define IE_SEL_GLK		125
#define IE_SEL_EPD		124
#define IE_SEL_SAE_H2E		123
#define IE_SEL_HE_PHY		122
#define IE_SEL_EHT_PHY		121

/* Bits of ie_rates.selectors. */
#define IE_RSEL_HT		0x01
#define IE_RSEL_VHT		0x02
#define IE_RSEL_HE		0x04
#define IE_RSEL_EHT		0x08
#define IE_RSEL_SAE_H2E		0x10
#define IE_RSEL_OTHER		0x80

/*
 * Cipher and AKM suites as one 32-bit value: OUI << 8 | type.  RSN uses the
 * 00-0F-AC OUI, the WPA vendor element 00-50-F2 (Table 9-149, 9-151).
 */
#define IE_SUITE(oui, type)	((uint32_t)(oui) << 8 | (uint32_t)(type))
#define IE_OUI_IEEE		0x000fac
#define IE_OUI_MS		0x0050f2
#define IE_OUI_WFA		0x506f9a

#define IE_CIPHER_USE_GROUP	0
#define IE_CIPHER_WEP40		1
#define IE_CIPHER_TKIP		2
#define IE_CIPHER_CCMP		4
#define IE_CIPHER_WEP104	5
#define IE_CIPHER_BIP_CMAC	6
#define IE_CIPHER_GCMP		8
#define IE_CIPHER_GCMP256	9
#define IE_CIPHER_CCMP256	10

#define IE_AKM_8021X		1
#define IE_AKM_PSK		2
#define IE_AKM_FT_8021X		3
#define IE_AKM_FT_PSK		4
#define IE_AKM_8021X_SHA256	5
#define IE_AKM_PSK_SHA256	6
#define IE_AKM_SAE		8
#define IE_AKM_FT_SAE		9
#define IE_AKM_8021X_SUITE_B	11
#define IE_AKM_8021X_SUITE_B_192 12
#define IE_AKM_FT_8021X_SHA384	13
#define IE_AKM_FILS_SHA256	14
#define IE_AKM_FILS_SHA384	15
#define IE_AKM_OWE		18
#define IE_AKM_SAE_EXT		24
#define IE_AKM_FT_SAE_EXT	25

/* RSN Capabilities bits (9.4.2.24.4). */
#define IE_RSN_CAP_PREAUTH	0x0001
#define IE_RSN_CAP_MFPR		0x0040	/* mgmt frame protection required */
#define IE_RSN_CAP_MFPC		0x0080	/* ... capable */

/* HT Capabilities Info bit: 20/40 MHz supported (9.4.2.55.2). */
#define IE_HT_CAP_40MHZ		0x0002

/* HT Operation secondary channel offset (9.4.2.56). */
#define IE_HT_SEC_NONE		0
#define IE_HT_SEC_ABOVE		1
#define IE_HT_SEC_BELOW		3

/* VHT Operation channel width (9.4.2.158). */
#define IE_VHT_WIDTH_20_40	0
#define IE_VHT_WIDTH_80_160	1	/* 160 when segment 1 is set */
#define IE_VHT_WIDTH_160	2	/* deprecated encoding */
#define IE_VHT_WIDTH_80P80	3	/* deprecated encoding */

/* WPS attribute types (Wi-Fi Simple Configuration 2.0, Table 28). */
#define WPS_ATTR_DEVICE_NAME	0x1011
#define WPS_ATTR_MANUFACTURER	0x1021
#define WPS_ATTR_MODEL_NAME	0x1023
#define WPS_ATTR_MODEL_NUMBER	0x1024
#define WPS_ATTR_STATE		0x1044
#define WPS_ATTR_VERSION	0x104a
#define WPS_STATE_UNCONFIGURED	1
#define WPS_STATE_CONFIGURED	2

#define IE_RATES_MAX		32	/* Supported + Extended, no selectors */

/*
 * Bits of ie_info.malformed: an element that decides the PHY generation,
 * the channel or the rates was present, but with a length the standard
 * does not allow for it (hostap's ieee802_11_parse_elems() limits), so it
 * was not decoded.  It is not absent: what it would have said is unknown.
 * ie_malformed_name() names each bit.
 */
#define IE_MAL_RATES		0x0001	/* Extended Supported Rates empty */
#define IE_MAL_DS		0x0002
#define IE_MAL_ERP		0x0004
#define IE_MAL_HT_CAP		0x0008
#define IE_MAL_HT_OP		0x0010
#define IE_MAL_VHT_CAP		0x0020
#define IE_MAL_VHT_OP		0x0040
#define IE_MAL_HE_CAP		0x0080
#define IE_MAL_HE_OP		0x0100
#define IE_MAL_EHT_CAP		0x0200
#define IE_MAL_EHT_OP		0x0400
#define IE_MAL_NBITS		11
#define IE_SUITES_MAX		8	/* more are counted, not kept */
#define IE_COUNTRY_TRIPLETS_MAX	32

/* A view of bytes in the element buffer; p == NULL when absent. */
struct ie_view {
	const uint8_t	*p;
	size_t		 len;
};

/* One element as the walker hands it out. */
struct ie_elem {
	uint8_t		 id;
	uint8_t		 len;
	const uint8_t	*data;		/* len bytes */
};

/*
 * The walker state.  ie_iter_next() is the loop condition: it reads the
 * next id and length and takes the body through the cursor, and returns
 * false at the end or when an element would overrun.  ie_iter_completed()
 * then says whether the buffer ended exactly at an element boundary (no
 * overrun, no trailing garbage), as hostap's for_each_element_completed().
 */
struct ie_iter {
	struct cursor	 c;
	struct ie_elem	 elem;		/* the current element */
};

void		 ie_iter_init(struct ie_iter *it, const uint8_t *buf,
		    size_t len);
bool		 ie_iter_next(struct ie_iter *it);
bool		 ie_iter_completed(const struct ie_iter *it);

#define ie_for_each(it, buf, len)					\
	for (ie_iter_init((it), (buf), (len)); ie_iter_next(it); )

/* How the SSID element hides the name. */
enum ie_ssid_form {
	IE_SSID_ABSENT = 0,
	IE_SSID_VISIBLE,
	IE_SSID_EMPTY,		/* hidden: length 0 */
	IE_SSID_ZEROED		/* hidden: length kept (the real length, or
				 * any length), every byte zero */
};

struct ie_ssid {
	enum ie_ssid_form form;
	struct ie_view	 v;	/* as sent; up to 32 bytes by the standard */
};

/*
 * Supported Rates and Extended Supported Rates together.  Each rate is the
 * octet as sent: bit 7 marks a basic rate, the low 7 bits the rate in
 * 500 kb/s.  BSS membership selectors are taken out into `selectors`
 * (IE_RSEL_*); on the wire they always carry the basic bit.
 */
struct ie_rates {
	uint8_t		 n;
	uint8_t		 rate[IE_RATES_MAX];
	uint8_t		 dropped;	/* rates past IE_RATES_MAX not kept
					 * (saturates at 255); selectors are
					 * never dropped */
	uint8_t		 selectors;	/* IE_RSEL_* */
	bool		 has_supported;
	bool		 has_extended;
};

struct ie_country_triplet {
	uint8_t		 first;		/* first channel, >= 201: ext. id */
	uint8_t		 count;		/* channels, or operating class */
	uint8_t		 max_power;	/* dBm, or coverage class */
};

struct ie_country {
	bool		 present;
	char		 code[3];	/* two letters, NUL-terminated */
	uint8_t		 environment;	/* ' ', 'O', 'I' or 'X' */
	uint8_t		 n;
	struct ie_country_triplet t[IE_COUNTRY_TRIPLETS_MAX];
	bool		 truncated;	/* ended inside a triplet */
};

struct ie_ht_cap {
	bool		 present;
	uint16_t	 info;		/* IE_HT_CAP_* */
	uint8_t		 ampdu;
	uint8_t		 mcs[16];	/* Supported MCS Set */
};

struct ie_ht_op {
	bool		 present;
	uint8_t		 primary_channel;
	uint8_t		 sec_offset;	/* IE_HT_SEC_* */
	bool		 any_width;	/* STA Channel Width: 40 MHz allowed */
	uint8_t		 secondary_channel;	/* 0 when none */
	uint16_t	 width_mhz;	/* 20 or 40 */
};

struct ie_vht_op {
	bool		 present;
	uint8_t		 width;		/* IE_VHT_WIDTH_* */
	uint8_t		 seg0;		/* center channel of segment 0 */
	uint8_t		 seg1;
	uint16_t	 width_mhz;	/* 20/40 (see HT), 80 or 160 */
};

struct ie_he_op {
	bool		 present;
	uint32_t	 params;	/* HE Operation Parameters (24 bits) */
	uint8_t		 bss_color;
	bool		 has_6ghz;	/* 6 GHz Operation Information */
	uint8_t		 primary_6ghz;
	uint8_t		 width_6ghz;	/* 0:20 1:40 2:80 3:160/80+80 */
	uint8_t		 ccfs0;
	uint8_t		 ccfs1;
	bool		 truncated;	/* a part its parameters announce
					 * (VHT info, co-hosted, 6 GHz info)
					 * was cut off: has_6ghz stays false */
};

/*
 * RSN element, or the WPA vendor element (the same layout after its
 * version).  Fields the element leaves out (it may end after any whole
 * field) have their has_ flag false; the standard's defaults (CCMP-128
 * group and pairwise, 802.1X AKM) are for the caller to apply.
 * n_pairwise/n_akm count what the element lists; at most IE_SUITES_MAX are
 * kept.  `truncated` means a count claimed more than the element held, or
 * the element ended inside a field; `akm_cut` that this happened inside
 * the AKM list, so the AKMs kept are only part of what the AP offers.
 */
struct ie_rsn {
	bool		 present;
	uint16_t	 version;
	bool		 has_group;
	uint32_t	 group;		/* IE_SUITE(oui, type) */
	bool		 has_pairwise;
	uint16_t	 n_pairwise;
	uint32_t	 pairwise[IE_SUITES_MAX];
	bool		 has_akm;
	uint16_t	 n_akm;
	uint32_t	 akm[IE_SUITES_MAX];
	uint32_t	 akm_types;	/* bit t: AKM type t (< 32) of 00-0F-AC,
					 * or of 00-50-F2 in WPA, anywhere in
					 * the list read, kept or not */
	bool		 has_caps;
	uint16_t	 caps;		/* IE_RSN_CAP_* */
	bool		 truncated;
	bool		 akm_cut;
};

/*
 * WPS vendor element: the attributes that name the router.  A run of
 * consecutive WPS elements is one WPS element split in fragments (WSC 2.0,
 * 8.2); a value straddling two fragments cannot be a view and is left out.
 */
struct ie_wps {
	bool		 present;
	struct ie_view	 manufacturer;
	struct ie_view	 model_name;
	struct ie_view	 model_number;
	struct ie_view	 device_name;
	bool		 has_state;
	uint8_t		 state;		/* WPS_STATE_* */
	bool		 truncated;	/* an attribute overran the element */
};

/*
 * Everything ie_parse() found.  The first instance of an element counts
 * (the first non-empty one for Supported Rates: some devices send an empty
 * one first).  `truncated` is set when an element overran the buffer or
 * bytes were left after the last element; `n_bad_len` counts elements whose
 * length is outside the range the standard allows (those are skipped;
 * `first_bad_id` names the first), and `malformed` says which of them
 * would have decided the PHY, channel or rates (IE_MAL_*).  `walk_cut` is
 * the element walk itself not ending cleanly (hostap's
 * for_each_element_completed() false): an element overran the buffer or
 * one byte was left, as when a capture's snap length or a short frame cut
 * the list; the elements after the cut were never seen, so their absence
 * means nothing.  A caller that knows the frame was cut elsewhere (a snap
 * length that ended on an element boundary, nl80211's size limit) sets it
 * too.  Decoded parts are kept either way.  `has_cut_id` and `cut_id`
 * name the element the walk was cut inside (its id byte was there, its
 * body was not whole): that element was sent, though nothing of it can be
 * read.
 */
struct ie_info {
	unsigned	 n_elems;
	bool		 truncated;
	bool		 walk_cut;
	bool		 has_cut_id;
	uint8_t		 cut_id;
	unsigned	 n_bad_len;
	uint8_t		 first_bad_id;
	uint16_t	 malformed;	/* IE_MAL_* */
	struct ie_ssid	 ssid;
	struct ie_rates	 rates;
	bool		 has_ds;
	uint8_t		 ds_channel;
	struct ie_country country;
	bool		 has_erp;
	uint8_t		 erp;
	struct ie_ht_cap ht_cap;
	struct ie_ht_op	 ht_op;
	bool		 has_vht_cap;
	uint32_t	 vht_cap;
	struct ie_vht_op vht_op;
	bool		 has_he_cap;
	struct ie_he_op	 he_op;
	bool		 has_eht_cap;
	bool		 has_eht_op;
	struct ie_rsn	 rsn;
	struct ie_rsn	 wpa;		/* WPA vendor element (00:50:f2, 1) */
	struct ie_wps	 wps;
	bool		 has_mesh_id;
	struct ie_view	 mesh_id;
	bool		 has_mesh_config;
	bool		 has_owe_transition;	/* WFA 50:6f:9a type 28 */
};

/*
 * Decode the elements in `buf`/`len` into `out` (always initialised).
 * Returns 0, or -1 when the buffer did not end at an element boundary
 * (out->truncated; everything read before that point is kept).
 */
int		 ie_parse(const uint8_t *buf, size_t len, struct ie_info *out);

/*
 * Single-element decoders, for callers holding one element body: for RSN
 * the body starts at the version field; for WPA and WPS it starts after
 * the vendor OUI and type (4 bytes).  They fill `out` (always initialised)
 * with views into `body`, and return 0, or -1 when the body ended inside a
 * field (out->truncated; what was read before is kept).
 */
int		 ie_parse_rsn(const uint8_t *body, size_t len,
		    struct ie_rsn *out);
int		 ie_parse_wps(const uint8_t *body, size_t len,
		    struct ie_wps *out);

/* An element's name ("RSN", "HT Operation", ...) or "unknown". */
const char	*ie_name(uint8_t id);
/*
 * The element an IE_MAL_* bit stands for: ie_malformed_name(IE_MAL_HT_OP)
 * is "HT Operation"; NULL for anything but one known bit.
 */
const char	*ie_malformed_name(unsigned bit);
/*
 * A cipher or AKM suite's short name: ciphers "WEP-40", "TKIP", "CCMP",
 * "GCMP-256", ...; AKMs "802.1X", "PSK", "SAE", "OWE", "FT-PSK", ...
 * WPA (00:50:f2) suites get the same names.  "unknown" otherwise.
 */
const char	*ie_cipher_name(uint32_t suite);
const char	*ie_akm_name(uint32_t suite);

/* A rate octet (either flag) in kb/s: 0x82 -> 1000. */
unsigned	 ie_rate_kbps(uint8_t rate);

#endif /* IE_H */
