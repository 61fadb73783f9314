/*
 * port.h - what the firmware agent needs from its platform, and nothing
 * more: a millisecond clock, a retained memory region, a serial writer and,
 * once the device is online, a UDP sender.  port_posix.c is the host port;
 * a Device OS port wires these to millis(), retained SRAM, Serial and UDP.
 * Every function must return at once: the agent never waits on its port.
 */
#ifndef PORT_H
#define PORT_H

#include <stddef.h>
#include <stdint.h>

struct agent_port {
	/* Milliseconds since an arbitrary start; wraps at 2^32. */
	uint32_t	(*millis)(void *ctx);

	/*
	 * The retained region (survives a reset, 4-byte aligned) and its size
	 * in *len.  The agent keeps its ring there; NULL means none.
	 */
	void		*(*retained)(void *ctx, size_t *len);

	/*
	 * Take one whole serial line: return len when all of it was accepted,
	 * 0 when there is no room now (nothing written; the agent tries again
	 * on a later poll), -1 when there is no serial link.  May be NULL.
	 */
	int		(*serial_write)(void *ctx, const void *buf, size_t len);

	/*
	 * Send one datagram to the collector: 0 when handed to the network,
	 * -1 when not online or no buffer (the agent tries again later).
	 * May be NULL when the build has no network.
	 */
	int		(*udp_send)(void *ctx, const void *buf, size_t len);

	void		*ctx;	/* passed to every call above */
};

#endif /* PORT_H */
