/*
 * dhcp.h - BOOTP/DHCP messages (RFC 951, RFC 2131, options RFC 2132): parse
 * what a server offers, and build the DISCOVER the probe broadcasts.
 *
 * The parser reads the options field, then, when option 52 (overload) asks
 * for it, the `file` and then the `sname` field, in the order RFC 2131
 * section 4.1 gives.  An option that appears more than once is concatenated
 * (RFC 3396).  Text options are copied into the struct, bounded, so the
 * result does not depend on the packet buffer; they are raw bytes from the
 * wire with a length, and must be escaped before they are shown.
 */
#ifndef DHCP_H
#define DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define DHCP_MAGIC		0x63825363u
#define DHCP_FIXED_LEN		236	/* BOOTP header before the cookie */
/*
 * An OFFER later than this after the first DISCOVER is dhcp.slow_offer
 * (info), in diagnose and in `qa test dhcp-time` alike: stock servers
 * ping (dnsmasq up to 3 s, ISC dhcpd 1 s) or ARP (udhcpd 2 s) first.
 */
#define DHCP_SLOW_OFFER_S	1.0

/* Message types, option 53 (RFC 2132 9.6, RFC 4388, RFC 6926, ...). */
#define DHCPDISCOVER		1
#define DHCPOFFER		2
#define DHCPREQUEST		3
#define DHCPDECLINE		4
#define DHCPACK			5
#define DHCPNAK			6
#define DHCPRELEASE		7
#define DHCPINFORM		8

/* Option codes used here. */
#define DHO_PAD			0
#define DHO_SUBNET_MASK		1
#define DHO_TIME_OFFSET		2
#define DHO_ROUTERS		3
#define DHO_DOMAIN_NAME_SERVERS	6
#define DHO_HOST_NAME		12
#define DHO_DOMAIN_NAME		15
#define DHO_REQUESTED_ADDRESS	50
#define DHO_LEASE_TIME		51
#define DHO_OVERLOAD		52
#define DHO_MESSAGE_TYPE	53
#define DHO_SERVER_ID		54
#define DHO_PARAM_REQUEST_LIST	55
#define DHO_MESSAGE		56
#define DHO_MAX_MESSAGE_SIZE	57
#define DHO_RENEWAL_TIME	58
#define DHO_REBINDING_TIME	59
#define DHO_VENDOR_CLASS_ID	60
#define DHO_CLIENT_ID		61
#define DHO_CAPTIVE_PORTAL	114	/* RFC 8910 */
#define DHO_END			255

#define DHCP_ADDRS_MAX		8	/* routers / DNS servers kept */
#define DHCP_TEXT_MAX		255	/* bytes kept of a text option */

/* A text option: raw bytes, NUL-terminated for convenience. */
struct dhcp_text {
	size_t		len;
	bool		truncated;	/* longer than DHCP_TEXT_MAX on the wire */
	char		s[DHCP_TEXT_MAX + 1];
};

struct dhcp_msg {
	/* BOOTP header */
	uint8_t		op;		/* 1 request, 2 reply */
	uint8_t		htype, hlen, hops;
	uint32_t	xid;
	uint16_t	secs, flags;	/* flags & 0x8000: broadcast */
	uint8_t		ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
	uint8_t		chaddr[16];
	bool		has_client_mac;	/* htype 1, hlen 6 */
	uint8_t		client_mac[6];
	bool		is_dhcp;	/* magic cookie present */

	/* options */
	uint8_t		type;		/* option 53, 0 when absent (BOOTP) */
	uint8_t		overload;	/* option 52: 1 file, 2 sname, 3 both */
	bool		has_server_id, has_mask, has_requested;
	uint8_t		server_id[4], mask[4], requested[4];
	size_t		n_routers, n_dns;	/* as kept, <= DHCP_ADDRS_MAX */
	uint8_t		routers[DHCP_ADDRS_MAX][4];
	uint8_t		dns[DHCP_ADDRS_MAX][4];
	bool		has_lease, has_renewal, has_rebinding, has_time_offset;
	uint32_t	lease, renewal, rebinding;	/* seconds */
	int32_t		time_offset;
	struct dhcp_text domain;	/* 15 */
	struct dhcp_text hostname;	/* 12 */
	struct dhcp_text captive_portal; /* 114: the RFC 8908 API URI */
	struct dhcp_text vendor_class;	/* 60 */
	struct dhcp_text message;	/* 56: e.g. why a NAK */
	uint8_t		n_params;	/* option 55, as kept */
	uint8_t		params[64];
	unsigned	n_options;	/* options seen, all fields */
	/* An option ran past its field, or the options had no END. */
	bool		truncated;
};

/*
 * Parse a BOOTP/DHCP message (a UDP payload of `len` bytes).  Fills *out
 * (zeroed first).  Returns 0 when the fixed BOOTP header was read (options
 * may still be cut short: see `truncated`), -1 when it is shorter than the
 * header or `op` is not 1 or 2.
 */
int		 dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out);

/* "DISCOVER", "OFFER", ... "NAK", "INFORM", up to 18; NULL if unknown. */
const char	*dhcp_type_name(uint8_t type);

/*
 * Build a complete DHCPDISCOVER (BOOTP header, magic cookie, options 53,
 * 61, 57, 55 requesting 1 3 6 15 51 54 58 59 114, and END, padded to the
 * 300-byte BOOTP minimum) from client `mac` with transaction `xid`, the
 * broadcast flag set and `secs` elapsed.  `hostname` (option 12) may be
 * NULL.  Returns the length written, or 0 when `size` is too small.  It
 * builds no REQUEST: `diagnose` never takes a lease (`qa test dhcp-time`,
 * which does, builds its messages with dhcp_build_client).
 */
size_t		 dhcp_build_discover(uint8_t *buf, size_t size,
		    const uint8_t mac[6], uint32_t xid, uint16_t secs,
		    const char *hostname);

/*
 * A client message at any point of a lease's life (RFC 2131 4.3.2, 4.4.5):
 * DISCOVER; REQUEST when SELECTING (requested + server id, broadcast),
 * INIT-REBOOT (requested, broadcast), RENEWING (ciaddr, unicast) or
 * REBINDING (ciaddr, broadcast); RELEASE (ciaddr + server id).
 */
struct dhcp_client_msg {
	uint8_t		type;		/* DHCPDISCOVER, DHCPREQUEST, ... */
	uint8_t		mac[6];
	uint32_t	xid;
	uint16_t	secs;
	bool		broadcast;	/* the flag: no address to receive on */
	uint8_t		ciaddr[4];	/* 0.0.0.0 unless bound */
	bool		has_requested, has_server_id;
	uint8_t		requested[4];	/* option 50 */
	uint8_t		server_id[4];	/* option 54 */
	const char	*hostname;	/* option 12; NULL: none */
};

/*
 * Build the message (BOOTP header, cookie, options 53, 61, [50], [54], and
 * but for RELEASE 57 and 55 as dhcp_build_discover, [12], END, padded to
 * 300 bytes).  Returns the length, or 0 when `size` is too small.
 */
size_t		 dhcp_build_client(uint8_t *buf, size_t size,
		    const struct dhcp_client_msg *m);

/*
 * Wrap a DHCP message into the broadcast frame a client sends before it has
 * an address: Ethernet ff:ff:ff:ff:ff:ff <- `mac`, IPv4 0.0.0.0 ->
 * 255.255.255.255, UDP 68 -> 67, checksums filled in.  Returns the frame
 * length, or 0 when `size` is too small.
 */
size_t		 dhcp_build_frame(uint8_t *buf, size_t size,
		    const uint8_t mac[6], const uint8_t *msg, size_t msg_len);

#endif /* DHCP_H */
