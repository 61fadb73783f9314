/*
 * check_wifi.h - the live Wi-Fi view shared by `cyanprobe scan` and the
 * wifi stage of `cyanprobe diagnose`: collect (interface, scan or cached
 * results, station, regulatory domain) through probe/nl80211.h, fold the
 * scan into a struct netmap with the very decoders `analyze` uses
 * (ie_parse, wifi_bss_fill, netmap_bss_observe), so judge.h rules on it
 * the same way, and present what only a live radio knows: the link, the
 * regulatory domain and channel congestion, as cJSON facts.
 */
#ifndef CHECK_WIFI_H
#define CHECK_WIFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cJSON.h>

#include "finding.h"
#include "judge.h"
#include "netmap.h"
#include "netreport.h"
#include "nl80211.h"
#include "wifi_bss.h"

/*
 * More BSSes than this on channels overlapping the user's (2.4 GHz: within
 * four channels, since a 20 MHz channel spans five channel numbers) count
 * as congestion for a 1x1 radio that has no band to escape to.
 */
#define CHECK_WIFI_CONGESTED_BSS	8

struct check_wifi_opts {
	const char	*ifname;	/* NULL: the first wireless station */
	bool		 passive;	/* read cached results, no trigger */
	const char	*ssid;		/* probed for; may be NULL */
	int		 timeout_ms;	/* scan deadline; 0 means 10000 */
};

struct check_wifi_live {
	struct nl80211_iface	 iface;
	bool			 fresh;		/* a scan ran just now */
	char			 cached_reason[160];	/* why not, if !fresh */
	struct nl80211_scan	 scan;		/* owned; check_wifi_free() */
	int			 assoc;		/* index into scan.bss, or -1 */
	bool			 has_station;
	struct nl80211_station	 station;
	bool			 has_reg;
	struct nl80211_reg	 reg;
};

/*
 * Collect the live view.  Returns an exit status of log.h (EXIT_OK, or
 * EXIT_USAGE / EXIT_RUNTIME as nl80211_exit_code()) with the message for
 * "cyanprobe: CMD: ..." in err.  Without permission to scan (EPERM) or with
 * o->passive it reads the kernel's cached results and says why in
 * out->cached_reason.  Pair with check_wifi_free() whatever it returns.
 */
int	check_wifi_collect(const struct check_wifi_opts *o,
	    struct check_wifi_live *out, char *err, size_t errlen);
void	check_wifi_free(struct check_wifi_live *lv);

/*
 * Fold every scanned BSS into nm (then netmap_group() it): the beacon
 * elements and the probe-response elements are each decoded and merged,
 * so WPS names only a probe response carries are kept.  The user's SSID
 * (check_wifi_collect() gave it to the scan: --ssid, else the connected
 * network) becomes nm's wanted SSID, and what the scan's own table could
 * not keep is counted in nm->overflow (scan_bss, bss_wanted, want.seen),
 * so the judge tells "not kept" from "not seen".  Returns the number of
 * BSSes folded in.
 */
size_t	check_wifi_netmap(const struct check_wifi_live *lv, struct netmap *nm);

/*
 * The network the user means: `ssid` when given, else the one the
 * interface is connected to.  Writes up to 32 bytes into buf; returns the
 * length, or -1 when there is none.
 */
int	check_wifi_user_ssid(const struct check_wifi_live *lv, const char *ssid,
	    uint8_t buf[32]);

/*
 * BSSes of nm in `band` whose channels overlap channel `chan` (the
 * user's), counting the user's own BSSes too.
 */
unsigned check_wifi_overlapping(const struct netmap *nm, enum wifi_band band,
	    unsigned chan);

/*
 * Findings only the live view supports: wifi.congested around the user's
 * channel.  (Band steering, extenders and weak signal come from judge.h.)
 */
void	check_wifi_findings(const struct check_wifi_live *lv,
	    const struct netmap *nm, const uint8_t *ssid, size_t ssid_len,
	    struct findings *fs);

/*
 * The report's rendering is netreport.h's, the one `analyze` uses; these
 * three forward to it until cmd_scan.c and cmd_capture.c call it directly.
 *
 * networks[] of the report (netreport_networks): a new array the caller
 * owns, or NULL when out of memory.
 */
cJSON	*check_wifi_networks_json(const struct netmap *nm,
	    const struct judge_result *jr);

/*
 * The networks table of the text output (netreport_print_table), saying
 * "No Wi-Fi networks seen." when there is none.
 */
void	check_wifi_print_networks(FILE *f, const struct netmap *nm,
	    const struct judge_result *jr);

/*
 * The forum fields of netreport_forum(), the topology also naming the
 * channel of the user's network ("1 BSSID(s) on 2.4 GHz, channel 1").  The
 * strings live in `buf`, which must outlive the report's rendering.
 */
struct check_wifi_forum {
	struct netreport_forum	nr;
};
struct report;
void	check_wifi_forum(const struct netmap *nm, const struct judge_result *jr,
	    struct check_wifi_forum *buf, struct report *r);

/* Facts; each returns a new cJSON object the caller owns, or NULL. */
cJSON	*check_wifi_link_json(const struct check_wifi_live *lv);
cJSON	*check_wifi_regdom_json(const struct check_wifi_live *lv);
/* The scan itself: interface, fresh or cached, counts, BSSes per channel. */
cJSON	*check_wifi_scan_json(const struct check_wifi_live *lv,
	    const struct netmap *nm, const uint8_t *ssid, size_t ssid_len);

/*
 * The wifi check of `cyanprobe diagnose` (check.h's shape: a thread entry
 * filling its own check_result).  On a wireless interface: scan (or cached
 * results), link, regulatory domain, and the judge's verdict for the
 * user's network (--ssid, else the one the interface is on) with band
 * steering, extenders, congestion and the signal at this computer as an
 * estimate of the device's.  On any other interface the check is skipped
 * and its facts say why.
 */
struct diag;
struct check_result;
void	check_wifi(struct diag *d, struct check_result *res);

#endif /* CHECK_WIFI_H */
