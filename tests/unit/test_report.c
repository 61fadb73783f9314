/*
 * test_report.c - the report model and its renderings (probe/report*.c):
 * the stable JSON keys, the verdict as the first failing stage with the
 * LED of the device's era, the exit status, and redaction in the forum
 * Markdown (MACs to OUI, public IPs dropped, never key material).
 */
#include <stdlib.h>

#include "test.h"
#include "log.h"
#include "report.h"
#include "rules_load.h"

static struct rules rules;

/* Render to a string with one of the writers; the caller frees it. */
static char *
render(const struct report *r, int kind, bool flag)
{
	static struct report_model m;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	report_model(&m, r, &rules);
	if (kind == 0)
		report_write_json(&m, f);
	else if (kind == 1)
		report_write_text(&m, f, flag, 80);
	else if (kind == 2)
		report_write_markdown(&m, f, flag);
	else
		report_write_junit(&m, f);
	fclose(f);
	return buf;
}

static void
test_json_keys(void)
{
	static const char *const keys[] = {
		"schema", "software", "generated_at", "interrupted", "source",
		"device",
		"networks", "findings", "findings_dropped", "facts", "verdict",
		"forum", NULL
	};
	const struct profile *p = rules_profile(&rules, "photon");
	struct report r;
	const char *const *k;
	cJSON *root, *m, *o;
	char *text;
	int i = 0;

	setenv("CYANPROBE_FAKE_TIME", "0", 1);
	report_init(&r, "capture");
	r.profile = p;
	snprintf(r.firmware, sizeof(r.firmware), "1.5.2");
	r.source = cJSON_CreateObject();
	cJSON_AddStringToObject(r.source, "file", "x.pcap");
	cJSON_AddStringToObject(r.source, "password", "hunter2");
	findings_add(&r.findings, FINDING_CLOUD_PORT_BLOCKED,
	    "no SYN-ACK from 52.1.2.3:5683");
	cJSON_AddStringToObject(report_facts(&r, "dhcp"), "server",
	    "192.168.1.1");
	cJSON_AddStringToObject(report_facts(&r, "wifi"), "psk", "secret1");
	test_cond("facts object reused", report_facts(&r, "dhcp") ==
	    cJSON_GetObjectItem(r.facts, "dhcp"));
	report_decide(&r, &rules);

	text = render(&r, 0, false);
	root = cJSON_Parse(text);
	test_cond("JSON parses", root != NULL);
	if (root == NULL) {
		free(text);
		report_free(&r);
		return;
	}
	/* Stable keys, in a stable order. */
	for (m = root->child, k = keys; m != NULL && *k != NULL;
	    m = m->next, k++, i++)
		expect_str("top-level key order", *k, m->string);
	test_cond("no extra keys", m == NULL && *k == NULL);
	expect_str("schema", "cyanprobe-report/1",
	    cJSON_GetStringValue(cJSON_GetObjectItem(root, "schema")));
	o = cJSON_GetObjectItem(root, "software");
	expect_str("software.name", "cyanprobe",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "name")));
	expect_str("software.version", CYANPROBE_VERSION,
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "version")));
	expect_str("fake time", "1970-01-01T00:00:00Z",
	    cJSON_GetStringValue(cJSON_GetObjectItem(root, "generated_at")));
	o = cJSON_GetObjectItem(root, "source");
	expect_str("source.kind", "capture",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind")));
	expect_str("source.file", "x.pcap",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "file")));
	test_cond("no password in source",
	    cJSON_GetObjectItem(o, "password") == NULL);
	test_cond("no psk in facts", strstr(text, "secret1") == NULL);
	o = cJSON_GetObjectItem(root, "device");
	expect_str("device.profile", "photon",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "profile")));
	expect_str("device.firmware", "1.5.2",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "firmware")));
	test_cond("networks is an array",
	    cJSON_IsArray(cJSON_GetObjectItem(root, "networks")));
	o = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
	expect_str("finding id", "cloud.port_blocked",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "id")));
	expect_str("finding stage", "cloud",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "stage")));
	expect_str("finding severity", "error",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "severity")));
	test_cond("finding summary", cJSON_IsString(cJSON_GetObjectItem(o,
	    "summary")));
	test_cond("finding advice", cJSON_IsString(cJSON_GetObjectItem(o,
	    "advice")));
	expect_str("finding evidence (JSON is not privacy-redacted)",
	    "no SYN-ACK from 52.1.2.3:5683",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "evidence")));
	o = cJSON_GetObjectItem(root, "verdict");
	expect_str("verdict.stage", "cloud",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "stage")));
	m = cJSON_GetObjectItem(o, "led");
	expect_str("verdict.led.color", "orange",
	    cJSON_GetStringValue(cJSON_GetObjectItem(m, "color")));
	expect_str("verdict.led.pattern", "blink",
	    cJSON_GetStringValue(cJSON_GetObjectItem(m, "pattern")));
	expect_int("verdict.led.count", 3,
	    cJSON_GetNumberValue(cJSON_GetObjectItem(m, "count")));
	test_cond("verdict.summary", cJSON_IsString(cJSON_GetObjectItem(o,
	    "summary")));
	expect_str("verdict.causes[0]", "cloud.port_blocked",
	    cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(o, "causes"), 0), "id")));
	o = cJSON_GetObjectItem(root, "forum");
	test_cond("forum.router null", cJSON_IsNull(cJSON_GetObjectItem(o,
	    "router")));
	test_cond("forum.isp present", cJSON_GetObjectItem(o, "isp") != NULL);
	cJSON_Delete(root);
	free(text);
	report_free(&r);
	report_free(NULL);
}

static void
test_verdict(void)
{
	struct report r;
	struct fw_version v;
	const struct profile *core = rules_profile(&rules, "core");
	const struct profile *photon = rules_profile(&rules, "photon");

	/* Nothing fails: connected, breathing cyan, exit 0. */
	report_init(&r, "live");
	r.profile = photon;
	findings_add(&r.findings, FINDING_WIFI_WEAK_SIGNAL, "-80 dBm");
	report_decide(&r, &rules);
	expect_str("warnings only: connected", "connected",
	    stage_name(r.verdict.stage));
	expect_int("breathing cyan", LED_BREATHE, r.verdict.led.pattern);
	expect_int("cyan", LED_CYAN, r.verdict.led.color);
	expect_int("exit 0", 0, report_exit_status(&r, &rules));
	test_cond("summary says see warnings",
	    strstr(r.verdict.summary, "warnings") != NULL);

	/* The lowest failing stage wins, whatever the order of findings. */
	findings_add(&r.findings, FINDING_CLOUD_PORT_BLOCKED, "x");
	findings_add(&r.findings, FINDING_INTERNET_FAILED, "y");
	findings_add(&r.findings, FINDING_HANDSHAKE_BAD_SIGNATURE, "z");
	report_decide(&r, &rules);
	expect_str("first failing stage", "internet",
	    stage_name(r.verdict.stage));
	expect_int("internet 2 blinks", 2, r.verdict.led.count);
	expect_int("orange on device os", LED_ORANGE, r.verdict.led.color);
	expect_int("exit 1", 1, report_exit_status(&r, &rules));
	expect_int("one cause at that stage", 1, r.verdict.ncauses);

	/* LED by era: the same finding on a 2014 Core blinks red. */
	r.profile = core;
	fw_version_parse("0.3.4", &v);
	r.era = profile_era(core, &v);
	report_decide(&r, &rules);
	expect_int("red on core 2014", LED_RED, r.verdict.led.color);
	expect_int("still 2 blinks", 2, r.verdict.led.count);
	report_free(&r);

	/* Within one stage the best-ranked rule picks the code. */
	report_init(&r, "live");
	findings_add(&r.findings, FINDING_HANDSHAKE_REJECTED, "closed");
	findings_add(&r.findings, FINDING_KEYS_DEVICE_KEY_MISMATCH, "differs");
	report_decide(&r, &rules);
	expect_str("handshake", "handshake", stage_name(r.verdict.stage));
	expect_str("decrypt wins by rank", "decrypt",
	    stage_fail_name(r.verdict.fail));
	expect_int("orange 1", 1, r.verdict.led.count);
	expect_int("causes ranked", 2, r.verdict.ncauses);
	if (r.verdict.ncauses == 2)
		expect_str("best first", "keys.device_key_mismatch",
		    r.verdict.causes[0]->id);

	/* Info-only findings never fail anything. */
	report_free(&r);
	report_init(&r, "capture");
	findings_add(&r.findings, FINDING_CAPTURE_TRUNCATED, "snaplen 64");
	report_decide(&r, &rules);
	expect_str("info only: connected", "connected",
	    stage_name(r.verdict.stage));
	expect_int("info only: exit 0", 0, report_exit_status(&r, &rules));
	report_free(&r);
}

/* No evidence is not health: the verdict rests on the stages seen. */
static void
test_evidence(void)
{
	struct report r;
	cJSON *root, *v;
	const stage_set lan = STAGE_BIT(STAGE_DHCP) |
	    STAGE_BIT(STAGE_INTERNET) | STAGE_BIT(STAGE_CLOUD);

	/* A capture of nothing: every expected stage unobserved, exit 4. */
	report_init(&r, "capture");
	report_expect(&r, lan);
	report_decide(&r, &rules);
	expect_int("nothing seen: inconclusive", VERDICT_INCONCLUSIVE,
	    r.verdict.state);
	expect_int("names all three", lan, r.verdict.unobserved);
	expect_str("first unobserved stage", "dhcp",
	    stage_name(r.verdict.stage));
	test_cond("no LED claimed", !r.verdict.led_known);
	test_cond("never says no problem",
	    strstr(r.verdict.summary, "No problem") == NULL);
	test_cond("summary names the stages",
	    strstr(r.verdict.summary, "dhcp, internet, cloud") != NULL);
	expect_int("exit 4", EXIT_INCONCLUSIVE, report_exit_status(&r, &rules));

	/* Warnings do not make evidence either. */
	findings_add(&r.findings, FINDING_DHCP_MULTIPLE_SERVERS, "two");
	report_seen(&r, STAGE_BIT(STAGE_DHCP));
	report_decide(&r, &rules);
	expect_int("dhcp seen, rest not", STAGE_BIT(STAGE_INTERNET) |
	    STAGE_BIT(STAGE_CLOUD), r.verdict.unobserved);
	expect_str("first unobserved is internet", "internet",
	    stage_name(r.verdict.stage));

	/* A cloud nonce shows the internet works too: connected, exit 0. */
	report_seen(&r, STAGE_BIT(STAGE_CLOUD));
	report_decide(&r, &rules);
	expect_int("all seen: ok", VERDICT_OK, r.verdict.state);
	expect_int("cloud implies internet", lan, r.verdict.passed);
	test_cond("LED known", r.verdict.led_known);
	expect_int("exit 0", EXIT_OK, report_exit_status(&r, &rules));

	/* A failure wins over what was not seen, and is still named. */
	report_free(&r);
	report_init(&r, "capture");
	report_expect(&r, lan);
	findings_add(&r.findings, FINDING_CLOUD_PORT_BLOCKED, "syn only");
	report_decide(&r, &rules);
	expect_int("failure: problem", VERDICT_PROBLEM, r.verdict.state);
	expect_str("at the cloud", "cloud", stage_name(r.verdict.stage));
	expect_int("dhcp, internet unseen", STAGE_BIT(STAGE_DHCP) |
	    STAGE_BIT(STAGE_INTERNET), r.verdict.unobserved);
	expect_int("exit 1", EXIT_PROBLEMS, report_exit_status(&r, &rules));
	root = report_to_json(&r, &rules);
	v = cJSON_GetObjectItem(root, "verdict");
	expect_str("JSON state", "problem",
	    cJSON_GetStringValue(cJSON_GetObjectItem(v, "state")));
	expect_str("JSON evidence.cloud", "failed", cJSON_GetStringValue(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(v, "evidence"), "cloud")));
	expect_str("JSON evidence.dhcp", "not_observed", cJSON_GetStringValue(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(v, "evidence"), "dhcp")));
	expect_int("JSON not_observed", 2,
	    cJSON_GetArraySize(cJSON_GetObjectItem(v, "not_observed")));
	cJSON_Delete(root);
	report_free(&r);

	/* Inconclusive in JSON: led null. */
	report_init(&r, "capture");
	report_expect(&r, lan);
	report_decide(&r, &rules);
	root = report_to_json(&r, &rules);
	v = cJSON_GetObjectItem(root, "verdict");
	expect_str("JSON inconclusive", "inconclusive",
	    cJSON_GetStringValue(cJSON_GetObjectItem(v, "state")));
	test_cond("JSON led null", cJSON_IsNull(cJSON_GetObjectItem(v, "led")));
	cJSON_Delete(root);
	report_free(&r);

	/* An error after connecting is a problem, never "no problem". */
	report_init(&r, "live");
	report_expect(&r, STAGE_BIT(STAGE_CLOUD) | STAGE_BIT(STAGE_HANDSHAKE));
	report_seen(&r, STAGE_BIT(STAGE_HANDSHAKE));
	report_decide(&r, &rules);
	expect_int("handshake seen: ok", VERDICT_OK, r.verdict.state);
	/*
	 * The session then drops (no answer to the ping): an error at the
	 * connected stage itself, which the cloud check shows as failed.
	 * The run is a problem, blinking cyan, exit 1, and its summary
	 * never says "No problem found", though every stage before it passed.
	 */
	findings_add(&r.findings, FINDING_CLOUD_PING_UNANSWERED, "no ACK");
	report_decide(&r, &rules);
	expect_int("error after connecting: problem", VERDICT_PROBLEM,
	    r.verdict.state);
	expect_str("error after connecting: at connected", "connected",
	    stage_name(r.verdict.stage));
	test_cond("error after connecting: never 'No problem'",
	    strstr(r.verdict.summary, "No problem") == NULL);
	expect_int("error after connecting: exit 1", EXIT_PROBLEMS,
	    report_exit_status(&r, &rules));
	expect_int("error after connecting: nothing unobserved", 0,
	    r.verdict.unobserved);
	report_free(&r);
}

static void
test_redact(void)
{
	char *s;

	s = report_redact("bssid 00:1a:2b:3c:4d:5e and AA-BB-CC-DD-EE-FF.",
	    REDACT_PRIVACY);
	expect_str("MACs keep their OUI",
	    "bssid 00:1a:2b:xx:xx:xx and AA-BB-CC-xx-xx-xx.", s);
	free(s);
	s = report_redact("\"teddy\": 00:14:6c:7e:40:80: WEP mac:b0:be:83:5b:4b:40 "
	    "x=00:11:22:33:44:55:66 12:34:56:78:9a:bc:de:f0:11 time 17:20:00 "
	    "2001:db8::1 aa:bb:cc:dd:ee", REDACT_PRIVACY);
	expect_str("MACs next to punctuation and letters",
	    "\"teddy\": 00:14:6c:xx:xx:xx: WEP mac:b0:be:83:xx:xx:xx "
	    "x=00:11:22:33:xx:xx:xx 12:34:56:78:9a:bc:xx:xx:xx time 17:20:00 "
	    "2001:db8::1 aa:bb:cc:dd:ee", s);
	free(s);
	s = report_redact("gw 192.168.1.1, wan 81.2.69.160, dns 8.8.8.8, "
	    "ll 169.254.3.4, doc 203.0.113.9, lo 127.0.0.1:80, v 1.5.2",
	    REDACT_PRIVACY);
	expect_str("public IPv4 dropped, private kept",
	    "gw 192.168.1.1, wan [public IP], dns 8.8.8.8, ll 169.254.3.4, "
	    "doc 203.0.113.9, lo 127.0.0.1:80, v 1.5.2", s);
	free(s);
	s = report_redact("ip:81.2.69.160 src=81.2.69.161 (81.2.69.162) "
	    "v10.1.2.3.4 x1.2.3.4", REDACT_PRIVACY);
	expect_str("IPv4 after punctuation and letters",
	    "ip:[public IP] src=[public IP] ([public IP]) v10.1.2.3.4 "
	    "x[public IP]", s);
	free(s);
	s = report_redact("addr:2a00:1450:4001:82b::200e", REDACT_PRIVACY);
	expect_str("IPv6 after a colon word", "addr:[public IP]", s);
	free(s);
	s = report_redact("v6 2a00:1450:4001:82b::200e ll fe80::1 lo ::1 "
	    "at 17:20:00", REDACT_PRIVACY);
	expect_str("public IPv6 dropped",
	    "v6 [public IP] ll fe80::1 lo ::1 at 17:20:00", s);
	free(s);
	s = report_redact("key 00112233445566778899aabbccddeeff00112233 id "
	    "0123456789abcdef01234567", REDACT_SECRETS);
	expect_str("long hex removed, device id kept",
	    "key [key material removed] id 0123456789abcdef01234567", s);
	free(s);
	s = report_redact("x -----BEGIN RSA PRIVATE KEY-----\nMIIC\n"
	    "-----END RSA PRIVATE KEY----- y", REDACT_SECRETS);
	expect_str("PEM removed", "x [key material removed] y", s);
	free(s);
	s = report_redact("b64 MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7Vn3xYz1 "
	    "path /usr/share/cyanprobe/rules/devices/photon2x/abc", REDACT_SECRETS);
	expect_str("base64 removed, paths kept",
	    "b64 [key material removed] path "
	    "/usr/share/cyanprobe/rules/devices/photon2x/abc", s);
	free(s);
	s = report_redact("caf\xc3\xa9 \xff\xfe ok \xe2\x82", 0);
	expect_str("invalid UTF-8 repaired, valid kept",
	    "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd\xef\xbf\xbd", s);
	free(s);
	s = report_redact("00:1a:2b:3c:4d:5e 81.2.69.160", 0);
	expect_str("no flags, no change", "00:1a:2b:3c:4d:5e 81.2.69.160", s);
	free(s);
	s = report_redact("redirect to http://portal.example/login?u=%3Fsearch"
	    "%3D0123456789abcdef0123456789abcdef01234567 then "
	    "00112233445566778899aabbccddeeff00112233", REDACT_SECRETS);
	expect_str("a URL is no key material; the word after it is",
	    "redirect to http://portal.example/login?u=%3Fsearch"
	    "%3D0123456789abcdef0123456789abcdef01234567 then "
	    "[key material removed]", s);
	free(s);
}

/* Secrets by structure: free-text fields filtered, names and URLs not. */
static void
test_scrub_structure(void)
{
	cJSON *in = cJSON_CreateObject(), *out, *h;
	const char *hexname = "0123456789abcdef0123456789abcdef.pcap";
	const char *url = "http://10.0.0.1/?q=%3Fsearch%3D"
	    "00112233445566778899aabbccddeeff0011";
	const char *key = "00112233445566778899aabbccddeeff00112233";

	cJSON_AddStringToObject(in, "file", hexname);
	h = cJSON_AddObjectToObject(in, "http");
	cJSON_AddStringToObject(h, "location", url);
	cJSON_AddStringToObject(h, "evidence", key);
	cJSON_AddStringToObject(h, "psk", "hunter2");
	h = cJSON_AddArrayToObject(in, "detail");
	cJSON_AddItemToArray(h, cJSON_CreateString(key));
	out = report_scrub_json(in, 0);
	test_cond("scrubbed", out != NULL);
	if (out == NULL) {
		cJSON_Delete(in);
		return;
	}
	expect_str("a hex-looking file name survives", hexname,
	    cJSON_GetStringValue(cJSON_GetObjectItem(out, "file")));
	h = cJSON_GetObjectItem(out, "http");
	expect_str("a URL survives", url,
	    cJSON_GetStringValue(cJSON_GetObjectItem(h, "location")));
	expect_str("evidence loses key material", "[key material removed]",
	    cJSON_GetStringValue(cJSON_GetObjectItem(h, "evidence")));
	test_cond("psk dropped", cJSON_GetObjectItem(h, "psk") == NULL);
	expect_str("below a free-text member too", "[key material removed]",
	    cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(out,
	    "detail"), 0)));
	test_cond("key fields named", report_key_field("evidence") &&
	    !report_key_field("file") && !report_key_field("location"));
	cJSON_Delete(out);
	cJSON_Delete(in);
}

static void
test_markdown(void)
{
	struct report r;
	cJSON *n;
	char *md;

	setenv("CYANPROBE_FAKE_TIME", "2026-01-02T03:04:05Z", 1);
	report_init(&r, "capture");
	r.profile = rules_profile(&rules, "photon");
	snprintf(r.firmware, sizeof(r.firmware), "2.3.1");
	findings_add(&r.findings, FINDING_WIFI_CHANNEL_ABOVE_MAX,
	    "BSSID 00:1a:2b:3c:4d:5e on channel 13 | seen from 81.2.69.160");
	r.networks = cJSON_CreateArray();
	n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "ssid", "HomeNet");
	cJSON_AddStringToObject(n, "bssid", "00:1a:2b:3c:4d:5e");
	cJSON_AddStringToObject(n, "security", "WPA2-PSK");
	cJSON_AddNumberToObject(n, "channel", 13);
	cJSON_AddItemToArray(r.networks, n);
	r.forum.isp = "Example ISP";
	report_decide(&r, &rules);

	md = render(&r, 2, true);
	test_cond("markdown rendered", md != NULL);
	if (md == NULL)
		return;
	test_cond("MAC cut to OUI", strstr(md, "00:1a:2b:xx:xx:xx") != NULL);
	test_cond("no full MAC", strstr(md, "3c:4d:5e") == NULL);
	test_cond("no public IP", strstr(md, "81.2.69.160") == NULL);
	test_cond("router not known, says how",
	    strstr(md, "| Router make and model | not known (give --router")
	    != NULL);
	test_cond("security from networks",
	    strstr(md, "| Network security | WPA2-PSK |") != NULL);
	test_cond("ISP from report", strstr(md, "| Internet service provider "
	    "| Example ISP |") != NULL);
	test_cond("environment not known",
	    strstr(md, "| Environment | not known (") != NULL);
	test_cond("topology field", strstr(md, "| Network topology |") != NULL);
	test_cond("divergent from findings, counted in the table",
	    strstr(md, "| Settings that diverge from the norm | 1, listed "
	    "below |") != NULL);
	test_cond("divergent settings as bullets",
	    strstr(md, "### Settings that diverge from the norm\n\n- The "
	    "network is on a channel above") != NULL);
	test_cond("networks as a table", strstr(md, "| SSID | BSSID |") !=
	    NULL && strstr(md, "| HomeNet | 00:1a:2b:xx:xx:xx |") != NULL);
	test_cond("pipe in evidence escaped", strstr(md, "13 \\| seen") !=
	    NULL);
	test_cond("verdict stage in title", strstr(md, "stuck at the wifi "
	    "stage") != NULL);
	test_cond("fake time", strstr(md, "2026-01-02T03:04:05Z") != NULL);
	free(md);

	md = render(&r, 3, false);
	test_cond("junit rendered", md != NULL && strstr(md,
	    "<testsuites tests=\"1\" failures=\"1\"") != NULL);
	test_cond("junit: the failure names the finding and the LED",
	    md != NULL && strstr(md, "type=\"wifi.channel_above_max\"") !=
	    NULL && strstr(md, "message=\"wifi.channel_above_max: ") != NULL &&
	    strstr(md, "(LED: ") != NULL);
	test_cond("junit: one case for the stage with findings",
	    md != NULL && strstr(md, "name=\"wifi\"") != NULL);
	test_cond("junit: the pipe is plain text, XML escapes &",
	    md != NULL && strstr(md, "13 | seen") != NULL);
	free(md);

	md = render(&r, 2, false);
	test_cond("--no-redact keeps the MAC",
	    md != NULL && strstr(md, "00:1a:2b:3c:4d:5e") != NULL);
	test_cond("--no-redact keeps the IP",
	    md != NULL && strstr(md, "81.2.69.160") != NULL);
	free(md);

	md = render(&r, 1, false);
	test_cond("text has the verdict", md != NULL &&
	    strstr(md, "Stage:   wifi") != NULL);
	test_cond("text without colour has no escapes", md != NULL &&
	    strchr(md, '\033') == NULL);
	free(md);
	md = render(&r, 1, true);
	test_cond("text with colour has escapes", md != NULL &&
	    strchr(md, '\033') != NULL);
	free(md);
	report_free(&r);
}

/*
 * Issue 11 item 3: the findings table (FINDINGS_MAX) full says so in every
 * format: JSON findings_dropped, text and Markdown in words.
 */
static void
test_findings_full(void)
{
	struct report r;
	char *out;
	int i;

	report_init(&r, "capture");
	r.profile = rules_profile(&rules, "photon");
	snprintf(r.firmware, sizeof(r.firmware), "2.3.1");
	for (i = 0; i < FINDINGS_MAX + 3; i++)
		findings_add(&r.findings, FINDING_WIFI_WEAK_SIGNAL, "-%d dBm",
		    70 + i);
	report_decide(&r, &rules);
	out = render(&r, 0, false);
	test_cond("findings full: JSON counts the dropped", out != NULL &&
	    strstr(out, "\"findings_dropped\":\t3") != NULL);
	free(out);
	out = render(&r, 1, false);
	test_cond("findings full: text says so", out != NULL &&
	    strstr(out, "3 more dropped") != NULL);
	free(out);
	out = render(&r, 2, false);
	test_cond("findings full: Markdown says so", out != NULL &&
	    strstr(out, "3 more findings were not kept (a report keeps 64)")
	    != NULL);
	free(out);
	report_free(&r);
}

int
main(void)
{
	char err[512] = "";

	if (rules_load("rules", &rules, err, sizeof(err)) == -1) {
		printf("FAIL rules: %s\n# 0 passed, 1 failed\n", err);
		return 1;
	}
	test_json_keys();
	test_verdict();
	test_evidence();
	test_redact();
	test_scrub_structure();
	test_markdown();
	test_findings_full();
	return test_report();
}
