/*
 * ip.h - IPv4 (RFC 791) and IPv6 (RFC 8200) with UDP (RFC 768) and TCP
 * (RFC 9293) on top: decode a packet into addresses, protocol and a view of
 * the transport payload, and build small IPv4/UDP frames for the probe.
 *
 * Length fields on the wire are claims.  The decoder trusts them only as far
 * as the captured bytes go: a packet whose total length is larger than what
 * was captured is decoded with `truncated` set; bytes captured beyond the
 * claimed length (Ethernet padding) are cut off.  Only the first fragment of
 * a fragmented IPv4 or IPv6 packet has a transport header; later fragments
 * are reported as such and carry no transport view.
 */
#ifndef IP_H
#define IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IP_PROTO_ICMP		1
#define IP_PROTO_TCP		6
#define IP_PROTO_UDP		17
#define IP_PROTO_ICMPV6		58

/* TCP flag bits (byte 13 of the header). */
#define TCP_FIN			0x01
#define TCP_SYN			0x02
#define TCP_RST			0x04
#define TCP_PSH			0x08
#define TCP_ACK			0x10
#define TCP_URG			0x20

/* IPv6 extension headers followed before giving up (they can chain). */
#define IP_EXT_MAX		8

/* An IPv4 or IPv6 address; family is 4 or 6 (0 = unset). */
struct ip_addr {
	uint8_t		family;
	uint8_t		a[16];	/* IPv4 uses the first 4 bytes */
};

struct ip_udp {
	uint16_t	 sport, dport;
	uint16_t	 claimed_len;	/* the UDP length field */
	uint16_t	 checksum;
	bool		 truncated;	/* fewer bytes than claimed */
	const uint8_t	*payload;	/* view into the packet */
	size_t		 len;
};

struct ip_tcp {
	uint16_t	 sport, dport;
	uint32_t	 seq, ack;
	uint8_t		 flags;		/* TCP_SYN | TCP_ACK ... */
	uint16_t	 window;
	uint8_t		 hdr_len;	/* data offset, in bytes */
	bool		 truncated;
	const uint8_t	*payload;	/* view into the packet */
	size_t		 len;		/* payload bytes captured */
	size_t		 wire_len;	/* payload bytes the IP length claims */
};

struct ip_packet {
	uint8_t		 version;	/* 4 or 6 */
	struct ip_addr	 src, dst;
	uint8_t		 proto;		/* final next-header after extensions */
	uint8_t		 ttl;		/* hop limit for IPv6 */
	uint16_t	 id;		/* IPv4 identification (or v6 frag id low) */
	bool		 fragment;	/* part of a fragmented packet */
	bool		 later_fragment; /* offset > 0: no transport header */
	bool		 more_fragments; /* IPv4 MF bit: not the last piece */
	size_t		 frag_offset;	/* IPv4: where the payload goes, bytes */
	bool		 truncated;	/* captured < claimed total length */
	bool		 bad_checksum;	/* IPv4 header checksum wrong */
	size_t		 claimed_len;	/* total length field (v6: 40+payload) */
	/* Transport bytes (after IP header and extensions): a view. */
	const uint8_t	*payload;
	size_t		 len;		/* captured */
	size_t		 wire_len;	/* claimed by the length field */
	/* Set when proto is UDP/TCP, this is the first fragment, and the
	 * transport header was complete. */
	bool		 has_udp, has_tcp;
	struct ip_udp	 udp;
	struct ip_tcp	 tcp;
};

/*
 * Decode the IP packet `buf` (`len` captured bytes) carried with
 * `ethertype` (ETHERTYPE_IPV4 or ETHERTYPE_IPV6; 0 means "look at the
 * version nibble").  Fills *out with views into `buf`, and the UDP or TCP
 * header when there is one.  Returns 0 when the IP header was decoded
 * (check `truncated`, `later_fragment`, has_udp/has_tcp), -1 when it is
 * not IP or the header itself is malformed or cut off.
 */
int		 ip_decode(uint16_t ethertype, const uint8_t *buf, size_t len,
		    struct ip_packet *out);

/* Decode a UDP header + payload; 0 or -1 (shorter than 8 bytes, or the
 * length field is below 8). */
int		 ip_udp_decode(const uint8_t *buf, size_t len,
		    struct ip_udp *out);

/* Decode a TCP header + payload; 0 or -1 (header cut off, offset < 20). */
int		 ip_tcp_decode(const uint8_t *buf, size_t len,
		    struct ip_tcp *out);

/* The Internet checksum (RFC 1071) of `len` bytes, folded, complemented. */
uint16_t	 ip_checksum(const void *buf, size_t len);

/*
 * Build Ethernet II + IPv4 + UDP around `payload` into `buf` (`size`
 * bytes), with the IPv4 header checksum and the UDP checksum (pseudo
 * header) filled in, TTL 64, DF clear.  Addresses are in network order.
 * `payload` may point into `buf` (e.g. at buf + 42, built in place).
 * Returns the frame length, or 0 when `size` is too small or the payload
 * too large for one datagram.
 */
size_t		 ip_build_udp4_frame(uint8_t *buf, size_t size,
		    const uint8_t dst_mac[6], const uint8_t src_mac[6],
		    const uint8_t src_ip[4], const uint8_t dst_ip[4],
		    uint16_t sport, uint16_t dport,
		    const uint8_t *payload, size_t payload_len);

/* Format an address into buf ("192.0.2.1", "2001:db8::1"); returns buf. */
const char	*ip_addr_str(const struct ip_addr *a, char *buf, size_t size);

bool		 ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b);

#endif /* IP_H */
