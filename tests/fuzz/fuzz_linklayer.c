/*
 * fuzz_linklayer.c - libFuzzer target for a whole frame: link layer, IP,
 * UDP/TCP, then the application decoder its ports name (DHCP, DNS, CoAP and
 * the presence announcement, HTTP, the TCP 5683 classifier).
 *
 * Two input shapes.  A pcap file (classic, either byte order) is walked
 * record by record with its own link type, so tests/fuzz/fuzz_linklayer.seeds
 * can name real captures of every wired link type.  Anything else is one
 * frame whose first byte picks the link type from `dlts` below (the shape
 * of corpus/fuzz_linklayer, cut from the same captures).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "coapmsg.h"
#include "cursor.h"
#include "dhcp.h"
#include "dns.h"
#include "http.h"
#include "ip.h"
#include "linklayer.h"
#include "particle_tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };

static void
app_udp(const struct ip_udp *u)
{
	struct dhcp_msg dh;
	struct dns_msg dn;
	struct coapmsg cm;
	char hex[2 * COAPMSG_DEVICE_ID_LEN + 1];

	if (u->sport == 67 || u->sport == 68 || u->dport == 67 ||
	    u->dport == 68)
		dhcp_parse(u->payload, u->len, &dh);
	if (u->sport == 53 || u->dport == 53)
		dns_parse(u->payload, u->len, &dn);
	if (u->sport == 5683 || u->dport == 5683) {
		coapmsg_parse(u->payload, u->len, &cm);
		coapmsg_presence(u->payload, u->len, hex);
	}
}

static void
frame(int dlt, const uint8_t *p, size_t n)
{
	struct linklayer_frame ll;
	struct ip_packet ip;
	struct particle_tcp_seg seg;
	struct http_response hr;
	struct http_request hq;

	if (linklayer_decode(dlt, p, n, &ll) != 0)
		return;
	if (ll.payload < p || ll.payload + ll.len > p + n)
		abort();
	if (ip_decode(ll.ethertype, ll.payload, ll.len, &ip) != 0)
		return;
	if (ip.payload + ip.len > ll.payload + ll.len)
		abort();
	if (ip.has_udp)
		app_udp(&ip.udp);
	if (ip.has_tcp) {
		if (ip.tcp.payload + ip.tcp.len > ll.payload + ll.len)
			abort();
		particle_tcp_classify(&ip, &seg);
		http_parse_response(ip.tcp.payload, ip.tcp.len, &hr);
		http_parse_request(ip.tcp.payload, ip.tcp.len, &hq);
	}
}

/* A classic pcap file: header, then (ts, ts, caplen, len) + bytes. */
static bool
pcap_walk(const uint8_t *data, size_t size)
{
	struct cursor c = cur_init(data, size);
	uint32_t magic = cur_be32(&c), linktype, caplen;
	bool le;
	int records = 0;

	if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		le = true;
	else if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		le = false;
	else
		return false;
	cur_skip(&c, 16);
	linktype = (le ? cur_le32(&c) : cur_be32(&c)) & 0xffff;
	while (!c.bad && cur_left(&c) >= 16 && records++ < 100000) {
		const uint8_t *rec;

		cur_skip(&c, 8);
		caplen = le ? cur_le32(&c) : cur_be32(&c);
		cur_skip(&c, 4);
		/* A record cut off at the end is read as far as it goes. */
		if (caplen > cur_left(&c))
			caplen = (uint32_t)cur_left(&c);
		if (!cur_take(&c, caplen, &rec))
			break;
		frame((int)linktype, rec, caplen);
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || pcap_walk(data, size))
		return 0;
	frame(dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))], data + 1,
	    size - 1);
	(void)linklayer_name(data[0]);
	return 0;
}
