/*
 * report_text.c - the terminal rendering of the report model: the verdict
 * and the LED first (under the header: the router, ISP and environment the
 * user gave, the radio's router guess beside them), the checks of a live run, then why (the verdict's
 * causes, most likely first, each with the findings behind it, what was
 * seen and the fix), then the other findings worst first.  Every finding
 * appears once.  Lines fit the width the caller gives (the terminal's or
 * $COLUMNS, probe/cli.c); colour (ANSI SGR) only when the caller says so.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define WIDTH_DEFAULT	80
#define WIDTH_MIN	40

struct tout {
	FILE	*f;
	bool	 color;
	int	 width;		/* columns; lines stay below it */
	int	 err;
};

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_DIM		"\033[2m"

static const char *
sgr(const struct tout *t, const char *code)
{
	return t->color ? code : "";
}

static const char *
severity_sgr(enum severity s)
{
	switch (s) {
	case SEVERITY_ERROR:
		return "\033[1;31m";
	case SEVERITY_WARNING:
		return "\033[1;33m";
	default:
		return "\033[1;34m";
	}
}

static const char *
led_sgr(enum led_color c)
{
	static const char *const code[LED_COLOR_COUNT] = {
		"\033[2m", "\033[1;37m", "\033[1;34m", "\033[1;32m",
		"\033[1;36m", "\033[1;35m", "\033[1;33m", "\033[38;5;208m",
		"\033[1;31m",
	};

	return (unsigned)c < LED_COLOR_COUNT ? code[c] : "";
}

static void
tprintf(struct tout *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
tprintf(struct tout *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(t->f, fmt, ap) < 0)
		t->err = 1;
	va_end(ap);
}

/* Columns a UTF-8 string takes: one per character (no wide glyphs here). */
static int
text_cols(const char *s, size_t n)
{
	int c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/*
 * Print `label` then text word-wrapped below the width, continuation lines
 * under the text's start.  A word wider than the room is cut across lines.
 * `flags` as for report_redact(): key material only in free text.
 */
static void
wrap(struct tout *t, int indent, const char *label, const char *text,
    unsigned flags)
{
	char *s = report_redact(text, flags), *w, *save = NULL;
	int start = indent + text_cols(label, strlen(label)), col = start;
	int room = t->width - 1 - start, wc;
	size_t len, cut;

	if (s == NULL) {
		t->err = 1;
		return;
	}
	if (room < 10)
		room = 10;
	tprintf(t, "%*s%s", indent, "", label);
	for (w = strtok_r(s, " \n", &save); w != NULL;
	    w = strtok_r(NULL, " \n", &save)) {
		len = strlen(w);
		wc = text_cols(w, len);
		if (col > start && col + 1 + wc > start + room) {
			tprintf(t, "\n%*s", start, "");
			col = start;
		} else if (col > start) {
			tprintf(t, " ");
			col++;
		}
		/* A word longer than a line (a URL): cut it at the edge. */
		while (wc > start + room - col) {
			cut = 0;
			for (wc = 0; wc < start + room - col; wc++)
				do
					cut++;
				while (((unsigned char)w[cut] & 0xc0) == 0x80);
			tprintf(t, "%.*s\n%*s", (int)cut, w, start, "");
			w += cut;
			len -= cut;
			wc = text_cols(w, len);
			col = start;
		}
		tprintf(t, "%s", w);
		col += wc;
	}
	tprintf(t, "\n");
	free(s);
}

/*
 * A report about a network (what a forum post is for), as opposed to
 * `explain`, `handshake` or `keys`, which check no network.
 */
static bool
about_network(const struct report_model *m)
{
	static const char *const cmds[] = { "diagnose", "analyze", "capture",
	    "scan" };
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(m->command, cmds[i]) == 0)
			return true;
	return false;
}

static bool
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/*
 * The forum fields the user gave (--router, --isp, --environment): the
 * user's words stand; the radio's router guess goes beside them, marked
 * as a guess, or alone with the flag that would settle it.  The text is
 * for the terminal, not a form: a field nobody filled is no line of its
 * own; a report about a network names them in one "Not given:" line, as
 * the forum Markdown keeps them in its table for the user to fill.
 */
static void
forum(struct tout *t, const struct report_model *m)
{
	char line[600], miss[160];

	if (given(m->router)) {
		if (m->router_guess != NULL)
			snprintf(line, sizeof(line), "%s (cyanprobe's guess "
			    "from the radio: %s)", m->router, m->router_guess);
		else
			snprintf(line, sizeof(line), "%s", m->router);
		wrap(t, 0, "Router:      ", line, 0);
	} else if (m->router_guess != NULL) {
		snprintf(line, sizeof(line), "guessed from the radio: %s; "
		    "give --router \"MAKE MODEL\"", m->router_guess);
		wrap(t, 0, "Router:      ", line, 0);
	}
	if (given(m->isp))
		wrap(t, 0, "ISP:         ", m->isp, 0);
	if (given(m->environment))
		wrap(t, 0, "Environment: ", m->environment, 0);
	if (!about_network(m))
		return;
	snprintf(miss, sizeof(miss), "%s%s%s",
	    !given(m->router) && m->router_guess == NULL ? ", --router" : "",
	    !given(m->isp) ? ", --isp" : "",
	    !given(m->environment) ? ", --environment" : "");
	if (miss[0] == '\0')
		return;
	snprintf(line, sizeof(line), "%s (the forum post, --markdown, asks "
	    "for them)", miss + 2);
	wrap(t, 0, "Not given:   ", line, 0);
}

static void
header(struct tout *t, const struct report_model *m)
{
	const struct report *r = m->r;
	char line[320];

	snprintf(line, sizeof(line), "cyanprobe %s %s: %s, firmware %s (%s "
	    "LED era)", CYANPROBE_VERSION, m->command, m->device,
	    r->firmware_assumed ? r->firmware : m->firmware,
	    led_era_name(r->era));
	wrap(t, 0, "", line, 0);
	if (r->firmware_assumed) {
		snprintf(line, sizeof(line), "firmware %s", m->firmware);
		wrap(t, 0, "Note:    ", line, 0);
	}
	forum(t, m);
	tprintf(t, "\n");
	if (m->interrupted) {
		wrap(t, 0, "", "INTERRUPTED: stopped by a signal before every "
		    "check finished; this is what finished.", 0);
		tprintf(t, "\n");
	}
}

static void
verdict(struct tout *t, const struct report_model *m)
{
	const struct verdict *v = &m->r->verdict;

	tprintf(t, "Stage:   %s%s%s", sgr(t, SGR_BOLD),
	    stage_name(v->stage), sgr(t, SGR_RESET));
	if (v->fail != STAGE_FAIL_NONE)
		tprintf(t, " (fails: %s)", stage_fail_name(v->fail));
	else if (v->state == VERDICT_INCONCLUSIVE)
		tprintf(t, " (not observed)");
	tprintf(t, "\n");
	tprintf(t, "LED:     %s%s%s\n", m->led_known ? sgr(t, led_sgr(
	    (enum led_color)v->led.color)) : "", m->led_words,
	    m->led_known ? sgr(t, SGR_RESET) : "");
	wrap(t, 0, "Verdict: ", v->summary, 0);
	if (m->evidence[0] != '\0')
		wrap(t, 0, "Seen:    ", m->evidence, 0);
}

static void
checks(struct tout *t, const struct report_model *m)
{
	const struct report_check *c;
	char label[40];
	size_t i;

	if (m->nchecks == 0 || m->checks_on_screen)
		return;
	tprintf(t, "\nChecks (%.1f s):\n", m->total_ms / 1000);
	for (i = 0; i < m->nchecks; i++) {
		c = &m->check[i];
		snprintf(label, sizeof(label), "  %-9s %-11s %5.1fs  ", c->name,
		    c->status, c->ms >= 0 ? c->ms / 1000 : 0.0);
		wrap(t, 0, label, c->note, REDACT_SECRETS);
	}
}

/* One finding's lines under its heading: what was seen. */
static void
seen(struct tout *t, int indent, const struct report_item *it)
{
	if (it->finding->evidence[0] != '\0')
		wrap(t, indent, "seen: ", it->finding->evidence,
		    REDACT_SECRETS);
}

static void
causes(struct tout *t, const struct report_model *m)
{
	const struct report_cause *c;
	size_t i, k;

	if (m->ncauses == 0)
		return;
	tprintf(t, "\n%s, most likely first:\n", m->nitems == 0 ?
	    "Possible causes" : "Why");
	for (i = 0; i < m->ncauses; i++) {
		c = &m->cause[i];
		tprintf(t, "  %zu. %s%s%s  [%s]\n", i + 1, sgr(t, SGR_BOLD),
		    c->rule->id, sgr(t, SGR_RESET), stage_name(c->rule->stage));
		wrap(t, 5, "", c->rule->summary, 0);
		for (k = 0; k < m->nitems; k++)
			if (c->items & (uint64_t)1 << k)
				seen(t, 5, &m->item[k]);
		wrap(t, 5, "fix:  ", c->rule->advice, 0);
		if (c->rule->seed[0] != '\0') {
			tprintf(t, "%s", sgr(t, SGR_DIM));
			wrap(t, 5, "guide: ", c->rule->seed, 0);
			tprintf(t, "%s", sgr(t, SGR_RESET));
		}
	}
}

/* The findings that are no cause, of one severity. */
static void
others(struct tout *t, const struct report_model *m, enum severity want)
{
	const struct report_item *it;
	size_t i;

	for (i = 0; i < m->nitems; i++) {
		it = &m->item[i];
		if (it->cause >= 0 || it->severity != want)
			continue;
		tprintf(t, "  %s%-7s%s %s%s%s", sgr(t, severity_sgr(want)),
		    severity_name(want), sgr(t, SGR_RESET), sgr(t, SGR_BOLD),
		    it->id, sgr(t, SGR_RESET));
		if (it->stage != NULL)
			tprintf(t, "  [%s]", it->stage);
		tprintf(t, "\n");
		if (it->rule != NULL)
			wrap(t, 10, "", it->rule->summary, 0);
		seen(t, 10, it);
		if (it->rule != NULL && want != SEVERITY_INFO)
			wrap(t, 10, "fix:  ", it->rule->advice, 0);
	}
}

int
report_write_text(const struct report_model *m, FILE *out, bool color,
    int width)
{
	struct tout t = { out, color, width > 0 ? width : WIDTH_DEFAULT, 0 };
	size_t i, rest = 0;

	if (t.width < WIDTH_MIN)
		t.width = WIDTH_MIN;
	header(&t, m);
	verdict(&t, m);
	checks(&t, m);
	causes(&t, m);
	for (i = 0; i < m->nitems; i++)
		rest += m->item[i].cause < 0;
	if (rest > 0) {
		tprintf(&t, "\n%s (%zu", m->ncauses > 0 ? "Other findings" :
		    "Findings", rest);
		if (m->r->findings.dropped > 0)
			tprintf(&t, ", %zu more dropped",
			    m->r->findings.dropped);
		tprintf(&t, "):\n");
		others(&t, m, SEVERITY_ERROR);
		others(&t, m, SEVERITY_WARNING);
		others(&t, m, SEVERITY_INFO);
	}
	if (fflush(out) == EOF)
		t.err = 1;
	return t.err ? -1 : 0;
}
