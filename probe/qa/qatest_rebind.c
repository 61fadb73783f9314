/*
 * qatest_rebind.c - `qa test rebind`: does the router's resolver drop a
 * public name that answers with a private address (DNS rebinding
 * protection, on by default in OpenWrt)?  It asks the router for that name
 * and for a name that does not exist, and, with --upstream-dns, asks an
 * independent resolver for the same name: the contrast tells a dropped
 * answer from a name that is simply missing (analyzers/routerqa.c).
 */
#include <sys/random.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dns.h"
#include "log.h"
#include "qatest.h"
#include "routerqa.h"

/* The router's resolver: --dns, else resolv.conf's first nameserver. */
static int
rebind_server(struct qatest_ctx *c, struct in_addr *out)
{
	char text[4096];
	size_t n;
	FILE *f;

	if (c->o->has_dns) {
		*out = c->o->dns;
		return 0;
	}
	if ((f = fopen("/etc/resolv.conf", "r")) == NULL)
		return -1;
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	return check_dns_parse_resolv(text, n, out, 1) == 1 ? 0 : -1;
}

static enum rqa_dns
rebind_class(const struct check_dns_query *q)
{
	if (!q->answered)
		return RQA_DNS_TIMEOUT;
	if (q->rcode == DNS_RCODE_NXDOMAIN)
		return RQA_DNS_NXDOMAIN;
	if (q->rcode != DNS_RCODE_NOERROR)
		return RQA_DNS_ERROR;
	if (q->naddr == 0)
		return RQA_DNS_EMPTY;
	return dns_addr_is_nonpublic(4, (const uint8_t *)&q->addr[0]) ?
	    RQA_DNS_PRIVATE : RQA_DNS_PUBLIC;
}

static void
rebind_query_facts(cJSON *parent, const char *key,
    const struct check_dns_query *q, enum rqa_dns cls)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key), *a;
	char ip[INET_ADDRSTRLEN];
	size_t i;

	cJSON_AddStringToObject(o, "name", q->name);
	cJSON_AddStringToObject(o, "result", routerqa_dns_name(cls));
	if (q->answered) {
		cJSON_AddStringToObject(o, "rcode", dns_rcode_name(q->rcode) ?
		    dns_rcode_name(q->rcode) : "?");
		a = cJSON_AddArrayToObject(o, "addresses");
		for (i = 0; i < q->naddr; i++) {
			inet_ntop(AF_INET, &q->addr[i], ip, sizeof(ip));
			cJSON_AddItemToArray(a, cJSON_CreateString(ip));
		}
		inet_ntop(AF_INET, &q->server, ip, sizeof(ip));
		cJSON_AddStringToObject(o, "server", ip);
		cJSON_AddNumberToObject(o, "latency_ms", q->latency_ms);
	}
}

/* A random label under the name's parent domain: surely nonexistent. */
static void
rebind_nonexistent(const char *name, char *out, size_t len)
{
	const char *dot = strchr(name, '.');
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (uint32_t)(qatest_now() * 1e6);
	snprintf(out, len, "cyanprobe-nx-%08x%s%s", r, dot ? "" : ".",
	    dot ? dot : name);
}

int
qatest_rebind(struct qatest_ctx *c)
{
	struct check_dns_query q[3];
	struct in_addr server;
	enum rqa_dns rp, rn, up = RQA_DNS_UNASKED;
	enum rqa_rebind v;
	char nx[300], why[300], ip[INET_ADDRSTRLEN];
	double deadline = qatest_now() + c->max_s;
	/* Unanswered queries go again twice per round-trip allowance
	 * (every second with the default --grace 2s). */
	double retry_s = c->o->grace_s / 2;

	if (c->o->name == NULL) {
		log_warnx("qa test rebind: needs --name NAME: a public name "
		    "that answers with a private address");
		return EXIT_USAGE;
	}
	if (rebind_server(c, &server) == -1) {
		log_warnx("qa test rebind: no resolver: give --dns ADDR");
		return EXIT_USAGE;
	}
	if (c->o->nonexistent != NULL)
		snprintf(nx, sizeof(nx), "%s", c->o->nonexistent);
	else
		rebind_nonexistent(c->o->name, nx, sizeof(nx));
	memset(q, 0, sizeof(q));
	q[0].name = c->o->name;
	q[1].name = nx;
	q[2].name = c->o->name;
	qatest_progress(c, "asking %s", inet_ntop(AF_INET, &server, ip,
	    sizeof(ip)));
	/* A silent router must leave the independent resolver its time. */
	if (check_dns_resolve_stop(&server, 1, 53, c->o->iface, q, 2,
	    c->o->has_upstream ? qatest_now() + c->max_s / 2 : deadline,
	    retry_s, qatest_stopped) == -1) {
		log_warnx("qa test rebind: no UDP socket");
		return EXIT_RUNTIME;
	}
	if (c->o->has_upstream && !qatest_stopped() &&
	    check_dns_resolve_stop(&c->o->upstream, 1, 53, c->o->iface,
	    &q[2], 1, deadline, retry_s, qatest_stopped) >= 0)
		up = rebind_class(&q[2]);
	rp = rebind_class(&q[0]);
	rn = rebind_class(&q[1]);
	cJSON_AddStringToObject(c->f, "resolver", inet_ntop(AF_INET, &server,
	    ip, sizeof(ip)));
	cJSON_AddNumberToObject(c->f, "retry_s", retry_s);
	rebind_query_facts(c->f, "private_name", &q[0], rp);
	rebind_query_facts(c->f, "nonexistent", &q[1], rn);
	if (up != RQA_DNS_UNASKED)
		rebind_query_facts(c->f, "upstream", &q[2], up);
	v = routerqa_rebind_judge(rp, rn, up, &c->rep->findings, why,
	    sizeof(why));
	cJSON_AddStringToObject(c->f, "result", routerqa_rebind_name(v));
	cJSON_AddStringToObject(c->f, "why", why);
	/*
	 * No evidence is no pass: the stage dns.rebind_blocked judges
	 * (cloud) is expected and not seen, so the report's verdict is
	 * inconclusive (exit 4), not "no problem found".
	 */
	if (v == RQA_REBIND_INCONCLUSIVE)
		report_expect(c->rep, STAGE_BIT(STAGE_CLOUD));
	return 0;
}
