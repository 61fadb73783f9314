/*
 * check_cloud.c - the cloud check: what the device's cloud socket meets.
 * A TCP connect to --cloud HOST[:PORT] (device.spark.io:5683), then a read
 * of what the server says first.  A Particle cloud sends exactly 40 bytes,
 * the handshake nonce, right after accepting (particle-cloud.md 1.2), and
 * then waits for the device.  So:
 *   40 bytes                 a Particle-style cloud answered;
 *   refused (reset) / ICMP   cloud.port_rejected: something rejects 5683;
 *   no answer to the SYN     cloud.port_blocked: something drops it;
 *   silence, fewer or more   cloud.intercepted: a proxy, portal or
 *   bytes, or an HTTP reply  middlebox took the connection instead.
 * It sends nothing, so no cloud ever sees a handshake attempt.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "diagnose.h"

#define NONCE_LEN	40

/*
 * With the device's keys (--device-key, --server-key) the whole handshake
 * replaces the nonce read: probe/handshake.c plays the device's side, and
 * its finding (handshake.*, or cloud.* before the nonce) is this check's.
 * Each step gets what is left of the cloud deadline; the wait for the
 * server's Hello stays the device's 4 s unless less than that is left, so
 * a short --timeout still bounds the run.
 */
static void
cloud_handshake(struct diag *d, struct check_result *res, cJSON *f,
    struct in_addr a, const char *addr, double deadline)
{
	const struct diag_opts *o = d->o;
	struct handshake_check hc = o->handshake;
	struct sockaddr_in sin;
	struct findings fs;
	stage_set seen = 0;
	double left;
	char err[320];
	size_t i;
	int rc;

	left = (deadline - diag_now()) * 1000;
	hc.connect_ms = hc.step_ms = left > 1 ? (int)left : 1;
	hc.iface = o->iface;
	/* diag_now() is seconds, hs_now_ms() milliseconds, one clock. */
	hc.until_ms = deadline * 1000;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = a;
	sin.sin_port = htons(o->cloud_port);
	findings_init(&fs);
	rc = handshake_check_into(&hc, (struct sockaddr *)&sin, sizeof(sin),
	    &fs, cJSON_AddObjectToObject(f, "handshake"), &seen, err,
	    sizeof(err));
	for (i = 0; i < fs.n; i++)
		check_fail(res, fs.item[i].id, "%s", fs.item[i].evidence);
	res->seen |= seen;
	if (rc == 0) {
		cJSON_AddStringToObject(f, "result", "handshake");
		check_note(res, "%s:%u completed the handshake", addr,
		    o->cloud_port);
	} else if (fs.n > 0) {
		cJSON_AddStringToObject(f, "result", "handshake_failed");
		check_note(res, "%s:%u handshake failed: %s", addr,
		    o->cloud_port, finding_name(fs.item[0].id));
	} else {
		cJSON_AddStringToObject(f, "result", "error");
		cJSON_AddStringToObject(f, "error", err);
		check_note(res, "handshake not run: %s", err);
		res->skipped = true;
	}
}

void
check_cloud(struct diag *d, struct check_result *res)
{
	const struct diag_opts *o = d->o;
	double deadline = diag_net_deadline(d, DIAG_CLOUD_BASE), ms, start, now;
	uint8_t buf[512];
	char why[160], addr[INET_ADDRSTRLEN], hex[3 * 16 + 1] = "";
	struct in_addr a;
	size_t got = 0, i;
	ssize_t n;
	int fd, err;
	bool closed = false;
	cJSON *f;

	res->facts = f = cJSON_CreateObject();
	if (o->handshake.device_key != NULL)
		res->expect |= STAGE_BIT(STAGE_HANDSHAKE);
	cJSON_AddStringToObject(f, "host", o->cloud_host);
	cJSON_AddNumberToObject(f, "port", o->cloud_port);
	if (check_resolve_host(d, o->cloud_host, deadline, &a, why,
	    sizeof(why)) == -1) {
		/* The DNS check says why; the device never gets this far. */
		cJSON_AddStringToObject(f, "result", "unresolved");
		cJSON_AddStringToObject(f, "error", why);
		check_note(res, "not tried: %s", why);
		res->skipped = true;
		return;
	}
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	cJSON_AddStringToObject(f, "address", addr);
	if (o->handshake.device_key != NULL) {
		/* --ping-after: the idle time is the user's, on top. */
		cloud_handshake(d, res, f, a, addr, deadline +
		    o->handshake.ping_after_ms / 1000.0);
		return;
	}
	fd = check_tcp_connect(a, o->cloud_port, o->iface, deadline, &err,
	    &ms);
	cJSON_AddNumberToObject(f, "connect_ms", ms);
	if (fd == -1) {
		cJSON_AddStringToObject(f, "error", strerror(err));
		if (err == ETIMEDOUT) {
			cJSON_AddStringToObject(f, "result", "timeout");
			check_fail(res, FINDING_CLOUD_PORT_BLOCKED,
			    "TCP %s:%u (%s): no answer to the connection "
			    "request in %.1f s", addr, o->cloud_port,
			    o->cloud_host, ms / 1000);
			check_note(res, "%s:%u dropped (no answer)", addr,
			    o->cloud_port);
		} else {
			cJSON_AddStringToObject(f, "result",
			    err == ECONNREFUSED ? "refused" : "unreachable");
			check_fail(res, FINDING_CLOUD_PORT_REJECTED,
			    "TCP %s:%u (%s): %s after %.0f ms", addr,
			    o->cloud_port, o->cloud_host,
			    err == ECONNREFUSED ? "connection refused (reset)" :
			    strerror(err), ms);
			check_note(res, "%s:%u %s", addr, o->cloud_port,
			    err == ECONNREFUSED ? "refused" : strerror(err));
		}
		return;
	}

	/* Read what the server says first, until 40 bytes or the deadline. */
	start = diag_now();
	while (got < NONCE_LEN && !closed && (now = diag_now()) < deadline) {
		struct pollfd pfd = { fd, POLLIN, 0 };

		if (poll(&pfd, 1, (int)((deadline - now) * 1000) + 1) <= 0)
			continue;
		n = recv(fd, buf + got, sizeof(buf) - got, MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			closed = true;
		else if (n > 0)
			got += (size_t)n;
	}
	/* More than the nonce in the first burst: not a Particle cloud. */
	if (got == NONCE_LEN) {
		n = recv(fd, buf + got, sizeof(buf) - got, MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
	}
	close(fd);
	for (i = 0; i < got && i < 16; i++)
		snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%s%02x",
		    i ? " " : "", buf[i]);
	cJSON_AddNumberToObject(f, "bytes", (double)got);
	cJSON_AddNumberToObject(f, "read_ms",
	    round((diag_now() - start) * 10000) / 10);
	cJSON_AddBoolToObject(f, "closed", closed);
	if (got > 0)
		cJSON_AddStringToObject(f, "first_bytes", hex);
	if (got == NONCE_LEN) {
		res->seen |= STAGE_BIT(STAGE_CLOUD);
		cJSON_AddStringToObject(f, "result", "nonce");
		check_note(res, "%s:%u sent the 40-byte nonce", addr,
		    o->cloud_port);
		return;
	}
	cJSON_AddStringToObject(f, "result", got == 0 ? "silent" : "wrong");
	if (got == 0)
		check_fail(res, FINDING_CLOUD_INTERCEPTED,
		    "TCP %s:%u (%s) accepted the connection but %s, where a "
		    "Particle cloud sends a 40-byte nonce at once", addr,
		    o->cloud_port, o->cloud_host, closed ?
		    "closed it without a word" : "said nothing");
	else
		check_fail(res, FINDING_CLOUD_INTERCEPTED,
		    "TCP %s:%u (%s) answered %zu bytes%s (%s...), where a "
		    "Particle cloud sends exactly 40", addr, o->cloud_port,
		    o->cloud_host, got, got >= 5 && memcmp(buf, "HTTP/", 5)
		    == 0 ? ", an HTTP response" : "", hex);
	check_note(res, "%s:%u answered %zu bytes, not a 40-byte nonce",
	    addr, o->cloud_port, got);
}
