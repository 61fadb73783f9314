/* test_hex.c - hex digits and fixed-length hex strings (analyzers/hex.h). */
#include "test.h"
#include "hex.h"

int
main(void)
{
	uint8_t id[12];
	static const uint8_t want[12] = { 0x53, 0xff, 0x6f, 0x06, 0x66, 0x67,
	    0x57, 0x48, 0x52, 0x21, 0x24, 0x67 };

	expect_int("digit 0", 0, hex_digit('0'));
	expect_int("digit f", 15, hex_digit('f'));
	expect_int("digit F", 15, hex_digit('F'));
	expect_int("not a digit g", -1, hex_digit('g'));
	expect_int("not a digit NUL", -1, hex_digit('\0'));
	test_cond("24 digits decode", hex_decode("53ff6f066667574852212467", 12, id));
	expect_mem("device id bytes", want, id, 12);
	test_cond("upper case decodes", hex_decode("53FF6F066667574852212467", 12, id));
	expect_mem("upper case bytes", want, id, 12);
	test_cond("one short refused", !hex_decode("53ff6f06666757485221246", 12, id));
	test_cond("one long refused", !hex_decode("53ff6f0666675748521224670", 12, id));
	test_cond("a non-digit refused", !hex_decode("53ff6f06666757485221246x", 12, id));
	test_cond("empty refused", !hex_decode("", 12, id));
	test_cond("zero bytes of empty", hex_decode("", 0, id));
	return test_report();
}
