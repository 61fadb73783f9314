/*
 * http.h - just enough HTTP/1.x (RFC 9112) to see a captive portal: the
 * status line, Location and the first <title> of a response, and the method,
 * Host and target of a request.
 *
 * Input is the start of a TCP payload (or a body prefix), not a reassembled
 * stream: whatever is not in it is reported as absent.  Every result is a
 * view (pointer + length) into the caller's buffer, valid while it is, and
 * not NUL-terminated.  At most HTTP_HEADER_MAX bytes are scanned for headers.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEADER_MAX		16384	/* bytes of header block scanned */
#define HTTP_TITLE_SCAN_MAX	65536	/* bytes of body searched for <title> */

struct http_view {
	const char	*p;	/* NULL when absent */
	size_t		 len;
};

struct http_response {
	int		 version_minor;	/* HTTP/1.x */
	int		 status;	/* 100..999 */
	struct http_view reason;
	struct http_view location;	/* Location header value, trimmed */
	struct http_view content_type;
	bool		 headers_complete;	/* the blank line was seen */
	struct http_view body;		/* what follows it, as captured */
	struct http_view title;		/* first <title>, trimmed */
};

struct http_request {
	struct http_view method;
	struct http_view target;	/* request-target, as sent */
	struct http_view host;		/* Host header value, trimmed */
	int		 version_minor;
	bool		 headers_complete;
};

/*
 * Parse the start of an HTTP/1.x response.  Returns 0 when the status line
 * was complete and valid ("HTTP/1.x NNN reason"), -1 otherwise.  Headers
 * are read as far as the data goes; the title is searched in the body.
 */
int		 http_parse_response(const uint8_t *buf, size_t len,
		    struct http_response *out);

/*
 * Parse the start of an HTTP/1.x request ("METHOD target HTTP/1.x").
 * Returns 0 when the request line was complete and valid, -1 otherwise.
 */
int		 http_parse_request(const uint8_t *buf, size_t len,
		    struct http_request *out);

/*
 * The first <title>...</title> text of an HTML prefix, with surrounding
 * whitespace trimmed; p NULL when there is none (or no closing tag within
 * the data).  Tag names match case-insensitively.
 */
struct http_view http_find_title(const uint8_t *buf, size_t len);

/* 301, 302, 303, 307, 308. */
bool		 http_is_redirect(int status);

/* Whether the view equals `s`, ignoring ASCII case. */
bool		 http_view_eq(struct http_view v, const char *s);

#endif /* HTTP_H */
