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

/* --- the model every rendering reads ---------------------------------------- */

void
report_led_words(char *buf, size_t len, struct led_signal led)
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

_Static_assert(FINDINGS_MAX <= 64, "report_cause.items is 64 bits");

/* The LED a failing rule shows in the report's era, as the verdict does. */
static bool
rule_led(const struct rule *ru, enum led_era era, struct led_signal *led)
{
	const struct stage_signal *row;

	if (ru->severity != SEVERITY_ERROR || ru->fail == STAGE_FAIL_NONE ||
	    ru->stage >= STAGE_CONNECTED)
		return false;
	row = stage_lookup(ru->stage, ru->fail, era);
	if (row == NULL)
		row = stage_lookup(ru->stage, stage_default_fail(ru->stage),
		    era);
	if (row == NULL)
		return false;
	*led = row->led;
	return true;
}

static void
model_items(struct report_model *m, const struct rules *rules)
{
	const struct report *r = m->r;
	struct report_item *it;
	size_t i, k;

	for (i = 0; i < r->findings.n && i < FINDINGS_MAX; i++) {
		it = &m->item[m->nitems++];
		it->finding = &r->findings.item[i];
		it->id = finding_name(it->finding->id);
		it->rule = rules_get(rules, it->finding->id);
		it->severity = it->rule != NULL ? it->rule->severity :
		    SEVERITY_INFO;
		it->stage = it->rule != NULL ? stage_name(it->rule->stage) :
		    NULL;
		it->cause = -1;
		if (it->rule != NULL && (it->led_known = rule_led(it->rule,
		    r->era, &it->led)))
			report_led_words(it->led_words,
			    sizeof(it->led_words), it->led);
		/* Network-side settings: what a forum helper asks about. */
		it->divergent = it->rule != NULL &&
		    it->severity != SEVERITY_INFO &&
		    it->rule->stage <= STAGE_CLOUD;
		m->nerrors += it->severity == SEVERITY_ERROR;
		m->nwarnings += it->severity == SEVERITY_WARNING;
		for (k = 0; k < r->verdict.ncauses; k++)
			if (it->rule == r->verdict.causes[k])
				it->cause = (int)k;
	}
	for (k = 0; k < r->verdict.ncauses && k < VERDICT_CAUSES_MAX; k++) {
		m->cause[k].rule = r->verdict.causes[k];
		for (i = 0; i < m->nitems; i++)
			if (m->item[i].cause == (int)k)
				m->cause[k].items |= (uint64_t)1 << i;
	}
	m->ncauses = k;
}

/* A string member of o, or NULL. */
static const char *
json_str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The checks of a live run, from facts.run, with the findings each made. */
static void
model_checks(struct report_model *m)
{
	const cJSON *run, *c, *v, *id;
	struct report_check *ck;
	size_t i;

	m->total_ms = -1;
	run = cJSON_GetObjectItemCaseSensitive(m->r->facts, "run");
	if (!cJSON_IsObject(run))
		return;
	v = cJSON_GetObjectItemCaseSensitive(run, "total_ms");
	m->total_ms = cJSON_IsNumber(v) ? v->valuedouble : 0;
	cJSON_ArrayForEach(c, run) {
		if (!cJSON_IsObject(c) || json_str(c, "status") == NULL ||
		    m->nchecks == REPORT_CHECKS_MAX)
			continue;
		ck = &m->check[m->nchecks++];
		snprintf(ck->name, sizeof(ck->name), "%s", c->string);
		snprintf(ck->status, sizeof(ck->status), "%s",
		    json_str(c, "status"));
		v = cJSON_GetObjectItemCaseSensitive(c, "ms");
		ck->ms = cJSON_IsNumber(v) ? v->valuedouble : -1;
		snprintf(ck->note, sizeof(ck->note), "%s",
		    json_str(c, "note") != NULL ? json_str(c, "note") : "");
		ck->worst = SEVERITY_INFO;
		cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(c,
		    "findings")) {
			for (i = 0; i < m->nitems; i++) {
				if (!cJSON_IsString(id) ||
				    strcmp(id->valuestring, m->item[i].id) != 0)
					continue;
				ck->items |= (uint64_t)1 << i;
				if (m->item[i].severity > ck->worst)
					ck->worst = m->item[i].severity;
			}
		}
	}
}

/* Unique string values of networks[*].key joined with ", " into buf. */
static const char *
from_networks(const struct report *r, const char *key, char *buf,
    size_t len)
{
	const cJSON *n;
	const char *v;
	size_t used = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(n, r->networks) {
		v = json_str(n, key);
		if (v == NULL || v[0] == '\0' || strstr(buf, v) != NULL)
			continue;
		used += (size_t)snprintf(buf + used, len > used ? len - used :
		    0, "%s%s", used > 0 ? ", " : "", v);
		if (used >= len)
			break;
	}
	return buf[0] != '\0' ? buf : NULL;
}

static void
model_forum(struct report_model *m)
{
	const struct report *r = m->r;

	m->router = r->forum.router;
	m->router_guess = r->forum.router_guess != NULL ?
	    r->forum.router_guess : from_networks(r, "router", m->router_buf,
	    sizeof(m->router_buf));
	m->security = r->forum.security != NULL ? r->forum.security :
	    from_networks(r, "security", m->security_buf,
	    sizeof(m->security_buf));
	m->environment = r->forum.environment;
	m->topology = r->forum.topology;
	m->isp = r->forum.isp;
	m->divergent = r->forum.divergent;
}

static void
model_firmware(struct report_model *m)
{
	const struct report *r = m->r;
	const struct profile *p = r->profile;

	if (r->firmware[0] == '\0') {
		snprintf(m->firmware, sizeof(m->firmware), "not known");
		return;
	}
	if (!r->firmware_assumed) {
		snprintf(m->firmware, sizeof(m->firmware), "%s", r->firmware);
		return;
	}
	/* Say so: a different firmware changes stages, LEDs and tests. */
	snprintf(m->firmware, sizeof(m->firmware),
	    "assumed %s, %s; give --firmware", r->firmware, p != NULL &&
	    p->fw_known.has_to && fw_version_cmp(&p->fw_default,
	    &p->fw_known.to) == 0 ? "the newest" : "the profile's default");
}

/*
 * The verdict's state and LED in words, and what it rests on: per state,
 * the stages seen to pass, failed, or not observed (when the command set
 * out to judge any).  Every output shows the same words.
 */
static void
model_verdict(struct report_model *m)
{
	const struct verdict *v = &m->r->verdict;
	const stage_set path = STAGE_BIT(STAGE_CONNECTED) - 1;
	const stage_set part[3] = { v->passed & path, v->failed & path,
	    v->unobserved & path };
	static const char *const label[3] = { "ok", "failed",
	    "not observed" };
	char list[128];
	size_t used = 0, i;

	m->state_word = verdict_state_name(v->state);
	m->led_known = v->led_known;
	if (v->led_known)
		report_led_words(m->led_words, sizeof(m->led_words), v->led);
	else
		snprintf(m->led_words, sizeof(m->led_words), "not known (%s)",
		    v->state == VERDICT_INCONCLUSIVE ? "no evidence" :
		    "later stages not tested");
	report_stage_list(part[2], m->not_observed, sizeof(m->not_observed));
	if (m->r->expect == 0)
		return;
	for (i = 0; i < 3 && used < sizeof(m->evidence); i++) {
		if (part[i] == 0)
			continue;
		used += (size_t)snprintf(m->evidence + used,
		    sizeof(m->evidence) - used, "%s%s: %s", used > 0 ? "; " :
		    "", label[i], report_stage_list(part[i], list,
		    sizeof(list)));
	}
}

void
report_model(struct report_model *m, const struct report *r,
    const struct rules *rules)
{
	memset(m, 0, sizeof(*m));
	m->r = r;
	m->command = json_str(r->source, "command") != NULL ?
	    json_str(r->source, "command") : r->kind != NULL ? r->kind :
	    "report";
	m->device = r->profile != NULL ? r->profile->title :
	    "Particle device";
	model_firmware(m);
	model_verdict(m);
	m->interrupted = r->interrupted;
	model_items(m, rules);
	model_checks(m);
	model_forum(m);
}
