/*
 * qa_report.c - `cyanprobe qa report`: the stored QA results as a terminal
 * matrix, Markdown, a self-contained HTML page (qa_html.c) or JUnit XML
 * (qa_junit.c), all from one model (qa_model.c).  The matrix has a row per
 * router x firmware x configuration and a column per device x firmware;
 * each crossing shows the worst verdict over the tests with its finding and
 * LED, and the last column the first device firmware that fails there.
 * `--facts CELL` prints what was measured on a cell, which is where the
 * matrix's rows point.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "qa_cmd.h"
#include "qa_html.h"
#include "qa_junit.h"
#include "qa_model.h"
#include "qa_report.h"

#define QA_REPORT_CELL_MAX	96

void
qa_report_cell_text(const struct qa_mverdict *v, char *buf, size_t len)
{
	if (v == NULL)
		snprintf(buf, len, "-");
	else if (v->outcome == QAJUDGE_PASS)
		snprintf(buf, len, "pass");
	else if (v->outcome == QAJUDGE_INCONCLUSIVE)
		snprintf(buf, len, "inconclusive%s%s",
		    v->finding[0] != '\0' ? " " : "", v->finding);
	else
		snprintf(buf, len, "%s %s, %s", v->outcome == QAJUDGE_FAIL ?
		    "FAIL" : "warn", v->finding, v->led);
}

static const char *
qa_report_color(const struct qa_mverdict *v)
{
	if (v == NULL)
		return "";
	switch (v->outcome) {
	case QAJUDGE_PASS: return "\033[32m";
	case QAJUDGE_WARN: return "\033[33m";
	case QAJUDGE_FAIL: return "\033[1;31m";
	default: return "\033[35m";
	}
}

static void
qa_report_row_name(const struct qa_mcell *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s", c->router, c->firmware, c->config);
}

/* The widths of the row-name column and of each device x firmware column. */
static void
qa_report_widths(const struct qa_model *m, int *w0, int *w)
{
	char buf[QA_REPORT_CELL_MAX + QA_CELL_ID_MAX];
	size_t r, c;
	int n;

	*w0 = (int)strlen("router firmware config");
	for (c = 0; c < m->ncols; c++)
		w[c] = (int)(strlen(m->col[c].device) +
		    strlen(m->col[c].firmware) + 1);
	for (r = 0; r < m->ncells; r++) {
		qa_report_row_name(&m->cell[r], buf, sizeof(buf));
		if ((n = (int)strlen(buf)) > *w0)
			*w0 = n;
		for (c = 0; c < m->ncols; c++) {
			qa_report_cell_text(qa_model_worst(m, r, c), buf,
			    sizeof(buf));
			if ((n = (int)strlen(buf)) > w[c])
				w[c] = n;
		}
	}
}

static int
qa_report_matrix(const struct qa_model *m, FILE *f, bool color,
    const char *db)
{
	char buf[QA_REPORT_CELL_MAX + QA_CELL_ID_MAX], col[64];
	const struct qa_mverdict *v;
	int w0, *w;
	size_t r, c;

	if ((w = calloc(m->ncols + 1, sizeof(*w))) == NULL)
		return -1;
	qa_report_widths(m, &w0, w);
	fprintf(f, "%-*s", w0, "router firmware config");
	for (c = 0; c < m->ncols; c++) {
		snprintf(col, sizeof(col), "%s %s", m->col[c].device,
		    m->col[c].firmware);
		fprintf(f, " | %-*s", w[c], col);
	}
	fprintf(f, " | first bad firmware\n");
	for (r = 0; r < m->ncells; r++) {
		qa_report_row_name(&m->cell[r], buf, sizeof(buf));
		fprintf(f, "%-*s", w0, buf);
		for (c = 0; c < m->ncols; c++) {
			v = qa_model_worst(m, r, c);
			qa_report_cell_text(v, buf, sizeof(buf));
			fprintf(f, " | %s%-*s%s", color ? qa_report_color(v) :
			    "", w[c], buf, color && v != NULL ? "\033[0m" : "");
		}
		qa_model_first_bad(m, r, buf, sizeof(buf));
		fprintf(f, " | %s\n", buf[0] != '\0' ? buf : "-");
	}
	/* Not the URL itself: a postgresql:// URL may hold a password. */
	(void)db;
	fprintf(f, "\n%zu cell%s; each row's facts: cyanprobe qa report "
	    "--db DB --facts CELL (CELL is router/firmware/config)\n",
	    m->ncells, m->ncells == 1 ? "" : "s");
	free(w);
	return ferror(f) ? -1 : 0;
}

/* Markdown table cells must not hold a '|' or a newline. */
static void
qa_report_md_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static int
qa_report_markdown(const struct qa_model *m, FILE *f)
{
	char buf[QA_REPORT_CELL_MAX + QA_CELL_ID_MAX];
	size_t r, c;

	fprintf(f, "## Router compatibility\n\n| router | firmware | config");
	for (c = 0; c < m->ncols; c++)
		fprintf(f, " | %s %s", m->col[c].device, m->col[c].firmware);
	fprintf(f, " | first bad firmware |\n|---|---|---");
	for (c = 0; c <= m->ncols; c++)
		fprintf(f, "|---");
	fprintf(f, "|\n");
	for (r = 0; r < m->ncells; r++) {
		fputs("| ", f);
		qa_report_md_text(f, m->cell[r].router);
		fputs(" | ", f);
		qa_report_md_text(f, m->cell[r].firmware);
		fputs(" | ", f);
		qa_report_md_text(f, m->cell[r].config);
		for (c = 0; c < m->ncols; c++) {
			qa_report_cell_text(qa_model_worst(m, r, c), buf,
			    sizeof(buf));
			fputs(" | ", f);
			qa_report_md_text(f, buf);
		}
		qa_model_first_bad(m, r, buf, sizeof(buf));
		fputs(" | ", f);
		qa_report_md_text(f, buf[0] != '\0' ? buf : "-");
		fputs(" |\n", f);
	}
	fprintf(f, "\nA crossing shows the worst verdict over the tests its "
	    "router runs: the finding and the LED the device shows.\n");
	return ferror(f) ? -1 : 0;
}

/* Row: test, variant, kind, name, value. */
static int
qa_report_fact_row(void *arg, int n, const char *const *v)
{
	FILE *f = arg;

	if (n < 5)
		return 0;
	fprintf(f, "%s%s%s %s %s: %s\n", v[0] != NULL ? v[0] : "",
	    v[1] != NULL && v[1][0] != '\0' ? "@" : "",
	    v[1] != NULL ? v[1] : "", v[2] != NULL ? v[2] : "",
	    v[3] != NULL ? v[3] : "", v[4] != NULL ? v[4] : "");
	return 0;
}

static int
qa_report_facts(struct qa_store *s, const struct qa_model *m,
    const char *cell, FILE *f)
{
	const char *p[2];
	size_t r;

	for (r = 0; r < m->ncells; r++)
		if (strcmp(m->cell[r].id, cell) == 0)
			break;
	if (r == m->ncells) {
		log_warnx("qa report: --facts: no cell '%s' in the store",
		    cell);
		return EXIT_USAGE;
	}
	fprintf(f, "cell %s, run %s, station %s, status %s\n", cell,
	    m->cell[r].run_id, m->cell[r].station, m->cell[r].status);
	p[0] = m->cell[r].run_id;
	p[1] = cell;
	if (qa_store_exec(s, "SELECT test, variant, kind, name, value FROM"
	    " facts WHERE run_id = $1 AND cell_id = $2 ORDER BY test, variant,"
	    " seq", p, 2, qa_report_fact_row, f) == -1) {
		log_warnx("qa report: %s", qa_store_error(s));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static void
qa_report_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa report --db DB [--run ID] [-v]\n"
	    "                           [--matrix] [--markdown]\n"
	    "                           [--html FILE] [--junit FILE]\n"
	    "                           [--facts CELL]\n"
	    "\n"
	    "The stored results (the newest run of each cell, or --run) as a\n"
	    "matrix: rows router x firmware x config, columns device x\n"
	    "firmware, each crossing its worst verdict with finding and LED,\n"
	    "and the first device firmware that fails.  --matrix (the default)\n"
	    "on the terminal, --markdown, --html FILE a single self-contained\n"
	    "page with each cell's facts, --junit FILE for CI; --facts CELL\n"
	    "prints what was measured on one cell.  FILE - is standard\n"
	    "output.  -v says which run each row comes from.  Exit status:\n"
	    "0 written, 2 usage error, 3 failure (also a store whose schema\n"
	    "is newer than this cyanprobe's: refused, not changed).\n");
}

struct qa_report_args {
	const char	*db, *run, *html, *junit, *facts;
	bool		 matrix, markdown;
};

static int
qa_report_args(int argc, char **argv, struct qa_report_args *a)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'R' },
		{ "matrix", no_argument, NULL, 'm' },
		{ "markdown", no_argument, NULL, 'M' },
		{ "html", required_argument, NULL, 'H' },
		{ "junit", required_argument, NULL, 'j' },
		{ "facts", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (ch) {
		case 'v': log_init(log_verbose() + 1); break;
		case 'd': a->db = optarg; break;
		case 'R': a->run = optarg; break;
		case 'm': a->matrix = true; break;
		case 'M': a->markdown = true; break;
		case 'H': a->html = optarg; break;
		case 'j': a->junit = optarg; break;
		case 'f': a->facts = optarg; break;
		default: return cli_help(ch, qa_report_usage);
		}
	}
	if (cli_no_operands("qa report", argc, argv) != 0)
		return EXIT_USAGE;
	if (a->db == NULL) {
		log_warnx("qa report: --db is required");
		return EXIT_USAGE;
	}
	if (!a->markdown && a->html == NULL && a->junit == NULL &&
	    a->facts == NULL)
		a->matrix = true;
	return -1;
}

/* Write with fn into path ("-": stdout); 0 or -1 (message printed). */
static int
qa_report_to(const char *path, const struct qa_model *m,
    int (*fn)(const struct qa_model *, FILE *))
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int rc;

	if (f == NULL) {
		log_warn("qa report: %s", path);
		return -1;
	}
	rc = fn(m, f);
	if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
		rc = -1;
	if (rc == -1)
		log_warnx("qa report: %s: write error", path);
	return rc;
}

static int
qa_report_write(struct qa_store *s, const struct qa_report_args *a,
    const struct qa_model *m)
{
	if (a->matrix && qa_report_matrix(m, stdout, cli_color(stdout),
	    a->db) == -1)
		return EXIT_RUNTIME;
	if (a->markdown && qa_report_markdown(m, stdout) == -1)
		return EXIT_RUNTIME;
	if (a->junit != NULL && qa_report_to(a->junit, m,
	    qa_junit_render) == -1)
		return EXIT_RUNTIME;
	if (a->html != NULL && qa_html_write(s, m, a->html) == -1)
		return EXIT_RUNTIME;
	if (a->facts != NULL)
		return qa_report_facts(s, m, a->facts, stdout);
	return EXIT_OK;
}

int
qa_report_cmd(int argc, char **argv)
{
	struct qa_report_args a;
	struct qa_store *s;
	struct qa_model m;
	char err[600];
	size_t i;
	int rc;

	if ((rc = qa_report_args(argc, argv, &a)) != -1)
		return rc;
	if ((s = qa_store_open(a.db, err, sizeof(err))) == NULL) {
		log_warnx("qa report: %s", err);
		return EXIT_RUNTIME;
	}
	if (qa_model_load(s, a.run, &m, err, sizeof(err)) == -1) {
		log_warnx("qa report: %s", err);
		qa_store_close(s);
		return EXIT_RUNTIME;
	}
	for (i = 0; i < m.ncells; i++)
		log_info("qa report: %s: run %s of %s, measurement %s, %zu "
		    "verdict%s", m.cell[i].id, m.cell[i].run_id,
		    m.cell[i].started, m.cell[i].status, m.cell[i].nv,
		    m.cell[i].nv == 1 ? "" : "s");
	if (a.run != NULL && m.ncells == 0) {
		log_warnx("qa report: no run '%s' in %s", a.run, a.db);
		rc = EXIT_USAGE;
	} else
		rc = qa_report_write(s, &a, &m);
	qa_model_free(&m);
	qa_store_close(s);
	return rc;
}
