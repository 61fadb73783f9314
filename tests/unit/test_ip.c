/*
 * test_ip.c - IPv4/IPv6/UDP/TCP decoding, packet by packet against
 * tshark's reading of real captures of every wired link type (Ethernet,
 * SLL, SLL2, null/loopback, raw IP); synthetic edge cases written here
 * (fragments, cut-off packets, IPv6 extension chains, bad headers); the
 * UDP frame builder's checksums; and the TCP 5683 classifier.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "iplayer_util.h"
#include "particle_tcp.h"

static const char *caps;

/* Our reading of one packet, in the columns asked of tshark below. */
static void
render(const struct tdec *d, char *out, size_t size)
{
	char s[64] = "", t[64] = "", ports[64] = "";

	if (!d->ip_ok) {
		snprintf(out, size, "-");
		return;
	}
	ip_addr_str(&d->ip.src, s, sizeof(s));
	ip_addr_str(&d->ip.dst, t, sizeof(t));
	if (d->ip.has_tcp)
		snprintf(ports, sizeof(ports), "%u|%u|0x%02x|%zu",
		    d->ip.tcp.sport, d->ip.tcp.dport, d->ip.tcp.flags,
		    d->ip.tcp.wire_len);
	else if (d->ip.has_udp)
		snprintf(ports, sizeof(ports), "%u|%u|udp|%u", d->ip.udp.sport,
		    d->ip.udp.dport, d->ip.udp.claimed_len);
	else
		snprintf(ports, sizeof(ports), "|||");
	snprintf(out, size, "%s|%s|%u|%s", s, t, d->ip.proto, ports);
}

/* tshark's columns, folded into the same shape. */
static bool
tshark_row(char *line, char *out, size_t size)
{
	char *col[16];
	int n = 0;
	char *s = line;
	const char *src, *dst, *proto;
	unsigned flags;

	line[strcspn(line, "\n")] = '\0';
	while (n < 16) {
		col[n++] = s;
		if ((s = strchr(s, '|')) == NULL)
			break;
		*s++ = '\0';
	}
	if (n < 12)
		return false;
	/* 0 protocols 1 ip.src 2 ipv6.src 3 ip.dst 4 ipv6.dst 5 ip.proto
	 * 6 ipv6.nxt 7 tcp.srcport 8 tcp.dstport 9 tcp.flags 10 tcp.len
	 * 11 udp.srcport 12 udp.dstport 13 udp.length */
	if (strstr(col[0], ":ip:") == NULL && strstr(col[0], ":ipv6") == NULL &&
	    strncmp(col[0], "raw:ip", 6) != 0) {
		snprintf(out, size, "-");
		return true;
	}
	src = *col[1] ? col[1] : col[2];
	dst = *col[3] ? col[3] : col[4];
	proto = *col[5] ? col[5] : col[6];
	if (*col[7] != '\0') {
		flags = (unsigned)strtoul(col[9], NULL, 16) & 0x3f;
		snprintf(out, size, "%s|%s|%s|%s|%s|0x%02x|%s", src, dst, proto,
		    col[7], col[8], flags, col[10]);
	} else if (n >= 14 && *col[11] != '\0')
		snprintf(out, size, "%s|%s|%s|%s|%s|udp|%s", src, dst, proto,
		    col[11], col[12], col[13]);
	else
		snprintf(out, size, "%s|%s|%s||||", src, dst, proto);
	return true;
}

struct rows {
	size_t	 n;
	size_t	 file[8192];	/* which capture each row came from */
	size_t	 cur;
	char	 row[8192][224];
};

static int
collect_cb(const struct tpkt *t, void *arg)
{
	struct rows *r = arg;
	struct tdec d;

	if (r->n >= 8192)
		return 1;
	tdecode(t, &d);
	render(&d, r->row[r->n], sizeof(r->row[0]));
	r->file[r->n] = r->cur;
	r->n++;
	return 0;
}

/*
 * Every capture read by us one by one, and by tshark once over the same
 * files joined in the same order with `mergecap -a` (one tshark start
 * instead of one per file; pcapng keeps each file's link type).
 */
static void
tshark_all(const char *const *files, size_t nfiles)
{
	static struct rows r;
	char path[1200], cmd[8192], line[1024], want[300], descr[1300];
	char tmpl[] = "/tmp/test_ip_XXXXXX";
	size_t i, k = 0, bad = 0;
	FILE *p;
	int fd;

	memset(&r, 0, sizeof(r));
	if ((fd = mkstemp(tmpl)) >= 0)
		close(fd);
	snprintf(cmd, sizeof(cmd), "mergecap -a -F pcapng -w %s", tmpl);
	for (i = 0; i < nfiles; i++) {
		size_t l = strlen(cmd);

		snprintf(path, sizeof(path), "%s/%s", caps, files[i]);
		r.cur = i;
		test_cond(files[i], tpcap_each(path, collect_cb, &r) > 0);
		snprintf(cmd + l, sizeof(cmd) - l, " '%s'", path);
	}
	test_cond("mergecap ran", system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -E 'separator=|' "
	    "-E occurrence=f -e frame.protocols -e ip.src -e ipv6.src "
	    "-e ip.dst -e ipv6.dst -e ip.proto -e ipv6.nxt -e tcp.srcport "
	    "-e tcp.dstport -e tcp.flags -e tcp.len -e udp.srcport "
	    "-e udp.dstport -e udp.length 2>/dev/null", tmpl);
	if ((p = popen(cmd, "r")) == NULL) {
		test_cond("tshark runs", 0);
		unlink(tmpl);
		return;
	}
	while (fgets(line, sizeof(line), p) != NULL && k < r.n) {
		if (!tshark_row(line, want, sizeof(want)))
			continue;
		if (strcmp(want, r.row[k]) != 0 && bad++ < 5) {
			snprintf(descr, sizeof(descr), "%s: packet %zu vs tshark",
			    files[r.file[k]], k + 1);
			expect_str(descr, want, r.row[k]);
		}
		k++;
	}
	pclose(p);
	unlink(tmpl);
	snprintf(descr, sizeof(descr), "%zu packets agree with tshark", k);
	test_cond(descr, k == r.n && bad == 0 && k > 500);
}

/* --- synthetic packets (written here) ---------------------------------- */

static size_t
mk_ipv4(uint8_t *b, uint16_t total, uint16_t frag, uint8_t proto,
    const uint8_t *l4, size_t l4len)
{
	uint16_t c;

	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = (uint8_t)(total >> 8);
	b[3] = (uint8_t)total;
	b[6] = (uint8_t)(frag >> 8);
	b[7] = (uint8_t)frag;
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, "\xc0\xa8\x01\x02\x22\x01\x02\x03", 8);
	c = ip_checksum(b, 20);
	b[10] = (uint8_t)(c >> 8);
	b[11] = (uint8_t)c;
	memcpy(b + 20, l4, l4len);
	return 20 + l4len;
}

static void
test_synthetic_v4(void)
{
	uint8_t udp[12] = { 0x13, 0x88, 0x16, 0x33, 0, 12, 0, 0, 'a', 'b',
	    'c', 'd' };
	uint8_t b[128], *h;
	struct ip_packet ip;
	size_t n;

	n = mk_ipv4(b, 32, 0, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("synthetic v4 udp decodes", ip_decode(ETHERTYPE_IPV4, b, n,
	    &ip) == 0 && ip.has_udp && !ip.truncated && !ip.bad_checksum);
	expect_int("udp payload", 4, ip.udp.len);
	expect_int("dport 5683", 5683, ip.udp.dport);
	/* Ethernet padding past the total length is not payload. */
	memset(b + n, 0xee, 10);
	test_cond("padding cut", ip_decode(0, b, n + 10, &ip) == 0 &&
	    ip.len == 12 && ip.udp.len == 4);
	/* Claimed longer than captured: decoded, flagged. */
	n = mk_ipv4(b, 60, 0, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("cut-off decodes", ip_decode(0, b, n, &ip) == 0 &&
	    ip.truncated && ip.len == 12);
	test_cond("cut-off udp flagged", ip.has_udp && ip.udp.truncated);
	/* First fragment: transport decoded; later fragment: not. */
	n = mk_ipv4(b, 32, 0x2000, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("first fragment", ip_decode(0, b, n, &ip) == 0 &&
	    ip.fragment && !ip.later_fragment && ip.has_udp);
	n = mk_ipv4(b, 32, 0x0003, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("later fragment", ip_decode(0, b, n, &ip) == 0 &&
	    ip.fragment && ip.later_fragment && !ip.has_udp);
	/* Bad checksum noticed; bad IHL and short headers refused. */
	n = mk_ipv4(b, 32, 0, IP_PROTO_UDP, udp, sizeof(udp));
	b[8] ^= 1;
	test_cond("bad checksum flagged", ip_decode(0, b, n, &ip) == 0 &&
	    ip.bad_checksum);
	n = mk_ipv4(b, 32, 0, IP_PROTO_UDP, udp, sizeof(udp));
	b[0] = 0x44;
	test_cond("ihl 4 refused", ip_decode(0, b, n, &ip) == -1);
	b[0] = 0x4f;
	test_cond("ihl past end refused", ip_decode(0, b, n, &ip) == -1);
	n = mk_ipv4(b, 32, 0, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("19 bytes refused", ip_decode(0, b, 19, &ip) == -1);
	test_cond("version 5 refused", (b[0] = 0x55, ip_decode(0, b, n, &ip))
	    == -1);
	test_cond("wrong ethertype refused", (b[0] = 0x45,
	    ip_decode(ETHERTYPE_IPV6, b, n, &ip)) == -1);
	/* Total length below the header length. */
	n = mk_ipv4(b, 10, 0, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("total < ihl refused", ip_decode(0, b, n, &ip) == -1);
	/* UDP length below 8. */
	udp[5] = 4;
	n = mk_ipv4(b, 32, 0, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("udp length 4: no udp", ip_decode(0, b, n, &ip) == 0 &&
	    !ip.has_udp);
	udp[5] = 12;
	/* TCP with options cut off. */
	{
		uint8_t tcp[24] = { 0x16, 0x33, 0xc0, 0x00, 0, 0, 0, 1, 0, 0,
		    0, 0, 0xf0, 0x12 };

		n = mk_ipv4(b, 44, 0, IP_PROTO_TCP, tcp, sizeof(tcp));
		test_cond("tcp options cut: no tcp", ip_decode(0, b, n, &ip) == 0
		    && !ip.has_tcp);
		tcp[12] = 0x60;		/* 24-byte header: fits */
		n = mk_ipv4(b, 44, 0, IP_PROTO_TCP, tcp, sizeof(tcp));
		test_cond("tcp 24-byte header", ip_decode(0, b, n, &ip) == 0 &&
		    ip.has_tcp && ip.tcp.len == 0 && ip.tcp.flags ==
		    (TCP_SYN | TCP_ACK) && ip.tcp.hdr_len == 24);
	}
	/* Segmentation offload: total length 0 in a local capture. */
	n = mk_ipv4(b, 0, 0, IP_PROTO_UDP, udp, sizeof(udp));
	test_cond("total 0 taken as captured", ip_decode(0, b, n, &ip) == 0 &&
	    ip.has_udp && ip.udp.len == 4);
	h = b;
	(void)h;
}

static void
test_synthetic_v6(void)
{
	uint8_t b[128];
	struct ip_packet ip;
	size_t n;
	char s[64];

	memset(b, 0, sizeof(b));
	b[0] = 0x60;
	b[4] = 0;
	b[5] = 8 + 8 + 8 + 4;		/* hop-by-hop + fragment + udp */
	b[6] = 0;			/* hop-by-hop */
	b[7] = 64;
	b[8] = 0x20; b[9] = 0x01; b[10] = 0x0d; b[11] = 0xb8; b[23] = 1;
	b[24] = 0xfe; b[25] = 0x80; b[39] = 2;
	b[40] = 44;			/* next: fragment */
	b[41] = 0;			/* 8 bytes */
	b[48] = IP_PROTO_UDP;		/* fragment header */
	b[50] = 0; b[51] = 1;		/* offset 0, M */
	b[56] = 0x12; b[57] = 0x34; b[58] = 0x16; b[59] = 0x33;
	b[60] = 0; b[61] = 12;
	n = 40 + 28;
	test_cond("synthetic v6 ext chain", ip_decode(ETHERTYPE_IPV6, b, n,
	    &ip) == 0 && ip.proto == IP_PROTO_UDP && ip.fragment &&
	    !ip.later_fragment && ip.has_udp && ip.udp.dport == 5683);
	expect_str("v6 src text", "2001:db8::1", ip_addr_str(&ip.src, s,
	    sizeof(s)));
	expect_str("v6 dst text", "fe80::2", ip_addr_str(&ip.dst, s,
	    sizeof(s)));
	/* An extension header running past the payload. */
	b[41] = 200;
	test_cond("ext past end refused", ip_decode(0, b, n, &ip) == -1);
	b[41] = 0;
	/* A chain longer than IP_EXT_MAX stops with the next header. */
	{
		uint8_t c[40 + 8 * 12];
		size_t i;

		memset(c, 0, sizeof(c));
		c[0] = 0x60;
		c[5] = 8 * 12;
		c[6] = 60;
		for (i = 0; i < 12; i++)
			c[40 + 8 * i] = 60;
		test_cond("long chain bounded", ip_decode(0, c, sizeof(c), &ip)
		    == 0 && ip.proto == 60 && !ip.has_udp);
	}
	{
		struct ip_addr a = { 6, { 0 } };

		expect_str("::", "::", ip_addr_str(&a, s, sizeof(s)));
		a.a[15] = 1;
		expect_str("::1", "::1", ip_addr_str(&a, s, sizeof(s)));
		a.a[0] = 0xfe; a.a[1] = 0x80;
		expect_str("fe80::1", "fe80::1", ip_addr_str(&a, s, sizeof(s)));
		memset(a.a, 0x11, 16);
		expect_str("full", "1111:1111:1111:1111:1111:1111:1111:1111",
		    ip_addr_str(&a, s, sizeof(s)));
		a.a[2] = a.a[3] = 0;
		expect_str("single zero not compressed",
		    "1111:0:1111:1111:1111:1111:1111:1111",
		    ip_addr_str(&a, s, sizeof(s)));
	}
}

static void
test_builder(void)
{
	static const uint8_t dm[6] = { 1, 2, 3, 4, 5, 6 }, sm[6] = { 7, 8, 9,
	    10, 11, 12 };
	static const uint8_t si[4] = { 10, 0, 0, 1 }, di[4] = { 10, 0, 0, 2 };
	uint8_t f[200];
	struct linklayer_frame ll;
	struct ip_packet ip;
	size_t n;

	n = ip_build_udp4_frame(f, sizeof(f), dm, sm, si, di, 1234, 53,
	    (const uint8_t *)"hello", 5);
	expect_int("frame length", 14 + 20 + 8 + 5, n);
	test_cond("frame decodes", linklayer_decode(1, f, n, &ll) == 0 &&
	    ip_decode(ll.ethertype, ll.payload, ll.len, &ip) == 0 &&
	    ip.has_udp && !ip.bad_checksum && ip.udp.len == 5 &&
	    memcmp(ip.udp.payload, "hello", 5) == 0);
	/* The checksum of the whole datagram with pseudo header is 0. */
	{
		uint8_t ph[12 + 13];

		memcpy(ph, si, 4);
		memcpy(ph + 4, di, 4);
		ph[8] = 0;
		ph[9] = 17;
		ph[10] = 0;
		ph[11] = 13;
		memcpy(ph + 12, f + 34, 13);
		expect_int("udp checksum verifies", 0, ip_checksum(ph,
		    sizeof(ph)));
	}
	/* Built in place: the payload already at its spot, or at the start. */
	memcpy(f + 42, "world", 5);
	n = ip_build_udp4_frame(f, sizeof(f), dm, sm, si, di, 1, 2, f + 42, 5);
	test_cond("in place", n == 47 && memcmp(f + 42, "world", 5) == 0);
	memcpy(f, "early", 5);
	n = ip_build_udp4_frame(f, sizeof(f), dm, sm, si, di, 1, 2, f, 5);
	test_cond("overlapping the header", n == 47 &&
	    memcmp(f + 42, "early", 5) == 0 && f[0] == 1);
	expect_int("small buffer refused", 0, ip_build_udp4_frame(f, 40, dm,
	    sm, si, di, 1, 2, (const uint8_t *)"x", 1));
	expect_int("RFC 1071 example", 0x220d, ip_checksum("\x00\x01\xf2\x03"
	    "\xf4\xf5\xf6\xf7", 8));
}

/* TCP 5683 segments, written here: SYN, SYN-ACK, 40-byte nonce, RST. */
static void
test_particle(void)
{
	uint8_t b[128], tcp[20 + 40];
	struct ip_packet ip;
	struct particle_tcp_seg seg, syn;
	size_t n;

	memset(tcp, 0, sizeof(tcp));
	tcp[0] = 0xc3; tcp[1] = 0x50;		/* 50000 */
	tcp[2] = 0x16; tcp[3] = 0x33;		/* 5683 */
	tcp[12] = 0x50;
	tcp[13] = TCP_SYN;
	n = mk_ipv4(b, 40, 0, IP_PROTO_TCP, tcp, 20);
	ip_decode(0, b, n, &ip);
	expect_str("syn", "syn", particle_tcp_kind_name(
	    particle_tcp_classify(&ip, &syn)));
	test_cond("syn is from device", !syn.from_cloud &&
	    syn.key.cloud_port == 5683 && syn.key.device_port == 50000);

	/* The reply, addresses and ports swapped. */
	tcp[0] = 0x16; tcp[1] = 0x33; tcp[2] = 0xc3; tcp[3] = 0x50;
	tcp[13] = TCP_SYN | TCP_ACK;
	n = mk_ipv4(b, 40, 0, IP_PROTO_TCP, tcp, 20);
	memcpy(b + 12, "\x22\x01\x02\x03\xc0\xa8\x01\x02", 8);
	ip_decode(0, b, n, &ip);
	expect_str("syn-ack", "syn-ack", particle_tcp_kind_name(
	    particle_tcp_classify(&ip, &seg)));
	test_cond("same flow both ways", seg.from_cloud &&
	    particle_flow_key_equal(&seg.key, &syn.key));
	tcp[13] = TCP_ACK | TCP_PSH;
	n = mk_ipv4(b, 80, 0, IP_PROTO_TCP, tcp, 60);
	memcpy(b + 12, "\x22\x01\x02\x03\xc0\xa8\x01\x02", 8);
	ip_decode(0, b, n, &ip);
	test_cond("nonce segment", particle_tcp_classify(&ip, &seg) ==
	    PARTICLE_TCP_DATA && seg.from_cloud &&
	    particle_tcp_is_nonce(seg.payload_len));
	test_cond("39 bytes is no nonce", !particle_tcp_is_nonce(39));
	tcp[13] = TCP_RST | TCP_ACK;
	n = mk_ipv4(b, 40, 0, IP_PROTO_TCP, tcp, 20);
	memcpy(b + 12, "\x22\x01\x02\x03\xc0\xa8\x01\x02", 8);
	ip_decode(0, b, n, &ip);
	test_cond("rst", particle_tcp_classify(&ip, &seg) == PARTICLE_TCP_RST
	    && seg.from_cloud);
	tcp[13] = TCP_ACK;
	n = mk_ipv4(b, 40, 0, IP_PROTO_TCP, tcp, 20);
	ip_decode(0, b, n, &ip);
	test_cond("bare ack", particle_tcp_classify(&ip, &seg) ==
	    PARTICLE_TCP_ACK);
	tcp[2] = 0; tcp[3] = 80; tcp[0] = 0; tcp[1] = 81;
	n = mk_ipv4(b, 40, 0, IP_PROTO_TCP, tcp, 20);
	ip_decode(0, b, n, &ip);
	test_cond("port 80 is none", particle_tcp_classify(&ip, &seg) ==
	    PARTICLE_TCP_NONE);
}

/* The RSTs in tcpdump's captures, classified as on any port. */
static int
rst_cb(const struct tpkt *t, void *arg)
{
	unsigned *rst = arg;
	struct tdec d;

	tdecode(t, &d);
	if (d.ip_ok && d.ip.has_tcp && (d.ip.tcp.flags & TCP_RST))
		(*rst)++;
	return 0;
}

int
main(void)
{
	static const char *const files[] = {
		"tcpdump/tcp-handshake-nano.pcap",	/* SLL */
		"pcapplusplus/sll.pcap",
		"pcapplusplus/SllPacket.pcap",
		"pcapplusplus/Sll2Packet.pcap",		/* SLL2 */
		"suricata-verify/decode-sll2-01/input.pcap",
		"tcpdump/tcp_rst_diag_payload.pcap",	/* null */
		"ttproto-coap/coap_core/TD_COAP_CORE_01_PASS.pcap",
		"ttproto-coap/coap_udp_ipv6_loopback.pcap",
		"suricata-verify/dns/dns-udp-eve-log-srv/input.pcap", /* raw */
		"ttproto-coap/coap_core/TD_COAP_CORE_01_INCONCLUSIVE_no_payload.pcap",
		"tcpdump/tcp_rst_data.pcap",		/* Ethernet */
		"tcpdump/ipv4_tcp_http_xml.pcap",
		"tcpdump/dns_tcp.pcap",
		"tcpdump/dhcp-rfc3004.pcap",
	};

	test_synthetic_v4();
	test_synthetic_v6();
	test_builder();
	test_particle();
	if ((caps = test_captures("test_ip")) == NULL)
		return test_report();
	if (system("command -v tshark >/dev/null 2>&1 && "
	    "command -v mergecap >/dev/null 2>&1") != 0)
		printf("SKIP test_ip: tshark missing, cross-check skipped\n");
	else
		tshark_all(files, sizeof(files) / sizeof(files[0]));
	{
		char path[1200];
		unsigned rst = 0;

		snprintf(path, sizeof(path), "%s/tcpdump/tcp_rst_data.pcap",
		    caps);
		tpcap_each(path, rst_cb, &rst);
		test_cond("tcp_rst_data has RSTs", rst > 0);
	}
	return test_report();
}
