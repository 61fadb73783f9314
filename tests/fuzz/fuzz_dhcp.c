/*
 * fuzz_dhcp.c - libFuzzer target for dhcp_parse(): the input is one UDP
 * payload.  Seeds: DHCP payloads cut from the suricata-verify, zeek,
 * PcapPlusPlus and tcpdump captures (corpus/fuzz_dhcp).  Also checks that
 * what the parser returns stays inside its bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_msg m;

	if (dhcp_parse(data, size, &m) == 0) {
		if (m.n_routers > DHCP_ADDRS_MAX || m.n_dns > DHCP_ADDRS_MAX ||
		    m.domain.len > DHCP_TEXT_MAX ||
		    m.captive_portal.s[m.captive_portal.len] != '\0' ||
		    m.n_params > sizeof(m.params))
			abort();
		(void)dhcp_type_name(m.type);
	}
	return 0;
}
