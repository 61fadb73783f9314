/* test_cursor.c - the bounds-checked reader (analyzers/cursor.h). */
#include "test.h"
#include "cursor.h"

static void
test_reads(void)
{
	static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	struct cursor c = cur_init(b, sizeof(b));

	expect_int("u8", 0x12, cur_u8(&c));
	expect_int("be16", 0x3456, cur_be16(&c));
	expect_int("le16", 0x9a78, cur_le16(&c));
	expect_int("left", 3, cur_left(&c));
	c = cur_init(b, sizeof(b));
	expect_int("be32", 0x12345678, cur_be32(&c));
	expect_int("le32", 0xf0debc9a, cur_le32(&c));
	test_cond("not bad after exact end", !c.bad);
	expect_int("read past end is 0", 0, cur_u8(&c));
	test_cond("bad is sticky", c.bad);
	expect_int("left after bad", 0, cur_left(&c));
	c = cur_init(b, sizeof(b));
	expect_int("le64", (long long)0xf0debc9a78563412ULL, (long long)cur_le64(&c));
}

static void
test_short(void)
{
	static const uint8_t b[] = { 1, 2, 3 };
	struct cursor c = cur_init(b, sizeof(b));
	uint8_t out[4] = { 9, 9, 9, 9 };

	expect_int("be32 short", 0, cur_be32(&c));
	test_cond("short sets bad", c.bad);
	expect_int("later reads fail too", 0, cur_u8(&c));
	c = cur_init(b, sizeof(b));
	test_cond("copy short fails", !cur_copy(&c, out, 4));
	test_cond("copy short zero-fills", out[0] == 0 && out[3] == 0);
	c = cur_init(NULL, 5);
	test_cond("NULL with length is bad", c.bad && cur_left(&c) == 0);
	c = cur_init(NULL, 0);
	test_cond("NULL empty is fine", !c.bad);
}

static void
test_sub_align(void)
{
	static const uint8_t b[] = { 2, 0xaa, 0xbb, 0xcc, 0, 0, 0, 0, 0x11 };
	struct cursor c = cur_init(b, sizeof(b)), s;
	size_t n;

	n = cur_u8(&c);
	s = cur_sub(&c, n);
	expect_int("sub first", 0xaa, cur_u8(&s));
	expect_int("sub second", 0xbb, cur_u8(&s));
	expect_int("sub overrun reads 0", 0, cur_u8(&s));
	test_cond("overrun of sub stays in sub", s.bad && !c.bad);
	expect_int("outer moved once", 0xcc, cur_u8(&c));
	test_cond("align 4 from base", cur_align(&c, b, 4));
	expect_int("aligned offset", 4, (long long)(c.p - b));
	test_cond("align 8", cur_align(&c, b, 8));
	expect_int("aligned to 8", 8, (long long)(c.p - b));
	test_cond("align 3 (not a power of two)", cur_align(&c, b, 3));
	expect_int("aligned to 9", 9, (long long)(c.p - b));
	test_cond("align 1 is a no-op", cur_align(&c, b, 1));
	test_cond("align 0 is a no-op, no division", cur_align(&c, b, 0));
	test_cond("align past end fails", !cur_align(&c, b, 16) && c.bad);
	c = cur_init(b, 2);
	s = cur_sub(&c, 5);
	test_cond("sub longer than left is bad", s.bad && c.bad);
}

int
main(void)
{
	test_reads();
	test_short();
	test_sub_align();
	return test_report();
}
