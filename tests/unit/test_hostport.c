/*
 * test_hostport.c - hostport_split(), the HOST[:PORT] reader of every
 * command: the strict form diagnose uses, and each flag that loosens it for
 * listening sockets (port 0, any host) and handshake targets (bare IPv6).
 */
#include <string.h>

#include "hostport.h"
#include "test.h"

static char host[32];
static uint16_t port;

/* Split s with flags from a known default port of 5683. */
static int
split(const char *s, unsigned flags)
{
	port = 5683;
	memset(host, 'x', sizeof(host));
	return (int)hostport_split(s, flags, host, sizeof(host), &port);
}

static void
test_strict(void)
{
	expect_int("name", HOSTPORT_OK, split("device.spark.io", 0));
	expect_str("name host", "device.spark.io", host);
	expect_int("default port kept", 5683, port);
	expect_int("name:port", HOSTPORT_OK, split("198.18.1.53:53", 0));
	expect_str("host", "198.18.1.53", host);
	expect_int("port", 53, port);
	expect_int("highest port", HOSTPORT_OK, split("h:65535", 0));
	expect_int("highest port read", 65535, port);
	expect_int("[v6]:port", HOSTPORT_OK, split("[2001:db8::1]:123", 0));
	expect_str("v6 host", "2001:db8::1", host);
	expect_int("v6 port", 123, port);
	expect_int("[v6] alone", HOSTPORT_OK, split("[::1]", 0));
	expect_str("[v6] host", "::1", host);
	expect_int("[v6] keeps the default", 5683, port);
	expect_int("bare v6", HOSTPORT_BARE, split("::1", 0));
	expect_int("unclosed bracket", HOSTPORT_BRACKET, split("[::1:5683", 0));
	expect_int("junk after bracket", HOSTPORT_BRACKET, split("[::1]x", 0));
	expect_int("no host", HOSTPORT_NO_HOST, split(":80", 0));
	expect_int("empty", HOSTPORT_NO_HOST, split("", 0));
	expect_int("NULL", HOSTPORT_NO_HOST, split(NULL, 0));
	expect_int("empty brackets", HOSTPORT_NO_HOST, split("[]:80", 0));
	expect_int("empty port", HOSTPORT_BAD_PORT, split("h:", 0));
	expect_int("port 0", HOSTPORT_BAD_PORT, split("h:0", 0));
	expect_int("port 65536", HOSTPORT_BAD_PORT, split("h:65536", 0));
	expect_int("huge port", HOSTPORT_BAD_PORT,
	    split("h:99999999999999999999999", 0));
	expect_int("junk port", HOSTPORT_BAD_PORT, split("h:5x", 0));
	expect_int("signed port", HOSTPORT_BAD_PORT, split("h:+80", 0));
	expect_int("spaced port", HOSTPORT_BAD_PORT, split("h: 80", 0));
	expect_int("bad port leaves the port", 5683, port);
	expect_int("too long", HOSTPORT_TOO_LONG,
	    split("a-very-long-host-name-that-does-not-fit.example", 0));
	/* 31 bytes and the NUL fill the 32-byte buffer exactly. */
	expect_int("longest host", HOSTPORT_OK,
	    split("0123456789012345678901234567890:1", 0));
	expect_int("longest host length", 31, (long)strlen(host));
}

static void
test_flags(void)
{
	expect_int("need port: missing", HOSTPORT_NO_PORT,
	    split("127.0.0.1", HOSTPORT_NEED_PORT));
	expect_int("need port: [v6] missing", HOSTPORT_NO_PORT,
	    split("[::1]", HOSTPORT_NEED_PORT));
	expect_int("need port: given", HOSTPORT_OK,
	    split("127.0.0.1:9", HOSTPORT_NEED_PORT));
	expect_int("port 0 allowed", HOSTPORT_OK,
	    split("127.0.0.1:0", HOSTPORT_PORT_ZERO));
	expect_int("port 0 read", 0, port);
	expect_int("any host: :port", HOSTPORT_OK,
	    split(":5684", HOSTPORT_ANY_HOST));
	expect_str("any host is empty", "", host);
	expect_int("any host: port", 5684, port);
	expect_int("any host: empty", HOSTPORT_OK, split("", HOSTPORT_ANY_HOST));
	expect_int("bare v6 allowed", HOSTPORT_OK,
	    split("2001:db8::1", HOSTPORT_BARE_V6));
	expect_str("bare v6 host", "2001:db8::1", host);
	expect_int("bare v6 has no port", 5683, port);
	expect_int("bare v6 cannot meet need port", HOSTPORT_NO_PORT,
	    split("::1", HOSTPORT_BARE_V6 | HOSTPORT_NEED_PORT));
	test_cond("every error has words", strcmp(hostport_strerror(
	    HOSTPORT_BAD_PORT), "bad port") == 0 &&
	    strcmp(hostport_strerror(HOSTPORT_NO_HOST), "no host") == 0 &&
	    strcmp(hostport_strerror(HOSTPORT_BRACKET), "bad [IPv6]:PORT") ==
	    0 && strcmp(hostport_strerror(HOSTPORT_TOO_LONG),
	    "host name too long") == 0);
}

int
main(void)
{
	test_strict();
	test_flags();
	return test_report();
}
