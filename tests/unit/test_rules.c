/*
 * test_rules.c - the rule data and its loader (analyzers/rules.c,
 * probe/rules_load.c): every finding id the code can emit has a rule, every
 * rule is emittable or LED-only, malformed files give the right message,
 * and the device facts of the real profiles answer the way the reference
 * notes say.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "rules.h"
#include "rules_load.h"

static struct rules rules;

static void
test_real_files(void)
{
	char err[512] = "";
	size_t i;
	int rc;

	rc = rules_load("rules", &rules, err, sizeof(err));
	expect_str("real rules load", "", err);
	expect_int("real rules load rc", 0, rc);
	for (i = 0; i < FINDING_COUNT; i++) {
		const struct rule *ru = rules_get(&rules, (enum finding_id)i);

		if (ru == NULL)
			printf("     no rule for %s\n",
			    finding_name((enum finding_id)i));
		test_cond("every emittable finding has a rule", ru != NULL);
		if (ru != NULL)
			expect_str("rule id matches", finding_name(
			    (enum finding_id)i), ru->id);
	}
	for (i = 0; i < rules_count(&rules); i++) {
		const struct rule *ru = rules_at(&rules, i);
		enum finding_id f;

		test_cond("every rule is emittable or LED-only",
		    ru->led_only || finding_from_name(ru->id, &f));
		test_cond("LED-only rules are not emittable",
		    !ru->led_only || !finding_from_name(ru->id, &f));
		test_cond("rule has advice", strlen(ru->advice) > 20);
		test_cond("rule has a seed section", strlen(ru->seed) > 5);
		test_cond("error rules say how the stage fails",
		    ru->severity != SEVERITY_ERROR ||
		    ru->fail != STAGE_FAIL_NONE);
	}
	test_cond("led.no_credentials loaded",
	    rules_find(&rules, "led.no_credentials") != NULL &&
	    rules_find(&rules, "led.no_credentials")->led_only);
	test_cond("unknown id", rules_find(&rules, "wifi.nope") == NULL);
}

/* The troubleshooting seed's problems each have a rule at the right stage. */
static void
test_seed_coverage(void)
{
	static const struct {
		const char *id;
		enum stage stage;
	} want[] = {
		{ "wifi.n_only", STAGE_WIFI },
		{ "portal.detected", STAGE_INTERNET },
		{ "wifi.enterprise", STAGE_WIFI },
		{ "wifi.multiple_bss", STAGE_WIFI },
		{ "wifi.channel_above_max", STAGE_WIFI },
		{ "dhcp.no_offer", STAGE_DHCP },
		{ "cloud.port_blocked", STAGE_CLOUD },
		{ "led.no_credentials", STAGE_LISTENING },
		{ "wifi.weak_signal", STAGE_WIFI },
		{ "keys.device_key_mismatch", STAGE_HANDSHAKE },
		{ "agent.loop_starved", STAGE_CLOUD },
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct rule *ru = rules_find(&rules, want[i].id);

		test_cond(want[i].id, ru != NULL);
		if (ru != NULL)
			expect_str(want[i].id, stage_name(want[i].stage),
			    stage_name(ru->stage));
	}
}

/* Is the rule `id` among the causes of (stage, fail) on p in era? */
static bool
caused(enum stage stage, enum stage_fail fail, const char *p,
    enum led_era era, const char *id)
{
	const struct rule *out[32];
	size_t i, n;

	n = rules_causes(&rules, stage, fail, rules_profile(&rules, p), era,
	    out, 32);
	for (i = 0; i < n && i < 32; i++)
		if (strcmp(out[i]->id, id) == 0)
			return true;
	return false;
}

/*
 * The 2014 Core firmware does not wait for the cloud's Hello and counts
 * any record as a sign of life (core-communication-lib), so neither a
 * missing Hello nor an unreadable record is a cause of its red blink;
 * on Device OS both are, and a rejected key block is in both eras.
 */
static void
test_era_causes(void)
{
	test_cond("no_hello: not on the 2014 Core", !caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "core", LED_ERA_CORE2014,
	    "handshake.no_hello"));
	test_cond("bad_record: not on the 2014 Core", !caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "core", LED_ERA_CORE2014,
	    "handshake.bad_record"));
	test_cond("no_hello on a Core on Device OS", caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "core", LED_ERA_DEVICEOS,
	    "handshake.no_hello"));
	test_cond("no_hello on the Photon", caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "photon", LED_ERA_DEVICEOS,
	    "handshake.no_hello"));
	test_cond("rejected in both eras", caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "core", LED_ERA_CORE2014,
	    "handshake.rejected") && caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "photon", LED_ERA_DEVICEOS,
	    "handshake.rejected"));
	test_cond("ping_unanswered on the 2014 Core", caused(STAGE_CONNECTED,
	    STAGE_FAIL_SESSION, "core", LED_ERA_CORE2014,
	    "cloud.ping_unanswered"));
	test_cond("any era: no_hello", caused(STAGE_HANDSHAKE,
	    STAGE_FAIL_HANDSHAKE, "core", LED_ERA_COUNT,
	    "handshake.no_hello"));
}

static void
test_causes(void)
{
	const struct rule *out[8];
	const struct profile *photon = rules_profile(&rules, "photon");
	size_t n;

	n = rules_causes(&rules, STAGE_HANDSHAKE, STAGE_FAIL_DECRYPT, photon,
	    LED_ERA_COUNT, out, 8);
	test_cond("decrypt has causes", n >= 2);
	if (n >= 1)
		expect_str("first cause of orange 1", "keys.device_key_mismatch",
		    out[0]->id);
	n = rules_causes(&rules, STAGE_CLOUD, STAGE_FAIL_CLOUD, photon,
	    LED_ERA_COUNT, out, 8);
	test_cond("cloud has causes", n >= 3);
	if (n >= 1)
		expect_str("first cause of 3 blinks", "cloud.port_blocked",
		    out[0]->id);
	for (n = 1; n < 8 && out[n] != NULL && n < 3; n++)
		test_cond("ranked", out[n - 1]->rank <= out[n]->rank);
	n = rules_causes(&rules, STAGE_LISTENING, STAGE_FAIL_NO_CREDENTIALS,
	    photon, LED_ERA_COUNT, out, 8);
	test_cond("smartconfig is core-only", n == 2);
	n = rules_causes(&rules, STAGE_LISTENING, STAGE_FAIL_NO_CREDENTIALS,
	    rules_profile(&rules, "core"), LED_ERA_COUNT, out, 8);
	expect_int("core listening causes", 3, n);
	n = rules_causes(&rules, STAGE_CLOUD, STAGE_FAIL_CLOUD, photon,
	    LED_ERA_COUNT, out, 1);
	test_cond("total counted past max", n > 1);
	test_era_causes();
}

static void
test_profiles(void)
{
	const struct profile *core = rules_profile(&rules, "core");
	const struct profile *photon = rules_profile(&rules, "photon");
	const struct internet_test *t;
	struct fw_version v;

	test_cond("core profile", core != NULL);
	test_cond("photon profile", photon != NULL);
	test_cond("no bogus profile", rules_profile(&rules, "argon") == NULL);
	if (core == NULL || photon == NULL)
		return;
	test_cond("core is core", core->is_core && !photon->is_core);
	expect_int("photon platform", 6, photon->platform_id);

	fw_version_parse("0.3.4", &v);
	expect_int("core 0.3.4 era", LED_ERA_CORE2014, profile_era(core, &v));
	test_cond("core knows 0.3.4", profile_knows_firmware(core, &v));
	test_cond("photon does not know 0.3.4",
	    !profile_knows_firmware(photon, &v));
	fw_version_parse("1.4.4", &v);
	expect_int("core 1.4.4 era", LED_ERA_DEVICEOS, profile_era(core, &v));
	fw_version_parse("2.3.1", &v);
	test_cond("core does not know 2.3.1", !profile_knows_firmware(core, &v));

	/* Channels: Core 1-11; Photon by country, unset = Japan. */
	test_cond("core ch 11", profile_channel_allowed(core, 11, NULL));
	test_cond("core ch 12", !profile_channel_allowed(core, 12, "JP"));
	test_cond("photon unset ch 13", profile_channel_allowed(photon, 13,
	    NULL));
	expect_int("photon unset max", 14, profile_max_channel(photon, ""));
	test_cond("photon US ch 12", !profile_channel_allowed(photon, 12,
	    "US"));
	expect_int("photon other country", 13, profile_max_channel(photon,
	    "ZZ"));
	test_cond("ch 0 never", !profile_channel_allowed(photon, 0, NULL));
	test_cond("ch 15 never", !profile_channel_allowed(photon, 15, NULL));

	test_cond("photon 2.4", profile_band_supported(photon, BAND_2G4));
	test_cond("photon no 5", !profile_band_supported(photon, BAND_5G));
	test_cond("photon n", profile_phy_supported(photon, PHY_N));
	test_cond("core no n", !profile_phy_supported(core, PHY_N));
	test_cond("20 MHz", profile_width_supported(photon, 20));
	test_cond("no 40 MHz", !profile_width_supported(photon, 40));

	/* n-only defect: 0.7.0 up to 1.1.0-rc.1 inclusive. */
	fw_version_parse("0.6.4", &v);
	test_cond("0.6.4 n-only ok", !profile_defect(photon, "n_only_broken",
	    &v));
	fw_version_parse("0.7.0", &v);
	test_cond("0.7.0 n-only broken", profile_defect(photon,
	    "n_only_broken", &v));
	fw_version_parse("1.1.0-rc.1", &v);
	test_cond("1.1.0-rc.1 broken", profile_defect(photon, "n_only_broken",
	    &v));
	fw_version_parse("1.1.0-rc.2", &v);
	test_cond("1.1.0-rc.2 fixed", !profile_defect(photon, "n_only_broken",
	    &v));
	test_cond("unknown defect", !profile_defect(photon, "nope", &v));

	/* Enterprise from 0.7.0-rc.1 on the Photon, never on the Core. */
	fw_version_parse("0.6.4", &v);
	test_cond("0.6.4 no enterprise", !profile_security_supported(photon,
	    SEC_WPA2_ENTERPRISE, &v));
	fw_version_parse("0.7.0", &v);
	test_cond("0.7.0 enterprise", profile_security_supported(photon,
	    SEC_WPA2_ENTERPRISE, &v));
	test_cond("core no enterprise", !profile_security_supported(core,
	    SEC_WPA2_ENTERPRISE, &v));
	test_cond("no wpa3", !profile_security_supported(photon, SEC_WPA3,
	    &v));
	test_cond("wpa2", profile_security_supported(core, SEC_WPA2, &v));

	/* Internet test: TCP 8.8.8.8:53 through 1.5.x, NTP from 2.0. */
	fw_version_parse("1.5.2", &v);
	t = profile_internet_test(photon, &v);
	test_cond("1.5.2 test", t != NULL && t->kind == INTERNET_TEST_TCP &&
	    strcmp(t->host, "8.8.8.8") == 0 && t->port == 53);
	fw_version_parse("2.0.0", &v);
	t = profile_internet_test(photon, &v);
	test_cond("2.0.0 test", t != NULL && t->kind == INTERNET_TEST_NTP &&
	    strcmp(t->host, "pool.ntp.org") == 0 && t->port == 123);
	fw_version_parse("0.3.4", &v);
	t = profile_internet_test(core, &v);
	test_cond("core test", t != NULL && t->kind == INTERNET_TEST_TCP);
	expect_str("cloud host", "device.spark.io", photon->cloud.host);
	expect_int("cloud port", 5683, photon->cloud.port);
	expect_str("core fallback", "54.208.229.4", core->cloud.fallback_ip);
}

/* Parse `json` as a findings file; return the message ("" when it parsed). */
static const char *
findings_err(const char *json)
{
	static struct rules r;
	static char err[512];

	rules_init(&r);
	err[0] = '\0';
	if (rules_parse_findings(&r, json, strlen(json), "rules/findings.json",
	    err, sizeof(err)) == 0)
		err[0] = '\0';
	return err;
}

#define RULE_OK	"\"summary\":\"s\",\"advice\":\"a\",\"seed\":\"x\""
#define F(body)	"{\"schema\":\"cyanprobe-findings/1\",\"findings\":[" body "]}"

static void
test_bad_findings(void)
{
	expect_str("good", "", findings_err(F("{\"id\":\"dhcp.no_offer\","
	    "\"stage\":\"dhcp\",\"fail\":\"dhcp\",\"severity\":\"error\","
	    RULE_OK "}")));
	expect_str("unknown stage",
	    "rules/findings.json: $.findings[1].stage: unknown stage \"clod\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\"," RULE_OK "},"
	    "{\"id\":\"dhcp.nak\",\"stage\":\"clod\",\"fail\":\"dhcp\","
	    "\"severity\":\"error\"," RULE_OK "}")));
	expect_str("unknown key",
	    "rules/findings.json: $.findings[0].colour: unknown key \"colour\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\",\"colour\":1,"
	    RULE_OK "}")));
	expect_str("wrong type",
	    "rules/findings.json: $.findings[0].rank: expected an integer, "
	    "got a string",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\",\"rank\":\"1\","
	    RULE_OK "}")));
	expect_str("unknown finding",
	    "rules/findings.json: $.findings[0].id: unknown finding "
	    "\"dhcp.nope\" (not in analyzers/finding.h; mark LED-only rules "
	    "\"led_only\")",
	    findings_err(F("{\"id\":\"dhcp.nope\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\"," RULE_OK "}")));
	expect_str("duplicate rule",
	    "rules/findings.json: $.findings[1].id: duplicate rule "
	    "\"dhcp.no_offer\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\"," RULE_OK "},"
	    "{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\",\"fail\":\"dhcp\","
	    "\"severity\":\"error\"," RULE_OK "}")));
	expect_str("duplicate key",
	    "rules/findings.json: $.findings[0].stage: duplicate key \"stage\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"stage\":\"wifi\",\"fail\":\"dhcp\",\"severity\":\"error\","
	    RULE_OK "}")));
	expect_str("unknown severity",
	    "rules/findings.json: $.findings[0].severity: unknown severity "
	    "\"fatal\" (info, warning or error)",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"fatal\"," RULE_OK "}")));
	expect_str("unknown fail",
	    "rules/findings.json: $.findings[0].fail: unknown failure code "
	    "\"boom\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"boom\",\"severity\":\"error\"," RULE_OK "}")));
	expect_str("fail not possible at stage",
	    "rules/findings.json: $.findings[0].fail: stage \"dhcp\" cannot "
	    "fail with \"auth\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"auth\",\"severity\":\"error\"," RULE_OK "}")));
	expect_str("missing advice",
	    "rules/findings.json: $.findings[0].advice: missing",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\",\"summary\":\"s\","
	    "\"seed\":\"x\"}")));
	expect_str("led_only on an emittable id",
	    "rules/findings.json: $.findings[0].id: \"dhcp.no_offer\" is a "
	    "finding the code emits; it cannot be led_only",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"led_only\":true,"
	    "\"stage\":\"dhcp\",\"fail\":\"dhcp\",\"severity\":\"error\","
	    RULE_OK "}")));
	expect_str("not an array",
	    "rules/findings.json: $.findings: expected an array, got an object",
	    findings_err("{\"schema\":\"cyanprobe-findings/1\","
	    "\"findings\":{}}"));
	expect_str("bad json",
	    "rules/findings.json: $: not valid JSON (line 2)",
	    findings_err("{\"schema\":\"cyanprobe-findings/1\",\n"
	    "\"findings\":[,]}"));
	expect_str("trailing text",
	    "rules/findings.json: $: text after the JSON document (line 1)",
	    findings_err(F("") " x"));
	expect_str("wrong schema",
	    "rules/findings.json: $.schema: expected \"cyanprobe-findings/1\", "
	    "got \"v2\"",
	    findings_err("{\"schema\":\"v2\",\"findings\":[]}"));
	expect_str("error without fail",
	    "rules/findings.json: $.findings[0].severity: an error must say "
	    "how its stage fails (\"fail\" is \"none\")",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"none\",\"severity\":\"error\"," RULE_OK "}")));
	expect_str("empty", "rules/findings.json: $: empty file",
	    findings_err(""));
	expect_str("eras: one era", "", findings_err(F("{\"id\":"
	    "\"dhcp.no_offer\",\"stage\":\"dhcp\",\"fail\":\"dhcp\","
	    "\"severity\":\"error\",\"eras\":[\"device-os\"]," RULE_OK
	    "}")));
	expect_str("eras: unknown era",
	    "rules/findings.json: $.findings[0].eras[1]: unknown LED era "
	    "\"dos\" (core-2014 or device-os)",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\","
	    "\"eras\":[\"core-2014\",\"dos\"]," RULE_OK "}")));
	expect_str("eras: duplicate",
	    "rules/findings.json: $.findings[0].eras[1]: duplicate LED era "
	    "\"device-os\"",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\","
	    "\"eras\":[\"device-os\",\"device-os\"]," RULE_OK "}")));
	expect_str("eras: empty",
	    "rules/findings.json: $.findings[0].eras: empty list (leave it "
	    "out for all)",
	    findings_err(F("{\"id\":\"dhcp.no_offer\",\"stage\":\"dhcp\","
	    "\"fail\":\"dhcp\",\"severity\":\"error\",\"eras\":[],"
	    RULE_OK "}")));
}

static const char *
profile_err(const char *json)
{
	static struct rules r;
	static char err[512];

	rules_init(&r);
	err[0] = '\0';
	if (rules_parse_profile(&r, json, strlen(json),
	    "rules/devices/x.json", err, sizeof(err)) == 0)
		err[0] = '\0';
	return err;
}

#define P_HEAD	"{\"schema\":\"cyanprobe-device/1\",\"name\":\"x\"," \
	"\"title\":\"X\",\"platform_id\":6," \
	"\"firmware\":{\"default\":\"1.0.0\"},"
#define P_RADIO	"\"radio\":{\"bands\":[\"2.4\"],\"phy\":[\"b\"]," \
	"\"widths\":[20],\"channels\":{\"max\":11}},"
#define P_TAIL	"\"security\":[{\"class\":\"wpa2\"}]," \
	"\"internet_tests\":[{\"kind\":\"tcp\",\"host\":\"8.8.8.8\"," \
	"\"port\":53,\"timeout_ms\":8000}]," \
	"\"cloud\":{\"host\":\"device.spark.io\",\"port\":5683," \
	"\"transport\":\"tcp\"},\"led_eras\":[{\"era\":\"device-os\"}]}"

static void
test_bad_profiles(void)
{
	expect_str("good profile", "", profile_err(P_HEAD P_RADIO P_TAIL));
	expect_str("unknown band",
	    "rules/devices/x.json: $.radio.bands[0]: unknown bands \"2.5\"",
	    profile_err(P_HEAD "\"radio\":{\"bands\":[\"2.5\"],\"phy\":[\"b\"],"
	    "\"widths\":[20],\"channels\":{\"max\":11}}," P_TAIL));
	expect_str("channel out of range",
	    "rules/devices/x.json: $.radio.channels.max: 15 is out of range "
	    "1..14",
	    profile_err(P_HEAD "\"radio\":{\"bands\":[\"2.4\"],\"phy\":[\"b\"],"
	    "\"widths\":[20],\"channels\":{\"max\":15}}," P_TAIL));
	expect_str("bad version",
	    "rules/devices/x.json: $.firmware.default: bad firmware version "
	    "\"1.x\"",
	    profile_err("{\"schema\":\"cyanprobe-device/1\",\"name\":\"x\","
	    "\"title\":\"X\",\"platform_id\":6,\"firmware\":{\"default\":"
	    "\"1.x\"}," P_RADIO P_TAIL));
	expect_str("unknown security",
	    "rules/devices/x.json: $.security[1].class: unknown security class "
	    "\"wpa9\"",
	    profile_err(P_HEAD P_RADIO "\"security\":[{\"class\":\"wpa2\"},"
	    "{\"class\":\"wpa9\"}],\"internet_tests\":[],\"cloud\":{},"
	    "\"led_eras\":[]}"));
	expect_str("unknown top key",
	    "rules/devices/x.json: $.colour: unknown key \"colour\"",
	    profile_err("{\"schema\":\"cyanprobe-device/1\",\"colour\":1}"));
	expect_str("missing radio", "rules/devices/x.json: $.radio: missing",
	    profile_err(P_HEAD P_TAIL));
}

/* A rules folder on disk with one broken file: rules_load names it. */
static void
test_load_dir(void)
{
	char dir[] = "/tmp/test_rules.XXXXXX", path[256], err[512];
	struct rules *r = malloc(sizeof(*r));
	FILE *f;

	if (r == NULL || mkdtemp(dir) == NULL) {
		test_cond("temp dir", 0);
		free(r);
		return;
	}
	snprintf(path, sizeof(path), "%s/findings.json", dir);
	f = fopen(path, "w");
	fputs(F(""), f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/devices", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/devices/a.json", dir);
	f = fopen(path, "w");
	fputs(P_HEAD P_RADIO "\"security\":[{\"class\":\"wpa2\",\"from\":1}],"
	    "\"internet_tests\":[],\"cloud\":{},\"led_eras\":[]}", f);
	fclose(f);
	test_cond("broken dir fails", rules_load(dir, r, err,
	    sizeof(err)) == -1);
	{
		char want[512];

		snprintf(want, sizeof(want), "%s/devices/a.json: "
		    "$.security[0].from: expected a string, got a number", dir);
		expect_str("names file and path", want, err);
	}
	unlink(path);
	test_cond("no profiles fails", rules_load(dir, r, err,
	    sizeof(err)) == -1);
	test_cond("no profiles message", strstr(err, "no device profiles") !=
	    NULL);
	snprintf(path, sizeof(path), "%s/devices", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/findings.json", dir);
	unlink(path);
	rmdir(dir);
	test_cond("missing dir fails", rules_load(dir, r, err,
	    sizeof(err)) == -1);
	test_cond("missing dir message names the file",
	    strstr(err, "findings.json") != NULL);
	free(r);
}

int
main(void)
{
	test_real_files();
	test_seed_coverage();
	test_causes();
	test_profiles();
	test_bad_findings();
	test_bad_profiles();
	test_load_dir();
	return test_report();
}
