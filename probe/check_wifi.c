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
#include "mac.h"
#include "netreport.h"
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
	uint8_t want[32];
	int want_len;

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
	/* The user's network keeps its place in a crowded scan. */
	if ((want_len = check_wifi_user_ssid(out, o->ssid, want)) >= 0)
		nl80211_scan_want(&out->scan, want, (size_t)want_len);
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
	/* Elements past nl80211's limit were never seen: a cut list. */
	if (s->ies_truncated)
		ie.walk_cut = true;
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

	/*
	 * The scan's own table kept the wanted network first; the map keeps
	 * it too, and learns what the scan could not keep, so "not kept" is
	 * never judged "not seen".
	 */
	if (lv->scan.want_set)
		(void)netmap_want_ssid(nm, lv->scan.want_ssid,
		    lv->scan.want_len);
	nm->overflow.scan_bss += (uint32_t)lv->scan.dropped;
	nm->overflow.bss_wanted += (uint32_t)lv->scan.want_dropped;

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
	if (lv->scan.want_seen)
		nm->want.seen = true;
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
		netreport_text(ssid, ssid_len, name, sizeof(name));
		(void)findings_add(fs, FINDING_WIFI_CONGESTED,
		    "\"%s\" is on channel %u, which %u access points share or "
		    "overlap (more than %d): a 1x1 2.4 GHz device may fail to "
		    "join or drop; pick channel 1, 6 or 11 with the fewest "
		    "neighbours", name, chan, n, CHECK_WIFI_CONGESTED_BSS);
	}
}

/* ---- presenting -------------------------------------------------------- */

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
		netreport_text(i->ssid, i->ssid_len, buf, sizeof(buf));
		cJSON_AddStringToObject(o, "ssid", buf);
	}
	if (lv->assoc >= 0) {
		mac_format(lv->scan.bss[lv->assoc].bssid, buf);
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
	cJSON_AddNumberToObject(o, "bss_dropped_wanted",
	    (double)lv->scan.want_dropped);
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
		mac_format(e->bssid, mac);
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

/* ---- the report ------------------------------------------------------- */

/*
 * networks[], the table and the forum fields are netreport.c's, as for
 * `analyze`; these wrappers stay until cmd_scan.c and cmd_capture.c call
 * it themselves.
 */
cJSON *
check_wifi_networks_json(const struct netmap *nm,
    const struct judge_result *jr)
{
	return netreport_networks(nm, jr);
}

void
check_wifi_print_networks(FILE *f, const struct netmap *nm,
    const struct judge_result *jr)
{
	(void)netreport_print_table(f, nm, jr, "No Wi-Fi networks seen.");
}

void
check_wifi_forum(const struct netmap *nm, const struct judge_result *jr,
    struct check_wifi_forum *buf, struct report *r)
{
	const struct netmap_bss *b;
	size_t len;
	int ni;

	netreport_forum(r, nm, jr, &buf->nr);
	if ((ni = netreport_subject(nm, jr)) < 0)
		return;
	/*
	 * A live view is one moment on one channel: the topology names the
	 * channel of the BSS the device would use, so a forum reader sees
	 * where the router sits now.
	 */
	b = &nm->bss[jr->net[ni].best_bss >= 0 ? jr->net[ni].best_bss :
	    nm->net[ni].first];
	len = strlen(buf->nr.topology);
	snprintf(buf->nr.topology + len, sizeof(buf->nr.topology) - len,
	    ", channel %u", b->w.channel);
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

/* One run of the stage: what was collected, folded and judged. */
struct wifi_run {
	struct diag		*d;
	struct check_result	*res;
	cJSON			*f;
	struct check_wifi_live	 lv;
	struct netmap		*nm;
	struct judge_result	*jr;
	struct judge_opts	 jo;
	uint8_t			 ssid[32];	/* the user's, when known */
	char			 name[132];	/* ssid as text, for messages */
};

/* Is there a wireless interface to look through?  If not, skip. */
static bool
wifi_have_radio(struct wifi_run *r)
{
	char err[512];
	enum nl80211_err e;

	if (!r->d->have_iface) {
		skip(r->res, r->f, "no interface to check", "no interface");
		return false;
	}
	cJSON_AddStringToObject(r->f, "interface", r->d->ifname);
	e = nl80211_check_ifname(r->d->ifname, err, sizeof(err));
	cJSON_AddBoolToObject(r->f, "wireless", e == NL80211_OK);
	if (e == NL80211_OK) {
		/* On a radio the device's Wi-Fi can be seen, so it is judged. */
		r->res->expect |= STAGE_BIT(STAGE_WIFI);
		return true;
	}
	snprintf(err, sizeof(err), "%s is not a wireless interface, so "
	    "this computer cannot see the device's Wi-Fi; run on a "
	    "Wi-Fi laptop, or capture near the router and use "
	    "`cyanprobe analyze`", r->d->ifname);
	snprintf(r->name, sizeof(r->name), "%s is not wireless",
	    r->d->ifname);
	skip(r->res, r->f, err, r->name);
	return false;
}

/* Collect link, regdom and scan within the run's time; -1: skipped. */
static int
wifi_collect(struct wifi_run *r)
{
	struct check_wifi_opts wo;
	char err[512];
	double left;

	memset(&wo, 0, sizeof(wo));
	wo.ifname = r->d->ifname;
	wo.ssid = r->d->o->ssid;
	left = diag_deadline(r->d, 10.0) - diag_now();
	wo.timeout_ms = left > 1 ? (int)(left * 1000) : 1000;
	if (check_wifi_collect(&wo, &r->lv, err, sizeof(err)) != EXIT_OK) {
		skip(r->res, r->f, err, err);
		return -1;
	}
	return 0;
}

/* Fold the scan into a netmap grouped by network; -1: out of memory. */
static int
wifi_fold(struct wifi_run *r)
{
	r->nm = netmap_new();
	r->jr = calloc(1, sizeof(*r->jr));
	if (r->nm == NULL || r->jr == NULL) {
		skip(r->res, r->f, "out of memory", "out of memory");
		return -1;
	}
	(void)check_wifi_netmap(&r->lv, r->nm);
	netmap_group(r->nm);
	return 0;
}

/* Judge with the device profile, about the user's network if known. */
static void
wifi_judge(struct wifi_run *r)
{
	const struct diag_opts *o = r->d->o;
	struct findings scratch;
	int ssid_len;

	memset(&r->jo, 0, sizeof(r->jo));
	r->jo.profile = o->profile;
	r->jo.fw = o->fw;
	ssid_len = check_wifi_user_ssid(&r->lv, o->ssid, r->ssid);
	if (ssid_len >= 0) {
		r->jo.ssid = r->ssid;
		r->jo.ssid_len = (size_t)ssid_len;
	}
	/*
	 * Without a network to ask about, the neighbours' networks are only
	 * context: judge them for networks[], but raise no findings.
	 */
	findings_init(&scratch);
	if (r->jo.profile != NULL)
		(void)judge_run(r->nm, &r->jo, r->jr, r->jo.ssid != NULL ?
		    &r->res->findings : &scratch);
	check_wifi_findings(&r->lv, r->nm, r->jo.ssid, r->jo.ssid_len,
	    &r->res->findings);
	if (r->res->findings.n > 0)
		r->res->failed = true;
}

/*
 * The shape of the user's network at a glance: several BSSes on one band
 * are extenders or a mesh, on two bands a dual-band router that may steer
 * the device (the judge says which).
 */
static void
wifi_user_network_facts(cJSON *f, const struct netmap_net *n)
{
	cJSON *x;

	if ((x = cJSON_AddObjectToObject(f, "user_network")) == NULL)
		return;
	cJSON_AddNumberToObject(x, "bss_count", n->nbss);
	cJSON_AddBoolToObject(x, "band_2g4", n->band_24);
	cJSON_AddBoolToObject(x, "band_5g", n->band_5);
	cJSON_AddBoolToObject(x, "dual_band", n->band_24 &&
	    (n->band_5 || n->band_6));
}

/* The user's network: can the device join it?  Facts and the note. */
static void
wifi_user_facts(struct wifi_run *r)
{
	const char *from;
	int ni;

	if (r->jo.ssid == NULL) {
		cJSON_AddNullToObject(r->f, "user_ssid");
		check_note(r->res, "%zu networks seen; not connected (use "
		    "--ssid)", r->nm->nnet);
		return;
	}
	netreport_text(r->jo.ssid, r->jo.ssid_len, r->name, sizeof(r->name));
	cJSON_AddStringToObject(r->f, "user_ssid", r->name);
	from = r->d->o->ssid != NULL ? "--ssid" : "this computer's connection";
	cJSON_AddStringToObject(r->f, "user_ssid_from", from);
	ni = r->jr->focus;
	if (r->jo.profile == NULL)
		cJSON_AddNullToObject(r->f, "can_join");
	else if (ni >= 0 && r->jr->net[ni].join == JUDGE_JOIN_UNKNOWN)
		cJSON_AddNullToObject(r->f, "can_join");
	else if (ni >= 0)
		cJSON_AddBoolToObject(r->f, "can_join",
		    r->jr->net[ni].join == JUDGE_JOIN_YES);
	else
		cJSON_AddBoolToObject(r->f, "can_join", false);
	if (ni >= 0)
		wifi_user_network_facts(r->f, &r->nm->net[ni]);
	if (r->jo.profile != NULL && ni >= 0 &&
	    r->jr->net[ni].join == JUDGE_JOIN_YES)
		r->res->seen |= STAGE_BIT(STAGE_WIFI);
	check_note(r->res, "%s: %s", r->name, ni < 0 ? "not in the scan" :
	    r->jr->net[ni].join == JUDGE_JOIN_YES ? "the device can join" :
	    r->jr->net[ni].join == JUDGE_JOIN_UNKNOWN ? "whether the device "
	    "can join is unknown (see wifi.ie_truncated)" :
	    "the device cannot join");
}

/* The link, regulatory domain, scan and networks, as facts. */
static void
wifi_detail_facts(struct wifi_run *r)
{
	cJSON *x;

	if ((x = check_wifi_link_json(&r->lv)) != NULL)
		cJSON_AddItemToObject(r->f, "link", x);
	if ((x = check_wifi_regdom_json(&r->lv)) != NULL)
		cJSON_AddItemToObject(r->f, "regdom", x);
	if ((x = check_wifi_scan_json(&r->lv, r->nm, r->jo.ssid,
	    r->jo.ssid_len)) != NULL)
		cJSON_AddItemToObject(r->f, "scan", x);
	if ((x = check_wifi_networks_json(r->nm, r->jr)) != NULL)
		cJSON_AddItemToObject(r->f, "networks", x);
}

void
check_wifi(struct diag *d, struct check_result *res)
{
	struct wifi_run r;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.res = res;
	if ((r.f = res->facts = cJSON_CreateObject()) == NULL)
		return;
	r.lv.assoc = -1;
	if (!wifi_have_radio(&r))
		return;
	if (wifi_collect(&r) == 0 && wifi_fold(&r) == 0) {
		wifi_judge(&r);
		wifi_user_facts(&r);
		wifi_detail_facts(&r);
	}
	netmap_free(r.nm);
	free(r.jr);
	check_wifi_free(&r.lv);
}
