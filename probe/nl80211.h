/*
 * nl80211.h - the live view of Wi-Fi through the kernel's nl80211 generic
 * netlink family (libnl-genl): wireless interfaces, scans and their BSS
 * list, the current link and station, the regulatory domain, and monitor
 * interfaces for capture.
 *
 * The message handling is split from the socket work on purpose: every
 * reply is decoded by a callback nl80211_cb_*() that takes a struct nl_msg *
 * and fills plain structs, checking attributes against nla_policy tables as
 * iw's link.c does.  The live path and tests/unit/test_nl80211.c feed the
 * very same callbacks, the tests with messages built by libnl in the shape
 * the kernel sends (net/wireless/nl80211.c).  Element data stays raw bytes
 * here; callers decode it with analyzers/ie.h so that a network is judged
 * the same however it was seen.
 */
#ifndef NL80211_PROBE_H
#define NL80211_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net/if.h>

struct nl_msg;

#define NL80211_SCAN_MAX	512	/* BSS entries kept from one dump */
#define NL80211_SCAN_RESERVE	64	/* of SCAN_MAX: only for the wanted
					 * SSID and the associated BSS */
#define NL80211_IES_MAX		4096	/* element bytes kept per source */
#define NL80211_IFACES_MAX	32
#define NL80211_REG_RULES_MAX	32

/* Why a live operation failed; each has its own message and exit code. */
enum nl80211_err {
	NL80211_OK,
	NL80211_E_NOFAMILY,	/* kernel has no nl80211 (no cfg80211) */
	NL80211_E_NOIFACE,	/* no wireless interface at all */
	NL80211_E_NOSUCHIF,	/* the named interface does not exist */
	NL80211_E_NOTWIRELESS,	/* the named interface is not wireless */
	NL80211_E_DOWN,		/* the interface is administratively down */
	NL80211_E_PERM,		/* no CAP_NET_ADMIN */
	NL80211_E_BUSY,		/* a scan is already running (after retry) */
	NL80211_E_TIMEOUT,	/* the deadline passed */
	NL80211_E_ABORTED,	/* the kernel aborted the scan */
	NL80211_E_UNSUPPORTED,	/* the driver refused the request */
	NL80211_E_SYSTEM	/* anything else; see the message */
};

/* One BSS from a GET_SCAN dump (NL80211_ATTR_BSS). */
struct nl80211_bss_info {
	uint8_t		 bssid[6];
	uint32_t	 freq;		/* MHz */
	bool		 has_signal;
	int32_t		 signal_mbm;	/* 100 * dBm */
	bool		 has_age;
	uint32_t	 seen_ms_ago;
	uint16_t	 capability;	/* capability information field */
	uint16_t	 beacon_interval;	/* TU */
	int		 status;	/* enum nl80211_bss_status, or -1 */
	bool		 presp;		/* `ies` known to be a probe response */
	uint8_t		*ies;		/* BSS_INFORMATION_ELEMENTS, owned */
	size_t		 ies_len;
	uint8_t		*beacon_ies;	/* BSS_BEACON_IES, owned */
	size_t		 beacon_ies_len;
	bool		 ies_truncated;	/* one was cut at NL80211_IES_MAX */
};

/*
 * A scan dump: a bounded list; past NL80211_SCAN_MAX counts in `dropped`.
 * With a wanted SSID (nl80211_scan_want()) the last NL80211_SCAN_RESERVE
 * entries are kept for that network's BSSes and the associated one, so a
 * crowded scan never pushes out the network asked about; `want_seen` says
 * whether any entry named it, kept or not, and `want_dropped` how many of
 * its entries did not fit even so.
 */
struct nl80211_scan {
	struct nl80211_bss_info	*bss;	/* owned, `n` entries */
	size_t			 n;
	size_t			 cap;
	size_t			 dropped;
	uint32_t		 ifindex;	/* filter; 0 keeps all */
	bool			 want_set;
	uint8_t			 want_ssid[32];
	size_t			 want_len;
	bool			 want_seen;
	size_t			 want_dropped;
};

/* One wireless interface (GET_INTERFACE). */
struct nl80211_iface {
	uint32_t	ifindex;
	char		name[IF_NAMESIZE];
	uint32_t	wiphy;
	uint32_t	iftype;		/* enum nl80211_iftype */
	uint8_t		mac[6];
	bool		has_ssid;
	uint8_t		ssid[32];	/* raw bytes, not terminated */
	size_t		ssid_len;
	uint32_t	freq;		/* MHz, 0 when not on a channel */
	uint32_t	center_freq1;	/* MHz, 0 when unknown */
	int		chan_width;	/* enum nl80211_chan_width, or -1 */
};

struct nl80211_ifaces {
	struct nl80211_iface	item[NL80211_IFACES_MAX];
	size_t			n;
	size_t			dropped;
};

/* The station entry of the AP we are associated with (GET_STATION). */
struct nl80211_station {
	bool		valid;
	uint8_t		mac[6];
	bool		has_signal;
	int		signal_dbm;
	bool		has_signal_avg;
	int		signal_avg_dbm;
	uint32_t	tx_bitrate;	/* 100 kbit/s, 0 when unknown */
	uint32_t	rx_bitrate;	/* 100 kbit/s, 0 when unknown */
	bool		has_connected_time;
	uint32_t	connected_time;	/* seconds */
	bool		has_inactive_time;
	uint32_t	inactive_time;	/* ms */
	uint32_t	tx_failed;
	uint32_t	tx_retries;
};

struct nl80211_reg_rule {
	uint32_t	flags;		/* enum nl80211_reg_rule_flags */
	uint32_t	start_khz;
	uint32_t	end_khz;
	uint32_t	max_bw_khz;
	uint32_t	max_eirp_mbm;
};

/* The regulatory domain (GET_REG). */
struct nl80211_reg {
	bool			valid;
	char			alpha2[3];	/* "00" is the world domain */
	int			dfs_region;	/* nl80211_dfs_regions, -1 */
	struct nl80211_reg_rule	rule[NL80211_REG_RULES_MAX];
	size_t			nrules;
	size_t			dropped;
};

/* ---- message callbacks: pure decoding, shared by live path and tests ---- */

/*
 * Each callback has libnl's nl_recvmsg_msg_cb_t shape and returns NL_SKIP:
 * a malformed or unrelated message is ignored, never fatal, and the
 * attribute policies reject wrong lengths before any read.
 *
 * nl80211_cb_bss: one NEW_SCAN_RESULTS message of a GET_SCAN dump; appends
 * to `arg` (struct nl80211_scan *), copying element data (the copies are
 * owned by the scan; free with nl80211_scan_free()).
 */
int	nl80211_cb_bss(struct nl_msg *msg, void *arg);

/* One NEW_INTERFACE message; appends to `arg` (struct nl80211_ifaces *). */
int	nl80211_cb_iface(struct nl_msg *msg, void *arg);

/* One NEW_STATION message; fills `arg` (struct nl80211_station *). */
int	nl80211_cb_station(struct nl_msg *msg, void *arg);

/* The GET_REG reply; fills `arg` (struct nl80211_reg *). */
int	nl80211_cb_reg(struct nl_msg *msg, void *arg);

void	nl80211_scan_init(struct nl80211_scan *s, uint32_t ifindex);
/*
 * Name the network the user asked about (raw SSID bytes, up to 32; longer
 * is ignored): its entries may use the reserve.  Kept by
 * nl80211_scan_free(), which clears want_seen and want_dropped.
 */
void	nl80211_scan_want(struct nl80211_scan *s, const uint8_t *ssid,
	    size_t len);
/* Free the entries and their element copies; the struct may be reused. */
void	nl80211_scan_free(struct nl80211_scan *s);

/* The associated entry of a scan (BSS_STATUS associated), or NULL. */
const struct nl80211_bss_info *
	nl80211_scan_associated(const struct nl80211_scan *s);

/* ---- helpers ---- */

/* "20", "40", "80", "80+80", "160", "20-noht", ...; "unknown" for -1. */
const char	*nl80211_width_name(int chan_width);
/* Width in MHz of enum nl80211_chan_width, 0 when unknown. */
int		 nl80211_width_mhz(int chan_width);
/* The message for `err`, for "cyanprobe: ...: %s". */
const char	*nl80211_strerror(enum nl80211_err err);
/* The exit status (probe/log.h) for `err`. */
int		 nl80211_exit_code(enum nl80211_err err);

/* ---- live operations ---- */

/*
 * A connection to nl80211.  nl80211_open() resolves the family; on failure
 * it returns NL80211_E_NOFAMILY (no cfg80211 in this kernel) or
 * NL80211_E_SYSTEM, with details in `msg`.  Pair with nl80211_close().
 */
struct nl80211 {
	struct nl_sock	*sock;
	int		 family;
	int		 protocol;	/* NETLINK_GENERIC, or a test's */
	int		 scan_group;	/* 0: resolve "scan" from the kernel */
	bool		 dump_interrupted;	/* last dump: NLM_F_DUMP_INTR */
	char		 msg[256];	/* detail of the last failure */
};

/*
 * Tests only: with $CYANPROBE_NL80211_PEER set to "PROTO:PORT:FAMILY:GROUP"
 * nl80211_open() talks to a user-space stand-in for the kernel (netlink
 * protocol PROTO, e.g. 2 for NETLINK_USERSOCK, at port PORT) that answers
 * as nl80211 family FAMILY and sends scan events to multicast GROUP; see
 * tests/helpers/fake_nl80211.c.  Needs CAP_NET_ADMIN like the real thing.
 */
#define NL80211_PEER_ENV	"CYANPROBE_NL80211_PEER"

enum nl80211_err	nl80211_open(struct nl80211 *nl);
void			nl80211_close(struct nl80211 *nl);

/*
 * Check `ifname` without nl80211: NL80211_E_NOSUCHIF, NL80211_E_NOTWIRELESS
 * (no /sys/class/net/IF/phy80211 or wireless entry) or NL80211_OK.
 */
enum nl80211_err	nl80211_check_ifname(const char *ifname, char *msg,
			    size_t msglen);

/* GET_INTERFACE dump of every wireless interface. */
enum nl80211_err	nl80211_interfaces(struct nl80211 *nl,
			    struct nl80211_ifaces *out);

/*
 * Choose the interface: `ifname` when given (it must be wireless), else the
 * first station interface that is on a channel, else the first station.
 */
enum nl80211_err	nl80211_pick(struct nl80211 *nl, const char *ifname,
			    struct nl80211_iface *out);

/*
 * Trigger a scan on `ifindex` and wait, at most `timeout_ms`, for
 * NEW_SCAN_RESULTS or SCAN_ABORTED.  On EBUSY it waits for the running
 * scan to end (at most 3 s) and retries once.  Returns NL80211_E_PERM when
 * not allowed (callers then read the cached results), NL80211_E_DOWN,
 * NL80211_E_BUSY, NL80211_E_TIMEOUT,
 * NL80211_E_ABORTED.  `ssid` (may be NULL) is probed for actively so that
 * hidden networks and probe-response-only WPS data show up.
 */
enum nl80211_err	nl80211_trigger_scan(struct nl80211 *nl,
			    uint32_t ifindex, const char *ssid, int timeout_ms);

/*
 * GET_SCAN dump into `out` (initialised by the caller for `ifindex`); a
 * dump the kernel marks interrupted (results changed meanwhile) is read
 * again once, and the second one is kept whatever its mark.
 */
enum nl80211_err	nl80211_get_scan(struct nl80211 *nl, uint32_t ifindex,
			    struct nl80211_scan *out);

/* GET_STATION for `mac` on `ifindex`. */
enum nl80211_err	nl80211_get_station(struct nl80211 *nl,
			    uint32_t ifindex, const uint8_t mac[6],
			    struct nl80211_station *out);

/* GET_REG (the global domain). */
enum nl80211_err	nl80211_get_reg(struct nl80211 *nl,
			    struct nl80211_reg *out);

/*
 * Create a monitor interface `name` on `wiphy` (NEW_INTERFACE) and bring it
 * up; *ifindex receives its index.  nl80211_del_interface() removes it.
 */
enum nl80211_err	nl80211_new_monitor(struct nl80211 *nl, uint32_t wiphy,
			    const char *name, uint32_t *ifindex);
enum nl80211_err	nl80211_del_interface(struct nl80211 *nl,
			    uint32_t ifindex);

/* Tune a monitor interface to `mhz` (20 MHz, no HT). */
enum nl80211_err	nl80211_set_freq(struct nl80211 *nl, uint32_t ifindex,
			    uint32_t mhz);

#endif /* NL80211_PROBE_H */
