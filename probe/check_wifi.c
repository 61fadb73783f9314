/*
 * check_wifi.c - the live Wi-Fi view: collect through nl80211, fold the
 * scan into a netmap with the capture decoders, and present the link, the
 * regulatory domain and channel congestion.  `scan` and the wifi stage of
 * `diagnose` both use it, and `analyze` decodes the same elements, so a
 * network gets the same verdict however it was seen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nl80211.h>

#include "check.h"
#include "check_wifi.h"
#include "diagnose.h"
#include "ie.h"
#include "log.h"
#include "oui.h"
#include "report.h"
#include "wifi_bss.h"

/* ---- collecting -------------------------------------------------------- */

int
check_wifi_collect(const struct check_wifi_opts *o,
    struct check_wifi_live *out, char *err, size_t errlen)
{
	struct nl80211 nl;
	enum nl80211_err e;
	const struct nl80211_bss_info *a;
	int timeout = o->timeout_ms > 0 ? o->timeout_ms : 10000;

	memset(out, 0, sizeof(*out));
	out->assoc = -1;
	nl80211_scan_init(&out->scan, 0);
	/* A named interface is checked first: this works without cfg80211. */
	if (o->ifname != NULL &&
	    (e = nl80211_check_ifname(o->ifname, err, errlen)) != NL80211_OK)
		return nl80211_exit_code(e);
	if ((e = nl80211_open(&nl)) != NL80211_OK) {
		if (o->ifname != NULL)
			snprintf(err, errlen, "%s: %s", o->ifname,
			    nl80211_strerror(e));
		else
			snprintf(err, errlen, "%s", nl80211_strerror(e));
		return nl80211_exit_code(e);
	}
	if ((e = nl80211_pick(&nl, o->ifname, &out->iface)) != NL80211_OK) {
		snprintf(err, errlen, "%s", e == NL80211_E_NOIFACE ?
		    nl80211_strerror(e) : nl.msg);
		goto fail;
	}
	nl80211_scan_init(&out->scan, out->iface.ifindex);
	if (o->passive) {
		snprintf(out->cached_reason, sizeof(out->cached_reason),
		    "--passive: the kernel's cached results, no new scan");
	} else {
		e = nl80211_trigger_scan(&nl, out->iface.ifindex, o->ssid,
		    timeout);
		if (e == NL80211_E_PERM) {
			snprintf(out->cached_reason,
			    sizeof(out->cached_reason), "no permission to "
			    "trigger a scan (needs CAP_NET_ADMIN): the "
			    "kernel's cached results");
			log_warnx("%s: %s; showing cached results",
			    out->iface.name, nl80211_strerror(e));
		} else if (e != NL80211_OK) {
			snprintf(err, errlen, "%s: scan: %s (%s)",
			    out->iface.name, nl80211_strerror(e), nl.msg);
			goto fail;
		} else
			out->fresh = true;
	}
	if ((e = nl80211_get_scan(&nl, out->iface.ifindex, &out->scan))
	    != NL80211_OK) {
		snprintf(err, errlen, "%s: reading scan results: %s (%s)",
		    out->iface.name, nl80211_strerror(e), nl.msg);
		goto fail;
	}
	if ((a = nl80211_scan_associated(&out->scan)) != NULL) {
		out->assoc = (int)(a - out->scan.bss);
		if (nl80211_get_station(&nl, out->iface.ifindex, a->bssid,
		    &out->station) == NL80211_OK && out->station.valid)
			out->has_station = true;
		else
			log_debug("GET_STATION: %s", nl.msg);
	}
	/* The regulatory domain is context: its absence is not an error. */
	if (nl80211_get_reg(&nl, &out->reg) == NL80211_OK && out->reg.valid)
		out->has_reg = true;
	nl80211_close(&nl);
	return EXIT_OK;
fail:
	nl80211_close(&nl);
	return nl80211_exit_code(e);
}

void
check_wifi_free(struct check_wifi_live *lv)
{
	if (lv == NULL)
		return;
	nl80211_scan_free(&lv->scan);
	lv->assoc = -1;
}

/* ---- folding into the netmap ------------------------------------------- */

static void
observe(struct netmap *nm, const struct nl80211_bss_info *s,
    const uint8_t *ies, size_t len, bool presp)
{
	struct ie_info ie;
	struct wifi_bss b;

	(void)ie_parse(ies, len, &ie);
	wifi_bss_init(&b);
	wifi_bss_fill(&b, s->bssid, s->capability, s->beacon_interval, &ie,
	    (uint16_t)s->freq, s->has_signal, s->signal_mbm / 100);
	/* The scan kept one frame of each kind: count them as such. */
	b.frames.beacons = presp ? 0 : 1;
	b.frames.probe_resps = presp ? 1 : 0;
	if (s->ies_truncated)
		b.ie_truncated = true;
	(void)netmap_bss_observe(nm, &b);
}

size_t
check_wifi_netmap(const struct check_wifi_live *lv, struct netmap *nm)
{
	const struct nl80211_bss_info *s;
	size_t i, n = 0;

	for (i = 0; i < lv->scan.n; i++) {
		s = &lv->scan.bss[i];
		/*
		 * Beacon first, then the probe response: the later one wins
		 * where both speak, and the probe response is the one that
		 * carries WPS make and model.
		 */
		if (s->beacon_ies != NULL)
			observe(nm, s, s->beacon_ies, s->beacon_ies_len, false);
		if (s->ies != NULL && (s->presp || s->beacon_ies == NULL))
			observe(nm, s, s->ies, s->ies_len, s->presp);
		if (s->ies == NULL && s->beacon_ies == NULL)
			observe(nm, s, NULL, 0, false);
		n++;
	}
	return n;
}

int
check_wifi_user_ssid(const struct check_wifi_live *lv, const char *ssid,
    uint8_t buf[32])
{
	size_t n;

	if (ssid != NULL) {
		n = strnlen(ssid, 33);
		if (n > 32)
			return -1;
		memcpy(buf, ssid, n);
		return (int)n;
	}
	if (!lv->iface.has_ssid)
		return -1;
	memcpy(buf, lv->iface.ssid, lv->iface.ssid_len);
	return (int)lv->iface.ssid_len;
}

/* ---- congestion -------------------------------------------------------- */

static void
bss_span(const struct wifi_bss *w, unsigned *lo, unsigned *hi)
{
	*lo = w->chan_lo != 0 ? w->chan_lo : w->channel;
	*hi = w->chan_hi != 0 ? w->chan_hi : w->channel;
}

unsigned
check_wifi_overlapping(const struct netmap *nm, enum wifi_band band,
    unsigned chan)
{
	const struct wifi_bss *w;
	unsigned lo, hi, n = 0;
	bool g24 = band == WIFI_BAND_2G4;
	size_t i;

	for (i = 0; i < nm->nbss; i++) {
		w = &nm->bss[i].w;
		if (!nm->bss[i].has_facts || w->channel == 0 || w->band != band)
			continue;
		bss_span(w, &lo, &hi);
		/*
		 * 2.4 GHz channels are 5 MHz apart and 20-22 MHz wide, so
		 * channels up to four apart share air; 5 GHz channels do not
		 * overlap unless a wide BSS spans them.
		 */
		if (g24 ? (lo <= chan + 4 && chan <= hi + 4) :
		    (lo <= chan && chan <= hi))
			n++;
	}
	return n;
}

/* The channel the user's network is on: the link's, else its best BSS. */
static unsigned
user_channel(const struct check_wifi_live *lv, const struct netmap *nm,
    const uint8_t *ssid, size_t ssid_len, enum wifi_band *band)
{
	const struct netmap_bss *best = NULL, *b;
	size_t i;

	*band = WIFI_BAND_UNKNOWN;
	if (lv != NULL && lv->iface.freq != 0 && lv->iface.has_ssid &&
	    lv->iface.ssid_len == ssid_len &&
	    memcmp(lv->iface.ssid, ssid, ssid_len) == 0) {
		*band = wifi_freq_band(lv->iface.freq);
		return wifi_freq_to_channel(lv->iface.freq);
	}
	for (i = 0; i < nm->nbss; i++) {
		b = &nm->bss[i];
		if (!b->has_facts || b->w.hidden || b->w.ssid.len != ssid_len ||
		    memcmp(b->w.ssid.s, ssid, ssid_len) != 0)
			continue;
		if (best == NULL || (b->w.has_signal && (!best->w.has_signal ||
		    b->w.signal_last > best->w.signal_last)))
			best = b;
	}
	if (best == NULL)
		return 0;
	*band = best->w.band;
	return best->w.channel;
}

static void
ssid_text(const uint8_t *s, size_t len, char *buf, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			buf[o++] = (char)s[i];
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
			    s[i]);
	}
	buf[o] = '\0';
}

void
check_wifi_findings(const struct check_wifi_live *lv, const struct netmap *nm,
    const uint8_t *ssid, size_t ssid_len, struct findings *fs)
{
	enum wifi_band band;
	unsigned chan, n;
	char name[132];

	if (ssid == NULL)
		return;
	if ((chan = user_channel(lv, nm, ssid, ssid_len, &band)) == 0)
		return;
	n = check_wifi_overlapping(nm, band, chan);
	if (n > CHECK_WIFI_CONGESTED_BSS) {
		ssid_text(ssid, ssid_len, name, sizeof(name));
		(void)findings_add(fs, FINDING_WIFI_CONGESTED,
		    "\"%s\" is on channel %u, which %u access points share or "
		    "overlap (more than %d): a 1x1 2.4 GHz device may fail to "
		    "join or drop; pick channel 1, 6 or 11 with the fewest "
		    "neighbours", name, chan, n, CHECK_WIFI_CONGESTED_BSS);
	}
}

/* ---- presenting -------------------------------------------------------- */

static void
mac_text(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
	    m[0], m[1], m[2], m[3], m[4], m[5]);
}

cJSON *
check_wifi_link_json(const struct check_wifi_live *lv)
{
	const struct nl80211_iface *i = &lv->iface;
	const struct nl80211_station *st = &lv->station;
	cJSON *o;
	char buf[140];
	bool connected = lv->assoc >= 0 || (i->has_ssid && i->freq != 0);

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "interface", i->name);
	cJSON_AddBoolToObject(o, "connected", connected);
	if (!connected)
		return o;
	if (i->has_ssid) {
		ssid_text(i->ssid, i->ssid_len, buf, sizeof(buf));
		cJSON_AddStringToObject(o, "ssid", buf);
	}
	if (lv->assoc >= 0) {
		mac_text(lv->scan.bss[lv->assoc].bssid, buf);
		cJSON_AddStringToObject(o, "bssid", buf);
	}
	if (i->freq != 0) {
		cJSON_AddNumberToObject(o, "freq_mhz", i->freq);
		cJSON_AddNumberToObject(o, "channel",
		    wifi_freq_to_channel(i->freq));
		cJSON_AddStringToObject(o, "band",
		    wifi_band_name(wifi_freq_band(i->freq)));
	}
	if (i->chan_width >= 0) {
		cJSON_AddStringToObject(o, "width",
		    nl80211_width_name(i->chan_width));
		cJSON_AddNumberToObject(o, "width_mhz",
		    nl80211_width_mhz(i->chan_width));
	}
	if (i->center_freq1 != 0)
		cJSON_AddNumberToObject(o, "center_freq1_mhz", i->center_freq1);
	if (!lv->has_station)
		return o;
	if (st->has_signal) {
		cJSON_AddNumberToObject(o, "signal_dbm", st->signal_dbm);
		/*
		 * The laptop's radio, antenna and place are not the device's:
		 * a Photon's chip antenna typically hears several dB less.
		 */
		cJSON_AddBoolToObject(o, "signal_is_estimate", true);
		cJSON_AddStringToObject(o, "signal_note", "measured at this "
		    "computer: an estimate of what the device hears, which is "
		    "usually weaker");
	}
	if (st->has_signal_avg)
		cJSON_AddNumberToObject(o, "signal_avg_dbm",
		    st->signal_avg_dbm);
	if (st->tx_bitrate != 0)
		cJSON_AddNumberToObject(o, "tx_bitrate_mbps",
		    st->tx_bitrate / 10.0);
	if (st->rx_bitrate != 0)
		cJSON_AddNumberToObject(o, "rx_bitrate_mbps",
		    st->rx_bitrate / 10.0);
	if (st->has_connected_time)
		cJSON_AddNumberToObject(o, "connected_s", st->connected_time);
	if (st->has_inactive_time)
		cJSON_AddNumberToObject(o, "inactive_ms", st->inactive_time);
	cJSON_AddNumberToObject(o, "tx_retries", st->tx_retries);
	cJSON_AddNumberToObject(o, "tx_failed", st->tx_failed);
	return o;
}

static const struct {
	uint32_t	 flag;
	const char	*name;
} rrf_names[] = {
	{ NL80211_RRF_NO_OFDM, "no-ofdm" },
	{ NL80211_RRF_NO_CCK, "no-cck" },
	{ NL80211_RRF_NO_INDOOR, "no-indoor" },
	{ NL80211_RRF_NO_OUTDOOR, "no-outdoor" },
	{ NL80211_RRF_DFS, "dfs" },
	{ NL80211_RRF_PTP_ONLY, "ptp-only" },
	{ NL80211_RRF_PTMP_ONLY, "ptmp-only" },
	{ NL80211_RRF_NO_IR, "no-ir" },
	{ NL80211_RRF_AUTO_BW, "auto-bw" },
	{ NL80211_RRF_NO_HT40MINUS, "no-ht40minus" },
	{ NL80211_RRF_NO_HT40PLUS, "no-ht40plus" },
	{ NL80211_RRF_NO_80MHZ, "no-80mhz" },
	{ NL80211_RRF_NO_160MHZ, "no-160mhz" },
};

static const char *
dfs_name(int r)
{
	switch (r) {
	case NL80211_DFS_FCC:
		return "FCC";
	case NL80211_DFS_ETSI:
		return "ETSI";
	case NL80211_DFS_JP:
		return "JP";
	default:
		return "unset";
	}
}

/*
 * The highest 2.4 GHz channel whose whole 20 MHz fits a rule that allows
 * transmitting: the question for a Photon without a country set.
 */
static int
max_24_channel(const struct nl80211_reg *reg)
{
	int ch, best = 0;
	size_t i;
	uint32_t f;

	for (ch = 1; ch <= 14; ch++) {
		f = (ch == 14 ? 2484u : 2407u + 5u * (uint32_t)ch) * 1000u;
		for (i = 0; i < reg->nrules; i++)
			if (reg->rule[i].start_khz <= f - 10000 &&
			    f + 10000 <= reg->rule[i].end_khz &&
			    (reg->rule[i].flags & NL80211_RRF_NO_IR) == 0)
				best = ch;
	}
	return best;
}

cJSON *
check_wifi_regdom_json(const struct check_wifi_live *lv)
{
	const struct nl80211_reg *reg = &lv->reg;
	cJSON *o, *rules, *r, *flags;
	size_t i, j;

	if (!lv->has_reg || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "country", reg->alpha2);
	cJSON_AddBoolToObject(o, "world", strcmp(reg->alpha2, "00") == 0);
	cJSON_AddStringToObject(o, "dfs_region", dfs_name(reg->dfs_region));
	cJSON_AddNumberToObject(o, "max_2g4_channel", max_24_channel(reg));
	rules = cJSON_AddArrayToObject(o, "rules");
	for (i = 0; rules != NULL && i < reg->nrules; i++) {
		if ((r = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(rules, r);
		cJSON_AddNumberToObject(r, "start_mhz",
		    reg->rule[i].start_khz / 1000.0);
		cJSON_AddNumberToObject(r, "end_mhz",
		    reg->rule[i].end_khz / 1000.0);
		cJSON_AddNumberToObject(r, "max_bw_mhz",
		    reg->rule[i].max_bw_khz / 1000.0);
		cJSON_AddNumberToObject(r, "max_eirp_dbm",
		    reg->rule[i].max_eirp_mbm / 100.0);
		flags = cJSON_AddArrayToObject(r, "flags");
		for (j = 0; flags != NULL &&
		    j < sizeof(rrf_names) / sizeof(rrf_names[0]); j++)
			if (reg->rule[i].flags & rrf_names[j].flag)
				cJSON_AddItemToArray(flags,
				    cJSON_CreateString(rrf_names[j].name));
	}
	return o;
}

cJSON *
check_wifi_scan_json(const struct check_wifi_live *lv,
    const struct netmap *nm, const uint8_t *ssid, size_t ssid_len)
{
	static const enum wifi_band bands[3] = {
		WIFI_BAND_2G4, WIFI_BAND_5G, WIFI_BAND_6G
	};
	unsigned count[3][234];
	unsigned ch, uc;
	enum wifi_band ub;
	size_t i, k, presp = 0;
	cJSON *o, *chans, *c, *list;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "interface", lv->iface.name);
	cJSON_AddNumberToObject(o, "wiphy", lv->iface.wiphy);
	cJSON_AddStringToObject(o, "mode", lv->fresh ? "active" : "cached");
	if (!lv->fresh)
		cJSON_AddStringToObject(o, "cached_reason", lv->cached_reason);
	cJSON_AddNumberToObject(o, "bss", (double)lv->scan.n);
	cJSON_AddNumberToObject(o, "bss_dropped", (double)lv->scan.dropped);
	for (i = 0; i < lv->scan.n; i++)
		if (lv->scan.bss[i].presp)
			presp++;
	cJSON_AddNumberToObject(o, "with_probe_response", (double)presp);
	memset(count, 0, sizeof(count));
	for (i = 0; i < nm->nbss; i++) {
		const struct wifi_bss *w = &nm->bss[i].w;

		if (!nm->bss[i].has_facts || w->channel == 0 ||
		    w->channel >= 234)
			continue;
		for (k = 0; k < 3; k++)
			if (w->band == bands[k])
				count[k][w->channel]++;
	}
	chans = cJSON_AddArrayToObject(o, "channels");
	for (k = 0; k < 3; k++) {
		for (ch = 1; chans != NULL && ch < 234; ch++) {
			if (count[k][ch] == 0 ||
			    (c = cJSON_CreateObject()) == NULL)
				continue;
			cJSON_AddItemToArray(chans, c);
			cJSON_AddNumberToObject(c, "channel", ch);
			cJSON_AddStringToObject(c, "band",
			    wifi_band_name(bands[k]));
			cJSON_AddNumberToObject(c, "bss", count[k][ch]);
			cJSON_AddNumberToObject(c, "overlapping_bss",
			    check_wifi_overlapping(nm, bands[k], ch));
		}
	}
	/* What nl80211 itself said, entry by entry: the raw scan list. */
	list = cJSON_AddArrayToObject(o, "entries");
	for (i = 0; list != NULL && i < lv->scan.n; i++) {
		const struct nl80211_bss_info *e = &lv->scan.bss[i];
		char mac[18];

		if ((c = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(list, c);
		mac_text(e->bssid, mac);
		cJSON_AddStringToObject(c, "bssid", mac);
		cJSON_AddNumberToObject(c, "freq_mhz", e->freq);
		if (e->has_signal)
			cJSON_AddNumberToObject(c, "signal_mbm", e->signal_mbm);
		if (e->has_age)
			cJSON_AddNumberToObject(c, "seen_ms_ago",
			    e->seen_ms_ago);
		cJSON_AddBoolToObject(c, "associated",
		    e->status == NL80211_BSS_STATUS_ASSOCIATED);
		cJSON_AddBoolToObject(c, "probe_response", e->presp);
		cJSON_AddNumberToObject(c, "ies_bytes", (double)e->ies_len);
		cJSON_AddNumberToObject(c, "beacon_ies_bytes",
		    (double)e->beacon_ies_len);
		if (e->ies_truncated)
			cJSON_AddBoolToObject(c, "ies_truncated", true);
	}
	if (ssid != NULL &&
	    (uc = user_channel(lv, nm, ssid, ssid_len, &ub)) != 0) {
		cJSON_AddNumberToObject(o, "user_channel", uc);
		cJSON_AddStringToObject(o, "user_band", wifi_band_name(ub));
		cJSON_AddNumberToObject(o, "user_channel_overlapping_bss",
		    check_wifi_overlapping(nm, ub, uc));
	}
	return o;
}

/* ---- networks[] -------------------------------------------------------- */

/*
 * The shape is that of cmd_analyze.c's networks_json(), field for field,
 * so `scan`, `capture` and `analyze` reports read the same; it is static
 * there, hence this adapter (see docs/wifi.md).
 */

static cJSON *
ids_json(judge_ids ids)
{
	enum finding_id list[FINDING_COUNT];
	size_t i, n;
	cJSON *a;

	if ((a = cJSON_CreateArray()) == NULL)
		return NULL;
	n = judge_ids_list(ids, list, FINDING_COUNT);
	for (i = 0; i < n && i < FINDING_COUNT; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(
		    finding_name(list[i])));
	return a;
}

static void
add_or_null(cJSON *o, const char *key, const char *v)
{
	if (v == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, v);
}

/* Wire text, escaped; null when empty. */
static void
add_text(cJSON *o, const char *key, const void *s, size_t len)
{
	char buf[4 * 256 + 1];

	if (len == 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	ssid_text(s, len, buf, sizeof(buf));
	cJSON_AddStringToObject(o, key, buf);
}

static void
add_num_or_null(cJSON *o, const char *key, unsigned v)
{
	if (v != 0)
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
bss_json(const struct netmap_bss *nb, judge_ids issues, judge_ids blocking)
{
	const struct wifi_bss *w = &nb->w;
	char buf[18];
	cJSON *o, *x, *a;
	size_t i;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	mac_text(w->bssid, buf);
	cJSON_AddStringToObject(o, "bssid", buf);
	add_text(o, "ssid", w->ssid.s, w->ssid.len);
	cJSON_AddBoolToObject(o, "hidden", w->hidden);
	add_num_or_null(o, "channel", w->channel);
	add_num_or_null(o, "freq_mhz", w->freq_mhz);
	add_or_null(o, "band", w->band != WIFI_BAND_UNKNOWN ?
	    wifi_band_name(w->band) : NULL);
	add_num_or_null(o, "width_mhz", w->width_mhz);
	add_or_null(o, "phy", w->phy != WIFI_PHY_UNKNOWN ?
	    wifi_phy_name(w->phy) : NULL);
	cJSON_AddBoolToObject(o, "n_only", w->n_only);
	cJSON_AddBoolToObject(o, "g_only", w->g_only);
	cJSON_AddStringToObject(o, "security",
	    wifi_security_name(w->security));
	a = cJSON_AddArrayToObject(o, "akm");
	for (i = 0; a != NULL && i < w->n_akm && i < IE_SUITES_MAX; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(
		    ie_akm_name(w->akm[i])));
	a = cJSON_AddArrayToObject(o, "pairwise");
	for (i = 0; a != NULL && i < w->n_pairwise && i < IE_SUITES_MAX; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(
		    ie_cipher_name(w->pairwise[i])));
	add_or_null(o, "group", w->group != 0 ? ie_cipher_name(w->group) :
	    NULL);
	cJSON_AddStringToObject(o, "pmf", wifi_pmf_name(w->pmf));
	if (w->wps.present && (x = cJSON_AddObjectToObject(o, "wps")) != NULL) {
		add_text(x, "manufacturer", w->wps.manufacturer.s,
		    w->wps.manufacturer.len);
		add_text(x, "model_name", w->wps.model_name.s,
		    w->wps.model_name.len);
		add_text(x, "model_number", w->wps.model_number.s,
		    w->wps.model_number.len);
		add_text(x, "device_name", w->wps.device_name.s,
		    w->wps.device_name.len);
		add_or_null(x, "state", w->wps.state == WPS_STATE_CONFIGURED ?
		    "configured" : w->wps.state == WPS_STATE_UNCONFIGURED ?
		    "unconfigured" : NULL);
	} else if (!w->wps.present)
		cJSON_AddNullToObject(o, "wps");
	if (w->has_signal &&
	    (x = cJSON_AddObjectToObject(o, "signal_dbm")) != NULL) {
		cJSON_AddNumberToObject(x, "last", w->signal_last);
		cJSON_AddNumberToObject(x, "min", w->signal_min);
		cJSON_AddNumberToObject(x, "max", w->signal_max);
	} else if (!w->has_signal)
		cJSON_AddNullToObject(o, "signal_dbm");
	add_text(o, "country", w->country, strlen(w->country));
	add_or_null(o, "vendor", oui_vendor(w->bssid));
	cJSON_AddBoolToObject(o, "mesh", w->is_mesh);
	cJSON_AddBoolToObject(o, "ie_truncated", w->ie_truncated);
	if ((x = cJSON_AddObjectToObject(o, "frames")) != NULL) {
		cJSON_AddNumberToObject(x, "beacon", w->frames.beacons);
		cJSON_AddNumberToObject(x, "probe_resp", w->frames.probe_resps);
		cJSON_AddNumberToObject(x, "probe_req", nb->frames.probe_req);
		cJSON_AddNumberToObject(x, "auth", nb->frames.auth);
		cJSON_AddNumberToObject(x, "assoc", nb->frames.assoc);
		cJSON_AddNumberToObject(x, "deauth", nb->frames.deauth);
		cJSON_AddNumberToObject(x, "action", nb->frames.action);
		cJSON_AddNumberToObject(x, "data", nb->frames.data);
	}
	cJSON_AddNumberToObject(o, "clients", nb->clients);
	cJSON_AddItemToObject(o, "issues", ids_json(issues));
	cJSON_AddItemToObject(o, "blocking", ids_json(blocking));
	return o;
}

cJSON *
check_wifi_networks_json(const struct netmap *nm,
    const struct judge_result *jr)
{
	const struct netmap_net *n;
	const struct judge_net *jn;
	cJSON *arr, *o, *a, *v;
	char mac[18];
	unsigned seen[64];
	size_t i, k, nseen;
	int b;

	if ((arr = cJSON_CreateArray()) == NULL)
		return NULL;
	for (i = 0; i < nm->nnet; i++) {
		n = &nm->net[i];
		jn = &jr->net[i];
		if ((o = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(arr, o);
		add_text(o, "ssid", n->ssid, n->ssid_len);
		cJSON_AddBoolToObject(o, "hidden", n->hidden);
		cJSON_AddBoolToObject(o, "focus", jr->focus == (int)i);
		cJSON_AddNumberToObject(o, "bss_count", n->nbss);
		if ((a = cJSON_AddArrayToObject(o, "bands")) != NULL) {
			if (n->band_24)
				cJSON_AddItemToArray(a,
				    cJSON_CreateString("2.4"));
			if (n->band_5)
				cJSON_AddItemToArray(a,
				    cJSON_CreateString("5"));
			if (n->band_6)
				cJSON_AddItemToArray(a,
				    cJSON_CreateString("6"));
		}
		a = cJSON_AddArrayToObject(o, "channels");
		nseen = 0;
		for (b = n->first; a != NULL && b >= 0;
		    b = nm->bss[b].next_in_net) {
			unsigned ch = nm->bss[b].w.channel;

			for (k = 0; k < nseen && seen[k] != ch; k++)
				;
			if (k == nseen && ch != 0 && nseen < 64) {
				seen[nseen++] = ch;
				cJSON_AddItemToArray(a, cJSON_CreateNumber(ch));
			}
		}
		if ((v = cJSON_AddObjectToObject(o, "verdict")) != NULL) {
			cJSON_AddBoolToObject(v, "can_join",
			    jn->join == JUDGE_JOIN_YES);
			cJSON_AddItemToObject(v, "blocking",
			    ids_json(jn->blocking));
			cJSON_AddItemToObject(v, "warnings",
			    ids_json(jn->warnings));
			if (jn->best_bss >= 0) {
				mac_text(nm->bss[jn->best_bss].w.bssid, mac);
				cJSON_AddStringToObject(v, "best_bssid", mac);
			} else
				cJSON_AddNullToObject(v, "best_bssid");
		}
		a = cJSON_AddArrayToObject(o, "bss");
		for (b = n->first; a != NULL && b >= 0;
		    b = nm->bss[b].next_in_net)
			cJSON_AddItemToArray(a, bss_json(&nm->bss[b],
			    jr->bss[b], jr->bss_blocking[b]));
	}
	return arr;
}

/* ---- text --------------------------------------------------------------- */

/*
 * One line per network with the verdict for the device, as `analyze`
 * prints it; `*` marks the user's network.
 */
void
check_wifi_print_networks(FILE *f, const struct netmap *nm,
    const struct judge_result *jr)
{
	enum finding_id ids[FINDING_COUNT];
	char ssid[140], chans[48], why[200], sig[16];
	size_t i, k, n;
	int b, len;

	if (nm->nnet == 0) {
		fprintf(f, "\nNo Wi-Fi networks seen.\n\n");
		return;
	}
	fprintf(f, "\n%-24s %-5s %-6s %-12s %-16s %-8s %-4s %s\n", "SSID",
	    "BSS", "band", "channel", "security", "signal", "join", "why not");
	for (i = 0; i < nm->nnet; i++) {
		const struct netmap_net *net = &nm->net[i];
		const struct judge_net *jn = &jr->net[i];
		const struct netmap_bss *first = &nm->bss[net->first];

		if (net->ssid_len == 0)
			snprintf(ssid, sizeof(ssid), "(hidden)");
		else
			ssid_text(net->ssid, net->ssid_len, ssid,
			    sizeof(ssid));
		chans[0] = '\0';
		len = 0;
		for (b = net->first; b >= 0 && len < 40;
		    b = nm->bss[b].next_in_net)
			len += snprintf(chans + len,
			    sizeof(chans) - (size_t)len, "%s%u",
			    len ? "," : "", nm->bss[b].w.channel);
		if (net->has_signal)
			snprintf(sig, sizeof(sig), "%d dBm", net->best_signal);
		else
			snprintf(sig, sizeof(sig), "-");
		why[0] = '\0';
		n = judge_ids_list(jn->blocking, ids, FINDING_COUNT);
		for (k = 0, len = 0; k < n && k < FINDING_COUNT &&
		    len < (int)sizeof(why) - 40; k++)
			len += snprintf(why + len, sizeof(why) - (size_t)len,
			    "%s%s", k ? ", " : "", finding_name(ids[k]));
		fprintf(f, "%s%-23.23s %-5u %-6s %-12.12s %-16s %-8s %-4s %s\n",
		    jr->focus == (int)i ? "*" : " ", ssid, net->nbss,
		    net->band_24 ? (net->band_5 || net->band_6 ? "2.4+5" :
		    "2.4") : net->band_5 ? "5" : net->band_6 ? "6" : "?",
		    chans, wifi_security_name(first->w.security), sig,
		    jn->join == JUDGE_JOIN_YES ? "yes" : "no", why);
	}
	fprintf(f, "\n");
}


/* ---- forum fields ------------------------------------------------------ */

void
check_wifi_forum(const struct netmap *nm, const struct judge_result *jr,
    struct check_wifi_forum *buf, struct report *r)
{
	const struct netmap_net *n;
	const struct netmap_bss *b = NULL, *wps = NULL;
	const struct wifi_wps *w;
	char e1[200], e2[200], e3[200], mac[18];
	const char *vendor;
	int ni, bi;

	ni = jr->focus >= 0 ? jr->focus : (!jr->ssid_given && nm->nnet == 1 ?
	    0 : -1);
	if (ni < 0)
		return;
	n = &nm->net[ni];
	for (bi = n->first; bi >= 0; bi = nm->bss[bi].next_in_net) {
		if (b == NULL)
			b = &nm->bss[bi];
		if (wps == NULL && nm->bss[bi].w.wps.present &&
		    (nm->bss[bi].w.wps.manufacturer.len > 0 ||
		    nm->bss[bi].w.wps.model_name.len > 0))
			wps = &nm->bss[bi];
	}
	if (b == NULL)
		return;
	/* WPS names come from probe responses: the active scan asks. */
	if (wps != NULL) {
		w = &wps->w.wps;
		ssid_text((const uint8_t *)w->manufacturer.s,
		    w->manufacturer.len, e1, sizeof(e1));
		ssid_text((const uint8_t *)w->model_name.s, w->model_name.len,
		    e2, sizeof(e2));
		ssid_text((const uint8_t *)w->model_number.s,
		    w->model_number.len, e3, sizeof(e3));
		snprintf(buf->router, sizeof(buf->router),
		    "%s %s %s (from WPS)", e1, e2, e3);
	} else if ((vendor = oui_vendor(b->w.bssid)) != NULL) {
		mac_text(b->w.bssid, mac);
		snprintf(buf->router, sizeof(buf->router),
		    "%s (from the BSSID's OUI, %s)", vendor, mac);
	}
	if (buf->router[0] != '\0' && r->forum.router == NULL)
		r->forum.router = buf->router;
	snprintf(buf->security, sizeof(buf->security), "%s, PMF %s",
	    wifi_security_name(b->w.security), wifi_pmf_name(b->w.pmf));
	r->forum.security = buf->security;
	snprintf(buf->topology, sizeof(buf->topology),
	    "%u BSSID(s) on %s%s%s GHz%s%s, channel %u", n->nbss,
	    n->band_24 ? "2.4" : "", n->band_24 && n->band_5 ? "+" : "",
	    n->band_5 ? "5" : "", n->band_6 ? "+6" : "",
	    n->hidden ? ", hidden SSID" : "", b->w.channel);
	r->forum.topology = buf->topology;
}

/* ---- the diagnose stage ------------------------------------------------ */

/* Skip the check: `why` in the facts, `brief` on the progress line. */
static void
skip(struct check_result *res, cJSON *f, const char *why, const char *brief)
{
	res->skipped = true;
	cJSON_AddBoolToObject(f, "skipped", true);
	cJSON_AddStringToObject(f, "reason", why);
	check_note(res, "skipped: %.100s", brief);
}

void
check_wifi(struct diag *d, struct check_result *res)
{
	const struct diag_opts *o = d->o;
	struct check_wifi_opts wo;
	struct check_wifi_live lv;
	struct netmap *nm = NULL;
	struct judge_result *jr = NULL;
	struct judge_opts jo;
	struct findings scratch;
	enum nl80211_err e;
	uint8_t ssid[32];
	char err[512], name[132];
	int ssid_len, rc, ni;
	double left;
	cJSON *f, *x;

	if ((f = res->facts = cJSON_CreateObject()) == NULL)
		return;
	memset(&lv, 0, sizeof(lv));
	lv.assoc = -1;
	if (!d->have_iface) {
		skip(res, f, "no interface to check", "no interface");
		return;
	}
	cJSON_AddStringToObject(f, "interface", d->ifname);
	e = nl80211_check_ifname(d->ifname, err, sizeof(err));
	cJSON_AddBoolToObject(f, "wireless", e == NL80211_OK);
	if (e != NL80211_OK) {
		snprintf(err, sizeof(err), "%s is not a wireless interface, so "
		    "this computer cannot see the device's Wi-Fi; run on a "
		    "Wi-Fi laptop, or capture near the router and use "
		    "`cyanprobe analyze`", d->ifname);
		snprintf(name, sizeof(name), "%s is not wireless", d->ifname);
		skip(res, f, err, name);
		return;
	}
	memset(&wo, 0, sizeof(wo));
	wo.ifname = d->ifname;
	wo.ssid = o->ssid;
	left = diag_deadline(d, 10.0) - diag_now();
	wo.timeout_ms = left > 1 ? (int)(left * 1000) : 1000;
	if ((rc = check_wifi_collect(&wo, &lv, err, sizeof(err))) != EXIT_OK) {
		skip(res, f, err, err);
		goto out;
	}
	nm = netmap_new();
	jr = calloc(1, sizeof(*jr));
	if (nm == NULL || jr == NULL) {
		skip(res, f, "out of memory", "out of memory");
		goto out;
	}
	(void)check_wifi_netmap(&lv, nm);
	netmap_group(nm);
	memset(&jo, 0, sizeof(jo));
	jo.profile = o->profile;
	jo.fw = o->fw;
	ssid_len = check_wifi_user_ssid(&lv, o->ssid, ssid);
	if (ssid_len >= 0) {
		jo.ssid = ssid;
		jo.ssid_len = (size_t)ssid_len;
	}
	/*
	 * Without a network to ask about, the neighbours' networks are only
	 * context: judge them for networks[], but raise no findings.
	 */
	findings_init(&scratch);
	if (jo.profile != NULL)
		(void)judge_run(nm, &jo, jr, jo.ssid != NULL ? &res->findings :
		    &scratch);
	check_wifi_findings(&lv, nm, jo.ssid, jo.ssid_len, &res->findings);
	if (res->findings.n > 0)
		res->failed = true;

	if (jo.ssid != NULL) {
		ssid_text(jo.ssid, jo.ssid_len, name, sizeof(name));
		cJSON_AddStringToObject(f, "user_ssid", name);
		cJSON_AddStringToObject(f, "user_ssid_from", o->ssid != NULL ?
		    "--ssid" : "this computer's connection");
		ni = jr->focus;
		if (jo.profile == NULL)
			cJSON_AddNullToObject(f, "can_join");
		else if (ni >= 0)
			cJSON_AddBoolToObject(f, "can_join",
			    jr->net[ni].join == JUDGE_JOIN_YES);
		else
			cJSON_AddBoolToObject(f, "can_join", false);
		/*
		 * The shape of the user's network at a glance: several BSSes
		 * on one band are extenders or a mesh, on two bands a dual-band
		 * router that may steer the device (the judge says which).
		 */
		if (ni >= 0 && (x = cJSON_AddObjectToObject(f,
		    "user_network")) != NULL) {
			const struct netmap_net *n = &nm->net[ni];

			cJSON_AddNumberToObject(x, "bss_count", n->nbss);
			cJSON_AddBoolToObject(x, "band_2g4", n->band_24);
			cJSON_AddBoolToObject(x, "band_5g", n->band_5);
			cJSON_AddBoolToObject(x, "dual_band", n->band_24 &&
			    (n->band_5 || n->band_6));
		}
		check_note(res, "%s: %s", name, ni < 0 ? "not in the scan" :
		    jr->net[ni].join == JUDGE_JOIN_YES ? "the device can join" :
		    "the device cannot join");
	} else {
		cJSON_AddNullToObject(f, "user_ssid");
		check_note(res, "%zu networks seen; not connected (use --ssid)",
		    nm->nnet);
	}
	if ((x = check_wifi_link_json(&lv)) != NULL)
		cJSON_AddItemToObject(f, "link", x);
	if ((x = check_wifi_regdom_json(&lv)) != NULL)
		cJSON_AddItemToObject(f, "regdom", x);
	if ((x = check_wifi_scan_json(&lv, nm, jo.ssid, jo.ssid_len)) != NULL)
		cJSON_AddItemToObject(f, "scan", x);
	if ((x = check_wifi_networks_json(nm, jr)) != NULL)
		cJSON_AddItemToObject(f, "networks", x);
out:
	netmap_free(nm);
	free(jr);
	check_wifi_free(&lv);
}
