/*
 * fuzz_qa_plan.c - the QA plan reader (probe/qa/qa_plan.c and its YAML
 * front end qa_yaml.c) over arbitrary bytes, YAML or JSON by the first
 * byte, without rules.  It may refuse anything, but never crash, leak or
 * read past the buffer, and an accepted plan's cells stay within its
 * routers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "qa_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qa_plan *p;
	char err[512];
	size_t i;

	p = qa_plan_parse((const char *)data, size, "fuzz", NULL, err,
	    sizeof(err));
	if (p == NULL)
		return 0;
	for (i = 0; i < p->ncells; i++)
		if (p->cell[i].router >= p->nrouters ||
		    p->cell[i].station >= p->nstations)
			abort();
	qa_plan_free(p);
	return 0;
}
