/*
 * qatest_nat.c - `qa test nat-lifetime`: how long the router keeps an idle
 * NAT mapping, per protocol, in one run.  Flows to the responder on TCP
 * 5683 (like the device's cloud session), TCP 443 and UDP are opened at
 * once; flow k asks the responder (HOLD) to send a PROBE after idle time
 * t_k of a staggered schedule.  A PROBE that arrives proves the mapping
 * alive at t_k; one that does not proves it dead (the responder's packet
 * met no mapping), and the flow then speaks once (ECHO) to see what the
 * device would meet: an answer (a new mapping, maybe on a new external
 * port), a reset, or silence.  analyzers/routerqa.c turns the flows into
 * a lifetime range per protocol and the findings, judged against the
 * device's keep-alive (its profile, for --device/--firmware); the
 * lifetimes are also held against every interval of --keepalive, as facts
 * (keepalives[]), for the other firmware eras a lab cares about.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "log.h"
#include "qatest.h"
#include "routerqa.h"

#define NAT_FLOWS_MAX	64	/* per protocol */
#define NAT_KINDS	3

/* The default schedule: fine near the keep-alive and the RFC limits. */
static const double nat_schedule[] = {
	5, 10, 14, 16, 20, 25, 30, 45, 60, 90, 115, 125, 180, 240, 300, 450,
	600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 7440
};

enum nat_kind { NAT_TCP, NAT_TLS, NAT_UDP };

static const char *const nat_key[NAT_KINDS] = { "tcp5683", "tcp443", "udp" };

struct nat_flow {
	struct rqa_flow	r;
	int		fd;		/* -1 when closed */
	double		due;		/* PROBE expected by (set-up + idle) */
	bool		echoing;	/* dead: waiting for the ECHO answer */
	double		echo_by;
	char		buf[QALINE_MAX];
	size_t		len;
	char		tag[QALINE_TAG_MAX];
};

struct nat_run {
	struct qatest_ctx	*c;
	struct nat_flow		 flow[NAT_KINDS][NAT_FLOWS_MAX];
	size_t			 n;		/* flows per protocol */
	double			 idle[NAT_FLOWS_MAX];
	char			 setup_error[NAT_KINDS][96];
	int			 setup_errno[NAT_KINDS];
};

/* Add idle time t to the schedule unless there, past last, or full. */
static void
nat_plan_add(struct nat_run *r, double t, double last)
{
	size_t i;

	if (t <= 0 || t > last || r->n == NAT_FLOWS_MAX)
		return;
	for (i = 0; i < r->n; i++)
		if (r->idle[i] == t)
			return;
	r->idle[r->n++] = t;
}

static int
nat_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The idle times: every --step, or the default schedule with a flow a
 * second either side of each keep-alive interval (the device's and
 * --keepalive's), so that a lifetime is never "inconclusive" against one.
 */
static size_t
nat_plan(struct nat_run *r, const struct profile_keepalive *ka)
{
	const struct qatest_opts *o = r->c->o;
	double last = r->c->max_s - 3 * o->grace_s - 5, t;
	size_t i;

	r->n = 0;
	if (o->step_s > 0) {
		for (t = o->step_s; t <= last && r->n < NAT_FLOWS_MAX;
		    t += o->step_s)
			r->idle[r->n++] = t;
		return r->n;
	}
	for (i = 0; i < sizeof(nat_schedule) / sizeof(nat_schedule[0]); i++)
		nat_plan_add(r, nat_schedule[i], last);
	for (i = 0; i <= o->nkeepalive; i++) {
		t = i < o->nkeepalive ? o->keepalive_s[i] :
		    ka != NULL ? ka->interval_ms / 1000.0 : 0;
		nat_plan_add(r, t - 1, last);
		nat_plan_add(r, t + 1, last);
	}
	qsort(r->idle, r->n, sizeof(r->idle[0]), nat_cmp);
	return r->n;
}

static int
nat_open(struct nat_run *r, enum nat_kind k, double deadline, int *err)
{
	const struct qatest_opts *o = r->c->o;
	double ms;
	int fd;

	if (k == NAT_UDP) {
		fd = qatest_udp_socket(r->c, o->responder, o->port);
		*err = fd == -1 ? errno : 0;
		return fd;
	}
	return check_tcp_connect(o->responder, k == NAT_TCP ? o->port :
	    o->tls_port, o->iface, deadline, err, &ms);
}

/* Open a flow and HOLD it; 0, or -1 with the reason in setup_error. */
static int
nat_setup(struct nat_run *r, enum nat_kind k, size_t i)
{
	struct nat_flow *f = &r->flow[k][i];
	double g = r->c->o->grace_s;
	struct qaline q;
	int err = 0, rc = 0, try;

	f->r.idle_s = r->idle[i];
	snprintf(f->tag, sizeof(f->tag), "%s-%u", nat_key[k], (unsigned)i);
	if ((f->fd = nat_open(r, k, qatest_now() + 5 * g, &err)) == -1) {
		r->setup_errno[k] = err;
		snprintf(r->setup_error[k], sizeof(r->setup_error[k]),
		    "connect: %s", strerror(err));
		return -1;
	}
	/* UDP may lose a datagram: ask up to three times. */
	for (try = 0; try < (k == NAT_UDP ? 3 : 1); try++) {
		if (qatest_send_line(f->fd, "HOLD %.0f %s\n",
		    f->r.idle_s * 1000, f->tag) == -1) {
			rc = -1;
			break;
		}
		rc = qatest_read_line(f->fd, k != NAT_UDP, f->buf, &f->len,
		    qatest_now() + g, &q);
		if (rc == 1 && q.verb == QALINE_OK &&
		    strcmp(q.tag, f->tag) == 0)
			break;
	}
	if (rc != 1) {
		snprintf(r->setup_error[k], sizeof(r->setup_error[k]),
		    "no answer to HOLD: %s", rc == 0 ? "timeout" :
		    strerror(errno));
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	f->r.port0 = q.port;
	f->due = qatest_now() + f->r.idle_s + g;
	return 0;
}

static void
nat_close(struct nat_flow *f)
{
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
}

/* The idle time is over without a PROBE: dead; speak once (ECHO). */
static void
nat_declare_dead(struct nat_run *r, struct nat_flow *f)
{
	f->r.state = RQA_DEAD;
	f->echoing = true;
	f->echo_by = qatest_now() + 2 * r->c->o->grace_s;
	if (qatest_send_line(f->fd, "ECHO %s\n", f->tag) == -1) {
		f->r.after = errno == ECONNRESET || errno == EPIPE ||
		    errno == ECONNREFUSED ? RQA_AFTER_RESET : RQA_AFTER_SILENT;
		f->echoing = false;
		nat_close(f);
	}
}

/* Something to read on a flow: a PROBE, an ECHO answer, or an error. */
static void
nat_read(struct nat_run *r, enum nat_kind k, struct nat_flow *f)
{
	struct qaline q;
	int rc;

	rc = qatest_read_line(f->fd, k != NAT_UDP, f->buf, &f->len,
	    qatest_now() + 0.001, &q);
	if (rc == 0)
		return;
	if (rc == 1 && q.verb == QALINE_PROBE && !f->echoing) {
		f->r.state = RQA_ALIVE;
		nat_close(f);
	} else if (rc == 1 && q.verb == QALINE_ECHO_REPLY && f->echoing) {
		f->r.after = RQA_AFTER_WORKS;
		f->r.port1 = q.port;
		f->echoing = false;
		nat_close(f);
	} else if (rc < 0) {
		/* A reset (or an ICMP error on UDP) before or after. */
		if (!f->echoing && f->r.state != RQA_DEAD) {
			f->r.state = RQA_DEAD;
			f->r.reset_early = true;
		}
		f->r.after = RQA_AFTER_RESET;
		f->echoing = false;
		nat_close(f);
	}
	(void)r;
}

/* Deadlines: flows whose PROBE is late are dead, ECHOs unanswered silent. */
static void
nat_deadlines(struct nat_run *r, struct nat_flow *f)
{
	double now = qatest_now();

	if (f->fd == -1)
		return;
	if (f->echoing && now >= f->echo_by) {
		f->r.after = RQA_AFTER_SILENT;
		f->echoing = false;
		nat_close(f);
	} else if (!f->echoing && f->r.state == RQA_UNTESTED && now >= f->due)
		nat_declare_dead(r, f);
}

static size_t
nat_pending(struct nat_run *r, double *next)
{
	size_t k, i, n = 0;
	struct nat_flow *f;

	*next = 0;
	for (k = 0; k < NAT_KINDS; k++)
		for (i = 0; i < r->n; i++) {
			f = &r->flow[k][i];
			if (f->fd == -1)
				continue;
			n++;
			if (f->r.state == RQA_UNTESTED &&
			    (*next == 0 || f->due < *next))
				*next = f->due;
		}
	return n;
}

static void
nat_loop(struct nat_run *r)
{
	struct pollfd p[NAT_KINDS * NAT_FLOWS_MAX];
	struct nat_flow *map[NAT_KINDS * NAT_FLOWS_MAX];
	enum nat_kind kind[NAT_KINDS * NAT_FLOWS_MAX];
	double next, end = r->c->t0 + r->c->max_s;
	size_t k, i, np;

	while (!qatest_stopped() && qatest_now() < end &&
	    nat_pending(r, &next) > 0) {
		np = 0;
		for (k = 0; k < NAT_KINDS; k++)
			for (i = 0; i < r->n; i++) {
				if (r->flow[k][i].fd == -1)
					continue;
				p[np] = (struct pollfd){ r->flow[k][i].fd,
				    POLLIN, 0 };
				kind[np] = (enum nat_kind)k;
				map[np++] = &r->flow[k][i];
			}
		qatest_progress(r->c, "%zu flows open, next probe in %.0f s",
		    np, next > 0 ? next - qatest_now() : 0);
		/* What arrived counts before any deadline is applied: a
		 * set-up that blocked for a while must not turn a PROBE
		 * waiting in the socket into a death. */
		if (poll(p, np, 250) > 0)
			for (i = 0; i < np; i++)
				if (p[i].revents != 0)
					nat_read(r, kind[i], map[i]);
		for (i = 0; i < np; i++)
			nat_deadlines(r, map[i]);
	}
}

static const char *const state_names[] = { "untested", "alive", "dead" };
static const char *const after_names[] = {
	"unknown", "works", "reset", "silent"
};

static void
nat_kind_facts(struct nat_run *r, enum nat_kind k, const struct rqa_nat *n,
    const struct profile_keepalive *ka)
{
	cJSON *o = cJSON_AddObjectToObject(r->c->f, nat_key[k]);
	cJSON *arr, *e;
	struct nat_flow *f;
	char w[48];
	size_t i;

	cJSON_AddNumberToObject(o, "port", k == NAT_TLS ? r->c->o->tls_port :
	    r->c->o->port);
	cJSON_AddStringToObject(o, "protocol", k == NAT_UDP ? "udp" : "tcp");
	routerqa_nat_words(n, w, sizeof(w));
	cJSON_AddStringToObject(o, "lifetime", w);
	cJSON_AddNumberToObject(o, "alive_s", n->alive_s);
	if (n->dead_s > 0) {
		cJSON_AddNumberToObject(o, "dead_s", n->dead_s);
		cJSON_AddNumberToObject(o, "resolution_s",
		    n->dead_s - n->alive_s);
		cJSON_AddStringToObject(o, "death", after_names[n->death]);
	} else
		cJSON_AddNullToObject(o, "dead_s");
	cJSON_AddBoolToObject(o, "reset_while_idle", n->reset_early);
	cJSON_AddBoolToObject(o, "port_changed", n->port_changed);
	cJSON_AddBoolToObject(o, "monotonic", n->monotonic);
	cJSON_AddStringToObject(o, "vs_rfc", routerqa_nat_against(n,
	    k == NAT_UDP ? ROUTERQA_UDP_RFC_S : ROUTERQA_TCP_RFC_S));
	if (ka != NULL && k != NAT_UDP)
		cJSON_AddStringToObject(o, "vs_keepalive",
		    routerqa_nat_against(n, ka->interval_ms / 1000.0));
	if (r->setup_error[k][0] != '\0')
		cJSON_AddStringToObject(o, "setup_error", r->setup_error[k]);
	arr = cJSON_AddArrayToObject(o, "flows");
	for (i = 0; i < r->n; i++) {
		f = &r->flow[k][i];
		e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "idle_s", f->r.idle_s);
		cJSON_AddStringToObject(e, "state", state_names[f->r.state]);
		if (f->r.state == RQA_DEAD)
			cJSON_AddStringToObject(e, "after",
			    after_names[f->r.after]);
		if (f->r.port0)
			cJSON_AddNumberToObject(e, "external_port", f->r.port0);
		if (f->r.port1)
			cJSON_AddNumberToObject(e, "external_port_after",
			    f->r.port1);
		cJSON_AddItemToArray(arr, e);
	}
}

/* One keep-alive interval against each protocol's lifetime. */
static void
nat_keepalive_one(cJSON *arr, const struct rqa_nat n[NAT_KINDS],
    double interval_s, const char *source)
{
	cJSON *e = cJSON_CreateObject();
	size_t k;

	cJSON_AddNumberToObject(e, "interval_s", interval_s);
	cJSON_AddStringToObject(e, "source", source);
	for (k = 0; k < NAT_KINDS; k++)
		cJSON_AddStringToObject(e, nat_key[k],
		    routerqa_nat_against(&n[k], interval_s));
	cJSON_AddItemToArray(arr, e);
}

/*
 * keepalives[]: the device's interval first (the one the findings are
 * judged on), then each of --keepalive, each with every protocol's
 * lifetime against it: "longer" survives that keep-alive.
 */
static void
nat_keepalive_facts(struct nat_run *r, const struct rqa_nat n[NAT_KINDS],
    const struct profile_keepalive *ka)
{
	cJSON *arr = cJSON_AddArrayToObject(r->c->f, "keepalives");
	size_t i;

	if (ka != NULL)
		nat_keepalive_one(arr, n, ka->interval_ms / 1000.0, ka->source);
	for (i = 0; i < r->c->o->nkeepalive; i++)
		nat_keepalive_one(arr, n, r->c->o->keepalive_s[i],
		    "--keepalive");
}

/* The lifetime is placed on one side of the keep-alive interval. */
static bool
nat_decided(const struct rqa_nat *n, const struct profile_keepalive *ka)
{
	const char *w;

	if (ka == NULL)
		return false;
	w = routerqa_nat_against(n, ka->interval_ms / 1000.0);
	return strcmp(w, "longer") == 0 || strcmp(w, "shorter") == 0;
}

static void
nat_judge(struct nat_run *r)
{
	const struct profile_keepalive *ka = r->c->profile ?
	    profile_keepalive(r->c->profile, &r->c->fw) : NULL;
	struct rqa_flow fl[NAT_FLOWS_MAX];
	struct rqa_nat n[NAT_KINDS];
	cJSON *o;
	size_t k, i;

	for (k = 0; k < NAT_KINDS; k++) {
		for (i = 0; i < r->n; i++)
			fl[i] = r->flow[k][i].r;
		routerqa_nat_curve(fl, r->n, &n[k]);
		nat_kind_facts(r, (enum nat_kind)k, &n[k], ka);
	}
	o = cJSON_AddObjectToObject(r->c->f, "keepalive");
	if (ka != NULL) {
		cJSON_AddNumberToObject(o, "interval_s", ka->interval_ms / 1e3);
		cJSON_AddNumberToObject(o, "timeout_s", ka->timeout_ms / 1e3);
		cJSON_AddStringToObject(o, "source", ka->source);
	}
	nat_keepalive_facts(r, n, ka);
	routerqa_nat_judge(&n[NAT_TCP], &n[NAT_TLS], &n[NAT_UDP], ka,
	    &r->c->rep->findings);
	/*
	 * No evidence is no pass: a TCP 5683 lifetime that cannot be placed
	 * against the device's keep-alive (nothing measured: no responder;
	 * or found alive only for shorter idles: --max too short, Ctrl-C)
	 * leaves the connected stage it judges unobserved, so the verdict
	 * is inconclusive (exit 4) unless something fails.
	 */
	if (!nat_decided(&n[NAT_TCP], ka))
		report_expect(r->c->rep, STAGE_BIT(STAGE_CONNECTED));
	/* The cloud port itself: blocked outright is diagnose's finding. */
	if (r->setup_error[NAT_TCP][0] != '\0' &&
	    r->setup_error[NAT_TLS][0] == '\0')
		findings_add(&r->c->rep->findings,
		    r->setup_errno[NAT_TCP] == ECONNREFUSED ?
		    FINDING_CLOUD_PORT_REJECTED : FINDING_CLOUD_PORT_BLOCKED,
		    "TCP %u to the responder: %s, while TCP %u works",
		    r->c->o->port, r->setup_error[NAT_TCP], r->c->o->tls_port);
}

int
qatest_nat(struct qatest_ctx *c)
{
	static struct nat_run r;
	cJSON *sched;
	size_t k, i;

	memset(&r, 0, sizeof(r));
	r.c = c;
	for (k = 0; k < NAT_KINDS; k++)
		for (i = 0; i < NAT_FLOWS_MAX; i++)
			r.flow[k][i].fd = -1;
	if (nat_plan(&r, c->profile ? profile_keepalive(c->profile, &c->fw) :
	    NULL) == 0) {
		log_warnx("qa test nat-lifetime: --max %.0f s leaves no idle "
		    "time to probe (at least %.0f s)", c->max_s,
		    3 * c->o->grace_s + 5 + (c->o->step_s > 0 ? c->o->step_s :
		    nat_schedule[0]));
		return EXIT_USAGE;
	}
	sched = cJSON_AddArrayToObject(c->f, "schedule_s");
	for (i = 0; i < r.n; i++)
		cJSON_AddItemToArray(sched, cJSON_CreateNumber(r.idle[i]));
	cJSON_AddNumberToObject(c->f, "grace_s", c->o->grace_s);
	qatest_progress(c, "opening %zu flows", NAT_KINDS * r.n);
	for (k = 0; k < NAT_KINDS; k++)
		for (i = 0; i < r.n && !qatest_stopped(); i++)
			if (nat_setup(&r, (enum nat_kind)k, i) == -1)
				break;	/* the others would fail alike */
	nat_loop(&r);
	for (k = 0; k < NAT_KINDS; k++)
		for (i = 0; i < r.n; i++)
			nat_close(&r.flow[k][i]);
	nat_judge(&r);
	return 0;
}
