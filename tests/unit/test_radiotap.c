/*
 * test_radiotap.c - the radio header decoders against tcpdump's radiotap
 * captures, checked field by field against what tcpdump printed in the
 * matching .out file (frequency, dBm signal and noise, rate, TSFT, MCS),
 * plus synthetic headers for what no capture covers: vendor namespaces,
 * namespace resets, FCS stripping, unknown fields, Prism, AVS and PPI.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radiotap.h"
#include "test.h"
#include "wifi_util.h"

/* A number printed just before `suffix` in `line`, e.g. "2412 MHz". */
static bool
out_value(const char *line, const char *suffix, double *v)
{
	const char *s = strstr(line, suffix), *b;

	if (s == NULL || s == line)
		return false;
	b = s;
	while (b > line && b[-1] != ' ')
		b--;
	return sscanf(b, "%lf", v) == 1;
}

/*
 * Every packet of a tcpdump radiotap capture against its .out file.
 * Returns how many rates were compared.
 */
static int
check_against_out(const char *dir, const char *pcap, const char *out)
{
	char line[4096], d[256];
	int i, nfreq = 0, nsig = 0, nrate = 0;

	if (wpkt_load(dir, pcap) <= 0)
		return 0;
	for (i = 0; i < wpkt_n; i++) {
		struct radiotap_info ri;
		double v;
		int rc;

		if (!wpkt_out_line(dir, out, i + 1, line, sizeof(line))) {
			printf("FAIL %s: no .out line %d\n", out, i + 1);
			test_failed++;
			continue;
		}
		rc = radiotap_decode(wpkt[i].dlt, wpkt[i].data, wpkt[i].len,
		    &ri);
		snprintf(d, sizeof(d), "%s #%d decodes", pcap, i + 1);
		expect_int(d, 0, rc);
		if (out_value(line, "us tsft", &v)) {
			snprintf(d, sizeof(d), "%s #%d tsft", pcap, i + 1);
			expect_int(d, (long long)v, (long long)ri.tsft);
		}
		if (out_value(line, " MHz ", &v) && strstr(line, "MCS") ==
		    NULL) {
			snprintf(d, sizeof(d), "%s #%d MHz", pcap, i + 1);
			expect_int(d, (long long)v, ri.freq_mhz);
			nfreq++;
		} else if (strstr(line, "MCS") != NULL) {
			/* "2462 MHz 11n ... 40 MHz": the first one. */
			if (sscanf(strstr(line, "tsft ") + 5, "%lf", &v) == 1) {
				snprintf(d, sizeof(d), "%s #%d MHz", pcap,
				    i + 1);
				expect_int(d, (long long)v, ri.freq_mhz);
				nfreq++;
			}
		} else {
			snprintf(d, sizeof(d), "%s #%d has no freq", pcap,
			    i + 1);
			test_cond(d, !(ri.have & RADIO_HAVE_FREQ));
		}
		if (out_value(line, "dBm signal", &v)) {
			snprintf(d, sizeof(d), "%s #%d signal", pcap, i + 1);
			expect_int(d, (long long)v, ri.signal_dbm);
			test_cond(d, ri.have & RADIO_HAVE_SIGNAL);
			nsig++;
		}
		if (out_value(line, "dBm noise", &v)) {
			snprintf(d, sizeof(d), "%s #%d noise", pcap, i + 1);
			expect_int(d, (long long)v, ri.noise_dbm);
		}
		if (out_value(line, " Mb/s", &v)) {
			snprintf(d, sizeof(d), "%s #%d rate", pcap, i + 1);
			expect_int(d, (long long)(v * 1000 + 0.5),
			    ri.rate_kbps);
			nrate++;
		}
		if (out_value(line, " 40 MHz", &v) || strstr(line, "MCS ")) {
			const char *m = strstr(line, "MCS ");

			if (m != NULL && sscanf(m + 4, "%lf", &v) == 1) {
				snprintf(d, sizeof(d), "%s #%d mcs", pcap,
				    i + 1);
				expect_int(d, (long long)v, ri.mcs_index);
				test_cond(d, ((ri.mcs_flags & 3) == 1) ==
				    (strstr(line, " 40 MHz") != NULL));
				test_cond(d, ((ri.mcs_flags & 4) != 0) ==
				    (strstr(line, "short GI") != NULL));
			}
		}
		snprintf(d, sizeof(d), "%s #%d frame inside packet", pcap,
		    i + 1);
		test_cond(d, ri.frame_off + ri.frame_len <= wpkt[i].len);
	}
	snprintf(d, sizeof(d), "%s: some packets had MHz and signal", pcap);
	test_cond(d, nfreq > 0 && nsig > 0);
	return nrate;
}

static void
test_captures_golden(const char *caps)
{
	char dir[1100];
	struct radiotap_info ri;

	snprintf(dir, sizeof(dir), "%s/tcpdump", caps);
	test_cond("exthdr: rates compared", check_against_out(dir,
	    "ieee802.11_exthdr.pcap", "ieee802.11_exthdr.out") > 0);
	/* The exthdr file sets the FCS flag on its received frames. */
	if (wpkt_load(dir, "ieee802.11_exthdr.pcap") > 0) {
		radiotap_decode(wpkt[0].dlt, wpkt[0].data, wpkt[0].len, &ri);
		test_cond("exthdr #1 FCS present", ri.fcs_present);
		expect_int("exthdr #1 frame excludes FCS",
		    wpkt[0].len - ri.frame_off - 4, ri.frame_len);
		/* Its second bitmap word sets bit 32, a field we stop at. */
		test_cond("exthdr #1 stops at unknown bit 32",
		    ri.unknown_field);
		expect_int("exthdr #1 antenna", 1, ri.antenna);
	}
	check_against_out(dir, "ieee802.11_meshid.pcap",
	    "ieee802.11_meshid.out");
	test_cond("rx-stbc: MCS rates compared", check_against_out(dir,
	    "ieee802.11_rx-stbc.pcap", "ieee802.11_rx-stbc.out") > 0);
	check_against_out(dir, "ieee802.11_htc.pcap", "ieee802.11_htc.out");

	/* Malformed on purpose: must not crash, must not claim a frame. */
	if (wpkt_load(dir, "radiotap-heapoverflow.pcap") > 0) {
		int rc = radiotap_decode(RADIO_DLT_RADIOTAP, wpkt[0].data,
		    wpkt[0].len, &ri);

		test_cond("radiotap-heapoverflow rejected or truncated",
		    rc == -1 || ri.truncated);
	}
}

/* --- synthetic headers --------------------------------------------- */

static void
put_le16(uint8_t *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Decode a synthetic header held in an exact-size heap copy. */
static int
decode_copy(int dlt, const uint8_t *b, size_t len, struct radiotap_info *ri)
{
	uint8_t *h = malloc(len ? len : 1);
	int rc;

	memcpy(h, b, len);
	rc = radiotap_decode(dlt, h, len, ri);
	free(h);
	return rc;
}

static void
test_synthetic_vendor_namespace(void)
{
	uint8_t b[64];
	struct radiotap_info ri;
	size_t o;

	/*
	 * synthetic: word0 = Flags + vendor-ns next + ext; word1 (vendor) =
	 * bit 29 (back to radiotap) + ext; word2 = Channel + dBm signal.
	 */
	memset(b, 0, sizeof(b));
	put_le32(b + 4, 1u << 1 | 1u << 30 | 1u << 31);
	put_le32(b + 8, 1u << 0 | 1u << 29 | 1u << 31);
	put_le32(b + 12, 1u << 3 | 1u << 5);
	o = 16;
	b[o++] = RADIOTAP_F_FCS;		/* Flags */
	o++;					/* align 2 for vendor header */
	b[o++] = 0x00; b[o++] = 0x11; b[o++] = 0x22; b[o++] = 0;
	put_le16(b + o, 5); o += 2;		/* skip_length */
	memset(b + o, 0xee, 5); o += 5;
	o += o % 2;				/* Channel aligns to 2 */
	put_le16(b + o, 2472); o += 2;		/* channel 13 */
	put_le16(b + o, RADIOTAP_CHAN_2GHZ | RADIOTAP_CHAN_OFDM); o += 2;
	b[o++] = (uint8_t)-61;
	put_le16(b + 2, (unsigned)o);
	/* 10 bytes of "frame" + 4 of FCS */
	memset(b + o, 0xd0, 14);
	expect_int("synthetic vendor ns: decodes", 0,
	    decode_copy(RADIO_DLT_RADIOTAP, b, o + 14, &ri));
	expect_int("synthetic vendor ns: freq after skip", 2472, ri.freq_mhz);
	expect_int("synthetic vendor ns: signal", -61, ri.signal_dbm);
	test_cond("synthetic vendor ns: FCS flag", ri.fcs_present);
	expect_int("synthetic vendor ns: frame_off", o, ri.frame_off);
	expect_int("synthetic vendor ns: FCS stripped", 10, ri.frame_len);
	test_cond("synthetic vendor ns: clean", !ri.truncated &&
	    !ri.unknown_field);

	/* synthetic: the vendor skip_length runs past the header. */
	put_le16(b + 22, 200);		/* skip_length */
	decode_copy(RADIO_DLT_RADIOTAP, b, o + 14, &ri);
	test_cond("synthetic vendor ns overrun: truncated", ri.truncated);
	test_cond("synthetic vendor ns overrun: no freq",
	    !(ri.have & RADIO_HAVE_FREQ));
}

static void
test_synthetic_radiotap_edges(void)
{
	uint8_t b[256];
	struct radiotap_info ri;
	int i;

	/* synthetic: TSFT aligned to 8 after a 3-word bitmap chain. */
	memset(b, 0, sizeof(b));
	put_le32(b + 4, 1u << 0 | 1u << 31);	/* TSFT, ext */
	put_le32(b + 8, 1u << 29 | 1u << 31);	/* nothing, radiotap ns */
	put_le32(b + 12, 1u << 5);		/* dBm signal */
	/* data at 16: TSFT (8-aligned), then signal */
	put_le32(b + 16, 0x01020304);
	b[24] = (uint8_t)-70;
	put_le16(b + 2, 25);
	expect_int("synthetic ext chain: decodes", 0,
	    decode_copy(RADIO_DLT_RADIOTAP, b, 25, &ri));
	expect_int("synthetic ext chain: tsft", 0x01020304, ri.tsft);
	expect_int("synthetic ext chain: signal", -70, ri.signal_dbm);

	/* synthetic: a chain of 20 ext words is refused as garbage. */
	memset(b, 0, sizeof(b));
	for (i = 0; i < 20; i++)
		put_le32(b + 4 + 4 * i, 1u << 31);
	put_le16(b + 2, 4 + 4 * 20 + 4);
	decode_copy(RADIO_DLT_RADIOTAP, b, 4 + 4 * 20 + 4, &ri);
	test_cond("synthetic long chain: truncated", ri.truncated);

	/* synthetic: the bitmap never ends inside it_len. */
	memset(b, 0, sizeof(b));
	put_le32(b + 4, 1u << 31);
	put_le16(b + 2, 8);
	expect_int("synthetic open chain: decodes (frame placed)", 0,
	    decode_copy(RADIO_DLT_RADIOTAP, b, 8, &ri));
	test_cond("synthetic open chain: truncated", ri.truncated);

	/* synthetic: it_len beyond the capture, bad version, too short. */
	put_le16(b + 2, 100);
	expect_int("synthetic it_len > caplen", -1,
	    decode_copy(RADIO_DLT_RADIOTAP, b, 8, &ri));
	put_le16(b + 2, 8);
	b[0] = 1;
	expect_int("synthetic version 1", -1,
	    decode_copy(RADIO_DLT_RADIOTAP, b, 8, &ri));
	expect_int("synthetic 3 bytes", -1,
	    decode_copy(RADIO_DLT_RADIOTAP, b, 3, &ri));

	/* synthetic: Channel field cut by it_len. */
	memset(b, 0, sizeof(b));
	put_le32(b + 4, 1u << 3);
	put_le16(b + 8, 2412);
	put_le16(b + 2, 10);
	decode_copy(RADIO_DLT_RADIOTAP, b, 12, &ri);
	test_cond("synthetic cut Channel: truncated", ri.truncated);
	test_cond("synthetic cut Channel: no freq",
	    !(ri.have & RADIO_HAVE_FREQ));

	/* synthetic: FCS flag on a frame shorter than an FCS. */
	memset(b, 0, sizeof(b));
	put_le32(b + 4, 1u << 1);
	b[8] = RADIOTAP_F_FCS | RADIOTAP_F_BADFCS;
	put_le16(b + 2, 9);
	decode_copy(RADIO_DLT_RADIOTAP, b, 11, &ri);
	test_cond("synthetic short FCS frame: bad fcs flag", ri.bad_fcs);
	expect_int("synthetic short FCS frame: len 0", 0, ri.frame_len);

	/* bare 802.11 */
	expect_int("bare 802.11 decodes", 0,
	    decode_copy(RADIO_DLT_IEEE802_11, b, 30, &ri));
	expect_int("bare 802.11 frame_off", 0, ri.frame_off);
	expect_int("bare 802.11 frame_len", 30, ri.frame_len);
	expect_int("unknown dlt", -1, decode_copy(1, b, 30, &ri));
	test_cond("dlt known", radiotap_dlt_known(127) &&
	    radiotap_dlt_known(119) && radiotap_dlt_known(163) &&
	    radiotap_dlt_known(192) && !radiotap_dlt_known(1));
	expect_int("HT rate MCS7 40 SGI", 150000,
	    radiotap_ht_rate_kbps(7, true, true));
	expect_int("HT rate MCS15 20 LGI", 130000,
	    radiotap_ht_rate_kbps(15, false, false));
	expect_int("HT rate MCS32 unknown", 0,
	    radiotap_ht_rate_kbps(32, false, false));
}

static void
test_synthetic_prism_avs_ppi(void)
{
	uint8_t b[256];
	struct radiotap_info ri;
	size_t i;

	/* synthetic: Prism, little-endian, channel 6, -55 dBm, 54 Mb/s. */
	memset(b, 0, sizeof(b));
	put_le32(b, 0x00000041);
	put_le32(b + 4, 144);
	memcpy(b + 8, "wlan0", 5);
	for (i = 0; i < 10; i++) {
		uint8_t *it = b + 24 + 12 * i;

		put_le32(it, 0x1041 + (uint32_t)i);
		put_le16(it + 4, 0);		/* status: supplied */
		put_le16(it + 6, 4);
	}
	put_le32(b + 24 + 12 * 2 + 8, 6);	/* channel */
	put_le32(b + 24 + 12 * 5 + 8, (uint32_t)-55);	/* signal */
	put_le32(b + 24 + 12 * 6 + 8, (uint32_t)-95);	/* noise */
	put_le32(b + 24 + 12 * 7 + 8, 108);	/* rate, 500 kb/s */
	put_le16(b + 24 + 12 * 6 + 4, 1);	/* noise: no value */
	expect_int("synthetic prism: decodes", 0,
	    decode_copy(RADIO_DLT_PRISM, b, 144 + 24, &ri));
	expect_int("synthetic prism: channel", 6, ri.channel);
	expect_int("synthetic prism: freq", 2437, ri.freq_mhz);
	expect_int("synthetic prism: signal", -55, ri.signal_dbm);
	test_cond("synthetic prism: noise withheld",
	    !(ri.have & RADIO_HAVE_NOISE));
	expect_int("synthetic prism: rate", 54000, ri.rate_kbps);
	expect_int("synthetic prism: frame_off", 144, ri.frame_off);
	expect_int("synthetic prism: frame_len", 24, ri.frame_len);
	expect_int("synthetic prism: short", -1,
	    decode_copy(RADIO_DLT_PRISM, b, 100, &ri));

	/* synthetic: AVS v1, big-endian, channel 36, dBm, 24 Mb/s. */
	memset(b, 0, sizeof(b));
	put_be32(b, 0x80211001);
	put_be32(b + 4, 64);
	put_be32(b + 12, 777);			/* mactime low */
	put_be32(b + 28, 36);			/* channel */
	put_be32(b + 32, 240);			/* 100 kb/s */
	put_be32(b + 44, 2);			/* ssi_type dBm */
	put_be32(b + 48, (uint32_t)-48);
	put_be32(b + 52, (uint32_t)-92);
	expect_int("synthetic avs: decodes", 0,
	    decode_copy(RADIO_DLT_AVS, b, 64 + 24, &ri));
	expect_int("synthetic avs: freq", 5180, ri.freq_mhz);
	expect_int("synthetic avs: signal", -48, ri.signal_dbm);
	expect_int("synthetic avs: noise", -92, ri.noise_dbm);
	expect_int("synthetic avs: rate", 24000, ri.rate_kbps);
	expect_int("synthetic avs: tsft", 777, ri.tsft);
	expect_int("synthetic avs: frame_off", 64, ri.frame_off);
	/* The same header under the Prism DLT, as some drivers send it. */
	expect_int("synthetic avs under prism dlt", 0,
	    decode_copy(RADIO_DLT_PRISM, b, 64 + 24, &ri));
	expect_int("synthetic avs under prism: hdr", RADIO_HDR_AVS, ri.hdr);
	put_be32(b + 44, 1);			/* normalised RSSI */
	decode_copy(RADIO_DLT_AVS, b, 64 + 24, &ri);
	test_cond("synthetic avs rssi: no dBm", !(ri.have & RADIO_HAVE_SIGNAL));
	put_be32(b, 0x12345678);
	expect_int("synthetic avs bad magic", -1,
	    decode_copy(RADIO_DLT_AVS, b, 64 + 24, &ri));

	/* synthetic: PPI with an 802.11-Common field, FCS present. */
	memset(b, 0, sizeof(b));
	b[0] = 0;
	b[1] = 0;
	put_le16(b + 2, 8 + 4 + 20);
	put_le32(b + 4, 105);
	put_le16(b + 8, 2);
	put_le16(b + 10, 20);
	put_le32(b + 12, 4242);			/* tsft */
	put_le16(b + 20, 0x0001);		/* FCS present */
	put_le16(b + 22, 12);			/* 6 Mb/s */
	put_le16(b + 24, 5745);
	b[30] = (uint8_t)-67;
	b[31] = (uint8_t)-101;
	expect_int("synthetic ppi: decodes", 0,
	    decode_copy(RADIO_DLT_PPI, b, 32 + 30, &ri));
	expect_int("synthetic ppi: freq", 5745, ri.freq_mhz);
	expect_int("synthetic ppi: signal", -67, ri.signal_dbm);
	expect_int("synthetic ppi: noise", -101, ri.noise_dbm);
	expect_int("synthetic ppi: rate", 6000, ri.rate_kbps);
	expect_int("synthetic ppi: tsft", 4242, ri.tsft);
	expect_int("synthetic ppi: frame_off", 32, ri.frame_off);
	expect_int("synthetic ppi: FCS stripped", 26, ri.frame_len);
	put_le16(b + 10, 200);			/* field overruns header */
	decode_copy(RADIO_DLT_PPI, b, 32 + 30, &ri);
	test_cond("synthetic ppi overrun: truncated", ri.truncated);
	put_le32(b + 4, 1);			/* carries Ethernet */
	expect_int("synthetic ppi: not 802.11", -1,
	    decode_copy(RADIO_DLT_PPI, b, 32 + 30, &ri));
}

int
main(void)
{
	const char *caps = test_captures("test_radiotap");

	if (caps != NULL)
		test_captures_golden(caps);
	test_synthetic_vendor_namespace();
	test_synthetic_radiotap_edges();
	test_synthetic_prism_avs_ppi();
	wpkt_free();
	return test_report();
}
