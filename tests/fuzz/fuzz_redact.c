/*
 * fuzz_redact.c - the report redaction (probe/report_redact.c) over
 * arbitrary text with every flag combination: it must never read past the
 * string or overflow its output, whatever the text holds.  mac-oobr-1 in
 * the corpus is the first crash it found (a MAC check read past the NUL).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *out;
	unsigned flags;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (flags = 0; flags < 4; flags++) {
		out = report_redact(text, flags);
		free(out);
	}
	free(text);
	return 0;
}
