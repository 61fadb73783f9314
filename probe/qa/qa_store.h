/*
 * qa_store.h - where QA results last: one interface, two backends.  SQLite
 * (qa_store_sqlite.c, a file, no set-up) is the default; PostgreSQL
 * (qa_store_pg.c, libpq) is for many stations sharing results.  Both hold
 * the same schema (runs, cells, facts, verdicts, artifacts) in portable
 * types, created and upgraded by the migrations in qa_store.c, which are
 * versioned in the code.  SQL is written once, with $1..$N parameters,
 * every value passed and returned as text (NULL for SQL NULL).
 */
#ifndef QA_STORE_H
#define QA_STORE_H

#include <stdbool.h>
#include <stddef.h>

#define QA_STORE_PARAMS_MAX	16

struct qa_store;

/* A row of a query: ncols values as text, NULL for SQL NULL. */
typedef int	(*qa_store_row_fn)(void *arg, int ncols,
		    const char *const *vals);

/* A backend: what qa_store.c needs of a database. */
struct qa_store_backend {
	const char	*name;		/* "sqlite", "postgresql" */
	/*
	 * The statements that open the migration's transaction and make
	 * every other migrator of the same store wait until it ends, so
	 * that two stations opening an empty store at once never both
	 * create its tables (NULL-terminated).
	 */
	const char	*migrate_begin[3];
	/* Open `target` into *handle; 0, or -1 with a message in err. */
	int		(*open)(const char *target, void **handle, char *err,
			    size_t errlen);
	/*
	 * Run one statement with nparams text parameters ($1..$N), calling
	 * row() for each row of its result (row NULL: none wanted; a
	 * non-zero return stops early).  0, or -1 with a message in err.
	 */
	int		(*exec)(void *handle, const char *sql,
			    const char *const *params, int nparams,
			    qa_store_row_fn row, void *arg, char *err,
			    size_t errlen);
	void		(*close)(void *handle);
};

extern const struct qa_store_backend qa_store_sqlite;
extern const struct qa_store_backend qa_store_pg;

/*
 * Open a store: "postgresql://..." or "postgres://..." with libpq, anything
 * else as a SQLite file (created when missing).  Brings the schema up to
 * date (qa_store_migrate).  Returns the store, or NULL with a message in
 * err (which never holds a password: URLs are not echoed).
 */
struct qa_store	*qa_store_open(const char *target, char *err, size_t errlen);
void		 qa_store_close(struct qa_store *s);

/* The backend's name, for messages. */
const char	*qa_store_kind(const struct qa_store *s);

/* One statement; see struct qa_store_backend's exec. */
int	qa_store_exec(struct qa_store *s, const char *sql,
	    const char *const *params, int nparams, qa_store_row_fn row,
	    void *arg);

/* BEGIN, COMMIT, ROLLBACK: 0 or -1. */
int	qa_store_begin(struct qa_store *s);
int	qa_store_commit(struct qa_store *s);
int	qa_store_rollback(struct qa_store *s);

/* The last error message; valid until the next call on s. */
const char *qa_store_error(const struct qa_store *s);

/*
 * A batch of rows for one table: added one at a time (each value copied),
 * written QA_STORE_BATCH_ROWS rows a statement, as one INSERT INTO table
 * (cols) VALUES (...), (...), ... [ON CONFLICT conflict]: one round trip
 * to a PostgreSQL server instead of one a row (the full batch's
 * statement, sent again and again, is prepared there once), one statement
 * for SQLite to run.  Fewer rows go when their values pass
 * QA_STORE_BATCH_BYTES, so that a batch of reports never holds more.
 * The caller opens and ends the transaction around it; rows not flushed
 * are not written.  conflict NULL: no ON CONFLICT clause.
 */
#define QA_STORE_BATCH_ROWS	64
#define QA_STORE_BATCH_BYTES	(4u << 20)
#define QA_STORE_BATCH_COLS	16

struct qa_store_batch;

struct qa_store_batch *qa_store_batch_new(struct qa_store *s,
			    const char *table, const char *cols, int ncols,
			    const char *conflict);
/* Add a row of ncols values (NULL: SQL NULL); a full batch is written. */
int	qa_store_batch_add(struct qa_store_batch *b, const char *const *vals);
/* Write the rows held; 0, or -1 (qa_store_error says why). */
int	qa_store_batch_flush(struct qa_store_batch *b);
void	qa_store_batch_free(struct qa_store_batch *b);

/* The schema version the store holds after opening, and the code's. */
int	qa_store_version(const struct qa_store *s);
int	qa_store_version_latest(void);

#endif /* QA_STORE_H */
