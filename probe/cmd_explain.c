/*
 * cmd_explain.c - `cyanprobe explain`: what an LED signal means for a given
 * device and firmware, at which connect stage it stopped, and the ranked
 * causes (rules) with advice.  The observation comes as flags (--color,
 * --blinks, --pattern) or as words ("2 orange blinks"); reading and
 * matching it is analyzers/ledobs.c, the meaning is analyzers/stage.c and
 * the causes are rules/findings.json.  --list prints the LED table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "ledobs.h"
#include "log.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe explain [OPTIONS] WORDS...\n"
	    "       cyanprobe explain [OPTIONS] --color C [--blinks N] "
	    "[--pattern P]\n"
	    "       cyanprobe explain [OPTIONS] --list\n"
	    "\n"
	    "Say what the device's LED means: the connect stage it stopped "
	    "at, and the\n"
	    "likely causes with advice, most likely first.\n"
	    "\n"
	    "  WORDS                  the observation in words: \"2 orange "
	    "blinks\",\n"
	    "                         \"blinking green\", \"fast cyan then "
	    "red\", \"breathing cyan\"\n"
	    "  --color C              white, blue, green, cyan, magenta, "
	    "yellow, orange, red, off\n"
	    "  --blinks N             the number of blinks before the pause\n"
	    "  --pattern P            solid, blink, fast or breathe\n"
	    "  --list                 print the whole LED table for the device "
	    "and firmware\n"
	    "  --json FILE            as --json=FILE when FILE has a dot or a "
	    "slash\n"
	    "                         (out.json, ./r); any other word is the "
	    "observation\n");
	cli_usage_common(f);
	fprintf(f,
	    "\n"
	    "examples:\n"
	    "  cyanprobe explain --device core --firmware 0.3.4 --color red "
	    "--blinks 3\n"
	    "  cyanprobe explain --firmware 1.5.2 2 orange blinks\n"
	    "  cyanprobe explain --firmware 2.3.1 --json \"1 orange blink\"\n"
	    "\n"
	    "Exit status: 0 the signal is not a failure, 1 it is a failure, "
	    "2 the\n"
	    "observation cannot be read or means nothing for this device and "
	    "firmware.\n");
}

/* The LED table as JSON, to --json's file or standard output. */
static int
list_json(struct cli *c)
{
	const struct stage_signal *t;
	const char *path = c->out[CLI_JSON].path;
	cJSON *root, *arr, *o;
	char *text;
	size_t i, n;
	FILE *out = stdout;
	int rc = EXIT_OK;

	t = stage_table(&n);
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "device", c->profile->name);
	cJSON_AddStringToObject(root, "firmware", c->fw_str);
	cJSON_AddStringToObject(root, "led_era", led_era_name(c->era));
	arr = cJSON_AddArrayToObject(root, "signals");
	for (i = 0; i < n; i++) {
		if ((t[i].eras & LED_ERA_BIT(c->era)) == 0)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "stage",
		    stage_name((enum stage)t[i].stage));
		cJSON_AddStringToObject(o, "fail",
		    stage_fail_name((enum stage_fail)t[i].fail));
		cJSON_AddStringToObject(o, "color",
		    led_color_name((enum led_color)t[i].led.color));
		cJSON_AddStringToObject(o, "pattern", led_pattern_name(
		    (enum led_pattern)t[i].led.pattern));
		cJSON_AddNumberToObject(o, "count", t[i].led.count);
		cJSON_AddStringToObject(o, "meaning", t[i].meaning);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (path != NULL && (out = fopen(path, "w")) == NULL) {
		log_warn("--json %s", path);
		cJSON_free(text);
		return EXIT_RUNTIME;
	}
	if (text == NULL || fputs(text, out) == EOF || fputc('\n', out) == EOF)
		rc = EXIT_RUNTIME;
	if (out != stdout ? fclose(out) == EOF : fflush(out) == EOF)
		rc = EXIT_RUNTIME;
	cJSON_free(text);
	return rc;
}

static int
list_table(struct cli *c)
{
	const struct stage_signal *t;
	char led[64];
	size_t i, n;
	int rc = EXIT_OK;

	if (cli_wants(c, CLI_MARKDOWN) || cli_wants(c, CLI_JUNIT) ||
	    cli_wants(c, CLI_JSON_LINES)) {
		log_warnx("explain: --list writes text or --json only");
		return EXIT_USAGE;
	}
	if (cli_wants(c, CLI_JSON) && (rc = list_json(c)) != EXIT_OK)
		return rc;
	if (!cli_text(c))
		return EXIT_OK;
	t = stage_table(&n);
	printf("LED signals of a %s on firmware %s (%s LED era):\n\n",
	    c->profile->title, c->fw_str, led_era_name(c->era));
	printf("  %-13s %-15s %-22s %s\n", "STAGE", "FAILURE", "LED",
	    "MEANING");
	for (i = 0; i < n; i++) {
		if ((t[i].eras & LED_ERA_BIT(c->era)) == 0)
			continue;
		report_led_words(led, sizeof(led), t[i].led);
		printf("  %-13s %-15s %-22s %s\n",
		    stage_name((enum stage)t[i].stage),
		    t[i].fail == STAGE_FAIL_NONE ? "-" :
		    stage_fail_name((enum stage_fail)t[i].fail), led,
		    t[i].meaning);
	}
	return fflush(stdout) == EOF ? EXIT_RUNTIME : EXIT_OK;
}

/* Add rules for (stage, fail) to the verdict's causes, in rank order. */
static void
add_causes(struct cli *c, struct report *r, const struct stage_signal *row)
{
	const struct rule *out[VERDICT_CAUSES_MAX];
	struct verdict *v = &r->verdict;
	size_t n, i, j;

	n = rules_causes(c->rules, (enum stage)row->stage,
	    (enum stage_fail)row->fail, c->profile, c->era, out,
	    VERDICT_CAUSES_MAX);
	if (n > VERDICT_CAUSES_MAX)
		n = VERDICT_CAUSES_MAX;
	for (i = 0; i < n && v->ncauses < VERDICT_CAUSES_MAX; i++) {
		for (j = 0; j < v->ncauses; j++)
			if (v->causes[j] == out[i])
				break;
		if (j == v->ncauses)
			v->causes[v->ncauses++] = out[i];
	}
}

/* What this firmware does at the stage, for the summary. */
static void
stage_detail(const struct cli *c, enum stage s, char *buf, size_t len)
{
	const struct internet_test *t;

	buf[0] = '\0';
	if (s == STAGE_INTERNET &&
	    (t = profile_internet_test(c->profile, &c->fw)) != NULL) {
		if (t->kind == INTERNET_TEST_TCP)
			snprintf(buf, len, " (this firmware's internet test: "
			    "TCP connect to %s:%u)", t->host, t->port);
		else
			snprintf(buf, len, " (this firmware's internet test: "
			    "look up %s, then NTP on UDP %u)", t->host,
			    t->port);
	} else if (s == STAGE_CLOUD || s == STAGE_HANDSHAKE)
		snprintf(buf, len, " (cloud: %s, %s port %u)",
		    c->profile->cloud.host, c->profile->cloud.transport,
		    c->profile->cloud.port);
}

static int
explain(struct cli *c, const struct led_obs *obs, const char *words)
{
	struct ledobs_match m;
	struct report r;
	const struct stage_signal *row;
	cJSON *fx, *arr, *o;
	char err[512], desc[160], detail[200];
	size_t i;

	if (ledobs_match(obs, c->era, &m, err, sizeof(err)) == -1) {
		log_warnx("%s, for a %s on firmware %s", err,
		    c->profile->title, c->fw_str);
		return EXIT_USAGE;
	}
	row = m.row[0];
	cli_report_init(c, &r, "explain");
	ledobs_describe(obs, desc, sizeof(desc));
	r.source = cJSON_CreateObject();
	cJSON_AddStringToObject(r.source, "observation", desc);
	if (words != NULL)
		cJSON_AddStringToObject(r.source, "words", words);

	r.verdict.stage = (enum stage)row->stage;
	r.verdict.fail = (enum stage_fail)row->fail;
	r.verdict.led = row->led;
	r.verdict.led_known = true;
	r.verdict.state = row->fail != STAGE_FAIL_NONE ? VERDICT_PROBLEM :
	    VERDICT_OK;
	stage_detail(c, r.verdict.stage, detail, sizeof(detail));
	snprintf(r.verdict.summary, sizeof(r.verdict.summary), "%s%s",
	    row->meaning, detail);
	/*
	 * An identical signal at another stage is part of the answer, and
	 * progress at an earlier stage too: blinking cyan is a session that
	 * drops and re-dials, but first of all a device still connecting.
	 */
	for (i = 1; i < m.n; i++) {
		size_t used = strlen(r.verdict.summary);

		if (m.row[i]->stage == row->stage ||
		    (row->fail != STAGE_FAIL_NONE &&
		    m.row[i]->fail == STAGE_FAIL_NONE &&
		    m.row[i]->stage > row->stage) ||
		    used + strlen(m.row[i]->meaning) + 32 >=
		    sizeof(r.verdict.summary))
			continue;
		snprintf(r.verdict.summary + used,
		    sizeof(r.verdict.summary) - used,
		    "; the same signal also means: %s", m.row[i]->meaning);
	}
	for (i = 0; i < m.n; i++)
		if (m.row[i]->fail != STAGE_FAIL_NONE || i == 0)
			add_causes(c, &r, m.row[i]);

	/* Other readings of the same signal (e.g. green on a 2014 Core). */
	fx = report_facts(&r, "explain");
	cJSON_AddStringToObject(fx, "meaning", row->meaning);
	arr = cJSON_AddArrayToObject(fx, "same_signal");
	for (i = 1; i < m.n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "stage",
		    stage_name((enum stage)m.row[i]->stage));
		cJSON_AddStringToObject(o, "fail",
		    stage_fail_name((enum stage_fail)m.row[i]->fail));
		cJSON_AddStringToObject(o, "meaning", m.row[i]->meaning);
		cJSON_AddItemToArray(arr, o);
	}
	return cli_finish(c, &r, false);
}

/*
 * The observation is words, so `--json FILE` cannot always take the next
 * word as its file: it does when that word cannot be part of an
 * observation (it holds a dot or a slash, like "out.json" or "./r", or is
 * "-"), else --json=FILE must be written.  Returns the word that followed
 * a bare output option (--json, --markdown, --junit, --json-lines) and
 * was left to the observation, or NULL.
 */
static const char *
explain_file_word(struct cli *c, int opt, int argc, char **argv)
{
	const char *next;

	if ((opt != CLI_OPT_JSON && opt != CLI_OPT_MARKDOWN &&
	    opt != CLI_OPT_JUNIT && opt != CLI_OPT_JSON_LINES) ||
	    optarg != NULL || optind >= argc)
		return NULL;
	next = argv[optind];
	if (strcmp(next, "-") == 0 || (next[0] != '-' &&
	    strpbrk(next, "./") != NULL)) {
		cli_file_word(c, opt, argc, argv);
		return NULL;
	}
	return next[0] == '-' ? NULL : next;
}

int
cmd_explain(int argc, char **argv)
{
	enum {
		OPT_COLOR = 0x100, OPT_BLINKS, OPT_PATTERN, OPT_LIST
	};
	static const struct option opts[] = {
		CLI_LONG_OPTIONS,
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "blinks", required_argument, NULL, OPT_BLINKS },
		{ "pattern", required_argument, NULL, OPT_PATTERN },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli c;
	struct led_obs obs;
	const char *color = NULL, *blinks = NULL, *pattern = NULL;
	const char *left = NULL;	/* see explain_file_word() */
	char words[LEDOBS_TEXT_MAX + 1] = "", err[512];
	size_t used = 0;
	bool list = false;
	int ch, rc, i;

	cli_init(&c);
	optind = 1;
	while ((ch = getopt_long(argc, argv, CLI_SHORT_OPTIONS "h", opts,
	    NULL)) != -1) {
		switch (cli_option(&c, ch, optarg)) {
		case 1:
			if (left == NULL)
				left = explain_file_word(&c, ch, argc, argv);
			continue;
		case -1:
			return EXIT_USAGE;
		}
		switch (ch) {
		case OPT_COLOR:
			color = optarg;
			break;
		case OPT_BLINKS:
			blinks = optarg;
			break;
		case OPT_PATTERN:
			pattern = optarg;
			break;
		case OPT_LIST:
			list = true;
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	for (i = optind; i < argc; i++) {
		if (used + strlen(argv[i]) + 1 > LEDOBS_TEXT_MAX) {
			log_warnx("the observation is longer than %d characters",
			    LEDOBS_TEXT_MAX);
			return EXIT_USAGE;
		}
		used += (size_t)snprintf(words + used, sizeof(words) - used,
		    "%s%s", used > 0 ? " " : "", argv[i]);
	}
	if (list && (used > 0 || color != NULL || blinks != NULL ||
	    pattern != NULL)) {
		log_warnx("--list takes no observation");
		return EXIT_USAGE;
	}
	if (!list) {
		if (used > 0 && (color != NULL || blinks != NULL ||
		    pattern != NULL)) {
			log_warnx("give the observation as flags or as words, "
			    "not both");
			return EXIT_USAGE;
		}
		if (used == 0 && color == NULL && blinks == NULL &&
		    pattern == NULL) {
			log_warnx("explain: no LED observation (try "
			    "`cyanprobe explain 2 orange blinks`, or --help)");
			return EXIT_USAGE;
		}
		if ((used > 0 ? ledobs_parse(words, &obs, err, sizeof(err)) :
		    ledobs_from_flags(color, pattern, blinks, &obs, err,
		    sizeof(err))) == -1) {
			if (used > 0 && left != NULL)
				log_warnx("%s; to write the report to a file "
				    "named \"%s\", give --json=%s or "
				    "--markdown=%s", err, left, left, left);
			else
				log_warnx("%s", err);
			return EXIT_USAGE;
		}
	}
	if ((rc = cli_load(&c)) != 0) {
		cli_free(&c);
		return rc;
	}
	rc = list ? list_table(&c) : explain(&c, &obs, used > 0 ? words :
	    NULL);
	cli_free(&c);
	return rc;
}
