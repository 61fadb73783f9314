/*
 * capture_read.h - read a pcap or pcapng capture with libpcap and feed every
 * packet through the decoders into a struct netmap (analyzers/netmap.h).
 * 802.11 link types (radiotap 127, bare 105, Prism 119, AVS 163, PPI 192)
 * go through the radio header, 802.11 and element decoders; wired and
 * cooked ones (Ethernet 1, SLL 113, SLL2 276, raw IP 12/14/101, null 0/108)
 * through the link-layer decoder; both end in the same IP, DHCP, DNS, HTTP,
 * TCP 5683 and CoAP decoders.  Bad input never stops the reader before the
 * end: what could not be read becomes a counted warning, and everything
 * read before it is kept.
 */
#ifndef CAPTURE_READ_H
#define CAPTURE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "netmap.h"

#define CAPTURE_WARNINGS_MAX	16
#define CAPTURE_WARNING_LEN	240
#define CAPTURE_COAP_MAX	16

/* One CoAP message as kept for the report (the first few only). */
struct capture_coap {
	uint64_t	packet;		/* 1-based packet number */
	uint8_t		type, code;
	uint16_t	mid;
	uint8_t		token_len;
	uint8_t		token[8];
	char		path[64];
	uint16_t	sport, dport;
};

struct capture_stats {
	int		 dlt;		/* link type of the file */
	char		 dlt_name[32];	/* libpcap's name, or "" */
	bool		 dlt_known;	/* decoded by this project */
	bool		 pcapng;	/* else classic pcap */
	uint64_t	 packets;
	uint64_t	 bytes;		/* on the wire */
	uint64_t	 snapped;	/* captured fewer bytes than sent */
	uint64_t	 not_decoded;	/* unknown link type: counted only */
	uint64_t	 bad_radio;	/* radio header unusable */
	uint64_t	 bad_fcs;	/* radio flagged a bad FCS: ignored */
	uint64_t	 bad_80211;	/* 802.11 header cut */
	uint64_t	 bad_link;	/* wired link header cut */
	uint64_t	 ie_truncated;	/* mgmt frames with bad elements */
	uint64_t	 wifi_mgmt, wifi_data, wifi_ctrl;
	uint64_t	 ip, dhcp, dns, http, tcp5683, coap, presence;
	bool		 read_error;	/* reading stopped before the end */
	/* Interfaces of several link types: libpcap refused the file and
	 * cyanprobe's own pcapng reader (pcapng_blocks.h) read it. */
	bool		 multi_link;
	char		 read_error_text[CAPTURE_WARNING_LEN];
	/* Warnings for people, first CAPTURE_WARNINGS_MAX kept. */
	char		 warning[CAPTURE_WARNINGS_MAX][CAPTURE_WARNING_LEN];
	size_t		 nwarnings;
	size_t		 warnings_dropped;
	struct capture_coap coap_msg[CAPTURE_COAP_MAX];
	size_t		 ncoap_msg;
};

/*
 * Read the capture at `path` ("-" is standard input) into `nm`, filling
 * `st` (zeroed first).  The path is opened once and read as a stream, so a
 * pipe, a FIFO or a <(...) process substitution reads like a file: a pcapng
 * input that cannot be rewound goes straight to cyanprobe's own reader, one
 * that can is read by libpcap and, when it holds several link types, read
 * again from the same open file.  Returns 0 when the file was opened and read, even if
 * reading stopped early on damaged data (then st->read_error and a
 * warning); -1 when it cannot be opened as a capture at all, with the
 * reason in err ("FILE: ...").
 */
int	capture_read_file(const char *path, struct netmap *nm,
	    struct capture_stats *st, char *err, size_t errlen);

/*
 * The same from an open stream (e.g. fmemopen() in the fuzz target).
 * `name` is used in messages.  The stream is closed in all cases: after
 * the call `f` is no longer valid.
 */
int	capture_read_stream(FILE *f, const char *name, struct netmap *nm,
	    struct capture_stats *st, char *err, size_t errlen);

/*
 * Read a pcapng stream with cyanprobe's own block reader instead of
 * libpcap, every interface with its own link type; what capture_read_file()
 * uses for pcapng that cannot be rewound, and falls back to when libpcap
 * stops at an interface whose link type differs from the first.  Sets the
 * file's link type (st->dlt) from the first interface.  Adds to `st` and `nm` (the caller resets them); blocks
 * larger than 1 MiB are skipped with a warning.  Does not close `f`.
 * Returns 0, or -1 when reading stopped on damaged data (st->read_error).
 */
int	capture_read_pcapng(FILE *f, const char *name, struct netmap *nm,
	    struct capture_stats *st);

/*
 * Feed one captured packet of link type `dlt` (`caplen` bytes at `buf`,
 * `len` on the wire) into nm; exposed for tests and the live scan.
 */
void	capture_packet(int dlt, const uint8_t *buf, size_t caplen, size_t len,
	    struct netmap *nm, struct capture_stats *st);

#endif /* CAPTURE_READ_H */
