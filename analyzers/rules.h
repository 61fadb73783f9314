/*
 * rules.h - the rule data: what each finding means (rules/findings.json) and
 * what each device can do (rules/devices/NAME.json), parsed and validated from
 * JSON text.  Pure: the caller reads the files (probe/rules_load.c) and hands
 * over the text plus a file name used only in error messages, which name the
 * file and the JSON path, e.g.
 *   rules/findings.json: $.findings[3].stage: unknown stage "clod"
 * Everything is stored in fixed-size arrays inside struct rules, so parsing
 * allocates only cJSON's tree for the one buffer, freed before returning.
 * The format is documented in docs/rules-format.md.
 */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "stage.h"

enum severity {
	SEVERITY_INFO,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
	SEVERITY_COUNT
};

#define RULE_ID_MAX		48
#define RULE_SUMMARY_MAX	200
#define RULE_ADVICE_MAX		900
#define RULE_SEED_MAX		120
#define RULE_DEVICES_MAX	4
#define RULES_LED_MAX		32	/* LED-only rules */
#define RANK_DEFAULT		100

/*
 * One rule.  An emittable rule explains a finding id of FINDING_IDS; an
 * LED-only rule ("led_only": true, id "led.*") explains an LED signal that
 * no check emits (no power, no credentials, OTA, ...), for `explain`.
 */
struct rule {
	bool		 present;
	char		 id[RULE_ID_MAX];
	bool		 led_only;
	enum finding_id	 finding;	/* valid when !led_only */
	enum stage	 stage;
	enum stage_fail	 fail;		/* the LED failure code it causes */
	enum severity	 severity;
	int		 rank;		/* explain order: lower comes first */
	char		 summary[RULE_SUMMARY_MAX];
	char		 advice[RULE_ADVICE_MAX];
	char		 seed[RULE_SEED_MAX];	/* seed section it comes from */
	/* Profiles it applies to ("core", "photon"); none means all. */
	char		 devices[RULE_DEVICES_MAX][16];
	size_t		 ndevices;
	/* LED eras it can happen in (LED_ERA_BIT mask); 0 means all. */
	unsigned	 eras;
};

/*
 * A firmware range, inclusive at `from` and `to`, exclusive at `before`.
 * A missing end is open.
 */
struct fw_range {
	bool			has_from, has_to, has_before;
	struct fw_version	from, to, before;
};

bool	fw_range_contains(const struct fw_range *r, const struct fw_version *v);

enum band {
	BAND_2G4,
	BAND_5G,
	BAND_6G,
	BAND_COUNT
};

enum phy {
	PHY_B,
	PHY_G,
	PHY_N,
	PHY_A,
	PHY_AC,
	PHY_AX,
	PHY_COUNT
};

/* Security classes as a scan would name them; stable names in JSON. */
enum sec_class {
	SEC_OPEN,
	SEC_WEP,
	SEC_WPA,		/* WPA-Personal (PSK) */
	SEC_WPA2,		/* WPA2-Personal (PSK) */
	SEC_WPA3,		/* WPA3-Personal (SAE) */
	SEC_WPA_ENTERPRISE,
	SEC_WPA2_ENTERPRISE,
	SEC_WPA3_ENTERPRISE,
	SEC_COUNT
};

#define PROFILE_NAME_MAX	16
#define PROFILE_COUNTRIES_MAX	32
#define PROFILE_DEFECTS_MAX	12
#define PROFILE_TESTS_MAX	4
#define PROFILE_ERAS_MAX	4
#define PROFILE_WIDTHS_MAX	4
#define PROFILE_HOST_MAX	64
#define PROFILES_MAX		8

struct country_channels {
	char		code[4];	/* ISO 3166 alpha-2 */
	uint8_t		max;		/* highest channel allowed */
};

struct profile_radio {
	uint8_t		bands;		/* bit (1 << enum band) */
	uint8_t		phys;		/* bit (1 << enum phy) */
	uint16_t	widths[PROFILE_WIDTHS_MAX];	/* MHz */
	size_t		nwidths;
	/*
	 * Highest 2.4 GHz channel: a fixed `max_channel` (Core), or by
	 * country, with `unset_country` standing in when the device has no
	 * country set (Photon: Japan, 1-13/14) and `other_max` for a country
	 * not in the list.
	 */
	uint8_t		max_channel;	/* 0 when by country */
	struct country_channels country[PROFILE_COUNTRIES_MAX];
	size_t		ncountries;
	char		unset_country[4];
	uint8_t		other_max;
};

struct profile_security {
	bool		supported;
	struct fw_range	range;		/* firmware that supports it */
};

#define DEFECT_ID_MAX	32
struct profile_defect {
	char		id[DEFECT_ID_MAX];	/* e.g. "n_only_broken" */
	struct fw_range	range;
	char		summary[RULE_SUMMARY_MAX];
	char		source[RULE_SEED_MAX];
};

enum internet_test_kind {
	INTERNET_TEST_TCP,	/* TCP connect, no data (8.8.8.8:53) */
	INTERNET_TEST_NTP,	/* resolve host, then SNTP on UDP */
	INTERNET_TEST_COUNT
};

struct internet_test {
	struct fw_range		range;
	enum internet_test_kind	kind;
	char			host[PROFILE_HOST_MAX];
	uint16_t		port;
	unsigned		timeout_ms;
};

struct profile_cloud {
	char		host[PROFILE_HOST_MAX];	/* device.spark.io */
	uint16_t	port;			/* 5683 */
	char		transport[8];		/* "tcp" */
	char		fallback_ip[PROFILE_HOST_MAX];	/* "" if none */
	unsigned	resolve_attempts;
	unsigned	connect_timeout_ms;
};

/*
 * The cloud keep-alive of a firmware era: after `interval_ms` without
 * traffic the device pings the cloud and drops the session when no reply
 * comes within `timeout_ms`.  A NAT mapping that dies sooner than the
 * interval cuts every idle session.
 */
struct profile_keepalive {
	struct fw_range	range;
	unsigned	interval_ms;
	unsigned	timeout_ms;
	char		source[RULE_SEED_MAX];	/* where the figures come from */
};

struct profile_era {
	struct fw_range	range;
	enum led_era	era;
};

struct profile {
	char			name[PROFILE_NAME_MAX];	/* "core", "photon" */
	char			title[48];		/* "Particle Photon" */
	unsigned		platform_id;	/* 0 Core, 6 Photon, 8 P1 */
	bool			is_core;	/* platform_id == 0 */
	struct fw_version	fw_default;	/* when --firmware is not given */
	struct fw_range		fw_known;	/* firmware the profile covers */
	char			fw_default_str[24];
	struct profile_radio	radio;
	struct profile_security	security[SEC_COUNT];
	struct profile_defect	defect[PROFILE_DEFECTS_MAX];
	size_t			ndefects;
	struct internet_test	test[PROFILE_TESTS_MAX];
	size_t			ntests;
	struct profile_cloud	cloud;
	struct profile_keepalive keepalive[PROFILE_TESTS_MAX];
	size_t			nkeepalives;
	struct profile_era	era[PROFILE_ERAS_MAX];
	size_t			neras;
	char			usb_cdc[12], usb_dfu[12];	/* "2b04:c006" */
};

struct rules {
	struct rule	finding[FINDING_COUNT];	/* indexed by enum finding_id */
	struct rule	led[RULES_LED_MAX];	/* LED-only, in file order */
	size_t		nled;
	bool		have_findings;		/* findings file parsed */
	struct profile	profile[PROFILES_MAX];
	size_t		nprofiles;
};

/* Empty the rule set.  struct rules holds no pointers: no free needed. */
void	rules_init(struct rules *r);

/*
 * Parse rules/findings.json text (len bytes, need not be NUL-terminated)
 * into r.  `file` names the input in messages.  Returns 0, or -1 with a
 * message "FILE: $.PATH: what is wrong" in err (errlen bytes).  On error r is
 * partly filled and should be discarded.  Calling it twice fails (duplicates).
 */
int	rules_parse_findings(struct rules *r, const char *json, size_t len,
	    const char *file, char *err, size_t errlen);

/* Same for one device profile (rules/devices/NAME.json); adds one profile. */
int	rules_parse_profile(struct rules *r, const char *json, size_t len,
	    const char *file, char *err, size_t errlen);

/*
 * Cross-checks after every file is parsed: a rule's "devices" names a
 * loaded profile.  Same return convention; `file` is the findings file.
 */
int	rules_check(const struct rules *r, const char *file, char *err,
	    size_t errlen);

/* The rule of finding id, or NULL when it has none.  Valid while r is. */
const struct rule *rules_get(const struct rules *r, enum finding_id id);

/* Any rule, emittable or LED-only, by its dotted id; NULL if unknown. */
const struct rule *rules_find(const struct rules *r, const char *id);

/* All rules, emittable first (FINDING_IDS order), then LED-only. */
size_t	rules_count(const struct rules *r);
const struct rule *rules_at(const struct rules *r, size_t i);

/* Does the rule apply to this profile (its "devices" list)? */
bool	rule_applies(const struct rule *ru, const struct profile *p);

/*
 * Does the rule decide a failure?  An error at a stage of the connect path
 * with a failure code, or at "connected" itself (the session fails).
 * False for NULL.  The one test of the report's verdict and the QA judge.
 */
bool	rule_fails(const struct rule *ru);

/*
 * The rules that explain `stage` failing with `fail` on profile p (NULL: any
 * profile) in LED era `era` (LED_ERA_COUNT: any), in rank order (ties keep
 * file order).  Writes at most max pointers to out and returns how many
 * matched in total.
 */
size_t	rules_causes(const struct rules *r, enum stage stage,
	    enum stage_fail fail, const struct profile *p, enum led_era era,
	    const struct rule **out, size_t max);

/* The profile called `name`, or NULL.  Valid while r is. */
const struct profile *rules_profile(const struct rules *r, const char *name);

/* The LED era of firmware v on profile p (falls back to led_era_for()). */
enum led_era	profile_era(const struct profile *p, const struct fw_version *v);

/* Does p cover firmware v (its "firmware" range)? */
bool	profile_knows_firmware(const struct profile *p,
	    const struct fw_version *v);

/* Is the known defect `defect_id` present in firmware v? */
bool	profile_defect(const struct profile *p, const char *defect_id,
	    const struct fw_version *v);

/* The defect record by id (any firmware), or NULL. */
const struct profile_defect *profile_defect_info(const struct profile *p,
	    const char *defect_id);

/* The internet test that firmware v runs, or NULL when none is known. */
const struct internet_test *profile_internet_test(const struct profile *p,
	    const struct fw_version *v);

/* The cloud keep-alive of firmware v, or NULL when none is known. */
const struct profile_keepalive *profile_keepalive(const struct profile *p,
	    const struct fw_version *v);

bool	profile_band_supported(const struct profile *p, enum band b);
bool	profile_phy_supported(const struct profile *p, enum phy m);
bool	profile_width_supported(const struct profile *p, unsigned mhz);

/*
 * The highest 2.4 GHz channel the device uses with country code `country`
 * ("US", "JP", ...; NULL or "" when the device has none set).
 */
unsigned profile_max_channel(const struct profile *p, const char *country);

/*
 * Can the device join a network on 2.4 GHz `channel` with `country`?
 * Channels outside 1..14 are never allowed.
 */
bool	profile_channel_allowed(const struct profile *p, unsigned channel,
	    const char *country);

/* Does firmware v on p support security class s? */
bool	profile_security_supported(const struct profile *p, enum sec_class s,
	    const struct fw_version *v);

/* Stable names, as used in JSON; "unknown" when out of range. */
const char	*severity_name(enum severity s);
bool		 severity_from_name(const char *name, enum severity *out);
const char	*band_name(enum band b);
bool		 band_from_name(const char *name, enum band *out);
const char	*phy_name(enum phy m);
bool		 phy_from_name(const char *name, enum phy *out);
const char	*sec_class_name(enum sec_class s);
bool		 sec_class_from_name(const char *name, enum sec_class *out);
const char	*internet_test_kind_name(enum internet_test_kind k);

#endif /* RULES_H */
