/*
 * qa_judge.h - `qa judge`: read a run's stored observations, judge them
 * (analyzers/qajudge.h) for each device and firmware of its plan, or for
 * one named on the command line, and store the verdicts, replacing older
 * ones.  `qa run` calls it at its end too.
 */
#ifndef QA_JUDGE_H
#define QA_JUDGE_H

#include <stddef.h>

#include "qajudge.h"
#include "qa_store.h"
#include "rules.h"

struct qa_judge_tally {
	size_t	runs, cells, observations, verdicts;
	size_t	outcome[QAJUDGE_OUTCOME_COUNT];
	double	load_s;		/* reading the facts */
	double	judge_s;	/* deciding (analyzers/qajudge.c) alone */
	double	store_s;	/* writing the verdicts, and committing */
};

/*
 * Judge run `run_id` (NULL: every run in the store) for device/firmware
 * (both NULL: each pair of the run's plan).  Adds to *t.  Returns 0, or -1
 * with a message in err.
 */
int	qa_judge_store(struct qa_store *s, const struct rules *rules,
	    const char *run_id, const char *device, const char *firmware,
	    struct qa_judge_tally *t, char *err, size_t errlen);

#endif /* QA_JUDGE_H */
