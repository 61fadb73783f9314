/*
 * fuzz_ieee80211_pcap.h - lets the 802.11 fuzz targets take a whole
 * classic pcap file as input, so their .seeds files can name the shared
 * captures unchanged (tcpdump's 802.11 files, the oobr and
 * radiotap-heapoverflow regressions, aircrack-ng).  Any input that does
 * not start with a pcap magic is handed over raw.  The file is read through
 * a cursor like everything else, and each packet is copied into a buffer of
 * exactly its captured length, so ASan sees a read past the packet instead
 * of silently reading the next record.
 */
#ifndef FUZZ_IEEE80211_PCAP_H
#define FUZZ_IEEE80211_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define FUZZ_PCAP_MAX_RECORDS	4096
#define FUZZ_PCAP_MAX_CAPLEN	65535

typedef void (*fuzz_pcap_fn)(int dlt, const uint8_t *pkt, size_t len);

/* Returns false when `data` is not a pcap file (nothing was called). */
static inline bool
fuzz_pcap_each(const uint8_t *data, size_t size, fuzz_pcap_fn fn)
{
	struct cursor c = cur_init(data, size);
	uint32_t magic, dlt, caplen;
	bool le;
	int n;

	magic = cur_be32(&c);
	if (c.bad)
		return false;
	if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		le = true;
	else if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		le = false;
	else
		return false;
	cur_skip(&c, 16);	/* version, zone, sigfigs, snaplen */
	dlt = (le ? cur_le32(&c) : cur_be32(&c)) & 0xffff;
	for (n = 0; n < FUZZ_PCAP_MAX_RECORDS && cur_left(&c) >= 16; n++) {
		const uint8_t *p;
		uint8_t *copy;

		cur_skip(&c, 8);		/* timestamp */
		caplen = le ? cur_le32(&c) : cur_be32(&c);
		cur_skip(&c, 4);		/* original length */
		if (caplen > FUZZ_PCAP_MAX_CAPLEN)
			break;
		/* A cut-off last record still gets decoded, as captured. */
		if (caplen > cur_left(&c))
			caplen = (uint32_t)cur_left(&c);
		if (!cur_take(&c, caplen, &p))
			break;
		if ((copy = malloc(caplen ? caplen : 1)) == NULL)
			break;
		memcpy(copy, p, caplen);
		fn((int)dlt, copy, caplen);
		free(copy);
	}
	return true;
}

#endif /* FUZZ_IEEE80211_PCAP_H */
