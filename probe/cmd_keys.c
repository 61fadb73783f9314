/*
 * cmd_keys.c - `cyanprobe keys check` and `cyanprobe keys server-region`:
 * read a device's keys the way its firmware does (a PKCS#1 DER key in a
 * 612-byte slot; the server key region with its address and port), raise
 * the key-error flags the device would publish, and write a region that
 * points a device at a local cloud (particle-cloud.md 2.1-2.4).  Key bytes
 * are never printed: only shapes, sizes, addresses and verdicts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli.h"
#include "cmd.h"
#include "keys.h"
#include "log.h"
#include "report.h"

static void
check_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe keys check [--device-key FILE] [--server-key FILE]\n"
	    "           [--registered PUBKEY] [common options]\n"
	    "\n"
	    "At least one of --device-key and --server-key.\n"
	    "\n"
	    "check: decode the device private key as the device stores it (DER\n"
	    "  PKCS#1 RSA-1024 in a 612-byte slot, 0xFF or 0x00 fill allowed),\n"
	    "  derive its public key, decode a server-key region (294-byte DER,\n"
	    "  0xFF fill, address at +384, port at +450), print the server the\n"
	    "  device will use, the key-error flags it would publish, and\n"
	    "  whether the device key matches a registered public key.\n"
	    "  Exit 1 on any problem, 2 when a file cannot be read.\n"
	    "\n"
	    "common options:\n");
	cli_usage_common(f);
}

static void
region_usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe keys server-region --key PUB --host H [--port P]\n"
	    "           -o FILE [--size N] [-v]\n"
	    "\n"
	    "server-region: write a server key region for a local cloud, as\n"
	    "  `particle keys server` does: a host of digits and dots is an\n"
	    "  IPv4 address, anything else a domain (at most 63 bytes).  --port\n"
	    "  is written only when given (else the device uses 5683).  --size\n"
	    "  is the region size (default 512).  Flash it with dfu-util; see\n"
	    "  docs/local-cloud.md.\n"
	    "\n"
	    "  -v, --verbose   what was read, on standard error\n"
	    "  -h, --help      this help\n");
}

/* `keys` alone or `keys --help`: both subcommands. */
static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe keys check [--device-key FILE] [--server-key FILE]\n"
	    "           [--registered PUBKEY] [common options]\n"
	    "       cyanprobe keys server-region --key PUB --host H [--port P]\n"
	    "           -o FILE [--size N] [-v]\n"
	    "\n"
	    "Run `cyanprobe keys check --help` or `cyanprobe keys server-region\n"
	    "--help` for the details.\n");
}

static const char *const flag_names[8] = {
	"PUBLIC_SERVER_KEY_BLANK", "PUBLIC_SERVER_KEY_CORRUPTED",
	"SERVER_ADDRESS_BLANK", "SERVER_ADDRESS_CORRUPTED",
	"PUBLIC_DEVICE_KEY_BLANK", "PUBLIC_DEVICE_KEY_CORRUPTED",
	"PRIVATE_DEVICE_KEY_BLANK", "PRIVATE_DEVICE_KEY_CORRUPTED",
};

static void
print_flags(unsigned flags)
{
	int i, first = 1;

	printf("key-error flags  0x%02x", flags);
	for (i = 0; i < 8; i++) {
		if (flags & (1u << i)) {
			printf("%s%s", first ? " (" : ", ", flag_names[i]);
			first = 0;
		}
	}
	printf("%s\n", first ? " (none)" : ")");
}

/*
 * Read a key file and decode it as a device key (into dev) or, with dev
 * NULL, as a server key region (into reg).  False, with the message
 * printed, when the file cannot be read: bad input, not a finding.
 */
static bool
decode_file(const char *path, struct keys_device *dev, struct keys_region *reg)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[512];

	if (keys_read_file(path, &buf, &len, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return false;
	}
	if (dev != NULL)
		keys_device_decode(buf, len, dev);
	else
		keys_region_decode(buf, len, reg);
	keys_free_buf(buf, len);
	return true;
}

/* The files `keys check` was given. */
struct keys_args {
	const char	*dpath;		/* --device-key */
	const char	*spath;		/* --server-key */
	const char	*rpath;		/* --registered */
};

/* What was read from those files, and what was made of it. */
struct keys_seen {
	struct keys_device	 dev;
	struct keys_region	 reg;
	EVP_PKEY		*registered;
	bool			 have_dev;
	bool			 have_reg;
	int			 match;	/* -1 not compared, else 0/1 */
	unsigned		 flags;	/* the key-error flags */
};

/* Parsing went through: carry on (any other value is the exit code). */
#define KEYS_GO	(-1)

/* Options into a; KEYS_GO, or the exit code for --help and bad input. */
static int
keys_check_parse(int argc, char **argv, struct cli *cli, struct keys_args *a)
{
	static const struct option longopts[] = {
		{ "device-key", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 's' },
		{ "registered", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = cli_getopt(cli, argc, argv, CLI_SHORT_OPTIONS "h",
	    longopts)) != -1) {
		switch (ch) {
		case CLI_BAD:
			return EXIT_USAGE;
		case 'k': a->dpath = optarg; break;
		case 's': a->spath = optarg; break;
		case 'R': a->rpath = optarg; break;
		default:
			return cli_help(ch, check_usage);
		}
	}
	if (cli_no_operands("keys check", argc, argv) != 0)
		return EXIT_USAGE;
	if (a->dpath == NULL && a->spath == NULL) {
		log_warnx("keys check: give --device-key and/or --server-key");
		return EXIT_USAGE;
	}
	if (a->rpath != NULL && a->dpath == NULL) {
		log_warnx("keys check: --registered needs --device-key");
		return EXIT_USAGE;
	}
	return KEYS_GO;
}

/*
 * Read every file first: false, with the message printed, when one cannot
 * be read, which is bad input (2).
 */
static bool
keys_check_read(const struct keys_args *a, struct keys_seen *ks)
{
	char err[512];

	if (a->dpath != NULL) {
		if (!decode_file(a->dpath, &ks->dev, NULL))
			return false;
		ks->have_dev = true;
		log_info("keys: %s: a device private key, %zu-byte DER%s%s",
		    a->dpath, ks->dev.der_len, ks->dev.was_pem ?
		    " (from PEM)" : "", ks->dev.key != NULL ? "" :
		    ", not usable");
	}
	if (a->spath != NULL) {
		if (!decode_file(a->spath, NULL, &ks->reg))
			return false;
		ks->have_reg = true;
		log_info("keys: %s: a server key region%s, cloud %s:%u%s",
		    a->spath, ks->reg.key != NULL ? "" : " with no usable key",
		    ks->reg.host, ks->reg.port, ks->reg.host_default ?
		    " (the firmware's default)" : "");
	}
	if (a->rpath != NULL && (ks->registered = keys_load_public(a->rpath,
	    0, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return false;
	}
	return true;
}

/* The device key's findings, and whether it matches the registered one. */
static void
keys_check_device(const struct keys_args *a, struct keys_seen *ks,
    struct findings *fl)
{
	ks->flags |= ks->dev.flags;
	if (ks->dev.flags & KEYS_F_PRIVATE_DEVICE_KEY_BLANK)
		findings_add(fl, FINDING_KEYS_DEVICE_KEY_BLANK,
		    "%s: %s", a->dpath, ks->dev.problem);
	else if (ks->dev.flags & KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED)
		findings_add(fl, FINDING_KEYS_DEVICE_KEY_CORRUPT, "%s: %s",
		    a->dpath, ks->dev.problem);
	if (ks->registered != NULL && ks->dev.key != NULL) {
		ks->match = EVP_PKEY_eq(ks->dev.key, ks->registered) == 1;
		if (!ks->match)
			findings_add(fl, FINDING_KEYS_DEVICE_KEY_MISMATCH,
			    "%s does not match the registered key %s",
			    a->dpath, a->rpath);
	}
}

/* The server key region's findings. */
static void
keys_check_region(const char *spath, struct keys_seen *ks,
    struct findings *fl)
{
	const struct keys_region *reg = &ks->reg;

	ks->flags |= reg->flags;
	if (reg->flags & KEYS_F_SERVER_KEY_BLANK)
		findings_add(fl, FINDING_KEYS_SERVER_KEY_BLANK,
		    "%s: the server key starts with 0xFF; the firmware "
		    "uses its built-in Particle cloud key", spath);
	if (reg->flags & KEYS_F_SERVER_KEY_CORRUPTED)
		findings_add(fl, FINDING_KEYS_SERVER_KEY_CORRUPT, "%s: %s",
		    spath, reg->problem);
	if (reg->flags & KEYS_F_SERVER_ADDRESS_BLANK)
		findings_add(fl, FINDING_KEYS_SERVER_ADDRESS_BLANK, "%s: %s; "
		    "the device uses %s", spath, reg->short_file ?
		    "the file ends before the address at +384" :
		    "no address type at +384", KEYS_DEFAULT_HOST);
	if (reg->flags & KEYS_F_SERVER_ADDRESS_CORRUPTED)
		findings_add(fl, FINDING_KEYS_SERVER_ADDRESS_CORRUPT,
		    "%s: %s", spath, reg->problem);
}

/* The report's "keys" facts: shapes, sizes and verdicts, never bytes. */
static void
keys_check_facts(struct report *rep, const struct keys_args *a,
    const struct keys_seen *ks)
{
	cJSON *facts, *d, *s;

	if ((facts = report_facts(rep, "keys")) == NULL)
		return;
	cJSON_AddNumberToObject(facts, "key_error_flags", ks->flags);
	if (ks->have_dev) {
		d = cJSON_AddObjectToObject(facts, "device_key");
		cJSON_AddStringToObject(d, "file", a->dpath);
		cJSON_AddBoolToObject(d, "ok", ks->dev.key != NULL);
		cJSON_AddBoolToObject(d, "pem", ks->dev.was_pem);
		if (ks->dev.der_len > 0)
			cJSON_AddNumberToObject(d, "der_bytes",
			    (double)ks->dev.der_len);
		if (ks->dev.problem[0] != '\0')
			cJSON_AddStringToObject(d, "problem", ks->dev.problem);
		if (ks->match >= 0)
			cJSON_AddBoolToObject(d, "matches_registered",
			    ks->match);
	}
	if (ks->have_reg) {
		s = cJSON_AddObjectToObject(facts, "server");
		cJSON_AddStringToObject(s, "file", a->spath);
		cJSON_AddBoolToObject(s, "key_ok", ks->reg.key != NULL);
		cJSON_AddStringToObject(s, "host", ks->reg.host);
		cJSON_AddNumberToObject(s, "port", ks->reg.port);
		cJSON_AddBoolToObject(s, "host_default", ks->reg.host_default);
		cJSON_AddBoolToObject(s, "port_default", ks->reg.port_default);
	}
}

/* The text lines that lead the report. */
static void
keys_check_print(const struct keys_args *a, const struct keys_seen *ks)
{
	const struct keys_device *dev = &ks->dev;
	const struct keys_region *reg = &ks->reg;

	if (ks->have_dev) {
		printf("device key       %s: ", a->dpath);
		if (dev->key != NULL && dev->was_pem)
			printf("ok, RSA-1024 (a PEM file: flash its "
			    "PKCS#1 DER, from openssl rsa -traditional "
			    "-outform DER)\n");
		else if (dev->key != NULL)
			printf("ok, RSA-1024 PKCS#1, %zu bytes of DER "
			    "in the %d-byte slot\n", dev->der_len,
			    KEYS_DEVICE_SLOT);
		else
			printf("%s\n", dev->problem);
	}
	if (ks->have_reg) {
		printf("server key       %s: %s\n", a->spath,
		    reg->key != NULL ? "ok, RSA-2048, 294-byte DER" :
		    (reg->flags & KEYS_F_SERVER_KEY_BLANK) ? "blank "
		    "(the firmware uses its built-in Particle key)" :
		    reg->problem);
		printf("server address   %s:%u%s\n", reg->host,
		    (unsigned)reg->port, reg->host_default ?
		    " (firmware default: no address in the region)" :
		    reg->port_default ? " (default port)" : "");
	}
	if (ks->match >= 0)
		printf("registered key   %s: %s\n", a->rpath, ks->match ?
		    "matches the device key" :
		    "does NOT match the device key");
	print_flags(ks->flags);
	printf("\n");
}

/*
 * Any problem counts here, warnings too (a blank server key sends
 * the device to Particle's cloud); a blank address is only info.
 */
static bool
keys_check_problems(const struct cli *cli, const struct report *rep)
{
	const struct rule *ru;
	bool problems = false;
	size_t i;

	for (i = 0; i < rep->findings.n; i++) {
		ru = rules_get(cli->rules, rep->findings.item[i].id);
		if (ru == NULL || ru->severity >= SEVERITY_WARNING)
			problems = true;
	}
	return problems;
}

static void
keys_seen_free(struct keys_seen *ks)
{
	keys_device_free(&ks->dev);
	keys_region_free(&ks->reg);
	EVP_PKEY_free(ks->registered);
}

static int
keys_check(int argc, char **argv)
{
	struct keys_args a;
	struct keys_seen ks;
	struct cli cli;
	struct report rep;
	bool problems;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&ks, 0, sizeof(ks));
	ks.match = -1;
	cli_init(&cli);
	if ((rc = keys_check_parse(argc, argv, &cli, &a)) != KEYS_GO)
		return rc;
	if ((rc = cli_load(&cli)) != 0) {
		cli_free(&cli);
		return rc;
	}
	cli_report_init(&cli, &rep, "live");
	if (!keys_check_read(&a, &ks)) {
		keys_seen_free(&ks);
		report_free(&rep);
		cli_free(&cli);
		return EXIT_USAGE;
	}
	if (ks.have_dev)
		keys_check_device(&a, &ks, &rep.findings);
	if (ks.have_reg)
		keys_check_region(a.spath, &ks, &rep.findings);
	keys_check_facts(&rep, &a, &ks);
	if (cli_text(&cli))
		keys_check_print(&a, &ks);
	problems = keys_check_problems(&cli, &rep);
	rc = cli_finish(&cli, &rep, true);
	if (rc == EXIT_OK && problems)
		rc = EXIT_PROBLEMS;
	keys_seen_free(&ks);
	cli_free(&cli);
	return rc;
}

static int
keys_server_region(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *kpath = NULL, *host = NULL, *out = NULL;
	uint8_t region[1024], *der = NULL;
	size_t dlen = 0, size = KEYS_REGION_LEN;
	long port = 0, v;
	EVP_PKEY *k;
	char err[512];
	FILE *f;
	int ch, rc = EXIT_USAGE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, ":ho:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': kpath = optarg; break;
		case 'H': host = optarg; break;
		case 'o': out = optarg; break;
		case 'v': log_init(log_verbose() + 1); break;
		case 'p':
			if (cli_parse_long(optarg, 1, 65534, &port) != 0) {
				log_warnx("--port '%s': expected 1 to 65534",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			if (cli_parse_long(optarg, KEYS_PORT_OFFSET + 2,
			    (long)sizeof(region), &v) != 0) {
				log_warnx("--size '%s': expected %d to %zu",
				    optarg, KEYS_PORT_OFFSET + 2,
				    sizeof(region));
				return EXIT_USAGE;
			}
			size = (size_t)v;
			break;
		default:
			return cli_help(ch, region_usage);
		}
	}
	if (cli_no_operands("keys server-region", argc, argv) != 0)
		return EXIT_USAGE;
	if (kpath == NULL || host == NULL || out == NULL) {
		log_warnx("keys server-region: --key, --host and -o are "
		    "required");
		return EXIT_USAGE;
	}
	if ((k = keys_load_public(kpath, KEYS_SERVER_BITS, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	if (keys_spki_der(k, &der, &dlen) != 0) {
		log_warnx("%s: cannot encode the public key", kpath);
		goto done;
	}
	log_info("keys: %s: a %zu-byte DER public key", kpath, dlen);
	if (keys_region_encode(der, dlen, host, (uint16_t)port, region, size,
	    err, sizeof(err)) != 0) {
		log_warnx("--host %s", err);
		goto done;
	}
	if ((f = fopen(out, "wb")) == NULL ||
	    fwrite(region, 1, size, f) != size || fclose(f) != 0) {
		log_warn("%s", out);
		rc = EXIT_RUNTIME;
		goto done;
	}
	printf("wrote %s: %zu-byte server key region for %s:%ld\n", out,
	    size, host, port != 0 ? port : (long)KEYS_DEFAULT_PORT);
	rc = EXIT_OK;
done:
	OPENSSL_free(der);
	EVP_PKEY_free(k);
	return rc;
}

int
cmd_keys(int argc, char **argv)
{
	/* getopt names its complaints after argv[0]. */
	static char check_name[] = "cyanprobe: keys check";
	static char region_name[] = "cyanprobe: keys server-region";

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "check") == 0) {
		argv[1] = check_name;
		cli_command(argv + 1);
		return keys_check(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "server-region") == 0) {
		argv[1] = region_name;
		cli_command(argv + 1);
		return keys_server_region(argc - 1, argv + 1);
	}
	log_warnx("keys: unknown subcommand '%s' (check, server-region)",
	    argv[1]);
	return EXIT_USAGE;
}
