/*
 * fuzz_coap.c - libFuzzer target for coapmsg_parse() (libcoap underneath,
 * bounded and freed per call) and the presence-announcement check: the
 * input is one UDP payload.  Seeds: CoAP messages cut from the ttproto
 * captures (corpus/fuzz_coap).  LeakSanitizer catches a PDU not freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coapmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct coapmsg m;
	char hex[2 * COAPMSG_DEVICE_ID_LEN + 1], code[16];

	if (coapmsg_parse(data, size, &m) == 0) {
		if (m.token_len > 8 || strlen(m.path) >= COAPMSG_PATH_MAX)
			abort();
		(void)coapmsg_code_str(m.code, code, sizeof(code));
		(void)coapmsg_type_name(m.type);
	}
	if (coapmsg_presence(data, size, hex) && strlen(hex) != 24)
		abort();
	return 0;
}
