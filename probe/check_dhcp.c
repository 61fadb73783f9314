/*
 * check_dhcp.c - the DHCP check: broadcast a DISCOVER (RFC 2131) from a
 * random locally administered MAC (or --dhcp-mac) through a packet socket,
 * resend it as a client does while nothing answers, and collect every
 * OFFER and NAK: until the first OFFER plus a short grace for other servers
 * (DIAG_DHCP_GRACE, or --dhcp-grace), on while other checks still run, or
 * the DHCP deadline when none comes.  How long it listened after the first
 * OFFER is a fact, and the report says that a server slower than that was
 * not seen (dhcp.one_server_seen): no second OFFER is no proof of no
 * second server.
 *
 * It never sends a REQUEST, so no server commits an address to the probe;
 * the random MAC keeps repeated runs from looking like one client that
 * cannot make up its mind.  The frame and the replies go through
 * analyzers/dhcp.h and ip.h, and an OFFER sent in IP fragments is put back
 * together (ipfrag.h) before it is read.  A packet socket needs CAP_NET_RAW:
 * without it the check is skipped (dhcp.skipped) and the others run anyway.
 * The first OFFER is published at once, since it names the DNS servers the
 * device would use.  When a signal stops the run (Ctrl-C during a long
 * --dhcp-grace), the check ends at once and judges the answers it has: an
 * OFFER seen is evidence whatever came after; the facts and the evidence
 * say that the listening was cut short.  Stopped before any OFFER, it
 * judges nothing (no dhcp.no_offer before the deadline) and shows as
 * interrupted.
 */
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dhcp.h"
#include "diagnose.h"
#include "ip.h"
#include "ipfrag.h"
#include "log.h"
#include "mac.h"

#define OFFERS_MAX	8
#define ODD_LEASE_S	300	/* shorter than this is odd for a device */
#define SENDS_KEPT	16	/* DISCOVER times kept in the facts */
#define FRAME_MAX	9216	/* a jumbo frame */

/*
 * RFC 2131 4.1: the first retransmission after 4 s, then 8, 16, 32 and at
 * most 64 s, each randomised by a uniform -1 to +1 s.
 */
#define RESEND_FIRST_S	4.0
#define RESEND_MAX_S	64.0
/* While other checks still run after the grace, look again this often. */
#define BUSY_TICK_S	0.05

struct offer {
	struct dhcp_msg	 m;
	uint8_t		 src[4];	/* IP source, when no option 54 */
	double		 ms;		/* since the first DISCOVER */
	bool		 fragmented;	/* came in IP fragments */
	bool		 cut;		/* fragments missing: only a part read */
};

static void
ip4str(const uint8_t a[4], char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* Wire text made safe to show: printable ASCII, the rest as '?'. */
static void
safe_text(const struct dhcp_text *t, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < t->len && i + 1 < len; i++)
		out[i] = t->s[i] >= 0x20 && t->s[i] < 0x7f ? t->s[i] : '?';
	out[i] = '\0';
}

static int
mask_prefix(const uint8_t m[4])
{
	uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	    (uint32_t)m[2] << 8 | m[3];
	int n = 0;

	while (v & 0x80000000u) {
		n++;
		v <<= 1;
	}
	return v == 0 ? n : -1;	/* -1: not contiguous */
}

static const uint8_t *
server_of(const struct offer *o)
{
	return o->m.has_server_id ? o->m.server_id : o->src;
}

static cJSON *
offer_json(const struct offer *o)
{
	cJSON *j = cJSON_CreateObject(), *a;
	char buf[DHCP_TEXT_MAX + 1];
	size_t i;

	ip4str(server_of(o), buf, sizeof(buf));
	cJSON_AddStringToObject(j, "type", dhcp_type_name(o->m.type) ?
	    dhcp_type_name(o->m.type) : "?");
	cJSON_AddStringToObject(j, "server", buf);
	cJSON_AddNumberToObject(j, "ms", o->ms);
	if (o->fragmented)
		cJSON_AddBoolToObject(j, "fragmented", true);
	if (o->cut || o->m.truncated)
		cJSON_AddBoolToObject(j, "truncated", true);
	if (o->m.type == DHCPNAK) {
		safe_text(&o->m.message, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "message", buf);
		return j;
	}
	ip4str(o->m.yiaddr, buf, sizeof(buf));
	cJSON_AddStringToObject(j, "address", buf);
	if (o->m.has_mask) {
		ip4str(o->m.mask, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "mask", buf);
	}
	a = cJSON_AddArrayToObject(j, "routers");
	for (i = 0; i < o->m.n_routers; i++) {
		ip4str(o->m.routers[i], buf, sizeof(buf));
		cJSON_AddItemToArray(a, cJSON_CreateString(buf));
	}
	a = cJSON_AddArrayToObject(j, "dns");
	for (i = 0; i < o->m.n_dns; i++) {
		ip4str(o->m.dns[i], buf, sizeof(buf));
		cJSON_AddItemToArray(a, cJSON_CreateString(buf));
	}
	if (o->m.has_lease)
		cJSON_AddNumberToObject(j, "lease_s", o->m.lease);
	if (o->m.domain.len > 0) {
		safe_text(&o->m.domain, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "domain", buf);
	}
	if (o->m.captive_portal.len > 0) {
		safe_text(&o->m.captive_portal, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "captive_portal_api", buf);
	}
	return j;
}

/*
 * Judge the offer the device would take: the first one.  An option missing
 * from an offer that did not arrive whole may be in the part that did not
 * come, so only what is there is judged.
 */
static void
judge_offer(struct check_result *res, const struct offer *o)
{
	char srv[16];
	int prefix;
	bool whole = !o->cut && !o->m.truncated;

	ip4str(server_of(o), srv, sizeof(srv));
	if (o->m.n_routers == 0 && whole)
		check_fail(res, FINDING_DHCP_NO_ROUTER,
		    "the offer from %s names no router (option 3)", srv);
	if (o->m.n_dns == 0 && whole)
		check_fail(res, FINDING_DHCP_NO_DNS,
		    "the offer from %s names no DNS server (option 6)", srv);
	prefix = o->m.has_mask ? mask_prefix(o->m.mask) : 24;
	if (o->m.has_lease && o->m.lease < ODD_LEASE_S)
		check_fail(res, FINDING_DHCP_ODD_LEASE,
		    "the offer from %s leases for only %u s", srv,
		    (unsigned)o->m.lease);
	else if (prefix < 8 || prefix > 30)
		check_fail(res, FINDING_DHCP_ODD_LEASE,
		    "the offer from %s has netmask %u.%u.%u.%u", srv,
		    o->m.mask[0], o->m.mask[1], o->m.mask[2], o->m.mask[3]);
}

/* One run of the check: the socket, who we claim to be, what came back. */
struct dhcp_run {
	struct diag		*d;
	struct check_result	*res;
	cJSON			*f;
	int			 fd;
	struct sockaddr_ll	 sll;
	uint8_t			 mac[6];
	uint32_t		 xid;
	double			 start;		/* the first DISCOVER */
	double			 deadline;	/* give up: no OFFER by then */
	double			 next_send;	/* the next DISCOVER, if none */
	double			 stop;		/* when listening ended */
	bool			 cut;		/* ended early: a signal */
	unsigned		 nsent;
	double			 sent_ms[SENDS_KEPT];
	struct offer		 offers[OFFERS_MAX];
	size_t			 noffers, nnak, nservers;
	int			 first;	/* index of the first OFFER, -1 */
	struct ipfrag		 frag;	/* OFFERs in pieces */
};

/* Whether the check can run at all: not when told not to, or no interface. */
static bool
dhcp_wanted(struct dhcp_run *r)
{
	if (r->d->o->skip_dhcp) {
		findings_add(&r->res->findings, FINDING_DHCP_SKIPPED,
		    "skipped on request (--no-dhcp)");
		check_note(r->res, "skipped (--no-dhcp)");
		r->res->skipped = true;
		return false;
	}
	if (!r->d->have_iface) {
		check_note(r->res, "no interface to send on");
		r->res->skipped = true;
		return false;
	}
	return true;
}

/* A packet socket bound to the interface; -1 (check skipped) if none. */
static int
dhcp_open(struct dhcp_run *r)
{
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (r->fd == -1) {
		if (errno == EPERM || errno == EACCES) {
			findings_add(&r->res->findings, FINDING_DHCP_SKIPPED,
			    "a DHCP DISCOVER needs a raw packet socket "
			    "(CAP_NET_RAW): run as root, or give the binary "
			    "cap_net_raw with setcap");
			check_note(r->res, "skipped: needs CAP_NET_RAW (root)");
		} else
			check_note(r->res, "no packet socket: %s",
			    strerror(errno));
		cJSON_AddStringToObject(r->f, "skipped", r->res->note);
		r->res->skipped = true;
		return -1;
	}
	memset(&r->sll, 0, sizeof(r->sll));
	r->sll.sll_family = AF_PACKET;
	r->sll.sll_protocol = htons(ETH_P_IP);
	r->sll.sll_ifindex = r->d->ifindex;
	if (bind(r->fd, (struct sockaddr *)&r->sll, sizeof(r->sll)) == -1) {
		check_note(r->res, "cannot bind to %s: %s", r->d->ifname,
		    strerror(errno));
		r->res->skipped = true;
		return -1;
	}
	return 0;
}

/*
 * Some servers unicast the OFFER to the client MAC despite the broadcast
 * flag (nmap PR #2470); that MAC is not the interface's, so listen
 * promiscuously while the check runs.  The kernel drops the membership when the
 * socket closes.
 */
static void
dhcp_listen_promiscuous(struct dhcp_run *r)
{
	struct packet_mreq mr;

	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = r->d->ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	cJSON_AddBoolToObject(r->f, "promiscuous", setsockopt(r->fd,
	    SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) == 0);
}

/* The client MAC (--dhcp-mac, else random) and the transaction id. */
static void
dhcp_pick_identity(struct dhcp_run *r)
{
	if (r->d->o->has_mac)
		memcpy(r->mac, r->d->o->mac, 6);
	else {
		if (getrandom(r->mac, sizeof(r->mac), 0) !=
		    (ssize_t)sizeof(r->mac))
			memcpy(r->mac, r->d->ifmac, 6);
		/* Unicast, locally administered (IEEE 802 bit 1 of byte 0). */
		r->mac[0] = (uint8_t)((r->mac[0] & 0xfc) | 0x02);
	}
	if (getrandom(&r->xid, sizeof(r->xid), 0) != (ssize_t)sizeof(r->xid))
		r->xid = (uint32_t)(diag_now() * 1e6);
}

/*
 * Broadcast one DISCOVER, with the time since the first in `secs` (RFC
 * 2131: the same xid throughout, so an OFFER to any copy counts), and plan
 * the next one.  Returns NULL when the whole frame went out, else why not.
 */
static const char *
dhcp_send_discover(struct dhcp_run *r)
{
	uint8_t msg[600], frame[1024];
	size_t nmsg, nframe;
	double now = diag_now();
	uint16_t secs;
	uint32_t u;

	if (r->nsent == 0)
		r->start = now;
	secs = (uint16_t)(now - r->start + 0.5);
	if (r->nsent < SENDS_KEPT)
		r->sent_ms[r->nsent] = round((now - r->start) * 1000);
	r->nsent++;
	if (getrandom(&u, sizeof(u), 0) != (ssize_t)sizeof(u))
		u = (uint32_t)(now * 1e6);
	r->next_send = now + check_dhcp_backoff(r->nsent,
	    (double)u / UINT32_MAX * 2 - 1);

	nmsg = dhcp_build_discover(msg, sizeof(msg), r->mac, r->xid, secs,
	    NULL);
	nframe = nmsg ? dhcp_build_frame(frame, sizeof(frame), r->mac, msg,
	    nmsg) : 0;
	if (nframe == 0)
		return "frame too large";
	memset(r->sll.sll_addr, 0xff, 6);
	r->sll.sll_halen = 6;
	if (sendto(r->fd, frame, nframe, 0, (struct sockaddr *)&r->sll,
	    sizeof(r->sll)) != (ssize_t)nframe)
		return strerror(errno);
	log_info("diagnose: dhcp: DISCOVER %u sent on %s", r->nsent,
	    r->d->ifname);
	return NULL;
}

/* Facts about the DISCOVER that went out. */
static void
dhcp_sent_facts(struct dhcp_run *r)
{
	char buf[64];

	cJSON_AddStringToObject(r->f, "interface", r->d->ifname);
	cJSON_AddStringToObject(r->f, "client_mac", mac_format(r->mac, buf));
	snprintf(buf, sizeof(buf), "0x%08x", r->xid);
	cJSON_AddStringToObject(r->f, "xid", buf);
	cJSON_AddNumberToObject(r->f, "deadline_s", diag_dhcp_deadline(r->d));
	cJSON_AddNumberToObject(r->f, "grace_s", diag_dhcp_grace(r->d));
}

/* Hand the DNS servers and portal of the first OFFER to the other checks. */
static void
dhcp_publish_first(struct diag *d, const struct offer *o)
{
	struct in_addr dns[DIAG_DNS_MAX];
	char cp[DHCP_TEXT_MAX + 1];
	size_t k;

	for (k = 0; k < o->m.n_dns && k < DIAG_DNS_MAX; k++)
		memcpy(&dns[k], o->m.dns[k], 4);
	safe_text(&o->m.captive_portal, cp, sizeof(cp));
	diag_publish_offer(d, dns, k, cp);
}

/* Keep a reply unless it repeats one we have or there is no room. */
static void
dhcp_keep(struct dhcp_run *r, const struct offer *o)
{
	size_t i;

	/* The resent DISCOVER may bring a second copy. */
	for (i = 0; i < r->noffers; i++)
		if (memcmp(server_of(&r->offers[i]), server_of(o), 4) == 0 &&
		    r->offers[i].m.type == o->m.type)
			break;
	if (i < r->noffers || r->noffers == OFFERS_MAX)
		return;
	/* Read and judged from its first fragment only: say so. */
	if (o->cut)
		cJSON_AddBoolToObject(r->f, "cut_offers", true);
	log_info("diagnose: dhcp: %s from %u.%u.%u.%u after %.0f ms",
	    o->m.type == DHCPNAK ? "NAK" : "OFFER", server_of(o)[0],
	    server_of(o)[1], server_of(o)[2], server_of(o)[3], o->ms);
	r->offers[r->noffers] = *o;
	if (o->m.type == DHCPNAK)
		r->nnak++;
	else if (r->first == -1) {
		r->first = (int)r->noffers;
		dhcp_publish_first(r->d, o);
	}
	r->noffers++;
}

double
check_dhcp_backoff(unsigned nsent, double jitter)
{
	double base = RESEND_FIRST_S;
	unsigned i;

	for (i = 1; i < nsent && base < RESEND_MAX_S; i++)
		base *= 2;
	if (base > RESEND_MAX_S)
		base = RESEND_MAX_S;
	if (jitter < -1)
		jitter = -1;
	else if (jitter > 1)
		jitter = 1;
	return base + jitter;
}

double
check_dhcp_until(double now, double deadline, double first, double grace,
    bool others)
{
	double until, last;

	if (first < 0)
		return deadline;
	until = first + grace;
	/* The deadline is for the first OFFER; the grace is kept whole. */
	last = until > deadline ? until : deadline;
	/* Free time: a slower second server may still answer. */
	if (others && now + BUSY_TICK_S > until)
		until = now + BUSY_TICK_S;
	return until < last ? until : last;
}

/*
 * How long the check listened after the first OFFER, in ms (0 without
 * one): a server slower than that was not heard.
 */
static double
dhcp_after_offer_ms(const struct dhcp_run *r)
{
	double ms;

	if (r->first < 0)
		return 0;
	ms = round((r->stop - r->start) * 1000) - r->offers[r->first].ms;
	return ms > 0 ? ms : 0;
}

/* Is this UDP datagram a reply to our DISCOVER?  Fills o->m. */
static bool
dhcp_reply_of(const struct dhcp_run *r, const struct ip_udp *udp,
    struct offer *o)
{
	if (udp->sport != DHCP_SERVER_PORT || udp->dport != DHCP_CLIENT_PORT)
		return false;
	if (dhcp_parse(udp->payload, udp->len, &o->m) == -1 ||
	    o->m.op != 2 || o->m.xid != r->xid || !o->m.has_client_mac ||
	    memcmp(o->m.client_mac, r->mac, 6) != 0)
		return false;
	return o->m.type == DHCPOFFER || o->m.type == DHCPNAK;
}

/*
 * Read one frame.  Returns -1 when none is waiting, 1 when *o is a reply
 * to our DISCOVER, 0 for anything else (a fragment kept for later too).
 */
static int
dhcp_read(struct dhcp_run *r, struct offer *o)
{
	uint8_t frame[FRAME_MAX];
	struct sockaddr_ll from;
	socklen_t fromlen = sizeof(from);
	struct ip_packet ip;
	struct ip_udp udp;
	const uint8_t *dgram;
	size_t dlen;
	ssize_t n;

	n = recvfrom(r->fd, frame, sizeof(frame), MSG_DONTWAIT | MSG_TRUNC,
	    (struct sockaddr *)&from, &fromlen);
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	/* Our own DISCOVER, and anything cut to the buffer, is not a reply. */
	if (from.sll_pkttype == PACKET_OUTGOING || n > (ssize_t)sizeof(frame) ||
	    n < 14 || frame[12] != 0x08 || frame[13] != 0x00)
		return 0;
	if (ip_decode(0x0800, frame + 14, (size_t)n - 14, &ip) == -1 ||
	    ip.proto != IP_PROTO_UDP ||
	    ipfrag_add(&r->frag, &ip, &dgram, &dlen) != 1 ||
	    ip_udp_decode(dgram, dlen, &udp) == -1)
		return 0;
	memset(o, 0, sizeof(*o));
	o->fragmented = ip.fragment;
	memcpy(o->src, ip.src.a, 4);
	return dhcp_reply_of(r, &udp, o) ? 1 : 0;
}

/*
 * An OFFER whose later fragments never came: read what did, marked cut,
 * so its DNS servers and router are not judged missing.
 */
static void
dhcp_keep_partial(struct dhcp_run *r)
{
	const uint8_t *part;
	struct ip_udp udp;
	struct offer o;
	uint8_t proto;
	size_t i, n;

	for (i = 0; i < IPFRAG_SLOTS; i++) {
		memset(&o, 0, sizeof(o));
		n = ipfrag_partial(&r->frag, i, &part, o.src, &proto);
		if (n == 0 || proto != IP_PROTO_UDP ||
		    ip_udp_decode(part, n, &udp) == -1 ||
		    !dhcp_reply_of(r, &udp, &o))
			continue;
		o.fragmented = o.cut = true;
		o.ms = round((r->stop - r->start) * 1000);
		dhcp_keep(r, &o);
	}
}

/*
 * Read OFFERs and NAKs, resending the DISCOVER while none came, until the
 * grace or the deadline, or a signal stopped the run (diag_request_stop).
 */
static void
dhcp_collect(struct dhcp_run *r)
{
	struct pollfd pfd[2] = { { r->fd, POLLIN, 0 },
	    { r->d->stop_fd, POLLIN, 0 } };
	struct offer o;
	double now, until, first;
	int k;

	for (;;) {
		if (diag_stopping(r->d)) {
			r->cut = true;
			break;
		}
		now = diag_now();
		first = r->first < 0 ? -1 : r->start +
		    r->offers[r->first].ms / 1000;
		until = check_dhcp_until(now, r->deadline, first,
		    diag_dhcp_grace(r->d), diag_running(r->d) > 1);
		if (now >= until)
			break;
		if (r->first < 0 && r->next_send < until)
			until = r->next_send;
		/* A stop_fd of -1 is ignored by poll. */
		if (poll(pfd, 2, (int)((until - now) * 1000) + 1) == -1 &&
		    errno != EINTR)
			break;
		while ((k = dhcp_read(r, &o)) != -1)
			if (k == 1) {
				o.ms = round((diag_now() - r->start) * 1000);
				dhcp_keep(r, &o);
			}
		if (r->first < 0 && diag_now() >= r->next_send &&
		    diag_now() < r->deadline)
			(void)dhcp_send_discover(r);
	}
	r->stop = diag_now();
	dhcp_keep_partial(r);
}

/* The replies as facts, counting the distinct servers. */
static void
dhcp_offers_facts(struct dhcp_run *r)
{
	cJSON *arr;
	size_t i, k;

	arr = cJSON_AddArrayToObject(r->f, "offers");
	for (i = 0; i < r->noffers; i++) {
		cJSON_AddItemToArray(arr, offer_json(&r->offers[i]));
		for (k = 0; k < i; k++)
			if (memcmp(server_of(&r->offers[k]),
			    server_of(&r->offers[i]), 4) == 0)
				break;
		if (k == i)
			r->nservers++;
	}
	cJSON_AddNumberToObject(r->f, "servers", (double)r->nservers);
	cJSON_AddNumberToObject(r->f, "naks", (double)r->nnak);
}

/* A finding for each NAK. */
static void
dhcp_judge_naks(struct dhcp_run *r)
{
	char srv[16], m[DHCP_TEXT_MAX + 1];
	size_t i;

	for (i = 0; i < r->noffers; i++) {
		if (r->offers[i].m.type != DHCPNAK)
			continue;
		ip4str(server_of(&r->offers[i]), srv, sizeof(srv));
		safe_text(&r->offers[i].m.message, m, sizeof(m));
		check_fail(r->res, FINDING_DHCP_NAK, "%s sent a NAK%s%s",
		    srv, m[0] ? ": " : "", m);
	}
}

/* One server's answer in the evidence: who, what, when. */
static void
servers_one(char *list, size_t len, const struct check_dhcp_answer *a,
    bool first)
{
	char srv[16], yi[16], one[120];

	ip4str(a->server, srv, sizeof(srv));
	ip4str(a->address, yi, sizeof(yi));
	snprintf(one, sizeof(one), "%s%s %s%s after %.1f s%s",
	    list[0] != '\0' ? "; " : "", srv, a->nak ? "sent a NAK" :
	    "offered ", a->nak ? "" : yi, a->ms / 1000,
	    first ? " (the first offer: the one a device likely takes)" :
	    "");
	strncat(list, one, len - strlen(list) - 1);
}

enum finding_id
check_dhcp_servers(const struct check_dhcp_answer *a, size_t n,
    double after_ms, bool cut, char *ev, size_t len)
{
	char list[FINDING_EVIDENCE_MAX] = "", srv[16], tail[160] = "";
	size_t i, k, nservers = 0, first = n;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			if (memcmp(a[k].server, a[i].server, 4) == 0)
				break;
		nservers += k == i;
		if (first == n && !a[i].nak)
			first = i;
	}
	if (nservers > 1) {
		for (i = 0; i < n; i++)
			servers_one(list, sizeof(list), &a[i], i == first);
		if (cut)
			snprintf(tail, sizeof(tail), " (listening cut short "
			    "by a signal %.1f s after the first offer: there "
			    "may be more)", after_ms / 1000);
		snprintf(ev, len, "%zu DHCP servers answered: %s%s", nservers,
		    list, tail);
		return FINDING_DHCP_MULTIPLE_SERVERS;
	}
	if (first == n)
		return FINDING_COUNT;
	ip4str(a[first].server, srv, sizeof(srv));
	snprintf(ev, len, "only %s answered; the probe listened %.1f s after "
	    "its offer%s, so a second DHCP server (a rogue or a forgotten "
	    "router) answering later than that would not be seen: "
	    "--dhcp-grace 5 listens longer", srv, after_ms / 1000,
	    cut ? " before a signal (Ctrl-C) cut the listening short" : "");
	return FINDING_DHCP_ONE_SERVER_SEEN;
}

/*
 * Who answered: more than one server (warning), or one, with how long the
 * check listened after its offer (info).
 */
static void
dhcp_judge_servers(struct dhcp_run *r)
{
	struct check_dhcp_answer a[OFFERS_MAX];
	char ev[FINDING_EVIDENCE_MAX];
	enum finding_id id;
	size_t i;

	for (i = 0; i < r->noffers; i++) {
		memcpy(a[i].server, server_of(&r->offers[i]), 4);
		memcpy(a[i].address, r->offers[i].m.yiaddr, 4);
		a[i].ms = r->offers[i].ms;
		a[i].nak = r->offers[i].m.type == DHCPNAK;
	}
	id = check_dhcp_servers(a, r->noffers, dhcp_after_offer_ms(r), r->cut,
	    ev, sizeof(ev));
	if (id == FINDING_DHCP_MULTIPLE_SERVERS)
		check_fail(r->res, id, "%s", ev);
	else if (id != FINDING_COUNT)
		findings_add(&r->res->findings, id, "%s", ev);
}

/*
 * A first OFFER that took a while: not a fault (stock dnsmasq and ISC
 * dhcpd ping the address first, for up to 3 s and 1 s), but worth a line,
 * with the measured delay.  Info only: the check does not fail for it.
 */
static void
dhcp_judge_delay(struct dhcp_run *r, const struct offer *o)
{
	char srv[16];

	if (o->ms <= DIAG_DHCP_SLOW * 1000)
		return;
	ip4str(server_of(o), srv, sizeof(srv));
	findings_add(&r->res->findings, FINDING_DHCP_SLOW_OFFER,
	    "the first offer, from %s, came %.1f s after the first DISCOVER "
	    "(%u sent)", srv, o->ms / 1000, r->nsent);
}

/* Turn the collected replies into findings and the progress note. */
static void
dhcp_judge(struct dhcp_run *r)
{
	char yi[16], srv[16];
	const struct offer *o;
	double deadline = diag_dhcp_deadline(r->d);

	if (r->noffers == 0 && r->cut) {
		/* Not the deadline: no verdict, as a check still running. */
		r->res->interrupted = true;
		check_note(r->res, "stopped by a signal after %.1f s, before "
		    "any offer", r->stop - r->start);
		return;
	}
	if (r->noffers == 0) {
		check_fail(r->res, FINDING_DHCP_NO_OFFER,
		    "no DHCP server answered %u DISCOVERs from %s on %s within "
		    "%.1f s (no server, a full address pool, or MAC filtering)",
		    r->nsent, cJSON_GetStringValue(cJSON_GetObjectItem(r->f,
		    "client_mac")), r->d->ifname, deadline);
		check_note(r->res, "no offer in %.1f s", deadline);
		return;
	}
	dhcp_judge_naks(r);
	dhcp_judge_servers(r);
	if (r->first < 0) {
		r->res->interrupted = r->cut;
		check_note(r->res, "only NAKs%s", r->cut ?
		    ", then stopped by a signal" : "");
		return;
	}
	o = &r->offers[r->first];
	r->res->seen |= STAGE_BIT(STAGE_DHCP);	/* an address was offered */
	judge_offer(r->res, o);
	dhcp_judge_delay(r, o);
	ip4str(o->m.yiaddr, yi, sizeof(yi));
	ip4str(server_of(o), srv, sizeof(srv));
	check_note(r->res, "%s offered %s after %.1f s%s%s", srv, yi,
	    o->ms / 1000, r->nservers > 1 ? " (and others)" : "",
	    r->cut ? "; cut short by a signal" : "");
}

/* When the DISCOVERs went out and how long the check listened. */
static void
dhcp_timing_facts(struct dhcp_run *r)
{
	cJSON *a;
	unsigned i;

	cJSON_AddNumberToObject(r->f, "discovers", r->nsent);
	a = cJSON_AddArrayToObject(r->f, "discover_ms");
	for (i = 0; i < r->nsent && i < SENDS_KEPT; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(r->sent_ms[i]));
	if (r->first >= 0)
		cJSON_AddNumberToObject(r->f, "first_offer_ms",
		    r->offers[r->first].ms);
	cJSON_AddNumberToObject(r->f, "listened_ms",
	    round((r->stop - r->start) * 1000));
	if (r->first >= 0)
		cJSON_AddNumberToObject(r->f, "listened_after_offer_ms",
		    dhcp_after_offer_ms(r));
	if (r->cut)
		cJSON_AddBoolToObject(r->f, "interrupted", true);
	if (r->frag.dropped > 0)
		cJSON_AddNumberToObject(r->f, "fragments_dropped",
		    r->frag.dropped);
}

/* Open, send, collect, then decide; returns early when skipped. */
static void
dhcp_probe(struct dhcp_run *r)
{
	const char *why;

	if (!dhcp_wanted(r) || dhcp_open(r) == -1)
		return;
	dhcp_listen_promiscuous(r);
	dhcp_pick_identity(r);
	if ((why = dhcp_send_discover(r)) != NULL) {
		check_note(r->res, "cannot send on %s: %s", r->d->ifname, why);
		r->res->skipped = true;
		return;
	}
	r->deadline = r->start + diag_dhcp_deadline(r->d);
	dhcp_sent_facts(r);
	dhcp_collect(r);
	dhcp_offers_facts(r);
	dhcp_timing_facts(r);
	dhcp_judge(r);
}

void
check_dhcp(struct diag *d, struct check_result *res)
{
	struct dhcp_run r;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.res = res;
	r.fd = -1;
	r.first = -1;
	res->facts = r.f = cJSON_CreateObject();
	dhcp_probe(&r);
	if (r.fd != -1)
		close(r.fd);
	diag_publish_dhcp_done(d);
}
