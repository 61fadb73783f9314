/*
 * test_check_dhcp.c - the DHCP check of `cyanprobe diagnose` against real
 * sockets: its clock (RFC 2131 backoff, the grace after the first OFFER)
 * and its word on who answered (one server seen, several, which first) as
 * pure functions, then check_dhcp() itself on the loopback of a network
 * namespace of its own (unshare), with a server thread that answers the
 * DISCOVER the way the case needs: only the resent one, late, from two or
 * three servers at different times (within the grace, after it, with a
 * longer --dhcp-grace, while another check still runs), in IP fragments the kernel cuts (the
 * loopback's MTU lowered), or in a first fragment whose rest never comes.
 * Without the right to make a namespace (not root) the socket cases print
 * SKIP; the lab (tests/lab/suite.sh) runs the check against real servers.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dhcp.h"
#include "diagnose.h"
#include "ip.h"
#include "test.h"

/* --- the clock, pure --------------------------------------------------- */

static void
test_clock(void)
{
	expect_int("backoff: first resend after 4 s", 4000,
	    (int)(check_dhcp_backoff(1, 0) * 1000));
	expect_int("backoff: then 8 s", 8000,
	    (int)(check_dhcp_backoff(2, 0) * 1000));
	expect_int("backoff: then 16 s", 16000,
	    (int)(check_dhcp_backoff(3, 0) * 1000));
	expect_int("backoff: at most 64 s", 64000,
	    (int)(check_dhcp_backoff(5, 0) * 1000));
	expect_int("backoff: stays at 64 s", 64000,
	    (int)(check_dhcp_backoff(40, 0) * 1000));
	expect_int("backoff: jitter -1 s", 3000,
	    (int)(check_dhcp_backoff(1, -1) * 1000));
	expect_int("backoff: jitter clamped to +1 s", 9000,
	    (int)(check_dhcp_backoff(2, 7) * 1000));
	expect_int("until: no offer yet, the deadline", 10000,
	    (int)(check_dhcp_until(3, 10, -1, 0.5, true) * 1000));
	expect_int("until: the grace after the first offer", 3500,
	    (int)(check_dhcp_until(3.1, 10, 3, 0.5, false) * 1000));
	expect_int("until: the grace with others done", 3500,
	    (int)(check_dhcp_until(3.6, 10, 3, 0.5, false) * 1000));
	expect_int("until: longer while others run", 4050,
	    (int)(check_dhcp_until(4, 10, 3, 0.5, true) * 1000));
	expect_int("until: a longer grace (--dhcp-grace 5)", 8000,
	    (int)(check_dhcp_until(3.1, 10, 3, 5, false) * 1000));
	expect_int("until: others done inside a longer grace", 8000,
	    (int)(check_dhcp_until(4, 10, 3, 5, true) * 1000));
	expect_int("until: others running past the deadline stop there",
	    10000, (int)(check_dhcp_until(9.99, 10, 9.3, 0.5, true) * 1000));
	expect_int("until: the grace kept whole past the deadline", 10300,
	    (int)(check_dhcp_until(9.9, 10, 9.8, 0.5, false) * 1000));
	expect_int("until: a long grace after a late offer", 14000,
	    (int)(check_dhcp_until(9.1, 10, 9, 5, true) * 1000));
}

/* --- who answered, pure ------------------------------------------------ */

static struct check_dhcp_answer
ans(uint8_t srv, uint8_t yi, double ms, bool nak)
{
	struct check_dhcp_answer a = { { 192, 168, 77, srv },
	    { 192, 168, 77, yi }, ms, nak };

	return a;
}

static void
test_servers(void)
{
	struct check_dhcp_answer a[4] = { { { 0 }, { 0 }, 0, false } };
	char ev[FINDING_EVIDENCE_MAX];

	expect_int("servers: no answer, no finding", FINDING_COUNT,
	    check_dhcp_servers(a, 0, 0, false, ev, sizeof(ev)));
	a[0] = ans(1, 50, 3300, false);
	expect_int("servers: one, seen as one only", FINDING_DHCP_ONE_SERVER_SEEN,
	    check_dhcp_servers(a, 1, 512, false, ev, sizeof(ev)));
	expect_str("servers: one, with how long the probe listened",
	    "only 192.168.77.1 answered; the probe listened 0.5 s after its "
	    "offer, so a second DHCP server (a rogue or a forgotten router) "
	    "answering later than that would not be seen: --dhcp-grace 5 "
	    "listens longer", ev);
	expect_int("servers: one, cut by a signal", FINDING_DHCP_ONE_SERVER_SEEN,
	    check_dhcp_servers(a, 1, 1200, true, ev, sizeof(ev)));
	expect_str("servers: one, the listening cut short said",
	    "only 192.168.77.1 answered; the probe listened 1.2 s after its "
	    "offer before a signal (Ctrl-C) cut the listening short, so a "
	    "second DHCP server (a rogue or a forgotten router) answering "
	    "later than that would not be seen: --dhcp-grace 5 listens "
	    "longer", ev);
	a[1] = ans(1, 0, 3400, true);
	expect_int("servers: an offer and a NAK from one server is one",
	    FINDING_DHCP_ONE_SERVER_SEEN, check_dhcp_servers(a, 2, 4000, false, ev,
	    sizeof(ev)));
	expect_int("servers: only a NAK, no word on servers", FINDING_COUNT,
	    check_dhcp_servers(&a[1], 1, 0, false, ev, sizeof(ev)));
	/* The mixed LAN: a udhcpd rogue first, the router's dnsmasq 3 s on. */
	a[0] = ans(2, 60, 2100, false);
	a[1] = ans(1, 50, 3300, false);
	expect_int("servers: two", FINDING_DHCP_MULTIPLE_SERVERS,
	    check_dhcp_servers(a, 2, 5000, false, ev, sizeof(ev)));
	expect_str("servers: both named, the first offer marked",
	    "2 DHCP servers answered: 192.168.77.2 offered 192.168.77.60 "
	    "after 2.1 s (the first offer: the one a device likely takes); "
	    "192.168.77.1 offered 192.168.77.50 after 3.3 s", ev);
	check_dhcp_servers(a, 2, 1500, true, ev, sizeof(ev));
	test_cond("servers: two, cut by a signal: there may be more",
	    strstr(ev, "after 3.3 s (listening cut short by a signal 1.5 s "
	    "after the first offer: there may be more)") != NULL);
	/* A NAK first: the first offer is the other server's. */
	a[0] = ans(3, 0, 100, true);
	a[1] = ans(1, 50, 200, false);
	a[2] = ans(2, 60, 3000, false);
	expect_int("servers: three", FINDING_DHCP_MULTIPLE_SERVERS,
	    check_dhcp_servers(a, 3, 500, false, ev, sizeof(ev)));
	expect_str("servers: a NAK is no offer to take",
	    "3 DHCP servers answered: 192.168.77.3 sent a NAK after 0.1 s; "
	    "192.168.77.1 offered 192.168.77.50 after 0.2 s (the first offer: "
	    "the one a device likely takes); 192.168.77.2 offered "
	    "192.168.77.60 after 3.0 s", ev);
}

/* --- a server on the loopback ------------------------------------------ */

#define SERVERS_MAX	3

/* What the server thread does; one entry per answering server. */
struct answer {
	uint8_t	 id;		/* server 127.0.0.<id> (option 54) */
	double	 after;		/* seconds after the DISCOVER it answers */
	size_t	 pad;		/* bytes of filler before option 6 */
	bool	 first_piece;	/* send only the first IP fragment */
};

struct server {
	int		 fd;		/* UDP 67 */
	int		 raw;		/* for first_piece */
	unsigned	 ignore;	/* DISCOVERs to leave unanswered */
	struct answer	 ans[SERVERS_MAX];
	size_t		 nans;
	double		 stop;		/* diag_now() to give up */
	atomic_bool	 done;		/* the check has ended */
	/* seen */
	atomic_uint	 discovers;
	uint32_t	 xid[4];	/* of the first four */
	uint16_t	 secs[4];
	uint32_t	 last_xid;
	pthread_t	 tid;
};

static const uint8_t client_mac[6] = { 0x02, 0xc7, 0xa0, 0x00, 0x00, 0x42 };

static void
put(uint8_t *b, size_t *n, const void *p, size_t len)
{
	memcpy(b + *n, p, len);
	*n += len;
}

static void
opt(uint8_t *b, size_t *n, uint8_t code, const void *p, uint8_t len)
{
	b[(*n)++] = code;
	b[(*n)++] = len;
	put(b, n, p, len);
}

/*
 * An OFFER from 127.0.0.<id> to our xid and MAC, naming a router and a DNS
 * server, with `pad` bytes of a private option (224) before option 6, so
 * that a large `pad` puts the DNS server into a later fragment.
 */
static size_t
build_offer(uint8_t *b, size_t size, uint32_t xid, uint8_t id, size_t pad)
{
	uint8_t type = DHCPOFFER, srv[4] = { 127, 0, 0, id };
	uint8_t mask[4] = { 255, 255, 255, 0 }, rt[4] = { 192, 0, 2, 1 };
	uint8_t dns[4] = { 192, 0, 2, 53 }, lease[4] = { 0, 0, 0x0e, 0x10 };
	uint8_t fill[255];
	uint32_t be;
	size_t n = 0, k;

	memset(b, 0, size);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	be = htonl(xid);
	memcpy(b + 4, &be, 4);
	b[10] = 0x80;
	b[16] = 192, b[17] = 0, b[18] = 2, b[19] = 100 + id;	/* yiaddr */
	memcpy(b + 28, client_mac, 6);
	n = DHCP_FIXED_LEN;
	be = htonl(DHCP_MAGIC);
	put(b, &n, &be, 4);
	opt(b, &n, DHO_MESSAGE_TYPE, &type, 1);
	opt(b, &n, DHO_SERVER_ID, srv, 4);
	opt(b, &n, DHO_SUBNET_MASK, mask, 4);
	opt(b, &n, DHO_ROUTERS, rt, 4);
	opt(b, &n, DHO_LEASE_TIME, lease, 4);
	memset(fill, 'x', sizeof(fill));
	for (k = pad; k > 0; ) {
		uint8_t l = k > 255 ? 255 : (uint8_t)k;

		opt(b, &n, 224, fill, l);
		k -= l;
	}
	opt(b, &n, DHO_DOMAIN_NAME_SERVERS, dns, 4);
	b[n++] = DHO_END;
	return n;
}

/* Send only the first fragment of the UDP datagram, through a raw socket. */
static void
send_first_piece(struct server *s, const uint8_t *msg, size_t len)
{
	uint8_t pkt[1500];
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t first = 512;	/* UDP bytes in the piece: a multiple of 8 */
	uint16_t v;

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(pkt, 0, 28);
	pkt[0] = 0x45;
	v = htons((uint16_t)(20 + first));
	memcpy(pkt + 2, &v, 2);
	v = htons(0x4242);
	memcpy(pkt + 4, &v, 2);
	v = htons(0x2000);			/* MF, offset 0 */
	memcpy(pkt + 6, &v, 2);
	pkt[8] = 64;
	pkt[9] = IP_PROTO_UDP;
	pkt[12] = 127, pkt[15] = 1;
	pkt[16] = 127, pkt[19] = 1;
	v = ip_checksum(pkt, 20);
	memcpy(pkt + 10, &v, 2);		/* already in network order */
	v = htons(DHCP_SERVER_PORT);
	memcpy(pkt + 20, &v, 2);
	v = htons(DHCP_CLIENT_PORT);
	memcpy(pkt + 22, &v, 2);
	v = htons((uint16_t)(8 + len));
	memcpy(pkt + 24, &v, 2);
	memcpy(pkt + 28, msg, first - 8);
	(void)sendto(s->raw, pkt, 20 + first, 0, (struct sockaddr *)&to,
	    sizeof(to));
}

static void
answer(struct server *s, const struct answer *a, uint32_t xid)
{
	uint8_t msg[2048];
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t n = build_offer(msg, sizeof(msg), xid, a->id, a->pad);

	if (a->first_piece) {
		send_first_piece(s, msg, n);
		return;
	}
	to.sin_port = htons(DHCP_CLIENT_PORT);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)sendto(s->fd, msg, n, 0, (struct sockaddr *)&to, sizeof(to));
}

static void *
server_main(void *arg)
{
	struct server *s = arg;
	uint8_t buf[2048];
	struct dhcp_msg m;
	double at = 0;
	bool due[SERVERS_MAX] = { false };
	size_t i;
	ssize_t n;

	while (diag_now() < s->stop && !atomic_load(&s->done)) {
		struct pollfd pfd = { s->fd, POLLIN, 0 };

		(void)poll(&pfd, 1, 10);
		while ((n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			if (dhcp_parse(buf, (size_t)n, &m) == -1 ||
			    m.type != DHCPDISCOVER ||
			    memcmp(m.client_mac, client_mac, 6) != 0)
				continue;
			if (s->discovers < 4) {
				s->xid[s->discovers] = m.xid;
				s->secs[s->discovers] = m.secs;
			}
			s->last_xid = m.xid;
			if (s->discovers++ < s->ignore)
				continue;
			at = diag_now();
			for (i = 0; i < s->nans; i++)
				due[i] = true;
		}
		for (i = 0; i < s->nans; i++)
			if (due[i] && diag_now() >= at + s->ans[i].after) {
				answer(s, &s->ans[i], s->last_xid);
				due[i] = false;
			}
	}
	return NULL;
}

static int
server_start(struct server *s, double stop_after)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int one = 1, dont = IP_PMTUDISC_DONT;

	s->fd = socket(AF_INET, SOCK_DGRAM, 0);
	s->raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	sin.sin_port = htons(DHCP_SERVER_PORT);
	if (s->fd == -1 || s->raw == -1 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    /* Let the kernel cut a large OFFER into fragments. */
	    setsockopt(s->fd, IPPROTO_IP, IP_MTU_DISCOVER, &dont,
	    sizeof(dont)) == -1 ||
	    bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return -1;
	s->stop = diag_now() + stop_after;
	return pthread_create(&s->tid, NULL, server_main, s) == 0 ? 0 : -1;
}

static void
server_stop(struct server *s)
{
	pthread_join(s->tid, NULL);
	close(s->fd);
	close(s->raw);
}

/* The loopback of a namespace of our own, up, with this MTU. */
static int
netns_lo(int mtu)
{
	struct ifreq ifr;
	int fd, rc;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ifr.ifr_mtu = mtu;
	rc = ioctl(fd, SIOCSIFMTU, &ifr);
	if (rc == 0 && (rc = ioctl(fd, SIOCGIFFLAGS, &ifr)) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

/* Another check, running for `for_s` seconds: d->running as diagnose_run
 * keeps it (the DHCP check counts itself). */
struct busy {
	struct diag	*d;
	double		 for_s;
	pthread_t	 tid;
};

static void
busy_set(struct diag *d, int n)
{
	pthread_mutex_lock(&d->mu);
	d->running = n;
	pthread_mutex_unlock(&d->mu);
}

static void *
busy_main(void *arg)
{
	struct busy *b = arg;
	struct timespec ts = { (time_t)b->for_s,
	    (long)((b->for_s - (double)(time_t)b->for_s) * 1e9) };

	nanosleep(&ts, NULL);
	busy_set(b->d, 1);
	return NULL;
}

/*
 * Ctrl-C in diagnose: once the first OFFER was published (STOP_AFTER_OFFER)
 * or the server saw a DISCOVER (STOP_AFTER_DISCOVER), diag_request_stop(),
 * as diagnose_run does on a signal.  Waits for the event, never a fixed
 * time; gives up (no stop) after `limit` seconds.
 */
enum { STOP_NONE, STOP_AFTER_OFFER, STOP_AFTER_DISCOVER };

struct stopper {
	struct diag	*d;
	struct server	*s;
	int		 when;
	double		 limit;
	pthread_t	 tid;
	atomic_bool	 stopped;	/* the stop was asked */
};

static void *
stopper_main(void *arg)
{
	struct stopper *st = arg;
	struct timespec tick = { 0, 5000000 };
	double until = diag_now() + st->limit;
	bool now = false;

	while (!now && diag_now() < until) {
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&st->d->mu);
		now = st->when == STOP_AFTER_OFFER ? st->d->dhcp_offer :
		    atomic_load(&st->s->discovers) > 0;
		pthread_mutex_unlock(&st->d->mu);
	}
	if (now) {
		diag_request_stop(st->d);
		atomic_store(&st->stopped, true);
	}
	return NULL;
}

/*
 * Run check_dhcp() on lo, window seconds, --dhcp-grace grace (0: the
 * default), against server s, while another check runs for busy_s seconds
 * (0: none), stopped by a signal as `stop` says (STOP_NONE: not).
 */
static void
run_check_stop(struct server *s, double window, double grace, double busy_s,
    int stop, struct check_result *res)
{
	struct diag_opts o;
	struct diag d;
	struct busy b = { &d, busy_s, 0 };
	struct stopper st = { &d, s, stop, window + grace, 0, false };

	diag_opts_init(&o);
	o.dhcp_window = window;
	o.dhcp_grace = grace;
	o.has_mac = true;
	memcpy(o.mac, client_mac, 6);
	diag_init(&d, &o);
	d.have_iface = true;
	snprintf(d.ifname, sizeof(d.ifname), "lo");
	d.ifindex = (int)if_nametoindex("lo");
	memset(res, 0, sizeof(*res));
	res->name = "dhcp";
	findings_init(&res->findings);
	if (server_start(s, window + grace + busy_s + 0.5) == -1) {
		test_cond("server: socket on UDP 67", false);
		diag_fini(&d);
		return;
	}
	busy_set(&d, busy_s > 0 ? 2 : 1);
	if (busy_s > 0 && pthread_create(&b.tid, NULL, busy_main, &b) != 0) {
		test_cond("busy: a thread", false);
		busy_s = 0;
		busy_set(&d, 1);
	}
	if (stop != STOP_NONE && pthread_create(&st.tid, NULL, stopper_main,
	    &st) != 0) {
		test_cond("stopper: a thread", false);
		stop = STOP_NONE;
	}
	check_dhcp(&d, res);
	if (busy_s > 0)
		pthread_join(b.tid, NULL);
	if (stop != STOP_NONE) {
		pthread_join(st.tid, NULL);
		test_cond("stopper: the stop was asked",
		    atomic_load(&st.stopped));
	}
	atomic_store(&s->done, true);
	server_stop(s);
	diag_fini(&d);
}

static void
run_check_with(struct server *s, double window, double grace, double busy_s,
    struct check_result *res)
{
	run_check_stop(s, window, grace, busy_s, STOP_NONE, res);
}

static void
run_check(struct server *s, double window, struct check_result *res)
{
	run_check_with(s, window, 0, 0, res);
}

static double
num(const cJSON *f, const char *path)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(f, path);

	return cJSON_IsNumber(j) ? j->valuedouble : -1;
}

static const cJSON *
offer_n(const cJSON *f, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f,
	    "offers"), i);
}

/* The first DISCOVER lost: the resent one, same xid, gets the OFFER. */
static void
test_resend(void)
{
	struct server s = { .ignore = 1, .nans = 1,
	    .ans = { { 1, 0, 0, false } } };
	struct check_result res;
	const cJSON *sent;
	const char *slow = NULL;
	char want[80];
	size_t i;

	/*
	 * The window is long, so that a loaded machine's late wake-ups keep
	 * inside it, and so that listening on to its end (the bug the grace
	 * check below guards) would take seconds more than the grace.  The
	 * upper bounds lie halfway to what a bug would give (the next
	 * backoff step at 8 s, the end of the window): the machine's speed
	 * is not what they judge.
	 */
	run_check(&s, 12, &res);
	expect_int("resend: two DISCOVERs seen", 2, s.discovers);
	test_cond("resend: the same xid", s.xid[0] == s.xid[1]);
	test_cond("resend: secs counts from the first",
	    s.secs[0] == 0 && s.secs[1] >= 3 && s.secs[1] <= 6);
	expect_int("resend: one server", 1, num(res.facts, "servers"));
	expect_int("resend: discovers", 2, num(res.facts, "discovers"));
	sent = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res.facts,
	    "discover_ms"), 1);
	test_cond("resend: after 4 +- 1 s", cJSON_IsNumber(sent) &&
	    sent->valuedouble >= 2950 && sent->valuedouble <= 6500);
	test_cond("resend: no dhcp.no_offer",
	    !findings_has(&res.findings, FINDING_DHCP_NO_OFFER));
	test_cond("resend: the late offer is a slow one",
	    findings_has(&res.findings, FINDING_DHCP_SLOW_OFFER));
	test_cond("resend: slow is not a failure", !res.failed);
	/* The evidence gives the delay measured, as the facts have it. */
	snprintf(want, sizeof(want), "came %.1f s after the first DISCOVER "
	    "(2 sent)", num(res.facts, "first_offer_ms") / 1000);
	for (i = 0; i < res.findings.n; i++)
		if (res.findings.item[i].id == FINDING_DHCP_SLOW_OFFER)
			slow = res.findings.item[i].evidence;
	test_cond("resend: slow_offer names the measured delay",
	    slow != NULL && strstr(slow, want) != NULL);
	if (slow != NULL && strstr(slow, want) == NULL)
		printf("     '%s' lacks '%s'\n", slow, want);
	test_cond("resend: one server seen, said so (info)",
	    findings_has(&res.findings, FINDING_DHCP_ONE_SERVER_SEEN));
	test_cond("resend: the listened window in the facts",
	    num(res.facts, "listened_after_offer_ms") >= 495 &&
	    num(res.facts, "listened_after_offer_ms") < 3000);
	cJSON_Delete(res.facts);
}

/*
 * Three servers: at once, 0.1 s later (inside the 0.5 s grace) and 4 s
 * later (long after it).  The check keeps the first two, and stops
 * listening well before the third, long before the deadline (8 s).  The
 * gaps are wide so that a loaded machine's late wake-ups do not move a
 * server across the grace's end.
 */
static void
test_grace(void)
{
	struct server s = { .nans = 3, .ans = { { 1, 0, 0, false },
	    { 2, 0.1, 0, false }, { 3, 4.0, 0, false } } };
	struct check_result res;
	double first, listened;

	run_check(&s, 8, &res);
	expect_int("grace: one DISCOVER", 1, num(res.facts, "discovers"));
	expect_int("grace: two servers kept", 2, num(res.facts, "servers"));
	test_cond("grace: dhcp.multiple_servers",
	    findings_has(&res.findings, FINDING_DHCP_MULTIPLE_SERVERS));
	test_cond("grace: a prompt server is not slow",
	    !findings_has(&res.findings, FINDING_DHCP_SLOW_OFFER));
	first = num(res.facts, "first_offer_ms");
	listened = num(res.facts, "listened_ms");
	test_cond("grace: ended after the grace, before the third server",
	    first >= 0 && listened >= first + 450 && listened < 3900);
	test_cond("grace: listened_after_offer_ms is the grace",
	    num(res.facts, "listened_after_offer_ms") >= 495 &&
	    num(res.facts, "listened_after_offer_ms") ==
	    listened - first);
	test_cond("grace: two servers is no 'one server seen'",
	    !findings_has(&res.findings, FINDING_DHCP_ONE_SERVER_SEEN));
	test_cond("grace: the first offer named first",
	    strstr(res.findings.item[0].evidence, "127.0.0.1 offered "
	    "192.0.2.101 after ") != NULL && strstr(res.findings.item[0].
	    evidence, "(the first offer: the one a device likely takes); "
	    "127.0.0.2 offered 192.0.2.102") != NULL);
	cJSON_Delete(res.facts);
}

/*
 * A second server 2 s after the first (a stock dnsmasq beside kea):
 * --dhcp-grace 3 waits for it.
 */
static void
test_user_grace(void)
{
	struct server s = { .nans = 2, .ans = { { 1, 0, 0, false },
	    { 2, 2.0, 0, false } } };
	struct check_result res;

	run_check_with(&s, 12, 3, 0, &res);
	expect_int("user grace: two servers", 2, num(res.facts, "servers"));
	test_cond("user grace: dhcp.multiple_servers",
	    findings_has(&res.findings, FINDING_DHCP_MULTIPLE_SERVERS));
	expect_int("user grace: grace_s in the facts", 3000,
	    (int)(num(res.facts, "grace_s") * 1000));
	/* Halfway to the deadline (12 s): a loaded machine is no bug. */
	test_cond("user grace: listened the 3 s, not the deadline",
	    num(res.facts, "listened_after_offer_ms") >= 2995 &&
	    num(res.facts, "listened_ms") < 7500);
	cJSON_Delete(res.facts);
}

/*
 * The same late server with the default grace, but another check still
 * running for 2 s: the DHCP check listens on meanwhile and catches it,
 * then stops soon after that check ends.
 */
static void
test_busy(void)
{
	struct server s = { .nans = 2, .ans = { { 1, 0, 0, false },
	    { 2, 1.2, 0, false } } };
	struct check_result res;
	double listened;

	run_check_with(&s, 10, 0, 2.0, &res);
	listened = num(res.facts, "listened_ms");
	expect_int("busy: two servers", 2, num(res.facts, "servers"));
	test_cond("busy: dhcp.multiple_servers",
	    findings_has(&res.findings, FINDING_DHCP_MULTIPLE_SERVERS));
	/* "No longer": well before the deadline (10 s), halfway to it. */
	test_cond("busy: listened while the other check ran, no longer",
	    listened >= 1950 && listened < 6000);
	test_cond("busy: listened_after_offer_ms counts it",
	    num(res.facts, "listened_after_offer_ms") >= 1400);
	cJSON_Delete(res.facts);
}

/*
 * Ctrl-C during a long --dhcp-grace (30 s): the check ends at once and
 * judges the offer it has (the DHCP stage seen, one server seen, the
 * listening cut short said), instead of being lost as interrupted.
 */
static void
test_stop_in_grace(void)
{
	struct server s = { .nans = 1, .ans = { { 1, 0, 0, false } } };
	struct check_result res;

	run_check_stop(&s, 6, 30, 0, STOP_AFTER_OFFER, &res);
	expect_int("stop in grace: the offer kept", 1,
	    num(res.facts, "servers"));
	expect_str("stop in grace: from the server", "127.0.0.1",
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(offer_n(
	    res.facts, 0), "server")));
	test_cond("stop in grace: facts say interrupted", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(res.facts, "interrupted")));
	test_cond("stop in grace: ended long before the 30 s grace",
	    num(res.facts, "listened_after_offer_ms") >= 0 &&
	    num(res.facts, "listened_after_offer_ms") < 20000);
	test_cond("stop in grace: judged, not interrupted", !res.interrupted &&
	    !res.failed && !res.skipped);
	test_cond("stop in grace: the DHCP stage seen",
	    (res.seen & STAGE_BIT(STAGE_DHCP)) != 0);
	test_cond("stop in grace: one server seen, cut short said",
	    findings_has(&res.findings, FINDING_DHCP_ONE_SERVER_SEEN) &&
	    strstr(res.findings.item[res.findings.n - 1].evidence,
	    "cut the listening short") != NULL);
	cJSON_Delete(res.facts);
}

/* Ctrl-C before any offer: no verdict (no dhcp.no_offer), interrupted. */
static void
test_stop_before_offer(void)
{
	struct server s = { .nans = 0 };
	struct check_result res;

	run_check_stop(&s, 10, 0, 0, STOP_AFTER_DISCOVER, &res);
	test_cond("stop before offer: shown interrupted", res.interrupted);
	expect_int("stop before offer: no finding", 0, (int)res.findings.n);
	test_cond("stop before offer: nothing seen", res.seen == 0);
	test_cond("stop before offer: facts say interrupted", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(res.facts, "interrupted")));
	test_cond("stop before offer: well before the 10 s deadline",
	    num(res.facts, "listened_ms") >= 0 &&
	    num(res.facts, "listened_ms") < 8000);
	expect_int("stop before offer: the DISCOVER in the facts", 1,
	    num(res.facts, "discovers"));
	cJSON_Delete(res.facts);
}

/* Nobody answers: dhcp.no_offer at the deadline. */
static void
test_silence(void)
{
	struct server s = { .nans = 0 };
	struct check_result res;

	run_check(&s, 1, &res);
	test_cond("silence: dhcp.no_offer",
	    findings_has(&res.findings, FINDING_DHCP_NO_OFFER) && res.failed);
	expect_int("silence: one DISCOVER before the deadline", 1,
	    num(res.facts, "discovers"));
	test_cond("silence: listened to the deadline",
	    num(res.facts, "listened_ms") >= 990);
	cJSON_Delete(res.facts);
}

/*
 * An OFFER of about 900 bytes over a 576-byte MTU: the kernel sends it in
 * two fragments, option 6 in the second.  Reassembled, it names its DNS
 * server; judged from the first piece it would be dhcp.no_dns.
 */
static void
test_fragments(void)
{
	struct server s = { .nans = 1, .ans = { { 1, 0, 600, false } } };
	struct check_result res;
	const cJSON *o, *dns;

	if (netns_lo(576) == -1) {
		test_cond("fragments: loopback MTU 576", false);
		return;
	}
	run_check(&s, 5, &res);
	o = offer_n(res.facts, 0);
	dns = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "dns"),
	    0);
	test_cond("fragments: the offer came",
	    num(res.facts, "servers") == 1 && o != NULL);
	test_cond("fragments: marked as reassembled", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(o, "fragmented")));
	expect_str("fragments: the DNS server from the second piece",
	    "192.0.2.53", cJSON_GetStringValue(dns));
	test_cond("fragments: no dhcp.no_dns",
	    !findings_has(&res.findings, FINDING_DHCP_NO_DNS));
	test_cond("fragments: not truncated", cJSON_GetObjectItemCaseSensitive(
	    o, "truncated") == NULL);
	cJSON_Delete(res.facts);
}

/* Only the first fragment ever comes: kept, marked, not judged missing. */
static void
test_first_piece(void)
{
	struct server s = { .nans = 1, .ans = { { 1, 0, 600, true } } };
	struct check_result res;
	const cJSON *o;

	/* It waits for the rest to the window's end: 2 s, kept short, and
	 * still twice what the piece, sent at once, needs on a loaded machine. */
	run_check(&s, 2, &res);
	o = offer_n(res.facts, 0);
	test_cond("first piece: the offer is kept", o != NULL &&
	    num(res.facts, "servers") == 1);
	test_cond("first piece: marked truncated", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(o, "truncated")));
	test_cond("first piece: the router, in the first piece, is read",
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o,
	    "routers")) == 1);
	test_cond("first piece: no dhcp.no_dns from a part",
	    !findings_has(&res.findings, FINDING_DHCP_NO_DNS));
	test_cond("first piece: no dhcp.no_offer",
	    !findings_has(&res.findings, FINDING_DHCP_NO_OFFER));
	cJSON_Delete(res.facts);
}

int
main(void)
{
	test_clock();
	test_servers();
	if (unshare(CLONE_NEWNET) == -1 || netns_lo(65536) == -1) {
		printf("SKIP test_check_dhcp: no network namespace of our own "
		    "(%s): the socket cases need root\n", strerror(errno));
		return test_report();
	}
	test_silence();
	test_grace();
	test_user_grace();
	test_busy();
	test_stop_in_grace();
	test_stop_before_offer();
	test_first_piece();
	test_fragments();
	test_resend();
	return test_report();
}
