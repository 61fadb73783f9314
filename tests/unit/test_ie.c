/*
 * test_ie.c - the element walker and decoder against real frames (SSID,
 * rates with the basic flag and DS channel as tcpdump printed them in the
 * exthdr and meshid .out files, the Mesh ID, the aircrack-ng beacons, and
 * the malformed oobr captures), then synthetic element buffers for what no
 * capture covers: hidden SSID forms, membership selectors, truncated RSN
 * forms, WPA and WPS vendor elements, HT/VHT/HE operation, Country, bad
 * lengths, overruns and trailing garbage.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ie.h"
#include "ieee80211.h"
#include "radiotap.h"
#include "test.h"
#include "wifi_util.h"

/* Packet i's elements; -1 when the frame carries none. */
static int
pkt_ies(int i, struct ieee80211_frame *wf, struct ie_info *ie)
{
	struct radiotap_info ri;

	memset(ie, 0, sizeof(*ie));
	if (radiotap_decode(wpkt[i].dlt, wpkt[i].data, wpkt[i].len, &ri) != 0 ||
	    ieee80211_decode(wpkt[i].data + ri.frame_off, ri.frame_len,
	    wf) != 0 || wf->ies == NULL)
		return -1;
	ie_parse(wf->ies, wf->ies_len, ie);
	return 0;
}

/*
 * tcpdump's "(SSID) [r1* r2 ... Mbit] ... CH: n" against our decode of the
 * same packet.  Returns 1 when the line had something to compare.
 */
static int
compare_line(const char *line, const struct ie_info *ie, const char *what)
{
	char d[400], ssid[64];
	const char *p, *q;
	int k = 0, ch;

	p = strstr(line, "Probe Request (");
	if (p == NULL)
		p = strstr(line, "Probe Response (");
	if (p == NULL)
		p = strstr(line, "Beacon (");
	if (p == NULL)
		return 0;
	p = strchr(p, '(') + 1;
	q = strchr(p, ')');
	if (q == NULL || (size_t)(q - p) >= sizeof(ssid))
		return 0;
	memcpy(ssid, p, (size_t)(q - p));
	ssid[q - p] = '\0';
	snprintf(d, sizeof(d), "%s: SSID \"%s\"", what, ssid);
	test_cond(d, ie->ssid.v.len == strlen(ssid) &&
	    memcmp(ie->ssid.v.p, ssid, ie->ssid.v.len) == 0);
	snprintf(d, sizeof(d), "%s: SSID form", what);
	expect_int(d, ssid[0] ? IE_SSID_VISIBLE : IE_SSID_EMPTY,
	    ie->ssid.form);

	if ((p = strchr(q, '[')) != NULL && strstr(p, "Mbit]") != NULL) {
		p++;
		while (*p != 'M') {
			double r;
			int used;
			bool basic;

			if (sscanf(p, "%lf%n", &r, &used) != 1)
				break;
			p += used;
			basic = *p == '*';
			if (basic)
				p++;
			while (*p == ' ')
				p++;
			snprintf(d, sizeof(d), "%s: rate %d", what, k);
			if (k >= ie->rates.n) {
				test_cond(d, false);
				break;
			}
			expect_int(d, (int)(r * 2 + 0.5),
			    ie->rates.rate[k] & 0x7f);
			snprintf(d, sizeof(d), "%s: rate %d basic flag", what,
			    k);
			expect_int(d, basic, (ie->rates.rate[k] & 0x80) != 0);
			k++;
		}
		snprintf(d, sizeof(d), "%s: rates compared", what);
		test_cond(d, k > 0);
	}
	if ((p = strstr(line, "CH: ")) != NULL && sscanf(p + 4, "%d", &ch) ==
	    1) {
		snprintf(d, sizeof(d), "%s: DS channel", what);
		test_cond(d, ie->has_ds);
		expect_int(d, ch, ie->ds_channel);
	}
	if ((p = strstr(line, "(MESHID: ")) != NULL) {
		p += strlen("(MESHID: ");
		q = strchr(p, ')');
		snprintf(d, sizeof(d), "%s: Mesh ID", what);
		test_cond(d, q != NULL && ie->has_mesh_id &&
		    ie->mesh_id.len == (size_t)(q - p) &&
		    memcmp(ie->mesh_id.p, p, ie->mesh_id.len) == 0);
	}
	return 1;
}

static void
test_golden_out(const char *caps, const char *pcap, const char *out,
    int min_compared)
{
	char dir[1100], line[4096], d[200];
	int i, compared = 0;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	if (wpkt_load(dir, pcap) <= 0)
		return;
	for (i = 0; i < wpkt_n; i++) {
		struct ieee80211_frame wf;
		struct ie_info ie;

		if (!wpkt_out_line(dir, out, i + 1, line, sizeof(line)) ||
		    pkt_ies(i, &wf, &ie) != 0)
			continue;
		snprintf(d, sizeof(d), "%s #%d", pcap, i + 1);
		compared += compare_line(line, &ie, d);
		snprintf(d, sizeof(d), "%s #%d elements complete", pcap, i + 1);
		test_cond(d, !ie.truncated);
	}
	snprintf(d, sizeof(d), "%s: frames compared", pcap);
	test_cond(d, compared >= min_compared);
}

static void
test_aircrack(const char *caps)
{
	static const struct {
		const char	*file;
		const char	*ssid;
		bool		 rsn;
	} cases[] = {
		/* SSIDs as MANIFEST.md names them. */
		{ "wpa2.eapol.cap", "Harkonen", true },
		{ "wep.open.system.authentication.cap", "teddy", false },
		{ "test-pmkid.pcap", "WLAN-771698", true },
		{ "MOM1.cap", "MOM1", true },
	};
	char dir[1100], d[200];
	size_t k;

	snprintf(dir, sizeof(dir), "%s/aircrack-ng", caps);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ieee80211_frame wf;
		struct ie_info ie;
		int i, found = 0;

		if (wpkt_load(dir, cases[k].file) <= 0)
			continue;
		for (i = 0; i < wpkt_n && !found; i++) {
			if (pkt_ies(i, &wf, &ie) != 0 ||
			    wf.subtype != WLAN_MGMT_BEACON)
				continue;
			found = 1;
			snprintf(d, sizeof(d), "%s beacon SSID", cases[k].file);
			test_cond(d, ie.ssid.form == IE_SSID_VISIBLE &&
			    ie.ssid.v.len == strlen(cases[k].ssid) &&
			    memcmp(ie.ssid.v.p, cases[k].ssid,
			    ie.ssid.v.len) == 0);
			snprintf(d, sizeof(d), "%s RSN", cases[k].file);
			expect_int(d, cases[k].rsn, ie.rsn.present);
			if (cases[k].rsn) {
				snprintf(d, sizeof(d), "%s RSN v1 complete",
				    cases[k].file);
				test_cond(d, ie.rsn.version == 1 &&
				    ie.rsn.has_akm && !ie.rsn.truncated);
			}
			snprintf(d, sizeof(d), "%s DS channel", cases[k].file);
			test_cond(d, ie.has_ds && ie.ds_channel >= 1 &&
			    ie.ds_channel <= 14);
		}
		snprintf(d, sizeof(d), "%s has a beacon", cases[k].file);
		test_cond(d, found);
	}
}

static void
test_malformed(const char *caps)
{
	static const char *files[] = {
		"ieee802.11_rates_oobr.pcap",
		"ieee802.11_tim_ie_oobr.pcap",
		"ieee802.11_parse_elements_oobr.pcap",
		"ieee802.11_meshhdr-oobr.pcap",
	};
	char dir[1100], d[200];
	size_t f;
	int i, flagged = 0;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		if (wpkt_load(dir, files[f]) < 1)
			continue;
		for (i = 0; i < wpkt_n; i++) {
			struct ieee80211_frame wf;
			struct ie_info ie;

			if (pkt_ies(i, &wf, &ie) != 0)
				continue;
			/* tcpdump printed [|802.11]: some part was cut. */
			snprintf(d, sizeof(d), "%s #%d flagged", files[f],
			    i + 1);
			test_cond(d, ie.truncated || ie.n_bad_len > 0 ||
			    wf.truncated);
			flagged++;
			if (ie.ssid.v.p != NULL) {
				snprintf(d, sizeof(d), "%s #%d ssid inside",
				    files[f], i + 1);
				test_cond(d, ie.ssid.v.p >= wf.ies &&
				    ie.ssid.v.p + ie.ssid.v.len <= wf.ies +
				    wf.ies_len);
			}
		}
	}
	test_cond("malformed: frames with elements examined", flagged >= 3);
}

/* --- synthetic element buffers ------------------------------------- */

struct ebuf {
	uint8_t		 b[1024];
	size_t		 n;
};

static void
el(struct ebuf *e, uint8_t id, const void *body, size_t len)
{
	e->b[e->n++] = id;
	e->b[e->n++] = (uint8_t)len;
	memcpy(e->b + e->n, body, len);
	e->n += len;
}

/* Parse from an exact-size heap copy, kept until the next call. */
static int
parse(const struct ebuf *e, struct ie_info *ie)
{
	static uint8_t *keep;

	free(keep);
	keep = malloc(e->n ? e->n : 1);
	memcpy(keep, e->b, e->n);
	return ie_parse(keep, e->n, ie);
}

static void
test_synthetic_ssid(void)
{
	struct ebuf e;
	struct ie_info ie;
	uint8_t zero[32] = { 0 };

	e.n = 0;
	el(&e, EID_SSID, "", 0);
	parse(&e, &ie);
	expect_int("synthetic hidden SSID length 0", IE_SSID_EMPTY,
	    ie.ssid.form);
	e.n = 0;
	el(&e, EID_SSID, zero, 1);
	parse(&e, &ie);
	expect_int("synthetic hidden SSID one zero byte", IE_SSID_ZEROED,
	    ie.ssid.form);
	e.n = 0;
	el(&e, EID_SSID, zero, 9);		/* "HomeWiFi5" blanked */
	parse(&e, &ie);
	expect_int("synthetic hidden SSID real length blanked",
	    IE_SSID_ZEROED, ie.ssid.form);
	expect_int("synthetic blanked SSID keeps its length", 9,
	    ie.ssid.v.len);
	e.n = 0;
	el(&e, EID_SSID, "a\0b", 3);
	parse(&e, &ie);
	expect_int("synthetic SSID with a NUL is visible", IE_SSID_VISIBLE,
	    ie.ssid.form);
	e.n = 0;
	el(&e, EID_SSID, "first", 5);
	el(&e, EID_SSID, "second", 6);
	parse(&e, &ie);
	expect_int("synthetic two SSIDs: first wins", 5, ie.ssid.v.len);
	e.n = 0;
	e.b[e.n++] = EID_SSID;
	e.b[e.n++] = 33;
	memset(e.b + e.n, 'x', 33);
	e.n += 33;
	expect_int("synthetic SSID of 33 bytes: still parses", 0,
	    parse(&e, &ie));
	test_cond("synthetic SSID of 33: bad length, skipped",
	    ie.n_bad_len == 1 && ie.first_bad_id == EID_SSID &&
	    ie.ssid.form == IE_SSID_ABSENT);
	expect_int("synthetic no SSID element", IE_SSID_ABSENT,
	    (e.n = 0, parse(&e, &ie), ie.ssid.form));
}

static void
test_synthetic_rates(void)
{
	static const uint8_t nonly[] = { 0x8c, 0x98, 0xb0, 0xff };
	static const uint8_t ext[] = { 0x30, 0x48, 0x60, 0x6c, 0xfe, 0xfa,
		0xf9, 0xfb };
	struct ebuf e;
	struct ie_info ie;

	/* synthetic n-only: the HT selector (127) among the basic rates. */
	e.n = 0;
	el(&e, EID_SUPP_RATES, "", 0);		/* empty first: ignored */
	el(&e, EID_SUPP_RATES, nonly, sizeof(nonly));
	el(&e, EID_EXT_SUPP_RATES, ext, sizeof(ext));
	expect_int("synthetic rates parse", 0, parse(&e, &ie));
	test_cond("synthetic n-only: HT selector", ie.rates.selectors &
	    IE_RSEL_HT);
	test_cond("synthetic selectors: VHT HE EHT SAE-H2E",
	    (ie.rates.selectors & (IE_RSEL_VHT | IE_RSEL_HE | IE_RSEL_EHT |
	    IE_RSEL_SAE_H2E)) == (IE_RSEL_VHT | IE_RSEL_HE | IE_RSEL_EHT |
	    IE_RSEL_SAE_H2E));
	expect_int("synthetic rates: selectors taken out", 3 + 4, ie.rates.n);
	expect_int("synthetic rates: 6 Mb/s basic", 0x8c, ie.rates.rate[0]);
	expect_int("synthetic rates: 54 Mb/s in kb/s", 54000,
	    ie_rate_kbps(ie.rates.rate[6]));
	test_cond("synthetic rates: both elements", ie.rates.has_supported &&
	    ie.rates.has_extended);
}

static void
test_synthetic_rsn(void)
{
	/* v1, CCMP group, pairwise CCMP, AKM 802.1X, caps MFPR|MFPC */
	static const uint8_t full[] = { 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0,
		0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 1, 0xc0, 0 };
	static const uint8_t two_akm_cut[] = { 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0,
		0x00, 0x0f, 0xac, 4, 2, 0, 0x00, 0x0f, 0xac, 8 };
	struct ie_rsn r;
	struct ebuf e;
	struct ie_info ie;
	char d[64];
	size_t n;

	expect_int("synthetic enterprise RSN parses", 0,
	    ie_parse_rsn(full, sizeof(full), &r));
	expect_int("synthetic RSN group CCMP", IE_SUITE(IE_OUI_IEEE, 4),
	    r.group);
	expect_int("synthetic RSN AKM 802.1X", IE_SUITE(IE_OUI_IEEE, 1),
	    r.akm[0]);
	expect_str("synthetic RSN AKM name", "802.1X", ie_akm_name(r.akm[0]));
	expect_str("synthetic RSN cipher name", "CCMP",
	    ie_cipher_name(r.pairwise[0]));
	test_cond("synthetic RSN PMF required and capable",
	    (r.caps & IE_RSN_CAP_MFPR) && (r.caps & IE_RSN_CAP_MFPC));

	/* Every truncation point: whole fields are valid, partial are not. */
	for (n = 0; n <= sizeof(full); n++) {
		int rc = ie_parse_rsn(full, n, &r);
		bool boundary = n == 2 || n == 6 || n == 12 || n == 18 ||
		    n == 20;

		snprintf(d, sizeof(d), "synthetic RSN cut at %zu", n);
		expect_int(d, boundary ? 0 : -1, rc);
		test_cond(d, r.truncated == !boundary);
	}
	ie_parse_rsn(full, 6, &r);
	test_cond("synthetic RSN version+group: no pairwise yet",
	    r.has_group && !r.has_pairwise && !r.has_akm);
	ie_parse_rsn(two_akm_cut, sizeof(two_akm_cut), &r);
	test_cond("synthetic RSN AKM count overrun: truncated, first kept",
	    r.truncated && r.n_akm == 1 && r.akm[0] ==
	    IE_SUITE(IE_OUI_IEEE, IE_AKM_SAE));

	/* Through ie_parse: the element's overrun marks the buffer. */
	e.n = 0;
	el(&e, EID_RSN, two_akm_cut, sizeof(two_akm_cut));
	expect_int("synthetic RSN overrun via ie_parse", -1, parse(&e, &ie));
	test_cond("synthetic RSN overrun: ie truncated", ie.truncated &&
	    ie.rsn.present);
}

static void
test_synthetic_vendor(void)
{
	static const uint8_t wpa[] = { 0x00, 0x50, 0xf2, 1, 1, 0,
		0x00, 0x50, 0xf2, 2, 1, 0, 0x00, 0x50, 0xf2, 2, 1, 0,
		0x00, 0x50, 0xf2, 2 };
	uint8_t wps[128];
	size_t n = 0;
	struct ebuf e;
	struct ie_info ie;

	/* WPS: OUI, type 4, then big-endian TLVs (WSC 2.0). */
	memcpy(wps, "\x00\x50\xf2\x04", 4);
	n = 4;
	memcpy(wps + n, "\x10\x4a\x00\x01\x10", 5); n += 5;	/* version */
	memcpy(wps + n, "\x10\x44\x00\x01\x02", 5); n += 5;	/* state */
	memcpy(wps + n, "\x10\x21\x00\x07NETGEAR", 11); n += 11;
	memcpy(wps + n, "\x10\x23\x00\x06R7000P", 10); n += 10;
	memcpy(wps + n, "\x10\x24\x00\x02V1", 6); n += 6;
	memcpy(wps + n, "\x10\x11\x00\x06router", 10); n += 10;

	e.n = 0;
	el(&e, EID_VENDOR, wpa, sizeof(wpa));
	el(&e, EID_VENDOR, wps, n);
	el(&e, EID_VENDOR, "\x50\x6f\x9a\x1c\x00", 5);
	expect_int("synthetic vendor elements parse", 0, parse(&e, &ie));
	test_cond("synthetic WPA element", ie.wpa.present &&
	    ie.wpa.version == 1 && ie.wpa.n_akm == 1);
	expect_str("synthetic WPA AKM name", "PSK", ie_akm_name(ie.wpa.akm[0]));
	expect_str("synthetic WPA cipher TKIP", "TKIP",
	    ie_cipher_name(ie.wpa.pairwise[0]));
	test_cond("synthetic WPS present", ie.wps.present && !ie.wps.truncated);
	test_cond("synthetic WPS manufacturer", ie.wps.manufacturer.len == 7 &&
	    memcmp(ie.wps.manufacturer.p, "NETGEAR", 7) == 0);
	test_cond("synthetic WPS model name", ie.wps.model_name.len == 6 &&
	    memcmp(ie.wps.model_name.p, "R7000P", 6) == 0);
	test_cond("synthetic WPS model number", ie.wps.model_number.len == 2);
	test_cond("synthetic WPS device name", ie.wps.device_name.len == 6);
	test_cond("synthetic WPS state configured", ie.wps.has_state &&
	    ie.wps.state == WPS_STATE_CONFIGURED);
	test_cond("synthetic OWE transition", ie.has_owe_transition);

	/*
	 * synthetic: WPS over two consecutive elements (WSC 2.0, 8.2), the
	 * manufacturer straddling them, the model name whole in the second;
	 * a third, separate WPS element later is ignored.
	 */
	{
		uint8_t f1[16], f2[32];
		size_t n1 = 0, n2 = 0;

		memcpy(f1, "\x00\x50\xf2\x04", 4); n1 = 4;
		memcpy(f1 + n1, "\x10\x44\x00\x01\x01", 5); n1 += 5;
		memcpy(f1 + n1, "\x10\x21\x00\x07NET", 7); n1 += 7;
		memcpy(f2, "\x00\x50\xf2\x04", 4); n2 = 4;
		memcpy(f2 + n2, "GEAR", 4); n2 += 4;
		memcpy(f2 + n2, "\x10\x23\x00\x06R7000P", 10); n2 += 10;
		e.n = 0;
		el(&e, EID_SSID, "x", 1);
		el(&e, EID_VENDOR, f1, n1);
		el(&e, EID_VENDOR, f2, n2);
		el(&e, EID_DS_PARAMS, "\x01", 1);
		el(&e, EID_VENDOR, f1, 4 + 5);
		expect_int("synthetic WPS in two fragments: clean", 0,
		    parse(&e, &ie));
		test_cond("synthetic WPS fragments: not truncated",
		    ie.wps.present && !ie.wps.truncated && !ie.truncated);
		test_cond("synthetic WPS fragments: straddling value skipped",
		    ie.wps.manufacturer.p == NULL);
		test_cond("synthetic WPS fragments: model name from the second",
		    ie.wps.model_name.len == 6 &&
		    memcmp(ie.wps.model_name.p, "R7000P", 6) == 0);
		test_cond("synthetic WPS fragments: state, first kept",
		    ie.wps.has_state && ie.wps.state == WPS_STATE_UNCONFIGURED);
		/* The run ending inside an attribute is a truncation. */
		e.n = 0;
		el(&e, EID_VENDOR, f1, n1);
		expect_int("synthetic WPS fragment missing: truncated", -1,
		    parse(&e, &ie));
		test_cond("synthetic WPS fragment missing: state kept",
		    ie.wps.truncated && ie.wps.has_state);
	}

	/* An attribute longer than the element. */
	wps[n - 7] = 0x40;			/* device name length */
	e.n = 0;
	el(&e, EID_VENDOR, wps, n);
	expect_int("synthetic WPS attribute overrun", -1, parse(&e, &ie));
	test_cond("synthetic WPS overrun: earlier attributes kept",
	    ie.wps.truncated && ie.wps.manufacturer.len == 7);
}

static void
test_synthetic_ht_vht_he_country(void)
{
	uint8_t ht[22] = { 0 }, vht[5] = { 0 }, he[12] = { 0 };
	uint8_t hecap[22];
	struct ebuf e;
	struct ie_info ie;

	/* synthetic HT 40 MHz: primary 6, secondary above. */
	ht[0] = 6;
	ht[1] = IE_HT_SEC_ABOVE | 0x04;
	e.n = 0;
	el(&e, EID_HT_OPERATION, ht, sizeof(ht));
	parse(&e, &ie);
	test_cond("synthetic HT op 40 above", ie.ht_op.present &&
	    ie.ht_op.width_mhz == 40 && ie.ht_op.secondary_channel == 10);
	ht[0] = 11;
	ht[1] = IE_HT_SEC_BELOW | 0x04;
	e.n = 0;
	el(&e, EID_HT_OPERATION, ht, sizeof(ht));
	parse(&e, &ie);
	test_cond("synthetic HT op 40 below", ie.ht_op.width_mhz == 40 &&
	    ie.ht_op.secondary_channel == 7);
	ht[1] = IE_HT_SEC_BELOW;		/* STA channel width: 20 only */
	e.n = 0;
	el(&e, EID_HT_OPERATION, ht, sizeof(ht));
	parse(&e, &ie);
	expect_int("synthetic HT op offset without width bit", 20,
	    ie.ht_op.width_mhz);
	e.n = 0;
	el(&e, EID_HT_OPERATION, ht, 21);
	parse(&e, &ie);
	test_cond("synthetic HT op too short: bad length",
	    !ie.ht_op.present && ie.n_bad_len == 1);

	/* synthetic VHT: 80 at 42; 160 by the 2016 encoding at 50. */
	vht[0] = IE_VHT_WIDTH_80_160;
	vht[1] = 42;
	e.n = 0;
	el(&e, EID_VHT_OPERATION, vht, sizeof(vht));
	parse(&e, &ie);
	expect_int("synthetic VHT 80", 80, ie.vht_op.width_mhz);
	vht[1] = 42;
	vht[2] = 50;
	e.n = 0;
	el(&e, EID_VHT_OPERATION, vht, sizeof(vht));
	parse(&e, &ie);
	expect_int("synthetic VHT 160", 160, ie.vht_op.width_mhz);

	/* synthetic HE operation with 6 GHz info: primary 37, 80 MHz. */
	he[0] = EID_EXT_HE_OPERATION;
	he[1] = 0;
	he[2] = 0;
	he[3] = 0x02;				/* bit 17: 6 GHz info */
	he[4] = 5;				/* BSS color */
	he[7] = 37;
	he[8] = 2;
	he[9] = 39;
	e.n = 0;
	el(&e, EID_EXTENSION, he, 12);
	/* HE Capabilities: ext id, 6 MAC, 11 PHY, one 4-byte MCS map. */
	memset(hecap, 0, sizeof(hecap));
	hecap[0] = EID_EXT_HE_CAP;
	el(&e, EID_EXTENSION, hecap, 22);
	parse(&e, &ie);
	test_cond("synthetic HE 6 GHz op", ie.he_op.present &&
	    ie.he_op.has_6ghz && ie.he_op.primary_6ghz == 37 &&
	    ie.he_op.width_6ghz == 2 && ie.he_op.ccfs0 == 39);
	test_cond("synthetic HE caps", ie.has_he_cap);

	/* synthetic Country US, indoor/outdoor, 2 triplets + pad. */
	e.n = 0;
	el(&e, EID_COUNTRY, "US \x01\x0b\x1e\x24\x04\x17\x00", 10);
	parse(&e, &ie);
	test_cond("synthetic Country", ie.country.present &&
	    strcmp(ie.country.code, "US") == 0 && ie.country.n == 2 &&
	    ie.country.t[0].first == 1 && ie.country.t[0].count == 11 &&
	    ie.country.t[1].first == 36);
	test_cond("synthetic Country: one pad byte is not a cut",
	    !ie.country.truncated && !ie.truncated);

	/* Cut-off parts are marked, never read as absent (issue 10 §3). */
	e.n = 0;
	el(&e, EID_COUNTRY, "US \x01\x0b\x1e\x24\x04", 8);
	parse(&e, &ie);
	test_cond("cut Country triplet: marked", ie.country.truncated &&
	    ie.truncated && ie.country.n == 1);
	he[3] = 0x02;
	e.n = 0;
	el(&e, EID_EXTENSION, he, 9);		/* 6 GHz info: 2 of 4 */
	parse(&e, &ie);
	test_cond("cut HE 6 GHz info: marked, no 6 GHz channel",
	    ie.he_op.present && ie.he_op.truncated && !ie.he_op.has_6ghz &&
	    ie.truncated);
	e.n = 0;
	el(&e, EID_EXTENSION, he, 5);		/* fixed part cut */
	parse(&e, &ie);
	test_cond("cut HE operation: marked", !ie.he_op.present &&
	    ie.he_op.truncated && ie.truncated);
	he[3] = 0;
	e.n = 0;
	el(&e, EID_EXTENSION, he, 7);		/* no optional parts */
	parse(&e, &ie);
	test_cond("whole HE operation without 6 GHz info: not cut",
	    ie.he_op.present && !ie.he_op.truncated && !ie.truncated);
}

/* An AKM list cut off is told apart from a cut elsewhere. */
static void
test_rsn_akm_cut(void)
{
	static const uint8_t akm_cut[] = { 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x02, 0x00, 0x00, 0x0f, 0xac, 0x02 };
	static const uint8_t caps_cut[] = { 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0xc0 };
	struct ie_rsn r;

	expect_int("RSN AKM cut: -1", -1, ie_parse_rsn(akm_cut,
	    sizeof(akm_cut), &r));
	test_cond("RSN AKM cut: akm_cut, one AKM kept", r.truncated &&
	    r.akm_cut && r.n_akm == 1 && !r.has_caps);
	expect_int("RSN caps cut: -1", -1, ie_parse_rsn(caps_cut,
	    sizeof(caps_cut), &r));
	test_cond("RSN caps cut: not an AKM cut", r.truncated && !r.akm_cut &&
	    r.n_akm == 1 && !r.has_caps);
	test_cond("RSN AKM types seen", r.akm_types == 1u << IE_AKM_PSK);
}

static void
test_synthetic_walk(void)
{
	struct ebuf e;
	struct ie_info ie;
	struct ie_iter it;
	int n = 0;

	/* synthetic: an element whose length runs past the buffer. */
	e.n = 0;
	el(&e, EID_SSID, "net", 3);
	el(&e, EID_DS_PARAMS, "\x06", 1);
	e.b[e.n++] = EID_RSN;
	e.b[e.n++] = 40;
	e.b[e.n++] = 1;
	expect_int("synthetic overrun: -1", -1, parse(&e, &ie));
	test_cond("synthetic overrun: truncated, earlier kept",
	    ie.truncated && ie.ssid.form == IE_SSID_VISIBLE &&
	    ie.has_ds && ie.ds_channel == 6 && !ie.rsn.present);
	expect_int("synthetic overrun: elements counted", 2, ie.n_elems);

	/* synthetic: one stray byte after the last element. */
	e.n = 0;
	el(&e, EID_DS_PARAMS, "\x0d", 1);
	e.b[e.n++] = 0xdd;
	expect_int("synthetic trailing byte: -1", -1, parse(&e, &ie));
	test_cond("synthetic trailing byte: channel 13 kept", ie.has_ds &&
	    ie.ds_channel == 13 && ie.truncated);

	/* The walker itself. */
	e.n = 0;
	el(&e, 1, "\x82", 1);
	el(&e, 3, "\x01", 1);
	ie_for_each(&it, e.b, e.n)
		n++;
	expect_int("walker: two elements", 2, n);
	test_cond("walker: completed", ie_iter_completed(&it));
	n = 0;
	ie_for_each(&it, e.b, e.n - 1)
		n++;
	expect_int("walker: cut second element", 1, n);
	test_cond("walker: not completed", !ie_iter_completed(&it));
	ie_for_each(&it, e.b, 0)
		n++;
	test_cond("walker: empty buffer completes", ie_iter_completed(&it));

	/* Unknown ids are walked over and counted. */
	e.n = 0;
	el(&e, 200, "abc", 3);
	el(&e, EID_DS_PARAMS, "\x02\x03", 2);	/* bad length */
	expect_int("synthetic unknown id + bad length: 0", 0, parse(&e, &ie));
	test_cond("synthetic bad length noted", ie.n_bad_len == 1 &&
	    ie.first_bad_id == EID_DS_PARAMS && !ie.has_ds);
	expect_str("ie_name RSN", "RSN", ie_name(EID_RSN));
	expect_str("ie_name unknown", "unknown", ie_name(200));
	expect_str("akm name SAE", "SAE",
	    ie_akm_name(IE_SUITE(IE_OUI_IEEE, IE_AKM_SAE)));
	expect_str("akm name OWE", "OWE",
	    ie_akm_name(IE_SUITE(IE_OUI_IEEE, IE_AKM_OWE)));
	expect_str("cipher unknown OUI", "unknown",
	    ie_cipher_name(IE_SUITE(0x123456, 4)));
}

/*
 * Issue 10 section 3: a PHY element with a bad length is recorded as
 * malformed (present, not decoded), never as absent; the walk says when
 * it was cut; rates past the 32 kept are counted.  Lengths follow hostap:
 * HT needs its fixed fields (longer is read), VHT its exact size, the
 * extensions their fixed fields.
 */
static void
test_malformed_phy_elements(void)
{
	static const struct {
		uint8_t		 id;
		uint8_t		 ext;	/* first body byte for id 255 */
		uint8_t		 len;	/* body length, ext id included */
		uint16_t	 mal;
		const char	*name;
	} bad[] = {
		{ EID_HT_CAP, 0, 25, IE_MAL_HT_CAP, "HT Capabilities" },
		{ EID_HT_OPERATION, 0, 21, IE_MAL_HT_OP, "HT Operation" },
		{ EID_VHT_CAP, 0, 11, IE_MAL_VHT_CAP, "VHT Capabilities" },
		{ EID_VHT_CAP, 0, 13, IE_MAL_VHT_CAP, "VHT Capabilities" },
		{ EID_VHT_OPERATION, 0, 4, IE_MAL_VHT_OP, "VHT Operation" },
		{ EID_DS_PARAMS, 0, 2, IE_MAL_DS, "DS Parameter Set" },
		{ EID_ERP, 0, 0, IE_MAL_ERP, "ERP" },
		{ EID_EXT_SUPP_RATES, 0, 0, IE_MAL_RATES,
		    "Extended Supported Rates" },
		{ EID_EXTENSION, EID_EXT_HE_CAP, 21, IE_MAL_HE_CAP,
		    "HE Capabilities" },
		{ EID_EXTENSION, EID_EXT_HE_OPERATION, 6, IE_MAL_HE_OP,
		    "HE Operation" },
		{ EID_EXTENSION, EID_EXT_EHT_CAP, 14, IE_MAL_EHT_CAP,
		    "EHT Capabilities" },
		{ EID_EXTENSION, EID_EXT_EHT_OPERATION, 5, IE_MAL_EHT_OP,
		    "EHT Operation" },
	};
	uint8_t body[40], rates[40];
	struct ebuf e;
	struct ie_info ie;
	char d[120];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(body, 0, sizeof(body));
		body[0] = bad[i].ext;
		e.n = 0;
		el(&e, EID_SSID, "x", 1);
		el(&e, bad[i].id, body, bad[i].len);
		el(&e, EID_DS_PARAMS, "\x06", 1);
		parse(&e, &ie);
		snprintf(d, sizeof(d), "synthetic %s of %u bytes: malformed, "
		    "walk whole", bad[i].name, bad[i].len);
		test_cond(d, ie.malformed == bad[i].mal && !ie.walk_cut &&
		    ie.n_bad_len == 1);
		snprintf(d, sizeof(d), "synthetic %s of %u bytes: not decoded",
		    bad[i].name, bad[i].len);
		test_cond(d, !ie.ht_cap.present && !ie.ht_op.present &&
		    !ie.has_vht_cap && !ie.vht_op.present && !ie.has_he_cap &&
		    !ie.he_op.present && !ie.has_eht_cap && !ie.has_eht_op &&
		    !ie.has_erp);
		expect_str("malformed bit's name", bad[i].name,
		    ie_malformed_name(bad[i].mal));
		/* One byte longer (shorter for the exact VHT): whole. */
		if (bad[i].id == EID_VHT_CAP || bad[i].id == EID_DS_PARAMS ||
		    bad[i].id == EID_EXT_SUPP_RATES || bad[i].id == EID_ERP)
			continue;
		e.n = 0;
		el(&e, bad[i].id, body, bad[i].len + 1u);
		parse(&e, &ie);
		snprintf(d, sizeof(d), "synthetic %s of %u bytes: well formed",
		    bad[i].name, bad[i].len + 1u);
		test_cond(d, ie.malformed == 0 && ie.n_bad_len == 0);
	}
	test_cond("ie_malformed_name of no bit", ie_malformed_name(0) == NULL);
	test_cond("ie_malformed_name of two bits",
	    ie_malformed_name(IE_MAL_HT_CAP | IE_MAL_HT_OP) == NULL);

	/* HT Operation longer than 22 is read, like hostap. */
	memset(body, 0, sizeof(body));
	body[0] = 11;
	e.n = 0;
	el(&e, EID_HT_OPERATION, body, 24);
	parse(&e, &ie);
	test_cond("synthetic HT Operation of 24: read", ie.ht_op.present &&
	    ie.ht_op.primary_channel == 11 && ie.malformed == 0);

	/* The walk cut inside an element, and one trailing byte. */
	e.n = 0;
	el(&e, EID_SUPP_RATES, "\x82\x84", 2);
	el(&e, EID_HT_CAP, body, 26);
	e.n -= 10;
	expect_int("synthetic HT Capabilities cut: -1", -1, parse(&e, &ie));
	test_cond("synthetic HT Capabilities cut: walk cut, not malformed",
	    ie.walk_cut && ie.malformed == 0 && !ie.ht_cap.present &&
	    ie.rates.n == 2);
	e.n = 0;
	el(&e, EID_SUPP_RATES, "\x82\x84", 2);
	e.b[e.n++] = EID_HT_CAP;
	parse(&e, &ie);
	test_cond("synthetic one trailing byte: walk cut", ie.walk_cut);
	e.n = 0;
	el(&e, EID_SUPP_RATES, "\x82\x84", 2);
	el(&e, EID_COUNTRY, "US ", 3);
	parse(&e, &ie);
	test_cond("synthetic whole list: walk not cut", !ie.walk_cut);

	/* 8 + 32 rates: 32 kept, 8 counted as dropped, selectors kept. */
	e.n = 0;
	memset(rates, 0x30, sizeof(rates));	/* 24 Mb/s, not basic */
	rates[0] = 0x8c;
	el(&e, EID_SUPP_RATES, rates, 8);
	rates[30] = 0xff;			/* HT selector, 31st */
	rates[31] = 0x82;			/* 1 Mb/s basic, 32nd */
	el(&e, EID_EXT_SUPP_RATES, rates, 32);
	parse(&e, &ie);
	expect_int("synthetic 40 rates: 32 kept", IE_RATES_MAX, ie.rates.n);
	expect_int("synthetic 40 rates: 7 dropped (one is a selector)", 7,
	    ie.rates.dropped);
	test_cond("synthetic 40 rates: the selector past 32 still seen",
	    ie.rates.selectors & IE_RSEL_HT);
}

int
main(void)
{
	const char *caps = test_captures("test_ie");

	if (caps != NULL) {
		test_golden_out(caps, "ieee802.11_exthdr.pcap",
		    "ieee802.11_exthdr.out", 12);
		test_golden_out(caps, "ieee802.11_meshid.pcap",
		    "ieee802.11_meshid.out", 3);
		test_aircrack(caps);
		test_malformed(caps);
	}
	test_synthetic_ssid();
	test_synthetic_rates();
	test_synthetic_rsn();
	test_synthetic_vendor();
	test_synthetic_ht_vht_he_country();
	test_rsn_akm_cut();
	test_synthetic_walk();
	test_malformed_phy_elements();
	wpkt_free();
	return test_report();
}
