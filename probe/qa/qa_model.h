/*
 * qa_model.h - the QA results as the reports see them: the matrix whose
 * rows are router x router firmware x configuration (cells) and whose
 * columns are device x device firmware, each crossing holding the worst
 * verdict over the plan's tests, read from a store (qa_model.c).  Every
 * renderer (terminal matrix, Markdown, HTML, JUnit) reads this one model
 * and decides nothing.  Where several runs measured a cell (one CI job per
 * cell, pushed into one PostgreSQL), the newest run's measurement counts.
 */
#ifndef QA_MODEL_H
#define QA_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "qajudge.h"
#include "qa_plan.h"
#include "qa_store.h"

struct qa_mverdict {
	size_t			 col;
	char			 test[QA_ID_MAX];
	enum qajudge_outcome	 outcome;
	char			 stage[24];
	char			 finding[48];	/* "" on a pass */
	char			 summary[256];
	char			 led[64];
};

struct qa_mcell {
	char		run_id[64];
	char		plan_hash[65];
	char		started[32];
	char		id[QA_CELL_ID_MAX];
	char		router[QA_ID_MAX], vendor[QA_TEXT_MAX];
	char		model[QA_TEXT_MAX], hardware[QA_TEXT_MAX];
	char		firmware[QA_ID_MAX], config[QA_ID_MAX];
	char		station[QA_ID_MAX], runner_tag[QA_ID_MAX];
	char		status[16];
	struct qa_mverdict *v;		/* its verdicts, by column then test */
	size_t		 nv;
};

struct qa_mcol {
	char		device[16];
	char		firmware[32];
};

struct qa_model {
	struct qa_mcell	*cell;		/* rows, sorted */
	size_t		 ncells;
	struct qa_mcol	*col;		/* sorted by device, then version */
	size_t		 ncols;
};

/*
 * Load the model from s: run `run_id` only, or (NULL) the newest
 * measurement of every cell.  0, or -1 with a message in err.
 */
int	qa_model_load(struct qa_store *s, const char *run_id,
	    struct qa_model *m, char *err, size_t errlen);
void	qa_model_free(struct qa_model *m);

/*
 * The worst verdict of row r in column c over the tests (fail, then
 * inconclusive, warn, pass), or NULL when none was judged.
 */
const struct qa_mverdict *qa_model_worst(const struct qa_model *m, size_t r,
	    size_t c);

/*
 * The row's first bad device firmware: for each device, its oldest
 * firmware whose worst verdict is a fail, as "photon 0.7.0" ("; " between
 * devices) into buf; "" when none fails.
 */
void	qa_model_first_bad(const struct qa_model *m, size_t r, char *buf,
	    size_t len);

#endif /* QA_MODEL_H */
