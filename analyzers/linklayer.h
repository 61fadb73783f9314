/*
 * linklayer.h - strip the link-layer header of a captured frame, so that
 * what follows (an ethertype plus its bytes) can go to ip_decode().
 *
 * Wired and cooked link types are decoded here: Ethernet (DLT 1, with up to
 * LINKLAYER_VLAN_MAX 802.1Q/802.1ad tags and 802.3 LLC/SNAP), Linux cooked
 * SLL (113) and SLL2 (276), raw IP (12, 14, 101, 228, 229) and BSD
 * null/loopback (0 in the capturing host's byte order, 108 in network
 * order).  The 802.11 link types (105, 119, 127, 163, 192) are known by name
 * only: their frames belong to the Wi-Fi decoders, which hand the LLC/SNAP
 * payload of data frames back as an ethertype plus bytes.
 * Values are the LINKTYPE_ numbers of a pcap file header, as pcap_datalink()
 * reports them on Linux.
 */
#ifndef LINKLAYER_H
#define LINKLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ethertypes this project cares about (IEEE registry values). */
#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_ARP		0x0806
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_EAPOL		0x888e

/* Tags peeled before giving up: real networks stack at most two. */
#define LINKLAYER_VLAN_MAX	4

enum linklayer_kind {
	LINKLAYER_UNKNOWN,	/* a link type this project does not decode */
	LINKLAYER_WIRED,	/* decoded by linklayer_decode() */
	LINKLAYER_WIFI		/* 802.11 family: for the Wi-Fi decoders */
};

struct linklayer_frame {
	int		 dlt;
	/*
	 * The protocol of `payload`: an ethertype (ETHERTYPE_IPV4, ...).  Raw
	 * IP and null/loopback frames are mapped to ETHERTYPE_IPV4/IPV6 by the
	 * IP version or address family; 0 when it could not be told.
	 */
	uint16_t	 ethertype;
	bool		 has_mac;	/* Ethernet: dst/src are set */
	uint8_t		 dst[6];
	uint8_t		 src[6];	/* also SLL/SLL2 when the address is 6 bytes */
	unsigned	 n_vlan;	/* tags peeled */
	uint16_t	 vlan_id;	/* outermost tag's VLAN id */
	int		 sll_pkttype;	/* SLL/SLL2 packet type, -1 otherwise */
	/* Bytes after the link header: a view, valid while the frame is. */
	const uint8_t	*payload;
	size_t		 len;
};

/*
 * Decode the link header of one captured frame of link type `dlt`
 * (`caplen` captured bytes at `buf`).  Fills *out; `out->payload` points
 * into `buf`.  Returns 0 on success; -1 when the frame is too short for its
 * link header, or `dlt` is not a LINKLAYER_WIRED type (out->ethertype is
 * then 0 and out->payload NULL).
 */
int		 linklayer_decode(int dlt, const uint8_t *buf, size_t caplen,
		    struct linklayer_frame *out);

/*
 * Decode an 802.2 LLC header: with SNAP (AA AA 03 + OUI 000000 or 0000F8)
 * set *ethertype and the view after it and return 0; anything else, -1.
 * For 802.3 length-framed Ethernet and for 802.11 data frames.
 */
int		 linklayer_llc_snap(const uint8_t *buf, size_t len,
		    uint16_t *ethertype, const uint8_t **payload,
		    size_t *payload_len);

/* Whether this project can read frames of link type `dlt` at all. */
bool		 linklayer_known(int dlt);

enum linklayer_kind linklayer_kind(int dlt);

/*
 * A short stable name for a link type, e.g. "EN10MB", "LINUX_SLL2",
 * "IEEE802_11_RADIO"; NULL when unknown (callers print the number).
 */
const char	*linklayer_name(int dlt);

/* A name for an ethertype ("IPv4", "IPv6", "ARP", ...), or NULL. */
const char	*linklayer_ethertype_name(uint16_t ethertype);

#endif /* LINKLAYER_H */
