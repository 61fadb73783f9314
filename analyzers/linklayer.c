/*
 * linklayer.c - link-layer decapsulation: Ethernet with VLAN tags and 802.3
 * LLC/SNAP, Linux cooked SLL/SLL2, raw IP and BSD null/loopback, plus the
 * names of every link type the project reads.  See linklayer.h.
 * Layouts: IEEE 802.3 / 802.1Q, https://www.tcpdump.org/linktypes/
 * LINKTYPE_LINUX_SLL.html and LINKTYPE_LINUX_SLL2.html, LINKTYPE_NULL.
 */
#include <string.h>

#include "cursor.h"
#include "linklayer.h"

struct dlt_desc {
	int			 dlt;
	const char		*name;
	enum linklayer_kind	 kind;
};

/* LINKTYPE_ values; 12 and 14 are the DLT_RAW numbers of other systems. */
static const struct dlt_desc dlt_table[] = {
	{ 0,	"NULL",			LINKLAYER_WIRED },
	{ 1,	"EN10MB",		LINKLAYER_WIRED },
	{ 12,	"RAW",			LINKLAYER_WIRED },
	{ 14,	"RAW",			LINKLAYER_WIRED },
	{ 101,	"RAW",			LINKLAYER_WIRED },
	{ 105,	"IEEE802_11",		LINKLAYER_WIFI },
	{ 108,	"LOOP",			LINKLAYER_WIRED },
	{ 113,	"LINUX_SLL",		LINKLAYER_WIRED },
	{ 119,	"PRISM_HEADER",		LINKLAYER_WIFI },
	{ 127,	"IEEE802_11_RADIO",	LINKLAYER_WIFI },
	{ 163,	"IEEE802_11_RADIO_AVS",	LINKLAYER_WIFI },
	{ 192,	"PPI",			LINKLAYER_WIFI },
	{ 228,	"IPV4",			LINKLAYER_WIRED },
	{ 229,	"IPV6",			LINKLAYER_WIRED },
	{ 276,	"LINUX_SLL2",		LINKLAYER_WIRED },
};

static const struct dlt_desc *
dlt_find(int dlt)
{
	size_t i;

	for (i = 0; i < sizeof(dlt_table) / sizeof(dlt_table[0]); i++)
		if (dlt_table[i].dlt == dlt)
			return &dlt_table[i];
	return NULL;
}

bool
linklayer_known(int dlt)
{
	return dlt_find(dlt) != NULL;
}

enum linklayer_kind
linklayer_kind(int dlt)
{
	const struct dlt_desc *d = dlt_find(dlt);

	return d != NULL ? d->kind : LINKLAYER_UNKNOWN;
}

const char *
linklayer_name(int dlt)
{
	const struct dlt_desc *d = dlt_find(dlt);

	return d != NULL ? d->name : NULL;
}

const char *
linklayer_ethertype_name(uint16_t ethertype)
{
	switch (ethertype) {
	case ETHERTYPE_IPV4:	return "IPv4";
	case ETHERTYPE_ARP:	return "ARP";
	case ETHERTYPE_VLAN:	return "802.1Q";
	case ETHERTYPE_IPV6:	return "IPv6";
	case ETHERTYPE_QINQ:	return "802.1ad";
	case ETHERTYPE_EAPOL:	return "EAPOL";
	default:		return NULL;
	}
}

int
linklayer_llc_snap(const uint8_t *buf, size_t len, uint16_t *ethertype,
    const uint8_t **payload, size_t *payload_len)
{
	struct cursor c = cur_init(buf, len);
	const uint8_t *llc, *oui;

	if (!cur_take(&c, 3, &llc) || !cur_take(&c, 3, &oui))
		return -1;
	/* SNAP with the RFC 1042 OUI or 802.1H bridge-tunnel OUI. */
	if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03 ||
	    oui[0] != 0 || oui[1] != 0 || (oui[2] != 0 && oui[2] != 0xf8))
		return -1;
	*ethertype = cur_be16(&c);
	if (c.bad)
		return -1;
	*payload = c.p;
	*payload_len = cur_left(&c);
	return 0;
}

/* Family from the IP version nibble, for link types that carry no type. */
static uint16_t
ethertype_from_version(const struct cursor *c)
{
	if (cur_left(c) == 0)
		return 0;
	switch (c->p[0] >> 4) {
	case 4:		return ETHERTYPE_IPV4;
	case 6:		return ETHERTYPE_IPV6;
	default:	return 0;
	}
}

static void
decode_ether(struct cursor *c, struct linklayer_frame *out)
{
	uint16_t type;
	const uint8_t *rest;
	size_t rest_len;

	cur_copy(c, out->dst, 6);
	cur_copy(c, out->src, 6);
	type = cur_be16(c);
	if (c->bad)
		return;
	out->has_mac = true;
	/* 0x9100: the pre-802.1ad QinQ tag some switches still send. */
	while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == 0x9100) && out->n_vlan < LINKLAYER_VLAN_MAX) {
		uint16_t tci = cur_be16(c);

		if (out->n_vlan == 0)
			out->vlan_id = tci & 0x0fff;
		out->n_vlan++;
		type = cur_be16(c);
	}
	if (c->bad)
		return;
	/* 802.3: a length, not a type; LLC follows (IEEE 802.3 3.2.6). */
	if (type <= 1500) {
		size_t n = cur_left(c) < type ? cur_left(c) : type;

		if (linklayer_llc_snap(c->p, n, &type, &rest, &rest_len) != 0)
			type = 0;
		else {
			cur_skip(c, (size_t)(rest - c->p));
			c->left = rest_len;
		}
	}
	out->ethertype = type;
}

/*
 * BSD loopback: a 4-byte address family, in the capturing host's order for
 * DLT_NULL.  As tcpdump does, a value with bits in the upper half is taken
 * to be byte-swapped.  AF_INET6 differs between systems.
 */
static uint16_t
ethertype_from_af(uint32_t af)
{
	if ((af & 0xffff0000u) != 0)
		af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) |
		    (af << 24);
	switch (af) {
	case 2:
		return ETHERTYPE_IPV4;
	case 10: case 23: case 24: case 28: case 30:
		return ETHERTYPE_IPV6;
	default:
		return 0;
	}
}

int
linklayer_decode(int dlt, const uint8_t *buf, size_t caplen,
    struct linklayer_frame *out)
{
	struct cursor c = cur_init(buf, caplen);
	uint16_t proto;
	uint16_t halen;
	uint8_t addr[8];

	memset(out, 0, sizeof(*out));
	out->dlt = dlt;
	out->sll_pkttype = -1;
	switch (dlt) {
	case 1:
		decode_ether(&c, out);
		break;
	case 0:
		out->ethertype = ethertype_from_af(cur_le32(&c));
		break;
	case 108:
		out->ethertype = ethertype_from_af(cur_be32(&c));
		break;
	case 12: case 14: case 101:
		out->ethertype = ethertype_from_version(&c);
		break;
	case 228:
		out->ethertype = ETHERTYPE_IPV4;
		break;
	case 229:
		out->ethertype = ETHERTYPE_IPV6;
		break;
	case 113:
		out->sll_pkttype = cur_be16(&c);
		cur_skip(&c, 2);		/* ARPHRD_ type */
		halen = cur_be16(&c);
		cur_copy(&c, addr, 8);
		proto = cur_be16(&c);
		if (halen == 6)
			memcpy(out->src, addr, 6);
		goto cooked;
	case 276:
		proto = cur_be16(&c);
		cur_skip(&c, 2 + 4 + 2);	/* reserved, ifindex, hatype */
		out->sll_pkttype = cur_u8(&c);
		halen = cur_u8(&c);
		cur_copy(&c, addr, 8);
		if (halen == 6)
			memcpy(out->src, addr, 6);
	cooked:
		/*
		 * Protocol 4 is an 802.2 frame with LLC; values up to 1500
		 * other than that are Linux pseudo-types with no IP inside.
		 */
		if (proto == 0x0004 && !c.bad) {
			const uint8_t *rest;
			size_t rest_len;

			if (linklayer_llc_snap(c.p, cur_left(&c), &proto,
			    &rest, &rest_len) == 0) {
				cur_skip(&c, (size_t)(rest - c.p));
			} else
				proto = 0;
		} else if (proto <= 1500)
			proto = 0;
		out->ethertype = proto;
		break;
	default:
		return -1;
	}
	if (c.bad) {
		out->ethertype = 0;
		out->has_mac = false;
		return -1;
	}
	out->payload = c.p;
	out->len = cur_left(&c);
	return 0;
}
