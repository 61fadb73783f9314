/*
 * routerqa.c - judging the router tests (routerqa.h): lifetime curves from
 * staggered NAT probes, and the findings of each test.  A figure that the
 * measurement cannot place on one side of a limit gives no finding: the
 * facts then say so, never "no problem".
 */
#include <stdio.h>
#include <string.h>

#include "dhcp.h"
#include "routerqa.h"

void
routerqa_nat_curve(const struct rqa_flow *f, size_t n, struct rqa_nat *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->monotonic = true;
	for (i = 0; i < n; i++) {
		if (f[i].reset_early)
			out->reset_early = true;
		if (f[i].state == RQA_ALIVE) {
			out->nprobed++;
			if (f[i].idle_s > out->alive_s)
				out->alive_s = f[i].idle_s;
		} else if (f[i].state == RQA_DEAD) {
			out->nprobed++;
			if (out->dead_s == 0 || f[i].idle_s < out->dead_s)
				out->dead_s = f[i].idle_s;
			if (out->death == RQA_AFTER_UNKNOWN)
				out->death = f[i].after;
			if (f[i].port0 != 0 && f[i].port1 != 0 &&
			    f[i].port0 != f[i].port1)
				out->port_changed = true;
		}
	}
	if (out->dead_s > 0 && out->alive_s > out->dead_s)
		out->monotonic = false;
}

void
routerqa_nat_words(const struct rqa_nat *n, char *buf, size_t len)
{
	if (n->nprobed == 0)
		snprintf(buf, len, "unknown");
	else if (n->dead_s == 0)
		snprintf(buf, len, "> %.0f s", n->alive_s);
	else if (n->alive_s == 0)
		snprintf(buf, len, "< %.0f s", n->dead_s);
	else
		snprintf(buf, len, "%.0f-%.0f s", n->alive_s, n->dead_s);
}

const char *
routerqa_nat_against(const struct rqa_nat *n, double limit_s)
{
	if (n->nprobed == 0)
		return "unknown";
	if (n->alive_s >= limit_s)
		return "longer";
	if (n->dead_s > 0 && n->dead_s <= limit_s)
		return "shorter";
	return "inconclusive";
}

/* Dead by `limit_s` for certain: the shortest dead idle is within it. */
static bool
dies_by(const struct rqa_nat *n, double limit_s)
{
	return n->nprobed > 0 && n->dead_s > 0 && n->dead_s <= limit_s;
}

/*
 * What one TCP curve gives against keep-alive ka (NULL: none known):
 * nat.tcp_short, nat.tcp_below_rfc, or FINDING_COUNT for nothing.
 */
static enum finding_id
tcp_verdict(const struct rqa_nat *t, const struct profile_keepalive *ka)
{
	double ka_s = ka != NULL ? ka->interval_ms / 1000.0 : 0;

	if (t->nprobed == 0)
		return FINDING_COUNT;
	if (ka_s > 0 && dies_by(t, ka_s))
		return FINDING_NAT_TCP_SHORT;
	/* Short of RFC 5382 for sure; its rule says the keep-alive still
	 * outlasts it, so only when that too is measured. */
	if (ka != NULL && t->alive_s < ka_s)
		return FINDING_COUNT;
	return dies_by(t, ROUTERQA_TCP_RFC_S) ? FINDING_NAT_TCP_BELOW_RFC :
	    FINDING_COUNT;
}

/* TCP 5683's verdict, else (only then) TCP 443's, which has no keep-alive. */
static enum finding_id
tcp_pick(const struct rqa_nat *tcp, const struct rqa_nat *tls,
    const struct profile_keepalive *ka, const struct rqa_nat **which)
{
	enum finding_id id = tcp_verdict(tcp, ka);

	*which = tcp;
	if (id != FINDING_COUNT)
		return id;
	*which = tls;
	return tcp_verdict(tls, NULL);
}

judge_ids
routerqa_nat_ids(const struct rqa_nat *tcp, const struct rqa_nat *tls,
    const struct rqa_nat *udp, const struct profile_keepalive *ka)
{
	const struct rqa_nat *which;
	judge_ids ids = { { 0 } };
	enum finding_id id = tcp_pick(tcp, tls, ka, &which);

	if (id != FINDING_COUNT)
		judge_ids_add(&ids, id);
	if (dies_by(udp, ROUTERQA_UDP_RFC_S))
		judge_ids_add(&ids, FINDING_NAT_UDP_SHORT);
	if (tcp->port_changed || tls->port_changed || udp->port_changed)
		judge_ids_add(&ids, FINDING_NAT_PORT_CHANGED);
	return ids;
}

judge_ids
routerqa_nat_ids_all(void)
{
	judge_ids ids = { { 0 } };

	judge_ids_add(&ids, FINDING_NAT_TCP_SHORT);
	judge_ids_add(&ids, FINDING_NAT_TCP_BELOW_RFC);
	judge_ids_add(&ids, FINDING_NAT_UDP_SHORT);
	judge_ids_add(&ids, FINDING_NAT_PORT_CHANGED);
	return ids;
}

void
routerqa_nat_judge(const struct rqa_nat *tcp, const struct rqa_nat *tls,
    const struct rqa_nat *udp, const struct profile_keepalive *ka,
    struct findings *fs)
{
	const struct rqa_nat *which;
	enum finding_id id = tcp_pick(tcp, tls, ka, &which);
	const char *what = which == tcp ? "TCP 5683" : "TCP 443";
	char w[48];

	if (id == FINDING_NAT_TCP_SHORT) {
		routerqa_nat_words(which, w, sizeof(w));
		findings_add(fs, id, "idle %s mapping lifetime %s; the device "
		    "pings only after %.0f s idle (%s)", what, w,
		    ka->interval_ms / 1000.0, ka->source);
	} else if (id == FINDING_NAT_TCP_BELOW_RFC) {
		routerqa_nat_words(which, w, sizeof(w));
		findings_add(fs, id, "idle %s mapping lifetime %s, RFC 5382 "
		    "asks for at least 7440 s", what, w);
	}
	if (dies_by(udp, ROUTERQA_UDP_RFC_S)) {
		routerqa_nat_words(udp, w, sizeof(w));
		findings_add(fs, FINDING_NAT_UDP_SHORT, "idle UDP mapping "
		    "lifetime %s, RFC 4787 asks for at least 120 s", w);
	}
	if (tcp->port_changed || tls->port_changed || udp->port_changed)
		findings_add(fs, FINDING_NAT_PORT_CHANGED, "external port "
		    "changed after expiry:%s%s%s",
		    tcp->port_changed ? " TCP 5683" : "",
		    tls->port_changed ? " TCP 443" : "",
		    udp->port_changed ? " UDP" : "");
}

void
routerqa_wan_judge(const struct rqa_wan *w, const struct profile_keepalive *ka,
    struct findings *fs)
{
	const char *ev = w->renumbered ? "the WAN address changed" :
	    "the WAN went down";

	if (!w->held)
		return;		/* no session to lose: nothing to judge */
	if (w->old == RQA_AFTER_SILENT)
		findings_add(fs, FINDING_WAN_SESSION_SILENT, "after %s the "
		    "old TCP 5683 session got neither answer nor reset; the "
		    "device notices after its keep-alive (%u + %u ms)", ev,
		    ka ? ka->interval_ms : 15000, ka ? ka->timeout_ms : 10000);
	if (w->recover_s < 0 && !w->stopped)
		findings_add(fs, FINDING_WAN_NO_RECOVERY, "after %s no new "
		    "TCP 5683 session worked within the time allowed", ev);
}

static const char *const dns_names[] = {
	"unasked", "timeout", "private", "public", "empty", "nxdomain",
	"error"
};

const char *
routerqa_dns_name(enum rqa_dns d)
{
	return (unsigned)d < sizeof(dns_names) / sizeof(dns_names[0]) ?
	    dns_names[d] : "?";
}

static const char *const rebind_names[] = {
	"inconclusive", "passed", "blocked", "no_such_name"
};

const char *
routerqa_rebind_name(enum rqa_rebind r)
{
	return (unsigned)r < sizeof(rebind_names) / sizeof(rebind_names[0]) ?
	    rebind_names[r] : "?";
}

/* A refusal of the kind rebinding protection gives: no address at all. */
static bool
refused(enum rqa_dns d)
{
	return d == RQA_DNS_EMPTY || d == RQA_DNS_NXDOMAIN ||
	    d == RQA_DNS_ERROR;
}

enum rqa_rebind
routerqa_rebind_judge(enum rqa_dns rp, enum rqa_dns rn, enum rqa_dns up,
    struct findings *fs, char *why, size_t whylen)
{
	if (rp == RQA_DNS_PRIVATE) {
		snprintf(why, whylen, "the router passed the private answer");
		return RQA_REBIND_PASSED;
	}
	/* No answer from the router is no evidence either way. */
	if (rp == RQA_DNS_TIMEOUT || rp == RQA_DNS_UNASKED) {
		snprintf(why, whylen, "the router's resolver did not answer");
		return RQA_REBIND_INCONCLUSIVE;
	}
	if (up != RQA_DNS_UNASKED && up != RQA_DNS_TIMEOUT &&
	    up != RQA_DNS_PRIVATE) {
		snprintf(why, whylen, "the independent resolver has no private "
		    "answer for the name either (%s)", routerqa_dns_name(up));
		return RQA_REBIND_NO_NAME;
	}
	if (!refused(rp)) {
		snprintf(why, whylen, "the router's answer (%s) says nothing "
		    "about rebinding", routerqa_dns_name(rp));
		return RQA_REBIND_INCONCLUSIVE;
	}
	if (up == RQA_DNS_PRIVATE || (rn != RQA_DNS_UNASKED &&
	    rn != RQA_DNS_TIMEOUT && rn != rp)) {
		snprintf(why, whylen, "the router answers %s for a name that %s",
		    routerqa_dns_name(rp), up == RQA_DNS_PRIVATE ?
		    "the independent resolver answers with a private address" :
		    "exists, unlike a nonexistent one");
		findings_add(fs, FINDING_DNS_REBIND_BLOCKED, "the router's "
		    "resolver answers %s for a public name with a private "
		    "address (a nonexistent name: %s)", routerqa_dns_name(rp),
		    routerqa_dns_name(rn));
		return RQA_REBIND_BLOCKED;
	}
	snprintf(why, whylen, "the router answers the name as it answers a "
	    "nonexistent one (%s); an independent resolver (--upstream-dns) "
	    "would tell them apart", routerqa_dns_name(rp));
	return RQA_REBIND_INCONCLUSIVE;
}

void
routerqa_dhcp_judge(const struct rqa_dhcp *d, struct findings *fs)
{
	if (!d->bound)
		return;
	if (d->offer_delay_s > DHCP_SLOW_OFFER_S)
		findings_add(fs, FINDING_DHCP_SLOW_OFFER, "the OFFER came "
		    "%.1f s after the first DISCOVER", d->offer_delay_s);
	if (d->lease_s > 0 && d->lease_s < ROUTERQA_LEASE_SHORT_S)
		findings_add(fs, FINDING_DHCP_SHORT_LEASE, "lease of %u s "
		    "(renewal at %u s)", (unsigned)d->lease_s,
		    (unsigned)d->t1_s);
	/* Both ways of extending the lease tried, and neither worked. */
	if (d->renew != RQA_DHCP_UNTRIED && d->renew != RQA_DHCP_ACK &&
	    d->rebind != RQA_DHCP_UNTRIED && d->rebind != RQA_DHCP_ACK)
		findings_add(fs, FINDING_DHCP_RENEW_FAILED, "renewal: %s, "
		    "rebinding: %s", d->renew == RQA_DHCP_NAK ? "NAK" :
		    "no answer", d->rebind == RQA_DHCP_NAK ? "NAK" :
		    "no answer");
	/* RFC 2131 4.4.5: T1 is unicast to the server, T2 broadcast. */
	if (d->renew == RQA_DHCP_SILENCE && d->rebind == RQA_DHCP_ACK)
		findings_add(fs, FINDING_DHCP_UNICAST_RENEW_IGNORED, "no answer "
		    "to the unicast renewal at T1 (%u s); the broadcast "
		    "rebinding at T2 (%u s) was ACKed", (unsigned)d->t1_s,
		    (unsigned)d->t2_s);
	if (!d->restarted)
		return;
	if (d->handed_to_other)
		findings_add(fs, FINDING_DHCP_FORGETS_LEASES, "after the "
		    "restart the router offered the device's address to "
		    "another client%s", d->init_reboot == RQA_DHCP_ACK ? "" :
		    d->init_reboot == RQA_DHCP_NAK ? ", and NAKed the "
		    "device's INIT-REBOOT for it" : ", and ignored the "
		    "device's INIT-REBOOT for it");
	else if (d->init_reboot == RQA_DHCP_NAK)
		findings_add(fs, FINDING_DHCP_FORGETS_LEASES, "after the "
		    "restart the router NAKed the device's INIT-REBOOT for "
		    "the address it had leased");
	else if (d->init_reboot == RQA_DHCP_SILENCE && d->other_answered)
		findings_add(fs, FINDING_DHCP_FORGETS_LEASES, "after the "
		    "restart the router ignored the device's INIT-REBOOT for "
		    "the address it had leased, while it answered another "
		    "client");
}

static const char *const channel_names[RQA_CHANNELS] = {
	"arp", "icmp", "tcp", "udp", "mdns4", "mdns6"
};

const char *
routerqa_channel_name(enum rqa_channel ch)
{
	return (unsigned)ch < RQA_CHANNELS ? channel_names[ch] : "?";
}

void
routerqa_iso_judge(const struct rqa_iso *s, struct findings *fs)
{
	unsigned tried = 0, reached = 0;
	enum rqa_channel ch;

	for (ch = RQA_ARP; ch <= RQA_UDP; ch++) {
		tried += s->tried[ch];
		reached += s->reached[ch];
	}
	if (tried == 0)
		return;
	if (reached == 0 || (s->reached[RQA_ICMP] + s->reached[RQA_TCP] +
	    s->reached[RQA_UDP] == 0 && s->tried[RQA_TCP] > 0)) {
		findings_add(fs, FINDING_LAN_ISOLATED, "nothing reached the "
		    "device from another client in %u round(s): ARP %u, ICMP "
		    "%u, TCP %u, UDP %u answered", s->rounds,
		    s->reached[RQA_ARP], s->reached[RQA_ICMP],
		    s->reached[RQA_TCP], s->reached[RQA_UDP]);
		return;
	}
	if (s->tried[RQA_MDNS4] + s->tried[RQA_MDNS6] > 0 &&
	    s->reached[RQA_MDNS4] + s->reached[RQA_MDNS6] == 0)
		findings_add(fs, FINDING_LAN_MDNS_BLOCKED, "unicast reached "
		    "the device but %u mDNS query round(s) went unanswered",
		    s->tried[RQA_MDNS4] > s->tried[RQA_MDNS6] ?
		    s->tried[RQA_MDNS4] : s->tried[RQA_MDNS6]);
}
