/*
 * cmd_cloud.c - `cyanprobe cloud`: run the local test cloud of cloud.c
 * until SIGINT or SIGTERM.  Signals only write a byte to a pipe that every
 * worker polls, so shutdown happens in the workers, not in the handler.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cloud.h"
#include "cli.h"
#include "cmd.h"
#include "handshake.h"
#include "keys.h"
#include "log.h"

static int stop_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;
	char b = (char)sig;

	if (write(stop_pipe[1], &b, 1) < 0) {
		/* Nothing to do: the pipe already holds a byte. */
	}
	errno = saved;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe cloud --listen ADDR:PORT --server-key PRIVATE\n"
	    "           --devices DIR [--fault FAULT] [--wire FORM]\n"
	    "           [--max-clients N]\n"
	    "           [--deadline S] [--stall S] [--threads N] [--log FILE]\n"
	    "           [--ready-file FILE] [-v]\n"
	    "\n"
	    "A local Particle TCP cloud for labs and tests: the server's side\n"
	    "of the handshake, Hello and CoAP pings.  DIR holds the devices'\n"
	    "public keys as <deviceid>.pub.pem, as spark-server keeps them.\n"
	    "Each connection is logged as one JSON line.\n"
	    "\n"
	    "  --listen ADDR:PORT   where to listen (port 0: any free port)\n"
	    "  --server-key FILE    the cloud's RSA-2048 private key\n"
	    "  --devices DIR        device public keys\n"
	    "  --fault FAULT        misbehave on purpose: unknown-device,\n"
	    "                       wrong-session-key, bad-signature, no-hello,\n"
	    "                       close-after-nonce, silent, no-ping-ack,\n"
	    "                       bad-record, bad-padding, bad-record-stall\n"
	    "  --wire FORM          the bytes of our Hello and ping answers:\n"
	    "                       rfc7252 (default) or spark-server (its\n"
	    "                       1-byte tokens, as the real local cloud)\n"
	    "  --max-clients N      connections at once (default %d)\n"
	    "  --deadline S         per-connection handshake deadline and idle\n"
	    "                       limit (default %d)\n"
	    "  --stall S            bad-record-stall: hold a connection this long\n"
	    "                       after a record that does not decrypt, then\n"
	    "                       drop it, as spark-server (default 30)\n"
	    "  --threads N          worker threads (default: CPUs, at most 8)\n"
	    "  --log FILE           JSON lines here instead of stdout\n"
	    "  --ready-file FILE    write \"ADDR PORT\" here once listening\n"
	    "  -v, --verbose        each connection's progress on stderr\n"
	    "  -h, --help           this help\n"
	    "\n"
	    "Stops cleanly on SIGINT or SIGTERM.  Exit status: 0 stopped,\n"
	    "2 bad input, 3 cannot listen.\n",
	    CLOUD_MAX_CLIENTS_DEFAULT, CLOUD_DEADLINE_MS_DEFAULT / 1000);
}

static int
number(const char *opt, const char *s, long lo, long hi, long *out)
{
	if (cli_parse_long(s, lo, hi, out) == 0)
		return 0;
	log_warnx("%s '%s': expected a number from %ld to %ld", opt, s, lo,
	    hi);
	return -1;
}

int
cmd_cloud(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "server-key", required_argument, NULL, 'k' },
		{ "devices", required_argument, NULL, 'd' },
		{ "fault", required_argument, NULL, 'f' },
		{ "wire", required_argument, NULL, 'w' },
		{ "max-clients", required_argument, NULL, 'm' },
		{ "deadline", required_argument, NULL, 'D' },
		{ "stall", required_argument, NULL, 'S' },
		{ "threads", required_argument, NULL, 't' },
		{ "log", required_argument, NULL, 'L' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cloud_opts o;
	struct sockaddr_storage ss;
	struct sigaction sa;
	struct stat st;
	socklen_t sl;
	const char *listen_spec = NULL, *key = NULL, *log_path = NULL;
	char err[512];
	FILE *log = stdout;
	long v;
	int ch, rc;

	cloud_opts_init(&o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': listen_spec = optarg; break;
		case 'k': key = optarg; break;
		case 'd': o.devices_dir = optarg; break;
		case 'L': log_path = optarg; break;
		case 'r': o.ready_file = optarg; break;
		case 'f':
			if (!cloud_fault_from_name(optarg, &o.fault)) {
				log_warnx("--fault '%s': unknown fault (see "
				    "--help)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'w':
			if (!cloud_wire_from_name(optarg, &o.wire)) {
				log_warnx("--wire '%s': expected rfc7252 or "
				    "spark-server", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			if (number("--max-clients", optarg, 1, 65536, &v) != 0)
				return EXIT_USAGE;
			o.max_clients = (int)v;
			break;
		case 'D':
			if (cli_parse_seconds_ms(optarg, 3600, &o.deadline_ms)
			    != 0) {
				log_warnx("--deadline '%s': expected seconds "
				    "up to 3600 (or 500ms)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (cli_parse_seconds_ms(optarg, 3600, &o.stall_ms)
			    != 0) {
				log_warnx("--stall '%s': expected seconds "
				    "up to 3600 (or 500ms)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'v':
			log_init(log_verbose() + 1);
			break;
		case 't':
			if (number("--threads", optarg, 1, CLOUD_THREADS_MAX,
			    &v) != 0)
				return EXIT_USAGE;
			o.threads = (int)v;
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	if (cli_no_operands("cloud", argc, argv) != 0)
		return EXIT_USAGE;
	if (listen_spec == NULL || key == NULL || o.devices_dir == NULL) {
		log_warnx("cloud: --listen, --server-key and --devices are "
		    "required (see --help)");
		return EXIT_USAGE;
	}
	if (stat(o.devices_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_warnx("--devices %s: not a folder", o.devices_dir);
		return EXIT_USAGE;
	}
	if ((rc = handshake_resolve(listen_spec, 5683, true, &ss, &sl, err,
	    sizeof(err))) != 0) {
		log_warnx("--listen %s", err);
		return EXIT_USAGE;
	}
	if ((o.server_key = keys_load_private(key, KEYS_SERVER_BITS, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	if (log_path != NULL && (log = fopen(log_path, "a")) == NULL) {
		log_warn("--log %s", log_path);
		EVP_PKEY_free(o.server_key);
		return EXIT_USAGE;
	}
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		log_warn("pipe");
		rc = EXIT_RUNTIME;
		goto done;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	o.addr = (struct sockaddr *)&ss;
	o.addrlen = sl;
	o.log = log;
	o.stop_fd = stop_pipe[0];
	if (cloud_serve(&o, err, sizeof(err)) != 0) {
		log_warnx("cloud: %s", err);
		rc = EXIT_RUNTIME;
	} else
		rc = EXIT_OK;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
done:
	if (log != stdout)
		fclose(log);
	EVP_PKEY_free(o.server_key);
	return rc;
}
