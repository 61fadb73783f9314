/*
 * radiotap.h - the radio headers in front of captured 802.11 frames:
 * radiotap (DLT 127), Prism (119), AVS (163) and PPI (192), all decoded into
 * one struct radiotap_info (frequency, signal, noise, rate, FCS flags) plus the
 * offset and length of the 802.11 frame behind them.  Bare 802.11 (105) has
 * no radio header and decodes to an empty radio_info with frame offset 0.
 * Specs: radiotap.org (defined fields, alignment, extended bitmaps, vendor
 * namespaces); the Prism/AVS/PPI layouts as documented by libpcap's
 * pcap-linktype(7) pages and the PPI 1.0.10 specification.
 * Pure: no I/O, no allocation.
 */
#ifndef RADIOTAP_H
#define RADIOTAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The data link types this module understands (pcap-linktype(7)). */
#define RADIO_DLT_IEEE802_11		105
#define RADIO_DLT_PRISM			119
#define RADIO_DLT_RADIOTAP		127
#define RADIO_DLT_AVS			163
#define RADIO_DLT_PPI			192

/* Which fields of struct radiotap_info were present in the header. */
#define RADIO_HAVE_TSFT		0x0001
#define RADIO_HAVE_FLAGS	0x0002
#define RADIO_HAVE_RATE		0x0004	/* rate_kbps (legacy or from MCS) */
#define RADIO_HAVE_FREQ		0x0008	/* freq_mhz, chan_flags */
#define RADIO_HAVE_SIGNAL	0x0010	/* signal_dbm */
#define RADIO_HAVE_NOISE	0x0020	/* noise_dbm */
#define RADIO_HAVE_MCS		0x0040	/* mcs_* */
#define RADIO_HAVE_ANTENNA	0x0080
#define RADIO_HAVE_CHANNEL	0x0100	/* channel (Prism gives a number) */

/* Radiotap Flags field bits (radiotap.org/fields/Flags). */
#define RADIOTAP_F_CFP		0x01
#define RADIOTAP_F_SHORTPRE	0x02
#define RADIOTAP_F_WEP		0x04
#define RADIOTAP_F_FRAG		0x08
#define RADIOTAP_F_FCS		0x10	/* frame ends with 4 bytes of FCS */
#define RADIOTAP_F_DATAPAD	0x20
#define RADIOTAP_F_BADFCS	0x40

/* Radiotap Channel flags (radiotap.org/fields/Channel). */
#define RADIOTAP_CHAN_TURBO	0x0010
#define RADIOTAP_CHAN_CCK	0x0020
#define RADIOTAP_CHAN_OFDM	0x0040
#define RADIOTAP_CHAN_2GHZ	0x0080
#define RADIOTAP_CHAN_5GHZ	0x0100
#define RADIOTAP_CHAN_PASSIVE	0x0200
#define RADIOTAP_CHAN_DYN	0x0400
#define RADIOTAP_CHAN_GFSK	0x0800

/* MCS field: flags byte, bandwidth in the low two bits. */
#define RADIOTAP_MCS_BW_MASK	0x03
#define RADIOTAP_MCS_BW_40	1
#define RADIOTAP_MCS_SGI	0x04

enum radio_hdr {
	RADIO_HDR_NONE = 0,	/* bare 802.11 */
	RADIO_HDR_RADIOTAP,
	RADIO_HDR_PRISM,
	RADIO_HDR_AVS,
	RADIO_HDR_PPI
};

/*
 * What one radio header said.  Only fields whose RADIO_HAVE_ bit is set in
 * `have` mean anything.  When the first antenna's signal appears more than
 * once (radiotap per-antenna namespaces), the first value is kept: it is the
 * combined signal.
 */
struct radiotap_info {
	enum radio_hdr	 hdr;
	unsigned	 have;		/* RADIO_HAVE_* */
	uint64_t	 tsft;		/* microseconds */
	uint8_t		 flags;		/* RADIOTAP_F_* (PPI mapped too) */
	bool		 fcs_present;	/* frame_len already excludes the FCS */
	bool		 bad_fcs;
	uint16_t	 freq_mhz;
	uint16_t	 chan_flags;	/* RADIOTAP_CHAN_* */
	uint8_t		 channel;	/* only with RADIO_HAVE_CHANNEL */
	int8_t		 signal_dbm;
	int8_t		 noise_dbm;
	uint8_t		 antenna;
	uint32_t	 rate_kbps;	/* legacy rate, or HT rate from MCS */
	uint8_t		 mcs_known;	/* radiotap MCS "known" byte */
	uint8_t		 mcs_flags;	/* RADIOTAP_MCS_* */
	uint8_t		 mcs_index;
	size_t		 frame_off;	/* where the 802.11 frame starts */
	size_t		 frame_len;	/* its length, without any FCS */
	bool		 truncated;	/* a field ran past the header */
	bool		 unknown_field;	/* stopped at a field of unknown size */
};

/*
 * Decode the radio header of one captured packet of link type `dlt` (one of
 * RADIO_DLT_*) from `buf`/`len` (the captured bytes) into `ri`.
 * Returns 0 when the 802.11 frame's place is known (ri->frame_off and
 * ri->frame_len are set, even if some fields were cut short: see
 * ri->truncated), or -1 when the header itself is unusable (too short, a
 * header length beyond the capture, a bad version, or a PPI packet not
 * carrying 802.11).  `ri` is always initialised.
 * `len` is the captured length.  When the header says an FCS is present,
 * its 4 bytes are taken off the end; that is right for packets captured
 * whole, and a packet cut by the snapshot length has lost its FCS already,
 * so such a caller should add the 4 bytes back (up to what was captured).
 */
int		 radiotap_decode(int dlt, const uint8_t *buf, size_t len,
		    struct radiotap_info *ri);

/* The same, one header type each; radiotap_decode() dispatches to these. */
int		 radiotap_parse(const uint8_t *buf, size_t len,
		    struct radiotap_info *ri);
int		 radiotap_parse_prism(const uint8_t *buf, size_t len,
		    struct radiotap_info *ri);
int		 radiotap_parse_avs(const uint8_t *buf, size_t len,
		    struct radiotap_info *ri);
int		 radiotap_parse_ppi(const uint8_t *buf, size_t len,
		    struct radiotap_info *ri);

/* True for the DLTs radiotap_decode() accepts. */
bool		 radiotap_dlt_known(int dlt);

/*
 * The HT PHY rate in kb/s for an MCS index (0..31), 40 MHz or not, short
 * guard interval or not; 0 for an index outside the table.
 */
uint32_t	 radiotap_ht_rate_kbps(unsigned mcs, bool bw40, bool sgi);

#endif /* RADIOTAP_H */
