/*
 * agent_deviceos.c - the Device OS glue of agent_deviceos.h.  Device OS
 * 0.7.0 and later notify network_status and cloud_status changes
 * (particle-cloud.md 4.1); this maps them onto the connect stages of
 * stage.h.  Built against Device OS's C API (system_subscribe_event,
 * spark_process, spark_cloud_flag_connect), or against the test shim
 * tests/agent/deviceos_shim.h when AGENT_DEVICEOS_SHIM is defined.
 */
#ifdef AGENT_DEVICEOS_SHIM
#include "deviceos_shim.h"
#else
#include "system_event.h"
#include "system_cloud.h"
#endif

#include "agent_deviceos.h"

/* network_status values (system_event.h); bit 0 marks a resting state. */
#define NET_OFF			3
#define NET_CONNECTING		6
#define NET_CONNECTED		7
#define NET_DISCONNECTED	11
/* cloud_status values; 2 and 3 only from Device OS 2.2.0 on. */
#define CLOUD_DISCONNECTED	0
#define CLOUD_CONNECTING	1
#define CLOUD_HANDSHAKE		2
#define CLOUD_SESSION_RESUME	3
#define CLOUD_CONNECTED		8

static int		(*dos_last_error)(void);
static uint8_t		 dos_mode;

static int
last_error(void)
{
	return dos_last_error != NULL ? dos_last_error() : -1;
}

static void
on_network(int param)
{
	enum stage now = agent_current_stage();

	switch (param) {
	case NET_CONNECTING:
		agent_stage(STAGE_WIFI);
		break;
	case NET_CONNECTED:
		/* Joined and addressed: Device OS reports both at once. */
		agent_stage(STAGE_DHCP);
		agent_stage(STAGE_INTERNET);
		break;
	case NET_DISCONNECTED:
		/* Dropped while joining: the join failed. */
		if (now == STAGE_WIFI &&
		    agent_current_fail() == STAGE_FAIL_NONE)
			agent_fail(STAGE_WIFI, -1, "join failed");
		break;
	case NET_OFF:
		agent_stage(STAGE_POWER);
		break;
	default:
		break;
	}
}

static void
on_cloud(int param)
{
	enum stage now = agent_current_stage();

	switch (param) {
	case CLOUD_CONNECTING:
		agent_stage(STAGE_CLOUD);
		break;
	case CLOUD_HANDSHAKE:
	case CLOUD_SESSION_RESUME:
		agent_stage(STAGE_HANDSHAKE);
		break;
	case CLOUD_CONNECTED:
		agent_stage(STAGE_CONNECTED);
		break;
	case CLOUD_DISCONNECTED:
		/*
		 * Back to disconnected without getting there: the socket or
		 * the handshake failed.  Before 2.2.0 there is no handshake
		 * notification, so a ProtocolError says it was the handshake.
		 */
		if (agent_current_fail() != STAGE_FAIL_NONE)
			break;
		if (now == STAGE_HANDSHAKE || (now == STAGE_CLOUD &&
		    last_error() > 0))
			agent_fail(STAGE_HANDSHAKE, last_error(), "handshake");
		else if (now == STAGE_CLOUD)
			agent_fail(STAGE_CLOUD, last_error(), "cloud connect");
		else if (now == STAGE_CONNECTED)
			agent_fail(STAGE_CLOUD, last_error(), "cloud lost");
		break;
	default:
		break;
	}
}

void
agent_deviceos_event(uint64_t event, int param, void *pointer)
{
	(void)pointer;
	if (event & network_status)
		on_network(param);
	else if (event & cloud_status)
		on_cloud(param);
}

int
agent_deviceos_begin(const struct agent_port *port,
    const struct agent_config *cfg, enum agent_dos_mode mode,
    int (*err)(void))
{
	static const char *const names[] = {
		"AUTOMATIC", "SEMI_AUTOMATIC", "MANUAL",
	};
	int rc;

	dos_last_error = err;
	dos_mode = (uint8_t)mode;
	if ((rc = agent_init(port, cfg)) < 0)
		return rc;
	agent_fact(AGENT_FACT_MODE, names[mode <= AGENT_DOS_MANUAL ? mode : 0]);
	if (system_subscribe_event(network_status | cloud_status,
	    agent_deviceos_event, NULL) != 0)
		return AGENT_ERR_ARG;
	/* AUTOMATIC connects by itself; the others wait to be told. */
	if (mode != AGENT_DOS_AUTOMATIC)
		spark_cloud_flag_connect();
	return rc;
}

void
agent_deviceos_loop(void)
{
	if (dos_mode == AGENT_DOS_MANUAL)
		spark_process();
	agent_poll();
}
