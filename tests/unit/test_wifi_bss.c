/*
 * test_wifi_bss.c - BSS facts from real beacons and probe responses (the
 * aircrack-ng beacons checked against tshark's reading of the same files,
 * the meshid and exthdr captures against their tcpdump .out), then
 * synthetic beacons, built here frame by frame, for every case no capture
 * covers: n-only, g-only, enterprise, SAE, SAE transition, OWE, PMF
 * required, WPA/WPA2 mixes, WEP group, channel 13, 40/80 MHz, 5 and 6 GHz,
 * hidden SSIDs revealed by a probe response, and the merge rules.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ie.h"
#include "ieee80211.h"
#include "radiotap.h"
#include "test.h"
#include "wifi_util.h"
#include "wifi_bss.h"

/* The whole chain for one packet: radio header, frame, elements, BSS. */
static int
bss_of(const uint8_t *buf, size_t len, int dlt, struct wifi_bss *b)
{
	struct radiotap_info ri;
	struct ieee80211_frame wf;
	struct ie_info ie;

	wifi_bss_init(b);
	if (radiotap_decode(dlt, buf, len, &ri) != 0 ||
	    ieee80211_decode(buf + ri.frame_off, ri.frame_len, &wf) != 0 ||
	    wf.ies == NULL)
		return -1;
	ie_parse(wf.ies, wf.ies_len, &ie);
	return wifi_bss_from_frame(b, &wf, &ie,
	    ri.hdr == RADIO_HDR_NONE ? NULL : &ri);
}

/* --- real captures --------------------------------------------------- */

/*
 * One tshark reading of the first beacon: bssid, ssid (hex), DS channel,
 * RSN AKM types, privacy, WPA AKM suites.  False (and a SKIP) without tshark.
 */
static bool
tshark_beacon(const char *path, char *out, size_t size)
{
	char cmd[2600];
	FILE *p;
	bool ok;

	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y wlan.fc.type_subtype==8 "
	    "-c 1 -T fields -e wlan.bssid -e wlan.ssid "
	    "-e wlan.ds.current_channel -e wlan.rsn.akms.type "
	    "-e wlan.fixed.capabilities.privacy "
	    "-e wlan.wfa.ie.wpa.akms 2>/dev/null", path);
	if ((p = popen(cmd, "r")) == NULL)
		return false;
	ok = fgets(out, (int)size, p) != NULL;
	if (pclose(p) != 0)
		ok = false;
	return ok;
}

static void
test_aircrack_vs_tshark(const char *caps)
{
	static const char *files[] = {
		"wpa2.eapol.cap", "wep.open.system.authentication.cap",
		"test-pmkid.pcap", "MOM1.cap",
	};
	char dir[1100], path[2200], line[1024], d[200];
	size_t f;

	if (system("tshark -v >/dev/null 2>&1") != 0) {
		printf("SKIP test_wifi_bss: tshark missing, aircrack-ng "
		    "beacons not cross-checked\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/aircrack-ng", caps);
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *fld[6] = { 0 }, *s;
		unsigned m[6], ch;
		struct wifi_bss b;
		int i, n = 0, found = 0;
		char ssid_hex[80], *h;
		const char *want;
		bool rsn_psk, rsn_eap, wpa_psk;

		snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
		if (!tshark_beacon(path, line, sizeof(line))) {
			snprintf(d, sizeof(d), "%s: tshark read it", files[f]);
			test_cond(d, false);
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		/* Tab-separated, empty fields kept. */
		for (s = line; n < 6; n++) {
			fld[n] = s;
			if ((s = strchr(s, '\t')) == NULL)
				break;
			*s++ = '\0';
		}
		if (n < 5 || wpkt_load(dir, files[f]) <= 0) {
			test_cond("tshark fields", false);
			continue;
		}
		for (i = 0; i < wpkt_n && !found; i++)
			found = bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt,
			    &b) == 0 && b.frames.beacons == 1;
		snprintf(d, sizeof(d), "%s: beacon found", files[f]);
		test_cond(d, found);
		if (!found)
			continue;
		sscanf(fld[0], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2],
		    &m[3], &m[4], &m[5]);
		snprintf(d, sizeof(d), "%s: bssid as tshark", files[f]);
		for (i = 0; i < 6; i++)
			expect_int(d, m[i], b.bssid[i]);
		h = ssid_hex;
		for (i = 0; i < b.ssid.len && i < 32; i++, h += 2)
			snprintf(h, 3, "%02x", (uint8_t)b.ssid.s[i]);
		*h = '\0';
		snprintf(d, sizeof(d), "%s: ssid as tshark", files[f]);
		expect_str(d, fld[1], ssid_hex);
		ch = (unsigned)atoi(fld[2]);
		snprintf(d, sizeof(d), "%s: channel as tshark", files[f]);
		expect_int(d, ch, b.channel);
		snprintf(d, sizeof(d), "%s: 2.4 GHz from the DS channel",
		    files[f]);
		expect_str(d, "2.4", wifi_band_name(b.band));
		expect_int(d, wifi_channel_to_freq(ch, WIFI_BAND_2G4),
		    b.freq_mhz);
		/* The expected word from tshark's AKM lists. */
		rsn_psk = strchr(fld[3], '2') != NULL;
		rsn_eap = strchr(fld[3], '1') != NULL;
		/* WPA AKM suites as numbers: 0x0050f202 is PSK. */
		wpa_psk = fld[5] != NULL && strstr(fld[5], "5304834") != NULL;
		if (fld[3][0] == '\0' && !wpa_psk)
			want = atoi(fld[4]) ? "wep" : "open";
		else if (rsn_psk)
			want = wpa_psk ? "wpa-wpa2-psk" : "wpa2-psk";
		else if (rsn_eap)
			want = "wpa2-eap";
		else
			want = "wpa-psk";
		snprintf(d, sizeof(d), "%s: security", files[f]);
		expect_str(d, want, wifi_security_name(b.security));
		snprintf(d, sizeof(d), "%s: privacy as tshark", files[f]);
		expect_int(d, atoi(fld[4]), b.privacy);
	}
}

static void
test_manifest_facts(const char *caps)
{
	static const uint8_t bssid[6] = { 0x00, 0x12, 0xbf, 0x77, 0x16, 0x2d };
	char dir[1100];
	struct wifi_bss b;
	int i, found = 0;

	/* MANIFEST.md: "WLAN-771698", BSSID 00:12:BF:77:16:2D. */
	snprintf(dir, sizeof(dir), "%s/aircrack-ng", caps);
	if (wpkt_load(dir, "test-pmkid.pcap") <= 0)
		return;
	for (i = 0; i < wpkt_n && !found; i++)
		found = bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, &b) == 0;
	test_cond("WLAN-771698 found", found);
	expect_mem("WLAN-771698 BSSID", bssid, b.bssid, 6);
	expect_str("WLAN-771698 SSID", "WLAN-771698", b.ssid.s);
	test_cond("WLAN-771698 not hidden", !b.hidden);
	expect_str("WLAN-771698 pmf", "none", wifi_pmf_name(b.pmf));

	/* MANIFEST.md: "Harkonen" is WPA2 (4-way handshake), "teddy" WEP. */
	if (wpkt_load(dir, "wpa2.eapol.cap") > 0) {
		for (i = 0, found = 0; i < wpkt_n && !found; i++)
			found = bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt,
			    &b) == 0;
		test_cond("Harkonen found", found);
		expect_str("Harkonen SSID", "Harkonen", b.ssid.s);
		expect_str("Harkonen security", "wpa2-psk",
		    wifi_security_name(b.security));
	}
	if (wpkt_load(dir, "wep.open.system.authentication.cap") > 0) {
		for (i = 0, found = 0; i < wpkt_n && !found; i++)
			found = bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt,
			    &b) == 0;
		test_cond("teddy found", found);
		expect_str("teddy SSID", "teddy", b.ssid.s);
		expect_str("teddy security", "wep",
		    wifi_security_name(b.security));
	}
}

static void
test_meshid(const char *caps)
{
	char dir[1100], path[2200], line[1024];
	struct wifi_bss acc, b;
	FILE *f;
	int i, n = 0, sig_min = 0, sig_max = -200, sig_last = 0, ch = 0;
	int mhz = 0;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	snprintf(path, sizeof(path), "%s/ieee802.11_meshid.out", dir);
	if (wpkt_load(dir, "ieee802.11_meshid.pcap") <= 0 ||
	    (f = fopen(path, "r")) == NULL)
		return;
	wifi_bss_init(&acc);
	for (i = 0; i < wpkt_n && fgets(line, sizeof(line), f) != NULL; i++) {
		const char *p;
		int s;

		if (bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, &b) != 0)
			continue;
		/* What tcpdump printed for the same frame. */
		if ((p = strstr(line, " MHz")) != NULL) {
			while (p > line && p[-1] != ' ')
				p--;
			mhz = atoi(p);
		}
		if ((p = strstr(line, "dBm signal")) != NULL) {
			while (p > line && p[-1] != ' ')
				p--;
			s = atoi(p);
			sig_min = n == 0 || s < sig_min ? s : sig_min;
			sig_max = s > sig_max ? s : sig_max;
			sig_last = s;
		}
		if ((p = strstr(line, "CH: ")) != NULL)
			ch = atoi(p + 4);
		test_cond("meshid: .out says PRIVACY",
		    strstr(line, "PRIVACY") != NULL && b.privacy);
		if (n++ == 0)
			acc = b;
		else
			expect_int("meshid: merge", 0,
			    wifi_bss_merge(&acc, &b));
	}
	fclose(f);
	expect_int("meshid: beacon + probe response merged", 2, n);
	expect_int("meshid: MHz as .out", mhz, acc.freq_mhz);
	expect_int("meshid: channel as .out", ch, acc.channel);
	expect_str("meshid: band 5", "5", wifi_band_name(acc.band));
	test_cond("meshid: mesh, not hidden", acc.is_mesh && !acc.hidden);
	expect_str("meshid: mesh id", "11s-mesh-network", acc.mesh_id.s);
	expect_int("meshid: signal min as .out", sig_min, acc.signal_min);
	expect_int("meshid: signal max as .out", sig_max, acc.signal_max);
	expect_int("meshid: signal last as .out", sig_last, acc.signal_last);
	expect_int("meshid: frame counts", 1, acc.frames.beacons);
	expect_int("meshid: probe responses", 1, acc.frames.probe_resps);
	/* Its RSN lists SAE; its HT and VHT operation say 80 MHz at 155. */
	expect_str("meshid: security", "wpa3-sae",
	    wifi_security_name(acc.security));
	expect_str("meshid: phy", "ac", wifi_phy_name(acc.phy));
	expect_int("meshid: width", 80, acc.width_mhz);
	test_cond("meshid: channels 149-161", acc.chan_lo == 149 &&
	    acc.chan_hi == 161);
}

static void
test_exthdr(const char *caps)
{
	char dir[1100], path[2200], line[1024];
	struct wifi_bss acc, b;
	FILE *f;
	int i, n = 0, want = 0, ch = -1;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	snprintf(path, sizeof(path), "%s/ieee802.11_exthdr.out", dir);
	if (wpkt_load(dir, "ieee802.11_exthdr.pcap") <= 0 ||
	    (f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *p = strstr(line, "Probe Response");

		if (p == NULL)
			continue;
		want++;
		if ((p = strstr(line, "CH: ")) != NULL)
			ch = atoi(p + 4);
	}
	fclose(f);
	wifi_bss_init(&acc);
	for (i = 0; i < wpkt_n; i++) {
		if (bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, &b) != 0)
			continue;
		if (n++ == 0)
			acc = b;
		else
			wifi_bss_merge(&acc, &b);
	}
	expect_int("exthdr: probe responses as .out", want,
	    acc.frames.probe_resps);
	expect_str("exthdr: SSID", "omus", acc.ssid.s);
	expect_int("exthdr: channel as .out", ch, acc.channel);
	/* Probe responses carry no radiotap frequency: DS gives it. */
	expect_int("exthdr: frequency from DS", 2412, acc.freq_mhz);
	test_cond("exthdr: no signal in these frames", !acc.has_signal);
	/*
	 * tcpdump prints only the first rates element, but these probe
	 * responses also carry HT Capabilities and HT Information (tshark -V
	 * lists them), so the PHY is n, on 20 MHz.
	 */
	expect_str("exthdr: phy", "n", wifi_phy_name(acc.phy));
	expect_int("exthdr: width", 20, acc.width_mhz);
	test_cond("exthdr: 11b basic rates: not g-only", !acc.g_only);
	expect_int("exthdr: basic rates 1 2 5.5 11", 4, acc.n_basic_rates);
}

/* --- synthetic beacons ----------------------------------------------- */

struct frame {
	uint8_t		 b[1024];
	size_t		 n;
};

/*
 * synthetic: radiotap (Channel + dBm signal) + beacon or probe response
 * header and fixed fields; elements are appended with el().
 */
static void
beacon(struct frame *f, uint8_t subtype, const uint8_t bssid[6],
    unsigned freq, int signal, uint16_t cap)
{
	memset(f, 0, sizeof(*f));
	f->b[2] = 13;
	f->b[4] = 1 << 3 | 1 << 5;
	f->b[8] = freq & 0xff;
	f->b[9] = freq >> 8;
	f->b[12] = (uint8_t)signal;
	f->n = 13;
	f->b[f->n] = (uint8_t)(subtype << 4);
	f->n += 4;
	memset(f->b + f->n, 0xff, 6);
	f->n += 6;
	memcpy(f->b + f->n, bssid, 6);
	f->n += 6;
	memcpy(f->b + f->n, bssid, 6);
	f->n += 6 + 2 + 8;			/* seq, timestamp */
	f->b[f->n++] = 100;			/* beacon interval */
	f->b[f->n++] = 0;
	f->b[f->n++] = cap & 0xff;
	f->b[f->n++] = cap >> 8;
}

static void
el(struct frame *f, uint8_t id, const void *body, size_t len)
{
	f->b[f->n++] = id;
	f->b[f->n++] = (uint8_t)len;
	memcpy(f->b + f->n, body, len);
	f->n += len;
}

static int
fbss(const struct frame *f, struct wifi_bss *b)
{
	uint8_t *copy = malloc(f->n);
	int rc;

	memcpy(copy, f->b, f->n);
	rc = bss_of(copy, f->n, RADIO_DLT_RADIOTAP, b);
	free(copy);
	return rc;
}

static const uint8_t B1[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t B2[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x66 };
#define CAP_ESS_PRIV	(WLAN_CAP_ESS | WLAN_CAP_PRIVACY)

static const uint8_t rates_bg[] = { 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12,
	0x18, 0x24 };

/* An RSN element body: version, group, pairwise list, AKM list, caps. */
static size_t
rsn(uint8_t *o, uint8_t group, const uint8_t *pw, int npw,
    const uint8_t *akm, int nakm, uint16_t caps)
{
	size_t n = 0;
	int i;

	o[n++] = 1;
	o[n++] = 0;
	memcpy(o + n, "\x00\x0f\xac", 3);
	n += 3;
	o[n++] = group;
	o[n++] = (uint8_t)npw;
	o[n++] = 0;
	for (i = 0; i < npw; i++) {
		memcpy(o + n, "\x00\x0f\xac", 3);
		n += 3;
		o[n++] = pw[i];
	}
	o[n++] = (uint8_t)nakm;
	o[n++] = 0;
	for (i = 0; i < nakm; i++) {
		memcpy(o + n, "\x00\x0f\xac", 3);
		n += 3;
		o[n++] = akm[i];
	}
	o[n++] = caps & 0xff;
	o[n++] = caps >> 8;
	return n;
}

static void
secure_beacon(struct frame *f, const uint8_t *akm, int nakm, uint16_t caps)
{
	static const uint8_t ccmp[] = { IE_CIPHER_CCMP };
	uint8_t r[64];

	beacon(f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(f, EID_SSID, "Home", 4);
	el(f, EID_SUPP_RATES, rates_bg, sizeof(rates_bg));
	el(f, EID_DS_PARAMS, "\x06", 1);
	el(f, EID_RSN, r, rsn(r, IE_CIPHER_CCMP, ccmp, 1, akm, nakm, caps));
}

static void
test_synthetic_security(void)
{
	static const uint8_t a_eap[] = { IE_AKM_8021X };
	static const uint8_t a_sae[] = { IE_AKM_SAE };
	static const uint8_t a_trans[] = { IE_AKM_PSK, IE_AKM_SAE };
	static const uint8_t a_owe[] = { IE_AKM_OWE };
	static const uint8_t a_psk[] = { IE_AKM_PSK };
	static const uint8_t a_suiteb[] = { IE_AKM_8021X_SUITE_B_192 };
	static const uint8_t a_unknown[] = { 99 };
	static const uint8_t wpa_psk_tkip[] = { 0x00, 0x50, 0xf2, 1, 1, 0,
		0x00, 0x50, 0xf2, 2, 1, 0, 0x00, 0x50, 0xf2, 2, 1, 0,
		0x00, 0x50, 0xf2, 2 };
	static const uint8_t wpa_eap[] = { 0x00, 0x50, 0xf2, 1, 1, 0,
		0x00, 0x50, 0xf2, 2, 1, 0, 0x00, 0x50, 0xf2, 2, 1, 0,
		0x00, 0x50, 0xf2, 1 };
	struct frame f;
	struct wifi_bss b;
	char buf[64];
	uint8_t r[64];

	secure_beacon(&f, a_eap, 1, 0);
	expect_int("synthetic enterprise: builds", 0, fbss(&f, &b));
	expect_str("synthetic enterprise RSN (AKM 1)", "wpa2-eap",
	    wifi_security_name(b.security));
	expect_str("synthetic enterprise akm", "802.1X",
	    wifi_bss_akm_str(&b, buf, sizeof(buf)));
	expect_str("synthetic enterprise pmf", "none", wifi_pmf_name(b.pmf));

	secure_beacon(&f, a_eap, 1, IE_RSN_CAP_MFPR | IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	expect_str("synthetic enterprise + PMF required", "wpa3-eap",
	    wifi_security_name(b.security));
	secure_beacon(&f, a_suiteb, 1, IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	expect_str("synthetic Suite B 192", "wpa3-eap",
	    wifi_security_name(b.security));

	secure_beacon(&f, a_sae, 1, IE_RSN_CAP_MFPR | IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	expect_str("synthetic SAE", "wpa3-sae", wifi_security_name(b.security));
	expect_str("synthetic SAE pmf required", "required",
	    wifi_pmf_name(b.pmf));

	secure_beacon(&f, a_trans, 2, IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	expect_str("synthetic SAE transition", "wpa3-transition",
	    wifi_security_name(b.security));
	expect_str("synthetic SAE transition pmf", "optional",
	    wifi_pmf_name(b.pmf));
	expect_str("synthetic SAE transition akm list", "PSK SAE",
	    wifi_bss_akm_str(&b, buf, sizeof(buf)));

	secure_beacon(&f, a_owe, 1, IE_RSN_CAP_MFPR | IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	expect_str("synthetic OWE", "owe", wifi_security_name(b.security));

	secure_beacon(&f, a_psk, 1, IE_RSN_CAP_MFPR | IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	expect_str("synthetic PSK + PMF required: security", "wpa2-psk",
	    wifi_security_name(b.security));
	expect_str("synthetic PSK + PMF required: pmf", "required",
	    wifi_pmf_name(b.pmf));
	expect_str("synthetic pairwise", "CCMP",
	    wifi_bss_pairwise_str(&b, buf, sizeof(buf)));

	secure_beacon(&f, a_unknown, 1, 0);
	fbss(&f, &b);
	expect_str("synthetic unknown AKM", "unknown",
	    wifi_security_name(b.security));

	/* WPA + WPA2 PSK, TKIP on the WPA side. */
	secure_beacon(&f, a_psk, 1, 0);
	el(&f, EID_VENDOR, wpa_psk_tkip, sizeof(wpa_psk_tkip));
	fbss(&f, &b);
	expect_str("synthetic WPA+WPA2 PSK", "wpa-wpa2-psk",
	    wifi_security_name(b.security));
	expect_str("synthetic WPA+WPA2 pairwise", "CCMP TKIP",
	    wifi_bss_pairwise_str(&b, buf, sizeof(buf)));

	/* WPA only. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_SSID, "Old", 3);
	el(&f, EID_VENDOR, wpa_psk_tkip, sizeof(wpa_psk_tkip));
	fbss(&f, &b);
	expect_str("synthetic WPA PSK", "wpa-psk",
	    wifi_security_name(b.security));
	expect_str("synthetic WPA group TKIP", "TKIP", ie_cipher_name(b.group));
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_VENDOR, wpa_eap, sizeof(wpa_eap));
	fbss(&f, &b);
	expect_str("synthetic WPA EAP", "wpa-eap",
	    wifi_security_name(b.security));

	/* WEP group cipher next to CCMP pairwise: the WEP+WPA2 mix. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	{
		static const uint8_t ccmp[] = { IE_CIPHER_CCMP };

		el(&f, EID_RSN, r, rsn(r, IE_CIPHER_WEP104, ccmp, 1, a_psk, 1,
		    0));
	}
	fbss(&f, &b);
	test_cond("synthetic WEP group with RSN", b.wep_group);

	/* Privacy with no RSN/WPA is WEP; neither is open. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_SSID, "wep", 3);
	fbss(&f, &b);
	expect_str("synthetic WEP", "wep", wifi_security_name(b.security));
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_SSID, "cafe", 4);
	fbss(&f, &b);
	expect_str("synthetic open", "open", wifi_security_name(b.security));

	/*
	 * An RSN or WPA element cut off before its version is still there:
	 * the network asks for RSN or WPA, what exactly is unknown; never
	 * WEP (privacy set) nor open (privacy clear).
	 */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_SSID, "cut", 3);
	el(&f, EID_RSN, "\x01", 1);
	fbss(&f, &b);
	expect_str("synthetic RSN of 1 byte: security", "unknown",
	    wifi_security_name(b.security));
	expect_str("synthetic RSN of 1 byte: PMF", "unknown",
	    wifi_pmf_name(b.pmf));
	test_cond("synthetic RSN of 1 byte: RSN there", b.has_rsn);
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_SSID, "cut", 3);
	el(&f, EID_RSN, "", 0);
	fbss(&f, &b);
	expect_str("synthetic empty RSN, no privacy: security", "unknown",
	    wifi_security_name(b.security));
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_SSID, "cut", 3);
	el(&f, EID_VENDOR, "\x00\x50\xf2\x01\x01", 5);
	fbss(&f, &b);
	expect_str("synthetic WPA cut after its type: security", "unknown",
	    wifi_security_name(b.security));
	test_cond("synthetic WPA cut after its type: WPA there", b.has_wpa);
	{
		/* A whole beacon of the same BSS later decides it. */
		struct wifi_bss cut = b, whole;
		static const uint8_t psk[] = { IE_AKM_PSK };

		secure_beacon(&f, psk, 1, 0);
		fbss(&f, &whole);
		test_cond("cut WPA then whole RSN: merged",
		    wifi_bss_merge(&cut, &whole) == 0);
		expect_str("cut WPA then whole RSN: security", "wpa2-psk",
		    wifi_security_name(cut.security));
	}

	/* RSN with only a version: the standard's defaults. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_RSN, "\x01\x00", 2);
	fbss(&f, &b);
	expect_str("synthetic RSN version only: default 802.1X", "wpa2-eap",
	    wifi_security_name(b.security));
	expect_str("synthetic RSN version only: default CCMP", "CCMP",
	    wifi_bss_pairwise_str(&b, buf, sizeof(buf)));
}

static void
test_synthetic_radio(void)
{
	static const uint8_t nonly[] = { 0x8c, 0x12, 0x98, 0x24, 0xb0, 0x48,
		0x60, 0x6c };
	static const uint8_t sel_ht = 0xff;
	static const uint8_t gonly[] = { 0x02, 0x04, 0x0b, 0x16, 0x8c, 0x12,
		0x98, 0x24 };
	uint8_t ht_cap[26] = { 0 }, ht_op[22] = { 0 }, vht_op[5] = { 0 };
	uint8_t he[12] = { 0 };
	struct frame f;
	struct wifi_bss b;

	/* synthetic n-only: HT selector as a basic rate, HT elements. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_SSID, "nonly", 5);
	el(&f, EID_SUPP_RATES, nonly, sizeof(nonly));
	el(&f, EID_EXT_SUPP_RATES, &sel_ht, 1);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_HT_CAP, ht_cap, sizeof(ht_cap));
	ht_op[0] = 6;
	ht_op[1] = IE_HT_SEC_ABOVE | 0x04;
	el(&f, EID_HT_OPERATION, ht_op, sizeof(ht_op));
	fbss(&f, &b);
	test_cond("synthetic n-only beacon", b.n_only);
	expect_str("synthetic n-only phy", "n", wifi_phy_name(b.phy));
	test_cond("synthetic n-only is also g-only (no 11b basic)", b.g_only);
	expect_int("synthetic HT 40 MHz: width", 40, b.width_mhz);
	test_cond("synthetic HT 40 above: channels 6-10", b.chan_lo == 6 &&
	    b.chan_hi == 10);
	expect_int("synthetic n-only: max rate 54", 108, b.max_rate);

	/* synthetic g-only: OFDM basic, 11b rates non-basic. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2412, -50, WLAN_CAP_ESS);
	el(&f, EID_SUPP_RATES, gonly, sizeof(gonly));
	el(&f, EID_DS_PARAMS, "\x01", 1);
	fbss(&f, &b);
	test_cond("synthetic g-only", b.g_only && !b.n_only);
	expect_str("synthetic g-only phy", "g", wifi_phy_name(b.phy));
	expect_int("synthetic g-only basic rates", 2, b.n_basic_rates);

	/* synthetic channel 13 at 2472 MHz, 11b only. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2472, -80, WLAN_CAP_ESS);
	el(&f, EID_SUPP_RATES, "\x82\x84\x8b\x96", 4);
	el(&f, EID_DS_PARAMS, "\x0d", 1);
	el(&f, EID_COUNTRY, "DE \x01\x0d\x14", 6);
	fbss(&f, &b);
	expect_int("synthetic channel 13", 13, b.channel);
	expect_int("synthetic channel 13 MHz", 2472, b.freq_mhz);
	expect_str("synthetic channel 13 band", "2.4", wifi_band_name(b.band));
	expect_str("synthetic 11b phy", "b", wifi_phy_name(b.phy));
	expect_str("synthetic country", "DE", b.country);
	expect_int("synthetic signal", -80, b.signal_last);

	/* synthetic: a channel 6 beacon heard by a card tuned to 2427 MHz. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2427, -85, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	fbss(&f, &b);
	expect_int("synthetic overlap: channel from DS", 6, b.channel);
	expect_int("synthetic overlap: frequency of channel 6", 2437,
	    b.freq_mhz);

	/* synthetic 5 GHz VHT 80 at 36 (centre 42). */
	beacon(&f, WLAN_MGMT_BEACON, B2, 5180, -60, CAP_ESS_PRIV);
	el(&f, EID_SSID, "Home", 4);
	el(&f, EID_SUPP_RATES, "\x8c\x12\x98\x24\xb0\x48\x60\x6c", 8);
	ht_op[0] = 36;
	ht_op[1] = IE_HT_SEC_ABOVE | 0x04;
	el(&f, EID_HT_OPERATION, ht_op, sizeof(ht_op));
	el(&f, EID_VHT_CAP, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	vht_op[0] = 1;
	vht_op[1] = 42;
	el(&f, EID_VHT_OPERATION, vht_op, sizeof(vht_op));
	fbss(&f, &b);
	expect_str("synthetic 5 GHz band", "5", wifi_band_name(b.band));
	expect_int("synthetic 5 GHz channel from HT op", 36, b.channel);
	expect_int("synthetic VHT width", 80, b.width_mhz);
	test_cond("synthetic VHT channels 36-48", b.chan_lo == 36 &&
	    b.chan_hi == 48);
	expect_str("synthetic VHT phy", "ac", wifi_phy_name(b.phy));
	test_cond("synthetic 5 GHz not g-only", !b.g_only);

	/* synthetic 6 GHz HE: primary 37 (6135 MHz), 80 MHz at 39. */
	beacon(&f, WLAN_MGMT_BEACON, B2, 6135, -70, CAP_ESS_PRIV);
	el(&f, EID_SSID, "Home6", 5);
	/* HE Capabilities: ext id, 6 MAC, 11 PHY, one 4-byte MCS map. */
	el(&f, EID_EXTENSION, "\x23\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0", 22);
	he[0] = EID_EXT_HE_OPERATION;
	he[3] = 0x02;
	he[7] = 37;
	he[8] = 2;
	he[9] = 39;
	el(&f, EID_EXTENSION, he, sizeof(he));
	fbss(&f, &b);
	expect_str("synthetic 6 GHz band", "6", wifi_band_name(b.band));
	expect_int("synthetic 6 GHz channel", 37, b.channel);
	expect_int("synthetic 6 GHz width", 80, b.width_mhz);
	expect_str("synthetic 6 GHz phy", "ax", wifi_phy_name(b.phy));
	test_cond("synthetic 6 GHz channels 33-45", b.chan_lo == 33 &&
	    b.chan_hi == 45);
	/* EHT Capabilities: ext id, 2 MAC, 9 PHY, one 3-byte MCS map. */
	el(&f, EID_EXTENSION, "\x6c\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15);
	fbss(&f, &b);
	expect_str("synthetic EHT phy", "be", wifi_phy_name(b.phy));
}

static void
test_synthetic_hidden_merge(void)
{
	static const uint8_t zero[8] = { 0 };
	uint8_t wps[64];
	size_t n;
	struct frame f;
	struct wifi_bss acc, b;

	/* Beacon hides the SSID (blanked, real length 8). */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2462, -71, CAP_ESS_PRIV);
	el(&f, EID_SSID, zero, 8);
	el(&f, EID_DS_PARAMS, "\x0b", 1);
	fbss(&f, &acc);
	test_cond("synthetic hidden (blanked): hidden", acc.hidden);
	expect_int("synthetic hidden (blanked): form", IE_SSID_ZEROED,
	    acc.ssid_form);
	expect_int("synthetic hidden: no name yet", 0, acc.ssid.len);

	beacon(&f, WLAN_MGMT_BEACON, B1, 2462, -65, CAP_ESS_PRIV);
	el(&f, EID_SSID, "", 0);
	fbss(&f, &b);
	test_cond("synthetic hidden (length 0)", b.hidden &&
	    b.ssid_form == IE_SSID_EMPTY);
	expect_int("synthetic merge beacon", 0, wifi_bss_merge(&acc, &b));

	/* A probe response names it and brings WPS. */
	memcpy(wps, "\x00\x50\xf2\x04", 4);
	n = 4;
	memcpy(wps + n, "\x10\x21\x00\x04" "ACME", 8); n += 8;
	memcpy(wps + n, "\x10\x23\x00\x03X10", 7); n += 7;
	memcpy(wps + n, "\x10\x44\x00\x01\x02", 5); n += 5;
	beacon(&f, WLAN_MGMT_PROBE_RESP, B1, 2462, -58, CAP_ESS_PRIV);
	el(&f, EID_SSID, "SecretNet", 9);
	el(&f, EID_VENDOR, wps, n);
	fbss(&f, &b);
	expect_int("synthetic probe response counted", 1, b.frames.probe_resps);
	expect_int("synthetic merge probe response", 0,
	    wifi_bss_merge(&acc, &b));
	expect_str("synthetic hidden SSID revealed", "SecretNet", acc.ssid.s);
	test_cond("synthetic revealed stays hidden", acc.hidden);
	test_cond("synthetic WPS from probe response", acc.wps.present &&
	    strcmp(acc.wps.manufacturer.s, "ACME") == 0 &&
	    strcmp(acc.wps.model_name.s, "X10") == 0 &&
	    acc.wps.state == WPS_STATE_CONFIGURED);
	expect_int("synthetic merged counts: beacons", 2, acc.frames.beacons);
	expect_int("synthetic signal min", -71, acc.signal_min);
	expect_int("synthetic signal max", -58, acc.signal_max);
	expect_int("synthetic signal last", -58, acc.signal_last);
	expect_int("synthetic channel kept", 11, acc.channel);

	beacon(&f, WLAN_MGMT_BEACON, B2, 2462, -58, CAP_ESS_PRIV);
	fbss(&f, &b);
	expect_int("synthetic merge other BSSID refused", -1,
	    wifi_bss_merge(&acc, &b));
	expect_int("synthetic refused merge changed nothing", 2,
	    acc.frames.beacons);

	/* Not a beacon: refused. */
	beacon(&f, WLAN_MGMT_PROBE_REQ, B1, 2462, -58, 0);
	expect_int("synthetic probe request: no BSS", -1, fbss(&f, &b));

	/* A 40-byte SSID is cut to 32 and says so. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2462, -58, 0);
	el(&f, EID_SSID, "0123456789012345678901234567890123456789", 32);
	fbss(&f, &b);
	expect_int("synthetic 32-byte SSID kept whole", 32, b.ssid.len);
	test_cond("synthetic 32-byte SSID not cut", !b.ssid.cut);
}

static void
test_synthetic_no_radio(void)
{
	struct ieee80211_frame wf;
	struct ie_info ie;
	struct wifi_bss b;
	struct frame f;

	/* Bare 802.11: the DS channel gives frequency and band. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 0, 0, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x0b", 1);
	ieee80211_decode(f.b + 13, f.n - 13, &wf);
	ie_parse(wf.ies, wf.ies_len, &ie);
	expect_int("synthetic bare beacon", 0,
	    wifi_bss_from_frame(&b, &wf, &ie, NULL));
	expect_int("synthetic bare: freq from channel", 2462, b.freq_mhz);
	test_cond("synthetic bare: no signal", !b.has_signal);

	/*
	 * nl80211-style: elements only.  A given frequency of another band
	 * than the DS channel's loses to the AP's element (issue 10 §3).
	 */
	wifi_bss_init(&b);
	wifi_bss_fill(&b, B2, WLAN_CAP_ESS, 100, &ie, 5745, true, -900);
	expect_int("fill: DS channel's freq wins", 2462, b.freq_mhz);
	expect_int("fill: the given freq kept as disagreeing", 5745,
	    b.radio_freq_mhz);
	expect_int("fill: DS channel kept", 11, b.channel);
	expect_int("fill: signal clamped", -128, b.signal_min);
}

static void
test_freq_channel(void)
{
	static const struct {
		unsigned	 freq, ch;
		enum wifi_band	 band;
	} t[] = {
		{ 2412, 1, WIFI_BAND_2G4 }, { 2437, 6, WIFI_BAND_2G4 },
		{ 2472, 13, WIFI_BAND_2G4 }, { 2484, 14, WIFI_BAND_2G4 },
		{ 5180, 36, WIFI_BAND_5G }, { 5745, 149, WIFI_BAND_5G },
		{ 5825, 165, WIFI_BAND_5G }, { 4920, 184, WIFI_BAND_5G },
		{ 5955, 1, WIFI_BAND_6G }, { 5935, 2, WIFI_BAND_6G },
		{ 6135, 37, WIFI_BAND_6G }, { 7115, 233, WIFI_BAND_6G },
	};
	char d[80];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(d, sizeof(d), "%u MHz -> channel", t[i].freq);
		expect_int(d, t[i].ch, wifi_freq_to_channel(t[i].freq));
		snprintf(d, sizeof(d), "%u MHz band", t[i].freq);
		expect_int(d, t[i].band, wifi_freq_band(t[i].freq));
		snprintf(d, sizeof(d), "channel %u -> %u MHz", t[i].ch,
		    t[i].freq);
		expect_int(d, t[i].freq, wifi_channel_to_freq(t[i].ch,
		    t[i].band));
	}
	expect_int("2400 MHz no channel", 0, wifi_freq_to_channel(2400));
	expect_int("2413 MHz no channel", 0, wifi_freq_to_channel(2413));
	expect_int("channel 15 2.4", 0, wifi_channel_to_freq(15,
	    WIFI_BAND_2G4));
	expect_int("unknown band", 0, wifi_channel_to_freq(1,
	    WIFI_BAND_UNKNOWN));
	expect_str("band name", "2.4", wifi_band_name(WIFI_BAND_2G4));
	expect_str("security names", "wpa3-transition",
	    wifi_security_name(WIFI_SEC_WPA3_TRANSITION));
}

/*
 * An RSN element cut off inside a list (count longer than the bytes left)
 * gives "unknown", never the standard's defaults for absent fields: here
 * a pairwise count of 2 with one suite left would have read as 802.1X
 * (WPA2-Enterprise) before.
 */
static void
test_rsn_cut(void)
{
	static const uint8_t cut[] = { 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x02, 0x00, 0x00, 0x0f, 0xac, 0x04 };
	struct frame f;
	struct wifi_bss b;

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_SSID, "Home", 4);
	el(&f, EID_SUPP_RATES, rates_bg, sizeof(rates_bg));
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_RSN, cut, sizeof(cut));
	expect_int("cut rsn: bss", 0, fbss(&f, &b));
	expect_str("cut rsn: security unknown", "unknown",
	    wifi_security_name(b.security));
	expect_int("cut rsn: no AKM guessed", 0, b.n_akm);
}

/* --- the AP's own elements over the radio header --------------------- */

/*
 * Every band, with the radio header agreeing, absent, and stamped with
 * another band's frequency.  The AP's DS, HT Operation or HE 6 GHz
 * Operation element names its channel; the header's frequency is kept in
 * radio_freq_mhz when it disagrees.
 */
static void
test_element_over_header(void)
{
	static const uint8_t ofdm_basic[] = { 0x8c, 0x12, 0x98, 0x24, 0xb0,
		0x48, 0x60, 0x6c };
	uint8_t ht_op[22] = { 0 }, he[12] = { 0 };
	struct frame f;
	struct wifi_bss b;

	/* 2.4 GHz (DS 1) stamped 5180 MHz: joinable 2.4, not 5 GHz. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 5180, -50, WLAN_CAP_ESS);
	el(&f, EID_SUPP_RATES, rates_bg, sizeof(rates_bg));
	el(&f, EID_DS_PARAMS, "\x01", 1);
	expect_int("stamped 2.4: bss", 0, fbss(&f, &b));
	expect_str("stamped 2.4: band from DS", "2.4", wifi_band_name(b.band));
	expect_int("stamped 2.4: channel", 1, b.channel);
	expect_int("stamped 2.4: MHz of channel 1", 2412, b.freq_mhz);
	expect_int("stamped 2.4: header kept", 5180, b.radio_freq_mhz);
	expect_str("stamped 2.4: source", "ds",
	    wifi_chan_src_name(b.chan_src));
	expect_str("stamped 2.4: phy g, not a", "g", wifi_phy_name(b.phy));

	/* 2.4 GHz g-only (HT primary 11, no DS) stamped 5745 MHz. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 5745, -50, WLAN_CAP_ESS);
	el(&f, EID_SUPP_RATES, ofdm_basic, sizeof(ofdm_basic));
	memset(ht_op, 0, sizeof(ht_op));
	ht_op[0] = 11;
	el(&f, EID_HT_OPERATION, ht_op, sizeof(ht_op));
	fbss(&f, &b);
	expect_str("stamped 2.4 HT: band", "2.4", wifi_band_name(b.band));
	expect_int("stamped 2.4 HT: MHz", 2462, b.freq_mhz);
	expect_str("stamped 2.4 HT: source", "ht_operation",
	    wifi_chan_src_name(b.chan_src));
	test_cond("stamped 2.4 HT: g-only is a 2.4 GHz fact", b.g_only);

	/* 5 GHz (HT primary 36) stamped 2437 MHz: no g_only. */
	beacon(&f, WLAN_MGMT_BEACON, B2, 2437, -60, WLAN_CAP_ESS);
	el(&f, EID_SUPP_RATES, ofdm_basic, sizeof(ofdm_basic));
	ht_op[0] = 36;
	el(&f, EID_HT_OPERATION, ht_op, sizeof(ht_op));
	fbss(&f, &b);
	expect_str("stamped 5: band from HT op", "5", wifi_band_name(b.band));
	expect_int("stamped 5: channel", 36, b.channel);
	expect_int("stamped 5: MHz of 36", 5180, b.freq_mhz);
	expect_int("stamped 5: header kept", 2437, b.radio_freq_mhz);
	test_cond("stamped 5: not g-only", !b.g_only);

	/* 5 GHz legacy (DS 149, no HT) stamped 2412: phy a, not g. */
	beacon(&f, WLAN_MGMT_BEACON, B2, 2412, -60, WLAN_CAP_ESS);
	el(&f, EID_SUPP_RATES, ofdm_basic, sizeof(ofdm_basic));
	el(&f, EID_DS_PARAMS, "\x95", 1);
	fbss(&f, &b);
	expect_str("stamped 5 legacy: band", "5", wifi_band_name(b.band));
	expect_int("stamped 5 legacy: MHz", 5745, b.freq_mhz);
	expect_str("stamped 5 legacy: phy a", "a", wifi_phy_name(b.phy));
	test_cond("stamped 5 legacy: not g-only", !b.g_only);

	/* 5 GHz stamped with a 6 GHz frequency of the same number. */
	beacon(&f, WLAN_MGMT_BEACON, B2, 6135, -60, WLAN_CAP_ESS);
	ht_op[0] = 37 - 1;	/* 36: 6 GHz 37 is 6135, 36 is not */
	el(&f, EID_HT_OPERATION, ht_op, sizeof(ht_op));
	fbss(&f, &b);
	expect_str("stamped 6 for 5: band", "5", wifi_band_name(b.band));
	expect_int("stamped 6 for 5: MHz", 5180, b.freq_mhz);

	/* 2.4 GHz channel 1 stamped 5955 MHz (6 GHz channel 1). */
	beacon(&f, WLAN_MGMT_BEACON, B1, 5955, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x01", 1);
	fbss(&f, &b);
	expect_str("stamped 6 ch 1 for 2.4 ch 1: band", "2.4",
	    wifi_band_name(b.band));
	expect_int("stamped 6 ch 1 for 2.4 ch 1: MHz", 2412, b.freq_mhz);
	expect_int("stamped 6 ch 1 for 2.4 ch 1: header", 5955,
	    b.radio_freq_mhz);

	/* 6 GHz (HE 6 GHz info, primary 37) stamped 2412 MHz. */
	beacon(&f, WLAN_MGMT_BEACON, B2, 2412, -70, CAP_ESS_PRIV);
	he[0] = EID_EXT_HE_OPERATION;
	he[3] = 0x02;
	he[7] = 37;
	he[8] = 0;
	he[9] = 37;
	el(&f, EID_EXTENSION, he, sizeof(he));
	fbss(&f, &b);
	expect_str("stamped 6: band from HE op", "6", wifi_band_name(b.band));
	expect_int("stamped 6: channel", 37, b.channel);
	expect_int("stamped 6: MHz", 6135, b.freq_mhz);
	expect_str("stamped 6: source", "he_operation",
	    wifi_chan_src_name(b.chan_src));
	expect_int("stamped 6: header kept", 2412, b.radio_freq_mhz);

	/* Agreeing header: its exact frequency, nothing to report. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	fbss(&f, &b);
	expect_int("agree: MHz", 2437, b.freq_mhz);
	expect_int("agree: no disagreement", 0, b.radio_freq_mhz);
	expect_str("agree: source", "ds", wifi_chan_src_name(b.chan_src));

	/* No element: the header is all there is. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 5500, -50, WLAN_CAP_ESS);
	fbss(&f, &b);
	expect_int("header only: channel", 100, b.channel);
	expect_str("header only: band", "5", wifi_band_name(b.band));
	expect_str("header only: source", "radio",
	    wifi_chan_src_name(b.chan_src));
	expect_int("header only: no disagreement", 0, b.radio_freq_mhz);

	/*
	 * A number in no band's range (DS 20) that the header does not
	 * confirm: band and frequency unknown, not guessed from either.
	 */
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x14", 1);
	fbss(&f, &b);
	expect_str("neither tells: band unknown", "unknown",
	    wifi_band_name(b.band));
	expect_int("neither tells: MHz unknown", 0, b.freq_mhz);
	expect_int("neither tells: header kept", 2437, b.radio_freq_mhz);
	/* ... but one the header confirms (5100 MHz is 5 GHz 20) is known. */
	beacon(&f, WLAN_MGMT_BEACON, B1, 5100, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x14", 1);
	fbss(&f, &b);
	expect_str("header confirms 20: band", "5", wifi_band_name(b.band));
	expect_int("header confirms 20: MHz", 5100, b.freq_mhz);
	expect_int("header confirms 20: agreement", 0, b.radio_freq_mhz);

	/* HT primary 1-14 without a header: 2.4 GHz; 36: 5 GHz. */
	{
		struct ie_info ie;
		uint8_t buf[32];

		buf[0] = EID_HT_OPERATION;
		buf[1] = 22;
		memset(buf + 2, 0, 22);
		buf[2] = 13;
		ie_parse(buf, 24, &ie);
		wifi_bss_init(&b);
		wifi_bss_fill(&b, B1, WLAN_CAP_ESS, 100, &ie, 0, false, 0);
		expect_str("no header, HT 13: band", "2.4",
		    wifi_band_name(b.band));
		expect_int("no header, HT 13: MHz", 2472, b.freq_mhz);
		buf[2] = 36;
		ie_parse(buf, 24, &ie);
		wifi_bss_init(&b);
		wifi_bss_fill(&b, B1, WLAN_CAP_ESS, 100, &ie, 0, false, 0);
		expect_str("no header, HT 36: band", "5",
		    wifi_band_name(b.band));
		/* nl80211 scan frequency disagreeing: the element wins too. */
		wifi_bss_init(&b);
		wifi_bss_fill(&b, B1, WLAN_CAP_ESS, 100, &ie, 2412, false, 0);
		expect_int("scan 2412 for HT 36: MHz", 5180, b.freq_mhz);
		expect_int("scan 2412 for HT 36: header", 2412,
		    b.radio_freq_mhz);
	}
}

/*
 * A probe response without DS (the header, stamped 2412, is all it has)
 * then the beacon with HT Operation 36: the element's channel replaces
 * the header's, and the g-only and phy decided under 2.4 GHz go with it.
 */
static void
test_merge_element_over_header(void)
{
	static const uint8_t ofdm_basic[] = { 0x8c, 0x12, 0x98, 0x24, 0xb0,
		0x48, 0x60, 0x6c };
	uint8_t ht_op[22] = { 0 };
	struct frame f;
	struct wifi_bss acc, b;

	beacon(&f, WLAN_MGMT_PROBE_RESP, B2, 2412, -60, WLAN_CAP_ESS);
	el(&f, EID_SSID, "Five", 4);
	el(&f, EID_SUPP_RATES, ofdm_basic, sizeof(ofdm_basic));
	fbss(&f, &acc);
	test_cond("merge: probe response alone reads g-only 2.4",
	    acc.g_only && acc.band == WIFI_BAND_2G4);
	beacon(&f, WLAN_MGMT_BEACON, B2, 2412, -60, WLAN_CAP_ESS);
	el(&f, EID_SSID, "Five", 4);
	el(&f, EID_SUPP_RATES, ofdm_basic, sizeof(ofdm_basic));
	ht_op[0] = 36;
	el(&f, EID_HT_OPERATION, ht_op, sizeof(ht_op));
	fbss(&f, &b);
	expect_int("merge: ok", 0, wifi_bss_merge(&acc, &b));
	expect_str("merge: band from the element", "5",
	    wifi_band_name(acc.band));
	expect_int("merge: channel", 36, acc.channel);
	expect_int("merge: MHz", 5180, acc.freq_mhz);
	expect_int("merge: header kept", 2412, acc.radio_freq_mhz);
	test_cond("merge: g-only gone with the wrong band", !acc.g_only);
	expect_str("merge: phy n", "n", wifi_phy_name(acc.phy));
}

/*
 * No capture in ../shared/captures has a radio header that disagrees with
 * its beacon's element (every one was checked with tshark), so this takes
 * REAL beacons' 802.11 bytes (Harkonen, bare 802.11, DS channel 1; the
 * meshid beacon, DS 149 at 5745 MHz) and writes them to a pcap behind a
 * radiotap header stamped with the other band's frequency, then reads the
 * file back as any capture.
 */
static void
restamp(const char *caps, const char *dir, const char *name, unsigned mhz,
    struct wifi_bss *out)
{
	char ddir[1100], path[] = "/tmp/test_wifi_bss.XXXXXX";
	struct radiotap_info ri;
	struct pcap_pkthdr h;
	pcap_dumper_t *d;
	pcap_t *p;
	struct frame f;
	int i, fd;

	wifi_bss_init(out);
	snprintf(ddir, sizeof(ddir), "%s/%s", caps, dir);
	if (wpkt_load(ddir, name) <= 0)
		return;
	for (i = 0; i < wpkt_n; i++)
		if (bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, out) == 0 &&
		    out->frames.beacons == 1)
			break;
	if (i == wpkt_n || radiotap_decode(wpkt[i].dlt, wpkt[i].data,
	    wpkt[i].len, &ri) != 0) {
		test_cond("restamp: a beacon in the capture", false);
		return;
	}
	beacon(&f, WLAN_MGMT_BEACON, B1, mhz, -40, 0);
	f.n = 13;				/* the radiotap header only */
	memcpy(f.b + f.n, wpkt[i].data + ri.frame_off, ri.frame_len);
	f.n += ri.frame_len;
	if ((fd = mkstemp(path)) == -1)
		return;
	close(fd);
	p = pcap_open_dead(DLT_IEEE802_11_RADIO, 65535);
	d = pcap_dump_open(p, path);
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = (bpf_u_int32)f.n;
	pcap_dump((u_char *)d, &h, f.b);
	pcap_dump_close(d);
	pcap_close(p);
	wpkt_load("/tmp", path + 5);
	unlink(path);
	if (wpkt_n != 1 || bss_of(wpkt[0].data, wpkt[0].len, wpkt[0].dlt,
	    out) != 0)
		test_cond("restamp: the written beacon reads back", false);
}

static void
test_real_restamped(const char *caps)
{
	struct wifi_bss b;

	restamp(caps, "aircrack-ng", "wpa2.eapol.cap", 5180, &b);
	expect_str("real Harkonen beacon stamped 5180: band", "2.4",
	    wifi_band_name(b.band));
	expect_int("real Harkonen beacon stamped 5180: channel", 1, b.channel);
	expect_int("real Harkonen beacon stamped 5180: MHz", 2412, b.freq_mhz);
	expect_int("real Harkonen beacon stamped 5180: header", 5180,
	    b.radio_freq_mhz);
	expect_str("real Harkonen beacon stamped 5180: still wpa2-psk",
	    "wpa2-psk", wifi_security_name(b.security));

	restamp(caps, "tcpdump", "ieee802.11_meshid.pcap", 2437, &b);
	expect_str("real meshid beacon stamped 2437: band", "5",
	    wifi_band_name(b.band));
	expect_int("real meshid beacon stamped 2437: channel", 149, b.channel);
	expect_int("real meshid beacon stamped 2437: MHz", 5745, b.freq_mhz);
	expect_int("real meshid beacon stamped 2437: header", 2437,
	    b.radio_freq_mhz);
	test_cond("real meshid beacon stamped 2437: not g-only", !b.g_only);
}

/*
 * The element audit (issue 10 §3): every list or part cut off gives
 * "unknown", never the standard's default for an absent field.
 */
static void
test_cut_elements(void)
{
	/* RSN: CCMP group, 1 CCMP pairwise, AKM count 2 with only PSK. */
	static const uint8_t akm_cut[] = { 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x02, 0x00, 0x00, 0x0f, 0xac, 0x02 };
	/* RSN: whole lists (802.1X), then one byte of the capabilities. */
	static const uint8_t caps_cut[] = { 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	    0x01, 0x00, 0x00, 0x0f, 0xac, 0x01, 0xc0 };
	/* WPA vendor: version, then a group suite cut after 2 bytes. */
	static const uint8_t wpa_group_cut[] = { 0x00, 0x50, 0xf2, 0x01,
	    0x01, 0x00, 0x00, 0x50 };
	/* WPA vendor: TKIP group, pairwise count 2 with one suite. */
	static const uint8_t wpa_pw_cut[] = { 0x00, 0x50, 0xf2, 0x01,
	    0x01, 0x00, 0x00, 0x50, 0xf2, 0x02,
	    0x02, 0x00, 0x00, 0x50, 0xf2, 0x04 };
	/* WPA vendor: whole, AKM count 2 with one PSK suite. */
	static const uint8_t wpa_akm_cut[] = { 0x00, 0x50, 0xf2, 0x01,
	    0x01, 0x00, 0x00, 0x50, 0xf2, 0x02,
	    0x01, 0x00, 0x00, 0x50, 0xf2, 0x02,
	    0x02, 0x00, 0x00, 0x50, 0xf2, 0x02 };
	static const uint8_t psk[] = { IE_AKM_PSK };
	uint8_t he[9] = { 0 };
	struct frame f;
	struct wifi_bss b, acc;
	char buf[64];

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_RSN, akm_cut, sizeof(akm_cut));
	fbss(&f, &b);
	expect_str("RSN AKM list cut: security unknown (PSK seen, SAE may "
	    "follow)", "unknown", wifi_security_name(b.security));
	expect_str("RSN AKM list cut: the AKM read is kept", "PSK",
	    wifi_bss_akm_str(&b, buf, sizeof(buf)));
	expect_str("RSN AKM list cut: PMF unknown, not none", "unknown",
	    wifi_pmf_name(b.pmf));

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_RSN, caps_cut, sizeof(caps_cut));
	fbss(&f, &b);
	expect_str("RSN caps cut: PMF unknown", "unknown",
	    wifi_pmf_name(b.pmf));
	expect_str("RSN caps cut: 802.1X is WPA2 or WPA3: unknown", "unknown",
	    wifi_security_name(b.security));
	/* A later whole beacon of the same BSS replaces the cut reading. */
	acc = b;
	secure_beacon(&f, psk, 1, IE_RSN_CAP_MFPC);
	fbss(&f, &b);
	wifi_bss_merge(&acc, &b);
	expect_str("RSN caps cut then whole: PMF", "optional",
	    wifi_pmf_name(acc.pmf));
	expect_str("RSN caps cut then whole: security", "wpa2-psk",
	    wifi_security_name(acc.security));

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_VENDOR, wpa_group_cut, sizeof(wpa_group_cut));
	fbss(&f, &b);
	test_cond("WPA group cut: no TKIP default", b.group == 0);
	expect_int("WPA group cut: no pairwise default", 0, b.n_pairwise);
	expect_str("WPA group cut: security unknown", "unknown",
	    wifi_security_name(b.security));

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_VENDOR, wpa_pw_cut, sizeof(wpa_pw_cut));
	fbss(&f, &b);
	expect_str("WPA pairwise cut: only what was read", "CCMP",
	    wifi_bss_pairwise_str(&b, buf, sizeof(buf)));
	expect_str("WPA pairwise cut: security unknown", "unknown",
	    wifi_security_name(b.security));

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_VENDOR, wpa_akm_cut, sizeof(wpa_akm_cut));
	fbss(&f, &b);
	expect_str("WPA AKM list cut: security unknown", "unknown",
	    wifi_security_name(b.security));

	/*
	 * HE Operation announcing 6 GHz info it does not hold, with a
	 * header at 6135 MHz: the element cannot tell, the header can.
	 */
	beacon(&f, WLAN_MGMT_BEACON, B2, 6135, -70, CAP_ESS_PRIV);
	he[0] = EID_EXT_HE_OPERATION;
	he[3] = 0x02;
	el(&f, EID_EXTENSION, he, sizeof(he));
	fbss(&f, &b);
	test_cond("HE op 6 GHz info cut: elements marked truncated",
	    b.ie_truncated);
	expect_str("HE op 6 GHz info cut: channel from the header", "radio",
	    wifi_chan_src_name(b.chan_src));
	expect_int("HE op 6 GHz info cut: header's channel", 37, b.channel);
}

/*
 * Issue 11 item 3: an AKM past the IE_SUITES_MAX (8) kept is not kept in
 * the list, but it is not unseen either: SAE as the 9th AKM after PSK is
 * WPA3 transition, not WPA2-PSK.
 */
static void
test_akm_not_kept(void)
{
	static const uint8_t ccmp[] = { IE_CIPHER_CCMP };
	static const uint8_t nine[] = { IE_AKM_PSK, IE_AKM_FT_PSK,
	    IE_AKM_PSK_SHA256, 19, 20, 7, 10, 0, IE_AKM_SAE };
	uint8_t r[64];
	struct frame f;
	struct wifi_bss b;
	char buf[128];

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, CAP_ESS_PRIV);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_RSN, r, rsn(r, IE_CIPHER_CCMP, ccmp, 1, nine, 9, 0));
	expect_int("9 AKMs: bss", 0, fbss(&f, &b));
	test_cond("9 AKMs: SAE not in the 8 kept",
	    strstr(wifi_bss_akm_str(&b, buf, sizeof(buf)), "SAE") == NULL);
	expect_str("9 AKMs: SAE past the kept ones still counts",
	    "wpa3-transition", wifi_security_name(b.security));
}

/* --- issue 10 section 3: malformed elements, cut lists, dropped rates - */

/*
 * A packet `in`/`len` (link type `dlt`), reshaped: the element `id` (the first
 * one) keeps only `keep` bytes of its body and says so in its length
 * byte, so the walk stays whole and only that element is malformed; or,
 * with `cut`, the packet ends `keep` bytes into that element's body, as a
 * snap length or a short frame would cut it.  The bytes are the capture's;
 * anything after the elements (an FCS) is kept when not cut.  Returns the
 * new length, 0 when the packet has no such element.
 */
static size_t
reshape(const uint8_t *in, size_t inlen, int dlt, uint8_t id, size_t keep,
    bool cut, uint8_t *out)
{
	struct radiotap_info ri;
	struct ieee80211_frame wf;
	struct ie_iter it;
	size_t n, tail, found = 0;

	if (radiotap_decode(dlt, in, inlen, &ri) != 0 ||
	    ieee80211_decode(in + ri.frame_off, ri.frame_len, &wf) != 0 ||
	    wf.ies == NULL)
		return 0;
	n = (size_t)(wf.ies - in);
	memcpy(out, in, n);
	ie_for_each(&it, wf.ies, wf.ies_len) {
		size_t len = it.elem.len;

		if (it.elem.id == id && found == 0 && keep < len) {
			found = 1;
			if (cut) {
				out[n++] = id;
				out[n++] = it.elem.len;
				memcpy(out + n, it.elem.data, keep);
				return n + keep;
			}
			len = keep;
		}
		out[n++] = it.elem.id;
		out[n++] = (uint8_t)len;
		memcpy(out + n, it.elem.data, len);
		n += len;
	}
	if (found == 0)
		return 0;
	tail = (size_t)(in + inlen - (wf.ies + wf.ies_len));
	memcpy(out + n, wf.ies + wf.ies_len, tail);
	return n + tail;
}

/* The BSS of a reshaped packet, from an exact-size copy for ASan. */
static int
reshaped_bss(const uint8_t *buf, size_t len, int dlt, struct wifi_bss *b)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, buf, len);
	rc = bss_of(copy, len, dlt, b);
	free(copy);
	return rc;
}

/* The first packet of the loaded capture carrying element `id`. */
static int
first_with(uint8_t id)
{
	uint8_t tmp[2400];
	int i;

	for (i = 0; i < wpkt_n; i++)
		if (wpkt[i].len <= sizeof(tmp) && reshape(wpkt[i].data,
		    wpkt[i].len, wpkt[i].dlt, id, 0, false, tmp) != 0)
			return i;
	return -1;
}

/*
 * The exthdr probe response (2.4 GHz; rates 1 2 5.5 11 basic; DS, ERP,
 * Extended Supported Rates, HT Capabilities, HT Operation) and the meshid
 * beacon (5 GHz, HT and VHT), their elements shortened or cut here.
 */
static void
test_real_malformed_cut(const char *caps)
{
	char dir[1100];
	uint8_t buf[2400], buf2[2400];
	struct wifi_bss whole, b, acc;
	size_t n, n2;
	int i;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	if (wpkt_load(dir, "ieee802.11_exthdr.pcap") <= 0)
		return;
	if ((i = first_with(EID_HT_OPERATION)) < 0) {
		test_cond("exthdr: a probe response with HT Operation", false);
		return;
	}
	expect_int("exthdr whole: bss", 0, bss_of(wpkt[i].data, wpkt[i].len,
	    wpkt[i].dlt, &whole));
	expect_str("exthdr whole: phy n", "n", wifi_phy_name(whole.phy));
	test_cond("exthdr whole: nothing malformed or cut",
	    whole.malformed == 0 && !whole.elements_cut &&
	    !whole.n_only_unknown && !whole.g_only_unknown);

	/* Both HT elements a byte short: phy was "g", now unknown. */
	n2 = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_HT_CAP, 25,
	    false, buf2);
	n = reshape(buf2, n2, wpkt[i].dlt, EID_HT_OPERATION, 21, false, buf);
	expect_int("exthdr HT elements short: bss", 0,
	    reshaped_bss(buf, n, wpkt[i].dlt, &b));
	expect_str("exthdr HT elements short: phy unknown, not g", "unknown",
	    wifi_phy_name(b.phy));
	expect_int("exthdr HT elements short: both malformed",
	    IE_MAL_HT_CAP | IE_MAL_HT_OP, b.malformed);
	test_cond("exthdr HT elements short: the walk was whole",
	    !b.elements_cut);
	test_cond("exthdr HT elements short: 11b basic: not g-only, known",
	    !b.g_only && !b.g_only_unknown && !b.n_only &&
	    !b.n_only_unknown);
	/* A whole frame of the same BSS decides the PHY. */
	acc = b;
	wifi_bss_merge(&acc, &whole);
	expect_str("exthdr HT short then whole: phy n", "n",
	    wifi_phy_name(acc.phy));
	test_cond("exthdr HT short then whole: malformed stays a fact",
	    acc.malformed == (IE_MAL_HT_CAP | IE_MAL_HT_OP));

	/* Only HT Capabilities short: HT Operation still says n. */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_HT_CAP, 20,
	    false, buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	expect_str("exthdr HT Capabilities short: HT Operation says n", "n",
	    wifi_phy_name(b.phy));
	expect_int("exthdr HT Capabilities short: malformed", IE_MAL_HT_CAP,
	    b.malformed);

	/* Cut inside HT Capabilities: phy was "g", now unknown. */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_HT_CAP, 10,
	    true, buf);
	expect_int("exthdr cut in HT Capabilities: bss", 0,
	    reshaped_bss(buf, n, wpkt[i].dlt, &b));
	test_cond("exthdr cut in HT Capabilities: elements cut",
	    b.elements_cut && b.malformed == 0);
	expect_str("exthdr cut in HT Capabilities: phy unknown, not g",
	    "unknown", wifi_phy_name(b.phy));
	test_cond("exthdr cut in HT Capabilities: Extended Rates were seen: "
	    "n-only and g-only known", !b.n_only_unknown && !b.g_only_unknown);
	expect_int("exthdr cut in HT Capabilities: channel from DS", 1,
	    b.channel != 0);
	expect_int("exthdr cut in HT Capabilities: width unknown, not 20", 0,
	    b.width_mhz);
	acc = b;
	wifi_bss_merge(&acc, &whole);
	expect_int("exthdr cut in HT Capabilities then whole: 20 MHz", 20,
	    acc.width_mhz);

	/* Cut inside ERP, before Extended Supported Rates. */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_ERP, 0, true,
	    buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	test_cond("exthdr cut in ERP: n-only unknown (the selector may "
	    "follow)", !b.n_only && b.n_only_unknown);
	test_cond("exthdr cut in ERP: an 11b basic rate seen: not g-only",
	    !b.g_only && !b.g_only_unknown);
	test_cond("exthdr cut in ERP: rates incomplete", b.rates_incomplete);
	/* A later whole probe response decides. */
	acc = b;
	wifi_bss_merge(&acc, &whole);
	test_cond("exthdr cut then whole: n-only known false",
	    !acc.n_only && !acc.n_only_unknown);
	test_cond("exthdr cut then whole: not all cut", !acc.elements_cut);
	expect_str("exthdr cut then whole: phy n", "n",
	    wifi_phy_name(acc.phy));
	/* And the whole one first: a cut one after changes nothing. */
	acc = whole;
	wifi_bss_merge(&acc, &b);
	test_cond("exthdr whole then cut: n-only known false, phy n",
	    !acc.n_only && !acc.n_only_unknown && acc.phy == WIFI_PHY_N);

	/* meshid beacon: 5 GHz, HT and VHT; VHT Capabilities a byte short. */
	if (wpkt_load(dir, "ieee802.11_meshid.pcap") <= 0)
		return;
	if ((i = first_with(EID_VHT_CAP)) < 0) {
		test_cond("meshid: a frame with VHT Capabilities", false);
		return;
	}
	n2 = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_VHT_CAP, 11,
	    false, buf2);
	reshaped_bss(buf2, n2, wpkt[i].dlt, &b);
	test_cond("meshid VHT Capabilities short: VHT Operation still says "
	    "ac", b.phy == WIFI_PHY_AC && b.malformed == IE_MAL_VHT_CAP);
	n = reshape(buf2, n2, wpkt[i].dlt, EID_VHT_OPERATION, 4, false, buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	expect_str("meshid VHT elements short: phy unknown, not n", "unknown",
	    wifi_phy_name(b.phy));
	expect_str("meshid VHT elements short: band still 5", "5",
	    wifi_band_name(b.band));

	/* Cut inside its RSN element: privacy without RSN was "wep". */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_RSN, 6, true,
	    buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	test_cond("meshid cut in RSN: privacy set, no RSN read",
	    b.privacy && !b.has_rsn && b.elements_cut);
	expect_str("meshid cut in RSN: security unknown, not wep", "unknown",
	    wifi_security_name(b.security));
	expect_str("meshid cut in RSN: PMF unknown", "unknown",
	    wifi_pmf_name(b.pmf));
	acc = b;
	bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, &whole);
	wifi_bss_merge(&acc, &whole);
	expect_str("meshid cut in RSN then whole: wpa3-sae", "wpa3-sae",
	    wifi_security_name(acc.security));
}

/*
 * Issue 10 s3 a and b, on the real meshid beacon (wildcard SSID; DS, TIM,
 * RSN, HT Capabilities, HT Operation, then Mesh ID, Mesh Configuration,
 * VHT) and the exthdr probe response (HT Capabilities last but one).  A
 * list cut before the Mesh ID leaves mesh and hidden unknown, not "a
 * hidden network"; a list cut inside it shows a mesh.  An HT element
 * shown (whole or cut off) makes the AP "at least n" while phy stays
 * unknown.
 */
static void
test_real_cut_mesh_phy_min(const char *caps)
{
	char dir[1100];
	uint8_t buf[2400];
	struct wifi_bss whole, b, acc;
	size_t n;
	int i;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	if (wpkt_load(dir, "ieee802.11_meshid.pcap") <= 0)
		return;
	if ((i = first_with(EID_MESH_ID)) < 0) {
		test_cond("meshid: a frame with a Mesh ID", false);
		return;
	}
	bss_of(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, &whole);
	test_cond("meshid whole: mesh known, not hidden", whole.is_mesh &&
	    !whole.mesh_unknown && !whole.hidden && !whole.hidden_unknown);
	expect_str("meshid whole: phy_min = phy", "ac",
	    wifi_phy_name(whole.phy_min));

	/* Cut in HT Operation, before the Mesh ID. */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_HT_OPERATION,
	    5, true, buf);
	expect_int("meshid cut before Mesh ID: bss", 0,
	    reshaped_bss(buf, n, wpkt[i].dlt, &b));
	expect_int("meshid cut before Mesh ID: wildcard SSID", IE_SSID_EMPTY,
	    b.ssid_form);
	test_cond("meshid cut before Mesh ID: mesh unknown, not 'not mesh'",
	    !b.is_mesh && b.mesh_unknown);
	test_cond("meshid cut before Mesh ID: hidden unknown, not hidden",
	    !b.hidden && b.hidden_unknown);
	expect_str("meshid cut after HT Capabilities: phy unknown", "unknown",
	    wifi_phy_name(b.phy));
	expect_str("meshid cut after HT Capabilities: at least n", "n",
	    wifi_phy_name(b.phy_min));
	acc = b;
	wifi_bss_merge(&acc, &whole);
	test_cond("meshid cut then whole: a mesh, not hidden", acc.is_mesh &&
	    !acc.mesh_unknown && !acc.hidden && !acc.hidden_unknown);
	test_cond("meshid cut then whole: phy ac, at least ac",
	    acc.phy == WIFI_PHY_AC && acc.phy_min == WIFI_PHY_AC);
	acc = whole;
	wifi_bss_merge(&acc, &b);
	test_cond("meshid whole then cut: a mesh, not hidden", acc.is_mesh &&
	    !acc.mesh_unknown && !acc.hidden && !acc.hidden_unknown);

	/* Cut inside the Mesh ID element: one was sent. */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_MESH_ID, 3,
	    true, buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	test_cond("meshid cut inside Mesh ID: a mesh, not hidden",
	    b.is_mesh && !b.mesh_unknown && !b.hidden && !b.hidden_unknown &&
	    b.elements_cut);

	/* Cut inside HT Capabilities: the element was sent, at least n. */
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_HT_CAP, 4,
	    true, buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	test_cond("meshid cut inside HT Capabilities: phy unknown, at least "
	    "n", b.phy == WIFI_PHY_UNKNOWN && b.phy_min == WIFI_PHY_N);

	/* exthdr: cut in HT Operation, HT Capabilities whole before it. */
	if (wpkt_load(dir, "ieee802.11_exthdr.pcap") <= 0)
		return;
	if ((i = first_with(EID_HT_OPERATION)) < 0) {
		test_cond("exthdr: a probe response with HT Operation", false);
		return;
	}
	n = reshape(wpkt[i].data, wpkt[i].len, wpkt[i].dlt, EID_HT_OPERATION,
	    5, true, buf);
	reshaped_bss(buf, n, wpkt[i].dlt, &b);
	test_cond("exthdr cut in HT Operation: phy unknown, at least n, "
	    "n-only known false (Extended Rates seen)", b.phy ==
	    WIFI_PHY_UNKNOWN && b.phy_min == WIFI_PHY_N && !b.n_only &&
	    !b.n_only_unknown);
	test_cond("exthdr cut in HT Operation: visible SSID, no mesh "
	    "question about hiding", !b.hidden && !b.hidden_unknown &&
	    b.mesh_unknown);
}

/*
 * A hidden beacon cut short, then a whole one without a Mesh ID: the
 * empty SSID was hiding after all.  And a cut one alone: no
 * wifi.hidden_ssid decided from the missing Mesh ID.
 */
static void
test_cut_hidden_resolved(void)
{
	static const uint8_t ht[26] = { 0 };
	struct frame f;
	struct wifi_bss acc, b;

	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -60, CAP_ESS_PRIV);
	el(&f, EID_SSID, "", 0);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_HT_CAP, ht, sizeof(ht));
	f.n -= 20;				/* cut inside HT Capabilities */
	fbss(&f, &acc);
	test_cond("synthetic cut hidden: hidden unknown", !acc.hidden &&
	    acc.hidden_unknown && acc.mesh_unknown && !acc.is_mesh);
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -61, CAP_ESS_PRIV);
	el(&f, EID_SSID, "", 0);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	fbss(&f, &b);
	wifi_bss_merge(&acc, &b);
	test_cond("synthetic cut then whole: hidden", acc.hidden &&
	    !acc.hidden_unknown && !acc.mesh_unknown && !acc.is_mesh &&
	    acc.ssid_form == IE_SSID_EMPTY);
}

/*
 * Rates past the 32 kept: an 11b basic rate among the dropped ones would
 * make a g-only verdict wrong, so g-only is unknown; the HT selector is
 * never dropped.
 */
static void
test_rates_dropped(void)
{
	uint8_t sup[8], ext[34];
	struct frame f;
	struct wifi_bss b, acc;
	size_t k;

	/*
	 * 6, 12, 24 basic and 5 more; 34 in Extended Supported Rates with
	 * the HT selector and 1 Mb/s basic past the 32 kept.
	 */
	memcpy(sup, "\x8c\x12\x98\x24\xb0\x48\x60\x6c", 8);
	for (k = 0; k < sizeof(ext); k++)
		ext[k] = 0x6c;
	ext[26] = 0xff;				/* HT selector, dropped zone */
	ext[27] = 0x82;
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_SUPP_RATES, sup, sizeof(sup));
	el(&f, EID_EXT_SUPP_RATES, ext, sizeof(ext));
	expect_int("41 rates: bss", 0, fbss(&f, &b));
	expect_int("41 rates: 8 + 34 - 1 selector - 32 kept = 9 dropped", 9,
	    b.rates_dropped);
	test_cond("41 rates: g-only not decided from a cut list (was true)",
	    !b.g_only && b.g_only_unknown);
	test_cond("41 rates: the HT selector is never dropped", b.n_only &&
	    !b.n_only_unknown);
	test_cond("41 rates: rates incomplete", b.rates_incomplete);

	/* Whole list, same BSS: it decides g-only. */
	acc = b;
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_SUPP_RATES, sup, sizeof(sup));
	fbss(&f, &b);
	test_cond("8 rates, OFDM basic only: g-only", b.g_only &&
	    !b.g_only_unknown);
	wifi_bss_merge(&acc, &b);
	test_cond("dropped then whole: g-only", acc.g_only &&
	    !acc.g_only_unknown && !acc.rates_incomplete);
	expect_int("dropped then whole: the most dropped is kept", 9,
	    acc.rates_dropped);

	/* An 11b basic rate within the 32 kept decides, dropped or not. */
	ext[0] = 0x82;
	beacon(&f, WLAN_MGMT_BEACON, B1, 2437, -50, WLAN_CAP_ESS);
	el(&f, EID_DS_PARAMS, "\x06", 1);
	el(&f, EID_SUPP_RATES, sup, sizeof(sup));
	el(&f, EID_EXT_SUPP_RATES, ext, sizeof(ext));
	fbss(&f, &b);
	test_cond("dropped, 11b basic kept: not g-only, known", !b.g_only &&
	    !b.g_only_unknown);
}

int
main(void)
{
	const char *caps = test_captures("test_wifi_bss");

	if (caps != NULL) {
		test_aircrack_vs_tshark(caps);
		test_manifest_facts(caps);
		test_meshid(caps);
		test_exthdr(caps);
		test_real_restamped(caps);
		test_real_malformed_cut(caps);
		test_real_cut_mesh_phy_min(caps);
	}
	test_synthetic_security();
	test_synthetic_radio();
	test_synthetic_hidden_merge();
	test_synthetic_no_radio();
	test_freq_channel();
	test_rsn_cut();
	test_element_over_header();
	test_merge_element_over_header();
	test_cut_elements();
	test_akm_not_kept();
	test_rates_dropped();
	test_cut_hidden_resolved();
	wpkt_free();
	return test_report();
}
