/*
 * qatest_wan.c - `qa test wan-recovery`: hold a TCP 5683 session through
 * the router to the responder, take the router's WAN down for --outage
 * seconds (or give it a new address) through the lab's hooks, then see
 * what the old session meets when it speaks, as the device's keep-alive
 * would (an answer, a reset, or silence), and how soon after the WAN is
 * back a new session works (measured first, so that it does not include
 * the device's wait).  Judged by analyzers/routerqa.c.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "log.h"
#include "qatest.h"
#include "routerqa.h"

#define WAN_RETRY_S	1.0	/* default --step: between new sessions */

struct wan_sess {
	int		fd;
	char		buf[QALINE_MAX];
	size_t		len;
};

static double
r3(double v)
{
	return round(v * 1000) / 1000;
}

/* ECHO on a session: 1 answered (*port set), 0 silent, -1 reset. */
static int
wan_echo(struct qatest_ctx *c, struct wan_sess *s, const char *tag,
    double wait_s, uint16_t *port)
{
	struct qaline q;
	double by = qatest_now() + wait_s;
	int rc;

	if (qatest_send_line(s->fd, "ECHO %s\n", tag) == -1)
		return -1;
	while ((rc = qatest_read_line(s->fd, true, s->buf, &s->len, by,
	    &q)) == 1)
		if (q.verb == QALINE_ECHO_REPLY && strcmp(q.tag, tag) == 0) {
			*port = q.port;
			return 1;
		}
	(void)c;
	return rc == 0 ? 0 : -1;
}

/* A new session that answers; 1 with *port, 0 if not this time. */
static int
wan_try_new(struct qatest_ctx *c, uint16_t *port)
{
	struct wan_sess s = { -1, "", 0 };
	double ms;
	int err, rc;

	s.fd = check_tcp_connect(c->o->responder, c->o->port, c->o->iface,
	    qatest_now() + c->o->grace_s, &err, &ms);
	if (s.fd == -1)
		return 0;
	rc = wan_echo(c, &s, "new", c->o->grace_s, port);
	close(s.fd);
	return rc == 1;
}

static int
wan_event(struct qatest_ctx *c, double *t_event, double *t_up)
{
	*t_event = qatest_now();
	if (c->o->renumber_cmd != NULL) {
		if (qatest_hook(c, "renumber", c->o->renumber_cmd) != 0)
			return -1;
		*t_up = qatest_now();
		return 0;
	}
	if (qatest_hook(c, "wan_down", c->o->down_cmd) != 0)
		return -1;
	qatest_progress(c, "WAN down for %.0f s", c->o->outage_s);
	/* Even when stopped, the WAN must come back up. */
	(void)qatest_sleep_until(c, *t_event + c->o->outage_s);
	if (qatest_hook(c, "wan_up", c->o->up_cmd) != 0)
		return -1;
	*t_up = qatest_now();
	return 0;
}

static const char *const after_names[] = {
	"unknown", "works", "reset", "silent"
};

int
qatest_wan(struct qatest_ctx *c)
{
	const struct profile_keepalive *ka = c->profile ?
	    profile_keepalive(c->profile, &c->fw) : NULL;
	struct wan_sess old = { -1, "", 0 };
	struct rqa_wan w;
	uint16_t port0 = 0, port1 = 0, portn = 0;
	double t_ev, t_up, t_echo, wait_s, ms, end = c->t0 + c->max_s;
	double retry_s = c->o->step_s > 0 ? c->o->step_s : WAN_RETRY_S;
	int err, rc, attempts = 0;

	if (c->o->renumber_cmd == NULL && (c->o->down_cmd == NULL ||
	    c->o->up_cmd == NULL)) {
		log_warnx("qa test wan-recovery: needs --down-cmd and --up-cmd "
		    "(or --renumber-cmd): the commands that change the "
		    "router's WAN");
		return EXIT_USAGE;
	}
	memset(&w, 0, sizeof(w));
	w.renumbered = c->o->renumber_cmd != NULL;
	w.recover_s = -1;
	cJSON_AddStringToObject(c->f, "event", w.renumbered ? "renumber" :
	    "outage");
	if (!w.renumbered)
		cJSON_AddNumberToObject(c->f, "outage_s", c->o->outage_s);
	cJSON_AddNumberToObject(c->f, "retry_s", retry_s);
	old.fd = check_tcp_connect(c->o->responder, c->o->port, c->o->iface,
	    qatest_now() + 5 * c->o->grace_s, &err, &ms);
	if (old.fd != -1 && wan_echo(c, &old, "old", c->o->grace_s,
	    &port0) == 1)
		w.held = true;
	cJSON_AddBoolToObject(c->f, "session_held", w.held);
	if (!w.held) {
		cJSON_AddStringToObject(c->f, "error", old.fd == -1 ?
		    strerror(err) : "no answer on the session");
		if (old.fd != -1)
			close(old.fd);
		routerqa_wan_judge(&w, ka, &c->rep->findings);
		/* No session to lose is no evidence: inconclusive. */
		report_expect(c->rep, STAGE_BIT(STAGE_CONNECTED));
		return 0;
	}
	cJSON_AddNumberToObject(c->f, "external_port", port0);
	if (wan_event(c, &t_ev, &t_up) == -1) {
		close(old.fd);
		return EXIT_RUNTIME;
	}
	/* First how soon the router carries a new session: its own
	 * figure, apart from how long the device takes to notice. */
	while (!qatest_stopped() && qatest_now() < end) {
		attempts++;
		qatest_progress(c, "new session: attempt %d", attempts);
		if (wan_try_new(c, &portn) == 1) {
			w.recover_s = qatest_now() - t_up;
			break;
		}
		qatest_sleep_until(c, qatest_now() + retry_s);
	}
	/* The old session speaks as the device's ping would, and waits as
	 * long as the device waits for the answer. */
	wait_s = ka ? ka->timeout_ms / 1000.0 : 10;
	qatest_progress(c, "old session: waiting up to %.0f s", wait_s);
	t_echo = qatest_now();
	/* Stopped (Ctrl-C) before or while the old session waited: no
	 * answer is no evidence of silence, so it stays "unknown". */
	rc = qatest_stopped() ? 0 : wan_echo(c, &old, "old", wait_s, &port1);
	w.stopped = qatest_stopped();
	w.old = rc == 1 ? RQA_AFTER_WORKS : rc == -1 ? RQA_AFTER_RESET :
	    w.stopped ? RQA_AFTER_UNKNOWN : RQA_AFTER_SILENT;
	w.old_seen_s = qatest_now() - t_echo;
	close(old.fd);
	cJSON_AddStringToObject(c->f, "old_session", after_names[w.old]);
	cJSON_AddNumberToObject(c->f, "old_session_answer_s", r3(w.old_seen_s));
	if (port1)
		cJSON_AddNumberToObject(c->f, "external_port_after", port1);
	cJSON_AddNumberToObject(c->f, "new_session_attempts", attempts);
	if (w.recover_s >= 0)
		cJSON_AddNumberToObject(c->f, "recover_s", r3(w.recover_s));
	else
		cJSON_AddNullToObject(c->f, "recover_s");
	cJSON_AddNumberToObject(c->f, "event_s", r3(t_ev - c->t0));
	routerqa_wan_judge(&w, ka, &c->rep->findings);
	/* Stopped before the old session had an answer, or before a new
	 * one worked: not all of it was seen, so no pass. */
	if (w.old == RQA_AFTER_UNKNOWN || (w.recover_s < 0 && w.stopped))
		report_expect(c->rep, STAGE_BIT(STAGE_CONNECTED));
	return 0;
}
