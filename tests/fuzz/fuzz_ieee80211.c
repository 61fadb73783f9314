/*
 * fuzz_ieee80211.c - one captured 802.11 packet through every decoder the
 * analyze command chains: radio header, MAC frame, information elements,
 * BSS facts and the merge, and the code-name tables.  A pcap file as input
 * is walked packet by packet with its own link type (fuzz_ieee80211_pcap.h,
 * so the .seeds name the shared captures); any other input is one packet
 * whose first byte picks radiotap or bare 802.11.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_ieee80211_pcap.h"
#include "ie.h"
#include "ieee80211.h"
#include "radiotap.h"
#include "wifi_bss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	if (p != NULL && (p < buf || n > len || p > buf + len - n))
		abort();
}

static void
one(int dlt, const uint8_t *pkt, size_t len)
{
	struct radiotap_info ri;
	struct ieee80211_frame wf;
	struct ie_info ie;
	struct wifi_bss b, b2;
	const uint8_t *f;
	char buf[64];

	if (radiotap_decode(dlt, pkt, len, &ri) != 0)
		return;
	f = pkt + ri.frame_off;
	if (ieee80211_decode(f, ri.frame_len, &wf) != 0)
		return;
	inside(wf.ies, wf.ies_len, f, ri.frame_len);
	inside(wf.body, wf.body_len, f, ri.frame_len);
	inside(wf.payload, wf.payload_len, f, ri.frame_len);
	(void)ieee80211_subtype_name(wf.type, wf.subtype);
	(void)ieee80211_reason_name(wf.fixed.reason);
	(void)ieee80211_status_name(wf.fixed.status);
	(void)ieee80211_auth_alg_name(wf.fixed.auth_alg);
	if (wf.ies == NULL)
		return;
	ie_parse(wf.ies, wf.ies_len, &ie);
	inside(ie.ssid.v.p, ie.ssid.v.len, wf.ies, wf.ies_len);
	inside(ie.mesh_id.p, ie.mesh_id.len, wf.ies, wf.ies_len);
	inside(ie.wps.manufacturer.p, ie.wps.manufacturer.len, wf.ies,
	    wf.ies_len);
	if (wifi_bss_from_frame(&b, &wf, &ie, &ri) != 0)
		return;
	b2 = b;
	(void)wifi_bss_merge(&b2, &b);
	(void)wifi_bss_akm_str(&b2, buf, sizeof(buf));
	(void)wifi_bss_pairwise_str(&b2, buf, sizeof(buf));
	(void)wifi_security_name(b2.security);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (fuzz_pcap_each(data, size, one) || size < 1)
		return 0;
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	one(data[0] & 1 ? RADIO_DLT_RADIOTAP : RADIO_DLT_IEEE802_11, copy,
	    size - 1);
	free(copy);
	return 0;
}
