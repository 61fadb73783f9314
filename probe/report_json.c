/*
 * report_json.c - the JSON rendering of a report, schema
 * "cyanprobe-report/1" (docs/report-schema.md).  Keys are added in a fixed
 * order so output diffs cleanly, every string passes the key-material
 * filter of report_redact.c, and members named like secrets (password,
 * psk, ...) are dropped from the command-supplied trees wherever they sit.
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
		if ((c = report_scrub_json(m, flags)) == NULL)
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

/* A string, or null for NULL. */
static cJSON *
str_or_null(const char *s)
{
	char *f;
	cJSON *v;

	if (s == NULL)
		return cJSON_CreateNull();
	if ((f = report_redact(s, REDACT_SECRETS)) == NULL)
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
findings_json(const struct report *r, const struct rules *rules)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	const struct finding *f;
	const struct rule *ru;
	size_t i;

	for (i = 0; i < r->findings.n; i++) {
		f = &r->findings.item[i];
		ru = rules_get(rules, f->id);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", finding_name(f->id));
		if (ru != NULL) {
			cJSON_AddStringToObject(o, "stage",
			    stage_name(ru->stage));
			cJSON_AddStringToObject(o, "fail",
			    stage_fail_name(ru->fail));
			cJSON_AddStringToObject(o, "severity",
			    severity_name(ru->severity));
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
		cJSON_AddItemToObject(o, "evidence", str_or_null(f->evidence));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

cJSON *
report_to_json(const struct report *r, const struct rules *rules)
{
	cJSON *root, *o, *arr;
	const cJSON *m;
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

	o = cJSON_AddObjectToObject(root, "source");
	cJSON_AddStringToObject(o, "kind", r->kind != NULL ? r->kind :
	    "unknown");
	if (cJSON_IsObject(r->source))
		for (m = r->source->child; m != NULL; m = m->next)
			if (strcmp(m->string, "kind") != 0 &&
			    !secret_key(m->string))
				cJSON_AddItemToObject(o, m->string,
				    report_scrub_json(m, REDACT_SECRETS));

	o = cJSON_AddObjectToObject(root, "device");
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
	    r->firmware : NULL));
	cJSON_AddStringToObject(o, "led_era", led_era_name(r->era));

	cJSON_AddItemToObject(root, "networks", r->networks != NULL ?
	    report_scrub_json(r->networks, REDACT_SECRETS) :
	    cJSON_CreateArray());
	cJSON_AddItemToObject(root, "findings", findings_json(r, rules));
	cJSON_AddNumberToObject(root, "findings_dropped",
	    (double)r->findings.dropped);
	cJSON_AddItemToObject(root, "facts", r->facts != NULL ?
	    report_scrub_json(r->facts, REDACT_SECRETS) :
	    cJSON_CreateObject());

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
	for (i = 0; i < r->verdict.ncauses; i++)
		cJSON_AddItemToArray(arr, rule_json(r->verdict.causes[i]));

	o = cJSON_AddObjectToObject(root, "forum");
	cJSON_AddItemToObject(o, "router", str_or_null(r->forum.router));
	cJSON_AddItemToObject(o, "security", str_or_null(r->forum.security));
	cJSON_AddItemToObject(o, "environment",
	    str_or_null(r->forum.environment));
	cJSON_AddItemToObject(o, "topology", str_or_null(r->forum.topology));
	cJSON_AddItemToObject(o, "isp", str_or_null(r->forum.isp));
	cJSON_AddItemToObject(o, "divergent",
	    str_or_null(r->forum.divergent));
	return root;
}

int
report_write_json(const struct report *r, const struct rules *rules,
    FILE *out)
{
	cJSON *root;
	char *text;
	int rc = 0;

	if ((root = report_to_json(r, rules)) == NULL)
		return -1;
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return -1;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF ||
	    fflush(out) == EOF)
		rc = -1;
	cJSON_free(text);
	return rc;
}
