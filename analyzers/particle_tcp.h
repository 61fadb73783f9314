/*
 * particle_tcp.h - classify TCP segments to or from port 5683, the Core and
 * Photon cloud port (particle-cloud.md section 1): SYN, SYN-ACK, RST, data
 * each way, and the 40-byte nonce the cloud sends first.
 *
 * Per-flow state belongs to the caller (the capture analyzer); this module
 * only gives each segment a kind and a flow key that is the same in both
 * directions, so the caller can find "the first server segment" itself and
 * ask particle_tcp_is_nonce() about it.
 */
#ifndef PARTICLE_TCP_H
#define PARTICLE_TCP_H

#include <stdbool.h>
#include <stddef.h>

#include "ip.h"

#define PARTICLE_TCP_PORT	5683
#define PARTICLE_NONCE_LEN	40

enum particle_tcp_kind {
	PARTICLE_TCP_NONE,	/* not TCP, or neither port is 5683 */
	PARTICLE_TCP_SYN,	/* device -> cloud connect */
	PARTICLE_TCP_SYN_ACK,	/* cloud accepted */
	PARTICLE_TCP_RST,	/* either way; see `from_cloud` */
	PARTICLE_TCP_FIN,
	PARTICLE_TCP_DATA,	/* carries payload; see `from_cloud` */
	PARTICLE_TCP_ACK	/* bare ACK, no payload */
};

/*
 * A flow, device side first: the same key for both directions.  The cloud
 * side is the end whose port is 5683 (when both are, the lower address).
 */
struct particle_flow_key {
	struct ip_addr	device, cloud;
	uint16_t	device_port, cloud_port;
};

struct particle_tcp_seg {
	enum particle_tcp_kind	 kind;
	bool			 from_cloud;
	struct particle_flow_key key;
	size_t			 payload_len;	/* as sent (claimed) */
};

/*
 * Classify a decoded packet.  Returns the kind (also in out->kind);
 * PARTICLE_TCP_NONE leaves the rest of *out zeroed.
 */
enum particle_tcp_kind particle_tcp_classify(const struct ip_packet *pkt,
		    struct particle_tcp_seg *out);

bool		 particle_flow_key_equal(const struct particle_flow_key *a,
		    const struct particle_flow_key *b);

/* The first server segment is the Particle nonce when exactly 40 bytes. */
bool		 particle_tcp_is_nonce(size_t first_server_payload_len);

/* "syn", "syn-ack", "rst", "fin", "data", "ack", "none". */
const char	*particle_tcp_kind_name(enum particle_tcp_kind k);

#endif /* PARTICLE_TCP_H */
