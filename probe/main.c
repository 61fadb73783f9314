/*
 * main.c - the cyanprobe command: global options and the command table.
 * Everything else lives in the library so tests link it; this file only
 * dispatches.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "log.h"

static const struct cmd cmds[] = {
	/* One line per command, in the order `--help` lists them. */
	{ "explain", cmd_explain,
	  "what an LED signal means, and its likely causes with advice" },
	{ "analyze", cmd_analyze,
	  "read a capture: networks, and can the device join and reach "
	  "the cloud" },
	{ "diagnose", cmd_diagnose,
	  "check this network live, stage by stage, as the device would" },
	{ "scan", cmd_scan,
	  "scan Wi-Fi through nl80211: networks the device can join, link" },
	{ "capture", cmd_capture,
	  "capture live (LAN or monitor mode) into pcapng and analyse it" },
	{ "handshake", cmd_handshake,
	  "run the device's side of the cloud handshake, step by step" },
	{ "keys", cmd_keys,
	  "check device/server keys; write a server key region" },
	{ "cloud", cmd_cloud,
	  "run a local test cloud (handshake, Hello, pings, faults)" },
	{ "serial", cmd_serial,
	  "talk to a device on USB serial: id, version, MAC, agent events" },
	{ "collect", cmd_collect,
	  "collect firmware-agent events sent over CoAP into a JSON lines file" },
	{ "simulate-device", cmd_simulate_device,
	  "a virtual device running the firmware agent, for labs and tests" },
	{ "qa", cmd_qa,
	  "router QA lab: plans, a router x device x firmware matrix, JUnit" },
	{ NULL, NULL, NULL }
};

static void
usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f,
	    "usage: cyanprobe [-V|--version] [-h|--help] COMMAND [ARGS]\n"
	    "\n"
	    "Find out why a Particle Core or Photon will not reach its cloud.\n"
	    "\n"
	    "commands:\n");
	for (c = cmds; c->name != NULL; c++)
		fprintf(f, "  %-16s %s\n", c->name, c->summary);
	fprintf(f,
	    "\n"
	    "Run `cyanprobe COMMAND --help` for a command's options, and see\n"
	    "cyanprobe(1).  Exit status: 0 no problem found, 1 problems found,\n"
	    "2 usage or input error, 3 runtime failure, 4 inconclusive (nothing\n"
	    "fails, but a stage was not observed; the report names it).\n");
}

/*
 * Name the command as "cyanprobe: CMD" in argv[0], and silence getopt's
 * own complaints: every command reports a bad option with the one line of
 * cli_bad_option(), which reads the command's name from there.
 */
static int
run_cmd(const struct cmd *c, int argc, char **argv)
{
	static char name[64];

	snprintf(name, sizeof(name), "cyanprobe: %s", c->name);
	argv[0] = name;
	opterr = 0;
	optind = 1;
	cli_command(argv);
	return c->run(argc, argv);
}

/*
 * Edit distance between two short words (insert, delete, substitute, and
 * swapping two neighbours, the commonest typo), or a large number when one
 * is longer than a command name can be.
 */
static size_t
distance(const char *a, const char *b)
{
	enum { MAXW = 32 };
	size_t d[MAXW + 1][MAXW + 1], la = strlen(a), lb = strlen(b), i, j, v;

	if (la > MAXW || lb > MAXW)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/*
 * The command the user most likely meant by `word`: one that starts with
 * it ("diag"), or else the nearest within two edits ("analyse"); NULL when
 * none is close or two are equally close.
 */
static const struct cmd *
guess(const char *word)
{
	const struct cmd *c, *best = NULL;
	size_t d, bestd = 3, n = strlen(word);
	int nprefix = 0;

	for (c = cmds; c->name != NULL; c++)
		if (n >= 2 && strncmp(c->name, word, n) == 0) {
			best = c;
			nprefix++;
		}
	if (nprefix > 0)
		return nprefix == 1 ? best : NULL;
	for (c = cmds; c->name != NULL; c++) {
		/* Fewer edits than letters: "s" is not a typo of "qa". */
		if ((d = distance(word, c->name)) >= n)
			continue;
		if (d < bestd) {
			bestd = d;
			best = c;
		} else if (d == bestd)
			best = NULL;
	}
	return best;
}

/*
 * Every command's last word: what it printed must have reached standard
 * output (a full disk, /dev/full, a closed pipe), else exit 3 and say so,
 * once here for all of them.
 */
static int
finish(int rc)
{
	int err = fflush(stdout) == EOF ? errno : 0;

	if (!ferror(stdout))
		return rc;
	log_warnx("standard output: %s", err != 0 ? strerror(err) :
	    "a write failed");
	return EXIT_RUNTIME;
}

int
main(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return finish(EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("cyanprobe %s\n", CYANPROBE_VERSION);
		return finish(EXIT_OK);
	}
	for (c = cmds; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			return finish(run_cmd(c, argc - 1, argv + 1));
	if (argv[1][0] == '-')
		log_warnx("unknown option '%s' (see cyanprobe --help)",
		    argv[1]);
	else if ((c = guess(argv[1])) != NULL)
		log_warnx("unknown command '%s'; did you mean '%s'? (see "
		    "cyanprobe --help)", argv[1], c->name);
	else
		log_warnx("unknown command '%s' (see cyanprobe --help)",
		    argv[1]);
	return EXIT_USAGE;
}
