/*
 * qa_store_sqlite.c - the SQLite backend of the QA store (qa_store.h): a
 * file, created when missing, that a station writes with no set-up.  The
 * common SQL's $N parameters are SQLite named parameters; each is bound by
 * its name, so the order they appear in does not matter.  The statements
 * used most (a judge writes one verdict row per cell and firmware) stay
 * prepared in a small cache, keyed by their text: preparing costs more
 * than running such an INSERT.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "qa_store.h"

#define QA_SQLITE_CACHE	8

/*
 * A statement's parameter index for each of $1..$N, looked up once when
 * it is prepared: sqlite3_bind_parameter_index() walks the statement's
 * list of names, so binding the 768 parameters of a batch of 64 verdict
 * rows by name each time cost 768 walks of 768 names.
 */
struct qa_sqlite_params {
	int		*idx;		/* idx[i]: $i+1's index, 0 unused */
	int		 n;
};

struct qa_sqlite {
	sqlite3		*db;
	struct {
		char		*sql;	/* a copy of its text */
		sqlite3_stmt	*st;
		struct qa_sqlite_params pa;
	}		 cache[QA_SQLITE_CACHE];
	unsigned	 next;		/* the slot to replace next */
};

static int
qa_store_sqlite_open(const char *target, void **handle, char *err,
    size_t errlen)
{
	struct qa_sqlite *h;
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
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", target);
		sqlite3_close(db);
		return -1;
	}
	h->db = db;
	*handle = h;
	return 0;
}

/*
 * The statement for sql: from the cache, reset, or newly prepared (and
 * cached).  *owned is set when the caller must finalize it: the cached one
 * is in use by an outer call (a query run from another's row callback).
 */
/*
 * The index of each $N of st, N = 1 .. the highest parameter number it
 * has, into *pa; pa->idx NULL when there is no memory (then bound by name).
 */
static void
qa_store_sqlite_params(sqlite3_stmt *st, struct qa_sqlite_params *pa)
{
	char name[16];
	int i, n = sqlite3_bind_parameter_count(st);

	pa->n = 0;
	pa->idx = NULL;
	if (n <= 0 || (pa->idx = calloc((size_t)n, sizeof(*pa->idx))) == NULL)
		return;
	pa->n = n;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "$%d", i + 1);
		pa->idx[i] = sqlite3_bind_parameter_index(st, name);
	}
}

static sqlite3_stmt *
qa_store_sqlite_stmt(struct qa_sqlite *h, const char *sql, bool *owned,
    const struct qa_sqlite_params **pa)
{
	static const struct qa_sqlite_params none = { NULL, 0 };
	sqlite3_stmt *st = NULL;
	char *copy;
	unsigned i;

	*owned = false;
	*pa = &none;
	for (i = 0; i < QA_SQLITE_CACHE; i++)
		if (h->cache[i].sql != NULL &&
		    strcmp(h->cache[i].sql, sql) == 0) {
			if (sqlite3_stmt_busy(h->cache[i].st))
				break;
			sqlite3_reset(h->cache[i].st);
			sqlite3_clear_bindings(h->cache[i].st);
			*pa = &h->cache[i].pa;
			return h->cache[i].st;
		}
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	/* In use already, or no memory for the copy: a one-off. */
	if (i < QA_SQLITE_CACHE || (copy = strdup(sql)) == NULL) {
		*owned = true;
		return st;
	}
	i = h->next++ % QA_SQLITE_CACHE;
	sqlite3_finalize(h->cache[i].st);
	free(h->cache[i].sql);
	free(h->cache[i].pa.idx);
	h->cache[i].sql = copy;
	h->cache[i].st = st;
	qa_store_sqlite_params(st, &h->cache[i].pa);
	*pa = &h->cache[i].pa;
	return st;
}

static int
qa_store_sqlite_bind(sqlite3 *db, sqlite3_stmt *st,
    const struct qa_sqlite_params *pa, const char *const *params,
    int nparams, char *err, size_t errlen)
{
	char name[16];
	int i, idx;

	for (i = 0; i < nparams; i++) {
		if (pa->idx != NULL)
			idx = i < pa->n ? pa->idx[i] : 0;
		else {
			snprintf(name, sizeof(name), "$%d", i + 1);
			idx = sqlite3_bind_parameter_index(st, name);
		}
		if (idx == 0)
			continue;	/* the statement does not use it */
		if ((params[i] == NULL ? sqlite3_bind_null(st, idx) :
		    sqlite3_bind_text(st, idx, params[i], -1,
		    SQLITE_STATIC)) != SQLITE_OK) {
			snprintf(err, errlen, "bind $%d: %s", i + 1,
			    sqlite3_errmsg(db));
			return -1;
		}
	}
	return 0;
}

/*
 * A statement is done: a one-off is finalized; a cached one is reset, so
 * that it holds no lock or open read until it is used again, and its
 * bindings cleared: the values were bound SQLITE_STATIC, the caller's,
 * valid only during the call.
 */
static void
qa_store_sqlite_done(sqlite3_stmt *st, bool owned)
{
	if (owned) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
qa_store_sqlite_exec(void *handle, const char *sql, const char *const *params,
    int nparams, qa_store_row_fn row, void *arg, char *err, size_t errlen)
{
	const char *vals[QA_STORE_PARAMS_MAX * 2];
	struct qa_sqlite *h = handle;
	sqlite3 *db = h->db;
	const struct qa_sqlite_params *pa;
	sqlite3_stmt *st;
	bool owned;
	int rc, i, n;

	if ((st = qa_store_sqlite_stmt(h, sql, &owned, &pa)) == NULL) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	if (qa_store_sqlite_bind(db, st, pa, params, nparams, err,
	    errlen) == -1) {
		qa_store_sqlite_done(st, owned);
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
		qa_store_sqlite_done(st, owned);
		return -1;
	}
	qa_store_sqlite_done(st, owned);
	return 0;
}

static void
qa_store_sqlite_close(void *handle)
{
	struct qa_sqlite *h = handle;
	unsigned i;

	for (i = 0; i < QA_SQLITE_CACHE; i++) {
		sqlite3_finalize(h->cache[i].st);
		free(h->cache[i].sql);
		free(h->cache[i].pa.idx);
	}
	sqlite3_close(h->db);
	free(h);
}

/*
 * BEGIN IMMEDIATE takes the file's write lock at once: a second migrator
 * waits (the busy timeout) instead of reading an empty schema too.
 */
const struct qa_store_backend qa_store_sqlite = {
	"sqlite", { "BEGIN IMMEDIATE", NULL, NULL },
	qa_store_sqlite_open, qa_store_sqlite_exec, qa_store_sqlite_close
};
