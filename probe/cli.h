/*
 * cli.h - the options every reporting command shares, and the common ending
 * of such a command: load rules and the device profile, then decide and
 * render the report in every output asked for and return the exit status.
 *
 * Outputs: text on standard output, plus any of --json, --markdown,
 * --junit and --json-lines, each to its own FILE (or to standard output
 * instead of the text, "-" or no FILE).  Two outputs cannot share standard
 * output or a file; cli_load() refuses that with a message naming both.
 *
 * A command uses it like this:
 *
 *	static const struct option opts[] = {
 *		CLI_LONG_OPTIONS,
 *		{ "help", no_argument, NULL, 'h' },
 *		{ "mine", required_argument, NULL, 'm' },
 *		{ NULL, 0, NULL, 0 }
 *	};
 *	struct cli cli;
 *	struct report r;
 *
 *	cli_init(&cli);
 *	optind = 1;
 *	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORT_OPTIONS "hm:",
 *	    opts)) != -1) {		// shared options: handled inside
 *		switch (ch) {
 *		case CLI_BAD: return EXIT_USAGE;	// bad value, said so
 *		case 'm': ...; break;
 *		default: return cli_help(ch, usage);	// -h, or unknown
 *		}
 *	}
 *	if (cli_no_operands("mine", argc, argv) != 0)
 *		return EXIT_USAGE;
 *	if ((rc = cli_load(&cli)) != 0)
 *		return rc;			// EXIT_USAGE, message printed
 *	cli_report_init(&cli, &r, "live");
 *	... findings_add(&r.findings, ...), report_facts(&r, "dhcp") ...
 *	rc = cli_finish(&cli, &r, true);	// decides, renders, frees r
 *	cli_free(&cli);
 *	return rc;
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "report.h"
#include "rules.h"
#include "stage.h"

enum cli_format {
	CLI_TEXT,
	CLI_JSON,
	CLI_MARKDOWN,
	CLI_JUNIT,
	CLI_JSON_LINES,
	CLI_FORMAT_COUNT
};

/* One output asked for on the command line. */
struct cli_output {
	bool		 want;
	const char	*path;		/* NULL: standard output */
};

/* Option codes of the shared long options: above any short option. */
enum {
	CLI_OPT_RULES = 0x1000,
	CLI_OPT_DEVICE,
	CLI_OPT_FIRMWARE,
	CLI_OPT_JSON,
	CLI_OPT_MARKDOWN,
	CLI_OPT_TEXT,
	CLI_OPT_NO_REDACT,
	CLI_OPT_ROUTER,
	CLI_OPT_ENVIRONMENT,
	CLI_OPT_ISP,
	CLI_OPT_JUNIT,
	CLI_OPT_JSON_LINES
};

#define CLI_LONG_OPTIONS						\
	{ "rules", required_argument, NULL, CLI_OPT_RULES },		\
	{ "device", required_argument, NULL, CLI_OPT_DEVICE },		\
	{ "firmware", required_argument, NULL, CLI_OPT_FIRMWARE },	\
	{ "json", optional_argument, NULL, CLI_OPT_JSON },		\
	{ "markdown", optional_argument, NULL, CLI_OPT_MARKDOWN },	\
	{ "junit", optional_argument, NULL, CLI_OPT_JUNIT },		\
	{ "json-lines", optional_argument, NULL, CLI_OPT_JSON_LINES },	\
	{ "text", no_argument, NULL, CLI_OPT_TEXT },			\
	{ "no-redact", no_argument, NULL, CLI_OPT_NO_REDACT },		\
	{ "router", required_argument, NULL, CLI_OPT_ROUTER },		\
	{ "environment", required_argument, NULL, CLI_OPT_ENVIRONMENT },\
	{ "isp", required_argument, NULL, CLI_OPT_ISP },		\
	{ "verbose", no_argument, NULL, 'v' }

#define CLI_SHORT_OPTIONS	":v"	/* ":" first: see cli_bad_option() */

struct cli {
	/* From the options. */
	const char		*rules_dir;	/* --rules; NULL: default */
	const char		*device;	/* --device; "photon" */
	const char		*firmware;	/* --firmware; NULL: default */
	struct cli_output	 out[CLI_FORMAT_COUNT];	/* by format */
	bool			 text_flag;	/* --text was given */
	bool			 redact;	/* false with --no-redact */
	const char		*router, *environment, *isp;
	int			 verbose;	/* -v, repeatable */
	/* Set by the command: cli_finish() also writes the JSON here. */
	const char		*keep_json;
	/* Filled by cli_load(). */
	struct rules		*rules;		/* owned */
	const struct profile	*profile;
	struct fw_version	 fw;
	char			 fw_str[32];
	enum led_era		 era;
};

/* Defaults: text, Photon, its default firmware, redaction on. */
void	cli_init(struct cli *c);

/*
 * Ask for output `f` to path (NULL or "-": standard output).  Returns 0,
 * or -1 after a message when that output was asked for already, or the
 * path is empty.
 */
int	cli_set_output(struct cli *c, enum cli_format f, const char *path);

/*
 * Does the text report go to standard output: --text, or no other output
 * there?  Commands print their text-only preamble (tables, checks) when so.
 */
bool	cli_text(const struct cli *c);

/* Was output f asked for (text: cli_text())? */
bool	cli_wants(const struct cli *c, enum cli_format f);

/* The option that asks for output f, "--json" ... ("--text"). */
const char *cli_format_flag(enum cli_format f);

/*
 * Handle option `opt` (a getopt_long return) if it is a shared one.
 * Returns 1 when handled, 0 when it is not a shared option (the command
 * handles it), -1 on a bad value (message printed; exit EXIT_USAGE).
 */
int	cli_option(struct cli *c, int opt, const char *arg);

/* The shared options' help lines, for a command's usage(). */
void	cli_usage_common(FILE *f);

/*
 * Check that no two outputs share standard output or a file, load the
 * rules (--rules, else the default folder), pick the profile (--device)
 * and firmware (--firmware, else the profile's default) and check that the
 * profile knows that firmware.  Returns 0, or EXIT_USAGE after printing
 * "cyanprobe: ..." naming the bad file, path, value or clashing options.
 */
int	cli_load(struct cli *c);

/* report_init() plus the device, firmware and LED era from cli_load(). */
void	cli_report_init(const struct cli *c, struct report *r,
	    const char *kind);

/*
 * Finish a command: fill the forum fields the report left empty from the
 * flags, run report_decide() if `decide`, write the report to every output
 * asked for (--json-lines appends, the others replace the file), and
 * release it (report_free).  An output that cannot be written is named
 * and the others are still written.  Returns the exit status:
 * report_exit_status(), or EXIT_RUNTIME when an output cannot be written.
 */
int	cli_finish(struct cli *c, struct report *r, bool decide);

/* Release what cli_load() allocated; cli_free(NULL) is a no-op. */
void	cli_free(struct cli *c);

/*
 * May text to `f` carry escape codes (colour, cursor moves): a TTY, TERM
 * set and not "dumb", and no NO_COLOR in the environment?
 */
bool	cli_color(FILE *f);

/*
 * The columns text to `f` must fit: $COLUMNS when set, else the terminal's
 * width, else 80.
 */
int	cli_width(FILE *f);

/*
 * Option parsing helpers for every command, reporting or not.  A command's
 * option switch ends with
 *
 *	default:
 *		return cli_help(ch, usage);
 *
 * and after the loop calls cli_no_operands().  The number parsers print
 * nothing: each command words its own message, naming the option.
 */

/*
 * getopt_long() gives an optional argument only as `--json=FILE`.  For a
 * command without operands, where the next word can be nothing else, take
 * `--json FILE`, `--json -`, `--markdown FILE` (and --junit, --json-lines)
 * too: call this right after cli_option() handled `opt`.  cli_getopt()
 * does so itself.
 */
void	cli_file_word(struct cli *c, int opt, int argc, char **argv);

/* cli_getopt()'s answer after a bad value of a shared option. */
#define CLI_BAD		(-2)

/*
 * getopt_long() for a reporting command that handles the shared options
 * itself (cli_option()): returns the next option the command handles, -1
 * at the end, or CLI_BAD after a bad value of a shared one (message
 * printed; exit EXIT_USAGE).  shortopts starts with CLI_SHORT_OPTIONS.
 * Reset optind to 1 before the first call, as for getopt_long().
 */
int	cli_getopt(struct cli *c, int argc, char **argv,
	    const char *shortopts, const struct option *longopts);

/*
 * main.c calls this with the command's argv (argv[0] "cyanprobe: CMD")
 * before running it, so that cli_bad_option() can name the command and
 * the offending word.
 */
void	cli_command(char **argv);

/*
 * After getopt_long() returned '?' (unknown option) or ':' (missing value;
 * optstrings start with ':'), print the one line every command gives:
 * "cyanprobe: CMD: unknown option '--x' (see cyanprobe CMD --help)" or
 * "cyanprobe: CMD: option '--x' needs a value (see ...)".
 */
void	cli_bad_option(int opt);

/*
 * For -h/--help ('h') print usage to stdout and return EXIT_OK; for any
 * other (unknown or malformed) option print cli_bad_option()'s line and
 * return EXIT_USAGE.  The result is the command's exit status.
 */
int	cli_help(int opt, void (*usage)(FILE *));

/*
 * After getopt_long: 0 when no operand is left (optind == argc), else
 * EXIT_USAGE after "cyanprobe: CMD: unexpected argument 'ARG'".
 */
int	cli_no_operands(const char *cmd, int argc, char **argv);

/*
 * A whole string in base 10 within [min, max] (strtol: leading blanks and
 * a sign allowed, overflow refused).  Returns 0 and sets *out, or -1 and
 * leaves *out unspecified.
 */
int	cli_parse_long(const char *s, long min, long max, long *out);

/*
 * A duration, the same way in every command and in qa plans: seconds,
 * fractions allowed ("1.5"), or parts that each take a unit, h, m, s or
 * ms: "250ms", "2s", "1.5m", "2h5m".  A number without a unit only alone.
 * Within [min_s, max_s] seconds.  Returns 0 and sets *sec, or -1 and
 * leaves *sec alone.
 */
int	cli_parse_duration(const char *s, double min_s, double max_s,
	    double *sec);

/*
 * cli_parse_duration() above 0 and at most max_s, as milliseconds (at
 * least 1).  Returns 0 and sets *ms, or -1.
 */
int	cli_parse_seconds_ms(const char *s, double max_s, int *ms);

#endif /* CLI_H */
