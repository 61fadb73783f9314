/*
 * diagnose.c - the engine of `cyanprobe diagnose`: start the checks of
 * check.h in threads, let them meet through struct diag, draw one live line
 * per check on a terminal, and fold their facts and findings into the
 * report.  The verdict is not decided here but by report_decide(), from the
 * rules, so `diagnose` and `explain` always agree.  Ctrl-C (SIGINT) or
 * SIGTERM stops the wait: the checks that can end early with what they have
 * (DHCP, in its grace for other servers) are asked to and given a moment,
 * what finished goes into the report, marked interrupted, and the checks
 * still running are left to the process's end.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_wifi.h"
#include "diagnose.h"
#include "log.h"

void
diag_opts_init(struct diag_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->dns_port = 53;
	snprintf(o->cloud_host, sizeof(o->cloud_host), "device.spark.io");
	o->cloud_port = 5683;
	snprintf(o->inet_host, sizeof(o->inet_host), "8.8.8.8");
	o->inet_port = 53;
	snprintf(o->ntp_host, sizeof(o->ntp_host), "pool.ntp.org");
	o->ntp_port = 123;
	snprintf(o->portal_url, sizeof(o->portal_url),
	    "http://connectivitycheck.gstatic.com/generate_204");
	o->timeout = DIAG_TIMEOUT_DEFAULT;
}

void
diag_init(struct diag *d, const struct diag_opts *o)
{
	pthread_condattr_t ca;

	memset(d, 0, sizeof(*d));
	d->o = o;
	pthread_mutex_init(&d->mu, NULL);
	/* Deadlines are monotonic: a clock step must not stretch a wait. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	d->t0 = diag_now();
	/* Without it a check only ends at its deadline, as before. */
	d->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

void
diag_fini(struct diag *d)
{
	if (d->stop_fd != -1)
		close(d->stop_fd);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
}

double
diag_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
diag_deadline(const struct diag *d, double base_s)
{
	return d->t0 + base_s * d->o->timeout / DIAG_TIMEOUT_DEFAULT;
}

double
diag_dhcp_deadline(const struct diag *d)
{
	double scale = d->o->timeout / DIAG_TIMEOUT_DEFAULT;

	if (d->o->dhcp_window > 0)
		return d->o->dhcp_window;
	/*
	 * A server's ping check takes as long on a fast network as on a slow
	 * one: a short --timeout must not turn a working server into "no
	 * offer".  A long one (a slow network) stretches it.
	 */
	return DIAG_DHCP_DEADLINE * (scale > 1 ? scale : 1);
}

double
diag_dhcp_grace(const struct diag *d)
{
	return d->o->dhcp_grace > 0 ? d->o->dhcp_grace : DIAG_DHCP_GRACE;
}

/* Wait on d->cv until `until` (diag_now() seconds); mu is held. */
static void
diag_wait_until(struct diag *d, double until)
{
	struct timespec ts;
	double left = until - diag_now(), abs_s;

	if (left <= 0)
		return;
	/* The condition variable runs on CLOCK_MONOTONIC (diagnose_run). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	abs_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 + left;
	ts.tv_sec = (time_t)abs_s;
	ts.tv_nsec = (long)((abs_s - floor(abs_s)) * 1e9);
	pthread_cond_timedwait(&d->cv, &d->mu, &ts);
}

/*
 * Wait for the first offer or the end of the DHCP check, whichever comes
 * first, but not past `until`; mu is held.
 */
static void
diag_wait_lease(struct diag *d, double until)
{
	while (!d->dhcp_offer && !d->dhcp_done && diag_now() < until)
		diag_wait_until(d, until);
}

double
diag_net_deadline(struct diag *d, double base_s)
{
	double from;

	if (d->o->ndns > 0)
		return diag_deadline(d, base_s);
	/*
	 * The device asks the DNS servers of its lease, and only once it has
	 * one: the step starts when the first offer came.  The DHCP check
	 * always ends (by its deadline) and says so, so this wait ends too;
	 * the bound is only a second line of defence.
	 */
	pthread_mutex_lock(&d->mu);
	diag_wait_lease(d, d->t0 + diag_dhcp_deadline(d) + 1);
	from = d->lease_at > 0 ? d->lease_at : diag_now();
	pthread_mutex_unlock(&d->mu);
	if (from < d->t0)
		from = d->t0;
	return from + base_s * d->o->timeout / DIAG_TIMEOUT_DEFAULT;
}

void
diag_request_stop(struct diag *d)
{
	uint64_t one = 1;

	pthread_mutex_lock(&d->mu);
	d->stopping = true;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	if (d->stop_fd != -1 && write(d->stop_fd, &one, sizeof(one)) == -1)
		log_debug("diagnose: cannot wake the checks: %s",
		    strerror(errno));
}

bool
diag_stopping(struct diag *d)
{
	bool stop;

	pthread_mutex_lock(&d->mu);
	stop = d->stopping;
	pthread_mutex_unlock(&d->mu);
	return stop;
}

int
diag_running(struct diag *d)
{
	int n;

	pthread_mutex_lock(&d->mu);
	n = d->running;
	pthread_mutex_unlock(&d->mu);
	return n;
}

size_t
diag_dns_servers(struct diag *d, struct in_addr *out, size_t max,
    const char **source, double deadline)
{
	const struct diag_opts *o = d->o;
	size_t i, n = 0;

	if (o->ndns > 0) {
		for (i = 0; i < o->ndns && i < max; i++)
			out[n++] = o->dns[i];
		*source = "flag";
		return n;
	}
	/*
	 * The device uses the DNS servers of its DHCP lease, so those are the
	 * ones to test: wait for the offer, however long the server takes
	 * (stock servers ping-check first, for seconds).  resolv.conf only
	 * when no offer came.
	 */
	pthread_mutex_lock(&d->mu);
	diag_wait_lease(d, deadline);
	if (d->dhcp_offer && d->dhcp_ndns > 0) {
		for (i = 0; i < d->dhcp_ndns && i < max; i++)
			out[n++] = d->dhcp_dns[i];
		*source = "dhcp";
	}
	pthread_mutex_unlock(&d->mu);
	if (n > 0)
		return n;
	for (i = 0; i < d->nresolv && i < max; i++)
		out[n++] = d->resolv[i];
	*source = "resolv.conf";
	return n;
}

void
diag_publish_offer(struct diag *d, const struct in_addr *dns, size_t ndns,
    const char *capport)
{
	size_t i;

	pthread_mutex_lock(&d->mu);
	if (!d->dhcp_offer) {
		d->dhcp_offer = true;
		if (d->lease_at == 0)
			d->lease_at = diag_now();
		for (i = 0; i < ndns && i < DIAG_DNS_MAX; i++)
			d->dhcp_dns[i] = dns[i];
		d->dhcp_ndns = i;
		snprintf(d->dhcp_capport, sizeof(d->dhcp_capport), "%s",
		    capport != NULL ? capport : "");
	}
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

void
diag_publish_dhcp_done(struct diag *d)
{
	pthread_mutex_lock(&d->mu);
	d->dhcp_done = true;
	if (d->lease_at == 0)
		d->lease_at = diag_now();
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

bool
diag_wait_offer(struct diag *d, double deadline, char *capport, size_t len)
{
	bool got;

	pthread_mutex_lock(&d->mu);
	diag_wait_lease(d, deadline);
	got = d->dhcp_offer;
	snprintf(capport, len, "%s", got ? d->dhcp_capport : "");
	pthread_mutex_unlock(&d->mu);
	return got;
}

void
check_fail(struct check_result *res, enum finding_id id, const char *fmt, ...)
{
	char buf[FINDING_EVIDENCE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	findings_add(&res->findings, id, "%s", buf);
	res->failed = true;
}

void
check_note(struct check_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->note, sizeof(res->note), fmt, ap);
	va_end(ap);
}

/* --- the run --------------------------------------------------------------- */

enum { C_LINK, C_WIFI, C_DHCP, C_DNS, C_INTERNET, C_PORTAL, C_CLOUD,
    C_COUNT };

/*
 * Each check and the stage it sets out to judge (docs/diagnose.md, "What a
 * verdict rests on").  The link, DNS and portal checks judge no stage of
 * their own: their findings fail a stage, but passing them proves none.
 * The wifi check adds its stage on a wireless interface only, the cloud
 * check the handshake with --device-key.  `stops`: the check ends early
 * with what it has on diag_request_stop(), so after a signal it is waited
 * for (DIAG_STOP_WAIT).
 */
static const struct {
	const char	*name;
	void		(*fn)(struct diag *, struct check_result *);
	stage_set	 expect;
	bool		 stops;
} checks[C_COUNT] = {
	{ "link", check_link, 0, false },
	{ "wifi", check_wifi, 0, false },
	{ "dhcp", check_dhcp, STAGE_BIT(STAGE_DHCP), true },
	{ "dns", check_dns, 0, false },
	{ "internet", check_internet, STAGE_BIT(STAGE_INTERNET), false },
	{ "portal", check_portal, 0, false },
	{ "cloud", check_cloud, STAGE_BIT(STAGE_CLOUD), false },
};

struct job {
	struct diag		*d;
	struct check_result	*res;
	void			(*fn)(struct diag *, struct check_result *);
	pthread_t		 tid;
	bool			 started;
};

/* The status a finished check shows: its worst finding's severity. */
static enum check_status
job_status(const struct check_result *res, const struct rules *rules)
{
	const struct rule *ru;
	enum check_status st = CHECK_PASSED;
	size_t i;

	if (res->skipped)
		return CHECK_SKIPPED;
	if (rules == NULL)
		return res->failed ? CHECK_FAILED : CHECK_PASSED;
	for (i = 0; i < res->findings.n; i++) {
		ru = rules_get(rules, res->findings.item[i].id);
		if (ru == NULL || ru->severity == SEVERITY_ERROR)
			return CHECK_FAILED;
		if (ru->severity == SEVERITY_WARNING)
			st = CHECK_WARN;
	}
	return st;
}

static void
job_run(struct job *j)
{
	pthread_mutex_lock(&j->d->mu);
	j->res->status = CHECK_RUNNING;
	j->res->started = diag_now();
	j->d->running++;
	pthread_mutex_unlock(&j->d->mu);

	j->fn(j->d, j->res);

	pthread_mutex_lock(&j->d->mu);
	j->d->running--;
	j->res->ended = diag_now();
	j->res->status = job_status(j->res, j->d->o->rules);
	pthread_cond_broadcast(&j->d->cv);
	pthread_mutex_unlock(&j->d->mu);
	log_info("diagnose: %s check %s after %.0f ms%s%s", j->res->name,
	    j->res->skipped ? "skipped" : j->res->failed ? "failed" :
	    "passed", (j->res->ended - j->res->started) * 1000,
	    j->res->note[0] != '\0' ? ": " : "", j->res->note);
}

static void *
job_thread(void *arg)
{
	job_run(arg);
	return NULL;
}

static const char *
status_word(enum check_status s)
{
	switch (s) {
	case CHECK_PENDING:	return "waiting";
	case CHECK_RUNNING:	return "running";
	case CHECK_PASSED:	return "passed";
	case CHECK_WARN:	return "warn";
	case CHECK_FAILED:	return "failed";
	case CHECK_SKIPPED:	return "skipped";
	}
	return "?";
}

/*
 * Draw one line per check; after the first call, move the cursor back up
 * over the previous drawing first.  mu is held.
 */
static void
progress_draw(FILE *f, const struct check_result *res, size_t n, bool again,
    int width, bool stopped)
{
	double now = diag_now(), t;
	char line[256];
	size_t i;

	if (again)
		fprintf(f, "\033[%zuA", n);
	for (i = 0; i < n; i++) {
		const struct check_result *c = &res[i];
		bool open = c->status == CHECK_PENDING ||
		    c->status == CHECK_RUNNING;

		t = c->status == CHECK_PENDING ? 0 :
		    c->status == CHECK_RUNNING ? now - c->started :
		    c->ended - c->started;
		snprintf(line, sizeof(line), "  %-9s %-11s %5.1fs  %s", c->name,
		    (stopped && open) || c->interrupted ? "interrupted" :
		    status_word(c->status), t, open ? "" : c->note);
		/*
		 * A line wider than the terminal wraps, and moving the cursor
		 * up by n lines would then redraw over the wrong ones: cut it.
		 */
		if (width > 1 && (int)strlen(line) > width - 1)
			line[width - 1] = '\0';
		fprintf(f, "\r\033[K%s\n", line);
	}
	fflush(f);
}

/* The signal that stopped the run (SIGINT, SIGTERM), or 0. */
static volatile sig_atomic_t diag_stop;

static void
diag_on_signal(int sig)
{
	diag_stop = sig;
}

/*
 * Catch SIGINT and SIGTERM once (SA_RESETHAND: a second Ctrl-C ends the
 * process at once); no SA_RESTART, so the main thread's wait wakes up.
 */
static void
diag_catch(struct sigaction old[2])
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = diag_on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	diag_stop = 0;
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
}

static void
diag_uncatch(const struct sigaction old[2])
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
}

static bool
all_done(const struct check_result *res, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (res[i].status == CHECK_PENDING ||
		    res[i].status == CHECK_RUNNING)
			return false;
	return true;
}

static void
read_resolv(struct diag *d)
{
	const char *path = d->o->resolv_conf != NULL ? d->o->resolv_conf :
	    "/etc/resolv.conf";
	char buf[8192];
	size_t len;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	d->nresolv = check_dns_parse_resolv(buf, len, d->resolv, DIAG_DNS_MAX);
}

/*
 * Move a check's facts and findings into the report, and its timing.  A
 * check still running when a signal stopped the run is only named, as
 * "interrupted": its thread may still write into res.
 */
static void
fold(struct report *r, struct check_result *res, cJSON *run, double t0,
    bool open)
{
	cJSON *t, *ids;
	size_t i;

	if (open) {
		/* What it set out to judge stays unobserved: inconclusive. */
		report_expect(r, res->expect);
		if (run != NULL && (t = cJSON_AddObjectToObject(run,
		    res->name)) != NULL) {
			cJSON_AddStringToObject(t, "status", "interrupted");
			cJSON_AddNumberToObject(t, "start_ms",
			    res->status == CHECK_RUNNING ?
			    round((res->started - t0) * 1000) : 0);
			cJSON_AddNumberToObject(t, "ms",
			    res->status == CHECK_RUNNING ?
			    round((diag_now() - res->started) * 1000) : 0);
			cJSON_AddStringToObject(t, "note", res->status ==
			    CHECK_RUNNING ? "stopped by a signal while running" :
			    "stopped by a signal before it started");
			cJSON_AddArrayToObject(t, "findings");
		}
		return;
	}
	if (res->facts != NULL) {
		report_facts(r, res->name);
		cJSON_ReplaceItemInObjectCaseSensitive(r->facts, res->name,
		    res->facts);
		res->facts = NULL;
	}
	for (i = 0; i < res->findings.n; i++)
		findings_add(&r->findings, res->findings.item[i].id, "%s",
		    res->findings.item[i].evidence);
	report_expect(r, res->expect);
	report_seen(r, res->seen);
	if (run != NULL && (t = cJSON_AddObjectToObject(run, res->name))) {
		/* Ended early on the signal with nothing to judge yet. */
		cJSON_AddStringToObject(t, "status", res->interrupted ?
		    "interrupted" : status_word(res->status));
		cJSON_AddNumberToObject(t, "start_ms",
		    round((res->started - t0) * 1000));
		cJSON_AddNumberToObject(t, "ms",
		    round((res->ended - res->started) * 1000));
		if (res->note[0] != '\0')
			cJSON_AddStringToObject(t, "note", res->note);
		/* Which findings this check made: a report per check (JUnit)
		 * needs it, and the ids alone do not say. */
		ids = cJSON_AddArrayToObject(t, "findings");
		for (i = 0; ids != NULL && i < res->findings.n; i++)
			cJSON_AddItemToArray(ids, cJSON_CreateString(
			    finding_name(res->findings.item[i].id)));
	}
}

/* One run's state: on the heap, as checks may outlive an interrupted run. */
struct diag_run {
	struct check_result	res[C_COUNT];
	struct job		jobs[C_COUNT];
	struct diag		d;
};

/* Start the threads with SIGINT and SIGTERM blocked: the main one waits. */
static int
diag_start(struct diag_run *run)
{
	sigset_t block, old;
	size_t i;
	int rc = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = C_LINK + 1; i < C_COUNT; i++) {
		if (pthread_create(&run->jobs[i].tid, NULL, job_thread,
		    &run->jobs[i]) != 0) {
			log_warnx("diagnose: cannot start the %s check",
			    run->res[i].name);
			rc = -1;
			break;
		}
		run->jobs[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* Whether a started check that ends early on request is still open; mu held. */
static bool
stoppers_open(const struct diag_run *run)
{
	size_t i;

	for (i = 0; i < C_COUNT; i++)
		if (checks[i].stops && run->jobs[i].started &&
		    (run->res[i].status == CHECK_PENDING ||
		    run->res[i].status == CHECK_RUNNING))
			return true;
	return false;
}

/*
 * After a signal: ask the checks that can to end with what they have (the
 * DHCP check keeps the offers seen so far), and wait a moment for them;
 * mu is held.
 */
static void
diag_wait_stoppers(struct diag_run *run)
{
	struct diag *d = &run->d;
	double until = diag_now() + DIAG_STOP_WAIT;

	pthread_mutex_unlock(&d->mu);
	diag_request_stop(d);
	pthread_mutex_lock(&d->mu);
	while (stoppers_open(run) && diag_now() < until)
		diag_wait_until(d, until);
}

/* Wait for every check, or a signal; drawing the progress. */
static void
diag_wait_all(struct diag_run *run, FILE *progress, bool drawn, int width)
{
	struct diag *d = &run->d;

	pthread_mutex_lock(&d->mu);
	while (!diag_stop && !all_done(run->res, C_COUNT)) {
		diag_wait_until(d, diag_now() + 0.1);
		if (drawn)
			progress_draw(progress, run->res, C_COUNT, true, width,
			    false);
	}
	if (diag_stop)
		diag_wait_stoppers(run);
	if (drawn) {
		progress_draw(progress, run->res, C_COUNT, true, width,
		    diag_stop != 0);
		fputc('\n', progress);	/* apart from the report */
	}
	pthread_mutex_unlock(&d->mu);
}

int
diagnose_run(const struct diag_opts *o, struct report *r, FILE *progress)
{
	struct diag_run *run;
	struct sigaction old[2];
	cJSON *times;
	size_t i;
	int rc = 0;
	bool drawn = false, left = false, open[C_COUNT] = { false };

	if ((run = calloc(1, sizeof(*run))) == NULL) {
		log_warnx("diagnose: out of memory");
		return -1;
	}
	diag_init(&run->d, o);
	read_resolv(&run->d);
	for (i = 0; i < C_COUNT; i++) {
		run->res[i].name = checks[i].name;
		run->res[i].status = CHECK_PENDING;
		run->res[i].expect = checks[i].expect;
		findings_init(&run->res[i].findings);
		run->jobs[i] = (struct job){ &run->d, &run->res[i],
		    checks[i].fn, 0, false };
	}
	diag_catch(old);
	if (o->progress && progress != NULL) {
		pthread_mutex_lock(&run->d.mu);
		progress_draw(progress, run->res, C_COUNT, false,
		    o->progress_width, false);
		drawn = true;
		pthread_mutex_unlock(&run->d.mu);
	}

	/* The link check names the interface everyone else uses. */
	job_run(&run->jobs[C_LINK]);
	if (!diag_stop && (rc = diag_start(run)) == -1)
		/* Let what started finish; DHCP waiters then give up. */
		diag_publish_dhcp_done(&run->d);
	if (rc == 0)
		diag_wait_all(run, progress, drawn, o->progress_width);
	r->interrupted = diag_stop != 0;
	r->progress_drawn = drawn;
	pthread_mutex_lock(&run->d.mu);
	for (i = 0; i < C_COUNT; i++) {
		open[i] = run->res[i].status == CHECK_PENDING ||
		    run->res[i].status == CHECK_RUNNING;
		if (open[i] && run->jobs[i].started) {
			/* Interrupted: it ends with the process. */
			pthread_detach(run->jobs[i].tid);
			run->jobs[i].started = false;
			left = true;
		}
	}
	pthread_mutex_unlock(&run->d.mu);
	for (i = 0; i < C_COUNT; i++)
		if (run->jobs[i].started)
			pthread_join(run->jobs[i].tid, NULL);

	times = cJSON_CreateObject();
	for (i = 0; i < C_COUNT; i++)
		fold(r, &run->res[i], times, run->d.t0, open[i]);
	if (times != NULL) {
		cJSON_AddNumberToObject(times, "total_ms",
		    round((diag_now() - run->d.t0) * 1000));
		cJSON_AddNumberToObject(times, "timeout_s", run->d.o->timeout);
		cJSON_AddNumberToObject(times, "dhcp_deadline_s",
		    diag_dhcp_deadline(&run->d));
		if (r->interrupted)
			cJSON_AddBoolToObject(times, "interrupted", true);
		report_facts(r, "run");
		cJSON_ReplaceItemInObjectCaseSensitive(r->facts, "run", times);
	}
	diag_uncatch(old);
	if (left)
		/* Threads still use run: the process ends after the report
		 * (cmd_diagnose.c), which takes them and run with it. */
		return 0;
	for (i = 0; i < C_COUNT; i++)
		cJSON_Delete(run->res[i].facts);
	diag_fini(&run->d);
	free(run);
	return rc;
}
