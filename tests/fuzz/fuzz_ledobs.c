/*
 * fuzz_ledobs.c - the LED observation reader and matcher
 * (analyzers/ledobs.c) over arbitrary text, in both LED eras.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ledobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[LEDOBS_TEXT_MAX + 8], err[256], desc[256];
	struct led_obs o;
	struct ledobs_match m;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ledobs_parse(text, &o, err, sizeof(err)) == -1)
		return 0;
	ledobs_describe(&o, desc, sizeof(desc));
	(void)ledobs_match(&o, LED_ERA_CORE2014, &m, err, sizeof(err));
	(void)ledobs_match(&o, LED_ERA_DEVICEOS, &m, err, sizeof(err));
	return 0;
}
