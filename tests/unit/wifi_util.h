/*
 * wifi_util.h - shared by the 802.11 decoder tests (test_ie.c,
 * test_ieee80211.c, test_radiotap.c, test_wifi_bss.c): load every packet of
 * a real capture into memory, each one in a buffer of its exact captured
 * size so ASan reports a decoder reading one byte past the frame, and find
 * the line tcpdump printed for packet n in the matching .out file, so the
 * tests compare against upstream's reading instead of copies typed in here.
 *
 * Unlike iplayer_util.h, which streams packets to a callback, the wifi
 * tests index packets at random (packet 3 of the oobr file, all of them
 * against their .out lines), hence the array.  One capture is loaded at a
 * time: wpkt_load() frees the previous one.
 */
#ifndef WIFI_UTIL_H
#define WIFI_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "test.h"

#define WPKT_MAX	256

struct wpkt {
	int		 dlt;
	size_t		 len;
	uint8_t		*data;		/* exact size: ASan sees over-reads */
};

static struct wpkt wpkt[WPKT_MAX];
static int wpkt_n;

static inline void
wpkt_free(void)
{
	int i;

	for (i = 0; i < wpkt_n; i++)
		free(wpkt[i].data);
	wpkt_n = 0;
}

/*
 * Load dir/name's packets (at most WPKT_MAX) into wpkt[]; returns how many,
 * or -1, counted as a failed check, when the capture cannot be opened.
 */
static inline int
wpkt_load(const char *dir, const char *name)
{
	char path[2200], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;

	wpkt_free();
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((p = pcap_open_offline(path, err)) == NULL) {
		printf("FAIL cannot open %s: %s\n", path, err);
		test_failed++;
		return -1;
	}
	while (wpkt_n < WPKT_MAX && pcap_next_ex(p, &h, &d) == 1) {
		wpkt[wpkt_n].dlt = pcap_datalink(p);
		wpkt[wpkt_n].len = h->caplen;
		wpkt[wpkt_n].data = malloc(h->caplen ? h->caplen : 1);
		if (wpkt[wpkt_n].data == NULL)
			break;
		memcpy(wpkt[wpkt_n].data, d, h->caplen);
		wpkt_n++;
	}
	pcap_close(p);
	return wpkt_n;
}

/*
 * The line of tcpdump .out file dir/name for packet n (1-based): tcpdump
 * -# prints the number right-aligned, so such lines start with a space.
 * False when the file or the line is missing.
 */
static inline bool
wpkt_out_line(const char *dir, const char *name, int n, char *buf,
    size_t size)
{
	char path[2200];
	FILE *f;
	int num;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (fgets(buf, (int)size, f) != NULL) {
		if (buf[0] == ' ' && sscanf(buf, "%d", &num) == 1 &&
		    num == n) {
			fclose(f);
			return true;
		}
	}
	fclose(f);
	return false;
}

#endif /* WIFI_UTIL_H */
