/*
 * qa_job.c - run one QA job in a child process and store what it left
 * (qa_job.h).  A test's child enters the station's network namespace and
 * runs the test's function, which writes a cyanprobe-report/1 file; a
 * hook's child runs the plan's shell command on the station itself.  Both
 * get the cell in CYANPROBE_QA_* variables.  Logs and reports are stored
 * (and shown by -v) with the values of the router's credential variables
 * cut out, so that a hook that echoes its password does not put it in the
 * store, a CI log or an artifact.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "log.h"
#include "qa_cond.h"
#include "qa_job.h"
#include "qajudge.h"
#include "qa_netns.h"

#define QA_JOB_FILE_MAX		(4 * 1024 * 1024)
#define QA_JOB_LOG_MAX		(64 * 1024)

double
qa_job_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
qa_job_label(const struct qa_job *j, char *buf, size_t len)
{
	if (j->is_hook)
		snprintf(buf, len, "%s hook %s", j->cell->id,
		    qa_hook_name(j->hook));
	else
		snprintf(buf, len, "%s %s%s%s", j->cell->id, j->test->name,
		    j->variant[0] != '\0' ? "@" : "", j->variant);
}

static void
qa_job_setenv(const struct qa_job *j, const struct qa_job_env *e)
{
	const struct qa_plan *p = e->plan;
	const struct qa_router *r = &p->router[j->cell->router];

	setenv("CYANPROBE_QA_RUN", e->run_id, 1);
	setenv("CYANPROBE_QA_CELL", j->cell->id, 1);
	setenv("CYANPROBE_QA_ROUTER", r->id, 1);
	setenv("CYANPROBE_QA_FIRMWARE", r->firmware[j->cell->firmware], 1);
	setenv("CYANPROBE_QA_CONFIG", r->config[j->cell->config], 1);
	setenv("CYANPROBE_QA_STATION", p->station[j->cell->station].id, 1);
	/* A test that restarts the router (dhcp-time) finds the hook here. */
	if (r->hook[QA_HOOK_POWER_CYCLE][0] != '\0')
		setenv("CYANPROBE_QA_POWER_CYCLE",
		    r->hook[QA_HOOK_POWER_CYCLE], 1);
}

/* The child: never returns. */
static void
qa_job_child(const struct qa_job *j, const struct qa_job_env *e)
{
	const struct qa_station *st = &e->plan->station[j->cell->station];
	struct qa_test_ctx ctx;
	char path[300], err[300];
	int fd;

	setpgid(0, 0);
	snprintf(path, sizeof(path), "%s/log", j->dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		_exit(EXIT_RUNTIME);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	qa_job_setenv(j, e);
	if (j->is_hook) {
		execl("/bin/sh", "sh", "-c",
		    e->plan->router[j->cell->router].hook[j->hook],
		    (char *)NULL);
		_exit(127);
	}
	if (st->netns[0] != '\0' &&
	    qa_netns_enter(st->netns, err, sizeof(err)) == -1) {
		fprintf(stderr, "cyanprobe: qa: %s\n", err);
		_exit(EXIT_RUNTIME);
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.plan = e->plan;
	ctx.cell = j->cell;
	ctx.station = st;
	ctx.test = j->test;
	ctx.rules = e->rules;
	ctx.rules_dir = e->rules_dir;
	ctx.variant = j->variant;
	ctx.device = j->device;
	ctx.firmware = j->firmware;
	snprintf(path, sizeof(path), "%s/report.json", j->dir);
	fd = j->def->run(&ctx, path);
	fflush(NULL);
	_exit(fd);
}

int
qa_job_start(struct qa_job *j, const struct qa_job_env *e, int seq)
{
	pid_t pid;

	snprintf(j->dir, sizeof(j->dir), "%s/job%d", e->tmpdir, seq);
	if (mkdir(j->dir, 0700) == -1 && errno != EEXIST)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		qa_job_child(j, e);
	/* Both sides set the group, so a kill never misses the child. */
	setpgid(pid, pid);
	j->pid = pid;
	j->state = QA_JOB_RUNNING;
	j->started = qa_job_now();
	return 0;
}

bool
qa_job_ok(const struct qa_job *j)
{
	if (j->state != QA_JOB_DONE || j->timed_out)
		return false;
	if (j->is_hook)
		return j->status == 0;
	/* A report was written: ok, problems, or inconclusive (log.h). */
	return j->status == EXIT_OK || j->status == EXIT_PROBLEMS ||
	    j->status == EXIT_INCONCLUSIVE;
}

/* A whole file (at most max bytes) as a new string; NULL when unreadable. */
static char *
qa_job_slurp(const char *dir, const char *name, size_t max)
{
	char path[300], *buf;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/*
 * Cut one value out of text: each whole occurrence, and (when the text
 * was cut off at max bytes) a start of it at the very end.
 */
static void
qa_job_scrub_one(char *text, size_t max, const char *val)
{
	size_t n = strlen(val), len, k;
	char *p;

	while ((p = strstr(text, val)) != NULL)
		memset(p, '*', n);
	if ((len = strlen(text)) < max)
		return;
	for (k = n - 1 < len ? n - 1 : len; k > 0; k--)
		if (memcmp(text + len - k, val, k) == 0) {
			memset(text + len - k, '*', k);
			break;
		}
}

/*
 * Cut every credential value of the cell's router out of text, the
 * longest first: a value inside a longer one must not leave the rest of
 * the longer one readable.  Every value counts, however short: a log
 * full of stars is better than a password in a CI artifact.
 */
static void
qa_job_scrub(char *text, size_t max, const struct qa_router *r)
{
	const char *val[QA_CREDS_MAX], *v;
	size_t i, k, n = 0;

	for (i = 0; i < r->ncred && n < QA_CREDS_MAX; i++)
		if ((v = getenv(r->cred[i].env)) != NULL && *v != '\0')
			val[n++] = v;
	for (i = 1; i < n; i++)		/* insertion sort, longest first */
		for (k = i; k > 0 && strlen(val[k]) > strlen(val[k - 1]);
		    k--) {
			v = val[k];
			val[k] = val[k - 1];
			val[k - 1] = v;
		}
	for (i = 0; i < n; i++)
		qa_job_scrub_one(text, max, val[i]);
}

char *
qa_job_log(const struct qa_job *j, const struct qa_job_env *e)
{
	char *log;

	if (j->dir[0] == '\0' ||
	    (log = qa_job_slurp(j->dir, "log", QA_JOB_LOG_MAX)) == NULL)
		return NULL;
	qa_job_scrub(log, QA_JOB_LOG_MAX, &e->plan->router[j->cell->router]);
	return log;
}

struct qa_job_rows {
	struct qa_store		*s;
	struct qa_store_batch	*facts, *arts;	/* rows go in batches */
	const struct qa_job	*j;
	const char		*run_id;
	char			 test[QA_ID_MAX + 8];
	int			 seq;
};

static int
qa_job_fact(struct qa_job_rows *w, const char *kind, const char *name,
    const char *value)
{
	char seq[16];
	const char *p[8];

	snprintf(seq, sizeof(seq), "%d", w->seq++);
	p[0] = w->run_id;
	p[1] = w->j->cell->id;
	p[2] = w->test;
	p[3] = w->j->variant;
	p[4] = seq;
	p[5] = kind;
	p[6] = name;
	p[7] = value;
	return qa_store_batch_add(w->facts, p);
}

static int
qa_job_artifact(struct qa_job_rows *w, const char *name, const char *type,
    const char *content)
{
	char full[QA_ID_MAX * 2 + 40];
	const char *p[5];

	snprintf(full, sizeof(full), "%s%s%s.%s", w->test,
	    w->j->variant[0] != '\0' ? "@" : "", w->j->variant, name);
	p[0] = w->run_id;
	p[1] = w->j->cell->id;
	p[2] = full;
	p[3] = type;
	p[4] = content;
	return qa_store_batch_add(w->arts, p);
}

/* The report's findings and per-check facts as fact rows. */
static int
qa_job_report_facts(struct qa_job_rows *w, const cJSON *rep)
{
	const cJSON *f, *m;
	char *txt;
	int rc;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(rep,
	    "findings")) {
		m = cJSON_GetObjectItemCaseSensitive(f, "id");
		if (cJSON_IsString(m) && qa_job_fact(w, "finding",
		    m->valuestring, cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(f, "evidence"))) == -1)
			return -1;
	}
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(rep, "facts")) {
		if ((txt = cJSON_PrintUnformatted(m)) == NULL)
			return -1;
		rc = qa_job_fact(w, "facts", m->string, txt);
		free(txt);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/*
 * A BSS of the judged network as conditions: "wifi.bss" (qa_cond.h), and
 * for a store an older cyanprobe reads too, "wifi.n_only_network" (value:
 * the network's name) when it is 802.11n-only.
 */
static int
qa_job_bss_cond(struct qa_job_rows *w, const cJSON *net, const cJSON *b,
    bool *n_only_told)
{
	struct qajudge_bss qb;
	char *txt;
	int rc;

	if (!qa_cond_bss_read(b, &qb) || (txt = qa_cond_bss_text(&qb)) == NULL)
		return -1;
	rc = qa_job_fact(w, "condition", qajudge_cond_name(QAJUDGE_COND_BSS),
	    txt);
	free(txt);
	if (rc == 0 && qb.n_only && !*n_only_told) {
		*n_only_told = true;
		rc = qa_job_fact(w, "condition",
		    qajudge_cond_name(QAJUDGE_COND_N_ONLY),
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(net,
		    "ssid")));
	}
	return rc;
}

/*
 * nat-lifetime's curves as the condition "nat.lifetimes": the judge holds
 * them against each firmware's own keep-alive interval.
 */
static int
qa_job_nat_cond(struct qa_job_rows *w, const cJSON *rep)
{
	struct rqa_nat n[QAJUDGE_NAT_KINDS];
	char *txt;
	int rc;

	if (!qa_cond_nat_read(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(rep, "facts"), "nat_lifetime"),
	    n))
		return 0;
	if ((txt = qa_cond_nat_text(n)) == NULL)
		return -1;
	rc = qa_job_fact(w, "condition", qajudge_cond_name(QAJUDGE_COND_NAT),
	    txt);
	free(txt);
	return rc;
}

/*
 * The conditions (analyzers/qajudge.h) the report shows: every BSS of the
 * network the wifi stage judged ("focus" in diagnose's
 * facts.wifi.networks[], or in networks[] of scan and analyze), whose
 * radio and security fail some devices and firmware and not others; and
 * nat-lifetime's curves, whose findings depend on the keep-alive.
 */
static int
qa_job_report_conds(struct qa_job_rows *w, const cJSON *rep)
{
	const cJSON *nets, *n, *b;
	bool n_only_told = false;

	if (qa_job_nat_cond(w, rep) == -1)
		return -1;

	nets = cJSON_GetObjectItemCaseSensitive(rep, "networks");
	if (cJSON_GetArraySize(nets) == 0)
		nets = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(rep, "facts"), "wifi"),
		    "networks");
	cJSON_ArrayForEach(n, nets) {
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "focus")))
			continue;
		cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(n,
		    "bss"))
			if (qa_job_bss_cond(w, n, b, &n_only_told) == -1)
				return -1;
	}
	return 0;
}

/*
 * The stages the report judges and saw no evidence for (its verdict's
 * not_observed), comma-separated into buf; false when there are none.
 */
static bool
qa_job_unobserved(const cJSON *rep, char *buf, size_t len)
{
	const cJSON *s;
	size_t n = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(rep, "verdict"), "not_observed"))
		if (cJSON_IsString(s) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n > 0 ? ", " : "", s->valuestring);
	return buf[0] != '\0';
}

/*
 * The status row: ok; inconclusive (a report, but a stage it judges
 * went without evidence: exit 4, or stages in its verdict's
 * not_observed, which qa judge never passes); or why not.
 */
static int
qa_job_status(struct qa_job_rows *w, bool ok, const cJSON *rep,
    const char *log)
{
	const struct qa_job *j = w->j;
	char why[300], stages[160];
	const char *last = "", *name;
	bool unseen = ok && !j->is_hook && rep != NULL &&
	    qa_job_unobserved(rep, stages, sizeof(stages));
	size_t n;

	if (log != NULL && (n = strlen(log)) > 0) {
		/* The log's last line says what went wrong, mostly. */
		last = log + n - 1;
		while (last > log && last[-1] != '\n' && log + n - last < 200)
			last--;
	}
	if (j->state == QA_JOB_SKIPPED)
		snprintf(why, sizeof(why), "skipped: the cell's reservation "
		    "failed or the run was stopped");
	else if (j->timed_out)
		snprintf(why, sizeof(why), "killed after %.0f s", j->limit);
	else if (unseen)
		snprintf(why, sizeof(why), "exit %d: not observed: %s",
		    j->status, stages);
	else
		snprintf(why, sizeof(why), "exit %d%s%.200s", j->status,
		    *last != '\0' ? ": " : "", last);
	why[strcspn(why, "\n")] = '\0';
	if (ok && !j->is_hook && (unseen || j->status == EXIT_INCONCLUSIVE))
		name = "inconclusive";
	else
		name = ok ? "ok" : j->state == QA_JOB_SKIPPED ? "skipped" :
		    "error";
	return qa_job_fact(w, "status", name, why);
}

static int
qa_job_store_rows(struct qa_job_rows *w, const struct qa_job_env *e)
{
	const struct qa_job *j = w->j;
	char *log, *rep_txt = NULL;
	cJSON *rep = NULL;
	bool ok = qa_job_ok(j);
	int rc = -1;

	log = qa_job_log(j, e);
	if (!j->is_hook && ok) {
		rep_txt = qa_job_slurp(j->dir, "report.json", QA_JOB_FILE_MAX);
		if (rep_txt != NULL)
			qa_job_scrub(rep_txt, QA_JOB_FILE_MAX,
			    &e->plan->router[j->cell->router]);
		if (rep_txt == NULL || (rep = cJSON_Parse(rep_txt)) == NULL)
			ok = false;
	}
	if (qa_job_status(w, ok, rep, log) == -1 ||
	    (rep != NULL && qa_job_report_facts(w, rep) == -1) ||
	    (rep != NULL && qa_job_report_conds(w, rep) == -1) ||
	    (rep_txt != NULL && qa_job_artifact(w, "report.json",
	    "application/json", rep_txt) == -1) ||
	    (log != NULL && log[0] != '\0' && qa_job_artifact(w, "log",
	    "text/plain", log) == -1))
		goto done;
	rc = 0;
done:
	cJSON_Delete(rep);
	free(rep_txt);
	free(log);
	return rc;
}

int
qa_job_store(const struct qa_job *j, const struct qa_job_env *e,
    struct qa_store *s)
{
	struct qa_job_rows w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.j = j;
	w.run_id = e->run_id;
	if (j->is_hook)
		snprintf(w.test, sizeof(w.test), "hook:%s",
		    qa_hook_name(j->hook));
	else
		snprintf(w.test, sizeof(w.test), "%s", j->test->name);
	if (qa_store_begin(s) == -1)
		return -1;
	w.facts = qa_store_batch_new(s, "facts", "run_id, cell_id, test,"
	    " variant, seq, kind, name, value", 8, NULL);
	w.arts = qa_store_batch_new(s, "artifacts", "run_id, cell_id, name,"
	    " media_type, content", 5, NULL);
	rc = w.facts == NULL || w.arts == NULL ||
	    qa_job_store_rows(&w, e) == -1 ||
	    qa_store_batch_flush(w.facts) == -1 ||
	    qa_store_batch_flush(w.arts) == -1 ? -1 : 0;
	qa_store_batch_free(w.facts);
	qa_store_batch_free(w.arts);
	if (rc == -1) {
		qa_store_rollback(s);
		return -1;
	}
	return qa_store_commit(s);
}
