/*
 * qa_tests.c - the table of tests a QA plan can name (qa_tests.h).
 *
 * `diagnose` is the connect path of `cyanprobe diagnose`, run as that very
 * command (cmd_diagnose) with the plan's targets and the station's
 * interface, so that a QA cell holds exactly the facts and findings a user
 * would get.  Its variants are the device's internet test: TCP on Device OS
 * before 0.7, NTP on the Core's 2014 firmware and later Device OS, as the
 * profiles say; each is measured once for the device and firmware of the
 * plan that first needs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <getopt.h>

#include "cmd.h"
#include "qa_tests.h"

#define QA_DIAG_ARGS	32

static void
qa_diag_arg(char **argv, int *argc, const char *opt, const char *val)
{
	if (val == NULL || val[0] == '\0' || *argc + 2 >= QA_DIAG_ARGS)
		return;
	argv[(*argc)++] = (char *)(uintptr_t)opt;
	argv[(*argc)++] = (char *)(uintptr_t)val;
}

static int
qa_test_diagnose(const struct qa_test_ctx *ctx, const char *json_path)
{
	const struct qa_targets *t = &ctx->plan->targets;
	char *argv[QA_DIAG_ARGS], json[1100], timeout[32], window[32];
	int argc = 0;

	snprintf(json, sizeof(json), "--json=%s", json_path);
	snprintf(timeout, sizeof(timeout), "%g", ctx->test->timeout > 0 ?
	    ctx->test->timeout : t->timeout);
	snprintf(window, sizeof(window), "%g", t->dhcp_window);
	argv[argc++] = (char *)(uintptr_t)"diagnose";
	argv[argc++] = json;
	qa_diag_arg(argv, &argc, "--iface", ctx->station->iface);
	qa_diag_arg(argv, &argc, "--rules", ctx->rules_dir);
	qa_diag_arg(argv, &argc, "--device", ctx->device);
	qa_diag_arg(argv, &argc, "--firmware", ctx->firmware);
	qa_diag_arg(argv, &argc, "--cloud", t->cloud);
	qa_diag_arg(argv, &argc, "--internet-test", t->internet_test);
	qa_diag_arg(argv, &argc, "--ntp", t->ntp);
	qa_diag_arg(argv, &argc, "--portal-url", t->portal_url);
	qa_diag_arg(argv, &argc, "--dns", t->dns);
	if (ctx->test->timeout > 0 || t->timeout > 0)
		qa_diag_arg(argv, &argc, "--timeout", timeout);
	if (t->dhcp_window > 0)
		qa_diag_arg(argv, &argc, "--dhcp-window", window);
	argv[argc] = NULL;
	optind = 1;
	return cmd_diagnose(argc, argv);
}

static const char *
qa_test_diagnose_variant(const struct profile *p, const struct fw_version *fw)
{
	const struct internet_test *it = profile_internet_test(p, fw);

	return it != NULL && it->kind == INTERNET_TEST_NTP ? "ntp" : "tcp";
}

static const struct qa_testdef qa_tests[] = {
	/* One line per test; the plan's `tests` name them. */
	{ "diagnose", false, "the connect path, stage by stage, as the device "
	  "walks it", qa_test_diagnose, qa_test_diagnose_variant },
	{ NULL, false, NULL, NULL, NULL }
};

const struct qa_testdef *
qa_tests_find(const char *name)
{
	const struct qa_testdef *t;

	for (t = qa_tests; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

const struct qa_testdef *
qa_tests_at(size_t i)
{
	if (i >= sizeof(qa_tests) / sizeof(qa_tests[0]) - 1)
		return NULL;
	return &qa_tests[i];
}
