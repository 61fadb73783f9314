/*
 * report_markdown.c - the forum rendering: a post ready to paste into a
 * support thread, with the fields the troubleshooting guide asks for
 * (router make and model, network security, environment, topology, ISP,
 * settings that diverge from the norm), filled from the report's data,
 * then from --router/--environment/--isp, else saying they are not known.
 * Forum posts are public, so every string is redacted (report_redact.c)
 * unless the caller turns it off.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct mout {
	FILE		*f;
	unsigned	 flags;	/* REDACT_* */
	int		 err;
};

static void
mprintf(struct mout *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
mprintf(struct mout *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(m->f, fmt, ap) < 0)
		m->err = 1;
	va_end(ap);
}

/*
 * Write untrusted text redacted and made inert for Markdown: no line
 * breaks, and characters that would start markup or break a table cell
 * are escaped.
 */
static void
mtext(struct mout *m, const char *text)
{
	char *s = report_redact(text, m->flags), *p;

	if (s == NULL) {
		m->err = 1;
		return;
	}
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			mprintf(m, " ");
		else if (strchr("|*_`<>[]#\\", *p) != NULL)
			mprintf(m, "\\%c", *p);
		else
			mprintf(m, "%c", *p);
	}
	free(s);
}

/* Our own rule text: trusted, and keeps its `code` spans. */
static void
mrule(struct mout *m, const char *text)
{
	char *s = report_redact(text, REDACT_SECRETS), *p;

	if (s == NULL) {
		m->err = 1;
		return;
	}
	for (p = s; *p != '\0'; p++)
		mprintf(m, "%c", *p == '|' ? '/' : *p);
	free(s);
}

/* Unique string values of networks[*].key, joined with ", ". */
static bool
from_networks(const struct report *r, const char *key, char *buf,
    size_t len)
{
	const cJSON *n, *v;
	size_t used = 0;

	buf[0] = '\0';
	if (!cJSON_IsArray(r->networks))
		return false;
	cJSON_ArrayForEach(n, r->networks) {
		v = cJSON_GetObjectItemCaseSensitive(n, key);
		if (!cJSON_IsString(v) || v->valuestring[0] == '\0' ||
		    strstr(buf, v->valuestring) != NULL)
			continue;
		used += (size_t)snprintf(buf + used, len > used ? len - used :
		    0, "%s%s", used > 0 ? ", " : "", v->valuestring);
		if (used >= len)
			break;
	}
	return buf[0] != '\0';
}

static void
field(struct mout *m, const char *name, const char *value,
    const char *unknown)
{
	mprintf(m, "| %s | ", name);
	if (value != NULL && value[0] != '\0')
		mtext(m, value);
	else
		mprintf(m, "not known (%s)", unknown);
	mprintf(m, " |\n");
}

static void
divergent(struct mout *m, const struct report *r, const struct rules *rules)
{
	const struct rule *ru;
	size_t i, n = 0;

	mprintf(m, "| Settings that diverge from the norm | ");
	if (r->forum.divergent != NULL) {
		mtext(m, r->forum.divergent);
		mprintf(m, " |\n");
		return;
	}
	/* Network-side findings are the settings that diverge. */
	for (i = 0; i < r->findings.n; i++) {
		ru = rules_get(rules, r->findings.item[i].id);
		if (ru == NULL || ru->severity == SEVERITY_INFO ||
		    ru->stage > STAGE_CLOUD)
			continue;
		mprintf(m, "%s", n++ > 0 ? "; " : "");
		mrule(m, ru->summary);
	}
	if (n == 0)
		mprintf(m, r->findings.n > 0 || r->networks != NULL ?
		    "none found by cyanprobe" :
		    "not known (nothing in this report checks the network)");
	mprintf(m, " |\n");
}

static void
networks(struct mout *m, const struct report *r)
{
	const cJSON *n, *v;
	int i = 0;

	if (!cJSON_IsArray(r->networks) || r->networks->child == NULL)
		return;
	mprintf(m, "\n### Networks seen\n\n");
	cJSON_ArrayForEach(n, r->networks) {
		mprintf(m, "%d.", ++i);
		for (v = n->child; v != NULL; v = v->next) {
			if (cJSON_IsString(v)) {
				mprintf(m, " %s: ", v->string);
				mtext(m, v->valuestring);
				mprintf(m, ";");
			} else if (cJSON_IsNumber(v))
				mprintf(m, " %s: %g;", v->string,
				    v->valuedouble);
			else if (cJSON_IsBool(v))
				mprintf(m, " %s: %s;", v->string,
				    cJSON_IsTrue(v) ? "yes" : "no");
		}
		mprintf(m, "\n");
	}
}

int
report_write_markdown(const struct report *r, const struct rules *rules,
    FILE *out, bool redact)
{
	struct mout m = { out, REDACT_SECRETS | (redact ? REDACT_PRIVACY : 0),
	    0 };
	const struct verdict *v = &r->verdict;
	const struct finding *f;
	const struct rule *ru;
	const char *device = r->profile != NULL ? r->profile->title :
	    "Particle device";
	char led[64], when[48], buf[256];
	size_t i;

	if (v->led_known)
		report_led_words(led, sizeof(led), v->led);
	else
		snprintf(led, sizeof(led), "LED not known");
	report_generated_at(when, sizeof(when));
	if (v->state == VERDICT_INCONCLUSIVE)
		mprintf(&m, "## %s: inconclusive, not observed: %s\n\n",
		    device, report_stage_list(v->unobserved, buf,
		    sizeof(buf)));
	else if (v->fail != STAGE_FAIL_NONE)
		mprintf(&m, "## %s cannot reach the cloud: stuck at the %s "
		    "stage (%s)\n\n", device, stage_name(v->stage), led);
	else if (v->state == VERDICT_PROBLEM)
		mprintf(&m, "## %s: a problem at the %s stage (%s)\n\n",
		    device, stage_name(v->stage), led);
	else
		mprintf(&m, "## %s: no connection problem found (%s)\n\n",
		    device, led);
	mrule(&m, v->summary);
	mprintf(&m, "\n\n| | |\n|---|---|\n");
	mprintf(&m, "| Device | %s", device);
	if (r->profile != NULL)
		mprintf(&m, " (platform %u)", r->profile->platform_id);
	mprintf(&m, ", firmware %s |\n", r->firmware[0] != '\0' ?
	    r->firmware : "not known");
	mprintf(&m, "| LED | %s |\n", led);
	field(&m, "Router make and model", r->forum.router != NULL ?
	    r->forum.router : from_networks(r, "router", buf, sizeof(buf)) ?
	    buf : NULL, "give --router \"MAKE MODEL\"");
	field(&m, "Network security", r->forum.security != NULL ?
	    r->forum.security : from_networks(r, "security", buf,
	    sizeof(buf)) ? buf : NULL, "no network scan in this report");
	field(&m, "Environment", r->forum.environment,
	    "give --environment home, office, enterprise or public");
	field(&m, "Network topology", r->forum.topology,
	    "no network scan in this report");
	field(&m, "Internet service provider", r->forum.isp,
	    "give --isp NAME");
	divergent(&m, r, rules);

	if (r->findings.n > 0) {
		mprintf(&m, "\n### What cyanprobe found\n\n");
		for (i = 0; i < r->findings.n; i++) {
			f = &r->findings.item[i];
			ru = rules_get(rules, f->id);
			mprintf(&m, "- **%s** `%s`",
			    ru != NULL ? severity_name(ru->severity) : "note",
			    finding_name(f->id));
			if (ru != NULL) {
				mprintf(&m, " (%s): ", stage_name(ru->stage));
				mrule(&m, ru->summary);
			}
			if (f->evidence[0] != '\0') {
				mprintf(&m, "  \n  Seen: ");
				mtext(&m, f->evidence);
			}
			if (ru != NULL && ru->severity != SEVERITY_INFO) {
				mprintf(&m, "  \n  Advice: ");
				mrule(&m, ru->advice);
			}
			mprintf(&m, "\n");
		}
	}
	if (v->ncauses > 0) {
		mprintf(&m, "\n### Likely causes, most likely first\n\n");
		for (i = 0; i < v->ncauses; i++) {
			mprintf(&m, "%zu. `%s`: ", i + 1, v->causes[i]->id);
			mrule(&m, v->causes[i]->summary);
			mprintf(&m, "  \n   Advice: ");
			mrule(&m, v->causes[i]->advice);
			mprintf(&m, "\n");
		}
	}
	networks(&m, r);
	mprintf(&m, "\n<sub>Made by cyanprobe %s on %s (source: %s).",
	    CYANPROBE_VERSION, when, r->kind != NULL ? r->kind : "unknown");
	if (redact)
		mprintf(&m, " MAC addresses are cut to their vendor prefix "
		    "and public IP addresses are left out.");
	mprintf(&m, "</sub>\n");
	if (fflush(out) == EOF)
		m.err = 1;
	return m.err ? -1 : 0;
}
