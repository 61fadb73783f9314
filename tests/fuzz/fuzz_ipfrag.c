/*
 * fuzz_ipfrag.c - libFuzzer target for ipfrag_add() and ipfrag_partial():
 * the input is a run of IPv4 packets, each a 2-byte big-endian length and
 * that many bytes, fed one after another through ip_decode() into one
 * reassembler.  Seeds (corpus/fuzz_ipfrag): a UDP datagram in two and in
 * three pieces, out of order, repeated, and with its last piece missing.
 * Checks that whatever comes out stays inside its bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ip.h"
#include "ipfrag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t
touch(const uint8_t *p, size_t n)
{
	uint8_t x = 0;
	size_t i;

	for (i = 0; i < n; i++)
		x ^= p[i];
	return x;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipfrag f;
	struct ip_packet ip;
	const uint8_t *out;
	uint8_t src[4], proto;
	volatile uint8_t sink = 0;
	size_t off = 0, n, len, i;

	ipfrag_init(&f);
	while (size - off >= 2) {
		n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > size - off)
			n = size - off;
		if (ip_decode(0x0800, data + off, n, &ip) == 0 &&
		    ipfrag_add(&f, &ip, &out, &len) == 1) {
			if (ip.fragment && len > IPFRAG_MAX)
				abort();
			sink ^= touch(out, len);
		}
		off += n;
	}
	for (i = 0; i <= IPFRAG_SLOTS; i++) {
		len = ipfrag_partial(&f, i, &out, src, &proto);
		if (len > IPFRAG_MAX)
			abort();
		sink ^= touch(out, len);
	}
	(void)sink;
	return 0;
}
