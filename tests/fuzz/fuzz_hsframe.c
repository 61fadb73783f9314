/*
 * fuzz_hsframe.c - the framed record stream read incrementally, as a
 * server or device sees it arrive, with every record's bytes also tried as
 * a plaintext CoAP message and Hello (the layer after decryption), both
 * as libcoap reads it and as the firmware does (hscoap_peek).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hsframe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
try_coap(const uint8_t *p, size_t n)
{
	struct hscoap m;
	struct hshello h;
	struct hspeek pk;
	volatile uint8_t sink = 0;
	size_t len;

	/* The firmware's reading of the padding, before anything else. */
	sink ^= (uint8_t)hsframe_unpad(p, n, &len);
	if (len > n)
		abort();	/* the length the firmware takes fits the record */

	/* The firmware's liberal reading first: it takes what libcoap won't. */
	if (hscoap_peek(p, n, &pk) == 0)
		sink ^= (uint8_t)pk.kind;
	if (hscoap_parse(p, n, &m) != 0)
		return;
	if (m.payload != NULL)
		sink ^= m.payload[m.payload_len - 1];
	(void)hshello_parse(&m, &h);
	(void)hscoap_is_ping(&m);
	(void)sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hsframe f;
	size_t at = 0, fed;

	/* Grow the visible window a few bytes at a time, like recv() does. */
	for (fed = 0;;) {
		fed = size - fed > 7 ? fed + 7 : size;
		while (hsframe_next(data + at, fed - at, &f) == HSFRAME_READY) {
			try_coap(f.data, f.len);
			at += f.consumed;
		}
		if (fed == size)
			break;
	}
	try_coap(data, size);
	return 0;
}
