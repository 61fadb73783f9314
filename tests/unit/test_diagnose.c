/*
 * test_diagnose.c - the pure and socket-level pieces of `cyanprobe
 * diagnose`: resolv.conf parsing, HOST[:PORT] splitting, NTP reply
 * validation, and the direct DNS resolver against a real UDP server on the
 * loopback that drops, forges and answers as told.  The checks as a whole
 * run against real components in tests/lab/suite.sh.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "diagnose.h"
#include "dns.h"
#include "test.h"

static void
test_resolv(void)
{
	struct in_addr a[4];
	char buf[64];
	const char *t1 =
	    "# generated\n"
	    "search lan\n"
	    "nameserver 192.168.1.1\n"
	    "nameserver\t10.0.0.53  # trailing comment\n"
	    "nameserver fe80::1%eth0\n"
	    "  nameserver 9.9.9.9\n"
	    "nameserverx 1.1.1.1\n"
	    "nameserver\n"
	    "nameserver 300.1.1.1\n"
	    "nameserver 8.8.8.8";	/* no newline at the end */
	size_t n;

	n = check_dns_parse_resolv(t1, strlen(t1), a, 4);
	expect_int("resolv: four IPv4 servers", 4, n);
	expect_str("resolv: first", "192.168.1.1",
	    inet_ntop(AF_INET, &a[0], buf, sizeof(buf)));
	expect_str("resolv: tab and comment", "10.0.0.53",
	    inet_ntop(AF_INET, &a[1], buf, sizeof(buf)));
	expect_str("resolv: leading blanks", "9.9.9.9",
	    inet_ntop(AF_INET, &a[2], buf, sizeof(buf)));
	expect_str("resolv: last line without newline", "8.8.8.8",
	    inet_ntop(AF_INET, &a[3], buf, sizeof(buf)));
	expect_int("resolv: max is kept", 2,
	    check_dns_parse_resolv(t1, strlen(t1), a, 2));
	expect_int("resolv: empty", 0, check_dns_parse_resolv("", 0, a, 4));
	expect_int("resolv: NULL", 0, check_dns_parse_resolv(NULL, 0, a, 4));
	/* A NUL inside the text does not end it. */
	memcpy(buf, "x\0y\nnameserver 1.2.3.4\n", 24);
	expect_int("resolv: NUL byte", 1, check_dns_parse_resolv(buf, 24, a,
	    4));
}

static void
test_ntp(void)
{
	uint8_t r[48], xmit[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, st = 99;

	memset(r, 0, sizeof(r));
	r[0] = 4 << 3 | 4;	/* v4, server */
	r[1] = 2;
	memcpy(r + 24, xmit, 8);
	test_cond("ntp: a server reply echoing our time",
	    check_ntp_reply_ok(r, sizeof(r), xmit, &st));
	expect_int("ntp: stratum", 2, st);
	test_cond("ntp: 47 bytes is short",
	    !check_ntp_reply_ok(r, 47, xmit, &st));
	r[24] ^= 1;
	test_cond("ntp: another origin is not our answer",
	    !check_ntp_reply_ok(r, sizeof(r), xmit, &st));
	r[24] ^= 1;
	r[0] = 4 << 3 | 3;
	test_cond("ntp: a client packet is no reply",
	    !check_ntp_reply_ok(r, sizeof(r), xmit, &st));
	r[0] = 0 << 3 | 4;
	test_cond("ntp: version 0", !check_ntp_reply_ok(r, sizeof(r), xmit,
	    &st));
	r[0] = 3 << 3 | 4;
	r[1] = 16;
	test_cond("ntp: stratum 16 is unsynchronised",
	    !check_ntp_reply_ok(r, sizeof(r), xmit, &st));
	test_cond("ntp: NULL", !check_ntp_reply_ok(NULL, 0, xmit, &st));
}

/* --- a real DNS server on the loopback -------------------------------- */

enum srv_mode {
	SRV_ANSWER,		/* answer every query with A 192.0.2.7 */
	SRV_DROP_FIRST,		/* ignore the first query of each name */
	SRV_FORGE_FIRST,	/* first a reply with a wrong id, then answer */
	SRV_NXDOMAIN,		/* NXDOMAIN for everything */
	SRV_SILENT,		/* read and never answer */
	SRV_TRUNCATED		/* NOERROR, TC set, no answers (too big) */
};

struct srv {
	int		fd;
	uint16_t	port;
	enum srv_mode	mode;
	int		seen;
	volatile bool	stop;
	pthread_t	tid;
};

static size_t
make_reply(const uint8_t *q, size_t qlen, uint8_t *r, size_t size,
    uint8_t rcode, bool answer)
{
	static const uint8_t rr[] = {
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7
	};
	size_t n = qlen;

	if (qlen < 12 || qlen + sizeof(rr) > size)
		return 0;
	memcpy(r, q, qlen);
	r[2] = 0x81;		/* QR, RD */
	r[3] = (uint8_t)(0x80 | rcode);	/* RA */
	if (answer) {
		r[7] = 1;	/* ANCOUNT */
		memcpy(r + n, rr, sizeof(rr));
		n += sizeof(rr);
	}
	return n;
}

static void *
srv_main(void *arg)
{
	struct srv *s = arg;
	struct sockaddr_in from;
	uint8_t q[512], r[600];
	socklen_t fl;
	ssize_t n;
	size_t rl;

	while (!s->stop) {
		struct pollfd pfd = { s->fd, POLLIN, 0 };

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		fl = sizeof(from);
		n = recvfrom(s->fd, q, sizeof(q), 0, (struct sockaddr *)&from,
		    &fl);
		if (n < 12)
			continue;
		s->seen++;
		switch (s->mode) {
		case SRV_SILENT:
			continue;
		case SRV_DROP_FIRST:
			if (s->seen == 1)
				continue;
			break;
		case SRV_FORGE_FIRST:
			rl = make_reply(q, (size_t)n, r, sizeof(r), 0, true);
			r[0] ^= 0xff;
			sendto(s->fd, r, rl, 0, (struct sockaddr *)&from, fl);
			break;
		default:
			break;
		}
		rl = make_reply(q, (size_t)n, r, sizeof(r),
		    s->mode == SRV_NXDOMAIN ? DNS_RCODE_NXDOMAIN : 0,
		    s->mode != SRV_NXDOMAIN && s->mode != SRV_TRUNCATED);
		if (s->mode == SRV_TRUNCATED && rl > 0)
			r[2] |= 0x02;	/* TC: the answer did not fit */
		sendto(s->fd, r, rl, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static int
srv_start(struct srv *s, enum srv_mode mode)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	memset(s, 0, sizeof(*s));
	s->mode = mode;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s->fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(s->fd, (struct sockaddr *)&sin, &sl) == -1)
		return -1;
	s->port = ntohs(sin.sin_port);
	return pthread_create(&s->tid, NULL, srv_main, s) == 0 ? 0 : -1;
}

static void
srv_stop(struct srv *s)
{
	s->stop = true;
	pthread_join(s->tid, NULL);
	close(s->fd);
}

static void
test_resolver(void)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	struct check_dns_query q[2];
	char buf[INET_ADDRSTRLEN];
	struct srv s;
	double t;

	if (srv_start(&s, SRV_ANSWER) == -1) {
		test_cond("resolver: loopback DNS server starts", 0);
		return;
	}
	memset(q, 0, sizeof(q));
	q[0].name = "device.spark.io";
	q[1].name = "Pool.NTP.org.";
	expect_int("resolver: both answered", 2, check_dns_resolve(&lo, 1,
	    s.port, NULL, q, 2, diag_now() + 2, 0.5));
	expect_int("resolver: rcode", 0, q[0].rcode);
	expect_int("resolver: one address", 1, q[0].naddr);
	expect_str("resolver: the address", "192.0.2.7",
	    inet_ntop(AF_INET, &q[0].addr[0], buf, sizeof(buf)));
	test_cond("resolver: case and trailing dot match",
	    q[1].answered && q[1].naddr == 1);
	srv_stop(&s);

	if (srv_start(&s, SRV_DROP_FIRST) == 0) {
		t = diag_now();
		memset(q, 0, sizeof(q));
		q[0].name = "device.spark.io";
		expect_int("resolver: a lost query is resent", 1,
		    check_dns_resolve(&lo, 1, s.port, NULL, q, 1, t + 2, 0.2));
		test_cond("resolver: after the retry interval",
		    diag_now() - t >= 0.19 && s.seen >= 2);
		srv_stop(&s);
	}
	if (srv_start(&s, SRV_FORGE_FIRST) == 0) {
		memset(q, 0, sizeof(q));
		q[0].name = "device.spark.io";
		expect_int("resolver: forged id ignored, real one taken", 1,
		    check_dns_resolve(&lo, 1, s.port, NULL, q, 1, diag_now() + 2,
		    1));
		expect_int("resolver: real answer kept", 1, q[0].naddr);
		srv_stop(&s);
	}
	if (srv_start(&s, SRV_NXDOMAIN) == 0) {
		memset(q, 0, sizeof(q));
		q[0].name = "cyanprobe-0123456789ab.com";
		check_dns_resolve(&lo, 1, s.port, NULL, q, 1, diag_now() + 2, 1);
		test_cond("resolver: NXDOMAIN is an answer", q[0].answered);
		expect_int("resolver: rcode NXDOMAIN", DNS_RCODE_NXDOMAIN,
		    q[0].rcode);
		expect_int("resolver: no address", 0, q[0].naddr);
		srv_stop(&s);
	}
	if (srv_start(&s, SRV_TRUNCATED) == 0) {
		memset(q, 0, sizeof(q));
		q[0].name = "device.spark.io";
		check_dns_resolve(&lo, 1, s.port, NULL, q, 1, diag_now() + 2, 1);
		test_cond("resolver: a TC reply is an answer", q[0].answered);
		test_cond("resolver: ...marked truncated", q[0].truncated);
		expect_int("resolver: ...with no address", 0, q[0].naddr);
		srv_stop(&s);
	}
	if (srv_start(&s, SRV_SILENT) == 0) {
		memset(q, 0, sizeof(q));
		q[0].name = "device.spark.io";
		/* A deadline ten retry intervals long: resent at least
		 * twice however late a loaded machine wakes it.  "At the
		 * deadline" has a generous upper bound (a run that ignored
		 * it would wait on): timing targets are tests/bench's. */
		t = diag_now();
		expect_int("resolver: silence answers nothing", 0,
		    check_dns_resolve(&lo, 1, s.port, NULL, q, 1, t + 1.0, 0.1));
		t = diag_now() - t;
		test_cond("resolver: gives up at the deadline",
		    t >= 0.99 && t < 3.0);
		test_cond("resolver: resent while waiting", s.seen >= 3);
		srv_stop(&s);
	}
}

static void
test_connect(void)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	uint16_t port;
	double ms;
	int l, fd, err;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = lo;
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l == -1 || bind(l, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(l, 1) == -1 ||
	    getsockname(l, (struct sockaddr *)&sin, &sl) == -1) {
		test_cond("connect: loopback listener", 0);
		return;
	}
	port = ntohs(sin.sin_port);
	fd = check_tcp_connect(lo, port, NULL, diag_now() + 1, &err, &ms);
	test_cond("connect: to a listener", fd != -1 && err == 0);
	if (fd != -1)
		close(fd);
	close(l);
	/* The port is closed now: the loopback answers with a reset. */
	fd = check_tcp_connect(lo, port, NULL, diag_now() + 1, &err, &ms);
	test_cond("connect: closed port fails", fd == -1);
	expect_int("connect: refused", ECONNREFUSED, err);
	fd = check_tcp_connect(lo, port, NULL, diag_now() - 1, &err, &ms);
	test_cond("connect: a passed deadline still gets the quick answer or "
	    "times out", fd == -1 && (err == ECONNREFUSED || err == ETIMEDOUT));
}

/* --- where the DNS servers come from ----------------------------------- */

struct late_offer {
	struct diag	*d;
	double		 after;	/* seconds */
	bool		 done_only;	/* end the window without an offer */
	double		 before, published;	/* diag_now() around it */
};

static void *
late_offer_main(void *arg)
{
	struct late_offer *lo = arg;
	struct in_addr dns = { htonl(0xc0a84d01) };	/* 192.168.77.1 */
	struct timespec ts = { 0, (long)(lo->after * 1e9) };

	nanosleep(&ts, NULL);
	lo->before = diag_now();
	if (lo->done_only)
		diag_publish_dhcp_done(lo->d);
	else
		diag_publish_offer(lo->d, &dns, 1, "http://192.0.2.1/api");
	lo->published = diag_now();
	return NULL;
}

static void
servers_setup(struct diag *d, struct diag_opts *o, double timeout)
{
	diag_opts_init(o);
	o->timeout = timeout;
	diag_init(d, o);
	inet_pton(AF_INET, "10.0.0.53", &d->resolv[0]);
	d->nresolv = 1;
}

static void
test_servers(void)
{
	struct in_addr out[DIAG_DNS_MAX];
	struct late_offer lo;
	struct diag_opts o;
	struct diag d;
	const char *src = "";
	char buf[INET_ADDRSTRLEN], cp[64];
	pthread_t t;
	double t0;
	size_t n;

	/* --dns wins at once. */
	servers_setup(&d, &o, 5);
	inet_pton(AF_INET, "9.9.9.9", &o.dns[0]);
	o.ndns = 1;
	t0 = diag_now();
	n = diag_dns_servers(&d, out, DIAG_DNS_MAX, &src, t0 + 5);
	expect_int("servers: --dns", 1, n);
	expect_str("servers: --dns source", "flag", src);
	/* The deadline is 5 s away: waiting at all would take that long; a
	 * loaded machine is not (bounds halfway, here and below). */
	test_cond("servers: --dns without waiting", diag_now() - t0 < 2.5);

	/* The first DHCP offer's servers, as soon as it comes. */
	diag_fini(&d);
	servers_setup(&d, &o, 5);
	lo = (struct late_offer){ &d, 0.05, false, 0, 0 };
	pthread_create(&t, NULL, late_offer_main, &lo);
	t0 = diag_now();
	n = diag_dns_servers(&d, out, DIAG_DNS_MAX, &src, t0 + 5);
	pthread_join(t, NULL);
	expect_int("servers: from the offer", 1, n);
	expect_str("servers: dhcp source", "dhcp", src);
	expect_str("servers: the offer's server", "192.168.77.1",
	    inet_ntop(AF_INET, &out[0], buf, sizeof(buf)));
	test_cond("servers: taken when the offer came",
	    diag_now() - t0 >= 0.04 && diag_now() - t0 < 2.5);
	test_cond("servers: option 114 kept",
	    diag_wait_offer(&d, diag_now(), cp, sizeof(cp)) &&
	    strcmp(cp, "http://192.0.2.1/api") == 0);

	/*
	 * No offer while DHCP still runs: the device would still be waiting
	 * for its lease, so this waits too, to the caller's deadline, then
	 * falls back to resolv.conf.
	 */
	diag_fini(&d);
	servers_setup(&d, &o, 0.5);
	t0 = diag_now();
	n = diag_dns_servers(&d, out, DIAG_DNS_MAX, &src, t0 + 0.3);
	expect_int("servers: resolv.conf", 1, n);
	expect_str("servers: resolv.conf source", "resolv.conf", src);
	test_cond("servers: waited for the lease to the deadline",
	    diag_now() - t0 >= 0.29 && diag_now() - t0 < 3.0);

	/* The window closes without an offer: resolv.conf at once. */
	diag_fini(&d);
	servers_setup(&d, &o, 5);
	lo = (struct late_offer){ &d, 0.05, true, 0, 0 };
	pthread_create(&t, NULL, late_offer_main, &lo);
	t0 = diag_now();
	n = diag_dns_servers(&d, out, DIAG_DNS_MAX, &src, t0 + 5);
	pthread_join(t, NULL);
	expect_str("servers: window closed", "resolv.conf", src);
	test_cond("servers: no wait past the window", diag_now() - t0 < 2.5);

	/* Nothing anywhere: none, at the deadline at the latest. */
	diag_fini(&d);
	servers_setup(&d, &o, 5);
	d.nresolv = 0;
	t0 = diag_now();
	n = diag_dns_servers(&d, out, DIAG_DNS_MAX, &src, t0 + 0.1);
	expect_int("servers: none known", 0, n);
	test_cond("servers: gives up at the deadline",
	    diag_now() - t0 >= 0.09 && diag_now() - t0 < 3.0);
	diag_fini(&d);
}

/*
 * The network steps' deadlines count from the lease: from the first offer
 * (or the end of the DHCP check); with --dns, from the start of the run.
 */
static void
test_net_deadline(void)
{
	struct late_offer lo;
	struct diag_opts o;
	struct diag d;
	pthread_t t;
	double dl;

	servers_setup(&d, &o, 1);	/* x 1/5: a 5 s base is 1 s */
	/* Measured from when the offer really came (a loaded machine wakes
	 * the offering thread late), not from when it was meant to. */
	lo = (struct late_offer){ &d, 0.3, false, 0, 0 };
	pthread_create(&t, NULL, late_offer_main, &lo);
	dl = diag_net_deadline(&d, DIAG_CLOUD_BASE);
	pthread_join(t, NULL);
	test_cond("net deadline: 1 s after the offer at 0.3 s",
	    lo.before - d.t0 >= 0.29 && dl >= lo.before + 1 - 0.001 &&
	    dl <= lo.published + 1 + 0.001);
	diag_fini(&d);

	servers_setup(&d, &o, 1);
	lo = (struct late_offer){ &d, 0.2, true, 0, 0 };
	pthread_create(&t, NULL, late_offer_main, &lo);
	dl = diag_net_deadline(&d, DIAG_DNS_BASE);
	pthread_join(t, NULL);
	test_cond("net deadline: from the end of a DHCP check with no offer",
	    lo.before - d.t0 >= 0.19 && dl >= lo.before + 0.6 - 0.001 &&
	    dl <= lo.published + 0.6 + 0.001);
	diag_fini(&d);

	servers_setup(&d, &o, 1);
	inet_pton(AF_INET, "9.9.9.9", &o.dns[0]);
	o.ndns = 1;
	dl = diag_net_deadline(&d, DIAG_CLOUD_BASE);
	test_cond("net deadline: with --dns, from the start, no wait",
	    dl - d.t0 > 0.99 && dl - d.t0 < 1.01 && diag_now() - d.t0 < 2.5);
	diag_fini(&d);

	/* The DHCP deadline: 10 s, stretched by a long --timeout only. */
	servers_setup(&d, &o, 1);
	expect_int("dhcp deadline: not shrunk by --timeout 1", 10,
	    diag_dhcp_deadline(&d));
	o.timeout = 20;
	expect_int("dhcp deadline: stretched by --timeout 20", 40,
	    diag_dhcp_deadline(&d));
	o.dhcp_window = 2.5;
	expect_int("dhcp deadline: --dhcp-window wins", 2500,
	    diag_dhcp_deadline(&d) * 1000);
	/* The grace after the first offer: 0.5 s, or --dhcp-grace. */
	expect_int("dhcp grace: 0.5 s by default", 500,
	    diag_dhcp_grace(&d) * 1000);
	o.dhcp_grace = 5;
	expect_int("dhcp grace: --dhcp-grace 5", 5000,
	    diag_dhcp_grace(&d) * 1000);
	diag_fini(&d);
}

int
main(void)
{
	test_resolv();
	test_ntp();
	test_resolver();
	test_connect();
	test_servers();
	test_net_deadline();
	return test_report();
}
