/*
 * fuzz_eapol.c - libFuzzer target for eapol_decode() and the join timeline
 * it feeds (wifi_join_step): the input is one EAPOL frame, or a pcap file
 * (fuzz_ieee80211_pcap.h) whose 802.11 data frames carrying ethertype
 * 0x888E are decoded one by one into one timeline.  Seeds: the EAPOL
 * frames of aircrack-ng's captures (fuzz_eapol.seeds) and corpus/fuzz_eapol.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "eapol.h"
#include "fuzz_ieee80211_pcap.h"
#include "ieee80211.h"
#include "linklayer.h"
#include "radiotap.h"
#include "wifi_join.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wifi_join j;

static void
one(const uint8_t *buf, size_t len, const uint8_t *sta, const uint8_t *bssid)
{
	static const uint8_t none[6] = { 2, 0, 0, 0, 0, 1 };
	struct eapol_frame e;
	struct wifi_join_step s;

	if (eapol_decode(buf, len, &e) != 0)
		return;
	if ((unsigned)e.msg > EAPOL_MSG_REQUEST)
		abort();
	(void)eapol_msg_name(e.msg);
	memset(&s, 0, sizeof(s));
	s.kind = WIFI_JOIN_EAPOL;
	s.msg = (uint8_t)e.msg;
	s.replay = e.replay;
	s.from_ap = (e.key_info & EAPOL_KI_ACK) != 0;
	wifi_join_step(&j, sta != NULL ? sta : none,
	    bssid != NULL ? bssid : none, &s, WIFI_JOIN_ROOM_ALL);
}

static void
packet(int dlt, const uint8_t *pkt, size_t len)
{
	struct radiotap_info ri;
	struct ieee80211_frame wf;

	if (radiotap_decode(dlt, pkt, len, &ri) != 0 ||
	    ri.frame_off > len || ri.frame_len > len - ri.frame_off ||
	    ieee80211_decode(pkt + ri.frame_off, ri.frame_len, &wf) != 0)
		return;
	if ((wf.have & WLAN_HAVE_SNAP) && wf.ethertype == ETHERTYPE_EAPOL)
		one(wf.payload, wf.payload_len, wf.addr2, wf.addr1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	wifi_join_reset(&j);
	if (!fuzz_pcap_each(data, size, packet))
		one(data, size, NULL, NULL);
	if (j.nsta > WIFI_JOIN_STATIONS_MAX)
		abort();
	for (i = 0; i < j.nsta; i++)
		if (j.sta[i].nsteps > WIFI_JOIN_STEPS_MAX ||
		    (enum wifi_join_state)j.sta[i].state >
		    WIFI_JOIN_DISASSOCIATED)
			abort();
	return 0;
}
