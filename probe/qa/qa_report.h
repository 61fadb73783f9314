/*
 * qa_report.h - `qa report` (qa_report.c), and the words a matrix crossing
 * shows, which every rendering shares.
 */
#ifndef QA_REPORT_H
#define QA_REPORT_H

#include <stddef.h>

#include "qa_model.h"

/*
 * A crossing in words: "pass", "warn FINDING, LED", "FAIL FINDING, LED",
 * "inconclusive [FINDING]", or "-" for none (v NULL).
 */
void	qa_report_cell_text(const struct qa_mverdict *v, char *buf,
	    size_t len);

#endif /* QA_REPORT_H */
