/*
 * agent_crc32.c - CRC-32 for the agent's ring and serial lines: the IEEE
 * polynomial, reflected, one bit at a time with no table.  That is about
 * 30 bytes of flash instead of a 64-byte nibble table or a 1 KiB byte
 * table; the ring is resealed once per event, so speed does not matter
 * (about 1 ms per event on a 72 MHz Core).
 */
#include "agent.h"

uint32_t
agent_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int k;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
