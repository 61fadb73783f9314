/*
 * qa_model.c - read the QA matrix (qa_model.h) from a store: the cells of
 * the newest run that measured each (or of one run), their verdicts, and
 * the columns every verdict names, sorted so that firmware versions read
 * oldest to newest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa_model.h"
#include "stage.h"

struct qa_model_load {
	struct qa_model	*m;
	size_t		 cap;
	bool		 oom;
};

#define QA_COPY(dst, src)	snprintf((dst), sizeof(dst), "%s", \
				    (src) != NULL ? (src) : "")

/* Row: run_id, plan_hash, started, cell_id, router, vendor, model,
 * hardware, firmware, config, station, runner_tag, status. */
static int
qa_model_cell_row(void *arg, int n, const char *const *v)
{
	struct qa_model_load *l = arg;
	struct qa_model *m = l->m;
	struct qa_mcell *c;
	size_t i;

	if (n < 13 || v[3] == NULL)
		return 0;
	/* Newest first: a cell seen already keeps its newer run. */
	for (i = 0; i < m->ncells; i++)
		if (strcmp(m->cell[i].id, v[3]) == 0)
			return 0;
	if (m->ncells == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		if ((c = realloc(m->cell, l->cap * sizeof(*c))) == NULL) {
			l->oom = true;
			return 1;
		}
		m->cell = c;
	}
	c = &m->cell[m->ncells++];
	memset(c, 0, sizeof(*c));
	QA_COPY(c->run_id, v[0]); QA_COPY(c->plan_hash, v[1]);
	QA_COPY(c->started, v[2]); QA_COPY(c->id, v[3]);
	QA_COPY(c->router, v[4]); QA_COPY(c->vendor, v[5]);
	QA_COPY(c->model, v[6]); QA_COPY(c->hardware, v[7]);
	QA_COPY(c->firmware, v[8]); QA_COPY(c->config, v[9]);
	QA_COPY(c->station, v[10]); QA_COPY(c->runner_tag, v[11]);
	QA_COPY(c->status, v[12]);
	return 0;
}

static size_t
qa_model_col(struct qa_model *m, const char *device, const char *fw,
    bool *oom)
{
	struct qa_mcol *c;
	size_t i;

	for (i = 0; i < m->ncols; i++)
		if (strcmp(m->col[i].device, device) == 0 &&
		    strcmp(m->col[i].firmware, fw) == 0)
			return i;
	if ((c = realloc(m->col, (m->ncols + 1) * sizeof(*c))) == NULL) {
		*oom = true;
		return 0;
	}
	m->col = c;
	QA_COPY(c[m->ncols].device, device);
	QA_COPY(c[m->ncols].firmware, fw);
	return m->ncols++;
}

static struct qa_mcell *
qa_model_find(struct qa_model *m, const char *run, const char *cell)
{
	size_t i;

	for (i = 0; i < m->ncells; i++)
		if (strcmp(m->cell[i].id, cell) == 0)
			return strcmp(m->cell[i].run_id, run) == 0 ?
			    &m->cell[i] : NULL;
	return NULL;
}

/* Row: run_id, cell_id, test, device, device_firmware, outcome, stage,
 * finding, summary, led. */
static int
qa_model_verdict_row(void *arg, int n, const char *const *v)
{
	struct qa_model_load *l = arg;
	struct qa_mcell *c;
	struct qa_mverdict *mv;
	int i;

	for (i = 0; i < 6 && i < n; i++)
		if (v[i] == NULL)
			return 0;
	if (n < 10 || (c = qa_model_find(l->m, v[0], v[1])) == NULL)
		return 0;
	if ((mv = realloc(c->v, (c->nv + 1) * sizeof(*mv))) == NULL) {
		l->oom = true;
		return 1;
	}
	c->v = mv;
	mv = &c->v[c->nv++];
	memset(mv, 0, sizeof(*mv));
	mv->col = qa_model_col(l->m, v[3], v[4], &l->oom);
	QA_COPY(mv->test, v[2]);
	if (!qajudge_outcome_from_name(v[5], &mv->outcome))
		mv->outcome = QAJUDGE_INCONCLUSIVE;
	QA_COPY(mv->stage, v[6]); QA_COPY(mv->finding, v[7]);
	QA_COPY(mv->summary, v[8]); QA_COPY(mv->led, v[9]);
	return l->oom ? 1 : 0;
}

/* Version order where both parse, else text order. */
static int
qa_model_fwcmp(const char *a, const char *b)
{
	struct fw_version va, vb;

	if (fw_version_parse(a, &va) && fw_version_parse(b, &vb))
		return fw_version_cmp(&va, &vb);
	return strcmp(a, b);
}

static int
qa_model_colcmp(const void *a, const void *b)
{
	const struct qa_mcol *x = a, *y = b;
	int d = strcmp(x->device, y->device);

	return d != 0 ? d : qa_model_fwcmp(x->firmware, y->firmware);
}

static int
qa_model_cellcmp(const void *a, const void *b)
{
	const struct qa_mcell *x = a, *y = b;
	int d = strcmp(x->router, y->router);

	if (d == 0)
		d = strcmp(x->config, y->config);
	return d != 0 ? d : qa_model_fwcmp(x->firmware, y->firmware);
}

/* Sort the columns, and renumber the verdicts' columns to match. */
static int
qa_model_sort(struct qa_model *m)
{
	struct qa_mcol *old;
	size_t i, k, c;

	if ((old = malloc((m->ncols + 1) * sizeof(*old))) == NULL)
		return -1;
	/* A store with no verdicts (or no cells) has NULL arrays here. */
	if (m->ncols > 0) {
		memcpy(old, m->col, m->ncols * sizeof(*old));
		qsort(m->col, m->ncols, sizeof(*m->col), qa_model_colcmp);
	}
	for (i = 0; i < m->ncells; i++)
		for (k = 0; k < m->cell[i].nv; k++) {
			const struct qa_mcol *o = &old[m->cell[i].v[k].col];

			for (c = 0; c < m->ncols; c++)
				if (strcmp(m->col[c].device, o->device) == 0 &&
				    strcmp(m->col[c].firmware,
				    o->firmware) == 0)
					m->cell[i].v[k].col = c;
		}
	free(old);
	if (m->ncells > 0)
		qsort(m->cell, m->ncells, sizeof(*m->cell), qa_model_cellcmp);
	return 0;
}

int
qa_model_load(struct qa_store *s, const char *run_id, struct qa_model *m,
    char *err, size_t errlen)
{
	struct qa_model_load l = { m, 0, false };
	const char *p[1] = { run_id };
	int n = run_id != NULL ? 1 : 0;

	memset(m, 0, sizeof(*m));
	if (qa_store_exec(s, run_id != NULL ?
	    "SELECT c.run_id, r.plan_hash, r.started, c.cell_id, c.router,"
	    " c.vendor, c.model, c.hardware, c.firmware, c.config, c.station,"
	    " c.runner_tag, c.status FROM cells c JOIN runs r"
	    " ON r.run_id = c.run_id WHERE c.run_id = $1" :
	    "SELECT c.run_id, r.plan_hash, r.started, c.cell_id, c.router,"
	    " c.vendor, c.model, c.hardware, c.firmware, c.config, c.station,"
	    " c.runner_tag, c.status FROM cells c JOIN runs r"
	    " ON r.run_id = c.run_id ORDER BY r.started DESC, c.run_id DESC",
	    p, n, qa_model_cell_row, &l) == -1 || l.oom ||
	    qa_store_exec(s, run_id != NULL ?
	    "SELECT run_id, cell_id, test, device, device_firmware, outcome,"
	    " stage, finding, summary, led FROM verdicts WHERE run_id = $1"
	    " ORDER BY cell_id, device, device_firmware, test" :
	    "SELECT run_id, cell_id, test, device, device_firmware, outcome,"
	    " stage, finding, summary, led FROM verdicts"
	    " ORDER BY cell_id, device, device_firmware, test",
	    p, n, qa_model_verdict_row, &l) == -1 || l.oom ||
	    qa_model_sort(m) == -1) {
		snprintf(err, errlen, "%s", l.oom ? "out of memory" :
		    qa_store_error(s));
		qa_model_free(m);
		return -1;
	}
	return 0;
}

void
qa_model_free(struct qa_model *m)
{
	size_t i;

	for (i = 0; i < m->ncells; i++)
		free(m->cell[i].v);
	free(m->cell);
	free(m->col);
	memset(m, 0, sizeof(*m));
}

const struct qa_mverdict *
qa_model_worst(const struct qa_model *m, size_t r, size_t c)
{
	const struct qa_mcell *cell = &m->cell[r];
	const struct qa_mverdict *w = NULL;
	size_t i;

	for (i = 0; i < cell->nv; i++)
		if (cell->v[i].col == c && (w == NULL ||
		    qajudge_outcome_rank(cell->v[i].outcome) >
		    qajudge_outcome_rank(w->outcome)))
			w = &cell->v[i];
	return w;
}

void
qa_model_first_bad(const struct qa_model *m, size_t r, char *buf, size_t len)
{
	const struct qa_mverdict *w;
	const char *dev = "";
	size_t c;

	buf[0] = '\0';
	for (c = 0; c < m->ncols; c++) {
		/* Columns are sorted: the first fail of a device is its oldest. */
		if (strcmp(m->col[c].device, dev) == 0)
			continue;
		w = qa_model_worst(m, r, c);
		if (w == NULL || w->outcome != QAJUDGE_FAIL)
			continue;
		dev = m->col[c].device;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s %s",
		    buf[0] != '\0' ? "; " : "", dev, m->col[c].firmware);
	}
}
