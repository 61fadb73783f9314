/*
 * simdev.c - the virtual device (see simdev.h).  Two threads: the device
 * thread walks the connect sequence with blocking, time-limited sockets;
 * the loop thread is the device's system loop, calling agent_poll(),
 * serving the pseudo-terminal and reading the collector's ACKs.  A mutex
 * keeps the (single-threaded) agent to one caller at a time.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "dns.h"
#include "handshake.h"
#include "hostport.h"
#include "keys.h"
#include "log.h"
#include "mac.h"
#include "port_posix.h"
#include "simdev.h"

#define SIMDEV_CLOUD_HOST	"device.spark.io"
#define SIMDEV_CLOUD_PORT	5683
#define SIMDEV_INET_TCP		"8.8.8.8:53"
#define SIMDEV_NTP_HOST		"pool.ntp.org"
#define NONCE_LEN		40

struct simdev {
	const struct simdev_opts *o;
	pthread_mutex_t		 lock;		/* the agent and `port` */
	struct port_posix	 pp;
	struct agent_port	 port;
	struct agent_config	 cfg;
	int			 (*raw_write)(void *, const void *, size_t);
	int			 master, slave;	/* pty, -1 if none */
	int			 udp;		/* to the collector, or -1 */
	volatile int		 done;		/* sequence finished */
	volatile int		 stall;		/* loop should block once */
	int			 result;	/* 0 cloud reached, 1 failed */
	union {
		struct agent_ring ring;
		uint8_t		  bytes[sizeof(struct agent_ring)];
	}			 mem;		/* region without --retained */
};

static volatile sig_atomic_t simdev_stop;

static void
on_signal(int sig)
{
	(void)sig;
	simdev_stop = 1;
}

void
simdev_opts_init(struct simdev_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cloud = SIMDEV_CLOUD_HOST;
	o->inet = SIMDEV_INET_AUTO;
	o->inet_tcp = SIMDEV_INET_TCP;
	o->ntp = SIMDEV_NTP_HOST;
	snprintf(o->device_id, sizeof(o->device_id), "%s",
	    "53696d4465760000c7a90001");
	snprintf(o->mac, sizeof(o->mac), "%s", "02:00:00:c7:a9:01");
	snprintf(o->firmware, sizeof(o->firmware), "%s", "1.5.2");
	o->mode = "AUTOMATIC";
	o->step_ms = 3000;
	o->linger_ms = -1;
	o->attempts = 1;
}

/* --- the agent under the lock ------------------------------------------- */

static void
locked_stage(struct simdev *d, enum stage s)
{
	log_info("simulate-device: stage %s", stage_name(s));
	pthread_mutex_lock(&d->lock);
	agent_stage(s);
	pthread_mutex_unlock(&d->lock);
}

static void
locked_fail(struct simdev *d, enum stage s, int32_t code, const char *detail)
{
	log_info("simulate-device: failed at %s (%d): %s", stage_name(s),
	    (int)code, detail);
	pthread_mutex_lock(&d->lock);
	agent_fail(s, code, detail);
	pthread_mutex_unlock(&d->lock);
}

static void
locked_fail_as(struct simdev *d, enum stage s, enum stage_fail f,
    int32_t code, const char *detail)
{
	log_info("simulate-device: failed at %s (%d): %s", stage_name(s),
	    (int)code, detail);
	pthread_mutex_lock(&d->lock);
	agent_fail_as(s, f, code, detail);
	pthread_mutex_unlock(&d->lock);
}

static void
locked_fact(struct simdev *d, enum agent_fact k, const char *v)
{
	pthread_mutex_lock(&d->lock);
	agent_fact(k, v);
	pthread_mutex_unlock(&d->lock);
}

/* --- network steps, each bounded by step_ms ----------------------------- */

/* "host[:port]" with the step's default port; hostport.h reads it. */
static int
split_hostport(const char *s, uint16_t def, char *host, size_t cap,
    uint16_t *port)
{
	*port = def;
	return hostport_split(s, 0, host, cap, port) == HOSTPORT_OK ? 0 : -1;
}

static int
dns_server(const struct simdev_opts *o, struct sockaddr_in *sa)
{
	char host[64], line[256], addr[64];
	uint16_t port = 53;
	FILE *f;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (o->dns != NULL) {
		if (split_hostport(o->dns, 53, host, sizeof(host),
		    &port) == -1 ||
		    inet_pton(AF_INET, host, &sa->sin_addr) != 1)
			return -1;
		sa->sin_port = htons(port);
		return 0;
	}
	if ((f = fopen("/etc/resolv.conf", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "nameserver %63s", addr) == 1 &&
		    inet_pton(AF_INET, addr, &sa->sin_addr) == 1) {
			fclose(f);
			sa->sin_port = htons(53);
			return 0;
		}
	fclose(f);
	return -1;
}

/*
 * Resolve `host` to IPv4 as the device does: a literal is used as is,
 * otherwise one A query to the DNS server.  0, or -1 with why in `why`.
 */
static int
resolve(const struct simdev_opts *o, const char *host, struct in_addr *out,
    char *why, size_t wlen)
{
	struct sockaddr_in ns;
	struct dns_msg *msg;
	struct pollfd pfd;
	uint8_t q[512], a[1500];
	uint16_t id = (uint16_t)(rand() & 0xffff);
	size_t qlen, i;
	ssize_t n;
	int fd, rc = -1;

	if (inet_pton(AF_INET, host, out) == 1)
		return 0;
	if (dns_server(o, &ns) == -1) {
		snprintf(why, wlen, "no DNS server");
		return -1;
	}
	if ((qlen = dns_build_query(q, sizeof(q), id, host, DNS_TYPE_A)) == 0) {
		snprintf(why, wlen, "bad name");
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&ns, sizeof(ns)) == -1 ||
	    send(fd, q, qlen, 0) != (ssize_t)qlen) {
		snprintf(why, wlen, "dns: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((msg = malloc(sizeof(*msg))) == NULL) {
		close(fd);
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	snprintf(why, wlen, "dns: timeout");
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, o->step_ms) == 1) {
		if ((n = recv(fd, a, sizeof(a), 0)) < 0) {
			snprintf(why, wlen, "dns: %s", strerror(errno));
			break;
		}
		if (dns_parse(a, (size_t)n, msg) != 0 || msg->id != id ||
		    !msg->qr)
			continue;	/* not our answer */
		if (msg->rcode != DNS_RCODE_NOERROR) {
			snprintf(why, wlen, "dns: %s",
			    dns_rcode_name(msg->rcode) != NULL ?
			    dns_rcode_name(msg->rcode) : "error");
			break;
		}
		for (i = 0; i < msg->n_answers; i++)
			if (msg->answer[i].type == DNS_TYPE_A) {
				memcpy(out, msg->answer[i].addr, 4);
				rc = 0;
				break;
			}
		if (rc != 0)
			snprintf(why, wlen, "dns: no address");
		break;
	}
	free(msg);
	close(fd);
	return rc;
}

/* TCP connect within ms; returns the fd, or -errno. */
static int
tcp_connect(struct in_addr addr, uint16_t port, int ms)
{
	struct sockaddr_in sa;
	struct pollfd pfd;
	socklen_t sl = sizeof(int);
	int fd, err = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr = addr;
	sa.sin_port = htons(port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		err = errno;
		close(fd);
		return -err;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, ms) != 1) {
		close(fd);
		return -ETIMEDOUT;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1 || err != 0) {
		close(fd);
		return -(err != 0 ? err : EIO);
	}
	return fd;
}

/* Read exactly n bytes within ms; 0, or -1 (timeout, close, error). */
static int
read_exact(int fd, uint8_t *buf, size_t n, int ms)
{
	struct pollfd pfd;
	size_t got = 0;
	ssize_t r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < n) {
		if (poll(&pfd, 1, ms) != 1)
			return -1;
		r = read(fd, buf + got, n - got);
		if (r <= 0 && !(r == -1 && errno == EAGAIN))
			return -1;
		if (r > 0)
			got += (size_t)r;
	}
	return 0;
}

static bool
era_is_ntp(const struct simdev_opts *o)
{
	struct fw_version v, two = { 2, 0, 0, false, 0 };

	if (o->inet != SIMDEV_INET_AUTO)
		return o->inet == SIMDEV_INET_NTP;
	return !o->is_core && fw_version_parse(o->firmware, &v) &&
	    fw_version_cmp(&v, &two) >= 0;
}

/*
 * The internet test of the device's era (particle-cloud.md 3.2): TCP to
 * 8.8.8.8:53 up to 1.5.x, DNS for pool.ntp.org and an SNTP query from 2.0.
 */
static int
internet_test(struct simdev *d, char *why, size_t wlen)
{
	const struct simdev_opts *o = d->o;
	char host[256];
	uint16_t port;
	struct in_addr a;
	int fd;

	if (o->inet == SIMDEV_INET_NONE) {
		snprintf(why, wlen, "internet test off");
		return -1;
	}
	if (era_is_ntp(o)) {
		struct sockaddr_in sa;
		struct pollfd pfd;
		uint8_t pkt[48];
		ssize_t n;

		if (split_hostport(o->ntp, 123, host, sizeof(host),
		    &port) == -1) {
			snprintf(why, wlen, "bad --ntp");
			return -1;
		}
		if (resolve(o, host, &a, why, wlen) == -1)
			return -1;
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr = a;
		sa.sin_port = htons(port);
		memset(pkt, 0, sizeof(pkt));
		pkt[0] = 0x1b;	/* LI 0, version 3, mode 3 (client) */
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd == -1 ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
		    send(fd, pkt, sizeof(pkt), 0) != (ssize_t)sizeof(pkt)) {
			snprintf(why, wlen, "ntp: %s", strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		n = poll(&pfd, 1, o->step_ms) == 1 ?
		    recv(fd, pkt, sizeof(pkt), 0) : -1;
		close(fd);
		if (n < 48 || (pkt[0] & 7) != 4) {
			snprintf(why, wlen, "ntp: timeout");
			return -1;
		}
		return 0;
	}
	if (split_hostport(o->inet_tcp, 53, host, sizeof(host), &port) == -1 ||
	    inet_pton(AF_INET, host, &a) != 1) {
		snprintf(why, wlen, "bad --internet-test");
		return -1;
	}
	if ((fd = tcp_connect(a, port, o->step_ms)) < 0) {
		/* The agent keeps 20 bytes: the reason, not a prefix. */
		snprintf(why, wlen, "%s", strerror(-fd));
		return -1;
	}
	close(fd);
	return 0;
}

/* The local address a socket to `to` would use: the device's "IP". */
static void
local_ip(struct in_addr to, char *buf, size_t cap)
{
	struct sockaddr_in sa, me;
	socklen_t sl = sizeof(me);
	int fd;

	snprintf(buf, cap, "?");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr = to;
	sa.sin_port = htons(9);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&me, &sl) == 0)
		inet_ntop(AF_INET, &me.sin_addr, buf, (socklen_t)cap);
	close(fd);
}

static int
handshake_full(struct simdev *d, struct in_addr a, uint16_t port)
{
	const struct simdev_opts *o = d->o;
	struct handshake_opts ho;
	struct handshake_result *hr;
	struct sockaddr_in sa;
	char err[KEYS_ERR_MAX];
	int rc;

	handshake_opts_init(&ho);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr = a;
	sa.sin_port = htons(port);
	ho.addr = (struct sockaddr *)&sa;
	ho.addrlen = sizeof(sa);
	ho.connect_ms = ho.step_ms = o->step_ms;
	ho.hello_ms = o->step_ms;
	ho.skip_ping = true;
	memcpy(ho.device_id, d->cfg.device_id, sizeof(ho.device_id));
	if ((ho.device_key = keys_load_private(o->device_key, 1024, err,
	    sizeof(err))) == NULL ||
	    (ho.server_key = keys_load_public(o->server_key, 2048, err,
	    sizeof(err))) == NULL) {
		log_warnx("simulate-device: %s", err);
		EVP_PKEY_free(ho.device_key);
		locked_fail(d, STAGE_HANDSHAKE, -1, "bad key file");
		return 1;
	}
	if ((hr = calloc(1, sizeof(*hr))) == NULL) {
		EVP_PKEY_free(ho.device_key);
		EVP_PKEY_free(ho.server_key);
		return 1;
	}
	rc = handshake_run(&ho, hr);
	EVP_PKEY_free(ho.device_key);
	EVP_PKEY_free(ho.server_key);
	if (rc == 0)
		locked_stage(d, STAGE_CONNECTED);
	else if (hr->finding == FINDING_HANDSHAKE_DECRYPT)
		locked_fail_as(d, STAGE_HANDSHAKE, STAGE_FAIL_DECRYPT, 6,
		    "decrypt");
	else if (hr->finding == FINDING_HANDSHAKE_BAD_SIGNATURE)
		locked_fail_as(d, STAGE_HANDSHAKE, STAGE_FAIL_AUTH, 8,
		    "bad signature");
	else
		locked_fail(d, STAGE_HANDSHAKE, -1, finding_name(hr->finding));
	free(hr);
	return rc == 0 ? 0 : 1;
}

/* One connect attempt: 0 connected, 1 failed (recorded in the agent). */
static int
attempt(struct simdev *d)
{
	const struct simdev_opts *o = d->o;
	char host[256], why[96], ip[64], detail[96];
	uint16_t port;
	struct in_addr a;
	uint8_t nonce[NONCE_LEN];
	int fd, err = 0;

	locked_stage(d, STAGE_CLOUD);
	d->stall = 1;
	if (split_hostport(o->cloud, SIMDEV_CLOUD_PORT, host, sizeof(host),
	    &port) == -1) {
		locked_fail(d, STAGE_CLOUD, -1, "bad cloud address");
		return 1;
	}
	if (resolve(o, host, &a, why, sizeof(why)) == -1) {
		/* Device OS counts this as a failed connect. */
		snprintf(detail, sizeof(detail), "%s", why);
		err = -2;
	} else {
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		locked_fact(d, AGENT_FACT_SERVER, ip);
		if (o->device_key != NULL && o->server_key != NULL) {
			fd = tcp_connect(a, port, o->step_ms);
			if (fd >= 0) {
				close(fd);
				locked_stage(d, STAGE_HANDSHAKE);
				return handshake_full(d, a, port);
			}
		} else
			fd = tcp_connect(a, port, o->step_ms);
		if (fd >= 0) {
			locked_stage(d, STAGE_HANDSHAKE);
			if (read_exact(fd, nonce, sizeof(nonce),
			    o->step_ms) == 0) {
				close(fd);
				/* No keys: the nonce is as far as we go. */
				locked_stage(d, STAGE_CONNECTED);
				return 0;
			}
			close(fd);
			locked_fail(d, STAGE_HANDSHAKE, -1, "no nonce");
			return 1;
		}
		err = fd;
		snprintf(detail, sizeof(detail), "%s", strerror(-fd));
	}
	/* particle-cloud.md 1.8: the internet test decides 2 or 3 blinks. */
	if (internet_test(d, why, sizeof(why)) == 0)
		locked_fail(d, STAGE_CLOUD, err, detail);
	else
		locked_fail(d, STAGE_INTERNET, err, why);
	return 1;
}

static void *
device_main(void *arg)
{
	struct simdev *d = arg;
	struct sockaddr_in ns;
	char ip[64];
	int i;

	locked_fact(d, AGENT_FACT_FIRMWARE, d->o->firmware);
	locked_fact(d, AGENT_FACT_PLATFORM, d->o->is_core ? "core" : "photon");
	locked_fact(d, AGENT_FACT_MODE, d->o->mode);
	locked_fact(d, AGENT_FACT_MAC, d->o->mac);
	locked_stage(d, STAGE_WIFI);
	locked_stage(d, STAGE_DHCP);
	if (dns_server(d->o, &ns) == 0) {
		local_ip(ns.sin_addr, ip, sizeof(ip));
		locked_fact(d, AGENT_FACT_IP, ip);
		inet_ntop(AF_INET, &ns.sin_addr, ip, sizeof(ip));
		locked_fact(d, AGENT_FACT_DNS, ip);
	}
	d->result = 1;
	for (i = 0; i < d->o->attempts && !simdev_stop; i++) {
		if (i > 0)
			sleep(1);	/* the firmware backs off 1 s first */
		if ((d->result = attempt(d)) == 0)
			break;
	}
	d->done = 1;
	return NULL;
}

/* --- the loop thread ---------------------------------------------------- */

/* A wrong baud rate, as the host sees it: every byte turned to noise. */
static int
garble_write(void *ctx, const void *buf, size_t len)
{
	/* ctx is the port's: &d->pp. */
	struct simdev *d = (struct simdev *)(void *)((char *)ctx -
	    offsetof(struct simdev, pp));
	const uint8_t *p = buf;
	uint8_t noise[AGENT_LINE_MAX * 2];
	size_t i;

	if (len > sizeof(noise))
		len = sizeof(noise);
	for (i = 0; i < len; i++)
		noise[i] = (uint8_t)(p[i] | 0x80);
	return d->raw_write(ctx, noise, len) > 0 ? (int)len : 0;
}

static void
answer(struct simdev *d, const char *text)
{
	if (d->port.serial_write(d->port.ctx, text, strlen(text)) <= 0)
		log_debug("simulate-device: serial answer dropped");
}

static void
serial_input(struct simdev *d, uint8_t c)
{
	char buf[128];

	switch (c) {
	case 'i':
		snprintf(buf, sizeof(buf), "Your %s id is %s\r\n",
		    d->o->is_core ? "core" : "device", d->o->device_id);
		answer(d, buf);
		break;
	case 'v':
		snprintf(buf, sizeof(buf), "system firmware version: %s\n\r\n",
		    d->o->firmware);
		answer(d, buf);
		break;
	case 'm':
		snprintf(buf, sizeof(buf),
		    "Your device MAC address is\r\n%s\r\n", d->o->mac);
		answer(d, buf);
		break;
	default:
		agent_serial_input(c);
		break;
	}
}

static int
open_pty(struct simdev *d)
{
	struct termios t;
	const char *name;

	if ((d->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(d->master) == -1 || unlockpt(d->master) == -1 ||
	    (name = ptsname(d->master)) == NULL) {
		log_warn("simulate-device: pseudo-terminal");
		return -1;
	}
	/*
	 * Hold the slave open (raw, no echo) so the master never reads EIO
	 * while no host is attached, as a USB port stays while unplugged.
	 */
	if ((d->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    tcgetattr(d->slave, &t) == -1) {
		log_warn("simulate-device: %s", name);
		return -1;
	}
	cfmakeraw(&t);
	tcsetattr(d->slave, TCSANOW, &t);
	printf("pty %s\n", name);
	fflush(stdout);
	return 0;
}

static int
open_collector(struct simdev *d)
{
	struct sockaddr_in sa;
	char host[64];
	uint16_t port;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	if (split_hostport(d->o->collector, 5683, host, sizeof(host),
	    &port) == -1 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		log_warnx("simulate-device: --collector: bad address '%s' "
		    "(want IPv4:PORT)", d->o->collector);
		return -1;
	}
	sa.sin_port = htons(port);
	if ((d->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1 || connect(d->udp, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1) {
		log_warn("simulate-device: collector %s", d->o->collector);
		return -1;
	}
	port_posix_set_udp(&d->pp, d->udp);
	return 0;
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
print_timeline(struct simdev *d)
{
	char line[AGENT_LINE_MAX];
	struct led_signal l;
	size_t i, n;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < agent_event_count(); i++) {
		n = agent_serial_encode(line, sizeof(line), agent_event_at(i));
		if (n >= 2)
			printf("%.*s\n", (int)(n - 2), line);
	}
	l = agent_led();
	printf("result %s %s %s %s %u\n", stage_name(agent_current_stage()),
	    stage_fail_name(agent_current_fail()),
	    led_color_name((enum led_color)l.color),
	    led_pattern_name((enum led_pattern)l.pattern), l.count);
	pthread_mutex_unlock(&d->lock);
	fflush(stdout);
}

static void
loop(struct simdev *d)
{
	struct pollfd pfd[2];
	uint8_t buf[512];
	long long done_at = -1;
	int stalled = 0;
	ssize_t n, i;

	for (;;) {
		pfd[0].fd = d->master;
		pfd[0].events = POLLIN;
		pfd[1].fd = d->udp;
		pfd[1].events = POLLIN;
		poll(pfd, 2, 10);
		if (d->master >= 0 && (pfd[0].revents & POLLIN) &&
		    (n = read(d->master, buf, sizeof(buf))) > 0) {
			pthread_mutex_lock(&d->lock);
			for (i = 0; i < n; i++)
				serial_input(d, buf[i]);
			pthread_mutex_unlock(&d->lock);
		}
		while (d->udp >= 0 && (n = recv(d->udp, buf, sizeof(buf),
		    MSG_DONTWAIT)) > 0) {
			pthread_mutex_lock(&d->lock);
			agent_coap_input(buf, (size_t)n);
			pthread_mutex_unlock(&d->lock);
		}
		pthread_mutex_lock(&d->lock);
		agent_poll();
		port_posix_flush(&d->pp);
		pthread_mutex_unlock(&d->lock);
		if (d->stall && !stalled && d->o->stall_ms > 0) {
			/* The application blocks its loop, as MANUAL risks. */
			struct timespec ts = { d->o->stall_ms / 1000,
			    (long)(d->o->stall_ms % 1000) * 1000000 };

			stalled = 1;
			nanosleep(&ts, NULL);
			continue;	/* poll again: that records the gap */
		}
		if (d->done && done_at < 0) {
			done_at = mono_ms();
			if (!d->o->quiet)
				print_timeline(d);
		}
		if (simdev_stop || (done_at >= 0 && d->o->linger_ms >= 0 &&
		    mono_ms() - done_at >= d->o->linger_ms))
			break;
	}
}

int
simdev_run(const struct simdev_opts *o)
{
	struct simdev *d;
	struct sigaction sa;
	struct fw_version v;
	pthread_t th;
	int rc = -1;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		log_warn("simulate-device");
		return -1;
	}
	d->o = o;
	d->master = d->slave = d->udp = -1;
	pthread_mutex_init(&d->lock, NULL);
	port_posix_init(&d->pp, &d->port);
	if (!keys_parse_device_id(o->device_id, d->cfg.device_id)) {
		log_warnx("simulate-device: --device-id: want 24 hex digits, "
		    "got '%s'", o->device_id);
		goto out;
	}
	if (!fw_version_parse(o->firmware, &v)) {
		log_warnx("simulate-device: --firmware: bad version '%s'",
		    o->firmware);
		goto out;
	}
	d->cfg.era = (uint8_t)led_era_for(o->is_core, &v);
	d->cfg.flags = o->con ? AGENT_F_COAP_CON : 0;
	if (o->retained != NULL) {
		if (port_posix_retain_file(&d->pp, o->retained,
		    sizeof(struct agent_ring)) == -1) {
			log_warn("simulate-device: %s", o->retained);
			goto out;
		}
	} else
		port_posix_retain_buffer(&d->pp, &d->mem, sizeof(d->mem));
	if (o->pty) {
		if (open_pty(d) == -1)
			goto out;
		port_posix_set_serial(&d->pp, d->master);
	}
	if (o->collector != NULL && open_collector(d) == -1)
		goto out;
	if (o->garble) {
		d->raw_write = d->port.serial_write;
		d->port.serial_write = garble_write;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	if (agent_init(&d->port, &d->cfg) < 0) {
		log_warnx("simulate-device: the agent refused its region");
		goto out;
	}
	if (pthread_create(&th, NULL, device_main, d) != 0) {
		log_warnx("simulate-device: cannot start the device thread");
		goto out;
	}
	loop(d);
	simdev_stop = 1;
	/*
	 * Stopped mid-sequence: the device thread is in a socket call (a
	 * cancellation point) and never there with the lock held.
	 */
	if (!d->done)
		pthread_cancel(th);
	pthread_join(th, NULL);
	rc = d->result;
out:
	if (d->master >= 0)
		close(d->master);
	if (d->slave >= 0)
		close(d->slave);
	if (d->udp >= 0)
		close(d->udp);
	port_posix_close(&d->pp);
	pthread_mutex_destroy(&d->lock);
	free(d);
	return rc;
}
