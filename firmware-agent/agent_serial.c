/*
 * agent_serial.c - the agent's serial line format, one event per line:
 *
 *   CY1 E <seq> <ms> <stage> <event> <code> <detail> *<crc32>\r\n
 *   CY1 D <epoch> <first> <last> *<crc32>\r\n      (a ring dump follows)
 *
 * Fields are separated by one space; numbers are decimal (code may be
 * negative, epoch is hex); stage is a stage.h name; event is "boot", "gap",
 * "enter", "fail.<stage_fail>", "fact.<key>" or "reset.<why>"; detail is "-"
 * when empty, otherwise its bytes with anything outside '!'..'~', and '%'
 * and '*', written as %XX.  crc32 is 8 lower-case hex digits of agent_crc32()
 * over every byte before the '*'.  Full description: docs/firmware-agent.md.
 */
#include "agent.h"

static const char *const kind_names[AGENT_EV_COUNT] = {
	"reset", "boot", "enter", "fail", "fact", "gap",
};

static const char *const fact_names[AGENT_FACT_COUNT] = {
	"rssi", "channel", "bssid", "ssid", "ip", "gateway", "dns", "mac",
	"firmware", "platform", "mode", "server",
};

static const char *const reset_names[AGENT_RESET_COUNT] = {
	"cold", "version", "corrupt",
};

static const char hexdig[] = "0123456789abcdef";

static const char *
name_at(const char *const *names, unsigned n, unsigned i)
{
	return i < n ? names[i] : "unknown";
}

const char *
agent_kind_name(enum agent_kind k)
{
	return name_at(kind_names, AGENT_EV_COUNT, (unsigned)k);
}

const char *
agent_fact_name(enum agent_fact k)
{
	return name_at(fact_names, AGENT_FACT_COUNT, (unsigned)k);
}

const char *
agent_reset_name(enum agent_reset r)
{
	return name_at(reset_names, AGENT_RESET_COUNT, (unsigned)r);
}

/* A bounded writer: `bad` once anything did not fit. */
struct out {
	char	*p;
	size_t	 left;
	int	 bad;
};

static void
put_c(struct out *o, char c)
{
	if (o->left == 0) {
		o->bad = 1;
		return;
	}
	*o->p++ = c;
	o->left--;
}

static void
put_s(struct out *o, const char *s)
{
	while (*s != '\0')
		put_c(o, *s++);
}

static void
put_u(struct out *o, uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		put_c(o, d[--n]);
}

static void
put_i(struct out *o, int32_t v)
{
	if (v < 0) {
		put_c(o, '-');
		put_u(o, 0u - (uint32_t)v);
	} else
		put_u(o, (uint32_t)v);
}

static void
put_x32(struct out *o, uint32_t v)
{
	int sh;

	for (sh = 28; sh >= 0; sh -= 4)
		put_c(o, hexdig[(v >> sh) & 0xf]);
}

/* "-" for nothing; a lone "-" is escaped so it cannot read as empty. */
static void
put_detail(struct out *o, const char *d, size_t n)
{
	size_t i;

	if (n == 0) {
		put_c(o, '-');
		return;
	}
	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)d[i];

		if (c > ' ' && c <= '~' && c != '%' && c != '*' &&
		    !(c == '-' && n == 1))
			put_c(o, (char)c);
		else {
			put_c(o, '%');
			put_c(o, hexdig[c >> 4]);
			put_c(o, hexdig[c & 0xf]);
		}
	}
}

static size_t
put_end(struct out *o, char *buf)
{
	uint32_t crc;

	if (o->bad)
		return 0;
	crc = agent_crc32(0, buf, (size_t)(o->p - buf));
	put_c(o, '*');
	put_x32(o, crc);
	put_c(o, '\r');
	put_c(o, '\n');
	return o->bad ? 0 : (size_t)(o->p - buf);
}

size_t
agent_serial_encode(char *buf, size_t cap, const struct agent_event *e)
{
	struct out o = { buf, cap, 0 };

	put_s(&o, "CY1 E ");
	put_u(&o, e->seq);
	put_c(&o, ' ');
	put_u(&o, e->ms);
	put_c(&o, ' ');
	put_s(&o, stage_name((enum stage)e->stage));
	put_c(&o, ' ');
	put_s(&o, agent_kind_name((enum agent_kind)e->kind));
	if (e->kind == AGENT_EV_FAIL) {
		put_c(&o, '.');
		put_s(&o, stage_fail_name((enum stage_fail)e->fail));
	} else if (e->kind == AGENT_EV_FACT) {
		put_c(&o, '.');
		put_s(&o, agent_fact_name((enum agent_fact)e->fail));
	} else if (e->kind == AGENT_EV_RESET) {
		put_c(&o, '.');
		put_s(&o, agent_reset_name((enum agent_reset)e->code));
	}
	put_c(&o, ' ');
	put_i(&o, e->code);
	put_c(&o, ' ');
	put_detail(&o, e->detail, e->dlen <= AGENT_DETAIL_MAX ? e->dlen :
	    AGENT_DETAIL_MAX);
	put_c(&o, ' ');
	return put_end(&o, buf);
}

size_t
agent_serial_header(char *buf, size_t cap, uint32_t epoch, uint32_t first,
    uint32_t last)
{
	struct out o = { buf, cap, 0 };

	put_s(&o, "CY1 D ");
	put_x32(&o, epoch);
	put_c(&o, ' ');
	put_u(&o, first);
	put_c(&o, ' ');
	put_u(&o, last);
	put_c(&o, ' ');
	return put_end(&o, buf);
}
