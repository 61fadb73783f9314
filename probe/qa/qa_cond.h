/*
 * qa_cond.h - the BSS and NAT conditions a QA cell stores (analyzers/qajudge.h,
 * QAJUDGE_COND_BSS): read from a report's bss[] objects, stored as one
 * "condition" fact "wifi.bss" per BSS whose value is a small JSON object
 * with the report's own key names, and read back by `qa judge`.  One
 * reader serves both, so a stored BSS says what the report said.
 */
#ifndef QA_COND_H
#define QA_COND_H

#include <stdbool.h>

#include <cJSON.h>

#include "qajudge.h"

/*
 * A report's BSS object (or a stored one) into *out: band, channel,
 * freq_mhz, width_mhz, security, pmf, n_only, g_only, elements_cut,
 * hidden, country (two letters or digits, else ""), and a WEP group
 * cipher beside WPA (the report's group "WEP-40" or "WEP-104", the stored
 * wep_group).  A key missing or of an unknown
 * value reads as unknown, except n_only, g_only and hidden: null is
 * unknown (as the report and a newer store write it), missing is false
 * (as an older store read).  An older cyanprobe reads a stored null as
 * false, as it stored it: no schema change.  False when o is not an object.
 */
bool	 qa_cond_bss_read(const cJSON *o, struct qajudge_bss *out);

/* The stored text of b (malloc'd JSON, the caller frees), or NULL. */
char	*qa_cond_bss_text(const struct qajudge_bss *b);

/* Stored text back into *out; false when it is not such an object. */
bool	 qa_cond_bss_parse(const char *text, struct qajudge_bss *out);

/*
 * nat-lifetime's curves (QAJUDGE_COND_NAT, stored as "nat.lifetimes"):
 * from a report's facts.nat_lifetime object, or the stored text, which
 * has the same keys (tcp5683, tcp443, udp, each with alive_s, dead_s,
 * port_changed, and probed: the flows alive or dead, which the report
 * gives as flows[]) into out[QAJUDGE_NAT_KINDS].  False when o is not an
 * object or holds none of the three.
 */
bool	 qa_cond_nat_read(const cJSON *o, struct rqa_nat out[]);
char	*qa_cond_nat_text(const struct rqa_nat n[]);
bool	 qa_cond_nat_parse(const char *text, struct rqa_nat out[]);

#endif /* QA_COND_H */
