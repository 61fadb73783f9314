/*
 * report_json.c - the JSON rendering of the report model, schema
 * "cyanprobe-report/1" (docs/report-schema.md), pretty or as one line
 * (--json-lines).  Keys are added in a fixed order so output diffs
 * cleanly.  Secrets go by structure: members named like secrets (password,
 * psk, ...) are dropped wherever they sit, and the free-text fields that
 * can quote key material (report_key_field()) pass the key-material
 * filter; names, paths and URLs are written as they are.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "report.h"

static bool
secret_key(const char *k)
{
	static const char *const names[] = {
		"password", "passphrase", "psk", "secret", "private_key",
		"key_material", "wifi_password", NULL
	};
	const char *const *n;

	for (n = names; *n != NULL; n++)
		if (strcasecmp(k, *n) == 0)
			return true;
	return false;
}

cJSON *
report_scrub_json(const cJSON *v, unsigned flags)
{
	const cJSON *m;
	cJSON *c, *out;
	char *s;

	if (v == NULL)
		return cJSON_CreateNull();
	if (cJSON_IsString(v)) {
		if ((s = report_redact(v->valuestring, flags)) == NULL)
			return NULL;
		out = cJSON_CreateString(s);
		free(s);
		return out;
	}
	if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
		return cJSON_Duplicate(v, false);
	out = cJSON_IsArray(v) ? cJSON_CreateArray() : cJSON_CreateObject();
	if (out == NULL)
		return NULL;
	for (m = v->child; m != NULL; m = m->next) {
		if (cJSON_IsObject(v) && secret_key(m->string))
			continue;
		/* Below a free-text member, everything is free text. */
		if ((c = report_scrub_json(m, cJSON_IsObject(v) &&
		    report_key_field(m->string) ? flags | REDACT_SECRETS :
		    flags)) == NULL)
			goto fail;
		if (cJSON_IsArray(v))
			cJSON_AddItemToArray(out, c);
		else
			cJSON_AddItemToObject(out, m->string, c);
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

void
report_generated_at(char *buf, size_t len)
{
	const char *fake = getenv("CYANPROBE_FAKE_TIME");
	struct tm tm;
	time_t t;
	char *end;

	if (fake != NULL && *fake != '\0') {
		t = (time_t)strtoll(fake, &end, 10);
		if (*end != '\0') {
			snprintf(buf, len, "%s", fake);
			return;
		}
	} else
		t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A string, or null for NULL; `flags` as for report_redact(). */
static cJSON *
str_or_null(const char *s, unsigned flags)
{
	char *f;
	cJSON *v;

	if (s == NULL)
		return cJSON_CreateNull();
	if ((f = report_redact(s, flags)) == NULL)
		return NULL;
	v = cJSON_CreateString(f);
	free(f);
	return v;
}

static cJSON *
led_json(struct led_signal led)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "color",
	    led_color_name((enum led_color)led.color));
	cJSON_AddStringToObject(o, "pattern",
	    led_pattern_name((enum led_pattern)led.pattern));
	cJSON_AddNumberToObject(o, "count", led.count);
	return o;
}

/* The stages of a set, in path order, as an array of names. */
static cJSON *
stages_json(stage_set set)
{
	cJSON *a = cJSON_CreateArray();
	unsigned s;

	for (s = 0; a != NULL && s < STAGE_COUNT; s++)
		if (set & STAGE_BIT(s))
			cJSON_AddItemToArray(a, cJSON_CreateString(
			    stage_name((enum stage)s)));
	return a;
}

/*
 * verdict.evidence: each stage the report judged or saw, "ok", "failed" or
 * "not_observed"; stages the command does not judge are left out.
 */
static cJSON *
evidence_json(const struct verdict *v, stage_set expect)
{
	cJSON *o = cJSON_CreateObject();
	unsigned s;

	for (s = 0; o != NULL && s < STAGE_CONNECTED; s++) {
		stage_set b = STAGE_BIT(s);

		if (v->failed & b)
			cJSON_AddStringToObject(o, stage_name((enum stage)s),
			    "failed");
		else if (v->passed & b)
			cJSON_AddStringToObject(o, stage_name((enum stage)s),
			    "ok");
		else if (expect & b)
			cJSON_AddStringToObject(o, stage_name((enum stage)s),
			    "not_observed");
	}
	return o;
}

static cJSON *
rule_json(const struct rule *ru)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", ru->id);
	cJSON_AddStringToObject(o, "stage", stage_name(ru->stage));
	cJSON_AddStringToObject(o, "fail", stage_fail_name(ru->fail));
	cJSON_AddStringToObject(o, "severity", severity_name(ru->severity));
	cJSON_AddNumberToObject(o, "rank", ru->rank);
	cJSON_AddBoolToObject(o, "led_only", ru->led_only);
	cJSON_AddStringToObject(o, "summary", ru->summary);
	cJSON_AddStringToObject(o, "advice", ru->advice);
	cJSON_AddStringToObject(o, "seed", ru->seed);
	return o;
}

static cJSON *
findings_json(const struct report_model *m)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	const struct report_item *it;
	const struct rule *ru;
	size_t i;

	for (i = 0; i < m->nitems; i++) {
		it = &m->item[i];
		ru = it->rule;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", it->id);
		if (ru != NULL) {
			cJSON_AddStringToObject(o, "stage", it->stage);
			cJSON_AddStringToObject(o, "fail",
			    stage_fail_name(ru->fail));
			cJSON_AddStringToObject(o, "severity",
			    severity_name(it->severity));
			cJSON_AddStringToObject(o, "summary", ru->summary);
			cJSON_AddStringToObject(o, "advice", ru->advice);
			cJSON_AddStringToObject(o, "seed", ru->seed);
		} else {
			/* No rule: say so rather than invent a meaning. */
			cJSON_AddNullToObject(o, "stage");
			cJSON_AddNullToObject(o, "fail");
			cJSON_AddNullToObject(o, "severity");
			cJSON_AddNullToObject(o, "summary");
			cJSON_AddNullToObject(o, "advice");
			cJSON_AddNullToObject(o, "seed");
		}
		cJSON_AddItemToObject(o, "evidence",
		    str_or_null(it->finding->evidence, REDACT_SECRETS));
		if (it->led_known)
			cJSON_AddItemToObject(o, "led", led_json(it->led));
		else
			cJSON_AddNullToObject(o, "led");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void
device_json(cJSON *root, const struct report_model *m)
{
	const struct report *r = m->r;
	cJSON *o = cJSON_AddObjectToObject(root, "device");

	if (r->profile != NULL) {
		cJSON_AddStringToObject(o, "profile", r->profile->name);
		cJSON_AddStringToObject(o, "title", r->profile->title);
		cJSON_AddNumberToObject(o, "platform_id",
		    r->profile->platform_id);
	} else {
		cJSON_AddNullToObject(o, "profile");
		cJSON_AddNullToObject(o, "title");
		cJSON_AddNullToObject(o, "platform_id");
	}
	cJSON_AddItemToObject(o, "firmware", str_or_null(r->firmware[0] ?
	    r->firmware : NULL, 0));
	cJSON_AddBoolToObject(o, "firmware_assumed", r->firmware_assumed);
	if (r->firmware_assumed)
		cJSON_AddStringToObject(o, "firmware_note", m->firmware);
	cJSON_AddStringToObject(o, "led_era", led_era_name(r->era));
}

static void
forum_json(cJSON *root, const struct report_model *m)
{
	cJSON *o = cJSON_AddObjectToObject(root, "forum");

	cJSON_AddItemToObject(o, "router", str_or_null(m->router != NULL ?
	    m->router : m->router_guess, 0));
	cJSON_AddItemToObject(o, "router_guess",
	    str_or_null(m->router_guess, 0));
	cJSON_AddItemToObject(o, "security", str_or_null(m->security, 0));
	cJSON_AddItemToObject(o, "environment",
	    str_or_null(m->environment, 0));
	cJSON_AddItemToObject(o, "topology", str_or_null(m->topology, 0));
	cJSON_AddItemToObject(o, "isp", str_or_null(m->isp, 0));
	cJSON_AddItemToObject(o, "divergent", str_or_null(m->divergent, 0));
}

cJSON *
report_model_json(const struct report_model *m)
{
	const struct report *r = m->r;
	cJSON *root, *o, *arr;
	const cJSON *src;
	char when[48];
	size_t i;

	if ((root = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(root, "schema", REPORT_SCHEMA);
	o = cJSON_AddObjectToObject(root, "software");
	cJSON_AddStringToObject(o, "name", "cyanprobe");
	cJSON_AddStringToObject(o, "version", CYANPROBE_VERSION);
	report_generated_at(when, sizeof(when));
	cJSON_AddStringToObject(root, "generated_at", when);
	cJSON_AddBoolToObject(root, "interrupted", m->interrupted);

	o = cJSON_AddObjectToObject(root, "source");
	cJSON_AddStringToObject(o, "kind", r->kind != NULL ? r->kind :
	    "unknown");
	if (cJSON_IsObject(r->source))
		for (src = r->source->child; src != NULL; src = src->next)
			if (strcmp(src->string, "kind") != 0 &&
			    !secret_key(src->string))
				cJSON_AddItemToObject(o, src->string,
				    report_scrub_json(src, 0));
	device_json(root, m);
	cJSON_AddItemToObject(root, "networks", r->networks != NULL ?
	    report_scrub_json(r->networks, 0) : cJSON_CreateArray());
	cJSON_AddItemToObject(root, "findings", findings_json(m));
	cJSON_AddNumberToObject(root, "findings_dropped",
	    (double)r->findings.dropped);
	cJSON_AddItemToObject(root, "facts", r->facts != NULL ?
	    report_scrub_json(r->facts, 0) : cJSON_CreateObject());

	o = cJSON_AddObjectToObject(root, "verdict");
	cJSON_AddStringToObject(o, "state",
	    verdict_state_name(r->verdict.state));
	cJSON_AddStringToObject(o, "stage", stage_name(r->verdict.stage));
	cJSON_AddStringToObject(o, "fail", stage_fail_name(r->verdict.fail));
	cJSON_AddItemToObject(o, "led", r->verdict.led_known ?
	    led_json(r->verdict.led) : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "summary", r->verdict.summary);
	cJSON_AddItemToObject(o, "evidence", evidence_json(&r->verdict,
	    r->expect));
	cJSON_AddItemToObject(o, "not_observed",
	    stages_json(r->verdict.unobserved));
	arr = cJSON_AddArrayToObject(o, "causes");
	for (i = 0; i < m->ncauses; i++)
		cJSON_AddItemToArray(arr, rule_json(m->cause[i].rule));
	forum_json(root, m);
	return root;
}

cJSON *
report_to_json(const struct report *r, const struct rules *rules)
{
	struct report_model *m = malloc(sizeof(*m));
	cJSON *root;

	if (m == NULL)
		return NULL;
	report_model(m, r, rules);
	root = report_model_json(m);
	free(m);
	return root;
}

/* The JSON document, pretty or on one line, and a newline. */
static int
write_json(const struct report_model *m, FILE *out, bool pretty)
{
	cJSON *root;
	char *text;
	int rc = 0;

	if ((root = report_model_json(m)) == NULL)
		return -1;
	text = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (text == NULL)
		return -1;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF ||
	    fflush(out) == EOF)
		rc = -1;
	cJSON_free(text);
	return rc;
}

int
report_write_json(const struct report_model *m, FILE *out)
{
	return write_json(m, out, true);
}

int
report_write_json_line(const struct report_model *m, FILE *out)
{
	return write_json(m, out, false);
}
