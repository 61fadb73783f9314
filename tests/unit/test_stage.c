/* test_stage.c - the connect-stage and LED model (analyzers/stage.c). */
#include "test.h"
#include "stage.h"

static void
test_eras(void)
{
	struct fw_version v;

	test_cond("parse 0.3.4", fw_version_parse("0.3.4", &v));
	expect_int("core 0.3.4 is 2014 era", LED_ERA_CORE2014, led_era_for(true, &v));
	expect_int("photon 0.3.4 is device os", LED_ERA_DEVICEOS, led_era_for(false, &v));
	test_cond("parse v0.4.0", fw_version_parse("v0.4.0", &v));
	expect_int("core 0.4.0 is device os", LED_ERA_DEVICEOS, led_era_for(true, &v));
	test_cond("parse rc", fw_version_parse("1.1.0-rc.1", &v));
	expect_int("rc number", 1, v.rc);
	test_cond("rc flag", v.prerelease);
	test_cond("reject 1.x", !fw_version_parse("1.x", &v));
	test_cond("reject empty", !fw_version_parse("", &v));
	test_cond("reject huge", !fw_version_parse("99999999.1", &v));
	test_cond("reject trailing", !fw_version_parse("1.2.3 ", &v));
}

static void
test_order(void)
{
	struct fw_version a, b;

	fw_version_parse("1.1.0-rc.1", &a);
	fw_version_parse("1.1.0-rc.2", &b);
	test_cond("rc.1 < rc.2", fw_version_cmp(&a, &b) < 0);
	fw_version_parse("1.1.0", &b);
	test_cond("rc < release", fw_version_cmp(&a, &b) < 0);
	fw_version_parse("0.7.0", &b);
	test_cond("1.1.0-rc.1 > 0.7.0", fw_version_cmp(&a, &b) > 0);
}

static void
test_signals(void)
{
	const struct stage_signal *r;

	r = stage_lookup(STAGE_CLOUD, STAGE_FAIL_CLOUD, LED_ERA_CORE2014);
	test_cond("core cloud row", r != NULL);
	if (r != NULL) {
		expect_str("core cloud red", "red", led_color_name(r->led.color));
		expect_int("core cloud 3 blinks", 3, r->led.count);
	}
	r = stage_lookup(STAGE_INTERNET, STAGE_FAIL_INTERNET, LED_ERA_DEVICEOS);
	test_cond("device os internet row", r != NULL);
	if (r != NULL) {
		expect_str("orange", "orange", led_color_name(r->led.color));
		expect_int("2 blinks", 2, r->led.count);
	}
	r = stage_lookup(STAGE_HANDSHAKE, STAGE_FAIL_AUTH, LED_ERA_DEVICEOS);
	test_cond("auth row", r != NULL && r->led.color == LED_MAGENTA);
	r = stage_lookup(STAGE_CONNECTED, STAGE_FAIL_NONE, LED_ERA_DEVICEOS);
	test_cond("breathing cyan", r != NULL && r->led.color == LED_CYAN &&
	    r->led.pattern == LED_BREATHE);
	test_cond("no internet failure on handshake",
	    stage_lookup(STAGE_HANDSHAKE, STAGE_FAIL_INTERNET, LED_ERA_DEVICEOS) == NULL);
}

static void
test_names(void)
{
	enum stage s;
	enum stage_fail f;
	size_t i, n;
	const struct stage_signal *t = stage_table(&n);

	for (i = 0; i < STAGE_COUNT; i++) {
		test_cond("stage name round trip",
		    stage_from_name(stage_name((enum stage)i), &s) && s == (enum stage)i);
	}
	for (i = 0; i < STAGE_FAIL_COUNT; i++) {
		test_cond("fail name round trip",
		    stage_fail_from_name(stage_fail_name((enum stage_fail)i), &f) &&
		    f == (enum stage_fail)i);
	}
	test_cond("unknown stage", !stage_from_name("bogus", &s));
	expect_str("out of range", "unknown", stage_name(STAGE_COUNT));
	/* Every stage on the path has a progress signal in both eras. */
	for (i = 0; i < STAGE_PATH_COUNT; i++) {
		test_cond("progress signal, core",
		    stage_lookup((enum stage)i, STAGE_FAIL_NONE, LED_ERA_CORE2014) != NULL);
		test_cond("progress signal, device os",
		    stage_lookup((enum stage)i, STAGE_FAIL_NONE, LED_ERA_DEVICEOS) != NULL);
	}
	/* Rows are in stage order, so "first failing stage" is a table walk. */
	for (i = 1; i < n; i++)
		test_cond("table in stage order", t[i - 1].stage <= t[i].stage);
}

int
main(void)
{
	test_eras();
	test_order();
	test_signals();
	test_names();
	return test_report();
}
