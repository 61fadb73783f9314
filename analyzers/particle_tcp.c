/*
 * particle_tcp.c - classify TCP segments on port 5683 (the Core/Photon
 * cloud port, particle-cloud.md 1) and key them by flow in both
 * directions.  See particle_tcp.h.
 */
#include <string.h>

#include "particle_tcp.h"

static int
addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

enum particle_tcp_kind
particle_tcp_classify(const struct ip_packet *pkt,
    struct particle_tcp_seg *out)
{
	const struct ip_tcp *t = &pkt->tcp;
	bool src_cloud;
	uint8_t f;

	memset(out, 0, sizeof(*out));
	if (!pkt->has_tcp || (t->sport != PARTICLE_TCP_PORT &&
	    t->dport != PARTICLE_TCP_PORT))
		return PARTICLE_TCP_NONE;
	/* The cloud end listens on 5683; both ends on it is a lab oddity. */
	if (t->sport == PARTICLE_TCP_PORT && t->dport == PARTICLE_TCP_PORT)
		src_cloud = addr_cmp(&pkt->src, &pkt->dst) < 0;
	else
		src_cloud = t->sport == PARTICLE_TCP_PORT;
	out->from_cloud = src_cloud;
	out->payload_len = t->wire_len;
	if (src_cloud) {
		out->key.cloud = pkt->src;
		out->key.cloud_port = t->sport;
		out->key.device = pkt->dst;
		out->key.device_port = t->dport;
	} else {
		out->key.device = pkt->src;
		out->key.device_port = t->sport;
		out->key.cloud = pkt->dst;
		out->key.cloud_port = t->dport;
	}
	f = t->flags;
	if (f & TCP_RST)
		out->kind = PARTICLE_TCP_RST;
	else if ((f & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		out->kind = PARTICLE_TCP_SYN;
	else if ((f & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
		out->kind = PARTICLE_TCP_SYN_ACK;
	else if (t->len > 0)
		out->kind = PARTICLE_TCP_DATA;
	else if (f & TCP_FIN)
		out->kind = PARTICLE_TCP_FIN;
	else
		out->kind = PARTICLE_TCP_ACK;
	return out->kind;
}

bool
particle_flow_key_equal(const struct particle_flow_key *a,
    const struct particle_flow_key *b)
{
	return ip_addr_equal(&a->device, &b->device) &&
	    ip_addr_equal(&a->cloud, &b->cloud) &&
	    a->device_port == b->device_port && a->cloud_port == b->cloud_port;
}

bool
particle_tcp_is_nonce(size_t first_server_payload_len)
{
	return first_server_payload_len == PARTICLE_NONCE_LEN;
}

const char *
particle_tcp_kind_name(enum particle_tcp_kind k)
{
	switch (k) {
	case PARTICLE_TCP_NONE:		return "none";
	case PARTICLE_TCP_SYN:		return "syn";
	case PARTICLE_TCP_SYN_ACK:	return "syn-ack";
	case PARTICLE_TCP_RST:		return "rst";
	case PARTICLE_TCP_FIN:		return "fin";
	case PARTICLE_TCP_DATA:		return "data";
	case PARTICLE_TCP_ACK:		return "ack";
	}
	return "?";
}
