/*
 * check_internet.c - the device's own internet test, the one that decides
 * between 2 blinks (internet unreachable) and 3 (internet fine, cloud not):
 * a TCP connect to 8.8.8.8:53 with no data (Core firmware and Device OS up
 * to 1.5.x), or, from Device OS 2.0, a DNS lookup of pool.ntp.org and an
 * SNTP request on UDP 123 (particle-cloud.md 3.2).  The profile and
 * firmware choose which (diag_opts.inet_ntp); --internet-test and --ntp
 * move the targets.  The device gives it 8 s and 10 s; the probe's deadline
 * is shorter and scales with --timeout.  The check also holds the other
 * small pieces of TCP and NTP the checks share.
 */
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cursor.h"
#include "diagnose.h"

int
check_bind_iface(int fd, const char *ifname)
{
	if (ifname == NULL)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    (socklen_t)strlen(ifname));
}

int
check_tcp_connect(struct in_addr addr, uint16_t port, const char *ifname,
    double deadline, int *err, double *ms)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	socklen_t sl = sizeof(*err);
	double start = diag_now(), now;
	int fd, rc;

	*err = 0;
	*ms = 0;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		*err = errno;
		return -1;
	}
	if (check_bind_iface(fd, ifname) == -1) {
		*err = errno;
		goto fail;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr = addr;
	rc = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	if (rc == -1 && errno != EINPROGRESS) {
		*err = errno;
		goto fail;
	}
	while (rc == -1) {
		now = diag_now();
		if (now >= deadline) {
			*err = ETIMEDOUT;
			goto fail;
		}
		pfd = (struct pollfd){ fd, POLLOUT, 0 };
		rc = poll(&pfd, 1, (int)((deadline - now) * 1000) + 1);
		if (rc == -1 && errno != EINTR) {
			*err = errno;
			goto fail;
		}
		if (rc <= 0) {
			rc = -1;
			continue;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &sl) == -1)
			*err = errno;
		if (*err != 0)
			goto fail;
		rc = 0;
	}
	*ms = round((diag_now() - start) * 10000) / 10;
	return fd;
fail:
	*ms = round((diag_now() - start) * 10000) / 10;
	close(fd);
	return -1;
}

bool
check_ntp_reply_ok(const uint8_t *buf, size_t len, const uint8_t xmit[8],
    uint8_t *stratum)
{
	struct cursor c = cur_init(buf, len);
	const uint8_t *origin;
	uint8_t b0, vn, mode;

	/* RFC 5905 7.3: LI VN Mode, Stratum, Poll, Precision, ... */
	b0 = cur_u8(&c);
	*stratum = cur_u8(&c);
	cur_skip(&c, 2 + 4 + 4 + 4 + 8);	/* to the origin timestamp */
	cur_take(&c, 8, &origin);
	cur_skip(&c, 16);			/* receive, transmit */
	if (c.bad)
		return false;
	vn = (uint8_t)(b0 >> 3 & 7);
	mode = (uint8_t)(b0 & 7);
	if (mode != 4 || vn < 1 || vn > 4 || *stratum > 15)
		return false;
	/* The origin must echo our transmit time, or it is not our answer. */
	return memcmp(origin, xmit, 8) == 0;
}

static void
inet_tcp(struct diag *d, struct check_result *res, cJSON *f, double deadline)
{
	struct in_addr a;
	char why[160], buf[INET_ADDRSTRLEN];
	const char *host = d->o->inet_host;
	uint16_t port = d->o->inet_port;
	double ms;
	int fd, err;

	cJSON_AddStringToObject(f, "kind", "tcp");
	cJSON_AddStringToObject(f, "target", host);
	cJSON_AddNumberToObject(f, "port", port);
	if (check_resolve_host(d, host, deadline, &a, why, sizeof(why)) ==
	    -1) {
		cJSON_AddStringToObject(f, "result", "dns");
		check_fail(res, FINDING_INTERNET_FAILED, "%s", why);
		check_note(res, "%s", why);
		return;
	}
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	cJSON_AddStringToObject(f, "address", buf);
	fd = check_tcp_connect(a, port, d->o->iface, deadline, &err, &ms);
	cJSON_AddNumberToObject(f, "ms", ms);
	if (fd != -1) {
		close(fd);
		cJSON_AddStringToObject(f, "result", "connected");
		res->seen |= STAGE_BIT(STAGE_INTERNET);
		check_note(res, "TCP %s:%u connected in %.0f ms", buf, port, ms);
		return;
	}
	cJSON_AddStringToObject(f, "result", err == ETIMEDOUT ? "timeout" :
	    err == ECONNREFUSED ? "refused" : "unreachable");
	cJSON_AddStringToObject(f, "error", strerror(err));
	check_fail(res, FINDING_INTERNET_FAILED,
	    "the device's internet test, a TCP connect to %s:%u, failed: %s "
	    "after %.0f ms", buf, port,
	    err == ETIMEDOUT ? "no answer" : strerror(err), ms);
	check_note(res, "TCP %s:%u: %s", buf, port,
	    err == ETIMEDOUT ? "timeout" : strerror(err));
}

static void
inet_ntp(struct diag *d, struct check_result *res, cJSON *f, double deadline)
{
	struct sockaddr_in to, from;
	struct in_addr a;
	socklen_t fl;
	uint8_t req[48], rep[512], stratum = 0;
	char why[160], buf[INET_ADDRSTRLEN];
	const char *host = d->o->ntp_host;
	uint16_t port = d->o->ntp_port;
	/* The device resends every 2 s; scaled like every other step. */
	double retry = 2.0 * d->o->timeout / DIAG_TIMEOUT_DEFAULT;
	double start, next = 0, now;
	ssize_t n;
	int fd, tries = 0;
	bool ok = false;

	cJSON_AddStringToObject(f, "kind", "ntp");
	cJSON_AddStringToObject(f, "target", host);
	cJSON_AddNumberToObject(f, "port", port);
	if (check_resolve_host(d, host, deadline, &a, why, sizeof(why)) ==
	    -1) {
		cJSON_AddStringToObject(f, "result", "dns");
		check_fail(res, FINDING_INTERNET_FAILED,
		    "the device's internet test starts with DNS: %s", why);
		check_note(res, "%s", why);
		return;
	}
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	cJSON_AddStringToObject(f, "address", buf);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    check_bind_iface(fd, d->o->iface) == -1) {
		check_note(res, "no UDP socket on %s: %s", d->ifname,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		res->skipped = true;
		return;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(port);
	to.sin_addr = a;
	memset(req, 0, sizeof(req));
	req[0] = 0 << 6 | 4 << 3 | 3;	/* LI 0, version 4, client */
	/* A random transmit time: only the server's echo of it is accepted. */
	if (getrandom(req + 40, 8, 0) != 8)
		memcpy(req + 40, &deadline, 8);
	start = diag_now();
	while (!ok && (now = diag_now()) < deadline) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double until;

		if (now >= next) {
			sendto(fd, req, sizeof(req), 0,
			    (struct sockaddr *)&to, sizeof(to));
			tries++;
			next = now + retry;
		}
		until = next < deadline ? next : deadline;
		if (poll(&pfd, 1, (int)((until - now) * 1000) + 1) <= 0)
			continue;
		fl = sizeof(from);
		n = recvfrom(fd, rep, sizeof(rep), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n > 0 && from.sin_addr.s_addr == a.s_addr &&
		    from.sin_port == to.sin_port)
			ok = check_ntp_reply_ok(rep, (size_t)n, req + 40,
			    &stratum);
	}
	close(fd);
	cJSON_AddNumberToObject(f, "requests", tries);
	cJSON_AddNumberToObject(f, "ms",
	    round((diag_now() - start) * 10000) / 10);
	if (ok) {
		cJSON_AddStringToObject(f, "result", "answered");
		res->seen |= STAGE_BIT(STAGE_INTERNET);
		cJSON_AddNumberToObject(f, "stratum", stratum);
		check_note(res, "NTP %s answered (stratum %u)", buf, stratum);
		return;
	}
	cJSON_AddStringToObject(f, "result", "timeout");
	check_fail(res, FINDING_INTERNET_FAILED,
	    "the device's internet test, NTP to %s (%s) on UDP %u, got no "
	    "answer to %d request%s", host, buf, port, tries,
	    tries == 1 ? "" : "s");
	check_note(res, "NTP %s: no answer", buf);
}

void
check_internet(struct diag *d, struct check_result *res)
{
	double deadline = diag_net_deadline(d, DIAG_INTERNET_BASE);

	res->facts = cJSON_CreateObject();
	if (d->o->inet_ntp)
		inet_ntp(d, res, res->facts, deadline);
	else
		inet_tcp(d, res, res->facts, deadline);
}
