/*
 * test_ieee80211.c - the 802.11 frame decoder against real captures: all
 * 67 reason codes and 108 status codes of tcpdump's wifi_reason_status_codes
 * (the code is the number in the file name), the frame types tcpdump named
 * in ieee802.11_exthdr.out, the QoS data +HTC frame carrying DHCP in
 * ieee802.11_htc (addresses and IP length from its .out), the malformed
 * oobr files; then synthetic frames for address mapping, A-MSDU, protected
 * and cut-off frames.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ieee80211.h"
#include "radiotap.h"
#include "test.h"
#include "wifi_util.h"

/* Radio header, then the frame, of packet i. */
static int
decode_pkt(int i, struct ieee80211_frame *wf)
{
	struct radiotap_info ri;

	if (radiotap_decode(wpkt[i].dlt, wpkt[i].data, wpkt[i].len, &ri) != 0)
		return -2;
	return ieee80211_decode(wpkt[i].data + ri.frame_off, ri.frame_len, wf);
}

static void
test_reason_status(const char *caps)
{
	char dir[1100], name[64], d[128];
	int n, seen_reason = 0, seen_status = 0;

	snprintf(dir, sizeof(dir), "%s/tcpdump/wifi_reason_status_codes",
	    caps);
	for (n = 0; n <= 66; n++) {
		struct ieee80211_frame wf;
		const char *s;

		snprintf(name, sizeof(name), "reason_code-%d.pcap", n);
		if (wpkt_load(dir, name) < 1)
			continue;
		snprintf(d, sizeof(d), "%s decodes as a deauth", name);
		expect_int(d, 0, decode_pkt(0, &wf));
		test_cond(d, wf.type == WLAN_TYPE_MGMT &&
		    wf.subtype == WLAN_MGMT_DEAUTH &&
		    (wf.have & WLAN_HAVE_FIXED));
		snprintf(d, sizeof(d), "%s reason code", name);
		expect_int(d, n, wf.fixed.reason);
		s = ieee80211_reason_name(wf.fixed.reason);
		snprintf(d, sizeof(d), "%s has a name", name);
		test_cond(d, strcmp(s, "unknown") != 0);
		/* 0 and 40-44 are reserved in Table 9-49. */
		snprintf(d, sizeof(d), "%s defined as the standard says", name);
		expect_int(d, !(n == 0 || (n >= 40 && n <= 44)),
		    ieee80211_reason_defined(wf.fixed.reason));
		if (ieee80211_reason_defined(wf.fixed.reason))
			test_cond(d, strcmp(s, "reserved") != 0);
		seen_reason++;
	}
	expect_int("all 67 reason code captures read", 67, seen_reason);

	for (n = 0; n <= 107; n++) {
		struct ieee80211_frame wf;
		const char *s;

		snprintf(name, sizeof(name), "status_code-%d.pcap", n);
		if (wpkt_load(dir, name) < 1)
			continue;
		snprintf(d, sizeof(d), "%s decodes as an authentication", name);
		expect_int(d, 0, decode_pkt(0, &wf));
		test_cond(d, wf.type == WLAN_TYPE_MGMT &&
		    wf.subtype == WLAN_MGMT_AUTH &&
		    (wf.have & WLAN_HAVE_FIXED));
		snprintf(d, sizeof(d), "%s status code", name);
		expect_int(d, n, wf.fixed.status);
		s = ieee80211_status_name(wf.fixed.status);
		snprintf(d, sizeof(d), "%s has a name", name);
		test_cond(d, strcmp(s, "unknown") != 0);
		if (ieee80211_status_defined(wf.fixed.status))
			test_cond(d, strcmp(s, "reserved") != 0);
		seen_status++;
	}
	expect_int("all 108 status code captures read", 108, seen_status);

	/* Spot checks of the standard's wording. */
	expect_str("reason 15", "4-Way Handshake timeout",
	    ieee80211_reason_name(15));
	expect_str("reason 23", "IEEE 802.1X authentication failed",
	    ieee80211_reason_name(23));
	expect_str("status 0", "Successful", ieee80211_status_name(0));
	expect_str("status 17", "Association denied because AP is unable to "
	    "handle additional associated STAs", ieee80211_status_name(17));
	expect_str("status 4 reserved", "reserved", ieee80211_status_name(4));
	expect_str("status 200 unknown", "unknown",
	    ieee80211_status_name(200));
	expect_str("reason 67 unknown", "unknown", ieee80211_reason_name(67));
	{
		int defined = 0;

		for (n = 0; n <= 107; n++)
			defined += ieee80211_status_defined((uint16_t)n);
		/* Table 9-50 reserves 4 8 9 20 21 26 36 66 69-71 90 91. */
		expect_int("defined status codes", 108 - 13, defined);
	}
}

/* tcpdump's frame names in .out, as type/subtype. */
static const struct {
	const char	*name;
	uint8_t		 type;
	uint8_t		 subtype;
} tcpdump_names[] = {
	{ "Probe Request",	WLAN_TYPE_MGMT, WLAN_MGMT_PROBE_REQ },
	{ "Probe Response",	WLAN_TYPE_MGMT, WLAN_MGMT_PROBE_RESP },
	{ "Assoc Request",	WLAN_TYPE_MGMT, WLAN_MGMT_ASSOC_REQ },
	{ "Assoc Response",	WLAN_TYPE_MGMT, WLAN_MGMT_ASSOC_RESP },
	{ "ReAssoc Response",	WLAN_TYPE_MGMT, WLAN_MGMT_REASSOC_RESP },
	{ "Authentication",	WLAN_TYPE_MGMT, WLAN_MGMT_AUTH },
	{ "Beacon",		WLAN_TYPE_MGMT, WLAN_MGMT_BEACON },
	{ "Acknowledgment",	WLAN_TYPE_CTRL, 13 },
};

static void
test_exthdr_types(const char *caps)
{
	char dir[1100], line[4096], d[160];
	int i, named = 0;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	if (wpkt_load(dir, "ieee802.11_exthdr.pcap") <= 0)
		return;
	for (i = 0; i < wpkt_n; i++) {
		struct ieee80211_frame wf;
		size_t k;
		int rc = decode_pkt(i, &wf);

		snprintf(d, sizeof(d), "exthdr #%d decodes", i + 1);
		expect_int(d, 0, rc);
		if (!wpkt_out_line(dir, "ieee802.11_exthdr.out", i + 1, line,
		    sizeof(line)))
			continue;
		for (k = 0; k < sizeof(tcpdump_names) /
		    sizeof(tcpdump_names[0]); k++) {
			if (strstr(line, tcpdump_names[k].name) == NULL)
				continue;
			snprintf(d, sizeof(d), "exthdr #%d is %s", i + 1,
			    tcpdump_names[k].name);
			test_cond(d, wf.type == tcpdump_names[k].type &&
			    wf.subtype == tcpdump_names[k].subtype);
			named++;
			break;
		}
		if (strstr(line, "(Open System)-1: Successful") != NULL) {
			snprintf(d, sizeof(d), "exthdr #%d auth fields", i + 1);
			test_cond(d, wf.fixed.auth_alg == WLAN_AUTH_OPEN &&
			    wf.fixed.auth_seq == 1 && wf.fixed.status == 0);
			expect_str(d, "Open System",
			    ieee80211_auth_alg_name(wf.fixed.auth_alg));
		}
		if (strstr(line, "AID(1) :: Successful") != NULL) {
			snprintf(d, sizeof(d), "exthdr #%d assoc resp", i + 1);
			test_cond(d, wf.fixed.aid == 1 && wf.fixed.status == 0);
		}
		if (strstr(line, "Probe") != NULL) {
			snprintf(d, sizeof(d), "exthdr #%d has elements",
			    i + 1);
			test_cond(d, wf.ies != NULL && wf.ies_len > 2);
		}
	}
	test_cond("exthdr: tcpdump names matched", named >= 20);
}

static bool
parse_mac(const char *line, const char *key, uint8_t mac[6])
{
	const char *s = strstr(line, key);
	unsigned m[6];
	int i;

	if (s == NULL || sscanf(s + strlen(key), "%x:%x:%x:%x:%x:%x",
	    &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return false;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return true;
}

static void
test_htc(const char *caps)
{
	char dir[1100], line[4096];
	struct ieee80211_frame wf;
	uint8_t bssid[6], sa[6], da[6];
	const char *l;
	int iplen = 0;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	if (wpkt_load(dir, "ieee802.11_htc.pcap") < 1 ||
	    !wpkt_out_line(dir, "ieee802.11_htc.out", 1, line, sizeof(line))) {
		test_cond("htc capture and .out present", false);
		return;
	}
	expect_int("htc decodes", 0, decode_pkt(0, &wf));
	test_cond("htc: QoS data", wf.type == WLAN_TYPE_DATA &&
	    (wf.subtype & WLAN_DATA_QOS) && (wf.have & WLAN_HAVE_QOS));
	test_cond("htc: +HTC", wf.order && (wf.have & WLAN_HAVE_HTC));
	test_cond(".out says +HTC", strstr(line, "+HTC") != NULL);
	test_cond(".out addresses", parse_mac(line, "BSSID:", bssid) &&
	    parse_mac(line, "SA:", sa) && parse_mac(line, "DA:", da));
	expect_mem("htc: BSSID", bssid, wf.bssid, 6);
	expect_mem("htc: SA", sa, wf.sa, 6);
	expect_mem("htc: DA", da, wf.da, 6);
	test_cond("htc: SNAP", wf.have & WLAN_HAVE_SNAP);
	expect_int("htc: ethertype IPv4", 0x0800, wf.ethertype);
	l = strstr(line, "proto UDP (17), length ");
	if (l != NULL)
		iplen = atoi(l + strlen("proto UDP (17), length "));
	test_cond("htc: .out IP length", iplen > 0);
	test_cond("htc: payload holds the IP packet",
	    wf.payload_len >= (size_t)iplen && wf.payload[0] == 0x45);
	expect_int("htc: IP total length", iplen,
	    wf.payload[2] << 8 | wf.payload[3]);
	/* UDP 68 -> 67 inside: what the DHCP decoder will be handed. */
	expect_int("htc: UDP dport 67", 67,
	    wf.payload[22] << 8 | wf.payload[23]);
	expect_str("htc: subtype name", "QoS Data",
	    ieee80211_subtype_name(wf.type, wf.subtype));
}

static void
test_malformed(const char *caps)
{
	static const char *files[] = {
		"ieee802.11_rates_oobr.pcap",
		"ieee802.11_tim_ie_oobr.pcap",
		"ieee802.11_parse_elements_oobr.pcap",
		"ieee802.11_meshhdr-oobr.pcap",
		"radiotap-heapoverflow.pcap",
	};
	char dir[1100], d[160];
	size_t f;
	int i;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		if (wpkt_load(dir, files[f]) < 1)
			continue;
		for (i = 0; i < wpkt_n; i++) {
			struct ieee80211_frame wf;

			/* Only "does not crash" and sane views. */
			if (decode_pkt(i, &wf) != 0)
				continue;
			snprintf(d, sizeof(d), "%s #%d views inside", files[f],
			    i + 1);
			test_cond(d, wf.ies == NULL || (wf.ies >= wpkt[i].data
			    && wf.ies + wf.ies_len <= wpkt[i].data +
			    wpkt[i].len));
		}
	}
	/* tcpdump: "ReAssoc Response AID(3030) : PRIVACY : n/a" (1, 2, 4). */
	if (wpkt_load(dir, "ieee802.11_tim_ie_oobr.pcap") >= 4) {
		struct ieee80211_frame wf;

		for (i = 0; i < 4; i++) {
			if (i == 2)
				continue;
			snprintf(d, sizeof(d), "tim_ie_oobr #%d", i + 1);
			expect_int(d, 0, decode_pkt(i, &wf));
			test_cond(d, wf.type == WLAN_TYPE_MGMT &&
			    wf.subtype == WLAN_MGMT_REASSOC_RESP);
			expect_int(d, 0x3030, wf.fixed.aid);
			test_cond(d, wf.fixed.capability & WLAN_CAP_PRIVACY);
		}
	}
	/* tcpdump: "Beacon IBSS, PRIVACY [|802.11]". */
	if (wpkt_load(dir, "ieee802.11_parse_elements_oobr.pcap") >= 1) {
		struct ieee80211_frame wf;

		expect_int("parse_elements_oobr decodes", 0,
		    decode_pkt(0, &wf));
		test_cond("parse_elements_oobr: beacon",
		    wf.type == WLAN_TYPE_MGMT &&
		    wf.subtype == WLAN_MGMT_BEACON);
		test_cond("parse_elements_oobr: IBSS, privacy",
		    (wf.fixed.capability & WLAN_CAP_PRIVACY) &&
		    !(wf.fixed.capability & WLAN_CAP_ESS));
	}
}

/* --- synthetic frames ------------------------------------------------ */

static int
decode_copy(const uint8_t *b, size_t len, struct ieee80211_frame *wf)
{
	static uint8_t *keep;
	int rc;

	/* Exact-size copy kept until the next call, so views stay valid. */
	free(keep);
	keep = malloc(len ? len : 1);
	memcpy(keep, b, len);
	rc = ieee80211_decode(keep, len, wf);
	return rc;
}

static const uint8_t A1[6] = { 1, 1, 1, 1, 1, 1 };
static const uint8_t A2[6] = { 2, 2, 2, 2, 2, 2 };
static const uint8_t A3[6] = { 3, 3, 3, 3, 3, 3 };
static const uint8_t A4[6] = { 4, 4, 4, 4, 4, 4 };

/* A data frame header: fc, duration, addr1-3, seq (and addr4). */
static size_t
data_hdr(uint8_t *b, uint8_t subtype, uint8_t flags)
{
	size_t o = 0;

	b[o++] = (uint8_t)(WLAN_TYPE_DATA << 2 | subtype << 4);
	b[o++] = flags;
	b[o++] = 0;
	b[o++] = 0;
	memcpy(b + o, A1, 6); o += 6;
	memcpy(b + o, A2, 6); o += 6;
	memcpy(b + o, A3, 6); o += 6;
	b[o++] = 0x10;
	b[o++] = 0;
	if ((flags & 3) == 3) {
		memcpy(b + o, A4, 6);
		o += 6;
	}
	return o;
}

static size_t
snap(uint8_t *b, uint16_t ethertype)
{
	static const uint8_t llc[6] = { 0xaa, 0xaa, 0x03, 0, 0, 0 };

	memcpy(b, llc, 6);
	b[6] = ethertype >> 8;
	b[7] = ethertype & 0xff;
	return 8;
}

static void
test_synthetic_data(void)
{
	uint8_t b[256];
	struct ieee80211_frame wf;
	size_t o;

	/* synthetic: to-DS data, IPv6 in SNAP. */
	o = data_hdr(b, 0, 0x01);
	o += snap(b + o, 0x86dd);
	b[o++] = 0x60;
	expect_int("synthetic to-DS: decodes", 0, decode_copy(b, o, &wf));
	expect_mem("synthetic to-DS: bssid=addr1", A1, wf.bssid, 6);
	expect_mem("synthetic to-DS: sa=addr2", A2, wf.sa, 6);
	expect_mem("synthetic to-DS: da=addr3", A3, wf.da, 6);
	expect_int("synthetic to-DS: ethertype", 0x86dd, wf.ethertype);
	expect_int("synthetic to-DS: payload", 1, wf.payload_len);

	/* synthetic: from-DS. */
	o = data_hdr(b, 0, 0x02);
	decode_copy(b, o, &wf);
	expect_mem("synthetic from-DS: bssid=addr2", A2, wf.bssid, 6);
	expect_mem("synthetic from-DS: sa=addr3", A3, wf.sa, 6);
	test_cond("synthetic from-DS: no body, no SNAP",
	    !(wf.have & WLAN_HAVE_SNAP) && wf.body_len == 0);

	/* synthetic: WDS (both bits): addr4, no BSSID. */
	o = data_hdr(b, 0, 0x03);
	o += snap(b + o, 0x0800);
	decode_copy(b, o, &wf);
	test_cond("synthetic WDS: addr4", wf.have & WLAN_HAVE_ADDR4);
	test_cond("synthetic WDS: no bssid", !(wf.have & WLAN_HAVE_BSSID));
	expect_mem("synthetic WDS: sa=addr4", A4, wf.sa, 6);
	expect_int("synthetic WDS: ethertype", 0x0800, wf.ethertype);

	/* synthetic: QoS data A-MSDU: first subframe's SNAP. */
	o = data_hdr(b, WLAN_DATA_QOS, 0x01);
	b[o++] = 0x80;				/* A-MSDU present */
	b[o++] = 0;
	memcpy(b + o, A3, 6); o += 6;
	memcpy(b + o, A2, 6); o += 6;
	b[o++] = 0;
	b[o++] = 8 + 4;				/* subframe length */
	o += snap(b + o, 0x0806);
	memset(b + o, 0xab, 4); o += 4;
	memset(b + o, 0xcd, 6); o += 6;		/* next subframe start */
	decode_copy(b, o, &wf);
	test_cond("synthetic A-MSDU: flag", wf.amsdu);
	expect_int("synthetic A-MSDU: ethertype", 0x0806, wf.ethertype);
	expect_int("synthetic A-MSDU: payload bounded by subframe", 4,
	    wf.payload_len);

	/* synthetic: protected data: no SNAP from ciphertext. */
	o = data_hdr(b, 0, 0x41);
	o += snap(b + o, 0x0800);
	decode_copy(b, o, &wf);
	test_cond("synthetic protected: flag", wf.protected_frame);
	test_cond("synthetic protected: no SNAP", !(wf.have & WLAN_HAVE_SNAP));

	/* synthetic: QoS null has no body to decode. */
	o = data_hdr(b, WLAN_DATA_QOS | WLAN_DATA_NODATA, 0x01);
	b[o++] = 0;
	b[o++] = 0;
	decode_copy(b, o, &wf);
	expect_str("synthetic QoS Null name", "QoS Null",
	    ieee80211_subtype_name(wf.type, wf.subtype));

	/* synthetic: QoS +HTC cut inside the HT Control field. */
	o = data_hdr(b, WLAN_DATA_QOS, 0x81);
	b[o++] = 0;
	b[o++] = 0;
	b[o++] = 0xff;
	decode_copy(b, o, &wf);
	test_cond("synthetic cut HTC: truncated", wf.truncated &&
	    !(wf.have & WLAN_HAVE_HTC) && (wf.have & WLAN_HAVE_QOS));

	/* synthetic: non-SNAP LLC is left alone. */
	o = data_hdr(b, 0, 0x01);
	memcpy(b + o, "\x42\x42\x03\x00\x00\x00\x08\x00", 8);
	decode_copy(b, o + 8, &wf);
	test_cond("synthetic STP LLC: no SNAP", !(wf.have & WLAN_HAVE_SNAP));
}

static void
test_synthetic_mgmt_ctrl(void)
{
	uint8_t b[64];
	struct ieee80211_frame wf;
	size_t i;

	/* synthetic: too short for fc + duration + addr1. */
	memset(b, 0, sizeof(b));
	expect_int("synthetic 9 bytes: rejected", -1, decode_copy(b, 9, &wf));
	b[0] = 0x01;				/* protocol version 1 */
	expect_int("synthetic version 1: rejected", -1,
	    decode_copy(b, 24, &wf));

	/* synthetic: RTS has a transmitter, ACK does not. */
	memset(b, 0, sizeof(b));
	b[0] = WLAN_TYPE_CTRL << 2 | 11 << 4;
	memcpy(b + 4, A1, 6);
	memcpy(b + 10, A2, 6);
	expect_int("synthetic RTS: decodes", 0, decode_copy(b, 16, &wf));
	test_cond("synthetic RTS: addr2", (wf.have & WLAN_HAVE_ADDR2) &&
	    memcmp(wf.addr2, A2, 6) == 0);
	decode_copy(b, 12, &wf);
	test_cond("synthetic cut RTS: truncated", wf.truncated);
	b[0] = WLAN_TYPE_CTRL << 2 | 13 << 4;
	decode_copy(b, 10, &wf);
	test_cond("synthetic ACK: addr1 only", !(wf.have & WLAN_HAVE_ADDR2) &&
	    memcmp(wf.addr1, A1, 6) == 0 && !wf.truncated);

	/* synthetic: deauth cut inside the reason field. */
	memset(b, 0, sizeof(b));
	b[0] = WLAN_MGMT_DEAUTH << 4;
	memcpy(b + 16, A3, 6);
	b[24] = 7;
	decode_copy(b, 25, &wf);
	test_cond("synthetic cut deauth: truncated, no fixed",
	    wf.truncated && !(wf.have & WLAN_HAVE_FIXED));
	expect_mem("synthetic cut deauth: bssid", A3, wf.bssid, 6);
	decode_copy(b, 26, &wf);
	expect_int("synthetic deauth: reason", 7, wf.fixed.reason);

	/* synthetic: a management frame with +HTC moves the body by 4. */
	memset(b, 0, sizeof(b));
	b[0] = WLAN_MGMT_DISASSOC << 4;
	b[1] = 0x80;
	b[28] = 3;
	decode_copy(b, 30, &wf);
	test_cond("synthetic mgmt +HTC", wf.have & WLAN_HAVE_HTC);
	expect_int("synthetic mgmt +HTC: reason after HTC", 3,
	    wf.fixed.reason);

	/* synthetic: protected deauth (MFP): no fixed fields read. */
	b[1] = 0x40;
	decode_copy(b, 30, &wf);
	test_cond("synthetic protected deauth: body only",
	    !(wf.have & WLAN_HAVE_FIXED) && wf.body_len == 6);

	/* synthetic: reassoc request carries the current AP. */
	memset(b, 0, sizeof(b));
	b[0] = WLAN_MGMT_REASSOC_REQ << 4;
	memcpy(b + 28, A4, 6);
	b[34] = 0;				/* SSID element */
	b[35] = 0;
	decode_copy(b, 36, &wf);
	expect_mem("synthetic reassoc: current AP", A4, wf.fixed.current_ap,
	    6);
	expect_int("synthetic reassoc: elements", 2, wf.ies_len);

	/* synthetic: action frames are not elements. */
	memset(b, 0, sizeof(b));
	b[0] = WLAN_MGMT_ACTION << 4;
	b[24] = 3;
	b[25] = 1;
	decode_copy(b, 30, &wf);
	test_cond("synthetic action: category/code, no ies",
	    wf.fixed.action_category == 3 && wf.fixed.action_code == 1 &&
	    wf.ies == NULL);

	/* Every prefix of a beacon header decodes without reading past. */
	memset(b, 0, sizeof(b));
	b[0] = WLAN_MGMT_BEACON << 4;
	for (i = 0; i <= 40; i++)
		decode_copy(b, i, &wf);
	test_cond("synthetic beacon prefixes survived", true);
	expect_str("names: beacon", "Beacon",
	    ieee80211_subtype_name(WLAN_TYPE_MGMT, WLAN_MGMT_BEACON));
	expect_str("names: unknown", "unknown",
	    ieee80211_subtype_name(WLAN_TYPE_MGMT, 15));
	expect_str("auth alg SAE", "SAE", ieee80211_auth_alg_name(3));
	decode_copy(b, 0, &wf);
}

int
main(void)
{
	const char *caps = test_captures("test_ieee80211");

	if (caps != NULL) {
		test_reason_status(caps);
		test_exthdr_types(caps);
		test_htc(caps);
		test_malformed(caps);
	}
	test_synthetic_data();
	test_synthetic_mgmt_ctrl();
	wpkt_free();
	return test_report();
}
