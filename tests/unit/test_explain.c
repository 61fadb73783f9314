/*
 * test_explain.c - reading LED observations and matching them to stages
 * (analyzers/ledobs.c), with the three examples and the inputs that
 * must be refused rather than guessed: unknown words, contradictions, and
 * signals that mean nothing, or several things, in the device's LED era.
 */
#include "test.h"
#include "ledobs.h"
#include "rules.h"
#include "rules_load.h"

static struct rules rules;

/* Parse words and match them in era; return the verdict row or NULL. */
static const struct stage_signal *
explain(const char *words, enum led_era era, char *err, size_t errlen)
{
	struct led_obs o;
	struct ledobs_match m;

	err[0] = '\0';
	if (ledobs_parse(words, &o, err, errlen) == -1)
		return NULL;
	if (ledobs_match(&o, era, &m, err, errlen) == -1)
		return NULL;
	return m.row[0];
}

static void
test_examples(void)
{
	const struct profile *core = rules_profile(&rules, "core");
	const struct profile *photon = rules_profile(&rules, "photon");
	const struct stage_signal *row;
	const struct rule *causes[4];
	struct fw_version v;
	struct led_obs o;
	struct ledobs_match m;
	char err[256];

	/* Core on 0.3.4, red, 3 blinks -> cloud. */
	fw_version_parse("0.3.4", &v);
	test_cond("flags parse", ledobs_from_flags("red", NULL, "3", &o, err,
	    sizeof(err)) == 0);
	test_cond("core 0.3.4 red 3 matches", ledobs_match(&o,
	    profile_era(core, &v), &m, err, sizeof(err)) == 0);
	if (m.n > 0)
		expect_str("core red 3 = cloud", "cloud",
		    stage_name((enum stage)m.row[0]->stage));
	/* Photon on 1.5.2, orange, 2 blinks -> internet. */
	fw_version_parse("1.5.2", &v);
	row = explain("2 orange blinks", profile_era(photon, &v), err,
	    sizeof(err));
	test_cond("photon orange 2", row != NULL);
	if (row != NULL)
		expect_str("= internet", "internet",
		    stage_name((enum stage)row->stage));
	/* Photon on 2.3.1, orange, 1 blink -> handshake, key mismatch first. */
	fw_version_parse("2.3.1", &v);
	row = explain("1 orange blink", profile_era(photon, &v), err,
	    sizeof(err));
	test_cond("photon orange 1", row != NULL);
	if (row != NULL) {
		expect_str("= handshake", "handshake",
		    stage_name((enum stage)row->stage));
		test_cond("causes", rules_causes(&rules,
		    (enum stage)row->stage, (enum stage_fail)row->fail, photon,
		    LED_ERA_DEVICEOS, causes, 4) >= 1);
		expect_str("device key mismatch first",
		    "keys.device_key_mismatch", causes[0]->id);
	}
}

static void
test_words(void)
{
	const struct stage_signal *row;
	char err[256];

	row = explain("blinking green", LED_ERA_DEVICEOS, err, sizeof(err));
	test_cond("blinking green", row != NULL && row->stage == STAGE_WIFI &&
	    row->fail == STAGE_FAIL_JOIN);
	row = explain("fast cyan then red", LED_ERA_DEVICEOS, err,
	    sizeof(err));
	test_cond("fast cyan then red", row != NULL &&
	    row->stage == STAGE_HANDSHAKE && row->fail == STAGE_FAIL_HANDSHAKE);
	/* On the 2014 Core red blinks 1, 2 or 3: the context decides. */
	row = explain("fast cyan then red", LED_ERA_CORE2014, err,
	    sizeof(err));
	test_cond("core: fast cyan then red = handshake", row != NULL &&
	    row->stage == STAGE_HANDSHAKE);
	test_cond("core: red alone is ambiguous",
	    explain("blinking red", LED_ERA_CORE2014, err, sizeof(err)) ==
	    NULL && strstr(err, "count the blinks") != NULL);
	row = explain("breathing cyan", LED_ERA_DEVICEOS, err, sizeof(err));
	test_cond("breathing cyan", row != NULL &&
	    row->stage == STAGE_CONNECTED && row->fail == STAGE_FAIL_NONE);
	row = explain("The LED is flashing RED twice", LED_ERA_CORE2014, err,
	    sizeof(err));
	test_cond("filler, case, twice", row != NULL &&
	    row->stage == STAGE_INTERNET);
	row = explain("high speed flashing cyan", LED_ERA_DEVICEOS, err,
	    sizeof(err));
	test_cond("high speed = fast", row != NULL &&
	    row->stage == STAGE_HANDSHAKE && row->fail == STAGE_FAIL_NONE);
	row = explain("blinking cyan, then 3x orange", LED_ERA_DEVICEOS, err,
	    sizeof(err));
	test_cond("comma and 3x", row != NULL && row->stage == STAGE_CLOUD);
	row = explain("off", LED_ERA_DEVICEOS, err, sizeof(err));
	test_cond("dark = no power", row != NULL && row->stage == STAGE_POWER &&
	    row->fail == STAGE_FAIL_NO_POWER);
	row = explain("breathing green", LED_ERA_DEVICEOS, err, sizeof(err));
	test_cond("breathing green = starved", row != NULL &&
	    row->fail == STAGE_FAIL_STARVED);
	row = explain("blinking yellow", LED_ERA_DEVICEOS, err, sizeof(err));
	test_cond("yellow = dfu", row != NULL && row->stage == STAGE_DFU);
}

static void
test_refused(void)
{
	char err[256];

	test_cond("unknown word", explain("blinkning green", LED_ERA_DEVICEOS,
	    err, sizeof(err)) == NULL);
	expect_str("names the word", "\"blinkning green\": cannot read "
	    "\"blinkning\" (say e.g. \"2 orange blinks\", \"blinking green\", "
	    "\"fast cyan then red\")", err);
	test_cond("no colour", explain("blinking twice", LED_ERA_DEVICEOS,
	    err, sizeof(err)) == NULL && strstr(err, "no colour") != NULL);
	test_cond("two colours", explain("green blue", LED_ERA_DEVICEOS, err,
	    sizeof(err)) == NULL && strstr(err, "two colours") != NULL);
	test_cond("count on breathing", explain("breathing cyan 2 times",
	    LED_ERA_DEVICEOS, err, sizeof(err)) == NULL);
	test_cond("breathe vs blink", explain("breathing blinking cyan",
	    LED_ERA_DEVICEOS, err, sizeof(err)) == NULL &&
	    strstr(err, "contradicts") != NULL);
	test_cond("5 orange blinks mean nothing", explain("5 orange blinks",
	    LED_ERA_DEVICEOS, err, sizeof(err)) == NULL &&
	    strstr(err, "no meaning") != NULL);
	test_cond("red 3 on device os points at the other era",
	    explain("3 red blinks", LED_ERA_DEVICEOS, err, sizeof(err)) ==
	    NULL && strstr(err, "core-2014") != NULL);
	test_cond("orange on 2014 core means nothing for 2 blinks",
	    explain("2 orange blinks", LED_ERA_CORE2014, err, sizeof(err)) ==
	    NULL);
	test_cond("safe mode is device-os only", explain("breathing magenta",
	    LED_ERA_CORE2014, err, sizeof(err)) == NULL);
	test_cond("orange without count is ambiguous",
	    explain("blinking orange", LED_ERA_DEVICEOS, err, sizeof(err)) ==
	    NULL && strstr(err, "1 = handshake") != NULL);
	test_cond("empty", explain("", LED_ERA_DEVICEOS, err,
	    sizeof(err)) == NULL);
	test_cond("only filler", explain("the led", LED_ERA_DEVICEOS, err,
	    sizeof(err)) == NULL);
	test_cond("99 blinks", explain("99 red blinks", LED_ERA_DEVICEOS, err,
	    sizeof(err)) == NULL);
	test_cond("too many signals", explain("red then red then red then red "
	    "then red", LED_ERA_DEVICEOS, err, sizeof(err)) == NULL);
	{
		struct led_obs o;

		test_cond("flags: bad colour", ledobs_from_flags("mauve", NULL,
		    NULL, &o, err, sizeof(err)) == -1 &&
		    strstr(err, "--color mauve") != NULL);
		test_cond("flags: bad blinks", ledobs_from_flags("red", NULL,
		    "2x", &o, err, sizeof(err)) == -1 &&
		    strstr(err, "--blinks 2x") != NULL);
		test_cond("flags: no colour", ledobs_from_flags(NULL, "fast",
		    NULL, &o, err, sizeof(err)) == -1);
		test_cond("flags: pattern word", ledobs_from_flags("cyan",
		    "breathing", NULL, &o, err, sizeof(err)) == 0 &&
		    o.sig[0].pattern == LED_BREATHE);
	}
}

static void
test_describe(void)
{
	struct led_obs o;
	char err[128], buf[128];

	ledobs_parse("fast cyan then 1 red blink", &o, err, sizeof(err));
	ledobs_describe(&o, buf, sizeof(buf));
	expect_str("describe", "fast blinking cyan then 1 red blink", buf);
}

int
main(void)
{
	char err[512];

	if (rules_load("rules", &rules, err, sizeof(err)) == -1) {
		printf("FAIL rules: %s\n# 0 passed, 1 failed\n", err);
		return 1;
	}
	test_examples();
	test_words();
	test_refused();
	test_describe();
	return test_report();
}
