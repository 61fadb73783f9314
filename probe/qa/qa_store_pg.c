/*
 * qa_store_pg.c - the PostgreSQL backend of the QA store (qa_store.h),
 * through libpq, for labs whose stations share one database.  The common
 * SQL is sent as is ($N is PostgreSQL's own parameter syntax), every
 * parameter as text, which the server casts to the column's type.
 * A statement sent a second time is prepared on the server (PQprepare)
 * and from then on only executed, from a small cache keyed by its text:
 * the judge writes one verdict row per cell and firmware with the same
 * INSERT, and the server then parses and plans it once, not per row.  A
 * statement used once (the migrations) is sent as it is, never prepared,
 * which would cost a second round trip.  Messages never echo the
 * connection URL: it may hold a password.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "qa_store.h"

#define QA_PG_CACHE	8

struct qa_pg {
	PGconn		*c;
	struct {
		char		*sql;		/* a copy of its text */
		char		 name[32];	/* "" until prepared */
	}		 cache[QA_PG_CACHE];
	unsigned	 next;		/* the slot to replace next */
	unsigned	 serial;	/* names are never reused */
};

/* The server's message, on one line. */
static void
qa_store_pg_msg(PGconn *c, char *err, size_t errlen)
{
	char *nl;

	snprintf(err, errlen, "%s", PQerrorMessage(c));
	while ((nl = strchr(err, '\n')) != NULL)
		*nl = nl[1] == '\0' ? '\0' : ' ';
}

static int
qa_store_pg_open(const char *target, void **handle, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(target);
	PGresult *r;
	struct qa_pg *h;

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		if (c != NULL)
			qa_store_pg_msg(c, err, errlen);
		else
			snprintf(err, errlen, "out of memory");
		PQfinish(c);
		return -1;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "out of memory");
		PQfinish(c);
		return -1;
	}
	/* Notices ("relation exists, skipping") are not for the user. */
	r = PQexec(c, "SET client_min_messages TO WARNING");
	PQclear(r);
	h->c = c;
	*handle = h;
	return 0;
}

/*
 * Drop slot i.  A statement the server cannot deallocate now (inside a
 * failed transaction) stays there until the connection ends: harmless,
 * since a name is never used twice.
 */
static void
qa_store_pg_forget(struct qa_pg *h, unsigned i)
{
	char sql[64];

	if (h->cache[i].name[0] != '\0') {
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", h->cache[i].name);
		PQclear(PQexec(h->c, sql));
	}
	free(h->cache[i].sql);
	h->cache[i].sql = NULL;
	h->cache[i].name[0] = '\0';
}

/*
 * The prepared statement's name for sql, or NULL to send it as it is: the
 * first time a text is seen it is only remembered; the second time it is
 * prepared.  NULL too when preparing fails: the plain send then reports
 * the error, as it would have without the cache.
 */
static const char *
qa_store_pg_prepared(struct qa_pg *h, const char *sql, int nparams)
{
	PGresult *r;
	unsigned i;
	bool ok;

	for (i = 0; i < QA_PG_CACHE; i++)
		if (h->cache[i].sql != NULL &&
		    strcmp(h->cache[i].sql, sql) == 0)
			break;
	if (i == QA_PG_CACHE) {
		i = h->next++ % QA_PG_CACHE;
		qa_store_pg_forget(h, i);
		h->cache[i].sql = strdup(sql);	/* NULL: not cached */
		return NULL;
	}
	if (h->cache[i].name[0] != '\0')
		return h->cache[i].name;
	snprintf(h->cache[i].name, sizeof(h->cache[i].name),
	    "cyanprobe_qa_%u", ++h->serial);
	r = PQprepare(h->c, h->cache[i].name, sql, nparams, NULL);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		h->cache[i].name[0] = '\0';
		return NULL;
	}
	return h->cache[i].name;
}

static int
qa_store_pg_exec(void *handle, const char *sql, const char *const *params,
    int nparams, qa_store_row_fn row, void *arg, char *err, size_t errlen)
{
	const char *vals[QA_STORE_PARAMS_MAX * 2], *name;
	struct qa_pg *h = handle;
	PGresult *r;
	int i, t, n, nt;

	if ((name = qa_store_pg_prepared(h, sql, nparams)) != NULL)
		r = PQexecPrepared(h->c, name, nparams, params, NULL, NULL, 0);
	else
		r = PQexecParams(h->c, sql, nparams, NULL, params, NULL, NULL,
		    0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		qa_store_pg_msg(h->c, err, errlen);
		PQclear(r);
		return -1;
	}
	n = PQnfields(r);
	if (n > QA_STORE_PARAMS_MAX * 2)
		n = QA_STORE_PARAMS_MAX * 2;
	nt = PQntuples(r);
	for (t = 0; row != NULL && t < nt; t++) {
		for (i = 0; i < n; i++)
			vals[i] = PQgetisnull(r, t, i) ? NULL :
			    PQgetvalue(r, t, i);
		if (row(arg, n, vals) != 0)
			break;
	}
	PQclear(r);
	return 0;
}

static void
qa_store_pg_close(void *handle)
{
	struct qa_pg *h = handle;
	unsigned i;

	for (i = 0; i < QA_PG_CACHE; i++)
		free(h->cache[i].sql);
	PQfinish(h->c);
	free(h);
}

/*
 * A transaction-scoped advisory lock: taken before the schema table is
 * even looked at, held until COMMIT or ROLLBACK, released by the server
 * when a station dies.  The key is "cyanprqa" in ASCII, so that it does
 * not collide with another application's lock in a shared database.
 */
const struct qa_store_backend qa_store_pg = {
	"postgresql",
	{ "BEGIN", "SELECT pg_advisory_xact_lock(7167867408897700193)", NULL },
	qa_store_pg_open, qa_store_pg_exec, qa_store_pg_close
};
