/*
 * netreport.h - a grouped, judged netmap as the report presents it: the
 * report's networks[] (ssid, verdict, bss[] with the BSS facts), its
 * facts.{wifi,dhcp,dns,http,cloud,devices,coap}, the forum fields of the
 * user's network, and the text networks table.  `analyze`, `scan`,
 * `capture` and the wifi stage of `diagnose` all render through here, so a
 * network reads the same whether a capture or a live radio saw it.  Every
 * key is named in docs/report-schema.md.
 */
#ifndef NETREPORT_H
#define NETREPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "judge.h"
#include "netmap.h"

/* Clients listed one by one in facts.wifi.clients[]; the rest are counted. */
#define NETREPORT_CLIENTS_LISTED	64

struct report;
struct capture_stats;

/*
 * The strings the forum fields point into; it must outlive the report's
 * rendering (cli_finish), so callers keep it beside the struct report.
 */
struct netreport_forum {
	char	router[1024];
	char	security[80];
	char	topology[200];
};

/*
 * Fill r from a grouped netmap and the judge's result on it: r->networks
 * (netreport_networks), the facts netreport_facts() writes, the forum
 * fields (netreport_forum) and the evidence (netreport_evidence).  st, when not NULL, adds facts.coap.
 */
void	netreport_fill(struct report *r, const struct netmap *nm,
	    const struct judge_result *jr, const struct capture_stats *st,
	    struct netreport_forum *buf);

/*
 * The evidence of a capture (report_expect, report_seen): it sets out to
 * judge dhcp, internet and cloud, and wifi when it holds 802.11 (its link
 * type, or frames); the stages seen are the judge's jr->seen.  st may be
 * NULL.  A capture never judges the handshake: it is encrypted.
 */
void	netreport_evidence(struct report *r, const struct netmap *nm,
	    const struct judge_result *jr, const struct capture_stats *st);

/*
 * networks[]: each network with ssid, hidden, focus, bands, channels, the
 * reserved keys (bssid, channel, band, security of the BSS the device
 * would pick), rssi, router, verdict {can_join, blocking, warnings,
 * best_bssid} and bss[].  Returns a new array the caller owns, or NULL
 * when out of memory.
 */
/* Adds key as true or false, or as null when unknown and not yes: how
 * every report and stored condition writes a yes/no that may be unknown. */
void	netreport_add_tri(cJSON *o, const char *key, bool yes, bool unknown);
cJSON	*netreport_networks(const struct netmap *nm,
	    const struct judge_result *jr);

/*
 * facts.wifi (BSS and client counts, clients, join events, overflow),
 * facts.dhcp, dns, http, cloud, devices from nm, and facts.coap from st
 * when st is not NULL.
 */
void	netreport_facts(struct report *r, const struct netmap *nm,
	    const struct capture_stats *st);

/*
 * The network the report is about: the judge's focus (--ssid), else the
 * only network when no SSID was asked for; -1 when there is none.
 */
int	netreport_subject(const struct netmap *nm,
	    const struct judge_result *jr);

/*
 * The forum fields of the subject network: the guess at the router make and
 * model (forum.router_guess: WPS, else the BSSID's OUI, saying which; the
 * user's --router is forum.router), security and PMF,
 * and the topology, e.g. "2 BSSID(s) on 2.4+5 GHz".  The strings live in
 * buf.  Nothing is set when there is no subject.
 */
void	netreport_forum(struct report *r, const struct netmap *nm,
	    const struct judge_result *jr, struct netreport_forum *buf);

/*
 * The networks table of the text output: one line per network with the
 * verdict for the device, `*` marking the --ssid network.  With no network
 * it prints `none` (e.g. "No Wi-Fi networks in this capture.") instead.
 * Returns 0, or -1 on a write error.
 */
int	netreport_print_table(FILE *f, const struct netmap *nm,
	    const struct judge_result *jr, const char *none);

/*
 * What else a capture showed, one line per DHCP server, cloud flow and
 * Particle device, then a blank line if any.  0, or -1 on a write error.
 */
int	netreport_print_seen(FILE *f, const struct netmap *nm);

/*
 * Wire bytes (an SSID, a WPS string) as printable ASCII, anything else and
 * the backslash as \xNN; stops before overrunning buf.  Returns buf.
 */
const char *netreport_text(const void *s, size_t len, char *buf,
	    size_t size);

#endif /* NETREPORT_H */
