/*
 * qa_matrix.c - `cyanprobe qa matrix PLAN`: the plan's cells as a CI job
 * matrix, one job per cell, pinned to the runner tag of the station that
 * reaches its router.  Scale-out is the CI system's: its runners are the
 * stations, its tags the pinning; cyanprobe has no scheduler of its own.
 * Formats: json (for any CI or a script), gitlab (a child pipeline: one job
 * per cell, tags, JUnit report, the SQLite store as an artifact) and github
 * (the value of strategy.matrix, with runs-on per cell); json names the
 * tests each cell runs (its router's `tests`).  Every job runs
 * `cyanprobe qa run --cell ID`; when the plan has exclusive tests, the
 * GitLab jobs share one resource_group so that they run one at a time.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli.h"
#include "log.h"
#include "qa_cmd.h"

/*
 * Does a cell run an exclusive test?  Then every job goes in one resource
 * group: an exclusive test must have the lab to itself.
 */
static bool
qa_matrix_exclusive(const struct qa_plan *p)
{
	size_t i, t;

	for (i = 0; i < p->ncells; i++)
		for (t = 0; t < p->ntests; t++)
			if (p->test[t].exclusive &&
			    qa_plan_runs(p, &p->cell[i], t))
				return true;
	return false;
}

/* The names of the tests cell c runs, as a JSON list. */
static cJSON *
qa_matrix_tests(const struct qa_plan *p, const struct qa_cell *c)
{
	cJSON *a = cJSON_CreateArray();
	size_t t;

	for (t = 0; a != NULL && t < p->ntests; t++)
		if (qa_plan_runs(p, c, t))
			cJSON_AddItemToArray(a,
			    cJSON_CreateString(p->test[t].name));
	return a;
}

static cJSON *
qa_matrix_json(const struct qa_plan *p, const char *plan_path)
{
	const struct qa_router *r;
	const struct qa_cell *c;
	cJSON *root, *cells, *o;
	char cmd[1024];
	size_t i;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "plan", p->name);
	cJSON_AddStringToObject(root, "plan_hash", p->hash);
	cJSON_AddBoolToObject(root, "exclusive_tests", qa_matrix_exclusive(p));
	cells = cJSON_AddArrayToObject(root, "cells");
	for (i = 0; i < p->ncells; i++) {
		c = &p->cell[i];
		r = &p->router[c->router];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "cell", c->id);
		cJSON_AddStringToObject(o, "router", r->id);
		cJSON_AddStringToObject(o, "firmware",
		    r->firmware[c->firmware]);
		cJSON_AddStringToObject(o, "config", r->config[c->config]);
		cJSON_AddStringToObject(o, "station", p->station[c->station].id);
		cJSON_AddStringToObject(o, "runner_tag",
		    p->station[c->station].runner_tag);
		cJSON_AddItemToObject(o, "tests", qa_matrix_tests(p, c));
		snprintf(cmd, sizeof(cmd), "cyanprobe qa run --cell '%s' "
		    "--db qa.db --junit junit.xml '%s'", c->id, plan_path);
		cJSON_AddStringToObject(o, "command", cmd);
		cJSON_AddItemToArray(cells, o);
	}
	return root;
}

/* strategy.matrix for GitHub Actions: include entries with runs-on. */
static cJSON *
qa_matrix_github(const struct qa_plan *p)
{
	const struct qa_cell *c;
	cJSON *root, *inc, *o, *on;
	size_t i;

	root = cJSON_CreateObject();
	inc = cJSON_AddArrayToObject(root, "include");
	for (i = 0; i < p->ncells; i++) {
		c = &p->cell[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "cell", c->id);
		cJSON_AddStringToObject(o, "station", p->station[c->station].id);
		on = cJSON_AddArrayToObject(o, "runs-on");
		cJSON_AddItemToArray(on, cJSON_CreateString("self-hosted"));
		cJSON_AddItemToArray(on, cJSON_CreateString(
		    p->station[c->station].runner_tag));
		cJSON_AddItemToArray(inc, o);
	}
	return root;
}

/* A GitLab child pipeline; ids and tags are plain ids, safe unquoted. */
static void
qa_matrix_gitlab(const struct qa_plan *p, const char *plan_path, FILE *f)
{
	const struct qa_cell *c;
	bool excl = qa_matrix_exclusive(p);
	size_t i;

	fprintf(f, "# cyanprobe qa matrix --format gitlab: one job per cell "
	    "of plan %s\n# (sha256 %s), pinned to its station's runner tag.\n"
	    "stages: [measure]\n", p->name, p->hash);
	for (i = 0; i < p->ncells; i++) {
		c = &p->cell[i];
		fprintf(f, "\n\"qa %s\":\n  stage: measure\n  tags: [%s]\n",
		    c->id, p->station[c->station].runner_tag);
		if (excl)
			fprintf(f, "  resource_group: cyanprobe-qa-%s\n",
			    p->name);
		fprintf(f, "  script:\n    - cyanprobe qa run --cell '%s' "
		    "--db qa.db --junit junit.xml '%s'\n"
		    "  artifacts:\n    when: always\n"
		    "    paths: [qa.db, junit.xml]\n"
		    "    reports:\n      junit: junit.xml\n", c->id, plan_path);
	}
}

static void
qa_matrix_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa matrix [--format json|gitlab|github]\n"
	    "                           [--rules DIR] [-v] PLAN\n"
	    "\n"
	    "The plan's cells as a CI job matrix: one job per cell, pinned to\n"
	    "the runner tag of the station that reaches the router, each job\n"
	    "running `cyanprobe qa run` for its cell.  json (the default) for\n"
	    "any CI; gitlab: a child pipeline; github: the value of\n"
	    "strategy.matrix (runs-on per cell).  -v names each cell and its\n"
	    "station on stderr.  See docs/qa.md.\n");
}

int
qa_matrix_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *fmt = "json", *rules_dir = NULL;
	struct rules *rules = NULL;
	struct qa_plan *p = NULL;
	cJSON *out = NULL;
	char *txt;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		if (ch == 'v')
			log_init(log_verbose() + 1);
		else if (ch == 'f')
			fmt = optarg;
		else if (ch == 'r')
			rules_dir = optarg;
		else
			return cli_help(ch, qa_matrix_usage);
	}
	if (argc - optind != 1) {
		qa_matrix_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(fmt, "json") != 0 && strcmp(fmt, "gitlab") != 0 &&
	    strcmp(fmt, "github") != 0) {
		log_warnx("qa matrix: --format: '%s' is not json, gitlab or "
		    "github", fmt);
		return EXIT_USAGE;
	}
	/* The path goes into shell commands between single quotes. */
	if (strchr(argv[optind], '\'') != NULL) {
		log_warnx("qa matrix: the plan's path holds a quote");
		return EXIT_USAGE;
	}
	if ((rc = qa_cmd_load(rules_dir, argv[optind], &rules, &p)) != 0)
		goto done;
	qa_cmd_log_cells("matrix", p);
	if (strcmp(fmt, "gitlab") == 0)
		qa_matrix_gitlab(p, argv[optind], stdout);
	else {
		out = strcmp(fmt, "json") == 0 ? qa_matrix_json(p,
		    argv[optind]) : qa_matrix_github(p);
		if ((txt = cJSON_Print(out)) == NULL) {
			rc = EXIT_RUNTIME;
			goto done;
		}
		printf("%s\n", txt);
		free(txt);
	}
	rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
done:
	cJSON_Delete(out);
	qa_plan_free(p);
	free(rules);
	return rc;
}
