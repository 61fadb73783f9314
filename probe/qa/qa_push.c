/*
 * qa_push.c - `cyanprobe qa push --db FILE --to URL`: copy a station's
 * store into a shared one (PostgreSQL, or another SQLite file), so that a
 * station that measured offline stores and forwards later.  It is
 * idempotent by run id: every row goes in with INSERT ... ON CONFLICT, so
 * pushing twice, or again after a push that broke off, leaves one copy of
 * each run.  Rows go QA_STORE_BATCH_ROWS to an INSERT (qa_store_batch).  A run's ending, its cells' status and its verdicts (judged
 * again since) take the newer values; facts and artifacts never change.
 * Each run is copied in one transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "qa_cmd.h"
#include "qa_store.h"

/* A table and how a row that is there already is treated. */
struct qa_push_table {
	const char	*name;
	const char	*cols;
	int		 ncols;
	const char	*conflict;	/* the ON CONFLICT clause */
};

static const struct qa_push_table qa_push_tables[] = {
	{ "runs", "run_id, plan_name, plan_hash, plan_json, station, started,"
	  " ended, tool_version", 8,
	  "(run_id) DO UPDATE SET ended = excluded.ended" },
	{ "cells", "run_id, cell_id, router, vendor, model, hardware, firmware,"
	  " config, station, runner_tag, status, started, ended", 13,
	  "(run_id, cell_id) DO UPDATE SET status = excluded.status,"
	  " ended = excluded.ended" },
	{ "facts", "run_id, cell_id, test, variant, seq, kind, name, value", 8,
	  "DO NOTHING" },
	{ "verdicts", "run_id, cell_id, test, device, device_firmware, outcome,"
	  " stage, finding, summary, led, findings, judged_at", 12,
	  "(run_id, cell_id, test, device, device_firmware) DO UPDATE SET"
	  " outcome = excluded.outcome, stage = excluded.stage,"
	  " finding = excluded.finding, summary = excluded.summary,"
	  " led = excluded.led, findings = excluded.findings,"
	  " judged_at = excluded.judged_at" },
	{ "artifacts", "run_id, cell_id, name, media_type, content", 5,
	  "DO NOTHING" },
};

struct qa_push_copy {
	struct qa_store_batch	*b;
	size_t			 rows;
	bool			 failed;
};

static int
qa_push_row(void *arg, int n, const char *const *v)
{
	struct qa_push_copy *c = arg;

	(void)n;	/* the SELECT's columns: the table's ncols */
	if (qa_store_batch_add(c->b, v) == -1) {
		c->failed = true;
		return 1;
	}
	c->rows++;
	return 0;
}

/*
 * The run's rows of table t, read from `from` and written into `to`
 * QA_STORE_BATCH_ROWS a statement (qa_store_batch).
 */
static int
qa_push_table(struct qa_store *from, struct qa_store *to,
    const struct qa_push_table *t, const char *run_id, size_t *rows)
{
	struct qa_push_copy c = { NULL, 0, false };
	const char *p[1] = { run_id };
	char sel[512];
	int rc = -1;

	if ((c.b = qa_store_batch_new(to, t->name, t->cols, t->ncols,
	    t->conflict)) == NULL)
		return -1;
	snprintf(sel, sizeof(sel), "SELECT %s FROM %s WHERE run_id = $1",
	    t->cols, t->name);
	if (qa_store_exec(from, sel, p, 1, qa_push_row, &c) == 0 &&
	    !c.failed && qa_store_batch_flush(c.b) == 0) {
		*rows += c.rows;
		rc = 0;
	}
	qa_store_batch_free(c.b);
	return rc;
}

struct qa_push_runs {
	char	(*id)[80];
	size_t	 n;
	bool	 oom;
};

static int
qa_push_run_row(void *arg, int n, const char *const *v)
{
	struct qa_push_runs *r = arg;
	void *p;

	if (n < 1 || v[0] == NULL)
		return 0;
	if ((p = realloc(r->id, (r->n + 1) * sizeof(*r->id))) == NULL) {
		r->oom = true;
		return 1;
	}
	r->id = p;
	snprintf(r->id[r->n++], sizeof(r->id[0]), "%s", v[0]);
	return 0;
}

static int
qa_push_exists(void *arg, int n, const char *const *v)
{
	(void)n;
	(void)v;
	*(bool *)arg = true;
	return 1;
}

/* Copy one run; *was_there says whether the target had it already. */
static int
qa_push_run(struct qa_store *from, struct qa_store *to, const char *run_id,
    bool *was_there, size_t *rows)
{
	const char *p[1] = { run_id };
	size_t i;

	*was_there = false;
	if (qa_store_exec(to, "SELECT 1 FROM runs WHERE run_id = $1", p, 1,
	    qa_push_exists, was_there) == -1 || qa_store_begin(to) == -1)
		return -1;
	for (i = 0; i < sizeof(qa_push_tables) / sizeof(qa_push_tables[0]);
	    i++)
		if (qa_push_table(from, to, &qa_push_tables[i], run_id,
		    rows) == -1) {
			qa_store_rollback(to);
			return -1;
		}
	return qa_store_commit(to);
}

static void
qa_push_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa push --db FILE --to URL [--run ID] [-v]\n"
	    "\n"
	    "Copy the runs of a station's store (FILE, SQLite) into a shared\n"
	    "one (URL: postgresql://..., or another SQLite file).  Idempotent\n"
	    "by run id: a run pushed twice is stored once, so an offline\n"
	    "station can store and forward later.  -v names each run, new or\n"
	    "there already, and its rows.  Exit status: 0 pushed, 2 usage\n"
	    "error, 3 a store failed (also one whose schema is newer than\n"
	    "this cyanprobe's: refused, not changed).\n");
}

int
qa_push_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "db", required_argument, NULL, 'd' },
		{ "to", required_argument, NULL, 't' },
		{ "run", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *to_url = NULL, *run = NULL, *p[1];
	struct qa_store *from = NULL, *to = NULL;
	struct qa_push_runs r = { NULL, 0, false };
	size_t i, fresh = 0, rows = 0, before;
	char err[600];
	bool there;
	int ch, rc = EXIT_RUNTIME;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (ch) {
		case 'v': log_init(log_verbose() + 1); break;
		case 'd': db = optarg; break;
		case 't': to_url = optarg; break;
		case 'R': run = optarg; break;
		default: return cli_help(ch, qa_push_usage);
		}
	}
	if (cli_no_operands("qa push", argc, argv) != 0)
		return EXIT_USAGE;
	if (db == NULL || to_url == NULL) {
		log_warnx("qa push: %s", db == NULL && to_url == NULL ?
		    "--db and --to are required" : db == NULL ?
		    "--db is required" : "--to is required");
		return EXIT_USAGE;
	}
	if ((from = qa_store_open(db, err, sizeof(err))) == NULL ||
	    (to = qa_store_open(to_url, err, sizeof(err))) == NULL) {
		log_warnx("qa push: %s", err);
		goto done;
	}
	p[0] = run;
	if (qa_store_exec(from, run != NULL ?
	    "SELECT run_id FROM runs WHERE run_id = $1 ORDER BY started" :
	    "SELECT run_id FROM runs ORDER BY started", p, run != NULL,
	    qa_push_run_row, &r) == -1 || r.oom) {
		log_warnx("qa push: %s: %s", db, r.oom ? "out of memory" :
		    qa_store_error(from));
		goto done;
	}
	for (i = 0; i < r.n; i++) {
		before = rows;
		if (qa_push_run(from, to, r.id[i], &there, &rows) == -1) {
			log_warnx("qa push: run %s: %s", r.id[i],
			    qa_store_error(to));
			goto done;
		}
		fresh += !there;
		log_info("qa push: run %s: %s, %zu rows offered", r.id[i],
		    there ? "there already" : "new", rows - before);
	}
	printf("pushed %zu run%s to the %s store: %zu new, %zu there "
	    "already (%zu rows offered)\n", r.n, r.n == 1 ? "" : "s",
	    qa_store_kind(to), fresh, r.n - fresh, rows);
	rc = EXIT_OK;
done:
	free(r.id);
	qa_store_close(from);
	qa_store_close(to);
	return rc;
}
