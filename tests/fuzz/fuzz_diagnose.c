/*
 * fuzz_diagnose.c - the parsers of `cyanprobe diagnose` that read bytes it
 * does not control: resolv.conf text (check_dns_parse_resolv), NTP replies
 * (check_ntp_reply_ok) and HOST[:PORT] arguments (hostport_split, which
 * every command shares).  The first byte picks the parser (and, for
 * hostport_split, its flags); the rest is its input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hostport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t xmit[8] = { 0 };
	struct in_addr a[4];
	char text[600], host[64];
	uint16_t port = 1;
	uint8_t stratum;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		(void)check_dns_parse_resolv((const char *)data + 1, size - 1,
		    a, 4);
		break;
	case 1:
		(void)check_ntp_reply_ok(data + 1, size - 1, xmit, &stratum);
		break;
	default:
		if (size - 1 >= sizeof(text))
			size = sizeof(text);
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		(void)hostport_split(text, (unsigned)(data[0] / 3) & 0x0f,
		    host, sizeof(host), &port);
		break;
	}
	return 0;
}
