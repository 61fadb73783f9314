/*
 * agent_serial.c - the agent's serial line format, one event per line:
 *
 *   CY1 E <seq> <ms> <stage> <event> <code> <detail> *<crc32>\r\n
 *   CY1 D <epoch> <first> <last> *<crc32>\r\n      (a ring dump follows)
 *
 * Fields are separated by one space; numbers are decimal (code may be
 * negative, epoch is hex); stage is a stage.h name; event is "boot", "gap",
 * "enter", "fail.<stage_fail>", "fact.<key>" or "reset.<why>"; detail is
 * empty (two spaces in a row) or its bytes with anything outside '!'..'~',
 * and '%' and '*', written as %XX.  crc32 is 8 lower-case hex digits of
 * agent_crc32() over every byte before the '*'.  Full description:
 * docs/firmware-agent.md.
 */
#include "agent.h"

/*
 * All wire names in one packed string (flash is short: no pointer tables):
 * the event kinds, then the fact keys, then the reset reasons, each in
 * the order of its enum in agent.h.
 */
static const char names[] =
	"reset\0boot\0enter\0fail\0fact\0gap\0"
	"rssi\0channel\0bssid\0ssid\0ip\0gateway\0dns\0mac\0firmware\0"
	"platform\0mode\0server\0"
	"cold\0version\0corrupt";
#define NAMES_FACT	AGENT_EV_COUNT
#define NAMES_RESET	(NAMES_FACT + AGENT_FACT_COUNT)

static const char *
name_nth(unsigned base, unsigned n, unsigned i)
{
	const char *p = names;

	if (i >= n)
		return "unknown";
	for (i += base; i > 0; i--)
		while (*p++ != '\0')
			continue;
	return p;
}

static const char hexdig[] = "0123456789abcdef";

const char *
agent_kind_name(enum agent_kind k)
{
	return name_nth(0, AGENT_EV_COUNT, (unsigned)k);
}

const char *
agent_fact_name(enum agent_fact k)
{
	return name_nth(NAMES_FACT, AGENT_FACT_COUNT, (unsigned)k);
}

const char *
agent_reset_name(enum agent_reset r)
{
	return name_nth(NAMES_RESET, AGENT_RESET_COUNT, (unsigned)r);
}

/*
 * The longest line is bounded: "CY1 E " 6, seq 10, ms 10, stage 13, event
 * 19, code 11, detail 3 * AGENT_DETAIL_MAX, four spaces, '*', 8 hex, CR LF,
 * so one check of cap up front replaces a check per byte (flash is short).
 */
#define LINE_LONGEST	(6 + 10 + 1 + 10 + 1 + 13 + 1 + 19 + 1 + 11 + 1 + \
			 3 * AGENT_DETAIL_MAX + 1 + 1 + 8 + 2)
typedef char line_max_fits[LINE_LONGEST <= AGENT_LINE_MAX ? 1 : -1];

static char *
put_s(char *p, const char *s)
{
	while (*s != '\0')
		*p++ = *s++;
	return p;
}

static char *
put_u(char *p, uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

static __attribute__((noinline)) char *
put_x32(char *p, uint32_t v)
{
	int sh;

	for (sh = 28; sh >= 0; sh -= 4)
		*p++ = hexdig[(v >> sh) & 0xf];
	return p;
}

/* An empty detail is an empty field: two spaces in a row. */
static char *
put_detail(char *p, const char *d, size_t n)
{
	size_t i;

	if (n > AGENT_DETAIL_MAX)
		n = AGENT_DETAIL_MAX;
	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)d[i];

		if (c > ' ' && c <= '~' && c != '%' && c != '*')
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hexdig[c >> 4];
			*p++ = hexdig[c & 0xf];
		}
	}
	return p;
}

static size_t
put_end(char *buf, char *p)
{
	uint32_t crc = agent_crc32(0, buf, (size_t)(p - buf));

	*p++ = '*';
	p = put_x32(p, crc);
	*p++ = '\r';
	*p++ = '\n';
	return (size_t)(p - buf);
}

size_t
agent_serial_encode(char *buf, size_t cap, const struct agent_event *e)
{
	const char *sub = NULL;
	char *p = buf;
	uint32_t code = (uint32_t)e->code;

	if (cap < AGENT_LINE_MAX)
		return 0;
	p = put_s(p, "CY1 E ");
	p = put_u(p, e->seq);
	*p++ = ' ';
	p = put_u(p, e->ms);
	*p++ = ' ';
	p = put_s(p, stage_name((enum stage)e->stage));
	*p++ = ' ';
	p = put_s(p, agent_kind_name((enum agent_kind)e->kind));
	if (e->kind == AGENT_EV_FAIL)
		sub = stage_fail_name((enum stage_fail)e->fail);
	else if (e->kind == AGENT_EV_FACT)
		sub = agent_fact_name((enum agent_fact)e->fail);
	else if (e->kind == AGENT_EV_RESET)
		sub = agent_reset_name((enum agent_reset)e->code);
	if (sub != NULL) {
		*p++ = '.';
		p = put_s(p, sub);
	}
	*p++ = ' ';
	if (e->code < 0) {
		*p++ = '-';
		code = 0u - code;
	}
	p = put_u(p, code);
	*p++ = ' ';
	p = put_detail(p, e->detail, e->dlen);
	*p++ = ' ';
	return put_end(buf, p);
}

size_t
agent_serial_header(char *buf, size_t cap, uint32_t epoch, uint32_t first,
    uint32_t last)
{
	char *p = buf;

	if (cap < AGENT_LINE_MAX)
		return 0;
	p = put_s(p, "CY1 D ");
	p = put_x32(p, epoch);
	*p++ = ' ';
	p = put_u(p, first);
	*p++ = ' ';
	p = put_u(p, last);
	*p++ = ' ';
	return put_end(buf, p);
}
