/*
 * test_qa_job.c - a finished QA job stored (probe/qa/qa_job.c) into a real
 * SQLite store and judged from it (qa_judge.c), with the real rules: a
 * report whose command exited 4 (inconclusive: a stage it judges without
 * evidence) is stored with status "inconclusive" and judged inconclusive,
 * with the stages in the verdict's summary, never a pass; a report with
 * stages in verdict.not_observed is too, whatever its exit; a store
 * written before that status (status "ok", why "exit 4: ...") reads as
 * inconclusive; a report with full evidence still passes, and a failure
 * found by an inconclusive test still fails.  A stored BSS whose security
 * is unknown is judged inconclusive, the unknown named.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "qa_job.h"
#include "qa_judge.h"
#include "qa_run.h"
#include "qa_store.h"
#include "rules_load.h"
#include "test.h"

static struct rules rules;
static char tmp[] = "/tmp/cyanqajob.XXXXXX";

static const char plan_json[] =
    "{\"schema\":\"cyanprobe-qa-plan/1\",\"name\":\"unit\","
    "\"stations\":[{\"id\":\"local\"}],"
    "\"routers\":[{\"id\":\"r\",\"station\":\"local\",\"firmware\":[\"1\"]}],"
    "\"devices\":[{\"device\":\"photon\",\"firmware\":[\"1.5.2\"]},"
    "{\"device\":\"core\",\"firmware\":[\"0.3.4\"]}],"
    "\"tests\":[{\"name\":\"rebind\",\"private_name\":\"x.example\"}]}";

/* A report as `qa test rebind` writes one (only what the store reads). */
static const char rep_silent[] =
    "{\"schema\":\"cyanprobe-report/1\",\"findings\":[],"
    "\"facts\":{\"rebind\":{\"result\":\"inconclusive\"}},"
    "\"verdict\":{\"state\":\"inconclusive\",\"not_observed\":[\"cloud\"]}}";
static const char rep_passed[] =
    "{\"schema\":\"cyanprobe-report/1\",\"findings\":[],"
    "\"facts\":{\"rebind\":{\"result\":\"passed\"}},"
    "\"verdict\":{\"state\":\"no_problem\",\"not_observed\":[]}}";
/* A failure for every device, and a stage after it never reached. */
static const char rep_blocked[] =
    "{\"schema\":\"cyanprobe-report/1\",\"findings\":[{\"id\":"
    "\"cloud.port_blocked\",\"evidence\":\"x\"}],\"facts\":{},"
    "\"verdict\":{\"state\":\"problem\",\"not_observed\":[\"handshake\"]}}";
/* Exit 1 (a warning elsewhere said so), a stage without evidence. */
static const char rep_unseen[] =
    "{\"schema\":\"cyanprobe-report/1\",\"findings\":[],\"facts\":{},"
    "\"verdict\":{\"state\":\"inconclusive\",\"not_observed\":"
    "[\"internet\",\"cloud\"]}}";

/* A scan-like report: the network's one BSS, its security unknown. */
static const char rep_bss_unknown[] =
    "{\"schema\":\"cyanprobe-report/1\",\"findings\":[],\"facts\":{},"
    "\"networks\":[{\"ssid\":\"lab\",\"focus\":true,\"bss\":[{"
    "\"band\":\"2.4\",\"channel\":6,\"freq_mhz\":2437,\"width_mhz\":20,"
    "\"security\":\"unknown\",\"pmf\":\"unknown\",\"n_only\":false,"
    "\"g_only\":false,\"hidden\":false}]}],"
    "\"verdict\":{\"state\":\"no_problem\",\"not_observed\":[]}}";

static int
row_text(void *arg, int n, const char *const *v)
{
	char *out = arg;
	size_t len = strlen(out);
	int i;

	for (i = 0; i < n; i++)
		snprintf(out + len, 600 - len, "%s%s", len > 0 || i > 0 ?
		    "|" : "", v[i] != NULL ? v[i] : "NULL"), len = strlen(out);
	return 0;
}

/* The rows of a one-parameter query (the run id), '|'-joined. */
static void
query(struct qa_store *s, const char *sql, const char *run, char *out)
{
	const char *p[1] = { run };

	out[0] = '\0';
	if (qa_store_exec(s, sql, p, 1, row_text, out) == -1)
		snprintf(out, 600, "error: %s", qa_store_error(s));
}

/*
 * Store a rebind job that exited `status` leaving `report` in a new run
 * of plan pl, and judge the run; the run id into run.
 */
static void
store_job(struct qa_store *s, const struct qa_plan *pl, const char *report,
    int status, char *run, size_t runlen)
{
	struct qa_job_env env;
	struct qa_judge_tally t;
	struct qa_job j;
	char path[300], err[600];
	bool sel = true;
	FILE *f;

	qa_run_id(run, runlen);
	memset(&j, 0, sizeof(j));
	j.cell = &pl->cell[0];
	j.test = &pl->test[0];
	j.def = qa_tests_find("rebind");
	j.device = "photon";
	j.firmware = "1.5.2";
	j.state = QA_JOB_DONE;
	j.status = status;
	snprintf(j.dir, sizeof(j.dir), "%s/%s", tmp, run);
	test_cond("job folder", mkdir(j.dir, 0700) == 0);
	snprintf(path, sizeof(path), "%s/report.json", j.dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(report, f);
		fclose(f);
	}
	env.plan = pl;
	env.rules = &rules;
	env.rules_dir = "rules";
	env.run_id = run;
	env.tmpdir = tmp;
	test_cond("run stored", qa_run_store_begin(s, pl, run, "local",
	    &sel) == 0);
	test_cond("job stored", qa_job_store(&j, &env, s) == 0);
	memset(&t, 0, sizeof(t));
	err[0] = '\0';
	test_cond("judged", qa_judge_store(s, &rules, run, NULL, NULL, &t,
	    err, sizeof(err)) == 0);
	if (err[0] != '\0')
		printf("     judge: %s\n", err);
}

static const char verdict_sql[] = "SELECT device, outcome,"
    " COALESCE(finding, '-') FROM verdicts WHERE run_id = $1"
    " ORDER BY device";

static void
test_inconclusive_job(struct qa_store *s, const struct qa_plan *pl)
{
	char run[64], out[600];

	store_job(s, pl, rep_silent, EXIT_INCONCLUSIVE, run, sizeof(run));
	query(s, "SELECT name, value FROM facts WHERE run_id = $1 AND"
	    " kind = 'status'", run, out);
	expect_str("exit 4: status inconclusive, the stages in why",
	    "inconclusive|exit 4: not observed: cloud", out);
	query(s, verdict_sql, run, out);
	expect_str("exit 4: inconclusive for every device, never a pass",
	    "core|inconclusive|-|photon|inconclusive|-", out);
	query(s, "SELECT summary FROM verdicts WHERE run_id = $1 AND"
	    " device = 'photon'", run, out);
	test_cond("exit 4: the summary says why",
	    strstr(out, "inconclusive") != NULL &&
	    strstr(out, "not observed: cloud") != NULL);
	if (strstr(out, "not observed: cloud") == NULL)
		printf("     summary: %s\n", out);
}

static void
test_ok_job(struct qa_store *s, const struct qa_plan *pl)
{
	char run[64], out[600];

	store_job(s, pl, rep_passed, EXIT_OK, run, sizeof(run));
	query(s, "SELECT name FROM facts WHERE run_id = $1 AND"
	    " kind = 'status'", run, out);
	expect_str("exit 0: status ok", "ok", out);
	query(s, verdict_sql, run, out);
	expect_str("exit 0 with every stage seen: pass",
	    "core|pass|-|photon|pass|-", out);
}

static void
test_failure_stands(struct qa_store *s, const struct qa_plan *pl)
{
	char run[64], out[600];

	store_job(s, pl, rep_blocked, EXIT_PROBLEMS, run, sizeof(run));
	query(s, "SELECT name FROM facts WHERE run_id = $1 AND"
	    " kind = 'status'", run, out);
	expect_str("a stage after the failure unseen: inconclusive status",
	    "inconclusive", out);
	query(s, verdict_sql, run, out);
	expect_str("the failure stands",
	    "core|fail|cloud.port_blocked|photon|fail|cloud.port_blocked",
	    out);
	store_job(s, pl, rep_unseen, EXIT_PROBLEMS, run, sizeof(run));
	query(s, verdict_sql, run, out);
	expect_str("exit 1, stages not observed, nothing applies: "
	    "inconclusive", "core|inconclusive|-|photon|inconclusive|-", out);
}

/*
 * A stored BSS whose security is unknown: inconclusive for every device
 * (WPA3 or Enterprise would stop them), the unknown named in the summary.
 */
static void
test_bss_unknown(struct qa_store *s, const struct qa_plan *pl)
{
	char run[64], out[600];

	store_job(s, pl, rep_bss_unknown, EXIT_OK, run, sizeof(run));
	query(s, "SELECT name FROM facts WHERE run_id = $1 AND"
	    " kind = 'condition'", run, out);
	expect_str("the BSS stored as a condition", "wifi.bss", out);
	query(s, verdict_sql, run, out);
	expect_str("security unknown: no pass",
	    "core|inconclusive|wifi.ie_truncated|"
	    "photon|inconclusive|wifi.ie_truncated", out);
	query(s, "SELECT summary FROM verdicts WHERE run_id = $1 AND"
	    " device = 'photon'", run, out);
	test_cond("security unknown: the summary names it",
	    strstr(out, "(unknown: security)") != NULL);
	if (strstr(out, "(unknown: security)") == NULL)
		printf("     summary: %s\n", out);
}

/*
 * A store written before the "inconclusive" status: the job's status row
 * "ok" with why "exit 4: ..." (as qa_job.c wrote it then).  Judged again,
 * it is inconclusive; "exit 40" is no exit 4.
 */
static void
test_old_store(struct qa_store *s, const struct qa_plan *pl)
{
	char run[64], out[600];
	const char *p[2];
	struct qa_judge_tally t;
	char err[600];

	store_job(s, pl, rep_passed, EXIT_OK, run, sizeof(run));
	p[0] = run;
	p[1] = "exit 4";
	test_cond("old status row", qa_store_exec(s, "UPDATE facts SET"
	    " value = $2 WHERE run_id = $1 AND kind = 'status'", p, 2, NULL,
	    NULL) == 0);
	memset(&t, 0, sizeof(t));
	test_cond("judged again", qa_judge_store(s, &rules, run, NULL, NULL,
	    &t, err, sizeof(err)) == 0);
	query(s, verdict_sql, run, out);
	expect_str("an old store's exit 4 'ok': inconclusive",
	    "core|inconclusive|-|photon|inconclusive|-", out);
	p[1] = "exit 40: no such thing";
	test_cond("old status row", qa_store_exec(s, "UPDATE facts SET"
	    " value = $2 WHERE run_id = $1 AND kind = 'status'", p, 2, NULL,
	    NULL) == 0);
	test_cond("judged again", qa_judge_store(s, &rules, run, NULL, NULL,
	    &t, err, sizeof(err)) == 0);
	query(s, verdict_sql, run, out);
	expect_str("'exit 40' is not exit 4", "core|pass|-|photon|pass|-",
	    out);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(void)
{
	struct qa_plan *pl = NULL;
	struct qa_store *s = NULL;
	char err[600], db[300];

	log_init(-1);
	rules_init(&rules);
	if (rules_load("rules", &rules, err, sizeof(err)) != 0 ||
	    mkdtemp(tmp) == NULL) {
		printf("FAIL test_qa_job: %s\n", err);
		return test_report() + 1;
	}
	snprintf(db, sizeof(db), "%s/qa.db", tmp);
	pl = qa_plan_parse(plan_json, strlen(plan_json), "unit", &rules, err,
	    sizeof(err));
	if (pl == NULL || (s = qa_store_open(db, err, sizeof(err))) == NULL)
		printf("FAIL test_qa_job: %s\n", err);
	else {
		test_inconclusive_job(s, pl);
		test_ok_job(s, pl);
		test_failure_stands(s, pl);
		test_old_store(s, pl);
		test_bss_unknown(s, pl);
	}
	qa_store_close(s);
	qa_plan_free(pl);
	if (nftw(tmp, rm_one, 8, FTW_DEPTH | FTW_PHYS) != 0)
		printf("# could not remove %s\n", tmp);
	return test_report() + (pl == NULL || s == NULL);
}
