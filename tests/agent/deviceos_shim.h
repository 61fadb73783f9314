/*
 * deviceos_shim.h - the few Device OS C calls the agent's glue uses,
 * emulated for tests: system_subscribe_event() keeps the handler so a test
 * can fire network_status/cloud_status notifications with shim_emit(), and
 * spark_process()/spark_cloud_flag_connect() only count their calls.  The
 * names follow Device OS (system_event.h, system_cloud.h); the bit values
 * are the shim's own.
 */
#ifndef DEVICEOS_SHIM_H
#define DEVICEOS_SHIM_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t system_event_t;
typedef void (system_event_handler_t)(system_event_t event, int param,
    void *pointer);

#define network_status	((system_event_t)1 << 5)
#define cloud_status	((system_event_t)1 << 6)

int	system_subscribe_event(system_event_t events,
	    system_event_handler_t *handler, void *reserved);
bool	spark_process(void);
void	spark_cloud_flag_connect(void);

/* Test side. */
void	shim_emit(system_event_t event, int param);
extern int shim_process_calls, shim_connect_calls, shim_subscribed;

#endif /* DEVICEOS_SHIM_H */
