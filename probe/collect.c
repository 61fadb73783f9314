/*
 * collect.c - the agents' event collector (see collect.h): batched
 * receive, decode and checks per datagram, one write() and fdatasync() per
 * batch, then the ACKs.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_events.h"
#include "coapmsg.h"
#include "collect.h"
#include "hex.h"
#include "hostport.h"
#include "log.h"

#define DGRAM_MAX	1500
#define SEED_BYTES	(256 * 1024)	/* file tail read to seed dedup */
#define WORDS		(COLLECT_WINDOW / 64)

/* CoAP codes (RFC 7252 12.1.2, RFC 8516 for 4.29). */
#define CODE_POST	0x02
#define CODE_CHANGED	0x44	/* 2.04 */
#define CODE_BAD_REQ	0x80	/* 4.00 */
#define CODE_NOT_FOUND	0x84	/* 4.04 */
#define CODE_BAD_METHOD	0x85	/* 4.05 */
#define CODE_TOO_MANY	0x9d	/* 4.29 */
#define CODE_UNAVAIL	0xa3	/* 5.03 */

struct dev {
	uint8_t		id[12];
	bool		used;
	bool		have;		/* epoch/high valid */
	uint32_t	epoch;
	uint32_t	high;		/* highest seq seen in epoch */
	uint64_t	bits[WORDS];	/* bit d: seq high - d seen */
	double		tokens;
	double		refill_ms;
};

struct reply {
	size_t		len;
	uint8_t		buf[4 + 8];	/* header + token */
};

struct collector {
	const struct collect_opts *o;
	struct collect_stats	*st;
	int			 sock, out;
	uint16_t		 mid;		/* for NON error responses */
	struct dev		 dev[COLLECT_DEVICES];
	struct mmsghdr		 in[COLLECT_BATCH];
	struct iovec		 iov[COLLECT_BATCH];
	struct sockaddr_storage	 peer[COLLECT_BATCH];
	uint8_t			 dgram[COLLECT_BATCH][DGRAM_MAX];
	struct reply		 rep[COLLECT_BATCH];
	uint8_t			 rep_code[COLLECT_BATCH];
	bool			 rep_on_ok[COLLECT_BATCH];
	/* A batch's lines: COLLECT_BATCH datagrams of at most 255 events. */
	char			*lines;
	size_t			 lines_len, lines_cap;
	struct agent_rec	 ev[255];
};

static volatile sig_atomic_t collect_stop;

static void
on_signal(int sig)
{
	(void)sig;
	collect_stop = 1;
}

void
collect_opts_init(struct collect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rate = 1000;
}

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int64_t
real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- devices: dedup window and rate bucket ------------------------------ */

static struct dev *
dev_find(struct collector *c, const uint8_t id[12])
{
	uint32_t h = agent_crc32(0, id, 12);
	size_t i, k;

	for (k = 0; k < COLLECT_DEVICES; k++) {
		struct dev *d = &c->dev[(h + k) % COLLECT_DEVICES];

		if (!d->used) {
			memset(d, 0, sizeof(*d));
			memcpy(d->id, id, 12);
			d->used = true;
			d->tokens = c->o->burst > 0 ? c->o->burst : c->o->rate;
			d->refill_ms = mono_ms();
			return d;
		}
		for (i = 0; i < 12 && d->id[i] == id[i]; i++)
			continue;
		if (i == 12)
			return d;
	}
	return NULL;	/* table full: no dedup or limit for this device */
}

static void
bits_shift(uint64_t *b, uint32_t n)
{
	uint32_t w = n / 64, s = n % 64;
	int i;

	if (n >= COLLECT_WINDOW) {
		memset(b, 0, WORDS * sizeof(*b));
		return;
	}
	for (i = WORDS - 1; i >= 0; i--) {
		uint64_t v = (uint32_t)i >= w ? b[i - (int)w] << s : 0;

		if (s != 0 && (uint32_t)i >= w + 1)
			v |= b[i - (int)w - 1] >> (64 - s);
		b[i] = v;
	}
}

/* True when (epoch, seq) was seen; marks it seen otherwise. */
static bool
dev_seen(struct dev *d, uint32_t epoch, uint32_t seq)
{
	uint32_t back;

	if (!d->have || epoch != d->epoch) {
		/* A new ring on the device: its numbers start again. */
		d->have = true;
		d->epoch = epoch;
		d->high = seq;
		memset(d->bits, 0, sizeof(d->bits));
		d->bits[0] = 1;
		return false;
	}
	if (seq > d->high) {
		bits_shift(d->bits, seq - d->high);
		d->high = seq;
		d->bits[0] |= 1;
		return false;
	}
	back = d->high - seq;
	if (back >= COLLECT_WINDOW)
		return true;	/* older than anything remembered */
	if (d->bits[back / 64] & (uint64_t)1 << (back % 64))
		return true;
	d->bits[back / 64] |= (uint64_t)1 << (back % 64);
	return false;
}

static bool
dev_allow(const struct collector *c, struct dev *d, size_t n)
{
	double now = mono_ms(), cap;

	if (c->o->rate <= 0 || d == NULL)
		return true;
	cap = c->o->burst > 0 ? c->o->burst : c->o->rate;
	d->tokens += (now - d->refill_ms) * c->o->rate / 1000.0;
	if (d->tokens > cap)
		d->tokens = cap;
	d->refill_ms = now;
	if (d->tokens < (double)n)
		return false;
	d->tokens -= (double)n;
	return true;
}

/* --- the file ----------------------------------------------------------- */

long
collect_trim(int fd)
{
	char buf[4096];
	off_t size, pos, cut;
	ssize_t n, i;

	if ((size = lseek(fd, 0, SEEK_END)) == -1)
		return -1;
	cut = 0;
	for (pos = size; pos > 0; pos -= n) {
		n = pos < (off_t)sizeof(buf) ? (ssize_t)pos :
		    (ssize_t)sizeof(buf);
		if (pread(fd, buf, (size_t)n, pos - n) != n)
			return -1;
		for (i = n - 1; i >= 0; i--)
			if (buf[i] == '\n') {
				cut = pos - n + i + 1;
				goto found;
			}
	}
found:
	if (cut == size)
		return 0;
	if (ftruncate(fd, cut) == -1 || fsync(fd) == -1)
		return -1;
	return (long)(size - cut);
}

/* Remember what the end of the file already holds. */
static void
seed(struct collector *c)
{
	struct agent_rec ev;
	struct dev *d;
	uint8_t id[12];
	off_t size, from;
	char *buf, *p, *nl;
	ssize_t n;
	size_t count = 0;

	if ((size = lseek(c->out, 0, SEEK_END)) <= 0 ||
	    (buf = malloc(SEED_BYTES + 1)) == NULL)
		return;
	from = size > SEED_BYTES ? size - SEED_BYTES : 0;
	if ((n = pread(c->out, buf, (size_t)(size - from), from)) <= 0) {
		free(buf);
		return;
	}
	buf[n] = '\0';
	p = buf;
	if (from > 0 && (p = strchr(buf, '\n')) != NULL)
		p++;	/* the first line is cut */
	for (; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (agent_json_parse(p, nl != NULL ? (size_t)(nl - p) :
		    strlen(p), &ev) == 0 &&
		    hex_decode(ev.device, sizeof(id), id) &&
		    (d = dev_find(c, id)) != NULL) {
			dev_seen(d, ev.epoch, ev.seq);
			count++;
		}
	}
	free(buf);
	log_info("collect: %zu recent events remembered from %s", count,
	    c->o->out);
}

/* --- datagrams ---------------------------------------------------------- */

static void
reply_set(struct collector *c, size_t k, const struct coapmsg *m, uint8_t code)
{
	struct reply *r = &c->rep[k];
	uint16_t mid = m->mid;
	uint8_t type = COAPMSG_ACK;

	if (m->type == COAPMSG_NON) {
		/* RFC 7252 5.2.3: a NON request gets a NON response. */
		type = COAPMSG_NON;
		mid = c->mid++;
	}
	r->buf[0] = (uint8_t)(1 << 6 | type << 4 | m->token_len);
	r->buf[1] = code;
	r->buf[2] = (uint8_t)(mid >> 8);
	r->buf[3] = (uint8_t)mid;
	memcpy(r->buf + 4, m->token, m->token_len);
	r->len = 4 + m->token_len;
	c->rep_code[k] = code;
}

static int
lines_room(struct collector *c, size_t more)
{
	char *p;
	size_t cap;

	if (c->lines_len + more <= c->lines_cap)
		return 0;
	cap = c->lines_cap * 2 + more;
	if ((p = realloc(c->lines, cap)) == NULL)
		return -1;
	c->lines = p;
	c->lines_cap = cap;
	return 0;
}

/* Decide one datagram; its lines go into the batch, its reply is set. */
static void
take(struct collector *c, size_t k, const uint8_t *buf, size_t len)
{
	struct coapmsg m;
	const uint8_t *payload;
	struct dev *d;
	uint8_t id[12];
	size_t n, i, w;
	int64_t rx = real_ms();

	c->rep[k].len = 0;
	c->rep_on_ok[k] = false;
	c->st->datagrams++;
	if (coapmsg_parse(buf, len, &m) != 0) {
		/* Not CoAP we can read: reset a CON, ignore the rest. */
		if (len >= 4 && buf[0] >> 6 == 1 && (buf[0] >> 4 & 3) == 0) {
			c->rep[k].buf[0] = 1 << 6 | COAPMSG_RST << 4;
			c->rep[k].buf[1] = 0;
			c->rep[k].buf[2] = buf[2];
			c->rep[k].buf[3] = buf[3];
			c->rep[k].len = 4;
		}
		c->st->malformed++;
		return;
	}
	if (m.type != COAPMSG_CON && m.type != COAPMSG_NON)
		return;		/* ACK/RST to us: nothing to answer */
	if (strcmp(m.path, "/e") != 0) {
		c->st->not_found++;
		reply_set(c, k, &m, CODE_NOT_FOUND);
		return;
	}
	if (m.code != CODE_POST) {
		c->st->not_found++;
		reply_set(c, k, &m, CODE_BAD_METHOD);
		return;
	}
	payload = buf + len - m.payload_len;
	if (m.payload_len < 13 ||
	    agent_payload_parse(payload, m.payload_len, c->ev, 255, &n) != 0) {
		c->st->malformed++;
		reply_set(c, k, &m, CODE_BAD_REQ);
		return;
	}
	memcpy(id, payload + 1, 12);
	d = dev_find(c, id);
	if (!dev_allow(c, d, n)) {
		c->st->limited++;
		reply_set(c, k, &m, CODE_TOO_MANY);
		return;
	}
	if (lines_room(c, n * AGENT_JSON_MAX) == -1) {
		reply_set(c, k, &m, CODE_UNAVAIL);
		return;
	}
	for (i = 0; i < n; i++) {
		if (d != NULL && dev_seen(d, c->ev[i].epoch, c->ev[i].seq)) {
			c->st->duplicates++;
			continue;
		}
		w = agent_json_format(c->lines + c->lines_len,
		    c->lines_cap - c->lines_len, &c->ev[i], rx);
		c->lines_len += w;
		c->st->stored++;
	}
	/* Success: a CON is answered after the write; a NON not at all. */
	if (m.type == COAPMSG_CON) {
		reply_set(c, k, &m, CODE_CHANGED);
		c->rep_on_ok[k] = true;
	}
}

/* Write the batch's lines whole, or not at all.  0, or -1. */
static int
commit(struct collector *c)
{
	off_t before;
	ssize_t n;

	if (c->lines_len == 0)
		return 0;
	before = lseek(c->out, 0, SEEK_END);
	n = write(c->out, c->lines, c->lines_len);
	if (n == (ssize_t)c->lines_len &&
	    (c->o->no_sync || fdatasync(c->out) == 0)) {
		c->st->batches++;
		return 0;
	}
	log_warn("collect: %s", c->o->out);
	if (before != (off_t)-1 && ftruncate(c->out, before) == -1)
		log_warn("collect: %s: cannot cut a partial write", c->o->out);
	/* What the window marked was not stored: forget it all. */
	memset(c->dev, 0, sizeof(c->dev));
	c->st->write_errors++;
	return -1;
}

int
collect_listen_addr(const char *listen_on, struct sockaddr_in *sa)
{
	char host[64];
	uint16_t port = 0;
	enum hostport_error e;

	/* ADDR:PORT, port 0 for any free one (the tests use it). */
	e = hostport_split(listen_on, HOSTPORT_NEED_PORT | HOSTPORT_PORT_ZERO,
	    host, sizeof(host), &port);
	if (e != HOSTPORT_OK && e != HOSTPORT_BAD_PORT) {
		log_warnx("collect: --listen: want ADDR:PORT, got '%s'",
		    listen_on);
		return -1;
	}
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (e != HOSTPORT_OK ||
	    inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		log_warnx("collect: --listen: bad address '%s' (want "
		    "IPv4:PORT)", listen_on);
		return -1;
	}
	sa->sin_port = htons(port);
	return 0;
}

static int
open_socket(const char *listen_on)
{
	struct sockaddr_in sa;
	int fd, one = 1, buf = 4 << 20;

	if (collect_listen_addr(listen_on, &sa) != 0)
		return -1;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("collect: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_warn("collect: bind %s", listen_on);
		close(fd);
		return -1;
	}
	return fd;
}

static void
send_replies(struct collector *c, int got, bool ok)
{
	struct mmsghdr out[COLLECT_BATCH];
	struct iovec iov[COLLECT_BATCH];
	unsigned n = 0;
	int k;

	for (k = 0; k < got; k++) {
		struct reply *r = &c->rep[k];

		if (r->len == 0)
			continue;
		if (c->rep_on_ok[k] && !ok)
			r->buf[1] = CODE_UNAVAIL;	/* not stored: say so */
		iov[n].iov_base = r->buf;
		iov[n].iov_len = r->len;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].msg_hdr.msg_iov = &iov[n];
		out[n].msg_hdr.msg_iovlen = 1;
		out[n].msg_hdr.msg_name = &c->peer[k];
		out[n].msg_hdr.msg_namelen = c->in[k].msg_hdr.msg_namelen;
		n++;
	}
	if (n > 0 && sendmmsg(c->sock, out, n, MSG_DONTWAIT) < 0)
		log_debug("collect: sendmmsg: %s", strerror(errno));
}

int
collect_run(const struct collect_opts *o, struct collect_stats *st)
{
	struct collector *c;
	struct sigaction sa;
	struct pollfd pfd;
	struct sockaddr_in me;
	socklen_t ml = sizeof(me);
	char addr[64];
	long cut;
	int got, k, rc = -1;

	memset(st, 0, sizeof(*st));
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("collect");
		return -1;
	}
	c->o = o;
	c->st = st;
	c->sock = c->out = -1;
	c->mid = (uint16_t)getpid();
	if ((c->out = open(o->out, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) == -1) {
		log_warn("collect: %s", o->out);
		goto out;
	}
	if ((cut = collect_trim(c->out)) < 0) {
		log_warn("collect: %s", o->out);
		goto out;
	}
	if (cut > 0)
		log_warnx("collect: %s: cut a partial last line (%ld bytes) "
		    "left by an interrupted write", o->out, cut);
	seed(c);
	if ((c->sock = open_socket(o->listen)) == -1)
		goto out;
	for (k = 0; k < COLLECT_BATCH; k++) {
		c->iov[k].iov_base = c->dgram[k];
		c->iov[k].iov_len = DGRAM_MAX;
		c->in[k].msg_hdr.msg_iov = &c->iov[k];
		c->in[k].msg_hdr.msg_iovlen = 1;
		c->in[k].msg_hdr.msg_name = &c->peer[k];
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	getsockname(c->sock, (struct sockaddr *)&me, &ml);
	inet_ntop(AF_INET, &me.sin_addr, addr, sizeof(addr));
	printf("listening %s:%u\n", addr, ntohs(me.sin_port));
	fflush(stdout);
	pfd.fd = c->sock;
	pfd.events = POLLIN;
	while (!collect_stop) {
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		for (k = 0; k < COLLECT_BATCH; k++)
			c->in[k].msg_hdr.msg_namelen = sizeof(c->peer[k]);
		got = recvmmsg(c->sock, c->in, COLLECT_BATCH, MSG_DONTWAIT,
		    NULL);
		if (got <= 0)
			continue;
		c->lines_len = 0;
		for (k = 0; k < got; k++)
			take(c, (size_t)k, c->dgram[k], c->in[k].msg_len);
		send_replies(c, got, commit(c) == 0);
		log_info("collect: %d datagram(s); %llu event(s) stored, "
		    "%llu duplicate(s), %llu malformed so far", got,
		    (unsigned long long)st->stored,
		    (unsigned long long)st->duplicates,
		    (unsigned long long)st->malformed);
		if (o->max_events > 0 && st->stored >= (uint64_t)o->max_events)
			break;
	}
	rc = 0;
out:
	if (c->sock != -1)
		close(c->sock);
	if (c->out != -1)
		close(c->out);
	free(c->lines);
	free(c);
	return rc;
}
