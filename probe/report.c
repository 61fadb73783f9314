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
		if (ru == NULL)
			continue;
		if (ru->severity == SEVERITY_WARNING)
			nwarn++;
		if (ru->severity != SEVERITY_ERROR || ru->fail ==
		    STAGE_FAIL_NONE || ru->stage > STAGE_CONNECTED)
			continue;
		if (best == NULL || ru->stage < best->stage ||
		    (ru->stage == best->stage && ru->rank < best->rank))
			best = ru;
	}
	if (best == NULL) {
		row = stage_lookup(STAGE_CONNECTED, STAGE_FAIL_NONE, r->era);
		if (row != NULL)
			v->led = row->led;
		snprintf(v->summary, sizeof(v->summary), "No problem found: "
		    "the device should reach the cloud (breathing cyan)%s",
		    nwarn > 0 ? ", but see the warnings" : "");
		return;
	}
	v->stage = best->stage;
	v->fail = best->fail;
	row = stage_lookup(v->stage, v->fail, r->era);
	if (row == NULL)	/* e.g. a Device OS-only signal on a 2014 Core */
		row = stage_lookup(v->stage, stage_default_fail(v->stage),
		    r->era);
	if (row != NULL)
		v->led = row->led;
	snprintf(v->summary, sizeof(v->summary), "%s: %s",
	    row != NULL ? row->meaning : stage_name(v->stage), best->summary);
	for (i = 0; i < r->findings.n; i++) {
		ru = rules_get(rules, r->findings.item[i].id);
		if (ru != NULL && ru->severity == SEVERITY_ERROR &&
		    ru->stage == v->stage && ru->fail != STAGE_FAIL_NONE)
			add_cause(v, ru);
	}
}

int
report_exit_status(const struct report *r, const struct rules *rules)
{
	const struct rule *ru;
	size_t i;

	if (r->verdict.fail != STAGE_FAIL_NONE)
		return EXIT_PROBLEMS;
	for (i = 0; i < r->findings.n; i++) {
		ru = rules_get(rules, r->findings.item[i].id);
		if (ru != NULL && ru->severity == SEVERITY_ERROR)
			return EXIT_PROBLEMS;
	}
	return EXIT_OK;
}
