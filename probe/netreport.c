/*
 * netreport.c - render a grouped, judged netmap into the report: networks[]
 * with every BSS's facts, the facts tables (wifi, dhcp, dns, http, cloud,
 * devices, coap), the forum fields and the text networks table.  This was
 * `analyze`'s renderer; it lives here so that `scan`, `capture` and the
 * wifi stage of `diagnose` write the very same keys instead of copies that
 * drift apart.  Names are those of docs/report-schema.md.
 */
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "capture_read.h"
#include "coapmsg.h"
#include "dns.h"
#include "finding.h"
#include "ieee80211.h"
#include "ip.h"
#include "judge.h"
#include "mac.h"
#include "linklayer.h"
#include "netmap.h"
#include "netreport.h"
#include "oui.h"
#include "report.h"
#include "wifi_bss.h"

/* ---- text helpers ------------------------------------------------------- */

const char *
netreport_text(const void *s, size_t len, char *buf, size_t size)
{
	const unsigned char *p = s;
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

static const char *
addr_str(int family, const uint8_t *a, char *buf, size_t size)
{
	struct ip_addr ia;

	memset(&ia, 0, sizeof(ia));
	ia.family = (uint8_t)family;
	memcpy(ia.a, a, family == 6 ? 16 : 4);
	return ip_addr_str(&ia, buf, size);
}

static const char *
ip4_str(const uint8_t a[4], char *buf, size_t size)
{
	return addr_str(4, a, buf, size);
}

static void
add_str(cJSON *o, const char *k, const char *v)
{
	if (v == NULL)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddStringToObject(o, k, v);
}

static void
add_text(cJSON *o, const char *k, const char *s, size_t len)
{
	char buf[4 * 256 + 1];

	if (len == 0)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddStringToObject(o, k, netreport_text(s, len, buf, sizeof(buf)));
}

static cJSON *
ids_json(judge_ids ids)
{
	enum finding_id list[FINDING_COUNT];
	cJSON *a = cJSON_CreateArray();
	size_t i, n = judge_ids_list(ids, list, FINDING_COUNT);

	for (i = 0; i < n && i < FINDING_COUNT; i++)
		cJSON_AddItemToArray(a,
		    cJSON_CreateString(finding_name(list[i])));
	return a;
}

/* ---- networks ----------------------------------------------------------- */

/*
 * A sentence for a BSS whose radio header disagreed with its own element
 * about the channel, e.g. "aa:bb:cc:dd:ee:ff: channel 1 (2412 MHz) from
 * the AP's DS Parameter Set; the capture's radio header said 5180 MHz".
 * NULL when they agreed.
 */
static const char *
chan_note(const struct wifi_bss *w, char *buf, size_t size)
{
	static const char *const elem[] = {
		[WIFI_CHSRC_DS] = "DS Parameter Set",
		[WIFI_CHSRC_HT_OP] = "HT Operation element",
		[WIFI_CHSRC_HE_OP] = "HE Operation element",
	};
	char mac[18], mhz[24];

	if (w->radio_freq_mhz == 0 || w->chan_src < WIFI_CHSRC_DS ||
	    w->chan_src > WIFI_CHSRC_HE_OP)
		return NULL;
	if (w->freq_mhz != 0)
		snprintf(mhz, sizeof(mhz), " (%u MHz)", w->freq_mhz);
	else
		snprintf(mhz, sizeof(mhz), " (band unknown)");
	snprintf(buf, size, "%s: channel %u%s from the AP's %s; the "
	    "capture's radio header said %u MHz", mac_format(w->bssid, mac),
	    w->channel, mhz, elem[w->chan_src], w->radio_freq_mhz);
	return buf;
}

/* A fact that is true, false, or unknown (null). */
void
netreport_add_tri(cJSON *o, const char *key, bool yes, bool unknown)
{
	if (unknown && !yes)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddBoolToObject(o, key, yes);
}

static cJSON *
bss_json(const struct netmap_bss *b, judge_ids issues, judge_ids blocking)
{
	const struct wifi_bss *w = &b->w;
	cJSON *o = cJSON_CreateObject(), *x, *a;
	char buf[160], mac[18];
	const char *vendor;
	size_t i;

	cJSON_AddStringToObject(o, "bssid", mac_format(w->bssid, mac));
	add_text(o, "ssid", w->ssid.s, w->ssid.len);
	netreport_add_tri(o, "hidden", w->hidden, w->hidden_unknown);
	if (w->channel != 0)
		cJSON_AddNumberToObject(o, "channel", w->channel);
	else
		cJSON_AddNullToObject(o, "channel");
	if (w->freq_mhz != 0)
		cJSON_AddNumberToObject(o, "freq_mhz", w->freq_mhz);
	else
		cJSON_AddNullToObject(o, "freq_mhz");
	add_str(o, "band", w->band != WIFI_BAND_UNKNOWN ?
	    wifi_band_name(w->band) : NULL);
	add_str(o, "channel_source", wifi_chan_src_name(w->chan_src));
	if (w->radio_freq_mhz != 0)
		cJSON_AddNumberToObject(o, "radio_freq_mhz", w->radio_freq_mhz);
	else
		cJSON_AddNullToObject(o, "radio_freq_mhz");
	if (w->width_mhz != 0)
		cJSON_AddNumberToObject(o, "width_mhz", w->width_mhz);
	else
		cJSON_AddNullToObject(o, "width_mhz");
	add_str(o, "phy", w->phy != WIFI_PHY_UNKNOWN ?
	    wifi_phy_name(w->phy) : NULL);
	add_str(o, "phy_min", w->phy_min != WIFI_PHY_UNKNOWN ?
	    wifi_phy_name(w->phy_min) : NULL);
	a = cJSON_AddArrayToObject(o, "basic_rates_mbps");
	for (i = 0; i < w->n_basic_rates && i < IE_RATES_MAX; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(
		    (w->basic_rates[i] & 0x7f) / 2.0));
	if (w->max_rate != 0)
		cJSON_AddNumberToObject(o, "max_rate_mbps",
		    (w->max_rate & 0x7f) / 2.0);
	else
		cJSON_AddNullToObject(o, "max_rate_mbps");
	netreport_add_tri(o, "n_only", w->n_only, w->n_only_unknown);
	netreport_add_tri(o, "g_only", w->g_only, w->g_only_unknown);
	cJSON_AddNumberToObject(o, "rates_dropped", w->rates_dropped);
	cJSON_AddStringToObject(o, "security", wifi_security_name(w->security));
	a = cJSON_AddArrayToObject(o, "akm");
	for (i = 0; i < w->n_akm && i < IE_SUITES_MAX; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(ie_akm_name(
		    w->akm[i])));
	a = cJSON_AddArrayToObject(o, "pairwise");
	for (i = 0; i < w->n_pairwise && i < IE_SUITES_MAX; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(ie_cipher_name(
		    w->pairwise[i])));
	add_str(o, "group", w->group != 0 ? ie_cipher_name(w->group) : NULL);
	cJSON_AddStringToObject(o, "pmf", wifi_pmf_name(w->pmf));
	if (w->wps.present) {
		x = cJSON_AddObjectToObject(o, "wps");
		add_text(x, "manufacturer", w->wps.manufacturer.s,
		    w->wps.manufacturer.len);
		add_text(x, "model_name", w->wps.model_name.s,
		    w->wps.model_name.len);
		add_text(x, "model_number", w->wps.model_number.s,
		    w->wps.model_number.len);
		add_text(x, "device_name", w->wps.device_name.s,
		    w->wps.device_name.len);
		add_str(x, "state", w->wps.state == WPS_STATE_CONFIGURED ?
		    "configured" : w->wps.state == WPS_STATE_UNCONFIGURED ?
		    "unconfigured" : NULL);
	} else
		cJSON_AddNullToObject(o, "wps");
	if (w->has_signal) {
		x = cJSON_AddObjectToObject(o, "signal_dbm");
		cJSON_AddNumberToObject(x, "last", w->signal_last);
		cJSON_AddNumberToObject(x, "min", w->signal_min);
		cJSON_AddNumberToObject(x, "max", w->signal_max);
	} else
		cJSON_AddNullToObject(o, "signal_dbm");
	add_str(o, "country", w->country[0] ? netreport_text(w->country,
	    strlen(w->country), buf, sizeof(buf)) : NULL);
	vendor = oui_vendor(w->bssid);
	add_str(o, "vendor", vendor);
	netreport_add_tri(o, "mesh", w->is_mesh, w->mesh_unknown);
	cJSON_AddBoolToObject(o, "ie_truncated", w->ie_truncated);
	a = cJSON_AddArrayToObject(o, "malformed_elements");
	for (i = 0; i < IE_MAL_NBITS; i++)
		if (w->malformed & (1u << i))
			cJSON_AddItemToArray(a, cJSON_CreateString(
			    ie_malformed_name(1u << i)));
	cJSON_AddBoolToObject(o, "elements_cut", w->elements_cut);
	x = cJSON_AddObjectToObject(o, "frames");
	cJSON_AddNumberToObject(x, "beacon", w->frames.beacons);
	cJSON_AddNumberToObject(x, "probe_resp", w->frames.probe_resps);
	cJSON_AddNumberToObject(x, "probe_req", b->frames.probe_req);
	cJSON_AddNumberToObject(x, "auth", b->frames.auth);
	cJSON_AddNumberToObject(x, "assoc", b->frames.assoc);
	cJSON_AddNumberToObject(x, "deauth", b->frames.deauth);
	cJSON_AddNumberToObject(x, "action", b->frames.action);
	cJSON_AddNumberToObject(x, "data", b->frames.data);
	cJSON_AddNumberToObject(o, "clients", b->clients);
	cJSON_AddItemToObject(o, "issues", ids_json(issues));
	cJSON_AddItemToObject(o, "blocking", ids_json(blocking));
	return o;
}

/*
 * Router make and model for a network, saying where it came from: WPS
 * (manufacturer, model name, model number) when any BSS sends it, else the
 * BSSID's OUI.  NULL when neither says.
 */
static const char *
router_text(const struct netmap *nm, const struct netmap_net *n, char *buf,
    size_t size)
{
	const struct netmap_bss *wps = NULL;
	char e1[300], e2[200], e3[200], mac[18];
	const char *vendor;
	int bi;

	for (bi = n->first; bi >= 0; bi = nm->bss[bi].next_in_net)
		if (nm->bss[bi].w.wps.present &&
		    (nm->bss[bi].w.wps.manufacturer.len > 0 ||
		    nm->bss[bi].w.wps.model_name.len > 0)) {
			wps = &nm->bss[bi];
			break;
		}
	if (wps != NULL) {
		const struct wifi_wps *w = &wps->w.wps;

		snprintf(buf, size, "%s%s%s%s%s (from WPS)",
		    netreport_text(w->manufacturer.s, w->manufacturer.len, e1, sizeof(e1)),
		    w->model_name.len ? " " : "",
		    netreport_text(w->model_name.s, w->model_name.len, e2, sizeof(e2)),
		    w->model_number.len ? " " : "",
		    netreport_text(w->model_number.s, w->model_number.len, e3,
		    sizeof(e3)));
		return buf;
	}
	if ((vendor = oui_vendor(nm->bss[n->first].w.bssid)) != NULL) {
		snprintf(buf, size, "%s (from the BSSID's OUI, %s)", vendor,
		    mac_format(nm->bss[n->first].w.bssid, mac));
		return buf;
	}
	return NULL;
}

cJSON *
netreport_networks(const struct netmap *nm, const struct judge_result *jr)
{
	cJSON *arr, *o, *a, *v;
	const struct netmap_net *n;
	const struct judge_net *jn;
	char mac[18], rbuf[1024], nbuf[160];
	const char *note;
	size_t i;
	int bi, ni, ch, seen[200];
	size_t nseen, k;

	if ((arr = cJSON_CreateArray()) == NULL)
		return NULL;
	for (i = 0; i < nm->nnet; i++) {
		n = &nm->net[i];
		jn = &jr->net[i];
		if ((o = cJSON_CreateObject()) == NULL)
			break;
		add_text(o, "ssid", (const char *)n->ssid, n->ssid_len);
		cJSON_AddBoolToObject(o, "hidden", n->hidden);
		cJSON_AddBoolToObject(o, "focus", jr->focus == (int)i);
		cJSON_AddNumberToObject(o, "bss_count", n->nbss);
		a = cJSON_AddArrayToObject(o, "bands");
		if (n->band_24)
			cJSON_AddItemToArray(a, cJSON_CreateString("2.4"));
		if (n->band_5)
			cJSON_AddItemToArray(a, cJSON_CreateString("5"));
		if (n->band_6)
			cJSON_AddItemToArray(a, cJSON_CreateString("6"));
		a = cJSON_AddArrayToObject(o, "channels");
		nseen = 0;
		for (bi = n->first; bi >= 0; bi = nm->bss[bi].next_in_net) {
			ch = nm->bss[bi].w.channel;
			for (k = 0; k < nseen && seen[k] != ch; k++)
				;
			if (k == nseen && ch != 0 && nseen < 200) {
				seen[nseen++] = ch;
				cJSON_AddItemToArray(a, cJSON_CreateNumber(ch));
			}
		}
		/*
		 * The reserved per-network keys of docs/report-schema.md,
		 * from the BSS the device would pick (else the first).
		 */
		bi = jn->best_bss >= 0 ? jn->best_bss : n->first;
		cJSON_AddStringToObject(o, "bssid",
		    mac_format(nm->bss[bi].w.bssid, mac));
		cJSON_AddNumberToObject(o, "channel", nm->bss[bi].w.channel);
		add_str(o, "band", nm->bss[bi].w.band != WIFI_BAND_UNKNOWN ?
		    wifi_band_name(nm->bss[bi].w.band) : NULL);
		cJSON_AddStringToObject(o, "security",
		    wifi_security_name(nm->bss[bi].w.security));
		note = NULL;
		for (ni = n->first; note == NULL && ni >= 0;
		    ni = nm->bss[ni].next_in_net)
			note = chan_note(&nm->bss[ni].w, nbuf, sizeof(nbuf));
		add_str(o, "channel_note", note);
		if (n->has_signal)
			cJSON_AddNumberToObject(o, "rssi", n->best_signal);
		else
			cJSON_AddNullToObject(o, "rssi");
		add_str(o, "router", router_text(nm, n, rbuf, sizeof(rbuf)));
		v = cJSON_AddObjectToObject(o, "verdict");
		/* null: what the frames left unknown decides it. */
		if (jn->join == JUDGE_JOIN_UNKNOWN)
			cJSON_AddNullToObject(v, "can_join");
		else
			cJSON_AddBoolToObject(v, "can_join",
			    jn->join == JUDGE_JOIN_YES);
		cJSON_AddItemToObject(v, "blocking", ids_json(jn->blocking));
		cJSON_AddItemToObject(v, "warnings", ids_json(jn->warnings));
		cJSON_AddItemToObject(v, "undecided",
		    ids_json(jn->undecided));
		if (jn->best_bss >= 0)
			cJSON_AddStringToObject(v, "best_bssid",
			    mac_format(nm->bss[jn->best_bss].w.bssid, mac));
		else
			cJSON_AddNullToObject(v, "best_bssid");
		a = cJSON_AddArrayToObject(o, "bss");
		for (bi = n->first; bi >= 0; bi = nm->bss[bi].next_in_net)
			cJSON_AddItemToArray(a, bss_json(&nm->bss[bi],
			    jr->bss[bi], jr->bss_blocking[bi]));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* ---- facts ------------------------------------------------------ */

static void
facts_dhcp(struct report *r, const struct netmap *nm)
{
	cJSON *d = report_facts(r, "dhcp"), *a, *o;
	char buf[64], mac[18];
	size_t i;

	if (d == NULL)
		return;
	a = cJSON_AddArrayToObject(d, "servers");
	for (i = 0; i < nm->ndhcp_server; i++) {
		const struct netmap_dhcp_server *s = &nm->dhcp_server[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "server_id",
		    ip4_str(s->server_id, buf, sizeof(buf)));
		add_str(o, "mac", s->has_mac ? mac_format(s->mac, mac) : NULL);
		add_str(o, "vendor", s->has_mac ? oui_vendor(s->mac) : NULL);
		cJSON_AddNumberToObject(o, "offers", s->offers);
		cJSON_AddNumberToObject(o, "acks", s->acks);
		cJSON_AddNumberToObject(o, "naks", s->naks);
		add_str(o, "offered", s->offers + s->acks > 0 ?
		    ip4_str(s->offered, buf, sizeof(buf)) : NULL);
		add_str(o, "subnet", s->has_mask ?
		    ip4_str(s->mask, buf, sizeof(buf)) : NULL);
		add_str(o, "router", s->has_router ?
		    ip4_str(s->router, buf, sizeof(buf)) : NULL);
		add_str(o, "dns", s->has_dns ?
		    ip4_str(s->dns, buf, sizeof(buf)) : NULL);
		if (s->has_lease)
			cJSON_AddNumberToObject(o, "lease_s", s->lease);
		else
			cJSON_AddNullToObject(o, "lease_s");
		add_text(o, "domain", s->domain.s, s->domain.len);
		cJSON_AddBoolToObject(o, "conflicting", s->conflict);
		add_text(o, "captive_portal", s->captive_portal,
		    strlen(s->captive_portal));
		add_text(o, "nak_message", s->nak_message,
		    strlen(s->nak_message));
		cJSON_AddItemToArray(a, o);
	}
	a = cJSON_AddArrayToObject(d, "clients");
	for (i = 0; i < nm->ndhcp_client; i++) {
		const struct netmap_dhcp_client *c = &nm->dhcp_client[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "mac", mac_format(c->mac, mac));
		cJSON_AddNumberToObject(o, "discovers", c->discovers);
		cJSON_AddNumberToObject(o, "requests", c->requests);
		cJSON_AddNumberToObject(o, "offers", c->offers);
		cJSON_AddNumberToObject(o, "acks", c->acks);
		cJSON_AddNumberToObject(o, "naks", c->naks);
		cJSON_AddStringToObject(o, "outcome", netmap_dhcp_outcome(c));
		cJSON_AddItemToArray(a, o);
	}
}

static void
facts_dns(struct report *r, const struct netmap *nm)
{
	cJSON *d = report_facts(r, "dns"), *a, *o;
	char buf[64];
	size_t i;

	if (d == NULL)
		return;
	a = cJSON_AddArrayToObject(d, "answers");
	for (i = 0; i < nm->ndns; i++) {
		const struct netmap_dns *e = &nm->dns[i];
		const char *tn = dns_type_name(e->type), *rc;

		o = cJSON_CreateObject();
		add_text(o, "name", e->name, strlen(e->name));
		add_str(o, "type", e->type == 0 ? NULL : tn != NULL ? tn : "?");
		rc = dns_rcode_name(e->rcode);
		cJSON_AddStringToObject(o, "rcode", rc != NULL ? rc : "?");
		add_str(o, "address", e->family != 0 ?
		    addr_str(e->family, e->addr, buf, sizeof(buf)) : NULL);
		add_str(o, "class", e->family != 0 ?
		    dns_addr_class_name(dns_addr_class(e->family, e->addr)) :
		    NULL);
		add_text(o, "target", e->target, strlen(e->target));
		cJSON_AddNumberToObject(o, "ttl", e->ttl);
		cJSON_AddNumberToObject(o, "count", e->count);
		add_str(o, "server", e->server_family != 0 ?
		    addr_str(e->server_family, e->server, buf, sizeof(buf)) :
		    NULL);
		cJSON_AddItemToArray(a, o);
	}
}

static void
facts_http(struct report *r, const struct netmap *nm)
{
	cJSON *d = report_facts(r, "http"), *a, *o;
	char buf[64];
	size_t i;

	if (d == NULL)
		return;
	a = cJSON_AddArrayToObject(d, "redirects");
	for (i = 0; i < nm->nhttp; i++) {
		const struct netmap_http *h = &nm->http[i];

		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "status", h->status);
		add_text(o, "location", h->location, strlen(h->location));
		add_str(o, "server", h->server_family != 0 ?
		    addr_str(h->server_family, h->server, buf, sizeof(buf)) :
		    NULL);
		cJSON_AddNumberToObject(o, "port", h->server_port);
		cJSON_AddNumberToObject(o, "count", h->count);
		cJSON_AddBoolToObject(o, "portal",
		    judge_portal_redirect(h->status, h->location));
		cJSON_AddItemToArray(a, o);
	}
}

static void
facts_cloud(struct report *r, const struct netmap *nm)
{
	cJSON *d = report_facts(r, "cloud"), *a, *o;
	char buf[64];
	size_t i;

	if (d == NULL)
		return;
	a = cJSON_AddArrayToObject(d, "flows");
	for (i = 0; i < nm->nflow; i++) {
		const struct netmap_flow *f = &nm->flow[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "device",
		    addr_str(f->family, f->device, buf, sizeof(buf)));
		cJSON_AddNumberToObject(o, "device_port", f->device_port);
		cJSON_AddStringToObject(o, "cloud",
		    addr_str(f->family, f->cloud, buf, sizeof(buf)));
		cJSON_AddNumberToObject(o, "cloud_port", f->cloud_port);
		cJSON_AddStringToObject(o, "outcome",
		    netmap_flow_outcome_name(netmap_flow_outcome(f)));
		cJSON_AddNumberToObject(o, "syn", f->syn);
		cJSON_AddNumberToObject(o, "syn_ack", f->syn_ack);
		cJSON_AddNumberToObject(o, "rst_from_cloud", f->rst_from_cloud);
		cJSON_AddNumberToObject(o, "rst_from_device",
		    f->rst_from_device);
		cJSON_AddNumberToObject(o, "fin", f->fin);
		if (f->first_server_len >= 0)
			cJSON_AddNumberToObject(o, "first_server_len",
			    (double)f->first_server_len);
		else
			cJSON_AddNullToObject(o, "first_server_len");
		cJSON_AddNumberToObject(o, "device_bytes",
		    (double)f->device_bytes);
		cJSON_AddNumberToObject(o, "cloud_bytes",
		    (double)f->cloud_bytes);
		cJSON_AddItemToArray(a, o);
	}
}

static void
facts_devices(struct report *r, const struct netmap *nm)
{
	cJSON *d = report_facts(r, "devices"), *a, *o;
	char buf[64], mac[18];
	size_t i;

	if (d == NULL)
		return;
	a = cJSON_AddArrayToObject(d, "ids");
	for (i = 0; i < nm->ndevice; i++) {
		const struct netmap_device *e = &nm->device[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", e->id);
		add_str(o, "address", e->family != 0 ?
		    addr_str(e->family, e->addr, buf, sizeof(buf)) : NULL);
		add_str(o, "mac", e->has_mac ? mac_format(e->mac, mac) : NULL);
		cJSON_AddNumberToObject(o, "announcements", e->count);
		cJSON_AddItemToArray(a, o);
	}
}

/* Seconds since the capture's first packet, or null without times. */
static void
add_time(cJSON *o, const char *k, const struct wifi_join *j, uint64_t t_us)
{
	if (!j->has_time || t_us < j->first_us)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, (double)(t_us - j->first_us) /
		    1e6);
}

static cJSON *
step_json(const struct wifi_join *j, const struct wifi_join_step *s)
{
	cJSON *o = cJSON_CreateObject();
	bool status = s->kind == WIFI_JOIN_AUTH ||
	    s->kind == WIFI_JOIN_ASSOC_RESP ||
	    s->kind == WIFI_JOIN_REASSOC_RESP;
	bool reason = s->kind == WIFI_JOIN_DEAUTH ||
	    s->kind == WIFI_JOIN_DISASSOC;

	add_time(o, "t", j, s->t_us);
	cJSON_AddStringToObject(o, "step", wifi_join_step_name(
	    (enum wifi_join_step_kind)s->kind));
	cJSON_AddStringToObject(o, "from", s->from_ap ? "ap" : "station");
	if (s->kind == WIFI_JOIN_EAPOL)
		cJSON_AddStringToObject(o, "msg",
		    eapol_msg_name((enum eapol_msg)s->msg));
	if (s->kind == WIFI_JOIN_AUTH) {
		cJSON_AddStringToObject(o, "alg",
		    ieee80211_auth_alg_name(s->alg));
		cJSON_AddNumberToObject(o, "seq", s->seq);
	}
	if (status && (s->from_ap || s->code != 0)) {
		cJSON_AddNumberToObject(o, "status", s->code);
		cJSON_AddStringToObject(o, "name",
		    ieee80211_status_name(s->code));
	} else if (reason) {
		cJSON_AddNumberToObject(o, "reason", s->code);
		cJSON_AddStringToObject(o, "name",
		    ieee80211_reason_name(s->code));
	}
	return o;
}

/* The code behind a station's state: a status, a reason, or none. */
static void
station_code(cJSON *o, const struct wifi_join_station *st)
{
	switch (st->state) {
	case WIFI_JOIN_AUTH_REFUSED:
	case WIFI_JOIN_ASSOC_REFUSED:
		cJSON_AddNumberToObject(o, "status", st->code);
		cJSON_AddStringToObject(o, "name",
		    ieee80211_status_name(st->code));
		break;
	case WIFI_JOIN_DEAUTHENTICATED:
	case WIFI_JOIN_DISASSOCIATED:
		cJSON_AddNumberToObject(o, "reason", st->code);
		cJSON_AddStringToObject(o, "name",
		    ieee80211_reason_name(st->code));
		cJSON_AddStringToObject(o, "by", st->code_from_ap ? "ap" :
		    "station");
		break;
	case WIFI_JOIN_WRONG_PASSWORD:
		if (st->pw_reason != 0) {
			cJSON_AddNumberToObject(o, "reason", st->pw_reason);
			cJSON_AddStringToObject(o, "name",
			    ieee80211_reason_name(st->pw_reason));
			cJSON_AddStringToObject(o, "by", "ap");
		}
		break;
	default:
		break;
	}
}

/*
 * facts.wifi.stations[]: each station's join (wifi_join.h), its final
 * state, the counters and the last steps.  Documented in
 * docs/report-schema.md.
 */
/*
 * Is `bssid` one of the access points of the network the user asked about
 * (--ssid, or the network a live check is on)?  The JSON lists are capped,
 * and that network's entries are listed first so the cap never hides them.
 */
static bool
bssid_wanted(const struct netmap *nm, const uint8_t bssid[6])
{
	const struct netmap_bss *b;

	if (!nm->want.set || (b = netmap_bss_find(nm, bssid)) == NULL ||
	    !b->has_facts)
		return false;
	return b->w.ssid.len == nm->want.ssid_len &&
	    memcmp(b->w.ssid.s, nm->want.ssid, nm->want.ssid_len) == 0;
}

/*
 * The order to list n entries in, at most `cap`: those of the wanted
 * network first, then the rest, each in table order.  `bssid_of` gives
 * entry i's BSSID (NULL when unknown).  Returns how many are in idx.
 */
static size_t
listing_order(const struct netmap *nm, size_t n, size_t cap,
    const uint8_t *(*bssid_of)(const struct netmap *, size_t), size_t *idx)
{
	size_t i, k = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n && k < cap; i++) {
			const uint8_t *b = bssid_of(nm, i);
			bool w = b != NULL && bssid_wanted(nm, b);

			if (w == (pass == 0))
				idx[k++] = i;
		}
	return k;
}

static const uint8_t *
station_bssid(const struct netmap *nm, size_t i)
{
	return nm->join.sta[i].bssid;
}

static const uint8_t *
client_bssid(const struct netmap *nm, size_t i)
{
	return nm->client[i].bss >= 0 ? nm->bss[nm->client[i].bss].w.bssid :
	    NULL;
}

/*
 * facts.wifi.stations[].timers: the AP's timers as the station met them
 * over the capture (wifi_join.h): group rekeys and the interval between
 * them (and the G1 retries not counted), pairwise rekeys and how long the
 * PTK had lived before each, inactivity (reason 4) disconnects and how long the station had
 * been silent before the last one.  Measured, never assumed: a figure the
 * capture does not show is null.
 */
static void
station_timers(cJSON *o, const struct wifi_join_station *st)
{
	cJSON *t = cJSON_AddObjectToObject(o, "timers");

	cJSON_AddNumberToObject(t, "group_rekeys", st->rekeys);
	if (st->rekey_min_gap_us > 0) {
		cJSON_AddNumberToObject(t, "rekey_interval_min_s",
		    round(st->rekey_min_gap_us / 1e3) / 1e3);
		cJSON_AddNumberToObject(t, "rekey_interval_max_s",
		    round(st->rekey_max_gap_us / 1e3) / 1e3);
	} else {
		cJSON_AddNullToObject(t, "rekey_interval_min_s");
		cJSON_AddNullToObject(t, "rekey_interval_max_s");
	}
	cJSON_AddNumberToObject(t, "group_rekey_retries", st->rekey_retries);
	cJSON_AddNumberToObject(t, "pairwise_rekeys", st->ptk_rekeys);
	if (st->ptk_min_gap_us > 0) {
		cJSON_AddNumberToObject(t, "pairwise_rekey_after_min_s",
		    round(st->ptk_min_gap_us / 1e3) / 1e3);
		cJSON_AddNumberToObject(t, "pairwise_rekey_after_max_s",
		    round(st->ptk_max_gap_us / 1e3) / 1e3);
	} else {
		cJSON_AddNullToObject(t, "pairwise_rekey_after_min_s");
		cJSON_AddNullToObject(t, "pairwise_rekey_after_max_s");
	}
	cJSON_AddNumberToObject(t, "inactivity_disconnects", st->idle_leaves);
	if (st->idle_leaves > 0 && st->idle_before_us > 0)
		cJSON_AddNumberToObject(t, "idle_before_disconnect_s",
		    round(st->idle_before_us / 1e3) / 1e3);
	else
		cJSON_AddNullToObject(t, "idle_before_disconnect_s");
}

static void
facts_stations(cJSON *d, const struct netmap *nm)
{
	const struct wifi_join *j = &nm->join;
	size_t idx[NETREPORT_CLIENTS_LISTED], nidx, ii;
	static const char *const msg_keys[WIFI_JOIN_MSGS] = {
		NULL, "m1", "m2", "m3", "m4", "g1", "g2", "requests"
	};
	cJSON *a, *o, *x, *steps;
	char mac[18];
	size_t k;

	cJSON_AddNumberToObject(d, "stations_total", (double)j->nsta);
	nidx = listing_order(nm, j->nsta, NETREPORT_CLIENTS_LISTED,
	    station_bssid, idx);
	cJSON_AddNumberToObject(d, "stations_not_listed",
	    (double)(j->nsta - nidx));
	a = cJSON_AddArrayToObject(d, "stations");
	for (ii = 0; ii < nidx; ii++) {
		const struct wifi_join_station *st = &j->sta[idx[ii]];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "mac", mac_format(st->sta, mac));
		cJSON_AddStringToObject(o, "bssid",
		    mac_format(st->bssid, mac));
		cJSON_AddStringToObject(o, "state", wifi_join_state_name(
		    (enum wifi_join_state)st->state));
		cJSON_AddBoolToObject(o, "failed", wifi_join_failed(st));
		station_code(o, st);
		cJSON_AddNumberToObject(o, "refusals", st->refusals);
		if (st->refusals > 0) {
			x = cJSON_AddObjectToObject(o, "last_refusal");
			cJSON_AddStringToObject(x, "frame",
			    st->last_refusal_assoc ? "assoc-resp" : "auth");
			cJSON_AddNumberToObject(x, "status", st->last_refusal);
			cJSON_AddStringToObject(x, "name",
			    ieee80211_status_name(st->last_refusal));
		} else
			cJSON_AddNullToObject(o, "last_refusal");
		x = cJSON_AddObjectToObject(o, "eapol");
		for (k = 1; k < WIFI_JOIN_MSGS; k++)
			cJSON_AddNumberToObject(x, msg_keys[k], st->msgs[k]);
		cJSON_AddNumberToObject(o, "joins", st->joins);
		station_timers(o, st);
		add_time(o, "first_s", j, st->first_us);
		add_time(o, "last_s", j, st->last_us);
		steps = cJSON_AddArrayToObject(o, "steps");
		for (k = 0; k < st->nsteps; k++)
			cJSON_AddItemToArray(steps, step_json(j,
			    wifi_join_step_at(st, k)));
		cJSON_AddNumberToObject(o, "steps_dropped", st->steps_dropped);
		cJSON_AddItemToArray(a, o);
	}
}

static void
facts_wifi(struct report *r, const struct netmap *nm)
{
	cJSON *d = report_facts(r, "wifi"), *a, *o;
	char mac[18];
	size_t i, nodata = 0, idx[NETREPORT_CLIENTS_LISTED], nidx, ii;

	if (d == NULL)
		return;
	for (i = 0; i < nm->nbss; i++)
		if (!nm->bss[i].has_facts)
			nodata++;
	cJSON_AddNumberToObject(d, "bss_total", (double)nm->nbss);
	cJSON_AddNumberToObject(d, "bss_without_beacon", (double)nodata);
	cJSON_AddNumberToObject(d, "clients_total", (double)nm->nclient);
	nidx = listing_order(nm, nm->nclient, NETREPORT_CLIENTS_LISTED,
	    client_bssid, idx);
	cJSON_AddNumberToObject(d, "clients_not_listed",
	    (double)(nm->nclient - nidx));
	a = cJSON_AddArrayToObject(d, "clients");
	for (ii = 0; ii < nidx; ii++) {
		const struct netmap_client *c = &nm->client[idx[ii]];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "mac", mac_format(c->mac, mac));
		add_str(o, "bssid", c->bss >= 0 ?
		    mac_format(nm->bss[c->bss].w.bssid, mac) : NULL);
		add_str(o, "vendor", oui_vendor(c->mac));
		cJSON_AddNumberToObject(o, "frames", c->frames);
		cJSON_AddItemToArray(a, o);
	}
	a = cJSON_AddArrayToObject(d, "events");
	for (i = 0; i < nm->nevent; i++) {
		const struct netmap_event *e = &nm->event[i];
		bool status = e->kind == NETMAP_EV_AUTH ||
		    e->kind == NETMAP_EV_ASSOC_RESP;

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", netmap_event_kind_name(
		    (enum netmap_event_kind)e->kind));
		cJSON_AddStringToObject(o, "bssid", mac_format(e->bssid, mac));
		cJSON_AddStringToObject(o, "from", mac_format(e->from, mac));
		cJSON_AddStringToObject(o, "to", mac_format(e->to, mac));
		cJSON_AddStringToObject(o, status ? "status" : "reason",
		    status ? ieee80211_status_name(e->code) :
		    ieee80211_reason_name(e->code));
		cJSON_AddNumberToObject(o, "code", e->code);
		cJSON_AddNumberToObject(o, "count", e->count);
		cJSON_AddItemToArray(a, o);
	}
	facts_stations(d, nm);
	o = cJSON_AddObjectToObject(d, "overflow");
	cJSON_AddNumberToObject(o, "stations", nm->join.overflow);
	cJSON_AddNumberToObject(o, "stations_wanted",
	    nm->join.overflow_wanted);
	cJSON_AddNumberToObject(o, "stations_unknown",
	    nm->join.overflow_unknown);
	cJSON_AddNumberToObject(o, "bss", nm->overflow.bss);
	cJSON_AddNumberToObject(o, "clients", nm->overflow.clients);
	cJSON_AddNumberToObject(o, "dhcp_servers", nm->overflow.dhcp_servers);
	cJSON_AddNumberToObject(o, "dhcp_clients", nm->overflow.dhcp_clients);
	cJSON_AddNumberToObject(o, "dns", nm->overflow.dns);
	cJSON_AddNumberToObject(o, "http", nm->overflow.http);
	cJSON_AddNumberToObject(o, "flows", nm->overflow.flows);
	cJSON_AddNumberToObject(o, "devices", nm->overflow.devices);
	cJSON_AddNumberToObject(o, "events", nm->overflow.events);
	cJSON_AddNumberToObject(o, "scan_bss", nm->overflow.scan_bss);
}

static void
facts_coap(struct report *r, const struct capture_stats *st)
{
	cJSON *d = report_facts(r, "coap"), *a, *o;
	char code[16], tok[17];
	size_t i, j;

	if (d == NULL)
		return;
	cJSON_AddNumberToObject(d, "messages", (double)st->coap);
	cJSON_AddNumberToObject(d, "presence", (double)st->presence);
	a = cJSON_AddArrayToObject(d, "first");
	for (i = 0; i < st->ncoap_msg; i++) {
		const struct capture_coap *k = &st->coap_msg[i];

		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "packet", (double)k->packet);
		cJSON_AddStringToObject(o, "type", coapmsg_type_name(k->type));
		cJSON_AddStringToObject(o, "code",
		    coapmsg_code_str(k->code, code, sizeof(code)));
		cJSON_AddNumberToObject(o, "mid", k->mid);
		for (j = 0; j < k->token_len && j < 8; j++)
			snprintf(tok + 2 * j, 3, "%02x", k->token[j]);
		tok[2 * j] = '\0';
		cJSON_AddStringToObject(o, "token", tok);
		add_text(o, "uri_path", k->path, strlen(k->path));
		cJSON_AddNumberToObject(o, "sport", k->sport);
		cJSON_AddNumberToObject(o, "dport", k->dport);
		cJSON_AddItemToArray(a, o);
	}
}

/* ---- forum fields -------------------------------------------------------- */

int
netreport_subject(const struct netmap *nm, const struct judge_result *jr)
{
	if (jr->focus >= 0)
		return jr->focus;
	if (!jr->ssid_given && nm->nnet == 1)
		return 0;
	return -1;
}

void
netreport_forum(struct report *r, const struct netmap *nm,
    const struct judge_result *jr, struct netreport_forum *buf)
{
	const struct netmap_net *n;
	const struct netmap_bss *b;
	int ni = netreport_subject(nm, jr);

	if (ni < 0)
		return;
	n = &nm->net[ni];
	b = &nm->bss[jr->net[ni].best_bss >= 0 ? jr->net[ni].best_bss :
	    n->first];
	/* A guess from the radio: the user's --router, if any, wins. */
	if (router_text(nm, n, buf->router, sizeof(buf->router)) != NULL)
		r->forum.router_guess = buf->router;
	snprintf(buf->security, sizeof(buf->security), "%s, PMF %s",
	    wifi_security_name(b->w.security), wifi_pmf_name(b->w.pmf));
	r->forum.security = buf->security;
	snprintf(buf->topology, sizeof(buf->topology),
	    "%u BSSID(s) on %s%s%s GHz%s%s", n->nbss,
	    n->band_24 ? "2.4" : "", n->band_24 && n->band_5 ? "+" : "",
	    n->band_5 ? "5" : "", n->band_6 ? "+6" : "",
	    n->hidden ? ", hidden SSID" : "");
	r->forum.topology = buf->topology;
}

/* ---- filling a report ---------------------------------------------------- */

void
netreport_facts(struct report *r, const struct netmap *nm,
    const struct capture_stats *st)
{
	facts_wifi(r, nm);
	facts_dhcp(r, nm);
	facts_dns(r, nm);
	facts_http(r, nm);
	facts_cloud(r, nm);
	facts_devices(r, nm);
	if (st != NULL)
		facts_coap(r, st);
}

void
netreport_fill(struct report *r, const struct netmap *nm,
    const struct judge_result *jr, const struct capture_stats *st,
    struct netreport_forum *buf)
{
	r->networks = netreport_networks(nm, jr);
	netreport_facts(r, nm, st);
	netreport_forum(r, nm, jr, buf);
	netreport_evidence(r, nm, jr, st);
}

void
netreport_evidence(struct report *r, const struct netmap *nm,
    const struct judge_result *jr, const struct capture_stats *st)
{
	bool radio = nm->nbss > 0 || nm->nclient > 0 || nm->nevent > 0;

	if (st != NULL)
		radio = radio || linklayer_kind(st->dlt) == LINKLAYER_WIFI ||
		    st->wifi_mgmt + st->wifi_data + st->wifi_ctrl > 0;
	report_expect(r, STAGE_BIT(STAGE_DHCP) | STAGE_BIT(STAGE_INTERNET) |
	    STAGE_BIT(STAGE_CLOUD) | (radio ? STAGE_BIT(STAGE_WIFI) : 0));
	report_seen(r, jr->seen);
}

/* ---- text table ------------------------------------------------- */

int
netreport_print_table(FILE *f, const struct netmap *nm,
    const struct judge_result *jr, const char *none)
{
	enum finding_id ids[FINDING_COUNT];
	char ssid[140], sig[16], chans[48], why[200], mac[18];
	const struct netmap_bss *b;
	size_t i, k, n;
	int bi, len;

	if (nm->nnet == 0) {
		fprintf(f, "\n%s\n\n", none);
		return ferror(f) ? -1 : 0;
	}
	fprintf(f, "\n%-24s %-5s %-6s %-12s %-16s %-8s %-4s %s\n", "SSID",
	    "BSS", "band", "channel", "security", "signal", "join", "why not");
	for (i = 0; i < nm->nnet; i++) {
		const struct netmap_net *net = &nm->net[i];
		const struct judge_net *jn = &jr->net[i];

		b = &nm->bss[net->first];
		if (net->ssid_len == 0)
			snprintf(ssid, sizeof(ssid), "(hidden) %s",
			    mac_format(b->w.bssid, mac) + 9);
		else
			netreport_text((const char *)net->ssid, net->ssid_len, ssid,
			    sizeof(ssid));
		chans[0] = '\0';
		len = 0;
		for (bi = net->first; bi >= 0 && len < 40;
		    bi = nm->bss[bi].next_in_net)
			len += snprintf(chans + len,
			    sizeof(chans) - (size_t)len, "%s%u",
			    len ? "," : "", nm->bss[bi].w.channel);
		if (net->has_signal)
			snprintf(sig, sizeof(sig), "%d dBm", net->best_signal);
		else
			snprintf(sig, sizeof(sig), "-");
		why[0] = '\0';
		len = 0;
		/* Unknown: the ids the frames' unknowns would block on. */
		if (jn->join == JUDGE_JOIN_UNKNOWN)
			len = snprintf(why, sizeof(why), "unknown, may be: ");
		n = judge_ids_list(jn->join == JUDGE_JOIN_UNKNOWN ?
		    jn->undecided : jn->blocking, ids, FINDING_COUNT);
		for (k = 0; k < n && k < FINDING_COUNT &&
		    len < (int)sizeof(why) - 40; k++)
			len += snprintf(why + len, sizeof(why) - (size_t)len,
			    "%s%s", k ? ", " : "", finding_name(ids[k]));
		fprintf(f, "%s%-23.23s %-5u %-6s %-12.12s %-16s %-8s %-4s %s\n",
		    jr->focus == (int)i ? "*" : " ", ssid, net->nbss,
		    net->band_24 ? (net->band_5 || net->band_6 ? "2.4+5" :
		    "2.4") : net->band_5 ? "5" : net->band_6 ? "6" : "?",
		    chans, wifi_security_name(b->w.security), sig,
		    jn->join == JUDGE_JOIN_YES ? "yes" :
		    jn->join == JUDGE_JOIN_UNKNOWN ? "?" : "no", why);
	}
	for (i = 0; i < nm->nbss; i++)
		if (chan_note(&nm->bss[i].w, why, sizeof(why)) != NULL)
			fprintf(f, "  note: %s\n", why);
	fprintf(f, "\n");
	return ferror(f) ? -1 : 0;
}

int
netreport_print_seen(FILE *f, const struct netmap *nm)
{
	char a[64], b[64];
	size_t i;

	for (i = 0; i < nm->ndhcp_server; i++)
		fprintf(f, "DHCP server %s: %u offer(s), %u ack(s), "
		    "%u nak(s)\n",
		    ip4_str(nm->dhcp_server[i].server_id, a, sizeof(a)),
		    nm->dhcp_server[i].offers, nm->dhcp_server[i].acks,
		    nm->dhcp_server[i].naks);
	for (i = 0; i < nm->nflow; i++)
		fprintf(f, "TCP %s -> %s:%u: %s\n",
		    addr_str(nm->flow[i].family, nm->flow[i].device, a,
		    sizeof(a)), addr_str(nm->flow[i].family, nm->flow[i].cloud,
		    b, sizeof(b)), nm->flow[i].cloud_port,
		    netmap_flow_outcome_name(
		    netmap_flow_outcome(&nm->flow[i])));
	for (i = 0; i < nm->ndevice; i++)
		fprintf(f, "Particle device %s announced itself from %s\n",
		    nm->device[i].id, nm->device[i].family != 0 ?
		    addr_str(nm->device[i].family, nm->device[i].addr, a,
		    sizeof(a)) : "?");
	if (nm->ndhcp_server + nm->nflow + nm->ndevice > 0)
		fprintf(f, "\n");
	return ferror(f) ? -1 : 0;
}

