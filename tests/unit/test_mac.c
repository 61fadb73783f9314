/* test_mac.c - MAC addresses as text (analyzers/mac.h). */
#include "test.h"
#include "mac.h"

int
main(void)
{
	static const uint8_t want[6] = { 0x02, 0xc7, 0x00, 0x1a, 0x2b, 0x3c };
	uint8_t m[6];
	char buf[MAC_TEXT_LEN];

	expect_str("leading zeros kept", "02:c7:00:1a:2b:3c",
	    mac_format(want, buf));
	memset(m, 0xff, sizeof(m));
	expect_str("all ones", "ff:ff:ff:ff:ff:ff", mac_format(m, buf));

	test_cond("colons parse", mac_parse("02:c7:00:1a:2b:3c", m));
	expect_mem("colon bytes", want, m, 6);
	test_cond("dashes and upper case parse",
	    mac_parse("02-C7-00-1A-2B-3C", m));
	expect_mem("dash bytes", want, m, 6);
	test_cond("round trip", mac_parse(mac_format(want, buf), m) &&
	    memcmp(m, want, 6) == 0);

	test_cond("one-digit groups refused (ether_ntoa's form)",
	    !mac_parse("2:c7:0:1a:2b:3c", m));
	test_cond("mixed separators refused", !mac_parse("02:c7-00:1a:2b:3c", m));
	test_cond("five groups refused", !mac_parse("02:c7:00:1a:2b", m));
	test_cond("five groups and a colon refused",
	    !mac_parse("02:c7:00:1a:2b:", m));
	test_cond("seven groups refused", !mac_parse("02:c7:00:1a:2b:3c:4d", m));
	test_cond("trailing junk refused", !mac_parse("02:c7:00:1a:2b:3cx", m));
	test_cond("trailing space refused by parse",
	    !mac_parse("02:c7:00:1a:2b:3c ", m));
	test_cond("non-hex refused", !mac_parse("02:c7:00:1g:2b:3c", m));
	test_cond("no separators refused", !mac_parse("02c7001a2b3c", m));
	test_cond("sign refused (sscanf %x took it)",
	    !mac_parse("+2:c7:00:1a:2b:3c", m));
	test_cond("empty refused", !mac_parse("", m));

	expect_int("scan reads 17 and stops", 17,
	    mac_scan("02:c7:00:1a:2b:3c rest", m));
	expect_int("scan of a short string", 0, mac_scan("02:c7", m));
	return test_report();
}
