/*
 * qa_html.c - the QA matrix as a single HTML file (qa_html.h) that opens
 * offline: the style is inline, there is no script, no font, no image and
 * no link outside the file.  The matrix comes first (rows router x
 * firmware x config, columns device x firmware, the worst verdict with its
 * finding and LED, the first bad firmware); each crossing links to its
 * cell's section below, which lists every verdict and the facts measured.
 * A cell's facts are cut at QA_HTML_FACTS_MAX bytes so that a large lab's
 * page stays small (`qa report --facts CELL` prints them whole).  Each
 * crossing carries data-outcome, data-finding and data-led attributes, for
 * tests and for scripts that read the page.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "qa_html.h"
#include "qa_report.h"
#include "qa_xml.h"
#include "report.h"

#define QA_HTML_FACTS_MAX	(12 * 1024)

static const char qa_html_style[] =
	"body{font:14px/1.4 sans-serif;margin:1em 2em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;"
	"vertical-align:top}"
	"th{background:#eee}"
	"td.pass{background:#d9f2d9}td.warn{background:#fff3c4}"
	"td.fail{background:#f8c9c4;font-weight:bold}"
	"td.inconclusive{background:#e6ddf2}td.none{color:#888}"
	"td a{color:inherit;text-decoration:none}"
	"pre{white-space:pre-wrap;word-break:break-all;font-size:12px;"
	"background:#f6f6f6;padding:.5em}"
	"section{border-top:1px solid #ccc;margin-top:1em}";

struct qa_html_facts {
	FILE	*f;
	size_t	 written;
	bool	 cut;
};

/* Row: test, variant, kind, name, value. */
static int
qa_html_fact_row(void *arg, int n, const char *const *v)
{
	struct qa_html_facts *h = arg;
	size_t len;

	if (n < 5 || v[0] == NULL || v[3] == NULL)
		return 0;
	len = strlen(v[0]) + strlen(v[3]) + (v[4] != NULL ? strlen(v[4]) : 0);
	if (h->written + len > QA_HTML_FACTS_MAX) {
		h->cut = true;
		return 1;
	}
	h->written += len;
	qa_xml_text(h->f, v[0]);
	if (v[1] != NULL && v[1][0] != '\0') {
		fputc('@', h->f);
		qa_xml_text(h->f, v[1]);
	}
	fputc(' ', h->f);
	qa_xml_text(h->f, v[2]);
	fputc(' ', h->f);
	qa_xml_text(h->f, v[3]);
	fputs(": ", h->f);
	qa_xml_text(h->f, v[4]);
	fputc('\n', h->f);
	return 0;
}

static void
qa_html_td(FILE *f, const char *cls, const char *text)
{
	fprintf(f, "<td class=\"%s\">", cls);
	qa_xml_text(f, text);
	fputs("</td>", f);
}

static void
qa_html_head(FILE *f, const struct qa_model *m)
{
	char when[32];
	size_t c;

	report_generated_at(when, sizeof(when));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>cyanprobe qa: router "
	    "compatibility</title><style>%s</style></head><body>\n"
	    "<h1>Router compatibility</h1>\n<p>%zu cell%s, %zu device "
	    "firmware; generated %s by cyanprobe %s. Each crossing is the "
	    "worst verdict over the tests its router runs, with the finding "
	    "and the LED the device shows; it links to the cell's facts.</p>\n"
	    "<table id=\"matrix\"><thead><tr><th>router</th><th>firmware</th>"
	    "<th>config</th>", qa_html_style, m->ncells,
	    m->ncells == 1 ? "" : "s", m->ncols, when, CYANPROBE_VERSION);
	for (c = 0; c < m->ncols; c++) {
		fputs("<th>", f);
		qa_xml_text(f, m->col[c].device);
		fputc(' ', f);
		qa_xml_text(f, m->col[c].firmware);
		fputs("</th>", f);
	}
	fputs("<th>first bad firmware</th></tr></thead>\n<tbody>\n", f);
}

static void
qa_html_crossing(FILE *f, const struct qa_mverdict *v, size_t r)
{
	char text[256];

	qa_report_cell_text(v, text, sizeof(text));
	if (v == NULL) {
		fputs("<td class=\"none\" data-outcome=\"none\">-</td>", f);
		return;
	}
	fprintf(f, "<td class=\"%s\" data-outcome=\"%s\" data-finding=\"",
	    qajudge_outcome_name(v->outcome), qajudge_outcome_name(v->outcome));
	qa_xml_text(f, v->finding);
	fputs("\" data-led=\"", f);
	qa_xml_text(f, v->led);
	fprintf(f, "\"><a href=\"#cell-%zu\">", r);
	qa_xml_text(f, text);
	fputs("</a></td>", f);
}

static void
qa_html_matrix(FILE *f, const struct qa_model *m)
{
	char bad[256];
	size_t r, c;

	for (r = 0; r < m->ncells; r++) {
		fprintf(f, "<tr id=\"row-%zu\">", r);
		qa_html_td(f, "router", m->cell[r].router);
		qa_html_td(f, "firmware", m->cell[r].firmware);
		qa_html_td(f, "config", m->cell[r].config);
		for (c = 0; c < m->ncols; c++)
			qa_html_crossing(f, qa_model_worst(m, r, c), r);
		qa_model_first_bad(m, r, bad, sizeof(bad));
		qa_html_td(f, "firstbad", bad[0] != '\0' ? bad : "-");
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void
qa_html_verdicts(FILE *f, const struct qa_model *m, const struct qa_mcell *c)
{
	const struct qa_mverdict *v;
	size_t i;

	fputs("<table class=\"verdicts\"><tr><th>test</th><th>device</th>"
	    "<th>firmware</th><th>verdict</th><th>stage</th><th>finding</th>"
	    "<th>LED</th><th>summary</th></tr>\n", f);
	for (i = 0; i < c->nv; i++) {
		v = &c->v[i];
		fputs("<tr>", f);
		qa_html_td(f, "test", v->test);
		qa_html_td(f, "device", m->col[v->col].device);
		qa_html_td(f, "firmware", m->col[v->col].firmware);
		qa_html_td(f, qajudge_outcome_name(v->outcome),
		    qajudge_outcome_name(v->outcome));
		qa_html_td(f, "stage", v->stage);
		qa_html_td(f, "finding", v->finding);
		qa_html_td(f, "led", v->led);
		qa_html_td(f, "summary", v->summary);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
qa_html_cell(FILE *f, struct qa_store *s, const struct qa_model *m, size_t r)
{
	const struct qa_mcell *c = &m->cell[r];
	struct qa_html_facts h = { f, 0, false };
	const char *p[2] = { c->run_id, c->id };

	fprintf(f, "<section id=\"cell-%zu\"><h3>", r);
	qa_xml_text(f, c->id);
	fputs("</h3>\n<p>", f);
	qa_xml_text(f, c->vendor);
	fputc(' ', f);
	qa_xml_text(f, c->model);
	if (c->hardware[0] != '\0') {
		fputs(", hardware ", f);
		qa_xml_text(f, c->hardware);
	}
	fputs("; station ", f);
	qa_xml_text(f, c->station);
	fputs(" (runner tag ", f);
	qa_xml_text(f, c->runner_tag);
	fputs("); run ", f);
	qa_xml_text(f, c->run_id);
	fputs("; plan sha256 ", f);
	qa_xml_text(f, c->plan_hash);
	fputs("; measurement ", f);
	qa_xml_text(f, c->status);
	fputs("</p>\n", f);
	qa_html_verdicts(f, m, c);
	fputs("<details><summary>facts</summary><pre>", f);
	if (qa_store_exec(s, "SELECT test, variant, kind, name, value FROM"
	    " facts WHERE run_id = $1 AND cell_id = $2 ORDER BY test, variant,"
	    " seq", p, 2, qa_html_fact_row, &h) == -1)
		fputs("(the facts could not be read)", f);
	if (h.cut)
		fputs("... (cut here; all of them: cyanprobe qa report "
		    "--facts CELL)", f);
	fputs("</pre></details></section>\n", f);
}

int
qa_html_write(struct qa_store *s, const struct qa_model *m, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	size_t r;
	int rc;

	if (f == NULL) {
		log_warn("qa report: %s", path);
		return -1;
	}
	qa_html_head(f, m);
	qa_html_matrix(f, m);
	fputs("<h2>Cells</h2>\n", f);
	for (r = 0; r < m->ncells; r++)
		qa_html_cell(f, s, m, r);
	fputs("</body></html>\n", f);
	rc = ferror(f) ? -1 : 0;
	if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
		rc = -1;
	if (rc == -1)
		log_warnx("qa report: %s: write error", path);
	return rc;
}
