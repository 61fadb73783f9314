/*
 * radiotap.c - decode the radio header in front of a captured 802.11 frame
 * (radiotap, Prism, AVS, PPI) into struct radiotap_info.  Radiotap is walked
 * the way radiotap.org specifies: every present bitmap word first (bit 31
 * chains them), then the fields in bit order, each aligned to its natural
 * size relative to the start of the header; bit 29 restarts the radiotap
 * namespace, bit 30 enters a vendor namespace whose data is skipped by its
 * own skip_length.  A field of unknown size ends the walk, since nothing
 * after it can be located.  All reads are through one cursor bounded by the
 * header's own length, so a field that overruns it only sets `truncated`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "radiotap.h"

#define RT_BIT_NS_RADIOTAP	29
#define RT_BIT_NS_VENDOR	30
#define RT_BIT_EXT		31
#define RT_WORDS_MAX		16	/* present words we follow */

/* The radiotap fields we read; the rest are only skipped. */
#define RT_TSFT			0
#define RT_FLAGS		1
#define RT_RATE			2
#define RT_CHANNEL		3
#define RT_DBM_SIGNAL		5
#define RT_DBM_NOISE		6
#define RT_ANTENNA		11
#define RT_XCHANNEL		18
#define RT_MCS			19

/*
 * The walk visits only the set bits of a present word, lowest first, in the
 * same order as a bit-by-bit scan (which was the largest cost of `analyze`
 * on big captures).  A word with one bit set, times a de Bruijn sequence,
 * has a distinct 5-bit pattern in its top bits: RT_SLOT(bit) is that
 * pattern, and the field table is indexed by it, so one multiply and one
 * load give a field's bit number, alignment and size.
 */
#define RT_DEBRUIJN		0x077cb531u
#define RT_SLOT(bit)		((uint32_t)(RT_DEBRUIJN << (bit)) >> 27)
#define RT_SLOT_OF(one)		((uint32_t)((one) * RT_DEBRUIJN) >> 27)

/*
 * Bit number, alignment and size of the defined fields
 * (radiotap.org/fields/defined), by slot; size 0 marks a field we do not
 * know, which stops the walk.  Bit 28 (TLVs) runs to the end of the header
 * and also stops it.  Bits 29-31 steer the walk and are never looked up.
 */
static const struct {
	uint8_t	bit;
	uint8_t	align;
	uint8_t	size;
} rt_fields[32] = {
	[RT_SLOT(0)]  = { 0, 8, 8 },	/* TSFT */
	[RT_SLOT(1)]  = { 1, 1, 1 },	/* Flags */
	[RT_SLOT(2)]  = { 2, 1, 1 },	/* Rate */
	[RT_SLOT(3)]  = { 3, 2, 4 },	/* Channel: freq, flags */
	[RT_SLOT(4)]  = { 4, 2, 2 },	/* FHSS */
	[RT_SLOT(5)]  = { 5, 1, 1 },	/* dBm antenna signal */
	[RT_SLOT(6)]  = { 6, 1, 1 },	/* dBm antenna noise */
	[RT_SLOT(7)]  = { 7, 2, 2 },	/* Lock quality */
	[RT_SLOT(8)]  = { 8, 2, 2 },	/* TX attenuation */
	[RT_SLOT(9)]  = { 9, 2, 2 },	/* dB TX attenuation */
	[RT_SLOT(10)] = { 10, 1, 1 },	/* dBm TX power */
	[RT_SLOT(11)] = { 11, 1, 1 },	/* Antenna */
	[RT_SLOT(12)] = { 12, 1, 1 },	/* dB antenna signal */
	[RT_SLOT(13)] = { 13, 1, 1 },	/* dB antenna noise */
	[RT_SLOT(14)] = { 14, 2, 2 },	/* RX flags */
	[RT_SLOT(15)] = { 15, 2, 2 },	/* TX flags */
	[RT_SLOT(16)] = { 16, 1, 1 },	/* RTS retries */
	[RT_SLOT(17)] = { 17, 1, 1 },	/* data retries */
	[RT_SLOT(18)] = { 18, 4, 8 },	/* XChannel: flags, freq, chan, power */
	[RT_SLOT(19)] = { 19, 1, 3 },	/* MCS: known, flags, index */
	[RT_SLOT(20)] = { 20, 4, 8 },	/* A-MPDU status */
	[RT_SLOT(21)] = { 21, 2, 12 },	/* VHT */
	[RT_SLOT(22)] = { 22, 8, 12 },	/* timestamp */
	[RT_SLOT(23)] = { 23, 2, 12 },	/* HE */
	[RT_SLOT(24)] = { 24, 2, 12 },	/* HE-MU */
	[RT_SLOT(25)] = { 25, 2, 6 },	/* HE-MU-other-user */
	[RT_SLOT(26)] = { 26, 1, 1 },	/* 0-length PSDU */
	[RT_SLOT(27)] = { 27, 2, 4 },	/* L-SIG */
	[RT_SLOT(28)] = { 28, 0, 0 },	/* TLVs */
};

/* The bits of a present word that name fields (29-31 steer the walk). */
#define RT_FIELD_BITS		0x1fffffffu

/* Fields rt_field() reads; every other known field is only stepped over. */
#define RT_DECODED	(1u << RT_TSFT | 1u << RT_FLAGS | 1u << RT_RATE | \
	1u << RT_CHANNEL | 1u << RT_DBM_SIGNAL | 1u << RT_DBM_NOISE | \
	1u << RT_ANTENNA | 1u << RT_XCHANNEL | 1u << RT_MCS)

/* HT rates for MCS 0-7 in 100 kb/s: [bw40][sgi][mcs % 8] (19.5). */
static const uint16_t ht_rate_100k[2][2][8] = {
	{ { 65, 130, 195, 260, 390, 520, 585, 650 },
	  { 72, 144, 217, 289, 433, 578, 650, 722 } },
	{ { 135, 270, 405, 540, 810, 1080, 1215, 1350 },
	  { 150, 300, 450, 600, 900, 1200, 1350, 1500 } },
};

uint32_t
radiotap_ht_rate_kbps(unsigned mcs, bool bw40, bool sgi)
{
	unsigned nss;

	if (mcs > 31)
		return 0;
	/* MCS 0-31 are 1-4 equal streams of the MCS 0-7 modulations. */
	nss = mcs / 8 + 1;
	return (uint32_t)ht_rate_100k[bw40][sgi][mcs % 8] * 100 * nss;
}

static void
info_init(struct radiotap_info *ri, enum radio_hdr hdr)
{
	memset(ri, 0, sizeof(*ri));
	ri->hdr = hdr;
}

/* Place the 802.11 frame after a header of hdr_len bytes. */
static void
set_frame(struct radiotap_info *ri, size_t len, size_t hdr_len)
{
	ri->frame_off = hdr_len;
	ri->frame_len = len - hdr_len;
	/* The FCS is the last 4 bytes of a packet captured whole. */
	if (ri->fcs_present) {
		if (ri->frame_len >= 4)
			ri->frame_len -= 4;
		else {
			ri->frame_len = 0;
			ri->truncated = true;
		}
	}
}

/* Read one radiotap field from `f`, a cursor over exactly its bytes. */
static void
rt_field(struct cursor f, unsigned bit, struct radiotap_info *ri)
{
	uint8_t v;

	switch (bit) {
	case RT_TSFT:
		ri->tsft = cur_le64(&f);
		ri->have |= RADIO_HAVE_TSFT;
		break;
	case RT_FLAGS:
		ri->flags = cur_u8(&f);
		ri->fcs_present = (ri->flags & RADIOTAP_F_FCS) != 0;
		ri->bad_fcs = (ri->flags & RADIOTAP_F_BADFCS) != 0;
		ri->have |= RADIO_HAVE_FLAGS;
		break;
	case RT_RATE:
		v = cur_u8(&f);
		/* 0 means "not known"; bit 7 is set by some for MCS rates. */
		if (v != 0 && !(v & 0x80)) {
			ri->rate_kbps = (uint32_t)v * 500;
			ri->have |= RADIO_HAVE_RATE;
		}
		break;
	case RT_CHANNEL:
		if (!(ri->have & RADIO_HAVE_FREQ)) {
			ri->freq_mhz = cur_le16(&f);
			ri->chan_flags = cur_le16(&f);
			if (ri->freq_mhz != 0)
				ri->have |= RADIO_HAVE_FREQ;
		}
		break;
	case RT_XCHANNEL:
		/* Channel, if both are present, is the one drivers agree on. */
		if (!(ri->have & RADIO_HAVE_FREQ)) {
			(void)cur_le32(&f);
			ri->freq_mhz = cur_le16(&f);
			if (ri->freq_mhz != 0)
				ri->have |= RADIO_HAVE_FREQ;
		}
		break;
	case RT_DBM_SIGNAL:
		if (!(ri->have & RADIO_HAVE_SIGNAL)) {
			ri->signal_dbm = (int8_t)cur_u8(&f);
			ri->have |= RADIO_HAVE_SIGNAL;
		}
		break;
	case RT_DBM_NOISE:
		if (!(ri->have & RADIO_HAVE_NOISE)) {
			ri->noise_dbm = (int8_t)cur_u8(&f);
			ri->have |= RADIO_HAVE_NOISE;
		}
		break;
	case RT_ANTENNA:
		if (!(ri->have & RADIO_HAVE_ANTENNA)) {
			ri->antenna = cur_u8(&f);
			ri->have |= RADIO_HAVE_ANTENNA;
		}
		break;
	case RT_MCS:
		if (!(ri->have & RADIO_HAVE_MCS)) {
			ri->mcs_known = cur_u8(&f);
			ri->mcs_flags = cur_u8(&f);
			ri->mcs_index = cur_u8(&f);
			ri->have |= RADIO_HAVE_MCS;
		}
		break;
	default:
		break;
	}
}

enum rt_ns {
	NS_RADIOTAP,
	NS_VENDOR_FIRST,	/* its data header is still to be skipped */
	NS_VENDOR		/* data already skipped */
};

int
radiotap_parse(const uint8_t *buf, size_t len, struct radiotap_info *ri)
{
	struct cursor c = cur_init(buf, len), h;
	uint32_t words[RT_WORDS_MAX];
	unsigned nwords = 0, w, base = 0;
	uint16_t it_len, skip;
	uint8_t version;
	enum rt_ns ns = NS_RADIOTAP;
	bool more;

	info_init(ri, RADIO_HDR_RADIOTAP);
	version = cur_u8(&c);
	(void)cur_u8(&c);			/* pad */
	it_len = cur_le16(&c);
	if (c.bad || version != 0 || it_len < 8 || it_len > len)
		return -1;

	/* Everything below reads inside the header's own length. */
	h = cur_init(buf, it_len);
	cur_skip(&h, 4);
	do {
		uint32_t word = cur_le32(&h);

		if (h.bad) {
			ri->truncated = true;
			goto done;
		}
		more = (word >> RT_BIT_EXT) & 1;
		if (nwords == RT_WORDS_MAX) {
			/* So long a chain is garbage: nothing is placeable. */
			ri->truncated = true;
			goto done;
		}
		words[nwords++] = word;
	} while (more);

	for (w = 0; w < nwords; w++) {
		uint32_t word = words[w];

		if (ns == NS_VENDOR_FIRST) {
			/*
			 * A vendor namespace's data starts with OUI,
			 * sub-namespace and skip_length (2-aligned), and
			 * skip_length covers all of it.
			 */
			if (!cur_align(&h, buf, 2) || !cur_skip(&h, 4)) {
				ri->truncated = true;
				goto done;
			}
			skip = cur_le16(&h);
			if (!cur_skip(&h, skip)) {
				ri->truncated = true;
				goto done;
			}
		} else if (ns == NS_RADIOTAP) {
			uint32_t left = word & RT_FIELD_BITS;
			size_t start = (size_t)(h.p - buf), off = start;

			/*
			 * Lowest set bit first, then clear it.  Fields are
			 * placed by offset arithmetic (every alignment is a
			 * power of two) against the header length, and only
			 * the ones decoded get a cursor over their bytes:
			 * the same checks cur_align() and cur_sub() would
			 * make, without their bookkeeping on every field.
			 */
			if (base != 0 && left != 0) {
				/* Past bit 31 nothing is defined. */
				ri->unknown_field = true;
				goto done;
			}
			while (left != 0) {
				uint32_t one = left & (0u - left);
				unsigned slot = RT_SLOT_OF(one);
				size_t align = rt_fields[slot].align;
				size_t size = rt_fields[slot].size;

				left ^= one;
				if (size == 0) {
					ri->unknown_field = true;
					goto done;
				}
				off = (off + align - 1) & ~(align - 1);
				if (off > it_len || size > it_len - off) {
					ri->truncated = true;
					goto done;
				}
				if ((RT_DECODED >> rt_fields[slot].bit) & 1)
					rt_field(cur_init(buf + off, size),
					    rt_fields[slot].bit, ri);
				off += size;
			}
			/* Hand the position back for a vendor namespace. */
			(void)cur_skip(&h, off - start);
		}
		/* Where the next word belongs. */
		if ((word >> RT_BIT_NS_RADIOTAP) & 1) {
			ns = NS_RADIOTAP;
			base = 0;
		} else if ((word >> RT_BIT_NS_VENDOR) & 1)
			ns = NS_VENDOR_FIRST;
		else if (ns == NS_RADIOTAP)
			base += 32;
		else
			ns = NS_VENDOR;
	}
done:
	/* An MCS field gives the rate when no legacy rate was present. */
	if ((ri->have & RADIO_HAVE_MCS) && !(ri->have & RADIO_HAVE_RATE)) {
		bool bw40 = (ri->mcs_flags & RADIOTAP_MCS_BW_MASK) ==
		    RADIOTAP_MCS_BW_40;

		ri->rate_kbps = radiotap_ht_rate_kbps(ri->mcs_index, bw40,
		    (ri->mcs_flags & RADIOTAP_MCS_SGI) != 0);
		if (ri->rate_kbps != 0)
			ri->have |= RADIO_HAVE_RATE;
	}
	set_frame(ri, len, it_len);
	return 0;
}

/* Channel number to frequency for Prism and AVS, which give numbers. */
static void
set_channel(struct radiotap_info *ri, uint32_t channel)
{
	unsigned freq;

	if (channel == 0 || channel > 255)
		return;
	ri->channel = (uint8_t)channel;
	ri->have |= RADIO_HAVE_CHANNEL;
	/* Prism and AVS predate 6 GHz: numbers are 2.4 or 5 GHz. */
	if (channel == 14)
		freq = 2484;
	else if (channel < 14)
		freq = 2407 + 5 * channel;
	else
		freq = 5000 + 5 * channel;
	{
		ri->freq_mhz = (uint16_t)freq;
		ri->have |= RADIO_HAVE_FREQ;
	}
}

/* A signal or noise value that can be dBm. */
static bool
plausible_dbm(int32_t v)
{
	return v >= -127 && v <= 0;
}

#define AVS_MAGIC_MASK	0xfffff000u
#define AVS_MAGIC	0x80211000u
#define AVS_SSI_DBM	2

/*
 * AVS capture header, version 1 or 2 (big-endian, 64 bytes in version 1):
 * version, length, mactime, hosttime, phytype, channel, datarate (100 kb/s),
 * antenna, priority, ssi_type, ssi_signal, ssi_noise, preamble, encoding.
 */
int
radiotap_parse_avs(const uint8_t *buf, size_t len, struct radiotap_info *ri)
{
	struct cursor c = cur_init(buf, len);
	uint32_t version, hlen, channel, rate, ssi_type;
	int32_t signal, noise;

	info_init(ri, RADIO_HDR_AVS);
	version = cur_be32(&c);
	hlen = cur_be32(&c);
	if (c.bad || (version & AVS_MAGIC_MASK) != AVS_MAGIC || hlen < 64 ||
	    hlen > len)
		return -1;
	ri->tsft = (uint64_t)cur_be32(&c) << 32;
	ri->tsft |= cur_be32(&c);
	ri->have |= RADIO_HAVE_TSFT;
	cur_skip(&c, 8);			/* hosttime */
	(void)cur_be32(&c);			/* phytype */
	channel = cur_be32(&c);
	rate = cur_be32(&c);
	ri->antenna = (uint8_t)cur_be32(&c);
	(void)cur_be32(&c);			/* priority */
	ssi_type = cur_be32(&c);
	signal = (int32_t)cur_be32(&c);
	noise = (int32_t)cur_be32(&c);
	if (c.bad) {
		ri->truncated = true;
		return -1;
	}
	ri->have |= RADIO_HAVE_ANTENNA;
	set_channel(ri, channel);
	if (rate != 0) {
		ri->rate_kbps = rate * 100;
		ri->have |= RADIO_HAVE_RATE;
	}
	/* Only ssi_type 2 is dBm; 1 and 3 are RSSI scales. */
	if (ssi_type == AVS_SSI_DBM) {
		if (plausible_dbm(signal)) {
			ri->signal_dbm = (int8_t)signal;
			ri->have |= RADIO_HAVE_SIGNAL;
		}
		if (plausible_dbm(noise)) {
			ri->noise_dbm = (int8_t)noise;
			ri->have |= RADIO_HAVE_NOISE;
		}
	}
	set_frame(ri, len, hlen);
	return 0;
}

#define PRISM_HDR_LEN	144
#define PRISM_DEVNAME	16
#define PRISM_ITEMS	10
#define PRISM_OK	0	/* item status: value supplied */

/*
 * Prism (wlan-ng) monitor header: msgcode, msglen, devname[16], then ten
 * items {did, status, len, data} (hosttime, mactime, channel, rssi, sq,
 * signal, noise, rate, istx, frmlen) in the host order of the capturing
 * machine, which msglen tells.  Some drivers put an AVS header under this
 * link type; it is recognised by its magic.
 */
int
radiotap_parse_prism(const uint8_t *buf, size_t len, struct radiotap_info *ri)
{
	struct cursor c = cur_init(buf, len);
	uint32_t msgcode_be, msglen, data[PRISM_ITEMS];
	uint16_t status[PRISM_ITEMS];
	bool le;
	unsigned i;

	msgcode_be = cur_be32(&c);
	if (!c.bad && (msgcode_be & AVS_MAGIC_MASK) == AVS_MAGIC)
		return radiotap_parse_avs(buf, len, ri);
	info_init(ri, RADIO_HDR_PRISM);
	msglen = cur_le32(&c);
	if (c.bad)
		return -1;
	le = msglen >= PRISM_HDR_LEN && msglen <= len;
	if (!le) {
		msglen = (msglen & 0xff) << 24 | (msglen & 0xff00) << 8 |
		    (msglen >> 8 & 0xff00) | msglen >> 24;
		if (msglen < PRISM_HDR_LEN || msglen > len)
			return -1;
	}
	cur_skip(&c, PRISM_DEVNAME);
	for (i = 0; i < PRISM_ITEMS; i++) {
		(void)cur_le32(&c);		/* did */
		status[i] = le ? cur_le16(&c) : cur_be16(&c);
		(void)cur_le16(&c);		/* len */
		data[i] = le ? cur_le32(&c) : cur_be32(&c);
	}
	if (c.bad)
		return -1;
	if (status[1] == PRISM_OK) {
		ri->tsft = data[1];
		ri->have |= RADIO_HAVE_TSFT;
	}
	if (status[2] == PRISM_OK)
		set_channel(ri, data[2]);
	if (status[5] == PRISM_OK && plausible_dbm((int32_t)data[5])) {
		ri->signal_dbm = (int8_t)(int32_t)data[5];
		ri->have |= RADIO_HAVE_SIGNAL;
	}
	if (status[6] == PRISM_OK && plausible_dbm((int32_t)data[6])) {
		ri->noise_dbm = (int8_t)(int32_t)data[6];
		ri->have |= RADIO_HAVE_NOISE;
	}
	if (status[7] == PRISM_OK && data[7] != 0 && data[7] < 0x10000) {
		ri->rate_kbps = data[7] * 500;	/* 500 kb/s units */
		ri->have |= RADIO_HAVE_RATE;
	}
	set_frame(ri, len, msglen);
	return 0;
}

#define PPI_FIELD_80211_COMMON	2
#define PPI_COMMON_LEN		20
#define PPI_F_FCS		0x0001
#define PPI_F_BADFCS		0x0004
#define PPI_ALIGNED		0x01	/* header flag: fields 32-bit aligned */

/*
 * PPI (Per-Packet Information, CACE 1.0.10): version 0, flags, length,
 * inner DLT (all little-endian), then typed fields {type, datalen, data}.
 * The 802.11-Common field (type 2) gives TSFT, flags, rate (500 kb/s),
 * channel frequency and flags, and dBm signal and noise.
 */
int
radiotap_parse_ppi(const uint8_t *buf, size_t len, struct radiotap_info *ri)
{
	struct cursor c = cur_init(buf, len), h;
	uint8_t version, flags;
	uint16_t hlen, type, flen, cflags, rate, freq;
	uint32_t dlt;
	int8_t sig, noise;

	info_init(ri, RADIO_HDR_PPI);
	version = cur_u8(&c);
	flags = cur_u8(&c);
	hlen = cur_le16(&c);
	dlt = cur_le32(&c);
	if (c.bad || version != 0 || hlen < 8 || hlen > len ||
	    dlt != RADIO_DLT_IEEE802_11)
		return -1;
	h = cur_init(buf + 8, hlen - 8u);
	while (cur_left(&h) >= 4) {
		struct cursor f;

		type = cur_le16(&h);
		flen = cur_le16(&h);
		f = cur_sub(&h, flen);
		if (f.bad) {
			ri->truncated = true;
			break;
		}
		if ((flags & PPI_ALIGNED) && flen % 4 != 0)
			cur_skip(&h, 4 - flen % 4u);
		if (type != PPI_FIELD_80211_COMMON)
			continue;
		if (flen < PPI_COMMON_LEN) {
			ri->truncated = true;
			continue;
		}
		ri->tsft = cur_le64(&f);
		ri->have |= RADIO_HAVE_TSFT;
		cflags = cur_le16(&f);
		rate = cur_le16(&f);
		freq = cur_le16(&f);
		ri->chan_flags = cur_le16(&f);
		cur_skip(&f, 2);		/* FHSS hopset, pattern */
		sig = (int8_t)cur_u8(&f);
		noise = (int8_t)cur_u8(&f);
		ri->fcs_present = (cflags & PPI_F_FCS) != 0;
		ri->bad_fcs = (cflags & PPI_F_BADFCS) != 0;
		ri->flags = (uint8_t)((ri->fcs_present ? RADIOTAP_F_FCS : 0) |
		    (ri->bad_fcs ? RADIOTAP_F_BADFCS : 0));
		ri->have |= RADIO_HAVE_FLAGS;
		if (rate != 0) {
			ri->rate_kbps = (uint32_t)rate * 500;
			ri->have |= RADIO_HAVE_RATE;
		}
		if (freq != 0) {
			ri->freq_mhz = freq;
			ri->have |= RADIO_HAVE_FREQ;
		}
		/* -128 is PPI's "no value"; 0 is what drivers leave unset. */
		if (sig != -128 && sig != 0) {
			ri->signal_dbm = sig;
			ri->have |= RADIO_HAVE_SIGNAL;
		}
		if (noise != -128 && noise != 0) {
			ri->noise_dbm = noise;
			ri->have |= RADIO_HAVE_NOISE;
		}
	}
	set_frame(ri, len, hlen);
	return 0;
}

bool
radiotap_dlt_known(int dlt)
{
	switch (dlt) {
	case RADIO_DLT_IEEE802_11:
	case RADIO_DLT_PRISM:
	case RADIO_DLT_RADIOTAP:
	case RADIO_DLT_AVS:
	case RADIO_DLT_PPI:
		return true;
	default:
		return false;
	}
}

int
radiotap_decode(int dlt, const uint8_t *buf, size_t len,
    struct radiotap_info *ri)
{
	switch (dlt) {
	case RADIO_DLT_RADIOTAP:
		return radiotap_parse(buf, len, ri);
	case RADIO_DLT_PRISM:
		return radiotap_parse_prism(buf, len, ri);
	case RADIO_DLT_AVS:
		return radiotap_parse_avs(buf, len, ri);
	case RADIO_DLT_PPI:
		return radiotap_parse_ppi(buf, len, ri);
	case RADIO_DLT_IEEE802_11:
		info_init(ri, RADIO_HDR_NONE);
		set_frame(ri, len, 0);
		return 0;
	default:
		info_init(ri, RADIO_HDR_NONE);
		return -1;
	}
}
