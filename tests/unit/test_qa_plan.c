/*
 * test_qa_plan.c - the plan loader's targets (probe/qa/qa_plan.c): each
 * duration of diagnose's (timeout, dhcp_window, dhcp_grace) read with the
 * tree's one duration parser (a number of seconds, or "1500ms", "2m"),
 * kept within diagnose's own range for that flag, and refused with the
 * path and the reason otherwise; an unknown key is refused.  And each
 * router's `tests`: the cells of a router run the plan's tests it names
 * (qa_plan_runs), every test when it names none.
 */
#include <string.h>

#include "qa_plan.h"
#include "test.h"

/* A one-cell plan whose targets are `targets` (a JSON object's body). */
static struct qa_plan *
plan_with(const char *targets, char *err, size_t errlen)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "{\"schema\":\"cyanprobe-qa-plan/1\",\"name\":\"unit\","
	    "\"stations\":[{\"id\":\"s\",\"iface\":\"eth0\"}],"
	    "\"routers\":[{\"id\":\"r\",\"station\":\"s\",\"firmware\":[\"1\"]}],"
	    "\"devices\":[{\"device\":\"photon\",\"firmware\":[\"1.5.2\"]}],"
	    "\"tests\":[\"diagnose\"],\"targets\":{%s}}", targets);
	err[0] = '\0';
	return qa_plan_parse(text, strlen(text), "unit", NULL, err, errlen);
}

/* The plan's targets.dhcp_grace from `targets`, or -1 when refused. */
static double
grace_of(const char *targets, char *err, size_t errlen)
{
	struct qa_plan *p = plan_with(targets, err, errlen);
	double g;

	if (p == NULL)
		return -1;
	g = p->targets.dhcp_grace;
	qa_plan_free(p);
	return g;
}

static void
test_dhcp_grace(void)
{
	char err[512];

	test_cond("no dhcp_grace: 0 (diagnose's default)",
	    grace_of("\"timeout\":1", err, sizeof(err)) == 0);
	test_cond("dhcp_grace 5 (seconds)",
	    grace_of("\"dhcp_grace\":5", err, sizeof(err)) == 5);
	test_cond("dhcp_grace \"1500ms\"",
	    grace_of("\"dhcp_grace\":\"1500ms\"", err, sizeof(err)) == 1.5);
	test_cond("dhcp_grace \"1m\" (60 s, the limit)",
	    grace_of("\"dhcp_grace\":\"1m\"", err, sizeof(err)) == 60);
	test_cond("dhcp_grace \"2m\": refused",
	    grace_of("\"dhcp_grace\":\"2m\"", err, sizeof(err)) == -1);
	test_cond("dhcp_grace \"2m\": the path and the range",
	    strstr(err, "$.targets.dhcp_grace") != NULL &&
	    strstr(err, "out of range") != NULL);
	test_cond("dhcp_grace 0.05: below 0.1 s, refused",
	    grace_of("\"dhcp_grace\":0.05", err, sizeof(err)) == -1);
	test_cond("dhcp_grace \"soon\": refused",
	    grace_of("\"dhcp_grace\":\"soon\"", err, sizeof(err)) == -1);
	test_cond("dhcp_grace \"soon\": not a duration",
	    strstr(err, "$.targets.dhcp_grace: 'soon' is not a duration") !=
	    NULL);
	test_cond("dhcp_grace true: refused",
	    grace_of("\"dhcp_grace\":true", err, sizeof(err)) == -1);
}

static void
test_other_targets(void)
{
	struct qa_plan *p;
	char err[512];

	p = plan_with("\"timeout\":\"1500ms\",\"dhcp_window\":\"2m\"", err,
	    sizeof(err));
	test_cond("timeout and dhcp_window read", p != NULL &&
	    p->targets.timeout == 1.5 && p->targets.dhcp_window == 120);
	qa_plan_free(p);
	p = plan_with("\"dhcp_graze\":1", err, sizeof(err));
	test_cond("an unknown target key: refused", p == NULL &&
	    strstr(err, "unknown key 'dhcp_graze'") != NULL);
	qa_plan_free(p);
}

/* Routers r1 (no `tests`), r2 (`r2tests`, a JSON list), three tests. */
static struct qa_plan *
plan_tests(const char *r2tests, char *err, size_t errlen)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "{\"schema\":\"cyanprobe-qa-plan/1\",\"name\":\"unit\","
	    "\"stations\":[{\"id\":\"s\",\"iface\":\"eth0\"}],"
	    "\"routers\":[{\"id\":\"r1\",\"station\":\"s\",\"firmware\":"
	    "[\"1\"]},{\"id\":\"r2\",\"station\":\"s\",\"firmware\":"
	    "[\"1\",\"2\"],\"tests\":%s}],"
	    "\"devices\":[{\"device\":\"photon\",\"firmware\":[\"1.5.2\"]}],"
	    "\"tests\":[\"diagnose\",{\"name\":\"rebind\",\"private_name\":"
	    "\"nas.example.net\"},{\"name\":\"isolation\",\"target\":"
	    "\"192.0.2.7\"}]}", r2tests);
	err[0] = '\0';
	return qa_plan_parse(text, strlen(text), "unit", NULL, err, errlen);
}

static void
test_router_tests(void)
{
	struct qa_plan *p;
	char err[512];

	p = plan_tests("[\"isolation\",\"diagnose\"]", err, sizeof(err));
	test_cond("router tests: read", p != NULL && p->ncells == 3);
	if (p != NULL) {
		test_cond("no list: every test", qa_plan_runs(p, &p->cell[0],
		    0) && qa_plan_runs(p, &p->cell[0], 1) &&
		    qa_plan_runs(p, &p->cell[0], 2));
		test_cond("a list: its tests, in any order", qa_plan_runs(p,
		    &p->cell[1], 0) && !qa_plan_runs(p, &p->cell[1], 1) &&
		    qa_plan_runs(p, &p->cell[1], 2));
		test_cond("a list: each firmware's cell", qa_plan_runs(p,
		    &p->cell[2], 2) && !qa_plan_runs(p, &p->cell[2], 1));
		test_cond("past the plan's tests: none",
		    !qa_plan_runs(p, &p->cell[0], 3));
	}
	qa_plan_free(p);
	p = plan_tests("[\"diagnose\",\"nat-lifetime\"]", err, sizeof(err));
	test_cond("a test the plan lacks: refused, with the path", p == NULL &&
	    strstr(err, "unit: $.routers[1].tests[1]: 'nat-lifetime' is not "
	    "one of the plan's tests") != NULL);
	qa_plan_free(p);
	p = plan_tests("[\"rebind\",\"rebind\"]", err, sizeof(err));
	test_cond("a test named twice: refused", p == NULL &&
	    strstr(err, "$.routers[1].tests[1]: 'rebind' given twice") != NULL);
	qa_plan_free(p);
	p = plan_tests("\"rebind\"", err, sizeof(err));
	test_cond("not a list: refused", p == NULL &&
	    strstr(err, "$.routers[1].tests: must be a list") != NULL);
	qa_plan_free(p);
}

int
main(void)
{
	test_dhcp_grace();
	test_other_targets();
	test_router_tests();
	return test_report();
}
