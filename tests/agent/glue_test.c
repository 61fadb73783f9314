/*
 * glue_test.c - firmware-agent/glue/agent_deviceos.c against the Device OS
 * shim: the System.on(network_status | cloud_status) notifications of a
 * good connect, a blocked cloud, a handshake error and a join failure,
 * in AUTOMATIC, SEMI_AUTOMATIC and MANUAL mode, land as the right stages
 * and LED; MANUAL runs Particle.process() from the loop and a starved loop
 * becomes a gap.  Built and run by tests/agent/suite.sh.
 */
#include <string.h>

#include "agent_deviceos.h"
#include "deviceos_shim.h"
#include "test.h"

int shim_process_calls, shim_connect_calls, shim_subscribed;
static system_event_handler_t *shim_handler;
static system_event_t shim_mask;

int
system_subscribe_event(system_event_t events, system_event_handler_t *h,
    void *reserved)
{
	(void)reserved;
	shim_handler = h;
	shim_mask = events;
	shim_subscribed++;
	return 0;
}

bool
spark_process(void)
{
	shim_process_calls++;
	return true;
}

void
spark_cloud_flag_connect(void)
{
	shim_connect_calls++;
}

void
shim_emit(system_event_t event, int param)
{
	if (shim_handler != NULL && (shim_mask & event) != 0)
		shim_handler(event, param, NULL);
}

static uint32_t now;
static union {
	struct agent_ring	ring;
	uint8_t			b[sizeof(struct agent_ring)];
} region;

static uint32_t
t_millis(void *ctx)
{
	(void)ctx;
	return now;
}

static void *
t_retained(void *ctx, size_t *len)
{
	(void)ctx;
	*len = sizeof(region);
	return &region;
}

static struct agent_port port = { t_millis, t_retained, NULL, NULL, NULL };
static struct agent_config cfg = { 0, LED_ERA_DEVICEOS, 0, { 0 } };
static int proto_error;

static int
last_err(void)
{
	return proto_error;
}

static const struct agent_event *
last_event(void)
{
	return agent_event_at(agent_event_count() - 1);
}

static void
start(enum agent_dos_mode mode)
{
	memset(&region, 0, sizeof(region));
	shim_process_calls = shim_connect_calls = shim_subscribed = 0;
	proto_error = 0;
	expect_int("begin", AGENT_FRESH, agent_deviceos_begin(&port, &cfg,
	    mode, last_err));
	expect_int("subscribed once", 1, shim_subscribed);
	test_cond("mode fact recorded", last_event()->kind == AGENT_EV_FACT &&
	    last_event()->fail == AGENT_FACT_MODE);
}

int
main(void)
{
	struct led_signal l;

	/* AUTOMATIC: a good connect (Device OS 2.2 sends every state). */
	start(AGENT_DOS_AUTOMATIC);
	expect_int("automatic does not connect by itself", 0,
	    shim_connect_calls);
	shim_emit(network_status, 4);	/* powering_on: ignored */
	shim_emit(network_status, 6);
	expect_int("connecting is wifi", STAGE_WIFI, agent_current_stage());
	shim_emit(network_status, 7);
	shim_emit(cloud_status, 1);
	expect_int("cloud connecting", STAGE_CLOUD, agent_current_stage());
	shim_emit(cloud_status, 2);
	expect_int("handshake", STAGE_HANDSHAKE, agent_current_stage());
	shim_emit(cloud_status, 8);
	expect_int("connected", STAGE_CONNECTED, agent_current_stage());
	l = agent_led();
	test_cond("breathing cyan", l.color == LED_CYAN &&
	    l.pattern == LED_BREATHE);

	/* SEMI_AUTOMATIC: the glue connects; the cloud is blocked. */
	start(AGENT_DOS_SEMI_AUTOMATIC);
	expect_int("semi-automatic connects", 1, shim_connect_calls);
	shim_emit(network_status, 6);
	shim_emit(network_status, 7);
	shim_emit(cloud_status, 1);
	shim_emit(cloud_status, 0);
	expect_int("blocked cloud fails at cloud", STAGE_CLOUD,
	    last_event()->stage);
	expect_int("as cloud", STAGE_FAIL_CLOUD, agent_current_fail());
	l = agent_led();
	test_cond("3 orange blinks", l.color == LED_ORANGE && l.count == 3);

	/* Before 2.2.0: no handshake state, the ProtocolError says it. */
	start(AGENT_DOS_SEMI_AUTOMATIC);
	shim_emit(network_status, 7);
	shim_emit(cloud_status, 1);
	proto_error = 8;	/* AUTHENTICATION_ERROR */
	shim_emit(cloud_status, 0);
	expect_int("auth error at the handshake", STAGE_FAIL_AUTH,
	    agent_current_fail());
	expect_int("code kept", 8, last_event()->code);

	/* MANUAL: the loop runs Particle.process(); a starved loop shows. */
	start(AGENT_DOS_MANUAL);
	expect_int("manual connects", 1, shim_connect_calls);
	shim_emit(network_status, 6);
	shim_emit(network_status, 11);
	expect_int("join failure", STAGE_FAIL_JOIN, agent_current_fail());
	shim_emit(network_status, 6);
	shim_emit(network_status, 7);
	shim_emit(cloud_status, 1);
	now = 10000;
	agent_deviceos_loop();
	now += 50;
	agent_deviceos_loop();
	expect_int("process from the loop", 2, shim_process_calls);
	now += 5000;
	agent_deviceos_loop();
	expect_int("starved loop recorded", AGENT_EV_GAP, last_event()->kind);
	expect_int("gap length", 5000, last_event()->code);
	l = agent_led();
	test_cond("breathing green", l.color == LED_GREEN &&
	    l.pattern == LED_BREATHE);
	return test_report();
}
