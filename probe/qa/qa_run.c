/*
 * qa_run.c - `cyanprobe qa run`: measure the plan's cells and store what
 * they show.  Each cell becomes a list of jobs on its station's queue (the
 * reserve and power_cycle hooks, each variant of each test its router
 * runs, the release hook);
 * every station works through its own queue, one job at a time, so cells
 * on different stations never wait for each other.  A job marked exclusive
 * (a reboot, a WAN change) waits until nothing else runs, and nothing
 * starts beside it.  Each job is a child process with a time limit; the
 * parent alone writes the store, one transaction per job, then judges the
 * run (qa_judge.c).  On a terminal one progress line is redrawn; elsewhere
 * each finished job prints one line.  SIGINT or SIGTERM stop the children
 * and keep what was measured; the release hooks of the cells that started
 * still run, so that no router stays reserved (a second signal skips
 * them too).
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "qa_cmd.h"
#include "qa_job.h"
#include "qa_judge.h"
#include "qa_junit.h"
#include "qa_run.h"
#include "qa_store.h"
#include "report.h"

#define QA_RUN_TICK_NS		20000000L	/* 20 ms between polls */
#define QA_RUN_HOOK_LIMIT	300.0		/* seconds */
#define QA_RUN_JOBS_MAX		100000

static volatile sig_atomic_t qa_run_stop;
static volatile sig_atomic_t qa_run_signals_n;	/* how many */

static void
qa_run_on_signal(int sig)
{
	qa_run_stop = sig;
	qa_run_signals_n++;
}

/* Every selected cell's jobs, station by station. */
struct qa_run {
	const struct qa_plan	*plan;
	struct qa_store		*store;
	struct qa_job_env	 env;
	struct qa_job		*job;
	size_t			 njobs, done, failed;
	size_t			 first[QA_STATIONS_MAX + 1];	/* per station */
	char			 run_id[64];
	char			 tmpdir[200];
	bool			 tty;
	bool			 store_failed;
	double			 t0;
};

void
qa_run_id(char *buf, size_t len)
{
	unsigned char r[4] = { 0 };
	time_t t = time(NULL);
	struct tm tm;
	char when[32];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r[0] = (unsigned char)getpid();
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, len, "%s-%02x%02x%02x%02x", when, r[0], r[1], r[2],
	    r[3]);
}

static struct qa_job *
qa_run_add(struct qa_run *r, const struct qa_cell *c)
{
	struct qa_job *j;

	if (r->njobs == QA_RUN_JOBS_MAX)
		return NULL;
	j = &r->job[r->njobs++];
	memset(j, 0, sizeof(*j));
	j->cell = c;
	j->status = -1;
	return j;
}

static void
qa_run_add_hook(struct qa_run *r, const struct qa_cell *c, enum qa_hook h)
{
	struct qa_job *j;

	if (r->plan->router[c->router].hook[h][0] == '\0' ||
	    (j = qa_run_add(r, c)) == NULL)
		return;
	j->is_hook = true;
	j->hook = h;
	j->limit = QA_RUN_HOOK_LIMIT;
	/* A power cycle takes the router away from everyone using it. */
	j->exclusive = h == QA_HOOK_POWER_CYCLE;
}

/*
 * One job per variant of test t that the plan's devices need, each with
 * the first device and firmware that needs it.
 */
static void
qa_run_add_test(struct qa_run *r, const struct rules *rules,
    const struct qa_cell *c, const struct qa_test *t)
{
	const struct qa_plan *p = r->plan;
	const struct qa_testdef *def = qa_tests_find(t->name);
	const struct profile *prof;
	struct fw_version fw;
	struct qa_job *j;
	const char *v;
	size_t d, f, k, first = r->njobs;
	double base = t->timeout > 0 ? t->timeout : p->targets.timeout > 0 ?
	    p->targets.timeout : 5;

	for (d = 0; d < p->ndevices; d++)
		for (f = 0; f < p->device[d].nfirmware; f++) {
			prof = rules_profile(rules, p->device[d].name);
			if (prof == NULL || !fw_version_parse(
			    p->device[d].firmware[f], &fw))
				continue;
			v = def->variant != NULL ? def->variant(prof, &fw) : "";
			for (k = first; k < r->njobs; k++)
				if (strcmp(r->job[k].variant, v) == 0)
					break;
			if (k < r->njobs || (j = qa_run_add(r, c)) == NULL)
				continue;
			j->test = t;
			j->def = def;
			snprintf(j->variant, sizeof(j->variant), "%s", v);
			j->device = p->device[d].name;
			j->firmware = p->device[d].firmware[f];
			j->exclusive = t->exclusive;
			j->limit = qa_tests_limit(def, t, base);
		}
}

static bool
qa_run_selected(const struct qa_cell *c, const struct qa_plan *p,
    const struct qa_run_opts *o)
{
	size_t i;

	if (o->station != NULL &&
	    strcmp(p->station[c->station].id, o->station) != 0)
		return false;
	if (o->ncells == 0)
		return true;
	for (i = 0; i < o->ncells; i++)
		if (strcmp(o->cell[i], c->id) == 0)
			return true;
	return false;
}

static int
qa_run_plan_jobs(struct qa_run *r, const struct rules *rules,
    const struct qa_run_opts *o)
{
	const struct qa_plan *p = r->plan;
	const struct qa_cell *c;
	size_t s, i, t, max;

	max = p->ncells * (QA_HOOK_COUNT + p->ntests * QA_DEVICES_MAX *
	    QA_DEVICE_FW_MAX);
	if (max > QA_RUN_JOBS_MAX)
		max = QA_RUN_JOBS_MAX;
	if ((r->job = calloc(max == 0 ? 1 : max, sizeof(*r->job))) == NULL)
		return -1;
	for (s = 0; s < p->nstations; s++) {
		r->first[s] = r->njobs;
		for (i = 0; i < p->ncells; i++) {
			c = &p->cell[i];
			if (c->station != s || !qa_run_selected(c, p, o))
				continue;
			qa_run_add_hook(r, c, QA_HOOK_RESERVE);
			qa_run_add_hook(r, c, QA_HOOK_POWER_CYCLE);
			for (t = 0; t < p->ntests; t++)
				if (qa_plan_runs(p, c, t))
					qa_run_add_test(r, rules, c,
					    &p->test[t]);
			qa_run_add_hook(r, c, QA_HOOK_RELEASE);
		}
	}
	r->first[p->nstations] = r->njobs;
	return 0;
}

static void
qa_run_now_iso(char *buf, size_t len)
{
	report_generated_at(buf, len);
}

int
qa_run_store_begin(struct qa_store *s, const struct qa_plan *p,
    const char *run_id, const char *station, const bool *selected)
{
	const struct qa_router *rt;
	const struct qa_cell *c;
	struct qa_store_batch *b = NULL;
	const char *v[13];
	char when[32], *json;
	size_t i;
	int rc;

	qa_run_now_iso(when, sizeof(when));
	if ((json = cJSON_PrintUnformatted(p->json)) == NULL)
		return -1;
	v[0] = run_id; v[1] = p->name; v[2] = p->hash; v[3] = json;
	v[4] = station; v[5] = when; v[6] = CYANPROBE_VERSION;
	rc = qa_store_begin(s) || qa_store_exec(s,
	    "INSERT INTO runs (run_id, plan_name, plan_hash, plan_json,"
	    " station, started, tool_version) VALUES ($1, $2, $3, $4, $5, $6,"
	    " $7)", v, 7, NULL, NULL);
	free(json);
	if (rc == 0 && (b = qa_store_batch_new(s, "cells", "run_id, cell_id,"
	    " router, vendor, model, hardware, firmware, config, station,"
	    " runner_tag, status, started", 12, NULL)) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < p->ncells; i++) {
		if (!selected[i])
			continue;
		c = &p->cell[i];
		rt = &p->router[c->router];
		v[1] = c->id; v[2] = rt->id; v[3] = rt->vendor;
		v[4] = rt->model; v[5] = rt->hardware;
		v[6] = rt->firmware[c->firmware]; v[7] = rt->config[c->config];
		v[8] = p->station[c->station].id;
		v[9] = p->station[c->station].runner_tag;
		v[10] = "pending"; v[11] = when;
		rc = qa_store_batch_add(b, v);
	}
	if (rc == 0)
		rc = qa_store_batch_flush(b);
	qa_store_batch_free(b);
	if (rc == 0 && qa_store_commit(s) == 0)
		return 0;
	qa_store_rollback(s);
	return -1;
}

/* The run's row and its selected cells' (those with jobs), pending. */
static int
qa_run_store_start(struct qa_run *r, const struct qa_run_opts *o)
{
	bool *sel;
	size_t i, k;
	int rc;

	if ((sel = calloc(r->plan->ncells + 1, sizeof(*sel))) == NULL)
		return -1;
	for (i = 0; i < r->plan->ncells; i++)
		for (k = 0; k < r->njobs && !sel[i]; k++)
			sel[i] = r->job[k].cell == &r->plan->cell[i];
	rc = qa_run_store_begin(r->store, r->plan, r->run_id, o->station, sel);
	free(sel);
	return rc;
}

/* The next job of station s still to run, or NULL. */
static struct qa_job *
qa_run_next(struct qa_run *r, size_t s, bool *busy)
{
	size_t i;

	*busy = false;
	for (i = r->first[s]; i < r->first[s + 1]; i++) {
		if (r->job[i].state == QA_JOB_RUNNING) {
			*busy = true;
			return NULL;
		}
		if (r->job[i].state == QA_JOB_PENDING)
			return &r->job[i];
	}
	return NULL;
}

/* -v: when a job starts, and (seconds since the run began) when. */
static void
qa_run_verbose_start(const struct qa_run *r, const struct qa_job *j)
{
	char label[QA_CELL_ID_MAX + 64];

	if (log_verbose() < 1)
		return;
	qa_job_label(j, label, sizeof(label));
	fprintf(stderr, "%sqa: %s: started at %.2f s%s\n", r->tty ?
	    "\r\033[K" : "", label, j->started - r->t0, j->exclusive ?
	    ", alone (exclusive)" : "");
}

/* -v: what a finished job printed, credentials cut out, line by line. */
static void
qa_run_verbose_log(const struct qa_run *r, const struct qa_job *j)
{
	char label[QA_CELL_ID_MAX + 64], *log, *line, *next;

	if (log_verbose() < 1 || (log = qa_job_log(j, &r->env)) == NULL)
		return;
	qa_job_label(j, label, sizeof(label));
	for (line = log; *line != '\0'; line = next) {
		next = line + strcspn(line, "\n");
		if (*next != '\0')
			*next++ = '\0';
		fprintf(stderr, "%sqa: %s: | %s\n", r->tty ? "\r\033[K" : "",
		    label, line);
	}
	free(log);
}

static void
qa_run_launch(struct qa_run *r, struct qa_job *j)
{
	if (qa_job_start(j, &r->env, (int)(j - r->job)) == -1) {
		log_warn("qa run: cannot start a job");
		j->state = QA_JOB_DONE;
		j->status = EXIT_RUNTIME;
		j->ended = j->started = qa_job_now();
		return;
	}
	qa_run_verbose_start(r, j);
}

/* Start what may start now; see the file comment for the rules. */
static void
qa_run_start_ready(struct qa_run *r)
{
	struct qa_job *j, *excl = NULL;
	size_t s, running = 0, i;
	bool busy;

	for (i = 0; i < r->njobs; i++)
		if (r->job[i].state == QA_JOB_RUNNING) {
			if (r->job[i].exclusive)
				return;
			running++;
		}
	for (s = 0; s < r->plan->nstations; s++)
		if ((j = qa_run_next(r, s, &busy)) != NULL && j->exclusive) {
			excl = j;
			break;
		}
	if (excl != NULL) {
		/* Let the others drain, then run it alone. */
		if (running == 0)
			qa_run_launch(r, excl);
		return;
	}
	for (s = 0; s < r->plan->nstations; s++)
		if ((j = qa_run_next(r, s, &busy)) != NULL)
			qa_run_launch(r, j);
}

static bool
qa_run_is_release(const struct qa_job *j)
{
	return j->is_hook && j->hook == QA_HOOK_RELEASE;
}

/*
 * After a failed reservation the cell is not ours: skip its other jobs,
 * but not the release hook, which always runs once the reserve hook has
 * (a reservation tool may have half-taken the router).
 */
static void
qa_run_skip_cell(struct qa_run *r, const struct qa_cell *c)
{
	size_t i;

	for (i = 0; i < r->njobs; i++)
		if (r->job[i].cell == c && r->job[i].state == QA_JOB_PENDING &&
		    !qa_run_is_release(&r->job[i]))
			r->job[i].state = QA_JOB_SKIPPED;
}

/* Has any job of cell c started (or ended)? */
static bool
qa_run_cell_started(const struct qa_run *r, const struct qa_cell *c)
{
	size_t i;

	for (i = 0; i < r->njobs; i++)
		if (r->job[i].cell == c && (r->job[i].state == QA_JOB_RUNNING ||
		    r->job[i].state == QA_JOB_DONE))
			return true;
	return false;
}

static void
qa_run_line(struct qa_run *r, const struct qa_job *j)
{
	char label[QA_CELL_ID_MAX + 64];

	qa_job_label(j, label, sizeof(label));
	fprintf(stderr, "%sqa: %s: %s, %.1f s", r->tty ? "\r\033[K" : "",
	    label, qa_job_ok(j) ? (!j->is_hook && j->status ==
	    EXIT_INCONCLUSIVE ? "inconclusive" : "ok") : j->state ==
	    QA_JOB_SKIPPED ? "skipped" : j->timed_out ? "timed out" :
	    "failed",
	    j->ended - j->started);
	if (log_verbose() >= 1 && j->state != QA_JOB_SKIPPED)
		fprintf(stderr, " (ended at %.2f s, exit %d)",
		    j->ended - r->t0, j->status);
	fputc('\n', stderr);
	qa_run_verbose_log(r, j);
}

static void
qa_run_finish_job(struct qa_run *r, struct qa_job *j)
{
	if (!qa_job_ok(j)) {
		r->failed++;
		if (j->is_hook && j->hook == QA_HOOK_RESERVE)
			qa_run_skip_cell(r, j->cell);
	}
	if (qa_job_store(j, &r->env, r->store) == -1) {
		log_warnx("qa run: store: %s", qa_store_error(r->store));
		r->store_failed = true;
	}
	r->done++;
	qa_run_line(r, j);
}

/* Reap children, enforce time limits, account skipped jobs. */
static bool
qa_run_reap(struct qa_run *r)
{
	struct qa_job *j;
	bool any = false;
	double now = qa_job_now();
	size_t i;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < r->njobs; i++) {
			j = &r->job[i];
			if (j->state != QA_JOB_RUNNING || j->pid != pid)
				continue;
			j->state = QA_JOB_DONE;
			j->ended = qa_job_now();
			j->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
			qa_run_finish_job(r, j);
			any = true;
		}
	for (i = 0; i < r->njobs; i++) {
		j = &r->job[i];
		if (j->state == QA_JOB_RUNNING && !j->timed_out &&
		    now - j->started > j->limit) {
			j->timed_out = true;
			kill(-j->pid, SIGKILL);
		}
		if (j->state == QA_JOB_SKIPPED && j->pid == 0) {
			j->pid = -1;	/* accounted */
			j->started = j->ended = now;
			qa_run_finish_job(r, j);
			any = true;
		}
	}
	return any;
}

/*
 * Stop: terminate what runs and skip what waits, except the release hooks
 * of cells that started, which still run, so that no router stays
 * reserved.  `hard` (a second signal): those too, and SIGKILL, for a
 * hook that ignores SIGTERM.
 */
static void
qa_run_stop_all(struct qa_run *r, bool hard)
{
	struct qa_job *j;
	size_t i;

	for (i = 0; i < r->njobs; i++) {
		j = &r->job[i];
		if (j->state == QA_JOB_RUNNING && !(qa_run_is_release(j) &&
		    !hard))
			kill(-j->pid, hard ? SIGKILL : SIGTERM);
		else if (j->state == QA_JOB_PENDING && (hard ||
		    !qa_run_is_release(j) || !qa_run_cell_started(r, j->cell)))
			j->state = QA_JOB_SKIPPED;
	}
}

/* The one progress line of a terminal. */
static void
qa_run_progress(struct qa_run *r)
{
	char line[512], label[QA_CELL_ID_MAX + 64];
	double now = qa_job_now();
	size_t i, n;

	if (!r->tty)
		return;
	n = (size_t)snprintf(line, sizeof(line), "[%zu/%zu %.0f s]", r->done,
	    r->njobs, now - r->t0);
	for (i = 0; i < r->njobs && n < sizeof(line); i++) {
		if (r->job[i].state != QA_JOB_RUNNING)
			continue;
		qa_job_label(&r->job[i], label, sizeof(label));
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %.0fs;",
		    label, now - r->job[i].started);
	}
	/* One terminal line: cut, never wrap. */
	line[sizeof(line) > 100 ? 100 : sizeof(line) - 1] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
}

static void
qa_run_loop(struct qa_run *r)
{
	struct timespec tick = { 0, QA_RUN_TICK_NS };
	sig_atomic_t seen = 0;

	while (r->done < r->njobs) {
		if (qa_run_signals_n > seen) {
			seen = qa_run_signals_n;
			fprintf(stderr, "%sqa run: %s, keeping what was "
			    "measured\n", r->tty ? "\r\033[K" : "", seen == 1 ?
			    "stopping (the release hooks still run; again to "
			    "skip them)" : "stopping now");
			qa_run_stop_all(r, seen > 1);
		}
		/* After a stop, only release hooks are left to start. */
		qa_run_start_ready(r);
		if (!qa_run_reap(r)) {
			qa_run_progress(r);
			nanosleep(&tick, NULL);
		}
	}
	if (r->tty)
		fprintf(stderr, "\r\033[K");
}

int
qa_run_store_cell_end(struct qa_store *s, const char *run_id,
    const char *cell_id, const char *status)
{
	const char *v[4];
	char when[32];

	qa_run_now_iso(when, sizeof(when));
	v[0] = run_id;
	v[1] = cell_id;
	v[2] = status;
	v[3] = when;
	return qa_store_exec(s, "UPDATE cells SET status = $3, ended = $4"
	    " WHERE run_id = $1 AND cell_id = $2", v, 4, NULL, NULL);
}

int
qa_run_store_run_end(struct qa_store *s, const char *run_id)
{
	const char *v[2];
	char when[32];

	qa_run_now_iso(when, sizeof(when));
	v[0] = run_id;
	v[1] = when;
	return qa_store_exec(s, "UPDATE runs SET ended = $2 WHERE run_id = $1",
	    v, 2, NULL, NULL);
}

/* Each cell's status once its jobs are done. */
static void
qa_run_store_end(struct qa_run *r)
{
	size_t i, k;
	bool ok, skipped;

	for (i = 0; i < r->plan->ncells; i++) {
		ok = true;
		skipped = false;
		for (k = 0; k < r->njobs; k++)
			if (r->job[k].cell == &r->plan->cell[i]) {
				ok = ok && qa_job_ok(&r->job[k]);
				skipped = skipped ||
				    r->job[k].state == QA_JOB_SKIPPED;
			}
		if (qa_run_store_cell_end(r->store, r->run_id,
		    r->plan->cell[i].id, ok ? "measured" : skipped ?
		    "skipped" : "error") == -1)
			r->store_failed = true;
	}
	if (qa_run_store_run_end(r->store, r->run_id) == -1)
		r->store_failed = true;
}

static int
qa_run_tmpdir(struct qa_run *r)
{
	const char *base = getenv("TMPDIR");

	snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/cyanqa.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	return mkdtemp(r->tmpdir) == NULL ? -1 : 0;
}

/* Remove the run's scratch files: job folders of two files each. */
static void
qa_run_cleanup(struct qa_run *r)
{
	char path[300];
	size_t i;

	for (i = 0; i < r->njobs; i++) {
		if (r->job[i].dir[0] == '\0')
			continue;
		snprintf(path, sizeof(path), "%s/log", r->job[i].dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/report.json", r->job[i].dir);
		unlink(path);
		rmdir(r->job[i].dir);
	}
	rmdir(r->tmpdir);
}

static void
qa_run_signals(void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int
qa_run_measure(const struct qa_plan *plan, const struct rules *rules,
    const struct qa_run_opts *o, struct qa_store *s, char *run_id,
    size_t idlen)
{
	struct qa_run r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.plan = plan;
	r.store = s;
	r.tty = o->progress && isatty(STDERR_FILENO);
	qa_run_id(r.run_id, sizeof(r.run_id));
	snprintf(run_id, idlen, "%s", r.run_id);
	r.env = (struct qa_job_env){ plan, rules, o->rules_dir, r.run_id,
	    r.tmpdir };
	if (qa_run_plan_jobs(&r, rules, o) == -1 || qa_run_tmpdir(&r) == -1) {
		log_warn("qa run");
		free(r.job);
		return -1;
	}
	if (r.njobs == 0)
		log_warnx("qa run: no cell selected");
	if (qa_run_store_start(&r, o) == -1) {
		log_warnx("qa run: store: %s", qa_store_error(s));
		rc = -1;
	} else {
		qa_run_stop = 0;
		qa_run_signals_n = 0;
		qa_run_signals(qa_run_on_signal);
		r.t0 = qa_job_now();
		qa_run_loop(&r);
		qa_run_signals(SIG_DFL);
		qa_run_store_end(&r);
		rc = r.store_failed ? -1 : 0;
	}
	qa_run_cleanup(&r);
	free(r.job);
	return rc == 0 && qa_run_stop ? 1 : rc;
}

static void
qa_run_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa run [--db DB] [--cell ID]... [--station ID]\n"
	    "                        [--junit FILE] [--rules DIR] [--quiet]\n"
	    "                        [-v] PLAN\n"
	    "\n"
	    "Measure the plan's cells (all, or --cell, or those --station\n"
	    "reaches), store their facts in DB (a SQLite file, default\n"
	    "cyanprobe-qa.db, or a postgresql:// URL), judge them for every\n"
	    "device and firmware of the plan, and with --junit write JUnit XML\n"
	    "for CI.  Stations work in parallel; exclusive tests run alone.\n"
	    "Each finished job prints a line; on a terminal a progress line\n"
	    "under them shows what runs (not with --quiet).  -v also says\n"
	    "when each job starts and ends, and prints what it printed\n"
	    "(hooks' output, a test's messages) with credentials' values cut\n"
	    "out.\n"
	    "Exit status: 0 every verdict passes, 1 a verdict fails or is\n"
	    "inconclusive, 2 usage error, 3 runtime failure (also a store\n"
	    "whose schema is newer than this cyanprobe's: refused before\n"
	    "anything is measured, not changed).\n");
}

static int
qa_run_args(int argc, char **argv, struct qa_run_opts *o, const char **db,
    const char **junit)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "db", required_argument, NULL, 'd' },
		{ "cell", required_argument, NULL, 'c' },
		{ "station", required_argument, NULL, 's' },
		{ "junit", required_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': *db = optarg; break;
		case 's': o->station = optarg; break;
		case 'j': *junit = optarg; break;
		case 'r': o->rules_dir = optarg; break;
		case 'q': o->progress = false; break;
		case 'v': log_init(log_verbose() + 1); break;
		case 'c':
			if (o->ncells == QA_RUN_CELLS_MAX) {
				log_warnx("qa run: more than %d --cell",
				    QA_RUN_CELLS_MAX);
				return EXIT_USAGE;
			}
			o->cell[o->ncells++] = optarg;
			break;
		default:
			return cli_help(ch, qa_run_usage);
		}
	}
	if (argc - optind != 1) {
		qa_run_usage(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* --cell and --station must name what the plan has. */
static int
qa_run_check_opts(const struct qa_plan *p, const struct qa_run_opts *o)
{
	size_t i;

	for (i = 0; i < o->ncells; i++)
		if (qa_plan_cell(p, o->cell[i]) == NULL) {
			log_warnx("qa run: --cell: no cell '%s' in %s",
			    o->cell[i], p->file);
			return EXIT_USAGE;
		}
	for (i = 0; o->station != NULL && i < p->nstations; i++)
		if (strcmp(p->station[i].id, o->station) == 0)
			return 0;
	if (o->station != NULL) {
		log_warnx("qa run: --station: no station '%s' in %s",
		    o->station, p->file);
		return EXIT_USAGE;
	}
	return 0;
}

int
qa_run_conclude(struct qa_store *s, const struct rules *rules,
    const char *run_id, const char *junit, FILE *out)
{
	struct qa_judge_tally t;
	char err[600];

	memset(&t, 0, sizeof(t));
	if (qa_judge_store(s, rules, run_id, NULL, NULL, &t, err,
	    sizeof(err)) == -1) {
		log_warnx("qa run: judge: %s", err);
		return EXIT_RUNTIME;
	}
	if (junit != NULL && qa_junit_write(s, run_id, junit, err,
	    sizeof(err)) == -1) {
		log_warnx("qa run: %s", err);
		return EXIT_RUNTIME;
	}
	fprintf(out, "run %s: %zu cell%s, %zu verdict%s: %zu pass, %zu warn, "
	    "%zu fail, %zu inconclusive\n", run_id, t.cells,
	    t.cells == 1 ? "" : "s", t.verdicts, t.verdicts == 1 ? "" : "s",
	    t.outcome[QAJUDGE_PASS], t.outcome[QAJUDGE_WARN],
	    t.outcome[QAJUDGE_FAIL], t.outcome[QAJUDGE_INCONCLUSIVE]);
	return t.outcome[QAJUDGE_FAIL] + t.outcome[QAJUDGE_INCONCLUSIVE] > 0 ?
	    EXIT_PROBLEMS : EXIT_OK;
}

int
qa_run_cmd(int argc, char **argv)
{
	struct qa_run_opts o;
	const char *db = "cyanprobe-qa.db", *junit = NULL;
	struct rules *rules = NULL;
	struct qa_plan *plan = NULL;
	struct qa_store *s = NULL;
	char err[600], run_id[64];
	int rc, jr;

	memset(&o, 0, sizeof(o));
	o.progress = true;
	if ((rc = qa_run_args(argc, argv, &o, &db, &junit)) != -1)
		return rc;
	if ((rc = qa_cmd_load(o.rules_dir, argv[optind], &rules,
	    &plan)) != 0 || (rc = qa_run_check_opts(plan, &o)) != 0)
		goto done;
	if ((s = qa_store_open(db, err, sizeof(err))) == NULL) {
		log_warnx("qa run: %s", err);
		rc = EXIT_RUNTIME;
		goto done;
	}
	rc = qa_run_measure(plan, rules, &o, s, run_id, sizeof(run_id));
	if (rc == -1)
		rc = EXIT_RUNTIME;
	else {
		/* Interrupted (1): what was measured is judged all the same. */
		jr = qa_run_conclude(s, rules, run_id, junit, stdout);
		rc = jr == EXIT_RUNTIME ? EXIT_RUNTIME : rc == 1 ? 130 : jr;
	}
done:
	qa_store_close(s);
	qa_plan_free(plan);
	free(rules);
	return rc;
}
