/*
 * ledobs.h - an LED observation as people describe it ("2 orange blinks",
 * "blinking green", "fast cyan then red", "breathing cyan"), parsed into
 * signals and matched against the connect-stage table of stage.h for one
 * LED era.  Pure and bounded: no allocation, no I/O.  Anything it cannot
 * read, or that has no meaning in that era, is an error with a message
 * naming the word or signal, never a guess (`cyanprobe explain`).
 */
#ifndef LEDOBS_H
#define LEDOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "stage.h"

#define LEDOBS_SIGNALS_MAX	4
#define LEDOBS_TEXT_MAX		256
#define LEDOBS_MATCH_MAX	8

/* One signal; a field not given is "any". */
struct ledobs_signal {
	bool		has_color, has_pattern, has_count;
	enum led_color	color;
	enum led_pattern pattern;
	unsigned	count;		/* blinks, when has_count */
};

/* Signals in the order seen; the last one is the one to explain. */
struct led_obs {
	struct ledobs_signal	sig[LEDOBS_SIGNALS_MAX];
	size_t			n;
};

/*
 * Parse words into o.  Colours, patterns (blinking, flashing, fast,
 * breathing, pulsing, solid), counts (digits, "twice") and "then" between
 * signals; filler such as "the LED is" is skipped.  Returns 0, or -1 with
 * a message in err naming the offending word.
 */
int	ledobs_parse(const char *text, struct led_obs *o, char *err,
	    size_t errlen);

/*
 * Build a one-signal observation from flags (--color, --pattern,
 * --blinks; NULL / 0 when not given).  Same return convention.
 */
int	ledobs_from_flags(const char *color, const char *pattern,
	    const char *blinks, struct led_obs *o, char *err, size_t errlen);

/* What the last signal can mean in one era. */
struct ledobs_match {
	/*
	 * Matching rows, the verdict first: failure rows before progress
	 * rows, then by stage.  Valid for the life of the program.
	 */
	const struct stage_signal	*row[LEDOBS_MATCH_MAX];
	size_t				 n;
};

/*
 * Match o's last signal against the table for `era`, using earlier signals
 * as context ("fast cyan then red": red during the handshake).  Returns 0,
 * or -1 with a message in err when the observation means nothing in that
 * era (mentioning the other era if it means something there) or when it is
 * ambiguous in a way the user can resolve (count the blinks).
 */
int	ledobs_match(const struct led_obs *o, enum led_era era,
	    struct ledobs_match *m, char *err, size_t errlen);

/* The signal as words, e.g. "3 orange blinks", "fast cyan then red". */
void	ledobs_describe(const struct led_obs *o, char *buf, size_t len);

#endif /* LEDOBS_H */
