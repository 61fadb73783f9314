/*
 * routerqa.h - judging the router tests of `cyanprobe qa test` (issue 14):
 * what the probe observed through the router goes in, as plain structs;
 * the measured figures and the findings for the device come out.  No I/O.
 * The stage and LED outcome of each finding are data in rules/findings.json;
 * the device's keep-alive comes from its profile (rules/devices, keepalives).
 */
#ifndef ROUTERQA_H
#define ROUTERQA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "judge.h"
#include "rules.h"

/* RFC 4787 REQ-5 (UDP) and RFC 5382 REQ-5 (TCP established), seconds. */
#define ROUTERQA_UDP_RFC_S	120.0
#define ROUTERQA_TCP_RFC_S	7440.0

/* --- nat-lifetime ---------------------------------------------------------- */

enum rqa_state {
	RQA_UNTESTED,	/* not probed (limit reached, stopped, set-up failed) */
	RQA_ALIVE,	/* the responder's probe came through after the idle */
	RQA_DEAD	/* it did not: the mapping was gone */
};

/* What the client met when it spoke on a flow after its mapping died. */
enum rqa_after {
	RQA_AFTER_UNKNOWN,
	RQA_AFTER_WORKS,	/* answered: the router made a new mapping */
	RQA_AFTER_RESET,	/* TCP reset */
	RQA_AFTER_SILENT	/* nothing */
};

struct rqa_flow {
	double		idle_s;		/* silence before the probe */
	enum rqa_state	state;
	enum rqa_after	after;		/* for RQA_DEAD */
	bool		reset_early;	/* reset while idle, unasked */
	uint16_t	port0;		/* external port at set-up; 0: unknown */
	uint16_t	port1;		/* after the death; 0: unknown */
};

struct rqa_nat {
	size_t		nprobed;	/* flows alive or dead */
	double		alive_s;	/* longest idle still alive; 0: none */
	double		dead_s;		/* shortest idle found dead; 0: none */
	bool		monotonic;	/* no flow alive past a dead one */
	enum rqa_after	death;		/* how dead flows behave (first seen) */
	bool		reset_early;	/* the router reset an idle flow */
	bool		port_changed;	/* a new external port after death */
};

/*
 * The lifetime curve of one protocol from its flows: the mapping lives at
 * least alive_s and at most dead_s (the resolution is their difference).
 */
void	routerqa_nat_curve(const struct rqa_flow *f, size_t n,
	    struct rqa_nat *out);

/* The lifetime in words for facts: "12-14 s", "> 7440 s", "unknown". */
void	routerqa_nat_words(const struct rqa_nat *n, char *buf, size_t len);

/*
 * The lifetime against a limit: "longer" (alive at or past it), "shorter"
 * (dead by it), "inconclusive" (the limit lies between the two), or
 * "unknown" (nothing probed).
 */
const char *routerqa_nat_against(const struct rqa_nat *n, double limit_s);

/*
 * Findings for the three curves (any may have nprobed 0) against the
 * device's keep-alive (NULL when its profile has none): nat.tcp_short,
 * nat.tcp_below_rfc, nat.udp_short, nat.port_changed.
 */
void	routerqa_nat_judge(const struct rqa_nat *tcp, const struct rqa_nat *tls,
	    const struct rqa_nat *udp, const struct profile_keepalive *ka,
	    struct findings *fs);

/*
 * The ids routerqa_nat_judge() gives, without their texts: what the QA
 * judge decides again from a stored measurement for each firmware's own
 * keep-alive.  routerqa_nat_ids_all(): every id it can give.
 */
judge_ids routerqa_nat_ids(const struct rqa_nat *tcp, const struct rqa_nat *tls,
	    const struct rqa_nat *udp, const struct profile_keepalive *ka);
judge_ids routerqa_nat_ids_all(void);

/* --- wan-recovery ---------------------------------------------------------- */

struct rqa_wan {
	bool		held;		/* the session worked before the event */
	enum rqa_after	old;		/* the old session, after the event */
	double		old_seen_s;	/* when that showed, from the event */
	double		recover_s;	/* a new session worked, from WAN up;
					   < 0: not within the limit */
	bool		renumbered;	/* the event was a new WAN address */
	bool		stopped;	/* cut short (Ctrl-C): no verdict on
					   recovery */
};

/* wan.session_silent, wan.no_recovery. */
void	routerqa_wan_judge(const struct rqa_wan *w,
	    const struct profile_keepalive *ka, struct findings *fs);

/* --- rebind ---------------------------------------------------------------- */

enum rqa_dns {
	RQA_DNS_UNASKED,
	RQA_DNS_TIMEOUT,
	RQA_DNS_PRIVATE,	/* answered with a non-public address */
	RQA_DNS_PUBLIC,		/* answered with a public address */
	RQA_DNS_EMPTY,		/* NOERROR without an address */
	RQA_DNS_NXDOMAIN,
	RQA_DNS_ERROR		/* SERVFAIL, REFUSED, ... */
};

enum rqa_rebind {
	RQA_REBIND_INCONCLUSIVE,
	RQA_REBIND_PASSED,	/* the private answer came through */
	RQA_REBIND_BLOCKED,	/* dropped, and the name does exist */
	RQA_REBIND_NO_NAME	/* the name has no private answer anywhere */
};

const char	*routerqa_dns_name(enum rqa_dns d);
const char	*routerqa_rebind_name(enum rqa_rebind r);

/*
 * From the router's answer for the private name, its answer for a name
 * that does not exist, and an independent resolver's answer for the
 * private name (RQA_DNS_UNASKED without one): the verdict, and
 * dns.rebind_blocked when blocked.  why gets one line for the facts.
 */
enum rqa_rebind routerqa_rebind_judge(enum rqa_dns router_private,
	    enum rqa_dns router_nonexistent, enum rqa_dns upstream_private,
	    struct findings *fs, char *why, size_t whylen);

/* --- isolation ------------------------------------------------------------- */

enum rqa_channel {
	RQA_ARP, RQA_ICMP, RQA_TCP, RQA_UDP, RQA_MDNS4, RQA_MDNS6,
	RQA_CHANNELS
};

struct rqa_iso {
	unsigned	rounds;
	unsigned	tried[RQA_CHANNELS];	/* rounds that tried it */
	unsigned	reached[RQA_CHANNELS];	/* rounds it answered */
};

const char	*routerqa_channel_name(enum rqa_channel ch);

/* lan.isolated, lan.mdns_blocked. */
void	routerqa_iso_judge(const struct rqa_iso *s, struct findings *fs);

/* --- dhcp-time ------------------------------------------------------------ */

/* Leases shorter than this are dhcp.short_lease (OpenWrt's default: 12 h). */
#define ROUTERQA_LEASE_SHORT_S	3600

enum rqa_dhcp_step {
	RQA_DHCP_UNTRIED,	/* not reached within the limit */
	RQA_DHCP_ACK,
	RQA_DHCP_NAK,
	RQA_DHCP_SILENCE
};

struct rqa_dhcp {
	bool			bound;		/* a lease was taken */
	double			offer_delay_s;
	uint32_t		lease_s, t1_s, t2_s;
	enum rqa_dhcp_step	renew, rebind;
	bool			restarted;	/* the restart hook ran */
	bool			other_answered;	/* after it, another MAC
						   got an OFFER: it is up */
	bool			handed_to_other; /* our address offered to
						    another MAC after it */
	enum rqa_dhcp_step	init_reboot;	/* our address asked back */
};

/*
 * dhcp.short_lease, dhcp.renew_failed, dhcp.forgets_leases,
 * dhcp.slow_offer (the first OFFER later than DHCP_SLOW_OFFER_S, info) and
 * dhcp.unicast_renew_ignored (no answer to the unicast RENEW at T1, an ACK
 * to the broadcast REBIND at T2: the device keeps its address, later and
 * by broadcast, as many IoT stacks do not).  A router
 * forgot its leases when, after the restart, it offers the device's address
 * to another client, NAKs the device's INIT-REBOOT for it, or ignores that
 * INIT-REBOOT while it answers others (RFC 2131 4.3.2: a server with no
 * record of the lease stays silent; one that kept it ACKs).
 */
void	routerqa_dhcp_judge(const struct rqa_dhcp *d, struct findings *fs);

#endif /* ROUTERQA_H */
