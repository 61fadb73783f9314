/*
 * cmd_collect.c - `cyanprobe collect --listen ADDR:PORT --out FILE`: run
 * the firmware agents' event collector of collect.h.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "collect.h"
#include "log.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe collect --listen ADDR:PORT --out FILE [options]\n"
	    "\n"
	    "Collect firmware-agent events sent over CoAP (POST /e) and\n"
	    "append them to FILE as JSON lines.  A confirmable POST is\n"
	    "acknowledged only after its events are on disk; duplicates are\n"
	    "dropped; a bad payload gets 4.00, a device over its rate 4.29.\n"
	    "\n"
	    "options:\n"
	    "  --listen ADDR:PORT  UDP address, e.g. 127.0.0.1:5683 (port 0:\n"
	    "                      any free one)\n"
	    "  --out FILE          the JSON lines file (created, appended)\n"
	    "  --rate N            events/s allowed per device (default 1000;\n"
	    "                      0: no limit)\n"
	    "  --burst N           events a device may send at once (default:\n"
	    "                      the rate)\n"
	    "  --max-events N      stop once N events are stored (a POST\n"
	    "                      that goes past N: 5.03)\n"
	    "  -v, --verbose       each batch of datagrams received, on stderr\n"
	    "  -h, --help          this text\n"
	    "\n"
	    "Stop with SIGINT or SIGTERM; a summary goes to stderr.  Exit\n"
	    "status: 0 ok, 2 usage, 3 cannot listen or write.\n");
}

static bool
num(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 1e9) {
		log_warnx("collect: %s: bad value '%s'", opt, s);
		return false;
	}
	*out = v;
	return true;
}

int
cmd_collect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "max-events", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct collect_opts o;
	struct collect_stats st;
	struct sockaddr_in sa;
	double v;
	int ch, rc, verbose = 0;

	collect_opts_init(&o);
	while ((ch = getopt_long(argc, argv, ":l:o:r:b:m:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'l':
			o.listen = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'r':
			if (!num("--rate", optarg, &o.rate))
				return EXIT_USAGE;
			break;
		case 'b':
			if (!num("--burst", optarg, &o.burst))
				return EXIT_USAGE;
			break;
		case 'm':
			if (!num("--max-events", optarg, &v))
				return EXIT_USAGE;
			o.max_events = (long)v;
			break;
		case 'v':
			verbose++;
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	log_init(verbose);
	if (cli_no_operands("collect", argc, argv) != 0)
		return EXIT_USAGE;
	if (o.listen == NULL || o.out == NULL) {
		log_warnx("collect: need --listen ADDR:PORT and --out FILE");
		usage(stderr);
		return EXIT_USAGE;
	}
	/* A bad address is a usage error, found before anything is opened. */
	if (collect_listen_addr(o.listen, &sa) != 0)
		return EXIT_USAGE;
	if ((rc = collect_run(&o, &st)) == COLLECT_FOREIGN_OUT)
		return EXIT_USAGE;
	if (rc != 0 && st.datagrams == 0)
		return EXIT_RUNTIME;
	log_warnx("collect: %" PRIu64 " events stored, %" PRIu64
	    " duplicates dropped, %" PRIu64 " malformed, %" PRIu64
	    " rate-limited, %" PRIu64 " wrong path, in %" PRIu64
	    " datagrams and %" PRIu64 " synced batches%s", st.stored,
	    st.duplicates, st.malformed, st.limited, st.not_found,
	    st.datagrams, st.batches, st.write_errors > 0 ?
	    " (with write errors)" : "");
	if (st.jumps > 0 || st.evicted > 0)
		log_warnx("collect: %" PRIu64 " stored event(s) flagged "
		    "seq_jump; %" PRIu64 " idle device(s) forgotten past %d "
		    "(their repeats are no longer recognised)", st.jumps,
		    st.evicted, COLLECT_DEVICES);
	return rc != 0 || st.write_errors > 0 ? EXIT_RUNTIME : EXIT_OK;
}
