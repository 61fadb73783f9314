/*
 * hsload.c - a load client for `cyanprobe cloud`: N threads each run full
 * device handshakes (handshake_run: nonce to ping) back to back until
 * COUNT have been made, then print handshakes per second and the p50/p99
 * latency of the completed ones.  Used by tests/bench/handshake.sh.
 *
 * usage: hsload HOST:PORT DEVICE_KEY SERVER_KEY DEVICE_ID THREADS COUNT
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"
#include "keys.h"

struct load {
	struct handshake_opts	 o;
	int			 count;		/* handshakes to make */
	int			 next;		/* next to start; under lock */
	int			 ok, failed;
	double			*ms;		/* per completed handshake */
	char			 first_error[FINDING_EVIDENCE_MAX];
	pthread_mutex_t		 lock;
};

static void *
worker(void *arg)
{
	struct load *l = arg;
	struct handshake_result *r = malloc(sizeof(*r));
	int rc;

	if (r == NULL)
		return NULL;
	for (;;) {
		pthread_mutex_lock(&l->lock);
		if (l->next >= l->count) {
			pthread_mutex_unlock(&l->lock);
			break;
		}
		l->next++;
		pthread_mutex_unlock(&l->lock);
		rc = handshake_run(&l->o, r);
		pthread_mutex_lock(&l->lock);
		if (rc == 0)
			l->ms[l->ok++] = r->total_ms;
		else {
			if (l->failed++ == 0)
				snprintf(l->first_error,
				    sizeof(l->first_error), "%s", r->evidence);
		}
		pthread_mutex_unlock(&l->lock);
	}
	free(r);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, int n, double p)
{
	int i = (int)(p / 100.0 * (n - 1) + 0.5);

	return n == 0 ? 0 : v[i < n ? i : n - 1];
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct load l;
	pthread_t *tid;
	char err[512];
	double t0, secs;
	int i, threads;

	if (argc != 7) {
		fprintf(stderr, "usage: hsload HOST:PORT DEVICE_KEY SERVER_KEY "
		    "DEVICE_ID THREADS COUNT\n");
		return 2;
	}
	memset(&l, 0, sizeof(l));
	handshake_opts_init(&l.o);
	threads = atoi(argv[5]);
	l.count = atoi(argv[6]);
	if (threads < 1 || threads > 1024 || l.count < 1 ||
	    l.count > 10000000) {
		fprintf(stderr, "hsload: bad THREADS or COUNT\n");
		return 2;
	}
	if (handshake_resolve(argv[1], 5683, false, &ss, &sl, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "hsload: %s\n", err);
		return 2;
	}
	l.o.addr = (struct sockaddr *)&ss;
	l.o.addrlen = sl;
	if ((l.o.device_key = keys_load_private(argv[2], KEYS_DEVICE_BITS,
	    err, sizeof(err))) == NULL ||
	    (l.o.server_key = keys_load_public(argv[3], KEYS_SERVER_BITS, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "hsload: %s\n", err);
		return 2;
	}
	if (!keys_parse_device_id(argv[4], l.o.device_id)) {
		fprintf(stderr, "hsload: bad device id\n");
		return 2;
	}
	l.ms = calloc((size_t)l.count, sizeof(double));
	tid = calloc((size_t)threads, sizeof(*tid));
	if (l.ms == NULL || tid == NULL)
		return 3;
	pthread_mutex_init(&l.lock, NULL);
	t0 = hs_now_ms();
	for (i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, worker, &l) != 0)
			return 3;
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	secs = (hs_now_ms() - t0) / 1000.0;
	qsort(l.ms, (size_t)l.ok, sizeof(double), cmp_double);
	printf("handshakes: %d ok, %d failed, %d clients, %.2f s\n", l.ok,
	    l.failed, threads, secs);
	printf("rate:       %.0f handshakes/s\n", secs > 0 ? l.ok / secs : 0);
	printf("latency:    p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
	    pct(l.ms, l.ok, 50), pct(l.ms, l.ok, 99), pct(l.ms, l.ok, 100));
	if (l.failed > 0)
		printf("first failure: %s\n", l.first_error);
	/* One line for scripts. */
	printf("result ok=%d failed=%d rate=%.0f p50=%.2f p99=%.2f\n", l.ok,
	    l.failed, secs > 0 ? l.ok / secs : 0, pct(l.ms, l.ok, 50),
	    pct(l.ms, l.ok, 99));
	EVP_PKEY_free(l.o.device_key);
	EVP_PKEY_free(l.o.server_key);
	free(l.ms);
	free(tid);
	pthread_mutex_destroy(&l.lock);
	return l.failed == 0 ? 0 : 1;
}
