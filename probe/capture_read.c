/*
 * capture_read.c - the offline half of the probe: libpcap reads a pcap or
 * pcapng file (or standard input) and every packet goes down the decoders
 * by link type, then into the bounded tables of netmap.  libpcap owns the
 * file format (both formats, byte orders, nanosecond timestamps); we own
 * the dispatch and the bookkeeping of what could not be read.  A damaged
 * record stops libpcap (PCAP_ERROR): that is reported as truncation, and
 * what was read before it is kept.  Per-packet work is a few table lookups,
 * so a million-packet file costs seconds and no more memory than a small one.
 * Every input is opened once and read front to back, so pipes and FIFOs
 * work as files do.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture_read.h"
#include "coapmsg.h"
#include "dhcp.h"
#include "dns.h"
#include "eapol.h"
#include "http.h"
#include "ie.h"
#include "ieee80211.h"
#include "ip.h"
#include "linklayer.h"
#include "particle_tcp.h"
#include "pcapng_blocks.h"
#include "radiotap.h"
#include "wifi_bss.h"

static void
warn(struct capture_stats *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct capture_stats *st, const char *fmt, ...)
{
	va_list ap;

	if (st->nwarnings >= CAPTURE_WARNINGS_MAX) {
		st->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(st->warning[st->nwarnings++], CAPTURE_WARNING_LEN, fmt, ap);
	va_end(ap);
}

/* ---- IP and above ---------------------------------------------------- */

static void
on_dhcp(const struct ip_packet *pkt, const uint8_t *src_mac,
    struct netmap *nm, struct capture_stats *st)
{
	struct netmap_dhcp_reply r;
	struct dhcp_msg m;

	if (dhcp_parse(pkt->udp.payload, pkt->udp.len, &m) != 0 || !m.is_dhcp)
		return;
	st->dhcp++;
	memset(&r, 0, sizeof(r));
	r.type = m.type;
	if (m.has_server_id)
		memcpy(r.server_id, m.server_id, 4);
	else if (pkt->version == 4)
		memcpy(r.server_id, pkt->src.a, 4);
	r.src_mac = src_mac;
	r.yiaddr = m.yiaddr;
	r.mask = m.has_mask ? m.mask : NULL;
	r.router = m.n_routers > 0 ? m.routers[0] : NULL;
	r.dns = m.n_dns > 0 ? m.dns[0] : NULL;
	r.has_lease = m.has_lease;
	r.lease = m.lease;
	if (m.domain.len > 0) {
		r.domain = m.domain.s;
		r.domain_len = m.domain.len;
	}
	if (m.captive_portal.len > 0) {
		r.captive_portal = m.captive_portal.s;
		r.captive_portal_len = m.captive_portal.len;
	}
	if (m.message.len > 0) {
		r.message = m.message.s;
		r.message_len = m.message.len;
	}
	netmap_dhcp(nm, m.has_client_mac ? m.client_mac : NULL, &r);
}

static void
on_dns(const uint8_t *buf, size_t len, const struct ip_packet *pkt,
    struct netmap *nm, struct capture_stats *st)
{
	/* struct dns_msg is ~10 KB: keep it off the stack of every packet. */
	static struct dns_msg m;
	const struct dns_answer *a;
	size_t i;

	if (dns_parse(buf, len, &m) != 0 || !m.qr)
		return;
	st->dns++;
	if (m.rcode != DNS_RCODE_NOERROR && m.n_questions > 0)
		netmap_dns(nm, m.question[0].name, 0, m.rcode, 0, NULL, NULL,
		    0, pkt->src.family, pkt->src.a);
	for (i = 0; i < m.n_answers; i++) {
		a = &m.answer[i];
		if (a->type == DNS_TYPE_A)
			netmap_dns(nm, a->name, a->type, m.rcode, 4, a->addr,
			    NULL, a->ttl, pkt->src.family, pkt->src.a);
		else if (a->type == DNS_TYPE_AAAA)
			netmap_dns(nm, a->name, a->type, m.rcode, 6, a->addr,
			    NULL, a->ttl, pkt->src.family, pkt->src.a);
		else if (a->type == DNS_TYPE_CNAME)
			netmap_dns(nm, a->name, a->type, m.rcode, 0, NULL,
			    a->target, a->ttl, pkt->src.family, pkt->src.a);
	}
}

static void
on_coap(const struct ip_packet *pkt, const uint8_t *src_mac,
    struct netmap *nm, struct capture_stats *st)
{
	const struct ip_udp *u = &pkt->udp;
	struct capture_coap *k;
	struct coapmsg m;
	char id[2 * COAPMSG_DEVICE_ID_LEN + 1];

	if (u->dport == COAPMSG_PORT && pkt->version == 4 &&
	    memcmp(pkt->dst.a, coapmsg_presence_group, 4) == 0 &&
	    coapmsg_presence(u->payload, u->len, id)) {
		st->presence++;
		netmap_device(nm, id, 4, pkt->src.a, src_mac);
	}
	if (coapmsg_parse(u->payload, u->len, &m) != 0)
		return;
	st->coap++;
	if (st->ncoap_msg >= CAPTURE_COAP_MAX)
		return;
	k = &st->coap_msg[st->ncoap_msg++];
	memset(k, 0, sizeof(*k));
	k->packet = st->packets;
	k->type = m.type;
	k->code = m.code;
	k->mid = m.mid;
	k->token_len = (uint8_t)m.token_len;
	memcpy(k->token, m.token, m.token_len <= 8 ? m.token_len : 8);
	/* Paths are short; a long one is cut, which the report can show. */
	memcpy(k->path, m.path, sizeof(k->path) - 1);
	k->path[sizeof(k->path) - 1] = '\0';
	k->sport = u->sport;
	k->dport = u->dport;
}

static void
on_tcp(const struct ip_packet *pkt, struct netmap *nm,
    struct capture_stats *st)
{
	const struct ip_tcp *t = &pkt->tcp;
	struct particle_tcp_seg seg;
	struct http_response hr;

	if (particle_tcp_classify(pkt, &seg) != PARTICLE_TCP_NONE) {
		st->tcp5683++;
		netmap_flow(nm, seg.key.device.family, seg.key.device.a,
		    seg.key.device_port, seg.key.cloud.a, seg.key.cloud_port,
		    seg.from_cloud, t->flags, t->len);
		return;
	}
	if (t->len >= 12 && memcmp(t->payload, "HTTP/1.", 7) == 0) {
		if (http_parse_response(t->payload, t->len, &hr) != 0)
			return;
		st->http++;
		if (http_is_redirect(hr.status) || hr.status == 511)
			netmap_http(nm, hr.status, hr.location.p,
			    hr.location.len, pkt->src.family, pkt->src.a,
			    t->sport);
		return;
	}
	/* DNS over TCP: a two-byte length, then the message. */
	if (t->sport == DNS_PORT && t->len > 2 + DNS_HDR_LEN)
		on_dns(t->payload + 2, t->len - 2, pkt, nm, st);
}

static void
on_ip(uint16_t ethertype, const uint8_t *buf, size_t len,
    const uint8_t *src_mac, struct netmap *nm, struct capture_stats *st)
{
	struct ip_packet pkt;

	if (ethertype != ETHERTYPE_IPV4 && ethertype != ETHERTYPE_IPV6 &&
	    ethertype != 0)
		return;
	if (ip_decode(ethertype, buf, len, &pkt) != 0)
		return;
	st->ip++;
	if (pkt.has_udp) {
		const struct ip_udp *u = &pkt.udp;

		/* Relays talk 67 -> 67, so either port will do. */
		if (u->sport == DHCP_SERVER_PORT ||
		    u->dport == DHCP_SERVER_PORT ||
		    u->sport == DHCP_CLIENT_PORT ||
		    u->dport == DHCP_CLIENT_PORT)
			on_dhcp(&pkt, src_mac, nm, st);
		else if (u->sport == DNS_PORT)
			on_dns(u->payload, u->len, &pkt, nm, st);
		else if (u->sport == COAPMSG_PORT || u->dport == COAPMSG_PORT)
			on_coap(&pkt, src_mac, nm, st);
	} else if (pkt.has_tcp)
		on_tcp(&pkt, nm, st);
}

/* ---- 802.11 ---------------------------------------------------------- */

static bool
same_mac(const uint8_t a[6], const uint8_t b[6])
{
	return memcmp(a, b, 6) == 0;
}

/*
 * A join step into the station's timeline (wifi_join.h): authentication,
 * (re)association, deauthentication and disassociation, whichever side
 * sent it; the station is the end that is not the BSSID.
 */
static void
on_join_mgmt(const struct ieee80211_frame *wf, struct netmap *nm)
{
	struct wifi_join_step s;
	bool from_ap;

	if (!(wf->have & WLAN_HAVE_FIXED) || !(wf->have & WLAN_HAVE_ADDR2))
		return;
	memset(&s, 0, sizeof(s));
	switch (wf->subtype) {
	case WLAN_MGMT_AUTH:
		s.kind = WIFI_JOIN_AUTH;
		s.code = wf->fixed.status;
		s.alg = wf->fixed.auth_alg;
		s.seq = wf->fixed.auth_seq;
		break;
	case WLAN_MGMT_ASSOC_REQ:
		s.kind = WIFI_JOIN_ASSOC_REQ;
		break;
	case WLAN_MGMT_REASSOC_REQ:
		s.kind = WIFI_JOIN_REASSOC_REQ;
		break;
	case WLAN_MGMT_ASSOC_RESP:
		s.kind = WIFI_JOIN_ASSOC_RESP;
		s.code = wf->fixed.status;
		break;
	case WLAN_MGMT_REASSOC_RESP:
		s.kind = WIFI_JOIN_REASSOC_RESP;
		s.code = wf->fixed.status;
		break;
	case WLAN_MGMT_DEAUTH:
		s.kind = WIFI_JOIN_DEAUTH;
		s.code = wf->fixed.reason;
		break;
	case WLAN_MGMT_DISASSOC:
		s.kind = WIFI_JOIN_DISASSOC;
		s.code = wf->fixed.reason;
		break;
	default:
		return;
	}
	from_ap = same_mac(wf->addr2, wf->bssid);
	s.from_ap = from_ap;
	netmap_join_step(nm, from_ap ? wf->addr1 : wf->addr2, wf->bssid, &s);
}

/* An EAPOL-Key message of the 4-way or group key handshake. */
static void
on_eapol(const struct ieee80211_frame *wf, struct netmap *nm)
{
	struct wifi_join_step s;
	struct eapol_frame e;
	const uint8_t *sta;

	if (!(wf->have & WLAN_HAVE_BSSID) || !(wf->have & WLAN_HAVE_ADDR2) ||
	    eapol_decode(wf->payload, wf->payload_len, &e) != 0 ||
	    !e.is_key || e.msg == EAPOL_MSG_OTHER)
		return;
	memset(&s, 0, sizeof(s));
	s.kind = WIFI_JOIN_EAPOL;
	s.msg = (uint8_t)e.msg;
	s.replay = e.replay;
	s.wpa1 = e.desc_type == EAPOL_DESC_WPA;
	/* From the AP: to the station in addr1; else from it in addr2. */
	s.from_ap = wf->from_ds && !wf->to_ds;
	if (!wf->from_ds && !wf->to_ds)
		s.from_ap = same_mac(wf->addr2, wf->bssid);
	sta = s.from_ap ? wf->addr1 : wf->addr2;
	netmap_join_step(nm, sta, wf->bssid, &s);
}

static void
on_mgmt(const struct ieee80211_frame *wf, const struct radiotap_info *ri,
    bool snapped, struct netmap *nm, struct capture_stats *st)
{
	/* ie_info and wifi_bss are a few KB: one each, reused. */
	static struct ie_info ie;
	static struct wifi_bss obs;
	struct netmap_bss *b;
	bool from_ap;

	if (!(wf->have & WLAN_HAVE_BSSID))
		return;
	if (wf->subtype == WLAN_MGMT_BEACON ||
	    wf->subtype == WLAN_MGMT_PROBE_RESP) {
		if (!(wf->have & WLAN_HAVE_FIXED))
			return;
		/*
		 * The snap length may end the frame on an element boundary:
		 * the walk completes, but later elements were never seen, so
		 * the frame's elements are cut all the same (and counted).
		 */
		if (ie_parse(wf->ies, wf->ies_len, &ie) != 0 ||
		    ie.n_bad_len > 0 || snapped)
			st->ie_truncated++;
		if (snapped)
			ie.walk_cut = true;
		if (wifi_bss_from_frame(&obs, wf, &ie, ri) == 0)
			(void)netmap_bss_observe(nm, &obs);
		return;
	}
	if (wf->subtype == WLAN_MGMT_PROBE_REQ) {
		/* A broadcast probe names no BSS. */
		if ((b = netmap_bss(nm, wf->bssid)) != NULL)
			b->frames.probe_req++;
		return;
	}
	on_join_mgmt(wf, nm);
	if ((b = netmap_bss(nm, wf->bssid)) == NULL)
		return;
	from_ap = (wf->have & WLAN_HAVE_ADDR2) &&
	    same_mac(wf->addr2, wf->bssid);
	if ((wf->have & WLAN_HAVE_FIXED) && (wf->have & WLAN_HAVE_ADDR2)) {
		switch (wf->subtype) {
		case WLAN_MGMT_AUTH:
			netmap_event(nm, NETMAP_EV_AUTH, wf->bssid, wf->addr2,
			    wf->addr1, wf->fixed.status);
			break;
		case WLAN_MGMT_ASSOC_RESP:
		case WLAN_MGMT_REASSOC_RESP:
			netmap_event(nm, NETMAP_EV_ASSOC_RESP, wf->bssid,
			    wf->addr2, wf->addr1, wf->fixed.status);
			break;
		case WLAN_MGMT_DEAUTH:
			netmap_event(nm, NETMAP_EV_DEAUTH, wf->bssid,
			    wf->addr2, wf->addr1, wf->fixed.reason);
			break;
		case WLAN_MGMT_DISASSOC:
			netmap_event(nm, NETMAP_EV_DISASSOC, wf->bssid,
			    wf->addr2, wf->addr1, wf->fixed.reason);
			break;
		default:
			break;
		}
	}
	switch (wf->subtype) {
	case WLAN_MGMT_AUTH:
		b->frames.auth++;
		break;
	case WLAN_MGMT_ASSOC_RESP:
	case WLAN_MGMT_REASSOC_RESP:
	case WLAN_MGMT_ASSOC_REQ:
	case WLAN_MGMT_REASSOC_REQ:
		b->frames.assoc++;
		break;
	case WLAN_MGMT_DEAUTH:
	case WLAN_MGMT_DISASSOC:
		b->frames.deauth++;
		break;
	case WLAN_MGMT_ACTION:
	case WLAN_MGMT_ACTION_NOACK:
		b->frames.action++;
		break;
	default:
		b->frames.other++;
		break;
	}
	/* The station on the other end of the exchange. */
	if (wf->have & WLAN_HAVE_ADDR2)
		(void)netmap_client(nm, from_ap ? wf->addr1 : wf->addr2,
		    wf->bssid);
}

static void
on_data(const struct ieee80211_frame *wf, struct netmap *nm,
    struct capture_stats *st)
{
	struct netmap_bss *b;

	st->wifi_data++;
	if (wf->have & WLAN_HAVE_BSSID) {
		if ((b = netmap_bss(nm, wf->bssid)) != NULL)
			b->frames.data++;
		if (wf->to_ds && !wf->from_ds && (wf->have & WLAN_HAVE_ADDR2)) {
			(void)netmap_client(nm, wf->addr2, wf->bssid);
			/* Its idle time, for an inactivity disconnect. */
			wifi_join_activity(&nm->join, wf->addr2, wf->bssid);
		}
		else if (wf->from_ds && !wf->to_ds)
			(void)netmap_client(nm, wf->addr1, wf->bssid);
	}
	if (!(wf->have & WLAN_HAVE_SNAP) || wf->protected_frame)
		return;
	if (wf->ethertype == ETHERTYPE_EAPOL)
		on_eapol(wf, nm);
	else
		on_ip(wf->ethertype, wf->payload, wf->payload_len, wf->sa, nm,
		    st);
}

static void
on_wifi(int dlt, const uint8_t *buf, size_t caplen, size_t len,
    struct netmap *nm, struct capture_stats *st)
{
	struct radiotap_info ri;
	struct ieee80211_frame wf;

	if (radiotap_decode(dlt, buf, caplen, &ri) != 0) {
		st->bad_radio++;
		return;
	}
	/* A frame the radio says is corrupt would invent BSSes. */
	if (ri.bad_fcs) {
		st->bad_fcs++;
		return;
	}
	if (ri.frame_off > caplen || ri.frame_len > caplen - ri.frame_off ||
	    ieee80211_decode(buf + ri.frame_off, ri.frame_len, &wf) != 0) {
		st->bad_80211++;
		return;
	}
	if (wf.truncated)
		st->bad_80211++;
	switch (wf.type) {
	case WLAN_TYPE_MGMT:
		st->wifi_mgmt++;
		/* Only a missing FCS is no loss to the elements. */
		on_mgmt(&wf, dlt == RADIO_DLT_IEEE802_11 ? NULL : &ri,
		    len > caplen + (ri.fcs_present ? 4 : 0), nm, st);
		break;
	case WLAN_TYPE_DATA:
		on_data(&wf, nm, st);
		break;
	default:
		st->wifi_ctrl++;
		break;
	}
}

void
capture_packet(int dlt, const uint8_t *buf, size_t caplen, size_t len,
    struct netmap *nm, struct capture_stats *st)
{
	struct linklayer_frame lf;

	st->packets++;
	st->bytes += len;
	if (caplen < len)
		st->snapped++;
	if (radiotap_dlt_known(dlt)) {
		on_wifi(dlt, buf, caplen, len, nm, st);
		return;
	}
	if (linklayer_kind(dlt) != LINKLAYER_WIRED) {
		st->not_decoded++;
		return;
	}
	if (linklayer_decode(dlt, buf, caplen, &lf) != 0) {
		st->bad_link++;
		return;
	}
	on_ip(lf.ethertype, lf.payload, lf.len, lf.has_mac ? lf.src : NULL,
	    nm, st);
}

/* ---- the file ---------------------------------------------------------- */

static void	note_link(struct capture_stats *, int);

static int
read_all(pcap_t *p, const char *name, struct netmap *nm,
    struct capture_stats *st)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	note_link(st, pcap_datalink(p));
	st->pcapng = pcap_major_version(p) == 1;
	if (!st->dlt_known)
		warn(st, "%s: link type %d (%s) is not one cyanprobe decodes; "
		    "its packets are counted but not read", name, st->dlt,
		    st->dlt_name[0] != '\0' ? st->dlt_name : "unknown");
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		wifi_join_clock(&nm->join, (uint64_t)h->ts.tv_sec * 1000000 +
		    (uint64_t)h->ts.tv_usec);
		capture_packet(st->dlt, data, h->caplen, h->len, nm, st);
	}
	if (rc == PCAP_ERROR) {
		/* libpcap cannot resync after a damaged record header. */
		st->read_error = true;
		snprintf(st->read_error_text, sizeof(st->read_error_text),
		    "%s", pcap_geterr(p));
		warn(st, "%s: reading stopped after packet %llu: %s%s",
		    name, (unsigned long long)st->packets, pcap_geterr(p),
		    strstr(pcap_geterr(p), "first interface") == NULL ?
		    " (the file is cut short or damaged)" : "");
	}
	if (st->snapped > 0)
		warn(st, "%s: %llu packet(s) were captured shorter than sent "
		    "(snap length)", name, (unsigned long long)st->snapped);
	if (st->bad_radio + st->bad_80211 + st->bad_link > 0)
		warn(st, "%s: %llu packet(s) with a cut or malformed header",
		    name, (unsigned long long)(st->bad_radio + st->bad_80211 +
		    st->bad_link));
	if (st->ie_truncated > 0)
		warn(st, "%s: %llu management frame(s) with cut or malformed "
		    "information elements", name,
		    (unsigned long long)st->ie_truncated);
	if (st->bad_fcs > 0)
		warn(st, "%s: %llu frame(s) with a bad FCS were ignored", name,
		    (unsigned long long)st->bad_fcs);
	return 0;
}

/* Blocks beyond this are skipped: no real packet needs more. */
#define CAPTURE_BLOCK_MAX	(1024 * 1024)

/* Read and drop n bytes (works on pipes, unlike fseek). */
static bool
discard(FILE *f, size_t n)
{
	uint8_t sink[4096];
	size_t k;

	while (n > 0) {
		k = n < sizeof(sink) ? n : sizeof(sink);
		if (fread(sink, 1, k, f) != k)
			return false;
		n -= k;
	}
	return true;
}

/* Name an undecoded interface link type once (up to 8 of them). */
static void
warn_link_once(struct capture_stats *st, const char *name,
    const struct pcapng_packet *pk, int warned[8], int *nwarned)
{
	const char *dn = pk->linktype >= 0 ?
	    pcap_datalink_val_to_name(pk->linktype) : NULL;
	int i;

	for (i = 0; i < *nwarned; i++)
		if (warned[i] == pk->linktype)
			return;
	if (*nwarned >= 8)
		return;
	warned[(*nwarned)++] = pk->linktype;
	warn(st, "%s: interface %u has link type %d (%s), not one cyanprobe "
	    "decodes; its packets are counted only", name, pk->iface,
	    pk->linktype, dn != NULL ? dn : "unknown");
}

int
capture_read_pcapng(FILE *f, const char *name, struct netmap *nm,
    struct capture_stats *st)
{
	struct pcapng_blocks s;
	struct pcapng_packet pk;
	uint8_t head[12], *buf;
	int warned[8], nwarned = 0, rc = 0;
	bool have_link = false;
	uint64_t skipped = 0;
	uint32_t len;
	size_t got;

	if ((buf = malloc(CAPTURE_BLOCK_MAX)) == NULL) {
		warn(st, "%s: out of memory for the pcapng reader", name);
		return -1;
	}
	pcapng_blocks_init(&s);
	st->multi_link = true;
	for (;;) {
		if ((got = fread(head, 1, sizeof(head), f)) == 0)
			break;
		if (got < sizeof(head) ||
		    (len = pcapng_blocks_len(&s, head)) == 0) {
			rc = -1;
			break;
		}
		if (len > CAPTURE_BLOCK_MAX) {
			skipped++;
			if (!discard(f, len - sizeof(head))) {
				rc = -1;
				break;
			}
			continue;
		}
		memcpy(buf, head, sizeof(head));
		if (fread(buf + sizeof(head), 1, len - sizeof(head), f) !=
		    len - sizeof(head)) {
			rc = -1;
			break;
		}
		switch (pcapng_blocks_next(&s, buf, len, &pk)) {
		case PCAPNG_META:
			/* The file's link type: its first interface's. */
			if (!have_link && s.niface > 0) {
				note_link(st, s.linktype[0]);
				have_link = true;
			}
			continue;
		case PCAPNG_BAD:
			rc = -1;
			break;
		case PCAPNG_PACKET:
			if (!radiotap_dlt_known(pk.linktype) &&
			    linklayer_kind(pk.linktype) != LINKLAYER_WIRED)
				warn_link_once(st, name, &pk, warned,
				    &nwarned);
			capture_packet(pk.linktype, pk.data, pk.caplen, pk.len,
			    nm, st);
			continue;
		default:
			continue;
		}
		break;
	}
	free(buf);
	if (skipped > 0)
		warn(st, "%s: %llu block(s) over %d bytes skipped", name,
		    (unsigned long long)skipped, CAPTURE_BLOCK_MAX);
	if (rc != 0) {
		st->read_error = true;
		snprintf(st->read_error_text, sizeof(st->read_error_text),
		    "a pcapng block is cut short or malformed");
		warn(st, "%s: reading stopped after packet %llu: a pcapng "
		    "block is cut short or malformed", name,
		    (unsigned long long)st->packets);
	}
	return rc;
}

/* ---- one pass over any input ------------------------------------------ */

/*
 * The first bytes of the input were read to learn its format; a pipe cannot
 * give them back, so the reader gets a stream that returns them first and
 * then the rest of the real one.  Closing it leaves the real one open.
 */
struct prefixed {
	FILE	*f;
	uint8_t	 head[4];
	size_t	 nhead, off;
};

static ssize_t
prefixed_read(void *cookie, char *buf, size_t n)
{
	struct prefixed *p = cookie;
	size_t k = 0;

	if (p->off < p->nhead) {
		k = p->nhead - p->off < n ? p->nhead - p->off : n;
		memcpy(buf, p->head + p->off, k);
		p->off += k;
		if (k == n)
			return (ssize_t)k;
	}
	k += fread(buf + k, 1, n - k, p->f);
	return k == 0 && ferror(p->f) ? -1 : (ssize_t)k;
}

static int
prefixed_close(void *cookie)
{
	(void)cookie;
	return 0;
}

static FILE *
prefixed_open(struct prefixed *p)
{
	cookie_io_functions_t io = { prefixed_read, NULL, NULL,
	    prefixed_close };

	return fopencookie(p, "rb", io);
}

/* The link type of the file: its first interface, as libpcap reports. */
static void
note_link(struct capture_stats *st, int dlt)
{
	const char *dn = pcap_datalink_val_to_name(dlt);

	st->dlt = dlt;
	snprintf(st->dlt_name, sizeof(st->dlt_name), "%s", dn ? dn : "");
	st->dlt_known = radiotap_dlt_known(dlt) ||
	    linklayer_kind(dlt) == LINKLAYER_WIRED;
}

/* libpcap over the whole input; -1 when it does not take it at all. */
static int
read_libpcap(FILE *in, const char *name, struct netmap *nm,
    struct capture_stats *st, char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc;

	errbuf[0] = '\0';
	if ((p = pcap_fopen_offline(in, errbuf)) == NULL) {
		snprintf(err, errlen, "%s: not a readable pcap or pcapng "
		    "capture (%s)", name, errbuf);
		fclose(in);
		return -1;
	}
	rc = read_all(p, name, nm, st);
	pcap_close(p);		/* closes in */
	return rc;
}

/* cyanprobe's own pcapng reader over the whole input, in one pass. */
static void
read_own_pcapng(FILE *in, const char *name, struct netmap *nm,
    struct capture_stats *st)
{
	st->pcapng = true;
	(void)capture_read_pcapng(in, name, nm, st);
}

int
capture_read_stream(FILE *f, const char *name, struct netmap *nm,
    struct capture_stats *st, char *err, size_t errlen)
{
	struct prefixed pre;
	FILE *in;
	bool seekable;

	memset(st, 0, sizeof(*st));
	memset(&pre, 0, sizeof(pre));
	pre.f = f;
	pre.nhead = fread(pre.head, 1, sizeof(pre.head), f);
	/* A pipe, a FIFO or a terminal cannot be read a second time. */
	seekable = fseeko(f, 0, SEEK_CUR) == 0;
	if ((in = prefixed_open(&pre)) == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		fclose(f);
		return -1;
	}
	if (pre.nhead == 4 && !seekable &&
	    memcmp(pre.head, "\x0a\x0d\x0d\x0a", 4) == 0) {
		/* libpcap would stop at a second link type, and what it
		 * read could not be read again: one pass of our own. */
		read_own_pcapng(in, name, nm, st);
		fclose(in);
		fclose(f);
		return 0;
	}
	if (read_libpcap(in, name, nm, st, err, errlen) != 0) {
		fclose(f);
		return -1;
	}
	/*
	 * libpcap reads one link type per file.  A pcapng file with more is
	 * read again, whole, by our own block reader, from the same open
	 * file (never by name: the name may be a FIFO).
	 */
	if (st->read_error && st->pcapng &&
	    strstr(st->read_error_text, "first interface") != NULL &&
	    fseeko(f, 0, SEEK_SET) == 0) {
		netmap_reset(nm);
		memset(st, 0, sizeof(*st));
		warn(st, "%s: its interfaces have different link types, which "
		    "libpcap does not read; read with cyanprobe's own pcapng "
		    "reader", name);
		read_own_pcapng(f, name, nm, st);
	}
	fclose(f);
	return 0;
}

int
capture_read_file(const char *path, struct netmap *nm,
    struct capture_stats *st, char *err, size_t errlen)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return capture_read_stream(stdin, "(stdin)", nm, st, err,
		    errlen);
	if ((f = fopen(path, "rb")) == NULL) {
		memset(st, 0, sizeof(*st));
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return capture_read_stream(f, path, nm, st, err, errlen);
}
