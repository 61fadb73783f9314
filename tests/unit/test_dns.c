/*
 * test_dns.c - the DNS parser against real captures: the suricata-verify
 * dig, forward-pointer and TXT cases (values read from their test.yaml),
 * tshark's reading of tcpdump's and PcapPlusPlus's DNS captures, pointer
 * loops and hop limits, the query builder by round trip, and the address
 * classes behind dns.private_answer.
 */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"
#include "iplayer_util.h"
#include "dns.h"

static const char *caps;

static bool
decode_dns(const struct tpkt *t, struct tdec *d, struct dns_msg *m)
{
	tdecode(t, d);
	if (!d->ip_ok || !d->ip.has_udp ||
	    (d->ip.udp.sport != 53 && d->ip.udp.dport != 53))
		return false;
	return dns_parse(d->ip.udp.payload, d->ip.udp.len, m) == 0;
}

static void
type_str(uint16_t type, char *out, size_t size)
{
	const char *n = dns_type_name(type);

	if (n != NULL)
		snprintf(out, size, "%s", n);
	else
		snprintf(out, size, "TYPE%u", type);
}

/* A suricata EVE "dns.*" field from our parse; false when not decoded. */
static bool
dns_field(const struct dns_msg *m, const char *key, char *out, size_t size)
{
	const char *rest;
	int i;

	if (strncmp(key, "dns.", 4) != 0)
		return false;
	key += 4;
	if (strcmp(key, "id") == 0)
		snprintf(out, size, "%u", m->id);
	else if (strcmp(key, "type") == 0)
		snprintf(out, size, "%s", m->qr ? "response" : "request");
	else if (strcmp(key, "flags") == 0)
		snprintf(out, size, "%04x", m->flags);
	else if (strcmp(key, "qr") == 0)
		snprintf(out, size, "%s", m->qr ? "true" : "false");
	else if (strcmp(key, "rd") == 0)
		snprintf(out, size, "%s", m->rd ? "true" : "false");
	else if (strcmp(key, "ra") == 0)
		snprintf(out, size, "%s", m->ra ? "true" : "false");
	else if (strcmp(key, "aa") == 0)
		snprintf(out, size, "%s", m->aa ? "true" : "false");
	else if (strcmp(key, "rcode") == 0 && dns_rcode_name(m->rcode))
		snprintf(out, size, "%s", dns_rcode_name(m->rcode));
	else if ((rest = tkey_index(key, "queries", &i)) != NULL) {
		const struct dns_question *q;

		if (i < 0 || (size_t)i >= m->n_questions) {
			snprintf(out, size, "(none)");
			return true;
		}
		q = &m->question[i];
		if (strcmp(rest, ".rrname") == 0)
			snprintf(out, size, "%s", q->name);
		else if (strcmp(rest, ".rrtype") == 0)
			type_str(q->type, out, size);
		else
			return false;
	} else if ((rest = tkey_index(key, "answers", &i)) != NULL) {
		const struct dns_answer *a;

		/* We keep A/AAAA/CNAME only: a record of another type at
		 * this index is not ours to check. */
		if (i < 0 || (size_t)i >= m->n_answers) {
			if (m->n_skipped > 0)
				return false;
			snprintf(out, size, "(none)");
			return true;
		}
		if (m->n_skipped > 0)
			return false;
		a = &m->answer[i];
		if (strcmp(rest, ".rrname") == 0)
			snprintf(out, size, "%s", a->name);
		else if (strcmp(rest, ".rrtype") == 0)
			type_str(a->type, out, size);
		else if (strcmp(rest, ".ttl") == 0)
			snprintf(out, size, "%u", a->ttl);
		else if (strcmp(rest, ".rdata") == 0) {
			struct ip_addr ia = { 0, { 0 } };

			if (a->type == DNS_TYPE_CNAME) {
				snprintf(out, size, "%s", a->target);
				return true;
			}
			ia.family = a->type == DNS_TYPE_A ? 4 : 6;
			memcpy(ia.a, a->addr, 16);
			ip_addr_str(&ia, out, size);
		} else
			return false;
	} else
		return false;
	return true;
}

static void
suricata_case(const char *dir)
{
	static struct tyaml y;
	static struct tnth w;
	char path[1200], yaml[1200], got[300], descr[600];
	int i, k, checked = 0;

	snprintf(yaml, sizeof(yaml), "%s/suricata-verify/%s/test.yaml", caps,
	    dir);
	if (tyaml_load(yaml, &y) != 0) {
		test_cond(yaml, 0);
		return;
	}
	if (y.pcap[0] != '\0')
		snprintf(path, sizeof(path), "%s/suricata-verify/%s/%s", caps,
		    dir, y.pcap);
	else
		snprintf(path, sizeof(path), "%s/suricata-verify/%s/input.pcap",
		    caps, dir);
	for (i = 0; i < y.n; i++) {
		const struct tfilter *f = &y.f[i];
		const char *cnt = tfilter_get(f, "pcap_cnt");
		struct tpkt t;
		struct tdec d;
		struct dns_msg m;

		if (cnt == NULL || (tfilter_get(f, "dns.id") == NULL &&
		    tfilter_get(f, "dns.type") == NULL))
			continue;
		memset(&w, 0, sizeof(w));
		w.want = (unsigned)atoi(cnt);
		tpcap_each(path, tnth_cb, &w);
		t = (struct tpkt){ w.dlt, w.buf, w.caplen, w.caplen, w.want };
		snprintf(descr, sizeof(descr), "%s: packet %s is DNS", dir, cnt);
		test_cond(descr, w.found && decode_dns(&t, &d, &m));
		if (!w.found)
			continue;
		test_cond("no bad name", !m.bad_name && !m.truncated);
		for (k = 0; k < f->n; k++) {
			if (!dns_field(&m, f->key[k], got, sizeof(got)) &&
			    !tip_field(&d, f->key[k], got, sizeof(got)))
				continue;
			snprintf(descr, sizeof(descr), "%s pkt %s %s", dir, cnt,
			    f->key[k]);
			expect_str(descr, f->val[k], got);
			checked++;
		}
	}
	snprintf(descr, sizeof(descr), "%s: values were checked", dir);
	test_cond(descr, checked >= 8);
}

/* --- tshark's reading of other captures --------------------------------- */

struct dnsmsgs {
	size_t		 n;
	struct dns_msg	 m[64];
};

static int
collect_cb(const struct tpkt *t, void *arg)
{
	struct dnsmsgs *ms = arg;
	struct tdec d;

	if (ms->n < 64 && decode_dns(t, &d, &ms->m[ms->n]))
		ms->n++;
	return 0;
}

static void
render(const struct dns_msg *m, char *out, size_t size)
{
	char a[400] = "", aaaa[400] = "", cn[400] = "", s[64], rc[8];
	size_t i, n = 0;

	for (i = 0; i < m->n_answers; i++) {
		const struct dns_answer *an = &m->answer[i];
		struct ip_addr ia = { 0, { 0 } };
		char *dst = an->type == DNS_TYPE_A ? a :
		    an->type == DNS_TYPE_AAAA ? aaaa : cn;

		if (an->type == DNS_TYPE_CNAME)
			snprintf(s, sizeof(s), "%s", an->target);
		else {
			ia.family = an->type == DNS_TYPE_A ? 4 : 6;
			memcpy(ia.a, an->addr, 16);
			ip_addr_str(&ia, s, sizeof(s));
		}
		n = strlen(dst);
		snprintf(dst + n, 400 - n, "%s%s", n ? "," : "", s);
	}
	snprintf(rc, sizeof(rc), "%u", m->rcode);
	snprintf(out, size, "%u|%s|%s|%s|%s|%s", m->id, m->qr ? rc : "",
	    m->n_questions ? m->question[0].name : "", a, aaaa, cn);
}

/* Each '|' field of `mine` is a prefix of the same field of `theirs`. */
static bool
fields_prefix(const char *mine, const char *theirs)
{
	for (;;) {
		size_t a = strcspn(mine, "|"), b = strcspn(theirs, "|");

		if (a > b || strncmp(mine, theirs, a) != 0 ||
		    (a < b && a > 0 && theirs[a] != ','))
			return false;
		if (mine[a] == '\0' || theirs[b] == '\0')
			return mine[a] == theirs[b];
		mine += a + 1;
		theirs += b + 1;
	}
}

static void
tshark_case(const char *file)
{
	static struct dnsmsgs ms;
	char path[1200], cmd[1600], line[2048], got[2048], descr[1400];
	size_t k = 0;
	FILE *p;

	memset(&ms, 0, sizeof(ms));
	snprintf(path, sizeof(path), "%s/%s", caps, file);
	tpcap_each(path, collect_cb, &ms);
	/* tshark reads only the first question; so do we compare. */
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y 'udp.port==53 && dns' "
	    "-T fields -E 'separator=|' -E occurrence=f -e dns.id "
	    "-e dns.flags.rcode -e dns.qry.name -E occurrence=a "
	    "-e dns.a -e dns.aaaa -e dns.cname 2>/dev/null", path);
	if ((p = popen(cmd, "r")) == NULL) {
		test_cond("tshark runs", 0);
		return;
	}
	while (fgets(line, sizeof(line), p) != NULL && k < ms.n) {
		line[strcspn(line, "\n")] = '\0';
		/* tshark prints the id in hex. */
		{
			unsigned id = (unsigned)strtoul(line, NULL, 16);
			char *bar = strchr(line, '|');

			snprintf(got, sizeof(got), "%u%s", id, bar ? bar : "");
			snprintf(line, sizeof(line), "%s", got);
		}
		render(&ms.m[k], got, sizeof(got));
		snprintf(descr, sizeof(descr), "%s message %zu vs tshark", file,
		    k + 1);
		/*
		 * tshark lists additional-section addresses too, and we keep
		 * DNS_ANSWERS_MAX answers: then ours must be a prefix of each
		 * of tshark's lists instead of equal.
		 */
		if (ms.m[k].arcount == 0 && ms.m[k].nscount == 0 &&
		    ms.m[k].n_answers < DNS_ANSWERS_MAX)
			expect_str(descr, line, got);
		else
			test_cond(descr, fields_prefix(got, line));
		k++;
	}
	pclose(p);
	snprintf(descr, sizeof(descr), "%s: %zu messages compared", file, k);
	test_cond(descr, k > 0 && k == ms.n);
}

/* --- synthetic edge cases (written here, named so) --------------------- */

static void
test_pointers(void)
{
	/* Header, then a name at 12 that points to itself. */
	uint8_t loop[] = { 0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
	    0xc0, 12, 0, 1, 0, 1 };
	/* A chain of pointers, each to the one before, ending at a name. */
	uint8_t chain[12 + 4 + 2 * 40 + 4];
	char name[DNS_NAME_TEXT_MAX];
	struct dns_msg m;
	size_t next, i, off;

	test_cond("synthetic loop: parses", dns_parse(loop, sizeof(loop), &m)
	    == 0);
	test_cond("synthetic loop: bad name", m.bad_name);
	expect_int("synthetic loop: no question kept", 0, m.n_questions);

	memset(chain, 0, sizeof(chain));
	off = 12;
	memcpy(chain + off, "\x02" "ab\x00", 4);
	for (i = 0; i < 40; i++) {
		size_t prev = i == 0 ? 12 : 16 + 2 * (i - 1);

		chain[16 + 2 * i] = (uint8_t)(0xc0 | prev >> 8);
		chain[17 + 2 * i] = (uint8_t)prev;
	}
	/* 32 hops are allowed, 33 are not. */
	test_cond("synthetic chain: 32 hops decode",
	    dns_name_decode(chain, sizeof(chain), 16 + 2 * 31, name, &next)
	    == 0);
	expect_str("synthetic chain: name", "ab", name);
	expect_int("synthetic chain: next after first pointer", 16 + 2 * 31 + 2,
	    next);
	test_cond("synthetic chain: 33 hops refused",
	    dns_name_decode(chain, sizeof(chain), 16 + 2 * 32, name, &next)
	    == -1);
	/* Odd bytes are escaped; a pointer past the end fails. */
	{
		uint8_t odd[] = { 3, 'a', '.', 0x01, 0 };
		uint8_t past[] = { 0xc0, 0x40 };

		test_cond("synthetic escape decodes",
		    dns_name_decode(odd, sizeof(odd), 0, name, &next) == 0);
		expect_str("synthetic escape", "a\\046\\001", name);
		test_cond("synthetic pointer past end",
		    dns_name_decode(past, sizeof(past), 0, name, &next) == -1);
	}
	/* Every truncation of the loop message ends cleanly. */
	for (i = 0; i <= sizeof(loop); i++) {
		uint8_t *c = malloc(i ? i : 1);

		memcpy(c, loop, i);
		dns_parse(c, i, &m);
		free(c);
	}
}

static void
test_builder(void)
{
	uint8_t buf[512];
	char long_label[80], long_name[300];
	struct dns_msg m;
	size_t n;

	n = dns_build_query(buf, sizeof(buf), 0x1234, "device.spark.io",
	    DNS_TYPE_A);
	test_cond("query built", n == 12 + 17 + 4);
	test_cond("query parses", dns_parse(buf, n, &m) == 0);
	expect_int("id", 0x1234, m.id);
	test_cond("is query with RD", !m.qr && m.rd);
	expect_int("one question", 1, m.n_questions);
	expect_str("qname", "device.spark.io", m.question[0].name);
	expect_int("qtype", DNS_TYPE_A, m.question[0].type);
	expect_int("qclass", DNS_CLASS_IN, m.question[0].qclass);
	n = dns_build_query(buf, sizeof(buf), 7, "pool.ntp.org.", DNS_TYPE_AAAA);
	test_cond("trailing dot ok", n > 0 && dns_parse(buf, n, &m) == 0 &&
	    strcmp(m.question[0].name, "pool.ntp.org") == 0 &&
	    m.question[0].type == DNS_TYPE_AAAA);
	test_cond("empty refused", dns_build_query(buf, sizeof(buf), 1, "",
	    1) == 0);
	test_cond("root refused", dns_build_query(buf, sizeof(buf), 1, ".",
	    1) == 0);
	test_cond("empty label refused", dns_build_query(buf, sizeof(buf), 1,
	    "a..b", 1) == 0);
	test_cond("trailing double dot refused", dns_build_query(buf,
	    sizeof(buf), 1, "a..", 1) == 0);
	memset(long_label, 'x', 63);
	long_label[63] = '\0';
	test_cond("63-byte label ok", dns_build_query(buf, sizeof(buf), 1,
	    long_label, 1) > 0);
	long_label[63] = 'x';
	long_label[64] = '\0';
	test_cond("64-byte label refused", dns_build_query(buf, sizeof(buf), 1,
	    long_label, 1) == 0);
	/* 4 x 63-byte labels = 4*64+1 = 257 wire bytes: too long. */
	snprintf(long_name, sizeof(long_name), "%.63s.%.63s.%.63s.%.63s",
	    long_label, long_label, long_label, long_label);
	test_cond("name over 255 refused", dns_build_query(buf, sizeof(buf), 1,
	    long_name, 1) == 0);
	test_cond("small buffer refused", dns_build_query(buf, 20, 1,
	    "device.spark.io", 1) == 0);
}

static void
test_classes(void)
{
	static const struct {
		int		fam;
		uint8_t		a[16];
		enum dns_addr_class c;
	} cases[] = {
		{ 4, { 10, 1, 2, 3 }, DNS_ADDR_PRIVATE },
		{ 4, { 172, 16, 0, 1 }, DNS_ADDR_PRIVATE },
		{ 4, { 172, 31, 255, 255 }, DNS_ADDR_PRIVATE },
		{ 4, { 172, 32, 0, 1 }, DNS_ADDR_PUBLIC },
		{ 4, { 192, 168, 1, 1 }, DNS_ADDR_PRIVATE },
		{ 4, { 127, 0, 0, 1 }, DNS_ADDR_LOOPBACK },
		{ 4, { 169, 254, 9, 9 }, DNS_ADDR_LINK_LOCAL },
		{ 4, { 100, 64, 0, 1 }, DNS_ADDR_CGNAT },
		{ 4, { 100, 127, 255, 255 }, DNS_ADDR_CGNAT },
		{ 4, { 100, 128, 0, 1 }, DNS_ADDR_PUBLIC },
		{ 4, { 0, 0, 0, 0 }, DNS_ADDR_UNSPECIFIED },
		{ 4, { 224, 0, 1, 187 }, DNS_ADDR_MULTICAST },
		{ 4, { 255, 255, 255, 255 }, DNS_ADDR_RESERVED },
		{ 4, { 192, 0, 78, 24 }, DNS_ADDR_PUBLIC },
		{ 4, { 8, 8, 8, 8 }, DNS_ADDR_PUBLIC },
		{ 6, { [15] = 1 }, DNS_ADDR_LOOPBACK },
		{ 6, { 0 }, DNS_ADDR_UNSPECIFIED },
		{ 6, { 0xfd, 0x12 }, DNS_ADDR_PRIVATE },
		{ 6, { 0xfe, 0x80 }, DNS_ADDR_LINK_LOCAL },
		{ 6, { 0xfe, 0xc0 }, DNS_ADDR_PUBLIC },
		{ 6, { 0xff, 0x02 }, DNS_ADDR_MULTICAST },
		{ 6, { 0x20, 0x01, 0x0d, 0xb8 }, DNS_ADDR_RESERVED },
		{ 6, { 0x26, 0x06, 0x47, 0x00 }, DNS_ADDR_PUBLIC },
		{ 6, { [10] = 0xff, [11] = 0xff, 192, 168, 0, 1 },
		    DNS_ADDR_PRIVATE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char descr[80];

		snprintf(descr, sizeof(descr), "class case %zu", i);
		expect_str(descr, dns_addr_class_name(cases[i].c),
		    dns_addr_class_name(dns_addr_class(cases[i].fam,
		    cases[i].a)));
	}
	test_cond("8.8.8.8 is public", !dns_addr_is_nonpublic(4,
	    (const uint8_t *)"\x08\x08\x08\x08"));
	test_cond("10.0.0.1 is not", dns_addr_is_nonpublic(4,
	    (const uint8_t *)"\x0a\x00\x00\x01"));
	expect_str("rcode 3", "NXDOMAIN", dns_rcode_name(3));
	test_cond("rcode 15 unknown", dns_rcode_name(15) == NULL);
}

/* Every prefix of every DNS payload in the capture, exact-size copies. */
static int
prefix_cb(const struct tpkt *t, void *arg)
{
	unsigned *ok = arg;
	struct tdec d;
	struct dns_msg m;
	size_t n;

	tdecode(t, &d);
	if (!d.ip_ok || !d.ip.has_udp)
		return 0;
	for (n = 0; n <= d.ip.udp.len && n <= 1500; n++) {
		uint8_t *c = malloc(n ? n : 1);

		memcpy(c, d.ip.udp.payload, n);
		if (dns_parse(c, n, &m) == 0)
			(*ok)++;
		free(c);
	}
	return 0;
}

static void
test_robust(void)
{
	static const char *const files[] = {
		"tcpdump/dns_udp.pcap", "tcpdump/dnssec.pcap",
		"tcpdump/edns-opts.pcap", "pcapplusplus/Dns.pcap",
		"suricata-verify/dns/dns-forward-pointer/input.pcap",
		"suricata-verify/dns/dns-udp-eve-log-srv/input.pcap",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1200], descr[1300];
		unsigned ok = 0;

		snprintf(path, sizeof(path), "%s/%s", caps, files[i]);
		snprintf(descr, sizeof(descr), "%s: prefixes parsed", files[i]);
		test_cond(descr, tpcap_each(path, prefix_cb, &ok) > 0 && ok > 0);
	}
}

int
main(void)
{
	test_pointers();
	test_builder();
	test_classes();
	if ((caps = test_captures("test_dns")) == NULL)
		return test_report();
	suricata_case("dns/dns-udp-eve-dig");
	suricata_case("dns/dns-forward-pointer");
	suricata_case("dns/dns-udp-eve-txt");
	if (system("command -v tshark >/dev/null 2>&1") == 0) {
		tshark_case("tcpdump/dns_udp.pcap");
		tshark_case("pcapplusplus/DnsPackets.pcap");
		tshark_case("pcapplusplus/Dns.pcap");
		tshark_case("tcpdump/edns-opts.pcap");
	} else
		printf("SKIP test_dns: tshark missing, cross-check skipped\n");
	test_robust();
	return test_report();
}
