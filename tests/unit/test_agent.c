/*
 * test_agent.c - the firmware agent on a fake port: the retained ring
 * across resets, corruption after a simulated power loss, ring overflow,
 * loop-gap detection, serial pacing and dumps, the CoAP sender (NON, CON
 * with retransmission and ACK), agent_led() against the shared stage model,
 * and both wire formats decoded back by probe/agent_events.c.
 */
#include <string.h>

#include "agent.h"
#include "agent_events.h"
#include "test.h"

/* The fake port: a clock the test sets, a region, captured output. */
static uint32_t now_ms;
static union {
	struct agent_ring	ring;
	uint8_t			bytes[sizeof(struct agent_ring) + 64];
} region;
static size_t region_len = sizeof(struct agent_ring);
static char serial[16384];
static size_t serial_len;
static int serial_room = 1;	/* 0: refuse lines */
static uint8_t dgram[8][AGENT_COAP_MAX];
static size_t dgram_len[8], ndgram;
static int online = 1;

static uint32_t
f_millis(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static void *
f_retained(void *ctx, size_t *len)
{
	(void)ctx;
	*len = region_len;
	return &region;
}

static int
f_serial(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (!serial_room || serial_len + len > sizeof(serial))
		return 0;
	memcpy(serial + serial_len, buf, len);
	serial_len += len;
	return (int)len;
}

static int
f_udp(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (!online)
		return -1;
	if (ndgram < 8) {
		memcpy(dgram[ndgram], buf, len);
		dgram_len[ndgram] = len;
	}
	ndgram++;
	return 0;
}

static struct agent_port port = { f_millis, f_retained, f_serial, f_udp,
    NULL };
static struct agent_config cfg = { 0, LED_ERA_DEVICEOS, 0,
    { 0x30, 0x00, 0x1c, 0x00, 0x0f, 0x47, 0x34, 0x33, 0x32, 0x38, 0x37,
      0x31 } };

static void
reset_output(void)
{
	serial_len = 0;
	ndgram = 0;
}

/* Parse every captured serial line; returns the number of event lines. */
static size_t
serial_events(struct agent_rec *out, size_t max, size_t *bad, size_t *dumps)
{
	size_t n = 0, i = 0;
	struct agent_rec ev;
	struct agent_dump d;

	*bad = *dumps = 0;
	while (i < serial_len) {
		const char *nl = memchr(serial + i, '\n', serial_len - i);
		size_t len = nl != NULL ? (size_t)(nl - (serial + i)) + 1 :
		    serial_len - i;

		switch (agent_line_parse(serial + i, len, &ev, &d)) {
		case AGENT_LINE_EVENT:
			if (n < max)
				out[n] = ev;
			n++;
			break;
		case AGENT_LINE_DUMP:
			(*dumps)++;
			break;
		case AGENT_LINE_BAD:
			(*bad)++;
			break;
		default:
			break;
		}
		i += len;
	}
	return n;
}

static void
test_crc(void)
{
	expect_int("crc32 check value", 0xcbf43926u,
	    agent_crc32(0, "123456789", 9));
	expect_int("crc32 continues", 0xcbf43926u,
	    agent_crc32(agent_crc32(0, "1234", 4), "56789", 5));
	expect_int("crc32 empty", 0, agent_crc32(0, "", 0));
}

static void
test_init_and_record(void)
{
	const struct agent_event *e;

	memset(&region, 0, sizeof(region));
	now_ms = 100;
	expect_int("fresh ring on zeroed region", AGENT_FRESH,
	    agent_init(&port, &cfg));
	expect_int("reset + boot recorded", 2, agent_event_count());
	e = agent_event_at(0);
	expect_int("first event is reset", AGENT_EV_RESET, e->kind);
	expect_int("reset reason cold", AGENT_RESET_COLD, e->code);
	expect_int("first seq is 1", 1, e->seq);
	expect_int("boot event", AGENT_EV_BOOT, agent_event_at(1)->kind);
	expect_int("boot count 1", 1, agent_event_at(1)->code);

	now_ms = 250;
	expect_int("stage ok", AGENT_OK, agent_stage(STAGE_WIFI));
	expect_int("fact ok", AGENT_OK, agent_fact(AGENT_FACT_BSSID,
	    "aa:bb:cc:dd:ee:ff"));
	expect_int("fact int ok", AGENT_OK, agent_fact_int(AGENT_FACT_RSSI,
	    -67));
	expect_int("fail ok", AGENT_OK, agent_fail(STAGE_CLOUD, -3,
	    "connect refused, and a much longer text"));
	expect_int("six events", 6, agent_event_count());
	e = agent_event_at(5);
	expect_int("fail seq", 6, e->seq);
	expect_int("fail time", 250, e->ms);
	expect_int("fail kind default for cloud", STAGE_FAIL_CLOUD, e->fail);
	expect_int("detail cut at AGENT_DETAIL_MAX", AGENT_DETAIL_MAX,
	    e->dlen);
	expect_int("rssi value", -67, agent_event_at(4)->code);
	expect_int("bad stage refused", AGENT_ERR_ARG,
	    agent_stage((enum stage)STAGE_COUNT));
	expect_int("bad fact refused", AGENT_ERR_ARG,
	    agent_fact((enum agent_fact)AGENT_FACT_COUNT, "x"));
	expect_int("bad fail refused", AGENT_ERR_ARG,
	    agent_fail_as(STAGE_CLOUD, (enum stage_fail)STAGE_FAIL_COUNT, 0,
	    NULL));
	expect_int("refusals recorded nothing", 6, agent_event_count());
}

static void
test_survives_reset(void)
{
	/* A reset: the program starts again, the retained region stays. */
	now_ms = 5;
	expect_int("valid ring kept", AGENT_OK, agent_init(&port, &cfg));
	expect_int("old events + new boot", 7, agent_event_count());
	expect_int("seq continues", 7, agent_event_at(6)->seq);
	expect_int("boot count 2", 2, agent_event_at(6)->code);
	expect_str("bssid survived", "aa:bb:cc:dd:ee:ff",
	    (agent_event_at(3)->dlen == 17 ? "aa:bb:cc:dd:ee:ff" : "?"));
	expect_mem("bssid bytes", "aa:bb:cc:dd:ee:ff",
	    agent_event_at(3)->detail, 17);
}

static void
test_corruption(void)
{
	struct agent_ring before;
	const struct agent_event *e;
	size_t i;

	/* One flipped bit in an event: CRC catches it. */
	region.ring.ev[2].detail[0] ^= 0x10;
	expect_int("corrupt ring started afresh", AGENT_FRESH,
	    agent_init(&port, &cfg));
	e = agent_event_at(0);
	expect_int("reset event first", AGENT_EV_RESET, e->kind);
	expect_int("reason corrupt", AGENT_RESET_CORRUPT, e->code);
	expect_int("only reset + boot", 2, agent_event_count());
	for (i = 0; i < agent_event_count(); i++)
		test_cond("no garbage event survives",
		    agent_event_at(i)->kind == AGENT_EV_RESET ||
		    agent_event_at(i)->kind == AGENT_EV_BOOT);

	/*
	 * Power lost half-way through recording: the event slot is new but
	 * the header (indexes, CRC) is from before.
	 */
	agent_stage(STAGE_WIFI);
	memcpy(&before, &region.ring, sizeof(before));
	agent_stage(STAGE_DHCP);
	memcpy(&region.ring, &before, offsetof(struct agent_ring, ev));
	expect_int("half-written ring detected", AGENT_FRESH,
	    agent_init(&port, &cfg));
	expect_int("reason corrupt again", AGENT_RESET_CORRUPT,
	    agent_event_at(0)->code);

	/* Indexes out of range even with a matching CRC. */
	region.ring.head = AGENT_RING_SIZE + 3;
	region.ring.crc = agent_crc32(agent_crc32(0, &region.ring,
	    offsetof(struct agent_ring, crc)), region.ring.ev,
	    sizeof(region.ring.ev));
	expect_int("bad head detected", AGENT_FRESH, agent_init(&port, &cfg));
	expect_int("bad head is corrupt", AGENT_RESET_CORRUPT,
	    agent_event_at(0)->code);

	/* A ring written by another layout. */
	region.ring.version = AGENT_RING_VERSION + 1;
	expect_int("other version", AGENT_FRESH, agent_init(&port, &cfg));
	expect_int("reason version", AGENT_RESET_VERSION,
	    agent_event_at(0)->code);

	/* Too small a region is an error, not a crash. */
	region_len = sizeof(struct agent_ring) - 1;
	expect_int("small region refused", AGENT_ERR_REGION,
	    agent_init(&port, &cfg));
	expect_int("no events without a ring", 0, agent_event_count());
	expect_int("recording refused", AGENT_ERR_INIT,
	    agent_stage(STAGE_WIFI));
	region_len = sizeof(struct agent_ring);
}

static void
test_overflow(void)
{
	uint32_t i, first;

	memset(&region, 0, sizeof(region));
	agent_init(&port, &cfg);
	for (i = 0; i < 3 * AGENT_RING_SIZE; i++)
		agent_fact_int(AGENT_FACT_RSSI, -(int32_t)i);
	expect_int("ring holds AGENT_RING_SIZE", AGENT_RING_SIZE,
	    agent_event_count());
	first = agent_event_at(0)->seq;
	expect_int("oldest overwritten", 2 + 3 * AGENT_RING_SIZE -
	    AGENT_RING_SIZE + 1, first);
	for (i = 0; i < AGENT_RING_SIZE; i++)
		if (agent_event_at(i)->seq != first + i)
			break;
	expect_int("seqs consecutive", AGENT_RING_SIZE, i);
	expect_int("full ring survives reset", AGENT_OK,
	    agent_init(&port, &cfg));
	expect_int("newest is the boot", AGENT_EV_BOOT,
	    agent_event_at(AGENT_RING_SIZE - 1)->kind);
}

static void
test_led(void)
{
	struct led_signal l;

	memset(&region, 0, sizeof(region));
	cfg.era = LED_ERA_DEVICEOS;
	agent_init(&port, &cfg);
	l = agent_led();
	test_cond("power: white breathing", l.color == LED_WHITE &&
	    l.pattern == LED_BREATHE);
	agent_stage(STAGE_WIFI);
	l = agent_led();
	test_cond("wifi: green blink", l.color == LED_GREEN &&
	    l.pattern == LED_BLINK);
	agent_fail(STAGE_CLOUD, -1, "refused");
	l = agent_led();
	test_cond("cloud failed: 3 orange blinks (Device OS)",
	    l.color == LED_ORANGE && l.pattern == LED_BLINK && l.count == 3);
	test_cond("same as the shared model", led_signal_equal(l,
	    stage_lookup(STAGE_CLOUD, STAGE_FAIL_CLOUD,
	    LED_ERA_DEVICEOS)->led));
	agent_fail(STAGE_INTERNET, -1, NULL);
	l = agent_led();
	test_cond("internet failed: 2 orange", l.color == LED_ORANGE &&
	    l.count == 2);
	agent_fail(STAGE_HANDSHAKE, 6, NULL);
	expect_int("ProtocolError 6 is decrypt", STAGE_FAIL_DECRYPT,
	    agent_current_fail());
	l = agent_led();
	test_cond("decrypt: 1 orange", l.color == LED_ORANGE && l.count == 1);
	agent_fail(STAGE_HANDSHAKE, 8, NULL);
	l = agent_led();
	test_cond("auth: 1 magenta", l.color == LED_MAGENTA && l.count == 1);
	agent_fail(STAGE_HANDSHAKE, 10, NULL);
	l = agent_led();
	test_cond("other: 1 red", l.color == LED_RED && l.count == 1);
	agent_stage(STAGE_CONNECTED);
	l = agent_led();
	test_cond("connected: cyan breathing", l.color == LED_CYAN &&
	    l.pattern == LED_BREATHE);

	cfg.era = LED_ERA_CORE2014;
	agent_init(&port, &cfg);
	agent_fail(STAGE_CLOUD, -1, NULL);
	l = agent_led();
	test_cond("2014 Core: 3 red blinks", l.color == LED_RED &&
	    l.count == 3);
	cfg.era = LED_ERA_DEVICEOS;
}

static void
test_gap(void)
{
	const struct agent_event *e;
	struct led_signal l;
	size_t n;

	memset(&region, 0, sizeof(region));
	cfg.loop_gap_ms = 1000;
	now_ms = 1000;
	agent_init(&port, &cfg);
	agent_stage(STAGE_CLOUD);
	agent_poll();
	now_ms += 400;
	agent_poll();
	now_ms += 999;
	agent_poll();
	n = agent_event_count();
	expect_int("no gap at or under the threshold", AGENT_EV_STAGE,
	    agent_event_at(n - 1)->kind);
	now_ms += 1500;
	agent_poll();
	e = agent_event_at(agent_event_count() - 1);
	expect_int("gap recorded", AGENT_EV_GAP, e->kind);
	expect_int("gap length", 1500, e->code);
	expect_int("gap stage", STAGE_CLOUD, e->stage);
	l = agent_led();
	test_cond("starved at cloud: green breathing", l.color == LED_GREEN &&
	    l.pattern == LED_BREATHE);
	/* Time wraps at 2^32 ms without a false gap. */
	now_ms = 0xffffff00u;
	agent_poll();
	n = agent_event_count();
	now_ms = 0x00000010u;
	agent_poll();
	expect_int("no gap across the wrap", n, agent_event_count());
	cfg.loop_gap_ms = 0;
}

static void
test_serial(void)
{
	struct agent_rec ev[64];
	size_t n, bad, dumps, i;
	char line[AGENT_LINE_MAX];
	struct agent_event e = { 7, 123, -42, AGENT_EV_FAIL, STAGE_CLOUD,
	    STAGE_FAIL_CLOUD, 6, "a b%c*" };
	struct agent_rec r;
	struct agent_dump d;
	size_t len;

	len = agent_serial_encode(line, sizeof(line), &e);
	line[len] = '\0';
	test_cond("line format",
	    strncmp(line, "CY1 E 7 123 cloud fail.cloud -42 a%20b%25c%2a ",
	    46) == 0);
	test_cond("line ends in CR LF", len > 2 && line[len - 2] == '\r' &&
	    line[len - 1] == '\n');
	expect_int("own line parses", AGENT_LINE_EVENT,
	    agent_line_parse(line, len, &r, &d));
	expect_int("round trip seq", 7, r.seq);
	expect_int("round trip code", -42, r.code);
	expect_int("round trip fail", STAGE_FAIL_CLOUD, r.fail);
	expect_mem("round trip detail", "a b%c*", r.detail, 6);
	line[10] = '8';
	expect_int("changed byte fails the checksum", AGENT_LINE_BAD,
	    agent_line_parse(line, len, &r, &d));
	expect_int("truncated line is bad", AGENT_LINE_BAD,
	    agent_line_parse(line, 20, &r, &d));
	expect_int("chatter is other", AGENT_LINE_OTHER,
	    agent_line_parse("Your device id is 0123\r\n", 24, &r, &d));
	expect_int("small buffer refused", 0,
	    agent_serial_encode(line, AGENT_LINE_MAX - 1, &e));

	/* Live lines, paced: refused lines come again, in order, once. */
	memset(&region, 0, sizeof(region));
	reset_output();
	now_ms = 0;
	agent_init(&port, &cfg);
	serial_room = 0;
	for (i = 0; i < 10; i++)
		agent_fact_int(AGENT_FACT_CHANNEL, (int32_t)i);
	agent_poll();
	expect_int("nothing written while refused", 0, serial_len);
	serial_room = 1;
	agent_poll();
	n = serial_events(ev, 64, &bad, &dumps);
	expect_int("one burst per poll", AGENT_SERIAL_BURST, n);
	for (i = 0; i < 10; i++)
		agent_poll();
	n = serial_events(ev, 64, &bad, &dumps);
	expect_int("every event once (reset, boot, 10 facts)", 12, n);
	expect_int("no bad lines", 0, bad);
	for (i = 0; i < n && i < 64; i++)
		if (ev[i].seq != i + 1)
			break;
	expect_int("in order", n, i);

	/* 'e' dumps the ring: a header, then every event held. */
	reset_output();
	agent_serial_input('e');
	for (i = 0; i < 10; i++)
		agent_poll();
	n = serial_events(ev, 64, &bad, &dumps);
	expect_int("one dump header", 1, dumps);
	expect_int("dump has every event", agent_event_count(), n);
	agent_line_parse(serial, (size_t)((char *)memchr(serial, '\n',
	    serial_len) - serial) + 1, &r, &d);
	expect_int("header first", 1, d.first);
	expect_int("header last", 12, d.last);
	expect_int("header epoch", region.ring.epoch, d.epoch);
}

static void
test_coap(void)
{
	struct agent_rec ev[8];
	size_t n, i, off;
	uint16_t mid;
	uint8_t ack[4];

	memset(&region, 0, sizeof(region));
	reset_output();
	now_ms = 0;
	cfg.flags = 0;
	online = 0;
	agent_init(&port, &cfg);
	agent_stage(STAGE_WIFI);
	agent_poll();
	expect_int("offline: nothing sent", 0, ndgram);
	online = 1;
	agent_poll();
	expect_int("one datagram per poll", 1, ndgram);
	test_cond("NON POST", dgram[0][0] == 0x50 && dgram[0][1] == 0x02);
	/* Uri-Path "e", Content-Format 42, payload marker. */
	expect_mem("options", "\xb1" "e" "\x11\x2a\xff", dgram[0] + 4, 5);
	off = 9;
	expect_int("payload parses", 0, agent_payload_parse(dgram[0] + off,
	    dgram_len[0] - off, ev, 8, &n));
	expect_int("batch of 3", 3, n);
	expect_str("device id", "30001c000f47343332383731", ev[0].device);
	expect_int("epoch carried", region.ring.epoch, ev[0].epoch);
	expect_int("third is the stage", AGENT_EV_STAGE, ev[2].kind);
	expect_int("coap advanced", 4, agent_coap_next());
	for (i = 0; i < dgram_len[0] - off; i++) {
		size_t m;

		if (agent_payload_parse(dgram[0] + off, i, ev, 8, &m) == 0)
			break;
	}
	expect_int("every truncation rejected", dgram_len[0] - off, i);
	dgram[0][off] = 2;
	expect_int("unknown payload version rejected", -1,
	    agent_payload_parse(dgram[0] + off, dgram_len[0] - off, ev, 8,
	    &n));

	/* CON: resent with the same id until acknowledged. */
	reset_output();
	cfg.flags = AGENT_F_COAP_CON;
	agent_init(&port, &cfg);
	agent_poll();
	expect_int("CON sent", 1, ndgram);
	test_cond("CON type", (dgram[0][0] >> 4 & 3) == 0);
	mid = (uint16_t)(dgram[0][2] << 8 | dgram[0][3]);
	now_ms += AGENT_COAP_ACK_TIMEOUT_MS - 1;
	agent_poll();
	expect_int("no resend before the timeout", 1, ndgram);
	now_ms += 1;
	agent_poll();
	expect_int("resent after the timeout", 2, ndgram);
	expect_mem("same datagram", dgram[0], dgram[1], dgram_len[0]);
	ack[0] = 0x60;
	ack[1] = 0x44;
	ack[2] = (uint8_t)(mid >> 8);
	ack[3] = (uint8_t)(mid + 1);
	agent_coap_input(ack, 4);
	now_ms += 10 * AGENT_COAP_ACK_TIMEOUT_MS;
	agent_poll();
	test_cond("ACK with another id ignored", ndgram == 3 &&
	    memcmp(dgram[2], dgram[0], dgram_len[0]) == 0);
	ack[3] = (uint8_t)mid;
	ack[1] = 0x9d;		/* 4.29: not stored, try again */
	agent_coap_input(ack, 4);
	now_ms += 20 * AGENT_COAP_ACK_TIMEOUT_MS;
	agent_poll();
	test_cond("4.29 leaves the batch pending: resent", ndgram == 4 &&
	    memcmp(dgram[3], dgram[0], dgram_len[0]) == 0);
	ack[1] = 0x44;
	agent_coap_input(ack, 4);
	ndgram = 3;
	agent_stage(STAGE_DHCP);
	agent_poll();
	expect_int("next batch after ACK", 4, ndgram);
	test_cond("new message id", (uint16_t)(dgram[3][2] << 8 |
	    dgram[3][3]) != mid);
	cfg.flags = 0;
}

static void
test_json(void)
{
	struct agent_rec a, b;
	char buf[AGENT_JSON_MAX];
	size_t len;

	memset(&a, 0, sizeof(a));
	strcpy(a.device, "30001c000f47343332383731");
	a.epoch = 77;
	a.seq = 9;
	a.ms = 1234;
	a.code = -5;
	a.kind = AGENT_EV_FAIL;
	a.stage = STAGE_HANDSHAKE;
	a.fail = STAGE_FAIL_AUTH;
	a.dlen = 4;
	memcpy(a.detail, "q\"\\\n", 4);
	len = agent_json_format(buf, sizeof(buf), &a, 1700000000000, false);
	test_cond("one line", len > 0 && buf[len - 1] == '\n' &&
	    memchr(buf, '\n', len - 1) == NULL);
	expect_int("json parses back", 0, agent_json_parse(buf, len, &b));
	expect_int("json seq", 9, b.seq);
	expect_int("json fail", STAGE_FAIL_AUTH, b.fail);
	expect_int("json code", -5, b.code);
	expect_mem("json detail", "q\"\\\n", b.detail, 4);
	expect_int("half line rejected", -1, agent_json_parse(buf, len / 2,
	    &b));
	expect_int("small buffer", 0, agent_json_format(buf, 20, &a, 0,
	    false));
	test_cond("no seq_jump unless asked", strstr(buf, "seq_jump") ==
	    NULL);
	/* Latin-1 detail bytes become UTF-8, the line stays valid JSON. */
	a.seq = 4000000000u;
	a.dlen = 2;
	memcpy(a.detail, "\xe9\x01", 2);
	len = agent_json_format(buf, sizeof(buf), &a, 1700000000000, true);
	test_cond("seq_jump flagged", len > 0 &&
	    strstr(buf, "\"seq_jump\":true") != NULL);
	test_cond("big seq in full", strstr(buf, "\"seq\":4000000000,") !=
	    NULL);
	test_cond("rx in full", strstr(buf, "\"rx\":1700000000000") != NULL);
	expect_int("latin-1 detail parses back", 0, agent_json_parse(buf, len,
	    &b));
	expect_mem("latin-1 detail as UTF-8", "\xc3\xa9\x01", b.detail, 3);
}

static void
test_timeline(void)
{
	struct agent_timeline *t = calloc(1, sizeof(*t));
	struct agent_state st;
	struct agent_rec ev;

	agent_timeline_init(t);
	memset(&ev, 0, sizeof(ev));
	ev.epoch = 5;
	ev.seq = 1;
	ev.kind = AGENT_EV_BOOT;
	agent_timeline_add(t, &ev);
	ev.seq = 2;
	ev.kind = AGENT_EV_STAGE;
	ev.stage = STAGE_CLOUD;
	agent_timeline_add(t, &ev);
	agent_timeline_add(t, &ev);
	expect_int("repeat ignored", 2, t->n);
	ev.seq = 5;
	ev.kind = AGENT_EV_FAIL;
	ev.fail = STAGE_FAIL_CLOUD;
	agent_timeline_add(t, &ev);
	expect_int("two lost", 2, t->missing);
	ev.seq = 6;
	ev.kind = AGENT_EV_GAP;
	ev.code = 4000;
	agent_timeline_add(t, &ev);
	agent_timeline_state(t, &st);
	expect_int("state stage", STAGE_CLOUD, st.stage);
	expect_int("state fail", STAGE_FAIL_CLOUD, st.fail);
	expect_int("gap seen", 4000, st.max_gap_ms);
	free(t);
}

int
main(void)
{
	test_crc();
	test_init_and_record();
	test_survives_reset();
	test_corruption();
	test_overflow();
	test_led();
	test_gap();
	test_serial();
	test_coap();
	test_json();
	test_timeline();
	return test_report();
}
