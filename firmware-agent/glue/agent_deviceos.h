/*
 * agent_deviceos.h - Device OS glue for the firmware agent: subscribe to
 * System.on(network_status | cloud_status) and turn the notifications into
 * agent_stage()/agent_fail(), in AUTOMATIC, SEMI_AUTOMATIC and MANUAL
 * mode.  C, so it builds with the agent; a Device OS application calls it
 * from setup() and loop() (docs/firmware-agent.md has the example).
 */
#ifndef AGENT_DEVICEOS_H
#define AGENT_DEVICEOS_H

#include "agent.h"

enum agent_dos_mode {
	AGENT_DOS_AUTOMATIC,
	AGENT_DOS_SEMI_AUTOMATIC,
	AGENT_DOS_MANUAL
};

/*
 * From setup(): start the agent and subscribe to network_status and
 * cloud_status.  `last_error` (may be NULL) returns the last cloud
 * ProtocolError (diagnostic cloud:err), used when a handshake fails.
 * In SEMI_AUTOMATIC and MANUAL mode the glue also starts the cloud
 * connection, as the application would with Particle.connect().
 * Returns agent_init()'s value, or AGENT_ERR_ARG when subscribing fails.
 */
int	agent_deviceos_begin(const struct agent_port *port,
	    const struct agent_config *cfg, enum agent_dos_mode mode,
	    int (*last_error)(void));

/*
 * From loop(), every pass.  MANUAL mode runs Particle.process() here (the
 * application must call this often: the agent records a gap when it does
 * not); the other modes only poll the agent.
 */
void	agent_deviceos_loop(void);

/* The System.on() handler; public for the tests. */
void	agent_deviceos_event(uint64_t event, int param, void *pointer);

#endif /* AGENT_DEVICEOS_H */
