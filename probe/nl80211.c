/*
 * nl80211.c - the live view of Wi-Fi through nl80211 (libnl-genl): replies
 * decoded by callbacks that take a struct nl_msg * (so tests feed them
 * messages built with libnl), and the socket work around them: resolving
 * the family, interface dumps, triggering a scan and waiting for its result
 * on the "scan" multicast group with a deadline, GET_SCAN, GET_STATION,
 * GET_REG, and monitor interfaces for capture.  Attribute layouts follow
 * the kernel's net/wireless/nl80211.c; policies follow iw's scan.c/link.c.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/nl80211.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "ie.h"
#include "log.h"
#include "nl80211.h"

/* ---- policies ---------------------------------------------------------- */

/*
 * Binary attributes get a minimum length so that a short one is rejected
 * by nla_parse() and the decoder below can copy its fixed size unchecked.
 */
static const struct nla_policy bss_policy[NL80211_BSS_MAX + 1] = {
	[NL80211_BSS_BSSID] = { .type = NLA_UNSPEC, .minlen = 6 },
	[NL80211_BSS_FREQUENCY] = { .type = NLA_U32 },
	[NL80211_BSS_TSF] = { .type = NLA_U64 },
	[NL80211_BSS_BEACON_INTERVAL] = { .type = NLA_U16 },
	[NL80211_BSS_CAPABILITY] = { .type = NLA_U16 },
	[NL80211_BSS_INFORMATION_ELEMENTS] = { .type = NLA_UNSPEC },
	[NL80211_BSS_SIGNAL_MBM] = { .type = NLA_U32 },
	[NL80211_BSS_SIGNAL_UNSPEC] = { .type = NLA_U8 },
	[NL80211_BSS_STATUS] = { .type = NLA_U32 },
	[NL80211_BSS_SEEN_MS_AGO] = { .type = NLA_U32 },
	[NL80211_BSS_BEACON_IES] = { .type = NLA_UNSPEC },
	[NL80211_BSS_PRESP_DATA] = { .type = NLA_FLAG },
};

static const struct nla_policy sta_policy[NL80211_STA_INFO_MAX + 1] = {
	[NL80211_STA_INFO_INACTIVE_TIME] = { .type = NLA_U32 },
	[NL80211_STA_INFO_SIGNAL] = { .type = NLA_U8 },
	[NL80211_STA_INFO_SIGNAL_AVG] = { .type = NLA_U8 },
	[NL80211_STA_INFO_TX_BITRATE] = { .type = NLA_NESTED },
	[NL80211_STA_INFO_RX_BITRATE] = { .type = NLA_NESTED },
	[NL80211_STA_INFO_CONNECTED_TIME] = { .type = NLA_U32 },
	[NL80211_STA_INFO_TX_RETRIES] = { .type = NLA_U32 },
	[NL80211_STA_INFO_TX_FAILED] = { .type = NLA_U32 },
};

static const struct nla_policy rate_policy[NL80211_RATE_INFO_MAX + 1] = {
	[NL80211_RATE_INFO_BITRATE] = { .type = NLA_U16 },
	[NL80211_RATE_INFO_BITRATE32] = { .type = NLA_U32 },
	[NL80211_RATE_INFO_MCS] = { .type = NLA_U8 },
	[NL80211_RATE_INFO_40_MHZ_WIDTH] = { .type = NLA_FLAG },
	[NL80211_RATE_INFO_SHORT_GI] = { .type = NLA_FLAG },
};

static const struct nla_policy rule_policy[NL80211_REG_RULE_ATTR_MAX + 1] = {
	[NL80211_ATTR_REG_RULE_FLAGS] = { .type = NLA_U32 },
	[NL80211_ATTR_FREQ_RANGE_START] = { .type = NLA_U32 },
	[NL80211_ATTR_FREQ_RANGE_END] = { .type = NLA_U32 },
	[NL80211_ATTR_FREQ_RANGE_MAX_BW] = { .type = NLA_U32 },
	[NL80211_ATTR_POWER_RULE_MAX_ANT_GAIN] = { .type = NLA_U32 },
	[NL80211_ATTR_POWER_RULE_MAX_EIRP] = { .type = NLA_U32 },
};

/*
 * The top-level attributes we read.  Entries not listed are NLA_UNSPEC
 * with no length rule, which is what the kernel's own policy does for
 * attributes it only emits.  Const, so threads (diagnose) may share it.
 */
static const struct nla_policy top_policy[NL80211_ATTR_MAX + 1] = {
	[NL80211_ATTR_IFINDEX] = { .type = NLA_U32 },
	[NL80211_ATTR_WIPHY] = { .type = NLA_U32 },
	[NL80211_ATTR_IFTYPE] = { .type = NLA_U32 },
	[NL80211_ATTR_MAC] = { .type = NLA_UNSPEC, .minlen = 6 },
	[NL80211_ATTR_SSID] = { .type = NLA_UNSPEC, .maxlen = 32 },
	[NL80211_ATTR_WIPHY_FREQ] = { .type = NLA_U32 },
	[NL80211_ATTR_CHANNEL_WIDTH] = { .type = NLA_U32 },
	[NL80211_ATTR_CENTER_FREQ1] = { .type = NLA_U32 },
	[NL80211_ATTR_BSS] = { .type = NLA_NESTED },
	[NL80211_ATTR_STA_INFO] = { .type = NLA_NESTED },
	[NL80211_ATTR_REG_RULES] = { .type = NLA_NESTED },
	[NL80211_ATTR_DFS_REGION] = { .type = NLA_U8 },
};

/* Parse the generic netlink payload of `msg` into tb; -1 when malformed. */
static int
parse_top(struct nl_msg *msg, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh;

	memset(tb, 0, sizeof(*tb) * (NL80211_ATTR_MAX + 1));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -1;
	gnlh = nlmsg_data(nlh);
	if (nla_parse(tb, NL80211_ATTR_MAX, genlmsg_attrdata(gnlh, 0),
	    genlmsg_attrlen(gnlh, 0), top_policy) < 0)
		return -1;
	return 0;
}

/* ---- callbacks --------------------------------------------------------- */

/* Copy an element blob, keeping at most NL80211_IES_MAX bytes. */
static uint8_t *
copy_ies(const struct nlattr *a, size_t *len, bool *truncated)
{
	size_t n = (size_t)nla_len(a);
	uint8_t *p;

	if (n > NL80211_IES_MAX) {
		n = NL80211_IES_MAX;
		*truncated = true;
	}
	*len = 0;
	if (n == 0 || (p = malloc(n)) == NULL)
		return NULL;
	memcpy(p, nla_data(a), n);
	*len = n;
	return p;
}

/* Does this element attribute's SSID element name the wanted network? */
static bool
scan_wanted(const struct nl80211_scan *s, const struct nlattr *a)
{
	struct ie_iter it;

	if (!s->want_set || a == NULL)
		return false;
	ie_for_each(&it, nla_data(a), (size_t)nla_len(a))
		if (it.elem.id == EID_SSID)
			return it.elem.len == s->want_len &&
			    memcmp(it.elem.data, s->want_ssid,
			    s->want_len) == 0;
	return false;
}

int
nl80211_cb_bss(struct nl_msg *msg, void *arg)
{
	struct nl80211_scan *s = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct nlattr *bss[NL80211_BSS_MAX + 1];
	struct nl80211_bss_info *b, *grown;
	size_t ncap, room;
	bool wanted, assoc;

	if (parse_top(msg, tb) < 0 || tb[NL80211_ATTR_BSS] == NULL)
		return NL_SKIP;
	if (s->ifindex != 0 && tb[NL80211_ATTR_IFINDEX] != NULL &&
	    nla_get_u32(tb[NL80211_ATTR_IFINDEX]) != s->ifindex)
		return NL_SKIP;
	if (nla_parse_nested(bss, NL80211_BSS_MAX, tb[NL80211_ATTR_BSS],
	    bss_policy) < 0)
		return NL_SKIP;
	/* A BSS without address or channel cannot be judged or shown. */
	if (bss[NL80211_BSS_BSSID] == NULL ||
	    bss[NL80211_BSS_FREQUENCY] == NULL)
		return NL_SKIP;
	wanted = scan_wanted(s, bss[NL80211_BSS_INFORMATION_ELEMENTS]) ||
	    scan_wanted(s, bss[NL80211_BSS_BEACON_IES]);
	if (wanted)
		s->want_seen = true;
	/* The reserve is for the wanted network and the one we are on. */
	assoc = bss[NL80211_BSS_STATUS] != NULL &&
	    nla_get_u32(bss[NL80211_BSS_STATUS]) ==
	    NL80211_BSS_STATUS_ASSOCIATED;
	room = NL80211_SCAN_MAX;
	if (s->want_set && !wanted && !assoc)
		room -= NL80211_SCAN_RESERVE;
	if (s->n >= room) {
		s->dropped++;
		if (wanted)
			s->want_dropped++;
		return NL_SKIP;
	}
	if (s->n == s->cap) {
		ncap = s->cap == 0 ? 32 : s->cap * 2;
		if (ncap > NL80211_SCAN_MAX)
			ncap = NL80211_SCAN_MAX;
		grown = realloc(s->bss, ncap * sizeof(*grown));
		if (grown == NULL) {
			s->dropped++;
			return NL_SKIP;
		}
		s->bss = grown;
		s->cap = ncap;
	}
	b = &s->bss[s->n];
	memset(b, 0, sizeof(*b));
	memcpy(b->bssid, nla_data(bss[NL80211_BSS_BSSID]), 6);
	b->freq = nla_get_u32(bss[NL80211_BSS_FREQUENCY]);
	if (bss[NL80211_BSS_SIGNAL_MBM] != NULL) {
		b->has_signal = true;
		b->signal_mbm =
		    (int32_t)nla_get_u32(bss[NL80211_BSS_SIGNAL_MBM]);
	}
	if (bss[NL80211_BSS_SEEN_MS_AGO] != NULL) {
		b->has_age = true;
		b->seen_ms_ago = nla_get_u32(bss[NL80211_BSS_SEEN_MS_AGO]);
	}
	if (bss[NL80211_BSS_CAPABILITY] != NULL)
		b->capability = nla_get_u16(bss[NL80211_BSS_CAPABILITY]);
	if (bss[NL80211_BSS_BEACON_INTERVAL] != NULL)
		b->beacon_interval =
		    nla_get_u16(bss[NL80211_BSS_BEACON_INTERVAL]);
	b->status = bss[NL80211_BSS_STATUS] != NULL ?
	    (int)nla_get_u32(bss[NL80211_BSS_STATUS]) : -1;
	b->presp = bss[NL80211_BSS_PRESP_DATA] != NULL;
	if (bss[NL80211_BSS_INFORMATION_ELEMENTS] != NULL)
		b->ies = copy_ies(bss[NL80211_BSS_INFORMATION_ELEMENTS],
		    &b->ies_len, &b->ies_truncated);
	if (bss[NL80211_BSS_BEACON_IES] != NULL)
		b->beacon_ies = copy_ies(bss[NL80211_BSS_BEACON_IES],
		    &b->beacon_ies_len, &b->ies_truncated);
	/*
	 * Without PRESP_DATA the kernel's rule applies: element data that
	 * differs from the beacon's came from a probe response.
	 */
	if (!b->presp && b->ies != NULL && b->beacon_ies != NULL &&
	    (b->ies_len != b->beacon_ies_len ||
	    memcmp(b->ies, b->beacon_ies, b->ies_len) != 0))
		b->presp = true;
	s->n++;
	return NL_SKIP;
}

int
nl80211_cb_iface(struct nl_msg *msg, void *arg)
{
	struct nl80211_ifaces *ifs = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct nl80211_iface *i;

	if (parse_top(msg, tb) < 0 || tb[NL80211_ATTR_IFINDEX] == NULL)
		return NL_SKIP;
	if (ifs->n >= NL80211_IFACES_MAX) {
		ifs->dropped++;
		return NL_SKIP;
	}
	i = &ifs->item[ifs->n];
	memset(i, 0, sizeof(*i));
	i->chan_width = -1;
	i->ifindex = nla_get_u32(tb[NL80211_ATTR_IFINDEX]);
	if (tb[NL80211_ATTR_IFNAME] != NULL)
		nla_strlcpy(i->name, tb[NL80211_ATTR_IFNAME], sizeof(i->name));
	if (tb[NL80211_ATTR_WIPHY] != NULL)
		i->wiphy = nla_get_u32(tb[NL80211_ATTR_WIPHY]);
	if (tb[NL80211_ATTR_IFTYPE] != NULL)
		i->iftype = nla_get_u32(tb[NL80211_ATTR_IFTYPE]);
	if (tb[NL80211_ATTR_MAC] != NULL)
		memcpy(i->mac, nla_data(tb[NL80211_ATTR_MAC]), 6);
	if (tb[NL80211_ATTR_SSID] != NULL) {
		i->has_ssid = true;
		i->ssid_len = (size_t)nla_len(tb[NL80211_ATTR_SSID]);
		if (i->ssid_len > sizeof(i->ssid))
			i->ssid_len = sizeof(i->ssid);
		memcpy(i->ssid, nla_data(tb[NL80211_ATTR_SSID]), i->ssid_len);
	}
	if (tb[NL80211_ATTR_WIPHY_FREQ] != NULL)
		i->freq = nla_get_u32(tb[NL80211_ATTR_WIPHY_FREQ]);
	if (tb[NL80211_ATTR_CHANNEL_WIDTH] != NULL)
		i->chan_width =
		    (int)nla_get_u32(tb[NL80211_ATTR_CHANNEL_WIDTH]);
	if (tb[NL80211_ATTR_CENTER_FREQ1] != NULL)
		i->center_freq1 = nla_get_u32(tb[NL80211_ATTR_CENTER_FREQ1]);
	ifs->n++;
	return NL_SKIP;
}

/* A rate_info nest to 100 kbit/s; the 32-bit form wins (VHT/HE rates). */
static uint32_t
parse_rate(struct nlattr *nest)
{
	struct nlattr *ri[NL80211_RATE_INFO_MAX + 1];

	if (nla_parse_nested(ri, NL80211_RATE_INFO_MAX, nest, rate_policy) < 0)
		return 0;
	if (ri[NL80211_RATE_INFO_BITRATE32] != NULL)
		return nla_get_u32(ri[NL80211_RATE_INFO_BITRATE32]);
	if (ri[NL80211_RATE_INFO_BITRATE] != NULL)
		return nla_get_u16(ri[NL80211_RATE_INFO_BITRATE]);
	return 0;
}

int
nl80211_cb_station(struct nl_msg *msg, void *arg)
{
	struct nl80211_station *st = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct nlattr *si[NL80211_STA_INFO_MAX + 1];

	if (parse_top(msg, tb) < 0 || tb[NL80211_ATTR_STA_INFO] == NULL)
		return NL_SKIP;
	if (nla_parse_nested(si, NL80211_STA_INFO_MAX,
	    tb[NL80211_ATTR_STA_INFO], sta_policy) < 0)
		return NL_SKIP;
	memset(st, 0, sizeof(*st));
	st->valid = true;
	if (tb[NL80211_ATTR_MAC] != NULL)
		memcpy(st->mac, nla_data(tb[NL80211_ATTR_MAC]), 6);
	/* The kernel sends dBm as a u8 holding an s8. */
	if (si[NL80211_STA_INFO_SIGNAL] != NULL) {
		st->has_signal = true;
		st->signal_dbm =
		    (int8_t)nla_get_u8(si[NL80211_STA_INFO_SIGNAL]);
	}
	if (si[NL80211_STA_INFO_SIGNAL_AVG] != NULL) {
		st->has_signal_avg = true;
		st->signal_avg_dbm =
		    (int8_t)nla_get_u8(si[NL80211_STA_INFO_SIGNAL_AVG]);
	}
	if (si[NL80211_STA_INFO_TX_BITRATE] != NULL)
		st->tx_bitrate = parse_rate(si[NL80211_STA_INFO_TX_BITRATE]);
	if (si[NL80211_STA_INFO_RX_BITRATE] != NULL)
		st->rx_bitrate = parse_rate(si[NL80211_STA_INFO_RX_BITRATE]);
	if (si[NL80211_STA_INFO_CONNECTED_TIME] != NULL) {
		st->has_connected_time = true;
		st->connected_time =
		    nla_get_u32(si[NL80211_STA_INFO_CONNECTED_TIME]);
	}
	if (si[NL80211_STA_INFO_INACTIVE_TIME] != NULL) {
		st->has_inactive_time = true;
		st->inactive_time =
		    nla_get_u32(si[NL80211_STA_INFO_INACTIVE_TIME]);
	}
	if (si[NL80211_STA_INFO_TX_RETRIES] != NULL)
		st->tx_retries = nla_get_u32(si[NL80211_STA_INFO_TX_RETRIES]);
	if (si[NL80211_STA_INFO_TX_FAILED] != NULL)
		st->tx_failed = nla_get_u32(si[NL80211_STA_INFO_TX_FAILED]);
	return NL_SKIP;
}

int
nl80211_cb_reg(struct nl_msg *msg, void *arg)
{
	struct nl80211_reg *reg = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct nlattr *rt[NL80211_REG_RULE_ATTR_MAX + 1];
	struct nlattr *rule;
	struct nl80211_reg_rule *r;
	int rem;

	if (parse_top(msg, tb) < 0 || tb[NL80211_ATTR_REG_ALPHA2] == NULL)
		return NL_SKIP;
	/* A dump also lists self-managed wiphys; keep the global domain. */
	if (reg->valid && tb[NL80211_ATTR_WIPHY] != NULL)
		return NL_SKIP;
	memset(reg, 0, sizeof(*reg));
	reg->valid = true;
	reg->dfs_region = -1;
	nla_strlcpy(reg->alpha2, tb[NL80211_ATTR_REG_ALPHA2],
	    sizeof(reg->alpha2));
	if (tb[NL80211_ATTR_DFS_REGION] != NULL)
		reg->dfs_region = nla_get_u8(tb[NL80211_ATTR_DFS_REGION]);
	if (tb[NL80211_ATTR_REG_RULES] == NULL)
		return NL_SKIP;
	nla_for_each_nested(rule, tb[NL80211_ATTR_REG_RULES], rem) {
		if (nla_parse_nested(rt, NL80211_REG_RULE_ATTR_MAX, rule,
		    rule_policy) < 0)
			continue;
		if (rt[NL80211_ATTR_FREQ_RANGE_START] == NULL ||
		    rt[NL80211_ATTR_FREQ_RANGE_END] == NULL)
			continue;
		if (reg->nrules >= NL80211_REG_RULES_MAX) {
			reg->dropped++;
			continue;
		}
		r = &reg->rule[reg->nrules++];
		r->start_khz = nla_get_u32(rt[NL80211_ATTR_FREQ_RANGE_START]);
		r->end_khz = nla_get_u32(rt[NL80211_ATTR_FREQ_RANGE_END]);
		if (rt[NL80211_ATTR_REG_RULE_FLAGS] != NULL)
			r->flags = nla_get_u32(rt[NL80211_ATTR_REG_RULE_FLAGS]);
		if (rt[NL80211_ATTR_FREQ_RANGE_MAX_BW] != NULL)
			r->max_bw_khz =
			    nla_get_u32(rt[NL80211_ATTR_FREQ_RANGE_MAX_BW]);
		if (rt[NL80211_ATTR_POWER_RULE_MAX_EIRP] != NULL)
			r->max_eirp_mbm =
			    nla_get_u32(rt[NL80211_ATTR_POWER_RULE_MAX_EIRP]);
	}
	return NL_SKIP;
}

void
nl80211_scan_init(struct nl80211_scan *s, uint32_t ifindex)
{
	memset(s, 0, sizeof(*s));
	s->ifindex = ifindex;
}

void
nl80211_scan_want(struct nl80211_scan *s, const uint8_t *ssid, size_t len)
{
	if (len > sizeof(s->want_ssid))
		return;
	s->want_set = true;
	memcpy(s->want_ssid, ssid, len);
	s->want_len = len;
}

void
nl80211_scan_free(struct nl80211_scan *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->bss[i].ies);
		free(s->bss[i].beacon_ies);
	}
	free(s->bss);
	s->bss = NULL;
	s->n = s->cap = s->dropped = s->want_dropped = 0;
	s->want_seen = false;
}

const struct nl80211_bss_info *
nl80211_scan_associated(const struct nl80211_scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->bss[i].status == NL80211_BSS_STATUS_ASSOCIATED)
			return &s->bss[i];
	return NULL;
}

/* ---- helpers ----------------------------------------------------------- */

static const struct {
	const char	*name;
	int		 mhz;
} widths[] = {
	[NL80211_CHAN_WIDTH_20_NOHT] = { "20-noht", 20 },
	[NL80211_CHAN_WIDTH_20] = { "20", 20 },
	[NL80211_CHAN_WIDTH_40] = { "40", 40 },
	[NL80211_CHAN_WIDTH_80] = { "80", 80 },
	[NL80211_CHAN_WIDTH_80P80] = { "80+80", 160 },
	[NL80211_CHAN_WIDTH_160] = { "160", 160 },
	[NL80211_CHAN_WIDTH_5] = { "5", 5 },
	[NL80211_CHAN_WIDTH_10] = { "10", 10 },
};

const char *
nl80211_width_name(int w)
{
	if (w < 0 || (size_t)w >= sizeof(widths) / sizeof(widths[0]) ||
	    widths[w].name == NULL)
		return "unknown";
	return widths[w].name;
}

int
nl80211_width_mhz(int w)
{
	if (w < 0 || (size_t)w >= sizeof(widths) / sizeof(widths[0]))
		return 0;
	return widths[w].mhz;
}

const char *
nl80211_strerror(enum nl80211_err err)
{
	switch (err) {
	case NL80211_OK:
		return "ok";
	case NL80211_E_NOFAMILY:
		return "nl80211 is missing: this kernel has no cfg80211 "
		    "(no wireless driver is loaded), so there is no wireless "
		    "interface to use";
	case NL80211_E_NOIFACE:
		return "no wireless interface found (nl80211 lists none; "
		    "is the adapter plugged in and its driver loaded?)";
	case NL80211_E_NOSUCHIF:
		return "no such interface";
	case NL80211_E_NOTWIRELESS:
		return "not a wireless interface (nl80211 does not know it; "
		    "use --iface with a Wi-Fi interface from `iw dev`)";
	case NL80211_E_DOWN:
		return "interface is down (bring it up: ip link set IF up)";
	case NL80211_E_PERM:
		return "permission denied (needs CAP_NET_ADMIN: run as root "
		    "or use --passive for cached results)";
	case NL80211_E_BUSY:
		return "a scan is already running on this interface "
		    "(still busy after one retry)";
	case NL80211_E_TIMEOUT:
		return "the deadline passed before the kernel answered";
	case NL80211_E_ABORTED:
		return "the kernel aborted the scan";
	case NL80211_E_UNSUPPORTED:
		return "the driver does not support this request";
	case NL80211_E_SYSTEM:
		return "system error";
	}
	return "unknown error";
}

int
nl80211_exit_code(enum nl80211_err err)
{
	switch (err) {
	case NL80211_OK:
		return EXIT_OK;
	case NL80211_E_NOSUCHIF:
	case NL80211_E_NOTWIRELESS:
		/* The user named the interface: an input error. */
		return EXIT_USAGE;
	default:
		return EXIT_RUNTIME;
	}
}

/* ---- requests ---------------------------------------------------------- */

struct req_state {
	int	err;	/* >0 running, 0 done, <0 -errno from the kernel */
	bool	intr;	/* the dump changed while it was read */
};

static int
req_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_state *rs = arg;

	(void)nla;
	rs->err = e->error < 0 ? e->error : -EIO;
	return NL_STOP;
}

static int
req_finish(struct nl_msg *msg, void *arg)
{
	struct req_state *rs = arg;

	(void)msg;
	rs->err = 0;
	return NL_SKIP;
}

/* NLM_F_DUMP_INTR: keep reading to the end, then say so. */
static int
req_intr(struct nl_msg *msg, void *arg)
{
	struct req_state *rs = arg;

	(void)msg;
	rs->intr = true;
	return NL_OK;
}

static int
req_ack(struct nl_msg *msg, void *arg)
{
	struct req_state *rs = arg;

	(void)msg;
	rs->err = 0;
	return NL_STOP;
}

/* Map a kernel -errno to our error, keeping the detail in nl->msg. */
static enum nl80211_err
map_errno(struct nl80211 *nl, const char *what, int err)
{
	snprintf(nl->msg, sizeof(nl->msg), "%s: %s", what, strerror(-err));
	switch (-err) {
	case EPERM:
	case EACCES:
		return NL80211_E_PERM;
	case EBUSY:
		return NL80211_E_BUSY;
	case ENETDOWN:
		return NL80211_E_DOWN;
	case ENODEV:
		return NL80211_E_NOTWIRELESS;
	case EOPNOTSUPP:
	case EINVAL:
		return NL80211_E_UNSUPPORTED;
	default:
		return NL80211_E_SYSTEM;
	}
}

/*
 * Send `msg` (consumed) and run `handler` on every reply until the ack,
 * the end of a dump, or an error.
 */
static enum nl80211_err
request(struct nl80211 *nl, const char *what, struct nl_msg *msg,
    nl_recvmsg_msg_cb_t handler, void *arg)
{
	struct req_state rs = { 1, false };
	struct nl_cb *cb;
	int r;

	if ((cb = nl_cb_alloc(NL_CB_DEFAULT)) == NULL) {
		nlmsg_free(msg);
		snprintf(nl->msg, sizeof(nl->msg), "%s: out of memory", what);
		return NL80211_E_SYSTEM;
	}
	r = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (r < 0) {
		nl_cb_put(cb);
		snprintf(nl->msg, sizeof(nl->msg), "%s: send: %s", what,
		    nl_geterror(r));
		return NL80211_E_SYSTEM;
	}
	if (handler != NULL)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, handler, arg);
	nl_cb_err(cb, NL_CB_CUSTOM, req_error, &rs);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish, &rs);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_ack, &rs);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, req_intr, &rs);
	nl->dump_interrupted = false;
	while (rs.err > 0) {
		r = nl_recvmsgs(nl->sock, cb);
		if (r < 0 && rs.err > 0) {
			nl_cb_put(cb);
			snprintf(nl->msg, sizeof(nl->msg), "%s: receive: %s",
			    what, nl_geterror(r));
			return NL80211_E_SYSTEM;
		}
	}
	nl_cb_put(cb);
	nl->dump_interrupted = rs.intr;
	if (rs.err < 0)
		return map_errno(nl, what, rs.err);
	return NL80211_OK;
}

/* A new request message for `cmd`, or NULL (nl->msg says why). */
static struct nl_msg *
new_msg(struct nl80211 *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	if ((msg = nlmsg_alloc()) == NULL) {
		snprintf(nl->msg, sizeof(nl->msg), "out of memory");
		return NULL;
	}
	if (genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
	    cmd, 0) == NULL) {
		nlmsg_free(msg);
		snprintf(nl->msg, sizeof(nl->msg), "message too large");
		return NULL;
	}
	return msg;
}

/* $CYANPROBE_NL80211_PEER: connect to the test stand-in.  1 if used. */
static int
open_peer(struct nl80211 *nl)
{
	const char *env = getenv(NL80211_PEER_ENV);
	unsigned proto, port, family, group;
	int r;

	if (env == NULL || *env == '\0')
		return 0;
	if (sscanf(env, "%u:%u:%u:%u", &proto, &port, &family, &group) != 4 ||
	    proto > 31 || family > 0xffff || group == 0 || group > 32) {
		snprintf(nl->msg, sizeof(nl->msg), "$%s: '%s' is not "
		    "PROTO:PORT:FAMILY:GROUP", NL80211_PEER_ENV, env);
		return -1;
	}
	if ((r = nl_connect(nl->sock, (int)proto)) < 0) {
		snprintf(nl->msg, sizeof(nl->msg), "$%s: %s", NL80211_PEER_ENV,
		    nl_geterror(r));
		return -1;
	}
	nl_socket_set_peer_port(nl->sock, port);
	nl->protocol = (int)proto;
	nl->family = (int)family;
	nl->scan_group = (int)group;
	return 1;
}

enum nl80211_err
nl80211_open(struct nl80211 *nl)
{
	int r;

	memset(nl, 0, sizeof(*nl));
	nl->protocol = NETLINK_GENERIC;
	if ((nl->sock = nl_socket_alloc()) == NULL) {
		snprintf(nl->msg, sizeof(nl->msg), "out of memory");
		return NL80211_E_SYSTEM;
	}
	/* Scan dumps of busy places exceed the default 32 KB buffer. */
	nl_socket_set_buffer_size(nl->sock, 1 << 20, 0);
	if ((r = open_peer(nl)) != 0) {
		if (r > 0)
			return NL80211_OK;
		nl80211_close(nl);
		return NL80211_E_SYSTEM;
	}
	if ((r = genl_connect(nl->sock)) < 0) {
		snprintf(nl->msg, sizeof(nl->msg),
		    "generic netlink: %s", nl_geterror(r));
		nl80211_close(nl);
		return NL80211_E_SYSTEM;
	}
	if ((nl->family = genl_ctrl_resolve(nl->sock, "nl80211")) < 0) {
		snprintf(nl->msg, sizeof(nl->msg),
		    "generic netlink family \"nl80211\" not found");
		nl80211_close(nl);
		return NL80211_E_NOFAMILY;
	}
	return NL80211_OK;
}

void
nl80211_close(struct nl80211 *nl)
{
	if (nl == NULL || nl->sock == NULL)
		return;
	nl_socket_free(nl->sock);
	nl->sock = NULL;
}

enum nl80211_err
nl80211_check_ifname(const char *ifname, char *msg, size_t msglen)
{
	char path[128];
	struct stat sb;

	if (strlen(ifname) >= IF_NAMESIZE || if_nametoindex(ifname) == 0) {
		snprintf(msg, msglen, "%s: no such interface", ifname);
		return NL80211_E_NOSUCHIF;
	}
	/* The test stand-in decides what is wireless (nl80211_pick()). */
	if (getenv(NL80211_PEER_ENV) != NULL)
		return NL80211_OK;
	/* cfg80211 links every wireless netdev to its phy in sysfs. */
	snprintf(path, sizeof(path), "/sys/class/net/%s/phy80211", ifname);
	if (stat(path, &sb) == 0)
		return NL80211_OK;
	snprintf(path, sizeof(path), "/sys/class/net/%s/wireless", ifname);
	if (stat(path, &sb) == 0)
		return NL80211_OK;
	snprintf(msg, msglen, "%s: not a wireless interface (no "
	    "/sys/class/net/%s/phy80211)", ifname, ifname);
	return NL80211_E_NOTWIRELESS;
}

enum nl80211_err
nl80211_interfaces(struct nl80211 *nl, struct nl80211_ifaces *out)
{
	struct nl_msg *msg;

	memset(out, 0, sizeof(*out));
	if ((msg = new_msg(nl, NL80211_CMD_GET_INTERFACE, NLM_F_DUMP)) == NULL)
		return NL80211_E_SYSTEM;
	return request(nl, "GET_INTERFACE", msg, nl80211_cb_iface, out);
}

enum nl80211_err
nl80211_pick(struct nl80211 *nl, const char *ifname,
    struct nl80211_iface *out)
{
	struct nl80211_ifaces ifs;
	enum nl80211_err e;
	const struct nl80211_iface *best = NULL;
	size_t i;

	if ((e = nl80211_interfaces(nl, &ifs)) != NL80211_OK)
		return e;
	for (i = 0; i < ifs.n; i++) {
		const struct nl80211_iface *c = &ifs.item[i];

		if (ifname != NULL) {
			if (strcmp(c->name, ifname) == 0) {
				best = c;
				break;
			}
			continue;
		}
		if (c->iftype != NL80211_IFTYPE_STATION)
			continue;
		if (best == NULL || (best->freq == 0 && c->freq != 0))
			best = c;
	}
	if (best == NULL && ifname == NULL && ifs.n > 0)
		best = &ifs.item[0];
	if (best == NULL) {
		if (ifname != NULL) {
			snprintf(nl->msg, sizeof(nl->msg),
			    "%s: not a wireless interface (nl80211 does not "
			    "list it)", ifname);
			return NL80211_E_NOTWIRELESS;
		}
		snprintf(nl->msg, sizeof(nl->msg),
		    "no wireless interface: nl80211 lists none");
		return NL80211_E_NOIFACE;
	}
	*out = *best;
	return NL80211_OK;
}

/* Whether interface `ifindex` is administratively up; true if unknown. */
static bool
iface_up(uint32_t ifindex)
{
	struct ifreq ifr;
	int s;
	bool up = true;

	memset(&ifr, 0, sizeof(ifr));
	if (if_indextoname(ifindex, ifr.ifr_name) == NULL)
		return true;
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return true;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & IFF_UP) != 0;
	close(s);
	return up;
}

static int
set_iface_up(uint32_t ifindex)
{
	struct ifreq ifr;
	int s, r = -1;

	memset(&ifr, 0, sizeof(ifr));
	if (if_indextoname(ifindex, ifr.ifr_name) == NULL)
		return -1;
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

struct scan_wait {
	uint32_t	ifindex;
	int		result;	/* 0 waiting, 1 results, -1 aborted */
};

static int
scan_event(struct nl_msg *msg, void *arg)
{
	struct scan_wait *w = arg;
	struct genlmsghdr *gnlh;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];

	if (parse_top(msg, tb) < 0)
		return NL_SKIP;
	gnlh = nlmsg_data(nlmsg_hdr(msg));
	if (tb[NL80211_ATTR_IFINDEX] != NULL &&
	    nla_get_u32(tb[NL80211_ATTR_IFINDEX]) != w->ifindex)
		return NL_SKIP;
	if (gnlh->cmd == NL80211_CMD_NEW_SCAN_RESULTS)
		w->result = 1;
	else if (gnlh->cmd == NL80211_CMD_SCAN_ABORTED)
		w->result = -1;
	return NL_SKIP;
}

/* Multicast events carry no sequence number of ours. */
static int
no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum nl80211_err
trigger_once(struct nl80211 *nl, uint32_t ifindex, const char *ssid)
{
	struct nl_msg *msg;
	struct nlattr *ssids;

	if ((msg = new_msg(nl, NL80211_CMD_TRIGGER_SCAN, 0)) == NULL)
		return NL80211_E_SYSTEM;
	/*
	 * SCAN_SSIDS makes the scan active: the wildcard SSID gets every
	 * AP's probe response (WPS make and model live only there), and the
	 * named one finds a hidden network.
	 */
	if (nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0 ||
	    (ssids = nla_nest_start(msg, NL80211_ATTR_SCAN_SSIDS)) == NULL ||
	    nla_put(msg, 1, 0, "") < 0 ||
	    (ssid != NULL && *ssid != '\0' &&
	    nla_put(msg, 2, (int)strnlen(ssid, 32), ssid) < 0)) {
		nlmsg_free(msg);
		snprintf(nl->msg, sizeof(nl->msg), "message too large");
		return NL80211_E_SYSTEM;
	}
	nla_nest_end(msg, ssids);
	return request(nl, "TRIGGER_SCAN", msg, NULL, NULL);
}

/*
 * Wait on `ev` until a scan of w->ifindex ends (w->result set) or the
 * monotonic time `until` (ms).  Returns 1 when it ended, 0 at `until`, -1
 * on a poll error (message in nl->msg).
 */
static int
wait_scan(struct nl80211 *nl, struct nl_sock *ev, struct nl_cb *cb,
    struct scan_wait *w, long long until)
{
	struct pollfd pfd;
	long long left;
	int r;

	while (w->result == 0) {
		if ((left = until - now_ms()) <= 0)
			return 0;
		pfd.fd = nl_socket_get_fd(ev);
		pfd.events = POLLIN;
		r = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno != EINTR) {
			snprintf(nl->msg, sizeof(nl->msg), "poll: %s",
			    strerror(errno));
			return -1;
		}
		if (r > 0)
			(void)nl_recvmsgs(ev, cb);
	}
	return 1;
}

enum nl80211_err
nl80211_trigger_scan(struct nl80211 *nl, uint32_t ifindex, const char *ssid,
    int timeout_ms)
{
	struct nl_sock *ev;
	struct nl_cb *cb = NULL;
	struct scan_wait w = { ifindex, 0 };
	enum nl80211_err e;
	long long deadline = now_ms() + timeout_ms, until;
	int grp, r;

	if (!iface_up(ifindex)) {
		snprintf(nl->msg, sizeof(nl->msg), "interface is down");
		return NL80211_E_DOWN;
	}
	/* Join the "scan" group first so the result cannot slip past. */
	grp = nl->scan_group;
	if (grp <= 0 &&
	    (grp = genl_ctrl_resolve_grp(nl->sock, "nl80211", "scan")) < 0) {
		snprintf(nl->msg, sizeof(nl->msg),
		    "nl80211 has no \"scan\" multicast group");
		return NL80211_E_SYSTEM;
	}
	if ((ev = nl_socket_alloc()) == NULL) {
		snprintf(nl->msg, sizeof(nl->msg), "out of memory");
		return NL80211_E_SYSTEM;
	}
	nl_socket_disable_seq_check(ev);
	if (nl_connect(ev, nl->protocol) < 0 ||
	    nl_socket_add_membership(ev, grp) < 0 ||
	    nl_socket_set_nonblocking(ev) < 0 ||
	    (cb = nl_cb_alloc(NL_CB_DEFAULT)) == NULL) {
		snprintf(nl->msg, sizeof(nl->msg),
		    "cannot listen for scan events");
		e = NL80211_E_SYSTEM;
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, scan_event, &w);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);

	e = trigger_once(nl, ifindex, ssid);
	if (e == NL80211_E_BUSY) {
		/*
		 * Usually someone else's scan (NetworkManager scans every
		 * few minutes): wait for its end, at most 3 s, then retry
		 * once.  Its results would do, but ours also probes --ssid.
		 */
		until = now_ms() + 3000;
		if (until > deadline)
			until = deadline;
		log_debug("scan busy: waiting for the running scan, then "
		    "retrying once");
		if (wait_scan(nl, ev, cb, &w, until) < 0) {
			e = NL80211_E_SYSTEM;
			goto out;
		}
		w.result = 0;
		e = trigger_once(nl, ifindex, ssid);
	}
	if (e != NL80211_OK)
		goto out;
	if ((r = wait_scan(nl, ev, cb, &w, deadline)) <= 0) {
		if (r == 0)
			snprintf(nl->msg, sizeof(nl->msg),
			    "no scan results within %d ms", timeout_ms);
		e = r == 0 ? NL80211_E_TIMEOUT : NL80211_E_SYSTEM;
		goto out;
	}
	if (w.result < 0) {
		snprintf(nl->msg, sizeof(nl->msg), "scan aborted");
		e = NL80211_E_ABORTED;
	}
out:
	if (cb != NULL)
		nl_cb_put(cb);
	nl_socket_free(ev);
	return e;
}

enum nl80211_err
nl80211_get_scan(struct nl80211 *nl, uint32_t ifindex,
    struct nl80211_scan *out)
{
	struct nl_msg *msg;
	enum nl80211_err e;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		msg = new_msg(nl, NL80211_CMD_GET_SCAN, NLM_F_DUMP);
		if (msg == NULL)
			return NL80211_E_SYSTEM;
		if (nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0) {
			nlmsg_free(msg);
			return NL80211_E_SYSTEM;
		}
		e = request(nl, "GET_SCAN", msg, nl80211_cb_bss, out);
		/*
		 * Results that changed during the dump (a scan ended) may
		 * be doubled or missing: read them again, once.
		 */
		if (e != NL80211_OK || !nl->dump_interrupted)
			return e;
		log_debug("GET_SCAN: dump interrupted, reading it again");
		nl80211_scan_free(out);
	}
	return NL80211_OK;
}

enum nl80211_err
nl80211_get_station(struct nl80211 *nl, uint32_t ifindex,
    const uint8_t mac[6], struct nl80211_station *out)
{
	struct nl_msg *msg;

	memset(out, 0, sizeof(*out));
	if ((msg = new_msg(nl, NL80211_CMD_GET_STATION, 0)) == NULL)
		return NL80211_E_SYSTEM;
	if (nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0 ||
	    nla_put(msg, NL80211_ATTR_MAC, 6, mac) < 0) {
		nlmsg_free(msg);
		return NL80211_E_SYSTEM;
	}
	return request(nl, "GET_STATION", msg, nl80211_cb_station, out);
}

enum nl80211_err
nl80211_get_reg(struct nl80211 *nl, struct nl80211_reg *out)
{
	struct nl_msg *msg;

	memset(out, 0, sizeof(*out));
	out->dfs_region = -1;
	if ((msg = new_msg(nl, NL80211_CMD_GET_REG, 0)) == NULL)
		return NL80211_E_SYSTEM;
	return request(nl, "GET_REG", msg, nl80211_cb_reg, out);
}

enum nl80211_err
nl80211_new_monitor(struct nl80211 *nl, uint32_t wiphy, const char *name,
    uint32_t *ifindex)
{
	struct nl80211_ifaces ifs;
	struct nl_msg *msg;
	enum nl80211_err e;

	memset(&ifs, 0, sizeof(ifs));
	if ((msg = new_msg(nl, NL80211_CMD_NEW_INTERFACE, 0)) == NULL)
		return NL80211_E_SYSTEM;
	if (nla_put_u32(msg, NL80211_ATTR_WIPHY, wiphy) < 0 ||
	    nla_put_string(msg, NL80211_ATTR_IFNAME, name) < 0 ||
	    nla_put_u32(msg, NL80211_ATTR_IFTYPE, NL80211_IFTYPE_MONITOR) < 0) {
		nlmsg_free(msg);
		return NL80211_E_SYSTEM;
	}
	/* The kernel answers NEW_INTERFACE with the new interface's data. */
	if ((e = request(nl, "NEW_INTERFACE", msg, nl80211_cb_iface, &ifs))
	    != NL80211_OK)
		return e;
	*ifindex = ifs.n > 0 ? ifs.item[0].ifindex : if_nametoindex(name);
	if (*ifindex == 0) {
		snprintf(nl->msg, sizeof(nl->msg),
		    "NEW_INTERFACE: %s was not created", name);
		return NL80211_E_SYSTEM;
	}
	if (set_iface_up(*ifindex) < 0) {
		snprintf(nl->msg, sizeof(nl->msg), "%s: cannot bring up: %s",
		    name, strerror(errno));
		(void)nl80211_del_interface(nl, *ifindex);
		return errno == EPERM ? NL80211_E_PERM : NL80211_E_SYSTEM;
	}
	return NL80211_OK;
}

enum nl80211_err
nl80211_del_interface(struct nl80211 *nl, uint32_t ifindex)
{
	struct nl_msg *msg;

	if ((msg = new_msg(nl, NL80211_CMD_DEL_INTERFACE, 0)) == NULL)
		return NL80211_E_SYSTEM;
	if (nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0) {
		nlmsg_free(msg);
		return NL80211_E_SYSTEM;
	}
	return request(nl, "DEL_INTERFACE", msg, NULL, NULL);
}

enum nl80211_err
nl80211_set_freq(struct nl80211 *nl, uint32_t ifindex, uint32_t mhz)
{
	struct nl_msg *msg;

	if ((msg = new_msg(nl, NL80211_CMD_SET_WIPHY, 0)) == NULL)
		return NL80211_E_SYSTEM;
	if (nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0 ||
	    nla_put_u32(msg, NL80211_ATTR_WIPHY_FREQ, mhz) < 0 ||
	    nla_put_u32(msg, NL80211_ATTR_WIPHY_CHANNEL_TYPE,
	    NL80211_CHAN_NO_HT) < 0) {
		nlmsg_free(msg);
		return NL80211_E_SYSTEM;
	}
	return request(nl, "SET_WIPHY", msg, NULL, NULL);
}
