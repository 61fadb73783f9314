/*
 * test_routerqa.c - the judging of the router tests (analyzers/routerqa.c),
 * the responder's line protocol (analyzers/qaline.c) and the keep-alive
 * of the real device profiles (rules/devices, keepalives).
 */
#include <stdio.h>
#include <string.h>

#include "dhcp.h"
#include "qaline.h"
#include "routerqa.h"
#include "rules.h"
#include "rules_load.h"
#include "test.h"

static struct rules rules;

static int
line(const char *s, struct qaline *q)
{
	return qaline_parse((const uint8_t *)s, strlen(s), q);
}

static void
test_qaline(void)
{
	struct qaline q;

	expect_int("HOLD parses", 0, line("HOLD 15000 tcp5683-3\n", &q));
	expect_int("HOLD verb", QALINE_HOLD, q.verb);
	expect_int("HOLD ms", 15000, (int)q.hold_ms);
	expect_str("HOLD tag", "tcp5683-3", q.tag);
	expect_int("OK parses", 0, line("OK t1 198.18.0.1 40123\n", &q));
	expect_int("OK verb", QALINE_OK, q.verb);
	expect_int("OK port", 40123, q.port);
	expect_int("OK address", 198, q.addr[0]);
	expect_int("OK address last", 1, q.addr[3]);
	expect_int("ECHO request", 0, line("ECHO x", &q));
	expect_int("ECHO request verb", QALINE_ECHO, q.verb);
	expect_int("ECHO reply", 0, line("ECHO x 10.0.0.2 9\n", &q));
	expect_int("ECHO reply verb", QALINE_ECHO_REPLY, q.verb);
	expect_int("PROBE", 0, line("PROBE udp-0\n", &q));
	expect_int("PROBE verb", QALINE_PROBE, q.verb);
	expect_int("unknown verb", -1, line("PING x\n", &q));
	expect_int("no tag", -1, line("PROBE\n", &q));
	expect_int("two spaces", -1, line("PROBE  x\n", &q));
	expect_int("bad tag char", -1, line("PROBE a/b\n", &q));
	expect_int("hold too long", -1, line("HOLD 86400001 x\n", &q));
	expect_int("hold overflow", -1, line("HOLD 99999999999 x\n", &q));
	expect_int("hold not a number", -1, line("HOLD 1e3 x\n", &q));
	expect_int("OK port 65536", -1, line("OK x 1.2.3.4 65536\n", &q));
	expect_int("OK octet 256", -1, line("OK x 1.2.3.256 1\n", &q));
	expect_int("OK three octets", -1, line("OK x 1.2.3 1\n", &q));
	expect_int("OK no port", -1, line("OK x 1.2.3.4\n", &q));
	expect_int("trailing word", -1, line("PROBE x y\n", &q));
	expect_int("trailing space", -1, line("PROBE x \n", &q));
	expect_int("empty", -1, line("\n", &q));
	expect_int("tag too long", -1,
	    line("PROBE abcdefghijklmnopqrstuvwxyz\n", &q));
}

static void
flow(struct rqa_flow *f, double idle, enum rqa_state st, enum rqa_after a,
    uint16_t p0, uint16_t p1)
{
	memset(f, 0, sizeof(*f));
	f->idle_s = idle;
	f->state = st;
	f->after = a;
	f->port0 = p0;
	f->port1 = p1;
}

static void
test_nat(void)
{
	struct rqa_flow f[6];
	struct rqa_nat tcp, tls, udp, none;
	struct profile_keepalive ka = { .interval_ms = 15000,
	    .timeout_ms = 10000, .source = "test" };
	struct findings fs;
	char w[48];

	flow(&f[0], 5, RQA_ALIVE, 0, 1, 0);
	flow(&f[1], 10, RQA_ALIVE, 0, 1, 0);
	flow(&f[2], 14, RQA_DEAD, RQA_AFTER_SILENT, 1, 0);
	flow(&f[3], 16, RQA_DEAD, RQA_AFTER_SILENT, 1, 0);
	flow(&f[4], 20, RQA_UNTESTED, 0, 0, 0);
	routerqa_nat_curve(f, 5, &tcp);
	expect_int("probed", 4, (int)tcp.nprobed);
	test_cond("alive 10", tcp.alive_s == 10);
	test_cond("dead 14", tcp.dead_s == 14);
	test_cond("monotonic", tcp.monotonic);
	expect_int("silent death", RQA_AFTER_SILENT, tcp.death);
	routerqa_nat_words(&tcp, w, sizeof(w));
	expect_str("words", "10-14 s", w);

	/* UDP: dies by 8 s, new port after. */
	flow(&f[0], 4, RQA_ALIVE, 0, 100, 0);
	flow(&f[1], 8, RQA_DEAD, RQA_AFTER_WORKS, 101, 202);
	routerqa_nat_curve(f, 2, &udp);
	test_cond("udp port changed", udp.port_changed);
	/* TCP 443 alive throughout. */
	flow(&f[0], 30, RQA_ALIVE, 0, 0, 0);
	routerqa_nat_curve(f, 1, &tls);
	routerqa_nat_words(&tls, w, sizeof(w));
	expect_str("open-ended", "> 30 s", w);

	findings_init(&fs);
	routerqa_nat_judge(&tcp, &tls, &udp, &ka, &fs);
	test_cond("tcp shorter than keep-alive", findings_has(&fs,
	    FINDING_NAT_TCP_SHORT));
	test_cond("udp short", findings_has(&fs, FINDING_NAT_UDP_SHORT));
	test_cond("port changed", findings_has(&fs, FINDING_NAT_PORT_CHANGED));
	test_cond("not also below RFC", !findings_has(&fs,
	    FINDING_NAT_TCP_BELOW_RFC));

	/* Straddling the keep-alive: alive 10, dead 20: no verdict. */
	flow(&f[0], 10, RQA_ALIVE, 0, 0, 0);
	flow(&f[1], 20, RQA_DEAD, RQA_AFTER_SILENT, 0, 0);
	routerqa_nat_curve(f, 2, &tcp);
	memset(&none, 0, sizeof(none));
	findings_init(&fs);
	routerqa_nat_judge(&tcp, &none, &none, &ka, &fs);
	expect_int("straddle: no finding", 0, (int)fs.n);

	/* Outlives the keep-alive but dies before RFC 5382's 2 h 4 min. */
	flow(&f[0], 600, RQA_ALIVE, 0, 0, 0);
	flow(&f[1], 900, RQA_DEAD, RQA_AFTER_RESET, 0, 0);
	routerqa_nat_curve(f, 2, &tcp);
	findings_init(&fs);
	routerqa_nat_judge(&tcp, &none, &none, &ka, &fs);
	test_cond("below RFC", findings_has(&fs, FINDING_NAT_TCP_BELOW_RFC));
	test_cond("not short", !findings_has(&fs, FINDING_NAT_TCP_SHORT));

	/* Nothing measured: nothing found, no keep-alive: no short. */
	findings_init(&fs);
	routerqa_nat_judge(&none, &none, &none, NULL, &fs);
	expect_int("no data, no finding", 0, (int)fs.n);
	flow(&f[0], 5, RQA_DEAD, RQA_AFTER_SILENT, 0, 0);
	routerqa_nat_curve(f, 1, &tcp);
	findings_init(&fs);
	routerqa_nat_judge(&tcp, &none, &none, NULL, &fs);
	test_cond("no keep-alive known: RFC only", findings_has(&fs,
	    FINDING_NAT_TCP_BELOW_RFC) && !findings_has(&fs,
	    FINDING_NAT_TCP_SHORT));

	/* Alive after dead: the curve says so. */
	flow(&f[0], 5, RQA_DEAD, RQA_AFTER_SILENT, 0, 0);
	flow(&f[1], 10, RQA_ALIVE, 0, 0, 0);
	routerqa_nat_curve(f, 2, &tcp);
	test_cond("not monotonic", !tcp.monotonic);
}

static void
test_wan(void)
{
	struct rqa_wan w;
	struct findings fs;

	memset(&w, 0, sizeof(w));
	w.held = true;
	w.old = RQA_AFTER_SILENT;
	w.recover_s = 1;
	findings_init(&fs);
	routerqa_wan_judge(&w, NULL, &fs);
	test_cond("silent", findings_has(&fs, FINDING_WAN_SESSION_SILENT));
	test_cond("recovered", !findings_has(&fs, FINDING_WAN_NO_RECOVERY));
	w.old = RQA_AFTER_RESET;
	w.recover_s = -1;
	findings_init(&fs);
	routerqa_wan_judge(&w, NULL, &fs);
	test_cond("reset is not silent", !findings_has(&fs,
	    FINDING_WAN_SESSION_SILENT));
	test_cond("no recovery", findings_has(&fs, FINDING_WAN_NO_RECOVERY));
	w.stopped = true;
	findings_init(&fs);
	routerqa_wan_judge(&w, NULL, &fs);
	test_cond("stopped: no verdict on recovery", !findings_has(&fs,
	    FINDING_WAN_NO_RECOVERY));
	w.held = false;
	w.stopped = false;
	findings_init(&fs);
	routerqa_wan_judge(&w, NULL, &fs);
	expect_int("no session, nothing judged", 0, (int)fs.n);
}

static void
test_rebind(void)
{
	struct findings fs;
	char why[200];

	findings_init(&fs);
	expect_int("passed", RQA_REBIND_PASSED, routerqa_rebind_judge(
	    RQA_DNS_PRIVATE, RQA_DNS_NXDOMAIN, RQA_DNS_UNASKED, &fs, why,
	    sizeof(why)));
	expect_int("passed: no finding", 0, (int)fs.n);
	expect_int("blocked: empty vs nxdomain", RQA_REBIND_BLOCKED,
	    routerqa_rebind_judge(RQA_DNS_EMPTY, RQA_DNS_NXDOMAIN,
	    RQA_DNS_UNASKED, &fs, why, sizeof(why)));
	test_cond("finding", findings_has(&fs, FINDING_DNS_REBIND_BLOCKED));
	findings_init(&fs);
	expect_int("nxdomain like a missing name: inconclusive",
	    RQA_REBIND_INCONCLUSIVE, routerqa_rebind_judge(RQA_DNS_NXDOMAIN,
	    RQA_DNS_NXDOMAIN, RQA_DNS_UNASKED, &fs, why, sizeof(why)));
	expect_int("inconclusive: no finding", 0, (int)fs.n);
	expect_int("upstream tells them apart", RQA_REBIND_BLOCKED,
	    routerqa_rebind_judge(RQA_DNS_NXDOMAIN, RQA_DNS_NXDOMAIN,
	    RQA_DNS_PRIVATE, &fs, why, sizeof(why)));
	findings_init(&fs);
	expect_int("a name missing everywhere", RQA_REBIND_NO_NAME,
	    routerqa_rebind_judge(RQA_DNS_NXDOMAIN, RQA_DNS_NXDOMAIN,
	    RQA_DNS_NXDOMAIN, &fs, why, sizeof(why)));
	expect_int("no name: no finding", 0, (int)fs.n);
	expect_int("router timeout", RQA_REBIND_INCONCLUSIVE,
	    routerqa_rebind_judge(RQA_DNS_TIMEOUT, RQA_DNS_TIMEOUT,
	    RQA_DNS_UNASKED, &fs, why, sizeof(why)));
	/* Timeouts are no evidence, whatever the other resolver said. */
	expect_int("router timeout, upstream no private answer",
	    RQA_REBIND_INCONCLUSIVE, routerqa_rebind_judge(RQA_DNS_TIMEOUT,
	    RQA_DNS_NXDOMAIN, RQA_DNS_NXDOMAIN, &fs, why, sizeof(why)));
	expect_int("router and upstream timeout", RQA_REBIND_INCONCLUSIVE,
	    routerqa_rebind_judge(RQA_DNS_TIMEOUT, RQA_DNS_TIMEOUT,
	    RQA_DNS_TIMEOUT, &fs, why, sizeof(why)));
	expect_int("upstream timeout: no 'no such name'",
	    RQA_REBIND_INCONCLUSIVE, routerqa_rebind_judge(RQA_DNS_NXDOMAIN,
	    RQA_DNS_NXDOMAIN, RQA_DNS_TIMEOUT, &fs, why, sizeof(why)));
	expect_int("timeouts: no finding", 0, (int)fs.n);
}

static void
test_iso(void)
{
	struct rqa_iso s;
	struct findings fs;
	int ch;

	memset(&s, 0, sizeof(s));
	s.rounds = 2;
	for (ch = 0; ch < RQA_CHANNELS; ch++)
		s.tried[ch] = 2;
	findings_init(&fs);
	routerqa_iso_judge(&s, &fs);
	test_cond("isolated", findings_has(&fs, FINDING_LAN_ISOLATED));
	for (ch = 0; ch <= RQA_UDP; ch++)
		s.reached[ch] = 2;
	findings_init(&fs);
	routerqa_iso_judge(&s, &fs);
	test_cond("mdns blocked", findings_has(&fs, FINDING_LAN_MDNS_BLOCKED));
	test_cond("not isolated", !findings_has(&fs, FINDING_LAN_ISOLATED));
	s.reached[RQA_MDNS6] = 1;
	findings_init(&fs);
	routerqa_iso_judge(&s, &fs);
	expect_int("all reached", 0, (int)fs.n);
	/* ARP answers, IP does not: isolated above layer 2. */
	memset(s.reached, 0, sizeof(s.reached));
	s.reached[RQA_ARP] = 2;
	findings_init(&fs);
	routerqa_iso_judge(&s, &fs);
	test_cond("ARP only", findings_has(&fs, FINDING_LAN_ISOLATED));
	memset(&s, 0, sizeof(s));
	findings_init(&fs);
	routerqa_iso_judge(&s, &fs);
	expect_int("nothing tried, nothing judged", 0, (int)fs.n);
}

static void
test_dhcp(void)
{
	struct rqa_dhcp d;
	struct findings fs;
	struct dhcp_client_msg m;
	struct dhcp_msg p;
	uint8_t buf[600];
	size_t n;

	memset(&d, 0, sizeof(d));
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("no lease, nothing judged", 0, (int)fs.n);
	d.bound = true;
	d.lease_s = 120;
	d.t1_s = 60;
	d.renew = RQA_DHCP_SILENCE;
	d.rebind = RQA_DHCP_NAK;
	d.restarted = true;
	d.handed_to_other = true;
	routerqa_dhcp_judge(&d, &fs);
	test_cond("short lease", findings_has(&fs, FINDING_DHCP_SHORT_LEASE));
	test_cond("renew failed", findings_has(&fs, FINDING_DHCP_RENEW_FAILED));
	test_cond("forgets", findings_has(&fs, FINDING_DHCP_FORGETS_LEASES));
	d.lease_s = 43200;
	d.rebind = RQA_DHCP_ACK;
	d.handed_to_other = false;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	test_cond("12 h, T1 unanswered, T2 ACKed: unicast renew ignored only",
	    fs.n == 1 && findings_has(&fs, FINDING_DHCP_UNICAST_RENEW_IGNORED)
	    && strstr(fs.item[0].evidence, "at T1 (60 s)") != NULL);
	d.renew = RQA_DHCP_NAK;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("T1 NAKed (an answer), T2 ACKed: nothing", 0, (int)fs.n);
	d.renew = RQA_DHCP_SILENCE;
	d.rebind = RQA_DHCP_SILENCE;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	test_cond("both unanswered: renew failed, not the unicast one",
	    findings_has(&fs, FINDING_DHCP_RENEW_FAILED) &&
	    !findings_has(&fs, FINDING_DHCP_UNICAST_RENEW_IGNORED));
	/* The OFFER delay: over DHCP_SLOW_OFFER_S is info, as in diagnose. */
	d.renew = d.rebind = RQA_DHCP_ACK;
	d.offer_delay_s = 3.02;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	test_cond("OFFER after 3 s: slow_offer", fs.n == 1 &&
	    findings_has(&fs, FINDING_DHCP_SLOW_OFFER) &&
	    strstr(fs.item[0].evidence, "3.0 s") != NULL);
	d.offer_delay_s = DHCP_SLOW_OFFER_S;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("OFFER at the threshold: nothing", 0, (int)fs.n);
	d.offer_delay_s = 0;
	d.rebind = RQA_DHCP_UNTRIED;
	d.renew = RQA_DHCP_NAK;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("rebinding not reached: no verdict", 0, (int)fs.n);
	/* After the restart: the INIT-REBOOT's answer. */
	d.renew = RQA_DHCP_ACK;
	d.init_reboot = RQA_DHCP_ACK;
	d.other_answered = true;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("INIT-REBOOT ACKed: kept", 0, (int)fs.n);
	d.init_reboot = RQA_DHCP_NAK;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	test_cond("INIT-REBOOT NAKed: forgot", findings_has(&fs,
	    FINDING_DHCP_FORGETS_LEASES) && strstr(fs.item[0].evidence,
	    "NAKed") != NULL);
	d.init_reboot = RQA_DHCP_SILENCE;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	test_cond("INIT-REBOOT ignored while others answered: forgot",
	    findings_has(&fs, FINDING_DHCP_FORGETS_LEASES));
	d.other_answered = false;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("silent to all after the restart: not judged", 0,
	    (int)fs.n);
	d.restarted = false;
	d.init_reboot = RQA_DHCP_NAK;
	d.handed_to_other = true;
	findings_init(&fs);
	routerqa_dhcp_judge(&d, &fs);
	expect_int("no restart: nothing about restarts", 0, (int)fs.n);

	/* A RENEWING request: ciaddr set, no 50/54, parsed back. */
	memset(&m, 0, sizeof(m));
	m.type = DHCPREQUEST;
	memcpy(m.mac, "\x02\x11\x22\x33\x44\x55", 6);
	m.xid = 0x01020304;
	memcpy(m.ciaddr, "\xc0\xa8\x4d\x64", 4);
	n = dhcp_build_client(buf, sizeof(buf), &m);
	test_cond("built", n >= 300);
	expect_int("parses", 0, dhcp_parse(buf, n, &p));
	expect_int("type", DHCPREQUEST, p.type);
	expect_int("xid", 0x01020304, (int)p.xid);
	expect_int("ciaddr", 0x64, p.ciaddr[3]);
	test_cond("no requested", !p.has_requested);
	test_cond("no broadcast", (p.flags & 0x8000) == 0);
	/* INIT-REBOOT: 50, broadcast; RELEASE: 54 and no 55. */
	memset(m.ciaddr, 0, 4);
	m.broadcast = true;
	m.has_requested = true;
	memcpy(m.requested, "\xc0\xa8\x4d\x64", 4);
	n = dhcp_build_client(buf, sizeof(buf), &m);
	expect_int("init-reboot parses", 0, dhcp_parse(buf, n, &p));
	test_cond("requested", p.has_requested && p.requested[3] == 0x64);
	test_cond("broadcast", (p.flags & 0x8000) != 0);
	m.type = DHCPRELEASE;
	m.has_requested = false;
	m.has_server_id = true;
	memcpy(m.server_id, "\xc0\xa8\x4d\x01", 4);
	n = dhcp_build_client(buf, sizeof(buf), &m);
	expect_int("release parses", 0, dhcp_parse(buf, n, &p));
	test_cond("server id", p.has_server_id && p.server_id[3] == 1);
	expect_int("no parameter list", 0, p.n_params);
	expect_int("too small", 0, (int)dhcp_build_client(buf, 100, &m));
}

static void
test_profiles(void)
{
	char err[512] = "";
	const struct profile *p;
	const struct profile_keepalive *k;
	size_t i;

	expect_int("rules load", 0, rules_load("rules", &rules, err,
	    sizeof(err)));
	for (i = 0; i < rules.nprofiles; i++) {
		p = &rules.profile[i];
		k = profile_keepalive(p, &p->fw_default);
		test_cond("every profile has a keep-alive", k != NULL);
		if (k == NULL)
			continue;
		expect_int("interval 15 s", 15000, (int)k->interval_ms);
		expect_int("timeout 10 s", 10000, (int)k->timeout_ms);
		test_cond("with a source", strlen(k->source) > 10);
	}
	test_cond("two profiles", rules.nprofiles >= 2);
}

/*
 * routerqa_nat_ids(), which the QA judge uses on stored curves, gives the
 * very ids routerqa_nat_judge() reports, for every mix of TCP 5683 and
 * TCP 443 curves (none, short, straddling, below RFC, long) and of
 * keep-alives (none, 10 s, 15 s, 25 s), a UDP curve short or long, ports
 * changed or not.
 */
static void
test_nat_ids(void)
{
	static const double cv[][2] = {
		{ 0, 0 }, { 11, 13 }, { 9, 20 }, { 600, 900 }, { 8000, 0 }
	};
	static const uint32_t kas[] = { 0, 10000, 15000, 25000 };
	struct profile_keepalive ka = { .timeout_ms = 10000, .source = "t" };
	struct rqa_nat tcp, tls, udp;
	struct findings fs;
	static const judge_ids empty;
	judge_ids want, got, extra, all = routerqa_nat_ids_all();
	size_t a, b, k, u, i, bad = 0, n = 0;

	for (a = 0; a < 5; a++)
	for (b = 0; b < 5; b++)
	for (k = 0; k < 4; k++)
	for (u = 0; u < 2; u++) {
		memset(&tcp, 0, sizeof(tcp));
		memset(&tls, 0, sizeof(tls));
		memset(&udp, 0, sizeof(udp));
		tcp.nprobed = cv[a][0] > 0 ? 2 : 0;
		tcp.alive_s = cv[a][0];
		tcp.dead_s = cv[a][1];
		tls.nprobed = cv[b][0] > 0 ? 2 : 0;
		tls.alive_s = cv[b][0];
		tls.dead_s = cv[b][1];
		udp.nprobed = 2;
		udp.alive_s = u ? 200 : 20;
		udp.dead_s = u ? 0 : 30;
		udp.port_changed = u == 0 && a == 1;
		ka.interval_ms = kas[k];
		findings_init(&fs);
		routerqa_nat_judge(&tcp, &tls, &udp, kas[k] ? &ka : NULL, &fs);
		memset(&want, 0, sizeof(want));
		for (i = 0; i < fs.n; i++)
			judge_ids_add(&want, fs.item[i].id);
		got = routerqa_nat_ids(&tcp, &tls, &udp, kas[k] ? &ka : NULL);
		n++;
		extra = judge_ids_minus(got, all);
		if (memcmp(&want, &got, sizeof(want)) != 0 ||
		    memcmp(&extra, &empty, sizeof(extra)) != 0)
			bad++;
	}
	expect_int("ids as the judge's findings, every case", 0, (int)bad);
	expect_int("cases", 200, (int)n);
}

int
main(void)
{
	test_qaline();
	test_nat();
	test_nat_ids();
	test_wan();
	test_rebind();
	test_iso();
	test_dhcp();
	test_profiles();
	return test_report();
}
