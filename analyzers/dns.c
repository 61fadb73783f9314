/*
 * dns.c - DNS message parsing with bounded name decompression (RFC 1035
 * 4.1.4), the query builder, and address classification by the IANA IPv4
 * and IPv6 special-purpose address registries (RFC 6890).  See dns.h.
 */
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "dns.h"

/* Append to a bounded text buffer; false when it does not fit. */
static bool
name_put(char *out, size_t *n, const char *s, size_t len)
{
	if (len >= DNS_NAME_TEXT_MAX - *n)
		return false;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return true;
}

int
dns_name_decode(const uint8_t *msg, size_t len, size_t off, char *out,
    size_t *next)
{
	size_t pos = off, n = 0, wire = 0;
	int hops = 0;
	bool jumped = false;

	out[0] = '\0';
	for (;;) {
		struct cursor c;
		uint8_t l;
		const uint8_t *label;
		size_t i;

		if (pos >= len)
			return -1;
		c = cur_init(msg + pos, len - pos);
		l = cur_u8(&c);
		if ((l & 0xc0) == 0xc0) {
			size_t target = (size_t)(l & 0x3f) << 8 | cur_u8(&c);

			if (c.bad)
				return -1;
			if (!jumped && next != NULL)
				*next = pos + 2;
			jumped = true;
			/* Forward pointers are legal in practice; only the
			 * hop count stops loops. */
			if (++hops > DNS_PTR_HOPS)
				return -1;
			pos = target;
			continue;
		}
		if ((l & 0xc0) != 0)	/* 0x40 and 0x80: reserved/EDNS0 */
			return -1;
		wire += (size_t)l + 1;
		if (wire > DNS_NAME_WIRE_MAX)
			return -1;
		if (l == 0) {
			if (!jumped && next != NULL)
				*next = pos + 1;
			if (n == 0 && !name_put(out, &n, ".", 1))
				return -1;
			return 0;
		}
		if (!cur_take(&c, l, &label))
			return -1;
		if (n > 0 && !name_put(out, &n, ".", 1))
			return -1;
		for (i = 0; i < l; i++) {
			char esc[5];
			uint8_t ch = label[i];

			if (ch > 0x20 && ch < 0x7f && ch != '.' && ch != '\\') {
				if (!name_put(out, &n, (const char *)&label[i],
				    1))
					return -1;
				continue;
			}
			snprintf(esc, sizeof(esc), "\\%03u", ch);
			if (!name_put(out, &n, esc, 4))
				return -1;
		}
		pos += (size_t)l + 1;
	}
}

/*
 * Decode a name at the cursor and move the cursor past it: 0, -1 for a bad
 * name, -2 when the message ends where the name should start.
 */
static int
dns_name_at(const uint8_t *msg, size_t len, struct cursor *c, char *out)
{
	size_t off, next = 0;

	if (cur_left(c) == 0) {
		c->bad = true;
		return -2;
	}
	off = (size_t)(c->p - msg);
	if (dns_name_decode(msg, len, off, out, &next) != 0) {
		c->bad = true;
		c->left = 0;
		return -1;
	}
	return cur_skip(c, next - off) ? 0 : -1;
}

int
dns_parse(const uint8_t *buf, size_t len, struct dns_msg *out)
{
	struct cursor c = cur_init(buf, len);
	size_t i;
	int r;
	char scratch[DNS_NAME_TEXT_MAX];

	memset(out, 0, sizeof(*out));
	out->id = cur_be16(&c);
	out->flags = cur_be16(&c);
	out->qdcount = cur_be16(&c);
	out->ancount = cur_be16(&c);
	out->nscount = cur_be16(&c);
	out->arcount = cur_be16(&c);
	if (c.bad) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	out->qr = (out->flags & 0x8000) != 0;
	out->opcode = (out->flags >> 11) & 0xf;
	out->aa = (out->flags & 0x0400) != 0;
	out->tc = (out->flags & 0x0200) != 0;
	out->rd = (out->flags & 0x0100) != 0;
	out->ra = (out->flags & 0x0080) != 0;
	out->rcode = out->flags & 0xf;

	for (i = 0; i < out->qdcount; i++) {
		struct dns_question *q = i < DNS_QUESTIONS_MAX ?
		    &out->question[i] : NULL;
		uint16_t type, qclass;

		if ((r = dns_name_at(buf, len, &c, q ? q->name : scratch)) != 0)
			goto fail;
		type = cur_be16(&c);
		qclass = cur_be16(&c);
		if (c.bad)
			goto cut;
		if (q != NULL) {
			q->type = type;
			q->qclass = qclass;
			out->n_questions++;
		}
	}
	for (i = 0; i < out->ancount; i++) {
		struct dns_answer a;
		uint16_t rdlen;
		struct cursor rd;
		bool keep = false;

		memset(&a, 0, sizeof(a));
		if ((r = dns_name_at(buf, len, &c, a.name)) != 0)
			goto fail;
		a.type = cur_be16(&c);
		a.rclass = cur_be16(&c);
		a.ttl = cur_be32(&c);
		rdlen = cur_be16(&c);
		rd = cur_sub(&c, rdlen);
		if (c.bad)
			goto cut;
		if (a.type == DNS_TYPE_A && rdlen == 4) {
			cur_copy(&rd, a.addr, 4);
			keep = true;
		} else if (a.type == DNS_TYPE_AAAA && rdlen == 16) {
			cur_copy(&rd, a.addr, 16);
			keep = true;
		} else if (a.type == DNS_TYPE_CNAME) {
			/* The target may point anywhere in the message. */
			if (dns_name_at(buf, len, &rd, a.target) != 0) {
				out->bad_name = true;
				out->n_skipped++;
				continue;
			}
			keep = true;
		}
		if (keep && out->n_answers < DNS_ANSWERS_MAX)
			out->answer[out->n_answers++] = a;
		else
			out->n_skipped++;
	}
	return 0;
fail:
	/* A bad name ends the walk: what follows cannot be located. */
	if (r == -2)
		out->truncated = true;
	else
		out->bad_name = true;
	return 0;
cut:
	out->truncated = true;
	return 0;
}

size_t
dns_build_query(uint8_t *buf, size_t size, uint16_t id, const char *name,
    uint16_t qtype)
{
	size_t nlen = strlen(name), pos, wire = 1;
	const char *s = name, *dot;

	if (nlen > 0 && name[nlen - 1] == '.')
		nlen--;
	if (nlen == 0 || size < DNS_HDR_LEN)
		return 0;
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01;			/* RD */
	buf[3] = 0x00;
	buf[4] = 0;
	buf[5] = 1;			/* one question */
	memset(buf + 6, 0, 6);
	pos = DNS_HDR_LEN;
	while (s < name + nlen) {
		size_t l;

		dot = memchr(s, '.', (size_t)(name + nlen - s));
		l = dot != NULL ? (size_t)(dot - s) : (size_t)(name + nlen - s);
		if (l == 0 || l > 63)
			return 0;
		wire += l + 1;
		if (wire > DNS_NAME_WIRE_MAX || size - pos < l + 1)
			return 0;
		buf[pos++] = (uint8_t)l;
		memcpy(buf + pos, s, l);
		pos += l;
		s += l + (dot != NULL ? 1 : 0);
		if (dot != NULL && s == name + nlen)
			return 0;	/* "a..": empty last label */
	}
	if (size - pos < 5)
		return 0;
	buf[pos++] = 0;
	buf[pos++] = (uint8_t)(qtype >> 8);
	buf[pos++] = (uint8_t)qtype;
	buf[pos++] = 0;
	buf[pos++] = DNS_CLASS_IN;
	return pos;
}

const char *
dns_rcode_name(uint8_t rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE", "DSOTYPENI",
	};

	return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : NULL;
}

const char *
dns_type_name(uint16_t type)
{
	switch (type) {
	case DNS_TYPE_A:	return "A";
	case DNS_TYPE_NS:	return "NS";
	case DNS_TYPE_CNAME:	return "CNAME";
	case DNS_TYPE_SOA:	return "SOA";
	case DNS_TYPE_PTR:	return "PTR";
	case DNS_TYPE_MX:	return "MX";
	case DNS_TYPE_TXT:	return "TXT";
	case DNS_TYPE_AAAA:	return "AAAA";
	case DNS_TYPE_SRV:	return "SRV";
	case DNS_TYPE_OPT:	return "OPT";
	case 65:		return "HTTPS";
	case 255:		return "ANY";
	default:		return NULL;
	}
}

/* Whether the first `bits` of a and prefix agree. */
static bool
in_prefix(const uint8_t *a, const uint8_t *prefix, unsigned bits)
{
	unsigned i;

	for (i = 0; i < bits / 8; i++)
		if (a[i] != prefix[i])
			return false;
	if (bits % 8 != 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));

		if ((a[i] & mask) != (prefix[i] & mask))
			return false;
	}
	return true;
}

struct addr_range {
	uint8_t			prefix[16];
	unsigned		bits;
	enum dns_addr_class	cls;
};

/* RFC 6890 and the IANA IPv4 special-purpose registry, most specific first. */
static const struct addr_range v4_ranges[] = {
	{ { 255, 255, 255, 255 }, 32, DNS_ADDR_RESERVED },
	{ { 0 }, 8, DNS_ADDR_UNSPECIFIED },
	{ { 10 }, 8, DNS_ADDR_PRIVATE },
	{ { 100, 64 }, 10, DNS_ADDR_CGNAT },
	{ { 127 }, 8, DNS_ADDR_LOOPBACK },
	{ { 169, 254 }, 16, DNS_ADDR_LINK_LOCAL },
	{ { 172, 16 }, 12, DNS_ADDR_PRIVATE },
	{ { 192, 0, 0 }, 24, DNS_ADDR_RESERVED },	/* IETF protocol */
	{ { 192, 0, 2 }, 24, DNS_ADDR_RESERVED },	/* TEST-NET-1 */
	{ { 192, 168 }, 16, DNS_ADDR_PRIVATE },
	{ { 198, 18 }, 15, DNS_ADDR_RESERVED },	/* benchmarking */
	{ { 198, 51, 100 }, 24, DNS_ADDR_RESERVED },	/* TEST-NET-2 */
	{ { 203, 0, 113 }, 24, DNS_ADDR_RESERVED },	/* TEST-NET-3 */
	{ { 224 }, 4, DNS_ADDR_MULTICAST },
	{ { 240 }, 4, DNS_ADDR_RESERVED },
};

static const struct addr_range v6_ranges[] = {
	{ { 0 }, 128, DNS_ADDR_UNSPECIFIED },
	{ { [15] = 1 }, 128, DNS_ADDR_LOOPBACK },
	{ { 0xfc }, 7, DNS_ADDR_PRIVATE },
	{ { 0xfe, 0x80 }, 10, DNS_ADDR_LINK_LOCAL },
	{ { 0xff }, 8, DNS_ADDR_MULTICAST },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, DNS_ADDR_RESERVED },
	{ { 0x01 }, 64, DNS_ADDR_RESERVED },	/* discard-only 100::/64 */
};

enum dns_addr_class
dns_addr_class(int family, const uint8_t *addr)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct addr_range *r;
	size_t i, n;

	if (family == 6 && memcmp(addr, mapped, 12) == 0)
		return dns_addr_class(4, addr + 12);
	if (family == 4) {
		r = v4_ranges;
		n = sizeof(v4_ranges) / sizeof(v4_ranges[0]);
	} else if (family == 6) {
		r = v6_ranges;
		n = sizeof(v6_ranges) / sizeof(v6_ranges[0]);
	} else
		return DNS_ADDR_RESERVED;
	for (i = 0; i < n; i++)
		if (in_prefix(addr, r[i].prefix, r[i].bits))
			return r[i].cls;
	return DNS_ADDR_PUBLIC;
}

const char *
dns_addr_class_name(enum dns_addr_class c)
{
	switch (c) {
	case DNS_ADDR_PUBLIC:		return "public";
	case DNS_ADDR_PRIVATE:		return "private";
	case DNS_ADDR_LOOPBACK:		return "loopback";
	case DNS_ADDR_LINK_LOCAL:	return "link-local";
	case DNS_ADDR_CGNAT:		return "cgnat";
	case DNS_ADDR_UNSPECIFIED:	return "unspecified";
	case DNS_ADDR_MULTICAST:	return "multicast";
	case DNS_ADDR_RESERVED:		return "reserved";
	}
	return "?";
}

bool
dns_addr_is_nonpublic(int family, const uint8_t *addr)
{
	return dns_addr_class(family, addr) != DNS_ADDR_PUBLIC;
}
