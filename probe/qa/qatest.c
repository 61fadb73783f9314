/*
 * qatest.c - `cyanprobe qa test NAME`: option parsing, the table of tests,
 * and what every test shares (qatest.h): the clock, the progress line with
 * the time left, Ctrl-C that ends a test early but keeps its result
 * (facts.qa_test.partial), hooks, and the responder's line protocol.  The
 * report goes out through cli.c like every command's, so --json, --text
 * and --markdown work as everywhere.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "hostport.h"
#include "log.h"
#include "mac.h"
#include "qa_plan.h"
#include "qatest.h"

static const struct qatest_def qatests[] = {
	/* name, summary, default --max (s), needs --responder, run */
	{ "nat-lifetime", "how long the router's NAT keeps idle TCP 5683, "
	  "TCP 443 and UDP flows", 7500, true, qatest_nat },
	{ "dhcp-time", "DHCP over time: lease, renew at T1, rebind at T2, "
	  "INIT-REBOOT after a router restart", 600, false, qatest_dhcp },
	{ "isolation", "what a second client on the LAN can send to the "
	  "device: ARP, ICMP, TCP, UDP, mDNS", 180, false, qatest_isolation },
	{ "rebind", "does the router's DNS drop public names with private "
	  "answers", 10, false, qatest_rebind },
	{ "wan-recovery", "a TCP 5683 session through a WAN outage or "
	  "renumbering: reset or silence, time to recover", 300, true,
	  qatest_wan },
	{ NULL, NULL, 0, false, NULL }
};

static volatile sig_atomic_t qatest_stop;

static void
qatest_signal(int sig)
{
	(void)sig;
	qatest_stop = 1;
}

const struct qatest_def *
qatest_find(const char *name)
{
	const struct qatest_def *t;

	for (t = qatests; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

double
qatest_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

bool
qatest_stopped(void)
{
	return qatest_stop != 0;
}

/* Draw the TTY progress line: "[NAME] MM:SS left  what". */
static void
qatest_draw(struct qatest_ctx *c, const char *what)
{
	double left;

	if (!c->tty)
		return;
	left = c->t0 + c->max_s - qatest_now();
	if (left < 0)
		left = 0;
	fprintf(stderr, "\r\033[K[%s] %02ld:%02ld left  %s", c->name,
	    (long)left / 60, (long)left % 60, what);
	fflush(stderr);
}

/*
 * A step of the test: on a TTY the progress line; with -v also a line of
 * its own (the progress line cleared first), so a log keeps the steps.
 */
void
qatest_progress(struct qatest_ctx *c, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	if (!c->tty && log_verbose() < 1)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* A step redrawn in a loop ("3 flows open") is one line. */
	if (log_verbose() >= 1 && strcmp(what, c->said) != 0) {
		if (c->tty)
			fputs("\r\033[K", stderr);
		log_info("qa test %s: %.1f s: %s", c->name,
		    qatest_now() - c->t0, what);
		snprintf(c->said, sizeof(c->said), "%s", what);
	}
	qatest_draw(c, what);
}

int
qatest_sleep_until(struct qatest_ctx *c, double t)
{
	char what[40];
	double now, step;

	while (!qatest_stop && (now = qatest_now()) < t) {
		step = t - now < 1 ? t - now : 1;
		poll(NULL, 0, (int)ceil(step * 1000));
		snprintf(what, sizeof(what), "waiting %.0f s",
		    t - qatest_now());
		qatest_draw(c, what);
	}
	return qatest_stop ? -1 : 0;
}

int
qatest_hook(struct qatest_ctx *c, const char *what, const char *cmd)
{
	cJSON *hooks, *h;
	double t = qatest_now();
	int st, rc;

	if ((hooks = cJSON_GetObjectItem(c->f, "hooks")) == NULL)
		hooks = cJSON_AddArrayToObject(c->f, "hooks");
	h = cJSON_CreateObject();
	cJSON_AddItemToArray(hooks, h);
	cJSON_AddStringToObject(h, "what", what);
	cJSON_AddStringToObject(h, "command", cmd);
	cJSON_AddNumberToObject(h, "at_s", round((t - c->t0) * 1000) / 1000);
	qatest_progress(c, "%s: %s", what, cmd);
	fflush(NULL);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		rc = -1;
	else
		rc = WEXITSTATUS(st);
	cJSON_AddNumberToObject(h, "exit", rc);
	cJSON_AddNumberToObject(h, "took_s",
	    round((qatest_now() - t) * 1000) / 1000);
	if (rc != 0)
		log_warnx("qa test %s: %s hook failed (exit %d): %s", c->name,
		    what, rc, cmd);
	return rc;
}

int
qatest_send_line(int fd, const char *fmt, ...)
{
	char buf[QALINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf)) {
		errno = EMSGSIZE;
		return -1;
	}
	return send(fd, buf, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

/* A whole line already in buf: decode it and drop it from buf. */
static int
take_line(char *buf, size_t *len, struct qaline *q)
{
	char *nl = memchr(buf, '\n', *len);
	size_t n;
	int rc;

	if (nl == NULL)
		return 0;
	n = (size_t)(nl - buf) + 1;
	rc = qaline_parse((uint8_t *)buf, n, q) == 0 ? 1 : -3;
	memmove(buf, buf + n, *len - n);
	*len -= n;
	return rc;
}

int
qatest_read_line(int fd, bool stream, char *buf, size_t *len,
    double deadline, struct qaline *q)
{
	struct pollfd p = { fd, POLLIN, 0 };
	double left;
	ssize_t n;
	int rc;

	for (;;) {
		if (stream && (rc = take_line(buf, len, q)) != 0) {
			if (rc == 1)
				return 1;
			continue;	/* not our protocol: skip the line */
		}
		left = deadline - qatest_now();
		if (left <= 0 || qatest_stop)
			return 0;
		if (poll(&p, 1, (int)ceil(left * 1000)) <= 0)
			continue;
		if (!stream) {
			n = recv(fd, buf, QALINE_MAX, 0);
			if (n < 0)
				return errno == EINTR ? 0 : -1;
			if (qaline_parse((uint8_t *)buf, (size_t)n, q) == 0)
				return 1;
			continue;
		}
		if (*len >= QALINE_MAX) {
			errno = EPROTO;
			return -1;
		}
		n = recv(fd, buf + *len, QALINE_MAX - *len, 0);
		if (n == 0)
			return -2;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		*len += (size_t)n;
	}
}

int
qatest_udp_socket(const struct qatest_ctx *c, struct in_addr addr,
    uint16_t port)
{
	struct sockaddr_in sin;
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr = addr;
	if (check_bind_iface(fd, c->o->iface) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

const char *
qatest_ip(const uint8_t a[4], char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return buf;
}

/* --- options ------------------------------------------------------------- */

enum {
	OPT_IFACE = 0x2000, OPT_RESPONDER, OPT_TLS_PORT, OPT_MAX, OPT_STEP,
	OPT_GRACE, OPT_DOWN, OPT_UP, OPT_RENUMBER, OPT_OUTAGE, OPT_TARGET,
	OPT_TARGET_TCP, OPT_TARGET_UDP, OPT_INTERVAL, OPT_MDNS, OPT_NAME,
	OPT_NONEXISTENT, OPT_DNS, OPT_UPSTREAM, OPT_MAC, OPT_RESTART,
	OPT_RENEW_AT, OPT_REBIND_AT, OPT_DB, OPT_CELL, OPT_KEEPALIVE
};

static void
qatest_usage(FILE *f)
{
	const struct qatest_def *t;

	fprintf(f,
	    "usage: cyanprobe qa test NAME [--iface IF] [--responder HOST[:PORT]]\n"
	    "           [--max DURATION] [--json[=FILE]] [OPTIONS]\n"
	    "\n"
	    "Measure one router behaviour that plays out over time, judged for\n"
	    "the device (--device, --firmware).  Durations are seconds, or\n"
	    "with a unit: 90s, 15m, 2h, 2h4m.  Ctrl-C ends a test early and\n"
	    "keeps what it measured.\n"
	    "\n"
	    "tests:\n");
	for (t = qatests; t->name != NULL; t++)
		fprintf(f, "  %-13s %s\n", t->name, t->summary);
	fprintf(f,
	    "\n"
	    "common:\n"
	    "  --iface IF          send through this interface\n"
	    "  --responder HOST[:PORT]\n"
	    "                      `cyanprobe qa responder` on the router's WAN\n"
	    "                      side (port 5683: TCP and UDP)\n"
	    "  --max DURATION      stop after this long (default per test:\n"
	    "                      nat-lifetime 2h5m, wan-recovery 5m,\n"
	    "                      isolation 3m, dhcp-time 10m, rebind 10s)\n"
	    "  --grace DURATION    round-trip allowance per probe (default 2s)\n"
	    "  --db DB             also store the result as `qa run` does (a\n"
	    "                      SQLite file or a postgresql:// URL), judged\n"
	    "                      for --device and --firmware\n"
	    "  --cell ID           its cell there: ROUTER[/FIRMWARE[/CONFIG]]\n"
	    "                      (default router/unknown/default)\n"
	    "nat-lifetime:\n"
	    "  --tls-port N        the responder's third flow, TCP (default 443)\n"
	    "  --keepalive LIST    also hold the lifetimes against these\n"
	    "                      keep-alive intervals (15s,25s), beside the\n"
	    "                      device's; the default schedule gets finer\n"
	    "                      around each\n"
	    "  --step DURATION     probe every STEP of idle time instead of the\n"
	    "                      default schedule (5s .. 2h4m, finer near the\n"
	    "                      keep-alive and the RFC limits)\n"
	    "wan-recovery:\n"
	    "  --down-cmd CMD      take the router's WAN down (a lab hook)\n"
	    "  --up-cmd CMD        bring it back after --outage\n"
	    "  --renumber-cmd CMD  or: give the WAN a new address\n"
	    "  --outage DURATION   time between down and up (default 10s)\n"
	    "  --step DURATION     time between new-session attempts after\n"
	    "                      the event (default 1s)\n"
	    "isolation:\n"
	    "  --target ADDR       the device's address (required)\n"
	    "  --target-tcp N      TCP port to try (default 80; a reset counts)\n"
	    "  --target-udp N      UDP port to try (default 5683)\n"
	    "  --mdns NAME         the device answers mDNS for NAME.local\n"
	    "  --interval DURATION time between rounds (default 30s)\n"
	    "rebind:\n"
	    "  --name NAME         a public name that answers with a private\n"
	    "                      address (required)\n"
	    "  --dns ADDR          the router's resolver (default: the first\n"
	    "                      nameserver of /etc/resolv.conf)\n"
	    "  --upstream-dns ADDR a resolver that does not filter, to compare\n"
	    "  --nonexistent NAME  a name that does not exist (default: a\n"
	    "                      random label under --name's domain)\n"
	    "dhcp-time:\n"
	    "  --mac MAC           client MAC (default random); the lease is\n"
	    "                      released at the end\n"
	    "  --restart-cmd CMD   restart (power-cycle) the router, then ask\n"
	    "                      for the address from another MAC and do\n"
	    "                      an INIT-REBOOT\n"
	    "  --renew-at DURATION renew then instead of at the lease's T1\n"
	    "  --rebind-at DURATION rebind then instead of at T2\n"
	    "\n");
	cli_usage_common(f);
}

static int
parse_addr(const char *opt, const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) == 1)
		return 0;
	log_warnx("qa test: %s: '%s' is not an IPv4 address", opt, s);
	return -1;
}

static int
parse_port(const char *opt, const char *s, uint16_t *port)
{
	long v;

	if (cli_parse_long(s, 1, 65535, &v) == 0) {
		*port = (uint16_t)v;
		return 0;
	}
	log_warnx("qa test: %s: '%s' is not a port", opt, s);
	return -1;
}

static int
parse_dur(const char *opt, const char *s, double *out)
{
	/* Above 0 and at most a week, in the tree's one duration syntax. */
	if (cli_parse_duration(s, 0.001, 7 * 86400, out) == 0)
		return 0;
	log_warnx("qa test: %s: '%s' is not a duration (90, 90s, 15m, 2h4m)",
	    opt, s);
	return -1;
}

/* --keepalive 15s,25s: durations, comma-separated, at most a few. */
static int
parse_keepalives(const char *s, struct qatest_opts *o)
{
	char buf[200], *part, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	o->nkeepalive = 0;
	for (part = strtok_r(buf, ",", &save); part != NULL;
	    part = strtok_r(NULL, ",", &save)) {
		if (o->nkeepalive == QATEST_KEEPALIVES_MAX ||
		    cli_parse_duration(part, 1, 3600,
		    &o->keepalive_s[o->nkeepalive]) == -1) {
			log_warnx("qa test: --keepalive: '%s' is not a list of "
			    "up to %d durations of 1s to 1h (15s,25s)", s,
			    QATEST_KEEPALIVES_MAX);
			return -1;
		}
		o->nkeepalive++;
	}
	if (o->nkeepalive > 0)
		return 0;
	log_warnx("qa test: --keepalive: '%s' names no interval", s);
	return -1;
}

/* --cell ROUTER[/FIRMWARE[/CONFIG]]: ids (letters, digits, . _ -). */
static int
parse_cell(const char *s, struct qatest_opts *o)
{
	size_t part = 0, len = 0;
	const char *p;

	for (p = s; ; p++) {
		if (*p == '/' || *p == '\0') {
			if (len == 0 || len >= QA_ID_MAX || ++part > 3)
				break;
			if (*p == '\0') {
				o->cell = s;
				return 0;
			}
			len = 0;
		} else if (isalnum((unsigned char)*p) || *p == '.' ||
		    *p == '_' || *p == '-')
			len++;
		else
			break;
	}
	log_warnx("qa test: --cell: '%s' is not ROUTER[/FIRMWARE[/CONFIG]] "
	    "(letters, digits, '.', '_', '-')", s);
	return -1;
}

static int
parse_responder(const char *s, struct qatest_opts *o)
{
	char host[256];
	enum hostport_error e;

	o->port = 5683;
	if ((e = hostport_split(s, 0, host, sizeof(host), &o->port)) !=
	    HOSTPORT_OK) {
		log_warnx("qa test: --responder: '%s': %s", s,
		    hostport_strerror(e));
		return -1;
	}
	if (inet_pton(AF_INET, host, &o->responder) != 1) {
		log_warnx("qa test: --responder: '%s' is not an IPv4 address",
		    host);
		return -1;
	}
	o->has_responder = true;
	return 0;
}

/* One option of `qa test`; 0, or -1 after saying what is wrong. */
static int
qatest_option(struct qatest_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case OPT_IFACE: o->iface = arg; return 0;
	case OPT_RESPONDER: return parse_responder(arg, o);
	case OPT_TLS_PORT: return parse_port("--tls-port", arg, &o->tls_port);
	case OPT_MAX: return parse_dur("--max", arg, &o->max_s);
	case OPT_STEP: return parse_dur("--step", arg, &o->step_s);
	case OPT_GRACE: return parse_dur("--grace", arg, &o->grace_s);
	case OPT_DOWN: o->down_cmd = arg; return 0;
	case OPT_UP: o->up_cmd = arg; return 0;
	case OPT_RENUMBER: o->renumber_cmd = arg; return 0;
	case OPT_OUTAGE: return parse_dur("--outage", arg, &o->outage_s);
	case OPT_TARGET:
		o->has_target = true;
		return parse_addr("--target", arg, &o->target);
	case OPT_TARGET_TCP:
		return parse_port("--target-tcp", arg, &o->target_tcp);
	case OPT_TARGET_UDP:
		return parse_port("--target-udp", arg, &o->target_udp);
	case OPT_INTERVAL: return parse_dur("--interval", arg, &o->interval_s);
	case OPT_MDNS: o->mdns_name = arg; return 0;
	case OPT_NAME: o->name = arg; return 0;
	case OPT_NONEXISTENT: o->nonexistent = arg; return 0;
	case OPT_DNS:
		o->has_dns = true;
		return parse_addr("--dns", arg, &o->dns);
	case OPT_UPSTREAM:
		o->has_upstream = true;
		return parse_addr("--upstream-dns", arg, &o->upstream);
	case OPT_MAC:
		o->has_mac = true;
		if (mac_parse(arg, o->mac) && (o->mac[0] & 1) == 0)
			return 0;
		log_warnx("qa test: --mac: '%s' is not a unicast MAC address",
		    arg);
		return -1;
	case OPT_RESTART: o->restart_cmd = arg; return 0;
	case OPT_DB: o->db = arg; return 0;
	case OPT_KEEPALIVE: return parse_keepalives(arg, o);
	case OPT_CELL: return parse_cell(arg, o);
	case OPT_RENEW_AT: return parse_dur("--renew-at", arg, &o->renew_at_s);
	case OPT_REBIND_AT:
		return parse_dur("--rebind-at", arg, &o->rebind_at_s);
	}
	return -1;
}

static int
qatest_parse(struct cli *cli, struct qatest_opts *o, int argc, char **argv,
    const struct qatest_def **def)
{
	static const struct option opts[] = {
		CLI_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "iface", required_argument, NULL, OPT_IFACE },
		{ "responder", required_argument, NULL, OPT_RESPONDER },
		{ "tls-port", required_argument, NULL, OPT_TLS_PORT },
		{ "max", required_argument, NULL, OPT_MAX },
		{ "step", required_argument, NULL, OPT_STEP },
		{ "grace", required_argument, NULL, OPT_GRACE },
		{ "down-cmd", required_argument, NULL, OPT_DOWN },
		{ "up-cmd", required_argument, NULL, OPT_UP },
		{ "renumber-cmd", required_argument, NULL, OPT_RENUMBER },
		{ "outage", required_argument, NULL, OPT_OUTAGE },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "target-tcp", required_argument, NULL, OPT_TARGET_TCP },
		{ "target-udp", required_argument, NULL, OPT_TARGET_UDP },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "mdns", required_argument, NULL, OPT_MDNS },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "nonexistent", required_argument, NULL, OPT_NONEXISTENT },
		{ "dns", required_argument, NULL, OPT_DNS },
		{ "upstream-dns", required_argument, NULL, OPT_UPSTREAM },
		{ "mac", required_argument, NULL, OPT_MAC },
		{ "restart-cmd", required_argument, NULL, OPT_RESTART },
		{ "renew-at", required_argument, NULL, OPT_RENEW_AT },
		{ "rebind-at", required_argument, NULL, OPT_REBIND_AT },
		{ "db", required_argument, NULL, OPT_DB },
		{ "cell", required_argument, NULL, OPT_CELL },
		{ "keepalive", required_argument, NULL, OPT_KEEPALIVE },
		{ NULL, 0, NULL, 0 }
	};
	const struct option *lo;
	int ch;

	/* NAME first, options after (or before): permute as getopt does. */
	optind = 1;
	while ((ch = cli_getopt(cli, argc, argv, CLI_SHORT_OPTIONS "h",
	    opts)) != -1) {
		if (ch == CLI_BAD)
			return EXIT_USAGE;
		if (ch == 'h' || ch == '?' || ch == ':')
			return cli_help(ch, qatest_usage);
		if (qatest_option(o, ch, optarg) == -1)
			return EXIT_USAGE;
		/* As given, for the plan --db stores (qatest_store.c). */
		for (lo = opts; lo->name != NULL && lo->val != ch; lo++)
			;
		if (lo->name != NULL && o->ngiven < QATEST_GIVEN_MAX) {
			o->given[o->ngiven].flag = lo->name;
			o->given[o->ngiven++].value = optarg;
		}
	}
	if (argc - optind != 1) {
		log_warnx("qa test: name one test (try cyanprobe qa test "
		    "--help)");
		return EXIT_USAGE;
	}
	if ((*def = qatest_find(argv[optind])) == NULL) {
		log_warnx("qa test: unknown test '%s' (try cyanprobe qa test "
		    "--help)", argv[optind]);
		return EXIT_USAGE;
	}
	if ((*def)->needs_responder && !o->has_responder) {
		log_warnx("qa test %s: needs --responder HOST[:PORT] (a "
		    "`cyanprobe qa responder` on the router's WAN side)",
		    (*def)->name);
		return EXIT_USAGE;
	}
	return -1;
}

static void
qatest_defaults(struct qatest_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 5683;
	o->tls_port = 443;
	o->grace_s = 2;
	o->outage_s = 10;
	o->target_tcp = 80;
	o->target_udp = 5683;
	o->interval_s = 30;
}

/* --db: a private folder for the report it stores; buf: its report.json. */
static int
qatest_keep_dir(char *buf, size_t len)
{
	const char *base = getenv("TMPDIR");

	snprintf(buf, len, "%s/cyanqatest.XXXXXX", base != NULL &&
	    *base != '\0' ? base : "/tmp");
	if (mkdtemp(buf) == NULL) {
		log_warn("qa test: --db: %s", buf);
		return -1;
	}
	strncat(buf, "/report.json", len - strlen(buf) - 1);
	return 0;
}

/* facts.qa_test: which test, its limits, and whether it ran to the end. */
static void
qatest_summary_facts(struct qatest_ctx *c, int rc)
{
	cJSON *s = report_facts(c->rep, "qa_test");
	char ip[INET_ADDRSTRLEN];

	cJSON_AddStringToObject(s, "name", c->name);
	cJSON_AddNumberToObject(s, "max_s", c->max_s);
	cJSON_AddNumberToObject(s, "elapsed_s",
	    round((qatest_now() - c->t0) * 10) / 10);
	cJSON_AddBoolToObject(s, "partial", qatest_stop != 0);
	cJSON_AddBoolToObject(s, "completed", rc == 0 && !qatest_stop);
	if (c->o->has_responder) {
		inet_ntop(AF_INET, &c->o->responder, ip, sizeof(ip));
		cJSON_AddStringToObject(s, "responder", ip);
		cJSON_AddNumberToObject(s, "responder_port", c->o->port);
	}
	if (c->o->iface != NULL)
		cJSON_AddStringToObject(s, "iface", c->o->iface);
}

int
qatest_cmd(int argc, char **argv)
{
	const struct qatest_def *def = NULL;
	struct qatest_opts o;
	struct qatest_ctx c;
	struct sigaction sa;
	struct report rep;
	struct cli cli;
	char key[32], keep[300];
	size_t i;
	int rc;

	qatest_defaults(&o);
	cli_init(&cli);
	if ((rc = qatest_parse(&cli, &o, argc, argv, &def)) != -1)
		return rc;
	if ((rc = cli_load(&cli)) != 0) {
		cli_free(&cli);
		return rc;
	}
	cli_report_init(&cli, &rep, "live");
	memset(&c, 0, sizeof(c));
	c.o = &o;
	c.name = def->name;
	c.rep = &rep;
	c.profile = cli.profile;
	c.fw = cli.fw;
	c.max_s = o.max_s > 0 ? o.max_s : def->default_max_s;
	c.tty = isatty(STDERR_FILENO) && getenv("NO_PROGRESS") == NULL;
	/* facts key: the test name with '_' for '-' ("nat_lifetime"). */
	for (i = 0; def->name[i] != '\0' && i + 1 < sizeof(key); i++)
		key[i] = def->name[i] == '-' ? '_' : def->name[i];
	key[i] = '\0';
	c.f = report_facts(&rep, key);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = qatest_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	c.t0 = qatest_now();
	rc = def->run(&c);
	if (c.tty)
		fprintf(stderr, "\r\033[K");
	if (rc != 0) {
		report_free(&rep);
		cli_free(&cli);
		return rc;
	}
	qatest_summary_facts(&c, rc);
	if (o.db != NULL && qatest_keep_dir(keep, sizeof(keep)) == 0)
		cli.keep_json = keep;
	rc = cli_finish(&cli, &rep, true);
	if (o.db != NULL)
		rc = cli.keep_json == NULL || rc == EXIT_RUNTIME ?
		    EXIT_RUNTIME : qatest_store(&o, def->name, &cli, keep, rc);
	if (cli.keep_json != NULL) {
		unlink(keep);
		*strrchr(keep, '/') = '\0';
		rmdir(keep);
	}
	cli_free(&cli);
	return rc;
}
