/*
 * qa_store_sqlite.c - the SQLite backend of the QA store (qa_store.h): a
 * file, created when missing, that a station writes with no set-up.  The
 * common SQL's $N parameters are SQLite named parameters; each is bound by
 * its name, so the order they appear in does not matter.
 */
#include <stdio.h>

#include <sqlite3.h>

#include "qa_store.h"

static int
qa_store_sqlite_open(const char *target, void **handle, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(target, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target, db != NULL ?
		    sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return -1;
	}
	/* Another process (a judge, a report) may hold the file a moment. */
	sqlite3_busy_timeout(db, 10000);
	*handle = db;
	return 0;
}

static int
qa_store_sqlite_bind(sqlite3 *db, sqlite3_stmt *st, const char *const *params,
    int nparams, char *err, size_t errlen)
{
	char name[16];
	int i, idx;

	for (i = 0; i < nparams; i++) {
		snprintf(name, sizeof(name), "$%d", i + 1);
		if ((idx = sqlite3_bind_parameter_index(st, name)) == 0)
			continue;	/* the statement does not use it */
		if ((params[i] == NULL ? sqlite3_bind_null(st, idx) :
		    sqlite3_bind_text(st, idx, params[i], -1,
		    SQLITE_TRANSIENT)) != SQLITE_OK) {
			snprintf(err, errlen, "bind %s: %s", name,
			    sqlite3_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int
qa_store_sqlite_exec(void *handle, const char *sql, const char *const *params,
    int nparams, qa_store_row_fn row, void *arg, char *err, size_t errlen)
{
	const char *vals[QA_STORE_PARAMS_MAX * 2];
	sqlite3 *db = handle;
	sqlite3_stmt *st = NULL;
	int rc, i, n;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	if (qa_store_sqlite_bind(db, st, params, nparams, err, errlen) == -1) {
		sqlite3_finalize(st);
		return -1;
	}
	n = sqlite3_column_count(st);
	if (n > QA_STORE_PARAMS_MAX * 2)
		n = QA_STORE_PARAMS_MAX * 2;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (row == NULL)
			continue;
		for (i = 0; i < n; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (row(arg, n, vals) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static void
qa_store_sqlite_close(void *handle)
{
	sqlite3_close(handle);
}

/*
 * BEGIN IMMEDIATE takes the file's write lock at once: a second migrator
 * waits (the busy timeout) instead of reading an empty schema too.
 */
const struct qa_store_backend qa_store_sqlite = {
	"sqlite", { "BEGIN IMMEDIATE", NULL, NULL },
	qa_store_sqlite_open, qa_store_sqlite_exec, qa_store_sqlite_close
};
