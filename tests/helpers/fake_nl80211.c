/*
 * fake_nl80211.c - a user-space stand-in for the kernel's nl80211, so the
 * live path of `cyanprobe scan` (sockets, requests, acks, dumps, errors,
 * the scan event on a multicast group, deadlines, the busy retry) runs for
 * real on a machine without Wi-Fi.  It listens on a NETLINK_USERSOCK
 * socket, prints the value for $CYANPROBE_NL80211_PEER on stdout, and
 * answers requests in the kernel's message shapes (net/wireless/nl80211.c),
 * with BSSes made from the beacons and probe responses of real captures.
 *
 * usage: fake_nl80211 SCENARIO CAPTURE...
 *   ok          scans succeed: the event comes 100 ms after the trigger
 *   busy        the first trigger gets EBUSY (another scan, which ends
 *               300 ms later), the retry succeeds
 *   busy2       every trigger gets EBUSY
 *   perm        triggers get EPERM (no CAP_NET_ADMIN): cached results
 *   down        triggers get ENETDOWN
 *   silent      triggers are acknowledged, no event ever comes
 *   abort       the kernel aborts the scan
 *   noiface     no wireless interface in the interface dump
 *   disconnected  the interface is on no network
 *   intr        the first scan dump is marked NLM_F_DUMP_INTR
 *   stale       also lists a monitor interface cpmon9999999 left by a
 *               process that is gone (a real veth interface)
 *   crowded     the scan dump lists 600 made-up neighbours ("Neighbour-N",
 *               channel 1) before the capture's BSSes: more than the
 *               probe's scan table keeps (512)
 * $FAKE_NL80211_IFNAME names the station interface (default wlfake0; a
 * real interface's name gives its ifindex, so `capture` can open it).
 * NEW_INTERFACE creates a real (veth) interface of the requested name (the
 * capture runs on it) and DEL_INTERFACE deletes it, so a test can see that
 * nothing is left behind.  Run it in a network namespace of the test's.
 * Every request is logged on stderr as "req CMD", for the suite to count.
 * It exits on SIGTERM or after 60 s without a request.
 */
#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/nl80211.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <pcap/pcap.h>

#include "cursor.h"

#define FAMILY		28
#define GROUP		3
#define IFINDEX		4242
#define BSS_MAX		64

struct fbss {
	uint8_t		bssid[6];
	uint32_t	freq;
	uint16_t	cap, bint;
	uint8_t		ies[2048], bies[2048];
	size_t		ies_len, bies_len;
	bool		has_ies, has_bies;
	char		ssid[33];
};

static struct fbss bss[BSS_MAX];
static size_t nbss;
static char ifname[IF_NAMESIZE] = "wlfake0";
static uint32_t sta_ifindex = IFINDEX;
/* Monitor interfaces made by NEW_INTERFACE (and the stale one). */
static char mon[4][IF_NAMESIZE];
static const char *scenario;
static struct nl_sock *srv;
static unsigned triggers;
static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint32_t
chan_freq(unsigned ch)
{
	if (ch == 14)
		return 2484;
	if (ch >= 1 && ch <= 13)
		return 2407 + 5 * ch;
	if (ch >= 32 && ch <= 177)
		return 5000 + 5 * ch;
	return 0;
}

/* The DS Parameter channel and the SSID of an element buffer. */
static void
scan_ies(const uint8_t *p, size_t len, uint32_t *freq, char ssid[33])
{
	struct cursor c = cur_init(p, len);

	while (c.left >= 2) {
		uint8_t id = cur_u8(&c), n = cur_u8(&c);
		const uint8_t *body;

		if (!cur_take(&c, n, &body))
			break;
		if (id == 3 && n == 1 && chan_freq(body[0]) != 0)
			*freq = chan_freq(body[0]);
		if (id == 0 && n <= 32 && ssid[0] == '\0') {
			memcpy(ssid, body, n);
			ssid[n] = '\0';
		}
	}
}

static struct fbss *
find_bss(const uint8_t m[6])
{
	size_t i;

	for (i = 0; i < nbss; i++)
		if (memcmp(bss[i].bssid, m, 6) == 0)
			return &bss[i];
	if (nbss == BSS_MAX)
		return NULL;
	memset(&bss[nbss], 0, sizeof(bss[0]));
	memcpy(bss[nbss].bssid, m, 6);
	bss[nbss].freq = 2437;
	return &bss[nbss++];
}

/* Beacons and probe responses of a capture, radiotap or bare 802.11. */
static void
load(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int dlt;

	if ((p = pcap_open_offline(path, errbuf)) == NULL) {
		fprintf(stderr, "fake_nl80211: %s\n", errbuf);
		exit(2);
	}
	dlt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &d) == 1) {
		struct cursor c = cur_init(d, h->caplen);
		const uint8_t *hdr;
		uint8_t fc;
		struct fbss *b;
		size_t len = h->caplen;

		if (dlt == DLT_IEEE802_11_RADIO) {
			uint16_t rtlen;

			cur_skip(&c, 2);
			rtlen = cur_le16(&c);
			c = cur_init(d, h->caplen);
			if (!cur_skip(&c, rtlen))
				continue;
			len -= rtlen;
			/* Keep it simple: an FCS, if any, is left on. */
		} else if (dlt != DLT_IEEE802_11)
			continue;
		c = cur_init(c.p, len);
		if (!cur_take(&c, 24, &hdr))
			continue;
		fc = hdr[0];
		if (fc != 0x80 && fc != 0x50)
			continue;
		if ((b = find_bss(hdr + 16)) == NULL)
			continue;
		cur_skip(&c, 8);
		b->bint = cur_le16(&c);
		b->cap = cur_le16(&c);
		if (c.bad || c.left > sizeof(b->ies))
			continue;
		if (fc == 0x80 && !b->has_bies) {
			memcpy(b->bies, c.p, c.left);
			b->bies_len = c.left;
			b->has_bies = true;
		} else if (fc == 0x50 && !b->has_ies) {
			memcpy(b->ies, c.p, c.left);
			b->ies_len = c.left;
			b->has_ies = true;
		}
		scan_ies(c.p, c.left, &b->freq, b->ssid);
	}
	pcap_close(p);
}

static void
send_to(uint32_t port, struct nl_msg *m)
{
	nl_socket_set_peer_port(srv, port);
	nl_socket_set_peer_groups(srv, 0);
	if (nl_send(srv, m) < 0)
		fprintf(stderr, "fake_nl80211: send to %u failed\n", port);
	nlmsg_free(m);
}

static struct nl_msg *
reply(uint32_t seq, int flags, uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc_size(16384);

	if (m == NULL || genlmsg_put(m, 0, seq, FAMILY, 0, flags, cmd, 0) ==
	    NULL)
		exit(3);
	return m;
}

/* An ack (err 0) or an error, carrying the request's header as Linux. */
static void
ack(const struct nlmsghdr *req, int err)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	struct nlmsgerr e;

	memset(&e, 0, sizeof(e));
	e.error = err;
	e.msg = *req;
	nlmsg_hdr(m)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
	send_to(req->nlmsg_pid, m);
}

static void
done(const struct nlmsghdr *req)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	int zero = 0;

	nlmsg_hdr(m)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(m, &zero, sizeof(zero), NLMSG_ALIGNTO);
	send_to(req->nlmsg_pid, m);
}

static bool
connected(void)
{
	return strcmp(scenario, "disconnected") != 0 && nbss > 0;
}

static void
put_iface(struct nl_msg *m, uint32_t idx, const char *name, uint32_t type)
{
	nla_put_u32(m, NL80211_ATTR_IFINDEX, idx);
	nla_put_string(m, NL80211_ATTR_IFNAME, name);
	nla_put_u32(m, NL80211_ATTR_IFTYPE, type);
	nla_put_u32(m, NL80211_ATTR_WIPHY, 0);
	nla_put_u64(m, NL80211_ATTR_WDEV, 1);
	nla_put(m, NL80211_ATTR_MAC, 6, "\x02\xfa\x4e\x00\x00\x01");
	nla_put_u32(m, NL80211_ATTR_GENERATION, 1);
	if (type == NL80211_IFTYPE_STATION && connected()) {
		nla_put_u32(m, NL80211_ATTR_WIPHY_FREQ, bss[0].freq);
		nla_put_u32(m, NL80211_ATTR_CHANNEL_WIDTH,
		    NL80211_CHAN_WIDTH_20);
		nla_put_u32(m, NL80211_ATTR_CENTER_FREQ1, bss[0].freq);
		nla_put(m, NL80211_ATTR_SSID, (int)strlen(bss[0].ssid),
		    bss[0].ssid);
	}
}

/* One made-up neighbour of the "crowded" scenario, an SSID and DS 1. */
static void
put_neighbour(const struct nlmsghdr *req, int flags, unsigned k)
{
	struct nl_msg *m;
	struct nlattr *n;
	uint8_t mac[6] = { 0x02, 0xee, 0, 0, 0, 0 }, ies[48];
	int len;

	mac[4] = (uint8_t)(k >> 8);
	mac[5] = (uint8_t)k;
	len = snprintf((char *)ies + 2, 32, "Neighbour-%u", k);
	ies[0] = 0;
	ies[1] = (uint8_t)len;
	ies[2 + len] = 3;
	ies[3 + len] = 1;
	ies[4 + len] = 1;
	m = reply(req->nlmsg_seq, flags, NL80211_CMD_NEW_SCAN_RESULTS);
	nla_put_u32(m, NL80211_ATTR_GENERATION, 7);
	nla_put_u32(m, NL80211_ATTR_IFINDEX, sta_ifindex);
	nla_put_u64(m, NL80211_ATTR_WDEV, 1);
	n = nla_nest_start(m, NL80211_ATTR_BSS);
	nla_put(m, NL80211_BSS_BSSID, 6, mac);
	nla_put(m, NL80211_BSS_INFORMATION_ELEMENTS, len + 5, ies);
	nla_put_u16(m, NL80211_BSS_BEACON_INTERVAL, 100);
	nla_put_u16(m, NL80211_BSS_CAPABILITY, 0x0001);
	nla_put_u32(m, NL80211_BSS_FREQUENCY, 2412);
	nla_put_u32(m, NL80211_BSS_SIGNAL_MBM, (uint32_t)-8000);
	nla_nest_end(m, n);
	send_to(req->nlmsg_pid, m);
}

static void
get_scan(const struct nlmsghdr *req)
{
	static unsigned dumps;
	struct nl_msg *m;
	struct nlattr *n;
	size_t i;
	int flags;

	/* "intr": the first dump is marked as changed while being read. */
	flags = NLM_F_MULTI;
	if (strcmp(scenario, "intr") == 0 && dumps++ == 0)
		flags |= NLM_F_DUMP_INTR;
	if (strcmp(scenario, "crowded") == 0)
		for (i = 0; i < 600; i++)
			put_neighbour(req, flags, (unsigned)i);
	for (i = 0; i < nbss; i++) {
		m = reply(req->nlmsg_seq, flags,
		    NL80211_CMD_NEW_SCAN_RESULTS);
		nla_put_u32(m, NL80211_ATTR_GENERATION, 7);
		nla_put_u32(m, NL80211_ATTR_IFINDEX, sta_ifindex);
		nla_put_u64(m, NL80211_ATTR_WDEV, 1);
		n = nla_nest_start(m, NL80211_ATTR_BSS);
		nla_put(m, NL80211_BSS_BSSID, 6, bss[i].bssid);
		if (bss[i].has_ies) {
			nla_put_flag(m, NL80211_BSS_PRESP_DATA);
			nla_put(m, NL80211_BSS_INFORMATION_ELEMENTS,
			    (int)bss[i].ies_len, bss[i].ies);
		} else if (bss[i].has_bies)
			nla_put(m, NL80211_BSS_INFORMATION_ELEMENTS,
			    (int)bss[i].bies_len, bss[i].bies);
		if (bss[i].has_bies)
			nla_put(m, NL80211_BSS_BEACON_IES, (int)bss[i].bies_len,
			    bss[i].bies);
		nla_put_u16(m, NL80211_BSS_BEACON_INTERVAL, bss[i].bint);
		nla_put_u16(m, NL80211_BSS_CAPABILITY, bss[i].cap);
		nla_put_u32(m, NL80211_BSS_FREQUENCY, bss[i].freq);
		nla_put_u32(m, NL80211_BSS_SEEN_MS_AGO, 100 + 10 * (uint32_t)i);
		nla_put_u32(m, NL80211_BSS_SIGNAL_MBM,
		    (uint32_t)(-4500 - 300 * (int)i));
		if (i == 0 && connected())
			nla_put_u32(m, NL80211_BSS_STATUS,
			    NL80211_BSS_STATUS_ASSOCIATED);
		nla_nest_end(m, n);
		send_to(req->nlmsg_pid, m);
	}
	done(req);
}

static void
get_station(const struct nlmsghdr *req, struct nlattr **tb)
{
	struct nl_msg *m;
	struct nlattr *si, *r;

	if (!connected() || tb[NL80211_ATTR_MAC] == NULL ||
	    memcmp(nla_data(tb[NL80211_ATTR_MAC]), bss[0].bssid, 6) != 0) {
		ack(req, -ENOENT);
		return;
	}
	m = reply(req->nlmsg_seq, 0, NL80211_CMD_NEW_STATION);
	nla_put_u32(m, NL80211_ATTR_IFINDEX, sta_ifindex);
	nla_put(m, NL80211_ATTR_MAC, 6, bss[0].bssid);
	si = nla_nest_start(m, NL80211_ATTR_STA_INFO);
	nla_put_u32(m, NL80211_STA_INFO_INACTIVE_TIME, 12);
	nla_put_u32(m, NL80211_STA_INFO_CONNECTED_TIME, 600);
	nla_put_u8(m, NL80211_STA_INFO_SIGNAL, (uint8_t)-47);
	r = nla_nest_start(m, NL80211_STA_INFO_TX_BITRATE);
	nla_put_u32(m, NL80211_RATE_INFO_BITRATE32, 540);
	nla_put_u16(m, NL80211_RATE_INFO_BITRATE, 540);
	nla_nest_end(m, r);
	r = nla_nest_start(m, NL80211_STA_INFO_RX_BITRATE);
	nla_put_u16(m, NL80211_RATE_INFO_BITRATE, 240);
	nla_nest_end(m, r);
	nla_nest_end(m, si);
	send_to(req->nlmsg_pid, m);
	ack(req, 0);
}

static void
get_reg(const struct nlmsghdr *req)
{
	struct nl_msg *m = reply(req->nlmsg_seq, 0, NL80211_CMD_GET_REG);
	struct nlattr *rules, *r;

	nla_put_string(m, NL80211_ATTR_REG_ALPHA2, "US");
	nla_put_u8(m, NL80211_ATTR_DFS_REGION, NL80211_DFS_FCC);
	rules = nla_nest_start(m, NL80211_ATTR_REG_RULES);
	r = nla_nest_start(m, 0);
	nla_put_u32(m, NL80211_ATTR_REG_RULE_FLAGS, 0);
	nla_put_u32(m, NL80211_ATTR_FREQ_RANGE_START, 2402000);
	nla_put_u32(m, NL80211_ATTR_FREQ_RANGE_END, 2472000);
	nla_put_u32(m, NL80211_ATTR_FREQ_RANGE_MAX_BW, 40000);
	nla_put_u32(m, NL80211_ATTR_POWER_RULE_MAX_EIRP, 3000);
	nla_nest_end(m, r);
	nla_nest_end(m, rules);
	send_to(req->nlmsg_pid, m);
	ack(req, 0);
}

/* The scan event, on the multicast group, as the kernel sends it. */
static void
scan_event(uint8_t cmd)
{
	struct nl_msg *m = reply(0, 0, cmd);

	nla_put_u32(m, NL80211_ATTR_WIPHY, 0);
	nla_put_u32(m, NL80211_ATTR_IFINDEX, sta_ifindex);
	nl_socket_set_peer_port(srv, 0);
	nl_socket_set_peer_groups(srv, 1u << (GROUP - 1));
	/* Delivered to the group; the unicast to port 0 then fails. */
	(void)nl_send(srv, m);
	nlmsg_free(m);
}

/* Now, in ms of the monotonic clock: when things happened, logged for
 * the suite to compare (the order and gaps of events, not a stopwatch
 * around a whole run). */
static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + ts.tv_nsec / 1e6;
}

static void
trigger(const struct nlmsghdr *req)
{
	triggers++;
	if (strcmp(scenario, "perm") == 0) {
		ack(req, -EPERM);
		return;
	}
	if (strcmp(scenario, "down") == 0) {
		ack(req, -ENETDOWN);
		return;
	}
	if (strcmp(scenario, "busy2") == 0 ||
	    (strcmp(scenario, "busy") == 0 && triggers == 1)) {
		/* Someone else's scan is running; it ends 300 ms later. */
		ack(req, -EBUSY);
		usleep(300000);
		scan_event(NL80211_CMD_NEW_SCAN_RESULTS);
		fprintf(stderr, "busy_end_ms %.0f\n", mono_ms());
		return;
	}
	ack(req, 0);
	if (strcmp(scenario, "silent") == 0)
		return;
	usleep(100000);
	scan_event(strcmp(scenario, "abort") == 0 ?
	    NL80211_CMD_SCAN_ABORTED : NL80211_CMD_NEW_SCAN_RESULTS);
}

/* A real (veth) interface stands in for a monitor interface. */
static int
make_dummy(const char *name)
{
	char cmd[128];
	int i;

	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(name))
		return -1;
	/* veth, not dummy: every kernel that runs the suite has it. */
	snprintf(cmd, sizeof(cmd), "ip link add name %s type veth peer name "
	    "%.13sp", name, name);
	if (system(cmd) != 0 || if_nametoindex(name) == 0)
		return -1;
	for (i = 0; i < 4; i++)
		if (mon[i][0] == '\0') {
			snprintf(mon[i], sizeof(mon[i]), "%s", name);
			break;
		}
	return 0;
}

static void
del_dummy(const char *name)
{
	char cmd[128];
	int i;

	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(name))
		return;
	snprintf(cmd, sizeof(cmd), "ip link del %s", name);
	(void)system(cmd);
	for (i = 0; i < 4; i++)
		if (strcmp(mon[i], name) == 0)
			mon[i][0] = '\0';
}

static const char *
cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case NL80211_CMD_GET_INTERFACE:	return "GET_INTERFACE";
	case NL80211_CMD_TRIGGER_SCAN:	return "TRIGGER_SCAN";
	case NL80211_CMD_GET_SCAN:	return "GET_SCAN";
	case NL80211_CMD_GET_STATION:	return "GET_STATION";
	case NL80211_CMD_GET_REG:	return "GET_REG";
	case NL80211_CMD_NEW_INTERFACE:	return "NEW_INTERFACE";
	case NL80211_CMD_DEL_INTERFACE:	return "DEL_INTERFACE";
	case NL80211_CMD_SET_WIPHY:	return "SET_WIPHY";
	default:			return "OTHER";
	}
}

static void
handle(struct nlmsghdr *h)
{
	struct genlmsghdr *g;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	struct nl_msg *m;
	char name[IF_NAMESIZE] = "mon";
	int i;

	if (!genlmsg_valid_hdr(h, 0) || h->nlmsg_type != FAMILY)
		return;
	g = nlmsg_data(h);
	if (nla_parse(tb, NL80211_ATTR_MAX, genlmsg_attrdata(g, 0),
	    genlmsg_attrlen(g, 0), NULL) < 0) {
		ack(h, -EINVAL);
		return;
	}
	fprintf(stderr, "req %s\n", cmd_name(g->cmd));
	if (g->cmd == NL80211_CMD_TRIGGER_SCAN)
		fprintf(stderr, "trigger_ms %.0f\n", mono_ms());
	switch (g->cmd) {
	case NL80211_CMD_GET_INTERFACE:
		if (strcmp(scenario, "noiface") != 0) {
			m = reply(h->nlmsg_seq, NLM_F_MULTI,
			    NL80211_CMD_NEW_INTERFACE);
			put_iface(m, sta_ifindex, ifname,
			    NL80211_IFTYPE_STATION);
			send_to(h->nlmsg_pid, m);
		}
		for (i = 0; i < 4; i++) {
			if (mon[i][0] == '\0' ||
			    if_nametoindex(mon[i]) == 0)
				continue;
			m = reply(h->nlmsg_seq, NLM_F_MULTI,
			    NL80211_CMD_NEW_INTERFACE);
			put_iface(m, if_nametoindex(mon[i]), mon[i],
			    NL80211_IFTYPE_MONITOR);
			send_to(h->nlmsg_pid, m);
		}
		done(h);
		break;
	case NL80211_CMD_TRIGGER_SCAN:
		trigger(h);
		break;
	case NL80211_CMD_GET_SCAN:
		get_scan(h);
		break;
	case NL80211_CMD_GET_STATION:
		get_station(h, tb);
		break;
	case NL80211_CMD_GET_REG:
		get_reg(h);
		break;
	case NL80211_CMD_NEW_INTERFACE:
		if (tb[NL80211_ATTR_IFNAME] != NULL)
			nla_strlcpy(name, tb[NL80211_ATTR_IFNAME],
			    sizeof(name));
		if (make_dummy(name) < 0) {
			ack(h, -ENFILE);
			break;
		}
		fprintf(stderr, "created %s\n", name);
		m = reply(h->nlmsg_seq, 0, NL80211_CMD_NEW_INTERFACE);
		put_iface(m, if_nametoindex(name), name,
		    NL80211_IFTYPE_MONITOR);
		send_to(h->nlmsg_pid, m);
		ack(h, 0);
		break;
	case NL80211_CMD_DEL_INTERFACE:
		if (tb[NL80211_ATTR_IFINDEX] == NULL ||
		    if_indextoname(nla_get_u32(tb[NL80211_ATTR_IFINDEX]),
		    name) == NULL) {
			ack(h, -ENODEV);
			break;
		}
		del_dummy(name);
		fprintf(stderr, "deleted %s\n", name);
		ack(h, 0);
		break;
	case NL80211_CMD_SET_WIPHY:
		if (tb[NL80211_ATTR_WIPHY_FREQ] != NULL) {
			fprintf(stderr, "freq %u\n",
			    nla_get_u32(tb[NL80211_ATTR_WIPHY_FREQ]));
			/* When, for the gaps between hops (the dwell). */
			fprintf(stderr, "hop_ms %.0f\n", mono_ms());
		}
		ack(h, 0);
		break;
	default:
		ack(h, -EOPNOTSUPP);
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_nl peer;
	struct pollfd pfd;
	unsigned char *buf;
	struct nlmsghdr *h;
	struct sigaction sa;
	int i, n, idle = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: fake_nl80211 SCENARIO CAPTURE...\n");
		return 2;
	}
	scenario = argv[1];
	for (i = 2; i < argc; i++)
		load(argv[i]);
	if (getenv("FAKE_NL80211_IFNAME") != NULL) {
		snprintf(ifname, sizeof(ifname), "%s",
		    getenv("FAKE_NL80211_IFNAME"));
		if (if_nametoindex(ifname) != 0)
			sta_ifindex = if_nametoindex(ifname);
	}
	if (strcmp(scenario, "stale") == 0 && make_dummy("cpmon9999999") < 0)
		fprintf(stderr, "fake_nl80211: cannot make cpmon9999999\n");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((srv = nl_socket_alloc()) == NULL ||
	    nl_connect(srv, NETLINK_USERSOCK) < 0) {
		fprintf(stderr, "fake_nl80211: cannot open a netlink socket\n");
		return 3;
	}
	nl_socket_disable_seq_check(srv);
	printf("%d:%u:%d:%d\n", NETLINK_USERSOCK,
	    nl_socket_get_local_port(srv), FAMILY, GROUP);
	fflush(stdout);
	fprintf(stderr, "fake_nl80211: %zu BSSes, scenario %s\n", nbss,
	    scenario);
	while (!stop && idle < 600) {
		pfd.fd = nl_socket_get_fd(srv);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) <= 0) {
			idle++;
			continue;
		}
		idle = 0;
		if ((n = nl_recv(srv, &peer, &buf, NULL)) <= 0)
			continue;
		for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, n);
		    h = nlmsg_next(h, &n))
			handle(h);
		free(buf);
	}
	nl_socket_free(srv);
	return 0;
}
