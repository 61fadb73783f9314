/*
 * report.h - the one report model behind every command's output, and its
 * three renderings: JSON (docs/report-schema.md, schema "cyanprobe-report/1"),
 * text for a terminal, and Markdown for a support forum.
 *
 * A command fills a struct report: findings (analyzers/finding.h), optional
 * `networks` (analyze, scan) and per-check `facts` (diagnose, handshake, ...)
 * as cJSON trees the report owns.  report_decide() then turns findings plus
 * rules plus the device profile into the verdict: the first failing stage and
 * the LED code that the device shows for it.  Renderers never decide.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "finding.h"
#include "rules.h"
#include "stage.h"

#define REPORT_SCHEMA	"cyanprobe-report/1"

#define VERDICT_CAUSES_MAX	12

/*
 * What the evidence supports: every stage the command set out to judge was
 * seen to pass (ok), some stage fails (problem), or nothing fails but some
 * of those stages were not observed at all (inconclusive).
 */
enum verdict_state {
	VERDICT_OK,
	VERDICT_PROBLEM,
	VERDICT_INCONCLUSIVE
};

struct verdict {
	enum verdict_state	state;
	/*
	 * The first failing stage, or STAGE_CONNECTED when nothing fails; when
	 * inconclusive, the first stage not observed.
	 */
	enum stage		stage;
	enum stage_fail		fail;	/* STAGE_FAIL_NONE when nothing fails */
	struct led_signal	led;	/* what the device shows for it */
	bool			led_known;	/* false when inconclusive */
	stage_set		failed;		/* stages with an error finding */
	stage_set		passed;		/* seen to pass, and not failed */
	stage_set		unobserved;	/* expected, neither seen nor failed */
	char			summary[256];
	/*
	 * The rules behind the verdict, most likely first: the error findings
	 * at the failing stage (report_decide), or for `explain` every rule
	 * that can cause the observed signal.  Point into struct rules.
	 */
	const struct rule	*causes[VERDICT_CAUSES_MAX];
	size_t			 ncauses;
};

/* What the forum report asks for; NULL means "not known". */
struct report_forum {
	const char	*router;	/* --router: the user's words */
	const char	*router_guess;	/* from the radio: WPS, else OUI */
	const char	*security;
	const char	*environment;	/* --environment */
	const char	*topology;
	const char	*isp;		/* --isp */
	const char	*divergent;	/* settings that diverge from the norm */
};

struct report {
	const char		*kind;		/* "capture", "live" or "explain" */
	cJSON			*source;	/* object: kind-specific, owned */
	const struct profile	*profile;	/* may be NULL */
	char			 firmware[32];	/* "" when unknown */
	bool			 firmware_assumed;	/* no --firmware */
	enum led_era		 era;
	struct findings		 findings;
	cJSON			*networks;	/* array or NULL, owned */
	cJSON			*facts;		/* object or NULL, owned */
	struct verdict		 verdict;
	struct report_forum	 forum;
	/*
	 * Evidence: the stages the command sets out to judge (report_expect)
	 * and those it saw pass (report_seen).  A stage fails through its
	 * error findings.  With nothing expected (explain, keys) the verdict
	 * rests on the findings alone.
	 */
	stage_set		 expect;
	stage_set		 seen;
	bool			 interrupted;	/* a signal stopped the run */
	bool			 progress_drawn;	/* checks drawn live */
};

/* Initialise an empty report of the given kind.  Pair with report_free(). */
void	report_init(struct report *r, const char *kind);

/* Release the cJSON trees the report owns; report_free(NULL) is a no-op. */
void	report_free(struct report *r);

/*
 * The facts object under `key` (e.g. "dhcp"), created on first use.  The
 * report keeps ownership; the pointer is valid until report_free().
 */
cJSON	*report_facts(struct report *r, const char *key);

/* Add the stages of `set` to those the command sets out to judge. */
void	report_expect(struct report *r, stage_set set);

/* Record that the stages of `set` were seen to pass. */
void	report_seen(struct report *r, stage_set set);

/*
 * Fill r->verdict from the findings and the evidence: the lowest stage with
 * an "error" finding fails, its LED comes from the rule's failure code in
 * r->era.  With no failing finding the verdict is "connected" when every
 * expected stage was seen to pass (a later stage passing shows the ones it
 * rests on passed: handshake -> cloud -> internet), else "inconclusive",
 * naming the stages not observed, with no LED.
 */
void	report_decide(struct report *r, const struct rules *rules);

/* "ok", "problem", "inconclusive". */
const char *verdict_state_name(enum verdict_state s);

/*
 * The stages of `set` in path order as "dhcp, internet, cloud" into buf;
 * returns buf ("" for the empty set).
 */
const char *report_stage_list(stage_set set, char *buf, size_t len);

/*
 * The exit status for a decided report (log.h): EXIT_PROBLEMS when the
 * verdict is a failure or any finding is an error, EXIT_INCONCLUSIVE when
 * the verdict is inconclusive, else EXIT_OK.
 */
int	report_exit_status(const struct report *r, const struct rules *rules);

/*
 * The whole report as a new cJSON object (the schema of docs/report-
 * schema.md); the caller owns it (cJSON_Delete).  NULL when out of memory.
 * generated_at is the current UTC time, or $CYANPROBE_FAKE_TIME when set
 * (seconds since the epoch, or a string used as is) for golden tests.
 * report_model() then report_model_json().
 */
cJSON	*report_to_json(const struct report *r, const struct rules *rules);

/* Flags for report_redact(). */
#define REDACT_SECRETS	0x1	/* key material: always on in reports */
#define REDACT_PRIVACY	0x2	/* MACs to their OUI, public IPs dropped */

/*
 * A copy of text with, per flags: PEM blocks and long hex or base64 runs
 * replaced by "[key material removed]"; MAC addresses and BSSIDs cut to
 * their OUI ("aa:bb:cc:xx:xx:xx"); public IPv4/IPv6 addresses replaced by
 * "[public IP]" (private, loopback, link-local, multicast, documentation
 * and well-known service addresses such as 8.8.8.8 stay).  Bytes that are
 * not well-formed UTF-8 become U+FFFD whatever the flags.  The caller frees
 * the result with free(); NULL when out of memory.
 */
char	*report_redact(const char *text, unsigned flags);

/*
 * Can a member of this name hold key material: free text that quotes what
 * a device, key file or peer sent ("evidence", "detail", ...)?  Only those
 * pass the key-material filter; names, paths and URLs never do.
 */
bool	report_key_field(const char *name);

/*
 * A deep copy of v with every string passed through report_redact(flags),
 * adding REDACT_SECRETS below members report_key_field() names, and
 * object members named like secrets ("password", "psk", ...) left out.
 * The caller owns the result; NULL when out of memory.
 */
cJSON	*report_scrub_json(const cJSON *v, unsigned flags);

/* An LED signal in words: "3 orange blinks", "breathing cyan". */
void	report_led_words(char *buf, size_t len, struct led_signal led);

/* The report's timestamp, ISO 8601 UTC (or $CYANPROBE_FAKE_TIME). */
void	report_generated_at(char *buf, size_t len);

/*
 * The report model as every rendering shows it, resolved once by
 * report_model() from a decided report and the rules: each finding with
 * its rule, stage and LED; the verdict's causes with the findings behind
 * them; the checks of a live run; the forum fields.  Renderers read only
 * this, never the rules, so no two outputs can disagree and a new output
 * is one file.  Pointers point into the report and the rules, which must
 * outlive the model.
 */
#define REPORT_CHECKS_MAX	16

/* One finding, resolved. */
struct report_item {
	const struct finding	*finding;	/* into r->findings */
	const char		*id;		/* "cloud.port_blocked" */
	const struct rule	*rule;		/* NULL: the id has no rule */
	enum severity		 severity;	/* SEVERITY_INFO without one */
	const char		*stage;		/* stage name; NULL: no rule */
	/* What the device shows when this finding fails its stage. */
	bool			 led_known;
	struct led_signal	 led;
	char			 led_words[48];
	int			 cause;		/* index in causes[], or -1 */
	bool			 divergent;	/* a network setting off the norm */
};

/* One rule behind the verdict, most likely first. */
struct report_cause {
	const struct rule	*rule;
	uint64_t		 items;	/* bit i: item[i] has this rule */
};

/* One check of a live run (facts.run). */
struct report_check {
	char		 name[16];	/* "dhcp" */
	char		 status[16];	/* passed, failed, skipped, ... */
	double		 ms;		/* -1: not known */
	char		 note[160];	/* what was seen; "" */
	uint64_t	 items;		/* bit i: item[i] came from it */
	enum severity	 worst;		/* of its items */
};

struct report_model {
	const struct report	*r;
	const char		*command;	/* "diagnose", else the kind */
	const char		*device;	/* "Particle Photon" */
	/* After "firmware": "2.3.1", "not known", or when not given
	 * "assumed 2.3.1, the newest; give --firmware". */
	char			 firmware[96];
	/* The verdict: "ok", "problem" or "inconclusive" (state_word), its
	 * LED in words, or "not known (...)" when !led_known. */
	const char		*state_word;
	bool			 led_known;
	char			 led_words[48];
	/* The evidence, for a report that judged stages ("" otherwise):
	 * "ok: wifi, dhcp; failed: cloud; not observed: internet", and the
	 * stages not observed alone ("internet"). */
	char			 evidence[256];
	char			 not_observed[128];
	struct report_item	 item[FINDINGS_MAX];
	size_t			 nitems;
	size_t			 nerrors, nwarnings;
	struct report_cause	 cause[VERDICT_CAUSES_MAX];
	size_t			 ncauses;
	struct report_check	 check[REPORT_CHECKS_MAX];
	size_t			 nchecks;
	double			 total_ms;	/* -1: no live run */
	bool			 checks_on_screen;	/* drawn live there */
	bool			 interrupted;
	/* Forum fields; NULL where nothing says. */
	const char		*router;	/* the user's --router */
	const char		*router_guess;	/* from the radio */
	const char		*security;
	const char		*environment;
	const char		*topology;
	const char		*isp;
	const char		*divergent;	/* given as text; else items */
	char			 security_buf[256];
	char			 router_buf[256];
};

/*
 * Resolve the model of r (decided) with `rules` into *m.  Never fails:
 * what cannot be resolved (an id without a rule) says so in the model.
 */
void	report_model(struct report_model *m, const struct report *r,
	    const struct rules *rules);

/*
 * Renderers of the model: 0 on success, -1 on a write error.  JSON
 * (report-schema.md; pretty, or one line for --json-lines), text for a
 * terminal (`color`: SGR codes; `width`: columns to fit, 0 for 80), forum
 * Markdown (`redact`: MACs and public IPs), and JUnit XML.
 */
cJSON	*report_model_json(const struct report_model *m);
int	report_write_json(const struct report_model *m, FILE *out);
int	report_write_json_line(const struct report_model *m, FILE *out);
int	report_write_text(const struct report_model *m, FILE *out,
	    bool color, int width);
int	report_write_markdown(const struct report_model *m, FILE *out,
	    bool redact);
int	report_write_junit(const struct report_model *m, FILE *out);

#endif /* REPORT_H */
