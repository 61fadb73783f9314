/*
 * test_pcapng_blocks.c - the pcapng block reader (analyzers/pcapng_blocks.c)
 * on blocks built here byte by byte in both byte orders, per
 * draft-ietf-opsawg-pcapng: SHB, IDB, EPB, SPB, an unknown block, and
 * the malformed cases it must refuse.
 */
#include "test.h"
#include "pcapng_blocks.h"

struct blk {
	uint8_t	b[256];
	size_t	n;
	int	big;
};

static void
put32(struct blk *k, uint32_t v)
{
	if (k->big) {
		k->b[k->n++] = (uint8_t)(v >> 24);
		k->b[k->n++] = (uint8_t)(v >> 16);
		k->b[k->n++] = (uint8_t)(v >> 8);
		k->b[k->n++] = (uint8_t)v;
	} else {
		k->b[k->n++] = (uint8_t)v;
		k->b[k->n++] = (uint8_t)(v >> 8);
		k->b[k->n++] = (uint8_t)(v >> 16);
		k->b[k->n++] = (uint8_t)(v >> 24);
	}
}

static void
put16(struct blk *k, uint16_t v)
{
	if (k->big) {
		k->b[k->n++] = (uint8_t)(v >> 8);
		k->b[k->n++] = (uint8_t)v;
	} else {
		k->b[k->n++] = (uint8_t)v;
		k->b[k->n++] = (uint8_t)(v >> 8);
	}
}

/* Close a block: fill in both length fields. */
static void
finish(struct blk *k)
{
	size_t total = k->n + 4;
	struct blk t = *k;

	t.n = 4;
	put32(&t, (uint32_t)total);
	memcpy(k->b + 4, t.b + 4, 4);
	put32(k, (uint32_t)total);
}

static void
shb(struct blk *k, int big)
{
	memset(k, 0, sizeof(*k));
	k->big = big;
	put32(k, PCAPNG_BT_SHB);
	put32(k, 0);
	put32(k, PCAPNG_BYTE_ORDER_MAGIC);
	put16(k, 1);
	put16(k, 0);
	put32(k, 0xffffffff);	/* section length unknown */
	put32(k, 0xffffffff);
	finish(k);
}

static void
idb(struct blk *k, int big, uint16_t linktype)
{
	memset(k, 0, sizeof(*k));
	k->big = big;
	put32(k, PCAPNG_BT_IDB);
	put32(k, 0);
	put16(k, linktype);
	put16(k, 0);
	put32(k, 65535);
	finish(k);
}

static void
epb(struct blk *k, int big, uint32_t iface, const char *data, uint32_t orig)
{
	uint32_t len = (uint32_t)strlen(data);

	memset(k, 0, sizeof(*k));
	k->big = big;
	put32(k, PCAPNG_BT_EPB);
	put32(k, 0);
	put32(k, iface);
	put32(k, 1);
	put32(k, 2);
	put32(k, len);
	put32(k, orig);
	memcpy(k->b + k->n, data, len);
	k->n += (len + 3) & ~3u;
	finish(k);
}

static void
run(int big)
{
	struct pcapng_blocks s;
	struct pcapng_packet p;
	struct blk k;
	const char *order = big ? "big-endian" : "little-endian";

	pcapng_blocks_init(&s);
	epb(&k, big, 0, "early", 5);
	expect_int(order, PCAPNG_BAD, pcapng_blocks_next(&s, k.b, k.n, &p));
	shb(&k, big);
	expect_int("shb length", k.n, pcapng_blocks_len(&s, k.b));
	expect_int("shb", PCAPNG_META, pcapng_blocks_next(&s, k.b, k.n, &p));
	test_cond("byte order taken", s.big_endian == (big != 0));
	idb(&k, big, 1);
	expect_int("idb length", k.n, pcapng_blocks_len(&s, k.b));
	expect_int("idb 0", PCAPNG_META, pcapng_blocks_next(&s, k.b, k.n, &p));
	idb(&k, big, 127);
	expect_int("idb 1", PCAPNG_META, pcapng_blocks_next(&s, k.b, k.n, &p));
	expect_int("two interfaces", 2, s.niface);

	epb(&k, big, 1, "hello", 9);
	expect_int("epb", PCAPNG_PACKET, pcapng_blocks_next(&s, k.b, k.n, &p));
	expect_int("epb iface", 1, p.iface);
	expect_int("epb linktype of its interface", 127, p.linktype);
	expect_int("epb caplen", 5, p.caplen);
	expect_int("epb len", 9, p.len);
	expect_mem("epb data", "hello", p.data, 5);

	epb(&k, big, 7, "x", 1);
	expect_int("epb unknown iface", PCAPNG_PACKET,
	    pcapng_blocks_next(&s, k.b, k.n, &p));
	expect_int("no linktype", -1, p.linktype);

	/* A simple packet block: data fill the block, cut to the length. */
	memset(&k, 0, sizeof(k));
	k.big = big;
	put32(&k, PCAPNG_BT_SPB);
	put32(&k, 0);
	put32(&k, 3);
	memcpy(k.b + k.n, "abcd", 4);
	k.n += 4;
	finish(&k);
	expect_int("spb", PCAPNG_PACKET, pcapng_blocks_next(&s, k.b, k.n, &p));
	expect_int("spb caplen cut to original", 3, p.caplen);
	expect_int("spb interface 0", 1, p.linktype);

	/* An unknown block type is skipped. */
	memset(&k, 0, sizeof(k));
	k.big = big;
	put32(&k, 0x0bad0bad);
	put32(&k, 0);
	put32(&k, 42);
	finish(&k);
	expect_int("unknown block", PCAPNG_META,
	    pcapng_blocks_next(&s, k.b, k.n, &p));

	/* Malformed: trailing length differs; caplen beyond the block. */
	epb(&k, big, 0, "hello", 5);
	k.b[k.n - 1] ^= 0x04;
	k.b[k.n - 4] ^= 0x04;
	expect_int("length mismatch", PCAPNG_BAD,
	    pcapng_blocks_next(&s, k.b, k.n, &p));
	epb(&k, big, 0, "hello", 5);
	k.b[big ? 23 : 20] = 200;	/* captured length */
	expect_int("caplen beyond block", PCAPNG_BAD,
	    pcapng_blocks_next(&s, k.b, k.n, &p));
	expect_int("short block", PCAPNG_BAD, pcapng_blocks_next(&s, k.b, 8,
	    &p));

	/* A new section forgets the interfaces. */
	shb(&k, !big);
	expect_int("second section", PCAPNG_META,
	    pcapng_blocks_next(&s, k.b, k.n, &p));
	expect_int("interfaces reset", 0, s.niface);
	test_cond("order switched", s.big_endian == !big);
}

static void
test_len(void)
{
	struct pcapng_blocks s;
	uint8_t head[12] = { 0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0,
	    0x11, 0x22, 0x33, 0x44 };

	pcapng_blocks_init(&s);
	expect_int("bad magic", 0, pcapng_blocks_len(&s, head));
	head[8] = 0x4d;
	head[9] = 0x3c;
	head[10] = 0x2b;
	head[11] = 0x1a;
	expect_int("good shb", 28, pcapng_blocks_len(&s, head));
	head[4] = 30;
	expect_int("length not a multiple of 4", 0,
	    pcapng_blocks_len(&s, head));
	head[4] = 8;
	expect_int("length below 12", 0, pcapng_blocks_len(&s, head));
}

int
main(void)
{
	run(0);
	run(1);
	test_len();
	return test_report();
}
