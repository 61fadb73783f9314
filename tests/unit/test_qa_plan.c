/*
 * test_qa_plan.c - the plan loader's targets (probe/qa/qa_plan.c): each
 * duration of diagnose's (timeout, dhcp_window, dhcp_grace) read with the
 * tree's one duration parser (a number of seconds, or "1500ms", "2m"),
 * kept within diagnose's own range for that flag, and refused with the
 * path and the reason otherwise; an unknown key is refused.
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

int
main(void)
{
	test_dhcp_grace();
	test_other_targets();
	return test_report();
}
