/*
 * check_portal.c - the captive-portal check, as Android and Chromium do it:
 * an HTTP GET of --portal-url (http://connectivitycheck.gstatic.com/
 * generate_204).  204 means no portal; 200 with a body, a redirect or 511
 * (RFC 6585) means a portal (portal.detected), reported with its Location
 * and the <title> of its page.  When the DHCP offer carried option 114
 * (RFC 8910), the RFC 8908 API it names is read too (`captive`,
 * `user-portal-url`).
 *
 * libcurl does the HTTP, one easy handle per request in this thread.  It
 * never resolves a name itself: the host is resolved by the probe's own
 * DNS (check_resolve_host) and handed over with CURLOPT_RESOLVE, and
 * proxies from the environment are turned off, so the request takes the
 * device's path.  Bodies are kept up to PORTAL_BODY_MAX bytes, and the
 * transfer stops there: a portal may stream a body for ever.  The status
 * and Location are judged as soon as the headers are in, so a body that
 * never ends (or drips a byte a second into the time-out) after a 30x, 200
 * or 511 is still a portal, noted as cut short.
 */
#include <arpa/inet.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check.h"
#include "diagnose.h"
#include "http.h"

#define PORTAL_BODY_MAX		65536

struct fetch {
	CURL		*curl;
	bool		headers;	/* a final status and its headers in */
	bool		cut;		/* the body was not read to its end */
	bool		connected;	/* no status, but the connect was made */
	long		status;
	char		location[DIAG_URL_MAX];
	char		ctype[128];
	size_t		len;
	double		ms;
	char		address[INET_ADDRSTRLEN];
	uint8_t		body[PORTAL_BODY_MAX];	/* last: not cleared */
};

/* The blank line after the headers: the status is known from here on. */
static size_t
on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct fetch *f = arg;
	size_t n = size * nmemb;
	long status = 0;

	if ((n == 2 && p[0] == '\r' && p[1] == '\n') ||
	    (n == 1 && p[0] == '\n')) {
		curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200) {	/* not a 1xx interim answer */
			f->headers = true;
			f->status = status;
		}
	}
	return n;
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct fetch *f = arg;
	size_t n = size * nmemb, room = sizeof(f->body) - f->len;

	/*
	 * Keep the start: a title is near the top.  A redirect's body, or
	 * more than PORTAL_BODY_MAX, is not worth waiting for: stop there
	 * (the write error it makes is expected).
	 */
	if (room == 0 || http_is_redirect((int)f->status) ||
	    f->status == 511) {
		f->cut = true;
		return 0;
	}
	memcpy(f->body + f->len, p, n < room ? n : room);
	f->len += n < room ? n : room;
	return n;
}

/* What the response said, from the headers (complete or not). */
static void
fetch_info(CURL *c, struct fetch *out)
{
	char *loc = NULL, *ct = NULL;
	curl_off_t us = 0;

	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc != NULL)
		snprintf(out->location, sizeof(out->location), "%s", loc);
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL)
		snprintf(out->ctype, sizeof(out->ctype), "%s", ct);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &us);
	out->ms = (double)(us / 100) / 10;
}

/* Whether curl's connect to the server was made (TCP, and TLS if any). */
static bool
fetch_connected(CURL *c)
{
	curl_off_t us = 0;

	return curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &us) ==
	    CURLE_OK && us > 0;
}

/*
 * GET url with the host resolved by our DNS.  Returns 0 with *out filled
 * (out->cut, with the reason in why, when the headers came but the body
 * did not end: stopped at PORTAL_BODY_MAX, or timed out), or -1 with the
 * reason in why when no answer came.
 */
static int
fetch(struct diag *d, const char *url, const char *accept, double deadline,
    struct fetch *out, char *why, size_t whylen)
{
	struct curl_slist *resolve = NULL, *hdrs = NULL;
	char *host = NULL, *port = NULL;
	char entry[512], errbuf[CURL_ERROR_SIZE] = "";
	struct in_addr a;
	CURLU *u = NULL;
	CURL *c = NULL;
	CURLcode cc;
	double left;
	int rc = -1;

	memset(out, 0, offsetof(struct fetch, body));
	why[0] = '\0';
	if ((u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		snprintf(why, whylen, "bad URL %s", url);
		goto done;
	}
	if (check_resolve_host(d, host, deadline, &a, why, whylen) == -1)
		goto done;
	inet_ntop(AF_INET, &a, out->address, sizeof(out->address));
	snprintf(entry, sizeof(entry), "%s:%s:%s", host, port, out->address);
	left = deadline - diag_now();
	if (left <= 0.01) {
		snprintf(why, whylen, "no time left");
		goto done;
	}
	if ((resolve = curl_slist_append(NULL, entry)) == NULL ||
	    (c = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	if (accept != NULL) {
		snprintf(entry, sizeof(entry), "Accept: %s", accept);
		hdrs = curl_slist_append(NULL, entry);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(left * 1000));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "cyanprobe/" CYANPROBE_VERSION);
	out->curl = c;
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (hdrs != NULL)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (d->o->iface != NULL) {
		/* "if!": an interface name, never taken for a host. */
		snprintf(entry, sizeof(entry), "if!%s", d->o->iface);
		curl_easy_setopt(c, CURLOPT_INTERFACE, entry);
	}
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK && !out->headers) {
		snprintf(why, whylen, "GET %s (%s): %s", url, out->address,
		    errbuf[0] ? errbuf : curl_easy_strerror(cc));
		out->connected = fetch_connected(c);
		goto done;
	}
	fetch_info(c, out);
	if (cc != CURLE_OK) {
		out->cut = true;
		snprintf(why, whylen, "the body was cut short: %s",
		    out->len >= PORTAL_BODY_MAX ? "over 64 KiB, not read on" :
		    cc == CURLE_WRITE_ERROR ? "not needed, not read on" :
		    errbuf[0] ? errbuf : curl_easy_strerror(cc));
	}
	rc = 0;
done:
	curl_easy_cleanup(c);
	curl_slist_free_all(resolve);
	curl_slist_free_all(hdrs);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* A view of wire text, made printable, into buf. */
static void
safe_view(struct http_view v, char *buf, size_t len)
{
	size_t i;

	for (i = 0; v.p != NULL && i < v.len && i + 1 < len; i++)
		buf[i] = v.p[i] >= 0x20 && v.p[i] < 0x7f ? v.p[i] : '?';
	buf[i] = '\0';
}

/* Read the RFC 8908 API named by option 114 into facts; true if captive. */
static bool
capport_api(struct diag *d, const char *uri, double deadline, cJSON *f,
    char *portal, size_t plen)
{
	struct fetch *x = malloc(sizeof(*x));
	char why[200];
	cJSON *api, *j, *v;
	bool captive = false;

	if (x == NULL)
		return false;
	api = cJSON_AddObjectToObject(f, "api");
	cJSON_AddStringToObject(api, "uri", uri);
	if (fetch(d, uri, "application/captive+json", deadline, x, why,
	    sizeof(why)) == -1) {
		cJSON_AddStringToObject(api, "error", why);
		goto done;
	}
	cJSON_AddNumberToObject(api, "status", (double)x->status);
	if (x->status != 200 ||
	    (j = cJSON_ParseWithLength((const char *)x->body, x->len)) ==
	    NULL) {
		cJSON_AddStringToObject(api, "error", "no JSON answer");
		goto done;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(j, "captive")) != NULL &&
	    cJSON_IsBool(v)) {
		captive = cJSON_IsTrue(v);
		cJSON_AddBoolToObject(api, "captive", captive);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(j, "user-portal-url")) !=
	    NULL && cJSON_IsString(v)) {
		struct http_view vv = { v->valuestring,
		    strlen(v->valuestring) };
		char s[DIAG_URL_MAX];

		safe_view(vv, s, sizeof(s));
		cJSON_AddStringToObject(api, "user_portal_url", s);
		snprintf(portal, plen, "%s", s);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(j, "seconds-remaining")) !=
	    NULL && cJSON_IsNumber(v))
		cJSON_AddNumberToObject(api, "seconds_remaining",
		    v->valuedouble);
	cJSON_Delete(j);
done:
	free(x);
	return captive;
}

void
check_portal(struct diag *d, struct check_result *res)
{
	double deadline = diag_net_deadline(d, DIAG_PORTAL_BASE);
	struct fetch *x = malloc(sizeof(*x));
	char why[200], title[200] = "", loc[DIAG_URL_MAX] = "";
	char capport[DIAG_URL_MAX], apiportal[DIAG_URL_MAX] = "";
	struct http_view tv;
	bool portal = false, api_captive = false;
	long status = 0;
	cJSON *f;

	res->facts = f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "url", d->o->portal_url);
	if (x == NULL) {
		res->skipped = true;
		return;
	}
	if (fetch(d, d->o->portal_url, NULL, deadline, x, why, sizeof(why))
	    == -1) {
		cJSON_AddStringToObject(f, "result", "error");
		cJSON_AddStringToObject(f, "error", why);
		cJSON_AddBoolToObject(f, "connected", x->connected);
		check_note(res, "%s", why);
		/*
		 * Unreachable is the internet check's to judge, not ours.  But
		 * a server that took the connection and never answered may be
		 * a portal or a proxy holding it: a check that could not
		 * finish is no clean pass, so it warns.
		 */
		if (x->connected)
			findings_add(&res->findings, FINDING_PORTAL_UNCHECKED,
			    "%s, after the connection was made", why);
		else
			res->skipped = true;
	} else {
		status = x->status;
		cJSON_AddStringToObject(f, "address", x->address);
		cJSON_AddNumberToObject(f, "status", (double)x->status);
		cJSON_AddNumberToObject(f, "ms", x->ms);
		cJSON_AddNumberToObject(f, "body_bytes", (double)x->len);
		/* Judged from the headers all the same. */
		if (x->cut) {
			cJSON_AddStringToObject(f, "body_cut", why);
			check_note(res, "HTTP %ld from %s, %s", x->status,
			    x->address, why);
		}
		if (x->location[0] != '\0') {
			struct http_view lv = { x->location,
			    strlen(x->location) };

			safe_view(lv, loc, sizeof(loc));
			cJSON_AddStringToObject(f, "location", loc);
		}
		tv = http_find_title(x->body, x->len);
		safe_view(tv, title, sizeof(title));
		if (x->status == 204) {
			cJSON_AddStringToObject(f, "result", "no_portal");
			check_note(res, "204 from %s: no portal", x->address);
		} else if ((x->status == 200 && x->len > 0) ||
		    http_is_redirect((int)x->status) || x->status == 511) {
			portal = true;
			cJSON_AddStringToObject(f, "result", "portal");
			/* The login page's title, one hop away. */
			if (loc[0] != '\0' && fetch(d, loc, NULL, deadline, x,
			    why, sizeof(why)) == 0) {
				tv = http_find_title(x->body, x->len);
				safe_view(tv, title, sizeof(title));
				cJSON_AddNumberToObject(f, "login_status",
				    (double)x->status);
			}
		} else {
			cJSON_AddStringToObject(f, "result", "unexpected");
			check_note(res, "HTTP %ld from %s", x->status,
			    x->address);
		}
		if (title[0] != '\0')
			cJSON_AddStringToObject(f, "title", title);
	}
	free(x);

	/* Option 114 names the portal's own API: ask it too. */
	if (diag_wait_offer(d, deadline, capport, sizeof(capport)) &&
	    capport[0] != '\0')
		api_captive = capport_api(d, capport, deadline, f, apiportal,
		    sizeof(apiportal));
	if (portal)
		check_fail(res, FINDING_PORTAL_DETECTED,
		    "GET %s answered HTTP %ld%s%s%s%s%s", d->o->portal_url,
		    status, loc[0] ? " to " : "", loc,
		    title[0] ? " (\"" : "", title, title[0] ? "\")" : "");
	else if (api_captive)
		check_fail(res, FINDING_PORTAL_DETECTED,
		    "the captive-portal API %s says captive%s%s", capport,
		    apiportal[0] ? "; sign in at " : "", apiportal);
	if (portal || api_captive) {
		res->skipped = false;
		check_note(res, "portal%s%s", loc[0] ? " -> " : "",
		    loc[0] ? loc : apiportal);
	}
}
