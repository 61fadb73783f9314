/*
 * main.c - the cyanprobe command: global options and the command table.
 * Everything else lives in the library so tests link it; this file only
 * dispatches.
 */
#include <stdio.h>
#include <string.h>

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
	    "usage: cyanprobe [--version] [--help] COMMAND [ARGS]\n"
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
	    "2 usage or input error, 3 runtime failure.\n");
}

/*
 * getopt prints its own complaints ("unrecognized option") after argv[0]:
 * name the command as "cyanprobe: CMD" there, so that every error starts
 * with "cyanprobe:" like the rest.
 */
static int
run_cmd(const struct cmd *c, int argc, char **argv)
{
	static char name[64];

	snprintf(name, sizeof(name), "cyanprobe: %s", c->name);
	argv[0] = name;
	return c->run(argc, argv);
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
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("cyanprobe %s\n", CYANPROBE_VERSION);
		return EXIT_OK;
	}
	for (c = cmds; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			return run_cmd(c, argc - 1, argv + 1);
	log_warnx("unknown command '%s' (try cyanprobe --help)", argv[1]);
	return EXIT_USAGE;
}
