/*
 * framegen.c - writes SYNTHETIC pcap files for the cases no real capture in
 * ../shared/captures covers: an n-only beacon, an enterprise AP, channel 13,
 * WPA3-only, PMF required, a hidden SSID, 5 GHz only, band steering, a
 * captive-portal 302, TCP 5683 with and without the cloud's 40-byte nonce, a
 * reset and an unanswered SYN, DHCP with two servers, a NAK, an unanswered
 * discover, a private DNS answer for the cloud's name, and the Particle
 * presence announcement, a crowded capture with more access points than
 * the analyzer's table keeps, and a long one with the AP's timers (group
 * rekeys every 600 s, an inactivity disconnect after 300 s of silence).  Every frame is built byte by byte from the
 * standards (IEEE 802.11-2020 9.3.3.2 and 9.4.2, RFC 791/793/768/2131/1035)
 * and written through libpcap, so the files are what a sniffer would save.
 *
 * Some cases test the reader rather than the judge: the Prism, AVS and PPI
 * radio headers, a link type cyanprobe does not decode, and pcapng files
 * (one with radiotap, one whose interfaces have several link types, which
 * libpcap refuses mid-file).
 *
 * usage: framegen -l                 list the cases
 *        framegen NAME FILE          write one case
 *        framegen -a DIR             every case as DIR/synthetic-NAME.pcap
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapng_write.h"

#define FRAME_MAX	2048

struct frame {
	uint8_t	b[FRAME_MAX];
	size_t	n;
};

static pcap_dumper_t	*out;
static struct pcapng_writer *ng;	/* pcapng cases write here instead */
static int		 ng_if;
static unsigned		 tick;	/* one frame per 10 ms of made-up time */
static size_t		 snaplen; /* when set, frames are captured cut to it,
				 * as tcpdump -s does: caplen < len */

static void
put(struct frame *f, const void *p, size_t n)
{
	if (f->n + n > sizeof(f->b)) {
		fprintf(stderr, "framegen: frame too long\n");
		exit(3);
	}
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
u8(struct frame *f, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(f, &b, 1);
}

static void
be16(struct frame *f, unsigned v)
{
	u8(f, v >> 8);
	u8(f, v);
}

static void
le16(struct frame *f, unsigned v)
{
	u8(f, v);
	u8(f, v >> 8);
}

static void
be32(struct frame *f, uint32_t v)
{
	be16(f, v >> 16);
	be16(f, v & 0xffff);
}

static void
emit(const struct frame *f)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1700000000 + tick / 100;
	h.ts.tv_usec = (tick % 100) * 10000;
	tick++;
	h.caplen = h.len = (bpf_u_int32)f->n;
	if (snaplen != 0 && snaplen < f->n)
		h.caplen = (bpf_u_int32)snaplen;
	if (ng != NULL)
		(void)pcapng_packet(ng, ng_if, (uint64_t)h.ts.tv_sec * 1000000 +
		    (uint64_t)h.ts.tv_usec, f->b, h.caplen, (uint32_t)f->n);
	else
		pcap_dump((u_char *)out, &h, f->b);
}

/* ---- 802.11 with radiotap ------------------------------------------- */

/* Radiotap: flags, channel, antenna signal (present bits 1, 3, 5). */
static void
radiotap(struct frame *f, unsigned mhz, int dbm)
{
	unsigned chflags = mhz >= 5000 ? 0x0140 : 0x00c0; /* 5G+OFDM / 2G+dyn */

	u8(f, 0);		/* version */
	u8(f, 0);		/* pad */
	le16(f, 15);		/* header length */
	le16(f, 0x002a);	/* present: flags, channel, dbm signal */
	le16(f, 0);
	u8(f, 0);		/* flags: no FCS */
	u8(f, 0);		/* align channel to 2 */
	le16(f, mhz);
	le16(f, chflags);
	u8(f, (unsigned)(dbm & 0xff));
}

/* Which radio header beacon() writes (the file's link type). */
enum radio { R_RADIOTAP, R_PRISM, R_AVS, R_PPI };
static enum radio radio;

static void
le32(struct frame *f, uint32_t v)
{
	le16(f, v & 0xffff);
	le16(f, v >> 16);
}

/* Prism (DLT 119): msgcode, msglen 144, device name, 10 DID items. */
static void
prism(struct frame *f, unsigned ch, int dbm)
{
	static const char dev[16] = "wlan0";
	uint32_t val[10] = { 0, 0, 0, 0, 0, 0, 0, 2, 0, 0 };
	int i;

	val[2] = ch;
	val[5] = (uint32_t)dbm;
	val[6] = (uint32_t)-95;
	le32(f, 0x00000041);	/* msgcode: lnxind_wlansniffrm */
	le32(f, 144);
	put(f, dev, sizeof(dev));
	for (i = 0; i < 10; i++) {
		le32(f, 0x00010044u + (uint32_t)(i << 12));	/* did */
		le16(f, 0);	/* status: supplied */
		le16(f, 4);
		le32(f, val[i]);
	}
}

/* AVS (DLT 163), version 1: 64 bytes, big-endian. */
static void
avs(struct frame *f, unsigned ch, int dbm)
{
	be32(f, 0x80211001);
	be32(f, 64);
	be32(f, 0);
	be32(f, tick);		/* mactime */
	be32(f, 0);
	be32(f, 0);		/* hosttime */
	be32(f, 4);		/* phytype: OFDM DSSS */
	be32(f, ch);
	be32(f, 10);		/* 1 Mb/s in 100 kb/s */
	be32(f, 0);		/* antenna */
	be32(f, 0);		/* priority */
	be32(f, 2);		/* ssi_type: dBm */
	be32(f, (uint32_t)dbm);
	be32(f, (uint32_t)-95);
	be32(f, 0);		/* preamble */
	be32(f, 0);		/* encoding */
}

/* PPI (DLT 192) with one 802.11-Common field, little-endian. */
static void
ppi(struct frame *f, unsigned mhz, int dbm)
{
	u8(f, 0);		/* version */
	u8(f, 0);		/* flags */
	le16(f, 32);		/* header length */
	le32(f, 105);		/* inner DLT: 802.11 */
	le16(f, 2);		/* field: 802.11-Common */
	le16(f, 20);
	le32(f, tick);		/* TSFT */
	le32(f, 0);
	le16(f, 0);		/* flags */
	le16(f, 2);		/* rate, 500 kb/s */
	le16(f, mhz);
	le16(f, 0x00c0);
	u8(f, 0);
	u8(f, 0);
	u8(f, (unsigned)(dbm & 0xff));
	u8(f, (unsigned)(-95 & 0xff));
}

static unsigned
chan_mhz(unsigned ch)
{
	if (ch == 14)
		return 2484;
	if (ch < 14)
		return 2407 + 5 * ch;
	return 5000 + 5 * ch;
}

enum sec {
	SEC_OPEN,
	SEC_WPA2_PSK,
	SEC_WPA2_EAP,
	SEC_WPA3_SAE,
	SEC_WPA2_PSK_PMF,	/* PSK-SHA256 with MFP required */
	SEC_WEP,
	SEC_WPA1_PSK		/* pre-RSN WPA: vendor element, TKIP */
};

struct ap {
	uint8_t		 bssid[6];
	const char	*ssid;
	int		 hidden;	/* 1: length 0; 2: zero bytes */
	unsigned	 channel;
	int		 dbm;
	enum sec	 sec;
	int		 ht;		/* HT capabilities/operation */
	int		 n_only;	/* HT selector among basic rates */
	const char	*country;
	unsigned	 radio_ch;	/* the radio header's channel when
					 * it is stamped wrongly, else 0 */
	int		 ht_short;	/* HT elements one byte short */
	int		 ofdm_basic;	/* 2.4 GHz, OFDM basic rates only */
	int		 many_rates;	/* 41 rates: 1 Mb/s basic past 32 */
	int		 ext_caps;	/* an Extended Capabilities element
					 * after the HT ones */
	size_t		 snap;		/* captured bytes past the SSID
					 * element, as a snap length would
					 * cut the frame; 0: whole */
};

static void
ie(struct frame *f, unsigned id, const void *body, size_t len)
{
	u8(f, id);
	u8(f, (unsigned)len);
	put(f, body, len);
}

/* The WPA (pre-RSN) vendor element: TKIP group and pairwise, PSK. */
static void
wpa1_ie(struct frame *f)
{
	static const uint8_t oui[3] = { 0x00, 0x50, 0xf2 };

	u8(f, 221);
	u8(f, 22);
	put(f, oui, 3);
	u8(f, 1);			/* WPA */
	le16(f, 1);			/* version */
	put(f, oui, 3);
	u8(f, 2);			/* group: TKIP */
	le16(f, 1);
	put(f, oui, 3);
	u8(f, 2);			/* pairwise: TKIP */
	le16(f, 1);
	put(f, oui, 3);
	u8(f, 2);			/* AKM: PSK */
}

/* The station's or AP's security element: RSN, or WPA1's vendor one. */
static void
rsn(struct frame *f, enum sec s)
{
	static const uint8_t oui[3] = { 0x00, 0x0f, 0xac };
	unsigned akm = 2, caps = 0;

	if (s == SEC_WPA1_PSK) {
		wpa1_ie(f);
		return;
	}
	switch (s) {
	case SEC_WPA2_EAP:
		akm = 1;
		break;
	case SEC_WPA3_SAE:
		akm = 8;
		caps = 0x00c0;	/* MFPR | MFPC */
		break;
	case SEC_WPA2_PSK_PMF:
		akm = 6;
		caps = 0x00c0;
		break;
	default:
		break;
	}
	u8(f, 48);
	u8(f, 20);
	le16(f, 1);			/* version */
	put(f, oui, 3);
	u8(f, 4);			/* group: CCMP */
	le16(f, 1);
	put(f, oui, 3);
	u8(f, 4);			/* pairwise: CCMP */
	le16(f, 1);
	put(f, oui, 3);
	u8(f, akm);
	le16(f, caps);
}

static void
beacon(const struct ap *ap, int probe_resp, const uint8_t *to)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t rates_bg[8] = { 0x82, 0x84, 0x8b, 0x96,
	    0x0c, 0x12, 0x18, 0x24 };
	static const uint8_t rates_a[8] = { 0x8c, 0x12, 0x98, 0x24,
	    0xb0, 0x48, 0x60, 0x6c };
	static const uint8_t ext_rates[4] = { 0x30, 0x48, 0x60, 0x6c };
	struct frame f = { .n = 0 };
	uint8_t ssid[32], ht_cap[26], ht_op[22];
	size_t slen = strlen(ap->ssid);
	unsigned cap = 0x0001;	/* ESS */
	uint8_t ch = (uint8_t)ap->channel;
	unsigned rch = ap->radio_ch != 0 ? ap->radio_ch : ap->channel;
	int i;

	switch (radio) {
	case R_PRISM:
		prism(&f, rch, ap->dbm);
		break;
	case R_AVS:
		avs(&f, rch, ap->dbm);
		break;
	case R_PPI:
		ppi(&f, chan_mhz(rch), ap->dbm);
		break;
	default:
		radiotap(&f, chan_mhz(rch), ap->dbm);
		break;
	}
	u8(&f, probe_resp ? 0x50 : 0x80);
	u8(&f, 0);
	le16(&f, 0);
	put(&f, to != NULL ? to : bcast, 6);
	put(&f, ap->bssid, 6);
	put(&f, ap->bssid, 6);
	le16(&f, (tick & 0xfff) << 4);
	for (i = 0; i < 8; i++)
		u8(&f, (unsigned)(tick + i));	/* timestamp */
	le16(&f, 100);
	if (ap->sec != SEC_OPEN)
		cap |= 0x0010;	/* privacy */
	le16(&f, cap);
	memcpy(ssid, ap->ssid, slen);
	if (ap->hidden == 1 && !probe_resp)
		slen = 0;
	else if (ap->hidden == 2 && !probe_resp)
		memset(ssid, 0, slen);
	ie(&f, 0, ssid, slen);
	if (ap->snap != 0)
		snaplen = f.n + ap->snap;
	if (ap->channel > 14) {
		ie(&f, 1, rates_a, sizeof(rates_a));
	} else if (ap->many_rates) {
		/* 8 + 33 rates; 1 Mb/s basic is the 41st, past 32 kept. */
		uint8_t r[33];

		memset(r, 0x6c, sizeof(r));		/* 54 Mb/s */
		r[32] = 0x82;
		ie(&f, 1, rates_a, sizeof(rates_a));
		ie(&f, 50, r, sizeof(r));
	} else if (ap->ofdm_basic) {
		/* 6, 12, 24 basic: no 11b rate in the basic set. */
		ie(&f, 1, rates_a, sizeof(rates_a));
		ie(&f, 50, ext_rates, sizeof(ext_rates));
	} else if (ap->n_only) {
		/* BSS membership selector 127 (HT PHY) marked basic. */
		uint8_t r[8];

		memcpy(r, rates_bg, sizeof(r));
		r[7] = 0xff;
		ie(&f, 1, r, sizeof(r));
		ie(&f, 50, ext_rates, sizeof(ext_rates));
	} else {
		ie(&f, 1, rates_bg, sizeof(rates_bg));
		ie(&f, 50, ext_rates, sizeof(ext_rates));
	}
	ie(&f, 3, &ch, 1);
	if (ap->country != NULL) {
		uint8_t c[6] = { (uint8_t)ap->country[0],
		    (uint8_t)ap->country[1], ' ', 1, 13, 20 };

		ie(&f, 7, c, sizeof(c));
	}
	if (ap->sec != SEC_OPEN && ap->sec != SEC_WEP)
		rsn(&f, ap->sec);
	if (ap->ht || ap->n_only) {
		memset(ht_cap, 0, sizeof(ht_cap));
		ht_cap[0] = 0x2c;	/* SM power save off, SGI 20 */
		ht_cap[3] = 0xff;	/* MCS 0-7 */
		ie(&f, 45, ht_cap, sizeof(ht_cap) - (ap->ht_short ? 1 : 0));
		memset(ht_op, 0, sizeof(ht_op));
		ht_op[0] = ch;		/* primary channel, 20 MHz */
		ie(&f, 61, ht_op, sizeof(ht_op) - (ap->ht_short ? 1 : 0));
	}
	if (ap->ext_caps) {
		static const uint8_t xc[8] = { 0x04, 0, 0, 0, 0, 0, 0, 0x40 };

		ie(&f, 127, xc, sizeof(xc));
	}
	emit(&f);
	snaplen = 0;
}

/* ---- Ethernet / IPv4 ------------------------------------------------ */

static const uint8_t mac_router[6] = { 0x00, 0x12, 0xbf, 0x10, 0x20, 0x30 };
static const uint8_t mac_rogue[6] = { 0x02, 0x00, 0x5e, 0x99, 0x00, 0x01 };
static const uint8_t mac_device[6] = { 0x6c, 0x0b, 0x84, 0x11, 0x22, 0x33 };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_mcast_presence[6] = { 0x01, 0x00, 0x5e, 0x00, 0x01,
    0xbb };

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			 (uint32_t)(c) << 8 | (uint32_t)(d))
#define IP_ROUTER	IP(192, 168, 1, 1)
#define IP_ROGUE	IP(192, 168, 1, 250)
#define IP_DEVICE	IP(192, 168, 1, 23)
#define IP_CLOUD	IP(54, 208, 1, 10)	/* stands for device.spark.io */

static unsigned
csum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Ethernet + IPv4 header around an L4 payload already built in `l4`. */
static void
ip_packet(const uint8_t *dmac, const uint8_t *smac, uint32_t src,
    uint32_t dst, unsigned proto, const struct frame *l4)
{
	struct frame f = { .n = 0 };
	size_t ip0;
	unsigned c;

	put(&f, dmac, 6);
	put(&f, smac, 6);
	be16(&f, 0x0800);
	ip0 = f.n;
	u8(&f, 0x45);
	u8(&f, 0);
	be16(&f, (unsigned)(20 + l4->n));
	be16(&f, tick & 0xffff);
	be16(&f, 0x4000);	/* DF */
	u8(&f, 64);
	u8(&f, proto);
	be16(&f, 0);
	be32(&f, src);
	be32(&f, dst);
	c = csum(f.b + ip0, 20, 0);
	f.b[ip0 + 10] = (uint8_t)(c >> 8);
	f.b[ip0 + 11] = (uint8_t)c;
	put(&f, l4->b, l4->n);
	emit(&f);
}

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10

static void
tcp(const uint8_t *dmac, const uint8_t *smac, uint32_t src, unsigned sport,
    uint32_t dst, unsigned dport, uint32_t seq, uint32_t ack, unsigned flags,
    const void *data, size_t len)
{
	struct frame t = { .n = 0 };

	be16(&t, sport);
	be16(&t, dport);
	be32(&t, seq);
	be32(&t, ack);
	u8(&t, 5 << 4);
	u8(&t, flags);
	be16(&t, 5840);
	be16(&t, 0);		/* checksum left 0: analyzers do not verify */
	be16(&t, 0);
	if (len > 0)
		put(&t, data, len);
	ip_packet(dmac, smac, src, dst, 6, &t);
}

static void
udp(const uint8_t *dmac, const uint8_t *smac, uint32_t src, unsigned sport,
    uint32_t dst, unsigned dport, const void *data, size_t len)
{
	struct frame u = { .n = 0 };

	be16(&u, sport);
	be16(&u, dport);
	be16(&u, (unsigned)(8 + len));
	be16(&u, 0);
	put(&u, data, len);
	ip_packet(dmac, smac, src, dst, 17, &u);
}

/* ---- cases ----------------------------------------------------------- */

static struct ap
ap_base(void)
{
	struct ap ap = {
		{ 0x00, 0x12, 0xbf, 0x10, 0x20, 0x30 }, "HomeNet", 0, 6, -52,
		SEC_WPA2_PSK, 1, 0, NULL, 0, 0, 0, 0, 0, 0
	};

	return ap;
}

static void
beacons(const struct ap *ap, int n)
{
	int i;

	for (i = 0; i < n; i++)
		beacon(ap, 0, NULL);
}

static void
case_good_ap(void)
{
	struct ap ap = ap_base();

	ap.country = "US";
	beacons(&ap, 3);
}

/*
 * 1100 neighbours, one beacon each, then the good AP: more BSSes than the
 * analyzer's table holds (1024) before the network the user asks about.
 */
static void
case_crowded(void)
{
	struct ap ap = ap_base(), n = ap_base();
	static char name[1100][16];
	int i;

	for (i = 0; i < 1100; i++) {
		snprintf(name[i], sizeof(name[i]), "Neighbour-%04d", i);
		n.ssid = name[i];
		n.bssid[0] = 0x02;	/* locally administered, unicast */
		n.bssid[4] = (uint8_t)(i >> 8);
		n.bssid[5] = (uint8_t)i;
		beacon(&n, 0, NULL);
	}
	ap.country = "US";
	beacons(&ap, 3);
}

static void
case_n_only(void)
{
	struct ap ap = ap_base();

	ap.ssid = "N-Only-Net";
	ap.n_only = 1;
	beacons(&ap, 3);
}

static void
case_enterprise(void)
{
	struct ap ap = ap_base();

	ap.ssid = "CorpNet";
	ap.sec = SEC_WPA2_EAP;
	beacons(&ap, 3);
}

static void
case_channel13(void)
{
	struct ap ap = ap_base();

	ap.ssid = "Channel13";
	ap.channel = 13;
	ap.country = "JP";
	beacons(&ap, 3);
}

static void
case_wpa3_only(void)
{
	struct ap ap = ap_base();

	ap.ssid = "Wpa3Only";
	ap.sec = SEC_WPA3_SAE;
	beacons(&ap, 3);
}

static void
case_pmf_required(void)
{
	struct ap ap = ap_base();

	ap.ssid = "PmfRequired";
	ap.sec = SEC_WPA2_PSK_PMF;
	beacons(&ap, 3);
}

static void
case_hidden(void)
{
	struct ap ap = ap_base();

	ap.ssid = "Hidden";
	ap.hidden = 1;
	beacons(&ap, 3);
}

static void
case_5ghz_only(void)
{
	struct ap ap = ap_base();

	ap.ssid = "FiveOnly";
	ap.channel = 36;
	beacons(&ap, 3);
}

/*
 * Radio headers stamped with another band's frequency, as real drivers do:
 * a 2.4 GHz AP (channel 6) whose header says 5180 MHz, and a 5 GHz AP
 * (channel 36, OFDM basic rates) whose header says 2437 MHz.  The AP's
 * own DS and HT Operation elements name the right channel.
 */
static void
case_mis_stamped(void)
{
	struct ap a = ap_base(), b = ap_base();

	a.ssid = "Stamped24";
	a.radio_ch = 36;
	b.ssid = "Stamped5";
	b.bssid[5] = 0x31;
	b.channel = 36;
	b.radio_ch = 6;
	beacons(&a, 2);
	beacons(&b, 2);
}

static void
case_mis_stamped_prism(void)
{
	radio = R_PRISM;
	case_mis_stamped();
	radio = R_RADIOTAP;
}

static void
case_mis_stamped_ppi(void)
{
	radio = R_PPI;
	case_mis_stamped();
	radio = R_RADIOTAP;
}

static void
case_band_steering(void)
{
	struct ap a = ap_base(), b = ap_base();

	a.ssid = b.ssid = "Steered";
	b.bssid[5] = 0x31;
	b.channel = 44;
	b.dbm = -60;
	beacons(&a, 2);
	beacons(&b, 2);
}

static void
case_weak_signal(void)
{
	struct ap ap = ap_base();

	ap.ssid = "FarAway";
	ap.dbm = -88;
	beacons(&ap, 3);
}

static void
case_wep(void)
{
	struct ap ap = ap_base();

	ap.ssid = "OldWep";
	ap.sec = SEC_WEP;
	beacons(&ap, 3);
}

static void
case_portal(void)
{
	static const char get[] = "GET /hotspot-detect.html HTTP/1.1\r\n"
	    "Host: captive.apple.com\r\n\r\n";
	static const char resp[] = "HTTP/1.1 302 Found\r\n"
	    "Location: http://portal.example.net/login?orig=captive\r\n"
	    "Content-Length: 0\r\n\r\n";
	uint32_t srv = IP(17, 253, 1, 1);

	tcp(mac_router, mac_device, IP_DEVICE, 40000, srv, 80, 1000, 0,
	    TH_SYN, NULL, 0);
	tcp(mac_device, mac_router, srv, 80, IP_DEVICE, 40000, 5000, 1001,
	    TH_SYN | TH_ACK, NULL, 0);
	tcp(mac_router, mac_device, IP_DEVICE, 40000, srv, 80, 1001, 5001,
	    TH_ACK | TH_PSH, get, sizeof(get) - 1);
	tcp(mac_device, mac_router, srv, 80, IP_DEVICE, 40000, 5001,
	    (uint32_t)(1001 + sizeof(get) - 1), TH_ACK | TH_PSH, resp,
	    sizeof(resp) - 1);
}

static void
cloud_connect(int answer)
{
	tcp(mac_router, mac_device, IP_DEVICE, 50001, IP_CLOUD, 5683, 7000, 0,
	    TH_SYN, NULL, 0);
	if (answer) {
		tcp(mac_device, mac_router, IP_CLOUD, 5683, IP_DEVICE, 50001,
		    9000, 7001, TH_SYN | TH_ACK, NULL, 0);
		tcp(mac_router, mac_device, IP_DEVICE, 50001, IP_CLOUD, 5683,
		    7001, 9001, TH_ACK, NULL, 0);
	}
}

static void
case_cloud_nonce(void)
{
	uint8_t nonce[40];
	int i;

	for (i = 0; i < 40; i++)
		nonce[i] = (uint8_t)(i * 37 + 11);
	cloud_connect(1);
	tcp(mac_device, mac_router, IP_CLOUD, 5683, IP_DEVICE, 50001, 9001,
	    7001, TH_ACK | TH_PSH, nonce, sizeof(nonce));
}

static void
case_cloud_rst(void)
{
	tcp(mac_router, mac_device, IP_DEVICE, 50002, IP_CLOUD, 5683, 7000, 0,
	    TH_SYN, NULL, 0);
	tcp(mac_device, mac_router, IP_CLOUD, 5683, IP_DEVICE, 50002, 0, 7001,
	    TH_RST | TH_ACK, NULL, 0);
}

static void
case_cloud_syn_unanswered(void)
{
	int i;

	for (i = 0; i < 3; i++)
		tcp(mac_router, mac_device, IP_DEVICE, 50003, IP_CLOUD, 5683,
		    7000, 0, TH_SYN, NULL, 0);
}

/* A transparent proxy accepts the connect, then talks HTTP, not nonces. */
static void
case_cloud_intercepted(void)
{
	static const char junk[] = "HTTP/1.1 400 Bad Request\r\n"
	    "Content-Length: 0\r\n\r\n";

	cloud_connect(1);
	tcp(mac_device, mac_router, IP_CLOUD, 5683, IP_DEVICE, 50001, 9001,
	    7001, TH_ACK | TH_PSH | TH_FIN, junk, sizeof(junk) - 1);
}

#define DHCPDISCOVER	1
#define DHCPOFFER	2
#define DHCPREQUEST	3
#define DHCPACK		5
#define DHCPNAK		6

static void
dhcp(const uint8_t *smac, uint32_t src, uint32_t dst, unsigned op,
    unsigned type, uint32_t yiaddr, uint32_t server)
{
	struct frame d = { .n = 0 };
	uint8_t zero[192];

	memset(zero, 0, sizeof(zero));
	u8(&d, op);
	u8(&d, 1);
	u8(&d, 6);
	u8(&d, 0);
	be32(&d, 0x3903f326);	/* xid */
	be16(&d, 0);
	be16(&d, 0x8000);	/* broadcast */
	be32(&d, 0);
	be32(&d, yiaddr);
	be32(&d, 0);
	be32(&d, 0);
	put(&d, mac_device, 6);
	put(&d, zero, 10);
	put(&d, zero, 192);	/* sname + file */
	be32(&d, 0x63825363);
	u8(&d, 53);
	u8(&d, 1);
	u8(&d, type);
	if (server != 0) {
		u8(&d, 54);
		u8(&d, 4);
		be32(&d, server);
	}
	if (type == DHCPOFFER || type == DHCPACK) {
		u8(&d, 1);
		u8(&d, 4);
		be32(&d, IP(255, 255, 255, 0));
		u8(&d, 3);
		u8(&d, 4);
		be32(&d, server);
		u8(&d, 6);
		u8(&d, 4);
		be32(&d, server);
		u8(&d, 51);
		u8(&d, 4);
		be32(&d, 86400);
	}
	u8(&d, 255);
	udp(op == 1 ? mac_bcast : mac_device, smac, src, op == 1 ? 68 : 67,
	    dst, op == 1 ? 67 : 68, d.b, d.n);
}

static void
case_dhcp_two_servers(void)
{
	dhcp(mac_device, 0, 0xffffffff, 1, DHCPDISCOVER, 0, 0);
	dhcp(mac_router, IP_ROUTER, 0xffffffff, 2, DHCPOFFER,
	    IP(192, 168, 1, 23), IP_ROUTER);
	dhcp(mac_rogue, IP_ROGUE, 0xffffffff, 2, DHCPOFFER,
	    IP(192, 168, 1, 99), IP_ROGUE);
}

static void
case_dhcp_nak(void)
{
	dhcp(mac_device, 0, 0xffffffff, 1, DHCPREQUEST, 0, 0);
	dhcp(mac_router, IP_ROUTER, 0xffffffff, 2, DHCPNAK, 0, IP_ROUTER);
}

static void
case_dhcp_no_offer(void)
{
	int i;

	for (i = 0; i < 3; i++)
		dhcp(mac_device, 0, 0xffffffff, 1, DHCPDISCOVER, 0, 0);
}

/* device.spark.io answered with an RFC 1918 address (a DNS hijack). */
static void
case_dns_private(void)
{
	static const uint8_t name[] = "\x06" "device" "\x05" "spark"
	    "\x02" "io";
	struct frame d = { .n = 0 };

	be16(&d, 0x1234);
	be16(&d, 0x8180);	/* response, RD, RA, no error */
	be16(&d, 1);
	be16(&d, 1);
	be16(&d, 0);
	be16(&d, 0);
	put(&d, name, sizeof(name));	/* includes the root label */
	be16(&d, 1);
	be16(&d, 1);
	be16(&d, 0xc00c);	/* pointer to the question name */
	be16(&d, 1);
	be16(&d, 1);
	be32(&d, 300);
	be16(&d, 4);
	be32(&d, IP(192, 168, 1, 5));
	udp(mac_device, mac_router, IP_ROUTER, 53, IP_DEVICE, 41000, d.b, d.n);
}

static void
case_presence(void)
{
	static const uint8_t msg[19] = { 0x50, 0x02, 0x00, 0x00, 0xb1, 0x68,
	    0xff, 0x53, 0xff, 0x6c, 0x06, 0x50, 0x67, 0x55, 0x49, 0x11, 0x31,
	    0x26, 0x87 };

	udp(mac_mcast_presence, mac_device, IP_DEVICE, 5683,
	    IP(224, 0, 1, 187), 5683, msg, sizeof(msg));
}

/* A healthy LAN: DHCP completes, the cloud sends its nonce, presence. */
static void
case_healthy(void)
{
	dhcp(mac_device, 0, 0xffffffff, 1, DHCPDISCOVER, 0, 0);
	dhcp(mac_router, IP_ROUTER, 0xffffffff, 2, DHCPOFFER,
	    IP(192, 168, 1, 23), IP_ROUTER);
	dhcp(mac_device, 0, 0xffffffff, 1, DHCPREQUEST, 0, IP_ROUTER);
	dhcp(mac_router, IP_ROUTER, 0xffffffff, 2, DHCPACK,
	    IP(192, 168, 1, 23), IP_ROUTER);
	case_cloud_nonce();
	case_presence();
}

/* ---- joins: authentication, association, 4-way handshake ----------- */

/* The station that joins: the device, unless a case says otherwise. */
static const uint8_t *join_sta = mac_device;

/* A management frame between the AP and the device, with radiotap. */
static void
mgmt_start(struct frame *f, const struct ap *ap, unsigned subtype,
    int from_ap)
{
	radiotap(f, chan_mhz(ap->channel), ap->dbm);
	u8(f, subtype << 4);
	u8(f, 0);
	le16(f, 0);
	put(f, from_ap ? join_sta : ap->bssid, 6);
	put(f, from_ap ? ap->bssid : join_sta, 6);
	put(f, ap->bssid, 6);
	le16(f, (tick & 0xfff) << 4);
}

static void
join_auth(const struct ap *ap, int from_ap, unsigned alg, unsigned seq,
    unsigned status)
{
	struct frame f = { .n = 0 };

	mgmt_start(&f, ap, 11, from_ap);
	le16(&f, alg);
	le16(&f, seq);
	le16(&f, status);
	emit(&f);
}

static void
join_assoc(const struct ap *ap, unsigned status)
{
	struct frame f = { .n = 0 };
	size_t slen = strlen(ap->ssid);
	static const uint8_t rates[8] = { 0x82, 0x84, 0x8b, 0x96,
	    0x0c, 0x12, 0x18, 0x24 };

	mgmt_start(&f, ap, 0, 0);		/* request */
	le16(&f, 0x0431);			/* ESS, privacy, short slot */
	le16(&f, 10);				/* listen interval */
	ie(&f, 0, ap->ssid, slen);
	ie(&f, 1, rates, sizeof(rates));
	if (ap->sec != SEC_OPEN && ap->sec != SEC_WEP)
		rsn(&f, ap->sec == SEC_WPA1_PSK ? SEC_WPA1_PSK : SEC_WPA2_PSK);
	emit(&f);
	f.n = 0;
	mgmt_start(&f, ap, 1, 1);		/* response */
	le16(&f, 0x0431);
	le16(&f, status);
	le16(&f, status == 0 ? 0xc001 : 0);	/* AID 1 */
	ie(&f, 1, rates, sizeof(rates));
	emit(&f);
}

static void
join_leave(const struct ap *ap, unsigned subtype, int from_ap,
    unsigned reason)
{
	struct frame f = { .n = 0 };

	mgmt_start(&f, ap, subtype, from_ap);
	le16(&f, reason);
	emit(&f);
}

/*
 * EAPOL-Key message `msg` (1-4) of the 4-way handshake in a data frame,
 * Key Information as hostapd and wpa_supplicant set it for WPA2-PSK with
 * CCMP (descriptor version 2): M1 0x008a, M2 0x010a (with the station's
 * RSN element as Key Data), M3 0x13ca, M4 0x030a; and 5, 6 for the group
 * key handshake (802.11-2020 12.7.7, Key Type group): G1 0x1382 (ACK, MIC,
 * Secure, encrypted GTK) from the AP, G2 0x0302 from the station.
 */
static void
join_eapol(const struct ap *ap, unsigned msg, uint32_t replay)
{
	static const unsigned key_info[7] = { 0, 0x008a, 0x010a, 0x13ca,
	    0x030a, 0x1382, 0x0302 };
	/* WPA1 (TKIP, HMAC-MD5): no Secure in message 4, no encrypted Key
	 * Data flag, the group key index (1) in Key Information. */
	static const unsigned key_info_wpa1[7] = { 0, 0x0089, 0x0109, 0x01c9,
	    0x0109, 0x0391, 0x0311 };
	int wpa1 = ap->sec == SEC_WPA1_PSK;
	static const uint8_t llc[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x88,
	    0x8e };
	struct frame f = { .n = 0 };
	int from_ap = msg == 1 || msg == 3 || msg == 5;
	unsigned data_len = msg == 2 ? (ap->sec == SEC_WPA1_PSK ? 24 : 22) :
	    msg == 3 || msg == 5 ? 56 : 0;
	unsigned i;

	radiotap(&f, chan_mhz(ap->channel), ap->dbm);
	u8(&f, 0x08);				/* data */
	u8(&f, from_ap ? 0x02 : 0x01);		/* FromDS / ToDS */
	le16(&f, 0);
	/* FromDS: DA, BSSID, SA; ToDS: BSSID, SA, DA. */
	put(&f, from_ap ? join_sta : ap->bssid, 6);
	put(&f, from_ap ? ap->bssid : join_sta, 6);
	put(&f, ap->bssid, 6);
	le16(&f, (tick & 0xfff) << 4);
	put(&f, llc, sizeof(llc));
	u8(&f, 2);				/* 802.1X-2004 */
	u8(&f, 3);				/* EAPOL-Key */
	be16(&f, 95 + data_len);
	u8(&f, wpa1 ? 254 : 2);			/* WPA or RSN descriptor */
	be16(&f, wpa1 ? key_info_wpa1[msg] : key_info[msg]);
	be16(&f, wpa1 && msg >= 5 ? 32 : 16);	/* key length */
	be32(&f, 0);
	be32(&f, replay);
	for (i = 0; i < 32; i++)		/* nonce: zero in M4 */
		u8(&f, msg == 4 ? 0 : 0x10 + i + msg);
	for (i = 0; i < 16 + 8 + 8; i++)	/* IV, RSC, reserved */
		u8(&f, 0);
	for (i = 0; i < 16; i++)		/* MIC */
		u8(&f, msg == 1 ? 0 : 0xa0 + i);
	be16(&f, data_len);
	if (msg == 2)
		rsn(&f, wpa1 ? SEC_WPA1_PSK : SEC_WPA2_PSK);
	else
		for (i = 0; i < data_len; i++)	/* wrapped GTK */
			u8(&f, 0x5a ^ i);
	emit(&f);
}

static void
join_open(const struct ap *ap, unsigned assoc_status)
{
	join_auth(ap, 0, 0, 1, 0);
	join_auth(ap, 1, 0, 2, 0);
	join_assoc(ap, assoc_status);
}

/*
 * 70 stations join a neighbour's AP before the device joins HomeNet: more
 * clients and stations than the JSON lists (64), the device's last.
 */
static void
case_crowded_clients(void)
{
	struct ap ap = ap_base(), n = ap_base();
	uint8_t sta[6] = { 0x02, 0x5a, 0, 0, 0, 0 };
	unsigned i;

	n.ssid = "Neighbour";
	n.bssid[0] = 0x02;
	n.bssid[5] = 0x99;
	beacons(&n, 1);
	join_sta = sta;
	for (i = 0; i < 70; i++) {
		sta[5] = (uint8_t)i;
		join_open(&n, 0);
	}
	join_sta = mac_device;
	beacons(&ap, 2);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	join_eapol(&ap, 3, 2);
	join_eapol(&ap, 4, 2);
}

/*
 * Issue 11 item 3: HomeNet's beacons, then 300 stations (more than the
 * join table's 256) join a neighbour's AP, then the device tries HomeNet
 * with a wrong passphrase.  Without slots kept for the asked network the
 * device's failed join is not kept and HomeNet reads as joinable.
 */
static void
case_crowded_stations(void)
{
	struct ap ap = ap_base(), n = ap_base();
	uint8_t sta[6] = { 0x02, 0x5a, 0, 0, 0, 0 };
	uint32_t r;
	unsigned i;

	beacons(&ap, 2);
	n.ssid = "Neighbour";
	n.bssid[0] = 0x02;
	n.bssid[5] = 0x99;
	beacons(&n, 1);
	join_sta = sta;
	for (i = 0; i < 300; i++) {
		sta[4] = (uint8_t)(i >> 8);
		sta[5] = (uint8_t)i;
		join_open(&n, 0);
	}
	join_sta = mac_device;
	join_open(&ap, 0);
	for (r = 1; r <= 4; r++) {
		join_eapol(&ap, 1, r);
		join_eapol(&ap, 2, r);
	}
	join_leave(&ap, 12, 1, 15);
}

/*
 * As crowded-stations, but HomeNet's AP sends its first beacon only after
 * the device's 4-way attempts (a capture started on another channel, or
 * beacons lost): when the device's join begins, its network is not known
 * yet, and the neighbour's 300 stations hold every slot but the reserve.
 * The deauthentication (reason 15) after the beacon ends it.
 */
static void
case_crowded_stations_late(void)
{
	struct ap ap = ap_base(), n = ap_base();
	uint8_t sta[6] = { 0x02, 0x5a, 0, 0, 0, 0 };
	uint32_t r;
	unsigned i;

	n.ssid = "Neighbour";
	n.bssid[0] = 0x02;
	n.bssid[5] = 0x99;
	beacons(&n, 1);
	join_sta = sta;
	for (i = 0; i < 300; i++) {
		sta[4] = (uint8_t)(i >> 8);
		sta[5] = (uint8_t)i;
		join_open(&n, 0);
	}
	join_sta = mac_device;
	join_open(&ap, 0);
	for (r = 1; r <= 4; r++) {
		join_eapol(&ap, 1, r);
		join_eapol(&ap, 2, r);
	}
	beacons(&ap, 2);
	join_leave(&ap, 12, 1, 15);
}

/*
 * 300 stations join a neighbour whose beacons the capture never holds
 * (their network stays unknown: they fill every slot, the reserve too),
 * then HomeNet beacons and the device fails its 4-way.
 */
static void
case_crowded_stations_unbeaconed(void)
{
	struct ap ap = ap_base(), n = ap_base();
	uint8_t sta[6] = { 0x02, 0x5a, 0, 0, 0, 0 };
	uint32_t r;
	unsigned i;

	n.ssid = "Neighbour";
	n.bssid[0] = 0x02;
	n.bssid[5] = 0x99;
	join_sta = sta;
	for (i = 0; i < 300; i++) {
		sta[4] = (uint8_t)(i >> 8);
		sta[5] = (uint8_t)i;
		join_open(&n, 0);
	}
	beacons(&ap, 2);
	join_sta = mac_device;
	join_open(&ap, 0);
	for (r = 1; r <= 4; r++) {
		join_eapol(&ap, 1, r);
		join_eapol(&ap, 2, r);
	}
	join_leave(&ap, 12, 1, 15);
}

/*
 * Refused ten times (AP full), then joined: 48 join steps, more than the
 * 32 a station lists; a neighbour's station takes 36 (nine refusals).
 */
static void
case_join_many_retries(void)
{
	struct ap ap = ap_base(), n = ap_base();
	uint8_t sta[6] = { 0x02, 0x5a, 0, 0, 0, 1 };
	unsigned i;

	n.ssid = "Neighbour";
	n.bssid[0] = 0x02;
	n.bssid[5] = 0x99;
	beacons(&n, 1);
	join_sta = sta;
	for (i = 0; i < 9; i++)
		join_open(&n, 17);
	beacons(&ap, 2);
	join_sta = mac_device;
	for (i = 0; i < 10; i++)
		join_open(&ap, 17);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	join_eapol(&ap, 3, 2);
	join_eapol(&ap, 4, 2);
}

/* Refused once (AP full), then joined with a complete 4-way. */
static void
case_join_retry(void)
{
	struct ap ap = ap_base();

	beacons(&ap, 2);
	join_open(&ap, 17);
	beacons(&ap, 1);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	join_eapol(&ap, 3, 2);
	join_eapol(&ap, 4, 2);
	beacons(&ap, 1);
}

/*
 * Two access points of HomeNet (mesh nodes on channels 6 and 11): the
 * first is full and refuses the device's association (status 17), the
 * second takes it, with a complete 4-way handshake.  The device is on
 * the network (issue 10 section 2).
 */
static void
case_join_elsewhere(void)
{
	struct ap a = ap_base(), b = ap_base();

	b.bssid[5] = 0x31;
	b.channel = 11;
	beacons(&a, 1);
	beacons(&b, 1);
	join_open(&a, 17);
	join_open(&b, 0);
	join_eapol(&b, 1, 1);
	join_eapol(&b, 2, 1);
	join_eapol(&b, 3, 2);
	join_eapol(&b, 4, 2);
	beacons(&a, 1);
	beacons(&b, 1);
}

/*
 * A wrong passphrase as hostapd shows it: the AP drops message 2 (its MIC
 * does not verify), sends message 1 again, and after its retries
 * deauthenticates with reason 15 (4-way handshake timeout).
 */
static void
case_wrong_password(void)
{
	struct ap ap = ap_base();
	uint32_t r;

	beacons(&ap, 2);
	join_open(&ap, 0);
	for (r = 1; r <= 4; r++) {
		join_eapol(&ap, 1, r);
		join_eapol(&ap, 2, r);
	}
	join_leave(&ap, 12, 1, 15);
}

/* The same without the deauthentication: the capture ends first. */
static void
case_wrong_password_cut(void)
{
	struct ap ap = ap_base();
	uint32_t r;

	beacons(&ap, 2);
	join_open(&ap, 0);
	for (r = 1; r <= 3; r++) {
		join_eapol(&ap, 1, r);
		join_eapol(&ap, 2, r);
		/* An 802.11 retry of message 2: the same frame again. */
		join_eapol(&ap, 2, r);
	}
}

/* Made-up time jumps to `s` seconds after the capture's start. */
static void
at_s(unsigned s)
{
	if (tick < s * 100)
		tick = s * 100;
}

/* A null data frame from the device to the AP: it is alive. */
static void
join_null(const struct ap *ap)
{
	struct frame f = { .n = 0 };

	radiotap(&f, chan_mhz(ap->channel), ap->dbm);
	u8(&f, 0x48);				/* data, null function */
	u8(&f, 0x01);				/* ToDS */
	le16(&f, 0);
	put(&f, ap->bssid, 6);
	put(&f, join_sta, 6);
	put(&f, ap->bssid, 6);
	le16(&f, (tick & 0xfff) << 4);
	emit(&f);
}

/*
 * The AP's timers over 36 minutes: the device joins at 0 s, the AP rekeys
 * the group key at 600, 1200 and 1800 s (the device answers each), the
 * device sends a frame every 60 s until 1860 s and then nothing, and the
 * AP disassociates it for inactivity (reason 4) at 2160 s: 300 s of
 * silence, hostapd's default ap_max_inactivity.
 */
static void
case_long_timers(void)
{
	struct ap ap = ap_base();
	unsigned s;
	uint32_t r = 3;

	beacons(&ap, 2);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	join_eapol(&ap, 3, 2);
	join_eapol(&ap, 4, 2);
	for (s = 60; s <= 1860; s += 60) {
		at_s(s);
		join_null(&ap);
		if (s % 600 == 0) {
			join_eapol(&ap, 5, r);
			join_eapol(&ap, 6, r++);
		}
	}
	at_s(2160);
	join_leave(&ap, 10, 1, 4);
}

/*
 * Rekeys as hostapd sends them over two hours: the group key at 600 s,
 * its G1 unanswered and sent again at 601 and 602 s (each retry with a
 * new replay counter, as wpa_auth.c does), answered after the last; again
 * at 1200 s; and the pairwise key renewed (a new 4-way on the joined
 * station) at 3600 s, its message 1 retried once, and at 7300 s.
 */
static void
case_rekey_retries(void)
{
	struct ap ap = ap_base();
	uint32_t r;

	beacons(&ap, 2);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	join_eapol(&ap, 3, 2);
	join_eapol(&ap, 4, 2);
	at_s(600);
	join_eapol(&ap, 5, 3);
	at_s(601);
	join_eapol(&ap, 5, 4);
	at_s(602);
	join_eapol(&ap, 5, 5);
	join_eapol(&ap, 6, 5);
	at_s(1200);
	join_eapol(&ap, 5, 6);
	join_eapol(&ap, 6, 6);
	at_s(3600);
	join_eapol(&ap, 1, 7);
	at_s(3601);
	join_eapol(&ap, 1, 8);
	join_eapol(&ap, 2, 8);
	join_eapol(&ap, 3, 9);
	at_s(3602);
	join_eapol(&ap, 4, 9);
	at_s(7300);
	for (r = 1; r <= 4; r++)
		join_eapol(&ap, r, 10 + (r > 2));
}

/*
 * A WPA1 (TKIP) network: message 3 carries no group key, so the AP's G1
 * right after the 4-way is the join's own; the group key is then renewed
 * at 600 and 1200 s.
 */
static void
case_wpa1_rekeys(void)
{
	struct ap ap = ap_base();
	unsigned s;
	uint32_t r = 3;

	ap.ssid = "OldRouter";
	ap.sec = SEC_WPA1_PSK;
	beacons(&ap, 2);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	join_eapol(&ap, 3, 2);
	join_eapol(&ap, 4, 2);
	for (s = 0; s <= 1200; s += 600) {
		at_s(s);
		join_eapol(&ap, 5, r);
		join_eapol(&ap, 6, r++);
	}
}

/* Messages 1 and 2 once, then the capture ends: nothing to judge. */
static void
case_handshake_cut(void)
{
	struct ap ap = ap_base();

	beacons(&ap, 2);
	join_open(&ap, 0);
	join_eapol(&ap, 1, 1);
	join_eapol(&ap, 2, 1);
	/* The station leaves by itself (reason 3): not a failure. */
	join_leave(&ap, 12, 0, 3);
}

/* An n-only AP refuses a b/g station: status 18 (basic rates). */
static void
case_assoc_rates(void)
{
	struct ap ap = ap_base();

	ap.ssid = "N-Only-Net";
	ap.n_only = 1;
	beacons(&ap, 2);
	join_open(&ap, 18);
	join_open(&ap, 18);
}

/* A PMF-required AP refuses a station without 802.11w: status 31. */
static void
case_assoc_pmf(void)
{
	struct ap ap = ap_base();

	ap.ssid = "PmfRequired";
	ap.sec = SEC_WPA2_PSK_PMF;
	beacons(&ap, 2);
	join_open(&ap, 31);
}

/* SAE commit refused with status 77 (group not supported). */
static void
case_sae_group(void)
{
	struct ap ap = ap_base();

	ap.ssid = "Wpa3Only";
	ap.sec = SEC_WPA3_SAE;
	beacons(&ap, 2);
	join_auth(&ap, 0, 3, 1, 0);
	join_auth(&ap, 1, 3, 1, 77);
}

/* The good AP behind each of the other radio headers. */
static void
case_prism(void)
{
	radio = R_PRISM;
	case_good_ap();
	radio = R_RADIOTAP;
}

static void
case_avs(void)
{
	radio = R_AVS;
	case_good_ap();
	radio = R_RADIOTAP;
}

static void
case_ppi(void)
{
	radio = R_PPI;
	case_good_ap();
	radio = R_RADIOTAP;
}

/* Frames of a link type nobody decodes (LINKTYPE_USER0). */
static void
case_unknown_linktype(void)
{
	struct frame f = { .n = 0 };
	int i;

	for (i = 0; i < 3; i++) {
		f.n = 0;
		put(&f, "user0 frame", 11);
		emit(&f);
	}
}

/*
 * pcapng: an Ethernet interface with the presence announcement, then an
 * interface of a link type nobody decodes, a radiotap one with beacons, and
 * a TCP 5683 reset back on the Ethernet one.  libpcap reads one link type
 * per file and stops at the second interface; cyanprobe's own pcapng reader
 * then reads them all.
 */
static void
case_pcapng_two_links(void)
{
	struct ap ap = ap_base();

	case_presence();
	ng_if = pcapng_add_iface(ng, 147, 65535, "user0", NULL);
	case_unknown_linktype();
	ng_if = pcapng_add_iface(ng, DLT_IEEE802_11_RADIO, 65535, "mon0",
	    NULL);
	beacons(&ap, 2);
	ng_if = 0;
	case_cloud_rst();
}

/* No packet at all: a capture that saw nothing (a wrong filter, a quiet port). */
static void
case_empty(void)
{
}

/*
 * Issue 10 section 3.  An AP whose HT Capabilities and HT Operation are a
 * byte short: present but malformed, so its PHY is unknown, not "g".
 */
static void
case_ht_short(void)
{
	struct ap a = ap_base();

	a.ssid = "ShortHT";
	a.ht_short = 1;
	beacons(&a, 3);
}

/*
 * Two APs with OFDM-only basic rates (6, 12, 24) in a whole Supported
 * Rates element, captured with a snap length that ends right after it
 * (the walk of what was kept completes: only caplen < len tells) for the
 * first, inside Extended Supported Rates for the second: those rates were
 * never seen (an 11b basic rate or the HT selector may be there), so
 * n-only and g-only are unknown, not false and true.  The second one is
 * also seen whole once, which decides them.
 */
static void
case_snapped(void)
{
	struct ap a = ap_base(), b = ap_base();

	a.ssid = "Snapped";
	a.ofdm_basic = 1;
	a.snap = 2 + 8;		/* up to the end of Supported Rates */
	b.ssid = "SnappedThenWhole";
	b.bssid[5] = 0x31;
	b.channel = 11;
	b.ofdm_basic = 1;
	b.snap = 2 + 8 + 3;	/* and 3 of Extended Rates' 6 bytes */
	beacons(&a, 2);
	beacons(&b, 2);
	b.snap = 0;
	beacons(&b, 1);
}

/*
 * Issue 10 section 3: an open AP (no privacy bit, so its security is
 * known) with 11b basic rates, snapped right after Supported Rates (an
 * element boundary): the HT selector may be in the Extended Supported
 * Rates never seen, so n-only is unknown, and a device that fails n-only
 * networks (the Core; photon 0.7.0 to 1.1.0-rc.1) gets no verdict.
 */
static void
case_snapped_open(void)
{
	struct ap a = ap_base();

	a.ssid = "SnappedOpen";
	a.sec = SEC_OPEN;
	a.snap = 2 + 8;
	beacons(&a, 2);
}

/*
 * The same open AP snapped inside its Extended Supported Rates element (3
 * of its bytes kept): the cut is in the element list itself, so a reader
 * that gets only the captured bytes (fake_nl80211 hands them over as a
 * scan result's elements) sees it too.  n-only stays unknown.
 */
static void
case_snapped_open_mid(void)
{
	struct ap a = ap_base();

	a.ssid = "SnappedOpen";
	a.sec = SEC_OPEN;
	a.snap = 2 + 8 + 3;
	beacons(&a, 2);
}

/*
 * A hidden SSID (length 0) on a WPA2 802.11n AP whose beacons are cut
 * inside the Extended Capabilities element after its HT ones: rates,
 * security, channel, width and HT (phy_min "n") are all known, but a Mesh
 * ID may have come past the cut, and a mesh BSS sends the wildcard SSID
 * by design: hidden is unknown (null), not false (issue 10 s3, 13).
 */
static void
case_snapped_hidden(void)
{
	struct ap a = ap_base();

	a.ssid = "SnappedHidden";
	a.hidden = 1;
	a.ht = 1;
	a.ext_caps = 1;
	/* Rates 10, Extended Rates 6, DS 3, RSN 22, HT 28 + 24, and 3. */
	a.snap = 10 + 6 + 3 + 22 + 28 + 24 + 3;
	beacons(&a, 2);
}

/* 41 rates: the 1 Mb/s basic rate is past the 32 kept. */
static void
case_many_rates(void)
{
	struct ap a = ap_base();

	a.ssid = "ManyRates";
	a.many_rates = 1;
	beacons(&a, 2);
}

struct gcase {
	const char	*name;
	int		 linktype;
	void		(*fn)(void);
	const char	*what;
	int		 pcapng;	/* write pcapng instead of pcap */
};

static const struct gcase cases[] = {
	{ "good-ap", DLT_IEEE802_11_RADIO, case_good_ap,
	    "WPA2-PSK 11n AP on channel 6, -52 dBm", 0 },
	{ "crowded", DLT_IEEE802_11_RADIO, case_crowded,
	    "1100 neighbour APs before the good AP (BSS table overflow)", 0 },
	{ "n-only", DLT_IEEE802_11_RADIO, case_n_only,
	    "HT selector among the basic rates", 0 },
	{ "enterprise", DLT_IEEE802_11_RADIO, case_enterprise,
	    "WPA2-Enterprise (AKM 802.1X)", 0 },
	{ "channel13", DLT_IEEE802_11_RADIO, case_channel13,
	    "AP on channel 13 (2472 MHz)", 0 },
	{ "wpa3-only", DLT_IEEE802_11_RADIO, case_wpa3_only,
	    "SAE only, MFP required", 0 },
	{ "pmf-required", DLT_IEEE802_11_RADIO, case_pmf_required,
	    "PSK-SHA256 with MFP required", 0 },
	{ "hidden", DLT_IEEE802_11_RADIO, case_hidden,
	    "hidden SSID (length 0)", 0 },
	{ "5ghz-only", DLT_IEEE802_11_RADIO, case_5ghz_only,
	    "AP on channel 36 only", 0 },
	{ "band-steering", DLT_IEEE802_11_RADIO, case_band_steering,
	    "same SSID on channel 6 and 44", 0 },
	{ "mis-stamped", DLT_IEEE802_11_RADIO, case_mis_stamped,
	    "radiotap says 5180 MHz for channel 6, 2437 MHz for 36", 0 },
	{ "mis-stamped-prism", DLT_PRISM_HEADER, case_mis_stamped_prism,
	    "Prism says channel 36 for channel 6, 6 for 36", 0 },
	{ "mis-stamped-ppi", DLT_PPI, case_mis_stamped_ppi,
	    "PPI says 5180 MHz for channel 6, 2437 MHz for 36", 0 },
	{ "ht-short", DLT_IEEE802_11_RADIO, case_ht_short,
	    "HT Capabilities and HT Operation one byte short", 0 },
	{ "snapped", DLT_IEEE802_11_RADIO, case_snapped,
	    "OFDM-only basic rates, beacons snapped after Supported Rates", 0 },
	{ "snapped-open", DLT_IEEE802_11_RADIO, case_snapped_open,
	    "open AP, 11b basic rates, snapped after Supported Rates", 0 },
	{ "snapped-open-mid", DLT_IEEE802_11_RADIO, case_snapped_open_mid,
	    "open AP, 11b basic rates, snapped inside Extended Rates", 0 },
	{ "snapped-hidden", DLT_IEEE802_11_RADIO, case_snapped_hidden,
	    "hidden SSID, WPA2 HT AP snapped after its HT elements", 0 },
	{ "many-rates", DLT_IEEE802_11_RADIO, case_many_rates,
	    "41 rates, 1 Mb/s basic past the 32 kept", 0 },
	{ "weak-signal", DLT_IEEE802_11_RADIO, case_weak_signal,
	    "AP at -88 dBm", 0 },
	{ "wep", DLT_IEEE802_11_RADIO, case_wep, "WEP (privacy, no RSN)", 0 },
	{ "portal", DLT_EN10MB, case_portal,
	    "HTTP 302 to a login page", 0 },
	{ "cloud-nonce", DLT_EN10MB, case_cloud_nonce,
	    "TCP 5683 connect and a 40-byte nonce", 0 },
	{ "cloud-rst", DLT_EN10MB, case_cloud_rst, "TCP 5683 reset", 0 },
	{ "cloud-syn-unanswered", DLT_EN10MB, case_cloud_syn_unanswered,
	    "TCP 5683 SYN, never answered", 0 },
	{ "cloud-intercepted", DLT_EN10MB, case_cloud_intercepted,
	    "TCP 5683 accepted, HTTP instead of a nonce", 0 },
	{ "dhcp-two-servers", DLT_EN10MB, case_dhcp_two_servers,
	    "a discover and offers from two servers", 0 },
	{ "dhcp-nak", DLT_EN10MB, case_dhcp_nak, "a request and a NAK", 0 },
	{ "dhcp-no-offer", DLT_EN10MB, case_dhcp_no_offer,
	    "three discovers, no offer", 0 },
	{ "dns-private", DLT_EN10MB, case_dns_private,
	    "device.spark.io answered with 192.168.1.5", 0 },
	{ "presence", DLT_EN10MB, case_presence,
	    "Particle presence announcement to 224.0.1.187:5683", 0 },
	{ "healthy", DLT_EN10MB, case_healthy,
	    "DHCP completes, cloud nonce, presence announcement", 0 },
	{ "crowded-clients", DLT_IEEE802_11_RADIO, case_crowded_clients,
	    "70 stations join a neighbour, then the device joins HomeNet", 0 },
	{ "crowded-stations", DLT_IEEE802_11_RADIO, case_crowded_stations,
	    "300 stations join a neighbour, then the device fails HomeNet's "
	    "4-way", 0 },
	{ "crowded-stations-late", DLT_IEEE802_11_RADIO,
	    case_crowded_stations_late,
	    "as crowded-stations, HomeNet's first beacon after the 4-way", 0 },
	{ "crowded-stations-unbeaconed", DLT_IEEE802_11_RADIO,
	    case_crowded_stations_unbeaconed,
	    "300 stations of a never-beaconing AP, then the device fails "
	    "HomeNet's 4-way", 0 },
	{ "join-many-retries", DLT_IEEE802_11_RADIO, case_join_many_retries,
	    "association refused (17) ten times, then joined: 48 steps", 0 },
	{ "join-retry", DLT_IEEE802_11_RADIO, case_join_retry,
	    "association refused (17), then joined with a full 4-way", 0 },
	{ "join-elsewhere", DLT_IEEE802_11_RADIO, case_join_elsewhere,
	    "refused (17) by one HomeNet AP, joined at the other", 0 },
	{ "wrong-password", DLT_IEEE802_11_RADIO, case_wrong_password,
	    "4-way messages 1 and 2 four times, deauth reason 15", 0 },
	{ "long-timers", DLT_IEEE802_11_RADIO, case_long_timers,
	    "36 min: group rekeys every 600 s, reason 4 after 300 s idle",
	    0 },
	{ "rekey-retries", DLT_IEEE802_11_RADIO, case_rekey_retries,
	    "2 h: group rekeys with G1 retries, pairwise rekeys at 1 h", 0 },
	{ "wpa1-rekeys", DLT_IEEE802_11_RADIO, case_wpa1_rekeys,
	    "WPA1: the join's G1, then group rekeys every 600 s", 0 },
	{ "wrong-password-cut", DLT_IEEE802_11_RADIO,
	    case_wrong_password_cut,
	    "4-way messages 1 and 2 three times, no message 3", 0 },
	{ "handshake-cut", DLT_IEEE802_11_RADIO, case_handshake_cut,
	    "4-way messages 1 and 2 once, the station leaves", 0 },
	{ "assoc-rates", DLT_IEEE802_11_RADIO, case_assoc_rates,
	    "n-only AP refuses the association: status 18", 0 },
	{ "assoc-pmf", DLT_IEEE802_11_RADIO, case_assoc_pmf,
	    "PMF-required AP refuses the association: status 31", 0 },
	{ "sae-group", DLT_IEEE802_11_RADIO, case_sae_group,
	    "SAE commit refused: status 77", 0 },
	{ "prism", DLT_PRISM_HEADER, case_prism,
	    "the good AP behind Prism headers", 0 },
	{ "avs", DLT_IEEE802_11_RADIO_AVS, case_avs,
	    "the good AP behind AVS headers", 0 },
	{ "ppi", DLT_PPI, case_ppi, "the good AP behind PPI headers", 0 },
	{ "unknown-linktype", 147, case_unknown_linktype,
	    "three frames of LINKTYPE_USER0", 0 },
	{ "pcapng-radiotap", DLT_IEEE802_11_RADIO, case_band_steering,
	    "pcapng: the band-steering beacons", 1 },
	{ "empty-lan", DLT_EN10MB, case_empty, "Ethernet, 0 packets", 0 },
	{ "empty-air", DLT_IEEE802_11_RADIO, case_empty,
	    "radiotap, 0 packets", 0 },
	{ "pcapng-two-links", DLT_EN10MB, case_pcapng_two_links,
	    "pcapng: Ethernet, USER0 and radiotap interfaces", 1 },
	{ NULL, 0, NULL, NULL, 0 }
};

static int
write_case(const struct gcase *c, const char *path)
{
	struct pcapng_writer w;
	pcap_t *p;
	int rc = 0;

	tick = 0;
	if (c->pcapng) {
		if (pcapng_open(&w, path, "cyanprobe framegen") != 0) {
			perror(path);
			return -1;
		}
		ng = &w;
		ng_if = pcapng_add_iface(ng, (uint16_t)c->linktype, 65535,
		    "synthetic0", NULL);
		c->fn();
		rc = pcapng_close(&w);
		ng = NULL;
		return rc;
	}
	if ((p = pcap_open_dead(c->linktype, 65535)) == NULL)
		return -1;
	if ((out = pcap_dump_open(p, path)) == NULL) {
		fprintf(stderr, "framegen: %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	c->fn();
	pcap_dump_close(out);
	pcap_close(p);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct gcase *c;
	char path[4096];

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (c = cases; c->name != NULL; c++)
			printf("%-22s %s\n", c->name, c->what);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "-a") == 0) {
		for (c = cases; c->name != NULL; c++) {
			snprintf(path, sizeof(path), "%s/synthetic-%s.pcap",
			    argv[2], c->name);
			if (write_case(c, path) != 0)
				return 3;
		}
		return 0;
	}
	if (argc == 3) {
		for (c = cases; c->name != NULL; c++)
			if (strcmp(c->name, argv[1]) == 0)
				return write_case(c, argv[2]) == 0 ? 0 : 3;
		fprintf(stderr, "framegen: unknown case '%s' (try -l)\n",
		    argv[1]);
		return 2;
	}
	fprintf(stderr, "usage: framegen -l | NAME FILE | -a DIR\n");
	return 2;
}
