/*
 * qa_plan.c - read a QA plan (qa_plan.h) and validate it strictly: an
 * unknown key, a wrong type, a missing field, a duplicate id, a station or
 * test that does not exist, a device or firmware the rules do not know, or
 * a credential written as a value is an error naming the file, the JSON
 * path and the reason, as rules/ errors do.  The plan's cells (router x
 * firmware x configuration) are laid out here, in plan order.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <openssl/evp.h>

#include "cli.h"
#include "mac.h"
#include "qa_plan.h"
#include "qa_tests.h"
#include "qa_yaml.h"
#include "rules.h"

/* The validator's state: where it is, and where the message goes. */
struct qa_pv {
	const char		*file;
	char			*err;
	size_t			 errlen;
	const struct rules	*rules;
};

/* A router's tests are the bits of an unsigned (qa_plan.h). */
_Static_assert(QA_TESTS_MAX < 32, "QA_TESTS_MAX must fit an unsigned");

/* NULL-terminated: qa_pv_keys() reads it as the hooks' known keys. */
static const char *const qa_hook_names[QA_HOOK_COUNT + 1] = {
	"reserve", "power_cycle", "release", "wan_down", "wan_up",
	"wan_renumber", NULL
};

const char *
qa_hook_name(enum qa_hook h)
{
	return (unsigned)h < QA_HOOK_COUNT ? qa_hook_names[h] : "unknown";
}

static int
qa_pv_fail(struct qa_pv *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
qa_pv_fail(struct qa_pv *v, const char *path, const char *fmt, ...)
{
	char why[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(v->err, v->errlen, "%s: %s: %s", v->file, path, why);
	return -1;
}

/* A JSON path into buf: vsnprintf, as a path that long is cut anyway. */
static void
qa_pv_path(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
qa_pv_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* Refuse any member of o not in `known` (NULL-terminated). */
static int
qa_pv_keys(struct qa_pv *v, const cJSON *o, const char *path,
    const char *const *known)
{
	const cJSON *m;
	size_t i;

	cJSON_ArrayForEach(m, o) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(m->string, known[i]) == 0)
				break;
		if (known[i] == NULL)
			return qa_pv_fail(v, path, "unknown key '%s'",
			    m->string);
	}
	return 0;
}

/* An id: letters, digits, '.', '_', '-'; it goes into cell ids and tags. */
static bool
qa_pv_is_id(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' &&
		    *s != '-')
			return false;
	return true;
}

static bool
qa_pv_is_env(const char *s)
{
	if (!isupper((unsigned char)*s) && *s != '_')
		return false;
	for (; *s != '\0'; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return false;
	return true;
}

/*
 * The string member `key` of o into buf: required or not, an id or free
 * text.  Numbers written without quotes in JSON are refused: a version is
 * text.
 */
static int
qa_pv_str(struct qa_pv *v, const cJSON *o, const char *path, const char *key,
    bool required, bool id, char *buf, size_t len)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
	char p[256];

	qa_pv_path(p, sizeof(p), "%s.%s", path, key);
	if (m == NULL) {
		buf[0] = '\0';
		return required ? qa_pv_fail(v, path, "missing '%s'", key) : 0;
	}
	if (!cJSON_IsString(m))
		return qa_pv_fail(v, p, "must be a string");
	if (m->valuestring[0] == '\0')
		return qa_pv_fail(v, p, "must not be empty");
	if (strlen(m->valuestring) >= len)
		return qa_pv_fail(v, p, "longer than %zu characters", len - 1);
	if (id && !qa_pv_is_id(m->valuestring))
		return qa_pv_fail(v, p, "'%s' is not an id (letters, digits, "
		    "'.', '_', '-')", m->valuestring);
	snprintf(buf, len, "%s", m->valuestring);
	return 0;
}

/*
 * A duration within [min, max] seconds: a number, or a string in the
 * syntax of every command's duration flags (cli_parse_duration: "90",
 * "90s", "15m", "2h5m"), so a plan says what `qa test` is told.
 */
static int
qa_pv_dur(struct qa_pv *v, const cJSON *o, const char *path, const char *key,
    double min, double max, double *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
	char p[256];
	double d;

	if (m == NULL)
		return 0;
	qa_pv_path(p, sizeof(p), "%s.%s", path, key);
	if (cJSON_IsNumber(m))
		d = m->valuedouble;
	else if (cJSON_IsString(m)) {
		if (cli_parse_duration(m->valuestring, 0, HUGE_VAL, &d) == -1)
			return qa_pv_fail(v, p, "'%s' is not a duration (90, "
			    "90s, 15m, 2h5m)", m->valuestring);
	} else
		return qa_pv_fail(v, p, "must be a duration (a number of "
		    "seconds, or 90s, 15m, 2h5m)");
	if (!(d >= min && d <= max))
		return qa_pv_fail(v, p, "%g s is out of range (%g to %g s)", d,
		    min, max);
	*out = d;
	return 0;
}

static int
qa_pv_bool(struct qa_pv *v, const cJSON *o, const char *path, const char *key,
    bool *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
	char p[256];

	if (m == NULL)
		return 0;
	qa_pv_path(p, sizeof(p), "%s.%s", path, key);
	if (!cJSON_IsBool(m))
		return qa_pv_fail(v, p, "must be true or false");
	*out = cJSON_IsTrue(m);
	return 0;
}

/* The array member `key` (required, 1..max items); NULL after an error. */
static const cJSON *
qa_pv_array(struct qa_pv *v, const cJSON *o, const char *path, const char *key,
    size_t max)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
	char p[256];
	int n;

	qa_pv_path(p, sizeof(p), "%s.%s", path, key);
	if (a == NULL) {
		qa_pv_fail(v, path, "missing '%s'", key);
		return NULL;
	}
	n = cJSON_GetArraySize(a);
	if (!cJSON_IsArray(a)) {
		qa_pv_fail(v, p, "must be a list");
		return NULL;
	}
	if (n == 0 || (size_t)n > max) {
		qa_pv_fail(v, p, "needs 1 to %zu items, not %d", max, n);
		return NULL;
	}
	return a;
}

/*
 * A list of ids (router firmware, device firmware) into out[max][len],
 * each unique.
 */
static int
qa_pv_idlist(struct qa_pv *v, const cJSON *o, const char *path,
    const char *key, size_t max, char *out, size_t len, size_t *n)
{
	const cJSON *a, *m;
	char p[256];
	size_t i;

	if ((a = qa_pv_array(v, o, path, key, max)) == NULL)
		return -1;
	*n = 0;
	cJSON_ArrayForEach(m, a) {
		qa_pv_path(p, sizeof(p), "%s.%s[%zu]", path, key, *n);
		if (!cJSON_IsString(m) || !qa_pv_is_id(m->valuestring) ||
		    strlen(m->valuestring) >= len)
			return qa_pv_fail(v, p, "must be an id of at most %zu "
			    "characters (letters, digits, '.', '_', '-')",
			    len - 1);
		for (i = 0; i < *n; i++)
			if (strcmp(out + i * len, m->valuestring) == 0)
				return qa_pv_fail(v, p, "'%s' given twice",
				    m->valuestring);
		snprintf(out + *n * len, len, "%s", m->valuestring);
		(*n)++;
	}
	return 0;
}

static int
qa_pv_station(struct qa_pv *v, struct qa_plan *pl, const cJSON *o,
    const char *path)
{
	static const char *const known[] = { "id", "runner_tag", "iface",
	    "netns", NULL };
	struct qa_station *s = &pl->station[pl->nstations];
	size_t i;

	if (!cJSON_IsObject(o))
		return qa_pv_fail(v, path, "must be an object");
	if (qa_pv_keys(v, o, path, known) == -1 ||
	    qa_pv_str(v, o, path, "id", true, true, s->id, sizeof(s->id)) ||
	    qa_pv_str(v, o, path, "runner_tag", false, true, s->runner_tag,
	    sizeof(s->runner_tag)) ||
	    qa_pv_str(v, o, path, "iface", false, true, s->iface,
	    sizeof(s->iface)) ||
	    qa_pv_str(v, o, path, "netns", false, true, s->netns,
	    sizeof(s->netns)))
		return -1;
	for (i = 0; i < pl->nstations; i++)
		if (strcmp(pl->station[i].id, s->id) == 0)
			return qa_pv_fail(v, path, "station '%s' given twice",
			    s->id);
	if (s->runner_tag[0] == '\0')
		memcpy(s->runner_tag, s->id, sizeof(s->runner_tag));
	pl->nstations++;
	return 0;
}

static int
qa_pv_find_station(struct qa_pv *v, const struct qa_plan *pl,
    const char *path, const char *id)
{
	size_t i;

	for (i = 0; i < pl->nstations; i++)
		if (strcmp(pl->station[i].id, id) == 0)
			return 0;
	return qa_pv_fail(v, path, "unknown station '%s'", id);
}

/* configs: ids, or {id, station} where a configuration has its own. */
static int
qa_pv_configs(struct qa_pv *v, const struct qa_plan *pl, struct qa_router *r,
    const cJSON *o, const char *path)
{
	static const char *const known[] = { "id", "station", NULL };
	const cJSON *a, *m;
	char p[256];
	size_t i;

	if (cJSON_GetObjectItemCaseSensitive(o, "configs") == NULL) {
		snprintf(r->config[0], sizeof(r->config[0]), "default");
		r->nconfig = 1;
		return 0;
	}
	if ((a = qa_pv_array(v, o, path, "configs", QA_ROUTER_CFG_MAX)) == NULL)
		return -1;
	cJSON_ArrayForEach(m, a) {
		qa_pv_path(p, sizeof(p), "%s.configs[%zu]", path, r->nconfig);
		if (cJSON_IsString(m)) {
			if (!qa_pv_is_id(m->valuestring) ||
			    strlen(m->valuestring) >= QA_ID_MAX)
				return qa_pv_fail(v, p, "'%s' is not an id",
				    m->valuestring);
			snprintf(r->config[r->nconfig], QA_ID_MAX, "%s",
			    m->valuestring);
		} else if (cJSON_IsObject(m)) {
			if (qa_pv_keys(v, m, p, known) == -1 ||
			    qa_pv_str(v, m, p, "id", true, true,
			    r->config[r->nconfig], QA_ID_MAX) ||
			    qa_pv_str(v, m, p, "station", false, true,
			    r->config_station[r->nconfig], QA_ID_MAX))
				return -1;
			if (r->config_station[r->nconfig][0] != '\0') {
				qa_pv_path(p, sizeof(p), "%s.configs[%zu]"
				    ".station", path, r->nconfig);
				if (qa_pv_find_station(v, pl, p,
				    r->config_station[r->nconfig]) == -1)
					return -1;
			}
		} else
			return qa_pv_fail(v, p, "must be an id or an object");
		for (i = 0; i < r->nconfig; i++)
			if (strcmp(r->config[i], r->config[r->nconfig]) == 0)
				return qa_pv_fail(v, p, "'%s' given twice",
				    r->config[i]);
		r->nconfig++;
	}
	return 0;
}

static int
qa_pv_hooks(struct qa_pv *v, struct qa_router *r, const cJSON *o,
    const char *path)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "hooks");
	char p[256];
	int i;

	if (h == NULL)
		return 0;
	qa_pv_path(p, sizeof(p), "%s.hooks", path);
	if (!cJSON_IsObject(h))
		return qa_pv_fail(v, p, "must be an object");
	if (qa_pv_keys(v, h, p, qa_hook_names) == -1)
		return -1;
	for (i = 0; i < QA_HOOK_COUNT; i++)
		if (qa_pv_str(v, h, p, qa_hook_names[i], false, false,
		    r->hook[i], sizeof(r->hook[i])) == -1)
			return -1;
	return 0;
}

/* credentials: NAME: {env: VARIABLE}; a value in the plan is refused. */
static int
qa_pv_creds(struct qa_pv *v, struct qa_router *r, const cJSON *o,
    const char *path)
{
	static const char *const known[] = { "env", NULL };
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "credentials");
	const cJSON *m;
	struct qa_cred *cr;
	char p[256];

	if (c == NULL)
		return 0;
	qa_pv_path(p, sizeof(p), "%s.credentials", path);
	if (!cJSON_IsObject(c))
		return qa_pv_fail(v, p, "must be an object");
	cJSON_ArrayForEach(m, c) {
		qa_pv_path(p, sizeof(p), "%s.credentials.%s", path, m->string);
		if (r->ncred == QA_CREDS_MAX)
			return qa_pv_fail(v, p, "more than %d credentials",
			    QA_CREDS_MAX);
		cr = &r->cred[r->ncred];
		if (!qa_pv_is_id(m->string) ||
		    strlen(m->string) >= sizeof(cr->name))
			return qa_pv_fail(v, p, "the name is not an id");
		/* Never echo the value: it may be the secret itself. */
		if (!cJSON_IsObject(m))
			return qa_pv_fail(v, p, "a credential is a reference "
			    "{env: VARIABLE}, never its value");
		if (qa_pv_keys(v, m, p, known) == -1 ||
		    qa_pv_str(v, m, p, "env", true, false, cr->env,
		    sizeof(cr->env)) == -1)
			return -1;
		if (!qa_pv_is_env(cr->env))
			return qa_pv_fail(v, p, "env must name an environment "
			    "variable (A-Z, 0-9, _)");
		snprintf(cr->name, sizeof(cr->name), "%s", m->string);
		r->ncred++;
	}
	return 0;
}

static int
qa_pv_router(struct qa_pv *v, struct qa_plan *pl, const cJSON *o,
    const char *path)
{
	static const char *const known[] = { "id", "vendor", "model",
	    "hardware", "station", "firmware", "configs", "hooks",
	    "credentials", "tests", NULL };
	struct qa_router *r = &pl->router[pl->nrouters];
	char p[256];
	size_t i;

	if (!cJSON_IsObject(o))
		return qa_pv_fail(v, path, "must be an object");
	qa_pv_path(p, sizeof(p), "%s.station", path);
	if (qa_pv_keys(v, o, path, known) == -1 ||
	    qa_pv_str(v, o, path, "id", true, true, r->id, sizeof(r->id)) ||
	    qa_pv_str(v, o, path, "vendor", false, false, r->vendor,
	    sizeof(r->vendor)) ||
	    qa_pv_str(v, o, path, "model", false, false, r->model,
	    sizeof(r->model)) ||
	    qa_pv_str(v, o, path, "hardware", false, false, r->hardware,
	    sizeof(r->hardware)) ||
	    qa_pv_str(v, o, path, "station", true, true, r->station,
	    sizeof(r->station)) ||
	    qa_pv_find_station(v, pl, p, r->station) ||
	    qa_pv_idlist(v, o, path, "firmware", QA_ROUTER_FW_MAX,
	    &r->firmware[0][0], QA_ID_MAX, &r->nfirmware) ||
	    qa_pv_configs(v, pl, r, o, path) ||
	    qa_pv_hooks(v, r, o, path) || qa_pv_creds(v, r, o, path))
		return -1;
	/* Names only: the plan's tests come later (qa_pv_router_tests). */
	if (cJSON_GetObjectItemCaseSensitive(o, "tests") != NULL &&
	    qa_pv_idlist(v, o, path, "tests", QA_TESTS_MAX,
	    &r->test_name[0][0], QA_ID_MAX, &r->ntest_names) == -1)
		return -1;
	for (i = 0; i < pl->nrouters; i++)
		if (strcmp(pl->router[i].id, r->id) == 0)
			return qa_pv_fail(v, path, "router '%s' given twice",
			    r->id);
	pl->nrouters++;
	return 0;
}

static int
qa_pv_device(struct qa_pv *v, struct qa_plan *pl, const cJSON *o,
    const char *path)
{
	static const char *const known[] = { "device", "firmware", NULL };
	struct qa_device *d = &pl->device[pl->ndevices];
	const struct profile *prof;
	struct fw_version fw;
	char p[256];
	size_t i;

	if (!cJSON_IsObject(o))
		return qa_pv_fail(v, path, "must be an object");
	if (qa_pv_keys(v, o, path, known) == -1 ||
	    qa_pv_str(v, o, path, "device", true, true, d->name,
	    sizeof(d->name)) ||
	    qa_pv_idlist(v, o, path, "firmware", QA_DEVICE_FW_MAX,
	    &d->firmware[0][0], sizeof(d->firmware[0]), &d->nfirmware))
		return -1;
	for (i = 0; i < pl->ndevices; i++)
		if (strcmp(pl->device[i].name, d->name) == 0)
			return qa_pv_fail(v, path, "device '%s' given twice",
			    d->name);
	for (i = 0; i < d->nfirmware; i++) {
		qa_pv_path(p, sizeof(p), "%s.firmware[%zu]", path, i);
		if (!fw_version_parse(d->firmware[i], &fw))
			return qa_pv_fail(v, p, "'%s' is not a firmware "
			    "version", d->firmware[i]);
	}
	if (v->rules != NULL) {
		qa_pv_path(p, sizeof(p), "%s.device", path);
		if ((prof = rules_profile(v->rules, d->name)) == NULL)
			return qa_pv_fail(v, p, "no device profile '%s' in the "
			    "rules", d->name);
		for (i = 0; i < d->nfirmware; i++) {
			qa_pv_path(p, sizeof(p), "%s.firmware[%zu]", path, i);
			fw_version_parse(d->firmware[i], &fw);
			if (!profile_knows_firmware(prof, &fw))
				return qa_pv_fail(v, p, "the %s profile does "
				    "not cover firmware %s", d->name,
				    d->firmware[i]);
		}
	}
	pl->ndevices++;
	return 0;
}

/* Is s, an IPv4 address with a port when `port`, well formed? */
static bool
qa_pv_is_ipv4(const char *s, bool port)
{
	char a[INET_ADDRSTRLEN], *end;
	const char *colon = port ? strchr(s, ':') : NULL;
	struct in_addr in;
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	long p;

	if (n >= sizeof(a))
		return false;
	memcpy(a, s, n);
	a[n] = '\0';
	if (inet_pton(AF_INET, a, &in) != 1)
		return false;
	if (colon == NULL)
		return true;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	return colon[1] != '\0' && *end == '\0' && errno == 0 && p > 0 &&
	    p < 65536;
}

static bool
qa_pv_is_name(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' &&
		    *s != '_')
			return false;
	return true;
}

/* "15s,25s": durations of 1 s to 1 h, as `qa test --keepalive` takes. */
static bool
qa_pv_is_durations(const char *s)
{
	char buf[QA_TEXT_MAX], *part, *save = NULL;
	double d;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (part = strtok_r(buf, ",", &save); part != NULL;
	    part = strtok_r(NULL, ",", &save), n++)
		if (cli_parse_duration(part, 1, 3600, &d) == -1)
			return false;
	return n > 0;
}

/* One key of a router test into its `qa test` option. */
static int
qa_pv_test_key(struct qa_pv *v, struct qa_test *t, const cJSON *o,
    const char *path, const struct qa_test_key *k)
{
	struct qa_test_opt *opt = &t->opt[t->nopt];
	char p[256];
	uint8_t mac[6];
	double d = 0;
	bool good;

	if (cJSON_GetObjectItemCaseSensitive(o, k->key) == NULL)
		return k->required ? qa_pv_fail(v, path, "test '%s' needs "
		    "'%s'", t->name, k->key) : 0;
	if (t->nopt >= QA_TEST_OPTS_MAX)
		return qa_pv_fail(v, path, "too many settings");
	opt->flag = k->flag;
	if (k->type == QA_KEY_SECONDS) {
		if (qa_pv_dur(v, o, path, k->key, 0.1, 86400, &d) == -1)
			return -1;
		snprintf(opt->value, sizeof(opt->value), "%g", d);
		t->nopt++;
		return 0;
	}
	if (qa_pv_str(v, o, path, k->key, true, false, opt->value,
	    sizeof(opt->value)) == -1)
		return -1;
	switch (k->type) {
	case QA_KEY_DURATIONS:	good = qa_pv_is_durations(opt->value); break;
	case QA_KEY_IPV4:	good = qa_pv_is_ipv4(opt->value, false); break;
	case QA_KEY_IPV4_PORT:	good = qa_pv_is_ipv4(opt->value, true); break;
	case QA_KEY_MAC:	good = mac_parse(opt->value, mac) &&
				    (mac[0] & 1) == 0; break;
	default:		good = qa_pv_is_name(opt->value); break;
	}
	qa_pv_path(p, sizeof(p), "%s.%s", path, k->key);
	if (!good)
		return qa_pv_fail(v, p, "'%s' is not %s", opt->value,
		    k->type == QA_KEY_IPV4 ? "an IPv4 address" :
		    k->type == QA_KEY_IPV4_PORT ? "an IPv4 address[:port]" :
		    k->type == QA_KEY_MAC ? "a unicast MAC address" :
		    k->type == QA_KEY_DURATIONS ? "durations, comma-separated "
		    "(15s,25s)" :
		    "a DNS name");
	t->nopt++;
	return 0;
}

/* The router test's own keys. */
static int
qa_pv_router_test(struct qa_pv *v, struct qa_test *t,
    const struct qa_testdef *def, const cJSON *o, const char *path)
{
	const struct qa_test_key *k;

	if (cJSON_IsObject(o)) {
		for (k = def->keys; k->key != NULL; k++)
			if (qa_pv_test_key(v, t, o, path, k) == -1)
				return -1;
		if (qa_pv_dur(v, o, path, "max", 1, 7 * 86400, &t->max) == -1)
			return -1;
	} else if (def->keys[0].required)
		return qa_pv_fail(v, path, "test '%s' needs '%s': write it as "
		    "{ name: %s, %s: ... }", t->name, def->keys[0].key,
		    t->name, def->keys[0].key);
	return 0;
}

/*
 * What test t needs of a router that runs it and of its station: the WAN
 * hooks for wan-recovery, a LAN interface for dhcp-time.
 */
static int
qa_pv_needs(struct qa_pv *v, const struct qa_plan *pl, size_t t)
{
	const struct qa_testdef *def = qa_tests_find(pl->test[t].name);
	const struct qa_router *r;
	char p[256];
	size_t i, s;

	for (i = 0; def != NULL && i < pl->nrouters; i++) {
		r = &pl->router[i];
		if ((r->tests & (1u << t)) == 0)
			continue;
		qa_pv_path(p, sizeof(p), "$.routers[%zu].hooks", i);
		if ((def->hooks & QA_HOOK_BIT(QA_HOOK_WAN_DOWN)) != 0 &&
		    (r->hook[QA_HOOK_WAN_DOWN][0] == '\0' ||
		    r->hook[QA_HOOK_WAN_UP][0] == '\0') &&
		    r->hook[QA_HOOK_WAN_RENUMBER][0] == '\0')
			return qa_pv_fail(v, p, "test '%s' needs wan_down and "
			    "wan_up, or wan_renumber", pl->test[t].name);
		if (strcmp(pl->test[t].name, "dhcp-time") != 0)
			continue;
		qa_pv_path(p, sizeof(p), "$.tests[%zu]", t);
		for (s = 0; s < pl->nstations; s++)
			if (strcmp(pl->station[s].id, r->station) == 0 &&
			    pl->station[s].iface[0] == '\0')
				return qa_pv_fail(v, p, "test 'dhcp-time' "
				    "takes a lease on the station's LAN "
				    "interface: station '%s' has no 'iface'",
				    pl->station[s].id);
	}
	return 0;
}

/*
 * Each router's `tests`, names of the plan's tests, as the bits of the
 * tests it runs (no list: all); a test no router runs is a mistake, as is
 * a name the plan's tests lack.  Then what each test needs of the routers
 * that run it.
 */
static int
qa_pv_router_tests(struct qa_pv *v, struct qa_plan *pl)
{
	struct qa_router *r;
	unsigned used = 0;
	char p[256];
	size_t i, k, t;

	for (i = 0; i < pl->nrouters; i++) {
		r = &pl->router[i];
		r->tests = r->ntest_names == 0 ? (1u << pl->ntests) - 1 : 0;
		for (k = 0; k < r->ntest_names; k++) {
			for (t = 0; t < pl->ntests; t++)
				if (strcmp(pl->test[t].name,
				    r->test_name[k]) == 0)
					break;
			qa_pv_path(p, sizeof(p), "$.routers[%zu].tests[%zu]",
			    i, k);
			if (t == pl->ntests)
				return qa_pv_fail(v, p, "'%s' is not one of the "
				    "plan's tests", r->test_name[k]);
			r->tests |= 1u << t;
		}
		used |= r->tests;
	}
	for (t = 0; t < pl->ntests; t++) {
		qa_pv_path(p, sizeof(p), "$.tests[%zu]", t);
		if ((used & (1u << t)) == 0)
			return qa_pv_fail(v, p, "no router runs test '%s' (each "
			    "router's 'tests' leaves it out)", pl->test[t].name);
		if (qa_pv_needs(v, pl, t) == -1)
			return -1;
	}
	return 0;
}

/*
 * A test: its name, or {name, exclusive, timeout} and for a router test
 * its own keys (qa_tests.c) and max.
 */
static int
qa_pv_test(struct qa_pv *v, struct qa_plan *pl, const cJSON *o,
    const char *path)
{
	static const char *const known[] = { "name", "exclusive", "timeout",
	    NULL };
	const char *keys[QA_TEST_OPTS_MAX + 5];
	struct qa_test *t = &pl->test[pl->ntests];
	const struct qa_testdef *def;
	const struct qa_test_key *k;
	char p[256];
	size_t i;

	qa_pv_path(p, sizeof(p), "%s%s", path, cJSON_IsString(o) ? "" : ".name");
	if (cJSON_IsString(o)) {
		if (strlen(o->valuestring) >= sizeof(t->name))
			return qa_pv_fail(v, path, "name too long");
		snprintf(t->name, sizeof(t->name), "%s", o->valuestring);
	} else if (cJSON_IsObject(o)) {
		if (qa_pv_str(v, o, path, "name", true, true, t->name,
		    sizeof(t->name)))
			return -1;
	} else
		return qa_pv_fail(v, path, "must be a test name or an object");
	if ((def = qa_tests_find(t->name)) == NULL)
		return qa_pv_fail(v, p, "unknown test '%s'", t->name);
	if (cJSON_IsObject(o)) {
		/* The common keys, then the test's own. */
		for (i = 0; known[i] != NULL; i++)
			keys[i] = known[i];
		if (def->keys != NULL) {
			keys[i++] = "max";
			for (k = def->keys; k->key != NULL; k++)
				keys[i++] = k->key;
		}
		keys[i] = NULL;
		if (qa_pv_keys(v, o, path, keys) == -1)
			return -1;
	}
	t->exclusive = def->exclusive;
	if (cJSON_IsObject(o) && (qa_pv_bool(v, o, path, "exclusive",
	    &t->exclusive) || qa_pv_dur(v, o, path, "timeout", 0.1, 86400,
	    &t->timeout)))
		return -1;
	if (def->keys != NULL &&
	    qa_pv_router_test(v, t, def, o, path) == -1)
		return -1;
	for (i = 0; i < pl->ntests; i++)
		if (strcmp(pl->test[i].name, t->name) == 0)
			return qa_pv_fail(v, p, "test '%s' given twice",
			    t->name);
	pl->ntests++;
	return 0;
}

static int
qa_pv_targets(struct qa_pv *v, struct qa_plan *pl, const cJSON *o)
{
	static const char *const known[] = { "cloud", "internet_test", "ntp",
	    "portal_url", "dns", "timeout", "dhcp_window", "dhcp_grace", NULL };
	struct qa_targets *t = &pl->targets;
	const char *p = "$.targets";

	if (o == NULL)
		return 0;
	if (!cJSON_IsObject(o))
		return qa_pv_fail(v, p, "must be an object");
	return qa_pv_keys(v, o, p, known) ||
	    qa_pv_str(v, o, p, "cloud", false, false, t->cloud,
	    sizeof(t->cloud)) ||
	    qa_pv_str(v, o, p, "internet_test", false, false,
	    t->internet_test, sizeof(t->internet_test)) ||
	    qa_pv_str(v, o, p, "ntp", false, false, t->ntp, sizeof(t->ntp)) ||
	    qa_pv_str(v, o, p, "portal_url", false, false, t->portal_url,
	    sizeof(t->portal_url)) ||
	    qa_pv_str(v, o, p, "dns", false, false, t->dns, sizeof(t->dns)) ||
	    qa_pv_dur(v, o, p, "timeout", 0.1, 600, &t->timeout) ||
	    qa_pv_dur(v, o, p, "dhcp_window", 0.1, 600, &t->dhcp_window) ||
	    qa_pv_dur(v, o, p, "dhcp_grace", 0.1, 60, &t->dhcp_grace) ?
	    -1 : 0;
}

/* Each list member of the top level through one validator. */
static int
qa_pv_list(struct qa_pv *v, struct qa_plan *pl, const cJSON *root,
    const char *key, size_t max,
    int (*one)(struct qa_pv *, struct qa_plan *, const cJSON *, const char *))
{
	const cJSON *a, *m;
	char p[256];
	size_t i = 0;

	if ((a = qa_pv_array(v, root, "$", key, max)) == NULL)
		return -1;
	cJSON_ArrayForEach(m, a) {
		qa_pv_path(p, sizeof(p), "$.%s[%zu]", key, i++);
		if (one(v, pl, m, p) == -1)
			return -1;
	}
	return 0;
}

static int
qa_plan_cells(struct qa_plan *pl, char *err, size_t errlen)
{
	const struct qa_router *r;
	struct qa_cell *c;
	const char *st;
	size_t i, f, k, n = 0, s;

	for (i = 0; i < pl->nrouters; i++)
		n += pl->router[i].nfirmware * pl->router[i].nconfig;
	if ((pl->cell = calloc(n, sizeof(*pl->cell))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", pl->file);
		return -1;
	}
	for (i = 0; i < pl->nrouters; i++) {
		r = &pl->router[i];
		for (f = 0; f < r->nfirmware; f++)
			for (k = 0; k < r->nconfig; k++) {
				c = &pl->cell[pl->ncells++];
				snprintf(c->id, sizeof(c->id), "%s/%s/%s",
				    r->id, r->firmware[f], r->config[k]);
				c->router = i;
				c->firmware = f;
				c->config = k;
				st = r->config_station[k][0] != '\0' ?
				    r->config_station[k] : r->station;
				for (s = 0; s < pl->nstations; s++)
					if (strcmp(pl->station[s].id, st) == 0)
						c->station = s;
			}
	}
	return 0;
}

static int
qa_plan_validate(struct qa_pv *v, struct qa_plan *pl, const cJSON *root)
{
	static const char *const known[] = { "schema", "name", "stations",
	    "routers", "devices", "tests", "targets", NULL };
	char schema[32];

	if (!cJSON_IsObject(root))
		return qa_pv_fail(v, "$", "a plan is an object");
	if (qa_pv_keys(v, root, "$", known) == -1 ||
	    qa_pv_str(v, root, "$", "schema", true, false, schema,
	    sizeof(schema)) == -1)
		return -1;
	if (strcmp(schema, QA_PLAN_SCHEMA) != 0)
		return qa_pv_fail(v, "$.schema", "'%s' is not %s", schema,
		    QA_PLAN_SCHEMA);
	return qa_pv_str(v, root, "$", "name", true, true, pl->name,
	    sizeof(pl->name)) ||
	    qa_pv_list(v, pl, root, "stations", QA_STATIONS_MAX,
	    qa_pv_station) ||
	    qa_pv_list(v, pl, root, "routers", QA_ROUTERS_MAX, qa_pv_router) ||
	    qa_pv_list(v, pl, root, "devices", QA_DEVICES_MAX, qa_pv_device) ||
	    qa_pv_list(v, pl, root, "tests", QA_TESTS_MAX, qa_pv_test) ||
	    qa_pv_router_tests(v, pl) ||
	    qa_pv_targets(v, pl, cJSON_GetObjectItemCaseSensitive(root,
	    "targets")) ? -1 : 0;
}

static void
qa_plan_hash(const char *text, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	hex[0] = '\0';
	if (EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) != 1)
		return;
	for (i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

struct qa_plan *
qa_plan_parse(const char *text, size_t len, const char *file,
    const struct rules *rules, char *err, size_t errlen)
{
	struct qa_pv v = { file, err, errlen, rules };
	struct qa_plan *pl;
	size_t i = 0;

	if ((pl = calloc(1, sizeof(*pl))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", file);
		return NULL;
	}
	snprintf(pl->file, sizeof(pl->file), "%s", file);
	qa_plan_hash(text, len, pl->hash);
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '{') {
		if ((pl->json = cJSON_ParseWithLength(text, len)) == NULL)
			snprintf(err, errlen, "%s: not valid JSON near byte "
			    "%zu", file, (size_t)(cJSON_GetErrorPtr() != NULL ?
			    cJSON_GetErrorPtr() - text : 0));
	} else
		pl->json = qa_yaml_parse(text, len, file, err, errlen);
	if (pl->json == NULL || qa_plan_validate(&v, pl, pl->json) == -1 ||
	    qa_plan_cells(pl, err, errlen) == -1) {
		qa_plan_free(pl);
		return NULL;
	}
	return pl;
}

struct qa_plan *
qa_plan_load(const char *path, const struct rules *rules, char *err,
    size_t errlen)
{
	struct qa_plan *pl;
	FILE *f;
	char *text;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((text = malloc(QA_PLAN_FILE_MAX + 1)) == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	n = fread(text, 1, QA_PLAN_FILE_MAX + 1, f);
	if (ferror(f) || n > QA_PLAN_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
		    strerror(errno) : "larger than 1 MiB");
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	pl = qa_plan_parse(text, n, path, rules, err, errlen);
	free(text);
	return pl;
}

void
qa_plan_free(struct qa_plan *p)
{
	if (p == NULL)
		return;
	cJSON_Delete(p->json);
	free(p->cell);
	free(p);
}

bool
qa_plan_runs(const struct qa_plan *p, const struct qa_cell *c, size_t t)
{
	return t < p->ntests && (p->router[c->router].tests & (1u << t)) != 0;
}

const struct qa_cell *
qa_plan_cell(const struct qa_plan *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ncells; i++)
		if (strcmp(p->cell[i].id, id) == 0)
			return &p->cell[i];
	return NULL;
}
