/*
 * qa_tests.h - the tests a QA plan can name, one row each in the table of
 * qa_tests.c.  A test measures one cell from its station and fills a
 * struct report (facts and the findings it observed); the judge
 * (analyzers/qajudge.h) later turns those into verdicts for each device and
 * firmware.  A test with variants (the internet test is TCP on some
 * firmware and NTP on others) runs once per variant the plan's devices
 * need, and each device firmware is judged on its own variant.
 *
 * To add a test: write its run function, add one row to the table.
 */
#ifndef QA_TESTS_H
#define QA_TESTS_H

#include <stdbool.h>
#include <stddef.h>

#include "qa_plan.h"
#include "rules.h"

#define QA_VARIANT_MAX	16
#define QA_HOOK_BIT(h)	(1u << (h))

/* What a test gets: the plan, the cell, and the station it runs from. */
struct qa_test_ctx {
	const struct qa_plan	*plan;
	const struct qa_cell	*cell;
	const struct qa_station	*station;
	const struct qa_test	*test;
	const struct rules	*rules;
	const char		*variant;	/* "" when the test has none */
	const char		*device;	/* a device and firmware of */
	const char		*firmware;	/* the plan judged on it */
	const char		*rules_dir;	/* --rules; NULL: default */
};

/*
 * A key a plan's test object may hold for this test (beside name,
 * exclusive, timeout), and the `qa test` option it becomes.
 */
enum qa_test_key_type {
	QA_KEY_SECONDS,		/* a number of seconds */
	QA_KEY_DURATIONS,	/* durations, comma-separated: "15s,25s" */
	QA_KEY_IPV4,		/* A.B.C.D */
	QA_KEY_IPV4_PORT,	/* A.B.C.D[:PORT] */
	QA_KEY_MAC,
	QA_KEY_NAME		/* a DNS name */
};

struct qa_test_key {
	const char		*key;		/* "responder" */
	const char		*flag;		/* "--responder" */
	enum qa_test_key_type	 type;
	bool			 required;
};

struct qa_testdef {
	const char	*name;
	bool		 exclusive;	/* runs alone unless the plan says */
	const char	*summary;
	/* The plan keys of a router test; NULL-key terminated, or NULL. */
	const struct qa_test_key *keys;
	/*
	 * The router hooks handed to the test when the router has them (bits
	 * 1 << enum qa_hook).  With the WAN ones, `qa check` wants wan_down
	 * and wan_up, or wan_renumber, on every router.
	 */
	unsigned	 hooks;
	double		 default_max;	/* router tests: `max` default, s */
	/*
	 * Measure, in a child process already inside the station's network
	 * namespace, writing the JSON report to json_path.  Returns an exit
	 * status of log.h: EXIT_OK or EXIT_PROBLEMS when the report is
	 * written, EXIT_USAGE or EXIT_RUNTIME when the test could not run.
	 */
	int		(*run)(const struct qa_test_ctx *ctx,
			    const char *json_path);
	/*
	 * The variant firmware fw of profile p is judged on, or NULL when
	 * the test has no variants.
	 */
	const char	*(*variant)(const struct profile *p,
			    const struct fw_version *fw);
	/*
	 * The variant a store written by an older cyanprobe holds for fw,
	 * where the test had variants then and has none now; the judge falls
	 * back to it.  NULL: none.
	 */
	const char	*(*old_variant)(const struct profile *p,
			    const struct fw_version *fw);
};

/* The test called `name`, or NULL. */
const struct qa_testdef	*qa_tests_find(const char *name);

/* Every test, in table order; NULL after the last. */
const struct qa_testdef	*qa_tests_at(size_t i);

/*
 * How long `qa run` lets a job of test t run (seconds): a router test its
 * `max` and a margin, diagnose a multiple of its timeout `base`.
 */
double			 qa_tests_limit(const struct qa_testdef *def,
			    const struct qa_test *t, double base);

/* The `qa test` option a router hook becomes ("--down-cmd"), or NULL. */
const char		*qa_test_hook_flag(enum qa_hook h);

#endif /* QA_TESTS_H */
