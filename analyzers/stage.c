/*
 * stage.c - the table behind stage.h: every stage's LED signal, in progress
 * and on failure, for each firmware era, with the names used on the wire.
 * Sources: particle-cloud.md 1.8 (cloud error blinks and handshake colours),
 * 3.1 (Device OS signals) and the seed's LED list (2014 Core firmware).
 * stage_lookup() returns the first matching row, so where a stage has two
 * signals in one era (the Core's solid variants), the usual one comes first.
 * Freestanding: no libc, so the firmware agent links it unchanged.
 */
#include "stage.h"

#define ALL	LED_ERA_ALL
#define CORE	LED_ERA_BIT(LED_ERA_CORE2014)
#define DOS	LED_ERA_BIT(LED_ERA_DEVICEOS)
#define SIG(c, p, n)	{ LED_##c, LED_##p, n }

/*
 * A device has no one to read the meanings to, and they are most of the
 * table's size: firmware builds define STAGE_NO_MEANING to leave them out.
 */
#ifdef STAGE_NO_MEANING
#define TEXT(s)	""
#else
#define TEXT(s)	s
#endif

static const struct stage_signal stage_rows[] = {
	{ STAGE_POWER, STAGE_FAIL_NONE, ALL, SIG(WHITE, BREATHE, 0),
	  TEXT("Starting up after power-on or reset") },
	{ STAGE_POWER, STAGE_FAIL_NO_POWER, ALL, SIG(OFF, SOLID, 0),
	  TEXT("No power, or no firmware: the main LED stays dark") },
	{ STAGE_LISTENING, STAGE_FAIL_NONE, ALL, SIG(BLUE, BLINK, 0),
	  TEXT("Listening mode: waiting for Wi-Fi credentials") },
	{ STAGE_LISTENING, STAGE_FAIL_NONE, CORE, SIG(BLUE, SOLID, 0),
	  TEXT("Smart Config: Wi-Fi credentials received") },
	{ STAGE_LISTENING, STAGE_FAIL_NO_CREDENTIALS, ALL, SIG(BLUE, BLINK, 0),
	  TEXT("No usable Wi-Fi credentials: the device went back to listening mode") },
	{ STAGE_WIFI, STAGE_FAIL_NONE, ALL, SIG(GREEN, BLINK, 0),
	  TEXT("Joining the Wi-Fi network") },
	{ STAGE_WIFI, STAGE_FAIL_JOIN, ALL, SIG(GREEN, BLINK, 0),
	  TEXT("Cannot join the Wi-Fi network: keeps blinking green") },
	{ STAGE_DHCP, STAGE_FAIL_NONE, CORE, SIG(GREEN, BLINK, 0),
	  TEXT("Joined; getting an address by DHCP") },
	{ STAGE_DHCP, STAGE_FAIL_NONE, DOS, SIG(GREEN, FAST, 0),
	  TEXT("Joined; getting an address by DHCP") },
	{ STAGE_DHCP, STAGE_FAIL_DHCP, CORE, SIG(GREEN, BLINK, 0),
	  TEXT("No DHCP lease: keeps blinking green") },
	{ STAGE_DHCP, STAGE_FAIL_DHCP, DOS, SIG(GREEN, FAST, 0),
	  TEXT("No DHCP lease: keeps blinking green fast (pool exhausted?)") },
	{ STAGE_INTERNET, STAGE_FAIL_NONE, ALL, SIG(CYAN, BLINK, 0),
	  TEXT("Connecting to the cloud; the internet test runs if that fails") },
	{ STAGE_INTERNET, STAGE_FAIL_INTERNET, CORE, SIG(RED, BLINK, 2),
	  TEXT("Internet test failed: could not reach the internet") },
	{ STAGE_INTERNET, STAGE_FAIL_INTERNET, DOS, SIG(ORANGE, BLINK, 2),
	  TEXT("Internet test failed: could not reach the internet") },
	{ STAGE_CLOUD, STAGE_FAIL_NONE, ALL, SIG(CYAN, BLINK, 0),
	  TEXT("Connecting to the cloud") },
	{ STAGE_CLOUD, STAGE_FAIL_CLOUD, CORE, SIG(RED, BLINK, 3),
	  TEXT("Internet is fine but the cloud is unreachable") },
	{ STAGE_CLOUD, STAGE_FAIL_CLOUD, DOS, SIG(ORANGE, BLINK, 3),
	  TEXT("Internet is fine but the cloud is unreachable (or bad server keys)") },
	{ STAGE_CLOUD, STAGE_FAIL_STARVED, DOS, SIG(GREEN, BREATHE, 0),
	  TEXT("Wi-Fi up but the cloud is not connected: cloud off or loop() starves it") },
	{ STAGE_HANDSHAKE, STAGE_FAIL_NONE, ALL, SIG(CYAN, FAST, 0),
	  TEXT("Cloud handshake in progress") },
	{ STAGE_HANDSHAKE, STAGE_FAIL_DECRYPT, ALL, SIG(ORANGE, BLINK, 1),
	  TEXT("Handshake decryption error: the cloud's copy of the device key is wrong") },
	{ STAGE_HANDSHAKE, STAGE_FAIL_AUTH, ALL, SIG(MAGENTA, BLINK, 1),
	  TEXT("Handshake authentication error: the server key on the device is wrong") },
	{ STAGE_HANDSHAKE, STAGE_FAIL_HANDSHAKE, ALL, SIG(RED, BLINK, 1),
	  TEXT("Generic handshake error: keys, server or timeout") },
	{ STAGE_CONNECTED, STAGE_FAIL_NONE, ALL, SIG(CYAN, BREATHE, 0),
	  TEXT("Connected to the cloud") },
	{ STAGE_CONNECTED, STAGE_FAIL_SESSION, ALL, SIG(CYAN, BLINK, 0),
	  TEXT("Connected, then the session drops: breathing cyan turns to blinking cyan while it re-dials") },
	{ STAGE_OTA, STAGE_FAIL_NONE, ALL, SIG(MAGENTA, FAST, 0),
	  TEXT("Receiving a firmware update over the air") },
	{ STAGE_OTA, STAGE_FAIL_NONE, CORE, SIG(MAGENTA, SOLID, 0),
	  TEXT("A firmware update over the air was interrupted") },
	{ STAGE_DFU, STAGE_FAIL_NONE, ALL, SIG(YELLOW, BLINK, 0),
	  TEXT("Bootloader (DFU) mode: waiting for firmware over USB") },
	{ STAGE_SAFE_MODE, STAGE_FAIL_NONE, DOS, SIG(MAGENTA, BREATHE, 0),
	  TEXT("Safe mode: connected to the cloud, user firmware not running") },
	{ STAGE_FACTORY_RESET, STAGE_FAIL_NONE, ALL, SIG(WHITE, FAST, 0),
	  TEXT("Factory reset: restoring firmware from factory memory") },
	{ STAGE_FACTORY_RESET, STAGE_FAIL_NONE, CORE, SIG(WHITE, SOLID, 0),
	  TEXT("Factory reset started") },
};

static const char *const stage_names[STAGE_COUNT] = {
	"power", "listening", "wifi", "dhcp", "internet", "cloud",
	"handshake", "connected", "ota", "dfu", "safe_mode", "factory_reset",
};

static const char *const fail_names[STAGE_FAIL_COUNT] = {
	"none", "no_power", "no_credentials", "join", "dhcp", "internet",
	"cloud", "decrypt", "auth", "handshake", "starved", "session",
};

static const char *const color_names[LED_COLOR_COUNT] = {
	"off", "white", "blue", "green", "cyan", "magenta", "yellow",
	"orange", "red",
};

static const char *const pattern_names[LED_PATTERN_COUNT] = {
	"solid", "blink", "fast", "breathe",
};

static const char *const era_names[LED_ERA_COUNT] = {
	"core-2014", "device-os",
};

static const uint8_t default_fail[STAGE_COUNT] = {
	[STAGE_POWER] = STAGE_FAIL_NO_POWER,
	[STAGE_LISTENING] = STAGE_FAIL_NO_CREDENTIALS,
	[STAGE_WIFI] = STAGE_FAIL_JOIN,
	[STAGE_DHCP] = STAGE_FAIL_DHCP,
	[STAGE_INTERNET] = STAGE_FAIL_INTERNET,
	[STAGE_CLOUD] = STAGE_FAIL_CLOUD,
	[STAGE_HANDSHAKE] = STAGE_FAIL_HANDSHAKE,
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const struct stage_signal *
stage_table(size_t *n)
{
	*n = NELEM(stage_rows);
	return stage_rows;
}

const struct stage_signal *
stage_lookup(enum stage s, enum stage_fail f, enum led_era era)
{
	size_t i;

	for (i = 0; i < NELEM(stage_rows); i++) {
		const struct stage_signal *r = &stage_rows[i];

		if (r->stage == s && r->fail == f &&
		    (r->eras & LED_ERA_BIT(era)) != 0)
			return r;
	}
	return NULL;
}

enum stage_fail
stage_default_fail(enum stage s)
{
	if ((unsigned)s >= STAGE_COUNT)
		return STAGE_FAIL_NONE;
	return (enum stage_fail)default_fail[s];
}

static const char *
name_at(const char *const *names, size_t n, unsigned i)
{
	return i < n ? names[i] : "unknown";
}

const char *
stage_name(enum stage s)
{
	return name_at(stage_names, NELEM(stage_names), (unsigned)s);
}

const char *
stage_fail_name(enum stage_fail f)
{
	return name_at(fail_names, NELEM(fail_names), (unsigned)f);
}

const char *
led_color_name(enum led_color c)
{
	return name_at(color_names, NELEM(color_names), (unsigned)c);
}

const char *
led_pattern_name(enum led_pattern p)
{
	return name_at(pattern_names, NELEM(pattern_names), (unsigned)p);
}

const char *
led_era_name(enum led_era e)
{
	return name_at(era_names, NELEM(era_names), (unsigned)e);
}

/* No libc here: a plain byte comparison. */
static bool
name_equal(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool
name_index(const char *const *names, size_t n, const char *name, unsigned *out)
{
	unsigned i;

	if (name == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if (name_equal(names[i], name)) {
			*out = i;
			return true;
		}
	}
	return false;
}

bool
stage_from_name(const char *name, enum stage *out)
{
	unsigned i;

	if (!name_index(stage_names, NELEM(stage_names), name, &i))
		return false;
	*out = (enum stage)i;
	return true;
}

bool
stage_fail_from_name(const char *name, enum stage_fail *out)
{
	unsigned i;

	if (!name_index(fail_names, NELEM(fail_names), name, &i))
		return false;
	*out = (enum stage_fail)i;
	return true;
}

bool
led_color_from_name(const char *name, enum led_color *out)
{
	unsigned i;

	if (!name_index(color_names, NELEM(color_names), name, &i))
		return false;
	*out = (enum led_color)i;
	return true;
}

bool
led_pattern_from_name(const char *name, enum led_pattern *out)
{
	unsigned i;

	if (!name_index(pattern_names, NELEM(pattern_names), name, &i))
		return false;
	*out = (enum led_pattern)i;
	return true;
}

bool
led_era_from_name(const char *name, enum led_era *out)
{
	unsigned i;

	if (!name_index(era_names, NELEM(era_names), name, &i))
		return false;
	*out = (enum led_era)i;
	return true;
}

bool
led_signal_equal(struct led_signal a, struct led_signal b)
{
	return a.color == b.color && a.pattern == b.pattern &&
	    a.count == b.count;
}

/* Read a decimal number of at most 5 digits that fits in uint16_t. */
static bool
parse_u16(const char **sp, uint16_t *out)
{
	const char *s = *sp;
	uint32_t v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9' && digits < 6) {
		v = v * 10 + (uint32_t)(*s - '0');
		s++;
		digits++;
	}
	if (digits == 0 || digits > 5 || v > 0xffff)
		return false;
	*out = (uint16_t)v;
	*sp = s;
	return true;
}

/* The "-rc.N", "-beta.N" or "-alpha" tail of a version string. */
static bool
parse_prerelease(const char *s, struct fw_version *v)
{
	v->prerelease = true;
	s++;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
		s++;
	if (*s == '\0')
		return true;
	if (*s == '.')
		s++;
	return parse_u16(&s, &v->rc) && *s == '\0';
}

bool
fw_version_parse(const char *s, struct fw_version *out)
{
	struct fw_version v = { 0, 0, 0, false, 0 };
	static const struct fw_version zero = { 0, 0, 0, false, 0 };

	*out = zero;
	if (s == NULL)
		return false;
	if (*s == 'v' || *s == 'V')
		s++;
	if (!parse_u16(&s, &v.major) || *s++ != '.')
		return false;
	if (!parse_u16(&s, &v.minor))
		return false;
	if (*s == '.') {
		s++;
		if (!parse_u16(&s, &v.patch))
			return false;
	}
	if (*s == '-') {
		if (!parse_prerelease(s, &v))
			return false;
	} else if (*s != '\0')
		return false;
	*out = v;
	return true;
}

static int
cmp_u16(uint16_t a, uint16_t b)
{
	return (a > b) - (a < b);
}

int
fw_version_cmp(const struct fw_version *a, const struct fw_version *b)
{
	int c;

	if ((c = cmp_u16(a->major, b->major)) != 0 ||
	    (c = cmp_u16(a->minor, b->minor)) != 0 ||
	    (c = cmp_u16(a->patch, b->patch)) != 0)
		return c;
	if (a->prerelease != b->prerelease)
		return a->prerelease ? -1 : 1;
	return cmp_u16(a->rc, b->rc);
}

enum led_era
led_era_for(bool is_core, const struct fw_version *v)
{
	static const struct fw_version first_deviceos = { 0, 4, 0, false, 0 };

	if (is_core && fw_version_cmp(v, &first_deviceos) < 0)
		return LED_ERA_CORE2014;
	return LED_ERA_DEVICEOS;
}
