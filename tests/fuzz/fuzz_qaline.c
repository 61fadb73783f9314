/*
 * fuzz_qaline.c - libFuzzer target for qaline_parse(), the responder line
 * protocol of `cyanprobe qa test` (analyzers/qaline.h): any bytes, one
 * line.  A message that parses must have a tag of the allowed characters,
 * NUL-terminated and bounded, and a HOLD within its limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qaline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qaline q;
	size_t n;

	if (qaline_parse(data, size, &q) == 0) {
		n = strnlen(q.tag, sizeof(q.tag));
		if (n == 0 || n >= sizeof(q.tag) ||
		    strspn(q.tag, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
			abort();
		if (q.verb == QALINE_HOLD && q.hold_ms > QALINE_HOLD_MAX)
			abort();
	}
	return 0;
}
