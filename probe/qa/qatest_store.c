/*
 * qatest_store.c - `qa test NAME --db DB`: a test run alone is stored the
 * way `qa run` stores a plan's, so that `qa report`, `qa judge` and `qa
 * push` see it beside the plans' runs.  The options become a one-cell
 * plan (station "local", the router and firmware of --cell, the device and
 * firmware of --device/--firmware, the test with the settings it was
 * given and the hooks as the router's), validated by the plan's own
 * parser; the report is stored through qa_job_store() as a finished job,
 * and the run is judged by qa_run_conclude().  Nothing here measures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "cli.h"
#include "log.h"
#include "qa_job.h"
#include "qa_plan.h"
#include "qa_run.h"
#include "qa_store.h"
#include "qa_tests.h"
#include "qatest.h"

/* The value of option `flag` ("--responder") as given, or NULL. */
static const char *
qatest_store_given(const struct qatest_opts *o, const char *flag)
{
	size_t i;

	for (i = o->ngiven; i-- > 0; )	/* the last one given wins */
		if (strcmp(o->given[i].flag, flag + 2) == 0)
			return o->given[i].value;
	return NULL;
}

/* One string into a new one-element array under key. */
static void
qatest_store_list(cJSON *o, const char *key, const char *value)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);

	cJSON_AddItemToArray(a, cJSON_CreateString(value));
}

/* The router of --cell ROUTER[/FIRMWARE[/CONFIG]], with the test's hooks. */
static cJSON *
qatest_store_router(const struct qatest_opts *o,
    const struct qa_testdef *def)
{
	char cell[QA_CELL_ID_MAX], *fw, *cfg;
	const char *flag, *cmd;
	cJSON *r = cJSON_CreateObject(), *hooks;
	int h;

	snprintf(cell, sizeof(cell), "%s", o->cell != NULL ? o->cell :
	    "router/unknown/default");
	if ((fw = strchr(cell, '/')) != NULL)
		*fw++ = '\0';
	if (fw != NULL && (cfg = strchr(fw, '/')) != NULL)
		*cfg++ = '\0';
	else
		cfg = NULL;
	cJSON_AddStringToObject(r, "id", cell);
	cJSON_AddStringToObject(r, "station", "local");
	qatest_store_list(r, "firmware", fw != NULL ? fw : "unknown");
	if (cfg != NULL)
		qatest_store_list(r, "configs", cfg);
	hooks = cJSON_AddObjectToObject(r, "hooks");
	for (h = 0; h < QA_HOOK_COUNT; h++)
		if ((def->hooks & QA_HOOK_BIT(h)) != 0 &&
		    (flag = qa_test_hook_flag((enum qa_hook)h)) != NULL &&
		    (cmd = qatest_store_given(o, flag)) != NULL)
			cJSON_AddStringToObject(hooks,
			    qa_hook_name((enum qa_hook)h), cmd);
	return r;
}

/* The test with the plan keys of the options it was given. */
static cJSON *
qatest_store_test(const struct qatest_opts *o, const struct qa_testdef *def)
{
	const struct qa_test_key *k;
	const char *v;
	cJSON *t = cJSON_CreateObject();

	cJSON_AddStringToObject(t, "name", def->name);
	if ((v = qatest_store_given(o, "--max")) != NULL)
		cJSON_AddStringToObject(t, "max", v);
	for (k = def->keys; k != NULL && k->key != NULL; k++)
		if ((v = qatest_store_given(o, k->flag)) != NULL)
			cJSON_AddStringToObject(t, k->key, v);
	return t;
}

/* The one-cell plan as JSON text (a new string), or NULL. */
static char *
qatest_store_plan(const struct qatest_opts *o, const struct qa_testdef *def,
    const struct cli *cli)
{
	cJSON *p = cJSON_CreateObject(), *st, *dev;
	char *text;

	cJSON_AddStringToObject(p, "schema", "cyanprobe-qa-plan/1");
	cJSON_AddStringToObject(p, "name", "qa-test");
	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "id", "local");
	if (o->iface != NULL)
		cJSON_AddStringToObject(st, "iface", o->iface);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(p, "stations"), st);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(p, "routers"),
	    qatest_store_router(o, def));
	dev = cJSON_CreateObject();
	cJSON_AddStringToObject(dev, "device", cli->profile->name);
	qatest_store_list(dev, "firmware", cli->fw_str);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(p, "devices"), dev);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(p, "tests"),
	    qatest_store_test(o, def));
	text = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	return text;
}

/* The report, as qa run's job would have left it, into the store. */
static int
qatest_store_job(struct qa_store *s, const struct qa_plan *pl,
    const struct qa_testdef *def, const struct cli *cli, const char *dir,
    const char *run_id, int rc)
{
	struct qa_job_env env = { pl, cli->rules, cli->rules_dir, run_id,
	    dir };
	const char *v;
	struct qa_job j;
	bool sel = true;

	memset(&j, 0, sizeof(j));
	j.cell = &pl->cell[0];
	j.test = &pl->test[0];
	j.def = def;
	if (def->variant != NULL &&
	    (v = def->variant(cli->profile, &cli->fw)) != NULL)
		snprintf(j.variant, sizeof(j.variant), "%s", v);
	j.device = cli->profile->name;
	j.firmware = cli->fw_str;
	j.state = QA_JOB_DONE;
	j.status = rc;
	if (strlen(dir) >= sizeof(j.dir)) {
		log_warnx("qa test: --db: %s: path too long", dir);
		return -1;
	}
	memcpy(j.dir, dir, strlen(dir) + 1);
	if (qa_run_store_begin(s, pl, run_id, "local", &sel) == -1 ||
	    qa_job_store(&j, &env, s) == -1 ||
	    qa_run_store_cell_end(s, run_id, j.cell->id, qa_job_ok(&j) ?
	    "measured" : "error") == -1 ||
	    qa_run_store_run_end(s, run_id) == -1) {
		log_warnx("qa test: --db: %s", qa_store_error(s));
		return -1;
	}
	return 0;
}

int
qatest_store(const struct qatest_opts *o, const char *name,
    const struct cli *cli, const char *report_path, int rc)
{
	const struct qa_testdef *def = qa_tests_find(name);
	struct qa_plan *pl = NULL;
	struct qa_store *s = NULL;
	char err[600], run_id[64], dir[300], *text, *slash;
	int jr = EXIT_RUNTIME;

	snprintf(dir, sizeof(dir), "%s", report_path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (def == NULL || (text = qatest_store_plan(o, def, cli)) == NULL) {
		log_warnx("qa test: --db: out of memory");
		return EXIT_RUNTIME;
	}
	pl = qa_plan_parse(text, strlen(text), "qa test", cli->rules, err,
	    sizeof(err));
	free(text);
	if (pl == NULL) {
		log_warnx("qa test: --db: the stored plan: %s", err);
		return EXIT_RUNTIME;
	}
	if ((s = qa_store_open(o->db, err, sizeof(err))) == NULL)
		log_warnx("qa test: --db: %s", err);
	else {
		qa_run_id(run_id, sizeof(run_id));
		if (qatest_store_job(s, pl, def, cli, dir, run_id, rc) == 0)
			jr = qa_run_conclude(s, cli->rules, run_id, NULL,
			    stderr);
	}
	qa_store_close(s);
	qa_plan_free(pl);
	if (jr == EXIT_RUNTIME)
		return EXIT_RUNTIME;
	return rc == EXIT_OK ? jr : rc;
}
