/*
 * agent.c - the agent's state: the retained ring (with its integrity
 * check across resets), recording, the loop-gap watch, and the pacing of
 * serial lines and CoAP datagrams from agent_poll().  The encoders are in
 * agent_serial.c and agent_coap.c; the LED comes from the shared stage.c.
 */
#include "agent.h"

/*
 * All non-retained state.  Kept small on purpose (docs/firmware-agent.md,
 * footprint): the ring itself lives in the port's retained region.
 */
static struct {
	const struct agent_port	*port;
	const struct agent_config *cfg;
	struct agent_ring	*ring;
	uint32_t		 last_poll;	/* ms of the last poll */
	uint32_t		 serial_next;	/* seq of the next line */
	uint32_t		 coap_next;	/* seq of the next to POST */
	uint32_t		 coap_sent;	/* ms the CON went out */
	uint16_t		 coap_mid;	/* its message id */
	uint8_t			 coap_n;	/* its events; 0: none */
	uint8_t			 coap_tries;
	uint8_t			 stage;		/* enum stage now */
	uint8_t			 fail;		/* enum stage_fail now */
	uint8_t			 polled;	/* last_poll is meaningful */
	uint8_t			 dump;		/* a dump header is owed */
} ag;

/* Device OS ProtocolError values that have their own LED (protocol_defs.h). */
#define PROTO_DECRYPTION_ERROR		6
#define PROTO_AUTHENTICATION_ERROR	8

#define RING_CRC_OFFSET	((size_t)&((struct agent_ring *)0)->crc)

static uint32_t
ring_crc(const struct agent_ring *r)
{
	uint32_t crc;

	crc = agent_crc32(0, r, RING_CRC_OFFSET);
	return agent_crc32(crc, r->ev, sizeof(r->ev));
}

static void
ring_seal(struct agent_ring *r)
{
	r->crc = ring_crc(r);
}

static void
zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n-- > 0)
		*b++ = 0;
}

/* Which agent_reset reason applies to the region, or -1 if the ring is good. */
static int
ring_check(const struct agent_ring *r)
{
	if (r->magic != AGENT_RING_MAGIC)
		return AGENT_RESET_COLD;
	if (r->version != AGENT_RING_VERSION || r->size != AGENT_RING_SIZE)
		return AGENT_RESET_VERSION;
	if (r->head >= AGENT_RING_SIZE || r->count > AGENT_RING_SIZE ||
	    r->next_seq < r->count + 1u || ring_crc(r) != r->crc)
		return AGENT_RESET_CORRUPT;
	return -1;
}

/* Oldest seq held, or next_seq when the ring is empty. */
static uint32_t
ring_first(const struct agent_ring *r)
{
	return r->next_seq - r->count;
}

static struct agent_event *
ring_slot(struct agent_ring *r, uint32_t seq)
{
	uint32_t back = r->next_seq - seq;	/* 1 for the newest */

	return &r->ev[(r->head + r->count - back) % AGENT_RING_SIZE];
}

static int
record(uint8_t kind, uint8_t stage, uint8_t fail, int32_t code,
    const char *detail, size_t dlen)
{
	struct agent_ring *r = ag.ring;
	struct agent_event *e;
	size_t i;

	if (r == NULL)
		return AGENT_ERR_INIT;
	if (r->count == AGENT_RING_SIZE) {
		r->head = (uint16_t)((r->head + 1) % AGENT_RING_SIZE);
		r->count--;
	}
	e = &r->ev[(r->head + r->count) % AGENT_RING_SIZE];
	zero(e, sizeof(*e));
	e->seq = r->next_seq;
	e->ms = ag.port->millis(ag.port->ctx);
	e->code = code;
	e->kind = kind;
	e->stage = stage;
	e->fail = fail;
	if (dlen > AGENT_DETAIL_MAX)
		dlen = AGENT_DETAIL_MAX;
	for (i = 0; i < dlen; i++)
		e->detail[i] = detail[i];
	e->dlen = (uint8_t)dlen;
	r->count++;
	r->next_seq++;
	ring_seal(r);
	return AGENT_OK;
}

int
agent_init(const struct agent_port *port, const struct agent_config *cfg)
{
	struct agent_ring *r;
	size_t len = 0;
	int why;

	zero(&ag, sizeof(ag));
	r = port->retained != NULL ? port->retained(port->ctx, &len) : NULL;
	if (r == NULL || len < sizeof(*r) || ((uintptr_t)r & 3) != 0)
		return AGENT_ERR_REGION;
	ag.port = port;
	ag.cfg = cfg;
	ag.stage = STAGE_POWER;
	ag.fail = STAGE_FAIL_NONE;
	if ((why = ring_check(r)) >= 0) {
		/*
		 * Whatever was there (power-on noise, a half-written ring)
		 * seeds the new epoch, so a collector can tell this ring's
		 * sequence numbers from the previous one's.
		 */
		uint32_t epoch = agent_crc32(0, r, sizeof(*r)) ^
		    port->millis(port->ctx);

		zero(r, sizeof(*r));
		r->magic = AGENT_RING_MAGIC;
		r->version = AGENT_RING_VERSION;
		r->size = AGENT_RING_SIZE;
		r->epoch = epoch != 0 ? epoch : 1;
		r->next_seq = 1;
		ag.ring = r;
		record(AGENT_EV_RESET, STAGE_POWER, 0, why, NULL, 0);
	}
	ag.ring = r;
	r->boots++;
	record(AGENT_EV_BOOT, STAGE_POWER, 0, (int32_t)r->boots, NULL, 0);
	/* Older events go out on request ('e'); this boot's go live. */
	ag.serial_next = why >= 0 ? 1 : r->next_seq - 1;
	ag.coap_next = ring_first(r);
	ag.coap_mid = (uint16_t)(r->epoch ^ r->boots << 8);
	return why >= 0 ? AGENT_FRESH : AGENT_OK;
}

static size_t
str_len(const char *s, size_t max)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/*
 * Check and record one event; entering or failing a stage also sets what
 * agent_led() shows.  `fail` is an agent_fact key for facts.
 */
static int
note(uint8_t kind, enum stage s, unsigned fail, int32_t code,
    const char *detail)
{
	if ((unsigned)s >= STAGE_COUNT || fail >= (kind == AGENT_EV_FACT ?
	    (unsigned)AGENT_FACT_COUNT : (unsigned)STAGE_FAIL_COUNT))
		return AGENT_ERR_ARG;
	if (ag.ring == NULL)
		return AGENT_ERR_INIT;
	if (kind != AGENT_EV_FACT) {
		ag.stage = (uint8_t)s;
		ag.fail = (uint8_t)fail;
	}
	return record(kind, (uint8_t)s, (uint8_t)fail, code, detail,
	    str_len(detail, AGENT_DETAIL_MAX));
}

int
agent_stage(enum stage s)
{
	return note(AGENT_EV_STAGE, s, STAGE_FAIL_NONE, 0, NULL);
}

int
agent_fail_as(enum stage s, enum stage_fail f, int32_t code,
    const char *detail)
{
	return note(AGENT_EV_FAIL, s, (unsigned)f, code, detail);
}

int
agent_fail(enum stage s, int32_t code, const char *detail)
{
	enum stage_fail f = stage_default_fail(s);

	if (s == STAGE_HANDSHAKE && code == PROTO_DECRYPTION_ERROR)
		f = STAGE_FAIL_DECRYPT;
	else if (s == STAGE_HANDSHAKE && code == PROTO_AUTHENTICATION_ERROR)
		f = STAGE_FAIL_AUTH;
	return note(AGENT_EV_FAIL, s, (unsigned)f, code, detail);
}

int
agent_fact(enum agent_fact key, const char *value)
{
	return note(AGENT_EV_FACT, (enum stage)ag.stage, (unsigned)key, 0,
	    value);
}

int
agent_fact_int(enum agent_fact key, int32_t value)
{
	return note(AGENT_EV_FACT, (enum stage)ag.stage, (unsigned)key, value,
	    NULL);
}

static void
poll_gap(uint32_t now)
{
	uint32_t limit = ag.cfg->loop_gap_ms != 0 ? ag.cfg->loop_gap_ms :
	    AGENT_LOOP_GAP_MS;
	uint32_t gap = now - ag.last_poll;

	if (ag.polled && gap > limit) {
		/*
		 * Wi-Fi up, cloud not reached, and the loop starved: Device
		 * OS shows breathing green for exactly this.
		 */
		if (ag.stage == STAGE_CLOUD && ag.fail == STAGE_FAIL_NONE)
			ag.fail = STAGE_FAIL_STARVED;
		record(AGENT_EV_GAP, ag.stage, ag.fail,
		    gap > 0x7fffffffu ? 0x7fffffff : (int32_t)gap, NULL, 0);
	}
	ag.last_poll = now;
	ag.polled = 1;
}

static void
poll_serial(void)
{
	const struct agent_port *p = ag.port;
	struct agent_ring *r = ag.ring;
	char line[AGENT_LINE_MAX];
	size_t n;
	int i;

	if (p->serial_write == NULL)
		return;
	if (ag.dump) {
		n = agent_serial_header(line, sizeof(line), r->epoch,
		    ring_first(r), r->next_seq - 1);
		if (p->serial_write(p->ctx, line, n) <= 0)
			return;
		ag.dump = 0;
		ag.serial_next = ring_first(r);
	}
	for (i = 0; i < AGENT_SERIAL_BURST && ag.serial_next < r->next_seq;
	    i++) {
		/* Lines the ring no longer holds show up as a seq gap. */
		if (ag.serial_next < ring_first(r))
			ag.serial_next = ring_first(r);
		n = agent_serial_encode(line, sizeof(line),
		    ring_slot(r, ag.serial_next));
		if (n == 0 || p->serial_write(p->ctx, line, n) <= 0)
			return;
		ag.serial_next++;
	}
}

#if AGENT_WITH_COAP
static void
poll_coap(uint32_t now)
{
	const struct agent_port *p = ag.port;
	struct agent_ring *r = ag.ring;
	const struct agent_event *batch[AGENT_COAP_BATCH];
	uint8_t dgram[AGENT_COAP_MAX];
	bool con = (ag.cfg->flags & AGENT_F_COAP_CON) != 0;
	size_t n, len;

	if (p->udp_send == NULL)
		return;
	if (ag.coap_n != 0) {
		/* RFC 7252 4.2: double the timeout on each retransmission. */
		if (now - ag.coap_sent <
		    (uint32_t)AGENT_COAP_ACK_TIMEOUT_MS << ag.coap_tries)
			return;
		if (ag.coap_tries >= AGENT_COAP_MAX_RETRANSMIT) {
			/* Give up on this batch; it stays in the ring. */
			ag.coap_next += ag.coap_n;
			ag.coap_n = 0;
			return;
		}
		ag.coap_tries++;
	} else
		ag.coap_mid++;
	if (ag.coap_next < ring_first(r))
		ag.coap_next = ring_first(r);
	for (n = 0; n < AGENT_COAP_BATCH && ag.coap_next + n < r->next_seq;
	    n++)
		batch[n] = ring_slot(r, ag.coap_next + (uint32_t)n);
	if (n == 0)
		return;
	len = agent_coap_encode(dgram, sizeof(dgram), con, ag.coap_mid,
	    ag.cfg->device_id, r->epoch, batch, n);
	if (len == 0 || p->udp_send(p->ctx, dgram, len) != 0) {
		/* Not online yet: the same events go with the next try. */
		if (ag.coap_n == 0)
			ag.coap_mid--;
		else
			ag.coap_tries--;
		return;
	}
	if (!con) {
		ag.coap_next += (uint32_t)n;
		return;
	}
	ag.coap_n = (uint8_t)n;
	ag.coap_sent = now;
}
#endif /* AGENT_WITH_COAP */

void
agent_poll(void)
{
	uint32_t now;

	if (ag.ring == NULL)
		return;
	now = ag.port->millis(ag.port->ctx);
	poll_gap(now);
	poll_serial();
#if AGENT_WITH_COAP
	poll_coap(now);
#endif
}

void
agent_serial_input(uint8_t c)
{
	if (c == 'e' && ag.ring != NULL)
		ag.dump = 1;
}

void
agent_coap_input(const void *buf, size_t len)
{
#if AGENT_WITH_COAP
	int code;

	if (ag.coap_n == 0 ||
	    (code = agent_coap_ack_code(buf, len, ag.coap_mid)) < 0)
		return;
	/* 4.29 Too Many Requests, 5.xx: not stored, so not done. */
	if (code == 0x9d || code >= 0xa0)
		return;
	ag.coap_next += ag.coap_n;
	ag.coap_n = 0;
	ag.coap_tries = 0;
#else
	(void)buf;
	(void)len;
#endif
}

struct led_signal
agent_led(void)
{
	const struct stage_signal *s;
	enum led_era era = ag.cfg != NULL && ag.cfg->era < LED_ERA_COUNT ?
	    (enum led_era)ag.cfg->era : LED_ERA_DEVICEOS;
	struct led_signal dark = { LED_OFF, LED_SOLID, 0 };

	s = stage_lookup((enum stage)ag.stage, (enum stage_fail)ag.fail, era);
	/* A failure this era has no signal for shows as still in progress. */
	if (s == NULL)
		s = stage_lookup((enum stage)ag.stage, STAGE_FAIL_NONE, era);
	return s != NULL ? s->led : dark;
}

enum stage
agent_current_stage(void)
{
	return (enum stage)ag.stage;
}

enum stage_fail
agent_current_fail(void)
{
	return (enum stage_fail)ag.fail;
}

size_t
agent_event_count(void)
{
	return ag.ring != NULL ? ag.ring->count : 0;
}

const struct agent_event *
agent_event_at(size_t i)
{
	if (ag.ring == NULL || i >= ag.ring->count)
		return NULL;
	return &ag.ring->ev[(ag.ring->head + i) % AGENT_RING_SIZE];
}

uint32_t
agent_coap_next(void)
{
	return ag.coap_next;
}
