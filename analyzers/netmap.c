/*
 * netmap.c - the bounded tables behind `cyanprobe analyze`: BSSes and
 * clients in open-addressed hash tables (a lookup per frame must stay cheap
 * for million-packet captures), the rarer facts (DHCP, DNS, HTTP, cloud
 * flows, device IDs) in small arrays searched linearly.  Nothing grows:
 * what does not fit is counted in nm->overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "netmap.h"

static const uint8_t zero6[6];

struct netmap *
netmap_new(void)
{
	struct netmap *nm;

	if ((nm = calloc(1, sizeof(*nm))) == NULL)
		return NULL;
	netmap_reset(nm);
	return nm;
}

void
netmap_free(struct netmap *nm)
{
	free(nm);
}

void
netmap_reset(struct netmap *nm)
{
	struct netmap_want w = nm->want;

	memset(nm, 0, sizeof(*nm));
	nm->want = w;
	nm->want.seen = false;
}

int
netmap_want_ssid(struct netmap *nm, const uint8_t *ssid, size_t len)
{
	if (len > NETMAP_SSID_MAX)
		return -1;
	memset(&nm->want, 0, sizeof(nm->want));
	nm->want.set = true;
	memcpy(nm->want.ssid, ssid, len);
	nm->want.ssid_len = len;
	return 0;
}

bool
netmap_overflowed(const struct netmap *nm)
{
	const struct netmap_overflow *o = &nm->overflow;

	return o->bss + o->clients + o->dhcp_servers + o->dhcp_clients +
	    o->dns + o->http + o->flows + o->devices + o->events +
	    o->scan_bss + nm->join.overflow > 0;
}

/*
 * Slot of a key given as 48 bits (lo: bytes 0-3, hi: bytes 4-5): two
 * independent multiplies and a fold rather than FNV-1a's six chained ones,
 * inline so `% slots` (a power of two) is a mask, not a division.  It runs
 * for nearly every frame (events, BSS, clients); slots only speed up
 * lookups, so the hash does not change what is recorded.
 */
static inline size_t
key_hash(uint32_t lo, uint32_t hi, size_t slots)
{
	uint32_t h = lo * 0x9e3779b1u ^ hi * 0x85ebca77u;

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 16;
	return h % slots;
}

/* Little-endian halves of a MAC address, for key_hash(). */
static inline uint32_t
mac_lo(const uint8_t m[6])
{
	return (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 |
	    (uint32_t)m[3] << 24;
}

static inline uint32_t
mac_hi(const uint8_t m[6])
{
	return (uint32_t)m[4] | (uint32_t)m[5] << 8;
}

static inline size_t
mac_hash(const uint8_t m[6], size_t slots)
{
	return key_hash(mac_lo(m), mac_hi(m), slots);
}

/* The slot holding `m`, or the empty slot where it would go. */
static size_t
bss_slot(const struct netmap *nm, const uint8_t m[6])
{
	size_t i = mac_hash(m, NETMAP_HASH_SLOTS);

	while (nm->bss_slot[i] != 0 &&
	    memcmp(nm->bss[nm->bss_slot[i] - 1].w.bssid, m, 6) != 0)
		i = (i + 1) % NETMAP_HASH_SLOTS;
	return i;
}

const struct netmap_bss *
netmap_bss_find(const struct netmap *nm, const uint8_t bssid[6])
{
	size_t i = bss_slot(nm, bssid);

	return nm->bss_slot[i] ? &nm->bss[nm->bss_slot[i] - 1] : NULL;
}

/* netmap_bss(), up to `room` entries. */
static struct netmap_bss *
bss_get(struct netmap *nm, const uint8_t bssid[6], size_t room)
{
	struct netmap_bss *b;
	size_t i;

	if (nm->last_bss != 0 &&
	    memcmp(nm->bss[nm->last_bss - 1].w.bssid, bssid, 6) == 0)
		return &nm->bss[nm->last_bss - 1];
	/* A BSSID is an individual address (802.11-2020 9.2.4.3.4). */
	if ((bssid[0] & 0x01) || memcmp(bssid, zero6, 6) == 0)
		return NULL;
	i = bss_slot(nm, bssid);
	if (nm->bss_slot[i] != 0) {
		nm->last_bss = nm->bss_slot[i];
		return &nm->bss[nm->bss_slot[i] - 1];
	}
	if (nm->nbss >= room) {
		nm->overflow.bss++;
		return NULL;
	}
	b = &nm->bss[nm->nbss++];
	memset(b, 0, sizeof(*b));
	wifi_bss_init(&b->w);
	memcpy(b->w.bssid, bssid, 6);
	b->net = -1;
	b->next_in_net = -1;
	nm->bss_slot[i] = (uint16_t)nm->nbss;
	nm->last_bss = (uint16_t)nm->nbss;
	return b;
}

/* Room for BSSes of other networks: all but the reserve when one is wanted. */
static size_t
bss_room(const struct netmap *nm)
{
	return nm->want.set ? NETMAP_BSS_MAX - NETMAP_BSS_RESERVE :
	    NETMAP_BSS_MAX;
}

struct netmap_bss *
netmap_bss(struct netmap *nm, const uint8_t bssid[6])
{
	return bss_get(nm, bssid, bss_room(nm));
}

static bool
is_wanted(const struct netmap *nm, const struct wifi_bss *obs)
{
	return nm->want.set && obs->ssid.len == nm->want.ssid_len &&
	    memcmp(obs->ssid.s, nm->want.ssid, obs->ssid.len) == 0;
}

struct netmap_bss *
netmap_bss_observe(struct netmap *nm, const struct wifi_bss *obs)
{
	struct netmap_bss *b;
	bool wanted = is_wanted(nm, obs);

	if (wanted)
		nm->want.seen = true;
	/* Stations that met this BSS before any beacon of it now have a
	 * network (a no-op when none is waiting). */
	if (nm->want.set)
		wifi_join_decide(&nm->join, obs->bssid, wanted);
	if ((b = bss_get(nm, obs->bssid, wanted ? NETMAP_BSS_MAX :
	    bss_room(nm))) == NULL) {
		if (wanted)
			nm->overflow.bss_wanted++;
		return NULL;
	}
	if (!b->has_facts) {
		b->w = *obs;
		b->has_facts = true;
	} else
		(void)wifi_bss_merge(&b->w, obs);
	return b;
}

void
netmap_join_step(struct netmap *nm, const uint8_t sta[6],
    const uint8_t bssid[6], const struct wifi_join_step *s)
{
	const struct netmap_bss *b;
	enum wifi_join_room room = WIFI_JOIN_ROOM_ALL;

	if (nm->want.set) {
		b = netmap_bss_find(nm, bssid);
		room = b == NULL || !b->has_facts ? WIFI_JOIN_ROOM_UNKNOWN :
		    is_wanted(nm, &b->w) ? WIFI_JOIN_ROOM_WANTED :
		    WIFI_JOIN_ROOM_OTHER;
	}
	wifi_join_step(&nm->join, sta, bssid, s, room);
}

static size_t
client_slot(const struct netmap *nm, const uint8_t m[6])
{
	size_t slots = 2 * NETMAP_CLIENTS_MAX;
	size_t i = mac_hash(m, slots);

	while (nm->client_slot[i] != 0 &&
	    memcmp(nm->client[nm->client_slot[i] - 1].mac, m, 6) != 0)
		i = (i + 1) % slots;
	return i;
}

/*
 * Room for a new client: the last NETMAP_CLIENTS_RESERVE slots only for
 * clients of the wanted network's access points.
 */
static size_t
client_room(const struct netmap *nm, const uint8_t *bssid)
{
	const struct netmap_bss *b;

	if (!nm->want.set)
		return NETMAP_CLIENTS_MAX;
	if (bssid != NULL && (b = netmap_bss_find(nm, bssid)) != NULL &&
	    b->has_facts && is_wanted(nm, &b->w))
		return NETMAP_CLIENTS_MAX;
	return NETMAP_CLIENTS_MAX - NETMAP_CLIENTS_RESERVE;
}

struct netmap_client *
netmap_client(struct netmap *nm, const uint8_t mac[6], const uint8_t bssid[6])
{
	struct netmap_client *c;
	struct netmap_bss *b = NULL;
	size_t i;
	int bi;

	if ((mac[0] & 0x01) || memcmp(mac, zero6, 6) == 0)
		return NULL;
	if (bssid != NULL && memcmp(mac, bssid, 6) == 0)
		return NULL;	/* the AP itself */
	if (nm->last_client != 0 &&
	    memcmp(nm->client[nm->last_client - 1].mac, mac, 6) == 0)
		c = &nm->client[nm->last_client - 1];
	else if ((i = client_slot(nm, mac), nm->client_slot[i] != 0)) {
		c = &nm->client[nm->client_slot[i] - 1];
		nm->last_client = nm->client_slot[i];
	} else {
		if (nm->nclient >= client_room(nm, bssid)) {
			nm->overflow.clients++;
			return NULL;
		}
		c = &nm->client[nm->nclient++];
		memset(c, 0, sizeof(*c));
		memcpy(c->mac, mac, 6);
		c->bss = -1;
		nm->client_slot[i] = (uint16_t)nm->nclient;
		nm->last_client = (uint16_t)nm->nclient;
	}
	c->frames++;
	if (bssid != NULL && (b = netmap_bss(nm, bssid)) != NULL) {
		bi = (int)(b - nm->bss);
		if (c->bss != bi) {
			c->bss = bi;
			b->clients++;
		}
	}
	return c;
}

static void
text_set(struct netmap_text *t, const char *s, size_t len)
{
	if (len > NETMAP_WPS_MAX)
		len = NETMAP_WPS_MAX;
	memcpy(t->s, s, len);
	t->s[len] = '\0';
	t->len = (uint16_t)len;
}

static void
str_set(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static struct netmap_dhcp_client *
dhcp_client(struct netmap *nm, const uint8_t mac[6])
{
	struct netmap_dhcp_client *c;
	size_t i;

	for (i = 0; i < nm->ndhcp_client; i++)
		if (memcmp(nm->dhcp_client[i].mac, mac, 6) == 0)
			return &nm->dhcp_client[i];
	if (nm->ndhcp_client >= NETMAP_DHCP_CLIENTS_MAX) {
		nm->overflow.dhcp_clients++;
		return NULL;
	}
	c = &nm->dhcp_client[nm->ndhcp_client++];
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, mac, 6);
	return c;
}

static struct netmap_dhcp_server *
dhcp_server(struct netmap *nm, const uint8_t id[4])
{
	struct netmap_dhcp_server *s;
	size_t i;

	for (i = 0; i < nm->ndhcp_server; i++)
		if (memcmp(nm->dhcp_server[i].server_id, id, 4) == 0)
			return &nm->dhcp_server[i];
	if (nm->ndhcp_server >= NETMAP_DHCP_SERVERS_MAX) {
		nm->overflow.dhcp_servers++;
		return NULL;
	}
	s = &nm->dhcp_server[nm->ndhcp_server++];
	memset(s, 0, sizeof(*s));
	memcpy(s->server_id, id, 4);
	return s;
}

/* Message types of RFC 2132 9.6, without pulling in dhcp.h. */
#define T_DISCOVER	1
#define T_OFFER		2
#define T_REQUEST	3
#define T_ACK		5
#define T_NAK		6

void
netmap_dhcp(struct netmap *nm, const uint8_t client_mac[6],
    const struct netmap_dhcp_reply *m)
{
	struct netmap_dhcp_client *c = NULL;
	struct netmap_dhcp_server *s;

	if (client_mac != NULL)
		c = dhcp_client(nm, client_mac);
	switch (m->type) {
	case T_DISCOVER:
		if (c != NULL)
			c->discovers++;
		return;
	case T_REQUEST:
		if (c != NULL)
			c->requests++;
		return;
	case T_OFFER:
	case T_ACK:
	case T_NAK:
		break;
	default:
		return;
	}
	if ((s = dhcp_server(nm, m->server_id)) == NULL)
		return;
	if (m->src_mac != NULL) {
		memcpy(s->mac, m->src_mac, 6);
		s->has_mac = true;
	}
	if (m->type == T_NAK) {
		s->naks++;
		if (c != NULL) {
			c->naks++;
			c->last_reply = T_NAK;
			memcpy(c->nak_server, m->server_id, 4);
		} else
			s->naks_unfollowed++;
		if (m->message != NULL)
			str_set(s->nak_message, sizeof(s->nak_message),
			    m->message, m->message_len);
		return;
	}
	if (m->type == T_OFFER) {
		s->offers++;
		if (c != NULL)
			c->offers++;
	} else {
		s->acks++;
		if (c != NULL) {
			c->acks++;
			c->last_reply = T_ACK;
		}
	}
	if (m->yiaddr != NULL)
		memcpy(s->offered, m->yiaddr, 4);
	if (m->mask != NULL) {
		memcpy(s->mask, m->mask, 4);
		s->has_mask = true;
	}
	if (m->router != NULL) {
		if (s->has_router && memcmp(s->router, m->router, 4) != 0 &&
		    !s->conflict) {
			s->conflict = true;
			memcpy(s->conflict_a, s->router, 4);
			memcpy(s->conflict_b, m->router, 4);
		}
		memcpy(s->router, m->router, 4);
		s->has_router = true;
	}
	if (m->dns != NULL) {
		if (s->has_dns && memcmp(s->dns, m->dns, 4) != 0 &&
		    !s->conflict) {
			s->conflict = true;
			memcpy(s->conflict_a, s->dns, 4);
			memcpy(s->conflict_b, m->dns, 4);
		}
		memcpy(s->dns, m->dns, 4);
		s->has_dns = true;
	}
	if (m->has_lease) {
		s->lease = m->lease;
		s->has_lease = true;
	}
	if (m->domain != NULL)
		text_set(&s->domain, m->domain, m->domain_len);
	if (m->captive_portal != NULL)
		str_set(s->captive_portal, sizeof(s->captive_portal),
		    m->captive_portal, m->captive_portal_len);
}

const char *
netmap_dhcp_outcome(const struct netmap_dhcp_client *c)
{
	if (c->last_reply == T_ACK)
		return "lease";
	if (c->last_reply == T_NAK)
		return "refused";
	if (c->offers > 0)
		return "offered";
	if (c->discovers + c->requests > 0)
		return "no_reply_seen";
	return "none";
}

static size_t
addr_len(int family)
{
	return family == 6 ? 16 : family == 4 ? 4 : 0;
}

void
netmap_dns(struct netmap *nm, const char *name, uint16_t type, uint8_t rcode,
    int family, const uint8_t *addr, const char *target, uint32_t ttl,
    int server_family, const uint8_t *server)
{
	struct netmap_dns *d;
	size_t i, alen = addr != NULL ? addr_len(family) : 0;

	if (target == NULL)
		target = "";
	for (i = 0; i < nm->ndns; i++) {
		d = &nm->dns[i];
		if (d->type == type && d->rcode == rcode &&
		    strncmp(d->name, name, sizeof(d->name) - 1) == 0 &&
		    d->family == (alen ? family : 0) &&
		    memcmp(d->addr, addr != NULL ? addr : d->addr, alen) == 0 &&
		    strncmp(d->target, target, sizeof(d->target) - 1) == 0) {
			d->count++;
			d->ttl = ttl;
			return;
		}
	}
	if (nm->ndns >= NETMAP_DNS_MAX) {
		nm->overflow.dns++;
		return;
	}
	d = &nm->dns[nm->ndns++];
	memset(d, 0, sizeof(*d));
	str_set(d->name, sizeof(d->name), name, strlen(name));
	d->type = type;
	d->rcode = rcode;
	if (alen != 0) {
		d->family = (uint8_t)family;
		memcpy(d->addr, addr, alen);
	}
	str_set(d->target, sizeof(d->target), target, strlen(target));
	d->ttl = ttl;
	d->count = 1;
	if (server != NULL && addr_len(server_family) != 0) {
		d->server_family = (uint8_t)server_family;
		memcpy(d->server, server, addr_len(server_family));
	}
}

void
netmap_http(struct netmap *nm, int status, const char *location,
    size_t location_len, int server_family, const uint8_t *server,
    uint16_t server_port)
{
	struct netmap_http *h;
	char loc[NETMAP_NAME_MAX];
	size_t i, alen = server != NULL ? addr_len(server_family) : 0;

	str_set(loc, sizeof(loc), location != NULL ? location : "",
	    location != NULL ? location_len : 0);
	for (i = 0; i < nm->nhttp; i++) {
		h = &nm->http[i];
		if (h->status == status && strcmp(h->location, loc) == 0 &&
		    h->server_family == (alen ? server_family : 0) &&
		    memcmp(h->server, server != NULL ? server : h->server,
		    alen) == 0) {
			h->count++;
			return;
		}
	}
	if (nm->nhttp >= NETMAP_HTTP_MAX) {
		nm->overflow.http++;
		return;
	}
	h = &nm->http[nm->nhttp++];
	memset(h, 0, sizeof(*h));
	h->status = status;
	memcpy(h->location, loc, sizeof(loc));
	if (alen != 0) {
		h->server_family = (uint8_t)server_family;
		memcpy(h->server, server, alen);
	}
	h->server_port = server_port;
	h->count = 1;
}

void
netmap_flow(struct netmap *nm, int family, const uint8_t *device,
    uint16_t device_port, const uint8_t *cloud, uint16_t cloud_port,
    bool from_cloud, uint8_t flags, size_t payload_len)
{
	struct netmap_flow *f = NULL;
	size_t i, alen = addr_len(family);

	if (alen == 0)
		return;
	for (i = 0; i < nm->nflow; i++) {
		f = &nm->flow[i];
		if (f->family == family && f->device_port == device_port &&
		    f->cloud_port == cloud_port &&
		    memcmp(f->device, device, alen) == 0 &&
		    memcmp(f->cloud, cloud, alen) == 0)
			break;
		f = NULL;
	}
	if (f == NULL) {
		if (nm->nflow >= NETMAP_FLOWS_MAX) {
			nm->overflow.flows++;
			return;
		}
		f = &nm->flow[nm->nflow++];
		memset(f, 0, sizeof(*f));
		f->family = (uint8_t)family;
		memcpy(f->device, device, alen);
		memcpy(f->cloud, cloud, alen);
		f->device_port = device_port;
		f->cloud_port = cloud_port;
		f->first_server_len = -1;
	}
	if (flags & TCP_RST) {
		if (from_cloud)
			f->rst_from_cloud++;
		else
			f->rst_from_device++;
	} else if ((flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		if (from_cloud)
			f->syn_ack++;
	} else if (flags & TCP_SYN) {
		if (!from_cloud)
			f->syn++;
	}
	if (flags & TCP_FIN)
		f->fin++;
	if (payload_len == 0)
		return;
	if (from_cloud) {
		if (f->first_server_len < 0)
			f->first_server_len = (long)payload_len;
		f->cloud_bytes += payload_len;
	} else {
		if (f->first_server_len < 0)
			f->device_spoke_first = true;
		f->device_segments++;
		f->device_bytes += payload_len;
	}
}

enum netmap_flow_outcome
netmap_flow_outcome(const struct netmap_flow *f)
{
	/* particle-cloud.md 1.1: the cloud speaks first, exactly 40 bytes. */
	if (f->first_server_len == 40)
		return NETMAP_FLOW_NONCE;
	if (f->first_server_len > 0)
		return NETMAP_FLOW_INTERCEPTED;
	if (f->syn_ack > 0) {
		if (f->device_spoke_first || f->fin > 0 ||
		    f->rst_from_cloud > 0 || f->rst_from_device > 0)
			return NETMAP_FLOW_INTERCEPTED;
		return NETMAP_FLOW_ACCEPTED;
	}
	if (f->rst_from_cloud > 0)
		return NETMAP_FLOW_REJECTED;
	if (f->syn > 0)
		return NETMAP_FLOW_UNANSWERED;
	return NETMAP_FLOW_PARTIAL;
}

const char *
netmap_flow_outcome_name(enum netmap_flow_outcome o)
{
	static const char *const names[] = {
		"unanswered", "rejected", "accepted", "nonce", "intercepted",
		"partial"
	};

	if ((unsigned)o >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[o];
}

void
netmap_device(struct netmap *nm, const char *id_hex, int family,
    const uint8_t *addr, const uint8_t *mac)
{
	struct netmap_device *d;
	size_t i, alen = addr != NULL ? addr_len(family) : 0;

	for (i = 0; i < nm->ndevice; i++) {
		d = &nm->device[i];
		if (strncmp(d->id, id_hex, sizeof(d->id) - 1) == 0) {
			d->count++;
			if (alen != 0) {
				d->family = (uint8_t)family;
				memcpy(d->addr, addr, alen);
			}
			return;
		}
	}
	if (nm->ndevice >= NETMAP_DEVICES_MAX) {
		nm->overflow.devices++;
		return;
	}
	d = &nm->device[nm->ndevice++];
	memset(d, 0, sizeof(*d));
	str_set(d->id, sizeof(d->id), id_hex, strlen(id_hex));
	if (alen != 0) {
		d->family = (uint8_t)family;
		memcpy(d->addr, addr, alen);
	}
	if (mac != NULL) {
		memcpy(d->mac, mac, 6);
		d->has_mac = true;
	}
	d->count = 1;
}

static bool
event_is(const struct netmap_event *e, enum netmap_event_kind kind,
    const uint8_t bssid[6], const uint8_t from[6], uint16_t code)
{
	return e->kind == kind && e->code == code &&
	    memcmp(e->bssid, bssid, 6) == 0 && memcmp(e->from, from, 6) == 0;
}

void
netmap_event(struct netmap *nm, enum netmap_event_kind kind,
    const uint8_t bssid[6], const uint8_t from[6], const uint8_t to[6],
    uint16_t code)
{
	const size_t slots = sizeof(nm->event_slot) / sizeof(nm->event_slot[0]);
	struct netmap_event *e;
	size_t i;

	/* The last event first: a deauth flood repeats itself. */
	if (nm->last_event != 0 && event_is(&nm->event[nm->last_event - 1],
	    kind, bssid, from, code)) {
		nm->event[nm->last_event - 1].count++;
		return;
	}
	/*
	 * Key: from ^ bssid with the kind and code folded in, built in
	 * registers (bytes stored and read back wider stall the CPU).
	 */
	i = key_hash(mac_lo(from) ^ mac_lo(bssid) ^ ((uint32_t)kind & 0xff),
	    mac_hi(from) ^ mac_hi(bssid) ^ (uint32_t)(code >> 8 & 0xff) ^
	    (uint32_t)(code & 0xff) << 8, slots);
	while (nm->event_slot[i] != 0) {
		e = &nm->event[nm->event_slot[i] - 1];
		if (event_is(e, kind, bssid, from, code)) {
			e->count++;
			nm->last_event = nm->event_slot[i];
			return;
		}
		i = (i + 1) % slots;
	}
	if (nm->nevent >= NETMAP_EVENTS_MAX) {
		nm->overflow.events++;
		return;
	}
	e = &nm->event[nm->nevent++];
	e->kind = (uint8_t)kind;
	memcpy(e->bssid, bssid, 6);
	memcpy(e->from, from, 6);
	memcpy(e->to, to, 6);
	e->code = code;
	e->count = 1;
	nm->event_slot[i] = (uint16_t)nm->nevent;
	nm->last_event = (uint16_t)nm->nevent;
}

const char *
netmap_event_kind_name(enum netmap_event_kind k)
{
	static const char *const names[] = {
		"auth", "assoc-resp", "deauth", "disassoc"
	};

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[k];
}

/* A BSS that only a hidden beacon named stands alone. */
static bool
anonymous(const struct netmap_bss *b)
{
	return b->w.ssid.len == 0;
}

static int
bss_order(const void *x, const void *y)
{
	const struct netmap_bss *a = *(const struct netmap_bss *const *)x;
	const struct netmap_bss *b = *(const struct netmap_bss *const *)y;
	size_t n;
	int c;

	if (anonymous(a) != anonymous(b))
		return anonymous(a) ? 1 : -1;
	if (!anonymous(a)) {
		n = a->w.ssid.len < b->w.ssid.len ? a->w.ssid.len :
		    b->w.ssid.len;
		if ((c = memcmp(a->w.ssid.s, b->w.ssid.s, n)) != 0)
			return c;
		if (a->w.ssid.len != b->w.ssid.len)
			return a->w.ssid.len < b->w.ssid.len ? -1 : 1;
	}
	return memcmp(a->w.bssid, b->w.bssid, 6);
}

void
netmap_group(struct netmap *nm)
{
	const struct netmap_bss *order[NETMAP_BSS_MAX];
	struct netmap_bss *b, *prev = NULL;
	struct netmap_net *n = NULL;
	size_t i, k = 0;

	for (i = 0; i < nm->nbss; i++) {
		nm->bss[i].net = -1;
		nm->bss[i].next_in_net = -1;
		/* Only BSSes that announced themselves are networks. */
		if (nm->bss[i].has_facts)
			order[k++] = &nm->bss[i];
	}
	qsort(order, k, sizeof(order[0]), bss_order);
	nm->nnet = 0;
	for (i = 0; i < k; i++) {
		b = &nm->bss[order[i] - nm->bss];
		if (n == NULL || anonymous(b) || anonymous(prev) ||
		    b->w.ssid.len != n->ssid_len ||
		    memcmp(b->w.ssid.s, n->ssid, b->w.ssid.len) != 0) {
			n = &nm->net[nm->nnet++];
			memset(n, 0, sizeof(*n));
			memcpy(n->ssid, b->w.ssid.s, b->w.ssid.len);
			n->ssid_len = b->w.ssid.len;
			n->first = (int)(b - nm->bss);
		} else
			prev->next_in_net = (int)(b - nm->bss);
		b->net = (int)(n - nm->net);
		n->nbss++;
		if (b->w.hidden || anonymous(b))
			n->hidden = true;
		if (b->w.band == WIFI_BAND_2G4)
			n->band_24 = true;
		else if (b->w.band == WIFI_BAND_5G)
			n->band_5 = true;
		else if (b->w.band == WIFI_BAND_6G)
			n->band_6 = true;
		if (b->w.has_signal && (!n->has_signal ||
		    b->w.signal_last > n->best_signal)) {
			n->best_signal = b->w.signal_last;
			n->has_signal = true;
		}
		prev = b;
	}
}
