/*
 * test_linklayer.c - link-layer decapsulation against tshark's reading of
 * real captures (Linux SLL and SLL2, null/loopback with IPv4 and IPv6, raw
 * IP, Ethernet), frames written here for what no capture has (802.1Q and
 * QinQ tags, 802.3 with LLC/SNAP, byte-swapped loopback families, short
 * frames), and the link-type names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "iplayer_util.h"

static const char *caps;

static const char *
family(uint16_t et)
{
	switch (et) {
	case ETHERTYPE_IPV4:	return "ip";
	case ETHERTYPE_IPV6:	return "ipv6";
	case ETHERTYPE_ARP:	return "arp";
	default:		return "other";
	}
}

struct llrows {
	size_t	 n, cur;
	size_t	 file[8192];	/* which capture each row came from */
	char	 row[8192][48];
};

static int
collect_cb(const struct tpkt *t, void *arg)
{
	struct llrows *r = arg;
	struct linklayer_frame f;

	if (r->n >= 8192)
		return 1;
	if (linklayer_decode(t->dlt, t->data, t->caplen, &f) != 0)
		snprintf(r->row[r->n], sizeof(r->row[0]), "error");
	else
		snprintf(r->row[r->n], sizeof(r->row[0]), "%s %zu",
		    family(f.ethertype), f.len);
	r->file[r->n] = r->cur;
	r->n++;
	return 0;
}

struct llcase {
	const char	*file;
	size_t		 link_hdr;	/* bytes of link header in it */
};

/*
 * Per frame: the family tshark found right after the link header, and the
 * length it left for it (captured length less the link header).  We read
 * the captures one by one, tshark once over them joined by `mergecap -a`.
 */
static void
tshark_all(const struct llcase *cases, size_t ncases)
{
	static struct llrows r;
	char path[1200], cmd[8192], line[1024], want[64], descr[1300];
	char tmpl[] = "/tmp/test_linklayer_XXXXXX";
	size_t i, k = 0, bad = 0;
	FILE *p;
	int fd;

	memset(&r, 0, sizeof(r));
	if ((fd = mkstemp(tmpl)) >= 0)
		close(fd);
	snprintf(cmd, sizeof(cmd), "mergecap -a -F pcapng -w %s", tmpl);
	for (i = 0; i < ncases; i++) {
		size_t l = strlen(cmd);

		snprintf(path, sizeof(path), "%s/%s", caps, cases[i].file);
		r.cur = i;
		test_cond(cases[i].file, tpcap_each(path, collect_cb, &r) > 0);
		snprintf(cmd + l, sizeof(cmd) - l, " '%s'", path);
	}
	test_cond("mergecap ran", system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -E 'separator=|' "
	    "-e frame.protocols -e frame.cap_len 2>/dev/null", tmpl);
	if ((p = popen(cmd, "r")) == NULL) {
		test_cond("tshark runs", 0);
		unlink(tmpl);
		return;
	}
	while (fgets(line, sizeof(line), p) != NULL && k < r.n) {
		char *bar = strchr(line, '|'), *proto;
		const char *fam = "other";
		size_t cap;

		if (bar == NULL)
			continue;
		*bar = '\0';
		cap = (size_t)strtoul(bar + 1, NULL, 10);
		/* protocols: "sll:ethertype:ip:tcp", "null:ipv6:udp",
		 * "raw:ip:udp", "eth:ethertype:arp" */
		proto = strchr(line, ':');
		if (proto != NULL && strncmp(proto, ":ethertype", 10) == 0)
			proto += 10;
		if (proto != NULL && (strncmp(proto, ":ip:", 4) == 0 ||
		    strcmp(proto, ":ip") == 0))
			fam = "ip";
		else if (proto != NULL && strncmp(proto, ":ipv6", 5) == 0)
			fam = "ipv6";
		else if (proto != NULL && strncmp(proto, ":arp", 4) == 0)
			fam = "arp";
		snprintf(want, sizeof(want), "%s %zu", fam,
		    cap - cases[r.file[k]].link_hdr);
		if (strcmp(fam, "other") == 0)
			snprintf(want, sizeof(want), "%s", r.row[k]);
		if (strcmp(want, r.row[k]) != 0 && bad++ < 5) {
			snprintf(descr, sizeof(descr), "%s: frame %zu",
			    cases[r.file[k]].file, k + 1);
			expect_str(descr, want, r.row[k]);
		}
		k++;
	}
	pclose(p);
	unlink(tmpl);
	snprintf(descr, sizeof(descr), "%zu frames agree with tshark", k);
	test_cond(descr, k == r.n && bad == 0 && k > 500);
}

/* --- synthetic frames (written here) ----------------------------------- */

static void
test_ethernet(void)
{
	uint8_t f[64];
	struct linklayer_frame ll;

	memset(f, 0, sizeof(f));
	memcpy(f, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01", 12);
	/* 802.1Q tag, VLAN 42, then IPv4. */
	memcpy(f + 12, "\x81\x00\x20\x2a\x08\x00\x45", 7);
	test_cond("synthetic vlan", linklayer_decode(1, f, 40, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV4 && ll.n_vlan == 1 &&
	    ll.vlan_id == 42 && ll.len == 40 - 18 && ll.payload[0] == 0x45);
	/* QinQ: 802.1ad outer 7, 802.1Q inner 42, then IPv6. */
	memcpy(f + 12, "\x88\xa8\x00\x07\x81\x00\x00\x2a\x86\xdd\x60", 11);
	test_cond("synthetic qinq", linklayer_decode(1, f, 40, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV6 && ll.n_vlan == 2 &&
	    ll.vlan_id == 7 && ll.len == 40 - 22);
	/* Tag runs off the end. */
	memcpy(f + 12, "\x81\x00\x20", 3);
	test_cond("synthetic cut tag", linklayer_decode(1, f, 15, &ll) == -1 &&
	    ll.payload == NULL);
	/* 802.3 length 20 with LLC/SNAP, then IPv4; padding past it cut. */
	memcpy(f + 12, "\x00\x14\xaa\xaa\x03\x00\x00\x00\x08\x00\x45", 11);
	test_cond("synthetic 802.3 snap", linklayer_decode(1, f, 60, &ll) == 0
	    && ll.ethertype == ETHERTYPE_IPV4 && ll.len == 12 &&
	    ll.payload[0] == 0x45);
	/* 802.3 with plain LLC (STP): no ethertype. */
	memcpy(f + 12, "\x00\x26\x42\x42\x03", 5);
	test_cond("synthetic 802.3 stp", linklayer_decode(1, f, 60, &ll) == 0
	    && ll.ethertype == 0);
	test_cond("13 bytes refused", linklayer_decode(1, f, 13, &ll) == -1);
	test_cond("NULL refused", linklayer_decode(1, NULL, 0, &ll) == -1);
	/* An unbounded tag stack stops at LINKLAYER_VLAN_MAX. */
	{
		uint8_t s[12 + 4 * 8 + 2];
		size_t i;

		memset(s, 0, sizeof(s));
		for (i = 0; i < 8; i++)
			memcpy(s + 12 + 4 * i, "\x81\x00\x00\x01", 4);
		test_cond("tag stack bounded", linklayer_decode(1, s,
		    sizeof(s), &ll) == 0 && ll.n_vlan == LINKLAYER_VLAN_MAX &&
		    ll.ethertype == ETHERTYPE_VLAN);
	}
}

static void
test_cooked(void)
{
	uint8_t f[64];
	struct linklayer_frame ll;

	memset(f, 0, sizeof(f));
	/* SLL: outgoing (4), ARPHRD_ETHER, 6-byte address, IPv4. */
	memcpy(f, "\x00\x04\x00\x01\x00\x06\x02\x00\x00\x00\x00\x09\x00\x00"
	    "\x08\x00\x45", 17);
	test_cond("synthetic sll", linklayer_decode(113, f, 36, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV4 && ll.sll_pkttype == 4 &&
	    ll.src[5] == 9 && ll.len == 20);
	test_cond("sll 15 bytes refused", linklayer_decode(113, f, 15, &ll)
	    == -1);
	/* SLL protocol 4: 802.2 with SNAP inside. */
	memcpy(f + 14, "\x00\x04\xaa\xaa\x03\x00\x00\x00\x86\xdd\x60", 11);
	test_cond("synthetic sll llc", linklayer_decode(113, f, 40, &ll) == 0
	    && ll.ethertype == ETHERTYPE_IPV6 && ll.payload[0] == 0x60);
	/* SLL2: IPv6, ifindex, ARPHRD_ETHER, host (0), 6-byte address. */
	memset(f, 0, sizeof(f));
	memcpy(f, "\x86\xdd\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06", 12);
	f[20] = 0x60;
	test_cond("synthetic sll2", linklayer_decode(276, f, 60, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV6 && ll.sll_pkttype == 0 &&
	    ll.len == 40 && ll.payload[0] == 0x60);
	test_cond("sll2 19 bytes refused", linklayer_decode(276, f, 19, &ll)
	    == -1);
}

static void
test_loopback(void)
{
	static const struct {
		int		dlt;
		uint8_t		hdr[4];
		uint16_t	et;
	} cases[] = {
		{ 0, { 2, 0, 0, 0 }, ETHERTYPE_IPV4 },	/* little-endian host */
		{ 0, { 0, 0, 0, 2 }, ETHERTYPE_IPV4 },	/* big-endian host */
		{ 0, { 10, 0, 0, 0 }, ETHERTYPE_IPV6 },	/* Linux */
		{ 0, { 30, 0, 0, 0 }, ETHERTYPE_IPV6 },	/* Darwin */
		{ 0, { 0, 0, 0, 28 }, ETHERTYPE_IPV6 },	/* FreeBSD, BE */
		{ 0, { 24, 0, 0, 0 }, ETHERTYPE_IPV6 },	/* OpenBSD */
		{ 0, { 99, 0, 0, 0 }, 0 },
		{ 108, { 0, 0, 0, 2 }, ETHERTYPE_IPV4 },
		{ 108, { 0, 0, 0, 24 }, ETHERTYPE_IPV6 },
	};
	uint8_t f[8];
	struct linklayer_frame ll;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char descr[64];

		memcpy(f, cases[i].hdr, 4);
		memset(f + 4, 0x45, 4);
		snprintf(descr, sizeof(descr), "synthetic loopback case %zu", i);
		test_cond(descr, linklayer_decode(cases[i].dlt, f, 8, &ll) == 0
		    && ll.ethertype == cases[i].et && ll.len == 4);
	}
	test_cond("null 3 bytes refused", linklayer_decode(0, f, 3, &ll) == -1);
	f[0] = 0x60;
	test_cond("raw v6", linklayer_decode(101, f, 8, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV6 && ll.len == 8);
	f[0] = 0x45;
	test_cond("raw 12 v4", linklayer_decode(12, f, 8, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV4);
	f[0] = 0x15;
	test_cond("raw garbage: no family", linklayer_decode(14, f, 8, &ll) == 0
	    && ll.ethertype == 0);
	test_cond("raw empty", linklayer_decode(101, f, 0, &ll) == 0 &&
	    ll.ethertype == 0 && ll.len == 0);
	test_cond("IPV6 228/229", linklayer_decode(229, f, 8, &ll) == 0 &&
	    ll.ethertype == ETHERTYPE_IPV6);
}

static void
test_names(void)
{
	static const int wired[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229,
	    276 };
	static const int wifi[] = { 105, 119, 127, 163, 192 };
	struct linklayer_frame ll;
	uint8_t f[64] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(wired) / sizeof(wired[0]); i++)
		test_cond("wired known", linklayer_known(wired[i]) &&
		    linklayer_kind(wired[i]) == LINKLAYER_WIRED &&
		    linklayer_name(wired[i]) != NULL);
	for (i = 0; i < sizeof(wifi) / sizeof(wifi[0]); i++)
		test_cond("wifi known, not decoded here",
		    linklayer_known(wifi[i]) &&
		    linklayer_kind(wifi[i]) == LINKLAYER_WIFI &&
		    linklayer_decode(wifi[i], f, sizeof(f), &ll) == -1);
	expect_str("name 127", "IEEE802_11_RADIO", linklayer_name(127));
	expect_str("name 276", "LINUX_SLL2", linklayer_name(276));
	expect_str("name 1", "EN10MB", linklayer_name(1));
	test_cond("147 unknown", !linklayer_known(147) &&
	    linklayer_name(147) == NULL &&
	    linklayer_kind(147) == LINKLAYER_UNKNOWN &&
	    linklayer_decode(147, f, sizeof(f), &ll) == -1);
	expect_str("ethertype name", "IPv6", linklayer_ethertype_name(0x86dd));
	test_cond("ethertype unknown", linklayer_ethertype_name(0x1234) ==
	    NULL);
	/* The names agree with libpcap's own, where it has one. */
	for (i = 0; i < sizeof(wired) / sizeof(wired[0]); i++) {
		const char *pn = pcap_datalink_val_to_name(wired[i]);
		char descr[64];

		if (pn == NULL || wired[i] == 14 || wired[i] == 101 ||
		    wired[i] == 228 || wired[i] == 229)
			continue;
		snprintf(descr, sizeof(descr), "libpcap name of %d", wired[i]);
		expect_str(descr, pn, linklayer_name(wired[i]));
	}
}

static void
test_snap(void)
{
	uint16_t et = 0;
	const uint8_t *p;
	size_t n;

	test_cond("rfc1042 snap", linklayer_llc_snap((const uint8_t *)
	    "\xaa\xaa\x03\x00\x00\x00\x88\x8e\x01", 9, &et, &p, &n) == 0 &&
	    et == ETHERTYPE_EAPOL && n == 1 && p[0] == 1);
	test_cond("802.1h snap", linklayer_llc_snap((const uint8_t *)
	    "\xaa\xaa\x03\x00\x00\xf8\x80\xf3", 8, &et, &p, &n) == 0 &&
	    et == 0x80f3 && n == 0);
	test_cond("other oui refused", linklayer_llc_snap((const uint8_t *)
	    "\xaa\xaa\x03\x00\x40\x96\x00\x00", 8, &et, &p, &n) == -1);
	test_cond("short refused", linklayer_llc_snap((const uint8_t *)
	    "\xaa\xaa\x03\x00\x00\x00\x08", 7, &et, &p, &n) == -1);
}

int
main(void)
{
	static const struct llcase cases[] = {
		{ "tcpdump/tcp-handshake-nano.pcap", 16 },	/* SLL */
		{ "pcapplusplus/sll.pcap", 16 },
		{ "pcapplusplus/Sll2Packet.pcap", 20 },		/* SLL2 */
		{ "suricata-verify/decode-sll2-01/input.pcap", 20 },
		{ "tcpdump/tcp_rst_diag_payload.pcap", 4 },	/* null */
		{ "ttproto-coap/coap_udp_ipv6_loopback.pcap", 4 },
		{ "ttproto-coap/coap/CoAP_plus_random_UDP_messages.pcap", 4 },
		{ "suricata-verify/dns/dns-udp-eve-log-srv/input.pcap", 0 },
		{ "tcpdump/tcp_rst_data.pcap", 14 },		/* Ethernet */
		{ "pcapplusplus/Dns.pcap", 14 },
	};

	test_ethernet();
	test_cooked();
	test_loopback();
	test_names();
	test_snap();
	if ((caps = test_captures("test_linklayer")) == NULL)
		return test_report();
	if (system("command -v tshark >/dev/null 2>&1 && "
	    "command -v mergecap >/dev/null 2>&1") != 0) {
		printf("SKIP test_linklayer: tshark missing, cross-check skipped\n");
		return test_report();
	}
	tshark_all(cases, sizeof(cases) / sizeof(cases[0]));
	return test_report();
}
