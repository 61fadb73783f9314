/*
 * test_http.c - the HTTP status line, Location and request-line parser on
 * real traffic: every response and redirect in PcapPlusPlus's
 * 650HttpResponses.pcap and every request in 4KHttpRequests.pcap, compared
 * as a whole with tshark's reading; then captive-portal pages written here
 * (named synthetic) for <title>, and malformed or cut-off input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"
#include "iplayer_util.h"
#include "http.h"

static const char *caps;

#define ROWS_MAX 4096

struct rows {
	size_t	 n;
	char	*row[ROWS_MAX];
};

static void
rows_add(struct rows *r, const char *s)
{
	if (r->n < ROWS_MAX)
		r->row[r->n++] = strdup(s);
}

static void
rows_free(struct rows *r)
{
	while (r->n > 0)
		free(r->row[--r->n]);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort both and compare; report at most a few differences. */
static void
rows_compare(const char *what, struct rows *want, struct rows *got)
{
	char descr[300];
	size_t i, bad = 0;

	qsort(want->row, want->n, sizeof(char *), cmp_str);
	qsort(got->row, got->n, sizeof(char *), cmp_str);
	snprintf(descr, sizeof(descr), "%s: count as tshark", what);
	expect_int(descr, want->n, got->n);
	for (i = 0; i < want->n && i < got->n; i++) {
		if (strcmp(want->row[i], got->row[i]) == 0)
			continue;
		if (bad++ < 3) {
			snprintf(descr, sizeof(descr), "%s: row %zu", what, i);
			expect_str(descr, want->row[i], got->row[i]);
		}
	}
	snprintf(descr, sizeof(descr), "%s: all rows agree", what);
	test_cond(descr, bad == 0 && want->n > 0);
}

struct scan {
	struct rows	 resp, redirects, req;
};

/* Each TCP segment that starts a response or request. */
static int
scan_cb(const struct tpkt *t, void *arg)
{
	struct scan *s = arg;
	struct tdec d;
	struct http_response r;
	struct http_request q;
	char line[4096];

	tdecode(t, &d);
	if (!d.ip_ok || !d.ip.has_tcp || d.ip.tcp.len == 0)
		return 0;
	if (http_parse_response(d.ip.tcp.payload, d.ip.tcp.len, &r) == 0) {
		snprintf(line, sizeof(line), "%d", r.status);
		rows_add(&s->resp, line);
		if (r.location.p != NULL) {
			snprintf(line, sizeof(line), "%d %.*s", r.status,
			    (int)r.location.len, r.location.p);
			rows_add(&s->redirects, line);
		}
	} else if (http_parse_request(d.ip.tcp.payload, d.ip.tcp.len, &q)
	    == 0) {
		snprintf(line, sizeof(line), "%.*s %.*s %.*s",
		    (int)q.method.len, q.method.p, (int)q.host.len,
		    q.host.p ? q.host.p : "", (int)q.target.len, q.target.p);
		rows_add(&s->req, line);
	}
	return 0;
}

/* Run tshark and collect its rows, fields joined with spaces. */
static void
tshark_rows(const char *path, const char *filter, const char *fields,
    struct rows *out)
{
	char cmd[1600], line[4096];
	FILE *p;

	/*
	 * Segment by segment, as the parser sees them, retransmissions
	 * included: tshark's reassembly gives up on streams with lost
	 * segments (stream 59 of 650HttpResponses holds pipelined 302s it
	 * never reports) and it skips retransmitted segments.
	 */
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' "
	    "-o tcp.desegment_tcp_streams:FALSE "
	    "-o tcp.analyze_sequence_numbers:FALSE -Y '%s' -T fields "
	    "-E separator=/s %s 2>/dev/null", path, filter, fields);
	if ((p = popen(cmd, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), p) != NULL) {
		size_t l = strcspn(line, "\n");

		line[l] = '\0';
		/* An absent last field leaves a trailing space. */
		while (l > 0 && line[l - 1] == ' ')
			line[--l] = '\0';
		rows_add(out, line);
	}
	pclose(p);
}

static void
test_captures_tshark(void)
{
	static struct scan s;
	struct rows want = { 0, { 0 } };
	char path[1200];
	size_t i, redirects = 0;

	snprintf(path, sizeof(path), "%s/pcapplusplus/650HttpResponses.pcap",
	    caps);
	test_cond("650HttpResponses read", tpcap_each(path, scan_cb, &s) > 0);
	tshark_rows(path, "http.response.code", "-e http.response.code", &want);
	rows_compare("responses", &want, &s.resp);
	rows_free(&want);
	tshark_rows(path, "http.location",
	    "-e http.response.code -e http.location", &want);
	rows_compare("redirects with Location", &want, &s.redirects);
	for (i = 0; i < s.redirects.n; i++)
		redirects += http_is_redirect(atoi(s.redirects.row[i]));
	test_cond("every Location is on a redirect", redirects ==
	    s.redirects.n);
	rows_free(&want);
	/*
	 * With reassembly tshark reports 15 redirects (MANIFEST.md's
	 * count): each of them must be among ours.
	 */
	{
		char cmd[1400], line[4096];
		FILE *p;
		size_t n = 0, found = 0;

		snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y http.location "
		    "-T fields -E separator=/s -e http.response.code "
		    "-e http.location 2>/dev/null", path);
		if ((p = popen(cmd, "r")) != NULL) {
			while (fgets(line, sizeof(line), p) != NULL) {
				line[strcspn(line, "\n")] = '\0';
				n++;
				for (i = 0; i < s.redirects.n; i++)
					if (strcmp(line, s.redirects.row[i]) == 0) {
						found++;
						break;
					}
			}
			pclose(p);
		}
		expect_int("reassembled redirects (MANIFEST: 15)", 15, n);
		expect_int("all of them found", n, found);
	}

	snprintf(path, sizeof(path), "%s/pcapplusplus/4KHttpRequests.pcap",
	    caps);
	test_cond("4KHttpRequests read", tpcap_each(path, scan_cb, &s) > 0);
	tshark_rows(path, "http.request.method", "-e http.request.method -e http.host "
	    "-e http.request.uri", &want);
	rows_compare("requests", &want, &s.req);
	rows_free(&want);
	rows_free(&s.resp);
	rows_free(&s.redirects);
	rows_free(&s.req);
}

/* --- synthetic responses (written here) -------------------------------- */

static void
test_synthetic(void)
{
	static const char portal[] =
	    "HTTP/1.1 302 Found\r\n"
	    "Server: portal\r\n"
	    "location:   http://login.example/portal?x=1  \r\n"
	    "Content-Type: text/html\r\n"
	    "\r\n"
	    "<!DOCTYPE html><html><head><TITLE lang=en>\n  Hotel WiFi Login \n"
	    "</Title></head></html>";
	static const char ok204[] = "HTTP/1.1 204 No Content\r\n"
	    "Content-Length: 0\r\n\r\n";
	static const char lf_only[] = "HTTP/1.0 511 Network Authentication "
	    "Required\nContent-Type: text/html\n\n<titlebar>no</titlebar>"
	    "<title>Sign in</title>";
	static const char req[] = "GET /generate_204 HTTP/1.1\r\n"
	    "Host: connectivitycheck.gstatic.com\r\nUser-Agent: x\r\n\r\n";
	struct http_response r;
	struct http_request q;
	size_t i;

	test_cond("synthetic portal parses", http_parse_response(
	    (const uint8_t *)portal, sizeof(portal) - 1, &r) == 0);
	expect_int("status", 302, r.status);
	test_cond("reason", http_view_eq(r.reason, "found"));
	test_cond("location trimmed", http_view_eq(r.location,
	    "http://login.example/portal?x=1"));
	test_cond("content type", http_view_eq(r.content_type, "text/html"));
	test_cond("headers complete", r.headers_complete);
	test_cond("title", http_view_eq(r.title, "Hotel WiFi Login"));
	test_cond("redirect", http_is_redirect(r.status));

	test_cond("204 parses", http_parse_response((const uint8_t *)ok204,
	    sizeof(ok204) - 1, &r) == 0 && r.status == 204 &&
	    r.location.p == NULL && r.title.p == NULL && !http_is_redirect(204));
	test_cond("511 with bare LF", http_parse_response((const uint8_t *)
	    lf_only, sizeof(lf_only) - 1, &r) == 0 && r.status == 511 &&
	    r.version_minor == 0 && http_view_eq(r.title, "Sign in"));

	test_cond("request parses", http_parse_request((const uint8_t *)req,
	    sizeof(req) - 1, &q) == 0);
	test_cond("method", http_view_eq(q.method, "GET"));
	test_cond("target", http_view_eq(q.target, "/generate_204"));
	test_cond("host", http_view_eq(q.host,
	    "connectivitycheck.gstatic.com"));

	/* Cut-off input: no crash, status line needs its end. */
	for (i = 0; i <= sizeof(portal) - 1; i++) {
		uint8_t *c = malloc(i ? i : 1);

		memcpy(c, portal, i);
		if (http_parse_response(c, i, &r) == 0) {
			test_cond("cut: status line complete", i >= 20);
			if (r.location.p != NULL)
				test_cond("cut: location within data",
				    (const uint8_t *)r.location.p + r.location.len
				    <= c + i);
		}
		http_parse_request(c, i, &q);
		http_find_title(c, i);
		free(c);
	}
	test_cond("bad version", http_parse_response((const uint8_t *)
	    "HTTP/2.0 200 OK\r\n\r\n", 19, &r) == -1);
	test_cond("bad status", http_parse_response((const uint8_t *)
	    "HTTP/1.1 2x0 OK\r\n\r\n", 19, &r) == -1);
	test_cond("status 099", http_parse_response((const uint8_t *)
	    "HTTP/1.1 099 OK\r\n\r\n", 19, &r) == -1);
	test_cond("no reason ok", http_parse_response((const uint8_t *)
	    "HTTP/1.1 200\r\n\r\n", 16, &r) == 0 && r.status == 200 &&
	    r.reason.len == 0);
	test_cond("glued status", http_parse_response((const uint8_t *)
	    "HTTP/1.1 2000 OK\r\n\r\n", 20, &r) == -1);
	test_cond("bad method", http_parse_request((const uint8_t *)
	    "get / HTTP/1.1\r\n\r\n", 18, &q) == -1);
	test_cond("no version", http_parse_request((const uint8_t *)
	    "GET /\r\n\r\n", 9, &q) == -1);
	test_cond("title unclosed", http_find_title((const uint8_t *)
	    "<title>abc", 10).p == NULL);
	test_cond("title at end", http_find_title((const uint8_t *)
	    "<title", 6).p == NULL);
	test_cond("empty title", http_find_title((const uint8_t *)
	    "<title></title>", 15).p != NULL);
	test_cond("NULL", http_find_title(NULL, 5).p == NULL &&
	    http_parse_response(NULL, 0, &r) == -1);
}

int
main(void)
{
	test_synthetic();
	if ((caps = test_captures("test_http")) == NULL)
		return test_report();
	if (system("command -v tshark >/dev/null 2>&1") != 0)
		printf("SKIP test_http: tshark missing, cross-check skipped\n");
	else
		test_captures_tshark();
	return test_report();
}
