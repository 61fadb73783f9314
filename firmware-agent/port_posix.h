/*
 * port_posix.h - the agent's host port: the monotonic clock, a retained
 * region that is a caller's buffer or a file mapped MAP_SHARED (so it
 * survives the process being killed, as retained SRAM survives a reset),
 * a serial fd (a pty in tests) written without blocking, and a connected
 * UDP socket.  Used by `cyanprobe simulate-device` and the tests.
 */
#ifndef PORT_POSIX_H
#define PORT_POSIX_H

#include <stddef.h>
#include <stdint.h>

#include "port.h"

#define PORT_POSIX_PENDING	8192

struct port_posix {
	int		 serial_fd;	/* -1: no serial */
	int		 udp_fd;	/* connected UDP socket, -1: offline */
	void		*region;
	size_t		 region_len;
	int		 mapped;	/* region is an mmap()ed file */
	int64_t		 t0_ms;		/* clock origin */
	int64_t		 skew_ms;	/* added to the clock (tests) */
	size_t		 pend_len;	/* serial bytes the fd has not taken */
	char		 pend[PORT_POSIX_PENDING];
};

/*
 * Fill `port` with the functions of this port, bound to `pp`, and reset pp
 * to "no serial, offline, no region".  pp must outlive the agent.
 */
void	port_posix_init(struct port_posix *pp, struct agent_port *port);

/* Use buf (4-byte aligned) as the retained region; the caller owns it. */
void	port_posix_retain_buffer(struct port_posix *pp, void *buf, size_t len);

/*
 * Map `len` bytes of file `path` as the retained region, creating it (zero
 * filled) if needed.  0, or -1 with errno set.
 */
int	port_posix_retain_file(struct port_posix *pp, const char *path,
	    size_t len);

/* The serial fd (made non-blocking) or -1; the UDP socket or -1. */
void	port_posix_set_serial(struct port_posix *pp, int fd);
void	port_posix_set_udp(struct port_posix *pp, int fd);

/*
 * Write what the serial fd did not take yet; returns bytes still pending.
 * Call when the fd is writable.
 */
size_t	port_posix_flush(struct port_posix *pp);

/* Unmap a mapped region.  The fds stay the caller's. */
void	port_posix_close(struct port_posix *pp);

#endif /* PORT_POSIX_H */
