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
#include <inttypes.h>
#include <libgen.h>
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
#define HEAD_BYTES	4096		/* first line of --out checked */
#define LINE_PREFIX	"{\"device\":\""	/* how every line starts */

/* CoAP codes (RFC 7252 12.1.2, RFC 8516 for 4.29). */
#define CODE_POST	0x02
#define CODE_CHANGED	0x44	/* 2.04 */
#define CODE_BAD_REQ	0x80	/* 4.00 */
#define CODE_NOT_FOUND	0x84	/* 4.04 */
#define CODE_BAD_METHOD	0x85	/* 4.05 */
#define CODE_TOO_MANY	0x9d	/* 4.29 */
#define CODE_UNAVAIL	0xa3	/* 5.03 */

/*
 * A device: the (epoch, seq) of its last COLLECT_WINDOW stored events, a
 * ring searched newest first (a retransmission is recent), and its rate
 * bucket.  Only an exact repeat of one of those is a duplicate: a forged
 * or corrupt sequence number is one entry among them, never a high-water
 * mark that makes every later event look old.
 */
struct dev {
	uint8_t		id[12];
	bool		used;
	bool		have_last;
	uint16_t	head, n;	/* ring: next slot, entries held */
	uint32_t	last_epoch, last_seq;	/* the previous event */
	uint64_t	recent[COLLECT_WINDOW];	/* epoch << 32 | seq */
	uint64_t	batch;		/* last batch that touched it */
	double		tokens;
	double		refill_ms;
	double		active_ms;	/* last datagram, for eviction */
};

/* What marking one event changed, to take it back if the write fails. */
struct undo {
	uint8_t		id[12];
	uint16_t	slot, head, n;
	bool		have_last;
	uint32_t	last_epoch, last_seq;
	uint64_t	old;
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
	/* Marks made by this batch, newest last. */
	struct undo		 undo[COLLECT_BATCH * 255];
	size_t			 nundo;
	uint64_t		 batch;		/* batch number */
	uint64_t		 batch_events;	/* lines in this batch */
	uint64_t		 batch_jumps;	/* of them, sequence jumps */
	bool			 broken;	/* the file's state is unknown */
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

static size_t
dev_home(const uint8_t id[12])
{
	return agent_crc32(0, id, 12) % COLLECT_DEVICES;
}

static bool
dev_is(const struct dev *d, const uint8_t id[12])
{
	return d->used && memcmp(d->id, id, 12) == 0;
}

/* The slot of `id`, or the empty slot where it would go; -1: full. */
static long
dev_slot(const struct collector *c, const uint8_t id[12])
{
	size_t h = dev_home(id), k, i;

	for (k = 0; k < COLLECT_DEVICES; k++) {
		i = (h + k) % COLLECT_DEVICES;
		if (!c->dev[i].used || dev_is(&c->dev[i], id))
			return (long)i;
	}
	return -1;
}

/* Take slot i out of the table, moving later entries of its run back. */
static void
dev_remove(struct collector *c, size_t i)
{
	size_t j = i, h;

	c->dev[i].used = false;
	for (;;) {
		j = (j + 1) % COLLECT_DEVICES;
		if (!c->dev[j].used)
			return;
		h = dev_home(c->dev[j].id);
		/* Entry j may fill hole i unless its home lies in (i, j]. */
		if (i <= j ? (h > i && h <= j) : (h > i || h <= j))
			continue;
		c->dev[i] = c->dev[j];
		c->dev[j].used = false;
		i = j;
	}
}

/*
 * Make room for one device when all COLLECT_DEVICES are known: forget the
 * one idle longest (not one this batch touched, whose marks may be taken
 * back).  Its duplicates are then no longer recognised: documented.
 */
static bool
dev_evict(struct collector *c)
{
	size_t i, best = COLLECT_DEVICES;

	for (i = 0; i < COLLECT_DEVICES; i++)
		if (c->dev[i].batch != c->batch && (best == COLLECT_DEVICES ||
		    c->dev[i].active_ms < c->dev[best].active_ms))
			best = i;
	if (best == COLLECT_DEVICES)
		return false;
	dev_remove(c, best);
	c->st->evicted++;
	return true;
}

static struct dev *
dev_find(struct collector *c, const uint8_t id[12])
{
	struct dev *d;
	long i;

	if ((i = dev_slot(c, id)) == -1) {
		if (!dev_evict(c) || (i = dev_slot(c, id)) == -1)
			return NULL;
	}
	d = &c->dev[i];
	if (!d->used) {
		memset(d, 0, sizeof(*d));
		memcpy(d->id, id, 12);
		d->used = true;
		d->tokens = c->o->burst > 0 ? c->o->burst : c->o->rate;
		d->refill_ms = mono_ms();
	}
	d->active_ms = mono_ms();
	d->batch = c->batch;
	return d;
}

static uint64_t
seq_key(uint32_t epoch, uint32_t seq)
{
	return (uint64_t)epoch << 32 | seq;
}

/* True when (epoch, seq) is one of the device's recent stored events. */
static bool
dev_seen(const struct dev *d, uint32_t epoch, uint32_t seq)
{
	uint64_t key = seq_key(epoch, seq);
	size_t k;

	for (k = 1; k <= d->n; k++)
		if (d->recent[(d->head + COLLECT_WINDOW - k) %
		    COLLECT_WINDOW] == key)
			return true;
	return false;
}

/*
 * A sequence jump: the event does not follow the device's previous one
 * within the window (same ring epoch).  It is stored all the same, and
 * flagged in its line.
 */
static bool
dev_jump(const struct dev *d, uint32_t epoch, uint32_t seq)
{
	/* The agent's numbers count up from 1 and never wrap in a ring's
	 * life, so the distance is taken without wrapping. */
	uint64_t a = seq, b = d->last_seq;

	return d->have_last && epoch == d->last_epoch &&
	    (a > b + COLLECT_WINDOW || b > a + COLLECT_WINDOW);
}

/* Remember a stored (or being stored) event; undo log when `c` logs. */
static void
dev_mark(struct collector *c, struct dev *d, uint32_t epoch, uint32_t seq,
    bool log)
{
	struct undo *u;

	if (log && c->nundo < sizeof(c->undo) / sizeof(c->undo[0])) {
		u = &c->undo[c->nundo++];
		memcpy(u->id, d->id, 12);
		u->slot = d->head;
		u->head = d->head;
		u->n = d->n;
		u->old = d->recent[d->head];
		u->have_last = d->have_last;
		u->last_epoch = d->last_epoch;
		u->last_seq = d->last_seq;
	}
	d->recent[d->head] = seq_key(epoch, seq);
	d->head = (uint16_t)((d->head + 1) % COLLECT_WINDOW);
	if (d->n < COLLECT_WINDOW)
		d->n++;
	d->have_last = true;
	d->last_epoch = epoch;
	d->last_seq = seq;
}

/* Take back the marks after the first `keep`, newest first. */
static void
undo_to(struct collector *c, size_t keep)
{
	const struct undo *u;
	long i;

	while (c->nundo > keep) {
		u = &c->undo[--c->nundo];
		if ((i = dev_slot(c, u->id)) == -1 || !c->dev[i].used)
			continue;	/* forgotten since: nothing to undo */
		c->dev[i].recent[u->slot] = u->old;
		c->dev[i].head = u->head;
		c->dev[i].n = u->n;
		c->dev[i].have_last = u->have_last;
		c->dev[i].last_epoch = u->last_epoch;
		c->dev[i].last_seq = u->last_seq;
	}
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

/* write() all of buf, or the error that stopped it (a short write's). */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The offset just after the last newline before `size`; 0: none. */
static off_t
last_newline(int fd, off_t size)
{
	char buf[4096];
	off_t pos;
	ssize_t n, i;

	for (pos = size; pos > 0; pos -= n) {
		n = pos < (off_t)sizeof(buf) ? (ssize_t)pos :
		    (ssize_t)sizeof(buf);
		if (pread(fd, buf, (size_t)n, pos - n) != n)
			return -1;
		for (i = n - 1; i >= 0; i--)
			if (buf[i] == '\n')
				return pos - n + i + 1;
	}
	return 0;
}

/* True when bytes [from, to) of fd are one collector line (no newline). */
static bool
is_line(int fd, off_t from, off_t to)
{
	struct agent_rec ev;
	char buf[HEAD_BYTES];
	size_t len = (size_t)(to - from);

	if (to <= from || len > sizeof(buf) ||
	    pread(fd, buf, len, from) != (ssize_t)len)
		return false;
	return agent_json_parse(buf, len, &ev) == 0;
}

/* True when bytes [from, to) could be the start of a collector line. */
static bool
is_partial(int fd, off_t from, off_t to)
{
	char buf[AGENT_JSON_MAX];
	size_t len = (size_t)(to - from), k;

	if (len > sizeof(buf) || pread(fd, buf, len, from) != (ssize_t)len)
		return false;
	k = len < strlen(LINE_PREFIX) ? len : strlen(LINE_PREFIX);
	return memcmp(buf, LINE_PREFIX, k) == 0 &&
	    memchr(buf, '\n', len) == NULL;
}

/* The end of the first line at or after 0, within HEAD_BYTES; -1: none. */
static off_t
first_newline(int fd, off_t size)
{
	char buf[HEAD_BYTES];
	ssize_t n = pread(fd, buf, size < (off_t)sizeof(buf) ? (size_t)size :
	    sizeof(buf), 0);
	char *nl;

	if (n <= 0 || (nl = memchr(buf, '\n', (size_t)n)) == NULL)
		return -1;
	return nl - buf;
}

/* Keep the cut bytes [from, to) of fd, plus a newline, in `side`. */
static int
keep_cut(int fd, off_t from, off_t to, const char *side)
{
	char buf[AGENT_JSON_MAX + 1];
	size_t len = (size_t)(to - from);
	int sfd, rc = -1;

	if (len >= sizeof(buf) || pread(fd, buf, len, from) != (ssize_t)len)
		return -1;
	buf[len++] = '\n';
	if ((sfd = open(side, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) == -1)
		return -1;
	if (write_all(sfd, buf, len) == 0 && fsync(sfd) == 0)
		rc = 0;
	close(sfd);
	return rc;
}

long
collect_trim(int fd, const char *side)
{
	off_t size, cut, nl, last;

	if ((size = lseek(fd, 0, SEEK_END)) == -1)
		return -1;
	if (size == 0)
		return 0;
	if ((cut = last_newline(fd, size)) == -1)
		return -1;
	/* The first and the last whole line must be the collector's. */
	if (cut > 0) {
		if ((last = last_newline(fd, cut - 1)) == -1)
			return -1;
		if ((nl = first_newline(fd, cut)) == -1 ||
		    !is_line(fd, 0, nl) || !is_line(fd, last, cut - 1))
			return -2;
	}
	if (cut == size)
		return 0;
	/* A partial last line: only one the collector began. */
	if (!is_partial(fd, cut, size))
		return -2;
	if (keep_cut(fd, cut, size, side) != 0 || ftruncate(fd, cut) == -1 ||
	    fsync(fd) == -1)
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
			if (!dev_seen(d, ev.epoch, ev.seq))
				dev_mark(c, d, ev.epoch, ev.seq, false);
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

/* True when --max-events lines are stored or on their way in this batch. */
static bool
at_max(const struct collector *c)
{
	return c->o->max_events > 0 && c->st->stored + c->batch_events >=
	    (uint64_t)c->o->max_events;
}

/*
 * A datagram's n events into the batch: duplicates are counted and left
 * out, the rest marked and formatted.  0: all taken; 1: cut at
 * --max-events, the events before the cut taken (the POST is answered
 * 5.03, so none of it is acknowledged, and its repeat is a duplicate up to
 * the cut); -1: nothing taken, this datagram's lines and marks taken back.
 */
static int
take_events(struct collector *c, struct dev *d, size_t n, int64_t rx)
{
	size_t i, w, mark = c->nundo, start = c->lines_len;
	uint64_t events = c->batch_events, dups = c->st->duplicates;
	bool jump;

	for (i = 0; i < n; i++) {
		if (dev_seen(d, c->ev[i].epoch, c->ev[i].seq)) {
			c->st->duplicates++;
			continue;
		}
		if (at_max(c))
			return 1;
		jump = dev_jump(d, c->ev[i].epoch, c->ev[i].seq);
		w = agent_json_format(c->lines + c->lines_len,
		    c->lines_cap - c->lines_len, &c->ev[i], rx, jump);
		if (w == 0) {
			undo_to(c, mark);
			c->lines_len = start;
			c->batch_events = events;
			c->st->duplicates = dups;
			return -1;
		}
		dev_mark(c, d, c->ev[i].epoch, c->ev[i].seq, true);
		c->lines_len += w;
		c->batch_events++;
		if (jump)
			c->batch_jumps++;
	}
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
	size_t n;
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
	if ((d = dev_find(c, id)) == NULL) {
		/* Never stored without the duplicate check: ask again. */
		reply_set(c, k, &m, CODE_UNAVAIL);
		return;
	}
	if (!dev_allow(c, d, n)) {
		c->st->limited++;
		reply_set(c, k, &m, CODE_TOO_MANY);
		return;
	}
	if (lines_room(c, n * AGENT_JSON_MAX) == -1 ||
	    take_events(c, d, n, rx) != 0) {
		/* Not stored (or not all of it, at --max-events). */
		reply_set(c, k, &m, CODE_UNAVAIL);
		return;
	}
	/* Success: a CON is answered after the write; a NON not at all. */
	if (m.type == COAPMSG_CON) {
		reply_set(c, k, &m, CODE_CHANGED);
		c->rep_on_ok[k] = true;
	}
}

/*
 * Write the batch's lines whole, or not at all.  0, or -1 with nothing of
 * the batch left in the file and its marks taken back; c->broken when even
 * cutting the file back failed (its end is unknown: stop).
 */
static int
commit(struct collector *c)
{
	off_t before;
	int err;

	if (c->lines_len == 0)
		return 0;
	before = lseek(c->out, 0, SEEK_END);
	if (before != (off_t)-1 &&
	    write_all(c->out, c->lines, c->lines_len) == 0 &&
	    (c->o->no_sync || fdatasync(c->out) == 0)) {
		c->st->batches++;
		c->st->stored += c->batch_events;
		c->st->jumps += c->batch_jumps;
		return 0;
	}
	err = errno;
	log_warnx("collect: %s: cannot store %" PRIu64 " event(s): %s; "
	    "answered 5.03, the devices send them again", c->o->out,
	    c->batch_events, strerror(err));
	if (before == (off_t)-1 || ftruncate(c->out, before) == -1 ||
	    fdatasync(c->out) == -1) {
		log_warn("collect: %s: cannot cut the failed write back off; "
		    "stopping", c->o->out);
		c->broken = true;
	}
	undo_to(c, 0);
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

/* fsync the folder holding `path`, so that a new file in it stays. */
static int
sync_dir(const char *path)
{
	char *copy, *dir;
	int fd, err, rc = -1;

	if ((copy = strdup(path)) == NULL)
		return -1;
	dir = dirname(copy);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		rc = fsync(fd);
		err = errno;
		close(fd);
	} else
		err = errno;
	free(copy);
	errno = err;
	return rc;
}

/*
 * Open --out: a new file (and its folder synced), or one of this
 * collector's JSON lines, whose partial last line, if it began one, is cut
 * and kept in FILE.partial.  0, -1 on an I/O error, -2 when the file is
 * something else (left untouched).
 */
static int
open_out(struct collector *c)
{
	const char *path = c->o->out;
	char side[4096];
	long cut;

	if ((c->out = open(path, O_RDWR | O_APPEND | O_CLOEXEC)) == -1 &&
	    errno == ENOENT) {
		if ((c->out = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0644)) == -1) {
			log_warn("collect: %s", path);
			return -1;
		}
		/* Without it, a power cut may lose the new file whole. */
		if (sync_dir(path) == -1) {
			log_warn("collect: %s: cannot fsync the folder that "
			    "holds it, so the new file may not survive a power "
			    "cut; not collecting", path);
			return -1;
		}
		return 0;
	}
	if (c->out == -1) {
		log_warn("collect: %s", path);
		return -1;
	}
	snprintf(side, sizeof(side), "%s.partial", path);
	if ((cut = collect_trim(c->out, side)) == -2) {
		log_warnx("collect: %s: not a file of collector event lines; "
		    "refusing to append to it (give a new file)", path);
		return -2;
	}
	if (cut < 0) {
		log_warn("collect: %s", path);
		return -1;
	}
	if (cut > 0)
		log_warnx("collect: %s: cut a partial last line (%ld bytes) "
		    "left by an interrupted write; kept in %s", path, cut,
		    side);
	return 0;
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
	if ((rc = open_out(c)) != 0)
		goto out;
	rc = -1;
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
		c->nundo = 0;
		c->batch_events = c->batch_jumps = 0;
		c->batch++;
		for (k = 0; k < got; k++)
			take(c, (size_t)k, c->dgram[k], c->in[k].msg_len);
		send_replies(c, got, commit(c) == 0);
		if (c->broken)
			goto out;
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
