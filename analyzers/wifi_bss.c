/*
 * wifi_bss.c - turn one observation of an access point (a beacon, a probe
 * response, or an nl80211 scan result) into the facts the verdicts need,
 * and fold later observations of the same BSSID into the record.  The
 * decoding is done already (radiotap.c, ieee80211.c, ie.c); this file only
 * decides: which channel and width, which PHY generation, which security
 * word from the fixed vocabulary, whether PMF is required.  Records are
 * fixed-size and copy what they keep, so they outlive the packet.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ie.h"
#include "ieee80211.h"
#include "radiotap.h"
#include "wifi_bss.h"

/* Legacy rates in 500 kb/s units (Clause 15-18). */
static bool
rate_is_cck(uint8_t r)
{
	r &= 0x7f;
	return r == 2 || r == 4 || r == 11 || r == 22;
}

static bool
rate_is_ofdm(uint8_t r)
{
	switch (r & 0x7f) {
	case 12: case 18: case 24: case 36: case 48: case 72: case 96:
	case 108:
		return true;
	default:
		return false;
	}
}

enum wifi_band
wifi_freq_band(unsigned f)
{
	if (f >= 2401 && f <= 2495)
		return WIFI_BAND_2G4;
	/* 6 GHz channel 2 (5935) sits below the 5 GHz band's top. */
	if (f == 5935 || (f >= 5955 && f <= 7115))
		return WIFI_BAND_6G;
	if (f >= 4910 && f <= 5925)
		return WIFI_BAND_5G;
	return WIFI_BAND_UNKNOWN;
}

unsigned
wifi_freq_to_channel(unsigned f)
{
	switch (wifi_freq_band(f)) {
	case WIFI_BAND_2G4:
		if (f == 2484)
			return 14;
		if (f >= 2412 && f <= 2472 && (f - 2407) % 5 == 0)
			return (f - 2407) / 5;
		return 0;
	case WIFI_BAND_5G:
		if (f % 5 != 0)
			return 0;
		/* 4.9 GHz (Japan, public safety) numbers wrap at 5 GHz. */
		return f < 5000 ? (f - 4000) / 5 : (f - 5000) / 5;
	case WIFI_BAND_6G:
		if (f == 5935)
			return 2;
		return (f - 5950) % 5 == 0 ? (f - 5950) / 5 : 0;
	default:
		return 0;
	}
}

unsigned
wifi_channel_to_freq(unsigned ch, enum wifi_band band)
{
	switch (band) {
	case WIFI_BAND_2G4:
		if (ch == 14)
			return 2484;
		return ch >= 1 && ch <= 13 ? 2407 + 5 * ch : 0;
	case WIFI_BAND_5G:
		if (ch >= 182 && ch <= 196)
			return 4000 + 5 * ch;
		return ch >= 1 && ch <= 181 ? 5000 + 5 * ch : 0;
	case WIFI_BAND_6G:
		if (ch == 2)
			return 5935;
		return ch >= 1 && ch <= 233 ? 5950 + 5 * ch : 0;
	default:
		return 0;
	}
}

static void
str32_set(struct wifi_str32 *s, const uint8_t *p, size_t len)
{
	size_t n = len > WIFI_SSID_MAX ? WIFI_SSID_MAX : len;

	memset(s, 0, sizeof(*s));
	if (p == NULL)
		return;
	memcpy(s->s, p, n);
	s->len = (uint8_t)n;
	s->cut = len > n;
}

static void
str64_set(struct wifi_str64 *s, const uint8_t *p, size_t len)
{
	size_t n = len > WIFI_WPS_MANUFACTURER_MAX ?
	    WIFI_WPS_MANUFACTURER_MAX : len;

	memset(s, 0, sizeof(*s));
	if (p == NULL)
		return;
	memcpy(s->s, p, n);
	s->len = (uint8_t)n;
	s->cut = len > n;
}

void
wifi_bss_init(struct wifi_bss *b)
{
	memset(b, 0, sizeof(*b));
}

/* WPA's 00:50:f2 suites, renumbered as their RSN twins for one list. */
static uint32_t
suite_norm(uint32_t s)
{
	if (s >> 8 == IE_OUI_MS)
		return IE_SUITE(IE_OUI_IEEE, s & 0xff);
	return s;
}

static void
suites_add(uint32_t *list, uint8_t *n, const uint32_t *add, uint16_t nadd)
{
	uint16_t i;
	uint8_t j;

	for (i = 0; i < nadd && i < IE_SUITES_MAX; i++) {
		uint32_t s = suite_norm(add[i]);

		for (j = 0; j < *n; j++)
			if (list[j] == s)
				break;
		if (j == *n && *n < IE_SUITES_MAX)
			list[(*n)++] = s;
	}
}

static bool
akm_in(const struct wifi_bss *b, const uint8_t *types, size_t ntypes)
{
	uint8_t i;
	size_t k;

	for (k = 0; k < ntypes; k++)
		if (types[k] < 32 && (b->akm_types & (1u << types[k])))
			return true;
	for (i = 0; i < b->n_akm; i++)
		for (k = 0; k < ntypes; k++)
			if (b->akm[i] == IE_SUITE(IE_OUI_IEEE, types[k]))
				return true;
	return false;
}

static const uint8_t akm_psk[] = { IE_AKM_PSK, IE_AKM_FT_PSK,
	IE_AKM_PSK_SHA256, 19, 20 };
static const uint8_t akm_sae[] = { IE_AKM_SAE, IE_AKM_FT_SAE,
	IE_AKM_SAE_EXT, IE_AKM_FT_SAE_EXT };
static const uint8_t akm_eap[] = { IE_AKM_8021X, IE_AKM_FT_8021X,
	IE_AKM_8021X_SHA256, IE_AKM_FT_8021X_SHA384, IE_AKM_FILS_SHA256,
	IE_AKM_FILS_SHA384, 16, 17 };
static const uint8_t akm_suite_b[] = { IE_AKM_8021X_SUITE_B,
	IE_AKM_8021X_SUITE_B_192 };
static const uint8_t akm_owe[] = { IE_AKM_OWE };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The AKMs of one element, with the standard's default when it has none. */
static void
element_akms(const struct ie_rsn *r, uint32_t *out, uint16_t *n)
{
	if (r->has_akm) {
		*n = r->n_akm < IE_SUITES_MAX ? r->n_akm : IE_SUITES_MAX;
		memcpy(out, r->akm, *n * sizeof(out[0]));
	} else if (r->truncated) {
		/* Cut off before the list: unknown, not the default. */
		*n = 0;
	} else {
		/* 9.4.2.24.3: an absent AKM list means 802.1X. */
		out[0] = IE_SUITE(IE_OUI_IEEE, IE_AKM_8021X);
		*n = 1;
	}
}

/*
 * Security from the elements, in the vocabulary of issue 3.  SAE with PSK
 * is WPA3 transition; 802.1X is WPA3-Enterprise with Suite B or with PMF
 * required (WPA3 specification 2.3), WPA2 otherwise; an RSN element whose
 * AKMs we do not know gives "unknown" rather than a guess.
 */
static void
decide_security(struct wifi_bss *b, const struct ie_info *ie)
{
	uint32_t akms[IE_SUITES_MAX];
	uint16_t n;
	bool wpa_psk = false, wpa_eap = false, mfpr;
	uint16_t i;

	/*
	 * An element too short for its version is still there: the AP
	 * named RSN (or WPA), so the network is neither open nor WEP, and
	 * what it asks for is unknown (the branches below, with nothing
	 * read, give "unknown" and PMF unknown).
	 */
	b->has_rsn = ie->rsn.present || ie->rsn.truncated;
	b->has_wpa = ie->wpa.present || ie->wpa.truncated;
	if (!b->has_rsn && !b->has_wpa) {
		b->security = b->privacy ? WIFI_SEC_WEP : WIFI_SEC_OPEN;
		b->pmf = WIFI_PMF_NONE;
		/*
		 * Privacy without RSN or WPA is WEP only when the list was
		 * whole: a cut one may have held them past the cut.
		 */
		if (b->privacy && ie->walk_cut) {
			b->security = WIFI_SEC_UNKNOWN;
			b->pmf = WIFI_PMF_UNKNOWN;
		}
		return;
	}
	if (b->has_rsn) {
		const struct ie_rsn *r = &ie->rsn;
		uint32_t ccmp = IE_SUITE(IE_OUI_IEEE, IE_CIPHER_CCMP);

		element_akms(r, akms, &n);
		suites_add(b->akm, &b->n_akm, akms, n);
		b->akm_types |= r->akm_types;
		/*
		 * Absent cipher fields default to CCMP-128 (9.4.2.24.1); a
		 * field the element was cut off before is unknown.
		 */
		b->group = r->has_group ? suite_norm(r->group) :
		    r->truncated ? 0 : ccmp;
		if (r->has_pairwise)
			suites_add(b->pairwise, &b->n_pairwise, r->pairwise,
			    r->n_pairwise);
		else if (!r->truncated)
			suites_add(b->pairwise, &b->n_pairwise, &ccmp, 1);
		if (r->has_caps && (r->caps & IE_RSN_CAP_MFPR))
			b->pmf = WIFI_PMF_REQUIRED;
		else if (r->has_caps && (r->caps & IE_RSN_CAP_MFPC))
			b->pmf = WIFI_PMF_OPTIONAL;
		else if (r->truncated)
			b->pmf = WIFI_PMF_UNKNOWN;	/* not "none" */
	}
	if (b->has_wpa) {
		const struct ie_rsn *w = &ie->wpa;
		uint32_t tkip = IE_SUITE(IE_OUI_IEEE, IE_CIPHER_TKIP);

		element_akms(w, akms, &n);
		for (i = 0; i < n; i++) {
			uint8_t t = akms[i] & 0xff;

			wpa_psk |= t == IE_AKM_PSK;
			wpa_eap |= t == IE_AKM_8021X;
		}
		wpa_psk |= (w->akm_types & (1u << IE_AKM_PSK)) != 0;
		wpa_eap |= (w->akm_types & (1u << IE_AKM_8021X)) != 0;
		/* WPA's defaults are TKIP; a cut-off field is unknown. */
		if (!b->has_rsn) {
			suites_add(b->akm, &b->n_akm, akms, n);
			b->akm_types |= w->akm_types;
			b->group = w->has_group ? suite_norm(w->group) :
			    w->truncated ? 0 : tkip;
		}
		if (w->has_pairwise)
			suites_add(b->pairwise, &b->n_pairwise, w->pairwise,
			    w->n_pairwise);
		else if (!w->truncated)
			suites_add(b->pairwise, &b->n_pairwise, &tkip, 1);
	}
	b->wep_group = b->group == IE_SUITE(IE_OUI_IEEE, IE_CIPHER_WEP40) ||
	    b->group == IE_SUITE(IE_OUI_IEEE, IE_CIPHER_WEP104);
	mfpr = b->pmf == WIFI_PMF_REQUIRED;

	if (!b->has_rsn) {
		if (ie->wpa.akm_cut)
			b->security = WIFI_SEC_UNKNOWN;
		else if (wpa_psk)
			b->security = WIFI_SEC_WPA_PSK;
		else if (wpa_eap)
			b->security = WIFI_SEC_WPA_EAP;
		else
			b->security = WIFI_SEC_UNKNOWN;
		return;
	}
	{
		bool psk = akm_in(b, akm_psk, NELEM(akm_psk));
		bool sae = akm_in(b, akm_sae, NELEM(akm_sae));
		bool eap = akm_in(b, akm_eap, NELEM(akm_eap));
		bool suite_b = akm_in(b, akm_suite_b, NELEM(akm_suite_b));
		bool owe = akm_in(b, akm_owe, NELEM(akm_owe));

		/*
		 * An AKM list cut off may hide SAE or PSK, and a cut-off
		 * capabilities field hides whether 802.1X is WPA3: unknown.
		 */
		if (ie->rsn.akm_cut)
			b->security = WIFI_SEC_UNKNOWN;
		else if (eap && !suite_b && !psk && !sae && !owe &&
		    b->pmf == WIFI_PMF_UNKNOWN)
			b->security = WIFI_SEC_UNKNOWN;
		else if (sae && psk)
			b->security = WIFI_SEC_WPA3_TRANSITION;
		else if (sae)
			b->security = WIFI_SEC_WPA3_SAE;
		else if (psk)
			b->security = wpa_psk ? WIFI_SEC_WPA_WPA2_PSK :
			    WIFI_SEC_WPA2_PSK;
		else if (owe)
			b->security = WIFI_SEC_OWE;
		else if (suite_b || (eap && mfpr))
			b->security = WIFI_SEC_WPA3_EAP;
		else if (eap)
			b->security = WIFI_SEC_WPA2_EAP;
		else
			b->security = WIFI_SEC_UNKNOWN;
	}
}

/* The 20 MHz channels a BSS of `width` centred on `center` occupies. */
static void
span(struct wifi_bss *b, unsigned center, unsigned width)
{
	unsigned half = (width / 20 - 1) * 2;

	if (center > half && center + half <= 255) {
		b->chan_lo = (uint8_t)(center - half);
		b->chan_hi = (uint8_t)(center + half);
	}
}

enum wifi_band
wifi_channel_band(unsigned ch)
{
	if (ch >= 1 && ch <= 14)
		return WIFI_BAND_2G4;
	if ((ch >= 32 && ch <= 177) || (ch >= 182 && ch <= 196))
		return WIFI_BAND_5G;
	return WIFI_BAND_UNKNOWN;
}

/*
 * The channel the AP names in its own elements (0 when none does), with
 * the band that tells and the element it came from.  The HE 6 GHz
 * Operation Information is the only element that names a 6 GHz channel;
 * DS and HT Operation numbers are 2.4 or 5 GHz ones, told apart by their
 * range, and a number in neither range leaves the band unknown.
 */
static unsigned
element_channel(const struct ie_info *ie, enum wifi_band *band,
    enum wifi_chan_src *src)
{
	unsigned ch;

	*band = WIFI_BAND_UNKNOWN;
	*src = WIFI_CHSRC_NONE;
	if (ie->he_op.has_6ghz) {
		*band = WIFI_BAND_6G;
		*src = WIFI_CHSRC_HE_OP;
		return ie->he_op.primary_6ghz;
	}
	if (ie->has_ds && ie->ds_channel != 0) {
		ch = ie->ds_channel;
		*src = WIFI_CHSRC_DS;
	} else if (ie->ht_op.present && ie->ht_op.primary_channel != 0) {
		ch = ie->ht_op.primary_channel;
		*src = WIFI_CHSRC_HT_OP;
	} else
		return 0;
	*band = wifi_channel_band(ch);
	return ch;
}

/*
 * Channel, band and frequency.  The AP's element wins over the radio
 * header in every band: a header gives the frequency the capturing card was
 * tuned to (on 2.4 GHz it hears overlapping channels) or one a driver
 * stamped wrongly, so a 2.4 GHz network could read as 5 GHz.  A header
 * that disagrees is kept in radio_freq_mhz for the user to see.  When the
 * element's number fits no band and the header does not confirm it, the
 * band and frequency stay unknown rather than guessed.
 */
static void
decide_channel(struct wifi_bss *b, const struct ie_info *ie,
    unsigned freq)
{
	enum wifi_band eband, hband = wifi_freq_band(freq);
	enum wifi_chan_src src;
	unsigned ch = element_channel(ie, &eband, &src);
	unsigned hch = wifi_freq_to_channel(freq);

	b->chan_src = src;
	if (ch == 0) {
		if (freq != 0) {
			b->chan_src = WIFI_CHSRC_RADIO;
			b->freq_mhz = (uint16_t)freq;
			b->band = hband;
			ch = hch;
		}
	} else if (freq != 0 && hch == ch &&
	    (eband == WIFI_BAND_UNKNOWN || eband == hband)) {
		/* They agree; the header may also tell an odd number's band. */
		b->freq_mhz = (uint16_t)freq;
		b->band = hband;
	} else {
		if (wifi_channel_to_freq(ch, eband) != 0) {
			b->band = eband;
			b->freq_mhz = (uint16_t)wifi_channel_to_freq(ch,
			    eband);
		}
		b->radio_freq_mhz = (uint16_t)freq;
	}
	b->channel = ch <= 255 ? (uint8_t)ch : 0;

	b->width_mhz = 20;
	b->chan_lo = b->chan_hi = b->channel;
	if (ie->ht_op.present && ie->ht_op.width_mhz == 40) {
		b->width_mhz = 40;
		if (ie->ht_op.secondary_channel > b->channel)
			b->chan_hi = ie->ht_op.secondary_channel;
		else
			b->chan_lo = ie->ht_op.secondary_channel;
	}
	if (ie->vht_op.present && ie->vht_op.width_mhz >= 80) {
		unsigned center = ie->vht_op.seg0;

		/* 802.11-2016 puts a 160 MHz centre in seg1. */
		if (ie->vht_op.width_mhz == 160 && ie->vht_op.seg1 != 0)
			center = ie->vht_op.seg1;
		b->width_mhz = ie->vht_op.width_mhz;
		span(b, center, b->width_mhz);
	}
	if (ie->he_op.has_6ghz) {
		unsigned w = 20u << ie->he_op.width_6ghz;
		unsigned center = w == 160 && ie->he_op.ccfs1 != 0 ?
		    ie->he_op.ccfs1 : ie->he_op.ccfs0;

		if (w > b->width_mhz) {
			b->width_mhz = (uint16_t)w;
			span(b, center, w);
		}
	}
	/*
	 * 20 MHz is what no wider operation element means; in a cut list a
	 * wider one may have been past the cut: unknown (0), which a whole
	 * frame's width replaces when merged.
	 */
	if (ie->walk_cut) {
		b->width_mhz = 0;
		b->chan_lo = b->chan_hi = b->channel;
	}
}

/* The newest generation the decoded PHY elements announce. */
static enum wifi_phy
element_phy(const struct ie_info *ie)
{
	if (ie->has_eht_cap || ie->has_eht_op)
		return WIFI_PHY_BE;
	if (ie->has_he_cap || ie->he_op.present)
		return WIFI_PHY_AX;
	if (ie->has_vht_cap || ie->vht_op.present)
		return WIFI_PHY_AC;
	if (ie->ht_cap.present || ie->ht_op.present)
		return WIFI_PHY_N;
	return WIFI_PHY_UNKNOWN;
}

/* The newest generation among elements sent with a bad length. */
static enum wifi_phy
malformed_phy(uint16_t mal)
{
	if (mal & (IE_MAL_EHT_CAP | IE_MAL_EHT_OP))
		return WIFI_PHY_BE;
	if (mal & (IE_MAL_HE_CAP | IE_MAL_HE_OP))
		return WIFI_PHY_AX;
	if (mal & (IE_MAL_VHT_CAP | IE_MAL_VHT_OP))
		return WIFI_PHY_AC;
	if (mal & (IE_MAL_HT_CAP | IE_MAL_HT_OP))
		return WIFI_PHY_N;
	return WIFI_PHY_UNKNOWN;
}

/* The generation an element id stands for (a cut element's body is
 * gone; HE and EHT hide behind the Extension id's first body byte). */
static enum wifi_phy
id_phy(uint8_t id)
{
	if (id == EID_VHT_CAP || id == EID_VHT_OPERATION)
		return WIFI_PHY_AC;
	if (id == EID_HT_CAP || id == EID_HT_OPERATION)
		return WIFI_PHY_N;
	return WIFI_PHY_UNKNOWN;
}

/*
 * What the elements prove the AP is at least, when the PHY is not
 * decided: an element read, sent malformed, or cut off inside, is an
 * element the AP sent.  An HT element shown makes it "at least n", never
 * "g", whatever followed it.
 */
static enum wifi_phy
decide_phy_min(const struct wifi_bss *b, const struct ie_info *ie)
{
	enum wifi_phy m = element_phy(ie), x;

	if (b->phy != WIFI_PHY_UNKNOWN)
		return b->phy;
	if ((x = malformed_phy(ie->malformed)) > m)
		m = x;
	if (ie->walk_cut && ie->has_cut_id && (x = id_phy(ie->cut_id)) > m)
		m = x;
	return m;
}

/*
 * The PHY generation.  It is the newest generation whose element was
 * read, unless something newer may have been there: an element of a newer
 * generation sent with a bad length (a malformed HT element does not make
 * an a/b/g AP), or a list cut before its end (the next element could have
 * been HT, VHT, ...).  Then it is unknown, never the older generation.
 */
static enum wifi_phy
decide_phy(const struct wifi_bss *b, const struct ie_info *ie, bool ofdm,
    bool cck)
{
	enum wifi_phy gen = element_phy(ie);

	if (malformed_phy(ie->malformed) > gen)
		return WIFI_PHY_UNKNOWN;
	if (ie->walk_cut && gen != WIFI_PHY_BE)
		return WIFI_PHY_UNKNOWN;
	if (gen != WIFI_PHY_UNKNOWN)
		return gen;
	if (b->band == WIFI_BAND_5G || b->band == WIFI_BAND_6G)
		return WIFI_PHY_A;
	if (ofdm)
		return WIFI_PHY_G;
	/* 32 rates kept without OFDM: a dropped one might be OFDM. */
	if (cck && ie->rates.dropped == 0)
		return WIFI_PHY_B;
	return WIFI_PHY_UNKNOWN;
}

/*
 * Rates, n-only, g-only and the PHY.  n-only rests on the HT membership
 * selector, g-only on the absence of an 11b basic rate: a list cut before
 * the Extended Supported Rates element (it may hold the selector or an 11b
 * basic rate) leaves the absence unproven, as do rates dropped past the 32
 * kept (selectors are never dropped, so n-only does not depend on those).
 * Then the flag is false and its _unknown twin true.
 */
static void
decide_phy_rates(struct wifi_bss *b, const struct ie_info *ie)
{
	const struct ie_rates *r = &ie->rates;
	bool ofdm = false, cck = false, basic_ofdm = false, basic_cck = false;
	bool list_cut = ie->walk_cut && !r->has_extended;
	uint8_t i;

	for (i = 0; i < r->n; i++) {
		uint8_t v = r->rate[i];

		ofdm |= rate_is_ofdm(v);
		cck |= rate_is_cck(v);
		if ((v & 0x7f) > b->max_rate)
			b->max_rate = v & 0x7f;
		if (!(v & 0x80))
			continue;
		basic_ofdm |= rate_is_ofdm(v);
		basic_cck |= rate_is_cck(v);
		if (b->n_basic_rates < IE_RATES_MAX)
			b->basic_rates[b->n_basic_rates++] = v & 0x7f;
	}
	b->rates_dropped = r->dropped;
	b->rates_incomplete = list_cut || r->dropped > 0;
	b->n_only = (r->selectors & IE_RSEL_HT) != 0;
	b->n_only_unknown = !b->n_only && list_cut;
	b->g_only = b->band == WIFI_BAND_2G4 && basic_ofdm && !basic_cck &&
	    !b->rates_incomplete;
	b->g_only_unknown = b->band == WIFI_BAND_2G4 && !basic_cck &&
	    b->rates_incomplete;
	b->phy = decide_phy(b, ie, ofdm, cck);
	b->phy_min = decide_phy_min(b, ie);
}

void
wifi_bss_fill(struct wifi_bss *b, const uint8_t bssid[6],
    uint16_t capability, uint16_t beacon_interval, const struct ie_info *ie,
    uint16_t freq_mhz, bool has_signal, int signal_dbm)
{
	bool hid;

	memcpy(b->bssid, bssid, 6);
	b->capability = capability;
	b->beacon_interval = beacon_interval;
	b->privacy = (capability & WLAN_CAP_PRIVACY) != 0;
	b->ie_truncated = ie->truncated;
	b->malformed = ie->malformed;
	b->elements_cut = ie->walk_cut;

	/*
	 * A list cut inside a Mesh ID element shows one was sent; a list
	 * cut anywhere before one may have held it past the cut (elements
	 * need not come in the standard's order), so its absence from a
	 * cut list decides nothing.
	 */
	b->is_mesh = ie->has_mesh_id || (ie->walk_cut && ie->has_cut_id &&
	    ie->cut_id == EID_MESH_ID);
	b->mesh_unknown = !b->is_mesh && ie->walk_cut;
	if (ie->has_mesh_id)
		str32_set(&b->mesh_id, ie->mesh_id.p, ie->mesh_id.len);
	b->ssid_form = ie->ssid.form;
	if (ie->ssid.form == IE_SSID_VISIBLE)
		str32_set(&b->ssid, ie->ssid.v.p, ie->ssid.v.len);
	/* A mesh BSS sends the wildcard SSID by design; it is not hiding. */
	hid = ie->ssid.form == IE_SSID_EMPTY || ie->ssid.form == IE_SSID_ZEROED;
	b->hidden = hid && !b->is_mesh && !b->mesh_unknown;
	b->hidden_unknown = hid && b->mesh_unknown;

	decide_channel(b, ie, freq_mhz);
	decide_phy_rates(b, ie);
	decide_security(b, ie);

	if (ie->wps.present) {
		b->wps.present = true;
		str64_set(&b->wps.manufacturer, ie->wps.manufacturer.p,
		    ie->wps.manufacturer.len);
		str32_set(&b->wps.model_name, ie->wps.model_name.p,
		    ie->wps.model_name.len);
		str32_set(&b->wps.model_number, ie->wps.model_number.p,
		    ie->wps.model_number.len);
		str32_set(&b->wps.device_name, ie->wps.device_name.p,
		    ie->wps.device_name.len);
		b->wps.state = ie->wps.has_state ? ie->wps.state : 0;
	}
	/* Only letters make a country code; some APs send NULs or junk. */
	if (ie->country.present &&
	    ie->country.code[0] >= 'A' && ie->country.code[0] <= 'Z' &&
	    ie->country.code[1] >= 'A' && ie->country.code[1] <= 'Z') {
		b->country[0] = ie->country.code[0];
		b->country[1] = ie->country.code[1];
		b->country[2] = '\0';
	}
	if (has_signal) {
		b->has_signal = true;
		b->signal_last = b->signal_min = b->signal_max =
		    (int8_t)(signal_dbm < -128 ? -128 :
		    signal_dbm > 127 ? 127 : signal_dbm);
	}
}

int
wifi_bss_from_frame(struct wifi_bss *b, const struct ieee80211_frame *wf,
    const struct ie_info *ie, const struct radiotap_info *ri)
{
	uint16_t freq = 0;
	bool has_signal = false;
	int signal = 0;

	wifi_bss_init(b);
	if (wf->type != WLAN_TYPE_MGMT ||
	    (wf->subtype != WLAN_MGMT_BEACON &&
	    wf->subtype != WLAN_MGMT_PROBE_RESP) ||
	    !(wf->have & WLAN_HAVE_FIXED) || !(wf->have & WLAN_HAVE_BSSID))
		return -1;
	if (ri != NULL && (ri->have & RADIO_HAVE_FREQ))
		freq = ri->freq_mhz;
	if (ri != NULL && (ri->have & RADIO_HAVE_SIGNAL)) {
		has_signal = true;
		signal = ri->signal_dbm;
	}
	wifi_bss_fill(b, wf->bssid, wf->fixed.capability,
	    wf->fixed.beacon_interval, ie, freq, has_signal, signal);
	if (wf->subtype == WLAN_MGMT_BEACON)
		b->frames.beacons = 1;
	else
		b->frames.probe_resps = 1;
	return 0;
}

static void
copy_security(struct wifi_bss *into, const struct wifi_bss *l)
{
	into->security = l->security;
	into->has_rsn = l->has_rsn;
	into->has_wpa = l->has_wpa;
	into->group = l->group;
	into->n_pairwise = l->n_pairwise;
	memcpy(into->pairwise, l->pairwise, sizeof(into->pairwise));
	into->n_akm = l->n_akm;
	memcpy(into->akm, l->akm, sizeof(into->akm));
	into->akm_types = l->akm_types;
	into->wep_group = l->wep_group;
	into->pmf = l->pmf;
}

/*
 * The channel facts of a later frame.  An element's channel replaces one
 * that only a radio header gave (a probe response carries no DS element on
 * 5 GHz, a beacon does); with it go the band-dependent phy b/a/g and
 * g_only, which were decided under the header's band.
 */
static void
merge_channel(struct wifi_bss *into, const struct wifi_bss *l)
{
	bool element = l->chan_src != WIFI_CHSRC_NONE &&
	    l->chan_src != WIFI_CHSRC_RADIO;

	if (element && (into->chan_src == WIFI_CHSRC_NONE ||
	    into->chan_src == WIFI_CHSRC_RADIO)) {
		if (into->band != l->band) {
			/* Decided under the wrong band: the later frame's. */
			into->g_only = false;
			into->g_only_unknown = true;
			if (into->phy <= WIFI_PHY_G)
				into->phy = WIFI_PHY_UNKNOWN;
			if (into->phy_min <= WIFI_PHY_G)
				into->phy_min = WIFI_PHY_UNKNOWN;
		}
		into->channel = l->channel;
		into->chan_lo = l->chan_lo;
		into->chan_hi = l->chan_hi;
		into->freq_mhz = l->freq_mhz;
		into->band = l->band;
		into->chan_src = l->chan_src;
	}
	if (into->radio_freq_mhz == 0)
		into->radio_freq_mhz = l->radio_freq_mhz;
	if (into->channel == 0) {
		into->channel = l->channel;
		into->chan_lo = l->chan_lo;
		into->chan_hi = l->chan_hi;
		into->chan_src = l->chan_src;
	}
	if (into->freq_mhz == 0)
		into->freq_mhz = l->freq_mhz;
	if (into->band == WIFI_BAND_UNKNOWN)
		into->band = l->band;
}

/*
 * PHY and rates.  phy keeps the newest generation seen (unknown is below
 * every known one, so a whole frame decides what a cut one could not);
 * n_only and g_only are true when any frame proved them, unknown only
 * while no frame decided them; the basic rates of a frame whose rates were
 * whole replace those of one whose rates were cut or dropped.
 */
static void
merge_rates(struct wifi_bss *into, const struct wifi_bss *l)
{
	if (l->phy > into->phy)
		into->phy = l->phy;
	if (l->phy_min > into->phy_min)
		into->phy_min = l->phy_min;
	if (into->phy > into->phy_min)
		into->phy_min = into->phy;
	into->n_only |= l->n_only;
	into->n_only_unknown = !into->n_only && into->n_only_unknown &&
	    l->n_only_unknown;
	into->g_only |= l->g_only;
	into->g_only_unknown = !into->g_only && into->g_only_unknown &&
	    l->g_only_unknown;
	if (into->n_basic_rates == 0 || (into->rates_incomplete &&
	    !l->rates_incomplete && l->n_basic_rates != 0)) {
		into->n_basic_rates = l->n_basic_rates;
		memcpy(into->basic_rates, l->basic_rates,
		    sizeof(into->basic_rates));
		into->rates_incomplete = l->rates_incomplete;
	}
	if (l->rates_dropped > into->rates_dropped)
		into->rates_dropped = l->rates_dropped;
}

/*
 * Mesh and hidden.  A frame whose list was whole decides whether the BSS
 * sends a Mesh ID; then an empty SSID that a cut frame left undecided is
 * known: hiding when no Mesh ID, a mesh BSS's wildcard otherwise.
 */
static void
merge_mesh(struct wifi_bss *into, const struct wifi_bss *l)
{
	bool maybe = into->hidden_unknown || l->hidden_unknown;

	if (!into->is_mesh && l->is_mesh) {
		into->is_mesh = true;
		into->mesh_id = l->mesh_id;
	}
	into->mesh_unknown = !into->is_mesh && into->mesh_unknown &&
	    l->mesh_unknown;
	/* ssid_form keeps the form that hid the name. */
	if ((l->hidden || l->hidden_unknown) && !into->hidden &&
	    !into->hidden_unknown)
		into->ssid_form = l->ssid_form;
	into->hidden |= l->hidden;
	into->hidden_unknown = false;
	if (!maybe || into->hidden || into->is_mesh)
		return;
	if (into->mesh_unknown)
		into->hidden_unknown = true;
	else
		into->hidden = true;
}

int
wifi_bss_merge(struct wifi_bss *into, const struct wifi_bss *l)
{
	if (memcmp(into->bssid, l->bssid, 6) != 0)
		return -1;

	into->frames.beacons += l->frames.beacons;
	into->frames.probe_resps += l->frames.probe_resps;
	into->frames.other += l->frames.other;
	if (l->has_signal) {
		if (!into->has_signal) {
			into->has_signal = true;
			into->signal_min = l->signal_min;
			into->signal_max = l->signal_max;
		}
		into->signal_last = l->signal_last;
		if (l->signal_min < into->signal_min)
			into->signal_min = l->signal_min;
		if (l->signal_max > into->signal_max)
			into->signal_max = l->signal_max;
	}
	/* A probe response names what the beacon hid; hidden stays. */
	if (into->ssid.len == 0 && l->ssid.len != 0)
		into->ssid = l->ssid;
	merge_mesh(into, l);
	if (into->ssid_form == IE_SSID_ABSENT)
		into->ssid_form = l->ssid_form;
	merge_channel(into, l);
	if (l->width_mhz > into->width_mhz) {
		into->width_mhz = l->width_mhz;
		into->chan_lo = l->chan_lo;
		into->chan_hi = l->chan_hi;
	}
	merge_rates(into, l);
	if (l->max_rate > into->max_rate)
		into->max_rate = l->max_rate;
	if (into->capability == 0)
		into->capability = l->capability;
	if (into->beacon_interval == 0)
		into->beacon_interval = l->beacon_interval;
	into->privacy |= l->privacy;
	/* A whole element's reading replaces one cut off. */
	if (into->security == WIFI_SEC_UNKNOWN ||
	    (!into->has_rsn && !into->has_wpa && (l->has_rsn || l->has_wpa)) ||
	    (into->pmf == WIFI_PMF_UNKNOWN && l->pmf != WIFI_PMF_UNKNOWN &&
	    l->security != WIFI_SEC_UNKNOWN))
		copy_security(into, l);
	if (l->wps.present) {
		struct wifi_wps *w = &into->wps;

		w->present = true;
		if (w->manufacturer.len == 0)
			w->manufacturer = l->wps.manufacturer;
		if (w->model_name.len == 0)
			w->model_name = l->wps.model_name;
		if (w->model_number.len == 0)
			w->model_number = l->wps.model_number;
		if (w->device_name.len == 0)
			w->device_name = l->wps.device_name;
		if (w->state == 0)
			w->state = l->wps.state;
	}
	if (into->country[0] == '\0')
		memcpy(into->country, l->country, sizeof(into->country));
	into->ie_truncated |= l->ie_truncated;
	into->malformed |= l->malformed;
	into->elements_cut = into->elements_cut && l->elements_cut;
	return 0;
}

const char *
wifi_band_name(enum wifi_band band)
{
	switch (band) {
	case WIFI_BAND_2G4:	return "2.4";
	case WIFI_BAND_5G:	return "5";
	case WIFI_BAND_6G:	return "6";
	default:		return "unknown";
	}
}

const char *
wifi_phy_name(enum wifi_phy phy)
{
	switch (phy) {
	case WIFI_PHY_B:	return "b";
	case WIFI_PHY_A:	return "a";
	case WIFI_PHY_G:	return "g";
	case WIFI_PHY_N:	return "n";
	case WIFI_PHY_AC:	return "ac";
	case WIFI_PHY_AX:	return "ax";
	case WIFI_PHY_BE:	return "be";
	default:		return "unknown";
	}
}

const char *
wifi_security_name(enum wifi_security sec)
{
	switch (sec) {
	case WIFI_SEC_OPEN:		return "open";
	case WIFI_SEC_OWE:		return "owe";
	case WIFI_SEC_WEP:		return "wep";
	case WIFI_SEC_WPA_PSK:		return "wpa-psk";
	case WIFI_SEC_WPA2_PSK:		return "wpa2-psk";
	case WIFI_SEC_WPA_WPA2_PSK:	return "wpa-wpa2-psk";
	case WIFI_SEC_WPA3_TRANSITION:	return "wpa3-transition";
	case WIFI_SEC_WPA3_SAE:		return "wpa3-sae";
	case WIFI_SEC_WPA_EAP:		return "wpa-eap";
	case WIFI_SEC_WPA2_EAP:		return "wpa2-eap";
	case WIFI_SEC_WPA3_EAP:		return "wpa3-eap";
	default:			return "unknown";
	}
}

const char *
wifi_pmf_name(enum wifi_pmf pmf)
{
	switch (pmf) {
	case WIFI_PMF_OPTIONAL:	return "optional";
	case WIFI_PMF_REQUIRED:	return "required";
	case WIFI_PMF_UNKNOWN:	return "unknown";
	default:		return "none";
	}
}

const char *
wifi_chan_src_name(enum wifi_chan_src src)
{
	switch (src) {
	case WIFI_CHSRC_RADIO:	return "radio";
	case WIFI_CHSRC_DS:	return "ds";
	case WIFI_CHSRC_HT_OP:	return "ht_operation";
	case WIFI_CHSRC_HE_OP:	return "he_operation";
	default:		return NULL;
	}
}

static const char *
join(const uint32_t *list, uint8_t n, const char *(*name)(uint32_t),
    char *buf, size_t size)
{
	size_t used = 0;
	uint8_t i;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(buf + used, size - used, "%s%s",
		    i > 0 ? " " : "", name(list[i]));

		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

const char *
wifi_bss_akm_str(const struct wifi_bss *b, char *buf, size_t size)
{
	return join(b->akm, b->n_akm, ie_akm_name, buf, size);
}

const char *
wifi_bss_pairwise_str(const struct wifi_bss *b, char *buf, size_t size)
{
	return join(b->pairwise, b->n_pairwise, ie_cipher_name, buf, size);
}
