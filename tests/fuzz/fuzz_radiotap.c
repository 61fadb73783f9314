/*
 * fuzz_radiotap.c - the radio header decoders (radiotap, Prism, AVS, PPI,
 * bare 802.11) over arbitrary bytes.  A pcap file as input is walked packet
 * by packet with its own link type (fuzz_ieee80211_pcap.h), so the seeds
 * are the shared captures themselves; any other input is one packet whose
 * first byte picks the link type.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_ieee80211_pcap.h"
#include "radiotap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(int dlt, const uint8_t *pkt, size_t len)
{
	struct radiotap_info ri;

	if (radiotap_decode(dlt, pkt, len, &ri) == 0) {
		/* The frame it places must lie inside the packet. */
		if (ri.frame_off > len || ri.frame_len > len - ri.frame_off)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = { 127, 119, 163, 192, 105 };
	uint8_t *copy;

	if (fuzz_pcap_each(data, size, one) || size < 1)
		return 0;
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	one(dlts[data[0] % 5], copy, size - 1);
	free(copy);
	return 0;
}
