/*
 * fuzz_http.c - libFuzzer target for the HTTP response and request parsers
 * and the <title> search: the input is the start of a TCP payload.  Seeds:
 * responses and requests cut from PcapPlusPlus's HTTP captures
 * (corpus/fuzz_http).  Every view returned must lie inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(struct http_view v, const uint8_t *data, size_t size)
{
	if (v.p == NULL)
		return;
	if ((const uint8_t *)v.p < data ||
	    (const uint8_t *)v.p + v.len > data + size)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response r;
	struct http_request q;

	if (http_parse_response(data, size, &r) == 0) {
		inside(r.reason, data, size);
		inside(r.location, data, size);
		inside(r.content_type, data, size);
		inside(r.title, data, size);
		inside(r.body, data, size);
	}
	if (http_parse_request(data, size, &q) == 0) {
		inside(q.method, data, size);
		inside(q.target, data, size);
		inside(q.host, data, size);
	}
	inside(http_find_title(data, size), data, size);
	return 0;
}
