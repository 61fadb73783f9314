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

/* The store's schema is newer than the code's: say so; -1. */
static int
qa_store_too_new(struct qa_store *s)
{
	snprintf(s->err, sizeof(s->err), "the store's schema is version %d, "
	    "newer than this cyanprobe's %d: a newer cyanprobe wrote it; "
	    "upgrade this one to read or write it (the store was not "
	    "changed)", s->version, qa_store_version_latest());
	return -1;
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
	    qa_store_version_row, &s->version) == 0) {
		if (s->version == qa_store_version_latest())
			return 0;
		/*
		 * A newer cyanprobe's store (a shared database that another
		 * station upgraded): refused before any lock or write, so
		 * that it is left exactly as it is.  Versions only go up.
		 */
		if (s->version > qa_store_version_latest())
			return qa_store_too_new(s);
	}
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
		qa_store_too_new(s);
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

struct qa_store_batch {
	struct qa_store	*s;
	char		 head[640];	/* INSERT INTO t (cols) VALUES */
	char		 tail[640];	/* " ON CONFLICT ..." or "" */
	int		 ncols;
	size_t		 n;		/* rows held */
	size_t		 at[QA_STORE_BATCH_ROWS * QA_STORE_BATCH_COLS];
	char		*buf;		/* the values, each NUL-ended */
	size_t		 used, cap;
	const char	*p[QA_STORE_BATCH_ROWS * QA_STORE_BATCH_COLS];
	char		*sql;		/* the statement for sql_rows rows */
	size_t		 sql_rows;
};

/* at[] of a NULL value. */
#define QA_STORE_NULL	((size_t)-1)

struct qa_store_batch *
qa_store_batch_new(struct qa_store *s, const char *table, const char *cols,
    int ncols, const char *conflict)
{
	struct qa_store_batch *b;

	if (ncols < 1 || ncols > QA_STORE_BATCH_COLS ||
	    (b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return NULL;
	}
	b->s = s;
	b->ncols = ncols;
	snprintf(b->head, sizeof(b->head), "INSERT INTO %s (%s) VALUES ",
	    table, cols);
	snprintf(b->tail, sizeof(b->tail), "%s%s", conflict != NULL ?
	    " ON CONFLICT " : "", conflict != NULL ? conflict : "");
	return b;
}

/* b->sql for n rows: ($1, .. $ncols), ($ncols+1, ..), ...; 0 or -1. */
static int
qa_store_batch_sql(struct qa_store_batch *b, size_t n)
{
	size_t len, used, i;
	int k;
	char *q;

	if (b->sql != NULL && b->sql_rows == n)
		return 0;
	len = strlen(b->head) + strlen(b->tail) + n * (size_t)b->ncols * 10 +
	    n * 4 + 1;
	if ((q = realloc(b->sql, len)) == NULL)
		return -1;
	b->sql = q;
	used = (size_t)snprintf(q, len, "%s", b->head);
	for (i = 0; i < n && used < len; i++)
		for (k = 0; k < b->ncols && used < len; k++)
			used += (size_t)snprintf(q + used, len - used,
			    "%s$%zu%s", k > 0 ? ", " : i > 0 ? ", (" : "(",
			    i * (size_t)b->ncols + (size_t)k + 1,
			    k + 1 == b->ncols ? ")" : "");
	if (used < len)
		snprintf(q + used, len - used, "%s", b->tail);
	b->sql_rows = n;
	return 0;
}

int
qa_store_batch_flush(struct qa_store_batch *b)
{
	size_t i, nv = b->n * (size_t)b->ncols;
	int rc;

	if (b->n == 0)
		return 0;
	for (i = 0; i < nv; i++)
		b->p[i] = b->at[i] == QA_STORE_NULL ? NULL : b->buf + b->at[i];
	if (qa_store_batch_sql(b, b->n) == -1) {
		snprintf(b->s->err, sizeof(b->s->err), "out of memory");
		rc = -1;
	} else
		rc = qa_store_exec(b->s, b->sql, b->p, (int)nv, NULL, NULL);
	b->n = 0;
	b->used = 0;
	return rc;
}

int
qa_store_batch_add(struct qa_store_batch *b, const char *const *vals)
{
	size_t need = 0, len, cap;
	char *nb;
	int k;

	for (k = 0; k < b->ncols; k++)
		need += vals[k] != NULL ? strlen(vals[k]) + 1 : 0;
	if (b->n > 0 && b->used + need > QA_STORE_BATCH_BYTES &&
	    qa_store_batch_flush(b) == -1)
		return -1;
	if (b->used + need > b->cap) {
		cap = b->cap == 0 ? 4096 : b->cap;
		while (cap < b->used + need)
			cap *= 2;
		if ((nb = realloc(b->buf, cap)) == NULL) {
			snprintf(b->s->err, sizeof(b->s->err),
			    "out of memory");
			return -1;
		}
		b->buf = nb;
		b->cap = cap;
	}
	for (k = 0; k < b->ncols; k++) {
		if (vals[k] == NULL) {
			b->at[b->n * (size_t)b->ncols + (size_t)k] =
			    QA_STORE_NULL;
			continue;
		}
		len = strlen(vals[k]) + 1;
		memcpy(b->buf + b->used, vals[k], len);
		b->at[b->n * (size_t)b->ncols + (size_t)k] = b->used;
		b->used += len;
	}
	if (++b->n == QA_STORE_BATCH_ROWS)
		return qa_store_batch_flush(b);
	return 0;
}

void
qa_store_batch_free(struct qa_store_batch *b)
{
	if (b == NULL)
		return;
	free(b->buf);
	free(b->sql);
	free(b);
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
