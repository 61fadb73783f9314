/*
 * test_ipfrag.c - IPv4 reassembly (analyzers/ipfrag.c): a UDP datagram cut
 * into pieces here the way RFC 791 says (offsets in 8-byte units, MF on
 * all but the last), fed in order, out of order, twice, overlapping, with
 * a piece missing, too large, or misaligned; and more datagrams at once
 * than there are slots.  The DHCP check's use of it, over fragments the
 * kernel makes, is in test_check_dhcp.c.
 */
#include <string.h>

#include "ip.h"
#include "ipfrag.h"
#include "test.h"

#define DGRAM	1000

static uint8_t dgram[DGRAM];

/* An IPv4 packet carrying dgram[off, off + len) of datagram `id`. */
static size_t
piece(uint8_t *pkt, uint16_t id, size_t off, size_t len, bool more)
{
	uint16_t fo = (uint16_t)(off / 8 | (more ? 0x2000 : 0));
	size_t total = 20 + len;

	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(total >> 8), pkt[3] = (uint8_t)total;
	pkt[4] = (uint8_t)(id >> 8), pkt[5] = (uint8_t)id;
	pkt[6] = (uint8_t)(fo >> 8), pkt[7] = (uint8_t)fo;
	pkt[8] = 64;
	pkt[9] = IP_PROTO_UDP;
	pkt[12] = 192, pkt[13] = 0, pkt[14] = 2, pkt[15] = 1;
	pkt[16] = 255, pkt[17] = 255, pkt[18] = 255, pkt[19] = 255;
	if (off + len <= DGRAM)
		memcpy(pkt + 20, dgram + off, len);
	else
		memset(pkt + 20, 0, len);
	return total;
}

/* Feed one piece; returns what ipfrag_add returns. */
static int
feed(struct ipfrag *f, uint16_t id, size_t off, size_t len, bool more,
    const uint8_t **out, size_t *olen)
{
	static uint8_t pkt[1600];
	struct ip_packet ip;

	if (ip_decode(0x0800, pkt, piece(pkt, id, off, len, more), &ip) != 0)
		return -2;
	return ipfrag_add(f, &ip, out, olen);
}

static void
test_orders(void)
{
	static struct ipfrag f;
	const uint8_t *out = NULL;
	size_t len = 0;

	ipfrag_init(&f);
	expect_int("in order: first piece waits", 0,
	    feed(&f, 1, 0, 512, true, &out, &len));
	expect_int("in order: last piece completes", 1,
	    feed(&f, 1, 512, DGRAM - 512, false, &out, &len));
	expect_int("in order: whole length", DGRAM, len);
	expect_mem("in order: the bytes", dgram, out, DGRAM);

	ipfrag_init(&f);
	expect_int("reversed: last first", 0,
	    feed(&f, 2, 800, DGRAM - 800, false, &out, &len));
	expect_int("reversed: middle", 0, feed(&f, 2, 400, 400, true, &out,
	    &len));
	expect_int("reversed: the middle again (a copy)", 0,
	    feed(&f, 2, 400, 400, true, &out, &len));
	expect_int("reversed: first completes", 1,
	    feed(&f, 2, 0, 400, true, &out, &len));
	expect_mem("reversed: the bytes", dgram, out, DGRAM);

	/* Overlapping pieces: the union counts. */
	ipfrag_init(&f);
	expect_int("overlap: 0-600", 0, feed(&f, 3, 0, 600, true, &out, &len));
	expect_int("overlap: 400-1000", 1,
	    feed(&f, 3, 400, DGRAM - 400, false, &out, &len));
	expect_mem("overlap: the bytes", dgram, out, DGRAM);
}

static void
test_refused(void)
{
	static struct ipfrag f;
	static uint8_t pkt[1600];
	const uint8_t *out = NULL, *part = NULL;
	struct ip_packet ip;
	uint8_t src[4], proto = 0;
	size_t len = 0;

	ipfrag_init(&f);
	expect_int("misaligned: a middle piece of 100 bytes", -1,
	    feed(&f, 4, 0, 100, true, &out, &len));
	expect_int("too large: past IPFRAG_MAX", -1,
	    feed(&f, 5, IPFRAG_MAX - 8, 16, false, &out, &len));
	/* A piece cut by the capture is not kept. */
	piece(pkt, 6, 0, 512, true);
	test_cond("cut: decodes", ip_decode(0x0800, pkt, 300, &ip) == 0 &&
	    ip.truncated);
	expect_int("cut: refused", -1, ipfrag_add(&f, &ip, &out, &len));

	/* Not a fragment: passed through as it is. */
	piece(pkt, 7, 0, 200, false);
	ip_decode(0x0800, pkt, 220, &ip);
	expect_int("whole: at once", 1, ipfrag_add(&f, &ip, &out, &len));
	test_cond("whole: a view of the packet", out == pkt + 20 &&
	    len == 200);

	/* A missing last piece: the prefix is there for the caller. */
	ipfrag_init(&f);
	expect_int("partial: first", 0, feed(&f, 8, 0, 512, true, &out, &len));
	expect_int("partial: third", 0, feed(&f, 8, 800, 200, false, &out,
	    &len));
	expect_int("partial: 512 bytes from the start", 512,
	    ipfrag_partial(&f, 0, &part, src, &proto));
	test_cond("partial: source and protocol", src[0] == 192 &&
	    src[3] == 1 && proto == IP_PROTO_UDP);
	expect_mem("partial: the bytes", dgram, part, 512);
	expect_int("partial: an unused slot", 0,
	    ipfrag_partial(&f, 1, &part, src, &proto));
	expect_int("partial: out of range", 0,
	    ipfrag_partial(&f, IPFRAG_SLOTS, &part, src, &proto));
}

/* More datagrams than slots: the oldest goes, the newest completes. */
static void
test_slots(void)
{
	static struct ipfrag f;
	const uint8_t *out = NULL;
	size_t len = 0;
	uint16_t id;

	ipfrag_init(&f);
	for (id = 10; id < 10 + IPFRAG_SLOTS + 1; id++)
		feed(&f, id, 0, 512, true, &out, &len);
	expect_int("slots: one dropped", 1, f.dropped);
	expect_int("slots: the oldest is gone (its last piece alone waits)",
	    0, feed(&f, 10, 512, DGRAM - 512, false, &out, &len));
	expect_int("slots: the newest completes", 1,
	    feed(&f, 10 + IPFRAG_SLOTS, 512, DGRAM - 512, false, &out, &len));
	expect_mem("slots: its bytes", dgram, out, DGRAM);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < DGRAM; i++)
		dgram[i] = (uint8_t)(i * 7 + i / 256);
	test_orders();
	test_refused();
	test_slots();
	return test_report();
}
