/*
 * qa_plan.h - a router QA plan (`cyanprobe qa`): the stations, the routers
 * with their firmware versions, configurations and hooks, the devices and
 * device firmware to judge for, the tests, and where the checks send their
 * packets.  A plan is YAML (libyaml) or JSON (cJSON); both are read into one
 * cJSON tree and validated as strictly as rules/ is: every error names the
 * file, the JSON path and the reason.  The format is docs/qa.md, its JSON
 * Schema docs/qa-plan.schema.json.
 *
 * A cell is one router x router firmware x configuration, measured from the
 * station that reaches that router, by the plan's tests, or by those its
 * router names (`tests`: a router whose fault only one test shows need not
 * run the others).  Credentials are only ever the names
 * of environment variables; a plan that holds a value is refused.
 */
#ifndef QA_PLAN_H
#define QA_PLAN_H

#include <net/if.h>

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#define QA_PLAN_SCHEMA		"cyanprobe-qa-plan/1"
#define QA_ID_MAX		64
#define QA_TEXT_MAX		128
#define QA_HOOK_MAX		1024
#define QA_STATIONS_MAX		64
#define QA_ROUTERS_MAX		256
#define QA_ROUTER_FW_MAX	16
#define QA_ROUTER_CFG_MAX	16
#define QA_CREDS_MAX		8
#define QA_DEVICES_MAX		8
#define QA_DEVICE_FW_MAX	16
#define QA_TESTS_MAX		16
#define QA_TEST_OPTS_MAX	8
#define QA_CELL_ID_MAX		(3 * QA_ID_MAX + 3)
#define QA_PLAN_FILE_MAX	(1024 * 1024)

struct qa_station {
	char	id[QA_ID_MAX];
	char	runner_tag[QA_ID_MAX];	/* the CI runner tag; default: id */
	char	iface[IF_NAMESIZE];	/* the LAN interface; "" as routed */
	char	netns[QA_ID_MAX];	/* a named network namespace, or "" */
};

/* A credential: its name in the plan and the variable that holds it. */
struct qa_cred {
	char	name[QA_ID_MAX];
	char	env[QA_ID_MAX];
};

/*
 * The router's hooks.  reserve, power_cycle and release are jobs of `qa
 * run`; the WAN hooks (and power_cycle again) are handed to the router
 * tests that need them (wan-recovery, dhcp-time).
 */
enum qa_hook {
	QA_HOOK_RESERVE,
	QA_HOOK_POWER_CYCLE,
	QA_HOOK_RELEASE,
	QA_HOOK_WAN_DOWN,
	QA_HOOK_WAN_UP,
	QA_HOOK_WAN_RENUMBER,
	QA_HOOK_COUNT
};

struct qa_router {
	char		id[QA_ID_MAX];
	char		vendor[QA_TEXT_MAX], model[QA_TEXT_MAX];
	char		hardware[QA_TEXT_MAX];
	char		station[QA_ID_MAX];
	char		firmware[QA_ROUTER_FW_MAX][QA_ID_MAX];
	size_t		nfirmware;
	char		config[QA_ROUTER_CFG_MAX][QA_ID_MAX];
	char		config_station[QA_ROUTER_CFG_MAX][QA_ID_MAX];
	size_t		nconfig;
	char		hook[QA_HOOK_COUNT][QA_HOOK_MAX];	/* "" none */
	struct qa_cred	cred[QA_CREDS_MAX];
	size_t		ncred;
	/* `tests`: names of the plan's tests this router runs; none: all. */
	char		test_name[QA_TESTS_MAX][QA_ID_MAX];
	size_t		ntest_names;
	unsigned	tests;		/* bit t: runs plan->test[t] */
};

struct qa_device {
	char	name[16];		/* a profile in rules/devices */
	char	firmware[QA_DEVICE_FW_MAX][32];
	size_t	nfirmware;
};

/* A router test's setting from the plan, as its `qa test` option. */
struct qa_test_opt {
	const char	*flag;			/* "--responder"; static */
	char		 value[QA_TEXT_MAX];	/* seconds as "%g" */
};

struct qa_test {
	char	name[QA_ID_MAX];	/* a name of qa_tests.h */
	bool	exclusive;		/* runs alone: reboots, WAN changes */
	double	timeout;		/* seconds; 0: the plan's */
	double	max;			/* router tests: `max`; 0: default */
	struct qa_test_opt opt[QA_TEST_OPTS_MAX];	/* router tests */
	size_t	nopt;
};

/* Where the checks send their packets, and how long they wait. */
struct qa_targets {
	char	cloud[QA_TEXT_MAX];		/* HOST[:PORT]; "" profile's */
	char	internet_test[QA_TEXT_MAX];	/* HOST[:PORT] */
	char	ntp[QA_TEXT_MAX];
	char	portal_url[2 * QA_TEXT_MAX];
	char	dns[QA_TEXT_MAX];		/* A.B.C.D[,...] */
	double	timeout;			/* --timeout; 0: default */
	double	dhcp_window;			/* --dhcp-window; 0: default */
	double	dhcp_grace;			/* --dhcp-grace; 0: default */
};

struct qa_cell {
	char	id[QA_CELL_ID_MAX];	/* ROUTER/FIRMWARE/CONFIG */
	size_t	router, firmware, config;
	size_t	station;		/* index into plan->station */
};

struct qa_plan {
	char			 name[QA_ID_MAX];
	char			 file[256];
	char			 hash[65];	/* SHA-256 of the file, hex */
	struct qa_station	 station[QA_STATIONS_MAX];
	size_t			 nstations;
	struct qa_router	 router[QA_ROUTERS_MAX];
	size_t			 nrouters;
	struct qa_device	 device[QA_DEVICES_MAX];
	size_t			 ndevices;
	struct qa_test		 test[QA_TESTS_MAX];
	size_t			 ntests;
	struct qa_targets	 targets;
	struct qa_cell		*cell;		/* owned */
	size_t			 ncells;
	cJSON			*json;		/* the plan as read; owned */
};

/*
 * Read and validate the plan in `path` (YAML, or JSON when it starts with
 * "{").  Returns a new plan (free with qa_plan_free), or NULL with
 * "FILE: $.PATH: reason" (or "FILE:LINE:COL: reason" for YAML syntax) in
 * err.  Device names and firmware are checked against the loaded rules
 * only when `rules` is not NULL.
 */
struct rules;
struct qa_plan	*qa_plan_load(const char *path, const struct rules *rules,
		    char *err, size_t errlen);

/* The same from text (len bytes); `file` names it in messages. */
struct qa_plan	*qa_plan_parse(const char *text, size_t len, const char *file,
		    const struct rules *rules, char *err, size_t errlen);

void		 qa_plan_free(struct qa_plan *p);

/* Does cell c run the plan's test t (its router's `tests`)? */
bool		 qa_plan_runs(const struct qa_plan *p, const struct qa_cell *c,
		    size_t t);

/* The cell with this id, or NULL. */
const struct qa_cell *qa_plan_cell(const struct qa_plan *p, const char *id);

/* Stable names of the hooks, as in the plan: "power_cycle", ... */
const char	*qa_hook_name(enum qa_hook h);

#endif /* QA_PLAN_H */
