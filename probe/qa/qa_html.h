/*
 * qa_html.h - the QA matrix as one self-contained HTML page (qa_html.c).
 */
#ifndef QA_HTML_H
#define QA_HTML_H

#include <stdio.h>

#include "qa_model.h"
#include "qa_store.h"

/*
 * Write the page for model m to path ("-": standard output), each cell's
 * facts read from s.  0, or -1 (message printed).
 */
int	qa_html_write(struct qa_store *s, const struct qa_model *m,
	    const char *path);

#endif /* QA_HTML_H */
