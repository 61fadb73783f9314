/*
 * netmap.h - what a capture says about the networks around a device, in
 * fixed-size tables: access points (BSSes) keyed by BSSID and grouped into
 * networks by SSID, Wi-Fi clients, DHCP servers and clients, DNS answers,
 * HTTP redirects, TCP flows to the Particle cloud port 5683 and the device
 * IDs seen in presence announcements, and each station's join timeline
 * (wifi_join.h).
 *
 * The decoders (radiotap, ieee80211, ie, wifi_bss, ip, dhcp, dns, http,
 * particle_tcp, coapmsg) say what one frame holds; this module remembers it
 * across frames.  Every table has a fixed capacity chosen at compile time:
 * an entry past it is counted in `overflow`, never stored, so memory stays
 * flat however large the capture is.  The last NETMAP_BSS_RESERVE BSS
 * slots are kept for the network the user named (netmap_want_ssid()), so a
 * crowded capture never pushes out the one network asked about, and
 * whether its SSID was seen at all is recorded even when it is not kept.  Strings from the wire are stored as
 * raw bytes plus a length and must be escaped before they are shown.
 * Pure: no I/O, no printing; one allocation (netmap_new) of known size.
 */
#ifndef NETMAP_H
#define NETMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wifi_bss.h"
#include "wifi_join.h"

#define NETMAP_BSS_MAX		1024
#define NETMAP_BSS_RESERVE	64	/* of BSS_MAX, for the wanted SSID */
#define NETMAP_CLIENTS_MAX	1024
#define NETMAP_CLIENTS_RESERVE	64	/* of CLIENTS_MAX, for clients of
					 * the wanted SSID's access points */
#define NETMAP_DHCP_SERVERS_MAX	16
#define NETMAP_DHCP_CLIENTS_MAX	64
#define NETMAP_DNS_MAX		64
#define NETMAP_HTTP_MAX		32
#define NETMAP_FLOWS_MAX	64
#define NETMAP_DEVICES_MAX	16
#define NETMAP_EVENTS_MAX	32

#define NETMAP_SSID_MAX		32	/* 802.11 limit */
#define NETMAP_NAME_MAX		256	/* DNS names, URLs, kept text */
#define NETMAP_WPS_MAX		64	/* WPS text attributes: 32..64 bytes */

/* Frame counters of one BSS beyond the beacons and probe responses. */
struct netmap_frames {
	uint32_t	probe_req;	/* directed at this BSSID */
	uint32_t	auth;
	uint32_t	assoc;		/* (re)association requests+responses */
	uint32_t	deauth;		/* deauthentication + disassociation */
	uint32_t	action;
	uint32_t	data;
	uint32_t	other;
};

/* Bounded raw bytes from the wire, NUL-terminated copy. */
struct netmap_text {
	uint16_t	len;
	char		s[NETMAP_WPS_MAX + 1];
};

/*
 * One access point.  `w` holds the facts of its beacons and probe
 * responses, merged frame after frame by wifi_bss_merge() (analyzers/
 * wifi_bss.h: SSID and hidden, channel, band, width, phy, security, PMF,
 * WPS, country, signal); `has_facts` is false while only other frames named
 * the BSSID.  The rest is what the other frames said; how each station's
 * join went is in `join` (wifi_join.h).
 */
struct netmap_bss {
	struct wifi_bss	 w;
	bool		 has_facts;
	struct netmap_frames frames;
	uint32_t	 clients;	/* distinct clients seen with it */
	int		 net;		/* index into net[], once grouped */
	int		 next_in_net;	/* next BSS of its network, or -1 */
};

/* A network: the BSSes that share an SSID (each hidden BSS stands alone). */
struct netmap_net {
	uint8_t		ssid[NETMAP_SSID_MAX];
	uint8_t		ssid_len;
	bool		hidden;
	int		first;		/* first BSS, chained by next_in_net */
	unsigned	nbss;
	bool		band_24, band_5, band_6;
	int8_t		best_signal;	/* strongest last signal of its BSSes */
	bool		has_signal;
};

struct netmap_client {
	uint8_t		mac[6];
	int		bss;		/* index of its BSS, -1 unknown */
	uint32_t	frames;
	bool		has_signal;
	int8_t		signal_last;
};

/* A DHCP server, keyed by its server identifier (else source address). */
struct netmap_dhcp_server {
	uint8_t		 server_id[4];
	uint8_t		 mac[6];
	bool		 has_mac;
	uint32_t	 offers, acks, naks;
	/* What it last offered or acknowledged. */
	uint8_t		 offered[4];
	uint8_t		 mask[4];
	uint8_t		 router[4];
	uint8_t		 dns[4];
	bool		 has_mask, has_router, has_dns;
	uint32_t	 lease;
	bool		 has_lease;
	struct netmap_text domain;
	/* Replies under this identity named another router or DNS server
	 * than before: two servers, one id.  The first two values that
	 * differed are kept. */
	bool		 conflict;
	uint8_t		 conflict_a[4], conflict_b[4];
	char		 captive_portal[NETMAP_NAME_MAX];	/* option 114 */
	char		 nak_message[NETMAP_WPS_MAX + 1];	/* option 56 */
	/* NAKs to a client that has no entry (no Ethernet chaddr, or the
	 * client table is full): their outcome cannot be followed. */
	uint32_t	 naks_unfollowed;
};

/*
 * A DHCP client, by client MAC (chaddr): did its discovers get an answer,
 * and how did its last transaction end?  RFC 2131 3.1: a client that gets
 * a NAK starts again with a DISCOVER (a new xid), so the client, not the
 * xid, is what has or has not got a lease; the last ACK or NAK it received
 * is its outcome.
 */
struct netmap_dhcp_client {
	uint8_t		mac[6];
	uint32_t	discovers, requests, offers, acks, naks;
	uint8_t		last_reply;	/* 5 ACK, 6 NAK, 0 neither yet */
	uint8_t		nak_server[4];	/* who sent its last NAK */
};

/* One (name, answer) pair seen, or one failure rcode for a name. */
struct netmap_dns {
	char		name[NETMAP_NAME_MAX];
	uint16_t	type;		/* 1 A, 28 AAAA, 5 CNAME, 0 failure */
	uint8_t		rcode;
	uint8_t		family;		/* 4 or 6 for A/AAAA */
	uint8_t		addr[16];
	char		target[NETMAP_NAME_MAX];	/* CNAME */
	uint32_t	ttl;		/* last seen */
	uint32_t	count;
	uint8_t		server[16];	/* who answered */
	uint8_t		server_family;
};

struct netmap_http {
	int		status;
	char		location[NETMAP_NAME_MAX];
	uint8_t		server[16];
	uint8_t		server_family;
	uint16_t	server_port;
	uint32_t	count;
};

/*
 * A TCP connection attempt to port 5683.  `first_server_len` is the payload
 * length of the first cloud->device segment with data (-1: none yet): the
 * Particle cloud sends exactly 40 bytes of nonce first.
 */
struct netmap_flow {
	uint8_t		family;
	uint8_t		device[16], cloud[16];
	uint16_t	device_port, cloud_port;
	uint32_t	syn, syn_ack, rst_from_cloud, rst_from_device, fin;
	uint32_t	device_segments;	/* device->cloud with data */
	uint64_t	device_bytes, cloud_bytes;
	long		first_server_len;
	bool		device_spoke_first;	/* device sent data before any
						 * cloud data */
};

enum netmap_flow_outcome {
	NETMAP_FLOW_UNANSWERED,	/* SYN only */
	NETMAP_FLOW_REJECTED,	/* RST from the cloud side, no SYN-ACK */
	NETMAP_FLOW_ACCEPTED,	/* SYN-ACK, no data yet */
	NETMAP_FLOW_NONCE,	/* first cloud segment: 40 bytes */
	NETMAP_FLOW_INTERCEPTED,/* accepted, then not a nonce */
	NETMAP_FLOW_PARTIAL	/* joined mid-stream: no SYN seen */
};

struct netmap_device {
	char		id[25];		/* 24 lowercase hex digits */
	uint8_t		family;
	uint8_t		addr[16];
	uint8_t		mac[6];
	bool		has_mac;
	uint32_t	count;
};

/*
 * A join step with a code: an authentication or (re)association response
 * with its status, a deauthentication or disassociation with its reason.
 * Identical (kind, bssid, sender, code) events are counted, not repeated.
 */
enum netmap_event_kind {
	NETMAP_EV_AUTH,		/* status code */
	NETMAP_EV_ASSOC_RESP,	/* status code */
	NETMAP_EV_DEAUTH,	/* reason code */
	NETMAP_EV_DISASSOC	/* reason code */
};

struct netmap_event {
	uint8_t		kind;		/* enum netmap_event_kind */
	uint8_t		bssid[6];
	uint8_t		from[6];	/* transmitter */
	uint8_t		to[6];		/* receiver */
	uint16_t	code;
	uint32_t	count;
};

struct netmap_overflow {
	uint32_t	bss, clients, dhcp_servers, dhcp_clients, dns, http,
			flows, devices, events;
	uint32_t	bss_wanted;	/* of bss: frames of the wanted SSID */
	uint32_t	scan_bss;	/* live scan entries the scan's own
					 * table did not keep (of them,
					 * bss_wanted counts the wanted's) */
};

/* The network the user asked about (--ssid), kept when the table fills. */
struct netmap_want {
	bool		set;
	uint8_t		ssid[NETMAP_SSID_MAX];
	size_t		ssid_len;
	bool		seen;		/* a beacon or probe response named it */
};

/* Open-addressing index: twice the table, so probes stay short. */
#define NETMAP_HASH_SLOTS	(2 * NETMAP_BSS_MAX)

struct netmap {
	struct netmap_bss	 bss[NETMAP_BSS_MAX];
	size_t			 nbss;
	struct netmap_net	 net[NETMAP_BSS_MAX];
	size_t			 nnet;		/* after netmap_group() */
	struct netmap_client	 client[NETMAP_CLIENTS_MAX];
	size_t			 nclient;
	struct netmap_dhcp_server dhcp_server[NETMAP_DHCP_SERVERS_MAX];
	size_t			 ndhcp_server;
	struct netmap_dhcp_client dhcp_client[NETMAP_DHCP_CLIENTS_MAX];
	size_t			 ndhcp_client;
	struct netmap_dns	 dns[NETMAP_DNS_MAX];
	size_t			 ndns;
	struct netmap_http	 http[NETMAP_HTTP_MAX];
	size_t			 nhttp;
	struct netmap_flow	 flow[NETMAP_FLOWS_MAX];
	size_t			 nflow;
	struct netmap_device	 device[NETMAP_DEVICES_MAX];
	size_t			 ndevice;
	struct netmap_event	 event[NETMAP_EVENTS_MAX];
	size_t			 nevent;
	struct netmap_overflow	 overflow;
	struct netmap_want	 want;
	/* The last BSS, client and event touched, + 1 (0 = none): frames
	 * come in runs from one station, so most lookups stop here. */
	uint16_t		 last_bss, last_client, last_event;
	/* hash slot -> index + 1 (0 = empty), for BSSes and clients */
	uint16_t		 bss_slot[NETMAP_HASH_SLOTS];
	uint16_t		 client_slot[2 * NETMAP_CLIENTS_MAX];
	uint16_t		 event_slot[4 * NETMAP_EVENTS_MAX];
	/* Each station's join, step by step (wifi_join.h). */
	struct wifi_join	 join;
};

/*
 * Allocate an empty map (one calloc of sizeof(struct netmap), ~650 KB), or
 * NULL when out of memory.  Pair with netmap_free(); netmap_free(NULL) is a
 * no-op.  netmap_reset() empties a map for reuse.
 */
struct netmap	*netmap_new(void);
void		 netmap_free(struct netmap *nm);
void		 netmap_reset(struct netmap *nm);

/*
 * Name the network the user asked about (raw SSID bytes, up to 32): its
 * BSSes may use the last NETMAP_BSS_RESERVE slots, which other BSSes may
 * not, and nm->want.seen records whether any frame named it, kept or not.
 * Survives netmap_reset().  Returns -1 when the SSID is over 32 bytes.
 */
int		 netmap_want_ssid(struct netmap *nm, const uint8_t *ssid,
		    size_t len);

/*
 * A join step (wifi_join_step()) of station `sta` with BSS `bssid`: when a
 * network is wanted, a station of one of its BSSes (known from a beacon or
 * probe response already seen) may take the station table's reserve,
 * others may not.  A station of a BSS with no beacon or probe response
 * yet may take it too; netmap_bss_observe() then tells the table which
 * network it is (wifi_join_decide()).
 */
void		 netmap_join_step(struct netmap *nm, const uint8_t sta[6],
		    const uint8_t bssid[6], const struct wifi_join_step *s);

/* True when some table dropped entries (nm->overflow is not all zero). */
bool		 netmap_overflowed(const struct netmap *nm);

/*
 * The BSS with this BSSID, created empty on first use; NULL when the table
 * is full (counted in overflow.bss; the reserve of the wanted SSID does not
 * count here) or the BSSID is not a unicast address (group bit set, or all
 * zero).  Valid while nm is.
 */
struct netmap_bss *netmap_bss(struct netmap *nm, const uint8_t bssid[6]);

/* Lookup only: the BSS, or NULL when it is not in the table. */
const struct netmap_bss *netmap_bss_find(const struct netmap *nm,
		    const uint8_t bssid[6]);

/*
 * Fold a beacon or probe response's facts into the BSS of obs->bssid
 * (created on first use): the first observation is copied, later ones
 * merged with wifi_bss_merge().  A BSS of the wanted SSID may take the
 * reserved slots.  Returns the BSS, or NULL when the table is full or the
 * BSSID is not unicast.
 */
struct netmap_bss *netmap_bss_observe(struct netmap *nm,
		    const struct wifi_bss *obs);

/*
 * Note a frame between client `mac` and BSS `bssid` (either may be NULL
 * for "unknown BSS").  Creates the client on first use (overflow counted),
 * counts a new client once on its BSS.  Returns the client or NULL.
 */
struct netmap_client *netmap_client(struct netmap *nm, const uint8_t mac[6],
		    const uint8_t bssid[6]);

/*
 * DHCP: fold in one message.  `type` is the option 53 type, `client_mac`
 * the chaddr, `src_mac` the frame's sender (NULL when unknown) and the
 * offer fields those of the reply.  Servers are keyed by server id, else by
 * `src_ip` (4 bytes).  Only replies (OFFER, ACK, NAK) create servers.
 */
struct netmap_dhcp_reply {
	uint8_t		 type;
	uint8_t		 server_id[4];	/* option 54, or the source address */
	const uint8_t	*src_mac;	/* may be NULL */
	const uint8_t	*yiaddr;	/* 4 bytes */
	const uint8_t	*mask, *router, *dns;	/* 4 bytes each, or NULL */
	bool		 has_lease;
	uint32_t	 lease;
	const char	*domain;	/* may be NULL */
	size_t		 domain_len;
	const char	*captive_portal;	/* may be NULL */
	size_t		 captive_portal_len;
	const char	*message;	/* option 56, may be NULL */
	size_t		 message_len;
};
void		 netmap_dhcp(struct netmap *nm, const uint8_t client_mac[6],
		    const struct netmap_dhcp_reply *m);

/*
 * How a DHCP client's exchange ended, from what the capture holds:
 * "lease" (its last ACK/NAK was an ACK), "refused" (a NAK, and no ACK
 * after it), "offered" (OFFERs, neither ACK nor NAK), "no_reply_seen" (it
 * asked, the capture holds no reply), "none" (nothing from it or to it).
 */
const char	*netmap_dhcp_outcome(const struct netmap_dhcp_client *c);

/*
 * DNS: one answer (type A/AAAA/CNAME with its data), or a failure for a
 * name (type 0, rcode != 0).  Identical pairs are counted, not repeated.
 * `server` is the responder's address (family 4 or 6), may be NULL.
 */
void		 netmap_dns(struct netmap *nm, const char *name, uint16_t type,
		    uint8_t rcode, int family, const uint8_t *addr,
		    const char *target, uint32_t ttl, int server_family,
		    const uint8_t *server);

/* HTTP: a redirect (or any status worth keeping) from a server. */
void		 netmap_http(struct netmap *nm, int status,
		    const char *location, size_t location_len,
		    int server_family, const uint8_t *server,
		    uint16_t server_port);

/*
 * TCP 5683: one segment.  `from_cloud` says its direction; `flags` are the
 * TCP flags (TH_ bits as in ip.h), `payload_len` its data.  Flows are keyed
 * by both ends; a flow whose SYN was not seen is created all the same.
 */
void		 netmap_flow(struct netmap *nm, int family,
		    const uint8_t *device, uint16_t device_port,
		    const uint8_t *cloud, uint16_t cloud_port,
		    bool from_cloud, uint8_t flags, size_t payload_len);

enum netmap_flow_outcome netmap_flow_outcome(const struct netmap_flow *f);
/* "unanswered", "rejected", "accepted", "nonce", "intercepted", "partial" */
const char	*netmap_flow_outcome_name(enum netmap_flow_outcome o);

/* Note a join step and its status or reason code (see netmap_event). */
void		 netmap_event(struct netmap *nm, enum netmap_event_kind kind,
		    const uint8_t bssid[6], const uint8_t from[6],
		    const uint8_t to[6], uint16_t code);

/* "auth", "assoc-resp", "deauth", "disassoc". */
const char	*netmap_event_kind_name(enum netmap_event_kind k);

/* A Particle presence announcement from `addr` carrying device `id_hex`. */
void		 netmap_device(struct netmap *nm, const char *id_hex,
		    int family, const uint8_t *addr, const uint8_t *mac);

/*
 * Group the BSSes into networks by SSID (after the last frame; it may be
 * called again after more frames).  Networks come out sorted by SSID bytes,
 * hidden ones last in BSSID order, and each network's BSSes in BSSID order,
 * so output is deterministic whatever the frame order.
 */
void		 netmap_group(struct netmap *nm);

#endif /* NETMAP_H */
