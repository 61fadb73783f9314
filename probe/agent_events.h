/*
 * agent_events.h - the probe's side of the firmware agent's wire formats:
 * decode serial lines (agent_serial.c), CoAP payloads (agent_coap.c) and
 * the collector's JSON lines into records, put a device's timeline into a
 * report, and say where the device and the host disagree.
 *
 * The decoders (agent_line_parse, agent_payload_parse, agent_json_parse,
 * agent_json_format, agent_timeline_*) are pure: no I/O, no allocation
 * beyond cJSON's tree for one line, freed before they return.  Only
 * agent_events_load() reads a file.  Formats: docs/firmware-agent.md.
 */
#ifndef AGENT_EVENTS_H
#define AGENT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "report.h"

/* One decoded event. */
struct agent_rec {
	char		device[25];	/* 24 hex digits; "" when unknown */
	uint32_t	epoch;		/* ring epoch; 0 when unknown */
	uint32_t	seq, ms;
	int32_t		code;
	uint8_t		kind;		/* enum agent_kind */
	uint8_t		stage;		/* enum stage */
	uint8_t		fail;		/* enum stage_fail or enum agent_fact */
	uint8_t		dlen;
	char		detail[AGENT_DETAIL_MAX + 1];	/* NUL added */
};

enum agent_line {
	AGENT_LINE_OTHER,	/* not an agent line (device chatter) */
	AGENT_LINE_EVENT,	/* "CY1 E ...", checksum good */
	AGENT_LINE_DUMP,	/* "CY1 D ...", checksum good */
	AGENT_LINE_BAD		/* starts "CY1 " but garbled or bad checksum */
};

struct agent_dump {
	uint32_t	epoch, first, last;
};

/*
 * Decode one serial line (without or with its CR LF).  Fills *ev for an
 * event line and *d for a dump header; returns what the line was.
 */
enum agent_line agent_line_parse(const char *line, size_t len,
	    struct agent_rec *ev, struct agent_dump *d);

/*
 * Decode a CoAP payload of POST /e into out[0..max-1]; *n receives the event
 * count.  Every record gets the payload's device id and epoch.  Returns 0,
 * or -1 when the payload is malformed in any way (nothing should be kept).
 */
int	agent_payload_parse(const uint8_t *buf, size_t len,
	    struct agent_rec *out, size_t max, size_t *n);

/*
 * The collector's line for one event, built with cJSON, NUL-terminated,
 * "\n" included: {"device":"..","epoch":N,"seq":N,"ms":N,"stage":"..",
 * "event":"..","code":N,"detail":"..","rx":UNIX_MS}, and "seq_jump":true
 * when `seq_jump` (the event does not follow the device's previous one).
 * Detail bytes over 0x7f are read as Latin-1.  Returns the length, or 0
 * when cap is too small or memory ran out (AGENT_JSON_MAX always suffices
 * for the length).
 */
#define AGENT_JSON_MAX	384
size_t	agent_json_format(char *buf, size_t cap, const struct agent_rec *ev,
	    int64_t rx_ms, bool seq_jump);

/* Decode one collector line; 0, or -1 when it is not a valid event line. */
int	agent_json_parse(const char *line, size_t len, struct agent_rec *ev);

/* The event's wire name: "enter", "fail.cloud", "fact.rssi", ... */
const char *agent_rec_event(const struct agent_rec *ev, char *buf, size_t cap);

/* A device's timeline, bounded: the newest AGENT_TIMELINE_MAX events. */
#define AGENT_TIMELINE_MAX	256
struct agent_timeline {
	struct agent_rec ev[AGENT_TIMELINE_MAX];
	size_t		 n;
	size_t		 dropped;	/* older events not kept */
	size_t		 bad_lines;	/* garbled lines or bad checksums */
	size_t		 missing;	/* sequence numbers never seen */
	size_t		 other_devices;	/* events of other devices skipped */
	char		 device[25];
};

/* Empty timeline; init before adding. */
void	agent_timeline_init(struct agent_timeline *t);

/*
 * Add an event in arrival order.  A repeat of a (epoch, seq) already held is
 * ignored; a seq jump within an epoch counts the missing numbers.
 */
void	agent_timeline_add(struct agent_timeline *t,
	    const struct agent_rec *ev);

/* What the timeline says about the device now. */
struct agent_state {
	enum stage	stage;		/* where it last was */
	enum stage_fail	fail;		/* how that stage failed, or NONE */
	int32_t		code;		/* device's own error of that failure */
	uint32_t	max_gap_ms;	/* longest loop gap seen; 0: none */
	size_t		gaps;
	size_t		corrupt;	/* reset.corrupt or reset.version */
	size_t		boots;
	char		firmware[24];	/* fact.firmware, "" if none */
};
void	agent_timeline_state(const struct agent_timeline *t,
	    struct agent_state *st);

/*
 * Put the timeline into r: facts "agent" (device, counts, state, LED in
 * r->era, the events) and findings agent.loop_starved and agent.ring_corrupt.
 * Returns 0, or -1 when the report cannot take it (out of memory).
 */
int	agent_timeline_report(const struct agent_timeline *t, struct report *r,
	    const char *source);

/*
 * Read a serial dump (lines from `cyanprobe serial events`/`watch`, or raw
 * device output) or a collector file (JSON lines) from `path` ("-": stdin)
 * and put the device's timeline into r as agent_timeline_report() does.
 * Returns 0; -1 with a message on stderr when the file cannot be read or
 * holds no agent event.
 */
int	agent_events_load(const char *path, struct report *r);

/*
 * After report_decide(): add agent.disagrees when the device's failing
 * stage (facts "agent") differs from r->verdict's, or one of them fails
 * and the other does not.  A device still on its way (no failure, not
 * connected) says nothing.  Returns true when it added the finding.  Call
 * report_decide() again afterwards if the verdict should reflect it.
 */
bool	agent_events_compare(struct report *r);

#endif /* AGENT_EVENTS_H */
