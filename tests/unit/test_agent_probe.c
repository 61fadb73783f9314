/*
 * test_agent_probe.c - the probe's side of the firmware agent: the
 * listening-mode answer parsers and line reader of serial.c (over a real
 * pipe), the collector's partial-line trim, and agent_events_load() /
 * agent_events_compare() on real files: serial dumps with a garbled line
 * and a lost one, collector lines, two devices, and the verdict comparison.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_events.h"
#include "collect.h"
#include "serial.h"
#include "test.h"

static void
test_parsers(void)
{
	char id[25], v[32], mac[18];
	bool core = true;

	test_cond("device id", serial_parse_id("Your device id is "
	    "30001C000F47343332383731", id, &core) && !core &&
	    strcmp(id, "30001c000f47343332383731") == 0);
	test_cond("core id", serial_parse_id("Your core id is "
	    "53ff6f066667574852212467", id, &core) && core);
	test_cond("id with junk before", serial_parse_id("\x1b[0mYour device "
	    "id is 53ff6f066667574852212467", id, &core));
	test_cond("cellular key/value id", serial_parse_id("Device ID: "
	    "e00fce68ffffffffffffffff", id, &core) && !core);
	test_cond("short id refused", !serial_parse_id("Your device id is "
	    "53ff6f06666757485221246", id, &core));
	test_cond("long id refused", !serial_parse_id("Your device id is "
	    "53ff6f0666675748522124670", id, &core));
	test_cond("non-hex refused", !serial_parse_id("Your device id is "
	    "53ff6f06666757485221246g", id, &core));
	test_cond("version", serial_parse_version("system firmware version: "
	    "1.5.2", v, sizeof(v)) && strcmp(v, "1.5.2") == 0);
	test_cond("version rc", serial_parse_version("system firmware "
	    "version: 2.0.0-rc.4 minimal", v, sizeof(v)) &&
	    strcmp(v, "2.0.0-rc.4") == 0);
	test_cond("no version", !serial_parse_version("system firmware "
	    "version: ", v, sizeof(v)));
	test_cond("mac", serial_parse_mac("1A:2b:34:5c:6d:78", mac) &&
	    strcmp(mac, "1a:2b:34:5c:6d:78") == 0);
	test_cond("mac with spaces", serial_parse_mac("  1a:2b:34:5c:6d:78 ",
	    mac));
	test_cond("bad mac", !serial_parse_mac("1a:2b:34:5c:6d", mac));
	test_cond("bad mac separator", !serial_parse_mac("1a-2b-34-5c-6d-78",
	    mac));
	test_cond("9600 ok", serial_speed_ok(9600));
	test_cond("12345 not", !serial_speed_ok(12345));
}

static void
test_readline(void)
{
	struct serial_rd rd;
	char line[SERIAL_LINE_MAX];
	int p[2];
	ssize_t n;
	static const char bin[] = "\x80\xff\x81\x82\x83\x84\x85\x86\x87\x88"
	    "\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\n";

	if (pipe(p) == -1)
		return;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	serial_rd_init(&rd, p[0]);
	expect_int("timeout on silence", -2, serial_readline(&rd, line,
	    sizeof(line), 20));
	if (write(p[1], "abc\r\nde", 7) != 7)
		return;
	n = serial_readline(&rd, line, sizeof(line), 100);
	test_cond("first line without CR LF", n == 3 &&
	    strcmp(line, "abc") == 0);
	expect_int("partial line waits", -2, serial_readline(&rd, line,
	    sizeof(line), 20));
	test_cond("not garbled", !serial_garbled(&rd));
	if (write(p[1], bin, sizeof(bin) - 1) != (ssize_t)sizeof(bin) - 1)
		return;
	close(p[1]);
	n = serial_readline(&rd, line, sizeof(line), 100);
	test_cond("line completed", n > 2 && strncmp(line, "de", 2) == 0);
	test_cond("binary input is garbled", serial_garbled(&rd));
	expect_int("end of file", -1, serial_readline(&rd, line, sizeof(line),
	    100));
	close(p[0]);
}

/* A collector file: whole lines are left alone, only a partial last line
 * the collector began is cut (and kept beside it), anything else refused. */
static void
test_trim(void)
{
	static const char ev[] = "{\"device\":\"53696d4465760000c7a90001\","
	    "\"epoch\":7,\"seq\":1,\"ms\":10,\"stage\":\"cloud\",\"event\":"
	    "\"fail.cloud\",\"code\":-111,\"detail\":\"x\",\"rx\":0}\n";
	char path[] = "/tmp/test_agent_probe.XXXXXX", side[64], buf[512];
	int fd = mkstemp(path);
	size_t el = strlen(ev);
	ssize_t n;

	if (fd == -1)
		return;
	snprintf(side, sizeof(side), "%s.partial", path);
	expect_int("empty file", 0, collect_trim(fd, side));
	if (write(fd, ev, el) != (ssize_t)el || write(fd, ev, el) !=
	    (ssize_t)el || write(fd, "{\"dev", 5) != 5)
		return;
	expect_int("partial collector line cut", 5, collect_trim(fd, side));
	n = pread(fd, buf, sizeof(buf), 0);
	test_cond("whole lines kept", n == (ssize_t)(2 * el));
	expect_int("whole file untouched", 0, collect_trim(fd, side));
	{
		FILE *f = fopen(side, "r");

		test_cond("cut bytes kept in the side file", f != NULL &&
		    fgets(buf, sizeof(buf), f) != NULL &&
		    strcmp(buf, "{\"dev\n") == 0);
		if (f != NULL)
			fclose(f);
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, "nonewline", 9, 0) != 9)
		return;
	expect_int("no newline, not ours: refused", -2, collect_trim(fd, side));
	if (ftruncate(fd, 0) == -1 || pwrite(fd, "a\nbc\n{\"dev", 10, 0) != 10)
		return;
	expect_int("text file: refused", -2, collect_trim(fd, side));
	test_cond("refused file untouched", lseek(fd, 0, SEEK_END) == 10);
	if (ftruncate(fd, 0) == -1 || pwrite(fd, ev, el, 0) != (ssize_t)el ||
	    pwrite(fd, "notes\n", 6, (off_t)el) != 6)
		return;
	expect_int("foreign last line: refused", -2, collect_trim(fd, side));
	if (ftruncate(fd, 0) == -1 || pwrite(fd, ev, el, 0) != (ssize_t)el ||
	    pwrite(fd, "garbage", 7, (off_t)el) != 7)
		return;
	expect_int("foreign partial line: refused", -2,
	    collect_trim(fd, side));
	close(fd);
	unlink(path);
	unlink(side);
}

/* A serial line with its checksum, as the agent writes it. */
static void
line(FILE *f, const char *body, bool garble)
{
	char buf[256];
	uint32_t crc = agent_crc32(0, body, strlen(body));

	snprintf(buf, sizeof(buf), "%s*%08x\r\n", body, crc);
	if (garble)
		buf[6] ^= 1;
	fputs(buf, f);
}

static void
test_load(void)
{
	char path[] = "/tmp/test_agent_probe.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	struct report r;
	cJSON *a;
	int i;

	if (fd == -1 || (f = fdopen(fd, "w")) == NULL)
		return;
	fputs("Your device id is 53ff6f066667574852212467\r\n", f);
	line(f, "CY1 D 0000abcd 3 9 ", false);
	line(f, "CY1 E 3 10 power boot 2  ", false);
	line(f, "CY1 E 4 20 wifi enter 0  ", false);
	line(f, "CY1 E 5 30 dhcp enter 0  ", true);	/* garbled */
	line(f, "CY1 E 7 40 cloud enter 0  ", false);	/* 5, 6 lost */
	line(f, "CY1 E 8 2040 cloud gap 2000  ", false);
	line(f, "CY1 E 9 2050 cloud fail.cloud -111 refused ", false);
	line(f, "CY1 E 9 2050 cloud fail.cloud -111 refused ", false);
	fclose(f);

	report_init(&r, "capture");
	r.era = LED_ERA_DEVICEOS;
	expect_int("dump loads", 0, agent_events_load(path, &r));
	a = cJSON_GetObjectItemCaseSensitive(r.facts, "agent");
	test_cond("facts.agent", a != NULL);
	expect_int("events (repeat dropped)", 5, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "events")));
	expect_int("garbled counted", 1, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "bad_lines")));
	expect_int("missing counted", 2, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "missing")));
	expect_str("device fails at cloud", "cloud", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(a, "stage")));
	expect_str("LED 3 orange", "orange", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    a, "led"), "color")));
	test_cond("gap is loop_starved", findings_has(&r.findings,
	    FINDING_AGENT_LOOP_STARVED));
	test_cond("no corruption", !findings_has(&r.findings,
	    FINDING_AGENT_RING_CORRUPT));

	/* The host says the same: no disagreement. */
	r.verdict.stage = STAGE_CLOUD;
	r.verdict.fail = STAGE_FAIL_CLOUD;
	test_cond("agreement adds nothing", !agent_events_compare(&r));
	/* Same stage, another failure kind (the device's own gap): agree. */
	r.verdict.fail = STAGE_FAIL_STARVED;
	test_cond("same stage agrees", !agent_events_compare(&r));
	/* Another stage: disagree. */
	r.verdict.stage = STAGE_INTERNET;
	r.verdict.fail = STAGE_FAIL_INTERNET;
	test_cond("other stage disagrees", agent_events_compare(&r));
	r.findings.n--;		/* take it back for the next case */
	/* The host found nothing wrong: they disagree. */
	r.verdict.stage = STAGE_CONNECTED;
	r.verdict.fail = STAGE_FAIL_NONE;
	test_cond("disagreement found", agent_events_compare(&r) &&
	    findings_has(&r.findings, FINDING_AGENT_DISAGREES));
	report_free(&r);

	/* Collector lines: two devices, a corrupt ring, a bad line. */
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("{\"device\":\"0123456789abcdef01234567\",\"epoch\":5,\"seq\":1,"
	    "\"ms\":1,\"stage\":\"power\",\"event\":\"reset.corrupt\","
	    "\"code\":2,"
	    "\"detail\":\"\",\"rx\":0}\n", f);
	fputs("{\"device\":\"0123456789abcdef01234567\",\"epoch\":5,\"seq\":2,"
	    "\"ms\":1,\"stage\":\"connected\",\"event\":\"enter\",\"code\":0,"
	    "\"detail\":\"\",\"rx\":0}\n", f);
	fputs("{\"device\":\"ffffffffffffffffffffffff\",\"epoch\":5,\"seq\":1,"
	    "\"ms\":1,\"stage\":\"power\",\"event\":\"boot\",\"code\":1,"
	    "\"detail\":\"\",\"rx\":0}\n", f);
	fputs("{\"device\":\"0123\", \"seq\": \"x\"}\n", f);
	fclose(f);
	report_init(&r, "live");
	expect_int("collector file loads", 0, agent_events_load(path, &r));
	a = cJSON_GetObjectItemCaseSensitive(r.facts, "agent");
	expect_str("first device kept", "0123456789abcdef01234567",
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a,
	    "device")));
	expect_int("other device counted", 1, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "other_devices")));
	expect_int("bad JSON line counted", 1, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "bad_lines")));
	test_cond("corrupt ring finding", findings_has(&r.findings,
	    FINDING_AGENT_RING_CORRUPT));
	r.verdict.stage = STAGE_CONNECTED;
	r.verdict.fail = STAGE_FAIL_NONE;
	test_cond("connected on both sides agrees", !agent_events_compare(&r));
	report_free(&r);

	/* `events` run twice into one log, with live lines between. */
	if ((f = fopen(path, "w")) == NULL)
		return;
	for (i = 0; i < 2; i++) {
		int k;

		line(f, "CY1 D 00000007 1 40 ", false);
		for (k = 1; k <= 40 + 10 * i; k++) {
			char b[64];

			snprintf(b, sizeof(b), "CY1 E %d %d cloud enter 0  ", k,
			    k);
			line(f, b, false);
		}
	}
	fclose(f);
	report_init(&r, "live");
	expect_int("two dumps load", 0, agent_events_load(path, &r));
	a = cJSON_GetObjectItemCaseSensitive(r.facts, "agent");
	expect_int("each event once", 50, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "events")));
	expect_int("nothing missing", 0, cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(a, "missing")));
	report_free(&r);

	/* Nothing of the agent's in a file: an error, not an empty timeline. */
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("hello\n", f);
	fclose(f);
	report_init(&r, "live");
	expect_int("no events is an error", -1, agent_events_load(path, &r));
	expect_int("missing file is an error", -1,
	    agent_events_load("/nonexistent/agent.log", &r));
	report_free(&r);
	unlink(path);
}

int
main(void)
{
	test_parsers();
	test_readline();
	test_trim();
	test_load();
	return test_report();
}
