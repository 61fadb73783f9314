/*
 * agent.h - the firmware agent: the device's own record of its connect
 * stages and errors, kept across resets and handed to the probe.
 *
 * The application (or the Device OS glue in glue/agent_deviceos.c) calls
 * agent_stage() as the device moves along the connect path of stage.h,
 * agent_fail() when a stage fails, agent_fact() for RSSI, BSSID, IP and the
 * like, and agent_poll() from its loop.  Each call appends one event, with a
 * sequence number and a millisecond time, to a ring in the port's retained
 * region.  agent_poll() writes new events as serial lines (agent_serial.c)
 * and, when the port can send UDP, as CoAP POSTs to /e (agent_coap.c), and
 * turns a long pause between polls into a "gap" event.
 *
 * Freestanding C11: no allocation, no stdio, no blocking.  There is one agent
 * per program; the functions are not reentrant (call them from one thread).
 * Wire formats: docs/firmware-agent.md.
 */
#ifndef AGENT_H
#define AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent_config.h"
#include "port.h"
#include "stage.h"

/* What an event records; the names are those of the wire formats. */
enum agent_kind {
	AGENT_EV_RESET,		/* ring started afresh; code = agent_reset */
	AGENT_EV_BOOT,		/* agent_init(); code = boots so far */
	AGENT_EV_STAGE,		/* entered `stage` */
	AGENT_EV_FAIL,		/* `stage` failed as `fail`; code: device's */
	AGENT_EV_FACT,		/* `fail` holds the agent_fact key */
	AGENT_EV_GAP,		/* code = ms between two agent_poll() calls */
	AGENT_EV_COUNT
};

/* Why the ring was started afresh (code of an AGENT_EV_RESET). */
enum agent_reset {
	AGENT_RESET_COLD,	/* no ring there: first start or power-on */
	AGENT_RESET_VERSION,	/* a ring of another layout or size */
	AGENT_RESET_CORRUPT,	/* ring there but its CRC or indexes are bad */
	AGENT_RESET_COUNT
};

enum agent_fact {
	AGENT_FACT_RSSI,
	AGENT_FACT_CHANNEL,
	AGENT_FACT_BSSID,
	AGENT_FACT_SSID,
	AGENT_FACT_IP,
	AGENT_FACT_GATEWAY,
	AGENT_FACT_DNS,
	AGENT_FACT_MAC,
	AGENT_FACT_FIRMWARE,
	AGENT_FACT_PLATFORM,
	AGENT_FACT_MODE,	/* AUTOMATIC, SEMI_AUTOMATIC, MANUAL */
	AGENT_FACT_SERVER,	/* cloud host or address tried */
	AGENT_FACT_COUNT
};

/*
 * One event as stored in the ring: 16 + AGENT_DETAIL_MAX bytes and no
 * padding, so the ring's CRC covers only bytes the agent wrote.
 */
struct agent_event {
	uint32_t	seq;		/* 1, 2, ... per ring epoch */
	uint32_t	ms;		/* port->millis() when recorded */
	int32_t		code;		/* see enum agent_kind */
	uint8_t		kind;		/* enum agent_kind */
	uint8_t		stage;		/* enum stage */
	uint8_t		fail;		/* enum stage_fail or agent_fact */
	uint8_t		dlen;		/* bytes used in detail */
	char		detail[AGENT_DETAIL_MAX];
};

#define AGENT_RING_MAGIC	0x47415943u	/* "CYAG" little-endian */
#define AGENT_RING_VERSION	1

/*
 * The retained ring.  `crc` is CRC-32 over every byte of the struct but
 * itself; a ring whose magic, version, size, indexes or CRC disagree is
 * never read.
 */
struct agent_ring {
	uint32_t	magic;
	uint16_t	version;
	uint16_t	size;		/* AGENT_RING_SIZE of the writer */
	uint32_t	epoch;		/* random-ish, new per fresh ring */
	uint32_t	next_seq;	/* seq of the next event */
	uint16_t	head;		/* slot of the oldest event */
	uint16_t	count;		/* events held */
	uint32_t	boots;
	uint32_t	crc;
	struct agent_event ev[AGENT_RING_SIZE];
};

/* agent_config.flags */
#define AGENT_F_COAP_CON	0x01	/* confirmable POSTs, retransmitted */

struct agent_config {
	uint32_t	loop_gap_ms;	/* 0: AGENT_LOOP_GAP_MS */
	uint8_t		era;		/* enum led_era for agent_led() */
	uint8_t		flags;		/* AGENT_F_* */
	uint8_t		device_id[12];	/* the 96-bit device id */
};

/* Return values; the positive ones are information, not errors. */
#define AGENT_OK		0
#define AGENT_FRESH		1	/* init started a new ring */
#define AGENT_ERR_REGION	(-1)	/* no retained region, or too small */
#define AGENT_ERR_ARG		(-2)	/* stage, kind or key out of range */
#define AGENT_ERR_INIT		(-3)	/* agent_init() has not succeeded */

/*
 * Start the agent on `port`, keeping the ring in port->retained().  Both
 * pointers are borrowed and must stay valid until the next agent_init().
 * A valid ring from before a reset is kept and its timeline continues;
 * otherwise a new one starts with an AGENT_EV_RESET event saying why.
 * Appends an AGENT_EV_BOOT event.  Returns AGENT_OK, AGENT_FRESH or
 * AGENT_ERR_REGION.
 */
int	agent_init(const struct agent_port *port,
	    const struct agent_config *cfg);

/* Record entering stage `s`; clears the current failure.  0 or AGENT_ERR_*. */
int	agent_stage(enum stage s);

/*
 * Record that stage `s` failed with the device's own error `code` (a Device
 * OS ProtocolError, a WICED join result, -1 when none) and a short `detail`
 * (may be NULL; cut at AGENT_DETAIL_MAX bytes).  The failure kind is the
 * stage's default, except at the handshake, where ProtocolError 6 is
 * decrypt and 8 is auth, as Device OS shows them (particle-cloud.md 1.8).
 */
int	agent_fail(enum stage s, int32_t code, const char *detail);

/* As agent_fail(), with the failure kind given. */
int	agent_fail_as(enum stage s, enum stage_fail f, int32_t code,
	    const char *detail);

/* Record a fact: text (e.g. an address) or a number (RSSI in dBm). */
int	agent_fact(enum agent_fact key, const char *value);
int	agent_fact_int(enum agent_fact key, int32_t value);

/*
 * Call from the application loop as often as it runs.  Checks the loop gap,
 * then writes at most AGENT_SERIAL_BURST new serial lines and at most one
 * CoAP datagram.  Never waits.
 */
void	agent_poll(void);

/* A byte received on the serial link: 'e' asks for a dump of the ring. */
void	agent_serial_input(uint8_t c);

/*
 * A datagram from the collector.  An ACK ends a CON's retransmissions,
 * except 4.29 (rate limit) and 5.xx (not stored): then the same events go
 * again on the retransmission schedule.
 */
void	agent_coap_input(const void *buf, size_t len);

/* The LED signal the device shows now, from the shared stage model. */
struct led_signal agent_led(void);

/* The current stage and failure (STAGE_FAIL_NONE while in progress). */
enum stage	agent_current_stage(void);
enum stage_fail	agent_current_fail(void);

/*
 * Events held, oldest first: agent_event_at(0 .. agent_event_count()-1).
 * The pointer is into the ring and valid until the next recording call.
 */
size_t	agent_event_count(void);
const struct agent_event *agent_event_at(size_t i);

/* CoAP events sent (NON) or acknowledged (CON) so far; for tests. */
uint32_t agent_coap_next(void);

/*
 * CRC-32 (IEEE 802.3, reflected 0xEDB88320, as zlib's crc32()): start with
 * crc = 0 and feed the result back to continue over more bytes.
 */
uint32_t agent_crc32(uint32_t crc, const void *buf, size_t len);

/* Wire names ("boot", "rssi", "corrupt", ...); "unknown" if out of range. */
const char *agent_kind_name(enum agent_kind k);
const char *agent_fact_name(enum agent_fact k);
const char *agent_reset_name(enum agent_reset r);

/*
 * Encode one event as a serial line (CR LF included) into buf; returns the
 * length, or 0 when cap < AGENT_LINE_MAX.  agent_serial_header() writes the
 * line that starts a dump of events first..last of ring epoch `epoch`.
 */
size_t	agent_serial_encode(char *buf, size_t cap, const struct agent_event *e);
size_t	agent_serial_header(char *buf, size_t cap, uint32_t epoch,
	    uint32_t first, uint32_t last);

/*
 * Encode a CoAP POST /e (CON when `con`, else NON) with message id `mid`
 * carrying events *ev[0..n-1] of device `id`, ring epoch `epoch`, into buf.
 * Returns the datagram length, or 0 when cap is too small or n > 255.
 */
size_t	agent_coap_encode(uint8_t *buf, size_t cap, bool con, uint16_t mid,
	    const uint8_t id[12], uint32_t epoch,
	    const struct agent_event *const *ev, size_t n);

/*
 * When buf is a CoAP ACK for message id `mid`: its code (0x44 for 2.04);
 * an RST for it: 0; anything else: -1.
 */
int	agent_coap_ack_code(const void *buf, size_t len, uint16_t mid);

#endif /* AGENT_H */
