/*
 * dns.h - DNS messages (RFC 1035): parse queries and answers, build a query,
 * and classify answer addresses (for dns.private_answer).
 *
 * Names are decoded to dotted text, following compression pointers under a
 * hop limit (DNS_PTR_HOPS) and the 255-byte name limit.  Forward pointers
 * are allowed, since real servers send them (suricata-verify has one); a
 * pointer loop runs into the hop limit and fails that name.  Bytes outside
 * printable ASCII, and '.' or '\' inside a label, are written as \DDD, as in
 * zone files.  A/AAAA/CNAME answers are decoded; other types are counted
 * and skipped.  Counts in the header are claims: the parser stops at the
 * captured end and sets `truncated`.
 */
#ifndef DNS_H
#define DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT		53
#define DNS_HDR_LEN		12

#define DNS_TYPE_A		1
#define DNS_TYPE_NS		2
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_SOA		6
#define DNS_TYPE_PTR		12
#define DNS_TYPE_MX		15
#define DNS_TYPE_TXT		16
#define DNS_TYPE_AAAA		28
#define DNS_TYPE_SRV		33
#define DNS_TYPE_OPT		41
#define DNS_CLASS_IN		1

#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_FORMERR	1
#define DNS_RCODE_SERVFAIL	2
#define DNS_RCODE_NXDOMAIN	3
#define DNS_RCODE_NOTIMP	4
#define DNS_RCODE_REFUSED	5

#define DNS_PTR_HOPS		32	/* compression pointers per name */
#define DNS_NAME_WIRE_MAX	255	/* RFC 1035 3.1 */
#define DNS_NAME_TEXT_MAX	256	/* text buffer, NUL included */
#define DNS_QUESTIONS_MAX	4	/* questions kept */
#define DNS_ANSWERS_MAX		16	/* A/AAAA/CNAME answers kept */

struct dns_question {
	char		name[DNS_NAME_TEXT_MAX];
	uint16_t	type, qclass;
};

struct dns_answer {
	char		name[DNS_NAME_TEXT_MAX];
	uint16_t	type, rclass;
	uint32_t	ttl;
	uint8_t		addr[16];	/* A: 4 bytes, AAAA: 16 bytes */
	char		target[DNS_NAME_TEXT_MAX];	/* CNAME */
};

struct dns_msg {
	uint16_t	id;
	uint16_t	flags;		/* raw second header word */
	bool		qr, aa, tc, rd, ra;
	uint8_t		opcode, rcode;
	uint16_t	qdcount, ancount, nscount, arcount;	/* claims */
	size_t		n_questions;	/* kept, <= DNS_QUESTIONS_MAX */
	struct dns_question question[DNS_QUESTIONS_MAX];
	size_t		n_answers;	/* A/AAAA/CNAME kept */
	struct dns_answer answer[DNS_ANSWERS_MAX];
	size_t		n_skipped;	/* answer-section records not kept */
	bool		truncated;	/* ran out of bytes before the counts */
	bool		bad_name;	/* a name was malformed or looped */
};

/*
 * Parse a DNS message (a UDP payload; for TCP strip the 2-byte length
 * first).  Fills *out (zeroed first) with the header, the questions and the
 * answer section; authority and additional sections are not read.  Returns
 * 0 when the header was read (see `truncated`, `bad_name`), -1 when shorter
 * than the 12-byte header.
 */
int		 dns_parse(const uint8_t *buf, size_t len, struct dns_msg *out);

/*
 * Decode the name at offset `off` of `msg` into `out` (DNS_NAME_TEXT_MAX
 * bytes).  *next receives the offset after the name where it started (not
 * after any pointer target).  Returns 0, or -1 on a malformed name, a loop
 * or a name longer than 255 bytes.  The root name is ".".
 */
int		 dns_name_decode(const uint8_t *msg, size_t len, size_t off,
		    char *out, size_t *next);

/*
 * Build a standard query with recursion desired for `name` (dotted, a
 * trailing dot allowed) and `qtype`, class IN, message id `id`.  Returns
 * the length, or 0 when the name is invalid (empty label, label > 63, name
 * > 255 bytes) or `size` is too small.
 */
size_t		 dns_build_query(uint8_t *buf, size_t size, uint16_t id,
		    const char *name, uint16_t qtype);

/* "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", ...; NULL if unknown. */
const char	*dns_rcode_name(uint8_t rcode);

/* "A", "AAAA", "CNAME", ...; NULL if unknown. */
const char	*dns_type_name(uint16_t type);

/* What an answer address is, by the IANA special-purpose registries. */
enum dns_addr_class {
	DNS_ADDR_PUBLIC,
	DNS_ADDR_PRIVATE,	/* 10/8, 172.16/12, 192.168/16, fc00::/7 */
	DNS_ADDR_LOOPBACK,	/* 127/8, ::1 */
	DNS_ADDR_LINK_LOCAL,	/* 169.254/16, fe80::/10 */
	DNS_ADDR_CGNAT,		/* 100.64/10 (RFC 6598) */
	DNS_ADDR_UNSPECIFIED,	/* 0/8, :: */
	DNS_ADDR_MULTICAST,	/* 224/4, ff00::/8 */
	DNS_ADDR_RESERVED,	/* 240/4, broadcast, documentation, ... */
};

/*
 * Classify `addr` (4 bytes for family 4, 16 for family 6; IPv4-mapped
 * IPv6 addresses are classified as IPv4).
 */
enum dns_addr_class dns_addr_class(int family, const uint8_t *addr);

/* "public", "private", "loopback", "link-local", "cgnat", ... */
const char	*dns_addr_class_name(enum dns_addr_class c);

/* True for every class but DNS_ADDR_PUBLIC: what dns.private_answer means
 * when a public name resolves to it. */
bool		 dns_addr_is_nonpublic(int family, const uint8_t *addr);

#endif /* DNS_H */
