/*
 * http.c - HTTP/1.x status and request lines, a few headers, and the page
 * <title>, read from the first bytes of a TCP payload (RFC 9112 2-5).
 * Everything is a view into the caller's buffer; see http.h.
 */
#include <string.h>

#include "cursor.h"
#include "http.h"

static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static bool
is_ows(uint8_t ch)
{
	return ch == ' ' || ch == '\t';
}

bool
http_view_eq(struct http_view v, const char *s)
{
	size_t i, n = strlen(s);

	if (v.p == NULL || v.len != n)
		return false;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)v.p[i]) != lower((unsigned char)s[i]))
			return false;
	return true;
}

static struct http_view
view_trim(const uint8_t *p, size_t n)
{
	struct http_view v;

	while (n > 0 && (is_ows(p[0]) || p[0] == '\r' || p[0] == '\n')) {
		p++;
		n--;
	}
	while (n > 0 && (is_ows(p[n - 1]) || p[n - 1] == '\r' ||
	    p[n - 1] == '\n'))
		n--;
	v.p = (const char *)p;
	v.len = n;
	return v;
}

/*
 * Take one line (without its CRLF or bare LF) from the cursor.  Returns
 * false when there is no line end in the data: a cut-off line is not read.
 */
static bool
take_line(struct cursor *c, const uint8_t **line, size_t *n)
{
	const uint8_t *nl;
	size_t len;

	if (cur_left(c) == 0)
		return false;
	nl = memchr(c->p, '\n', cur_left(c));
	if (nl == NULL)
		return false;
	len = (size_t)(nl - c->p);
	cur_take(c, len + 1, line);
	*n = len > 0 && (*line)[len - 1] == '\r' ? len - 1 : len;
	return true;
}

/* "HTTP/1.x" at p; returns x or -1. */
static int
http_version(const uint8_t *p, size_t n)
{
	if (n != 8 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9')
		return -1;
	return p[7] - '0';
}

/*
 * Walk header lines up to the blank line, calling back for the headers the
 * caller wants.  The header block is bounded by HTTP_HEADER_MAX; returns
 * true when the blank line was seen.
 */
static bool
http_headers(struct cursor *c, void (*fn)(void *, struct http_view,
    struct http_view), void *arg)
{
	size_t start_left = cur_left(c);
	const uint8_t *line, *colon;
	size_t n;

	while (start_left - cur_left(c) < HTTP_HEADER_MAX &&
	    take_line(c, &line, &n)) {
		struct http_view name;

		if (n == 0)
			return true;
		colon = memchr(line, ':', n);
		if (colon == NULL)
			continue;	/* not a header; tolerate */
		name.p = (const char *)line;
		name.len = (size_t)(colon - line);
		fn(arg, name, view_trim(colon + 1, n - name.len - 1));
	}
	return false;
}

static void
response_header(void *arg, struct http_view name, struct http_view value)
{
	struct http_response *r = arg;

	if (r->location.p == NULL && http_view_eq(name, "Location"))
		r->location = value;
	else if (r->content_type.p == NULL &&
	    http_view_eq(name, "Content-Type"))
		r->content_type = value;
}

static void
request_header(void *arg, struct http_view name, struct http_view value)
{
	struct http_request *r = arg;

	if (r->host.p == NULL && http_view_eq(name, "Host"))
		r->host = value;
}

int
http_parse_response(const uint8_t *buf, size_t len, struct http_response *out)
{
	struct cursor c = cur_init(buf, len);
	const uint8_t *line;
	size_t n, i;
	int status = 0;

	memset(out, 0, sizeof(*out));
	if (!take_line(&c, &line, &n) || n < 12)
		return -1;
	/* "HTTP/1.1 200" then SP reason (which may be empty). */
	if ((out->version_minor = http_version(line, 8)) < 0 || line[8] != ' ')
		return -1;
	for (i = 9; i < 12; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -1;
		status = status * 10 + (line[i] - '0');
	}
	if (status < 100 || (n > 12 && line[12] != ' '))
		return -1;
	out->status = status;
	out->reason = n > 13 ? view_trim(line + 13, n - 13) :
	    (struct http_view){ (const char *)line + n, 0 };
	out->headers_complete = http_headers(&c, response_header, out);
	if (out->headers_complete) {
		out->body.p = (const char *)c.p;
		out->body.len = cur_left(&c);
		out->title = http_find_title(c.p, cur_left(&c));
	}
	return 0;
}

int
http_parse_request(const uint8_t *buf, size_t len, struct http_request *out)
{
	struct cursor c = cur_init(buf, len);
	const uint8_t *line, *sp1, *sp2;
	size_t n, i;

	memset(out, 0, sizeof(*out));
	if (!take_line(&c, &line, &n) || n == 0)
		return -1;
	sp1 = memchr(line, ' ', n);
	if (sp1 == NULL || sp1 == line)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - line));
	if (sp2 == NULL || sp2 == sp1 + 1)
		return -1;
	/* The method is a token of upper-case letters in practice. */
	for (i = 0; line + i < sp1; i++)
		if (line[i] < 'A' || line[i] > 'Z')
			return -1;
	out->version_minor = http_version(sp2 + 1,
	    n - (size_t)(sp2 + 1 - line));
	if (out->version_minor < 0)
		return -1;
	out->method.p = (const char *)line;
	out->method.len = (size_t)(sp1 - line);
	out->target.p = (const char *)sp1 + 1;
	out->target.len = (size_t)(sp2 - sp1 - 1);
	out->headers_complete = http_headers(&c, request_header, out);
	return 0;
}

/* Case-insensitive search for `needle` in the first `n` bytes of `p`. */
static const uint8_t *
find_ci(const uint8_t *p, size_t n, const char *needle)
{
	size_t m = strlen(needle), i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++)
			if (lower(p[i + j]) != needle[j])
				break;
		if (j == m)
			return p + i;
	}
	return NULL;
}

struct http_view
http_find_title(const uint8_t *buf, size_t len)
{
	struct http_view none = { NULL, 0 };
	const uint8_t *open, *gt, *close, *end;

	if (buf == NULL)
		return none;
	if (len > HTTP_TITLE_SCAN_MAX)
		len = HTTP_TITLE_SCAN_MAX;
	end = buf + len;
	/* "<title" followed by '>' or attributes, not "<titlebar". */
	for (open = buf; ; open += 6) {
		open = find_ci(open, (size_t)(end - open), "<title");
		if (open == NULL || end - open <= 6)
			return none;
		if (open[6] == '>' || is_ows(open[6]) || open[6] == '\r' ||
		    open[6] == '\n')
			break;
	}
	gt = memchr(open, '>', (size_t)(end - open));
	if (gt == NULL)
		return none;
	close = find_ci(gt + 1, (size_t)(end - gt - 1), "</title");
	if (close == NULL)
		return none;
	return view_trim(gt + 1, (size_t)(close - gt - 1));
}

bool
http_is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 ||
	    status == 307 || status == 308;
}
