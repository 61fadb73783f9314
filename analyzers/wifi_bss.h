/*
 * wifi_bss.h - the facts about one BSS (one access point radio) that decide
 * whether a Particle device can join it: SSID and hidden, channel, band and
 * width, PHY generation, n-only/g-only, security in a fixed vocabulary, PMF,
 * WPS names, country and signal.  Built from one frame's decoded parts
 * (fixed fields, ie_info, radio header) or from an nl80211 scan result
 * (wifi_bss_fill), and merged frame after frame.  Also the frequency <->
 * channel mapping for 2.4, 5 and 6 GHz (802.11-2020 Annex E, 17.3.8.4.2).
 * Pure and bounded: fixed-size buffers, no allocation, no I/O.
 */
#ifndef WIFI_BSS_H
#define WIFI_BSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ie.h"
#include "ieee80211.h"
#include "radiotap.h"

enum wifi_band {
	WIFI_BAND_UNKNOWN = 0,
	WIFI_BAND_2G4,		/* "2.4" */
	WIFI_BAND_5G,		/* "5" */
	WIFI_BAND_6G		/* "6" */
};

/* Ordered: a later value is a newer generation. */
enum wifi_phy {
	WIFI_PHY_UNKNOWN = 0,
	WIFI_PHY_B,		/* "b": DSSS/CCK rates only */
	WIFI_PHY_A,		/* "a": OFDM on 5 GHz, no HT */
	WIFI_PHY_G,		/* "g": OFDM on 2.4 GHz, no HT */
	WIFI_PHY_N,		/* "n": HT */
	WIFI_PHY_AC,		/* "ac": VHT */
	WIFI_PHY_AX,		/* "ax": HE */
	WIFI_PHY_BE		/* "be": EHT */
};

/* The fixed vocabulary of the JSON contract (issue 3). */
enum wifi_security {
	WIFI_SEC_UNKNOWN = 0,	/* "unknown": RSN with no AKM we know */
	WIFI_SEC_OPEN,		/* "open" */
	WIFI_SEC_OWE,		/* "owe" */
	WIFI_SEC_WEP,		/* "wep" */
	WIFI_SEC_WPA_PSK,	/* "wpa-psk" */
	WIFI_SEC_WPA2_PSK,	/* "wpa2-psk" */
	WIFI_SEC_WPA_WPA2_PSK,	/* "wpa-wpa2-psk" */
	WIFI_SEC_WPA3_TRANSITION, /* "wpa3-transition": SAE and PSK */
	WIFI_SEC_WPA3_SAE,	/* "wpa3-sae" */
	WIFI_SEC_WPA_EAP,	/* "wpa-eap" */
	WIFI_SEC_WPA2_EAP,	/* "wpa2-eap" */
	WIFI_SEC_WPA3_EAP	/* "wpa3-eap": Suite B, or 802.1X with MFPR */
};

enum wifi_pmf {
	WIFI_PMF_NONE = 0,	/* "none" */
	WIFI_PMF_OPTIONAL,	/* "optional": MFPC */
	WIFI_PMF_REQUIRED,	/* "required": MFPR */
	WIFI_PMF_UNKNOWN	/* "unknown": RSN cut off before its caps */
};

/*
 * Where a BSS's channel came from.  The AP's own elements name its
 * channel; a capture's radio header only says what the capturing card was
 * tuned to (or what a driver stamped), so an element wins over it.
 */
enum wifi_chan_src {
	WIFI_CHSRC_NONE = 0,	/* null: no channel known */
	WIFI_CHSRC_RADIO,	/* "radio": radio header or scan frequency */
	WIFI_CHSRC_DS,		/* "ds": DS Parameter Set */
	WIFI_CHSRC_HT_OP,	/* "ht_operation": HT Operation primary */
	WIFI_CHSRC_HE_OP	/* "he_operation": HE 6 GHz Operation Info */
};

#define WIFI_SSID_MAX		32
#define WIFI_WPS_MANUFACTURER_MAX 64	/* WSC 2.0 attribute limits */
#define WIFI_WPS_NAME_MAX	32
#define WIFI_SUITE_NAMES_MAX	64	/* "PSK SAE" style lists */

/*
 * A bounded copy of a wire string.  `len` bytes are in `s`, which is also
 * NUL-terminated; the bytes are as sent (may hold NULs or non-UTF-8), so
 * escape them when presenting.  `cut` is set when the source was longer.
 */
struct wifi_str32 {
	uint8_t		 len;
	bool		 cut;
	char		 s[WIFI_SSID_MAX + 1];
};

struct wifi_str64 {
	uint8_t		 len;
	bool		 cut;
	char		 s[WIFI_WPS_MANUFACTURER_MAX + 1];
};

struct wifi_wps {
	bool		 present;
	struct wifi_str64 manufacturer;
	struct wifi_str32 model_name;
	struct wifi_str32 model_number;
	struct wifi_str32 device_name;
	uint8_t		 state;		/* WPS_STATE_*, 0 when unknown */
};

/* Frame counts, by what carried the BSS's facts. */
struct wifi_counts {
	uint32_t	 beacons;
	uint32_t	 probe_resps;
	uint32_t	 other;		/* anything else folded in */
};

struct wifi_bss {
	uint8_t		 bssid[6];
	struct wifi_str32 ssid;		/* empty while hidden and unrevealed */
	bool		 hidden;	/* a beacon hid the SSID */
	enum ie_ssid_form ssid_form;	/* as the first frame sent it */
	uint8_t		 channel;	/* 0 when unknown */
	uint16_t	 freq_mhz;	/* 0 when unknown */
	enum wifi_band	 band;
	enum wifi_chan_src chan_src;	/* where channel/band/freq came from */
	uint16_t	 radio_freq_mhz; /* the radio header's frequency when
					 * it disagreed with the element; 0
					 * when it agreed or was absent */
	uint16_t	 width_mhz;	/* 20, 40, 80, 160, 320 */
	uint8_t		 chan_lo;	/* the 20 MHz channels in use, */
	uint8_t		 chan_hi;	/* lowest and highest number */
	enum wifi_phy	 phy;		/* UNKNOWN also when an element of a
					 * newer generation than the ones read
					 * was malformed, or the element list
					 * was cut before anything newer than
					 * legacy was ruled out */
	enum wifi_phy	 phy_min;	/* a lower bound: phy when known; when
					 * phy is UNKNOWN, the newest generation
					 * whose element a frame showed, whole,
					 * malformed or cut off (HT seen: at
					 * least "n"); UNKNOWN when none */
	bool		 n_only;	/* HT selector among the basic rates */
	bool		 g_only;	/* 2.4 GHz, OFDM basic, no 11b basic */
	bool		 n_only_unknown; /* no HT selector seen, but the list
					 * was cut before the rates ended */
	bool		 g_only_unknown; /* no 11b basic rate seen, but rates
					 * were dropped or cut off */
	uint8_t		 basic_rates[IE_RATES_MAX];	/* 500 kb/s units */
	uint8_t		 n_basic_rates;
	uint8_t		 max_rate;	/* highest legacy rate, 500 kb/s */
	uint8_t		 rates_dropped;	/* rates past IE_RATES_MAX not kept
					 * (the most of any frame) */
	bool		 rates_incomplete; /* basic_rates and max_rate come from
					 * a frame whose rates were dropped or
					 * cut off */
	uint16_t	 malformed;	/* IE_MAL_*: elements some frame sent
					 * with a bad length */
	bool		 elements_cut;	/* every frame so far had its element
					 * list cut (ie_info.walk_cut) */
	uint16_t	 capability;	/* WLAN_CAP_* */
	uint16_t	 beacon_interval;
	bool		 privacy;
	enum wifi_security security;
	bool		 has_rsn;
	bool		 has_wpa;
	uint32_t	 group;		/* IE_SUITE(); 0 when none */
	uint8_t		 n_pairwise;
	uint32_t	 pairwise[IE_SUITES_MAX];
	uint8_t		 n_akm;
	uint32_t	 akm[IE_SUITES_MAX];
	uint32_t	 akm_types;	/* every 00-0F-AC AKM type < 32 the
					 * element listed, kept in akm[] or not
					 * (ie_rsn.akm_types) */
	bool		 wep_group;	/* WEP group with RSN/WPA: "mixed" */
	enum wifi_pmf	 pmf;
	struct wifi_wps	 wps;
	char		 country[3];	/* "" when absent */
	bool		 is_mesh;	/* Mesh ID element (or a list cut
					 * inside one) */
	bool		 mesh_unknown;	/* no Mesh ID seen, but every frame's
					 * element list was cut: it may have
					 * been past the cut */
	bool		 hidden_unknown; /* an empty or zeroed SSID while
					 * mesh_unknown: hiding, or a mesh BSS
					 * (which sends the wildcard SSID by
					 * design); hidden is false */
	struct wifi_str32 mesh_id;
	bool		 ie_truncated;	/* a frame had bad elements */
	bool		 has_signal;
	int8_t		 signal_last;
	int8_t		 signal_min;
	int8_t		 signal_max;
	struct wifi_counts frames;
};

/* A clean record: everything unknown, counts zero. */
void		 wifi_bss_init(struct wifi_bss *b);

/*
 * Fill `b` (after wifi_bss_init) from the parts of one observation: the
 * BSSID, the capability field (0 when unknown), the decoded elements, the
 * channel frequency (0 when unknown) and the signal (when has_signal).
 * Used directly for nl80211 scan results; wifi_bss_from_frame() wraps it.
 * Nothing in `b` points into the inputs afterwards.
 */
void		 wifi_bss_fill(struct wifi_bss *b, const uint8_t bssid[6],
		    uint16_t capability, uint16_t beacon_interval,
		    const struct ie_info *ie, uint16_t freq_mhz,
		    bool has_signal, int signal_dbm);

/*
 * Fill `b` from a decoded beacon or probe response `wf`, its elements `ie`
 * and its radio header `ri` (NULL for bare 802.11).  Counts the frame as a
 * beacon or probe response.  Returns 0, or -1 when `wf` is not a beacon or
 * probe response with fixed fields and a BSSID (then `b` is only
 * initialised).
 */
int		 wifi_bss_from_frame(struct wifi_bss *b,
		    const struct ieee80211_frame *wf, const struct ie_info *ie,
		    const struct radiotap_info *ri);

/*
 * Fold `later`, a newer observation of the same BSSID, into `into`:
 * signal last/min/max and frame counts add up; the SSID of a hidden BSS is
 * revealed by a probe response that names it (hidden stays true); facts
 * `into` lacks (channel, frequency, country, security, WPS fields, ...) are
 * filled from `later`; phy and width keep the highest seen.  Facts that an
 * element's absence decided (phy, n_only, g_only, basic rates) are unknown
 * in a frame whose element list was cut; a later whole frame decides them.
 * Returns -1 (and changes nothing) when the BSSIDs differ.
 */
int		 wifi_bss_merge(struct wifi_bss *into,
		    const struct wifi_bss *later);

/* Vocabulary strings (static): "2.4", "n", "wpa2-psk", "required", ... */
const char	*wifi_band_name(enum wifi_band band);
const char	*wifi_phy_name(enum wifi_phy phy);
const char	*wifi_security_name(enum wifi_security sec);
const char	*wifi_pmf_name(enum wifi_pmf pmf);
/* "radio", "ds", "ht_operation", "he_operation"; NULL for NONE. */
const char	*wifi_chan_src_name(enum wifi_chan_src src);

/*
 * Space-separated suite names of the record, e.g. "PSK SAE", "CCMP TKIP",
 * into `buf` of `size` bytes (always NUL-terminated).  Returns `buf`.
 */
const char	*wifi_bss_akm_str(const struct wifi_bss *b, char *buf,
		    size_t size);
const char	*wifi_bss_pairwise_str(const struct wifi_bss *b, char *buf,
		    size_t size);

/*
 * The band an element's 2.4/5 GHz channel number belongs to: 1-14 is
 * 2.4 GHz, 32-177 and 182-196 (4.9 GHz) are 5 GHz, anything else
 * WIFI_BAND_UNKNOWN (6 GHz numbers overlap both and come only with the HE
 * 6 GHz Operation Information).
 */
enum wifi_band	 wifi_channel_band(unsigned channel);
/* The band of a channel frequency in MHz, or WIFI_BAND_UNKNOWN. */
enum wifi_band	 wifi_freq_band(unsigned freq_mhz);
/* The channel number of a frequency, or 0 when it is not a channel. */
unsigned	 wifi_freq_to_channel(unsigned freq_mhz);
/* The frequency of a channel in a band, or 0 when there is none. */
unsigned	 wifi_channel_to_freq(unsigned channel, enum wifi_band band);

#endif /* WIFI_BSS_H */
