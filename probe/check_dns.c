/*
 * check_dns.c - the DNS check, and the small resolver every check uses.
 *
 * Queries go over UDP straight to the DNS servers the device would use
 * (--dns, else the DHCP offer's, else /etc/resolv.conf), never through the
 * host's nsswitch, whose caches, stub resolvers and VPN rules are not what
 * the device sees.  The check resolves the cloud host with rcode, answers
 * and latency, and asks for a random name that cannot exist: an answer
 * instead of NXDOMAIN means the answers are rewritten (dns.hijacked), as
 * captive portals and some ISPs do.  A private address for the cloud's
 * public name is dns.private_answer.  Messages go through analyzers/dns.h.
 */
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check.h"
#include "cursor.h"
#include "diagnose.h"
#include "dns.h"

size_t
check_dns_parse_resolv(const char *text, size_t len, struct in_addr *out,
    size_t max)
{
	struct cursor c = cur_init(text, len);
	char line[256], word[64], addr[64];
	size_t n = 0, ll;
	uint8_t ch;

	while (cur_left(&c) > 0 && n < max) {
		/* One line, cut at 255 bytes; the rest of a long line is lost. */
		ll = 0;
		while (cur_left(&c) > 0 && (ch = cur_u8(&c)) != '\n')
			if (ll + 1 < sizeof(line))
				line[ll++] = ch == '\0' ? ' ' : (char)ch;
		line[ll] = '\0';
		if (sscanf(line, " %63s %63s", word, addr) != 2 ||
		    strcmp(word, "nameserver") != 0)
			continue;
		/* resolv.conf(5): an IPv6 server may carry %scope; skipped. */
		if (inet_pton(AF_INET, addr, &out[n]) == 1)
			n++;
	}
	return n;
}

static bool
name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Match one datagram to a query and record the answer. */
static void
take_reply(const uint8_t *buf, size_t len, struct in_addr from,
    struct check_dns_query *q, size_t nq, double sent)
{
	struct dns_msg m;
	struct check_dns_query *x = NULL;
	size_t i;

	if (dns_parse(buf, len, &m) == -1 || !m.qr)
		return;
	for (i = 0; i < nq; i++)
		if (!q[i].answered && q[i].id == m.id)
			x = &q[i];
	if (x == NULL)
		return;
	if (m.n_questions < 1 || !name_eq(m.question[0].name, x->name)) {
		/* Same id but not our question: a stray or a forgery. */
		x->malformed = m.n_questions < 1 || m.bad_name;
		return;
	}
	x->answered = true;
	x->rcode = m.rcode;
	/* TCP is not retried: a cut answer is said to be cut, never read
	 * as "no address". */
	x->truncated = m.tc;
	x->server = from;
	x->latency_ms = round((diag_now() - sent) * 10000) / 10;
	for (i = 0; i < m.n_answers; i++) {
		if (m.answer[i].type == DNS_TYPE_A &&
		    x->naddr < CHECK_ADDRS_MAX)
			memcpy(&x->addr[x->naddr++], m.answer[i].addr, 4);
		else if (m.answer[i].type == DNS_TYPE_CNAME &&
		    x->cname[0] == '\0')
			snprintf(x->cname, sizeof(x->cname), "%s",
			    m.answer[i].target);
	}
}

int
check_dns_resolve(const struct in_addr *servers, size_t nservers,
    uint16_t port, const char *ifname, struct check_dns_query *q, size_t nq,
    double deadline, double retry_s)
{
	return check_dns_resolve_stop(servers, nservers, port, ifname, q, nq,
	    deadline, retry_s, NULL);
}

int
check_dns_resolve_stop(const struct in_addr *servers, size_t nservers,
    uint16_t port, const char *ifname, struct check_dns_query *q, size_t nq,
    double deadline, double retry_s, bool (*stop)(void))
{
	struct sockaddr_in to, from;
	socklen_t fl;
	uint8_t pkt[512], buf[1500];
	size_t i, s, len, left = nq;
	double now, next = 0, first = diag_now();
	ssize_t n;
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (check_bind_iface(fd, ifname) == -1) {
		close(fd);
		return -1;
	}
	for (i = 0; i < nq; i++) {
		q[i].answered = q[i].malformed = false;
		q[i].naddr = 0;
		q[i].cname[0] = '\0';
		if (getrandom(&q[i].id, sizeof(q[i].id), 0) != 2)
			q[i].id = (uint16_t)(first * 1e6 + (double)i);
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(port);
	while (left > 0 && (now = diag_now()) < deadline &&
	    (stop == NULL || !stop())) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double until;

		if (now >= next) {
			for (i = 0; i < nq; i++) {
				if (q[i].answered)
					continue;
				len = dns_build_query(pkt, sizeof(pkt),
				    q[i].id, q[i].name, DNS_TYPE_A);
				for (s = 0; len > 0 && s < nservers; s++) {
					to.sin_addr = servers[s];
					sendto(fd, pkt, len, 0,
					    (struct sockaddr *)&to, sizeof(to));
				}
			}
			next = now + retry_s;
		}
		until = next < deadline ? next : deadline;
		if (poll(&pfd, 1, (int)((until - now) * 1000) + 1) <= 0)
			continue;
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n <= 0 || from.sin_port != htons(port))
			continue;
		for (s = 0; s < nservers; s++)
			if (servers[s].s_addr == from.sin_addr.s_addr)
				break;
		if (s == nservers)
			continue;	/* not from a server we asked */
		take_reply(buf, (size_t)n, from.sin_addr, q, nq, first);
		for (left = 0, i = 0; i < nq; i++)
			left += !q[i].answered;
	}
	close(fd);
	return (int)(nq - left);
}

int
check_resolve_host(struct diag *d, const char *host, double deadline,
    struct in_addr *addr, char *why, size_t whylen)
{
	struct in_addr servers[DIAG_DNS_MAX];
	struct check_dns_query q;
	const char *source;
	char sb[INET_ADDRSTRLEN];
	uint8_t pkt[512];
	size_t n;

	if (inet_pton(AF_INET, host, addr) == 1)
		return 0;
	if (strchr(host, ':') != NULL || dns_build_query(pkt, sizeof(pkt), 0,
	    host, DNS_TYPE_A) == 0) {
		snprintf(why, whylen, "'%s' is not an IPv4 address or a host "
		    "name", host);
		return -1;
	}
	n = diag_dns_servers(d, servers, DIAG_DNS_MAX, &source, deadline);
	if (n == 0) {
		snprintf(why, whylen, "no DNS server to resolve %s", host);
		return -1;
	}
	memset(&q, 0, sizeof(q));
	q.name = host;
	if (check_dns_resolve(servers, n, d->o->dns_port, d->o->iface, &q, 1,
	    deadline, d->o->timeout / DIAG_TIMEOUT_DEFAULT) < 0) {
		snprintf(why, whylen, "no socket: %s", strerror(errno));
		return -1;
	}
	inet_ntop(AF_INET, &servers[0], sb, sizeof(sb));
	if (!q.answered)
		snprintf(why, whylen, "no DNS answer for %s from %s%s", host,
		    sb, n > 1 ? " and the others" : "");
	else if (q.rcode != DNS_RCODE_NOERROR)
		snprintf(why, whylen, "DNS says %s for %s",
		    dns_rcode_name(q.rcode) ? dns_rcode_name(q.rcode) : "?",
		    host);
	else if (q.naddr == 0 && q.truncated)
		snprintf(why, whylen, "the DNS reply for %s was truncated (TC "
		    "bit) with no address; cyanprobe does not retry over TCP",
		    host);
	else if (q.naddr == 0)
		snprintf(why, whylen, "%s has no IPv4 address in DNS", host);
	else {
		*addr = q.addr[0];
		return 0;
	}
	return -1;
}

static cJSON *
query_json(const struct check_dns_query *q)
{
	cJSON *j = cJSON_CreateObject(), *a;
	char buf[INET_ADDRSTRLEN];
	size_t i;

	cJSON_AddStringToObject(j, "name", q->name);
	cJSON_AddBoolToObject(j, "answered", q->answered);
	if (!q->answered)
		return j;
	cJSON_AddStringToObject(j, "rcode", dns_rcode_name(q->rcode) ?
	    dns_rcode_name(q->rcode) : "?");
	if (q->truncated)
		cJSON_AddBoolToObject(j, "truncated", true);
	a = cJSON_AddArrayToObject(j, "addresses");
	for (i = 0; i < q->naddr; i++) {
		inet_ntop(AF_INET, &q->addr[i], buf, sizeof(buf));
		cJSON_AddItemToArray(a, cJSON_CreateString(buf));
	}
	if (q->cname[0] != '\0')
		cJSON_AddStringToObject(j, "cname", q->cname);
	inet_ntop(AF_INET, &q->server, buf, sizeof(buf));
	cJSON_AddStringToObject(j, "server", buf);
	cJSON_AddNumberToObject(j, "latency_ms", q->latency_ms);
	return j;
}

/*
 * An address no public name should resolve to.  Documentation and
 * benchmarking ranges are left out on purpose: they are not a LAN's.
 */
static bool
is_private(struct in_addr a)
{
	switch (dns_addr_class(4, (const uint8_t *)&a.s_addr)) {
	case DNS_ADDR_PRIVATE:
	case DNS_ADDR_LOOPBACK:
	case DNS_ADDR_LINK_LOCAL:
	case DNS_ADDR_UNSPECIFIED:
		return true;
	default:
		return false;
	}
}

/*
 * DNS does not work at all.  Which stage that fails depends on what the
 * device looks up: Device OS 2.x starts its internet test with a lookup of
 * pool.ntp.org, so it blinks 2 (dns.failed); older firmware tests the
 * internet by address and fails only at the cloud's name, blinking 3
 * (cloud.dns_failed); with the cloud given by address too it needs no DNS.
 */
static void
dns_unusable(struct diag *d, struct check_result *res, const char *what)
{
	struct in_addr lit;

	if (d->o->inet_ntp)
		check_fail(res, FINDING_DNS_FAILED, "%s", what);
	else if (inet_pton(AF_INET, d->o->cloud_host, &lit) != 1)
		check_fail(res, FINDING_CLOUD_DNS_FAILED, "%s, so %s does not "
		    "resolve (this firmware's internet test needs no DNS)",
		    what, d->o->cloud_host);
	else {
		cJSON_AddStringToObject(res->facts, "unused_because",
		    "the cloud and the internet test are addresses");
		res->failed = true;
	}
}

/* One run of the check: whom we ask, what we ask, what came back. */
struct dns_run {
	struct diag		*d;
	struct check_result	*res;
	cJSON			*f;
	struct in_addr		 servers[DIAG_DNS_MAX];
	size_t			 n;
	const char		*source;
	char			 list[128];	/* the servers, for messages */
	double			 deadline;
	struct check_dns_query	 q[2];
	size_t			 nq;
	size_t			 cloud;	/* index in q, nq: not asked */
	size_t			 nx;	/* index of the nonexistent name */
	char			 nxname[64];
};

/* The servers the device would ask, as facts and as one line of text. */
static void
dns_find_servers(struct dns_run *r)
{
	char buf[INET_ADDRSTRLEN];
	cJSON *arr;
	size_t i;

	r->n = diag_dns_servers(r->d, r->servers, DIAG_DNS_MAX, &r->source,
	    r->deadline);
	arr = cJSON_AddArrayToObject(r->f, "servers");
	for (i = 0; i < r->n; i++) {
		inet_ntop(AF_INET, &r->servers[i], buf, sizeof(buf));
		cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
		snprintf(r->list + strlen(r->list),
		    sizeof(r->list) - strlen(r->list), "%s%s", i ? ", " : "",
		    buf);
	}
}

/* Say so when a resolver on this host answers instead of the network's. */
static void
dns_note_local_stub(struct dns_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if ((ntohl(r->servers[i].s_addr) >> 24) == 127) {
			/* systemd-resolved and the like: not the device's path. */
			cJSON_AddStringToObject(r->f, "local_stub",
			    "a resolver on this computer answers, not the "
			    "network's DNS: pass --dns to test the router's");
			break;
		}
}

/* The cloud host (unless an address) and a name that cannot exist. */
static void
dns_plan_queries(struct dns_run *r)
{
	struct in_addr lit;
	uint8_t rnd[6];

	memset(r->q, 0, sizeof(r->q));
	r->nq = 0;
	r->cloud = 2;
	if (inet_pton(AF_INET, r->d->o->cloud_host, &lit) != 1) {
		r->cloud = r->nq;
		r->q[r->nq++].name = r->d->o->cloud_host;
	}
	/* 48 random bits: no zone has this name unless it answers them all. */
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	snprintf(r->nxname, sizeof(r->nxname),
	    "cyanprobe-%02x%02x%02x%02x%02x%02x.com", rnd[0], rnd[1], rnd[2],
	    rnd[3], rnd[4], rnd[5]);
	r->nx = r->nq;
	r->q[r->nq++].name = r->nxname;
}

/*
 * DNS works when some answer is a real one, NOERROR or NXDOMAIN.
 * SERVFAIL and REFUSED for every name mean the server has nowhere to ask:
 * a router whose uplink is down answers that way at once.
 */
static bool
dns_works(const struct dns_run *r)
{
	size_t i;

	for (i = 0; i < r->nq; i++)
		if (r->q[i].answered && (r->q[i].rcode == DNS_RCODE_NOERROR ||
		    r->q[i].rcode == DNS_RCODE_NXDOMAIN))
			return true;
	return false;
}

/* No real answer at all: silence, or errors for every name. */
static void
dns_judge_dead(struct dns_run *r)
{
	char what[FINDING_EVIDENCE_MAX];
	size_t i;

	for (i = 0; i < r->nq && !r->q[i].answered; i++)
		;
	if (i == r->nq)
		snprintf(what, sizeof(what), "no answer from DNS server %s "
		    "(%s) within %.1f s", r->list, r->source,
		    DIAG_DNS_BASE * r->d->o->timeout / DIAG_TIMEOUT_DEFAULT);
	else
		snprintf(what, sizeof(what), "DNS server %s answers %s to "
		    "every name (%s)", r->list, dns_rcode_name(r->q[i].rcode) ?
		    dns_rcode_name(r->q[i].rcode) : "errors", r->source);
	dns_unusable(r->d, r->res, what);
	check_note(r->res, "%s: %s", r->list, i == r->nq ? "no answer" :
	    "errors only");
}

/* The cloud's name: unanswered, an error, no address, or a private one. */
static void
dns_judge_cloud(struct dns_run *r)
{
	const struct check_dns_query *c = &r->q[r->cloud];
	char buf[INET_ADDRSTRLEN];
	size_t i;

	if (!c->answered)
		check_fail(r->res, FINDING_CLOUD_DNS_FAILED,
		    "no answer for %s from %s", c->name, r->list);
	else if (c->rcode != DNS_RCODE_NOERROR || c->naddr == 0)
		check_fail(r->res, FINDING_CLOUD_DNS_FAILED,
		    "%s: %s%s from %s", c->name, dns_rcode_name(c->rcode) ?
		    dns_rcode_name(c->rcode) : "?",
		    c->rcode != 0 ? "" : c->truncated ? " truncated (TC bit) "
		    "with no IPv4 address; not retried over TCP" :
		    " with no IPv4 address",
		    inet_ntop(AF_INET, &c->server, buf, sizeof(buf)));
	else
		for (i = 0; i < c->naddr; i++)
			if (is_private(c->addr[i])) {
				check_fail(r->res, FINDING_DNS_PRIVATE_ANSWER,
				    "%s resolved to the private address %s",
				    c->name, inet_ntop(AF_INET, &c->addr[i],
				    buf, sizeof(buf)));
				break;
			}
}

/* An address for the name that cannot exist: answers are rewritten. */
static void
dns_judge_hijack(struct dns_run *r)
{
	const struct check_dns_query *x = &r->q[r->nx];
	char buf[INET_ADDRSTRLEN], srv[INET_ADDRSTRLEN];

	if (!x->answered || x->rcode != DNS_RCODE_NOERROR || x->naddr == 0)
		return;
	check_fail(r->res, FINDING_DNS_HIJACKED,
	    "the nonexistent name %s resolved to %s (server %s): "
	    "answers are rewritten", r->nxname,
	    inet_ntop(AF_INET, &x->addr[0], buf, sizeof(buf)),
	    inet_ntop(AF_INET, &x->server, srv, sizeof(srv)));
}

/* The progress line: the cloud's first address, else who answered. */
static void
dns_note_result(struct dns_run *r)
{
	const struct check_dns_query *c = &r->q[r->cloud];
	char buf[INET_ADDRSTRLEN];

	if (r->cloud < r->nq && c->answered && c->naddr > 0)
		check_note(r->res, "%s -> %s in %.0f ms%s", c->name,
		    inet_ntop(AF_INET, &c->addr[0], buf, sizeof(buf)),
		    c->latency_ms, r->res->failed ? " (see findings)" : "");
	else
		check_note(r->res, "servers %s answer", r->list);
}

/* Find the servers, ask them, then decide; returns early when it cannot. */
static void
dns_probe(struct dns_run *r)
{
	dns_find_servers(r);
	if (r->n == 0) {
		dns_unusable(r->d, r->res, "no DNS server to ask: none given "
		    "with --dns, none offered by DHCP, none in "
		    "/etc/resolv.conf");
		check_note(r->res, "no DNS server known");
		return;
	}
	cJSON_AddStringToObject(r->f, "servers_source", r->source);
	dns_note_local_stub(r);
	dns_plan_queries(r);
	if (check_dns_resolve(r->servers, r->n, r->d->o->dns_port,
	    r->d->o->iface, r->q, r->nq, r->deadline,
	    r->d->o->timeout / DIAG_TIMEOUT_DEFAULT) < 0) {
		check_note(r->res, "no UDP socket: %s", strerror(errno));
		r->res->skipped = true;
		return;
	}
	if (r->cloud < r->nq)
		cJSON_AddItemToObject(r->f, "cloud",
		    query_json(&r->q[r->cloud]));
	cJSON_AddItemToObject(r->f, "nonexistent", query_json(&r->q[r->nx]));
	if (!dns_works(r)) {
		dns_judge_dead(r);
		return;
	}
	if (r->cloud < r->nq)
		dns_judge_cloud(r);
	dns_judge_hijack(r);
	dns_note_result(r);
}

void
check_dns(struct diag *d, struct check_result *res)
{
	struct dns_run r;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.res = res;
	r.source = "";
	r.deadline = diag_net_deadline(d, DIAG_DNS_BASE);
	res->facts = r.f = cJSON_CreateObject();
	dns_probe(&r);
}
