/*
 * junit.c - JUnit XML out of plain structs (junit.h).  The schema is the
 * one Jenkins' and GitLab's parsers accept: <testsuites> with counts,
 * <testsuite> with counts, properties, timestamp and time, <testcase> with
 * an optional <failure>, <error> or <skipped> and <system-out>.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"
#include "report.h"

struct jout {
	FILE	*f;
	int	 err;
};

static void
jprintf(struct jout *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
jprintf(struct jout *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(j->f, fmt, ap) < 0)
		j->err = 1;
	va_end(ap);
}

/*
 * s escaped for an attribute or text node.  Well-formed UTF-8 first
 * (report_redact() with no flags only mends encoding), then the five XML
 * entities; control characters other than tab and newline are not
 * allowed in XML 1.0 at all.
 */
static void
jtext(struct jout *j, const char *s)
{
	char *u = report_redact(s != NULL ? s : "", 0);
	const unsigned char *p;

	if (u == NULL) {
		j->err = 1;
		return;
	}
	for (p = (const unsigned char *)u; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			jprintf(j, "&amp;");
			break;
		case '<':
			jprintf(j, "&lt;");
			break;
		case '>':
			jprintf(j, "&gt;");
			break;
		case '"':
			jprintf(j, "&quot;");
			break;
		case '\'':
			jprintf(j, "&apos;");
			break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n')
				jprintf(j, "?");
			else if (fputc(*p, j->f) == EOF)
				j->err = 1;
		}
	}
	free(u);
}

/* name="value" with a leading space; nothing for a NULL value. */
static void
jattr(struct jout *j, const char *name, const char *value)
{
	if (value == NULL)
		return;
	jprintf(j, " %s=\"", name);
	jtext(j, value);
	jprintf(j, "\"");
}

struct jcount {
	size_t	tests, failures, errors, skipped;
	double	time_s;
};

static void
jcount_add(struct jcount *n, const struct junit_suite *s)
{
	size_t i;

	for (i = 0; i < s->ncases; i++) {
		n->tests++;
		n->failures += s->cases[i].outcome == JUNIT_FAILED;
		n->errors += s->cases[i].outcome == JUNIT_ERROR;
		n->skipped += s->cases[i].outcome == JUNIT_SKIPPED;
	}
	if (s->time_s > 0)
		n->time_s += s->time_s;
}

static void
jcounts(struct jout *j, const struct jcount *n, double time_s)
{
	jprintf(j, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	    "skipped=\"%zu\"", n->tests, n->failures, n->errors, n->skipped);
	if (time_s >= 0)
		jprintf(j, " time=\"%.3f\"", time_s);
}

static void
jcase(struct jout *j, const struct junit_case *c)
{
	static const char *const tag[] = { NULL, "failure", "error",
	    "skipped" };

	jprintf(j, "    <testcase");
	jattr(j, "classname", c->classname);
	jattr(j, "name", c->name);
	if (c->time_s >= 0)
		jprintf(j, " time=\"%.3f\"", c->time_s);
	if (c->outcome == JUNIT_PASSED && c->out == NULL) {
		jprintf(j, "/>\n");
		return;
	}
	jprintf(j, ">\n");
	if (c->outcome != JUNIT_PASSED) {
		jprintf(j, "      <%s", tag[c->outcome]);
		jattr(j, "message", c->message);
		if (c->outcome != JUNIT_SKIPPED)
			jattr(j, "type", c->type);
		if (c->detail != NULL && c->outcome != JUNIT_SKIPPED) {
			jprintf(j, ">");
			jtext(j, c->detail);
			jprintf(j, "</%s>\n", tag[c->outcome]);
		} else
			jprintf(j, "/>\n");
	}
	if (c->out != NULL) {
		jprintf(j, "      <system-out>");
		jtext(j, c->out);
		jprintf(j, "</system-out>\n");
	}
	jprintf(j, "    </testcase>\n");
}

int
junit_write(FILE *f, const struct junit_suite *suites, size_t n)
{
	struct jout j = { f, 0 };
	struct jcount all = { 0 }, one;
	size_t i, k;

	for (i = 0; i < n; i++)
		jcount_add(&all, &suites[i]);
	jprintf(&j, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	jprintf(&j, "<testsuites");
	jcounts(&j, &all, all.time_s);
	jprintf(&j, ">\n");
	for (i = 0; i < n; i++) {
		const struct junit_suite *s = &suites[i];

		memset(&one, 0, sizeof(one));
		jcount_add(&one, s);
		jprintf(&j, "  <testsuite");
		jattr(&j, "name", s->name);
		jcounts(&j, &one, s->time_s);
		jattr(&j, "timestamp", s->timestamp);
		jprintf(&j, ">\n");
		if (s->nprops > 0) {
			jprintf(&j, "    <properties>\n");
			for (k = 0; k < s->nprops; k++) {
				if (s->props[k].value == NULL)
					continue;
				jprintf(&j, "      <property");
				jattr(&j, "name", s->props[k].name);
				jattr(&j, "value", s->props[k].value);
				jprintf(&j, "/>\n");
			}
			jprintf(&j, "    </properties>\n");
		}
		for (k = 0; k < s->ncases; k++)
			jcase(&j, &s->cases[k]);
		jprintf(&j, "  </testsuite>\n");
	}
	jprintf(&j, "</testsuites>\n");
	if (fflush(f) == EOF)
		j.err = 1;
	return j.err ? -1 : 0;
}
