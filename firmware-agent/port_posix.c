/*
 * port_posix.c - the host implementation of port.h (see port_posix.h).
 * Host-only: built into libcyanprobe.a, never into `make firmware`.
 */
#include <sys/mman.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "port_posix.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t
px_millis(void *ctx)
{
	struct port_posix *pp = ctx;

	return (uint32_t)(mono_ms() - pp->t0_ms + pp->skew_ms);
}

static void *
px_retained(void *ctx, size_t *len)
{
	struct port_posix *pp = ctx;

	*len = pp->region_len;
	return pp->region;
}

size_t
port_posix_flush(struct port_posix *pp)
{
	ssize_t n;

	while (pp->pend_len > 0) {
		n = write(pp->serial_fd, pp->pend, pp->pend_len);
		if (n <= 0)
			break;
		memmove(pp->pend, pp->pend + n, pp->pend_len - (size_t)n);
		pp->pend_len -= (size_t)n;
	}
	return pp->pend_len;
}

/*
 * The agent hands over whole lines; what the fd will not take now waits
 * in pend, and a line that does not fit there is refused (0), so the
 * agent offers it again later and no line is ever cut.
 */
static int
px_serial_write(void *ctx, const void *buf, size_t len)
{
	struct port_posix *pp = ctx;

	if (pp->serial_fd < 0)
		return -1;
	if (port_posix_flush(pp) + len > sizeof(pp->pend))
		return 0;
	memcpy(pp->pend + pp->pend_len, buf, len);
	pp->pend_len += len;
	port_posix_flush(pp);
	return (int)len;
}

static int
px_udp_send(void *ctx, const void *buf, size_t len)
{
	struct port_posix *pp = ctx;

	if (pp->udp_fd < 0)
		return -1;
	return send(pp->udp_fd, buf, len, MSG_DONTWAIT) == (ssize_t)len ?
	    0 : -1;
}

void
port_posix_init(struct port_posix *pp, struct agent_port *port)
{
	memset(pp, 0, offsetof(struct port_posix, pend));
	pp->serial_fd = -1;
	pp->udp_fd = -1;
	/*
	 * The raw monotonic clock, not time since start: a fresh ring's
	 * epoch mixes in millis(), and zeroed host memory is no source of
	 * noise the way a device's power-on SRAM is.
	 */
	pp->t0_ms = 0;
	port->millis = px_millis;
	port->retained = px_retained;
	port->serial_write = px_serial_write;
	port->udp_send = px_udp_send;
	port->ctx = pp;
}

void
port_posix_retain_buffer(struct port_posix *pp, void *buf, size_t len)
{
	pp->region = buf;
	pp->region_len = len;
	pp->mapped = 0;
}

int
port_posix_retain_file(struct port_posix *pp, const char *path, size_t len)
{
	void *m;
	int fd, saved;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	if (ftruncate(fd, (off_t)len) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	saved = errno;
	close(fd);
	if (m == MAP_FAILED) {
		errno = saved;
		return -1;
	}
	port_posix_close(pp);
	pp->region = m;
	pp->region_len = len;
	pp->mapped = 1;
	return 0;
}

void
port_posix_set_serial(struct port_posix *pp, int fd)
{
	int fl;

	if (fd >= 0 && (fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	pp->serial_fd = fd;
	pp->pend_len = 0;
}

void
port_posix_set_udp(struct port_posix *pp, int fd)
{
	pp->udp_fd = fd;
}

void
port_posix_close(struct port_posix *pp)
{
	if (pp->mapped && pp->region != NULL)
		munmap(pp->region, pp->region_len);
	pp->region = NULL;
	pp->region_len = 0;
	pp->mapped = 0;
}
