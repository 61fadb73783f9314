/*
 * agent_events.c - decode the firmware agent's serial lines, CoAP payloads
 * and collector JSON lines, build a device's timeline from them, and put it
 * into a report beside the host's own findings.  Every decoder reads
 * through cursor.h and trusts nothing: a garbled line is counted, never
 * half-used.  Formats: docs/firmware-agent.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "agent_events.h"
#include "cursor.h"
#include "hex.h"
#include "log.h"

#define AGENT_PAYLOAD_VERSION	1
#define AGENT_FILE_LINE_MAX	4096
/* A "line" this long is no serial dump or collector file (/dev/zero, a
 * binary file): reading stops there rather than scanning on for ever. */
#define AGENT_FILE_SKIP_MAX	(1024 * 1024)

/* --- small text helpers over a cursor ------------------------------------ */

/* The next field up to a space (the space is consumed) or the end. */
static struct cursor
field(struct cursor *c)
{
	const uint8_t *p = c->p;
	size_t n = 0;
	struct cursor f;

	while (n < cur_left(c) && p[n] != ' ')
		n++;
	f = cur_sub(c, n);
	if (cur_left(c) > 0)
		cur_skip(c, 1);
	else
		c->bad = true;	/* every field is followed by a space */
	return f;
}

static bool
field_is(struct cursor f, const char *s)
{
	size_t n = strlen(s);

	return !f.bad && f.left == n && memcmp(f.p, s, n) == 0;
}

static bool
field_u32(struct cursor f, uint32_t *out, int base)
{
	uint64_t v = 0;
	size_t i;

	if (f.bad || f.left == 0 || f.left > 10)
		return false;
	for (i = 0; i < f.left; i++) {
		int d, ch = f.p[i];

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
field_i32(struct cursor f, int32_t *out)
{
	uint32_t v;
	bool neg = false;

	if (!f.bad && f.left > 0 && f.p[0] == '-') {
		neg = true;
		cur_skip(&f, 1);
	}
	if (!field_u32(f, &v, 10) || v > (neg ? 0x80000000u : 0x7fffffffu))
		return false;
	*out = neg ? (int32_t)(0u - v) : (int32_t)v;
	return true;
}

/* Copy a field into a NUL-terminated name buffer; false if it does not fit. */
static bool
field_str(struct cursor f, char *buf, size_t cap)
{
	if (f.bad || f.left >= cap)
		return false;
	memcpy(buf, f.p, f.left);
	buf[f.left] = '\0';
	return true;
}

static bool
field_detail(struct cursor f, struct agent_rec *ev)
{
	size_t n = 0;

	while (cur_left(&f) > 0) {
		uint8_t ch = cur_u8(&f);

		if (ch == '%') {
			int hi = hex_digit(cur_u8(&f)), lo = hex_digit(cur_u8(&f));

			if (f.bad || hi < 0 || lo < 0)
				return false;
			ch = (uint8_t)(hi << 4 | lo);
		} else if (ch <= ' ' || ch > '~' || ch == '*')
			return false;
		if (n >= AGENT_DETAIL_MAX)
			return false;
		ev->detail[n++] = (char)ch;
	}
	ev->detail[n] = '\0';
	ev->dlen = (uint8_t)n;
	return !f.bad;
}

/* "enter", "fail.cloud", ... into kind and fail (fact key for facts). */
static bool
event_from_name(const char *name, struct agent_rec *ev)
{
	const char *dot = strchr(name, '.');
	char head[16];
	size_t hl = dot != NULL ? (size_t)(dot - name) : strlen(name);
	unsigned k;

	if (hl >= sizeof(head))
		return false;
	memcpy(head, name, hl);
	head[hl] = '\0';
	for (k = 0; k < AGENT_EV_COUNT; k++)
		if (strcmp(head, agent_kind_name((enum agent_kind)k)) == 0)
			break;
	if (k == AGENT_EV_COUNT)
		return false;
	ev->kind = (uint8_t)k;
	ev->fail = 0;
	switch (k) {
	case AGENT_EV_FAIL: {
		enum stage_fail f;

		if (dot == NULL || !stage_fail_from_name(dot + 1, &f))
			return false;
		ev->fail = (uint8_t)f;
		return true;
	}
	case AGENT_EV_FACT:
		if (dot == NULL)
			return false;
		for (k = 0; k < AGENT_FACT_COUNT; k++)
			if (strcmp(dot + 1,
			    agent_fact_name((enum agent_fact)k)) == 0) {
				ev->fail = (uint8_t)k;
				return true;
			}
		return false;
	case AGENT_EV_RESET:
		if (dot == NULL)
			return false;
		for (k = 0; k < AGENT_RESET_COUNT; k++)
			if (strcmp(dot + 1,
			    agent_reset_name((enum agent_reset)k)) == 0)
				return true;
		return false;
	default:
		return dot == NULL;
	}
}

/* --- serial lines -------------------------------------------------------- */

static const char *
find_tag(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if (memcmp(line + i, "CY1 ", 4) == 0)
			return line + i;
	return NULL;
}

enum agent_line
agent_line_parse(const char *line, size_t len, struct agent_rec *ev,
    struct agent_dump *d)
{
	const char *tag;
	struct cursor c, f;
	uint32_t crc;
	size_t body;
	char name[24], ev_name[32];
	enum stage s;

	memset(ev, 0, sizeof(*ev));
	memset(d, 0, sizeof(*d));
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if ((tag = find_tag(line, len)) == NULL)
		return AGENT_LINE_OTHER;
	len -= (size_t)(tag - line);
	/* "<body> *xxxxxxxx": the checksum covers the body and its space. */
	if (len < 4 + 9 || tag[len - 9] != '*')
		return AGENT_LINE_BAD;
	body = len - 9;
	c = cur_init(tag + body + 1, 8);
	if (!field_u32(c, &crc, 16) || crc != agent_crc32(0, tag, body))
		return AGENT_LINE_BAD;
	c = cur_init(tag, body);
	field(&c);			/* "CY1" */
	f = field(&c);
	if (field_is(f, "D")) {
		if (!field_u32(field(&c), &d->epoch, 16) ||
		    !field_u32(field(&c), &d->first, 10) ||
		    !field_u32(field(&c), &d->last, 10) || c.bad ||
		    cur_left(&c) != 0)
			return AGENT_LINE_BAD;
		return AGENT_LINE_DUMP;
	}
	if (!field_is(f, "E") ||
	    !field_u32(field(&c), &ev->seq, 10) ||
	    !field_u32(field(&c), &ev->ms, 10) ||
	    !field_str(field(&c), name, sizeof(name)) ||
	    !stage_from_name(name, &s) ||
	    !field_str(field(&c), ev_name, sizeof(ev_name)) ||
	    !field_i32(field(&c), &ev->code) ||
	    !field_detail(field(&c), ev) || c.bad || cur_left(&c) != 0 ||
	    !event_from_name(ev_name, ev))
		goto bad;
	ev->stage = (uint8_t)s;
	if (ev->kind == AGENT_EV_RESET &&
	    (ev->code < 0 || ev->code >= AGENT_RESET_COUNT ||
	    strcmp(strchr(ev_name, '.') + 1,
	    agent_reset_name((enum agent_reset)ev->code)) != 0))
		goto bad;
	return AGENT_LINE_EVENT;
bad:
	memset(ev, 0, sizeof(*ev));
	return AGENT_LINE_BAD;
}

/* --- CoAP payload -------------------------------------------------------- */

static void
hex_id(const uint8_t id[12], char out[25])
{
	static const char hx[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 12; i++) {
		out[2 * i] = hx[id[i] >> 4];
		out[2 * i + 1] = hx[id[i] & 0xf];
	}
	out[24] = '\0';
}

int
agent_payload_parse(const uint8_t *buf, size_t len, struct agent_rec *out,
    size_t max, size_t *n)
{
	struct cursor c = cur_init(buf, len);
	uint8_t id[12];
	char device[25];
	uint32_t epoch;
	size_t count, i;

	*n = 0;
	if (cur_u8(&c) != AGENT_PAYLOAD_VERSION)
		return -1;
	cur_copy(&c, id, sizeof(id));
	epoch = cur_be32(&c);
	count = cur_u8(&c);
	if (c.bad || count == 0 || count > max)
		return -1;
	hex_id(id, device);
	for (i = 0; i < count; i++) {
		struct agent_rec *ev = &out[i];
		const uint8_t *d;

		memset(ev, 0, sizeof(*ev));
		memcpy(ev->device, device, sizeof(device));
		ev->epoch = epoch;
		ev->seq = cur_be32(&c);
		ev->ms = cur_be32(&c);
		ev->code = (int32_t)cur_be32(&c);
		ev->kind = cur_u8(&c);
		ev->stage = cur_u8(&c);
		ev->fail = cur_u8(&c);
		ev->dlen = cur_u8(&c);
		if (c.bad || ev->dlen > AGENT_DETAIL_MAX ||
		    !cur_take(&c, ev->dlen, &d))
			return -1;
		memcpy(ev->detail, d, ev->dlen);
		/* Only values the agent can send; anything else is garbage. */
		if (ev->seq == 0 || ev->kind >= AGENT_EV_COUNT ||
		    ev->stage >= STAGE_COUNT ||
		    ev->fail >= (ev->kind == AGENT_EV_FACT ?
		    AGENT_FACT_COUNT : STAGE_FAIL_COUNT) ||
		    (ev->kind == AGENT_EV_RESET &&
		    (ev->code < 0 || ev->code >= AGENT_RESET_COUNT)))
			return -1;
	}
	if (cur_left(&c) != 0)
		return -1;
	*n = count;
	return 0;
}

/* --- collector JSON lines ------------------------------------------------ */

const char *
agent_rec_event(const struct agent_rec *ev, char *buf, size_t cap)
{
	const char *sub = NULL;

	switch (ev->kind) {
	case AGENT_EV_FAIL:
		sub = stage_fail_name((enum stage_fail)ev->fail);
		break;
	case AGENT_EV_FACT:
		sub = agent_fact_name((enum agent_fact)ev->fail);
		break;
	case AGENT_EV_RESET:
		sub = agent_reset_name((enum agent_reset)ev->code);
		break;
	default:
		break;
	}
	if (sub != NULL)
		snprintf(buf, cap, "%s.%s",
		    agent_kind_name((enum agent_kind)ev->kind), sub);
	else
		snprintf(buf, cap, "%s",
		    agent_kind_name((enum agent_kind)ev->kind));
	return buf;
}

/*
 * The detail as a C string for cJSON: bytes 0x80-0xff are taken as
 * Latin-1 and written as UTF-8 (the JSON must be valid UTF-8), NUL as
 * U+FFFD; cJSON escapes quotes, backslashes and control characters.
 */
static void
detail_utf8(const struct agent_rec *ev, char *out, size_t cap)
{
	size_t i, o = 0;
	uint8_t ch;

	for (i = 0; i < ev->dlen && i < AGENT_DETAIL_MAX && o + 4 < cap; i++) {
		ch = (uint8_t)ev->detail[i];
		if (ch == 0) {
			out[o++] = (char)0xef;
			out[o++] = (char)0xbf;
			out[o++] = (char)0xbd;
		} else if (ch < 0x80)
			out[o++] = (char)ch;
		else {
			out[o++] = (char)(0xc0 | ch >> 6);
			out[o++] = (char)(0x80 | (ch & 0x3f));
		}
	}
	out[o] = '\0';
}

size_t
agent_json_format(char *buf, size_t cap, const struct agent_rec *ev,
    int64_t rx_ms, bool seq_jump)
{
	char detail[AGENT_DETAIL_MAX * 3 + 1], name[32];
	cJSON *o;
	size_t n = 0;

	detail_utf8(ev, detail, sizeof(detail));
	if ((o = cJSON_CreateObject()) == NULL)
		return 0;
	if (cJSON_AddStringToObject(o, "device", ev->device) == NULL ||
	    cJSON_AddNumberToObject(o, "epoch", ev->epoch) == NULL ||
	    cJSON_AddNumberToObject(o, "seq", ev->seq) == NULL ||
	    cJSON_AddNumberToObject(o, "ms", ev->ms) == NULL ||
	    cJSON_AddStringToObject(o, "stage",
	    stage_name((enum stage)ev->stage)) == NULL ||
	    cJSON_AddStringToObject(o, "event",
	    agent_rec_event(ev, name, sizeof(name))) == NULL ||
	    cJSON_AddNumberToObject(o, "code", ev->code) == NULL ||
	    cJSON_AddStringToObject(o, "detail", detail) == NULL ||
	    cJSON_AddNumberToObject(o, "rx", (double)rx_ms) == NULL ||
	    (seq_jump && cJSON_AddTrueToObject(o, "seq_jump") == NULL))
		goto out;
	/* cJSON wants 5 bytes to spare; the newline takes one of them. */
	if (cap > 5 && cJSON_PrintPreallocated(o, buf, (int)(cap - 5), 0)) {
		n = strlen(buf);
		buf[n++] = '\n';
		buf[n] = '\0';
	}
out:
	cJSON_Delete(o);
	return n;
}

static bool
json_u32(const cJSON *o, const char *key, uint32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > 4294967295.0 ||
	    v->valuedouble != (double)(uint32_t)v->valuedouble)
		return false;
	*out = (uint32_t)v->valuedouble;
	return true;
}

int
agent_json_parse(const char *line, size_t len, struct agent_rec *ev)
{
	cJSON *o;
	const cJSON *v;
	const char *dev, *st, *name, *det;
	enum stage s;
	double code;
	int rc = -1;

	memset(ev, 0, sizeof(*ev));
	if ((o = cJSON_ParseWithLength(line, len)) == NULL)
		return -1;
	dev = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
	    "device"));
	st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "stage"));
	name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
	    "event"));
	det = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
	    "detail"));
	v = cJSON_GetObjectItemCaseSensitive(o, "code");
	if (dev == NULL || strlen(dev) >= sizeof(ev->device) || st == NULL ||
	    !stage_from_name(st, &s) || name == NULL || det == NULL ||
	    strlen(det) > AGENT_DETAIL_MAX || !cJSON_IsNumber(v) ||
	    !json_u32(o, "epoch", &ev->epoch) ||
	    !json_u32(o, "seq", &ev->seq) ||
	    !json_u32(o, "ms", &ev->ms) || !event_from_name(name, ev))
		goto out;
	code = v->valuedouble;
	if (code < -2147483648.0 || code > 2147483647.0)
		goto out;
	ev->code = (int32_t)code;
	if (ev->kind == AGENT_EV_RESET && (ev->code < 0 ||
	    ev->code >= AGENT_RESET_COUNT))
		goto out;
	snprintf(ev->device, sizeof(ev->device), "%s", dev);
	ev->stage = (uint8_t)s;
	ev->dlen = (uint8_t)strlen(det);
	memcpy(ev->detail, det, ev->dlen);
	rc = 0;
out:
	cJSON_Delete(o);
	if (rc != 0)
		memset(ev, 0, sizeof(*ev));
	return rc;
}

/* --- the timeline -------------------------------------------------------- */

void
agent_timeline_init(struct agent_timeline *t)
{
	memset(t, 0, sizeof(*t));
}

void
agent_timeline_add(struct agent_timeline *t, const struct agent_rec *ev)
{
	const struct agent_rec *last;
	size_t i, look;

	if (t->device[0] == '\0' && ev->device[0] != '\0')
		snprintf(t->device, sizeof(t->device), "%s", ev->device);
	else if (ev->device[0] != '\0' && strcmp(ev->device, t->device) != 0) {
		t->other_devices++;
		return;
	}
	/*
	 * A repeat (a second dump appended to a log, a retransmission) is
	 * not a new event; the timeline is bounded, so look at all of it.
	 */
	look = t->n;
	for (i = t->n - look; i < t->n; i++)
		if (t->ev[i].seq == ev->seq && t->ev[i].epoch == ev->epoch)
			return;
	if (t->n > 0) {
		last = &t->ev[t->n - 1];
		/* Same ring, moving on: numbers skipped are lost lines. */
		if (ev->epoch == last->epoch && ev->seq > last->seq + 1 &&
		    !(ev->kind == AGENT_EV_RESET))
			t->missing += ev->seq - last->seq - 1;
	}
	if (t->n == AGENT_TIMELINE_MAX) {
		memmove(&t->ev[0], &t->ev[1], (t->n - 1) * sizeof(t->ev[0]));
		t->n--;
		t->dropped++;
	}
	t->ev[t->n++] = *ev;
}

void
agent_timeline_state(const struct agent_timeline *t, struct agent_state *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->stage = STAGE_POWER;
	st->fail = STAGE_FAIL_NONE;
	for (i = 0; i < t->n; i++) {
		const struct agent_rec *e = &t->ev[i];

		switch (e->kind) {
		case AGENT_EV_RESET:
			if (e->code != AGENT_RESET_COLD)
				st->corrupt++;
			break;
		case AGENT_EV_BOOT:
			st->boots++;
			st->stage = STAGE_POWER;
			st->fail = STAGE_FAIL_NONE;
			st->code = 0;
			break;
		case AGENT_EV_STAGE:
			st->stage = (enum stage)e->stage;
			st->fail = STAGE_FAIL_NONE;
			st->code = 0;
			break;
		case AGENT_EV_FAIL:
			st->stage = (enum stage)e->stage;
			st->fail = (enum stage_fail)e->fail;
			st->code = e->code;
			break;
		case AGENT_EV_GAP:
			st->gaps++;
			if ((uint32_t)e->code > st->max_gap_ms)
				st->max_gap_ms = (uint32_t)e->code;
			/* As agent.c: a starved loop before the cloud. */
			if (e->stage == STAGE_CLOUD &&
			    st->stage == STAGE_CLOUD &&
			    st->fail == STAGE_FAIL_NONE)
				st->fail = STAGE_FAIL_STARVED;
			break;
		case AGENT_EV_FACT:
			if (e->fail == AGENT_FACT_FIRMWARE)
				snprintf(st->firmware, sizeof(st->firmware),
				    "%s", e->detail);
			break;
		default:
			break;
		}
	}
}

static cJSON *
led_json(struct led_signal led)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "color",
	    led_color_name((enum led_color)led.color));
	cJSON_AddStringToObject(o, "pattern",
	    led_pattern_name((enum led_pattern)led.pattern));
	cJSON_AddNumberToObject(o, "count", led.count);
	return o;
}

/*
 * The device walks its stages in order, so those below the one it last
 * recorded are stages it passed: evidence for the verdict (report.h).
 * Written into r->seen directly, as the facts are, for the same reason.
 */
static void
agent_seen(struct report *r, const struct agent_state *st)
{
	unsigned s;

	if (st->stage > STAGE_CONNECTED)
		return;
	for (s = STAGE_WIFI; s < (unsigned)st->stage; s++)
		r->seen |= STAGE_BIT(s);
}

int
agent_timeline_report(const struct agent_timeline *t, struct report *r,
    const char *source)
{
	struct agent_state st;
	const struct stage_signal *sig;
	cJSON *facts, *arr, *e;
	char name[32];
	size_t i;

	agent_timeline_state(t, &st);
	/*
	 * r->facts directly rather than report_facts(), so the decoders link
	 * (tests, the collector) without the report renderers.
	 */
	if (r->facts == NULL && (r->facts = cJSON_CreateObject()) == NULL)
		return -1;
	cJSON_DeleteItemFromObjectCaseSensitive(r->facts, "agent");
	if ((facts = cJSON_AddObjectToObject(r->facts, "agent")) == NULL)
		return -1;
	cJSON_AddStringToObject(facts, "source", source);
	cJSON_AddStringToObject(facts, "device", t->device);
	cJSON_AddNumberToObject(facts, "events", (double)t->n);
	cJSON_AddNumberToObject(facts, "older_dropped", (double)t->dropped);
	cJSON_AddNumberToObject(facts, "missing", (double)t->missing);
	cJSON_AddNumberToObject(facts, "bad_lines", (double)t->bad_lines);
	cJSON_AddNumberToObject(facts, "other_devices",
	    (double)t->other_devices);
	cJSON_AddNumberToObject(facts, "boots", (double)st.boots);
	cJSON_AddStringToObject(facts, "stage", stage_name(st.stage));
	cJSON_AddStringToObject(facts, "fail", stage_fail_name(st.fail));
	agent_seen(r, &st);
	cJSON_AddNumberToObject(facts, "code", st.code);
	cJSON_AddNumberToObject(facts, "max_gap_ms", st.max_gap_ms);
	if (st.firmware[0] != '\0')
		cJSON_AddStringToObject(facts, "firmware", st.firmware);
	sig = stage_lookup(st.stage, st.fail, r->era);
	if (sig == NULL)
		sig = stage_lookup(st.stage, STAGE_FAIL_NONE, r->era);
	if (sig != NULL)
		cJSON_AddItemToObject(facts, "led", led_json(sig->led));
	if ((arr = cJSON_AddArrayToObject(facts, "timeline")) == NULL)
		return -1;
	for (i = 0; i < t->n; i++) {
		const struct agent_rec *ev = &t->ev[i];

		if ((e = cJSON_CreateObject()) == NULL)
			return -1;
		cJSON_AddNumberToObject(e, "seq", ev->seq);
		cJSON_AddNumberToObject(e, "ms", ev->ms);
		cJSON_AddStringToObject(e, "stage",
		    stage_name((enum stage)ev->stage));
		cJSON_AddStringToObject(e, "event",
		    agent_rec_event(ev, name, sizeof(name)));
		cJSON_AddNumberToObject(e, "code", ev->code);
		cJSON_AddStringToObject(e, "detail", ev->detail);
		cJSON_AddItemToArray(arr, e);
	}
	if (st.gaps > 0)
		findings_add(&r->findings, FINDING_AGENT_LOOP_STARVED,
		    "the device's application went up to %" PRIu32 " ms "
		    "without servicing the system loop (%zu gap%s above the "
		    "agent's threshold), last seen at stage %s",
		    st.max_gap_ms, st.gaps, st.gaps == 1 ? "" : "s",
		    stage_name(st.stage));
	if (st.corrupt > 0)
		findings_add(&r->findings, FINDING_AGENT_RING_CORRUPT,
		    "the device's retained event ring was found corrupt or of "
		    "another layout %zu time%s and started afresh: events "
		    "before that are lost", st.corrupt,
		    st.corrupt == 1 ? "" : "s");
	return 0;
}

/* --- files --------------------------------------------------------------- */

enum file_line {
	FILE_LINE_OK,		/* buf holds the line, without CR LF */
	FILE_LINE_LONG,		/* over AGENT_FILE_LINE_MAX: skipped */
	FILE_LINE_HUGE,		/* over AGENT_FILE_SKIP_MAX: stop */
	FILE_LINE_END		/* end of file or read error (ferror) */
};

/*
 * Read one line into buf (AGENT_FILE_LINE_MAX + 1 bytes), never holding
 * more than that: the rest of a longer line is read and dropped as it
 * comes, up to AGENT_FILE_SKIP_MAX bytes.
 */
static enum file_line
file_line(FILE *f, char *buf, size_t *len)
{
	size_t n = 0, seen = 0;
	int ch;

	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (++seen > AGENT_FILE_SKIP_MAX)
			return FILE_LINE_HUGE;
		if (n < AGENT_FILE_LINE_MAX + 1)
			buf[n++] = (char)ch;
	}
	if (ch == EOF && seen == 0)
		return FILE_LINE_END;
	if (seen > AGENT_FILE_LINE_MAX + 1 ||
	    (seen == AGENT_FILE_LINE_MAX + 1 && buf[n - 1] != '\r'))
		return FILE_LINE_LONG;
	while (n > 0 && buf[n - 1] == '\r')
		n--;
	*len = n;
	return FILE_LINE_OK;
}

/* One line of a serial dump or collector file into the timeline. */
static void
file_event(struct agent_timeline *t, const char *line, size_t n,
    uint32_t *epoch)
{
	struct agent_rec ev;
	struct agent_dump d;

	if (n > 0 && line[0] == '{') {
		if (agent_json_parse(line, n, &ev) == 0)
			agent_timeline_add(t, &ev);
		else
			t->bad_lines++;
		return;
	}
	switch (agent_line_parse(line, n, &ev, &d)) {
	case AGENT_LINE_EVENT:
		ev.epoch = *epoch;
		agent_timeline_add(t, &ev);
		break;
	case AGENT_LINE_DUMP:
		*epoch = d.epoch;
		break;
	case AGENT_LINE_BAD:
		t->bad_lines++;
		break;
	default:
		break;
	}
}

int
agent_events_load(const char *path, struct report *r)
{
	struct agent_timeline *t;
	FILE *f;
	char line[AGENT_FILE_LINE_MAX + 1];
	size_t n, lineno = 0;
	enum file_line got;
	uint32_t epoch = 0;
	bool huge = false;
	int rc = -1;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	if ((t = malloc(sizeof(*t))) == NULL) {
		log_warn("%s: agent events", path);
		goto out;
	}
	agent_timeline_init(t);
	while ((got = file_line(f, line, &n)) != FILE_LINE_END) {
		lineno++;
		if (got == FILE_LINE_HUGE) {
			huge = true;
			break;
		}
		if (got == FILE_LINE_LONG)
			t->bad_lines++;		/* no agent line is this long */
		else
			file_event(t, line, n, &epoch);
	}
	if (huge)
		log_warnx("%s: line %zu is over %d bytes long: not a serial "
		    "dump or collector file; reading stopped there%s", path,
		    lineno, AGENT_FILE_SKIP_MAX, t->n > 0 ?
		    " (the events before it are kept)" : "");
	if (ferror(f))
		log_warn("%s", path);
	else if (t->n == 0) {
		if (!huge)
			log_warnx("%s: no firmware-agent events in it (%zu "
			    "garbled line%s)", path, t->bad_lines,
			    t->bad_lines == 1 ? "" : "s");
	} else if (agent_timeline_report(t, r, path) != 0)
		log_warnx("%s: out of memory", path);
	else
		rc = 0;
out:
	free(t);
	if (f != stdin)
		fclose(f);
	return rc;
}

/*
 * " (3 orange blinks, error -111 \"Connection refused\")": what the device
 * showed and said, from facts.agent and its last failure event.
 */
static void
agent_why(const cJSON *a, enum stage_fail fail, char *buf, size_t cap)
{
	const cJSON *led = cJSON_GetObjectItemCaseSensitive(a, "led");
	const cJSON *tl = cJSON_GetObjectItemCaseSensitive(a, "timeline");
	const cJSON *e, *last = NULL;
	const char *color = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(led, "color"));
	const char *pattern = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(led, "pattern"));
	double count = cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(led, "count"));
	const char *detail = NULL;
	size_t o = 0;

	buf[0] = '\0';
	if (fail == STAGE_FAIL_NONE)
		return;
	cJSON_ArrayForEach(e, tl) {
		const char *ev = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(e, "event"));

		if (ev != NULL && strncmp(ev, "fail.", 5) == 0)
			last = e;
	}
	if (color != NULL && pattern != NULL)
		o = (size_t)snprintf(buf, cap, " (%s",
		    fail == STAGE_FAIL_STARVED ?
		    "its own loop starves the cloud, " : "");
	if (color != NULL && pattern != NULL && count >= 1 && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, "%.0f %s blink%s",
		    count, color, count == 1 ? "" : "s");
	else if (color != NULL && pattern != NULL && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, "%s %s", pattern,
		    color);
	if (last != NULL && o < cap) {
		detail = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(last, "detail"));
		o += (size_t)snprintf(buf + o, cap - o, ", error %.0f",
		    cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(last, "code")));
		if (detail != NULL && detail[0] != '\0' && o < cap)
			o += (size_t)snprintf(buf + o, cap - o, " \"%s\"",
			    detail);
	}
	if (o > 0 && o < cap)
		snprintf(buf + o, cap - o, ")");
}

bool
agent_events_compare(struct report *r)
{
	cJSON *a = r->facts != NULL ?
	    cJSON_GetObjectItemCaseSensitive(r->facts, "agent") : NULL;
	const char *sname, *fname;
	enum stage dev_stage;
	enum stage_fail dev_fail;
	bool dev_failed, host_failed;
	char why[160];

	if (a == NULL)
		return false;
	sname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a,
	    "stage"));
	fname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a,
	    "fail"));
	if (sname == NULL || fname == NULL ||
	    !stage_from_name(sname, &dev_stage) ||
	    !stage_fail_from_name(fname, &dev_fail))
		return false;
	dev_failed = dev_fail != STAGE_FAIL_NONE;
	host_failed = r->verdict.fail != STAGE_FAIL_NONE;
	/* A device still on its way somewhere has not said where it fails. */
	if (!dev_failed && dev_stage != STAGE_CONNECTED)
		return false;
	/*
	 * The stage is what is compared, not the failure kind: the device's
	 * own loop_starved finding can make the verdict "cloud, starved"
	 * while the device recorded "cloud, cloud"; both say the cloud.
	 */
	if (dev_failed == host_failed &&
	    (!dev_failed || dev_stage == r->verdict.stage))
		return false;
	agent_why(a, dev_fail, why, sizeof(why));
	findings_add(&r->findings, FINDING_AGENT_DISAGREES,
	    "the device says %s%s%s, the host's checks say %s%s%s",
	    dev_failed ? "it fails at " : "it reached ", stage_name(dev_stage),
	    why, host_failed ? "it fails at " : "nothing fails (",
	    host_failed ? stage_name(r->verdict.stage) : "connected",
	    host_failed ? "" : ")");
	return true;
}
