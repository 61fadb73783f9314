/*
 * fuzz_ie.c - the element walker and decoders over an arbitrary element
 * buffer, the way nl80211 scan results hand them over (no frame), then the
 * single-element RSN and WPS decoders and the BSS facts built from the
 * result.  A pcap file as input (fuzz_ieee80211_pcap.h) contributes the
 * element part of each management frame in it; the corpus holds element
 * buffers cut from the shared captures' beacons.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ieee80211_pcap.h"
#include "ie.h"
#include "ieee80211.h"
#include "radiotap.h"
#include "wifi_bss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
elements(const uint8_t *buf, size_t len)
{
	static const uint8_t bssid[6] = { 2, 0, 0, 0, 0, 1 };
	struct ie_info ie;
	struct ie_rsn rsn;
	struct ie_wps wps;
	struct ie_iter it;
	struct wifi_bss b;
	size_t n = 0;

	ie_parse(buf, len, &ie);
	ie_for_each(&it, buf, len)
		n++;
	if (n != ie.n_elems)
		abort();
	(void)ie_parse_rsn(buf, len, &rsn);
	(void)ie_parse_wps(buf, len, &wps);
	wifi_bss_init(&b);
	wifi_bss_fill(&b, bssid, 0x0011, 100, &ie, 2437, true, -50);
	(void)ie_akm_name(rsn.akm[0]);
	(void)ie_cipher_name(rsn.group);
}

static void
frame(int dlt, const uint8_t *pkt, size_t len)
{
	struct radiotap_info ri;
	struct ieee80211_frame wf;

	if (radiotap_decode(dlt, pkt, len, &ri) == 0 &&
	    ieee80211_decode(pkt + ri.frame_off, ri.frame_len, &wf) == 0 &&
	    wf.ies != NULL)
		elements(wf.ies, wf.ies_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_pcap_each(data, size, frame))
		elements(data, size);
	return 0;
}
