/*
 * report_markdown.c - the forum rendering of the report model: a post
 * ready to paste into a support thread.  First the fields the
 * troubleshooting guide asks for (router make and model, network security,
 * environment, topology, ISP), the user's words first and the probe's
 * guess beside them; then the checks as a table (check, result, time, what
 * was seen: what a helper asks for first), the likely causes and other
 * findings, the settings that diverge from the norm as bullets, and the
 * networks seen as a table.  Forum posts are public, so every string is
 * redacted (report_redact.c) unless the caller turns it off.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct mout {
	FILE		*f;
	unsigned	 flags;	/* REDACT_PRIVACY or 0 */
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
 * Write untrusted text redacted (plus `more`, e.g. REDACT_SECRETS for
 * free text) and made inert for Markdown: no line breaks, and characters
 * that would start markup or break a table cell are escaped.
 */
static void
mtext_flags(struct mout *m, const char *text, unsigned more)
{
	char *s = report_redact(text, m->flags | more), *p;

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

static void
mtext(struct mout *m, const char *text)
{
	mtext_flags(m, text, 0);
}

/* Free text that may quote key material (evidence, notes). */
static void
mfree(struct mout *m, const char *text)
{
	mtext_flags(m, text, REDACT_SECRETS);
}

/* Our own rule text: trusted, and keeps its `code` spans. */
static void
mrule(struct mout *m, const char *text)
{
	const char *p;

	for (p = text; *p != '\0'; p++)
		mprintf(m, "%c", *p == '|' ? '/' : *p);
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

/* The user's --router stands; the radio's guess goes beside it. */
static void
router(struct mout *m, const struct report_model *rm)
{
	mprintf(m, "| Router make and model | ");
	if (rm->router != NULL && rm->router[0] != '\0') {
		mtext(m, rm->router);
		if (rm->router_guess != NULL) {
			mprintf(m, " (cyanprobe's guess from the radio: ");
			mtext(m, rm->router_guess);
			mprintf(m, ")");
		}
	} else if (rm->router_guess != NULL) {
		mprintf(m, "guessed: ");
		mtext(m, rm->router_guess);
		mprintf(m, "; give --router \"MAKE MODEL\"");
	} else
		mprintf(m, "not known (give --router \"MAKE MODEL\")");
	mprintf(m, " |\n");
}

static size_t
ndivergent(const struct report_model *rm)
{
	size_t i, n = 0;

	for (i = 0; i < rm->nitems; i++)
		n += rm->item[i].divergent;
	return n;
}

static void
fields(struct mout *m, const struct report_model *rm)
{
	const struct report *r = rm->r;

	mprintf(m, "| | |\n|---|---|\n");
	mprintf(m, "| Device | %s", rm->device);
	if (r->profile != NULL)
		mprintf(m, " (platform %u)", r->profile->platform_id);
	mprintf(m, ", firmware ");
	mtext(m, rm->firmware);
	mprintf(m, " |\n");
	mprintf(m, "| LED | %s |\n", rm->led_words);
	if (rm->evidence[0] != '\0')
		mprintf(m, "| What the verdict rests on | %s |\n",
		    rm->evidence);
	router(m, rm);
	field(m, "Network security", rm->security,
	    "no network scan in this report");
	field(m, "Environment", rm->environment,
	    "give --environment home, office, enterprise or public");
	field(m, "Network topology", rm->topology,
	    "no network scan in this report");
	field(m, "Internet service provider", rm->isp, "give --isp NAME");
	mprintf(m, "| Settings that diverge from the norm | ");
	if (rm->divergent != NULL)
		mtext(m, rm->divergent);
	else if (ndivergent(rm) > 0)
		mprintf(m, "%zu, listed below", ndivergent(rm));
	else
		mprintf(m, rm->nitems > 0 || r->networks != NULL ?
		    "none found by cyanprobe" :
		    "not known (nothing in this report checks the network)");
	mprintf(m, " |\n");
}

static void
checks(struct mout *m, const struct report_model *rm)
{
	const struct report_check *c;
	size_t i;

	if (rm->nchecks == 0)
		return;
	mprintf(m, "\n### Checks (%.1f s)\n\n", rm->total_ms / 1000);
	mprintf(m, "| Check | Result | Time | What was seen |\n");
	mprintf(m, "|---|---|---:|---|\n");
	for (i = 0; i < rm->nchecks; i++) {
		c = &rm->check[i];
		mprintf(m, "| %s | %s | ", c->name, c->status);
		if (c->ms >= 0)
			mprintf(m, "%.1f s", c->ms / 1000);
		mprintf(m, " | ");
		mfree(m, c->note);
		mprintf(m, " |\n");
	}
}

static void
item(struct mout *m, const struct report_item *it, bool advice)
{
	mprintf(m, "- **%s** `%s`", severity_name(it->severity), it->id);
	if (it->rule != NULL) {
		mprintf(m, " (%s): ", it->stage);
		mrule(m, it->rule->summary);
	}
	if (it->finding->evidence[0] != '\0') {
		mprintf(m, "  \n  Seen: ");
		mfree(m, it->finding->evidence);
	}
	if (advice && it->rule != NULL && it->severity != SEVERITY_INFO) {
		mprintf(m, "  \n  Advice: ");
		mrule(m, it->rule->advice);
	}
	mprintf(m, "\n");
}

static void
findings(struct mout *m, const struct report_model *rm)
{
	const struct report_cause *c;
	size_t i, k, rest = 0;

	if (rm->ncauses > 0) {
		mprintf(m, "\n### %s, most likely first\n\n", rm->nitems > 0 ?
		    "Likely causes" : "Possible causes");
		for (i = 0; i < rm->ncauses; i++) {
			c = &rm->cause[i];
			mprintf(m, "%zu. `%s`: ", i + 1, c->rule->id);
			mrule(m, c->rule->summary);
			for (k = 0; k < rm->nitems; k++)
				if ((c->items & (uint64_t)1 << k) &&
				    rm->item[k].finding->evidence[0] != '\0') {
					mprintf(m, "  \n   Seen: ");
					mfree(m, rm->item[k].finding->evidence);
				}
			mprintf(m, "  \n   Advice: ");
			mrule(m, c->rule->advice);
			mprintf(m, "\n");
		}
	}
	for (i = 0; i < rm->nitems; i++)
		rest += rm->item[i].cause < 0;
	if (rest > 0) {
		mprintf(m, "\n### %s\n\n", rm->ncauses > 0 ?
		    "Other findings" : "What cyanprobe found");
		for (i = 0; i < rm->nitems; i++)
			if (rm->item[i].cause < 0)
				item(m, &rm->item[i], true);
	}
	/* As the text and JSON (findings_dropped) say it: a full table. */
	if (rm->r->findings.dropped > 0)
		mprintf(m, "\n%zu more findings were not kept (a report keeps "
		    "%d).\n", rm->r->findings.dropped, FINDINGS_MAX);
}

static void
divergent(struct mout *m, const struct report_model *rm)
{
	const struct report_item *it;
	size_t i;

	if (rm->divergent != NULL || ndivergent(rm) == 0)
		return;
	mprintf(m, "\n### Settings that diverge from the norm\n\n");
	for (i = 0; i < rm->nitems; i++) {
		it = &rm->item[i];
		if (!it->divergent)
			continue;
		mprintf(m, "- ");
		mrule(m, it->rule->summary);
		if (it->finding->evidence[0] != '\0') {
			mprintf(m, " (");
			mfree(m, it->finding->evidence);
			mprintf(m, ")");
		}
		mprintf(m, "\n");
	}
}

/* A cell from a network's member: string, number or yes/no. */
static void
cell(struct mout *m, const cJSON *v, const char *unit)
{
	mprintf(m, " ");
	if (cJSON_IsString(v))
		mtext(m, v->valuestring);
	else if (cJSON_IsNumber(v))
		mprintf(m, "%g%s", v->valuedouble, unit);
	else if (cJSON_IsBool(v))
		mprintf(m, "%s", cJSON_IsTrue(v) ? "yes" : "no");
	else
		mprintf(m, "-");
	mprintf(m, " |");
}

static void
networks(struct mout *m, const struct report *r)
{
	static const struct {
		const char	*key, *title, *unit;
	} col[] = {
		{ "ssid", "SSID", "" },
		{ "bssid", "BSSID", "" },
		{ "band", "Band (GHz)", "" },
		{ "channel", "Channel", "" },
		{ "security", "Security", "" },
		{ "rssi", "Signal", " dBm" },
		{ "router", "Router", "" },
	};
	const cJSON *n, *v;
	size_t i;

	if (!cJSON_IsArray(r->networks) || r->networks->child == NULL)
		return;
	mprintf(m, "\n### Networks seen\n\n|");
	for (i = 0; i < sizeof(col) / sizeof(col[0]); i++)
		mprintf(m, " %s |", col[i].title);
	mprintf(m, " Device can join |\n|");
	for (i = 0; i <= sizeof(col) / sizeof(col[0]); i++)
		mprintf(m, "---|");
	mprintf(m, "\n");
	cJSON_ArrayForEach(n, r->networks) {
		mprintf(m, "|");
		for (i = 0; i < sizeof(col) / sizeof(col[0]); i++)
			cell(m, cJSON_GetObjectItemCaseSensitive(n,
			    col[i].key), col[i].unit);
		v = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(n, "verdict"), "can_join");
		/* null: the frames left unknown what decides it. */
		if (cJSON_IsNull(v))
			mprintf(m, " unknown |");
		else
			cell(m, v, "");
		mprintf(m, "\n");
	}
}

int
report_write_markdown(const struct report_model *rm, FILE *out,
    bool redact)
{
	struct mout m = { out, redact ? REDACT_PRIVACY : 0, 0 };
	const struct verdict *v = &rm->r->verdict;
	char when[48];

	report_generated_at(when, sizeof(when));
	if (v->state == VERDICT_INCONCLUSIVE)
		mprintf(&m, "## %s: inconclusive, not observed: %s\n\n",
		    rm->device, rm->not_observed);
	else if (v->fail != STAGE_FAIL_NONE)
		mprintf(&m, "## %s cannot reach the cloud: stuck at the %s "
		    "stage (%s)\n\n", rm->device, stage_name(v->stage),
		    rm->led_words);
	else if (v->state == VERDICT_PROBLEM)
		mprintf(&m, "## %s: a problem at the %s stage (%s)\n\n",
		    rm->device, stage_name(v->stage), rm->led_words);
	else
		mprintf(&m, "## %s: no connection problem found (%s)\n\n",
		    rm->device, rm->led_words);
	if (rm->interrupted)
		mprintf(&m, "**Interrupted**: stopped by a signal before every "
		    "check finished; this is what finished.\n\n");
	mrule(&m, v->summary);
	mprintf(&m, "\n\n");
	fields(&m, rm);
	checks(&m, rm);
	findings(&m, rm);
	divergent(&m, rm);
	networks(&m, rm->r);
	mprintf(&m, "\n<sub>Made by cyanprobe %s on %s (%s).",
	    CYANPROBE_VERSION, when, rm->command);
	if (redact)
		mprintf(&m, " MAC addresses are cut to their vendor prefix "
		    "and public IP addresses are left out.");
	mprintf(&m, "</sub>\n");
	if (fflush(out) == EOF)
		m.err = 1;
	return m.err ? -1 : 0;
}
