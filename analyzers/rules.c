/*
 * rules.c - parse and validate the rule data of rules.h from JSON text with
 * cJSON, and answer the questions the analyzers and commands ask of it
 * (which rule explains a finding, which channels a device may use, which
 * internet test its firmware runs).  Every value is checked: unknown keys,
 * duplicate keys, wrong types, unknown names and out-of-range numbers each
 * give one message naming the file and the JSON path, because a rule file
 * that is silently half-read would give users wrong advice.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "rules.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define JPATH_MAX	160

/* The parse context: where we are, for messages. */
struct jctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

static int jfail(struct jctx *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
jfail(struct jctx *c, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err != NULL && c->errlen > 0)
		snprintf(c->err, c->errlen, "%s: %s: %s", c->file, path, msg);
	return -1;
}

/* Paths are for messages: a path too deep to fit is cut short. */
static void
jpath_key(char *dst, const char *parent, const char *key)
{
	if (snprintf(dst, JPATH_MAX, "%s.%s", parent, key) >= JPATH_MAX)
		dst[JPATH_MAX - 1] = '\0';
}

static void
jpath_index(char *dst, const char *parent, int i)
{
	if (snprintf(dst, JPATH_MAX, "%s[%d]", parent, i) >= JPATH_MAX)
		dst[JPATH_MAX - 1] = '\0';
}

static const char *
jtype(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "an invalid value";
}

/*
 * `obj` must be an object whose keys are all in `allowed` (NULL-terminated)
 * and none repeated: cJSON keeps both copies of a repeated key, and we would
 * silently read only the first.
 */
static int
jkeys(struct jctx *c, const cJSON *obj, const char *path,
    const char *const *allowed)
{
	const cJSON *m, *n;
	const char *const *a;
	char p[JPATH_MAX];

	if (!cJSON_IsObject(obj))
		return jfail(c, path, "expected an object, got %s", jtype(obj));
	for (m = obj->child; m != NULL; m = m->next) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, m->string) == 0)
				break;
		jpath_key(p, path, m->string);
		if (*a == NULL)
			return jfail(c, p, "unknown key \"%s\"", m->string);
		for (n = obj->child; n != m; n = n->next)
			if (strcmp(n->string, m->string) == 0)
				return jfail(c, p, "duplicate key \"%s\"",
				    m->string);
	}
	return 0;
}

static const cJSON *
jget(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A required or optional string that must fit dst; *found tells which. */
static int
jstr(struct jctx *c, const cJSON *obj, const char *path, const char *key,
    bool required, char *dst, size_t dstlen, bool *found)
{
	const cJSON *v = jget(obj, key);
	char p[JPATH_MAX];
	size_t n;

	jpath_key(p, path, key);
	if (found != NULL)
		*found = v != NULL;
	if (v == NULL) {
		if (required)
			return jfail(c, p, "missing");
		return 0;
	}
	if (!cJSON_IsString(v))
		return jfail(c, p, "expected a string, got %s", jtype(v));
	n = strlen(v->valuestring);
	if (n == 0)
		return jfail(c, p, "empty string");
	if (n >= dstlen)
		return jfail(c, p, "too long (%zu bytes, at most %zu)", n,
		    dstlen - 1);
	memcpy(dst, v->valuestring, n + 1);
	return 0;
}

static int
jint_value(struct jctx *c, const cJSON *v, const char *p, long min, long max,
    long *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return jfail(c, p, "expected an integer, got %s", jtype(v));
	d = v->valuedouble;
	if (d != (double)(long)d)
		return jfail(c, p, "expected an integer, got %g", d);
	if (d < (double)min || d > (double)max)
		return jfail(c, p, "%ld is out of range %ld..%ld", (long)d,
		    min, max);
	*out = (long)d;
	return 0;
}

static int
jint(struct jctx *c, const cJSON *obj, const char *path, const char *key,
    bool required, long min, long max, long *out)
{
	const cJSON *v = jget(obj, key);
	char p[JPATH_MAX];

	jpath_key(p, path, key);
	if (v == NULL)
		return required ? jfail(c, p, "missing") : 0;
	return jint_value(c, v, p, min, max, out);
}

static int
jbool(struct jctx *c, const cJSON *obj, const char *path, const char *key,
    bool *out)
{
	const cJSON *v = jget(obj, key);
	char p[JPATH_MAX];

	jpath_key(p, path, key);
	if (v == NULL)
		return 0;
	if (!cJSON_IsBool(v))
		return jfail(c, p, "expected true or false, got %s", jtype(v));
	*out = cJSON_IsTrue(v);
	return 0;
}

static int
jarray(struct jctx *c, const cJSON *obj, const char *path, const char *key,
    bool required, const cJSON **out)
{
	const cJSON *v = jget(obj, key);
	char p[JPATH_MAX];

	jpath_key(p, path, key);
	*out = NULL;
	if (v == NULL)
		return required ? jfail(c, p, "missing") : 0;
	if (!cJSON_IsArray(v))
		return jfail(c, p, "expected an array, got %s", jtype(v));
	*out = v;
	return 0;
}

/*
 * A rule's optional list that narrows it (devices, eras): absent is "all",
 * so an empty one is an error.  *out is NULL when absent; base gets the
 * list's path for the items' errors.
 */
static int
jrule_list(struct jctx *c, const cJSON *o, const char *path, const char *key,
    const cJSON **out, char base[JPATH_MAX])
{
	if (jarray(c, o, path, key, false, out) == -1)
		return -1;
	if (*out == NULL)
		return 0;
	jpath_key(base, path, key);
	if (cJSON_GetArraySize(*out) == 0)
		return jfail(c, base, "empty list (leave it out for all)");
	return 0;
}

static int
jversion(struct jctx *c, const cJSON *obj, const char *path, const char *key,
    bool required, struct fw_version *out, bool *found)
{
	char buf[32], p[JPATH_MAX];

	if (jstr(c, obj, path, key, required, buf, sizeof(buf), found) == -1)
		return -1;
	if (found != NULL && !*found)
		return 0;
	jpath_key(p, path, key);
	if (!fw_version_parse(buf, out))
		return jfail(c, p, "bad firmware version \"%s\"", buf);
	return 0;
}

/* "from" (inclusive), "to" (inclusive), "before" (exclusive). */
static int
jrange(struct jctx *c, const cJSON *obj, const char *path,
    struct fw_range *r)
{
	memset(r, 0, sizeof(*r));
	if (jversion(c, obj, path, "from", false, &r->from, &r->has_from) ||
	    jversion(c, obj, path, "to", false, &r->to, &r->has_to) ||
	    jversion(c, obj, path, "before", false, &r->before,
	    &r->has_before))
		return -1;
	if (r->has_to && r->has_before)
		return jfail(c, path, "give \"to\" or \"before\", not both");
	if (r->has_from && r->has_to && fw_version_cmp(&r->from, &r->to) > 0)
		return jfail(c, path, "\"from\" is after \"to\"");
	if (r->has_from && r->has_before &&
	    fw_version_cmp(&r->from, &r->before) >= 0)
		return jfail(c, path, "\"from\" is not before \"before\"");
	return 0;
}

/* Parse text into a cJSON tree, or fail with the line of the error. */
static cJSON *
jparse(struct jctx *c, const char *json, size_t len)
{
	const char *end = NULL, *q;
	cJSON *root;
	int line = 1;

	if (json == NULL || len == 0) {
		jfail(c, "$", "empty file");
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	if (root == NULL) {
		if (end == NULL || end < json || end > json + len)
			end = json;
		for (q = json; q < end; q++)
			if (*q == '\n')
				line++;
		jfail(c, "$", "not valid JSON (line %d)", line);
		return NULL;
	}
	/* Trailing garbage after the document is an error too. */
	for (q = end; q != NULL && q < json + len; q++) {
		if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' &&
		    *q != '\0') {
			for (end = json; end < q; end++)
				if (*end == '\n')
					line++;
			cJSON_Delete(root);
			jfail(c, "$", "text after the JSON document (line %d)",
			    line);
			return NULL;
		}
	}
	return root;
}

/* --- names ------------------------------------------------------------- */

static const char *const severity_names[SEVERITY_COUNT] = {
	"info", "warning", "error",
};
static const char *const band_names[BAND_COUNT] = { "2.4", "5", "6" };
static const char *const phy_names[PHY_COUNT] = {
	"b", "g", "n", "a", "ac", "ax",
};
static const char *const sec_names[SEC_COUNT] = {
	"open", "wep", "wpa", "wpa2", "wpa3", "wpa-enterprise",
	"wpa2-enterprise", "wpa3-enterprise",
};
static const char *const test_kind_names[INTERNET_TEST_COUNT] = {
	"tcp", "ntp",
};

static const char *
name_at(const char *const *names, size_t n, unsigned i)
{
	return i < n ? names[i] : "unknown";
}

static bool
name_index(const char *const *names, size_t n, const char *name, unsigned *i)
{
	if (name == NULL)
		return false;
	for (*i = 0; *i < n; (*i)++)
		if (strcmp(names[*i], name) == 0)
			return true;
	return false;
}

const char *
severity_name(enum severity s)
{
	return name_at(severity_names, NELEM(severity_names), (unsigned)s);
}

bool
severity_from_name(const char *name, enum severity *out)
{
	unsigned i;

	if (!name_index(severity_names, NELEM(severity_names), name, &i))
		return false;
	*out = (enum severity)i;
	return true;
}

const char *
band_name(enum band b)
{
	return name_at(band_names, NELEM(band_names), (unsigned)b);
}

bool
band_from_name(const char *name, enum band *out)
{
	unsigned i;

	if (!name_index(band_names, NELEM(band_names), name, &i))
		return false;
	*out = (enum band)i;
	return true;
}

const char *
phy_name(enum phy m)
{
	return name_at(phy_names, NELEM(phy_names), (unsigned)m);
}

bool
phy_from_name(const char *name, enum phy *out)
{
	unsigned i;

	if (!name_index(phy_names, NELEM(phy_names), name, &i))
		return false;
	*out = (enum phy)i;
	return true;
}

const char *
sec_class_name(enum sec_class s)
{
	return name_at(sec_names, NELEM(sec_names), (unsigned)s);
}

bool
sec_class_from_name(const char *name, enum sec_class *out)
{
	unsigned i;

	if (!name_index(sec_names, NELEM(sec_names), name, &i))
		return false;
	*out = (enum sec_class)i;
	return true;
}

const char *
internet_test_kind_name(enum internet_test_kind k)
{
	return name_at(test_kind_names, NELEM(test_kind_names), (unsigned)k);
}

/* --- findings.json ----------------------------------------------------- */

void
rules_init(struct rules *r)
{
	memset(r, 0, sizeof(*r));
}

/* Does any era show `stage` failing with `fail`? */
static bool
fail_possible(enum stage s, enum stage_fail f)
{
	unsigned e;

	for (e = 0; e < LED_ERA_COUNT; e++)
		if (stage_lookup(s, f, (enum led_era)e) != NULL)
			return true;
	return false;
}

static int
parse_devices(struct jctx *c, const cJSON *o, const char *path,
    struct rule *ru)
{
	const cJSON *arr, *v;
	char p[JPATH_MAX], base[JPATH_MAX];
	int i = 0;
	size_t k;

	if (jrule_list(c, o, path, "devices", &arr, base) == -1)
		return -1;
	if (arr == NULL)
		return 0;
	cJSON_ArrayForEach(v, arr) {
		jpath_index(p, base, i++);
		if (!cJSON_IsString(v))
			return jfail(c, p, "expected a string, got %s",
			    jtype(v));
		if (ru->ndevices == RULE_DEVICES_MAX)
			return jfail(c, p, "more than %d devices",
			    RULE_DEVICES_MAX);
		if (strlen(v->valuestring) == 0 ||
		    strlen(v->valuestring) >= sizeof(ru->devices[0]))
			return jfail(c, p, "bad device name \"%s\"",
			    v->valuestring);
		for (k = 0; k < ru->ndevices; k++)
			if (strcmp(ru->devices[k], v->valuestring) == 0)
				return jfail(c, p, "duplicate device \"%s\"",
				    v->valuestring);
		snprintf(ru->devices[ru->ndevices++], sizeof(ru->devices[0]),
		    "%s", v->valuestring);
	}
	return 0;
}

/* "eras": the LED eras a rule can happen in, e.g. ["device-os"]. */
static int
parse_rule_eras(struct jctx *c, const cJSON *o, const char *path,
    struct rule *ru)
{
	const cJSON *arr, *v;
	char p[JPATH_MAX], base[JPATH_MAX];
	enum led_era e;
	int i = 0;

	if (jrule_list(c, o, path, "eras", &arr, base) == -1)
		return -1;
	if (arr == NULL)
		return 0;
	cJSON_ArrayForEach(v, arr) {
		jpath_index(p, base, i++);
		if (!cJSON_IsString(v))
			return jfail(c, p, "expected a string, got %s",
			    jtype(v));
		if (!led_era_from_name(v->valuestring, &e))
			return jfail(c, p, "unknown LED era \"%s\" (core-2014 "
			    "or device-os)", v->valuestring);
		if (ru->eras & LED_ERA_BIT(e))
			return jfail(c, p, "duplicate LED era \"%s\"",
			    v->valuestring);
		ru->eras |= LED_ERA_BIT(e);
	}
	return 0;
}

static int
parse_rule(struct jctx *c, struct rules *r, const cJSON *o, const char *path)
{
	static const char *const keys[] = {
		"id", "stage", "fail", "severity", "rank", "led_only",
		"summary", "advice", "seed", "devices", "eras", NULL
	};
	struct rule ru, *slot;
	char buf[32], p[JPATH_MAX];
	enum finding_id fid = FINDING_COUNT;
	bool known;
	long rank = RANK_DEFAULT;

	memset(&ru, 0, sizeof(ru));
	if (jkeys(c, o, path, keys) == -1 ||
	    jstr(c, o, path, "id", true, ru.id, sizeof(ru.id), NULL) == -1 ||
	    jbool(c, o, path, "led_only", &ru.led_only) == -1)
		return -1;

	jpath_key(p, path, "id");
	known = finding_from_name(ru.id, &fid);
	if (ru.led_only) {
		if (known)
			return jfail(c, p, "\"%s\" is a finding the code "
			    "emits; it cannot be led_only", ru.id);
		if (strncmp(ru.id, "led.", 4) != 0)
			return jfail(c, p, "LED-only rule ids start with "
			    "\"led.\", got \"%s\"", ru.id);
	} else if (!known)
		return jfail(c, p, "unknown finding \"%s\" (not in "
		    "analyzers/finding.h; mark LED-only rules \"led_only\")",
		    ru.id);
	ru.finding = fid;

	if (jstr(c, o, path, "stage", true, buf, sizeof(buf), NULL) == -1)
		return -1;
	jpath_key(p, path, "stage");
	if (!stage_from_name(buf, &ru.stage))
		return jfail(c, p, "unknown stage \"%s\"", buf);

	if (jstr(c, o, path, "fail", true, buf, sizeof(buf), NULL) == -1)
		return -1;
	jpath_key(p, path, "fail");
	if (!stage_fail_from_name(buf, &ru.fail))
		return jfail(c, p, "unknown failure code \"%s\"", buf);
	if (ru.fail != STAGE_FAIL_NONE && !fail_possible(ru.stage, ru.fail))
		return jfail(c, p, "stage \"%s\" cannot fail with \"%s\"",
		    stage_name(ru.stage), buf);

	if (jstr(c, o, path, "severity", true, buf, sizeof(buf), NULL) == -1)
		return -1;
	jpath_key(p, path, "severity");
	if (!severity_from_name(buf, &ru.severity))
		return jfail(c, p, "unknown severity \"%s\" (info, warning "
		    "or error)", buf);
	if (ru.severity == SEVERITY_ERROR && ru.fail == STAGE_FAIL_NONE)
		return jfail(c, p, "an error must say how its stage fails "
		    "(\"fail\" is \"none\")");

	if (jint(c, o, path, "rank", false, 0, 1000, &rank) == -1)
		return -1;
	ru.rank = (int)rank;
	if (jstr(c, o, path, "summary", true, ru.summary, sizeof(ru.summary),
	    NULL) == -1 ||
	    jstr(c, o, path, "advice", true, ru.advice, sizeof(ru.advice),
	    NULL) == -1 ||
	    jstr(c, o, path, "seed", true, ru.seed, sizeof(ru.seed),
	    NULL) == -1 ||
	    parse_devices(c, o, path, &ru) == -1 ||
	    parse_rule_eras(c, o, path, &ru) == -1)
		return -1;

	jpath_key(p, path, "id");
	if (rules_find(r, ru.id) != NULL)
		return jfail(c, p, "duplicate rule \"%s\"", ru.id);
	if (ru.led_only) {
		if (r->nled == RULES_LED_MAX)
			return jfail(c, p, "more than %d LED-only rules",
			    RULES_LED_MAX);
		slot = &r->led[r->nled++];
	} else
		slot = &r->finding[fid];
	ru.present = true;
	*slot = ru;
	return 0;
}

int
rules_parse_findings(struct rules *r, const char *json, size_t len,
    const char *file, char *err, size_t errlen)
{
	static const char *const keys[] = { "schema", "findings", NULL };
	struct jctx c = { file, err, errlen };
	const cJSON *arr, *o;
	char schema[40], p[JPATH_MAX];
	cJSON *root;
	int i = 0, rc = -1;

	if (r->have_findings)
		return jfail(&c, "$", "findings parsed twice");
	if ((root = jparse(&c, json, len)) == NULL)
		return -1;
	if (jkeys(&c, root, "$", keys) == -1 ||
	    jstr(&c, root, "$", "schema", true, schema, sizeof(schema),
	    NULL) == -1)
		goto done;
	if (strcmp(schema, "cyanprobe-findings/1") != 0) {
		jfail(&c, "$.schema", "expected \"cyanprobe-findings/1\", "
		    "got \"%s\"", schema);
		goto done;
	}
	if (jarray(&c, root, "$", "findings", true, &arr) == -1)
		goto done;
	cJSON_ArrayForEach(o, arr) {
		jpath_index(p, "$.findings", i++);
		if (parse_rule(&c, r, o, p) == -1)
			goto done;
	}
	r->have_findings = true;
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}

/* --- devices/NAME.json ------------------------------------------------- */

static int
parse_name_list(struct jctx *c, const cJSON *o, const char *path,
    const char *key, const char *const *names, size_t nnames, uint8_t *bits)
{
	const cJSON *arr, *v;
	char base[JPATH_MAX], p[JPATH_MAX];
	unsigned k;
	int i = 0;

	if (jarray(c, o, path, key, true, &arr) == -1)
		return -1;
	jpath_key(base, path, key);
	if (cJSON_GetArraySize(arr) == 0)
		return jfail(c, base, "empty list");
	*bits = 0;
	cJSON_ArrayForEach(v, arr) {
		jpath_index(p, base, i++);
		if (!cJSON_IsString(v))
			return jfail(c, p, "expected a string, got %s",
			    jtype(v));
		if (!name_index(names, nnames, v->valuestring, &k))
			return jfail(c, p, "unknown %s \"%s\"", key,
			    v->valuestring);
		if (*bits & (1u << k))
			return jfail(c, p, "duplicate \"%s\"", v->valuestring);
		*bits |= (uint8_t)(1u << k);
	}
	return 0;
}

static bool
country_code_ok(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' &&
	    s[1] >= 'A' && s[1] <= 'Z';
}

static int
parse_channels(struct jctx *c, const cJSON *radio, const char *path,
    struct profile_radio *rad)
{
	static const char *const keys[] = {
		"max", "countries", "unset_country", "other_max", NULL
	};
	const cJSON *o = jget(radio, "channels"), *m, *cl;
	char base[JPATH_MAX], p[JPATH_MAX], cbase[JPATH_MAX];
	long v = 0;
	size_t i;

	jpath_key(base, path, "channels");
	if (o == NULL)
		return jfail(c, base, "missing");
	if (jkeys(c, o, base, keys) == -1 ||
	    jint(c, o, base, "max", false, 1, 14, &v) == -1)
		return -1;
	rad->max_channel = (uint8_t)v;
	cl = jget(o, "countries");
	if ((v != 0) == (cl != NULL))
		return jfail(c, base, "give either \"max\" or \"countries\"");
	if (cl == NULL)
		return 0;
	jpath_key(cbase, base, "countries");
	if (!cJSON_IsObject(cl) || cl->child == NULL)
		return jfail(c, cbase, "expected a non-empty object of "
		    "country: max channel");
	for (m = cl->child; m != NULL; m = m->next) {
		jpath_key(p, cbase, m->string);
		if (!country_code_ok(m->string))
			return jfail(c, p, "bad country code \"%s\"",
			    m->string);
		for (i = 0; i < rad->ncountries; i++)
			if (strcmp(rad->country[i].code, m->string) == 0)
				return jfail(c, p, "duplicate key \"%s\"",
				    m->string);
		if (rad->ncountries == PROFILE_COUNTRIES_MAX)
			return jfail(c, p, "more than %d countries",
			    PROFILE_COUNTRIES_MAX);
		if (jint_value(c, m, p, 1, 14, &v) == -1)
			return -1;
		snprintf(rad->country[rad->ncountries].code, 4, "%s",
		    m->string);
		rad->country[rad->ncountries++].max = (uint8_t)v;
	}
	if (jstr(c, o, base, "unset_country", true, rad->unset_country,
	    sizeof(rad->unset_country), NULL) == -1)
		return -1;
	jpath_key(p, base, "unset_country");
	for (i = 0; i < rad->ncountries; i++)
		if (strcmp(rad->country[i].code, rad->unset_country) == 0)
			break;
	if (i == rad->ncountries)
		return jfail(c, p, "\"%s\" is not in \"countries\"",
		    rad->unset_country);
	v = 0;
	if (jint(c, o, base, "other_max", true, 1, 14, &v) == -1)
		return -1;
	rad->other_max = (uint8_t)v;
	return 0;
}

static int
parse_radio(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"bands", "phy", "widths", "channels", NULL
	};
	const cJSON *o = jget(root, "radio"), *arr, *v;
	struct profile_radio *rad = &pr->radio;
	char p[JPATH_MAX];
	long w;
	int i = 0;
	size_t k;

	if (o == NULL)
		return jfail(c, "$.radio", "missing");
	if (jkeys(c, o, "$.radio", keys) == -1 ||
	    parse_name_list(c, o, "$.radio", "bands", band_names,
	    NELEM(band_names), &rad->bands) == -1 ||
	    parse_name_list(c, o, "$.radio", "phy", phy_names,
	    NELEM(phy_names), &rad->phys) == -1 ||
	    jarray(c, o, "$.radio", "widths", true, &arr) == -1)
		return -1;
	if (cJSON_GetArraySize(arr) == 0)
		return jfail(c, "$.radio.widths", "empty list");
	cJSON_ArrayForEach(v, arr) {
		jpath_index(p, "$.radio.widths", i++);
		if (rad->nwidths == PROFILE_WIDTHS_MAX)
			return jfail(c, p, "more than %d widths",
			    PROFILE_WIDTHS_MAX);
		if (jint_value(c, v, p, 20, 320, &w) == -1)
			return -1;
		if (w != 20 && w != 40 && w != 80 && w != 160 && w != 320)
			return jfail(c, p, "%ld MHz is not a channel width", w);
		for (k = 0; k < rad->nwidths; k++)
			if (rad->widths[k] == w)
				return jfail(c, p, "duplicate width %ld", w);
		rad->widths[rad->nwidths++] = (uint16_t)w;
	}
	return parse_channels(c, o, "$.radio", rad);
}

static int
parse_security(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"class", "from", "to", "before", NULL
	};
	const cJSON *arr, *o;
	char p[JPATH_MAX], kp[JPATH_MAX], buf[32];
	enum sec_class s;
	int i = 0;

	if (jarray(c, root, "$", "security", true, &arr) == -1)
		return -1;
	cJSON_ArrayForEach(o, arr) {
		jpath_index(p, "$.security", i++);
		if (jkeys(c, o, p, keys) == -1 ||
		    jstr(c, o, p, "class", true, buf, sizeof(buf), NULL) == -1)
			return -1;
		if (!sec_class_from_name(buf, &s)) {
			jpath_key(kp, p, "class");
			return jfail(c, kp, "unknown security class \"%s\"",
			    buf);
		}
		if (pr->security[s].supported)
			return jfail(c, p, "duplicate class \"%s\"", buf);
		pr->security[s].supported = true;
		if (jrange(c, o, p, &pr->security[s].range) == -1)
			return -1;
	}
	return 0;
}

static int
parse_defects(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"id", "from", "to", "before", "summary", "source", NULL
	};
	const cJSON *arr, *o;
	struct profile_defect *d;
	char p[JPATH_MAX], kp[JPATH_MAX];
	int i = 0;
	size_t k;

	if (jarray(c, root, "$", "defects", false, &arr) == -1)
		return -1;
	if (arr == NULL)
		return 0;
	cJSON_ArrayForEach(o, arr) {
		jpath_index(p, "$.defects", i++);
		if (pr->ndefects == PROFILE_DEFECTS_MAX)
			return jfail(c, p, "more than %d defects",
			    PROFILE_DEFECTS_MAX);
		d = &pr->defect[pr->ndefects];
		if (jkeys(c, o, p, keys) == -1 ||
		    jstr(c, o, p, "id", true, d->id, sizeof(d->id),
		    NULL) == -1 ||
		    jrange(c, o, p, &d->range) == -1 ||
		    jstr(c, o, p, "summary", true, d->summary,
		    sizeof(d->summary), NULL) == -1 ||
		    jstr(c, o, p, "source", true, d->source,
		    sizeof(d->source), NULL) == -1)
			return -1;
		for (k = 0; k < pr->ndefects; k++)
			if (strcmp(pr->defect[k].id, d->id) == 0) {
				jpath_key(kp, p, "id");
				return jfail(c, kp, "duplicate defect \"%s\"",
				    d->id);
			}
		pr->ndefects++;
	}
	return 0;
}

/* Two ranges overlap unless one ends before the other starts. */
static bool
ranges_overlap(const struct fw_range *a, const struct fw_range *b)
{
	/* Probe each range's lowest version against the other. */
	if (a->has_from && fw_range_contains(b, &a->from))
		return true;
	if (b->has_from && fw_range_contains(a, &b->from))
		return true;
	if (!a->has_from && !b->has_from)
		return true;
	return false;
}

static int
parse_tests(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"kind", "host", "port", "timeout_ms", "from", "to", "before",
		NULL
	};
	const cJSON *arr, *o;
	struct internet_test *t;
	char p[JPATH_MAX], kp[JPATH_MAX], buf[16];
	unsigned k;
	long v;
	int i = 0;
	size_t j;

	if (jarray(c, root, "$", "internet_tests", true, &arr) == -1)
		return -1;
	cJSON_ArrayForEach(o, arr) {
		jpath_index(p, "$.internet_tests", i++);
		if (pr->ntests == PROFILE_TESTS_MAX)
			return jfail(c, p, "more than %d tests",
			    PROFILE_TESTS_MAX);
		t = &pr->test[pr->ntests];
		if (jkeys(c, o, p, keys) == -1 ||
		    jstr(c, o, p, "kind", true, buf, sizeof(buf), NULL) == -1)
			return -1;
		jpath_key(kp, p, "kind");
		if (!name_index(test_kind_names, NELEM(test_kind_names), buf,
		    &k))
			return jfail(c, kp, "unknown test kind \"%s\" (tcp or "
			    "ntp)", buf);
		t->kind = (enum internet_test_kind)k;
		if (jstr(c, o, p, "host", true, t->host, sizeof(t->host),
		    NULL) == -1 ||
		    jint(c, o, p, "port", true, 1, 65535, &v) == -1)
			return -1;
		t->port = (uint16_t)v;
		if (jint(c, o, p, "timeout_ms", true, 1, 600000, &v) == -1 ||
		    jrange(c, o, p, &t->range) == -1)
			return -1;
		t->timeout_ms = (unsigned)v;
		for (j = 0; j < pr->ntests; j++)
			if (ranges_overlap(&pr->test[j].range, &t->range))
				return jfail(c, p, "firmware range overlaps "
				    "$.internet_tests[%zu]", j);
		pr->ntests++;
	}
	return 0;
}

static int
parse_keepalives(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"interval_ms", "timeout_ms", "source", "from", "to", "before",
		NULL
	};
	const cJSON *arr, *o;
	struct profile_keepalive *k;
	char p[JPATH_MAX];
	long v;
	int i = 0;
	size_t j;

	if (jarray(c, root, "$", "keepalives", false, &arr) == -1)
		return -1;
	cJSON_ArrayForEach(o, arr) {
		jpath_index(p, "$.keepalives", i++);
		if (pr->nkeepalives == PROFILE_TESTS_MAX)
			return jfail(c, p, "more than %d keep-alives",
			    PROFILE_TESTS_MAX);
		k = &pr->keepalive[pr->nkeepalives];
		if (jkeys(c, o, p, keys) == -1 ||
		    jint(c, o, p, "interval_ms", true, 1, 86400000, &v) == -1)
			return -1;
		k->interval_ms = (unsigned)v;
		if (jint(c, o, p, "timeout_ms", true, 1, 600000, &v) == -1 ||
		    jstr(c, o, p, "source", true, k->source,
		    sizeof(k->source), NULL) == -1 ||
		    jrange(c, o, p, &k->range) == -1)
			return -1;
		k->timeout_ms = (unsigned)v;
		for (j = 0; j < pr->nkeepalives; j++)
			if (ranges_overlap(&pr->keepalive[j].range, &k->range))
				return jfail(c, p, "firmware range overlaps "
				    "$.keepalives[%zu]", j);
		pr->nkeepalives++;
	}
	return 0;
}

static int
parse_cloud(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"host", "port", "transport", "fallback_ip",
		"resolve_attempts", "connect_timeout_ms", NULL
	};
	const cJSON *o = jget(root, "cloud");
	struct profile_cloud *cl = &pr->cloud;
	long v;

	if (o == NULL)
		return jfail(c, "$.cloud", "missing");
	if (jkeys(c, o, "$.cloud", keys) == -1 ||
	    jstr(c, o, "$.cloud", "host", true, cl->host, sizeof(cl->host),
	    NULL) == -1 ||
	    jint(c, o, "$.cloud", "port", true, 1, 65535, &v) == -1)
		return -1;
	cl->port = (uint16_t)v;
	if (jstr(c, o, "$.cloud", "transport", true, cl->transport,
	    sizeof(cl->transport), NULL) == -1)
		return -1;
	if (strcmp(cl->transport, "tcp") != 0 &&
	    strcmp(cl->transport, "udp") != 0)
		return jfail(c, "$.cloud.transport", "unknown transport "
		    "\"%s\" (tcp or udp)", cl->transport);
	if (jstr(c, o, "$.cloud", "fallback_ip", false, cl->fallback_ip,
	    sizeof(cl->fallback_ip), NULL) == -1)
		return -1;
	v = 1;
	if (jint(c, o, "$.cloud", "resolve_attempts", false, 1, 100,
	    &v) == -1)
		return -1;
	cl->resolve_attempts = (unsigned)v;
	v = 8000;
	if (jint(c, o, "$.cloud", "connect_timeout_ms", false, 1, 600000,
	    &v) == -1)
		return -1;
	cl->connect_timeout_ms = (unsigned)v;
	return 0;
}

static int
parse_eras(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"era", "from", "to", "before", NULL
	};
	const cJSON *arr, *o;
	struct profile_era *e;
	char p[JPATH_MAX], kp[JPATH_MAX], buf[24];
	int i = 0;
	size_t j;

	if (jarray(c, root, "$", "led_eras", true, &arr) == -1)
		return -1;
	if (cJSON_GetArraySize(arr) == 0)
		return jfail(c, "$.led_eras", "empty list");
	cJSON_ArrayForEach(o, arr) {
		jpath_index(p, "$.led_eras", i++);
		if (pr->neras == PROFILE_ERAS_MAX)
			return jfail(c, p, "more than %d eras",
			    PROFILE_ERAS_MAX);
		e = &pr->era[pr->neras];
		if (jkeys(c, o, p, keys) == -1 ||
		    jstr(c, o, p, "era", true, buf, sizeof(buf), NULL) == -1)
			return -1;
		if (!led_era_from_name(buf, &e->era)) {
			jpath_key(kp, p, "era");
			return jfail(c, kp, "unknown LED era \"%s\" (core-2014 "
			    "or device-os)", buf);
		}
		if (jrange(c, o, p, &e->range) == -1)
			return -1;
		for (j = 0; j < pr->neras; j++)
			if (ranges_overlap(&pr->era[j].range, &e->range))
				return jfail(c, p, "firmware range overlaps "
				    "$.led_eras[%zu]", j);
		pr->neras++;
	}
	return 0;
}

static int
parse_firmware(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = {
		"default", "from", "to", "before", NULL
	};
	const cJSON *o = jget(root, "firmware");

	if (o == NULL)
		return jfail(c, "$.firmware", "missing");
	if (jkeys(c, o, "$.firmware", keys) == -1 ||
	    jstr(c, o, "$.firmware", "default", true, pr->fw_default_str,
	    sizeof(pr->fw_default_str), NULL) == -1)
		return -1;
	if (!fw_version_parse(pr->fw_default_str, &pr->fw_default))
		return jfail(c, "$.firmware.default", "bad firmware version "
		    "\"%s\"", pr->fw_default_str);
	if (jrange(c, o, "$.firmware", &pr->fw_known) == -1)
		return -1;
	if (!fw_range_contains(&pr->fw_known, &pr->fw_default))
		return jfail(c, "$.firmware.default", "\"%s\" is outside the "
		    "profile's firmware range", pr->fw_default_str);
	return 0;
}

static int
parse_usb(struct jctx *c, const cJSON *root, struct profile *pr)
{
	static const char *const keys[] = { "cdc", "dfu", NULL };
	const cJSON *o = jget(root, "usb");

	if (o == NULL)
		return 0;
	return jkeys(c, o, "$.usb", keys) == -1 ||
	    jstr(c, o, "$.usb", "cdc", true, pr->usb_cdc, sizeof(pr->usb_cdc),
	    NULL) == -1 ||
	    jstr(c, o, "$.usb", "dfu", true, pr->usb_dfu, sizeof(pr->usb_dfu),
	    NULL) == -1 ? -1 : 0;
}

int
rules_parse_profile(struct rules *r, const char *json, size_t len,
    const char *file, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"schema", "name", "title", "platform_id", "firmware", "radio",
		"security", "defects", "internet_tests", "cloud", "keepalives",
		"led_eras", "usb", NULL
	};
	struct jctx c = { file, err, errlen };
	struct profile *pr;
	char schema[40];
	cJSON *root;
	long v;
	int rc = -1;

	if (r->nprofiles == PROFILES_MAX)
		return jfail(&c, "$", "more than %d device profiles",
		    PROFILES_MAX);
	if ((root = jparse(&c, json, len)) == NULL)
		return -1;
	pr = &r->profile[r->nprofiles];
	memset(pr, 0, sizeof(*pr));
	if (jkeys(&c, root, "$", keys) == -1 ||
	    jstr(&c, root, "$", "schema", true, schema, sizeof(schema),
	    NULL) == -1)
		goto done;
	if (strcmp(schema, "cyanprobe-device/1") != 0) {
		jfail(&c, "$.schema", "expected \"cyanprobe-device/1\", got "
		    "\"%s\"", schema);
		goto done;
	}
	if (jstr(&c, root, "$", "name", true, pr->name, sizeof(pr->name),
	    NULL) == -1 ||
	    jstr(&c, root, "$", "title", true, pr->title, sizeof(pr->title),
	    NULL) == -1 ||
	    jint(&c, root, "$", "platform_id", true, 0, 65535, &v) == -1)
		goto done;
	if (rules_profile(r, pr->name) != NULL) {
		jfail(&c, "$.name", "duplicate profile \"%s\"", pr->name);
		goto done;
	}
	pr->platform_id = (unsigned)v;
	pr->is_core = pr->platform_id == 0;
	if (parse_firmware(&c, root, pr) == -1 ||
	    parse_radio(&c, root, pr) == -1 ||
	    parse_security(&c, root, pr) == -1 ||
	    parse_defects(&c, root, pr) == -1 ||
	    parse_tests(&c, root, pr) == -1 ||
	    parse_cloud(&c, root, pr) == -1 ||
	    parse_keepalives(&c, root, pr) == -1 ||
	    parse_eras(&c, root, pr) == -1 ||
	    parse_usb(&c, root, pr) == -1)
		goto done;
	r->nprofiles++;
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}

int
rules_check(const struct rules *r, const char *file, char *err,
    size_t errlen)
{
	struct jctx c = { file, err, errlen };
	const struct rule *ru;
	size_t i, k;

	if (!r->have_findings)
		return jfail(&c, "$", "no findings were loaded");
	if (r->nprofiles == 0)
		return jfail(&c, "$", "no device profiles were loaded");
	for (i = 0; i < rules_count(r); i++) {
		ru = rules_at(r, i);
		for (k = 0; k < ru->ndevices; k++)
			if (rules_profile(r, ru->devices[k]) == NULL) {
				char p[JPATH_MAX];

				snprintf(p, sizeof(p), "rule \"%s\".devices",
				    ru->id);
				return jfail(&c, p, "no device profile "
				    "\"%s\"", ru->devices[k]);
			}
	}
	return 0;
}

/* --- queries ----------------------------------------------------------- */

const struct rule *
rules_get(const struct rules *r, enum finding_id id)
{
	if ((unsigned)id >= FINDING_COUNT || !r->finding[id].present)
		return NULL;
	return &r->finding[id];
}

size_t
rules_count(const struct rules *r)
{
	size_t i, n = r->nled;

	for (i = 0; i < FINDING_COUNT; i++)
		if (r->finding[i].present)
			n++;
	return n;
}

const struct rule *
rules_at(const struct rules *r, size_t i)
{
	size_t k;

	for (k = 0; k < FINDING_COUNT; k++) {
		if (!r->finding[k].present)
			continue;
		if (i-- == 0)
			return &r->finding[k];
	}
	return i < r->nled ? &r->led[i] : NULL;
}

const struct rule *
rules_find(const struct rules *r, const char *id)
{
	enum finding_id fid;
	size_t i;

	if (finding_from_name(id, &fid))
		return rules_get(r, fid);
	for (i = 0; i < r->nled; i++)
		if (strcmp(r->led[i].id, id) == 0)
			return &r->led[i];
	return NULL;
}

bool
rule_applies(const struct rule *ru, const struct profile *p)
{
	size_t i;

	if (ru->ndevices == 0 || p == NULL)
		return true;
	for (i = 0; i < ru->ndevices; i++)
		if (strcmp(ru->devices[i], p->name) == 0)
			return true;
	return false;
}

bool
rule_fails(const struct rule *ru)
{
	if (ru == NULL || ru->severity != SEVERITY_ERROR ||
	    ru->stage > STAGE_CONNECTED)
		return false;
	/* At "connected" an error needs no failure code: the session fails. */
	return ru->fail != STAGE_FAIL_NONE || ru->stage == STAGE_CONNECTED;
}

size_t
rules_causes(const struct rules *r, enum stage stage, enum stage_fail fail,
    const struct profile *p, enum led_era era, const struct rule **out,
    size_t max)
{
	const struct rule *ru, *tmp;
	size_t i, j, n = 0, total = 0;

	for (i = 0; i < rules_count(r); i++) {
		ru = rules_at(r, i);
		if (ru->stage != stage || ru->fail != fail ||
		    !rule_applies(ru, p) || (era < LED_ERA_COUNT &&
		    ru->eras != 0 && (ru->eras & LED_ERA_BIT(era)) == 0))
			continue;
		total++;
		if (n < max)
			out[n++] = ru;
	}
	/* Insertion sort by rank: stable, and n is small. */
	for (i = 1; i < n; i++) {
		tmp = out[i];
		for (j = i; j > 0 && out[j - 1]->rank > tmp->rank; j--)
			out[j] = out[j - 1];
		out[j] = tmp;
	}
	return total;
}

const struct profile *
rules_profile(const struct rules *r, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < r->nprofiles; i++)
		if (strcmp(r->profile[i].name, name) == 0)
			return &r->profile[i];
	return NULL;
}

bool
fw_range_contains(const struct fw_range *r, const struct fw_version *v)
{
	if (r->has_from && fw_version_cmp(v, &r->from) < 0)
		return false;
	if (r->has_to && fw_version_cmp(v, &r->to) > 0)
		return false;
	if (r->has_before && fw_version_cmp(v, &r->before) >= 0)
		return false;
	return true;
}

enum led_era
profile_era(const struct profile *p, const struct fw_version *v)
{
	size_t i;

	for (i = 0; i < p->neras; i++)
		if (fw_range_contains(&p->era[i].range, v))
			return p->era[i].era;
	return led_era_for(p->is_core, v);
}

bool
profile_knows_firmware(const struct profile *p, const struct fw_version *v)
{
	return fw_range_contains(&p->fw_known, v);
}

const struct profile_defect *
profile_defect_info(const struct profile *p, const char *defect_id)
{
	size_t i;

	for (i = 0; i < p->ndefects; i++)
		if (strcmp(p->defect[i].id, defect_id) == 0)
			return &p->defect[i];
	return NULL;
}

bool
profile_defect(const struct profile *p, const char *defect_id,
    const struct fw_version *v)
{
	const struct profile_defect *d = profile_defect_info(p, defect_id);

	return d != NULL && fw_range_contains(&d->range, v);
}

const struct internet_test *
profile_internet_test(const struct profile *p, const struct fw_version *v)
{
	size_t i;

	for (i = 0; i < p->ntests; i++)
		if (fw_range_contains(&p->test[i].range, v))
			return &p->test[i];
	return NULL;
}

const struct profile_keepalive *
profile_keepalive(const struct profile *p, const struct fw_version *v)
{
	size_t i;

	for (i = 0; i < p->nkeepalives; i++)
		if (fw_range_contains(&p->keepalive[i].range, v))
			return &p->keepalive[i];
	return NULL;
}

bool
profile_band_supported(const struct profile *p, enum band b)
{
	return (unsigned)b < BAND_COUNT && (p->radio.bands & (1u << b)) != 0;
}

bool
profile_phy_supported(const struct profile *p, enum phy m)
{
	return (unsigned)m < PHY_COUNT && (p->radio.phys & (1u << m)) != 0;
}

bool
profile_width_supported(const struct profile *p, unsigned mhz)
{
	size_t i;

	for (i = 0; i < p->radio.nwidths; i++)
		if (p->radio.widths[i] == mhz)
			return true;
	return false;
}

unsigned
profile_max_channel(const struct profile *p, const char *country)
{
	const struct profile_radio *rad = &p->radio;
	size_t i;

	if (rad->max_channel != 0)
		return rad->max_channel;
	if (country == NULL || *country == '\0')
		country = rad->unset_country;
	for (i = 0; i < rad->ncountries; i++)
		if (strcmp(rad->country[i].code, country) == 0)
			return rad->country[i].max;
	return rad->other_max;
}

bool
profile_channel_allowed(const struct profile *p, unsigned channel,
    const char *country)
{
	return channel >= 1 && channel <= 14 &&
	    channel <= profile_max_channel(p, country);
}

bool
profile_security_supported(const struct profile *p, enum sec_class s,
    const struct fw_version *v)
{
	if ((unsigned)s >= SEC_COUNT || !p->security[s].supported)
		return false;
	return fw_range_contains(&p->security[s].range, v);
}
