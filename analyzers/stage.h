/*
 * stage.h - the connect-stage and LED model, in one place.
 *
 * A Particle device walks power -> listening -> wifi -> dhcp -> internet ->
 * cloud -> handshake -> connected.  Every check, capture fact and agent event
 * is pinned to one of these stages, and the first stage that fails decides
 * what the device's LED shows.  This header and stage.c hold that table for
 * the probe, the analyzers, the reports and the freestanding firmware agent
 * alike, so it uses nothing beyond <stdint.h>, <stddef.h> and <stdbool.h>.
 * Facts come from shared/reference/particle-cloud.md sections 1.8 and 3.1.
 */
#ifndef STAGE_H
#define STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The connect path, in order; a lower value is reached first. */
enum stage {
	STAGE_POWER,
	STAGE_LISTENING,
	STAGE_WIFI,
	STAGE_DHCP,
	STAGE_INTERNET,
	STAGE_CLOUD,
	STAGE_HANDSHAKE,
	STAGE_CONNECTED,
	/* Side states: not on the connect path, but they have LED signals. */
	STAGE_OTA,
	STAGE_DFU,
	STAGE_SAFE_MODE,
	STAGE_FACTORY_RESET,
	STAGE_COUNT
};
#define STAGE_PATH_COUNT	(STAGE_CONNECTED + 1)

/*
 * A set of stages, one bit each: the stages a command sets out to judge,
 * those it saw pass, those it saw fail.  "Not observed" is a stage in the
 * first set and in neither of the others (docs/report-schema.md).
 */
typedef uint16_t stage_set;
#define STAGE_BIT(s)	((stage_set)(1u << (s)))
_Static_assert(STAGE_COUNT <= 16, "stage_set is 16 bits");

/* How a stage fails.  STAGE_FAIL_NONE is the signal shown while in progress. */
enum stage_fail {
	STAGE_FAIL_NONE,
	STAGE_FAIL_NO_POWER,	/* LED dark */
	STAGE_FAIL_NO_CREDENTIALS,	/* stays in listening mode */
	STAGE_FAIL_JOIN,	/* keeps blinking green; falls back to blue */
	STAGE_FAIL_DHCP,	/* no address: fast green on Device OS */
	STAGE_FAIL_INTERNET,	/* internet test failed: 2 blinks */
	STAGE_FAIL_CLOUD,	/* internet fine, cloud unreachable: 3 blinks */
	STAGE_FAIL_DECRYPT,	/* handshake DECRYPTION_ERROR: orange 1 */
	STAGE_FAIL_AUTH,	/* handshake AUTHENTICATION_ERROR: magenta 1 */
	STAGE_FAIL_HANDSHAKE,	/* any other handshake error: red 1 */
	STAGE_FAIL_STARVED,	/* app starves the system loop: breathing green */
	STAGE_FAIL_SESSION,	/* connected, then the session drops: re-dials */
	STAGE_FAIL_COUNT
};

enum led_color {
	LED_OFF,
	LED_WHITE,
	LED_BLUE,
	LED_GREEN,
	LED_CYAN,
	LED_MAGENTA,
	LED_YELLOW,
	LED_ORANGE,
	LED_RED,
	LED_COLOR_COUNT
};

enum led_pattern {
	LED_SOLID,
	LED_BLINK,
	LED_FAST,	/* fast blink */
	LED_BREATHE,
	LED_PATTERN_COUNT
};

/*
 * Which firmware draws the LED.  The 2014 Core firmware (before 0.4.0) blinks
 * cloud errors red; Device OS 0.4.0 and later blinks them orange.
 */
enum led_era {
	LED_ERA_CORE2014,
	LED_ERA_DEVICEOS,
	LED_ERA_COUNT
};
#define LED_ERA_ALL	((uint8_t)((1u << LED_ERA_COUNT) - 1))
#define LED_ERA_BIT(e)	((uint8_t)(1u << (e)))

/* count: 0 for a continuous pattern, N for N blinks then a pause. */
struct led_signal {
	uint8_t	color;		/* enum led_color */
	uint8_t	pattern;	/* enum led_pattern */
	uint8_t	count;
};

/* One row of the model: what a stage shows in one firmware era. */
struct stage_signal {
	uint8_t		 stage;		/* enum stage */
	uint8_t		 fail;		/* enum stage_fail */
	uint8_t		 eras;		/* LED_ERA_BIT mask */
	struct led_signal led;
	const char	*meaning;	/* one line, for people */
};

struct fw_version {
	uint16_t	major, minor, patch;
	bool		prerelease;	/* "-rc.N" and the like */
	uint16_t	rc;		/* N of "-rc.N", 0 if none */
};

/* The whole table, in stage order; *n receives the row count. */
const struct stage_signal *stage_table(size_t *n);

/*
 * The row for (stage, fail) in era `era`, or NULL when that stage cannot fail
 * that way.  Valid for the life of the program.
 */
const struct stage_signal *stage_lookup(enum stage s, enum stage_fail f,
	    enum led_era era);

/* The failure code a stage shows when it fails and nothing more is known. */
enum stage_fail stage_default_fail(enum stage s);

/* Names are stable and used in JSON, rules and the agent's wire formats. */
const char	*stage_name(enum stage s);
const char	*stage_fail_name(enum stage_fail f);
const char	*led_color_name(enum led_color c);
const char	*led_pattern_name(enum led_pattern p);
const char	*led_era_name(enum led_era e);

/* Reverse lookups: return false when `name` is unknown. */
bool	stage_from_name(const char *name, enum stage *out);
bool	stage_fail_from_name(const char *name, enum stage_fail *out);
bool	led_color_from_name(const char *name, enum led_color *out);
bool	led_pattern_from_name(const char *name, enum led_pattern *out);
bool	led_era_from_name(const char *name, enum led_era *out);

bool	led_signal_equal(struct led_signal a, struct led_signal b);

/*
 * Parse "1.5.2", "0.4.0", "1.1.0-rc.1", "v2.3.1".  Returns false on anything
 * else, leaving *out zeroed.
 */
bool	fw_version_parse(const char *s, struct fw_version *out);

/* <0, 0, >0 like strcmp; a prerelease sorts before its release. */
int	fw_version_cmp(const struct fw_version *a, const struct fw_version *b);

/*
 * The LED era of a platform ("core" or any Device OS platform) at firmware
 * version v: Core firmware before 0.4.0 is the 2014 era, the rest Device OS.
 */
enum led_era led_era_for(bool is_core, const struct fw_version *v);

#endif /* STAGE_H */
