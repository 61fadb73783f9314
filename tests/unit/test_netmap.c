/* test_netmap.c - the bounded aggregation tables (analyzers/netmap.c). */
#include "test.h"
#include "ip.h"
#include "netmap.h"

static void
mac(uint8_t m[6], unsigned n)
{
	m[0] = 0x00;
	m[1] = 0x12;
	m[2] = 0xbf;
	m[3] = (uint8_t)(n >> 16);
	m[4] = (uint8_t)(n >> 8);
	m[5] = (uint8_t)n;
}

static void
test_bss_table(struct netmap *nm)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	struct netmap_bss *b, *again;
	uint8_t m[6];
	unsigned i;

	netmap_reset(nm);
	mac(m, 1);
	b = netmap_bss(nm, m);
	test_cond("new bss", b != NULL);
	again = netmap_bss(nm, m);
	test_cond("same bss on second lookup", b == again);
	expect_int("one bss", 1, nm->nbss);
	test_cond("broadcast is not a bss", netmap_bss(nm, bcast) == NULL);
	test_cond("zero is not a bss", netmap_bss(nm, zero) == NULL);

	/* Fill past capacity: memory stays flat, overflow is counted. */
	for (i = 2; i < NETMAP_BSS_MAX + 100; i++) {
		mac(m, i);
		(void)netmap_bss(nm, m);
	}
	expect_int("table full", NETMAP_BSS_MAX, nm->nbss);
	expect_int("overflow counted", 100 - 1 + 0, nm->overflow.bss);
	mac(m, 500);
	b = netmap_bss(nm, m);
	test_cond("old entry still found when full",
	    b != NULL && memcmp(b->w.bssid, m, 6) == 0);
	test_cond("find matches", netmap_bss_find(nm, m) == b);
	mac(m, NETMAP_BSS_MAX + 50);
	test_cond("find on overflowed entry", netmap_bss_find(nm, m) == NULL);
}

static struct netmap_bss *
ap(struct netmap *nm, unsigned n, const char *ssid, enum wifi_band band,
    int dbm)
{
	struct wifi_bss w;

	wifi_bss_init(&w);
	mac(w.bssid, n);
	if (ssid != NULL) {
		w.ssid.len = (uint8_t)strlen(ssid);
		memcpy(w.ssid.s, ssid, w.ssid.len);
	} else
		w.hidden = true;
	w.band = band;
	w.has_signal = true;
	w.signal_last = w.signal_min = w.signal_max = (int8_t)dbm;
	w.frames.beacons = 1;
	return netmap_bss_observe(nm, &w);
}

static void
test_observe(struct netmap *nm)
{
	struct netmap_bss *b;

	netmap_reset(nm);
	b = ap(nm, 7, "Home", WIFI_BAND_2G4, -50);
	test_cond("observed", b != NULL && b->has_facts);
	test_cond("same bss merged",
	    ap(nm, 7, "Home", WIFI_BAND_2G4, -70) == b);
	expect_int("one bss", 1, nm->nbss);
	expect_int("beacons add up", 2, b->w.frames.beacons);
	expect_int("min signal merged", -70, b->w.signal_min);
	expect_int("max signal merged", -50, b->w.signal_max);
	expect_int("last signal", -70, b->w.signal_last);
}

static void
test_group(struct netmap *nm)
{
	const struct netmap_net *n;
	uint8_t m[6];

	netmap_reset(nm);
	ap(nm, 30, "Zeta", WIFI_BAND_2G4, -40);
	ap(nm, 20, "Home", WIFI_BAND_5G, -70);
	ap(nm, 10, "Home", WIFI_BAND_2G4, -50);
	ap(nm, 40, NULL, WIFI_BAND_2G4, -60);
	ap(nm, 41, NULL, WIFI_BAND_2G4, -61);
	mac(m, 99);
	(void)netmap_bss(nm, m);	/* data only: not a network */
	netmap_group(nm);
	expect_int("networks", 4, nm->nnet);
	n = &nm->net[0];
	expect_int("first is Home", 0, memcmp(n->ssid, "Home", 4));
	expect_int("Home has 2 bss", 2, n->nbss);
	test_cond("Home on both bands", n->band_24 && n->band_5);
	expect_int("Home best signal", -50, n->best_signal);
	expect_int("Home first bss is lower bssid", 10,
	    nm->bss[n->first].w.bssid[5]);
	expect_int("Home second bss", 20,
	    nm->bss[nm->bss[n->first].next_in_net].w.bssid[5]);
	expect_int("chain ends", -1,
	    nm->bss[nm->bss[n->first].next_in_net].next_in_net);
	expect_int("then Zeta", 0, memcmp(nm->net[1].ssid, "Zeta", 4));
	test_cond("hidden ones last, alone",
	    nm->net[2].hidden && nm->net[2].nbss == 1 &&
	    nm->net[3].hidden && nm->net[3].nbss == 1);
	/* Grouping twice gives the same answer. */
	netmap_group(nm);
	expect_int("regroup networks", 4, nm->nnet);
	expect_int("regroup Home", 2, nm->net[0].nbss);
}

static void
test_clients(struct netmap *nm)
{
	uint8_t a[6], c[6];
	unsigned i;

	netmap_reset(nm);
	mac(a, 1);
	mac(c, 0x100);
	c[0] = 0x6c;
	test_cond("client", netmap_client(nm, c, a) != NULL);
	test_cond("same client", netmap_client(nm, c, a) == &nm->client[0]);
	expect_int("frames", 2, nm->client[0].frames);
	expect_int("bss counts the client once", 1,
	    netmap_bss_find(nm, a)->clients);
	test_cond("the AP is not its own client",
	    netmap_client(nm, a, a) == NULL);
	for (i = 0; i < NETMAP_CLIENTS_MAX + 5; i++) {
		mac(c, 0x1000 + i);
		c[0] = 0x6c;
		(void)netmap_client(nm, c, NULL);
	}
	expect_int("clients capped", NETMAP_CLIENTS_MAX, nm->nclient);
	expect_int("client overflow", 6, nm->overflow.clients);
}

static void
test_dhcp(struct netmap *nm)
{
	static const uint8_t cl[6] = { 0x6c, 0x0b, 0x84, 1, 2, 3 };
	static const uint8_t yi[4] = { 192, 168, 1, 23 };
	static const uint8_t r[4] = { 192, 168, 1, 1 };
	struct netmap_dhcp_reply m;

	netmap_reset(nm);
	memset(&m, 0, sizeof(m));
	m.type = 1;
	netmap_dhcp(nm, cl, &m);
	netmap_dhcp(nm, cl, &m);
	expect_int("discovers", 2, nm->dhcp_client[0].discovers);
	expect_int("no server from a discover", 0, nm->ndhcp_server);
	m.type = 2;
	memcpy(m.server_id, r, 4);
	m.yiaddr = yi;
	m.router = r;
	m.has_lease = true;
	m.lease = 3600;
	m.captive_portal = "https://portal/api";
	m.captive_portal_len = 18;
	netmap_dhcp(nm, cl, &m);
	m.server_id[3] = 250;
	netmap_dhcp(nm, cl, &m);
	m.type = 6;
	m.message = "wrong network";
	m.message_len = 13;
	netmap_dhcp(nm, cl, &m);
	expect_int("two servers", 2, nm->ndhcp_server);
	expect_int("offers to client", 2, nm->dhcp_client[0].offers);
	expect_int("first server offers", 1, nm->dhcp_server[0].offers);
	expect_int("second server nak", 1, nm->dhcp_server[1].naks);
	expect_str("nak message", "wrong network",
	    nm->dhcp_server[1].nak_message);
	expect_str("portal uri", "https://portal/api",
	    nm->dhcp_server[0].captive_portal);
	expect_int("lease", 3600, nm->dhcp_server[0].lease);
}

static void
test_dns_http(struct netmap *nm)
{
	static const uint8_t a[4] = { 192, 168, 1, 5 };
	static const uint8_t b[4] = { 52, 1, 2, 3 };
	static const uint8_t srv[4] = { 192, 168, 1, 1 };
	unsigned i;
	char name[32];

	netmap_reset(nm);
	netmap_dns(nm, "device.spark.io", 1, 0, 4, a, NULL, 60, 4, srv);
	netmap_dns(nm, "device.spark.io", 1, 0, 4, a, NULL, 30, 4, srv);
	netmap_dns(nm, "device.spark.io", 1, 0, 4, b, NULL, 30, 4, srv);
	netmap_dns(nm, "nope.example", 0, 3, 0, NULL, NULL, 0, 4, srv);
	expect_int("dns entries", 3, nm->ndns);
	expect_int("dup counted", 2, nm->dns[0].count);
	expect_int("ttl is the last", 30, nm->dns[0].ttl);
	expect_int("nxdomain kept", 3, nm->dns[2].rcode);
	for (i = 0; i < NETMAP_DNS_MAX; i++) {
		snprintf(name, sizeof(name), "n%u.example", i);
		netmap_dns(nm, name, 1, 0, 4, b, NULL, 1, 4, srv);
	}
	expect_int("dns capped", NETMAP_DNS_MAX, nm->ndns);
	expect_int("dns overflow", 3, nm->overflow.dns);

	netmap_http(nm, 302, "http://portal/login", 19, 4, srv, 80);
	netmap_http(nm, 302, "http://portal/login", 19, 4, srv, 80);
	netmap_http(nm, 301, "https://x/", 10, 4, srv, 80);
	expect_int("http entries", 2, nm->nhttp);
	expect_int("http dup", 2, nm->http[0].count);
	expect_str("location", "http://portal/login", nm->http[0].location);
}

static void
flow(struct netmap *nm, uint16_t port, bool from_cloud, uint8_t flags,
    size_t len)
{
	static const uint8_t dev[4] = { 192, 168, 1, 23 };
	static const uint8_t cloud[4] = { 54, 208, 1, 10 };

	netmap_flow(nm, 4, dev, port, cloud, 5683, from_cloud, flags, len);
}

static void
test_flows(struct netmap *nm)
{
	netmap_reset(nm);
	flow(nm, 1, false, TCP_SYN, 0);
	flow(nm, 1, true, TCP_SYN | TCP_ACK, 0);
	flow(nm, 1, false, TCP_ACK, 0);
	flow(nm, 1, true, TCP_ACK | TCP_PSH, 40);
	flow(nm, 1, false, TCP_ACK | TCP_PSH, 256);

	flow(nm, 2, false, TCP_SYN, 0);
	flow(nm, 2, true, TCP_RST | TCP_ACK, 0);

	flow(nm, 3, false, TCP_SYN, 0);
	flow(nm, 3, false, TCP_SYN, 0);

	flow(nm, 4, false, TCP_SYN, 0);
	flow(nm, 4, true, TCP_SYN | TCP_ACK, 0);
	flow(nm, 4, true, TCP_ACK | TCP_PSH, 120);

	flow(nm, 5, false, TCP_SYN, 0);
	flow(nm, 5, true, TCP_SYN | TCP_ACK, 0);

	flow(nm, 6, false, TCP_SYN, 0);
	flow(nm, 6, true, TCP_SYN | TCP_ACK, 0);
	flow(nm, 6, true, TCP_FIN | TCP_ACK, 0);

	flow(nm, 7, true, TCP_ACK, 0);

	expect_int("flows", 7, nm->nflow);
	expect_str("nonce", "nonce",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[0])));
	expect_int("first server len", 40, nm->flow[0].first_server_len);
	expect_int("device bytes", 256, (long long)nm->flow[0].device_bytes);
	expect_str("rst", "rejected",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[1])));
	expect_str("unanswered", "unanswered",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[2])));
	expect_int("syn retries", 2, nm->flow[2].syn);
	expect_str("not a nonce", "intercepted",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[3])));
	expect_str("accepted only", "accepted",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[4])));
	expect_str("closed without nonce", "intercepted",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[5])));
	expect_str("mid-stream", "partial",
	    netmap_flow_outcome_name(netmap_flow_outcome(&nm->flow[6])));
}

static void
test_devices(struct netmap *nm)
{
	static const uint8_t a[4] = { 192, 168, 1, 23 };

	netmap_reset(nm);
	netmap_device(nm, "53ff6c065067554911312687", 4, a, NULL);
	netmap_device(nm, "53ff6c065067554911312687", 4, a, NULL);
	netmap_device(nm, "000000000000000000000001", 4, a, NULL);
	expect_int("devices", 2, nm->ndevice);
	expect_int("count", 2, nm->device[0].count);
	expect_str("id", "53ff6c065067554911312687", nm->device[0].id);
}

static void
test_events(struct netmap *nm)
{
	uint8_t ap[6], sta[6];
	unsigned i;

	netmap_reset(nm);
	mac(ap, 1);
	mac(sta, 2);
	netmap_event(nm, NETMAP_EV_DEAUTH, ap, ap, sta, 7);
	netmap_event(nm, NETMAP_EV_DEAUTH, ap, ap, sta, 7);
	netmap_event(nm, NETMAP_EV_DEAUTH, ap, sta, ap, 7);
	netmap_event(nm, NETMAP_EV_AUTH, ap, ap, sta, 7);
	netmap_event(nm, NETMAP_EV_DEAUTH, ap, ap, sta, 7);
	expect_int("events deduped", 3, nm->nevent);
	expect_int("repeats counted", 3, nm->event[0].count);
	expect_str("kind name", "deauth", netmap_event_kind_name(
	    (enum netmap_event_kind)nm->event[0].kind));
	for (i = 0; i < NETMAP_EVENTS_MAX + 10; i++)
		netmap_event(nm, NETMAP_EV_AUTH, ap, ap, sta,
		    (uint16_t)(100 + i));
	expect_int("events capped", NETMAP_EVENTS_MAX, nm->nevent);
	expect_int("event overflow", 3 + 10, nm->overflow.events);
	netmap_event(nm, NETMAP_EV_AUTH, ap, ap, sta, 100);
	expect_int("old event still found", 2, nm->event[3].count);
}

/*
 * A crowded capture: 1100 other networks before the wanted one.  Its
 * BSSes still get a slot, and whether it was seen is known either way.
 */
static void
test_want(struct netmap *nm)
{
	unsigned i;
	size_t kept = 0;

	netmap_reset(nm);
	test_cond("want ssid", netmap_want_ssid(nm,
	    (const uint8_t *)"Home", 4) == 0);
	test_cond("ssid over 32 bytes refused", netmap_want_ssid(nm,
	    (const uint8_t *)"0123456789abcdef0123456789abcdefX", 33) == -1);
	test_cond("want ssid again", netmap_want_ssid(nm,
	    (const uint8_t *)"Home", 4) == 0);
	for (i = 0; i < 1100; i++)
		(void)ap(nm, 0x10000 + i, "Other", WIFI_BAND_2G4, -70);
	expect_int("others stop short of the reserve",
	    NETMAP_BSS_MAX - NETMAP_BSS_RESERVE, nm->nbss);
	test_cond("not seen yet", !nm->want.seen);
	test_cond("overflowed", netmap_overflowed(nm));
	test_cond("wanted kept when full",
	    ap(nm, 1, "Home", WIFI_BAND_2G4, -50) != NULL);
	test_cond("wanted seen", nm->want.seen);
	for (i = 2; i < NETMAP_BSS_RESERVE + 10; i++)	/* 72 more */
		if (ap(nm, i, "Home", WIFI_BAND_2G4, -50) != NULL)
			kept++;
	expect_int("reserve filled", NETMAP_BSS_RESERVE - 1, kept);
	expect_int("wanted past the reserve counted", 9,
	    nm->overflow.bss_wanted);
	netmap_reset(nm);
	test_cond("want survives reset", nm->want.set && !nm->want.seen &&
	    nm->want.ssid_len == 4);
	test_cond("empty after reset", nm->nbss == 0 &&
	    !netmap_overflowed(nm));
}

/*
 * The clients table fills with a neighbour's clients: the last
 * NETMAP_CLIENTS_RESERVE slots stay for clients of the wanted network.
 */
static void
test_want_clients(struct netmap *nm)
{
	uint8_t home[6], other[6], c[6];
	unsigned i;

	netmap_reset(nm);
	(void)netmap_want_ssid(nm, (const uint8_t *)"Home", 4);
	(void)ap(nm, 1, "Home", WIFI_BAND_2G4, -50);
	(void)ap(nm, 2, "Other", WIFI_BAND_2G4, -60);
	mac(home, 1);
	mac(other, 2);
	for (i = 0; i < NETMAP_CLIENTS_MAX + 10; i++) {
		mac(c, 0x2000 + i);
		c[0] = 0x6c;
		(void)netmap_client(nm, c, other);
	}
	expect_int("others' clients stop short of the reserve",
	    NETMAP_CLIENTS_MAX - NETMAP_CLIENTS_RESERVE, nm->nclient);
	mac(c, 0x9999);
	c[0] = 0x6c;
	test_cond("a client of the wanted network is kept when full",
	    netmap_client(nm, c, home) != NULL);
	expect_int("and counted on its BSS", 1,
	    netmap_bss_find(nm, home)->clients);
	test_cond("overflow said", nm->overflow.clients ==
	    NETMAP_CLIENTS_RESERVE + 10);
}

int
main(void)
{
	struct netmap *nm = netmap_new();

	test_cond("netmap_new", nm != NULL);
	if (nm == NULL)
		return test_report();
	test_bss_table(nm);
	test_observe(nm);
	test_group(nm);
	test_clients(nm);
	test_dhcp(nm);
	test_dns_http(nm);
	test_flows(nm);
	test_devices(nm);
	test_events(nm);
	test_want(nm);
	test_want_clients(nm);
	netmap_free(nm);
	netmap_free(NULL);
	return test_report();
}
