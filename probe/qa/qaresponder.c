/*
 * qaresponder.c - `cyanprobe qa responder`: the far end of the router tests
 * of `cyanprobe qa test`.  On a host on the router's WAN side it listens on
 * TCP 5683 (the cloud port) and TCP 443, and on UDP 5683; each accepts the
 * line protocol of analyzers/qaline.h: HOLD (send a PROBE after so much
 * silence, which tells a test whether the router still maps the flow),
 * ECHO (answer now, saying which source address and port arrived, so a
 * test sees the router's external port change).  On the LAN it can stand
 * in for a device (`--mdns NAME`: answer multicast DNS for NAME.local), the
 * target of the isolation test.  One thread, one poll loop, fixed tables.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diagnose.h"
#include "dns.h"
#include "log.h"
#include "qaline.h"
#include "qatest.h"

#define RESP_TCP_MAX	4	/* listening TCP ports */
#define RESP_CONNS	512	/* TCP connections at once */
#define RESP_UDP_HOLDS	512	/* UDP probes pending */
#define RESP_MDNS_TTL	120

struct resp_conn {
	int			fd;	/* -1: free */
	struct sockaddr_in	peer;
	char			buf[QALINE_MAX];
	size_t			n;
	double			probe_at;	/* 0: no HOLD pending */
	char			tag[QALINE_TAG_MAX];
};

struct resp_hold {
	double			due;	/* 0: free */
	struct sockaddr_in	to;
	char			tag[QALINE_TAG_MAX];
};

struct resp {
	struct in_addr		listen;
	uint16_t		tcp_port[RESP_TCP_MAX];
	size_t			ntcp;
	uint16_t		udp_port;
	const char		*mdns_name;	/* NULL: no mDNS */
	const char		*iface;		/* for ff02::fb */
	const char		*ready_file;
	int			lfd[RESP_TCP_MAX];
	int			ufd, m4fd, m6fd;
	struct resp_conn	conn[RESP_CONNS];
	struct resp_hold	hold[RESP_UDP_HOLDS];
	unsigned long		served;
};

static void
resp_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa responder [--listen ADDR] [--tcp PORT,...]\n"
	    "           [--udp PORT] [--mdns NAME [--iface IF]]\n"
	    "           [--ready-file FILE] [-v]\n"
	    "\n"
	    "The WAN-side end of `cyanprobe qa test` (nat-lifetime,\n"
	    "wan-recovery): run it on a host on the router's WAN side and\n"
	    "give its address to the test as its responder.  On the LAN,\n"
	    "with --mdns, it stands in for a device for the isolation test.\n"
	    "\n"
	    "  --listen ADDR     IPv4 address to listen on (default 0.0.0.0)\n"
	    "  --tcp PORT,...    TCP ports (default 5683,443)\n"
	    "  --udp PORT        UDP port (default 5683)\n"
	    "  --mdns NAME       answer mDNS queries for NAME.local with the\n"
	    "                    --listen address (224.0.0.251 and ff02::fb)\n"
	    "  --iface IF        the interface for mDNS on ff02::fb\n"
	    "  --ready-file FILE written once every socket listens\n"
	    "  -v, --verbose     each request answered, and at the end how\n"
	    "                    many, on standard error\n"
	    "\n"
	    "It runs until interrupted.  Protocol and set-up: docs/qa-tests.md.\n");
}

static int
resp_ports(const char *s, struct resp *r)
{
	char buf[64], *tok, *save = NULL;
	long v;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	r->ntcp = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (r->ntcp == RESP_TCP_MAX ||
		    cli_parse_long(tok, 1, 65535, &v) != 0)
			return -1;
		r->tcp_port[r->ntcp++] = (uint16_t)v;
	}
	return r->ntcp > 0 ? 0 : -1;
}

static int
resp_socket(int type, uint16_t port, struct in_addr a)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	if ((fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) ==
	    -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr = a;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    (type == SOCK_STREAM && listen(fd, 128) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* mDNS sockets: port 5353 shared with any other responder on the host. */
static int
resp_mdns_open(struct resp *r)
{
	struct ip_mreq m4;
	struct ipv6_mreq m6;
	struct sockaddr_in6 s6;
	struct in_addr any = { INADDR_ANY };
	int one = 1;

	if ((r->m4fd = resp_socket(SOCK_DGRAM, 5353, any)) == -1)
		return -1;
	memset(&m4, 0, sizeof(m4));
	inet_pton(AF_INET, "224.0.0.251", &m4.imr_multiaddr);
	m4.imr_interface = r->listen;
	if (setsockopt(r->m4fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m4,
	    sizeof(m4)) == -1)
		return -1;
	/* ff02::fb is best effort: a host may have no IPv6. */
	if ((r->m6fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		return 0;
	setsockopt(r->m6fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r->m6fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(5353);
	memset(&m6, 0, sizeof(m6));
	inet_pton(AF_INET6, "ff02::fb", &m6.ipv6mr_multiaddr);
	m6.ipv6mr_interface = r->iface ? if_nametoindex(r->iface) : 0;
	if (bind(r->m6fd, (struct sockaddr *)&s6, sizeof(s6)) == -1 ||
	    setsockopt(r->m6fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m6,
	    sizeof(m6)) == -1) {
		log_warnx("qa responder: no mDNS on ff02::fb: %s",
		    strerror(errno));
		close(r->m6fd);
		r->m6fd = -1;
	}
	return 0;
}

static int
resp_open(struct resp *r)
{
	size_t i;

	for (i = 0; i < r->ntcp; i++)
		if ((r->lfd[i] = resp_socket(SOCK_STREAM, r->tcp_port[i],
		    r->listen)) == -1) {
			log_warn("qa responder: TCP port %u",
			    r->tcp_port[i]);
			return -1;
		}
	if ((r->ufd = resp_socket(SOCK_DGRAM, r->udp_port, r->listen)) == -1) {
		log_warn("qa responder: UDP port %u", r->udp_port);
		return -1;
	}
	if (r->mdns_name != NULL && resp_mdns_open(r) == -1) {
		log_warn("qa responder: mDNS");
		return -1;
	}
	return 0;
}

/* Format an answer line: "VERB TAG IP PORT\n". */
static int
resp_line(char *out, size_t len, const char *verb, const char *tag,
    const struct sockaddr_in *from)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &from->sin_addr, ip, sizeof(ip));
	return snprintf(out, len, "%s %s %s %u\n", verb, tag, ip,
	    ntohs(from->sin_port));
}

/*
 * One request from `from`: the answer in out (its length returned, 0 for
 * none) and, for HOLD, *hold_ms.
 */
static int
resp_answer(const uint8_t *buf, size_t len, const struct sockaddr_in *from,
    char *out, size_t outlen, struct qaline *q)
{
	if (qaline_parse(buf, len, q) == -1)
		return 0;
	switch (q->verb) {
	case QALINE_HOLD:
		return resp_line(out, outlen, "OK", q->tag, from);
	case QALINE_ECHO:
		return resp_line(out, outlen, "ECHO", q->tag, from);
	default:
		return 0;
	}
}

/* -v: each request answered, as the test sent it. */
static void
resp_log(const char *proto, const struct sockaddr_in *from,
    const uint8_t *line, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	if (log_verbose() < 1)
		return;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	inet_ntop(AF_INET, &from->sin_addr, ip, sizeof(ip));
	log_info("qa responder: %s from %s:%u: %.*s", proto, ip,
	    ntohs(from->sin_port), (int)(len < 80 ? len : 80),
	    (const char *)line);
}

static void
resp_close(struct resp_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->n = 0;
	c->probe_at = 0;
}

static void
resp_accept(struct resp *r, int lfd)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	size_t i;
	int fd;

	if ((fd = accept4(lfd, (struct sockaddr *)&sin, &sl,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == -1)
		return;
	for (i = 0; i < RESP_CONNS; i++)
		if (r->conn[i].fd == -1) {
			memset(&r->conn[i], 0, sizeof(r->conn[i]));
			r->conn[i].fd = fd;
			r->conn[i].peer = sin;
			return;
		}
	close(fd);	/* full: the test sees a reset */
}

/* Lines from a TCP connection; a HOLD arms the connection's probe. */
static void
resp_read_conn(struct resp *r, struct resp_conn *c)
{
	struct qaline q;
	char out[QALINE_MAX];
	ssize_t n;
	char *nl;
	size_t len;
	int olen;

	n = read(c->fd, c->buf + c->n, sizeof(c->buf) - c->n);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			resp_close(c);
		return;
	}
	c->n += (size_t)n;
	while ((nl = memchr(c->buf, '\n', c->n)) != NULL) {
		len = (size_t)(nl - c->buf) + 1;
		olen = resp_answer((uint8_t *)c->buf, len, &c->peer, out,
		    sizeof(out), &q);
		if (olen > 0)
			resp_log("tcp", &c->peer, (uint8_t *)c->buf, len);
		if (olen > 0 && write(c->fd, out, (size_t)olen) != olen) {
			resp_close(c);
			return;
		}
		if (olen > 0 && q.verb == QALINE_HOLD) {
			c->probe_at = qatest_now() + q.hold_ms / 1000.0;
			memcpy(c->tag, q.tag, sizeof(c->tag));
		}
		r->served++;
		memmove(c->buf, c->buf + len, c->n - len);
		c->n -= len;
	}
	if (c->n == sizeof(c->buf))
		resp_close(c);	/* a line too long: not our client */
}

static void
resp_read_udp(struct resp *r)
{
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint8_t buf[QALINE_MAX];
	char out[QALINE_MAX];
	struct qaline q;
	ssize_t n;
	size_t i;
	int olen;

	n = recvfrom(r->ufd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl);
	if (n <= 0)
		return;
	olen = resp_answer(buf, (size_t)n, &from, out, sizeof(out), &q);
	if (olen <= 0)
		return;
	resp_log("udp", &from, buf, (size_t)n);
	sendto(r->ufd, out, (size_t)olen, 0, (struct sockaddr *)&from,
	    sizeof(from));
	r->served++;
	if (q.verb != QALINE_HOLD)
		return;
	for (i = 0; i < RESP_UDP_HOLDS; i++)
		if (r->hold[i].due == 0) {
			r->hold[i].due = qatest_now() + q.hold_ms / 1000.0;
			r->hold[i].to = from;
			memcpy(r->hold[i].tag, q.tag, sizeof(q.tag));
			return;
		}
}

/* Send the PROBEs that are due; returns ms until the next one (-1: none). */
static int
resp_timers(struct resp *r)
{
	char out[QALINE_MAX];
	double now = qatest_now(), next = 0, due;
	size_t i;
	int n;

	for (i = 0; i < RESP_CONNS + RESP_UDP_HOLDS; i++) {
		if (i < RESP_CONNS)
			due = r->conn[i].fd != -1 ? r->conn[i].probe_at : 0;
		else
			due = r->hold[i - RESP_CONNS].due;
		if (due == 0)
			continue;
		if (due > now) {
			if (next == 0 || due < next)
				next = due;
			continue;
		}
		if (i < RESP_CONNS) {
			n = snprintf(out, sizeof(out), "PROBE %s\n",
			    r->conn[i].tag);
			r->conn[i].probe_at = 0;
			/* A dead mapping makes this fail later, or never. */
			if (write(r->conn[i].fd, out, (size_t)n) != n)
				resp_close(&r->conn[i]);
		} else {
			struct resp_hold *h = &r->hold[i - RESP_CONNS];

			n = snprintf(out, sizeof(out), "PROBE %s\n", h->tag);
			sendto(r->ufd, out, (size_t)n, 0,
			    (struct sockaddr *)&h->to, sizeof(h->to));
			h->due = 0;
		}
	}
	return next == 0 ? -1 : (int)((next - now) * 1000) + 1;
}

/* Answer an mDNS query for NAME.local (A or ANY) to whoever asked. */
static void
resp_mdns(struct resp *r, int fd)
{
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	uint8_t buf[512], out[600];
	struct dns_msg m;
	char want[DNS_NAME_TEXT_MAX];
	size_t n;
	ssize_t got;
	uint16_t t;

	got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	if (got <= 0 || dns_parse(buf, (size_t)got, &m) == -1 || m.qr ||
	    m.n_questions < 1)
		return;
	snprintf(want, sizeof(want), "%s.local", r->mdns_name);
	t = m.question[0].type;
	if (strcasecmp(m.question[0].name, want) != 0 ||
	    (t != DNS_TYPE_A && t != 255))
		return;
	if ((n = dns_build_query(out, sizeof(out) - 16, m.id, want,
	    DNS_TYPE_A)) == 0)
		return;
	out[2] = 0x84;			/* response, authoritative */
	out[3] = 0;
	out[7] = 1;			/* one answer */
	memcpy(out + n, "\xc0\x0c\x00\x01\x00\x01", 6);	/* name, A, IN */
	out[n + 6] = 0;
	out[n + 7] = 0;
	out[n + 8] = 0;
	out[n + 9] = RESP_MDNS_TTL;
	out[n + 10] = 0;
	out[n + 11] = 4;
	memcpy(out + n + 12, &r->listen, 4);
	/* Legacy unicast (RFC 6762 6.7): to the querier's address and port. */
	sendto(fd, out, n + 16, 0, (struct sockaddr *)&from, fl);
	log_info("qa responder: mdns: answered a query for %s", want);
	r->served++;
}

static volatile sig_atomic_t resp_stop;

static void
resp_signal(int sig)
{
	(void)sig;
	resp_stop = 1;
}

static int
resp_loop(struct resp *r)
{
	struct pollfd pfd[RESP_TCP_MAX + 3 + RESP_CONNS];
	size_t map[RESP_CONNS], np, nc, i, base;
	int timeout;

	while (!resp_stop) {
		np = 0;
		for (i = 0; i < r->ntcp; i++)
			pfd[np++] = (struct pollfd){ r->lfd[i], POLLIN, 0 };
		pfd[np++] = (struct pollfd){ r->ufd, POLLIN, 0 };
		pfd[np++] = (struct pollfd){ r->m4fd, POLLIN, 0 };
		pfd[np++] = (struct pollfd){ r->m6fd, POLLIN, 0 };
		base = np;
		for (i = nc = 0; i < RESP_CONNS; i++)
			if (r->conn[i].fd != -1) {
				map[nc++] = i;
				pfd[np++] = (struct pollfd){ r->conn[i].fd,
				    POLLIN, 0 };
			}
		timeout = resp_timers(r);
		if (poll(pfd, np, timeout) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("qa responder: poll");
			return EXIT_RUNTIME;
		}
		for (i = 0; i < r->ntcp; i++)
			if (pfd[i].revents & POLLIN)
				resp_accept(r, r->lfd[i]);
		if (pfd[r->ntcp].revents & POLLIN)
			resp_read_udp(r);
		for (i = 1; i <= 2; i++)
			if (pfd[r->ntcp + i].revents & POLLIN)
				resp_mdns(r, pfd[r->ntcp + i].fd);
		for (i = 0; i < nc; i++)
			if (pfd[base + i].revents & (POLLIN | POLLHUP |
			    POLLERR))
				resp_read_conn(r, &r->conn[map[i]]);
	}
	return EXIT_OK;
}

static int
resp_parse(struct resp *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "listen", required_argument, NULL, 'l' },
		{ "tcp", required_argument, NULL, 't' },
		{ "udp", required_argument, NULL, 'u' },
		{ "mdns", required_argument, NULL, 'm' },
		{ "iface", required_argument, NULL, 'i' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	long v;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, ":hv", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (inet_pton(AF_INET, optarg, &r->listen) != 1) {
				log_warnx("qa responder: --listen: '%s' is "
				    "not an IPv4 address", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			if (resp_ports(optarg, r) == -1) {
				log_warnx("qa responder: --tcp: '%s' is not "
				    "a list of up to %d ports", optarg,
				    RESP_TCP_MAX);
				return EXIT_USAGE;
			}
			break;
		case 'u':
			if (cli_parse_long(optarg, 1, 65535, &v) != 0) {
				log_warnx("qa responder: --udp: '%s' is not "
				    "a port", optarg);
				return EXIT_USAGE;
			}
			r->udp_port = (uint16_t)v;
			break;
		case 'm':
			r->mdns_name = optarg;
			break;
		case 'i':
			r->iface = optarg;
			break;
		case 'r':
			r->ready_file = optarg;
			break;
		case 'v':
			log_init(log_verbose() + 1);
			break;
		default:
			return cli_help(ch, resp_usage);
		}
	}
	if (cli_no_operands("qa responder", argc, argv) != 0)
		return EXIT_USAGE;
	if (r->mdns_name != NULL && r->listen.s_addr == INADDR_ANY) {
		log_warnx("qa responder: --mdns needs --listen ADDR: the "
		    "address to answer with");
		return EXIT_USAGE;
	}
	return -1;
}

int
qaresponder_cmd(int argc, char **argv)
{
	static struct resp r;	/* large: the connection table */
	struct sigaction sa;
	size_t i;
	int rc;
	FILE *f;

	memset(&r, 0, sizeof(r));
	r.tcp_port[0] = 5683;
	r.tcp_port[1] = 443;
	r.ntcp = 2;
	r.udp_port = 5683;
	r.ufd = r.m4fd = r.m6fd = -1;
	for (i = 0; i < RESP_CONNS; i++)
		r.conn[i].fd = -1;
	if ((rc = resp_parse(&r, argc, argv)) != -1)
		return rc;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = resp_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (resp_open(&r) == -1)
		return EXIT_RUNTIME;
	if (r.ready_file != NULL) {
		if ((f = fopen(r.ready_file, "w")) == NULL) {
			log_warn("qa responder: %s", r.ready_file);
			return EXIT_RUNTIME;
		}
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
	}
	rc = resp_loop(&r);
	log_info("qa responder: %lu requests served", r.served);
	return rc;
}
