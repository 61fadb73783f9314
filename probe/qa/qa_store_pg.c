/*
 * qa_store_pg.c - the PostgreSQL backend of the QA store (qa_store.h),
 * through libpq, for labs whose stations share one database.  The common
 * SQL is sent as is ($N is PostgreSQL's own parameter syntax), every
 * parameter as text, which the server casts to the column's type.
 * Messages never echo the connection URL: it may hold a password.
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "qa_store.h"

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

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		if (c != NULL)
			qa_store_pg_msg(c, err, errlen);
		else
			snprintf(err, errlen, "out of memory");
		PQfinish(c);
		return -1;
	}
	/* Notices ("relation exists, skipping") are not for the user. */
	r = PQexec(c, "SET client_min_messages TO WARNING");
	PQclear(r);
	*handle = c;
	return 0;
}

static int
qa_store_pg_exec(void *handle, const char *sql, const char *const *params,
    int nparams, qa_store_row_fn row, void *arg, char *err, size_t errlen)
{
	const char *vals[QA_STORE_PARAMS_MAX * 2];
	PGconn *c = handle;
	PGresult *r;
	int i, t, n, nt;

	r = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		qa_store_pg_msg(c, err, errlen);
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
	PQfinish(handle);
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
