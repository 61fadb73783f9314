/*
 * qa_run.h - `qa run`: measure a plan's cells into a store (qa_run.c).
 */
#ifndef QA_RUN_H
#define QA_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "qa_plan.h"
#include "qa_store.h"
#include "rules.h"

#define QA_RUN_CELLS_MAX	64

struct qa_run_opts {
	const char	*cell[QA_RUN_CELLS_MAX];	/* --cell; none: all */
	size_t		 ncells;
	const char	*station;	/* --station: only its cells */
	const char	*rules_dir;	/* handed to the tests */
	bool		 progress;	/* on a terminal: a live line */
};

/*
 * Measure the selected cells of plan into s under a new run, whose id is
 * written to run_id.  Returns 0, 1 when stopped by a signal (what was
 * measured is stored), or -1 when the store failed (message printed).
 */
int	qa_run_measure(const struct qa_plan *plan, const struct rules *rules,
	    const struct qa_run_opts *o, struct qa_store *s, char *run_id,
	    size_t idlen);

#endif /* QA_RUN_H */
