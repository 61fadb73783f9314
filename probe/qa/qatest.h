/*
 * qatest.h - `cyanprobe qa test NAME`: the router behaviours that play out
 * over minutes or hours (issue 14): NAT binding lifetime, DHCP over time
 * and restarts, client isolation, DNS rebinding protection and WAN
 * recovery.  Each test is a file probe/qa/qatest_NAME.c with one run
 * function; it measures through the router into facts (qatest_facts) and
 * leaves the judging to analyzers/routerqa.c, whose findings the report's
 * rules turn into the device-visible outcome.  This file gives the tests
 * what they share: options, the clock, progress on a TTY, Ctrl-C that
 * keeps a partial result, the lab's hooks (power, WAN) and the line
 * protocol to `cyanprobe qa responder`.
 */
#ifndef QATEST_H
#define QATEST_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "qaline.h"
#include "report.h"
#include "rules.h"

#define QATEST_GIVEN_MAX	32
#define QATEST_KEEPALIVES_MAX	8

struct qatest_opts {
	const char	*iface;		/* --iface; NULL: as routed */
	bool		 has_responder;	/* --responder HOST[:PORT] */
	struct in_addr	 responder;
	uint16_t	 port;		/* TCP and UDP, 5683 */
	uint16_t	 tls_port;	/* --tls-port, 443 */
	double		 max_s;		/* --max; 0: the test's default */
	double		 step_s;	/* --step (nat-lifetime); 0: default */
	double		 grace_s;	/* --grace: round trip allowance */
	/* nat-lifetime --keepalive: more intervals to hold lifetimes to */
	double		 keepalive_s[QATEST_KEEPALIVES_MAX];
	size_t		 nkeepalive;
	/* wan-recovery */
	const char	*down_cmd, *up_cmd, *renumber_cmd;
	double		 outage_s;	/* --outage */
	/* isolation */
	bool		 has_target;
	struct in_addr	 target;	/* --target: the device's address */
	uint16_t	 target_tcp;	/* --target-tcp, 80 */
	uint16_t	 target_udp;	/* --target-udp, 5683 */
	double		 interval_s;	/* --interval */
	const char	*mdns_name;	/* --mdns NAME */
	/* rebind */
	const char	*name;		/* --name: public name, private answer */
	const char	*nonexistent;	/* --nonexistent */
	bool		 has_dns, has_upstream;
	struct in_addr	 dns;		/* --dns: the router's resolver */
	struct in_addr	 upstream;	/* --upstream-dns: an independent one */
	/* dhcp-time */
	bool		 has_mac;
	uint8_t		 mac[6];	/* --mac */
	const char	*restart_cmd;	/* --restart-cmd: the power hook */
	double		 renew_at_s;	/* --renew-at; 0: the lease's T1 */
	double		 rebind_at_s;	/* --rebind-at; 0: the lease's T2 */
	/* --db: the result stored as `qa run` stores it (qatest_store.c) */
	const char	*db;
	const char	*cell;		/* --cell ROUTER[/FIRMWARE[/CONFIG]] */
	/* Every test option as given: the stored plan repeats them. */
	struct {
		const char	*flag;	/* "responder", without "--" */
		const char	*value;
	}		 given[QATEST_GIVEN_MAX];
	size_t		 ngiven;
};

struct qatest_ctx {
	const struct qatest_opts	*o;
	const char			*name;	/* "nat-lifetime" */
	struct report			*rep;
	const struct profile		*profile;
	struct fw_version		 fw;
	cJSON				*f;	/* the test's facts object */
	double				 t0;	/* qatest_now() at the start */
	double				 max_s;	/* the limit in force */
	bool				 tty;	/* progress on stderr */
	char				 said[120];	/* the last -v step */
};

struct qatest_def {
	const char	*name;
	const char	*summary;
	double		 default_max_s;
	bool		 needs_responder;
	/*
	 * Measure into ctx->f and add findings to ctx->rep (through
	 * analyzers/routerqa.c).  Returns 0 when facts were gathered (a
	 * partial result after Ctrl-C included), or an exit status of log.h
	 * (EXIT_USAGE, EXIT_RUNTIME) after saying why.
	 */
	int		(*run)(struct qatest_ctx *ctx);
};

int	qatest_nat(struct qatest_ctx *);
int	qatest_wan(struct qatest_ctx *);
int	qatest_rebind(struct qatest_ctx *);
int	qatest_isolation(struct qatest_ctx *);
int	qatest_dhcp(struct qatest_ctx *);

/*
 * --db: store the finished test's report (the JSON at report_path, exit
 * status rc) in o->db as a run of a one-cell plan made from the options,
 * and judge it for cli's device and firmware, as `qa run` does.  Prints
 * the run's tally on stderr.  Returns rc, or the verdicts' EXIT_PROBLEMS
 * when rc was EXIT_OK, or EXIT_RUNTIME when storing failed.
 */
struct cli;
int	qatest_store(const struct qatest_opts *o, const char *name,
	    const struct cli *cli, const char *report_path, int rc);

/* `cyanprobe qa test` and `cyanprobe qa responder`. */
int	qatest_cmd(int argc, char **argv);
int	qaresponder_cmd(int argc, char **argv);

/* The test called name, or NULL. */
const struct qatest_def *qatest_find(const char *name);

/* Seconds on the monotonic clock. */
double	qatest_now(void);

/* Ctrl-C (SIGINT) or SIGTERM came: stop and keep what was measured. */
bool	qatest_stopped(void);

/*
 * Sleep until qatest_now() reaches t, or the test is stopped (then -1),
 * updating the progress line once a second on a TTY.
 */
int	qatest_sleep_until(struct qatest_ctx *c, double t);

/*
 * A step of the test: the progress line on a TTY ("[NAME] MM:SS left
 * what"), and with -v a line "qa test NAME: T s: what" on stderr.
 */
void	qatest_progress(struct qatest_ctx *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Run a hook command (`sh -c CMD`, as a plan's power or WAN hooks are) and
 * record it under facts.hooks[] with its exit status and time.  Returns
 * the exit status (0 on success), or -1 when it could not run.
 */
int	qatest_hook(struct qatest_ctx *c, const char *what, const char *cmd);

/* Line protocol to the responder (qaline.h).  fd is a TCP or a connected
 * UDP socket.  Returns 0, or -1 with errno. */
int	qatest_send_line(int fd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Wait until `deadline` for one line on fd (a TCP stream keeps what
 * follows the line in buf/len between calls; UDP: one datagram per line).
 * Returns 1 with *q filled, 0 on timeout (or stop), -1 on a reset or
 * error (errno: ECONNRESET, ...), -2 on end of stream.
 */
int	qatest_read_line(int fd, bool stream, char *buf, size_t *len,
	    double deadline, struct qaline *q);

/* A UDP socket connected to addr:port through --iface; -1 on error. */
int	qatest_udp_socket(const struct qatest_ctx *c, struct in_addr addr,
	    uint16_t port);

/* The address as text, in a static buffer per call site's use. */
const char *qatest_ip(const uint8_t a[4], char *buf, size_t len);

#endif /* QATEST_H */
