/*
 * test_coap.c - CoAP decoding through libcoap on the 67 ttproto
 * interoperability captures, message by message against tshark (type,
 * code, message ID, token, Uri-Path); the TD_COAP_CORE_01 exchange
 * MANIFEST.md describes; the Particle presence announcement (a datagram
 * written here, since no capture holds one); and bounds: oversized,
 * cut-off and garbage input, with LeakSanitizer watching libcoap's PDUs.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "iplayer_util.h"
#include "coapmsg.h"

static const char *caps;

struct coaprows {
	size_t	 n, udp;
	char	 row[4096][300];
};

/* Our reading, in tshark's shape: type|code|mid|token-hex|path,path */
static void
render(const struct coapmsg *m, char *out, size_t size)
{
	char tok[17] = "", path[COAPMSG_PATH_MAX] = "";
	size_t i, o = 0;

	for (i = 0; i < m->token_len; i++)
		snprintf(tok + 2 * i, 3, "%02x", m->token[i]);
	/* "/a/b" -> "a,b", as tshark lists repeated options */
	for (i = 0; m->path[i] != '\0' && o + 1 < sizeof(path); i++) {
		if (m->path[i] == '/') {
			if (i > 0)
				path[o++] = ',';
			continue;
		}
		path[o++] = m->path[i];
	}
	path[o] = '\0';
	snprintf(out, size, "%u|%u|%u|%s|%s", m->type, m->code, m->mid, tok,
	    path);
}

static int
collect_cb(const struct tpkt *t, void *arg)
{
	struct coaprows *r = arg;
	struct tdec d;
	struct coapmsg m;

	tdecode(t, &d);
	if (!d.ip_ok || !d.ip.has_udp || r->n >= 4096 ||
	    (d.ip.udp.sport != COAPMSG_PORT && d.ip.udp.dport != COAPMSG_PORT))
		return 0;
	r->udp++;
	if (coapmsg_parse(d.ip.udp.payload, d.ip.udp.len, &m) == 0)
		render(&m, r->row[r->n++], sizeof(r->row[0]));
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * All 67 captures, in sorted order: ours one by one, tshark's on the same
 * files joined by `mergecap -a` (one tshark run instead of 67).  tshark
 * also decodes CoAP quoted inside ICMP errors (not ours: no UDP header at
 * the top), and empty messages (code 0.00) that carry a token, which RFC
 * 7252 4.1 calls a format error and libcoap refuses: both are left out.
 */
static void
test_ttproto(void)
{
	static const char *const dirs[] = { "coap_core", "coap_block",
	    "coap_observe", "coap", "." };
	static struct coaprows r;
	static char *files[128];
	char dir[1200], path[1600], descr[1400], line[1024];
	char tmpl[] = "/tmp/test_coap_XXXXXX", *cmd;
	size_t i, n = 0, len, k = 0, bad = 0;
	FILE *p;
	int fd;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/ttproto-coap/%s", caps, dirs[i]);
		if ((d = opendir(dir)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL && n < 128) {
			size_t l = strlen(e->d_name);

			if (l < 5 || strcmp(e->d_name + l - 5, ".pcap") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			files[n++] = strdup(path);
		}
		closedir(d);
	}
	expect_int("all 67 ttproto captures found", 67, n);
	qsort(files, n, sizeof(files[0]), cmp_str);
	memset(&r, 0, sizeof(r));
	len = 200;
	for (i = 0; i < n; i++) {
		tpcap_each(files[i], collect_cb, &r);
		len += strlen(files[i]) + 3;
	}
	if ((fd = mkstemp(tmpl)) >= 0)
		close(fd);
	cmd = malloc(len);
	snprintf(cmd, len, "mergecap -a -F pcapng -w %s", tmpl);
	for (i = 0; i < n; i++) {
		strcat(cmd, " '");
		strcat(cmd, files[i]);
		strcat(cmd, "'");
		free(files[i]);
	}
	test_cond("mergecap ran", system(cmd) == 0);
	snprintf(cmd, len, "tshark -r %s -Y 'coap && udp.port==5683 && !icmp "
	    "&& !icmpv6 && !(coap.code==0 && coap.token)' -T fields "
	    "-E 'separator=|' -e coap.type -e coap.code -e coap.mid "
	    "-e coap.token -e coap.opt.uri_path 2>/dev/null", tmpl);
	if ((p = popen(cmd, "r")) != NULL) {
		while (fgets(line, sizeof(line), p) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (k < r.n && strcmp(line, r.row[k]) != 0 && bad++ < 5) {
				snprintf(descr, sizeof(descr), "message %zu", k + 1);
				expect_str(descr, line, r.row[k]);
			}
			k++;
		}
		pclose(p);
	}
	unlink(tmpl);
	free(cmd);
	snprintf(descr, sizeof(descr), "%zu messages as tshark, %zu ours", k,
	    r.n);
	test_cond(descr, k == r.n && bad == 0 && k > 300);
}

/* MANIFEST.md: CON GET /test, MID 43521, token 0x62da, ACK 2.05. */
static void
test_core01(void)
{
	static struct coaprows r;
	char path[1200];

	snprintf(path, sizeof(path),
	    "%s/ttproto-coap/coap_core/TD_COAP_CORE_01_PASS.pcap", caps);
	memset(&r, 0, sizeof(r));
	tpcap_each(path, collect_cb, &r);
	expect_int("CORE_01: two messages", 2, r.n);
	expect_str("CORE_01 request", "0|1|43521|62da|test", r.row[0]);
	expect_str("CORE_01 response", "2|69|43521|62da|", r.row[1]);
}

static void
test_names(void)
{
	char b[16];

	expect_str("GET", "GET", coapmsg_code_str(1, b, sizeof(b)));
	expect_str("iPATCH", "iPATCH", coapmsg_code_str(7, b, sizeof(b)));
	expect_str("2.05", "2.05", coapmsg_code_str(69, b, sizeof(b)));
	expect_str("4.04", "4.04", coapmsg_code_str(132, b, sizeof(b)));
	expect_str("0.00", "0.00", coapmsg_code_str(0, b, sizeof(b)));
	expect_str("ACK", "ACK", coapmsg_type_name(COAPMSG_ACK));
	expect_str("bad type", "?", coapmsg_type_name(9));
}

/* The presence announcement, written here (particle-cloud.md 1.7). */
static void
test_presence(void)
{
	static const uint8_t dev[12] = { 0x53, 0xff, 0x6d, 0x06, 0x50, 0x75,
	    0x53, 0x54, 0x38, 0x15, 0x09, 0x87 };
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 }, bc[6] = { 1, 0,
	    0x5e, 0, 1, 187 }, src[4] = { 192, 168, 1, 20 };
	uint8_t msg[19], frame[100];
	char hex[25];
	struct coapmsg m;
	struct linklayer_frame ll;
	struct ip_packet ip;
	size_t n;

	memcpy(msg, "\x50\x02\x00\x00\xb1\x68\xff", 7);
	memcpy(msg + 7, dev, 12);
	test_cond("synthetic presence recognised",
	    coapmsg_presence(msg, sizeof(msg), hex));
	expect_str("device id", "53ff6d065075535438150987", hex);
	test_cond("it is CoAP too", coapmsg_parse(msg, sizeof(msg), &m) == 0);
	test_cond("NON POST /h", m.type == COAPMSG_NON && m.code == 2 &&
	    m.mid == 0 && m.token_len == 0 && strcmp(m.path, "/h") == 0 &&
	    m.payload_len == 12);
	test_cond("18 bytes is not", !coapmsg_presence(msg, 18, hex));
	test_cond("20 bytes is not", !coapmsg_presence(frame, 0, hex));
	msg[5] = 'i';
	test_cond("other path is not", !coapmsg_presence(msg, sizeof(msg),
	    hex));
	msg[5] = 'h';
	/* Through the whole stack, as the analyzer will meet it. */
	n = ip_build_udp4_frame(frame, sizeof(frame), bc, mac, src,
	    coapmsg_presence_group, 5683, 5683, msg, sizeof(msg));
	test_cond("presence frame decodes", linklayer_decode(1, frame, n, &ll)
	    == 0 && ip_decode(ll.ethertype, ll.payload, ll.len, &ip) == 0 &&
	    ip.has_udp && memcmp(ip.dst.a, coapmsg_presence_group, 4) == 0 &&
	    coapmsg_presence(ip.udp.payload, ip.udp.len, hex) &&
	    strcmp(hex, "53ff6d065075535438150987") == 0);
}

static void
test_bounds(void)
{
	static uint8_t big[COAPMSG_MAX + 8];
	uint8_t get[] = { 0x42, 0x01, 0xaa, 0x01, 0x62, 0xda, 0xb4, 't', 'e',
	    's', 't' };
	struct coapmsg m;
	size_t i;

	test_cond("get parses", coapmsg_parse(get, sizeof(get), &m) == 0 &&
	    strcmp(m.path, "/test") == 0 && m.token_len == 2);
	for (i = 0; i <= sizeof(get); i++) {
		uint8_t *c = malloc(i ? i : 1);

		memcpy(c, get, i);
		coapmsg_parse(c, i, &m);
		free(c);
	}
	test_cond("cut token refused", coapmsg_parse(get, 5, &m) == -1);
	get[0] = 0x4f;		/* token length 15: reserved */
	test_cond("tkl 15 refused", coapmsg_parse(get, sizeof(get), &m) == -1);
	get[0] = 0x82;		/* version 2 */
	test_cond("version 2 refused", coapmsg_parse(get, sizeof(get), &m)
	    == -1);
	memset(big, 0, sizeof(big));
	big[0] = 0x40;
	big[1] = 0x01;
	big[4] = 0xff;
	test_cond("max size accepted", coapmsg_parse(big, COAPMSG_MAX, &m)
	    == 0 && m.payload_len == COAPMSG_MAX - 5);
	test_cond("oversize refused", coapmsg_parse(big, COAPMSG_MAX + 1, &m)
	    == -1);
	test_cond("NULL refused", coapmsg_parse(NULL, 0, &m) == -1);
	/* Many path segments: the joined path is bounded, and says so. */
	{
		uint8_t many[4 + 200 * 2];
		size_t n = 4, k;

		memcpy(many, "\x40\x01\x00\x01", 4);
		many[n++] = 0xb1;
		many[n++] = 'a';
		for (k = 1; k < 199; k++) {
			many[n++] = 0x01;	/* delta 0: Uri-Path again */
			many[n++] = 'b';
		}
		test_cond("long path bounded", coapmsg_parse(many, n, &m) == 0
		    && m.path_truncated && strlen(m.path) < COAPMSG_PATH_MAX);
	}
}

int
main(void)
{
	test_names();
	test_presence();
	test_bounds();
	if ((caps = test_captures("test_coap")) == NULL)
		return test_report();
	test_core01();
	if (system("command -v tshark >/dev/null 2>&1 && "
	    "command -v mergecap >/dev/null 2>&1") != 0)
		printf("SKIP test_coap: tshark missing, cross-check skipped\n");
	else
		test_ttproto();
	return test_report();
}
