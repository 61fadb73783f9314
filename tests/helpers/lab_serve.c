/*
 * lab_serve.c - the network lab's stand-in servers, all in one process.
 *
 * tests/lab/lib.sh starts one lab_serve per namespace with a list of
 * services, e.g. `lab_serve -p PIDFILE cloud:198.18.2.1:5683
 * ntp:198.18.1.123:123 http204:198.18.3.1:80`.  One poll loop serves them
 * all, so a scenario costs one process and one pid file to clean up.  The
 * pid file is written only once every socket is bound: the lab waits for it
 * and so never races the probe against a listener that is not there yet.
 *
 * Services (each SPEC is KIND:ADDR:PORT):
 *   cloud    TCP: send 40 random bytes (the Particle nonce), then hold the
 *            connection until the peer closes or HOLD_MS passes
 *   silent   TCP: accept and say nothing (a transparent proxy or tarpit)
 *   garbage  TCP: accept and send 12 bytes that are not a nonce
 *   tcp      TCP: accept and close (an open port, e.g. the internet test)
 *   http204  HTTP: every GET gets "204 No Content" (connectivity check)
 *   portal   HTTP: GET /login gets a login page with a <title>, any other
 *            path a 302 to http://ADDR/login (a captive portal)
 *   capport  HTTP: the RFC 8908 captive-portal API JSON for the portal
 *   portal511    HTTP: every GET gets "511 Network Authentication Required"
 *            with the login page of RFC 6585 section 6 (a meta refresh to
 *            http://ADDR/login)
 *   portaldrip   HTTP: a 302 to /login at once (for /login a 200 login
 *            page, for /511 a 511), then a body that never ends, one byte
 *            a second (a hostile portal)
 *   portalstream HTTP: a 200 login page whose body never ends, as fast as
 *            the client reads it
 *   ntp      UDP: answer an NTP client (mode 3) with a server reply (mode 4)
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTEN	16
#define MAX_CONN	64
#define HOLD_MS		15000
#define REQ_MAX		2048

enum kind { K_CLOUD, K_SILENT, K_GARBAGE, K_TCP, K_HTTP204, K_PORTAL,
	K_CAPPORT, K_NTP, K_DRIP, K_STREAM, K_511 };

static const struct {
	const char	*name;
	enum kind	 kind;
} kinds[] = {
	{ "cloud", K_CLOUD }, { "silent", K_SILENT }, { "garbage", K_GARBAGE },
	{ "tcp", K_TCP }, { "http204", K_HTTP204 }, { "portal", K_PORTAL },
	{ "capport", K_CAPPORT }, { "ntp", K_NTP },
	{ "portaldrip", K_DRIP }, { "portalstream", K_STREAM },
	{ "portal511", K_511 },
};

struct listener {
	int			fd;
	enum kind		kind;
	char			addr[INET_ADDRSTRLEN];
	unsigned		port;
};

struct conn {
	int		fd;
	enum kind	kind;
	char		host[INET_ADDRSTRLEN];	/* for the portal's Location */
	char		req[REQ_MAX];
	size_t		reqlen;
	long long	opened;	/* ms */
	long long	next_drip;	/* ms; 0: not dripping a body */
};

static struct listener	ls[MAX_LISTEN];
static size_t		nls;
static struct conn	cs[MAX_CONN];
static volatile sig_atomic_t stop;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
parse_spec(const char *spec, struct listener *l)
{
	char buf[128], *k, *a, *p, *end;
	size_t i;
	long port;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return -1;
	k = buf;
	if ((a = strchr(k, ':')) == NULL)
		return -1;
	*a++ = '\0';
	if ((p = strrchr(a, ':')) == NULL)
		return -1;
	*p++ = '\0';
	port = strtol(p, &end, 10);
	if (*p == '\0' || *end != '\0' || port < 1 || port > 65535)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, k) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return -1;
	l->kind = kinds[i].kind;
	snprintf(l->addr, sizeof(l->addr), "%s", a);
	l->port = (unsigned)port;
	return 0;
}

static int
open_listener(struct listener *l)
{
	struct sockaddr_in sin;
	int one = 1, udp = l->kind == K_NTP;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)l->port);
	if (inet_pton(AF_INET, l->addr, &sin.sin_addr) != 1)
		return -1;
	l->fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd == -1)
		return -1;
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return -1;
	if (!udp && listen(l->fd, 64) == -1)
		return -1;
	return 0;
}

static void
conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

static void
send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	/* Replies are small and the socket buffer empty: one send suffices. */
	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void
random_bytes(unsigned char *b, size_t n)
{
	FILE *f = fopen("/dev/urandom", "rb");
	size_t i;

	if (f == NULL || fread(b, 1, n, f) != n)
		for (i = 0; i < n; i++)
			b[i] = (unsigned char)rand();
	if (f != NULL)
		fclose(f);
}

static void
http_reply(struct conn *c)
{
	char out[2048], path[256] = "/";
	const char *body = "", *status = "204 No Content", *ctype = NULL;
	char location[320] = "";
	char page[512];

	sscanf(c->req, "%*s %255s", path);
	switch (c->kind) {
	case K_HTTP204:
		break;
	case K_PORTAL:
		if (strncmp(path, "/login", 6) == 0) {
			status = "200 OK";
			ctype = "text/html";
			snprintf(page, sizeof(page),
			    "<!DOCTYPE html>\n<html><head>\n"
			    "<title>Lab Hotel Wi-Fi Login</title>\n"
			    "</head><body><form>Room number: <input>"
			    "</form></body></html>\n");
			body = page;
		} else {
			status = "302 Found";
			snprintf(location, sizeof(location),
			    "Location: http://%s/login\r\n", c->host);
		}
		break;
	case K_CAPPORT:
		status = "200 OK";
		ctype = "application/captive+json";
		snprintf(page, sizeof(page),
		    "{\"captive\": true, "
		    "\"user-portal-url\": \"http://%s/login\"}\n", c->host);
		body = page;
		break;
	case K_511:
		/* RFC 6585 section 6: the status, and a page that links on. */
		status = "511 Network Authentication Required";
		ctype = "text/html";
		snprintf(page, sizeof(page),
		    "<html><head>\n<title>Network Authentication Required"
		    "</title>\n<meta http-equiv=\"refresh\" content=\"0; "
		    "url=http://%s/login\">\n</head><body><p>You need to "
		    "<a href=\"http://%s/login\">authenticate with the local "
		    "network</a> in order to gain access.</p></body></html>\n",
		    c->host, c->host);
		body = page;
		break;
	default:
		return;
	}
	snprintf(out, sizeof(out),
	    "HTTP/1.1 %s\r\n%s%s%s%sContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", status, location,
	    ctype ? "Content-Type: " : "", ctype ? ctype : "",
	    ctype ? "\r\n" : "", strlen(body), body);
	send_all(c->fd, out, strlen(out));
}

/* The endless portals: headers at once, the body never finishes. */
static void
endless_start(struct conn *c)
{
	char out[512];

	if (c->kind == K_DRIP && strstr(c->req, " /login") != NULL)
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: text/html\r\nContent-Length: 100000000\r\n"
		    "\r\n<html><head><title>Drip Login</title></head>");
	else if (c->kind == K_DRIP && strstr(c->req, " /511") != NULL)
		snprintf(out, sizeof(out), "HTTP/1.1 511 Network "
		    "Authentication Required\r\nContent-Type: text/html\r\n"
		    "Content-Length: 100000000\r\n\r\n<html><head><title>"
		    "Network Authentication Required</title></head>");
	else if (c->kind == K_DRIP)
		snprintf(out, sizeof(out), "HTTP/1.1 302 Found\r\n"
		    "Location: http://%s/login\r\nContent-Type: text/html\r\n"
		    "Content-Length: 100000000\r\n\r\n<html>", c->host);
	else
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: text/html\r\n\r\n<!DOCTYPE html>\n"
		    "<html><head><title>Endless Login</title></head><body>");
	send_all(c->fd, out, strlen(out));
	c->next_drip = now_ms() + 1000;
}

/* More of an endless body: a byte a second, or all the socket takes. */
static void
endless_more(struct conn *c, long long now)
{
	static char chunk[16384];

	if (c->kind == K_DRIP) {
		if (now < c->next_drip)
			return;
		c->next_drip = now + 1000;
		if (send(c->fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) == -1 &&
		    errno != EAGAIN)
			conn_close(c);
		return;
	}
	memset(chunk, 'x', sizeof(chunk));
	if (send(c->fd, chunk, sizeof(chunk), MSG_NOSIGNAL | MSG_DONTWAIT) ==
	    -1 && errno != EAGAIN)
		conn_close(c);
}

static void
on_accept(struct listener *l)
{
	struct sockaddr_in local;
	socklen_t sl = sizeof(local);
	unsigned char nonce[40];
	struct conn *c = NULL;
	size_t i;
	int fd;

	if ((fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1)
		return;
	for (i = 0; i < MAX_CONN; i++)
		if (cs[i].fd == -1) {
			c = &cs[i];
			break;
		}
	if (c == NULL) {
		close(fd);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->kind = l->kind;
	c->opened = now_ms();
	/* The address the client reached, for the portal's redirect. */
	if (getsockname(fd, (struct sockaddr *)&local, &sl) == 0)
		inet_ntop(AF_INET, &local.sin_addr, c->host, sizeof(c->host));
	switch (l->kind) {
	case K_CLOUD:
		random_bytes(nonce, sizeof(nonce));
		send_all(fd, nonce, sizeof(nonce));
		break;
	case K_GARBAGE:
		send_all(fd, "HTTP/1.0 400", 12);
		break;
	case K_TCP:
		conn_close(c);
		break;
	default:
		break;
	}
}

static void
on_readable(struct conn *c)
{
	ssize_t n;

	n = recv(c->fd, c->req + c->reqlen, sizeof(c->req) - 1 - c->reqlen, 0);
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->reqlen += (size_t)n;
	c->req[c->reqlen] = '\0';
	if ((c->kind == K_DRIP || c->kind == K_STREAM) && c->next_drip == 0) {
		if (strstr(c->req, "\r\n\r\n") != NULL)
			endless_start(c);
		return;
	}
	if (c->kind == K_HTTP204 || c->kind == K_PORTAL ||
	    c->kind == K_CAPPORT || c->kind == K_511) {
		if (strstr(c->req, "\r\n\r\n") != NULL ||
		    c->reqlen == sizeof(c->req) - 1) {
			http_reply(c);
			conn_close(c);
		}
	} else if (c->reqlen == sizeof(c->req) - 1)
		c->reqlen = 0;	/* cloud, silent: discard what the peer says */
}

static void
on_ntp(struct listener *l)
{
	unsigned char q[512], r[48];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct timespec ts;
	uint32_t sec, frac;
	ssize_t n;

	n = recvfrom(l->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
	/* RFC 5905: a client request is at least 48 bytes with mode 3. */
	if (n < 48 || (q[0] & 7) != 3)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	sec = (uint32_t)((uint64_t)ts.tv_sec + 2208988800u);
	frac = (uint32_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000u);
	memset(r, 0, sizeof(r));
	r[0] = (unsigned char)(0 << 6 | (q[0] & 0x38) | 4);	/* LI 0, VN, mode 4 */
	r[1] = 2;		/* stratum */
	r[2] = q[2];		/* poll */
	r[3] = 0xec;		/* precision */
	memcpy(r + 12, "LAB\0", 4);	/* reference id */
	memcpy(r + 24, q + 40, 8);	/* origin = client's transmit */
	r[32] = (unsigned char)(sec >> 24); r[33] = (unsigned char)(sec >> 16);
	r[34] = (unsigned char)(sec >> 8); r[35] = (unsigned char)sec;
	r[36] = (unsigned char)(frac >> 24); r[37] = (unsigned char)(frac >> 16);
	r[38] = (unsigned char)(frac >> 8); r[39] = (unsigned char)frac;
	memcpy(r + 16, r + 32, 8);	/* reference = receive */
	memcpy(r + 40, r + 32, 8);	/* transmit */
	sendto(l->fd, r, sizeof(r), 0, (struct sockaddr *)&from, fl);
}

static void
usage(void)
{
	fprintf(stderr, "usage: lab_serve [-p pidfile] KIND:ADDR:PORT ...\n"
	    "kinds: cloud silent garbage tcp http204 portal capport ntp "
	    "portaldrip portalstream portal511\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct pollfd pfd[MAX_LISTEN + MAX_CONN];
	size_t map[MAX_LISTEN + MAX_CONN];
	const char *pidfile = NULL;
	struct sigaction sa;
	size_t i, n;
	FILE *f;
	int ch;

	while ((ch = getopt(argc, argv, "p:")) != -1) {
		if (ch == 'p')
			pidfile = optarg;
		else
			usage();
	}
	if (optind == argc || argc - optind > MAX_LISTEN)
		usage();
	for (; optind < argc; optind++) {
		if (parse_spec(argv[optind], &ls[nls]) == -1) {
			fprintf(stderr, "lab_serve: bad service '%s'\n",
			    argv[optind]);
			usage();
		}
		if (open_listener(&ls[nls]) == -1) {
			fprintf(stderr, "lab_serve: %s: %s\n", argv[optind],
			    strerror(errno));
			return 1;
		}
		nls++;
	}
	for (i = 0; i < MAX_CONN; i++)
		cs[i].fd = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)now_ms() ^ (unsigned)getpid());
	if (pidfile != NULL) {
		/* Written last: its presence means every service is bound. */
		char tmp[1024];

		snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
		if ((f = fopen(tmp, "w")) == NULL)
			return 1;
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
		rename(tmp, pidfile);
	}
	while (!stop) {
		int wait = 500;

		n = 0;
		for (i = 0; i < nls; i++) {
			pfd[n] = (struct pollfd){ ls[i].fd, POLLIN, 0 };
			map[n++] = i;
		}
		for (i = 0; i < MAX_CONN; i++) {
			if (cs[i].fd == -1)
				continue;
			if (now_ms() - cs[i].opened > HOLD_MS) {
				conn_close(&cs[i]);
				continue;
			}
			if (cs[i].next_drip != 0) {
				endless_more(&cs[i], now_ms());
				if (cs[i].fd == -1)
					continue;
				wait = cs[i].kind == K_STREAM ? 5 : 100;
			}
			pfd[n] = (struct pollfd){ cs[i].fd, POLLIN, 0 };
			map[n++] = MAX_LISTEN + i;
		}
		if (poll(pfd, (nfds_t)n, wait) == -1) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (map[i] < MAX_LISTEN) {
				struct listener *l = &ls[map[i]];

				if (l->kind == K_NTP)
					on_ntp(l);
				else
					on_accept(l);
			} else if (cs[map[i] - MAX_LISTEN].fd != -1)
				on_readable(&cs[map[i] - MAX_LISTEN]);
		}
	}
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}
