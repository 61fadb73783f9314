/*
 * serial.c - termios, locking and line reading for a device's USB serial
 * port (see serial.h).  Every read waits in poll() with a deadline, so an
 * unplugged or silent device never hangs the probe.
 */
#include <sys/file.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "mac.h"
#include "serial.h"

static const struct {
	unsigned	baud;
	speed_t		speed;
} speeds[] = {
	{ 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
	{ 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
	{ 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
	{ 921600, B921600 }, { 1000000, B1000000 }, { 2000000, B2000000 },
};

static bool
speed_of(unsigned baud, speed_t *out)
{
	size_t i;

	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i].baud == baud) {
			*out = speeds[i].speed;
			return true;
		}
	return false;
}

bool
serial_speed_ok(unsigned baud)
{
	speed_t s;

	return speed_of(baud, &s);
}

/* The message is already in msg; close fd keeping errno. */
static int
fail(int fd, enum serial_err *err, enum serial_err e)
{
	int saved = errno;

	*err = e;
	if (fd >= 0)
		close(fd);
	errno = saved;
	return -1;
}

int
serial_open(const char *path, unsigned baud, enum serial_err *err, char *msg,
    size_t msglen)
{
	struct termios t;
	speed_t speed;
	int fd;

	*err = SERIAL_OK;
	msg[0] = '\0';
	if (!speed_of(baud, &speed)) {
		snprintf(msg, msglen, "%s: unsupported speed %u (Particle "
		    "devices use 9600; others: 1200 to 2000000)", path, baud);
		return fail(-1, err, SERIAL_ESPEED);
	}
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV) {
			snprintf(msg, msglen, "%s: no such device (%s; is it "
			    "plugged in and does ls /dev/ttyACM* show it?)",
			    path, strerror(errno));
			return fail(-1, err, SERIAL_ENOENT);
		}
		if (errno == EBUSY) {
			snprintf(msg, msglen, "%s: device busy (%s): close "
			    "the other program using it", path,
			    strerror(errno));
			return fail(-1, err, SERIAL_EBUSY);
		}
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return fail(-1, err, SERIAL_EOTHER);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(msg, msglen, "%s: device busy: another program has "
		    "it open (%s)", path, strerror(errno));
		return fail(fd, err, errno == EWOULDBLOCK ? SERIAL_EBUSY :
		    SERIAL_EOTHER);
	}
	if (tcgetattr(fd, &t) == -1) {
		snprintf(msg, msglen, "%s: not a serial device (%s)", path,
		    strerror(errno));
		return fail(fd, err, errno == ENOTTY ? SERIAL_ENOTTY :
		    SERIAL_EOTHER);
	}
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
	/* Non-blocking reads; poll() gives every read its timeout. */
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (cfsetispeed(&t, speed) == -1 || cfsetospeed(&t, speed) == -1 ||
	    tcsetattr(fd, TCSANOW, &t) == -1) {
		snprintf(msg, msglen, "%s: cannot set the line up (%s)", path,
		    strerror(errno));
		return fail(fd, err, SERIAL_ESPEED);
	}
	return fd;
}

void
serial_rd_init(struct serial_rd *rd, int fd)
{
	memset(rd, 0, sizeof(*rd));
	rd->fd = fd;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
account(struct serial_rd *rd, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (!(isprint(ch) || ch == '\r' || ch == '\n' || ch == '\t'))
			rd->binary++;
	}
	rd->bytes += n;
}

ssize_t
serial_readline(struct serial_rd *rd, char *line, size_t cap, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd;
	char *nl;
	size_t n, take;
	ssize_t got;
	int left, pr;

	for (;;) {
		nl = memchr(rd->buf, '\n', rd->len);
		if (nl != NULL || rd->len == sizeof(rd->buf) ||
		    (rd->eof && rd->len > 0)) {
			n = nl != NULL ? (size_t)(nl - rd->buf) : rd->len;
			take = nl != NULL ? n + 1 : n;
			while (n > 0 && rd->buf[n - 1] == '\r')
				n--;
			if (n >= cap)
				n = cap - 1;
			memcpy(line, rd->buf, n);
			line[n] = '\0';
			memmove(rd->buf, rd->buf + take, rd->len - take);
			rd->len -= take;
			return (ssize_t)n;
		}
		if (rd->eof) {
			errno = 0;
			return -1;
		}
		left = timeout_ms < 0 ? -1 : (int)(deadline - now_ms());
		if (timeout_ms >= 0 && left <= 0)
			return -2;
		pfd.fd = rd->fd;
		pfd.events = POLLIN;
		pr = poll(&pfd, 1, left);
		if (pr == -1 && errno == EINTR)
			return -2;
		if (pr == -1)
			return -1;
		if (pr == 0)
			return -2;
		got = read(rd->fd, rd->buf + rd->len,
		    sizeof(rd->buf) - rd->len);
		if (got > 0) {
			account(rd, rd->buf + rd->len, (size_t)got);
			rd->len += (size_t)got;
		} else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
			/* A pty whose other side closed reads EIO. */
			rd->eof = true;
			if (got == -1 && errno != EIO)
				return -1;
		}
	}
}

bool
serial_garbled(const struct serial_rd *rd)
{
	return rd->bytes >= 16 && rd->binary * 4 > rd->bytes;
}

int
serial_write_all(int fd, const void *buf, size_t len, int timeout_ms)
{
	const char *p = buf;
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd;
	ssize_t n;
	int left;

	while (len > 0) {
		n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return -1;
		if ((left = (int)(deadline - now_ms())) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		poll(&pfd, 1, left);
	}
	return 0;
}

void
serial_drain(struct serial_rd *rd, int quiet_ms)
{
	char line[SERIAL_LINE_MAX];
	long long end = now_ms() + 10LL * quiet_ms;

	/* A chatty device never goes quiet: stop after ten quiet spans. */
	while (now_ms() < end &&
	    serial_readline(rd, line, sizeof(line), quiet_ms) >= 0)
		continue;
	rd->len = 0;
}

static bool
hex24(const char *s, char id[25])
{
	int i;

	for (i = 0; i < 24; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		id[i] = (char)tolower((unsigned char)s[i]);
	}
	id[24] = '\0';
	return s[24] == '\0' || isspace((unsigned char)s[24]);
}

bool
serial_parse_id(const char *line, char id[25], bool *is_core)
{
	static const char dev[] = "Your device id is ";
	static const char core[] = "Your core id is ";
	/* Cellular and mesh devices answer with key/value lines. */
	static const char kv[] = "Device ID: ";
	const char *p;

	if ((p = strstr(line, dev)) != NULL && hex24(p + sizeof(dev) - 1, id)) {
		*is_core = false;
		return true;
	}
	if ((p = strstr(line, core)) != NULL &&
	    hex24(p + sizeof(core) - 1, id)) {
		*is_core = true;
		return true;
	}
	if ((p = strstr(line, kv)) != NULL && hex24(p + sizeof(kv) - 1, id)) {
		*is_core = false;
		return true;
	}
	return false;
}

bool
serial_parse_version(const char *line, char *ver, size_t cap)
{
	static const char tag[] = "system firmware version: ";
	const char *p = strstr(line, tag);
	size_t n;

	if (p == NULL)
		return false;
	p += sizeof(tag) - 1;
	for (n = 0; p[n] != '\0' && !isspace((unsigned char)p[n]); n++)
		continue;
	if (n == 0 || n >= cap)
		return false;
	memcpy(ver, p, n);
	ver[n] = '\0';
	return true;
}

bool
serial_parse_mac(const char *line, char mac[18])
{
	uint8_t m[MAC_LEN];
	size_t n;

	while (isspace((unsigned char)*line))
		line++;
	/* The device writes colons; mac_scan takes dashes too. */
	if ((n = mac_scan(line, m)) == 0 || line[2] != ':' ||
	    !(line[n] == '\0' || isspace((unsigned char)line[n])))
		return false;
	mac_format(m, mac);
	return true;
}
