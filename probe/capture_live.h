/*
 * capture_live.h - a live capture with libpcap into a pcapng file, on a LAN
 * interface (with an optional BPF filter) or on a monitor interface that
 * nl80211 creates on the wireless card's wiphy and tunes channel after
 * channel.  Every packet also goes to a caller hook, so the same analysis
 * as `cyanprobe analyze` runs while the capture does.  The monitor
 * interface is removed on every way out: the end of the run, an error,
 * SIGINT/SIGTERM/SIGHUP, and at the next run if a previous one was killed.
 */
#ifndef CAPTURE_LIVE_H
#define CAPTURE_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net/if.h>

struct pcap_pkthdr;

#define CAPTURE_LIVE_FREQS_MAX	64
#define CAPTURE_LIVE_MON_PREFIX	"cpmon"	/* cpmon<pid>: ours, reclaimable */

/* Called for every packet captured (after it is written). */
typedef void	(*capture_live_packet_fn)(void *arg, int dlt,
		    const struct pcap_pkthdr *h, const uint8_t *data);
/* Access points the analysis has seen so far, for the progress line. */
typedef size_t	(*capture_live_count_fn)(void *arg);

struct capture_live_opts {
	const char	*iface;		/* required */
	bool		 monitor;
	uint32_t	 freqs[CAPTURE_LIVE_FREQS_MAX];	/* hop list, MHz */
	size_t		 nfreqs;	/* 0: stay on the current channel */
	unsigned	 dwell_ms;	/* per channel; 0 means 250 */
	unsigned	 duration_s;	/* 0: until SIGINT/SIGTERM */
	const char	*filter;	/* BPF, may be NULL */
	const char	*out_path;	/* pcapng file, "-" for stdout */
	int		 snaplen;	/* 0 means 65535 */
	bool		 progress;	/* redraw a status line on stderr */
	capture_live_packet_fn on_packet;	/* may be NULL */
	capture_live_count_fn  networks;	/* may be NULL */
	void		*arg;
};

struct capture_live_stats {
	uint64_t	packets;	/* written to the file */
	uint64_t	bytes;		/* captured bytes */
	unsigned	kernel_drops;	/* pcap_stats ps_drop */
	unsigned	hops;		/* channel changes done */
	unsigned	hop_failures;	/* channel changes refused */
	double		seconds;
	int		dlt;		/* link type of the capture */
	char		capture_if[IF_NAMESIZE];	/* what pcap opened */
	bool		interrupted;	/* stopped by a signal */
	bool		monitor_removed;	/* made, then deleted */
};

/*
 * Run the capture described by `o`.  Returns an exit status of log.h:
 * EXIT_OK, EXIT_USAGE (bad interface name, not wireless with --monitor, bad
 * filter, unwritable file) or EXIT_RUNTIME (permission denied, interface
 * down, nl80211 missing, capture failure), with the message for
 * "cyanprobe: capture: ..." in `err`.  `st` is filled as far as it got.
 */
int		capture_live_run(const struct capture_live_opts *o,
		    struct capture_live_stats *st, char *err, size_t errlen);

/*
 * Parse a --channels list: "1-13", "1,6,11", "1-3,11", "36,40" into MHz
 * (2.4 GHz for 1-14, 5 GHz for 32-177).  Returns the count, or -1 on a bad
 * list (message in err).
 */
int		capture_live_channels(const char *s, uint32_t *freqs,
		    size_t max, char *err, size_t errlen);

#endif /* CAPTURE_LIVE_H */
