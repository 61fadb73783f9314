/*
 * finding.c - the finding id names and the bounded finding list.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "finding.h"

#define FINDING_NAME_(name, str)	str,
static const char *const finding_names[FINDING_COUNT] = {
	FINDING_IDS(FINDING_NAME_)
};
#undef FINDING_NAME_

const char *
finding_name(enum finding_id id)
{
	if ((unsigned)id >= FINDING_COUNT)
		return "unknown";
	return finding_names[id];
}

bool
finding_from_name(const char *name, enum finding_id *out)
{
	size_t i;

	for (i = 0; i < FINDING_COUNT; i++) {
		if (strcmp(finding_names[i], name) == 0) {
			*out = (enum finding_id)i;
			return true;
		}
	}
	return false;
}

void
findings_init(struct findings *fs)
{
	memset(fs, 0, sizeof(*fs));
}

int
findings_add(struct findings *fs, enum finding_id id, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (fs->n >= FINDINGS_MAX) {
		fs->dropped++;
		return -1;
	}
	f = &fs->item[fs->n++];
	f->id = id;
	va_start(ap, fmt);
	vsnprintf(f->evidence, sizeof(f->evidence), fmt, ap);
	va_end(ap);
	return 0;
}

bool
findings_has(const struct findings *fs, enum finding_id id)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->item[i].id == id)
			return true;
	return false;
}
