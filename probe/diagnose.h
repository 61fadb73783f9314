/*
 * diagnose.h - run the live checks of `cyanprobe diagnose` concurrently and
 * fold their facts and findings into one report.
 *
 * The link check runs first (it is a few netlink messages and names the
 * interface the others use); then dhcp, dns, internet, portal and cloud run
 * in one thread each.  They meet only through struct diag: DHCP publishes
 * the first offer's DNS servers and option 114, the others wait for what
 * they need, never past their own deadline.  Deadlines are absolute and
 * scale with --timeout: from the start of the run, or, for the steps that
 * need the lease's DNS servers, from when the first offer came (or DHCP
 * gave up).  So a run takes about the time to the first offer plus its
 * longest deadline, and ends at the DHCP deadline when no server answers.
 */
#ifndef DIAGNOSE_H
#define DIAGNOSE_H

#include <net/if.h>
#include <netinet/in.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "dhcp.h"
#include "handshake.h"
#include "report.h"
#include "rules.h"

#define DIAG_DNS_MAX		4
#define DIAG_HOST_MAX		256
#define DIAG_URL_MAX		1024

/*
 * Deadlines at --timeout 5 (the default), in seconds.  DNS, internet,
 * portal and cloud count theirs from the moment the device would have its
 * lease (diag_net_deadline); the rest from the start of the run.
 */
#define DIAG_TIMEOUT_DEFAULT	5.0
#define DIAG_DNS_BASE		3.0	/* each DNS step, retry every 1 s */
#define DIAG_INTERNET_BASE	5.0
#define DIAG_PORTAL_BASE	5.0
#define DIAG_CLOUD_BASE		5.0	/* connect and the 40-byte read */
/*
 * DHCP: wait up to 10 s for a first OFFER (--dhcp-window sets it; a longer
 * --timeout stretches it, a shorter one does not): stock servers ping-check
 * an address before offering it (dnsmasq up to 3 s, ISC 1 s, udhcpd 2 s),
 * and the DISCOVER is resent at about 4 s as RFC 2131 clients do.  Once an
 * OFFER came, listen DIAG_DHCP_GRACE more for other servers (--dhcp-grace
 * sets it: a second stock server may answer seconds later), and on while
 * other checks still run.  An OFFER later than DIAG_DHCP_SLOW is worth a
 * note.  See docs/diagnose.md.
 */
#define DIAG_DHCP_DEADLINE	10.0
#define DIAG_DHCP_GRACE		0.5
#define DIAG_DHCP_SLOW		DHCP_SLOW_OFFER_S	/* dhcp.h */
/*
 * After a signal, how long to wait at most for the checks that end early on
 * request (diag_request_stop): they need milliseconds, and the wait ends as
 * soon as they do; the bound is generous because on a loaded machine (load
 * 65 on 2 cores in the lab) a thread can wait over a second to run.  A
 * second Ctrl-C ends the process at once anyway.
 */
#define DIAG_STOP_WAIT		5.0

/* What the command line asked for; filled by cmd_diagnose.c. */
struct diag_opts {
	const char	*iface;		/* --iface; NULL: the default route's */
	struct in_addr	 dns[DIAG_DNS_MAX];	/* --dns */
	size_t		 ndns;
	uint16_t	 dns_port;	/* 53; only tests change it */
	bool		 has_mac;
	uint8_t		 mac[6];	/* --dhcp-mac */
	double		 dhcp_window;	/* --dhcp-window: the DHCP deadline, s;
					   0: the default */
	double		 dhcp_grace;	/* --dhcp-grace: listen this long after
					   the first OFFER, s; 0: the default */
	char		 cloud_host[DIAG_HOST_MAX];
	uint16_t	 cloud_port;
	bool		 inet_ntp;	/* the device's test is NTP, not TCP */
	char		 inet_host[DIAG_HOST_MAX];	/* TCP test target */
	uint16_t	 inet_port;
	char		 ntp_host[DIAG_HOST_MAX];	/* NTP test target */
	uint16_t	 ntp_port;
	char		 portal_url[DIAG_URL_MAX];
	double		 timeout;	/* --timeout S; deadlines x S/5 */
	const char	*resolv_conf;	/* path; NULL: /etc/resolv.conf */
	bool		 progress;	/* live lines on stderr */
	int		 progress_width;	/* its columns (cli_width) */
	bool		 skip_dhcp;	/* --no-dhcp */
	/* For the wifi check (check_wifi.h): judge the user's network. */
	const struct profile *profile;	/* --device; NULL: no judging */
	/* The rules' severities give each check its status; may be NULL. */
	const struct rules *rules;
	struct fw_version fw;		/* --firmware */
	const char	*ssid;		/* --ssid; NULL: the connected one */
	/*
	 * --device-key/--server-key: the cloud check runs the whole handshake
	 * (probe/handshake.h) instead of reading only the nonce.
	 */
	struct handshake_check handshake;	/* device_key NULL: nonce only */
};

/* Set the defaults (device.spark.io:5683, 8.8.8.8:53, ...). */
void	diag_opts_init(struct diag_opts *o);

/* The state the checks share.  Fields under `mu` say so. */
struct diag {
	const struct diag_opts	*o;
	double			 t0;	/* diag_now() at the start */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	/* From the link check, before any thread starts; then read-only. */
	bool			 have_iface;
	char			 ifname[IF_NAMESIZE];
	int			 ifindex;
	uint8_t			 ifmac[6];
	/* From /etc/resolv.conf, read at the start; read-only. */
	struct in_addr		 resolv[DIAG_DNS_MAX];
	size_t			 nresolv;
	/* Published by the DHCP check, under mu. */
	bool			 dhcp_offer;	/* the first offer came */
	bool			 dhcp_done;	/* the check ended (or skipped) */
	double			 lease_at;	/* diag_now() of either; 0: not yet */
	int			 running;	/* checks running (diagnose_run) */
	struct in_addr		 dhcp_dns[DIAG_DNS_MAX];
	size_t			 dhcp_ndns;
	char			 dhcp_capport[DIAG_URL_MAX];	/* option 114 */
	/*
	 * Set by diagnose_run when a signal stopped the run: a check that can
	 * end early with what it has (the DHCP check, whose grace may be
	 * long) polls stop_fd (an eventfd, readable once stopping) and ends.
	 */
	bool			 stopping;	/* under mu */
	int			 stop_fd;	/* -1: none could be made */
};

/*
 * Set up d for a run of o, starting now: zeroed, its mutex and its
 * condition variable (on CLOCK_MONOTONIC, like every deadline).  Pair with
 * diag_fini().  diagnose_run() does both; tests use them directly.
 */
void	diag_init(struct diag *d, const struct diag_opts *o);
void	diag_fini(struct diag *d);

/* Monotonic seconds. */
double	diag_now(void);

/* The absolute deadline of a step whose default length is base_s. */
double	diag_deadline(const struct diag *d, double base_s);

/*
 * The DHCP deadline in seconds: --dhcp-window, else DIAG_DHCP_DEADLINE,
 * stretched (never shrunk) by --timeout.
 */
double	diag_dhcp_deadline(const struct diag *d);

/*
 * How long the DHCP check listens for other servers after the first OFFER,
 * at least, in seconds: --dhcp-grace, else DIAG_DHCP_GRACE.
 */
double	diag_dhcp_grace(const struct diag *d);

/*
 * The absolute deadline of a step that runs once the device would have an
 * address (DNS, internet, portal, cloud; default length base_s, scaled by
 * --timeout).  Without --dns, the device's DNS servers come from its lease:
 * this waits first for the first DHCP offer or the end of the DHCP check
 * (bounded by the DHCP deadline), and the step's time counts from then.
 * With --dns it counts from the start of the run, as diag_deadline().
 */
double	diag_net_deadline(struct diag *d, double base_s);

/*
 * Ask the checks that can to end now with what they have (a signal stopped
 * the run): sets d->stopping and makes d->stop_fd readable.
 */
void	diag_request_stop(struct diag *d);

/* Whether diag_request_stop() was called. */
bool	diag_stopping(struct diag *d);

/* The number of checks running now (diagnose_run keeps it). */
int	diag_running(struct diag *d);

/*
 * The DNS servers the device would use, best known: --dns; else the first
 * DHCP offer's (waiting for it until the DHCP check ends); else
 * /etc/resolv.conf.  Never waits past `deadline`.  *source receives "flag",
 * "dhcp" or "resolv.conf".  Returns the count (0: none known).
 */
size_t	diag_dns_servers(struct diag *d, struct in_addr *out, size_t max,
	    const char **source, double deadline);

/* DHCP side: publish the first offer, and the end of the check. */
void	diag_publish_offer(struct diag *d, const struct in_addr *dns,
	    size_t ndns, const char *capport);
void	diag_publish_dhcp_done(struct diag *d);

/*
 * Wait until the first offer or the end of the DHCP check (or deadline);
 * copy option 114 (capport, len bytes, "" when none).  Returns true when an
 * offer came.
 */
bool	diag_wait_offer(struct diag *d, double deadline, char *capport,
	    size_t len);

/*
 * Run every check and move their facts (under r->facts, one key per check,
 * plus "run": timings) and findings into r.  Progress goes to `progress`
 * when o->progress.  SIGINT or SIGTERM during the run stops the wait:
 * r->interrupted is set, and the checks that can end early with what they
 * have (DHCP: the offers seen so far) are asked to, and waited for a moment
 * (DIAG_STOP_WAIT).  The checks that finished are in r and the others
 * are named "interrupted" in facts.run; such checks keep running, so the
 * caller writes the report and ends the process (_exit) without cleaning
 * up.  Returns 0, or -1 when the run could not start (no thread); the
 * caller then reports a runtime failure.
 */
int	diagnose_run(const struct diag_opts *o, struct report *r,
	    FILE *progress);

#endif /* DIAGNOSE_H */
