/*
 * capture_live.c - live capture: libpcap on the named interface (or on a
 * monitor interface made through nl80211), each packet written to pcapng
 * (pcapng_write.c) and handed to the caller's analysis hook, with channel
 * hopping, a deadline, a TTY progress line, and signal handling that always
 * ends in removing the monitor interface.  The signal handlers only set a
 * flag; the loop polls the capture descriptor with a short timeout so that
 * it notices the flag, the deadline and the next hop in time.
 */
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/nl80211.h>
#include <pcap/pcap.h>

#include "capture_live.h"
#include "log.h"
#include "nl80211.h"
#include "pcapng_write.h"
#include "wifi_bss.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/*
 * The monitor interface to remove, for the atexit() path: a fatal error
 * anywhere after creation still deletes it.
 */
static struct {
	struct nl80211	nl;
	uint32_t	ifindex;
	bool		active;
} mon;

static void
monitor_remove(void)
{
	if (!mon.active)
		return;
	mon.active = false;
	if (nl80211_del_interface(&mon.nl, mon.ifindex) != NL80211_OK)
		log_warnx("capture: could not remove monitor interface %u: %s",
		    mon.ifindex, mon.nl.msg);
	nl80211_close(&mon.nl);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
parse_num(const char **s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(*s, &end, 10);
	if (end == *s || errno != 0)
		return -1;
	*s = end;
	return 0;
}

static uint32_t
chan_freq(long ch)
{
	if (ch >= 1 && ch <= 14)
		return wifi_channel_to_freq((unsigned)ch, WIFI_BAND_2G4);
	if (ch >= 32 && ch <= 177)
		return wifi_channel_to_freq((unsigned)ch, WIFI_BAND_5G);
	return 0;
}

int
capture_live_channels(const char *s, uint32_t *freqs, size_t max, char *err,
    size_t errlen)
{
	const char *p = s;
	long a, b, c;
	size_t n = 0;

	while (*p != '\0') {
		if (parse_num(&p, &a) < 0)
			goto bad;
		b = a;
		if (*p == '-') {
			p++;
			if (parse_num(&p, &b) < 0 || b < a)
				goto bad;
		}
		for (c = a; c <= b; c++) {
			if (chan_freq(c) == 0) {
				snprintf(err, errlen, "--channels '%s': %ld is "
				    "not a 2.4 or 5 GHz channel", s, c);
				return -1;
			}
			if (n >= max) {
				snprintf(err, errlen, "--channels '%s': more "
				    "than %zu channels", s, max);
				return -1;
			}
			freqs[n++] = chan_freq(c);
		}
		if (*p == ',')
			p++;
		else if (*p != '\0')
			goto bad;
	}
	if (n == 0)
		goto bad;
	return (int)n;
bad:
	snprintf(err, errlen, "--channels '%s': expected a list like 1-13 or "
	    "1,6,11", s);
	return -1;
}

/* Delete monitor interfaces left by a cyanprobe that was killed. */
static void
reclaim_stale(struct nl80211 *nl)
{
	struct nl80211_ifaces ifs;
	size_t i, plen = strlen(CAPTURE_LIVE_MON_PREFIX);
	char *end;
	long pid;

	if (nl80211_interfaces(nl, &ifs) != NL80211_OK)
		return;
	for (i = 0; i < ifs.n; i++) {
		if (ifs.item[i].iftype != NL80211_IFTYPE_MONITOR ||
		    strncmp(ifs.item[i].name, CAPTURE_LIVE_MON_PREFIX,
		    plen) != 0)
			continue;
		pid = strtol(ifs.item[i].name + plen, &end, 10);
		if (*end != '\0' || pid <= 0 || pid > INT_MAX)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		log_info("capture: removing %s, left by process %ld",
		    ifs.item[i].name, pid);
		(void)nl80211_del_interface(nl, ifs.item[i].ifindex);
	}
}

/* Create the monitor interface; fills `name`.  Returns an exit status. */
static int
monitor_setup(const struct capture_live_opts *o, char *name, char *err,
    size_t errlen)
{
	struct nl80211_iface ifc;
	enum nl80211_err e;
	char pidname[32];

	e = nl80211_check_ifname(o->iface, err, errlen);
	if (e != NL80211_OK) {
		if (e == NL80211_E_NOTWIRELESS)
			snprintf(err, errlen, "%s: not a wireless interface: "
			    "--monitor needs a Wi-Fi adapter", o->iface);
		return nl80211_exit_code(e);
	}
	if ((e = nl80211_open(&mon.nl)) != NL80211_OK) {
		snprintf(err, errlen, "%s: %s", o->iface, nl80211_strerror(e));
		return nl80211_exit_code(e);
	}
	if ((e = nl80211_pick(&mon.nl, o->iface, &ifc)) != NL80211_OK) {
		snprintf(err, errlen, "%s", mon.nl.msg);
		nl80211_close(&mon.nl);
		return nl80211_exit_code(e);
	}
	reclaim_stale(&mon.nl);
	/* Linux pids have at most 7 digits: "cpmon" + 7 fits IF_NAMESIZE. */
	snprintf(pidname, sizeof(pidname), "%s%ld", CAPTURE_LIVE_MON_PREFIX,
	    (long)getpid());
	memcpy(name, pidname, IF_NAMESIZE - 1);
	name[IF_NAMESIZE - 1] = '\0';
	e = nl80211_new_monitor(&mon.nl, ifc.wiphy, name, &mon.ifindex);
	if (e != NL80211_OK) {
		snprintf(err, errlen, "%s: cannot create a monitor interface "
		    "on phy%u: %s (%s)%s", o->iface, ifc.wiphy,
		    nl80211_strerror(e), mon.nl.msg,
		    e == NL80211_E_UNSUPPORTED ? "; check `iw list` for "
		    "\"Supported interface modes: monitor\"" : "");
		nl80211_close(&mon.nl);
		return nl80211_exit_code(e);
	}
	mon.active = true;
	atexit(monitor_remove);
	return EXIT_OK;
}

struct loop {
	const struct capture_live_opts *o;
	struct capture_live_stats	*st;
	struct pcapng_writer	*w;
	int			 iface;
	int			 dlt;
	bool			 write_failed;
};

static void
on_pcap_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	struct loop *l = (struct loop *)user;
	uint64_t usec;

	usec = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
	if (pcapng_packet(l->w, l->iface, usec, d, h->caplen, h->len) < 0)
		l->write_failed = true;
	l->st->packets++;
	l->st->bytes += h->caplen;
	if (l->o->on_packet != NULL)
		l->o->on_packet(l->o->arg, l->dlt, h, d);
}

static void
progress(const struct capture_live_opts *o, const struct capture_live_stats *st,
    double left, uint32_t freq, bool final)
{
	static double last;
	char tl[32] = "";
	double t;

	if (!o->progress)
		return;
	if (final) {
		fprintf(stderr, "\r\033[K");
		last = 0;
		return;
	}
	/* Four redraws a second are plenty for a person. */
	if ((t = now_s()) - last < 0.25)
		return;
	last = t;
	if (o->duration_s != 0)
		snprintf(tl, sizeof(tl), ", %.0f s left",
		    left < 0 ? 0 : ceil(left));
	fprintf(stderr, "\r\033[K%llu packets",
	    (unsigned long long)st->packets);
	if (o->networks != NULL)
		fprintf(stderr, ", %zu access points", o->networks(o->arg));
	if (freq != 0)
		fprintf(stderr, ", channel %u",
		    wifi_freq_to_channel(freq));
	fprintf(stderr, "%s ", tl);
	fflush(stderr);
}

/*
 * At the stop (a signal or the deadline): what the kernel already queued
 * for us arrived before it, so it is part of the capture, e.g. the
 * packets just before a Ctrl-C, which the loop may not have read yet.
 * Read without blocking until the queue is empty, a bounded number of
 * times (traffic that goes on is after the stop).
 */
static void
drain(pcap_t *p, struct loop *l, const char *dev, char *err, size_t errlen,
    int *rc)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int i, n;

	if (pcap_setnonblock(p, 1, ebuf) == PCAP_ERROR)
		return;
	for (i = 0; i < 64; i++) {
		if ((n = pcap_dispatch(p, -1, on_pcap_packet, (u_char *)l)) < 0) {
			snprintf(err, errlen, "%s: %s", dev, pcap_geterr(p));
			*rc = EXIT_RUNTIME;
			return;
		}
		if (l->write_failed) {
			snprintf(err, errlen, "-w %s: write failed: %s",
			    l->o->out_path, strerror(errno));
			*rc = EXIT_RUNTIME;
			return;
		}
		if (n == 0)
			return;
	}
}

/* Open and activate the pcap handle.  Returns an exit status. */
static int
open_pcap(const struct capture_live_opts *o, const char *dev, pcap_t **out,
    char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *p;
	int r;

	if ((p = pcap_create(dev, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", dev, ebuf);
		return EXIT_RUNTIME;
	}
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : 65535);
	pcap_set_promisc(p, 1);
	pcap_set_immediate_mode(p, 1);
	pcap_set_timeout(p, 100);
	r = pcap_activate(p);
	if (r < 0) {
		switch (r) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			snprintf(err, errlen, "%s: no such interface", dev);
			pcap_close(p);
			return EXIT_USAGE;
		case PCAP_ERROR_PERM_DENIED:
			snprintf(err, errlen, "%s: permission denied: capture "
			    "needs CAP_NET_RAW (run as root, or setcap "
			    "cap_net_raw,cap_net_admin+eip on cyanprobe)", dev);
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(err, errlen, "%s: interface is down (ip link "
			    "set %s up)", dev, dev);
			break;
		default:
			snprintf(err, errlen, "%s: %s", dev, pcap_geterr(p));
		}
		pcap_close(p);
		return EXIT_RUNTIME;
	}
	if (o->monitor)
		(void)pcap_set_datalink(p, DLT_IEEE802_11_RADIO);
	if (o->filter != NULL && *o->filter != '\0') {
		if (pcap_compile(p, &prog, o->filter, 1,
		    PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(err, errlen, "--filter '%s': %s", o->filter,
			    pcap_geterr(p));
			pcap_close(p);
			return EXIT_USAGE;
		}
		r = pcap_setfilter(p, &prog);
		pcap_freecode(&prog);
		if (r < 0) {
			snprintf(err, errlen, "--filter '%s': %s", o->filter,
			    pcap_geterr(p));
			pcap_close(p);
			return EXIT_RUNTIME;
		}
	}
	if (pcap_setnonblock(p, 1, ebuf) < 0) {
		snprintf(err, errlen, "%s: %s", dev, ebuf);
		pcap_close(p);
		return EXIT_RUNTIME;
	}
	*out = p;
	return EXIT_OK;
}

static void
install_signals(struct sigaction *old)
{
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must return so the loop sees the flag. */
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	/*
	 * With -w - into a pipe whose reader quits, a write must fail (and
	 * the loop end, removing the monitor) rather than kill the process.
	 */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old[3]);
}

static void
restore_signals(const struct sigaction *old)
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGHUP, &old[2], NULL);
	sigaction(SIGPIPE, &old[3], NULL);
}

int
capture_live_run(const struct capture_live_opts *o,
    struct capture_live_stats *st, char *err, size_t errlen)
{
	struct sigaction old[4];
	struct pcapng_writer w;
	struct loop l;
	struct pcap_stat ps;
	struct pollfd pfd;
	pcap_t *p = NULL;
	char dev[IF_NAMESIZE];
	double start, end, next_hop, t;
	unsigned dwell = o->dwell_ms != 0 ? o->dwell_ms : 250;
	size_t hop = 0;
	uint32_t freq = 0;
	int rc, fd;
	bool writer_open = false;

	memset(st, 0, sizeof(*st));
	memset(&w, 0, sizeof(w));
	stop_signal = 0;
	if (strlen(o->iface) >= IF_NAMESIZE || if_nametoindex(o->iface) == 0) {
		snprintf(err, errlen, "%s: no such interface", o->iface);
		return EXIT_USAGE;
	}
	/* Handlers go in before the monitor exists: no window without them. */
	install_signals(old);
	snprintf(dev, sizeof(dev), "%s", o->iface);
	if (o->monitor && (rc = monitor_setup(o, dev, err, errlen)) != EXIT_OK)
		goto out;
	snprintf(st->capture_if, sizeof(st->capture_if), "%s", dev);
	if ((rc = open_pcap(o, dev, &p, err, errlen)) != EXIT_OK)
		goto out;
	l.dlt = st->dlt = pcap_datalink(p);
	if (pcapng_open(&w, o->out_path, "cyanprobe " CYANPROBE_VERSION) < 0) {
		snprintf(err, errlen, "-w %s: %s", o->out_path,
		    strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	writer_open = true;
	l.iface = pcapng_add_iface(&w, (uint16_t)st->dlt,
	    (uint32_t)pcap_snapshot(p), dev, o->filter);
	if (l.iface < 0) {
		snprintf(err, errlen, "-w %s: %s", o->out_path,
		    strerror(errno));
		rc = EXIT_RUNTIME;
		goto out;
	}
	l.o = o;
	l.st = st;
	l.w = &w;
	l.write_failed = false;
	log_info("capture: %s: capturing, link type %d%s%s%s, into %s", dev,
	    st->dlt, o->filter != NULL ? ", filter '" : "",
	    o->filter != NULL ? o->filter : "", o->filter != NULL ? "'" : "",
	    o->out_path);

	start = now_s();
	end = o->duration_s != 0 ? start + o->duration_s : 0;
	next_hop = start;
	fd = pcap_get_selectable_fd(p);
	rc = EXIT_OK;
	while (stop_signal == 0) {
		t = now_s();
		if (end != 0 && t >= end)
			break;
		if (o->monitor && o->nfreqs > 0 && t >= next_hop) {
			freq = o->freqs[hop++ % o->nfreqs];
			if (nl80211_set_freq(&mon.nl, mon.ifindex, freq) ==
			    NL80211_OK) {
				st->hops++;
				log_debug("capture: %s: %u MHz", dev, freq);
			}
			else if (st->hop_failures++ == 0)
				log_warnx("capture: cannot tune %s to %u MHz: "
				    "%s (is the card associated? hopping "
				    "needs it idle)", dev, freq, mon.nl.msg);
			next_hop = t + dwell / 1000.0;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = EXIT_RUNTIME;
			break;
		}
		if (pcap_dispatch(p, -1, on_pcap_packet, (u_char *)&l) < 0) {
			snprintf(err, errlen, "%s: %s", dev, pcap_geterr(p));
			rc = EXIT_RUNTIME;
			break;
		}
		if (l.write_failed) {
			snprintf(err, errlen, "-w %s: write failed: %s",
			    o->out_path, strerror(errno));
			rc = EXIT_RUNTIME;
			break;
		}
		progress(o, st, end != 0 ? end - now_s() : 0, freq, false);
	}
	if (rc == EXIT_OK)
		drain(p, &l, dev, err, errlen, &rc);
	progress(o, st, 0, 0, true);
	st->interrupted = stop_signal != 0;
	st->seconds = now_s() - start;
	if (pcap_stats(p, &ps) == 0)
		st->kernel_drops = ps.ps_drop;
	log_info("capture: %s: stopped %s after %.1f s: %llu packet(s), "
	    "%llu byte(s), %u dropped by the kernel", dev,
	    st->interrupted ? "by a signal" : rc != EXIT_OK ? "by an error" :
	    "at the end of --duration", st->seconds,
	    (unsigned long long)st->packets, (unsigned long long)st->bytes,
	    st->kernel_drops);
out:
	if (p != NULL)
		pcap_close(p);
	if (writer_open && pcapng_close(&w) < 0 && rc == EXIT_OK) {
		snprintf(err, errlen, "-w %s: %s", o->out_path,
		    strerror(errno));
		rc = EXIT_RUNTIME;
	}
	if (mon.active) {
		monitor_remove();
		st->monitor_removed = true;
	}
	restore_signals(old);
	return rc;
}
