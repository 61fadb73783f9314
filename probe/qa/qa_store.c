/*
 * qa_store.c - the QA store's common half: pick the backend from the
 * target, and keep the schema at the version the code expects.  The
 * migrations below are the schema's history; each runs once, in order,
 * and records itself in qa_schema; those a store lacks are applied in one
 * transaction under a lock (qa_store_migrate).  Only portable SQL:
 * TEXT, BIGINT and DOUBLE PRECISION columns, primary keys, and
 * INSERT ... ON CONFLICT, which SQLite (3.24+) and PostgreSQL both speak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa_store.h"

struct qa_store {
	const struct qa_store_backend	*be;
	void				*h;
	int				 version;
	char				 err[512];
};

/* One migration: its version and its statements, NULL-terminated. */
struct qa_migration {
	int		 version;
	const char	*sql[8];
};

static const struct qa_migration qa_migrations[] = {
	{ 1, {
	  "CREATE TABLE runs ("
	  " run_id TEXT PRIMARY KEY, plan_name TEXT NOT NULL,"
	  " plan_hash TEXT NOT NULL, plan_json TEXT NOT NULL,"
	  " station TEXT, started TEXT NOT NULL, ended TEXT,"
	  " tool_version TEXT NOT NULL)",
	  "CREATE TABLE cells ("
	  " run_id TEXT NOT NULL, cell_id TEXT NOT NULL,"
	  " router TEXT NOT NULL, vendor TEXT, model TEXT, hardware TEXT,"
	  " firmware TEXT NOT NULL, config TEXT NOT NULL,"
	  " station TEXT NOT NULL, runner_tag TEXT NOT NULL,"
	  " status TEXT NOT NULL, started TEXT, ended TEXT,"
	  " PRIMARY KEY (run_id, cell_id))",
	  /*
	   * What a test saw on a cell: kind "finding" (name: finding id,
	   * value: evidence), "facts" (name: check, value: its JSON),
	   * "condition" (name: analyzers/qajudge.h's; value: for
	   * "wifi.bss" the BSS as qa_cond.h stores it, else where), or
	   * "status" (name: ok, inconclusive, error, skipped; value:
	   * why; see qa_job.c: a change of the text, not of the schema).
	   */
	  "CREATE TABLE facts ("
	  " run_id TEXT NOT NULL, cell_id TEXT NOT NULL,"
	  " test TEXT NOT NULL, variant TEXT NOT NULL, seq BIGINT NOT NULL,"
	  " kind TEXT NOT NULL, name TEXT NOT NULL, value TEXT,"
	  " PRIMARY KEY (run_id, cell_id, test, variant, seq))",
	  "CREATE TABLE verdicts ("
	  " run_id TEXT NOT NULL, cell_id TEXT NOT NULL,"
	  " test TEXT NOT NULL, device TEXT NOT NULL,"
	  " device_firmware TEXT NOT NULL, outcome TEXT NOT NULL,"
	  " stage TEXT, finding TEXT, summary TEXT, led TEXT,"
	  " findings TEXT, judged_at TEXT NOT NULL,"
	  " PRIMARY KEY (run_id, cell_id, test, device, device_firmware))",
	  "CREATE TABLE artifacts ("
	  " run_id TEXT NOT NULL, cell_id TEXT NOT NULL, name TEXT NOT NULL,"
	  " media_type TEXT NOT NULL, content TEXT NOT NULL,"
	  " PRIMARY KEY (run_id, cell_id, name))",
	  NULL } },
};

#define QA_MIGRATIONS	(sizeof(qa_migrations) / sizeof(qa_migrations[0]))

int
qa_store_version_latest(void)
{
	return qa_migrations[QA_MIGRATIONS - 1].version;
}

int
qa_store_exec(struct qa_store *s, const char *sql, const char *const *params,
    int nparams, qa_store_row_fn row, void *arg)
{
	return s->be->exec(s->h, sql, params, nparams, row, arg, s->err,
	    sizeof(s->err));
}

int
qa_store_begin(struct qa_store *s)
{
	return qa_store_exec(s, "BEGIN", NULL, 0, NULL, NULL);
}

int
qa_store_commit(struct qa_store *s)
{
	return qa_store_exec(s, "COMMIT", NULL, 0, NULL, NULL);
}

int
qa_store_rollback(struct qa_store *s)
{
	char keep[sizeof(s->err)];
	int rc;

	/* The error that made us roll back is the one to report. */
	memcpy(keep, s->err, sizeof(keep));
	rc = qa_store_exec(s, "ROLLBACK", NULL, 0, NULL, NULL);
	memcpy(s->err, keep, sizeof(keep));
	return rc;
}

const char *
qa_store_error(const struct qa_store *s)
{
	return s->err;
}

const char *
qa_store_kind(const struct qa_store *s)
{
	return s->be->name;
}

int
qa_store_version(const struct qa_store *s)
{
	return s->version;
}

static int
qa_store_version_row(void *arg, int ncols, const char *const *vals)
{
	if (ncols > 0 && vals[0] != NULL)
		*(int *)arg = atoi(vals[0]);
	return 0;
}

/* Open the migration's transaction, holding the backend's lock. */
static int
qa_store_migrate_begin(struct qa_store *s)
{
	size_t i;

	for (i = 0; s->be->migrate_begin[i] != NULL; i++)
		if (qa_store_exec(s, s->be->migrate_begin[i], NULL, 0, NULL,
		    NULL) == -1)
			return -1;
	return 0;
}

/* Apply migration m in the open transaction and record it. */
static int
qa_store_migrate_one(struct qa_store *s, const struct qa_migration *m)
{
	const char *p[1];
	char v[16];
	size_t k;

	for (k = 0; m->sql[k] != NULL; k++)
		if (qa_store_exec(s, m->sql[k], NULL, 0, NULL, NULL) == -1)
			return -1;
	snprintf(v, sizeof(v), "%d", m->version);
	p[0] = v;
	return qa_store_exec(s, "INSERT INTO qa_schema (version, applied)"
	    " VALUES ($1, CAST(CURRENT_TIMESTAMP AS TEXT))", p, 1, NULL, NULL);
}

/*
 * Bring the schema up to date in one transaction under the backend's
 * lock: a second station opening the same empty store waits, then finds
 * the schema made and has nothing to do.  Either every missing migration
 * is applied, or none.
 */
static int
qa_store_migrate(struct qa_store *s)
{
	size_t i;

	/*
	 * Up to date already (the common case): no lock, so that a report
	 * reads a store it may not write.  A store without qa_schema fails
	 * this query and is migrated.
	 */
	s->version = 0;
	if (qa_store_exec(s, "SELECT MAX(version) FROM qa_schema", NULL, 0,
	    qa_store_version_row, &s->version) == 0 &&
	    s->version == qa_store_version_latest())
		return 0;
	if (qa_store_migrate_begin(s) == -1)
		goto fail;
	if (qa_store_exec(s, "CREATE TABLE IF NOT EXISTS qa_schema ("
	    " version BIGINT PRIMARY KEY, applied TEXT NOT NULL)", NULL, 0,
	    NULL, NULL) == -1)
		goto fail;
	s->version = 0;
	if (qa_store_exec(s, "SELECT MAX(version) FROM qa_schema", NULL, 0,
	    qa_store_version_row, &s->version) == -1)
		goto fail;
	if (s->version > qa_store_version_latest()) {
		snprintf(s->err, sizeof(s->err), "the store's schema is "
		    "version %d, newer than this cyanprobe's %d", s->version,
		    qa_store_version_latest());
		goto fail;
	}
	for (i = 0; i < QA_MIGRATIONS; i++)
		if (qa_migrations[i].version > s->version &&
		    qa_store_migrate_one(s, &qa_migrations[i]) == -1)
			goto fail;
	if (qa_store_commit(s) == -1)
		goto fail;
	s->version = qa_store_version_latest();
	return 0;
fail:
	qa_store_rollback(s);
	return -1;
}

struct qa_store *
qa_store_open(const char *target, char *err, size_t errlen)
{
	struct qa_store *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->be = strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0 ? &qa_store_pg :
	    &qa_store_sqlite;
	if (s->be->open(target, &s->h, err, errlen) == -1) {
		free(s);
		return NULL;
	}
	if (qa_store_migrate(s) == -1) {
		snprintf(err, errlen, "%s store: schema: %s", s->be->name,
		    s->err);
		qa_store_close(s);
		return NULL;
	}
	return s;
}

void
qa_store_close(struct qa_store *s)
{
	if (s == NULL)
		return;
	s->be->close(s->h);
	free(s);
}
