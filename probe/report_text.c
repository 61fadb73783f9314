/*
 * report_text.c - the terminal rendering of a report: the verdict and the
 * LED first, then the findings worst first with their advice, then the
 * likely causes.  Colour (ANSI SGR) only when the caller says so; the
 * caller decides from isatty() and NO_COLOR (probe/cli.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define WRAP	76

struct tout {
	FILE	*f;
	bool	 color;
	int	 err;
};

static const char *
sgr(const struct tout *t, const char *code)
{
	return t->color ? code : "";
}

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_DIM		"\033[2m"

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

/* Print text word-wrapped at WRAP columns, each line after `indent`. */
static void
wrap(struct tout *t, int indent, const char *label, const char *text)
{
	char *s = report_redact(text, REDACT_SECRETS), *w, *save = NULL;
	int col;

	if (s == NULL) {
		t->err = 1;
		return;
	}
	col = indent + (int)strlen(label);
	tprintf(t, "%*s%s", indent, "", label);
	for (w = strtok_r(s, " \n", &save); w != NULL;
	    w = strtok_r(NULL, " \n", &save)) {
		if (col + 1 + (int)strlen(w) > WRAP && col > indent +
		    (int)strlen(label)) {
			tprintf(t, "\n%*s", indent + (int)strlen(label), "");
			col = indent + (int)strlen(label);
		} else if (col > indent + (int)strlen(label)) {
			tprintf(t, " ");
			col++;
		}
		tprintf(t, "%s", w);
		col += (int)strlen(w);
	}
	tprintf(t, "\n");
	free(s);
}

static void
led_words(char *buf, size_t len, struct led_signal led)
{
	static const char *const pat[LED_PATTERN_COUNT] = {
		"solid", "blinking", "blinking fast", "breathing",
	};
	const char *color = led_color_name((enum led_color)led.color);

	if (led.color == LED_OFF)
		snprintf(buf, len, "dark (off)");
	else if (led.count > 0)
		snprintf(buf, len, "%u %s blink%s", led.count, color,
		    led.count == 1 ? "" : "s");
	else
		snprintf(buf, len, "%s %s", led.pattern < LED_PATTERN_COUNT ?
		    pat[led.pattern] : "?", color);
}

void
report_led_words(char *buf, size_t len, struct led_signal led)
{
	led_words(buf, len, led);
}

static void
finding_block(struct tout *t, const struct report *r,
    const struct rules *rules, enum severity want)
{
	const struct finding *f;
	const struct rule *ru;
	size_t i;

	for (i = 0; i < r->findings.n; i++) {
		f = &r->findings.item[i];
		ru = rules_get(rules, f->id);
		if ((ru != NULL ? ru->severity : SEVERITY_INFO) != want)
			continue;
		tprintf(t, "  %s%-7s%s %s%s%s", sgr(t, severity_sgr(want)),
		    severity_name(want), sgr(t, SGR_RESET), sgr(t, SGR_BOLD),
		    finding_name(f->id), sgr(t, SGR_RESET));
		if (ru != NULL)
			tprintf(t, "  [%s]", stage_name(ru->stage));
		tprintf(t, "\n");
		if (ru != NULL)
			wrap(t, 10, "", ru->summary);
		if (f->evidence[0] != '\0')
			wrap(t, 10, "seen: ", f->evidence);
		if (ru != NULL && want != SEVERITY_INFO)
			wrap(t, 10, "fix:  ", ru->advice);
	}
}

/*
 * "Seen:    ok: wifi, dhcp; failed: cloud; not observed: internet", for a
 * report that judged stages (not for explain).
 */
static void
evidence_line(struct tout *t, const struct report *r)
{
	const struct verdict *v = &r->verdict;
	const stage_set part[3] = { v->passed, v->failed, v->unobserved };
	static const char *const label[3] = { "ok", "failed",
	    "not observed" };
	char line[256], list[128];
	size_t used = 0, i;

	line[0] = '\0';
	for (i = 0; i < 3 && used < sizeof(line); i++) {
		if ((part[i] & (STAGE_BIT(STAGE_CONNECTED) - 1)) == 0)
			continue;
		used += (size_t)snprintf(line + used, sizeof(line) - used,
		    "%s%s: %s", used > 0 ? "; " : "", label[i],
		    report_stage_list(part[i] & (STAGE_BIT(STAGE_CONNECTED) -
		    1), list, sizeof(list)));
	}
	if (r->expect != 0 && line[0] != '\0')
		wrap(t, 0, "Seen:    ", line);
}

int
report_write_text(const struct report *r, const struct rules *rules,
    FILE *out, bool color)
{
	struct tout t = { out, color, 0 };
	const struct verdict *v = &r->verdict;
	char led[64];
	size_t i;

	tprintf(&t, "%scyanprobe %s%s: %s", sgr(&t, SGR_BOLD),
	    CYANPROBE_VERSION, sgr(&t, SGR_RESET),
	    r->kind != NULL ? r->kind : "report");
	if (r->profile != NULL)
		tprintf(&t, " for a %s", r->profile->title);
	if (r->firmware[0] != '\0')
		tprintf(&t, " on firmware %s", r->firmware);
	tprintf(&t, " (%s LED era)\n\n", led_era_name(r->era));

	led_words(led, sizeof(led), v->led);
	tprintf(&t, "Stage:   %s%s%s", sgr(&t, SGR_BOLD),
	    stage_name(v->stage), sgr(&t, SGR_RESET));
	if (v->fail != STAGE_FAIL_NONE)
		tprintf(&t, " (fails: %s)", stage_fail_name(v->fail));
	else if (v->state == VERDICT_INCONCLUSIVE)
		tprintf(&t, " (not observed)");
	tprintf(&t, "\n");
	if (v->led_known)
		tprintf(&t, "LED:     %s%s%s\n", sgr(&t, led_sgr(
		    (enum led_color)v->led.color)), led, sgr(&t, SGR_RESET));
	else
		tprintf(&t, "LED:     not known (no evidence)\n");
	wrap(&t, 0, "Verdict: ", v->summary);
	evidence_line(&t, r);

	if (r->findings.n > 0) {
		tprintf(&t, "\nFindings (%zu", r->findings.n);
		if (r->findings.dropped > 0)
			tprintf(&t, ", %zu more dropped", r->findings.dropped);
		tprintf(&t, "):\n");
		finding_block(&t, r, rules, SEVERITY_ERROR);
		finding_block(&t, r, rules, SEVERITY_WARNING);
		finding_block(&t, r, rules, SEVERITY_INFO);
	}
	if (v->ncauses > 0) {
		tprintf(&t, "\n%s, most likely first:\n",
		    strcmp(r->kind != NULL ? r->kind : "", "explain") == 0 ?
		    "Possible causes" : "Why");
		for (i = 0; i < v->ncauses; i++) {
			char label[16];

			tprintf(&t, "  %zu. %s%s%s\n", i + 1, sgr(&t, SGR_BOLD),
			    v->causes[i]->id, sgr(&t, SGR_RESET));
			wrap(&t, 5, "", v->causes[i]->summary);
			snprintf(label, sizeof(label), "fix:  ");
			wrap(&t, 5, label, v->causes[i]->advice);
			tprintf(&t, "%s", sgr(&t, SGR_DIM));
			wrap(&t, 5, "seed: ", v->causes[i]->seed);
			tprintf(&t, "%s", sgr(&t, SGR_RESET));
		}
	}
	if (fflush(out) == EOF)
		t.err = 1;
	return t.err ? -1 : 0;
}
