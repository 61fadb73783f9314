/*
 * agent_config.h - compile-time sizes and thresholds of the firmware agent.
 * Everything the agent stores is sized here, so a build can be checked for
 * RAM before it runs; override any of these with -D on the compiler line.
 */
#ifndef AGENT_CONFIG_H
#define AGENT_CONFIG_H

/* Events kept in the retained ring; the oldest is overwritten first. */
#ifndef AGENT_RING_SIZE
#define AGENT_RING_SIZE		32
#endif

/* Bytes of free text per event (not NUL-terminated in the ring). */
#ifndef AGENT_DETAIL_MAX
#define AGENT_DETAIL_MAX	20
#endif

/*
 * A gap between two agent_poll() calls longer than this is an event.  The
 * system loop needs servicing well inside the cloud's keep-alive; a second
 * without Spark.process() already shows in MANUAL-mode applications that
 * later lose the cloud (seed: "call Spark.process() as frequently as
 * possible").
 */
#ifndef AGENT_LOOP_GAP_MS
#define AGENT_LOOP_GAP_MS	1000
#endif

/* Serial lines written per agent_poll(), so one poll stays short. */
#ifndef AGENT_SERIAL_BURST
#define AGENT_SERIAL_BURST	4
#endif

/* 0 leaves the CoAP sender out (serial only); `make firmware` sizes both. */
#ifndef AGENT_WITH_COAP
#define AGENT_WITH_COAP		1
#endif

/* Events per CoAP POST, and the CON retransmission schedule (RFC 7252 4.8). */
#ifndef AGENT_COAP_BATCH
#define AGENT_COAP_BATCH	4
#endif
#ifndef AGENT_COAP_ACK_TIMEOUT_MS
#define AGENT_COAP_ACK_TIMEOUT_MS 2000
#endif
#ifndef AGENT_COAP_MAX_RETRANSMIT
#define AGENT_COAP_MAX_RETRANSMIT 4
#endif

/* Longest serial line, CR LF included; agent_serial.c checks it fits. */
#define AGENT_LINE_MAX		160

/* Largest CoAP datagram the agent builds (header, options, payload). */
#define AGENT_COAP_MAX		(16 + 14 + \
				 AGENT_COAP_BATCH * (16 + AGENT_DETAIL_MAX))

#endif /* AGENT_CONFIG_H */
