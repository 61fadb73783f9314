/* test_oui.c - the OUI registry reader and lookup (probe/oui.c). */
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "oui.h"

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_oui.XXXXXX");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return NULL;
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_txt(void)
{
	static const uint8_t cisco[6] = { 0xf4, 0xbd, 0x9e, 1, 2, 3 };
	static const uint8_t igt[6] = { 0x00, 0xd0, 0xef, 1, 2, 3 };
	static const uint8_t none[6] = { 0x00, 0x00, 0x01, 1, 2, 3 };
	static const uint8_t local[6] = { 0xf6, 0xbd, 0x9e, 1, 2, 3 };
	char *path = write_tmp(
	    "OUI/MA-L                  Organization\n"
	    "\n"
	    "F4-BD-9E   (hex)\t\tCisco Systems, Inc\n"
	    "F4BD9E     (base 16)\t\tCisco Systems, Inc\n"
	    "\t\t\t\t80 West Tasman Drive\n"
	    "00-D0-EF   (hex)\t\tIGT\n"
	    "00D0EF     (base 16)\t\tIGT  \r\n");

	test_cond("tmp file", path != NULL);
	if (path == NULL)
		return;
	expect_int("txt entries", 2, oui_load(path));
	expect_str("txt cisco", "Cisco Systems, Inc", oui_vendor(cisco));
	expect_str("txt igt, trailing space and CR cut", "IGT",
	    oui_vendor(igt));
	expect_str("unknown prefix", NULL, oui_vendor(none));
	expect_str("locally administered bit", OUI_LOCAL, oui_vendor(local));
	unlink(path);
}

static void
test_csv(void)
{
	static const uint8_t cisco[6] = { 0xf4, 0xbd, 0x9e, 0, 0, 0 };
	static const uint8_t amf[6] = { 0x00, 0x22, 0x72, 0, 0, 0 };
	char *path = write_tmp(
	    "Registry,Assignment,Organization Name,Organization Address\n"
	    "MA-L,002272,American Micro-Fuel Device Corp.,2181 Buchanan\n"
	    "MA-L,F4BD9E,\"Cisco Systems, Inc\",80 West Tasman Drive\n"
	    "MA-L,ZZZZZZ,Broken,\n"
	    "garbage line\n");

	test_cond("tmp file", path != NULL);
	if (path == NULL)
		return;
	expect_int("csv entries", 2, oui_load(path));
	expect_str("csv quoted name", "Cisco Systems, Inc", oui_vendor(cisco));
	expect_str("csv plain name", "American Micro-Fuel Device Corp.",
	    oui_vendor(amf));
	unlink(path);
}

static void
test_missing(void)
{
	static const uint8_t mac[6] = { 0x00, 0xd0, 0xef, 0, 0, 0 };

	expect_int("missing file", -1, oui_load("/nonexistent/oui.txt"));
	expect_str("lookup after failed load", NULL, oui_vendor(mac));
	expect_int("empty table", 0, oui_count());
}

/* The real registry, when installed: a prefix everybody knows. */
static void
test_debian(void)
{
	static const uint8_t aircrack_bssid[6] = { 0x00, 0x12, 0xbf, 0, 0, 0 };
	FILE *f;

	if ((f = fopen(OUI_DEFAULT_TXT, "r")) == NULL) {
		printf("SKIP test_oui: %s is missing\n", OUI_DEFAULT_TXT);
		return;
	}
	fclose(f);
	unsetenv("CYANPROBE_OUI");
	oui_free();
	test_cond("lazy load finds a vendor",
	    oui_vendor(aircrack_bssid) != NULL);
	test_cond("registry is large", oui_count() > 20000);
	if (oui_vendor(aircrack_bssid) != NULL)
		test_cond("00:12:BF is Arcadyan",
		    strstr(oui_vendor(aircrack_bssid), "Arcadyan") != NULL);
}

int
main(void)
{
	test_txt();
	test_csv();
	test_missing();
	test_debian();
	oui_free();
	return test_report();
}
