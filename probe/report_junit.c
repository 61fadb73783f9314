/*
 * report_junit.c - the report model as JUnit XML (--junit), for CI: one
 * test suite per run, one test case per check of a live run (diagnose),
 * else one per connect stage the findings touch, else one for the verdict.
 * A case fails on an error finding: the failure names the finding id, its
 * summary and the LED the device shows; its body has what was seen and the
 * fix.  Warnings and notes go to the case's output; a check that could
 * not run, or that a signal stopped, is skipped.  An inconclusive verdict
 * (nothing fails, but a stage was not observed) is neither a pass nor a
 * failure: it adds a case "verdict", skipped, whose message names the
 * stages not observed; the suite's properties carry the state.  The XML
 * is junit.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"
#include "report.h"

#define CASE_TEXT	2048

/* The strings of one case; junit_case points into them. */
struct jcase_buf {
	char	classname[48];
	char	message[512];
	char	detail[CASE_TEXT];
	char	out[CASE_TEXT];
};

/* Append the strings (up to a NULL) to buf, cut to fit. */
static void
append(char *buf, size_t len, const char *a, const char *b, const char *c)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s%s", a, b != NULL ? b : "",
	    c != NULL ? c : "");
}

/*
 * Fill case c from the findings in `items`: failed on the first error
 * (message: id, summary, LED), every finding's lines in the detail (errors)
 * or the output (warnings, notes).
 */
static void
case_items(const struct report_model *m, uint64_t items,
    struct junit_case *c, struct jcase_buf *b)
{
	const struct report_item *it, *first = NULL;
	char *dst, *ev;
	size_t i;

	for (i = 0; i < m->nitems; i++) {
		if (!(items & (uint64_t)1 << i))
			continue;
		it = &m->item[i];
		if (it->severity == SEVERITY_ERROR && first == NULL)
			first = it;
		dst = it->severity == SEVERITY_ERROR ? b->detail : b->out;
		append(dst, CASE_TEXT, it->id, " [", severity_name(
		    it->severity));
		append(dst, CASE_TEXT, "]", it->rule != NULL ? ": " : NULL,
		    it->rule != NULL ? it->rule->summary : NULL);
		if (it->finding->evidence[0] != '\0' && (ev = report_redact(
		    it->finding->evidence, REDACT_SECRETS)) != NULL) {
			append(dst, CASE_TEXT, "\n  seen: ", ev, NULL);
			free(ev);
		}
		if (it->rule != NULL && it->severity != SEVERITY_INFO)
			append(dst, CASE_TEXT, "\n  fix: ", it->rule->advice,
			    NULL);
		append(dst, CASE_TEXT, "\n", NULL, NULL);
	}
	if (first == NULL)
		return;
	c->outcome = JUNIT_FAILED;
	c->type = first->id;
	snprintf(b->message, sizeof(b->message), "%s: %s%s%s%s", first->id,
	    first->rule != NULL ? first->rule->summary : "no rule",
	    first->led_known ? " (LED: " : "", first->led_known ?
	    first->led_words : "", first->led_known ? ")" : "");
	c->message = b->message;
	c->detail = b->detail;
}

static void
case_init(const struct report_model *m, struct junit_case *c,
    struct jcase_buf *b, const char *name, double time_s)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->classname, sizeof(b->classname), "cyanprobe.%s",
	    m->command);
	*c = (struct junit_case){ .name = name, .classname = b->classname,
	    .time_s = time_s, .outcome = JUNIT_PASSED };
}

/* A check of a live run. */
static void
case_check(const struct report_model *m, const struct report_check *k,
    struct junit_case *c, struct jcase_buf *b)
{
	case_init(m, c, b, k->name, k->ms >= 0 ? k->ms / 1000 : -1);
	case_items(m, k->items, c, b);
	if (k->note[0] != '\0')
		append(b->out, CASE_TEXT, k->note, "\n", NULL);
	if (c->outcome == JUNIT_PASSED && (strcmp(k->status, "passed") != 0 &&
	    strcmp(k->status, "failed") != 0 && strcmp(k->status, "warn") !=
	    0)) {
		/* skipped, or still waiting or running when interrupted */
		c->outcome = JUNIT_SKIPPED;
		snprintf(b->message, sizeof(b->message), "%s",
		    k->note[0] != '\0' ? k->note : k->status);
		c->message = b->message;
	}
	c->out = b->out[0] != '\0' ? b->out : NULL;
}

/* The items of one stage, by name. */
static uint64_t
stage_items(const struct report_model *m, const char *stage)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < m->nitems; i++)
		if (m->item[i].stage != NULL &&
		    strcmp(m->item[i].stage, stage) == 0)
			set |= (uint64_t)1 << i;
	return set;
}

/* Cases without checks: a stage with findings each, else the verdict. */
static size_t
cases_stages(const struct report_model *m, struct junit_case *c,
    struct jcase_buf *b, size_t max)
{
	const struct verdict *v = &m->r->verdict;
	size_t n = 0, i;
	uint64_t items, unstaged = 0;
	int s;

	for (s = 0; s < STAGE_COUNT && n < max; s++) {
		if ((items = stage_items(m, stage_name((enum stage)s))) == 0)
			continue;
		case_init(m, &c[n], &b[n], stage_name((enum stage)s), -1);
		case_items(m, items, &c[n], &b[n]);
		c[n].out = b[n].out[0] != '\0' ? b[n].out : NULL;
		n++;
	}
	for (i = 0; i < m->nitems; i++)
		if (m->item[i].stage == NULL)
			unstaged |= (uint64_t)1 << i;
	if (unstaged != 0 && n < max) {
		case_init(m, &c[n], &b[n], "other", -1);
		case_items(m, unstaged, &c[n], &b[n]);
		c[n].out = b[n].out[0] != '\0' ? b[n].out : NULL;
		n++;
	}
	if (n > 0 || max == 0 || v->state == VERDICT_INCONCLUSIVE)
		return n;	/* inconclusive: its own case follows */
	/* No findings (explain): the verdict is the one case. */
	case_init(m, &c[0], &b[0], stage_name(v->stage), -1);
	if (v->fail != STAGE_FAIL_NONE) {
		c[0].outcome = JUNIT_FAILED;
		c[0].type = m->ncauses > 0 ? m->cause[0].rule->id :
		    stage_fail_name(v->fail);
		snprintf(b[0].message, sizeof(b[0].message), "%s (LED: %s)",
		    v->summary, m->led_words);
		c[0].message = b[0].message;
	}
	return 1;
}

/* An inconclusive verdict: skipped, with what was not observed. */
static void
case_inconclusive(const struct report_model *m, struct junit_case *c,
    struct jcase_buf *b)
{
	case_init(m, c, b, "verdict", -1);
	c->outcome = JUNIT_SKIPPED;
	snprintf(b->message, sizeof(b->message), "inconclusive, not "
	    "observed: %s", m->not_observed);
	c->message = b->message;
	snprintf(b->out, sizeof(b->out), "%s\n%s\n", m->r->verdict.summary,
	    m->evidence);
	c->out = b->out;
}

int
report_write_junit(const struct report_model *m, FILE *out)
{
	enum { NCASES = REPORT_CHECKS_MAX + STAGE_COUNT + 2 };
	struct junit_case c[NCASES];
	struct jcase_buf *b;
	struct junit_property props[8];
	struct junit_suite s;
	char name[64], when[48];
	size_t n = 0, i;
	int rc;

	if ((b = calloc(NCASES, sizeof(*b))) == NULL)
		return -1;
	if (m->nchecks > 0)
		for (i = 0; i < m->nchecks; i++, n++)
			case_check(m, &m->check[i], &c[n], &b[n]);
	else
		n = cases_stages(m, c, b, NCASES - 1);
	if (m->r->verdict.state == VERDICT_INCONCLUSIVE) {
		case_inconclusive(m, &c[n], &b[n]);
		n++;
	}
	report_generated_at(when, sizeof(when));
	snprintf(name, sizeof(name), "cyanprobe %s", m->command);
	props[0] = (struct junit_property){ "device", m->device };
	props[1] = (struct junit_property){ "firmware", m->firmware };
	props[2] = (struct junit_property){ "stage",
	    stage_name(m->r->verdict.stage) };
	props[3] = (struct junit_property){ "led", m->led_words };
	props[4] = (struct junit_property){ "verdict", m->r->verdict.summary };
	props[5] = (struct junit_property){ "interrupted",
	    m->interrupted ? "true" : "false" };
	props[6] = (struct junit_property){ "state", m->state_word };
	props[7] = (struct junit_property){ "not_observed", m->not_observed };
	s = (struct junit_suite){ name, when, m->total_ms >= 0 ?
	    m->total_ms / 1000 : -1, props, 8, c, n };
	rc = junit_write(out, &s, 1);
	free(b);
	return rc;
}
