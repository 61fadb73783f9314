/*
 * qa_cmd.c - `cyanprobe qa`: the table of QA subcommands and its dispatch,
 * `qa check PLAN` (validate a plan), and the loading of rules and plan the
 * subcommands share.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "log.h"
#include "qa_cmd.h"
#include "qa_tests.h"
#include "qatest.h"
#include "rules_load.h"

static const struct cmd qa_cmds[] = {
	/* One line per subcommand, in the order `qa --help` lists them. */
	{ "check", qa_cmd_check, "validate a plan" },
	{ "matrix", qa_matrix_cmd, "the cells as a CI job matrix (json, gitlab, "
	  "github)" },
	{ "run", qa_run_cmd, "measure the plan's cells into a store" },
	{ "judge", qa_judge_cmd, "judge stored facts again, for new firmware "
	  "or rules" },
	{ "report", qa_report_cmd, "the results: terminal matrix, Markdown, "
	  "HTML, JUnit" },
	{ "push", qa_push_cmd, "copy a station's store into a shared one "
	  "(PostgreSQL)" },
	{ "test", qatest_cmd, "run one router test alone (qatest.h)" },
	{ "responder", qaresponder_cmd, "the WAN-side end of the router tests" },
	{ NULL, NULL, NULL }
};

static void
qa_cmd_usage(FILE *f)
{
	const struct cmd *c;
	const struct qa_testdef *t;
	size_t i;

	fprintf(f,
	    "usage: cyanprobe qa SUBCOMMAND [ARGS]\n"
	    "\n"
	    "Test routers for compatibility with Particle devices: a plan of\n"
	    "routers x firmware x configurations, measured once from the\n"
	    "stations that reach them, judged for every device and firmware.\n"
	    "\n"
	    "subcommands:\n");
	for (c = qa_cmds; c->name != NULL; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\ntests a plan can name:\n");
	for (i = 0; (t = qa_tests_at(i)) != NULL; i++)
		fprintf(f, "  %-14s %s%s\n", t->name, t->summary,
		    t->exclusive ? " (exclusive)" : "");
	fprintf(f,
	    "\nRun `cyanprobe qa SUBCOMMAND --help` for its options; the plan\n"
	    "format and a lab engineer's guide are in docs/qa.md.\n");
}

int
cmd_qa(int argc, char **argv)
{
	static char name[64];
	const struct cmd *c;

	if (argc < 2) {
		qa_cmd_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		qa_cmd_usage(stdout);
		return EXIT_OK;
	}
	for (c = qa_cmds; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0) {
			/* A bad option is then named "cyanprobe: qa X: ...". */
			snprintf(name, sizeof(name), "cyanprobe: qa %s",
			    c->name);
			argv[1] = name;
			cli_command(argv + 1);
			return c->run(argc - 1, argv + 1);
		}
	log_warnx("qa: unknown subcommand '%s' (try cyanprobe qa --help)",
	    argv[1]);
	return EXIT_USAGE;
}

int
qa_cmd_load(const char *rules_dir, const char *path, struct rules **rules,
    struct qa_plan **plan)
{
	char err[512];

	*plan = NULL;
	if ((*rules = malloc(sizeof(**rules))) == NULL) {
		log_warnx("qa: out of memory");
		return EXIT_RUNTIME;
	}
	rules_init(*rules);
	if (rules_load(rules_dir, *rules, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	if (path == NULL)
		return 0;
	if ((*plan = qa_plan_load(path, *rules, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	return 0;
}

void
qa_cmd_log_cells(const char *who, const struct qa_plan *pl)
{
	const struct qa_router *r;
	const struct qa_station *st;
	char hooks[64], tests[QA_TESTS_MAX * QA_ID_MAX];
	size_t i, h, t;

	for (i = 0; i < pl->ncells && log_verbose() >= 1; i++) {
		r = &pl->router[pl->cell[i].router];
		st = &pl->station[pl->cell[i].station];
		hooks[0] = '\0';
		for (h = 0; h < QA_HOOK_COUNT; h++)
			if (r->hook[h][0] != '\0')
				snprintf(hooks + strlen(hooks), sizeof(hooks) -
				    strlen(hooks), " %s", qa_hook_name(h));
		tests[0] = '\0';
		for (t = 0; t < pl->ntests; t++)
			if (qa_plan_runs(pl, &pl->cell[i], t))
				snprintf(tests + strlen(tests), sizeof(tests) -
				    strlen(tests), " %s", pl->test[t].name);
		log_info("qa %s: cell %s: station %s (runner tag %s), hooks:%s,"
		    " tests:%s", who, pl->cell[i].id, st->id, st->runner_tag,
		    hooks[0] != '\0' ? hooks : " none", tests);
	}
}

static void
qa_cmd_check_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe qa check [--rules DIR] [-v] PLAN\n"
	    "\n"
	    "Validate a QA plan (YAML or JSON, docs/qa.md): every error names\n"
	    "the file, the path in it and the reason.  On success, print what\n"
	    "the plan holds and its hash; -v also each cell with its station\n"
	    "and hooks.  Exit status: 0 valid, 2 not.\n");
}

int
qa_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "rules", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *rules_dir = NULL;
	struct rules *rules = NULL;
	struct qa_plan *pl = NULL;
	size_t i, nfw = 0;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, ":hv", opts, NULL)) != -1) {
		if (ch == 'r')
			rules_dir = optarg;
		else if (ch == 'v')
			log_init(log_verbose() + 1);
		else
			return cli_help(ch, qa_cmd_check_usage);
	}
	if (argc - optind != 1) {
		qa_cmd_check_usage(stderr);
		return EXIT_USAGE;
	}
	if ((rc = qa_cmd_load(rules_dir, argv[optind], &rules, &pl)) == 0) {
		qa_cmd_log_cells("check", pl);
		for (i = 0; i < pl->ndevices; i++)
			nfw += pl->device[i].nfirmware;
		printf("%s: ok: plan %s, %zu station%s, %zu router%s, "
		    "%zu cell%s, %zu device firmware, %zu test%s; "
		    "sha256 %s\n", pl->file, pl->name, pl->nstations,
		    pl->nstations == 1 ? "" : "s", pl->nrouters,
		    pl->nrouters == 1 ? "" : "s", pl->ncells,
		    pl->ncells == 1 ? "" : "s", nfw, pl->ntests,
		    pl->ntests == 1 ? "" : "s", pl->hash);
	}
	qa_plan_free(pl);
	free(rules);
	return rc;
}
