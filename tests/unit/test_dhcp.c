/*
 * test_dhcp.c - the DHCP parser against real captures and the upstream
 * expectations that come with them (suricata-verify test.yaml, zeek
 * dhcp.log baselines, tshark's own decoding), option 52 overload included;
 * the DISCOVER builder by round trip and by tshark's checksum verdict;
 * and every prefix of real messages (plus tcpdump's bootp_asan captures)
 * for crashes under the sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "iplayer_util.h"
#include "dhcp.h"

static const char *caps;

/* Decode packet `t` down to a DHCP message; false if it is not one. */
static bool
decode_dhcp(const struct tpkt *t, struct tdec *d, struct dhcp_msg *m)
{
	tdecode(t, d);
	if (!d->ip_ok || !d->ip.has_udp ||
	    (d->ip.udp.sport != 67 && d->ip.udp.sport != 68 &&
	    d->ip.udp.dport != 67 && d->ip.udp.dport != 68))
		return false;
	return dhcp_parse(d->ip.udp.payload, d->ip.udp.len, m) == 0;
}

static const char *
param_name(uint8_t code)
{
	switch (code) {
	case 1:		return "subnet_mask";
	case 3:		return "router";
	case 6:		return "dns_server";
	case 15:	return "domain";
	default:	return NULL;
	}
}

static void
lower_copy(char *out, size_t size, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

/* A suricata EVE "dhcp.*" field, rendered from our parse; false if we do
 * not decode that field (it is then not checked). */
static bool
dhcp_field(const struct dhcp_msg *m, const char *key, char *out, size_t size)
{
	const char *rest;
	int i;

	if (strncmp(key, "dhcp.", 5) != 0)
		return false;
	key += 5;
	if (strcmp(key, "id") == 0)
		snprintf(out, size, "%u", m->xid);
	else if (strcmp(key, "type") == 0)
		snprintf(out, size, "%s", m->op == 1 ? "request" : "reply");
	else if (strcmp(key, "dhcp_type") == 0 && dhcp_type_name(m->type))
		lower_copy(out, size, dhcp_type_name(m->type));
	else if (strcmp(key, "client_mac") == 0 && m->has_client_mac)
		tfmt_mac(m->client_mac, out, size);
	else if (strcmp(key, "assigned_ip") == 0)
		tfmt_ip4(m->yiaddr, out, size);
	else if (strcmp(key, "client_ip") == 0)
		tfmt_ip4(m->ciaddr, out, size);
	else if (strcmp(key, "next_server_ip") == 0)
		tfmt_ip4(m->siaddr, out, size);
	else if (strcmp(key, "relay_ip") == 0)
		tfmt_ip4(m->giaddr, out, size);
	else if (strcmp(key, "lease_time") == 0 && m->has_lease)
		snprintf(out, size, "%u", m->lease);
	else if (strcmp(key, "renewal_time") == 0 && m->has_renewal)
		snprintf(out, size, "%u", m->renewal);
	else if (strcmp(key, "rebinding_time") == 0 && m->has_rebinding)
		snprintf(out, size, "%u", m->rebinding);
	else if (strcmp(key, "subnet_mask") == 0 && m->has_mask)
		tfmt_ip4(m->mask, out, size);
	else if (strcmp(key, "hostname") == 0)
		snprintf(out, size, "%.*s", (int)m->hostname.len, m->hostname.s);
	else if (strcmp(key, "vendor_class_identifier") == 0)
		snprintf(out, size, "%s", m->vendor_class.s);
	else if ((rest = tkey_index(key, "routers", &i)) != NULL && !*rest) {
		if (i < 0 || (size_t)i >= m->n_routers)
			snprintf(out, size, "(none)");
		else
			tfmt_ip4(m->routers[i], out, size);
	} else if ((rest = tkey_index(key, "dns_servers", &i)) != NULL &&
	    !*rest) {
		if (i < 0 || (size_t)i >= m->n_dns)
			snprintf(out, size, "(none)");
		else
			tfmt_ip4(m->dns[i], out, size);
	} else if ((rest = tkey_index(key, "params", &i)) != NULL && !*rest) {
		int j, k = -1;

		/* suricata lists the requested options it has names for;
		 * its index counts only those. */
		for (j = 0; j < m->n_params && k < i; j++)
			if (param_name(m->params[j]) != NULL)
				k++;
		if (k != i)
			return false;
		snprintf(out, size, "%s", param_name(m->params[j - 1]));
	} else
		return false;
	return true;
}

/* One suricata-verify case: every filter with a pcap_cnt is checked. */
static void
suricata_case(const char *name)
{
	static struct tyaml y;
	static struct tnth w;
	char path[1200], yaml[1200], got[256], descr[512];
	int i, k, checked = 0;

	snprintf(yaml, sizeof(yaml), "%s/suricata-verify/%s/test.yaml", caps,
	    name);
	snprintf(path, sizeof(path), "%s/suricata-verify/%s/input.pcap", caps,
	    name);
	if (tyaml_load(yaml, &y) != 0) {
		test_cond(yaml, 0);
		return;
	}
	for (i = 0; i < y.n; i++) {
		const struct tfilter *f = &y.f[i];
		const char *cnt = tfilter_get(f, "pcap_cnt");
		const char *ev = tfilter_get(f, "event_type");
		struct tpkt t;
		struct tdec d;
		struct dhcp_msg m;

		if (cnt == NULL || ev == NULL || strcmp(ev, "dhcp") != 0)
			continue;
		memset(&w, 0, sizeof(w));
		w.want = (unsigned)atoi(cnt);
		tpcap_each(path, tnth_cb, &w);
		snprintf(descr, sizeof(descr), "%s: packet %s is DHCP", name, cnt);
		t = (struct tpkt){ w.dlt, w.buf, w.caplen, w.caplen, w.want };
		test_cond(descr, w.found && decode_dhcp(&t, &d, &m));
		if (!w.found)
			continue;
		for (k = 0; k < f->n; k++) {
			if (!dhcp_field(&m, f->key[k], got, sizeof(got)) &&
			    !tip_field(&d, f->key[k], got, sizeof(got)))
				continue;
			snprintf(descr, sizeof(descr), "%s pkt %s %s", name, cnt,
			    f->key[k]);
			expect_str(descr, f->val[k], got);
			checked++;
		}
	}
	snprintf(descr, sizeof(descr), "%s: some values were checked", name);
	test_cond(descr, checked >= 4);
}

/* --- zeek dhcp.log ---------------------------------------------------- */

#define MSGS_MAX 16

struct msgs {
	size_t		 n;
	struct dhcp_msg	 m[MSGS_MAX];
	struct ip_addr	 src[MSGS_MAX], dst[MSGS_MAX];
};

static int
collect_cb(const struct tpkt *t, void *arg)
{
	struct msgs *ms = arg;
	struct tdec d;

	if (ms->n < MSGS_MAX && decode_dhcp(t, &d, &ms->m[ms->n])) {
		ms->src[ms->n] = d.ip.src;
		ms->dst[ms->n] = d.ip.dst;
		ms->n++;
	}
	return 0;
}

/* Split a tab-separated line in place. */
static int
split_tabs(char *line, char **col, int max)
{
	int n = 0;
	char *s = line;

	while (n < max) {
		col[n++] = s;
		if ((s = strchr(s, '\t')) == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

static int
col_index(char **names, int n, const char *want)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return i;
	return -1;
}

/*
 * A zeek baseline against its trace.  Rows are transactions in capture
 * order; msg_types lists their messages, so rows consume our messages in
 * sequence.  Each other column must be found among that row's messages.
 */
static void
zeek_case(const char *baseline, const char *trace)
{
	static struct msgs ms;
	char path[1200], line[2048], hdr[2048], descr[600], got[128];
	char *names[32], *col[32];
	int nn = 0, nc, rows = 0;
	size_t next = 0;
	FILE *f;

	memset(&ms, 0, sizeof(ms));
	snprintf(path, sizeof(path), "%s/zeek/Traces/dhcp/%s", caps, trace);
	test_cond(trace, tpcap_each(path, collect_cb, &ms) > 0);
	snprintf(path, sizeof(path),
	    "%s/zeek/Baseline/scripts.base.protocols.dhcp.%s/dhcp.log", caps,
	    baseline);
	if ((f = fopen(path, "r")) == NULL) {
		test_cond(path, 0);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t l = strlen(line), j, first;
		char *tok, *save = NULL;
		int c;

		if (l > 0 && line[l - 1] == '\n')
			line[--l] = '\0';
		if (strncmp(line, "#fields\t", 8) == 0) {
			snprintf(hdr, sizeof(hdr), "%s", line + 8);
			nn = split_tabs(hdr, names, 32);
			continue;
		}
		if (line[0] == '#' || nn == 0)
			continue;
		nc = split_tabs(line, col, 32);
		rows++;
		first = next;
		/* msg_types: the row's messages, in order. */
		c = col_index(names, nn, "msg_types");
		if (c < 0 || c >= nc) {
			test_cond("msg_types column", 0);
			break;
		}
		for (tok = strtok_r(col[c], ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save), next++) {
			snprintf(descr, sizeof(descr), "%s row %d message %zu "
			    "type", baseline, rows, next + 1);
			expect_str(descr, tok, next < ms.n ?
			    dhcp_type_name(ms.m[next].type) : "(missing)");
		}
		if (next > ms.n)
			break;
		for (c = 0; c < nn && c < nc; c++) {
			const char *want = col[c];
			bool found = false, known = true;

			if (strcmp(want, "-") == 0)
				continue;
			for (j = first; j < next && !found; j++) {
				const struct dhcp_msg *m = &ms.m[j];

				got[0] = '\0';
				if (strcmp(names[c], "mac") == 0)
					tfmt_mac(m->client_mac, got, sizeof(got));
				else if (strcmp(names[c], "host_name") == 0)
					snprintf(got, sizeof(got), "%s",
					    m->hostname.s);
				else if (strcmp(names[c], "domain") == 0)
					snprintf(got, sizeof(got), "%s",
					    m->domain.s);
				else if (strcmp(names[c], "requested_addr") == 0 &&
				    m->has_requested)
					tfmt_ip4(m->requested, got, sizeof(got));
				else if (strcmp(names[c], "assigned_addr") == 0 &&
				    m->type == DHCPACK)
					tfmt_ip4(m->yiaddr, got, sizeof(got));
				else if (strcmp(names[c], "lease_time") == 0 &&
				    m->has_lease)
					snprintf(got, sizeof(got), "%u.000000",
					    m->lease);
				else if (strcmp(names[c], "server_message") == 0 &&
				    m->op == 2)
					snprintf(got, sizeof(got), "%s",
					    m->message.s);
				else if (strcmp(names[c], "client_addr") == 0) {
					/* zeek takes the client's end of the
					 * flow, or the address it is given */
					ip_addr_str(m->op == 1 ? &ms.src[j] :
					    &ms.dst[j], got, sizeof(got));
					if (m->op == 2 && strcmp(got, want) != 0)
						tfmt_ip4(m->yiaddr, got,
						    sizeof(got));
				} else if (strcmp(names[c], "server_addr") == 0) {
					if (m->has_server_id)
						tfmt_ip4(m->server_id, got,
						    sizeof(got));
				} else
					known = false;
				found = known && strcmp(got, want) == 0;
			}
			if (!known)
				continue;
			snprintf(descr, sizeof(descr), "%s row %d %s = %s",
			    baseline, rows, names[c], want);
			test_cond(descr, found);
		}
	}
	fclose(f);
	snprintf(descr, sizeof(descr), "%s: rows read", baseline);
	test_cond(descr, rows > 0);
}

/* --- tshark cross-check of option overload ----------------------------- */

static bool
have_tshark(void)
{
	return system("command -v tshark >/dev/null 2>&1") == 0;
}

static int
first_cb(const struct tpkt *t, void *arg)
{
	struct dhcp_msg *m = arg;
	struct tdec d;

	if (decode_dhcp(t, &d, m))
		return 1;
	return 0;
}

static void
test_overload_both(void)
{
	char path[1200], cmd[1400], line[1024], tk[3][256], want[800];
	struct dhcp_msg m;
	FILE *p;
	char *tok, *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path),
	    "%s/suricata-verify/dhcp-option-52-overload-both/input.pcap", caps);
	memset(&m, 0, sizeof(m));
	test_cond("overload-both read", tpcap_each(path, first_cb, &m) > 0);
	expect_int("overload-both: option 52 = 3", 3, m.overload);
	if (!have_tshark()) {
		printf("SKIP test_dhcp: tshark missing, overload text unchecked\n");
		return;
	}
	/* tshark lists the option 56 instances it found in sname and file. */
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -T fields -E separator=, "
	    "-e dhcp.option.message 2>/dev/null", path);
	if ((p = popen(cmd, "r")) == NULL || fgets(line, sizeof(line), p) ==
	    NULL) {
		test_cond("tshark ran", 0);
		if (p != NULL)
			pclose(p);
		return;
	}
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	/* tshark lists sname's, then file's, then the main field's. */
	for (tok = strtok_r(line, ",", &save); tok != NULL && n < 3;
	    tok = strtok_r(NULL, ",", &save))
		snprintf(tk[n++], sizeof(tk[0]), "%s", tok);
	expect_int("tshark saw three option 56 instances", 3, n);
	/* RFC 2131 4.1 and RFC 3396: main, then file, then sname, joined. */
	snprintf(want, sizeof(want), "%s%s%s", tk[2], tk[1], tk[0]);
	expect_str("option 56 joined in RFC order", want, m.message.s);
}

/* --- builder ----------------------------------------------------------- */

static void
test_builder(void)
{
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t want_params[] = { 1, 3, 6, 15, 51, 114 };
	uint8_t msg[600], frame[700];
	struct dhcp_msg m;
	struct linklayer_frame ll;
	struct ip_packet ip;
	size_t n, fn, i, j;
	uint32_t sum;

	n = dhcp_build_discover(msg, sizeof(msg), mac, 0xdeadbeef, 3, "probe");
	test_cond("discover built", n >= 300);
	expect_int("too small buffer refused", 0,
	    dhcp_build_discover(frame, 200, mac, 1, 0, NULL));
	test_cond("discover parses", dhcp_parse(msg, n, &m) == 0);
	expect_int("op request", 1, m.op);
	expect_int("type DISCOVER", DHCPDISCOVER, m.type);
	expect_int("xid", 0xdeadbeef, m.xid);
	expect_int("secs", 3, m.secs);
	test_cond("broadcast flag", (m.flags & 0x8000) != 0);
	expect_mem("client mac", mac, m.client_mac, 6);
	expect_str("hostname", "probe", m.hostname.s);
	test_cond("no truncation", !m.truncated);
	for (i = 0; i < sizeof(want_params); i++) {
		bool found = false;
		char descr[64];

		for (j = 0; j < m.n_params; j++)
			found |= m.params[j] == want_params[i];
		snprintf(descr, sizeof(descr), "requests option %u",
		    want_params[i]);
		test_cond(descr, found);
	}

	fn = dhcp_build_frame(frame, sizeof(frame), mac, msg, n);
	expect_int("frame length", 14 + 20 + 8 + n, fn);
	expect_int("frame too small refused", 0,
	    dhcp_build_frame(frame, 100, mac, msg, n));
	test_cond("frame link decodes",
	    linklayer_decode(1, frame, fn, &ll) == 0);
	test_cond("frame is broadcast", memcmp(ll.dst, "\xff\xff\xff\xff\xff"
	    "\xff", 6) == 0);
	expect_mem("frame source mac", mac, ll.src, 6);
	test_cond("frame ip decodes",
	    ip_decode(ll.ethertype, ll.payload, ll.len, &ip) == 0);
	test_cond("ip checksum verifies", !ip.bad_checksum);
	test_cond("udp 68 -> 67", ip.has_udp && ip.udp.sport == 68 &&
	    ip.udp.dport == 67);
	/* The UDP checksum over pseudo header + datagram must sum to 0. */
	sum = 0;
	for (i = 0; i < 8; i += 2)
		sum += (uint32_t)(frame[26 + i] << 8 | frame[27 + i]);
	sum += 17 + 8 + (uint32_t)n;
	for (i = 0; i + 1 < 8 + n; i += 2)
		sum += (uint32_t)(frame[34 + i] << 8 | frame[35 + i]);
	if ((8 + n) & 1)
		sum += (uint32_t)frame[34 + 8 + n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	expect_int("udp checksum verifies", 0xffff, sum);
	test_cond("frame round trip",
	    dhcp_parse(ip.udp.payload, ip.udp.len, &m) == 0 &&
	    m.xid == 0xdeadbeef);

	/* tshark's verdict on the frame, as a second opinion. */
	if (have_tshark()) {
		char tmpl[] = "/tmp/test_dhcp_XXXXXX";
		int fd = mkstemp(tmpl);
		pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
		pcap_dumper_t *dump;
		struct pcap_pkthdr h;
		char cmd[256], out[256] = "";
		FILE *p;

		if (fd >= 0)
			close(fd);
		dump = pd != NULL ? pcap_dump_open(pd, tmpl) : NULL;
		test_cond("pcap for tshark written", dump != NULL);
		if (dump != NULL) {
			memset(&h, 0, sizeof(h));
			h.caplen = h.len = (bpf_u_int32)fn;
			pcap_dump((u_char *)dump, &h, frame);
			pcap_dump_close(dump);
			snprintf(cmd, sizeof(cmd), "tshark -r %s "
			    "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "
			    "-T fields -E separator=\\| -e ip.checksum.status "
			    "-e udp.checksum.status -e dhcp.option.dhcp "
			    "-e dhcp.flags.bc -e dhcp.id 2>/dev/null", tmpl);
			if ((p = popen(cmd, "r")) != NULL) {
				if (fgets(out, sizeof(out), p) == NULL)
					out[0] = '\0';
				pclose(p);
			}
			out[strcspn(out, "\n")] = '\0';
			/* status 1 = good (0 bad, 2 unverified); DISCOVER;
			 * broadcast; xid */
			expect_str("tshark: checksums good, DISCOVER, broadcast",
			    "1|1|1|1|0xdeadbeef", out);
		}
		if (pd != NULL)
			pcap_close(pd);
		unlink(tmpl);
	} else
		printf("SKIP test_dhcp: tshark missing, frame not cross-checked\n");
}

/* --- robustness -------------------------------------------------------- */

/* Every prefix of every DHCP payload, in an exact-size heap copy. */
static int
prefix_cb(const struct tpkt *t, void *arg)
{
	unsigned *count = arg;
	struct tdec d;
	struct dhcp_msg m;
	size_t n;

	tdecode(t, &d);
	if (!d.ip_ok || !d.ip.has_udp)
		return 0;
	for (n = 0; n <= d.ip.udp.len; n++) {
		uint8_t *copy = malloc(n > 0 ? n : 1);

		memcpy(copy, d.ip.udp.payload, n);
		if (dhcp_parse(copy, n, &m) == 0)
			(*count)++;
		free(copy);
	}
	return 0;
}

static void
test_robust(void)
{
	static const char *const files[] = {
		"tcpdump/bootp_asan.pcap", "tcpdump/bootp_asan-2.pcap",
		"tcpdump/dhcp-rfc3004.pcap", "tcpdump/dhcp-rfc4388.pcap",
		"tcpdump/dhcp-rfc5859.pcap", "tcpdump/dhcp-mud.pcap",
		"tcpdump/dhcp-option-33.pcap", "tcpdump/dhcp-option-108.pcapng",
		"pcapplusplus/Dhcp1.pcap", "pcapplusplus/Dhcp2.pcap",
		"pcapplusplus/Dhcp3.pcap", "pcapplusplus/Dhcp4.pcap",
		"zeek/Traces/dhcp/dhcp_flood.pcap",
	};
	char path[1200], descr[1300];
	size_t i;
	uint8_t junk[400];
	struct dhcp_msg m;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		unsigned ok = 0;

		snprintf(path, sizeof(path), "%s/%s", caps, files[i]);
		snprintf(descr, sizeof(descr), "%s read", files[i]);
		test_cond(descr, tpcap_each(path, prefix_cb, &ok) > 0);
		snprintf(descr, sizeof(descr), "%s: prefixes parsed", files[i]);
		/* The fuzzer-made bootp_asan files need only not crash. */
		if (strstr(files[i], "asan") == NULL)
			test_cond(descr, ok > 0);
	}
	/* A message whose option runs past the end says so. */
	memset(junk, 0, sizeof(junk));
	junk[0] = 2;
	junk[236] = 0x63; junk[237] = 0x82; junk[238] = 0x53; junk[239] = 0x63;
	junk[240] = DHO_ROUTERS;
	junk[241] = 200;
	test_cond("overrun parses", dhcp_parse(junk, 250, &m) == 0);
	test_cond("overrun flagged", m.truncated && m.n_routers == 0);
	junk[0] = 9;
	test_cond("bad op refused", dhcp_parse(junk, 250, &m) == -1);
	test_cond("short refused", dhcp_parse(junk, 100, &m) == -1);
	test_cond("NULL refused", dhcp_parse(NULL, 0, &m) == -1);
	expect_str("type name 6", "NAK", dhcp_type_name(6));
	test_cond("type name 99", dhcp_type_name(99) == NULL);
}

/* The Dhcp1 OFFER from PcapPlusPlus against tshark's reading. */
static void
test_tshark_fields(void)
{
	static const char *const files[] = {
		"pcapplusplus/Dhcp1.pcap", "pcapplusplus/Dhcp3.pcap",
		"suricata-verify/dhcp-option-52-overload/input.pcap",
		"zeek/Traces/dhcp/dhcp_time_and_nameserver.pcap",
		"zeek/Traces/dhcp/dhcp.pcap",
	};
	size_t i;

	if (!have_tshark()) {
		printf("SKIP test_dhcp: tshark missing, field cross-check skipped\n");
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		static struct msgs ms;
		char path[1200], cmd[1500], line[512], want[512], got[512];
		char descr[1600];
		FILE *p;
		size_t k = 0;

		memset(&ms, 0, sizeof(ms));
		snprintf(path, sizeof(path), "%s/%s", caps, files[i]);
		tpcap_each(path, collect_cb, &ms);
		snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y dhcp -T fields "
		    "-E separator=\\| -e dhcp.option.dhcp -e dhcp.id "
		    "-e dhcp.ip.your -e dhcp.option.router "
		    "-e dhcp.option.domain_name_server "
		    "-e dhcp.option.ip_address_lease_time "
		    "-e dhcp.option.time_offset 2>/dev/null", path);
		if ((p = popen(cmd, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), p) != NULL && k < ms.n) {
			const struct dhcp_msg *m = &ms.m[k++];
			char r[64] = "", dn[64] = "", lease[16] = "", y[16];
			char tz[16] = "";

			line[strcspn(line, "\n")] = '\0';
			snprintf(want, sizeof(want), "%s", line);
			if (m->n_routers > 0)
				tfmt_ip4(m->routers[0], r, sizeof(r));
			if (m->n_dns > 0)
				tfmt_ip4(m->dns[0], dn, sizeof(dn));
			if (m->has_lease)
				snprintf(lease, sizeof(lease), "%u", m->lease);
			tfmt_ip4(m->yiaddr, y, sizeof(y));
			if (m->has_time_offset)
				snprintf(tz, sizeof(tz), "%d", m->time_offset);
			/* tshark joins repeated fields with ','; take the
			 * first of each. */
			{
				char *s, *o = want;

				for (s = want; *s; s++) {
					if (*s == ',') {
						while (s[1] && s[1] != '|')
							s++;
						continue;
					}
					*o++ = *s;
				}
				*o = '\0';
			}
			snprintf(got, sizeof(got), "%u|0x%08x|%s|%s|%s|%s|%s",
			    m->type, m->xid, y, r, dn, lease, tz);
			snprintf(descr, sizeof(descr), "%s message %zu vs tshark",
			    files[i], k);
			expect_str(descr, want, got);
		}
		pclose(p);
		snprintf(descr, sizeof(descr), "%s: all messages compared",
		    files[i]);
		test_cond(descr, k == ms.n && k > 0);
	}
}

/*
 * An OFFER written here, since no capture has option 114: the captive
 * portal URI split over two instances (RFC 3396), the second in the file
 * field by overload, and a router list cut in the middle of an address.
 */
static void
test_synthetic_offer(void)
{
	static const char uri1[] = "https://portal.example/", uri2[] = "api";
	uint8_t b[548];
	size_t o = 240;
	struct dhcp_msg m;

	memset(b, 0, sizeof(b));
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 4, "\x01\x02\x03\x04", 4);
	memcpy(b + 16, "\xc0\xa8\x01\x64", 4);		/* yiaddr */
	memcpy(b + 28, "\x02\x00\x00\x00\x00\x07", 6);	/* chaddr */
	memcpy(b + 236, "\x63\x82\x53\x63", 4);
	memcpy(b + o, "\x35\x01\x02\x34\x01\x01", 6);	/* OFFER, overload 1 */
	o += 6;
	memcpy(b + o, "\x36\x04\xc0\xa8\x01\x01", 6);	/* server id */
	o += 6;
	b[o++] = DHO_CAPTIVE_PORTAL;
	b[o++] = sizeof(uri1) - 1;
	memcpy(b + o, uri1, sizeof(uri1) - 1);
	o += sizeof(uri1) - 1;
	memcpy(b + o, "\x03\x06\xc0\xa8\x01\x01\x0a\x00", 8); /* routers.. */
	o += 8;
	memcpy(b + o, "\x03\x02\x00\x01", 4);		/* ..continued */
	o += 4;
	b[o++] = DHO_END;
	/* file field (offset 108): the rest of the URI. */
	b[108] = DHO_CAPTIVE_PORTAL;
	b[109] = sizeof(uri2) - 1;
	memcpy(b + 110, uri2, sizeof(uri2) - 1);
	b[110 + sizeof(uri2) - 1] = DHO_END;

	test_cond("synthetic offer parses", dhcp_parse(b, o, &m) == 0);
	expect_int("type OFFER", DHCPOFFER, m.type);
	expect_int("overload file", 1, m.overload);
	expect_str("option 114 joined from options and file",
	    "https://portal.example/api", m.captive_portal.s);
	expect_int("two routers from split instances", 2, m.n_routers);
	test_cond("second router 10.0.0.1", m.n_routers == 2 &&
	    memcmp(m.routers[1], "\x0a\x00\x00\x01", 4) == 0);
	test_cond("server id", m.has_server_id && m.server_id[3] == 1);
	test_cond("no truncation", !m.truncated);
	/* Without the overload flag the file field is a file name. */
	b[240 + 5] = 0;
	test_cond("no overload: file ignored", dhcp_parse(b, o, &m) == 0 &&
	    strcmp(m.captive_portal.s, uri1) == 0);
	/* Cut before END: what was read stays, and it says so. */
	test_cond("cut before END", dhcp_parse(b, o - 1, &m) == 0 &&
	    m.truncated && m.n_routers == 2);
}

int
main(void)
{
	test_builder();
	test_synthetic_offer();
	if ((caps = test_captures("test_dhcp")) == NULL)
		return test_report();
	suricata_case("dhcp-eve-extended");
	suricata_case("dhcp-eve-extended-option-60");
	suricata_case("dhcp-option-52-overload");
	suricata_case("dhcp-option-52-overload-both");
	zeek_case("dhcp-all-msg-types", "dhcp.pcap");
	zeek_case("dhcp-ack-msg-types",
	    "dhcp_ack_subscriber_id_and_agent_remote_id.pcap");
	zeek_case("dhcp-discover-msg-types",
	    "dhcp_discover_param_req_and_client_id.pcap");
	zeek_case("inform", "dhcp_inform.pcap");
	test_overload_both();
	test_tshark_fields();
	test_robust();
	return test_report();
}
