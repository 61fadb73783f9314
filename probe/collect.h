/*
 * collect.h - the event collector behind `cyanprobe collect`: a CoAP server
 * on UDP that takes the firmware agents' POST /e, stores each event as one
 * JSON line (agent_events.h) and acknowledges a CON only once the line is
 * on disk.
 *
 * Durability: datagrams are taken in batches (recvmmsg); the batch's lines
 * go out in one write() and one fdatasync(), and only then are its ACKs
 * sent.  A batch that cannot be written whole is cut back off the file and
 * answered 5.03, so nothing half-written stays and nothing unwritten is
 * acknowledged.  On start a trailing partial line (a crash in the middle of
 * a write) is cut off, and the recent (device, epoch, seq) sets are seeded
 * from the end of the file, so a retransmission after a restart is still
 * recognised as a duplicate.
 *
 * libcoap's server loop (coap_new_context + a resource handler) answers as
 * soon as the handler returns, one request at a time, which leaves one
 * fsync per event (about 3,000/s here); so the loop is ours and libcoap-3
 * decodes each datagram (analyzers/coapmsg.c, coap_pdu_parse).
 */
#ifndef COLLECT_H
#define COLLECT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COLLECT_BATCH		64	/* datagrams per write + fsync */
#define COLLECT_DEVICES		4096	/* devices tracked (dedup, rate) */
#define COLLECT_WINDOW		256	/* recent seqs remembered per device */

struct collect_opts {
	const char	*listen;	/* ADDR:PORT */
	const char	*out;		/* JSON lines file */
	double		 rate;		/* events/s per device; 0: no limit */
	double		 burst;		/* bucket size; 0: = rate */
	bool		 no_sync;	/* skip fdatasync (benchmarks only) */
	long		 max_events;	/* stop after storing N; 0: never */
};

struct collect_stats {
	uint64_t	datagrams;
	uint64_t	stored;		/* events written */
	uint64_t	duplicates;	/* events dropped as seen before */
	uint64_t	malformed;	/* datagrams answered 4.00 */
	uint64_t	limited;	/* datagrams answered 4.29 */
	uint64_t	not_found;	/* wrong path or method: 4.04 / 4.05 */
	uint64_t	batches;	/* write + fsync rounds */
	uint64_t	write_errors;	/* batches answered 5.03 */
	uint64_t	jumps;		/* stored events flagged seq_jump */
	uint64_t	evicted;	/* idle devices forgotten (table full) */
};

void	collect_opts_init(struct collect_opts *o);

/*
 * Run until SIGINT/SIGTERM (or max_events).  Prints "listening ADDR:PORT"
 * on stdout once the socket is bound.  Fills *st.  Returns 0, -1 on a
 * setup error or when a failed write could not be cut back off the file
 * (message on stderr), or COLLECT_FOREIGN_OUT.
 */
int	collect_run(const struct collect_opts *o, struct collect_stats *st);
/* collect_run()'s -2: --out holds something else (left untouched). */
#define COLLECT_FOREIGN_OUT	(-2)

/*
 * Parse --listen "IPv4:PORT" (port 0: any free port) into *sa.  Returns 0,
 * or -1 after a "cyanprobe: collect: --listen: ..." message.
 */
int	collect_listen_addr(const char *listen_on, struct sockaddr_in *sa);

/*
 * Check that `fd` holds this collector's JSON lines (empty, or its first
 * and last whole lines are collector events) and cut a partial last line
 * that the collector began (a crash mid-write), appending it with a
 * newline to the file `side` first.  Returns the bytes removed, -1 on an
 * I/O error, or -2 when the file is something else: then nothing is
 * changed.
 */
long	collect_trim(int fd, const char *side);

#endif /* COLLECT_H */
