/*
 * fuzz_rules.c - the rule-file parsers (analyzers/rules.c) over arbitrary
 * bytes: the first byte picks the findings or the device-profile parser.
 * Neither may crash, leak or read past the buffer, whatever the JSON says.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules r;
	char err[256];

	if (size < 1)
		return 0;
	rules_init(&r);
	if (data[0] == 'P')
		(void)rules_parse_profile(&r, (const char *)data + 1, size - 1,
		    "fuzz", err, sizeof(err));
	else
		(void)rules_parse_findings(&r, (const char *)data + 1,
		    size - 1, "fuzz", err, sizeof(err));
	return 0;
}
