/*
 * fuzz_agent_events.c - the firmware agent's wire decoders on arbitrary
 * bytes: the first byte picks the serial-line, CoAP-payload or JSON-line
 * decoder, or the listening-mode answer parsers of serial.c; the rest is
 * the input; whatever decodes is fed to a timeline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent_events.h"
#include "serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct agent_timeline tl;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_rec ev[16];
	struct agent_dump d;
	struct agent_state st;
	char *copy;
	size_t n = 0, i;

	if (size < 1)
		return 0;
	agent_timeline_init(&tl);
	switch (data[0] % 4) {
	case 0:
		/* Exact-size copy so ASan sees any read past the line. */
		if ((copy = malloc(size - 1 > 0 ? size - 1 : 1)) == NULL)
			return 0;
		memcpy(copy, data + 1, size - 1);
		if (agent_line_parse(copy, size - 1, &ev[0], &d) ==
		    AGENT_LINE_EVENT)
			n = 1;
		free(copy);
		break;
	case 1:
		if (agent_payload_parse(data + 1, size - 1, ev, 16, &n) != 0)
			n = 0;
		break;
	case 3: {
		char id[25], ver[32], mac[18];
		bool core;

		/* The answers arrive as NUL-terminated lines. */
		if ((copy = malloc(size)) == NULL)
			return 0;
		memcpy(copy, data + 1, size - 1);
		copy[size - 1] = '\0';
		(void)serial_parse_id(copy, id, &core);
		(void)serial_parse_version(copy, ver, sizeof(ver));
		(void)serial_parse_mac(copy, mac);
		free(copy);
		break;
	}
	default:
		if (agent_json_parse((const char *)data + 1, size - 1,
		    &ev[0]) == 0)
			n = 1;
		break;
	}
	for (i = 0; i < n; i++)
		agent_timeline_add(&tl, &ev[i]);
	agent_timeline_state(&tl, &st);
	return 0;
}
