/*
 * qa_junit.c - render the QA model (qa_model.h) as JUnit XML (qa_junit.h),
 * the format CI systems read: GitLab's and GitHub's test reports, Jenkins.
 * A testcase's name is "TEST DEVICE FIRMWARE", its classname the cell, so
 * a CI page groups them as the matrix does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qa_junit.h"
#include "qa_xml.h"

static void
qa_junit_prop(FILE *f, const char *name, const char *value)
{
	fprintf(f, "      <property name=\"%s\" value=\"", name);
	qa_xml_text(f, value);
	fputs("\"/>\n", f);
}

static void
qa_junit_case(FILE *f, const struct qa_model *m, const struct qa_mcell *c,
    const struct qa_mverdict *v)
{
	const struct qa_mcol *col = &m->col[v->col];

	fputs("    <testcase classname=\"", f);
	qa_xml_text(f, c->id);
	fputs("\" name=\"", f);
	qa_xml_text(f, v->test);
	fputc(' ', f);
	qa_xml_text(f, col->device);
	fputc(' ', f);
	qa_xml_text(f, col->firmware);
	fputs("\" time=\"0\"", f);
	if (v->outcome != QAJUDGE_FAIL && v->outcome != QAJUDGE_INCONCLUSIVE) {
		fputs("/>\n", f);
		return;
	}
	fprintf(f, ">\n      <%s type=\"", v->outcome == QAJUDGE_FAIL ?
	    "failure" : "error");
	qa_xml_text(f, v->outcome == QAJUDGE_FAIL ? v->finding :
	    "inconclusive");
	fputs("\" message=\"", f);
	if (v->finding[0] != '\0') {
		qa_xml_text(f, v->finding);
		fputs(": ", f);
	}
	qa_xml_text(f, v->summary);
	fputs("; LED: ", f);
	qa_xml_text(f, v->led);
	fputs("\">", f);
	fputs("stage: ", f);
	qa_xml_text(f, v->stage);
	fputs("\nfinding: ", f);
	qa_xml_text(f, v->finding[0] != '\0' ? v->finding : "none");
	fputs("\nsummary: ", f);
	qa_xml_text(f, v->summary);
	fputs("\nLED: ", f);
	qa_xml_text(f, v->led);
	fprintf(f, "</%s>\n    </testcase>\n", v->outcome == QAJUDGE_FAIL ?
	    "failure" : "error");
}

static void
qa_junit_suite(FILE *f, const struct qa_model *m, const struct qa_mcell *c)
{
	size_t i, nfail = 0, nerr = 0;

	for (i = 0; i < c->nv; i++) {
		nfail += c->v[i].outcome == QAJUDGE_FAIL;
		nerr += c->v[i].outcome == QAJUDGE_INCONCLUSIVE;
	}
	fputs("  <testsuite name=\"", f);
	qa_xml_text(f, c->id);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	    "skipped=\"0\" timestamp=\"", c->nv, nfail, nerr);
	qa_xml_text(f, c->started);
	fputs("\" hostname=\"", f);
	qa_xml_text(f, c->station);
	fputs("\">\n    <properties>\n", f);
	qa_junit_prop(f, "router", c->router);
	qa_junit_prop(f, "vendor", c->vendor);
	qa_junit_prop(f, "model", c->model);
	qa_junit_prop(f, "hardware", c->hardware);
	qa_junit_prop(f, "firmware", c->firmware);
	qa_junit_prop(f, "config", c->config);
	qa_junit_prop(f, "station", c->station);
	qa_junit_prop(f, "runner_tag", c->runner_tag);
	qa_junit_prop(f, "plan_hash", c->plan_hash);
	qa_junit_prop(f, "run_id", c->run_id);
	fputs("    </properties>\n", f);
	for (i = 0; i < c->nv; i++)
		qa_junit_case(f, m, c, &c->v[i]);
	fputs("  </testsuite>\n", f);
}

int
qa_junit_render(const struct qa_model *m, FILE *f)
{
	size_t i, n = 0, nfail = 0, nerr = 0, k;

	for (i = 0; i < m->ncells; i++)
		for (k = 0; k < m->cell[i].nv; k++) {
			n++;
			nfail += m->cell[i].v[k].outcome == QAJUDGE_FAIL;
			nerr += m->cell[i].v[k].outcome ==
			    QAJUDGE_INCONCLUSIVE;
		}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"cyanprobe qa\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"%zu\">\n", n, nfail, nerr);
	for (i = 0; i < m->ncells; i++)
		qa_junit_suite(f, m, &m->cell[i]);
	fputs("</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}

int
qa_junit_write(struct qa_store *s, const char *run_id, const char *path,
    char *err, size_t errlen)
{
	struct qa_model m;
	FILE *f;
	int rc;

	if (qa_model_load(s, run_id, &m, err, errlen) == -1)
		return -1;
	f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		qa_model_free(&m);
		return -1;
	}
	rc = qa_junit_render(&m, f);
	if (f != stdout && fclose(f) != 0)
		rc = -1;
	else if (f == stdout && fflush(f) != 0)
		rc = -1;
	if (rc == -1)
		snprintf(err, errlen, "%s: write error", path);
	qa_model_free(&m);
	return rc;
}
