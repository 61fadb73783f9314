/*
 * dhcp.c - BOOTP/DHCP parsing (RFC 2131, RFC 2132, RFC 3396 long options,
 * RFC 8910 captive portal) and the DISCOVER builder.  See dhcp.h.
 */
#include <string.h>

#include "cursor.h"
#include "dhcp.h"
#include "ip.h"

/*
 * Options that may be split over several instances (RFC 3396) are gathered
 * here before they are interpreted, so a router list cut in the middle of
 * an address still reads right.
 */
struct dhcp_gather {
	uint8_t		routers[DHCP_ADDRS_MAX * 4];
	size_t		n_routers;
	uint8_t		dns[DHCP_ADDRS_MAX * 4];
	size_t		n_dns;
};

static const char *const dhcp_type_names[] = {
	NULL, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
	"RELEASE", "INFORM", "FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED",
	"LEASEUNKNOWN", "LEASEACTIVE", "BULKLEASEQUERY", "LEASEQUERYDONE",
	"ACTIVELEASEQUERY", "LEASEQUERYSTATUS", "TLS",
};

const char *
dhcp_type_name(uint8_t type)
{
	if (type >= sizeof(dhcp_type_names) / sizeof(dhcp_type_names[0]))
		return NULL;
	return dhcp_type_names[type];
}

static void
text_append(struct dhcp_text *t, const uint8_t *p, size_t n)
{
	size_t room = DHCP_TEXT_MAX - t->len;

	if (n > room) {
		t->truncated = true;
		n = room;
	}
	memcpy(t->s + t->len, p, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void
bytes_append(uint8_t *dst, size_t *have, size_t cap, const uint8_t *p,
    size_t n)
{
	if (n > cap - *have)
		n = cap - *have;
	memcpy(dst + *have, p, n);
	*have += n;
}

/* A 4-byte address or number at the start of an option body. */
static bool
opt_addr(struct cursor *body, uint8_t dst[4])
{
	const uint8_t *q;

	if (!cur_take(body, 4, &q))
		return false;
	memcpy(dst, q, 4);
	return true;
}

static bool
opt_u32(struct cursor *body, uint32_t *v)
{
	uint32_t x = cur_be32(body);

	if (body->bad)
		return false;
	*v = x;
	return true;
}

/* One option's body, already split off as its own cursor. */
static void
dhcp_option(uint8_t code, struct cursor *body, bool main_field,
    struct dhcp_msg *out, struct dhcp_gather *g)
{
	/* Lists and text take the whole body as a view. */
	size_t n = cur_left(body);
	const uint8_t *p = body->p;
	uint32_t u;

	switch (code) {
	case DHO_MESSAGE_TYPE:
		if (n >= 1)
			out->type = cur_u8(body);
		break;
	case DHO_OVERLOAD:
		/* Only the options field may ask for overload (RFC 2131). */
		if (n >= 1 && main_field)
			out->overload = cur_u8(body) & 3;
		break;
	case DHO_SUBNET_MASK:
		if (opt_addr(body, out->mask))
			out->has_mask = true;
		break;
	case DHO_SERVER_ID:
		if (opt_addr(body, out->server_id))
			out->has_server_id = true;
		break;
	case DHO_REQUESTED_ADDRESS:
		if (opt_addr(body, out->requested))
			out->has_requested = true;
		break;
	case DHO_ROUTERS:
		bytes_append(g->routers, &g->n_routers, sizeof(g->routers),
		    p, n);
		break;
	case DHO_DOMAIN_NAME_SERVERS:
		bytes_append(g->dns, &g->n_dns, sizeof(g->dns), p, n);
		break;
	case DHO_LEASE_TIME:
		if (opt_u32(body, &out->lease))
			out->has_lease = true;
		break;
	case DHO_RENEWAL_TIME:
		if (opt_u32(body, &out->renewal))
			out->has_renewal = true;
		break;
	case DHO_REBINDING_TIME:
		if (opt_u32(body, &out->rebinding))
			out->has_rebinding = true;
		break;
	case DHO_TIME_OFFSET:
		if (opt_u32(body, &u)) {
			out->time_offset = (int32_t)u;
			out->has_time_offset = true;
		}
		break;
	case DHO_DOMAIN_NAME:
		text_append(&out->domain, p, n);
		break;
	case DHO_HOST_NAME:
		text_append(&out->hostname, p, n);
		break;
	case DHO_CAPTIVE_PORTAL:
		text_append(&out->captive_portal, p, n);
		break;
	case DHO_VENDOR_CLASS_ID:
		text_append(&out->vendor_class, p, n);
		break;
	case DHO_MESSAGE:
		text_append(&out->message, p, n);
		break;
	case DHO_PARAM_REQUEST_LIST: {
		size_t have = out->n_params;

		bytes_append(out->params, &have, sizeof(out->params), p, n);
		out->n_params = (uint8_t)have;
		break;
	}
	default:
		break;
	}
}

/*
 * Walk one options area (RFC 2132 2): code, length, body; PAD and END are
 * single bytes.  Returns true when END was seen.
 */
static bool
dhcp_options(struct cursor c, bool main_field, struct dhcp_msg *out,
    struct dhcp_gather *g)
{
	while (cur_left(&c) > 0) {
		uint8_t code = cur_u8(&c);
		uint8_t len;
		struct cursor body;

		if (code == DHO_PAD)
			continue;
		if (code == DHO_END)
			return true;
		len = cur_u8(&c);
		body = cur_sub(&c, len);
		if (c.bad) {
			out->truncated = true;
			return false;
		}
		out->n_options++;
		dhcp_option(code, &body, main_field, out, g);
	}
	return false;
}

static size_t
dhcp_addrs(uint8_t (*dst)[4], const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n / 4 && i < DHCP_ADDRS_MAX; i++)
		memcpy(dst[i], src + 4 * i, 4);
	return i;
}

int
dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out)
{
	struct cursor c = cur_init(buf, len);
	struct cursor sname, file;
	struct dhcp_gather g;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	out->op = cur_u8(&c);
	out->htype = cur_u8(&c);
	out->hlen = cur_u8(&c);
	out->hops = cur_u8(&c);
	out->xid = cur_be32(&c);
	out->secs = cur_be16(&c);
	out->flags = cur_be16(&c);
	cur_copy(&c, out->ciaddr, 4);
	cur_copy(&c, out->yiaddr, 4);
	cur_copy(&c, out->siaddr, 4);
	cur_copy(&c, out->giaddr, 4);
	cur_copy(&c, out->chaddr, 16);
	sname = cur_sub(&c, 64);
	file = cur_sub(&c, 128);
	if (c.bad || (out->op != 1 && out->op != 2)) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (out->htype == 1 && out->hlen == 6) {
		memcpy(out->client_mac, out->chaddr, 6);
		out->has_client_mac = true;
	}
	/* Plain BOOTP has no cookie; that is not an error. */
	if (cur_left(&c) < 4 || cur_be32(&c) != DHCP_MAGIC)
		return 0;
	out->is_dhcp = true;
	if (!dhcp_options(c, true, out, &g))
		out->truncated = true;
	/* RFC 2131 4.1: options, then file, then sname. */
	if (out->overload & 1)
		dhcp_options(file, false, out, &g);
	if (out->overload & 2)
		dhcp_options(sname, false, out, &g);
	out->n_routers = dhcp_addrs(out->routers, g.routers, g.n_routers);
	out->n_dns = dhcp_addrs(out->dns, g.dns, g.n_dns);
	return 0;
}

/* Writer for the builder: stops at the end of the buffer, sticky. */
struct dhcp_out {
	uint8_t		*p;
	size_t		 size, len;
	bool		 bad;
};

static void
out_bytes(struct dhcp_out *o, const void *src, size_t n)
{
	if (o->bad || n > o->size - o->len) {
		o->bad = true;
		return;
	}
	memcpy(o->p + o->len, src, n);
	o->len += n;
}

static void
out_u8(struct dhcp_out *o, uint8_t v)
{
	out_bytes(o, &v, 1);
}

static void
out_be32(struct dhcp_out *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	out_bytes(o, b, 4);
}

static void
out_zero(struct dhcp_out *o, size_t n)
{
	while (n-- > 0 && !o->bad)
		out_u8(o, 0);
}

size_t
dhcp_build_client(uint8_t *buf, size_t size, const struct dhcp_client_msg *m)
{
	/* What the device needs to know, plus 114 to see a portal. */
	static const uint8_t params[] = {
		DHO_SUBNET_MASK, DHO_ROUTERS, DHO_DOMAIN_NAME_SERVERS,
		DHO_DOMAIN_NAME, DHO_LEASE_TIME, DHO_SERVER_ID,
		DHO_RENEWAL_TIME, DHO_REBINDING_TIME, DHO_CAPTIVE_PORTAL,
	};
	struct dhcp_out o = { buf, size, 0, false };
	size_t hn = m->hostname != NULL ? strlen(m->hostname) : 0;

	out_u8(&o, 1);			/* BOOTREQUEST */
	out_u8(&o, 1);			/* Ethernet */
	out_u8(&o, 6);
	out_u8(&o, 0);
	out_be32(&o, m->xid);
	out_u8(&o, (uint8_t)(m->secs >> 8));
	out_u8(&o, (uint8_t)m->secs);
	/* Broadcast flag: we cannot receive unicast before we have an
	 * address on a raw socket (RFC 2131 4.1). */
	out_u8(&o, m->broadcast ? 0x80 : 0x00);
	out_u8(&o, 0x00);
	out_bytes(&o, m->ciaddr, 4);
	out_zero(&o, 12);		/* yiaddr siaddr giaddr */
	out_bytes(&o, m->mac, 6);
	out_zero(&o, 10 + 64 + 128);	/* chaddr pad, sname, file */
	out_be32(&o, DHCP_MAGIC);
	out_u8(&o, DHO_MESSAGE_TYPE);
	out_u8(&o, 1);
	out_u8(&o, m->type);
	out_u8(&o, DHO_CLIENT_ID);
	out_u8(&o, 7);
	out_u8(&o, 1);
	out_bytes(&o, m->mac, 6);
	if (m->has_requested) {
		out_u8(&o, DHO_REQUESTED_ADDRESS);
		out_u8(&o, 4);
		out_bytes(&o, m->requested, 4);
	}
	if (m->has_server_id) {
		out_u8(&o, DHO_SERVER_ID);
		out_u8(&o, 4);
		out_bytes(&o, m->server_id, 4);
	}
	if (m->type != DHCPRELEASE) {
		out_u8(&o, DHO_MAX_MESSAGE_SIZE);
		out_u8(&o, 2);
		out_u8(&o, 1500 >> 8);
		out_u8(&o, 1500 & 0xff);
		out_u8(&o, DHO_PARAM_REQUEST_LIST);
		out_u8(&o, sizeof(params));
		out_bytes(&o, params, sizeof(params));
	}
	if (hn > 0) {
		if (hn > 255)
			hn = 255;
		out_u8(&o, DHO_HOST_NAME);
		out_u8(&o, (uint8_t)hn);
		out_bytes(&o, m->hostname, hn);
	}
	out_u8(&o, DHO_END);
	/* RFC 1542 3.2: some relays drop BOOTP messages under 300 bytes. */
	if (o.len < 300)
		out_zero(&o, 300 - o.len);
	return o.bad ? 0 : o.len;
}

size_t
dhcp_build_discover(uint8_t *buf, size_t size, const uint8_t mac[6],
    uint32_t xid, uint16_t secs, const char *hostname)
{
	struct dhcp_client_msg m;

	memset(&m, 0, sizeof(m));
	m.type = DHCPDISCOVER;
	memcpy(m.mac, mac, 6);
	m.xid = xid;
	m.secs = secs;
	m.broadcast = true;
	m.hostname = hostname;
	return dhcp_build_client(buf, size, &m);
}

size_t
dhcp_build_frame(uint8_t *buf, size_t size, const uint8_t mac[6],
    const uint8_t *msg, size_t msg_len)
{
	static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff };
	static const uint8_t any[4] = { 0, 0, 0, 0 };
	static const uint8_t bcast[4] = { 255, 255, 255, 255 };

	return ip_build_udp4_frame(buf, size, bcast_mac, mac, any, bcast,
	    DHCP_CLIENT_PORT, DHCP_SERVER_PORT, msg, msg_len);
}
