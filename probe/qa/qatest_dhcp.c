/*
 * qatest_dhcp.c - `qa test dhcp-time`: a real lease through its life, as a
 * device lives it.  From a chosen or random MAC it takes a lease (the OFFER
 * delay timed), renews it by unicast at T1 and rebinds by broadcast at T2
 * (or at --renew-at / --rebind-at), and with --restart-cmd restarts the
 * router, asks for the address from a second MAC (does the router hand it
 * to another client?) and then does an INIT-REBOOT for it (ACK, NAK or
 * silence).  The lease is released at the end.  The client speaks through
 * a packet socket and answers ARP for its address itself, since the
 * address is never put on this host's interface.  Messages are built by
 * analyzers/dhcp.c (dhcp_build_client) and judged by analyzers/routerqa.c.
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dhcp.h"
#include "ip.h"
#include "log.h"
#include "mac.h"
#include "qatest.h"
#include "routerqa.h"

/* For an answer to one REQUEST: twice the round-trip allowance --grace
 * (4 s by default), as a server may ping or ARP the address first. */
#define DH_WAIT_S(d)	(2 * (d)->c->o->grace_s)

struct dh {
	struct qatest_ctx	*c;
	int			 fd;
	struct sockaddr_ll	 sll;
	uint8_t			 mac[6];
	bool			 bound;
	uint8_t			 addr[4], server[4], server_mac[6];
	struct rqa_dhcp		 r;
};

static void
dh_random_mac(uint8_t mac[6])
{
	if (getrandom(mac, 6, 0) != 6)
		memset(mac, 0x5a, 6);
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);	/* local, unicast */
}

static uint32_t
dh_xid(void)
{
	uint32_t x = 0;

	if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x))
		x = (uint32_t)(qatest_now() * 1e6);
	return x;
}

static int
dh_open(struct dh *d)
{
	struct packet_mreq mr;
	unsigned idx = if_nametoindex(d->c->o->iface);

	if (idx == 0)
		return -1;
	if ((d->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
	    htons(ETH_P_ALL))) == -1)
		return -1;
	memset(&d->sll, 0, sizeof(d->sll));
	d->sll.sll_family = AF_PACKET;
	d->sll.sll_protocol = htons(ETH_P_ALL);
	d->sll.sll_ifindex = (int)idx;
	if (bind(d->fd, (struct sockaddr *)&d->sll, sizeof(d->sll)) == -1)
		return -1;
	/* Frames to our own (random) MAC: replies and ARP for the lease. */
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)idx;
	mr.mr_type = PACKET_MR_PROMISC;
	setsockopt(d->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
	return 0;
}

/* Send m from `mac`: unicast to the server when bound and asked, else
 * broadcast.  0, or -1. */
static int
dh_send(struct dh *d, const uint8_t mac[6], const struct dhcp_client_msg *m,
    bool unicast)
{
	static const uint8_t bmac[6] = { 255, 255, 255, 255, 255, 255 };
	static const uint8_t bip[4] = { 255, 255, 255, 255 };
	uint8_t msg[600], frame[1024];
	size_t n, nf;

	if ((n = dhcp_build_client(msg, sizeof(msg), m)) == 0)
		return -1;
	nf = ip_build_udp4_frame(frame, sizeof(frame), unicast ?
	    d->server_mac : bmac, mac, m->ciaddr, unicast ? d->server : bip,
	    DHCP_CLIENT_PORT, DHCP_SERVER_PORT, msg, n);
	if (nf == 0)
		return -1;
	return send(d->fd, frame, nf, 0) == (ssize_t)nf ? 0 : -1;
}

/* Answer an ARP request for the leased address, as its owner would. */
static void
dh_arp(struct dh *d, const uint8_t *f, size_t n)
{
	uint8_t r[42];

	if (!d->bound || n < 42 || f[20] != 0 || f[21] != 1 ||
	    memcmp(f + 38, d->addr, 4) != 0)
		return;
	memcpy(r, f + 6, 6);			/* to the asker */
	memcpy(r + 6, d->mac, 6);
	r[12] = 0x08;
	r[13] = 0x06;
	memcpy(r + 14, f + 14, 6);		/* htype ptype hlen plen */
	r[20] = 0;
	r[21] = 2;				/* reply */
	memcpy(r + 22, d->mac, 6);
	memcpy(r + 28, d->addr, 4);
	memcpy(r + 32, f + 22, 10);		/* the asker's MAC and IP */
	(void)send(d->fd, r, sizeof(r), 0);
}

/*
 * Wait until `by` for a reply to xid for `mac` of a type in `types`
 * (bit per type).  1 with *out and the sender's MAC, 0 on timeout.
 */
static int
dh_wait(struct dh *d, uint32_t xid, const uint8_t mac[6], unsigned types,
    double by, struct dhcp_msg *out, uint8_t from_mac[6])
{
	struct pollfd p = { d->fd, POLLIN, 0 };
	uint8_t f[2048];
	struct ip_packet ip;
	double left;
	ssize_t n;

	while ((left = by - qatest_now()) > 0 && !qatest_stopped()) {
		if (poll(&p, 1, (int)ceil(left * 1000)) <= 0)
			continue;
		if ((n = recv(d->fd, f, sizeof(f), 0)) < 14)
			continue;
		if (f[12] == 0x08 && f[13] == 0x06) {
			dh_arp(d, f, (size_t)n);
			continue;
		}
		if (f[12] != 0x08 || f[13] != 0x00 ||
		    ip_decode(0x0800, f + 14, (size_t)n - 14, &ip) == -1 ||
		    !ip.has_udp || ip.udp.sport != DHCP_SERVER_PORT ||
		    ip.udp.dport != DHCP_CLIENT_PORT ||
		    dhcp_parse(ip.udp.payload, ip.udp.len, out) == -1 ||
		    out->op != 2 || out->xid != xid || !out->has_client_mac ||
		    memcmp(out->client_mac, mac, 6) != 0 ||
		    (types & (1u << out->type)) == 0)
			continue;
		memcpy(from_mac, f + 6, 6);
		return 1;
	}
	return 0;
}

static void
dh_msg(struct dhcp_client_msg *m, uint8_t type, const uint8_t mac[6])
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	memcpy(m->mac, mac, 6);
	m->xid = dh_xid();
}

/* DISCOVER until an OFFER (resent every --grace, for up to 5 of them:
 * 2 s and 10 s by default). */
static int
dh_discover(struct dh *d, const uint8_t mac[6], const uint8_t *want,
    struct dhcp_msg *offer, double *delay)
{
	struct dhcp_client_msg m;
	uint8_t from[6];
	double g = d->c->o->grace_s, t0 = qatest_now(), end = t0 + 5 * g;

	dh_msg(&m, DHCPDISCOVER, mac);
	m.broadcast = true;
	if (want != NULL) {
		m.has_requested = true;
		memcpy(m.requested, want, 4);
	}
	while (qatest_now() < end && !qatest_stopped()) {
		m.secs = (uint16_t)(qatest_now() - t0);
		if (dh_send(d, mac, &m, false) == -1)
			return -1;
		if (dh_wait(d, m.xid, mac, 1u << DHCPOFFER, fmin(end,
		    qatest_now() + g), offer, from) == 1) {
			*delay = qatest_now() - t0;
			return 1;
		}
	}
	return 0;
}

static const char *
dh_result(int got, const struct dhcp_msg *m)
{
	return got != 1 ? "silence" : m->type == DHCPACK ? "ack" : "nak";
}

/* A REQUEST and its answer: "ack", "nak" or "silence". */
static const char *
dh_request(struct dh *d, struct dhcp_client_msg *m, bool unicast,
    struct dhcp_msg *ans)
{
	uint8_t from[6];
	int got;

	if (dh_send(d, d->mac, m, unicast) == -1)
		return "send_failed";
	got = dh_wait(d, m->xid, d->mac, 1u << DHCPACK | 1u << DHCPNAK,
	    qatest_now() + DH_WAIT_S(d), ans, from);
	if (got == 1 && ans->type == DHCPACK)
		memcpy(d->server_mac, from, 6);
	return dh_result(got, ans);
}

static void
dh_ip(cJSON *o, const char *k, const uint8_t a[4])
{
	char b[16];

	cJSON_AddStringToObject(o, k, qatest_ip(a, b, sizeof(b)));
}

/* INIT: DISCOVER, OFFER, REQUEST (SELECTING), ACK. */
static int
dh_lease(struct dh *d)
{
	struct dhcp_client_msg m;
	struct dhcp_msg offer, ack;
	const char *res;
	double delay;

	qatest_progress(d->c, "DISCOVER");
	if (dh_discover(d, d->mac, NULL, &offer, &delay) != 1) {
		cJSON_AddStringToObject(d->c->f, "offer", "none");
		return -1;
	}
	cJSON_AddNumberToObject(d->c->f, "offer_delay_s",
	    round(delay * 1000) / 1000);
	d->r.offer_delay_s = delay;
	dh_msg(&m, DHCPREQUEST, d->mac);
	m.broadcast = true;
	m.has_requested = m.has_server_id = true;
	memcpy(m.requested, offer.yiaddr, 4);
	memcpy(m.server_id, offer.server_id, 4);
	res = dh_request(d, &m, false, &ack);
	cJSON_AddStringToObject(d->c->f, "request", res);
	if (strcmp(res, "ack") != 0)
		return -1;
	d->bound = true;
	memcpy(d->addr, ack.yiaddr, 4);
	memcpy(d->server, ack.has_server_id ? ack.server_id : offer.server_id,
	    4);
	d->r.lease_s = ack.has_lease ? ack.lease : 0;
	d->r.t1_s = ack.has_renewal ? ack.renewal : d->r.lease_s / 2;
	d->r.t2_s = ack.has_rebinding ? ack.rebinding :
	    d->r.lease_s * 7 / 8;
	dh_ip(d->c->f, "address", d->addr);
	dh_ip(d->c->f, "server", d->server);
	cJSON_AddNumberToObject(d->c->f, "grace_s", d->c->o->grace_s);
	cJSON_AddNumberToObject(d->c->f, "lease_s", d->r.lease_s);
	cJSON_AddNumberToObject(d->c->f, "t1_s", d->r.t1_s);
	cJSON_AddNumberToObject(d->c->f, "t2_s", d->r.t2_s);
	return 0;
}

static enum rqa_dhcp_step
dh_step(const char *res)
{
	return strcmp(res, "ack") == 0 ? RQA_DHCP_ACK :
	    strcmp(res, "nak") == 0 ? RQA_DHCP_NAK :
	    strcmp(res, "silence") == 0 ? RQA_DHCP_SILENCE : RQA_DHCP_UNTRIED;
}

/* RENEWING (unicast) or REBINDING (broadcast) at `at` after the lease. */
static void
dh_extend(struct dh *d, const char *key, double at, double t_lease,
    bool unicast, enum rqa_dhcp_step *step)
{
	cJSON *o = cJSON_AddObjectToObject(d->c->f, key);
	struct dhcp_client_msg m;
	struct dhcp_msg ans;
	const char *res;

	cJSON_AddNumberToObject(o, "at_s", at);
	if (t_lease + at > d->c->t0 + d->c->max_s - DH_WAIT_S(d)) {
		cJSON_AddStringToObject(o, "result", "not_reached");
		return;
	}
	qatest_progress(d->c, "%s at %.0f s", key, at);
	if (qatest_sleep_until(d->c, t_lease + at) == -1) {
		cJSON_AddStringToObject(o, "result", "stopped");
		return;
	}
	dh_msg(&m, DHCPREQUEST, d->mac);
	memcpy(m.ciaddr, d->addr, 4);
	m.broadcast = false;
	res = dh_request(d, &m, unicast, &ans);
	cJSON_AddStringToObject(o, "result", res);
	*step = dh_step(res);
	if (ans.has_lease && *step == RQA_DHCP_ACK)
		cJSON_AddNumberToObject(o, "lease_s", ans.lease);
}

/* After a restart: is our address offered to another client, and what
 * does an INIT-REBOOT for it get? */
static void
dh_restart(struct dh *d)
{
	cJSON *o = cJSON_AddObjectToObject(d->c->f, "restart");
	struct dhcp_client_msg m;
	struct dhcp_msg offer, ans;
	const char *res;
	uint8_t other[6];
	char ms[18];
	double delay;
	int got;

	if (qatest_hook(d->c, "router_restart", d->c->o->restart_cmd) != 0) {
		cJSON_AddStringToObject(o, "result", "hook_failed");
		return;
	}
	dh_random_mac(other);
	cJSON_AddStringToObject(o, "other_client", mac_format(other, ms));
	qatest_progress(d->c, "another client asks for our address");
	got = dh_discover(d, other, d->addr, &offer, &delay);
	d->r.restarted = true;
	if (got == 1) {
		d->r.other_answered = true;
		dh_ip(o, "other_client_offered", offer.yiaddr);
		d->r.handed_to_other = memcmp(offer.yiaddr, d->addr, 4) == 0;
	} else
		cJSON_AddNullToObject(o, "other_client_offered");
	cJSON_AddBoolToObject(o, "handed_to_other", d->r.handed_to_other);
	dh_msg(&m, DHCPREQUEST, d->mac);
	m.broadcast = true;
	m.has_requested = true;
	memcpy(m.requested, d->addr, 4);
	res = dh_request(d, &m, false, &ans);
	cJSON_AddStringToObject(o, "init_reboot", res);
	d->r.init_reboot = dh_step(res);
}

static void
dh_release(struct dh *d)
{
	struct dhcp_client_msg m;

	dh_msg(&m, DHCPRELEASE, d->mac);
	memcpy(m.ciaddr, d->addr, 4);
	m.has_server_id = true;
	memcpy(m.server_id, d->server, 4);
	cJSON_AddBoolToObject(d->c->f, "released",
	    dh_send(d, d->mac, &m, true) == 0);
}

int
qatest_dhcp(struct qatest_ctx *c)
{
	struct dh d;
	char ms[18];
	double t_lease, renew, rebind;

	memset(&d, 0, sizeof(d));
	d.c = c;
	d.fd = -1;
	if (c->o->iface == NULL) {
		log_warnx("qa test dhcp-time: needs --iface IF: the LAN "
		    "interface to take a lease on");
		return EXIT_USAGE;
	}
	if (dh_open(&d) == -1) {
		log_warn("qa test dhcp-time: packet socket on %s (root, or "
		    "CAP_NET_RAW)", c->o->iface);
		if (d.fd != -1)
			close(d.fd);
		return EXIT_RUNTIME;
	}
	if (c->o->has_mac)
		memcpy(d.mac, c->o->mac, 6);
	else
		dh_random_mac(d.mac);
	cJSON_AddStringToObject(c->f, "mac", mac_format(d.mac, ms));
	if (dh_lease(&d) == 0) {
		t_lease = qatest_now();
		renew = c->o->renew_at_s > 0 ? c->o->renew_at_s : d.r.t1_s;
		rebind = c->o->rebind_at_s > 0 ? c->o->rebind_at_s : d.r.t2_s;
		dh_extend(&d, "renew", renew, t_lease, true, &d.r.renew);
		dh_extend(&d, "rebind", rebind, t_lease, false, &d.r.rebind);
		if (c->o->restart_cmd != NULL && !qatest_stopped())
			dh_restart(&d);
		dh_release(&d);
		d.r.bound = true;
	}
	close(d.fd);
	routerqa_dhcp_judge(&d.r, &c->rep->findings);
	return 0;
}
