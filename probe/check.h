/*
 * check.h - the live checks of `cyanprobe diagnose`, one file each
 * (probe/check_link.c, check_dhcp.c, check_dns.c, check_internet.c,
 * check_portal.c, check_cloud.c), and the small pieces they share.
 *
 * A check replays one step of the device's connect path from this host.  It
 * runs in its own thread, reads what other checks published through struct
 * diag (probe/diagnose.h), and writes only into its own struct check_result:
 * a facts object and a findings list that diagnose.c moves into the report
 * when every check is done.  So checks never lock the report, and a slow
 * check holds up no other.  Every check ends by its absolute deadline
 * (counted from the start of the run) whatever the network does.
 */
#ifndef CHECK_H
#define CHECK_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "finding.h"
#include "stage.h"

struct diag;

/*
 * What a check shows: by the severity of its findings in the rules (an info
 * finding leaves a check passed), or skipped.
 */
enum check_status {
	CHECK_PENDING,
	CHECK_RUNNING,
	CHECK_PASSED,
	CHECK_WARN,	/* warning findings, no error */
	CHECK_FAILED,	/* at least one error finding */
	CHECK_SKIPPED	/* could not run: no permission, no input */
};

struct check_result {
	const char		*name;		/* "dhcp": also the facts key */
	enum check_status	 status;	/* under diag's mutex */
	double			 started, ended;	/* diag_now() */
	struct findings		 findings;
	cJSON			*facts;		/* owned until moved */
	char			 note[120];	/* one line for the progress */
	bool			 failed;	/* set by check_fail() */
	bool			 skipped;	/* set by the check itself */
	/*
	 * Ended early on diag_request_stop() with nothing to judge yet: shown
	 * "interrupted" like a check still running, but its facts are kept.
	 */
	bool			 interrupted;
	/*
	 * Evidence (report_expect, report_seen): the stages this check sets
	 * out to judge, and those whose transaction it saw complete.
	 */
	stage_set		 expect;
	stage_set		 seen;
};

/* Each check: fill *res (status, facts, findings, note).  Thread entry. */
void	check_link(struct diag *d, struct check_result *res);
void	check_dhcp(struct diag *d, struct check_result *res);
void	check_dns(struct diag *d, struct check_result *res);
void	check_internet(struct diag *d, struct check_result *res);
void	check_portal(struct diag *d, struct check_result *res);
void	check_cloud(struct diag *d, struct check_result *res);

/* --- shared by the checks ------------------------------------------------ */

#define CHECK_ADDRS_MAX		8

/* One name to resolve with check_dns_resolve(). */
struct check_dns_query {
	const char	*name;		/* in: dotted name */
	/* out */
	bool		 answered;	/* a matching reply came */
	uint8_t		 rcode;
	size_t		 naddr;
	struct in_addr	 addr[CHECK_ADDRS_MAX];	/* A records, in order */
	char		 cname[256];	/* first CNAME target, "" if none */
	struct in_addr	 server;	/* who answered */
	double		 latency_ms;
	bool		 malformed;	/* a reply that did not parse */
	bool		 truncated;	/* TC: the reply was cut to fit UDP */
	/* private to the resolver */
	uint16_t	 id;
};

/*
 * Ask every server in `servers` for the A records of each query at once,
 * over UDP port `port` (53 in real use) through interface `ifname` (NULL:
 * as routed), straight to the servers (never
 * through nsswitch), resending what is unanswered every `retry_s` seconds,
 * until every query is answered or diag_now() reaches `deadline`.  Returns
 * the number of answered queries, or -1 when no socket could be opened.
 */
int	check_dns_resolve(const struct in_addr *servers, size_t nservers,
	    uint16_t port, const char *ifname, struct check_dns_query *q,
	    size_t nq, double deadline, double retry_s);

/*
 * check_dns_resolve that also ends early, with what was answered so far,
 * once stop() returns true (checked at least every `retry_s` and after
 * any signal): how `qa test` obeys Ctrl-C.  stop may be NULL.
 */
int	check_dns_resolve_stop(const struct in_addr *servers,
	    size_t nservers, uint16_t port, const char *ifname,
	    struct check_dns_query *q, size_t nq, double deadline,
	    double retry_s, bool (*stop)(void));

/*
 * Resolve `host` for a check: an IPv4 literal is used as it is; otherwise
 * the DNS servers of the run (diag_dns_servers) are asked.  Fills *addr and
 * returns 0, or -1 with the reason in why (whylen bytes).
 */
int	check_resolve_host(struct diag *d, const char *host, double deadline,
	    struct in_addr *addr, char *why, size_t whylen);

/*
 * Parse resolv.conf text: the IPv4 addresses of its `nameserver` lines, in
 * order, at most max (IPv6 servers and malformed lines are skipped).
 * Returns how many were stored.
 */
size_t	check_dns_parse_resolv(const char *text, size_t len,
	    struct in_addr *out, size_t max);

/*
 * TCP connect to addr:port through interface `ifname` (NULL: as routed),
 * failing at `deadline`.  Returns the connected socket, or -1 with *err set
 * to errno (ETIMEDOUT when the deadline passed) and *ms to the time taken.
 */
int	check_tcp_connect(struct in_addr addr, uint16_t port,
	    const char *ifname, double deadline, int *err, double *ms);

/*
 * With --iface, make fd's traffic leave through that interface whatever
 * the routing table prefers (SO_BINDTODEVICE).  ifname NULL: no-op.
 * Returns 0, or -1 with errno set.
 */
int	check_bind_iface(int fd, const char *ifname);

/*
 * Is `buf` (len bytes) the NTP server reply (RFC 5905: mode 4, version 1-4,
 * stratum 1-15 or a kiss code at 0) to our request whose transmit
 * timestamp was `xmit` (8 bytes)?  Pure; *stratum receives the stratum.
 */
bool	check_ntp_reply_ok(const uint8_t *buf, size_t len,
	    const uint8_t xmit[8], uint8_t *stratum);

/*
 * The DHCP check's clock, pure so that it can be tested.  The delay before
 * the next DISCOVER when `nsent` have gone out (RFC 2131 4.1: 4 s, 8, 16,
 * 32, then 64 s), moved by `jitter` (clamped to -1 .. +1 s; the caller draws
 * it at random, uniform).
 */
double	check_dhcp_backoff(unsigned nsent, double jitter);

/*
 * Until when the DHCP check listens, asked at `now`: the deadline while no
 * OFFER came (first < 0); else `grace` seconds after the first OFFER (at
 * `first`), and a little longer each time it is asked while other checks
 * still run (`others`), since listening then costs nothing.  Once an OFFER
 * came, never past the later of the deadline and first + grace: the grace
 * the user asked for is kept whole, even after a late first OFFER.  All in
 * diag_now() seconds.
 */
double	check_dhcp_until(double now, double deadline, double first,
	    double grace, bool others);

/* One answer to the DHCP check's DISCOVER, as check_dhcp_servers reads it. */
struct check_dhcp_answer {
	uint8_t		 server[4];	/* option 54, else the IP source */
	uint8_t		 address[4];	/* yiaddr (an OFFER's) */
	double		 ms;		/* after the first DISCOVER */
	bool		 nak;
};

/*
 * Who answered the DHCP check, pure: from the n answers in the order they
 * came and how long the check listened after the first OFFER (after_ms),
 * the finding to add, its evidence written to ev (len bytes).  More than
 * one server: FINDING_DHCP_MULTIPLE_SERVERS, naming each server, what it
 * offered and when, and which OFFER came first (the one a device likely
 * takes; which server is the "right" one is not guessed).  One server that
 * made an OFFER: FINDING_DHCP_ONE_SERVER_SEEN (info), saying that a server
 * slower than after_ms would not have been seen, so one server seen is
 * never read as one server there.  Else FINDING_COUNT: nothing to add (no
 * OFFER at all is judged apart).  `cut`: a signal ended the listening
 * early, which the evidence says.
 */
enum finding_id	check_dhcp_servers(const struct check_dhcp_answer *a,
	    size_t n, double after_ms, bool cut, char *ev, size_t len);

/* Add to res->findings and mark the check failed (res->failed). */
void	check_fail(struct check_result *res, enum finding_id id,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Set res->note. */
void	check_note(struct check_result *res, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* CHECK_H */
