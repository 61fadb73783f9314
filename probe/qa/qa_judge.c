/*
 * qa_judge.c - `cyanprobe qa judge` (qa_judge.h): stored observations in,
 * stored verdicts out.  The deciding is analyzers/qajudge.c's; this file
 * reads the facts, groups them by cell and test, picks the variant each
 * firmware is judged on, and writes one verdict row per cell x test x
 * device x firmware, many rows a statement (qa_store_batch), all in one
 * transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "qa_cmd.h"
#include "qa_cond.h"
#include "qa_job.h"
#include "qa_judge.h"
#include "qa_plan.h"
#include "qa_tests.h"
#include "report.h"

/*
 * One (cell, test, variant) and what it saw, as struct qajudge_obs holds
 * it but for its BSSes: those are in the load's pool (bss_at, nbss, each
 * distinct, at most QAJUDGE_BSS_MAX), and go into a struct qajudge_obs
 * only while its group is judged (qa_judge_obs_get).  So 100,000 stored
 * observations do not each hold room for QAJUDGE_BSS_MAX BSSes.
 */
struct qa_judge_obs {
	char			cell[QA_CELL_ID_MAX];
	char			test[QA_ID_MAX];
	char			variant[QA_VARIANT_MAX];
	char			status[160];	/* the status row's why */
	bool			ran, inconclusive, bss_cut;
	judge_ids		seen;
	unsigned		conds;
	struct rqa_nat		nat[QAJUDGE_NAT_KINDS];
	size_t			bss_at, nbss;
};

struct qa_judge_load {
	struct qa_judge_obs	*obs;
	size_t			 n, cap;
	struct qajudge_bss	*bss;		/* the BSSes of every obs */
	size_t			 nbss, bss_cap;
	bool			 oom;
};

/* A device and firmware to judge for. */
struct qa_judge_pair {
	const struct profile	*p;
	struct fw_version	 fw;
	const char		*device, *firmware;
};

/*
 * Verdict rows go to the store QA_STORE_BATCH_ROWS at a time, as one
 * INSERT of that many rows (qa_store_batch): one round trip to a
 * PostgreSQL server instead of one a row.
 */
#define QA_JUDGE_COLS	12

static const char qa_judge_cols[] = "run_id, cell_id, test, device,"
    " device_firmware, outcome, stage, finding, summary, led, findings,"
    " judged_at";
static const char qa_judge_conflict[] = "(run_id, cell_id, test, device,"
    " device_firmware) DO UPDATE SET outcome = excluded.outcome,"
    " stage = excluded.stage, finding = excluded.finding,"
    " summary = excluded.summary, led = excluded.led,"
    " findings = excluded.findings, judged_at = excluded.judged_at";

static struct qa_judge_obs *
qa_judge_obs_add(struct qa_judge_load *l, const char *cell, const char *test,
    const char *variant)
{
	struct qa_judge_obs *o;
	size_t cap;

	if (l->n > 0) {
		o = &l->obs[l->n - 1];
		if (strcmp(o->cell, cell) == 0 && strcmp(o->test, test) == 0 &&
		    strcmp(o->variant, variant) == 0)
			return o;
	}
	if (l->n == l->cap) {
		cap = l->cap == 0 ? 256 : l->cap * 2;
		if ((o = realloc(l->obs, cap * sizeof(*o))) == NULL) {
			l->oom = true;
			return NULL;
		}
		l->obs = o;
		l->cap = cap;
	}
	o = &l->obs[l->n++];
	memset(o, 0, sizeof(*o));
	snprintf(o->cell, sizeof(o->cell), "%s", cell);
	snprintf(o->test, sizeof(o->test), "%s", test);
	snprintf(o->variant, sizeof(o->variant), "%s", variant);
	return o;
}

/*
 * BSS b of o into the load's pool, once (as qajudge_bss_add keeps it):
 * past QAJUDGE_BSS_MAX distinct ones o is cut.  0, or -1 out of memory.
 */
static int
qa_judge_bss_add(struct qa_judge_load *l, struct qa_judge_obs *o,
    const struct qajudge_bss *b)
{
	struct qajudge_bss *p;
	size_t i, cap;

	o->conds |= QAJUDGE_COND_BSS;
	for (i = 0; i < o->nbss; i++)
		if (memcmp(&l->bss[o->bss_at + i], b, sizeof(*b)) == 0)
			return 0;
	if (o->nbss >= QAJUDGE_BSS_MAX) {
		o->bss_cut = true;
		return 0;
	}
	if (l->nbss == l->bss_cap) {
		cap = l->bss_cap == 0 ? 64 : l->bss_cap * 2;
		if ((p = realloc(l->bss, cap * sizeof(*p))) == NULL) {
			l->oom = true;
			return -1;
		}
		l->bss = p;
		l->bss_cap = cap;
	}
	/* Rows come grouped by observation: its BSSes stay together. */
	if (o->nbss == 0)
		o->bss_at = l->nbss;
	l->bss[l->nbss++] = *b;
	o->nbss++;
	return 0;
}

/*
 * A condition row: its name, and for a BSS (QAJUDGE_COND_BSS) the stored
 * description in its value, for NAT lifetimes (QAJUDGE_COND_NAT) the
 * curves.  A BSS that cannot be read leaves the
 * network's findings as measured (bss_cut), as a BSS not kept does.
 * 0, or -1 out of memory.
 */
static int
qa_judge_cond(struct qa_judge_load *l, struct qa_judge_obs *o,
    const char *name, const char *value)
{
	struct qajudge_bss b;
	unsigned cond;

	if (!qajudge_cond_from_name(name, &cond))
		return 0;
	if (cond == QAJUDGE_COND_NAT) {
		/* Unreadable: the findings stay as measured. */
		if (qa_cond_nat_parse(value, o->nat))
			o->conds |= cond;
	} else if (cond != QAJUDGE_COND_BSS)
		o->conds |= cond;
	else if (qa_cond_bss_parse(value, &b))
		return qa_judge_bss_add(l, o, &b);
	else {
		o->conds |= cond;
		o->bss_cut = true;
	}
	return 0;
}

/* Observation g as the judge reads it, its BSSes from the pool, into *o. */
static void
qa_judge_obs_get(const struct qa_judge_load *l, const struct qa_judge_obs *g,
    struct qajudge_obs *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->ran = g->ran;
	o->inconclusive = g->inconclusive;
	o->seen = g->seen;
	o->conds = g->conds;
	memcpy(o->nat, g->nat, sizeof(o->nat));
	for (i = 0; i < g->nbss; i++)
		qajudge_bss_add(o, &l->bss[g->bss_at + i]);
	o->bss_cut = o->bss_cut || g->bss_cut;
}

/*
 * The status row: "ok" ran; "inconclusive" ran, and its report had no
 * evidence for a stage it judges.  A store written before that status
 * existed said "ok" for it too, with why "exit 4" (log.h's
 * EXIT_INCONCLUSIVE): read as inconclusive, never as a pass.
 */
static void
qa_judge_status(struct qa_judge_obs *o, const char *name, const char *why)
{
	o->ran = strcmp(name, "ok") == 0 ||
	    strcmp(name, "inconclusive") == 0;
	o->inconclusive = strcmp(name, "inconclusive") == 0 ||
	    (o->ran && why != NULL && strncmp(why, "exit 4", 6) == 0 &&
	    (why[6] == '\0' || why[6] == ':'));
	snprintf(o->status, sizeof(o->status), "%s", why != NULL ? why : "");
}

/* Row: cell_id, test, variant, kind, name, value. */
static int
qa_judge_obs_row(void *arg, int n, const char *const *v)
{
	struct qa_judge_load *l = arg;
	struct qa_judge_obs *o;
	enum finding_id id;

	if (n < 6 || v[0] == NULL || v[1] == NULL || v[2] == NULL ||
	    v[3] == NULL || v[4] == NULL)
		return 0;
	if ((o = qa_judge_obs_add(l, v[0], v[1], v[2])) == NULL)
		return 1;
	if (strcmp(v[3], "status") == 0)
		qa_judge_status(o, v[4], v[5]);
	else if (strcmp(v[3], "finding") == 0 && finding_from_name(v[4], &id))
		judge_ids_add(&o->seen, id);
	else if (strcmp(v[3], "condition") == 0 &&
	    qa_judge_cond(l, o, v[4], v[5]) == -1)
		return 1;
	return 0;
}

static int
qa_judge_load(struct qa_store *s, const char *run_id, struct qa_judge_load *l)
{
	const char *p[1] = { run_id };

	return qa_store_exec(s, "SELECT cell_id, test, variant, kind, name,"
	    " CASE WHEN kind IN ('condition', 'status') THEN value END"
	    " FROM facts WHERE run_id = $1 AND kind IN ('status', 'finding',"
	    " 'condition')"
	    " AND test NOT LIKE 'hook:%' ORDER BY cell_id, test, variant, seq",
	    p, 1, qa_judge_obs_row, l) == -1 || l->oom ? -1 : 0;
}

/* Row: outcome, finding of the verdict stored before. */
static int
qa_judge_old_row(void *arg, int n, const char *const *v)
{
	char *old = arg;

	snprintf(old, 80, "%s%s%s", n > 0 && v[0] != NULL ? v[0] : "?",
	    n > 1 && v[1] != NULL ? " " : "", n > 1 && v[1] != NULL ?
	    v[1] : "");
	return 1;
}

/*
 * -v: say which verdict changed, from what to what ("new" when there was
 * none): what a new profile or new rules did to old measurements.
 */
static void
qa_judge_tell(struct qa_store *s, const char *const *p,
    const struct qajudge_verdict *v)
{
	char old[80] = "new", now[80];

	if (log_verbose() < 1 || qa_store_exec(s, "SELECT outcome, finding"
	    " FROM verdicts WHERE run_id = $1 AND cell_id = $2 AND test = $3"
	    " AND device = $4 AND device_firmware = $5", p, 5,
	    qa_judge_old_row, old) == -1)
		return;
	snprintf(now, sizeof(now), "%s%s%s", qajudge_outcome_name(v->outcome),
	    v->has_finding ? " " : "", v->has_finding ?
	    finding_name(v->finding) : "");
	if (strcmp(old, now) != 0)
		log_info("qa judge: run %s: %s %s %s %s: %s -> %s", p[0], p[1],
		    p[2], p[3], p[4], old, now);
}

static int
qa_judge_write(struct qa_store *s, struct qa_store_batch *b,
    const struct rules *rules, const char *run_id,
    const struct qa_judge_obs *g, const struct qa_judge_pair *pr,
    const struct qajudge_verdict *v, const char *detail, const char *when)
{
	const struct rule *ru = v->has_finding ? rules_get(rules, v->finding) :
	    NULL;
	char summary[256], led[64], ids[512], unknown[128];
	const char *p[QA_JUDGE_COLS];
	unsigned i;

	report_led_words(led, sizeof(led), v->led);
	ids[0] = '\0';
	for (i = 0; i < FINDING_COUNT; i++)
		if (judge_ids_has(v->applies, i))
			snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids),
			    "%s%s", ids[0] != '\0' ? "," : "",
			    finding_name((enum finding_id)i));
	if (v->outcome == QAJUDGE_INCONCLUSIVE &&
	    v->why == QAJUDGE_WHY_TEST_INCONCLUSIVE && detail[0] != '\0')
		snprintf(summary, sizeof(summary), "%s (%s)",
		    qajudge_why_text(v->why), detail);
	else if (v->outcome == QAJUDGE_INCONCLUSIVE &&
	    v->why == QAJUDGE_WHY_BSS_UNKNOWN) {
		qajudge_unknown_text(v->unknown, unknown, sizeof(unknown));
		snprintf(summary, sizeof(summary), "%s (unknown: %s)",
		    qajudge_why_text(v->why), unknown);
	} else if (v->outcome == QAJUDGE_INCONCLUSIVE)
		snprintf(summary, sizeof(summary), "%s",
		    qajudge_why_text(v->why));
	else
		snprintf(summary, sizeof(summary), "%s", ru != NULL ?
		    ru->summary : "connects: every stage passed");
	p[0] = run_id;
	p[1] = g->cell;
	p[2] = g->test;
	p[3] = pr->device;
	p[4] = pr->firmware;
	p[5] = qajudge_outcome_name(v->outcome);
	p[6] = stage_name(v->stage);
	p[7] = v->has_finding ? finding_name(v->finding) : NULL;
	p[8] = summary;
	p[9] = led;
	p[10] = ids;
	p[11] = when;
	/* Before any row of this batch is written: the old verdict. */
	qa_judge_tell(s, p, v);
	return qa_store_batch_add(b, p);
}

/*
 * Judge the group of observations [g, end) (one cell and test, its
 * variants) for every pair.
 */
/* The index in g[0 .. n) of variant want (the last such), or n. */
static size_t
qa_judge_variant(const struct qa_judge_obs *g, size_t n, const char *want)
{
	size_t k, at = n;

	for (k = 0; k < n; k++)
		if (strcmp(g[k].variant, want) == 0)
			at = k;
	return at;
}

static int
qa_judge_group(struct qa_store *s, struct qa_store_batch *b,
    const struct rules *rules, const char *run_id,
    const struct qa_judge_load *l, const struct qa_judge_obs *g, size_t n,
    const struct qa_judge_pair *pairs, size_t npairs,
    struct qa_judge_tally *t, const char *when)
{
	const struct qa_testdef *def = qa_tests_find(g->test);
	struct qajudge_obs o;
	struct qajudge_verdict v;
	const char *want;
	double t0, t1;
	size_t i, k, have = n;

	for (i = 0; i < npairs; i++) {
		t0 = qa_job_now();
		want = def != NULL && def->variant != NULL ?
		    def->variant(pairs[i].p, &pairs[i].fw) : "";
		k = qa_judge_variant(g, n, want);
		if (k == n && def != NULL && def->old_variant != NULL)
			k = qa_judge_variant(g, n, def->old_variant(
			    pairs[i].p, &pairs[i].fw));
		/* The pairs of one variant come together: filled once. */
		if (k < n && k != have) {
			qa_judge_obs_get(l, &g[k], &o);
			have = k;
		}
		qajudge_run(k < n ? &o : NULL, rules, pairs[i].p,
		    &pairs[i].fw, &v);
		t1 = qa_job_now();
		t->judge_s += t1 - t0;
		if (qa_judge_write(s, b, rules, run_id, g, &pairs[i], &v,
		    k < n ? g[k].status : "", when) == -1)
			return -1;
		t->store_s += qa_job_now() - t1;
		t->verdicts++;
		t->outcome[v.outcome]++;
	}
	return 0;
}

/* The pairs to judge: the plan's, or the one asked for. */
static int
qa_judge_pairs(const struct qa_plan *pl, const struct rules *rules,
    const char *device, const char *firmware, struct qa_judge_pair *out,
    size_t max, size_t *n, char *err, size_t errlen)
{
	size_t i, k;

	*n = 0;
	for (i = 0; device == NULL && i < pl->ndevices; i++)
		for (k = 0; k < pl->device[i].nfirmware && *n < max; k++) {
			out[*n].device = pl->device[i].name;
			out[*n].firmware = pl->device[i].firmware[k];
			(*n)++;
		}
	if (device != NULL) {
		out[0].device = device;
		out[0].firmware = firmware;
		*n = 1;
	}
	for (i = 0; i < *n; i++) {
		if ((out[i].p = rules_profile(rules, out[i].device)) == NULL) {
			snprintf(err, errlen, "no device profile '%s' in the "
			    "rules", out[i].device);
			return -1;
		}
		if (!fw_version_parse(out[i].firmware, &out[i].fw)) {
			snprintf(err, errlen, "'%s' is not a firmware version",
			    out[i].firmware);
			return -1;
		}
	}
	return 0;
}

static int
qa_judge_run_obs(struct qa_store *s, const struct rules *rules,
    const char *run_id, const struct qa_judge_load *l,
    const struct qa_judge_pair *pairs, size_t npairs,
    struct qa_judge_tally *t)
{
	struct qa_store_batch *b;
	char when[32];
	size_t i, j;
	double t0;
	int rc = -1;

	if ((b = qa_store_batch_new(s, "verdicts", qa_judge_cols,
	    QA_JUDGE_COLS, qa_judge_conflict)) == NULL)
		return -1;
	report_generated_at(when, sizeof(when));
	for (i = 0; i < l->n; i = j) {
		for (j = i + 1; j < l->n && strcmp(l->obs[j].cell,
		    l->obs[i].cell) == 0 && strcmp(l->obs[j].test,
		    l->obs[i].test) == 0; j++)
			;
		if (i == 0 || strcmp(l->obs[i].cell, l->obs[i - 1].cell) != 0)
			t->cells++;
		if (qa_judge_group(s, b, rules, run_id, l, &l->obs[i], j - i,
		    pairs, npairs, t, when) == -1)
			goto done;
	}
	t0 = qa_job_now();
	if (qa_store_batch_flush(b) == -1)
		goto done;
	t->store_s += qa_job_now() - t0;
	rc = 0;
done:
	qa_store_batch_free(b);
	return rc;
}

/* One run: its plan's pairs, its observations, its verdicts. */
static int
qa_judge_one(struct qa_store *s, const struct rules *rules,
    const char *run_id, const char *plan_json, const char *device,
    const char *firmware, struct qa_judge_tally *t, char *err,
    size_t errlen)
{
	struct qa_judge_pair pairs[QA_DEVICES_MAX * QA_DEVICE_FW_MAX];
	struct qa_judge_load l;
	struct qa_plan *pl;
	size_t npairs;
	double t0;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	if ((pl = qa_plan_parse(plan_json, strlen(plan_json), run_id, NULL,
	    err, errlen)) == NULL)
		return -1;
	if (qa_judge_pairs(pl, rules, device, firmware, pairs,
	    sizeof(pairs) / sizeof(pairs[0]), &npairs, err, errlen) == -1)
		goto done;
	t0 = qa_job_now();
	if (qa_judge_load(s, run_id, &l) == -1) {
		snprintf(err, errlen, "%s", l.oom ? "out of memory" :
		    qa_store_error(s));
		goto done;
	}
	t->load_s += qa_job_now() - t0;
	t->observations += l.n;
	if (qa_store_begin(s) == -1 || qa_judge_run_obs(s, rules, run_id, &l,
	    pairs, npairs, t) == -1) {
		snprintf(err, errlen, "%s", qa_store_error(s));
		qa_store_rollback(s);
		goto done;
	}
	t0 = qa_job_now();
	if (qa_store_commit(s) == -1) {
		snprintf(err, errlen, "%s", qa_store_error(s));
		qa_store_rollback(s);
		goto done;
	}
	t->store_s += qa_job_now() - t0;
	t->runs++;
	rc = 0;
done:
	free(l.obs);
	free(l.bss);
	qa_plan_free(pl);
	return rc;
}

struct qa_judge_runs {
	char	(*id)[80];
	char	**plan;
	size_t	 n, cap;
	bool	 oom;
};

static int
qa_judge_run_row(void *arg, int n, const char *const *v)
{
	struct qa_judge_runs *r = arg;
	void *a, *b;

	if (n < 2 || v[0] == NULL || v[1] == NULL)
		return 0;
	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 16 : r->cap * 2;
		a = realloc(r->id, r->cap * sizeof(*r->id));
		if (a != NULL)
			r->id = a;
		b = realloc(r->plan, r->cap * sizeof(*r->plan));
		if (b != NULL)
			r->plan = b;
		if (a == NULL || b == NULL) {
			r->oom = true;
			return 1;
		}
	}
	snprintf(r->id[r->n], sizeof(r->id[r->n]), "%s", v[0]);
	if ((r->plan[r->n] = strdup(v[1])) == NULL) {
		r->oom = true;
		return 1;
	}
	r->n++;
	return 0;
}

int
qa_judge_store(struct qa_store *s, const struct rules *rules,
    const char *run_id, const char *device, const char *firmware,
    struct qa_judge_tally *t, char *err, size_t errlen)
{
	struct qa_judge_runs r;
	const char *p[1] = { run_id };
	size_t i;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	if (qa_store_exec(s, run_id != NULL ?
	    "SELECT run_id, plan_json FROM runs WHERE run_id = $1" :
	    "SELECT run_id, plan_json FROM runs ORDER BY started, run_id",
	    p, run_id != NULL ? 1 : 0, qa_judge_run_row, &r) == -1 || r.oom) {
		snprintf(err, errlen, "%s", r.oom ? "out of memory" :
		    qa_store_error(s));
		rc = -1;
	} else if (run_id != NULL && r.n == 0) {
		snprintf(err, errlen, "no run '%s' in the store", run_id);
		rc = -1;
	}
	for (i = 0; i < r.n; i++) {
		if (rc == 0 && qa_judge_one(s, rules, r.id[i], r.plan[i],
		    device, firmware, t, err, errlen) == -1)
			rc = -1;
		free(r.plan[i]);
	}
	free(r.id);
	free(r.plan);
	return rc;
}

static void
qa_judge_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa judge --db DB [--run ID] [--rules DIR]\n"
	    "                          [--device D --firmware V] [-v]\n"
	    "\n"
	    "Judge the stored facts again, with the rules and device profiles\n"
	    "as they are now, without lab time: for each device and firmware\n"
	    "of each run's plan, or only for --device and --firmware (say a\n"
	    "firmware that did not exist when the routers were measured).\n"
	    "A test that was itself inconclusive (exit 4, or stages its\n"
	    "report did not observe) is judged inconclusive, never a pass.\n"
	    "DB is a SQLite file or a postgresql:// URL.  -v names each\n"
	    "verdict that changed (run, cell, test, device, firmware: old ->\n"
	    "new).  Exit status: 0 judged, 2 usage error, 3 the store\n"
	    "failed (also a store whose schema is newer than this\n"
	    "cyanprobe's: refused, not changed).\n");
}

int
qa_judge_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'R' },
		{ "rules", required_argument, NULL, 'r' },
		{ "device", required_argument, NULL, 'D' },
		{ "firmware", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *run = NULL, *rules_dir = NULL;
	const char *device = NULL, *firmware = NULL;
	struct qa_judge_tally t;
	struct rules *rules = NULL;
	struct qa_plan *none = NULL;
	struct qa_store *s = NULL;
	char err[600];
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (ch) {
		case 'v': log_init(log_verbose() + 1); break;
		case 'd': db = optarg; break;
		case 'R': run = optarg; break;
		case 'r': rules_dir = optarg; break;
		case 'D': device = optarg; break;
		case 'F': firmware = optarg; break;
		default: return cli_help(ch, qa_judge_usage);
		}
	}
	if (cli_no_operands("qa judge", argc, argv) != 0)
		return EXIT_USAGE;
	if (db == NULL || (device == NULL) != (firmware == NULL)) {
		log_warnx("qa judge: %s", db == NULL ? "--db is required" :
		    "--device and --firmware go together");
		return EXIT_USAGE;
	}
	if ((rc = qa_cmd_load(rules_dir, NULL, &rules, &none)) != 0)
		goto done;
	memset(&t, 0, sizeof(t));
	if ((s = qa_store_open(db, err, sizeof(err))) == NULL ||
	    qa_judge_store(s, rules, run, device, firmware, &t, err,
	    sizeof(err)) == -1) {
		log_warnx("qa judge: %s", err);
		rc = s == NULL || strncmp(err, "no ", 3) != 0 ? EXIT_RUNTIME :
		    EXIT_USAGE;
		goto done;
	}
	printf("judged %zu verdict%s (%zu pass, %zu warn, %zu fail, "
	    "%zu inconclusive) over %zu cell%s of %zu run%s: reading %.3f s, "
	    "judging %.3f s, storing %.3f s\n", t.verdicts,
	    t.verdicts == 1 ? "" : "s", t.outcome[QAJUDGE_PASS],
	    t.outcome[QAJUDGE_WARN], t.outcome[QAJUDGE_FAIL],
	    t.outcome[QAJUDGE_INCONCLUSIVE], t.cells, t.cells == 1 ? "" : "s",
	    t.runs, t.runs == 1 ? "" : "s", t.load_s, t.judge_s, t.store_s);
done:
	qa_store_close(s);
	free(rules);
	return rc;
}
