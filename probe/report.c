/*
 * report.c - the report model of report.h: its life cycle, the per-check
 * facts, and report_decide(), which turns findings plus rules into the
 * verdict (the first failing stage and the LED code the device shows for
 * it).  The three renderings live in report_json.c, report_text.c and
 * report_markdown.c; the redaction they share lives in report_redact.c.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "report.h"

void
report_init(struct report *r, const char *kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->era = LED_ERA_DEVICEOS;
	findings_init(&r->findings);
	r->verdict.stage = STAGE_CONNECTED;
	r->verdict.fail = STAGE_FAIL_NONE;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	cJSON_Delete(r->source);
	cJSON_Delete(r->networks);
	cJSON_Delete(r->facts);
	r->source = r->networks = r->facts = NULL;
}

cJSON *
report_facts(struct report *r, const char *key)
{
	cJSON *o;

	if (r->facts == NULL && (r->facts = cJSON_CreateObject()) == NULL)
		return NULL;
	if ((o = cJSON_GetObjectItemCaseSensitive(r->facts, key)) != NULL)
		return o;
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (!cJSON_AddItemToObject(r->facts, key, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Add ru to the verdict's causes unless it is there already; keep rank order. */
static void
add_cause(struct verdict *v, const struct rule *ru)
{
	size_t i, j;

	for (i = 0; i < v->ncauses; i++)
		if (v->causes[i] == ru)
			return;
	if (v->ncauses == VERDICT_CAUSES_MAX)
		return;
	for (i = 0; i < v->ncauses && v->causes[i]->rank <= ru->rank; i++)
		;
	for (j = v->ncauses; j > i; j--)
		v->causes[j] = v->causes[j - 1];
	v->causes[i] = ru;
	v->ncauses++;
}

void
report_expect(struct report *r, stage_set set)
{
	r->expect |= set;
}

void
report_seen(struct report *r, stage_set set)
{
	r->seen |= set;
}

const char *
verdict_state_name(enum verdict_state s)
{
	switch (s) {
	case VERDICT_OK:		return "ok";
	case VERDICT_PROBLEM:		return "problem";
	case VERDICT_INCONCLUSIVE:	return "inconclusive";
	}
	return "unknown";
}

const char *
report_stage_list(stage_set set, char *buf, size_t len)
{
	size_t used = 0;
	unsigned s;

	if (len > 0)
		buf[0] = '\0';
	for (s = 0; s < STAGE_COUNT; s++) {
		if ((set & STAGE_BIT(s)) == 0 || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? ", " : "", stage_name((enum stage)s));
	}
	return buf;
}

/*
 * A stage that passed shows that the stages it rests on passed too: a
 * handshake needs the cloud's TCP port, and a cloud server that answers
 * from the internet shows the internet works.  DHCP and Wi-Fi are not
 * implied: the host that ran the check may have an address of its own.
 */
static stage_set
seen_closure(stage_set seen)
{
	if (seen & STAGE_BIT(STAGE_HANDSHAKE))
		seen |= STAGE_BIT(STAGE_CLOUD);
	if (seen & STAGE_BIT(STAGE_CLOUD))
		seen |= STAGE_BIT(STAGE_INTERNET);
	return seen;
}

/* No stage fails: connected, or inconclusive when a stage went unseen. */
static void
decide_no_failure(struct report *r, size_t nwarn)
{
	struct verdict *v = &r->verdict;
	const struct stage_signal *row;
	char list[128];
	unsigned s;

	v->passed = seen_closure(r->seen) & ~v->failed;
	v->unobserved = r->expect & ~v->passed & ~v->failed;
	if (v->unobserved != 0) {
		v->state = VERDICT_INCONCLUSIVE;
		for (s = 0; (v->unobserved & STAGE_BIT(s)) == 0; s++)
			;
		v->stage = (enum stage)s;
		snprintf(v->summary, sizeof(v->summary), "Inconclusive: "
		    "nothing fails, but no evidence was seen for %s, so "
		    "whether the device reaches the cloud is not known%s",
		    report_stage_list(v->unobserved, list, sizeof(list)),
		    nwarn > 0 ? "; see the warnings" : "");
		return;
	}
	if (r->expect != 0 && (r->expect & (STAGE_BIT(STAGE_CLOUD) |
	    STAGE_BIT(STAGE_HANDSHAKE))) == 0) {
		/* e.g. `scan`: it judges the radio only. */
		snprintf(v->summary, sizeof(v->summary), "No problem found "
		    "at the %s stage, the only one this command judges; the "
		    "later stages were not tested%s",
		    report_stage_list(r->expect, list, sizeof(list)),
		    nwarn > 0 ? ", and see the warnings" : "");
		return;
	}
	row = stage_lookup(STAGE_CONNECTED, STAGE_FAIL_NONE, r->era);
	if (row != NULL)
		v->led = row->led;
	v->led_known = true;
	snprintf(v->summary, sizeof(v->summary), "No problem found: "
	    "the device should reach the cloud (breathing cyan)%s",
	    nwarn > 0 ? ", but see the warnings" : "");
}

void
report_decide(struct report *r, const struct rules *rules)
{
	struct verdict *v = &r->verdict;
	const struct stage_signal *row;
	const struct rule *ru, *best = NULL;
	size_t i, nwarn = 0;

	memset(v, 0, sizeof(*v));
	v->stage = STAGE_CONNECTED;
	v->fail = STAGE_FAIL_NONE;
	/*
	 * The device stops at the first stage that fails, so the lowest
	 * failing stage is what its LED shows; within a stage the
	 * best-ranked rule picks the failure code.  A failure at the
	 * connected stage itself (the session drops, STAGE_FAIL_SESSION)
	 * counts; the stages after it (OTA, DFU, ...) are not failures.
	 */
	for (i = 0; i < r->findings.n; i++) {
		ru = rules_get(rules, r->findings.item[i].id);
		if (ru != NULL && ru->severity == SEVERITY_WARNING)
			nwarn++;
		if (!rule_fails(ru))
			continue;
		v->failed |= STAGE_BIT(ru->stage);
		if (best == NULL || ru->stage < best->stage ||
		    (ru->stage == best->stage && ru->rank < best->rank))
			best = ru;
	}
	if (best == NULL) {
		decide_no_failure(r, nwarn);
		return;
	}
	v->state = VERDICT_PROBLEM;
	v->passed = seen_closure(r->seen) & ~v->failed;
	v->unobserved = r->expect & ~v->passed & ~v->failed;
	v->stage = best->stage;
	v->fail = best->fail;
	row = stage_lookup(v->stage, v->fail, r->era);
	if (row == NULL)	/* e.g. a Device OS-only signal on a 2014 Core */
		row = stage_lookup(v->stage, stage_default_fail(v->stage),
		    r->era);
	if (row != NULL)
		v->led = row->led;
	v->led_known = true;
	snprintf(v->summary, sizeof(v->summary), "%s: %s",
	    row != NULL ? row->meaning : stage_name(v->stage), best->summary);
	for (i = 0; i < r->findings.n; i++) {
		ru = rules_get(rules, r->findings.item[i].id);
		if (rule_fails(ru) && ru->stage == v->stage)
			add_cause(v, ru);
	}
}

int
report_exit_status(const struct report *r, const struct rules *rules)
{
	const struct rule *ru;
	size_t i;

	if (r->verdict.state == VERDICT_PROBLEM ||
	    r->verdict.fail != STAGE_FAIL_NONE)
		return EXIT_PROBLEMS;
	for (i = 0; i < r->findings.n; i++) {
		ru = rules_get(rules, r->findings.item[i].id);
		if (ru != NULL && ru->severity == SEVERITY_ERROR)
			return EXIT_PROBLEMS;
	}
	if (r->verdict.state == VERDICT_INCONCLUSIVE)
		return EXIT_INCONCLUSIVE;
	return EXIT_OK;
}
