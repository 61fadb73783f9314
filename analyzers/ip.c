/*
 * ip.c - IPv4/IPv6 decoding down to a UDP or TCP payload view, the
 * Internet checksum, and the IPv4/UDP frame builder the DHCP probe sends
 * through a packet socket.  See ip.h for the length and fragment rules.
 */
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "ip.h"
#include "linklayer.h"

int
ip_udp_decode(const uint8_t *buf, size_t len, struct ip_udp *out)
{
	struct cursor c = cur_init(buf, len);
	size_t body;

	memset(out, 0, sizeof(*out));
	out->sport = cur_be16(&c);
	out->dport = cur_be16(&c);
	out->claimed_len = cur_be16(&c);
	out->checksum = cur_be16(&c);
	if (c.bad || out->claimed_len < 8)
		return -1;
	body = out->claimed_len - 8u;
	if (body > cur_left(&c)) {
		out->truncated = true;
		body = cur_left(&c);
	}
	out->payload = c.p;
	out->len = body;
	return 0;
}

int
ip_tcp_decode(const uint8_t *buf, size_t len, struct ip_tcp *out)
{
	struct cursor c = cur_init(buf, len);
	uint8_t off;

	memset(out, 0, sizeof(*out));
	out->sport = cur_be16(&c);
	out->dport = cur_be16(&c);
	out->seq = cur_be32(&c);
	out->ack = cur_be32(&c);
	off = cur_u8(&c);
	out->flags = cur_u8(&c) & 0x3f;
	out->window = cur_be16(&c);
	cur_skip(&c, 4);		/* checksum, urgent pointer */
	out->hdr_len = (uint8_t)((off >> 4) * 4);
	if (c.bad || out->hdr_len < 20)
		return -1;
	if (!cur_skip(&c, out->hdr_len - 20u)) {
		/* Options cut off: the header is not complete. */
		out->truncated = true;
		return -1;
	}
	out->payload = c.p;
	out->len = cur_left(&c);
	return 0;
}

/* Decode the transport header of the first fragment. */
static void
ip_transport(struct ip_packet *out)
{
	if (out->later_fragment || out->payload == NULL)
		return;
	if (out->proto == IP_PROTO_UDP)
		out->has_udp = ip_udp_decode(out->payload, out->len,
		    &out->udp) == 0;
	else if (out->proto == IP_PROTO_TCP) {
		out->has_tcp = ip_tcp_decode(out->payload, out->len,
		    &out->tcp) == 0;
		/* What the sender sent, even when the capture cut it. */
		if (out->has_tcp)
			out->tcp.wire_len = out->wire_len > out->tcp.hdr_len ?
			    out->wire_len - out->tcp.hdr_len : 0;
	}
	/* A transport header from a cut-off packet is truncated too. */
	if (out->truncated) {
		out->udp.truncated = out->has_udp;
		out->tcp.truncated = out->has_tcp;
	}
}

static int
ip_decode4(struct cursor *c, struct ip_packet *out)
{
	const uint8_t *hdr = c->p;
	uint8_t vihl;
	size_t hlen, total;
	uint16_t frag;

	vihl = cur_u8(c);
	cur_skip(c, 1);			/* DSCP/ECN */
	total = cur_be16(c);
	out->id = cur_be16(c);
	frag = cur_be16(c);
	out->ttl = cur_u8(c);
	out->proto = cur_u8(c);
	cur_skip(c, 2);			/* checksum, verified below */
	out->src.family = out->dst.family = 4;
	cur_copy(c, out->src.a, 4);
	cur_copy(c, out->dst.a, 4);
	hlen = (size_t)(vihl & 0x0f) * 4;
	/* Segmentation offload leaves 0 in locally captured packets. */
	if (total == 0 && !c->bad && hlen >= 20)
		total = hlen + (cur_left(c) > hlen - 20 ? cur_left(c) - (hlen - 20) : 0);
	if (c->bad || vihl >> 4 != 4 || hlen < 20 || total < hlen)
		return -1;
	if (!cur_skip(c, hlen - 20))
		return -1;
	out->version = 4;
	out->bad_checksum = ip_checksum(hdr, hlen) != 0;
	out->claimed_len = total;
	out->fragment = (frag & 0x2000) != 0 || (frag & 0x1fff) != 0;
	out->later_fragment = (frag & 0x1fff) != 0;
	out->more_fragments = (frag & 0x2000) != 0;
	out->frag_offset = (size_t)(frag & 0x1fff) * 8;
	out->payload = c->p;
	out->len = out->wire_len = total - hlen;
	/* Claimed vs captured: trust the smaller; mark a cut-off packet. */
	if (out->len > cur_left(c)) {
		out->truncated = true;
		out->len = cur_left(c);
	}
	return 0;
}

static int
ip_decode6(struct cursor *c, struct ip_packet *out)
{
	uint32_t vtf;
	uint16_t plen;
	size_t wire;
	uint8_t next;
	struct cursor body;
	const uint8_t *start;
	size_t consumed;
	int hops;

	vtf = cur_be32(c);
	plen = cur_be16(c);
	wire = plen;
	next = cur_u8(c);
	out->ttl = cur_u8(c);
	out->src.family = out->dst.family = 6;
	cur_copy(c, out->src.a, 16);
	cur_copy(c, out->dst.a, 16);
	if (c->bad || vtf >> 28 != 6)
		return -1;
	out->version = 6;
	out->claimed_len = 40u + plen;
	/* Jumbograms (payload length 0) are not on a Wi-Fi LAN; take what
	 * was captured as the payload then. */
	if (plen == 0 || plen > cur_left(c)) {
		out->truncated = plen != 0;
		plen = (uint16_t)(cur_left(c) > 0xffff ? 0xffff : cur_left(c));
	}
	body = cur_sub(c, plen);
	start = body.p;
	/* RFC 8200 4: extension headers, bounded by IP_EXT_MAX. */
	for (hops = 0; hops < IP_EXT_MAX; hops++) {
		uint8_t nh, hl;
		uint16_t fo;

		switch (next) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			nh = cur_u8(&body);
			hl = cur_u8(&body);
			cur_skip(&body, (size_t)hl * 8 + 6);
			next = nh;
			continue;
		case 51:	/* AH: length in 4-byte units, minus 2 */
			nh = cur_u8(&body);
			hl = cur_u8(&body);
			cur_skip(&body, (size_t)hl * 4 + 6);
			next = nh;
			continue;
		case 44:	/* fragment */
			nh = cur_u8(&body);
			cur_skip(&body, 1);
			fo = cur_be16(&body);
			out->id = (uint16_t)cur_be32(&body);
			out->fragment = true;
			out->later_fragment = (fo & 0xfff8) != 0;
			next = nh;
			continue;
		default:
			break;
		}
		break;
	}
	if (body.bad)
		return -1;
	out->proto = next;
	out->payload = body.p;
	out->len = cur_left(&body);
	/* Claimed transport length: payload length less the extensions. */
	consumed = (size_t)(body.p - start);
	out->wire_len = wire > consumed ? wire - consumed : 0;
	if (wire == 0)
		out->wire_len = out->len;
	return 0;
}

int
ip_decode(uint16_t ethertype, const uint8_t *buf, size_t len,
    struct ip_packet *out)
{
	struct cursor c = cur_init(buf, len);
	int r;

	memset(out, 0, sizeof(*out));
	if (ethertype == 0 && len > 0)
		ethertype = buf[0] >> 4 == 4 ? ETHERTYPE_IPV4 :
		    buf[0] >> 4 == 6 ? ETHERTYPE_IPV6 : 0;
	if (ethertype == ETHERTYPE_IPV4)
		r = ip_decode4(&c, out);
	else if (ethertype == ETHERTYPE_IPV6)
		r = ip_decode6(&c, out);
	else
		r = -1;
	if (r != 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	ip_transport(out);
	return 0;
}

/* RFC 1071 sum of 16-bit words, not yet folded. */
static uint32_t
ip_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
ip_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t
ip_checksum(const void *buf, size_t len)
{
	return ip_fold(ip_sum(0, buf, len));
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t
ip_build_udp4_frame(uint8_t *buf, size_t size, const uint8_t dst_mac[6],
    const uint8_t src_mac[6], const uint8_t src_ip[4],
    const uint8_t dst_ip[4], uint16_t sport, uint16_t dport,
    const uint8_t *payload, size_t payload_len)
{
	uint8_t *ip, *udp;
	uint32_t sum;
	uint16_t csum;
	size_t total = 14 + 20 + 8 + payload_len;

	if (payload_len > 65535 - 20 - 8 || size < total)
		return 0;
	/* Payload first: it may already sit in `buf` (built in place). */
	if (payload_len > 0)
		memmove(buf + 14 + 20 + 8, payload, payload_len);
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	put16(buf + 12, ETHERTYPE_IPV4);

	ip = buf + 14;
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(20 + 8 + payload_len));
	put16(ip + 4, 0);		/* id: unfragmented, RFC 6864 */
	put16(ip + 6, 0);
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put16(ip + 10, 0);
	memcpy(ip + 12, src_ip, 4);
	memcpy(ip + 16, dst_ip, 4);
	put16(ip + 10, ip_checksum(ip, 20));

	udp = ip + 20;
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)(8 + payload_len));
	put16(udp + 6, 0);
	/* Pseudo header: addresses, zero, protocol, UDP length. */
	sum = ip_sum(0, ip + 12, 8);
	sum += IP_PROTO_UDP + 8 + (uint32_t)payload_len;
	sum = ip_sum(sum, udp, 8 + payload_len);
	csum = ip_fold(sum);
	put16(udp + 6, csum == 0 ? 0xffff : csum);	/* RFC 768 */
	return total;
}

const char *
ip_addr_str(const struct ip_addr *a, char *buf, size_t size)
{
	size_t i, best = 0, best_len = 0, run, off = 0;
	uint16_t w[8];

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (a->family == 4) {
		snprintf(buf, size, "%u.%u.%u.%u", a->a[0], a->a[1], a->a[2],
		    a->a[3]);
		return buf;
	}
	if (a->family != 6) {
		snprintf(buf, size, "?");
		return buf;
	}
	for (i = 0; i < 8; i++)
		w[i] = (uint16_t)(a->a[2 * i] << 8 | a->a[2 * i + 1]);
	/* RFC 5952: compress the longest run (>= 2) of zero words. */
	for (i = 0; i < 8; i += run > 0 ? run : 1) {
		for (run = 0; i + run < 8 && w[i + run] == 0; run++)
			;
		if (run > best_len) {
			best = i;
			best_len = run;
		}
	}
	if (best_len < 2)
		best_len = 0;
	for (i = 0; i < 8 && off < size; i++) {
		int n;

		if (best_len > 0 && i == best) {
			n = snprintf(buf + off, size - off, "::");
			i += best_len - 1;
		} else
			n = snprintf(buf + off, size - off, "%x%s", w[i],
			    i < 7 && !(best_len > 0 && i + 1 == best) ? ":" : "");
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

bool
ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	size_t n = a->family == 4 ? 4 : 16;

	return a->family == b->family && memcmp(a->a, b->a, n) == 0;
}
