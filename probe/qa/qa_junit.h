/*
 * qa_junit.h - JUnit XML of QA results for CI (qa_junit.c).
 */
#ifndef QA_JUNIT_H
#define QA_JUNIT_H

#include <stdio.h>

#include "qa_model.h"
#include "qa_store.h"

/*
 * The model as JUnit XML: one <testsuite> per cell, with the router,
 * firmware, config, station and plan hash as properties; one <testcase>
 * per test x device x firmware; a fail is a <failure> giving the finding
 * id, its summary and the LED, an inconclusive verdict an <error>.
 * 0, or -1 on a write error.
 */
int	qa_junit_render(const struct qa_model *m, FILE *f);

/*
 * Load run run_id (NULL: the newest of each cell) from s and write it to
 * path ("-": standard output).  0, or -1 with a message in err.
 */
int	qa_junit_write(struct qa_store *s, const char *run_id,
	    const char *path, char *err, size_t errlen);

#endif /* QA_JUNIT_H */
