/*
 * qa_run.h - `qa run`: measure a plan's cells into a store (qa_run.c).
 */
#ifndef QA_RUN_H
#define QA_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/* A new run id that sorts by time: 20261206T071500Z-1a2b3c4d. */
void	qa_run_id(char *buf, size_t len);

/*
 * Store a new run of plan p (its JSON, hash, the station that ran it,
 * NULL: all) and its cells with selected[i] true as pending, in one
 * transaction.  0, or -1 with the store's error.
 */
int	qa_run_store_begin(struct qa_store *s, const struct qa_plan *p,
	    const char *run_id, const char *station, const bool *selected);

/* A cell's end: its status ("measured", "error", "skipped"); 0 or -1. */
int	qa_run_store_cell_end(struct qa_store *s, const char *run_id,
	    const char *cell_id, const char *status);

/* The run's end time; 0 or -1. */
int	qa_run_store_run_end(struct qa_store *s, const char *run_id);

/*
 * Judge the stored run for its plan's devices and firmware, write JUnit
 * to `junit` if not NULL, and print the one-line tally to out.  The exit
 * status from the verdicts (EXIT_OK, EXIT_PROBLEMS), or EXIT_RUNTIME.
 */
int	qa_run_conclude(struct qa_store *s, const struct rules *rules,
	    const char *run_id, const char *junit, FILE *out);

#endif /* QA_RUN_H */
