/*
 * ledobs.c - read an LED observation written in words or given as flags,
 * and find what it means in the stage table (stage.c) for one LED era.
 * The vocabulary is small and closed on purpose: an unknown word is an
 * error naming it, because a misread signal would send the user after the
 * wrong fix.  The same reason makes an ambiguous blink count an error
 * rather than a pick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledobs.h"

#define WORD_MAX	24
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum word_kind {
	W_FILLER,
	W_COLOR,
	W_PATTERN,
	W_COUNT,
	W_THEN,
	W_HIGH,		/* "high" of "high speed" */
	W_SPEED
};

struct word {
	const char	*w;
	uint8_t		 kind;
	uint8_t		 value;
};

static const struct word vocab[] = {
	{ "off", W_COLOR, LED_OFF }, { "dark", W_COLOR, LED_OFF },
	{ "white", W_COLOR, LED_WHITE }, { "blue", W_COLOR, LED_BLUE },
	{ "green", W_COLOR, LED_GREEN }, { "cyan", W_COLOR, LED_CYAN },
	{ "teal", W_COLOR, LED_CYAN }, { "turquoise", W_COLOR, LED_CYAN },
	{ "magenta", W_COLOR, LED_MAGENTA }, { "purple", W_COLOR, LED_MAGENTA },
	{ "pink", W_COLOR, LED_MAGENTA }, { "violet", W_COLOR, LED_MAGENTA },
	{ "yellow", W_COLOR, LED_YELLOW }, { "orange", W_COLOR, LED_ORANGE },
	{ "amber", W_COLOR, LED_ORANGE }, { "red", W_COLOR, LED_RED },

	{ "blink", W_PATTERN, LED_BLINK }, { "blinks", W_PATTERN, LED_BLINK },
	{ "blinking", W_PATTERN, LED_BLINK }, { "blinked", W_PATTERN, LED_BLINK },
	{ "flash", W_PATTERN, LED_BLINK }, { "flashes", W_PATTERN, LED_BLINK },
	{ "flashing", W_PATTERN, LED_BLINK }, { "flashed", W_PATTERN, LED_BLINK },
	{ "slow", W_PATTERN, LED_BLINK }, { "slowly", W_PATTERN, LED_BLINK },
	{ "fast", W_PATTERN, LED_FAST }, { "rapid", W_PATTERN, LED_FAST },
	{ "rapidly", W_PATTERN, LED_FAST }, { "quick", W_PATTERN, LED_FAST },
	{ "quickly", W_PATTERN, LED_FAST }, { "breathe", W_PATTERN, LED_BREATHE },
	{ "breathes", W_PATTERN, LED_BREATHE },
	{ "breathing", W_PATTERN, LED_BREATHE },
	{ "pulse", W_PATTERN, LED_BREATHE }, { "pulses", W_PATTERN, LED_BREATHE },
	{ "pulsing", W_PATTERN, LED_BREATHE },
	{ "fading", W_PATTERN, LED_BREATHE }, { "solid", W_PATTERN, LED_SOLID },
	{ "steady", W_PATTERN, LED_SOLID }, { "constant", W_PATTERN, LED_SOLID },

	{ "once", W_COUNT, 1 }, { "twice", W_COUNT, 2 }, { "thrice", W_COUNT, 3 },
	{ "one", W_COUNT, 1 }, { "two", W_COUNT, 2 }, { "three", W_COUNT, 3 },
	{ "four", W_COUNT, 4 }, { "five", W_COUNT, 5 }, { "six", W_COUNT, 6 },
	{ "single", W_COUNT, 1 }, { "double", W_COUNT, 2 },
	{ "triple", W_COUNT, 3 },

	{ "then", W_THEN, 0 }, { "followed", W_THEN, 0 }, { "after", W_THEN, 0 },
	{ "high", W_HIGH, 0 }, { "speed", W_SPEED, 0 },

	{ "a", W_FILLER, 0 }, { "an", W_FILLER, 0 }, { "the", W_FILLER, 0 },
	{ "led", W_FILLER, 0 }, { "light", W_FILLER, 0 },
	{ "lights", W_FILLER, 0 }, { "is", W_FILLER, 0 }, { "it", W_FILLER, 0 },
	{ "its", W_FILLER, 0 }, { "and", W_FILLER, 0 }, { "with", W_FILLER, 0 },
	{ "of", W_FILLER, 0 }, { "by", W_FILLER, 0 }, { "times", W_FILLER, 0 },
	{ "time", W_FILLER, 0 }, { "x", W_FILLER, 0 }, { "main", W_FILLER, 0 },
	{ "rgb", W_FILLER, 0 }, { "status", W_FILLER, 0 },
	{ "keeps", W_FILLER, 0 }, { "stays", W_FILLER, 0 },
	{ "goes", W_FILLER, 0 }, { "shows", W_FILLER, 0 },
	{ "very", W_FILLER, 0 }, { "my", W_FILLER, 0 },
};

static const struct word *
lookup(const char *w)
{
	size_t i;

	for (i = 0; i < NELEM(vocab); i++)
		if (strcmp(vocab[i].w, w) == 0)
			return &vocab[i];
	return NULL;
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
sig_clear(struct ledobs_signal *s)
{
	memset(s, 0, sizeof(*s));
}

static bool
sig_empty(const struct ledobs_signal *s)
{
	return !s->has_color && !s->has_pattern && !s->has_count;
}

/* Close the signal being read: it needs a colour. */
static int
sig_close(struct led_obs *o, struct ledobs_signal *cur, const char *text,
    char *err, size_t errlen)
{
	if (sig_empty(cur))
		return 0;
	if (!cur->has_color) {
		snprintf(err, errlen, "\"%s\": no colour in one of the "
		    "signals (say e.g. \"2 orange blinks\")", text);
		return -1;
	}
	if (o->n == LEDOBS_SIGNALS_MAX) {
		snprintf(err, errlen, "\"%s\": more than %d signals", text,
		    LEDOBS_SIGNALS_MAX);
		return -1;
	}
	if (cur->has_count && !cur->has_pattern) {
		cur->has_pattern = true;
		cur->pattern = LED_BLINK;
	}
	o->sig[o->n++] = *cur;
	sig_clear(cur);
	return 0;
}

static int
add_pattern(struct ledobs_signal *s, enum led_pattern p, const char *word,
    const char *text, char *err, size_t errlen)
{
	if (s->has_pattern && s->pattern != p) {
		/* "fast blinking" and "blinking fast" are one pattern. */
		if ((s->pattern == LED_BLINK && p == LED_FAST) ||
		    (s->pattern == LED_FAST && p == LED_BLINK)) {
			s->pattern = LED_FAST;
			return 0;
		}
		snprintf(err, errlen, "\"%s\": \"%s\" contradicts \"%s\" in "
		    "one signal (separate signals with \"then\")", text, word,
		    led_pattern_name(s->pattern));
		return -1;
	}
	s->has_pattern = true;
	s->pattern = p;
	return 0;
}

int
ledobs_parse(const char *text, struct led_obs *o, char *err, size_t errlen)
{
	struct ledobs_signal cur;
	const struct word *wd;
	char word[WORD_MAX + 1];
	const char *p = text;
	size_t n;
	bool high = false;
	long v;

	memset(o, 0, sizeof(*o));
	sig_clear(&cur);
	if (text == NULL || strlen(text) > LEDOBS_TEXT_MAX) {
		snprintf(err, errlen, "the observation is empty or longer than "
		    "%d characters", LEDOBS_TEXT_MAX);
		return -1;
	}
	for (;;) {
		while (*p != '\0' && !is_alpha(*p) && !is_digit(*p)) {
			if (*p == ',' || *p == ';' || *p == '>') {
				/* "green, then cyan" / "cyan > red" */
				if (sig_close(o, &cur, text, err, errlen) == -1)
					return -1;
			}
			p++;
		}
		if (*p == '\0')
			break;
		/* A word is a run of letters or a run of digits ("2x"). */
		n = 0;
		if (is_digit(*p))
			while (is_digit(p[n]) && n <= WORD_MAX)
				n++;
		else
			while ((is_alpha(p[n]) || p[n] == '\'') && n <= WORD_MAX)
				n++;
		if (n > WORD_MAX) {
			snprintf(err, errlen, "\"%s\": a word is too long", text);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			word[i] = (p[i] >= 'A' && p[i] <= 'Z') ?
			    (char)(p[i] - 'A' + 'a') : p[i];
		word[n] = '\0';
		p += n;

		if (is_digit(word[0])) {
			v = strtol(word, NULL, 10);
			if (v < 1 || v > 20) {
				snprintf(err, errlen, "\"%s\": %s blinks is not "
				    "an LED code (1 to 20)", text, word);
				return -1;
			}
			if (cur.has_count) {
				snprintf(err, errlen, "\"%s\": two blink counts "
				    "in one signal", text);
				return -1;
			}
			cur.has_count = true;
			cur.count = (unsigned)v;
			high = false;
			continue;
		}
		if (strcmp(word, "it's") == 0 || strcmp(word, "led's") == 0)
			continue;
		if ((wd = lookup(word)) == NULL) {
			snprintf(err, errlen, "\"%s\": cannot read \"%s\" (say "
			    "e.g. \"2 orange blinks\", \"blinking green\", "
			    "\"fast cyan then red\")", text, word);
			return -1;
		}
		switch (wd->kind) {
		case W_COLOR:
			/* A second colour starts a new signal only after
			 * "then"; "blue green" is not one signal. */
			if (cur.has_color) {
				snprintf(err, errlen, "\"%s\": two colours in one "
				    "signal (\"%s\" and \"%s\"); separate them "
				    "with \"then\"", text,
				    led_color_name(cur.color), word);
				return -1;
			}
			cur.has_color = true;
			cur.color = (enum led_color)wd->value;
			break;
		case W_PATTERN:
			if (add_pattern(&cur, (enum led_pattern)wd->value, word,
			    text, err, errlen) == -1)
				return -1;
			break;
		case W_COUNT:
			if (cur.has_count) {
				snprintf(err, errlen, "\"%s\": two blink counts "
				    "in one signal", text);
				return -1;
			}
			cur.has_count = true;
			cur.count = wd->value;
			break;
		case W_THEN:
			if (sig_close(o, &cur, text, err, errlen) == -1)
				return -1;
			break;
		case W_HIGH:
			high = true;
			continue;
		case W_SPEED:
			if (high && add_pattern(&cur, LED_FAST, "high speed",
			    text, err, errlen) == -1)
				return -1;
			break;
		default:
			break;
		}
		high = false;
	}
	if (sig_close(o, &cur, text, err, errlen) == -1)
		return -1;
	if (o->n == 0) {
		snprintf(err, errlen, "\"%s\": no LED signal in it (say e.g. "
		    "\"2 orange blinks\")", text);
		return -1;
	}
	for (n = 0; n < o->n; n++) {
		if (o->sig[n].has_count && o->sig[n].has_pattern &&
		    o->sig[n].pattern != LED_BLINK &&
		    o->sig[n].pattern != LED_FAST) {
			snprintf(err, errlen, "\"%s\": a %s light does not "
			    "blink a number of times", text,
			    led_pattern_name(o->sig[n].pattern));
			return -1;
		}
	}
	return 0;
}

int
ledobs_from_flags(const char *color, const char *pattern, const char *blinks,
    struct led_obs *o, char *err, size_t errlen)
{
	struct ledobs_signal *s = &o->sig[0];
	const struct word *wd;
	char *end;
	long v;

	memset(o, 0, sizeof(*o));
	if (color == NULL) {
		snprintf(err, errlen, "--color is needed (with --blinks or "
		    "--pattern)");
		return -1;
	}
	if ((wd = lookup(color)) == NULL || wd->kind != W_COLOR) {
		snprintf(err, errlen, "--color %s: unknown colour (white, blue, "
		    "green, cyan, magenta, yellow, orange, red or off)", color);
		return -1;
	}
	s->has_color = true;
	s->color = (enum led_color)wd->value;
	if (pattern != NULL) {
		enum led_pattern lp;

		if (led_pattern_from_name(pattern, &lp))
			s->pattern = lp;
		else if ((wd = lookup(pattern)) != NULL &&
		    wd->kind == W_PATTERN)
			s->pattern = (enum led_pattern)wd->value;
		else {
			snprintf(err, errlen, "--pattern %s: unknown pattern "
			    "(solid, blink, fast or breathe)", pattern);
			return -1;
		}
		s->has_pattern = true;
	}
	if (blinks != NULL) {
		v = strtol(blinks, &end, 10);
		if (*blinks == '\0' || *end != '\0' || v < 1 || v > 20) {
			snprintf(err, errlen, "--blinks %s: a number of blinks "
			    "from 1 to 20", blinks);
			return -1;
		}
		s->has_count = true;
		s->count = (unsigned)v;
		if (!s->has_pattern) {
			s->has_pattern = true;
			s->pattern = LED_BLINK;
		} else if (s->pattern != LED_BLINK && s->pattern != LED_FAST) {
			snprintf(err, errlen, "--blinks %s: a %s light does not "
			    "blink a number of times", blinks,
			    led_pattern_name(s->pattern));
			return -1;
		}
	}
	o->n = 1;
	return 0;
}

static bool
row_matches(const struct stage_signal *r, const struct ledobs_signal *s,
    enum led_era era)
{
	if ((r->eras & LED_ERA_BIT(era)) == 0)
		return false;
	if (s->has_color && r->led.color != s->color)
		return false;
	if (s->has_pattern && r->led.pattern != s->pattern)
		return false;
	if (s->has_count && r->led.count != s->count)
		return false;
	return true;
}

/* Rows for signal s in era, into out (at most max); returns the count. */
static size_t
rows_for(const struct ledobs_signal *s, enum led_era era,
    const struct stage_signal **out, size_t max)
{
	const struct stage_signal *t;
	size_t i, n, k = 0;

	t = stage_table(&n);
	for (i = 0; i < n; i++)
		if (row_matches(&t[i], s, era) && k < max)
			out[k++] = &t[i];
	return k;
}

static void
sig_describe(const struct ledobs_signal *s, char *buf, size_t len)
{
	const char *color = s->has_color ?
	    led_color_name(s->color) : "any colour";

	if (s->has_count)
		snprintf(buf, len, "%s%u %s blink%s",
		    s->pattern == LED_FAST ? "fast " : "", s->count, color,
		    s->count == 1 ? "" : "s");
	else if (s->has_pattern)
		snprintf(buf, len, "%s %s",
		    s->pattern == LED_SOLID ? "solid" :
		    s->pattern == LED_BLINK ? "blinking" :
		    s->pattern == LED_FAST ? "fast blinking" : "breathing",
		    color);
	else
		snprintf(buf, len, "%s", color);
}

void
ledobs_describe(const struct led_obs *o, char *buf, size_t len)
{
	char one[64];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < o->n && used < len; i++) {
		sig_describe(&o->sig[i], one, sizeof(one));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? " then " : "", one);
	}
}

int
ledobs_match(const struct led_obs *o, enum led_era era,
    struct ledobs_match *m, char *err, size_t errlen)
{
	const struct stage_signal *cand[LEDOBS_MATCH_MAX], *prev[LEDOBS_MATCH_MAX];
	const struct stage_signal *tmp;
	const struct ledobs_signal *s;
	char what[128], also[160];
	size_t nc, np, i, j, k, counts;
	unsigned e;

	memset(m, 0, sizeof(*m));
	if (o->n == 0) {
		snprintf(err, errlen, "no LED signal to explain");
		return -1;
	}
	/* Every signal must mean something in this era. */
	for (i = 0; i < o->n; i++) {
		s = &o->sig[i];
		if (rows_for(s, era, cand, LEDOBS_MATCH_MAX) > 0)
			continue;
		sig_describe(s, what, sizeof(what));
		also[0] = '\0';
		for (e = 0; e < LED_ERA_COUNT; e++) {
			if (e == (unsigned)era ||
			    (np = rows_for(s, (enum led_era)e, prev,
			    LEDOBS_MATCH_MAX)) == 0)
				continue;
			snprintf(also, sizeof(also), "; in the %s LED era it "
			    "means: %s", led_era_name((enum led_era)e),
			    prev[0]->meaning);
		}
		snprintf(err, errlen, "\"%s\" has no meaning in the %s LED era"
		    "%s (see `cyanprobe explain --list`)", what,
		    led_era_name(era), also);
		return -1;
	}

	s = &o->sig[o->n - 1];
	nc = rows_for(s, era, cand, LEDOBS_MATCH_MAX);
	/* Earlier signals are context: keep the stages they point to. */
	if (o->n > 1) {
		np = rows_for(&o->sig[o->n - 2], era, prev, LEDOBS_MATCH_MAX);
		for (i = 0, k = 0; i < nc; i++)
			for (j = 0; j < np; j++)
				if (cand[i]->stage == prev[j]->stage) {
					cand[k++] = cand[i];
					break;
				}
		if (k > 0)
			nc = k;
		else
			nc = rows_for(s, era, cand, LEDOBS_MATCH_MAX);
	}
	/* Different blink counts left: the user must count, we must not pick. */
	for (i = 0, counts = 0; i < nc; i++) {
		for (j = 0; j < i; j++)
			if (cand[j]->led.count == cand[i]->led.count)
				break;
		if (j == i && cand[i]->led.count > 0)
			counts++;
	}
	if (counts > 1) {
		size_t used;

		sig_describe(s, what, sizeof(what));
		used = (size_t)snprintf(err, errlen, "\"%s\" is ambiguous: "
		    "count the blinks:", what);
		for (i = 0; i < nc && used < errlen; i++)
			if (cand[i]->led.count > 0)
				used += (size_t)snprintf(err + used,
				    errlen - used, " %u = %s;",
				    cand[i]->led.count,
				    stage_name((enum stage)cand[i]->stage));
		if (used > 0 && used < errlen && err[used - 1] == ';')
			err[used - 1] = '\0';
		return -1;
	}
	/* The verdict first: a failure before progress, then by stage. */
	for (i = 1; i < nc; i++) {
		tmp = cand[i];
		for (j = i; j > 0; j--) {
			bool f1 = cand[j - 1]->fail != STAGE_FAIL_NONE;
			bool f2 = tmp->fail != STAGE_FAIL_NONE;

			if (f1 || !f2)
				if (f1 != f2 || cand[j - 1]->stage <= tmp->stage)
					break;
			cand[j] = cand[j - 1];
		}
		cand[j] = tmp;
	}
	for (i = 0; i < nc; i++)
		m->row[i] = cand[i];
	m->n = nc;
	return 0;
}
