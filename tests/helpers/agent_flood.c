/*
 * agent_flood.c - many simulated firmware agents at once, for the collector's
 * tests and benchmark: each device sends its events as the agent does (CoAP
 * POST /e built by agent_coap_encode, one CON outstanding, resent with the
 * same message id until acknowledged), and the ACK latency is measured.
 *
 *   agent_flood -a ADDR:PORT [-d DEVICES] [-n EVENTS] [-b BATCH] [-N]
 *               [-D] [-o ACKED] [-t TOTAL_MS] [-r RESEND_MS] [-e EPOCH]
 *   agent_flood -a ADDR:PORT -x HEX     send one datagram, print the reply
 *
 * -N sends NON (no ACKs: counts only), -D sends every datagram twice, -o
 * writes "DEVICEHEX SEQ" for every acknowledged event, -e gives the 16 bits
 * that set this run's device ids apart from another run's (1 to 65535;
 * default random: a test that needs two runs' devices to differ gives each
 * its own).  Last line:
 * "events E acked A sent S resent R codes ... elapsed_ms T rate R p50_ms X
 * p99_ms Y".  Exit 0 when every event was acknowledged (or sent, with -N).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

struct fdev {
	uint8_t		id[12];
	char		hexid[25];
	uint32_t	next;		/* next seq to send */
	uint32_t	sent_to;	/* below: in flight or acked */
	uint16_t	mid;
	int		busy;
	double		t_first, t_last;
	size_t		len;
	uint8_t		dgram[AGENT_COAP_MAX];
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
hexbytes(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[1] != '\0' && n < cap) {
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return (int)n;
}

int
main(int argc, char **argv)
{
	const char *addr = NULL, *acked_path = NULL, *raw = NULL;
	int ndev = 16, nev = 64, batch = AGENT_COAP_BATCH, non = 0, dup = 0;
	int total_ms = 20000, resend_ms = 300, ch, fd, i, k;
	struct sockaddr_in sa;
	struct fdev *dev;
	struct agent_event ev[AGENT_COAP_BATCH];
	const struct agent_event *pev[AGENT_COAP_BATCH];
	static int by_mid[65536];
	double *lat, t0, p50 = 0, p99 = 0;
	size_t nlat = 0, acked = 0, sent = 0, resent = 0, codes[256];
	FILE *af = NULL;
	uint32_t epoch;
	uint16_t next_mid;
	int id_epoch = 0;
	struct timespec seed_ts;
	char *colon, host[64];

	while ((ch = getopt(argc, argv, "a:d:n:b:NDo:t:r:x:e:")) != -1) {
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'd': ndev = atoi(optarg); break;
		case 'n': nev = atoi(optarg); break;
		case 'b': batch = atoi(optarg); break;
		case 'N': non = 1; break;
		case 'D': dup = 1; break;
		case 'o': acked_path = optarg; break;
		case 't': total_ms = atoi(optarg); break;
		case 'r': resend_ms = atoi(optarg); break;
		case 'x': raw = optarg; break;
		case 'e': id_epoch = atoi(optarg); break;
		default:
			fprintf(stderr, "agent_flood: bad option\n");
			return 2;
		}
	}
	if (addr == NULL || (colon = strrchr(addr, ':')) == NULL ||
	    (size_t)(colon - addr) >= sizeof(host) || ndev < 1 ||
	    ndev > 4096 || nev < 1 || batch < 1 || batch > AGENT_COAP_BATCH ||
	    id_epoch < 0 || id_epoch > 65535) {
		fprintf(stderr, "agent_flood: need -a ADDR:PORT (and sane "
		    "-d -n -b)\n");
		return 2;
	}
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		perror("agent_flood");
		return 2;
	}
	{
		int big = 4 << 20;

		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	}
	if (raw != NULL) {
		/* One datagram; print the reply's type and code. */
		uint8_t b[1500], r[1500];
		struct pollfd p = { fd, POLLIN, 0 };
		int n = hexbytes(raw, b, sizeof(b));
		ssize_t got;

		if (n <= 0 || send(fd, b, (size_t)n, 0) != n) {
			perror("agent_flood: send");
			return 2;
		}
		if (poll(&p, 1, 2000) != 1 ||
		    (got = recv(fd, r, sizeof(r), 0)) < 4) {
			printf("reply none\n");
			return 1;
		}
		printf("reply type %d code %d.%02d mid %u\n", r[0] >> 4 & 3,
		    r[1] >> 5, r[1] & 31, (unsigned)(r[2] << 8 | r[3]));
		return 0;
	}
	if (acked_path != NULL && (af = fopen(acked_path, "w")) == NULL) {
		perror(acked_path);
		return 2;
	}
	dev = calloc((size_t)ndev, sizeof(*dev));
	lat = calloc((size_t)ndev * (size_t)nev + 1, sizeof(*lat));
	if (dev == NULL || lat == NULL)
		return 2;
	memset(codes, 0, sizeof(codes));
	/*
	 * Not getpid() ^ time(NULL): two runs a second apart with pids one
	 * apart can get the same seed (both low bits flip), hence the same
	 * device ids, and a test expecting new devices saw duplicates.
	 */
	clock_gettime(CLOCK_REALTIME, &seed_ts);
	srand((unsigned)seed_ts.tv_nsec * 2654435761u + (unsigned)getpid());
	epoch = id_epoch > 0 ? (uint32_t)id_epoch : (uint32_t)rand() | 1;
	next_mid = (uint16_t)rand();
	for (i = 0; i < 65536; i++)
		by_mid[i] = -1;
	for (i = 0; i < ndev; i++) {
		memcpy(dev[i].id, "flood\0\0", 7);
		dev[i].id[7] = (uint8_t)(epoch >> 8);
		dev[i].id[8] = (uint8_t)epoch;
		dev[i].id[10] = (uint8_t)(i >> 8);
		dev[i].id[11] = (uint8_t)i;
		dev[i].next = 1;
		for (k = 0; k < 12; k++)
			snprintf(dev[i].hexid + 2 * k, 3, "%02x", dev[i].id[k]);
	}
	t0 = now_ms();
	for (;;) {
		int active = 0;
		double t = now_ms();
		uint8_t r[64];
		ssize_t got;
		struct pollfd p = { fd, POLLIN, 0 };

		if (t - t0 > total_ms)
			break;
		for (i = 0; i < ndev; i++) {
			struct fdev *d = &dev[i];

			if (d->busy && t - d->t_last >= resend_ms) {
				send(fd, d->dgram, d->len, 0);
				d->t_last = t;
				resent++;
			}
			if (d->busy || d->next > (uint32_t)nev) {
				active += d->busy;
				continue;
			}
			for (k = 0; k < batch && d->next + (uint32_t)k <=
			    (uint32_t)nev; k++) {
				memset(&ev[k], 0, sizeof(ev[k]));
				ev[k].seq = d->next + (uint32_t)k;
				ev[k].ms = (uint32_t)(t - t0);
				ev[k].kind = AGENT_EV_FACT;
				ev[k].stage = STAGE_CONNECTED;
				ev[k].fail = AGENT_FACT_RSSI;
				ev[k].code = -60 - (int32_t)(ev[k].seq % 30);
				pev[k] = &ev[k];
			}
			/* Sequential ids: none reused while in flight. */
			d->mid = next_mid++;
			d->len = agent_coap_encode(d->dgram, sizeof(d->dgram),
			    !non, d->mid, d->id, epoch, pev, (size_t)k);
			d->sent_to = d->next + (uint32_t)k;
			send(fd, d->dgram, d->len, 0);
			if (dup)
				send(fd, d->dgram, d->len, 0);
			sent++;
			if (non) {
				d->next = d->sent_to;
				continue;
			}
			by_mid[d->mid] = i;
			d->busy = 1;
			d->t_first = d->t_last = t;
			active++;
		}
		if (active == 0) {
			for (i = 0; i < ndev &&
			    dev[i].next > (uint32_t)nev; i++)
				continue;
			if (i == ndev)
				break;
		}
		if (poll(&p, 1, active > 0 ? 5 : 0) != 1)
			continue;
		while ((got = recv(fd, r, sizeof(r), MSG_DONTWAIT)) >= 4) {
			uint16_t mid = (uint16_t)(r[2] << 8 | r[3]);
			struct fdev *d;
			uint32_t s;

			codes[r[1]]++;
			if ((r[0] >> 4 & 3) != 2 || by_mid[mid] < 0)
				continue;
			d = &dev[by_mid[mid]];
			by_mid[mid] = -1;
			if (!d->busy || d->mid != mid)
				continue;
			d->busy = 0;
			if (r[1] == 0x44) {
				lat[nlat++] = now_ms() - d->t_first;
				for (s = d->next; s < d->sent_to; s++) {
					acked++;
					if (af != NULL)
						fprintf(af, "%s %u\n",
						    d->hexid, s);
				}
				d->next = d->sent_to;
			}
			/* Any other code: the same events go again. */
		}
	}
	{
		double el = now_ms() - t0;
		size_t events = (size_t)ndev * (size_t)nev;

		if (nlat > 0) {
			qsort(lat, nlat, sizeof(*lat), cmp_d);
			p50 = lat[nlat / 2];
			p99 = lat[(nlat * 99) / 100 < nlat ? (nlat * 99) / 100 :
			    nlat - 1];
		}
		printf("events %zu acked %zu sent %zu resent %zu "
		    "codes 2.04:%zu "
		    "4.00:%zu 4.29:%zu 5.03:%zu elapsed_ms %.0f rate %.0f "
		    "p50_ms %.3f p99_ms %.3f\n", events, acked, sent, resent,
		    codes[0x44], codes[0x80], codes[0x9d], codes[0xa3], el,
		    (non ? (double)events : (double)acked) * 1000.0 / el,
		    p50, p99);
		if (af != NULL)
			fclose(af);
		free(dev);
		free(lat);
		return non || acked == events ? 0 : 1;
	}
}
